// A fixed one-minute window per address, and a one-minute block once it overflows.
#include "service/rate_limiter.h"

#include <cstdint>
#include <vector>

namespace shuttle::service_internal {
namespace {
constexpr int64_t kMinuteMs = 60'000;
}  // namespace

int64_t RateLimiter::BlockedFor(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(address);
  const Entry& e = it != entries_.end() ? it->second : overflow_;
  if (it == entries_.end() && entries_.size() < capacity_) return 0;  // Not counted anywhere.
  if (e.blocked_until <= now_ms) return 0;
  return (e.blocked_until - now_ms + 999) / 1000;
}

void RateLimiter::Fail(const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  Entry& e = EntryFor(address, now_ms);
  if (now_ms - e.window_start >= kMinuteMs) {
    e.window_start = now_ms;
    e.failures = 0;
  }
  if (++e.failures > per_minute_) e.blocked_until = now_ms + kMinuteMs;
}

RateLimiter::Entry& RateLimiter::EntryFor(const std::string& address, int64_t now_ms) {
  auto it = entries_.find(address);
  if (it != entries_.end()) return it->second;
  if (entries_.size() >= capacity_ && !MakeRoom(now_ms)) return overflow_;
  return entries_[address];
}

bool RateLimiter::MakeRoom(int64_t now_ms) {
  // Idle entries first (no block, window over), then the unblocked entry whose window is oldest.
  std::vector<std::string> idle;
  const std::string* oldest = nullptr;
  int64_t oldest_start = INT64_MAX;
  for (const auto& [address, e] : entries_) {
    if (e.blocked_until > now_ms) continue;
    if (now_ms - e.window_start >= kMinuteMs) idle.push_back(address);
    if (e.window_start < oldest_start) oldest_start = e.window_start, oldest = &address;
  }
  if (!idle.empty()) {
    for (const std::string& a : idle) entries_.erase(a);
    return true;
  }
  if (oldest == nullptr) return false;
  entries_.erase(*oldest);
  return true;
}

}  // namespace shuttle::service_internal
