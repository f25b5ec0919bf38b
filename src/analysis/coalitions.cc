// AnalyzeCoalitions(): the coalitions an agreement rule admits, each analyzed as if its members
// were the only parties. A coalition's frontier is computed over its members' utilities alone (so
// only their red lines cut it) and then cut by their reservation values: a rational outcome that
// is Pareto-optimal among rational outcomes is Pareto-optimal among all (whatever dominates it is
// rational too), so cutting the whole frontier loses nothing.
#include <fmt/format.h>

#include "analysis/internal.h"

namespace shuttle {
namespace {

using namespace analysis_internal;

Result<Coalition> AnalyzeOne(const Scenario& scenario, const std::vector<Utility>& all,
                             std::vector<int> members, const AnalysisOptions& options) {
  Coalition c;
  c.members = std::move(members);
  std::vector<Utility> utilities;
  for (int k : c.members) {
    c.parties.push_back(scenario.parties[k].name);
    c.reservation_values.push_back(all[k].reservation_value());
    utilities.push_back(all[k]);
  }
  SHUTTLE_ASSIGN_OR_RETURN(c.pareto,
                           FrontierOf(scenario.space, utilities, c.reservation_values, options));
  std::vector<Point> rational;
  for (Point& p : c.pareto.points) {
    if (Rational(p.utilities.data(), c.reservation_values)) rational.push_back(std::move(p));
  }
  c.pareto.points = std::move(rational);
  const std::vector<Point>& f = c.pareto.points;
  c.nash = NashPoint(f, c.reservation_values);
  c.kalai_smorodinsky = KalaiSmorodinskyPoint(f, c.reservation_values);
  c.egalitarian = EgalitarianPoint(f, c.reservation_values);
  c.max_welfare = MaxWelfarePoint(f, c.reservation_values);
  if (c.nash) {
    c.nash_product = 1;
    for (size_t k = 0; k < c.members.size(); ++k)
      c.nash_product *= std::max(0.0, c.nash->utilities[k] - c.reservation_values[k]);
  }
  return c;
}

}  // namespace

Result<CoalitionAnalysis> AnalyzeCoalitions(const Scenario& scenario,
                                            const AnalysisOptions& options) {
  SHUTTLE_RETURN_IF_ERROR(scenario.Validate());
  const int n = static_cast<int>(scenario.parties.size());
  if (n < 1) return Status::InvalidArgument("coalition analysis needs at least one party");
  SHUTTLE_RETURN_IF_ERROR(CheckFinite(scenario.space));
  CoalitionAnalysis a;
  a.rule = scenario.rule;
  a.needed = scenario.rule.Needed(n);
  std::vector<std::vector<int>> coalitions =
      scenario.rule.Coalitions(n, options.max_coalitions + 1);
  if (coalitions.size() > options.max_coalitions) {
    return Status::OutOfRange(fmt::format(
        "the agreement rule admits more than {} coalitions ({} of {} parties, {} required); "
        "raise max_coalitions to analyze them all",
        options.max_coalitions, a.needed, n, scenario.rule.required.size()));
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities, CompileAll(scenario));
  for (std::vector<int>& members : coalitions) {
    SHUTTLE_ASSIGN_OR_RETURN(Coalition c,
                             AnalyzeOne(scenario, utilities, std::move(members), options));
    a.coalitions.push_back(std::move(c));
  }
  for (size_t i = 0; i < a.coalitions.size(); ++i) {
    const Coalition& c = a.coalitions[i];
    if (c.nash && (!a.best || c.nash_product > a.coalitions[*a.best].nash_product)) a.best = i;
  }
  return a;
}

}  // namespace shuttle
