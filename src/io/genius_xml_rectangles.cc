// GENIUS nonlinear (ANAC 2014) profiles and Shuttle's <red_line> extension elements.
//
// GENIUS semantics (genius.core.utility.NonlinearUtilitySpace): <utility maxutility> holds one
// <ufun aggregation="sum" weight> that holds <hyperRectangle utility weight> blocks and possibly
// nested <ufun>s. A rectangle of <INCLUDES index min max/> bounds pays utility * weight when every
// bound holds; one of <EXCLUDES .../> bounds pays when at least one bound fails; one with no
// bounds pays everywhere. Utility is the sum divided by maxutility.
#include <fmt/format.h>

#include <cmath>
#include <sstream>
#include <unordered_map>

#include "io/genius_xml_dom.h"

namespace shuttle::io_internal {
namespace {

constexpr int kMaxUfunDepth = 32;

// Domain position of a bound's issue index (see IssuesByIndex).
Result<int> BoundIssue(const XmlDoc& doc, pugi::xml_node bound,
                       const std::unordered_map<long long, int>& issue_of_index) {
  long long index = IndexAttribute(bound);
  auto it = issue_of_index.find(index);
  if (index >= 0 && it != issue_of_index.end()) return it->second;
  return doc.Error(bound, fmt::format("<{}> index '{}' names no issue", bound.name(),
                                      bound.attribute("index").value()));
}

Result<HyperRectangle::Bound> ReadBound(const XmlDoc& doc, pugi::xml_node node,
                                        const std::unordered_map<long long, int>& issue_of_index) {
  HyperRectangle::Bound b;
  SHUTTLE_ASSIGN_OR_RETURN(b.issue, BoundIssue(doc, node, issue_of_index));
  SHUTTLE_ASSIGN_OR_RETURN(b.min, doc.NumberAttribute(node, "min"));
  SHUTTLE_ASSIGN_OR_RETURN(b.max, doc.NumberAttribute(node, "max"));
  if (b.min > b.max) return doc.Error(node, fmt::format("min {} > max {}", b.min, b.max));
  return b;
}

// The outside of a box as disjoint boxes: for each j, bounds before j hold and bound j fails
// (below min or above max). Only integer issues have a "next value" to make the gap closed.
// That is k^2 bounds for k; a rectangle has a handful, a hostile file could have millions.
Status AppendComplement(const XmlDoc& doc, pugi::xml_node node, const OutcomeSpace& space,
                        const std::vector<HyperRectangle::Bound>& bounds, double utility,
                        std::vector<HyperRectangle>* out) {
  if (bounds.size() > 1000)
    return doc.Error(node, fmt::format("<EXCLUDES> with {} bounds", bounds.size()));
  for (size_t j = 0; j < bounds.size(); ++j) {
    const Issue& issue = space.issue(bounds[j].issue);
    if (issue.type() != IssueType::kInteger) {
      return doc.Error(node,
                       fmt::format("<EXCLUDES> on issue '{}' needs an integer issue", issue.name()),
                       StatusCode::kUnimplemented);
    }
    double lo = static_cast<double>(issue.int_lower()), hi = static_cast<double>(issue.int_upper());
    std::pair<double, double> gaps[2] = {{lo, std::ceil(bounds[j].min) - 1},
                                         {std::floor(bounds[j].max) + 1, hi}};
    for (auto [gap_lo, gap_hi] : gaps) {
      if (gap_lo > gap_hi) continue;
      HyperRectangle r;
      r.utility = utility;
      r.bounds.assign(bounds.begin(), bounds.begin() + j);
      r.bounds.push_back({bounds[j].issue, gap_lo, gap_hi});
      out->push_back(std::move(r));
    }
  }
  return Status::Ok();
}

struct RectangleReader {
  const XmlDoc& doc;
  const std::unordered_map<long long, int> issue_of_index;
  const OutcomeSpace& space;
  std::vector<HyperRectangle>* out;

  Result<double> Weight(pugi::xml_node node) const {
    if (!node.attribute("weight")) return 1.0;
    return doc.NumberAttribute(node, "weight");
  }

  Status Rectangle(pugi::xml_node node, double scale) const {
    bool includes = static_cast<bool>(node.child("INCLUDES"));
    bool excludes = static_cast<bool>(node.child("EXCLUDES"));
    if (includes && excludes)
      return doc.Error(node, "<hyperRectangle> mixes INCLUDES and EXCLUDES");
    SHUTTLE_ASSIGN_OR_RETURN(double utility, doc.NumberAttribute(node, "utility"));
    SHUTTLE_ASSIGN_OR_RETURN(double weight, Weight(node));
    std::vector<HyperRectangle::Bound> bounds;
    for (pugi::xml_node b : node.children(excludes ? "EXCLUDES" : "INCLUDES")) {
      SHUTTLE_ASSIGN_OR_RETURN(HyperRectangle::Bound bound, ReadBound(doc, b, issue_of_index));
      bounds.push_back(bound);
    }
    utility *= weight * scale;
    if (excludes) return AppendComplement(doc, node, space, bounds, utility, out);
    out->push_back(HyperRectangle{utility, std::move(bounds)});
    return Status::Ok();
  }

