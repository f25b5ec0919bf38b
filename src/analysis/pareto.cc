// Pareto filters on utility keys. All of them sort first, so a point can only be dominated by a
// point that comes before it: for two parties a sweep suffices, for three a sweep that asks a
// Fenwick tree of maxima (Kung et al.'s staircase, offline), for more an offline divide and
// conquer on top of that (Dominance).
#include <algorithm>
#include <numeric>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {
namespace {

std::vector<int64_t> Keys(const double* utilities, size_t count, size_t n) {
  std::vector<int64_t> keys(count * n);
  for (size_t i = 0; i < count * n; ++i) keys[i] = Key(utilities[i]);
  return keys;
}

// Indices sorted by key vector lexicographically descending.
std::vector<uint32_t> LexOrder(const std::vector<int64_t>& keys, size_t count, size_t n) {
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const int64_t* ka = &keys[a * n];
    const int64_t* kb = &keys[b * n];
    for (size_t k = 0; k < n; ++k) {
      if (ka[k] != kb[k]) return ka[k] > kb[k];
    }
    return a < b;
  });
  return order;
}

std::vector<uint32_t> Filter1(const std::vector<int64_t>& keys, size_t count) {
  auto order = LexOrder(keys, count, 1);
  return {order.front()};
}

std::vector<uint32_t> Filter2(const std::vector<int64_t>& keys, size_t count) {
  std::vector<uint32_t> kept;
  int64_t best = INT64_MIN;
  for (uint32_t i : LexOrder(keys, count, 2)) {
    if (keys[i * 2 + 1] > best) {
      best = keys[i * 2 + 1];
      kept.push_back(i);
    }
  }
  return kept;
}

// Pairs (x, y) with the query "largest y among pairs with x >= a given value", over a set of x
// known in advance: a Fenwick tree of maxima indexed by x rank, descending.
class SuffixMax {
 public:
  explicit SuffixMax(std::vector<int64_t> xs) : xs_(std::move(xs)) {
    std::sort(xs_.begin(), xs_.end());
    xs_.erase(std::unique(xs_.begin(), xs_.end()), xs_.end());
    tree_.assign(xs_.size() + 1, INT64_MIN);
  }
  // x must be one of the values given at construction.
  void Insert(int64_t x, int64_t y) {
    for (size_t i = Reversed(x) + 1; i < tree_.size(); i += i & (~i + 1))
      tree_[i] = std::max(tree_[i], y);
  }
  int64_t AtLeast(int64_t x) const {
    size_t rank = static_cast<size_t>(std::lower_bound(xs_.begin(), xs_.end(), x) - xs_.begin());
    if (rank == xs_.size()) return INT64_MIN;
    int64_t best = INT64_MIN;
    for (size_t i = xs_.size() - rank; i > 0; i -= i & (~i + 1)) best = std::max(best, tree_[i]);
    return best;
  }

 private:
  size_t Reversed(int64_t x) const {
    return xs_.size() - 1 -
           static_cast<size_t>(std::lower_bound(xs_.begin(), xs_.end(), x) - xs_.begin());
  }
  std::vector<int64_t> xs_;
  std::vector<int64_t> tree_;  // 1-based.
};

// Offline dominance for three or more parties. Items form a sequence; some insert, some query; a
// query is dominated when an earlier inserter is >= it on every dimension from `d` on. Two
// dimensions left: a sweep asking a SuffixMax; one: a running maximum; more: divide and conquer on
// the sequence (CDQ): solve each half, then the left half's inserters against the right half's
// queries, where order no longer matters, so sorting them by dimension d turns that into the same
// problem with one dimension less. O(N log^(n-2) N) for n parties.
class Dominance {
 public:
  struct Item {
    uint32_t id;
    bool insert, query;
  };

  Dominance(const std::vector<int64_t>& keys, size_t n, std::vector<uint8_t>* dominated)
      : keys_(keys), n_(n), dominated_(*dominated) {}

  void Solve(std::vector<Item>& seq, size_t d) {
    size_t left = n_ - d;
    if (left == 1) return Sweep1(seq, d);
    if (left == 2) return Sweep2(seq, d);
    Split(seq, 0, seq.size(), d);
  }

 private:
  int64_t K(uint32_t id, size_t d) const { return keys_[static_cast<size_t>(id) * n_ + d]; }

  void Sweep1(const std::vector<Item>& seq, size_t d) {
    int64_t best = INT64_MIN;
    bool any = false;
    for (const Item& it : seq) {
      if (it.query && any && best >= K(it.id, d)) dominated_[it.id] = 1;
      if (it.insert) {
        best = any ? std::max(best, K(it.id, d)) : K(it.id, d);
        any = true;
      }
    }
  }

  void Sweep2(const std::vector<Item>& seq, size_t d) {
    std::vector<int64_t> xs;
    xs.reserve(seq.size());
    for (const Item& it : seq) xs.push_back(K(it.id, d));
    SuffixMax best(std::move(xs));
    for (const Item& it : seq) {
      int64_t x = K(it.id, d), y = K(it.id, d + 1);
      if (it.query && best.AtLeast(x) >= y) dominated_[it.id] = 1;
      if (it.insert) best.Insert(x, y);
    }
  }

