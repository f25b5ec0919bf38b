// Quality of the shuttle mediator over the GENIUS corpus (issue 4), printed as a table.
//
// For every 2-party linear additive domain of ../shared/domains/genius with at most 10^6 outcomes
// (index.json rows with two profiles): run the mediator with the given caucus parties and report
// agreement where a ZOPA exists, the Nash product of the agreement divided by the best attainable
// one (Analyze().nash, true reservation values and red lines), visits, and bits disclosed per party
// per visit. With --sao, every pairing of the time-dependent SAO parties runs on the same domains
// and the best pairing (by mean Nash ratio) is printed for comparison. A reference line gives the
// Nash ratio of the first outcomes parties who concede alike accept together (EvenConcessionRatio),
// and another the improvement after agreement: in how many domains one was adopted, and the Nash
// ratio of the first agreements (the first kAdopt) to compare with the final ones.
//
// With --worst N, the N domains with the lowest Nash ratio. With --advice, every answer of the
// caucus parties to a complete text is forecast by Advise from the log just before it (the
// mediator's view; ScoreForecasts), and the share of right forecasts is printed per visit, with the
// time Advise took (each domain's mean per call; median and largest over calls; one thread). With
// --trace, every text put (with each party's true utility of it) and every answer, to study one
// domain with --only. With --nonlinear, the 2-party hyper-rectangle domains instead (any size;
// each frontier's exactness or gap is printed, and the Nash ratio is against it).
//
// With --numeric, the 2-party linear domains with at least one integer or real issue. The default
// mode already holds those with integer issues only (their outcome count is finite in index.json);
// --numeric is that subset plus the domains with a continuous real issue, put on their grid by
// OnMediationGrid (each grid's step, values and per-party utility bound is printed; the Nash ratio
// is against the exact frontier of the grid, within that bound of the continuous one), plus two
// synthetic domains: examples/car-sale.json (price a real issue in steps of 50, delivery an integer
// issue) and the same with the price's step removed (continuous, gridded). The --max-outcomes cap
// applies to the gridded outcome count; a domain over it is named on a "skip" line.
//
//   mediation_quality_bench [--parties reticent,reticent] [--criterion nash] [--sao]
//                           [--max-outcomes 1000000] [--domains DIR] [--verbose] [--limit N]
//                           [--only FOLDER_SUBSTRING] [--worst N] [--advice] [--trace]
//                           [--nonlinear | --numeric] [--visits N] [--discounted]
// With --visits N the mediation has a visit limit of N, its clock (t = visits / N), and a line
// gives the Nash ratio of the discounted utilities (u d^t, FIELD.md); --discounted keeps only the
// domains with a discounted profile.
// bench/mediation_quality.sh runs the configurations reported in src/mediation/README.md.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/io.h"
#include "shuttle/mediation.h"
#include "shuttle/negotiate.h"

namespace {

using namespace shuttle;

struct Domain {
  std::string name;
  Scenario scenario;
  Analysis analysis;
};

struct Args {
  std::string domains = std::string(SHUTTLE_SOURCE_DIR) + "/../shared/domains/genius";
  std::vector<std::string> parties = {"reticent", "reticent"};
  std::string criterion = "nash";
  bool sao = false;
  bool verbose = false;
  double max_outcomes = 1e6;
  size_t limit = 0;
  std::string only;
  size_t worst = 0;
  bool advice = false;
  bool trace = false;
  bool nonlinear = false;
  bool numeric = false;
  int visits = 0;           // --visits: the mediation's visit limit (0: none).
  bool discounted = false;  // --discounted: only domains with a discounted profile.
};

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (k.rfind("--benchmark_", 0) == 0) {
      // Run by scripts/bench.sh with Google Benchmark flags: these are figures, not timings.
      std::printf(
          "mediation_quality_bench prints quality figures, not timings: run "
          "bench/mediation_quality.sh\n");
      std::exit(0);
    }
    if (k == "--parties")
      a.parties = Split(next());
    else if (k == "--criterion")
      a.criterion = next();
    else if (k == "--sao")
      a.sao = true;
    else if (k == "--verbose")
      a.verbose = true;
    else if (k == "--max-outcomes")
      a.max_outcomes = std::atof(next().c_str());
    else if (k == "--domains")
      a.domains = next();
    else if (k == "--limit")
      a.limit = std::strtoul(next().c_str(), nullptr, 10);
    else if (k == "--only")
      a.only = next();
    else if (k == "--worst")
      a.worst = std::strtoul(next().c_str(), nullptr, 10);
    else if (k == "--advice")
      a.advice = true;
    else if (k == "--trace")
      a.trace = true;
    else if (k == "--nonlinear")
      a.nonlinear = true;
    else if (k == "--numeric")
      a.numeric = true;
    else if (k == "--visits")
      a.visits = std::atoi(next().c_str());
    else if (k == "--discounted")
      a.discounted = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", k.c_str());
      std::exit(2);
    }
  }
  if (a.nonlinear && a.numeric) {
    std::fprintf(stderr, "--nonlinear and --numeric select different domains: choose one\n");
    std::exit(2);
  }
  return a;
}

