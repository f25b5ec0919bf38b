// GENIUS XML reader: domains and linear additive profiles here, hyper-rectangles in
// genius_xml_rectangles.cc, constraint profiles in genius_xml_constraints.cc, the writer in
// genius_xml_writer.cc.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "io/genius_xml_dom.h"
#include "shuttle/io.h"

namespace shuttle::io_internal {
namespace {

// Issues deeper than this in nested objectives are refused (a real file nests two or three).
constexpr int kMaxDepth = 64;
// GENIUS itself checks weights against [0.98, 1.02] (checkTreeNormalization); outside that range
// a file's weights are clearly not meant as fractions of 1 and are renormalized.
constexpr double kWeightSumTolerance = 0.02;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<IssueType> IssueTypeFromName(std::string_view name) {
  std::string n = Lower(name);
  if (n == "discrete") return IssueType::kDiscrete;
  if (n == "integer") return IssueType::kInteger;
  if (n == "real") return IssueType::kReal;
  return std::nullopt;
}

// The issue's declared type (type, then vtype, then etype), else inferred from its content.
Result<IssueType> IssueTypeOf(const XmlDoc& doc, pugi::xml_node issue) {
  for (const char* attr : {"type", "vtype", "etype"}) {
    std::string_view v = issue.attribute(attr).value();
    if (auto t = IssueTypeFromName(v)) return *t;
  }
  if (issue.child("item")) return IssueType::kDiscrete;
  if (issue.attribute("lowerbound") || issue.attribute("upperbound")) return IssueType::kInteger;
  if (issue.child("range")) return IssueType::kReal;
  return doc.Error(issue,
                   fmt::format("issue '{}': unknown type '{}'", issue.attribute("name").value(),
                               issue.attribute("type").value()));
}

// lowerbound/upperbound from the issue's attributes or its <range> child.
Result<std::pair<double, double>> Bounds(const XmlDoc& doc, pugi::xml_node issue,
                                         const std::string& name) {
  pugi::xml_node holder = issue;
  if (!issue.attribute("lowerbound") && issue.child("range")) holder = issue.child("range");
  SHUTTLE_ASSIGN_OR_RETURN(double lower, doc.NumberAttribute(holder, "lowerbound"));
  SHUTTLE_ASSIGN_OR_RETURN(double upper, doc.NumberAttribute(holder, "upperbound"));
  if (lower > upper) {
    return doc.Error(holder,
                     fmt::format("issue '{}': lowerbound {} > upperbound {}", name, lower, upper));
  }
  return std::make_pair(lower, upper);
}

Result<Issue> DiscreteIssue(const XmlDoc& doc, pugi::xml_node node, const std::string& name) {
  std::vector<std::string> labels;
  std::unordered_set<std::string_view> seen;
  for (pugi::xml_node item : node.children("item")) {
    pugi::xml_attribute value = item.attribute("value");
    if (!value) return doc.Error(item, fmt::format("issue '{}': <item> without a value", name));
    // A repeated label names the same value (FlightBooking lists "Sep4_2011" twice).
    if (seen.insert(value.value()).second) labels.emplace_back(value.value());
  }
  if (labels.empty()) return doc.Error(node, fmt::format("issue '{}' has no values", name));
  return Issue::Discrete(name, std::move(labels));
}

Result<Issue> IntegerIssue(const XmlDoc& doc, pugi::xml_node node, const std::string& name) {
  SHUTTLE_ASSIGN_OR_RETURN(auto bounds, Bounds(doc, node, name));
  constexpr double kLimit = 9007199254740992.0;  // 2^53: every integer up to here is exact.
  for (double b : {bounds.first, bounds.second}) {
    if (b != std::floor(b) || std::fabs(b) > kLimit) {
      return doc.Error(
          node, fmt::format("issue '{}': bound {} is not an integer within +-2^53", name, b));
    }
  }
  return Issue::Integer(name, static_cast<int64_t>(bounds.first),
                        static_cast<int64_t>(bounds.second));
}

Result<Issue> RealIssue(const XmlDoc& doc, pugi::xml_node node, const std::string& name) {
  SHUTTLE_ASSIGN_OR_RETURN(auto bounds, Bounds(doc, node, name));
  double step = 0;
  if (node.attribute("step")) {  // Shuttle's extension for a discretized real issue.
    SHUTTLE_ASSIGN_OR_RETURN(step, doc.NumberAttribute(node, "step"));
    if (!(step >= 0))
      return doc.Error(node, fmt::format("issue '{}': step {} is negative", name, step));
  }
  return Issue::Real(name, bounds.first, bounds.second, step);
}

Result<Issue> DomainIssue(const XmlDoc& doc, pugi::xml_node node) {
  std::string name = node.attribute("name").value();
  if (name.empty()) return doc.Error(node, "issue without a name");
  SHUTTLE_ASSIGN_OR_RETURN(IssueType type, IssueTypeOf(doc, node));
  switch (type) {
    case IssueType::kDiscrete: return DiscreteIssue(doc, node, name);
    case IssueType::kInteger: return IntegerIssue(doc, node, name);
    case IssueType::kReal: return RealIssue(doc, node, name);
  }
  return doc.Error(node, "unreachable issue type");
}

}  // namespace

long long IndexAttribute(pugi::xml_node node) {
  std::optional<double> v = ParseNumber(node.attribute("index").value());
  if (!v || *v != std::floor(*v) || std::fabs(*v) > 1e15) return -1;
  return static_cast<long long>(*v);
}

Result<std::unique_ptr<XmlDoc>> XmlDoc::Load(std::string_view xml) {
  auto doc = std::unique_ptr<XmlDoc>(new XmlDoc(PrepareXmlText(xml)));
  pugi::xml_parse_result parsed = doc->doc_.load_buffer(doc->text_.data(), doc->text_.size(),
                                                        pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Status::Corruption(fmt::format("line {}: malformed XML: {}",
                                          doc->lines_.Line(parsed.offset), parsed.description()));
  }
  return doc;
}

Status XmlDoc::Error(pugi::xml_node node, const std::string& cause, StatusCode code) const {
  return Status(code, fmt::format("line {}: {}", lines_.Line(node.offset_debug()), cause));
}

Result<double> XmlDoc::NumberAttribute(pugi::xml_node node, const char* name) const {
  pugi::xml_attribute attr = node.attribute(name);
  if (!attr) return Error(node, fmt::format("<{}> has no '{}' attribute", node.name(), name));
  std::optional<double> v = ParseNumber(attr.value());
  if (!v)
    return Error(node,
                 fmt::format("<{}> {}=\"{}\" is not a number", node.name(), name, attr.value()));
  return *v;
}

Result<pugi::xml_node> XmlDoc::UtilitySpace() const {
  pugi::xml_node root = doc_.document_element();
  if (std::string_view(root.name()) == "utility_space") return root;
  if (std::string_view(root.name()) == "negotiation_template" && root.child("utility_space")) {
    return root.child("utility_space");
  }
  if (!root) return Status::InvalidArgument("line 1: no XML element");
  return Error(root, fmt::format("root element <{}> is neither <negotiation_template> with a "
                                 "<utility_space> nor <utility_space>",
                                 root.name()));
}

Result<Tree> XmlDoc::Collect(pugi::xml_node utility_space) const {
  Tree tree;
  // Depth-first in document order without recursion: (node, depth) pairs, children pushed reversed.
  std::vector<std::pair<pugi::xml_node, int>> stack{{utility_space, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    std::string_view name = node.name();
    if (name == "issue")
      tree.issues.push_back(node);
    else if (name == "weight")
      tree.weights.push_back(node);
    else if (name == "discount_factor" && !tree.discount)
      tree.discount = node;
    else if (name == "reservation" && !tree.reservation)
      tree.reservation = node;
    else if (name == "utility" && !tree.utility)
      tree.utility = node;
    else if (name == "rules" && !tree.rules)
      tree.rules = node;
    else if (name == "red_line")
      tree.red_lines.push_back(node);
    if (name != "objective" && name != "utility_space") continue;
    if (depth >= kMaxDepth)
      return Error(node, fmt::format("objectives nested deeper than {}", kMaxDepth));
    std::vector<pugi::xml_node> children;
    for (pugi::xml_node child : node.children()) {
      if (child.type() == pugi::node_element) children.push_back(child);
    }
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      stack.emplace_back(*it, depth + 1);
  }
  return tree;
}

Result<GeniusDomain> ParseGeniusDomainXml(std::string_view xml) {
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<XmlDoc> doc, XmlDoc::Load(xml));
  SHUTTLE_ASSIGN_OR_RETURN(pugi::xml_node utility_space, doc->UtilitySpace());
  SHUTTLE_ASSIGN_OR_RETURN(Tree tree, doc->Collect(utility_space));
  if (tree.issues.empty()) return doc->Error(utility_space, "the domain has no issues");
  GeniusDomain domain;
  std::vector<Issue> issues;
  std::unordered_set<std::string> names;
  for (pugi::xml_node node : tree.issues) {
    SHUTTLE_ASSIGN_OR_RETURN(Issue issue, DomainIssue(*doc, node));
    if (!names.insert(issue.name()).second) {
      return doc->Error(node, fmt::format("issue '{}' is listed twice", issue.name()));
    }
    issues.push_back(std::move(issue));
    domain.issue_indices.push_back(IndexAttribute(node));
  }
  domain.space = OutcomeSpace(std::move(issues));
  return domain;
}

bool LooksLikeGeniusProfile(std::string_view xml) {
  auto doc = XmlDoc::Load(xml);
  if (!doc.ok()) return false;
  auto utility_space = (*doc)->UtilitySpace();
  if (!utility_space.ok()) return false;
  auto tree = (*doc)->Collect(*utility_space);
  if (!tree.ok()) return false;
  if (!tree->weights.empty() || tree->utility || tree->rules) return true;
  for (pugi::xml_node issue : tree->issues) {
    if (issue.child("evaluator") || issue.find_child([](pugi::xml_node n) {
          return std::string_view(n.name()) == "item" && n.attribute("evaluation");
        })) {
      return true;
    }
  }
  return false;
}

// ---- Profiles --------------------------------------------------------------------------------

namespace {

// Which domain issue each profile <issue> describes: by name, then by index attribute, then (when
// the domain's indices are unknown) by position among the profile's issues.
Result<std::vector<int>> MatchIssues(const XmlDoc& doc, const Tree& tree, const OutcomeSpace& space,
                                     const std::vector<long long>* domain_indices) {
  std::vector<int> match(tree.issues.size(), -1);
  std::vector<bool> taken(space.issue_count(), false);
  std::unordered_map<std::string_view, int> by_name;
  std::unordered_map<long long, int> by_index;
  for (size_t i = space.issue_count(); i-- > 0;) {
    by_name[space.issue(i).name()] = static_cast<int>(i);
    if (domain_indices != nullptr && i < domain_indices->size())
      by_index[(*domain_indices)[i]] = static_cast<int>(i);
  }
  for (size_t k = 0; k < tree.issues.size(); ++k) {
    pugi::xml_node node = tree.issues[k];
    auto named = by_name.find(node.attribute("name").value());
    int i = named == by_name.end() ? -1 : named->second;
    long long index = IndexAttribute(node);
    if (i < 0 && index >= 0 && by_index.count(index)) i = by_index[index];
    if (i < 0 && domain_indices == nullptr && tree.issues.size() == space.issue_count()) {
      i = static_cast<int>(k);
    }
    if (i < 0) {
      return doc.Error(
          node, fmt::format("issue '{}' (index {}) is not in the domain",
                            node.attribute("name").value(), node.attribute("index").value()));
    }
    if (taken[i]) {
      return doc.Error(node,
                       fmt::format("domain issue '{}' is described twice", space.issue(i).name()));
    }
    taken[i] = true;
    match[k] = i;
  }
  return match;
}

// The number in attribute `name`, or nullopt when it is missing or blank or "null".
Result<std::optional<double>> OptionalNumber(const XmlDoc& doc, pugi::xml_node node,
                                             const char* name) {
  std::string_view text = node.attribute(name).value();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos || text == "null") {
    return std::optional<double>();
  }
  SHUTTLE_ASSIGN_OR_RETURN(double v, doc.NumberAttribute(node, name));
  return std::optional<double>(v);
}

// "issue 'Laptop'", or "issue 'Laptop' (called '0' in the profile)" when matched by index.
std::string IssueLabel(pugi::xml_node node, const Issue& issue) {
  std::string_view own = node.attribute("name").value();
  if (own.empty() || own == issue.name()) return fmt::format("issue '{}'", issue.name());
  return fmt::format("issue '{}' (called '{}' in the profile)", issue.name(), own);
}

// GENIUS keeps items the domain lacks and divides by the maximum over all items. Extra items are
// ignored, unless one of them holds the maximum: then the table is stored already divided.
void ApplyExtraMaximum(double extra_max, Evaluator* e) {
  double max = *std::max_element(e->evaluations.begin(), e->evaluations.end());
  if (!e->divide_by_max || !(extra_max > max) || !(extra_max > 0)) return;
  for (double& v : e->evaluations) v /= extra_max;
  e->divide_by_max = false;
}

Result<Evaluator> TableEvaluator(const XmlDoc& doc, pugi::xml_node node, const Issue& issue) {
  if (issue.size() > kMaxTableValues) {
    return doc.Error(node, fmt::format("{}: {} values are too many for a table of evaluations",
                                       IssueLabel(node, issue), issue.size()));
  }
  ValueFinder finder(issue);
  Evaluator e;
  e.kind = EvaluatorKind::kTable;
  e.divide_by_max = std::string_view(node.attribute("divide_by_max").value()) != "false";
  e.evaluations.assign(issue.size(), 0.0);
  size_t items = 0, known = 0;
  double extra_max = -HUGE_VAL;
  for (pugi::xml_node item : node.children("item")) {
    ++items;
    pugi::xml_attribute value = item.attribute("value");
    if (!value)
      return doc.Error(item, fmt::format("{}: <item> without a value", IssueLabel(node, issue)));
    SHUTTLE_ASSIGN_OR_RETURN(std::optional<double> evaluation,
                             OptionalNumber(doc, item, "evaluation"));
    std::optional<uint64_t> index = finder.Find(value.value());
    if (index) {
      ++known;
      e.evaluations[*index] = evaluation.value_or(0.0);  // A repeated item overrides, as in GENIUS.
    } else {
      extra_max = std::max(extra_max, evaluation.value_or(0.0));
    }
  }
  if (items > 0 && known == 0) {
    return doc.Error(
        node,
        fmt::format("{}: none of its {} items is a value of the domain (first: '{}')",
                    IssueLabel(node, issue), items, node.child("item").attribute("value").value()));
  }
  if (known < items) ApplyExtraMaximum(extra_max, &e);
  return e;
}

// <evaluator ftype=...> of an integer or real issue.
Result<Evaluator> FunctionEvaluator(const XmlDoc& doc, pugi::xml_node node, const Issue& issue) {
  pugi::xml_node ev = node.child("evaluator");
  std::string ftype = Lower(ev.attribute("ftype").value());
  Evaluator e;
  auto param = [&](const char* name) { return doc.NumberAttribute(ev, name); };
  if (ftype == "linear" && ev.attribute("slope")) {
    e.kind = EvaluatorKind::kLinearFromLower;
    SHUTTLE_ASSIGN_OR_RETURN(e.slope, param("slope"));
    SHUTTLE_ASSIGN_OR_RETURN(e.offset, param("offset"));
    // GENIUS measures from the profile's own lowerbound; move the offset to the domain's.
    if (issue.type() == IssueType::kInteger && node.attribute("lowerbound")) {
      SHUTTLE_ASSIGN_OR_RETURN(double own_lower, doc.NumberAttribute(node, "lowerbound"));
      e.offset += e.slope * (static_cast<double>(issue.int_lower()) - own_lower);
    }
  } else if (ftype == "linear") {
    e.kind = EvaluatorKind::kLinear;
    SHUTTLE_ASSIGN_OR_RETURN(e.p0, param("parameter0"));
    SHUTTLE_ASSIGN_OR_RETURN(e.p1, param("parameter1"));
  } else if (ftype == "triangular") {
    e.kind = EvaluatorKind::kTriangular;
    SHUTTLE_ASSIGN_OR_RETURN(e.p0, param("parameter0"));
    SHUTTLE_ASSIGN_OR_RETURN(e.p1, param("parameter1"));
    SHUTTLE_ASSIGN_OR_RETURN(e.p2, param("parameter2"));
  } else if (ftype == "constant") {
    e.kind = EvaluatorKind::kConstant;
    SHUTTLE_ASSIGN_OR_RETURN(e.p0, param(ev.attribute("parameter0") ? "parameter0" : "offset"));
  } else {
    return doc.Error(ev,
                     fmt::format("issue '{}': evaluator ftype '{}' is not supported", issue.name(),
                                 ev.attribute("ftype").value()),
                     StatusCode::kUnimplemented);
  }
  if (issue.type() == IssueType::kDiscrete) {
    return doc.Error(
        ev, fmt::format("issue '{}': a discrete issue needs <item evaluation>, not <evaluator>",
                        issue.name()));
  }
  return e;
}

Result<Evaluator> IssueEvaluator(const XmlDoc& doc, pugi::xml_node node, const Issue& issue) {
  if (node.child("evaluator")) return FunctionEvaluator(doc, node, issue);
  if (issue.type() == IssueType::kReal) {
    return doc.Error(node, fmt::format("real issue '{}' has no <evaluator>", issue.name()));
  }
  if (issue.type() == IssueType::kInteger && !node.child("item")) {
    return doc.Error(
        node, fmt::format("integer issue '{}' has neither <evaluator> nor <item>s", issue.name()));
  }
  return TableEvaluator(doc, node, issue);
}

Result<std::map<long long, double>> Weights(const XmlDoc& doc, const Tree& tree) {
  std::map<long long, double> weights;
  for (pugi::xml_node w : tree.weights) {
    long long index = IndexAttribute(w);
    if (index < 0)
      return doc.Error(
          w, fmt::format("<weight> index '{}' is not a number", w.attribute("index").value()));
    // shuttle_value: the exact weight when "value" was scaled for GENIUS (see the writer).
    const char* attr = w.attribute("shuttle_value") ? "shuttle_value" : "value";
    SHUTTLE_ASSIGN_OR_RETURN(double value, doc.NumberAttribute(w, attr));
    auto [it, inserted] = weights.emplace(index, value);
    if (!inserted && it->second != value) {
      return doc.Error(w, fmt::format("two different weights for index {}", index));
    }
  }
  return weights;
}

void NormalizeWeights(std::vector<double>* weights) {
  double sum = 0;
  for (double w : *weights) sum += w;
  if (sum > 0 && std::fabs(sum - 1) > kWeightSumTolerance) {
    for (double& w : *weights) w /= sum;
  }
}

Status LinearProfile(const XmlDoc& doc, const Tree& tree, const std::vector<int>& match,
                     const OutcomeSpace& space, bool keep_weights, Profile* profile) {
  SHUTTLE_ASSIGN_OR_RETURN(auto weights, Weights(doc, tree));
  profile->kind = ProfileKind::kLinearAdditive;
  profile->weights.assign(space.issue_count(), 0.0);
  profile->evaluators.assign(space.issue_count(), Evaluator{});
  std::vector<bool> seen(space.issue_count(), false);
  for (size_t k = 0; k < tree.issues.size(); ++k) {
    pugi::xml_node node = tree.issues[k];
    const Issue& issue = space.issue(match[k]);
    auto w = weights.find(IndexAttribute(node));
    if (w == weights.end()) {
      return doc.Error(node, fmt::format("issue '{}' has no <weight index=\"{}\">", issue.name(),
                                         node.attribute("index").value()));
    }
    profile->weights[match[k]] = w->second;
    SHUTTLE_ASSIGN_OR_RETURN(profile->evaluators[match[k]], IssueEvaluator(doc, node, issue));
    seen[match[k]] = true;
  }
  for (size_t i = 0; i < space.issue_count(); ++i) {
    if (!seen[i])
      return Status::InvalidArgument(
          fmt::format("issue '{}' has no evaluation", space.issue(i).name()));
  }
  if (!keep_weights) NormalizeWeights(&profile->weights);
  return Status::Ok();
}

// GENIUS ignores a discount or reservation it cannot read, and a discount outside [0, 1].
void DiscountAndReservation(const Tree& tree, Profile* profile) {
  if (tree.discount) {
    std::optional<double> d = ParseNumber(tree.discount.attribute("value").value());
    if (d && *d >= 0 && *d <= 1) profile->discount = *d;
  }
  if (tree.reservation) {
    std::optional<double> r = ParseNumber(tree.reservation.attribute("value").value());
    if (r) profile->reservation_value = *r;
  }
}

}  // namespace

