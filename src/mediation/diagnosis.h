// Private to the mediation module: why a stage has no zone of agreement, and the cheapest way out.
//
// Demands are the red lines the mediator holds and each party's reservation value. A minimal
// conflicting set is found with a deletion filter (drop a demand whenever the rest still leaves no
// outcome; reservation values and inferred red lines are tried first, so the conflict is explained
// by confided red lines when it can be). The relaxation is the subset of the conflicting demands
// (grown by further conflicts when dropping any subset of the first one is not enough) whose
// removal opens a zone at the least cost. A party who relaxes bears
//   (its best utility under its own demands - its utility of the formula once relaxed)
//   / (its best utility - its reservation value);
// the cost of a relaxation is the largest share any of its owners bears (no one is asked to carry
// the whole way out when it can be shared), ties broken by the owners' total, then by fewer
// demands, then by order. Dropped reservation values are lowered together, by the least common
// amount that opens a zone.
#ifndef SHUTTLE_SRC_MEDIATION_DIAGNOSIS_H_
#define SHUTTLE_SRC_MEDIATION_DIAGNOSIS_H_

#include "mediation/formula.h"
#include "shuttle/mediation.h"
#include "shuttle/status.h"

namespace shuttle::mediation_internal {

// `problem` must have every demand enforced and no formula (FindFormula found nothing).
// kFailedPrecondition when it does have one; errors of FindFormula otherwise.
Result<ImpasseDiagnosis> Diagnose(const FormulaProblem& problem);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_DIAGNOSIS_H_
