#include "strategy/outcome_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <queue>

#include "strategy/rng.h"
#include "strategy/utility_sort.h"

namespace shuttle::strategy {
namespace {

// Candidate sets keep at most this many outcome values in memory (64 MiB).
constexpr uint64_t kMaxCandidateValues = uint64_t{1} << 24;
// Best-first enumeration keeps at most this many rank values in its pool (32 MiB).
constexpr uint64_t kMaxPoolValues = uint64_t{1} << 23;
// A concession chain stops after this many steps (an issue with millions of values).
constexpr uint64_t kMaxChainSteps = uint64_t{1} << 16;
// Hyper-rectangle candidate sets: climbs from this many of the best samples, this many passes.
constexpr size_t kClimbStarts = 16;
constexpr int kClimbPasses = 10;

using Allowed = std::vector<std::vector<uint32_t>>;

// Outcomes gathered for a candidate set, with their utilities, before sorting.
struct Rows {
  size_t n = 0;
  std::vector<uint32_t> values;
  std::vector<double> utilities;

  void Add(const uint32_t* outcome, double u) {
    values.insert(values.end(), outcome, outcome + n);
    utilities.push_back(u);
  }
  size_t size() const { return utilities.size(); }
  const uint32_t* row(size_t r) const { return values.data() + r * n; }
};

// Product of the allowed counts, saturating at UINT64_MAX.
uint64_t AllowedCount(const Allowed& allowed) {
  uint64_t count = 1;
  for (const auto& values : allowed) {
    if (values.empty()) return 0;
    if (count > UINT64_MAX / values.size()) return UINT64_MAX;
    count *= values.size();
  }
  return count;
}

// Per issue, the allowed values from the best contribution to the worst (ties: lower value first).
Allowed ByContribution(const Utility& utility, const Allowed& allowed) {
  Allowed order = allowed;
  for (size_t i = 0; i < order.size(); ++i) {
    const double* c = utility.Contributions(i);
    std::stable_sort(order[i].begin(), order[i].end(),
                     [c](uint32_t a, uint32_t b) { return c[a] > c[b]; });
  }
  return order;
}

// The `k` best outcomes of a linear utility, best first. Each rank vector has one parent (itself
// with its last non-zero rank lowered by one), so expanding only ranks at or after the pivot
// visits every vector once, and children are never better than their parent.
void AddTop(const Utility& utility, const Allowed& order, uint64_t k, Rows* rows) {
  const size_t n = order.size();
  k = std::min<uint64_t>(k, kMaxPoolValues / std::max<size_t>(1, n * n));
  struct Node {
    double sum;
    uint32_t state;
    uint32_t pivot;
    bool operator<(const Node& o) const { return sum < o.sum || (sum == o.sum && state > o.state); }
  };
  std::vector<uint32_t> pool(n, 0);
  std::priority_queue<Node> heap;
  double best = 0;
  for (size_t i = 0; i < n; ++i) best += utility.Contributions(i)[order[i][0]];
  heap.push({best, 0, 0});
  std::vector<uint32_t> outcome(n);
  for (uint64_t emitted = 0; emitted < k && !heap.empty(); ++emitted) {
    Node node = heap.top();
    heap.pop();
    const size_t base = static_cast<size_t>(node.state) * n;
    for (size_t i = 0; i < n; ++i) outcome[i] = order[i][pool[base + i]];
    rows->Add(outcome.data(), utility.Evaluate(outcome.data()));
    for (size_t q = node.pivot; q < n; ++q) {
      const uint32_t r = pool[base + q];
      if (r + 1 >= order[q].size()) continue;
      const double* c = utility.Contributions(q);
      const double sum = node.sum - c[order[q][r]] + c[order[q][r + 1]];
      const uint32_t child = static_cast<uint32_t>(pool.size() / n);
      pool.insert(pool.end(), pool.begin() + base, pool.begin() + base + n);
      ++pool[static_cast<size_t>(child) * n + q];
      heap.push({sum, child, static_cast<uint32_t>(q)});
    }
  }
}

// A concession chain from the best outcome: each step lowers one issue by one rank, the issue
// with the smallest loss (greedy) or a random one. Ends at the worst outcome or the step cap.
void AddChain(const Utility& utility, const Allowed& order, Rng* rng, Rows* rows) {
  const size_t n = order.size();
  std::vector<uint32_t> rank(n, 0), outcome(n);
  size_t open = 0;  // Issues not yet at their worst value.
  for (size_t i = 0; i < n; ++i) open += order[i].size() > 1;
  for (uint64_t step = 0; step < kMaxChainSteps && open > 0; ++step) {
    size_t pick = n;
    if (rng == nullptr) {
      double least = 0;
      for (size_t q = 0; q < n; ++q) {
        if (rank[q] + 1 >= order[q].size()) continue;
        const double* c = utility.Contributions(q);
        const double loss = c[order[q][rank[q]]] - c[order[q][rank[q] + 1]];
        if (pick == n || loss < least) pick = q, least = loss;
      }
    } else {
      pick = rng->Below(n);
      while (rank[pick] + 1 >= order[pick].size()) pick = (pick + 1) % n;
    }
    if (++rank[pick] + 1 >= order[pick].size()) --open;
    for (size_t i = 0; i < n; ++i) outcome[i] = order[i][rank[i]];
    rows->Add(outcome.data(), utility.Evaluate(outcome.data()));
  }
}

void AddSamples(const Utility& utility, const Allowed& allowed, uint64_t count, Rng* rng,
                Rows* rows) {
  std::vector<uint32_t> outcome(allowed.size());
  for (uint64_t s = 0; s < count; ++s) {
    for (size_t i = 0; i < allowed.size(); ++i)
      outcome[i] = allowed[i][rng->Below(allowed[i].size())];
    rows->Add(outcome.data(), utility.Evaluate(outcome.data()));
  }
}

// Coordinate ascent from the best sampled rows; every improving step becomes a row.
void AddClimbs(const Utility& utility, const Allowed& allowed, Rows* rows) {
  std::vector<uint32_t> starts(rows->size());
  std::iota(starts.begin(), starts.end(), 0);
  const size_t count = std::min(kClimbStarts, starts.size());
  std::partial_sort(starts.begin(), starts.begin() + count, starts.end(),
                    [&](uint32_t a, uint32_t b) {
                      return rows->utilities[a] > rows->utilities[b] ||
                             (rows->utilities[a] == rows->utilities[b] && a < b);
                    });
  std::vector<uint32_t> outcome(rows->n);
  for (size_t s = 0; s < count; ++s) {
    std::copy_n(rows->row(starts[s]), rows->n, outcome.begin());
    double u = rows->utilities[starts[s]];
    for (int pass = 0; pass < kClimbPasses; ++pass) {
      bool improved = false;
      for (size_t i = 0; i < rows->n; ++i) {
        const uint32_t keep = outcome[i];
        for (uint32_t v : allowed[i]) {
          outcome[i] = v;
          const double w = utility.Evaluate(outcome.data());
          if (w > u + OutcomeIndex::kTolerance) {
            u = w;
            improved = true;
            rows->Add(outcome.data(), u);
            break;
          }
          outcome[i] = keep;
        }
      }
      if (!improved) break;
    }
  }
}

// The utilities of a linear utility's allowed outcomes by code (the odometer over the allowed
// values, last issue fastest), computed a chunk at a time instead of held. Each is the running
// sum of the issues before the last (kept per prefix of issues) plus the last issue's
// contribution: the terms and their order are Utility::Evaluate's, so the sums are bit-identical
// to it (outcome_index_test checks), at about one addition an outcome.
class LinearUtilities final : public UtilitySource {
 public:
  LinearUtilities(const Utility& utility, const Allowed& allowed, uint64_t count)
      : count_(count), c_(allowed.size()), rank_(allowed.size()), prefix_(allowed.size()) {
    for (size_t i = 0; i < allowed.size(); ++i) {
      for (uint32_t v : allowed[i]) c_[i].push_back(utility.Contributions(i)[v]);
    }
  }
  uint64_t size() const override { return count_; }
  void Fill(uint64_t first, size_t count, double* out) const override {
    const size_t n = c_.size();
    for (size_t i = n; i-- > 0;) {
      rank_[i] = static_cast<uint32_t>(first % c_[i].size());
      first /= c_[i].size();
    }
    prefix_[0] = 0;
    for (size_t i = 1; i < n; ++i) prefix_[i] = prefix_[i - 1] + c_[i - 1][rank_[i - 1]];
    const std::vector<double>& last = c_[n - 1];
    for (size_t k = 0, r = rank_[n - 1];; r = 0) {
      const double base = prefix_[n - 1];
      const size_t stop = std::min(last.size(), r + (count - k));
      for (; r < stop; ++r) out[k++] = base + last[r];
      if (k == count) return;
      size_t i = n - 1;  // Advance issues 0 .. n-2; the prefixes from i on are then stale.
      while (i > 0 && ++rank_[i - 1] == c_[i - 1].size()) rank_[--i] = 0;
      for (size_t j = std::max<size_t>(i, 1); j < n; ++j)
        prefix_[j] = prefix_[j - 1] + c_[j - 1][rank_[j - 1]];
    }
  }

