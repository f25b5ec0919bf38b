#include "shuttle/scenario.h"

#include <fmt/format.h>

#include <algorithm>

namespace shuttle {

bool AgreementRule::SatisfiedBy(const std::vector<bool>& accepted) const {
  int count = 0;
  for (bool a : accepted) count += a ? 1 : 0;
  if (count < Needed(static_cast<int>(accepted.size()))) return false;
  for (int k : required) {
    if (k < 0 || static_cast<size_t>(k) >= accepted.size() || !accepted[k]) return false;
  }
  return true;
}

int Scenario::FindParty(std::string_view name) const {
  for (size_t k = 0; k < parties.size(); ++k) {
    if (parties[k].name == name) return static_cast<int>(k);
  }
  return -1;
}

std::vector<std::vector<int>> AgreementRule::Coalitions(int party_count, size_t limit) const {
  std::vector<std::vector<int>> out;
  if (!Validate(party_count).ok()) return out;
  std::vector<bool> is_required(party_count, false);
  for (int k : required) is_required[k] = true;
  const int needed = Needed(party_count);
  std::vector<int> members;
  // Depth-first over the parties in order: take each, then (unless required) skip it.
  auto grow = [&](auto&& self, int k) -> void {
    if (out.size() >= limit) return;
    if (static_cast<int>(members.size()) == needed) {
      if (std::all_of(required.begin(), required.end(),
                      [&](int r) { return std::binary_search(members.begin(), members.end(), r); }))
        out.push_back(members);
      return;
    }
    if (k == party_count) return;
    members.push_back(k);
    self(self, k + 1);
    members.pop_back();
    if (!is_required[k]) self(self, k + 1);
  };
  grow(grow, 0);
  return out;
}

Status AgreementRule::Validate(int party_count) const {
  if (at_least < 0 || at_least > party_count) {
    return Status::InvalidArgument(
        fmt::format("agreement rule: at_least {} is out of range 0..{} (0: every party)", at_least,
                    party_count));
  }
  for (size_t i = 0; i < required.size(); ++i) {
    if (required[i] < 0 || required[i] >= party_count) {
      return Status::InvalidArgument(
          fmt::format("agreement rule: required party {} out of range", required[i]));
    }
    for (size_t j = 0; j < i; ++j) {
      if (required[j] == required[i])
        return Status::InvalidArgument(
            fmt::format("agreement rule: party {} is required twice", required[i]));
    }
  }
  if (static_cast<int>(required.size()) > Needed(party_count)) {
    return Status::InvalidArgument(
        fmt::format("agreement rule: {} parties are required but at_least is {}", required.size(),
                    Needed(party_count)));
  }
  return Status::Ok();
}

Status Scenario::Validate() const {
  for (const Party& party : parties) {
    SHUTTLE_RETURN_IF_ERROR(
        party.profile.Validate(space).WithContext(fmt::format("party '{}'", party.name)));
  }
  for (const Stage& stage : agenda) {
    for (int i : stage.issues) {
      if (i < 0 || static_cast<size_t>(i) >= space.issue_count()) {
        return Status::InvalidArgument(
            fmt::format("agenda stage '{}': issue index {} out of range", stage.name, i));
      }
    }
  }
  return rule.Validate(static_cast<int>(parties.size()));
}

Result<Scenario> Scenario::Discretized(double step) const {
  Scenario out = *this;
  SHUTTLE_ASSIGN_OR_RETURN(out.space, space.Discretized(step));
  return out;
}

}  // namespace shuttle
