#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "analysis/analysis_test_util.h"
#include "shuttle/analysis.h"

namespace shuttle {
namespace {

using testing::RandomLinearScenario;

std::vector<double> Rv(const std::vector<Utility>& u) {
  std::vector<double> rv;
  for (const Utility& x : u) rv.push_back(x.reservation_value());
  return rv;
}

void ExpectMatchesBruteForce(const Scenario& s, const AnalysisOptions& options = {}) {
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto u = testing::CompileOrDie(s);
  auto rv = Rv(u);
  auto all = testing::EnumerateAll(s.space, u);
  auto brute = testing::SolveBrute(all, rv);
  EXPECT_EQ(a->reservation_values, rv);
  EXPECT_TRUE(a->pareto.exact);
  auto front = testing::BruteFrontier(all);
  EXPECT_TRUE(testing::AllMatched(testing::UtilityVectors(a->pareto.points), front, 1e-9))
      << s.name;
  EXPECT_TRUE(testing::AllMatched(front, testing::UtilityVectors(a->pareto.points), 1e-9))
      << s.name;
  // ZOPA, ideal, solutions.
  EXPECT_TRUE(a->zopa.exact);
  EXPECT_EQ(a->zopa.size, static_cast<double>(brute.acceptable)) << s.name;
  EXPECT_EQ(a->zopa.count.ToString(), std::to_string(brute.acceptable));
  ASSERT_EQ(a->nash.has_value(), brute.any);
  if (brute.any) {
    ASSERT_EQ(a->ideal.size(), rv.size());
    for (size_t k = 0; k < rv.size(); ++k) EXPECT_NEAR(a->ideal[k], brute.ideal[k], 1e-9);
    EXPECT_NEAR(testing::NashValue(a->nash->utilities, rv), brute.nash, 1e-9);
    EXPECT_NEAR(testing::KsValue(a->kalai_smorodinsky->utilities, rv, brute.ideal), brute.ks, 1e-9);
    EXPECT_NEAR(testing::EgalitarianValue(a->egalitarian->utilities, rv), brute.egalitarian, 1e-9);
    EXPECT_NEAR(testing::WelfareValue(a->max_welfare->utilities, rv), brute.welfare, 1e-9);
  } else {
    EXPECT_TRUE(a->ideal.empty());
    EXPECT_FALSE(a->kalai_smorodinsky || a->egalitarian || a->max_welfare);
  }
  // Means over the whole space, opposition over the red-line-free outcomes.
  std::vector<double> mean(rv.size(), 0);
  double opposition = INFINITY;
  for (const auto& b : all) {
    for (size_t k = 0; k < rv.size(); ++k)
      mean[k] += b.utilities[k] / static_cast<double>(all.size());
    if (!b.red_line_free) continue;
    double d = 0;
    for (double x : b.utilities) d += (1 - std::min(x, 1.0)) * (1 - std::min(x, 1.0));
    opposition = std::min(opposition, std::sqrt(d));
  }
  for (size_t k = 0; k < rv.size(); ++k) EXPECT_NEAR(a->mean_utilities[k], mean[k], 1e-9);
  EXPECT_TRUE(a->means_exact);
  if (std::isinf(opposition)) {
    EXPECT_TRUE(std::isnan(a->opposition));
  } else {
    EXPECT_NEAR(a->opposition, opposition, 1e-9);
  }
}

TEST(AnalyzeTest, LinearScenariosMatchBruteForce) {
  for (uint32_t seed = 1; seed <= 25; ++seed) {
    for (int parties : {2, 3, 4}) {
      ExpectMatchesBruteForce(RandomLinearScenario(seed, {.parties = parties,
                                                          .issues = 4,
                                                          .max_values = 5,
                                                          .red_lines = true,
                                                          .reservation = true}));
    }
  }
}

// Hyper-rectangle utilities over integer issues 0..size-1.
Profile RandomRectangles(std::mt19937* rng, const OutcomeSpace& space, int boxes) {
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  for (int b = 0; b < boxes; ++b) {
    HyperRectangle r;
    r.utility = ((*rng)() % 100) / 10.0 - 2;  // Some negative, as in ANAC 2014.
    for (int i = 0; i < static_cast<int>(space.issue_count()); ++i) {
      if ((*rng)() % 2) continue;
      int n = static_cast<int>(space.issue(i).size());
      int lo = static_cast<int>((*rng)() % n), hi = lo + static_cast<int>((*rng)() % (n - lo));
      r.bounds.push_back({i, static_cast<double>(lo), static_cast<double>(hi)});
    }
    p.rectangles.push_back(r);
  }
  p.max_utility = 10;
  return p;
}

Scenario RectangleScenario(uint32_t seed, int issues, int values, int parties = 2) {
  std::mt19937 rng(seed);
  std::vector<Issue> is;
  for (int i = 0; i < issues; ++i)
    is.push_back(Issue::Integer("i" + std::to_string(i), 0, values - 1));
  Scenario s;
  s.space = OutcomeSpace(is);
  for (int k = 0; k < parties; ++k) {
    Profile p = RandomRectangles(&rng, s.space, 12);
    p.reservation_value = 0.05 * k;
    s.parties.push_back({"p" + std::to_string(k), p});
  }
  return s;
}

TEST(AnalyzeTest, SmallHyperRectangleScenariosAreEnumeratedExactly) {
  for (uint32_t seed = 1; seed <= 15; ++seed) {
    Scenario s = RectangleScenario(seed, 4, 5, seed % 2 ? 2 : 3);
    ExpectMatchesBruteForce(s);
    EXPECT_EQ(Analyze(s)->pareto.method, "enumeration");
  }
}

TEST(AnalyzeTest, LargeHyperRectangleSpaceIsApproximatedAndLabelledWithoutTheSearch) {
  Scenario s = RectangleScenario(3, 12, 10);  // 10^12 outcomes.
  AnalysisOptions options;
  options.samples = 20'000;
  options.rectangle_search_limit = 0;
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->pareto.exact);
  EXPECT_FALSE(a->pareto.gap.has_value());
  EXPECT_EQ(a->pareto.method, "sampling + local search (20000 samples, seed 1)");
  EXPECT_FALSE(a->zopa.exact);
  EXPECT_TRUE(a->means_exact);
  ASSERT_FALSE(a->pareto.points.empty());
  auto u = testing::CompileOrDie(s);
  for (const Point& p : a->pareto.points) {
    for (size_t k = 0; k < u.size(); ++k) EXPECT_EQ(p.utilities[k], u[k].Evaluate(p.outcome));
  }
  // Same seed, same answer.
  auto b = Analyze(s, options);
  EXPECT_EQ(testing::UtilityVectors(a->pareto.points), testing::UtilityVectors(b->pareto.points));
}

TEST(AnalyzeTest, HyperRectangleMeansAreExactWithoutEnumerating) {
  Scenario small = RectangleScenario(8, 5, 4);
  auto a = Analyze(small);
  ASSERT_TRUE(a.ok());
  auto u = testing::CompileOrDie(small);
  auto all = testing::EnumerateAll(small.space, u);
  for (size_t k = 0; k < u.size(); ++k) {
    double mean = 0;
    for (const auto& b : all) mean += b.utilities[k];
    EXPECT_NEAR(a->mean_utilities[k], mean / static_cast<double>(all.size()), 1e-12);
  }
}

TEST(AnalyzeTest, ZopaBeyondTheEnumerationLimitIsAnEstimate) {
  Scenario s =
      RandomLinearScenario(11, {.parties = 2, .issues = 6, .max_values = 6, .reservation = true});
  s.parties[0].profile.reservation_value = 0.4;
  s.parties[1].profile.reservation_value = 0.4;
  auto u = testing::CompileOrDie(s);
  auto brute = testing::SolveBrute(testing::EnumerateAll(s.space, u), Rv(u));
  ASSERT_GT(brute.acceptable, 0u);
  AnalysisOptions options;
  options.enumerate_limit = 10;
  options.samples = 100'000;
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->zopa.exact);
  EXPECT_EQ(a->zopa.method, "sampling (100000 outcomes)");
  double total = s.space.cardinality().ToDouble();
  double p = static_cast<double>(brute.acceptable) / total;
  // Five standard deviations of the sampled fraction.
  EXPECT_NEAR(a->zopa.size / total, p, 5 * std::sqrt(p * (1 - p) / 100'000) + 1e-9);
  EXPECT_TRUE(a->pareto.exact);  // The linear frontier never needs enumeration.
}

TEST(AnalyzeTest, ZopaIsExactForHugeSpacesWhenEveryOutcomeIsRational) {
  Scenario s = RandomLinearScenario(4, {.parties = 2, .issues = 30, .max_values = 10});
  auto a = Analyze(s);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->zopa.exact);
  EXPECT_EQ(a->zopa.count.ToString(), s.space.cardinality().ToString());
}

TEST(AnalyzeTest, ZopaIsExactlyEmptyWhenNoParetoPointIsRational) {
  Scenario s = RandomLinearScenario(4, {.parties = 2, .issues = 30, .max_values = 10});
  s.parties[0].profile.reservation_value = 0.99;
  s.parties[1].profile.reservation_value = 0.99;
  auto a = Analyze(s);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->zopa.exact);
  EXPECT_EQ(a->zopa.size, 0);
  EXPECT_FALSE(a->nash);
  EXPECT_TRUE(a->ideal.empty());
}

