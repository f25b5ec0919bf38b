// GENIUS constraint profiles (ConstraintUtilitySpace) as plain data: kind names and validation.
// Validation refuses what GENIUS could not evaluate (it would throw on some outcome: a value
// without a rank, a number that is not a Java int, a conditional without its two checks) and
// what it evaluates to no number (a highest rank of 0 divides by 0; no ranked issue divides by 0).
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "prefs/constraint_utility.h"
#include "shuttle/profile.h"

namespace shuttle {
namespace {

bool IsSumKind(ZeroConstraint::Kind kind) {
  return kind == ZeroConstraint::Kind::kSumZero || kind == ZeroConstraint::Kind::kSumZeroNot ||
         kind == ZeroConstraint::Kind::kSumZeroList;
}

// How many texts a kind takes: exactly one, none, or any number (-1).
int TextCount(ZeroConstraint::Kind kind) {
  switch (kind) {
    case ZeroConstraint::Kind::kConditionalZero:
    case ZeroConstraint::Kind::kSumZero:
    case ZeroConstraint::Kind::kSumZeroNot: return 1;
    case ZeroConstraint::Kind::kSumZeroList: return -1;
    default: return 0;
  }
}

// An issue a constraint or rank table may name: in range, with labels GENIUS would print alike.
Status CheckIssue(const OutcomeSpace& space, int issue, const char* role) {
  if (issue < 0 || static_cast<size_t>(issue) >= space.issue_count()) {
    return Status::InvalidArgument(fmt::format("{} issue index {}: no such issue", role, issue));
  }
  if (space.issue(issue).type() == IssueType::kReal) {
    return Status::InvalidArgument(
        fmt::format("{} issue '{}' is real: constraint profiles test discrete or integer values",
                    role, space.issue(issue).name()));
  }
  return Status::Ok();
}

// Every value of the issue must read as a Java int, or GENIUS throws on the outcomes holding it.
Status CheckNumeric(const OutcomeSpace& space, int issue, const char* why) {
  const Issue& is = space.issue(issue);
  for (uint64_t v = 0; v < is.size(); ++v) {
    if (!constraint_internal::JavaInt(is.ValueLabel(v))) {
      return Status::InvalidArgument(
          fmt::format("issue '{}': value '{}' is not a Java int, which GENIUS {}", is.name(),
                      is.ValueLabel(v), why));
    }
  }
  return Status::Ok();
}

// Whether GENIUS reads the check's value as a number (and so throws on one that is not).
bool ReadsNumber(ZeroConstraint::Kind kind, size_t position, const std::string& text) {
  if (kind == ZeroConstraint::Kind::kInclusiveOutcome) {
    return text.find("numeric") != std::string::npos &&
           (text.find("positive") != std::string::npos ||
            text.find("negative") != std::string::npos);
  }
  return kind == ZeroConstraint::Kind::kConditionalOutcome && position == 0 &&
         (text == "numeric=positive" || text == "numeric=negative");
}

Status CheckChecks(const OutcomeSpace& space, const ZeroConstraint& c) {
  if (IsSumKind(c.kind) && !c.checks.empty())
    return Status::InvalidArgument("a sum constraint takes no checks");
  if (c.kind == ZeroConstraint::Kind::kConditionalOutcome && c.checks.size() != 2) {
    return Status::InvalidArgument(fmt::format(
        "needs exactly two checks on two issues (a condition, then a consequence), not {}",
        c.checks.size()));
  }
  std::unordered_set<int> seen;
  for (size_t k = 0; k < c.checks.size(); ++k) {
    const ZeroConstraint::Check& check = c.checks[k];
    SHUTTLE_RETURN_IF_ERROR(CheckIssue(space, check.issue, "check"));
    if (!seen.insert(check.issue).second) {
      return Status::InvalidArgument(
          fmt::format("two checks on issue '{}'", space.issue(check.issue).name()));
    }
    if (ReadsNumber(c.kind, k, check.text)) {
      SHUTTLE_RETURN_IF_ERROR(
          CheckNumeric(space, check.issue, fmt::format("tests for '{}'", check.text).c_str()));
    }
  }
  return Status::Ok();
}

}  // namespace

namespace constraint_internal {

std::optional<int32_t> JavaInt(std::string_view text) {
  size_t at = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    at = 1;
  }
  if (at == text.size()) return std::nullopt;
  int64_t value = 0;
  for (; at < text.size(); ++at) {
    if (text[at] < '0' || text[at] > '9') return std::nullopt;
    value = value * 10 + (text[at] - '0');
    if (value > int64_t{1} << 31) return std::nullopt;
  }
  if (negative) value = -value;
  if (value > INT32_MAX || value < INT32_MIN) return std::nullopt;
  return static_cast<int32_t>(value);
}

}  // namespace constraint_internal

