// The bidding step (MediationOptions::bidding): the last issue settled by blind bidding at the
// mediator's table. A person plays the seat move by move; the engine plays it in Mediate.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "mediation/testing.h"
#include "protocol/testing.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::Linear;
using protocol_testing::Rules;

// One integer issue, the amount 0..100: the whole mediation is the bidding step.
OutcomeSpace AmountSpace() { return OutcomeSpace({Issue::Integer("amount", 0, 100)}); }

MediationOptions BiddingOptions(BlindBiddingRules rules, int rounds = 3) {
  MediationOptions o;
  o.helm = true;
  o.mediator = "person";
  o.bidding.issue = 0;
  o.bidding.rules = rules;
  o.bidding.rounds = rounds;
  return o;
}

Action Move(EventType type, int32_t actor, std::string_view text = {}, int32_t value = 0) {
  Action a;
  a.type = type;
  a.actor = actor;
  a.text = text;
  a.value = value;
  return a;
}

// One round at the table: each party in turn is asked for its bid and gives `bids[k]` (nullopt:
// declines); then the round ends.
void BidRound(Mediator* m, EventLog* log, const std::vector<std::optional<int>>& bids) {
  for (int k = 0; k < 2; ++k) {
    ASSERT_TRUE(m->Apply(Move(EventType::kOpen, kMediator, {}, k), 0, log).ok());
    ASSERT_TRUE(
        m->Apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"amount"})"), 0, log)
            .ok());
    const std::string answer =
        bids[k] ? fmt::format(R"({{"bid":{}}})", *bids[k]) : std::string(R"({"declined":true})");
    Status s = m->Apply(Move(EventType::kAnswer, k, answer), 0, log);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(m->Apply(Move(EventType::kLeave, kMediator), 0, log).ok());
  }
  ASSERT_TRUE(m->Apply(Move(EventType::kRound, kMediator), 0, log).ok());
}

struct BidCase {
  const char* what;
  BlindBiddingRules rules;
  int demand, offer;           // Party 0 claims (unless rules.claimant says otherwise).
  std::optional<int> settles;  // The amount, or none.
};

TEST(BiddingStepTest, ARoundSettlesOrNotExactlyByTheRule) {
  using C = BlindBiddingRules::Crossing;
  const BidCase cases[] = {
      {"crossed, at the demand", Rules(0, 0), 60, 70, 60},
      {"crossed, at the midpoint", Rules(0, 0, C::kMidpoint), 60, 70, 65},
      {"met exactly", Rules(0, 0), 60, 60, 60},
      {"apart, no margin", Rules(0, 0), 60, 59, std::nullopt},
      {"within 20% of the demand", Rules(20, 0), 60, 50, 55},
      {"at exactly 20% of the demand", Rules(20, 0), 50, 40, 45},
      {"beyond 10% of the demand", Rules(10, 0), 60, 50, std::nullopt},
      {"within the amount", Rules(0, 10), 60, 50, 55},
      {"beyond the amount", Rules(0, 9), 60, 50, std::nullopt},
      {"midpoint between two values: the lower", Rules(0, 11), 61, 50, 55},
      {"either margin is enough", Rules(5, 12), 60, 49, 54},
      {"the default 30%", BlindBiddingRules{}, 100, 70, 85},
      {"party 1 claims", Rules(0, 0, C::kDemand, 1), 40, 45, 40},
  };
  for (const BidCase& c : cases) {
    SCOPED_TRACE(c.what);
    const OutcomeSpace space = AmountSpace();
    auto m = MakeMediator(&space, 2, BiddingOptions(c.rules));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EventLog log(1);
    (*m)->Start(&log);
    std::vector<std::optional<int>> bids(2);
    bids[c.rules.claimant] = c.demand;
    bids[1 - c.rules.claimant] = c.offer;
    BidRound(m->get(), &log, bids);
    if (c.settles) {
      ASSERT_TRUE((*m)->done());
      ASSERT_NE((*m)->agreement(), nullptr);
      EXPECT_EQ(static_cast<int>((*m)->agreement()[0]), *c.settles);
      EXPECT_EQ((*m)->status(), MediationStatus::kAgreement);
    } else {
      EXPECT_FALSE((*m)->done());
      EXPECT_EQ((*m)->agreement(), nullptr);
    }
  }
}

