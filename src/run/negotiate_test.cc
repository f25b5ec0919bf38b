#include "shuttle/negotiate.h"
#include "shuttle/drive.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/strategy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>

#include "core/count_allocations.h"  // Allocations counted: the loop must allocate nothing.
#include "run/runner.h"
#include "run/testing.h"

namespace shuttle {
namespace {

using testing::LinearTestAgent;
using testing::RandomTestAgent;
using testing::RecordingTestAgent;
using testing::SmallScenario;
using testing::StubbornTestAgent;

template <typename A, typename... Args>
std::vector<std::unique_ptr<Agent>> Agents(int n, Args... args) {
  std::vector<std::unique_ptr<Agent>> agents;
  for (int i = 0; i < n; ++i) agents.push_back(std::make_unique<A>(args...));
  return agents;
}

NegotiationOptions Options(int rounds, uint64_t seed = 1) {
  NegotiationOptions o;
  o.protocol_options.rounds = rounds;
  o.protocol_options.seed = seed;
  return o;
}

// A copy of `log` with one event changed by `edit`.
EventLog Edited(const EventLog& log, size_t index,
                const std::function<void(Event*, Outcome*)>& edit) {
  EventLog out(log.issue_count());
  for (size_t i = 0; i < log.size(); ++i) {
    Event e = log[i];
    Outcome o = log.OutcomeCopy(e);
    if (i == index) edit(&e, &o);
    out.Append(e, o.empty() ? nullptr : o.data(), log.TextOf(log[i]));
  }
  return out;
}

class FakeClock final : public Clock {
 public:
  explicit FakeClock(double step) : step_(step) {}
  double Seconds() override { return now_ += step_; }

 private:
  double step_;
  double now_ = 100;
};

TEST(NegotiateTest, LinearAgentsAgreeAndTheMetricsDescribeTheAgreement) {
  Scenario s = SmallScenario(2, {4, 5, 3}, 11, /*reservation=*/0, /*discount=*/0.8);
  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<LinearTestAgent>(0.5));
  agents.push_back(std::make_unique<LinearTestAgent>(0.0));
  auto r = Negotiate(s, Options(200), std::move(agents));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->agreement.has_value());
  const EventLog& log = r->log;
  const Event& last = log[log.size() - 1];
  const Event& accept = log[log.size() - 2];
  ASSERT_EQ(last.type, EventType::kAgreement);
  ASSERT_EQ(accept.type, EventType::kAccept);
  EXPECT_EQ(log.OutcomeCopy(last), *r->agreement);
  // The acceptor accepted only what met its target at the time the runner gave it.
  double floor = accept.actor == 0 ? 0.5 : 0.0;
  auto u = Utility::Compile(s.space, s.parties[accept.actor].profile);
  ASSERT_TRUE(u.ok());
  EXPECT_GE(u->Evaluate(*r->agreement), 1 - (1 - floor) * accept.time - 1e-12);
  EXPECT_DOUBLE_EQ(accept.time, static_cast<double>(accept.round) / 200);
  const Metrics& m = r->metrics;
  EXPECT_TRUE(m.agreement);
  EXPECT_EQ(m.rounds, last.round + 1);
  EXPECT_EQ(m.time, last.time);
  double welfare = 0;
  for (int p = 0; p < 2; ++p) {
    auto up = Utility::Compile(s.space, s.parties[p].profile);
    ASSERT_TRUE(up.ok());
    double raw = up->Evaluate(*r->agreement);
    EXPECT_DOUBLE_EQ(m.utilities[p], raw);
    EXPECT_DOUBLE_EQ(m.discounted_utilities[p], raw * std::pow(0.8, last.time));
    welfare += raw;
  }
  EXPECT_DOUBLE_EQ(m.welfare, welfare);
  EXPECT_DOUBLE_EQ(m.nash_product, m.utilities[0] * m.utilities[1]);
  EXPECT_GE(m.pareto_distance, 0);
  EXPECT_GE(m.nash_distance, m.pareto_distance - 1e-12);
  EXPECT_GE(m.seconds, 0);
  EXPECT_TRUE(Replay(s, log).ok());
}

TEST(NegotiateTest, SameSeedGivesTheSameLogAndAnotherSeedAnother) {
  Scenario s = SmallScenario(3, {5, 5, 4}, 3);
  auto run = [&](uint64_t seed) {
    auto r = Negotiate(s, Options(300, seed), Agents<RandomTestAgent>(3, 0.02));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value().log;
  };
  EventLog a = run(5), b = run(5), c = run(6);
  EXPECT_GT(a.size(), 3u);
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a == c);
}

