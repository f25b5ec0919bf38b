// Events and the event log: the one record of a negotiation.
//
// Every protocol is a deterministic state machine driven by party actions; each action it accepts
// and each event it emits in reply is appended to an EventLog. An event carries an audience:
// everyone (public), one party and the mediator (a caucus), or the mediator alone. A party's view
// of a negotiation is the log filtered by Audience::Sees, and nothing else: confidentiality is the
// property of that one filter.
//
// The log stores outcomes and texts out of line (flat arrays indexed from the event), so appending
// an event allocates only when the arrays grow. An EventLog is a value; it is not thread-safe.
#ifndef SHUTTLE_EVENT_H_
#define SHUTTLE_EVENT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle {

// Actor and viewer ids besides party indices 0..n-1.
constexpr int32_t kMediator = -1;
constexpr int32_t kSystem = -2;  // The protocol itself (start, deadline, agreement).
constexpr int32_t kPublic = -3;  // A viewer who is no party: sees public events only.

enum class AudienceKind : uint8_t { kPublic, kCaucus, kMediator };

struct Audience {
  AudienceKind kind = AudienceKind::kPublic;
  int32_t party = -1;  // kCaucus: the one party who, with the mediator, hears it.

  static Audience Public() { return {AudienceKind::kPublic, -1}; }
  static Audience Caucus(int32_t party) { return {AudienceKind::kCaucus, party}; }
  static Audience MediatorOnly() { return {AudienceKind::kMediator, -1}; }

  // Whether `viewer` (a party index, kMediator or kPublic) may see an event with this audience.
  bool Sees(int32_t viewer) const {
    switch (kind) {
      case AudienceKind::kPublic: return true;
      case AudienceKind::kCaucus: return viewer == kMediator || viewer == party;
      case AudienceKind::kMediator: return viewer == kMediator;
    }
    return false;
  }
  bool operator==(const Audience& o) const = default;
};

enum class EventType : uint8_t {
  kStart,        // kSystem: the negotiation begins; text = JSON header (protocol, options, seed).
  kOffer,        // A party offers an outcome (SAO), or counter-proposes to the mediator.
  kAccept,       // A party accepts the standing offer or the mediator's text.
  kEnd,          // A party walks away.
  kPropose,      // The mediator puts a text (outcome) to the parties.
  kVote,         // A party's private vote on a proposal: value 1 accept, 0 reject.
  kFeedback,     // A party's private answer: value +1 better, 0 same, -1 worse than before.
  kAdopt,        // The mediator's text becomes the agreed single text so far.
  kAgreement,    // kSystem: the negotiation ends with the outcome.
  kNoAgreement,  // kSystem: it ends without (deadline, walk-out, impasse); text says why.
  kStatement,    // The mediator's public statement; text.
  kConfide,      // A party confides (part of) its preferences to the mediator; text = JSON.
  kObject,       // A party objects to issues of the text; text = JSON.
  kNote,         // A message; text.
  // The mediator's seat (a mediation whose mediator is a player: MediationOptions::helm).
  kOpen,    // The mediator opens a caucus with party `value`.
  kLeave,   // The mediator closes the caucus.
  kAsk,     // The mediator asks the party in caucus a question; text = JSON.
  kAnswer,  // The party answers the question; text = JSON.
  kRound,   // The mediator ends a round (a visit); text = its note on the gap, if any.
  kSettle,  // The mediator settles the open agenda stage on the text every party accepted.
  kClose,   // The mediator closes the talks; text = why.
};
constexpr EventType kLastEventType = EventType::kClose;
const char* EventTypeName(EventType type);  // "start", "offer", ...
// Inverse of EventTypeName; kInvalidArgument for an unknown name.
Result<EventType> ParseEventType(std::string_view name);

struct Event {
  static constexpr uint32_t kNone = UINT32_MAX;

  EventType type = EventType::kNote;
  Audience audience;
  int32_t actor = kSystem;   // Party index, kMediator or kSystem.
  int32_t round = 0;         // Protocol round (0-based).
  double time = 0;           // Normalized time in [0, 1] when the event happened.
  int32_t value = 0;         // kVote, kFeedback.
  uint32_t outcome = kNone;  // Offset of the outcome in the log's value array, or kNone.
  uint32_t text = kNone;     // Index of the text in the log's text array, or kNone.

  // An event without outcome or text (EventLog::Append attaches those).
  static Event Of(EventType type, Audience audience, int32_t actor, int32_t round, double time,
                  int32_t value = 0) {
    Event e;
    e.type = type;
    e.audience = audience;
    e.actor = actor;
    e.round = round;
    e.time = time;
    e.value = value;
    return e;
  }
};

// A party's move. `outcome` is borrowed (issue_count values) and copied into the log if accepted.
struct Action {
  EventType type =
      EventType::kAccept;  // kOffer, kAccept, kEnd, kVote, kFeedback, kConfide, kObject
  int32_t actor = 0;
  int32_t value = 0;  // kVote: 1/0; kFeedback: +1/0/-1
  const uint32_t* outcome = nullptr;
  std::string_view text;
};

// One event with its outcome and text, wherever they are kept (an EventLog, a store's row).
// Borrowed: valid while what it points into is unchanged.
struct EventRecord {
  const Event* event = nullptr;
  std::span<const uint32_t> outcome;  // Empty when the event has none.
  std::string_view text;              // Empty when the event has none.
};

// The one event equality of replay and of the store: type, audience, actor, round, time (exactly),
// value, whether there is an outcome and which, and the text.
bool SameEvent(const EventRecord& a, const EventRecord& b);

// The move a logged party event records, to feed back to its protocol (borrows from `e`).
Action ActionOf(const EventRecord& e);

class EventLog {
 public:
  EventLog() = default;
  explicit EventLog(size_t issue_count) : issue_count_(issue_count) {}

  size_t issue_count() const { return issue_count_; }
  size_t size() const { return events_.size(); }
  const std::vector<Event>& events() const { return events_; }
  const Event& operator[](size_t i) const { return events_[i]; }

  // Appends an event; `outcome` (issue_count values) and `text` are copied into the log.
  void Append(Event event, const uint32_t* outcome = nullptr, std::string_view text = {});
  // A copy of the first `n` events (all when n >= size()).
  EventLog Head(size_t n) const;
  void Reserve(size_t events);
  void Clear();

  // The event's outcome (empty when it has none) and text (empty when none).
  std::span<const uint32_t> OutcomeOf(const Event& event) const;
  Outcome OutcomeCopy(const Event& event) const;
  std::string_view TextOf(const Event& event) const;
  EventRecord RecordOf(const Event& event) const {
    return {&event, OutcomeOf(event), TextOf(event)};
  }

  // The events `viewer` may see, in order (indices into events()).
  std::vector<size_t> View(int32_t viewer) const;

  // Same events, outcomes and texts (times compared exactly).
  bool operator==(const EventLog& other) const;

 private:
  size_t issue_count_ = 0;
  std::vector<Event> events_;
  std::vector<uint32_t> values_;
  std::vector<std::string> texts_;
};

}  // namespace shuttle

#endif  // SHUTTLE_EVENT_H_
