#include "strategy/outcome_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <utility>

#include "shuttle/io.h"

#include "run/testing.h"

namespace shuttle::strategy {
namespace {

Utility Compile(const Scenario& s, int party) {
  auto u = Utility::Compile(s.space, s.parties[party].profile);
  EXPECT_TRUE(u.ok()) << u.status().ToString();
  return std::move(u).value();
}

std::vector<Outcome> Entries(const OutcomeIndex& index, size_t issues) {
  std::vector<Outcome> out(index.size(), Outcome(issues));
  for (size_t i = 0; i < index.size(); ++i) index.Get(i, out[i].data());
  return out;
}

TEST(OutcomeIndexTest, ExactIndexHoldsEveryAllowedOutcomeSortedByUtility) {
  Scenario s = testing::SmallScenario(2, {4, 3, 5}, 21);
  RedLine line;
  line.kind = RedLine::Kind::kForbid;
  line.issue = 2;
  line.values = {1};
  s.parties[0].profile.red_lines.push_back(line);
  Utility u = Compile(s, 0);
  OutcomeIndex index;
  ASSERT_TRUE(index.Build(s.space, u).ok());
  EXPECT_TRUE(index.exact());
  EXPECT_EQ(index.size(), 4u * 3 * 4);
  std::vector<Outcome> entries = Entries(index, 3);
  std::set<Outcome> distinct(entries.begin(), entries.end());
  EXPECT_EQ(distinct.size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_NE(entries[i][2], 1u);
    EXPECT_DOUBLE_EQ(index.utility(i), u.Evaluate(entries[i]));
    if (i > 0) {
      EXPECT_LE(index.utility(i - 1), index.utility(i));
      if (index.utility(i - 1) == index.utility(i)) EXPECT_LT(entries[i - 1], entries[i]);
    }
  }
  // LowerBound: the first position reaching u.
  for (double target : {-1.0, 0.0, 0.3, 0.5, 0.77, 1.0, 2.0}) {
    const size_t pos = index.LowerBound(target);
    if (pos < index.size()) EXPECT_GE(index.utility(pos), target - OutcomeIndex::kTolerance);
    if (pos > 0) EXPECT_LT(index.utility(pos - 1), target - OutcomeIndex::kTolerance);
  }
  EXPECT_EQ(index.LowerBound(2.0), index.size());
  EXPECT_EQ(index.LowerBound(-1.0), 0u);
}

// The exact index as it was first built: every allowed outcome in lexicographic order, evaluated
// with Utility::Evaluate, then std::stable_sort by utility.
std::vector<std::pair<double, Outcome>> ReferenceIndex(const OutcomeSpace& space,
                                                       const Utility& u) {
  std::vector<std::pair<double, Outcome>> entries;
  const uint64_t n = space.cardinality().ToU64();
  for (uint64_t i = 0; i < n; ++i) {
    Outcome o = space.Decode(i);
    if (u.Allows(o.data())) entries.emplace_back(u.Evaluate(o), o);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return entries;
}

// Same outcomes in the same order, utilities equal bit for bit.
void ExpectReferenceOrder(const OutcomeSpace& space, const Utility& u, const OutcomeIndex& index) {
  const auto reference = ReferenceIndex(space, u);
  ASSERT_TRUE(index.exact());
  ASSERT_EQ(index.size(), reference.size());
  Outcome o(space.issue_count());
  for (size_t i = 0; i < reference.size(); ++i) {
    index.Get(i, o.data());
    ASSERT_EQ(o, reference[i].second) << "position " << i;
    ASSERT_EQ(std::bit_cast<uint64_t>(index.utility(i)),
              std::bit_cast<uint64_t>(reference[i].first))
        << "position " << i;
  }
}

TEST(OutcomeIndexTest, ExactLinearIndexIsTheStableSortOfEvaluateBitForBit) {
  Scenario s = testing::SmallScenario(2, {6, 5, 7, 4, 6}, 31);
  // Party 1: equal weights and evaluations in quarters, so thousands of outcomes tie.
  Profile& tied = s.parties[1].profile;
  for (double& w : tied.weights) w = 1.0 / tied.weights.size();
  for (Evaluator& e : tied.evaluators) {
    for (double& v : e.evaluations) v = std::round(v * 4) / 4;
  }
  RedLine line;
  line.kind = RedLine::Kind::kForbid;
  line.issue = 3;
  line.values = {2};
  tied.red_lines.push_back(line);
  for (int party : {0, 1}) {
    Utility u = Compile(s, party);
    OutcomeIndex index;
    ASSERT_TRUE(index.Build(s.space, u).ok());
    ExpectReferenceOrder(s.space, u, index);
  }
}

TEST(OutcomeIndexTest, ExactHyperRectangleIndexWithNegativeUtilitiesIsTheStableSort) {
  std::vector<Issue> issues;
  for (int i = 0; i < 4; ++i) issues.push_back(Issue::Integer("i" + std::to_string(i), 0, 7));
  OutcomeSpace space(issues);
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  p.rectangles.push_back({-0.5, {{0, 0, 3}, {1, 2, 5}}});
  p.rectangles.push_back({0.25, {{2, 1, 6}}});
  p.rectangles.push_back({-0.125, {{3, 4, 7}, {0, 2, 7}}});
  auto u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  OutcomeIndex index;
  ASSERT_TRUE(index.Build(space, *u).ok());
  EXPECT_LT(index.min_utility(), 0);
  ExpectReferenceOrder(space, *u, index);
}

TEST(OutcomeIndexTest, ExactIndexOfTravelIsTheStableSortOfEvaluate) {
  const std::filesystem::path dir =
      std::filesystem::path(SHUTTLE_DOMAINS_DIR) / "genius/anac/y2010/Travel";
  if (!std::filesystem::exists(dir / "travel_domain.xml"))
    GTEST_SKIP() << dir << " not found: corpus absent";
  auto s = LoadScenario({(dir / "travel_domain.xml").string(), (dir / "travel_chox.xml").string(),
                         (dir / "travel_fanny.xml").string()});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  for (int party : {0, 1}) {
    Utility u = Compile(*s, party);
    OutcomeIndex index;
    ASSERT_TRUE(index.Build(s->space, u).ok());
    // Every outcome (188,160, as tests/expect/genius-anac.test has it).
    EXPECT_EQ(index.size(), s->space.cardinality().ToU64());
    ExpectReferenceOrder(s->space, u, index);
  }
}

TEST(OutcomeIndexTest, CandidateSetHasTheExactTopAndCoversTheRange) {
  // 7 issues of 6 values: 279,936 outcomes; force a candidate set with a low limit and compare
  // with the full enumeration.
  Scenario s = testing::SmallScenario(2, {6, 6, 6, 6, 6, 6, 6}, 22);
  Utility u = Compile(s, 1);
  OutcomeIndex full, candidates;
  ASSERT_TRUE(full.Build(s.space, u).ok());
  IndexOptions o;
  o.full_limit = 1000;
  o.top = 500;
  o.samples = 2000;
  ASSERT_TRUE(candidates.Build(s.space, u, o).ok());
  EXPECT_FALSE(candidates.exact());
  EXPECT_NE(candidates.method().find("the 500 best"), std::string::npos) << candidates.method();
  EXPECT_LT(candidates.size(), full.size());
  // The 500 best utilities are exactly the full index's 500 best.
  for (size_t k = 1; k <= 500; ++k) {
    EXPECT_DOUBLE_EQ(candidates.utility(candidates.size() - k), full.utility(full.size() - k)) << k;
  }
  // The worst outcome is reached by the concession chains, and no gap in utility is wide.
  EXPECT_DOUBLE_EQ(candidates.min_utility(), full.min_utility());
  double widest = 0;
  for (size_t i = 1; i < candidates.size(); ++i)
    widest = std::max(widest, candidates.utility(i) - candidates.utility(i - 1));
  EXPECT_LT(widest, 0.05);
  // Every candidate is a real outcome with its real utility, and none repeats.
  std::vector<Outcome> entries = Entries(candidates, 7);
  std::set<Outcome> distinct(entries.begin(), entries.end());
  EXPECT_EQ(distinct.size(), entries.size());
  for (size_t i = 0; i < entries.size(); i += 97)
    EXPECT_DOUBLE_EQ(candidates.utility(i), u.Evaluate(entries[i]));
}

TEST(OutcomeIndexTest, HugeLinearSpaceGetsABoundedIndexWithItsBestOutcome) {
  // 30 issues of 10 values: 10^30 outcomes.
  Scenario s = testing::SmallScenario(2, std::vector<int>(30, 10), 23);
  Utility u = Compile(s, 0);
  OutcomeIndex index;
  ASSERT_TRUE(index.Build(s.space, u).ok());
  EXPECT_FALSE(index.exact());
  EXPECT_LT(index.size(), 1'000'000u);
  // The best outcome takes each issue's best value: utility 1 (each issue has a value worth 1).
  EXPECT_NEAR(index.max_utility(), 1.0, 1e-12);
  Outcome best(30);
  index.Get(index.size() - 1, best.data());
  EXPECT_DOUBLE_EQ(u.Evaluate(best), index.max_utility());
}

TEST(OutcomeIndexTest, HyperRectangleCandidatesClimbToTheBest) {
  // Boxes on one issue each: the utility is separable, so coordinate ascent finds the best, the
  // sum over the issues of the narrow box and the wide one: 12 * (0.08 + 0.03) = 1.32.
  std::vector<Issue> issues;
  for (int i = 0; i < 12; ++i) issues.push_back(Issue::Integer("i" + std::to_string(i), 0, 9));
  OutcomeSpace space(issues);
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  for (int i = 0; i < 12; ++i) {
    p.rectangles.push_back({0.08, {{i, static_cast<double>(i % 10), static_cast<double>(i % 10)}}});
    p.rectangles.push_back({0.03, {{i, 0, 9}}});
  }
  p.max_utility = 0;
  auto u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  OutcomeIndex index;
  IndexOptions o;
  o.full_limit = 10'000;
  o.samples = 5'000;
  ASSERT_TRUE(index.Build(space, *u, o).ok());
  EXPECT_FALSE(index.exact());
  EXPECT_NEAR(index.max_utility(), 12 * 0.11, 1e-9);
  EXPECT_NE(index.method().find("hill-climbing"), std::string::npos);
}

TEST(OutcomeIndexTest, EmptyWhenRedLinesForbidAnIssueAndFailsOnContinuousIssues) {
  Scenario s = testing::SmallScenario(2, {3, 2}, 24);
  RedLine line;
  line.kind = RedLine::Kind::kForbid;
  line.issue = 1;
  line.values = {0, 1};
  s.parties[0].profile.red_lines.push_back(line);
  OutcomeIndex index;
  ASSERT_TRUE(index.Build(s.space, Compile(s, 0)).ok());
  EXPECT_TRUE(index.empty());

  OutcomeSpace continuous({Issue::Real("r", 0, 1)});
  Utility dummy;
  EXPECT_EQ(index.Build(continuous, dummy).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace shuttle::strategy
