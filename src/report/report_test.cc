#include "shuttle/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"

namespace shuttle {
namespace {

using Json = nlohmann::json;

Scenario Deal() {
  Scenario s;
  s.name = "deal";
  s.space = OutcomeSpace({Issue::Discrete("price", {"low", "mid", "high"}),
                          Issue::Discrete("delivery", {"slow", "normal", "fast"}),
                          Issue::Discrete("warranty", {"none", "one year"})});
  for (int p = 0; p < 2; ++p) {
    Party party;
    party.name = p == 0 ? "buyer" : "seller";
    party.profile.weights =
        p == 0 ? std::vector<double>{0.5, 0.3, 0.2} : std::vector<double>{0.6, 0.1, 0.3};
    Evaluator price, delivery, warranty;
    price.evaluations = p == 0 ? std::vector<double>{3, 2, 1} : std::vector<double>{1, 2, 3};
    delivery.evaluations = p == 0 ? std::vector<double>{1, 2, 3} : std::vector<double>{3, 2, 1};
    warranty.evaluations = p == 0 ? std::vector<double>{1, 2} : std::vector<double>{2, 1};
    party.profile.evaluators = {price, delivery, warranty};
    s.parties.push_back(party);
  }
  return s;
}

const Json* Chart(const Json& charts, const std::string& id) {
  for (const Json& c : charts)
    if (c["id"] == id) return &c;
  return nullptr;
}

// The layer of a layered spec whose data has `n` rows and whose mark type is `mark`.
int CountLayers(const Json& spec, const std::string& mark) {
  int n = 0;
  for (const Json& l : spec["layer"]) {
    const Json& m = l["mark"];
    if ((m.is_string() && m == mark) || (m.is_object() && m["type"] == mark)) ++n;
  }
  return n;
}

TEST(ReportTest, NegotiationSpecsShowEveryOfferTheFrontierAndTheAgreement) {
  Scenario s = Deal();
  NegotiationOptions o;
  o.agents = {"boulware", "conceder"};
  o.protocol_options.rounds = 50;
  auto run = Negotiate(s, o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  size_t offers = 0;
  for (const Event& e : run->log.events()) offers += e.type == EventType::kOffer;
  ASSERT_GT(offers, 0u);

  auto specs = NegotiationReportSpecs(s, run->log);
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  Json charts = Json::parse(*specs);
  const Json* space = Chart(charts, "utility-space");
  ASSERT_NE(space, nullptr);
  const Json& layers = (*space)["spec"]["layer"];
  // Layer 0: all 18 outcomes (the space is small enough to draw whole).
  EXPECT_EQ(layers[0]["data"]["values"].size(), 18u);
  // The offer trace has one point per offer, and each point's x is the buyer's utility.
  const Json* trace = nullptr;
  for (const Json& l : layers)
    if (l["encoding"].contains("color") && l["encoding"]["color"]["field"] == "by") trace = &l;
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ((*trace)["data"]["values"].size(), offers);
  // Pareto frontier line and the solutions layer exist.
  EXPECT_GE(CountLayers((*space)["spec"], "line"), 2);
  EXPECT_EQ(run->agreement.has_value(), CountLayers((*space)["spec"], "text") == 1);
  const Json* time = Chart(charts, "utility-over-time");
  ASSERT_NE(time, nullptr);
  EXPECT_EQ((*time)["spec"]["data"]["values"].size(), 2 * offers) << "one row per offer per party";
  EXPECT_EQ(Chart(charts, "gap-over-visits"), nullptr) << "no mediator, no gap chart";
}

TEST(ReportTest, SampledSpaceIsCappedAndAxesAreChecked) {
  Scenario s = Deal();
  EventLog empty(s.space.issue_count());
  ReportOptions o;
  o.max_outcomes = 5;
  auto specs = NegotiationReportSpecs(s, empty, o);
  ASSERT_TRUE(specs.ok());
  Json charts = Json::parse(*specs);
  EXPECT_EQ((*Chart(charts, "utility-space"))["spec"]["layer"][0]["data"]["values"].size(), 5u);
  o.y_party = 2;
  EXPECT_EQ(NegotiationReportSpecs(s, empty, o).status().code(), StatusCode::kInvalidArgument);
  EventLog wrong(2);
  wrong.Append(Event{});
  EXPECT_EQ(NegotiationReportSpecs(s, wrong).status().code(), StatusCode::kInvalidArgument);
}

TEST(ReportTest, MediationSpecsPlotTheGapPerVisitAndListStatements) {
  Scenario s = Deal();
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  auto run = Mediate(s, o);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  auto specs = NegotiationReportSpecs(s, run->log);
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  Json charts = Json::parse(*specs);
  const Json* gap = Chart(charts, "gap-over-visits");
  ASSERT_NE(gap, nullptr);
  const Json& gap_layers = (*gap)["spec"]["layer"];
  const Json& line = gap_layers[gap_layers.size() - 1]["data"]["values"];
  ASSERT_EQ(line.size(), run->gap_by_visit.size());
  for (size_t v = 0; v < line.size(); ++v)
    EXPECT_NEAR(line[v]["gap"].get<double>(), run->gap_by_visit[v], 1e-4);
  auto html = NegotiationReportHtml(s, run->log);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  for (const std::string& st : run->statements) {
    std::string escaped = st;  // Statements are plain words; check the first few characters.
    EXPECT_NE(html->find(escaped.substr(0, 12)), std::string::npos) << st;
  }
}

TEST(ReportTest, HtmlIsSelfContained) {
  Scenario s = Deal();
  EventLog empty(s.space.issue_count());
  auto html = NegotiationReportHtml(s, empty);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_EQ(html->find("<script src"), std::string::npos);
  EXPECT_EQ(html->find("<link"), std::string::npos);
  EXPECT_NE(html->find("vegaEmbed("), std::string::npos);
  // Vega, Vega-Lite and vega-embed inlined: hundreds of kilobytes of code.
  EXPECT_GT(html->size(), 500'000u);
  EXPECT_NE(html->find("id=\"chart-utility-space\""), std::string::npos);
}

TEST(ReportTest, TournamentSpecsCarryTheSummaryEstimates) {
  std::vector<JobResult> results;
  for (size_t j = 0; j < 4; ++j) {
    JobResult r;
    r.job = j;
    r.scenario = "s";
    r.agents = {j % 2 ? "b" : "a", j % 2 ? "a" : "b"};
    r.utilities = {0.2 * static_cast<double>(j), 0.5};
    r.agreement = true;
    r.welfare = r.utilities[0] + r.utilities[1];
    results.push_back(r);
  }
  auto specs = TournamentReportSpecs(results, {"b", "a"});
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  Json charts = Json::parse(*specs);
  const Json* utility = Chart(charts, "utility");
  ASSERT_NE(utility, nullptr);
  const Json& rows = (*utility)["spec"]["data"]["values"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["agent"], "b") << "the given order";
  // Agent a: utilities 0 (job 0, slot 0), 0.5 (job 1, slot 1), 0.4 (job 2), 0.5 (job 3): mean 0.35.
  EXPECT_NEAR(rows[1]["mean"].get<double>(), 0.35, 1e-9);
  const Json* h2h = Chart(charts, "head-to-head");
  ASSERT_NE(h2h, nullptr);
  EXPECT_FALSE((*h2h)["spec"]["layer"][0].contains("data")) << "data sits at the top of the spec";
  EXPECT_EQ((*h2h)["spec"]["data"]["values"].size(), 2u) << "a vs b and b vs a";
  EXPECT_EQ(TournamentReportSpecs({}, {}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace shuttle
