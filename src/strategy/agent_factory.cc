// The agent registry: one row per spec name, mapping it to its family's factory.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

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
    {"bidder", strategy::MakeBidderAgent},
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, AgentFactory> factories;
};

Registry& Registered() {
  static Registry* registry =
      new Registry;  // Never destroyed: factories may outlive main's statics.
  return *registry;
}

bool IsBuiltIn(std::string_view name) {
  for (const AgentRow& row : kAgents) {
    if (name == row.name) return true;
  }
  return false;
}

}  // namespace

Status RegisterAgent(const std::string& name, AgentFactory factory) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!plain)
    return Status::InvalidArgument(
        fmt::format("agent name '{}': use letters, digits, '-' and '_'", name));
  if (IsBuiltIn(name))
    return Status::InvalidArgument(fmt::format("agent name '{}' is built in", name));
  if (!factory) return Status::InvalidArgument(fmt::format("agent '{}': no factory", name));
  Registry& r = Registered();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.factories[name] = std::move(factory);
  return Status::Ok();
}

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
  AgentFactory factory;
  {
    Registry& r = Registered();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto it = r.factories.find(parsed.name);
    if (it != r.factories.end()) factory = it->second;
  }
  if (factory) {
    auto agent = factory(spec);
    if (!agent.ok()) return agent.status().WithContext(fmt::format("agent '{}'", parsed.name));
    if (*agent == nullptr)
      return Status::FailedPrecondition(
          fmt::format("agent '{}': the factory made nothing", parsed.name));
    return agent;
  }
  std::string known;
  for (const std::string& n : AgentNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument(fmt::format("unknown agent '{}' (known: {})", parsed.name, known));
}

std::vector<std::string> AgentNames() {
  std::vector<std::string> names;
  for (const AgentRow& row : kAgents) names.emplace_back(row.name);
  Registry& r = Registered();
  std::lock_guard<std::mutex> lock(r.mutex);
  for (const auto& [name, factory] : r.factories) names.push_back(name);
  return names;
}

}  // namespace shuttle
