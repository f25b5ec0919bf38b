// shuttle: the command-line tool. Thin: decode arguments, make one library call, render.
#include <cstdio>

#include "command.h"

namespace shuttle::cli {

int Fail(const Status& status) {
  std::fprintf(stderr, "shuttle: error: %s\n", status.message().c_str());
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorruption:
    case StatusCode::kOutOfRange: return kExitBadInput;
    case StatusCode::kNotFound:
    case StatusCode::kIOError: return kExitIO;
    default: return kExitFailure;
  }
}

int& ExitStatus() {
  static int status = kExitOk;
  return status;
}

namespace {

const Command kCommands[] = {
    {"analyze", "Pareto frontier, bargaining solutions, ZOPA and statistics of a scenario", SetupAnalyze},
    {"convert", "Convert a scenario between GENIUS XML, GeniusWeb JSON and Shuttle JSON", SetupConvert},
    {"generate", "Write a random linear scenario", SetupGenerate},
    {"tournament", "Every agent against every other on every scenario, in every role, on all cores", SetupTournament},
    {"report", "One self-contained HTML report with Vega-Lite plots of an event log or tournament results", SetupReport},
    {"negotiate", "Run automated parties through a protocol; print the transcript and the result", SetupNegotiate},
    {"replay", "Re-run an event log and check that it reproduces exactly", SetupReplay},
    {"serve", "HTTP/JSON API and web rooms for mediated sessions, stored in SQLite", SetupServe},
    {"mediate", "Shuttle mediation with automated caucus parties: visits, public statements, agreement or impasse diagnosis", SetupMediate},
};

}  // namespace
}  // namespace shuttle::cli

int main(int argc, char** argv) {
  using namespace shuttle::cli;
  CLI::App app{"Shuttle: a mediation engine for negotiations whose parties will not sit at one table"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "shuttle 0.1.0");
  for (const Command& c : kCommands) c.setup(app.add_subcommand(c.name, c.help));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return ExitStatus();
}
