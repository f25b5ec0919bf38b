// The page around the charts (private to src/report): facts, charts, lists, inlined Vega.
#ifndef SHUTTLE_REPORT_HTML_H_
#define SHUTTLE_REPORT_HTML_H_

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "shuttle/status.h"

namespace shuttle::report_internal {

using Json = nlohmann::ordered_json;

// One chart: a Vega-Lite spec with an id ("utility-space") and a heading.
struct Chart {
  std::string id;
  std::string title;
  std::string caption;  // One sentence under the heading (plain text).
  Json spec;
};

struct Page {
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;  // Label, value (plain text).
  std::vector<Chart> charts;
  std::string list_title;  // A plain list after the charts (e.g. statements).
  std::vector<std::string> list;
};

// "&<>\"'" escaped for HTML text and attributes.
std::string EscapeHtml(std::string_view text);

// [{"id", "title", "spec"}] of the page's charts.
std::string SpecsJson(const Page& page);

// The whole file; `web_dir` as ReportOptions::web_dir. kNotFound when the Vega libraries are
// neither embedded nor found.
Result<std::string> RenderHtml(const Page& page, const std::string& web_dir);

// The schema line every spec starts with.
Json NewSpec(const std::string& title);

}  // namespace shuttle::report_internal

#endif  // SHUTTLE_REPORT_HTML_H_
