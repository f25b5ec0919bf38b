// Private to src/prefs (and its tests): pieces of GENIUS constraint profiles shared by validation
// (constraint_profile.cc) and compilation (constraint_utility.cc). Pure functions, thread-safe.
#ifndef SHUTTLE_PREFS_CONSTRAINT_UTILITY_H_
#define SHUTTLE_PREFS_CONSTRAINT_UTILITY_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle::constraint_internal {

// The text as Java's Integer.valueOf reads it: an optional '+' or '-', then decimal digits, within
// [-2^31, 2^31 - 1]; nullopt otherwise. (Java also takes non-ASCII digits; labels never use them.)
std::optional<int32_t> JavaInt(std::string_view text);

// Profile::Validate for kConstraint: ranks and constraints (see profile.h).
Status ValidateConstraintProfile(const OutcomeSpace& space, const Profile& profile);

}  // namespace shuttle::constraint_internal

#endif  // SHUTTLE_PREFS_CONSTRAINT_UTILITY_H_
