// The shuttle protocol with a mediator's seat (MediationOptions::helm), and the engine's player of
// that seat. The protocol is the neutral table: it keeps the turn (who has the floor), checks that
// every move is legal and names what is wrong when it is not, says who hears each event, settles a
// stage only on a text every party accepted, and ends the talks; it holds no model of any party.
// What the mediator knows and how the engine decides are the Adviser's (adviser.h), which the
// engine's player feeds from what the seat sees.
#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "mediation/adviser.h"
#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_internal::AgendaPlan;
using mediation_internal::Objection;
using mediation_internal::Question;
using mediation_internal::Role;

class HelmMediator final : public Mediator {
 public:
  HelmMediator(const OutcomeSpace* space, int parties, const MediationOptions& options,
               AgendaPlan plan)
      : Mediator(space, parties, mediation_internal::ProtocolOptionsOf(options)),
        options_(options),
        plan_(std::move(plan)) {
    const size_t n = space->issue_count();
    text_.assign(n, 0);
    settled_.assign(n, 0);
    shown_.assign(parties, Outcome());
    open_.assign(parties, {});
    accepted_.assign(parties, false);
    coalition_.assign(parties, true);
    bids_.assign(parties, std::nullopt);
  }

  void Start(EventLog* log) override {
    Emit(log, EventType::kStart, Audience::Public(), kSystem, 0, nullptr,
         mediation_internal::StartJson(party_count(), options_));
  }
  Turn NextTurn() const override;
  Status Apply(const Action& action, double t, EventLog* log) override;
  void Expire(double t, EventLog* log) override {
    if (!done_) Finish(t, log, MediationStatus::kImpasse, "deadline");
  }
  std::span<const AudienceRule> audiences() const override {
    // A caucus is heard by its party and the mediator; the mediator's own notes and its round and
    // settle moves by the mediator alone; the start, statements and the end by everyone.
    static constexpr AudienceRule kRules[] = {
        {EventType::kStart, kSystem, AudienceKind::kPublic},
        {EventType::kOpen, kMediator, AudienceKind::kCaucus},
        {EventType::kPropose, kMediator, AudienceKind::kCaucus},
        {EventType::kAsk, kMediator, AudienceKind::kCaucus},
        {EventType::kLeave, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kMediator},
        {EventType::kRound, kMediator, AudienceKind::kMediator},
        {EventType::kSettle, kMediator, AudienceKind::kMediator},
        {EventType::kClose, kMediator, AudienceKind::kMediator},
        {EventType::kStatement, kMediator, AudienceKind::kPublic},
        {EventType::kConfide, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAccept, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kObject, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kOffer, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAnswer, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAdopt, kSystem, AudienceKind::kCaucus},
        {EventType::kNote, kSystem, AudienceKind::kCaucus},
        {EventType::kAgreement, kSystem, AudienceKind::kPublic},
        {EventType::kNoAgreement, kSystem, AudienceKind::kPublic},
    };
    return kRules;
  }
  bool seats_mediator() const override { return true; }
  bool done() const override { return done_; }
  const uint32_t* agreement() const override { return agreed_ ? settled_.data() : nullptr; }
  int round() const override { return rounds_; }

  int visit() const override {
    return done_ && !met_since_round_ ? std::max(1, rounds_) : rounds_ + 1;
  }
  MediationStatus status() const override { return status_; }
  int stage() const override {
    return stage_ < static_cast<int>(plan_.stages.size()) ? plan_.agenda_index[stage_]
                                                          : plan_.agenda_index.back();
  }
  const uint32_t* text() const override { return has_text_ ? text_.data() : nullptr; }
  const std::vector<double>& gap_by_visit() const override { return gaps_; }
  const std::vector<std::vector<double>>& gap_contributions() const override {
    return contributions_;
  }
  const std::optional<ImpasseDiagnosis>& diagnosis() const override { return diagnosis_; }
  const std::string& end_reason() const override { return end_reason_; }

 private:
  enum class Floor : uint8_t { kMediator, kParty };

  bool all_settled() const { return stage_ >= static_cast<int>(plan_.stages.size()); }
  // The open stage is the bidding step (MediationOptions::bidding): the last one.
  bool bidding() const {
    return mediation_internal::IsBiddingStage(options_.bidding, plan_, stage_);
  }

