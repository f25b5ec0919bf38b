#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "mediation/testing.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

// The struct holds exactly five fields: a structured binding of five names compiles only then, so
// adding an input to the statement breaks this test before it can leak anything.
TEST(StatementTest, FactsHaveExactlyFiveFields) {
  StatementFacts facts{3, MediationStatus::kTalking, 0.5, 0.4, 2};
  auto [visit, status, before, now, settled] = facts;
  EXPECT_EQ(visit, 3);
  EXPECT_EQ(status, MediationStatus::kTalking);
  EXPECT_EQ(before, 0.5);
  EXPECT_EQ(now, 0.4);
  EXPECT_EQ(settled, 2);
}

TEST(StatementTest, EveryFieldCanChangeTheStatement) {
  const StatementFacts base{4, MediationStatus::kTalking, 0.6, 0.4, 2};
  const std::string text = PublicStatement(base);
  StatementFacts f = base;
  f.visit = 5;
  EXPECT_NE(PublicStatement(f), text);
  f = base;
  f.status = MediationStatus::kImpasse;
  EXPECT_NE(PublicStatement(f), text);
  f = base;
  f.gap_before = 0.7;
  EXPECT_NE(PublicStatement(f), text);
  f = base;
  f.gap_now = 0.3;
  EXPECT_NE(PublicStatement(f), text);
  f = base;
  f.settled_issues = 3;
  EXPECT_NE(PublicStatement(f), text);
}

TEST(StatementTest, SameFactsSameStatement) {
  const StatementFacts facts{7, MediationStatus::kTalking, 0.31, 0.29, 1};
  EXPECT_EQ(PublicStatement(facts), PublicStatement(StatementFacts(facts)));
  EXPECT_NE(PublicStatement(facts).find("narrowed from 0.31 to 0.29"), std::string::npos);
}

TEST(StatementTest, SaysWhetherTheGapNarrowedWidenedOrStayed) {
  EXPECT_NE(PublicStatement({2, MediationStatus::kTalking, 0.5, 0.4, 0}).find("narrowed"),
            std::string::npos);
  EXPECT_NE(PublicStatement({2, MediationStatus::kTalking, 0.4, 0.5, 0}).find("widened"),
            std::string::npos);
  EXPECT_NE(
      PublicStatement({2, MediationStatus::kTalking, 0.401, 0.399, 0}).find("unchanged at 0.40"),
      std::string::npos);
  EXPECT_NE(PublicStatement({9, MediationStatus::kAgreement, 0.2, 0, 5}).find("agreed"),
            std::string::npos);
  EXPECT_NE(PublicStatement({9, MediationStatus::kImpasse, 0.2, 0.2, 1}).find("impasse"),
            std::string::npos);
  EXPECT_NE(PublicStatement({3, MediationStatus::kTalking, 1, 1, 1}).find("1 issue is settled"),
            std::string::npos);
}

// Out-of-range numbers are clamped, never printed raw (no NaN or negative gap in a press release).
TEST(StatementTest, CleansOddNumbers) {
  std::string s = PublicStatement({-1, MediationStatus::kTalking, NAN, -3, -2});
  EXPECT_EQ(s.find("nan"), std::string::npos);
  EXPECT_EQ(s.find('-'), std::string::npos);
}

// In real runs, every public statement is exactly PublicStatement of the visit's public facts: the
// visit number, the status, the published gaps and some settled count, nothing else.
TEST(StatementTest, MediationStatementsAreFunctionsOfThePublicFacts) {
  for (const char* kind : {"truthful", "reticent", "strategic"}) {
    MediationRunOptions o;
    o.parties = {kind, kind};
    Result<MediationReport> r = Mediate(mediation_testing::TradeScenario(), o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->statements.size(), r->gap_by_visit.size()) << kind;
    for (size_t k = 0; k < r->statements.size(); ++k) {
      StatementFacts f;
      f.visit = static_cast<int>(k) + 1;
      f.status = k + 1 == r->statements.size() ? r->status : MediationStatus::kTalking;
      f.gap_now = r->gap_by_visit[k];
      f.gap_before = k > 0 ? r->gap_by_visit[k - 1] : f.gap_now;
      bool matched = false;
      for (f.settled_issues = 0; f.settled_issues <= 3 && !matched; ++f.settled_issues) {
        matched = PublicStatement(f) == r->statements[k];
      }
      EXPECT_TRUE(matched) << kind << " visit " << k + 1 << ": " << r->statements[k];
    }
  }
}

}  // namespace
}  // namespace shuttle
