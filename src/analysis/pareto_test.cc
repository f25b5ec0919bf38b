#include <gtest/gtest.h>

#include <random>

#include "analysis/analysis_test_util.h"
#include "analysis/internal.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

std::vector<Point> Points(const std::vector<std::vector<double>>& utilities) {
  std::vector<Point> out;
  for (size_t i = 0; i < utilities.size(); ++i)
    out.push_back({{static_cast<uint32_t>(i)}, utilities[i]});
  return out;
}

TEST(ParetoFilterTest, KeepsNonDominatedSortedByFirstPartyDescending) {
  auto f = ParetoFilter(Points({{0.2, 0.9}, {0.5, 0.5}, {0.4, 0.4}, {0.9, 0.1}, {0.5, 0.3}}));
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].outcome[0], 3u);
  EXPECT_EQ(f[1].outcome[0], 1u);
  EXPECT_EQ(f[2].outcome[0], 0u);
}

TEST(ParetoFilterTest, IgnoresDominatedTies) {
  // Same first utility, lower second: dominated even though not strictly worse everywhere.
  auto f = ParetoFilter(Points({{0.5, 0.2}, {0.5, 0.7}, {0.3, 0.7}}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].outcome[0], 1u);
}

TEST(ParetoFilterTest, KeepsOnePointPerUtilityVectorWithinTolerance) {
  double a = 0.1 + 0.2;  // 0.30000000000000004
  auto f = ParetoFilter(Points({{0.3, 0.6}, {a, 0.6}, {0.6, 0.3}, {0.6, 0.3 + 1e-14}}));
  EXPECT_EQ(f.size(), 2u);
  // A point better by less than the tolerance does not make the other one dominated-and-kept twice,
  // and a point worse only within tolerance on one side is dominated by a clearly better one.
  auto g = ParetoFilter(Points({{0.5 + 1e-15, 0.2}, {0.5, 0.8}}));
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].outcome[0], 1u);
}

TEST(ParetoFilterTest, EmptyInputGivesEmptyFrontier) { EXPECT_TRUE(ParetoFilter({}).empty()); }

TEST(ParetoFilterTest, ThreeAndFourPartyFiltersMatchPairwiseCheck) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 40; ++trial) {
    for (size_t n : {2u, 3u, 4u, 5u, 6u}) {
      // Coordinates on a coarse grid so that ties and duplicates are frequent.
      std::vector<std::vector<double>> raw;
      for (int i = 0; i < 300; ++i) {
        std::vector<double> u;
        for (size_t k = 0; k < n; ++k) u.push_back((rng() % 8) / 8.0);
        raw.push_back(u);
      }
      std::vector<testing::BruteOutcome> all;
      for (auto& u : raw) all.push_back({{}, u, true, true});
      auto expected = testing::BruteFrontier(all);
      auto got = testing::UtilityVectors(ParetoFilter(Points(raw)));
      EXPECT_EQ(got.size(), expected.size()) << "n=" << n;
      EXPECT_TRUE(testing::AllMatched(got, expected, 0));
      EXPECT_TRUE(testing::AllMatched(expected, got, 0));
      for (size_t i = 1; i < got.size(); ++i) EXPECT_GE(got[i - 1][0], got[i][0]);
    }
  }
}

TEST(FrontierAccumulatorTest, StreamingEqualsOneFilter) {
  std::mt19937 rng(9);
  analysis_internal::FrontierAccumulator acc(2, /*buffer=*/16);
  std::vector<Point> all;
  for (uint32_t i = 0; i < 1000; ++i) {
    std::vector<double> u = {(rng() % 1000) / 1000.0, (rng() % 1000) / 1000.0};
    acc.Add(&i, 1, u.data());
    all.push_back({{i}, u});
  }
  auto streamed = acc.Finish();
  auto direct = ParetoFilter(all);
  ASSERT_EQ(streamed.size(), direct.size());
  for (size_t i = 0; i < direct.size(); ++i) EXPECT_EQ(streamed[i].utilities, direct[i].utilities);
}

}  // namespace
}  // namespace shuttle
