// Enumeration of the outcomes no red line forbids. Red lines are per-issue, so those outcomes are
// the product of each issue's allowed values, and the enumeration walks that product directly
// (an odometer, last issue fastest) instead of filtering the whole space.
#include <algorithm>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {

std::vector<std::vector<uint32_t>> AllowedValues(const OutcomeSpace& space,
                                                 const std::vector<Utility>& utilities) {
  std::vector<std::vector<uint32_t>> allowed(space.issue_count());
  for (size_t i = 0; i < space.issue_count(); ++i) {
    uint64_t size = space.issue(i).size();
    for (uint64_t v = 0; v < size; ++v) {
      bool ok = std::all_of(utilities.begin(), utilities.end(), [&](const Utility& u) {
        return u.Allows(i, static_cast<uint32_t>(v));
      });
      if (ok) allowed[i].push_back(static_cast<uint32_t>(v));
    }
  }
  return allowed;
}

BigCount CountProduct(const std::vector<std::vector<uint32_t>>& allowed) {
  BigCount count(1);
  for (const auto& values : allowed) count.MultiplyBy(values.size());
  return count;
}

namespace {

class Enumerator {
 public:
  Enumerator(const OutcomeSpace& space, const std::vector<Utility>& utilities,
             const std::vector<double>& rv, bool want_frontier, Progress* progress)
      : utilities_(utilities),
        rv_(rv),
        allowed_(AllowedValues(space, utilities)),
        m_(space.issue_count()),
        n_(utilities.size()),
        want_frontier_(want_frontier),
        progress_(progress),
        accumulator_(utilities.size()) {
    BigCount total = CountProduct(allowed_);
    total_ = total.FitsU64() ? total.ToU64() : UINT64_MAX;
  }

  EnumerationResult Run() {
    if (total_ == 0) return {};
    values_.assign(std::max<size_t>(m_, 1), 0);
    pos_.assign(m_, 0);
    partial_.assign((m_ + 1) * n_, 0.0);
    u_.assign(n_, 0.0);
    if (m_ == 0) {
      Visit();
    } else {
      RunOdometer();
    }
    if (want_frontier_) result_.frontier = accumulator_.Finish();
    if (progress_) progress_->Update("enumerating outcomes", 1.0);
    return std::move(result_);
  }

 private:
  // Sets issue d's value from its position and extends the linear prefix sums.
  void SetIssue(size_t d) {
    values_[d] = allowed_[d][pos_[d]];
    for (size_t k = 0; k < n_; ++k) {
      if (!utilities_[k].linear()) continue;
      partial_[(d + 1) * n_ + k] =
          partial_[d * n_ + k] + utilities_[k].Contributions(d)[values_[d]];
    }
  }

  void Visit() {
    for (size_t k = 0; k < n_; ++k) u_[k] = utilities_[k].Evaluate(values_.data());
    Record();
  }

  void Record() {
    ++result_.visited;
    if (Rational(u_.data(), rv_)) ++result_.rational_count;
    if (want_frontier_) accumulator_.Add(values_.data(), m_, u_.data());
  }

  // Every value of the last issue with the prefix fixed.
  void InnerLoop() {
    size_t last = m_ - 1;
    for (uint32_t v : allowed_[last]) {
      values_[last] = v;
      for (size_t k = 0; k < n_; ++k) {
        const Utility& u = utilities_[k];
        u_[k] = u.linear() ? partial_[last * n_ + k] + u.Contributions(last)[v]
                           : u.Evaluate(values_.data());
      }
      Record();
    }
  }

  void RunOdometer() {
    uint64_t report_every = std::max<uint64_t>(total_ / 200, 1);
    uint64_t next_report = report_every;
    size_t from = 0;
    while (true) {
      for (size_t d = from; d + 1 < m_; ++d) SetIssue(d);
      InnerLoop();
      if (progress_ && result_.visited >= next_report) {
        progress_->Update("enumerating outcomes",
                          static_cast<double>(result_.visited) / static_cast<double>(total_));
        next_report = result_.visited + report_every;
      }
      // Advance issues 0..m-2; the last issue is covered by the inner loop.
      size_t d = m_ - 1;
      while (d > 0) {
        --d;
        if (++pos_[d] < allowed_[d].size()) break;
        pos_[d] = 0;
        if (d == 0) return;
      }
      if (m_ == 1) return;
      from = d;
    }
  }

  const std::vector<Utility>& utilities_;
  const std::vector<double>& rv_;
  std::vector<std::vector<uint32_t>> allowed_;
  size_t m_, n_;
  bool want_frontier_;
  Progress* progress_;
  uint64_t total_ = 0;
  std::vector<uint32_t> values_;
  std::vector<size_t> pos_;
  std::vector<double> partial_;  // (m + 1) x n: party k's linear sum over issues < d.
  std::vector<double> u_;
  FrontierAccumulator accumulator_;
  EnumerationResult result_;
};

}  // namespace

EnumerationResult EnumerateAllowed(const OutcomeSpace& space, const std::vector<Utility>& utilities,
                                   const std::vector<double>& rv, bool want_frontier,
                                   Progress* progress) {
  return Enumerator(space, utilities, rv, want_frontier, progress).Run();
}

}  // namespace shuttle::analysis_internal

namespace shuttle {

std::vector<Point> EnumeratedParetoFrontier(const OutcomeSpace& space,
                                            const std::vector<Utility>& utilities,
                                            Progress* progress) {
  std::vector<double> rv;
  for (const Utility& u : utilities) rv.push_back(u.reservation_value());
  return analysis_internal::EnumerateAllowed(space, utilities, rv, /*want_frontier=*/true, progress)
      .frontier;
}

}  // namespace shuttle
