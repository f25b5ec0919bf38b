// Blind bidding on one number, as online dispute resolution services (Cybersettle, Smartsettle) run
// it. Two parties and one integer or real issue, the amount the respondent pays the claimant.
// Definitions (ProtocolOptions::blind_bidding, BlindBiddingRules in protocol.h):
//  - A round is one secret bid by each party: first the claimant's demand D, then the
//    respondent's offer O (the order is fixed so that NextTurn names one bidder; it reveals
//    nothing, since neither sees the other's bid). A bid is a kOffer whose outcome holds the
//    amount; kEnd withdraws from the case.
//  - After the offer, the case settles when the bids cross, O >= D: at the demand (crossing
//    "demand", the default) or at the midpoint (crossing "midpoint"); or, when they do not, when
//    the gap D - O is within a margin: D - O <= margin_percent / 100 * |D| (default 30; 0: off) or
//    D - O <= margin_amount (default 0: off); then at the midpoint. The midpoint is the issue's
//    value nearest to (D + O) / 2, the lower of two equally near.
//  - Otherwise nothing of either bid is revealed and the next round begins, up to
//    ProtocolOptions::rounds (0: no round limit; `shuttle negotiate` defaults to 3).
// Audiences: a bid is heard by its bidder alone (a caucus: the bidder and the neutral who runs the
// service; there is no mediator's seat). Everything else is public and carries no bid: the start,
// a withdrawal, "round k of n: no settlement" (a kNote), the settlement (a kAgreement whose
// outcome is the settled amount) or the end without one (a kNoAgreement). With the rules known, a
// settlement still tells each party something about the other's last bid (at the midpoint, the
// other's bid is 2S - own); that is the method's, and the one thing it tells.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "protocol/protocols.h"

namespace shuttle {
namespace {

constexpr const char* kName = "blind-bidding";

class BlindBiddingProtocol final : public Protocol {
 public:
  BlindBiddingProtocol(const OutcomeSpace* space, const ProtocolOptions& options)
      : Protocol(space, 2, options), rules_(options.blind_bidding), issue_(space->issue(0)) {}

