// ProposingAgent: a strategy's Propose behind BaseAgent's bargaining, voting and caucus answers.
#include "shuttle/strategy.h"
#include "strategy/base_agent.h"

namespace shuttle {

// BaseAgent asks ChooseOffer for the offer to make now; this one asks the strategy.
class ProposingAgent::Adapter final : public strategy::BaseAgent {
 public:
  Adapter(ProposingAgent* owner, const std::string& name)
      : BaseAgent(name,
                  [] {
                    strategy::CommonOptions o;
                    o.acceptance.terms.push_back(strategy::AcceptanceTerm{});  // ac=next
                    return o;
                  }()),
        owner_(owner) {}

 protected:
  double ChooseOffer(double t, uint32_t* out) override {
    owner_->Propose(t, out);
    return Value(out);
  }

 private:
  ProposingAgent* owner_;
};

ProposingAgent::ProposingAgent(std::string name) : name_(std::move(name)) {}

ProposingAgent::~ProposingAgent() = default;

Status ProposingAgent::Init(const AgentContext& context) {
  context_ = context;
  adapter_ = std::make_unique<Adapter>(this, name_);
  SHUTTLE_RETURN_IF_ERROR(adapter_->Init(context));
  return Setup();
}

void ProposingAgent::Act(const Turn& turn, double t, Action* action, uint32_t* scratch) {
  if (!walk_out_) adapter_->Act(turn, t, action, scratch);
  // A strategy that failed (in Propose or before) ends the talks rather than move at random.
  if (walk_out_) {
    action->type = EventType::kEnd;
    action->outcome = nullptr;
    action->value = 0;
    action->text = {};
  }
}

double ProposingAgent::Utility(const uint32_t* outcome) const { return adapter_->Value(outcome); }

}  // namespace shuttle
