// Sessions: moves, service events, the pending/committed split, rollback and replay checks.
#include "service/session.h"

#include <gtest/gtest.h>

#include "shuttle/io.h"

namespace shuttle::service_internal {
namespace {

SessionConfig HarbourConfig() {
  Result<std::string> text =
      ReadFile(std::string(SHUTTLE_SOURCE_DIR) + "/tests/data/service/harbour-talks.json");
  EXPECT_TRUE(text.ok());
  SessionConfig c;
  c.id = "s1";
  c.title = "harbour";
  Result<Scenario> s = ParseScenarioJson(*text, "harbour-talks.json");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  c.scenario = *s;
  return c;
}

constexpr const char* kNorthConfidence =
    R"({"weights": {"berths": 0.4, "dredging": 0.3, "patrols": 0.1, "start": 0.2}})";

std::vector<StoredEvent> CommitAll(Session* s) {
  std::vector<StoredEvent> out = s->Pending();
  s->MarkCommitted();
  return out;
}

// Plays a few moves: North confides and counter-proposes, South objects to nothing it can't, etc.
std::vector<StoredEvent> PlayFewMoves(Session* s) {
  std::vector<StoredEvent> log = CommitAll(s);
  const uint32_t north_best[] = {0, 2, 3, 0};
  const uint32_t south_best[] = {4, 0, 0, 1};
  EXPECT_TRUE(s->Move(EventType::kConfide, 0, nullptr, kNorthConfidence, 100).ok());
  s->AddServiceEvent(EventType::kNote, Audience::Caucus(0), 0, "a note from North", 101);
  EXPECT_TRUE(s->Move(EventType::kOffer, 0, north_best, "", 102).ok());
  EXPECT_TRUE(s->Move(EventType::kOffer, 1, south_best, "", 103).ok());
  s->AddServiceEvent(EventType::kStatement, Audience::Public(), kMediator, "We met both towns.",
                     104);
  EXPECT_TRUE(s->Move(EventType::kAccept, 0, nullptr, "", 105).ok());
  for (StoredEvent& e : CommitAll(s)) log.push_back(std::move(e));
  return log;
}

TEST(SessionTest, OpeningEventsArePendingUntilCommitted) {
  Result<std::unique_ptr<Session>> s = Session::Create(HarbourConfig(), 42);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<StoredEvent> pending = (*s)->Pending();
  ASSERT_GE(pending.size(), 2u);
  EXPECT_EQ(pending[0].event.type, EventType::kStart);
  EXPECT_EQ(pending[0].at, 42);
  (*s)->MarkCommitted();
  EXPECT_TRUE((*s)->Pending().empty());
}

TEST(SessionTest, RestoreReproducesTheCombinedLog) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  std::vector<StoredEvent> log = PlayFewMoves(s.get());
  Result<std::unique_ptr<Session>> restored = Session::Restore(HarbourConfig(), log);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  ASSERT_EQ((*restored)->size(), s->size());
  std::vector<StoredEvent> again = (*restored)->Pending();
  EXPECT_TRUE(again.empty());  // Everything restored counts as committed.
  EXPECT_EQ((*restored)->mediator().visit(), s->mediator().visit());
  EXPECT_EQ((*restored)->mediator().NextTurn().actor, s->mediator().NextTurn().actor);
  for (size_t i = 0; i < s->size(); ++i) {
    EXPECT_EQ((*restored)->At(i).text, s->At(i).text) << i;
    EXPECT_EQ((*restored)->At(i).service, s->At(i).service) << i;
  }
}

TEST(SessionTest, ViewsKeepEachCaucusToItsParty) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  PlayFewMoves(s.get());
  for (size_t i : s->ViewOf(1)) {
    const Audience& a = s->At(i).event->audience;
    EXPECT_TRUE(a.kind == AudienceKind::kPublic ||
                (a.kind == AudienceKind::kCaucus && a.party == 1))
        << i;
    EXPECT_NE(s->At(i).text, "a note from North");
  }
  EXPECT_EQ(s->ViewOf(kMediator).size(), s->size());
  for (size_t i : s->ViewOf(kPublic))
    EXPECT_EQ(s->At(i).event->audience.kind, AudienceKind::kPublic);
}

TEST(SessionTest, RollbackForgetsUncommittedMoves) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  CommitAll(s.get());
  const size_t before = s->size();
  const uint32_t north_best[] = {0, 2, 3, 0};
  ASSERT_TRUE(s->Move(EventType::kOffer, 0, north_best, "", 5).ok());
  EXPECT_EQ(s->mediator().NextTurn().actor, 1);
  s->Rollback();
  EXPECT_EQ(s->size(), before);
  EXPECT_TRUE(s->Pending().empty());
  EXPECT_EQ(s->mediator().NextTurn().actor,
            0);  // North is back in caucus: its answer never happened.
}

