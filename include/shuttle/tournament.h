// Tournaments: every agent against every other on every scenario, in every role, repeatedly.
//
// A TournamentPlan is the job list, fixed by a TournamentConfig: scenarios x role rotations x
// assignments of agents to roles x repetitions. Assignments are all ordered tuples of agents (one
// per party, so every agent meets every other in every role), without tuples that repeat an agent
// when self-play is off. A rotation r shifts the scenario's parties so that party r moves first
// (the protocol starts with party 0). Job i's seed is a hash of (config seed, i) alone, so any
// split of the jobs (threads, shards, MPI ranks, an interrupted run resumed) gives identical
// results. The plan analyses each scenario once (Pareto frontier, Nash and Kalai-Smorodinsky
// points) so a job only negotiates and measures.
//
// RunTournament() runs a shard of the jobs on a pool of threads and hands each JobResult to a
// TournamentSink as it finishes (in completion order, one call at a time). TournamentWriter is the
// sink that streams results to CSV and JSON Lines files and resumes an interrupted run; Summarize()
// aggregates results per agent with 95% confidence intervals.
//
// A TournamentPlan is immutable after Make() and safe to share between threads. RunTournament is
// reentrant. The library never prints: progress goes to a Progress, results to the sink.
#ifndef SHUTTLE_TOURNAMENT_H_
#define SHUTTLE_TOURNAMENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/negotiate.h"
#include "shuttle/profile.h"
#include "shuttle/progress.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

struct TournamentConfig {
  // Agent specs as MakeAgent() reads them ("boulware", "tit-for-tat", ...). At least one; with
  // self-play off, at least as many as the largest scenario has parties.
  std::vector<std::string> agents;
  // Finite scenarios with at least two parties each (discretize real issues first).
  std::vector<Scenario> scenarios;
  // Protocol name for MakeProtocol(). Default: "sao".
  std::string protocol = "sao";
  // Deadline and protocol parameters; `seed` is ignored (each job has its own). Default: 1000
  // rounds, as ProtocolOptions.
  ProtocolOptions protocol_options;
  // Runs of each (scenario, rotation, assignment). Default: 1.
  int repetitions = 1;
  // Play each scenario in every rotation of its parties. Default: true.
  bool rotate = true;
  // Let an agent play against itself. Default: true.
  bool self_play = true;
  // Seed of the whole tournament. Default: 1.
  uint64_t seed = 1;
};

// One negotiation of the tournament.
struct TournamentJob {
  size_t index = 0;
  int scenario = 0;  // Into TournamentConfig::scenarios.
  int rotation = 0;  // Role slot k plays the scenario's party (k + rotation) % n.
  int repetition = 0;
  std::vector<int> agents;  // Agent index (into TournamentConfig::agents) per role slot.
  uint64_t seed = 0;
};

// What one job produced; every vector is in role-slot order (slot 0 moves first).
struct JobResult {
  size_t job = 0;
  std::string scenario;
  int rotation = 0;
  int repetition = 0;
  uint64_t seed = 0;
  std::vector<std::string> agents;   // Agent spec per slot.
  std::vector<std::string> parties;  // The scenario's party (profile) name per slot.
  bool agreement = false;
  int rounds = 0;
  double time = 0;                 // Normalized time at the end.
  std::vector<double> utilities;   // Raw; the reservation value without agreement.
  std::vector<double> discounted;  // u * d^t.
  double welfare = 0;              // Sum of raw utilities.
  double nash_product = 0;         // prod (u_i - rv_i), 0 when someone is below rv.
  // Euclidean distances in utility space; NaN when the scenario could not be analysed or has no
  // rational outcome.
  double pareto_distance = 0;
  double nash_distance = 0;
  double ks_distance = 0;
  std::string error;   // Non-empty when the negotiation could not run.
  double seconds = 0;  // Wall-clock; not part of the deterministic record.

  // Equal in every deterministic field (seconds ignored; NaN equals NaN).
  bool SameOutcome(const JobResult& other) const;
};

// Runs one negotiation; Negotiate() by default. Tests substitute a fake.
using NegotiateFunction =
    std::function<Result<NegotiationResult>(const Scenario&, const NegotiationOptions&)>;

class TournamentPlan {
 public:
  // Validates the config (kInvalidArgument names the scenario or agent at fault), rotates the
  // scenarios, compiles utilities and analyses each scenario once (a scenario that cannot be
  // analysed still plays; its distances are NaN).
  static Result<TournamentPlan> Make(TournamentConfig config, const AnalysisOptions& analysis = {});

  const TournamentConfig& config() const { return *config_; }
  size_t job_count() const { return job_offsets_.back(); }
  // Requires index < job_count(). Computed, not stored: plans of millions of jobs are cheap.
  TournamentJob Job(size_t index) const;
  // The largest party count over the scenarios (the number of role columns in result files).
  int max_parties() const { return max_parties_; }
  // The scenario as played in a rotation (parties shifted), and its analysis (nullopt when it
  // could not be analysed).
  const Scenario& Rotated(int scenario, int rotation) const;
  const std::optional<Analysis>& RotatedAnalysis(int scenario, int rotation) const;
  const std::vector<Utility>& RotatedUtilities(int scenario, int rotation) const;
  // A canonical JSON text of the config (agents, scenarios by name and content hash, protocol,
  // options, seed); equal fingerprints mean equal job lists.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  struct Variant;  // One scenario in one rotation: its utilities and analysis (tournament.cc).
  std::shared_ptr<const TournamentConfig> config_;
  std::vector<std::vector<std::vector<int>>> assignments_;  // By party count: tuples of agents.
  std::vector<size_t> job_offsets_;  // First job of each scenario; last = total.
  std::vector<std::vector<std::shared_ptr<const Variant>>> variants_;  // [scenario][rotation]
  int max_parties_ = 0;
  std::string fingerprint_;
};

