// One mediated session as the service holds it: the scenario, a shuttle Mediator (mediation.h) and
// the combined log of the mediator's events and the service's own (public statements by the
// mediator's staff, caucus notes, anonymous notes).
//
// The two kinds of event sit in one sequence (what views filter, what the store keeps) but in two
// EventLogs: the protocol log is exactly what the Mediator wrote, so replaying the parties' actions
// on a fresh Mediator reproduces it (Restore checks that, event by event). New events are pending
// until the service has committed them to the store (MarkCommitted); Rollback drops them by
// rebuilding the state from the committed events, so a failed commit leaves no trace in memory.
// Not thread-safe: the service holds mutex() around every use.
#ifndef SHUTTLE_SRC_SERVICE_SESSION_H_
#define SHUTTLE_SRC_SERVICE_SESSION_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "service/store.h"
#include "shuttle/event.h"
#include "shuttle/mediation.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle::service_internal {

struct SessionConfig {
  std::string id;
  std::string title;
  std::string opened_from;
  int64_t created = 0;
  Scenario scenario;
  MediationOptions options;  // Its agenda is the scenario's.
};

// The options as stored and as the API takes them: {"criterion", "max_visits", "seed",
// "red_line_evidence", "stall_visits", "max_confidences_per_caucus", "mediator": "engine" |
// "person", "parties": [caucus-agent spec or null (a person), ...], "bidding": {"issue", "rounds",
// "claimant", "margin_percent", "margin_amount", "crossing"}}, every field optional (but a bidding
// step's issue); issues and parties by name or index in `scenario`. kInvalidArgument names an
// unknown field or a wrong type ("options.seed: expected ...").
std::string OptionsJson(const MediationOptions& options);
Result<MediationOptions> ParseOptionsJson(std::string_view json, const Scenario& scenario);

// One event of the combined log.
struct EventRef {
  const Event* event = nullptr;
  std::span<const uint32_t> outcome;
  std::string_view text;
  bool service = false;
  int64_t at = 0;
};

// An anonymous note (the service's note event with no actor). Such notes are in no one's view
// (ViewOf); the mediator reads them in batches (MediatorJson).
bool IsAnonymousNote(const EventRef& r);

class Session {
 public:
  // A new session with the mediator started; its opening events are pending. kInvalidArgument or
  // kFailedPrecondition when the scenario does not suit the mediator.
  static Result<std::unique_ptr<Session>> Create(SessionConfig config, int64_t now);
  // Rebuilds a session from its stored events (all committed). kCorruption names the first event
  // the replay does not reproduce.
  static Result<std::unique_ptr<Session>> Restore(SessionConfig config,
                                                  const std::vector<StoredEvent>& events);
  ~Session();

  const SessionConfig& config() const { return config_; }
  const Mediator& mediator() const;
  std::mutex& mutex() { return mutex_; }
  // Notified (with mutex() held) whenever events are committed; event streams wait on it.
  std::condition_variable& committed() { return committed_cv_; }

  // A party's move in its caucus: kConfide, kAccept, kObject, kOffer (with outcome), kAnswer or
  // kEnd. Errors are the mediator's: kFailedPrecondition (not in caucus, over, or the party is
  // automated), kInvalidArgument. Automated parties then act while it is their turn.
  Status Move(EventType type, int32_t party, const uint32_t* outcome, std::string_view text,
              int64_t now);
  // The mediator's move in a session whose seat a person holds (options.mediator "person"):
  // kOpen, kPropose, kAsk, kLeave, kNote, kStatement, kRound, kSettle, kClose (see
  // src/mediation/README.md). kFailedPrecondition out of turn or in a session the engine mediates;
  // kInvalidArgument names a bad party, issue or value.
  Status MediatorMove(Action action, int64_t now);
  // Ends the talks (a seated person's kClose: agreement when every stage is settled). Without a
  // seat, without agreement. kFailedPrecondition when they are over or a caucus is open.
  Status Close(int64_t now);
  // Whether the mediator is a seat (a person or the engine holds it); whether party `party` is
  // automated.
  bool seated() const;
  // The seat is held by a person (not by the engine, "mediator": "engine-seat").
  bool person_seated() const;
  // The agenda the mediation runs (MediationAgenda): the scenario's, with a bidding step's issue
  // in a last stage of its own.
  const std::vector<Stage>& agenda() const;
  bool automated(int32_t party) const;
  // Appends a service event (a statement or a note).
  void AddServiceEvent(EventType type, Audience audience, int32_t actor, std::string_view text,
                       int64_t now);

  // The mediation's own events (what the mediator sees of the protocol, the service's excluded).
  const EventLog& protocol_log() const;

  size_t size() const;
  EventRef At(size_t i) const;
  // Indices of the events `viewer` (party index, kMediator or kPublic) may see, in order.
  std::vector<size_t> ViewOf(int32_t viewer) const;
  // Normalized time of the current visit: (visit - 1) / max_visits, or 0 without a limit.
  double Time() const;

  std::vector<StoredEvent> Pending() const;
  void MarkCommitted();
  void Rollback();

 private:
  struct State;
  Session(SessionConfig config, std::unique_ptr<State> state);
  static Result<std::unique_ptr<State>> Build(const SessionConfig& config,
                                              const std::vector<StoredEvent>& events);
  static Status MakePlayers(const SessionConfig& config, State* state);
  // Applies one move to the mediator, records its events in order and hands them to the automated
  // players.
  Status Step(const Action& action, int64_t now);
  // Step, then lets the automated parties act while it is their turn.
  Status Apply(const Action& action, int64_t now);
  Status RunAutomated(int64_t now);
  StoredEvent Record(size_t i) const;

  SessionConfig config_;
  std::unique_ptr<State> state_;
  size_t committed_ = 0;
  std::mutex mutex_;
  std::condition_variable committed_cv_;
};

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_SESSION_H_
