#include "strategy/base_agent.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace shuttle::strategy {
namespace {

constexpr double kTolerance = OutcomeIndex::kTolerance;
constexpr double kCrossed = std::numeric_limits<double>::lowest();

}  // namespace

Status ReadCommonOptions(ParamReader* reader, CommonOptions* options) {
  if (const std::string* ac = reader->Find("ac")) {
    SHUTTLE_ASSIGN_OR_RETURN(options->acceptance, ParseAcceptance(*ac));
  }
  if (const std::string* vote = reader->Find("vote")) {
    if (*vote == "hill") {
      options->vote = VoteStyle::kHillClimber;
    } else if (*vote == "anneal") {
      options->vote = VoteStyle::kAnnealer;
    } else {
      return Status::InvalidArgument(fmt::format("vote={}: expected hill or anneal", *vote));
    }
  }
  SHUTTLE_RETURN_IF_ERROR(reader->Number("t0", 0, 1e6, &options->t0));
  double limit = static_cast<double>(options->index.full_limit);
  SHUTTLE_RETURN_IF_ERROR(reader->Number("index", 1, 4e9, &limit));
  options->index.full_limit = static_cast<uint64_t>(limit);
  return Status::Ok();
}

double TimeDependentTarget(double t, double e, double k, double pmin, double pmax) {
  t = std::clamp(t, 0.0, 1.0);
  const double f = e <= 0 ? k : k + (1 - k) * std::pow(t, 1 / e);
  return pmin + (pmax - pmin) * (1 - f);
}

Status BaseAgent::Init(const AgentContext& context) {
  if (context.space == nullptr || context.utility == nullptr) {
    return Status::InvalidArgument(
        fmt::format("agent {}: needs an outcome space and a utility", name_));
  }
  context_ = context;
  rng_ = Rng(context.seed);
  IndexOptions index_options = options_.index;
  index_options.seed = context.seed;
  SHUTTLE_RETURN_IF_ERROR(index_.Build(*context.space, *context.utility, index_options)
                              .WithContext(fmt::format("agent {}", name_)));
  reservation_ = context.utility->reservation_value();
  playable_ = !index_.empty() && index_.max_utility() >= reservation_ - kTolerance;
  pmax_ = index_.max_utility();
  pmin_ = std::min(pmax_, std::max(reservation_, index_.min_utility()));
  return OnInit();
}

double BaseAgent::Value(const uint32_t* outcome) const {
  if (!context_.utility->Allows(outcome)) return kCrossed;
  return context_.utility->Evaluate(outcome);
}

size_t BaseAgent::PositionAtLeast(double target) const {
  return std::min(index_.LowerBound(target), index_.size() - 1);
}

void BaseAgent::Act(const Turn& turn, double t, Action* action, uint32_t* scratch) {
  action->actor = context_.self;
  action->value = 0;
  action->outcome = nullptr;
  action->text = {};
  switch (turn.kind) {
    case Turn::Kind::kOffer:
    case Turn::Kind::kRespond:
    case Turn::Kind::kCaucus: {
      if (!playable_) {
        action->type = EventType::kEnd;
        return;
      }
      const double next = ChooseOffer(t, scratch);
      if (turn.kind != Turn::Kind::kOffer && turn.standing != nullptr) {
        const double offer = Value(turn.standing);
        if (offer >= reservation_ - kTolerance && WantsToAccept(offer, next, t)) {
          action->type = EventType::kAccept;
          return;
        }
      }
      action->type = EventType::kOffer;
      action->outcome = scratch;
      return;
    }
    case Turn::Kind::kAnswer:  // The mediator's question: a strategy has nothing to tell.
      action->type = EventType::kAnswer;
      action->text = R"({"declined":true})";
      return;
    case Turn::Kind::kHelm: action->type = EventType::kEnd; return;  // Not a mediator.
    case Turn::Kind::kVote:
      action->type = EventType::kVote;
      action->value = Vote(turn, t);
      return;
    case Turn::Kind::kFeedback:
      action->type = EventType::kFeedback;
      action->value = Feedback(turn);
      return;
    case Turn::Kind::kDone: action->type = EventType::kEnd; return;
  }
}

int BaseAgent::Vote(const Turn& turn, double t) {
  if (turn.standing == nullptr) return 0;
  const double u = Value(turn.standing);
  if (u == kCrossed) return 0;
  if (turn.reference == nullptr) return u >= reservation_ - kTolerance ? 1 : 0;
  const double delta = u - Value(turn.reference);
  if (delta >= -kTolerance) return 1;
  if (options_.vote == VoteStyle::kAnnealer) {
    const double temperature = options_.t0 * (1 - std::clamp(t, 0.0, 1.0));
    if (temperature > 0 && rng_.Unit() < std::exp(delta / temperature)) return 1;
  }
  return 0;
}

int BaseAgent::Feedback(const Turn& turn) const {
  if (turn.standing == nullptr) return 0;
  const double u = Value(turn.standing);
  if (turn.reference == nullptr) return u != kCrossed && u >= reservation_ - kTolerance ? 1 : -1;
  const double r = Value(turn.reference);
  if (u == kCrossed || r == kCrossed) return u == r ? 0 : (u == kCrossed ? -1 : 1);
  if (u > r + kTolerance) return 1;
  if (u < r - kTolerance) return -1;
  return 0;
}

}  // namespace shuttle::strategy
