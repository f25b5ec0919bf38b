// Tournament result files: CSV and JSON Lines rows, summaries, and the resumable writer.
#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_reader.h"
#include "shuttle/clock.h"
#include "shuttle/io.h"
#include "shuttle/tournament.h"

namespace shuttle {
namespace {

using Json = nlohmann::ordered_json;

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Shortest text that parses back to the same double; empty for NaN.
std::string Number(double x) { return std::isnan(x) ? std::string() : fmt::format("{}", x); }

Json JsonNumber(double x) { return std::isnan(x) ? Json(nullptr) : Json(x); }

double ReadNumber(const Json& j) { return j.is_null() ? std::nan("") : j.get<double>(); }

std::vector<double> ReadNumbers(const Json& j) {
  std::vector<double> out;
  for (const Json& x : j) out.push_back(ReadNumber(x));
  return out;
}

Json EstimateJson(const Estimate& e) {
  return {{"mean", JsonNumber(e.mean)},
          {"low", JsonNumber(e.low)},
          {"high", JsonNumber(e.high)},
          {"n", e.n}};
}

std::string Path(const std::string& dir, const char* name) {
  return (std::filesystem::path(dir) / name).string();
}

Status IoError(const std::string& path, const char* what) {
  return Status::IOError(fmt::format("{}: {}: {}", path, what, std::strerror(errno)));
}

}  // namespace

std::string ResultCsvHeader(int max_parties) {
  std::string h = "job,scenario,rotation,repetition,seed";
  for (int k = 0; k < max_parties; ++k) h += fmt::format(",agent_{0},party_{0}", k);
  h += ",agreement,rounds,time";
  for (int k = 0; k < max_parties; ++k) h += fmt::format(",utility_{}", k);
  for (int k = 0; k < max_parties; ++k) h += fmt::format(",discounted_{}", k);
  return h + ",welfare,nash_product,pareto_distance,nash_distance,ks_distance,error";
}

std::string ResultCsvRow(const JobResult& r, int max_parties) {
  std::string row =
      fmt::format("{},{},{},{},{}", r.job, CsvField(r.scenario), r.rotation, r.repetition, r.seed);
  for (int k = 0; k < max_parties; ++k) {
    bool has = static_cast<size_t>(k) < r.agents.size();
    row +=
        fmt::format(",{},{}", has ? CsvField(r.agents[k]) : "", has ? CsvField(r.parties[k]) : "");
  }
  row += fmt::format(",{},{},{}", r.agreement ? 1 : 0, r.rounds, Number(r.time));
  for (const auto* v : {&r.utilities, &r.discounted}) {
    for (int k = 0; k < max_parties; ++k) {
      row += ',';
      if (static_cast<size_t>(k) < v->size()) row += Number((*v)[k]);
    }
  }
  row += fmt::format(",{},{},{},{},{},{}", Number(r.welfare), Number(r.nash_product),
                     Number(r.pareto_distance), Number(r.nash_distance), Number(r.ks_distance),
                     CsvField(r.error));
  return row;
}

std::string ResultJson(const JobResult& r) {
  Json j = {{"job", r.job},           {"scenario", r.scenario},
            {"rotation", r.rotation}, {"repetition", r.repetition},
            {"seed", r.seed},         {"agents", r.agents},
            {"parties", r.parties},   {"agreement", r.agreement},
            {"rounds", r.rounds},     {"time", JsonNumber(r.time)}};
  Json u = Json::array(), d = Json::array();
  for (double x : r.utilities) u.push_back(JsonNumber(x));
  for (double x : r.discounted) d.push_back(JsonNumber(x));
  j["utilities"] = u;
  j["discounted"] = d;
  j["welfare"] = JsonNumber(r.welfare);
  j["nash_product"] = JsonNumber(r.nash_product);
  j["pareto_distance"] = JsonNumber(r.pareto_distance);
  j["nash_distance"] = JsonNumber(r.nash_distance);
  j["ks_distance"] = JsonNumber(r.ks_distance);
  if (!r.error.empty()) j["error"] = r.error;
  return j.dump();
}

Result<JobResult> ParseResultJson(std::string_view line) {
  Result<Json> parsed = json_internal::ParseOrderedJson(line, "result");
  if (!parsed.ok()) return Status::Corruption(parsed.status().message());
  const Json& j = *parsed;
  if (!j.is_object()) return Status::Corruption("not a JSON object");
  try {
    JobResult r;
    r.job = j.at("job").get<size_t>();
    r.scenario = j.at("scenario").get<std::string>();
    r.rotation = j.at("rotation").get<int>();
    r.repetition = j.at("repetition").get<int>();
    r.seed = j.at("seed").get<uint64_t>();
    r.agents = j.at("agents").get<std::vector<std::string>>();
    r.parties = j.at("parties").get<std::vector<std::string>>();
    r.agreement = j.at("agreement").get<bool>();
    r.rounds = j.at("rounds").get<int>();
    r.time = ReadNumber(j.at("time"));
    r.utilities = ReadNumbers(j.at("utilities"));
    r.discounted = ReadNumbers(j.at("discounted"));
    r.welfare = ReadNumber(j.at("welfare"));
    r.nash_product = ReadNumber(j.at("nash_product"));
    r.pareto_distance = ReadNumber(j.at("pareto_distance"));
    r.nash_distance = ReadNumber(j.at("nash_distance"));
    r.ks_distance = ReadNumber(j.at("ks_distance"));
    if (j.contains("error")) r.error = j.at("error").get<std::string>();
    return r;
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(e.what());
  }
}

std::string SummaryCsv(const TournamentSummary& s) {
  std::string out = "agent,negotiations";
  for (const char* m : {"utility", "discounted", "agreement_rate", "welfare", "pareto_distance",
                        "nash_distance", "ks_distance"})
    out += fmt::format(",{0},{0}_low,{0}_high", m);
  out += "\n";
  for (const AgentSummary& a : s.agents) {
    out += fmt::format("{},{}", CsvField(a.agent), a.negotiations);
    for (const Estimate* e : {&a.utility, &a.discounted, &a.agreement_rate, &a.welfare,
                              &a.pareto_distance, &a.nash_distance, &a.ks_distance})
      out += fmt::format(",{},{},{}", Number(e->mean), Number(e->low), Number(e->high));
    out += "\n";
  }
  return out;
}

std::string SummaryJson(const TournamentSummary& s) {
  Json agents = Json::array();
  for (const AgentSummary& a : s.agents) {
    agents.push_back({{"agent", a.agent},
                      {"negotiations", a.negotiations},
                      {"utility", EstimateJson(a.utility)},
                      {"discounted", EstimateJson(a.discounted)},
                      {"agreement_rate", EstimateJson(a.agreement_rate)},
                      {"welfare", EstimateJson(a.welfare)},
                      {"pareto_distance", EstimateJson(a.pareto_distance)},
                      {"nash_distance", EstimateJson(a.nash_distance)},
                      {"ks_distance", EstimateJson(a.ks_distance)}});
  }
  Json j = {{"format", "shuttle-tournament-summary"},
            {"jobs", s.jobs},
            {"errors", s.errors},
            {"agents", agents}};
  return j.dump(2) + "\n";
}

Result<std::vector<JobResult>> ReadTournamentResults(const std::string& path) {
  std::string file = IsFolder(path) ? Path(path, "results.jsonl") : path;
  SHUTTLE_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  std::vector<JobResult> results;
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    ++line_no;
    if (nl == std::string::npos) break;  // A truncated last line: the run stopped mid-write.
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    auto r = ParseResultJson(line);
    if (!r.ok()) return r.status().WithContext(fmt::format("{}: line {}", file, line_no));
    results.push_back(std::move(r).value());
  }
  return results;
}

