#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "mediation/testing.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::Forbid;
using mediation_testing::TradeScenario;

// Feeds an agent the events a caucus party sees before answering a text at `visit`.
class AgentHarness {
 public:
  AgentHarness(std::string_view spec, const Scenario& s, int party,
               const Profile* profile = nullptr)
      : scenario_(s),
        utility_(*Utility::Compile(s.space, s.parties[party].profile)),
        log_(s.space.issue_count()) {
    agent_ = MakeCaucusAgent(spec, profile).value();
    context_.space = &scenario_.space;
    context_.utility = &utility_;
    context_.self = party;
    EXPECT_TRUE(agent_->Init(context_).ok());
    Emit(EventType::kStart, Audience::Public(), kSystem, nullptr,
         mediation_internal::StartJson(2, {}));
  }
  void Emit(EventType type, Audience audience, int32_t actor, const uint32_t* outcome,
            const std::string& text) {
    Event e;
    e.type = type;
    e.audience = audience;
    e.actor = actor;
    log_.Append(e, outcome, text);
    agent_->Observe(log_, log_[log_.size() - 1]);
  }
  Action Answer(int visit, const uint32_t* text) {
    Emit(EventType::kPropose, Audience::Caucus(context_.self), kMediator, text,
         mediation_internal::ProposeJson(visit, 0));
    Turn turn;
    turn.kind = Turn::Kind::kCaucus;
    turn.actor = context_.self;
    turn.standing = text;
    Action a;
    agent_->Act(turn, 0, &a, scratch_);
    return a;
  }
  const Utility& utility() const { return utility_; }
  uint32_t scratch_[8] = {};

 private:
  Scenario scenario_;
  Utility utility_;
  EventLog log_;
  AgentContext context_;
  std::unique_ptr<Agent> agent_;
};

TEST(CaucusAgentTest, SpecsAndErrors) {
  EXPECT_TRUE(MakeCaucusAgent("reticent:e=0.5,patience=30").ok());
  EXPECT_TRUE(MakeCaucusAgent("strategic:lines=0.4,rv=0.2").ok());
  EXPECT_EQ(MakeCaucusAgent("boulware").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeCaucusAgent("reticent:e=-1").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeCaucusAgent("reticent:speed=2").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MakeCaucusAgent("reticent:e").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CaucusAgentNames().size(), 3u);
}

TEST(CaucusAgentTest, ReticentOpensWithItsBestAndConfidesNothing) {
  AgentHarness h("reticent", TradeScenario(), 0);
  Action a = h.Answer(1, nullptr);
  ASSERT_EQ(a.type, EventType::kOffer);
  EXPECT_EQ(Outcome(a.outcome, a.outcome + 3), (Outcome{0, 0, 1}));
}

// The objection names the shortest worst-first prefix whose repair reaches the aspiration, and the
// livable values lose at most the budget left after the unnamed issues.
TEST(CaucusAgentTest, ReticentObjectionNamesWhatWouldRepairTheText) {
  Scenario s = TradeScenario();
  AgentHarness h("reticent:patience=10", s, 0);
  h.Answer(1, nullptr);
  const uint32_t text[] = {3, 1, 0};  // Buyer's losses: price 0.5, delivery 0.1, warranty 0.3.
  Action a = h.Answer(4, text);       // Aspiration 1 - 3/10 = 0.7; u = 0.1: deficit 0.6.
  ASSERT_EQ(a.type, EventType::kObject);
  Result<mediation_internal::Objection> o = mediation_internal::ParseObjection(s.space, a.text);
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->issues.size(),
            2u);  // price (0.5) alone does not cover 0.6; with warranty (0.3) it does.
  EXPECT_EQ(o->issues[0].issue, 0);
  EXPECT_EQ(o->issues[1].issue, 2);
  // Budget: what it gives up (0.3) minus delivery's loss (0.1) = 0.2: price p0 (0), p1 (0.15).
  EXPECT_EQ(o->issues[0].could_live_with, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(o->issues[1].could_live_with, (std::vector<uint32_t>{1}));
  EXPECT_FALSE(o->below_reservation);
  const uint32_t good[] = {0, 1, 1};  // u = 0.9 >= 0.7.
  EXPECT_EQ(h.Answer(4, good).type, EventType::kAccept);
}

