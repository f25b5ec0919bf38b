// Exact analysis of a scenario: Pareto frontier, bargaining solutions, ZOPA and statistics.
//
// For linear additive profiles the frontier is computed without enumerating the outcome space:
// a Pareto-optimal outcome uses only values that are non-dominated within their issue, so the
// frontier is the Pareto filter of the Minkowski sum of per-issue frontiers, merged issue by issue
// with dominance pruning. Red lines are per-issue, so they only remove values before the merge.
// Non-linear profiles (hyper-rectangles, GENIUS constraint profiles) are enumerated when the space
// is small enough. Beyond that, two parties' hyper-rectangle profiles are searched over the cells
// their boxes cut the space into (exact within a budget, otherwise inexact with a bound on how far
// from exact: `gap`); other profiles are approximated by seeded sampling and local search.
// Results say which (`exact`, `method`).
//
// Utility points compare with a tolerance of 1e-12; the frontier keeps one outcome per distinct
// utility vector, sorted by the first party's utility descending. Functions are pure and
// thread-safe; they allocate their results.
//
// Precisely: utilities are compared after rounding to a grid of 2^-40 (about 9.1e-13), which makes
// dominance transitive; "rational" means u_i >= rv_i - 1e-12. The frontier is that of the outcomes
// crossing no red line (reservation values do not cut it; solutions and the ideal point only
// consider its rational points, which is exact: see src/analysis/bargaining.cc).
#ifndef SHUTTLE_ANALYSIS_H_
#define SHUTTLE_ANALYSIS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/progress.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

struct Point {
  Outcome outcome;
  std::vector<double> utilities;  // Party order.
};

struct AnalysisOptions {
  // Spaces up to this size may be enumerated (ZOPA count, non-linear profiles). Default: 10^7.
  uint64_t enumerate_limit = 10'000'000;
  // The frontier stops growing past this many points; it is then marked inexact. Default: 10^6.
  size_t max_frontier_points = 1'000'000;
  // Outcomes sampled for estimates (ZOPA size, non-linear approximations). Default: 200,000.
  uint64_t samples = 200'000;
  // Partial outcomes the search of two parties' hyper-rectangle frontiers keeps per issue. A first
  // search keeps at most 4,096; when it is not exact, sampling and local search add outcomes and a
  // second search runs with this limit; past it the search keeps the most promising and the
  // frontier is inexact with a gap. 0: no search (sampling and local search alone). Default:
  // 20,000.
  size_t rectangle_search_limit = 20'000;
  // AnalyzeCoalitions refuses a rule that admits more coalitions than this. Default: 1,000.
  size_t max_coalitions = 1'000;
  // Seed for sampling. Default: 1.
  uint64_t seed = 1;
  // Receives progress on long work. Default: none.
  Progress* progress = nullptr;
};

struct Analysis {
  BigCount outcome_count;
  std::vector<std::string> parties;
  std::vector<double> reservation_values;  // Party order.
  // Best utility per party over acceptable outcomes; empty when no outcome is acceptable to all.
  std::vector<double> ideal;

  struct Frontier {
    std::vector<Point> points;
    bool exact = true;
    // "per-issue merge", "enumeration", "rectangle search", "sampling + local search", ...
    std::string method;
    // How far from exact, when known: every outcome crossing no red line is weakly dominated by
    // some frontier point with `gap` added to every party's utility (the additive epsilon
    // indicator). 0 when exact; nullopt when unknown (sampling alone, thinned frontiers).
    std::optional<double> gap = 0.0;
  } pareto;

  // Solutions among outcomes acceptable to all (above every reservation value, no red line
  // crossed); nullopt when there is none. Exact when pareto.exact.
  std::optional<Point> nash, kalai_smorodinsky, egalitarian, max_welfare;

  struct Zopa {
    double size = 0;  // Number of acceptable outcomes (an estimate when !exact).
    bool exact = true;
    std::string method;  // "enumeration", "sampling", or the reason it is known exactly.
    BigCount count;      // The exact count when exact (size is its nearest double); else zero.
  } zopa;

