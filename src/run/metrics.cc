// The ANAC metrics of one session's result.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "run/runner.h"
#include "shuttle/analysis.h"
#include "shuttle/negotiate.h"

namespace shuttle {
namespace run_internal {
namespace {

double Distance(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

// The exact per-issue merge for linear profiles; otherwise (or past its point limit) whatever
// Analyze() does for the scenario (enumeration, the hyper-rectangle search or approximation).
Result<std::vector<Point>> Frontier(const Scenario& scenario,
                                    const std::vector<Utility>& utilities) {
  bool linear = true;
  for (const Utility& u : utilities) linear = linear && u.linear();
  if (linear) {
    auto points = LinearParetoFrontier(scenario.space, utilities);
    if (points.ok() || points.status().code() != StatusCode::kOutOfRange) return points;
  }
  // Every negotiation's metrics: a smaller hyper-rectangle search than Analyze's default keeps
  // the ANAC 2014 10-issue frontiers exact (they need at most 634 partial outcomes per issue) and
  // the larger domains about as quick as sampling alone (30 issues: 0.6 s instead of 2.6 s).
  AnalysisOptions options;
  options.rectangle_search_limit = 1'000;
  SHUTTLE_ASSIGN_OR_RETURN(Analysis analysis, Analyze(scenario, options));
  return std::move(analysis.pareto.points);
}

Status AddDistances(const Scenario& scenario, const std::vector<Utility>& utilities,
                    const std::vector<double>& rv, Metrics* m) {
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Point> frontier, Frontier(scenario, utilities));
  double best = frontier.empty() ? 0 : std::numeric_limits<double>::infinity();
  for (const Point& p : frontier) best = std::min(best, Distance(p.utilities, m->utilities));
  m->pareto_distance = best;
  std::optional<Point> nash = NashPoint(frontier, rv);
  std::optional<Point> ks = KalaiSmorodinskyPoint(frontier, rv);
  m->nash_distance = nash ? Distance(nash->utilities, m->utilities) : -1;
  m->ks_distance = ks ? Distance(ks->utilities, m->utilities) : -1;
  return Status::Ok();
}

}  // namespace

Result<std::vector<Utility>> CompileUtilities(const Scenario& scenario) {
  std::vector<Utility> utilities;
  utilities.reserve(scenario.parties.size());
  for (const Party& party : scenario.parties) {
    auto u = Utility::Compile(scenario.space, party.profile);
    if (!u.ok()) return u.status().WithContext(fmt::format("party '{}'", party.name));
    utilities.push_back(std::move(u).value());
  }
  return utilities;
}

Result<Metrics> MetricsFor(const Scenario& scenario, const std::vector<Utility>& utilities,
                           const uint32_t* agreement, int rounds, double t, bool frontier) {
  Metrics m;
  m.agreement = agreement != nullptr;
  m.rounds = rounds;
  m.time = t;
  std::vector<double> rv;
  m.nash_product = 1;
  for (const Utility& u : utilities) {
    double raw = agreement != nullptr ? u.Evaluate(agreement) : u.reservation_value();
    rv.push_back(u.reservation_value());
    m.utilities.push_back(raw);
    m.discounted_utilities.push_back(DiscountedUtility(raw, u.discount(), t));
    m.welfare += raw;
    double gain = raw - u.reservation_value();
    m.nash_product = gain < 0 ? 0 : m.nash_product * gain;
  }
  if (agreement == nullptr) m.nash_product = 0;
  if (frontier) SHUTTLE_RETURN_IF_ERROR(AddDistances(scenario, utilities, rv, &m));
  return m;
}

}  // namespace run_internal

Result<Metrics> ComputeMetrics(const Scenario& scenario, const std::optional<Outcome>& agreement,
                               int rounds, double t) {
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities,
                           run_internal::CompileUtilities(scenario));
  if (agreement)
    SHUTTLE_RETURN_IF_ERROR(scenario.space.Validate(*agreement).WithContext("agreement"));
  return run_internal::MetricsFor(scenario, utilities, agreement ? agreement->data() : nullptr,
                                  rounds, t,
                                  /*frontier=*/true);
}

}  // namespace shuttle
