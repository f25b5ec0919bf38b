// A Scenario: one negotiation to analyze, simulate or mediate.
//
// It owns the outcome space, the named parties with their profiles, an optional agenda of stages
// (issues settled in order; later stages open when earlier ones are agreed) and free metadata.
// A plain value; copy it freely.
#ifndef SHUTTLE_SCENARIO_H_
#define SHUTTLE_SCENARIO_H_

#include <map>
#include <string>
#include <string_view>
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

// Which parties must accept for a deal to stand. Unanimity (the default) is every party; otherwise
// at least `at_least` parties, among them every `required` one (a veto). A deal accepted by more
// parties than it needs stands too.
struct AgreementRule {
  int at_least = 0;           // 0: every party (unanimity).
  std::vector<int> required;  // Indices into Scenario::parties, in the order given.

  bool unanimous() const { return at_least == 0 && required.empty(); }
  // The number of accepting parties a deal needs among `party_count`.
  int Needed(int party_count) const { return at_least == 0 ? party_count : at_least; }
  // True when the parties with accepted[k] set satisfy the rule.
  bool SatisfiedBy(const std::vector<bool>& accepted) const;
  // The smallest coalitions that satisfy the rule among `party_count` parties: exactly Needed()
  // parties, every required one among them, each sorted, in lexicographic order; the first
  // `limit` of them. Empty when the rule is not valid for `party_count`.
  std::vector<std::vector<int>> Coalitions(int party_count, size_t limit) const;
  // kInvalidArgument when at_least is outside 0..party_count, a required index is out of range or
  // repeated, or more parties are required than at_least.
  Status Validate(int party_count) const;
  bool operator==(const AgreementRule& o) const = default;
};

struct Scenario {
  std::string name;
  std::string description;
  OutcomeSpace space;
  std::vector<Party> parties;
  std::vector<Stage> agenda;                    // Empty: one stage with every issue.
  std::map<std::string, std::string> metadata;  // Free text, kept in order of keys.
  AgreementRule rule;                           // Default: unanimity.

  // Validates every profile against the space, the agenda's issue indices and the rule.
  Status Validate() const;
  // The index of the party called `name`, or -1.
  int FindParty(std::string_view name) const;
  // Every real issue discretized with `step`; profiles are unchanged (they are functions of the
  // issue's numbers, not of value indices).
  Result<Scenario> Discretized(double step) const;
  bool operator==(const Scenario& o) const = default;
};

}  // namespace shuttle

#endif  // SHUTTLE_SCENARIO_H_