// A domain left out: on stderr, but --numeric names each on stdout, with the grids.
void Skip(const Args& args, const std::string& name, const std::string& why) {
  std::fprintf(args.numeric ? stdout : stderr, "%sskip %s: %s\n", args.numeric ? "  " : "",
               name.c_str(), why.c_str());
}

bool HasNumericIssue(const nlohmann::json& row) {
  for (const auto& t : row["issue_types"]) {
    if (t == "integer" || t == "real") return true;
  }
  return false;
}

// Whether an index row is in the mode's selection (before its outcome count after gridding).
bool Selected(const Args& args, const nlohmann::json& row) {
  if (row["n_profiles"] != 2) return false;
  bool linear = false, nonlinear = false;
  for (const auto& k : row["profile_kinds"]) {
    linear = linear || k == "linear-additive";
    nonlinear = nonlinear || k == "nonlinear-hyperrectangle";
  }
  if (args.discounted) {
    bool any = false;
    for (const auto& k : row["profile_kinds"])
      any = any || k.get<std::string>().rfind("discount=", 0) == 0;
    if (!any) return false;
  }
  if (args.nonlinear) return nonlinear;
  if (!linear || nonlinear) return false;
  // A real issue's count is "inf": it is counted on its grid (Prepare).
  if (args.numeric) return HasNumericIssue(row);
  return !row["n_outcomes"].is_string() && row["n_outcomes"].get<double>() <= args.max_outcomes;
}

std::string DescribeGrid(const std::vector<GridNote>& grid) {
  if (grid.empty()) return "no continuous issue";
  std::string out;
  for (const GridNote& g : grid) {
    out += fmt::format("{}{} step {:g} ({} values), utility bound", out.empty() ? "" : "; ",
                       g.issue, g.step, g.values);
    for (size_t k = 0; k < g.utility_bound.size(); ++k)
      out += fmt::format("{}{:.4f}", k ? "/" : " ", g.utility_bound[k]);
  }
  return out;
}

// --numeric: the scenario on its grid, within the outcome cap. False (and a "skip" line) when not.
bool OnGridWithinCap(const Args& args, const std::string& name, Scenario* s,
                     std::vector<GridNote>* grid) {
  Result<Scenario> g = OnMediationGrid(*s, grid);
  if (!g.ok()) {
    Skip(args, name, g.status().message());
    return false;
  }
  if (!g->space.EnumerableWithin(static_cast<uint64_t>(args.max_outcomes))) {
    Skip(args, name,
         fmt::format("{} outcomes on the grid, over the cap ({})",
                     g->space.cardinality().ToString(), DescribeGrid(*grid)));
    return false;
  }
  *s = *std::move(g);
  return true;
}

// Grids (--numeric) and analyzes a loaded scenario, and adds it to `out`.
void Prepare(const Args& args, const std::string& name, Scenario s, std::vector<Domain>* out) {
  std::vector<GridNote> grid;
  if (args.numeric && !OnGridWithinCap(args, name, &s, &grid)) return;
  Result<Analysis> a = Analyze(s);
  if (!a.ok()) {
    Skip(args, name, a.status().message());
    return;
  }
  if (args.nonlinear) {
    std::printf("  %s: frontier %s%s\n", name.c_str(), a->pareto.exact ? "exact" : "approximate",
                a->pareto.gap && !a->pareto.exact
                    ? fmt::format(" (gap {:.3f})", *a->pareto.gap).c_str()
                    : "");
  }
  if (args.numeric) {
    std::printf("  %s: %s outcomes; %s\n", name.c_str(), s.space.cardinality().ToString().c_str(),
                DescribeGrid(grid).c_str());
  }
  out->push_back({name, std::move(s), *std::move(a)});
}

