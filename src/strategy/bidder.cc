// The blind bidder: a time-dependent tactic paced by its own bids, so that its last bid before the
// round limit is at its reservation value. In blind bidding (three rounds, say) the clock by rounds
// reads 0, 1/3 and 2/3 at the bids, and a plain time-dependent agent would never bid its limit;
// the bidder's time is bids made / (rounds - 1) instead (or the clock, when that runs faster).
#include <fmt/format.h>

#include <algorithm>

#include "strategy/agents.h"

namespace shuttle::strategy {
namespace {

class BidderAgent final : public BaseAgent {
 public:
  BidderAgent(std::string name, CommonOptions options, double e, double k)
      : BaseAgent(std::move(name), std::move(options)), e_(e), k_(k) {}

 protected:
  double ChooseOffer(double t, uint32_t* out) override {
    const int rounds = context().protocol != nullptr ? context().protocol->rounds : 0;
    double time = t;
    if (rounds == 1) {
      time = 1;
    } else if (rounds > 1) {
      time = std::max(t, static_cast<double>(std::min(bids_, rounds - 1)) / (rounds - 1));
    }
    ++bids_;
    const size_t pos = PositionAtLeast(TimeDependentTarget(time, e_, k_, pmin(), pmax()));
    index().Get(pos, out);
    return index().utility(pos);
  }

 private:
  double e_, k_;
  int bids_ = 0;  // Offers chosen so far: one per own move.
};

}  // namespace

Result<std::unique_ptr<Agent>> MakeBidderAgent(const AgentSpec& spec, std::string name) {
  ParamReader reader(spec);
  CommonOptions options;
  SHUTTLE_ASSIGN_OR_RETURN(options.acceptance, ParseAcceptance("next"));
  SHUTTLE_RETURN_IF_ERROR(ReadCommonOptions(&reader, &options));
  double e = 1, k = 0;
  SHUTTLE_RETURN_IF_ERROR(reader.Number("e", 0, 1e6, &e));
  SHUTTLE_RETURN_IF_ERROR(reader.Number("k", 0, 1, &k));
  SHUTTLE_RETURN_IF_ERROR(reader.Finish(fmt::format("e, k, {}", kCommonKeys)));
  return std::unique_ptr<Agent>(new BidderAgent(std::move(name), std::move(options), e, k));
}

}  // namespace shuttle::strategy
