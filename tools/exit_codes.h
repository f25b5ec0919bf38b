// Exit statuses and the one place where a Status becomes one. Apart from command.h so that a file
// that registers no subcommand (variant_full.cc) does not parse CLI11.
#ifndef SHUTTLE_TOOLS_EXIT_CODES_H_
#define SHUTTLE_TOOLS_EXIT_CODES_H_

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

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_EXIT_CODES_H_
