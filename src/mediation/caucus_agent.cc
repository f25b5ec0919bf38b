// Automated caucus parties (mediation.h): truthful, reticent, strategic. They share one honest
// answering rule and differ in what they confide and which demands they act on:
//   aspiration a = rv + (best - rv) (1 - tau^(1/e)), tau = visits into the stage / horizon, where
//   the horizon is the visit limit when there is one (time pressure) and `patience` otherwise;
//   accept iff the text crosses none of its red lines and u(text) >= a;
//   otherwise object. The open issues are sorted by what the text's value loses against the issue's
//   best allowed value (red-line crossings first); the objection names the shortest prefix whose
//   repair would make the text acceptable, and for each named issue lists as could_live_with the
//   allowed values losing at most the budget left when the unnamed issues' losses are taken from
//   what the party is prepared to give up now (best - a): what it could accept on that issue were
//   the other named issues repaired. It also says whether the text is worse than no agreement.
// Opening caucus (no text): counter-propose the best outcome. After agreement, a proposed
// improvement is accepted when it crosses no red line and is worth at least the agreement, else
// declined naming the issues on which it is worse, worst first.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/rng.h"
#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_internal::AgendaPlan;
using mediation_internal::Confidence;
using mediation_internal::Objection;
using mediation_internal::Role;
using mediation_internal::Tables;

enum class Policy { kTruthful, kReticent, kStrategic };

struct Params {
  double e = 1.0;      // Concession exponent (1 linear, < 1 boulware, > 1 conceder).
  int patience = 20;   // Visits to reach the reservation value without a visit limit.
  double lines = 0.5;  // Strategic: claimed red lines below this fraction of an issue's best.
  double rv = 0.3;     // Strategic: share of (best - rv) added to the claimed reservation value.
};

Result<std::pair<Policy, Params>> ParseSpec(std::string_view spec) {
  std::string_view name = spec.substr(0, spec.find(':'));
  std::pair<Policy, Params> out;
  if (name == "truthful") {
    out.first = Policy::kTruthful;
  } else if (name == "reticent") {
    out.first = Policy::kReticent;
  } else if (name == "strategic") {
    out.first = Policy::kStrategic;
  } else {
    return Status::InvalidArgument(
        fmt::format("unknown caucus party '{}' (expected truthful, reticent or strategic)", name));
  }
  if (name.size() == spec.size()) return out;
  std::string rest(spec.substr(name.size() + 1));
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t end = rest.find(',', pos);
    if (end == std::string::npos) end = rest.size();
    std::string item = rest.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq == std::string::npos)
      return Status::InvalidArgument(fmt::format("'{}': expected key=value", item));
    std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    char* stop = nullptr;
    double x = std::strtod(value.c_str(), &stop);
    if (value.empty() || *stop != '\0' || !std::isfinite(x)) {
      return Status::InvalidArgument(fmt::format("'{}': '{}' is not a number", key, value));
    }
    if (key == "e" && x > 0) {
      out.second.e = x;
    } else if (key == "patience" && x >= 1) {
      out.second.patience = static_cast<int>(x);
    } else if (key == "lines" && x >= 0 && x <= 1) {
      out.second.lines = x;
    } else if (key == "rv" && x >= 0 && x <= 1) {
      out.second.rv = x;
    } else {
      return Status::InvalidArgument(
          fmt::format("'{}={}': unknown parameter or out of range (e > 0, patience >= 1, lines and "
                      "rv in [0, 1])",
                      key, value));
    }
    pos = end + 1;
  }
  return out;
}

class CaucusAgent final : public Agent {
 public:
  CaucusAgent(std::string spec, Policy policy, Params params, const Profile* profile)
      : spec_(std::move(spec)), policy_(policy), params_(params) {
    if (profile) profile_lines_ = profile->red_lines;
    has_profile_ = profile != nullptr;
  }

