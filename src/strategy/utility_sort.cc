#include "strategy/utility_sort.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace shuttle::strategy {
namespace {

// Buckets this small are insertion-sorted (stable: an entry moves only past strictly greater ones).
constexpr size_t kInsertionMax = 32;
// Bits of the key spread that choose the bucket: about n / 4 buckets, so the histogram stays
// small next to the data and the buckets short; capped at 2^20 buckets (4 MiB of counts).
constexpr int kMinBucketBits = 4;
constexpr int kMaxBucketBits = 20;
// A source is read this many utilities at a time (16 KiB, within L1).
constexpr size_t kChunk = 2048;

// Entries of a large bucket, copied out of the output while they are bucketed back into it.
struct Scratch {
  std::vector<double> utilities;
  std::vector<uint32_t> codes;
};

// Calls f(utility, code) for every code of a source in order, a chunk at a time.
struct SourceEntries {
  const UtilitySource& source;
  template <typename F>
  void ForEach(F&& f) const {
    double chunk[kChunk];
    const uint64_t n = source.size();
    for (uint64_t first = 0; first < n; first += kChunk) {
      const size_t count = static_cast<size_t>(std::min<uint64_t>(kChunk, n - first));
      source.Fill(first, count, chunk);
      for (size_t i = 0; i < count; ++i) f(chunk[i], static_cast<uint32_t>(first + i));
    }
  }
};

// The same for entries held in arrays.
struct ArrayEntries {
  const double* utilities;
  const uint32_t* codes;
  size_t n;
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < n; ++i) f(utilities[i], codes[i]);
  }
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

// Moves the n entries to out_u / out_c bucketed by the top bits of OrderedKey(u) - least key,
// keeping their order within a bucket (stable), then sorts each bucket.
template <typename Entries>
void Distribute(const Entries& entries, size_t n, double* out_u, uint32_t* out_c,
                Scratch* scratch) {
  uint64_t lo = UINT64_MAX, hi = 0;
  entries.ForEach([&](double u, uint32_t) {
    const uint64_t key = OrderedKey(u);
    lo = std::min(lo, key);
    hi = std::max(hi, key);
  });
  const int bits =
      std::clamp(static_cast<int>(std::bit_width(n)) - 2, kMinBucketBits, kMaxBucketBits);
  const int shift = std::max(0, static_cast<int>(std::bit_width(hi - lo)) - bits);
  // end[b] counts bucket b - 1, then becomes bucket b's start, then (after the moves) its end.
  std::vector<uint32_t> end(static_cast<size_t>((hi - lo) >> shift) + 2, 0);
  uint32_t* e = end.data();
  entries.ForEach([&](double u, uint32_t) { ++e[((OrderedKey(u) - lo) >> shift) + 1]; });
  for (size_t b = 1; b < end.size(); ++b) end[b] += end[b - 1];
  entries.ForEach([&](double u, uint32_t code) {
    const uint32_t pos = e[(OrderedKey(u) - lo) >> shift]++;
    out_u[pos] = u;
    out_c[pos] = code;
  });
  if (shift == 0) return;  // Every bucket holds one key: equal utilities, already in code order.
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
  Distribute(ArrayEntries{scratch->utilities.data(), scratch->codes.data(), n}, n, u, c, scratch);
}

class VectorSource final : public UtilitySource {
 public:
  explicit VectorSource(const std::vector<double>& utilities) : utilities_(utilities) {}
  uint64_t size() const override { return utilities_.size(); }
  void Fill(uint64_t first, size_t count, double* out) const override {
    std::memcpy(out, utilities_.data() + first, count * sizeof(double));
  }

 private:
  const std::vector<double>& utilities_;
};

}  // namespace

void SortByUtility(const UtilitySource& source, std::vector<double>* sorted,
                   std::vector<uint32_t>* codes) {
  const uint64_t n = source.size();
  assert(n <= UINT32_MAX);
  sorted->resize(n);
  codes->resize(n);
  if (n == 0) return;
  Scratch scratch;
  Distribute(SourceEntries{source}, n, sorted->data(), codes->data(), &scratch);
}

void SortByUtility(const std::vector<double>& utilities, std::vector<double>* sorted,
                   std::vector<uint32_t>* codes) {
  SortByUtility(VectorSource(utilities), sorted, codes);
}

}  // namespace shuttle::strategy
