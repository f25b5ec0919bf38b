// Per-agent aggregates of tournament results with 95% confidence intervals.
#include <algorithm>
#include <cmath>
#include <map>

#include "shuttle/tournament.h"

namespace shuttle {
namespace {

// Two-sided 95% quantile of Student's t with `df` degrees of freedom.
double TQuantile95(size_t df) {
  static const double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                  2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                  2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                  2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  if (df <= 30) return kTable[df - 1];
  // Cornish-Fisher expansion around the normal quantile; within 1e-3 past 30 degrees of freedom.
  const double z = 1.959964;
  double d = static_cast<double>(df);
  return z + (z * z * z + z) / (4 * d) +
         (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

// Accumulates values in the order given (callers give job order, so sums are reproducible).
class Sample {
 public:
  void Add(double x) {
    if (!std::isnan(x)) values_.push_back(x);
  }
  Estimate Mean() const {
    Estimate e;
    e.n = values_.size();
    if (e.n == 0) return {std::nan(""), std::nan(""), std::nan(""), 0};
    double sum = 0;
    for (double v : values_) sum += v;
    e.mean = sum / static_cast<double>(e.n);
    e.low = e.high = e.mean;
    if (e.n < 2) return e;
    double ss = 0;
    for (double v : values_) ss += (v - e.mean) * (v - e.mean);
    double sd = std::sqrt(ss / static_cast<double>(e.n - 1));
    double half = TQuantile95(e.n - 1) * sd / std::sqrt(static_cast<double>(e.n));
    e.low = e.mean - half;
    e.high = e.mean + half;
    return e;
  }
  // Wilson score interval for a proportion of 0/1 values.
  Estimate Rate() const {
    Estimate e = Mean();
    if (e.n == 0) return e;
    const double z = 1.959964, n = static_cast<double>(e.n), p = e.mean;
    double denom = 1 + z * z / n;
    double center = (p + z * z / (2 * n)) / denom;
    double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
    e.low = std::max(0.0, center - half);
    e.high = std::min(1.0, center + half);
    return e;
  }

 private:
  std::vector<double> values_;
};

struct AgentSamples {
  size_t negotiations = 0;
  Sample utility, discounted, agreement, welfare, pareto, nash, ks;
};

}  // namespace

TournamentSummary Summarize(const TournamentPlan& plan, std::vector<JobResult> results) {
  return Summarize(plan.config().agents, std::move(results));
}

TournamentSummary Summarize(const std::vector<std::string>& agents,
                            std::vector<JobResult> results) {
  std::sort(results.begin(), results.end(),
            [](const JobResult& a, const JobResult& b) { return a.job < b.job; });
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < agents.size(); ++i) index[agents[i]] = i;
  std::vector<AgentSamples> samples(agents.size());
  TournamentSummary summary;
  summary.jobs = results.size();
  for (const JobResult& r : results) {
    if (!r.error.empty()) {
      ++summary.errors;
      continue;
    }
    for (size_t k = 0; k < r.agents.size(); ++k) {
      auto it = index.find(r.agents[k]);
      if (it == index.end()) continue;
      AgentSamples& s = samples[it->second];
      ++s.negotiations;
      s.utility.Add(k < r.utilities.size() ? r.utilities[k] : std::nan(""));
      s.discounted.Add(k < r.discounted.size() ? r.discounted[k] : std::nan(""));
      s.agreement.Add(r.agreement ? 1 : 0);
      s.welfare.Add(r.welfare);
      s.pareto.Add(r.pareto_distance);
      s.nash.Add(r.nash_distance);
      s.ks.Add(r.ks_distance);
    }
  }
  for (size_t i = 0; i < agents.size(); ++i) {
    const AgentSamples& s = samples[i];
    AgentSummary a;
    a.agent = agents[i];
    a.negotiations = s.negotiations;
    a.utility = s.utility.Mean();
    a.discounted = s.discounted.Mean();
    a.agreement_rate = s.agreement.Rate();
    a.welfare = s.welfare.Mean();
    a.pareto_distance = s.pareto.Mean();
    a.nash_distance = s.nash.Mean();
    a.ks_distance = s.ks.Mean();
    summary.agents.push_back(a);
  }
  return summary;
}

}  // namespace shuttle
