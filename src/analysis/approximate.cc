// Approximations for spaces too large to enumerate whose utilities are not linear (hyper-rectangles):
// uniform sampling of the outcomes no red line forbids, then hill climbing from the best samples.
// Everything evaluated feeds one frontier accumulator, so the result is the Pareto filter of every
// outcome looked at: real outcomes with their true utilities, possibly dominated by outcomes never
// seen. Callers label it inexact.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {
namespace {

// What a hill climb maximizes: a weighted sum of utilities, or the Nash product (as a sum of logs of
// gains floored at 1e-9, so climbing still has a slope below the reservation values).
struct Objective {
  std::vector<double> weights;  // Empty: Nash.
  double operator()(const double* u, const std::vector<double>& rv) const {
    double f = 0;
    if (weights.empty()) {
      for (size_t k = 0; k < rv.size(); ++k) f += std::log(std::max(u[k] - rv[k], 1e-9));
    } else {
      for (size_t k = 0; k < weights.size(); ++k) f += weights[k] * u[k];
    }
    return f;
  }
};

std::vector<Objective> MakeObjectives(size_t n, Rng* rng) {
  std::vector<Objective> objectives;
  for (size_t k = 0; k < n; ++k) {
    Objective o{std::vector<double>(n, 0.0)};
    o.weights[k] = 1;
    objectives.push_back(o);
  }
  if (n == 2) {
    for (int i = 1; i <= 9; ++i) objectives.push_back({{i / 10.0, 1 - i / 10.0}});
  } else {
    objectives.push_back({std::vector<double>(n, 1.0 / static_cast<double>(n))});
    for (size_t r = 0; r < 3 * n; ++r) {
      Objective o{std::vector<double>(n)};
      for (double& w : o.weights) w = -std::log(1 - rng->Unit());  // Uniform on the simplex.
      double sum = std::accumulate(o.weights.begin(), o.weights.end(), 0.0);
      for (double& w : o.weights) w /= sum;
      objectives.push_back(o);
    }
  }
  objectives.push_back({});  // Nash.
  return objectives;
}

class Searcher {
 public:
  Searcher(const std::vector<Utility>& utilities, const std::vector<double>& rv,
           std::vector<std::vector<uint32_t>> allowed)
      : utilities_(utilities), rv_(rv), allowed_(std::move(allowed)), acc_(utilities.size()), u_(utilities.size()) {}

  void Draw(Rng* rng, std::vector<uint32_t>* values) const {
    for (size_t j = 0; j < allowed_.size(); ++j) (*values)[j] = allowed_[j][rng->Below(allowed_[j].size())];
  }

  // Evaluates, records in the frontier, returns the utilities (valid until the next call).
  const double* Evaluate(const std::vector<uint32_t>& values) {
    for (size_t k = 0; k < utilities_.size(); ++k) u_[k] = utilities_[k].Evaluate(values.data());
    acc_.Add(values.data(), values.size(), u_.data());
    return u_.data();
  }

  // Coordinate ascent: each issue in turn takes its best value, until a sweep changes nothing.
  void Climb(std::vector<uint32_t> values, const Objective& objective, Rng* rng) {
    double current = objective(Evaluate(values), rv_);
    std::vector<size_t> order(allowed_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    for (int sweep = 0; sweep < 100; ++sweep) {
      bool improved = false;
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

  std::vector<Point> Finish() { return acc_.Finish(); }

 private:
  const std::vector<Utility>& utilities_;
  const std::vector<double>& rv_;
  std::vector<std::vector<uint32_t>> allowed_;
  FrontierAccumulator acc_;
  std::vector<double> u_;
};

bool AnyEmpty(const std::vector<std::vector<uint32_t>>& allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [](const auto& v) { return v.empty(); });
}

}  // namespace

std::vector<Point> ApproximateFrontier(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                                       const std::vector<double>& rv, const AnalysisOptions& options,
                                       double* rational_fraction) {
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
      options.progress->Update("sampling outcomes", 0.5 * static_cast<double>(s) / static_cast<double>(options.samples));
    }
  }
  if (options.samples > 0) *rational_fraction = static_cast<double>(rational) / static_cast<double>(options.samples);
  for (size_t o = 0; o < objectives.size(); ++o) {
    if (seeds[o].empty()) searcher.Draw(&rng, &(seeds[o] = values));
    searcher.Climb(seeds[o], objectives[o], &rng);
    if (options.progress) {
      options.progress->Update("local search", 0.5 + 0.5 * static_cast<double>(o + 1) / static_cast<double>(objectives.size()));
    }
  }
  return searcher.Finish();
}

double SampleRationalFraction(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                              const std::vector<double>& rv, uint64_t samples, uint64_t seed, Progress* progress) {
  auto allowed = AllowedValues(space, utilities);
  if (AnyEmpty(allowed) || samples == 0) return 0;
  Rng rng(seed);
  std::vector<uint32_t> values(space.issue_count());
  std::vector<double> u(utilities.size());
  uint64_t rational = 0, report_every = std::max<uint64_t>(samples / 100, 1);
  for (uint64_t s = 0; s < samples; ++s) {
    for (size_t j = 0; j < allowed.size(); ++j) values[j] = allowed[j][rng.Below(allowed[j].size())];
    for (size_t k = 0; k < utilities.size(); ++k) u[k] = utilities[k].Evaluate(values.data());
    if (Rational(u.data(), rv)) ++rational;
    if (progress && s % report_every == 0) {
      progress->Update("sampling outcomes", static_cast<double>(s) / static_cast<double>(samples));
    }
  }
  return static_cast<double>(rational) / static_cast<double>(samples);
}

}  // namespace shuttle::analysis_internal
