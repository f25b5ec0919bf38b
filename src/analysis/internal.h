// Private building blocks of the analysis module: utility keys, the Pareto filter on flat arrays,
// enumeration of the outcomes no red line forbids, and sampling.
//
// Utilities are compared as integer keys on a grid of 2^-40 (about 9.1e-13): two utilities closer
// than that are the same, and dominance on keys is a strict partial order (transitive, unlike a
// comparison "within 1e-12"), so sort-based filters are exact with respect to the keys.
#ifndef SHUTTLE_SRC_ANALYSIS_INTERNAL_H_
#define SHUTTLE_SRC_ANALYSIS_INTERNAL_H_

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "shuttle/analysis.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/progress.h"

namespace shuttle::analysis_internal {

// Tolerance for "at least the reservation value" and for reporting ties.
constexpr double kTolerance = 1e-12;

// The utility's key: round(u * 2^40), saturated far beyond any real utility; NaN is the lowest.
inline int64_t Key(double u) {
  constexpr double kScale = 1099511627776.0;  // 2^40
  constexpr double kLimit = 4.0e18;
  if (!(u == u)) return INT64_MIN / 2;
  double s = u * kScale;
  if (s > kLimit) return static_cast<int64_t>(kLimit);
  if (s < -kLimit) return -static_cast<int64_t>(kLimit);
  return std::llround(s);
}

// Individually rational for every party (within kTolerance).
inline bool Rational(const double* u, const std::vector<double>& rv) {
  for (size_t k = 0; k < rv.size(); ++k) {
    if (!(u[k] >= rv[k] - kTolerance)) return false;
  }
  return true;
}

// Indices of the Pareto-optimal points among `count` utility vectors of `n` doubles each (row
// major), one per distinct key vector, sorted by key lexicographically descending (first party's
// utility descending). n = 2 and n = 3 run in O(N log N), n >= 4 in O(N log^(n-2) N).
std::vector<uint32_t> ParetoIndices(const double* utilities, size_t count, size_t n);

// The values of each issue that no party's red line forbids, ascending.
std::vector<std::vector<uint32_t>> AllowedValues(const OutcomeSpace& space,
                                                 const std::vector<Utility>& utilities);

// Product of the sizes (exact).
BigCount CountProduct(const std::vector<std::vector<uint32_t>>& allowed);

// What one pass over the allowed outcomes collects.
struct EnumerationResult {
  std::vector<Point> frontier;  // When requested.
  uint64_t rational_count = 0;  // Outcomes rational for every party.
  uint64_t visited = 0;
};

// Visits every outcome whose values all parties allow (at most 2^64 - 1 of them; callers check),
// counting the rational ones and, when `want_frontier`, keeping the Pareto frontier. Linear
// utilities are summed incrementally, in issue order, so the sums equal Utility::Evaluate exactly.
EnumerationResult EnumerateAllowed(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                                   const std::vector<double>& rv, bool want_frontier,
                                   Progress* progress);

// Keeps the Pareto frontier of a stream of points in bounded memory: points are buffered and the
// buffer is filtered together with the current frontier whenever it fills.
class FrontierAccumulator {
 public:
  explicit FrontierAccumulator(size_t parties, size_t buffer = 1 << 16)
      : n_(parties), buffer_(buffer) {}
  void Add(const uint32_t* values, size_t issue_count, const double* utilities);
  // The frontier so far, sorted by the first party's utility descending.
  std::vector<Point> Finish();

