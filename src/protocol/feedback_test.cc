#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "protocol/protocols.h"
#include "shuttle/protocol.h"

namespace shuttle {
namespace {

// Additive party preferences over a space of discrete issues, for truthful answers.
struct Tables {
  std::vector<std::vector<double>> value;  // [issue][value]
  double U(const uint32_t* o) const {
    double u = 0;
    for (size_t i = 0; i < value.size(); ++i) u += value[i][o[i]];
    return u;
  }
};

Tables RandomTables(const std::vector<int>& sizes, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  Tables t;
  for (int s : sizes) {
    const double w = unit(rng);
    t.value.emplace_back();
    for (int v = 0; v < s; ++v) t.value.back().push_back(w * unit(rng));
  }
  return t;
}

OutcomeSpace Space(const std::vector<int>& sizes) {
  std::vector<Issue> issues;
  for (size_t i = 0; i < sizes.size(); ++i)
    issues.push_back(Issue::Integer("i" + std::to_string(i), 0, sizes[i] - 1));
  return OutcomeSpace(issues);
}

int32_t Sign(double d) { return d > 1e-12 ? 1 : (d < -1e-12 ? -1 : 0); }

struct FeedbackRun {
  EventLog log;
  std::unique_ptr<Protocol> protocol;
  std::vector<Outcome> texts;  // Every adopted text, the initial one first.
};

// Drives "feedback" with truthful parties: feedback by the sign of the utility difference, a
// final vote accepting anything (no reservation values).
FeedbackRun Drive(const OutcomeSpace& space, const std::vector<Tables>& parties, int rounds,
                  uint64_t seed) {
  FeedbackRun run;
  run.log = EventLog(space.issue_count());
  ProtocolOptions o;
  o.rounds = rounds;
  o.seed = seed;
  auto p = MakeProtocol("feedback", &space, static_cast<int>(parties.size()), o);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  run.protocol = std::move(p).value();
  run.protocol->Start(&run.log);
  while (!run.protocol->done()) {
    Turn turn = run.protocol->NextTurn();
    Action a;
    a.actor = turn.actor;
    if (turn.kind == Turn::Kind::kFeedback) {
      a.type = EventType::kFeedback;
      a.value = Sign(parties[turn.actor].U(turn.standing) - parties[turn.actor].U(turn.reference));
    } else {
      EXPECT_EQ(turn.kind, Turn::Kind::kVote);
      EXPECT_EQ(turn.reference, nullptr);
      a.type = EventType::kVote;
      a.value = 1;
    }
    Status s = run.protocol->Apply(a, run.protocol->RoundTime(), &run.log);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) break;
  }
  for (const Event& e : run.log.events()) {
    if (e.type == EventType::kAdopt) run.texts.push_back(run.log.OutcomeCopy(e));
  }
  return run;
}

TEST(FeedbackTest, AnswersArePrivateAndProposalsChangeOneIssueOrTradeTwo) {
  const std::vector<int> sizes = {4, 3, 5};
  OutcomeSpace space = Space(sizes);
  std::mt19937_64 rng(1);
  std::vector<Tables> parties = {RandomTables(sizes, rng), RandomTables(sizes, rng)};
  FeedbackRun run = Drive(space, parties, 41, 3);  // 40 proposals, then the final vote.
  ASSERT_TRUE(run.protocol->done());
  Outcome text;
  int proposals = 0;
  for (const Event& e : run.log.events()) {
    switch (e.type) {
      case EventType::kFeedback: EXPECT_EQ(e.audience, Audience::Caucus(e.actor)); break;
      case EventType::kAdopt:
        EXPECT_EQ(e.audience, Audience::Public());
        text = run.log.OutcomeCopy(e);
        break;
      case EventType::kPropose: {
        EXPECT_EQ(e.audience, Audience::Public());
        Outcome proposal = run.log.OutcomeCopy(e);
        int changed = 0;
        for (size_t i = 0; i < proposal.size(); ++i) changed += proposal[i] != text[i];
        if (run.log.TextOf(e) == "final vote") {
          EXPECT_EQ(changed, 0);
        } else {
          EXPECT_GE(changed, 1);  // One issue, or two for a trade.
          EXPECT_LE(changed, 2);
          ++proposals;
        }
        break;
      }
      default: break;
    }
  }
  EXPECT_EQ(proposals, 40);
  EXPECT_EQ(run.log[run.log.size() - 1].type, EventType::kAgreement);
}

TEST(FeedbackTest, ExplorationVariesIssuesInTurn) {
  const std::vector<int> sizes = {3, 3, 3};
  OutcomeSpace space = Space(sizes);
  std::mt19937_64 rng(2);
  std::vector<Tables> parties = {RandomTables(sizes, rng), RandomTables(sizes, rng)};
  FeedbackRun run = Drive(space, parties, 100, 1);
  // The first sum(|values| - 1) = 6 proposals change issues 0, 1, 2, 0, 1, 2.
  std::vector<size_t> changed;
  Outcome text;
  for (const Event& e : run.log.events()) {
    if (e.type == EventType::kAdopt) text = run.log.OutcomeCopy(e);
    if (e.type == EventType::kPropose && changed.size() < 6) {
      Outcome p = run.log.OutcomeCopy(e);
      for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] != text[i]) changed.push_back(i);
      }
    }
  }
  EXPECT_EQ(changed, std::vector<size_t>({0, 1, 2, 0, 1, 2}));
}

