// shuttle convert IN... -o OUT [--to shuttle|genius]: load a scenario in any format, save it in
// Shuttle JSON or as a GENIUS XML folder.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "command.h"
#include "scenario_output.h"
#include "shuttle/io.h"

namespace shuttle::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string to;
};

bool IsDomainFile(const fs::path& p) {
  std::string stem = p.stem().string();
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return stem.size() > 6 && stem.compare(stem.size() - 6, 6, "domain") == 0;
}

// A folder stands for its files: the domain file (name ending in "domain") first, then the
// profiles by name, as SaveScenario writes them.
Result<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& inputs) {
  if (inputs.size() != 1 || !fs::is_directory(inputs[0])) return inputs;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(inputs[0], ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".xml" || ext == ".json")) files.push_back(entry.path());
  }
  if (ec) return Status::IOError(fmt::format("reading folder '{}': {}", inputs[0], ec.message()));
  if (files.empty())
    return Status::NotFound(fmt::format("folder '{}' holds no .xml or .json files", inputs[0]));
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(), IsDomainFile);
  std::vector<std::string> out;
  for (const fs::path& f : files) out.push_back(f.string());
  return out;
}

int RunConvert(const ConvertArgs& args) {
  Format format = args.to.empty()        ? OutputFormatFor(args.output)
                  : args.to == "shuttle" ? Format::kShuttleJson
                                         : Format::kGeniusXml;
  Result<std::vector<std::string>> inputs = ExpandInputs(args.inputs);
  if (!inputs.ok()) return Fail(inputs.status());
  Result<Scenario> scenario = LoadScenario(*inputs);
  if (!scenario.ok()) return Fail(scenario.status());
  Status saved = SaveScenario(*scenario, args.output, format);
  if (!saved.ok()) return Fail(saved);
  PrintWritten(*scenario, args.output, format);
  return kExitOk;
}

}  // namespace

void SetupConvert(CLI::App* sub) {
  auto args = std::make_shared<ConvertArgs>();
  sub->add_option(
         "inputs", args->inputs,
         "A Shuttle JSON scenario; or a GENIUS/GeniusWeb domain file followed by profile files; "
         "or one folder of them")
      ->required();
  sub->add_option("-o,--output", args->output,
                  "Output: a .json file (Shuttle JSON) or a folder (GENIUS XML)")
      ->required();
  sub->add_option("--to", args->to,
                  "Output format, overriding the choice by the output's extension")
      ->check(CLI::IsMember({"shuttle", "genius"}));
  sub->callback([args] { ExitStatus() = RunConvert(*args); });
}

}  // namespace shuttle::cli
