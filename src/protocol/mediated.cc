#include "protocol/mediated.h"

#include <fmt/format.h>

#include <algorithm>

namespace shuttle {

MediatedProtocol::MediatedProtocol(const OutcomeSpace* space, int party_count,
                                   const ProtocolOptions& options, Turn::Kind answer)
    : Protocol(space, party_count, options),
      text_(space->issue_count(), 0),
      proposal_(space->issue_count(), 0),
      answers_(static_cast<size_t>(party_count), 0),
      rng_(options.seed),
      answer_(answer) {
  for (size_t i = 0; i < space->issue_count(); ++i) {
    sizes_.push_back(space->issue(i).size());
    if (sizes_.back() >= 2) mutable_issues_.push_back(static_cast<uint32_t>(i));
  }
}

void MediatedProtocol::MutateRandomly(const std::vector<uint32_t>& base, size_t issue) {
  proposal_ = base;
  const uint64_t size = sizes_[issue];
  if (size < 2) return;
  // A uniform value among the size - 1 others.
  uint64_t v = rng_.Below(size - 1);
  if (v >= base[issue]) ++v;
  proposal_[issue] = static_cast<uint32_t>(v);
}

Event MediatedProtocol::MakeEvent(EventType type, Audience audience, int32_t actor,
                                  double t) const {
  return Event::Of(type, audience, actor, round_, t);
}

std::span<const AudienceRule> MediatedProtocol::audiences() const {
  // A party's answer is heard by the mediator alone (in caucus); the texts, adopted or put to the
  // final vote, are public. Feedback answers only where the protocol asks for them.
  static constexpr AudienceRule kRules[] = {
      {EventType::kStart, kSystem, AudienceKind::kPublic},
      {EventType::kAdopt, kMediator, AudienceKind::kPublic},
      {EventType::kPropose, kMediator, AudienceKind::kPublic},
      {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kPublic},
      {EventType::kAgreement, kSystem, AudienceKind::kPublic},
      {EventType::kNoAgreement, kSystem, AudienceKind::kPublic},
      {EventType::kVote, AudienceRule::kAnyParty, AudienceKind::kCaucus},
      {EventType::kFeedback, AudienceRule::kAnyParty, AudienceKind::kCaucus},
  };
  const std::span<const AudienceRule> rules(kRules);
  return answer_ == Turn::Kind::kFeedback ? rules : rules.first(rules.size() - 1);
}

void MediatedProtocol::Start(EventLog* log) {
  if (phase_ != Phase::kIdle) return;
  AppendStart(log);
  for (size_t i = 0; i < text_.size(); ++i) text_[i] = static_cast<uint32_t>(rng_.Below(sizes_[i]));
  log->Append(MakeEvent(EventType::kAdopt, Audience::Public(), kMediator, 0), text_.data(),
              "initial text");
  NextProposal(0, log);
}

void MediatedProtocol::NextProposal(double t, EventLog* log) {
  // The final vote is the last of the `rounds` rounds (rounds are counted from 0).
  if (options().rounds > 0 && round_ + 1 >= options().rounds) {
    phase_ = Phase::kFinalVote;
    proposal_ = text_;
    log->Append(MakeEvent(EventType::kPropose, Audience::Public(), kMediator, t), text_.data(),
                "final vote");
  } else {
    phase_ = Phase::kAnswering;
    Propose();
    log->Append(MakeEvent(EventType::kPropose, Audience::Public(), kMediator, t), proposal_.data());
  }
  next_party_ = 0;
}

Turn MediatedProtocol::NextTurn() const {
  Turn turn;
  if (phase_ != Phase::kAnswering && phase_ != Phase::kFinalVote) return turn;
  turn.actor = next_party_;
  if (phase_ == Phase::kFinalVote) {
    turn.kind = Turn::Kind::kVote;
    turn.standing = text_.data();
  } else {
    turn.kind = answer_;
    turn.standing = proposal_.data();
    turn.reference = text_.data();
  }
  return turn;
}

Status MediatedProtocol::Check(const Action& action, double t) const {
  if (phase_ == Phase::kIdle) return Status::FailedPrecondition("the negotiation has not started");
  if (phase_ == Phase::kDone) {
    return Status::FailedPrecondition(
        fmt::format("party {} acted after the end of the negotiation", action.actor));
  }
  if (action.actor != next_party_) {
    return Status::FailedPrecondition(fmt::format(
        "party {} acted out of turn: it is party {}'s turn", action.actor, next_party_));
  }
  if (!(t >= last_time_ && t <= 1)) {
    return Status::InvalidArgument(
        fmt::format("time {} is outside [{}, 1] (time never goes back)", t, last_time_));
  }
  if (action.outcome != nullptr) {
    SHUTTLE_RETURN_IF_ERROR(
        CheckOutcome(space(), action.outcome).WithContext(fmt::format("party {}", action.actor)));
  }
  if (action.type == EventType::kEnd) return Status::Ok();
  const bool vote = phase_ == Phase::kFinalVote || answer_ == Turn::Kind::kVote;
  const EventType expected = vote ? EventType::kVote : EventType::kFeedback;
  if (action.type != expected) {
    return Status::FailedPrecondition(fmt::format("party {}: {} takes {} or end now, not '{}'",
                                                  action.actor, name(), EventTypeName(expected),
                                                  EventTypeName(action.type)));
  }
  const bool in_range =
      vote ? (action.value == 0 || action.value == 1) : (action.value >= -1 && action.value <= 1);
  if (!in_range) {
    return Status::InvalidArgument(fmt::format("party {}: {} value {} is not {}", action.actor,
                                               EventTypeName(action.type), action.value,
                                               vote ? "1 (accept) or 0 (reject)" : "+1, 0 or -1"));
  }
  return Status::Ok();
}

Status MediatedProtocol::Apply(const Action& action, double t, EventLog* log) {
  SHUTTLE_RETURN_IF_ERROR(Check(action, t));
  last_time_ = t;
  // The walk-out is public; answers are heard by the mediator alone with that party.
  const Audience audience =
      action.type == EventType::kEnd ? Audience::Public() : Audience::Caucus(action.actor);
  Event e = MakeEvent(action.type, audience, action.actor, t);
  e.value = action.value;
  log->Append(e, action.outcome, action.text);
  if (action.type == EventType::kEnd) {
    Finish(EventType::kNoAgreement, t, log, fmt::format("party {} walked away", action.actor));
    return Status::Ok();
  }
  answers_[action.actor] = action.value;
  if (++next_party_ == party_count()) AfterAnswers(t, log);
  return Status::Ok();
}

void MediatedProtocol::AfterAnswers(double t, EventLog* log) {
  if (phase_ == Phase::kFinalVote) {
    const bool unanimous =
        std::all_of(answers_.begin(), answers_.end(), [](int32_t v) { return v == 1; });
    agreed_ = unanimous;
    if (unanimous) {
      Finish(EventType::kAgreement, t, log, {});
    } else {
      Finish(EventType::kNoAgreement, t, log, "the final text was not ratified");
    }
    return;
  }
  if (Decide(t)) {
    text_ = proposal_;
    log->Append(MakeEvent(EventType::kAdopt, Audience::Public(), kMediator, t), text_.data());
    Adopted();
  }
  ++round_;
  NextProposal(t, log);
}

void MediatedProtocol::Expire(double t, EventLog* log) {
  if (phase_ == Phase::kDone) return;
  Finish(EventType::kNoAgreement, std::max(t, last_time_), log, "deadline: time is up");
}

void MediatedProtocol::Finish(EventType type, double t, EventLog* log, const std::string& why) {
  phase_ = Phase::kDone;
  last_time_ = t;
  log->Append(MakeEvent(type, Audience::Public(), kSystem, t),
              type == EventType::kAgreement ? text_.data() : nullptr, why);
}

}  // namespace shuttle