TEST(AnalyzeTest, FrontierPastMaxPointsIsThinnedAndMarkedInexact) {
  Scenario s = RandomLinearScenario(5, {.parties = 2, .issues = 8, .max_values = 6});
  auto full = Analyze(s);
  ASSERT_TRUE(full.ok());
  ASSERT_GT(full->pareto.points.size(), 6u);
  AnalysisOptions options;
  options.max_frontier_points = 5;
  auto a = Analyze(s, options);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->pareto.exact);
  EXPECT_LE(a->pareto.points.size(), 5u);
  EXPECT_NE(a->pareto.method.find("thinned"), std::string::npos);
}

TEST(AnalyzeTest, RejectsFewerThanTwoParties) {
  Scenario s = RandomLinearScenario(1, {.parties = 2});
  s.parties.pop_back();
  EXPECT_EQ(Analyze(s).status().code(), StatusCode::kInvalidArgument);
}

TEST(AnalyzeTest, RejectsContinuousIssues) {
  Scenario s;
  s.space = OutcomeSpace({Issue::Real("price", 0, 10)});
  Profile p;
  p.weights = {1};
  Evaluator e;
  e.kind = EvaluatorKind::kLinear;
  e.p1 = 0.1;
  p.evaluators = {e};
  s.parties = {{"a", p}, {"b", p}};
  auto a = Analyze(s);
  EXPECT_EQ(a.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(a.status().message().find("price"), std::string::npos);
  auto d = s.Discretized(1);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(Analyze(*d).ok());
}

class RecordingProgress : public Progress {
 public:
  void Update(std::string_view task, double fraction) override {
    ++calls;
    last = fraction;
    EXPECT_GE(fraction, 0);
    EXPECT_LE(fraction, 1);
  }
  int calls = 0;
  double last = -1;
};

TEST(AnalyzeTest, ReportsProgressWhileEnumerating) {
  Scenario s =
      RandomLinearScenario(2, {.parties = 2, .issues = 6, .max_values = 8, .reservation = true});
  RecordingProgress progress;
  AnalysisOptions options;
  options.progress = &progress;
  ASSERT_TRUE(Analyze(s, options).ok());
  EXPECT_GT(progress.calls, 1);
  EXPECT_LE(progress.calls, 400);
  EXPECT_EQ(progress.last, 1.0);
}

}  // namespace
}  // namespace shuttle

