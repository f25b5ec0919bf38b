// Analyze(): chooses how to get the frontier (per-issue merge, enumeration, the hyper-rectangle
// cell search or approximation), then derives the solutions, the ZOPA and the statistics from it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "analysis/internal.h"

namespace shuttle {
namespace {

using namespace analysis_internal;

// Limit of the first search of two parties' hyper-rectangles (SearchRectangles).
constexpr size_t kFirstSearchLimit = 4096;

// Evenly spread subset of `limit` points (the extremes included).
std::vector<Point> ThinPoints(std::vector<Point> points, size_t limit) {
  if (points.size() <= limit || limit == 0) return points;
  std::vector<Point> out;
  for (size_t t = 0; t < limit; ++t) {
    size_t i = limit == 1 ? 0 : (t * (points.size() - 1) + (limit - 1) / 2) / (limit - 1);
    out.push_back(std::move(points[i]));
  }
  return out;
}

struct Context {
  const OutcomeSpace& space;
  const std::vector<Utility>& utilities;
  const std::vector<double>& rv;
  const AnalysisOptions& options;
  bool all_linear;
  BigCount allowed_count;  // Outcomes crossing no red line.
  bool enumerable;         // allowed_count <= options.enumerate_limit.
  // Set when computing the frontier already counted or sampled rational outcomes.
  std::optional<uint64_t> rational_count;
  std::optional<double> rational_fraction;
};

// Two parties' hyper-rectangles beyond enumeration: the cell search, exact within its limit. A
// first search with a small limit settles the easy spaces (the ANAC 2014 10-issue domains keep
// under a thousand partial outcomes). Otherwise sampling and local search find real outcomes, and
// a second search, pruned by them, keeps the most promising partial outcomes up to the limit and
// bounds what it dropped: the frontier is the best of everything found, with that bound as its
// gap (exact after all when the bound shows nothing better was dropped).
void SearchRectangles(Context* c, Analysis::Frontier* f) {
  RectangleSearchOptions o;
  o.limit = std::min(c->options.rectangle_search_limit, kFirstSearchLimit);
  o.progress = c->options.progress;
  RectangleSearchResult first = RectangleFrontier(c->space, c->utilities, o);
  f->method = "rectangle search";
  if (first.exact) {
    f->points = std::move(first.points);
    return;
  }
  double fraction = 0;
  std::vector<Point> approx =
      ApproximateFrontier(c->space, c->utilities, c->rv, c->options, &fraction);
  c->rational_fraction = fraction;
  o.incumbent = &approx;
  o.limit = c->options.rectangle_search_limit;
  RectangleSearchResult second = RectangleFrontier(c->space, c->utilities, o);
  std::vector<Point> all = std::move(approx);
  all.insert(all.end(), second.points.begin(), second.points.end());
  all.insert(all.end(), first.points.begin(), first.points.end());
  f->points = ParetoFilter(std::move(all));
  double gap = second.exact ? 0.0 : RectangleGap(f->points, second.upper);
  f->exact = gap <= kTolerance;
  f->gap = f->exact ? 0.0 : gap;
  if (!f->exact) {
    f->method = fmt::format(
        "rectangle search ({} partial outcomes per issue) + sampling + local search ({} samples, "
        "seed {})",
        o.limit, c->options.samples, c->options.seed);
  }
}

Result<Analysis::Frontier> ComputeFrontier(Context* c) {
  Analysis::Frontier f;
  if (c->all_linear) {
    bool thinned = false;
    SHUTTLE_ASSIGN_OR_RETURN(
        f.points, MergeLinearFrontier(c->space, c->utilities, c->options.max_frontier_points,
                                      /*thin=*/true, &thinned, c->options.progress));
    f.exact = !thinned;
    if (thinned) f.gap = std::nullopt;
    f.method = thinned ? fmt::format("per-issue merge (thinned to {} points)",
                                     c->options.max_frontier_points)
                       : "per-issue merge";
    return f;
  }
  if (c->enumerable) {
    EnumerationResult e = EnumerateAllowed(c->space, c->utilities, c->rv, /*want_frontier=*/true,
                                           c->options.progress);
    c->rational_count = e.rational_count;
    f.points = std::move(e.frontier);
    f.method = "enumeration";
  } else if (c->options.rectangle_search_limit > 0 && RectangleSearchApplies(c->utilities)) {
    SearchRectangles(c, &f);
  } else {
    double fraction = 0;
    f.points = ApproximateFrontier(c->space, c->utilities, c->rv, c->options, &fraction);
    c->rational_fraction = fraction;
    f.exact = false;
    f.gap = std::nullopt;
    f.method = fmt::format("sampling + local search ({} samples, seed {})", c->options.samples,
                           c->options.seed);
  }
  if (f.points.size() > c->options.max_frontier_points) {
    f.points = ThinPoints(std::move(f.points), c->options.max_frontier_points);
    f.exact = false;
    f.gap = std::nullopt;
    f.method += fmt::format(" (thinned to {} points)", c->options.max_frontier_points);
  }
  return f;
}

// Lowest linear utility over the outcomes crossing no red line.
double LinearMinimum(const Utility& u, const std::vector<std::vector<uint32_t>>& allowed) {
  double sum = 0;
  for (size_t j = 0; j < allowed.size(); ++j) {
    double low = std::numeric_limits<double>::infinity();
    for (uint32_t v : allowed[j]) low = std::min(low, u.Contributions(j)[v]);
    sum += low;
  }
  return sum;
}

void SetExactZopa(Analysis::Zopa* z, const BigCount& count, std::string method) {
  z->count = count;
  z->size = count.ToDouble();
  z->exact = true;
  z->method = std::move(method);
}

Analysis::Zopa ComputeZopa(Context* c, const Analysis::Frontier& frontier) {
  Analysis::Zopa z;
  if (c->allowed_count.IsZero()) {
    SetExactZopa(&z, BigCount(0), "every outcome crosses a red line");
    return z;
  }
  // Cheap exact answers first, then enumeration, then sampling.
  bool any_rational =
      std::any_of(frontier.points.begin(), frontier.points.end(),
                  [&](const Point& p) { return Rational(p.utilities.data(), c->rv); });
  if (frontier.exact && !any_rational) {
    // An acceptable outcome would be weakly dominated by a rational frontier point.
    SetExactZopa(&z, BigCount(0), "no Pareto-optimal outcome is rational");
    return z;
  }
  if (c->all_linear) {
    auto allowed = AllowedValues(c->space, c->utilities);
    bool all_rational = true;
    for (size_t k = 0; k < c->utilities.size(); ++k) {
      all_rational =
          all_rational && LinearMinimum(c->utilities[k], allowed) >= c->rv[k] - kTolerance;
    }
    if (all_rational) {
      SetExactZopa(&z, c->allowed_count, "every outcome crossing no red line is rational");
      return z;
    }
  }
  if (c->enumerable) {
    if (!c->rational_count) {
      c->rational_count =
          EnumerateAllowed(c->space, c->utilities, c->rv, false, c->options.progress)
              .rational_count;
    }
    SetExactZopa(&z, BigCount(*c->rational_count), "enumeration");
    return z;
  }
  if (!c->rational_fraction) {
    c->rational_fraction = SampleRationalFraction(c->space, c->utilities, c->rv, c->options.samples,
                                                  c->options.seed, c->options.progress);
  }
  z.size = *c->rational_fraction * c->allowed_count.ToDouble();
  z.exact = false;
  z.method = fmt::format("sampling ({} outcomes)", c->options.samples);
  return z;
}

// Mean of a utility with no closed form (GENIUS constraint profiles): over every outcome when the
// space is enumerable, else over `samples` uniform outcomes (*exact is then cleared).
double MeanByVisiting(const OutcomeSpace& space, const Utility& u, const AnalysisOptions& options,
                      bool* exact) {
  Outcome values(space.issue_count(), 0);
  double sum = 0;
  if (space.EnumerableWithin(options.enumerate_limit)) {
    uint64_t count = space.cardinality().ToU64();
    for (uint64_t k = 0; k < count; ++k) {
      space.Decode(k, &values);
      sum += u.Evaluate(values);
    }
    return count > 0 ? sum / static_cast<double>(count) : 0.0;
  }
  *exact = false;
  if (options.samples == 0) return 0.0;
  Rng rng(options.seed);
  for (uint64_t s = 0; s < options.samples; ++s) {
    for (size_t j = 0; j < values.size(); ++j)
      values[j] = static_cast<uint32_t>(rng.Below(space.issue(j).size()));
    sum += u.Evaluate(values);
  }
  return sum / static_cast<double>(options.samples);
}

// Mean over the whole space. Linear: the sum of per-issue means. Hyper-rectangles: each box
// contributes its utility times the fraction of the space inside it (a product over its issues).
// Constraint profiles: by visiting outcomes (MeanByVisiting).
double MeanUtility(const OutcomeSpace& space, const Utility& u, const AnalysisOptions& options,
                   bool* exact) {
  if (u.kind() == ProfileKind::kConstraint) return MeanByVisiting(space, u, options, exact);
  double mean = 0;
  if (u.linear()) {
    for (size_t j = 0; j < space.issue_count(); ++j) {
      double sum = 0;
      for (size_t v = 0; v < u.IssueSize(j); ++v) sum += u.Contributions(j)[v];
      mean += sum / static_cast<double>(u.IssueSize(j));
    }
    return mean;
  }
  for (const Utility::Box& box : u.boxes()) {
    std::map<uint32_t, std::pair<uint32_t, uint32_t>> ranges;  // Bounds on one issue intersect.
    for (const auto& [issue, range] : box.bounds) {
      auto [it, fresh] = ranges.emplace(issue, range);
      if (!fresh)
        it->second = {std::max(it->second.first, range.first),
                      std::min(it->second.second, range.second)};
    }
    double fraction = 1;
    for (const auto& [issue, range] : ranges) {
      double width = range.second >= range.first ? range.second - range.first + 1.0 : 0.0;
      fraction *= width / static_cast<double>(space.issue(issue).size());
    }
    mean += box.utility * fraction;
  }
  return mean * u.box_scale();
}

double Opposition(const std::vector<Point>& frontier) {
  double best = std::numeric_limits<double>::quiet_NaN();
  for (const Point& p : frontier) {
    double d = 0;
    for (double u : p.utilities) d += std::pow(1 - std::min(u, 1.0), 2);
    d = std::sqrt(d);
    if (!(d >= best)) best = d;
  }
  return best;
}

std::vector<double> Ideal(const std::vector<Point>& frontier, const std::vector<double>& rv) {
  std::vector<double> ideal;
  for (const Point& p : frontier) {
    if (!Rational(p.utilities.data(), rv)) continue;
    if (ideal.empty()) ideal = p.utilities;
    for (size_t k = 0; k < ideal.size(); ++k) ideal[k] = std::max(ideal[k], p.utilities[k]);
  }
  return ideal;
}

Status CheckScenario(const Scenario& scenario) {
  if (scenario.parties.size() < 2) {
    return Status::InvalidArgument(fmt::format(
        "analysis needs at least two parties; the scenario has {}", scenario.parties.size()));
  }
  return CheckFinite(scenario.space);
}

}  // namespace

namespace analysis_internal {

Result<std::vector<Utility>> CompileAll(const Scenario& scenario) {
  std::vector<Utility> utilities;
  for (const Party& party : scenario.parties) {
    auto u = Utility::Compile(scenario.space, party.profile);
    if (!u.ok()) return u.status().WithContext(fmt::format("party '{}'", party.name));
    utilities.push_back(std::move(u).value());
  }
  return utilities;
}

Status CheckFinite(const OutcomeSpace& space) {
  for (const Issue& issue : space.issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(fmt::format(
          "issue '{}' is continuous: discretize real issues with a step before analyzing",
          issue.name()));
    }
  }
  return Status::Ok();
}

Result<Analysis::Frontier> FrontierOf(const OutcomeSpace& space,
                                      const std::vector<Utility>& utilities,
                                      const std::vector<double>& rv,
                                      const AnalysisOptions& options) {
  Context c{
      space,
      utilities,
      rv,
      options,
      std::all_of(utilities.begin(), utilities.end(), [](const Utility& u) { return u.linear(); }),
      CountProduct(AllowedValues(space, utilities)),
      false,
      std::nullopt,
      std::nullopt};
  c.enumerable = c.allowed_count.Compare(options.enumerate_limit) <= 0;
  return ComputeFrontier(&c);
}

}  // namespace analysis_internal

