#include "shuttle/profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>

#include "shuttle/scenario.h"

namespace shuttle {
namespace {

OutcomeSpace SmallSpace() {
  return OutcomeSpace({Issue::Discrete("color", {"red", "green", "blue"}),
                       Issue::Integer("amount", 1, 5), Issue::Real("price", 0, 10, 2.5)});
}

Profile SmallProfile() {
  Profile p;
  p.weights = {0.5, 0.3, 0.2};
  Evaluator table;
  table.evaluations = {4, 1, 2};  // GENIUS: divided by the maximum, 4.
  Evaluator amount;
  amount.kind = EvaluatorKind::kLinearFromLower;
  amount.slope = 0.5;
  amount.offset = -0.25;  // 1 -> clipped 0, 2 -> .25, 3 -> .75, 4, 5 -> clipped 1
  Evaluator price;
  price.kind = EvaluatorKind::kTriangular;
  price.p0 = 0;
  price.p1 = 10;
  price.p2 = 5;
  p.evaluators = {table, amount, price};
  return p;
}

TEST(EvaluatorTest, TableDividesByMaximumLikeGenius) {
  OutcomeSpace space = SmallSpace();
  Evaluator e = SmallProfile().evaluators[0];
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(0), 0), 1.0);
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(0), 1), 0.25);
  e.divide_by_max = false;
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(0), 2), 1.0);  // 2 clipped to 1
}

TEST(EvaluatorTest, LinearFromLowerIsClippedToUnitInterval) {
  OutcomeSpace space = SmallSpace();
  Evaluator e = SmallProfile().evaluators[1];
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(1), 0), 0.0);
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(1), 1), 0.25);
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(1), 4), 1.0);
}

TEST(EvaluatorTest, TriangularPeaksAtTop) {
  OutcomeSpace space = SmallSpace();
  Evaluator e = SmallProfile().evaluators[2];
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(2), 0), 0.0);  // 0
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(2), 1), 0.5);  // 2.5
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(2), 2), 1.0);  // 5
  EXPECT_DOUBLE_EQ(e.Evaluate(space.issue(2), 3), 0.5);  // 7.5
}

// The price points used below: 1 up to 24000, 0.7 at 26000, 0 from 28000 on.
Evaluator PricePoints() {
  Evaluator e;
  e.kind = EvaluatorKind::kPiecewise;
  e.points = {{24000, 1}, {26000, 0.7}, {28000, 0}};
  return e;
}

TEST(EvaluatorTest, PiecewiseInterpolatesBetweenPointsAndIsFlatBeyondThem) {
  Issue price = Issue::Real("price", 22000, 30000, 1000);  // 22000, 23000, ..., 30000
  Evaluator e = PricePoints();
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 0), 1.0);   // 22000: below the first point
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 2), 1.0);   // 24000: at the first point
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 3), 0.85);  // 25000: halfway from 1 to 0.7
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 4), 0.7);   // 26000: at the middle point
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 5), 0.35);  // 27000: halfway from 0.7 to 0
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 6), 0.0);   // 28000: at the last point
  EXPECT_DOUBLE_EQ(e.Evaluate(price, 8), 0.0);   // 30000: above the last point
}

TEST(EvaluatorTest, PiecewiseReadsNumbersOfIntegersAndNumericLabels) {
  Evaluator e;
  e.kind = EvaluatorKind::kPiecewise;
  e.points = {{1, 0}, {5, 1}};
  Issue amount = Issue::Integer("amount", 1, 5);
  EXPECT_DOUBLE_EQ(e.Evaluate(amount, 1), 0.25);  // 2
  Issue size = Issue::Discrete("size", {"2", "4", "large"});
  EXPECT_DOUBLE_EQ(e.Evaluate(size, 1), 0.75);  // "4"
  EXPECT_DOUBLE_EQ(e.Evaluate(size, 2), 0.0);   // Not a number: counts as 0, below the points.
  e.points = {{-1, 0.2}, {1, 0.6}};
  EXPECT_DOUBLE_EQ(e.Evaluate(size, 2), 0.4);  // 0 lies between the points.
}

TEST(EvaluatorTest, PiecewiseWithOnePointIsConstant) {
  Evaluator e;
  e.kind = EvaluatorKind::kPiecewise;
  e.points = {{3, 0.4}};
  Issue amount = Issue::Integer("amount", 1, 5);
  EXPECT_DOUBLE_EQ(e.Evaluate(amount, 0), 0.4);
  EXPECT_DOUBLE_EQ(e.Evaluate(amount, 2), 0.4);
  EXPECT_DOUBLE_EQ(e.Evaluate(amount, 4), 0.4);
}

