// Private to the mediation module: formula finding on the open agenda stage.
//
// The mediator's models (one Tables per party, the red lines it holds, a reservation value) are
// restricted to the open stage: a sub-space of the open issues, one linear Utility per party over
// it (contributions as a table) whose red lines are the held lines on open issues, and a
// reservation value shifted by what the rest of the outcome contributes (settled issues at their
// agreed values, later issues at the party's best, deferred issues at value 0; see agenda.h). The
// exact Pareto frontier of that sub-problem (LinearParetoFrontier) is searched for the criterion's
// point, so large spaces are never enumerated.
#ifndef SHUTTLE_SRC_MEDIATION_FORMULA_H_
#define SHUTTLE_SRC_MEDIATION_FORMULA_H_

#include <cstdint>
#include <vector>

#include "mediation/agenda.h"
#include "mediation/party_model.h"
#include "shuttle/mediation.h"
#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle::mediation_internal {

// One party as the formula sees it.
struct PartyView {
  const Tables* tables = nullptr;
  std::vector<HeldLine> lines;
  std::vector<uint8_t> active;  // Per line: 1 = enforced. Default (empty): all enforced.
  double reservation = 0;
  bool reservation_active = true;
  // The reservation value is the mediator's estimate in a loss model, where `reservation` marks 0
  // on the party's range scale (party_model.h).
  bool reservation_estimated = false;
};

struct FormulaProblem {
  const OutcomeSpace* space = nullptr;
  const AgendaPlan* plan = nullptr;
  int stage = 0;
  const uint32_t* settled =
      nullptr;  // Values of settled issues (full outcome); null: none settled.
  Criterion criterion = Criterion::kNash;
  std::vector<PartyView> parties;
  bool keep_frontier = false;  // Fill Formula::frontier.
};

struct Formula {
  bool found = false;             // False: no outcome satisfies every enforced demand.
  Outcome outcome;                // Full outcome: settled values, the open stage's, 0 elsewhere.
  std::vector<double> utilities;  // Effective utilities in the models (agenda.h), party order.
  std::vector<double> ideals;     // Each party's best effective utility under its enforced lines.
  // Each party's best effective utility among outcomes rational for every other party whose
  // reservation value is enforced (its own ignored); -1e9 when there is none.
  std::vector<double> best_rational;
  // With keep_frontier: the model's Pareto frontier of the open stage, as full outcomes (settled
  // values, the stage's, 0 elsewhere) and effective utilities.
  std::vector<Outcome> frontier;
  std::vector<std::vector<double>> frontier_utilities;
};

// kOutOfRange when the open stage's frontier is too large; kInvalidArgument for a malformed view.
Result<Formula> FindFormula(const FormulaProblem& problem);

// The problem with only `members` (party indices, ascending) as parties: the others need nothing.
FormulaProblem Restricted(FormulaProblem problem, const std::vector<int>& members);

// The value `criterion` maximizes at effective utilities `u` (party order of `problem`), gains
// over each party's reservation value (0 where it is not enforced), each party's ideal `ideals`.
double CriterionValue(const FormulaProblem& problem, const std::vector<double>& u,
                      const std::vector<double>& ideals);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_FORMULA_H_
