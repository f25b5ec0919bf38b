// Preferences: what one party wants, as files describe it, and in compiled form for fast
// evaluation.
//
// A Profile is a plain description (as read from GENIUS XML, GeniusWeb JSON or Shuttle JSON): a
// linear additive utility (weights and one Evaluator per issue), a sum of hyper-rectangles
// (ANAC 2014) or GENIUS ranks with zero-constraints (ConstraintUtilitySpace), plus a reservation
// value, a discount factor and red lines. Profiles keep the form of the file so that writing them
// back is exact.
//
// A Utility is a Profile compiled against a finite OutcomeSpace: per-issue contribution tables
// (weight * value function) in contiguous arrays, so evaluation is a few additions and nothing
// allocates (the non-linear kinds test boxes or per-value constraint tables, without allocating
// either). Both are values; a compiled Utility is immutable and safe to share between threads.
#ifndef SHUTTLE_PROFILE_H_
#define SHUTTLE_PROFILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle {

// The value function of one issue, in [0, 1] after evaluation.
enum class EvaluatorKind {
  kTable,            // finite: raw evaluations per value; v = e / max(e) when divide_by_max
  kLinearFromLower,  // integer (GENIUS): v = slope * (x - lower) + offset, clipped to [0, 1]
  kLinear,           // real (GENIUS) and GeniusWeb numbers: v = p1 * x + p0, clipped to [0, 1]
  kTriangular,       // real: 0 outside [p0, p1], rising to 1 at p2, then falling
  kConstant,         // v = p0 clipped to [0, 1]
  kPiecewise,        // numbers: v interpolated linearly between points, constant beyond them
};
const char* EvaluatorKindName(EvaluatorKind kind);

struct Evaluator {
  EvaluatorKind kind = EvaluatorKind::kTable;
  // kTable: one raw evaluation per value of the issue, in the issue's value order. Fits discrete,
  // integer and finite real issues (a real issue with a step).
  std::vector<double> evaluations;
  // kTable: GENIUS divides by the issue's maximum evaluation; GeniusWeb and Shuttle JSON may not.
  // Default: true.
  bool divide_by_max = true;
  double slope = 0, offset = 0;   // kLinearFromLower
  double p0 = 0, p1 = 0, p2 = 0;  // kLinear, kTriangular, kConstant
  // kPiecewise: (x, v) with x strictly ascending and v in [0, 1], at least one point. A value's
  // number x (Issue::NumericValue, 0 for a non-numeric label) gets v interpolated linearly between
  // the neighbouring points, the first point's v below them and the last point's v above.
  std::vector<std::pair<double, double>> points;

  // Value of the issue's value `index` in [0, 1].
  double Evaluate(const Issue& issue, uint64_t index) const;
  bool operator==(const Evaluator& o) const = default;
};

// A box in outcome space with a utility: every constrained issue's number lies in [min, max].
// Unconstrained issues are free.
struct HyperRectangle {
  struct Bound {
    int issue = 0;  // Index into the outcome space.
    double min = 0, max = 0;
    bool operator==(const Bound& o) const = default;
  };
  double utility = 0;
  std::vector<Bound> bounds;
  bool operator==(const HyperRectangle& o) const = default;
};

// A hard constraint of one party: an outcome crossing it is unacceptable to that party whatever
// its utility. "settlements: must not be 'continue'" is kForbid; "price <= 4.12" is kAtMost.
struct RedLine {
  enum class Kind { kForbid, kRequire, kAtMost, kAtLeast };
  Kind kind = Kind::kForbid;
  int issue = 0;                 // Index into the outcome space.
  std::vector<uint32_t> values;  // kForbid / kRequire: value indices.
  double bound = 0;              // kAtMost / kAtLeast: compared with Issue::NumericValue.
  std::string note;              // Why, in the party's words (optional).

  bool Allows(const OutcomeSpace& space, uint32_t value_index) const;
  // "settlements must not be continue", "price <= 4.12".
  std::string Describe(const OutcomeSpace& space) const;
  bool operator==(const RedLine& o) const = default;
};
const char* RedLineKindName(RedLine::Kind kind);  // "forbid", "require", "at_most", "at_least"

// One issue's ranks in a GENIUS constraint profile (ConstraintUtilitySpace): the issue contributes
// rank(value) / (its highest rank), a Java double division of Java ints.
struct IssueRanks {
  int issue = 0;               // Index into the outcome space.
  std::vector<int32_t> ranks;  // One per value of the issue, in value order.

