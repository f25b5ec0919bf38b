// Reading Shuttle JSON scenarios. The format is specified in docs/scenario-format.md; this file
// follows it section by section. Profiles refer to issues and values by name, so the issues are
// read first and indexed (SpaceIndex) for the rest of the document.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/json_reader.h"
#include "shuttle/io.h"

namespace shuttle {
namespace {

using json_internal::AsArray;
using json_internal::AsBool;
using json_internal::AsInteger;
using json_internal::AsNumber;
using json_internal::AsObject;
using json_internal::AsString;
using json_internal::DidYouMean;
using json_internal::ElementPath;
using json_internal::Fail;
using json_internal::Json;
using json_internal::MemberPath;
using json_internal::ObjectReader;

constexpr int64_t kFormatVersion = 1;

// Issues and discrete values by name, for a space read from the same document.
class SpaceIndex {
 public:
  explicit SpaceIndex(const OutcomeSpace& space) : space_(space), labels_(space.issue_count()) {
    for (size_t i = 0; i < space.issue_count(); ++i) {
      names_.push_back(space.issue(i).name());
      by_name_.emplace(space.issue(i).name(), static_cast<int>(i));
      const std::vector<std::string>& labels = space.issue(i).labels();
      for (size_t v = 0; v < labels.size(); ++v)
        labels_[i].emplace(labels[v], static_cast<uint32_t>(v));
    }
  }

  const OutcomeSpace& space() const { return space_; }
  const std::vector<std::string>& names() const { return names_; }

  int FindIssue(const std::string& name, const std::string& path) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      Fail(path, fmt::format("unknown issue '{}'{}", name, DidYouMean(name, names_)));
    return it->second;
  }

  // The index of the value named by `label`: a discrete label (a string), or for an integer issue
  // the number itself (as a JSON number or a string). A finite real issue's values are named by
  // their numbers too, but only where `real_by_number` (tables; red lines on reals are bounds).
  uint32_t FindValue(int issue, const Json& label, const std::string& path,
                     bool real_by_number = false) const {
    const Issue& is = space_.issue(issue);
    if (is.type() == IssueType::kDiscrete) return FindLabel(issue, AsString(label, path), path);
    if (is.type() == IssueType::kReal) {
      if (!real_by_number || !is.finite()) {
        Fail(path,
             fmt::format("issue '{}' is real: its values have no names (use a bound)", is.name()));
      }
      return FindRealValue(is, label, path);
    }
    int64_t x =
        label.is_string() ? ParseInteger(label.get<std::string>(), path) : AsInteger(label, path);
    if (x < is.int_lower() || x > is.int_upper()) {
      Fail(path, fmt::format("issue '{}' has no value {} (range {} to {})", is.name(), x,
                             is.int_lower(), is.int_upper()));
    }
    uint64_t index = static_cast<uint64_t>(x) - static_cast<uint64_t>(is.int_lower());
    if (index > UINT32_MAX) Fail(path, fmt::format("value {} is too far from the lower bound", x));
    return static_cast<uint32_t>(index);
  }

 private:
  uint32_t FindLabel(int issue, const std::string& label, const std::string& path) const {
    auto it = labels_[issue].find(label);
    if (it == labels_[issue].end()) {
      const Issue& is = space_.issue(issue);
      Fail(path, fmt::format("issue '{}' has no value '{}'{}", is.name(), label,
                             DidYouMean(label, is.labels())));
    }
    return it->second;
  }

  // Numbers match within Issue::FindValue's tolerance, so 12.5 and "12.50" both name 12.5.
  static uint32_t FindRealValue(const Issue& is, const Json& label, const std::string& path) {
    std::string text =
        label.is_string() ? label.get<std::string>() : fmt::format("{}", AsNumber(label, path));
    Result<uint64_t> index = is.FindValue(text);
    if (!index.ok()) {
      Fail(path, fmt::format("issue '{}' has no value {} (from {} to {} by {})", is.name(), text,
                             is.real_lower(), is.real_upper(), is.step()));
    }
    return static_cast<uint32_t>(*index);  // Discretized issues have at most 10^7 values.
  }