// Runs job `job` of the plan: negotiates (without the runner's own metrics) and measures against
// the plan's cached analysis. A failed negotiation gives a result with `error` set, not an error.
JobResult RunJob(const TournamentPlan& plan, size_t job, const NegotiateFunction& negotiate = {});

// Receives results as jobs finish. Calls are serialized (never concurrent) but may come from any
// worker thread.
class TournamentSink {
 public:
  virtual ~TournamentSink() = default;
  virtual void OnResult(const JobResult& result) = 0;
};

struct TournamentRunOptions {
  // Worker threads; 0 means one per hardware thread. Default: 0.
  int threads = 0;
  // The slice of the job list to run: jobs j in [begin, min(end, job_count())) with
  // j % shard_count == shard_index. Default: every job.
  size_t begin = 0;
  size_t end = SIZE_MAX;
  size_t shard_index = 0;
  size_t shard_count = 1;
  // Jobs already done (indexed by job; shorter than the job list means the rest are not done).
  // Default: none.
  const std::vector<bool>* done = nullptr;
  // Receives "tournament" updates with the fraction of this run's jobs finished. Default: none.
  Progress* progress = nullptr;
  // Set to true (from any thread, a signal handler too) to stop after the jobs in flight.
  // Default: none.
  const std::atomic<bool>* cancel = nullptr;
  // Runs each negotiation. Default: Negotiate().
  NegotiateFunction negotiate;
};

// The jobs a run with these options would execute, in ascending order.
std::vector<size_t> SelectJobs(const TournamentPlan& plan, const TournamentRunOptions& options);

// Runs the selected jobs, handing each result to `sink`. kInvalidArgument for a bad shard;
// kFailedPrecondition ("cancelled") when stopped by `cancel` (the results so far were delivered).
Status RunTournament(const TournamentPlan& plan, const TournamentRunOptions& options,
                     TournamentSink* sink);

// A sink that keeps every result; results() is sorted by job index.
class CollectingSink final : public TournamentSink {
 public:
  void OnResult(const JobResult& result) override { results_.push_back(result); }
  std::vector<JobResult> results() const;

 private:
  std::vector<JobResult> results_;
};

// ---- Summary ----

// A mean with a two-sided 95% confidence interval [low, high] (Student t for means, Wilson score
// for rates). With n < 2 the interval is the mean itself.
struct Estimate {
  double mean = 0, low = 0, high = 0;
  size_t n = 0;
};

struct AgentSummary {
  std::string agent;
  size_t negotiations = 0;  // Role slots played (a self-play job counts twice).
  Estimate utility;         // Own raw utility.
  Estimate discounted;      // Own discounted utility.
  Estimate agreement_rate;
  Estimate welfare;
  Estimate pareto_distance;  // Over results with a known distance.
  Estimate nash_distance;
  Estimate ks_distance;
};

struct TournamentSummary {
  size_t jobs = 0;                   // Results summarized.
  size_t errors = 0;                 // Results with `error` set (left out of the estimates).
  std::vector<AgentSummary> agents;  // Config order.
};

// Aggregates results (any order; they are sorted by job first so any split sums identically).
TournamentSummary Summarize(const TournamentPlan& plan, std::vector<JobResult> results);
// The same for results read back from files: `agents` in the order to report (results naming
// another agent are counted in `jobs` but in no row).
TournamentSummary Summarize(const std::vector<std::string>& agents, std::vector<JobResult> results);

// ---- Files ----
// A tournament folder holds tournament.json (the plan's fingerprint), results.csv and
// results.jsonl (one line per finished job, in completion order), and, when the run is complete,
// summary.csv and summary.json.

std::string ResultCsvHeader(int max_parties);
std::string ResultCsvRow(const JobResult& result, int max_parties);
// One line of JSON (no newline); doubles in the shortest form that parses back to the same bits.
std::string ResultJson(const JobResult& result);
// kCorruption names what is wrong.
Result<JobResult> ParseResultJson(std::string_view line);
std::string SummaryCsv(const TournamentSummary& summary);
std::string SummaryJson(const TournamentSummary& summary);

// Reads the results.jsonl of a tournament folder (or a .jsonl file), skipping a truncated last
// line. kNotFound / kCorruption name the file and line.
Result<std::vector<JobResult>> ReadTournamentResults(const std::string& path);

// Streams results into a folder. Open() creates it; with `resume`, it keeps the complete results
// already there (kConflict when tournament.json belongs to another plan) and rewrites both files
// from them, so a half-written line from a crash disappears; without `resume` it refuses a folder
// that already has results (kConflict). Results reach the files at least every 100 ms and at
// Finish() or destruction (a crash loses at most that much, which a resume runs again). Not
// thread-safe beyond the sink contract.
class TournamentWriter final : public TournamentSink {
 public:
  static Result<std::unique_ptr<TournamentWriter>> Open(const std::string& dir,
                                                        const TournamentPlan& plan, bool resume);
  ~TournamentWriter() override;

  void OnResult(const JobResult& result) override;
  // Jobs found done when opening (by job index).
  const std::vector<bool>& done() const;
  size_t done_count() const;
  // Every result so far (resumed and new).
  const std::vector<JobResult>& results() const;
  // The first write error, if any (the sink cannot return one).
  const Status& write_status() const;
  // Writes summary.csv and summary.json from all results; kFailedPrecondition when jobs are
  // missing (the summary would be of a partial run), kIOError on write failure.
  Result<TournamentSummary> Finish();

 private:
  struct State;  // Open files, results and flush timing (tournament_io.cc).
  explicit TournamentWriter(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace shuttle

#endif  // SHUTTLE_TOURNAMENT_H_