 private:
  uint64_t count_;
  std::vector<std::vector<double>> c_;  // Per issue, the allowed values' contributions.
  // Fill's odometer: the rank of each issue's value, the sum over the issues before each issue.
  mutable std::vector<uint32_t> rank_;
  mutable std::vector<double> prefix_;
};

// Every allowed outcome's utility by code, through Utility::Evaluate (any kind of utility).
std::vector<double> EvaluatedUtilities(const Utility& utility, const Allowed& allowed,
                                       uint64_t count) {
  const size_t n = allowed.size();
  std::vector<double> utilities(count);
  std::vector<uint32_t> rank(n, 0), outcome(n);
  for (size_t i = 0; i < n; ++i) outcome[i] = allowed[i][0];
  for (uint64_t code = 0; code < count; ++code) {
    utilities[code] = utility.Evaluate(outcome.data());
    for (size_t i = n; i-- > 0;) {
      if (++rank[i] < allowed[i].size()) {
        outcome[i] = allowed[i][rank[i]];
        break;
      }
      rank[i] = 0;
      outcome[i] = allowed[i][0];
    }
  }
  return utilities;
}

}  // namespace

Status OutcomeIndex::Build(const OutcomeSpace& space, const Utility& utility,
                           const IndexOptions& options) {
  for (const Issue& issue : space.issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(
          fmt::format("issue '{}' is continuous: discretize it before indexing", issue.name()));
    }
  }
  issue_count_ = space.issue_count();
  utilities_.clear();
  codes_.clear();
  values_.clear();
  allowed_.assign(issue_count_, {});
  for (size_t i = 0; i < issue_count_; ++i) {
    for (uint64_t v = 0; v < space.issue(i).size(); ++v) {
      if (utility.Allows(i, static_cast<uint32_t>(v)))
        allowed_[i].push_back(static_cast<uint32_t>(v));
    }
  }
  const uint64_t count = AllowedCount(allowed_);
  exact_ = true;
  if (count == 0) {
    method_ = "no outcome: red lines forbid every value of an issue";
    return Status::Ok();
  }
  if (count <= std::min<uint64_t>(options.full_limit, UINT32_MAX)) {
    BuildExact(utility, count);
    return Status::Ok();
  }
  BuildCandidates(utility, count, options);
  return Status::Ok();
}

