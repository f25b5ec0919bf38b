#include "strategy/utility_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "strategy/rng.h"

namespace shuttle::strategy {
namespace {

// What the exact index used to do: std::stable_sort of (utility, code) by utility alone.
std::vector<std::pair<double, uint32_t>> Reference(const std::vector<double>& utilities) {
  std::vector<std::pair<double, uint32_t>> entries;
  for (size_t i = 0; i < utilities.size(); ++i)
    entries.emplace_back(utilities[i], static_cast<uint32_t>(i));
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

// Same codes in the same order, and the same utilities bit for bit (-0.0 is not +0.0 here).
void ExpectSameOrder(const std::vector<double>& utilities, const std::string& what) {
  std::vector<double> sorted;
  std::vector<uint32_t> codes;
  SortByUtility(utilities, &sorted, &codes);
  const auto reference = Reference(utilities);
  ASSERT_EQ(sorted.size(), reference.size()) << what;
  ASSERT_EQ(codes.size(), reference.size()) << what;
  for (size_t k = 0; k < reference.size(); ++k) {
    ASSERT_EQ(codes[k], reference[k].second) << what << ", position " << k;
    ASSERT_EQ(std::bit_cast<uint64_t>(sorted[k]), std::bit_cast<uint64_t>(reference[k].first))
        << what << ", position " << k;
  }
}

std::vector<double> Generate(size_t n, const std::function<double()>& draw) {
  std::vector<double> out(n);
  for (double& u : out) u = draw();
  return out;
}

TEST(UtilitySortTest, OrderedKeyOrdersLikeTheDoubles) {
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  const std::vector<double> ascending = {-inf, -1e300, -1.5, -1.0, -0.1, -tiny, 0.0,
                                         tiny, 1e-300, 0.1,  0.5,  1.0,  1e300, inf};
  for (size_t a = 0; a < ascending.size(); ++a) {
    for (size_t b = 0; b < ascending.size(); ++b) {
      EXPECT_EQ(OrderedKey(ascending[a]) < OrderedKey(ascending[b]), a < b)
          << ascending[a] << " vs " << ascending[b];
    }
  }
  EXPECT_EQ(OrderedKey(-0.0), OrderedKey(0.0));
  EXPECT_EQ(OrderedKey(std::nextafter(0.5, 1.0)), OrderedKey(0.5) + 1);
}

TEST(UtilitySortTest, MatchesAStableSortWithTiesAndNegativeValues) {
  Rng rng(7);
  for (size_t n : {0, 1, 2, 31, 32, 33, 1000, 50'000}) {
    // Multiples of 1/8 in [-1.25, 1.25]: many ties, zero among them, as -0.0 or +0.0 at random.
    ExpectSameOrder(Generate(n,
                             [&] {
                               const double u = (static_cast<double>(rng.Below(21)) - 10) / 8;
                               return u == 0 && rng.Below(2) == 0 ? -0.0 : u;
                             }),
                    "eighths, n = " + std::to_string(n));
    ExpectSameOrder(Generate(n, [&] { return 2 * rng.Unit() - 1; }),
                    "uniform in [-1, 1), n = " + std::to_string(n));
    // Sums of a few random terms, as an index holds: some distinct sums round to one double.
    ExpectSameOrder(
        Generate(n,
                 [&] { return 0.1 * rng.Unit() + 0.2 * rng.Unit() + 0.3 * rng.Below(3) - 0.25; }),
        "sums, n = " + std::to_string(n));
  }
}

TEST(UtilitySortTest, MatchesAStableSortWhenOneBucketHoldsAlmostEverything) {
  // Neighbouring doubles around 0.5 (a few hundred distinct, each repeated) between far outliers:
  // the first bucketing puts nearly everything in one bucket, which is bucketed again.
  Rng rng(11);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> utilities = Generate(20'000, [&] {
    double u = 0.5;
    for (uint64_t steps = rng.Below(300); steps > 0; --steps) u = std::nextafter(u, 1.0);
    return rng.Below(2) == 0 ? u : -u;
  });
  utilities[17] = -inf;
  utilities[18] = 1e300;
  utilities[19'999] = -1e-300;
  ExpectSameOrder(utilities, "clustered");
  ExpectSameOrder(std::vector<double>(5'000, 0.3), "all equal");
}

}  // namespace
}  // namespace shuttle::strategy
