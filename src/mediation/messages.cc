// JSON texts of the mediation. Readers throw a private error inside this file only and turn it into
// a Status at the boundary, so every path of a malformed message ends in kInvalidArgument.
#include "mediation/messages.h"
#include "core/json_reader.h"
#include "core/json_writer.h"
#include "mediation/report_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace shuttle::mediation_internal {
namespace {

using Json = nlohmann::ordered_json;

struct MessageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void Fail(const std::string& message) { throw MessageError(message); }

Json ParseObject(std::string_view text) {
  Result<Json> j = json_internal::ParseOrderedJson(text, "text");
  if (!j.ok()) Fail(j.status().message());
  if (!j->is_object()) Fail("expected a JSON object");
  return *std::move(j);
}

int IssueByName(const OutcomeSpace& space, const Json& name, const std::string& where) {
  if (!name.is_string()) Fail(where + ": expected an issue name");
  int i = space.FindIssue(name.get<std::string>());
  if (i < 0) Fail(fmt::format("{}: unknown issue '{}'", where, name.get<std::string>()));
  return i;
}

uint32_t ValueOf(const OutcomeSpace& space, int issue, const Json& label,
                 const std::string& where) {
  std::string text;
  if (label.is_string()) {
    text = label.get<std::string>();
  } else if (label.is_number_integer()) {
    text = std::to_string(label.get<int64_t>());
  } else if (label.is_number()) {
    text = fmt::format("{}", label.get<double>());
  } else {
    Fail(where + ": expected a value label");
  }
  Result<uint64_t> v = space.issue(issue).FindValue(text);
  if (!v.ok()) Fail(where + ": " + v.status().message());
  return static_cast<uint32_t>(*v);
}

double Number(const Json& j, const std::string& where) {
  if (!j.is_number()) Fail(where + ": expected a number");
  double x = j.get<double>();
  if (!std::isfinite(x)) Fail(where + ": not a finite number");
  return x;
}

int Integer(const Json& j, const std::string& where) {
  if (!j.is_number_integer()) Fail(where + ": expected an integer");
  int64_t x = j.get<int64_t>();
  if (x < INT32_MIN || x > INT32_MAX) Fail(where + ": out of range");
  return static_cast<int>(x);
}

const Json& Field(const Json& object, const char* name, const std::string& where) {
  if (!object.contains(name)) Fail(fmt::format("{}: missing field '{}'", where, name));
  return object.at(name);
}

void RejectUnknown(const Json& object, std::initializer_list<const char*> known,
                   const std::string& where) {
  for (const auto& item : object.items()) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const std::string& key = item.key();
    bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; });
    if (!ok) Fail(fmt::format("{}: unknown field '{}'", where, key));
  }
}

Json Label(const OutcomeSpace& space, int issue, uint32_t value) {
  return space.issue(issue).ValueLabel(value);
}

bool Numeric(const Issue& issue) { return issue.type() != IssueType::kDiscrete; }

