// Private to the library: the factories behind MakeProtocol and the kStart header they share.
//
// Each protocol lives in its own file and exposes one factory here:
//   sao.cc          MakeSaoProtocol
//   single_text.cc  MakeSingleTextProtocol
//   feedback.cc     MakeFeedbackProtocol
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
#ifndef SHUTTLE_PROTOCOL_PROTOCOLS_H_
#define SHUTTLE_PROTOCOL_PROTOCOLS_H_

#include <memory>
#include <string>
#include <string_view>

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

// What a kStart event records: enough to rebuild the protocol for replay.
struct StartHeader {
  std::string protocol;
  int party_count = 0;
  ProtocolOptions options;
};

// {"protocol", "parties", "rounds", "seconds", "seed", "initial_temperature", "agents"} on one
// line; doubles and the seed round-trip exactly.
std::string StartHeaderJson(std::string_view protocol, int party_count, const ProtocolOptions& options);
// Inverse of StartHeaderJson; kCorruption names the bad field.
Result<StartHeader> ParseStartHeader(std::string_view text);

// Checks that `outcome` (space.issue_count() values) lies in the space: kInvalidArgument naming the
// issue and the value otherwise, or for a null outcome.
Status CheckOutcome(const OutcomeSpace& space, const uint32_t* outcome);

}  // namespace shuttle

#endif  // SHUTTLE_PROTOCOL_PROTOCOLS_H_
