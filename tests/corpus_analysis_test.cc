// The analysis of every finite, linear GENIUS domain of the corpus (../shared/domains/genius) with
// at most 10^6 outcomes, checked against brute force: the whole space is enumerated here, by dense
// index, and the frontier, the ideal point, the ZOPA and each bargaining solution's objective are
// computed with code that shares nothing with the library's algorithms.
//
// Two parties: the first two profiles of every row. Three parties: the first three profiles of
// every row with at least three and at most 5,000 outcomes. SHUTTLE_CORPUS_LIMIT (an outcome
// count) skips larger rows; builds with AddressSanitizer default to 200,000, others to 10^6.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

constexpr double kTol = 1e-12;   // Ties, as the library defines them.
constexpr double kMatch = 1e-9;  // Agreement between library and brute force.

uint64_t CorpusLimit() {
  if (const char* env = std::getenv("SHUTTLE_CORPUS_LIMIT")) return std::strtoull(env, nullptr, 10);
#if defined(__SANITIZE_ADDRESS__)
  return 200'000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return 200'000;
#endif
#endif
  return 1'000'000;
}

// Utilities of every outcome (row major, n per outcome) in dense index order.
std::vector<double> AllUtilities(const OutcomeSpace& space, const std::vector<Utility>& u) {
  uint64_t count = space.cardinality().ToU64();
  size_t n = u.size();
  std::vector<double> all(count * n);
  Outcome o(space.issue_count(), 0);
  for (uint64_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < n; ++k) all[i * n + k] = u[k].Evaluate(o);
    for (size_t j = space.issue_count(); j-- > 0;) {  // Next outcome, last issue fastest.
      if (++o[j] < space.issue(j).size()) break;
      o[j] = 0;
    }
  }
  return all;
}

bool Covers(const double* a, const double* b, size_t n, double tol) {
  for (size_t k = 0; k < n; ++k) {
    if (a[k] < b[k] - tol) return false;
  }
  return true;
}

// Two parties: sort by u0 descending, sweep keeping points that raise the best u1 by more than the
// tolerance; a kept point also removes earlier ones it ties on u0 and beats on u1.
std::vector<std::vector<double>> Frontier2(const std::vector<double>& all) {
  size_t count = all.size() / 2;
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return all[a * 2] != all[b * 2] ? all[a * 2] > all[b * 2] : all[a * 2 + 1] > all[b * 2 + 1];
  });
  std::vector<std::vector<double>> front;
  double best = -std::numeric_limits<double>::infinity();
  for (uint32_t i : order) {
    double u0 = all[i * 2], u1 = all[i * 2 + 1];
    if (u1 <= best + kTol) continue;
    while (!front.empty() && front.back()[0] <= u0 + kTol) front.pop_back();
    front.push_back({u0, u1});
    best = u1;
  }
  return front;
}

// Any number of parties: each point against the kept ones, both ways.
std::vector<std::vector<double>> FrontierN(const std::vector<double>& all, size_t n) {
  std::vector<std::vector<double>> front;
  for (size_t i = 0; i < all.size() / n; ++i) {
    const double* p = &all[i * n];
    bool covered = std::any_of(front.begin(), front.end(),
                               [&](const auto& f) { return Covers(f.data(), p, n, kTol); });
    if (covered) continue;
    std::erase_if(front, [&](const auto& f) { return Covers(p, f.data(), n, kTol); });
    front.emplace_back(p, p + n);
  }
  return front;
}

// Vectors of `a` without a vector of `b` within kMatch in every coordinate, as text.
std::string Unmatched(const std::vector<std::vector<double>>& a,
                      const std::vector<std::vector<double>>& b) {
  std::string out;
  for (const auto& x : a) {
    bool found = std::any_of(b.begin(), b.end(), [&](const auto& y) {
      return Covers(x.data(), y.data(), x.size(), kMatch) &&
             Covers(y.data(), x.data(), x.size(), kMatch);
    });
    if (!found) out += fmt::format(" ({})", fmt::join(x, ", "));
  }
  return out;
}

