// A frequency model of an opponent's preferences (in the style of HardHeaded, ANAC 2011), learnt
// from the offers it makes: values it offers often are taken to be valuable to it, and issues whose
// value stays the same between its consecutive offers are taken to matter more to it.
//
// Estimate(o) = sum_i w_i * v_i(o_i), where v_i(x) = (count_i(x) + 1) / (max_x' count_i(x') + 1)
// and the weights start equal; after each offer, every issue whose value equals the previous
// offer's gains `learning_rate` / issue_count, then the weights are renormalized to sum to 1.
// Before any offer every outcome is estimated at 1. Init allocates; Update and Estimate never do.
#ifndef SHUTTLE_SRC_STRATEGY_FREQUENCY_MODEL_H_
#define SHUTTLE_SRC_STRATEGY_FREQUENCY_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "shuttle/outcome_space.h"

namespace shuttle::strategy {

class FrequencyModel {
 public:
  // `learning_rate`: total weight an unchanged issue gains per offer, before renormalizing.
  // Default: 0.2.
  void Init(const OutcomeSpace& space, double learning_rate = 0.2);
  // Learns from one offer of the opponent (issue_count values, all within the space).
  void Update(const uint32_t* offer);
  // Estimated utility of an outcome to the opponent, in [0, 1].
  double Estimate(const uint32_t* outcome) const;

  double weight(size_t issue) const { return weights_[issue]; }
  // Estimated value of one value of an issue, in (0, 1].
  double value(size_t issue, uint32_t v) const {
    return (counts_[offsets_[issue] + v] + 1) / (max_counts_[issue] + 1);
  }
  int offers() const { return offers_; }

 private:
  size_t issue_count_ = 0;
  double epsilon_ = 0;
  std::vector<size_t> offsets_;
  std::vector<double> counts_;
  std::vector<double> max_counts_;
  std::vector<double> weights_;
  std::vector<uint32_t> last_;
  int offers_ = 0;
};

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_FREQUENCY_MODEL_H_