  const std::string& name() const override { return spec_; }
  Status Init(const AgentContext& context) override;
  void Observe(const EventLog& log, const Event& event) override;
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override;

 private:
  bool IsFake(const RedLine& line) const;
  void ApplyDiagnosis(const ImpasseDiagnosis& part);
  void RebuildActing();
  Confidence OpeningConfidence() const;
  double Aspiration(double best) const;
  void Answer(const uint32_t* text, Action* action, uint32_t* scratch);
  // Declines a proposed improvement, naming the issues of `worse` (how much each loses, negative)
  // worst first.
  void Decline(std::vector<std::pair<double, int>> worse, Action* action) {
    std::stable_sort(worse.begin(), worse.end());
    Objection o;
    for (const auto& [loss, issue] : worse) {
      Objection::Item item;
      item.issue = issue;
      o.issues.push_back(std::move(item));
    }
    Object(o, action);
  }
  // Sends `objection` as the party's answer.
  void Object(const Objection& objection, Action* action) {
    text_ = mediation_internal::ObjectionJson(*space_, objection);
    action->type = EventType::kObject;
    action->text = text_;
  }
  void Reply(const uint32_t* text, Action* action);
  bool Livable(const uint32_t* text) const;
  uint32_t Bid();

  std::string spec_;
  Policy policy_;
  Params params_;
  bool has_profile_ = false;
  std::vector<RedLine> profile_lines_;

  const OutcomeSpace* space_ = nullptr;
  int32_t self_ = 0;
  Tables true_;           // The party's own contributions and red lines.
  Tables acting_;         // What it acts on: true_, or with its claimed red lines.
  double rv_ = 0;         // True reservation value.
  double acting_rv_ = 0;  // Claimed (strategic) or true.
  double discount_ = 1;   // The profile's d in (0, 1); 1: none.
  std::vector<RedLine> true_lines_, fake_lines_;
  AgendaPlan plan_;
  int max_visits_ = 0;
  int visit_ = 1, stage_ = 0, stage_start_ = 1;
  Outcome settled_;
  bool confided_ = false;
  bool relax_pending_ = false;
  std::string text_;  // The text of the pending action (the action borrows it).
  // The mediator's seat: the issues its text leaves open, the question asked, and the text with
  // the open issues at this party's best values (how it reads a partial text).
  std::vector<int> open_;
  mediation_internal::Question asked_;
  Outcome completed_;
  bool improving_ = false;  // The text on the table is a proposed improvement on the agreement.
  MediationOptions::Bidding bidding_;  // The bidding step, if any (from kStart).
  int bids_made_ = 0;
  // A profile that is not linear additive (hyper-rectangles, constraints): the party answers by
  // its utility of whole outcomes (NonLinear* below); true_ and acting_ stay empty.
  const Utility* utility_ = nullptr;
  Outcome best_;       // Its best outcome found (local search).
  double best_u_ = 0;  // Its utility.

  // The outcome the party judges for `text` at the open stage: settled and open issues as in the
  // text, later ones at its best, deferred ones at their first value.
  Outcome Judged(const uint32_t* text) const;
  // Its utility of a whole outcome, by what it acts on; far below anything when the outcome
  // crosses its red lines (claimed ones too).
  double U(const Outcome& o) const {
    double u = 0;
    for (size_t i = 0; i < o.size(); ++i) {
      if (utility_ != nullptr ? !utility_->Allows(i, o[i]) : !acting_.allowed[i][o[i]]) return -1e9;
      if (utility_ == nullptr) u += acting_.contribution[i][o[i]];
    }
    return utility_ != nullptr ? utility_->Evaluate(o) : u;
  }
  void FindBest(uint64_t seed);
  void NonLinearAnswer(const uint32_t* text, Action* action);
  void AnswerImprovement(const uint32_t* text, Action* action);
};

