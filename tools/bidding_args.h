// Blind bidding's rules on the command line, shared by `shuttle negotiate --protocol blind-bidding`
// and `shuttle mediate --bid-last ISSUE`: --claimant (a party's name or index), --margin-percent,
// --margin-amount and --crossing, with the defaults of BlindBiddingRules (protocol.h).
#ifndef SHUTTLE_TOOLS_BIDDING_ARGS_H_
#define SHUTTLE_TOOLS_BIDDING_ARGS_H_

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>

#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle::cli {

struct BiddingArgs {
  std::string claimant;  // A party's name or index; empty: the command's default.
  BlindBiddingRules rules;
  std::string crossing;  // Empty: the default.
  // The options, to tell whether any was given.
  CLI::Option* options[4] = {};
  bool given() const {
    for (const CLI::Option* o : options) {
      if (o != nullptr && o->count() > 0) return true;
    }
    return false;
  }
};

// Adds the four options to `sub`; `context` starts each help line ("blind-bidding", "--bid-last"),
// `claimant_default` says who claims when --claimant is not given. `args` must outlive the parse.
void AddBiddingOptions(CLI::App* sub, BiddingArgs* args, std::string_view context,
                       std::string_view claimant_default);

// The rules given, the claimant resolved against the scenario's parties. kInvalidArgument names the
// option: "--claimant 'x': no such party in 'car sale' (parties: buyer, dealer; or give an index)".
Result<BlindBiddingRules> BiddingRulesFor(const BiddingArgs& args, const Scenario& scenario);

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_BIDDING_ARGS_H_