  bool Covers(uint32_t p, uint32_t q, size_t d) const {
    for (size_t k = d; k < n_; ++k) {
      if (K(p, k) < K(q, k)) return false;
    }
    return true;
  }

  void Split(std::vector<Item>& seq, size_t lo, size_t hi, size_t d) {
    if (hi - lo <= 32) {  // Small ranges: pairwise.
      for (size_t j = lo + 1; j < hi; ++j) {
        if (!seq[j].query || dominated_[seq[j].id]) continue;
        for (size_t i = lo; i < j; ++i) {
          if (seq[i].insert && Covers(seq[i].id, seq[j].id, d)) {
            dominated_[seq[j].id] = 1;
            break;
          }
        }
      }
      return;
    }
    size_t mid = lo + (hi - lo) / 2;
    Split(seq, lo, mid, d);
    Split(seq, mid, hi, d);
    std::vector<Item> cross;
    for (size_t i = lo; i < mid; ++i) {
      if (seq[i].insert) cross.push_back({seq[i].id, true, false});
    }
    if (cross.empty()) return;
    size_t inserters = cross.size();
    for (size_t i = mid; i < hi; ++i) {
      if (seq[i].query && !dominated_[seq[i].id]) cross.push_back({seq[i].id, false, true});
    }
    if (cross.size() == inserters) return;
    // By dimension d descending; on ties inserters first (>= counts).
    std::stable_sort(cross.begin(), cross.end(), [&](const Item& a, const Item& b) {
      int64_t ka = K(a.id, d), kb = K(b.id, d);
      return ka != kb ? ka > kb : a.insert && !b.insert;
    });
    Solve(cross, d + 1);
  }

  const std::vector<int64_t>& keys_;
  size_t n_;
  std::vector<uint8_t>& dominated_;
};

std::vector<uint32_t> FilterN(const std::vector<int64_t>& keys, size_t count, size_t n) {
  // In lexicographic order a point can only be dominated (or duplicated) by an earlier one, and an
  // earlier point >= it on parties 1..n-1 is >= on party 0 too.
  std::vector<uint32_t> order = LexOrder(keys, count, n);
  std::vector<Dominance::Item> seq;
  seq.reserve(count);
  for (uint32_t i : order) seq.push_back({i, true, true});
  std::vector<uint8_t> dominated(count, 0);
  Dominance(keys, n, &dominated).Solve(seq, 1);
  std::vector<uint32_t> kept;
  for (uint32_t i : order) {
    if (!dominated[i]) kept.push_back(i);
  }
  return kept;
}

}  // namespace

std::vector<uint32_t> ParetoIndices(const double* utilities, size_t count, size_t n) {
  if (count == 0 || n == 0) return {};
  std::vector<int64_t> keys = Keys(utilities, count, n);
  switch (n) {
    case 1: return Filter1(keys, count);
    case 2: return Filter2(keys, count);
    default: return FilterN(keys, count, n);
  }
}

void FrontierAccumulator::Add(const uint32_t* values, size_t issue_count, const double* utilities) {
  issues_ = issue_count;
  values_.insert(values_.end(), values, values + issue_count);
  utils_.insert(utils_.end(), utilities, utilities + n_);
  if (utils_.size() / n_ >= kept_ + buffer_) Flush();
}

void FrontierAccumulator::Flush() {
  size_t count = utils_.size() / n_;
  if (count == 0) return;
  std::vector<uint32_t> keep = ParetoIndices(utils_.data(), count, n_);
  std::vector<double> utils;
  std::vector<uint32_t> values;
  utils.reserve(keep.size() * n_);
  values.reserve(keep.size() * issues_);
  for (uint32_t i : keep) {
    utils.insert(utils.end(), utils_.begin() + i * n_, utils_.begin() + (i + 1) * n_);
    values.insert(values.end(), values_.begin() + static_cast<size_t>(i) * issues_,
                  values_.begin() + static_cast<size_t>(i + 1) * issues_);
  }
  utils_ = std::move(utils);
  values_ = std::move(values);
  kept_ = keep.size();
}

std::vector<Point> FrontierAccumulator::Finish() {
  Flush();
  std::vector<Point> points(kept_);
  for (size_t i = 0; i < kept_; ++i) {
    points[i].outcome.assign(values_.begin() + i * issues_, values_.begin() + (i + 1) * issues_);
    points[i].utilities.assign(utils_.begin() + i * n_, utils_.begin() + (i + 1) * n_);
  }
  return points;
}

}  // namespace shuttle::analysis_internal

namespace shuttle {

std::vector<Point> ParetoFilter(std::vector<Point> points) {
  if (points.empty()) return points;
  size_t n = points.front().utilities.size();
  std::vector<double> flat;
  flat.reserve(points.size() * n);
  for (const Point& p : points) flat.insert(flat.end(), p.utilities.begin(), p.utilities.end());
  std::vector<uint32_t> keep = analysis_internal::ParetoIndices(flat.data(), points.size(), n);
  std::vector<Point> out;
  out.reserve(keep.size());
  for (uint32_t i : keep) out.push_back(std::move(points[i]));
  return out;
}

}  // namespace shuttle
