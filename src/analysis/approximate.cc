// Approximations for spaces too large to enumerate whose utilities are not linear
// (hyper-rectangles): uniform sampling of the outcomes no red line forbids, then hill climbing (on
// each party's utility, weighted sums and the Nash product) from the best samples and from greedy
// packings of compatible boxes, then climbs from the frontier found towards outcomes dominating it.
// Everything evaluated feeds one frontier accumulator, so the result is the Pareto filter of every
// outcome looked at: real outcomes with their true utilities, possibly dominated by outcomes never
// seen. Callers label it inexact.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {
namespace {

// Climbs per objective that start from packed boxes, besides the one from the best sample.
constexpr int kPackedStarts = 4;
// Frontier points from which a second round of climbs looks for dominating outcomes.
constexpr size_t kRefinedPoints = 64;

// What a hill climb maximizes: a weighted sum of utilities; the Nash product (as a sum of logs of
// gains floored at 1e-9, so climbing still has a slope below the reservation values); or, with an
// anchor, the smallest improvement over the anchor's utilities (plus a small share of the sum to
// break ties), which finds points dominating the anchor even where the frontier is not convex.
struct Objective {
  std::vector<double> weights;  // Empty (and no anchor): Nash.
  std::vector<double> anchor;
  double operator()(const double* u, const std::vector<double>& rv) const {
    double f = 0;
    if (!anchor.empty()) {
      double worst = INFINITY;
      for (size_t k = 0; k < anchor.size(); ++k) {
        worst = std::min(worst, u[k] - anchor[k]);
        f += 1e-3 * u[k];
      }
      return f + worst;
    }
    if (weights.empty()) {
      for (size_t k = 0; k < rv.size(); ++k) f += std::log(std::max(u[k] - rv[k], 1e-9));
    } else {
      for (size_t k = 0; k < weights.size(); ++k) f += weights[k] * u[k];
    }
    return f;
  }
};

Objective Weighted(std::vector<double> weights) { return {std::move(weights), {}}; }

std::vector<Objective> MakeObjectives(size_t n, Rng* rng) {
  std::vector<Objective> objectives;
  for (size_t k = 0; k < n; ++k) {
    Objective o = Weighted(std::vector<double>(n, 0.0));
    o.weights[k] = 1;
    objectives.push_back(o);
  }
  if (n == 2) {
    for (int i = 1; i <= 9; ++i) objectives.push_back(Weighted({i / 10.0, 1 - i / 10.0}));
  } else {
    objectives.push_back(Weighted(std::vector<double>(n, 1.0 / static_cast<double>(n))));
    for (size_t r = 0; r < 3 * n; ++r) {
      Objective o = Weighted(std::vector<double>(n));
      for (double& w : o.weights) w = -std::log(1 - rng->Unit());  // Uniform on the simplex.
      double sum = std::accumulate(o.weights.begin(), o.weights.end(), 0.0);
      for (double& w : o.weights) w /= sum;
      objectives.push_back(o);
    }
  }
  objectives.push_back(Objective{{}, {}});  // Nash.
  return objectives;
}

class Searcher {
 public:
  Searcher(const std::vector<Utility>& utilities, const std::vector<double>& rv,
           std::vector<std::vector<uint32_t>> allowed)
      : utilities_(utilities),
        rv_(rv),
        allowed_(std::move(allowed)),
        acc_(utilities.size()),
        u_(utilities.size()) {}

  void Draw(Rng* rng, std::vector<uint32_t>* values) const {
    for (size_t j = 0; j < allowed_.size(); ++j)
      (*values)[j] = allowed_[j][rng->Below(allowed_[j].size())];
  }

  // Evaluates, records in the frontier, returns the utilities (valid until the next call).
  const double* Evaluate(const std::vector<uint32_t>& values) {
    for (size_t k = 0; k < utilities_.size(); ++k) u_[k] = utilities_[k].Evaluate(values.data());
    acc_.Add(values.data(), values.size(), u_.data());
    return u_.data();
  }

  // Ascent until a sweep changes nothing. A sweep first tries to move into each box of every party
  // (changing all the issues the box constrains at once, which single-issue moves cannot do when
  // a box pays only once several issues agree), then gives each issue in turn its best value.
  void Climb(std::vector<uint32_t> values, const Objective& objective, Rng* rng) {
    double current = objective(Evaluate(values), rv_);
    std::vector<size_t> order(allowed_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    for (int sweep = 0; sweep < 100; ++sweep) {
      bool improved = BoxMoves(&values, objective, &current);
      for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng->Below(i)]);
      for (size_t j : order) {
        uint32_t keep = values[j];
        for (uint32_t v : allowed_[j]) {
          if (v == keep) continue;
          values[j] = v;
          double f = objective(Evaluate(values), rv_);
          if (f > current + 1e-15) {
            current = f;
            keep = v;
            improved = true;
          }
        }
        values[j] = keep;
      }
      if (!improved) break;
    }
  }

