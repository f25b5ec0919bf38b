// The time-dependent family (Faratin, Sierra, Jennings 1998): Boulware, Linear, Conceder,
// Hardliner, or any e and k.
#include <fmt/format.h>

#include "strategy/agents.h"

namespace shuttle::strategy {

double TimeDependentAgent::ChooseOffer(double t, uint32_t* out) {
  const size_t pos = PositionAtLeast(Target(t));
  index().Get(pos, out);
  return index().utility(pos);
}

Result<std::unique_ptr<Agent>> MakeTimeDependentAgent(const AgentSpec& spec, std::string name,
                                                      double default_e, VoteStyle default_vote,
                                                      bool paced_by_bids) {
  ParamReader reader(spec);
  CommonOptions options;
  options.vote = default_vote;
  SHUTTLE_ASSIGN_OR_RETURN(options.acceptance, ParseAcceptance("next"));
  SHUTTLE_RETURN_IF_ERROR(ReadCommonOptions(&reader, &options));
  double e = default_e, k = 0;
  SHUTTLE_RETURN_IF_ERROR(reader.Number("e", 0, 1e6, &e));
  SHUTTLE_RETURN_IF_ERROR(reader.Number("k", 0, 1, &k));
  SHUTTLE_RETURN_IF_ERROR(reader.Finish(fmt::format("e, k, {}", kCommonKeys)));
  if (paced_by_bids)
    return std::unique_ptr<Agent>(new BidderAgent(std::move(name), std::move(options), e, k));
  return std::unique_ptr<Agent>(new TimeDependentAgent(std::move(name), std::move(options), e, k));
}

}  // namespace shuttle::strategy
