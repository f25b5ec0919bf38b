#include "shuttle/agent.h"

namespace shuttle {

Result<std::unique_ptr<Agent>> MakeAgent(std::string_view spec) {
  return Status::Unimplemented("agents are not implemented yet");
}

std::vector<std::string> AgentNames() { return {}; }

}  // namespace shuttle
