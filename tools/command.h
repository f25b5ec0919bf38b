// The CLI's subcommand table (exit codes: exit_codes.h).
//
// Each subcommand lives in its own cmd_<name>.cc and registers itself on the CLI11 app; main.cc
// lists them in one table (name, help, register function), as ninja's kTools[] does.
#ifndef SHUTTLE_TOOLS_COMMAND_H_
#define SHUTTLE_TOOLS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <string>

#include "exit_codes.h"
#include "shuttle/status.h"

namespace shuttle::cli {

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
