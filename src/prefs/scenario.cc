#include "shuttle/scenario.h"

#include <fmt/format.h>

namespace shuttle {

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
  return Status::Ok();
}

Result<Scenario> Scenario::Discretized(double step) const {
  Scenario out = *this;
  SHUTTLE_ASSIGN_OR_RETURN(out.space, space.Discretized(step));
  return out;
}

}  // namespace shuttle
