// splitmix64: the one seeded random source of the library (analysis sampling, mediated protocols,
// strategies, tournament and agent seeds), so that a seed means the same run whatever the standard
// library. A value; not thread-safe.
#ifndef SHUTTLE_SRC_CORE_RNG_H_
#define SHUTTLE_SRC_CORE_RNG_H_

#include <cstdint>

namespace shuttle {

// The splitmix64 output function of state `z`.
constexpr uint64_t SplitMix64Mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr uint64_t kSplitMix64Step = 0x9E3779B97F4A7C15ULL;

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed = 1) : state_(seed) {}
  uint64_t Next() { return SplitMix64Mix(state_ += kSplitMix64Step); }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace shuttle

#endif  // SHUTTLE_SRC_CORE_RNG_H_
