// The blind bidder: a time-dependent tactic paced by its own bids, so that its last bid before the
// round limit is at its reservation value. In blind bidding (three rounds, say) the clock by rounds
// reads 0, 1/3 and 2/3 at the bids, and a plain time-dependent agent would never bid its limit;
// the bidder's time is bids made / (rounds - 1) instead (or the clock, when that runs faster).
#include <algorithm>

#include "strategy/agents.h"

namespace shuttle::strategy {

double BidderAgent::ChooseOffer(double t, uint32_t* out) {
  const int rounds = context().protocol != nullptr ? context().protocol->rounds : 0;
  double time = t;
  if (rounds == 1) {
    time = 1;
  } else if (rounds > 1) {
    time = std::max(t, static_cast<double>(std::min(bids_, rounds - 1)) / (rounds - 1));
  }
  ++bids_;
  return TimeDependentAgent::ChooseOffer(time, out);
}

Result<std::unique_ptr<Agent>> MakeBidderAgent(const AgentSpec& spec, std::string name) {
  return MakeTimeDependentAgent(spec, std::move(name), 1.0, VoteStyle::kHillClimber,
                                /*paced_by_bids=*/true);
}

}  // namespace shuttle::strategy
