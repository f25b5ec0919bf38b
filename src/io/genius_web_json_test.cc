#include <gtest/gtest.h>

#include <string>

#include "io/genius_web_json_internal.h"
#include "io/testing.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

using io_testing::ExpectError;

std::string WebFixture(const std::string& name) { return io_testing::Fixture("web/" + name); }

OutcomeSpace Trip() {
  Result<OutcomeSpace> space = ParseGeniusWebDomain(WebFixture("trip.json"), "trip.json");
  EXPECT_TRUE(space.ok()) << space.status().ToString();
  return space.ok() ? *space : OutcomeSpace();
}

TEST(GeniusWebJsonTest, DomainKeepsIssueOrderAndReadsRanges) {
  OutcomeSpace space = Trip();
  ASSERT_EQ(space.issue_count(), 3u);
  EXPECT_EQ(space.issue(0), Issue::Discrete("place", {"Kyoto", "Osaka", "Nara"}));
  EXPECT_EQ(space.issue(1), Issue::Integer("days", 2, 6));         // Integers, step 1.
  EXPECT_EQ(space.issue(2), Issue::Real("budget", 100, 300, 50));  // Other steps: a real grid.
  EXPECT_EQ(space.cardinality().ToU64(), 3u * 5 * 5);
}

TEST(GeniusWebJsonTest, ProfileReadsUtilitiesWeightsAndReservationBid) {
  OutcomeSpace space = Trip();
  Result<Profile> p = ParseGeniusWebProfile(WebFixture("trip_a.json"), space, "trip_a.json");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->weights, (std::vector<double>{0.5, 0.3, 0.2}));  // Domain order, not file order.
  const Evaluator& place = p->evaluators[0];
  EXPECT_EQ(place.kind, EvaluatorKind::kTable);
  EXPECT_FALSE(place.divide_by_max);
  EXPECT_EQ(place.evaluations, (std::vector<double>{0.8, 0.4, 0.1}));
  const Evaluator& days = p->evaluators[1];
  EXPECT_EQ(days.kind, EvaluatorKind::kLinear);
  EXPECT_DOUBLE_EQ(days.Evaluate(space.issue(1), 0), 0.2);              // (2, 0.2)
  EXPECT_DOUBLE_EQ(days.Evaluate(space.issue(1), 4), 1.0);              // (6, 1)
  EXPECT_DOUBLE_EQ(p->evaluators[2].Evaluate(space.issue(2), 2), 0.5);  // budget 200
  // Bid (Osaka, 4, 200): 0.5 * 0.4 + 0.3 * 0.6 + 0.2 * 0.5.
  EXPECT_DOUBLE_EQ(p->reservation_value, 0.48);
}

TEST(GeniusWebJsonTest, MissingValueUtilitiesAreZeroAndNullBidMeansNoReservation) {
  OutcomeSpace space = Trip();
  Result<Profile> p = ParseGeniusWebProfile(WebFixture("trip_b.json"), space, "trip_b.json");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->evaluators[0].evaluations, (std::vector<double>{0.2, 0, 1.0}));
  EXPECT_EQ(p->reservation_value, 0);
}

TEST(GeniusWebJsonTest, DomainFromProfileAndNumericLabels) {
  Result<io_internal::GeniusWebDomain> d =
      io_internal::ParseGeniusWebDomainJson(WebFixture("trip_a.json"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->name, "trip");
  EXPECT_EQ(d->space, Trip());
  Result<OutcomeSpace> numeric =
      ParseGeniusWebDomain(R"({"issuesValues": {"n": {"values": [1, 2.5, "x"]}}})", "n.json");
  ASSERT_TRUE(numeric.ok()) << numeric.status().ToString();
  EXPECT_EQ(numeric->issue(0).labels(), (std::vector<std::string>{"1", "2.5", "x"}));
}

TEST(GeniusWebJsonTest, PartialReservationBidCountsOnlyItsIssues) {
  OutcomeSpace space({Issue::Discrete("a", {"x", "y"}), Issue::Discrete("b", {"x", "y"})});
  Result<Profile> p = ParseGeniusWebProfile(R"({"LinearAdditiveUtilitySpace": {
      "issueWeights": {"a": 0.25, "b": 0.75},
      "issueUtilities": {"a": {"discreteutils": {"valueUtilities": {"x": 1, "y": 0}}},
                         "b": {"discreteutils": {"valueUtilities": {"x": 1, "y": 0.5}}}},
      "domain": {"issuesValues": {"a": {"values": ["x", "y"]}, "b": {"values": ["x", "y"]}}},
      "reservationBid": {"issuevalues": {"b": "y"}}}})",
                                            space, "p.json");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_DOUBLE_EQ(p->reservation_value, 0.375);
}

