// shuttle replay FILE: re-runs the protocol on an event log (and, when the log names automated
// agents that this build has, the agents too) and says whether it reproduced the log.
// Exit 0 when it matched, 1 with the first differing event when it did not.
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "shuttle/log_io.h"
#include "shuttle/negotiate.h"

namespace shuttle::cli {
namespace {

struct ReplayArgs {
  std::string path;
  bool protocol_only = false;
};

// Replay's messages begin "event N: "; the file has the header on line 1, so event N is on line
// N+2.
std::string WithLine(const std::string& message) {
  size_t n = 0;
  if (message.rfind("event ", 0) != 0) return message;
  const char* begin = message.data() + 6;
  auto [ptr, ec] = std::from_chars(begin, message.data() + message.size(), n);
  if (ec != std::errc() || ptr == begin) return message;
  return fmt::format("line {}, {}", n + 2, message);
}

int Mismatch(const std::string& path, const std::string& what, const Status& status) {
  std::printf("%s", fmt::format("{}: replay does NOT match ({}): {}\n", path, what,
                                WithLine(status.message()))
                        .c_str());
  return kExitFailure;
}

int RunReplay(const ReplayArgs& args) {
  Result<EventLogFile> file = LoadEventLog(args.path);
  if (!file.ok()) return Fail(file.status());
  const EventLog& log = file->log;
  Status protocol = Replay(file->scenario, log);
  if (!protocol.ok()) {
    if (protocol.code() != StatusCode::kCorruption) return Fail(protocol.WithContext(args.path));
    return Mismatch(args.path, "protocol", protocol);
  }
  std::string agents = "agents not re-run";
  if (!args.protocol_only && !file->options.agents.empty()) {
    Status s = ReplayAgents(file->scenario, log);
    if (s.code() == StatusCode::kCorruption) return Mismatch(args.path, "agents", s);
    agents = s.ok() ? "agents re-run: every move reproduced"
                    : fmt::format("agents not re-run: {}", s.message());
  }
  const Event& last = log[log.size() - 1];
  std::string end =
      last.type == EventType::kAgreement     ? fmt::format("agreement in round {}", last.round + 1)
      : last.type == EventType::kNoAgreement ? fmt::format("no agreement ({})", log.TextOf(last))
                                             : "the negotiation is still open";
  std::printf("%s", fmt::format("{}: replay matches: {} events, protocol {}, {}; {}\n", args.path,
                                log.size(), file->protocol, end, agents)
                        .c_str());
  return kExitOk;
}

}  // namespace

void SetupReplay(CLI::App* sub) {
  auto args = std::make_shared<ReplayArgs>();
  sub->add_option("log", args->path, "Event log written by negotiate --log (JSON Lines)")
      ->required();
  sub->add_flag("--protocol-only", args->protocol_only,
                "Check the protocol's events only; take the parties' moves as given");
  sub->callback([args] { ExitStatus() = RunReplay(*args); });
}

}  // namespace shuttle::cli