Status CaucusAgent::Init(const AgentContext& context) {
  space_ = context.space;
  self_ = context.self;
  rv_ = context.utility->reservation_value();
  const double d = context.utility->discount();
  discount_ = d > 0 && d < 1 ? d : 1;
  SHUTTLE_ASSIGN_OR_RETURN(plan_, mediation_internal::PlanAgenda(*space_, {}));
  settled_.assign(space_->issue_count(), 0);
  if (!context.utility->linear()) {
    if (policy_ != Policy::kReticent) {
      return Status::FailedPrecondition(fmt::format(
          "a {} party confides its weights and values, which a profile that is not linear "
          "additive does not have: use reticent",
          policy_ == Policy::kTruthful ? "truthful" : "strategic"));
    }
    utility_ = context.utility;
    acting_rv_ = rv_;
    FindBest(context.seed);
    return Status::Ok();
  }
  SHUTTLE_ASSIGN_OR_RETURN(true_, mediation_internal::TablesOf(*space_, *context.utility));
  // The red lines as confidable statements: the profile's, else the forbidden values per issue.
  if (has_profile_) {
    true_lines_ = profile_lines_;
  } else {
    for (size_t i = 0; i < space_->issue_count(); ++i) {
      RedLine line;
      line.issue = static_cast<int>(i);
      for (size_t v = 0; v < true_.allowed[i].size(); ++v) {
        if (!true_.allowed[i][v]) line.values.push_back(static_cast<uint32_t>(v));
      }
      if (!line.values.empty()) true_lines_.push_back(std::move(line));
    }
  }
  acting_rv_ = rv_;
  if (policy_ == Policy::kStrategic) {
    // Overstate: on the heavier half of the issues, claim the values below `lines` of the best.
    std::vector<size_t> order(space_->issue_count());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return true_.Best(a) > true_.Best(b); });
    for (size_t k = 0; k < (order.size() + 1) / 2; ++k) {
      size_t i = order[k];
      double best = true_.Best(i);
      if (best <= 0) continue;
      RedLine line;
      line.issue = static_cast<int>(i);
      for (size_t v = 0; v < true_.allowed[i].size(); ++v) {
        if (true_.allowed[i][v] && true_.contribution[i][v] < params_.lines * best)
          line.values.push_back(static_cast<uint32_t>(v));
      }
      if (!line.values.empty()) fake_lines_.push_back(std::move(line));
    }
    double ideal = 0;
    for (size_t i = 0; i < space_->issue_count(); ++i) ideal += true_.Best(i);
    acting_rv_ = rv_ + params_.rv * std::max(0.0, ideal - rv_);
  }
  RebuildActing();
  return Status::Ok();
}

bool CaucusAgent::IsFake(const RedLine& line) const {
  return std::any_of(fake_lines_.begin(), fake_lines_.end(), [&](const RedLine& f) {
    return f.issue == line.issue && f.kind == line.kind && f.values == line.values;
  });
}

void CaucusAgent::RebuildActing() {
  acting_ = true_;
  for (const RedLine& line : fake_lines_) {
    for (uint32_t v : line.values) acting_.allowed[line.issue][v] = 0;
  }
}

Confidence CaucusAgent::OpeningConfidence() const {
  Confidence c;
  std::vector<double> weights;
  for (size_t i = 0; i < space_->issue_count(); ++i) {
    const std::vector<double>& contribution = true_.contribution[i];
    double w =
        contribution.empty() ? 0 : *std::max_element(contribution.begin(), contribution.end());
    weights.push_back(w);
    std::vector<double> v(contribution.size(), 0.0);
    for (size_t x = 0; x < v.size(); ++x)
      v[x] = w > 0 ? std::clamp(contribution[x] / w, 0.0, 1.0) : 0.0;
    c.values.emplace_back(static_cast<int>(i), std::move(v));
  }
  c.weights = std::move(weights);
  std::vector<RedLine> lines = true_lines_;
  lines.insert(lines.end(), fake_lines_.begin(), fake_lines_.end());
  c.red_lines = std::move(lines);
  c.reservation_value = acting_rv_;
  return c;
}

