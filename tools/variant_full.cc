// `shuttle-full`: serve, and tournament --mpi when built with Open MPI (variant.h).
#include "variant.h"

#ifdef SHUTTLE_WITH_MPI
#include <fmt/format.h>

#include <memory>

#include "exit_codes.h"
#include "mpi/tournament_mpi.h"
#include "tournament_cli.h"
#endif

namespace shuttle::cli {

void SetupServe(CLI::App* sub);  // cmd_serve.cc (declared in command.h, which parses CLI11).

const bool kExecsFull = false;
void (*const kSetupServe)(CLI::App* sub) = SetupServe;

#ifdef SHUTTLE_WITH_MPI
namespace {

int RunMpi(const TournamentArgs& a, const std::atomic<bool>* cancel) {
  int rank = MpiInit(nullptr, nullptr);
  auto plan = BuildTournamentPlan(a);
  if (!plan.ok()) Fail(plan.status().WithContext(fmt::format("rank {}", rank)));
  int status = kExitFailure;
  if (MpiAllOk(plan.ok())) {
    MpiTournamentOptions options;
    options.dir = a.out;
    options.resume = a.resume;
    options.threads = a.threads;
    options.cancel = cancel;
    std::unique_ptr<TerminalProgress> bar;
    if (rank == 0 && !a.quiet) {
      options.on_start = [&](size_t left) {
        bar = std::make_unique<TerminalProgress>(left, a.progress);
      };
      options.on_result = [&](size_t, size_t) {
        if (bar) bar->Tick();
      };
    }
    auto summary = RunTournamentMpi(*plan, options);
    bar.reset();
    if (!summary.ok()) {
      status = Fail(summary.status().WithContext(fmt::format("rank {}", rank)));
    } else if (rank == 0 && summary->has_value()) {
      status = ReportTournament(**summary, a);
    } else {
      status = kExitOk;
    }
  }
  MpiFinalize();
  return status;
}

}  // namespace

int (*const kRunTournamentMpi)(const TournamentArgs& args,
                               const std::atomic<bool>* cancel) = RunMpi;
#else
int (*const kRunTournamentMpi)(const TournamentArgs& args,
                               const std::atomic<bool>* cancel) = nullptr;
#endif

}  // namespace shuttle::cli
