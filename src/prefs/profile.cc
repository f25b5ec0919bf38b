#include "shuttle/profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "prefs/constraint_utility.h"

namespace shuttle {
namespace {

double Clip01(double v) { return std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0.0; }

// The piecewise-linear function through `points` (x ascending) at x; 0 without points.
double Interpolate(const std::vector<std::pair<double, double>>& points, double x) {
  if (points.empty()) return 0;
  if (x <= points.front().first) return Clip01(points.front().second);
  if (x >= points.back().first) return Clip01(points.back().second);
  // The first point with a larger x; x lies in [before.x, after.x).
  auto after =
      std::upper_bound(points.begin(), points.end(), x,
                       [](double a, const std::pair<double, double>& p) { return a < p.first; });
  if (after == points.begin() || after == points.end()) return 0;  // Points not ascending.
  auto before = after - 1;
  double t = (x - before->first) / (after->first - before->first);
  return Clip01(before->second + t * (after->second - before->second));
}

bool KindFitsType(EvaluatorKind kind, IssueType type) {
  switch (kind) {
    case EvaluatorKind::kTable: return true;  // Finite issues only: checked by ValidateLinear.
    case EvaluatorKind::kLinearFromLower: return type == IssueType::kInteger;
    case EvaluatorKind::kLinear:
    case EvaluatorKind::kTriangular:
    case EvaluatorKind::kConstant:
    case EvaluatorKind::kPiecewise: return true;
  }
  return false;
}

Status ValidatePoints(const Issue& issue, const std::vector<std::pair<double, double>>& points) {
  if (points.empty()) {
    return Status::InvalidArgument(
        fmt::format("issue '{}': a piecewise evaluator needs at least one point", issue.name()));
  }
  for (size_t k = 0; k < points.size(); ++k) {
    auto [x, v] = points[k];
    if (!std::isfinite(x) || !std::isfinite(v)) {
      return Status::InvalidArgument(fmt::format(
          "issue '{}': piecewise point {} is not a pair of finite numbers", issue.name(), k));
    }
    if (k > 0 && !(x > points[k - 1].first)) {
      return Status::InvalidArgument(
          fmt::format("issue '{}': piecewise point {}: x {} is not above the previous x {}",
                      issue.name(), k, x, points[k - 1].first));
    }
    if (v < 0 || v > 1) {
      return Status::InvalidArgument(fmt::format(
          "issue '{}': piecewise point {}: value {} is not in [0, 1]", issue.name(), k, v));
    }
  }
  return Status::Ok();
}

Status ValidateLinear(const OutcomeSpace& space, const Profile& p) {
  if (p.weights.size() != space.issue_count() || p.evaluators.size() != space.issue_count()) {
    return Status::InvalidArgument(
        fmt::format("profile has {} weights and {} evaluators for {} issues", p.weights.size(),
                    p.evaluators.size(), space.issue_count()));
  }
  for (size_t i = 0; i < space.issue_count(); ++i) {
    const Issue& issue = space.issue(i);
    const Evaluator& e = p.evaluators[i];
    if (!(p.weights[i] >= 0) || !std::isfinite(p.weights[i])) {
      return Status::InvalidArgument(
          fmt::format("issue '{}': weight {} is not >= 0", issue.name(), p.weights[i]));
    }
    if (!KindFitsType(e.kind, issue.type())) {
      return Status::InvalidArgument(
          fmt::format("issue '{}': a {} evaluator does not fit a {} issue", issue.name(),
                      EvaluatorKindName(e.kind), IssueTypeName(issue.type())));
    }
    if (e.kind == EvaluatorKind::kTable && !issue.finite()) {
      return Status::InvalidArgument(fmt::format(
          "issue '{}': a table needs a finite issue: give the real issue a step", issue.name()));
    }
    if (e.kind == EvaluatorKind::kPiecewise)
      SHUTTLE_RETURN_IF_ERROR(ValidatePoints(issue, e.points));
    if (e.kind == EvaluatorKind::kTable && e.evaluations.size() != issue.size()) {
      return Status::InvalidArgument(fmt::format("issue '{}': {} evaluations for {} values",
                                                 issue.name(), e.evaluations.size(), issue.size()));
    }
    for (double v : e.evaluations) {
      if (!std::isfinite(v)) {
        return Status::InvalidArgument(
            fmt::format("issue '{}': evaluation is not a finite number", issue.name()));
      }
    }
  }
  return Status::Ok();
}

Status ValidateRectangles(const OutcomeSpace& space, const Profile& p) {
  for (size_t r = 0; r < p.rectangles.size(); ++r) {
    for (const HyperRectangle::Bound& b : p.rectangles[r].bounds) {
      if (b.issue < 0 || static_cast<size_t>(b.issue) >= space.issue_count()) {
        return Status::InvalidArgument(
            fmt::format("hyper-rectangle {}: issue index {} out of range", r, b.issue));
      }
      if (b.min > b.max) {
        return Status::InvalidArgument(
            fmt::format("hyper-rectangle {}: issue '{}': min {} > max {}", r,
                        space.issue(b.issue).name(), b.min, b.max));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

const char* EvaluatorKindName(EvaluatorKind kind) {
  switch (kind) {
    case EvaluatorKind::kTable: return "table";
    case EvaluatorKind::kLinearFromLower: return "linear_from_lower";
    case EvaluatorKind::kLinear: return "linear";
    case EvaluatorKind::kTriangular: return "triangular";
    case EvaluatorKind::kConstant: return "constant";
    case EvaluatorKind::kPiecewise: return "piecewise";
  }
  return "?";
}

const char* RedLineKindName(RedLine::Kind kind) {
  switch (kind) {
    case RedLine::Kind::kForbid: return "forbid";
    case RedLine::Kind::kRequire: return "require";
    case RedLine::Kind::kAtMost: return "at_most";
    case RedLine::Kind::kAtLeast: return "at_least";
  }
  return "?";
}

double Evaluator::Evaluate(const Issue& issue, uint64_t index) const {
  switch (kind) {
    case EvaluatorKind::kTable: {
      if (index >= evaluations.size()) return 0;
      if (!divide_by_max) return Clip01(evaluations[index]);
      double max = *std::max_element(evaluations.begin(), evaluations.end());
      return max > 0 ? Clip01(evaluations[index] / max) : 0;
    }
    case EvaluatorKind::kLinearFromLower: {
      double x = issue.NumericValue(index).value_or(0);
      return Clip01(slope * (x - static_cast<double>(issue.int_lower())) + offset);
    }
    case EvaluatorKind::kLinear: return Clip01(p1 * issue.NumericValue(index).value_or(0) + p0);
    case EvaluatorKind::kTriangular: {
      double x = issue.NumericValue(index).value_or(0);
      if (x < p0 || x > p1) return 0;
      if (x == p2) return 1;
      if (x < p2) return p2 > p0 ? Clip01((x - p0) / (p2 - p0)) : 1;
      return p1 > p2 ? Clip01((p1 - x) / (p1 - p2)) : 1;
    }
    case EvaluatorKind::kConstant: return Clip01(p0);
    case EvaluatorKind::kPiecewise:
      return Interpolate(points, issue.NumericValue(index).value_or(0));
  }
  return 0;
}

bool RedLine::Allows(const OutcomeSpace& space, uint32_t value_index) const {
  switch (kind) {
    case Kind::kForbid: return std::find(values.begin(), values.end(), value_index) == values.end();
    case Kind::kRequire:
      return std::find(values.begin(), values.end(), value_index) != values.end();
    case Kind::kAtMost:
    case Kind::kAtLeast: {
      std::optional<double> x = space.issue(issue).NumericValue(value_index);
      if (!x) return false;
      return kind == Kind::kAtMost ? *x <= bound + 1e-12 : *x >= bound - 1e-12;
    }
  }
  return true;
}

std::string RedLine::Describe(const OutcomeSpace& space) const {
  const Issue& is = space.issue(issue);
  auto list = [&] {
    std::string out;
    for (size_t k = 0; k < values.size(); ++k) {
      out += (k ? (k + 1 == values.size() ? " or " : ", ") : "") + std::string("'") +
             is.ValueLabel(values[k]) + "'";
    }
    return out;
  };
  switch (kind) {
    case Kind::kForbid: return fmt::format("{} must not be {}", is.name(), list());
    case Kind::kRequire: return fmt::format("{} must be {}", is.name(), list());
    case Kind::kAtMost: return fmt::format("{} <= {:g}", is.name(), bound);
    case Kind::kAtLeast: return fmt::format("{} >= {:g}", is.name(), bound);
  }
  return "";
}

Status Profile::Validate(const OutcomeSpace& space) const {
  if (!std::isfinite(reservation_value))
    return Status::InvalidArgument("reservation value is not a number");
  if (!(discount >= 0 && discount <= 1)) {
    return Status::InvalidArgument(fmt::format("discount factor {} is not in [0, 1]", discount));
  }
  switch (kind) {
    case ProfileKind::kLinearAdditive: SHUTTLE_RETURN_IF_ERROR(ValidateLinear(space, *this)); break;
    case ProfileKind::kHyperRectangles:
      SHUTTLE_RETURN_IF_ERROR(ValidateRectangles(space, *this));
      break;
    case ProfileKind::kConstraint:
      SHUTTLE_RETURN_IF_ERROR(constraint_internal::ValidateConstraintProfile(space, *this));
      break;
  }
  for (const RedLine& r : red_lines) {
    if (r.issue < 0 || static_cast<size_t>(r.issue) >= space.issue_count()) {
      return Status::InvalidArgument(
          fmt::format("red line on issue index {}: no such issue", r.issue));
    }
    const Issue& issue = space.issue(r.issue);
    bool by_value = r.kind == RedLine::Kind::kForbid || r.kind == RedLine::Kind::kRequire;
    if (by_value && issue.type() == IssueType::kReal) {
      return Status::InvalidArgument(
          fmt::format("red line on real issue '{}' must be a bound", issue.name()));
    }
    for (uint32_t v : r.values) {
      if (v >= issue.size()) {
        return Status::InvalidArgument(
            fmt::format("red line on issue '{}': value index {} out of range", issue.name(), v));
      }
    }
  }
  return Status::Ok();
}

std::vector<std::pair<double, double>> Breakpoints(const Issue& issue,
                                                   const std::vector<double>& values) {
  std::vector<std::pair<double, double>> points;
  if (issue.type() == IssueType::kDiscrete || values.size() != issue.size() || values.empty())
    return points;
  auto at = [&](uint64_t i) { return std::pair{issue.NumericValue(i).value_or(0), values[i]}; };
  points.push_back(at(0));
  for (uint64_t i = 1; i + 1 < values.size(); ++i) {
    // Keep value i when the line from the last kept point through it misses value i+1.
    auto [x0, v0] = points.back();
    auto [x1, v1] = at(i);
    auto [x2, v2] = at(i + 1);
    double predicted = v0 + (v1 - v0) * (x2 - x0) / (x1 - x0);
    if (std::abs(predicted - v2) > 1e-9) points.push_back(at(i));
  }
  if (values.size() > 1) points.push_back(at(values.size() - 1));
  return points;
}

double DiscountedUtility(double utility, double discount, double t) {
  if (discount <= 0 || discount >= 1) return utility;
  return utility * std::pow(discount, std::clamp(t, 0.0, 1.0));
}

const char* ProfileKindName(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::kLinearAdditive: return "linear_additive";
    case ProfileKind::kHyperRectangles: return "hyper_rectangles";
    case ProfileKind::kConstraint: return "genius_constraint";
  }
  return "?";
}

}  // namespace shuttle
