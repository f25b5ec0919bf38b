// The plan and the report, scenario arguments, the progress bar and the summary table of
// `shuttle tournament`.
#include "tournament_cli.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "exit_codes.h"
#include "shuttle/io.h"

namespace shuttle::cli {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// A folder's scenario files: a lone Shuttle JSON file, or the domain file then the profiles.
Result<std::vector<std::string>> FolderFiles(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".xml" || ext == ".json"))
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty())
    return Status::NotFound(fmt::format("{}: no .xml or .json scenario files", dir));
  auto is_domain = [](const std::string& f) {
    std::string stem = fs::path(f).stem().string();
    std::transform(stem.begin(), stem.end(), stem.begin(), ::tolower);
    return stem.find("domain") != std::string::npos && stem.find("domain_") == std::string::npos;
  };
  std::stable_partition(files.begin(), files.end(), is_domain);
  return files;
}

std::string Cell(const Estimate& e, int digits = 3) {
  if (e.n == 0 || std::isnan(e.mean)) return "-";
  return fmt::format("{:.{}f} [{:.{}f}, {:.{}f}]", e.mean, digits, e.low, digits, e.high, digits);
}

}  // namespace

Result<TournamentPlan> BuildTournamentPlan(const TournamentArgs& a) {
  TournamentConfig config;
  config.agents = a.agents;
  for (const std::string& s : a.scenarios) {
    auto scenario = LoadScenarioArgument(s, a.discretize);
    if (!scenario.ok()) return scenario.status();
    config.scenarios.push_back(std::move(scenario).value());
  }
  config.protocol = a.protocol;
  config.protocol_options.rounds = a.rounds;
  config.protocol_options.seconds = a.seconds;
  config.repetitions = a.repetitions;
  config.rotate = !a.no_rotate;
  config.self_play = !a.no_self_play;
  config.seed = a.seed;
  return TournamentPlan::Make(std::move(config));
}

int ReportTournament(const Result<TournamentSummary>& summary, const TournamentArgs& a) {
  if (!summary.ok()) return Fail(summary.status());
  std::fputs(SummaryTable(*summary).c_str(), stdout);
  std::printf("results: %s/results.csv, %s/results.jsonl, summary: %s/summary.csv\n", a.out.c_str(),
              a.out.c_str(), a.out.c_str());
  return kExitOk;
}

Result<Scenario> LoadScenarioArgument(const std::string& argument, double step) {
  std::vector<std::string> files;
  if (fs::is_directory(argument)) {
    SHUTTLE_ASSIGN_OR_RETURN(files, FolderFiles(argument));
  } else {
    files = SplitCommas(argument);
  }
  if (files.empty()) return Status::InvalidArgument("empty scenario argument");
  auto scenario = LoadScenario(files);
  if (!scenario.ok() && fs::is_directory(argument)) {
    // A folder may hold files that are no profile (a precomputed pareto.xml, say) or a domain file
    // not named so: keep the first file that works as the domain with the files that load as its
    // profiles.
    for (size_t d = 0; d < files.size() && !scenario.ok(); ++d) {
      std::vector<std::string> kept = {files[d]};
      for (size_t p = 0; p < files.size(); ++p) {
        if (p != d && LoadScenario({files[d], files[p]}).ok()) kept.push_back(files[p]);
      }
      if (kept.size() >= 3) {
        auto attempt = LoadScenario(kept);
        if (attempt.ok()) scenario = std::move(attempt);
      }
    }
  }
  if (!scenario.ok()) return scenario.status();
  if (step > 0) return scenario->Discretized(step);
  return scenario;
}

TerminalProgress::TerminalProgress(size_t total, bool force)
    : enabled_(force || isatty(2) != 0), total_(total), start_(std::chrono::steady_clock::now()) {}

TerminalProgress::~TerminalProgress() {
  if (enabled_ && drawn_) std::fputc('\n', stderr);
}

void TerminalProgress::Update(std::string_view, double fraction) {
  done_ = static_cast<size_t>(std::lround(fraction * static_cast<double>(total_)));
  Draw(fraction, fraction >= 1);
}

void TerminalProgress::Tick() {
  size_t done = ++done_;
  Draw(total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1, done == total_);
}

void TerminalProgress::Draw(double fraction, bool force) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(fraction * kWidth);
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r[%s%s] %3d%%  %zu/%zu  %d:%02d left ", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), static_cast<int>(fraction * 100),
               done_.load(), total_, static_cast<int>(left) / 60, static_cast<int>(left) % 60);
  std::fflush(stderr);
}

std::string SummaryTable(const TournamentSummary& s) {
  std::vector<std::vector<std::string>> rows = {
      {"agent", "n", "utility", "agreement", "welfare", "pareto dist", "nash dist"}};
  for (const AgentSummary& a : s.agents) {
    rows.push_back({a.agent, std::to_string(a.negotiations), Cell(a.utility),
                    Cell(a.agreement_rate), Cell(a.welfare), Cell(a.pareto_distance),
                    Cell(a.nash_distance)});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      out += fmt::format("{:<{}}{}", row[c], width[c], c + 1 < row.size() ? "  " : "\n");
  }
  out += fmt::format("{} negotiations{}; means with 95% confidence intervals\n", s.jobs,
                     s.errors ? fmt::format(", {} failed", s.errors) : "");
  return out;
}

}  // namespace shuttle::cli