  static int64_t ParseInteger(const std::string& text, const std::string& path) {
    int64_t x = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
    if (ec != std::errc() || end != text.data() + text.size()) {
      Fail(path, fmt::format("expected an integer, got '{}'", text));
    }
    return x;
  }

  const OutcomeSpace& space_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, int> by_name_;
  std::vector<std::unordered_map<std::string, uint32_t>> labels_;
};

// A name that must be non-empty and not seen before in its list.
std::string UniqueName(const ObjectReader& r, std::unordered_set<std::string>* seen,
                       const char* what) {
  std::string name = r.String("name");
  if (name.empty()) Fail(r.PathOf("name"), fmt::format("{} name must not be empty", what));
  if (!seen->insert(name).second)
    Fail(r.PathOf("name"), fmt::format("duplicate {} name '{}'", what, name));
  return name;
}

// ---- Issues ----

Issue ReadDiscreteIssue(const ObjectReader& r, std::string name) {
  const std::string path = r.PathOf("values");
  const Json& values = AsArray(r.Required("values"), path);
  if (values.empty()) Fail(path, "a discrete issue needs at least one value");
  std::vector<std::string> labels;
  std::unordered_set<std::string> seen;
  for (size_t v = 0; v < values.size(); ++v) {
    const std::string& label = AsString(values[v], ElementPath(path, v));
    if (!seen.insert(label).second)
      Fail(ElementPath(path, v), fmt::format("duplicate value '{}'", label));
    labels.push_back(label);
  }
  return Issue::Discrete(std::move(name), std::move(labels));
}

Issue ReadIntegerIssue(const ObjectReader& r, std::string name) {
  int64_t lower = r.Integer("lower"), upper = r.Integer("upper");
  if (lower > upper) Fail(r.path(), fmt::format("lower {} > upper {}", lower, upper));
  if (lower == INT64_MIN && upper == INT64_MAX) Fail(r.path(), "range has more than 2^64 values");
  return Issue::Integer(std::move(name), lower, upper);
}

Issue ReadRealIssue(const ObjectReader& r, std::string name) {
  double lower = r.Number("lower"), upper = r.Number("upper"), step = r.NumberOr("step", 0);
  if (lower > upper) Fail(r.path(), fmt::format("lower {} > upper {}", lower, upper));
  if (step < 0)
    Fail(r.PathOf("step"), fmt::format("step {} is negative (0 means continuous)", step));
  Issue issue = Issue::Real(std::move(name), lower, upper);
  if (step == 0) return issue;
  Result<Issue> discretized = issue.Discretized(step);  // Bounds the number of values.
  if (!discretized.ok()) Fail(r.PathOf("step"), discretized.status().message());
  return *std::move(discretized);
}

Issue ReadIssue(const Json& j, const std::string& path, std::unordered_set<std::string>* seen) {
  const Json* type = AsObject(j, path).contains("type") ? &j.at("type") : nullptr;
  if (type == nullptr) Fail(path, "missing field 'type' (discrete, integer or real)");
  const std::string& t = AsString(*type, MemberPath(path, "type"));
  if (t == "discrete") {
    ObjectReader r(j, path, {"name", "type", "values"});
    return ReadDiscreteIssue(r, UniqueName(r, seen, "issue"));
  }
  if (t == "integer") {
    ObjectReader r(j, path, {"name", "type", "lower", "upper"});
    return ReadIntegerIssue(r, UniqueName(r, seen, "issue"));
  }
  if (t == "real") {
    ObjectReader r(j, path, {"name", "type", "lower", "upper", "step"});
    return ReadRealIssue(r, UniqueName(r, seen, "issue"));
  }
  Fail(MemberPath(path, "type"),
       fmt::format("unknown issue type '{}' (expected discrete, integer or real)", t));
}

OutcomeSpace ReadIssues(const Json& j, const std::string& path) {
  std::vector<Issue> issues;
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < AsArray(j, path).size(); ++i)
    issues.push_back(ReadIssue(j[i], ElementPath(path, i), &seen));
  return OutcomeSpace(std::move(issues));
}

