// Private to the tests: blind-bidding rules in one call, for the protocol's tests and a
// mediation's bidding step.
#ifndef SHUTTLE_SRC_PROTOCOL_TESTING_H_
#define SHUTTLE_SRC_PROTOCOL_TESTING_H_

#include "shuttle/protocol.h"

namespace shuttle::protocol_testing {

inline BlindBiddingRules Rules(
    double percent = 30, double amount = 0,
    BlindBiddingRules::Crossing crossing = BlindBiddingRules::Crossing::kDemand, int claimant = 0) {
  BlindBiddingRules r;
  r.margin_percent = percent;
  r.margin_amount = amount;
  r.crossing = crossing;
  r.claimant = claimant;
  return r;
}

}  // namespace shuttle::protocol_testing

#endif  // SHUTTLE_SRC_PROTOCOL_TESTING_H_