// --numeric: examples/car-sale.json as it is, and with the price's step removed.
void AddCarSales(const Args& args, std::vector<Domain>* out) {
  const std::string path = std::string(SHUTTLE_SOURCE_DIR) + "/examples/car-sale.json";
  Result<Scenario> s = LoadScenario({path});
  if (!s.ok()) {
    Skip(args, "examples/car-sale.json", s.status().message());
    return;
  }
  const std::string stepped = "examples/car-sale.json";
  const std::string continuous = "examples/car-sale.json, price continuous";
  std::vector<Issue> issues = s->space.issues();
  int price = s->space.FindIssue("price");
  if (price >= 0) {
    const Issue& p = issues[price];
    issues[price] = Issue::Real(p.name(), p.real_lower(), p.real_upper());
  }
  Scenario unstepped = *s;
  unstepped.space = OutcomeSpace(std::move(issues));
  if (args.only.empty() || stepped.find(args.only) != std::string::npos)
    Prepare(args, stepped, *s, out);
  if (price >= 0 && (args.only.empty() || continuous.find(args.only) != std::string::npos))
    Prepare(args, continuous, std::move(unstepped), out);
}

std::vector<Domain> LoadDomains(const Args& args) {
  std::vector<Domain> out;
  Result<std::string> index = ReadFile(args.domains + "/index.json");
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", index.status().ToString().c_str());
    return out;
  }
  nlohmann::json j = nlohmann::json::parse(*index);
  for (const auto& row : j["rows"]) {
    if (!Selected(args, row)) continue;
    std::string folder = args.domains + "/" + row["folder"].get<std::string>();
    if (!args.only.empty() && row["folder"].get<std::string>().find(args.only) == std::string::npos)
      continue;
    std::vector<std::string> paths = {folder + "/" + row["domain_file"].get<std::string>()};
    for (const auto& p : row["profile_files"]) paths.push_back(folder + "/" + p.get<std::string>());
    Result<Scenario> s = LoadScenario(paths);
    if (!s.ok()) {
      Skip(args, row["folder"].get<std::string>(), s.status().message());
      continue;
    }
    Prepare(args, row["folder"].get<std::string>(), *std::move(s), &out);
    if (args.limit && out.size() >= args.limit) break;
  }
  if (args.numeric && !(args.limit && out.size() >= args.limit)) AddCarSales(args, &out);
  return out;
}

double NashProduct(const std::vector<double>& u, const std::vector<double>& rv) {
  double p = 1;
  for (size_t k = 0; k < u.size(); ++k) p *= std::max(0.0, u[k] - rv[k]);
  return p;
}

// Nash product of the agreement over the best attainable (1 when the best is 0 and there is a
// deal).
double NashRatio(const Domain& d, bool agreement, const std::vector<double>& u) {
  if (!agreement || !d.analysis.nash) return 0;
  double best = NashProduct(d.analysis.nash->utilities, d.analysis.reservation_values);
  double got = NashProduct(u, d.analysis.reservation_values);
  return best > 1e-15 ? got / best : 1.0;
}

// The reference point of parties who concede alike: the frontier point with the largest least
// gain over the reservation value, each party's gain in units of its own range (best minus
// reservation value). Parties who give up the same share of their range per visit first find
// acceptable, together, the outcomes near it; its Nash ratio is what a mediator reaches by putting
// the first text both accept.
double EvenConcessionRatio(const Domain& d) {
  if (!d.analysis.nash) return 0;
  const std::vector<double>& rv = d.analysis.reservation_values;
  std::vector<double> top(rv.size(), -1e300);
  for (const Point& p : d.analysis.pareto.points) {
    for (size_t k = 0; k < top.size(); ++k) top[k] = std::max(top[k], p.utilities[k]);
  }
  const Point* best = nullptr;
  double best_least = -1e300;
  for (const Point& p : d.analysis.pareto.points) {
    double least = 1e300;
    for (size_t k = 0; k < rv.size(); ++k)
      least = std::min(least, (p.utilities[k] - rv[k]) / std::max(top[k] - rv[k], 1e-12));
    if (least > best_least) {
      best_least = least;
      best = &p;
    }
  }
  return best ? NashRatio(d, true, best->utilities) : 0;
}

