// Analysis of GENIUS constraint profiles: exact by enumeration when the space is small enough,
// otherwise sampled and labelled inexact, means included.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis_test_util.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

using Kind = ZeroConstraint::Kind;

// 5 x 3 x 4 = 60 outcomes. Two parties with opposed ranks; the buyer's utility is 0 whenever the
// price is positive and the terms are "cash" (an inclusive outcome constraint), and the seller's
// delivery term is 0 when delivery is "slow" and the price is "2".
Scenario ConstraintScenario() {
  Scenario s;
  s.space = OutcomeSpace({Issue::Integer("price", -2, 2),
                          Issue::Discrete("terms", {"cash", "credit", "barter"}),
                          Issue::Discrete("delivery", {"fast", "normal", "slow", "none"})});
  Profile buyer;
  buyer.kind = ProfileKind::kConstraint;
  buyer.ranks = {{0, {5, 4, 3, 2, 1}}, {1, {1, 3, 2}}, {2, {4, 3, 2, 1}}};
  buyer.constraints = {
      {Kind::kInclusiveOutcome, -1, {{0, "numeric=positive"}, {1, "cash"}}, {}, {}, 0, 0}};
  Profile seller;
  seller.kind = ProfileKind::kConstraint;
  seller.ranks = {{0, {1, 2, 3, 4, 5}}, {1, {3, 1, 2}}, {2, {1, 2, 4, 3}}};
  seller.constraints = {{Kind::kZero, 2, {{2, "slow"}, {0, "2"}}, {}, {}, 0, 0}};
  seller.reservation_value = 0.3;
  s.parties = {{"buyer", buyer}, {"seller", seller}};
  return s;
}

TEST(ConstraintAnalysisTest, SmallSpaceIsEnumeratedExactly) {
  Scenario s = ConstraintScenario();
  auto a = Analyze(s);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(a->pareto.exact);
  EXPECT_EQ(a->pareto.method, "enumeration");
  auto u = testing::CompileOrDie(s);
  auto all = testing::EnumerateAll(s.space, u);
  auto front = testing::BruteFrontier(all);
  EXPECT_TRUE(testing::AllMatched(testing::UtilityVectors(a->pareto.points), front, 1e-12));
  EXPECT_TRUE(testing::AllMatched(front, testing::UtilityVectors(a->pareto.points), 1e-12));
  auto brute = testing::SolveBrute(all, {0, 0.3});
  EXPECT_TRUE(a->zopa.exact);
  EXPECT_EQ(a->zopa.size, static_cast<double>(brute.acceptable));
  ASSERT_TRUE(brute.any);
  EXPECT_EQ(a->ideal, brute.ideal);
  EXPECT_TRUE(a->means_exact);
  for (size_t k = 0; k < u.size(); ++k) {
    double mean = 0;
    for (const auto& b : all) mean += b.utilities[k];
    EXPECT_NEAR(a->mean_utilities[k], mean / 60, 1e-12);
  }
  // The buyer's own best, (-2, credit, fast) = (5/5 + 3/3 + 4/4) / 3, is on the frontier.
  EXPECT_EQ(a->pareto.points.front().utilities[0], 1.0);
}

TEST(ConstraintAnalysisTest, BeyondTheLimitEverythingIsSampledAndLabelled) {
  Scenario s = ConstraintScenario();
  AnalysisOptions options;
  options.enumerate_limit = 10;
  options.samples = 500;
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->pareto.exact);
  EXPECT_NE(a->pareto.method.find("sampling + local search"), std::string::npos);
  EXPECT_FALSE(a->zopa.exact);
  EXPECT_FALSE(a->means_exact);
  auto u = testing::CompileOrDie(s);
  ASSERT_FALSE(a->pareto.points.empty());
  for (const Point& p : a->pareto.points) {
    for (size_t k = 0; k < u.size(); ++k) EXPECT_EQ(p.utilities[k], u[k].Evaluate(p.outcome));
  }
  for (double mean : a->mean_utilities) {
    EXPECT_GT(mean, 0);
    EXPECT_LT(mean, 1);
  }
}

}  // namespace
}  // namespace shuttle
