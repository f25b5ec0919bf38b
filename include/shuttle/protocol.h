// Protocols: deterministic state machines that turn party actions into events.
//
// A Protocol knows the outcome space and the number of parties, never their preferences: it is
// the neutral table. Start() emits the opening events; then NextTurn() says who must act and how,
// and Apply() takes that party's Action, checks it is legal, and appends the action and every
// event it causes to the log. An illegal action (out of turn, an outcome outside the space, any
// move after the end) returns an error and changes neither the state nor the log. All randomness
// (a mediator's mutations, say) comes from a generator seeded from ProtocolOptions::seed, so the
// same actions always produce the same log: that is what replay relies on.
// A Protocol is not thread-safe; run one per thread.
#ifndef SHUTTLE_PROTOCOL_H_
#define SHUTTLE_PROTOCOL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/event.h"
#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle {

struct Turn {
  enum class Kind : uint8_t {
    kOffer,     // SAO: the first move: make an offer (or end). Blind bidding: this round's secret
                // bid, the outcome holding the amount (or end).
    kRespond,   // SAO: accept `standing`, counter-offer, or end.
    kVote,      // Single text: vote on `standing` (the proposal) against `reference` (last agreed).
    kFeedback,  // Feedback: better/same/worse for `standing` compared with `reference`.
    kDone,      // Nothing more to do.
    kCaucus,    // Shuttle mediator: confide (any number of times), then accept `standing` (the
                // mediator's text; null at the opening caucus), object, or counter-propose.
    kHelm,      // The mediator's seat (actor kMediator): its move; `standing` is the text put to
                // the party in caucus, if any.
    kAnswer,    // Shuttle mediator's seat: answer the mediator's question (the last kAsk the party
                // saw; kAnswer), confide, or end.
  };
  Kind kind = Kind::kDone;
  int32_t actor = kSystem;
  const uint32_t* standing = nullptr;   // The offer or proposal on the table, if any.
  const uint32_t* reference = nullptr;  // Single text / feedback: what it is compared with.
};

// The rules of blind bidding (protocol "blind-bidding", src/protocol/blind_bidding.cc), as online
// dispute resolution services run it: each round the claimant demands an amount D and the
// respondent offers an amount O, both in secret. The case settles when
//  - the bids cross (O >= D): at `crossing` (the demand, or the midpoint of the two bids);
//  - else they come within a margin, D - O <= margin_percent / 100 * |D| or D - O <= margin_amount:
//    at the midpoint.
// The midpoint is the issue's value nearest to (D + O) / 2, the lower of two equally near. A bid
// that does not settle is never revealed. Other protocols ignore these rules.
struct BlindBiddingRules {
  enum class Crossing : uint8_t { kDemand, kMidpoint };
  // The round limit such services use; ProtocolOptions::rounds is the one the protocol reads, and
  // `shuttle negotiate --protocol blind-bidding` defaults to this.
  static constexpr int kCustomaryRounds = 3;

  // The party who demands (the claimant, who wants the amount high); the other party offers.
  // Default: 0.
  int claimant = 0;
  // Settle at the midpoint when the gap D - O is at most this percentage of the demand. In
  // [0, 100]; 0 turns the rule off. Default: 30.
  double margin_percent = 30;
  // Settle at the midpoint when the gap D - O is at most this amount. >= 0; 0 turns the rule off.
  // Default: 0.
  double margin_amount = 0;
  // Where crossing bids (O >= D) settle. Default: kDemand.
  Crossing crossing = Crossing::kDemand;

  bool operator==(const BlindBiddingRules& o) const = default;
};
// "demand", "midpoint".
const char* CrossingName(BlindBiddingRules::Crossing crossing);
// Inverse of CrossingName; kInvalidArgument lists the names.
Result<BlindBiddingRules::Crossing> ParseCrossing(std::string_view name);
// kInvalidArgument naming the rule out of range (claimant not 0 or 1, a margin outside its range).
Status CheckBlindBiddingRules(const BlindBiddingRules& rules);
// {"claimant", "margin_percent", "margin_amount", "crossing"} on one line, doubles exact.
std::string BlindBiddingRulesJson(const BlindBiddingRules& rules);
// Inverse of BlindBiddingRulesJson; every field is required. kInvalidArgument names the field.
Result<BlindBiddingRules> ParseBlindBiddingRules(std::string_view json);

// The value of a finite integer or real issue (values growing with their index) nearest to the
// number x, the lower of two equally near; the first or last value beyond the range.
uint32_t NearestAmount(const Issue& issue, double x);

// Where a round's demand and offer (value indices of the numeric `issue`, whose values grow with
// their index) settle under `rules`, or nullopt when they neither cross nor come within a margin.
// The one rule the blind-bidding protocol and a mediation's bidding step both apply.
struct BidSettlement {
  uint32_t amount = 0;     // Value index of the settlement.
  bool crossed = false;    // The offer met the demand (else the bids came within a margin).
  bool at_demand = false;  // Settled at the demand (else at the midpoint).
};
std::optional<BidSettlement> SettleBids(const Issue& issue, const BlindBiddingRules& rules,
                                        uint32_t demand, uint32_t offer);

