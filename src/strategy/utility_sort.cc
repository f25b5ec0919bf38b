#include "strategy/utility_sort.h"

#include <algorithm>
#include <cassert>
#include <cstddef>

namespace shuttle::strategy {
namespace {

// Buckets this small are insertion-sorted (stable: an entry moves only past strictly greater ones).
constexpr size_t kInsertionMax = 32;
// Bits of the key spread that choose the bucket: about n / 4 buckets, so the histogram stays
// small next to the data and the buckets short; capped at 2^20 buckets (4 MiB of counts).
constexpr int kMinBucketBits = 4;
constexpr int kMaxBucketBits = 20;

// Entries that need bucketing again, copied out of the output while it is redistributed.
struct Scratch {
  std::vector<double> utilities;
  std::vector<uint32_t> codes;
};

void InsertionSort(double* u, uint32_t* c, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    const double x = u[i];
    const uint32_t code = c[i];
    size_t j = i;
    for (; j > 0 && x < u[j - 1]; --j) {
      u[j] = u[j - 1];
      c[j] = c[j - 1];
    }
    u[j] = x;
    c[j] = code;
  }
}

void SortBucket(double* u, uint32_t* c, size_t n, Scratch* scratch);

// Moves the n entries (u[i], code_of(i)) to out_u / out_c, bucketed by the top bits of
// OrderedKey(u) - least key, in input order within a bucket (stable), then sorts each bucket.
template <typename CodeOf>
void Distribute(const double* u, CodeOf code_of, size_t n, double* out_u, uint32_t* out_c, Scratch* scratch) {
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key = OrderedKey(u[i]);
    lo = std::min(lo, key);
    hi = std::max(hi, key);
  }
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)) - 2, kMinBucketBits, kMaxBucketBits);
  const int shift = std::max(0, static_cast<int>(std::bit_width(hi - lo)) - bits);
  // end[b] counts bucket b - 1, then becomes bucket b's start, then (after the moves) its end.
  std::vector<uint32_t> end(static_cast<size_t>((hi - lo) >> shift) + 2, 0);
  for (size_t i = 0; i < n; ++i) ++end[((OrderedKey(u[i]) - lo) >> shift) + 1];
  for (size_t b = 1; b < end.size(); ++b) end[b] += end[b - 1];
  for (size_t i = 0; i < n; ++i) {
    const uint32_t pos = end[(OrderedKey(u[i]) - lo) >> shift]++;
    out_u[pos] = u[i];
    out_c[pos] = code_of(i);
  }
  if (shift == 0) return;  // Every bucket holds one key: equal utilities, already in input order.
  for (size_t b = 0, start = 0; b + 1 < end.size(); start = end[b++]) {
    SortBucket(out_u + start, out_c + start, end[b] - start, scratch);
  }
}

void SortBucket(double* u, uint32_t* c, size_t n, Scratch* scratch) {
  if (n <= kInsertionMax) return InsertionSort(u, c, n);
  // The bucket's entries are copied out first: nothing else uses the scratch until they are
  // back in place, so one scratch serves every level.
  scratch->utilities.assign(u, u + n);
  scratch->codes.assign(c, c + n);
  const uint32_t* codes = scratch->codes.data();
  Distribute(scratch->utilities.data(), [codes](size_t i) { return codes[i]; }, n, u, c, scratch);
}

}  // namespace

void SortByUtility(const std::vector<double>& utilities, std::vector<double>* sorted, std::vector<uint32_t>* codes) {
  const size_t n = utilities.size();
  assert(n <= UINT32_MAX);
  sorted->resize(n);
  codes->resize(n);
  if (n == 0) return;
  Scratch scratch;
  Distribute(utilities.data(), [](size_t i) { return static_cast<uint32_t>(i); }, n, sorted->data(), codes->data(),
             &scratch);
}

}  // namespace shuttle::strategy
