// The mediator's seat: a person (the test) plays it through the protocol's moves; the engine plays
// it as today's mediator did without a seat.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "mediation/messages.h"
#include "mediation/testing.h"
#include "shuttle/drive.h"
#include "shuttle/generate.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::TradeScenario;

// The talks with a person in the seat and automated parties, driven move by move.
class Table {
 public:
  Table(const Scenario& scenario, std::vector<std::string> specs) : scenario_(scenario) {
    const int n = static_cast<int>(scenario_.parties.size());
    MediationOptions o;
    o.helm = true;
    o.mediator = "person";
    o.agents = specs;
    o.agenda = scenario_.agenda;
    auto m = MakeMediator(&scenario_.space, n, o);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    mediator_ = std::move(m).value();
    for (int k = 0; k < n; ++k) {
      auto u = Utility::Compile(scenario_.space, scenario_.parties[k].profile);
      EXPECT_TRUE(u.ok());
      utilities_.push_back(std::move(u).value());
    }
    for (int k = 0; k < n; ++k) {
      auto a = MakeCaucusAgent(specs[k], &scenario_.parties[k].profile);
      EXPECT_TRUE(a.ok());
      AgentContext c{&scenario_.space,      &utilities_[k], k, n,
                     &mediator_->options(), AgentSeed(1, k)};
      EXPECT_TRUE((*a)->Init(c).ok());
      agents_.push_back(std::move(a).value());
    }
    log_ = EventLog(scenario_.space.issue_count());
    mediator_->Start(&log_);
    Deliver(0);
  }

  // The person's move; on success the parties hear what they may, and the party whose turn it
  // then is acts until the floor is the mediator's again.
  Status Move(EventType type, int32_t value = 0, const Outcome& outcome = {},
              std::string_view text = {}) {
    Action a;
    a.type = type;
    a.actor = kMediator;
    a.value = value;
    a.outcome = outcome.empty() ? nullptr : outcome.data();
    a.text = text;
    Status s = Apply(a);
    while (s.ok() && !mediator_->done() && mediator_->NextTurn().actor >= 0 && PartyActs()) {
    }
    return s;
  }
  // One move as given (the parties' agents hear it but do not act); a refused move appends nothing.
  Status Apply(const Action& a) {
    const size_t before = log_.size();
    Status s = mediator_->Apply(a, 0, &log_);
    if (!s.ok()) {
      EXPECT_EQ(log_.size(), before) << "a refused move appended events";
      return s;
    }
    Deliver(before);
    return s;
  }
  void MustMove(EventType type, int32_t value = 0, const Outcome& outcome = {},
                std::string_view text = {}) {
    Status s = Move(type, value, outcome, text);
    ASSERT_TRUE(s.ok()) << EventTypeName(type) << ": " << s.ToString();
  }
  // A move by party `k` itself (not its agent).
  Status PartyMove(int32_t k, EventType type, std::string_view text, const Outcome& outcome = {}) {
    Action a;
    a.type = type;
    a.actor = k;
    a.text = text;
    a.outcome = outcome.empty() ? nullptr : outcome.data();
    return Apply(a);
  }
  // The last answer in caucus of party k (type), or kNote when none.
  EventType LastAnswer(int32_t k) const {
    for (size_t i = log_.size(); i-- > 0;) {
      const Event& e = log_[i];
      if (e.actor == k && e.type != EventType::kConfide) return e.type;
    }
    return EventType::kNote;
  }

  const EventLog& log() const { return log_; }
  Mediator& mediator() { return *mediator_; }
  const Scenario& scenario() const { return scenario_; }