  void Emit(EventLog* log, EventType type, Audience audience, int32_t actor, double t,
            const uint32_t* outcome, std::string_view text, int32_t value = 0) {
    log->Append(Event::Of(type, audience, actor, rounds_, t, value), outcome, text);
  }

  Status ApplyMediator(const Action& action, double t, EventLog* log);
  Status ApplyParty(const Action& action, double t, EventLog* log);
  Status PutText(const Action& action, double t, EventLog* log);
  Status CheckImprovement(const Action& action,
                          const mediation_internal::TextRequest& request) const;
  Status Settle(double t, EventLog* log);
  Status CheckBidQuestion(const Question& question) const;
  void CloseBiddingRound(double t, EventLog* log);
  Result<Outcome> AcceptedUnderRule(bool improvement, std::vector<bool>* accepting);
  void Finish(double t, EventLog* log, MediationStatus status, const std::string& reason);
  void Observe(EventType type, std::string_view text);

  MediationOptions options_;
  AgendaPlan plan_;
  int rounds_ = 0;
  int stage_ = 0;
  int caucus_ = -1;  // The party in caucus, or -1.
  Floor floor_ = Floor::kMediator;
  bool question_ = false;  // The party's floor is for answering a question (else a text).
  Question asked_;
  int confides_ = 0;
  bool met_since_round_ = false;
  std::vector<Outcome> shown_;          // Per party: the last text put to it at this stage.
  std::vector<std::vector<int>> open_;  // Per party: the issues that text left open.
  std::vector<bool> accepted_;          // Per party: it accepted shown_ and nothing since.
  std::vector<bool> coalition_;         // The parties who accepted the last settled text.
  Outcome text_;                        // The last complete text put to anyone.
  bool has_text_ = false;
  Outcome settled_;  // The agreed values of settled stages (0 elsewhere).
  bool done_ = false;
  bool agreed_ = false;
  MediationStatus status_ = MediationStatus::kTalking;
  std::string end_reason_;
  std::vector<double> gaps_;
  std::vector<std::vector<double>> contributions_;
  std::optional<ImpasseDiagnosis> diagnosis_;
  // The bidding step: rounds ended, and each party's bid in the current one.
  int bid_rounds_ = 0;
  std::vector<std::optional<uint32_t>> bids_;
};

Turn HelmMediator::NextTurn() const {
  Turn turn;
  if (done_) return turn;
  if (caucus_ >= 0 && floor_ == Floor::kParty) {
    turn.kind = question_ ? Turn::Kind::kAnswer : Turn::Kind::kCaucus;
    turn.actor = caucus_;
    turn.standing = shown_[caucus_].empty() ? nullptr : shown_[caucus_].data();
    return turn;
  }
  turn.kind = Turn::Kind::kHelm;
  turn.actor = kMediator;
  if (caucus_ >= 0 && !shown_[caucus_].empty()) turn.standing = shown_[caucus_].data();
  return turn;
}

Status HelmMediator::Apply(const Action& action, double t, EventLog* log) {
  if (done_) return Status::FailedPrecondition("the mediation is over");
  if (action.actor == kMediator) {
    if (floor_ == Floor::kParty) {
      return Status::FailedPrecondition(
          fmt::format("party {} has the floor in caucus: wait for its answer", caucus_));
    }
    return ApplyMediator(action, t, log);
  }
  if (action.actor < 0 || action.actor >= party_count())
    return Status::FailedPrecondition(fmt::format("no party {}", action.actor));
  if (action.actor != caucus_) {
    return Status::FailedPrecondition(
        caucus_ < 0 ? fmt::format("party {} is not in caucus (no caucus is open)", action.actor)
                    : fmt::format("party {} is not in caucus (the mediator is with party {})",
                                  action.actor, caucus_));
  }
  if (floor_ != Floor::kParty) {
    return Status::FailedPrecondition(
        fmt::format("party {} has nothing to answer: the mediator has the floor", action.actor));
  }
  return ApplyParty(action, t, log);
}

