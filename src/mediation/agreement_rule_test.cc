// Agreement rules other than unanimity: the protocol settles on a text the rule's coalition
// accepted, the engine mediates toward one, and nobody outside learns who accepted.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mediation/adviser.h"
#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "mediation/testing.h"
#include "shuttle/io.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

Scenario HarborGameForRuleTest() {
  Result<Scenario> s =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/harbor-expansion.json"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario{};
}

// The parties the mediator's kSettle events name, for the last settle in `log`.
std::vector<bool> LastSettleCoalition(const EventLog& log, int parties) {
  std::vector<bool> in(parties, false);
  for (const Event& e : log.events()) {
    if (e.type != EventType::kSettle) continue;
    std::string text(log.TextOf(e));
    in.assign(parties, false);
    for (int k = 0; k < parties; ++k) {
      in[k] = text.find(fmt::format("[{},", k)) != std::string::npos ||
              text.find(fmt::format(",{},", k)) != std::string::npos ||
              text.find(fmt::format(",{}]", k)) != std::string::npos ||
              text.find(fmt::format("[{}]", k)) != std::string::npos;
    }
  }
  return in;
}

Result<MediationReport> MediateHarbor(const Scenario& s, const std::string& spec) {
  MediationRunOptions run;
  run.parties.assign(s.parties.size(), spec);
  return Mediate(s, run);
}

TEST(AgreementRuleTest, HarborGameHasNoUnanimousDealButAgreesUnderItsRule) {
  Scenario s = HarborGameForRuleTest();
  ASSERT_EQ(s.parties.size(), 6u);
  ASSERT_EQ(s.rule.at_least, 5);
  ASSERT_EQ(s.rule.required.size(), 2u);
  for (const char* spec : {"reticent", "truthful"}) {
    SCOPED_TRACE(spec);
    Result<MediationReport> r = MediateHarbor(s, spec);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->status, MediationStatus::kAgreement) << r->end_reason;
    ASSERT_TRUE(r->agreement.has_value());
    const std::vector<bool> coalition = LastSettleCoalition(r->log, 6);
    EXPECT_TRUE(s.rule.SatisfiedBy(coalition));
    // Everyone who accepted gets at least its reservation value; the rule was needed: some party
    // is below its own.
    bool someone_below = false;
    for (int k = 0; k < 6; ++k) {
      const double rv = s.parties[k].profile.reservation_value;
      if (coalition[k]) EXPECT_GE(r->utilities[k], rv - 1e-12) << s.parties[k].name;
      someone_below = someone_below || r->utilities[k] < rv - 1e-12;
    }
    EXPECT_TRUE(someone_below);
    EXPECT_TRUE(ReplayMediation(s, r->log).ok());
    EXPECT_TRUE(ReplayMediationAgents(s, r->log).ok());
  }
}

TEST(AgreementRuleTest, UnanimityCannotSettleTheHarborGame) {
  Scenario s = HarborGameForRuleTest();
  s.rule = AgreementRule{};
  MediationRunOptions run;
  run.parties.assign(6, "truthful");
  Result<MediationReport> r = Mediate(s, run);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE(r->status, MediationStatus::kAgreement);
}

TEST(AgreementRuleTest, NoPartyLearnsWhoAccepted) {
  Scenario s = HarborGameForRuleTest();
  Result<MediationReport> r = MediateHarbor(s, "reticent");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kAgreement);
  int settles = 0;
  for (const Event& e : r->log.events()) {
    if (e.type == EventType::kSettle) {
      ++settles;
      EXPECT_EQ(e.audience.kind, AudienceKind::kMediator);
      EXPECT_NE(r->log.TextOf(e).find("accepted"), std::string_view::npos);
    }
  }
  EXPECT_GE(settles, 1);
  // What each party hears about the settlement is the same for all six: the outcome, once each.
  std::vector<std::string> adopt_texts(6);
  for (int k = 0; k < 6; ++k) {
    for (size_t i : r->log.View(k)) {
      const Event& e = r->log.events()[i];
      const std::string text(r->log.TextOf(e));
      EXPECT_EQ(text.find("accepted"), std::string::npos) << EventTypeName(e.type) << " " << text;
      if (e.type == EventType::kAdopt) adopt_texts[k] += text;
      if (e.type == EventType::kSettle || e.type == EventType::kRound) ADD_FAILURE();
    }
  }
  for (int k = 1; k < 6; ++k) EXPECT_EQ(adopt_texts[k], adopt_texts[0]);
}

