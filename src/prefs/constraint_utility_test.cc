// GENIUS constraint profiles built in code: the corners of GENIUS's rules that the file fixture
// (src/io/genius_xml_constraints_test.cc) does not reach, and validation.
#include "prefs/constraint_utility.h"

#include <gtest/gtest.h>

#include "shuttle/profile.h"

namespace shuttle {
namespace {

using Kind = ZeroConstraint::Kind;

// x: integer -2..2 (labels "-2".."2"); tag: discrete {"red+blue", "blue", "green"}.
OutcomeSpace Space() {
  return OutcomeSpace(
      {Issue::Integer("x", -2, 2), Issue::Discrete("tag", {"red+blue", "blue", "green"})});
}

// Ranks x as 1..5 (value -2 worst) and tag as 1, 2, 4.
Profile Ranked() {
  Profile p;
  p.kind = ProfileKind::kConstraint;
  p.ranks = {{0, {1, 2, 3, 4, 5}}, {1, {1, 2, 4}}};
  return p;
}

double Eval(const Profile& p, Outcome o) {
  Result<Utility> u = Utility::Compile(Space(), p);
  EXPECT_TRUE(u.ok()) << u.status().ToString();
  return u.ok() ? u->Evaluate(o) : -1;
}

TEST(JavaIntTest, ReadsWhatIntegerValueOfReads) {
  EXPECT_EQ(constraint_internal::JavaInt("250"), 250);
  EXPECT_EQ(constraint_internal::JavaInt("-10"), -10);
  EXPECT_EQ(constraint_internal::JavaInt("+7"), 7);
  EXPECT_EQ(constraint_internal::JavaInt("007"), 7);
  EXPECT_EQ(constraint_internal::JavaInt("-2147483648"), INT32_MIN);
  EXPECT_EQ(constraint_internal::JavaInt("2147483647"), INT32_MAX);
  for (const char* bad : {"", "-", "+", "2147483648", "-2147483649", "1.0", " 1", "1e3", "ten",
                          "99999999999999999999"}) {
    EXPECT_FALSE(constraint_internal::JavaInt(bad).has_value()) << bad;
  }
}

TEST(ConstraintUtilityTest, RanksAreDividedByTheHighestRankAndAveraged) {
  // x = 2 (rank 5 of 5), tag = "blue" (2 of 4): (1 + 0.5) / 2.
  EXPECT_DOUBLE_EQ(Eval(Ranked(), {4, 1}), 0.75);
  EXPECT_DOUBLE_EQ(Eval(Ranked(), {0, 0}), (0.2 + 0.25) / 2);
}

TEST(ConstraintUtilityTest, InclusiveCheckWithBothWordsFailsOnEitherSign) {
  // GENIUS: "positive" fails on < 0, else "negative" fails on > 0; a text with both passes only 0.
  Profile p = Ranked();
  p.constraints = {{Kind::kInclusiveOutcome, -1, {{0, "numeric=positive|negative"}}, {}, {}, 0, 0}};
  EXPECT_EQ(Eval(p, {2, 1}), 0.0);                     // x = 0: fires.
  EXPECT_DOUBLE_EQ(Eval(p, {3, 1}), (0.8 + 0.5) / 2);  // x = 1: "negative" fails.
  EXPECT_DOUBLE_EQ(Eval(p, {1, 1}), (0.4 + 0.5) / 2);  // x = -1: "positive" fails.
  p.constraints[0].checks[0].text = "numeric";         // Neither word: always holds.
  EXPECT_EQ(Eval(p, {0, 2}), 0.0);
}

TEST(ConstraintUtilityTest, InclusiveWithoutChecksZeroesEverything) {
  Profile p = Ranked();
  p.constraints = {{Kind::kInclusiveOutcome, -1, {}, {}, {}, 0, 0}};
  EXPECT_EQ(Eval(p, {4, 2}), 0.0);
}

TEST(ConstraintUtilityTest, ConditionalFiresOnlyOnTheTwoExactNumericTexts) {
  Profile p = Ranked();
  p.constraints = {
      {Kind::kConditionalOutcome, -1, {{0, "numeric=positive"}, {1, "red"}}, {}, {}, 0, 0}};
  EXPECT_EQ(Eval(p, {3, 1}), 0.0);                      // x = 1 > 0, "blue" lacks "red".
  EXPECT_DOUBLE_EQ(Eval(p, {3, 0}), (0.8 + 0.25) / 2);  // "red+blue" contains "red".
  EXPECT_DOUBLE_EQ(Eval(p, {2, 1}), (0.6 + 0.5) / 2);   // x = 0 is not > 0 here (unlike inclusive).
  p.constraints[0].checks[0].text = "numeric=positive ";  // Not exactly: never fires.
  EXPECT_DOUBLE_EQ(Eval(p, {3, 1}), (0.8 + 0.5) / 2);
}

TEST(ConstraintUtilityTest, SumZeroComparesTheSumAndTheText) {
  Profile p = Ranked();
  p.constraints = {{Kind::kSumZero, 1, {}, {"blue"}, {0, 0}, -4, -4}};  // x + x = -4: x = -2.
  EXPECT_DOUBLE_EQ(Eval(p, {0, 1}), (0.2 + 0) / 2);                     // Fires: tag's term is 0.
  EXPECT_DOUBLE_EQ(Eval(p, {1, 1}), (0.4 + 0.5) / 2);                   // -2 is out of [-4, -4].
  EXPECT_DOUBLE_EQ(Eval(p, {0, 2}), (0.2 + 1) / 2);                     // "green" lacks "blue".
}

TEST(ConstraintUtilityTest, SumsWrapAroundLikeJavaInts) {
  OutcomeSpace space(
      {Issue::Discrete("big", {"2147483647", "1"}), Issue::Discrete("tag", {"a", "b"})});
  Profile p;
  p.kind = ProfileKind::kConstraint;
  p.ranks = {{1, {1, 2}}};
  p.constraints = {{Kind::kSumZeroList, 1, {}, {""}, {0, 0}, -2, -2}};  // "" is in every label.
  Result<Utility> u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->Evaluate({0, 1}), 0.0);  // 2147483647 + 2147483647 wraps to -2.
  EXPECT_EQ(u->Evaluate({1, 1}), 1.0);  // 1 + 1 = 2.
}

TEST(ConstraintUtilityTest, ConstraintOnAnUnrankedIssueHasNoEffect) {
  Profile p = Ranked();
  p.ranks.pop_back();                                    // tag unranked: utility is x's term alone.
  p.constraints = {{Kind::kZero, 1, {}, {}, {}, 0, 0}};  // Fires everywhere, on tag.
  EXPECT_DOUBLE_EQ(Eval(p, {3, 0}), 0.8);
  p.constraints[0].issue = 0;
  EXPECT_EQ(Eval(p, {3, 0}), 0.0);
}

void ExpectInvalid(const Profile& p, const std::string& fragment) {
  Status s = p.Validate(Space());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.ToString();
}

TEST(ConstraintProfileTest, ValidateRefusesWhatGeniusCannotEvaluate) {
  Profile p = Ranked();
  EXPECT_TRUE(p.Validate(Space()).ok());
  p.ranks[1].ranks = {0, 0, 0};
  ExpectInvalid(p, "highest rank must be positive");
  p = Ranked();
  p.ranks[1].ranks.pop_back();
  ExpectInvalid(p, "2 ranks for 3 values");
  p = Ranked();
  p.ranks.push_back(p.ranks[0]);
  ExpectInvalid(p, "issue 'x' is ranked twice");
  p.ranks.clear();
  ExpectInvalid(p, "needs ranks for at least one issue");
  p = Ranked();
  p.constraints = {{Kind::kSumZero, 0, {}, {"1"}, {1}, 0, 1}};
  ExpectInvalid(
      p, "constraint 1 (sumZeroConstraint): issue 'tag': value 'red+blue' is not a Java int");
  p.constraints = {{Kind::kConditionalOutcome, -1, {{0, "numeric=positive"}}, {}, {}, 0, 0}};
  ExpectInvalid(p, "exactly two checks");
  p.constraints = {{Kind::kZero, 1, {{0, "1"}, {0, "2"}}, {}, {}, 0, 0}};
  ExpectInvalid(p, "two checks on issue 'x'");
  p.constraints = {{Kind::kSumZero, 1, {}, {}, {0}, 0, 1}};
  ExpectInvalid(p, "takes 1 text to match, not 0");
  p.constraints = {{Kind::kZero, 5, {}, {}, {}, 0, 0}};
  ExpectInvalid(p, "zeroed issue index 5: no such issue");
  p.constraints = {{Kind::kInclusiveOutcome, 0, {}, {}, {}, 0, 0}};
  ExpectInvalid(p, "issue must be -1");
  p.constraints = {{Kind::kZero, 0, {}, {}, {0}, 0, 0}};
  ExpectInvalid(p, "only sum constraints sum issues");
  p.constraints = {{Kind::kZero, 0, {}, {}, {}, 0, 3}};
  ExpectInvalid(p, "have a min and a max");
  OutcomeSpace with_real({Issue::Real("r", 0, 1, 0.5)});
  Profile real;
  real.kind = ProfileKind::kConstraint;
  real.ranks = {{0, {1, 2, 3}}};
  EXPECT_NE(real.Validate(with_real).message().find("is real"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