// A set of values of one issue: an array of values, or for an integer or real issue a range of
// numbers {"at_least": x, "at_most": y} (either or both), meaning every value of the issue in it.
// Ascending, without repeats.
std::vector<uint32_t> ValueSetOf(const OutcomeSpace& space, int issue, const Json& j,
                                 const std::string& where) {
  const Issue& is = space.issue(issue);
  std::vector<uint32_t> out;
  if (j.is_object() && Numeric(is)) {
    RejectUnknown(j, {"at_least", "at_most"}, where);
    if (j.empty()) Fail(where + ": a range needs at_least, at_most or both");
    double lo = -INFINITY, hi = INFINITY;
    if (j.contains("at_least")) lo = Number(j.at("at_least"), where + ".at_least");
    if (j.contains("at_most")) hi = Number(j.at("at_most"), where + ".at_most");
    if (lo > hi) Fail(fmt::format("{}: at_least {} is above at_most {}", where, lo, hi));
    // A bound matches the value it names, as Issue::FindValue does.
    auto tolerance = [](double bound) { return 1e-9 * std::max(1.0, std::fabs(bound)); };
    for (uint64_t v = 0; v < is.size(); ++v) {
      double x = *is.NumericValue(v);
      if (x >= lo - tolerance(x) && x <= hi + tolerance(x)) out.push_back(static_cast<uint32_t>(v));
    }
    return out;
  }
  if (!j.is_array()) {
    Fail(where + (Numeric(is) ? ": expected an array of values or a range {\"at_least\", "
                                "\"at_most\"}"
                              : ": expected an array"));
  }
  for (const Json& v : j) out.push_back(ValueOf(space, issue, v, where));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Inverse of ValueSetOf: an integer or real issue's values that are one run of neighbours as a
// range (open at the issue's ends), anything else as an array of labels.
Json ValueSetToJson(const OutcomeSpace& space, int issue, std::vector<uint32_t> values) {
  const Issue& is = space.issue(issue);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  bool run = !values.empty() && values.back() - values.front() + 1 == values.size();
  if (Numeric(is) && run && values.size() > 1) {
    auto number = [&](uint32_t v) -> Json {
      if (is.type() == IssueType::kInteger) return is.int_lower() + static_cast<int64_t>(v);
      return *is.NumericValue(v);
    };
    Json range = Json::object();
    if (values.front() > 0) range["at_least"] = number(values.front());
    if (values.back() + 1 < is.size()) range["at_most"] = number(values.back());
    if (range.empty()) range["at_least"] = number(0);
    return range;
  }
  Json list = Json::array();
  for (uint32_t v : values) list.push_back(Label(space, issue, v));
  return list;
}

// A numeric issue's value function from points [[x, v], ...] (x strictly ascending, v in [0, 1]):
// linear between the points, constant beyond the first and the last.
std::vector<double> PiecewiseValues(const Issue& issue, const Json& points,
                                    const std::string& where) {
  if (!points.is_array() || points.empty())
    Fail(where + ": expected a non-empty array of [number, value] points");
  std::vector<std::pair<double, double>> p;
  for (size_t k = 0; k < points.size(); ++k) {
    std::string at = fmt::format("{}[{}]", where, k);
    if (!points[k].is_array() || points[k].size() != 2) Fail(at + ": expected [number, value]");
    double x = Number(points[k][0], at), v = Number(points[k][1], at);
    if (v < 0 || v > 1) Fail(fmt::format("{}: {} is not in [0, 1]", at, v));
    if (!p.empty() && x <= p.back().first) Fail(at + ": numbers must be strictly ascending");
    p.emplace_back(x, v);
  }
  // The interpolation is the piecewise evaluator's.
  Evaluator e;
  e.kind = EvaluatorKind::kPiecewise;
  e.points = std::move(p);
  std::vector<double> values(issue.size());
  for (uint64_t i = 0; i < issue.size(); ++i) values[i] = e.Evaluate(issue, i);
  return values;
}

Json RedLineToJson(const OutcomeSpace& space, const RedLine& line) {
  Json j;
  j["issue"] = space.issue(line.issue).name();
  switch (line.kind) {
    case RedLine::Kind::kForbid:
    case RedLine::Kind::kRequire: {
      Json values = Json::array();
      for (uint32_t v : line.values) values.push_back(Label(space, line.issue, v));
      j[line.kind == RedLine::Kind::kForbid ? "forbid" : "require"] = values;
      break;
    }
    case RedLine::Kind::kAtMost: j["at_most"] = line.bound; break;
    case RedLine::Kind::kAtLeast: j["at_least"] = line.bound; break;
  }
  if (!line.note.empty()) j["note"] = line.note;
  return j;
}

RedLine RedLineFromJson(const OutcomeSpace& space, const Json& j, const std::string& where) {
  if (!j.is_object()) Fail(where + ": expected an object");
  RejectUnknown(j, {"issue", "forbid", "require", "at_most", "at_least", "note"}, where);
  RedLine line;
  line.issue = IssueByName(space, Field(j, "issue", where), where + ".issue");
  int kinds = 0;
  for (auto [name, kind] : {std::pair{"forbid", RedLine::Kind::kForbid},
                            std::pair{"require", RedLine::Kind::kRequire}}) {
    if (!j.contains(name)) continue;
    ++kinds;
    line.kind = kind;
    const Json& values = j.at(name);
    if (!values.is_array()) Fail(fmt::format("{}.{}: expected an array of values", where, name));
    for (const Json& v : values)
      line.values.push_back(ValueOf(space, line.issue, v, where + "." + name));
    std::sort(line.values.begin(), line.values.end());
    line.values.erase(std::unique(line.values.begin(), line.values.end()), line.values.end());
  }
  for (auto [name, kind] : {std::pair{"at_most", RedLine::Kind::kAtMost},
                            std::pair{"at_least", RedLine::Kind::kAtLeast}}) {
    if (!j.contains(name)) continue;
    ++kinds;
    line.kind = kind;
    line.bound = Number(j.at(name), where + "." + name);
  }
  if (kinds != 1)
    Fail(where + ": a red line needs exactly one of forbid, require, at_most, at_least");
  if (j.contains("note")) {
    if (!j.at("note").is_string()) Fail(where + ".note: expected a string");
    line.note = j.at("note").get<std::string>();
  }
  return line;
}

// Calls read(issue, value) for each member of an object keyed by issue name.
template <typename Read>
void ForIssues(const OutcomeSpace& space, const Json& j, const std::string& where, Read read) {
  if (!j.is_object()) Fail(where + ": expected an object keyed by issue name");
  for (const auto& [key, value] : j.items()) {
    int issue = space.FindIssue(key);
    if (issue < 0) Fail(fmt::format("{}: unknown issue '{}'", where, key));
    read(issue, value, where + "." + key);
  }
}

Confidence ReadConfidence(const OutcomeSpace& space, const Json& j) {
  RejectUnknown(j, {"weights", "values", "ranking", "red_lines", "reservation_value"},
                "confidence");
  Confidence c;
  if (j.contains("weights")) {
    std::vector<double> w(space.issue_count(), 0.0);
    std::vector<bool> seen(space.issue_count(), false);
    ForIssues(space, j.at("weights"), "weights",
              [&](int i, const Json& x, const std::string& where) {
                w[i] = Number(x, where);
                if (w[i] < 0) Fail(where + ": a weight must be >= 0");
                seen[i] = true;
              });
    for (size_t i = 0; i < seen.size(); ++i) {
      if (!seen[i]) Fail(fmt::format("weights: missing issue '{}'", space.issue(i).name()));
    }
    c.weights = std::move(w);
  }
  if (j.contains("values")) {
    ForIssues(space, j.at("values"), "values", [&](int i, const Json& x, const std::string& where) {
      const Issue& issue = space.issue(i);
      if (Numeric(issue) && x.is_object() && x.contains("piecewise")) {
        RejectUnknown(x, {"piecewise"}, where);
        c.values.emplace_back(i, PiecewiseValues(issue, x.at("piecewise"), where + ".piecewise"));
        return;
      }
      if (!x.is_object() || x.size() != issue.size()) {
        Fail(fmt::format("{}: expected an object with one number per value ({})", where,
                         issue.size()));
      }
      std::vector<double> v(issue.size(), -1.0);
      for (const auto& [label, number] : x.items()) {
        uint32_t value = ValueOf(space, i, Json(label), where);
        double e = Number(number, where + "." + label);
        if (e < 0 || e > 1) Fail(fmt::format("{}.{}: {} is not in [0, 1]", where, label, e));
        v[value] = e;
      }
      if (std::count(v.begin(), v.end(), -1.0) > 0) Fail(where + ": every value needs a number");
      c.values.emplace_back(i, std::move(v));
    });
  }
  if (j.contains("ranking")) {
    ForIssues(space, j.at("ranking"), "ranking",
              [&](int i, const Json& x, const std::string& where) {
                if (!x.is_array() || x.empty())
                  Fail(where + ": expected a non-empty array of values, best first");
                std::vector<uint32_t> order;
                for (const Json& label : x) {
                  uint32_t v = ValueOf(space, i, label, where);
                  if (std::find(order.begin(), order.end(), v) != order.end())
                    Fail(where + ": a value is ranked twice");
                  order.push_back(v);
                }
                c.rankings.emplace_back(i, std::move(order));
              });
  }
  if (j.contains("red_lines")) {
    const Json& lines = j.at("red_lines");
    if (!lines.is_array()) Fail("red_lines: expected an array");
    std::vector<RedLine> out;
    for (size_t k = 0; k < lines.size(); ++k) {
      out.push_back(RedLineFromJson(space, lines[k], fmt::format("red_lines[{}]", k)));
    }
    c.red_lines = std::move(out);
  }
  if (j.contains("reservation_value")) {
    c.reservation_value = Number(j.at("reservation_value"), "reservation_value");
  }
  if (c.empty()) Fail("confidence: nothing confided");
  return c;
}

Objection ReadObjection(const OutcomeSpace& space, const Json& j) {
  RejectUnknown(j, {"issues", "below_reservation"}, "objection");
  Objection o;
  const Json& issues = Field(j, "issues", "objection");
  if (!issues.is_array()) Fail("issues: expected an array");
  for (size_t k = 0; k < issues.size(); ++k) {
    std::string where = fmt::format("issues[{}]", k);
    const Json& item = issues[k];
    if (!item.is_object()) Fail(where + ": expected an object");
    RejectUnknown(item, {"issue", "could_live_with"}, where);
    Objection::Item it;
    it.issue = IssueByName(space, Field(item, "issue", where), where + ".issue");
    for (const Objection::Item& seen : o.issues) {
      if (seen.issue == it.issue) Fail(where + ": issue named twice");
    }
    if (item.contains("could_live_with")) {
      it.has_values = true;
      it.could_live_with =
          ValueSetOf(space, it.issue, item.at("could_live_with"), where + ".could_live_with");
    }
    o.issues.push_back(std::move(it));
  }
  if (j.contains("below_reservation")) {
    if (!j.at("below_reservation").is_boolean()) Fail("below_reservation: expected true or false");
    o.below_reservation = j.at("below_reservation").get<bool>();
  }
  return o;
}

Json ItemToJson(const OutcomeSpace& space, const ConflictItem& item,
                const std::vector<std::string>& names) {
  Json j;
  if (names.empty()) {
    j["party"] = item.party;
  } else {
    j["party"] = item.party >= 0 && static_cast<size_t>(item.party) < names.size()
                     ? names[item.party]
                     : std::to_string(item.party);
  }
  if (item.kind == ConflictItem::Kind::kRedLine) {
    j["kind"] = "red_line";
    j["red_line"] = RedLineToJson(space, item.red_line);
    j["inferred"] = item.inferred;
  } else {
    j["kind"] = "reservation";
    j["reservation_value"] = item.reservation_value;
    j["relaxed_to"] = item.relaxed_to;
    j["estimated"] = item.inferred;
  }
  if (!names.empty()) j["description"] = DescribeConflictItem(space, item, names);
  return j;
}

ConflictItem ItemFromJson(const OutcomeSpace& space, const Json& j, const std::string& where) {
  if (!j.is_object()) Fail(where + ": expected an object");
  ConflictItem item;
  item.party = Integer(Field(j, "party", where), where + ".party");
  const Json& kind = Field(j, "kind", where);
  if (kind == "red_line") {
    item.kind = ConflictItem::Kind::kRedLine;
    item.red_line = RedLineFromJson(space, Field(j, "red_line", where), where + ".red_line");
    if (j.contains("inferred"))
      item.inferred = j.at("inferred").is_boolean() && j.at("inferred").get<bool>();
  } else if (kind == "reservation") {
    item.kind = ConflictItem::Kind::kReservation;
    item.reservation_value =
        Number(Field(j, "reservation_value", where), where + ".reservation_value");
    item.relaxed_to = Number(Field(j, "relaxed_to", where), where + ".relaxed_to");
    if (j.contains("estimated"))
      item.inferred = j.at("estimated").is_boolean() && j.at("estimated").get<bool>();
  } else {
    Fail(where + ".kind: expected red_line or reservation");
  }
  return item;
}

template <typename F>
auto Guard(F f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const MessageError& e) {
    return Status::InvalidArgument(e.what());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed message: ") + e.what());
  }
}

}  // namespace

