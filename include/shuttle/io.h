// Reading and writing scenarios: GENIUS XML, GeniusWeb JSON and Shuttle's own JSON.
//
// Parsers take text plus a source name used in every error ("car.xml: line 12: issue 'price':
// lowerbound 23000 > upperbound 22666"). They are tolerant where the meaning is unambiguous (text
// before the XML declaration, bare '&', issue indices from 1, weights summing to 1.0001) and fail
// with kCorruption or kInvalidArgument otherwise; they never crash or hang on any input. Writers
// produce text that the matching parser reads back to an equal value. All functions are
// thread-safe.
#ifndef SHUTTLE_IO_H_
#define SHUTTLE_IO_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

enum class Format { kGeniusXml, kGeniusWebJson, kShuttleJson };

// Whole file as bytes. kNotFound, kPermissionDenied or kIOError name the path; reading a folder is
// kInvalidArgument.
Result<std::string> ReadFile(const std::string& path);
Status WriteFile(const std::string& path, std::string_view contents);
// Writes `path`.tmp, then renames it over `path`: readers see the old file or the new, whole.
Status ReplaceFile(const std::string& path, std::string_view contents);
// Creates a folder and its parents (none is an error if they exist); kIOError names the path.
Status CreateFolder(const std::string& path);
bool PathExists(const std::string& path);
bool IsFolder(const std::string& path);

// A file written at its end, as results arrive (a tournament's). Append buffers; Flush hands what
// is buffered to the system. Errors name the path. Closed when destroyed. Not thread-safe.
class AppendFile {
 public:
  static Result<std::unique_ptr<AppendFile>> Open(const std::string& path);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;
  Status Append(std::string_view text);
  Status Flush();
  const std::string& path() const { return path_; }