TEST(ReplayTest, ReplayReproducesEveryLogOfRandomSessions) {
  for (int parties = 2; parties <= 4; ++parties) {
    for (uint64_t seed = 1; seed <= 5; ++seed) {
      Scenario s = SmallScenario(parties, {3, 4, 2, 5}, seed);
      auto r = Negotiate(s, Options(50, seed), Agents<RandomTestAgent>(parties, 0.1));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      Status replay = Replay(s, r->log);
      EXPECT_TRUE(replay.ok()) << replay.ToString();
    }
  }
}

TEST(ReplayTest, TamperedAgreementIsReportedAtItsEvent) {
  Scenario s = SmallScenario(2, {4, 4}, 1);
  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<LinearTestAgent>(0.0));
  agents.push_back(std::make_unique<LinearTestAgent>(0.0));
  auto r = Negotiate(s, Options(100), std::move(agents));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->agreement.has_value());
  size_t last = r->log.size() - 1;
  EventLog bad = Edited(r->log, last, [](Event*, Outcome* o) { (*o)[0] = ((*o)[0] + 1) % 4; });
  Status st = Replay(s, bad);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("event " + std::to_string(last)), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("agreement"), std::string::npos) << st.message();
}

TEST(ReplayTest, MoveOutOfTurnIsRejected) {
  Scenario s = SmallScenario(2, {3, 3}, 2);
  auto r = Negotiate(s, Options(20), Agents<StubbornTestAgent>(2));
  ASSERT_TRUE(r.ok());
  EventLog bad = Edited(r->log, 3, [](Event* e, Outcome*) { e->actor = 1 - e->actor; });
  Status st = Replay(s, bad);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("event 3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("out of turn"), std::string::npos) << st.message();
}

TEST(ReplayTest, ChangedTimeOrRoundIsReported) {
  Scenario s = SmallScenario(2, {3, 3}, 2);
  auto r = Negotiate(s, Options(20), Agents<StubbornTestAgent>(2));
  ASSERT_TRUE(r.ok());
  EventLog bad_round = Edited(r->log, 5, [](Event* e, Outcome*) { e->round += 1; });
  EXPECT_EQ(Replay(s, bad_round).code(), StatusCode::kCorruption);
  size_t end = r->log.size() - 1;
  EventLog bad_end = Edited(r->log, end, [](Event* e, Outcome*) { e->time = 0.5; });
  Status st = Replay(s, bad_end);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("event " + std::to_string(end)), std::string::npos) << st.message();
}

TEST(ReplayTest, AnOpenSessionReplaysButNothingMayFollowTheEnd) {
  Scenario s = SmallScenario(2, {3, 3}, 2);
  auto r = Negotiate(s, Options(20), Agents<StubbornTestAgent>(2));
  ASSERT_TRUE(r.ok());
  EventLog prefix(r->log.issue_count());
  for (size_t i = 0; i < 7; ++i) {
    Outcome o = r->log.OutcomeCopy(r->log[i]);
    prefix.Append(r->log[i], o.empty() ? nullptr : o.data(), r->log.TextOf(r->log[i]));
  }
  EXPECT_TRUE(Replay(s, prefix).ok());
  EventLog longer = r->log;
  Event note;
  note.type = EventType::kNote;
  longer.Append(note, nullptr, "late");
  Status st = Replay(s, longer);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("after the negotiation ended"), std::string::npos) << st.message();
  EventLog empty(2);
  EXPECT_EQ(Replay(s, empty).code(), StatusCode::kCorruption);
}