namespace shuttle {
namespace {
// Smallest eps such that every point of `exact` is within eps (in every coordinate) of being
// weakly dominated by a point of `approx`.
double EpsilonIndicator(const std::vector<Point>& exact, const std::vector<Point>& approx) {
  double worst = 0;
  for (const Point& e : exact) {
    double best = INFINITY;
    for (const Point& a : approx) {
      double gap = 0;
      for (size_t k = 0; k < e.utilities.size(); ++k)
        gap = std::max(gap, e.utilities[k] - a.utilities[k]);
      best = std::min(best, gap);
    }
    worst = std::max(worst, best);
  }
  return worst;
}

// Spaces small enough to enumerate, analyzed both ways: the approximation must come close to the
// exact frontier (measured by the additive epsilon indicator, relative to the utility range).
TEST(AnalyzeTest, ApproximationComesCloseToTheExactFrontier) {
  for (int parties : {2, 3}) {
    for (uint32_t seed = 1; seed <= 3; ++seed) {
      std::mt19937 rng(seed);
      std::vector<Issue> issues;
      for (int i = 0; i < 6; ++i) issues.push_back(Issue::Integer("i" + std::to_string(i), 0, 7));
      Scenario s;
      s.space = OutcomeSpace(issues);
      for (int k = 0; k < parties; ++k)
        s.parties.push_back({"p" + std::to_string(k), RandomRectangles(&rng, s.space, 40)});
      auto exact = Analyze(s);
      ASSERT_TRUE(exact.ok());
      ASSERT_TRUE(exact->pareto.exact);
      AnalysisOptions options;
      options.enumerate_limit = 1000;
      options.samples = 20000;
      options.rectangle_search_limit = 0;  // The approximation alone.
      auto approx = Analyze(s, options);
      ASSERT_TRUE(approx.ok());
      ASSERT_FALSE(approx->pareto.exact);
      double range = 0;
      for (const Point& p : exact->pareto.points) range = std::max(range, p.utilities[0]);
      double eps = EpsilonIndicator(exact->pareto.points, approx->pareto.points);
      EXPECT_LE(eps, (parties == 2 ? 0.02 : 0.06) * range)
          << "parties " << parties << " seed " << seed;
      if (getenv("DUMP")) {
        for (auto& p : exact->pareto.points)
          std::printf("  exact %s\n", testing::Str(p.utilities).c_str());
        for (auto& p : approx->pareto.points)
          std::printf("  approx %s\n", testing::Str(p.utilities).c_str());
      }
      // Nothing approximate beats the exact frontier.
      EXPECT_LE(EpsilonIndicator(approx->pareto.points, exact->pareto.points), 1e-12);
    }
  }
}
}  // namespace
}  // namespace shuttle