Status HelmMediator::ApplyMediator(const Action& action, double t, EventLog* log) {
  const bool in_caucus = caucus_ >= 0;
  auto out_of_caucus = [&](const char* move) -> Status {
    if (in_caucus) {
      return Status::FailedPrecondition(
          fmt::format("{}: the caucus with party {} is open; leave it first", move, caucus_));
    }
    return Status::Ok();
  };
  auto in_a_caucus = [&](const char* move) -> Status {
    if (!in_caucus) return Status::FailedPrecondition(fmt::format("{}: no caucus is open", move));
    return Status::Ok();
  };
  switch (action.type) {
    case EventType::kOpen: {
      SHUTTLE_RETURN_IF_ERROR(out_of_caucus("open"));
      if (action.value < 0 || action.value >= party_count())
        return Status::InvalidArgument(fmt::format("open: no party {}", action.value));
      if (!action.text.empty()) return Status::InvalidArgument("open: takes no text");
      caucus_ = action.value;
      confides_ = 0;
      met_since_round_ = true;
      Emit(log, EventType::kOpen, Audience::Caucus(caucus_), kMediator, t, nullptr, {},
           action.value);
      return Status::Ok();
    }
    case EventType::kLeave: {
      SHUTTLE_RETURN_IF_ERROR(in_a_caucus("leave"));
      if (!action.text.empty()) return Status::InvalidArgument("leave: takes no text");
      Emit(log, EventType::kLeave, Audience::Caucus(caucus_), kMediator, t, nullptr, {});
      caucus_ = -1;
      return Status::Ok();
    }
    case EventType::kPropose: {
      SHUTTLE_RETURN_IF_ERROR(in_a_caucus("text"));
      if (bidding()) {
        return Status::FailedPrecondition(fmt::format(
            "text: the last issue, '{}', is settled by blind bidding: ask the party for its bid "
            "({{\"kind\": \"bid\", \"issue\": \"{}\"}})",
            space().issue(options_.bidding.issue).name(),
            space().issue(options_.bidding.issue).name()));
      }
      return PutText(action, t, log);
    }
    case EventType::kAsk: {
      SHUTTLE_RETURN_IF_ERROR(in_a_caucus("ask"));
      SHUTTLE_ASSIGN_OR_RETURN(Question question,
                               mediation_internal::ParseQuestion(space(), action.text));
      if (question.kind == Question::Kind::kBid)
        SHUTTLE_RETURN_IF_ERROR(CheckBidQuestion(question));
      asked_ = std::move(question);
      Emit(log, EventType::kAsk, Audience::Caucus(caucus_), kMediator, t, nullptr, action.text);
      floor_ = Floor::kParty;
      question_ = true;
      return Status::Ok();
    }
    case EventType::kNote: {
      if (action.text.empty()) return Status::InvalidArgument("note: empty text");
      if (action.value != kMediator && (action.value < 0 || action.value >= party_count()))
        return Status::InvalidArgument(fmt::format("note: no party {}", action.value));
      Observe(EventType::kNote, action.value == kMediator ? action.text : std::string_view());
      Emit(log, EventType::kNote,
           action.value == kMediator ? Audience::MediatorOnly() : Audience::Caucus(action.value),
           kMediator, t, nullptr, action.text, action.value);
      return Status::Ok();
    }
    case EventType::kStatement: {
      if (action.text.empty()) return Status::InvalidArgument("statement: empty text");
      Emit(log, EventType::kStatement, Audience::Public(), kMediator, t, nullptr, action.text);
      return Status::Ok();
    }
    case EventType::kRound: {
      SHUTTLE_RETURN_IF_ERROR(out_of_caucus("round"));
      Observe(EventType::kRound, action.text);
      Emit(log, EventType::kRound, Audience::MediatorOnly(), kMediator, t, nullptr, action.text);
      ++rounds_;
      met_since_round_ = false;
      if (bidding()) CloseBiddingRound(t, log);
      return Status::Ok();
    }
    case EventType::kSettle: {
      SHUTTLE_RETURN_IF_ERROR(out_of_caucus("settle"));
      if (bidding()) {
        return Status::FailedPrecondition(
            "settle: the bidding step settles by its rule when a round ends (end the round)");
      }
      return Settle(t, log);
    }
    case EventType::kClose: {
      SHUTTLE_RETURN_IF_ERROR(out_of_caucus("close"));
      Emit(log, EventType::kClose, Audience::MediatorOnly(), kMediator, t, nullptr, action.text);
      if (all_settled()) {
        Finish(t, log, MediationStatus::kAgreement, "agreement");
      } else {
        Finish(t, log, MediationStatus::kImpasse,
               action.text.empty() ? "closed by the mediator" : std::string(action.text));
      }
      return Status::Ok();
    }
    default:
      return Status::FailedPrecondition(fmt::format(
          "the mediator may open, leave, put a text, ask, note, state, end a round, settle or "
          "close, not '{}'",
          EventTypeName(action.type)));
  }
}

