#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "run/testing.h"
#include "shuttle/strategy.h"
#include "strategy/agents.h"
#include "strategy/frequency_model.h"

namespace shuttle {
namespace {

using strategy::TimeDependentTarget;

// One party's view of a small scenario, and brute-force facts about its utilities.
struct TestParty {
  TestParty(Scenario scenario, int self) : s(std::move(scenario)), self(self) {
    auto u = Utility::Compile(s.space, s.parties[self].profile);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    utility = std::move(u).value();
    options.rounds = 100;
    const uint64_t n = s.space.cardinality().ToU64();
    for (uint64_t i = 0; i < n; ++i) {
      Outcome o = s.space.Decode(i);
      if (!utility.Allows(o.data())) continue;
      all.push_back(o);
      lo = std::min(lo, utility.Evaluate(o));
      hi = std::max(hi, utility.Evaluate(o));
    }
  }
  std::unique_ptr<Agent> Make(const std::string& spec, uint64_t seed = 1) {
    auto agent = MakeAgent(spec);
    EXPECT_TRUE(agent.ok()) << agent.status().ToString();
    AgentContext c{&s.space, &utility, self, static_cast<int>(s.parties.size()), &options, seed};
    Status st = (*agent)->Init(c);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return std::move(agent).value();
  }
  double U(const Outcome& o) const { return utility.Evaluate(o); }
  double rv() const { return utility.reservation_value(); }
  double pmin() const { return std::max(rv(), lo); }
  // The least utility of an outcome at or above `target`.
  double LeastAtOrAbove(double target) const {
    double best = INFINITY;
    for (const Outcome& o : all) {
      if (U(o) >= target - 1e-12) best = std::min(best, U(o));
    }
    return best;
  }

  Scenario s;
  int self;
  Utility utility;
  ProtocolOptions options;
  std::vector<Outcome> all;  // Outcomes crossing none of this party's red lines.
  double lo = INFINITY, hi = -INFINITY;
};

// The agent's move for a turn; `out` receives the offered outcome, if any.
Action Act(Agent* agent, Turn turn, double t, Outcome* out = nullptr, size_t issues = 0) {
  std::vector<uint32_t> scratch(std::max<size_t>(issues, 16), 0);
  Action a;
  agent->Act(turn, t, &a, scratch.data());
  if (out != nullptr && a.outcome != nullptr) out->assign(a.outcome, a.outcome + issues);
  return a;
}

Outcome OfferAt(Agent* agent, const TestParty& p, double t) {
  Turn turn;
  turn.kind = Turn::Kind::kOffer;
  turn.actor = p.self;
  Outcome o;
  Action a = Act(agent, turn, t, &o, p.s.space.issue_count());
  EXPECT_EQ(a.type, EventType::kOffer);
  EXPECT_EQ(a.actor, p.self);
  return o;
}

Action Respond(Agent* agent, const TestParty& p, const Outcome& standing, double t) {
  Turn turn;
  turn.kind = Turn::Kind::kRespond;
  turn.actor = p.self;
  turn.standing = standing.data();
  return Act(agent, turn, t, nullptr, p.s.space.issue_count());
}

Action Vote(Agent* agent, const Outcome& proposal, const Outcome* reference, double t,
            Turn::Kind kind = Turn::Kind::kVote) {
  Turn turn;
  turn.kind = kind;
  turn.standing = proposal.data();
  turn.reference = reference != nullptr ? reference->data() : nullptr;
  return Act(agent, turn, t);
}

// An outcome of `p` whose utility is as close as possible to u.
Outcome Near(const TestParty& p, double u) {
  return *std::min_element(p.all.begin(), p.all.end(), [&](const Outcome& a, const Outcome& b) {
    return std::abs(p.U(a) - u) < std::abs(p.U(b) - u);
  });
}

TEST(TimeDependentTargetTest, ConcessionCurvesAtStartMiddleAndEnd) {
  // pmin 0, pmax 1: target = 1 - t^(1/e).
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0, 0.2, 0, 0, 1), 1);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0.5, 0.2, 0, 0, 1), 1 - 1.0 / 32);  // 0.5^5
  EXPECT_DOUBLE_EQ(TimeDependentTarget(1, 0.2, 0, 0, 1), 0);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0, 1, 0, 0, 1), 1);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0.5, 1, 0, 0, 1), 0.5);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(1, 1, 0, 0, 1), 0);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0, 2, 0, 0, 1), 1);
  EXPECT_NEAR(TimeDependentTarget(0.5, 2, 0, 0, 1), 1 - std::sqrt(0.5), 1e-15);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(1, 2, 0, 0, 1), 0);
  // Hardliner: never concedes, not even at the deadline.
  for (double t : {0.0, 0.5, 1.0}) EXPECT_DOUBLE_EQ(TimeDependentTarget(t, 0, 0, 0.2, 0.9), 0.9);
  // Boulware concedes less than Linear, Linear less than Conceder, at mid-time.
  EXPECT_GT(TimeDependentTarget(0.5, 0.2, 0, 0.3, 1), TimeDependentTarget(0.5, 1, 0, 0.3, 1));
  EXPECT_GT(TimeDependentTarget(0.5, 1, 0, 0.3, 1), TimeDependentTarget(0.5, 2, 0, 0.3, 1));
  // k: the share conceded at once. pmin 0.4, pmax 0.9, k 0.2: 0.9 - 0.2 * 0.5 = 0.8 at t = 0.
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0, 1, 0.2, 0.4, 0.9), 0.8);
  EXPECT_DOUBLE_EQ(TimeDependentTarget(0.5, 1, 0, 0.4, 0.9), 0.65);
  // Time outside [0, 1] is clamped.
  EXPECT_DOUBLE_EQ(TimeDependentTarget(2, 1, 0, 0.4, 0.9), 0.4);
}

