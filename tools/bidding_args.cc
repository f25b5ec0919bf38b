#include "bidding_args.h"

#include <fmt/format.h>

namespace shuttle::cli {

void AddBiddingOptions(CLI::App* sub, BiddingArgs* args, std::string_view context,
                       std::string_view claimant_default) {
  args->options[0] = sub->add_option(
      "--claimant", args->claimant,
      fmt::format("{}: the party who demands (name or index; default {}), the other offers",
                  context, claimant_default));
  args->options[1] =
      sub->add_option("--margin-percent", args->rules.margin_percent,
                      fmt::format("{}: settle at the midpoint when demand - offer <= this % of "
                                  "the demand (0: off)",
                                  context))
          ->capture_default_str()
          ->check(CLI::Range(0.0, 100.0));
  args->options[2] =
      sub->add_option(
             "--margin-amount", args->rules.margin_amount,
             fmt::format("{}: settle at the midpoint when demand - offer <= this amount (0: off)",
                         context))
          ->capture_default_str()
          ->check(CLI::NonNegativeNumber);
  args->options[3] = sub->add_option(
      "--crossing", args->crossing,
      fmt::format("{}: where an offer at or above the demand settles: demand (default), midpoint",
                  context));
}

Result<BlindBiddingRules> BiddingRulesFor(const BiddingArgs& args, const Scenario& scenario) {
  BlindBiddingRules rules = args.rules;
  if (!args.crossing.empty()) {
    Result<BlindBiddingRules::Crossing> crossing = ParseCrossing(args.crossing);
    if (!crossing.ok()) return crossing.status().WithContext("--crossing");
    rules.crossing = *crossing;
  }
  if (args.claimant.empty()) return rules;
  int party = scenario.FindParty(args.claimant);
  for (size_t p = 0; p < scenario.parties.size() && party < 0; ++p) {
    if (std::to_string(p) == args.claimant) party = static_cast<int>(p);
  }
  if (party >= 0) {
    rules.claimant = party;
    return rules;
  }
  std::string known;
  for (const Party& p : scenario.parties) known += (known.empty() ? "" : ", ") + p.name;
  return Status::InvalidArgument(
      fmt::format("--claimant '{}': no such party in '{}' (parties: {}; or give an index)",
                  args.claimant, scenario.name, known));
}

}  // namespace shuttle::cli