const char* ZeroConstraintKindName(ZeroConstraint::Kind kind) {
  switch (kind) {
    case ZeroConstraint::Kind::kInclusiveOutcome: return "inclusiveZeroOutcomeConstraint";
    case ZeroConstraint::Kind::kConditionalOutcome: return "conditionalZeroOutcomeConstraint";
    case ZeroConstraint::Kind::kZero: return "zeroConstraint";
    case ZeroConstraint::Kind::kConditionalZero: return "conditionalZeroConstraint";
    case ZeroConstraint::Kind::kSumZero: return "sumZeroConstraint";
    case ZeroConstraint::Kind::kSumZeroNot: return "sumZeroNotConstraint";
    case ZeroConstraint::Kind::kSumZeroList: return "sumZeroConstraintList";
  }
  return "?";
}

bool ZeroConstraintIsOutcomeKind(ZeroConstraint::Kind kind) {
  return kind == ZeroConstraint::Kind::kInclusiveOutcome ||
         kind == ZeroConstraint::Kind::kConditionalOutcome;
}

Status IssueRanks::Validate(const OutcomeSpace& space) const {
  SHUTTLE_RETURN_IF_ERROR(CheckIssue(space, issue, "ranked"));
  const Issue& is = space.issue(issue);
  if (ranks.size() != is.size()) {
    return Status::InvalidArgument(
        fmt::format("issue '{}': {} ranks for {} values", is.name(), ranks.size(), is.size()));
  }
  int32_t highest = 0;  // GENIUS starts its maximum at 0.
  for (int32_t r : ranks) highest = std::max(highest, r);
  if (highest <= 0) {
    return Status::InvalidArgument(fmt::format(
        "issue '{}': the highest rank must be positive (GENIUS divides by it)", is.name()));
  }
  return Status::Ok();
}

Status ZeroConstraint::Validate(const OutcomeSpace& space) const {
  if (ZeroConstraintIsOutcomeKind(kind)) {
    if (issue != -1)
      return Status::InvalidArgument(
          "an outcome constraint zeroes no single issue (issue must be -1)");
  } else {
    SHUTTLE_RETURN_IF_ERROR(CheckIssue(space, issue, "zeroed"));
  }
  SHUTTLE_RETURN_IF_ERROR(CheckChecks(space, *this));
  int texts_wanted = TextCount(kind);
  if (texts_wanted >= 0 && texts.size() != static_cast<size_t>(texts_wanted)) {
    return Status::InvalidArgument(fmt::format("takes {} text{} to match, not {}", texts_wanted,
                                               texts_wanted == 1 ? "" : "s", texts.size()));
  }
  if (!IsSumKind(kind) && (!summed.empty() || min != 0 || max != 0)) {
    return Status::InvalidArgument("only sum constraints sum issues and have a min and a max");
  }
  for (int s : summed) {
    SHUTTLE_RETURN_IF_ERROR(CheckIssue(space, s, "summed"));
    SHUTTLE_RETURN_IF_ERROR(CheckNumeric(space, s, "sums"));
  }
  return Status::Ok();
}

namespace constraint_internal {

Status ValidateConstraintProfile(const OutcomeSpace& space, const Profile& p) {
  if (p.ranks.empty()) {
    return Status::InvalidArgument(
        "a constraint profile needs ranks for at least one issue (GENIUS divides by their count)");
  }
  std::unordered_set<int> ranked;
  for (const IssueRanks& r : p.ranks) {
    SHUTTLE_RETURN_IF_ERROR(r.Validate(space));
    if (!ranked.insert(r.issue).second) {
      return Status::InvalidArgument(
          fmt::format("issue '{}' is ranked twice", space.issue(r.issue).name()));
    }
  }
  for (size_t k = 0; k < p.constraints.size(); ++k) {
    Status s = p.constraints[k].Validate(space);
    if (!s.ok()) {
      return s.WithContext(
          fmt::format("constraint {} ({})", k + 1, ZeroConstraintKindName(p.constraints[k].kind)));
    }
  }
  return Status::Ok();
}

}  // namespace constraint_internal
}  // namespace shuttle