TEST(GeniusWebJsonTest, ErrorsNameTheField) {
  OutcomeSpace space({Issue::Discrete("a", {"x", "y"})});
  auto profile = [](const std::string& weights, const std::string& utilities,
                    const std::string& bid = "null") {
    return R"({"LinearAdditiveUtilitySpace": {"issueWeights": )" + weights +
           R"(, "issueUtilities": )" + utilities +
           R"(, "domain": {"issuesValues": {"a": {"values": ["x", "y"]}}}, "reservationBid": )" +
           bid + "}}";
  };
  const std::string good_u = R"({"a": {"discreteutils": {"valueUtilities": {"x": 1}}}})";
  struct Case {
    std::string json;
    StatusCode code;
    std::string fragment;
  } cases[] = {
      {"{\n\"a\": [1,\n2,,]}", StatusCode::kCorruption,
       "p.json: line 3: malformed JSON: syntax error"},
      {profile("{}", good_u), StatusCode::kInvalidArgument,
       "field 'LinearAdditiveUtilitySpace.issueWeights.a': is missing"},
      {profile(R"({"a": "heavy"})", good_u), StatusCode::kInvalidArgument,
       "field 'LinearAdditiveUtilitySpace.issueWeights.a': \"heavy\" is not a number"},
      {profile(R"({"a": 1})", R"({"a": {"discreteutils": {"valueUtilities": {"z": 1}}}})"),
       StatusCode::kInvalidArgument,
       "field 'LinearAdditiveUtilitySpace.issueUtilities.a.discreteutils.valueUtilities.z'"},
      {profile(R"({"a": 1})", R"({"a": {"sumutils": {}}})"), StatusCode::kInvalidArgument,
       "has neither 'discreteutils' nor 'numberutils'"},
      {profile(R"({"a": 1})", R"({"a": {"numberutils": {"lowValue": 1}}})"),
       StatusCode::kInvalidArgument, "numberutils.lowUtility': is missing"},
      {profile(
           R"({"a": 1})",
           R"({"a": {"numberutils": {"lowValue": 1, "lowUtility": 0, "highValue": 2, "highUtility": 1}}})"),
       StatusCode::kInvalidArgument,
       "issueUtilities.a.numberutils': numberutils on a discrete issue"},
      {profile(R"({"a": 1})", good_u, R"({"issuevalues": {"a": "q"}})"),
       StatusCode::kInvalidArgument,
       "reservationBid.issuevalues.a': 'q' is not a value of the domain"},
      {profile(R"({"a": -1})", good_u), StatusCode::kInvalidArgument, "weight -1 is not >= 0"},
      {R"({"SumOfGroupsUtilitySpace": {}})", StatusCode::kUnimplemented,
       "only GeniusWeb LinearAdditiveUtilitySpace profiles are supported (found "
       "'SumOfGroupsUtilitySpace')"},
      {"[1, 2]", StatusCode::kInvalidArgument, "the document is not an object"},
  };
  for (const Case& c : cases) {
    Result<Profile> p = ParseGeniusWebProfile(c.json, space, "p.json");
    ASSERT_FALSE(p.ok()) << c.json;
    EXPECT_EQ(p.status().code(), c.code) << p.status().ToString();
    EXPECT_NE(p.status().message().find("p.json: "), std::string::npos) << p.status().ToString();
    EXPECT_NE(p.status().message().find(c.fragment), std::string::npos) << p.status().ToString();
  }
}

TEST(GeniusWebJsonTest, NumberUtilitiesMustBeALineOverTheWholeRange) {
  OutcomeSpace space({Issue::Integer("n", 0, 10)});
  auto parse = [&](const std::string& utils) {
    return ParseGeniusWebProfile(
        R"({"LinearAdditiveUtilitySpace": {"issueWeights": {"n": 1}, "issueUtilities": )"
        R"({"n": {"numberutils": )" +
            utils + R"(}}, "domain": {}}})",
        space, "n.json");
  };
  Result<Profile> wide =
      parse(R"({"lowValue": -10, "lowUtility": 0, "highValue": 10, "highUtility": 1})");
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  EXPECT_DOUBLE_EQ(wide->evaluators[0].Evaluate(space.issue(0), 0), 0.5);
  ExpectError(
      parse(R"({"lowValue": 2, "lowUtility": 0, "highValue": 10, "highUtility": 1})").status(),
      StatusCode::kInvalidArgument, "[2, 10] does not span the issue's range [0, 10]");
  ExpectError(
      parse(R"({"lowValue": 0, "lowUtility": 0, "highValue": 0, "highUtility": 1})").status(),
      StatusCode::kInvalidArgument, "highValue 0 is not above lowValue 0");
  ExpectError(
      parse(R"({"lowValue": 0, "lowUtility": 0, "highValue": 10, "highUtility": 2})").status(),
      StatusCode::kInvalidArgument, "utilities are not in [0, 1]");
}