void CaucusAgent::ApplyDiagnosis(const ImpasseDiagnosis& part) {
  if (policy_ != Policy::kStrategic) return;
  bool changed = false;
  auto drop = [&](const ConflictItem& item) {
    if (item.kind == ConflictItem::Kind::kReservation && acting_rv_ > rv_) {
      acting_rv_ = rv_;
      changed = true;
    }
    if (item.kind == ConflictItem::Kind::kRedLine && IsFake(item.red_line)) {
      fake_lines_.erase(std::remove_if(fake_lines_.begin(), fake_lines_.end(),
                                       [&](const RedLine& f) {
                                         return f.issue == item.red_line.issue &&
                                                f.values == item.red_line.values;
                                       }),
                        fake_lines_.end());
      changed = true;
    }
  };
  for (const ConflictItem& item : part.conflict) drop(item);
  for (const ConflictItem& item : part.relaxation) drop(item);
  if (changed) {
    RebuildActing();
    relax_pending_ = true;
  }
}

void CaucusAgent::Observe(const EventLog& log, const Event& event) {
  std::string_view text = log.TextOf(event);
  switch (event.type) {
    case EventType::kStart: {
      Result<std::pair<int, MediationOptions>> start = mediation_internal::ParseStart(text);
      if (!start.ok()) return;
      max_visits_ = start->second.max_visits;
      bidding_ = start->second.bidding;
      Result<AgendaPlan> plan = mediation_internal::PlanAgenda(*space_, start->second.agenda);
      if (plan.ok()) plan_ = *std::move(plan);
      return;
    }
    case EventType::kPropose: {
      Result<mediation_internal::ProposeInfo> info = mediation_internal::ParsePropose(text);
      if (!info.ok()) return;
      visit_ = info->visit;
      int stage = 0;
      for (size_t s = 0; s < plan_.agenda_index.size(); ++s) {
        if (plan_.agenda_index[s] == info->stage) stage = static_cast<int>(s);
      }
      if (stage != stage_) stage_start_ = visit_;
      stage_ = stage;
      Result<mediation_internal::TextRequest> request =
          mediation_internal::ParseTextRequest(*space_, text);
      open_ = request.ok() ? request->open : std::vector<int>();
      improving_ = info->improves;
      return;
    }
    case EventType::kAsk: {
      Result<mediation_internal::Question> q = mediation_internal::ParseQuestion(*space_, text);
      if (q.ok()) asked_ = *std::move(q);
      return;
    }
    // What the party has done is read from the log, not kept from its own Act calls, so that a
    // party rebuilt from a stored session (which only observes the moves it made) acts on alike.
    case EventType::kConfide:
      if (event.actor == self_) confided_ = true;
      return;
    case EventType::kAnswer:
      if (event.actor == self_ && asked_.kind == mediation_internal::Question::Kind::kBid)
        ++bids_made_;
      return;
    case EventType::kAdopt: {
      std::span<const uint32_t> agreed = log.OutcomeOf(event);
      if (agreed.size() == settled_.size()) settled_.assign(agreed.begin(), agreed.end());
      return;
    }
    case EventType::kNote: {
      if (event.actor != kMediator || event.audience.kind != AudienceKind::kCaucus) return;
      Result<ImpasseDiagnosis> part = mediation_internal::ParseDiagnosis(*space_, text);
      if (part.ok()) ApplyDiagnosis(*part);
      return;
    }
    default: return;
  }
}

double CaucusAgent::Aspiration(double best) const {
  double horizon = max_visits_ > 0 ? std::max(1, max_visits_ - stage_start_) : params_.patience;
  double floor = std::min(acting_rv_, best);
  auto at = [&](int visit) {
    double tau = std::clamp(static_cast<double>(visit - stage_start_) / horizon, 0.0, 1.0);
    return floor + (best - floor) * (1.0 - std::pow(tau, 1.0 / params_.e));
  };
  const double now = at(visit_);
  // A discounted party (u d^t, t = visits / the visit limit) takes now what is worth at least
  // what it would ask at the next visit, less the visit's wait: d^(1 / limit) of it. Without a
  // visit limit a mediation has no clock, and the discount does not apply.
  if (discount_ >= 1 || max_visits_ <= 0) return now;
  const double wait = std::pow(discount_, 1.0 / max_visits_);
  return std::max(floor, std::min(now, at(visit_ + 1) * wait));
}

