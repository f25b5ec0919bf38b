// shuttle analyze SCENARIO.json | DOMAIN.xml PROFILE.xml PROFILE.xml [...]: Pareto frontier,
// bargaining solutions, ZOPA and statistics, as a readable summary or (--json) one JSON object.
//
// Real issues must be finite to analyze. --real-step X discretizes every real issue with step X;
// without it, a continuous real issue is sampled at 101 points (step = range / 100), and the
// output says so. JSON numbers that might not be exact integers in a double (outcome_count and an
// exact zopa.size of 2^53 or more) are written as strings of decimal digits. pareto.gap bounds how
// far an inexact frontier is from exact (AnalysisOptions, Analysis::Frontier); null when unknown.
// A scenario with an agreement rule other than unanimity also gets the coalitions the rule admits
// (AnalyzeCoalitions): text after the summary, "agreement_rule" in JSON.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "command.h"
#include "shuttle/analysis.h"
#include "shuttle/io.h"

namespace shuttle::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kDefaultRealPoints = 100;  // Intervals per continuous real issue by default.
constexpr size_t kDefaultTextPoints = 15;

struct AnalyzeArgs {
  std::vector<std::string> inputs;
  bool json = false;
  double real_step = 0;
  int64_t max_points = -1;  // -1: text shows kDefaultTextPoints, JSON shows all.
  uint64_t enumerate_limit = AnalysisOptions{}.enumerate_limit;
  uint64_t samples = AnalysisOptions{}.samples;
  size_t rectangle_search_limit = AnalysisOptions{}.rectangle_search_limit;
  uint64_t seed = AnalysisOptions{}.seed;
};

struct Discretization {
  std::string issue;
  double step;
  uint64_t values;
  bool by_default;
};

