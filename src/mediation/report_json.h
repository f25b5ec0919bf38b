// The shapes in which a mediation is reported as JSON, built once here for the CLI (`shuttle
// mediate --json`) and the service's views. Exported to the modules above mediation; not public
// API (it hands out nlohmann values).
#ifndef SHUTTLE_MEDIATION_REPORT_JSON_H_
#define SHUTTLE_MEDIATION_REPORT_JSON_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "shuttle/mediation.h"

namespace shuttle::mediation_internal {

// DiagnosisJson's object (DiagnosisJson is its dump).
nlohmann::ordered_json DiagnosisToJson(const OutcomeSpace& space, const ImpasseDiagnosis& diagnosis,
                                       const std::vector<std::string>& party_names);

// {"status", "end_reason", "visits", "agreement" (labels), "utilities" {party: u},
//  "discounted_utilities" {party: u d^t}, "time" (t), "gap_by_visit",
//  "statements", "diagnosis", "bits_disclosed" {party: bits}}, and with a bidding step "bidding":
//  BiddingRoundsJson.
nlohmann::ordered_json ReportJson(const Scenario& scenario, const MediationReport& report);

// The results of a bidding step's rounds, as the table told the parties: [{"round", "rounds",
// "settled", "amount", "by", "at"}], empty without a bidding step.
nlohmann::ordered_json BiddingRoundsJson(const EventLog& log);

// {"scenario", "criterion", "parties": [{"name", "caucus_party"}], the final mediation's
//  ReportJson members, and "relaxation": {"applied": [...], "before": ReportJson} when the talks
//  were mediated again after a relaxation}.
nlohmann::ordered_json RelaxedMediationJson(const Scenario& scenario,
                                            const MediationRunOptions& options,
                                            const RelaxedMediation& run);

// {"visit", "stage", "suggestions": {criterion: outcome}, "draft", "forecasts": [{"party",
//  "utility", "utility_low", "utility_high", "aspiration", "accept_probability", "accepts",
//  "objections": [issue names], "crosses_line", "exact"}], "frontier_distance", "improvement":
//  {"outcome", "gains": {party: gain}} | null, "next": {"party", "reason"}, "gap": {party: g},
//  "diagnosis", "frontier": [[utility per party], ...]}; outcomes by labels, parties by name.
nlohmann::ordered_json AdviceToJson(const OutcomeSpace& space, const Advice& advice,
                                    const std::vector<std::string>& party_names);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_MEDIATION_REPORT_JSON_H_
