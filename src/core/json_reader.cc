#include "core/json_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace shuttle::json_internal {
namespace {

// Where the parser is, kept from the SAX events so that a duplicate key can be reported with its
// path.
class PathTracker {
 public:
  void Open(bool array) {
    if (frames_.size() >= kMaxJsonDepth)
      Throw(ShortPath(), fmt::format("nesting deeper than {} levels", kMaxJsonDepth));
    frames_.push_back(Frame{array, 0, {}, {}});
  }
  void Key(const std::string& key) {
    Frame& top = frames_.back();
    top.key = key;
    if (!top.keys.insert(top.key).second)
      Throw(Path(frames_.size() - 1), fmt::format("duplicate key '{}'", top.key));
  }
  void Value() { Advance(); }
  void Close() {
    frames_.pop_back();
    Advance();
  }

 private:
  struct Frame {
    bool array;
    size_t index;
    std::string key;
    std::set<std::string> keys;
  };

  void Advance() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  // Path of the container at depth `depth` (0: the document).
  std::string Path(size_t depth) const {
    std::string path;
    for (size_t d = 0; d < depth; ++d) {
      const Frame& f = frames_[d];
      path = f.array ? ElementPath(path, f.index) : MemberPath(path, f.key);
    }
    return path;
  }
  // Where the limit was passed, cut after a few levels ("scenario.issues[0][0][0]..."): enough to
  // name the field without echoing 64 levels back.
  std::string ShortPath() const {
    constexpr size_t kShown = 40;
    std::string path = Path(frames_.size());
    if (path.size() > kShown) path = path.substr(0, kShown) + "...";
    return path;
  }
  [[noreturn]] static void Throw(std::string path, std::string message) {
    throw JsonError{StatusCode::kCorruption, std::move(path), std::move(message)};
  }

  std::vector<Frame> frames_;
};

// nlohmann's DOM builder with the tracker's checks in front. (Its callback parser would do, but
// at the end of every object it scans the enclosing object for discarded members: quadratic in
// the members of an object whose members are objects, as a GeniusWeb domain's issues are.)
template <typename J>
class StrictSax {
 public:
  explicit StrictSax(J* result) : dom_(*result, /*allow_exceptions=*/true) {}
  bool null() { return Value() && dom_.null(); }
  bool boolean(bool v) { return Value() && dom_.boolean(v); }
  bool number_integer(typename J::number_integer_t v) { return Value() && dom_.number_integer(v); }
  bool number_unsigned(typename J::number_unsigned_t v) {
    return Value() && dom_.number_unsigned(v);
  }
  bool number_float(typename J::number_float_t v, const typename J::string_t& s) {
    return Value() && dom_.number_float(v, s);
  }
  bool string(typename J::string_t& v) { return Value() && dom_.string(v); }
  bool binary(typename J::binary_t& v) { return Value() && dom_.binary(v); }
  bool start_object(std::size_t n) {
    tracker_.Open(false);
    return dom_.start_object(n);
  }
  bool key(typename J::string_t& k) {
    tracker_.Key(k);
    return dom_.key(k);
  }
  bool end_object() {
    tracker_.Close();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    tracker_.Open(true);
    return dom_.start_array(n);
  }
  bool end_array() {
    tracker_.Close();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    return dom_.parse_error(position, token, e);
  }

