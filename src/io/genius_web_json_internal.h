// Private to src/io: what LoadScenario needs from the GeniusWeb JSON reader. Errors carry no
// source prefix ("field 'issueWeights.price': not a number").
#ifndef SHUTTLE_IO_GENIUS_WEB_JSON_INTERNAL_H_
#define SHUTTLE_IO_GENIUS_WEB_JSON_INTERNAL_H_

#include <string>
#include <string_view>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle::io_internal {

// What a JSON text holds, judged from its top-level keys only. kSyntaxError: it opens as a JSON
// object but does not parse (JsonSyntaxError() says where), so no format can be told.
enum class JsonKind {
  kNotJson,
  kShuttleScenario,
  kGeniusWebDomain,
  kGeniusWebProfile,
  kOther,
  kSyntaxError
};
JsonKind DetectJsonKind(std::string_view text);

// Where and why `text` is not JSON ("parse error at line 3, column 13: syntax error while parsing
// object key - unexpected ','; expected string literal"), or "" when it parses.
std::string JsonSyntaxError(std::string_view text);

struct GeniusWebDomain {
  OutcomeSpace space;
  std::string name;  // The "name" field; empty when absent.
};

// A domain document, or the "domain" embedded in a profile document.
Result<GeniusWebDomain> ParseGeniusWebDomainJson(std::string_view json);
Result<Profile> ParseGeniusWebProfileJson(std::string_view json, const OutcomeSpace& space);

}  // namespace shuttle::io_internal

#endif  // SHUTTLE_IO_GENIUS_WEB_JSON_INTERNAL_H_
