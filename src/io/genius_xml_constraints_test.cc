// GENIUS constraint profiles (ConstraintUtilitySpace): reading, the utilities GENIUS would give,
// refusals, and writing back (GENIUS XML and Shuttle JSON).
//
// The fixture tests/data/genius/sanctions_{domain,regulator}.xml has five issues:
//   Fine {-20, 0, 15}, Sanction {A=warn+B=none, A=fine+B=none, A=none+B=fine},
//   Share1 {0, 10, 40}, Share2 {0, 30, 60}, Deadline {soon, later}.
// Ranked in the file's order: Deadline (soon 1, later 2), Fine (1, 2, 4), Sanction (warn 1,
// fine 3, B=fine 2), Share1 (5, 2, 1); Share2 is unranked. A term is rank / highest rank, so
//   Deadline 1/2 | 1      Fine 1/4 | 1/2 | 1      Sanction 1/3 | 1 | 2/3      Share1 1 | 2/5 | 1/5
// and the utility is the sum of the four terms / 4. The constraints:
//   (a) inclusiveZeroOutcome: utility 0 when Fine >= 0 and Sanction contains "A=fine".
//   (b) conditionalZeroOutcome, checks written (Sanction "B=fine", Fine "numeric=negative"):
//       GENIUS's HashMap puts issue 1 first, so: utility 0 when Fine < 0 and Sanction does not
//       contain "B=fine".
//   (c) zero on Deadline: its term 0 when Deadline = "later" and Fine = "15".
//   (d) conditionalZero on Sanction, value "B=none": its term 0 when Share1 = "40" and Sanction
//       does not contain "B=none".
//   (e) sumZero on Deadline, "soon", [50, 100] over Share1 + Share2.
//   (f) sumZeroNot on Fine, "-", [70, 100]: Fine's term 0 when the sum is in range and Fine does
//       not contain "-".
//   (g) sumZeroList on Sanction, [0, 0], conditions "A=warn", "B=fine".
//   (h) zero on the unranked Share2 when it is "60": no effect.
#include <gtest/gtest.h>

#include <string>

#include "io/testing.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

using io_testing::Fixture;

OutcomeSpace Sanctions() { return io_testing::GeniusDomain("sanctions_domain.xml"); }

Profile Regulator(const OutcomeSpace& space) {
  Result<Profile> p =
      ParseGeniusProfile(Fixture("sanctions_regulator.xml"), space, "sanctions_regulator.xml");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : Profile();
}

// Value indices: Fine -20 0 15 | Sanction warn fine B=fine | Share1 0 10 40 | Share2 0 30 60 |
// Deadline soon later.
enum Fine : uint32_t { kMinus20, kZero, k15 };
enum Sanction : uint32_t { kWarn, kFineA, kFineB };

double Utility4(double deadline, double fine, double sanction, double share1) {
  return (deadline + fine + sanction + share1) / 4;
}

class SanctionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    space_ = Sanctions();
    profile_ = Regulator(space_);
    Result<Utility> u = Utility::Compile(space_, profile_);
    ASSERT_TRUE(u.ok()) << u.status().ToString();
    utility_ = *u;
  }
  double U(Outcome o) const { return utility_.Evaluate(o); }

  OutcomeSpace space_;
  Profile profile_;
  Utility utility_;
};

