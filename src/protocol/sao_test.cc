#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>

#include "protocol/protocols.h"
#include "shuttle/protocol.h"

namespace shuttle {
namespace {

OutcomeSpace TwoIssues() {
  return OutcomeSpace(
      {Issue::Discrete("color", {"red", "green", "blue"}), Issue::Integer("price", 1, 4)});
}

struct Sao {
  explicit Sao(int parties, int rounds = 10, const OutcomeSpace& s = TwoIssues())
      : space(s), log(s.issue_count()) {
    ProtocolOptions o;
    o.rounds = rounds;
    auto p = MakeProtocol("sao", &space, parties, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    protocol = std::move(p).value();
    protocol->Start(&log);
  }
  Status Offer(int32_t actor, Outcome o, double t = 0) {
    Action a{EventType::kOffer, actor, 0, o.data(), {}};
    return protocol->Apply(a, t, &log);
  }
  Status Accept(int32_t actor, double t = 0) {
    return protocol->Apply({EventType::kAccept, actor}, t, &log);
  }
  Status End(int32_t actor, double t = 0) {
    return protocol->Apply({EventType::kEnd, actor}, t, &log);
  }
  std::vector<EventType> Types() const {
    std::vector<EventType> types;
    for (const Event& e : log.events()) types.push_back(e.type);
    return types;
  }

  OutcomeSpace space;
  EventLog log;
  std::unique_ptr<Protocol> protocol;
};

TEST(SaoTest, BilateralAcceptMakesTheStandingOfferTheAgreement) {
  Sao sao(2);
  Turn first = sao.protocol->NextTurn();
  EXPECT_EQ(first.kind, Turn::Kind::kOffer);
  EXPECT_EQ(first.actor, 0);
  ASSERT_TRUE(sao.Offer(0, {2, 3}, 0.1).ok());
  Turn second = sao.protocol->NextTurn();
  EXPECT_EQ(second.kind, Turn::Kind::kRespond);
  EXPECT_EQ(second.actor, 1);
  ASSERT_NE(second.standing, nullptr);
  EXPECT_EQ(second.standing[0], 2u);
  EXPECT_EQ(second.standing[1], 3u);
  ASSERT_TRUE(sao.Accept(1, 0.2).ok());
  EXPECT_TRUE(sao.protocol->done());
  ASSERT_NE(sao.protocol->agreement(), nullptr);
  EXPECT_EQ(sao.protocol->agreement()[0], 2u);
  EXPECT_EQ(sao.protocol->agreement()[1], 3u);
  EXPECT_EQ(sao.Types(), (std::vector<EventType>{EventType::kStart, EventType::kOffer,
                                                 EventType::kAccept, EventType::kAgreement}));
  for (const Event& e : sao.log.events()) EXPECT_EQ(e.audience, Audience::Public());
  EXPECT_EQ(sao.log[1].actor, 0);
  EXPECT_EQ(sao.log[2].actor, 1);
  EXPECT_EQ(sao.log[3].actor, kSystem);
  EXPECT_EQ(sao.log.OutcomeCopy(sao.log[2]),
            (Outcome{2, 3}));  // The accept records what it accepts.
  EXPECT_EQ(sao.log.OutcomeCopy(sao.log[3]), (Outcome{2, 3}));
  EXPECT_EQ(sao.log[2].time, 0.2);
  EXPECT_EQ(sao.protocol->NextTurn().kind, Turn::Kind::kDone);
}

TEST(SaoTest, StartHeaderRecordsProtocolOptionsAndSeed) {
  OutcomeSpace space = TwoIssues();
  ProtocolOptions o;
  o.rounds = 77;
  o.seconds = 2.5;
  o.seed = 18446744073709551557ULL;
  o.agents = {"boulware", "conceder"};
  auto p = MakeProtocol("sao", &space, 2, o);
  ASSERT_TRUE(p.ok());
  EventLog log(2);
  (*p)->Start(&log);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].type, EventType::kStart);
  auto h = ParseStartHeader(log.TextOf(log[0]));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->protocol, "sao");
  EXPECT_EQ(h->party_count, 2);
  EXPECT_EQ(h->options.rounds, 77);
  EXPECT_EQ(h->options.seconds, 2.5);
  EXPECT_EQ(h->options.seed, 18446744073709551557ULL);
  EXPECT_EQ(h->options.agents, (std::vector<std::string>{"boulware", "conceder"}));
}

TEST(SaoTest, CounterOfferReplacesTheStandingOffer) {
  Sao sao(2);
  ASSERT_TRUE(sao.Offer(0, {0, 0}).ok());
  ASSERT_TRUE(sao.Offer(1, {1, 2}).ok());
  Turn t = sao.protocol->NextTurn();
  EXPECT_EQ(t.actor, 0);
  EXPECT_EQ(t.standing[0], 1u);
  EXPECT_EQ(t.standing[1], 2u);
  ASSERT_TRUE(sao.Accept(0).ok());
  EXPECT_EQ(sao.protocol->agreement()[1], 2u);
}