TEST(NegotiateTest, WallClockDeadlineIsRecordedAndReplayNeedsNoClock) {
  Scenario s = SmallScenario(2, {3, 3}, 4);
  auto run = [&] {
    FakeClock clock(0.01);
    NegotiationOptions o = Options(0);
    o.protocol_options.seconds = 1;
    o.clock = &clock;
    return Negotiate(s, o, Agents<StubbornTestAgent>(2));
  };
  auto r = run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const EventLog& log = r->log;
  const Event& last = log[log.size() - 1];
  EXPECT_EQ(last.type, EventType::kNoAgreement);
  EXPECT_EQ(last.time, 1);
  EXPECT_NE(log.TextOf(last).find("time"), std::string::npos);
  // One clock step per turn: about 1 s / 0.01 s moves, with times rising by 0.01.
  EXPECT_GT(log.size(), 90u);
  EXPECT_LT(log.size(), 110u);
  EXPECT_NEAR(log[2].time - log[1].time, 0.01, 1e-9);
  EXPECT_GT(r->metrics.seconds, 0.9);
  auto again = run();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->log == log);
  Status st = Replay(s, log);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST(NegotiateTest, RejectsBadSetups) {
  Scenario s = SmallScenario(2, {3, 3}, 4);
  EXPECT_EQ(Negotiate(s, Options(10), Agents<StubbornTestAgent>(3)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Negotiate(s, Options(0), Agents<StubbornTestAgent>(2)).status().code(),
            StatusCode::kInvalidArgument);
  NegotiationOptions unknown = Options(10);
  unknown.protocol = "auction";
  auto r = Negotiate(s, unknown, Agents<StubbornTestAgent>(2));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("auction"), std::string::npos);
  Scenario real = s;
  real.space =
      OutcomeSpace({Issue::Discrete("issue0", {"a", "b", "c"}), Issue::Real("issue1", 0, 1)});
  EXPECT_EQ(Negotiate(real, Options(10), Agents<StubbornTestAgent>(2)).status().code(),
            StatusCode::kFailedPrecondition);
  NegotiationOptions specs = Options(10);
  specs.agents = {"boulware"};
  EXPECT_EQ(Negotiate(s, specs).status().code(), StatusCode::kInvalidArgument);
}

// An agent that offers an outcome outside the space.
class CheatingAgent final : public Agent {
 public:
  const std::string& name() const override { return name_; }
  Status Init(const AgentContext&) override { return Status::Ok(); }
  void Act(const Turn&, double, Action* action, uint32_t* scratch) override {
    scratch[0] = 99;
    scratch[1] = 0;
    action->type = EventType::kOffer;
    action->outcome = scratch;
  }

 private:
  std::string name_ = "cheater";
};

TEST(NegotiateTest, AnIllegalMoveByAnAgentNamesTheAgent) {
  Scenario s = SmallScenario(2, {3, 3}, 4);
  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<CheatingAgent>());
  agents.push_back(std::make_unique<StubbornTestAgent>());
  auto r = Negotiate(s, Options(10), std::move(agents));
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("cheater"), std::string::npos) << r.status().message();
}

TEST(NegotiateTest, TheLoopAllocatesNothingPerRound) {
  Scenario s = SmallScenario(2, {3, 4}, 4);
  auto count = [&](int rounds) {
    NegotiationOptions o = Options(rounds);
    o.metrics = false;
    auto agents = Agents<StubbornTestAgent>(2);
    long before = count_allocations::Count();
    auto r = Negotiate(s, o, std::move(agents));
    long after = count_allocations::Count();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->log.size(), static_cast<size_t>(2 * rounds + 2));
    return after - before;
  };
  long small = count(100);
  EXPECT_GT(small, 0);            // The counter sees the setup's allocations...
  EXPECT_EQ(small, count(5000));  // ...and the loop adds none, however long it runs.
}

// A caucus-style protocol for the runner test: each party in turn sends a note that only it and
// the mediator hear; the mediator answers privately, notes something for itself and makes a public
// statement each round.
class CaucusProtocol final : public Protocol {
 public:
  CaucusProtocol(const OutcomeSpace* space, int parties, int rounds)
      : Protocol(space, parties, [&] {
          ProtocolOptions o;
          o.rounds = rounds;
          return o;
        }()) {}
  const char* name() const override { return "caucus-test"; }
  std::span<const AudienceRule> audiences() const override { return {}; }
  void Start(EventLog* log) override {
    log->Append(Make(EventType::kStart, kSystem, Audience::Public()));
  }
  Turn NextTurn() const override {
    Turn t;
    if (!done()) {
      t.kind = Turn::Kind::kFeedback;
      t.actor = moves_ % party_count();
    }
    return t;
  }
  Status Apply(const Action& a, double t, EventLog* log) override {
    int32_t p = moves_ % party_count();
    log->Append(Make(EventType::kNote, p, Audience::Caucus(p)), nullptr, "mine");
    log->Append(Make(EventType::kNote, kMediator, Audience::Caucus(p)), nullptr, "reply");
    log->Append(Make(EventType::kNote, kMediator, Audience::MediatorOnly()), nullptr, "private");
    if (++moves_ % party_count() == 0)
      log->Append(Make(EventType::kStatement, kMediator, Audience::Public()));
    return Status::Ok();
  }
  void Expire(double, EventLog*) override {}
  bool done() const override { return round() >= options().rounds; }
  const uint32_t* agreement() const override { return nullptr; }
  int round() const override { return moves_ / party_count(); }

