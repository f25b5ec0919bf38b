// Shared by `convert` and `generate`: where a scenario goes and what the user is told.
#ifndef SHUTTLE_TOOLS_SCENARIO_OUTPUT_H_
#define SHUTTLE_TOOLS_SCENARIO_OUTPUT_H_

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "shuttle/io.h"
#include "shuttle/scenario.h"

namespace shuttle::cli {

// Shuttle JSON for a path ending in .json (any case), otherwise a folder of GENIUS XML.
inline Format OutputFormatFor(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  bool json = lower.size() >= 5 && lower.compare(lower.size() - 5, 5, ".json") == 0;
  return json ? Format::kShuttleJson : Format::kGeniusXml;
}

// "wrote out.json (Shuttle JSON): 'car-sale', 5 issues, 2 parties" on stdout.
inline void PrintWritten(const Scenario& s, const std::string& path, Format format) {
  std::printf("%s",
              fmt::format("wrote {} ({}): '{}', {} issues, {} parties\n", path,
                          format == Format::kShuttleJson ? "Shuttle JSON" : "GENIUS XML folder",
                          s.name, s.space.issue_count(), s.parties.size())
                  .c_str());
}

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_SCENARIO_OUTPUT_H_