TEST(BiddingStepTest, NoBidReachesTheOtherPartyOrThePublic) {
  const OutcomeSpace space = AmountSpace();
  auto m = MakeMediator(&space, 2, BiddingOptions(Rules(0, 0), 3));
  ASSERT_TRUE(m.ok());
  EventLog log(1);
  (*m)->Start(&log);
  // Distinct amounts no round settles: 97 / 13, then 91 / 17, then 89 / 23.
  const int demands[] = {97, 91, 89}, offers[] = {13, 17, 23};
  for (int r = 0; r < 3; ++r) BidRound(m->get(), &log, {demands[r], offers[r]});
  ASSERT_TRUE((*m)->done());
  EXPECT_EQ((*m)->status(), MediationStatus::kImpasse);
  EXPECT_EQ((*m)->end_reason(), "blind bidding: no settlement in 3 rounds");
  for (size_t e = 0; e < log.size(); ++e) {
    const Event& ev = log[e];
    const std::string text(log.TextOf(ev));
    for (int r = 0; r < 3; ++r) {
      const std::string d = std::to_string(demands[r]), o = std::to_string(offers[r]);
      // The claimant's demand is heard by the claimant (and the seat) only, and so on.
      if (ev.audience.kind != AudienceKind::kCaucus || ev.audience.party != 0)
        EXPECT_EQ(text.find(d), std::string::npos) << "event " << e << ": " << text;
      if (ev.audience.kind != AudienceKind::kCaucus || ev.audience.party != 1)
        EXPECT_EQ(text.find(o), std::string::npos) << "event " << e << ": " << text;
    }
    EXPECT_TRUE(log.OutcomeOf(ev).empty() || ev.type == EventType::kStart) << "event " << e;
  }
  // Each party heard of each round's end, without a bid.
  int notes = 0;
  for (size_t e = 0; e < log.size(); ++e) {
    if (log[e].type == EventType::kNote && log[e].actor == kSystem) {
      ++notes;
      EXPECT_NE(std::string(log.TextOf(log[e])).find(R"("settled":false)"), std::string::npos);
    }
  }
  EXPECT_EQ(notes, 6);
}

