// What every automated party shares: the utility-sorted index, the bargaining move (accept the
// standing offer or counter), the voter of mediated single text and the answerer of mediator
// feedback. A strategy only says which offer it would make now (ChooseOffer) and, if it wishes,
// learns from the events it sees (Observe). Init allocates; Observe and Act never do.
//
// Bargaining (SAO turns): the agent computes its next offer; on kRespond it accepts the standing
// offer when that is individually rational, crosses none of its red lines and the acceptance
// condition holds; otherwise it counter-offers. An agent with no acceptable outcome at all (its
// reservation value above every outcome it allows) ends the negotiation on its first move.
// A shuttle-mediator caucus (Turn::kCaucus) is answered the same way: accept the mediator's text
// or counter-propose (an opening caucus, with no text, gets an offer); the agent confides nothing.
//
// Voting (Turn::kVote, single text): with a reference text, a hill-climber accepts iff
// u(proposal) >= u(reference); an annealer also accepts a worse proposal with probability
// exp(delta_u / T), T = t0 * (1 - t) falling to 0 at the deadline. Without a reference (the final
// ratification vote) it accepts iff the text is individually rational. A proposal crossing one of
// the party's red lines is always rejected.
// Feedback (Turn::kFeedback): +1 / 0 / -1 as u(standing) is above / within 1e-12 of / below
// u(reference); a text crossing a red line counts below every other. Without a reference: +1 when
// individually rational, else -1.
#ifndef SHUTTLE_SRC_STRATEGY_BASE_AGENT_H_
#define SHUTTLE_SRC_STRATEGY_BASE_AGENT_H_

#include <string>

#include "shuttle/agent.h"
#include "strategy/agent_spec.h"
#include "strategy/outcome_index.h"
#include "strategy/rng.h"

namespace shuttle::strategy {

enum class VoteStyle { kHillClimber, kAnnealer };

// Parameters every agent takes.
struct CommonOptions {
  // ac=...: when to accept in SAO. Default: next (each agent may choose another default).
  Acceptance acceptance;
  // vote=hill|anneal: how to vote in single text. Default: hill.
  VoteStyle vote = VoteStyle::kHillClimber;
  // t0=...: the annealer's initial temperature, in utility units. Default: 0.1.
  double t0 = 0.1;
  // index=N: index every outcome of spaces up to N allowed outcomes. Default: 10^7.
  IndexOptions index;
};

// The keys ReadCommonOptions reads, for error messages.
inline constexpr const char* kCommonKeys = "ac, vote, t0, index";

// Reads ac, vote, t0 and index into `options` (keeping its values for absent keys).
Status ReadCommonOptions(ParamReader* reader, CommonOptions* options);

// The target utility of the time-dependent tactic at normalized time t (clamped to [0, 1]):
// Pmin + (Pmax - Pmin)(1 - f(t)), f(t) = k + (1 - k) t^(1/e). e = 0 means f(t) = k at every t,
// the end included (a hardliner never concedes).
double TimeDependentTarget(double t, double e, double k, double pmin, double pmax);

class BaseAgent : public Agent {
 public:
  BaseAgent(std::string name, CommonOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}

  const std::string& name() const override { return name_; }
  // kInvalidArgument without a space or utility; kFailedPrecondition for a continuous issue.
  Status Init(const AgentContext& context) final;
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) final;

  // Own utility of an outcome; lowest() when it crosses one of the party's red lines.
  double Value(const uint32_t* outcome) const;
  const OutcomeIndex& index() const { return index_; }
  double reservation() const { return reservation_; }
  // Best and least utility the agent would offer: max over the index, max(rv, min over the index).
  double pmax() const { return pmax_; }
  double pmin() const { return pmin_; }
  // False when no allowed outcome reaches the reservation value.
  bool playable() const { return playable_; }

 protected:
  virtual Status OnInit() { return Status::Ok(); }
  // Writes the offer to make now (issue_count values) and returns its utility. Called only when
  // playable(); the index is then non-empty.
  virtual double ChooseOffer(double t, uint32_t* out) = 0;
  // Whether to accept an offer worth `offer` (individually rational) when the next own offer
  // would be worth `next`.
  virtual bool WantsToAccept(double offer, double next, double t) const {
    return options_.acceptance.Accepts(offer, next, t);
  }
  // The index position whose utility is the least at or above `target` (the top when none).
  size_t PositionAtLeast(double target) const;

  const AgentContext& context() const { return context_; }
  const CommonOptions& options() const { return options_; }
  Rng& rng() { return rng_; }

 private:
  int Vote(const Turn& turn, double t);
  int Feedback(const Turn& turn) const;

  std::string name_;
  CommonOptions options_;
  AgentContext context_;
  OutcomeIndex index_;
  Rng rng_;
  double reservation_ = 0;
  double pmax_ = 0, pmin_ = 0;
  bool playable_ = false;
};

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_BASE_AGENT_H_