  // kInvalidArgument when the issue is missing or real, the ranks do not fit its values, or the
  // highest rank is not positive.
  Status Validate(const OutcomeSpace& space) const;
  bool operator==(const IssueRanks& o) const = default;
};

// A constraint of a GENIUS constraint profile. It tests value labels (Issue::ValueLabel) as GENIUS
// tests Value.toString(): "contains" is a substring test, "equals" whole-string equality, and a
// value's number is the label read as a Java int (Integer.valueOf: optional sign, decimal digits).
// The outcome kinds make the whole utility 0; the others make `issue`'s rank term 0.
struct ZeroConstraint {
  enum class Kind {
    // inclusiveZeroOutcomeConstraint: fires when every check holds. A check whose text contains
    // "numeric" fails when the text contains "positive" and the number is < 0, else when it
    // contains "negative" and the number is > 0, and holds otherwise (0 passes both); any other
    // check holds when the value contains its text. No checks: fires everywhere.
    kInclusiveOutcome,
    // conditionalZeroOutcomeConstraint, exactly two checks: fires when checks[0]'s text is exactly
    // "numeric=positive" and its number > 0, or exactly "numeric=negative" and its number < 0, and
    // checks[1]'s value does not contain checks[1]'s text.
    kConditionalOutcome,
    // zeroConstraint: fires when every check's value equals its text (no checks: everywhere).
    kZero,
    // conditionalZeroConstraint: fires when every check's value equals its text and `issue`'s
    // value does not contain texts[0].
    kConditionalZero,
    // sumZeroConstraint: fires when min <= S <= max and `issue`'s value contains texts[0], where S
    // is the Java int sum (wrapping) of the numbers of the `summed` issues' values.
    kSumZero,
    // sumZeroNotConstraint: as kSumZero, but when `issue`'s value does not contain texts[0].
    kSumZeroNot,
    // sumZeroConstraintList: min <= S <= max and `issue`'s value contains one of `texts`.
    kSumZeroList,
  };
  struct Check {
    int issue = 0;  // Index into the outcome space.
    std::string text;
    bool operator==(const Check& o) const = default;
  };
  Kind kind = Kind::kZero;
  // The issue whose rank term the constraint zeroes; -1 for the outcome kinds.
  int issue = -1;
  // At most one check per issue (GENIUS keeps them in a map by issue); kConditionalOutcome keeps
  // the condition first.
  std::vector<Check> checks;
  std::vector<std::string>
      texts;  // One for kConditionalZero, kSumZero, kSumZeroNot; any for kSumZeroList.
  std::vector<int> summed;   // kSum*: issues whose numbers are summed (an issue may repeat).
  int32_t min = 0, max = 0;  // kSum*: inclusive bounds on the sum (0 for other kinds).

  // kInvalidArgument when an issue is missing or real, the checks or texts do not fit the kind
  // (two checks on one issue, a conditional without exactly two), or a value GENIUS reads as a
  // number (summed issues, numeric checks) is not a Java int.
  Status Validate(const OutcomeSpace& space) const;
  bool operator==(const ZeroConstraint& o) const = default;
};
// The GENIUS type names: "inclusiveZeroOutcomeConstraint", "zeroConstraint", ...
const char* ZeroConstraintKindName(ZeroConstraint::Kind kind);
bool ZeroConstraintIsOutcomeKind(ZeroConstraint::Kind kind);

enum class ProfileKind { kLinearAdditive, kHyperRectangles, kConstraint };
// "linear_additive", "hyper_rectangles", "genius_constraint": the names Shuttle JSON uses.
const char* ProfileKindName(ProfileKind kind);

struct Profile {
  ProfileKind kind = ProfileKind::kLinearAdditive;
  // kLinearAdditive: one weight and one evaluator per issue of the space.
  std::vector<double> weights;
  std::vector<Evaluator> evaluators;
  // kHyperRectangles: utility = sum of the utilities of the boxes containing the outcome,
  // divided by max_utility when that is > 0 (GENIUS "maxutility"). Default: 0 (no division).
  std::vector<HyperRectangle> rectangles;
  double max_utility = 0;
  // kConstraint (GENIUS ConstraintUtilitySpace): 0 when an outcome constraint fires; otherwise
  // the sum over `ranks` (in order) of each issue's rank term, 0 when a constraint on that issue
  // fires, divided by ranks.size(). Constraints on an issue without ranks have no effect.
  std::vector<IssueRanks> ranks;
  std::vector<ZeroConstraint> constraints;
  // Utility of no agreement. Default: 0.
  double reservation_value = 0;
  // d in (0, 1]; GENIUS treats 0 and 1 as no discount. Default: 1.
  double discount = 1;
  std::vector<RedLine> red_lines;

