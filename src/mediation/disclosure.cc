#include "mediation/disclosure.h"

#include <algorithm>
#include <cmath>

#include "mediation/messages.h"

namespace shuttle::mediation_internal {
namespace {

constexpr double kNumberBits = 10;

double LogFactorial(double m) { return std::lgamma(m + 1) / std::log(2.0); }

// A set of values of an issue: a bit per value, or for an integer or real issue's run of
// neighbours (written as a range) its two ends.
double ValueSetBits(const Issue& issue, std::vector<uint32_t> values) {
  double n = static_cast<double>(issue.size());
  std::sort(values.begin(), values.end());
  // On an integer or real issue a run of neighbours is written as a range, its two ends; so is
  // none of it (the empty range).
  bool run = values.empty() || values.back() - values.front() + 1 == values.size();
  if (issue.type() != IssueType::kDiscrete && run) return std::min(n, 2 * std::log2(n + 1));
  return n;
}

// A value function: a number per value, or for an integer or real issue per point where its
// slope changes (the piecewise form it is written in).
double ValuesBits(const Issue& issue, const std::vector<double>& values) {
  if (issue.type() == IssueType::kDiscrete) return kNumberBits * static_cast<double>(values.size());
  return kNumberBits * static_cast<double>(Breakpoints(issue, values).size());
}

double ConfidenceBits(const OutcomeSpace& space, const Confidence& c) {
  double bits = 0;
  if (c.weights) bits += kNumberBits * static_cast<double>(space.issue_count());
  for (const auto& [issue, values] : c.values) bits += ValuesBits(space.issue(issue), values);
  for (const auto& [issue, order] : c.rankings)
    bits += LogFactorial(static_cast<double>(order.size()));
  if (c.red_lines) {
    for (const RedLine& line : *c.red_lines) {
      bool by_value = line.kind == RedLine::Kind::kForbid || line.kind == RedLine::Kind::kRequire;
      bits += by_value ? static_cast<double>(space.issue(line.issue).size()) : kNumberBits;
    }
  }
  if (c.reservation_value) bits += kNumberBits;
  return bits;
}

// Issues a party may name: the open ones, estimated as the issues of the text that are not fixed;
// without the agenda at hand, every issue counts (an upper bound).
double ObjectionBits(const OutcomeSpace& space, const Objection& o) {
  double bits = 1 + static_cast<double>(space.issue_count()) +
                LogFactorial(static_cast<double>(o.issues.size())) + 1;
  for (const Objection::Item& item : o.issues) {
    if (item.has_values) bits += ValueSetBits(space.issue(item.issue), item.could_live_with);
  }
  return bits;
}

}  // namespace

double AnswerBits(const OutcomeSpace& space, std::string_view question, std::string_view answer) {
  Result<Question> q = ParseQuestion(space, question);
  if (!q.ok()) return 0;
  Result<Reply> r = ParseReply(space, *q, answer);
  if (!r.ok() || r->declined) return 0;
  switch (q->kind) {
    case Question::Kind::kWords: return 0;
    case Question::Kind::kLiveWith:
      // The answer says yes or no to each value asked about.
      return std::min(static_cast<double>(q->values.size()),
                      ValueSetBits(space.issue(q->issue), r->values));
    case Question::Kind::kRank: return LogFactorial(static_cast<double>(r->values.size()));
    case Question::Kind::kRedLine: {
      if (!r->red_line) return 1;
      const RedLine& line = *r->red_line;
      bool by_value = line.kind == RedLine::Kind::kForbid || line.kind == RedLine::Kind::kRequire;
      return by_value ? static_cast<double>(space.issue(line.issue).size()) : kNumberBits;
    }
    case Question::Kind::kBid:
      // One value of the issue.
      return std::log2(static_cast<double>(space.issue(q->issue).size()));
  }
  return 0;
}

double DisclosedBits(const OutcomeSpace& space, const EventLog& log, const Event& event) {
  if (event.actor < 0) return 0;
  switch (event.type) {
    case EventType::kConfide: {
      Result<Confidence> c = ParseConfidence(space, log.TextOf(event));
      return c.ok() ? ConfidenceBits(space, *c) : 0;
    }
    case EventType::kObject: {
      Result<Objection> o = ParseObjection(space, log.TextOf(event));
      return o.ok() ? ObjectionBits(space, *o) : 1;
    }
    case EventType::kOffer: return 1 + space.cardinality().Log10() / std::log10(2.0);
    case EventType::kAccept:
    case EventType::kEnd: return 1;
    default: return 0;
  }
}

}  // namespace shuttle::mediation_internal