void CaucusAgent::Answer(const uint32_t* text, Action* action, uint32_t* scratch) {
  const size_t n = space_->issue_count();
  if (text == nullptr) {
    for (size_t i = 0; i < n; ++i) {
      Role r = plan_.RoleAt(stage_, static_cast<int>(i));
      const uint32_t best = utility_ != nullptr ? best_[i] : acting_.BestValue(i);
      scratch[i] = r == Role::kOpen ? best : (r == Role::kSettled ? settled_[i] : 0);
    }
    action->type = EventType::kOffer;
    action->outcome = scratch;
    return;
  }
  if (improving_) {
    AnswerImprovement(text, action);
    return;
  }
  if (utility_ != nullptr) {
    NonLinearAnswer(text, action);
    return;
  }
  double u = mediation_internal::EffectiveUtility(acting_, plan_, stage_, text);
  double best = mediation_internal::EffectiveIdeal(acting_, plan_, stage_, text);
  double a = Aspiration(best);
  bool allowed = mediation_internal::AllowsText(acting_, plan_, stage_, text);
  if (allowed && u >= a - 1e-12) {
    action->type = EventType::kAccept;
    return;
  }
  // Issues worst first (red-line crossings before everything); name the shortest prefix whose
  // repair to the best value would make the text acceptable.
  struct Named {
    int issue;
    bool crosses;
    double loss;
  };
  std::vector<Named> issues;
  for (int i : plan_.stages[stage_]) {
    issues.push_back(
        {i, !acting_.allowed[i][text[i]], acting_.Best(i) - acting_.contribution[i][text[i]]});
  }
  std::stable_sort(issues.begin(), issues.end(), [](const Named& x, const Named& y) {
    if (x.crosses != y.crosses) return x.crosses;
    return x.loss > y.loss;
  });
  const double deficit = a - u;
  std::vector<Named> named;
  double covered = 0;
  for (const Named& x : issues) {
    if (!x.crosses && covered >= deficit - 1e-12 && !named.empty()) break;
    named.push_back(x);
    covered += std::max(0.0, x.loss);
  }
  // What each named issue may lose if the other named ones were repaired: the slack left after the
  // unnamed issues' losses.
  double budget = std::max(0.0, best - a);
  for (size_t k = named.size(); k < issues.size(); ++k) budget -= std::max(0.0, issues[k].loss);
  Objection o;
  for (const Named& x : named) {
    Objection::Item item;
    item.issue = x.issue;
    item.has_values = true;
    double top = acting_.Best(x.issue);
    for (size_t v = 0; v < acting_.contribution[x.issue].size(); ++v) {
      if (acting_.allowed[x.issue][v] && top - acting_.contribution[x.issue][v] <= budget + 1e-12) {
        item.could_live_with.push_back(static_cast<uint32_t>(v));
      }
    }
    o.issues.push_back(std::move(item));
  }
  o.below_reservation = u < acting_rv_;
  Object(o, action);
}

Outcome CaucusAgent::Judged(const uint32_t* text) const {
  Outcome o(space_->issue_count(), 0);
  for (size_t i = 0; i < o.size(); ++i) {
    switch (plan_.RoleAt(stage_, static_cast<int>(i))) {
      case Role::kSettled:
      case Role::kOpen: o[i] = text[i]; break;
      case Role::kLater: o[i] = best_[i]; break;
      case Role::kDeferred: o[i] = 0; break;
    }
  }
  return o;
}

