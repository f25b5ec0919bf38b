// GeniusWeb JSON reader (domains and LinearAdditiveUtilitySpace profiles).
//
// nlohmann-json throws; every call that can throw is inside this file's try blocks, so nothing
// escapes. Objects are std::maps (ordered_json's linear lookups would make a hostile file with
// many keys quadratic); the issue order, which is the document order of "issuesValues", is
// recorded while parsing.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/json_reader.h"
#include "io/genius_web_json_internal.h"
#include "io/genius_xml_internal.h"
#include "shuttle/io.h"

namespace shuttle::io_internal {
namespace {

using Json = nlohmann::json;

// A parsed document and the keys of its "issuesValues" object in document order.
struct Parsed {
  Json root;
  std::vector<std::string> issue_order;
};

Status FieldError(const std::string& path, const std::string& cause) {
  return Status::InvalidArgument(fmt::format("field '{}': {}", path, cause));
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// "parse error at line 3, column 5: syntax error ..." -> "syntax error ...".
std::string ParseErrorCause(const std::string& what) {
  size_t column = what.find("column");
  size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

// A SAX pass that records the keys of every object held under an "issuesValues" key. (Parsing
// with a callback instead would be quadratic in nlohmann-json for objects with many members.)
class IssueOrder : public nlohmann::json_sax<Json> {
 public:
  explicit IssueOrder(std::vector<std::string>* keys) : keys_(keys) {}
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return Push(); }
  bool end_object() override { return Pop(); }
  bool start_array(std::size_t) override { return Push(); }
  bool end_array() override { return Pop(); }
  bool key(string_t& key) override {
    if (frames_.size() >= 2 && frames_[frames_.size() - 2] == "issuesValues") keys_->push_back(key);
    if (!frames_.empty()) frames_.back() = key;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  bool Push() {
    frames_.emplace_back();
    return true;
  }
  bool Pop() {
    if (!frames_.empty()) frames_.pop_back();
    return true;
  }
  std::vector<std::string>* keys_;
  std::vector<std::string> frames_;  // Per open object or array: its current key ("" in arrays).
};

Result<Parsed> ParseJson(std::string_view text) {
  Parsed parsed;
  try {
    // The strict reader bounds depth while parsing and refuses duplicate keys; a syntax error is
    // parsed again below only to say on which line it is.
    try {
      parsed.root = json_internal::ParseStrictJson(text);
    } catch (const json_internal::JsonError& e) {
      if (!e.syntax)
        return Status::Corruption(e.path.empty() ? e.message : e.path + ": " + e.message);
      parsed.root = Json::parse(text.begin(), text.end());
    }
    IssueOrder order(&parsed.issue_order);
    Json::sax_parse(text.begin(), text.end(), &order);
    return parsed;
  } catch (const Json::parse_error& e) {
    size_t end = std::min<size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + end, '\n'));
    return Status::Corruption(
        fmt::format("line {}: malformed JSON: {}", line, ParseErrorCause(e.what())));
  } catch (const Json::exception& e) {
    return Status::Corruption(fmt::format("malformed JSON: {}", e.what()));
  }
}

Result<const Json*> Member(const Json& object, std::string_view key, const std::string& path) {
  if (!object.is_object()) return FieldError(path, "is not an object");
  auto it = object.find(key);
  if (it == object.end()) return FieldError(Join(path, key), "is missing");
  return &*it;
}

// A number, or a string holding one (GeniusWeb writes BigDecimals either way).
Result<double> Number(const Json& v, const std::string& path) {
  if (v.is_number()) {
    double d = v.get<double>();
    if (std::isfinite(d)) return d;
  } else if (v.is_string()) {
    if (auto d = ParseNumber(v.get_ref<const std::string&>())) return *d;
  }
  return FieldError(path, fmt::format("{} is not a number", v.dump()));
}

// A value label: strings as they are, numbers as JSON writes them.
Result<std::string> Label(const Json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return FieldError(path, fmt::format("{} is not a value", v.dump()));
}

Result<Issue> DiscreteIssue(const std::string& name, const Json& values, const std::string& path) {
  if (!values.is_array() || values.empty()) return FieldError(path, "is not a non-empty array");
  std::vector<std::string> labels;
  std::unordered_set<std::string> seen;
  for (const Json& v : values) {
    SHUTTLE_ASSIGN_OR_RETURN(std::string label, Label(v, path));
    if (!seen.insert(label).second)
      return FieldError(path, fmt::format("value '{}' is listed twice", label));
    labels.push_back(std::move(label));
  }
  return Issue::Discrete(name, std::move(labels));
}

// {"low", "high", "step"}: integers with step 1 make an integer issue, anything else a real one.
Result<Issue> RangeIssue(const std::string& name, const Json& range, const std::string& path) {
  SHUTTLE_ASSIGN_OR_RETURN(const Json* low_json, Member(range, "low", path));
  SHUTTLE_ASSIGN_OR_RETURN(const Json* high_json, Member(range, "high", path));
  SHUTTLE_ASSIGN_OR_RETURN(double low, Number(*low_json, Join(path, "low")));
  SHUTTLE_ASSIGN_OR_RETURN(double high, Number(*high_json, Join(path, "high")));
  if (low > high) return FieldError(path, fmt::format("low {} > high {}", low, high));
  double step = 0;
  if (range.contains("step")) {
    SHUTTLE_ASSIGN_OR_RETURN(step, Number(range["step"], Join(path, "step")));
    if (step < 0) return FieldError(Join(path, "step"), "is negative");
  }
  constexpr double kLimit = 9007199254740992.0;  // 2^53
  bool integral = low == std::floor(low) && high == std::floor(high) && std::fabs(low) <= kLimit &&
                  std::fabs(high) <= kLimit;
  if (step == 1 && integral)
    return Issue::Integer(name, static_cast<int64_t>(low), static_cast<int64_t>(high));
  return Issue::Real(name, low, high, step);
}

// `order` lists issue names in document order (with possible repeats or strays, which are skipped).
Result<GeniusWebDomain> DomainFromJson(const Json& d, const std::vector<std::string>& order,
                                       const std::string& path) {
  SHUTTLE_ASSIGN_OR_RETURN(const Json* issues_values, Member(d, "issuesValues", path));
  std::string issues_path = Join(path, "issuesValues");
  if (!issues_values->is_object() || issues_values->empty()) {
    return FieldError(issues_path, "is not a non-empty object");
  }
  std::vector<Issue> issues;
  std::unordered_set<std::string> done;
  for (const std::string& name : order) {
    auto it = issues_values->find(name);
    if (it == issues_values->end() || !done.insert(name).second) continue;
    const Json& spec = *it;
    std::string issue_path = Join(issues_path, name);
    if (spec.is_object() && spec.contains("values")) {
      SHUTTLE_ASSIGN_OR_RETURN(Issue issue,
                               DiscreteIssue(name, spec["values"], Join(issue_path, "values")));
      issues.push_back(std::move(issue));
    } else if (spec.is_object() && spec.contains("range")) {
      SHUTTLE_ASSIGN_OR_RETURN(Issue issue,
                               RangeIssue(name, spec["range"], Join(issue_path, "range")));
      issues.push_back(std::move(issue));
    } else {
      return FieldError(issue_path, "has neither 'values' nor 'range'");
    }
  }
  GeniusWebDomain domain{OutcomeSpace(std::move(issues)), ""};
  if (d.contains("name") && d["name"].is_string()) domain.name = d["name"].get<std::string>();
  return domain;
}

Result<Evaluator> DiscreteUtils(const Json& utils, const Issue& issue, const std::string& path) {
  SHUTTLE_ASSIGN_OR_RETURN(const Json* values, Member(utils, "valueUtilities", path));
  std::string values_path = Join(path, "valueUtilities");
  if (!values->is_object()) return FieldError(values_path, "is not an object");
  if (issue.size() > kMaxTableValues) {
    return FieldError(path,
                      fmt::format("{} values are too many for a table of utilities", issue.size()));
  }
  ValueFinder finder(issue);
  Evaluator e;
  e.kind = EvaluatorKind::kTable;
  e.divide_by_max = false;
  e.evaluations.assign(issue.size(), 0.0);
  for (const auto& [label, utility] : values->items()) {
    std::optional<uint64_t> index = finder.Find(label);
    if (!index) return FieldError(Join(values_path, label), "is not a value of the domain");
    SHUTTLE_ASSIGN_OR_RETURN(e.evaluations[*index], Number(utility, Join(values_path, label)));
  }
  return e;
}

// The line through (lowValue, lowUtility) and (highValue, highUtility). GeniusWeb
// (NumberValueSetUtilities) gives 0 outside [lowValue, highValue] and calls a profile whose values
// do not span the issue's range unfitting; Shuttle refuses what a line cannot express.
Result<Evaluator> NumberUtils(const Json& utils, const Issue& issue, const std::string& path) {
  double v[4];
  const char* keys[4] = {"lowValue", "lowUtility", "highValue", "highUtility"};
  for (int k = 0; k < 4; ++k) {
    SHUTTLE_ASSIGN_OR_RETURN(const Json* field, Member(utils, keys[k], path));
    SHUTTLE_ASSIGN_OR_RETURN(v[k], Number(*field, Join(path, keys[k])));
  }
  const auto [low, low_u, high, high_u] = std::tie(v[0], v[1], v[2], v[3]);
  if (issue.type() == IssueType::kDiscrete)
    return FieldError(path, "numberutils on a discrete issue");
  if (!(high > low))
    return FieldError(path, fmt::format("highValue {} is not above lowValue {}", high, low));
  if (low_u < 0 || low_u > 1 || high_u < 0 || high_u > 1)
    return FieldError(path, "utilities are not in [0, 1]");
  double lower = issue.type() == IssueType::kInteger ? static_cast<double>(issue.int_lower())
                                                     : issue.real_lower();
  double upper = issue.type() == IssueType::kInteger ? static_cast<double>(issue.int_upper())
                                                     : issue.real_upper();
  if (lower < low || upper > high) {
    return FieldError(path, fmt::format("[{}, {}] does not span the issue's range [{}, {}]", low,
                                        high, lower, upper));
  }
  Evaluator e;
  e.kind = EvaluatorKind::kLinear;
  e.p1 = (high_u - low_u) / (high - low);
  e.p0 = low_u - e.p1 * low;
  return e;
}

Result<Evaluator> IssueUtilities(const Json& spec, const Issue& issue, const std::string& path) {
  if (spec.is_object() && spec.contains("discreteutils")) {
    return DiscreteUtils(spec["discreteutils"], issue, Join(path, "discreteutils"));
  }
  if (spec.is_object() && spec.contains("numberutils")) {
    return NumberUtils(spec["numberutils"], issue, Join(path, "numberutils"));
  }
  return FieldError(path, "has neither 'discreteutils' nor 'numberutils'");
}

// Value in [0, 1] of one bid value (a label or a number) under an evaluator.
Result<double> ValueOf(const Evaluator& e, const Issue& issue, const Json& value,
                       const std::string& path) {
  if (e.kind == EvaluatorKind::kTable) {
    SHUTTLE_ASSIGN_OR_RETURN(std::string label, Label(value, path));
    std::optional<uint64_t> index = ValueFinder(issue).Find(label);
    if (!index) return FieldError(path, fmt::format("'{}' is not a value of the domain", label));
    return e.Evaluate(issue, *index);
  }
  SHUTTLE_ASSIGN_OR_RETURN(double x, Number(value, path));
  // A one-point issue at x: the evaluator's formula at x, whatever the issue's grid.
  return e.Evaluate(Issue::Real(issue.name(), x, x), 0);
}

// GeniusWeb's reservation is a bid; Shuttle's is its utility. Issues missing from a partial bid
// contribute nothing, as in GeniusWeb.
Result<double> ReservationValue(const Json& bid, const OutcomeSpace& space, const Profile& p,
                                const std::string& path) {
  if (bid.is_null()) return 0.0;
  SHUTTLE_ASSIGN_OR_RETURN(const Json* values, Member(bid, "issuevalues", path));
  std::string values_path = Join(path, "issuevalues");
  if (!values->is_object()) return FieldError(values_path, "is not an object");
  std::unordered_map<std::string_view, int> issue_of_name;
  for (size_t i = 0; i < space.issue_count(); ++i)
    issue_of_name.emplace(space.issue(i).name(), static_cast<int>(i));
  double utility = 0;
  for (const auto& [name, value] : values->items()) {
    auto found = issue_of_name.find(name);
    if (found == issue_of_name.end())
      return FieldError(Join(values_path, name), "is not an issue of the domain");
    int i = found->second;
    SHUTTLE_ASSIGN_OR_RETURN(
        double v, ValueOf(p.evaluators[i], space.issue(i), value, Join(values_path, name)));
    utility += p.weights[i] * v;
  }
  return utility;
}

Result<Profile> ProfileFromJson(const Json& root, const OutcomeSpace& space) {
  if (!root.is_object()) return FieldError("", "the document is not an object");
  auto it = root.find("LinearAdditiveUtilitySpace");
  if (it == root.end()) {
    std::string key = root.empty() ? "" : root.begin().key();
    return Status::Unimplemented(fmt::format(
        "only GeniusWeb LinearAdditiveUtilitySpace profiles are supported (found '{}')", key));
  }
  const Json& las = *it;
  const std::string path = "LinearAdditiveUtilitySpace";
  SHUTTLE_ASSIGN_OR_RETURN(const Json* weights, Member(las, "issueWeights", path));
  SHUTTLE_ASSIGN_OR_RETURN(const Json* utilities, Member(las, "issueUtilities", path));
  Profile p;
  for (const Issue& issue : space.issues()) {
    SHUTTLE_ASSIGN_OR_RETURN(const Json* w,
                             Member(*weights, issue.name(), Join(path, "issueWeights")));
    SHUTTLE_ASSIGN_OR_RETURN(double weight,
                             Number(*w, Join(Join(path, "issueWeights"), issue.name())));
    SHUTTLE_ASSIGN_OR_RETURN(const Json* u,
                             Member(*utilities, issue.name(), Join(path, "issueUtilities")));
    SHUTTLE_ASSIGN_OR_RETURN(
        Evaluator e, IssueUtilities(*u, issue, Join(Join(path, "issueUtilities"), issue.name())));
    p.weights.push_back(weight);
    p.evaluators.push_back(std::move(e));
  }
  if (las.contains("reservationBid")) {
    SHUTTLE_ASSIGN_OR_RETURN(p.reservation_value, ReservationValue(las["reservationBid"], space, p,
                                                                   Join(path, "reservationBid")));
  }
  SHUTTLE_RETURN_IF_ERROR(p.Validate(space));
  return p;
}

}  // namespace

JsonKind DetectJsonKind(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && text.compare(start, 3, "\xEF\xBB\xBF") == 0) {
    start = text.find_first_not_of(" \t\r\n", start + 3);
  }
  if (start == std::string_view::npos || text[start] != '{') return JsonKind::kNotJson;
  Json root = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return JsonKind::kSyntaxError;
  if (!root.is_object()) return JsonKind::kOther;
  if (root.contains("format") && root["format"] == "shuttle-scenario")
    return JsonKind::kShuttleScenario;
  if (root.contains("issuesValues")) return JsonKind::kGeniusWebDomain;
  if (root.size() == 1 && root.begin().value().is_object() &&
      root.begin().value().contains("domain")) {
    return JsonKind::kGeniusWebProfile;
  }
  return JsonKind::kOther;
}