// ---- Per-issue maps: {issue: x} in any order, or [x, ...] in issue order ----

// Calls read(issue_index, value, path) once per issue; every issue must be present exactly once.
template <typename ReadOne>
void ForEachIssue(const Json& j, const std::string& path, const SpaceIndex& index, const char* what,
                  ReadOne read) {
  size_t n = index.space().issue_count();
  if (j.is_array()) {
    if (j.size() != n) Fail(path, fmt::format("expected {} {}, got {}", n, what, j.size()));
    for (size_t i = 0; i < n; ++i) read(static_cast<int>(i), j[i], ElementPath(path, i));
    return;
  }
  if (!j.is_object())
    Fail(path,
         fmt::format("expected an object keyed by issue name, got {}", json_internal::Describe(j)));
  for (const auto& [key, value] : j.items())
    read(index.FindIssue(key, path), value, MemberPath(path, key));
  if (j.size() < n) {
    for (const std::string& name : index.names()) {
      if (!j.contains(name)) Fail(path, fmt::format("missing issue '{}'", name));
    }
  }
}

// ---- Evaluators ----

std::vector<double> ReadTable(const Json& j, const std::string& path, int issue,
                              const SpaceIndex& index, const char* what = "evaluations") {
  const Issue& is = index.space().issue(issue);
  if (!is.finite()) {
    Fail(path, fmt::format("a table needs a finite issue: give the real issue a step ('{}' is "
                           "continuous)",
                           is.name()));
  }
  uint64_t n = is.size();
  if (!j.is_array() && !j.is_object())
    Fail(path, fmt::format("expected an object or an array, got {}", json_internal::Describe(j)));
  // Checked before allocating: a table must list every value, so it is never larger than the text.
  if (j.size() != n)
    Fail(path, fmt::format("expected {} {} (one per value), got {}", n, what, j.size()));
  std::vector<double> evaluations(n);
  if (j.is_array()) {
    for (size_t v = 0; v < n; ++v) evaluations[v] = AsNumber(j[v], ElementPath(path, v));
    return evaluations;
  }
  std::vector<bool> seen(n);
  for (const auto& [key, value] : j.items()) {
    std::string value_path = MemberPath(path, key);
    uint32_t v = index.FindValue(issue, Json(key), value_path, /*real_by_number=*/true);
    if (seen[v]) Fail(value_path, fmt::format("value '{}' is listed twice", is.ValueLabel(v)));
    seen[v] = true;
    evaluations[v] = AsNumber(value, value_path);
  }
  return evaluations;
}

const char* const kEvaluatorKinds[] = {"table",      "linear_from_lower", "linear",
                                       "triangular", "constant",          "piecewise"};

// [[x, v], ...]: the bounds on x and v are Profile::Validate's, checked here to name the element.
std::vector<std::pair<double, double>> ReadPoints(const Json& j, const std::string& path,
                                                  const Issue& is) {
  const Json& points = AsArray(j, path);
  if (points.empty()) Fail(path, "a piecewise evaluator needs at least one point [x, v]");
  std::vector<std::pair<double, double>> out;
  out.reserve(points.size());
  for (size_t k = 0; k < points.size(); ++k) {
    const std::string ppath = ElementPath(path, k);
    const Json& point = AsArray(points[k], ppath);
    if (point.size() != 2)
      Fail(ppath, fmt::format("expected a point [x, v], got {}", json_internal::Describe(point)));
    double x = AsNumber(point[0], ElementPath(ppath, 0));
    double v = AsNumber(point[1], ElementPath(ppath, 1));
    if (!out.empty() && !(x > out.back().first)) {
      Fail(ElementPath(ppath, 0),
           fmt::format("x {} is not above the previous point's {} (issue '{}')", x,
                       out.back().first, is.name()));
    }
    if (!(v >= 0 && v <= 1))
      Fail(ElementPath(ppath, 1), fmt::format("v {} is not in [0, 1] (issue '{}')", v, is.name()));
    out.emplace_back(x, v);
  }
  return out;
}