Status HelmMediator::PutText(const Action& action, double t, EventLog* log) {
  SHUTTLE_ASSIGN_OR_RETURN(mediation_internal::TextRequest request,
                           mediation_internal::ParseTextRequest(space(), action.text));
  // After agreement, a complete text is a proposed improvement on the agreed outcome: the
  // parties answer it as such, and it replaces the agreement only when they accept it (Settle).
  const bool improves = all_settled();
  if (improves) {
    SHUTTLE_RETURN_IF_ERROR(CheckImprovement(action, request));
  } else if (action.outcome != nullptr) {
    SHUTTLE_RETURN_IF_ERROR(CheckOutcome(space(), action.outcome).WithContext("text"));
    for (size_t i = 0; i < space().issue_count(); ++i) {
      if (plan_.RoleAt(stage_, static_cast<int>(i)) == Role::kSettled &&
          action.outcome[i] != settled_[i]) {
        return Status::InvalidArgument(fmt::format("text: issue '{}' is settled at '{}'",
                                                   space().issue(i).name(),
                                                   space().issue(i).ValueLabel(settled_[i])));
      }
    }
  } else if (!request.open.empty()) {
    return Status::InvalidArgument("text: a text that leaves issues open needs the others");
  }
  for (int i : request.open) {
    if (plan_.RoleAt(stage_, i) != Role::kOpen) {
      return Status::InvalidArgument(
          fmt::format("text: issue '{}' is not on the table", space().issue(i).name()));
    }
  }
  const std::string logged = mediation_internal::ProposeJson(space(), rounds_ + 1, stage(),
                                                             request.open, request.words, improves);
  Emit(log, EventType::kPropose, Audience::Caucus(caucus_), kMediator, t, action.outcome, logged);
  if (action.outcome != nullptr) {
    shown_[caucus_].assign(action.outcome, action.outcome + space().issue_count());
    if (request.open.empty() && !improves) {
      text_ = shown_[caucus_];
      has_text_ = true;
    }
  } else {
    shown_[caucus_].clear();
  }
  open_[caucus_] = request.open;
  accepted_[caucus_] = false;
  floor_ = Floor::kParty;
  question_ = false;
  confides_ = 0;
  return Status::Ok();
}

// An improvement must be a complete outcome that keeps the deferred issues as they are.
Status HelmMediator::CheckImprovement(const Action& action,
                                      const mediation_internal::TextRequest& request) const {
  if (action.outcome == nullptr || !request.open.empty()) {
    return Status::InvalidArgument(
        "text: after agreement only a complete outcome (an improvement on the agreed one)");
  }
  SHUTTLE_RETURN_IF_ERROR(CheckOutcome(space(), action.outcome).WithContext("text"));
  for (size_t i = 0; i < space().issue_count(); ++i) {
    if (plan_.stage_of_issue[i] < 0 && action.outcome[i] != settled_[i]) {
      return Status::InvalidArgument(
          fmt::format("text: issue '{}' is deferred", space().issue(i).name()));
    }
  }
  return Status::Ok();
}

