// The tournament plan (job list, rotated scenarios, cached analyses) and one job's run.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/rng.h"
#include "shuttle/clock.h"
#include "shuttle/io.h"
#include "shuttle/tournament.h"

namespace shuttle {

struct TournamentPlan::Variant {
  Scenario scenario;
  std::vector<Utility> utilities;
  std::optional<Analysis> analysis;
};

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

uint64_t Fnv1a(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Every tuple of `n` agent indices out of `agents`, lexicographic; without repeats when
// !self_play.
std::vector<std::vector<int>> Assignments(int agents, int n, bool self_play) {
  std::vector<std::vector<int>> out;
  std::vector<int> tuple(n, 0);
  while (true) {
    std::set<int> distinct(tuple.begin(), tuple.end());
    if (self_play || static_cast<int>(distinct.size()) == n) out.push_back(tuple);
    int k = n - 1;
    while (k >= 0 && ++tuple[k] == agents) tuple[k--] = 0;
    if (k < 0) return out;
  }
}

Scenario Rotate(const Scenario& s, int rotation) {
  Scenario r = s;
  size_t n = s.parties.size();
  for (size_t k = 0; k < n; ++k) r.parties[k] = s.parties[(k + rotation) % n];
  return r;
}

std::vector<double> RotateValues(const std::vector<double>& v, int rotation) {
  if (v.empty()) return v;
  std::vector<double> r(v.size());
  for (size_t k = 0; k < v.size(); ++k) r[k] = v[(k + rotation) % v.size()];
  return r;
}

// The analysis of the rotated scenario from that of the original: only party order changes.
Analysis RotateAnalysis(const Analysis& a, int rotation) {
  Analysis r = a;
  if (!a.parties.empty()) {
    for (size_t k = 0; k < a.parties.size(); ++k)
      r.parties[k] = a.parties[(k + rotation) % a.parties.size()];
  }
  r.reservation_values = RotateValues(a.reservation_values, rotation);
  r.ideal = RotateValues(a.ideal, rotation);
  r.mean_utilities = RotateValues(a.mean_utilities, rotation);
  for (Point& p : r.pareto.points) p.utilities = RotateValues(p.utilities, rotation);
  for (auto* point : {&r.nash, &r.kalai_smorodinsky, &r.egalitarian, &r.max_welfare}) {
    if (*point) (*point)->utilities = RotateValues((*point)->utilities, rotation);
  }
  return r;
}

Status ValidateConfig(const TournamentConfig& c) {
  if (c.agents.empty()) return Status::InvalidArgument("tournament: no agents");
  if (c.scenarios.empty()) return Status::InvalidArgument("tournament: no scenarios");
  if (c.repetitions < 1) return Status::InvalidArgument("tournament: repetitions must be >= 1");
  std::set<std::string> seen;
  for (const std::string& a : c.agents) {
    if (!seen.insert(a).second)
      return Status::InvalidArgument(fmt::format("tournament: agent '{}' is listed twice", a));
  }
  std::set<std::string> names;
  for (const Scenario& s : c.scenarios) {
    std::string where = fmt::format("tournament: scenario '{}'", s.name);
    if (s.parties.size() < 2)
      return Status::InvalidArgument(where + ": needs at least two parties");
    if (!s.space.finite())
      return Status::FailedPrecondition(where + ": has a continuous issue (discretize it first)");
    if (!names.insert(s.name).second)
      return Status::InvalidArgument(where + ": two scenarios have this name");
    if (!c.self_play && s.parties.size() > c.agents.size())
      return Status::InvalidArgument(
          fmt::format("{}: {} parties but only {} agents and self-play is off", where,
                      s.parties.size(), c.agents.size()));
  }
  return Status::Ok();
}

std::string Fingerprint(const TournamentConfig& c) {
  nlohmann::ordered_json j;
  j["format"] = "shuttle-tournament";
  j["version"] = 1;
  j["agents"] = c.agents;
  j["protocol"] = c.protocol;
  j["rounds"] = c.protocol_options.rounds;
  j["seconds"] = c.protocol_options.seconds;
  j["initial_temperature"] = c.protocol_options.initial_temperature;
  j["repetitions"] = c.repetitions;
  j["rotate"] = c.rotate;
  j["self_play"] = c.self_play;
  j["seed"] = c.seed;
  nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
  for (const Scenario& s : c.scenarios) {
    scenarios.push_back(
        {{"name", s.name}, {"hash", fmt::format("{:016x}", Fnv1a(WriteScenarioJson(s)))}});
  }
  j["scenarios"] = scenarios;
  return j.dump(2);
}

double Distance(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(d);
}

void Measure(const Analysis* analysis, JobResult* r) {
  r->pareto_distance = r->nash_distance = r->ks_distance = kNaN;
  if (analysis == nullptr) return;
  if (!analysis->pareto.points.empty()) {
    double best = std::numeric_limits<double>::infinity();
    for (const Point& p : analysis->pareto.points)
      best = std::min(best, Distance(r->utilities, p.utilities));
    r->pareto_distance = best;
  }
  if (analysis->nash) r->nash_distance = Distance(r->utilities, analysis->nash->utilities);
  if (analysis->kalai_smorodinsky)
    r->ks_distance = Distance(r->utilities, analysis->kalai_smorodinsky->utilities);
}

}  // namespace

bool JobResult::SameOutcome(const JobResult& o) const {
  auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  auto same_all = [&](const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  };
  return job == o.job && scenario == o.scenario && rotation == o.rotation &&
         repetition == o.repetition && seed == o.seed && agents == o.agents &&
         parties == o.parties && agreement == o.agreement && rounds == o.rounds &&
         same(time, o.time) && same_all(utilities, o.utilities) &&
         same_all(discounted, o.discounted) && same(welfare, o.welfare) &&
         same(nash_product, o.nash_product) && same(pareto_distance, o.pareto_distance) &&
         same(nash_distance, o.nash_distance) && same(ks_distance, o.ks_distance) &&
         error == o.error;
}

Result<TournamentPlan> TournamentPlan::Make(TournamentConfig config,
                                            const AnalysisOptions& analysis) {
  SHUTTLE_RETURN_IF_ERROR(ValidateConfig(config));
  TournamentPlan plan;
  plan.fingerprint_ = Fingerprint(config);
  plan.job_offsets_.push_back(0);
  for (const Scenario& s : config.scenarios) {
    int n = static_cast<int>(s.parties.size());
    plan.max_parties_ = std::max(plan.max_parties_, n);
    if (plan.assignments_.size() <= static_cast<size_t>(n)) plan.assignments_.resize(n + 1);
    if (plan.assignments_[n].empty())
      plan.assignments_[n] =
          Assignments(static_cast<int>(config.agents.size()), n, config.self_play);
    std::optional<Analysis> base;
    auto analysed = Analyze(s, analysis);
    if (analysed.ok()) base = std::move(analysed).value();
    int rotations = config.rotate ? n : 1;
    std::vector<std::shared_ptr<const Variant>> variants;
    for (int r = 0; r < rotations; ++r) {
      auto v = std::make_shared<Variant>();
      v->scenario = Rotate(s, r);
      for (const Party& p : v->scenario.parties) {
        auto u = Utility::Compile(v->scenario.space, p.profile);
        if (!u.ok())
          return u.status().WithContext(
              fmt::format("tournament: scenario '{}': party '{}'", s.name, p.name));
        v->utilities.push_back(std::move(u).value());
      }
      if (base) v->analysis = RotateAnalysis(*base, r);
      variants.push_back(std::move(v));
    }
    plan.variants_.push_back(std::move(variants));
    size_t jobs = static_cast<size_t>(rotations) * plan.assignments_[n].size() *
                  static_cast<size_t>(config.repetitions);
    plan.job_offsets_.push_back(plan.job_offsets_.back() + jobs);
  }
  plan.config_ = std::make_shared<const TournamentConfig>(std::move(config));
  return plan;
}

TournamentJob TournamentPlan::Job(size_t index) const {
  TournamentJob job;
  job.index = index;
  auto it = std::upper_bound(job_offsets_.begin(), job_offsets_.end(), index);
  job.scenario = static_cast<int>(it - job_offsets_.begin()) - 1;
  size_t local = index - job_offsets_[job.scenario];
  size_t n = config_->scenarios[job.scenario].parties.size();
  const auto& tuples = assignments_[n];
  size_t reps = static_cast<size_t>(config_->repetitions);
  job.repetition = static_cast<int>(local % reps);
  local /= reps;
  job.agents = tuples[local % tuples.size()];
  job.rotation = static_cast<int>(local / tuples.size());
  job.seed =
      SplitMix64Mix(kSplitMix64Step + (config_->seed ^ SplitMix64Mix(kSplitMix64Step + index)));
  return job;
}

const Scenario& TournamentPlan::Rotated(int scenario, int rotation) const {
  return variants_[scenario][rotation]->scenario;
}
const std::optional<Analysis>& TournamentPlan::RotatedAnalysis(int scenario, int rotation) const {
  return variants_[scenario][rotation]->analysis;
}
const std::vector<Utility>& TournamentPlan::RotatedUtilities(int scenario, int rotation) const {
  return variants_[scenario][rotation]->utilities;
}

JobResult RunJob(const TournamentPlan& plan, size_t index, const NegotiateFunction& negotiate) {
  const TournamentConfig& config = plan.config();
  TournamentJob job = plan.Job(index);
  const Scenario& scenario = plan.Rotated(job.scenario, job.rotation);
  const std::vector<Utility>& utilities = plan.RotatedUtilities(job.scenario, job.rotation);
  JobResult r;
  r.job = index;
  r.scenario = scenario.name;
  r.rotation = job.rotation;
  r.repetition = job.repetition;
  r.seed = job.seed;
  NegotiationOptions options;
  options.protocol = config.protocol;
  options.protocol_options = config.protocol_options;
  options.protocol_options.seed = job.seed;
  options.metrics = false;
  for (size_t k = 0; k < job.agents.size(); ++k) {
    r.agents.push_back(config.agents[job.agents[k]]);
    r.parties.push_back(scenario.parties[k].name);
  }
  options.agents = r.agents;
  const double start = SteadyClock()->Seconds();
  auto ran = negotiate ? negotiate(scenario, options) : Negotiate(scenario, options);
  r.seconds = SteadyClock()->Seconds() - start;
  const uint32_t* agreed = nullptr;
  if (!ran.ok()) {
    r.error = ran.status().ToString();
  } else {
    const NegotiationResult& n = ran.value();
    if (n.agreement) agreed = n.agreement->data();
    r.rounds = n.metrics.rounds;
    r.time = n.metrics.time;
    if (r.rounds == 0 && r.time == 0 && n.log.size() > 0) {
      const Event& last = n.log.events().back();
      r.rounds = last.round + 1;
      r.time = last.time;
    }
  }
  r.agreement = agreed != nullptr;
  r.nash_product = r.agreement ? 1 : 0;
  for (size_t k = 0; k < utilities.size(); ++k) {
    double rv = utilities[k].reservation_value();
    double u = agreed ? utilities[k].Evaluate(agreed) : rv;
    r.utilities.push_back(u);
    r.discounted.push_back(DiscountedUtility(u, utilities[k].discount(), r.time));
    r.welfare += u;
    r.nash_product = u >= rv ? r.nash_product * (u - rv) : 0;
  }
  const auto& analysis = plan.RotatedAnalysis(job.scenario, job.rotation);
  Measure(analysis ? &*analysis : nullptr, &r);
  return r;
}

}  // namespace shuttle
