// Writing Shuttle JSON scenarios (docs/scenario-format.md). The writer is canonical: fields in a
// fixed order, optional fields omitted when they hold their default, doubles in the shortest form
// that reads back to the same bits (nlohmann's dump), and a layout that keeps short arrays and
// objects on one line so that a person can read the file.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>

#include "shuttle/io.h"

namespace shuttle {
namespace {

// Ordered: the file lists fields, issues and values in the scenario's order.
using Json = nlohmann::ordered_json;

constexpr size_t kLineWidth = 100;

std::string Scalar(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// One-line form: {"a": 1, "b": [2, 3]}. Stops early once `out` is longer than `limit`.
void AppendCompact(const Json& j, size_t limit, std::string* out) {
  if (!j.is_structured()) {
    *out += Scalar(j);
    return;
  }
  bool object = j.is_object();
  *out += object ? '{' : '[';
  bool first = true;
  for (const auto& [key, value] : j.items()) {
    if (out->size() > limit) return;
    if (!first) *out += ", ";
    first = false;
    if (object) *out += Scalar(Json(key)) + ": ";
    AppendCompact(value, limit, out);
  }
  *out += object ? '}' : ']';
}

// Multi-line form where the one-line form would pass kLineWidth; `used` is the width already taken
// on the current line (indent and key).
void AppendPretty(const Json& j, size_t indent, size_t used, std::string* out) {
  std::string compact;
  size_t budget = used < kLineWidth ? kLineWidth - used : 0;
  AppendCompact(j, budget, &compact);
  if (!j.is_structured() || j.empty() || compact.size() <= budget) {
    *out += compact;
    return;
  }
  bool object = j.is_object();
  std::string pad(indent + 2, ' ');
  *out += object ? "{\n" : "[\n";
  size_t remaining = j.size();
  for (const auto& [key, value] : j.items()) {
    *out += pad;
    size_t line = pad.size();
    if (object) {
      std::string k = Scalar(Json(key)) + ": ";
      *out += k;
      line += k.size();
    }
    AppendPretty(value, indent + 2, line + 1, out);  // +1 for the comma.
    *out += --remaining > 0 ? ",\n" : "\n";
  }
  *out += std::string(indent, ' ') + (object ? '}' : ']');
}

// The value's name as it appears in tables and red lines: a label, or an integer's number.
Json ValueName(const Issue& issue, uint32_t value) {
  if (issue.type() == IssueType::kInteger) return issue.int_lower() + static_cast<int64_t>(value);
  return issue.ValueLabel(value);
}

Json IssueName(const OutcomeSpace& space, int issue) {
  if (issue >= 0 && static_cast<size_t>(issue) < space.issue_count())
    return space.issue(issue).name();
  return issue;  // Invalid scenario: written as-is so that reading it back reports the problem.
}

Json WriteIssue(const Issue& issue) {
  Json j = {{"name", issue.name()}, {"type", IssueTypeName(issue.type())}};
  switch (issue.type()) {
    case IssueType::kDiscrete: j["values"] = issue.labels(); break;
    case IssueType::kInteger:
      j["lower"] = issue.int_lower();
      j["upper"] = issue.int_upper();
      break;
    case IssueType::kReal:
      j["lower"] = issue.real_lower();
      j["upper"] = issue.real_upper();
      if (issue.step() != 0) j["step"] = issue.step();
      break;
  }
  return j;
}

// Adds a member without ordered_map's linear search for an existing key (quadratic for a table of
// thousands of values). Keys are names, unique in a valid scenario; in an invalid one a repeated
// key is written twice and the reader reports it.
void AppendMember(Json* object, std::string key, Json value) {
  Json::object_t& members = object->get_ref<Json::object_t&>();
  members.emplace_back(std::move(key), std::move(value));  // std::vector's, inherited.
}

// A table's key for a value: a label, an integer's number, or a real's number in the shortest form
// that reads back to the same double (ValueLabel's 6 digits could name two values alike).
std::string TableKey(const Issue& issue, size_t value) {
  switch (issue.type()) {
    case IssueType::kDiscrete: return issue.ValueLabel(value);
    case IssueType::kInteger:
      return std::to_string(issue.int_lower() + static_cast<int64_t>(value));
    case IssueType::kReal: return fmt::format("{}", issue.NumericValue(value).value_or(0));
  }
  return issue.ValueLabel(value);
}

Json WriteTable(const Issue& issue, const std::vector<double>& evaluations) {
  if (evaluations.size() != issue.size()) return evaluations;  // Invalid; the reader will say so.
  Json table = Json::object();
  for (size_t v = 0; v < evaluations.size(); ++v)
    AppendMember(&table, TableKey(issue, v), evaluations[v]);
  return table;
}

Json WritePoints(const std::vector<std::pair<double, double>>& points) {
  Json out = Json::array();
  for (const auto& [x, v] : points) out.push_back(Json::array({x, v}));
  return out;
}

Json WriteEvaluator(const Issue& issue, const Evaluator& e) {
  switch (e.kind) {
    case EvaluatorKind::kTable: {
      Json j = {{"table", WriteTable(issue, e.evaluations)}};
      if (!e.divide_by_max) j["divide_by_max"] = false;
      return j;
    }
    case EvaluatorKind::kLinearFromLower:
      return {{"linear_from_lower", {{"slope", e.slope}, {"offset", e.offset}}}};
    case EvaluatorKind::kLinear: return {{"linear", {{"p0", e.p0}, {"p1", e.p1}}}};
    case EvaluatorKind::kTriangular:
      return {{"triangular", {{"lower", e.p0}, {"peak", e.p2}, {"upper", e.p1}}}};
    case EvaluatorKind::kConstant: return {{"constant", e.p0}};
    case EvaluatorKind::kPiecewise: return {{"piecewise", WritePoints(e.points)}};
  }
  return Json::object();
}

Json WriteRedLine(const OutcomeSpace& space, const RedLine& line) {
  Json j = {{"issue", IssueName(space, line.issue)}};
  bool valid_issue = line.issue >= 0 && static_cast<size_t>(line.issue) < space.issue_count();
  switch (line.kind) {
    case RedLine::Kind::kForbid:
    case RedLine::Kind::kRequire: {
      Json values = Json::array();
      for (uint32_t v : line.values)
        values.push_back(valid_issue ? ValueName(space.issue(line.issue), v) : Json(v));
      j[RedLineKindName(line.kind)] = std::move(values);
      break;
    }
    case RedLine::Kind::kAtMost:
    case RedLine::Kind::kAtLeast: j[RedLineKindName(line.kind)] = line.bound; break;
  }
  if (!line.note.empty()) j["note"] = line.note;
  return j;
}

void WriteLinearAdditive(const OutcomeSpace& space, const Profile& p, Json* j) {
  if (p.weights.size() != space.issue_count() || p.evaluators.size() != space.issue_count()) {
    // Invalid; arrays let the reader report the count.
    (*j)["weights"] = p.weights;
    (*j)["evaluators"] = Json::array();
    for (const Evaluator& e : p.evaluators) (*j)["evaluators"].push_back({{"constant", e.p0}});
    return;
  }
  Json weights = Json::object(), evaluators = Json::object();
  for (size_t i = 0; i < space.issue_count(); ++i) {
    AppendMember(&weights, space.issue(i).name(), p.weights[i]);
    AppendMember(&evaluators, space.issue(i).name(),
                 WriteEvaluator(space.issue(i), p.evaluators[i]));
  }
  (*j)["weights"] = std::move(weights);
  (*j)["evaluators"] = std::move(evaluators);
}

Json WriteRectangles(const OutcomeSpace& space, const Profile& p) {
  Json rectangles = Json::array();
  for (const HyperRectangle& r : p.rectangles) {
    Json bounds = Json::array();
    for (const HyperRectangle::Bound& b : r.bounds) {
      bounds.push_back({{"issue", IssueName(space, b.issue)}, {"min", b.min}, {"max", b.max}});
    }
    rectangles.push_back({{"utility", r.utility}, {"bounds", std::move(bounds)}});
  }
  return rectangles;
}

Json WriteRanks(const OutcomeSpace& space, const IssueRanks& r) {
  Json ranks = Json::object();
  bool valid = r.issue >= 0 && static_cast<size_t>(r.issue) < space.issue_count() &&
               r.ranks.size() == space.issue(r.issue).size();
  if (!valid)
    return {{"issue", IssueName(space, r.issue)}, {"ranks", r.ranks}};  // The reader will say why.
  for (size_t v = 0; v < r.ranks.size(); ++v) {
    AppendMember(&ranks, space.issue(r.issue).ValueLabel(v),
                 r.ranks[v]);  // An integer's label is its number.
  }
  return {{"issue", IssueName(space, r.issue)}, {"ranks", std::move(ranks)}};
}

Json WriteZeroConstraint(const OutcomeSpace& space, const ZeroConstraint& c) {
  Json j = {{"type", ZeroConstraintKindName(c.kind)}};
  if (!ZeroConstraintIsOutcomeKind(c.kind)) j["issue"] = IssueName(space, c.issue);
  if (!c.checks.empty()) {
    Json checks = Json::array();
    for (const ZeroConstraint::Check& check : c.checks) {
      checks.push_back({{"issue", IssueName(space, check.issue)}, {"text", check.text}});
    }
    j["checks"] = std::move(checks);
  }
  if (!c.texts.empty()) j["texts"] = c.texts;
  bool sum = c.kind == ZeroConstraint::Kind::kSumZero ||
             c.kind == ZeroConstraint::Kind::kSumZeroNot ||
             c.kind == ZeroConstraint::Kind::kSumZeroList;
  if (sum || !c.summed.empty()) {
    Json summed = Json::array();
    for (int s : c.summed) summed.push_back(IssueName(space, s));
    j["summed"] = std::move(summed);
    j["min"] = c.min;
    j["max"] = c.max;
  }
  return j;
}

void WriteConstraintProfile(const OutcomeSpace& space, const Profile& p, Json* j) {
  Json ranks = Json::array(), constraints = Json::array();
  for (const IssueRanks& r : p.ranks) ranks.push_back(WriteRanks(space, r));
  for (const ZeroConstraint& c : p.constraints)
    constraints.push_back(WriteZeroConstraint(space, c));
  (*j)["ranks"] = std::move(ranks);
  if (!constraints.empty()) (*j)["constraints"] = std::move(constraints);
}

Json WriteProfile(const OutcomeSpace& space, const Profile& p) {
  Json j = {{"kind", ProfileKindName(p.kind)}};
  switch (p.kind) {
    case ProfileKind::kLinearAdditive: WriteLinearAdditive(space, p, &j); break;
    case ProfileKind::kHyperRectangles:
      j["rectangles"] = WriteRectangles(space, p);
      if (p.max_utility != 0) j["max_utility"] = p.max_utility;
      break;
    case ProfileKind::kConstraint: WriteConstraintProfile(space, p, &j); break;
  }
  if (p.reservation_value != 0) j["reservation_value"] = p.reservation_value;
  if (p.discount != 1) j["discount"] = p.discount;
  if (!p.red_lines.empty()) {
    Json lines = Json::array();
    for (const RedLine& line : p.red_lines) lines.push_back(WriteRedLine(space, line));
    j["red_lines"] = std::move(lines);
  }
  return j;
}

Json WriteAgenda(const Scenario& s) {
  Json agenda = Json::array();
  for (const Stage& stage : s.agenda) {
    Json issues = Json::array();
    for (int i : stage.issues) issues.push_back(IssueName(s.space, i));
    Json j = {{"name", stage.name}, {"issues", std::move(issues)}};
    if (stage.deferred) j["deferred"] = true;
    agenda.push_back(std::move(j));
  }
  return agenda;
}

}  // namespace

std::string WriteScenarioJson(const Scenario& s) {
  Json doc = {{"format", "shuttle-scenario"}, {"version", 1}, {"name", s.name}};
  if (!s.description.empty()) doc["description"] = s.description;
  doc["issues"] = Json::array();
  for (const Issue& issue : s.space.issues()) doc["issues"].push_back(WriteIssue(issue));
  doc["parties"] = Json::array();
  for (const Party& party : s.parties) {
    doc["parties"].push_back(
        {{"name", party.name}, {"profile", WriteProfile(s.space, party.profile)}});
  }
  if (!s.rule.unanimous()) {
    Json rule = Json::object();
    if (s.rule.at_least != 0) rule["at_least"] = s.rule.at_least;
    if (!s.rule.required.empty()) {
      Json required = Json::array();
      for (int k : s.rule.required) {
        const bool known = k >= 0 && static_cast<size_t>(k) < s.parties.size();
        required.push_back(known ? s.parties[k].name : std::to_string(k));
      }
      rule["required"] = std::move(required);
    }
    doc["agreement_rule"] = std::move(rule);
  }
  if (!s.agenda.empty()) doc["agenda"] = WriteAgenda(s);
  if (!s.metadata.empty()) doc["metadata"] = s.metadata;
  std::string out;
  AppendPretty(doc, 0, 0, &out);
  out += '\n';
  return out;
}

}  // namespace shuttle
