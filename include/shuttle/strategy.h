// The automated parties of the strategy module, made from specs.
#ifndef SHUTTLE_STRATEGY_H_
#define SHUTTLE_STRATEGY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/status.h"

namespace shuttle {

// Makes an agent from a spec: a name with optional parameters, e.g. "boulware", "conceder",
// "linear", "hardliner", "tit-for-tat", "random", "hardheaded", "hill-climber", "annealer",
// "boulware:e=0.1,k=0,ac=next+const(0.9)". kInvalidArgument lists the known names.
// Registered agents (RegisterAgent) are made too.
Result<std::unique_ptr<Agent>> MakeAgent(std::string_view spec);
// The built-in names, then the registered ones.
std::vector<std::string> AgentNames();

// Makes an agent for a spec whose name was registered (the whole spec is passed on).
using AgentFactory = std::function<Result<std::unique_ptr<Agent>>(std::string_view spec)>;
// Adds `name` to MakeAgent's registry, so specs, tournaments and replays can name it; registering
// a name again replaces its factory. kInvalidArgument for a built-in name or a name that is not
// a plain word (letters, digits, '-', '_'). Thread-safe.
Status RegisterAgent(const std::string& name, AgentFactory factory);

// The base of a strategy that writes one method, Propose (as NegMAS's `propose`): the offer it
// would make now. Everything else is done the way every built-in agent does it: accept a standing
// offer in SAO when it is individually rational, crosses no red line and is worth at least the
// agent's own next offer; vote and answer feedback by its utility in mediated protocols; answer a
// shuttle mediator's caucus by accepting its text on the same rule or counter-proposing.
class ProposingAgent : public Agent {
 public:
  explicit ProposingAgent(std::string name);
  ~ProposingAgent() override;

  const std::string& name() const override { return name_; }
  // kInvalidArgument without a space or utility; kFailedPrecondition for a continuous issue.
  Status Init(const AgentContext& context) final;
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) final;

  // Writes the offer to make at normalized time t into `outcome` (issue_count value indices).
  virtual void Propose(double t, uint32_t* outcome) = 0;
  // Called after Init, for the strategy's own set-up. Default: nothing.
  virtual Status Setup() { return Status::Ok(); }

  // After Init: the negotiation's facts for this party.
  const AgentContext& context() const { return context_; }
  // Own utility of an outcome; the lowest double when it crosses one of the party's red lines.
  double Utility(const uint32_t* outcome) const;

 protected:
  // Makes the agent end the negotiation at its next move (e.g. when the strategy failed).
  void WalkOut() { walk_out_ = true; }

 private:
  class Adapter;
  std::string name_;
  AgentContext context_;
  std::unique_ptr<Adapter> adapter_;
  bool walk_out_ = false;
};

}  // namespace shuttle

#endif  // SHUTTLE_STRATEGY_H_