TEST(SaoTest, RoundLimitEndsWithoutAgreementAfterEveryPartyMovedThatManyTimes) {
  Sao sao(2, /*rounds=*/2);
  ASSERT_TRUE(sao.Offer(0, {0, 0}).ok());
  ASSERT_TRUE(sao.Offer(1, {1, 0}).ok());
  EXPECT_EQ(sao.protocol->round(), 1);
  EXPECT_DOUBLE_EQ(sao.protocol->RoundTime(), 0.5);
  ASSERT_TRUE(sao.Offer(0, {0, 1}).ok());
  EXPECT_FALSE(sao.protocol->done());
  ASSERT_TRUE(sao.Offer(1, {1, 1}).ok());
  EXPECT_TRUE(sao.protocol->done());
  EXPECT_EQ(sao.protocol->agreement(), nullptr);
  const Event& last = sao.log[sao.log.size() - 1];
  EXPECT_EQ(last.type, EventType::kNoAgreement);
  EXPECT_EQ(last.round, 1);
  EXPECT_EQ(last.time, 1);  // All rounds spent, whatever the time of the last move.
  EXPECT_NE(sao.log.TextOf(last).find("2 rounds"), std::string::npos);
  EXPECT_EQ(sao.log[3].round, 1);  // Party 0's second offer opens round 1.
}

TEST(SaoTest, AcceptInTheLastMoveOfTheLastRoundStillAgrees) {
  Sao sao(2, /*rounds=*/1);
  ASSERT_TRUE(sao.Offer(0, {2, 2}).ok());
  ASSERT_TRUE(sao.Accept(1).ok());
  ASSERT_NE(sao.protocol->agreement(), nullptr);
  EXPECT_EQ(sao.log[sao.log.size() - 1].type, EventType::kAgreement);
}

TEST(SaoTest, MultilateralOfferNeedsEveryOtherPartyToAcceptInTurn) {
  Sao sao(3);
  ASSERT_TRUE(sao.Offer(0, {1, 1}).ok());
  ASSERT_TRUE(sao.Accept(1).ok());
  EXPECT_FALSE(sao.protocol->done());
  ASSERT_TRUE(sao.Offer(2, {2, 2}).ok());  // Replaces the offer; party 1's accept no longer counts.
  ASSERT_TRUE(sao.Accept(0).ok());
  EXPECT_FALSE(sao.protocol->done());
  ASSERT_TRUE(sao.Accept(1).ok());
  EXPECT_TRUE(sao.protocol->done());
  ASSERT_NE(sao.protocol->agreement(), nullptr);
  EXPECT_EQ(sao.protocol->agreement()[0], 2u);
}

TEST(SaoTest, MultilateralUnanimousAcceptAgrees) {
  Sao sao(4);
  ASSERT_TRUE(sao.Offer(0, {0, 3}).ok());
  for (int p = 1; p < 3; ++p) {
    ASSERT_TRUE(sao.Accept(p).ok());
    EXPECT_FALSE(sao.protocol->done());
  }
  ASSERT_TRUE(sao.Accept(3).ok());
  EXPECT_TRUE(sao.protocol->done());
  EXPECT_NE(sao.protocol->agreement(), nullptr);
}

TEST(SaoTest, EndingWalksAwayWithoutAgreement) {
  Sao sao(2);
  ASSERT_TRUE(sao.Offer(0, {0, 0}).ok());
  ASSERT_TRUE(sao.End(1).ok());
  EXPECT_TRUE(sao.protocol->done());
  EXPECT_EQ(sao.protocol->agreement(), nullptr);
  EXPECT_EQ(sao.Types().back(), EventType::kNoAgreement);
  EXPECT_NE(sao.log.TextOf(sao.log[sao.log.size() - 1]).find("party 1"), std::string::npos);
}

TEST(SaoTest, ExpireEndsOnceAndIsANoOpAfterTheEnd) {
  Sao sao(2);
  ASSERT_TRUE(sao.Offer(0, {0, 0}, 0.3).ok());
  sao.protocol->Expire(0.9, &sao.log);
  EXPECT_TRUE(sao.protocol->done());
  EXPECT_EQ(sao.log.size(), 3u);
  EXPECT_EQ(sao.log[2].type, EventType::kNoAgreement);
  EXPECT_EQ(sao.log[2].time, 0.9);
  sao.protocol->Expire(1, &sao.log);
  EXPECT_EQ(sao.log.size(), 3u);
}

// Each illegal move returns an error and leaves the log and the next turn exactly as they were.
void ExpectRejected(Sao* sao, const Status& status, StatusCode code, const std::string& fragment) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.message();
}

