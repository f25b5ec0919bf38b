// `shuttle`: serve and tournament --mpi run in shuttle-full (variant.h).
#include "variant.h"

namespace shuttle::cli {

const bool kExecsFull = true;
void (*const kSetupServe)(CLI::App* sub) = nullptr;
int (*const kRunTournamentMpi)(const TournamentArgs& args,
                               const std::atomic<bool>* cancel) = nullptr;

}  // namespace shuttle::cli
