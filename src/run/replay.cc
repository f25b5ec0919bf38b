// Replay: rebuild the protocol from the log's kStart header and check that it produces the log.
#include <fmt/format.h>

#include "protocol/protocols.h"
#include "run/runner.h"
#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

using run_internal::CompareFrom;
using run_internal::DescribeEvent;

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
  auto protocol = MakeProtocol(r.header.protocol, &scenario.space, r.header.party_count, r.header.options);
  if (!protocol.ok()) return Status::Corruption("event 0: " + protocol.status().message());
  r.protocol = std::move(protocol).value();
  return r;
}

// Applies the logged event at `next`, a party's move or the deadline, to the protocol.
Status ApplyLogged(const Scenario& scenario, const EventLog& log, size_t next, Protocol* protocol,
                   EventLog* got) {
  const Event& e = log[next];
  if (e.actor >= 0) {
    if (e.actor >= protocol->party_count()) {
      return Status::Corruption(fmt::format("event {}: no party {}", next, e.actor));
    }
    std::span<const uint32_t> outcome = log.OutcomeOf(e);
    Action action;
    action.type = e.type;
    action.actor = e.actor;
    action.value = e.value;
    action.outcome = outcome.empty() ? nullptr : outcome.data();
    action.text = log.TextOf(e);
    Status s = protocol->Apply(action, e.time, got);
    if (!s.ok()) {
      return Status::Corruption(fmt::format("event {}: the protocol rejects the logged move ({}): {}", next,
                                            DescribeEvent(log, e, scenario.space), s.message()));
    }
    return Status::Ok();
  }
  if (e.actor == kSystem && e.type == EventType::kNoAgreement) {
    protocol->Expire(e.time, got);
    return Status::Ok();
  }
  return Status::Corruption(fmt::format("event {}: the log has {}, which replay does not produce", next,
                                        DescribeEvent(log, e, scenario.space)));
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
  got.Reserve(log.size());
  r.protocol->Start(&got);
  SHUTTLE_RETURN_IF_ERROR(CompareFrom(got, 0, log, scenario.space));
  // A log that stops while the negotiation is open (a session in progress) replays as far as it goes.
  while (!r.protocol->done() && got.size() < log.size()) {
    size_t next = got.size();
    SHUTTLE_RETURN_IF_ERROR(ApplyLogged(scenario, log, next, r.protocol.get(), &got));
    if (got.size() == next) {
      return Status::Corruption(fmt::format("event {}: replay produced nothing for {}", next,
                                            DescribeEvent(log, log[next], scenario.space)));
    }
    SHUTTLE_RETURN_IF_ERROR(CompareFrom(got, next, log, scenario.space));
  }
  if (got.size() < log.size()) {
    return Status::Corruption(fmt::format("event {}: the log goes on after the negotiation ended: {}", got.size(),
                                          DescribeEvent(log, log[got.size()], scenario.space)));
  }
  return Status::Ok();
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
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities, run_internal::CompileUtilities(scenario));
  std::vector<std::unique_ptr<Agent>> agents;
  for (int p = 0; p < n; ++p) {
    auto agent = MakeAgent(specs[p]);
    if (!agent.ok()) return Status::FailedPrecondition(fmt::format("party {}: {}", p, agent.status().message()));
    AgentContext context{&scenario.space, &utilities[p], p, n, &r.protocol->options(),
                         AgentSeed(r.header.options.seed, p)};
    Status s = agent.value()->Init(context);
    if (!s.ok()) return Status::FailedPrecondition(fmt::format("party {}: {}", p, s.message()));
    agents.push_back(std::move(agent).value());
  }
  EventLog got(log.issue_count());
  got.Reserve(log.size());
  run_internal::LogPacer pacer(&log);
  return run_internal::Drive(r.protocol.get(), agents, &pacer, &log, &got);
}

}  // namespace shuttle