Evaluator ReadEvaluator(const Json& j, const std::string& path, int issue,
                        const SpaceIndex& index) {
  ObjectReader r(j, path,
                 {"table", "divide_by_max", "linear_from_lower", "linear", "triangular", "constant",
                  "piecewise"});
  std::string kind;
  for (const char* k : kEvaluatorKinds) {
    if (!r.Has(k)) continue;
    if (!kind.empty())
      Fail(path, fmt::format("both '{}' and '{}': an evaluator has one kind", kind, k));
    kind = k;
  }
  if (kind.empty())
    Fail(path, "expected one of table, linear_from_lower, linear, triangular, constant, piecewise");
  if (kind != "table" && r.Has("divide_by_max"))
    Fail(r.PathOf("divide_by_max"), "only a table has divide_by_max");
  const Issue& is = index.space().issue(issue);
  Evaluator e;
  const std::string kpath = r.PathOf(kind);
  if (kind == "table") {
    e.kind = EvaluatorKind::kTable;
    e.evaluations = ReadTable(r.Required(kind), kpath, issue, index);
    e.divide_by_max = r.BoolOr("divide_by_max", true);
  } else if (kind == "linear_from_lower") {
    if (is.type() != IssueType::kInteger)
      Fail(kpath,
           fmt::format("needs an integer issue; '{}' is {}", is.name(), IssueTypeName(is.type())));
    ObjectReader p(r.Required(kind), kpath, {"slope", "offset"});
    e.kind = EvaluatorKind::kLinearFromLower;
    e.slope = p.Number("slope");
    e.offset = p.NumberOr("offset", 0);
  } else if (kind == "linear") {
    ObjectReader p(r.Required(kind), kpath, {"p0", "p1"});
    e.kind = EvaluatorKind::kLinear;
    e.p0 = p.NumberOr("p0", 0);
    e.p1 = p.Number("p1");
  } else if (kind == "triangular") {
    ObjectReader p(r.Required(kind), kpath, {"lower", "peak", "upper"});
    e.kind = EvaluatorKind::kTriangular;
    e.p0 = p.Number("lower");
    e.p1 = p.Number("upper");
    e.p2 = p.Number("peak");
  } else if (kind == "piecewise") {
    e.kind = EvaluatorKind::kPiecewise;
    e.points = ReadPoints(r.Required(kind), kpath, is);
  } else {
    e.kind = EvaluatorKind::kConstant;
    e.p0 = AsNumber(r.Required(kind), kpath);
  }
  return e;
}

// ---- Profiles ----

std::vector<HyperRectangle> ReadRectangles(const Json& j, const std::string& path,
                                           const SpaceIndex& index) {
  std::vector<HyperRectangle> rectangles;
  for (size_t k = 0; k < AsArray(j, path).size(); ++k) {
    ObjectReader r(j[k], ElementPath(path, k), {"utility", "bounds"});
    HyperRectangle rect;
    rect.utility = r.Number("utility");
    const std::string bpath = r.PathOf("bounds");
    const Json& bounds = AsArray(r.Required("bounds"), bpath);
    for (size_t b = 0; b < bounds.size(); ++b) {
      ObjectReader br(bounds[b], ElementPath(bpath, b), {"issue", "min", "max"});
      HyperRectangle::Bound bound;
      bound.issue = index.FindIssue(br.String("issue"), br.PathOf("issue"));
      bound.min = br.Number("min");
      bound.max = br.Number("max");
      if (bound.min > bound.max)
        Fail(br.path(), fmt::format("min {} > max {}", bound.min, bound.max));
      rect.bounds.push_back(bound);
    }
    rectangles.push_back(std::move(rect));
  }
  return rectangles;
}

