#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "io/genius_xml_internal.h"
#include "io/testing.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

using io_testing::ExpectError;
using io_testing::Fixture;

OutcomeSpace Holiday() { return io_testing::GeniusDomain("holiday_domain.xml"); }

// Wraps issue elements into a minimal domain.
std::string Domain(const std::string& issues) {
  return "<negotiation_template><utility_space><objective index=\"0\" name=\"root\">\n" + issues +
         "</objective></utility_space></negotiation_template>";
}

// ---- Domains ---------------------------------------------------------------------------------

TEST(GeniusDomainTest, CollectsNestedIssuesInDocumentOrder) {
  OutcomeSpace space = Holiday();
  ASSERT_EQ(space.issue_count(), 4u);
  EXPECT_EQ(space.issue(0),
            Issue::Discrete("Destination", {"Beach", "Mountains", "City & Museums"}));
  EXPECT_EQ(space.issue(1), Issue::Integer("Nights", 3, 9));
  EXPECT_EQ(space.issue(2), Issue::Real("Budget", 500, 2500));
  EXPECT_EQ(space.issue(3), Issue::Discrete("Transport", {"Train", "Plane"}));
  EXPECT_FALSE(space.finite());  // Budget is continuous.
}

TEST(GeniusDomainTest, AcceptsBareUtilitySpaceAndTypeFromContent) {
  Result<OutcomeSpace> space = ParseGeniusDomain(
      "<utility_space><issue index=\"1\" name=\"a\"><item value=\"x\"/><item value=\"y\"/></issue>"
      "<issue name=\"n\" lowerbound=\"-2\" upperbound=\"2\"/>"
      "<issue name=\"r\"><range lowerbound=\"0\" upperbound=\"1\"/></issue></utility_space>",
      "bare.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->issue(0).type(), IssueType::kDiscrete);
  EXPECT_EQ(space->issue(1), Issue::Integer("n", -2, 2));
  EXPECT_EQ(space->issue(2), Issue::Real("r", 0, 1));
}

TEST(GeniusDomainTest, RealRangeMayBeAttributesAndRepeatedValuesCountOnce) {
  Result<OutcomeSpace> space = ParseGeniusDomain(
      Domain("<issue name=\"r\" type=\"real\" lowerbound=\"1.5\" upperbound=\"2.5\"/>"
             "<issue name=\"d\" type=\"discrete\"><item index=\"1\" value=\"a\"/><item index=\"1\" "
             "value=\"a\"/>"
             "<item index=\"2\" value=\"b\"/></issue>"),
      "x.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->issue(0), Issue::Real("r", 1.5, 2.5));
  EXPECT_EQ(space->issue(1).labels(), (std::vector<std::string>{"a", "b"}));
}

TEST(GeniusDomainTest, IgnoresBidsOutsideTheUtilitySpace) {
  Result<OutcomeSpace> space = ParseGeniusDomain(
      "<negotiation_template><utility_space><issue index=\"1\" name=\"a\" type=\"discrete\">"
      "<item value=\"x\"/></issue></utility_space>"
      "<bid><issue index=\"1\" type=\"discrete\"><item "
      "value=\"x\"/></issue></bid></negotiation_template>",
      "x.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->issue_count(), 1u);
}

TEST(GeniusDomainTest, ToleratesMessyTextWithoutMovingLines) {
  // Text and a comment before a misplaced declaration, a byte-order mark, a bare '&', and a
  // Windows-1252 euro sign; the error on line 6 must still say line 6.
  std::string messy =
      "\xEF\xBB\xBFjunk\n<!-- c -->\n<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n"
      "<utility_space>\n<issue name=\"Price & Co\" type=\"discrete\"><item value=\"\x80"
      "10\"/></issue>\n"
      "<issue name=\"n\" type=\"integer\" lowerbound=\"5\" upperbound=\"1\"/>\n</utility_space>";
  ExpectError(ParseGeniusDomain(messy, "m.xml").status(), StatusCode::kInvalidArgument,
              "m.xml: line 6: issue 'n': lowerbound 5 > upperbound 1");
  messy.replace(messy.find("lowerbound=\"5\""), 14, "lowerbound=\"0\"");
  Result<OutcomeSpace> space = ParseGeniusDomain(messy, "m.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->issue(0).name(), "Price & Co");
  EXPECT_EQ(space->issue(0).labels()[0],
            "\xE2\x82\xAC"
            "10");  // U+20AC in UTF-8.
}

TEST(GeniusDomainTest, KeepsEntitiesAndEscapesOnlyBareAmpersands) {
  Result<OutcomeSpace> space =
      ParseGeniusDomain(Domain("<issue name=\"a&amp;b &#65; &#x42; &unknown; &\" "
                               "type=\"discrete\"><item value=\"v\"/></issue>"),
                        "x.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  EXPECT_EQ(space->issue(0).name(), "a&b A B &unknown; &");
}

TEST(GeniusDomainTest, MalformedXmlNamesTheLine) {
  ExpectError(
      ParseGeniusDomain("<utility_space>\n<issue name=\"a\">\n<item value=\"x\">\n</utility_space>",
                        "bad.xml")
          .status(),
      StatusCode::kCorruption, "bad.xml: line 4: malformed XML");
  ExpectError(ParseGeniusDomain("", "empty.xml").status(), StatusCode::kCorruption,
              "empty.xml: line 1: malformed XML: No document element found");
}

TEST(GeniusDomainTest, RejectsWhatHasNoMeaning) {
  struct Case {
    std::string xml, fragment;
  } cases[] = {
      {"<domain/>", "line 1: root element <domain> is neither"},
      {Domain(""), "line 1: the domain has no issues"},
      {Domain("<issue type=\"discrete\"><item value=\"x\"/></issue>"),
       "line 2: issue without a name"},
      {Domain("<issue name=\"a\" type=\"fuzzy\"/>"), "issue 'a': unknown type 'fuzzy'"},
      {Domain("<issue name=\"a\" type=\"discrete\"/>"), "issue 'a' has no values"},
      {Domain("<issue name=\"a\" type=\"discrete\"><item/></issue>"),
       "issue 'a': <item> without a value"},
      {Domain("<issue name=\"a\" type=\"integer\" upperbound=\"3\"/>"),
       "<issue> has no 'lowerbound' attribute"},
      {Domain("<issue name=\"a\" type=\"integer\" lowerbound=\"0.5\" upperbound=\"3\"/>"),
       "issue 'a': bound 0.5 is not an integer"},
      {Domain("<issue name=\"a\" type=\"real\"><range lowerbound=\"x\" upperbound=\"1\"/></issue>"),
       "<range> lowerbound=\"x\" is not a number"},
      {Domain("<issue name=\"a\" type=\"real\" step=\"-1\"><range lowerbound=\"0\" "
              "upperbound=\"1\"/></issue>"),
       "issue 'a': step -1 is negative"},
      {Domain("<issue name=\"a\" type=\"integer\" lowerbound=\"0\" upperbound=\"1\"/>\n"
              "<issue name=\"a\" type=\"integer\" lowerbound=\"0\" upperbound=\"1\"/>"),
       "line 3: issue 'a' is listed twice"},
  };
  for (const Case& c : cases) {
    Result<OutcomeSpace> space = ParseGeniusDomain(c.xml, "d.xml");
    EXPECT_FALSE(space.ok()) << c.xml;
    EXPECT_NE(space.status().message().find("d.xml: "), std::string::npos)
        << space.status().ToString();
    EXPECT_NE(space.status().message().find(c.fragment), std::string::npos)
        << space.status().ToString();
  }
}

TEST(GeniusDomainTest, RefusesAbsurdNestingWithoutRecursing) {
  std::string xml = "<utility_space>";
  for (int i = 0; i < 5000; ++i) xml += "<objective>";
  xml += "<issue name=\"a\" type=\"integer\" lowerbound=\"0\" upperbound=\"1\"/>";
  for (int i = 0; i < 5000; ++i) xml += "</objective>";
  xml += "</utility_space>";
  ExpectError(ParseGeniusDomain(xml, "deep.xml").status(), StatusCode::kInvalidArgument,
              "nested deeper than");
}

// ---- Linear profiles -------------------------------------------------------------------------

TEST(GeniusProfileTest, ReadsWeightsByIndexAndEveryEvaluatorKind) {
  OutcomeSpace space = Holiday();
  Result<Profile> p = ParseGeniusProfile(Fixture("alice.xml"), space, "alice.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, ProfileKind::kLinearAdditive);
  // Weights listed out of order, with the Logistics objective's own weight (index 2) ignored.
  EXPECT_EQ(p->weights, (std::vector<double>{0.4, 0.3, 0.2, 0.1}));
  const Evaluator& destination = p->evaluators[0];
  EXPECT_EQ(destination.kind, EvaluatorKind::kTable);
  EXPECT_TRUE(destination.divide_by_max);
  EXPECT_EQ(destination.evaluations, (std::vector<double>{8, 2, 0}));  // No evaluation counts as 0.
  EXPECT_DOUBLE_EQ(destination.Evaluate(space.issue(0), 1), 0.25);
  const Evaluator& nights = p->evaluators[1];
  EXPECT_EQ(nights.kind, EvaluatorKind::kLinearFromLower);
  EXPECT_DOUBLE_EQ(nights.Evaluate(space.issue(1), 0), 0.4);  // 3 nights
  EXPECT_DOUBLE_EQ(nights.Evaluate(space.issue(1), 6), 1.0);  // 9 nights: 0.1 * 6 + 0.4
  const Evaluator& budget = p->evaluators[2];
  EXPECT_EQ(budget.kind, EvaluatorKind::kLinear);
  EXPECT_DOUBLE_EQ(budget.p0, 1.25);
  EXPECT_DOUBLE_EQ(budget.p1, -0.0005);
  EXPECT_DOUBLE_EQ(p->discount, 0.9);
  EXPECT_DOUBLE_EQ(p->reservation_value, 0.25);
}

TEST(GeniusProfileTest, ReadsMessyProfileAndKeepsWeightsNearOne) {
  OutcomeSpace space = Holiday();
  Result<Profile> p = ParseGeniusProfile(Fixture("bob.xml"), space, "bob.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->weights, (std::vector<double>{0.2501, 0.25, 0.25, 0.25}));  // Sum 1.0001 kept.
  EXPECT_EQ(p->evaluators[0].evaluations,
            (std::vector<double>{1, 3, 4}));                // "City & Museums" matched.
  EXPECT_EQ(p->evaluators[1].kind, EvaluatorKind::kTable);  // Integer issue by items.
  EXPECT_EQ(p->evaluators[1].evaluations, (std::vector<double>{1, 2, 0, 0, 0, 0, 4}));
  const Evaluator& budget = p->evaluators[2];
  EXPECT_EQ(budget.kind, EvaluatorKind::kTriangular);
  // GENIUS EvaluatorReal: parameter0 lower foot, parameter1 upper foot, parameter2 top.
  EXPECT_DOUBLE_EQ(budget.Evaluate(Issue::Real("b", 750, 750), 0), 0.5);
  EXPECT_DOUBLE_EQ(budget.Evaluate(Issue::Real("b", 1000, 1000), 0), 1.0);
  EXPECT_DOUBLE_EQ(budget.Evaluate(Issue::Real("b", 2000, 2000), 0), 1 - 1000.0 / 1500);
  EXPECT_DOUBLE_EQ(p->discount, 1);
  EXPECT_DOUBLE_EQ(p->reservation_value, 0);
}

std::string OneIssueProfile(const std::string& weights, const std::string& extra = "") {
  return "<utility_space><objective index=\"0\">" + weights +
         "<issue index=\"1\" name=\"a\" type=\"discrete\"><item value=\"x\" evaluation=\"2\"/>"
         "<item value=\"y\" evaluation=\"1\"/></issue>"
         "<issue index=\"2\" name=\"b\" type=\"discrete\"><item value=\"x\" "
         "evaluation=\"1\"/></issue>"
         "</objective>" +
         extra + "</utility_space>";
}

OutcomeSpace TwoIssues() {
  return OutcomeSpace({Issue::Discrete("a", {"x", "y"}), Issue::Discrete("b", {"x", "z"})});
}

TEST(GeniusProfileTest, RenormalizesWeightsOnlyWhenClearlyOff) {
  OutcomeSpace space = TwoIssues();
  auto weights = [&](const std::string& w) {
    Result<Profile> p = ParseGeniusProfile(OneIssueProfile(w), space, "w.xml");
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->weights : std::vector<double>();
  };
  EXPECT_EQ(weights("<weight index=\"1\" value=\"0.51\"/><weight index=\"2\" value=\"0.5\"/>"),
            (std::vector<double>{0.51, 0.5}));
  std::vector<double> w =
      weights("<weight index=\"1\" value=\"3\"/><weight index=\"2\" value=\"1\"/>");
  EXPECT_DOUBLE_EQ(w[0], 0.75);
  EXPECT_DOUBLE_EQ(w[1], 0.25);
  EXPECT_EQ(weights("<weight index=\"1\" value=\"0\"/><weight index=\"2\" value=\"0\"/>"),
            (std::vector<double>{0, 0}));
}

TEST(GeniusProfileTest, IgnoresUnreadableOrOutOfRangeDiscountLikeGenius) {
  OutcomeSpace space = TwoIssues();
  const std::string w = "<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>";
  for (const char* bad : {"s", "2", "-0.1"}) {
    Result<Profile> p =
        ParseGeniusProfile(OneIssueProfile(w, std::string("<discount_factor value=\"") + bad +
                                                  "\"/><reservation value=\"?\"/>"),
                           space, "d.xml");
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->discount, 1) << bad;
    EXPECT_EQ(p->reservation_value, 0);
  }
}

TEST(GeniusProfileTest, ItemsOutsideTheDomainKeepGeniusScale) {
  OutcomeSpace space({Issue::Discrete("a", {"x", "y"})});
  auto parse = [&](const std::string& items) {
    return ParseGeniusProfile(
        "<utility_space><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"a\">" + items +
            "</issue></utility_space>",
        space, "e.xml");
  };
  // A smaller extra item changes nothing; a larger one is GENIUS's maximum, so divide by it now.
  Result<Profile> small =
      parse("<item value=\"x\" evaluation=\"4\"/><item value=\"q\" evaluation=\"3\"/>");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_TRUE(small->evaluators[0].divide_by_max);
  EXPECT_EQ(small->evaluators[0].evaluations, (std::vector<double>{4, 0}));
  Result<Profile> large =
      parse("<item value=\"x\" evaluation=\"4\"/><item value=\"q\" evaluation=\"8\"/>");
  ASSERT_TRUE(large.ok()) << large.status().ToString();
  EXPECT_FALSE(large->evaluators[0].divide_by_max);
  EXPECT_DOUBLE_EQ(large->evaluators[0].Evaluate(space.issue(0), 0), 0.5);
  ExpectError(
      parse("<item value=\"p\" evaluation=\"4\"/><item value=\"q\"/>").status(),
      StatusCode::kInvalidArgument,
      "e.xml: line 1: issue 'a': none of its 2 items is a value of the domain (first: 'p')");
}

TEST(GeniusProfileTest, MatchesIssuesByNameThenPosition) {
  OutcomeSpace space = TwoIssues();
  // Listed in the other order with other indices: the names decide.
  Result<Profile> by_name = ParseGeniusProfile(
      "<utility_space><weight index=\"7\" value=\"0.3\"/><weight index=\"9\" value=\"0.7\"/>"
      "<issue index=\"7\" name=\"b\"><item value=\"z\" evaluation=\"1\"/></issue>"
      "<issue index=\"9\" name=\"a\"><item value=\"y\" evaluation=\"1\"/></issue></utility_space>",
      space, "n.xml");
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ(by_name->weights, (std::vector<double>{0.7, 0.3}));
  EXPECT_EQ(by_name->evaluators[1].evaluations, (std::vector<double>{0, 1}));
  // Unknown names without the domain's indices: by position.
  Result<Profile> by_position = ParseGeniusProfile(
      "<utility_space><weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>"
      "<issue index=\"1\" name=\"A\"><item value=\"x\" evaluation=\"1\"/></issue>"
      "<issue index=\"2\" name=\"B\"><item value=\"z\" evaluation=\"1\"/></issue></utility_space>",
      space, "p.xml");
  ASSERT_TRUE(by_position.ok()) << by_position.status().ToString();
  EXPECT_EQ(by_position->evaluators[1].evaluations, (std::vector<double>{0, 1}));
}

TEST(GeniusProfileTest, ShiftsIntegerOffsetToTheDomainLowerBound) {
  OutcomeSpace space({Issue::Integer("n", 0, 10)});
  Result<Profile> p = ParseGeniusProfile(
      "<utility_space><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"n\" "
      "type=\"integer\" "
      "lowerbound=\"2\" upperbound=\"10\"><evaluator ftype=\"linear\" slope=\"0.125\" "
      "offset=\"0\"/></issue>"
      "</utility_space>",
      space, "i.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_DOUBLE_EQ(p->evaluators[0].Evaluate(space.issue(0), 2), 0.0);  // GENIUS: 0.125 * (2 - 2)
  EXPECT_DOUBLE_EQ(p->evaluators[0].Evaluate(space.issue(0), 6), 0.5);  // 0.125 * (6 - 2)
  EXPECT_DOUBLE_EQ(p->evaluators[0].Evaluate(space.issue(0), 10), 1.0);
}

TEST(GeniusProfileTest, OldIntegerAndConstantEvaluators) {
  OutcomeSpace space({Issue::Integer("n", 0, 4), Issue::Real("r", 0, 1)});
  Result<Profile> p = ParseGeniusProfile(
      "<utility_space><weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>"
      "<issue index=\"1\" name=\"n\" type=\"integer\"><evaluator etype=\"integer\" "
      "ftype=\"linear\" "
      "parameter0=\"1\" parameter1=\"-0.25\"/></issue>"
      "<issue index=\"2\" name=\"r\" type=\"real\"><evaluator ftype=\"constant\" "
      "parameter0=\"0.3\"/></issue>"
      "</utility_space>",
      space, "o.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->evaluators[0].kind, EvaluatorKind::kLinear);
  EXPECT_DOUBLE_EQ(p->evaluators[0].Evaluate(space.issue(0), 2), 0.5);
  EXPECT_EQ(p->evaluators[1].kind, EvaluatorKind::kConstant);
  EXPECT_DOUBLE_EQ(p->evaluators[1].p0, 0.3);
}

TEST(GeniusProfileTest, ErrorsNameFileLineAndIssue) {
  OutcomeSpace space({Issue::Discrete("a", {"x"}), Issue::Real("r", 0, 1)});
  const std::string head =
      "<utility_space>\n<weight index=\"1\" value=\"0.5\"/><weight index=\"2\" value=\"0.5\"/>\n";
  const std::string a =
      "<issue index=\"1\" name=\"a\"><item value=\"x\" evaluation=\"1\"/></issue>\n";
  const std::string r =
      "<issue index=\"2\" name=\"r\" type=\"real\"><evaluator ftype=\"linear\" parameter0=\"0\" "
      "parameter1=\"1\"/></issue>\n";
  struct Case {
    std::string xml;
    StatusCode code;
    std::string fragment;
  } cases[] = {
      {head + a + "</utility_space>", StatusCode::kInvalidArgument, "issue 'r' has no evaluation"},
      {"<utility_space>\n" + a + r + "</utility_space>", StatusCode::kInvalidArgument,
       "p.xml: line 2: issue 'a' has no <weight index=\"1\">"},
      {head + a + "<issue index=\"2\" name=\"r\" type=\"real\"/>\n</utility_space>",
       StatusCode::kInvalidArgument, "line 4: real issue 'r' has no <evaluator>"},
      {head + a +
           "<issue index=\"2\" name=\"r\"><evaluator ftype=\"faratin\"/></issue></utility_space>",
       StatusCode::kUnimplemented, "line 4: issue 'r': evaluator ftype 'faratin' is not supported"},
      {head + a + r + "<issue index=\"3\" name=\"zz\"><item value=\"x\"/></issue></utility_space>",
       StatusCode::kInvalidArgument, "line 5: issue 'zz' (index 3) is not in the domain"},
      {head + "<issue index=\"1\" name=\"a\"><item value=\"x\" evaluation=\"lots\"/></issue>\n" +
           r + "</utility_space>",
       StatusCode::kInvalidArgument, "line 3: <item> evaluation=\"lots\" is not a number"},
      {"<utility_space>\n<weight index=\"1\" value=\"-1\"/><weight index=\"2\" value=\"0.5\"/>\n" +
           a + r + "</utility_space>",
       StatusCode::kInvalidArgument, "issue 'a': weight -1 is not >= 0"},
      {"<utility_space>\n<weight index=\"1\" value=\"0.5\"/><weight index=\"1\" value=\"0.4\"/>\n" +
           a + r + "</utility_space>",
       StatusCode::kInvalidArgument, "line 2: two different weights for index 1"},
      {head +
           "<issue index=\"1\" name=\"a\"><evaluator ftype=\"linear\" parameter0=\"0\" "
           "parameter1=\"1\"/></issue>" +
           r + "</utility_space>",
       StatusCode::kInvalidArgument, "issue 'a': a discrete issue needs <item evaluation>"},
      {"<utility_space type=\"constraint\"><rules/></utility_space>", StatusCode::kInvalidArgument,
       "line 1: <rules> has no <ranks>"},
  };
  for (const Case& c : cases) {
    Result<Profile> p = ParseGeniusProfile(c.xml, space, "p.xml");
    ASSERT_FALSE(p.ok()) << c.xml;
    EXPECT_EQ(p.status().code(), c.code) << p.status().ToString();
    EXPECT_NE(p.status().message().find("p.xml: "), std::string::npos) << p.status().ToString();
    EXPECT_NE(p.status().message().find(c.fragment), std::string::npos) << p.status().ToString();
  }
}

// ---- Hyper-rectangles ------------------------------------------------------------------------

TEST(GeniusProfileTest, HyperRectanglesFollowGeniusSemantics) {
  Result<OutcomeSpace> space = ParseGeniusDomain(Fixture("grid_domain.xml"), "grid_domain.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  Result<Profile> p = ParseGeniusProfile(Fixture("grid_boxes.xml"), *space, "grid_boxes.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, ProfileKind::kHyperRectangles);
  EXPECT_EQ(p->max_utility, 100);
  EXPECT_EQ(p->discount, 0.5);
  EXPECT_EQ(p->reservation_value, 0.1);
  Result<Utility> u = Utility::Compile(*space, *p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  // NonlinearUtilitySpace by hand: INCLUDES pays inside, EXCLUDES pays outside, weight scales,
  // an empty rectangle pays everywhere; all divided by maxutility.
  for (uint32_t x = 0; x <= 4; ++x) {
    for (uint32_t y = 0; y <= 4; ++y) {
      for (uint32_t z = 1; z <= 3; ++z) {
        double expected = 5;
        if (x >= 1 && x <= 3 && z >= 2) expected += 40;
        if (!(y >= 1 && y <= 2 && z <= 2)) expected += 30;
        if (y == 4) expected += 20;
        Outcome o{x, y, z - 1};
        EXPECT_DOUBLE_EQ(u->Evaluate(o), expected / 100) << x << " " << y << " " << z;
      }
    }
  }
}

std::string Boxes(const std::string& body, const std::string& ufun_attrs = "aggregation=\"sum\"") {
  return "<utility_space type=\"nonlinear\"><objective>"
         "<issue index=\"1\" name=\"x\" type=\"integer\" lowerbound=\"0\" upperbound=\"4\"/>"
         "<issue index=\"2\" name=\"d\" type=\"discrete\"><item value=\"1\"/></issue>"
         "<utility maxutility=\"10\"><ufun " +
         ufun_attrs + ">\n" + body + "</ufun></utility></objective></utility_space>";
}

TEST(GeniusProfileTest, HyperRectangleErrors) {
  OutcomeSpace space({Issue::Integer("x", 0, 4), Issue::Discrete("d", {"1"})});
  struct Case {
    std::string xml;
    StatusCode code;
    std::string fragment;
  } cases[] = {
      {Boxes("<hyperRectangle utility=\"1\"><INCLUDES index=\"1\" min=\"0\" max=\"1\"/>"
             "<EXCLUDES index=\"1\" min=\"0\" max=\"1\"/></hyperRectangle>"),
       StatusCode::kInvalidArgument, "line 2: <hyperRectangle> mixes INCLUDES and EXCLUDES"},
      {Boxes("<hyperRectangle utility=\"1\"><EXCLUDES index=\"2\" min=\"0\" "
             "max=\"1\"/></hyperRectangle>"),
       StatusCode::kUnimplemented, "<EXCLUDES> on issue 'd' needs an integer issue"},
      {Boxes("<hyperRectangle utility=\"1\"><INCLUDES index=\"5\" min=\"0\" "
             "max=\"1\"/></hyperRectangle>"),
       StatusCode::kInvalidArgument, "<INCLUDES> index '5' names no issue"},
      {Boxes("<hyperRectangle utility=\"1\"><INCLUDES index=\"1\" min=\"3\" "
             "max=\"1\"/></hyperRectangle>"),
       StatusCode::kInvalidArgument, "min 3 > max 1"},
      {Boxes("<hyperRectangle><INCLUDES index=\"1\" min=\"0\" max=\"1\"/></hyperRectangle>"),
       StatusCode::kInvalidArgument, "<hyperRectangle> has no 'utility' attribute"},
      {Boxes("", "aggregation=\"max\""), StatusCode::kUnimplemented,
       "<ufun> aggregation 'max' is not supported"},
  };
  for (const Case& c : cases) {
    Result<Profile> p = ParseGeniusProfile(c.xml, space, "h.xml");
    ASSERT_FALSE(p.ok()) << c.xml;
    EXPECT_EQ(p.status().code(), c.code) << p.status().ToString();
    EXPECT_NE(p.status().message().find(c.fragment), std::string::npos) << p.status().ToString();
  }
}

TEST(GeniusProfileTest, NestedUfunWeightsMultiply) {
  OutcomeSpace space({Issue::Integer("x", 0, 4), Issue::Discrete("d", {"1"})});
  Result<Profile> p = ParseGeniusProfile(
      Boxes("<hyperRectangle utility=\"2\"/><ufun weight=\"0.5\" aggregation=\"sum\">"
            "<hyperRectangle utility=\"4\" weight=\"3\"/></ufun>"),
      space, "n.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rectangles.size(), 2u);
  EXPECT_EQ(p->rectangles[0].utility, 2);
  EXPECT_EQ(p->rectangles[1].utility, 6);  // 4 * 3 * 0.5
}

// ---- Writing ---------------------------------------------------------------------------------

OutcomeSpace WriterSpace() {
  return OutcomeSpace(
      {Issue::Discrete("colour \"&<name>\"", {"red & blue", "<green>", "it's", "tab\there"}),
       Issue::Integer("n", -3, 4), Issue::Real("r", 0.1, 2.7), Issue::Real("s", 0, 1, 0.25),
       Issue::Integer("m", 1, 3)});
}

TEST(GeniusWriterTest, DomainRoundTrips) {
  OutcomeSpace space = WriterSpace();
  Result<OutcomeSpace> back = ParseGeniusDomain(WriteGeniusDomain(space, "w"), "w.xml");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, space);
}

Profile LinearProfileWithEveryKind() {
  Profile p;
  p.weights = {0.1, 0.2, 0.3, 0.15, 0.25};
  Evaluator table;
  table.evaluations = {3, 0.5, 7.25, 0};
  Evaluator from_lower;
  from_lower.kind = EvaluatorKind::kLinearFromLower;
  from_lower.slope = 0.1;
  from_lower.offset = 0.3;
  Evaluator linear;
  linear.kind = EvaluatorKind::kLinear;
  linear.p0 = 0.1;
  linear.p1 = 1.0 / 3;
  Evaluator triangular;
  triangular.kind = EvaluatorKind::kTriangular;
  triangular.p0 = 0;
  triangular.p1 = 1;
  triangular.p2 = 0.4;
  Evaluator raw_table;
  raw_table.evaluations = {0.2, 0.6, 0.4};
  raw_table.divide_by_max = false;
  p.evaluators = {table, from_lower, linear, triangular, raw_table};
  p.discount = 0.87;
  p.reservation_value = 0.123456789;
  p.red_lines = {RedLine{RedLine::Kind::kForbid, 0, {1, 3}, 0, "never \"green\""},
                 RedLine{RedLine::Kind::kRequire, 4, {0}, 0, ""},
                 RedLine{RedLine::Kind::kAtMost, 2, {}, 2.5, ""},
                 RedLine{RedLine::Kind::kAtLeast, 1, {}, -1, "at least -1"}};
  return p;
}

TEST(GeniusWriterTest, LinearProfileWithEveryKindRoundTrips) {
  OutcomeSpace space = WriterSpace();
  Profile p = LinearProfileWithEveryKind();
  Evaluator constant;
  constant.kind = EvaluatorKind::kConstant;
  constant.p0 = 0.7;
  p.evaluators[3] = constant;
  for (int round = 0; round < 2; ++round) {
    Result<std::string> xml = WriteGeniusProfile(space, p);
    ASSERT_TRUE(xml.ok()) << xml.status().ToString();
    Result<Profile> back = ParseGeniusProfile(*xml, space, "p.xml");
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << *xml;
    EXPECT_EQ(*back, p) << *xml;
    p.evaluators[3] = LinearProfileWithEveryKind().evaluators[3];
    p.weights = {0.5, 0.5, 0.5, 0.5, 0.5};  // Kept as written, not renormalized.
  }
}

TEST(GeniusWriterTest, UndividedTableKeepsItsUtilityForGenius) {
  // GENIUS ignores Shuttle's attributes: drop them and the utilities must not change. (The reader
  // keeps weights as read, as GENIUS does, because generator="shuttle" stays.)
  OutcomeSpace space({Issue::Discrete("a", {"x", "y"}), Issue::Discrete("b", {"x", "y"})});
  Profile p;
  p.weights = {0.4, 0.6};
  Evaluator raw;
  raw.divide_by_max = false;
  raw.evaluations = {0.5, 0.25};
  Evaluator divided;
  divided.evaluations = {1, 3};
  p.evaluators = {raw, divided};
  Result<std::string> xml = WriteGeniusProfile(space, p);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  std::string genius_view = *xml;
  for (const std::string attr : {" divide_by_max=\"false\"", " shuttle_value=\"0.4\""}) {
    size_t at = genius_view.find(attr);
    ASSERT_NE(at, std::string::npos) << attr << "\n" << *xml;
    genius_view.erase(at, attr.size());
  }
  Result<Profile> back = ParseGeniusProfile(genius_view, space, "g.xml");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  Result<Utility> original = Utility::Compile(space, p), seen = Utility::Compile(space, *back);
  ASSERT_TRUE(original.ok() && seen.ok());
  for (uint32_t a = 0; a < 2; ++a) {
    for (uint32_t b = 0; b < 2; ++b)
      EXPECT_DOUBLE_EQ(seen->Evaluate({a, b}), original->Evaluate({a, b}));
  }
}

TEST(GeniusWriterTest, HyperRectangleProfileRoundTrips) {
  OutcomeSpace space({Issue::Integer("x", 0, 9), Issue::Integer("y", 1, 5)});
  Profile p;
  p.kind = ProfileKind::kHyperRectangles;
  p.max_utility = 662;
  p.rectangles = {HyperRectangle{97, {{0, 2, 7}, {1, 1, 1}}}, HyperRectangle{3.5, {}},
                  HyperRectangle{12, {{1, 2, 5}}}};
  p.discount = 0.25;
  p.reservation_value = 0.3;
  p.red_lines = {RedLine{RedLine::Kind::kForbid, 1, {0}, 0, ""}};
  Result<std::string> xml = WriteGeniusProfile(space, p);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  Result<Profile> back = ParseGeniusProfile(*xml, space, "h.xml");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p) << *xml;
}

TEST(GeniusWriterTest, RefusesWhatGeniusCannotExpress) {
  OutcomeSpace space({Issue::Discrete("a", {"1", "2"})});
  Profile p;
  p.weights = {1};
  Evaluator linear;
  linear.kind = EvaluatorKind::kLinear;
  linear.p1 = 1;
  p.evaluators = {linear};
  ExpectError(WriteGeniusProfile(space, p).status(), StatusCode::kInvalidArgument,
              "issue 'a': GENIUS XML has no linear evaluator for a discrete issue");
  p.weights = {};
  ExpectError(WriteGeniusProfile(space, p).status(), StatusCode::kInvalidArgument, "0 weights");
}

TEST(GeniusWriterTest, RefusesPiecewiseNamingTheIssue) {
  OutcomeSpace space({Issue::Integer("n", 1, 3), Issue::Real("price", 24000, 28000, 1000)});
  Profile p;
  p.weights = {0.5, 0.5};
  Evaluator constant;
  constant.kind = EvaluatorKind::kConstant;
  constant.p0 = 1;
  Evaluator piecewise;
  piecewise.kind = EvaluatorKind::kPiecewise;
  piecewise.points = {{24000, 1}, {26000, 0.7}, {28000, 0}};
  p.evaluators = {constant, piecewise};
  ExpectError(WriteGeniusProfile(space, p).status(), StatusCode::kInvalidArgument,
              "issue 'price': a piecewise evaluator has no GENIUS XML form");
  // Nor on an integer issue, where items would be a way out: the evaluator is not a table.
  p.evaluators = {piecewise, constant};
  p.evaluators[0].points = {{1, 0}, {3, 1}};
  ExpectError(WriteGeniusProfile(space, p).status(), StatusCode::kInvalidArgument,
              "issue 'n': a piecewise evaluator has no GENIUS XML form");
}

TEST(GeniusWriterTest, RefusesATableOnARealIssue) {
  OutcomeSpace space({Issue::Real("s", 0, 1, 0.5)});
  Profile p;
  p.weights = {1};
  Evaluator table;
  table.evaluations = {0, 1, 0.5};
  p.evaluators = {table};
  ExpectError(WriteGeniusProfile(space, p).status(), StatusCode::kInvalidArgument,
              "issue 's': a table on a real issue has no GENIUS XML form");
}

TEST(GeniusXmlTest, RedLineErrorsNameTheElement) {
  OutcomeSpace space({Issue::Discrete("a", {"x", "y"})});
  const std::string head =
      "<utility_space><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"a\"><item "
      "value=\"x\" "
      "evaluation=\"1\"/></issue>\n";
  struct Case {
    std::string red_line, fragment;
  } cases[] = {
      {"<red_line kind=\"never\" issue=\"a\"/>", "line 2: <red_line> kind 'never' is not forbid"},
      {"<red_line kind=\"forbid\" issue=\"b\" values=\"0\"/>",
       "<red_line> issue 'b' is not in the domain"},
      {"<red_line kind=\"forbid\" issue=\"a\" values=\"0 2\"/>",
       "on issue 'a': '2' is not a value index"},
      {"<red_line kind=\"at_most\" issue=\"a\"/>", "<red_line> has no 'bound' attribute"},
  };
  for (const Case& c : cases) {
    ExpectError(ParseGeniusProfile(head + c.red_line + "</utility_space>", space, "r.xml").status(),
                StatusCode::kInvalidArgument, c.fragment);
  }
}

// ---- Robustness ------------------------------------------------------------------------------

TEST(GeniusXmlTest, SurvivesTruncatedAndCorruptedFiles) {
  OutcomeSpace space = Holiday();
  const std::string files[] = {Fixture("holiday_domain.xml"), Fixture("bob.xml"),
                               Fixture("grid_boxes.xml")};
  int parsed = 0;
  for (const std::string& text : files) {
    for (size_t cut = 0; cut < text.size(); cut += 3) {
      parsed += ParseGeniusDomain(text.substr(0, cut), "t.xml").ok();
      parsed += ParseGeniusProfile(text.substr(0, cut), space, "t.xml").ok();
      std::string corrupt = text;
      corrupt[cut] = "<&\"\0>x"[cut % 6];
      parsed += ParseGeniusDomain(corrupt, "c.xml").ok();
      parsed += ParseGeniusProfile(corrupt, space, "c.xml").ok();
    }
  }
  EXPECT_GT(parsed, 0);  // Some corruptions are harmless; none may crash.
}

// Each of these would be quadratic or allocate without bound if done naively.
TEST(GeniusXmlTest, LargeHostileInputsStayLinearAndBounded) {
  std::string ampersands = Domain("<issue name=\"" + std::string(300000, '&') +
                                  "\" type=\"integer\" "
                                  "lowerbound=\"0\" upperbound=\"1\"/>");
  EXPECT_TRUE(ParseGeniusDomain(ampersands, "amp.xml").ok());
  std::string items, evaluated, weights;
  for (int k = 0; k < 20000; ++k) {
    items += "<item value=\"v" + std::to_string(k) + "\"/>";
    evaluated +=
        "<item value=\"v" + std::to_string(k) + "\" evaluation=\"" + std::to_string(k % 7) + "\"/>";
  }
  Result<OutcomeSpace> space = ParseGeniusDomain(
      Domain("<issue name=\"a\" type=\"discrete\">" + items + "</issue>"), "big.xml");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  Result<Profile> p = ParseGeniusProfile(
      "<utility_space><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"a\">" + evaluated +
          "</issue></utility_space>",
      *space, "big.xml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->evaluators[0].evaluations[19999], 19999 % 7);
  OutcomeSpace huge({Issue::Integer("n", 0, int64_t{1} << 50)});
  ExpectError(ParseGeniusProfile(
                  "<utility_space><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"n\">"
                  "<item value=\"3\" evaluation=\"1\"/></issue></utility_space>",
                  huge, "huge.xml")
                  .status(),
              StatusCode::kInvalidArgument, "values are too many for a table");
}

TEST(GeniusXmlTest, LooksLikeProfileTellsProfilesFromDomains) {
  EXPECT_FALSE(io_internal::LooksLikeGeniusProfile(Fixture("holiday_domain.xml")));
  EXPECT_TRUE(io_internal::LooksLikeGeniusProfile(Fixture("alice.xml")));
  EXPECT_TRUE(io_internal::LooksLikeGeniusProfile(Fixture("grid_boxes.xml")));
  EXPECT_FALSE(io_internal::LooksLikeGeniusProfile("not xml"));
}

}  // namespace
}  // namespace shuttle
