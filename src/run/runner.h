// Private to src/run: the one loop that drives a protocol with agents, shared by Negotiate() and
// ReplayAgents(), and the event comparison replay reports with.
#ifndef SHUTTLE_RUN_RUNNER_H_
#define SHUTTLE_RUN_RUNNER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/event.h"
#include "shuttle/negotiate.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle::run_internal {

// Says, before each turn, what normalized time it is and whether the time is up.
class Pacer {
 public:
  virtual ~Pacer() = default;
  // `next` is the index the next event will get. Sets *t; sets *expired when the runner must call
  // Expire(*t) instead of asking a party to move.
  virtual Status Next(const Protocol& protocol, size_t next, double* t, bool* expired) = 0;
};

// Production: time by rounds, and by the clock when the protocol has a deadline in seconds.
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
// kCorruption. An illegal move by an agent is kFailedPrecondition naming the agent.
Status Drive(Protocol* protocol, const std::vector<std::unique_ptr<Agent>>& agents, Pacer* pacer,
             const EventLog* reference, EventLog* log);

// Ok when got[from..] equals want at the same indices; kCorruption naming the first difference.
Status CompareFrom(const EventLog& got, size_t from, const EventLog& want, const OutcomeSpace& space);

// "offer by party 1 (round 6, t=0.006, public): price=10, color=red".
std::string DescribeEvent(const EventLog& log, const Event& event, const OutcomeSpace& space);

// Compiles every party's profile; errors name the party.
Result<std::vector<Utility>> CompileUtilities(const Scenario& scenario);

// Metrics for an outcome (nullptr: none). With `frontier` false, the distances stay 0.
Result<Metrics> MetricsFor(const Scenario& scenario, const std::vector<Utility>& utilities,
                           const uint32_t* agreement, int rounds, double t, bool frontier);

}  // namespace shuttle::run_internal

#endif  // SHUTTLE_RUN_RUNNER_H_