// The best outcome by coordinate ascent from 32 random starts (seeded): exact for the separable
// parts of a profile, a good local optimum for interacting ones.
void CaucusAgent::FindBest(uint64_t seed) {
  SplitMix64 rng(seed);
  const size_t n = space_->issue_count();
  best_.assign(n, 0);
  best_u_ = -1e300;
  for (int start = 0; start < 32; ++start) {
    Outcome o(n);
    for (size_t i = 0; i < n; ++i) o[i] = static_cast<uint32_t>(rng.Below(space_->issue(i).size()));
    double u = U(o);
    for (bool moved = true; moved;) {
      moved = false;
      for (size_t i = 0; i < n; ++i) {
        uint32_t best_value = o[i];
        for (uint32_t v = 0; v < space_->issue(i).size(); ++v) {
          o[i] = v;
          const double x = U(o);
          if (x > u + 1e-12) {
            u = x;
            best_value = v;
            moved = true;
          }
        }
        o[i] = best_value;
      }
    }
    if (u > best_u_) {
      best_u_ = u;
      best_ = o;
    }
  }
}

// The honest rule for a profile of interacting issues: accept when u >= a; otherwise repair the
// open issues greedily (each time the issue whose best value gains most, or, when no single issue
// gains, the next one that differs from the party's best outcome, set to it) until the text would
// be acceptable, name the repaired issues in that order, and list for each the values with which
// the repaired text stays acceptable.
void CaucusAgent::NonLinearAnswer(const uint32_t* text, Action* action) {
  Outcome current = Judged(text);
  const double u = U(current);
  const double a = Aspiration(best_u_);
  if (u >= a - 1e-12) {
    action->type = EventType::kAccept;
    return;
  }
  std::vector<int> left = plan_.stages[stage_], named;
  double now = u;
  while (now < a - 1e-12 && !left.empty()) {
    size_t pick = 0;
    uint32_t pick_value = current[left[0]];
    double pick_gain = 0;
    for (size_t k = 0; k < left.size(); ++k) {
      const int i = left[k];
      const uint32_t keep = current[i];
      for (uint32_t v = 0; v < space_->issue(i).size(); ++v) {
        current[i] = v;
        const double g = U(current) - now;
        if (g > pick_gain + 1e-12) {
          pick_gain = g;
          pick = k;
          pick_value = v;
        }
      }
      current[i] = keep;
    }
    if (pick_gain <= 1e-12) {  // No single issue helps: move the next one toward the best.
      pick = 0;
      while (pick + 1 < left.size() && current[left[pick]] == best_[left[pick]]) ++pick;
      pick_value = best_[left[pick]];
    }
    current[left[pick]] = pick_value;
    named.push_back(left[pick]);
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(pick));
    now = U(current);
  }
  Objection o;
  for (int i : named) {
    Objection::Item item;
    item.issue = i;
    item.has_values = true;
    const uint32_t keep = current[i];
    for (uint32_t v = 0; v < space_->issue(i).size(); ++v) {
      current[i] = v;
      if (U(current) >= a - 1e-12) item.could_live_with.push_back(v);
    }
    current[i] = keep;
    o.issues.push_back(std::move(item));
  }
  o.below_reservation = u < acting_rv_;
  Object(o, action);
}

// A proposed improvement on the agreement (settled_): accepted when it crosses none of the party's
// lines and is worth at least the agreement to it; otherwise the issues whose change alone makes
// the agreement worse are named, worst first (every changed issue when none does alone, as can
// happen only with interacting issues).
void CaucusAgent::AnswerImprovement(const uint32_t* text, Action* action) {
  const Outcome proposal(text, text + space_->issue_count());
  const double agreed = U(settled_);
  if (U(proposal) >= agreed - 1e-12) {
    action->type = EventType::kAccept;
    return;
  }
  std::vector<std::pair<double, int>> worse, changed;
  for (size_t i = 0; i < proposal.size(); ++i) {
    if (proposal[i] == settled_[i]) continue;
    Outcome one = settled_;
    one[i] = proposal[i];
    const double d = U(one) - agreed;
    changed.emplace_back(d, static_cast<int>(i));
    if (d < -1e-12) worse.emplace_back(d, static_cast<int>(i));
  }
  if (worse.empty()) worse = changed;
  Decline(std::move(worse), action);
}