Result<Profile> ParseGeniusProfileXml(std::string_view xml, const OutcomeSpace& space,
                                      const std::vector<long long>* domain_indices) {
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<XmlDoc> doc, XmlDoc::Load(xml));
  SHUTTLE_ASSIGN_OR_RETURN(pugi::xml_node utility_space, doc->UtilitySpace());
  SHUTTLE_ASSIGN_OR_RETURN(Tree tree, doc->Collect(utility_space));
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<int> match, MatchIssues(*doc, tree, space, domain_indices));
  Profile profile;
  std::string type = Lower(utility_space.attribute("type").value());
  if (tree.rules || type == "constraint") {
    SHUTTLE_RETURN_IF_ERROR(
        ConstraintProfile(*doc, utility_space, tree, match, space, domain_indices, &profile));
  } else if (tree.utility || type == "nonlinear") {
    SHUTTLE_RETURN_IF_ERROR(RectangleProfile(*doc, tree, match, space, domain_indices, &profile));
  } else {
    // Shuttle writes weights exactly as they are; other files get the GENIUS-tolerance check.
    bool keep_weights = std::string_view(utility_space.attribute("generator").value()) == "shuttle";
    SHUTTLE_RETURN_IF_ERROR(LinearProfile(*doc, tree, match, space, keep_weights, &profile));
  }
  DiscountAndReservation(tree, &profile);
  SHUTTLE_RETURN_IF_ERROR(RedLines(*doc, tree, space, &profile));
  SHUTTLE_RETURN_IF_ERROR(profile.Validate(space));
  return profile;
}

}  // namespace shuttle::io_internal

namespace shuttle {

Result<OutcomeSpace> ParseGeniusDomain(std::string_view xml, const std::string& source) {
  auto domain = io_internal::ParseGeniusDomainXml(xml);
  if (!domain.ok()) return domain.status().WithContext(source);
  return std::move(domain->space);
}

Result<Profile> ParseGeniusProfile(std::string_view xml, const OutcomeSpace& space,
                                   const std::string& source) {
  auto profile = io_internal::ParseGeniusProfileXml(xml, space, nullptr);
  if (!profile.ok()) return profile.status().WithContext(source);
  return profile;
}

}  // namespace shuttle
