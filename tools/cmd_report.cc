// shuttle report: an event log (negotiation or mediation) or tournament results -> one HTML file.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "command.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/report.h"
#include "shuttle/tournament.h"

namespace shuttle::cli {
namespace {

namespace fs = std::filesystem;

struct ReportArgs {
  std::string input;
  std::string out;
  ReportOptions options;
};

// A tournament folder's agents in their configured order (empty when unknown).
std::vector<std::string> TournamentAgents(const std::string& dir) {
  auto text = ReadFile((fs::path(dir) / "tournament.json").string());
  if (!text.ok()) return {};
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.contains("agents") || !j["agents"].is_array()) return {};
  std::vector<std::string> agents;
  for (const auto& a : j["agents"])
    if (a.is_string()) agents.push_back(a.get<std::string>());
  return agents;
}

bool IsEventLog(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char head[512] = {};
  size_t n = std::fread(head, 1, sizeof(head) - 1, f);
  std::fclose(f);
  return std::string_view(head, n).find("shuttle-event-log") != std::string_view::npos;
}

Result<std::string> Render(const ReportArgs& a) {
  if (!fs::is_directory(a.input) && IsEventLog(a.input)) {
    SHUTTLE_ASSIGN_OR_RETURN(EventLogFile file, LoadEventLog(a.input));
    return NegotiationReportHtml(file.scenario, file.log, a.options);
  }
  SHUTTLE_ASSIGN_OR_RETURN(auto results, ReadTournamentResults(a.input));
  if (results.empty())
    return Status::InvalidArgument(
        fmt::format("{}: neither an event log nor tournament results", a.input));
  std::string dir = fs::is_directory(a.input) ? a.input : fs::path(a.input).parent_path().string();
  ReportOptions options = a.options;
  if (options.title.empty())
    options.title = "Tournament: " + fs::path(fs::absolute(a.input)).filename().string();
  return TournamentReportHtml(results, TournamentAgents(dir.empty() ? "." : dir), options);
}

}  // namespace

void SetupReport(CLI::App* sub) {
  auto args = std::make_shared<ReportArgs>();
  sub->add_option("input", args->input,
                  "An event log (.jsonl from negotiate or mediate) or a tournament results folder")
      ->required();
  sub->add_option("-o,--output", args->out, "The HTML file to write")->required();
  sub->add_option("--title", args->options.title, "Page heading");
  sub->add_option("--x-party", args->options.x_party, "Party on the x axis of the utility space")
      ->capture_default_str();
  sub->add_option("--y-party", args->options.y_party, "Party on the y axis")->capture_default_str();
  sub->add_option("--max-outcomes", args->options.max_outcomes,
                  "Outcomes drawn in the utility space (a sample beyond)")
      ->capture_default_str();
  sub->add_option("--web-dir", args->options.web_dir,
                  "Folder with node_modules/vega* when the build embedded none");
  sub->callback([args] {
    auto html = Render(*args);
    if (!html.ok()) {
      ExitStatus() = Fail(html.status());
      return;
    }
    Status written = WriteFile(args->out, *html);
    ExitStatus() = written.ok() ? kExitOk : Fail(written);
  });
}

}  // namespace shuttle::cli