void CaucusAgent::Act(const Turn& turn, double t, Action* action, uint32_t* scratch) {
  *action = Action{};
  action->actor = self_;
  if (!confided_ && policy_ != Policy::kReticent) {
    confided_ = true;
    text_ = mediation_internal::ConfidenceJson(*space_, OpeningConfidence());
    action->type = EventType::kConfide;
    action->text = text_;
    return;
  }
  if (relax_pending_) {
    relax_pending_ = false;
    Confidence c;
    std::vector<RedLine> lines = true_lines_;
    lines.insert(lines.end(), fake_lines_.begin(), fake_lines_.end());
    c.red_lines = std::move(lines);
    c.reservation_value = acting_rv_;
    text_ = mediation_internal::ConfidenceJson(*space_, c);
    action->type = EventType::kConfide;
    action->text = text_;
    return;
  }
  const uint32_t* text = turn.standing;
  if (text != nullptr && !open_.empty()) {
    completed_.assign(text, text + space_->issue_count());
    for (int i : open_) completed_[i] = utility_ != nullptr ? best_[i] : acting_.BestValue(i);
    text = completed_.data();
  }
  if (turn.kind == Turn::Kind::kAnswer) {
    Reply(text, action);
    return;
  }
  Answer(text, action, scratch);
}

bool CaucusAgent::Livable(const uint32_t* text) const {
  if (utility_ != nullptr) return U(Judged(text)) >= Aspiration(best_u_) - 1e-12;
  double best = mediation_internal::EffectiveIdeal(acting_, plan_, stage_, text);
  return mediation_internal::AllowsText(acting_, plan_, stage_, text) &&
         mediation_internal::EffectiveUtility(acting_, plan_, stage_, text) >=
             Aspiration(best) - 1e-12;
}

// Answers the mediator's question in kind, by what the party acts on: whether it could live with
// each value (the text, or its best outcome when there is none, with that value), its ranking of
// an issue's values and its red line there. A reticent party answers only the first.
void CaucusAgent::Reply(const uint32_t* text, Action* action) {
  using Question = mediation_internal::Question;
  nlohmann::json j;
  const int issue = asked_.issue;
  const bool tells = policy_ != Policy::kReticent;
  auto label = [&](uint32_t v) { return space_->issue(issue).ValueLabel(v); };
  if (asked_.kind == Question::Kind::kLiveWith) {
    Outcome candidate(space_->issue_count(), 0);
    for (size_t i = 0; i < candidate.size(); ++i) {
      candidate[i] =
          text != nullptr ? text[i] : (utility_ != nullptr ? best_[i] : acting_.BestValue(i));
    }
    std::vector<uint32_t> livable;
    for (uint32_t v : asked_.values) {
      candidate[issue] = v;
      if (Livable(candidate.data())) livable.push_back(v);
    }
    j["could_live_with"] =
        nlohmann::json::parse(mediation_internal::ValueSetJson(*space_, issue, livable));
  } else if (asked_.kind == Question::Kind::kRank && tells) {
    std::vector<uint32_t> order(acting_.contribution[issue].size());
    for (size_t v = 0; v < order.size(); ++v) order[v] = static_cast<uint32_t>(v);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      return acting_.contribution[issue][x] > acting_.contribution[issue][y];
    });
    nlohmann::json ranking = nlohmann::json::array();
    for (uint32_t v : order) ranking.push_back(label(v));
    j["ranking"] = ranking;
  } else if (asked_.kind == Question::Kind::kBid) {
    const uint32_t bid = Bid();
    const Issue& is = space_->issue(issue);
    if (is.type() == IssueType::kInteger) {
      j["bid"] = is.int_lower() + static_cast<int64_t>(bid);
    } else {
      j["bid"] = is.NumericValue(bid).value_or(0);
    }
  } else if (asked_.kind == Question::Kind::kRedLine && tells) {
    j["red_line"] = nullptr;
    std::vector<RedLine> lines = true_lines_;
    lines.insert(lines.end(), fake_lines_.begin(), fake_lines_.end());
    for (const RedLine& line : lines) {
      if (line.issue == issue) {
        j["red_line"] = nlohmann::json::parse(mediation_internal::RedLineJson(*space_, line));
        break;
      }
    }
  } else {
    j["declined"] = true;
  }
  text_ = j.dump();
  action->type = EventType::kAnswer;
  action->text = text_;
}