TEST(TimeDependentAgentTest, OffersTheLeastOutcomeAtOrAboveItsTarget) {
  TestParty p(testing::SmallScenario(2, {5, 4, 3, 6}, 3, /*reservation=*/0.3), 0);
  const struct {
    const char* spec;
    double e, k;
  } cases[] = {{"boulware", 0.2, 0},
               {"linear", 1, 0},
               {"conceder", 2, 0},
               {"hardliner", 0, 0},
               {"time-dependent:e=0.5,k=0.1", 0.5, 0.1}};
  for (const auto& c : cases) {
    auto agent = p.Make(c.spec);
    for (double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
      const double target = TimeDependentTarget(t, c.e, c.k, p.pmin(), p.hi);
      Outcome o = OfferAt(agent.get(), p, t);
      EXPECT_DOUBLE_EQ(p.U(o), p.LeastAtOrAbove(target)) << c.spec << " at t=" << t;
      EXPECT_GE(p.U(o), p.rv());
    }
  }
}

TEST(TimeDependentAgentTest, BoulwareConcedesLessThanConcederAtMidTime) {
  TestParty p(testing::SmallScenario(2, {5, 4, 3, 6}, 4), 0);
  auto boulware = p.Make("boulware"), linear = p.Make("linear"), conceder = p.Make("conceder"),
       hardliner = p.Make("hardliner");
  for (Agent* a : {boulware.get(), linear.get(), conceder.get(), hardliner.get()}) {
    EXPECT_DOUBLE_EQ(p.U(OfferAt(a, p, 0)), p.hi) << a->name();
  }
  const double b = p.U(OfferAt(boulware.get(), p, 0.5)), l = p.U(OfferAt(linear.get(), p, 0.5)),
               c = p.U(OfferAt(conceder.get(), p, 0.5));
  EXPECT_GT(b, l);
  EXPECT_GT(l, c);
  EXPECT_GT(b, p.hi - 0.1 * (p.hi - p.lo));  // Boulware has conceded about 1/32 of the range.
  for (Agent* a : {boulware.get(), linear.get(), conceder.get()}) {
    EXPECT_DOUBLE_EQ(p.U(OfferAt(a, p, 1)), p.lo) << a->name();
  }
  EXPECT_DOUBLE_EQ(p.U(OfferAt(hardliner.get(), p, 1)), p.hi);
}

