#include "shuttle/outcome_space.h"

#include <gtest/gtest.h>

namespace shuttle {
namespace {

TEST(BigCountTest, MultipliesPastU64Exactly) {
  BigCount c(1);
  for (int i = 0; i < 50; ++i) c.MultiplyBy(10);
  EXPECT_EQ(c.ToString(), "1" + std::string(50, '0'));
  EXPECT_FALSE(c.FitsU64());
  EXPECT_NEAR(c.Log10(), 50.0, 1e-9);
}

TEST(BigCountTest, MultipliesByFactorsAbove32Bits) {
  BigCount c(3);
  c.MultiplyBy(0x1'0000'0001ULL);
  EXPECT_EQ(c.ToString(), "12884901891");
  c.MultiplyBy(0);
  EXPECT_TRUE(c.IsZero());
  EXPECT_EQ(c.ToString(), "0");
}

TEST(OutcomeSpaceTest, IndexAndDecodeAreInverse) {
  OutcomeSpace space({Issue::Discrete("a", {"x", "y", "z"}), Issue::Integer("b", 5, 8),
                      Issue::Real("c", 0, 1, 0.5)});
  ASSERT_EQ(space.cardinality().ToU64(), 3u * 4u * 3u);
  for (uint64_t i = 0; i < 36; ++i) EXPECT_EQ(space.Index(space.Decode(i)), i);
  EXPECT_EQ(space.Decode(35), (Outcome{2, 3, 2}));
  EXPECT_EQ(space.Describe({1, 2, 1}), "a=y, b=7, c=0.5");
}

TEST(OutcomeSpaceTest, ContinuousIssueMakesSpaceInfinite) {
  OutcomeSpace space({Issue::Discrete("a", {"x"}), Issue::Real("p", 0, 10)});
  EXPECT_FALSE(space.finite());
  EXPECT_FALSE(space.EnumerableWithin(1000));
  auto d = space.Discretized(2.5);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->cardinality().ToU64(), 5u);
}

TEST(IssueTest, RealGridIncludesUpperBound) {
  Issue r = Issue::Real("p", 0, 1, 0.3);
  EXPECT_EQ(r.size(), 5u);  // 0, .3, .6, .9, 1
  EXPECT_DOUBLE_EQ(*r.NumericValue(4), 1.0);
  EXPECT_EQ(*r.FindValue("0.6"), 2u);
  EXPECT_FALSE(r.FindValue("0.5").ok());
}

TEST(IssueTest, ValidateRejectsOutOfRangeValues) {
  OutcomeSpace space({Issue::Integer("n", 0, 2)});
  EXPECT_TRUE(space.Validate({2}).ok());
  Status s = space.Validate({3});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'n'"), std::string::npos);
  EXPECT_FALSE(space.Validate({0, 0}).ok());
}

}  // namespace
}  // namespace shuttle
