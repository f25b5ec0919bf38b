// Event logs as files: JSON Lines, self-contained, read back exactly.
//
// Line 1 is a header:
//   {"format": "shuttle-event-log", "version": 1, "protocol": "sao", "agents": ["boulware", ...],
//    "seed": 1, "options": {"rounds": 1000, "seconds": 0, "initial_temperature": 0.5},
//    "parties": ["buyer", "seller"], "scenario": {...a Shuttle JSON scenario...}}
// Then one line per event, in log order:
//   {"type": "offer", "audience": "public", "actor": 0, "round": 3, "time": 0.003,
//    "outcome": {"price": 10000, "color": "red"}}
// audience is "public", "mediator" or "caucus:<party>"; actor a party index, "mediator" or
// "system"; "value" (votes, feedback), "outcome" ({issue: value}: discrete labels as strings,
// integer and real values as numbers) and "text" appear only when the event has them. Numbers
// are written so they read back to the same double. The header repeats what the first event (the
// kStart) records, for readers that want it without parsing the event; a file where the two
// disagree is corrupt. Functions are thread-safe.
#ifndef SHUTTLE_LOG_IO_H_
#define SHUTTLE_LOG_IO_H_

#include <string>
#include <string_view>

#include "shuttle/event.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

struct EventLogFile {
  Scenario scenario;
  std::string protocol;
  ProtocolOptions options;  // Including the seed and the agent specs.
  EventLog log;
};

// The file's text. kInvalidArgument when the log does not begin with a valid kStart event, its
// party count or issue count differ from the scenario's, or an outcome lies outside the space.
Result<std::string> WriteEventLogJson(const Scenario& scenario, const EventLog& log);

// Parses a file's text. kCorruption (bad JSON, a missing or unknown field, a value no issue has,
// header and start event disagreeing) naming `source` and the line: "run.jsonl: line 7: ...".
Result<EventLogFile> ParseEventLogJson(std::string_view text, const std::string& source);

// WriteEventLogJson to `path`; kIOError names the path.
Status SaveEventLog(const std::string& path, const Scenario& scenario, const EventLog& log);
// ReadFile + ParseEventLogJson.
Result<EventLogFile> LoadEventLog(const std::string& path);

}  // namespace shuttle

#endif  // SHUTTLE_LOG_IO_H_
