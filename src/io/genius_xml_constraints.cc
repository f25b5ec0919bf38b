// GENIUS constraint profiles (<utility_space type="constraint">, genius.core.utility.
// ConstraintUtilitySpace): <rules><ranks> gives each listed issue's values a rank, <rules>
// <constraints> holds zero-constraints; the meaning is documented on ZeroConstraint (profile.h).
//
// Issue numbers are index attributes, as everywhere in GENIUS files. GENIUS keeps the checks of a
// constraint in a HashMap<Integer, String> by issue number, so a repeated number keeps its last
// text, and conditionalZeroOutcomeConstraint takes as its condition the check whose number that
// map iterates first. Refused with "line N: cause": what GENIUS would throw on (missing or
// non-numeric attributes, a value without a rank, a conditional without two checks) and types
// GENIUS does not evaluate (it would skip them silently, so a file using one means something
// GENIUS does not do).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "io/genius_xml_dom.h"

namespace shuttle::io_internal {
namespace {

using Kind = ZeroConstraint::Kind;

constexpr Kind kKinds[] = {
    Kind::kInclusiveOutcome, Kind::kConditionalOutcome, Kind::kZero,       Kind::kConditionalZero,
    Kind::kSumZero,          Kind::kSumZeroNot,         Kind::kSumZeroList};

// Position in which java.util.HashMap (16 buckets, as for a handful of keys) iterates an Integer
// key: by bucket, (h ^ h >>> 16) & 15; keys sharing a bucket keep their insertion order.
uint32_t JavaHashBucket(long long number) {
  uint32_t h = static_cast<uint32_t>(static_cast<int32_t>(number));
  return (h ^ (h >> 16)) & 15u;
}

struct Reader {
  const XmlDoc& doc;
  const std::unordered_map<long long, int> issue_of_index;
  const OutcomeSpace& space;

  // The attribute's text; an error naming the element when it is missing.
  Result<std::string> Text(pugi::xml_node node, const char* name) const {
    pugi::xml_attribute attr = node.attribute(name);
    if (!attr) return doc.Error(node, fmt::format("<{}> has no '{}' attribute", node.name(), name));
    return std::string(attr.value());
  }

  // A Java int attribute (GENIUS reads it with Integer.valueOf).
  Result<int32_t> Int(pugi::xml_node node, const char* name) const {
    SHUTTLE_ASSIGN_OR_RETURN(double v, doc.NumberAttribute(node, name));
    if (v != std::floor(v) || v < -2147483648.0 || v > 2147483647.0) {
      return doc.Error(node, fmt::format("<{}> {}=\"{}\" is not a Java int", node.name(), name,
                                         node.attribute(name).value()));
    }
    return static_cast<int32_t>(v);
  }

  // The domain issue an index attribute names, with the number as written.
  Result<std::pair<int, long long>> IssueOf(pugi::xml_node node) const {
    long long index = IndexAttribute(node);
    auto it = issue_of_index.find(index);
    if (index < 0 || it == issue_of_index.end()) {
      return doc.Error(node, fmt::format("<{}> index '{}' names no issue", node.name(),
                                         node.attribute("index").value()));
    }
    return std::make_pair(it->second, index);
  }

