#include "shuttle/event.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace shuttle {
namespace {

constexpr const char* kEventTypeNames[] = {
    "start", "offer",     "accept",       "end",       "propose", "vote",   "feedback",
    "adopt", "agreement", "no-agreement", "statement", "confide", "object", "note",
    "open",  "leave",     "ask",          "answer",    "round",   "settle", "close",
};
constexpr size_t kEventTypeCount = sizeof(kEventTypeNames) / sizeof(kEventTypeNames[0]);
static_assert(kEventTypeCount == static_cast<size_t>(kLastEventType) + 1);

}  // namespace

const char* EventTypeName(EventType type) {
  size_t i = static_cast<size_t>(type);
  return i < kEventTypeCount ? kEventTypeNames[i] : "?";
}

Result<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kEventTypeCount; ++i) {
    if (name == kEventTypeNames[i]) return static_cast<EventType>(i);
  }
  return Status::InvalidArgument(fmt::format("unknown event type '{}'", name));
}

bool SameEvent(const EventRecord& a, const EventRecord& b) {
  const Event& x = *a.event;
  const Event& y = *b.event;
  if (x.type != y.type || !(x.audience == y.audience) || x.actor != y.actor || x.round != y.round ||
      x.time != y.time || x.value != y.value) {
    return false;
  }
  if (a.outcome.empty() != b.outcome.empty()) return false;
  return std::equal(a.outcome.begin(), a.outcome.end(), b.outcome.begin(), b.outcome.end()) &&
         a.text == b.text;
}

Action ActionOf(const EventRecord& e) {
  Action action;
  action.type = e.event->type;
  action.actor = e.event->actor;
  action.value = e.event->value;
  action.outcome = e.outcome.empty() ? nullptr : e.outcome.data();
  action.text = e.text;
  return action;
}

void EventLog::Append(Event event, const uint32_t* outcome, std::string_view text) {
  event.outcome = Event::kNone;
  event.text = Event::kNone;
  if (outcome != nullptr) {
    event.outcome = static_cast<uint32_t>(values_.size());
    values_.insert(values_.end(), outcome, outcome + issue_count_);
  }
  if (!text.empty()) {
    event.text = static_cast<uint32_t>(texts_.size());
    texts_.emplace_back(text);
  }
  events_.push_back(event);
}

EventLog EventLog::Head(size_t n) const {
  EventLog out(issue_count_);
  n = std::min(n, events_.size());
  out.Reserve(n);
  for (size_t i = 0; i < n; ++i) {
    std::span<const uint32_t> o = OutcomeOf(events_[i]);
    out.Append(events_[i], o.empty() ? nullptr : o.data(), TextOf(events_[i]));
  }
  return out;
}

void EventLog::Reserve(size_t events) {
  events_.reserve(events);
  values_.reserve(events * issue_count_);
}

void EventLog::Clear() {
  events_.clear();
  values_.clear();
  texts_.clear();
}

std::span<const uint32_t> EventLog::OutcomeOf(const Event& event) const {
  if (event.outcome == Event::kNone) return {};
  return {values_.data() + event.outcome, issue_count_};
}

Outcome EventLog::OutcomeCopy(const Event& event) const {
  std::span<const uint32_t> values = OutcomeOf(event);
  return Outcome(values.begin(), values.end());
}

std::string_view EventLog::TextOf(const Event& event) const {
  if (event.text == Event::kNone) return {};
  return texts_[event.text];
}

std::vector<size_t> EventLog::View(int32_t viewer) const {
  std::vector<size_t> view;
  for (size_t i = 0; i < events_.size(); ++i) {
    if (events_[i].audience.Sees(viewer)) view.push_back(i);
  }
  return view;
}

bool EventLog::operator==(const EventLog& other) const {
  if (issue_count_ != other.issue_count_ || events_.size() != other.events_.size()) return false;
  for (size_t i = 0; i < events_.size(); ++i) {
    if (!SameEvent(RecordOf(events_[i]), other.RecordOf(other.events_[i]))) return false;
  }
  return true;
}

}  // namespace shuttle