std::string ConfidenceJson(const OutcomeSpace& space, const Confidence& c) {
  Json j = Json::object();
  if (c.weights) {
    Json w = Json::object();
    for (size_t i = 0; i < space.issue_count(); ++i) w[space.issue(i).name()] = (*c.weights)[i];
    j["weights"] = w;
  }
  if (!c.values.empty()) {
    Json values = Json::object();
    for (const auto& [issue, v] : c.values) {
      const Issue& is = space.issue(issue);
      Json table = Json::object();
      if (Numeric(is)) {
        Json points = Json::array();
        for (auto [x, value] : Breakpoints(is, v)) points.push_back({x, value});
        table["piecewise"] = points;
      } else {
        for (size_t x = 0; x < v.size(); ++x) table[is.ValueLabel(x)] = v[x];
      }
      values[is.name()] = table;
    }
    j["values"] = values;
  }
  if (!c.rankings.empty()) {
    Json rankings = Json::object();
    for (const auto& [issue, order] : c.rankings) {
      Json list = Json::array();
      for (uint32_t v : order) list.push_back(Label(space, issue, v));
      rankings[space.issue(issue).name()] = list;
    }
    j["ranking"] = rankings;
  }
  if (c.red_lines) {
    Json lines = Json::array();
    for (const RedLine& line : *c.red_lines) lines.push_back(RedLineToJson(space, line));
    j["red_lines"] = lines;
  }
  if (c.reservation_value) j["reservation_value"] = *c.reservation_value;
  return j.dump();
}

