#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <regex>
#include <string>

#include "shuttle/io.h"

namespace shuttle {
namespace {

// A scenario exercising every issue type and evaluator kind, written by hand.
constexpr const char* kFull = R"({
  "format": "shuttle-scenario", "version": 1,
  "name": "car", "description": "a test",
  "issues": [
    {"name": "color", "type": "discrete", "values": ["red", "blue", "green"]},
    {"name": "doors", "type": "integer", "lower": 2, "upper": 5},
    {"name": "price", "type": "real", "lower": 10, "upper": 20, "step": 2.5},
    {"name": "speed", "type": "real", "lower": 0, "upper": 1}
  ],
  "parties": [
    {"name": "buyer", "profile": {
      "weights": {"speed": 0.1, "color": 0.4, "doors": 0.2, "price": 0.3},
      "evaluators": {
        "color": {"table": {"blue": 3, "red": 6, "green": 1.5}},
        "doors": {"linear_from_lower": {"slope": 0.25, "offset": 0.5}},
        "price": {"linear": {"p0": 2, "p1": -0.1}},
        "speed": {"triangular": {"lower": 0, "peak": 0.5, "upper": 1}}
      },
      "reservation_value": 0.25, "discount": 0.9,
      "red_lines": [{"issue": "color", "forbid": ["green"], "note": "hates green"},
                    {"issue": "doors", "require": [4, "5"]},
                    {"issue": "price", "at_most": 17.5}]
    }},
    {"name": "seller", "profile": {
      "kind": "linear_additive",
      "weights": [0.25, 0.25, 0.25, 0.25],
      "evaluators": [{"table": [1, 0.5, 0], "divide_by_max": false}, {"table": {"2": 1, "3": 0, "4": 0, "5": 0}},
                     {"constant": 0.5}, {"linear": {"p1": 1}}],
      "red_lines": [{"issue": "price", "at_least": 12}]
    }},
    {"name": "broker", "profile": {
      "kind": "hyper_rectangles", "max_utility": 10,
      "rectangles": [{"utility": 4, "bounds": [{"issue": "doors", "min": 2, "max": 3}, {"issue": "price", "min": 10, "max": 15}]},
                     {"utility": -1, "bounds": []}]
    }}
  ],
  "agreement_rule": {"at_least": 2, "required": ["seller"]},
  "agenda": [{"name": "looks", "issues": ["color", "doors"]}, {"name": "money", "issues": ["price"], "deferred": true}],
  "metadata": {"source": "hand-written", "year": "2024"}
})";

Scenario MustParse(const std::string& text) {
  Result<Scenario> s = ParseScenarioJson(text, "test.json");
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Scenario{};
}

TEST(ScenarioJsonTest, ReadsEveryIssueTypeAndEvaluatorKind) {
  Scenario s = MustParse(kFull);
  EXPECT_EQ(s.name, "car");
  EXPECT_EQ(s.description, "a test");
  ASSERT_EQ(s.space.issue_count(), 4u);
  EXPECT_EQ(s.space.issue(0), Issue::Discrete("color", {"red", "blue", "green"}));
  EXPECT_EQ(s.space.issue(1), Issue::Integer("doors", 2, 5));
  EXPECT_EQ(s.space.issue(2), Issue::Real("price", 10, 20, 2.5));
  EXPECT_EQ(s.space.issue(3), Issue::Real("speed", 0, 1));
  ASSERT_EQ(s.parties.size(), 3u);

  const Profile& buyer = s.parties[0].profile;
  EXPECT_EQ(buyer.weights,
            (std::vector<double>{0.4, 0.2, 0.3, 0.1}));  // Issue order, not file order.
  EXPECT_EQ(buyer.evaluators[0].evaluations, (std::vector<double>{6, 3, 1.5}));
  EXPECT_TRUE(buyer.evaluators[0].divide_by_max);
  EXPECT_EQ(buyer.evaluators[1].kind, EvaluatorKind::kLinearFromLower);
  EXPECT_EQ(buyer.evaluators[1].slope, 0.25);
  EXPECT_EQ(buyer.evaluators[1].offset, 0.5);
  EXPECT_EQ(buyer.evaluators[2].kind, EvaluatorKind::kLinear);
  EXPECT_EQ(buyer.evaluators[2].p0, 2);
  EXPECT_EQ(buyer.evaluators[2].p1, -0.1);
  EXPECT_EQ(buyer.evaluators[3].kind, EvaluatorKind::kTriangular);
  EXPECT_EQ(buyer.evaluators[3].p2, 0.5);
  EXPECT_EQ(buyer.reservation_value, 0.25);
  EXPECT_EQ(buyer.discount, 0.9);
  ASSERT_EQ(buyer.red_lines.size(), 3u);
  EXPECT_EQ(buyer.red_lines[0].kind, RedLine::Kind::kForbid);
  EXPECT_EQ(buyer.red_lines[0].values, (std::vector<uint32_t>{2}));
  EXPECT_EQ(buyer.red_lines[0].note, "hates green");
  EXPECT_EQ(buyer.red_lines[1].values,
            (std::vector<uint32_t>{2, 3}));  // 4 and 5 are doors 2 + 2, 2 + 3.
  EXPECT_EQ(buyer.red_lines[2].kind, RedLine::Kind::kAtMost);
  EXPECT_EQ(buyer.red_lines[2].bound, 17.5);

  const Profile& seller = s.parties[1].profile;
  EXPECT_EQ(seller.reservation_value, 0);  // Defaults.
  EXPECT_EQ(seller.discount, 1);
  EXPECT_FALSE(seller.evaluators[0].divide_by_max);
  EXPECT_EQ(seller.evaluators[1].evaluations, (std::vector<double>{1, 0, 0, 0}));
  EXPECT_EQ(seller.evaluators[2].kind, EvaluatorKind::kConstant);
  EXPECT_EQ(seller.evaluators[3].p0, 0);
  EXPECT_EQ(seller.evaluators[3].p1, 1);

  const Profile& broker = s.parties[2].profile;
  EXPECT_EQ(broker.kind, ProfileKind::kHyperRectangles);
  EXPECT_EQ(broker.max_utility, 10);
  ASSERT_EQ(broker.rectangles.size(), 2u);
  EXPECT_EQ(broker.rectangles[0].bounds[1], (HyperRectangle::Bound{2, 10, 15}));
  EXPECT_TRUE(broker.rectangles[1].bounds.empty());

  ASSERT_EQ(s.agenda.size(), 2u);
  EXPECT_EQ(s.agenda[0].issues, (std::vector<int>{0, 1}));
  EXPECT_FALSE(s.agenda[0].deferred);
  EXPECT_TRUE(s.agenda[1].deferred);
  EXPECT_EQ(s.metadata.at("year"), "2024");
  EXPECT_EQ(s.rule.at_least, 2);
  EXPECT_EQ(s.rule.required, (std::vector<int>{1}));
}