TEST_F(SanctionsTest, ReadsRanksInFileOrderAndEveryConstraint) {
  EXPECT_EQ(profile_.kind, ProfileKind::kConstraint);
  ASSERT_EQ(profile_.ranks.size(), 4u);
  EXPECT_EQ(profile_.ranks[0].issue, 4);  // Deadline first, as listed.
  EXPECT_EQ(profile_.ranks[0].ranks, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(profile_.ranks[2].ranks,
            (std::vector<int32_t>{1, 3, 2}));  // In value order, not item order.
  ASSERT_EQ(profile_.constraints.size(), 8u);
  const ZeroConstraint& b = profile_.constraints[1];
  EXPECT_EQ(b.kind, ZeroConstraint::Kind::kConditionalOutcome);
  ASSERT_EQ(b.checks.size(), 2u);
  EXPECT_EQ(b.checks[0].issue, 0);  // Fine, the condition, though written second.
  EXPECT_EQ(b.checks[0].text, "numeric=negative");
  EXPECT_EQ(profile_.constraints[6].texts, (std::vector<std::string>{"A=warn", "B=fine"}));
  EXPECT_EQ(profile_.constraints[6].summed, (std::vector<int>{2, 3}));
  EXPECT_EQ(profile_.discount, 0.9);
  EXPECT_EQ(profile_.reservation_value, 0.125);
}

TEST_F(SanctionsTest, NoConstraintFiring) {
  // (15, warn, 0, 30, soon): Fine 15 but no "A=fine" (a); Fine not negative (b); soon (c); Share1
  // not 40 (d); sum 30 below every range (e, f) and not 0 (g).
  EXPECT_DOUBLE_EQ(U({k15, kWarn, 0, 1, 0}), Utility4(0.5, 1, 1.0 / 3, 1));
}

TEST_F(SanctionsTest, InclusiveOutcomeConstraint) {
  EXPECT_EQ(U({kZero, kFineA, 0, 0, 0}), 0.0);  // 0 counts as positive.
  EXPECT_EQ(U({k15, kFineA, 1, 1, 1}), 0.0);
  // A negative fine fails the numeric check: (a) does not fire, though (b) does (see below); with
  // "B=fine" neither fires. (-20, B=fine, 0, 0, soon): (g) zeroes Sanction (sum 0, contains
  // B=fine).
  EXPECT_DOUBLE_EQ(U({kMinus20, kFineB, 0, 0, 0}), Utility4(0.5, 0.25, 0, 1));
}

TEST_F(SanctionsTest, ConditionalOutcomeConstraintTakesTheLowerIssueNumberAsCondition) {
  // Fine < 0 and Sanction without "B=fine": 0. Without (b) it would be (0.5 + 0.25 + 1 + 1) / 4.
  EXPECT_EQ(U({kMinus20, kFineA, 0, 0, 0}), 0.0);
  EXPECT_EQ(U({kMinus20, kWarn, 1, 1, 1}), 0.0);
  // Condition false (Fine 0 is not negative): (0, warn, 10, 0, soon) keeps its utility.
  EXPECT_DOUBLE_EQ(U({kZero, kWarn, 1, 0, 0}), Utility4(0.5, 0.5, 1.0 / 3, 0.4));
}

TEST_F(SanctionsTest, ZeroConstraintNeedsEveryValueEqual) {
  // (c) fires on (15, warn, 10, 30, later): Deadline's term is 0.
  EXPECT_DOUBLE_EQ(U({k15, kWarn, 1, 1, 1}), Utility4(0, 1, 1.0 / 3, 0.4));
  // "later" with Fine 0: does not fire.
  EXPECT_DOUBLE_EQ(U({kZero, kWarn, 1, 1, 1}), Utility4(1, 0.5, 1.0 / 3, 0.4));
}

TEST_F(SanctionsTest, ConditionalZeroConstraint) {
  // (d) fires on (0, B=fine, 40, 0, soon): Share1 40, "A=none+B=fine" lacks "B=none".
  EXPECT_DOUBLE_EQ(U({kZero, kFineB, 2, 0, 0}), Utility4(0.5, 0.5, 0, 0.2));
  // Share1 40 but "A=warn+B=none" contains "B=none": Sanction keeps 1/3.
  EXPECT_DOUBLE_EQ(U({kZero, kWarn, 2, 0, 0}), Utility4(0.5, 0.5, 1.0 / 3, 0.2));
}

TEST_F(SanctionsTest, SumZeroConstraints) {
  // (-20, B=fine, 40, 60, soon): sum 100. (e) zeroes Deadline (in [50, 100], "soon"); (f) spares
  // Fine ("-20" contains "-"); (d) zeroes Sanction; (h) has Share2 = 60 but Share2 is unranked.
  EXPECT_DOUBLE_EQ(U({kMinus20, kFineB, 2, 2, 0}), Utility4(0, 0.25, 0, 0.2));
  // (0, warn, 10, 60, later): sum 70. (e) spares "later"; (f) zeroes Fine ("0" lacks "-").
  EXPECT_DOUBLE_EQ(U({kZero, kWarn, 1, 2, 1}), Utility4(1, 0, 1.0 / 3, 0.4));
  // (0, warn, 10, 30, soon): sum 40, below both ranges: nothing fires.
  EXPECT_DOUBLE_EQ(U({kZero, kWarn, 1, 1, 0}), Utility4(0.5, 0.5, 1.0 / 3, 0.4));
}

TEST_F(SanctionsTest, SumZeroListFiresOnAnyCondition) {
  // Sum 0: "A=warn" and "B=fine" fire, "A=fine+B=none" does not (it fires (a) if Fine >= 0).
  EXPECT_DOUBLE_EQ(U({k15, kWarn, 0, 0, 0}), Utility4(0.5, 1, 0, 1));
  EXPECT_DOUBLE_EQ(U({k15, kFineB, 0, 0, 1}), Utility4(0, 1, 0, 1));  // (c) too: later with 15.
  EXPECT_DOUBLE_EQ(U({kMinus20, kFineB, 0, 0, 0}), Utility4(0.5, 0.25, 0, 1));
  // Sum 10: out of [0, 0].
  EXPECT_DOUBLE_EQ(U({k15, kWarn, 1, 0, 0}), Utility4(0.5, 1, 1.0 / 3, 0.4));
}

TEST_F(SanctionsTest, GeniusXmlRoundTripIsEqual) {
  Result<std::string> xml = WriteGeniusProfile(space_, profile_);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  Result<Profile> back = ParseGeniusProfile(*xml, space_, "written.xml");
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << *xml;
  EXPECT_EQ(*back, profile_);
}

TEST_F(SanctionsTest, ShuttleJsonRoundTripIsEqual) {
  Scenario s;
  s.name = "sanctions";
  s.space = space_;
  s.parties.push_back(Party{"regulator", profile_});
  std::string json = WriteScenarioJson(s);
  Result<Scenario> back = ParseScenarioJson(json, "written.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << json;
  EXPECT_EQ(back->parties[0].profile, profile_);
  EXPECT_EQ(WriteScenarioJson(*back), json);
}

TEST_F(SanctionsTest, GeniusWriterRefusesAConditionGeniusWouldNotTakeFirst) {
  Profile p = profile_;
  std::swap(p.constraints[1].checks[0],
            p.constraints[1].checks[1]);  // Condition on Sanction (index 2).
  p.constraints[1].checks[0].text = "numeric=positive";
  p.constraints[1].checks[1].text = "A=fine";
  Result<std::string> xml = WriteGeniusProfile(space_, p);  // Sanction's values are not numbers.
  EXPECT_FALSE(xml.ok());
  p.constraints[1].checks[0] = {3, "numeric=positive"};  // Share2 (index 4) after Fine (index 1).
  p.constraints[1].checks[1] = {0, "-"};
  xml = WriteGeniusProfile(space_, p);
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(xml.status().message().find("as the condition"), std::string::npos)
      << xml.status().ToString();
}

// ---- Refusals -------------------------------------------------------------------------------

// The fixture's profile with `from` replaced by `to` (once).
std::string Edited(const std::string& from, const std::string& to) {
  std::string xml = Fixture("sanctions_regulator.xml");
  size_t at = xml.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) xml.replace(at, from.size(), to);
  return xml;
}

void ExpectRefused(const std::string& xml, const std::string& fragment) {
  Result<Profile> p = ParseGeniusProfile(xml, Sanctions(), "bad.xml");
  ASSERT_FALSE(p.ok()) << fragment;
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument) << p.status().ToString();
  EXPECT_NE(p.status().message().find("bad.xml: line "), std::string::npos)
      << p.status().ToString();
  EXPECT_NE(p.status().message().find(fragment), std::string::npos) << p.status().ToString();
}

