// Early checks of command-line names; see arg_checks.h.
#include "arg_checks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "command.h"
#include "shuttle/mediation.h"
#include "shuttle/protocol.h"
#include "shuttle/strategy.h"

namespace shuttle::cli {

Status CheckAgentSpecs(const std::vector<std::string>& specs, std::string_view option) {
  for (const std::string& spec : specs) {
    auto agent = MakeAgent(spec);
    if (!agent.ok())
      return Status::InvalidArgument(fmt::format("{}: {}", option, agent.status().message()));
  }
  return Status::Ok();
}

Status CheckCaucusSpecs(const std::vector<std::string>& specs, std::string_view option) {
  for (const std::string& spec : specs) {
    auto agent = MakeCaucusAgent(spec);
    if (!agent.ok())
      return Status::InvalidArgument(fmt::format("{}: {}", option, agent.status().message()));
  }
  return Status::Ok();
}

Status CheckProtocolName(std::string_view name, std::string_view option,
                         const std::vector<std::string>& extra) {
  std::vector<std::string> known = ProtocolNames();
  known.insert(known.end(), extra.begin(), extra.end());
  for (const std::string& k : known) {
    if (k == name) return Status::Ok();
  }
  return Status::InvalidArgument(
      fmt::format("{}: unknown protocol '{}' (known: {})", option, name, fmt::join(known, ", ")));
}

}  // namespace shuttle::cli