Result<Analysis> Analyze(const Scenario& scenario, const AnalysisOptions& options) {
  SHUTTLE_RETURN_IF_ERROR(CheckScenario(scenario));
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities, CompileAll(scenario));
  Analysis a;
  a.outcome_count = scenario.space.cardinality();
  for (size_t k = 0; k < utilities.size(); ++k) {
    a.parties.push_back(scenario.parties[k].name);
    a.reservation_values.push_back(utilities[k].reservation_value());
  }
  Context c{
      scenario.space,
      utilities,
      a.reservation_values,
      options,
      std::all_of(utilities.begin(), utilities.end(), [](const Utility& u) { return u.linear(); }),
      CountProduct(AllowedValues(scenario.space, utilities)),
      false,
      std::nullopt,
      std::nullopt};
  c.enumerable = c.allowed_count.Compare(options.enumerate_limit) <= 0;
  SHUTTLE_ASSIGN_OR_RETURN(a.pareto, ComputeFrontier(&c));
  const std::vector<Point>& f = a.pareto.points;
  a.nash = NashPoint(f, a.reservation_values);
  a.kalai_smorodinsky = KalaiSmorodinskyPoint(f, a.reservation_values);
  a.egalitarian = EgalitarianPoint(f, a.reservation_values);
  a.max_welfare = MaxWelfarePoint(f, a.reservation_values);
  a.ideal = Ideal(f, a.reservation_values);
  a.zopa = ComputeZopa(&c, a.pareto);
  for (const Utility& u : utilities) {
    a.mean_utilities.push_back(MeanUtility(scenario.space, u, options, &a.means_exact));
  }
  a.opposition = Opposition(f);
  return a;
}

}  // namespace shuttle
