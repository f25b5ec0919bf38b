#include "command.h"

namespace shuttle::cli {

void SetupGenerate(CLI::App* sub) {
  sub->callback([] { ExitStatus() = Fail(Status::Unimplemented("generate: not built yet")); });
}

}  // namespace shuttle::cli