std::string JsonSyntaxError(std::string_view text) {
  try {
    json_internal::ParseStrictJson(text);
  } catch (const json_internal::JsonError& e) {
    return e.message;
  }
  return "";
}

Result<GeniusWebDomain> ParseGeniusWebDomainJson(std::string_view json) {
  SHUTTLE_ASSIGN_OR_RETURN(Parsed parsed, ParseJson(json));
  const Json& root = parsed.root;
  try {
    if (root.is_object() && root.size() == 1 && root.begin().value().is_object() &&
        root.begin().value().contains("domain")) {
      return DomainFromJson(root.begin().value()["domain"], parsed.issue_order,
                            root.begin().key() + ".domain");
    }
    return DomainFromJson(root, parsed.issue_order, "");
  } catch (const Json::exception& e) {
    return Status::Corruption(fmt::format("unexpected JSON content: {}", e.what()));
  }
}

Result<Profile> ParseGeniusWebProfileJson(std::string_view json, const OutcomeSpace& space) {
  SHUTTLE_ASSIGN_OR_RETURN(Parsed parsed, ParseJson(json));
  try {
    return ProfileFromJson(parsed.root, space);
  } catch (const Json::exception& e) {
    return Status::Corruption(fmt::format("unexpected JSON content: {}", e.what()));
  }
}

}  // namespace shuttle::io_internal

namespace shuttle {

Result<OutcomeSpace> ParseGeniusWebDomain(std::string_view json, const std::string& source) {
  auto domain = io_internal::ParseGeniusWebDomainJson(json);
  if (!domain.ok()) return domain.status().WithContext(source);
  return std::move(domain->space);
}

Result<Profile> ParseGeniusWebProfile(std::string_view json, const OutcomeSpace& space,
                                      const std::string& source) {
  auto profile = io_internal::ParseGeniusWebProfileJson(json, space);
  if (!profile.ok()) return profile.status().WithContext(source);
  return profile;
}

}  // namespace shuttle