// A person in the seat: the protocol settles only on a text the rule's coalition accepted.
class RuleTable {
 public:
  explicit RuleTable(const Scenario& s) : scenario_(s) {
    MediationOptions o;
    o.helm = true;
    o.mediator = "person";
    o.rule = s.rule;
    auto m = MakeMediator(&scenario_.space, 6, o);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    mediator_ = std::move(m).value();
    log_ = EventLog(scenario_.space.issue_count());
    mediator_->Start(&log_);
  }
  Status Do(EventType type, int32_t actor, int32_t value = 0, const Outcome& outcome = {}) {
    Action a;
    a.type = type;
    a.actor = actor;
    a.value = value;
    a.outcome = outcome.empty() ? nullptr : outcome.data();
    return mediator_->Apply(a, 0, &log_);
  }
  // Puts `text` to party k, which accepts or objects, then leaves.
  void Visit(int k, const Outcome& text, bool accept) {
    ASSERT_TRUE(Do(EventType::kOpen, kMediator, k).ok());
    ASSERT_TRUE(Do(EventType::kPropose, kMediator, 0, text).ok());
    if (accept) {
      ASSERT_TRUE(Do(EventType::kAccept, k).ok());
    } else {
      Action a;
      a.type = EventType::kObject;
      a.actor = k;
      a.text = R"({"issues":[{"issue":"compensation"}]})";
      ASSERT_TRUE(mediator_->Apply(a, 0, &log_).ok());
    }
    ASSERT_TRUE(Do(EventType::kLeave, kMediator).ok());
  }
  Mediator& mediator() { return *mediator_; }
  const EventLog& log() const { return log_; }

 private:
  Scenario scenario_;
  std::unique_ptr<Mediator> mediator_;
  EventLog log_;
};

TEST(AgreementRuleTest, ProtocolSettlesOnlyWhenTheRuleIsMet) {
  Scenario s = HarborGameForRuleTest();
  const int developer = s.rule.required[0], agency = s.rule.required[1];
  const Outcome text = {1, 0, 1, 0, 0};
  {
    RuleTable t(s);  // Four accept: too few.
    for (int k = 0; k < 6; ++k) t.Visit(k, text, k < 4);
    Status settle = t.Do(EventType::kSettle, kMediator);
    EXPECT_EQ(settle.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(settle.message().find("at most 4 parties accepted one text"), std::string::npos)
        << settle.message();
  }
  {
    RuleTable t(s);  // Five accept, but not the agency.
    for (int k = 0; k < 6; ++k) t.Visit(k, text, k != agency);
    EXPECT_EQ(t.Do(EventType::kSettle, kMediator).code(), StatusCode::kFailedPrecondition);
  }
  {
    RuleTable t(s);  // Five accept with both required parties: settled, and closed agreed.
    const int outsider = developer == 5 || agency == 5 ? 2 : 5;
    for (int k = 0; k < 6; ++k) t.Visit(k, text, k != outsider);
    ASSERT_TRUE(t.Do(EventType::kSettle, kMediator).ok());
    ASSERT_TRUE(t.Do(EventType::kClose, kMediator).ok());
    EXPECT_EQ(t.mediator().status(), MediationStatus::kAgreement);
    ASSERT_NE(t.mediator().agreement(), nullptr);
    EXPECT_EQ(Outcome(t.mediator().agreement(), t.mediator().agreement() + 5), text);
    // The outsider hears the outcome like everyone else, and not who accepted.
    int adopts = 0;
    for (size_t i : t.log().View(outsider)) {
      const Event& e = t.log().events()[i];
      adopts += e.type == EventType::kAdopt ? 1 : 0;
      EXPECT_NE(e.type, EventType::kSettle);
    }
    EXPECT_EQ(adopts, 1);
  }
}

TEST(AgreementRuleTest, StartHeaderRecordsTheRuleAndUnanimityKeepsOldHeaders) {
  MediationOptions o;
  EXPECT_EQ(mediation_internal::StartJson(6, o).find("agreement_rule"), std::string::npos);
  o.rule.at_least = 5;
  o.rule.required = {3, 0};
  Result<std::pair<int, MediationOptions>> back =
      mediation_internal::ParseStart(mediation_internal::StartJson(6, o));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->second.rule, o.rule);
  o.rule.at_least = 7;
  EXPECT_FALSE(mediation_internal::ParseStart(mediation_internal::StartJson(6, o)).ok());
  Scenario s = HarborGameForRuleTest();
  EXPECT_EQ(MakeMediator(&s.space, 6, o).status().code(), StatusCode::kInvalidArgument);
}