TEST(FeedbackTest, TruthfulPartiesNeverLoseAndEndLocallyParetoOptimal) {
  const std::vector<int> sizes = {5, 4, 5, 3, 4};
  OutcomeSpace space = Space(sizes);
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed * 17);
    std::vector<Tables> parties = {RandomTables(sizes, rng), RandomTables(sizes, rng),
                                   RandomTables(sizes, rng)};
    FeedbackRun run = Drive(space, parties, 400, seed);
    ASSERT_NE(run.protocol->agreement(), nullptr);
    // Every adoption is weakly better for every party.
    for (size_t k = 1; k < run.texts.size(); ++k) {
      for (const Tables& p : parties)
        EXPECT_GE(p.U(run.texts[k].data()), p.U(run.texts[k - 1].data()) - 1e-12);
    }
    // No one-issue change of the agreement helps someone without hurting another.
    Outcome agreed(run.protocol->agreement(), run.protocol->agreement() + sizes.size());
    for (size_t i = 0; i < sizes.size(); ++i) {
      for (int v = 0; v < sizes[i]; ++v) {
        Outcome other = agreed;
        other[i] = static_cast<uint32_t>(v);
        bool none_worse = true, one_better = false;
        for (const Tables& p : parties) {
          const double d = p.U(other.data()) - p.U(agreed.data());
          none_worse = none_worse && d >= -1e-12;
          one_better = one_better || d > 1e-12;
        }
        EXPECT_FALSE(none_worse && one_better)
            << "issue " << i << " value " << v << " improves the agreement";
      }
    }
  }
}

TEST(FeedbackTest, TradesAcrossIssuesWhenEverySingleChangeIsOpposed) {
  // On each issue the parties want opposite values, so no one-issue change ever helps both; but A
  // cares most about issue 0 and B about issue 1, so texts such as (1, 1) are improved for both
  // only by changing two issues at once, e.g. to (2, 2) (0.8 each).
  OutcomeSpace space = Space({3, 3});
  Tables a{{{0, 0.4, 0.8}, {0.2, 0.1, 0}}};
  Tables b{{{0.2, 0.1, 0}, {0, 0.4, 0.8}}};
  int traded = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    FeedbackRun run = Drive(space, {a, b}, 60, seed);
    ASSERT_NE(run.protocol->agreement(), nullptr);
    for (size_t k = 1; k < run.texts.size(); ++k) {
      traded +=
          (run.texts[k][0] != run.texts[k - 1][0]) && (run.texts[k][1] != run.texts[k - 1][1]);
    }
    // The agreement is Pareto-optimal in the whole space.
    const uint32_t* agreed = run.protocol->agreement();
    for (uint32_t x = 0; x < 3; ++x) {
      for (uint32_t y = 0; y < 3; ++y) {
        const uint32_t o[2] = {x, y};
        const bool dominates = a.U(o) >= a.U(agreed) && b.U(o) >= b.U(agreed) &&
                               (a.U(o) > a.U(agreed) || b.U(o) > b.U(agreed));
        EXPECT_FALSE(dominates) << x << "," << y << " dominates " << agreed[0] << "," << agreed[1];
      }
    }
  }
  EXPECT_GT(traded, 0);
}

TEST(FeedbackTest, RejectsVotesAndOutOfRangeFeedback) {
  OutcomeSpace space = Space({3, 3});
  ProtocolOptions o;
  o.rounds = 5;
  auto p = MakeProtocol("feedback", &space, 2, o);
  ASSERT_TRUE(p.ok());
  EventLog log(2);
  (*p)->Start(&log);
  Turn turn = (*p)->NextTurn();
  EXPECT_EQ(turn.kind, Turn::Kind::kFeedback);
  ASSERT_NE(turn.reference, nullptr);
  const size_t before = log.size();
  EXPECT_EQ((*p)->Apply({EventType::kVote, 0, 1}, 0, &log).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ((*p)->Apply({EventType::kFeedback, 0, 2}, 0, &log).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ((*p)->Apply({EventType::kFeedback, 1, 1}, 0, &log).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(log.size(), before);
  EXPECT_TRUE((*p)->Apply({EventType::kFeedback, 0, -1}, 0, &log).ok());
  EXPECT_EQ(log[log.size() - 1].value, -1);
  EXPECT_EQ(MakeProtocol("feedback", &space, 1, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(FeedbackTest, SameSeedSameLog) {
  const std::vector<int> sizes = {4, 4, 4};
  OutcomeSpace space = Space(sizes);
  std::mt19937_64 rng(5);
  std::vector<Tables> parties = {RandomTables(sizes, rng), RandomTables(sizes, rng)};
  EXPECT_TRUE(Drive(space, parties, 60, 9).log == Drive(space, parties, 60, 9).log);
}

}  // namespace
}  // namespace shuttle