 private:
  // The agent of the party whose turn it is acts; false when its move is refused.
  bool PartyActs() {
    Turn turn = mediator_->NextTurn();
    std::vector<uint32_t> scratch(scenario_.space.issue_count());
    Action a;
    a.actor = turn.actor;
    agents_[turn.actor]->Act(turn, 0, &a, scratch.data());
    Status s = Apply(a);
    EXPECT_TRUE(s.ok()) << "party " << turn.actor << ": " << s.ToString();
    return s.ok();
  }
  void Deliver(size_t from) {
    for (size_t i = from; i < log_.size(); ++i) {
      for (size_t k = 0; k < agents_.size(); ++k) {
        if (log_[i].audience.Sees(static_cast<int32_t>(k))) agents_[k]->Observe(log_, log_[i]);
      }
    }
  }

  Scenario scenario_;
  std::unique_ptr<Mediator> mediator_;
  std::vector<Utility> utilities_;
  std::vector<std::unique_ptr<Agent>> agents_;
  EventLog log_;
};

TEST(HelmTest, APersonMediatesOutOfOrderWithAPartialTextAndAQuestionToAgreement) {
  Table t(TradeScenario(), {"reticent", "reticent"});
  // Party 1 first, invited to propose.
  t.MustMove(EventType::kOpen, 1);
  t.MustMove(EventType::kPropose);
  EXPECT_EQ(t.LastAnswer(1), EventType::kOffer);
  t.MustMove(EventType::kLeave);
  // Party 0 twice in a row: a partial text (delivery left open), then a structured question.
  const Outcome text = {1, 1, 1};  // p1, d1, full
  t.MustMove(EventType::kOpen, 0);
  t.MustMove(EventType::kPropose, 0, text, R"({"open":["delivery"],"words":"a first idea"})");
  EXPECT_NE(t.LastAnswer(0), EventType::kNote);
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 0);
  t.MustMove(EventType::kAsk, 0, {},
             R"({"kind":"live_with","issue":"price","values":["p1","p3"]})");
  EXPECT_EQ(t.LastAnswer(0), EventType::kAnswer);
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kRound);
  // Then the same text to both, in varying order, until both accept it.
  for (int visit = 2; visit < 40 && !t.mediator().done(); ++visit) {
    for (int32_t k : {visit % 2, 1 - visit % 2}) {
      t.MustMove(EventType::kOpen, k);
      t.MustMove(EventType::kPropose, 0, text);
      t.MustMove(EventType::kLeave);
    }
    t.MustMove(EventType::kRound);
    if (t.LastAnswer(0) == EventType::kAccept && t.LastAnswer(1) == EventType::kAccept) {
      t.MustMove(EventType::kSettle);
      t.MustMove(EventType::kStatement, 0, {}, "The parties have agreed.");
      t.MustMove(EventType::kClose);
    }
  }
  ASSERT_TRUE(t.mediator().done());
  EXPECT_EQ(t.mediator().status(), MediationStatus::kAgreement);
  ASSERT_NE(t.mediator().agreement(), nullptr);
  EXPECT_EQ(Outcome(t.mediator().agreement(), t.mediator().agreement() + 3), text);
  // The log replays: the protocol from its moves, and the parties re-run against the person's
  // logged moves.
  Status replay = ReplayMediation(t.scenario(), t.log());
  EXPECT_TRUE(replay.ok()) << replay.ToString();
  Status agents = ReplayMediationAgents(t.scenario(), t.log());
  EXPECT_TRUE(agents.ok()) << agents.ToString();
}

