// Mediated single text (Klein, Faratin, Sayama, Bar-Yam 2003), on the skeleton of mediated.h.
//
// Each round the mediator proposes a mutation of the text: one issue, chosen uniformly among
// those with two or more values, set to a uniformly random other value. Each party votes in
// private (kVote, audience Caucus(party)): accept or reject the proposal compared with the
// current text. A unanimous accept adopts it (public kAdopt).
//
// Annealing mediator (options().initial_temperature T0 > 0, the default): the mediator also
// adopts a proposal that r of the n parties rejected with probability exp(-(r / n) / T), where
// T = T0 * (1 - t) falls linearly to 0 at the deadline (t is the normalized time of the last
// vote). The mediator never sees utilities, so r / n stands in for the loss; early on it keeps
// exploring past local optima that unanimous hill climbing would stall in, and at the end it only
// adopts what all accept. The text the parties vote against is always the mediator's current
// text. T0 = 0 gives the plain unanimity mediator. Whatever the mediator adopted, the final
// ratification vote (mediated.h) protects each party: no agreement without everyone's yes.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "protocol/mediated.h"

namespace shuttle {
namespace {

class SingleTextProtocol final : public MediatedProtocol {
 public:
  SingleTextProtocol(const OutcomeSpace* space, int party_count, const ProtocolOptions& options)
      : MediatedProtocol(space, party_count, options, Turn::Kind::kVote) {}

  const char* name() const override { return "single-text"; }

 protected:
  void Propose() override {
    if (mutable_issues().empty()) {
      proposal_ = text_;
      return;
    }
    MutateRandomly(mutable_issues()[rng_.Below(mutable_issues().size())]);
  }

  bool Decide(double t) override {
    const int n = party_count();
    const int rejections = static_cast<int>(std::count(answers_.begin(), answers_.end(), 0));
    if (rejections == 0) return true;
    const double temperature = options().initial_temperature * (1 - std::clamp(t, 0.0, 1.0));
    if (!(temperature > 0)) return false;
    return rng_.Unit() < std::exp(-(static_cast<double>(rejections) / n) / temperature);
  }
};

}  // namespace

Result<std::unique_ptr<Protocol>> MakeSingleTextProtocol(const OutcomeSpace* space, int party_count,
                                                         const ProtocolOptions& options) {
  if (party_count < 2) {
    return Status::InvalidArgument(fmt::format("single-text needs at least 2 parties, got {}", party_count));
  }
  if (!space->finite()) {
    return Status::FailedPrecondition("single-text needs a finite outcome space (discretize real issues first)");
  }
  if (!(options.initial_temperature >= 0)) {
    return Status::InvalidArgument("single-text: initial_temperature must be >= 0");
  }
  return std::unique_ptr<Protocol>(new SingleTextProtocol(space, party_count, options));
}

}  // namespace shuttle