  // A starting point for Climb: boxes of positive weighted value, heaviest first (values perturbed
  // at random, so each call packs differently), added while compatible with those already packed;
  // each issue then takes a random allowed value in what the packed boxes leave open.
  std::vector<uint32_t> Pack(const Objective& objective, Rng* rng) const {
    std::vector<std::pair<double, const Utility::Box*>> boxes;
    for (size_t k = 0; k < utilities_.size(); ++k) {
      const Utility& u = utilities_[k];
      // Nash: every party alike; towards an anchor: random weights, for variety between calls.
      double w = !objective.weights.empty() ? objective.weights[k]
                 : objective.anchor.empty() ? 1.0
                                            : rng->Unit();
      if (u.linear() || w <= 0) continue;
      for (const Utility::Box& box : u.boxes()) {
        double value = w * box.utility * u.box_scale();
        if (value > 0) boxes.push_back({value * (0.5 + rng->Unit()), &box});
      }
    }
    std::sort(boxes.begin(), boxes.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<uint32_t> lo(allowed_.size(), 0), hi(allowed_.size());
    for (size_t j = 0; j < allowed_.size(); ++j) hi[j] = allowed_[j].back();
    for (const auto& [value, box] : boxes) {
      bool fits = std::all_of(box->bounds.begin(), box->bounds.end(), [&](const auto& b) {
        uint32_t l = std::max(lo[b.first], b.second.first),
                 h = std::min(hi[b.first], b.second.second);
        return l <= h && Nearest(b.first, l, l, h) != UINT32_MAX;
      });
      if (!fits) continue;
      for (const auto& [issue, range] : box->bounds) {
        lo[issue] = std::max(lo[issue], range.first);
        hi[issue] = std::min(hi[issue], range.second);
      }
    }
    std::vector<uint32_t> values(allowed_.size());
    for (size_t j = 0; j < allowed_.size(); ++j) {
      uint32_t pick = lo[j] + static_cast<uint32_t>(rng->Below(hi[j] - lo[j] + 1));
      values[j] = Nearest(j, pick, lo[j], hi[j]);
    }
    return values;
  }

  std::vector<Point> Finish() { return acc_.Finish(); }
  // The frontier so far; the search can go on.
  std::vector<Point> Snapshot() {
    std::vector<Point> points = acc_.Finish();
    for (const Point& p : points) acc_.Add(p.outcome.data(), p.outcome.size(), p.utilities.data());
    return points;
  }

 private:
  // The nearest allowed value of issue j within [lo, hi], or UINT32_MAX when there is none.
  uint32_t Nearest(size_t j, uint32_t current, uint32_t lo, uint32_t hi) const {
    const auto& a = allowed_[j];
    auto it = std::lower_bound(a.begin(), a.end(), std::clamp(current, lo, hi));
    uint32_t best = UINT32_MAX;
    if (it != a.end() && *it <= hi) best = *it;
    if (it != a.begin() && *std::prev(it) >= lo) {
      uint32_t below = *std::prev(it);
      if (best == UINT32_MAX || current - below < best - current) best = below;
    }
    return best;
  }

  // Moves into each box the outcome is not in, keeping a move that improves the objective.
  bool BoxMoves(std::vector<uint32_t>* values, const Objective& objective, double* current) {
    bool improved = false;
    std::vector<uint32_t> moved;
    for (const Utility& u : utilities_) {
      if (u.linear()) continue;
      for (const Utility::Box& box : u.boxes()) {
        if (box.utility * u.box_scale() <= 0) continue;
        moved = *values;
        bool feasible = true, changed = false;
        for (const auto& [issue, range] : box.bounds) {
          uint32_t v = moved[issue];
          if (v >= range.first && v <= range.second) continue;
          v = Nearest(issue, v, range.first, range.second);
          if (v == UINT32_MAX) {
            feasible = false;
            break;
          }
          moved[issue] = v;
          changed = true;
        }
        if (!feasible || !changed) continue;
        double f = objective(Evaluate(moved), rv_);
        if (f > *current + 1e-15) {
          *current = f;
          values->swap(moved);
          improved = true;
        }
      }
    }
    return improved;
  }

 public:
 private:
  const std::vector<Utility>& utilities_;
  const std::vector<double>& rv_;
  std::vector<std::vector<uint32_t>> allowed_;
  FrontierAccumulator acc_;
  std::vector<double> u_;
};

// Two parties: between consecutive frontier points a and b (a better for party 0), any outcome
// better than b for party 0 and better than a for party 1 is a missing frontier point, possibly one
// no weighted sum reaches. Climb towards the corner (b.u0, a.u1) from both ends of each gap.
void FillGaps(Searcher* searcher, Rng* rng) {
  for (int round = 0; round < 2; ++round) {
    std::vector<Point> found = searcher->Snapshot();
    size_t gaps = found.size() < 2 ? 0 : std::min(found.size() - 1, kRefinedPoints);
    for (size_t t = 0; t < gaps; ++t) {
      size_t i = gaps == 1 ? 0 : t * (found.size() - 2) / (gaps - 1);
      const Point& a = found[i];
      const Point& b = found[i + 1];
      Objective corner{{}, {b.utilities[0], a.utilities[1]}};
      searcher->Climb(a.outcome, corner, rng);
      searcher->Climb(b.outcome, corner, rng);
      for (int r = 0; r < 2; ++r) searcher->Climb(searcher->Pack(corner, rng), corner, rng);
    }
  }
}

bool AnyEmpty(const std::vector<std::vector<uint32_t>>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [](const auto& v) { return v.empty(); });
}

}  // namespace

