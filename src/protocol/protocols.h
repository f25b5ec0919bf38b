// Private to src/protocol: the factories behind MakeProtocol.
//
// Each protocol lives in its own file and exposes one factory here:
//   sao.cc            MakeSaoProtocol
//   single_text.cc    MakeSingleTextProtocol
//   feedback.cc       MakeFeedbackProtocol
//   blind_bidding.cc  MakeBlindBiddingProtocol
// protocol.cc maps names to factories (a row per protocol).
//
// Rules every protocol follows, so that Replay() works for all of them:
//  - Start() appends, first, a kStart event (actor kSystem, audience public, round 0, time 0) whose
//    text is StartHeaderJson(name(), party_count(), options()).
//  - Apply() of an accepted action appends, first, exactly one event for the action itself:
//    actor = action.actor, type = action.type, value = action.value, the action's outcome (if it
//    has one) and text, time = t; then whatever the action causes. Events whose actor is a party
//    are exactly the accepted actions, so replay re-applies them in order and compares the rest.
//  - Expire(t) appends only kSystem events; every random choice comes from options().seed.
//  - audiences() lists every (type, actor, audience) the protocol appends; a party's event heard
//    in caucus is heard by that party.
// tests/protocol_contract_test.cc checks these rules for every name of ProtocolNames(): a new
// protocol is a file here and a row in protocol.cc's table, and is covered without more.
#ifndef SHUTTLE_PROTOCOL_PROTOCOLS_H_
#define SHUTTLE_PROTOCOL_PROTOCOLS_H_

#include <memory>

#include "shuttle/outcome_space.h"
#include "shuttle/protocol.h"
#include "shuttle/status.h"

namespace shuttle {

// Stacked alternating offers, 2 or more parties. kInvalidArgument for fewer than 2 parties.
Result<std::unique_ptr<Protocol>> MakeSaoProtocol(const OutcomeSpace* space, int party_count,
                                                  const ProtocolOptions& options);
// Mediated single text (in single_text.cc, by the strategy/protocol helper).
Result<std::unique_ptr<Protocol>> MakeSingleTextProtocol(const OutcomeSpace* space, int party_count,
                                                         const ProtocolOptions& options);
// Mediator feedback (in feedback.cc, by the strategy/protocol helper).
Result<std::unique_ptr<Protocol>> MakeFeedbackProtocol(const OutcomeSpace* space, int party_count,
                                                       const ProtocolOptions& options);

// Blind bidding on one number (ProtocolOptions::blind_bidding). kInvalidArgument for other than 2
// parties, a space that is not one integer or real issue, or rules out of range;
// kFailedPrecondition for a continuous real issue.
Result<std::unique_ptr<Protocol>> MakeBlindBiddingProtocol(const OutcomeSpace* space,
                                                           int party_count,
                                                           const ProtocolOptions& options);

}  // namespace shuttle

#endif  // SHUTTLE_PROTOCOL_PROTOCOLS_H_
