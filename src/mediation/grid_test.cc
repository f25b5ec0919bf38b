#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "shuttle/analysis.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

Evaluator LinearValue(double p0, double p1) {
  Evaluator e;
  e.kind = EvaluatorKind::kLinear;
  e.p0 = p0;
  e.p1 = p1;
  return e;
}

// A sale: a continuous price (buyer falling, seller rising), a discrete warranty and a triangular
// delivery preference of the buyer.
Scenario ContinuousSale() {
  Scenario s;
  s.name = "sale";
  s.space = OutcomeSpace({Issue::Real("price", 24000, 28000),
                          Issue::Discrete("warranty", {"none", "1 year", "2 years"}),
                          Issue::Real("delivery", 0, 1)});
  Evaluator table;
  table.evaluations = {0, 0.6, 1};
  Evaluator falling = table;
  falling.evaluations = {1, 0.7, 0};
  Evaluator tent;
  tent.kind = EvaluatorKind::kTriangular;
  tent.p0 = 0;
  tent.p2 = 0.25;
  tent.p1 = 1;
  Profile buyer, seller;
  buyer.weights = {0.6, 0.3, 0.1};
  buyer.evaluators = {LinearValue(7, -1.0 / 4000), table, tent};
  seller.weights = {0.7, 0.2, 0.1};
  seller.evaluators = {LinearValue(-6, 1.0 / 4000), falling, LinearValue(0, 1)};
  buyer.reservation_value = 0.2;
  seller.reservation_value = 0.2;
  s.parties = {{"buyer", buyer}, {"seller", seller}};
  return s;
}

TEST(MediationGridTest, GridsOnlyContinuousIssuesAtTheStatedResolution) {
  std::vector<GridNote> notes;
  Result<Scenario> g = OnMediationGrid(ContinuousSale(), &notes);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].issue, "price");
  EXPECT_EQ(notes[0].step, 2);  // 4000 / 1000 = 4: the largest of 1, 2, 5 x 10^k below is 2.
  EXPECT_EQ(notes[0].values, 2001u);
  EXPECT_EQ(notes[1].issue, "delivery");
  EXPECT_DOUBLE_EQ(notes[1].step, 0.001);
  EXPECT_EQ(g->space.issue(0).size(), 2001u);
  EXPECT_EQ(g->space.issue(1), ContinuousSale().space.issue(1));
  EXPECT_EQ(g->space.issue(2).size(), 1001u);
  // Bounds: weight x steepest slope x half a step; the tent rises by 4 per unit.
  EXPECT_DOUBLE_EQ(notes[0].utility_bound[0], 0.6 / 4000 * 1);
  EXPECT_DOUBLE_EQ(notes[1].utility_bound[0], 0.1 * 4 * 0.0005);
  EXPECT_DOUBLE_EQ(notes[1].utility_bound[1], 0.1 * 1 * 0.0005);
  // A finite scenario comes back as it was.
  std::vector<GridNote> none;
  Result<Scenario> again = OnMediationGrid(*g, &none);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(again->space, g->space);
  Scenario empty = ContinuousSale();
  empty.space = OutcomeSpace({Issue::Real("price", 5, 5), Issue::Discrete("w", {"a", "b", "c"}),
                              Issue::Real("delivery", 0, 1)});
  Result<Scenario> bad = OnMediationGrid(empty, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("issue 'price'"), std::string::npos);
}

// The bound holds: any continuous point's utility is within it of the nearest grid point's.
TEST(MediationGridTest, EveryPointIsWithinTheBoundOfTheGrid) {
  const Scenario continuous = ContinuousSale();
  std::vector<GridNote> notes;
  Result<Scenario> g = OnMediationGrid(continuous, &notes);
  ASSERT_TRUE(g.ok());
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    for (size_t n = 0; n < notes.size(); ++n) {
      const int issue = n == 0 ? 0 : 2;
      const Issue& grid = g->space.issue(issue);
      std::uniform_real_distribution<double> at(grid.real_lower(), grid.real_upper());
      double x = at(rng);
      uint64_t nearest = static_cast<uint64_t>(std::llround((x - grid.real_lower()) / grid.step()));
      double y = *grid.NumericValue(nearest);
      ASSERT_LE(std::fabs(x - y), grid.step() / 2 + 1e-9);
      for (size_t k = 0; k < continuous.parties.size(); ++k) {
        const Profile& p = continuous.parties[k].profile;
        // The value function at a number: a one-value issue at x, and at y.
        auto value = [&](double v) {
          Issue point = Issue::Real("x", v, v, 1);
          return p.weights[issue] * p.evaluators[issue].Evaluate(point, 0);
        };
        EXPECT_LE(std::fabs(value(x) - value(y)), notes[n].utility_bound[k] + 1e-12)
            << "party " << k << " issue " << issue << " x " << x;
      }
    }
  }
}

// Truthful parties on the grid end on the grid's Nash point, which the analysis finds too.
TEST(MediationGridTest, TruthfulPartiesReachTheGridsNashPoint) {
  Result<Scenario> g = OnMediationGrid(ContinuousSale(), nullptr);
  ASSERT_TRUE(g.ok());
  MediationRunOptions o;
  o.parties = {"truthful", "truthful"};
  Result<MediationReport> r = Mediate(*g, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kAgreement);
  Result<Analysis> a = Analyze(*g);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  double nash = 1, reached = 1;
  for (size_t k = 0; k < 2; ++k) {
    nash *= a->nash->utilities[k] - a->reservation_values[k];
    reached *= r->utilities[k] - a->reservation_values[k];
  }
  EXPECT_NEAR(reached, nash, 1e-9);
  EXPECT_TRUE(ReplayMediation(*g, r->log).ok());
  // Unplaced, the continuous issue is refused with the way out.
  Result<MediationReport> refused = Mediate(ContinuousSale(), o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("continuous"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
