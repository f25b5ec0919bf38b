// Test helpers for the analysis module: a tiny random scenario builder and brute-force reference
// computations that share no code with the library's algorithms (they enumerate the whole space by
// index and compare points pairwise with an explicit tolerance).
#ifndef SHUTTLE_SRC_ANALYSIS_ANALYSIS_TEST_UTIL_H_
#define SHUTTLE_SRC_ANALYSIS_ANALYSIS_TEST_UTIL_H_

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/scenario.h"

namespace shuttle::testing {

struct RandomOptions {
  int parties = 2;
  int issues = 4;
  int max_values = 5;
  bool red_lines = false;
  bool reservation = false;
  // Evaluations from {0, 0.25, 0.5, 0.75, 1} so that many outcomes tie exactly in the reals.
  bool coarse = false;
};

inline Scenario RandomLinearScenario(uint32_t seed, const RandomOptions& o) {
  std::mt19937 rng(seed);
  auto unit = [&] { return std::uniform_real_distribution<double>(0, 1)(rng); };
  auto below = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  std::vector<Issue> issues;
  for (int i = 0; i < o.issues; ++i) {
    int size = 1 + below(o.max_values);
    std::vector<std::string> labels;
    for (int v = 0; v < size; ++v) labels.push_back("v" + std::to_string(v));
    issues.push_back(Issue::Discrete("i" + std::to_string(i), labels));
  }
  Scenario s;
  s.name = "random" + std::to_string(seed);
  s.space = OutcomeSpace(issues);
  for (int p = 0; p < o.parties; ++p) {
    Profile profile;
    double total = 0;
    for (int i = 0; i < o.issues; ++i) {
      double w = o.coarse ? 1 + below(4) : unit();
      profile.weights.push_back(w);
      total += w;
      Evaluator e;
      e.divide_by_max = false;
      for (size_t v = 0; v < issues[i].size(); ++v)
        e.evaluations.push_back(o.coarse ? below(5) * 0.25 : unit());
      profile.evaluators.push_back(e);
    }
    for (double& w : profile.weights) w /= total;
    if (o.reservation) profile.reservation_value = 0.6 * unit();
    if (o.red_lines && below(2) == 0) {
      RedLine r;
      r.kind = RedLine::Kind::kForbid;
      r.issue = below(o.issues);
      r.values.push_back(static_cast<uint32_t>(below(static_cast<int>(issues[r.issue].size()))));
      profile.red_lines.push_back(r);
    }
    s.parties.push_back({"p" + std::to_string(p), profile});
  }
  return s;
}

inline std::vector<Utility> CompileOrDie(const Scenario& s) {
  std::vector<Utility> out;
  for (const Party& p : s.parties) out.push_back(Utility::Compile(s.space, p.profile).value());
  return out;
}

struct BruteOutcome {
  Outcome outcome;
  std::vector<double> utilities;
  bool red_line_free;
  bool rational;
};

// Every outcome of the space by dense index, with its utilities.
inline std::vector<BruteOutcome> EnumerateAll(const OutcomeSpace& space,
                                              const std::vector<Utility>& u) {
  std::vector<BruteOutcome> all;
  uint64_t count = space.cardinality().ToU64();
  for (uint64_t i = 0; i < count; ++i) {
    BruteOutcome b{space.Decode(i), {}, true, true};
    for (const Utility& x : u) {
      double v = x.Evaluate(b.outcome);
      b.utilities.push_back(v);
      b.red_line_free = b.red_line_free && x.Allows(b.outcome.data());
      b.rational = b.rational && v >= x.reservation_value() - 1e-12;
    }
    all.push_back(std::move(b));
  }
  return all;
}

inline bool Covers(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  for (size_t k = 0; k < a.size(); ++k) {
    if (a[k] < b[k] - tol) return false;
  }
  return true;
}

// Utility vectors of the red-line-free outcomes that no other is better than by more than `tol`
// somewhere while being no worse than `tol` anywhere; near-equal vectors collapsed to one.
inline std::vector<std::vector<double>> BruteFrontier(const std::vector<BruteOutcome>& all,
                                                      double tol = 1e-12) {
  std::vector<std::vector<double>> pts;
  for (const auto& b : all) {
    if (b.red_line_free) pts.push_back(b.utilities);
  }
  std::vector<std::vector<double>> front;
  for (size_t i = 0; i < pts.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < pts.size() && !dominated; ++j) {
      if (i == j || !Covers(pts[j], pts[i], tol)) continue;
      bool strictly = false;
      for (size_t k = 0; k < pts[i].size(); ++k) strictly = strictly || pts[j][k] > pts[i][k] + tol;
      dominated = strictly;
    }
    if (dominated) continue;
    bool duplicate = std::any_of(front.begin(), front.end(), [&](const auto& f) {
      return Covers(f, pts[i], tol) && Covers(pts[i], f, tol);
    });
    if (!duplicate) front.push_back(pts[i]);
  }
  return front;
}