TEST(CaucusAgentTest, RedLineCrossingsComeFirstAndAreNeverLivable) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines.push_back(Forbid(2, {0}));
  AgentHarness h("reticent", s, 0);
  h.Answer(1, nullptr);
  const uint32_t text[] = {3, 1, 0};
  Action a = h.Answer(30, text);
  ASSERT_EQ(a.type, EventType::kObject);
  Result<mediation_internal::Objection> o = mediation_internal::ParseObjection(s.space, a.text);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->issues[0].issue, 2);
  for (const auto& item : o->issues) {
    if (item.issue == 2) EXPECT_EQ(item.could_live_with, std::vector<uint32_t>{1});
  }
  const uint32_t excellent_but_forbidden[] = {0, 0, 0};
  EXPECT_EQ(h.Answer(30, excellent_but_forbidden).type, EventType::kObject);
}

TEST(CaucusAgentTest, TruthfulConfidesItsWholeProfile) {
  Scenario s = TradeScenario();
  s.parties[1].profile.red_lines.push_back(Forbid(0, {0}, "cost"));
  s.parties[1].profile.reservation_value = 0.25;
  AgentHarness h("truthful", s, 1, &s.parties[1].profile);
  Action a = h.Answer(1, nullptr);
  ASSERT_EQ(a.type, EventType::kConfide);
  Result<mediation_internal::Confidence> c = mediation_internal::ParseConfidence(s.space, a.text);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->weights && c->red_lines && c->reservation_value);
  EXPECT_EQ(*c->reservation_value, 0.25);
  EXPECT_EQ(*c->red_lines, s.parties[1].profile.red_lines);
  for (const auto& [issue, values] : c->values) {
    for (size_t v = 0; v < values.size(); ++v) {
      EXPECT_NEAR((*c->weights)[issue] * values[v], h.utility().Contributions(issue)[v], 1e-12);
    }
  }
  EXPECT_EQ(h.Answer(1, nullptr).type, EventType::kOffer);  // Confides once, then answers.
}

TEST(CaucusAgentTest, StrategicOverstatesThenDropsWhatTheDiagnosisNames) {
  Scenario s = TradeScenario();
  s.parties[0].profile.reservation_value = 0.1;
  AgentHarness h("strategic:lines=0.5,rv=0.5", s, 0, &s.parties[0].profile);
  Action a = h.Answer(1, nullptr);
  ASSERT_EQ(a.type, EventType::kConfide);
  Result<mediation_internal::Confidence> c = mediation_internal::ParseConfidence(s.space, a.text);
  ASSERT_TRUE(c.ok());
  EXPECT_NEAR(*c->reservation_value, 0.1 + 0.5 * (1.0 - 0.1), 1e-12);
  ASSERT_FALSE(c->red_lines->empty());  // Claimed: the price values below half its best.
  RedLine fake = c->red_lines->front();
  EXPECT_EQ(fake.issue, 0);
  EXPECT_EQ(fake.values, (std::vector<uint32_t>{2, 3}));
  // The mediator's diagnosis names the claimed line and the claimed reservation value.
  ImpasseDiagnosis part;
  ConflictItem item;
  item.party = 0;
  item.red_line = fake;
  part.conflict.push_back(item);
  ConflictItem rv;
  rv.kind = ConflictItem::Kind::kReservation;
  part.relaxation.push_back(rv);
  h.Emit(EventType::kNote, Audience::Caucus(0), kMediator, nullptr,
         DiagnosisJson(s.space, part, {}));
  const uint32_t text[] = {1, 1, 1};
  a = h.Answer(2, text);
  ASSERT_EQ(a.type, EventType::kConfide);
  c = mediation_internal::ParseConfidence(s.space, a.text);
  ASSERT_TRUE(c.ok());
  // The named price line is gone; the claim on warranty, not named, stays.
  ASSERT_EQ(c->red_lines->size(), 1u);
  EXPECT_EQ(c->red_lines->front().issue, 2);
  EXPECT_EQ(*c->reservation_value, 0.1);
  EXPECT_NE(h.Answer(2, text).type, EventType::kConfide);
}

}  // namespace
}  // namespace shuttle
