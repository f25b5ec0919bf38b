// The engine loop (Drive), log replay (ReplayLog) and the event comparison both report with.
#include "shuttle/drive.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/rng.h"

namespace shuttle {
namespace {

std::string ActorName(int32_t actor) {
  switch (actor) {
    case kSystem: return "system";
    case kMediator: return "mediator";
    default: return fmt::format("party {}", actor);
  }
}

std::string AudienceName(const Audience& a) {
  switch (a.kind) {
    case AudienceKind::kPublic: return "public";
    case AudienceKind::kMediator: return "mediator only";
    case AudienceKind::kCaucus: return fmt::format("caucus with party {}", a.party);
  }
  return "?";
}

// Whether logged event `e` is a move to feed back to `protocol` (rather than its own output).
bool IsMove(const Protocol& protocol, const Event& e) {
  return e.actor >= 0 || (e.actor == kMediator && protocol.seats_mediator());
}

}  // namespace

void Deliver(const EventLog& log, size_t from, const std::vector<std::unique_ptr<Agent>>& agents,
             Agent* mediator) {
  for (size_t i = from; i < log.size(); ++i) {
    const Event& e = log[i];
    for (size_t p = 0; p < agents.size(); ++p) {
      if (agents[p] && e.audience.Sees(static_cast<int32_t>(p))) agents[p]->Observe(log, e);
    }
    if (mediator != nullptr) mediator->Observe(log, e);
  }
}

uint64_t AgentSeed(uint64_t seed, int party) {
  // The splitmix64 output over the seed and the party: distinct, well-mixed seeds per party.
  return SplitMix64Mix(seed + kSplitMix64Step * (static_cast<uint64_t>(party) + 1));
}

Status ClockPacer::Next(const Protocol& protocol, size_t next, double* t, bool* expired) {
  double now = protocol.RoundTime();
  if (seconds_ > 0) {
    double elapsed = clock_->Seconds() - start_;
    if (elapsed >= seconds_) {
      *t = 1;
      *expired = true;
      return Status::Ok();
    }
    now = std::max(now, elapsed / seconds_);
  }
  last_ = std::min(1.0, std::max(last_, now));
  *t = last_;
  *expired = false;
  return Status::Ok();
}

Status LogPacer::Next(const Protocol& protocol, size_t next, double* t, bool* expired) {
  if (next >= reference_->size()) {
    return Status::Corruption(
        fmt::format("event {}: the log ends here, but the negotiation goes on", next));
  }
  const Event& e = (*reference_)[next];
  *t = e.time;
  *expired = e.actor == kSystem && e.type == EventType::kNoAgreement;
  if (!IsMove(protocol, e) && !*expired) {
    return Status::Corruption(
        fmt::format("event {}: the log has {}, where a party's move was due", next,
                    DescribeEvent(reference_->RecordOf(e), protocol.space())));
  }
  return Status::Ok();
}

Status Drive(Protocol* protocol, const std::vector<std::unique_ptr<Agent>>& agents, Pacer* pacer,
             const EventLog* reference, EventLog* log, Agent* mediator) {
  const OutcomeSpace& space = protocol->space();
  std::vector<uint32_t> scratch(std::max<size_t>(1, space.issue_count()), 0);
  auto after = [&](size_t from) -> Status {
    if (reference != nullptr) SHUTTLE_RETURN_IF_ERROR(CompareFrom(*log, from, *reference, space));
    Deliver(*log, from, agents, mediator);
    return Status::Ok();
  };
  size_t first = log->size();
  protocol->Start(log);
  SHUTTLE_RETURN_IF_ERROR(after(first));
  while (!protocol->done()) {
    double t = 0;
    bool expired = false;
    SHUTTLE_RETURN_IF_ERROR(pacer->Next(*protocol, log->size(), &t, &expired));
    size_t from = log->size();
    if (expired) {
      protocol->Expire(t, log);
    } else {
      Turn turn = protocol->NextTurn();
      Agent* player = nullptr;
      if (turn.kind != Turn::Kind::kDone) {
        if (turn.actor == kMediator) {
          player = mediator;
        } else if (turn.actor >= 0 && turn.actor < static_cast<int32_t>(agents.size())) {
          player = agents[turn.actor].get();
        }
      }
      if (player == nullptr) {
        return Status::FailedPrecondition(
            fmt::format("protocol '{}' is not done but asks no player to move", protocol->name()));
      }
      Action action;
      action.actor = turn.actor;
      player->Act(turn, t, &action, scratch.data());
      Status s = protocol->Apply(action, t, log);
      if (!s.ok()) {
        std::string who = fmt::format("agent '{}' ({})", player->name(), ActorName(turn.actor));
        if (reference != nullptr) {
          return Status::Corruption(fmt::format("event {}: in replay {} makes an illegal move: {}",
                                                from, who, s.message()));
        }
        return Status::FailedPrecondition(who + " made an illegal move: " + s.message());
      }
    }
    if (log->size() == from) {
      return Status::FailedPrecondition(
          fmt::format("protocol '{}' made no progress", protocol->name()));
    }
    SHUTTLE_RETURN_IF_ERROR(after(from));
  }
  if (reference != nullptr && log->size() < reference->size()) {
    return Status::Corruption(
        fmt::format("event {}: the log goes on after the negotiation ended: {}", log->size(),
                    DescribeEvent(reference->RecordOf((*reference)[log->size()]), space)));
  }
  return Status::Ok();
}

Status FeedLogged(Protocol* protocol, const EventRecord& e, size_t index, EventLog* out) {
  const Event& event = *e.event;
  if (IsMove(*protocol, event)) {
    if (event.actor >= protocol->party_count()) {
      return Status::Corruption(fmt::format("event {}: no party {}", index, event.actor));
    }
    Status s = protocol->Apply(ActionOf(e), event.time, out);
    if (!s.ok()) {
      return Status::Corruption(
          fmt::format("event {}: the protocol rejects the logged move ({}): {}", index,
                      DescribeEvent(e, protocol->space()), s.message()));
    }
    return Status::Ok();
  }
  if (event.actor == kSystem && event.type == EventType::kNoAgreement) {
    protocol->Expire(event.time, out);
    return Status::Ok();
  }
  return Status::Corruption(fmt::format("event {}: the log has {}, which replay does not produce",
                                        index, DescribeEvent(e, protocol->space())));
}

Status ReplayLog(Protocol* protocol, const EventLog& log, EventLog* got) {
  const OutcomeSpace& space = protocol->space();
  got->Reserve(log.size());
  protocol->Start(got);
  SHUTTLE_RETURN_IF_ERROR(CompareFrom(*got, 0, log, space));
  while (!protocol->done() && got->size() < log.size()) {
    size_t next = got->size();
    SHUTTLE_RETURN_IF_ERROR(FeedLogged(protocol, log.RecordOf(log[next]), next, got));
    if (got->size() == next) {
      return Status::Corruption(fmt::format("event {}: replay produced nothing for {}", next,
                                            DescribeEvent(log.RecordOf(log[next]), space)));
    }
    SHUTTLE_RETURN_IF_ERROR(CompareFrom(*got, next, log, space));
  }
  if (got->size() < log.size()) {
    return Status::Corruption(
        fmt::format("event {}: the log goes on after the negotiation ended: {}", got->size(),
                    DescribeEvent(log.RecordOf(log[got->size()]), space)));
  }
  return Status::Ok();
}

Status CompareFrom(const EventLog& got, size_t from, const EventLog& want,
                   const OutcomeSpace& space) {
  for (size_t i = from; i < got.size(); ++i) {
    if (i >= want.size()) {
      return Status::Corruption(
          fmt::format("event {}: the log ends here, but replay goes on with {}", i,
                      DescribeEvent(got.RecordOf(got[i]), space)));
    }
    if (!SameEvent(got.RecordOf(got[i]), want.RecordOf(want[i]))) {
      return Status::Corruption(fmt::format("event {}: the log has {}; replay gives {}", i,
                                            DescribeEvent(want.RecordOf(want[i]), space),
                                            DescribeEvent(got.RecordOf(got[i]), space)));
    }
  }
  return Status::Ok();
}

std::string DescribeEvent(const EventRecord& record, const OutcomeSpace& space) {
  const Event& event = *record.event;
  std::string out =
      fmt::format("{} by {} (round {}, t={}, {}", EventTypeName(event.type), ActorName(event.actor),
                  event.round, event.time, AudienceName(event.audience));
  if (event.value != 0) out += fmt::format(", value {}", event.value);
  out += ")";
  if (!record.outcome.empty() && record.outcome.size() == space.issue_count()) {
    out += ": " + space.Describe(Outcome(record.outcome.begin(), record.outcome.end()));
  }
  if (!record.text.empty()) {
    constexpr size_t kMaxText = 160;
    out += fmt::format(" \"{}{}\"", record.text.substr(0, kMaxText),
                       record.text.size() > kMaxText ? "..." : "");
  }
  return out;
}

}  // namespace shuttle
