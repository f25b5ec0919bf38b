#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "protocol/protocols.h"
#include "protocol/testing.h"
#include "shuttle/drive.h"
#include "shuttle/protocol.h"

namespace shuttle::blind_bidding_test {
namespace {

constexpr int64_t kTop = 100000;

OutcomeSpace Amount() { return OutcomeSpace({Issue::Integer("amount", 0, kTop)}); }

using protocol_testing::Rules;

struct Table {
  explicit Table(const BlindBiddingRules& rules = Rules(), int rounds = 3)
      : space(Amount()), log(1) {
    ProtocolOptions o;
    o.rounds = rounds;
    o.blind_bidding = rules;
    auto p = MakeProtocol("blind-bidding", &space, 2, o);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    protocol = std::move(p).value();
    protocol->Start(&log);
  }
  // A bid of `amount` (the issue's value index is the amount: the range starts at 0).
  Status Bid(int32_t party, int64_t amount, double t = 0) {
    uint32_t value = static_cast<uint32_t>(amount);
    Action a{EventType::kOffer, party, 0, &value, {}};
    return protocol->Apply(a, t, &log);
  }
  std::optional<int64_t> Settled() const {
    const uint32_t* a = protocol->agreement();
    if (a == nullptr) return std::nullopt;
    return static_cast<int64_t>(*a);
  }

  OutcomeSpace space;
  EventLog log;
  std::unique_ptr<Protocol> protocol;
};

constexpr auto kMidpoint = BlindBiddingRules::Crossing::kMidpoint;

struct Case {
  const char* name;
  BlindBiddingRules rules;
  int rounds;
  std::vector<std::pair<int64_t, int64_t>> bids;  // (demand, offer) per round.
  std::optional<int64_t> settlement;              // nullopt: none.
  int closing_round;                              // 1-based round of the closing event.
};

const Case kCases[] = {
    {"crossing settles at the demand", Rules(), 3, {{50000, 60000}}, 50000, 1},
    {"crossing at the midpoint when the rule says so",
     Rules(30, 0, kMidpoint),
     3,
     {{50000, 60000}},
     55000,
     1},
    {"an offer exactly at the demand", Rules(), 3, {{50000, 50000}}, 50000, 1},
    {"a gap of exactly 30% of the demand", Rules(), 3, {{50000, 35000}}, 42500, 1},
    {"a gap just past 30%, then within it", Rules(), 3, {{50000, 34999}, {40000, 39000}}, 39500, 2},
    {"the midpoint rounds to the lower of two amounts", Rules(), 3, {{50001, 36000}}, 43000, 1},
    {"within the fixed margin", Rules(0, 5000), 3, {{50000, 45000}}, 47500, 1},
    {"either margin is enough", Rules(10, 5000), 3, {{100000, 89000}, {20000, 15000}}, 17500, 2},
    {"outside both margins", Rules(10, 2000), 1, {{50000, 44000}}, std::nullopt, 1},
    {"percent margin off", Rules(0, 0), 1, {{50000, 49999}}, std::nullopt, 1},
    {"round limit reached without settlement",
     Rules(),
     3,
     {{90000, 10000}, {80000, 20000}, {70000, 30000}},
     std::nullopt,
     3},
    {"settles in the last round",
     Rules(),
     3,
     {{90000, 10000}, {80000, 20000}, {40000, 30000}},
     35000,
     3},
    {"party 1 as the claimant",
     Rules(30, 0, BlindBiddingRules::Crossing::kDemand, 1),
     3,
     {{50000, 60000}},
     50000,
     1},
};

TEST(BlindBiddingTest, CasesSettleAtTheStatedAmountInTheStatedRound) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Table table(c.rules, c.rounds);
    const int32_t claimant = c.rules.claimant, respondent = 1 - claimant;
    for (const auto& [demand, offer] : c.bids) {
      EXPECT_EQ(table.protocol->NextTurn().actor, claimant);
      EXPECT_EQ(table.protocol->NextTurn().kind, Turn::Kind::kOffer);
      ASSERT_TRUE(table.Bid(claimant, demand).ok());
      EXPECT_EQ(table.protocol->NextTurn().actor, respondent);
      ASSERT_TRUE(table.Bid(respondent, offer).ok());
    }
    EXPECT_TRUE(table.protocol->done());
    EXPECT_EQ(table.protocol->NextTurn().kind, Turn::Kind::kDone);
    EXPECT_EQ(table.Settled(), c.settlement);
    const Event& last = table.log[table.log.size() - 1];
    EXPECT_EQ(last.type, c.settlement ? EventType::kAgreement : EventType::kNoAgreement);
    EXPECT_EQ(last.round + 1, c.closing_round);
    EXPECT_EQ(last.audience, Audience::Public());
    if (c.settlement) {
      EXPECT_EQ(table.log.OutcomeCopy(last), Outcome{static_cast<uint32_t>(*c.settlement)});
    }
  }
}