TEST(HelmTest, RefusedMovesNameTheCauseAndChangeNothing) {
  Table t(TradeScenario(), {"reticent", "reticent"});
  auto message = [](const Status& s) { return s.ToString(); };
  Status s = t.Move(EventType::kSettle);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(message(s).find("has not accepted"), std::string::npos) << message(s);
  EXPECT_EQ(t.Move(EventType::kPropose, 0, {1, 1, 1}).code(), StatusCode::kFailedPrecondition);
  s = t.Move(EventType::kOpen, 5);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(message(s).find("no party 5"), std::string::npos) << message(s);
  t.MustMove(EventType::kOpen, 0);
  EXPECT_EQ(t.Move(EventType::kOpen, 1).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(t.Move(EventType::kRound).code(), StatusCode::kFailedPrecondition);
  s = t.Move(EventType::kPropose, 0, {1, 1, 1}, R"({"open":["colour"]})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(message(s).find("colour"), std::string::npos) << message(s);
  s = t.Move(EventType::kPropose, 0, {1, 7, 1});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(message(s).find("delivery"), std::string::npos) << message(s);
  s = t.Move(EventType::kAsk, 0, {}, R"({"kind":"live_with","issue":"price","values":["p9"]})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(message(s).find("p9"), std::string::npos) << message(s);
  EXPECT_EQ(t.PartyMove(1, EventType::kAccept, "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(t.PartyMove(0, EventType::kAccept, "").code(), StatusCode::kFailedPrecondition)
      << "the mediator has the floor";
  EXPECT_EQ(t.Move(EventType::kEnd).code(), StatusCode::kFailedPrecondition);
  // The log holds the start and the one legal move.
  EXPECT_EQ(t.log().size(), 2u);
}

TEST(HelmTest, EveryPartyWordIsHeardInItsOwnCaucusOnly) {
  Table t(TradeScenario(), {"reticent", "reticent"});
  t.MustMove(EventType::kOpen, 0);
  // The mediator asks; the test answers for party 0 with a marker, and confides another.
  ASSERT_TRUE(t.Move(EventType::kAsk, 0, {}, R"({"kind":"words","words":"What matters?"})").ok());
  ASSERT_TRUE(t.log()[t.log().size() - 1].type == EventType::kAnswer);
  t.MustMove(EventType::kPropose);
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 1);
  ASSERT_TRUE(t.Move(EventType::kAsk, 0, {}, R"({"kind":"rank","issue":"price"})").ok());
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 0);
  t.MustMove(EventType::kAsk, 0, {}, R"({"kind":"red_line","issue":"price"})");
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kRound);
  t.MustMove(EventType::kStatement, 0, {}, "Talks continue.");
  // Every event with a party's words is heard by that party and the mediator only.
  for (size_t i = 0; i < t.log().size(); ++i) {
    const Event& e = t.log()[i];
    if (e.actor < 0) continue;
    EXPECT_EQ(e.audience, Audience::Caucus(e.actor)) << "event " << i;
    EXPECT_FALSE(e.audience.Sees(kPublic));
    EXPECT_FALSE(e.audience.Sees(1 - e.actor));
  }
}

TEST(HelmTest, ThePartyConfidesBeforeAnsweringAndOnlyTheMediatorHearsIt) {
  Table t(TradeScenario(), {"reticent", "reticent"});
  t.MustMove(EventType::kOpen, 0);
  // Put a text, then let the test speak for party 0 before its agent would: the protocol gives
  // party 0 the floor after the text, so drive it by hand here.
  Action a;
  a.type = EventType::kPropose;
  a.actor = kMediator;
  const Outcome text = {1, 1, 1};
  a.outcome = text.data();
  ASSERT_TRUE(t.Apply(a).ok());
  const std::string marker =
      R"({"red_lines":[{"issue":"price","forbid":["p3"],"note":"MARKER-secret-0"}]})";
  ASSERT_TRUE(t.PartyMove(0, EventType::kConfide, marker).ok());
  ASSERT_TRUE(t.PartyMove(0, EventType::kAccept, "").ok());
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 1);
  t.MustMove(EventType::kPropose, 0, text);
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kRound);
  t.MustMove(EventType::kStatement, 0, {}, "The gap has narrowed.");
  int found = 0;
  for (size_t i = 0; i < t.log().size(); ++i) {
    const Event& e = t.log()[i];
    if (t.log().TextOf(e).find("MARKER-secret-0") == std::string_view::npos) continue;
    ++found;
    EXPECT_FALSE(e.audience.Sees(1)) << "event " << i;
    EXPECT_FALSE(e.audience.Sees(kPublic)) << "event " << i;
  }
  EXPECT_EQ(found, 1);
}

