#include "command.h"

namespace shuttle::cli {

void SetupReport(CLI::App* sub) {
  sub->callback([] { ExitStatus() = Fail(Status::Unimplemented("report: not built yet")); });
}

}  // namespace shuttle::cli