 private:
  bool Value() {
    tracker_.Value();
    return true;
  }
  PathTracker tracker_;
  nlohmann::detail::json_sax_dom_parser<J> dom_;
};

bool IsPlainWord(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

[[noreturn]] void Expected(const char* what, const Json& j, const std::string& path) {
  Fail(path, fmt::format("expected {}, got {}", what, Describe(j)));
}

}  // namespace

Status JsonError::ToStatus(const std::string& source) const {
  return Status(code, path.empty() ? fmt::format("{}: {}", source, message)
                                   : fmt::format("{}: {}: {}", source, path, message));
}

void Fail(const std::string& path, std::string message) {
  throw JsonError{StatusCode::kInvalidArgument, path, std::move(message)};
}

namespace {

template <typename J>
J ParseStrict(std::string_view text) {
  try {
    J result;
    StrictSax<J> sax(&result);
    J::sax_parse(text.begin(), text.end(), &sax);
    return result;
  } catch (const typename J::exception& e) {
    // "[json.exception.parse_error.101] parse error at line 2, column 5: ..." without the tag.
    std::string message = e.what();
    size_t tag_end = message.find("] ");
    if (message.rfind("[json.exception.", 0) == 0 && tag_end != std::string::npos)
      message.erase(0, tag_end + 2);
    throw JsonError{StatusCode::kCorruption, "", message, /*syntax=*/true};
  }
}

template <typename J>
Result<J> ParseAs(std::string_view text, const std::string& root) {
  try {
    return ParseStrict<J>(text);
  } catch (const JsonError& e) {
    if (e.syntax)
      return Status::InvalidArgument(fmt::format("{}: malformed JSON: {}", root, e.message));
    std::string path = root;
    if (!e.path.empty()) path += (e.path.front() == '[' ? "" : ".") + e.path;
    return Status::InvalidArgument(fmt::format("{}: {}", path, e.message));
  }
}

}  // namespace

Json ParseStrictJson(std::string_view text) { return ParseStrict<Json>(text); }

Result<Json> ParseJson(std::string_view text, const std::string& root) {
  return ParseAs<Json>(text, root);
}

Result<OrderedJson> ParseOrderedJson(std::string_view text, const std::string& root) {
  return ParseAs<OrderedJson>(text, root);
}

std::string MemberPath(const std::string& path, std::string_view key) {
  if (IsPlainWord(key)) return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  return fmt::format("{}[{}]", path,
                     Json(std::string(key)).dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string ElementPath(const std::string& path, size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::string Describe(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return j.get<bool>() ? "true" : "false";
    case Json::value_t::string: return "a string";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "the number " + j.dump();
    case Json::value_t::array: return fmt::format("an array of {}", j.size());
    case Json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  // Error path only, but a crafted file must not make it slow: short words, bounded lists.
  constexpr size_t kMaxWord = 64;
  if (candidates.size() > 10'000 || word.size() > kMaxWord) return "";
  std::string best;
  size_t best_distance = std::max<size_t>(1, std::min<size_t>(3, word.size() / 3)) + 1;
  for (const std::string& c : candidates) {
    if (c.size() > kMaxWord) continue;
    size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best = ClosestMatch(word, candidates);
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

const std::string& AsString(const Json& j, const std::string& path) {
  if (!j.is_string()) Expected("a string", j, path);
  return j.get_ref<const std::string&>();
}

double AsNumber(const Json& j, const std::string& path) {
  if (!j.is_number()) Expected("a number", j, path);
  double v = j.get<double>();
  if (!std::isfinite(v)) Fail(path, "number out of range");
  return v;
}

int64_t AsInteger(const Json& j, const std::string& path) {
  if (j.is_number_unsigned()) {
    if (j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) Fail(path, "integer out of range");
    return static_cast<int64_t>(j.get<uint64_t>());
  }
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number_float()) {
    double v = j.get<double>();
    // 2^63 itself does not fit; every double below it in magnitude that is integral does.
    if (v == std::floor(v) && std::fabs(v) < 9223372036854775808.0) return static_cast<int64_t>(v);
  }
  Expected("an integer", j, path);
}

bool AsBool(const Json& j, const std::string& path) {
  if (!j.is_boolean()) Expected("true or false", j, path);
  return j.get<bool>();
}

const Json& AsArray(const Json& j, const std::string& path) {
  if (!j.is_array()) Expected("an array", j, path);
  return j;
}

const Json& AsObject(const Json& j, const std::string& path) {
  if (!j.is_object()) Expected("an object", j, path);
  return j;
}

ObjectReader::ObjectReader(const Json& j, std::string path,
                           std::initializer_list<const char*> allowed)
    : j_(AsObject(j, path)), path_(std::move(path)) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, value] : j_.items()) {
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    std::string hint = DidYouMean(key, names);
    if (hint.empty()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      hint = fmt::format(" (expected {})", list);
    }
    Fail(path_, fmt::format("unknown field '{}'{}", key, hint));
  }
}

bool ObjectReader::Has(std::string_view key) const { return Find(key) != nullptr; }

const Json* ObjectReader::Find(std::string_view key) const {
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

const Json& ObjectReader::Required(std::string_view key) const {
  const Json* v = Find(key);
  if (v == nullptr) Fail(path_, fmt::format("missing field '{}'", key));
  return *v;
}

std::string ObjectReader::String(std::string_view key) const {
  return AsString(Required(key), PathOf(key));
}

std::string ObjectReader::StringOr(std::string_view key, std::string fallback) const {
  const Json* v = Find(key);
  return v ? AsString(*v, PathOf(key)) : fallback;
}

double ObjectReader::Number(std::string_view key) const {
  return AsNumber(Required(key), PathOf(key));
}

double ObjectReader::NumberOr(std::string_view key, double fallback) const {
  const Json* v = Find(key);
  return v ? AsNumber(*v, PathOf(key)) : fallback;
}

int64_t ObjectReader::Integer(std::string_view key) const {
  return AsInteger(Required(key), PathOf(key));
}

bool ObjectReader::BoolOr(std::string_view key, bool fallback) const {
  const Json* v = Find(key);
  return v ? AsBool(*v, PathOf(key)) : fallback;
}

}  // namespace shuttle::json_internal
