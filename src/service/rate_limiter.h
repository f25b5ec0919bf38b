// Limits failed token checks per client address (private to src/service).
//
// An address that fails more than `per_minute` checks within a minute is blocked for a minute
// from its last failure; while blocked every request it makes is refused before any token is
// looked at, so guessing costs a minute per `per_minute` guesses. Thread-safe; memory is bounded
// (old entries are dropped once the table grows past a few thousand addresses).
#ifndef SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_
#define SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shuttle::service_internal {

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

  // Seconds the address must wait (0: not blocked). `now_ms` is Unix time in milliseconds.
  int64_t BlockedFor(const std::string& address, int64_t now_ms);
  // Records one failed check.
  void Fail(const std::string& address, int64_t now_ms);

 private:
  struct Entry {
    int64_t window_start = 0;
    int failures = 0;
    int64_t blocked_until = 0;
  };
  void Prune(int64_t now_ms);

  int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_