TEST(HelmTest, TheEngineInTheSeatReportsWhatTheEngineWithoutASeatDid) {
  for (const std::vector<std::string>& specs : std::vector<std::vector<std::string>>{
           {"reticent", "reticent"}, {"truthful", "reticent"}, {"strategic", "truthful"}}) {
    SCOPED_TRACE(specs[0] + "/" + specs[1]);
    MediationRunOptions o;
    o.parties = specs;
    o.mediation.max_visits = 40;
    o.mediation.ask = false;  // Today's policy asks nothing and closes on the first agreement.
    o.mediation.improve_visits = 0;
    Result<MediationReport> seat = Mediate(TradeScenario(), o);
    o.engine_seat = false;
    Result<MediationReport> inside = Mediate(TradeScenario(), o);
    ASSERT_TRUE(seat.ok() && inside.ok());
    EXPECT_EQ(seat->agreement, inside->agreement);
    EXPECT_EQ(seat->utilities, inside->utilities);
    EXPECT_EQ(seat->visits, inside->visits);
    EXPECT_EQ(seat->statements, inside->statements);
    EXPECT_EQ(seat->gap_by_visit, inside->gap_by_visit);
    EXPECT_EQ(seat->bits_disclosed, inside->bits_disclosed);
    EXPECT_EQ(seat->end_reason, inside->end_reason);
    EXPECT_GT(seat->log.size(), inside->log.size());  // The seat's moves are in its log.
  }
}

// With options.ask the engine asks, after each answer to a complete text, about every open issue
// the answer did not list; the party answers in its caucus alone, and the log replays.
TEST(HelmTest, TheEngineAsksAboutEveryIssueTheAnswerDidNotList) {
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  o.mediation.max_visits = 40;
  Result<MediationReport> r = Mediate(TradeScenario(), o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const EventLog& log = r->log;
  int asked = 0;
  for (size_t i = 0; i < log.size(); ++i) {
    const Event& e = log[i];
    if (e.type != EventType::kAsk) continue;
    ++asked;
    ASSERT_EQ(e.audience.kind, AudienceKind::kCaucus);
    const int party = e.audience.party;
    // Its answer comes next, from the party, heard in its caucus only.
    ASSERT_LT(i + 1, log.size());
    const Event& answer = log[i + 1];
    EXPECT_EQ(answer.type, EventType::kAnswer);
    EXPECT_EQ(answer.actor, party);
    EXPECT_EQ(answer.audience.kind, AudienceKind::kCaucus);
    EXPECT_EQ(answer.audience.party, party);
    // The issue asked about was not listed in the party's answer to the text before it.
    Result<mediation_internal::Question> q =
        mediation_internal::ParseQuestion(TradeScenario().space, log.TextOf(e));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->kind, mediation_internal::Question::Kind::kLiveWith);
    size_t k = i;
    while (k > 0 && !(log[k].actor == party &&
                      (log[k].type == EventType::kAccept || log[k].type == EventType::kObject)))
      --k;
    ASSERT_GT(k, 0u);
    if (log[k].type == EventType::kObject) {
      Result<mediation_internal::Objection> objection =
          mediation_internal::ParseObjection(TradeScenario().space, log.TextOf(log[k]));
      ASSERT_TRUE(objection.ok());
      for (const auto& item : objection->issues) EXPECT_NE(item.issue, q->issue);
    }
  }
  EXPECT_GT(asked, 0);
  Result<std::pair<int, MediationOptions>> start =
      mediation_internal::ParseStart(log.TextOf(log[0]));
  ASSERT_TRUE(start.ok());
  EXPECT_TRUE(start->second.ask);
  EXPECT_TRUE(ReplayMediation(TradeScenario(), log).ok());
  // Without asking, the same talks have no question in them.
  o.mediation.ask = false;
  Result<MediationReport> quiet = Mediate(TradeScenario(), o);
  ASSERT_TRUE(quiet.ok());
  for (const Event& e : quiet->log.events()) EXPECT_NE(e.type, EventType::kAsk);
}

