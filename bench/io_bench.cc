// Scenario loading: ANAC 2010 Travel, the largest linear domain of the GENIUS corpus, and the
// whole corpus. Skips (with a message) when ../shared/domains is absent.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "shuttle/io.h"

namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(SHUTTLE_SOURCE_DIR) / ".." / "shared" / "domains" / "genius";

struct Row {
  std::string folder;
  std::vector<std::string> paths;
  double outcomes = 0;  // 0 when infinite or unknown.
  bool linear = false;
};

const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = [] {
    std::vector<Row> out;
    shuttle::Result<std::string> text = shuttle::ReadFile((kCorpus / "index.json").string());
    if (!text.ok()) return out;
    nlohmann::json index = nlohmann::json::parse(*text, nullptr, false);
    if (!index.is_object()) return out;
    for (const auto& r : index["rows"]) {
      Row row;
      row.folder = r["folder"];
      row.paths.push_back((kCorpus / row.folder / r["domain_file"].get<std::string>()).string());
      for (const auto& p : r["profile_files"])
        row.paths.push_back((kCorpus / row.folder / p.get<std::string>()).string());
      row.outcomes = r["n_outcomes"].is_number() ? r["n_outcomes"].get<double>() : 0;
      for (const auto& k : r["profile_kinds"]) row.linear = row.linear || k == "linear-additive";
      out.push_back(std::move(row));
    }
    return out;
  }();
  return rows;
}

void Load(benchmark::State& state, const Row* row) {
  if (row == nullptr) {
    state.SkipWithError(
        "GENIUS corpus not found next to the source tree (../shared/domains/genius)");
    return;
  }
  for (auto _ : state) {
    shuttle::Result<shuttle::Scenario> s = shuttle::LoadScenario(row->paths);
    if (!s.ok()) {
      state.SkipWithError(s.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(s);
  }
  state.SetLabel(row->folder);
}

void BM_LoadTravel(benchmark::State& state) {
  const Row* travel = nullptr;
  for (const Row& r : Rows()) {
    if (r.folder == "anac/y2010/Travel") travel = &r;
  }
  Load(state, travel);
}
BENCHMARK(BM_LoadTravel)->Unit(benchmark::kMicrosecond);

void BM_LoadLargestLinear(benchmark::State& state) {
  const Row* largest = nullptr;
  for (const Row& r : Rows()) {
    if (r.linear && (largest == nullptr || r.outcomes > largest->outcomes)) largest = &r;
  }
  Load(state, largest);
}
BENCHMARK(BM_LoadLargestLinear)->Unit(benchmark::kMicrosecond);

// Every row; rows that are refused on purpose (see corpus_load_test.cc) cost their refusal.
void BM_LoadWholeCorpus(benchmark::State& state) {
  if (Rows().empty()) {
    state.SkipWithError(
        "GENIUS corpus not found next to the source tree (../shared/domains/genius)");
    return;
  }
  int64_t files = 0;
  for (auto _ : state) {
    for (const Row& r : Rows()) {
      benchmark::DoNotOptimize(shuttle::LoadScenario(r.paths));
      files += static_cast<int64_t>(r.paths.size());
    }
  }
  state.counters["rows"] = static_cast<double>(Rows().size());
  state.counters["files/s"] =
      benchmark::Counter(static_cast<double>(files), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoadWholeCorpus)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