TEST(BlindBiddingTest, EachRoundWithoutSettlementIsAnnouncedWithoutTheBids) {
  Table table;
  ASSERT_TRUE(table.Bid(0, 90000, 0.1).ok());
  ASSERT_TRUE(table.Bid(1, 10000, 0.2).ok());
  ASSERT_EQ(table.log.size(), 4u);
  const Event& note = table.log[3];
  EXPECT_EQ(note.type, EventType::kNote);
  EXPECT_EQ(note.actor, kSystem);
  EXPECT_EQ(note.audience, Audience::Public());
  EXPECT_EQ(note.outcome, Event::kNone);
  EXPECT_EQ(table.log.TextOf(note), "round 1 of 3: no settlement");
  EXPECT_EQ(table.protocol->round(), 1);
  EXPECT_EQ(table.log[1].audience, Audience::Caucus(0));
  EXPECT_EQ(table.log[2].audience, Audience::Caucus(1));
  EXPECT_EQ(table.log[2].round, 0);
}

TEST(BlindBiddingTest, RoundLimitClosesAtTimeOne) {
  Table table(Rules(), 1);
  ASSERT_TRUE(table.Bid(0, 90000, 0.1).ok());
  ASSERT_TRUE(table.Bid(1, 10000, 0.2).ok());
  const Event& last = table.log[table.log.size() - 1];
  EXPECT_EQ(last.time, 1);
  EXPECT_EQ(table.log.TextOf(last), "round 1 of 1: no settlement; the round limit is reached");
}

struct Refusal {
  const char* name;
  int32_t actor;
  EventType type;
  int64_t amount;  // -1: no outcome.
  StatusCode code;
  const char* says;
};

// Each is tried after the claimant's demand of round 1, except "out of turn" (before it).
TEST(BlindBiddingTest, IllegalMovesAreRefusedAndChangeNothing) {
  const Refusal kRefusals[] = {
      {"a bid past the upper bound", 1, EventType::kOffer, kTop + 1, StatusCode::kInvalidArgument,
       "upper bound 100000"},
      {"a bid without an amount", 1, EventType::kOffer, -1, StatusCode::kInvalidArgument,
       "bids no amount"},
      {"a second bid in the same round", 0, EventType::kOffer, 40000,
       StatusCode::kFailedPrecondition, "has already bid in round 1 of 3"},
      {"an accept", 1, EventType::kAccept, -1, StatusCode::kFailedPrecondition, "not 'accept'"},
      {"a move by no party", 2, EventType::kOffer, 40000, StatusCode::kFailedPrecondition,
       "not a party"},
      {"a move by the mediator", kMediator, EventType::kOffer, 40000,
       StatusCode::kFailedPrecondition, "not a party"},
  };
  for (const Refusal& r : kRefusals) {
    SCOPED_TRACE(r.name);
    Table table;
    ASSERT_TRUE(table.Bid(0, 50000).ok());
    const EventLog before = table.log;
    uint32_t value = static_cast<uint32_t>(std::max<int64_t>(r.amount, 0));
    Action a{r.type, r.actor, 0, r.amount < 0 ? nullptr : &value, {}};
    Status s = table.protocol->Apply(a, 0, &table.log);
    EXPECT_EQ(s.code(), r.code) << s.ToString();
    EXPECT_NE(s.message().find(r.says), std::string::npos) << s.ToString();
    EXPECT_TRUE(table.log == before);
    // The round goes on as if nothing had been tried.
    ASSERT_TRUE(table.Bid(1, 50000).ok());
    EXPECT_EQ(table.Settled(), 50000);
  }
  Table table;
  Status s = table.Bid(1, 50000);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("out of turn"), std::string::npos) << s.ToString();
  EXPECT_EQ(table.log.size(), 1u);
}

