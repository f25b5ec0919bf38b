#include "protocol/protocols.h"

namespace shuttle {

Result<std::unique_ptr<Protocol>> MakeSingleTextProtocol(const OutcomeSpace* space, int party_count,
                                                         const ProtocolOptions& options) {
  return Status::Unimplemented("single-text is not implemented yet");
}

}  // namespace shuttle
