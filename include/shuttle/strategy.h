// The automated parties of the strategy module, made from specs.
#ifndef SHUTTLE_STRATEGY_H_
#define SHUTTLE_STRATEGY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/status.h"

namespace shuttle {

// Makes an agent from a spec: a name with optional parameters, e.g. "boulware", "conceder",
// "linear", "hardliner", "tit-for-tat", "random", "hardheaded", "hill-climber", "annealer",
// "boulware:e=0.1,k=0,ac=next+const(0.9)". kInvalidArgument lists the known names.
Result<std::unique_ptr<Agent>> MakeAgent(std::string_view spec);
std::vector<std::string> AgentNames();

}  // namespace shuttle

#endif  // SHUTTLE_STRATEGY_H_