TEST(AcceptanceTest, NextConstAndTimeConditions) {
  TestParty p(testing::SmallScenario(2, {5, 4, 3, 6}, 5, /*reservation=*/0.2), 0);
  auto next = p.Make("linear");
  // What it would offer at t = 0.5 it accepts; something clearly worse it counters.
  Outcome own = OfferAt(next.get(), p, 0.5);
  EXPECT_EQ(Respond(next.get(), p, own, 0.5).type, EventType::kAccept);
  Outcome worse = Near(p, p.U(own) - 0.15);
  ASSERT_LT(p.U(worse), p.U(own) - 0.05);
  Action counter = Respond(next.get(), p, worse, 0.5);
  EXPECT_EQ(counter.type, EventType::kOffer);
  ASSERT_NE(counter.outcome, nullptr);

  auto constant = p.Make("boulware:ac=const(0.5)");
  Outcome half = Near(p, 0.55);
  ASSERT_GE(p.U(half), 0.5);
  EXPECT_EQ(Respond(constant.get(), p, half, 0).type, EventType::kAccept);
  EXPECT_EQ(Respond(constant.get(), p, Near(p, 0.4), 0).type, EventType::kOffer);

  auto timed = p.Make("hardliner:ac=next+time(0.9)");
  Outcome low = Near(p, 0.3);
  EXPECT_EQ(Respond(timed.get(), p, low, 0.85).type, EventType::kOffer);
  EXPECT_EQ(Respond(timed.get(), p, low, 0.9).type, EventType::kAccept);
  // Never below the reservation value, whatever the condition says.
  Outcome below = Near(p, 0.1);
  ASSERT_LT(p.U(below), 0.2);
  EXPECT_EQ(Respond(timed.get(), p, below, 1).type, EventType::kOffer);
  auto any = p.Make("random:ac=any");
  EXPECT_EQ(Respond(any.get(), p, below, 1).type, EventType::kOffer);
  EXPECT_EQ(Respond(any.get(), p, low, 0).type, EventType::kAccept);
}

TEST(AgentTest, WalksAwayWhenNothingBeatsTheReservationValue) {
  Scenario s = testing::SmallScenario(2, {3, 3}, 6, /*reservation=*/1.5);
  TestParty p(s, 1);
  for (const char* spec : {"boulware", "tit-for-tat", "random", "hardheaded"}) {
    auto agent = p.Make(spec);
    Turn turn;
    turn.kind = Turn::Kind::kOffer;
    EXPECT_EQ(Act(agent.get(), turn, 0).type, EventType::kEnd) << spec;
    // As a voter it still ratifies nothing.
    EXPECT_EQ(Vote(agent.get(), p.all[0], nullptr, 1).value, 0);
  }
}

TEST(AgentTest, RedLinesAreNeverOfferedAndAlwaysVotedDown) {
  Scenario s = testing::SmallScenario(2, {4, 4, 4}, 7);
  RedLine line;
  line.kind = RedLine::Kind::kForbid;
  line.issue = 0;
  line.values = {0, 1};
  s.parties[0].profile.red_lines.push_back(line);
  TestParty p(s, 0);
  EXPECT_EQ(p.all.size(), 2u * 4 * 4);
  for (const char* spec : {"conceder", "random", "tit-for-tat", "hardheaded"}) {
    auto agent = p.Make(spec);
    for (double t = 0; t <= 1; t += 0.05) EXPECT_GE(OfferAt(agent.get(), p, t)[0], 2u) << spec;
    Outcome crossing = {0, 0, 0}, fine = {2, 0, 0};
    EXPECT_EQ(Respond(agent.get(), p, crossing, 1).type, EventType::kOffer);
    EXPECT_EQ(Vote(agent.get(), crossing, &fine, 0).value, 0);
    EXPECT_EQ(Vote(agent.get(), fine, &crossing, 0).value, 1);
    EXPECT_EQ(Vote(agent.get(), crossing, &fine, 0, Turn::Kind::kFeedback).value, -1);
    EXPECT_EQ(Vote(agent.get(), fine, &crossing, 0, Turn::Kind::kFeedback).value, 1);
  }
}

TEST(VoterTest, HillClimberAcceptsExactlyTheNonWorseningTexts) {
  TestParty p(testing::SmallScenario(2, {5, 4, 3}, 8, /*reservation=*/0.4), 1);
  auto agent = p.Make("hill-climber");
  for (size_t a = 0; a < p.all.size(); a += 7) {
    for (size_t b = 0; b < p.all.size(); b += 5) {
      const bool better = p.U(p.all[a]) >= p.U(p.all[b]);
      EXPECT_EQ(Vote(agent.get(), p.all[a], &p.all[b], 0.3).value, better ? 1 : 0);
      const int sign = p.U(p.all[a]) > p.U(p.all[b]) ? 1 : (p.U(p.all[a]) < p.U(p.all[b]) ? -1 : 0);
      EXPECT_EQ(Vote(agent.get(), p.all[a], &p.all[b], 0.3, Turn::Kind::kFeedback).value, sign);
    }
    // Ratification: individually rational or not.
    EXPECT_EQ(Vote(agent.get(), p.all[a], nullptr, 1).value, p.U(p.all[a]) >= 0.4 ? 1 : 0);
  }
  EXPECT_EQ(Vote(agent.get(), p.all[3], &p.all[3], 0, Turn::Kind::kFeedback).value, 0);
}

