// Stacked alternating offers (SAOP in GENIUS): parties move in turn 0, 1, ..., n-1, 0, ...; the
// first move is an offer; every later move accepts the standing offer, replaces it with a
// counter-offer, or ends the negotiation. An offer is agreed once each of the other n-1 parties
// has accepted it in turn. A round is one move by every party; at the round limit the
// negotiation ends without agreement (so the last counter-offer of the last round is never
// answered, as in GENIUS). Every event is public.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "protocol/protocols.h"

namespace shuttle {
namespace {

class SaoProtocol final : public Protocol {
 public:
  SaoProtocol(const OutcomeSpace* space, int party_count, const ProtocolOptions& options)
      : Protocol(space, party_count, options),
        standing_(space->issue_count(), 0),
        agreed_(space->issue_count(), 0) {
    for (const Issue& issue : space->issues()) sizes_.push_back(issue.size());
  }

  const char* name() const override { return "sao"; }
  std::span<const AudienceRule> audiences() const override {
    static constexpr AudienceRule kRules[] = {
        {EventType::kStart, kSystem, AudienceKind::kPublic},
        {EventType::kOffer, AudienceRule::kAnyParty, AudienceKind::kPublic},
        {EventType::kAccept, AudienceRule::kAnyParty, AudienceKind::kPublic},
        {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kPublic},
        {EventType::kAgreement, kSystem, AudienceKind::kPublic},
        {EventType::kNoAgreement, kSystem, AudienceKind::kPublic},
    };
    return kRules;
  }

  void Start(EventLog* log) override {
    started_ = true;
    AppendStart(log);
  }

  Turn NextTurn() const override {
    Turn turn;
    if (done_ || !started_) return turn;
    turn.actor = current_;
    if (has_standing_) {
      turn.kind = Turn::Kind::kRespond;
      turn.standing = standing_.data();
    } else {
      turn.kind = Turn::Kind::kOffer;
    }
    return turn;
  }

  Status Apply(const Action& action, double t, EventLog* log) override {
    SHUTTLE_RETURN_IF_ERROR(Check(action, t));
    Event e = MakeEvent(action.type, action.actor, t);
    switch (action.type) {
      case EventType::kOffer:
        log->Append(e, action.outcome);
        std::copy_n(action.outcome, standing_.size(), standing_.begin());
        has_standing_ = true;
        accepts_ = 0;
        break;
      case EventType::kAccept:
        log->Append(e, standing_.data());
        ++accepts_;
        break;
      default:  // kEnd
        log->Append(e);
        ++moves_;
        Finish(EventType::kNoAgreement, e.round, t, log,
               fmt::format("party {} ended the negotiation", action.actor));
        return Status::Ok();
    }
    Advance(e.round, t, log);
    return Status::Ok();
  }

  void Expire(double t, EventLog* log) override {
    if (done_) return;
    Finish(EventType::kNoAgreement, round(), std::max(t, last_time_), log, "deadline: time is up");
  }

  bool done() const override { return done_; }
  const uint32_t* agreement() const override { return agreed_flag_ ? agreed_.data() : nullptr; }
  int round() const override { return static_cast<int>(moves_ / party_count()); }

 private:
  Status Check(const Action& action, double t) const {
    if (!started_) return Status::FailedPrecondition("the negotiation has not started");
    if (done_) {
      return Status::FailedPrecondition(
          fmt::format("party {} acted after the end of the negotiation", action.actor));
    }
    if (action.actor != current_) {
      return Status::FailedPrecondition(
          fmt::format("party {} acted out of turn: it is party {}'s turn", action.actor, current_));
    }
    if (!(t >= last_time_ && t <= 1)) {
      return Status::InvalidArgument(
          fmt::format("time {} is outside [{}, 1] (time never goes back)", t, last_time_));
    }
    switch (action.type) {
      case EventType::kOffer:
        if (action.outcome == nullptr || !InSpace(action.outcome)) {
          return CheckOutcome(space(), action.outcome)
              .WithContext(fmt::format("party {} offers", action.actor));
        }
        return Status::Ok();
      case EventType::kAccept:
        if (!has_standing_) {
          return Status::FailedPrecondition(
              fmt::format("party {} accepts, but there is no offer to accept", action.actor));
        }
        return Status::Ok();
      case EventType::kEnd: return Status::Ok();
      default:
        return Status::FailedPrecondition(
            fmt::format("party {}: SAO takes offer, accept or end, not '{}'", action.actor,
                        EventTypeName(action.type)));
    }
  }

  bool InSpace(const uint32_t* outcome) const {
    for (size_t i = 0; i < sizes_.size(); ++i) {
      if (outcome[i] >= sizes_[i]) return false;
    }
    return true;
  }

  Event MakeEvent(EventType type, int32_t actor, double t) const {
    Event e;
    e.type = type;
    e.audience = Audience::Public();
    e.actor = actor;
    e.round = round();
    e.time = t;
    return e;
  }

  // After an offer or accept made in `move_round`: agreement, the round limit, or the next turn.
  void Advance(int32_t move_round, double t, EventLog* log) {
    last_time_ = t;
    ++moves_;
    current_ = (current_ + 1) % party_count();
    if (accepts_ == party_count() - 1) {
      std::copy(standing_.begin(), standing_.end(), agreed_.begin());
      agreed_flag_ = true;
      Finish(EventType::kAgreement, move_round, t, log, {});
      return;
    }
    if (options().rounds > 0 && round() >= options().rounds) {
      // Every round is spent: the clock by rounds reads 1.
      Finish(EventType::kNoAgreement, move_round, std::max(t, RoundTime()), log,
             fmt::format("deadline: {} rounds", options().rounds));
    }
  }

  // The closing event, in the round of the move that caused it.
  void Finish(EventType type, int32_t event_round, double t, EventLog* log,
              const std::string& why) {
    done_ = true;
    last_time_ = t;
    Event e = MakeEvent(type, kSystem, t);
    e.round = event_round;
    log->Append(e, type == EventType::kAgreement ? agreed_.data() : nullptr, why);
  }

  std::vector<uint64_t> sizes_;
  std::vector<uint32_t> standing_;
  std::vector<uint32_t> agreed_;
  bool started_ = false;
  bool done_ = false;
  bool has_standing_ = false;
  bool agreed_flag_ = false;
  int32_t current_ = 0;
  int accepts_ = 0;
  int64_t moves_ = 0;
  double last_time_ = 0;
};

}  // namespace

Result<std::unique_ptr<Protocol>> MakeSaoProtocol(const OutcomeSpace* space, int party_count,
                                                  const ProtocolOptions& options) {
  if (party_count < 2) {
    return Status::InvalidArgument(
        fmt::format("sao needs at least 2 parties, got {}", party_count));
  }
  if (!space->finite()) {
    return Status::FailedPrecondition(
        "sao needs a finite outcome space (discretize real issues first)");
  }
  return std::unique_ptr<Protocol>(new SaoProtocol(space, party_count, options));
}

}  // namespace shuttle