 private:
  Event Make(EventType type, int32_t actor, Audience audience) const {
    Event e;
    e.type = type;
    e.actor = actor;
    e.audience = audience;
    e.round = round();
    return e;
  }
  int moves_ = 0;
};

class NoteAgent final : public Agent {
 public:
  const std::string& name() const override { return name_; }
  Status Init(const AgentContext&) override { return Status::Ok(); }
  void Act(const Turn&, double, Action* action, uint32_t*) override {
    action->type = EventType::kNote;
  }

 private:
  std::string name_ = "note";
};

TEST(RunnerTest, EachAgentObservesExactlyItsPartysView) {
  OutcomeSpace space({Issue::Discrete("x", {"a", "b"})});
  CaucusProtocol protocol(&space, 3, 4);
  std::vector<std::unique_ptr<Agent>> agents;
  std::vector<std::shared_ptr<std::vector<size_t>>> seen;
  for (int p = 0; p < 3; ++p) {
    auto a = std::make_unique<RecordingTestAgent>(std::make_unique<NoteAgent>());
    seen.push_back(a->seen());
    agents.push_back(std::move(a));
  }
  EventLog log(1);
  log.Reserve(1000);  // Observe() reports indices computed from addresses in the log.
  ClockPacer pacer(SteadyClock(), 0);
  ASSERT_TRUE(Drive(&protocol, agents, &pacer, nullptr, &log).ok());
  ASSERT_GT(log.size(), 40u);
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(*seen[p], log.View(p)) << "party " << p;
    for (size_t i : *seen[p]) EXPECT_NE(log.TextOf(log[i]), "private");
  }
}