Status HelmMediator::ApplyParty(const Action& action, double t, EventLog* log) {
  const Audience caucus = Audience::Caucus(caucus_);
  if (action.type == EventType::kConfide) {
    if (confides_ >= options_.max_confidences_per_caucus) {
      return Status::FailedPrecondition("too many confidences in one caucus: answer the mediator");
    }
    SHUTTLE_RETURN_IF_ERROR(
        mediation_internal::ParseConfidence(space(), action.text).status().WithContext("confide"));
    Emit(log, EventType::kConfide, caucus, action.actor, t, nullptr, action.text);
    ++confides_;
    return Status::Ok();
  }
  if (action.type == EventType::kEnd && all_settled()) {
    return Status::FailedPrecondition(
        "the talks are agreed: object to the proposed improvement to keep the agreement");
  }
  if (action.type == EventType::kEnd) {
    Emit(log, EventType::kEnd, caucus, action.actor, t, nullptr, action.text);
    Finish(t, log, MediationStatus::kImpasse, "walk-out");
    return Status::Ok();
  }
  if (question_) {
    if (action.type != EventType::kAnswer) {
      return Status::FailedPrecondition(
          fmt::format("the mediator asked a question: answer it, confide or end, not '{}'",
                      EventTypeName(action.type)));
    }
    SHUTTLE_ASSIGN_OR_RETURN(mediation_internal::Reply reply,
                             mediation_internal::ParseReply(space(), asked_, action.text));
    Emit(log, EventType::kAnswer, caucus, action.actor, t, nullptr, action.text);
    if (asked_.kind == Question::Kind::kBid && !reply.declined) bids_[caucus_] = reply.values[0];
    floor_ = Floor::kMediator;
    return Status::Ok();
  }
  if (all_settled()) {
    // An improvement on the agreement is accepted or declined (an objection naming the issues
    // where it is worse); the agreement stands either way until every party accepts one.
    if (action.type == EventType::kObject) {
      SHUTTLE_RETURN_IF_ERROR(
          mediation_internal::ParseObjection(space(), action.text).status().WithContext("object"));
    } else if (action.type != EventType::kAccept) {
      return Status::FailedPrecondition(fmt::format(
          "the talks are agreed: accept the proposed improvement or object to it, not '{}'",
          EventTypeName(action.type)));
    }
    Emit(log, action.type, caucus, action.actor, t, nullptr, action.text, action.value);
    accepted_[caucus_] = action.type == EventType::kAccept && !shown_[caucus_].empty();
    floor_ = Floor::kMediator;
    return Status::Ok();
  }
  Objection objection;
  SHUTTLE_RETURN_IF_ERROR(mediation_internal::CheckCaucusAnswer(
      space(), plan_, stage_, !shown_[caucus_].empty(), action, &objection));
  Emit(log, action.type, caucus, action.actor, t,
       action.type == EventType::kOffer ? action.outcome : nullptr, action.text, action.value);
  accepted_[caucus_] =
      action.type == EventType::kAccept && !shown_[caucus_].empty() && open_[caucus_].empty();
  floor_ = Floor::kMediator;
  return Status::Ok();
}

// Unanimity: every party accepted the same complete text. Otherwise the parties who accepted one
// text must satisfy the rule (after agreement: include every party who accepted the agreement, so
// nobody who agreed can lose by an improvement). The parties who accepted are recorded in the
// mediator's own kSettle; kAdopt tells every party the outcome and nothing of who accepted.
Status HelmMediator::Settle(double t, EventLog* log) {
  const bool improvement = all_settled();
  std::vector<bool> accepting(party_count(), true);
  Outcome agreed;
  if (options_.rule.unanimous()) {
    for (int k = 0; k < party_count(); ++k) {
      if (!accepted_[k]) {
        return Status::FailedPrecondition(fmt::format(
            "settle: party {} has not accepted the text (the last complete text put to it)", k));
      }
      if (shown_[k] != shown_[0]) {
        return Status::FailedPrecondition(
            fmt::format("settle: parties 0 and {} accepted different texts", k));
      }
    }
    agreed = shown_[0];
  } else {
    SHUTTLE_ASSIGN_OR_RETURN(agreed, AcceptedUnderRule(improvement, &accepting));
  }
  Emit(log, EventType::kSettle, Audience::MediatorOnly(), kMediator, t, nullptr,
       options_.rule.unanimous() ? std::string() : mediation_internal::SettleJson(accepting));
  coalition_ = accepting;
  if (improvement) {
    settled_ = agreed;  // The coalition accepted the improvement: it replaces the agreement.
  } else {
    for (int i : plan_.stages[stage_]) settled_[i] = agreed[i];
  }
  for (int k = 0; k < party_count(); ++k) {
    Emit(log, EventType::kAdopt, Audience::Caucus(k), kSystem, t, agreed.data(),
         mediation_internal::ProposeJson(space(), rounds_ + 1, stage(), {}, {}, improvement));
  }
  if (!improvement) ++stage_;
  for (int k = 0; k < party_count(); ++k) {
    shown_[k].clear();
    open_[k].clear();
    accepted_[k] = false;
  }
  diagnosis_.reset();
  return Status::Ok();
}

