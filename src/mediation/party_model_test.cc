#include "mediation/party_model.h"

#include <gtest/gtest.h>

#include "mediation/testing.h"

namespace shuttle::mediation_internal {
namespace {

using mediation_testing::Forbid;
using mediation_testing::TradeScenario;

// The model's utility of value v of a one-issue space, on the party's range scale (0 = its
// reservation value, 1 = its best).
double Normalized(const PartyModel& m, uint32_t v) {
  return m.tables().contribution[0][v] - m.reservation();
}

// An honest one-issue party with loss D(v) = v / 4 (value 0 best) answering the same text at every
// visit, as the automated parties do (caucus_agent.cc): at visit k it gives up (k - 1) / 20 of its
// range; the only issue is named with the values losing at most that.
struct OneIssue {
  OutcomeSpace space{std::vector<Issue>{Issue::Discrete("x", {"a", "b", "c", "d", "e"})}};
  AgendaPlan plan = *PlanAgenda(space, {});
  std::vector<double> loss = {0, 0.25, 0.5, 0.75, 1.0};

  Objection Answer(int visit, uint32_t text, const std::vector<uint32_t>& forbidden = {}) const {
    double budget = std::min(1.0, (visit - 1) / 20.0);
    Objection o;
    Objection::Item item;
    item.issue = 0;
    item.has_values = true;
    for (uint32_t v = 0; v < 5; ++v) {
      bool allowed = std::find(forbidden.begin(), forbidden.end(), v) == forbidden.end();
      if (allowed && loss[v] <= budget + 1e-12) item.could_live_with.push_back(v);
    }
    o.issues.push_back(item);
    return o;
  }
};

TEST(PartyModelTest, ConfidedProfileIsExact) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines.push_back(Forbid(0, {0}, "no"));
  s.parties[0].profile.reservation_value = 0.3;
  AgendaPlan plan = *PlanAgenda(s.space, {});
  PartyModel m(&s.space, &plan, {});
  Confidence c;
  c.weights = s.parties[0].profile.weights;
  for (int i = 0; i < 3; ++i)
    c.values.emplace_back(i, s.parties[0].profile.evaluators[i].evaluations);
  c.red_lines = s.parties[0].profile.red_lines;
  c.reservation_value = 0.3;
  m.Confide(c);
  EXPECT_TRUE(m.exact());
  EXPECT_TRUE(m.reservation_known());
  EXPECT_EQ(m.reservation(), 0.3);
  Utility u = *Utility::Compile(s.space, s.parties[0].profile);
  for (size_t i = 0; i < 3; ++i) {
    for (uint32_t v = 0; v < u.IssueSize(i); ++v) {
      EXPECT_NEAR(m.tables().contribution[i][v], u.Contributions(i)[v], 1e-15);
      EXPECT_EQ(m.tables().allowed[i][v] != 0, u.Allows(i, v));
    }
  }
  ASSERT_EQ(m.red_lines().size(), 1u);
  EXPECT_FALSE(m.red_lines()[0].inferred);
}

// An issue the party weighs 0 (a deferred final-status issue) needs no values: confiding the
// others is the whole profile, and the confided reservation value is used as confided (a web-rooms
// session once showed it replaced by a loss-model estimate above 1).
TEST(PartyModelTest, ZeroWeightIssueNeedsNoValues) {
  Scenario s = TradeScenario();
  AgendaPlan plan = *PlanAgenda(s.space, {});
  PartyModel m(&s.space, &plan, {});
  Confidence c;
  c.weights = std::vector<double>{0.6, 0.4, 0.0};
  for (int i = 0; i < 2; ++i)
    c.values.emplace_back(i, s.parties[0].profile.evaluators[i].evaluations);
  c.reservation_value = 0.35;
  m.Confide(c);
  EXPECT_TRUE(m.exact());
  EXPECT_TRUE(m.reservation_known());
  EXPECT_EQ(m.reservation(), 0.35);
  EXPECT_NEAR(m.tables().contribution[0][0], 0.6, 1e-15);
  for (double x : m.tables().contribution[2]) EXPECT_EQ(x, 0.0);
  // Without the weights nothing is exact.
  PartyModel partial(&s.space, &plan, {});
  Confidence v;
  for (int i = 0; i < 2; ++i)
    v.values.emplace_back(i, s.parties[0].profile.evaluators[i].evaluations);
  partial.Confide(v);
  EXPECT_FALSE(partial.exact());
}

// A party who confided its whole profile and some red lines but keeps objecting, once its
// concession has run out, to a text its profile accepts has a line it kept to itself: inferred.
// Before the concession runs out the same objections are only a party still hoping for more.
TEST(PartyModelTest, KnownProfileUnexplainedObjectionsRevealAHiddenLine) {
  Scenario s = TradeScenario();
  AgendaPlan plan = *PlanAgenda(s.space, {});
  auto run = [&](int first_visit) {
    PartyModel m(&s.space, &plan, {});
    Confidence c;
    c.weights = s.parties[0].profile.weights;
    for (int i = 0; i < 3; ++i)
      c.values.emplace_back(i, s.parties[0].profile.evaluators[i].evaluations);
    c.red_lines = std::vector<RedLine>{Forbid(1, {2}, "never d2")};
    c.reservation_value = 0.3;
    m.Confide(c);
    m.ObserveCounter(1, 0, nullptr, Outcome{0, 0, 1});
    // Price p3 is worth 0 to the buyer, yet the text is worth 0.5 > 0.3 to it.
    Objection o;
    o.issues.push_back({0, true, {0, 1, 2}});
    for (int visit = first_visit; visit < first_visit + 3; ++visit)
      m.ObserveObject(visit, 0, Outcome{3, 0, 1}, o);
    m.Fit();
    return m;
  };
  PartyModel late = run(22);
  ASSERT_TRUE(late.exact());
  size_t inferred = 0;
  for (const HeldLine& l : late.red_lines()) inferred += l.inferred && l.line.issue == 0 ? 1 : 0;
  EXPECT_EQ(inferred, 1u);
  EXPECT_EQ(late.tables().allowed[0][3], 0);
  PartyModel early = run(2);
  for (const HeldLine& l : early.red_lines()) EXPECT_FALSE(l.inferred);
  EXPECT_EQ(early.tables().allowed[0][3], 1);
}

// Objections to the party's worst value at every visit reveal the other values' losses to within
// a visit's concession (1/20 of the range), in the right order.
TEST(PartyModelTest, LearnsLossesFromObjections) {
  OneIssue p;
  PartyModel m(&p.space, &p.plan, {});
  Outcome best = {0}, worst = {4};
  m.ObserveCounter(1, 0, nullptr, best);
  for (int visit = 2; visit <= 18; ++visit) m.ObserveObject(visit, 0, worst, p.Answer(visit, 4));
  m.Fit();
  for (uint32_t v = 0; v < 4; ++v) EXPECT_NEAR(Normalized(m, v), 1 - p.loss[v], 0.051) << v;
  for (uint32_t v = 0; v + 1 < 4; ++v) EXPECT_GT(Normalized(m, v), Normalized(m, v + 1));
  EXPECT_TRUE(m.red_lines().empty());
}

// "Could you live with each value of y?" after accepting (b, a) at visit 10, when the party gives
// up 9/20 of its range: b and a on y livable, c not. The refusal says the text with c loses more
// than that; the livable values, no more.
TEST(PartyModelTest, ARefusedValueInALiveWithAnswerCostsMoreThanTheSlack) {
  OutcomeSpace space{std::vector<Issue>{Issue::Discrete("x", {"a", "b", "c"}),
                                        Issue::Discrete("y", {"a", "b", "c"})}};
  AgendaPlan plan = *PlanAgenda(space, {});
  const Outcome best = {0, 0}, text = {1, 0};
  auto model = [&](bool asked) {
    PartyModel m(&space, &plan, {});
    m.ObserveCounter(1, 0, nullptr, best);
    m.ObserveAccept(10, 0, text);
    if (asked) m.ObserveLiveWith(10, 0, text, 1, {0, 1, 2}, {0, 1});
    m.Fit();
    return m;
  };
  const PartyModel before = model(false), after = model(true);
  const double slack = 9.0 / 20;
  EXPECT_LT(before.losses()[0][1] + before.losses()[1][2], slack);  // Nothing said about c yet.
  EXPECT_GT(after.losses()[0][1] + after.losses()[1][2], slack);
  EXPECT_GT(after.losses()[1][2], before.losses()[1][2]);
  EXPECT_LE(after.losses()[0][1] + after.losses()[1][1], slack + 1e-9);
}

TEST(PartyModelTest, InfersARedLineOnlyOnceTheConcessionHasRunOut) {
  OneIssue p;
  PartyModel m(&p.space, &p.plan, {});
  m.ObserveCounter(1, 0, nullptr, Outcome{0});
  const Outcome text = {1};  // Forbidden by the party, though it costs it only a quarter.
  for (int visit = 2; visit <= 20; ++visit)
    m.ObserveObject(visit, 0, text, p.Answer(visit, 1, {1}));
  m.Fit();
  EXPECT_TRUE(m.red_lines().empty()) << "inferred while the party may still be conceding";
  for (int visit = 21; visit <= 23; ++visit)
    m.ObserveObject(visit, 0, text, p.Answer(visit, 1, {1}));
  m.Fit();
  ASSERT_EQ(m.red_lines().size(), 1u);
  EXPECT_TRUE(m.red_lines()[0].inferred);
  EXPECT_EQ(m.red_lines()[0].line.values, std::vector<uint32_t>{1});
  EXPECT_FALSE(m.tables().allowed[0][1]);
}

TEST(PartyModelTest, ConfidedRedLinesStopInference) {
  OneIssue p;
  PartyModel m(&p.space, &p.plan, {});
  Confidence c;
  c.red_lines = std::vector<RedLine>{};  // "I have no red lines."
  m.Confide(c);
  m.ObserveCounter(1, 0, nullptr, Outcome{0});
  for (int visit = 2; visit <= 26; ++visit)
    m.ObserveObject(visit, 0, Outcome{1}, p.Answer(visit, 1, {1}));
  m.Fit();
  EXPECT_TRUE(m.red_lines().empty());
}

TEST(PartyModelTest, AcceptingAValueClearsItsSuspicion) {
  OneIssue p;
  PartyModel m(&p.space, &p.plan, {});
  m.ObserveCounter(1, 0, nullptr, Outcome{0});
  for (int visit = 2; visit <= 24; ++visit)
    m.ObserveObject(visit, 0, Outcome{1}, p.Answer(visit, 1, {1}));
  m.ObserveAccept(25, 0, Outcome{1});
  m.Fit();
  EXPECT_TRUE(m.red_lines().empty());
}

TEST(PartyModelTest, WorseThanNoAgreementMeansLossesBeyondTheRange) {
  OneIssue p;
  PartyModel m(&p.space, &p.plan, {});
  m.ObserveCounter(1, 0, nullptr, Outcome{0});
  Objection o = p.Answer(2, 3);
  o.below_reservation = true;
  m.ObserveObject(2, 0, Outcome{3}, o);
  m.Fit();
  EXPECT_LT(Normalized(m, 3), 0.0);
}

}  // namespace
}  // namespace shuttle::mediation_internal