RedLine ReadRedLine(const Json& j, const std::string& path, const SpaceIndex& index) {
  ObjectReader r(j, path, {"issue", "forbid", "require", "at_most", "at_least", "note"});
  RedLine line;
  line.issue = index.FindIssue(r.String("issue"), r.PathOf("issue"));
  line.note = r.StringOr("note", "");
  static const std::pair<const char*, RedLine::Kind> kKinds[] = {
      {"forbid", RedLine::Kind::kForbid},
      {"require", RedLine::Kind::kRequire},
      {"at_most", RedLine::Kind::kAtMost},
      {"at_least", RedLine::Kind::kAtLeast}};
  const char* kind = nullptr;
  for (const auto& [name, k] : kKinds) {
    if (!r.Has(name)) continue;
    if (kind != nullptr)
      Fail(path, fmt::format("both '{}' and '{}': a red line has one kind", kind, name));
    kind = name;
    line.kind = k;
  }
  if (kind == nullptr) Fail(path, "expected one of forbid, require, at_most, at_least");
  const std::string kpath = r.PathOf(kind);
  if (line.kind == RedLine::Kind::kAtMost || line.kind == RedLine::Kind::kAtLeast) {
    line.bound = AsNumber(r.Required(kind), kpath);
    return line;
  }
  const Json& labels = AsArray(r.Required(kind), kpath);
  for (size_t v = 0; v < labels.size(); ++v) {
    uint32_t value = index.FindValue(line.issue, labels[v], ElementPath(kpath, v));
    if (std::find(line.values.begin(), line.values.end(), value) != line.values.end()) {
      Fail(ElementPath(kpath, v), fmt::format("value '{}' is listed twice",
                                              index.space().issue(line.issue).ValueLabel(value)));
    }
    line.values.push_back(value);
  }
  return line;
}

void ReadLinearAdditive(const ObjectReader& r, const SpaceIndex& index, Profile* p) {
  size_t n = index.space().issue_count();
  p->weights.assign(n, 0);
  p->evaluators.assign(n, Evaluator{});
  ForEachIssue(r.Required("weights"), r.PathOf("weights"), index, "numbers",
               [&](int i, const Json& w, const std::string& path) {
                 p->weights[i] = AsNumber(w, path);
                 if (p->weights[i] < 0)
                   Fail(path, fmt::format("weight {} is negative", p->weights[i]));
               });
  ForEachIssue(r.Required("evaluators"), r.PathOf("evaluators"), index, "evaluators",
               [&](int i, const Json& e, const std::string& path) {
                 p->evaluators[i] = ReadEvaluator(e, path, i, index);
               });
}

// ---- GENIUS constraint profiles ----

IssueRanks ReadRanks(const Json& j, const std::string& path, const SpaceIndex& index) {
  ObjectReader r(j, path, {"issue", "ranks"});
  IssueRanks ranks;
  ranks.issue = index.FindIssue(r.String("issue"), r.PathOf("issue"));
  const std::string rpath = r.PathOf("ranks");
  for (double rank : ReadTable(r.Required("ranks"), rpath, ranks.issue, index, "ranks")) {
    if (rank != std::floor(rank) || rank < INT32_MIN || rank > INT32_MAX) {
      Fail(rpath, fmt::format("rank {} is not an integer within a Java int", rank));
    }
    ranks.ranks.push_back(static_cast<int32_t>(rank));
  }
  return ranks;
}

constexpr ZeroConstraint::Kind kZeroKinds[] = {ZeroConstraint::Kind::kInclusiveOutcome,
                                               ZeroConstraint::Kind::kConditionalOutcome,
                                               ZeroConstraint::Kind::kZero,
                                               ZeroConstraint::Kind::kConditionalZero,
                                               ZeroConstraint::Kind::kSumZero,
                                               ZeroConstraint::Kind::kSumZeroNot,
                                               ZeroConstraint::Kind::kSumZeroList};

