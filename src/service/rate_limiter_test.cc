// The bad-token limiter: blocks past the limit, and a flood of other addresses never lifts a block.
#include "service/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace shuttle::service_internal {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;

void FailTimes(RateLimiter* limiter, const std::string& address, int n, int64_t now) {
  for (int i = 0; i < n; ++i) limiter->Fail(address, now);
}

TEST(RateLimiterTest, BlocksAnAddressPastTheLimitForAMinute) {
  RateLimiter limiter(20);
  FailTimes(&limiter, "10.0.0.1", 20, kT0);
  EXPECT_EQ(limiter.BlockedFor("10.0.0.1", kT0), 0);
  limiter.Fail("10.0.0.1", kT0);
  EXPECT_EQ(limiter.BlockedFor("10.0.0.1", kT0), 60);
  EXPECT_EQ(limiter.BlockedFor("10.0.0.2", kT0), 0);
  EXPECT_EQ(limiter.BlockedFor("10.0.0.1", kT0 + 60'000), 0);
}

// Issue 12.5: 4,100 failures from distinct addresses flushed the 4,096-entry table and lifted an
// existing block.
TEST(RateLimiterTest, AFloodOfOtherAddressesDoesNotLiftABlock) {
  RateLimiter limiter(20);
  FailTimes(&limiter, "10.0.0.1", 21, kT0);
  for (int i = 0; i < 10'000; ++i)
    limiter.Fail("127.1." + std::to_string(i / 250) + "." + std::to_string(i % 250), kT0 + 1);
  EXPECT_GT(limiter.BlockedFor("10.0.0.1", kT0 + 2), 0);
}

TEST(RateLimiterTest, WhenEveryEntryIsABlockNewAddressesShareOneOverflowEntry) {
  RateLimiter limiter(2, /*capacity=*/4);
  for (int a = 0; a < 4; ++a) FailTimes(&limiter, "10.0.0." + std::to_string(a), 3, kT0);
  for (int a = 0; a < 4; ++a)
    EXPECT_GT(limiter.BlockedFor("10.0.0." + std::to_string(a), kT0), 0) << a;
  // Three failures from three new addresses: counted together, so they are blocked together.
  EXPECT_EQ(limiter.BlockedFor("10.0.1.1", kT0), 0);
  limiter.Fail("10.0.1.1", kT0);
  limiter.Fail("10.0.1.2", kT0);
  limiter.Fail("10.0.1.3", kT0);
  EXPECT_GT(limiter.BlockedFor("10.0.1.9", kT0), 0);
  for (int a = 0; a < 4; ++a)
    EXPECT_GT(limiter.BlockedFor("10.0.0." + std::to_string(a), kT0), 0) << a;
}

TEST(RateLimiterTest, IdleEntriesMakeRoomBeforeCountingOnes) {
  RateLimiter limiter(20, /*capacity=*/2);
  limiter.Fail("a", kT0);
  FailTimes(&limiter, "b", 21, kT0 + 30'000);
  limiter.Fail("c", kT0 + 70'000);  // "a" is idle by now and goes; "b" is still blocked.
  EXPECT_GT(limiter.BlockedFor("b", kT0 + 70'000), 0);
}

}  // namespace
}  // namespace shuttle::service_internal
