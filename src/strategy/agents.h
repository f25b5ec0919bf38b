// Private to the strategy module: the agent classes' factories, one per family, and the
// time-dependent agent itself (exposed so tests can read its target curve).
// agent_factory.cc maps spec names to these (a row per name).
#ifndef SHUTTLE_SRC_STRATEGY_AGENTS_H_
#define SHUTTLE_SRC_STRATEGY_AGENTS_H_

#include <memory>
#include <string>

#include "shuttle/agent.h"
#include "strategy/agent_spec.h"
#include "strategy/base_agent.h"

namespace shuttle::strategy {

// Time-dependent tactic: offers the outcome with the least own utility at or above
// TimeDependentTarget(t, e, k, pmin(), pmax()); ties go to the first outcome in index order.
class TimeDependentAgent : public BaseAgent {
 public:
  TimeDependentAgent(std::string name, CommonOptions options, double e, double k)
      : BaseAgent(std::move(name), std::move(options)), e_(e), k_(k) {}
  double Target(double t) const { return TimeDependentTarget(t, e_, k_, pmin(), pmax()); }

 protected:
  double ChooseOffer(double t, uint32_t* out) override;

 private:
  double e_, k_;
};

// The blind bidder (bidder.cc): a time-dependent agent whose time is paced by its own bids.
class BidderAgent final : public TimeDependentAgent {
 public:
  using TimeDependentAgent::TimeDependentAgent;

 protected:
  double ChooseOffer(double t, uint32_t* out) override;

 private:
  int bids_ = 0;  // Offers chosen so far: one per own move.
};

// Each factory reads its parameters (and the common ones) from `spec`; `name` is the agent's
// display name (the whole spec). kInvalidArgument for a bad or unknown parameter.
// e and k: time-dependent parameters; `default_e` is the family's (boulware 0.2, linear 1, ...).
// With `paced_by_bids`, the agent is a BidderAgent.
Result<std::unique_ptr<Agent>> MakeTimeDependentAgent(const AgentSpec& spec, std::string name,
                                                      double default_e, VoteStyle default_vote,
                                                      bool paced_by_bids = false);
Result<std::unique_ptr<Agent>> MakeTitForTatAgent(const AgentSpec& spec, std::string name);
Result<std::unique_ptr<Agent>> MakeRandomAgent(const AgentSpec& spec, std::string name);
Result<std::unique_ptr<Agent>> MakeHardHeadedAgent(const AgentSpec& spec, std::string name);
// The blind bidder (bidder.cc): time-dependent, e (1) and k (0), with its time paced by its own
// bids so that its last bid before the round limit is at its reservation value.
Result<std::unique_ptr<Agent>> MakeBidderAgent(const AgentSpec& spec, std::string name);

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_AGENTS_H_