TEST(UtilityTest, CompilesPiecewiseOnARealIssue) {
  OutcomeSpace space({Issue::Real("price", 24000, 28000, 500)});
  Profile p;
  p.weights = {0.5};
  p.evaluators = {PricePoints()};
  auto u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_DOUBLE_EQ(u->Evaluate({2}), 0.5 * 0.85);  // 25000
  EXPECT_EQ(EvaluatorKindName(EvaluatorKind::kPiecewise), std::string("piecewise"));
}

// The message for a one-issue profile on `issue` with `e`; "" when it validates.
std::string ValidationError(const Issue& issue, const Evaluator& e) {
  Profile p;
  p.weights = {1};
  p.evaluators = {e};
  Status s = p.Validate(OutcomeSpace({issue}));
  if (!s.ok()) EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  return s.ok() ? "" : s.message();
}

TEST(ProfileTest, RejectsBadPiecewisePoints) {
  Issue price = Issue::Real("price", 0, 10);
  Evaluator e = PricePoints();
  EXPECT_EQ(ValidationError(price, e), "");
  e.points.clear();
  EXPECT_EQ(ValidationError(price, e),
            "issue 'price': a piecewise evaluator needs at least one point");
  e = PricePoints();
  e.points[1].first = 24000;
  EXPECT_EQ(ValidationError(price, e),
            "issue 'price': piecewise point 1: x 24000 is not above the previous x 24000");
  e = PricePoints();
  e.points[2].first = 25000;
  EXPECT_NE(ValidationError(price, e).find("point 2: x 25000 is not above"), std::string::npos);
  e = PricePoints();
  e.points[1].second = 1.5;
  EXPECT_EQ(ValidationError(price, e),
            "issue 'price': piecewise point 1: value 1.5 is not in [0, 1]");
  e.points[1].second = -0.1;
  EXPECT_NE(ValidationError(price, e).find("value -0.1 is not in [0, 1]"), std::string::npos);
  e = PricePoints();
  e.points[0].first = std::numeric_limits<double>::infinity();
  EXPECT_EQ(ValidationError(price, e),
            "issue 'price': piecewise point 0 is not a pair of finite numbers");
  e = PricePoints();
  e.points[2].second = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(ValidationError(price, e).find("point 2 is not a pair of finite"), std::string::npos);
}

TEST(ProfileTest, TableFitsARealIssueWithAStepOnly) {
  Evaluator table;
  table.evaluations = {0, 1, 0.5};
  Issue stepped = Issue::Real("price", 10, 15, 2.5);  // 10, 12.5, 15
  EXPECT_EQ(ValidationError(stepped, table), "");
  EXPECT_DOUBLE_EQ(table.Evaluate(stepped, 2), 0.5);
  EXPECT_EQ(ValidationError(Issue::Real("price", 10, 15), table),
            "issue 'price': a table needs a finite issue: give the real issue a step");
  table.evaluations = {0, 1};
  EXPECT_EQ(ValidationError(stepped, table), "issue 'price': 2 evaluations for 3 values");
}

TEST(UtilityTest, CompiledUtilityIsWeightedSum) {
  OutcomeSpace space = SmallSpace();
  auto u = Utility::Compile(space, SmallProfile());
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_DOUBLE_EQ(u->Evaluate({0, 4, 2}), 0.5 + 0.3 + 0.2);
  EXPECT_DOUBLE_EQ(u->Evaluate({1, 1, 1}), 0.5 * 0.25 + 0.3 * 0.25 + 0.2 * 0.5);
}

