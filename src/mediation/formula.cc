#include "mediation/formula.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "shuttle/analysis.h"
#include "shuttle/profile.h"

namespace shuttle::mediation_internal {
namespace {

constexpr double kNoReservation = -1e9;

// The profile of one party over the open stage: a table per issue, weight 1, the enforced lines on
// open issues (renumbered).
Profile StageProfile(const PartyView& view, const std::vector<int>& issues) {
  Profile p;
  p.kind = ProfileKind::kLinearAdditive;
  for (int issue : issues) {
    Evaluator e;
    e.kind = EvaluatorKind::kTable;
    e.divide_by_max = false;
    e.evaluations = view.tables->contribution[issue];
    for (double& x : e.evaluations) x = std::clamp(x, 0.0, 1.0);
    p.evaluators.push_back(std::move(e));
    p.weights.push_back(1.0);
  }
  for (size_t k = 0; k < view.lines.size(); ++k) {
    if (!view.active.empty() && !view.active[k]) continue;
    auto it = std::find(issues.begin(), issues.end(), view.lines[k].line.issue);
    if (it == issues.end()) continue;
    RedLine line = view.lines[k].line;
    line.issue = static_cast<int>(it - issues.begin());
    p.red_lines.push_back(std::move(line));
  }
  return p;
}

// What the issues outside the open stage contribute to the party's effective utility.
double Offset(const FormulaProblem& problem, const PartyView& view) {
  double offset = 0;
  const Tables& t = *view.tables;
  for (size_t i = 0; i < t.contribution.size(); ++i) {
    switch (problem.plan->RoleAt(problem.stage, static_cast<int>(i))) {
      case Role::kSettled:
        offset += problem.settled ? t.contribution[i][problem.settled[i]] : 0;
        break;
      case Role::kLater: offset += t.Best(i); break;
      case Role::kDeferred: offset += t.contribution[i][0]; break;
      case Role::kOpen: break;
    }
  }
  return offset;
}

std::optional<Point> Choose(Criterion criterion, const std::vector<Point>& frontier,
                            const std::vector<double>& rv) {
  switch (criterion) {
    case Criterion::kNash: return NashPoint(frontier, rv);
    case Criterion::kKalaiSmorodinsky: return KalaiSmorodinskyPoint(frontier, rv);
    case Criterion::kEgalitarian: return EgalitarianPoint(frontier, rv);
    case Criterion::kWelfare: return MaxWelfarePoint(frontier, rv);
  }
  return std::nullopt;
}

}  // namespace

Result<Formula> FindFormula(const FormulaProblem& problem) {
  const std::vector<int>& issues = problem.plan->stages[problem.stage];
  std::vector<Issue> sub_issues;
  for (int i : issues) sub_issues.push_back(problem.space->issue(i));
  OutcomeSpace sub(std::move(sub_issues));

  std::vector<Utility> utilities;
  std::vector<double> rv, offsets;
  for (size_t k = 0; k < problem.parties.size(); ++k) {
    const PartyView& view = problem.parties[k];
    if (view.tables == nullptr ||
        view.tables->contribution.size() != problem.space->issue_count()) {
      return Status::InvalidArgument(fmt::format("party {}: no model for this space", k));
    }
    Result<Utility> u = Utility::Compile(sub, StageProfile(view, issues));
    if (!u.ok()) return u.status().WithContext(fmt::format("party {}", k));
    utilities.push_back(*std::move(u));
    offsets.push_back(Offset(problem, view));
    rv.push_back(view.reservation_active ? view.reservation - offsets.back() : kNoReservation);
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Point> frontier, LinearParetoFrontier(sub, utilities));

  Formula f;
  f.ideals.assign(problem.parties.size(), kNoReservation);
  for (const Point& p : frontier) {
    for (size_t k = 0; k < p.utilities.size(); ++k)
      f.ideals[k] = std::max(f.ideals[k], p.utilities[k] + offsets[k]);
  }
  f.best_rational.assign(problem.parties.size(), kNoReservation);
  for (const Point& p : frontier) {
    for (size_t k = 0; k < p.utilities.size(); ++k) {
      bool others = true;
      for (size_t j = 0; j < p.utilities.size() && others; ++j)
        others = j == k || p.utilities[j] >= rv[j] - 1e-12;
      if (others) f.best_rational[k] = std::max(f.best_rational[k], p.utilities[k] + offsets[k]);
    }
  }
  Outcome base(problem.space->issue_count(), 0);
  for (size_t i = 0; i < base.size(); ++i) {
    if (problem.settled &&
        problem.plan->RoleAt(problem.stage, static_cast<int>(i)) == Role::kSettled) {
      base[i] = problem.settled[i];
    }
  }
  auto full = [&](const Point& p) {
    Outcome o = base;
    for (size_t k = 0; k < issues.size(); ++k) o[issues[k]] = p.outcome[k];
    return o;
  };
  if (problem.keep_frontier) {
    for (const Point& p : frontier) {
      f.frontier.push_back(full(p));
      std::vector<double> u = p.utilities;
      for (size_t k = 0; k < u.size(); ++k) u[k] += offsets[k];
      f.frontier_utilities.push_back(std::move(u));
    }
  }
  std::optional<Point> point = Choose(problem.criterion, frontier, rv);
  if (!point) return f;
  f.found = true;
  f.outcome = full(*point);
  for (size_t k = 0; k < point->utilities.size(); ++k)
    f.utilities.push_back(point->utilities[k] + offsets[k]);
  return f;
}

FormulaProblem Restricted(FormulaProblem problem, const std::vector<int>& members) {
  std::vector<PartyView> kept;
  for (int k : members) kept.push_back(std::move(problem.parties[k]));
  problem.parties = std::move(kept);
  return problem;
}

double CriterionValue(const FormulaProblem& problem, const std::vector<double>& u,
                      const std::vector<double>& ideals) {
  double product = 1, least = 1e300, least_share = 1e300, sum = 0;
  for (size_t k = 0; k < u.size(); ++k) {
    const PartyView& v = problem.parties[k];
    const double rv = v.reservation_active ? v.reservation : 0.0;
    const double gain = std::max(0.0, u[k] - rv);
    product *= gain;
    least = std::min(least, gain);
    const double range = k < ideals.size() ? ideals[k] - rv : 0.0;
    least_share = std::min(least_share, range > 1e-12 ? gain / range : 1.0);
    sum += u[k];
  }
  switch (problem.criterion) {
    case Criterion::kNash: return product;
    case Criterion::kKalaiSmorodinsky: return least_share;
    case Criterion::kEgalitarian: return least;
    case Criterion::kWelfare: return sum;
  }
  return product;
}

}  // namespace shuttle::mediation_internal
