// shuttle negotiate --protocol sao|single-text|feedback|blind-bidding|adjusted-winner --party SPEC
// --party SPEC [--rounds N] [--seconds S] [--seed S] [--real-step X]
// [--transcript all|none|first N|last N] [--json] [--log FILE] SCENARIO...: runs automated parties
// and prints the transcript and the result (or one JSON object). Adjusted winner takes a CSV of
// points or a two-party scenario. Blind bidding takes its rules as --claimant, --margin-percent,
// --margin-amount and --crossing, and 3 rounds unless --rounds says otherwise.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "arg_checks.h"
#include "bidding_args.h"
#include "command.h"
#include "negotiate_output.h"
#include "shuttle/adjusted_winner.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/negotiate.h"

namespace shuttle::cli {
namespace {

struct NegotiateArgs {
  std::string protocol = "sao";
  std::vector<std::string> parties;
  int rounds = 1000;
  bool rounds_given = false;
  double seconds = 0;
  uint64_t seed = 1;
  double real_step = 0;
  std::string transcript;
  bool json = false;
  std::string log;
  std::vector<std::string> inputs;
  BiddingArgs bidding;  // Blind bidding's rules.
};

bool EndsWithCsv(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower.size() >= 4 && lower.compare(lower.size() - 4, 4, ".csv") == 0;
}

bool ParseCount(const std::string& s, size_t* n) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *n);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// `--transcript` takes one word: all, none, first, last, or first:N / last:N. After "first" or
// "last" the count arrives as the next word, which the parser leaves among the positional inputs.
Result<TranscriptSpec> ParseTranscript(NegotiateArgs* args) {
  TranscriptSpec spec;
  const std::string& t = args->transcript;
  if (t.empty()) return spec;
  std::string word = t.substr(0, t.find_first_of(":= "));
  std::string count = word.size() < t.size() ? t.substr(word.size() + 1) : "";
  if (word == "all" || word == "none") {
    spec.kind = word == "all" ? TranscriptSpec::Kind::kAll : TranscriptSpec::Kind::kNone;
    return spec;
  }
  if (word != "first" && word != "last") {
    return Status::InvalidArgument(
        fmt::format("--transcript '{}': expected all, none, first N or last N", t));
  }
  spec.kind = word == "first" ? TranscriptSpec::Kind::kFirst : TranscriptSpec::Kind::kLast;
  if (count.empty() && !args->inputs.empty() && ParseCount(args->inputs.front(), &spec.count)) {
    args->inputs.erase(args->inputs.begin());
    return spec;
  }
  if (!ParseCount(count, &spec.count)) {
    return Status::InvalidArgument(
        fmt::format("--transcript {}: expected a count after '{}'", t, word));
  }
  return spec;
}

int RunAdjustedWinner(const NegotiateArgs& args) {
  Result<AdjustedWinnerInput> input = Status::InvalidArgument("no input");
  if (args.inputs.size() == 1 && EndsWithCsv(args.inputs[0])) {
    Result<std::string> text = ReadFile(args.inputs[0]);
    if (!text.ok()) return Fail(text.status());
    input = ParseAdjustedWinnerCsv(*text, args.inputs[0]);
  } else {
    Result<Scenario> scenario = LoadScenario(args.inputs);
    if (!scenario.ok()) return Fail(scenario.status());
    input = AdjustedWinnerInputFromScenario(*scenario);
  }
  if (!input.ok()) return Fail(input.status());
  Result<AdjustedWinnerResult> result = AdjustedWinner(*input);
  if (!result.ok()) return Fail(result.status());
  Print(args.json ? AdjustedWinnerJson(*input, *result).dump(2) + "\n"
                  : AdjustedWinnerText(*input, *result));
  return kExitOk;
}

Result<Scenario> LoadInput(const NegotiateArgs& args) {
  SHUTTLE_ASSIGN_OR_RETURN(Scenario scenario, LoadScenario(args.inputs));
  if (args.real_step > 0) return scenario.Discretized(args.real_step);
  return scenario;
}

int RunNegotiate(NegotiateArgs args) {
  Result<TranscriptSpec> transcript = ParseTranscript(&args);
  if (!transcript.ok()) {
    return UsageError(transcript.status());
  }
  if (args.inputs.empty()) {
    return UsageError(Status::InvalidArgument(
        "negotiate: give a scenario (a Shuttle JSON file, or a domain and profiles)"));
  }
  // Names are checked here, before any file is read, so that a misspelt one is a usage error.
  if (Status known = CheckProtocolName(args.protocol, "--protocol", {"adjusted-winner"});
      !known.ok()) {
    return UsageError(known);
  }
  if (args.protocol == "adjusted-winner") {
    if (!args.log.empty()) {
      return UsageError(
          Status::InvalidArgument("--log: adjusted-winner has no event log (it is a computation, "
                                  "not a sequence of moves); use --json to keep "
                                  "its result"));
    }
    return RunAdjustedWinner(args);
  }
  const bool blind_bidding = args.protocol == "blind-bidding";
  if (args.bidding.given() && !blind_bidding) {
    return UsageError(Status::InvalidArgument(
        "--claimant, --margin-percent, --margin-amount and --crossing are blind-bidding's rules: "
        "give them with --protocol blind-bidding"));
  }
  if (Status known = CheckAgentSpecs(args.parties, "--party"); !known.ok())
    return UsageError(known);
  Result<Scenario> scenario = LoadInput(args);
  if (!scenario.ok()) return Fail(scenario.status());
  NegotiationOptions options;
  options.protocol = args.protocol;
  options.agents = args.parties;
  options.protocol_options.rounds = args.seconds > 0 && !args.rounds_given ? 0 : args.rounds;
  if (blind_bidding) {
    if (!args.rounds_given) options.protocol_options.rounds = BlindBiddingRules::kCustomaryRounds;
    Result<BlindBiddingRules> rules = BiddingRulesFor(args.bidding, *scenario);
    if (!rules.ok()) return UsageError(rules.status());
    options.protocol_options.blind_bidding = *rules;
  }
  options.protocol_options.seconds = args.seconds;
  options.protocol_options.seed = args.seed;
  if (args.parties.size() != scenario->parties.size()) {
    return UsageError(Status::InvalidArgument(
        fmt::format("negotiate: {} --party for {} parties in '{}': give one agent per party",
                    args.parties.size(), scenario->parties.size(), scenario->name)));
  }
  Result<NegotiationResult> result = Negotiate(*scenario, options);
  if (!result.ok()) return Fail(result.status().WithContext("negotiate"));
  if (!args.log.empty()) {
    Status saved = SaveEventLog(args.log, *scenario, result->log);
    if (!saved.ok()) return Fail(saved);
  }
  if (args.json) {
    nlohmann::ordered_json j = ResultJson(*scenario, options, *result);
    if (!args.log.empty()) j["log"] = args.log;
    Print(j.dump(2) + "\n");
    return kExitOk;
  }
  std::vector<Utility> utilities;
  for (const Party& p : scenario->parties)
    utilities.push_back(*Utility::Compile(scenario->space, p.profile));
  Print(SessionLine(*scenario, options));
  Print(Transcript(*scenario, utilities, result->log, *transcript));
  Print(ResultText(*scenario, *result));
  if (!args.log.empty())
    Print(fmt::format("Event log: {} ({} events)\n", args.log, result->log.size()));
  return kExitOk;
}

}  // namespace

