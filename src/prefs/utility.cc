#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "shuttle/profile.h"

namespace shuttle {

Result<Utility> Utility::Compile(const OutcomeSpace& space, const Profile& profile) {
  for (const Issue& issue : space.issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(
          fmt::format("issue '{}' is continuous: discretize it with a step first", issue.name()));
    }
  }
  SHUTTLE_RETURN_IF_ERROR(profile.Validate(space));
  Utility u;
  u.linear_ = profile.kind == ProfileKind::kLinearAdditive;
  u.kind_ = profile.kind;
  u.reservation_value_ = profile.reservation_value;
  u.discount_ = profile.discount;
  u.offsets_.push_back(0);
  for (const Issue& issue : space.issues()) u.offsets_.push_back(u.offsets_.back() + issue.size());
  u.table_.assign(u.offsets_.back(), 0.0);
  u.allowed_.assign(u.offsets_.back(), 1);
  if (u.linear_) {
    for (size_t i = 0; i < space.issue_count(); ++i) {
      const Issue& issue = space.issue(i);
      const Evaluator& e = profile.evaluators[i];
      double max_eval = 0;
      if (e.kind == EvaluatorKind::kTable && e.divide_by_max) {
        for (double v : e.evaluations) max_eval = std::max(max_eval, v);
      }
      for (uint64_t v = 0; v < issue.size(); ++v) {
        double value;
        if (e.kind == EvaluatorKind::kTable && e.divide_by_max) {
          // Hoisted division: Evaluate() would rescan for the maximum per value.
          value = max_eval > 0 ? std::clamp(e.evaluations[v] / max_eval, 0.0, 1.0) : 0.0;
        } else {
          value = e.Evaluate(issue, v);
        }
        u.table_[u.offsets_[i] + v] = profile.weights[i] * value;
      }
    }
  } else if (profile.kind == ProfileKind::kConstraint) {
    u.constraints_ = CompileConstraints(space, profile);
  } else {
    u.box_scale_ = profile.max_utility > 0 ? 1.0 / profile.max_utility : 1.0;
    for (const HyperRectangle& r : profile.rectangles) {
      Box box{r.utility, {}};
      bool empty = false;
      for (const HyperRectangle::Bound& b : r.bounds) {
        const Issue& issue = space.issue(b.issue);
        // Value indices whose numbers fall within [min, max]; numbers increase with the index.
        uint32_t lo = UINT32_MAX, hi = 0;
        for (uint64_t v = 0; v < issue.size(); ++v) {
          double x = issue.NumericValue(v).value_or(NAN);
          if (x >= b.min - 1e-12 && x <= b.max + 1e-12) {
            lo = std::min<uint32_t>(lo, static_cast<uint32_t>(v));
            hi = std::max<uint32_t>(hi, static_cast<uint32_t>(v));
          }
        }
        if (lo == UINT32_MAX) empty = true;
        box.bounds.push_back({static_cast<uint32_t>(b.issue), {lo, hi}});
      }
      if (!empty) u.boxes_.push_back(std::move(box));
    }
  }
  for (const RedLine& r : profile.red_lines) {
    u.has_red_lines_ = true;
    for (uint64_t v = 0; v < space.issue(r.issue).size(); ++v) {
      if (!r.Allows(space, static_cast<uint32_t>(v))) u.allowed_[u.offsets_[r.issue] + v] = 0;
    }
  }
  return u;
}

bool Utility::Allows(const uint32_t* values) const {
  if (!has_red_lines_) return true;
  for (size_t i = 0; i + 1 < offsets_.size(); ++i) {
    if (!allowed_[offsets_[i] + values[i]]) return false;
  }
  return true;
}

double Utility::EvaluateRectangles(const uint32_t* values) const {
  double sum = 0;
  for (const Box& box : boxes_) {
    bool inside = true;
    for (const auto& [issue, range] : box.bounds) {
      if (values[issue] < range.first || values[issue] > range.second) {
        inside = false;
        break;
      }
    }
    if (inside) sum += box.utility;
  }
  return sum * box_scale_;
}

}  // namespace shuttle
