// The contract every protocol keeps, checked over every name in ProtocolNames() and the shuttle
// mediator (without and with a mediator's seat, the engine in it), each on every scenario of the
// test it accepts, so a protocol added to the table is covered without being named here:
//  - the same seed and the same parties give the same log;
//  - replaying the log's own moves on a fresh protocol reproduces it byte for byte (as written to
//    a file), and re-running its automated parties does too;
//  - an illegal move (out of turn, by no party, an outcome outside the space, a system event, any
//    move after the end) is refused and changes nothing: the log it leaves is that of a run in
//    which it was never tried;
//  - every event's audience is one the protocol documents (Protocol::audiences()), and a party's
//    event heard in caucus is heard by that party.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "shuttle/drive.h"
#include "shuttle/generate.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

// Forwards to a protocol, and before every real move tries illegal variants of it, each of which
// must be refused without touching the log.
class ProbingProtocol final : public Protocol {
 public:
  explicit ProbingProtocol(Protocol* inner)
      : Protocol(&inner->space(), inner->party_count(), inner->options()), inner_(inner) {}

  const char* name() const override { return inner_->name(); }
  void Start(EventLog* log) override { inner_->Start(log); }
  Turn NextTurn() const override { return inner_->NextTurn(); }
  std::span<const AudienceRule> audiences() const override { return inner_->audiences(); }
  void Expire(double t, EventLog* log) override { inner_->Expire(t, log); }
  bool done() const override { return inner_->done(); }
  const uint32_t* agreement() const override { return inner_->agreement(); }
  int round() const override { return inner_->round(); }
  bool seats_mediator() const override { return inner_->seats_mediator(); }

  Status Apply(const Action& action, double t, EventLog* log) override {
    for (const Action& bad : IllegalVariants(action)) ExpectRefused(bad, t, log);
    return inner_->Apply(action, t, log);
  }

  // Illegal variants of a legal move.
  std::vector<Action> IllegalVariants(const Action& action) {
    std::vector<Action> out;
    const int n = party_count();
    if (n > 1) {
      Action other = action;
      other.actor = (action.actor + 1) % n;
      out.push_back(other);
    }
    for (int32_t nobody : {n, -7, kMediator, kSystem}) {
      if (nobody == action.actor) continue;
      Action a = action;
      a.actor = nobody;
      out.push_back(a);
    }
    for (EventType system : {EventType::kStart, EventType::kAgreement, EventType::kNoAgreement}) {
      Action a = action;
      a.type = system;
      out.push_back(a);
    }
    if (action.outcome != nullptr) {
      // One value past the end of the first issue with more than... any values at all.
      bad_outcome_.assign(action.outcome, action.outcome + space().issue_count());
      bad_outcome_[0] = static_cast<uint32_t>(space().issue(0).size());
      Action a = action;
      a.outcome = bad_outcome_.data();
      out.push_back(a);
    }
    return out;
  }

  void ExpectRefused(const Action& action, double t, EventLog* log) {
    const size_t before = log->size();
    Status s = inner_->Apply(action, t, log);
    ++probes_;
    EXPECT_FALSE(s.ok()) << name() << ": accepted an illegal " << EventTypeName(action.type)
                         << " by actor " << action.actor << " at event " << before;
    EXPECT_EQ(log->size(), before) << name() << ": a refused move appended events";
  }

  int probes() const { return probes_; }

 private:
  Protocol* inner_;
  std::vector<uint32_t> bad_outcome_;
  int probes_ = 0;
};

struct Subject {
  std::string name;  // A protocol name, "shuttle", or "shuttle-seat" (the engine in the seat).
  Scenario scenario;
  bool shuttle() const { return name.starts_with("shuttle"); }
};

// Makes the protocol under test and its automated parties (initialized).
struct Table {
  std::unique_ptr<Protocol> protocol;
  std::vector<std::unique_ptr<Agent>> agents;
  std::vector<Utility> utilities;
  std::unique_ptr<Agent> seat;  // The mediator's seat's player, if the protocol has one.
};