TEST(ScenarioJsonTest, AgreementRuleIsWrittenByNameAndOmittedForUnanimity) {
  Scenario s = MustParse(kFull);
  std::string text = WriteScenarioJson(s);
  EXPECT_NE(text.find(R"("agreement_rule": {"at_least": 2, "required": ["seller"]})"),
            std::string::npos)
      << text;
  s.rule = AgreementRule{};
  EXPECT_EQ(WriteScenarioJson(s).find("agreement_rule"), std::string::npos);
  s.rule.required = {2, 0};  // Every party, two of them named: kept as written.
  Scenario back = MustParse(WriteScenarioJson(s));
  EXPECT_EQ(back.rule, s.rule);
  EXPECT_EQ(back.rule.Needed(3), 3);
}

TEST(ScenarioJsonTest, MinimalDocumentTakesDefaults) {
  Scenario s = MustParse(
      R"({"format": "shuttle-scenario", "version": 1, "name": "", "issues": [], "parties": []})");
  EXPECT_EQ(s, Scenario{});
}

TEST(ScenarioJsonTest, WrittenFullScenarioReadsBackEqualAndRewritesIdentically) {
  Scenario s = MustParse(kFull);
  std::string text = WriteScenarioJson(s);
  Scenario back = MustParse(text);
  EXPECT_EQ(back, s);
  EXPECT_EQ(WriteScenarioJson(back), text);
}

TEST(ScenarioJsonTest, WriterUsesNamesAndOmitsDefaults) {
  std::string text = WriteScenarioJson(MustParse(kFull));
  EXPECT_NE(text.find(R"("forbid": ["green"])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("require": [4, 5])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("table": {"red": 6.0, "blue": 3.0, "green": 1.5})"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("\"deferred\": false"), std::string::npos) << text;
  EXPECT_EQ(text.find("divide_by_max\": true"), std::string::npos) << text;
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LE(end - start, 100u) << text.substr(start, end - start);
  }
}

// Piecewise evaluators, and tables on real issues with a step.
constexpr const char* kPiecewise = R"({
  "format": "shuttle-scenario", "version": 1, "name": "piecewise",
  "issues": [
    {"name": "price", "type": "real", "lower": 22000, "upper": 30000, "step": 1000},
    {"name": "deposit", "type": "real", "lower": 24000, "upper": 24100, "step": 50},
    {"name": "doors", "type": "integer", "lower": 2, "upper": 5},
    {"name": "size", "type": "discrete", "values": ["2", "4", "huge"]}
  ],
  "parties": [
    {"name": "buyer", "profile": {
      "weights": {"price": 0.4, "deposit": 0.3, "doors": 0.2, "size": 0.1},
      "evaluators": {
        "price": {"piecewise": [[24000, 1], [26000, 0.7], [28000, 0]]},
        "deposit": {"table": {"24050": 0.5, "24000": 1, "24100.0": 0}},
        "doors": {"piecewise": [[3, 0.5]]},
        "size": {"piecewise": [[-1, 0.2], [1, 0.6], [4, 1]]}
      }
    }}
  ]
})";

