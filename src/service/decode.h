// Strict decoding of request bodies (private to src/service): every body is a JSON object whose
// fields are checked against a list, so an unknown field or a wrong type is an error that names
// the field, and nothing reaches a session before the whole body is understood.
#ifndef SHUTTLE_SRC_SERVICE_DECODE_H_
#define SHUTTLE_SRC_SERVICE_DECODE_H_

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "shuttle/outcome_space.h"
#include "shuttle/status.h"

namespace shuttle::service_internal {

using Json = nlohmann::ordered_json;

// Longest statement or note, in bytes.
constexpr size_t kMaxTextBytes = 4000;

// Parses a body: an empty body is {}. kInvalidArgument for malformed JSON (with line and column),
// a duplicate key or nesting deeper than 64 levels (with the path), a body that is not an object,
// or a field not in `known`.
Result<Json> ParseBody(std::string_view body, std::initializer_list<std::string_view> known);

// A required non-empty text field of at most kMaxTextBytes. kInvalidArgument names the field.
Result<std::string> TextField(const Json& body, const char* name);
// An optional string field of at most `max_bytes` (absent: `fallback`).
Result<std::string> OptionalString(const Json& body, const char* name, size_t max_bytes,
                                   std::string fallback);

// {issue name: value} with every issue of the space: discrete values by label, numeric ones as
// numbers or numeric strings. kInvalidArgument names the issue.
Result<Outcome> DecodeOutcome(const OutcomeSpace& space, const Json& j, const std::string& where);

// Compact JSON text; invalid UTF-8 (never produced by the parser) is replaced, never thrown on.
std::string Dump(const Json& j);

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_DECODE_H_