ZeroConstraint::Kind ReadZeroKind(const ObjectReader& r) {
  std::string type = r.String("type");
  std::vector<std::string> names;
  for (ZeroConstraint::Kind k : kZeroKinds) {
    if (type == ZeroConstraintKindName(k)) return k;
    names.emplace_back(ZeroConstraintKindName(k));
  }
  Fail(r.PathOf("type"),
       fmt::format("unknown constraint type '{}'{}", type, DidYouMean(type, names)));
}

int32_t ReadJavaInt(const ObjectReader& r, const char* key) {
  int64_t v = r.Integer(key);
  if (v < INT32_MIN || v > INT32_MAX)
    Fail(r.PathOf(key), fmt::format("{} is not within a Java int", v));
  return static_cast<int32_t>(v);
}

ZeroConstraint ReadZeroConstraint(const Json& j, const std::string& path, const SpaceIndex& index) {
  ObjectReader r(j, path, {"type", "issue", "checks", "texts", "summed", "min", "max"});
  ZeroConstraint c;
  c.kind = ReadZeroKind(r);
  bool sum = c.kind == ZeroConstraint::Kind::kSumZero ||
             c.kind == ZeroConstraint::Kind::kSumZeroNot ||
             c.kind == ZeroConstraint::Kind::kSumZeroList;
  for (const char* field : {"summed", "min", "max"}) {
    if (!sum && r.Has(field)) Fail(r.PathOf(field), "only a sum constraint has this field");
  }
  bool outcome = ZeroConstraintIsOutcomeKind(c.kind);
  if (outcome && r.Has("issue"))
    Fail(r.PathOf("issue"), "an outcome constraint zeroes the whole utility, no issue");
  if (!outcome) c.issue = index.FindIssue(r.String("issue"), r.PathOf("issue"));
  if (const Json* checks = r.Find("checks")) {
    const std::string cpath = r.PathOf("checks");
    for (size_t k = 0; k < AsArray(*checks, cpath).size(); ++k) {
      ObjectReader cr((*checks)[k], ElementPath(cpath, k), {"issue", "text"});
      c.checks.push_back(
          {index.FindIssue(cr.String("issue"), cr.PathOf("issue")), cr.String("text")});
    }
  }
  if (const Json* texts = r.Find("texts")) {
    const std::string tpath = r.PathOf("texts");
    for (size_t k = 0; k < AsArray(*texts, tpath).size(); ++k) {
      c.texts.push_back(AsString((*texts)[k], ElementPath(tpath, k)));
    }
  }
  if (sum) {
    const std::string spath = r.PathOf("summed");
    const Json& summed = AsArray(r.Required("summed"), spath);
    for (size_t k = 0; k < summed.size(); ++k) {
      c.summed.push_back(
          index.FindIssue(AsString(summed[k], ElementPath(spath, k)), ElementPath(spath, k)));
    }
    c.min = ReadJavaInt(r, "min");
    c.max = ReadJavaInt(r, "max");
  }
  Status valid = c.Validate(index.space());
  if (!valid.ok()) Fail(path, valid.message());
  return c;
}

void ReadConstraintProfile(const ObjectReader& r, const SpaceIndex& index, Profile* p) {
  p->kind = ProfileKind::kConstraint;
  const std::string rpath = r.PathOf("ranks");
  const Json& ranks = AsArray(r.Required("ranks"), rpath);
  for (size_t k = 0; k < ranks.size(); ++k)
    p->ranks.push_back(ReadRanks(ranks[k], ElementPath(rpath, k), index));
  if (const Json* constraints = r.Find("constraints")) {
    const std::string cpath = r.PathOf("constraints");
    for (size_t k = 0; k < AsArray(*constraints, cpath).size(); ++k) {
      p->constraints.push_back(ReadZeroConstraint((*constraints)[k], ElementPath(cpath, k), index));
    }
  }
}

