// The cell search for two parties' hyper-rectangle frontiers (rectangle_frontier.cc), checked
// against brute force on small spaces, and Analyze's use of it beyond the enumeration limit.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "analysis/analysis_test_util.h"
#include "analysis/internal.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

using analysis_internal::RectangleFrontier;
using analysis_internal::RectangleGap;
using analysis_internal::RectangleSearchOptions;
using analysis_internal::RectangleSearchResult;

struct Shape {
  int issues = 4;
  int values = 5;
  int boxes = 8;
  bool integer_weights = true;  // Many exact ties between sums.
  bool negative = false;        // Some boxes of negative utility.
  bool red_lines = false;
};

HyperRectangle RandomBox(std::mt19937* rng, const Shape& shape) {
  auto below = [&](int n) { return static_cast<int>((*rng)() % static_cast<uint32_t>(n)); };
  HyperRectangle r;
  r.utility = shape.integer_weights ? 1 + below(9) : 0.1 + 0.01 * below(1000);
  if (shape.negative && below(4) == 0) r.utility = -r.utility;
  int constrained = 1 + below(3);
  for (int c = 0; c < constrained; ++c) {
    int lo = below(shape.values), hi = lo + below(shape.values - lo);
    // An issue may be bounded twice: the box is the intersection.
    r.bounds.push_back({below(shape.issues), static_cast<double>(lo), static_cast<double>(hi)});
  }
  return r;
}

Scenario RandomScenario(uint32_t seed, const Shape& shape) {
  std::mt19937 rng(seed);
  std::vector<Issue> issues;
  for (int i = 0; i < shape.issues; ++i)
    issues.push_back(Issue::Integer("x" + std::to_string(i), 0, shape.values - 1));
  Scenario s;
  s.name = "rectangles" + std::to_string(seed);
  s.space = OutcomeSpace(issues);
  for (int k = 0; k < 2; ++k) {
    Profile p;
    p.kind = ProfileKind::kHyperRectangles;
    for (int b = 0; b < shape.boxes; ++b) p.rectangles.push_back(RandomBox(&rng, shape));
    if (rng() % 3 == 0) p.rectangles.push_back({2, {}});  // Everywhere.
    p.max_utility = rng() % 2 ? 0 : 17;
    if (shape.red_lines && rng() % 2) {
      RedLine r;
      r.kind = RedLine::Kind::kAtMost;
      r.issue = static_cast<int>(rng() % static_cast<uint32_t>(shape.issues));
      r.bound = static_cast<double>(rng() % static_cast<uint32_t>(shape.values));
      p.red_lines.push_back(r);
    }
    s.parties.push_back({"p" + std::to_string(k), p});
  }
  return s;
}

// Every point is a real outcome crossing no red line, with the utilities Evaluate gives.
void ExpectRealOutcomes(const std::vector<Point>& points, const std::vector<Utility>& u) {
  for (const Point& p : points) {
    for (size_t k = 0; k < u.size(); ++k) {
      EXPECT_EQ(p.utilities[k], u[k].Evaluate(p.outcome));
      EXPECT_TRUE(u[k].Allows(p.outcome.data()));
    }
  }
}

void ExpectExactFrontier(const Scenario& s) {
  SCOPED_TRACE(s.name);
  auto u = testing::CompileOrDie(s);
  RectangleSearchResult r = RectangleFrontier(s.space, u, RectangleSearchOptions{});
  EXPECT_TRUE(r.exact);
  EXPECT_TRUE(r.upper.empty());
  auto front = testing::BruteFrontier(testing::EnumerateAll(s.space, u));
  auto found = testing::UtilityVectors(r.points);
  EXPECT_TRUE(testing::AllMatched(found, front, 1e-12));
  EXPECT_TRUE(testing::AllMatched(front, found, 1e-12));
  EXPECT_EQ(found.size(), front.size());
  ExpectRealOutcomes(r.points, u);
}

TEST(RectangleFrontierTest, MatchesBruteForceWithIntegerUtilities) {
  for (uint32_t seed = 1; seed <= 60; ++seed) ExpectExactFrontier(RandomScenario(seed, {}));
}

TEST(RectangleFrontierTest, MatchesBruteForceWithRealUtilitiesAndManyBoxes) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    ExpectExactFrontier(
        RandomScenario(seed, {.issues = 5, .values = 4, .boxes = 20, .integer_weights = false}));
  }
}

