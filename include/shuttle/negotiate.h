// Running a negotiation with automated parties, replaying a log, and the ANAC metrics.
//
// Negotiate() compiles the scenario's profiles, makes the protocol and the agents, and drives
// them in a tight loop, handing each agent only the events its party may see. The returned log
// starts with a kStart event whose text records the protocol, the agents and the seed, so
// Replay() can rebuild the same protocol, re-apply every party action in order, and check that
// the protocol produces exactly the logged events again.
#ifndef SHUTTLE_NEGOTIATE_H_
#define SHUTTLE_NEGOTIATE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/clock.h"
#include "shuttle/event.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

struct NegotiationOptions {
  std::string protocol = "sao";     // Default: "sao".
  std::vector<std::string> agents;  // One agent spec per party, in party order.
  ProtocolOptions protocol_options;
  // Compute the metrics (needs the Pareto frontier; costs a frontier computation). Default: true.
  bool metrics = true;
  // Read before every turn when protocol_options.seconds > 0, and at the start and the end (for
  // Metrics::seconds). Not owned. Default: nullptr, meaning SteadyClock().
  Clock* clock = nullptr;
};

struct Metrics {
  bool agreement = false;
  std::vector<double> utilities;             // Raw, party order (reservation value if none).
  std::vector<double> discounted_utilities;  // u * d^t at the agreement time.
  double welfare = 0;                        // Sum of raw utilities.
  double nash_product = 0;                   // prod (u_i - rv_i), 0 when someone is below rv.
  // Distances are Euclidean in utility space from `utilities` (the reservation values when there is
  // no agreement); 0 when not computed (NegotiationOptions::metrics false).
  double pareto_distance = 0;  // Euclidean, utility space, to the nearest frontier point.
  double nash_distance = 0;    // To the Nash point; -1 when no outcome is rational for all.
  double ks_distance = 0;      // To the Kalai-Smorodinsky point; -1 likewise.
  int rounds = 0;              // Rounds begun: the last event's round + 1.
  double time = 0;             // Normalized time at the end.
  double seconds = 0;          // Wall-clock seconds of the run.
};

struct NegotiationResult {
  EventLog log;
  std::optional<Outcome> agreement;
  Metrics metrics;
};

// kInvalidArgument for an agent count that differs from the party count, an unknown protocol or
// agent; kFailedPrecondition for continuous issues (discretize first).
Result<NegotiationResult> Negotiate(const Scenario& scenario, const NegotiationOptions& options);

// The same with agents already made (one per party, party order, not yet initialized), for
// strategies outside MakeAgent's registry. options.agents, when not empty, is what the log
// records as their specs (default: the agents' names). The agents are consumed.
Result<NegotiationResult> Negotiate(const Scenario& scenario, const NegotiationOptions& options,
                                    std::vector<std::unique_ptr<Agent>> agents);

// Metrics of an outcome (or none) reached after `rounds` at normalized time t.
Result<Metrics> ComputeMetrics(const Scenario& scenario, const std::optional<Outcome>& agreement,
                               int rounds, double t);

// Re-runs the protocol on the log's party actions. Ok when every event matches; kCorruption
// names the first event that differs.
Status Replay(const Scenario& scenario, const EventLog& log);

// Re-runs the whole session: the protocol and the agents the kStart event names, re-made from
// their specs with their seeds and fed the logged times, so the parties' moves are checked too
// (Replay() takes them as given). kFailedPrecondition when the log names no agents or an agent
// cannot be made; kCorruption names the first event that differs.
Status ReplayAgents(const Scenario& scenario, const EventLog& log);

}  // namespace shuttle

#endif  // SHUTTLE_NEGOTIATE_H_
