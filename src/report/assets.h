// The JavaScript a report inlines: Vega, Vega-Lite and vega-embed (private to src/report).
#ifndef SHUTTLE_REPORT_ASSETS_H_
#define SHUTTLE_REPORT_ASSETS_H_

#include <string>
#include <string_view>

#include "shuttle/status.h"

namespace shuttle::report_internal {

struct WebAssets {
  std::string_view vega, vega_lite, vega_embed;  // Empty when not embedded.
};

// The copies compiled into the library from web/node_modules (empty views when the build had
// none). Defined in the build's generated report_assets.cc.
WebAssets EmbeddedWebAssets();

// The embedded copies, else the files under `dir` (when not empty), else under the environment
// variable SHUTTLE_WEB_DIR, else under the source tree's web/. kNotFound says how to get them.
// The returned views stay valid for the life of the process.
Result<WebAssets> LoadWebAssets(const std::string& dir = {});

}  // namespace shuttle::report_internal

#endif  // SHUTTLE_REPORT_ASSETS_H_