struct TournamentWriter::State {
  State(std::string d, const TournamentPlan* p)
      : dir(std::move(d)), plan(p), done(p->job_count(), false) {}
  // Rewrites both files from `results` (dropping a torn last line), then reopens them for
  // appending.
  Status Rewrite();
  bool Flush() {
    last_flush = SteadyClock()->Seconds();
    return jsonl->Flush().ok() && csv->Flush().ok();
  }

  // Flushing every result made the writer, which the worker threads share, the serial part of a
  // tournament (two write calls per result). Results reach the files at least this often, and at
  // Finish; what a crash loses is re-run by a resume, which rewrites both files from the JSON Lines
  // (a torn last line dropped).
  static constexpr double kFlushSeconds = 0.1;

  std::string dir;
  const TournamentPlan* plan;
  std::unique_ptr<AppendFile> csv;
  std::unique_ptr<AppendFile> jsonl;
  std::vector<bool> done;
  size_t done_count = 0;
  std::vector<JobResult> results;
  Status write_status;
  double last_flush = SteadyClock()->Seconds();
};

TournamentWriter::TournamentWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}

TournamentWriter::~TournamentWriter() = default;

const std::vector<bool>& TournamentWriter::done() const { return state_->done; }
size_t TournamentWriter::done_count() const { return state_->done_count; }
const std::vector<JobResult>& TournamentWriter::results() const { return state_->results; }
const Status& TournamentWriter::write_status() const { return state_->write_status; }

