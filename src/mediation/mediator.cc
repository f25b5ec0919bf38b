// The shuttle mediator's state machine without a mediator's seat: the engine is the mediator. One
// visit = one caucus per party in order; the mediator's work happens when the last caucus of a
// visit closes (Adviser::EndVisit). Every event a caucus produces has the audience of that caucus;
// what leaves a caucus is only the mediator's own text, its public statement, and each party's own
// share of a diagnosis. With MediationOptions::helm the mediator is a seat instead (helm.cc).
#include <fmt/format.h>

#include "mediation/adviser.h"
#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_internal::AgendaPlan;
using mediation_internal::Confidence;
using mediation_internal::Objection;

class ShuttleMediator final : public Mediator, private mediation_internal::Voice {
 public:
  ShuttleMediator(const OutcomeSpace* space, int parties, const MediationOptions& options,
                  AgendaPlan plan)
      : Mediator(space, parties, mediation_internal::ProtocolOptionsOf(options)),
        options_(options),
        plan_(std::move(plan)),
        adviser_(space, parties, options, &plan_) {}

  void Start(EventLog* log) override;
  Turn NextTurn() const override;
  Status Apply(const Action& action, double t, EventLog* log) override;
  void Expire(double t, EventLog* log) override;
  std::span<const AudienceRule> audiences() const override {
    // Everything a party says, and everything the mediator says to it, stays in its caucus; the
    // mediator's notes (gap contributions, the whole diagnosis) are for the mediator alone; only
    // the start, the statement and the end are public.
    static constexpr AudienceRule kRules[] = {
        {EventType::kStart, kSystem, AudienceKind::kPublic},
        {EventType::kPropose, kMediator, AudienceKind::kCaucus},
        {EventType::kConfide, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAccept, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kObject, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kOffer, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAdopt, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kMediator},
        {EventType::kStatement, kMediator, AudienceKind::kPublic},
        {EventType::kAgreement, kSystem, AudienceKind::kPublic},
        {EventType::kNoAgreement, kSystem, AudienceKind::kPublic},
    };
    return kRules;
  }
  bool done() const override { return done_; }
  const uint32_t* agreement() const override { return agreed_ ? adviser_.text().data() : nullptr; }
  int round() const override { return adviser_.visit() - 1 + (done_ ? 1 : 0); }

  int visit() const override { return adviser_.visit(); }
  MediationStatus status() const override { return status_; }
  int stage() const override { return plan_.agenda_index[adviser_.stage()]; }
  const uint32_t* text() const override {
    return adviser_.has_text() ? adviser_.text().data() : nullptr;
  }
  const std::vector<double>& gap_by_visit() const override { return adviser_.gaps(); }
  const std::vector<std::vector<double>>& gap_contributions() const override {
    return adviser_.contributions();
  }
  const std::optional<ImpasseDiagnosis>& diagnosis() const override { return adviser_.diagnosis(); }
  const std::string& end_reason() const override { return end_reason_; }

 private:
  void Emit(EventType type, Audience audience, int32_t actor, const uint32_t* outcome,
            std::string_view text, int32_t value = 0) {
    log_->Append(Event::Of(type, audience, actor, adviser_.visit() - 1, t_, value), outcome, text);
  }
  void Propose() {
    Emit(EventType::kPropose, Audience::Caucus(caucus_), kMediator, text(),
         mediation_internal::ProposeJson(adviser_.visit(), stage()));
  }
  Status CheckAnswer(const Action& action, Objection* objection) const;

  // Voice: the adviser's decisions as this protocol's events.
  void EndRound(std::string_view gap_note) override {
    Emit(EventType::kNote, Audience::MediatorOnly(), kMediator, nullptr, gap_note);
  }
  void Note(Audience audience, std::string_view text) override {
    Emit(EventType::kNote, audience, kMediator, nullptr, text);
  }
  void Settle(const Outcome& text) override {
    for (int k = 0; k < party_count(); ++k) {
      Emit(EventType::kAdopt, Audience::Caucus(k), kMediator, text.data(),
           mediation_internal::ProposeJson(adviser_.visit(), stage()));
    }
  }
  void Statement(std::string_view text) override {
    Emit(EventType::kStatement, Audience::Public(), kMediator, nullptr, text);
  }
  void Finish(MediationStatus status, const std::string& reason) override {
    status_ = status;
    end_reason_ = reason;
    done_ = true;
    if (status == MediationStatus::kAgreement) {
      agreed_ = true;
      Emit(EventType::kAgreement, Audience::Public(), kSystem, adviser_.text().data(), "agreement");
    } else {
      Emit(EventType::kNoAgreement, Audience::Public(), kSystem, nullptr, reason);
    }
  }

