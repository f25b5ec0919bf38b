// Reading and writing scenarios: GENIUS XML, GeniusWeb JSON and Shuttle's own JSON.
//
// Parsers take text plus a source name used in every error ("car.xml: line 12: issue 'price':
// lowerbound > upperbound"). They are tolerant where the meaning is unambiguous (text before the
// XML declaration, bare '&', issue indices from 1, weights summing to 1.0001) and fail with
// kCorruption or kInvalidArgument otherwise; they never crash or hang on any input. Writers produce
// text that the matching parser reads back to an equal value. All functions are thread-safe.
#ifndef SHUTTLE_IO_H_
#define SHUTTLE_IO_H_

#include <string>
#include <string_view>
#include <vector>

#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

enum class Format { kGeniusXml, kGeniusWebJson, kShuttleJson };

// Whole file as bytes; kNotFound / kIOError name the path.
Result<std::string> ReadFile(const std::string& path);
Status WriteFile(const std::string& path, std::string_view contents);

// GENIUS XML. A domain file (<negotiation_template> or a bare <utility_space>) gives the space;
// a profile file gives a Profile against that space (issues matched by name, then by index).
Result<OutcomeSpace> ParseGeniusDomain(std::string_view xml, const std::string& source);
Result<Profile> ParseGeniusProfile(std::string_view xml, const OutcomeSpace& space,
                                   const std::string& source);
std::string WriteGeniusDomain(const OutcomeSpace& space, const std::string& name);
// kInvalidArgument for what GENIUS XML cannot express (red lines are written as a comment-free
// Shuttle extension element <red_line> that GENIUS ignores).
Result<std::string> WriteGeniusProfile(const OutcomeSpace& space, const Profile& profile);

// GeniusWeb JSON. A profile embeds its domain; a domain file is {"name", "issuesValues"}.
Result<OutcomeSpace> ParseGeniusWebDomain(std::string_view json, const std::string& source);
Result<Profile> ParseGeniusWebProfile(std::string_view json, const OutcomeSpace& space,
                                      const std::string& source);

// Shuttle JSON scenario: {"format": "shuttle-scenario", "version": 1, "name", "description",
// "issues": [...], "parties": [{"name", "profile": {...}}], "agenda": [...], "metadata": {...}}.
// Round-trip exact (doubles are written with 17 significant digits).
Result<Scenario> ParseScenarioJson(std::string_view json, const std::string& source);
std::string WriteScenarioJson(const Scenario& scenario);

// Loads a scenario from files: one Shuttle JSON scenario, or a GENIUS/GeniusWeb domain followed by
// profile files (party names are the profile file names without extension). The format is
// detected from the content, not the extension.
Result<Scenario> LoadScenario(const std::vector<std::string>& paths);

// Writes a scenario: kShuttleJson to the file `path`; kGeniusXml to the folder `path` as
// <name>_domain.xml and one <party>.xml per party (created if missing).
Status SaveScenario(const Scenario& scenario, const std::string& path, Format format);

}  // namespace shuttle

#endif  // SHUTTLE_IO_H_
