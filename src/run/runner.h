// Private to src/run: what Negotiate(), replay and ComputeMetrics share around the engine loop
// (the loop itself is Drive, in shuttle/drive.h).
#ifndef SHUTTLE_RUN_RUNNER_H_
#define SHUTTLE_RUN_RUNNER_H_

#include <cstdint>
#include <vector>

#include "shuttle/negotiate.h"
#include "shuttle/profile.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle::run_internal {

// Compiles every party's profile; errors name the party.
Result<std::vector<Utility>> CompileUtilities(const Scenario& scenario);

// Metrics for an outcome (nullptr: none). With `frontier` false, the distances stay 0.
Result<Metrics> MetricsFor(const Scenario& scenario, const std::vector<Utility>& utilities,
                           const uint32_t* agreement, int rounds, double t, bool frontier);

}  // namespace shuttle::run_internal

#endif  // SHUTTLE_RUN_RUNNER_H_