void OutcomeIndex::BuildExact(const Utility& utility, uint64_t count) {
  method_ = fmt::format("all {} allowed outcomes", count);
  // Codes ascend in outcome order and the sort keeps ties in code order: ties are lexicographic.
  if (utility.linear() && issue_count_ > 0) {
    SortByUtility(LinearUtilities(utility, allowed_, count), &utilities_, &codes_);
  } else {
    SortByUtility(EvaluatedUtilities(utility, allowed_, count), &utilities_, &codes_);
  }
}

void OutcomeIndex::BuildCandidates(const Utility& utility, uint64_t count,
                                   const IndexOptions& options) {
  const size_t n = issue_count_;
  exact_ = false;
  Rows rows;
  rows.n = n;
  Rng rng(options.seed);
  const uint64_t samples =
      std::min<uint64_t>(options.samples, kMaxCandidateValues / std::max<size_t>(1, n));
  const std::string total =
      count == UINT64_MAX ? std::string("over 1.8e19") : std::to_string(count);
  if (utility.linear()) {
    const Allowed order = ByContribution(utility, allowed_);
    AddTop(utility, order, options.top, &rows);
    const size_t top = rows.size();
    AddChain(utility, order, nullptr, &rows);
    for (int c = 0; c < options.chains; ++c) AddChain(utility, order, &rng, &rows);
    const size_t chained = rows.size() - top;
    AddSamples(utility, allowed_, samples, &rng, &rows);
    method_ = fmt::format(
        "candidate set of {} allowed outcomes: the {} best, {} on {} concession chains, {} uniform "
        "samples",
        total, top, chained, options.chains + 1, samples);
  } else {
    AddSamples(utility, allowed_, samples, &rng, &rows);
    AddClimbs(utility, allowed_, &rows);
    method_ = fmt::format(
        "candidate set of {} allowed outcomes: {} uniform samples, {} hill-climbing steps", total,
        samples, rows.size() - samples);
  }
  // Sort by (utility, outcome) and drop duplicates (equal outcomes have equal utilities).
  std::vector<uint32_t> perm(rows.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
    if (rows.utilities[a] != rows.utilities[b]) return rows.utilities[a] < rows.utilities[b];
    return std::lexicographical_compare(rows.row(a), rows.row(a) + n, rows.row(b), rows.row(b) + n);
  });
  perm.erase(std::unique(perm.begin(), perm.end(),
                         [&](uint32_t a, uint32_t b) {
                           return std::equal(rows.row(a), rows.row(a) + n, rows.row(b));
                         }),
             perm.end());
  utilities_.reserve(perm.size());
  values_.reserve(perm.size() * n);
  for (uint32_t r : perm) {
    utilities_.push_back(rows.utilities[r]);
    values_.insert(values_.end(), rows.row(r), rows.row(r) + n);
  }
}

void OutcomeIndex::Get(size_t i, uint32_t* out) const {
  if (exact_) {
    uint32_t code = codes_[i];
    for (size_t k = issue_count_; k-- > 0;) {
      const uint32_t size = static_cast<uint32_t>(allowed_[k].size());
      out[k] = allowed_[k][code % size];
      code /= size;
    }
    return;
  }
  std::memcpy(out, values_.data() + i * issue_count_, issue_count_ * sizeof(uint32_t));
}

size_t OutcomeIndex::LowerBound(double u) const {
  return static_cast<size_t>(
      std::lower_bound(utilities_.begin(), utilities_.end(), u - kTolerance) - utilities_.begin());
}

}  // namespace shuttle::strategy
