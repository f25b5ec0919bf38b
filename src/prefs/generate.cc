#include "shuttle/generate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace shuttle {
namespace {

constexpr int kMaxIssues = 1000;
constexpr int kMaxValues = 1000;
constexpr int kMaxParties = 100;
constexpr double kMaxCells = 1e7;  // issues * values * parties: bounds memory and time.

// Numbers from raw 64-bit draws. mt19937_64's output sequence is fixed by the standard; the
// std distributions are not, so they are not used.
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1): the top 53 bits, exactly.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Exponential with mean 1 (1 - Uniform() is in (0, 1], so the log is finite).
  double Exponential() { return -std::log(1.0 - Uniform()); }

 private:
  std::mt19937_64 engine_;
};

Status CheckOptions(const GenerateOptions& o) {
  auto out_of = [](const char* what, auto value, auto lo, auto hi) {
    return Status::InvalidArgument(
        fmt::format("{} must be between {} and {}, got {}", what, lo, hi, value));
  };
  if (o.issues < 1 || o.issues > kMaxIssues) return out_of("issues", o.issues, 1, kMaxIssues);
  if (o.values < 1 || o.values > kMaxValues) return out_of("values", o.values, 1, kMaxValues);
  if (o.parties < 1 || o.parties > kMaxParties) return out_of("parties", o.parties, 1, kMaxParties);
  if (!(o.opposition >= 0 && o.opposition <= 1)) return out_of("opposition", o.opposition, 0, 1);
  if (!(o.reservation >= 0 && o.reservation < 1)) {
    return Status::InvalidArgument(
        fmt::format("reservation must be in [0, 1), got {}", o.reservation));
  }
  if (static_cast<double>(o.issues) * o.values * o.parties > kMaxCells) {
    return Status::InvalidArgument(
        fmt::format("issues x values x parties must be at most {:.0f}, got {} x {} x {}", kMaxCells,
                    o.issues, o.values, o.parties));
  }
  if (o.name.empty()) return Status::InvalidArgument("name must not be empty");
  return Status::Ok();
}

// Uniform on the simplex: normalized exponentials.
std::vector<double> Weights(int n, Random* random) {
  std::vector<double> w(n);
  double sum = 0;
  for (double& x : w) sum += x = random->Exponential();
  if (sum <= 0) return std::vector<double>(n, 1.0 / n);  // Every draw was exactly 0.
  for (double& x : w) x /= sum;
  return w;
}

// The blend described in generate.h, from the first party's scores `a` and independent `c`.
std::vector<double> Blend(const std::vector<double>& a, const std::vector<double>& c, double x) {
  std::vector<double> s(a.size());
  for (size_t v = 0; v < a.size(); ++v) {
    s[v] = x <= 0.5 ? (1 - 2 * x) * a[v] + 2 * x * c[v]
                    : (2 - 2 * x) * c[v] + (2 * x - 1) * (1 - a[v]);
  }
  return s;
}

// Rescaled to [0, 1]: the worst value 0, the best exactly 1.
std::vector<double> Rescaled(std::vector<double> s) {
  auto [lo, hi] = std::minmax_element(s.begin(), s.end());
  double min = *lo, range = *hi - *lo;
  for (double& x : s) x = range > 0 ? (x - min) / range : 1.0;
  return s;
}

Evaluator Table(std::vector<double> evaluations) {
  Evaluator e;
  e.kind = EvaluatorKind::kTable;
  e.evaluations = std::move(evaluations);
  return e;
}

std::vector<double> Draws(int n, Random* random) {
  std::vector<double> d(n);
  for (double& x : d) x = random->Uniform();
  return d;
}

}  // namespace

Result<Scenario> GenerateScenario(const GenerateOptions& o) {
  SHUTTLE_RETURN_IF_ERROR(CheckOptions(o));
  Random random(o.seed);
  Scenario s;
  s.name = o.name;
  s.description = fmt::format(
      "Random linear scenario: {} issues of {} values, {} parties, opposition {}, seed {}",
      o.issues, o.values, o.parties, o.opposition, o.seed);
  std::vector<Issue> issues;
  std::vector<std::string> labels;
  for (int v = 1; v <= o.values; ++v) labels.push_back(fmt::format("v{}", v));
  for (int i = 1; i <= o.issues; ++i)
    issues.push_back(Issue::Discrete(fmt::format("issue{}", i), labels));
  s.space = OutcomeSpace(std::move(issues));

  s.parties.resize(o.parties);
  for (int k = 0; k < o.parties; ++k) {
    s.parties[k].name = fmt::format("party{}", k + 1);
    s.parties[k].profile.weights = Weights(o.issues, &random);
    s.parties[k].profile.reservation_value = o.reservation;
  }
  for (int i = 0; i < o.issues; ++i) {
    std::vector<double> a = Draws(o.values, &random);
    s.parties[0].profile.evaluators.push_back(Table(Rescaled(a)));
    for (int k = 1; k < o.parties; ++k) {
      std::vector<double> c = Draws(o.values, &random);
      s.parties[k].profile.evaluators.push_back(Table(Rescaled(Blend(a, c, o.opposition))));
    }
  }
  return s;
}

}  // namespace shuttle
