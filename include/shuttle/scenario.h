// A Scenario: one negotiation to analyze, simulate or mediate.
//
// It owns the outcome space, the named parties with their profiles, an optional agenda of stages
// (issues settled in order; later stages open when earlier ones are agreed) and free metadata.
// A plain value; copy it freely.
#ifndef SHUTTLE_SCENARIO_H_
#define SHUTTLE_SCENARIO_H_

#include <map>
#include <string>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle {

struct Party {
  std::string name;
  Profile profile;
  bool operator==(const Party& o) const = default;
};

struct Stage {
  std::string name;
  std::vector<int> issues;  // Indices into the outcome space.
  bool deferred = false;    // Listed for the record, not negotiated in this scenario.
  bool operator==(const Stage& o) const = default;
};

struct Scenario {
  std::string name;
  std::string description;
  OutcomeSpace space;
  std::vector<Party> parties;
  std::vector<Stage> agenda;                    // Empty: one stage with every issue.
  std::map<std::string, std::string> metadata;  // Free text, kept in order of keys.

  // Validates every profile against the space and the agenda's issue indices.
  Status Validate() const;
  // Every real issue discretized with `step`; profiles are unchanged (they are functions of the
  // issue's numbers, not of value indices).
  Result<Scenario> Discretized(double step) const;
  bool operator==(const Scenario& o) const = default;
};

}  // namespace shuttle

#endif  // SHUTTLE_SCENARIO_H_