TEST(GeniusConstraintReaderTest, RefusesRanksGeniusCannotLookUp) {
  ExpectRefused(
      Edited("<item index=\"1\" value=\"soon\" rank=\"1\"/>", "<item index=\"1\" rank=\"1\"/>"),
      "has no 'value' attribute");
  ExpectRefused(Edited("<item index=\"1\" value=\"soon\" rank=\"1\"/>", ""),
                "value 'soon' has no rank");
  ExpectRefused(Edited("value=\"soon\" rank=\"1\"", "value=\"soon\" rating=\"1\""),
                "has no 'rank' attribute");
  ExpectRefused(Edited("value=\"soon\" rank=\"1\"", "value=\"soon\" rank=\"1.5\""),
                "is not a Java int");
  ExpectRefused(Edited(R"(value="soon" rank="1")", R"(value="never" rank="1")"),
                "'never' is not one of its values");
  ExpectRefused(Edited("value=\"soon\" rank=\"1\"", "value=\"later\" rank=\"1\""), "ranked twice");
  std::string xml = Edited(R"(value="soon" rank="1")", R"(value="soon" rank="0")");
  size_t later = xml.find(R"(value="later" rank="2")");
  ASSERT_NE(later, std::string::npos);
  ExpectRefused(xml.replace(later, 22, R"(value="later" rank="0")"),
                "highest rank must be positive");
  ExpectRefused(Edited("<issue index=\"5\">", "<issue index=\"9\">"), "index '9' names no issue");
  ExpectRefused(Edited("<issue index=\"3\">", "<issue index=\"5\">"), "ranked twice");
}

