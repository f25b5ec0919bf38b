#include "command.h"

namespace shuttle::cli {

void SetupAnalyze(CLI::App* sub) {
  sub->callback([] { ExitStatus() = Fail(Status::Unimplemented("analyze: not built yet")); });
}

}  // namespace shuttle::cli