  // A <utility> or <ufun>: its rectangles, then its nested ufuns scaled by their weights.
  Status Function(pugi::xml_node node, double scale, int depth) const {
    if (depth > kMaxUfunDepth) return doc.Error(node, "<ufun>s nested too deep");
    std::string_view aggregation = node.attribute("aggregation").value();
    if (!aggregation.empty() && aggregation != "sum") {
      return doc.Error(node, fmt::format("<ufun> aggregation '{}' is not supported", aggregation),
                       StatusCode::kUnimplemented);
    }
    for (pugi::xml_node child : node.children()) {
      std::string_view name = child.name();
      if (name == "hyperRectangle") {
        SHUTTLE_RETURN_IF_ERROR(Rectangle(child, scale));
      } else if (name == "ufun") {
        SHUTTLE_ASSIGN_OR_RETURN(double weight, Weight(child));
        SHUTTLE_RETURN_IF_ERROR(Function(child, scale * weight, depth + 1));
      }
    }
    return Status::Ok();
  }
};

Result<RedLine::Kind> RedLineKind(const XmlDoc& doc, pugi::xml_node node) {
  std::string_view kind = node.attribute("kind").value();
  for (RedLine::Kind k : {RedLine::Kind::kForbid, RedLine::Kind::kRequire, RedLine::Kind::kAtMost,
                          RedLine::Kind::kAtLeast}) {
    if (kind == RedLineKindName(k)) return k;
  }
  return doc.Error(
      node, fmt::format("<red_line> kind '{}' is not forbid, require, at_most or at_least", kind));
}

Result<std::vector<uint32_t>> ValueIndices(const XmlDoc& doc, pugi::xml_node node,
                                           const Issue& issue) {
  std::vector<uint32_t> values;
  std::istringstream in(node.attribute("values").value());
  std::string token;
  while (in >> token) {
    std::optional<double> v = ParseNumber(token);
    if (!v || *v < 0 || *v != std::floor(*v) || *v >= static_cast<double>(issue.size())) {
      return doc.Error(node, fmt::format("<red_line> on issue '{}': '{}' is not a value index",
                                         issue.name(), token));
    }
    values.push_back(static_cast<uint32_t>(*v));
  }
  return values;
}

}  // namespace

std::unordered_map<long long, int> IssuesByIndex(const Tree& tree, const std::vector<int>& match,
                                                 const std::vector<long long>* domain_indices) {
  std::unordered_map<long long, int> by_index;
  for (size_t k = 0; k < tree.issues.size(); ++k)
    by_index.emplace(IndexAttribute(tree.issues[k]), match[k]);
  if (domain_indices != nullptr) {
    for (size_t i = 0; i < domain_indices->size(); ++i)
      by_index.emplace((*domain_indices)[i], static_cast<int>(i));
  }
  return by_index;
}

Status RectangleProfile(const XmlDoc& doc, const Tree& tree, const std::vector<int>& match,
                        const OutcomeSpace& space, const std::vector<long long>* domain_indices,
                        Profile* profile) {
  profile->kind = ProfileKind::kHyperRectangles;
  if (!tree.utility)
    return doc.Error(tree.issues.empty() ? pugi::xml_node() : tree.issues[0],
                     "no <utility> element");
  if (tree.utility.attribute("maxutility")) {
    SHUTTLE_ASSIGN_OR_RETURN(profile->max_utility, doc.NumberAttribute(tree.utility, "maxutility"));
  }
  RectangleReader reader{doc, IssuesByIndex(tree, match, domain_indices), space,
                         &profile->rectangles};
  return reader.Function(tree.utility, 1.0, 0);
}

Status RedLines(const XmlDoc& doc, const Tree& tree, const OutcomeSpace& space, Profile* profile) {
  for (pugi::xml_node node : tree.red_lines) {
    RedLine r;
    SHUTTLE_ASSIGN_OR_RETURN(r.kind, RedLineKind(doc, node));
    r.issue = space.FindIssue(node.attribute("issue").value());
    if (r.issue < 0) {
      return doc.Error(node, fmt::format("<red_line> issue '{}' is not in the domain",
                                         node.attribute("issue").value()));
    }
    const Issue& issue = space.issue(r.issue);
    if (r.kind == RedLine::Kind::kForbid || r.kind == RedLine::Kind::kRequire) {
      SHUTTLE_ASSIGN_OR_RETURN(r.values, ValueIndices(doc, node, issue));
    } else {
      SHUTTLE_ASSIGN_OR_RETURN(r.bound, doc.NumberAttribute(node, "bound"));
    }
    r.note = node.attribute("note").value();
    profile->red_lines.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace shuttle::io_internal
