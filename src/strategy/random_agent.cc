// The random party: each offer is drawn uniformly from the indexed outcomes worth at least its
// reservation value (every such outcome when the index is exact); it accepts any offer worth at
// least its reservation value (ac=any, overridable).
#include <fmt/format.h>

#include "strategy/agents.h"

namespace shuttle::strategy {
namespace {

class RandomAgent final : public BaseAgent {
 public:
  using BaseAgent::BaseAgent;

 protected:
  double ChooseOffer(double t, uint32_t* out) override {
    const size_t lo = PositionAtLeast(reservation());
    const size_t pos = lo + rng().Below(index().size() - lo);
    index().Get(pos, out);
    return index().utility(pos);
  }
};

}  // namespace

Result<std::unique_ptr<Agent>> MakeRandomAgent(const AgentSpec& spec, std::string name) {
  ParamReader reader(spec);
  CommonOptions options;
  SHUTTLE_ASSIGN_OR_RETURN(options.acceptance, ParseAcceptance("any"));
  SHUTTLE_RETURN_IF_ERROR(ReadCommonOptions(&reader, &options));
  SHUTTLE_RETURN_IF_ERROR(reader.Finish(kCommonKeys));
  return std::unique_ptr<Agent>(new RandomAgent(std::move(name), std::move(options)));
}

}  // namespace shuttle::strategy
