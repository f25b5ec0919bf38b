// Limits failed token checks per client address (private to src/service).
//
// An address that fails more than `per_minute` checks within a minute is blocked for a minute
// from its last failure; while blocked, its failed checks are answered 429 (a valid token is never
// refused: the caller checks the token first). Thread-safe; memory is bounded: past `capacity`
// addresses, entries that are neither blocked nor counting are dropped first, then the oldest
// unblocked ones; an active block is never dropped. When every entry is an active block, further
// addresses share one overflow entry, so a flood of new addresses is still counted and blocked
// together instead of lifting anyone's block.
#ifndef SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_
#define SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shuttle::service_internal {

class RateLimiter {
 public:
  explicit RateLimiter(int per_minute, size_t capacity = 4096)
      : per_minute_(per_minute), capacity_(capacity) {}

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
  // Makes room for one more address; false when every entry is an active block.
  bool MakeRoom(int64_t now_ms);
  // The entry counting `address`: its own, or the shared overflow entry when there is no room.
  Entry& EntryFor(const std::string& address, int64_t now_ms);

  int per_minute_;
  size_t capacity_;
  Entry overflow_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_RATE_LIMITER_H_
