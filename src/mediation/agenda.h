// Private to the mediation module: the agenda as the mediator and the automated parties use it.
//
// The non-deferred stages are negotiated in order; at stage s an issue is settled (an earlier stage
// agreed it), open (stage s), later (a later stage will), or deferred (never, in this scenario: it
// stays at its first value). A party judges a text at stage s optimistically: settled and open
// issues at the text's values, later issues at its own best allowed value, deferred issues at value
// 0
// ("EffectiveUtility"). The same rule is the mediator's model of how parties judge texts.
#ifndef SHUTTLE_SRC_MEDIATION_AGENDA_H_
#define SHUTTLE_SRC_MEDIATION_AGENDA_H_

#include <cstdint>
#include <vector>

#include "shuttle/mediation.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle::mediation_internal {

enum class Role : uint8_t { kSettled, kOpen, kLater, kDeferred };

struct AgendaPlan {
  std::vector<std::vector<int>> stages;  // Non-deferred stages in order, each a list of issues.
  std::vector<int> agenda_index;         // Per stage: its index in the scenario's agenda.
  std::vector<int> stage_of_issue;       // Per issue: its stage, or -1 when deferred.
  std::vector<std::string> names;        // Per stage.

  Role RoleAt(int stage, int issue) const {
    int s = stage_of_issue[issue];
    if (s < 0) return Role::kDeferred;
    if (s < stage) return Role::kSettled;
    return s == stage ? Role::kOpen : Role::kLater;
  }
};

// An empty agenda is one stage with every issue. kInvalidArgument when an issue is in no stage or
// in two, an index is out of range, or every stage is deferred.
Result<AgendaPlan> PlanAgenda(const OutcomeSpace& space, const std::vector<Stage>& agenda);

// The plan of the agenda a mediation with *options runs (MediationAgenda, mediation.h), which it
// writes back to options->agenda: what MakeMediator and MakeEngineMediator both plan on.
Result<AgendaPlan> PlanMediation(const OutcomeSpace& space, int party_count,
                                 MediationOptions* options);

// Whether `stage` (an index into plan.stages) is the bidding step: the last stage of a mediation
// with one.
inline bool IsBiddingStage(const MediationOptions::Bidding& bidding, const AgendaPlan& plan,
                           int stage) {
  return bidding.enabled() && stage == static_cast<int>(plan.stages.size()) - 1;
}

// Per-issue contribution tables and allowed values of one party: the common input of the parties'
// own judgement (from a compiled Utility) and of the mediator's models.
struct Tables {
  std::vector<std::vector<double>> contribution;  // [issue][value]
  std::vector<std::vector<uint8_t>> allowed;      // [issue][value], 1 = no red line crossed

  // Best allowed contribution of the issue (its best contribution when nothing is allowed).
  double Best(size_t issue) const;
  // The best allowed value of the issue (lowest index among ties).
  uint32_t BestValue(size_t issue) const;
};
// kFailedPrecondition for a utility that is not linear.
Result<Tables> TablesOf(const OutcomeSpace& space, const Utility& utility);

// Optimistic utility of `text` at `stage` (see above).
double EffectiveUtility(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text);
// The best effective utility at `stage`: open issues at their best allowed values too.
double EffectiveIdeal(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text);
// Whether the text's settled and open values cross none of the party's red lines.
bool AllowsText(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_AGENDA_H_
