// The blind bidder in blind bidding on the injury-claim example (examples/injury-claim.json).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shuttle/io.h"
#include "shuttle/negotiate.h"
#include "shuttle/strategy.h"

namespace shuttle::bidder_test {
namespace {

Scenario InjuryClaim() {
  Result<Scenario> s =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/injury-claim.json"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario();
}

NegotiationOptions BlindBidding(std::vector<std::string> agents, int rounds = 3) {
  NegotiationOptions o;
  o.protocol = "blind-bidding";
  o.agents = std::move(agents);
  o.protocol_options.rounds = rounds;
  return o;
}

// Each party's bids in order, as amounts.
std::vector<std::vector<int64_t>> Bids(const Scenario& s, const EventLog& log) {
  std::vector<std::vector<int64_t>> bids(2);
  for (const Event& e : log.events()) {
    if (e.type != EventType::kOffer) continue;
    bids[e.actor].push_back(
        static_cast<int64_t>(*s.space.issue(0).NumericValue(log.OutcomeOf(e)[0])));
  }
  return bids;
}

TEST(BidderTest, ConcedesFromItsBestToItsReservationByTheLastRound) {
  const Scenario s = InjuryClaim();
  // Neither margin catches the first two rounds, so every round is played.
  NegotiationOptions o = BlindBidding({"bidder", "bidder"});
  o.protocol_options.blind_bidding.margin_percent = 0;
  Result<NegotiationResult> r = Negotiate(s, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The claimant's reservation is 0.35 of 100,000; the insurer's 0.4 of the way down from it.
  EXPECT_EQ(Bids(s, r->log),
            (std::vector<std::vector<int64_t>>{{100000, 67500, 35000}, {0, 30000, 60000}}));
  ASSERT_TRUE(r->agreement.has_value());
  EXPECT_EQ((*r->agreement)[0], 35000u);  // The offer crossed the demand: at the demand.
  EXPECT_EQ(r->metrics.rounds, 3);
  EXPECT_TRUE(ReplayAgents(s, r->log).ok());
}

TEST(BidderTest, ConcedersSettleWithinTheMarginAtTheMidpoint) {
  const Scenario s = InjuryClaim();
  Result<NegotiationResult> r = Negotiate(s, BlindBidding({"bidder:e=2", "bidder:e=2"}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->agreement.has_value());
  const std::vector<std::vector<int64_t>> bids = Bids(s, r->log);
  ASSERT_EQ(bids[0].size(), 2u);
  const int64_t demand = bids[0][1], offer = bids[1][1];
  EXPECT_LT(offer, demand);
  EXPECT_LE((demand - offer) * 100, 30 * demand);
  EXPECT_EQ(static_cast<int64_t>((*r->agreement)[0]), (demand + offer) / 2);
  EXPECT_TRUE(ReplayAgents(s, r->log).ok());
}

TEST(BidderTest, OneRoundBidsTheReservationAtOnce) {
  const Scenario s = InjuryClaim();
  Result<NegotiationResult> r = Negotiate(s, BlindBidding({"bidder", "bidder"}, 1));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Bids(s, r->log), (std::vector<std::vector<int64_t>>{{35000}, {60000}}));
}

TEST(BidderTest, ScenarioWithManyIssuesIsRefusedNamingTheCause) {
  Result<Scenario> car =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/car-sale.json"});
  ASSERT_TRUE(car.ok());
  Result<NegotiationResult> r = Negotiate(*car, BlindBidding({"bidder", "bidder"}));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("exactly one integer or real issue"), std::string::npos)
      << r.status().ToString();
}

}  // namespace
}  // namespace shuttle::bidder_test