  // Checks the profile against a space: arity, evaluator kinds per issue type (a table needs a
  // finite issue), table sizes, piecewise points (x strictly ascending, v in [0, 1], at least
  // one), weights >= 0, discount and reservation in range; for kConstraint also that every rank
  // table fits its issue with a positive highest rank, that constraints name finite non-real
  // issues, and that every value GENIUS would read as a number is a Java int. kInvalidArgument
  // names the issue.
  Status Validate(const OutcomeSpace& space) const;
  bool operator==(const Profile& o) const = default;
};

// The value function of a finite integer or real issue as the points where its slope changes:
// (number, value) at the first value, at every kink and at the last value, so interpolating
// linearly between them gives back `values` (one per value of the issue) within 1e-9. A linear
// function is two points. Empty for a discrete issue or when values.size() != issue.size().
std::vector<std::pair<double, double>> Breakpoints(const Issue& issue,
                                                   const std::vector<double>& values);

// Utility u at normalized time t in [0, 1]: u * d^t (d of 0 or 1: no discount).
double DiscountedUtility(double utility, double discount, double t);

// A Profile compiled for one finite outcome space.
class Utility {
 public:
  // kFailedPrecondition when an issue is continuous (discretize first); kInvalidArgument when the
  // profile does not fit the space.
  static Result<Utility> Compile(const OutcomeSpace& space, const Profile& profile);

  bool linear() const { return linear_; }
  ProfileKind kind() const { return kind_; }
  size_t issue_count() const { return offsets_.size() - 1; }

  // Utility in [0, 1] of the outcome given as one value index per issue.
  double Evaluate(const uint32_t* values) const {
    if (linear_) {
      double u = 0;
      for (size_t i = 0; i + 1 < offsets_.size(); ++i) u += table_[offsets_[i] + values[i]];
      return u;
    }
    return kind_ == ProfileKind::kConstraint ? EvaluateConstraints(values)
                                             : EvaluateRectangles(values);
  }
  double Evaluate(const Outcome& outcome) const { return Evaluate(outcome.data()); }

  // Linear only: weight * value of each value of issue i (a contiguous array).
  const double* Contributions(size_t issue) const { return table_.data() + offsets_[issue]; }
  size_t IssueSize(size_t issue) const { return offsets_[issue + 1] - offsets_[issue]; }

  // False when the value crosses one of this party's red lines on that issue.
  bool Allows(size_t issue, uint32_t value) const { return allowed_[offsets_[issue] + value] != 0; }
  bool Allows(const uint32_t* values) const;
  bool has_red_lines() const { return has_red_lines_; }

  double reservation_value() const { return reservation_value_; }
  double discount() const { return discount_; }

  // Hyper-rectangles only: the boxes with bounds as value-index ranges.
  struct Box {
    double utility;
    std::vector<std::pair<uint32_t, std::pair<uint32_t, uint32_t>>> bounds;  // issue, [lo, hi]
  };
  const std::vector<Box>& boxes() const { return boxes_; }
  double box_scale() const { return box_scale_; }

 private:
  double EvaluateRectangles(const uint32_t* values) const;
  // kConstraint: per-value tables built from the ranks and constraints (constraint_utility.cc).
  struct ConstraintTables;
  static std::shared_ptr<const ConstraintTables> CompileConstraints(const OutcomeSpace& space,
                                                                    const Profile& profile);
  double EvaluateConstraints(const uint32_t* values) const;

  bool linear_ = true;
  ProfileKind kind_ = ProfileKind::kLinearAdditive;
  std::shared_ptr<const ConstraintTables> constraints_;  // Immutable, shared by copies.
  std::vector<double> table_;                            // Concatenated per-issue contributions.
  std::vector<size_t> offsets_;                          // Issue i's values start at offsets_[i].
  std::vector<uint8_t> allowed_;  // Same layout: 1 when the value crosses no red line.
  bool has_red_lines_ = false;
  std::vector<Box> boxes_;
  double box_scale_ = 1;
  double reservation_value_ = 0;
  double discount_ = 1;
};

}  // namespace shuttle

#endif  // SHUTTLE_PROFILE_H_
