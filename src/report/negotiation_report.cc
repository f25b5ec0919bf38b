// The report of one negotiation or mediation: what the log shows, measured in the scenario.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <span>

#include "core/json_reader.h"
#include "report/html.h"
#include "shuttle/analysis.h"
#include "shuttle/report.h"

namespace shuttle {
namespace {

using report_internal::Chart;
using report_internal::Json;
using report_internal::NewSpec;
using report_internal::Page;

// Everything the charts need, drawn from the log once.
struct LogFacts {
  std::vector<std::string> parties;
  std::vector<Utility> utilities;
  std::optional<Analysis> analysis;
  Json outcomes = Json::array();   // {x, y}
  Json offers = Json::array();     // {step, round, time, by, x, y, u: [...], outcome}
  Json over_time = Json::array();  // {step, time, by, party, utility}
  Json gaps = Json::array();       // {visit, gap, party, contribution}
  Json gap_line = Json::array();   // {visit, gap, statement}
  std::vector<std::string> statements;
  std::optional<Outcome> agreement;
  std::string ending;  // "agreement" or the reason there was none
  bool mediated = false;
};

std::string ActorName(const LogFacts& f, int32_t actor) {
  if (actor == kMediator) return "mediator";
  if (actor >= 0 && static_cast<size_t>(actor) < f.parties.size()) return f.parties[actor];
  return "system";
}

double Round4(double x) { return std::round(x * 1e4) / 1e4; }

void SampleOutcomes(const Scenario& s, const ReportOptions& o, LogFacts* f) {
  const OutcomeSpace& space = s.space;
  Outcome outcome(space.issue_count());
  auto add = [&] {
    f->outcomes.push_back({{"x", Round4(f->utilities[o.x_party].Evaluate(outcome))},
                           {"y", Round4(f->utilities[o.y_party].Evaluate(outcome))}});
  };
  if (space.EnumerableWithin(o.max_outcomes)) {
    uint64_t n = space.cardinality().ToU64();
    for (uint64_t i = 0; i < n; ++i) {
      space.Decode(i, &outcome);
      add();
    }
    return;
  }
  std::mt19937_64 rng(o.seed);
  for (size_t k = 0; k < o.max_outcomes; ++k) {
    for (size_t i = 0; i < space.issue_count(); ++i)
      outcome[i] = static_cast<uint32_t>(rng() % space.issue(i).size());
    add();
  }
}

void AddMove(const Scenario& s, const EventLog& log, const Event& e, const ReportOptions& o,
             LogFacts* f) {
  std::span<const uint32_t> values = log.OutcomeOf(e);
  const uint32_t* outcome = values.data();
  std::string by = ActorName(*f, e.actor);
  // The mediator puts the same text to every party in turn: one point per new text.
  if (e.type == EventType::kPropose && !f->offers.empty()) {
    const Json& last = f->offers.back();
    if (last["by"] == by &&
        last["outcome"] == s.space.Describe(Outcome(values.begin(), values.end())))
      return;
  }
  size_t step = f->offers.size();
  Json u = Json::array();
  for (size_t p = 0; p < f->utilities.size(); ++p) {
    double v = Round4(f->utilities[p].Evaluate(outcome));
    u.push_back(v);
    f->over_time.push_back(
        {{"step", step}, {"time", e.time}, {"by", by}, {"party", f->parties[p]}, {"utility", v}});
  }
  f->offers.push_back({{"step", step},
                       {"round", e.round},
                       {"time", e.time},
                       {"by", by},
                       {"x", u[o.x_party]},
                       {"y", u[o.y_party]},
                       {"u", u},
                       {"outcome", s.space.Describe(Outcome(values.begin(), values.end()))}});
}

// A mediator's gap note: {"visit", "gap", "contributions": [...]}; anything else is ignored.
void AddGapNote(std::string_view text, LogFacts* f) {
  Result<Json> parsed = json_internal::ParseOrderedJson(text, "gap note");
  if (!parsed.ok()) return;
  Json& j = *parsed;
  if (!j.is_object() || !j.contains("gap") || !j.contains("visit")) return;
  if (!j["gap"].is_number() || !j["visit"].is_number()) return;
  int visit = j["visit"].get<int>();
  f->gap_line.push_back(
      {{"visit", visit}, {"gap", Round4(j["gap"].get<double>())}, {"statement", ""}});
  if (j.contains("contributions") && j["contributions"].is_array()) {
    const Json& c = j["contributions"];
    for (size_t p = 0; p < c.size() && p < f->parties.size(); ++p) {
      if (c[p].is_number())
        f->gaps.push_back({{"visit", visit},
                           {"party", f->parties[p]},
                           {"contribution", Round4(c[p].get<double>())}});
    }
  }
}

Result<LogFacts> ReadLog(const Scenario& s, const EventLog& log, const ReportOptions& o) {
  LogFacts f;
  for (const Party& p : s.parties) {
    f.parties.push_back(p.name);
    SHUTTLE_ASSIGN_OR_RETURN(Utility u, Utility::Compile(s.space, p.profile));
    f.utilities.push_back(std::move(u));
  }
  int n = static_cast<int>(f.parties.size());
  if (n < 2 || o.x_party < 0 || o.y_party < 0 || o.x_party >= n || o.y_party >= n)
    return Status::InvalidArgument(
        fmt::format("report: axis parties {} and {} of {} parties", o.x_party, o.y_party, n));
  if (log.size() > 0 && log.issue_count() != s.space.issue_count())
    return Status::InvalidArgument(fmt::format("report: the log has {} issues, the scenario {}",
                                               log.issue_count(), s.space.issue_count()));
  auto analysis = Analyze(s);
  if (analysis.ok()) f.analysis = std::move(analysis).value();
  SampleOutcomes(s, o, &f);
  for (const Event& e : log.events()) {
    bool has_outcome = e.outcome != Event::kNone;
    if ((e.type == EventType::kOffer || e.type == EventType::kPropose) && has_outcome)
      AddMove(s, log, e, o, &f);
    if (e.type == EventType::kPropose) f.mediated = true;
    if ((e.type == EventType::kNote || e.type == EventType::kRound) && e.actor == kMediator)
      AddGapNote(log.TextOf(e), &f);
    if (e.type == EventType::kStatement) {
      f.statements.push_back(std::string(log.TextOf(e)));
      if (!f.gap_line.empty()) f.gap_line.back()["statement"] = std::string(log.TextOf(e));
    }
    if (e.type == EventType::kAgreement && has_outcome) {
      f.agreement = log.OutcomeCopy(e);
      f.ending = "agreement";
    }
    if (e.type == EventType::kNoAgreement) {
      f.ending =
          log.TextOf(e).empty() ? "no agreement" : "no agreement: " + std::string(log.TextOf(e));
    }
  }
  return f;
}

Json Axis(const std::string& field, const std::string& title) {
  return {{"field", field},
          {"type", "quantitative"},
          {"title", title},
          {"scale", {{"domain", {0, 1}}}}};
}

Json UtilitySpace(const LogFacts& f, const ReportOptions& o) {
  Json spec = NewSpec("");
  spec["width"] = 560;
  spec["height"] = 560;
  std::string xt = "utility of " + f.parties[o.x_party], yt = "utility of " + f.parties[o.y_party];
  Json xy = {{"x", Axis("x", xt)}, {"y", Axis("y", yt)}};
  Json layers = Json::array();
  layers.push_back(
      {{"data", {{"values", f.outcomes}}},
       {"mark", {{"type", "circle"}, {"size", 10}, {"color", "#c8c8c8"}, {"opacity", 0.6}}},
       {"encoding", xy}});
  if (f.analysis) {
    Json frontier = Json::array(), solutions = Json::array();
    for (const Point& p : f.analysis->pareto.points)
      frontier.push_back({{"x", p.utilities[o.x_party]}, {"y", p.utilities[o.y_party]}});
    for (auto [name, point] : {std::pair{"Nash", &f.analysis->nash},
                               std::pair{"Kalai-Smorodinsky", &f.analysis->kalai_smorodinsky}}) {
      if (*point)
        solutions.push_back({{"x", (*point)->utilities[o.x_party]},
                             {"y", (*point)->utilities[o.y_party]},
                             {"point", name}});
    }
    Json enc = xy;
    enc["order"] = {{"field", "x"}, {"type", "quantitative"}};
    layers.push_back({{"data", {{"values", frontier}}},
                      {"mark",
                       {{"type", "line"},
                        {"color", "#444"},
                        {"strokeWidth", 1.5},
                        {"point", {{"color", "#444"}, {"size", 18}}}}},
                      {"encoding", enc}});
    Json sol = xy;
    sol["shape"] = {
        {"field", "point"},
        {"type", "nominal"},
        {"title", "solution"},
        {"scale", {{"domain", {"Nash", "Kalai-Smorodinsky"}}, {"range", {"cross", "diamond"}}}}};
    sol["tooltip"] = {
        {{"field", "point"}}, {{"field", "x"}, {"title", xt}}, {{"field", "y"}, {"title", yt}}};
    layers.push_back(
        {{"data", {{"values", solutions}}},
         {"mark", {{"type", "point"}, {"size", 260}, {"filled", true}, {"color", "#000"}}},
         {"encoding", sol}});
  }
  Json trace = xy;
  trace["color"] = {{"field", "by"}, {"type", "nominal"}, {"title", "offers by"}};
  trace["order"] = {{"field", "step"}, {"type", "quantitative"}};
  trace["tooltip"] = {{{"field", "by"}},
                      {{"field", "round"}},
                      {{"field", "outcome"}},
                      {{"field", "x"}, {"title", xt}},
                      {{"field", "y"}, {"title", yt}}};
  // One line per offerer: detail splits the line without a second legend.
  trace["detail"] = {{"field", "by"}, {"type", "nominal"}};
  layers.push_back(
      {{"data", {{"values", f.offers}}},
       {"mark", {{"type", "line"}, {"point", true}, {"strokeWidth", 1.2}, {"opacity", 0.85}}},
       {"encoding", trace}});
  if (f.agreement) {
    Json a = {{{"x", Round4(f.utilities[o.x_party].Evaluate(*f.agreement))},
               {"y", Round4(f.utilities[o.y_party].Evaluate(*f.agreement))},
               {"label", "agreement"}}};
    Json enc = xy;
    enc["tooltip"] = {
        {{"field", "label"}}, {{"field", "x"}, {"title", xt}}, {{"field", "y"}, {"title", yt}}};
    layers.push_back({{"data", {{"values", a}}},
                      {"mark",
                       {{"type", "point"},
                        {"shape", "square"},
                        {"size", 320},
                        {"strokeWidth", 3},
                        {"color", "#d62728"}}},
                      {"encoding", enc}});
    layers.push_back(
        {{"data", {{"values", a}}},
         {"mark",
          {{"type", "text"},
           {"dx", 14},
           {"dy", -12},
           {"align", "left"},
           {"fontWeight", "bold"},
           {"color", "#d62728"}}},
         {"encoding", {{"x", xy["x"]}, {"y", xy["y"]}, {"text", {{"field", "label"}}}}}});
  }
  spec["layer"] = layers;
  return spec;
}

Json UtilityOverTime(const LogFacts& f) {
  Json spec = NewSpec("");
  spec["data"] = {{"values", f.over_time}};
  spec["facet"] = {{"row", {{"field", "by"}, {"type", "nominal"}, {"title", "offers by"}}}};
  Json enc = {{"x", {{"field", "time"}, {"type", "quantitative"}, {"title", "normalized time"}}},
              {"y",
               {{"field", "utility"},
                {"type", "quantitative"},
                {"title", "utility"},
                {"scale", {{"domain", {0, 1}}}}}},
              {"color", {{"field", "party"}, {"type", "nominal"}, {"title", "utility of"}}},
              {"tooltip", {{{"field", "party"}}, {{"field", "time"}}, {{"field", "utility"}}}}};
  spec["spec"] = {{"width", 560},
                  {"height", 150},
                  {"mark", {{"type", "line"}, {"point", {{"size", 14}}}, {"strokeWidth", 1.2}}},
                  {"encoding", enc}};
  return spec;
}

Json GapOverVisits(const LogFacts& f) {
  Json spec = NewSpec("");
  spec["width"] = 560;
  spec["height"] = 260;
  Json x = {{"field", "visit"},
            {"type", "quantitative"},
            {"title", "visit"},
            {"axis", {{"tickMinStep", 1}, {"format", "d"}}}};
  Json layers = Json::array();
  if (!f.gaps.empty()) {
    layers.push_back(
        {{"data", {{"values", f.gaps}}},
         {"mark",
          {{"type", "line"}, {"point", true}, {"strokeDash", {4, 3}}, {"strokeWidth", 1.5}}},
         {"encoding",
          {{"x", x},
           {"y", {{"field", "contribution"}, {"type", "quantitative"}, {"title", "gap"}}},
           {"color", {{"field", "party"}, {"type", "nominal"}, {"title", "gap of"}}},
           {"tooltip",
            {{{"field", "party"}},
             {{"field", "visit"}},
             {{"field", "contribution"}, {"title", "gap"}}}}}}});
  }
  layers.push_back(
      {{"data", {{"values", f.gap_line}}},
       {"mark", {{"type", "line"}, {"point", true}, {"color", "#000"}, {"strokeWidth", 2}}},
       {"encoding",
        {{"x", x},
         {"y",
          {{"field", "gap"},
           {"type", "quantitative"},
           {"title", "gap"},
           {"scale", {{"domainMin", 0}}}}},
         {"tooltip", {{{"field", "visit"}}, {{"field", "gap"}}, {{"field", "statement"}}}}}}});
  spec["layer"] = layers;
  return spec;
}

Page BuildPage(const Scenario& s, const LogFacts& f, const ReportOptions& o) {
  Page page;
  page.title = o.title.empty() ? fmt::format("{}: {}", s.name.empty() ? "negotiation" : s.name,
                                             f.mediated ? "mediation" : "negotiation")
                               : o.title;
  page.facts.push_back({"parties", fmt::format("{}", fmt::join(f.parties, ", "))});
  page.facts.push_back({"outcomes", s.space.cardinality().ToString()});
  page.facts.push_back({"moves plotted", std::to_string(f.offers.size())});
  page.facts.push_back({"ending", f.ending.empty() ? "still open" : f.ending});
  if (f.agreement) {
    page.facts.push_back({"agreement", s.space.Describe(*f.agreement)});
    std::vector<std::string> u;
    for (size_t p = 0; p < f.utilities.size(); ++p)
      u.push_back(fmt::format("{} {:.3f}", f.parties[p], f.utilities[p].Evaluate(*f.agreement)));
    page.facts.push_back({"utilities", fmt::format("{}", fmt::join(u, ", "))});
  }
  std::string sample = f.outcomes.size() < s.space.cardinality().ToDouble()
                           ? fmt::format("a seeded sample of {} outcomes", f.outcomes.size())
                           : "every outcome";
  page.charts.push_back(
      {"utility-space", "Utility space",
       fmt::format("Grey: {}. Line: the Pareto frontier. Black marks: the Nash and "
                   "Kalai-Smorodinsky points. Coloured traces: each side's moves in order; "
                   "red square: the agreement.",
                   sample),
       UtilitySpace(f, o)});
  page.charts.push_back({"utility-over-time", "Utility over time",
                         "Each move's utility to every party, by who made it.",
                         UtilityOverTime(f)});
  if (!f.gap_line.empty()) {
    page.charts.push_back({"gap-over-visits", "Gap over visits",
                           "Black: the gap after each visit, the mean of the parties' gaps, as the "
                           "mediator reports it. "
                           "Dashed: each party's own gap (the mediator's private view). Hover for "
                           "the public statement.",
                           GapOverVisits(f)});
  }
  if (!f.statements.empty()) {
    page.list_title = "Public statements";
    page.list = f.statements;
  }
  return page;
}

}  // namespace

Result<std::string> NegotiationReportSpecs(const Scenario& scenario, const EventLog& log,
                                           const ReportOptions& options) {
  SHUTTLE_ASSIGN_OR_RETURN(LogFacts facts, ReadLog(scenario, log, options));
  return report_internal::SpecsJson(BuildPage(scenario, facts, options));
}

Result<std::string> NegotiationReportHtml(const Scenario& scenario, const EventLog& log,
                                          const ReportOptions& options) {
  SHUTTLE_ASSIGN_OR_RETURN(LogFacts facts, ReadLog(scenario, log, options));
  return report_internal::RenderHtml(BuildPage(scenario, facts, options), options.web_dir);
}

}  // namespace shuttle
