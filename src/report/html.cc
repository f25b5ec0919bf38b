// The report page: a plain HTML skeleton, the specs as inert JSON, the libraries inlined.
#include "report/html.h"

#include <fmt/format.h>

#include <cctype>

#include "report/assets.h"

namespace shuttle::report_internal {
namespace {

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto;
       max-width: 1100px; padding: 0 16px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 4px; }
p.caption { color: #555; margin: 0 0 8px; }
table.facts { border-collapse: collapse; margin: 8px 0 16px; }
table.facts td { padding: 2px 14px 2px 0; vertical-align: top; }
table.facts td:first-child { color: #666; }
.chart { min-height: 40px; }
.chart-error { color: #b00; white-space: pre-wrap; }
ol.items li { margin: 2px 0; }
footer { color: #888; font-size: 12px; margin-top: 32px; }
)";

// Rendering script: each chart into its div; records the outcome on the div so a headless
// browser (and a test) can tell rendered from failed charts, and the charts' boxes in #layout.
constexpr const char* kScript = R"(
(function () {
  var specs = JSON.parse(document.getElementById('shuttle-specs').textContent);
  var pending = specs.map(function (c) {
    var el = document.getElementById('chart-' + c.id);
    return vegaEmbed(el, c.spec, {actions: false, renderer: 'svg'}).then(function () {
      el.setAttribute('data-rendered', 'yes');
    }).catch(function (e) {
      el.setAttribute('data-rendered', 'error');
      el.insertAdjacentHTML('beforeend', '<div class="chart-error"></div>');
      el.lastChild.textContent = 'This chart could not be drawn: ' + e;
    });
  });
  Promise.all(pending).then(function () {
    var boxes = specs.map(function (c) {
      var r = document.getElementById('chart-' + c.id).getBoundingClientRect();
      return {id: c.id, x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
    });
    document.getElementById('layout').textContent = JSON.stringify(boxes);
    document.body.setAttribute('data-charts', 'done');
  });
})();
)";

// An inline <script> body ends at the first "</script" in any case; nothing else in it matters
// to the HTML parser, so only that sequence is broken up (inside JavaScript strings, where it
// can only occur, "<\/" means the same).
std::string ScriptSafe(std::string_view js) {
  std::string out;
  out.reserve(js.size());
  for (size_t i = 0; i < js.size(); ++i) {
    if (js[i] == '<' && i + 8 <= js.size() && js[i + 1] == '/') {
      std::string tag(js.substr(i + 2, 6));
      for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (tag == "script") {
        out += "<\\/";
        ++i;
        continue;
      }
    }
    out += js[i];
  }
  return out;
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Json NewSpec(const std::string& title) {
  Json spec;
  spec["$schema"] = "https://vega.github.io/schema/vega-lite/v5.json";
  if (!title.empty()) spec["title"] = title;
  return spec;
}

std::string SpecsJson(const Page& page) {
  Json charts = Json::array();
  for (const Chart& c : page.charts)
    charts.push_back({{"id", c.id}, {"title", c.title}, {"spec", c.spec}});
  return charts.dump();
}

Result<std::string> RenderHtml(const Page& page, const std::string& web_dir) {
  SHUTTLE_ASSIGN_OR_RETURN(WebAssets assets, LoadWebAssets(web_dir));
  std::string html = fmt::format(
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"generator\" content=\"shuttle\">\n<title>{}</title>\n<style>{}</style>\n",
      EscapeHtml(page.title), kStyle);
  for (std::string_view js : {assets.vega, assets.vega_lite, assets.vega_embed})
    html += "<script>" + ScriptSafe(js) + "</script>\n";
  html += "</head>\n<body>\n<h1>" + EscapeHtml(page.title) + "</h1>\n";
  if (!page.facts.empty()) {
    html += "<table class=\"facts\">\n";
    for (const auto& [label, value] : page.facts)
      html +=
          fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", EscapeHtml(label), EscapeHtml(value));
    html += "</table>\n";
  }
  for (const Chart& c : page.charts) {
    html += fmt::format("<h2>{}</h2>\n", EscapeHtml(c.title));
    if (!c.caption.empty())
      html += fmt::format("<p class=\"caption\">{}</p>\n", EscapeHtml(c.caption));
    html += fmt::format("<div class=\"chart\" id=\"chart-{}\"></div>\n", EscapeHtml(c.id));
  }
  if (!page.list.empty()) {
    html += fmt::format("<h2>{}</h2>\n<ol class=\"items\">\n", EscapeHtml(page.list_title));
    for (const std::string& item : page.list) html += "<li>" + EscapeHtml(item) + "</li>\n";
    html += "</ol>\n";
  }
  // JSON inside a script element: "</" is escaped so no string in it can end the element.
  std::string specs = SpecsJson(page);
  std::string safe;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i] == '<' && i + 1 < specs.size() && specs[i + 1] == '/')
      safe += "<\\";
    else
      safe += specs[i];
  }
  html += "<pre id=\"layout\" hidden></pre>\n";
  html +=
      "<footer>Made by shuttle. Charts: Vega-Lite, drawn by Vega (inlined; works "
      "offline).</footer>\n";
  html += "<script type=\"application/json\" id=\"shuttle-specs\">" + safe + "</script>\n";
  html += std::string("<script>") + kScript + "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace shuttle::report_internal
