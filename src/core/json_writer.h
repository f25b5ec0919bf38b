// How the library writes outcomes as JSON (private to the library: core, and every module below
// it), so that the CLI's results, the service's views and the mediator's diagnosis name values the
// same way.
#ifndef SHUTTLE_CORE_JSON_WRITER_H_
#define SHUTTLE_CORE_JSON_WRITER_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>

#include "shuttle/outcome_space.h"

namespace shuttle::json_internal {

// A value as its type reads: a discrete value's label, an integer, a real number.
nlohmann::ordered_json ValueJson(const Issue& issue, uint64_t value);

// {issue name: ValueJson, ...} in issue order (as many issues as `outcome` has values).
nlohmann::ordered_json OutcomeJson(const OutcomeSpace& space, std::span<const uint32_t> outcome);

// {issue name: value label, ...}: every value as the string a person reads ("24000", "2 years").
nlohmann::ordered_json OutcomeLabelsJson(const OutcomeSpace& space,
                                         std::span<const uint32_t> outcome);

}  // namespace shuttle::json_internal

#endif  // SHUTTLE_CORE_JSON_WRITER_H_
