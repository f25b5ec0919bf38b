#include <gtest/gtest.h>

#include <set>

#include "analysis/analysis_test_util.h"
#include "shuttle/analysis.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

using testing::BruteFrontier;
using testing::CompileOrDie;
using testing::EnumerateAll;
using testing::RandomLinearScenario;
using testing::RandomOptions;
using testing::SolveBrute;

// The scenario of a coalition's members alone, unanimity.
Scenario MembersOnlyForCoalitionTest(const Scenario& s, const std::vector<int>& members) {
  Scenario sub;
  sub.space = s.space;
  for (int k : members) sub.parties.push_back(s.parties[k]);
  return sub;
}

// Every subset of `n` parties that satisfies `rule` with exactly the needed number of members, by
// brute force over bit masks, in lexicographic order.
std::vector<std::vector<int>> BruteCoalitions(const AgreementRule& rule, int n) {
  std::set<std::vector<int>> out;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::vector<bool> in(n);
    std::vector<int> members;
    for (int k = 0; k < n; ++k) {
      in[k] = (mask >> k) & 1u;
      if (in[k]) members.push_back(k);
    }
    if (static_cast<int>(members.size()) == rule.Needed(n) && rule.SatisfiedBy(in))
      out.insert(members);
  }
  return {out.begin(), out.end()};
}

void CheckAgainstBruteForce(const Scenario& s) {
  Result<CoalitionAnalysis> a = AnalyzeCoalitions(s);
  ASSERT_TRUE(a.ok()) << a.status().message();
  std::vector<std::vector<int>> got;
  for (const Coalition& c : a->coalitions) got.push_back(c.members);
  ASSERT_EQ(got, BruteCoalitions(s.rule, static_cast<int>(s.parties.size())));
  double best_product = -1;
  for (const Coalition& c : a->coalitions) {
    Scenario sub = MembersOnlyForCoalitionTest(s, c.members);
    std::vector<testing::BruteOutcome> all = EnumerateAll(sub.space, CompileOrDie(sub));
    for (auto& b : all) b.red_line_free = b.red_line_free && b.rational;
    std::vector<std::vector<double>> brute = BruteFrontier(all);
    std::vector<std::vector<double>> mine = testing::UtilityVectors(c.pareto.points);
    EXPECT_TRUE(c.pareto.exact);
    EXPECT_EQ(mine.size(), brute.size()) << s.name;
    EXPECT_TRUE(testing::AllMatched(mine, brute, 1e-9)) << s.name;
    EXPECT_TRUE(testing::AllMatched(brute, mine, 1e-9)) << s.name;
    testing::BruteSolutions want = SolveBrute(all, c.reservation_values);
    ASSERT_EQ(c.nash.has_value(), want.any) << s.name;
    if (!want.any) continue;
    EXPECT_NEAR(c.nash_product, want.nash, 1e-9) << s.name;
    EXPECT_NEAR(testing::NashValue(c.nash->utilities, c.reservation_values), want.nash, 1e-9);
    EXPECT_NEAR(testing::EgalitarianValue(c.egalitarian->utilities, c.reservation_values),
                want.egalitarian, 1e-9);
    EXPECT_NEAR(testing::WelfareValue(c.max_welfare->utilities, c.reservation_values), want.welfare,
                1e-9);
    EXPECT_NEAR(testing::KsValue(c.kalai_smorodinsky->utilities, c.reservation_values, want.ideal),
                want.ks, 1e-9);
    best_product = std::max(best_product, want.nash);
  }
  if (best_product < 0) {
    EXPECT_FALSE(a->best.has_value());
  } else {
    ASSERT_TRUE(a->best.has_value());
    EXPECT_NEAR(a->coalitions[*a->best].nash_product, best_product, 1e-9);
  }
}

TEST(CoalitionAnalysisTest, EveryCoalitionMatchesBruteForceOnRandomScenarios) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    RandomOptions o;
    o.parties = 3 + static_cast<int>(seed % 3);  // 3 to 5 parties.
    o.issues = 4;
    o.max_values = 4;
    o.red_lines = true;
    o.reservation = true;
    o.coarse = seed % 2 == 0;
    Scenario s = RandomLinearScenario(seed, o);
    const int n = o.parties;
    s.rule.at_least = 1 + static_cast<int>(seed % static_cast<uint32_t>(n));
    if (s.rule.at_least >= 2) s.rule.required = {static_cast<int>(seed % 2)};
    if (s.rule.at_least >= 3 && seed % 3 == 0) s.rule.required.push_back(2);
    ASSERT_TRUE(s.Validate().ok()) << s.Validate().message();
    SCOPED_TRACE(seed);
    CheckAgainstBruteForce(s);
  }
}