// A bid is asked for at the bidding step, on its issue, once per party and round.
Status HelmMediator::CheckBidQuestion(const Question& question) const {
  if (!bidding()) {
    return Status::FailedPrecondition(
        options_.bidding.enabled()
            ? "ask: a bid is asked for at the bidding step, once every other stage is settled"
            : "ask: this mediation has no bidding step");
  }
  if (question.issue != options_.bidding.issue) {
    return Status::InvalidArgument(fmt::format("ask: the bidding is on '{}', not '{}'",
                                               space().issue(options_.bidding.issue).name(),
                                               space().issue(question.issue).name()));
  }
  if (bids_[caucus_]) {
    return Status::FailedPrecondition(
        fmt::format("ask: party {} has bid in this round ({} of {}); end the round", caucus_,
                    bid_rounds_ + 1, options_.bidding.rounds));
  }
  return Status::Ok();
}

// The end of a bidding round: the table, not the seat, applies the rule to the claimant's demand
// and the respondent's offer. Each party hears the round's result in caucus (the settlement, or
// that there was none: never a bid); a settlement settles the last stage and ends the talks in
// agreement, and the round limit without one ends them without.
void HelmMediator::CloseBiddingRound(double t, EventLog* log) {
  const MediationOptions::Bidding& b = options_.bidding;
  ++bid_rounds_;
  const int claimant = b.rules.claimant, respondent = 1 - claimant;
  std::optional<BidSettlement> settlement;
  if (bids_[claimant] && bids_[respondent]) {
    settlement = SettleBids(space().issue(b.issue), b.rules, *bids_[claimant], *bids_[respondent]);
  }
  bids_.assign(party_count(), std::nullopt);
  const std::string note =
      mediation_internal::BiddingNoteJson(space(), b.issue, bid_rounds_, b.rounds, settlement);
  for (int k = 0; k < party_count(); ++k)
    Emit(log, EventType::kNote, Audience::Caucus(k), kSystem, t, nullptr, note);
  if (settlement) {
    settled_[b.issue] = settlement->amount;
    for (int k = 0; k < party_count(); ++k) {
      Emit(log, EventType::kAdopt, Audience::Caucus(k), kSystem, t, settled_.data(),
           mediation_internal::ProposeJson(space(), rounds_ + 1, stage(), {}, {}, false));
    }
    ++stage_;
    Finish(t, log, MediationStatus::kAgreement, "agreement");
  } else if (bid_rounds_ >= b.rounds) {
    Finish(t, log, MediationStatus::kImpasse,
           fmt::format("blind bidding: no settlement in {} rounds", b.rounds));
  }
}

// The first text (in party order) whose acceptors satisfy the rule, or after agreement include the
// agreement's coalition; *accepting receives them.
Result<Outcome> HelmMediator::AcceptedUnderRule(bool improvement, std::vector<bool>* accepting) {
  int most = 0;
  for (int k = 0; k < party_count(); ++k) {
    if (!accepted_[k]) continue;
    std::vector<bool> same(party_count(), false);
    int count = 0;
    for (int j = 0; j < party_count(); ++j) {
      same[j] = accepted_[j] && shown_[j] == shown_[k];
      count += same[j] ? 1 : 0;
    }
    bool ok = options_.rule.SatisfiedBy(same);
    if (improvement) {
      for (int j = 0; j < party_count(); ++j) ok = ok && (same[j] || !coalition_[j]);
    }
    if (ok) {
      *accepting = std::move(same);
      return shown_[k];
    }
    most = std::max(most, count);
  }
  if (improvement) {
    return Status::FailedPrecondition(
        "settle: not every party who accepted the agreement has accepted the improvement");
  }
  std::string required;
  for (int k : options_.rule.required)
    required += fmt::format("{}{}", required.empty() ? "" : ", ", k);
  return Status::FailedPrecondition(
      fmt::format("settle: at most {} parties accepted one text; the agreement rule needs {}{}",
                  most, options_.rule.Needed(party_count()),
                  required.empty() ? "" : fmt::format(", parties {} among them", required)));
}

void HelmMediator::Finish(double t, EventLog* log, MediationStatus status,
                          const std::string& reason) {
  status_ = status;
  end_reason_ = reason;
  done_ = true;
  caucus_ = -1;
  if (status == MediationStatus::kAgreement) {
    agreed_ = true;
    Emit(log, EventType::kAgreement, Audience::Public(), kSystem, t, settled_.data(), "agreement");
  } else {
    Emit(log, EventType::kNoAgreement, Audience::Public(), kSystem, t, nullptr, reason);
  }
}

