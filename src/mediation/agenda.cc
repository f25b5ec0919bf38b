#include "mediation/agenda.h"

#include <fmt/format.h>

#include <algorithm>

namespace shuttle::mediation_internal {

Result<AgendaPlan> PlanAgenda(const OutcomeSpace& space, const std::vector<Stage>& agenda) {
  const int n = static_cast<int>(space.issue_count());
  AgendaPlan plan;
  plan.stage_of_issue.assign(n, -2);
  if (agenda.empty()) {
    std::vector<int> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    plan.stages.push_back(all);
    plan.agenda_index.push_back(0);
    plan.names.push_back("");
    plan.stage_of_issue.assign(n, 0);
    return plan;
  }
  for (size_t k = 0; k < agenda.size(); ++k) {
    const Stage& stage = agenda[k];
    int index = stage.deferred ? -1 : static_cast<int>(plan.stages.size());
    for (int i : stage.issues) {
      if (i < 0 || i >= n) {
        return Status::InvalidArgument(
            fmt::format("agenda stage '{}': issue index {} out of range", stage.name, i));
      }
      if (plan.stage_of_issue[i] != -2) {
        return Status::InvalidArgument(
            fmt::format("agenda stage '{}': issue '{}' is already in a stage", stage.name,
                        space.issue(i).name()));
      }
      plan.stage_of_issue[i] = index;
    }
    if (!stage.deferred) {
      plan.stages.push_back(stage.issues);
      plan.agenda_index.push_back(static_cast<int>(k));
      plan.names.push_back(stage.name);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (plan.stage_of_issue[i] == -2) {
      return Status::InvalidArgument(
          fmt::format("agenda: issue '{}' is in no stage", space.issue(i).name()));
    }
  }
  if (plan.stages.empty()) return Status::InvalidArgument("agenda: every stage is deferred");
  for (const std::vector<int>& s : plan.stages) {
    if (s.empty()) return Status::InvalidArgument("agenda: a stage to negotiate has no issue");
  }
  return plan;
}

Result<AgendaPlan> PlanMediation(const OutcomeSpace& space, int party_count,
                                 MediationOptions* options) {
  SHUTTLE_ASSIGN_OR_RETURN(options->agenda, MediationAgenda(space, party_count, *options));
  return PlanAgenda(space, options->agenda);
}

}  // namespace shuttle::mediation_internal

namespace shuttle {

Result<std::vector<Stage>> MediationAgenda(const OutcomeSpace& space, int party_count,
                                           const MediationOptions& options) {
  const MediationOptions::Bidding& b = options.bidding;
  if (!b.enabled()) return options.agenda;
  const int n = static_cast<int>(space.issue_count());
  if (!options.helm) {
    return Status::InvalidArgument(
        "bidding: the bidding step needs the mediator's seat (helm), whose table takes the bids");
  }
  if (party_count != 2) {
    return Status::InvalidArgument(fmt::format(
        "bidding: blind bidding needs two parties (a claimant and a respondent), not {}",
        party_count));
  }
  if (b.issue >= n) {
    return Status::InvalidArgument(
        fmt::format("bidding: issue index {} out of range (the space has {} issues)", b.issue, n));
  }
  const Issue& issue = space.issue(b.issue);
  if (issue.type() == IssueType::kDiscrete) {
    return Status::InvalidArgument(
        fmt::format("bidding: issue '{}' is discrete; blind bidding is on an integer or real issue",
                    issue.name()));
  }
  if (b.rounds < 1)
    return Status::InvalidArgument(fmt::format("bidding: rounds must be >= 1, not {}", b.rounds));
  SHUTTLE_RETURN_IF_ERROR(CheckBlindBiddingRules(b.rules));
  const std::string name = fmt::format("bidding: {}", issue.name());
  std::vector<Stage> agenda = options.agenda;
  if (agenda.empty()) {
    Stage rest;
    for (int i = 0; i < n; ++i) {
      if (i != b.issue) rest.issues.push_back(i);
    }
    if (!rest.issues.empty()) agenda.push_back(std::move(rest));
  } else {
    int last = -1;
    for (size_t k = 0; k < agenda.size(); ++k) {
      if (!agenda[k].deferred) last = static_cast<int>(k);
    }
    if (last >= 0 && agenda[last].issues == std::vector<int>{b.issue}) return agenda;
    for (size_t k = 0; k < agenda.size(); ++k) {
      std::vector<int>& issues = agenda[k].issues;
      if (std::find(issues.begin(), issues.end(), b.issue) == issues.end()) continue;
      if (agenda[k].deferred) {
        return Status::InvalidArgument(fmt::format(
            "bidding: issue '{}' is deferred (agenda stage '{}')", issue.name(), agenda[k].name));
      }
      issues.erase(std::remove(issues.begin(), issues.end(), b.issue), issues.end());
    }
    agenda.erase(std::remove_if(agenda.begin(), agenda.end(),
                                [](const Stage& s) { return s.issues.empty(); }),
                 agenda.end());
  }
  Stage last;
  last.name = name;
  last.issues = {b.issue};
  agenda.push_back(std::move(last));
  return agenda;
}

}  // namespace shuttle

namespace shuttle::mediation_internal {

double Tables::Best(size_t issue) const {
  const std::vector<double>& c = contribution[issue];
  double best = -1e300, any = -1e300;
  for (size_t v = 0; v < c.size(); ++v) {
    any = std::max(any, c[v]);
    if (allowed[issue][v]) best = std::max(best, c[v]);
  }
  return best > -1e300 ? best : any;
}

uint32_t Tables::BestValue(size_t issue) const {
  const std::vector<double>& c = contribution[issue];
  uint32_t best = 0;
  bool found = false;
  for (size_t v = 0; v < c.size(); ++v) {
    if (!allowed[issue][v]) continue;
    if (!found || c[v] > c[best]) best = static_cast<uint32_t>(v);
    found = true;
  }
  return best;
}

Result<Tables> TablesOf(const OutcomeSpace& space, const Utility& utility) {
  if (!utility.linear())
    return Status::FailedPrecondition("the mediator models linear additive profiles only");
  Tables t;
  for (size_t i = 0; i < space.issue_count(); ++i) {
    size_t m = utility.IssueSize(i);
    const double* c = utility.Contributions(i);
    t.contribution.emplace_back(c, c + m);
    std::vector<uint8_t> allowed(m);
    for (size_t v = 0; v < m; ++v) allowed[v] = utility.Allows(i, static_cast<uint32_t>(v)) ? 1 : 0;
    t.allowed.push_back(std::move(allowed));
  }
  return t;
}

double EffectiveUtility(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text) {
  double u = 0;
  for (size_t i = 0; i < t.contribution.size(); ++i) {
    switch (plan.RoleAt(stage, static_cast<int>(i))) {
      case Role::kSettled:
      case Role::kOpen: u += t.contribution[i][text[i]]; break;
      case Role::kLater: u += t.Best(i); break;
      case Role::kDeferred: u += t.contribution[i][0]; break;
    }
  }
  return u;
}

double EffectiveIdeal(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text) {
  double u = 0;
  for (size_t i = 0; i < t.contribution.size(); ++i) {
    switch (plan.RoleAt(stage, static_cast<int>(i))) {
      case Role::kSettled: u += t.contribution[i][text[i]]; break;
      case Role::kOpen:
      case Role::kLater: u += t.Best(i); break;
      case Role::kDeferred: u += t.contribution[i][0]; break;
    }
  }
  return u;
}

bool AllowsText(const Tables& t, const AgendaPlan& plan, int stage, const uint32_t* text) {
  for (size_t i = 0; i < t.contribution.size(); ++i) {
    Role r = plan.RoleAt(stage, static_cast<int>(i));
    if ((r == Role::kSettled || r == Role::kOpen) && !t.allowed[i][text[i]]) return false;
  }
  return true;
}

}  // namespace shuttle::mediation_internal