TEST(SessionTest, RefusedMovesChangeNothing) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  CommitAll(s.get());
  EXPECT_EQ(s->Move(EventType::kAccept, 1, nullptr, "", 5).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->Move(EventType::kConfide, 0, nullptr, "{\"weights\": 3}", 5).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(s->Pending().empty());
}

TEST(SessionTest, RestoreNamesATamperedEvent) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  std::vector<StoredEvent> log = PlayFewMoves(s.get());
  // The mediator's proposal to South after North's counter-proposal, changed to another text.
  size_t propose = 0;
  for (size_t i = 3; i < log.size(); ++i) {
    if (log[i].event.type == EventType::kPropose) {
      propose = i;
      break;
    }
  }
  ASSERT_GT(propose, 0u);
  std::vector<StoredEvent> tampered = log;
  tampered[propose].text = "{\"visit\": 9, \"stage\": 0}";
  Result<std::unique_ptr<Session>> r = Session::Restore(HarbourConfig(), tampered);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("event " + std::to_string(propose)), std::string::npos)
      << r.status().message();
}

TEST(SessionTest, RestoreRefusesALogThatLacksTheMediatorsReply) {
  std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
  std::vector<StoredEvent> log = PlayFewMoves(s.get());
  log.pop_back();  // The last move's consequence (the mediator's next proposal) is missing.
  EXPECT_EQ(Session::Restore(HarbourConfig(), log).status().code(), StatusCode::kCorruption);
}

TEST(SessionTest, ClosedAndWalkedOutSessionsRestore) {
  for (bool walk_out : {false, true}) {
    std::unique_ptr<Session> s = Session::Create(HarbourConfig(), 1).value();
    std::vector<StoredEvent> log = PlayFewMoves(s.get());
    if (walk_out) {
      ASSERT_TRUE(s->Move(EventType::kEnd, 1, nullptr, "", 9).ok());
    } else {
      ASSERT_TRUE(s->Close(9).ok());
      EXPECT_EQ(s->Close(10).code(), StatusCode::kFailedPrecondition);
    }
    for (StoredEvent& e : CommitAll(s.get())) log.push_back(std::move(e));
    EXPECT_TRUE(s->mediator().done());
    Result<std::unique_ptr<Session>> r = Session::Restore(HarbourConfig(), log);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE((*r)->mediator().done());
    EXPECT_EQ((*r)->mediator().end_reason(), walk_out ? "walk-out" : "deadline");
  }
}

TEST(SessionOptionsTest, RoundTripAndStrictFields) {
  MediationOptions o;
  o.criterion = Criterion::kEgalitarian;
  o.max_visits = 12;
  o.seed = 18446744073709551615ull;
  const Scenario scenario = HarbourConfig().scenario;
  Result<MediationOptions> back = ParseOptionsJson(OptionsJson(o), scenario);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->criterion, Criterion::kEgalitarian);
  EXPECT_EQ(back->max_visits, 12);
  EXPECT_EQ(back->seed, o.seed);
  EXPECT_EQ(ParseOptionsJson(R"({"max_visit": 3})", scenario).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOptionsJson(R"({"max_visits": "3"})", scenario).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOptionsJson(R"({"seed": -1})", scenario).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOptionsJson(R"({"criterion": "best"})", scenario).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseOptionsJson("[]", scenario).status().code(), StatusCode::kInvalidArgument);
  // A bidding step round-trips with its issue and claimant resolved by name.
  const int patrols = scenario.space.FindIssue("patrols");
  ASSERT_GE(patrols, 0);
  Result<MediationOptions> bidding = ParseOptionsJson(
      R"({"mediator": "person", "bidding": {"issue": "patrols", "claimant": 1, "rounds": 4,
          "margin_amount": 1, "crossing": "midpoint"}})",
      scenario);
  ASSERT_TRUE(bidding.ok()) << bidding.status().ToString();
  EXPECT_EQ(bidding->bidding.issue, patrols);
  EXPECT_EQ(bidding->bidding.rules.claimant, 1);
  EXPECT_EQ(bidding->bidding.rounds, 4);
  EXPECT_EQ(bidding->bidding.rules.crossing, BlindBiddingRules::Crossing::kMidpoint);
  Result<MediationOptions> again = ParseOptionsJson(OptionsJson(*bidding), scenario);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->bidding, bidding->bidding);
}

}  // namespace
}  // namespace shuttle::service_internal