  Result<IssueRanks> Ranks(pugi::xml_node node) const;
  Result<ZeroConstraint> Constraint(pugi::xml_node node) const;
  Status Checks(pugi::xml_node node, const char* child, const char* text_attr,
                ZeroConstraint* c) const;
  Status Sum(pugi::xml_node node, ZeroConstraint* c) const;
  Status Texts(pugi::xml_node node, ZeroConstraint* c) const;
};

Result<IssueRanks> Reader::Ranks(pugi::xml_node node) const {
  SHUTTLE_ASSIGN_OR_RETURN(auto issue, IssueOf(node));
  const Issue& is = space.issue(issue.first);
  if (is.type() == IssueType::kReal) {
    return doc.Error(
        node, fmt::format("issue '{}' is real: ranks need discrete or integer values", is.name()));
  }
  if (is.size() > kMaxTableValues) {
    return doc.Error(
        node, fmt::format("issue '{}': {} values are too many to rank", is.name(), is.size()));
  }
  IssueRanks ranks{issue.first, std::vector<int32_t>(is.size(), 0)};
  std::vector<bool> ranked(is.size(), false);
  ValueFinder finder(is);
  for (pugi::xml_node item : node.children("item")) {
    SHUTTLE_ASSIGN_OR_RETURN(int32_t rank, Int(item, "rank"));
    if (!item.attribute("value")) {
      return doc.Error(
          item,
          fmt::format("issue '{}': <item> has no 'value' attribute (GENIUS finds ranks by value)",
                      is.name()));
    }
    std::string_view value = item.attribute("value").value();
    std::optional<uint64_t> v = finder.Find(value);
    if (!v)
      return doc.Error(item,
                       fmt::format("issue '{}': '{}' is not one of its values", is.name(), value));
    if (ranked[*v])
      return doc.Error(item,
                       fmt::format("issue '{}': value '{}' is ranked twice", is.name(), value));
    ranked[*v] = true;
    ranks.ranks[*v] = rank;
  }
  auto missing = std::find(ranked.begin(), ranked.end(), false);
  if (missing != ranked.end()) {
    return doc.Error(node,
                     fmt::format("issue '{}': value '{}' has no rank (GENIUS cannot evaluate it)",
                                 is.name(), is.ValueLabel(missing - ranked.begin())));
  }
  Status valid = ranks.Validate(space);
  if (!valid.ok()) return doc.Error(node, valid.message());
  return ranks;
}

// <checkassignment index condition> or <valueassignment index value> children, one per issue
// number, the last text winning; a conditional's two checks in GENIUS's map order.
Status Reader::Checks(pugi::xml_node node, const char* child, const char* text_attr,
                      ZeroConstraint* c) const {
  struct Entry {
    long long number;
    ZeroConstraint::Check check;
  };
  std::vector<Entry> entries;
  for (pugi::xml_node n : node.children(child)) {
    SHUTTLE_ASSIGN_OR_RETURN(auto issue, IssueOf(n));
    SHUTTLE_ASSIGN_OR_RETURN(std::string text, Text(n, text_attr));
    auto same = std::find_if(entries.begin(), entries.end(),
                             [&](const Entry& e) { return e.number == issue.second; });
    if (same != entries.end()) {
      same->check.text = std::move(text);
    } else {
      entries.push_back({issue.second, {issue.first, std::move(text)}});
    }
  }
  if (c->kind == Kind::kConditionalOutcome) {
    if (entries.size() != 2) {
      return doc.Error(node,
                       fmt::format("{} needs <checkassignment>s on exactly two issues, not {}",
                                   ZeroConstraintKindName(c->kind), entries.size()));
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return JavaHashBucket(a.number) < JavaHashBucket(b.number);
    });
  }
  for (Entry& e : entries) c->checks.push_back(std::move(e.check));
  return Status::Ok();
}

// The <item index> issues of a sum constraint and its min and max.
Status Reader::Sum(pugi::xml_node node, ZeroConstraint* c) const {
  SHUTTLE_ASSIGN_OR_RETURN(c->min, Int(node, "min"));
  SHUTTLE_ASSIGN_OR_RETURN(c->max, Int(node, "max"));
  for (pugi::xml_node item : node.children("item")) {
    SHUTTLE_ASSIGN_OR_RETURN(auto issue, IssueOf(item));
    c->summed.push_back(issue.first);
  }
  return Status::Ok();
}

// The texts the zeroed issue's value is matched against: the constraint's value attribute, or
// the <condition value> children of a sumZeroConstraintList.
Status Reader::Texts(pugi::xml_node node, ZeroConstraint* c) const {
  if (c->kind == Kind::kSumZeroList) {
    for (pugi::xml_node condition : node.children("condition")) {
      SHUTTLE_ASSIGN_OR_RETURN(std::string text, Text(condition, "value"));
      c->texts.push_back(std::move(text));
    }
  } else if (c->kind == Kind::kConditionalZero || c->kind == Kind::kSumZero ||
             c->kind == Kind::kSumZeroNot) {
    SHUTTLE_ASSIGN_OR_RETURN(std::string text, Text(node, "value"));
    c->texts.push_back(std::move(text));
  }
  return Status::Ok();
}

Result<ZeroConstraint> Reader::Constraint(pugi::xml_node node) const {
  if (!node.attribute("type")) return doc.Error(node, "<constraint> has no 'type' attribute");
  std::string_view type = node.attribute("type").value();
  auto kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                           [&](Kind k) { return type == ZeroConstraintKindName(k); });
  if (kind == std::end(kKinds)) {
    return doc.Error(
        node,
        fmt::format("constraint type '{}' is not one GENIUS evaluates (it would skip it)", type));
  }
  ZeroConstraint c;
  c.kind = *kind;
  if (!ZeroConstraintIsOutcomeKind(c.kind)) {
    SHUTTLE_ASSIGN_OR_RETURN(auto issue, IssueOf(node));
    c.issue = issue.first;
  }
  SHUTTLE_RETURN_IF_ERROR(Texts(node, &c));
  switch (c.kind) {
    case Kind::kInclusiveOutcome:
    case Kind::kConditionalOutcome:
      SHUTTLE_RETURN_IF_ERROR(Checks(node, "checkassignment", "condition", &c));
      break;
    case Kind::kZero:
    case Kind::kConditionalZero:
      SHUTTLE_RETURN_IF_ERROR(Checks(node, "valueassignment", "value", &c));
      break;
    case Kind::kSumZero:
    case Kind::kSumZeroNot:
    case Kind::kSumZeroList: SHUTTLE_RETURN_IF_ERROR(Sum(node, &c)); break;
  }
  Status valid = c.Validate(space);
  if (!valid.ok()) return doc.Error(node, fmt::format("{}: {}", type, valid.message()));
  return c;
}

}  // namespace

