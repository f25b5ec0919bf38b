// Finding the Vega libraries: compiled in, or read once from a web/ folder.
#include "report/assets.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "shuttle/io.h"
#include "shuttle/report.h"

#ifndef SHUTTLE_WEB_DIR
#define SHUTTLE_WEB_DIR ""
#endif

namespace shuttle::report_internal {
namespace {

struct Loaded {
  std::string vega, vega_lite, vega_embed;
};

Result<Loaded> ReadFrom(const std::string& dir) {
  namespace fs = std::filesystem;
  fs::path base = fs::path(dir) / "node_modules";
  if (!fs::exists(base)) base = dir;  // A folder holding the node_modules tree's contents.
  Loaded l;
  SHUTTLE_ASSIGN_OR_RETURN(l.vega, ReadFile((base / "vega/build/vega.min.js").string()));
  SHUTTLE_ASSIGN_OR_RETURN(l.vega_lite,
                           ReadFile((base / "vega-lite/build/vega-lite.min.js").string()));
  SHUTTLE_ASSIGN_OR_RETURN(l.vega_embed,
                           ReadFile((base / "vega-embed/build/vega-embed.min.js").string()));
  return l;
}

}  // namespace

Result<WebAssets> LoadWebAssets(const std::string& dir) {
  WebAssets embedded = EmbeddedWebAssets();
  if (dir.empty() && !embedded.vega.empty()) return embedded;
  static std::mutex mutex;
  static std::vector<std::unique_ptr<Loaded>> keep;  // Views handed out stay valid.
  std::vector<std::string> candidates;
  if (!dir.empty()) candidates.push_back(dir);
  if (const char* env = std::getenv("SHUTTLE_WEB_DIR")) candidates.push_back(env);
  if (std::string(SHUTTLE_WEB_DIR).size() > 0) candidates.push_back(SHUTTLE_WEB_DIR);
  Status last = Status::NotFound("no web folder");
  for (const std::string& c : candidates) {
    auto loaded = ReadFrom(c);
    if (!loaded.ok()) {
      last = loaded.status();
      continue;
    }
    std::lock_guard<std::mutex> lock(mutex);
    keep.push_back(std::make_unique<Loaded>(std::move(loaded).value()));
    const Loaded& l = *keep.back();
    return WebAssets{l.vega, l.vega_lite, l.vega_embed};
  }
  return Status::NotFound(fmt::format(
      "the Vega libraries were not built in and could not be read ({}); run `npm ci` in web/ "
      "and rebuild, or set SHUTTLE_WEB_DIR to a folder with node_modules/vega*",
      last.message()));
}

}  // namespace shuttle::report_internal

namespace shuttle {

Result<std::string_view> ChartScript(std::string_view file_name) {
  // Read at most once: the views of a successful load live as long as the process.
  static const Result<report_internal::WebAssets> assets = report_internal::LoadWebAssets();
  if (!assets.ok()) return assets.status();
  std::string_view body = file_name == "vega.min.js"         ? assets->vega
                          : file_name == "vega-lite.min.js"  ? assets->vega_lite
                          : file_name == "vega-embed.min.js" ? assets->vega_embed
                                                             : std::string_view();
  if (body.empty()) return Status::NotFound(fmt::format("no chart library '{}'", file_name));
  return body;
}

}  // namespace shuttle