TEST(UtilityTest, ContinuousIssueMustBeDiscretizedFirst) {
  OutcomeSpace space({Issue::Real("price", 0, 10)});
  Profile p;
  p.weights = {1};
  Evaluator e;
  e.kind = EvaluatorKind::kLinear;
  e.p1 = 0.1;
  p.evaluators = {e};
  auto u = Utility::Compile(space, p);
  EXPECT_EQ(u.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(u.status().message().find("'price'"), std::string::npos);
}

TEST(UtilityTest, RejectsTableOfWrongSize) {
  OutcomeSpace space = SmallSpace();
  Profile p = SmallProfile();
  p.evaluators[0].evaluations.pop_back();
  auto u = Utility::Compile(space, p);
  EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(u.status().message().find("'color'"), std::string::npos);
}

TEST(UtilityTest, HyperRectanglesSumContainingBoxes) {
  OutcomeSpace space({Issue::Integer("a", 0, 9), Issue::Integer("b", 0, 9)});
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  p.max_utility = 10;
  p.rectangles = {{7, {{0, 2, 5}, {1, 0, 3}}}, {3, {{1, 3, 9}}}};
  auto u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_FALSE(u->linear());
  EXPECT_DOUBLE_EQ(u->Evaluate({2, 3}), 1.0);  // Both boxes.
  EXPECT_DOUBLE_EQ(u->Evaluate({6, 3}), 0.3);  // Second only.
  EXPECT_DOUBLE_EQ(u->Evaluate({6, 2}), 0.0);
}

TEST(RedLineTest, ForbidAndBoundsMakeValuesUnacceptable) {
  OutcomeSpace space = SmallSpace();
  Profile p = SmallProfile();
  p.red_lines.push_back({RedLine::Kind::kForbid, 0, {0}, 0, "never red"});
  p.red_lines.push_back({RedLine::Kind::kAtMost, 2, {}, 5.0, ""});
  auto u = Utility::Compile(space, p);
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE(u->Allows(0, 0));
  EXPECT_TRUE(u->Allows(0, 1));
  EXPECT_TRUE(u->Allows(2, 2));   // 5.0
  EXPECT_FALSE(u->Allows(2, 3));  // 7.5
  Outcome o{1, 0, 3};
  EXPECT_FALSE(u->Allows(o.data()));
  EXPECT_EQ(p.red_lines[0].Describe(space), "color must not be 'red'");
  EXPECT_EQ(p.red_lines[1].Describe(space), "price <= 5");
}

TEST(RedLineTest, ValueRedLineOnRealIssueIsRejected) {
  OutcomeSpace space = SmallSpace();
  Profile p = SmallProfile();
  p.red_lines.push_back({RedLine::Kind::kForbid, 2, {1}, 0, ""});
  EXPECT_EQ(p.Validate(space).code(), StatusCode::kInvalidArgument);
}

TEST(DiscountTest, DiscountsByNormalizedTimeAndTreatsZeroAndOneAsNone) {
  EXPECT_DOUBLE_EQ(DiscountedUtility(0.8, 0.5, 1.0), 0.4);
  EXPECT_NEAR(DiscountedUtility(0.8, 0.5, 0.5), 0.8 * 0.70710678118654752, 1e-12);
  EXPECT_DOUBLE_EQ(DiscountedUtility(0.8, 1.0, 1.0), 0.8);
  EXPECT_DOUBLE_EQ(DiscountedUtility(0.8, 0.0, 1.0), 0.8);
}

TEST(ScenarioTest, ValidateNamesTheParty) {
  Scenario s;
  s.space = SmallSpace();
  Profile bad = SmallProfile();
  bad.weights[1] = -1;
  s.parties = {{"buyer", SmallProfile()}, {"seller", bad}};
  Status st = s.Validate();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("party 'seller'"), std::string::npos);
  EXPECT_NE(st.message().find("'amount'"), std::string::npos);
}

TEST(BreakpointsTest, KeepsOnlyTheKinksOfANumericValueFunction) {
  Issue price = Issue::Real("price", 100, 200, 10);  // 11 values.
  std::vector<double> linear, tent;
  for (uint64_t i = 0; i < price.size(); ++i) {
    double x = *price.NumericValue(i);
    linear.push_back((200 - x) / 100);
    tent.push_back(x <= 130 ? (x - 100) / 30 : (200 - x) / 70);
  }
  EXPECT_EQ(Breakpoints(price, linear),
            (std::vector<std::pair<double, double>>{{100, 1}, {200, 0}}));
  auto kinks = Breakpoints(price, tent);
  ASSERT_EQ(kinks.size(), 3u);
  EXPECT_EQ(kinks[1].first, 130);
  EXPECT_DOUBLE_EQ(kinks[1].second, 1);
  // Interpolating between the points gives every value back.
  for (uint64_t i = 0; i < price.size(); ++i) {
    double x = *price.NumericValue(i);
    auto hi = std::find_if(kinks.begin(), kinks.end(), [&](auto& p) { return p.first >= x; });
    auto lo = hi == kinks.begin() ? hi : hi - 1;
    double v = hi->first == x ? hi->second
                              : lo->second + (hi->second - lo->second) * (x - lo->first) /
                                                 (hi->first - lo->first);
    EXPECT_NEAR(v, tent[i], 1e-12) << x;
  }
  EXPECT_TRUE(Breakpoints(Issue::Discrete("d", {"a", "b"}), {0, 1}).empty());
  EXPECT_TRUE(Breakpoints(price, {0, 1}).empty());  // Not one value per value of the issue.
}

}  // namespace
}  // namespace shuttle
