// The engine loop: one runner for every protocol, the shuttle mediator included.
//
// Drive() starts a protocol and asks the party whose turn it is for its move until the protocol is
// done, handing every new event to the agents whose party may see it (Audience::Sees). A Pacer
// says what normalized time it is before each turn and when the time is up: by rounds and the
// clock (Negotiate), by visits (Mediate), or by the times a log recorded (replay).
// ReplayLog() is the other half: it feeds a log's own moves back to a fresh protocol and checks
// that the protocol produces every logged event again, byte for byte. The service rebuilds its
// sessions with the same pieces (FeedLogged, SameEvent).
#ifndef SHUTTLE_DRIVE_H_
#define SHUTTLE_DRIVE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/clock.h"
#include "shuttle/event.h"
#include "shuttle/protocol.h"
#include "shuttle/status.h"

namespace shuttle {

// Says, before each turn, what normalized time it is and whether the time is up.
class Pacer {
 public:
  virtual ~Pacer() = default;
  // `next` is the index the next event will get. Sets *t; sets *expired when the runner must call
  // Expire(*t) instead of asking a party to move.
  virtual Status Next(const Protocol& protocol, size_t next, double* t, bool* expired) = 0;
};

// Time by rounds, and by the clock when the protocol has a deadline in seconds.
class ClockPacer final : public Pacer {
 public:
  ClockPacer(Clock* clock, double seconds) : clock_(clock), seconds_(seconds) {
    if (seconds_ > 0) start_ = clock_->Seconds();
  }
  Status Next(const Protocol& protocol, size_t next, double* t, bool* expired) override;

 private:
  Clock* clock_;
  double seconds_;
  double start_ = 0;
  double last_ = 0;
};

// Replay: the times (and the expiry) recorded in a reference log.
class LogPacer final : public Pacer {
 public:
  explicit LogPacer(const EventLog* reference) : reference_(reference) {}
  Status Next(const Protocol& protocol, size_t next, double* t, bool* expired) override;

 private:
  const EventLog* reference_;
};

// Starts `protocol` and runs it with `agents` (initialized, party order) until it is done.
// Each agent observes the events its party may see. With a `reference` log, every new event is
// compared with the reference's event at the same index and the first difference is
// kCorruption. An illegal move by an agent is kFailedPrecondition naming the agent. A protocol
// that seats the mediator needs `mediator`, the player of that seat, which observes what the
// mediator may see.
Status Drive(Protocol* protocol, const std::vector<std::unique_ptr<Agent>>& agents, Pacer* pacer,
             const EventLog* reference, EventLog* log, Agent* mediator = nullptr);

// Hands log events [from, end) to the agents whose party may see them (a null agent, a seat a
// person plays, is skipped), and every one to `mediator` when it is set.
void Deliver(const EventLog& log, size_t from, const std::vector<std::unique_ptr<Agent>>& agents,
             Agent* mediator);

// Starts `protocol` (fresh, made from the log's start event) into `got` and feeds it the moves of
// `log` until the protocol is done or the log ends (a log of talks still open replays as far as it
// goes). kCorruption names the first event that differs, is refused, or is missing.
Status ReplayLog(Protocol* protocol, const EventLog& log, EventLog* got);

// Feeds logged event `e` (number `index`, for messages) back to `protocol`: a party's move is
// applied at its logged time, the system's deadline expires the protocol. kCorruption for a move
// the protocol refuses and for an event that is the protocol's own output (replay must produce
// those, not be fed them).
Status FeedLogged(Protocol* protocol, const EventRecord& e, size_t index, EventLog* out);

// Ok when got[from..] equals want at the same indices; kCorruption naming the first difference.
Status CompareFrom(const EventLog& got, size_t from, const EventLog& want,
                   const OutcomeSpace& space);

// "offer by party 1 (round 6, t=0.006, public): price=10, color=red".
std::string DescribeEvent(const EventRecord& event, const OutcomeSpace& space);

}  // namespace shuttle

#endif  // SHUTTLE_DRIVE_H_
