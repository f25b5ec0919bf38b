// The CLI's subcommand table and the one place where a Status becomes an exit code.
//
// Each subcommand lives in its own cmd_<name>.cc and registers itself on the CLI11 app; main.cc
// lists them in one table (name, help, register function), as ninja's kTools[] does.
#ifndef SHUTTLE_TOOLS_COMMAND_H_
#define SHUTTLE_TOOLS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <string>

#include "shuttle/status.h"

namespace shuttle::cli {

// Exit statuses, documented in README.md.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   // The work failed (no agreement is not a failure).
constexpr int kExitUsage = 2;     // Bad command line.
constexpr int kExitBadInput = 3;  // An input file is malformed or inconsistent.
constexpr int kExitIO = 4;        // A file could not be read or written.

// Prints "shuttle: error: <message>" to stderr and returns the exit status for the code.
int Fail(const Status& status);
// The same for a bad command line (an unknown name, a missing argument): exit status kExitUsage.
int UsageError(const Status& status);
// Writes `text` to standard output as it is.
inline void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// The exit status of a subcommand's run, set by its callback.
int& ExitStatus();

struct Command {
  const char* name;
  const char* help;
  // Adds the subcommand's options to `sub` and sets its callback.
  void (*setup)(CLI::App* sub);
};

void SetupAnalyze(CLI::App* sub);
void SetupConvert(CLI::App* sub);
void SetupGenerate(CLI::App* sub);
void SetupTournament(CLI::App* sub);
void SetupReport(CLI::App* sub);
void SetupNegotiate(CLI::App* sub);
void SetupReplay(CLI::App* sub);
void SetupServe(CLI::App* sub);
void SetupMediate(CLI::App* sub);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_COMMAND_H_
