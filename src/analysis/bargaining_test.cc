#include <gtest/gtest.h>

#include "analysis/analysis_test_util.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

// A frontier whose solutions differ. With rv = 0: Nash products 0, .405, .42, .3844, 0; sums 1,
// 1.35, 1.3, 1.24, 1; minima 0, .45, .6, .62, 0.
std::vector<Point> Frontier() {
  std::vector<std::vector<double>> u = {{1, 0}, {0.9, 0.45}, {0.7, 0.6}, {0.62, 0.62}, {0, 1}};
  std::vector<Point> out;
  for (uint32_t i = 0; i < u.size(); ++i) out.push_back({{i}, u[i]});
  return out;
}

uint32_t Id(const std::optional<Point>& p) { return p ? p->outcome[0] : 99; }

TEST(BargainingTest, EachSolutionMaximizesItsOwnObjective) {
  std::vector<double> rv = {0, 0};
  EXPECT_EQ(Id(NashPoint(Frontier(), rv)), 2u);
  EXPECT_EQ(Id(MaxWelfarePoint(Frontier(), rv)), 1u);
  EXPECT_EQ(Id(EgalitarianPoint(Frontier(), rv)), 3u);
  // Ideal (1, 1): the KS ratios are the utilities themselves, so KS is the egalitarian point here.
  EXPECT_EQ(Id(KalaiSmorodinskyPoint(Frontier(), rv)), 3u);
}

TEST(BargainingTest, ReservationValuesShiftGainsAndTheIdealPoint) {
  // rv = (0.5, 0): rational points are 0..3; ideal = (1, 0.62). KS ratios: point 1
  // min(0.4/0.5, 0.45/0.62) = 0.726, point 2 min(0.4, 0.968), point 3 min(0.24, 1).
  std::vector<double> rv = {0.5, 0};
  EXPECT_EQ(Id(KalaiSmorodinskyPoint(Frontier(), rv)), 1u);
  // Nash gains: 0.4 * 0.45 = 0.18 beats 0.2 * 0.6 = 0.12.
  EXPECT_EQ(Id(NashPoint(Frontier(), rv)), 1u);
  EXPECT_EQ(Id(EgalitarianPoint(Frontier(), rv)), 1u);
}

TEST(BargainingTest, NoRationalCandidateGivesNoSolution) {
  std::vector<double> rv = {0.95, 0.95};
  EXPECT_FALSE(NashPoint(Frontier(), rv));
  EXPECT_FALSE(KalaiSmorodinskyPoint(Frontier(), rv));
  EXPECT_FALSE(EgalitarianPoint(Frontier(), rv));
  EXPECT_FALSE(MaxWelfarePoint(Frontier(), rv));
}

TEST(BargainingTest, ZeroIdealGainCountsAsFullySatisfied) {
  // Only point 0 is rational for party 0 (rv 1): its ideal gain is 0, and KS still answers.
  std::vector<double> rv = {1, 0};
  EXPECT_EQ(Id(KalaiSmorodinskyPoint(Frontier(), rv)), 0u);
}

// On the fast frontier, each solution's objective equals the best over every acceptable outcome.
void ExpectSolutionsMatchBruteForce(const Scenario& s) {
  auto u = testing::CompileOrDie(s);
  std::vector<double> rv;
  for (const Utility& x : u) rv.push_back(x.reservation_value());
  auto frontier = LinearParetoFrontier(s.space, u);
  ASSERT_TRUE(frontier.ok());
  auto brute = testing::SolveBrute(testing::EnumerateAll(s.space, u), rv);
  auto nash = NashPoint(*frontier, rv);
  auto ks = KalaiSmorodinskyPoint(*frontier, rv);
  auto egal = EgalitarianPoint(*frontier, rv);
  auto welfare = MaxWelfarePoint(*frontier, rv);
  ASSERT_EQ(nash.has_value(), brute.any) << s.name;
  ASSERT_EQ(ks.has_value(), brute.any);
  ASSERT_EQ(egal.has_value(), brute.any);
  ASSERT_EQ(welfare.has_value(), brute.any);
  if (!brute.any) return;
  EXPECT_NEAR(testing::NashValue(nash->utilities, rv), brute.nash, 1e-9) << s.name;
  EXPECT_NEAR(testing::KsValue(ks->utilities, rv, brute.ideal), brute.ks, 1e-9) << s.name;
  EXPECT_NEAR(testing::EgalitarianValue(egal->utilities, rv), brute.egalitarian, 1e-9) << s.name;
  EXPECT_NEAR(testing::WelfareValue(welfare->utilities, rv), brute.welfare, 1e-9) << s.name;
}

TEST(BargainingTest, SolutionsOnTheFrontierAreBestOverAllAcceptableOutcomes) {
  int with_solutions = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    for (int parties : {2, 3, 4}) {
      testing::RandomOptions o{.parties = parties,
                               .issues = 4,
                               .max_values = 5,
                               .red_lines = true,
                               .reservation = true,
                               .coarse = seed % 3 == 0};
      Scenario s = testing::RandomLinearScenario(seed, o);
      ExpectSolutionsMatchBruteForce(s);
      auto u = testing::CompileOrDie(s);
      std::vector<double> rv;
      for (const Utility& x : u) rv.push_back(x.reservation_value());
      with_solutions += testing::SolveBrute(testing::EnumerateAll(s.space, u), rv).any;
    }
  }
  EXPECT_GT(with_solutions, 30);  // The sample exercises both outcomes.
  EXPECT_LT(with_solutions, 120);
}

}  // namespace
}  // namespace shuttle