// After agreement on x, a person proposes improvements: one worse for the buyer (declined, so it
// cannot be settled) and one better for both (adopted by settling); closing agrees on it. Moves
// that do not fit an agreed table are refused and append nothing.
TEST(HelmTest, AfterAgreementAnImprovementReplacesItOnlyWhenEveryPartyAcceptsIt) {
  Table t(TradeScenario(), {"reticent", "reticent"});
  const Outcome x = {1, 1, 0};           // p1, d1, no warranty: buyer 0.45, seller 0.44
  const Outcome better = {1, 1, 1};      // with the warranty: buyer 0.75, seller 0.52
  const Outcome for_seller = {2, 1, 0};  // buyer 0.25, seller 0.68
  for (int visit = 1; visit < 40; ++visit) {
    for (int32_t k : {0, 1}) {
      t.MustMove(EventType::kOpen, k);
      t.MustMove(EventType::kPropose, 0, x);
      t.MustMove(EventType::kLeave);
    }
    t.MustMove(EventType::kRound);
    if (t.LastAnswer(0) == EventType::kAccept && t.LastAnswer(1) == EventType::kAccept) break;
  }
  t.MustMove(EventType::kSettle);
  ASSERT_FALSE(t.mediator().done());

  // A proposal the buyer declines, naming price; the seller accepts; it cannot be settled.
  t.MustMove(EventType::kOpen, 0);
  Status partial = t.Move(EventType::kPropose, 0, for_seller, R"({"open":["price"]})");
  EXPECT_EQ(partial.code(), StatusCode::kInvalidArgument) << partial.ToString();
  t.MustMove(EventType::kPropose, 0, for_seller);
  ASSERT_EQ(t.LastAnswer(0), EventType::kObject);
  Result<mediation_internal::Objection> named = mediation_internal::ParseObjection(
      t.scenario().space, t.log().TextOf(t.log()[t.log().size() - 1]));
  ASSERT_TRUE(named.ok());
  ASSERT_EQ(named->issues.size(), 1u);
  EXPECT_EQ(named->issues[0].issue, 0);  // price
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 1);
  t.MustMove(EventType::kPropose, 0, for_seller);
  EXPECT_EQ(t.LastAnswer(1), EventType::kAccept);
  t.MustMove(EventType::kLeave);
  EXPECT_EQ(t.Move(EventType::kSettle).code(), StatusCode::kFailedPrecondition);

  // A proposal better for both: the party may not walk out of an agreed table, nor counter.
  t.MustMove(EventType::kOpen, 0);
  Action put;
  put.type = EventType::kPropose;
  put.actor = kMediator;
  put.outcome = better.data();
  ASSERT_TRUE(t.Apply(put).ok());
  EXPECT_EQ(t.PartyMove(0, EventType::kEnd, "").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(t.PartyMove(0, EventType::kOffer, "", x).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(t.PartyMove(0, EventType::kAccept, "").ok());
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kOpen, 1);
  t.MustMove(EventType::kPropose, 0, better);
  EXPECT_EQ(t.LastAnswer(1), EventType::kAccept);
  t.MustMove(EventType::kLeave);
  t.MustMove(EventType::kRound);
  t.MustMove(EventType::kSettle);
  t.MustMove(EventType::kClose);
  ASSERT_TRUE(t.mediator().done());
  EXPECT_EQ(t.mediator().status(), MediationStatus::kAgreement);
  EXPECT_EQ(Outcome(t.mediator().agreement(), t.mediator().agreement() + 3), better);
  // Each party was told, in its own caucus, what was adopted and that it improves the agreement.
  int adopted = 0;
  for (const Event& e : t.log().events()) {
    if (e.type != EventType::kAdopt) continue;
    std::span<const uint32_t> o = t.log().OutcomeOf(e);
    if (Outcome(o.begin(), o.end()) != better) continue;
    EXPECT_EQ(e.audience.kind, AudienceKind::kCaucus);
    Result<mediation_internal::ProposeInfo> info =
        mediation_internal::ParsePropose(t.log().TextOf(e));
    ASSERT_TRUE(info.ok());
    EXPECT_TRUE(info->improves);
    ++adopted;
  }
  EXPECT_EQ(adopted, 2);
  Status replay = ReplayMediation(t.scenario(), t.log());
  EXPECT_TRUE(replay.ok()) << replay.ToString();
  Status agents = ReplayMediationAgents(t.scenario(), t.log());
  EXPECT_TRUE(agents.ok()) << agents.ToString();
}