Profile ReadProfile(const Json& j, const std::string& path, const SpaceIndex& index) {
  ObjectReader r(j, path,
                 {"kind", "weights", "evaluators", "rectangles", "max_utility", "ranks",
                  "constraints", "reservation_value", "discount", "red_lines"});
  Profile p;
  std::string kind = r.StringOr("kind", "linear_additive");
  static const std::pair<const char*, std::vector<std::string_view>> kFieldsOfKind[] = {
      {"linear_additive", {"weights", "evaluators"}},
      {"hyper_rectangles", {"rectangles", "max_utility"}},
      {"genius_constraint", {"ranks", "constraints"}}};
  const std::vector<std::string_view>* own = nullptr;
  for (const auto& [name, fields] : kFieldsOfKind) {
    if (kind == name) own = &fields;
  }
  if (own == nullptr) {
    Fail(r.PathOf("kind"),
         fmt::format("unknown profile kind '{}' (expected linear_additive, hyper_rectangles or "
                     "genius_constraint)",
                     kind));
  }
  for (const auto& [name, fields] : kFieldsOfKind) {
    for (std::string_view field : fields) {
      bool belongs = std::find(own->begin(), own->end(), field) != own->end();
      if (r.Has(field) && !belongs)
        Fail(r.PathOf(field), fmt::format("not a field of a {} profile", kind));
    }
  }
  if (kind == "linear_additive") {
    ReadLinearAdditive(r, index, &p);
  } else if (kind == "hyper_rectangles") {
    p.kind = ProfileKind::kHyperRectangles;
    p.rectangles = ReadRectangles(r.Required("rectangles"), r.PathOf("rectangles"), index);
    p.max_utility = r.NumberOr("max_utility", 0);
  } else {
    ReadConstraintProfile(r, index, &p);
  }
  p.reservation_value = r.NumberOr("reservation_value", 0);
  p.discount = r.NumberOr("discount", 1);
  if (!(p.discount >= 0 && p.discount <= 1))
    Fail(r.PathOf("discount"), fmt::format("{} is not in [0, 1]", p.discount));
  if (const Json* lines = r.Find("red_lines")) {
    std::string lpath = r.PathOf("red_lines");
    for (size_t k = 0; k < AsArray(*lines, lpath).size(); ++k) {
      p.red_lines.push_back(ReadRedLine((*lines)[k], ElementPath(lpath, k), index));
    }
  }
  Status valid = p.Validate(index.space());
  if (!valid.ok()) Fail(path, valid.message());
  return p;
}

std::vector<Party> ReadParties(const Json& j, const std::string& path, const SpaceIndex& index) {
  std::vector<Party> parties;
  std::unordered_set<std::string> seen;
  for (size_t k = 0; k < AsArray(j, path).size(); ++k) {
    ObjectReader r(j[k], ElementPath(path, k), {"name", "profile"});
    Party party;
    party.name = UniqueName(r, &seen, "party");
    party.profile = ReadProfile(r.Required("profile"), r.PathOf("profile"), index);
    parties.push_back(std::move(party));
  }
  return parties;
}

// ---- Agenda and metadata ----

std::vector<Stage> ReadAgenda(const Json& j, const std::string& path, const SpaceIndex& index) {
  std::vector<Stage> agenda;
  std::unordered_set<std::string> seen_stages;
  std::unordered_map<int, std::string> stage_of_issue;
  for (size_t k = 0; k < AsArray(j, path).size(); ++k) {
    ObjectReader r(j[k], ElementPath(path, k), {"name", "issues", "deferred"});
    Stage stage;
    stage.name = UniqueName(r, &seen_stages, "stage");
    stage.deferred = r.BoolOr("deferred", false);
    const std::string ipath = r.PathOf("issues");
    const Json& issues = AsArray(r.Required("issues"), ipath);
    for (size_t i = 0; i < issues.size(); ++i) {
      std::string epath = ElementPath(ipath, i);
      int issue = index.FindIssue(AsString(issues[i], epath), epath);
      auto [it, fresh] = stage_of_issue.emplace(issue, stage.name);
      if (!fresh)
        Fail(epath, fmt::format("issue '{}' is already in stage '{}'", issues[i].get<std::string>(),
                                it->second));
      stage.issues.push_back(issue);
    }
    agenda.push_back(std::move(stage));
  }
  return agenda;
}