struct Summary {
  int zopa = 0, agreed = 0;
  double ratio = 0, visits = 0, bits = 0;
  double even = 0;   // Sum of EvenConcessionRatio over the domains with a zone.
  double first = 0;  // Sum of the first agreements' Nash ratios (before any improvement).
  // --visits: the Nash ratio of the discounted utilities (u d^t, the reservation values too:
  // the ratio times the product of the parties' d^t) and the time t of the agreements.
  double discounted = 0, time = 0;
  int improved = 0;  // Domains where an improvement on the first agreement was adopted.
  std::vector<double> utility_sum;
  std::vector<std::pair<double, std::string>> ratios;  // Per domain with a zone.
  // --advice: right and total forecasts per visit; Advise's times in seconds.
  std::map<int, std::pair<int, int>> forecasts;
  std::vector<double> advise_seconds;
};

void PrintSummary(const std::string& label, const Summary& s, bool mediated = true) {
  std::printf("%-34s zopa %3d  agreement %5.1f%%  nash ratio %.4f", label.c_str(), s.zopa,
              s.zopa ? 100.0 * s.agreed / s.zopa : 0.0, s.zopa ? s.ratio / s.zopa : 0.0);
  if (mediated) {
    std::printf("  visits %6.2f  bits/party/visit %6.1f", s.agreed ? s.visits / s.agreed : 0.0,
                s.agreed ? s.bits / s.agreed : 0.0);
  }
  std::printf("\n");
}

// --trace: each text put to a party (with every party's true utility of it) and each answer.
void Trace(const Domain& d, const EventLog& log) {
  std::vector<Utility> u;
  for (const Party& p : d.scenario.parties) {
    Result<Utility> c = Utility::Compile(d.scenario.space, p.profile);
    if (!c.ok()) return;
    u.push_back(*std::move(c));
  }
  std::printf("  %s: nash (%.3f, %.3f), reservation (%.3f, %.3f)\n", d.name.c_str(),
              d.analysis.nash ? d.analysis.nash->utilities[0] : 0.0,
              d.analysis.nash ? d.analysis.nash->utilities[1] : 0.0, u[0].reservation_value(),
              u[1].reservation_value());
  for (size_t i = 0; i < log.size(); ++i) {
    const Event& e = log[i];
    std::span<const uint32_t> o = log.OutcomeOf(e);
    if (e.type == EventType::kPropose && e.actor == kMediator && !o.empty()) {
      if (e.audience.party != 0) continue;
      std::string values;
      for (uint32_t v : o) values += fmt::format(" {}", v);
      std::vector<uint32_t> x(o.begin(), o.end());
      std::printf("    visit %2d text%s  u=(%.3f, %.3f)\n", e.round + 1, values.c_str(),
                  u[0].Evaluate(x), u[1].Evaluate(x));
    } else if (e.actor >= 0 && (e.type == EventType::kAccept || e.type == EventType::kObject ||
                                e.type == EventType::kAnswer)) {
      std::printf("      party %d %s %s\n", e.actor, EventTypeName(e.type),
                  std::string(log.TextOf(e)).c_str());
    }
  }
}

// The first agreement: the text of the last kAdopt before any improvement. Under an agenda the
// earlier ones adopt a stage, whose text holds placeholders for the later stages' issues.
std::optional<std::vector<uint32_t>> FirstAgreement(const EventLog& log) {
  std::optional<std::vector<uint32_t>> first;
  for (const Event& e : log.events()) {
    if (e.type != EventType::kAdopt || e.audience.party != 0) continue;
    nlohmann::json j = nlohmann::json::parse(log.TextOf(e), nullptr, false);
    if (j.is_object() && j.value("improves", false)) break;
    std::span<const uint32_t> o = log.OutcomeOf(e);
    first.emplace(o.begin(), o.end());
  }
  return first;
}

