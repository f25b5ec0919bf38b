// The engine's advice to the mediator's seat: a function of the seat's view that forecasts honest
// parties' answers, places drafts against the model's frontier, and finds Pareto improvements.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mediation/testing.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::TradeScenario;

TEST(AdviceTest, ForecastsTheAnswersOfPartiesWhoConfidedTheirProfiles) {
  Scenario s = TradeScenario();
  MediationRunOptions o;
  o.parties = {"truthful", "truthful"};
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<ForecastTally> h = ScoreForecasts(s.space, r->log);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_GT(h->total, 4);
  EXPECT_EQ(h->right, h->total);
}

TEST(AdviceTest, ReticentPartiesAreForecastFromTheirAnswersAlone) {
  Scenario s = TradeScenario();
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok());
  Result<ForecastTally> h = ScoreForecasts(s.space, r->log);
  ASSERT_TRUE(h.ok());
  EXPECT_GT(h->total, 4);
  EXPECT_GT(h->right, h->total / 2) << h->right << " of " << h->total;
  // Uncertain models say so: some forecast has a range around it.
  Result<Advice> a = Advise(s.space, r->log, nullptr);
  ASSERT_TRUE(a.ok());
  bool wide = false;
  for (const PartyForecast& f : a->forecasts) {
    EXPECT_FALSE(f.exact);
    EXPECT_LE(f.utility_low, f.utility + 1e-12);
    EXPECT_GE(f.utility_high, f.utility - 1e-12);
    wide = wide || f.utility_high - f.utility_low > 1e-6;
  }
  EXPECT_TRUE(wide);
}

TEST(AdviceTest, TheSuggestionIsOnTheFrontierAndABadDraftIsImproved) {
  Scenario s = TradeScenario();
  MediationRunOptions o;
  o.parties = {"truthful", "truthful"};
  o.mediation.max_visits = 3;
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok());
  Result<Advice> a = Advise(s.space, r->log.Head(r->log.size() - 1), nullptr);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->suggestions.size(), 4u);
  EXPECT_EQ(a->suggestions[0].first, Criterion::kNash);
  EXPECT_EQ(a->draft, a->suggestions[0].second);
  EXPECT_NEAR(a->frontier_distance, 0, 1e-9);
  EXPECT_FALSE(a->improvement.has_value());
  // No warranty, a middle price, the slowest delivery: both want the warranty.
  const Outcome bad = {1, 2, 0};
  Result<Advice> b = Advise(s.space, r->log.Head(r->log.size() - 1), &bad);
  ASSERT_TRUE(b.ok());
  EXPECT_GT(b->frontier_distance, 0.01);
  ASSERT_TRUE(b->improvement.has_value());
  int changed = 0;
  for (size_t i = 0; i < bad.size(); ++i) changed += (*b->improvement)[i] != bad[i];
  EXPECT_EQ(changed, 1);
  double total = 0;
  for (double g : b->improvement_gains) {
    EXPECT_GE(g, -1e-12);
    total += g;
  }
  EXPECT_GT(total, 0);
  EXPECT_GE(b->next_party, 0);
  EXPECT_FALSE(b->next_reason.empty());
}

// A person in the seat asks party 0 (here the test speaks for it) to rank the prices and for its
// red line on delivery; the advice then follows the answers.
TEST(AdviceTest, AnswersToQuestionsInformTheModel) {
  Scenario s = TradeScenario();
  MediationOptions o;
  o.helm = true;
  o.mediator = "person";
  auto m = MakeMediator(&s.space, 2, o);
  ASSERT_TRUE(m.ok());
  EventLog log(s.space.issue_count());
  (*m)->Start(&log);
  auto apply = [&](EventType type, int32_t actor, int32_t value, std::string_view text) {
    Action a;
    a.type = type;
    a.actor = actor;
    a.value = value;
    a.text = text;
    Status st = (*m)->Apply(a, 0, &log);
    ASSERT_TRUE(st.ok()) << EventTypeName(type) << ": " << st.ToString();
  };
  const Outcome cheap = {0, 1, 1}, dear = {3, 1, 1}, late = {1, 2, 1};
  Result<Advice> before = Advise(s.space, log, &cheap);
  ASSERT_TRUE(before.ok());
  const double cheap_before = before->forecasts[0].utility;
  apply(EventType::kOpen, kMediator, 0, "");
  apply(EventType::kAsk, kMediator, 0, R"({"kind":"rank","issue":"price"})");
  apply(EventType::kAnswer, 0, 0, R"({"ranking":["p3","p2","p1","p0"]})");
  apply(EventType::kAsk, kMediator, 0, R"({"kind":"red_line","issue":"delivery"})");
  apply(EventType::kAnswer, 0, 0, R"({"red_line":{"issue":"delivery","forbid":["d2"]}})");
  Result<Advice> cheap_after = Advise(s.space, log, &cheap);
  Result<Advice> dear_after = Advise(s.space, log, &dear);
  Result<Advice> late_after = Advise(s.space, log, &late);
  ASSERT_TRUE(cheap_after.ok() && dear_after.ok() && late_after.ok());
  EXPECT_GT(dear_after->forecasts[0].utility, cheap_after->forecasts[0].utility)
      << "the model ranks the prices as party 0 said (cheap " << cheap_before << " before)";
  EXPECT_TRUE(late_after->forecasts[0].crosses_line);
  EXPECT_FALSE(dear_after->forecasts[0].crosses_line);
  EXPECT_FALSE(late_after->forecasts[1].crosses_line) << "party 1 said nothing";
}

TEST(AdviceTest, BadInputIsRefusedWithItsCause) {
  Scenario s = TradeScenario();
  EventLog empty(s.space.issue_count());
  EXPECT_EQ(Advise(s.space, empty, nullptr).status().code(), StatusCode::kInvalidArgument);
  MediationRunOptions o;
  o.mediation.max_visits = 2;
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok());
  const Outcome outside = {1, 9, 0};
  Result<Advice> a = Advise(s.space, r->log, &outside);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("delivery"), std::string::npos) << a.status().ToString();
}

}  // namespace
}  // namespace shuttle
