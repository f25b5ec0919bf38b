#include "mediation/report_json.h"

#include <cmath>

#include "core/json_writer.h"

namespace shuttle::mediation_internal {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> PartyNames(const Scenario& s) {
  std::vector<std::string> names;
  for (const Party& p : s.parties) names.push_back(p.name);
  return names;
}

}  // namespace

Json ReportJson(const Scenario& s, const MediationReport& r) {
  Json j;
  j["status"] = MediationStatusName(r.status);
  j["end_reason"] = r.end_reason;
  j["visits"] = r.visits;
  j["agreement"] =
      r.agreement ? json_internal::OutcomeLabelsJson(s.space, *r.agreement) : Json(nullptr);
  Json utilities = Json::object();
  for (size_t k = 0; k < s.parties.size(); ++k) utilities[s.parties[k].name] = r.utilities[k];
  j["utilities"] = utilities;
  Json discounted = Json::object();
  for (size_t k = 0; k < s.parties.size(); ++k)
    discounted[s.parties[k].name] = r.discounted_utilities[k];
  j["discounted_utilities"] = discounted;
  j["time"] = r.time;
  j["gap_by_visit"] = r.gap_by_visit;
  j["statements"] = r.statements;
  j["diagnosis"] =
      r.diagnosis ? DiagnosisToJson(s.space, *r.diagnosis, PartyNames(s)) : Json(nullptr);
  Json bits = Json::object();
  for (size_t k = 0; k < s.parties.size(); ++k) bits[s.parties[k].name] = r.bits_disclosed[k];
  j["bits_disclosed"] = bits;
  Json bidding = BiddingRoundsJson(r.log);
  if (!bidding.empty()) j["bidding"] = std::move(bidding);
  return j;
}

Json BiddingRoundsJson(const EventLog& log) {
  Json rounds = Json::array();
  for (size_t e = 0; e < log.size(); ++e) {
    const Event& ev = log[e];
    // The table tells every party alike; party 0's copy stands for all.
    if (ev.type != EventType::kNote || ev.actor != kSystem ||
        ev.audience.kind != AudienceKind::kCaucus || ev.audience.party != 0) {
      continue;
    }
    Json note = Json::parse(log.TextOf(ev), nullptr, /*allow_exceptions=*/false);
    if (note.is_object() && note.contains("bidding")) rounds.push_back(note["bidding"]);
  }
  return rounds;
}

Json RelaxedMediationJson(const Scenario& scenario, const MediationRunOptions& options,
                          const RelaxedMediation& run) {
  Json j;
  j["scenario"] = scenario.name;
  j["criterion"] = CriterionName(options.mediation.criterion);
  Json parties = Json::array();
  for (size_t k = 0; k < scenario.parties.size(); ++k) {
    parties.push_back({{"name", scenario.parties[k].name}, {"caucus_party", options.parties[k]}});
  }
  j["parties"] = parties;
  Json report = ReportJson(run.relaxed ? *run.relaxed : scenario, run.last());
  for (auto& [key, value] : report.items()) j[key] = value;
  if (run.second) {
    Json relaxation;
    relaxation["applied"] =
        DiagnosisToJson(scenario.space, *run.first.diagnosis, PartyNames(scenario))["relaxation"];
    relaxation["before"] = ReportJson(scenario, run.first);
    j["relaxation"] = relaxation;
  }
  return j;
}

Json AdviceToJson(const OutcomeSpace& space, const Advice& advice,
                  const std::vector<std::string>& party_names) {
  auto name = [&](size_t k) { return k < party_names.size() ? party_names[k] : std::to_string(k); };
  auto rounded = [](double x) { return std::round(x * 1e4) / 1e4; };
  Json j;
  j["visit"] = advice.visit;
  j["stage"] = advice.stage;
  Json suggestions = Json::object();
  for (const auto& [criterion, outcome] : advice.suggestions)
    suggestions[CriterionName(criterion)] = json_internal::OutcomeJson(space, outcome);
  j["suggestions"] = std::move(suggestions);
  j["draft"] = json_internal::OutcomeJson(space, advice.draft);
  Json forecasts = Json::array();
  for (size_t k = 0; k < advice.forecasts.size(); ++k) {
    const PartyForecast& f = advice.forecasts[k];
    Json objections = Json::array();
    for (int i : f.objections) objections.push_back(space.issue(i).name());
    forecasts.push_back({{"party", name(k)},
                         {"utility", rounded(f.utility)},
                         {"utility_low", rounded(f.utility_low)},
                         {"utility_high", rounded(f.utility_high)},
                         {"aspiration", rounded(f.aspiration)},
                         {"accept_probability", rounded(f.accept_probability)},
                         {"accepts", f.accepts},
                         {"objections", std::move(objections)},
                         {"crosses_line", f.crosses_line},
                         {"exact", f.exact}});
  }
  j["forecasts"] = std::move(forecasts);
  j["frontier_distance"] = rounded(advice.frontier_distance);
  if (advice.improvement) {
    Json gains = Json::object();
    for (size_t k = 0; k < advice.improvement_gains.size(); ++k)
      gains[name(k)] = rounded(advice.improvement_gains[k]);
    j["improvement"] = {{"outcome", json_internal::OutcomeJson(space, *advice.improvement)},
                        {"gains", std::move(gains)}};
  } else {
    j["improvement"] = nullptr;
  }
  j["next"] = {{"party", name(advice.next_party)}, {"reason", advice.next_reason}};
  Json gap = Json::object();
  for (size_t k = 0; k < advice.gap.size(); ++k) gap[name(k)] = rounded(advice.gap[k]);
  j["gap"] = std::move(gap);
  j["diagnosis"] =
      advice.diagnosis ? DiagnosisToJson(space, *advice.diagnosis, party_names) : Json(nullptr);
  Json frontier = Json::array();
  for (const std::vector<double>& point : advice.frontier) {
    Json row = Json::array();
    for (double u : point) row.push_back(rounded(u));
    frontier.push_back(std::move(row));
  }
  j["frontier"] = std::move(frontier);
  return j;
}

}  // namespace shuttle::mediation_internal
