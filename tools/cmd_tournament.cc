// shuttle tournament: agents x scenarios x role rotations x repetitions, on all cores (or across
// machines with --mpi), streamed to a resumable results folder, summarized per agent.
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <set>
#include <thread>

#include "arg_checks.h"
#include "command.h"
#include "shuttle/tournament.h"
#include "tournament_cli.h"
#include "variant.h"

namespace shuttle::cli {
namespace {

std::atomic<bool> g_cancel{false};

void OnSignal(int) { g_cancel = true; }

// Forwards the library's progress to the bar and results to the writer.
class WriterWithProgress final : public TournamentSink {
 public:
  WriterWithProgress(TournamentWriter* writer, TerminalProgress* bar)
      : writer_(writer), bar_(bar) {}
  void OnResult(const JobResult& r) override {
    writer_->OnResult(r);
    if (bar_) bar_->Tick();
  }

 private:
  TournamentWriter* writer_;
  TerminalProgress* bar_;
};

int RunLocal(const TournamentArgs& a) {
  auto plan = BuildTournamentPlan(a);
  if (!plan.ok()) return Fail(plan.status());
  auto writer = TournamentWriter::Open(a.out, *plan, a.resume);
  if (!writer.ok()) return Fail(writer.status());
  TournamentRunOptions options;
  options.threads = a.threads;
  options.done = &(*writer)->done();
  options.cancel = &g_cancel;
  size_t left = SelectJobs(*plan, options).size();
  if (!a.quiet && (*writer)->done_count() > 0)
    std::fprintf(stderr, "resuming: %zu of %zu jobs already done\n", (*writer)->done_count(),
                 plan->job_count());
  std::unique_ptr<TerminalProgress> bar;
  if (!a.quiet) bar = std::make_unique<TerminalProgress>(left, a.progress);
  WriterWithProgress sink(writer->get(), bar.get());
  Status run = RunTournament(*plan, options, &sink);
  bar.reset();
  if (!run.ok()) {
    if (g_cancel) std::fprintf(stderr, "interrupted: run again with --resume to finish\n");
    return Fail(run);
  }
  return ReportTournament((*writer)->Finish(), a);
}

// Everything the command line alone decides, checked before any scenario is loaded or job runs
// (an unknown agent would otherwise fail each of its jobs and the run would still exit 0).
Status CheckArgs(const TournamentArgs& a) {
  SHUTTLE_RETURN_IF_ERROR(CheckAgentSpecs(a.agents, "--agents"));
  std::set<std::string> seen;
  for (const std::string& agent : a.agents) {
    if (!seen.insert(agent).second)
      return Status::InvalidArgument(fmt::format("--agents: '{}' is listed twice", agent));
  }
  SHUTTLE_RETURN_IF_ERROR(CheckProtocolName(a.protocol, "--protocol"));
  if (a.repetitions < 1)
    return Status::InvalidArgument(
        fmt::format("--repetitions {}: must be at least 1", a.repetitions));
  if (a.rounds < 0)
    return Status::InvalidArgument(fmt::format("--rounds {}: must be at least 0", a.rounds));
  if (!(a.seconds >= 0))
    return Status::InvalidArgument(fmt::format("--seconds {}: must be at least 0", a.seconds));
  if (a.rounds == 0 && a.seconds == 0) {
    return Status::InvalidArgument(
        "--rounds 0 without --seconds: the negotiations would have no deadline");
  }
  if (a.threads < 0)
    return Status::InvalidArgument(fmt::format("--threads {}: must be at least 0", a.threads));
  if (!(a.discretize >= 0))
    return Status::InvalidArgument(
        fmt::format("--discretize {}: must be at least 0", a.discretize));
  return Status::Ok();
}

int Run(const TournamentArgs& a) {
  if (Status checked = CheckArgs(a); !checked.ok()) return UsageError(checked);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  if (!a.mpi) return RunLocal(a);
  if (kRunTournamentMpi) return kRunTournamentMpi(a, &g_cancel);
  return Fail(Status::FailedPrecondition(
      "--mpi: this shuttle was built without Open MPI (install libopenmpi-dev and rebuild)"));
}

}  // namespace

void SetupTournament(CLI::App* sub) {
  auto args = std::make_shared<TournamentArgs>();
  sub->add_option("-a,--agents", args->agents,
                  "Agent specs (comma-separated or repeated), e.g. boulware,conceder,tit-for-tat")
      ->required()
      ->delimiter(';')
      ->expected(1, -1);
  sub->add_option("-s,--scenario", args->scenarios,
                  "A scenario: Shuttle JSON file, a folder with a GENIUS domain and profiles, or "
                  "FILE,FILE,... (repeat for more)")
      ->required()
      ->expected(1, -1);
  sub->add_option("-o,--out", args->out,
                  "Results folder (results.csv, results.jsonl, summary.csv, summary.json)")
      ->required();
  sub->add_option("--protocol", args->protocol, "Protocol")->capture_default_str();
  sub->add_option("--rounds", args->rounds, "Deadline in rounds")->capture_default_str();
  sub->add_option("--seconds", args->seconds, "Deadline in seconds (0: none)")
      ->capture_default_str();
  sub->add_option("-r,--repetitions", args->repetitions, "Runs of each pairing")
      ->capture_default_str();
  sub->add_flag("--no-rotate", args->no_rotate, "Do not rotate the parties' roles");
  sub->add_flag("--no-self-play", args->no_self_play, "Never pair an agent with itself");
  sub->add_option("--seed", args->seed, "Tournament seed")->capture_default_str();
  sub->add_option("-j,--threads", args->threads, "Worker threads (0: all cores)")
      ->capture_default_str();
  sub->add_option("--discretize", args->discretize, "Step for real issues")->capture_default_str();
  sub->add_flag("--resume", args->resume, "Continue an interrupted run in the same folder");
  sub->add_flag("--mpi", args->mpi, "Split the jobs over the ranks of mpirun");
  sub->add_flag("-q,--quiet", args->quiet, "No progress bar");
  sub->add_flag("--progress", args->progress,
                "Show the progress bar even when stderr is no terminal (under mpirun)");
  sub->callback([args] {
    // "-a a,b -a c" and "-a a -a b" both work; commas inside a spec's parameters are kept when
    // the spec has a ':' (boulware:e=0.1,k=0 is one agent).
    std::vector<std::string> agents;
    for (const std::string& item : args->agents) {
      if (item.find(':') != std::string::npos) {
        agents.push_back(item);
        continue;
      }
      size_t start = 0;
      while (start <= item.size()) {
        size_t comma = item.find(',', start);
        if (comma == std::string::npos) comma = item.size();
        if (comma > start) agents.push_back(item.substr(start, comma - start));
        start = comma + 1;
      }
    }
    args->agents = agents;
    ExitStatus() = Run(*args);
  });
}

}  // namespace shuttle::cli
