// Mediated single text (Klein, Faratin, Sayama, Bar-Yam 2003), on the skeleton of mediated.h.
//
// The mediator's text is the last text every party accepted. Each round the mediator proposes a
// mutation: one issue, chosen uniformly among those with two or more values, set to a uniformly
// random other value. Each party votes in private (kVote, audience Caucus(party)): accept or
// reject the proposal compared with the text. A unanimous accept makes it the text (public
// kAdopt); nothing else ever does.
//
// Annealing mediator (options().initial_temperature T0 > 0, the default 0.5). The mediator never
// sees utilities, only how many of the n parties rejected, r. It mutates not the text itself but
// an exploration point, which is the text except during excursions: after a proposal that r > 0
// parties rejected, the exploration point moves to that proposal with probability
// exp(-(r / n) / T), T = T0 * (1 - t) falling linearly to 0 at the deadline (t: the normalized
// time of the last vote), and otherwise returns to the text. The next proposal then differs from
// the text in several issues, so an excursion can find a trade (a loss on one issue repaid on
// another) that single-issue hill climbing cannot reach, while every adopted text is still one all
// parties preferred to the previous one. As T falls, excursions shorten to nothing and the search
// becomes plain hill climbing. T0 = 0 gives the plain mediator. The final ratification vote
// (mediated.h) is on the text.
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
    if (explore_.empty()) explore_ = text_;  // The first proposal: start from the initial text.
    if (mutable_issues().empty()) {
      proposal_ = explore_;
      return;
    }
    MutateRandomly(explore_, mutable_issues()[rng_.Below(mutable_issues().size())]);
  }

  bool Decide(double t) override {
    const int n = party_count();
    const int rejections = static_cast<int>(std::count(answers_.begin(), answers_.end(), 0));
    if (rejections == 0) return true;
    const double temperature = options().initial_temperature * (1 - std::clamp(t, 0.0, 1.0));
    const bool wander =
        temperature > 0 &&
        rng_.Unit() < std::exp(-(static_cast<double>(rejections) / n) / temperature);
    explore_ = wander ? proposal_ : text_;
    return false;
  }

  void Adopted() override { explore_ = text_; }

 private:
  std::vector<uint32_t> explore_;  // Where the next mutation starts.
};

}  // namespace

Result<std::unique_ptr<Protocol>> MakeSingleTextProtocol(const OutcomeSpace* space, int party_count,
                                                         const ProtocolOptions& options) {
  if (party_count < 2) {
    return Status::InvalidArgument(
        fmt::format("single-text needs at least 2 parties, got {}", party_count));
  }
  if (!space->finite()) {
    return Status::FailedPrecondition(
        "single-text needs a finite outcome space (discretize real issues first)");
  }
  if (!(options.initial_temperature >= 0)) {
    return Status::InvalidArgument("single-text: initial_temperature must be >= 0");
  }
  return std::unique_ptr<Protocol>(new SingleTextProtocol(space, party_count, options));
}

}  // namespace shuttle
