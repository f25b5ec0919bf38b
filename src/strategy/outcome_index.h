// A party's outcomes sorted by its own utility: what every strategy searches instead of the space.
//
// Build() lists the outcomes that cross none of the party's red lines, sorted by utility ascending
// (ties by outcome, lexicographically), so "the cheapest outcome worth at least u" is a binary
// search. When the allowed outcomes number at most `full_limit` the index holds all of them
// (exact). Otherwise it holds a bounded candidate set, built deterministically from the seed:
//  - linear utilities: the `top` best outcomes exactly (best-first enumeration over per-issue
//    values sorted by contribution), concession chains from the best outcome down to the worst
//    (each step lowers one issue by one rank: one chain taking the smallest drop each time, then
//    seeded random chains), and `samples` uniform outcomes;
//  - hyper-rectangle utilities: `samples` uniform outcomes plus coordinate-ascent climbs from the
//    best of them (every improving step is kept), so the high end is covered.
// The best outcome of a linear utility is always included; a non-linear one's is the best found.
// Build allocates; the lookups never do. Not thread-safe to build; safe to read from one thread.
#ifndef SHUTTLE_SRC_STRATEGY_OUTCOME_INDEX_H_
#define SHUTTLE_SRC_STRATEGY_OUTCOME_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle::strategy {

struct IndexOptions {
  // Index every allowed outcome when there are at most this many (capped at 2^32 - 1).
  // Default: 10^7 (12 bytes each once built; about 13 while sorting, 21 for non-linear utilities).
  uint64_t full_limit = 10'000'000;
  // Candidate set: uniform samples. Default: 200,000 (fewer when issues are many: the candidate
  // values are kept under 2^24 numbers).
  uint64_t samples = 200'000;
  // Candidate set, linear utilities: the best outcomes enumerated exactly. Default: 20,000.
  uint64_t top = 20'000;
  // Candidate set, linear utilities: random concession chains besides the greedy one. Default: 16.
  int chains = 16;
  // Seed of the candidate set's random choices. Default: 1.
  uint64_t seed = 1;
};

class OutcomeIndex {
 public:
  // Tolerance of LowerBound: utilities within it of the bound count as reaching it.
  static constexpr double kTolerance = 1e-12;

  // kFailedPrecondition when an issue is continuous. An index may be empty (every outcome crosses
  // a red line); that is not an error.
  Status Build(const OutcomeSpace& space, const Utility& utility, const IndexOptions& options = {});

  size_t size() const { return utilities_.size(); }
  bool empty() const { return utilities_.empty(); }
  // Utility of the i-th outcome; ascending in i.
  double utility(size_t i) const { return utilities_[i]; }
  // Writes the i-th outcome (issue_count values) to `out`.
  void Get(size_t i, uint32_t* out) const;
  // First position whose utility is >= u - kTolerance; size() when none.
  size_t LowerBound(double u) const;
  // Lowest and highest utility in the index (0 when empty).
  double min_utility() const { return empty() ? 0 : utilities_.front(); }
  double max_utility() const { return empty() ? 0 : utilities_.back(); }

  // True when every allowed outcome is indexed.
  bool exact() const { return exact_; }
  // "all N allowed outcomes" or a description of the candidate set.
  const std::string& method() const { return method_; }

 private:
  void BuildExact(const Utility& utility, uint64_t count);
  void BuildCandidates(const Utility& utility, uint64_t count, const IndexOptions& options);

  size_t issue_count_ = 0;
  std::vector<std::vector<uint32_t>> allowed_;  // Per issue, the values no red line forbids.
  std::vector<double> utilities_;               // Ascending.
  // Exact index: each outcome as a mixed-radix code over the allowed values' ranks (last issue
  // fastest), 4 bytes an outcome. Candidate set: the outcomes, issue_count values each.
  std::vector<uint32_t> codes_;
  std::vector<uint32_t> values_;
  bool exact_ = true;
  std::string method_;
};

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_OUTCOME_INDEX_H_