TEST(SaoTest, IllegalMovesAreRejectedAndChangeNothing) {
  Sao sao(2);
  EventLog before = sao.log;
  ExpectRejected(&sao, sao.Accept(0), StatusCode::kFailedPrecondition, "no offer");
  ExpectRejected(&sao, sao.Offer(1, {0, 0}), StatusCode::kFailedPrecondition, "out of turn");
  ExpectRejected(&sao, sao.Offer(0, {3, 0}), StatusCode::kInvalidArgument, "color");
  ExpectRejected(&sao, sao.Offer(0, {0, 4}), StatusCode::kInvalidArgument, "price");
  Action no_outcome{EventType::kOffer, 0};
  ExpectRejected(&sao, sao.protocol->Apply(no_outcome, 0, &sao.log), StatusCode::kInvalidArgument,
                 "outcome");
  Action vote{EventType::kVote, 0, 1};
  ExpectRejected(&sao, sao.protocol->Apply(vote, 0, &sao.log), StatusCode::kFailedPrecondition,
                 "vote");
  ExpectRejected(&sao, sao.Offer(0, {0, 0}, 1.5), StatusCode::kInvalidArgument, "time");
  EXPECT_TRUE(sao.log == before);
  EXPECT_EQ(sao.protocol->NextTurn().actor, 0);
  EXPECT_EQ(sao.protocol->NextTurn().kind, Turn::Kind::kOffer);

  ASSERT_TRUE(sao.Offer(0, {1, 1}, 0.5).ok());
  before = sao.log;
  ExpectRejected(&sao, sao.Offer(1, {0, 0}, 0.4), StatusCode::kInvalidArgument, "time");
  ExpectRejected(&sao, sao.Accept(0, 0.6), StatusCode::kFailedPrecondition, "out of turn");
  EXPECT_TRUE(sao.log == before);
  Turn t = sao.protocol->NextTurn();
  EXPECT_EQ(t.actor, 1);
  EXPECT_EQ(t.standing[0], 1u);

  ASSERT_TRUE(sao.Accept(1, 0.6).ok());
  before = sao.log;
  ExpectRejected(&sao, sao.Offer(0, {0, 0}, 0.7), StatusCode::kFailedPrecondition, "after the end");
  ExpectRejected(&sao, sao.End(1, 0.7), StatusCode::kFailedPrecondition, "after the end");
  EXPECT_TRUE(sao.log == before);
  EXPECT_EQ(sao.protocol->agreement()[0], 1u);
}

// Random sequences of legal and illegal moves: an illegal move never changes the log or the turn,
// and a legal one always appends the move itself first.
TEST(SaoTest, RandomMovesNeverLetAnIllegalOneThrough) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    int parties = 2 + static_cast<int>(rng() % 3);
    Sao sao(parties, 1 + static_cast<int>(rng() % 6));
    double t = 0;
    while (!sao.protocol->done()) {
      Turn turn = sao.protocol->NextTurn();
      int32_t actor = static_cast<int32_t>(rng() % parties);
      Outcome o = {static_cast<uint32_t>(rng() % 4), static_cast<uint32_t>(rng() % 5)};
      EventType type = std::array{EventType::kOffer, EventType::kAccept, EventType::kEnd,
                                  EventType::kVote}[rng() % 4];
      if (type == EventType::kEnd && rng() % 4 != 0) type = EventType::kOffer;
      bool legal = actor == turn.actor && type != EventType::kVote &&
                   !(type == EventType::kAccept && turn.kind == Turn::Kind::kOffer) &&
                   !(type == EventType::kOffer && (o[0] >= 3 || o[1] >= 4));
      EventLog before = sao.log;
      Status s = sao.protocol->Apply({type, actor, 0, o.data(), {}}, t, &sao.log);
      ASSERT_EQ(s.ok(), legal) << s.ToString();
      if (!legal) {
        ASSERT_TRUE(sao.log == before);
        ASSERT_EQ(sao.protocol->NextTurn().actor, turn.actor);
      } else {
        ASSERT_GT(sao.log.size(), before.size());
        const Event& e = sao.log[before.size()];
        EXPECT_EQ(e.type, type);
        EXPECT_EQ(e.actor, actor);
        t = std::min(1.0, t + 0.01);
      }
    }
  }
}

TEST(ProtocolRegistryTest, UnknownNamesListTheKnownOnes) {
  OutcomeSpace space = TwoIssues();
  auto p = MakeProtocol("alternating", &space, 2, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("sao"), std::string::npos);
  auto names = ProtocolNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "sao"), names.end());
  auto one = MakeProtocol("sao", &space, 1, {});
  EXPECT_EQ(one.status().code(), StatusCode::kInvalidArgument);
}

TEST(ProtocolRegistryTest, RoundTimeIsZeroWithoutARoundLimit) {
  Sao sao(2, /*rounds=*/0);
  ASSERT_TRUE(sao.Offer(0, {0, 0}).ok());
  ASSERT_TRUE(sao.Offer(1, {0, 0}).ok());
  EXPECT_EQ(sao.protocol->round(), 1);
  EXPECT_EQ(sao.protocol->RoundTime(), 0);
}

}  // namespace
}  // namespace shuttle