struct Brute {
  uint64_t acceptable = 0;
  std::vector<double> ideal;
  double nash = -1, ks = -1, egalitarian = -1, welfare = -1;
};

Brute SolveBrute(const std::vector<double>& all, const std::vector<double>& rv) {
  size_t n = rv.size();
  Brute b;
  auto rational = [&](const double* u) {
    for (size_t k = 0; k < n; ++k) {
      if (u[k] < rv[k] - kTol) return false;
    }
    return true;
  };
  for (size_t i = 0; i < all.size() / n; ++i) {
    const double* u = &all[i * n];
    if (!rational(u)) continue;
    if (b.acceptable++ == 0) b.ideal.assign(u, u + n);
    for (size_t k = 0; k < n; ++k) b.ideal[k] = std::max(b.ideal[k], u[k]);
  }
  for (size_t i = 0; i < all.size() / n; ++i) {
    const double* u = &all[i * n];
    if (!rational(u)) continue;
    double nash = 1, ks = 1e300, egal = 1e300, welfare = 0;
    for (size_t k = 0; k < n; ++k) {
      double gain = std::max(u[k] - rv[k], 0.0), range = b.ideal[k] - rv[k];
      nash *= gain;
      ks = std::min(ks, range > kTol ? gain / range : 1.0);
      egal = std::min(egal, gain);
      welfare += u[k];
    }
    b.nash = std::max(b.nash, nash);
    b.ks = std::max(b.ks, ks);
    b.egalitarian = std::max(b.egalitarian, egal);
    b.welfare = std::max(b.welfare, welfare);
  }
  return b;
}

// The same objectives at a library point.
struct Values {
  double nash = 1, ks = 1e300, egalitarian = 1e300, welfare = 0;
};
Values Evaluate(const std::vector<double>& u, const std::vector<double>& rv,
                const std::vector<double>& ideal) {
  Values v;
  for (size_t k = 0; k < u.size(); ++k) {
    double gain = std::max(u[k] - rv[k], 0.0), range = ideal[k] - rv[k];
    v.nash *= gain;
    v.ks = std::min(v.ks, range > kTol ? gain / range : 1.0);
    v.egalitarian = std::min(v.egalitarian, gain);
    v.welfare += u[k];
  }
  return v;
}

// Compares Analyze() with brute force; returns the problems found ("" when none).
std::string Check(const Scenario& s) {
  std::vector<Utility> u;
  std::vector<double> rv;
  for (const Party& p : s.parties) {
    u.push_back(Utility::Compile(s.space, p.profile).value());
    rv.push_back(u.back().reservation_value());
  }
  auto a = Analyze(s);
  if (!a.ok()) return "Analyze failed: " + a.status().ToString();
  std::string problems;
  if (!a->pareto.exact || a->pareto.method != "per-issue merge")
    problems += " frontier not exact by merge;";
  std::vector<double> all = AllUtilities(s.space, u);
  auto brute_front = u.size() == 2 ? Frontier2(all) : FrontierN(all, u.size());
  std::vector<std::vector<double>> front;
  for (const Point& p : a->pareto.points) front.push_back(p.utilities);
  std::string missing = Unmatched(brute_front, front), extra = Unmatched(front, brute_front);
  if (front.size() != brute_front.size()) {
    problems +=
        fmt::format(" frontier has {} points, brute force {};", front.size(), brute_front.size());
  }
  if (!missing.empty()) problems += " frontier misses" + missing + ";";
  if (!extra.empty()) problems += " frontier has extra" + extra + ";";
  Brute b = SolveBrute(all, rv);
  if (a->zopa.size != static_cast<double>(b.acceptable) || !a->zopa.exact) {
    problems += fmt::format(" zopa {} (exact {}), brute force {};", a->zopa.size, a->zopa.exact,
                            b.acceptable);
  }
  bool any = b.acceptable > 0;
  if (a->nash.has_value() != any || a->kalai_smorodinsky.has_value() != any ||
      a->egalitarian.has_value() != any || a->max_welfare.has_value() != any) {
    return problems + " solutions present/absent disagree with brute force;";
  }
  if (!any) return problems;
  for (size_t k = 0; k < rv.size(); ++k) {
    if (std::fabs(a->ideal[k] - b.ideal[k]) > kMatch)
      problems += fmt::format(" ideal[{}] {} vs {};", k, a->ideal[k], b.ideal[k]);
  }
  auto close = [](double x, double y) { return std::fabs(x - y) <= kMatch; };
  if (!close(Evaluate(a->nash->utilities, rv, b.ideal).nash, b.nash))
    problems += " Nash product not maximal;";
  if (!close(Evaluate(a->kalai_smorodinsky->utilities, rv, b.ideal).ks, b.ks))
    problems += " KS ratio not maximal;";
  if (!close(Evaluate(a->egalitarian->utilities, rv, b.ideal).egalitarian, b.egalitarian)) {
    problems += " egalitarian gain not maximal;";
  }
  if (!close(Evaluate(a->max_welfare->utilities, rv, b.ideal).welfare, b.welfare))
    problems += " welfare not maximal;";
  return problems;
}