// The advice to the seat follows the rule too: with every profile confided after the first
// visit, the whole table has no deal (some party is always below its reservation value), yet the
// advice suggests a text: one a coalition the rule admits can accept, as the engine's own texts.
TEST(AgreementRuleTest, TheAdviceSuggestsACoalitionsTextWhenTheWholeTableHasNone) {
  Scenario s = HarborGameForRuleTest();
  Result<MediationReport> r = MediateHarbor(s, "truthful");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The log up to the end of the first visit: every party has confided its profile.
  EventLog first(s.space.issue_count());
  for (size_t e = 0; e < r->log.size(); ++e) {
    const Event& ev = r->log[e];
    const std::span<const uint32_t> o = r->log.OutcomeOf(ev);
    first.Append(ev, o.empty() ? nullptr : o.data(), r->log.TextOf(ev));
    if (ev.type == EventType::kRound) break;
  }
  Result<Advice> advice = Advise(s.space, first, nullptr);
  ASSERT_TRUE(advice.ok()) << advice.status().ToString();
  ASSERT_FALSE(advice->suggestions.empty());
  for (const auto& [criterion, outcome] : advice->suggestions) {
    std::vector<bool> content(6);
    for (int k = 0; k < 6; ++k) {
      auto u = Utility::Compile(s.space, s.parties[k].profile);
      ASSERT_TRUE(u.ok());
      content[k] = u->Allows(outcome.data()) &&
                   u->Evaluate(outcome) >= s.parties[k].profile.reservation_value - 1e-9;
    }
    EXPECT_TRUE(s.rule.SatisfiedBy(content)) << CriterionName(criterion);
  }
}

TEST(AdviserTest, ThePublicGapUnderARuleIsTheNearestCoalitions) {
  const OutcomeSpace space({Issue::Discrete("a", {"x", "y"})});
  auto plan = mediation_internal::PlanAgenda(space, {});
  ASSERT_TRUE(plan.ok());
  const std::vector<double> gap = {0.9, 0.1, 0.5, 0.2, 0.7};
  MediationOptions o;
  mediation_internal::Adviser unanimity(&space, 5, o, &*plan);
  EXPECT_NEAR(unanimity.PublicGap(gap), 2.4 / 5, 1e-12);
  // Three of five, party 0 required: party 0 and the two nearest others (0.1, 0.2).
  o.rule.at_least = 3;
  o.rule.required = {0};
  mediation_internal::Adviser rule(&space, 5, o, &*plan);
  EXPECT_NEAR(rule.PublicGap(gap), (0.9 + 0.1 + 0.2) / 3, 1e-12);
  // Without a required party: the three nearest.
  o.rule.required = {};
  mediation_internal::Adviser any(&space, 5, o, &*plan);
  EXPECT_NEAR(any.PublicGap(gap), (0.1 + 0.2 + 0.5) / 3, 1e-12);
}

}  // namespace
}  // namespace shuttle
