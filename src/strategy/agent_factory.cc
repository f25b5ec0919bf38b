// The agent registry: one row per spec name, mapping it to its family's factory.
#include <fmt/format.h>

#include "shuttle/strategy.h"
#include "strategy/agents.h"

namespace shuttle {
namespace {

using strategy::AgentSpec;
using strategy::VoteStyle;
using Maker = Result<std::unique_ptr<Agent>> (*)(const AgentSpec&, std::string);

struct AgentRow {
  const char* name;
  Maker make;
};

template <int kEMilli, VoteStyle kVote = VoteStyle::kHillClimber>
Result<std::unique_ptr<Agent>> TimeDependent(const AgentSpec& spec, std::string name) {
  return strategy::MakeTimeDependentAgent(spec, std::move(name), kEMilli / 1000.0, kVote);
}

const AgentRow kAgents[] = {
    {"boulware", TimeDependent<200>},
    {"linear", TimeDependent<1000>},
    {"conceder", TimeDependent<2000>},
    {"hardliner", TimeDependent<0>},
    {"time-dependent", TimeDependent<1000>},
    {"tit-for-tat", strategy::MakeTitForTatAgent},
    {"random", strategy::MakeRandomAgent},
    {"hardheaded", strategy::MakeHardHeadedAgent},
    {"hill-climber", TimeDependent<1000, VoteStyle::kHillClimber>},
    {"annealer", TimeDependent<1000, VoteStyle::kAnnealer>},
};

}  // namespace

Result<std::unique_ptr<Agent>> MakeAgent(std::string_view spec) {
  SHUTTLE_ASSIGN_OR_RETURN(AgentSpec parsed, strategy::ParseAgentSpec(spec));
  for (const AgentRow& row : kAgents) {
    if (parsed.name == row.name) {
      std::string name(spec);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      auto agent = row.make(parsed, name);
      if (!agent.ok()) return agent.status().WithContext(fmt::format("agent '{}'", name));
      return agent;
    }
  }
  std::string known;
  for (const std::string& n : AgentNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument(fmt::format("unknown agent '{}' (known: {})", parsed.name, known));
}

std::vector<std::string> AgentNames() {
  std::vector<std::string> names;
  for (const AgentRow& row : kAgents) names.emplace_back(row.name);
  return names;
}

}  // namespace shuttle
