// Analysis benchmarks: the exact linear frontier and bargaining points of generated 10^20 and 10^50
// domains, and full analyses of ANAC domains (Travel, 188,160 outcomes; AgentHp2, 5,764,801; the
// ANAC 2014 hyper-rectangle domains, 10^10 to 10^40 outcomes) when the shared corpus is present.
// Counters report the frontier size (and for ANAC 2014 whether it is exact, and its gap).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/generate.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

const std::string kDomains = SHUTTLE_SOURCE_DIR "/../shared/domains/genius/";

std::vector<Utility> Compile(const Scenario& s) {
  std::vector<Utility> out;
  for (const Party& p : s.parties) out.push_back(Utility::Compile(s.space, p.profile).value());
  return out;
}

// Args: issues, values, opposition in percent.
void BM_LinearFrontierAndSolutions(benchmark::State& state) {
  GenerateOptions o;
  o.issues = static_cast<int>(state.range(0));
  o.values = static_cast<int>(state.range(1));
  o.opposition = static_cast<double>(state.range(2)) / 100.0;
  o.seed = 7;
  Scenario s = GenerateScenario(o).value();
  std::vector<Utility> u = Compile(s);
  std::vector<double> rv(u.size(), 0.0);
  size_t size = 0;
  for (auto _ : state) {
    auto f = LinearParetoFrontier(s.space, u, 10'000'000);
    if (!f.ok()) {
      state.SkipWithError(f.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(NashPoint(*f, rv));
    benchmark::DoNotOptimize(KalaiSmorodinskyPoint(*f, rv));
    benchmark::DoNotOptimize(EgalitarianPoint(*f, rv));
    benchmark::DoNotOptimize(MaxWelfarePoint(*f, rv));
    size = f->size();
  }
  state.counters["frontier"] = static_cast<double>(size);
  state.counters["log10_outcomes"] = s.space.cardinality().Log10();
}
BENCHMARK(BM_LinearFrontierAndSolutions)
    ->Args({20, 10, 50})
    ->Args({50, 10, 50})
    ->Args({20, 10, 90})
    ->Args({50, 10, 90})
    ->Unit(benchmark::kMillisecond);

// Full Analyze (ZOPA, means, opposition included) of a generated domain with reservation values,
// so the ZOPA must be sampled.
void BM_AnalyzeGenerated(benchmark::State& state) {
  GenerateOptions o;
  o.issues = static_cast<int>(state.range(0));
  o.values = 10;
  o.reservation = 0.3;
  Scenario s = GenerateScenario(o).value();
  for (auto _ : state) benchmark::DoNotOptimize(Analyze(s));
}
BENCHMARK(BM_AnalyzeGenerated)->Arg(20)->Arg(50)->Unit(benchmark::kMillisecond);

// Loads a GENIUS folder (domain file first) keeping the first `parties` profiles.
std::vector<std::string> Files(const std::string& folder, const std::string& domain,
                               const std::vector<std::string>& profiles) {
  std::vector<std::string> files = {kDomains + folder + "/" + domain};
  for (const auto& p : profiles) files.push_back(kDomains + folder + "/" + p);
  return files;
}

// The scenario of corpus `files`, or nothing when the corpus is absent or the files do not load
// (the benchmark is then skipped, saying why).
std::optional<Scenario> LoadOrSkip(benchmark::State& state, const std::vector<std::string>& files) {
  if (!std::filesystem::exists(files.front())) {
    state.SkipWithError(("corpus absent: " + files.front()).c_str());
    return std::nullopt;
  }
  auto loaded = LoadScenario(files);
  if (!loaded.ok()) {
    state.SkipWithError(loaded.status().ToString().c_str());
    return std::nullopt;
  }
  return *std::move(loaded);
}

void RunAnalyzeFiles(benchmark::State& state, const std::vector<std::string>& files,
                     bool include_load, double reservation = -1) {
  std::optional<Scenario> loaded = LoadOrSkip(state, files);
  if (!loaded) return;
  // A reservation value for everyone forces the exact ZOPA count to enumerate the space.
  if (reservation >= 0) {
    for (Party& p : loaded->parties) p.profile.reservation_value = reservation;
  }
  size_t size = 0;
  for (auto _ : state) {
    if (include_load) {
      auto s = LoadScenario(files);
      auto a = Analyze(*s);
      size = a->pareto.points.size();
    } else {
      auto a = Analyze(*loaded);
      size = a->pareto.points.size();
    }
  }
  state.counters["frontier"] = static_cast<double>(size);
}

void BM_TravelLoadAndAnalyze(benchmark::State& state) {
  RunAnalyzeFiles(
      state,
      Files("anac/y2010/Travel", "travel_domain.xml", {"travel_chox.xml", "travel_fanny.xml"}),
      true);
}
BENCHMARK(BM_TravelLoadAndAnalyze)->Unit(benchmark::kMillisecond);

void BM_AgentHp2Analyze2Parties(benchmark::State& state) {
  RunAnalyzeFiles(
      state,
      Files("anac/y2016/AgentHp2", "energy_grid_domain.xml", {"consumer.xml", "producer.xml"}),
      false);
}
BENCHMARK(BM_AgentHp2Analyze2Parties)->Unit(benchmark::kMillisecond);

void BM_AgentHp2Analyze3Parties(benchmark::State& state) {
  RunAnalyzeFiles(state,
                  Files("anac/y2016/AgentHp2", "energy_grid_domain.xml",
                        {"consumer.xml", "producer.xml", "provider.xml"}),
                  false);
}
BENCHMARK(BM_AgentHp2Analyze3Parties)->Unit(benchmark::kMillisecond);

void BM_AgentHp2AnalyzeEnumeratingZopa(benchmark::State& state) {
  std::vector<std::string> profiles = {"consumer.xml", "producer.xml", "provider.xml"};
  profiles.resize(state.range(0));
  RunAnalyzeFiles(state, Files("anac/y2016/AgentHp2", "energy_grid_domain.xml", profiles), false,
                  0.5);
}
BENCHMARK(BM_AgentHp2AnalyzeEnumeratingZopa)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

void BM_TravelAnalyzeEnumeratingZopa(benchmark::State& state) {
  RunAnalyzeFiles(
      state,
      Files("anac/y2010/Travel", "travel_domain.xml", {"travel_chox.xml", "travel_fanny.xml"}),
      false, 0.5);
}
BENCHMARK(BM_TravelAnalyzeEnumeratingZopa)->Unit(benchmark::kMillisecond);

// ANAC 2014, two profiles: the cell search gives the 10-issue frontiers exactly; the larger ones
// get the search within its limit, sampling and local search, and a gap.
// `limit` 0: as before the search, sampling and local search alone (for comparison).
void RunAnac2014(benchmark::State& state, const std::string& name, size_t limit) {
  std::vector<std::string> files =
      Files("anac/y2014/" + name, name + "-domain.xml", {"profile-1.xml", "profile-2.xml"});
  std::optional<Scenario> loaded = LoadOrSkip(state, files);
  if (!loaded) return;
  AnalysisOptions options;
  options.rectangle_search_limit = limit;
  Analysis::Frontier frontier;
  for (auto _ : state) {
    auto a = Analyze(*loaded, options);
    if (!a.ok()) {
      state.SkipWithError(a.status().ToString().c_str());
      return;
    }
    frontier = std::move(a->pareto);
  }
  state.counters["frontier"] = static_cast<double>(frontier.points.size());
  state.counters["exact"] = frontier.exact ? 1 : 0;
  state.counters["gap"] = frontier.gap.value_or(-1);
}

void BM_Anac2014Analyze(benchmark::State& state, const std::string& name) {
  RunAnac2014(state, name, AnalysisOptions{}.rectangle_search_limit);
}

void BM_Anac2014AnalyzeSampledOnly(benchmark::State& state, const std::string& name) {
  RunAnac2014(state, name, 0);
}
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 10issues, std::string("10issues"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 10issuesDiscounted, std::string("10issuesDiscounted"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 10issuesDiscountedwithRV,
                  std::string("10issuesDiscountedwithRV"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 10issueswithRV, std::string("10issueswithRV"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Anac2014AnalyzeSampledOnly, 10issues, std::string("10issues"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 30issues, std::string("30issues"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_Anac2014Analyze, 50issues, std::string("50issues"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace shuttle

BENCHMARK_MAIN();
