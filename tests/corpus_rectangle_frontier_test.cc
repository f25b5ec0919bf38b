// The ANAC 2014 hyper-rectangle domains of the corpus (../shared/domains/genius/anac/y2014), two
// profiles each: the 10-issue ones (10^10 outcomes) get an exact frontier from the cell search,
// checked against random outcomes, GENIUS's own pareto.xml and the sampling approximation; a
// 30-issue one is labelled inexact with a bound. Skipped when the corpus is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/internal.h"
#include "shuttle/analysis.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

fs::path Anac2014Folder(const std::string& name) {
  return fs::path(SHUTTLE_DOMAINS_DIR) / "genius/anac/y2014" / name;
}

Result<Scenario> LoadAnac2014(const std::string& name) {
  fs::path folder = Anac2014Folder(name);
  return LoadScenario({(folder / (name + "-domain.xml")).string(),
                       (folder / "profile-1.xml").string(), (folder / "profile-2.xml").string()});
}

bool WeaklyDominates(const std::vector<double>& a, const std::vector<double>& b, double tol) {
  return a[0] >= b[0] - tol && a[1] >= b[1] - tol;
}

bool StrictlyDominates(const std::vector<double>& a, const std::vector<double>& b) {
  return WeaklyDominates(a, b, 0) && (a[0] > b[0] + 1e-12 || a[1] > b[1] + 1e-12);
}

bool Covered(const std::vector<Point>& frontier, const std::vector<double>& u, double tol) {
  for (const Point& p : frontier) {
    if (WeaklyDominates(p.utilities, u, tol)) return true;
  }
  return false;
}

// GENIUS's pareto.xml: one "u1, u2" line per point (a precomputed frontier).
std::vector<std::vector<double>> GeniusPareto(const std::string& name) {
  std::ifstream in(Anac2014Folder(name) / "pareto.xml");
  std::vector<std::vector<double>> points;
  std::string line;
  while (std::getline(in, line)) {
    double a, b;
    char comma;
    std::istringstream fields(line);
    if (fields >> a >> comma >> b && comma == ',') points.push_back({a, b});
  }
  return points;
}

double Nash(const Point& p, const std::vector<double>& rv) {
  return (p.utilities[0] - rv[0]) * (p.utilities[1] - rv[1]);
}

TEST(CorpusRectangleFrontierTest, TenIssueFrontiersAreExact) {
  if (!fs::exists(Anac2014Folder("10issues")))
    GTEST_SKIP() << "ANAC 2014 domains not found at " << Anac2014Folder("")
                 << "; skipping the exact hyper-rectangle frontier test";
  for (const char* name :
       {"10issues", "10issuesDiscounted", "10issuesDiscountedwithRV", "10issueswithRV"}) {
    SCOPED_TRACE(name);
    Result<Scenario> s = LoadAnac2014(name);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_EQ(s->space.cardinality().ToU64(), 10'000'000'000u);
    auto a = Analyze(*s);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    const std::vector<Point>& frontier = a->pareto.points;
    EXPECT_TRUE(a->pareto.exact);
    EXPECT_EQ(a->pareto.method, "rectangle search");
    EXPECT_EQ(a->pareto.gap, 0.0);
    ASSERT_FALSE(frontier.empty());
    std::vector<Utility> u;
    for (const Party& p : s->parties) u.push_back(Utility::Compile(s->space, p.profile).value());
    for (const Point& p : frontier) {
      for (size_t k = 0; k < 2; ++k) EXPECT_EQ(p.utilities[k], u[k].Evaluate(p.outcome));
    }
    // The search alone is exact within a thousand partial outcomes per issue (the limit the
    // negotiation metrics use; src/analysis/README.md).
    analysis_internal::RectangleSearchOptions search;
    search.limit = 1'000;
    analysis_internal::RectangleSearchResult alone =
        analysis_internal::RectangleFrontier(s->space, u, search);
    EXPECT_TRUE(alone.exact);
    EXPECT_LT(alone.peak_items, 1'000u);
    // No random outcome dominates a frontier point; each is weakly dominated by one.
    std::mt19937_64 rng(2014);
    Outcome o(s->space.issue_count());
    for (int sample = 0; sample < 100'000; ++sample) {
      for (uint32_t& v : o) v = static_cast<uint32_t>(rng() % 10);
      std::vector<double> x = {u[0].Evaluate(o), u[1].Evaluate(o)};
      for (const Point& p : frontier) ASSERT_FALSE(StrictlyDominates(x, p.utilities));
      ASSERT_TRUE(Covered(frontier, x, 1e-12));
    }
    // GENIUS's precomputed frontier (printed to 8 digits) is weakly dominated point by point.
    auto genius = GeniusPareto(name);
    EXPECT_FALSE(genius.empty());
    for (const auto& g : genius) EXPECT_TRUE(Covered(frontier, g, 1e-6)) << g[0] << ", " << g[1];
    // The sampling approximation can only match it: its points are covered, its Nash is no better.
    AnalysisOptions sampled;
    sampled.rectangle_search_limit = 0;
    auto old = Analyze(*s, sampled);
    ASSERT_TRUE(old.ok());
    ASSERT_FALSE(old->pareto.exact);
    for (const Point& p : old->pareto.points) EXPECT_TRUE(Covered(frontier, p.utilities, 1e-12));
    ASSERT_TRUE(a->nash && old->nash);
    EXPECT_GE(Nash(*a->nash, a->reservation_values), Nash(*old->nash, a->reservation_values));
  }
}

TEST(CorpusRectangleFrontierTest, ThirtyIssueFrontierIsLabelledWithABound) {
  if (!fs::exists(Anac2014Folder("30issues")))
    GTEST_SKIP() << "ANAC 2014 domains not found at " << Anac2014Folder("")
                 << "; skipping the bounded hyper-rectangle frontier test";
  Result<Scenario> s = LoadAnac2014("30issues");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto a = Analyze(*s);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->pareto.exact);
  ASSERT_TRUE(a->pareto.gap.has_value());
  EXPECT_GT(*a->pareto.gap, 0);
  EXPECT_LT(*a->pareto.gap, 0.5);
  EXPECT_NE(a->pareto.method.find("rectangle search"), std::string::npos);
  for (const auto& g : GeniusPareto("30issues"))
    EXPECT_TRUE(Covered(a->pareto.points, g, 1e-6)) << g[0] << ", " << g[1];
}

}  // namespace
}  // namespace shuttle