std::string ValueSetJson(const OutcomeSpace& space, int issue,
                         const std::vector<uint32_t>& values) {
  return ValueSetToJson(space, issue, values).dump();
}

Result<Confidence> ParseConfidence(const OutcomeSpace& space, std::string_view json) {
  return Guard([&] { return ReadConfidence(space, ParseObject(json)); });
}

std::string ObjectionJson(const OutcomeSpace& space, const Objection& o) {
  Json issues = Json::array();
  for (const Objection::Item& item : o.issues) {
    Json j;
    j["issue"] = space.issue(item.issue).name();
    if (item.has_values)
      j["could_live_with"] = ValueSetToJson(space, item.issue, item.could_live_with);
    issues.push_back(j);
  }
  Json j;
  j["issues"] = issues;
  if (o.below_reservation) j["below_reservation"] = true;
  return j.dump();
}

Result<Objection> ParseObjection(const OutcomeSpace& space, std::string_view json) {
  return Guard([&] { return ReadObjection(space, ParseObject(json)); });
}

std::string StartJson(int party_count, const MediationOptions& options) {
  Json agenda = Json::array();
  for (const Stage& stage : options.agenda) {
    Json s;
    s["name"] = stage.name;
    s["issues"] = stage.issues;
    s["deferred"] = stage.deferred;
    agenda.push_back(s);
  }
  Json j;
  j["protocol"] = "shuttle";
  j["parties"] = party_count;
  j["criterion"] = CriterionName(options.criterion);
  j["max_visits"] = options.max_visits;
  // The fields every protocol's start event has (protocol/protocols.h), so generic log readers
  // work.
  j["rounds"] = options.max_visits;
  j["seconds"] = 0;
  j["seed"] = options.seed;
  j["initial_temperature"] = 0.5;
  j["agents"] = options.agents;
  j["red_line_evidence"] = options.red_line_evidence;
  j["stall_visits"] = options.stall_visits;
  j["patience"] = options.patience;
  j["max_confidences_per_caucus"] = options.max_confidences_per_caucus;
  j["agenda"] = agenda;
  if (options.helm) {
    j["helm"] = true;
    j["mediator"] = options.mediator;
    j["ask"] = options.ask;
    j["improve_visits"] = options.improve_visits;
  }
  if (!options.rule.unanimous()) {
    j["agreement_rule"] = {{"at_least", options.rule.at_least},
                           {"required", options.rule.required}};
  }
  if (options.bidding.enabled()) {
    j["bidding"] = {{"issue", options.bidding.issue},
                    {"rounds", options.bidding.rounds},
                    {"rules", Json::parse(BlindBiddingRulesJson(options.bidding.rules))}};
  }
  return j.dump();
}