// The mediator's own figures, read from its moves: the gap from a round's note, a diagnosis from a
// note to itself. Texts that are not those (a person's words) are simply not figures.
void HelmMediator::Observe(EventType type, std::string_view text) {
  if (text.empty()) return;
  if (type == EventType::kRound) {
    Result<std::pair<double, std::vector<double>>> gap = mediation_internal::ParseGapNote(text);
    if (gap.ok() && gap->second.size() == static_cast<size_t>(party_count())) {
      gaps_.push_back(gap->first);
      contributions_.push_back(gap->second);
    }
    return;
  }
  Result<ImpasseDiagnosis> d = mediation_internal::ParseDiagnosis(space(), text);
  if (d.ok()) diagnosis_ = *std::move(d);
}

// The engine's player of the mediator's seat: one caucus per party in order per visit, the text
// the Adviser finds, with options.ask a could-you-live-with question on each open issue the
// party's answer did not list, and the Adviser's end-of-visit decisions as moves.
class EngineMediator final : public Agent, private mediation_internal::Voice {
 public:
  EngineMediator(const OutcomeSpace* space, int parties, const MediationOptions& options,
                 AgendaPlan plan)
      : space_(space),
        ask_(options.ask),
        bidding_(options.bidding),
        plan_(std::move(plan)),
        adviser_(space, parties, options, &plan_) {}

  const std::string& name() const override { return name_; }
  Status Init(const AgentContext& context) override { return Status::Ok(); }
  void Observe(const EventLog& log, const Event& event) override;
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override;

 private:
  struct Move {
    EventType type = EventType::kNote;
    int32_t value = 0;
    Outcome outcome;
    std::string text;
  };

  // Voice: the adviser's decisions, queued as moves.
  void EndRound(std::string_view gap_note) override {
    queue_.push_back({EventType::kRound, 0, {}, std::string(gap_note)});
  }
  void Note(Audience audience, std::string_view text) override {
    const int32_t to = audience.kind == AudienceKind::kCaucus ? audience.party : kMediator;
    queue_.push_back({EventType::kNote, to, {}, std::string(text)});
  }
  void Settle(const Outcome&) override { queue_.push_back({EventType::kSettle, 0, {}, {}}); }
  void Statement(std::string_view text) override {
    queue_.push_back({EventType::kStatement, 0, {}, std::string(text)});
  }
  void Finish(MediationStatus status, const std::string& reason) override {
    finished_ = true;
    queue_.push_back(
        {EventType::kClose, 0, {}, status == MediationStatus::kAgreement ? "" : reason});
  }

  const OutcomeSpace& space() const { return *space_; }

  // The open stage is the bidding step: ask each party for its bid, end the round, say so.
  bool bidding() const {
    return mediation_internal::IsBiddingStage(bidding_, plan_, adviser_.stage());
  }

  std::string name_ = "engine";
  const OutcomeSpace* space_;
  bool ask_ = false;
  MediationOptions::Bidding bidding_;
  int bid_rounds_ = 0;  // Bidding rounds ended.
  AgendaPlan plan_;     // The adviser's (it keeps a pointer).
  mediation_internal::Adviser adviser_;
  std::deque<Move> queue_;
  Move current_;
  int next_ = 0;        // The next party to see in this visit.
  int caucus_ = -1;     // The party in caucus.
  bool put_ = false;    // The text was put in this caucus.
  bool shown_ = false;  // It was a text (not an invitation to propose).
  Outcome shown_text_;
  bool finished_ = false;
  bool answered_ = false;   // The party in caucus answered the text.
  std::deque<int> to_ask_;  // Issues to ask the party in caucus about.
  mediation_internal::Question asked_;
  bool asking_ = false;  // A question waits for its answer.
};

void EngineMediator::Observe(const EventLog& log, const Event& event) {
  if (event.actor < 0 || event.actor != caucus_) return;
  const EventRecord r = log.RecordOf(event);
  if (event.type == EventType::kAnswer) {
    if (!asking_) return;
    asking_ = false;
    Result<mediation_internal::Reply> reply =
        mediation_internal::ParseReply(space(), asked_, r.text);
    if (reply.ok()) adviser_.Hear(event.actor, asked_, *reply, shown_ ? &shown_text_ : nullptr);
    return;
  }
  adviser_.HearMove(event.actor, ActionOf(r), shown_ ? &shown_text_ : nullptr);
  if (!put_ || !shown_ || answered_ || !ask_ || adviser_.improving()) return;
  if (event.type != EventType::kAccept && event.type != EventType::kObject) return;
  answered_ = true;
  if (adviser_.model(event.actor).exact()) return;  // It confided its profile: nothing to ask.
  // Ask about every open issue the answer did not list value by value.
  mediation_internal::Objection objection;
  if (event.type == EventType::kObject) {
    Result<mediation_internal::Objection> o = mediation_internal::ParseObjection(space(), r.text);
    if (o.ok()) objection = *o;
  }
  for (int i : plan_.stages[adviser_.stage()]) {
    bool listed = false;
    for (const auto& item : objection.issues)
      listed = listed || (item.issue == i && item.has_values);
    if (!listed && space().issue(i).size() > 1) to_ask_.push_back(i);
  }
}

