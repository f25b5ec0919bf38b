#include "strategy/frequency_model.h"

#include <algorithm>

namespace shuttle::strategy {

void FrequencyModel::Init(const OutcomeSpace& space, double learning_rate) {
  issue_count_ = space.issue_count();
  epsilon_ = issue_count_ > 0 ? learning_rate / static_cast<double>(issue_count_) : 0;
  offsets_.assign(1, 0);
  for (const Issue& issue : space.issues()) offsets_.push_back(offsets_.back() + issue.size());
  counts_.assign(offsets_.back(), 0);
  max_counts_.assign(issue_count_, 0);
  weights_.assign(issue_count_, issue_count_ > 0 ? 1.0 / static_cast<double>(issue_count_) : 0);
  last_.assign(issue_count_, 0);
  offers_ = 0;
}

void FrequencyModel::Update(const uint32_t* offer) {
  for (size_t i = 0; i < issue_count_; ++i) {
    double& c = counts_[offsets_[i] + offer[i]];
    c += 1;
    max_counts_[i] = std::max(max_counts_[i], c);
  }
  if (offers_ > 0) {
    double total = 0;
    for (size_t i = 0; i < issue_count_; ++i) {
      if (offer[i] == last_[i]) weights_[i] += epsilon_;
      total += weights_[i];
    }
    for (size_t i = 0; i < issue_count_; ++i) weights_[i] /= total;
  }
  std::copy_n(offer, issue_count_, last_.begin());
  ++offers_;
}

double FrequencyModel::Estimate(const uint32_t* outcome) const {
  double u = 0;
  for (size_t i = 0; i < issue_count_; ++i) u += weights_[i] * value(i, outcome[i]);
  return u;
}

}  // namespace shuttle::strategy