Status ConstraintProfile(const XmlDoc& doc, pugi::xml_node utility_space, const Tree& tree,
                         const std::vector<int>& match, const OutcomeSpace& space,
                         const std::vector<long long>* domain_indices, Profile* profile) {
  profile->kind = ProfileKind::kConstraint;
  if (!tree.rules) return doc.Error(utility_space, "a constraint profile has no <rules>");
  pugi::xml_node ranks = tree.rules.child("ranks");
  if (!ranks) return doc.Error(tree.rules, "<rules> has no <ranks>");
  Reader reader{doc, IssuesByIndex(tree, match, domain_indices), space};
  std::unordered_set<int> ranked;
  for (pugi::xml_node node : ranks.children("issue")) {
    SHUTTLE_ASSIGN_OR_RETURN(auto issue, reader.IssueOf(node));
    if (!ranked.insert(issue.first).second) {
      return doc.Error(node,
                       fmt::format("issue '{}' is ranked twice", space.issue(issue.first).name()));
    }
    SHUTTLE_ASSIGN_OR_RETURN(IssueRanks r, reader.Ranks(node));
    profile->ranks.push_back(std::move(r));
  }
  if (profile->ranks.empty())
    return doc.Error(ranks, "<ranks> ranks no issue (GENIUS divides by their count)");
  // GENIUS requires <constraints>; a file without it has none, which is unambiguous.
  for (pugi::xml_node node : tree.rules.child("constraints").children("constraint")) {
    SHUTTLE_ASSIGN_OR_RETURN(ZeroConstraint c, reader.Constraint(node));
    profile->constraints.push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace shuttle::io_internal
