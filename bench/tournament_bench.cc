// The reference tournament: boulware, conceder, linear and tit-for-tat on three small ANAC
// domains (EnglandZimbabwe 576, ItexvsCypress 180 and Grocery 1,600 outcomes), with role rotations
// and self-play, 100 rounds: 96 negotiations. The Python toolkit this field uses runs it in 1.25 s
// on the project's 2-core machine; the target is under 15 ms.
//   BM_TournamentRun/threads:N  the 96 negotiations on N threads (plan made once)
//   BM_TournamentPlan           loading nothing, analysing the three scenarios and rotating them
//   BM_TournamentEndToEnd/1|2   plan + run, as `shuttle tournament` does after reading the files
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "shuttle/io.h"
#include "shuttle/tournament.h"

namespace shuttle {
namespace {

class NullSink final : public TournamentSink {
 public:
  void OnResult(const JobResult& r) override { agreements += r.agreement; }
  size_t agreements = 0;
};

const TournamentConfig* ReferenceConfig() {
  static TournamentConfig* config = [] {
    auto* c = new TournamentConfig;
    c->agents = {"boulware", "conceder", "linear", "tit-for-tat"};
    c->protocol_options.rounds = 100;
    std::string base = std::string(SHUTTLE_SOURCE_DIR) + "/../shared/domains/genius/anac/y2010/";
    const std::vector<std::vector<std::string>> files = {
        {"EnglandZimbabwe/EnglandZimbabwe_domain.xml", "EnglandZimbabwe/England.xml",
         "EnglandZimbabwe/Zimbabwe.xml"},
        {"ItexvsCypress/ItexvsCypress_domain.xml", "ItexvsCypress/ItexvsCypress_Itex.xml",
         "ItexvsCypress/ItexvsCypress_Cypress.xml"},
        {"../y2011/Grocery/Grocery_domain.xml", "../y2011/Grocery/Grocery_domain_mary.xml",
         "../y2011/Grocery/Grocery_domain_sam.xml"}};
    for (const auto& f : files) {
      std::vector<std::string> paths;
      for (const auto& p : f) paths.push_back(base + p);
      auto s = LoadScenario(paths);
      if (!s.ok()) {
        std::fprintf(stderr, "tournament_bench: %s (needs ../shared/domains)\n",
                     s.status().ToString().c_str());
        return static_cast<TournamentConfig*>(nullptr);
      }
      c->scenarios.push_back(std::move(s).value());
    }
    return c;
  }();
  return config;
}

void BM_TournamentRun(benchmark::State& state) {
  if (!ReferenceConfig()) return state.SkipWithError("domains not found");
  auto plan = TournamentPlan::Make(*ReferenceConfig());
  if (!plan.ok()) return state.SkipWithError(plan.status().ToString().c_str());
  TournamentRunOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    NullSink sink;
    Status s = RunTournament(*plan, options, &sink);
    benchmark::DoNotOptimize(sink.agreements);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.counters["negotiations"] = static_cast<double>(plan->job_count());
}
BENCHMARK(BM_TournamentRun)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_TournamentPlan(benchmark::State& state) {
  if (!ReferenceConfig()) return state.SkipWithError("domains not found");
  for (auto _ : state) {
    auto plan = TournamentPlan::Make(*ReferenceConfig());
    benchmark::DoNotOptimize(plan.ok());
  }
}
BENCHMARK(BM_TournamentPlan)->Unit(benchmark::kMillisecond);

void BM_TournamentEndToEnd(benchmark::State& state) {
  if (!ReferenceConfig()) return state.SkipWithError("domains not found");
  TournamentRunOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto plan = TournamentPlan::Make(*ReferenceConfig());
    NullSink sink;
    Status s = RunTournament(*plan, options, &sink);
    benchmark::DoNotOptimize(sink.agreements);
  }
}
BENCHMARK(BM_TournamentEndToEnd)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace shuttle

BENCHMARK_MAIN();