TEST(RectangleFrontierTest, MatchesBruteForceWithNegativeBoxesAndRedLines) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    ExpectExactFrontier(RandomScenario(
        seed, {.issues = 4, .values = 5, .boxes = 10, .negative = true, .red_lines = true}));
  }
}

// Issues x and y in 0..3. The buyer gains 4 for x <= 1, and 2 more for x = 0 with y >= 2; the
// seller gains 3 for x >= 1 and 2 for y <= 1. By cases: x = 0 gives (6, 0) with y >= 2 and (4, 2)
// with y <= 1; x = 1 gives (4, 3) and (4, 5); x >= 2 gives (0, 3) and (0, 5). The frontier is
// (6, 0) and (4, 5).
TEST(RectangleFrontierTest, HandWorkedTwoIssueExample) {
  Scenario s;
  s.space = OutcomeSpace({Issue::Integer("x", 0, 3), Issue::Integer("y", 0, 3)});
  Profile buyer, seller;
  buyer.kind = seller.kind = ProfileKind::kHyperRectangles;
  buyer.rectangles = {{4, {{0, 0, 1}}}, {2, {{0, 0, 0}, {1, 2, 3}}}};
  seller.rectangles = {{3, {{0, 1, 3}}}, {2, {{1, 0, 1}}}};
  s.parties = {{"buyer", buyer}, {"seller", seller}};
  auto u = testing::CompileOrDie(s);
  RectangleSearchResult r = RectangleFrontier(s.space, u, {});
  ASSERT_TRUE(r.exact);
  ASSERT_EQ(r.points.size(), 2u);
  EXPECT_EQ(r.points[0].utilities, (std::vector<double>{6, 0}));
  EXPECT_EQ(r.points[0].outcome[0], 0u);
  EXPECT_GE(r.points[0].outcome[1], 2u);
  EXPECT_EQ(r.points[1].utilities, (std::vector<double>{4, 5}));
  EXPECT_EQ(r.points[1].outcome[0], 1u);
  EXPECT_LE(r.points[1].outcome[1], 1u);
}

TEST(RectangleFrontierTest, EmptyWhenARedLineForbidsAWholeIssue) {
  Scenario s = RandomScenario(3, {});
  RedLine r;
  r.kind = RedLine::Kind::kAtMost;
  r.issue = 1;
  r.bound = -1;
  s.parties[0].profile.red_lines = {r};
  RectangleSearchResult result = RectangleFrontier(s.space, testing::CompileOrDie(s), {});
  EXPECT_TRUE(result.exact);
  EXPECT_TRUE(result.points.empty());
}

// Past its limit the search drops partial outcomes, and its upper bounds cover what it dropped:
// every outcome is weakly dominated by a point found or by an upper bound.
TEST(RectangleFrontierTest, PastTheLimitUpperBoundsCoverEveryOutcome) {
  int inexact = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    Scenario s =
        RandomScenario(seed, {.issues = 5, .values = 4, .boxes = 12, .negative = seed % 2 == 0});
    auto u = testing::CompileOrDie(s);
    RectangleSearchOptions o;
    o.limit = 3;
    RectangleSearchResult r = RectangleFrontier(s.space, u, o);
    ExpectRealOutcomes(r.points, u);
    if (!r.exact) ++inexact;
    for (const auto& b : testing::EnumerateAll(s.space, u)) {
      if (!b.red_line_free) continue;
      bool covered = std::any_of(r.points.begin(), r.points.end(), [&](const Point& p) {
        return testing::Covers(p.utilities, b.utilities, 1e-12);
      });
      covered = covered || std::any_of(r.upper.begin(), r.upper.end(), [&](const auto& up) {
                  return testing::Covers({up[0], up[1]}, b.utilities, 1e-12);
                });
      ASSERT_TRUE(covered) << s.name << ": " << testing::Str(b.utilities);
    }
  }
  EXPECT_GT(inexact, 30);
}

// The largest distance from a point of `exact` to being weakly dominated by a point of `found`.
double Epsilon(const std::vector<std::vector<double>>& exact, const std::vector<Point>& found) {
  double worst = 0;
  for (const auto& e : exact) {
    double best = INFINITY;
    for (const Point& f : found)
      best = std::min(best, std::max({e[0] - f.utilities[0], e[1] - f.utilities[1], 0.0}));
    worst = std::max(worst, best);
  }
  return worst;
}

