// shuttle generate --issues N --values K --parties P --seed S [--opposition X] [--reservation R]
// [--name NAME] -o FILE: a random linear scenario (see include/shuttle/generate.h).
#include <memory>
#include <string>

#include "command.h"
#include "scenario_output.h"
#include "shuttle/generate.h"
#include "shuttle/io.h"

namespace shuttle::cli {
namespace {

struct GenerateArgs {
  GenerateOptions options;
  std::string output;
};

int RunGenerate(const GenerateArgs& args) {
  Result<Scenario> scenario = GenerateScenario(args.options);
  if (!scenario.ok()) {
    // Options out of range are a bad command line, not bad input.
    return UsageError(scenario.status().WithContext("generate"));
  }
  Format format = OutputFormatFor(args.output);
  Status saved = SaveScenario(*scenario, args.output, format);
  if (!saved.ok()) return Fail(saved);
  PrintWritten(*scenario, args.output, format);
  return kExitOk;
}

}  // namespace

void SetupGenerate(CLI::App* sub) {
  auto args = std::make_shared<GenerateArgs>();
  GenerateOptions& o = args->options;
  sub->add_option("--issues", o.issues, "Number of issues (1-1000)")->required();
  sub->add_option("--values", o.values, "Values per issue (1-1000)")->required();
  sub->add_option("--parties", o.parties, "Number of parties (1-100)")->required();
  sub->add_option("--seed", o.seed, "Random seed: the same seed gives the same scenario")
      ->required();
  sub->add_option("--opposition", o.opposition,
                  "0 = the parties rank values alike, 0.5 = unrelated, 1 = exactly reversed")
      ->capture_default_str();
  sub->add_option("--reservation", o.reservation, "Every party's reservation value, in [0, 1)")
      ->capture_default_str();
  sub->add_option("--name", o.name, "Scenario name")->capture_default_str();
  sub->add_option("-o,--output", args->output,
                  "Output: a .json file (Shuttle JSON) or a folder (GENIUS XML)")
      ->required();
  sub->callback([args] { ExitStatus() = RunGenerate(*args); });
}

}  // namespace shuttle::cli
