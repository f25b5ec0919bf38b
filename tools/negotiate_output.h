// Rendering for `negotiate` and `replay`: the readable transcript, the result and the JSON object.
#ifndef SHUTTLE_TOOLS_NEGOTIATE_OUTPUT_H_
#define SHUTTLE_TOOLS_NEGOTIATE_OUTPUT_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "shuttle/adjusted_winner.h"
#include "shuttle/event.h"
#include "shuttle/negotiate.h"
#include "shuttle/profile.h"
#include "shuttle/scenario.h"

namespace shuttle::cli {

// Which transcript lines to show: all, none, the first and last `count`, or the last `count`.
struct TranscriptSpec {
  enum class Kind { kAll, kNone, kHeadAndTail, kLast, kFirst };
  Kind kind = Kind::kHeadAndTail;
  size_t count = 5;
};

// The moves of the log, one line each: round, party, move, outcome and its utility for every
// party (`utilities` compiled for the scenario, party order).
std::string Transcript(const Scenario& scenario, const std::vector<Utility>& utilities,
                       const EventLog& log, const TranscriptSpec& spec);

// The opening line: protocol, parties and agents, deadline, seed.
std::string SessionLine(const Scenario& scenario, const NegotiationOptions& options);

// "Agreement in round 12 ...: outcome" or "No agreement: why", then utilities and metrics.
std::string ResultText(const Scenario& scenario, const NegotiationResult& result);

// The --json object of a negotiation.
nlohmann::ordered_json ResultJson(const Scenario& scenario, const NegotiationOptions& options,
                                  const NegotiationResult& result);

// Adjusted winner: a table of items, points and shares; and the --json object.
std::string AdjustedWinnerText(const AdjustedWinnerInput& input,
                               const AdjustedWinnerResult& result);
nlohmann::ordered_json AdjustedWinnerJson(const AdjustedWinnerInput& input,
                                          const AdjustedWinnerResult& result);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_NEGOTIATE_OUTPUT_H_
