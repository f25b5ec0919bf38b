// Sorting outcomes by utility without comparing every pair: what OutcomeIndex builds its exact
// index with. The order is exactly the one std::stable_sort with `a < b` on the utilities gives
// (ascending, ties in input order), so an index and every log made from it do not depend on the
// sort used. Pure functions; thread-safe.
#ifndef SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_
#define SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_

#include <bit>
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

// Sorts codes 0 .. n-1 by utilities[code] (n = utilities.size() < 2^32), ascending, equal
// utilities by code. Writes the sorted utilities (bit for bit the input's, -0.0 included) to
// `sorted` and the codes to `codes`, both resized to n. No NaN may be among the utilities.
// Allocates the outputs and a histogram; most of the work is one bucketing pass by the keys' top
// bits and insertion sorts of the small buckets; a large bucket is bucketed again on the next bits.
void SortByUtility(const std::vector<double>& utilities, std::vector<double>* sorted, std::vector<uint32_t>* codes);

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_UTILITY_SORT_H_