TEST(BiddingStepTest, TheTableRefusesMovesThatDoNotFitTheStep) {
  const OutcomeSpace space = OutcomeSpace(
      {Issue::Discrete("warranty", {"none", "full"}), Issue::Integer("amount", 0, 100)});
  MediationOptions o = BiddingOptions(Rules(0, 0));
  o.bidding.issue = 1;
  auto m = MakeMediator(&space, 2, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EventLog log(2);
  (*m)->Start(&log);
  auto apply = [&](const Action& a) { return (*m)->Apply(a, 0, &log); };
  // The warranty stage first: no bid yet.
  ASSERT_TRUE(apply(Move(EventType::kOpen, kMediator, {}, 0)).ok());
  Status early = apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"amount"})"));
  EXPECT_EQ(early.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(early.message().find("once every other stage is settled"), std::string::npos)
      << early.ToString();
  // Settle the warranty: both accept "full".
  Outcome text = {1, 0};
  for (int k = 0; k < 2; ++k) {
    if (k == 1) ASSERT_TRUE(apply(Move(EventType::kOpen, kMediator, {}, 1)).ok());
    Action put = Move(EventType::kPropose, kMediator);
    put.outcome = text.data();
    ASSERT_TRUE(apply(put).ok());
    ASSERT_TRUE(apply(Move(EventType::kAccept, k)).ok());
    ASSERT_TRUE(apply(Move(EventType::kLeave, kMediator)).ok());
  }
  ASSERT_TRUE(apply(Move(EventType::kRound, kMediator)).ok());
  ASSERT_TRUE(apply(Move(EventType::kSettle, kMediator)).ok());
  // The bidding step: no text, no settle; one bid per party and round; only on its issue.
  ASSERT_TRUE(apply(Move(EventType::kOpen, kMediator, {}, 0)).ok());
  Action put = Move(EventType::kPropose, kMediator);
  put.outcome = text.data();
  EXPECT_EQ(apply(put).code(), StatusCode::kFailedPrecondition);
  Status wrong = apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"warranty"})"));
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument) << wrong.ToString();
  ASSERT_TRUE(apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"amount"})")).ok());
  Status off = apply(Move(EventType::kAnswer, 0, R"({"bid":101})"));
  EXPECT_EQ(off.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(off.message().find("answer.bid"), std::string::npos) << off.ToString();
  ASSERT_TRUE(apply(Move(EventType::kAnswer, 0, R"({"bid":70})")).ok());
  EXPECT_EQ(apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"amount"})")).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(apply(Move(EventType::kLeave, kMediator)).ok());
  EXPECT_EQ(apply(Move(EventType::kSettle, kMediator)).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(apply(Move(EventType::kOpen, kMediator, {}, 1)).ok());
  ASSERT_TRUE(apply(Move(EventType::kAsk, kMediator, R"({"kind":"bid","issue":"amount"})")).ok());
  ASSERT_TRUE(apply(Move(EventType::kAnswer, 1, R"({"bid":75})")).ok());
  ASSERT_TRUE(apply(Move(EventType::kLeave, kMediator)).ok());
  ASSERT_TRUE(apply(Move(EventType::kRound, kMediator)).ok());
  ASSERT_TRUE((*m)->done());
  ASSERT_NE((*m)->agreement(), nullptr);
  EXPECT_EQ((*m)->agreement()[0], 1u);   // The warranty as settled.
  EXPECT_EQ((*m)->agreement()[1], 70u);  // Crossed: at the demand.
}

TEST(BiddingStepTest, TheAgendaPutsTheIssueLastAndStaysPut) {
  const OutcomeSpace space =
      OutcomeSpace({Issue::Integer("price", 0, 10), Issue::Discrete("warranty", {"none", "full"}),
                    Issue::Discrete("colour", {"red", "blue"})});
  MediationOptions o = BiddingOptions(BlindBiddingRules{});
  auto plain = MediationAgenda(space, 2, o);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  ASSERT_EQ(plain->size(), 2u);
  EXPECT_EQ((*plain)[0].issues, (std::vector<int>{1, 2}));
  EXPECT_EQ((*plain)[1].issues, (std::vector<int>{0}));
  EXPECT_EQ((*plain)[1].name, "bidding: price");
  o.agenda = *plain;
  auto again = MediationAgenda(space, 2, o);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *plain);
  // A stated agenda: the issue leaves its stage, and a stage it empties goes.
  o.agenda = {{"money", {0}, false}, {"car", {1, 2}, false}};
  auto stated = MediationAgenda(space, 2, o);
  ASSERT_TRUE(stated.ok());
  ASSERT_EQ(stated->size(), 2u);
  EXPECT_EQ((*stated)[0].name, "car");
  EXPECT_EQ((*stated)[1].issues, (std::vector<int>{0}));

  auto refused = [&](MediationOptions bad, int parties, const char* says) {
    auto r = MediationAgenda(space, parties, bad);
    ASSERT_FALSE(r.ok()) << says;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().ToString();
  };
  MediationOptions bad = BiddingOptions(BlindBiddingRules{});
  refused(bad, 3, "two parties");
  bad.bidding.issue = 1;
  refused(bad, 2, "'warranty' is discrete");
  bad.bidding.issue = 7;
  refused(bad, 2, "out of range");
  bad = BiddingOptions(BlindBiddingRules{}, 0);
  refused(bad, 2, "rounds must be >= 1");
  bad = BiddingOptions(Rules(120, 0));
  refused(bad, 2, "margin_percent");
  bad = BiddingOptions(BlindBiddingRules{});
  bad.helm = false;
  refused(bad, 2, "helm");
  bad = BiddingOptions(BlindBiddingRules{});
  bad.agenda = {{"car", {1, 2}, false}, {"later", {0}, true}};
  refused(bad, 2, "deferred");
}