Result<std::unique_ptr<TournamentWriter>> TournamentWriter::Open(const std::string& dir,
                                                                 const TournamentPlan& plan,
                                                                 bool resume) {
  SHUTTLE_RETURN_IF_ERROR(CreateFolder(dir));
  auto state = std::make_unique<State>(dir, &plan);
  std::string manifest = Path(dir, "tournament.json");
  bool has_results = PathExists(Path(dir, "results.jsonl"));
  if (has_results && !resume)
    return Status::Conflict(fmt::format(
        "{}: already holds tournament results (resume, or choose another folder)", dir));
  if (PathExists(manifest)) {
    SHUTTLE_ASSIGN_OR_RETURN(std::string old, ReadFile(manifest));
    if (old != plan.fingerprint() + "\n")
      return Status::Conflict(fmt::format(
          "{}: belongs to a different tournament (agents, scenarios or options differ)", manifest));
  }
  if (has_results) {
    SHUTTLE_ASSIGN_OR_RETURN(auto old, ReadTournamentResults(dir));
    for (JobResult& r : old) {
      if (r.job >= plan.job_count())
        return Status::Conflict(fmt::format("{}: job {} is not in this tournament", dir, r.job));
      if (state->done[r.job]) continue;
      state->done[r.job] = true;
      ++state->done_count;
      state->results.push_back(std::move(r));
    }
  }
  SHUTTLE_RETURN_IF_ERROR(WriteFile(manifest, plan.fingerprint() + "\n"));
  SHUTTLE_RETURN_IF_ERROR(state->Rewrite());
  return std::unique_ptr<TournamentWriter>(new TournamentWriter(std::move(state)));
}

Status TournamentWriter::State::Rewrite() {
  std::string csv_text = ResultCsvHeader(plan->max_parties()) + "\n", jsonl_text;
  for (const JobResult& r : results) {
    csv_text += ResultCsvRow(r, plan->max_parties()) + "\n";
    jsonl_text += ResultJson(r) + "\n";
  }
  for (auto [name, text] :
       {std::pair{"results.csv", &csv_text}, std::pair{"results.jsonl", &jsonl_text}}) {
    SHUTTLE_RETURN_IF_ERROR(ReplaceFile(Path(dir, name), *text));
  }
  csv.reset();
  jsonl.reset();
  SHUTTLE_ASSIGN_OR_RETURN(csv, AppendFile::Open(Path(dir, "results.csv")));
  SHUTTLE_ASSIGN_OR_RETURN(jsonl, AppendFile::Open(Path(dir, "results.jsonl")));
  return Status::Ok();
}

void TournamentWriter::OnResult(const JobResult& r) {
  State& s = *state_;
  if (r.job < s.done.size() && !s.done[r.job]) {
    s.done[r.job] = true;
    ++s.done_count;
  }
  s.results.push_back(r);
  std::string csv = ResultCsvRow(r, s.plan->max_parties()) + "\n";
  std::string json = ResultJson(r) + "\n";
  bool ok = s.jsonl->Append(json).ok() && s.csv->Append(csv).ok();
  if (SteadyClock()->Seconds() - s.last_flush >= State::kFlushSeconds) ok = s.Flush() && ok;
  if (!ok && s.write_status.ok()) s.write_status = IoError(s.dir, "writing results");
}

Result<TournamentSummary> TournamentWriter::Finish() {
  State& s = *state_;
  if (!s.Flush() && s.write_status.ok()) s.write_status = IoError(s.dir, "writing results");
  SHUTTLE_RETURN_IF_ERROR(s.write_status);
  if (s.done_count < s.plan->job_count())
    return Status::FailedPrecondition(
        fmt::format("{}: {} of {} jobs done; run again with resume to finish", s.dir, s.done_count,
                    s.plan->job_count()));
  TournamentSummary summary = Summarize(*s.plan, s.results);
  SHUTTLE_RETURN_IF_ERROR(WriteFile(Path(s.dir, "summary.csv"), SummaryCsv(summary)));
  SHUTTLE_RETURN_IF_ERROR(WriteFile(Path(s.dir, "summary.json"), SummaryJson(summary)));
  return summary;
}

}  // namespace shuttle