TEST(ScenarioJsonTest, ReadsPiecewiseAndTablesOnSteppedReals) {
  Scenario s = MustParse(kPiecewise);
  ASSERT_EQ(s.parties.size(), 1u);
  const Profile& p = s.parties[0].profile;
  EXPECT_EQ(p.evaluators[0].kind, EvaluatorKind::kPiecewise);
  EXPECT_EQ(p.evaluators[0].points,
            (std::vector<std::pair<double, double>>{{24000, 1}, {26000, 0.7}, {28000, 0}}));
  EXPECT_EQ(p.evaluators[1].kind, EvaluatorKind::kTable);
  EXPECT_EQ(p.evaluators[1].evaluations, (std::vector<double>{1, 0.5, 0}));  // Value order.
  EXPECT_EQ(p.evaluators[2].points, (std::vector<std::pair<double, double>>{{3, 0.5}}));

  const Issue& price = s.space.issue(0);                       // 22000, 23000, ..., 30000
  EXPECT_DOUBLE_EQ(p.evaluators[0].Evaluate(price, 0), 1.0);   // 22000
  EXPECT_DOUBLE_EQ(p.evaluators[0].Evaluate(price, 3), 0.85);  // 25000
  EXPECT_DOUBLE_EQ(p.evaluators[0].Evaluate(price, 5), 0.35);  // 27000
  EXPECT_DOUBLE_EQ(p.evaluators[0].Evaluate(price, 8), 0.0);   // 30000
  const Issue& size = s.space.issue(3);
  EXPECT_DOUBLE_EQ(p.evaluators[3].Evaluate(size, 0), 0.6 + 0.4 / 3);  // "2"
  EXPECT_DOUBLE_EQ(p.evaluators[3].Evaluate(size, 2), 0.4);            // "huge" counts as 0.

  Result<Utility> u = Utility::Compile(s.space, p);
  ASSERT_TRUE(u.ok()) << u.status().message();
  // price 25000, deposit 24050, doors 5, size "4".
  EXPECT_DOUBLE_EQ(u->Evaluate({3, 1, 3, 1}), 0.4 * 0.85 + 0.3 * 0.5 + 0.2 * 0.5 + 0.1 * 1);
}