Result<std::pair<int, MediationOptions>> ParseStart(std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    if (Field(j, "protocol", "start") != "shuttle") Fail("start: not a shuttle mediation");
    MediationOptions o;
    int parties = Integer(Field(j, "parties", "start"), "parties");
    Result<Criterion> c = ParseCriterion(Field(j, "criterion", "start").get<std::string>());
    if (!c.ok()) Fail("criterion: " + c.status().message());
    o.criterion = *c;
    o.max_visits = Integer(Field(j, "max_visits", "start"), "max_visits");
    const Json& seed = Field(j, "seed", "start");
    if (!seed.is_number_unsigned()) Fail("seed: expected an unsigned integer");
    o.seed = seed.get<uint64_t>();
    if (j.contains("agents")) {
      for (const Json& a : j.at("agents")) {
        if (!a.is_string()) Fail("agents: expected strings");
        o.agents.push_back(a.get<std::string>());
      }
    }
    o.red_line_evidence = Integer(Field(j, "red_line_evidence", "start"), "red_line_evidence");
    o.stall_visits = Integer(Field(j, "stall_visits", "start"), "stall_visits");
    o.patience = Integer(Field(j, "patience", "start"), "patience");
    o.max_confidences_per_caucus =
        Integer(Field(j, "max_confidences_per_caucus", "start"), "max_confidences_per_caucus");
    if (j.contains("helm")) {
      if (!j.at("helm").is_boolean()) Fail("helm: expected true or false");
      o.helm = j.at("helm").get<bool>();
      const Json& who = Field(j, "mediator", "start");
      if (!who.is_string()) Fail("mediator: expected a string");
      o.mediator = who.get<std::string>();
      // Logs written before the engine asked questions do not have the field.
      o.ask = false;
      if (j.contains("ask")) {
        if (!j.at("ask").is_boolean()) Fail("ask: expected true or false");
        o.ask = j.at("ask").get<bool>();
      }
      o.improve_visits = 0;
      if (j.contains("improve_visits")) {
        o.improve_visits = Integer(j.at("improve_visits"), "improve_visits");
        if (o.improve_visits < 0) Fail("improve_visits: expected 0 or more");
      }
    }
    for (const Json& s : Field(j, "agenda", "start")) {
      Stage stage;
      stage.name = Field(s, "name", "agenda").get<std::string>();
      for (const Json& i : Field(s, "issues", "agenda"))
        stage.issues.push_back(Integer(i, "agenda.issues"));
      stage.deferred = Field(s, "deferred", "agenda").get<bool>();
      o.agenda.push_back(std::move(stage));
    }
    // Logs without the field (and every log before agreement rules) are of unanimity.
    if (j.contains("agreement_rule")) {
      const Json& r = j.at("agreement_rule");
      o.rule.at_least = Integer(Field(r, "at_least", "agreement_rule"), "agreement_rule.at_least");
      for (const Json& k : Field(r, "required", "agreement_rule"))
        o.rule.required.push_back(Integer(k, "agreement_rule.required"));
      Status valid = o.rule.Validate(parties);
      if (!valid.ok()) Fail(valid.message());
    }
    // Logs without the field had no bidding step.
    if (j.contains("bidding")) {
      const Json& b = j.at("bidding");
      o.bidding.issue = Integer(Field(b, "issue", "bidding"), "bidding.issue");
      if (o.bidding.issue < 0) Fail("bidding.issue: expected an issue index");
      o.bidding.rounds = Integer(Field(b, "rounds", "bidding"), "bidding.rounds");
      Result<BlindBiddingRules> rules = ParseBlindBiddingRules(Field(b, "rules", "bidding").dump());
      if (!rules.ok()) Fail(rules.status().message());
      o.bidding.rules = *rules;
    }
    return std::pair<int, MediationOptions>(parties, std::move(o));
  });
}

