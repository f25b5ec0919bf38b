// A fixed one-minute window per address, and a one-minute block once it overflows.
#include "service/rate_limiter.h"

#include <vector>

namespace shuttle::service_internal {
namespace {
constexpr int64_t kMinuteMs = 60'000;
constexpr size_t kMaxEntries = 4096;
}  // namespace

int64_t RateLimiter::BlockedFor(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end() || it->second.blocked_until <= now_ms) return 0;
  return (it->second.blocked_until - now_ms + 999) / 1000;
}

void RateLimiter::Fail(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kMaxEntries) Prune(now_ms);
  Entry& e = entries_[address];
  if (now_ms - e.window_start >= kMinuteMs) {
    e.window_start = now_ms;
    e.failures = 0;
  }
  if (++e.failures > per_minute_) e.blocked_until = now_ms + kMinuteMs;
}

void RateLimiter::Prune(int64_t now_ms) {
  std::vector<std::string> old;
  for (const auto& [address, e] : entries_) {
    if (e.blocked_until <= now_ms && now_ms - e.window_start >= kMinuteMs) old.push_back(address);
  }
  for (const std::string& a : old) entries_.erase(a);
  // Under a flood of distinct addresses, start afresh rather than grow without bound.
  if (entries_.size() >= kMaxEntries) entries_.clear();
}

}  // namespace shuttle::service_internal
