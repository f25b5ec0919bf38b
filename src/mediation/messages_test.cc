#include "mediation/messages.h"

#include <gtest/gtest.h>

#include "mediation/testing.h"

namespace shuttle::mediation_internal {
namespace {

using mediation_testing::Forbid;
using mediation_testing::Require;
using mediation_testing::TradeScenario;

TEST(MessagesTest, ConfidenceRoundTrips) {
  const OutcomeSpace space = TradeScenario().space;
  Confidence c;
  c.weights = std::vector<double>{0.5, 0.2, 0.3};
  c.values.emplace_back(0, std::vector<double>{1, 0.7, 0.3, 0});
  c.rankings.emplace_back(1, std::vector<uint32_t>{2, 0, 1});
  c.red_lines = std::vector<RedLine>{Forbid(0, {3}, "too expensive"), Require(2, {1})};
  c.reservation_value = 0.25;
  Result<Confidence> back = ParseConfidence(space, ConfidenceJson(space, c));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back->weights, *c.weights);
  EXPECT_EQ(back->values, c.values);
  EXPECT_EQ(back->rankings, c.rankings);
  EXPECT_EQ(*back->red_lines, *c.red_lines);
  EXPECT_EQ(*back->reservation_value, 0.25);
}

TEST(MessagesTest, ConfidenceErrorsNameTheProblem) {
  const OutcomeSpace space = TradeScenario().space;
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {"not json", "malformed JSON"},
      {R"({"weights": {"price": 1}, "weights": {"price": 0}})", "text: duplicate key 'weights'"},
      {deep.c_str(), "nesting deeper than 64 levels"},
      {"[1]", "expected a JSON object"},
      {"{}", "nothing confided"},
      {R"({"colour": 1})", "unknown field 'colour'"},
      {R"({"weights": {"price": 1}})", "missing issue 'delivery'"},
      {R"({"weights": {"price": -1, "delivery": 0, "warranty": 0}})", ">= 0"},
      {R"({"values": {"price": {"p0": 2, "p1": 0, "p2": 0, "p3": 0}}})", "not in [0, 1]"},
      {R"({"ranking": {"price": ["p9"]}})", "no value"},
      {R"({"red_lines": [{"issue": "size", "forbid": ["x"]}]})", "unknown issue 'size'"},
      {R"({"red_lines": [{"issue": "price"}]})", "exactly one of"},
      {R"({"reservation_value": "high"})", "expected a number"},
  };
  for (const Case& c : cases) {
    Result<Confidence> r = ParseConfidence(space, c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.json << " -> " << r.status().message();
  }
}

TEST(MessagesTest, ObjectionRoundTripsAndKeepsOrder) {
  const OutcomeSpace space = TradeScenario().space;
  Objection o;
  o.issues.push_back({2, true, {1}});
  o.issues.push_back({0, false, {}});
  o.below_reservation = true;
  Result<Objection> back = ParseObjection(space, ObjectionJson(space, o));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->issues.size(), 2u);
  EXPECT_EQ(back->issues[0].issue, 2);
  EXPECT_TRUE(back->issues[0].has_values);
  EXPECT_EQ(back->issues[0].could_live_with, std::vector<uint32_t>{1});
  EXPECT_EQ(back->issues[1].issue, 0);
  EXPECT_FALSE(back->issues[1].has_values);
  EXPECT_TRUE(back->below_reservation);
  EXPECT_FALSE(
      ParseObjection(space, R"({"issues": [{"issue": "price"}, {"issue": "price"}]})").ok());
  EXPECT_FALSE(
      ParseObjection(space, R"({"issues": [{"issue": "price", "could_live_with": ["nope"]}]})")
          .ok());
  EXPECT_FALSE(ParseObjection(space, R"({"issue": []})").ok());
}