std::string SettleJson(const std::vector<bool>& accepting) {
  Json accepted = Json::array();
  for (size_t k = 0; k < accepting.size(); ++k) {
    if (accepting[k]) accepted.push_back(k);
  }
  return Json{{"accepted", accepted}}.dump();
}

std::string ProposeJson(int visit, int stage) {
  return fmt::format("{{\"visit\":{},\"stage\":{}}}", visit, stage);
}

std::string ProposeJson(const OutcomeSpace& space, int visit, int stage,
                        const std::vector<int>& open, std::string_view words, bool improves) {
  if (open.empty() && words.empty() && !improves) return ProposeJson(visit, stage);
  Json j;
  j["visit"] = visit;
  j["stage"] = stage;
  if (improves) j["improves"] = true;
  if (!open.empty()) {
    Json names = Json::array();
    for (int i : open) names.push_back(space.issue(i).name());
    j["open"] = names;
  }
  if (!words.empty()) j["words"] = words;
  return j.dump();
}

Result<ProposeInfo> ParsePropose(std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    ProposeInfo info{Integer(Field(j, "visit", "propose"), "visit"),
                     Integer(Field(j, "stage", "propose"), "stage")};
    if (j.contains("improves")) {
      if (!j.at("improves").is_boolean()) Fail("improves: expected true or false");
      info.improves = j.at("improves").get<bool>();
    }
    return info;
  });
}

Result<TextRequest> ParseTextRequest(const OutcomeSpace& space, std::string_view json) {
  return Guard([&] {
    TextRequest r;
    if (json.empty()) return r;
    Json j = ParseObject(json);
    RejectUnknown(j, {"visit", "stage", "open", "words", "improves"}, "text");
    if (j.contains("open")) {
      const Json& open = j.at("open");
      if (!open.is_array()) Fail("text.open: expected an array of issue names");
      for (size_t k = 0; k < open.size(); ++k) {
        int i = IssueByName(space, open[k], fmt::format("text.open[{}]", k));
        if (std::find(r.open.begin(), r.open.end(), i) != r.open.end())
          Fail(fmt::format("text.open[{}]: issue named twice", k));
        r.open.push_back(i);
      }
      std::sort(r.open.begin(), r.open.end());
    }
    if (j.contains("words")) {
      if (!j.at("words").is_string()) Fail("text.words: expected a string");
      r.words = j.at("words").get<std::string>();
    }
    return r;
  });
}

const char* QuestionKindName(Question::Kind kind) {
  switch (kind) {
    case Question::Kind::kWords: return "words";
    case Question::Kind::kLiveWith: return "live_with";
    case Question::Kind::kRank: return "rank";
    case Question::Kind::kRedLine: return "red_line";
    case Question::Kind::kBid: return "bid";
  }
  return "?";
}