// "\r[task] 45%" on stderr when it is a terminal, at most once per percent.
class StderrProgress final : public Progress {
 public:
  StderrProgress() : enabled_(isatty(2) != 0) {}
  ~StderrProgress() override {
    if (drawn_) std::fputs("\r\033[K", stderr);
  }
  void Update(std::string_view task, double fraction) override {
    int percent = static_cast<int>(fraction * 100);
    if (!enabled_ || percent == last_) return;
    last_ = percent;
    drawn_ = true;
    std::fprintf(stderr, "\r%.*s %3d%%", static_cast<int>(task.size()), task.data(), percent);
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  int last_ = -1;
};

// Makes every issue finite: real issues take --real-step, or range/100 when continuous.
Result<Scenario> Discretize(Scenario scenario, double step, std::vector<Discretization>* notes) {
  std::vector<Issue> issues;
  bool changed = false;
  for (const Issue& issue : scenario.space.issues()) {
    if (issue.type() != IssueType::kReal || (step <= 0 && issue.finite())) {
      issues.push_back(issue);
      continue;
    }
    double range = issue.real_upper() - issue.real_lower();
    double s = step > 0 ? step : (range > 0 ? range / kDefaultRealPoints : 1.0);
    auto d = issue.Discretized(s);
    if (!d.ok()) return d.status().WithContext("--real-step");
    notes->push_back({issue.name(), s, d->size(), step <= 0});
    issues.push_back(std::move(d).value());
    changed = true;
  }
  if (changed) scenario.space = OutcomeSpace(std::move(issues));
  return scenario;
}

std::string CountText(const BigCount& count) {
  std::string digits = count.ToString();
  if (count.Compare(10'000'000) < 0) return digits;
  return fmt::format("{} (~10^{:.2f})", digits, count.Log10());
}

Json CountJson(const BigCount& count) {
  if (count.Compare(1ULL << 53) < 0) return count.ToU64();
  return count.ToString();
}

std::string Utilities(const std::vector<double>& u) {
  std::string s = "(";
  for (size_t k = 0; k < u.size(); ++k) s += fmt::format("{}{:.4f}", k ? ", " : "", u[k]);
  return s + ")";
}

Json PointJson(const OutcomeSpace& space, const Point& p) {
  Json outcome = Json::object();
  for (size_t i = 0; i < space.issue_count(); ++i)
    outcome[space.issue(i).name()] = space.issue(i).ValueLabel(p.outcome[i]);
  return Json{{"outcome", outcome}, {"utilities", p.utilities}};
}

Json OptionalPointJson(const OutcomeSpace& space, const std::optional<Point>& p) {
  return p ? PointJson(space, *p) : Json(nullptr);
}

Json ToJson(const Scenario& s, const Analysis& a, const std::vector<Discretization>& notes,
            int64_t max_points, double seconds) {
  Json j;
  j["scenario"] = s.name;
  j["outcome_count"] = CountJson(a.outcome_count);
  j["outcome_count_log10"] = a.outcome_count.Log10();
  j["parties"] = a.parties;
  j["reservation_values"] = a.reservation_values;
  Json disc = Json::array();
  for (const auto& d : notes)
    disc.push_back(
        {{"issue", d.issue}, {"step", d.step}, {"values", d.values}, {"default", d.by_default}});
  j["discretized"] = disc;
  Json points = Json::array();
  size_t shown = max_points < 0 ? a.pareto.points.size()
                                : std::min<size_t>(max_points, a.pareto.points.size());
  for (size_t i = 0; i < shown; ++i) points.push_back(PointJson(s.space, a.pareto.points[i]));
  j["pareto"] = {{"size", a.pareto.points.size()},
                 {"exact", a.pareto.exact},
                 {"method", a.pareto.method},
                 {"gap", a.pareto.gap ? Json(*a.pareto.gap) : Json(nullptr)},
                 {"points", points}};
  j["nash"] = OptionalPointJson(s.space, a.nash);
  j["kalai_smorodinsky"] = OptionalPointJson(s.space, a.kalai_smorodinsky);
  j["egalitarian"] = OptionalPointJson(s.space, a.egalitarian);
  j["max_welfare"] = OptionalPointJson(s.space, a.max_welfare);
  j["ideal"] = a.ideal.empty() ? Json(nullptr) : Json(a.ideal);
  j["zopa"] = {{"size", a.zopa.exact ? CountJson(a.zopa.count) : Json(a.zopa.size)},
               {"exact", a.zopa.exact},
               {"method", a.zopa.method}};
  j["mean_utilities"] = a.mean_utilities;
  j["means_exact"] = a.means_exact;
  j["opposition"] = std::isnan(a.opposition) ? Json(nullptr) : Json(a.opposition);
  j["seconds"] = seconds;
  return j;
}

std::vector<std::string> RequiredNames(const Scenario& s) {
  std::vector<std::string> names;
  for (int k : s.rule.required) names.push_back(s.parties[k].name);
  return names;
}

Json CoalitionsJson(const Scenario& s, const CoalitionAnalysis& c, int64_t max_points,
                    double seconds) {
  Json coalitions = Json::array();
  for (const Coalition& k : c.coalitions) {
    Json points = Json::array();
    size_t shown = max_points < 0 ? k.pareto.points.size()
                                  : std::min<size_t>(max_points, k.pareto.points.size());
    for (size_t i = 0; i < shown; ++i) points.push_back(PointJson(s.space, k.pareto.points[i]));
    coalitions.push_back({{"parties", k.parties},
                          {"reservation_values", k.reservation_values},
                          {"pareto",
                           {{"size", k.pareto.points.size()},
                            {"exact", k.pareto.exact},
                            {"method", k.pareto.method},
                            {"points", points}}},
                          {"nash", OptionalPointJson(s.space, k.nash)},
                          {"nash_product", k.nash_product},
                          {"kalai_smorodinsky", OptionalPointJson(s.space, k.kalai_smorodinsky)},
                          {"egalitarian", OptionalPointJson(s.space, k.egalitarian)},
                          {"max_welfare", OptionalPointJson(s.space, k.max_welfare)}});
  }
  return Json{{"at_least", c.needed},
              {"required", RequiredNames(s)},
              {"coalitions", coalitions},
              {"best", c.best ? Json(*c.best) : Json(nullptr)},
              {"seconds", seconds}};
}

std::string MemberUtilities(const Coalition& c, const std::vector<double>& u) {
  std::string out;
  for (size_t k = 0; k < u.size(); ++k)
    out += fmt::format("{}{} {:.4f}", k ? ", " : "", c.parties[k], u[k]);
  return out;
}

void PrintCoalitions(const Scenario& s, const CoalitionAnalysis& c, double seconds) {
  std::vector<std::string> required = RequiredNames(s);
  fmt::print("Agreement rule: at least {} of {} parties{}\n", c.needed, s.parties.size(),
             required.empty() ? "" : fmt::format(", including {}", fmt::join(required, ", ")));
  fmt::print("Coalitions a deal needs ({}; a larger one is fine too), over their members only:\n",
             c.coalitions.size());
  for (size_t i = 0; i < c.coalitions.size(); ++i) {
    const Coalition& k = c.coalitions[i];
    fmt::print("  [{}] {}: frontier {} points{}\n", i, fmt::join(k.parties, ", "),
               k.pareto.points.size(), k.pareto.exact ? "" : " (APPROXIMATE)");
    if (!k.nash) {
      fmt::print("      no outcome is acceptable to every member\n");
      continue;
    }
    fmt::print("      Nash {}  product {:.6f}  {}\n", MemberUtilities(k, k.nash->utilities),
               k.nash_product, s.space.Describe(k.nash->outcome));
    fmt::print("      KS {}; egalitarian {}; welfare {}\n",
               MemberUtilities(k, k.kalai_smorodinsky->utilities),
               MemberUtilities(k, k.egalitarian->utilities),
               MemberUtilities(k, k.max_welfare->utilities));
  }
  if (c.best) {
    const Coalition& b = c.coalitions[*c.best];
    fmt::print("Best coalition by Nash product: [{}] {}: {}\n", *c.best, fmt::join(b.parties, ", "),
               MemberUtilities(b, b.nash->utilities));
  } else {
    fmt::print("No coalition the rule admits has an outcome acceptable to all its members\n");
  }
  fmt::print("Time: coalitions {:.1f} ms\n", seconds * 1e3);
}

void PrintSolution(const char* name, const OutcomeSpace& space, const std::optional<Point>& p) {
  if (!p) {
    fmt::print("  {:<18} none (no outcome is acceptable to all)\n", name);
    return;
  }
  fmt::print("  {:<18} {}  {}\n", name, Utilities(p->utilities), space.Describe(p->outcome));
}

void PrintFrontier(const Scenario& s, const Analysis& a, int64_t max_points) {
  const auto& f = a.pareto;
  fmt::print("Pareto frontier: {} points, {} ({})\n", f.points.size(),
             f.exact ? "exact" : "APPROXIMATE", f.method);
  if (!f.exact) {
    if (f.gap) {
      fmt::print(
          "  gap {:.4f}: every outcome is weakly dominated by a point below plus {:.4f} for "
          "each party\n",
          *f.gap, *f.gap);
    } else {
      fmt::print("  gap unknown: no bound on the distance to the exact frontier\n");
    }
  }

  size_t shown =
      std::min<size_t>(max_points < 0 ? kDefaultTextPoints : max_points, f.points.size());
  // Spread the shown points over the frontier so both ends appear.
  for (size_t t = 0; t < shown; ++t) {
    size_t i = shown == 1 ? 0 : t * (f.points.size() - 1) / (shown - 1);
    fmt::print("  {}  {}\n", Utilities(f.points[i].utilities),
               s.space.Describe(f.points[i].outcome));
  }
  if (shown < f.points.size()) {
    fmt::print(
        "  ({} of {} points shown, evenly spread; --max-points N for more, --json for all)\n",
        shown, f.points.size());
  }
}

void PrintText(const Scenario& s, const Analysis& a, const std::vector<Discretization>& notes,
               int64_t max_points, double load_seconds, double seconds) {
  fmt::print("Scenario '{}': {} issues, {} parties\n", s.name, s.space.issue_count(),
             s.parties.size());
  fmt::print("Outcomes: {}\n", CountText(a.outcome_count));
  for (const auto& d : notes) {
    fmt::print("Discretized real issue '{}' with step {:g} ({} values){}\n", d.issue, d.step,
               d.values,
               d.by_default ? "; default step = range/100, set --real-step to change" : "");
  }
  fmt::print("Parties (reservation value):\n");
  for (size_t k = 0; k < a.parties.size(); ++k)
    fmt::print("  {:<18} {:.4f}\n", a.parties[k], a.reservation_values[k]);
  fmt::print("Utilities below are in party order: ({})\n", fmt::join(a.parties, ", "));
  PrintFrontier(s, a, max_points);
  fmt::print("Solutions among outcomes acceptable to all{}:\n",
             a.pareto.exact ? "" : " (APPROXIMATE)");
  PrintSolution("Nash", s.space, a.nash);
  PrintSolution("Kalai-Smorodinsky", s.space, a.kalai_smorodinsky);
  PrintSolution("Egalitarian", s.space, a.egalitarian);
  PrintSolution("Max welfare", s.space, a.max_welfare);
  if (!a.ideal.empty()) fmt::print("Ideal point: {}\n", Utilities(a.ideal));
  if (a.zopa.exact) {
    fmt::print("ZOPA: {} outcomes, exact ({})\n", CountText(a.zopa.count), a.zopa.method);
  } else {
    fmt::print("ZOPA: ~{:.4g} outcomes, ESTIMATE ({})\n", a.zopa.size, a.zopa.method);
  }
  fmt::print("Mean utilities: {}{}\n", Utilities(a.mean_utilities),
             a.means_exact ? "" : " (estimate)");
  if (std::isnan(a.opposition)) {
    fmt::print("Opposition: undefined (every outcome crosses a red line)\n");
  } else {
    fmt::print("Opposition: {:.4f}{}\n", a.opposition, a.pareto.exact ? "" : " (approximate)");
  }
  fmt::print("Time: load {:.1f} ms, analysis {:.1f} ms\n", load_seconds * 1e3, seconds * 1e3);
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int RunAnalyze(const AnalyzeArgs& args) {
  auto start = std::chrono::steady_clock::now();
  Result<Scenario> loaded = LoadScenario(args.inputs);
  if (!loaded.ok()) return Fail(loaded.status());
  std::vector<Discretization> notes;
  Result<Scenario> scenario = Discretize(std::move(loaded).value(), args.real_step, &notes);
  if (!scenario.ok()) return Fail(scenario.status());
  double load_seconds = Since(start);
  StderrProgress progress;
  AnalysisOptions options;
  options.enumerate_limit = args.enumerate_limit;
  options.samples = args.samples;
  options.rectangle_search_limit = args.rectangle_search_limit;
  options.seed = args.seed;
  options.progress = &progress;
  auto analysis_start = std::chrono::steady_clock::now();
  Result<Analysis> analysis = Analyze(*scenario, options);
  if (!analysis.ok()) return Fail(analysis.status().WithContext("analyze"));
  double seconds = Since(analysis_start);
  std::optional<CoalitionAnalysis> coalitions;
  double coalition_seconds = 0;
  if (!scenario->rule.unanimous()) {
    auto coalition_start = std::chrono::steady_clock::now();
    Result<CoalitionAnalysis> c = AnalyzeCoalitions(*scenario, options);
    if (!c.ok()) return Fail(c.status().WithContext("analyze coalitions"));
    coalitions = *std::move(c);
    coalition_seconds = Since(coalition_start);
  }
  if (args.json) {
    Json j = ToJson(*scenario, *analysis, notes, args.max_points, seconds);
    if (coalitions)
      j["agreement_rule"] =
          CoalitionsJson(*scenario, *coalitions, args.max_points, coalition_seconds);
    std::puts(j.dump(2).c_str());
  } else {
    PrintText(*scenario, *analysis, notes, args.max_points, load_seconds, seconds);
    if (coalitions) PrintCoalitions(*scenario, *coalitions, coalition_seconds);
  }
  return kExitOk;
}

}  // namespace

void SetupAnalyze(CLI::App* sub) {
  auto args = std::make_shared<AnalyzeArgs>();
  sub->add_option("inputs", args->inputs,
                  "A Shuttle JSON scenario, or a GENIUS/GeniusWeb domain file followed by two or "
                  "more profiles")
      ->required();
  sub->add_flag("--json", args->json, "Print one JSON object instead of the summary");
  sub->add_option(
         "--real-step", args->real_step,
         "Discretize every real issue with this step (default for continuous issues: range/100)")
      ->check(CLI::PositiveNumber);
  sub->add_option("--max-points", args->max_points,
                  "Frontier points to print (text default: 15; JSON default: all)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--enumerate-limit", args->enumerate_limit,
                  "Enumerate spaces up to this many outcomes (exact ZOPA, non-linear frontiers)")
      ->capture_default_str();
  sub->add_option("--samples", args->samples, "Outcomes sampled for estimates beyond the limit")
      ->capture_default_str();
  sub->add_option("--rectangle-search-limit", args->rectangle_search_limit,
                  "Partial outcomes kept per issue by the exact search of two parties' "
                  "hyper-rectangle frontiers (0: sampling and local search only)")
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed for sampling and local search")
      ->capture_default_str();
  sub->callback([args] { ExitStatus() = RunAnalyze(*args); });
}

}  // namespace shuttle::cli