TEST(GeniusWebJsonTest, DomainErrorsNameTheField) {
  struct Case {
    std::string json, fragment;
  } cases[] = {
      {R"({"name": "x"})", "field 'issuesValues': is missing"},
      {R"({"issuesValues": {}})", "field 'issuesValues': is not a non-empty object"},
      {R"({"issuesValues": {"a": {"values": []}}})",
       "field 'issuesValues.a.values': is not a non-empty array"},
      {R"({"issuesValues": {"a": {"values": ["x", "x"]}}})", "value 'x' is listed twice"},
      {R"({"issuesValues": {"a": {"values": [null]}}})", "null is not a value"},
      {R"({"issuesValues": {"a": {"range": {"low": 5, "high": 1}}}})",
       "issuesValues.a.range': low 5 > high 1"},
      {R"({"issuesValues": {"a": {"other": 1}}})", "has neither 'values' nor 'range'"},
      {R"({"issuesValues": {"a": {"range": {"low": 1e999, "high": 2}}}})", "malformed JSON"},
  };
  for (const Case& c : cases) {
    Result<OutcomeSpace> d = ParseGeniusWebDomain(c.json, "d.json");
    ASSERT_FALSE(d.ok()) << c.json;
    EXPECT_NE(d.status().message().find(c.fragment), std::string::npos) << d.status().ToString();
  }
}

TEST(GeniusWebJsonTest, DetectsWhatAJsonTextHolds) {
  using io_internal::DetectJsonKind;
  using io_internal::JsonKind;
  EXPECT_EQ(DetectJsonKind(WebFixture("trip.json")), JsonKind::kGeniusWebDomain);
  EXPECT_EQ(DetectJsonKind(WebFixture("trip_a.json")), JsonKind::kGeniusWebProfile);
  EXPECT_EQ(DetectJsonKind(" {\"format\": \"shuttle-scenario\", \"version\": 1}"),
            JsonKind::kShuttleScenario);
  EXPECT_EQ(DetectJsonKind("{\"x\": 1}"), JsonKind::kOther);
  EXPECT_EQ(DetectJsonKind("{broken"), JsonKind::kSyntaxError);
  EXPECT_NE(io_internal::JsonSyntaxError("{\n\"a\": 1,, }").find("line 2, column 8"),
            std::string::npos);
  EXPECT_EQ(io_internal::JsonSyntaxError("{\"a\": 1}"), "");
  EXPECT_EQ(DetectJsonKind("<utility_space/>"), JsonKind::kNotJson);
}

TEST(GeniusWebJsonTest, ManyIssuesKeepOrderWithoutQuadraticLookups) {
  std::string json = "{\"issuesValues\": {";
  for (int k = 60000; k > 0; --k)
    json += "\"i" + std::to_string(k) + "\": {\"values\": [\"a\", \"b\"]},";
  json.back() = '}';
  json += "}";
  Result<OutcomeSpace> space = ParseGeniusWebDomain(json, "many.json");
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  ASSERT_EQ(space->issue_count(), 60000u);
  EXPECT_EQ(space->issue(0).name(), "i60000");  // Document order, not sorted.
  EXPECT_EQ(space->issue(59999).name(), "i1");
}

TEST(GeniusWebJsonTest, SurvivesTruncatedAndCorruptedFiles) {
  OutcomeSpace space = Trip();
  std::string text = WebFixture("trip_a.json");
  for (size_t cut = 0; cut < text.size(); cut += 2) {
    (void)ParseGeniusWebProfile(text.substr(0, cut), space, "t.json");
    (void)ParseGeniusWebDomain(text.substr(0, cut), "t.json");
    std::string corrupt = text;
    corrupt[cut] = "{}[]\":,0\xff"[cut % 9];
    (void)ParseGeniusWebProfile(corrupt, space, "c.json");
    (void)ParseGeniusWebDomain(corrupt, "c.json");
    (void)io_internal::DetectJsonKind(corrupt);
  }
  std::string deep(100000, '[');  // Unterminated: the depth limit is met first.
  ExpectError(ParseGeniusWebDomain(deep, "deep.json").status(), StatusCode::kCorruption,
              "nesting deeper than 64");
  deep += std::string(100000, ']');
  ExpectError(ParseGeniusWebDomain(deep, "deep.json").status(), StatusCode::kCorruption,
              "nesting deeper than 64");
  ExpectError(ParseGeniusWebDomain(R"({"name": "a", "name": "b"})", "dup.json").status(),
              StatusCode::kCorruption, "duplicate key 'name'");
}

}  // namespace
}  // namespace shuttle
