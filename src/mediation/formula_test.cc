#include "mediation/formula.h"

#include <gtest/gtest.h>

#include "mediation/diagnosis.h"
#include "mediation/testing.h"
#include "shuttle/analysis.h"

namespace shuttle::mediation_internal {
namespace {

using mediation_testing::Forbid;
using mediation_testing::Require;
using mediation_testing::TradeScenario;

struct Fixture {
  Scenario scenario;
  AgendaPlan plan;
  std::vector<Tables> tables;
  Outcome settled;

  explicit Fixture(Scenario s, std::vector<Stage> agenda = {}) : scenario(std::move(s)) {
    plan = *PlanAgenda(scenario.space, agenda);
    for (const Party& p : scenario.parties)
      tables.push_back(*TablesOf(scenario.space, *Utility::Compile(scenario.space, p.profile)));
    settled.assign(scenario.space.issue_count(), 0);
  }

  FormulaProblem Problem(Criterion c = Criterion::kNash, int stage = 0) const {
    FormulaProblem p;
    p.space = &scenario.space;
    p.plan = &plan;
    p.stage = stage;
    p.settled = settled.data();
    p.criterion = c;
    for (size_t k = 0; k < scenario.parties.size(); ++k) {
      PartyView v;
      v.tables = &tables[k];
      for (const RedLine& r : scenario.parties[k].profile.red_lines) v.lines.push_back({r, false});
      v.reservation = scenario.parties[k].profile.reservation_value;
      p.parties.push_back(std::move(v));
    }
    return p;
  }
};

double NashProduct(const std::vector<double>& u, const Scenario& s) {
  double p = 1;
  for (size_t k = 0; k < u.size(); ++k) p *= u[k] - s.parties[k].profile.reservation_value;
  return p;
}

// With exact models the formula is the analysis's bargaining solution, for every criterion.
TEST(FormulaTest, ExactModelsGiveTheAnalysisSolution) {
  Scenario s = TradeScenario();
  s.parties[0].profile.reservation_value = 0.2;
  s.parties[1].profile.red_lines.push_back(Forbid(0, {0}));
  Fixture f(s);
  Result<Analysis> a = Analyze(s);
  ASSERT_TRUE(a.ok());
  for (auto [c, point] : {std::pair{Criterion::kNash, a->nash},
                          std::pair{Criterion::kKalaiSmorodinsky, a->kalai_smorodinsky},
                          std::pair{Criterion::kEgalitarian, a->egalitarian},
                          std::pair{Criterion::kWelfare, a->max_welfare}}) {
    Result<Formula> formula = FindFormula(f.Problem(c));
    ASSERT_TRUE(formula.ok()) << formula.status().ToString();
    ASSERT_TRUE(formula->found);
    ASSERT_TRUE(point.has_value());
    for (size_t k = 0; k < 2; ++k)
      EXPECT_NEAR(formula->utilities[k], point->utilities[k], 1e-12) << CriterionName(c);
  }
}

TEST(FormulaTest, RespectsRedLinesAndReservationValues) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines.push_back(Require(1, {0}));
  s.parties[1].profile.reservation_value = 0.55;
  Fixture f(s);
  Result<Formula> formula = FindFormula(f.Problem());
  ASSERT_TRUE(formula.ok());
  ASSERT_TRUE(formula->found);
  EXPECT_EQ(formula->outcome[1], 0u);
  EXPECT_GE(formula->utilities[1], 0.55 - 1e-12);
  EXPECT_NEAR(formula->utilities[0],
              Utility::Compile(s.space, s.parties[0].profile)->Evaluate(formula->outcome), 1e-12);
}

TEST(FormulaTest, OnlyTheOpenStageMoves) {
  Fixture f(TradeScenario(), {{"first", {2}, false}, {"second", {0, 1}, false}});
  f.settled = {3, 2, 1};
  Result<Formula> stage0 = FindFormula(f.Problem(Criterion::kNash, 0));
  ASSERT_TRUE(stage0.ok() && stage0->found);
  EXPECT_EQ(stage0->outcome[0], 0u);  // Later issues hold the placeholder.
  EXPECT_EQ(stage0->outcome[1], 0u);
  EXPECT_EQ(stage0->outcome[2], 1u);  // Both want the full warranty.
  Result<Formula> stage1 = FindFormula(f.Problem(Criterion::kNash, 1));
  ASSERT_TRUE(stage1.ok() && stage1->found);
  EXPECT_EQ(stage1->outcome[2], 1u);  // Settled as agreed.
  // Stage 1 maximizes the Nash product given warranty = full.
  double best = -1;
  for (uint32_t p = 0; p < 4; ++p) {
    for (uint32_t d = 0; d < 3; ++d) {
      Outcome o = {p, d, 1};
      std::vector<double> u;
      for (const Party& party : f.scenario.parties)
        u.push_back(Utility::Compile(f.scenario.space, party.profile)->Evaluate(o));
      best = std::max(best, NashProduct(u, f.scenario));
    }
  }
  EXPECT_NEAR(NashProduct(stage1->utilities, f.scenario), best, 1e-12);
}

TEST(FormulaTest, NoZoneMeansNoFormula) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines.push_back(Require(0, {0}));
  s.parties[1].profile.red_lines.push_back(Forbid(0, {0}));
  Fixture f(s);
  Result<Formula> formula = FindFormula(f.Problem());
  ASSERT_TRUE(formula.ok());
  EXPECT_FALSE(formula->found);
}

