// The exact Pareto frontier of linear additive utilities without enumerating the space.
//
// Why it is exact: with u_k(o) = sum_j c_kj(o_j), if value a of issue j is dominated within the
// issue by value b (c_kj(b) >= c_kj(a) for every party k, strictly for one), replacing a by b in
// any outcome weakly improves everyone, so some Pareto-optimal outcome avoids a. More generally the
// utility vectors of outcomes over issues 1..j are the Minkowski sum of those over issues 1..j-1
// and those of issue j, and a point of a sum A + B is non-dominated only if its parts are
// non-dominated in A and in B. So we keep F_j = Pareto(F_{j-1} + P_j), P_j the per-issue frontier,
// issue by issue. Red lines are per-issue: forbidden values are removed before the merge, so F is
// the frontier of the outcomes crossing no red line. Sums are formed in issue order starting from
// 0, exactly as Utility::Evaluate adds them, so reported utilities equal Evaluate bit for bit.
// Dominance uses the keys of internal.h (a 2^-40 grid).
#include <fmt/format.h>

#include <algorithm>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {
namespace {

// One kept point of a stage: the point of the previous stage it extends and this issue's value.
struct Node {
  uint32_t parent;
  uint32_t value;
};

struct Stage {
  std::vector<double> sums;  // size() x n utilities (prefix sums).
  std::vector<Node> nodes;
  size_t size() const { return nodes.size(); }
};

// The non-dominated values of issue `issue` among `allowed`, sorted by party 0 descending.
std::vector<uint32_t> IssueFrontier(const std::vector<Utility>& utilities, size_t issue,
                                    const std::vector<uint32_t>& allowed) {
  size_t n = utilities.size();
  std::vector<double> c(allowed.size() * n);
  for (size_t i = 0; i < allowed.size(); ++i) {
    for (size_t k = 0; k < n; ++k) c[i * n + k] = utilities[k].Contributions(issue)[allowed[i]];
  }
  std::vector<uint32_t> values;
  for (uint32_t i : ParetoIndices(c.data(), allowed.size(), n)) values.push_back(allowed[i]);
  return values;
}

// Two parties: the candidates F + c(v) for each v are |P| lists already sorted by party 0, so a
// |P|-way merge replaces sorting. Points whose party-0 keys tie are taken as one group and only the
// group's best party-1 key can survive.
Stage Merge2(const Stage& prev, const std::vector<Utility>& u, size_t issue,
             const std::vector<uint32_t>& values) {
  const double* c0 = u[0].Contributions(issue);
  const double* c1 = u[1].Contributions(issue);
  struct Head {
    int64_t k0, k1;
    uint32_t list, pos;
  };
  auto make = [&](uint32_t list, uint32_t pos) {
    uint32_t v = values[list];
    return Head{Key(prev.sums[pos * 2] + c0[v]), Key(prev.sums[pos * 2 + 1] + c1[v]), list, pos};
  };
  auto less = [](const Head& a, const Head& b) { return a.k0 != b.k0 ? a.k0 < b.k0 : a.k1 < b.k1; };
  std::vector<Head> heap;
  for (uint32_t l = 0; l < values.size(); ++l) heap.push_back(make(l, 0));
  std::make_heap(heap.begin(), heap.end(), less);
  Stage next;
  int64_t best = INT64_MIN;
  auto pop = [&]() {
    std::pop_heap(heap.begin(), heap.end(), less);
    Head h = heap.back();
    heap.pop_back();
    if (h.pos + 1 < prev.size()) {
      heap.push_back(make(h.list, h.pos + 1));
      std::push_heap(heap.begin(), heap.end(), less);
    }
    return h;
  };
  while (!heap.empty()) {
    Head top = pop();
    while (!heap.empty() && heap.front().k0 == top.k0) {
      Head h = pop();
      if (h.k1 > top.k1) top = h;
    }
    if (top.k1 <= best) continue;
    best = top.k1;
    uint32_t v = values[top.list];
    next.sums.push_back(prev.sums[top.pos * 2] + c0[v]);
    next.sums.push_back(prev.sums[top.pos * 2 + 1] + c1[v]);
    next.nodes.push_back({top.pos, v});
  }
  return next;
}

// Filters `stage` (candidates) in place, keeping its Pareto-optimal points in key order.
void FilterStage(Stage* stage, size_t n) {
  Stage kept;
  for (uint32_t i : ParetoIndices(stage->sums.data(), stage->size(), n)) {
    kept.sums.insert(kept.sums.end(), stage->sums.begin() + i * n,
                     stage->sums.begin() + (i + 1) * n);
    kept.nodes.push_back(stage->nodes[i]);
  }
  *stage = std::move(kept);
}

// Three or more parties: the candidates F + c(v), value by value, filtered whenever they pass
// kMaxCandidates (Pareto(A + B) = Pareto(Pareto(A) + B)), so memory stays bounded.
Stage MergeN(const Stage& prev, const std::vector<Utility>& u, size_t issue,
             const std::vector<uint32_t>& values) {
  constexpr size_t kMaxCandidates = size_t{1} << 21;
  size_t n = u.size();
  Stage next;
  size_t filtered = 0;  // Size of next after its last filtering.
  for (uint32_t v : values) {
    for (uint32_t p = 0; p < prev.size(); ++p) {
      for (size_t k = 0; k < n; ++k)
        next.sums.push_back(prev.sums[p * n + k] + u[k].Contributions(issue)[v]);
      next.nodes.push_back({p, v});
    }
    if (next.size() - filtered > kMaxCandidates) {
      FilterStage(&next, n);
      filtered = next.size();
    }
  }
  FilterStage(&next, n);
  return next;
}

// Keeps `limit` points spread evenly over the stage's order (the extremes included).
void Thin(Stage* stage, size_t n, size_t limit) {
  Stage out;
  size_t size = stage->size();
  for (size_t t = 0; t < limit; ++t) {
    size_t i = limit == 1 ? 0 : (t * (size - 1) + (limit - 1) / 2) / (limit - 1);
    out.sums.insert(out.sums.end(), stage->sums.begin() + i * n, stage->sums.begin() + (i + 1) * n);
    out.nodes.push_back(stage->nodes[i]);
  }
  *stage = std::move(out);
}

Status CheckLinear(const OutcomeSpace& space, const std::vector<Utility>& utilities) {
  if (utilities.empty()) return Status::InvalidArgument("no utilities to analyze");
  for (size_t k = 0; k < utilities.size(); ++k) {
    if (!utilities[k].linear()) {
      return Status::FailedPrecondition(fmt::format("utility {} is not linear additive", k));
    }
    if (utilities[k].issue_count() != space.issue_count()) {
      return Status::InvalidArgument(fmt::format("utility {} has {} issues, the space {}", k,
                                                 utilities[k].issue_count(), space.issue_count()));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Point>> MergeLinearFrontier(const OutcomeSpace& space,
                                               const std::vector<Utility>& utilities,
                                               size_t max_points, bool thin, bool* thinned,
                                               Progress* progress) {
  SHUTTLE_RETURN_IF_ERROR(CheckLinear(space, utilities));
  if (thinned) *thinned = false;
  max_points = std::max<size_t>(max_points, 1);
  size_t n = utilities.size(), m = space.issue_count();
  auto allowed = AllowedValues(space, utilities);
  for (const auto& values : allowed) {
    if (values.empty()) return std::vector<Point>{};  // Every outcome crosses a red line.
  }
  std::vector<Stage> stages;
  Stage start;
  start.sums.assign(n, 0.0);
  start.nodes.push_back({0, 0});
  const Stage* prev = &start;
  for (size_t j = 0; j < m; ++j) {
    std::vector<uint32_t> values = IssueFrontier(utilities, j, allowed[j]);
    stages.push_back(n == 2 ? Merge2(*prev, utilities, j, values)
                            : MergeN(*prev, utilities, j, values));
    if (stages.back().size() > max_points) {
      if (!thin) {
        return Status::OutOfRange(
            fmt::format("the Pareto frontier exceeds {} points after issue '{}'", max_points,
                        space.issue(j).name()));
      }
      Thin(&stages.back(), n, max_points);
      if (thinned) *thinned = true;
    }
    prev = &stages.back();
    // Only the last stage's sums are needed from here on; nodes are kept to rebuild outcomes.
    if (stages.size() >= 2) std::vector<double>().swap(stages[stages.size() - 2].sums);
    if (progress)
      progress->Update("merging issue frontiers",
                       static_cast<double>(j + 1) / static_cast<double>(m));
  }
  std::vector<Point> points(prev->size());
  for (size_t f = 0; f < points.size(); ++f) {
    points[f].utilities.assign(prev->sums.begin() + f * n, prev->sums.begin() + (f + 1) * n);
    points[f].outcome.assign(m, 0);
    uint32_t at = static_cast<uint32_t>(f);
    for (size_t j = m; j-- > 0;) {
      points[f].outcome[j] = stages[j].nodes[at].value;
      at = stages[j].nodes[at].parent;
    }
  }
  return points;
}

}  // namespace shuttle::analysis_internal

namespace shuttle {

Result<std::vector<Point>> LinearParetoFrontier(const OutcomeSpace& space,
                                                const std::vector<Utility>& utilities,
                                                size_t max_points) {
  return analysis_internal::MergeLinearFrontier(space, utilities, max_points, /*thin=*/false,
                                                nullptr);
}

}  // namespace shuttle