Result<Question> ParseQuestion(const OutcomeSpace& space, std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    RejectUnknown(j, {"kind", "words", "issue", "values"}, "question");
    Question q;
    const Json& kind = Field(j, "kind", "question");
    std::string name = kind.is_string() ? kind.get<std::string>() : "";
    if (name == "words") {
      q.kind = Question::Kind::kWords;
    } else if (name == "live_with") {
      q.kind = Question::Kind::kLiveWith;
    } else if (name == "rank") {
      q.kind = Question::Kind::kRank;
    } else if (name == "red_line") {
      q.kind = Question::Kind::kRedLine;
    } else if (name == "bid") {
      q.kind = Question::Kind::kBid;
    } else {
      Fail(
          "question.kind: expected \"words\", \"live_with\", \"rank\", \"red_line\" or "
          "\"bid\"");
    }
    if (j.contains("words")) {
      if (!j.at("words").is_string()) Fail("question.words: expected a string");
      q.words = j.at("words").get<std::string>();
    }
    if (q.kind == Question::Kind::kWords) {
      if (q.words.empty()) Fail("question.words: a question in words needs its words");
      if (j.contains("issue") || j.contains("values"))
        Fail("question: a question in words names no issue or values");
      return q;
    }
    q.issue = IssueByName(space, Field(j, "issue", "question"), "question.issue");
    if (j.contains("values")) {
      if (q.kind != Question::Kind::kLiveWith) Fail("question.values: only for \"live_with\"");
      q.values = ValueSetOf(space, q.issue, j.at("values"), "question.values");
      if (q.values.empty()) Fail("question.values: names no value of the issue");
    } else if (q.kind == Question::Kind::kLiveWith) {
      Fail("question: missing field 'values'");
    }
    if (q.kind == Question::Kind::kBid && space.issue(q.issue).type() == IssueType::kDiscrete) {
      Fail(fmt::format("question.issue: '{}' is discrete; a bid is on an integer or real issue",
                       space.issue(q.issue).name()));
    }
    return q;
  });
}

std::string QuestionJson(const OutcomeSpace& space, const Question& q) {
  Json j;
  j["kind"] = QuestionKindName(q.kind);
  if (!q.words.empty()) j["words"] = q.words;
  if (q.kind != Question::Kind::kWords) j["issue"] = space.issue(q.issue).name();
  if (!q.values.empty()) j["values"] = ValueSetToJson(space, q.issue, q.values);
  return j.dump();
}

Result<Reply> ParseReply(const OutcomeSpace& space, const Question& q, std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    RejectUnknown(j, {"declined", "words", "could_live_with", "ranking", "red_line", "bid"},
                  "answer");
    Reply r;
    if (j.contains("declined")) {
      if (!j.at("declined").is_boolean()) Fail("answer.declined: expected true or false");
      r.declined = j.at("declined").get<bool>();
      if (r.declined) return r;
    }
    if (j.contains("words") && !j.at("words").is_string()) Fail("answer.words: expected a string");
    auto values = [&](const char* field) {
      const Json& list = Field(j, field, "answer");
      if (!list.is_array()) Fail(fmt::format("answer.{}: expected an array", field));
      for (const Json& v : list)
        r.values.push_back(ValueOf(space, q.issue, v, fmt::format("answer.{}", field)));
    };
    auto live_with = [&] {
      r.values = ValueSetOf(space, q.issue, Field(j, "could_live_with", "answer"),
                            "answer.could_live_with");
    };
    switch (q.kind) {
      case Question::Kind::kWords:
        if (!j.contains("words")) Fail("answer: missing field 'words'");
        break;
      case Question::Kind::kLiveWith: live_with(); break;
      case Question::Kind::kRank: values("ranking"); break;
      case Question::Kind::kRedLine: {
        const Json& line = Field(j, "red_line", "answer");
        if (!line.is_null()) {
          r.red_line = RedLineFromJson(space, line, "answer.red_line");
          if (r.red_line->issue != q.issue) Fail("answer.red_line: not on the issue asked about");
        }
        break;
      }
      case Question::Kind::kBid:
        r.values.push_back(ValueOf(space, q.issue, Field(j, "bid", "answer"), "answer.bid"));
        break;
    }
    return r;
  });
}

std::string BiddingNoteJson(const OutcomeSpace& space, int issue, int round, int rounds,
                            const std::optional<BidSettlement>& settlement) {
  Json b;
  b["round"] = round;
  b["rounds"] = rounds;
  b["settled"] = settlement.has_value();
  if (settlement) {
    b["amount"] = space.issue(issue).ValueLabel(settlement->amount);
    b["by"] = settlement->crossed ? "crossing" : "margin";
    b["at"] = settlement->at_demand ? "demand" : "midpoint";
  }
  return Json{{"bidding", b}}.dump();
}

std::string RedLineJson(const OutcomeSpace& space, const RedLine& line) {
  return RedLineToJson(space, line).dump();
}

std::string GapNoteJson(int visit, double gap, const std::vector<double>& contributions) {
  Json j;
  j["visit"] = visit;
  j["gap"] = gap;
  j["contributions"] = contributions;
  return j.dump();
}

Result<std::pair<double, std::vector<double>>> ParseGapNote(std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    RejectUnknown(j, {"visit", "gap", "contributions"}, "gap note");
    Integer(Field(j, "visit", "gap note"), "visit");
    std::pair<double, std::vector<double>> out;
    out.first = Number(Field(j, "gap", "gap note"), "gap");
    const Json& c = Field(j, "contributions", "gap note");
    if (!c.is_array()) Fail("contributions: expected an array");
    for (const Json& x : c) out.second.push_back(Number(x, "contributions"));
    return out;
  });
}

