#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "mediation/messages.h"
#include "mediation/testing.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::TradeScenario;

class MediatorTest : public ::testing::Test {
 protected:
  void Make(MediationOptions options = {}) {
    Result<std::unique_ptr<Mediator>> m = MakeMediator(&scenario_.space, 2, options);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    mediator_ = std::move(m).value();
    log_ = EventLog(scenario_.space.issue_count());
    mediator_->Start(&log_);
  }
  Status Act(EventType type, int32_t actor, std::string_view text = {},
             const uint32_t* outcome = nullptr) {
    Action a;
    a.type = type;
    a.actor = actor;
    a.text = text;
    a.outcome = outcome;
    return mediator_->Apply(a, 0, &log_);
  }
  // Both parties open with their best outcomes.
  void Opening() {
    const uint32_t buyer[] = {0, 0, 1}, seller[] = {3, 2, 1};
    ASSERT_TRUE(Act(EventType::kOffer, 0, {}, buyer).ok());
    ASSERT_TRUE(Act(EventType::kOffer, 1, {}, seller).ok());
  }
  const Event& Last() const { return log_[log_.size() - 1]; }

  Scenario scenario_ = TradeScenario();
  std::unique_ptr<Mediator> mediator_;
  EventLog log_;
};

TEST_F(MediatorTest, OpensWithAPublicStartAndAnInvitationInCaucus) {
  Make();
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(log_[0].type, EventType::kStart);
  EXPECT_EQ(log_[0].audience, Audience::Public());
  EXPECT_EQ(log_[1].type, EventType::kPropose);
  EXPECT_EQ(log_[1].audience, Audience::Caucus(0));
  EXPECT_TRUE(log_.OutcomeOf(log_[1]).empty());
  Turn turn = mediator_->NextTurn();
  EXPECT_EQ(turn.kind, Turn::Kind::kCaucus);
  EXPECT_EQ(turn.actor, 0);
  EXPECT_EQ(turn.standing, nullptr);
  EXPECT_STREQ(mediator_->name(), "shuttle");
}