bool LinearKinds(const nlohmann::json& row) {
  for (const auto& kind : row["profile_kinds"]) {
    std::string k = kind.get<std::string>();
    if (k != "linear-additive" && k.rfind("rv=", 0) != 0 && k.rfind("discount=", 0) != 0)
      return false;
  }
  return true;
}

TEST(CorpusAnalysisTest, FastAnalysisMatchesBruteForceOnEveryLinearDomain) {
  fs::path dir = fs::path(SHUTTLE_DOMAINS_DIR) / "genius";
  std::ifstream in(dir / "index.json");
  if (!in)
    GTEST_SKIP() << "corpus index not found at " << (dir / "index.json")
                 << "; skipping the corpus analysis test";
  nlohmann::json index = nlohmann::json::parse(in);
  uint64_t limit = CorpusLimit();
  int checked2 = 0, checked3 = 0, unloadable = 0, skipped = 0;
  std::vector<std::string> failures;
  for (const auto& row : index["rows"]) {
    if (!row["n_outcomes"].is_number_integer() || row["n_profiles"].get<int>() < 2 ||
        !LinearKinds(row))
      continue;
    uint64_t outcomes = row["n_outcomes"].get<uint64_t>();
    if (outcomes > 1'000'000) continue;
    if (outcomes > limit) {
      ++skipped;
      continue;
    }
    fs::path folder = dir / row["folder"].get<std::string>();
    std::vector<std::string> files = {(folder / row["domain_file"].get<std::string>()).string()};
    for (const auto& p : row["profile_files"])
      files.push_back((folder / p.get<std::string>()).string());
    for (size_t parties : {2u, 3u}) {
      if (files.size() < parties + 1 || (parties == 3 && outcomes > 5000)) continue;
      std::vector<std::string> chosen(files.begin(),
                                      files.begin() + static_cast<long>(parties) + 1);
      auto scenario = LoadScenario(chosen);
      if (!scenario.ok()) {  // Unreadable rows are the loader's test's business (corpus_load_test).
        ++unloadable;
        continue;
      }
      std::string problems = Check(*scenario);
      (parties == 2 ? checked2 : checked3)++;
      if (!problems.empty())
        failures.push_back(fmt::format("{} ({} parties):{}", chosen[0], parties, problems));
    }
  }
  std::printf(
      "corpus analysis: %d two-party and %d three-party scenarios checked, %d unloadable, %d over "
      "the "
      "limit of %llu outcomes\n",
      checked2, checked3, unloadable, skipped, static_cast<unsigned long long>(limit));
  EXPECT_TRUE(failures.empty()) << fmt::format("{}", fmt::join(failures, "\n"));
  EXPECT_GT(checked2, 100);
  EXPECT_GT(checked3, 20);
}

}  // namespace
}  // namespace shuttle
