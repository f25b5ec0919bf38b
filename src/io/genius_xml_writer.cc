// GENIUS XML writer. Files read back equal through genius_xml.cc, and GENIUS reads them with the
// same meaning. Shuttle's additions GENIUS ignores: generator="shuttle" (weights are kept exactly
// as written), step on a discretized real issue, divide_by_max="false" with the weight's exact
// value in shuttle_value (GENIUS reads value = weight * max evaluation, the same utility), and
// <red_line> elements. Constraint profiles are written in GENIUS's own <rules> form, every rank
// item with its value label and every issue numbered by its position from 1.
#include <fmt/format.h>

#include <pugixml.hpp>

#include <algorithm>
#include <sstream>

#include "shuttle/io.h"

namespace shuttle {
namespace {

std::string Num(double v) { return fmt::format("{}", v); }

void SetIssueHeader(pugi::xml_node node, const Issue& issue, size_t position) {
  const char* type = IssueTypeName(issue.type());
  node.append_attribute("index") = static_cast<unsigned long long>(position + 1);
  node.append_attribute("name") = issue.name().c_str();
  node.append_attribute("type") = type;
  node.append_attribute("etype") = type;
  node.append_attribute("vtype") = type;
}

// The issue as a domain declares it: values, bounds or range.
pugi::xml_node AppendIssue(pugi::xml_node parent, const Issue& issue, size_t position,
                           bool with_items) {
  pugi::xml_node node = parent.append_child("issue");
  SetIssueHeader(node, issue, position);
  switch (issue.type()) {
    case IssueType::kDiscrete:
      if (!with_items) break;
      for (size_t k = 0; k < issue.labels().size(); ++k) {
        pugi::xml_node item = node.append_child("item");
        item.append_attribute("index") = static_cast<unsigned long long>(k + 1);
        item.append_attribute("value") = issue.labels()[k].c_str();
      }
      break;
    case IssueType::kInteger:
      node.append_attribute("lowerbound") = static_cast<long long>(issue.int_lower());
      node.append_attribute("upperbound") = static_cast<long long>(issue.int_upper());
      break;
    case IssueType::kReal: {
      if (issue.step() > 0) node.append_attribute("step") = Num(issue.step()).c_str();
      pugi::xml_node range = node.append_child("range");
      range.append_attribute("lowerbound") = Num(issue.real_lower()).c_str();
      range.append_attribute("upperbound") = Num(issue.real_upper()).c_str();
      break;
    }
  }
  return node;
}

pugi::xml_node AppendObjective(pugi::xml_node parent, const std::string& name) {
  pugi::xml_node objective = parent.append_child("objective");
  objective.append_attribute("index") = 0;
  objective.append_attribute("name") = name.c_str();
  objective.append_attribute("type") = "objective";
  objective.append_attribute("etype") = "objective";
  objective.append_attribute("description") = "";
  return objective;
}

std::string Save(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

pugi::xml_node Declare(pugi::xml_document* doc) {
  pugi::xml_node decl = doc->append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  return decl;
}

void AppendTable(pugi::xml_node node, const Issue& issue, const Evaluator& e) {
  if (!e.divide_by_max) node.append_attribute("divide_by_max") = "false";
  for (size_t k = 0; k < issue.size(); ++k) {
    pugi::xml_node item = node.append_child("item");
    item.append_attribute("index") = static_cast<unsigned long long>(k + 1);
    item.append_attribute("value") = issue.ValueLabel(k).c_str();
    item.append_attribute("evaluation") = Num(e.evaluations[k]).c_str();
  }
}

Status AppendEvaluator(pugi::xml_node node, const Issue& issue, const Evaluator& e) {
  // GENIUS has no such function; items on a real issue would be read as a discrete evaluation.
  if (e.kind == EvaluatorKind::kPiecewise) {
    return Status::InvalidArgument(
        fmt::format("issue '{}': a piecewise evaluator has no GENIUS XML form", issue.name()));
  }
  if (e.kind == EvaluatorKind::kTable && issue.type() == IssueType::kReal) {
    return Status::InvalidArgument(fmt::format(
        "issue '{}': a table on a real issue has no GENIUS XML form (GENIUS reals take a function "
        "evaluator)",
        issue.name()));
  }
  if (e.kind == EvaluatorKind::kTable) {
    AppendTable(node, issue, e);
    return Status::Ok();
  }
  if (issue.type() == IssueType::kDiscrete) {
    return Status::InvalidArgument(
        fmt::format("issue '{}': GENIUS XML has no {} evaluator for a discrete issue", issue.name(),
                    EvaluatorKindName(e.kind)));
  }
  pugi::xml_node ev = node.append_child("evaluator");
  auto set = [&](const char* name, double v) { ev.append_attribute(name) = Num(v).c_str(); };
  switch (e.kind) {
    case EvaluatorKind::kLinearFromLower:
      ev.append_attribute("ftype") = "linear";
      set("slope", e.slope);
      set("offset", e.offset);
      break;
    case EvaluatorKind::kLinear:
      ev.append_attribute("ftype") = "linear";
      set("parameter0", e.p0);
      set("parameter1", e.p1);
      break;
    case EvaluatorKind::kTriangular:
      ev.append_attribute("ftype") = "triangular";
      set("parameter0", e.p0);
      set("parameter1", e.p1);
      set("parameter2", e.p2);
      break;
    case EvaluatorKind::kConstant:
      ev.append_attribute("ftype") = "constant";
      set("parameter0", e.p0);
      break;
    case EvaluatorKind::kTable:
    case EvaluatorKind::kPiecewise: break;  // Handled above.
  }
  return Status::Ok();
}

void AppendWeight(pugi::xml_node parent, size_t position, double weight, const Evaluator& e) {
  pugi::xml_node w = parent.append_child("weight");
  w.append_attribute("index") = static_cast<unsigned long long>(position + 1);
  double genius_weight = weight;
  if (e.kind == EvaluatorKind::kTable && !e.divide_by_max) {
    // GENIUS divides by the maximum evaluation; scaling the weight by it keeps the utility.
    double max =
        e.evaluations.empty() ? 0 : *std::max_element(e.evaluations.begin(), e.evaluations.end());
    genius_weight = weight * std::max(max, 0.0);
  }
  w.append_attribute("value") = Num(genius_weight).c_str();
  if (genius_weight != weight) w.append_attribute("shuttle_value") = Num(weight).c_str();
}

Status AppendLinear(pugi::xml_node objective, const OutcomeSpace& space, const Profile& p) {
  for (size_t i = 0; i < space.issue_count(); ++i) {
    pugi::xml_node node = AppendIssue(objective, space.issue(i), i, false);
    SHUTTLE_RETURN_IF_ERROR(AppendEvaluator(node, space.issue(i), p.evaluators[i]));
  }
  for (size_t i = 0; i < space.issue_count(); ++i)
    AppendWeight(objective, i, p.weights[i], p.evaluators[i]);
  return Status::Ok();
}

void AppendRectangles(pugi::xml_node objective, const OutcomeSpace& space, const Profile& p) {
  for (size_t i = 0; i < space.issue_count(); ++i) AppendIssue(objective, space.issue(i), i, true);
  pugi::xml_node utility = objective.append_child("utility");
  utility.append_attribute("maxutility") = Num(p.max_utility).c_str();
  pugi::xml_node ufun = utility.append_child("ufun");
  ufun.append_attribute("type") = "PlainUfun";
  ufun.append_attribute("weight") = 1;
  ufun.append_attribute("aggregation") = "sum";
  for (const HyperRectangle& r : p.rectangles) {
    pugi::xml_node rect = ufun.append_child("hyperRectangle");
    rect.append_attribute("utility") = Num(r.utility).c_str();
    for (const HyperRectangle::Bound& b : r.bounds) {
      pugi::xml_node inc = rect.append_child("INCLUDES");
      inc.append_attribute("index") = b.issue + 1;
      inc.append_attribute("min") = Num(b.min).c_str();
      inc.append_attribute("max") = Num(b.max).c_str();
    }
  }
}

// Issues are numbered from 1 here; GENIUS takes as a conditional's condition the check whose
// number its HashMap iterates first: bucket (n ^ n >>> 16) & 15, ties in insertion order.
bool ConditionComesFirst(const ZeroConstraint& c) {
  auto bucket = [](int issue) {
    uint32_t n = static_cast<uint32_t>(issue + 1);
    return (n ^ (n >> 16)) & 15u;
  };
  return bucket(c.checks[0].issue) <= bucket(c.checks[1].issue);
}

void AppendChecks(pugi::xml_node node, const ZeroConstraint& c) {
  bool outcome = ZeroConstraintIsOutcomeKind(c.kind);
  for (const ZeroConstraint::Check& check : c.checks) {
    pugi::xml_node n = node.append_child(outcome ? "checkassignment" : "valueassignment");
    n.append_attribute("index") = check.issue + 1;
    n.append_attribute(outcome ? "condition" : "value") = check.text.c_str();
  }
}

void AppendConstraint(pugi::xml_node parent, const ZeroConstraint& c) {
  pugi::xml_node node = parent.append_child("constraint");
  node.append_attribute("type") = ZeroConstraintKindName(c.kind);
  if (!ZeroConstraintIsOutcomeKind(c.kind)) node.append_attribute("index") = c.issue + 1;
  bool sum = c.kind == ZeroConstraint::Kind::kSumZero ||
             c.kind == ZeroConstraint::Kind::kSumZeroNot ||
             c.kind == ZeroConstraint::Kind::kSumZeroList;
  if (c.kind != ZeroConstraint::Kind::kSumZeroList && !c.texts.empty()) {
    node.append_attribute("value") = c.texts[0].c_str();
  }
  if (sum) {
    node.append_attribute("min") = c.min;
    node.append_attribute("max") = c.max;
  }
  AppendChecks(node, c);
  if (c.kind == ZeroConstraint::Kind::kSumZeroList) {
    for (const std::string& text : c.texts)
      node.append_child("condition").append_attribute("value") = text.c_str();
  }
  for (int s : c.summed) node.append_child("item").append_attribute("index") = s + 1;
}

Status AppendConstraintProfile(pugi::xml_node objective, const OutcomeSpace& space,
                               const Profile& p) {
  for (size_t k = 0; k < p.constraints.size(); ++k) {
    const ZeroConstraint& c = p.constraints[k];
    if (c.kind == ZeroConstraint::Kind::kConditionalOutcome && !ConditionComesFirst(c)) {
      return Status::InvalidArgument(fmt::format(
          "constraint {}: GENIUS would take issue '{}' (index {}) as the condition of this "
          "conditionalZeroOutcomeConstraint, not issue '{}' (index {}): it orders the two by "
          "hashing their numbers",
          k + 1, space.issue(c.checks[1].issue).name(), c.checks[1].issue + 1,
          space.issue(c.checks[0].issue).name(), c.checks[0].issue + 1));
    }
  }
  for (size_t i = 0; i < space.issue_count(); ++i) AppendIssue(objective, space.issue(i), i, true);
  pugi::xml_node rules = objective.append_child("rules");
  pugi::xml_node ranks = rules.append_child("ranks");
  for (const IssueRanks& r : p.ranks) {
    pugi::xml_node issue = ranks.append_child("issue");
    issue.append_attribute("index") = r.issue + 1;
    for (size_t v = 0; v < r.ranks.size(); ++v) {
      pugi::xml_node item = issue.append_child("item");
      item.append_attribute("index") = static_cast<unsigned long long>(v + 1);
      item.append_attribute("value") = space.issue(r.issue).ValueLabel(v).c_str();
      item.append_attribute("rank") = r.ranks[v];
    }
  }
  pugi::xml_node constraints = rules.append_child("constraints");
  for (const ZeroConstraint& c : p.constraints) AppendConstraint(constraints, c);
  return Status::Ok();
}

void AppendRedLine(pugi::xml_node parent, const OutcomeSpace& space, const RedLine& r) {
  pugi::xml_node node = parent.append_child("red_line");
  node.append_attribute("kind") = RedLineKindName(r.kind);
  node.append_attribute("issue") = space.issue(r.issue).name().c_str();
  if (r.kind == RedLine::Kind::kForbid || r.kind == RedLine::Kind::kRequire) {
    node.append_attribute("values") = fmt::format("{}", fmt::join(r.values, " ")).c_str();
  } else {
    node.append_attribute("bound") = Num(r.bound).c_str();
  }
  if (!r.note.empty()) node.append_attribute("note") = r.note.c_str();
}

}  // namespace

std::string WriteGeniusDomain(const OutcomeSpace& space, const std::string& name) {
  pugi::xml_document doc;
  Declare(&doc);
  pugi::xml_node utility_space =
      doc.append_child("negotiation_template").append_child("utility_space");
  utility_space.append_attribute("number_of_issues") =
      static_cast<unsigned long long>(space.issue_count());
  pugi::xml_node objective = AppendObjective(utility_space, name);
  for (size_t i = 0; i < space.issue_count(); ++i) AppendIssue(objective, space.issue(i), i, true);
  return Save(doc);
}

Result<std::string> WriteGeniusProfile(const OutcomeSpace& space, const Profile& profile) {
  SHUTTLE_RETURN_IF_ERROR(profile.Validate(space));
  pugi::xml_document doc;
  Declare(&doc);
  pugi::xml_node utility_space = doc.append_child("utility_space");
  utility_space.append_attribute("generator") = "shuttle";
  if (profile.kind == ProfileKind::kHyperRectangles)
    utility_space.append_attribute("type") = "nonlinear";
  if (profile.kind == ProfileKind::kConstraint)
    utility_space.append_attribute("type") = "constraint";
  pugi::xml_node objective = AppendObjective(utility_space, "root");
  switch (profile.kind) {
    case ProfileKind::kLinearAdditive:
      SHUTTLE_RETURN_IF_ERROR(AppendLinear(objective, space, profile));
      break;
    case ProfileKind::kHyperRectangles: AppendRectangles(objective, space, profile); break;
    case ProfileKind::kConstraint:
      SHUTTLE_RETURN_IF_ERROR(AppendConstraintProfile(objective, space, profile));
      break;
  }
  utility_space.append_child("discount_factor").append_attribute("value") =
      Num(profile.discount).c_str();
  utility_space.append_child("reservation").append_attribute("value") =
      Num(profile.reservation_value).c_str();
  for (const RedLine& r : profile.red_lines) AppendRedLine(utility_space, space, r);
  return Save(doc);
}

}  // namespace shuttle
