#include "command.h"

namespace shuttle::cli {

void SetupConvert(CLI::App* sub) {
  sub->callback([] { ExitStatus() = Fail(Status::Unimplemented("convert: not built yet")); });
}

}  // namespace shuttle::cli