TEST(GeniusConstraintReaderTest, RefusesConstraintsGeniusWouldThrowOnOrSkip) {
  ExpectRefused(
      Edited("type=\"zeroConstraint\" index=\"5\"", "type=\"exclusiveZeroConstraint\" index=\"5\""),
      "'exclusiveZeroConstraint' is not one GENIUS evaluates");
  ExpectRefused(Edited("type=\"zeroConstraint\" index=\"5\"", "index=\"5\""),
                "has no 'type' attribute");
  ExpectRefused(Edited("<checkassignment index=\"2\" condition=\"B=fine\"/>", ""),
                "exactly two issues, not 1");
  // The same issue twice is one entry of GENIUS's map.
  ExpectRefused(Edited(R"(<checkassignment index="2" condition="B=fine"/>)",
                       R"(<checkassignment index="1" condition="x"/>)"),
                "exactly two issues, not 1");
  ExpectRefused(
      Edited("<checkassignment index=\"2\" condition=\"A=fine\"/>",
             "<checkassignment index=\"2\" condition=\"numeric=negative\"/>"),
      "value 'A=warn+B=none' is not a Java int, which GENIUS tests for 'numeric=negative'");
  ExpectRefused(Edited("<item index=\"3\"/>\n          <item index=\"4\"/>", "<item index=\"2\"/>"),
                "value 'A=warn+B=none' is not a Java int, which GENIUS sums");
  ExpectRefused(Edited("min=\"50\"", ""), "has no 'min' attribute");
  ExpectRefused(Edited(R"(type="sumZeroConstraint" index="5" value="soon")",
                       R"(type="sumZeroConstraint" index="5")"),
                "has no 'value' attribute");
  ExpectRefused(
      Edited("<valueassignment index=\"3\" value=\"40\"/>", "<valueassignment index=\"3\"/>"),
      "has no 'value' attribute");
  ExpectRefused(Edited("<valueassignment index=\"3\" value=\"40\"/>",
                       "<valueassignment index=\"7\" value=\"40\"/>"),
                "index '7' names no issue");
}

TEST(GeniusConstraintReaderTest, RepeatedCheckOnOneIssueKeepsTheLastText) {
  OutcomeSpace space = Sanctions();
  Result<Profile> p = ParseGeniusProfile(
      Edited("<checkassignment index=\"2\" condition=\"A=fine\"/>",
             "<checkassignment index=\"2\" condition=\"A=fine\"/><checkassignment index=\"2\" "
             "condition=\"A=warn\"/>"),
      space, "repeat.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->constraints[0].checks.size(), 2u);
  EXPECT_EQ(p->constraints[0].checks[1].text, "A=warn");
}

TEST(GeniusConstraintReaderTest, NeedsRulesWithRanks) {
  ExpectRefused("<utility_space type=\"constraint\"><objective/></utility_space>",
                "has no <rules>");
  ExpectRefused(
      "<utility_space type=\"constraint\"><objective><rules/></objective></utility_space>",
      "<rules> has no <ranks>");
  ExpectRefused(
      "<utility_space "
      "type=\"constraint\"><objective><rules><ranks/></rules></objective></utility_space>",
      "ranks no issue");
}

TEST(GeniusConstraintReaderTest, ConstraintsElementMayBeLeftOut) {
  Result<Profile> p = ParseGeniusProfile(
      "<utility_space type=\"constraint\"><objective><issue index=\"5\" name=\"Deadline\"/>"
      "<rules><ranks><issue index=\"5\">"
      "<item value=\"soon\" rank=\"3\"/><item value=\"later\" rank=\"1\"/></issue></ranks></rules>"
      "</objective></utility_space>",
      Sanctions(), "ranks_only.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Result<Utility> u = Utility::Compile(Sanctions(), *p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_DOUBLE_EQ(u->Evaluate({0, 0, 0, 0, 1}), 1.0 / 3);  // Only Deadline ranked: later 1/3.
}

}  // namespace
}  // namespace shuttle