TEST(ScenarioJsonTest, PiecewiseAndRealTablesRoundTrip) {
  Scenario s = MustParse(kPiecewise);
  std::string text = WriteScenarioJson(s);
  EXPECT_NE(text.find(R"("piecewise": [[24000.0, 1.0], [26000.0, 0.7], [28000.0, 0.0]])"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("table": {"24000": 1.0, "24050": 0.5, "24100": 0.0})"), std::string::npos)
      << text;
  Scenario back = MustParse(text);
  EXPECT_EQ(back, s);
  EXPECT_EQ(WriteScenarioJson(back), text);
}

// ValueLabel keeps 6 digits ("1e+06" for both values below); table keys must tell them apart.
TEST(ScenarioJsonTest, RealTableKeysKeepEveryDigit) {
  Scenario s;
  s.name = "digits";
  s.space = OutcomeSpace({Issue::Real("price", 1000000, 1000000.5, 0.25)});
  Profile p;
  p.weights = {1};
  p.evaluators.resize(1);
  p.evaluators[0].evaluations = {0.25, 0.5, 1};
  s.parties.push_back({"a", p});
  ASSERT_TRUE(s.Validate().ok()) << s.Validate().message();
  std::string text = WriteScenarioJson(s);
  EXPECT_NE(text.find(R"({"1000000": 0.25, "1000000.25": 0.5, "1000000.5": 1.0})"),
            std::string::npos)
      << text;
  EXPECT_EQ(MustParse(text), s);
}

// ---- Errors: each names the source and the JSON path ----

struct BadCase {
  const char* name;
  std::string json;
  const char* message;  // Expected in the error, after "test.json: ".
  StatusCode code = StatusCode::kInvalidArgument;
};

// ctest lists the case by name, not as a dump of the struct's bytes.
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

// kFull with one substring replaced.
std::string Mutated(const std::string& from, const std::string& to) {
  std::string text = kFull;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

class ScenarioJsonErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ScenarioJsonErrorTest, NamesSourcePathAndCause) {
  const BadCase& c = GetParam();
  Result<Scenario> s = ParseScenarioJson(c.json, "test.json");
  ASSERT_FALSE(s.ok()) << c.name;
  EXPECT_EQ(s.status().code(), c.code) << s.status().message();
  EXPECT_EQ(s.status().message().rfind("test.json: ", 0), 0u) << s.status().message();
  EXPECT_NE(s.status().message().find(c.message), std::string::npos)
      << "got: " << s.status().message() << "\nwant: " << c.message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ScenarioJsonErrorTest,
    ::testing::Values(
        BadCase{"WeightCount", Mutated("[0.25, 0.25, 0.25, 0.25]", "[0.5, 0.5]"),
                "parties[1].profile.weights: expected 4 numbers, got 2"},
        BadCase{"Syntax", Mutated("\"version\": 1,", "\"version\": 1,,"), "line 2, column",
                StatusCode::kCorruption},
        BadCase{"Empty", "", "parse error", StatusCode::kCorruption},
        BadCase{"DuplicateKey", Mutated("\"reservation_value\": 0.25", "\"discount\": 0.5"),
                "parties[0].profile: duplicate key 'discount'", StatusCode::kCorruption},
        BadCase{"Deep", std::string(1000, '[') + std::string(1000, ']'), "nesting deeper than",
                StatusCode::kCorruption},
        BadCase{"NotObject", "[1, 2]", "expected an object, got an array of 2"},
        BadCase{"NoFormat", R"({"version": 1})", "missing field 'format'"},
        BadCase{"WrongFormat", Mutated("shuttle-scenario", "genius"), "format: 'genius' is not"},
        BadCase{"Version", Mutated("\"version\": 1", "\"version\": 2"),
                "version: version 2 is not supported"},
        BadCase{"UnknownTopField", Mutated("\"description\"", "\"descripton\""),
                "unknown field 'descripton' (did you mean 'description'?)"},
        BadCase{"UnknownProfileField", Mutated("\"reservation_value\"", "\"reservation\""),
                "parties[0].profile: unknown field 'reservation'"},
        BadCase{"WrongType", Mutated("\"discount\": 0.9", "\"discount\": \"0.9\""),
                "parties[0].profile.discount: expected a number, got a string"},
        BadCase{"BoolIsNotNumber", Mutated("\"upper\": 5", "\"upper\": true"),
                "issues[1].upper: expected an integer, got true"},
        BadCase{"FractionalInteger", Mutated("\"upper\": 5", "\"upper\": 5.5"),
                "issues[1].upper: expected an integer"},
        BadCase{"HugeNumber", Mutated("\"discount\": 0.9", "\"discount\": 1e999"), "overflow",
                StatusCode::kCorruption},
        BadCase{"DuplicateIssue", Mutated("\"name\": \"doors\"", "\"name\": \"color\""),
                "issues[1].name: duplicate issue name 'color'"},
        BadCase{"DuplicateValue", Mutated("\"blue\", \"green\"]", "\"blue\", \"red\"]"),
                "issues[0].values[2]: duplicate value 'red'"},
        BadCase{"EmptyValues", Mutated("[\"red\", \"blue\", \"green\"]", "[]"),
                "issues[0].values: a discrete issue needs"},
        BadCase{"UnknownType", Mutated("\"type\": \"integer\"", "\"type\": \"int\""),
                "issues[1].type: unknown issue type 'int'"},
        BadCase{"LowerAboveUpper",
                Mutated("\"lower\": 2, \"upper\": 5", "\"lower\": 6, \"upper\": 5"),
                "issues[1]: lower 6 > upper 5"},
        BadCase{"NegativeStep", Mutated("\"step\": 2.5", "\"step\": -1"),
                "issues[2].step: step -1 is negative"},
        BadCase{"TooFineStep", Mutated("\"step\": 2.5", "\"step\": 1e-9"),
                "issues[2].step: issue 'price': step"},
        BadCase{"UnknownIssueInWeights", Mutated("\"speed\": 0.1,", "\"sped\": 0.1,"),
                "parties[0].profile.weights: unknown issue 'sped' (did you mean 'speed'?)"},
        BadCase{"MissingWeight", Mutated("\"speed\": 0.1,", ""),
                "parties[0].profile.weights: missing issue 'speed'"},
        BadCase{"NegativeWeight", Mutated("\"speed\": 0.1,", "\"speed\": -0.1,"),
                "parties[0].profile.weights.speed: weight -0.1 is negative"},
        BadCase{"UnknownValue", Mutated("\"forbid\": [\"green\"]", "\"forbid\": [\"gren\"]"),
                "parties[0].profile.red_lines[0].forbid[0]: issue 'color' has no value 'gren' (did "
                "you mean 'green'?)"},
        BadCase{"IntegerValueOutOfRange", Mutated("[4, \"5\"]", "[4, 6]"),
                "red_lines[1].require[1]: issue 'doors' has no value 6 (range 2 to 5)"},
        BadCase{"RepeatedValue", Mutated("[4, \"5\"]", "[4, \"4\"]"),
                "red_lines[1].require[1]: value '4' is listed twice"},
        BadCase{"ValueOfRealIssue", Mutated("\"at_most\": 17.5", "\"forbid\": [10]"),
                "red_lines[2].forbid[0]: issue 'price' is real"},
        BadCase{"TwoRedLineKinds",
                Mutated("\"at_most\": 17.5", "\"at_most\": 17.5, \"at_least\": 1"),
                "red_lines[2]: both 'at_most' and 'at_least'"},
        BadCase{"TableMissingValue", Mutated("\"blue\": 3, ", ""),
                "parties[0].profile.evaluators.color.table: expected 3 evaluations (one per "
                "value), got 2"},
        BadCase{"TableUnknownValue", Mutated("\"blue\": 3", "\"blu\": 3"),
                "evaluators.color.table.blu: issue 'color' has no value 'blu'"},
        BadCase{"TableOnContinuousReal", Mutated("{\"linear\": {\"p1\": 1}}", "{\"table\": [1]}"),
                "parties[1].profile.evaluators[3].table: a table needs a finite issue: give the "
                "real issue a step ('speed' is continuous)"},
        BadCase{"TableOnSteppedRealMissingValue",
                Mutated("{\"constant\": 0.5}", "{\"table\": [1]}"),
                "parties[1].profile.evaluators[2].table: expected 5 evaluations (one per value), "
                "got 1"},
        BadCase{"TableOnSteppedRealUnknownValue",
                Mutated("{\"constant\": 0.5}",
                        "{\"table\": {\"10\": 1, \"12.5\": 1, \"15\": 1, \"17.5\": 1, "
                        "\"13\": 1}}"),
                "evaluators[2].table.13: issue 'price' has no value 13 (from 10 to 20 by "
                "2.5)"},
        BadCase{"TableOnSteppedRealValueTwice",
                Mutated("{\"constant\": 0.5}",
                        "{\"table\": {\"10\": 1, \"12.5\": 1, \"15\": 1, \"17.5\": 1, "
                        "\"17.50\": 1}}"),
                "value '17.5' is listed twice"},
        BadCase{"PiecewiseNoPoints", Mutated("{\"constant\": 0.5}", "{\"piecewise\": []}"),
                "parties[1].profile.evaluators[2].piecewise: a piecewise evaluator needs at least "
                "one point"},
        BadCase{"PiecewiseNotArray", Mutated("{\"constant\": 0.5}", "{\"piecewise\": 1}"),
                "evaluators[2].piecewise: expected an array, got the number 1"},
        BadCase{"PiecewisePointNotPair",
                Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, 1], [12]]}"),
                "evaluators[2].piecewise[1]: expected a point [x, v], got an array of 1"},
        BadCase{"PiecewiseNonNumber",
                Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, \"1\"]]}"),
                "evaluators[2].piecewise[0][1]: expected a number, got a string"},
        BadCase{"PiecewiseXNotAscending",
                Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, 1], [15, 0.5], [15, 0]]}"),
                "evaluators[2].piecewise[2][0]: x 15 is not above the previous point's 15 (issue "
                "'price')"},
        BadCase{"PiecewiseVAboveOne",
                Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, 1], [15, 1.25]]}"),
                "evaluators[2].piecewise[1][1]: v 1.25 is not in [0, 1] (issue 'price')"},
        BadCase{"PiecewiseVNegative",
                Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, -0.5]]}"),
                "evaluators[2].piecewise[0][1]: v -0.5 is not in [0, 1]"},
        BadCase{
            "PiecewiseWithDivideByMax",
            Mutated("{\"constant\": 0.5}", "{\"piecewise\": [[10, 1]], \"divide_by_max\": false}"),
            "evaluators[2].divide_by_max: only a table has divide_by_max"},
        BadCase{"PiecewiseAndConstant",
                Mutated("{\"constant\": 0.5}", "{\"constant\": 0.5, \"piecewise\": [[10, 1]]}"),
                "evaluators[2]: both 'constant' and 'piecewise'"},
        BadCase{"LinearFromLowerOnDiscrete",
                Mutated("{\"table\": [1, 0.5, 0], \"divide_by_max\": false}",
                        "{\"linear_from_lower\": {\"slope\": 1}}"),
                "evaluators[0].linear_from_lower: needs an integer issue; 'color' is discrete"},
        BadCase{"NoEvaluatorKind", Mutated("{\"constant\": 0.5}", "{}"),
                "evaluators[2]: expected one of table"},
        BadCase{"DivideByMaxOnLinear",
                Mutated("{\"constant\": 0.5}", "{\"constant\": 0.5, \"divide_by_max\": true}"),
                "evaluators[2].divide_by_max: only a table has divide_by_max"},
        BadCase{"UnknownParameter", Mutated("\"slope\": 0.25", "\"slop\": 0.25"),
                "evaluators.doors.linear_from_lower: unknown field 'slop' (did you mean 'slope'?)"},
        BadCase{"DiscountRange", Mutated("\"discount\": 0.9", "\"discount\": 1.5"),
                "parties[0].profile.discount: 1.5 is not in [0, 1]"},
        BadCase{"RectanglesInLinear",
                Mutated("\"kind\": \"linear_additive\",", "\"rectangles\": [],"),
                "parties[1].profile.rectangles: not a field of a linear_additive profile"},
        BadCase{"UnknownKind", Mutated("\"kind\": \"linear_additive\"", "\"kind\": \"linear\""),
                "parties[1].profile.kind: unknown profile kind 'linear'"},
        BadCase{"RectangleMinAboveMax",
                Mutated("\"min\": 10, \"max\": 15", "\"min\": 16, \"max\": 15"),
                "parties[2].profile.rectangles[0].bounds[1]: min 16 > max 15"},
        BadCase{"DuplicateParty", Mutated("\"name\": \"seller\"", "\"name\": \"buyer\""),
                "parties[1].name: duplicate party name 'buyer'"},
        BadCase{"MissingProfile",
                Mutated("\"name\": \"seller\", \"profile\"", "\"name\": \"seller\", \"profil\""),
                "parties[1]: unknown field 'profil'"},
        BadCase{"AgendaUnknownIssue", Mutated("[\"price\"]", "[\"prices\"]"),
                "agenda[1].issues[0]: unknown issue 'prices' (did you mean 'price'?)"},
        BadCase{"AgendaIssueTwice", Mutated("[\"price\"]", "[\"doors\"]"),
                "agenda[1].issues[0]: issue 'doors' is already in stage 'looks'"},
        BadCase{"RuleAtLeastTooLarge", Mutated("\"at_least\": 2", "\"at_least\": 4"),
                "agreement_rule.at_least: 4 is out of range 1..3 (the parties)"},
        BadCase{"RuleAtLeastZero", Mutated("\"at_least\": 2", "\"at_least\": 0"),
                "agreement_rule.at_least: 0 is out of range 1..3"},
        BadCase{"RuleUnknownParty", Mutated("[\"seller\"]", "[\"seler\"]"),
                "agreement_rule.required[0]: unknown party 'seler' (did you mean 'seller'?)"},
        BadCase{"RuleDuplicateParty", Mutated("[\"seller\"]", "[\"seller\", \"seller\"]"),
                "agreement_rule.required[1]: party 'seller' is listed twice"},
        BadCase{"RuleMoreRequiredThanNeeded",
                Mutated("[\"seller\"]", "[\"seller\", \"buyer\", \"broker\"]"),
                "agreement_rule.required: 3 parties are required but a deal needs only 2"},
        BadCase{"RuleUnknownField", Mutated("\"at_least\": 2", "\"atleast\": 2"),
                "agreement_rule: unknown field 'atleast' (did you mean 'at_least'?)"},
        BadCase{"MetadataNotString", Mutated("\"year\": \"2024\"", "\"year\": 2024"),
                "metadata.year: expected a string, got the number 2024"},
        BadCase{"PathQuotesOddKeys", Mutated("\"year\": \"2024\"", "\"the year\": 2024"),
                "metadata[\"the year\"]: expected a string"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(ScenarioJsonTest, InvalidUtf8IsAnErrorNotACrash) {
  std::string text = Mutated("\"car\"", "\"c\xff\"");
  Result<Scenario> s = ParseScenarioJson(text, "bad.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
}

// Every prefix and many byte flips of a valid document: an error or a scenario, never a crash.
TEST(ScenarioJsonTest, MangledInputNeverCrashes) {
  const std::string text = kFull;
  for (size_t n = 0; n < text.size(); n += 7)
    (void)ParseScenarioJson(text.substr(0, n), "cut.json");
  std::mt19937_64 rng(7);
  const std::string alphabet = "{}[]\",:0123456789.eE-+ truefalsnul\\ab";
  for (int round = 0; round < 2000; ++round) {
    std::string m = text;
    for (int k = 0; k < 3; ++k) m[rng() % m.size()] = alphabet[rng() % alphabet.size()];
    Result<Scenario> s = ParseScenarioJson(m, "flip.json");
    if (s.ok()) {
      EXPECT_TRUE(s->Validate().ok());
      EXPECT_EQ(ParseScenarioJson(WriteScenarioJson(*s), "again.json")->name, s->name);
    }
  }
}

// ---- Round trip of random scenarios ----

class RandomScenarios {
 public:
  explicit RandomScenarios(uint64_t seed) : rng_(seed) {}

  Scenario Next() {
    Scenario s;
    s.name = Name("scenario");
    if (Coin()) s.description = Name("about \"this\"\n\ttab \u00e9\u4e2d");
    std::vector<Issue> issues;
    int n = Int(0, 5);
    for (int i = 0; i < n; ++i) issues.push_back(RandomIssue(fmt_name("issue", i)));
    s.space = OutcomeSpace(std::move(issues));
    int parties = Int(0, 3);
    for (int k = 0; k < parties; ++k)
      s.parties.push_back({fmt_name("party", k), RandomProfile(s.space)});
    std::vector<int> order;
    for (int i = 0; i < n; ++i) order.push_back(i);
    std::shuffle(order.begin(), order.end(), rng_);
    for (size_t i = 0, k = 0; i < order.size(); ++k) {
      Stage stage{fmt_name("stage", static_cast<int>(k)), {}, Coin()};
      for (int take = Int(0, 2); take > 0 && i < order.size(); --take)
        stage.issues.push_back(order[i++]);
      if (stage.issues.empty() && Coin()) ++i;  // Not every issue needs a stage.
      s.agenda.push_back(stage);
    }
    for (int m = Int(0, 3); m > 0; --m) s.metadata[Name("key")] = Name("value");
    if (parties > 0 && Coin()) {
      s.rule.at_least = Coin() ? Int(1, parties) : 0;
      std::vector<int> who;
      for (int k = 0; k < parties; ++k) who.push_back(k);
      std::shuffle(who.begin(), who.end(), rng_);
      who.resize(Int(0, s.rule.Needed(parties)));
      s.rule.required = who;
    }
    return s;
  }

  // Any finite double, from its bits: subnormals, huge, negative zero and all.
  double AnyDouble() {
    for (;;) {
      double d = std::bit_cast<double>(static_cast<uint64_t>(rng_()));
      if (std::isfinite(d)) return d;
    }
  }

 private:
  bool Coin() { return rng_() % 2 == 0; }
  int Int(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  // A plain double, a "nice" one, or any bit pattern.
  double Number() {
    switch (rng_() % 3) {
      case 0: return Unit();
      case 1: return Int(-100, 100) / 4.0;
      default: return AnyDouble();
    }
  }
  std::string Name(const char* base) { return std::string(base) + std::to_string(rng_() % 1000); }
  static std::string fmt_name(const char* base, int i) {
    return std::string(base) + " " + std::to_string(i);
  }

  Issue RandomIssue(std::string name) {
    switch (rng_() % 4) {
      case 0: {
        std::vector<std::string> labels;
        for (int v = Int(1, 5); v > 0; --v)
          labels.push_back("label " + std::to_string(v) + (Coin() ? "\"q\"" : ""));
        return Issue::Discrete(std::move(name), labels);
      }
      case 1: {
        int64_t lower =
            Coin() ? Int(-50, 50) : static_cast<int64_t>(rng_() >> 2) * (Coin() ? 1 : -1);
        return Issue::Integer(std::move(name), lower, lower + Int(0, 6));
      }
      case 2: {
        double lower = Number(), width = Unit() * 10;
        return Issue::Real(std::move(name), lower, lower + width);
      }
      default: {
        double lower = Int(-5, 5) + Unit();
        return Issue::Real(std::move(name), lower, lower + Int(0, 10) * 0.25 + Unit(),
                           0.25 + Unit());
      }
    }
  }

  Evaluator RandomEvaluator(const Issue& issue) {
    Evaluator e;
    switch (rng_() % 6) {
      case 0:
        e.kind = EvaluatorKind::kLinear;
        e.p0 = Number();
        e.p1 = Number();
        break;
      case 1:
        e.kind = EvaluatorKind::kTriangular;
        e.p0 = Number();
        e.p1 = Number();
        e.p2 = Number();
        break;
      case 2:
        e.kind = EvaluatorKind::kConstant;
        e.p0 = Number();
        break;
      case 3:
        if (!issue.finite()) return RandomPiecewise();
        e.kind = EvaluatorKind::kTable;
        for (uint64_t v = 0; v < issue.size(); ++v) e.evaluations.push_back(Number());
        e.divide_by_max = Coin();
        break;
      case 4: return RandomPiecewise();
      default:
        if (issue.type() == IssueType::kInteger) {
          e.kind = EvaluatorKind::kLinearFromLower;
          e.slope = Number();
          e.offset = Number();
        } else {
          e.kind = EvaluatorKind::kConstant;
          e.p0 = Number();
        }
    }
    return e;
  }

  Evaluator RandomPiecewise() {
    Evaluator e;
    e.kind = EvaluatorKind::kPiecewise;
    double x = Coin() ? Unit() * 100 - 50 : Int(-100, 100) / 4.0;
    for (int k = Int(1, 4); k > 0; --k) {
      e.points.emplace_back(x, Coin() ? Unit() : Int(0, 1));
      x += Unit() + 1e-3;
    }
    return e;
  }

  RedLine RandomRedLine(const OutcomeSpace& space) {
    RedLine r;
    r.issue = Int(0, static_cast<int>(space.issue_count()) - 1);
    const Issue& issue = space.issue(r.issue);
    bool by_value = issue.type() != IssueType::kReal && Coin();
    if (by_value) {
      r.kind = Coin() ? RedLine::Kind::kForbid : RedLine::Kind::kRequire;
      for (uint32_t v = 0; v < issue.size(); ++v) {
        if (Coin()) r.values.push_back(v);
      }
      std::shuffle(r.values.begin(), r.values.end(), rng_);
    } else {
      r.kind = Coin() ? RedLine::Kind::kAtMost : RedLine::Kind::kAtLeast;
      r.bound = Number();
    }
    if (Coin()) r.note = Name("because ");
    return r;
  }

  Profile RandomProfile(const OutcomeSpace& space) {
    Profile p;
    if (rng_() % 4 == 0) {
      p.kind = ProfileKind::kHyperRectangles;
      for (int r = Int(0, 3); r > 0; --r) {
        HyperRectangle rect;
        rect.utility = Number();
        for (int b = space.issue_count() ? Int(0, 3) : 0; b > 0; --b) {
          double lo = Number();
          rect.bounds.push_back(
              {Int(0, static_cast<int>(space.issue_count()) - 1), lo, lo + Unit()});
        }
        p.rectangles.push_back(rect);
      }
      if (Coin()) p.max_utility = Number();
    } else {
      for (const Issue& issue : space.issues()) {
        p.weights.push_back(std::fabs(Number()));
        p.evaluators.push_back(RandomEvaluator(issue));
      }
    }
    if (Coin()) p.reservation_value = Number();
    if (Coin()) p.discount = Unit();
    for (int r = space.issue_count() ? Int(0, 3) : 0; r > 0; --r)
      p.red_lines.push_back(RandomRedLine(space));
    return p;
  }

  std::mt19937_64 rng_;
};

// Equality of every double by bits, which operator== (0.0 == -0.0) does not check.
void CollectDoubles(const Scenario& s, std::vector<double>* out) {
  for (const Issue& i : s.space.issues())
    out->insert(out->end(), {i.real_lower(), i.real_upper(), i.step()});
  for (const Party& party : s.parties) {
    const Profile& p = party.profile;
    out->insert(out->end(), {p.reservation_value, p.discount, p.max_utility});
    out->insert(out->end(), p.weights.begin(), p.weights.end());
    for (const Evaluator& e : p.evaluators) {
      out->insert(out->end(), e.evaluations.begin(), e.evaluations.end());
      out->insert(out->end(), {e.slope, e.offset, e.p0, e.p1, e.p2});
      for (const auto& [x, v] : e.points) out->insert(out->end(), {x, v});
    }
    for (const HyperRectangle& r : p.rectangles) {
      out->push_back(r.utility);
      for (const auto& b : r.bounds) out->insert(out->end(), {b.min, b.max});
    }
    for (const RedLine& r : p.red_lines) out->push_back(r.bound);
  }
}

TEST(ScenarioJsonTest, RandomScenariosRoundTripExactly) {
  RandomScenarios random(2024);
  for (int round = 0; round < 500; ++round) {
    Scenario s = random.Next();
    ASSERT_TRUE(s.Validate().ok()) << s.Validate().message();
    std::string text = WriteScenarioJson(s);
    Result<Scenario> back = ParseScenarioJson(text, "random.json");
    ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << text;
    ASSERT_EQ(*back, s) << text;
    std::vector<double> want, got;
    CollectDoubles(s, &want);
    CollectDoubles(*back, &got);
    ASSERT_EQ(want.size(), got.size());
    for (size_t k = 0; k < want.size(); ++k) {
      // Omitted defaults (0 and 1) come back as +0 and 1: only a -0 default may change sign.
      if (want[k] == 0 && got[k] == 0) continue;
      ASSERT_EQ(std::bit_cast<uint64_t>(want[k]), std::bit_cast<uint64_t>(got[k]))
          << want[k] << "\n"
          << text;
    }
    ASSERT_EQ(WriteScenarioJson(*back), text);
  }
}

TEST(ScenarioJsonTest, DoublesFromAnyBitPatternReadBackBitExact) {
  RandomScenarios random(99);
  Scenario s;
  s.space = OutcomeSpace({Issue::Real("x", 0, 1)});
  Profile p;
  p.weights = {1};
  p.evaluators.resize(1);
  p.evaluators[0].kind = EvaluatorKind::kTriangular;
  s.parties.push_back({"a", p});
  for (int round = 0; round < 20000; ++round) {
    Evaluator& e = s.parties[0].profile.evaluators[0];
    e.p0 = random.AnyDouble();
    e.p1 = random.AnyDouble();
    e.p2 = round % 2 ? -0.0 : std::numeric_limits<double>::denorm_min() * round;
    Result<Scenario> back = ParseScenarioJson(WriteScenarioJson(s), "bits.json");
    ASSERT_TRUE(back.ok()) << back.status().message();
    const Evaluator& b = back->parties[0].profile.evaluators[0];
    ASSERT_EQ(std::bit_cast<uint64_t>(b.p0), std::bit_cast<uint64_t>(e.p0)) << e.p0;
    ASSERT_EQ(std::bit_cast<uint64_t>(b.p1), std::bit_cast<uint64_t>(e.p1)) << e.p1;
    ASSERT_EQ(std::bit_cast<uint64_t>(b.p2), std::bit_cast<uint64_t>(e.p2)) << e.p2;
  }
}

TEST(ScenarioJsonTest, ExampleCarSaleLoads) {
  Result<std::string> text = ReadFile(std::string(SHUTTLE_SOURCE_DIR) + "/examples/car-sale.json");
  ASSERT_TRUE(text.ok()) << text.status().message();
  Result<Scenario> s = ParseScenarioJson(*text, "car-sale.json");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->parties.size(), 2u);
  EXPECT_TRUE(s->space.finite());
  bool has_red_line = false;
  for (const Party& party : s->parties) {
    has_red_line |= !party.profile.red_lines.empty();
    double sum = 0;
    for (double w : party.profile.weights) sum += w;
    EXPECT_NEAR(sum, 1, 1e-9) << party.name;
    EXPECT_GT(party.profile.reservation_value, 0) << party.name;
  }
  EXPECT_TRUE(has_red_line);
  EXPECT_EQ(*ParseScenarioJson(WriteScenarioJson(*s), "again"), *s);
}

// The complete example in docs/scenario-format.md, once its // comments are removed, is valid.
TEST(ScenarioJsonTest, DocumentedExampleParses) {
  Result<std::string> doc = ReadFile(std::string(SHUTTLE_SOURCE_DIR) + "/docs/scenario-format.md");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  size_t begin = doc->find("```jsonc\n");
  ASSERT_NE(begin, std::string::npos);
  begin += 9;
  std::string example = doc->substr(begin, doc->find("```", begin) - begin);
  example = std::regex_replace(example, std::regex(R"(\s+//[^\n]*)"), "");
  Result<Scenario> s = ParseScenarioJson(example, "scenario-format.md");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->parties.size(), 3u);
  EXPECT_EQ(s->parties[2].profile.kind, ProfileKind::kHyperRectangles);
  EXPECT_EQ(s->parties[1].profile.evaluators[1].evaluations,
            (std::vector<double>{0.2, 0.6, 1, 0.8}));
  EXPECT_EQ(s->agenda.size(), 3u);
}

}  // namespace
}  // namespace shuttle
