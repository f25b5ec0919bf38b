// Automated parties: strategies that act for one party inside a protocol.
//
// An Agent sees only what its party may see: its own compiled Utility and the events whose
// audience includes it (the runner filters with Audience::Sees before calling Observe). It
// precomputes what it can in Init (a utility-sorted outcome index, so choosing an offer is a
// binary search, never a scan of the space) and allocates nothing in Observe or Act.
// Agents are not thread-safe; make one per party per negotiation.
//
// The interface belongs to the protocol module, beside Protocol, so every protocol's runner
// (Drive in drive.h) and the shuttle mediator's caucus parties use it; the strategies of the
// strategy module and their registry are in strategy.h.
#ifndef SHUTTLE_AGENT_H_
#define SHUTTLE_AGENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/event.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/protocol.h"
#include "shuttle/status.h"

namespace shuttle {

struct AgentContext {
  const OutcomeSpace* space = nullptr;
  const Utility* utility = nullptr;  // This party's own preferences.
  int32_t self = 0;
  int party_count = 2;
  const ProtocolOptions* protocol = nullptr;
  uint64_t seed = 1;  // For the agent's own random choices: AgentSeed().
};

// The seed party `party`'s automated player gets, in every protocol and in mediation: derived
// from the session's seed, so the one seed in the log fixes every random choice of the session.
uint64_t AgentSeed(uint64_t seed, int party);

class Agent {
 public:
  virtual ~Agent() = default;
  virtual const std::string& name() const = 0;
  // kFailedPrecondition when the agent cannot play this space (e.g. too large to index).
  virtual Status Init(const AgentContext& context) = 0;
  // An event this party may see, after the protocol appended it.
  virtual void Observe(const EventLog& log, const Event& event) {}
  // Chooses the move for `turn` at normalized time t. Writes any outcome into `scratch`
  // (issue_count values, owned by the runner) and points action->outcome at it.
  virtual void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) = 0;
};

}  // namespace shuttle

#endif  // SHUTTLE_AGENT_H_