// The diagnosis: a minimal conflict (dropping any one demand of it opens a zone) and a relaxation
// that opens a zone.
TEST(DiagnosisTest, FindsAMinimalConflictAndAWayOut) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines = {Require(0, {0, 1}, "cheap"), Forbid(2, {0})};
  s.parties[1].profile.red_lines = {Forbid(0, {0, 1}, "margin"), Require(1, {2})};
  Fixture f(s);
  Result<ImpasseDiagnosis> d = Diagnose(f.Problem());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->conflict.size(), 2u);
  for (const ConflictItem& item : d->conflict) {
    EXPECT_EQ(item.kind, ConflictItem::Kind::kRedLine);
    EXPECT_EQ(item.red_line.issue, 0);
  }
  ASSERT_EQ(d->relaxation.size(), 1u);
  ASSERT_TRUE(d->formula.has_value());
  // Dropping the relaxation opens a zone and the formula is in it.
  FormulaProblem p = f.Problem();
  for (size_t k = 0; k < p.parties.size(); ++k) {
    p.parties[k].active.assign(p.parties[k].lines.size(), 1);
    for (size_t l = 0; l < p.parties[k].lines.size(); ++l) {
      if (d->relaxation[0].party == static_cast<int>(k) &&
          p.parties[k].lines[l].line == d->relaxation[0].red_line) {
        p.parties[k].active[l] = 0;
      }
    }
  }
  Result<Formula> open = FindFormula(p);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->found);
  EXPECT_EQ(open->outcome, *d->formula);
  EXPECT_GT(d->cost, 0);
  EXPECT_EQ(d->cost, d->owner_costs[d->relaxation[0].party]);
}

TEST(DiagnosisTest, TwoIndependentConflictsNeedTwoRelaxations) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines = {Require(0, {0}), Require(1, {0})};
  s.parties[1].profile.red_lines = {Forbid(0, {0}), Forbid(1, {0})};
  Fixture f(s);
  Result<ImpasseDiagnosis> d = Diagnose(f.Problem());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->conflict.size(), 2u);    // One of the two conflicts.
  EXPECT_EQ(d->relaxation.size(), 2u);  // One demand from each.
  EXPECT_NE(d->relaxation[0].red_line.issue, d->relaxation[1].red_line.issue);
}

TEST(DiagnosisTest, ReservationValuesCanBeTheConflict) {
  Scenario s = TradeScenario();
  s.parties[0].profile.reservation_value = 0.9;
  s.parties[1].profile.reservation_value = 0.9;
  Fixture f(s);
  Result<ImpasseDiagnosis> d = Diagnose(f.Problem());
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->conflict.size(), 2u);
  for (const ConflictItem& item : d->conflict)
    EXPECT_EQ(item.kind, ConflictItem::Kind::kReservation);
  // Sharing the way out costs the worse-off owner less than one party carrying it all.
  ASSERT_FALSE(d->relaxation.empty());
  ASSERT_TRUE(d->formula.has_value());
  for (const ConflictItem& item : d->relaxation) {
    EXPECT_EQ(item.kind, ConflictItem::Kind::kReservation);
    EXPECT_LT(item.relaxed_to, 0.9);
    double u = Utility::Compile(s.space, s.parties[item.party].profile)->Evaluate(*d->formula);
    EXPECT_GE(u, item.relaxed_to - 1e-9);
  }
}

TEST(DiagnosisTest, RefusesWhenThereIsAZone) {
  Fixture f(TradeScenario());
  EXPECT_EQ(Diagnose(f.Problem()).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace shuttle::mediation_internal
