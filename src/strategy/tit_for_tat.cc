// Relative tit-for-tat in own utility: the agent starts at its best outcome and moves its target
// by exactly what the opponent's last offer gained or lost it compared with the opponent's offer
// before (the concession the opponent made, measured in the agent's own utility). The target stays
// within [Pmin, Pmax]. With several opponents, "the opponent" is whoever offered last.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "strategy/agents.h"

namespace shuttle::strategy {
namespace {

class TitForTatAgent final : public BaseAgent {
 public:
  using BaseAgent::BaseAgent;

  void Observe(const EventLog& log, const Event& event) override {
    if (event.type != EventType::kOffer || event.actor < 0 || event.actor == context().self) return;
    std::span<const uint32_t> offer = log.OutcomeOf(event);
    if (offer.size() != context().space->issue_count()) return;
    const double u = context().utility->Evaluate(offer.data());
    if (has_last_) target_ = std::clamp(target_ - (u - last_), pmin(), pmax());
    last_ = u;
    has_last_ = true;
  }

  double target() const { return target_; }

 protected:
  Status OnInit() override {
    target_ = pmax();
    has_last_ = false;
    return Status::Ok();
  }

  double ChooseOffer(double t, uint32_t* out) override {
    const size_t pos = PositionAtLeast(target_);
    index().Get(pos, out);
    return index().utility(pos);
  }

 private:
  double target_ = 0;
  double last_ = 0;
  bool has_last_ = false;
};

}  // namespace

Result<std::unique_ptr<Agent>> MakeTitForTatAgent(const AgentSpec& spec, std::string name) {
  ParamReader reader(spec);
  CommonOptions options;
  SHUTTLE_ASSIGN_OR_RETURN(options.acceptance, ParseAcceptance("next"));
  SHUTTLE_RETURN_IF_ERROR(ReadCommonOptions(&reader, &options));
  SHUTTLE_RETURN_IF_ERROR(reader.Finish(kCommonKeys));
  return std::unique_ptr<Agent>(new TitForTatAgent(std::move(name), std::move(options)));
}

}  // namespace shuttle::strategy