TEST(BiddingStepTest, TheStartEventRecordsTheStep) {
  MediationOptions o = BiddingOptions(Rules(12.5, 7, BlindBiddingRules::Crossing::kMidpoint, 1), 5);
  o.bidding.issue = 2;
  auto back = mediation_internal::ParseStart(mediation_internal::StartJson(2, o));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->second.bidding, o.bidding);
  MediationOptions none;
  none.helm = true;
  auto plain = mediation_internal::ParseStart(mediation_internal::StartJson(2, none));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->second.bidding.enabled());
}

// A buyer and a seller: the warranty by the mediator's text, then the price (100..200) by bids.
Scenario PriceScenario() {
  Scenario s;
  s.name = "price";
  s.space = OutcomeSpace(
      {Issue::Integer("price", 100, 200), Issue::Discrete("warranty", {"none", "full"})});
  std::vector<double> down(101), up(101);
  for (int v = 0; v <= 100; ++v) {
    down[v] = 1 - v / 100.0;
    up[v] = v / 100.0;
  }
  s.parties.push_back({"buyer", Linear({0.7, 0.3}, {down, {0, 1}}, 0.3)});
  s.parties.push_back({"seller", Linear({0.8, 0.2}, {up, {1, 0.5}}, 0.3)});
  return s;
}

TEST(BiddingStepTest, TheEngineMediatesToASettlementEveryPartyCanLiveWithAndItReplays) {
  for (const char* spec : {"truthful", "reticent"}) {
    for (double amount : {0.0, 5.0}) {
      SCOPED_TRACE(fmt::format("{} parties, margin amount {}", spec, amount));
      const Scenario s = PriceScenario();
      MediationRunOptions run;
      run.parties = {spec, spec};
      run.mediation.bidding.issue = 0;
      run.mediation.bidding.rules = Rules(0, amount);
      run.mediation.bidding.rules.claimant = 1;  // The seller demands.
      auto report = Mediate(s, run);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      ASSERT_TRUE(report->agreement.has_value()) << report->end_reason;
      // The bids settle no party below its reservation value: each bids no further than the
      // worst settlement its bid can bring about allows.
      for (size_t k = 0; k < 2; ++k)
        EXPECT_GE(report->utilities[k], s.parties[k].profile.reservation_value - 1e-9) << k;
      // The price is the rule's outcome on the last round's bids in the log.
      std::optional<uint32_t> demand, offer;
      for (size_t e = 0; e < report->log.size(); ++e) {
        const Event& ev = report->log[e];
        if (ev.type != EventType::kAnswer) continue;
        const std::string text(report->log.TextOf(ev));
        if (text.find("\"bid\"") == std::string::npos) continue;
        auto q = mediation_internal::Question{};
        q.kind = mediation_internal::Question::Kind::kBid;
        q.issue = 0;
        auto reply = mediation_internal::ParseReply(s.space, q, text);
        ASSERT_TRUE(reply.ok());
        (ev.actor == 1 ? demand : offer) = reply->values[0];
      }
      ASSERT_TRUE(demand && offer);
      std::optional<BidSettlement> settled =
          SettleBids(s.space.issue(0), run.mediation.bidding.rules, *demand, *offer);
      ASSERT_TRUE(settled.has_value());
      EXPECT_EQ((*report->agreement)[0], settled->amount);
      EXPECT_TRUE(ReplayMediation(s, report->log).ok());
      EXPECT_TRUE(ReplayMediationAgents(s, report->log).ok());
    }
  }
}

}  // namespace
}  // namespace shuttle
