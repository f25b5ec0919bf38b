// Replay: rebuild the protocol from the log's kStart header and check that it produces the log.
#include <fmt/format.h>

#include "run/runner.h"
#include "shuttle/drive.h"
#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

struct Rebuilt {
  StartHeader header;
  std::unique_ptr<Protocol> protocol;
};

// The protocol the log's first event describes, checked against the scenario.
Result<Rebuilt> Rebuild(const Scenario& scenario, const EventLog& log) {
  if (log.size() == 0 || log[0].type != EventType::kStart) {
    return Status::Corruption("event 0: the log does not begin with a start event");
  }
  if (log.issue_count() != scenario.space.issue_count()) {
    return Status::Corruption(fmt::format("the log has outcomes of {} issues, the scenario has {}",
                                          log.issue_count(), scenario.space.issue_count()));
  }
  Rebuilt r;
  SHUTTLE_ASSIGN_OR_RETURN(r.header, ParseStartHeader(log.TextOf(log[0])));
  if (r.header.party_count != static_cast<int>(scenario.parties.size())) {
    return Status::Corruption(fmt::format("event 0: the log has {} parties, the scenario {}",
                                          r.header.party_count, scenario.parties.size()));
  }
  auto protocol =
      MakeProtocol(r.header.protocol, &scenario.space, r.header.party_count, r.header.options);
  if (!protocol.ok()) return Status::Corruption("event 0: " + protocol.status().message());
  r.protocol = std::move(protocol).value();
  return r;
}

}  // namespace

Status Replay(const Scenario& scenario, const EventLog& log) {
  // The shuttle mediator records its own options in its start event (mediation.h).
  if (log.size() > 0 && log[0].type == EventType::kStart) {
    Result<StartHeader> header = ParseStartHeader(log.TextOf(log[0]));
    if (header.ok() && header->protocol == "shuttle") return ReplayMediation(scenario, log);
  }
  SHUTTLE_ASSIGN_OR_RETURN(Rebuilt r, Rebuild(scenario, log));
  EventLog got(log.issue_count());
  return ReplayLog(r.protocol.get(), log, &got);
}

Status ReplayAgents(const Scenario& scenario, const EventLog& log) {
  if (log.size() > 0 && log[0].type == EventType::kStart) {
    Result<StartHeader> header = ParseStartHeader(log.TextOf(log[0]));
    if (header.ok() && header->protocol == "shuttle") return ReplayMediationAgents(scenario, log);
  }
  SHUTTLE_ASSIGN_OR_RETURN(Rebuilt r, Rebuild(scenario, log));
  const std::vector<std::string>& specs = r.header.options.agents;
  int n = r.header.party_count;
  if (specs.size() != static_cast<size_t>(n)) {
    return Status::FailedPrecondition(
        fmt::format("the log names {} agents for {} parties: cannot re-run them", specs.size(), n));
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities,
                           run_internal::CompileUtilities(scenario));
  std::vector<std::unique_ptr<Agent>> agents;
  for (int p = 0; p < n; ++p) {
    auto agent = MakeAgent(specs[p]);
    if (!agent.ok())
      return Status::FailedPrecondition(fmt::format("party {}: {}", p, agent.status().message()));
    AgentContext context{&scenario.space,
                         &utilities[p],
                         p,
                         n,
                         &r.protocol->options(),
                         AgentSeed(r.header.options.seed, p)};
    Status s = agent.value()->Init(context);
    if (!s.ok()) return Status::FailedPrecondition(fmt::format("party {}: {}", p, s.message()));
    agents.push_back(std::move(agent).value());
  }
  EventLog got(log.issue_count());
  got.Reserve(log.size());
  LogPacer pacer(&log);
  return Drive(r.protocol.get(), agents, &pacer, &log, &got);
}

}  // namespace shuttle