  std::vector<double> mean_utilities;  // Over the whole space, party order.
  // False when a mean was estimated from samples (a constraint profile on a space larger than
  // enumerate_limit); other kinds have exact means at any size.
  bool means_exact = true;
  // Euclidean distance from (1, ..., 1) to the nearest outcome crossing no red line (0 = a win-win
  // exists), utilities above 1 counted as 1; NaN when every outcome crosses a red line. Exact when
  // pareto.exact (the nearest outcome is Pareto-optimal).
  double opposition = 0;
};

// Analyzes a scenario with finite issues (discretize real issues first: kFailedPrecondition
// otherwise). kInvalidArgument for fewer than two parties or a profile that does not fit.
Result<Analysis> Analyze(const Scenario& scenario, const AnalysisOptions& options = {});

// One coalition that can make a deal under an agreement rule: exactly the parties a deal needs,
// every required party among them. Utilities are the members' own, in `members` order.
struct Coalition {
  std::vector<int> members;                // Indices into the scenario's parties, ascending.
  std::vector<std::string> parties;        // Their names.
  std::vector<double> reservation_values;  // The members', in order.
  // The Pareto frontier over the members' utilities of the outcomes acceptable to every member
  // (crossing no member's red line, at or above every member's reservation value); parties outside
  // need nothing. `exact`, `method` and `gap` as in Analysis (the gap is that of the frontier
  // before the reservation values cut it).
  Analysis::Frontier pareto;
  // The solutions over the members; nullopt when no outcome is acceptable to every member.
  std::optional<Point> nash, kalai_smorodinsky, egalitarian, max_welfare;
  double nash_product = 0;  // prod over members of (u_i - rv_i) at `nash`; 0 without one.
};

struct CoalitionAnalysis {
  AgreementRule rule;
  int needed = 0;  // Parties a deal needs.
  // Every coalition of exactly `needed` parties containing every required one, in lexicographic
  // order of members. A deal accepted by more parties stands too; these are the minimal ones.
  std::vector<Coalition> coalitions;
  // The coalition whose Nash point has the largest Nash product (the first on ties); nullopt when
  // no coalition has an acceptable outcome.
  std::optional<size_t> best;
};

// The coalitions the scenario's rule admits (unanimity: one, every party) and the frontier and
// solutions of each. kOutOfRange when the rule admits more than options.max_coalitions coalitions;
// otherwise the errors of Analyze (one party suffices here).
Result<CoalitionAnalysis> AnalyzeCoalitions(const Scenario& scenario,
                                            const AnalysisOptions& options = {});

// Building blocks, exposed for tests, strategies and benchmarks. `utilities` are compiled for
// `space`, one per party.

// Exact frontier of linear utilities by per-issue merge, restricted to values no red line forbids.
// kFailedPrecondition when a utility is not linear; kOutOfRange past max_points.
Result<std::vector<Point>> LinearParetoFrontier(const OutcomeSpace& space,
                                                const std::vector<Utility>& utilities,
                                                size_t max_points = 1'000'000);

// Frontier by enumerating every outcome crossing no red line. Requires a space of at most 2^63
// outcomes; callers check the size.
std::vector<Point> EnumeratedParetoFrontier(const OutcomeSpace& space,
                                            const std::vector<Utility>& utilities,
                                            Progress* progress = nullptr);

// The Pareto filter of a set of points (dominated and duplicate utility vectors removed), sorted by
// the first utility descending.
std::vector<Point> ParetoFilter(std::vector<Point> points);

// Bargaining solutions chosen from candidate points (normally the frontier) above the reservation
// values; nullopt when no candidate is rational for all.
std::optional<Point> NashPoint(const std::vector<Point>& candidates, const std::vector<double>& rv);
std::optional<Point> KalaiSmorodinskyPoint(const std::vector<Point>& candidates,
                                           const std::vector<double>& rv);
std::optional<Point> EgalitarianPoint(const std::vector<Point>& candidates,
                                      const std::vector<double>& rv);
std::optional<Point> MaxWelfarePoint(const std::vector<Point>& candidates,
                                     const std::vector<double>& rv);

}  // namespace shuttle

#endif  // SHUTTLE_ANALYSIS_H_
