#include "mediation/report_json.h"

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
  j["gap_by_visit"] = r.gap_by_visit;
  j["statements"] = r.statements;
  j["diagnosis"] =
      r.diagnosis ? DiagnosisToJson(s.space, *r.diagnosis, PartyNames(s)) : Json(nullptr);
  Json bits = Json::object();
  for (size_t k = 0; k < s.parties.size(); ++k) bits[s.parties[k].name] = r.bits_disclosed[k];
  j["bits_disclosed"] = bits;
  return j;
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

}  // namespace shuttle::mediation_internal