// The engine's search after agreement, as a property over scenarios and parties: no party ever
// ends worse off, by its own profile, than at the first agreement; with truthful parties the first
// agreement is on the frontier and nothing is proposed; every answer to an improvement is heard in
// its party's caucus alone; the log replays.
TEST(HelmTest, AfterAgreementNoPartyIsEverWorseOff) {
  std::vector<Scenario> scenarios = {TradeScenario()};
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    GenerateOptions g;
    g.issues = 3 + static_cast<int>(seed % 4);
    g.values = 3 + static_cast<int>(seed % 4);
    g.seed = seed;
    g.opposition = 0.3;
    g.reservation = 0.2;
    Result<Scenario> s = GenerateScenario(g);
    ASSERT_TRUE(s.ok());
    scenarios.push_back(*std::move(s));
  }
  int searched = 0;
  for (const Scenario& scenario : scenarios) {
    for (const std::vector<std::string>& specs : std::vector<std::vector<std::string>>{
             {"reticent", "reticent"}, {"truthful", "truthful"}, {"reticent", "truthful"}}) {
      SCOPED_TRACE(scenario.name + " " + specs[0] + "/" + specs[1]);
      MediationRunOptions o;
      o.parties = specs;
      Result<MediationReport> r = Mediate(scenario, o);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (!r->agreement) continue;
      const EventLog& log = r->log;
      std::optional<Outcome> first;
      bool proposed = false;
      for (const Event& e : log.events()) {
        if (e.type == EventType::kAdopt && !first) {
          std::span<const uint32_t> o = log.OutcomeOf(e);
          first = Outcome(o.begin(), o.end());
        }
        if (e.type == EventType::kPropose) {
          Result<mediation_internal::ProposeInfo> info =
              mediation_internal::ParsePropose(log.TextOf(e));
          proposed = proposed || (info.ok() && info->improves);
        }
        if (proposed && e.actor >= 0) {
          EXPECT_EQ(e.audience.kind, AudienceKind::kCaucus);
          EXPECT_EQ(e.audience.party, e.actor);
        }
      }
      ASSERT_TRUE(first.has_value());
      for (size_t k = 0; k < scenario.parties.size(); ++k) {
        Result<Utility> u = Utility::Compile(scenario.space, scenario.parties[k].profile);
        ASSERT_TRUE(u.ok());
        EXPECT_GE(u->Evaluate(*r->agreement), u->Evaluate(*first) - 1e-12) << "party " << k;
      }
      if (specs[0] == "truthful" && specs[1] == "truthful") {
        EXPECT_FALSE(proposed);
        EXPECT_EQ(*r->agreement, *first);
      }
      if (proposed) ++searched;
      EXPECT_TRUE(ReplayMediation(scenario, log).ok());
    }
  }
  EXPECT_GT(searched, 0);  // Some first agreement was worth trying to improve (the corpus test
                           // measures the gain).
}

}  // namespace
}  // namespace shuttle