  const char* name() const override { return kName; }
  std::span<const AudienceRule> audiences() const override {
    static constexpr AudienceRule kRules[] = {
        {EventType::kStart, kSystem, AudienceKind::kPublic},
        {EventType::kOffer, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kPublic},
        {EventType::kNote, kSystem, AudienceKind::kPublic},
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
    turn.kind = Turn::Kind::kOffer;
    turn.actor = Bidder();
    return turn;
  }

  Status Apply(const Action& action, double t, EventLog* log) override {
    SHUTTLE_RETURN_IF_ERROR(Check(action, t));
    last_time_ = t;
    if (action.type == EventType::kEnd) {
      log->Append(
          Event::Of(EventType::kEnd, Audience::Public(), action.actor, round_, t, action.value),
          nullptr, action.text);
      Finish(EventType::kNoAgreement, t, log,
             fmt::format("{} withdrew in {}", Role(action.actor), RoundName()));
      return Status::Ok();
    }
    log->Append(Event::Of(EventType::kOffer, Audience::Caucus(action.actor), action.actor, round_,
                          t, action.value),
                action.outcome, action.text);
    if (action.actor == rules_.claimant) {
      demand_ = action.outcome[0];
      has_demand_ = true;
      return Status::Ok();
    }
    Close(action.outcome[0], t, log);
    return Status::Ok();
  }

  void Expire(double t, EventLog* log) override {
    if (done_) return;
    Finish(EventType::kNoAgreement, std::max(t, last_time_), log,
           fmt::format("deadline: time is up in {}", RoundName()));
  }

  bool done() const override { return done_; }
  const uint32_t* agreement() const override { return settled_ ? &amount_ : nullptr; }
  int round() const override { return round_; }

 private:
  int32_t Respondent() const { return 1 - rules_.claimant; }
  int32_t Bidder() const { return has_demand_ ? Respondent() : rules_.claimant; }
  std::string Role(int32_t party) const {
    return fmt::format("party {} (the {})", party,
                       party == rules_.claimant ? "claimant" : "respondent");
  }
  // "round 2 of 3" (1-based), or "round 2" without a round limit.
  std::string RoundName() const {
    if (options().rounds <= 0) return fmt::format("round {}", round_ + 1);
    return fmt::format("round {} of {}", round_ + 1, options().rounds);
  }

  Status Check(const Action& action, double t) const {
    if (!started_) return Status::FailedPrecondition("the negotiation has not started");
    if (action.actor != 0 && action.actor != 1) {
      return Status::FailedPrecondition(
          fmt::format("actor {} is not a party: blind bidding has parties 0 and 1", action.actor));
    }
    if (done_) {
      return Status::FailedPrecondition(
          fmt::format("party {} acted after the end of the negotiation", action.actor));
    }
    if (action.type != EventType::kOffer && action.type != EventType::kEnd) {
      return Status::FailedPrecondition(
          fmt::format("{}: blind bidding takes a bid (offer) or a withdrawal (end), not '{}'",
                      Role(action.actor), EventTypeName(action.type)));
    }
    if (action.actor != Bidder()) {
      if (action.actor == rules_.claimant) {
        return Status::FailedPrecondition(
            fmt::format("{} has already bid in {}: it is party {}'s turn", Role(action.actor),
                        RoundName(), Respondent()));
      }
      return Status::FailedPrecondition(
          fmt::format("{} acted out of turn: the claimant, party {}, bids first in {}",
                      Role(action.actor), rules_.claimant, RoundName()));
    }
    if (!(t >= last_time_ && t <= 1)) {
      return Status::InvalidArgument(
          fmt::format("time {} is outside [{}, 1] (time never goes back)", t, last_time_));
    }
    if (action.type == EventType::kOffer) {
      if (action.outcome == nullptr) {
        return Status::InvalidArgument(fmt::format("{} bids no amount", Role(action.actor)));
      }
      if (action.outcome[0] >= issue_.size()) {
        return Status::InvalidArgument(fmt::format(
            "{} bids value #{} of '{}', past its upper bound {} (the bid must lie in [{}, {}])",
            Role(action.actor), action.outcome[0], issue_.name(),
            issue_.ValueLabel(issue_.size() - 1), issue_.ValueLabel(0),
            issue_.ValueLabel(issue_.size() - 1)));
      }
    }
    return Status::Ok();
  }

  // After the respondent's offer: settle, or close the round.
  void Close(uint32_t offer, double t, EventLog* log) {
    if (std::optional<BidSettlement> s = SettleBids(issue_, rules_, demand_, offer)) {
      amount_ = s->amount;
      settled_ = true;
      std::string why = s->crossed ? "the offer met the demand" : "the bids came within the margin";
      Finish(EventType::kAgreement, t, log,
             fmt::format("settled in {}: {}; at the {}", RoundName(), why,
                         s->at_demand ? "demand" : "midpoint"));
      return;
    }
    const std::string round_name = RoundName();
    const int played = round_;
    has_demand_ = false;
    ++round_;
    if (options().rounds > 0 && round_ >= options().rounds) {
      // Every round is spent: the clock by rounds reads 1.
      Finish(EventType::kNoAgreement, std::max(t, RoundTime()), log,
             fmt::format("{}: no settlement; the round limit is reached", round_name), played);
      return;
    }
    log->Append(Event::Of(EventType::kNote, Audience::Public(), kSystem, played, t), nullptr,
                fmt::format("{}: no settlement", round_name));
  }

  // The closing event, in `event_round` (default: the current one).
  void Finish(EventType type, double t, EventLog* log, const std::string& why,
              int event_round = -1) {
    done_ = true;
    last_time_ = t;
    log->Append(
        Event::Of(type, Audience::Public(), kSystem, event_round < 0 ? round_ : event_round, t),
        type == EventType::kAgreement ? &amount_ : nullptr, why);
  }

  BlindBiddingRules rules_;
  const Issue& issue_;
  bool started_ = false;
  bool done_ = false;
  bool has_demand_ = false;
  bool settled_ = false;
  uint32_t demand_ = 0;
  uint32_t amount_ = 0;
  int round_ = 0;
  double last_time_ = 0;
};

double Amount(const Issue& issue, uint32_t index) { return issue.NumericValue(index).value_or(0); }

}  // namespace

uint32_t NearestAmount(const Issue& issue, double x) {
  // The first value at or above x, or the one before it when that is nearer.
  uint32_t lo = 0, hi = static_cast<uint32_t>(issue.size() - 1);
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (Amount(issue, mid) < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > 0 && x - Amount(issue, lo - 1) <= Amount(issue, lo) - x) return lo - 1;
  return lo;
}

std::optional<BidSettlement> SettleBids(const Issue& issue, const BlindBiddingRules& rules,
                                        uint32_t demand, uint32_t offer) {
  const double d = Amount(issue, demand), o = Amount(issue, offer);
  const double gap = d - o;
  const bool crossed = o >= d;
  const bool within_percent =
      rules.margin_percent > 0 && gap * 100 <= rules.margin_percent * std::abs(d);
  const bool within_amount = rules.margin_amount > 0 && gap <= rules.margin_amount;
  if (!crossed && !within_percent && !within_amount) return std::nullopt;
  BidSettlement s;
  s.crossed = crossed;
  s.at_demand = crossed && rules.crossing == BlindBiddingRules::Crossing::kDemand;
  // The midpoint: the value nearest to the mean of the two bids.
  s.amount = s.at_demand ? demand : NearestAmount(issue, (d + o) / 2);
  return s;
}

Status CheckBlindBiddingRules(const BlindBiddingRules& r) {
  if (r.claimant != 0 && r.claimant != 1) {
    return Status::InvalidArgument(
        fmt::format("blind-bidding: the claimant must be party 0 or 1, not {}", r.claimant));
  }
  if (!(r.margin_percent >= 0 && r.margin_percent <= 100)) {
    return Status::InvalidArgument(
        fmt::format("blind-bidding: margin_percent {} is outside [0, 100]", r.margin_percent));
  }
  if (!(r.margin_amount >= 0 && std::isfinite(r.margin_amount))) {
    return Status::InvalidArgument(fmt::format(
        "blind-bidding: margin_amount {} must be a finite number >= 0", r.margin_amount));
  }
  return Status::Ok();
}

Result<std::unique_ptr<Protocol>> MakeBlindBiddingProtocol(const OutcomeSpace* space,
                                                           int party_count,
                                                           const ProtocolOptions& options) {
  if (party_count != 2) {
    return Status::InvalidArgument(
        fmt::format("blind-bidding needs exactly 2 parties (a claimant and a respondent), got {}",
                    party_count));
  }
  if (space->issue_count() != 1) {
    return Status::InvalidArgument(fmt::format(
        "blind-bidding needs a scenario with exactly one integer or real issue (the amount), "
        "and this one has {} issues",
        space->issue_count()));
  }
  const Issue& issue = space->issue(0);
  if (issue.type() == IssueType::kDiscrete) {
    return Status::InvalidArgument(fmt::format(
        "blind-bidding needs an integer or real issue, and '{}' is discrete", issue.name()));
  }
  if (!issue.finite()) {
    return Status::FailedPrecondition(fmt::format(
        "blind-bidding: issue '{}' is continuous: discretize it first (e.g. --real-step)",
        issue.name()));
  }
  if (issue.size() > UINT32_MAX) {
    return Status::InvalidArgument(
        fmt::format("blind-bidding: issue '{}' has {} values, more than an outcome can index",
                    issue.name(), issue.size()));
  }
  SHUTTLE_RETURN_IF_ERROR(CheckBlindBiddingRules(options.blind_bidding));
  return std::unique_ptr<Protocol>(new BlindBiddingProtocol(space, options));
}

}  // namespace shuttle
