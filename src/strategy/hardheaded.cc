// The frequency-model party (after HardHeaded, ANAC 2011): a time-dependent target (Boulware by
// default), and among the indexed outcomes at or just above the target (at most `window` of them,
// within `band` of the least one) the one the opponent models estimate best for the others (sum
// over opponents; ties go to the least own utility). One FrequencyModel per other party, learnt
// from that party's offers.
#include <fmt/format.h>

#include <vector>

#include "strategy/agents.h"
#include "strategy/frequency_model.h"

namespace shuttle::strategy {
namespace {

class HardHeadedAgent final : public BaseAgent {
 public:
  HardHeadedAgent(std::string name, CommonOptions options, double e, double k, size_t window,
                  double band)
      : BaseAgent(std::move(name), std::move(options)),
        e_(e),
        k_(k),
        window_(window),
        band_(band) {}

  void Observe(const EventLog& log, const Event& event) override {
    if (event.type != EventType::kOffer || event.actor < 0 || event.actor == context().self) return;
    if (static_cast<size_t>(event.actor) >= models_.size()) return;
    std::span<const uint32_t> offer = log.OutcomeOf(event);
    if (offer.size() != context().space->issue_count()) return;
    models_[event.actor].Update(offer.data());
  }

 protected:
  Status OnInit() override {
    models_.assign(static_cast<size_t>(std::max(context().party_count, 0)), FrequencyModel());
    for (FrequencyModel& m : models_) m.Init(*context().space);
    candidate_.assign(context().space->issue_count(), 0);
    return Status::Ok();
  }

  double ChooseOffer(double t, uint32_t* out) override {
    const size_t pos = PositionAtLeast(TimeDependentTarget(t, e_, k_, pmin(), pmax()));
    size_t best = pos;
    double best_score = -1;
    const double ceiling = index().utility(pos) + band_;
    for (size_t j = pos; j < index().size() && j < pos + window_ && index().utility(j) <= ceiling;
         ++j) {
      index().Get(j, candidate_.data());
      const double score = Score(candidate_.data());
      if (score > best_score + 1e-12) {
        best_score = score;
        best = j;
      }
    }
    index().Get(best, out);
    return index().utility(best);
  }

 private:
  double Score(const uint32_t* outcome) const {
    double s = 0;
    for (size_t p = 0; p < models_.size(); ++p) {
      if (static_cast<int32_t>(p) != context().self) s += models_[p].Estimate(outcome);
    }
    return s;
  }

  double e_, k_;
  size_t window_;
  double band_;
  std::vector<FrequencyModel> models_;
  std::vector<uint32_t> candidate_;
};

}  // namespace

Result<std::unique_ptr<Agent>> MakeHardHeadedAgent(const AgentSpec& spec, std::string name) {
  ParamReader reader(spec);
  CommonOptions options;
  SHUTTLE_ASSIGN_OR_RETURN(options.acceptance, ParseAcceptance("next"));
  SHUTTLE_RETURN_IF_ERROR(ReadCommonOptions(&reader, &options));
  double e = 0.2, k = 0, window = 64, band = 0.05;
  SHUTTLE_RETURN_IF_ERROR(reader.Number("e", 0, 1e6, &e));
  SHUTTLE_RETURN_IF_ERROR(reader.Number("k", 0, 1, &k));
  SHUTTLE_RETURN_IF_ERROR(reader.Number("window", 1, 1e6, &window));
  SHUTTLE_RETURN_IF_ERROR(reader.Number("band", 0, 1, &band));
  SHUTTLE_RETURN_IF_ERROR(reader.Finish(fmt::format("e, k, window, band, {}", kCommonKeys)));
  return std::unique_ptr<Agent>(new HardHeadedAgent(std::move(name), std::move(options), e, k,
                                                    static_cast<size_t>(window), band));
}

}  // namespace shuttle::strategy
