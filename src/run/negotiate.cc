// Negotiate(): compile, make the protocol and the agents, drive them, measure.
#include "shuttle/negotiate.h"

#include <fmt/format.h>

#include <algorithm>

#include "run/runner.h"
#include "shuttle/drive.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

// Events to reserve so the loop does not grow the log: one per move and round per party (SAO),
// plus a mediator's proposal per round. Capped (2^20 events is about 50 MB), so a huge round limit
// that an early agreement never uses costs no memory; past the cap, growth is amortized.
size_t ReserveFor(const ProtocolOptions& o, size_t parties) {
  constexpr size_t kWithoutRoundLimit = 1 << 16;
  constexpr size_t kMax = 1 << 20;
  if (o.rounds <= 0) return kWithoutRoundLimit;
  return std::min(kMax, static_cast<size_t>(o.rounds) * (parties + 1) + 8);
}

Status CheckSetup(const Scenario& scenario, const NegotiationOptions& options, size_t agent_count) {
  size_t n = scenario.parties.size();
  if (agent_count != n) {
    return Status::InvalidArgument(
        fmt::format("{} agents for {} parties: give one agent per party", agent_count, n));
  }
  for (const Issue& issue : scenario.space.issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(fmt::format(
          "issue '{}' is continuous: discretize it first (e.g. --real-step)", issue.name()));
    }
  }
  const ProtocolOptions& p = options.protocol_options;
  if (p.rounds <= 0 && !(p.seconds > 0)) {
    return Status::InvalidArgument("no deadline: give a number of rounds or of seconds");
  }
  return Status::Ok();
}

}  // namespace

Result<NegotiationResult> Negotiate(const Scenario& scenario, const NegotiationOptions& options) {
  if (options.agents.size() != scenario.parties.size()) {
    return Status::InvalidArgument(fmt::format("{} agents for {} parties: give one agent per party",
                                               options.agents.size(), scenario.parties.size()));
  }
  std::vector<std::unique_ptr<Agent>> agents;
  for (size_t p = 0; p < options.agents.size(); ++p) {
    auto agent = MakeAgent(options.agents[p]);
    if (!agent.ok())
      return agent.status().WithContext(fmt::format("party '{}'", scenario.parties[p].name));
    agents.push_back(std::move(agent).value());
  }
  return Negotiate(scenario, options, std::move(agents));
}

Result<NegotiationResult> Negotiate(const Scenario& scenario, const NegotiationOptions& options,
                                    std::vector<std::unique_ptr<Agent>> agents) {
  SHUTTLE_RETURN_IF_ERROR(CheckSetup(scenario, options, agents.size()));
  Clock* clock = options.clock != nullptr ? options.clock : SteadyClock();
  double run_start = clock->Seconds();
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities,
                           run_internal::CompileUtilities(scenario));
  ProtocolOptions popts = options.protocol_options;
  popts.agents = options.agents;
  if (popts.agents.empty()) {
    for (const auto& a : agents) popts.agents.push_back(a->name());
  }
  int n = static_cast<int>(scenario.parties.size());
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Protocol> protocol,
                           MakeProtocol(options.protocol, &scenario.space, n, popts));
  for (int p = 0; p < n; ++p) {
    AgentContext context{&scenario.space,      &utilities[p],           p, n,
                         &protocol->options(), AgentSeed(popts.seed, p)};
    Status s = agents[p]->Init(context);
    if (!s.ok()) {
      return s.WithContext(
          fmt::format("agent '{}' for party '{}'", agents[p]->name(), scenario.parties[p].name));
    }
  }
  NegotiationResult result;
  result.log = EventLog(scenario.space.issue_count());
  result.log.Reserve(ReserveFor(popts, scenario.parties.size()));
  ClockPacer pacer(clock, popts.seconds);
  SHUTTLE_RETURN_IF_ERROR(Drive(protocol.get(), agents, &pacer, nullptr, &result.log));
  double seconds = clock->Seconds() - run_start;
  const uint32_t* agreed = protocol->agreement();
  if (agreed != nullptr) result.agreement = Outcome(agreed, agreed + scenario.space.issue_count());
  const Event& last = result.log[result.log.size() - 1];
  SHUTTLE_ASSIGN_OR_RETURN(result.metrics,
                           run_internal::MetricsFor(scenario, utilities, agreed, last.round + 1,
                                                    last.time, options.metrics));
  result.metrics.seconds = seconds;
  return result;
}

}  // namespace shuttle
