// Issues, outcomes and outcome spaces.
//
// An Issue is one thing to agree on: discrete (named values), integer (an inclusive range) or real
// (a range, continuous until discretized with an explicit step). Every finite issue numbers its
// values 0..size()-1; an Outcome holds one such value index per issue. An OutcomeSpace is the
// Cartesian product of its issues; its outcomes also have a dense mixed-radix index (the last issue
// varies fastest) when the space is small enough for uint64. The cardinality is exact for any size
// (BigCount), so a 10^50-outcome space is representable and nothing enumerates it by accident.
// All types here are immutable values after construction and safe to share between threads.
#ifndef SHUTTLE_OUTCOME_SPACE_H_
#define SHUTTLE_OUTCOME_SPACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/status.h"

namespace shuttle {

// An exact unsigned integer for outcome counts (products of issue sizes).
class BigCount {
 public:
  BigCount() : limbs_{0} {}
  explicit BigCount(uint64_t v);

  void MultiplyBy(uint64_t factor);
  bool FitsU64() const;
  uint64_t ToU64() const;   // Requires FitsU64().
  double ToDouble() const;  // Nearest double (inf never: 10^308 is far beyond any domain).
  double Log10() const;
  std::string ToString() const;  // Decimal digits.
  bool IsZero() const;
  // Three-way comparison with a uint64.
  int Compare(uint64_t v) const;

 private:
  std::vector<uint32_t> limbs_;  // Little-endian base 2^32.
};

enum class IssueType { kDiscrete, kInteger, kReal };
const char* IssueTypeName(IssueType type);  // "discrete", "integer", "real"

class Issue {
 public:
  static Issue Discrete(std::string name, std::vector<std::string> values);
  static Issue Integer(std::string name, int64_t lower, int64_t upper);
  // A continuous range; step 0 means not discretized (infinite).
  static Issue Real(std::string name, double lower, double upper, double step = 0);

  const std::string& name() const { return name_; }
  IssueType type() const { return type_; }

  // Number of values; 0 for a continuous real issue.
  uint64_t size() const;
  bool finite() const { return size() > 0; }

  // Discrete labels (empty for other types).
  const std::vector<std::string>& labels() const { return labels_; }
  int64_t int_lower() const { return int_lower_; }
  int64_t int_upper() const { return int_upper_; }
  double real_lower() const { return real_lower_; }
  double real_upper() const { return real_upper_; }
  double step() const { return step_; }

  // A real issue sampled at lower, lower+step, ..., upper (upper always included). Other types are
  // returned unchanged. Fails with kInvalidArgument for step <= 0 or more than 10^7 values.
  Result<Issue> Discretized(double step) const;

  // The value's number: integer lower+i, real lower+i*step (capped at upper), discrete the label
  // parsed as a number when it is one. nullopt for a non-numeric discrete label.
  std::optional<double> NumericValue(uint64_t index) const;
  // Human-readable value: the discrete label, or the number.
  std::string ValueLabel(uint64_t index) const;
  // Finds a value by its label (or number for integer/real); kNotFound names the issue.
  Result<uint64_t> FindValue(std::string_view label) const;

  bool operator==(const Issue& other) const;

 private:
  std::string name_;
  IssueType type_ = IssueType::kDiscrete;
  std::vector<std::string> labels_;
  int64_t int_lower_ = 0, int_upper_ = 0;
  double real_lower_ = 0, real_upper_ = 0, step_ = 0;
};

// One value index per issue, in the space's issue order.
using Outcome = std::vector<uint32_t>;

class OutcomeSpace {
 public:
  OutcomeSpace() = default;
  explicit OutcomeSpace(std::vector<Issue> issues);

  const std::vector<Issue>& issues() const { return issues_; }
  const Issue& issue(size_t i) const { return issues_[i]; }
  size_t issue_count() const { return issues_.size(); }
  // Index of the issue with this name, or -1.
  int FindIssue(std::string_view name) const;

  bool finite() const;
  // Exact number of outcomes; zero when some issue is continuous.
  const BigCount& cardinality() const { return cardinality_; }
  // True when finite with at most `limit` outcomes.
  bool EnumerableWithin(uint64_t limit) const;

  // Mixed-radix index (last issue fastest). Require cardinality().FitsU64() and a valid outcome.
  uint64_t Index(const Outcome& outcome) const;
  void Decode(uint64_t index, Outcome* outcome) const;
  Outcome Decode(uint64_t index) const;

  // kInvalidArgument when the outcome has the wrong arity or a value out of range.
  Status Validate(const Outcome& outcome) const;
  // "issue=value, issue=value".
  std::string Describe(const Outcome& outcome) const;

  // Every real issue discretized with `step` (see Issue::Discretized).
  Result<OutcomeSpace> Discretized(double step) const;

  bool operator==(const OutcomeSpace& other) const { return issues_ == other.issues_; }

 private:
  std::vector<Issue> issues_;
  BigCount cardinality_;
};

}  // namespace shuttle

#endif  // SHUTTLE_OUTCOME_SPACE_H_