 private:
  void Flush();
  size_t n_, buffer_;
  size_t issues_ = 0;
  size_t kept_ = 0;  // Points at the front of the buffers that are the frontier so far.
  std::vector<double> utils_;
  std::vector<uint32_t> values_;
};

// Sum of the values' contributions, issue by issue in order, as Utility::Evaluate adds them.
inline double LinearSum(const Utility& u, const uint32_t* values, size_t issue_count) {
  double s = 0;
  for (size_t i = 0; i < issue_count; ++i) s += u.Contributions(i)[values[i]];
  return s;
}

// Exact frontier of linear utilities (see analysis.h). When more than `max_points` points would be
// kept after some issue, either fails (thin = false) or keeps an evenly spread subset of
// `max_points` points and sets *thinned (the result is then made of feasible outcomes but is not
// guaranteed Pareto-optimal).
// Reports progress after each issue when `progress` is set.
Result<std::vector<Point>> MergeLinearFrontier(const OutcomeSpace& space,
                                               const std::vector<Utility>& utilities,
                                               size_t max_points, bool thin, bool* thinned,
                                               Progress* progress = nullptr);

// Every party's utility, compiled; an error names the party.
Result<std::vector<Utility>> CompileAll(const Scenario& scenario);
// kFailedPrecondition naming the first continuous issue: analysis needs finite issues.
Status CheckFinite(const OutcomeSpace& space);

// The frontier Analyze computes for these utilities (any number of parties, one included), by the
// method it would choose (analyze.cc); `rv` guides sampling only.
Result<Analysis::Frontier> FrontierOf(const OutcomeSpace& space,
                                      const std::vector<Utility>& utilities,
                                      const std::vector<double>& rv,
                                      const AnalysisOptions& options);

// A small seeded generator (splitmix64) so results do not depend on the standard library.
using Rng = SplitMix64;

// Approximate frontier of a space too large to enumerate: `samples` uniform outcomes among those
// no red line forbids, then hill climbing from the best of them on each party's utility, on
// weighted sums and on the Nash product. *rational_fraction receives the fraction of samples that
// are rational for every party (0 when samples is 0).
std::vector<Point> ApproximateFrontier(const OutcomeSpace& space,
                                       const std::vector<Utility>& utilities,
                                       const std::vector<double>& rv,
                                       const AnalysisOptions& options, double* rational_fraction);

// Two parties' hyper-rectangle utilities: the frontier by a search over the cells the boxes cut the
// issues into (rectangle_frontier.cc).
struct RectangleSearchOptions {
  // Partial outcomes kept after each issue; past it the least promising are dropped and the
  // result is inexact.
  size_t limit = 20'000;
  // Real outcomes known beforehand (e.g. an approximate frontier), used to prune. Default: none.
  const std::vector<Point>* incumbent = nullptr;
  Progress* progress = nullptr;
};

struct RectangleSearchResult {
  // Outcomes crossing no red line, with the utilities Utility::Evaluate gives, Pareto-filtered.
  std::vector<Point> points;
  // True when nothing was dropped: the frontier is then the Pareto filter of `points` and the
  // incumbent (`points` alone without one).
  bool exact = true;
  // When inexact: optimistic utility pairs (a Pareto staircase) such that every outcome crossing no
  // red line is weakly dominated by a point of `points` (or of the incumbent) or by one of these.
  std::vector<std::array<double, 2>> upper;
  size_t peak_items = 0, peak_states = 0;  // Largest layer kept.
};

// Exactly two utilities, both hyper-rectangles.
bool RectangleSearchApplies(const std::vector<Utility>& utilities);

RectangleSearchResult RectangleFrontier(const OutcomeSpace& space,
                                        const std::vector<Utility>& utilities,
                                        const RectangleSearchOptions& options);

// The smallest e >= 0 such that every point of `upper` is weakly dominated by a frontier point
// with e added to both utilities (the additive epsilon indicator); 0 when upper is empty,
// infinite when the frontier is.
double RectangleGap(const std::vector<Point>& frontier,
                    const std::vector<std::array<double, 2>>& upper);

// The Pareto staircase of a set of pairs (first descending).
std::vector<std::array<double, 2>> ParetoBounds(std::vector<std::array<double, 2>> bounds);

// Fraction of `samples` uniform allowed outcomes that are rational for every party.
double SampleRationalFraction(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                              const std::vector<double>& rv, uint64_t samples, uint64_t seed,
                              Progress* progress);

}  // namespace shuttle::analysis_internal

#endif  // SHUTTLE_SRC_ANALYSIS_INTERNAL_H_
