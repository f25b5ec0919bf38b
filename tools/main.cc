// shuttle: the command-line tool. Thin: decode arguments, make one library call, render.
// Compiled once for both executables: `shuttle` hands `serve` and `tournament --mpi` to
// `shuttle-full` beside it, so that the other commands do not load cpp-httplib and Open MPI
// (variant.h says what differs).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "command.h"
#include "variant.h"

namespace shuttle::cli {

int Fail(const Status& status) {
  std::fprintf(stderr, "shuttle: error: %s\n", status.message().c_str());
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kCorruption:
    case StatusCode::kOutOfRange: return kExitBadInput;
    case StatusCode::kNotFound:
    case StatusCode::kPermissionDenied:  // ReadFile/WriteFile's EACCES and EPERM: a file error.
    case StatusCode::kIOError: return kExitIO;
    default: return kExitFailure;
  }
}

int UsageError(const Status& status) {
  std::fprintf(stderr, "shuttle: error: %s\n", status.message().c_str());
  return kExitUsage;
}

int& ExitStatus() {
  static int status = kExitOk;
  return status;
}

namespace {

// shuttle-full registers the options of `serve`; in `shuttle` the entry only lists the command
// (main() hands it to shuttle-full).
void SetupServeEntry(CLI::App* sub) {
  if (kSetupServe) {
    kSetupServe(sub);
  } else {
    sub->allow_extras();
  }
}

// True when the command line is one that shuttle-full runs.
bool NeedsFull(int argc, char** argv) {
  if (argc < 2) return false;
  const std::string_view command = argv[1];
  if (command == "serve") return true;
  if (command != "tournament") return false;
  for (int i = 2; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--mpi") return true;
  }
  return false;
}

// Replaces this process by shuttle-full with the same arguments (same pid, so mpirun's ranks stay
// its own); returns only on failure.
int ExecFull(char** argv) {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path full =
      (ec ? std::filesystem::path(argv[0]).parent_path() : self.parent_path()) / "shuttle-full";
  execv(full.c_str(), argv);
  const int err = errno;
  return Fail(Status::FailedPrecondition(std::string("'") + argv[1] + "' runs in " + full.string() +
                                         ", which could not be started: " + std::strerror(err) +
                                         " (build it with `make`, or run that binary directly)"));
}

const Command kCommands[] = {
    {"analyze", "Pareto frontier, bargaining solutions, ZOPA and statistics of a scenario",
     SetupAnalyze},
    {"convert", "Convert a scenario between GENIUS XML, GeniusWeb JSON and Shuttle JSON",
     SetupConvert},
    {"generate", "Write a random linear scenario", SetupGenerate},
    {"tournament", "Every agent against every other on every scenario, in every role, on all cores",
     SetupTournament},
    {"report",
     "One self-contained HTML report with Vega-Lite plots of an event log or tournament results",
     SetupReport},
    {"negotiate", "Run automated parties through a protocol; print the transcript and the result",
     SetupNegotiate},
    {"replay", "Re-run an event log and check that it reproduces exactly", SetupReplay},
    {"serve", "HTTP/JSON API and web rooms for mediated sessions, stored in SQLite",
     SetupServeEntry},
    {"mediate",
     "Shuttle mediation with automated caucus parties: visits, public statements, agreement or "
     "impasse diagnosis",
     SetupMediate},
};

}  // namespace
}  // namespace shuttle::cli

int main(int argc, char** argv) {
  using namespace shuttle::cli;
  if (kExecsFull && NeedsFull(argc, argv)) return ExecFull(argv);
  CLI::App app{
      "Shuttle: a mediation engine for negotiations whose parties will not sit at one table"};
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