void EngineMediator::Act(const Turn& turn, double t, Action* action, uint32_t* scratch) {
  action->actor = kMediator;
  if (queue_.empty()) {
    if (caucus_ >= 0 && put_ && !to_ask_.empty()) {
      asked_ = mediation_internal::Question{};
      asked_.kind = mediation_internal::Question::Kind::kLiveWith;
      asked_.issue = to_ask_.front();
      to_ask_.pop_front();
      for (uint32_t v = 0; v < space().issue(asked_.issue).size(); ++v) asked_.values.push_back(v);
      asking_ = true;
      queue_.push_back({EventType::kAsk, 0, {}, mediation_internal::QuestionJson(space(), asked_)});
    } else if (caucus_ >= 0 && !put_ && bidding()) {
      put_ = true;
      asked_ = mediation_internal::Question{};
      asked_.kind = mediation_internal::Question::Kind::kBid;
      asked_.issue = bidding_.issue;
      asking_ = true;
      queue_.push_back({EventType::kAsk, 0, {}, mediation_internal::QuestionJson(space(), asked_)});
    } else if (caucus_ >= 0 && !put_) {
      put_ = true;
      answered_ = false;
      shown_ = adviser_.has_text();
      shown_text_ = adviser_.text();
      queue_.push_back({EventType::kPropose, 0, shown_ ? shown_text_ : Outcome(), {}});
    } else if (caucus_ >= 0) {
      caucus_ = -1;
      ++next_;
      queue_.push_back({EventType::kLeave, 0, {}, {}});
    } else if (finished_) {
      // Nothing left to say: the talks are closed (the protocol ended them).
    } else if (next_ < adviser_.party_count()) {
      caucus_ = next_;
      put_ = false;
      queue_.push_back({EventType::kOpen, next_, {}, {}});
    } else if (bidding()) {
      // The table applies the rule when the round ends: a settlement ends the talks there, so
      // the statement goes out only when the bids did not settle.
      ++bid_rounds_;
      queue_.push_back({EventType::kRound, 0, {}, {}});
      queue_.push_back(
          {EventType::kStatement,
           0,
           {},
           fmt::format("Blind bidding on {}, round {} of {}: no settlement.",
                       space().issue(bidding_.issue).name(), bid_rounds_, bidding_.rounds)});
      next_ = 0;
    } else {
      adviser_.EndVisit(this);
      next_ = 0;
    }
  }
  if (queue_.empty()) {
    action->type = EventType::kClose;
    action->text = {};
    return;
  }
  current_ = std::move(queue_.front());
  queue_.pop_front();
  action->type = current_.type;
  action->value = current_.value;
  action->text = current_.text;
  action->outcome = nullptr;
  if (!current_.outcome.empty()) {
    std::copy(current_.outcome.begin(), current_.outcome.end(), scratch);
    action->outcome = scratch;
  }
}

}  // namespace

Result<std::unique_ptr<Mediator>> MakeHelmMediator(const OutcomeSpace* space, int party_count,
                                                   const MediationOptions& options,
                                                   mediation_internal::AgendaPlan plan) {
  return std::unique_ptr<Mediator>(new HelmMediator(space, party_count, options, std::move(plan)));
}

Result<std::unique_ptr<Agent>> MakeEngineMediator(const OutcomeSpace* space, int party_count,
                                                  const MediationOptions& options) {
  MediationOptions o = options;
  SHUTTLE_ASSIGN_OR_RETURN(AgendaPlan plan,
                           mediation_internal::PlanMediation(*space, party_count, &o));
  return std::unique_ptr<Agent>(new EngineMediator(space, party_count, o, std::move(plan)));
}

}  // namespace shuttle