Table MakeTable(const Subject& s, uint64_t seed) {
  Table t;
  const int n = static_cast<int>(s.scenario.parties.size());
  for (const Party& p : s.scenario.parties) {
    Result<Utility> u = Utility::Compile(s.scenario.space, p.profile);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    t.utilities.push_back(std::move(u).value());
  }
  std::vector<std::string> specs;
  if (s.shuttle()) {
    MediationOptions o;
    o.seed = seed;
    o.max_visits = 30;
    for (int k = 0; k < n; ++k) specs.push_back(k % 2 == 0 ? "reticent" : "strategic");
    o.agents = specs;
    o.agenda = s.scenario.agenda;
    if (s.name == "shuttle-seat") {
      o.helm = true;
      o.mediator = "engine";
      auto seat = MakeEngineMediator(&s.scenario.space, n, o);
      EXPECT_TRUE(seat.ok()) << seat.status().ToString();
      t.seat = std::move(seat).value();
    }
    auto m = MakeMediator(&s.scenario.space, n, o);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    t.protocol = std::move(m).value();
  } else {
    ProtocolOptions o;
    o.seed = seed;
    o.rounds = 120;
    for (int k = 0; k < n; ++k) specs.push_back(k % 2 == 0 ? "random" : "conceder");
    o.agents = specs;
    auto p = MakeProtocol(s.name, &s.scenario.space, n, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    t.protocol = std::move(p).value();
  }
  for (int k = 0; k < n; ++k) {
    auto a = s.shuttle() ? MakeCaucusAgent(specs[k], &s.scenario.parties[k].profile)
                         : MakeAgent(specs[k]);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    AgentContext c{&s.scenario.space,      &t.utilities[k],   k, n,
                   &t.protocol->options(), AgentSeed(seed, k)};
    EXPECT_TRUE((*a)->Init(c).ok());
    t.agents.push_back(std::move(a).value());
  }
  return t;
}

// Runs the table to its end, with the clock pacer (no seconds: time by rounds).
EventLog PlayTable(const Subject& s, uint64_t seed, bool probe, int* probes = nullptr) {
  Table t = MakeTable(s, seed);
  EventLog log(s.scenario.space.issue_count());
  ClockPacer pacer(SteadyClock(), 0);
  ProbingProtocol prober(t.protocol.get());
  Protocol* driven = probe ? static_cast<Protocol*>(&prober) : t.protocol.get();
  Status st = Drive(driven, t.agents, &pacer, nullptr, &log, t.seat.get());
  EXPECT_TRUE(st.ok()) << s.name << ": " << st.ToString();
  EXPECT_TRUE(t.protocol->done());
  if (probe) {
    // After the end, nothing is legal.
    std::vector<uint32_t> any(s.scenario.space.issue_count(), 0);
    for (int32_t p = 0; p < t.protocol->party_count(); ++p) {
      for (EventType type :
           {EventType::kOffer, EventType::kAccept, EventType::kEnd, EventType::kVote,
            EventType::kFeedback, EventType::kConfide, EventType::kObject}) {
        Action a;
        a.type = type;
        a.actor = p;
        a.outcome = type == EventType::kOffer ? any.data() : nullptr;
        prober.ExpectRefused(a, 1.0, &log);
      }
    }
    for (EventType type : {EventType::kOpen, EventType::kPropose, EventType::kStatement,
                           EventType::kRound, EventType::kSettle, EventType::kClose}) {
      Action a;
      a.type = type;
      a.actor = kMediator;
      a.text = type == EventType::kStatement ? "after the end" : "";
      prober.ExpectRefused(a, 1.0, &log);
    }
    if (probes != nullptr) *probes = prober.probes();
  }
  return log;
}

std::string Serialized(const Scenario& scenario, const EventLog& log) {
  Result<std::string> text = WriteEventLogJson(scenario, log);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

// Whether protocol `name` runs on `scenario` (a protocol may refuse a party count or a space). The
// shuttle mediator is checked on the multi-issue scenarios.
bool Accepts(const std::string& name, const Scenario& scenario) {
  if (name.starts_with("shuttle")) return scenario.space.issue_count() > 1;
  ProtocolOptions o;
  return MakeProtocol(name, &scenario.space, static_cast<int>(scenario.parties.size()), o).ok();
}

// Every protocol on every scenario it accepts: a car sale, three parties on four issues, and one
// number (blind bidding takes nothing else). Each must accept at least one.
std::vector<Subject> Subjects() {
  std::vector<Subject> out;
  std::vector<Scenario> scenarios;
  for (const char* file : {"car-sale.json", "injury-claim.json"}) {
    Result<Scenario> loaded = LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/" + file});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    scenarios.push_back(*loaded);
  }
  GenerateOptions g;
  g.parties = 3;
  g.issues = 4;
  g.values = 4;
  g.seed = 11;
  g.reservation = 0.2;
  Result<Scenario> three = GenerateScenario(g);
  EXPECT_TRUE(three.ok()) << three.status().ToString();
  scenarios.push_back(*three);
  std::vector<std::string> names = ProtocolNames();
  names.push_back("shuttle");
  names.push_back("shuttle-seat");
  for (const std::string& name : names) {
    size_t before = out.size();
    for (const Scenario& sc : scenarios) {
      if (Accepts(name, sc)) out.push_back({name, sc});
    }
    EXPECT_GT(out.size(), before) << name << " accepts none of the contract's scenarios";
  }
  return out;
}

TEST(ProtocolContract, SameSeedSameLog) {
  for (const Subject& s : Subjects()) {
    SCOPED_TRACE(s.name + " on " + s.scenario.name);
    EventLog a = PlayTable(s, 5, false);
    EventLog b = PlayTable(s, 5, false);
    EXPECT_GT(a.size(), 2u);
    EXPECT_EQ(Serialized(s.scenario, a), Serialized(s.scenario, b));
  }
}

TEST(ProtocolContract, ReplayReproducesTheLogByteForByte) {
  for (const Subject& s : Subjects()) {
    SCOPED_TRACE(s.name + " on " + s.scenario.name);
    EventLog log = PlayTable(s, 9, false);
    const std::string written = Serialized(s.scenario, log);
    // Through the file format: what is replayed is what a user would have on disk.
    Result<EventLogFile> file = ParseEventLogJson(written, "contract.jsonl");
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    Table fresh = MakeTable(s, 9);
    EventLog got(s.scenario.space.issue_count());
    Status st = ReplayLog(fresh.protocol.get(), file->log, &got);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(Serialized(s.scenario, got), written);
    EXPECT_TRUE(Replay(s.scenario, file->log).ok());
    Status agents = ReplayAgents(s.scenario, file->log);
    EXPECT_TRUE(agents.ok()) << agents.ToString();
  }
}

// A copy of `log` with event `index` changed: another value of its first issue when it has an
// outcome, else a different text.
EventLog ChangedAt(const Scenario& scenario, const EventLog& log, size_t index) {
  EventLog changed(log.issue_count());
  for (size_t i = 0; i < log.size(); ++i) {
    const Event& e = log[i];
    std::vector<uint32_t> o(log.OutcomeOf(e).begin(), log.OutcomeOf(e).end());
    std::string text(log.TextOf(e));
    if (i == index && !o.empty()) {
      o[0] = (o[0] + 1) % static_cast<uint32_t>(scenario.space.issue(0).size());
    } else if (i == index) {
      text += " (edited)";
    }
    changed.Append(e, o.empty() ? nullptr : o.data(), text);
  }
  return changed;
}

TEST(ProtocolContract, ReplayRefusesAChangedEvent) {
  for (const Subject& s : Subjects()) {
    SCOPED_TRACE(s.name + " on " + s.scenario.name);
    EventLog log = PlayTable(s, 9, false);
    // What the protocol itself wrote (after the start): replay must produce it, so an edit shows.
    size_t own = 0, move = 0;
    for (size_t i = 1; i < log.size() && (own == 0 || move == 0); ++i) {
      const bool says = !log.OutcomeOf(log[i]).empty() || !log.TextOf(log[i]).empty();
      if (own == 0 && log[i].actor < 0 && says) own = i;
      if (move == 0 && log[i].actor >= 0 && !log.OutcomeOf(log[i]).empty()) move = i;
    }
    ASSERT_GT(own, 0u) << "no event of the protocol's own with an outcome or a text";
    Table fresh = MakeTable(s, 9);
    EventLog got(log.issue_count());
    Status st = ReplayLog(fresh.protocol.get(), ChangedAt(s.scenario, log, own), &got);
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.ToString();
    EXPECT_NE(st.message().find(fmt::format("event {}", own)), std::string::npos) << st.ToString();
    // A party's move is taken as given by the protocol, but re-running the parties catches it.
    if (move > 0) {
      Status agents = ReplayAgents(s.scenario, ChangedAt(s.scenario, log, move));
      EXPECT_EQ(agents.code(), StatusCode::kCorruption) << agents.ToString();
    }
  }
}

TEST(ProtocolContract, IllegalMovesChangeNothing) {
  for (const Subject& s : Subjects()) {
    SCOPED_TRACE(s.name + " on " + s.scenario.name);
    int probes = 0;
    EventLog probed = PlayTable(s, 3, true, &probes);
    EventLog clean = PlayTable(s, 3, false);
    EXPECT_GT(probes, 20);
    EXPECT_EQ(Serialized(s.scenario, probed), Serialized(s.scenario, clean));
  }
}

TEST(ProtocolContract, EveryEventHasADocumentedAudience) {
  for (const Subject& s : Subjects()) {
    SCOPED_TRACE(s.name + " on " + s.scenario.name);
    Table t = MakeTable(s, 4);
    std::span<const AudienceRule> rules = t.protocol->audiences();
    ASSERT_FALSE(rules.empty()) << "the protocol documents no audience";
    EventLog log = PlayTable(s, 4, false);
    for (size_t i = 0; i < log.size(); ++i) {
      const Event& e = log[i];
      const int32_t actor = e.actor >= 0 ? AudienceRule::kAnyParty : e.actor;
      bool documented = false;
      for (const AudienceRule& r : rules) {
        documented =
            documented || (r.type == e.type && r.actor == actor && r.audience == e.audience.kind);
      }
      EXPECT_TRUE(documented) << "event " << i << ": "
                              << DescribeEvent(log.RecordOf(e), s.scenario.space)
                              << " has an audience the protocol does not document";
      if (e.actor >= 0 && e.audience.kind == AudienceKind::kCaucus) {
        EXPECT_EQ(e.audience.party, e.actor)
            << "event " << i << ": a party's move heard in another's caucus";
      }
      if (e.audience.kind == AudienceKind::kCaucus) {
        EXPECT_GE(e.audience.party, 0);
        EXPECT_LT(e.audience.party, t.protocol->party_count());
      }
    }
  }
}

}  // namespace
}  // namespace shuttle
