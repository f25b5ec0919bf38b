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

// C(n, k), or more than `cap` (cap + 1) when it exceeds it.
uint64_t CappedBinomial(int n, int k, uint64_t cap) {
  if (k < 0 || k > n) return 0;
  k = std::min(k, n - k);
  unsigned __int128 c = 1;
  for (int i = 1; i <= k; ++i) {
    c = c * static_cast<unsigned>(n - k + i) / static_cast<unsigned>(i);
    if (c > cap) return cap + 1;
  }
  return static_cast<uint64_t>(c);
}

// Every choice of `take` of `pool`, in lexicographic order of positions, each passed to `visit`.
template <typename Visit>
void ForEachChoice(const std::vector<int>& pool, int take, Visit visit) {
  std::vector<int> pick(take);
  for (int i = 0; i < take; ++i) pick[i] = i;
  const int n = static_cast<int>(pool.size());
  for (;;) {
    std::vector<int> chosen;
    for (int i : pick) chosen.push_back(pool[i]);
    visit(chosen);
    int i = take - 1;
    while (i >= 0 && pick[i] == n - take + i) --i;
    if (i < 0) return;
    ++pick[i];
    for (int j = i + 1; j < take; ++j) pick[j] = pick[j - 1] + 1;
  }
}

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
  for (const Issue& issue : scenario.space.issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(fmt::format(
          "issue '{}' is continuous: discretize real issues with a step before analyzing",
          issue.name()));
    }
  }
  CoalitionAnalysis a;
  a.rule = scenario.rule;
  a.needed = scenario.rule.Needed(n);
  std::vector<int> required = scenario.rule.required, others;
  std::sort(required.begin(), required.end());
  for (int k = 0; k < n; ++k) {
    if (!std::binary_search(required.begin(), required.end(), k)) others.push_back(k);
  }
  const int take = a.needed - static_cast<int>(required.size());
  const uint64_t count =
      CappedBinomial(static_cast<int>(others.size()), take, options.max_coalitions);
  if (count > options.max_coalitions) {
    return Status::OutOfRange(fmt::format(
        "the agreement rule admits more than {} coalitions ({} of {} parties, {} required); "
        "raise max_coalitions to analyze them all",
        options.max_coalitions, a.needed, n, required.size()));
  }
  std::vector<Utility> utilities;
  for (const Party& party : scenario.parties) {
    Result<Utility> u = Utility::Compile(scenario.space, party.profile);
    if (!u.ok()) return u.status().WithContext(fmt::format("party '{}'", party.name));
    utilities.push_back(*std::move(u));
  }
  Status status;
  ForEachChoice(others, take, [&](const std::vector<int>& chosen) {
    if (!status.ok()) return;
    std::vector<int> members = required;
    members.insert(members.end(), chosen.begin(), chosen.end());
    std::sort(members.begin(), members.end());
    Result<Coalition> c = AnalyzeOne(scenario, utilities, std::move(members), options);
    if (!c.ok()) {
      status = c.status();
      return;
    }
    a.coalitions.push_back(*std::move(c));
  });
  SHUTTLE_RETURN_IF_ERROR(status);
  for (size_t i = 0; i < a.coalitions.size(); ++i) {
    const Coalition& c = a.coalitions[i];
    if (c.nash && (!a.best || c.nash_product > a.coalitions[*a.best].nash_product)) a.best = i;
  }
  return a;
}

}  // namespace shuttle