// The party's bid at the bidding step: its aspiration concedes from its best value of the issue
// (the settled issues as agreed) to its reservation value over the rounds, reaching it at the last
// one (a party paced by its own bids, as the blind bidder of the protocol). It bids the least
// (claimant: lowest demand; respondent: highest offer) that keeps that aspiration at every
// settlement the bid can bring about: a demand D settles no lower than the midpoint of D and the
// lowest offer within the margin, an offer O no higher than the midpoint of O and the highest
// demand within it. Values of the issue grow with their index; the party's utility is taken to be
// monotone in the amount, as the protocol's premise (claimant wants it high) has it.
uint32_t CaucusAgent::Bid() {
  const int issue = asked_.issue;
  const Issue& is = space_->issue(issue);
  const uint32_t m = static_cast<uint32_t>(is.size());
  Outcome o = settled_;
  std::vector<double> u(m);
  for (uint32_t v = 0; v < m; ++v) {
    o[issue] = v;
    u[v] = U(o);
  }
  const uint32_t best = static_cast<uint32_t>(std::max_element(u.begin(), u.end()) - u.begin());
  const int rounds = std::max(1, bidding_.rounds);
  const double tau =
      rounds > 1 ? static_cast<double>(std::min(bids_made_, rounds - 1)) / (rounds - 1) : 1.0;
  const double floor = std::min(acting_rv_, u[best]);
  const double target = floor + (u[best] - floor) * (1.0 - std::pow(tau, 1.0 / params_.e));
  auto amount = [&](uint32_t v) { return is.NumericValue(v).value_or(0); };
  const BlindBiddingRules& r = bidding_.rules;
  const double p = r.margin_percent / 100;
  if (self_ == r.claimant) {
    for (uint32_t v = 0; v < m; ++v) {
      const double d = amount(v);
      const double margin = std::max(p * std::abs(d), r.margin_amount);
      if (u[v] >= target - 1e-12 && u[NearestAmount(is, d - margin / 2)] >= target - 1e-12)
        return v;
    }
  } else {
    for (uint32_t v = m; v-- > 0;) {
      const double offer = amount(v);
      double highest = offer + r.margin_amount;
      if (p > 0) {
        // D - O <= p |D|: D <= O / (1 - p) for a positive offer; otherwise any demand may be.
        highest = std::max(highest, p < 1 && offer > 0 ? offer / (1 - p) : amount(m - 1));
      }
      if (u[v] >= target - 1e-12 && u[NearestAmount(is, (offer + highest) / 2)] >= target - 1e-12)
        return v;
    }
  }
  return best;
}

}  // namespace

Result<std::unique_ptr<Agent>> MakeCaucusAgent(std::string_view spec, const Profile* profile) {
  SHUTTLE_ASSIGN_OR_RETURN(auto parsed, ParseSpec(spec));
  return std::unique_ptr<Agent>(
      new CaucusAgent(std::string(spec), parsed.first, parsed.second, profile));
}

std::vector<std::string> CaucusAgentNames() { return {"truthful", "reticent", "strategic"}; }

}  // namespace shuttle