TEST_F(MediatorTest, IllegalMovesChangeNothing) {
  MediationOptions o;
  o.max_confidences_per_caucus = 1;
  Make(o);
  const size_t before = log_.size();
  EXPECT_EQ(Act(EventType::kAccept, 1).code(), StatusCode::kFailedPrecondition);  // Out of turn.
  EXPECT_EQ(Act(EventType::kObject, 0, R"({"issues": []})").code(),
            StatusCode::kFailedPrecondition);  // No text.
  EXPECT_EQ(Act(EventType::kConfide, 0, "{oops").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Act(EventType::kVote, 0).code(), StatusCode::kFailedPrecondition);
  const uint32_t bad[] = {9, 0, 0};
  EXPECT_EQ(Act(EventType::kOffer, 0, {}, bad).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log_.size(), before);
  EXPECT_TRUE(Act(EventType::kConfide, 0, R"({"reservation_value": 0.1})").ok());
  EXPECT_EQ(Act(EventType::kConfide, 0, R"({"reservation_value": 0.2})").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(log_.size(), before + 1);
}

TEST_F(MediatorTest, CaucusEventsStayInTheCaucus) {
  Make();
  ASSERT_TRUE(Act(EventType::kConfide, 0, R"({"reservation_value": 0.1})").ok());
  Opening();
  ASSERT_TRUE(
      Act(EventType::kObject, 0, R"({"issues": [{"issue": "price", "could_live_with": ["p0"]}]})")
          .ok());
  ASSERT_TRUE(Act(EventType::kAccept, 1).ok());
  for (const Event& e : log_.events()) {
    if (e.actor >= 0) EXPECT_EQ(e.audience, Audience::Caucus(e.actor)) << EventTypeName(e.type);
    if (e.type == EventType::kPropose) EXPECT_EQ(e.audience.kind, AudienceKind::kCaucus);
    if (e.type == EventType::kStatement) EXPECT_EQ(e.audience, Audience::Public());
    if (e.type == EventType::kNote) EXPECT_NE(e.audience, Audience::Public());
  }
}

TEST_F(MediatorTest, AfterAVisitTheTextGoesToEachPartyAndAStatementToAll) {
  Make();
  Opening();
  EXPECT_EQ(mediator_->visit(), 2);
  ASSERT_EQ(mediator_->gap_by_visit().size(), 1u);
  EXPECT_EQ(mediator_->gap_by_visit()[0], 1.0);
  const Event& propose = Last();
  EXPECT_EQ(propose.type, EventType::kPropose);
  EXPECT_EQ(propose.audience, Audience::Caucus(0));
  ASSERT_EQ(log_.OutcomeOf(propose).size(), 3u);
  Turn turn = mediator_->NextTurn();
  ASSERT_NE(turn.standing, nullptr);
  EXPECT_EQ(Outcome(turn.standing, turn.standing + 3), log_.OutcomeCopy(propose));
  // The one public event of the visit is the statement.
  int public_events = 0;
  for (size_t k = 2; k < log_.size(); ++k) public_events += log_[k].audience == Audience::Public();
  EXPECT_EQ(public_events, 1);
}

TEST_F(MediatorTest, AgreementWhenEveryPartyAcceptsTheSameText) {
  Make();
  Opening();
  ASSERT_TRUE(Act(EventType::kAccept, 0).ok());
  ASSERT_TRUE(Act(EventType::kAccept, 1).ok());
  EXPECT_TRUE(mediator_->done());
  EXPECT_EQ(mediator_->status(), MediationStatus::kAgreement);
  EXPECT_EQ(mediator_->end_reason(), "agreement");
  ASSERT_NE(mediator_->agreement(), nullptr);
  EXPECT_EQ(Last().type, EventType::kAgreement);
  EXPECT_EQ(Last().audience, Audience::Public());
  EXPECT_EQ(log_.OutcomeCopy(Last()), Outcome(mediator_->agreement(), mediator_->agreement() + 3));
  EXPECT_EQ(mediator_->NextTurn().kind, Turn::Kind::kDone);
  EXPECT_EQ(Act(EventType::kAccept, 0).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(mediator_->gap_by_visit().back(), 0.0);
}

TEST_F(MediatorTest, VisitLimitEndsTheTalks) {
  MediationOptions o;
  o.max_visits = 2;
  Make(o);
  Opening();
  ASSERT_TRUE(Act(EventType::kObject, 0, R"({"issues": [{"issue": "price"}]})").ok());
  ASSERT_TRUE(Act(EventType::kObject, 1, R"({"issues": [{"issue": "price"}]})").ok());
  EXPECT_TRUE(mediator_->done());
  EXPECT_EQ(mediator_->status(), MediationStatus::kImpasse);
  EXPECT_EQ(mediator_->end_reason(), "visit limit");
  EXPECT_EQ(Last().type, EventType::kNoAgreement);
}

TEST_F(MediatorTest, WalkOutAndExpiry) {
  Make();
  ASSERT_TRUE(Act(EventType::kEnd, 0).ok());
  EXPECT_TRUE(mediator_->done());
  EXPECT_EQ(mediator_->end_reason(), "walk-out");
  Make();
  mediator_->Expire(0.5, &log_);
  EXPECT_TRUE(mediator_->done());
  EXPECT_EQ(mediator_->end_reason(), "deadline");
  EXPECT_EQ(Last().actor, kSystem);
}

TEST_F(MediatorTest, StagesOpenInOrderAndDeferredIssuesStayPut) {
  MediationOptions o;
  o.agenda = {{"warranty first", {2}, false}, {"money", {0}, false}, {"record", {1}, true}};
  Make(o);
  const uint32_t buyer[] = {0, 0, 1}, seller[] = {3, 2, 1};
  ASSERT_TRUE(Act(EventType::kOffer, 0, {}, buyer).ok());
  ASSERT_TRUE(Act(EventType::kOffer, 1, {}, seller).ok());
  EXPECT_EQ(mediator_->stage(), 0);
  ASSERT_TRUE(Act(EventType::kAccept, 0).ok());
  ASSERT_TRUE(Act(EventType::kAccept, 1).ok());
  EXPECT_FALSE(mediator_->done());
  EXPECT_EQ(mediator_->stage(), 1);
  const uint32_t* text = mediator_->text();
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text[2], 1u);  // Both wanted the full warranty: settled.
  EXPECT_EQ(text[1], 0u);  // Deferred.
  Result<mediation_internal::ProposeInfo> info =
      mediation_internal::ParsePropose(log_.TextOf(Last()));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->stage, 1);
  // Objecting to a settled or deferred issue is refused.
  EXPECT_EQ(Act(EventType::kObject, 0, R"({"issues": [{"issue": "warranty"}]})").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(Act(EventType::kAccept, 0).ok());
  ASSERT_TRUE(Act(EventType::kAccept, 1).ok());
  EXPECT_TRUE(mediator_->done());
  ASSERT_NE(mediator_->agreement(), nullptr);
  EXPECT_EQ(mediator_->agreement()[1], 0u);
  EXPECT_EQ(mediator_->agreement()[2], 1u);
}

TEST_F(MediatorTest, ConfidedConflictWarnsThenDeclaresImpasseWithEachPartysPart) {
  Make();
  ASSERT_TRUE(Act(EventType::kConfide, 0,
                  R"({"red_lines": [{"issue": "price", "require": ["p0"], "note": "NOTE-A"}]})")
                  .ok());
  const uint32_t buyer[] = {0, 0, 1}, seller[] = {3, 2, 1};
  ASSERT_TRUE(Act(EventType::kOffer, 0, {}, buyer).ok());
  ASSERT_TRUE(Act(EventType::kConfide, 1,
                  R"({"red_lines": [{"issue": "price", "forbid": ["p0"], "note": "NOTE-B"}]})")
                  .ok());
  ASSERT_TRUE(Act(EventType::kOffer, 1, {}, seller).ok());
  ASSERT_FALSE(mediator_->done());  // The brink: one more visit to relax.
  ASSERT_TRUE(mediator_->diagnosis().has_value());
  ASSERT_TRUE(Act(EventType::kObject, 0, R"({"issues": [{"issue": "price"}]})").ok());
  ASSERT_TRUE(Act(EventType::kObject, 1, R"({"issues": [{"issue": "price"}]})").ok());
  EXPECT_TRUE(mediator_->done());
  EXPECT_EQ(mediator_->status(), MediationStatus::kImpasse);
  const ImpasseDiagnosis& d = *mediator_->diagnosis();
  EXPECT_EQ(d.conflict.size(), 2u);
  EXPECT_EQ(d.relaxation.size(), 1u);
  for (const Event& e : log_.events()) {
    if (e.type != EventType::kNote || e.audience.kind != AudienceKind::kCaucus) continue;
    std::string_view text = log_.TextOf(e);
    const char* other_note = e.audience.party == 0 ? "NOTE-B" : "NOTE-A";
    const char* own_note = e.audience.party == 0 ? "NOTE-A" : "NOTE-B";
    EXPECT_NE(text.find(own_note), std::string_view::npos) << text;
    EXPECT_EQ(text.find(other_note), std::string_view::npos) << text;
  }
}

// A party may relax at the brink by confiding a shorter list of red lines.
TEST_F(MediatorTest, RelaxingAtTheBrinkReopensTheTalks) {
  Make();
  ASSERT_TRUE(
      Act(EventType::kConfide, 0, R"({"red_lines": [{"issue": "price", "require": ["p0"]}]})")
          .ok());
  const uint32_t buyer[] = {0, 0, 1}, seller[] = {3, 2, 1};
  ASSERT_TRUE(Act(EventType::kOffer, 0, {}, buyer).ok());
  ASSERT_TRUE(
      Act(EventType::kConfide, 1, R"({"red_lines": [{"issue": "price", "forbid": ["p0"]}]})").ok());
  ASSERT_TRUE(Act(EventType::kOffer, 1, {}, seller).ok());
  ASSERT_TRUE(Act(EventType::kConfide, 0, R"({"red_lines": []})").ok());
  ASSERT_TRUE(Act(EventType::kObject, 0, R"({"issues": [{"issue": "price"}]})").ok());
  ASSERT_TRUE(Act(EventType::kObject, 1, R"({"issues": [{"issue": "price"}]})").ok());
  EXPECT_FALSE(mediator_->done());
  EXPECT_FALSE(mediator_->diagnosis().has_value());
  ASSERT_NE(mediator_->text(), nullptr);
  EXPECT_NE(mediator_->text()[0], 0u);
}

TEST(MakeMediatorTest, RejectsBadOptions) {
  Scenario s = TradeScenario();
  EXPECT_EQ(MakeMediator(&s.space, 1, {}).status().code(), StatusCode::kInvalidArgument);
  MediationOptions o;
  o.agenda = {{"a", {0}, false}};
  EXPECT_EQ(MakeMediator(&s.space, 2, o).status().code(), StatusCode::kInvalidArgument);
  o = {};
  o.max_visits = -1;
  EXPECT_EQ(MakeMediator(&s.space, 2, o).status().code(), StatusCode::kInvalidArgument);
  OutcomeSpace continuous({Issue::Real("x", 0, 1)});
  EXPECT_EQ(MakeMediator(&continuous, 2, {}).status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace shuttle