TEST(BlindBiddingTest, NothingIsLegalAfterTheEnd) {
  Table table;
  ASSERT_TRUE(table.Bid(0, 50000).ok());
  ASSERT_TRUE(table.Bid(1, 60000).ok());
  const size_t size = table.log.size();
  EXPECT_EQ(table.Bid(0, 50000).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(table.protocol->Apply({EventType::kEnd, 1}, 1, &table.log).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(table.log.size(), size);
}

TEST(BlindBiddingTest, WithdrawalEndsTheCaseInPublic) {
  Table table;
  ASSERT_TRUE(table.Bid(0, 50000).ok());
  ASSERT_TRUE(table.protocol->Apply({EventType::kEnd, 1}, 0.5, &table.log).ok());
  EXPECT_TRUE(table.protocol->done());
  EXPECT_EQ(table.protocol->agreement(), nullptr);
  EXPECT_EQ(table.log[2].type, EventType::kEnd);
  EXPECT_EQ(table.log[2].audience, Audience::Public());
  EXPECT_EQ(table.log.TextOf(table.log[3]), "party 1 (the respondent) withdrew in round 1 of 3");
}

TEST(BlindBiddingTest, RefusesScenariosAndRulesItCannotRun) {
  ProtocolOptions o;
  OutcomeSpace one = Amount();
  auto three = MakeProtocol("blind-bidding", &one, 3, o);
  EXPECT_NE(three.status().message().find("exactly 2 parties"), std::string::npos);
  OutcomeSpace two({Issue::Integer("amount", 0, 10), Issue::Integer("weeks", 1, 4)});
  auto issues = MakeProtocol("blind-bidding", &two, 2, o);
  EXPECT_EQ(issues.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(issues.status().message().find("has 2 issues"), std::string::npos);
  OutcomeSpace discrete({Issue::Discrete("amount", {"low", "high"})});
  auto labels = MakeProtocol("blind-bidding", &discrete, 2, o);
  EXPECT_NE(labels.status().message().find("'amount' is discrete"), std::string::npos);
  OutcomeSpace continuous({Issue::Real("amount", 0, 1)});
  auto real = MakeProtocol("blind-bidding", &continuous, 2, o);
  EXPECT_EQ(real.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(real.status().message().find("discretize"), std::string::npos);
  for (BlindBiddingRules bad :
       {Rules(101), Rules(-1), Rules(30, -5), Rules(30, NAN), Rules(30, 0, kMidpoint, 2)}) {
    o.blind_bidding = bad;
    EXPECT_EQ(MakeProtocol("blind-bidding", &one, 2, o).status().code(),
              StatusCode::kInvalidArgument);
  }
}

TEST(BlindBiddingTest, RealIssueSettlesOnItsOwnValues) {
  OutcomeSpace space({Issue::Real("amount", 0, 1000, 7)});  // 0, 7, ..., 994, 1000.
  ProtocolOptions o;
  o.rounds = 3;
  auto p = MakeProtocol("blind-bidding", &space, 2, o);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EventLog log(1);
  (*p)->Start(&log);
  uint32_t demand = 100, offer = 90;  // 700 and 630: a gap of 10%; the mean 665 is value #95.
  ASSERT_TRUE((*p)->Apply({EventType::kOffer, 0, 0, &demand, {}}, 0, &log).ok());
  ASSERT_TRUE((*p)->Apply({EventType::kOffer, 1, 0, &offer, {}}, 0, &log).ok());
  ASSERT_NE((*p)->agreement(), nullptr);
  EXPECT_EQ(*(*p)->agreement(), 95u);
}

TEST(BlindBiddingTest, StartHeaderRecordsTheRules) {
  OutcomeSpace space = Amount();
  ProtocolOptions o;
  o.rounds = 5;
  o.blind_bidding = Rules(12.5, 2500, kMidpoint, 1);
  auto p = MakeProtocol("blind-bidding", &space, 2, o);
  ASSERT_TRUE(p.ok());
  EventLog log(1);
  (*p)->Start(&log);
  auto h = ParseStartHeader(log.TextOf(log[0]));
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->protocol, "blind-bidding");
  EXPECT_EQ(h->options.rounds, 5);
  EXPECT_EQ(h->options.blind_bidding, o.blind_bidding);
  // Other protocols' headers do not carry the rules.
  EXPECT_EQ(StartHeaderJson("sao", 2, o).find("blind_bidding"), std::string::npos);
  std::string bad(log.TextOf(log[0]));
  bad.replace(bad.find("\"midpoint\""), 10, "\"halfway\"");
  EXPECT_EQ(ParseStartHeader(bad).status().code(), StatusCode::kCorruption);
}

// The rule, written again from its definition, for the property tests below.
bool Settles(int64_t demand, int64_t offer, const BlindBiddingRules& r) {
  const double gap = static_cast<double>(demand - offer);
  return offer >= demand || (r.margin_percent > 0 && gap * 100 <= r.margin_percent * demand) ||
         (r.margin_amount > 0 && gap <= r.margin_amount);
}

struct Trial {
  BlindBiddingRules rules;
  int rounds = 3;
  std::vector<std::pair<int64_t, int64_t>> bids;  // (demand, offer) per round.
};

Trial RandomTrial(std::mt19937_64* rng) {
  auto pick = [&](std::vector<double> from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(*rng)];
  };
  Trial t;
  t.rules = Rules(pick({0, 10, 30}), pick({0, 1000, 5000}),
                  (*rng)() % 2 ? kMidpoint : BlindBiddingRules::Crossing::kDemand,
                  static_cast<int>((*rng)() % 2));
  t.rounds = 1 + static_cast<int>((*rng)() % 5);
  // Five-digit amounts, so no number of the protocol's own texts ("round 2 of 5", "30") is one.
  std::uniform_int_distribution<int64_t> amount(10000, 99999);
  for (int k = 0; k < t.rounds; ++k) t.bids.emplace_back(amount(*rng), amount(*rng));
  return t;
}

// Plays the trial's bids until the protocol ends.
EventLog Play(const OutcomeSpace& space, const Trial& trial, std::unique_ptr<Protocol>* out) {
  ProtocolOptions o;
  o.rounds = trial.rounds;
  o.blind_bidding = trial.rules;
  auto p = MakeProtocol("blind-bidding", &space, 2, o);
  EXPECT_TRUE(p.ok());
  EventLog log(1);
  (*p)->Start(&log);
  const int32_t claimant = trial.rules.claimant;
  double t = 0;
  for (const auto& [demand, offer] : trial.bids) {
    if ((*p)->done()) break;
    uint32_t d = static_cast<uint32_t>(demand), o = static_cast<uint32_t>(offer);
    EXPECT_TRUE((*p)->Apply({EventType::kOffer, claimant, 0, &d, {}}, t += 0.01, &log).ok());
    EXPECT_TRUE((*p)->Apply({EventType::kOffer, 1 - claimant, 0, &o, {}}, t += 0.01, &log).ok());
  }
  EXPECT_TRUE((*p)->done());
  *out = std::move(p).value();
  return log;
}

TEST(BlindBiddingTest, NoViewHoldsTheOtherPartysBidsOnlyTheSettlement) {
  std::mt19937_64 rng(20261204);
  const OutcomeSpace space = Amount();
  for (int trial_number = 0; trial_number < 300; ++trial_number) {
    Trial trial = RandomTrial(&rng);
    std::unique_ptr<Protocol> protocol;
    EventLog log = Play(space, trial, &protocol);
    const uint32_t* settled = protocol->agreement();
    for (int32_t viewer : {0, 1, kPublic}) {
      for (size_t i : log.View(viewer)) {
        const Event& e = log[i];
        if (e.actor == viewer) continue;  // Its own bid.
        if (e.type == EventType::kAgreement) {
          ASSERT_NE(settled, nullptr);
          EXPECT_EQ(log.OutcomeCopy(e), Outcome{*settled});
        } else {
          EXPECT_TRUE(log.OutcomeOf(e).empty())
              << "viewer " << viewer << " sees " << DescribeEvent(log.RecordOf(e), space);
        }
        const std::string text(log.TextOf(e));
        for (const auto& [demand, offer] : trial.bids) {
          for (int64_t bid : {demand, offer}) {
            if (settled != nullptr && bid == *settled) continue;
            EXPECT_EQ(text.find(std::to_string(bid)), std::string::npos)
                << "viewer " << viewer << " reads a bid in \"" << text << "\"";
          }
        }
      }
    }
  }
}

// Non-interference: change the other party's bids in every round that did not settle (to bids
// that do not settle either) and a party's view, and the public's, stay the same event for event.
TEST(BlindBiddingTest, TheOtherPartysUnsettledBidsChangeNoViewOfThem) {
  std::mt19937_64 rng(11);
  const OutcomeSpace space = Amount();
  std::uniform_int_distribution<int64_t> amount(0, kTop);
  for (int trial_number = 0; trial_number < 300; ++trial_number) {
    const Trial trial = RandomTrial(&rng);
    std::unique_ptr<Protocol> a_protocol, b_protocol;
    const EventLog a = Play(space, trial, &a_protocol);
    for (int32_t viewer : {0, 1}) {
      const bool viewer_claims = viewer == trial.rules.claimant;
      Trial changed = trial;
      for (auto& [demand, offer] : changed.bids) {
        if (Settles(demand, offer, trial.rules)) break;  // The settling round stays as it is.
        for (int attempt = 0; attempt < 100; ++attempt) {
          const int64_t other = amount(rng);
          if (!Settles(viewer_claims ? demand : other, viewer_claims ? other : offer,
                       trial.rules)) {
            (viewer_claims ? offer : demand) = other;
            break;
          }
        }
      }
      const EventLog b = Play(space, changed, &b_protocol);
      for (int32_t who : {viewer, kPublic}) {
        std::vector<size_t> va = a.View(who), vb = b.View(who);
        ASSERT_EQ(va.size(), vb.size());
        for (size_t k = 0; k < va.size(); ++k) {
          EXPECT_TRUE(SameEvent(a.RecordOf(a[va[k]]), b.RecordOf(b[vb[k]])))
              << DescribeEvent(a.RecordOf(a[va[k]]), space) << " vs "
              << DescribeEvent(b.RecordOf(b[vb[k]]), space);
        }
      }
    }
  }
}

TEST(BlindBiddingTest, SameBidsSameLogAndReplayReproducesIt) {
  std::mt19937_64 rng(5);
  const OutcomeSpace space = Amount();
  for (int trial_number = 0; trial_number < 100; ++trial_number) {
    const Trial trial = RandomTrial(&rng);
    std::unique_ptr<Protocol> first, second, fresh;
    const EventLog a = Play(space, trial, &first);
    const EventLog b = Play(space, trial, &second);
    EXPECT_TRUE(a == b);
    auto header = ParseStartHeader(a.TextOf(a[0]));
    ASSERT_TRUE(header.ok());
    auto p = MakeProtocol(header->protocol, &space, 2, header->options);
    ASSERT_TRUE(p.ok());
    EventLog got(1);
    Status replay = ReplayLog(p->get(), a, &got);
    EXPECT_TRUE(replay.ok()) << replay.ToString();
    EXPECT_TRUE(got == a);
  }
}

}  // namespace
}  // namespace shuttle::blind_bidding_test