Summary RunMediator(const std::vector<Domain>& domains, const Args& args) {
  Summary s;
  s.utility_sum.assign(2, 0.0);
  Result<Criterion> criterion = ParseCriterion(args.criterion);
  for (const Domain& d : domains) {
    MediationRunOptions o;
    o.parties = args.parties;
    o.mediation.criterion = criterion.ok() ? *criterion : Criterion::kNash;
    o.mediation.max_visits = args.visits;
    Result<MediationReport> r = Mediate(d.scenario, o);
    if (!r.ok()) {
      // On stdout: a domain the mediator fails on is a figure, not noise.
      std::printf("  mediation failed on %s: %s\n", d.name.c_str(), r.status().message().c_str());
      continue;
    }
    bool zopa = d.analysis.nash.has_value();
    bool agreed = r->agreement.has_value();
    double ratio = NashRatio(d, agreed, r->utilities);
    double bits = 0;
    for (double b : r->bits_disclosed)
      bits += b / std::max(1, r->visits) / r->bits_disclosed.size();
    if (zopa) {
      ++s.zopa;
      s.ratio += ratio;
      s.even += EvenConcessionRatio(d);
      double first_ratio = ratio;
      std::optional<std::vector<uint32_t>> first = FirstAgreement(r->log);
      if (agreed && first) {
        std::vector<double> u;
        for (const Party& p : d.scenario.parties) {
          Result<Utility> c = Utility::Compile(d.scenario.space, p.profile);
          u.push_back(c.ok() ? c->Evaluate(*first) : 0.0);
        }
        first_ratio = NashRatio(d, true, u);
      }
      s.first += first_ratio;
      double wait = 1;
      for (const Party& p : d.scenario.parties)
        wait *= DiscountedUtility(1.0, p.profile.discount, r->time);
      s.discounted += ratio * wait;
      if (agreed) s.time += r->time;
      if (first_ratio != ratio) ++s.improved;
      s.ratios.emplace_back(ratio, d.name);
      if (agreed) ++s.agreed;
    }
    if (args.advice) {
      const auto start = std::chrono::steady_clock::now();
      Result<ForecastTally> t = ScoreForecasts(d.scenario.space, r->log);
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (t.ok()) {
        for (const auto& [visit, rt] : t->by_visit) {
          s.forecasts[visit].first += rt.first;
          s.forecasts[visit].second += rt.second;
        }
        // Per Advise call: this domain's time over its calls.
        for (int k = 0; k < t->total; ++k) s.advise_seconds.push_back(seconds / t->total);
      }
    }
    if (args.trace) Trace(d, r->log);
    if (agreed) {
      s.visits += r->visits;
      s.bits += bits;
      for (size_t k = 0; k < 2; ++k) s.utility_sum[k] += r->utilities[k];
    }
    if (args.verbose) {
      std::printf("  %-60s %-9s visits %3d ratio %.3f u=(%.3f,%.3f) nash=(%.3f,%.3f) bits/v %.1f\n",
                  d.name.c_str(), MediationStatusName(r->status), r->visits, ratio, r->utilities[0],
                  r->utilities[1], zopa ? d.analysis.nash->utilities[0] : 0.0,
                  zopa ? d.analysis.nash->utilities[1] : 0.0, bits);
    }
  }
  return s;
}

