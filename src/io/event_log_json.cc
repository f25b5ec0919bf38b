// Event log files (JSON Lines); see include/shuttle/log_io.h for the format.
#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/json_reader.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"

namespace shuttle {
namespace {

using json_internal::Fail;
using json_internal::Json;
using json_internal::ObjectReader;

constexpr const char* kFormat = "shuttle-event-log";
constexpr int kVersion = 1;

// ---- Writing ----

Json WriteAudience(const Audience& a) {
  switch (a.kind) {
    case AudienceKind::kPublic: return "public";
    case AudienceKind::kMediator: return "mediator";
    case AudienceKind::kCaucus: return fmt::format("caucus:{}", a.party);
  }
  return "public";
}

Json WriteActor(int32_t actor) {
  if (actor == kMediator) return "mediator";
  if (actor == kSystem) return "system";
  return actor;
}

Json WriteValue(const Issue& issue, uint32_t index) {
  switch (issue.type()) {
    case IssueType::kDiscrete: return issue.labels()[index];
    case IssueType::kInteger: return issue.int_lower() + static_cast<int64_t>(index);
    case IssueType::kReal: return *issue.NumericValue(index);
  }
  return nullptr;
}

Json WriteEvent(const EventLog& log, const Event& e, const OutcomeSpace& space) {
  Json j = {{"type", EventTypeName(e.type)},
            {"audience", WriteAudience(e.audience)},
            {"actor", WriteActor(e.actor)},
            {"round", e.round},
            {"time", e.time}};
  if (e.value != 0) j["value"] = e.value;
  std::span<const uint32_t> outcome = log.OutcomeOf(e);
  if (!outcome.empty()) {
    Json o = Json::object();
    for (size_t i = 0; i < space.issue_count(); ++i)
      o[space.issue(i).name()] = WriteValue(space.issue(i), outcome[i]);
    j["outcome"] = std::move(o);
  }
  std::string_view text = log.TextOf(e);
  if (!text.empty()) j["text"] = std::string(text);
  return j;
}

Json WriteHeader(const Scenario& scenario, const StartHeader& h) {
  Json parties = Json::array();
  for (const Party& p : scenario.parties) parties.push_back(p.name);
  return {{"format", kFormat},
          {"version", kVersion},
          {"protocol", h.protocol},
          {"agents", h.options.agents},
          {"seed", h.options.seed},
          {"options",
           {{"rounds", h.options.rounds},
            {"seconds", h.options.seconds},
            {"initial_temperature", h.options.initial_temperature}}},
          {"parties", std::move(parties)},
          {"scenario", Json::parse(WriteScenarioJson(scenario))}};
}

Status CheckWritable(const Scenario& scenario, const EventLog& log) {
  if (log.issue_count() != scenario.space.issue_count()) {
    return Status::InvalidArgument(
        fmt::format("the log has outcomes of {} issues, the scenario has {}", log.issue_count(),
                    scenario.space.issue_count()));
  }
  for (size_t i = 0; i < log.size(); ++i) {
    std::span<const uint32_t> o = log.OutcomeOf(log[i]);
    if (!o.empty() && !CheckOutcome(scenario.space, o.data()).ok()) {
      return CheckOutcome(scenario.space, o.data()).WithContext(fmt::format("event {}", i));
    }
  }
  return Status::Ok();
}

// ---- Reading ----

Audience ReadAudience(const Json& j, const std::string& path, int parties) {
  const std::string& s = json_internal::AsString(j, path);
  if (s == "public") return Audience::Public();
  if (s == "mediator") return Audience::MediatorOnly();
  int party = -1;
  if (s.starts_with("caucus:")) {
    const char* begin = s.data() + 7;
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(begin, end, party);
    if (ec != std::errc() || ptr != end || begin == end) party = -1;
  }
  if (party < 0 || party >= parties) {
    Fail(path,
         fmt::format("audience must be 'public', 'mediator' or 'caucus:<party 0..{}>', got '{}'",
                     parties - 1, s));
  }
  return Audience::Caucus(party);
}

int32_t ReadActor(const Json& j, const std::string& path, int parties) {
  if (j.is_string()) {
    if (j == "mediator") return kMediator;
    if (j == "system") return kSystem;
  } else if (j.is_number_integer()) {
    int64_t a = j.get<int64_t>();
    if (a >= 0 && a < parties) return static_cast<int32_t>(a);
  }
  Fail(path, fmt::format("actor must be a party index 0..{}, 'mediator' or 'system', got {}",
                         parties - 1, j.dump()));
}

uint32_t ReadValue(const Json& j, const Issue& issue, const std::string& path) {
  if (issue.type() == IssueType::kReal && j.is_number()) {
    // Written as the exact double; look it up exactly first, then within FindValue's tolerance.
    double v = j.get<double>();
    double step = issue.step();
    if (step > 0 && std::isfinite(v)) {
      double guess = std::round((v - issue.real_lower()) / step);
      for (double i = guess - 1; i <= guess + 1; ++i) {
        if (i >= 0 && i < static_cast<double>(issue.size()) &&
            *issue.NumericValue(static_cast<uint64_t>(i)) == v) {
          return static_cast<uint32_t>(i);
        }
      }
    }
  }
  std::string label;
  if (j.is_string()) {
    label = j.get<std::string>();
  } else if (j.is_number() && issue.type() != IssueType::kDiscrete) {
    label = j.is_number_float() ? fmt::format("{}", j.get<double>()) : j.dump();
  } else {
    Fail(path, fmt::format("expected a value of issue '{}', got {}", issue.name(),
                           json_internal::Describe(j)));
  }
  Result<uint64_t> index = issue.FindValue(label);
  if (!index.ok()) Fail(path, index.status().message());
  return static_cast<uint32_t>(*index);
}

Outcome ReadOutcome(const Json& j, const OutcomeSpace& space, const std::string& path) {
  const Json& o = json_internal::AsObject(j, path);
  Outcome outcome(space.issue_count(), 0);
  std::vector<bool> seen(space.issue_count(), false);
  for (auto it = o.begin(); it != o.end(); ++it) {
    int issue = space.FindIssue(it.key());
    std::string field = json_internal::MemberPath(path, it.key());
    if (issue < 0) Fail(field, fmt::format("no issue '{}' in the scenario", it.key()));
    outcome[issue] = ReadValue(it.value(), space.issue(issue), field);
    seen[issue] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) Fail(path, fmt::format("missing issue '{}'", space.issue(i).name()));
  }
  return outcome;
}

void ReadEvent(const Json& j, const Scenario& scenario, EventLog* log) {
  ObjectReader r(j, "", {"type", "audience", "actor", "round", "time", "value", "outcome", "text"});
  int parties = static_cast<int>(scenario.parties.size());
  Event e;
  Result<EventType> type = ParseEventType(r.String("type"));
  if (!type.ok()) Fail(r.PathOf("type"), type.status().message());
  e.type = *type;
  e.audience = ReadAudience(r.Required("audience"), r.PathOf("audience"), parties);
  e.actor = ReadActor(r.Required("actor"), r.PathOf("actor"), parties);
  int64_t round = r.Integer("round");
  if (round < 0 || round > INT32_MAX) Fail(r.PathOf("round"), "round must be in [0, 2^31)");
  e.round = static_cast<int32_t>(round);
  e.time = r.Number("time");
  if (!(e.time >= 0 && e.time <= 1)) Fail(r.PathOf("time"), "time must be in [0, 1]");
  if (r.Has("value")) {
    int64_t value = r.Integer("value");
    if (value < INT32_MIN || value > INT32_MAX) Fail(r.PathOf("value"), "value out of range");
    e.value = static_cast<int32_t>(value);
  }
  Outcome outcome;
  if (const Json* o = r.Find("outcome"))
    outcome = ReadOutcome(*o, scenario.space, r.PathOf("outcome"));
  std::string text = r.StringOr("text", "");
  log->Append(e, r.Has("outcome") ? outcome.data() : nullptr, text);
}

struct Header {
  std::string protocol;
  ProtocolOptions options;
  std::vector<std::string> parties;
  std::string scenario_json;
  Scenario scenario;
};

Header ReadHeader(const Json& j) {
  ObjectReader r(
      j, "", {"format", "version", "protocol", "agents", "seed", "options", "parties", "scenario"});
  if (r.String("format") != kFormat) {
    Fail(r.PathOf("format"), fmt::format("expected '{}', got '{}'", kFormat, r.String("format")));
  }
  if (r.Integer("version") != kVersion) {
    Fail(r.PathOf("version"), fmt::format("version {} is not supported (this build reads {})",
                                          r.Integer("version"), kVersion));
  }
  Header h;
  h.protocol = r.String("protocol");
  for (const Json& a : json_internal::AsArray(r.Required("agents"), r.PathOf("agents"))) {
    h.options.agents.push_back(json_internal::AsString(a, r.PathOf("agents")));
  }
  const Json& seed = r.Required("seed");
  if (!seed.is_number_unsigned()) Fail(r.PathOf("seed"), "seed must be an unsigned integer");
  h.options.seed = seed.get<uint64_t>();
  ObjectReader o(r.Required("options"), r.PathOf("options"),
                 {"rounds", "seconds", "initial_temperature"});
  int64_t rounds = o.Integer("rounds");
  if (rounds < 0 || rounds > INT32_MAX) Fail(o.PathOf("rounds"), "rounds must be in [0, 2^31)");
  h.options.rounds = static_cast<int>(rounds);
  h.options.seconds = o.Number("seconds");
  h.options.initial_temperature = o.Number("initial_temperature");
  for (const Json& p : json_internal::AsArray(r.Required("parties"), r.PathOf("parties"))) {
    h.parties.push_back(json_internal::AsString(p, r.PathOf("parties")));
  }
  // Parsed by the caller: its errors are Statuses, not JsonErrors.
  h.scenario_json = json_internal::AsObject(r.Required("scenario"), r.PathOf("scenario")).dump();
  return h;
}

// The header must say what the start event says.
Status CheckAgainstStart(const Header& h, const EventLog& log, const std::string& source) {
  auto fail = [&](const std::string& what) {
    return Status::Corruption(fmt::format(
        "{}: line 1: {} in the header differs from the start event (line 2)", source, what));
  };
  if (log.size() == 0 || log[0].type != EventType::kStart) {
    return Status::Corruption(
        fmt::format("{}: line 2: the first event must be a start event", source));
  }
  Result<StartHeader> start = ParseStartHeader(log.TextOf(log[0]));
  if (!start.ok())
    return Status::Corruption(fmt::format("{}: line 2: {}", source, start.status().message()));
  if (start->protocol != h.protocol) return fail("protocol");
  if (start->party_count != static_cast<int>(h.scenario.parties.size()))
    return fail("the number of parties");
  if (start->options.agents != h.options.agents) return fail("agents");
  if (start->options.seed != h.options.seed) return fail("seed");
  if (start->options.rounds != h.options.rounds || start->options.seconds != h.options.seconds ||
      start->options.initial_temperature != h.options.initial_temperature) {
    return fail("options");
  }
  std::vector<std::string> names;
  for (const Party& p : h.scenario.parties) names.push_back(p.name);
  if (names != h.parties) {
    return Status::Corruption(
        fmt::format("{}: line 1: 'parties' differs from the scenario's parties", source));
  }
  return Status::Ok();
}

Result<EventLogFile> ParseLines(std::string_view text, const std::string& source) {
  EventLogFile file;
  Header header;
  size_t line_number = 0;
  size_t pos = 0;
  bool have_header = false;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string where = fmt::format("{}: line {}", source, line_number);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      if (text.substr(std::min(pos, text.size())).find_first_not_of(" \t\r\n") ==
          std::string_view::npos)
        break;
      return Status::Corruption(where + ": empty line");
    }
    try {
      Json j = json_internal::ParseStrictJson(line);
      if (!have_header) {
        header = ReadHeader(j);
        Result<Scenario> scenario = ParseScenarioJson(header.scenario_json, where + ": scenario");
        if (!scenario.ok()) return Status::Corruption(scenario.status().message());
        header.scenario = std::move(scenario).value();
        file.log = EventLog(header.scenario.space.issue_count());
        have_header = true;
      } else {
        ReadEvent(j, header.scenario, &file.log);
      }
    } catch (const json_internal::JsonError& e) {
      Status s = e.ToStatus(where);
      return Status::Corruption(s.message());
    }
  }
  if (!have_header) return Status::Corruption(source + ": empty file: no header line");
  SHUTTLE_RETURN_IF_ERROR(CheckAgainstStart(header, file.log, source));
  file.scenario = std::move(header.scenario);
  file.protocol = std::move(header.protocol);
  file.options = std::move(header.options);
  return file;
}

}  // namespace

