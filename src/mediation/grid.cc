// The grid a continuous real issue is mediated on, and how far it is from the continuous issue.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "shuttle/mediation.h"

namespace shuttle {
namespace {

constexpr double kMinSteps = 1000;

// The largest of 1, 2, 5 x 10^k that cuts `range` into at least kMinSteps steps.
double GridStep(double range) {
  double raw = range / kMinSteps;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double best = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * power <= raw * (1 + 1e-12)) best = m * power;
  }
  return best;
}

// The steepest slope of a value function on [lower, upper] (a jump counts as the whole scale).
double SteepestSlope(const Evaluator& e) {
  switch (e.kind) {
    case EvaluatorKind::kLinear: return std::fabs(e.p1);
    case EvaluatorKind::kTriangular: {
      double rise = e.p2 > e.p0 ? 1 / (e.p2 - e.p0) : INFINITY;
      double fall = e.p1 > e.p2 ? 1 / (e.p1 - e.p2) : INFINITY;
      return std::max(rise, fall);
    }
    case EvaluatorKind::kConstant: return 0;
    case EvaluatorKind::kPiecewise: {
      double steepest = 0;
      for (size_t k = 1; k < e.points.size(); ++k) {
        steepest = std::max(steepest, std::fabs(e.points[k].second - e.points[k - 1].second) /
                                          (e.points[k].first - e.points[k - 1].first));
      }
      return steepest;
    }
    default: break;
  }
  return INFINITY;
}

}  // namespace

Result<Scenario> OnMediationGrid(const Scenario& scenario, std::vector<GridNote>* notes) {
  std::vector<Issue> issues;
  bool changed = false;
  for (size_t i = 0; i < scenario.space.issue_count(); ++i) {
    const Issue& issue = scenario.space.issue(i);
    if (issue.finite()) {
      issues.push_back(issue);
      continue;
    }
    double range = issue.real_upper() - issue.real_lower();
    if (!(range > 0)) {
      return Status::InvalidArgument(fmt::format("issue '{}': the range [{}, {}] is empty",
                                                 issue.name(), issue.real_lower(),
                                                 issue.real_upper()));
    }
    GridNote note;
    note.issue = issue.name();
    note.step = GridStep(range);
    SHUTTLE_ASSIGN_OR_RETURN(Issue gridded, issue.Discretized(note.step));
    note.values = gridded.size();
    for (const Party& party : scenario.parties) {
      const Profile& p = party.profile;
      double bound = 1;  // Not additive: no slope to speak of; the whole scale.
      if (p.kind == ProfileKind::kLinearAdditive && i < p.evaluators.size()) {
        bound = std::min(1.0, p.weights[i] * SteepestSlope(p.evaluators[i]) * note.step / 2);
      }
      note.utility_bound.push_back(bound);
    }
    if (notes != nullptr) notes->push_back(std::move(note));
    issues.push_back(std::move(gridded));
    changed = true;
  }
  if (!changed) return scenario;
  Scenario out = scenario;
  out.space = OutcomeSpace(std::move(issues));
  return out;
}

}  // namespace shuttle
