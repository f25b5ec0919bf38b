// Pareto filters on utility keys. All of them sort first, so a point can only be dominated by a
// point that comes before it: for two parties a sweep suffices, for three a 2-D staircase of the
// points kept so far (Kung et al. 1975), for more the points are sorted by the sum of their keys
// (a dominating point has a strictly larger sum) and each is compared with the frontier kept.
#include <algorithm>
#include <map>
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

std::vector<uint32_t> Filter3(const std::vector<int64_t>& keys, size_t count) {
  // Staircase of the kept points projected on parties 1 and 2: x ascending, y descending.
  std::map<int64_t, int64_t> stairs;
  std::vector<uint32_t> kept;
  for (uint32_t i : LexOrder(keys, count, 3)) {
    int64_t x = keys[i * 3 + 1], y = keys[i * 3 + 2];
    auto it = stairs.lower_bound(x);  // Largest y among kept points with a key >= x.
    if (it != stairs.end() && it->second >= y) continue;
    kept.push_back(i);
    // Remove the steps this point covers (x' <= x and y' <= y), then add it.
    auto first = it;
    if (first != stairs.end() && first->first == x) ++first;
    auto last = first;
    while (first != stairs.begin()) {
      auto prev = std::prev(first);
      if (prev->second > y) break;
      first = prev;
    }
    stairs.erase(first, last);
    stairs[x] = y;
  }
  return kept;
}

std::vector<uint32_t> FilterN(const std::vector<int64_t>& keys, size_t count, size_t n) {
  std::vector<__int128> sums(count, 0);
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < n; ++k) sums[i] += keys[i * n + k];
  }
  auto order = LexOrder(keys, count, n);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return sums[a] > sums[b]; });
  std::vector<uint32_t> kept;
  std::vector<int64_t> kept_keys;
  for (uint32_t i : order) {
    const int64_t* q = &keys[i * n];
    bool dominated = false;
    for (size_t j = 0; j < kept.size() && !dominated; ++j) {
      const int64_t* p = &kept_keys[j * n];
      size_t k = 0;
      while (k < n && p[k] >= q[k]) ++k;
      dominated = k == n;
    }
    if (dominated) continue;
    kept.push_back(i);
    kept_keys.insert(kept_keys.end(), q, q + n);
  }
  // Back to lexicographic order.
  auto lex = LexOrder(kept_keys, kept.size(), n);
  std::vector<uint32_t> out;
  out.reserve(kept.size());
  for (uint32_t j : lex) out.push_back(kept[j]);
  return out;
}

}  // namespace

std::vector<uint32_t> ParetoIndices(const double* utilities, size_t count, size_t n) {
  if (count == 0 || n == 0) return {};
  std::vector<int64_t> keys = Keys(utilities, count, n);
  switch (n) {
    case 1: return Filter1(keys, count);
    case 2: return Filter2(keys, count);
    case 3: return Filter3(keys, count);
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
