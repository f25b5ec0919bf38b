#include <gtest/gtest.h>

#include <chrono>

#include "analysis/analysis_test_util.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

using testing::RandomLinearScenario;
using testing::RandomOptions;

// The fast frontier and the brute-force one hold the same utility vectors, and each fast point's
// utilities are those of its outcome.
void ExpectSameFrontier(const Scenario& s) {
  auto u = testing::CompileOrDie(s);
  auto fast = LinearParetoFrontier(s.space, u);
  ASSERT_TRUE(fast.ok()) << fast.status().ToString();
  auto brute = testing::BruteFrontier(testing::EnumerateAll(s.space, u));
  auto got = testing::UtilityVectors(*fast);
  EXPECT_EQ(got.size(), brute.size()) << s.name;
  EXPECT_TRUE(testing::AllMatched(got, brute, 1e-9)) << s.name;
  EXPECT_TRUE(testing::AllMatched(brute, got, 1e-9)) << s.name;
  for (const Point& p : *fast) {
    ASSERT_TRUE(s.space.Validate(p.outcome).ok());
    for (size_t k = 0; k < u.size(); ++k) {
      EXPECT_EQ(p.utilities[k], u[k].Evaluate(p.outcome));
      EXPECT_TRUE(u[k].Allows(p.outcome.data()));
    }
  }
  for (size_t i = 1; i < fast->size(); ++i) {
    // Strictly for two parties (one point per first-party utility), weakly for more.
    if (u.size() == 2) EXPECT_GT((*fast)[i - 1].utilities[0], (*fast)[i].utilities[0]);
    EXPECT_GE((*fast)[i - 1].utilities[0], (*fast)[i].utilities[0] - 1e-12)
        << "sorted by party 0 descending";
  }
}

TEST(LinearParetoFrontierTest, MatchesBruteForceForTwoParties) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    ExpectSameFrontier(RandomLinearScenario(seed, {.parties = 2, .issues = 5, .max_values = 5}));
  }
}

TEST(LinearParetoFrontierTest, MatchesBruteForceWithExactTiesInTheReals) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    ExpectSameFrontier(
        RandomLinearScenario(seed, {.parties = 2, .issues = 5, .max_values = 5, .coarse = true}));
    ExpectSameFrontier(
        RandomLinearScenario(seed, {.parties = 3, .issues = 4, .max_values = 4, .coarse = true}));
  }
}

TEST(LinearParetoFrontierTest, MatchesBruteForceForThreeAndFourParties) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    ExpectSameFrontier(RandomLinearScenario(seed, {.parties = 3, .issues = 4, .max_values = 5}));
    ExpectSameFrontier(RandomLinearScenario(seed, {.parties = 4, .issues = 4, .max_values = 4}));
  }
}

TEST(LinearParetoFrontierTest, MatchesBruteForceWithRedLines) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    ExpectSameFrontier(RandomLinearScenario(
        seed, {.parties = 2, .issues = 4, .max_values = 4, .red_lines = true}));
    ExpectSameFrontier(RandomLinearScenario(
        seed, {.parties = 3, .issues = 4, .max_values = 4, .red_lines = true}));
  }
}

TEST(LinearParetoFrontierTest, MatchesEnumeratedFrontier) {
  for (uint32_t seed = 100; seed < 120; ++seed) {
    for (int parties : {2, 3, 4}) {
      Scenario s = RandomLinearScenario(
          seed, {.parties = parties, .issues = 5, .max_values = 4, .red_lines = true});
      auto u = testing::CompileOrDie(s);
      auto fast = LinearParetoFrontier(s.space, u);
      ASSERT_TRUE(fast.ok());
      auto slow = EnumeratedParetoFrontier(s.space, u);
      EXPECT_TRUE(
          testing::AllMatched(testing::UtilityVectors(*fast), testing::UtilityVectors(slow), 1e-9));
      EXPECT_TRUE(
          testing::AllMatched(testing::UtilityVectors(slow), testing::UtilityVectors(*fast), 1e-9));
    }
  }
}

