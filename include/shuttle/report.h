// Reports: one self-contained HTML file with Vega-Lite plots of a negotiation, a mediation or a
// tournament.
//
// A report is a projection of the event log (or of tournament results): the utility space (every
// outcome or a seeded sample, the Pareto frontier, the Nash and Kalai-Smorodinsky points, each
// party's offer trace, the agreement), utility over time, and for mediations the gap over visits
// and the public statements. Tournament reports plot per-agent means with 95% confidence
// intervals, utility distributions and head-to-head means. Charts are Vega-Lite specifications
// rendered in the browser by Vega, Vega-Lite and vega-embed, whose code is inlined into the file
// (the build embeds the copies npm installs under web/), so the file opens offline and needs
// nothing else. The Specs functions return the specifications alone (a JSON array of
// {"id", "title", "spec"}), for notebooks and tests. All functions are pure and thread-safe.
#ifndef SHUTTLE_REPORT_H_
#define SHUTTLE_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/event.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"
#include "shuttle/tournament.h"

namespace shuttle {

struct ReportOptions {
  // Heading of the page. Default: empty, meaning one made from the scenario or results.
  std::string title;
  // Outcomes drawn in the utility space; larger spaces are sampled (seeded). Default: 4000.
  size_t max_outcomes = 4000;
  // Seed of that sample. Default: 1.
  uint64_t seed = 1;
  // The parties on the x and y axes of the utility space. Default: 0 and 1.
  int x_party = 0;
  int y_party = 1;
  // Tournament reports: per-negotiation rows drawn in distributions (every k-th beyond). Default:
  // 5000.
  size_t max_rows = 5000;
  // A folder with node_modules/vega*, used when the build embedded none (then also the
  // SHUTTLE_WEB_DIR environment variable and the source tree's web/ are tried). Default: empty.
  std::string web_dir;
};

// Specifications for a negotiation or mediation log of `scenario` (the scenario the log was
// played on). kInvalidArgument when the log does not fit the scenario (issue count) or an axis
// party does not exist.
Result<std::string> NegotiationReportSpecs(const Scenario& scenario, const EventLog& log,
                                           const ReportOptions& options = {});
Result<std::string> NegotiationReportHtml(const Scenario& scenario, const EventLog& log,
                                          const ReportOptions& options = {});

// Specifications for tournament results; `agents` gives the agents' order (empty: order of first
// appearance in the results). kInvalidArgument when there are no results.
Result<std::string> TournamentReportSpecs(const std::vector<JobResult>& results,
                                          const std::vector<std::string>& agents,
                                          const ReportOptions& options = {});
Result<std::string> TournamentReportHtml(const std::vector<JobResult>& results,
                                         const std::vector<std::string>& agents,
                                         const ReportOptions& options = {});

// The chart libraries a web page loads, by file name: "vega.min.js", "vega-lite.min.js",
// "vega-embed.min.js". The copies built into the library, else read once from the places
// ReportOptions::web_dir lists (its default). kNotFound for any other name, or when no copy can
// be found (the message says how to get one). The view stays valid for the life of the process.
Result<std::string_view> ChartScript(std::string_view file_name);

}  // namespace shuttle

#endif  // SHUTTLE_REPORT_H_
