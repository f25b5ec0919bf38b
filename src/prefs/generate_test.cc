#include "shuttle/generate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "shuttle/io.h"

namespace shuttle {
namespace {

Scenario MustGenerate(const GenerateOptions& o) {
  Result<Scenario> s = GenerateScenario(o);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Scenario{};
}

// Kendall's tau between two parties' evaluations of one issue: +1 same order, -1 reversed.
double KendallTau(const std::vector<double>& a, const std::vector<double>& b) {
  double concordant = 0, pairs = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = i + 1; j < a.size(); ++j) {
      double s = (a[i] - a[j]) * (b[i] - b[j]);
      concordant += s > 0 ? 1 : s < 0 ? -1 : 0;
      ++pairs;
    }
  }
  return concordant / pairs;
}

// Mean over issues of the rank agreement between party 0 and party k.
double MeanTau(const Scenario& s, size_t k) {
  double sum = 0;
  for (size_t i = 0; i < s.space.issue_count(); ++i) {
    sum += KendallTau(s.parties[0].profile.evaluators[i].evaluations,
                      s.parties[k].profile.evaluators[i].evaluations);
  }
  return sum / static_cast<double>(s.space.issue_count());
}

TEST(GenerateTest, ProducesAValidScenarioOfTheRequestedShape) {
  GenerateOptions o;
  o.issues = 4;
  o.values = 6;
  o.parties = 3;
  o.reservation = 0.3;
  o.name = "shape";
  Scenario s = MustGenerate(o);
  EXPECT_TRUE(s.Validate().ok());
  EXPECT_EQ(s.name, "shape");
  ASSERT_EQ(s.space.issue_count(), 4u);
  EXPECT_EQ(s.space.issue(3).name(), "issue4");
  EXPECT_EQ(s.space.issue(0).labels(),
            (std::vector<std::string>{"v1", "v2", "v3", "v4", "v5", "v6"}));
  ASSERT_EQ(s.parties.size(), 3u);
  EXPECT_EQ(s.parties[2].name, "party3");
  for (const Party& party : s.parties) {
    const Profile& p = party.profile;
    EXPECT_EQ(p.kind, ProfileKind::kLinearAdditive);
    EXPECT_EQ(p.reservation_value, 0.3);
    EXPECT_NEAR(std::accumulate(p.weights.begin(), p.weights.end(), 0.0), 1.0, 1e-12);
    for (double w : p.weights) EXPECT_GE(w, 0);
    for (const Evaluator& e : p.evaluators) {
      ASSERT_EQ(e.kind, EvaluatorKind::kTable);
      ASSERT_EQ(e.evaluations.size(), 6u);
      EXPECT_EQ(*std::max_element(e.evaluations.begin(), e.evaluations.end()), 1.0);
      EXPECT_EQ(*std::min_element(e.evaluations.begin(), e.evaluations.end()), 0.0);
    }
  }
}

TEST(GenerateTest, SameSeedSameScenarioOtherSeedOther) {
  GenerateOptions o;
  o.seed = 42;
  Scenario a = MustGenerate(o), b = MustGenerate(o);
  EXPECT_EQ(a, b);
  o.seed = 43;
  Scenario c = MustGenerate(o);
  EXPECT_NE(a.parties, c.parties);
}

TEST(GenerateTest, ZeroOppositionGivesEveryoneTheSameTables) {
  GenerateOptions o;
  o.opposition = 0;
  o.parties = 4;
  Scenario s = MustGenerate(o);
  for (size_t k = 1; k < s.parties.size(); ++k) {
    EXPECT_EQ(s.parties[k].profile.evaluators, s.parties[0].profile.evaluators);
    EXPECT_NE(s.parties[k].profile.weights,
              s.parties[0].profile.weights);  // Weights stay personal.
  }
}

TEST(GenerateTest, FullOppositionReversesEveryRankingStrictly) {
  GenerateOptions o;
  o.opposition = 1;
  o.issues = 20;
  o.values = 7;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    o.seed = seed;
    Scenario s = MustGenerate(o);
    for (size_t i = 0; i < s.space.issue_count(); ++i) {
      EXPECT_EQ(KendallTau(s.parties[0].profile.evaluators[i].evaluations,
                           s.parties[1].profile.evaluators[i].evaluations),
                -1.0)
          << "seed " << seed << " issue " << i;
    }
  }
}

TEST(GenerateTest, RankAgreementFallsAsOppositionRises) {
  GenerateOptions o;
  o.issues = 400;
  o.values = 5;
  double previous = 2;
  for (double x : {0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0}) {
    o.opposition = x;
    double tau = MeanTau(MustGenerate(o), 1);
    EXPECT_LT(tau, previous) << "opposition " << x;
    if (x == 0.5) {
      EXPECT_NEAR(tau, 0, 0.08);  // Independent rankings: tau has sd ~0.03 over 400 issues.
    }
    previous = tau;
  }
}

TEST(GenerateTest, OneValueIssuesAreWorthOne) {
  GenerateOptions o;
  o.values = 1;
  Scenario s = MustGenerate(o);
  EXPECT_EQ(s.parties[1].profile.evaluators[0].evaluations, (std::vector<double>{1.0}));
}

TEST(GenerateTest, RejectsOutOfRangeOptionsByName) {
  auto error = [](auto tweak) {
    GenerateOptions o;
    tweak(o);
    Result<Scenario> s = GenerateScenario(o);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    return s.status().message();
  };
  EXPECT_EQ(error([](GenerateOptions& o) { o.issues = 0; }),
            "issues must be between 1 and 1000, got 0");
  EXPECT_NE(error([](GenerateOptions& o) { o.values = 1001; }).find("values"), std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) { o.parties = -1; }).find("parties"), std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) { o.opposition = 1.5; }).find("opposition"),
            std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) { o.opposition = std::nan(""); }).find("opposition"),
            std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) { o.reservation = 1; }).find("reservation"),
            std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) { o.name = ""; }).find("name"), std::string::npos);
  EXPECT_NE(error([](GenerateOptions& o) {
              o.issues = 1000;
              o.values = 1000;
              o.parties = 100;
            }).find("at most"),
            std::string::npos);
}

TEST(GenerateTest, RoundTripsThroughShuttleJson) {
  GenerateOptions o;
  o.issues = 6;
  o.values = 9;
  o.parties = 3;
  o.seed = 7;
  o.reservation = 0.25;
  Scenario s = MustGenerate(o);
  Result<Scenario> back = ParseScenarioJson(WriteScenarioJson(s), "generated.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, s);
}

}  // namespace
}  // namespace shuttle