TEST(VoterTest, AnnealerAcceptsWorseTextsLessAsTimeRunsOut) {
  TestParty p(testing::SmallScenario(2, {5, 4, 3}, 9), 0);
  auto agent = p.Make("annealer:t0=0.2");
  const Outcome& better = Near(p, 0.6);
  const Outcome& worse = Near(p, 0.5);
  const double delta = p.U(worse) - p.U(better);
  ASSERT_LT(delta, -0.05);
  auto accepted = [&](double t) {
    int yes = 0;
    for (int i = 0; i < 4000; ++i) yes += Vote(agent.get(), worse, &better, t).value;
    return yes / 4000.0;
  };
  // exp(delta / (t0 (1 - t))) at t = 0 and t = 0.5; never at t = 1.
  EXPECT_NEAR(accepted(0), std::exp(delta / 0.2), 0.03);
  EXPECT_NEAR(accepted(0.5), std::exp(delta / 0.1), 0.03);
  EXPECT_EQ(accepted(1), 0);
  // Better texts are always accepted.
  EXPECT_EQ(Vote(agent.get(), better, &worse, 0.7).value, 1);
  // A time-dependent party votes as a hill-climber unless told otherwise.
  auto boulware = p.Make("boulware");
  for (int i = 0; i < 200; ++i) EXPECT_EQ(Vote(boulware.get(), worse, &better, 0).value, 0);
  auto annealing_boulware = p.Make("boulware:vote=anneal,t0=5");
  int yes = 0;
  for (int i = 0; i < 200; ++i) yes += Vote(annealing_boulware.get(), worse, &better, 0).value;
  EXPECT_GT(yes, 150);
}

TEST(RandomAgentTest, OffersUniformlyAboveTheReservationValue) {
  TestParty p(testing::SmallScenario(2, {4, 4, 3}, 10, /*reservation=*/0.5), 0);
  auto agent = p.Make("random");
  std::set<Outcome> seen;
  size_t rational = 0;
  for (const Outcome& o : p.all) rational += p.U(o) >= 0.5 - 1e-12;
  ASSERT_GT(rational, 3u);
  for (int i = 0; i < 3000; ++i) {
    Outcome o = OfferAt(agent.get(), p, i / 3000.0);
    EXPECT_GE(p.U(o), 0.5 - 1e-12);
    seen.insert(o);
  }
  EXPECT_EQ(seen.size(), rational);  // 3000 draws over a few dozen outcomes reach them all.
  EXPECT_EQ(Respond(agent.get(), p, Near(p, 0.55), 0).type, EventType::kAccept);
}

// Appends an offer by `actor` to `log` and shows it to `agent`.
void ShowOffer(Agent* agent, EventLog* log, int32_t actor, const Outcome& o) {
  Event e;
  e.type = EventType::kOffer;
  e.actor = actor;
  log->Append(e, o.data());
  agent->Observe(*log, (*log)[log->size() - 1]);
}

TEST(TitForTatTest, MirrorsTheOpponentsConcessionInOwnUtility) {
  TestParty p(testing::SmallScenario(2, {5, 5, 4, 4}, 11), 0);
  auto agent = p.Make("tit-for-tat");
  EventLog log(p.s.space.issue_count());
  EXPECT_DOUBLE_EQ(p.U(OfferAt(agent.get(), p, 0)), p.hi);
  const Outcome first = Near(p, 0.2), second = Near(p, 0.35), third = Near(p, 0.3);
  ShowOffer(agent.get(), &log, 1, first);
  EXPECT_DOUBLE_EQ(p.U(OfferAt(agent.get(), p, 0.1)), p.hi);  // No concession seen yet.
  ShowOffer(agent.get(), &log, 1, second);
  double target = p.hi - (p.U(second) - p.U(first));
  EXPECT_DOUBLE_EQ(p.U(OfferAt(agent.get(), p, 0.2)), p.LeastAtOrAbove(target));
  ShowOffer(agent.get(), &log, 0, Near(p, 0.9));  // Its own offers teach it nothing.
  ShowOffer(agent.get(), &log, 1, third);         // The opponent takes back 0.05: so does it.
  target -= p.U(third) - p.U(second);
  EXPECT_DOUBLE_EQ(p.U(OfferAt(agent.get(), p, 0.3)), p.LeastAtOrAbove(target));
}