TEST(LinearParetoFrontierTest, RedLinesForbiddingAWholeIssueLeaveNoFrontier) {
  Scenario s = RandomLinearScenario(7, {.parties = 2, .issues = 3, .max_values = 3});
  RedLine r;
  r.kind = RedLine::Kind::kForbid;
  r.issue = 1;
  for (uint32_t v = 0; v < s.space.issue(1).size(); ++v) r.values.push_back(v);
  s.parties[1].profile.red_lines.push_back(r);
  auto fast = LinearParetoFrontier(s.space, testing::CompileOrDie(s));
  ASSERT_TRUE(fast.ok());
  EXPECT_TRUE(fast->empty());
}

TEST(LinearParetoFrontierTest, FailsPastMaxPoints) {
  // Party 0 wants high values, party 1 low ones: every outcome of one issue is Pareto-optimal.
  Scenario s;
  s.space = OutcomeSpace({Issue::Integer("x", 0, 9)});
  for (double slope : {0.1, -0.1}) {
    Profile p;
    p.weights = {1};
    Evaluator e;
    e.kind = EvaluatorKind::kLinearFromLower;
    e.slope = slope;
    e.offset = slope > 0 ? 0 : 0.9;
    p.evaluators = {e};
    s.parties.push_back({"p", p});
  }
  auto u = testing::CompileOrDie(s);
  auto all = LinearParetoFrontier(s.space, u);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 10u);
  auto capped = LinearParetoFrontier(s.space, u, 5);
  EXPECT_EQ(capped.status().code(), StatusCode::kOutOfRange);
}

TEST(LinearParetoFrontierTest, RejectsNonLinearUtilities) {
  Scenario s;
  s.space = OutcomeSpace({Issue::Integer("x", 0, 3)});
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  p.rectangles.push_back({1.0, {{0, 1, 2}}});
  s.parties = {{"a", p}, {"b", p}};
  auto r = LinearParetoFrontier(s.space, testing::CompileOrDie(s));
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
}

TEST(LinearParetoFrontierTest, HugeSpaceIsAnsweredWithoutEnumerating) {
  // 40 issues x 10 values = 10^40 outcomes.
  Scenario s = RandomLinearScenario(3, {.parties = 2, .issues = 40, .max_values = 10});
  for (size_t i = 0; i < s.space.issue_count(); ++i) ASSERT_GE(s.space.issue(i).size(), 1u);
  auto u = testing::CompileOrDie(s);
  auto start = std::chrono::steady_clock::now();
  auto fast = LinearParetoFrontier(s.space, u);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(fast.ok());
  EXPECT_LT(seconds, 30.0);  // Generous (sanitizers); enumeration would never finish.
  ASSERT_FALSE(fast->empty());
  // Mutually non-dominated, and each point is its outcome's utilities.
  for (size_t i = 1; i < fast->size(); ++i) {
    EXPECT_GT((*fast)[i - 1].utilities[0], (*fast)[i].utilities[0]);
    EXPECT_LT((*fast)[i - 1].utilities[1], (*fast)[i].utilities[1]);
  }
  for (const Point& p : *fast) EXPECT_EQ(p.utilities[1], u[1].Evaluate(p.outcome));
  // The extremes are each party's best outcome: the sum of its best value per issue.
  for (size_t k = 0; k < 2; ++k) {
    double best = 0;
    for (size_t j = 0; j < s.space.issue_count(); ++j) {
      double m = 0;
      for (size_t v = 0; v < u[k].IssueSize(j); ++v) m = std::max(m, u[k].Contributions(j)[v]);
      best += m;
    }
    double got = k == 0 ? fast->front().utilities[0] : fast->back().utilities[1];
    EXPECT_NEAR(got, best, 1e-9);
  }
}

}  // namespace
}  // namespace shuttle
