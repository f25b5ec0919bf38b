// The report of a tournament: per-agent estimates with confidence intervals, distributions and
// head-to-head means, from the results files.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <map>
#include <set>

#include "report/html.h"
#include "shuttle/report.h"

namespace shuttle {
namespace {

using report_internal::Chart;
using report_internal::Json;
using report_internal::NewSpec;
using report_internal::Page;

Json Num(double x) { return std::isnan(x) ? Json(nullptr) : Json(std::round(x * 1e5) / 1e5); }

std::vector<std::string> AgentOrder(const std::vector<JobResult>& results,
                                    std::vector<std::string> agents) {
  if (!agents.empty()) return agents;
  std::set<std::string> seen;
  for (const JobResult& r : results)
    for (const std::string& a : r.agents)
      if (seen.insert(a).second) agents.push_back(a);
  return agents;
}

// Bars of a mean with a rule for its 95% interval, one per agent.
Json EstimateChart(const TournamentSummary& s, const std::vector<std::string>& order,
                   Estimate AgentSummary::*field, const std::string& title, bool unit_scale) {
  Json rows = Json::array();
  for (const AgentSummary& a : s.agents) {
    const Estimate& e = a.*field;
    rows.push_back({{"agent", a.agent},
                    {"mean", Num(e.mean)},
                    {"low", Num(e.low)},
                    {"high", Num(e.high)},
                    {"n", e.n}});
  }
  Json spec = NewSpec("");
  spec["data"] = {{"values", rows}};
  spec["width"] = 480;
  spec["height"] = {{"step", 26}};
  Json y = {{"field", "agent"}, {"type", "nominal"}, {"sort", order}, {"title", nullptr}};
  Json x = {{"field", "mean"}, {"type", "quantitative"}, {"title", title}};
  if (unit_scale) x["scale"] = {{"domain", {0, 1}}};
  spec["layer"] = {{{"mark", {{"type", "bar"}, {"color", "#7aa6d6"}}},
                    {"encoding",
                     {{"y", y},
                      {"x", x},
                      {"tooltip",
                       {{{"field", "agent"}},
                        {{"field", "mean"}},
                        {{"field", "low"}},
                        {{"field", "high"}},
                        {{"field", "n"}}}}}}},
                   {{"mark", {{"type", "rule"}, {"color", "#222"}, {"strokeWidth", 2}}},
                    {"encoding",
                     {{"y", y},
                      {"x", {{"field", "low"}, {"type", "quantitative"}}},
                      {"x2", {{"field", "high"}}}}}}};
  return spec;
}

Json DistanceChart(const TournamentSummary& s, const std::vector<std::string>& order) {
  Json rows = Json::array();
  for (const AgentSummary& a : s.agents) {
    for (auto [name, e] : {std::pair{"Pareto frontier", &a.pareto_distance},
                           std::pair{"Nash point", &a.nash_distance},
                           std::pair{"Kalai-Smorodinsky point", &a.ks_distance}}) {
      if (e->n == 0) continue;
      rows.push_back({{"agent", a.agent},
                      {"to", name},
                      {"mean", Num(e->mean)},
                      {"low", Num(e->low)},
                      {"high", Num(e->high)}});
    }
  }
  Json spec = NewSpec("");
  spec["data"] = {{"values", rows}};
  spec["width"] = 480;
  spec["height"] = {{"step", 30}};
  Json y = {{"field", "agent"}, {"type", "nominal"}, {"sort", order}, {"title", nullptr}};
  Json offset = {{"field", "to"}, {"type", "nominal"}};
  Json color = {{"field", "to"}, {"type", "nominal"}, {"title", "distance to"}};
  spec["layer"] = {
      {{"mark", {{"type", "rule"}, {"strokeWidth", 2}}},
       {"encoding",
        {{"y", y},
         {"yOffset", offset},
         {"color", color},
         {"x",
          {{"field", "low"}, {"type", "quantitative"}, {"title", "mean distance (utility space)"}}},
         {"x2", {{"field", "high"}}}}}},
      {{"mark", {{"type", "point"}, {"filled", true}, {"size", 60}}},
       {"encoding",
        {{"y", y},
         {"yOffset", offset},
         {"color", color},
         {"x", {{"field", "mean"}, {"type", "quantitative"}}},
         {"tooltip",
          {{{"field", "agent"}},
           {{"field", "to"}},
           {{"field", "mean"}},
           {{"field", "low"}},
           {{"field", "high"}}}}}}}};
  return spec;
}

// Own utility per negotiation as box plots; every k-th row past max_rows.
Json DistributionChart(const std::vector<JobResult>& results, const std::vector<std::string>& order,
                       size_t max_rows) {
  Json rows = Json::array();
  size_t total = 0;
  for (const JobResult& r : results) total += r.error.empty() ? r.agents.size() : 0;
  size_t stride = std::max<size_t>(1, (total + max_rows - 1) / std::max<size_t>(1, max_rows));
  size_t k = 0;
  for (const JobResult& r : results) {
    if (!r.error.empty()) continue;
    for (size_t slot = 0; slot < r.agents.size() && slot < r.utilities.size(); ++slot) {
      if (k++ % stride == 0)
        rows.push_back({{"agent", r.agents[slot]}, {"utility", Num(r.utilities[slot])}});
    }
  }
  Json spec = NewSpec("");
  spec["data"] = {{"values", rows}};
  spec["width"] = 480;
  spec["height"] = {{"step", 30}};
  spec["mark"] = {{"type", "boxplot"}, {"extent", 1.5}};
  spec["encoding"] = {
      {"y", {{"field", "agent"}, {"type", "nominal"}, {"sort", order}, {"title", nullptr}}},
      {"x",
       {{"field", "utility"},
        {"type", "quantitative"},
        {"title", "own utility"},
        {"scale", {{"domain", {0, 1}}}}}}};
  return spec;
}

// Mean own utility of the row agent against the column agent, over two-party negotiations.
Json HeadToHeadChart(const std::vector<JobResult>& results, const std::vector<std::string>& order) {
  std::map<std::pair<std::string, std::string>, std::pair<double, size_t>> cells;
  for (const JobResult& r : results) {
    if (!r.error.empty() || r.agents.size() != 2 || r.utilities.size() != 2) continue;
    for (int k = 0; k < 2; ++k) {
      auto& c = cells[{r.agents[k], r.agents[1 - k]}];
      c.first += r.utilities[k];
      ++c.second;
    }
  }
  Json rows = Json::array();
  for (const auto& [key, c] : cells)
    rows.push_back({{"agent", key.first},
                    {"opponent", key.second},
                    {"utility", Num(c.first / c.second)},
                    {"n", c.second}});
  Json spec = NewSpec("");
  spec["data"] = {{"values", rows}};
  spec["width"] = {{"step", 56}};
  spec["height"] = {{"step", 30}};
  Json y = {{"field", "agent"}, {"type", "nominal"}, {"sort", order}, {"title", "agent"}};
  Json x = {{"field", "opponent"}, {"type", "nominal"}, {"sort", order}, {"title", "against"}};
  spec["layer"] = {{{"mark", "rect"},
                    {"encoding",
                     {{"y", y},
                      {"x", x},
                      {"color",
                       {{"field", "utility"},
                        {"type", "quantitative"},
                        {"title", "mean utility"},
                        {"scale", {{"domain", {0, 1}}, {"scheme", "blues"}}}}},
                      {"tooltip",
                       {{{"field", "agent"}},
                        {{"field", "opponent"}},
                        {{"field", "utility"}},
                        {{"field", "n"}}}}}}},
                   {{"mark", {{"type", "text"}, {"fontSize", 11}}},
                    {"encoding",
                     {{"y", y},
                      {"x", x},
                      {"text", {{"field", "utility"}, {"format", ".2f"}}},
                      {"color",
                       {{"condition", {{"test", "datum.utility > 0.6"}, {"value", "white"}}},
                        {"value", "black"}}}}}}};
  return spec;
}

Result<Page> BuildPage(const std::vector<JobResult>& results,
                       const std::vector<std::string>& agents, const ReportOptions& o) {
  if (results.empty()) return Status::InvalidArgument("report: no tournament results");
  std::vector<std::string> order = AgentOrder(results, agents);
  TournamentSummary s = Summarize(order, results);
  std::set<std::string> scenarios;
  for (const JobResult& r : results) scenarios.insert(r.scenario);
  Page page;
  page.title = o.title.empty() ? "Tournament" : o.title;
  page.facts = {
      {"agents", fmt::format("{}", fmt::join(order, ", "))},
      {"scenarios", fmt::format("{}", fmt::join(scenarios, ", "))},
      {"negotiations",
       fmt::format("{}{}", s.jobs, s.errors ? fmt::format(" ({} failed)", s.errors) : "")}};
  page.charts.push_back(
      {"utility", "Mean own utility",
       "Bars: means; black rules: 95% confidence intervals (Student t).",
       EstimateChart(s, order, &AgentSummary::utility, "mean own utility", true)});
  page.charts.push_back(
      {"agreement-rate", "Agreement rate", "Rules: 95% Wilson score intervals.",
       EstimateChart(s, order, &AgentSummary::agreement_rate, "agreement rate", true)});
  page.charts.push_back({"welfare", "Social welfare",
                         "Sum of utilities of the negotiations each agent took part in.",
                         EstimateChart(s, order, &AgentSummary::welfare, "mean welfare", false)});
  page.charts.push_back(
      {"distances", "Distance to the Pareto frontier, Nash and Kalai-Smorodinsky points",
       "Euclidean, in utility space; lower is better. Rules: 95% confidence intervals.",
       DistanceChart(s, order)});
  page.charts.push_back({"distribution", "Own utility per negotiation",
                         "Box plots over every role an agent played.",
                         DistributionChart(results, order, o.max_rows)});
  page.charts.push_back(
      {"head-to-head", "Head to head",
       "Mean own utility of the row agent against the column agent (two-party scenarios).",
       HeadToHeadChart(results, order)});
  return page;
}

}  // namespace

Result<std::string> TournamentReportSpecs(const std::vector<JobResult>& results,
                                          const std::vector<std::string>& agents,
                                          const ReportOptions& options) {
  SHUTTLE_ASSIGN_OR_RETURN(Page page, BuildPage(results, agents, options));
  return report_internal::SpecsJson(page);
}

Result<std::string> TournamentReportHtml(const std::vector<JobResult>& results,
                                         const std::vector<std::string>& agents,
                                         const ReportOptions& options) {
  SHUTTLE_ASSIGN_OR_RETURN(Page page, BuildPage(results, agents, options));
  return report_internal::RenderHtml(page, options.web_dir);
}

}  // namespace shuttle