TEST(FrequencyModelTest, RepeatedValuesAndSteadyIssuesCountMore) {
  OutcomeSpace space({Issue::Discrete("a", {"0", "1", "2"}), Issue::Discrete("b", {"0", "1", "2"}),
                      Issue::Discrete("c", {"0", "1"})});
  strategy::FrequencyModel m;
  m.Init(space);
  EXPECT_DOUBLE_EQ(m.Estimate(Outcome{0, 0, 0}.data()), 1);
  // The opponent always asks for a=2, and b wanders.
  for (uint32_t b : {0u, 1u, 2u, 0u, 1u, 2u}) m.Update(Outcome{2, b, b % 2}.data());
  EXPECT_EQ(m.offers(), 6);
  EXPECT_GT(m.weight(0), m.weight(1));
  EXPECT_NEAR(m.weight(0) + m.weight(1) + m.weight(2), 1, 1e-12);
  EXPECT_DOUBLE_EQ(m.value(0, 2), 1);
  EXPECT_LT(m.value(0, 0), 0.2);
  EXPECT_GT(m.Estimate(Outcome{2, 0, 0}.data()), m.Estimate(Outcome{0, 0, 0}.data()));
}

TEST(HardHeadedTest, OffersNearItsTargetWhatTheOpponentModelLikesBest) {
  Scenario s = testing::SmallScenario(2, {5, 5, 4, 4}, 12);
  TestParty p(s, 0);
  TestParty other(s, 1);
  auto hh = p.Make("hardheaded:e=1,band=0.05");
  auto td = p.Make("linear");
  strategy::FrequencyModel model;
  model.Init(s.space);
  EventLog log(s.space.issue_count());
  // The opponent offers its own good outcomes, conceding slowly.
  for (int i = 0; i < 20; ++i) {
    Outcome o = Near(other, 1 - 0.01 * i);
    ShowOffer(hh.get(), &log, 1, o);
    model.Update(o.data());
  }
  for (double t : {0.2, 0.4, 0.6}) {
    const double target = TimeDependentTarget(t, 1, 0, p.pmin(), p.hi);
    const double least = p.LeastAtOrAbove(target);
    Outcome mine = OfferAt(hh.get(), p, t), plain = OfferAt(td.get(), p, t);
    EXPECT_GE(p.U(mine), least - 1e-12);
    EXPECT_LE(p.U(mine), least + 0.05 + 1e-12);
    EXPECT_GE(model.Estimate(mine.data()), model.Estimate(plain.data()));
  }
}

TEST(AgentRegistryTest, NamesSpecsAndErrors) {
  std::vector<std::string> names = AgentNames();
  for (const char* n : {"boulware", "linear", "conceder", "hardliner", "tit-for-tat", "random",
                        "hardheaded", "hill-climber", "annealer"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  auto agent = MakeAgent("boulware:e=0.1,k=0,ac=next+const(0.9)");
  ASSERT_TRUE(agent.ok()) << agent.status().ToString();
  EXPECT_EQ((*agent)->name(), "boulware:e=0.1,k=0,ac=next+const(0.9)");
  auto unknown = MakeAgent("bouleware");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("tit-for-tat"), std::string::npos)
      << unknown.status().message();
  auto param = MakeAgent("conceder:x=1");
  EXPECT_NE(param.status().message().find("unknown parameter 'x'"), std::string::npos)
      << param.status().message();
  EXPECT_NE(MakeAgent("linear:e=abc").status().message().find("e=abc"), std::string::npos);
  EXPECT_NE(MakeAgent("linear:ac=nxt").status().message().find("unknown term 'nxt'"),
            std::string::npos);
  EXPECT_NE(MakeAgent("linear:ac=const(1").status().message().find("unbalanced"),
            std::string::npos);
  EXPECT_FALSE(MakeAgent("linear:vote=maybe").ok());
  EXPECT_FALSE(MakeAgent("linear:e=1,e=2").ok());
  EXPECT_FALSE(MakeAgent("").ok());
  EXPECT_TRUE(MakeAgent("linear:ac=next(1.02,0)+time(0.99)+any").ok());
  // Init refuses what it cannot play.
  OutcomeSpace continuous({Issue::Real("r", 0, 1)});
  Utility dummy;
  AgentContext c{&continuous, &dummy, 0, 2, nullptr, 1};
  EXPECT_EQ((*agent)->Init(c).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace shuttle