Scenario Unenumerable(uint32_t seed) {
  return RandomScenario(seed, {.issues = 6, .values = 4, .boxes = 14, .negative = seed % 3 == 0});
}

TEST(RectangleFrontierTest, AnalyzeSearchesBeyondTheEnumerationLimit) {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    Scenario s = Unenumerable(seed);
    s.parties[1].profile.reservation_value = 0.2;
    AnalysisOptions options;
    options.enumerate_limit = 100;
    options.samples = 2000;
    auto a = Analyze(s, options);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(a->pareto.exact);
    EXPECT_EQ(a->pareto.method, "rectangle search");
    EXPECT_EQ(a->pareto.gap, 0.0);
    auto u = testing::CompileOrDie(s);
    auto all = testing::EnumerateAll(s.space, u);
    auto front = testing::BruteFrontier(all);
    EXPECT_TRUE(testing::AllMatched(testing::UtilityVectors(a->pareto.points), front, 1e-12));
    EXPECT_TRUE(testing::AllMatched(front, testing::UtilityVectors(a->pareto.points), 1e-12));
    std::vector<double> rv = {0, 0.2};
    auto brute = testing::SolveBrute(all, rv);
    ASSERT_EQ(a->nash.has_value(), brute.any);
    if (!brute.any) continue;
    EXPECT_EQ(testing::NashValue(a->nash->utilities, rv), brute.nash);
    EXPECT_EQ(testing::KsValue(a->kalai_smorodinsky->utilities, rv, brute.ideal), brute.ks);
    EXPECT_EQ(testing::EgalitarianValue(a->egalitarian->utilities, rv), brute.egalitarian);
    EXPECT_EQ(testing::WelfareValue(a->max_welfare->utilities, rv), brute.welfare);
  }
}

// A limit too small for exactness: the frontier is labelled inexact unless the bound shows it is
// exact after all, and the gap it states is at least its true distance from the exact frontier.
TEST(RectangleFrontierTest, AnalyzePastTheLimitStatesAGapThatHolds) {
  int labelled_inexact = 0;
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    Scenario s = Unenumerable(seed);
    AnalysisOptions options;
    options.enumerate_limit = 100;
    options.samples = 300;
    options.rectangle_search_limit = 2;
    auto a = Analyze(s, options);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto u = testing::CompileOrDie(s);
    ExpectRealOutcomes(a->pareto.points, u);
    auto front = testing::BruteFrontier(testing::EnumerateAll(s.space, u));
    double distance = Epsilon(front, a->pareto.points);
    ASSERT_TRUE(a->pareto.gap.has_value());
    EXPECT_GE(*a->pareto.gap, distance - 1e-12) << s.name;
    if (a->pareto.exact) {
      EXPECT_EQ(*a->pareto.gap, 0.0);
      EXPECT_LE(distance, 1e-12);
    } else {
      ++labelled_inexact;
      EXPECT_GT(*a->pareto.gap, 0.0);
      EXPECT_NE(a->pareto.method.find("rectangle search (2 partial outcomes per issue)"),
                std::string::npos);
    }
  }
  EXPECT_GT(labelled_inexact, 0);
}

TEST(RectangleFrontierTest, GapIsTheAdditiveEpsilonIndicator) {
  std::vector<Point> frontier = {{{}, {1.0, 0.2}}, {{}, {0.6, 0.7}}};
  EXPECT_EQ(RectangleGap(frontier, {}), 0.0);
  EXPECT_EQ(RectangleGap(frontier, {{0.5, 0.5}, {1.0, 0.2}}), 0.0);
  EXPECT_NEAR(RectangleGap(frontier, {{0.9, 0.5}}), 0.3, 1e-15);   // 0.3 from either point.
  EXPECT_NEAR(RectangleGap(frontier, {{0.7, 0.75}}), 0.1, 1e-15);  // From (0.6, 0.7).
  EXPECT_NEAR(RectangleGap(frontier, {{1.1, 0.1}, {0.7, 0.75}}), 0.1, 1e-15);
}

TEST(RectangleFrontierTest, ThreePartiesAreLeftToSampling) {
  Scenario s = Unenumerable(4);
  s.parties.push_back({"third", s.parties[0].profile});
  AnalysisOptions options;
  options.enumerate_limit = 100;
  options.samples = 500;
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->pareto.exact);
  EXPECT_FALSE(a->pareto.gap.has_value());
  EXPECT_NE(a->pareto.method.find("sampling + local search"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
