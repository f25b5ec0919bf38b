// A session from a scenario with an agreement rule: the engine mediates under it, and no party's
// view says who accepted.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "service/service_test_util.h"

namespace shuttle::service_testing {
namespace {

std::string HarborExpansionText() {
  std::ifstream in(std::string(SHUTTLE_SOURCE_DIR) + "/examples/harbor-expansion.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AgreementRuleServiceTest, SixAutomatedPartiesAgreeUnderTheRuleAndNoViewSaysWhoAccepted) {
  Harness h;
  Json options = {{"parties", Json::array()}};
  for (int k = 0; k < 6; ++k) options["parties"].push_back("reticent");
  Json body = {{"scenario", Json::parse(HarborExpansionText())}, {"options", options}};
  Reply r = h.Call("POST", "/api/sessions", "", body.dump());
  ASSERT_EQ(r.status, 201) << r.raw.body;
  const std::string sid = r.json["session"]["id"].get<std::string>();
  std::map<std::string, std::string> tokens;
  for (const Json& i : r.json["invitations"])
    tokens[i["label"].get<std::string>()] = i["token"].get<std::string>();
  Json session = h.Get("/api/sessions/" + sid, tokens["mediator"]).json;
  EXPECT_EQ(session["status"], "agreement");
  EXPECT_EQ(session["agreement_rule"]["at_least"], 5);
  EXPECT_EQ(session["agreement_rule"]["required"], Json({"developer", "federal_agency"}));
  const Json agreement = session["agreement"];
  ASSERT_TRUE(agreement.is_object());
  // At least five parties, both required ones among them, are at or above their reservation
  // values by their own profiles.
  const Json scenario = Json::parse(HarborExpansionText());
  int content = 0;
  for (const Json& party : scenario["parties"]) {
    double u = 0;
    for (const auto& [issue, value] : agreement.items()) {
      const Json& table = party["profile"]["evaluators"][issue]["table"];
      double best = 0;
      for (const auto& [label, points] : table.items()) best = std::max(best, points.get<double>());
      u += party["profile"]["weights"][issue].get<double>() *
           table[value.get<std::string>()].get<double>() / best;
    }
    const bool ok = u >= party["profile"]["reservation_value"].get<double>() - 1e-9;
    content += ok ? 1 : 0;
    if (party["name"] == "developer" || party["name"] == "federal_agency") EXPECT_TRUE(ok);
  }
  EXPECT_GE(content, 5);
  // No event any party member can read names who accepted: every party hears the same adoption.
  std::vector<std::string> adoptions;
  for (const Json& party : scenario["parties"]) {
    const std::string token = tokens[party["name"].get<std::string>() + " principal"];
    ASSERT_FALSE(token.empty());
    Json events = h.Get("/api/sessions/" + sid + "/events?limit=1000", token).json["events"];
    std::string adopted;
    for (const Json& e : events) {
      EXPECT_NE(e["type"], "settle");
      const std::string text = e.value("text", "");
      EXPECT_EQ(text.find("accepted"), std::string::npos) << e.dump();
      if (e["type"] == "adopt") adopted += e["outcome"].dump();
    }
    EXPECT_FALSE(adopted.empty());
    adoptions.push_back(adopted);
  }
  for (const std::string& a : adoptions) EXPECT_EQ(a, adoptions[0]);
  // The debrief measures the agreement against the best coalition's Nash point: the whole table
  // has none (no outcome every party can accept).
  Json debrief = h.Get("/api/sessions/" + sid + "/debrief", tokens["mediator"]).json["debrief"];
  ASSERT_TRUE(debrief.is_object()) << debrief.dump();
  ASSERT_TRUE(debrief["coalition"].is_array()) << debrief.dump();
  EXPECT_EQ(debrief["coalition"].size(), 5u);
  const std::string coalition = debrief["coalition"].dump();
  EXPECT_NE(coalition.find("developer"), std::string::npos);
  EXPECT_NE(coalition.find("federal_agency"), std::string::npos);
  ASSERT_TRUE(debrief["nash"].is_object());
  ASSERT_TRUE(debrief["nash_ratio"].is_number()) << debrief.dump();
  EXPECT_GT(debrief["nash_ratio"].get<double>(), 0.0);
  EXPECT_LE(debrief["nash_ratio"].get<double>(), 1.0 + 1e-9);
  for (const Json& p : debrief["parties"]) EXPECT_TRUE(p["nash_utility"].is_number()) << p.dump();
}

}  // namespace
}  // namespace shuttle::service_testing
