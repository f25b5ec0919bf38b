// Private to the protocol module: the skeleton the two mediated single-text protocols share
// (single_text.cc, feedback.cc).
//
// A mediator holds a text (an outcome). Start() appends kStart, then a public kAdopt of a random
// initial text (text "initial text"), then the first proposal. Each round the mediator puts a
// proposal to the parties (a public kPropose); the parties answer in order 0..n-1, each answer a
// private event (audience Caucus(party)); once all have answered, the protocol decides whether the
// proposal becomes the text (a public kAdopt) and the round ends. The last of `rounds` rounds puts
// the text to a final vote (a public kPropose with text "final vote", then kVote turns with no
// reference), so the talks end within the deadline; a unanimous accept makes it the agreement,
// otherwise the negotiation ends without one. Any party may walk away (kEnd) on its turn. With no
// round limit only Expire() ends it. Every random choice comes from a splitmix64 generator seeded
// with options().seed.
#ifndef SHUTTLE_SRC_PROTOCOL_MEDIATED_H_
#define SHUTTLE_SRC_PROTOCOL_MEDIATED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "protocol/protocols.h"

namespace shuttle {

// The mediator's random source, independent of the standard library.
using MediatorRng = SplitMix64;

class MediatedProtocol : public Protocol {
 public:
  void Start(EventLog* log) final;
  Turn NextTurn() const final;
  Status Apply(const Action& action, double t, EventLog* log) final;
  void Expire(double t, EventLog* log) final;
  std::span<const AudienceRule> audiences() const final;
  bool done() const final { return phase_ == Phase::kDone; }
  const uint32_t* agreement() const final { return agreed_ ? text_.data() : nullptr; }
  int round() const final { return round_; }

 protected:
  // `answer`: Turn::Kind::kVote (answers 1 accept / 0 reject) or kFeedback (+1 / 0 / -1).
  MediatedProtocol(const OutcomeSpace* space, int party_count, const ProtocolOptions& options,
                   Turn::Kind answer);

  // Writes the next proposal into proposal_ (normally text_ with one issue changed).
  virtual void Propose() = 0;
  // Every party has answered proposal_ (answers_[p]); returns whether it becomes the text.
  virtual bool Decide(double t) = 0;
  // Called after proposal_ was adopted as text_.
  virtual void Adopted() {}

  // Issues with at least two values (the ones a mutation can change).
  const std::vector<uint32_t>& mutable_issues() const { return mutable_issues_; }
  uint64_t issue_size(size_t issue) const { return sizes_[issue]; }
  // Sets proposal_ to `base` (issue_count values) with `issue` changed to a uniformly random
  // other value.
  void MutateRandomly(const std::vector<uint32_t>& base, size_t issue);

  std::vector<uint32_t> text_;
  std::vector<uint32_t> proposal_;
  std::vector<int32_t> answers_;
  MediatorRng rng_;

 private:
  enum class Phase : uint8_t { kIdle, kAnswering, kFinalVote, kDone };

  Status Check(const Action& action, double t) const;
  Event MakeEvent(EventType type, Audience audience, int32_t actor, double t) const;
  void NextProposal(double t, EventLog* log);
  void AfterAnswers(double t, EventLog* log);
  void Finish(EventType type, double t, EventLog* log, const std::string& why);

  Turn::Kind answer_;
  std::vector<uint64_t> sizes_;
  std::vector<uint32_t> mutable_issues_;
  Phase phase_ = Phase::kIdle;
  int32_t next_party_ = 0;
  int round_ = 0;
  double last_time_ = 0;
  bool agreed_ = false;
};

}  // namespace shuttle

#endif  // SHUTTLE_SRC_PROTOCOL_MEDIATED_H_
