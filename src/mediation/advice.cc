// The engine's advice to the mediator's seat (Advise in mediation.h): the Adviser rebuilt from the
// seat's view of the log, then the criteria's texts, forecasts of each party's answer to a draft,
// the draft's distance from the model's frontier, one Pareto improvement, whom to see next.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mediation/adviser.h"
#include "mediation/diagnosis.h"

namespace shuttle {
namespace mediation_internal {

void Adviser::SetVisit(int visit) { visit_ = std::max(visit_, visit); }

void Adviser::Put(const Outcome& text) {
  text_ = text;
  has_text_ = true;
}

void Adviser::Adopt(const Outcome& agreed, int next_start) {
  text_ = agreed;
  has_text_ = true;
  if (stage_ + 1 < static_cast<int>(plan_->stages.size())) {
    ++stage_;
    stage_start_ = next_start;
    answers_.assign(party_count(), Answer{});
  }
}

void Adviser::Hear(int party, const Question& question, const Reply& reply, const Outcome* shown) {
  if (reply.declined || question.issue < 0) return;
  PartyModel& model = models_[party];
  switch (question.kind) {
    case Question::Kind::kWords: return;
    case Question::Kind::kLiveWith:
      if (shown == nullptr || plan_->RoleAt(stage_, question.issue) != Role::kOpen) return;
      model.ObserveLiveWith(visit_, stage_, *shown, question.issue, question.values, reply.values);
      return;
    case Question::Kind::kRank:
      if (reply.values.size() == space_->issue(question.issue).size()) {
        Confidence c;
        c.rankings.emplace_back(question.issue, reply.values);
        model.Confide(c);
      }
      return;
    case Question::Kind::kRedLine: model.StateLine(question.issue, reply.red_line); return;
    case Question::Kind::kBid: return;  // A bid is a move of the bidding, not a preference.
  }
}

void Adviser::FitModels() {
  for (PartyModel& m : models_) m.Fit();
}

PartyForecast Adviser::Forecast(int party, const Outcome& draft) const {
  const PartyModel& model = models_[party];
  const Tables& t = model.tables();
  PartyForecast f;
  f.exact = model.exact();
  const double u = EffectiveUtility(t, *plan_, stage_, draft.data());
  const double best = EffectiveIdeal(t, *plan_, stage_, draft.data());
  const double rv = model.reservation();
  const double range = std::max(best - rv, 1e-9);
  f.utility = (u - rv) / range;
  const double horizon = options_.max_visits > 0 ? std::max(1, options_.max_visits - stage_start_)
                                                 : std::max(1, options_.patience);
  const double conceded = std::clamp((visit_ - stage_start_) / horizon, 0.0, 1.0);
  f.aspiration = 1.0 - conceded;
  f.crosses_line = !AllowsText(t, *plan_, stage_, draft.data());
  // How far the answers pin the draft's utility down (loss models: the brackets of its values).
  f.utility_low = f.utility_high = f.utility;
  const auto& lo = model.loss_low();
  const auto& hi = model.loss_high();
  const auto& loss = model.losses();
  if (!f.exact && lo.size() == draft.size() && hi.size() == draft.size()) {
    double up = 0, down = 0;
    for (int i : plan_->stages[stage_]) {
      const uint32_t x = draft[i];
      up += std::max(0.0, loss[i][x] - lo[i][x]);
      down += std::max(0.0, hi[i][x] - loss[i][x]);
    }
    f.utility_low = f.utility - down / range;
    f.utility_high = f.utility + up / range;
  }
  // The model's point estimate is optimistic on values it has not heard about (so that its texts
  // explore them); a forecast takes every utility the answers allow as equally likely instead.
  const double width = f.utility_high - f.utility_low;
  if (f.crosses_line) {
    f.accept_probability = 0;
  } else if (width > 1e-9) {
    f.accept_probability = std::clamp((f.utility_high - f.aspiration) / width, 0.0, 1.0);
  } else {
    f.accept_probability = f.utility >= f.aspiration - 1e-9 ? 1 : 0;
  }
  f.accepts = f.accept_probability >= 0.5;
  if (f.accepts) return f;
  // The issues it would name, as the model's parties object: red-line crossings first, then by
  // loss, the shortest prefix whose repair would cover what the draft lacks.
  struct Named {
    int issue;
    bool crosses;
    double loss;
  };
  std::vector<Named> issues;
  for (int i : plan_->stages[stage_]) {
    issues.push_back({i, !t.allowed[i][draft[i]], t.Best(i) - t.contribution[i][draft[i]]});
  }
  std::stable_sort(issues.begin(), issues.end(), [](const Named& a, const Named& b) {
    if (a.crosses != b.crosses) return a.crosses;
    return a.loss > b.loss;
  });
  const double deficit = (f.aspiration - f.utility) * range;
  double covered = 0;
  for (const Named& x : issues) {
    if (!x.crosses && covered >= deficit - 1e-12 && !f.objections.empty()) break;
    f.objections.push_back(x.issue);
    covered += std::max(0.0, x.loss);
  }
  return f;
}

Advice Adviser::Advise(const Outcome* draft) const {
  Advice a;
  a.visit = visit_;
  a.stage = plan_->agenda_index[std::min<size_t>(stage_, plan_->agenda_index.size() - 1)];
  const Criterion criteria[] = {Criterion::kNash, Criterion::kKalaiSmorodinsky,
                                Criterion::kEgalitarian, Criterion::kWelfare};
  Formula own;
  for (Criterion c : criteria) {
    FormulaProblem p = Problem();
    p.criterion = c;
    p.keep_frontier = c == options_.criterion;
    Result<Formula> f = FindFormula(p);
    if (!f.ok()) continue;
    // Under an agreement rule, the criterion's point of the best coalition the rule admits (as
    // the engine's own texts); the frontier drawn stays the whole table's.
    if (!coalitions_.empty()) {
      std::optional<Formula> coalition = CoalitionFormula(c);
      f->found = coalition.has_value();
      if (coalition) f->outcome = coalition->outcome;
    }
    if (c == options_.criterion) own = *f;
    if (f->found) a.suggestions.emplace_back(c, f->outcome);
  }
  if (a.suggestions.empty()) {
    Result<ImpasseDiagnosis> d = Diagnose(Problem());
    if (d.ok()) {
      a.diagnosis = *std::move(d);
      a.diagnosis->stage = a.stage;
    }
  }
  if (draft != nullptr) {
    a.draft = *draft;
  } else if (own.found) {
    a.draft = own.outcome;
  } else if (!a.suggestions.empty()) {
    a.draft = a.suggestions.front().second;
  } else {
    a.draft = text_;
  }
  const int n = party_count();
  std::vector<double> utility(n), range(n);
  for (int k = 0; k < n; ++k) {
    a.forecasts.push_back(Forecast(k, a.draft));
    const Tables& t = models_[k].tables();
    utility[k] = EffectiveUtility(t, *plan_, stage_, a.draft.data());
    range[k] = std::max(
        EffectiveIdeal(t, *plan_, stage_, a.draft.data()) - models_[k].reservation(), 1e-9);
  }
  const size_t points = own.frontier_utilities.size();
  const size_t stride = std::max<size_t>(1, (points + 399) / 400);
  for (size_t p = 0; p < points; p += stride) {
    std::vector<double> scaled(n);
    for (int k = 0; k < n; ++k)
      scaled[k] = (own.frontier_utilities[p][k] - models_[k].reservation()) / range[k];
    a.frontier.push_back(std::move(scaled));
  }
  // The largest gain all parties would have at once on the model's frontier.
  for (const std::vector<double>& f : own.frontier_utilities) {
    double least = std::numeric_limits<double>::infinity();
    for (int k = 0; k < n; ++k) least = std::min(least, (f[k] - utility[k]) / range[k]);
    a.frontier_distance = std::max(a.frontier_distance, least);
  }
  // One issue changed: better for someone, worse for no one, allowed by every line held; the
  // change with the largest least gain, then the largest total.
  double best_least = -1, best_total = 0;
  Outcome trial = a.draft;
  for (int i : plan_->stages[stage_]) {
    const uint32_t was = a.draft[i];
    for (uint32_t v = 0; v < space_->issue(i).size(); ++v) {
      if (v == was) continue;
      trial[i] = v;
      bool allowed = true;
      std::vector<double> gains(n);
      double least = std::numeric_limits<double>::infinity(), total = 0;
      for (int k = 0; k < n && allowed; ++k) {
        const Tables& t = models_[k].tables();
        allowed = AllowsText(t, *plan_, stage_, trial.data());
        gains[k] = (EffectiveUtility(t, *plan_, stage_, trial.data()) - utility[k]) / range[k];
        least = std::min(least, gains[k]);
        total += gains[k];
      }
      if (allowed && least >= -1e-12 && total > 1e-9 &&
          (least > best_least + 1e-12 ||
           (std::abs(least - best_least) <= 1e-12 && total > best_total))) {
        best_least = least;
        best_total = total;
        a.improvement = trial;
        a.improvement_gains = std::move(gains);
      }
    }
    trial[i] = was;
  }
  // Whom to see next: the party whose answer to the draft the model is least sure of (its chance
  // of accepting nearest even: its answer tells the most), the lowest index among ties.
  double least_sure = 2;
  for (int k = 0; k < n; ++k) {
    const double margin = std::abs(a.forecasts[k].accept_probability - 0.5);
    if (margin < least_sure - 1e-12) {
      least_sure = margin;
      a.next_party = k;
    }
  }
  const PartyForecast& f = a.forecasts[a.next_party];
  a.next_reason = fmt::format(
      "its answer to the draft is the least certain: it accepts with probability {:.2f} in the "
      "model (utility {:.2f} to {:.2f} against an aspiration of {:.2f})",
      f.accept_probability, f.utility_low, f.utility_high, f.aspiration);
  a.gap = Gap();
  return a;
}

}  // namespace mediation_internal

Result<Advice> Advise(const OutcomeSpace& space, const EventLog& log, const Outcome* draft) {
  using namespace mediation_internal;
  if (log.size() == 0 || log[0].type != EventType::kStart)
    return Status::InvalidArgument("the log does not begin with a start event");
  if (log.issue_count() != space.issue_count())
    return Status::InvalidArgument("the log does not fit the space's issues");
  Result<std::pair<int, MediationOptions>> start = ParseStart(log.TextOf(log[0]));
  if (!start.ok()) return start.status().WithContext("event 0");
  const int n = start->first;
  const MediationOptions& options = start->second;
  for (const Issue& issue : space.issues()) {
    if (!issue.finite())
      return Status::FailedPrecondition(fmt::format("issue '{}' is continuous", issue.name()));
  }
  if (draft != nullptr)
    SHUTTLE_RETURN_IF_ERROR(CheckOutcome(space, draft->data()).WithContext("draft"));
  SHUTTLE_ASSIGN_OR_RETURN(AgendaPlan plan, PlanAgenda(space, options.agenda));
  Adviser adviser(&space, n, options, &plan);
  std::vector<Outcome> shown(n);  // Per party: the complete text put to it, or empty.
  std::vector<std::optional<Question>> asked(n);  // Per party: the question it must answer.
  Outcome adopted;  // The outcome of the last kAdopt (after agreement: the agreement).
  for (size_t i = 1; i < log.size(); ++i) {
    const Event& e = log[i];
    adviser.SetVisit(e.round + 1);
    const EventRecord r = log.RecordOf(e);
    if (e.type == EventType::kPropose && e.audience.kind == AudienceKind::kCaucus) {
      const int p = e.audience.party;
      if (p < 0 || p >= n) continue;
      Result<TextRequest> request = ParseTextRequest(space, r.text);
      const bool complete = !r.outcome.empty() && request.ok() && request->open.empty();
      shown[p] = complete ? Outcome(r.outcome.begin(), r.outcome.end()) : Outcome();
      Result<ProposeInfo> info = ParsePropose(r.text);
      if (complete && info.ok() && info->improves && !adviser.improving())
        adviser.Improving(adopted);
      if (complete) adviser.Put(shown[p]);
      continue;
    }
    if (e.type == EventType::kAdopt && e.audience.party == 0 && !r.outcome.empty()) {
      adopted.assign(r.outcome.begin(), r.outcome.end());
      if (adviser.improving()) {
        adviser.Improving(adopted);  // An improvement every party accepted.
      } else {
        adviser.Adopt(adopted, options.helm ? e.round + 1 : e.round + 2);
      }
      continue;
    }
    if (e.type == EventType::kAsk && e.audience.kind == AudienceKind::kCaucus) {
      const int p = e.audience.party;
      if (p < 0 || p >= n) continue;
      Result<Question> q = ParseQuestion(space, r.text);
      asked[p] = q.ok() ? std::optional<Question>(*std::move(q)) : std::nullopt;
      continue;
    }
    if (e.actor < 0 || e.actor >= n) continue;
    if (e.type == EventType::kAnswer) {
      if (!asked[e.actor]) continue;
      Result<Reply> reply = ParseReply(space, *asked[e.actor], r.text);
      if (reply.ok())
        adviser.Hear(e.actor, *asked[e.actor], *reply,
                     shown[e.actor].empty() ? nullptr : &shown[e.actor]);
      asked[e.actor].reset();
      continue;
    }
    adviser.HearMove(e.actor, ActionOf(r), shown[e.actor].empty() ? nullptr : &shown[e.actor]);
  }
  adviser.FitModels();
  return adviser.Advise(draft);
}

Result<ForecastTally> ScoreForecasts(const OutcomeSpace& space, const EventLog& log) {
  ForecastTally tally;
  std::vector<Outcome> shown;
  for (size_t i = 1; i < log.size(); ++i) {
    const Event& e = log[i];
    if (e.type == EventType::kPropose && e.audience.kind == AudienceKind::kCaucus) {
      // As Advise reads it: only a complete text is one the answer can be forecast against.
      std::span<const uint32_t> o = log.OutcomeOf(e);
      Result<mediation_internal::TextRequest> request =
          mediation_internal::ParseTextRequest(space, log.TextOf(e));
      const bool complete = !o.empty() && request.ok() && request->open.empty();
      if (static_cast<size_t>(e.audience.party) >= shown.size()) shown.resize(e.audience.party + 1);
      shown[e.audience.party] = complete ? Outcome(o.begin(), o.end()) : Outcome();
    }
    if (e.actor < 0 || (e.type != EventType::kAccept && e.type != EventType::kObject)) continue;
    if (static_cast<size_t>(e.actor) >= shown.size() || shown[e.actor].empty()) continue;
    SHUTTLE_ASSIGN_OR_RETURN(Advice a, Advise(space, log.Head(i), &shown[e.actor]));
    const bool right = a.forecasts[e.actor].accepts == (e.type == EventType::kAccept);
    auto& [hits, total] = tally.by_visit[e.round + 1];
    hits += right;
    ++total;
    tally.right += right;
    ++tally.total;
  }
  return tally;
}

}  // namespace shuttle