 private:
  AppendFile(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  std::string path_;
  std::FILE* file_;
};

// GENIUS XML, read with GENIUS's meaning:
// - Domain: a <negotiation_template> holding a <utility_space>, or a bare <utility_space>. Issues
//   are collected through nested <objective>s in document order; the type comes from the type,
//   vtype or etype attribute (else from the content). A discrete value listed twice counts once.
// - Profile: issues are matched to the space by name, then by position among the profile's
//   issues (LoadScenario matches by the domain's index attribute instead). Weights are matched to
//   issues by the index attribute, never by position, and kept as read when they sum to within
//   0.02 of 1 (GENIUS's own tolerance); a sum further off (but > 0) is renormalized to 1.
//   Discrete items give a kTable divided by its maximum (an item without an evaluation counts 0;
//   items the domain lacks are ignored unless one holds GENIUS's maximum). Integer issues take
//   <evaluator ftype="linear" slope offset> (kLinearFromLower, measured from the domain's lower
//   bound), the older parameter0/parameter1 form (kLinear), or items (kTable). Real issues take
//   linear (v = parameter1 * x + parameter0), triangular (parameter0 and parameter1 are the feet,
//   parameter2 the top, as GENIUS EvaluatorReal) or constant (parameter0). A discount outside
//   [0, 1] or unreadable is ignored, as GENIUS does; so is an unreadable reservation.
// - Nonlinear profiles (ANAC 2014): <utility maxutility> with <ufun aggregation="sum" weight>
//   and <hyperRectangle utility weight> blocks; INCLUDES pays inside the box, EXCLUDES pays
//   outside it (integer issues only; stored as disjoint boxes), no bounds pays everywhere. Bound
//   indices are issue index attributes.
// - Constraint profiles (<utility_space type="constraint">, GENIUS ConstraintUtilitySpace):
//   <rules><ranks> with <issue index><item value rank/>, every value of a ranked issue ranked once,
//   and <rules><constraints> of the seven types GENIUS evaluates (see ZeroConstraint in
//   profile.h), issues named by index attributes. A repeated check on one issue keeps the last
//   text, and a conditionalZeroOutcomeConstraint's condition is the check GENIUS's HashMap
//   iterates first, as in GENIUS. Refused (kInvalidArgument): what GENIUS would throw on (a value
//   without a rank or a rank item without a value, a missing or non-integer attribute, a number
//   GENIUS parses that is not a Java int, a conditional without two checks) and constraint types
//   GENIUS silently skips.
// - Refused: other evaluator functions and aggregations (kUnimplemented), anything else malformed
//   (kInvalidArgument, or kCorruption for XML syntax), always as "source: line N: cause".
Result<OutcomeSpace> ParseGeniusDomain(std::string_view xml, const std::string& source);
Result<Profile> ParseGeniusProfile(std::string_view xml, const OutcomeSpace& space,
                                   const std::string& source);
std::string WriteGeniusDomain(const OutcomeSpace& space, const std::string& name);
// Writes a profile that ParseGeniusProfile reads back equal and GENIUS reads with the same
// utilities. Shuttle's additions ride in attributes and elements GENIUS ignores: <red_line kind
// issue values|bound note>, the step of a discretized real issue, and the exact weight of a table
// not divided by its maximum. kInvalidArgument when the profile does not validate or uses what
// GENIUS XML cannot express (a function evaluator on a discrete issue, a piecewise evaluator, a
// table on a real issue; a conditional constraint whose condition GENIUS would not take first,
// issues being numbered by position from 1).
Result<std::string> WriteGeniusProfile(const OutcomeSpace& space, const Profile& profile);

// GeniusWeb JSON. A profile embeds its domain; a domain file is {"name", "issuesValues"} with
// {"values": [...]} or {"range": {"low", "high", "step"}} per issue (integers with step 1 make an
// integer issue, anything else a real one). Only LinearAdditiveUtilitySpace profiles are read
// (kUnimplemented otherwise): discreteutils give a kTable not divided by its maximum (missing
// values count 0), numberutils a kLinear through (lowValue, lowUtility) and (highValue,
// highUtility), which must span the range (GeniusWeb gives 0 outside them). The reservation
// bid becomes the reservation value: the profile's utility of that bid (issues missing from a
// partial bid count 0). Errors name the JSON field.
Result<OutcomeSpace> ParseGeniusWebDomain(std::string_view json, const std::string& source);
Result<Profile> ParseGeniusWebProfile(std::string_view json, const OutcomeSpace& space,
                                      const std::string& source);

// Shuttle JSON scenario: {"format": "shuttle-scenario", "version": 1, "name", "description",
// "issues": [...], "parties": [{"name", "profile": {...}}], "agenda": [...], "metadata": {...}}.
// Round-trip exact (doubles are written in the shortest form that reads back to the same bits).
Result<Scenario> ParseScenarioJson(std::string_view json, const std::string& source);
std::string WriteScenarioJson(const Scenario& scenario);

// Loads a scenario from files, the format detected from the content, not the extension: one
// Shuttle JSON scenario; or a GENIUS or GeniusWeb domain followed by profile files; or profile
// files alone (the domain is read from the first). Party names are the profile file names
// without extension ("_2" added to a repeat); the scenario is named after the domain file
// without extension and a "_domain"/"-domain" suffix (a GeniusWeb domain's "name" first).
// Errors say "loading 'path': ..."; the scenario returned validates.
Result<Scenario> LoadScenario(const std::vector<std::string>& paths);

// Writes a scenario: kShuttleJson to the file `path`; kGeniusXml to the folder `path` (created
// if missing) as <name>_domain.xml and one <party>.xml per party ('/', '\\', ':' and control
// characters in names become '_'). GENIUS XML keeps the space and the parties; the description,
// agenda and metadata are not written. kGeniusWebJson is kUnimplemented. kInvalidArgument when
// the scenario does not validate, two parties would share a file, a profile has no GENIUS XML
// form (see WriteGeniusProfile), or the scenario has an agreement rule other than unanimity
// (GENIUS has none: the file would be another negotiation).
Status SaveScenario(const Scenario& scenario, const std::string& path, Format format);

}  // namespace shuttle

#endif  // SHUTTLE_IO_H_
