// The Open MPI driver of `shuttle tournament --mpi`, built only when CMake finds Open MPI (the
// library stays MPI-free). Every rank builds the same plan; rank r runs the jobs j with
// j % size == r on its own threads and sends each result to rank 0 as it finishes; rank 0 writes
// the tournament folder (resuming it when asked: it broadcasts which jobs are done), runs its own
// share, and summarizes. Results are identical to a single-machine run because each job's seed
// depends only on (tournament seed, job index).
#ifndef SHUTTLE_TOOLS_MPI_TOURNAMENT_MPI_H_
#define SHUTTLE_TOOLS_MPI_TOURNAMENT_MPI_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "shuttle/status.h"
#include "shuttle/tournament.h"

namespace shuttle::cli {

struct MpiTournamentOptions {
  std::string dir;  // Rank 0's output folder.
  bool resume = false;
  int threads = 0;  // Per rank; 0: the host's cores shared among its ranks.
  const std::atomic<bool>* cancel = nullptr;
  // Rank 0 only: called after each result arrives (local or remote) with (finished, total).
  std::function<void(size_t, size_t)> on_result;
  // Rank 0 only: called once the folder is open, with the number of jobs left to run.
  std::function<void(size_t)> on_start;
};

// MPI_Init_thread / MPI_Finalize around the whole command.
int MpiInit(int* argc, char*** argv);  // Returns this rank.
void MpiFinalize();
int MpiRank();
// True when every rank passes true (a collective: all ranks must call it).
bool MpiAllOk(bool ok);

// Runs the tournament across all ranks (a collective). On rank 0 returns the summary when the run
// completed (nullopt on other ranks).
Result<std::optional<TournamentSummary>> RunTournamentMpi(const TournamentPlan& plan,
                                                          const MpiTournamentOptions& options);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_MPI_TOURNAMENT_MPI_H_