struct ProtocolOptions {
  // Deadline in rounds; a round is one move by every party. Default: 1000. 0: no round limit.
  int rounds = 1000;
  // Deadline in wall-clock seconds, checked by the runner's clock. Default: 0 (none).
  double seconds = 0;
  // Seed of every random choice the protocol makes. Default: 1.
  uint64_t seed = 1;
  // Single text: the annealing mediator's initial temperature (in utility units of the vote
  // deltas it cannot see, so it only tunes how often it keeps exploring). Default: 0.5.
  double initial_temperature = 0.5;
  // The agent specs in party order, recorded in the kStart event so a log names who played;
  // protocols ignore it. Default: empty.
  std::vector<std::string> agents;
  // Blind bidding's rules (see BlindBiddingRules). Default: the defaults there.
  BlindBiddingRules blind_bidding;
};

// One kind of event a protocol may append: its type, who acts (kSystem, kMediator, or kAnyParty)
// and who hears it. An event of a party heard in caucus is heard by that party (and the mediator).
struct AudienceRule {
  static constexpr int32_t kAnyParty = 0;
  EventType type;
  int32_t actor;
  AudienceKind audience;
};

class Protocol {
 public:
  virtual ~Protocol() = default;

  virtual const char* name() const = 0;
  // Appends the opening events (kStart, a first proposal). Call once, first.
  virtual void Start(EventLog* log) = 0;
  virtual Turn NextTurn() const = 0;
  // Applies `action` at normalized time t in [0, 1]. Errors: kFailedPrecondition (out of turn,
  // after the end, wrong kind of move), kInvalidArgument (bad outcome or value). On error the
  // state and the log are unchanged.
  virtual Status Apply(const Action& action, double t, EventLog* log) = 0;
  // The clock ran out: ends without agreement (no-op when already done).
  virtual void Expire(double t, EventLog* log) = 0;

  // Every kind of event the protocol appends, with who hears it: the rule its confidentiality rests
  // on. tests/protocol_contract_test.cc checks every event of every protocol against it.
  virtual std::span<const AudienceRule> audiences() const = 0;

  // Whether the mediator is a seat that moves (Apply takes kMediator actions, NextTurn may name
  // kMediator): then every kMediator event in the log is such a move. Default: false.
  virtual bool seats_mediator() const { return false; }

  virtual bool done() const = 0;
  // The agreed outcome, or nullptr.
  virtual const uint32_t* agreement() const = 0;
  // Rounds completed so far.
  virtual int round() const = 0;
  // Normalized time by rounds: round() / rounds, or 0 without a round limit.
  double RoundTime() const;

  const ProtocolOptions& options() const { return options_; }
  const OutcomeSpace& space() const { return *space_; }
  int party_count() const { return party_count_; }

 protected:
  Protocol(const OutcomeSpace* space, int party_count, ProtocolOptions options)
      : space_(space), party_count_(party_count), options_(options) {}
  // Appends the kStart event every protocol opens with: public, by the system, its text the header
  // that records the protocol, the parties and the options (protocol/protocols.h).
  void AppendStart(EventLog* log) const;

 private:
  const OutcomeSpace* space_;
  int party_count_;
  ProtocolOptions options_;
};

// Names: "sao", "single-text", "feedback", "blind-bidding". `space` must outlive the protocol.
// kInvalidArgument for an unknown name (the message lists the known ones), a party count or an
// outcome space the protocol refuses (blind-bidding: exactly 2 parties and one integer or real
// issue), or options out of range.
Result<std::unique_ptr<Protocol>> MakeProtocol(std::string_view name, const OutcomeSpace* space,
                                               int party_count, const ProtocolOptions& options);
std::vector<std::string> ProtocolNames();

// What a kStart event records: enough to rebuild the protocol for replay.
struct StartHeader {
  std::string protocol;
  int party_count = 0;
  ProtocolOptions options;
};

// {"protocol", "parties", "rounds", "seconds", "seed", "initial_temperature", "agents"} on one
// line, and for "blind-bidding" also "blind_bidding": {"claimant", "margin_percent",
// "margin_amount", "crossing"}; doubles and the seed round-trip exactly.
std::string StartHeaderJson(std::string_view protocol, int party_count,
                            const ProtocolOptions& options);
// Inverse of StartHeaderJson; kCorruption names the bad field.
Result<StartHeader> ParseStartHeader(std::string_view text);

// Checks that `outcome` (space.issue_count() values) lies in the space: kInvalidArgument naming the
// issue and the value otherwise, or for a null outcome.
Status CheckOutcome(const OutcomeSpace& space, const uint32_t* outcome);

}  // namespace shuttle

#endif  // SHUTTLE_PROTOCOL_H_