TEST(MetricsTest, HandComputedValuesOnAOneIssueSplit) {
  Scenario s;
  s.space = OutcomeSpace({Issue::Discrete("split", {"mine", "half", "yours"})});
  auto profile = [](std::vector<double> evaluations, double rv, double d) {
    Profile p;
    p.weights = {1};
    Evaluator e;
    e.evaluations = std::move(evaluations);
    p.evaluators = {e};
    p.reservation_value = rv;
    p.discount = d;
    return p;
  };
  s.parties = {{"a", profile({1, 0.5, 0}, 0, 0.5)}, {"b", profile({0, 0.5, 1}, 0, 1)}};
  auto m = ComputeMetrics(s, Outcome{0}, 5, 1.0);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_DOUBLE_EQ(m->utilities[0], 1);
  EXPECT_DOUBLE_EQ(m->utilities[1], 0);
  EXPECT_DOUBLE_EQ(m->discounted_utilities[0], 0.5);
  EXPECT_DOUBLE_EQ(m->discounted_utilities[1], 0);
  EXPECT_DOUBLE_EQ(m->welfare, 1);
  EXPECT_DOUBLE_EQ(m->nash_product, 0);
  EXPECT_NEAR(m->pareto_distance, 0, 1e-12);
  EXPECT_NEAR(m->nash_distance, std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(m->ks_distance, std::sqrt(0.5), 1e-12);
  EXPECT_EQ(m->rounds, 5);

  auto half = ComputeMetrics(s, Outcome{1}, 2, 0.0);
  ASSERT_TRUE(half.ok());
  EXPECT_DOUBLE_EQ(half->nash_product, 0.25);
  EXPECT_NEAR(half->nash_distance, 0, 1e-12);

  s.parties[0].profile.reservation_value = 0.2;
  s.parties[1].profile.reservation_value = 0.2;
  auto none = ComputeMetrics(s, std::nullopt, 10, 1.0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->agreement);
  EXPECT_DOUBLE_EQ(none->utilities[0], 0.2);
  EXPECT_DOUBLE_EQ(none->discounted_utilities[0], 0.1);
  EXPECT_DOUBLE_EQ(none->nash_product, 0);
  EXPECT_NEAR(none->pareto_distance, std::sqrt(0.18), 1e-12);
  EXPECT_NEAR(none->nash_distance, std::sqrt(0.18), 1e-12);

  EXPECT_EQ(ComputeMetrics(s, Outcome{3}, 1, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(ReplayAgentsTest, RegisteredAgentsReplayAndAChangedOfferIsCaught) {
  if (!MakeAgent("boulware").ok() || !MakeAgent("conceder").ok()) {
    GTEST_SKIP() << "agents 'boulware'/'conceder' are not available yet";
  }
  Scenario s = SmallScenario(2, {5, 4, 3}, 9);
  NegotiationOptions o = Options(100);
  o.agents = {"boulware", "conceder"};
  auto r = Negotiate(s, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Status st = ReplayAgents(s, r->log);
  EXPECT_TRUE(st.ok()) << st.ToString();
  // Change one mid-session offer: Replay takes moves as given, ReplayAgents re-makes them.
  size_t index = 0;
  for (size_t i = 1; i + 2 < r->log.size(); ++i) {
    if (r->log[i].type == EventType::kOffer) index = i;
    if (index != 0 && i > r->log.size() / 2) break;
  }
  ASSERT_GT(index, 0u);
  EventLog bad =
      Edited(r->log, index, [&](Event*, Outcome* out) { (*out)[0] = ((*out)[0] + 1) % 5; });
  Status changed = ReplayAgents(s, bad);
  EXPECT_EQ(changed.code(), StatusCode::kCorruption);
  EXPECT_NE(changed.message().find("event " + std::to_string(index)), std::string::npos)
      << changed.message();
}

// ANAC domains from ../shared/domains: a session on each replays, with and without its agents, and
// survives the log file round trip. Skipped when the corpus is absent.
TEST(NegotiateCorpusTest, AnacSessionsReplayThroughTheLogFile) {
  const std::string root = std::string(SHUTTLE_DOMAINS_DIR) + "/genius/anac/";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << root << " not found: corpus test skipped";
  const std::vector<std::vector<std::string>> sets = {
      {"y2010/Travel/travel_domain.xml", "y2010/Travel/travel_chox.xml",
       "y2010/Travel/travel_fanny.xml"},
      {"y2010/ItexvsCypress/ItexvsCypress_domain.xml", "y2010/ItexvsCypress/ItexvsCypress_Itex.xml",
       "y2010/ItexvsCypress/ItexvsCypress_Cypress.xml"},
      {"y2011/Energy/energy_domain.xml", "y2011/Energy/energy_consumer.xml",
       "y2011/Energy/energy_distributor.xml"},
      {"y2014/10issuesDiscountedwithRV/10issuesDiscountedwithRV-domain.xml",
       "y2014/10issuesDiscountedwithRV/profile-1.xml",
       "y2014/10issuesDiscountedwithRV/profile-2.xml"},
  };
  for (const auto& set : sets) {
    std::vector<std::string> files;
    for (const std::string& f : set) files.push_back(root + f);
    if (!std::filesystem::exists(files[0])) continue;
    SCOPED_TRACE(set[0]);
    auto s = LoadScenario(files);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    NegotiationOptions o = Options(300, 3);
    o.agents = {"boulware", "conceder"};
    auto r = Negotiate(*s, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const Event& last = r->log[r->log.size() - 1];
    EXPECT_TRUE(last.type == EventType::kAgreement || last.type == EventType::kNoAgreement);
    for (size_t p = 0; p < 2; ++p) {
      EXPECT_GE(r->metrics.utilities[p], 0);
      EXPECT_LE(r->metrics.utilities[p], 1 + 1e-9);
      EXPECT_LE(r->metrics.discounted_utilities[p], r->metrics.utilities[p] + 1e-12);
    }
    EXPECT_GE(r->metrics.pareto_distance, 0);
    Status replay = Replay(*s, r->log);
    EXPECT_TRUE(replay.ok()) << replay.ToString();
    Status agents = ReplayAgents(*s, r->log);
    EXPECT_TRUE(agents.ok()) << agents.ToString();
    auto text = WriteEventLogJson(*s, r->log);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto file = ParseEventLogJson(*text, set[0]);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_TRUE(file->log == r->log);
    Status again = ReplayAgents(file->scenario, file->log);
    EXPECT_TRUE(again.ok()) << again.ToString();
  }
}

}  // namespace
}  // namespace shuttle
