#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "protocol/protocols.h"
#include "shuttle/protocol.h"

namespace shuttle {
namespace {

OutcomeSpace ThreeIssues() {
  return OutcomeSpace({Issue::Discrete("a", {"x", "y", "z"}), Issue::Integer("b", 1, 4),
                       Issue::Discrete("fixed", {"only"})});
}

// A mediated protocol on a test space, driven by hand.
struct Mediated {
  Mediated(const char* name, int parties, int rounds, double temperature = 0, uint64_t seed = 1)
      : space(ThreeIssues()), log(space.issue_count()) {
    ProtocolOptions o;
    o.rounds = rounds;
    o.seed = seed;
    o.initial_temperature = temperature;
    auto p = MakeProtocol(name, &space, parties, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    protocol = std::move(p).value();
    protocol->Start(&log);
  }
  Status Answer(EventType type, int32_t actor, int32_t value, double t = 0) {
    Action a;
    a.type = type;
    a.actor = actor;
    a.value = value;
    return protocol->Apply(a, t, &log);
  }
  Status Vote(int32_t actor, bool accept, double t = 0) {
    return Answer(EventType::kVote, actor, accept ? 1 : 0, t);
  }
  // Every party answers each turn with answer(turn) until done; time follows the round.
  void Run(const std::function<int32_t(const Turn&)>& answer) {
    while (!protocol->done()) {
      Turn turn = protocol->NextTurn();
      ASSERT_NE(turn.kind, Turn::Kind::kDone);
      EventType type = turn.kind == Turn::Kind::kFeedback ? EventType::kFeedback : EventType::kVote;
      ASSERT_TRUE(Answer(type, turn.actor, answer(turn), protocol->RoundTime()).ok());
    }
  }
  size_t Count(EventType type) const {
    return static_cast<size_t>(std::count_if(log.events().begin(), log.events().end(),
                                             [&](const Event& e) { return e.type == type; }));
  }

  OutcomeSpace space;
  EventLog log;
  std::unique_ptr<Protocol> protocol;
};

int Differences(const uint32_t* a, const uint32_t* b, size_t n) {
  int d = 0;
  for (size_t i = 0; i < n; ++i) d += a[i] != b[i];
  return d;
}

TEST(SingleTextTest, OpensWithHeaderInitialTextAndAOneIssueMutation) {
  Mediated m("single-text", 2, 10);
  ASSERT_EQ(m.log.size(), 3u);
  EXPECT_EQ(m.log[0].type, EventType::kStart);
  auto header = ParseStartHeader(m.log.TextOf(m.log[0]));
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->protocol, "single-text");
  EXPECT_EQ(m.log[1].type, EventType::kAdopt);
  EXPECT_EQ(m.log[1].actor, kMediator);
  EXPECT_EQ(m.log.TextOf(m.log[1]), "initial text");
  EXPECT_EQ(m.log[2].type, EventType::kPropose);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(m.log[i].audience, Audience::Public());
  Turn turn = m.protocol->NextTurn();
  EXPECT_EQ(turn.kind, Turn::Kind::kVote);
  EXPECT_EQ(turn.actor, 0);
  ASSERT_NE(turn.reference, nullptr);
  EXPECT_EQ(Differences(turn.standing, turn.reference, 3), 1);
  EXPECT_EQ(turn.standing[2], 0u);  // The one-valued issue never changes.
  EXPECT_TRUE(std::equal(turn.reference, turn.reference + 3, m.log.OutcomeOf(m.log[1]).begin()));
  EXPECT_TRUE(std::equal(turn.standing, turn.standing + 3, m.log.OutcomeOf(m.log[2]).begin()));
}

TEST(SingleTextTest, VotesArePrivateAndUnanimityAdopts) {
  Mediated m("single-text", 3, 10);
  Outcome proposal(m.protocol->NextTurn().standing, m.protocol->NextTurn().standing + 3);
  for (int p = 0; p < 3; ++p) {
    EXPECT_EQ(m.protocol->NextTurn().actor, p);
    ASSERT_TRUE(m.Vote(p, true).ok());
    const Event& vote = m.log[m.log.size() - (p == 2 ? 3 : 1)];
    EXPECT_EQ(vote.type, EventType::kVote);
    EXPECT_EQ(vote.audience, Audience::Caucus(p));
    EXPECT_EQ(vote.value, 1);
  }
  // After the third vote: kAdopt of the proposal, then the next proposal.
  const Event& adopt = m.log[m.log.size() - 2];
  EXPECT_EQ(adopt.type, EventType::kAdopt);
  EXPECT_EQ(adopt.audience, Audience::Public());
  EXPECT_EQ(m.log.OutcomeCopy(adopt), proposal);
  EXPECT_EQ(m.protocol->round(), 1);
  Turn next = m.protocol->NextTurn();
  EXPECT_TRUE(std::equal(next.reference, next.reference + 3, proposal.begin()));
}

TEST(SingleTextTest, OneRejectionKeepsTheTextWithoutAnnealing) {
  Mediated m("single-text", 2, 10, /*temperature=*/0);
  for (int round = 0; round < 8; ++round) {  // Rounds 1-9 propose; round 10 is the final vote.
    Outcome text(m.protocol->NextTurn().reference, m.protocol->NextTurn().reference + 3);
    ASSERT_TRUE(m.Vote(0, true).ok());
    ASSERT_TRUE(m.Vote(1, false).ok());
    Turn next = m.protocol->NextTurn();
    EXPECT_TRUE(std::equal(next.reference, next.reference + 3, text.begin()));
  }
  EXPECT_EQ(m.Count(EventType::kAdopt), 1u);  // The initial text only.
}

TEST(SingleTextTest, IllegalMovesChangeNothing) {
  Mediated m("single-text", 2, 10);
  const size_t before = m.log.size();
  EXPECT_EQ(m.Vote(1, true).code(), StatusCode::kFailedPrecondition);  // Out of turn.
  EXPECT_EQ(m.Answer(EventType::kOffer, 0, 0).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(m.Answer(EventType::kFeedback, 0, 1).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(m.Answer(EventType::kVote, 0, 2).code(), StatusCode::kInvalidArgument);
  Outcome outside{0, 9, 0};
  Action bad{EventType::kVote, 0, 1, outside.data(), {}};
  EXPECT_EQ(m.protocol->Apply(bad, 0, &m.log).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(m.Vote(0, true, 0.5).ok());
  EXPECT_EQ(m.Vote(1, true, 0.4).code(), StatusCode::kInvalidArgument);  // Time went back.
  EXPECT_EQ(m.log.size(), before + 1);
  EXPECT_EQ(m.protocol->NextTurn().actor, 1);
}

TEST(SingleTextTest, FinalVoteRatifiesTheLastText) {
  for (bool everyone : {true, false}) {
    Mediated m("single-text", 2, 4);  // Three proposals, then the final vote as the fourth round.
    Outcome adopted;
    for (int round = 0; round < 3; ++round) {
      adopted.assign(m.protocol->NextTurn().standing, m.protocol->NextTurn().standing + 3);
      ASSERT_TRUE(m.Vote(0, true).ok());
      ASSERT_TRUE(m.Vote(1, true).ok());
    }
    const Event& final_proposal = m.log[m.log.size() - 1];
    EXPECT_EQ(final_proposal.type, EventType::kPropose);
    EXPECT_EQ(m.log.TextOf(final_proposal), "final vote");
    EXPECT_EQ(m.log.OutcomeCopy(final_proposal), adopted);
    Turn turn = m.protocol->NextTurn();
    EXPECT_EQ(turn.kind, Turn::Kind::kVote);
    EXPECT_EQ(turn.reference, nullptr);
    ASSERT_TRUE(m.Vote(0, true).ok());
    ASSERT_TRUE(m.Vote(1, everyone).ok());
    EXPECT_TRUE(m.protocol->done());
    const Event& last = m.log[m.log.size() - 1];
    EXPECT_EQ(last.audience, Audience::Public());
    if (everyone) {
      EXPECT_EQ(last.type, EventType::kAgreement);
      ASSERT_NE(m.protocol->agreement(), nullptr);
      EXPECT_TRUE(std::equal(adopted.begin(), adopted.end(), m.protocol->agreement()));
    } else {
      EXPECT_EQ(last.type, EventType::kNoAgreement);
      EXPECT_EQ(m.protocol->agreement(), nullptr);
      // The public reason does not say who said no.
      EXPECT_EQ(m.log.TextOf(last).find('1'), std::string_view::npos);
    }
    EXPECT_EQ(m.protocol->NextTurn().kind, Turn::Kind::kDone);
    EXPECT_EQ(m.Vote(0, true).code(), StatusCode::kFailedPrecondition);
  }
}

TEST(SingleTextTest, WalkOutAndExpiryEndWithoutAgreement) {
  Mediated m("single-text", 2, 10);
  ASSERT_TRUE(m.Vote(0, true).ok());
  ASSERT_TRUE(m.Answer(EventType::kEnd, 1, 0).ok());
  EXPECT_TRUE(m.protocol->done());
  EXPECT_EQ(m.log[m.log.size() - 2].type, EventType::kEnd);
  EXPECT_EQ(m.log[m.log.size() - 2].audience, Audience::Public());
  EXPECT_EQ(m.log[m.log.size() - 1].type, EventType::kNoAgreement);

  Mediated e("single-text", 2, 10);
  e.protocol->Expire(0.9, &e.log);
  EXPECT_TRUE(e.protocol->done());
  EXPECT_EQ(e.log[e.log.size() - 1].type, EventType::kNoAgreement);
  EXPECT_EQ(e.log[e.log.size() - 1].actor, kSystem);
}

TEST(SingleTextTest, SameSeedSameLogOtherSeedOtherMutations) {
  auto run = [](uint64_t seed) {
    Mediated m("single-text", 2, 50, 0.5, seed);
    std::mt19937 votes(3);
    m.Run([&](const Turn&) { return static_cast<int32_t>(votes() % 2); });
    return std::move(m.log);
  };
  EXPECT_TRUE(run(5) == run(5));
  EXPECT_FALSE(run(5) == run(6));
}

// Every party rejects every mutation; counts the proposals that differ from the text in more
// than one issue (the mediator is on an excursion), in the first and the second half of time.
std::pair<int, int> Excursions(double temperature) {
  Mediated m("single-text", 2, 2000, temperature, 11);
  int early = 0, late = 0;
  while (!m.protocol->done()) {
    Turn turn = m.protocol->NextTurn();
    const double t = m.protocol->RoundTime();
    if (turn.actor == 0 && turn.reference != nullptr &&
        Differences(turn.standing, turn.reference, 3) > 1) {
      (t < 0.5 ? early : late) += 1;
    }
    EXPECT_TRUE(m.Vote(turn.actor, turn.reference == nullptr, t).ok());
  }
  EXPECT_EQ(m.Count(EventType::kAdopt), 1u);  // Only unanimity adopts, annealing or not.
  return {early, late};
}

TEST(SingleTextTest, AnnealingMediatorExploresLessAsTimeRunsOut) {
  // An excursion step is taken with probability exp(-1 / (0.5 (1 - t))) when both reject: about
  // 0.135 at t = 0, 0.018 at t = 0.5, 0 at t = 1. Over 1000 rounds per half that is roughly 60
  // excursion steps early and under 10 late.
  auto [early, late] = Excursions(0.5);
  EXPECT_GT(early, 20);
  EXPECT_LT(late, early / 3);
  auto [none_early, none_late] = Excursions(0);
  EXPECT_EQ(none_early + none_late, 0);
}

TEST(SingleTextTest, VotersAlwaysCompareWithTheLastTextAllAccepted) {
  Mediated m("single-text", 2, 300, /*temperature=*/5, 4);
  Outcome text(m.log.OutcomeOf(m.log[1]).begin(), m.log.OutcomeOf(m.log[1]).end());
  std::mt19937 votes(8);
  while (!m.protocol->done()) {
    Turn turn = m.protocol->NextTurn();
    if (turn.reference != nullptr)
      EXPECT_TRUE(std::equal(text.begin(), text.end(), turn.reference));
    const size_t before = m.log.size();
    ASSERT_TRUE(m.Vote(turn.actor, votes() % 3 != 0, m.protocol->RoundTime()).ok());
    for (size_t i = before; i < m.log.size(); ++i) {
      if (m.log[i].type == EventType::kAdopt) text = m.log.OutcomeCopy(m.log[i]);
    }
  }
}

TEST(SingleTextTest, RefusesFewerThanTwoPartiesAndNegativeTemperature) {
  OutcomeSpace space = ThreeIssues();
  ProtocolOptions o;
  EXPECT_EQ(MakeProtocol("single-text", &space, 1, o).status().code(),
            StatusCode::kInvalidArgument);
  o.initial_temperature = -1;
  EXPECT_EQ(MakeProtocol("single-text", &space, 2, o).status().code(),
            StatusCode::kInvalidArgument);
  OutcomeSpace continuous({Issue::Real("r", 0, 1)});
  EXPECT_EQ(MakeProtocol("single-text", &continuous, 2, ProtocolOptions()).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace shuttle