Result<std::string> WriteEventLogJson(const Scenario& scenario, const EventLog& log) {
  if (log.size() == 0 || log[0].type != EventType::kStart) {
    return Status::InvalidArgument("the log does not begin with a start event");
  }
  Result<StartHeader> start = ParseStartHeader(log.TextOf(log[0]));
  if (!start.ok()) return Status::InvalidArgument(start.status().message());
  if (start->party_count != static_cast<int>(scenario.parties.size())) {
    return Status::InvalidArgument(fmt::format("the log has {} parties, the scenario {}",
                                               start->party_count, scenario.parties.size()));
  }
  SHUTTLE_RETURN_IF_ERROR(CheckWritable(scenario, log));
  constexpr auto kReplace = Json::error_handler_t::replace;  // Invalid UTF-8 must not throw.
  std::string out = WriteHeader(scenario, *start).dump(-1, ' ', false, kReplace);
  out += '\n';
  for (const Event& e : log.events()) {
    out += WriteEvent(log, e, scenario.space).dump(-1, ' ', false, kReplace);
    out += '\n';
  }
  return out;
}

Result<EventLogFile> ParseEventLogJson(std::string_view text, const std::string& source) {
  try {
    return ParseLines(text, source);
  } catch (const std::exception& e) {  // Out of memory, or a bug: still no throw across the API.
    return Status::Corruption(fmt::format("{}: {}", source, e.what()));
  }
}

Status SaveEventLog(const std::string& path, const Scenario& scenario, const EventLog& log) {
  SHUTTLE_ASSIGN_OR_RETURN(std::string text, WriteEventLogJson(scenario, log));
  return WriteFile(path, text);
}

Result<EventLogFile> LoadEventLog(const std::string& path) {
  SHUTTLE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseEventLogJson(text, path);
}

}  // namespace shuttle
