// Status and Result<T>: how every fallible call in the library reports failure.
//
// The library never throws across its API. A Status is either ok or carries a code and a message;
// Result<T> holds a T or a non-ok Status. Each layer adds context with WithContext(), so a user
// reads "loading 'car.xml': issue 3: lowerbound > upperbound". Both types are cheap to move and
// are not thread-safe for concurrent mutation (like any value type).
#ifndef SHUTTLE_STATUS_H_
#define SHUTTLE_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace shuttle {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kPermissionDenied,
  kFailedPrecondition,
  kConflict,
  kIOError,
  kCorruption,
  kOutOfRange,
  kUnimplemented,
};

// Returns a stable lower-case name, e.g. "invalid argument".
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
  static Status Unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "context: message" with the same code; an ok status stays ok.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }
  // "invalid argument: message", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or an error. Access value() only after checking ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace shuttle

// Returns from the enclosing function if `expr` (a Status) is not ok.
#define SHUTTLE_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::shuttle::Status shuttle_status_ = (expr);        \
    if (!shuttle_status_.ok()) return shuttle_status_; \
  } while (0)

#define SHUTTLE_CONCAT_INNER_(a, b) a##b
#define SHUTTLE_CONCAT_(a, b) SHUTTLE_CONCAT_INNER_(a, b)
#define SHUTTLE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()

// `SHUTTLE_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its error.
#define SHUTTLE_ASSIGN_OR_RETURN(lhs, expr) \
  SHUTTLE_ASSIGN_OR_RETURN_IMPL_(SHUTTLE_CONCAT_(shuttle_result_, __LINE__), lhs, expr)

#endif  // SHUTTLE_STATUS_H_