// The six-party example: a deal needs five, the developer and the federal agency among them.
TEST(CoalitionAnalysisTest, HarborGameCoalitionsMatchBruteForce) {
  Result<Scenario> s =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/harbor-expansion.json"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  CheckAgainstBruteForce(*s);
  Result<CoalitionAnalysis> a = AnalyzeCoalitions(*s);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->coalitions.size(), 4u);  // C(4, 3): three of the four others join the two.
  std::vector<size_t> sizes;
  for (const Coalition& c : a->coalitions) sizes.push_back(c.pareto.points.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{0, 33, 2, 0}));
  ASSERT_EQ(a->best, std::optional<size_t>(1));  // Without the rival ports.
  EXPECT_EQ(s->space.Describe(a->coalitions[1].nash->outcome),
            "industry_mix=mixed, ecology=restore, local_hiring=two_thirds, "
            "federal_loan=3_billion, compensation=none");
}

TEST(CoalitionAnalysisTest, NonLinearProfilesAreEnumeratedPerCoalition) {
  RandomOptions o;
  o.parties = 4;
  o.reservation = true;
  Scenario s = RandomLinearScenario(77, o);
  std::vector<Issue> numbered;  // Same sizes, values 0, 1, ... so that boxes can bound them.
  for (const Issue& issue : s.space.issues())
    numbered.push_back(Issue::Integer(issue.name(), 0, static_cast<int64_t>(issue.size()) - 1));
  s.space = OutcomeSpace(numbered);
  Profile box;
  box.kind = ProfileKind::kHyperRectangles;
  box.rectangles = {{0.7, {{0, 0, 1}}}, {0.3, {{1, 1, 2}}}};
  box.reservation_value = 0.2;
  s.parties[3].profile = box;
  s.rule.at_least = 3;
  s.rule.required = {3};
  CheckAgainstBruteForce(s);
}

TEST(CoalitionAnalysisTest, UnanimityIsOneCoalitionEqualToTheRationalPartOfAnalyze) {
  RandomOptions o;
  o.parties = 3;
  o.reservation = true;
  Scenario s = RandomLinearScenario(5, o);
  Result<CoalitionAnalysis> a = AnalyzeCoalitions(s);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->coalitions.size(), 1u);
  EXPECT_EQ(a->coalitions[0].members, (std::vector<int>{0, 1, 2}));
  Result<Analysis> whole = Analyze(s);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(a->coalitions[0].nash.has_value(), whole->nash.has_value());
  if (whole->nash) EXPECT_EQ(a->coalitions[0].nash->utilities, whole->nash->utilities);
  // The coalition's frontier is the whole table's, cut to what every party accepts.
  std::vector<std::vector<double>> rational;
  for (const Point& p : whole->pareto.points) {
    bool ok = true;
    for (size_t k = 0; k < p.utilities.size(); ++k)
      ok = ok && p.utilities[k] >= whole->reservation_values[k];
    if (ok) rational.push_back(p.utilities);
  }
  EXPECT_EQ(testing::UtilityVectors(a->coalitions[0].pareto.points), rational);
}

TEST(CoalitionAnalysisTest, RefusesRulesWithTooManyCoalitions) {
  RandomOptions o;
  o.parties = 30;
  o.issues = 2;
  Scenario s = RandomLinearScenario(3, o);
  s.rule.at_least = 15;  // C(30, 15) = 155,117,520 coalitions.
  Result<CoalitionAnalysis> a = AnalyzeCoalitions(s);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(a.status().message().find("more than 1000 coalitions"), std::string::npos)
      << a.status().message();
  AnalysisOptions wide;
  wide.max_coalitions = 2;
  s.rule.at_least = 29;
  s.rule.required = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13,
                     14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
  Result<CoalitionAnalysis> two = AnalyzeCoalitions(s, wide);
  ASSERT_TRUE(two.ok()) << two.status().message();
  EXPECT_EQ(two->coalitions.size(), 2u);
}

// AgreementRule::Coalitions against every subset of up to 7 parties: exactly the subsets of the
// needed size that satisfy the rule, in lexicographic order, cut at the limit.
TEST(CoalitionAnalysisTest, RuleCoalitionsAreTheSmallestSatisfyingSubsets) {
  for (int n = 1; n <= 7; ++n) {
    for (int at_least = 0; at_least <= n; ++at_least) {
      for (uint32_t req_mask = 0; req_mask < (1u << n); ++req_mask) {
        AgreementRule rule;
        rule.at_least = at_least;
        for (int k = n - 1; k >= 0; --k) {  // Given out of order on purpose.
          if (req_mask >> k & 1u) rule.required.push_back(k);
        }
        if (!rule.Validate(n).ok()) continue;
        std::vector<std::vector<int>> expected = BruteCoalitions(rule, n);
        EXPECT_EQ(rule.Coalitions(n, 1000), expected) << n << " " << at_least << " " << req_mask;
        if (expected.size() > 1) {
          expected.resize(expected.size() / 2);
          EXPECT_EQ(rule.Coalitions(n, expected.size()), expected);
        }
      }
    }
  }
}

}  // namespace
}  // namespace shuttle
