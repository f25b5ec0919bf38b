// What differs between the two executables (CMakeLists.txt): `shuttle` links variant_light.cc,
// `shuttle-full` links variant_full.cc, and every other file of tools/ is compiled once for both.
// `shuttle` hands `serve` and `tournament --mpi` to shuttle-full beside it, so that the other
// commands do not load cpp-httplib and Open MPI.
#ifndef SHUTTLE_TOOLS_VARIANT_H_
#define SHUTTLE_TOOLS_VARIANT_H_

#include <atomic>

namespace CLI {
class App;
}  // namespace CLI

namespace shuttle::cli {

struct TournamentArgs;

// True in `shuttle`: main() execs shuttle-full for the command lines that it runs.
extern const bool kExecsFull;

// The options and callback of `serve` (SetupServe) in shuttle-full; nullptr in `shuttle`, whose
// table only lists the command.
extern void (*const kSetupServe)(CLI::App* sub);

// `tournament --mpi` with checked arguments: the Open MPI driver in a shuttle-full built with it;
// nullptr otherwise (the command then fails and says so).
extern int (*const kRunTournamentMpi)(const TournamentArgs& args, const std::atomic<bool>* cancel);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_VARIANT_H_