std::vector<Point> ApproximateFrontier(const OutcomeSpace& space,
                                       const std::vector<Utility>& utilities,
                                       const std::vector<double>& rv,
                                       const AnalysisOptions& options, double* rational_fraction) {
  *rational_fraction = 0;
  auto allowed = AllowedValues(space, utilities);
  if (AnyEmpty(allowed)) return {};
  Rng rng(options.seed);
  std::vector<Objective> objectives = MakeObjectives(utilities.size(), &rng);
  Searcher searcher(utilities, rv, allowed);
  std::vector<uint32_t> values(space.issue_count());
  std::vector<std::vector<uint32_t>> seeds(objectives.size());
  std::vector<double> seed_values(objectives.size(), -INFINITY);
  uint64_t rational = 0, report_every = std::max<uint64_t>(options.samples / 100, 1);
  for (uint64_t s = 0; s < options.samples; ++s) {
    searcher.Draw(&rng, &values);
    const double* u = searcher.Evaluate(values);
    if (Rational(u, rv)) ++rational;
    for (size_t o = 0; o < objectives.size(); ++o) {
      double f = objectives[o](u, rv);
      if (f > seed_values[o]) {
        seed_values[o] = f;
        seeds[o] = values;
      }
    }
    if (options.progress && s % report_every == 0) {
      options.progress->Update("sampling outcomes",
                               0.5 * static_cast<double>(s) / static_cast<double>(options.samples));
    }
  }
  if (options.samples > 0)
    *rational_fraction = static_cast<double>(rational) / static_cast<double>(options.samples);
  for (size_t o = 0; o < objectives.size(); ++o) {
    if (seeds[o].empty()) searcher.Draw(&rng, &(seeds[o] = values));
    searcher.Climb(seeds[o], objectives[o], &rng);
    for (int r = 0; r < kPackedStarts; ++r)
      searcher.Climb(searcher.Pack(objectives[o], &rng), objectives[o], &rng);
    if (options.progress) {
      options.progress->Update("local search", 0.5 + 0.25 * static_cast<double>(o + 1) /
                                                         static_cast<double>(objectives.size()));
    }
  }
  // Push the frontier found so far outwards: from each of (up to kRefinedPoints of) its points,
  // climb towards outcomes better for everyone.
  std::vector<Point> found = searcher.Snapshot();
  size_t refine = std::min(found.size(), kRefinedPoints);
  for (size_t t = 0; t < refine; ++t) {
    const Point& p = found[refine == 1 ? 0 : t * (found.size() - 1) / (refine - 1)];
    Objective toward{{}, p.utilities};
    searcher.Climb(p.outcome, toward, &rng);
    searcher.Climb(searcher.Pack(toward, &rng), toward, &rng);
    if (options.progress) {
      options.progress->Update(
          "local search", 0.75 + 0.25 * static_cast<double>(t + 1) / static_cast<double>(refine));
    }
  }
  if (utilities.size() == 2) FillGaps(&searcher, &rng);
  return searcher.Finish();
}

double SampleRationalFraction(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                              const std::vector<double>& rv, uint64_t samples, uint64_t seed,
                              Progress* progress) {
  auto allowed = AllowedValues(space, utilities);
  if (AnyEmpty(allowed) || samples == 0) return 0;
  Rng rng(seed);
  std::vector<uint32_t> values(space.issue_count());
  std::vector<double> u(utilities.size());
  uint64_t rational = 0, report_every = std::max<uint64_t>(samples / 100, 1);
  for (uint64_t s = 0; s < samples; ++s) {
    for (size_t j = 0; j < allowed.size(); ++j)
      values[j] = allowed[j][rng.Below(allowed[j].size())];
    for (size_t k = 0; k < utilities.size(); ++k) u[k] = utilities[k].Evaluate(values.data());
    if (Rational(u.data(), rv)) ++rational;
    if (progress && s % report_every == 0) {
      progress->Update("sampling outcomes", static_cast<double>(s) / static_cast<double>(samples));
    }
  }
  return static_cast<double>(rational) / static_cast<double>(samples);
}

}  // namespace shuttle::analysis_internal