std::map<std::string, std::string> ReadMetadata(const Json& j, const std::string& path) {
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : AsObject(j, path).items())
    metadata[key] = AsString(value, MemberPath(path, key));
  return metadata;
}

// {"at_least": k, "required": [party name, ...]}: parties by name, checked against the parties
// read before it. Absent at_least: every party.
AgreementRule ReadRule(const Json& j, const std::string& path, const std::vector<Party>& parties) {
  ObjectReader r(j, path, {"at_least", "required"});
  const int n = static_cast<int>(parties.size());
  AgreementRule rule;
  if (r.Has("at_least")) {
    int64_t k = r.Integer("at_least");
    if (k < 1 || k > n)
      Fail(r.PathOf("at_least"), fmt::format("{} is out of range 1..{} (the parties)", k, n));
    rule.at_least = static_cast<int>(k);
  }
  if (const Json* required = r.Find("required")) {
    const std::string rpath = r.PathOf("required");
    std::vector<std::string> names;
    for (const Party& p : parties) names.push_back(p.name);
    for (size_t k = 0; k < AsArray(*required, rpath).size(); ++k) {
      const std::string epath = ElementPath(rpath, k);
      const std::string& name = AsString((*required)[k], epath);
      auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        Fail(epath, fmt::format("unknown party '{}'{}", name, DidYouMean(name, names)));
      int index = static_cast<int>(it - names.begin());
      if (std::find(rule.required.begin(), rule.required.end(), index) != rule.required.end())
        Fail(epath, fmt::format("party '{}' is listed twice", name));
      rule.required.push_back(index);
    }
    if (static_cast<int>(rule.required.size()) > rule.Needed(n)) {
      Fail(rpath, fmt::format("{} parties are required but a deal needs only {} (at_least)",
                              rule.required.size(), rule.Needed(n)));
    }
  }
  return rule;
}

Scenario ReadScenario(const Json& doc) {
  ObjectReader r(doc, "",
                 {"format", "version", "name", "description", "issues", "parties", "agreement_rule",
                  "agenda", "metadata"});
  if (!r.Has("format"))
    Fail("", "missing field 'format' (a Shuttle scenario has \"format\": \"shuttle-scenario\")");
  if (std::string f = r.String("format"); f != "shuttle-scenario") {
    Fail("format", fmt::format("'{}' is not \"shuttle-scenario\"", f));
  }
  if (int64_t v = r.Integer("version"); v != kFormatVersion) {
    Fail("version", fmt::format("version {} is not supported (this build reads version {})", v,
                                kFormatVersion));
  }
  Scenario s;
  s.name = r.String("name");
  s.description = r.StringOr("description", "");
  s.space = ReadIssues(r.Required("issues"), "issues");
  SpaceIndex index(s.space);
  s.parties = ReadParties(r.Required("parties"), "parties", index);
  if (const Json* rule = r.Find("agreement_rule"))
    s.rule = ReadRule(*rule, "agreement_rule", s.parties);
  if (const Json* agenda = r.Find("agenda")) s.agenda = ReadAgenda(*agenda, "agenda", index);
  if (const Json* metadata = r.Find("metadata")) s.metadata = ReadMetadata(*metadata, "metadata");
  Status valid = s.Validate();  // Everything above should have caught; this is the backstop.
  if (!valid.ok()) Fail("", valid.message());
  return s;
}

}  // namespace

Result<Scenario> ParseScenarioJson(std::string_view json, const std::string& source) {
  try {
    return ReadScenario(json_internal::ParseStrictJson(json));
  } catch (const json_internal::JsonError& e) {
    return e.ToStatus(source);
  } catch (const std::exception& e) {  // Out of memory, or a helper's bug: still no throw.
    return Status::InvalidArgument(fmt::format("{}: {}", source, e.what()));
  }
}

}  // namespace shuttle
