// SAO negotiations end to end. Reference (the widely used Python toolkit): Boulware vs Boulware,
// 1000 steps, ANAC Travel (188,160 outcomes): 32 s (1.3 s with its outcome-search bug patched);
// Itex-Cypress (180 outcomes): 0.14 s. Targets: Travel, 1000 rounds, whole process including
// loading and index building, under 12 ms; small domains at least 10^6 SAO rounds per second per
// core. Needs ../shared/domains (GENIUS files); without it the benchmarks are not registered.
// The whole-process benchmark is mostly the two agents' exact indexes (two sorts of 188,160
// utilities, about 3 ms each with their page faults). The `shuttle negotiate` process adds its own
// start (dynamic loading of fmt, pugixml and libstdc++; cpp-httplib and Open MPI live in
// shuttle-full): bench/cli_process.sh measures the whole process.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "shuttle/io.h"
#include "shuttle/negotiate.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

const std::string kDomains =
    std::string(SHUTTLE_SOURCE_DIR) + "/../shared/domains/genius/anac/y2010/";

std::vector<std::string> TravelFiles() {
  return {kDomains + "Travel/travel_domain.xml", kDomains + "Travel/travel_chox.xml",
          kDomains + "Travel/travel_fanny.xml"};
}
std::vector<std::string> ItexFiles() {
  return {kDomains + "ItexvsCypress/ItexvsCypress_domain.xml",
          kDomains + "ItexvsCypress/ItexvsCypress_Itex.xml",
          kDomains + "ItexvsCypress/ItexvsCypress_Cypress.xml"};
}

bool Exist(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    if (!fs::exists(f)) return false;
  }
  return true;
}

NegotiationOptions Options(const char* a, const char* b, int rounds, bool metrics) {
  NegotiationOptions o;
  o.agents = {a, b};
  o.protocol_options.rounds = rounds;
  o.metrics = metrics;
  return o;
}

void Check(benchmark::State& state, const Status& s) {
  if (!s.ok()) state.SkipWithError(s.ToString().c_str());
}

// The whole job of `shuttle negotiate` minus printing: load the XML, compile, build the agents'
// indexes, negotiate 1000 rounds, compute the metrics (Pareto frontier, Nash, KS).
void BM_TravelBoulwareWholeProcess(benchmark::State& state) {
  int rounds = 0;
  for (auto _ : state) {
    auto scenario = LoadScenario(TravelFiles());
    if (!scenario.ok()) return Check(state, scenario.status());
    auto r = Negotiate(*scenario, Options("boulware", "boulware", 1000, true));
    if (!r.ok()) return Check(state, r.status());
    rounds = r->metrics.rounds;
    benchmark::DoNotOptimize(r->metrics.welfare);
  }
  state.counters["rounds"] = rounds;
}

// The same without loading: agents' Init, the loop and the metrics. With rounds = 1 the session
// is little more than the agents' Init (their outcome indexes), so the difference is the loop.
void BM_TravelBoulwareNegotiate(benchmark::State& state) {
  auto scenario = LoadScenario(TravelFiles());
  if (!scenario.ok()) return Check(state, scenario.status());
  bool metrics = state.range(0) != 0;
  int rounds = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto r = Negotiate(*scenario, Options("boulware", "boulware", rounds, metrics));
    if (!r.ok()) return Check(state, r.status());
    benchmark::DoNotOptimize(r->metrics.welfare);
  }
}

// Rounds per second on a small domain: hardliners never agree, so every session runs all its
// rounds (two SAO moves each); metrics off, so this is Init plus the loop.
void BM_ItexRounds(benchmark::State& state, const char* a, const char* b) {
  auto scenario = LoadScenario(ItexFiles());
  if (!scenario.ok()) return Check(state, scenario.status());
  int rounds = static_cast<int>(state.range(0));
  int64_t total = 0;
  for (auto _ : state) {
    auto r = Negotiate(*scenario, Options(a, b, rounds, false));
    if (!r.ok()) return Check(state, r.status());
    total += r->metrics.rounds;
  }
  state.counters["rounds/s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}

void BM_ItexWholeProcess(benchmark::State& state) {
  for (auto _ : state) {
    auto scenario = LoadScenario(ItexFiles());
    if (!scenario.ok()) return Check(state, scenario.status());
    auto r = Negotiate(*scenario, Options("boulware", "boulware", 1000, true));
    if (!r.ok()) return Check(state, r.status());
    benchmark::DoNotOptimize(r->metrics.welfare);
  }
}

}  // namespace
}  // namespace shuttle

int main(int argc, char** argv) {
  using namespace shuttle;
  benchmark::Initialize(&argc, argv);
  if (Exist(TravelFiles())) {
    benchmark::RegisterBenchmark("TravelBoulware1000/whole_process", BM_TravelBoulwareWholeProcess)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("TravelBoulware1000/negotiate", BM_TravelBoulwareNegotiate)
        ->ArgNames({"metrics", "rounds"})
        ->Args({0, 1})
        ->Args({0, 1000})
        ->Args({1, 1000})
        ->Unit(benchmark::kMillisecond);
  } else {
    std::fprintf(stderr, "negotiate_bench: %s not found: Travel benchmarks skipped\n",
                 kDomains.c_str());
  }
  if (Exist(ItexFiles())) {
    benchmark::RegisterBenchmark("ItexBoulware1000/whole_process", BM_ItexWholeProcess)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("ItexRounds/hardliner", BM_ItexRounds, "hardliner", "hardliner")
        ->Arg(100000)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("ItexRounds/boulware", BM_ItexRounds, "boulware", "boulware")
        ->Arg(100000)
        ->Unit(benchmark::kMillisecond);
  } else {
    std::fprintf(stderr, "negotiate_bench: %s not found: Itex-Cypress benchmarks skipped\n",
                 kDomains.c_str());
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