Summary RunSao(const std::vector<Domain>& domains, const std::string& a, const std::string& b) {
  Summary s;
  for (const Domain& d : domains) {
    NegotiationOptions o;
    o.protocol = "sao";
    o.agents = {a, b};
    o.metrics = false;
    Result<NegotiationResult> r = Negotiate(d.scenario, o);
    if (!r.ok()) continue;
    std::vector<double> u;
    bool agreed = r->agreement.has_value();
    if (agreed) {
      for (const Party& p : d.scenario.parties) {
        Result<Utility> c = Utility::Compile(d.scenario.space, p.profile);
        u.push_back(c.ok() ? c->Evaluate(*r->agreement) : 0.0);
      }
    }
    if (d.analysis.nash) {
      ++s.zopa;
      s.ratio += NashRatio(d, agreed, u);
      if (agreed) ++s.agreed;
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = ParseArgs(argc, argv);
  std::vector<Domain> domains = LoadDomains(args);
  if (args.nonlinear) {
    std::printf(
        "domains: %zu (2-party hyper-rectangle profiles; Nash ratio against the frontier "
        "above, a lower bound where it is approximate)\n",
        domains.size());
  } else if (args.numeric) {
    std::printf(
        "domains: %zu (2-party linear with an integer or real issue and the car sales, <= %.0f "
        "outcomes on the grid; Nash ratio against the grid's exact frontier)\n",
        domains.size(), args.max_outcomes);
  } else {
    std::printf("domains: %zu (2-party linear, <= %.0f outcomes)\n", domains.size(),
                args.max_outcomes);
  }
  std::string label = "mediator ";
  for (size_t k = 0; k < args.parties.size(); ++k) label += (k ? "/" : "") + args.parties[k];
  Summary m = RunMediator(domains, args);
  PrintSummary(label, m);
  if (m.agreed) {
    std::printf("%-34s mean utility of the agreements: party 0 %.4f, party 1 %.4f\n", "",
                m.utility_sum[0] / m.agreed, m.utility_sum[1] / m.agreed);
  }
  if (m.zopa) {
    int below = 0;
    for (const auto& [ratio, name] : m.ratios) below += ratio < 0.90;
    std::printf("%-34s domains with a nash ratio below 0.90: %d of %d\n", "", below, m.zopa);
    std::printf(
        "%-34s reference: the first point parties conceding alike accept, nash ratio %.4f\n", "",
        m.even / m.zopa);
    std::printf(
        "%-34s after agreement: improved in %d domains; the first agreements' nash ratio "
        "%.4f\n",
        "", m.improved, m.first / m.zopa);
    if (args.visits > 0) {
      std::printf(
          "%-34s discounted (u d^t, t = visits / %d): nash ratio %.4f, mean t of the agreements "
          "%.3f\n",
          "", args.visits, m.discounted / m.zopa, m.agreed ? m.time / m.agreed : 0.0);
    }
  }
  if (args.worst > 0) {
    std::sort(m.ratios.begin(), m.ratios.end());
    std::printf("worst %zu domains by Nash ratio:\n", std::min(args.worst, m.ratios.size()));
    for (size_t k = 0; k < args.worst && k < m.ratios.size(); ++k)
      std::printf("  %.4f  %s\n", m.ratios[k].first, m.ratios[k].second.c_str());
  }
  if (args.advice) {
    int right = 0, total = 0;
    std::printf("forecasts of the answers (Advise on the mediator's view before each answer):\n");
    std::printf("  %5s %8s %9s\n", "visit", "answers", "accuracy");
    for (const auto& [visit, rt] : m.forecasts) {
      right += rt.first;
      total += rt.second;
      if (visit <= 20)
        std::printf("  %5d %8d %8.1f%%\n", visit, rt.second, 100.0 * rt.first / rt.second);
    }
    std::printf("  %5s %8d %8.1f%%\n", "all", total, total ? 100.0 * right / total : 0.0);
    std::vector<double> t = m.advise_seconds;
    if (!t.empty()) {
      std::sort(t.begin(), t.end());
      std::printf(
          "  Advise: %zu calls, median %.2f ms, largest %.2f ms (a domain's mean per call)\n",
          t.size(), 1e3 * t[t.size() / 2], 1e3 * t.back());
    }
  }
  if (args.sao) {
    const char* tactics[] = {"boulware", "linear", "conceder", "hardliner"};
    std::string best_label;
    Summary best;
    for (const char* a : tactics) {
      for (const char* b : tactics) {
        Summary s = RunSao(domains, a, b);
        std::string l = fmt::format("sao {}/{}", a, b);
        if (args.verbose) PrintSummary(l, s, false);
        if (best_label.empty() || s.ratio > best.ratio) {
          best = s;
          best_label = l;
        }
      }
    }
    PrintSummary("best " + best_label, best, false);
  }
  return 0;
}
