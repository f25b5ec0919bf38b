// Sorting outcomes by utility without comparing every pair: what OutcomeIndex builds its exact
// index with. The order is exactly the one std::stable_sort with `a < b` on the utilities gives
// (ascending, ties by code), so an index and every log made from it do not depend on the sort
// used. Thread-safe: no shared state.
#ifndef SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_
#define SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace shuttle::strategy {

// Key whose unsigned order is the order of the doubles: a < b iff OrderedKey(a) < OrderedKey(b),
// and a == b iff the keys are equal (-0.0 and +0.0 share a key). NaNs, which no utility should be,
// get keys above +infinity.
inline uint64_t OrderedKey(double u) {
  if (u == 0) u = 0;  // -0.0 == +0.0: they must tie.
  const uint64_t bits = std::bit_cast<uint64_t>(u);
  // Negatives: invert every bit (a larger magnitude sorts lower); others: set the sign bit.
  return (bits >> 63) != 0 ? ~bits : bits | (uint64_t{1} << 63);
}

// The utilities to sort, one per code 0 .. size() - 1, computed on demand so that they need not
// all be held at once. Fill must give the same values every time it is called.
class UtilitySource {
 public:
  virtual ~UtilitySource() = default;
  virtual uint64_t size() const = 0;
  // Writes the utilities of codes first .. first + count - 1 to out[0 .. count - 1].
  virtual void Fill(uint64_t first, size_t count, double* out) const = 0;
};

// Sorts the codes by utility, ascending, equal utilities by code. Writes the sorted utilities
// (bit for bit the source's, -0.0 included) to `sorted` and the codes to `codes`, both resized to
// size() (< 2^32). No utility may be NaN. Reads the source three times in chunks; allocates the
// outputs and a histogram of about size() / 4 counts. The work is one bucketing pass by the top
// bits of the keys' spread, then insertion sorts of the small buckets; a large bucket is
// bucketed again on its own spread.
void SortByUtility(const UtilitySource& source, std::vector<double>* sorted,
                   std::vector<uint32_t>* codes);
// The same for utilities held in a vector (utilities[code]).
void SortByUtility(const std::vector<double>& utilities, std::vector<double>* sorted,
                   std::vector<uint32_t>* codes);

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_
