// Checks of the names a command line gives (agents, caucus parties, protocols), made before any
// file is loaded or any negotiation runs, so that a misspelt name is a usage error (exit 2) that
// lists the known names, not bad input (exit 3) or a failed job found halfway through a run.
// The library's own checks stay as they are: these only run them early, from the CLI.
#ifndef SHUTTLE_TOOLS_ARG_CHECKS_H_
#define SHUTTLE_TOOLS_ARG_CHECKS_H_

#include <string>
#include <string_view>
#include <vector>

#include "shuttle/status.h"

namespace shuttle::cli {

// kInvalidArgument for the first spec that MakeAgent() refuses (unknown name, bad parameter),
// prefixed with `option`: "--party: unknown agent 'nosuch' (known: boulware, ...)".
Status CheckAgentSpecs(const std::vector<std::string>& specs, std::string_view option);

// The same for caucus-party specs (MakeCaucusAgent()).
Status CheckCaucusSpecs(const std::vector<std::string>& specs, std::string_view option);

// kInvalidArgument unless `name` is one of ProtocolNames() or of `extra`; the message lists them
// all: "--protocol: unknown protocol 'foo' (known: sao, single-text, feedback, adjusted-winner)".
Status CheckProtocolName(std::string_view name, std::string_view option,
                         const std::vector<std::string>& extra = {});

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_ARG_CHECKS_H_
