#include "core/json_writer.h"

namespace shuttle::json_internal {

nlohmann::ordered_json ValueJson(const Issue& issue, uint64_t value) {
  switch (issue.type()) {
    case IssueType::kDiscrete: return issue.labels()[value];
    case IssueType::kInteger: return issue.int_lower() + static_cast<int64_t>(value);
    case IssueType::kReal: return issue.NumericValue(value).value_or(0.0);
  }
  return nullptr;
}

nlohmann::ordered_json OutcomeJson(const OutcomeSpace& space, std::span<const uint32_t> outcome) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (size_t i = 0; i < space.issue_count() && i < outcome.size(); ++i) {
    j[space.issue(i).name()] = ValueJson(space.issue(i), outcome[i]);
  }
  return j;
}

nlohmann::ordered_json OutcomeLabelsJson(const OutcomeSpace& space,
                                         std::span<const uint32_t> outcome) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (size_t i = 0; i < space.issue_count() && i < outcome.size(); ++i) {
    j[space.issue(i).name()] = space.issue(i).ValueLabel(outcome[i]);
  }
  return j;
}

}  // namespace shuttle::json_internal
