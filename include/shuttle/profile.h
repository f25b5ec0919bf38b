// Preferences: what one party wants, as files describe it, and in compiled form for fast evaluation.
//
// A Profile is a plain description (as read from GENIUS XML, GeniusWeb JSON or Shuttle JSON): a
// linear additive utility (weights and one Evaluator per issue) or a sum of hyper-rectangles
// (ANAC 2014), plus a reservation value, a discount factor and red lines. Profiles keep the
// form of the file so that writing them back is exact.
//
// A Utility is a Profile compiled against a finite OutcomeSpace: per-issue contribution tables
// (weight * value function) in contiguous arrays, so evaluation is a few additions and nothing
// allocates. Both are values; a compiled Utility is immutable and safe to share between threads.
#ifndef SHUTTLE_PROFILE_H_
#define SHUTTLE_PROFILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle {

// The value function of one issue, in [0, 1] after evaluation.
enum class EvaluatorKind {
  kTable,            // discrete: raw evaluations per value; v = e / max(e) when divide_by_max
  kLinearFromLower,  // integer (GENIUS): v = slope * (x - lower) + offset, clipped to [0, 1]
  kLinear,           // real (GENIUS) and GeniusWeb numbers: v = p1 * x + p0, clipped to [0, 1]
  kTriangular,       // real: 0 outside [p0, p1], rising to 1 at p2, then falling
  kConstant,         // v = p0 clipped to [0, 1]
};
const char* EvaluatorKindName(EvaluatorKind kind);

struct Evaluator {
  EvaluatorKind kind = EvaluatorKind::kTable;
  // kTable: one raw evaluation per value of the issue, in the issue's value order.
  std::vector<double> evaluations;
  // kTable: GENIUS divides by the issue's maximum evaluation; GeniusWeb and Shuttle JSON may not.
  // Default: true.
  bool divide_by_max = true;
  double slope = 0, offset = 0;  // kLinearFromLower
  double p0 = 0, p1 = 0, p2 = 0;  // kLinear, kTriangular, kConstant

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
  int issue = 0;                // Index into the outcome space.
  std::vector<uint32_t> values;  // kForbid / kRequire: value indices.
  double bound = 0;              // kAtMost / kAtLeast: compared with Issue::NumericValue.
  std::string note;              // Why, in the party's words (optional).

  bool Allows(const OutcomeSpace& space, uint32_t value_index) const;
  // "settlements must not be continue", "price <= 4.12".
  std::string Describe(const OutcomeSpace& space) const;
  bool operator==(const RedLine& o) const = default;
};
const char* RedLineKindName(RedLine::Kind kind);  // "forbid", "require", "at_most", "at_least"

enum class ProfileKind { kLinearAdditive, kHyperRectangles };

struct Profile {
  ProfileKind kind = ProfileKind::kLinearAdditive;
  // kLinearAdditive: one weight and one evaluator per issue of the space.
  std::vector<double> weights;
  std::vector<Evaluator> evaluators;
  // kHyperRectangles: utility = sum of the utilities of the boxes containing the outcome,
  // divided by max_utility when that is > 0 (GENIUS "maxutility"). Default: 0 (no division).
  std::vector<HyperRectangle> rectangles;
  double max_utility = 0;
  // Utility of no agreement. Default: 0.
  double reservation_value = 0;
  // d in (0, 1]; GENIUS treats 0 and 1 as no discount. Default: 1.
  double discount = 1;
  std::vector<RedLine> red_lines;

  // Checks the profile against a space: arity, evaluator kinds per issue type, table sizes,
  // weights >= 0, discount and reservation in range. kInvalidArgument names the issue.
  Status Validate(const OutcomeSpace& space) const;
  bool operator==(const Profile& o) const = default;
};

// Utility u at normalized time t in [0, 1]: u * d^t (d of 0 or 1: no discount).
double DiscountedUtility(double utility, double discount, double t);

// A Profile compiled for one finite outcome space.
class Utility {
 public:
  // kFailedPrecondition when an issue is continuous (discretize first); kInvalidArgument when the
  // profile does not fit the space.
  static Result<Utility> Compile(const OutcomeSpace& space, const Profile& profile);

  bool linear() const { return linear_; }
  size_t issue_count() const { return offsets_.size() - 1; }

  // Utility in [0, 1] of the outcome given as one value index per issue.
  double Evaluate(const uint32_t* values) const {
    if (linear_) {
      double u = 0;
      for (size_t i = 0; i + 1 < offsets_.size(); ++i) u += table_[offsets_[i] + values[i]];
      return u;
    }
    return EvaluateRectangles(values);
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

  bool linear_ = true;
  std::vector<double> table_;     // Concatenated per-issue contributions.
  std::vector<size_t> offsets_;   // Issue i's values start at offsets_[i].
  std::vector<uint8_t> allowed_;  // Same layout: 1 when the value crosses no red line.
  bool has_red_lines_ = false;
  std::vector<Box> boxes_;
  double box_scale_ = 1;
  double reservation_value_ = 0;
  double discount_ = 1;
};

}  // namespace shuttle

#endif  // SHUTTLE_PROFILE_H_
