// Bargaining solutions over candidate points.
//
// Why the frontier suffices: every objective here (Nash product of gains, minimum gain ratio,
// minimum gain, sum of utilities) is non-decreasing in each party's utility over rational points.
// Any outcome acceptable to all (rational, crossing no red line) is weakly dominated by a
// Pareto-optimal outcome of the red-line-free space; that outcome is rational too (it is at least
// as good for everyone), so its objective is at least as high. Hence a maximizer over the rational
// frontier points is a maximizer over the whole acceptable set, and the ideal point (best utility
// per party over acceptable outcomes) is attained on the frontier as well.
//
// Ties (equal objective values) keep the first candidate, i.e. the one best for party 0 when the
// candidates are a frontier.
#include <algorithm>
#include <limits>

#include "analysis/internal.h"

namespace shuttle {
namespace {

using analysis_internal::kTolerance;
using analysis_internal::Rational;

double Rv(const std::vector<double>& rv, size_t k) { return k < rv.size() ? rv[k] : 0.0; }

bool IsRational(const Point& p, const std::vector<double>& rv) {
  if (p.utilities.size() < rv.size()) return false;
  return Rational(p.utilities.data(), rv);
}

template <typename Objective>
std::optional<Point> Maximize(const std::vector<Point>& candidates, const std::vector<double>& rv,
                              Objective objective) {
  const Point* best = nullptr;
  double best_value = -std::numeric_limits<double>::infinity();
  for (const Point& p : candidates) {
    if (!IsRational(p, rv)) continue;
    double value = objective(p);
    if (best == nullptr || value > best_value) {
      best = &p;
      best_value = value;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

// Gains are clamped at 0: a point within kTolerance below a reservation value counts as rational
// with no gain.
double Gain(const Point& p, const std::vector<double>& rv, size_t k) {
  return std::max(p.utilities[k] - Rv(rv, k), 0.0);
}

}  // namespace

std::optional<Point> NashPoint(const std::vector<Point>& candidates,
                               const std::vector<double>& rv) {
  return Maximize(candidates, rv, [&](const Point& p) {
    double product = 1;
    for (size_t k = 0; k < p.utilities.size(); ++k) product *= Gain(p, rv, k);
    return product;
  });
}

std::optional<Point> KalaiSmorodinskyPoint(const std::vector<Point>& candidates,
                                           const std::vector<double>& rv) {
  std::vector<double> ideal;
  for (const Point& p : candidates) {
    if (!IsRational(p, rv)) continue;
    if (ideal.empty()) ideal.assign(p.utilities.size(), -std::numeric_limits<double>::infinity());
    for (size_t k = 0; k < ideal.size(); ++k) ideal[k] = std::max(ideal[k], p.utilities[k]);
  }
  return Maximize(candidates, rv, [&](const Point& p) {
    double worst = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < p.utilities.size(); ++k) {
      double range = ideal[k] - Rv(rv, k);
      // A party whose ideal is its reservation value gets all it can anywhere: ratio 1.
      double ratio = range > kTolerance ? Gain(p, rv, k) / range : 1.0;
      worst = std::min(worst, ratio);
    }
    return worst;
  });
}

std::optional<Point> EgalitarianPoint(const std::vector<Point>& candidates,
                                      const std::vector<double>& rv) {
  return Maximize(candidates, rv, [&](const Point& p) {
    double worst = std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < p.utilities.size(); ++k) worst = std::min(worst, Gain(p, rv, k));
    return worst;
  });
}

std::optional<Point> MaxWelfarePoint(const std::vector<Point>& candidates,
                                     const std::vector<double>& rv) {
  return Maximize(candidates, rv, [&](const Point& p) {
    double sum = 0;
    for (double u : p.utilities) sum += u;
    return sum;
  });
}

}  // namespace shuttle