void SetupNegotiate(CLI::App* sub) {
  auto args = std::make_shared<NegotiateArgs>();
  sub->add_option("--protocol", args->protocol,
                  "sao, single-text, feedback, blind-bidding or adjusted-winner")
      ->capture_default_str();
  sub->add_option("--party", args->parties,
                  "Agent for the next party, in party order (repeat): boulware, conceder, linear, "
                  "hardliner, tit-for-tat, random, hardheaded, bidder (blind bidding), ... with "
                  "parameters as in boulware:e=0.1")
      ->allow_extra_args(
          false);  // One spec per --party, so the scenario after it stays positional.
  auto* rounds =
      sub->add_option("--rounds", args->rounds, "Deadline in rounds (0: none; blind-bidding: 3)")
          ->capture_default_str();
  sub->add_option("--seconds", args->seconds,
                  "Deadline in wall-clock seconds (alone: no round limit)");
  sub->add_option("--seed", args->seed, "Seed of every random choice; recorded in the log")
      ->capture_default_str();
  sub->add_option("--real-step", args->real_step, "Discretize real issues with this step");
  sub->add_option("--transcript", args->transcript,
                  "Moves to show: all, none, first N, last N (default: the first and last 5)");
  sub->add_flag("--json", args->json, "Print one JSON object instead of the transcript");
  sub->add_option("--log", args->log, "Write the event log (JSON Lines) to this file");
  AddBiddingOptions(sub, &args->bidding, "blind-bidding", "the first");
  sub->add_option("scenario", args->inputs,
                  "A Shuttle JSON scenario, or a GENIUS/GeniusWeb domain followed by profiles; for "
                  "adjusted-winner also a CSV of points");
  sub->callback([args, rounds] {
    NegotiateArgs a = *args;
    a.rounds_given = rounds->count() > 0;
    ExitStatus() = RunNegotiate(std::move(a));
  });
}

}  // namespace shuttle::cli
