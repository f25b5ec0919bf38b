#include "protocol/protocols.h"

namespace shuttle {

Result<std::unique_ptr<Protocol>> MakeFeedbackProtocol(const OutcomeSpace* space, int party_count,
                                                       const ProtocolOptions& options) {
  return Status::Unimplemented("feedback is not implemented yet");
}

}  // namespace shuttle