// Integer and real issues: a run of neighbouring values is written as a range, any set reads back
// exactly, and a range names the values of the issue inside it.
TEST(MessagesTest, NumericValueSetsAreRangesAndRoundTrip) {
  const OutcomeSpace space({Issue::Integer("weeks", 1, 6), Issue::Real("price", 100, 200, 25),
                            Issue::Discrete("colour", {"red", "blue", "green"})});
  EXPECT_EQ(ValueSetJson(space, 0, {2, 3, 4, 5}), R"({"at_least":3})");
  EXPECT_EQ(ValueSetJson(space, 1, {0, 1}), R"({"at_most":125.0})");
  EXPECT_EQ(ValueSetJson(space, 1, {1, 2, 3}), R"({"at_least":125.0,"at_most":175.0})");
  EXPECT_EQ(ValueSetJson(space, 0, {0, 2}), R"(["1","3"])");  // Not one run.
  EXPECT_EQ(ValueSetJson(space, 2, {0, 1}), R"(["red","blue"])");
  for (int issue = 0; issue < 2; ++issue) {
    const uint32_t n = static_cast<uint32_t>(space.issue(issue).size());
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      Objection o;
      o.issues.push_back({issue, true, {}});
      for (uint32_t v = 0; v < n; ++v)
        if (mask & (1u << v)) o.issues[0].could_live_with.push_back(v);
      Result<Objection> back = ParseObjection(space, ObjectionJson(space, o));
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(back->issues[0].could_live_with, o.issues[0].could_live_with)
          << ObjectionJson(space, o);
    }
  }
  Result<Objection> typed = ParseObjection(
      space, R"({"issues": [{"issue": "price", "could_live_with": {"at_most": 160}}]})");
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  EXPECT_EQ(typed->issues[0].could_live_with, (std::vector<uint32_t>{0, 1, 2}));
  Result<Question> q =
      ParseQuestion(space, R"({"kind": "live_with", "issue": "weeks", "values": {"at_least": 5}})");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->values, (std::vector<uint32_t>{4, 5}));
  Result<Reply> r = ParseReply(space, *q, R"({"could_live_with": {"at_least": 6}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->values, std::vector<uint32_t>{5});
  struct Case {
    const char* json;
    const char* expect;
  } bad[] = {
      {R"({"issues": [{"issue": "price", "could_live_with": {"at_least": 180, "at_most": 120}}]})",
       "at_least 180 is above at_most 120"},
      {R"({"issues": [{"issue": "price", "could_live_with": {}}]})", "needs at_least, at_most"},
      {R"({"issues": [{"issue": "price", "could_live_with": {"below": 3}}]})",
       "unknown field 'below'"},
      {R"({"issues": [{"issue": "colour", "could_live_with": {"at_most": 1}}]})",
       "issues[0].could_live_with: expected an array"},
      {R"({"issues": [{"issue": "weeks", "could_live_with": {"at_most": "x"}}]})",
       "at_most: expected a number"},
  };
  for (const Case& c : bad) {
    Result<Objection> o = ParseObjection(space, c.json);
    ASSERT_FALSE(o.ok()) << c.json;
    EXPECT_NE(o.status().message().find(c.expect), std::string::npos) << o.status().message();
  }
  EXPECT_FALSE(ParseQuestion(space, R"({"kind": "live_with", "issue": "weeks", "values":
                                        {"at_least": 7}})")
                   .ok());  // Names no value of the issue.
}

// A numeric issue's values are confided as the points where the function's slope changes, and
// points read back as the function at every value of the issue.
TEST(MessagesTest, NumericValuesAreConfidedAsPoints) {
  const OutcomeSpace space({Issue::Real("price", 100, 200, 25), Issue::Integer("weeks", 1, 5)});
  Confidence c;
  c.values.emplace_back(0, std::vector<double>{1, 0.75, 0.5, 0.25, 0});
  c.values.emplace_back(1, std::vector<double>{0, 0.5, 1, 0.5, 0});
  std::string json = ConfidenceJson(space, c);
  EXPECT_EQ(json, R"({"values":{"price":{"piecewise":[[100.0,1.0],[200.0,0.0]]},)"
                  R"("weeks":{"piecewise":[[1.0,0.0],[3.0,1.0],[5.0,0.0]]}}})");
  Result<Confidence> back = ParseConfidence(space, json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->values, c.values);
  Result<Confidence> beyond =
      ParseConfidence(space, R"({"values": {"price": {"piecewise": [[150, 0.2], [175, 0.6]]}}})");
  ASSERT_TRUE(beyond.ok()) << beyond.status().ToString();
  std::vector<double> expect = {0.2, 0.2, 0.2, 0.6, 0.6};
  for (size_t v = 0; v < expect.size(); ++v)
    EXPECT_DOUBLE_EQ(beyond->values[0].second[v], expect[v]);
  for (const char* bad : {R"({"values": {"price": {"piecewise": []}}})",
                          R"({"values": {"price": {"piecewise": [[150, 0.2], [150, 0.6]]}}})",
                          R"({"values": {"price": {"piecewise": [[150, 1.5]]}}})",
                          R"({"values": {"price": {"piecewise": [150]}}})"}) {
    Result<Confidence> r = ParseConfidence(space, bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("values.price.piecewise"), std::string::npos)
        << r.status().message();
  }
}

