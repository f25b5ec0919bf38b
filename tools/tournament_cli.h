// Helpers shared by `shuttle tournament` and its Open MPI driver: scenario arguments, the
// terminal progress bar, the summary table.
#ifndef SHUTTLE_TOOLS_TOURNAMENT_CLI_H_
#define SHUTTLE_TOOLS_TOURNAMENT_CLI_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "shuttle/progress.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"
#include "shuttle/tournament.h"

namespace shuttle::cli {

// The command line of `shuttle tournament`.
struct TournamentArgs {
  std::vector<std::string> agents;
  std::vector<std::string> scenarios;
  std::string protocol = "sao";
  int rounds = ProtocolOptions().rounds;
  double seconds = 0;
  int repetitions = 1;
  bool no_rotate = false;
  bool no_self_play = false;
  uint64_t seed = 1;
  int threads = 0;
  std::string out;
  bool resume = false;
  bool mpi = false;
  bool quiet = false;
  bool progress = false;
  double discretize = 0;
};

// The plan of the arguments' tournament (its scenarios loaded).
Result<TournamentPlan> BuildTournamentPlan(const TournamentArgs& a);

// Rank 0 (or the only process) prints the summary or why there is none; returns the exit status.
int ReportTournament(const Result<TournamentSummary>& summary, const TournamentArgs& a);

// One scenario argument: a Shuttle JSON file, a folder (its domain file first, then the profiles)
// or comma-separated files as LoadScenario() takes them. Real issues are discretized with `step`
// when it is > 0.
Result<Scenario> LoadScenarioArgument(const std::string& argument, double step);

// "[#########.........]  45%  43/96  0:03 left" on stderr, redrawn at most 10 times a second;
// silent when stderr is not a terminal unless `force` (mpirun pipes rank 0's stderr).
class TerminalProgress final : public Progress {
 public:
  explicit TerminalProgress(size_t total, bool force = false);
  ~TerminalProgress() override;
  void Update(std::string_view task, double fraction) override;
  // Counts one more finished job and redraws.
  void Tick();

 private:
  void Draw(double fraction, bool force);
  bool enabled_;
  size_t total_;
  std::atomic<size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

// The summary as an aligned text table: mean [95% CI] per metric.
std::string SummaryTable(const TournamentSummary& summary);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_TOURNAMENT_CLI_H_