  MediationOptions options_;
  AgendaPlan plan_;
  mediation_internal::Adviser adviser_;
  int caucus_ = 0;
  int confides_ = 0;
  bool done_ = false;
  bool agreed_ = false;
  MediationStatus status_ = MediationStatus::kTalking;
  std::string end_reason_;
  // Where Emit writes, set by each entry point.
  EventLog* log_ = nullptr;
  double t_ = 0;
};

void ShuttleMediator::Start(EventLog* log) {
  log_ = log;
  t_ = 0;
  Emit(EventType::kStart, Audience::Public(), kSystem, nullptr,
       mediation_internal::StartJson(party_count(), options_));
  Propose();
}

Turn ShuttleMediator::NextTurn() const {
  Turn turn;
  if (done_) return turn;
  turn.kind = Turn::Kind::kCaucus;
  turn.actor = caucus_;
  turn.standing = text();
  return turn;
}

Status ShuttleMediator::CheckAnswer(const Action& action, Objection* objection) const {
  return mediation_internal::CheckCaucusAnswer(space(), plan_, adviser_.stage(),
                                               adviser_.has_text(), action, objection);
}

Status ShuttleMediator::Apply(const Action& action, double t, EventLog* log) {
  if (done_) return Status::FailedPrecondition("the mediation is over");
  if (action.actor != caucus_) {
    return Status::FailedPrecondition(fmt::format(
        "party {} is not in caucus (the mediator is with party {})", action.actor, caucus_));
  }
  log_ = log;
  t_ = t;
  const Audience caucus = Audience::Caucus(caucus_);
  if (action.type == EventType::kConfide) {
    if (confides_ >= options_.max_confidences_per_caucus) {
      return Status::FailedPrecondition("too many confidences in one caucus: answer the text");
    }
    SHUTTLE_ASSIGN_OR_RETURN(Confidence c,
                             mediation_internal::ParseConfidence(space(), action.text));
    Emit(EventType::kConfide, caucus, action.actor, nullptr, action.text);
    adviser_.Confide(caucus_, c);
    ++confides_;
    return Status::Ok();
  }
  Objection objection;
  SHUTTLE_RETURN_IF_ERROR(CheckAnswer(action, &objection));
  const bool has_outcome = action.type == EventType::kOffer;
  Emit(action.type, caucus, action.actor, has_outcome ? action.outcome : nullptr, action.text,
       action.value);
  if (action.type == EventType::kEnd) {
    Statement(PublicStatement(adviser_.Facts(MediationStatus::kImpasse)));
    Finish(MediationStatus::kImpasse, "walk-out");
    return Status::Ok();
  }
  adviser_.Record(caucus_, action, objection, adviser_.has_text() ? &adviser_.text() : nullptr);
  confides_ = 0;
  if (++caucus_ < party_count()) {
    Propose();
    return Status::Ok();
  }
  adviser_.EndVisit(this);
  if (done_) return Status::Ok();
  caucus_ = 0;
  Propose();
  return Status::Ok();
}

void ShuttleMediator::Expire(double t, EventLog* log) {
  if (done_) return;
  log_ = log;
  t_ = t;
  status_ = MediationStatus::kImpasse;
  end_reason_ = "deadline";
  done_ = true;
  Emit(EventType::kNoAgreement, Audience::Public(), kSystem, nullptr, "deadline");
}

}  // namespace

Result<std::unique_ptr<Mediator>> MakeMediator(const OutcomeSpace* space, int party_count,
                                               const MediationOptions& options) {
  if (party_count < 2)
    return Status::InvalidArgument(
        fmt::format("a mediation needs two parties or more, not {}", party_count));
  for (const Issue& issue : space->issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(fmt::format(
          "issue '{}' is continuous: put it on its grid first (OnMediationGrid)", issue.name()));
    }
  }
  if (options.max_visits < 0) return Status::InvalidArgument("max_visits must be >= 0");
  if (options.red_line_evidence < 1)
    return Status::InvalidArgument("red_line_evidence must be >= 1");
  if (options.stall_visits < 0) return Status::InvalidArgument("stall_visits must be >= 0");
  if (options.patience < 1) return Status::InvalidArgument("patience must be >= 1");
  if (options.max_confidences_per_caucus < 0)
    return Status::InvalidArgument("max_confidences_per_caucus must be >= 0");
  SHUTTLE_RETURN_IF_ERROR(options.rule.Validate(party_count));
  MediationOptions o = options;
  SHUTTLE_ASSIGN_OR_RETURN(AgendaPlan plan,
                           mediation_internal::PlanMediation(*space, party_count, &o));
  if (o.helm) return MakeHelmMediator(space, party_count, o, std::move(plan));
  return std::unique_ptr<Mediator>(new ShuttleMediator(space, party_count, o, std::move(plan)));
}

}  // namespace shuttle