// Every vector of `a` has one of `b` within `tol` in every coordinate.
inline bool AllMatched(const std::vector<std::vector<double>>& a,
                       const std::vector<std::vector<double>>& b, double tol) {
  return std::all_of(a.begin(), a.end(), [&](const auto& x) {
    return std::any_of(b.begin(), b.end(),
                       [&](const auto& y) { return Covers(x, y, tol) && Covers(y, x, tol); });
  });
}

inline std::string Str(const std::vector<double>& u) {
  std::string s;
  for (double x : u) s += std::to_string(x) + " ";
  return s;
}

inline std::vector<std::vector<double>> UtilityVectors(const std::vector<Point>& points) {
  std::vector<std::vector<double>> out;
  for (const Point& p : points) out.push_back(p.utilities);
  return out;
}

// Objectives of the bargaining solutions, written out independently of the library.
inline double NashValue(const std::vector<double>& u, const std::vector<double>& rv) {
  double p = 1;
  for (size_t k = 0; k < u.size(); ++k) p *= std::max(u[k] - rv[k], 0.0);
  return p;
}
inline double EgalitarianValue(const std::vector<double>& u, const std::vector<double>& rv) {
  double m = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < u.size(); ++k) m = std::min(m, std::max(u[k] - rv[k], 0.0));
  return m;
}
inline double WelfareValue(const std::vector<double>& u, const std::vector<double>&) {
  double s = 0;
  for (double x : u) s += x;
  return s;
}
inline double KsValue(const std::vector<double>& u, const std::vector<double>& rv,
                      const std::vector<double>& ideal) {
  double m = std::numeric_limits<double>::infinity();
  for (size_t k = 0; k < u.size(); ++k) {
    double range = ideal[k] - rv[k];
    m = std::min(m, range > 1e-12 ? std::max(u[k] - rv[k], 0.0) / range : 1.0);
  }
  return m;
}

struct BruteSolutions {
  bool any = false;
  std::vector<double> ideal;
  double nash = -1, ks = -1, egalitarian = -1, welfare = -1;
  uint64_t acceptable = 0;
};

inline BruteSolutions SolveBrute(const std::vector<BruteOutcome>& all,
                                 const std::vector<double>& rv) {
  BruteSolutions s;
  for (const auto& b : all) {
    if (!b.red_line_free || !b.rational) continue;
    ++s.acceptable;
    if (!s.any) s.ideal = b.utilities;
    s.any = true;
    for (size_t k = 0; k < rv.size(); ++k) s.ideal[k] = std::max(s.ideal[k], b.utilities[k]);
  }
  for (const auto& b : all) {
    if (!b.red_line_free || !b.rational) continue;
    s.nash = std::max(s.nash, NashValue(b.utilities, rv));
    s.ks = std::max(s.ks, KsValue(b.utilities, rv, s.ideal));
    s.egalitarian = std::max(s.egalitarian, EgalitarianValue(b.utilities, rv));
    s.welfare = std::max(s.welfare, WelfareValue(b.utilities, rv));
  }
  return s;
}

}  // namespace shuttle::testing

#endif  // SHUTTLE_SRC_ANALYSIS_ANALYSIS_TEST_UTIL_H_