TEST(MessagesTest, StartRoundTripsAndIsAProtocolStartHeader) {
  MediationOptions o;
  o.criterion = Criterion::kKalaiSmorodinsky;
  o.max_visits = 12;
  o.seed = 18446744073709551615ull;
  o.patience = 9;
  o.agents = {"truthful", "reticent"};
  o.agenda = {Stage{"first", {0, 2}, false}, Stage{"later", {1}, true}};
  std::string json = StartJson(2, o);
  Result<std::pair<int, MediationOptions>> back = ParseStart(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->first, 2);
  EXPECT_EQ(back->second.criterion, Criterion::kKalaiSmorodinsky);
  EXPECT_EQ(back->second.max_visits, 12);
  EXPECT_EQ(back->second.seed, o.seed);
  EXPECT_EQ(back->second.patience, 9);
  EXPECT_EQ(back->second.agents, o.agents);
  EXPECT_EQ(back->second.agenda, o.agenda);
  // The fields generic event-log readers need.
  for (const char* field : {"\"rounds\"", "\"seconds\"", "\"initial_temperature\"", "\"agents\""}) {
    EXPECT_NE(json.find(field), std::string::npos) << field;
  }
}

TEST(MessagesTest, DiagnosisRoundTripsWithoutNames) {
  const OutcomeSpace space = TradeScenario().space;
  ImpasseDiagnosis d;
  d.stage = 0;
  ConflictItem line;
  line.party = 1;
  line.red_line = Forbid(0, {0, 1}, "margin");
  line.inferred = true;
  ConflictItem rv;
  rv.kind = ConflictItem::Kind::kReservation;
  rv.party = 0;
  rv.reservation_value = 0.4;
  rv.relaxed_to = 0.3;
  d.conflict = {line, rv};
  d.relaxation = {rv};
  d.cost = 0.25;
  d.owner_costs = {0.25, 0};
  d.formula = Outcome{2, 1, 1};
  Result<ImpasseDiagnosis> back = ParseDiagnosis(space, DiagnosisJson(space, d, {}));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, d);
  ImpasseDiagnosis part = DiagnosisPartOf(d, 0);
  EXPECT_EQ(part.conflict.size(), 1u);
  EXPECT_EQ(part.conflict[0].party, 0);
  EXPECT_FALSE(part.formula.has_value());
  EXPECT_EQ(part.owner_costs[1], 0);
}

TEST(MessagesTest, DescribesDemandsWithNamesAndNotes) {
  const OutcomeSpace space = TradeScenario().space;
  ConflictItem line;
  line.party = 1;
  line.red_line = Require(2, {1}, "we always insure");
  EXPECT_EQ(DescribeConflictItem(space, line, {"buyer", "seller"}),
            "seller: warranty must be 'full' [we always insure]");
  ConflictItem rv;
  rv.kind = ConflictItem::Kind::kReservation;
  rv.reservation_value = 0.5;
  rv.relaxed_to = 0.25;
  EXPECT_EQ(DescribeConflictItem(space, rv, {"buyer", "seller"}),
            "buyer: reservation value 0.50 -> 0.25");
}

}  // namespace
}  // namespace shuttle::mediation_internal