Result<ImpasseDiagnosis> ParseDiagnosis(const OutcomeSpace& space, std::string_view json) {
  return Guard([&] {
    Json j = ParseObject(json);
    ImpasseDiagnosis d;
    d.stage = Integer(Field(j, "stage", "diagnosis"), "stage");
    const Json& conflict = Field(j, "conflict", "diagnosis");
    for (size_t k = 0; k < conflict.size(); ++k)
      d.conflict.push_back(ItemFromJson(space, conflict[k], fmt::format("conflict[{}]", k)));
    const Json& relaxation = Field(j, "relaxation", "diagnosis");
    for (size_t k = 0; k < relaxation.size(); ++k) {
      d.relaxation.push_back(ItemFromJson(space, relaxation[k], fmt::format("relaxation[{}]", k)));
    }
    d.cost = Number(Field(j, "cost", "diagnosis"), "cost");
    for (const Json& c : Field(j, "owner_costs", "diagnosis"))
      d.owner_costs.push_back(Number(c, "owner_costs"));
    const Json& formula = Field(j, "formula", "diagnosis");
    if (!formula.is_null()) {
      Outcome o(space.issue_count(), 0);
      for (size_t i = 0; i < space.issue_count(); ++i) {
        o[i] = ValueOf(space, static_cast<int>(i),
                       Field(formula, space.issue(i).name().c_str(), "formula"), "formula");
      }
      d.formula = std::move(o);
    }
    return d;
  });
}

}  // namespace shuttle::mediation_internal

namespace shuttle {

ImpasseDiagnosis DiagnosisPartOf(const ImpasseDiagnosis& diagnosis, int32_t party) {
  ImpasseDiagnosis part;
  part.stage = diagnosis.stage;
  for (const ConflictItem& item : diagnosis.conflict) {
    if (item.party == party) part.conflict.push_back(item);
  }
  for (const ConflictItem& item : diagnosis.relaxation) {
    if (item.party == party) part.relaxation.push_back(item);
  }
  part.owner_costs.assign(diagnosis.owner_costs.size(), 0.0);
  if (party >= 0 && static_cast<size_t>(party) < diagnosis.owner_costs.size()) {
    part.owner_costs[party] = diagnosis.owner_costs[party];
    part.cost = diagnosis.owner_costs[party];
  }
  return part;
}

std::string DescribeConflictItem(const OutcomeSpace& space, const ConflictItem& item,
                                 const std::vector<std::string>& party_names) {
  std::string who = item.party >= 0 && static_cast<size_t>(item.party) < party_names.size()
                        ? party_names[item.party]
                        : fmt::format("party {}", item.party);
  if (item.kind == ConflictItem::Kind::kReservation) {
    if (item.inferred) {
      return fmt::format("{}: what it holds out for (estimated){}", who,
                         item.relaxed_to < item.reservation_value
                             ? fmt::format(", lowered by {:.2f} of its range",
                                           item.reservation_value - item.relaxed_to)
                             : "");
    }
    return fmt::format(
        "{}: reservation value {:.2f}{}", who, item.reservation_value,
        item.relaxed_to < item.reservation_value ? fmt::format(" -> {:.2f}", item.relaxed_to) : "");
  }
  std::string text = fmt::format("{}: {}", who, item.red_line.Describe(space));
  if (item.inferred) text += " (inferred)";
  if (!item.red_line.note.empty()) text += fmt::format(" [{}]", item.red_line.note);
  return text;
}

nlohmann::ordered_json mediation_internal::DiagnosisToJson(
    const OutcomeSpace& space, const ImpasseDiagnosis& d,
    const std::vector<std::string>& party_names) {
  using mediation_internal::Json;
  Json j;
  j["stage"] = d.stage;
  Json conflict = Json::array(), relaxation = Json::array();
  for (const ConflictItem& item : d.conflict)
    conflict.push_back(mediation_internal::ItemToJson(space, item, party_names));
  for (const ConflictItem& item : d.relaxation)
    relaxation.push_back(mediation_internal::ItemToJson(space, item, party_names));
  j["conflict"] = conflict;
  j["relaxation"] = relaxation;
  j["cost"] = d.cost;
  j["owner_costs"] = d.owner_costs;
  j["formula"] = d.formula ? json_internal::OutcomeLabelsJson(space, *d.formula) : Json(nullptr);
  return j;
}

std::string DiagnosisJson(const OutcomeSpace& space, const ImpasseDiagnosis& d,
                          const std::vector<std::string>& party_names) {
  return mediation_internal::DiagnosisToJson(space, d, party_names).dump();
}

}  // namespace shuttle
