// The engine mediator's knowledge and policy (adviser.h): models fitted from what the parties said,
// the gap, formula finding under every demand held, the brink and the impasse.
#include "mediation/adviser.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "mediation/diagnosis.h"

namespace shuttle::mediation_internal {

Status CheckCaucusAnswer(const OutcomeSpace& space, const AgendaPlan& plan, int stage,
                         bool has_text, const Action& action, Objection* objection) {
  switch (action.type) {
    case EventType::kAccept:
    case EventType::kEnd: return Status::Ok();
    case EventType::kObject: {
      if (!has_text)
        return Status::FailedPrecondition(
            "there is no text to object to yet: counter-propose or confide");
      SHUTTLE_ASSIGN_OR_RETURN(*objection, ParseObjection(space, action.text));
      for (const Objection::Item& item : objection->issues) {
        if (plan.RoleAt(stage, item.issue) != Role::kOpen) {
          return Status::InvalidArgument(
              fmt::format("issue '{}' is not on the table", space.issue(item.issue).name()));
        }
      }
      return Status::Ok();
    }
    case EventType::kOffer: {
      if (action.outcome == nullptr)
        return Status::InvalidArgument("a counter-proposal needs an outcome");
      Outcome o(action.outcome, action.outcome + space.issue_count());
      return space.Validate(o).WithContext("counter-proposal");
    }
    default:
      return Status::FailedPrecondition(fmt::format(
          "in caucus a party may confide, accept, object, counter-propose or end, not '{}'",
          EventTypeName(action.type)));
  }
}

namespace {

// Coalitions a formula is sought for under a rule: past this many, the first ones only.
constexpr size_t kMaxCoalitions = 256;

}  // namespace

Adviser::Adviser(const OutcomeSpace* space, int parties, const MediationOptions& options,
                 const AgendaPlan* plan)
    : space_(space), options_(options), plan_(plan) {
  for (int k = 0; k < parties; ++k) {
    ModelOptions mo;
    mo.red_line_evidence = options.red_line_evidence;
    mo.patience = options.patience;
    mo.max_visits = options.max_visits;
    models_.emplace_back(space, plan_, mo);
  }
  answers_.assign(parties, Answer{});
  text_.assign(space->issue_count(), 0);
  coalition_.assign(parties, true);
  if (!options.rule.unanimous()) coalitions_ = options.rule.Coalitions(parties, kMaxCoalitions);
}

void Adviser::Confide(int party, const Confidence& confidence) {
  PartyModel& model = models_[party];
  const std::vector<HeldLine> lines_before = model.red_lines();
  const double rv_before = model.reservation();
  model.Confide(confidence);
  const std::vector<HeldLine> lines_after = model.red_lines();
  bool same_lines = lines_before.size() == lines_after.size();
  for (size_t k = 0; same_lines && k < lines_after.size(); ++k)
    same_lines = lines_before[k].line == lines_after[k].line;
  if (!same_lines || rv_before != model.reservation()) relaxed_ = true;
}

void Adviser::Record(int party, const Action& action, const Objection& objection,
                     const Outcome* shown) {
  Answer& a = answers_[party];
  PartyModel& model = models_[party];
  a = Answer{};
  a.type = action.type;
  a.shown = shown != nullptr ? *shown : Outcome();
  a.demand = shown != nullptr ? *shown : text_;
  a.key = std::string(EventTypeName(action.type)) + "|" + std::string(action.text);
  if (action.outcome) {
    for (size_t i = 0; i < space_->issue_count(); ++i)
      a.key += fmt::format(",{}", action.outcome[i]);
  }
  if (improving_ && shown != nullptr &&
      (action.type == EventType::kAccept || action.type == EventType::kObject)) {
    std::vector<int> worse;
    for (const Objection::Item& item : objection.issues) worse.push_back(item.issue);
    a.named = worse;
    model.ObserveImprovement(visit_, stage_, *shown, agreed_, action.type == EventType::kAccept,
                             worse);
    return;
  }
  if (action.type == EventType::kAccept) {
    if (shown != nullptr) model.ObserveAccept(visit_, stage_, *shown);
    return;
  }
  if (action.type == EventType::kObject) {
    a.below_reservation = objection.below_reservation;
    model.ObserveObject(visit_, stage_, *shown, objection);
    const Tables& t = model.tables();
    for (const Objection::Item& item : objection.issues) {
      a.named.push_back(item.issue);
      // The least the party asks for on the issue: its least valued livable value, else its best.
      uint32_t v = t.BestValue(item.issue);
      for (uint32_t x : item.could_live_with) {
        if (t.contribution[item.issue][x] < t.contribution[item.issue][v]) v = x;
      }
      a.demand[item.issue] = v;
    }
    return;
  }
  // A counter-proposal: only the open issues count; the rest is the text's.
  Outcome counter = a.demand;
  for (int i : plan_->stages[stage_]) counter[i] = action.outcome[i];
  for (int i : plan_->stages[stage_]) {
    if (shown == nullptr || counter[i] != (*shown)[i]) a.named.push_back(i);
  }
  a.demand = counter;
  model.ObserveCounter(visit_, stage_, shown, counter);
}

void Adviser::HearMove(int party, const Action& action, const Outcome* shown) {
  if (action.type == EventType::kConfide) {
    Result<Confidence> c = ParseConfidence(*space_, action.text);
    if (c.ok()) Confide(party, *c);
    return;
  }
  if (action.type != EventType::kAccept && action.type != EventType::kObject &&
      action.type != EventType::kOffer) {
    return;
  }
  Objection objection;
  if (!CheckCaucusAnswer(*space_, *plan_, stage_, shown != nullptr, action, &objection).ok())
    return;  // The protocol refused it too.
  if (shown == nullptr && action.type != EventType::kOffer) return;
  Record(party, action, objection, shown);
}

std::vector<double> Adviser::Gap() const {
  const int n = party_count();
  std::vector<double> gap(n, 1.0);
  for (int k = 0; k < n; ++k) {
    const Answer& a = answers_[k];
    if (a.type == EventType::kNote) {  // Not seen this visit: as after the last one.
      if (!contributions_.empty()) gap[k] = contributions_.back()[k];
      continue;
    }
    if (a.shown.empty()) continue;
    if (a.type == EventType::kAccept) {
      gap[k] = 0;
      continue;
    }
    const Tables& t = models_[k].tables();
    double best = EffectiveIdeal(t, *plan_, stage_, a.shown.data());
    double range = std::max(best - models_[k].reservation(), 1e-9);
    double want = EffectiveUtility(t, *plan_, stage_, a.demand.data());
    double have = EffectiveUtility(t, *plan_, stage_, a.shown.data());
    gap[k] = std::clamp((want - have) / range, 0.0, 1.0);
  }
  return gap;
}

int Adviser::Settled() const {
  int settled = 0;
  for (int s = 0; s < stage_; ++s) settled += static_cast<int>(plan_->stages[s].size());
  if (!has_text_) return settled;
  for (int i : plan_->stages[stage_]) {
    bool contested = false;
    for (const Answer& a : answers_) {
      contested = contested || std::find(a.named.begin(), a.named.end(), i) != a.named.end();
    }
    if (!contested) ++settled;
  }
  return settled;
}

StatementFacts Adviser::Facts(MediationStatus status) const {
  StatementFacts facts;
  facts.visit = visit_;
  facts.status = status;
  facts.gap_now = gaps_.empty() ? 1.0 : gaps_.back();
  facts.gap_before = gaps_.size() >= 2 ? gaps_[gaps_.size() - 2] : facts.gap_now;
  facts.settled_issues = Settled();
  return facts;
}

// Every demand the mediator holds, or only the certain ones (confided red lines and reservation
// values, not inferred or estimated).
FormulaProblem Adviser::Problem(bool certain_only, bool known_reservations) const {
  FormulaProblem p;
  p.space = space_;
  p.plan = plan_;
  p.stage = stage_;
  p.settled = text_.data();
  p.criterion = options_.criterion;
  for (const PartyModel& m : models_) {
    PartyView v;
    v.tables = &m.tables();
    v.lines = m.red_lines();
    v.reservation = m.reservation();
    v.reservation_estimated = !m.exact();
    if (certain_only) {
      for (const HeldLine& line : v.lines) v.active.push_back(line.inferred ? 0 : 1);
    }
    if (certain_only || known_reservations) v.reservation_active = m.reservation_known();
    p.parties.push_back(std::move(v));
  }
  return p;
}

std::vector<bool> Adviser::Accepting() const {
  std::vector<bool> accepting;
  for (const Answer& a : answers_)
    accepting.push_back(has_text_ && a.type == EventType::kAccept && a.shown == text_);
  return accepting;
}

std::optional<Formula> Adviser::CoalitionFormula(std::optional<Criterion> criterion) const {
  FormulaProblem whole = Problem();
  if (criterion) whole.criterion = *criterion;
  std::optional<Formula> best;
  double best_value = -1;
  for (const std::vector<int>& members : coalitions_) {
    const FormulaProblem p = Restricted(whole, members);
    Result<Formula> f = FindFormula(p);
    if (!f.ok() || !f->found) continue;
    const double value = CriterionValue(p, f->utilities, f->ideals);
    if (!best || value > best_value) {
      best = *std::move(f);
      best_value = value;
    }
  }
  return best;
}

void Adviser::SendDiagnosis(Voice* voice) {
  const ImpasseDiagnosis& d = *diagnosis_;
  voice->Note(Audience::MediatorOnly(), DiagnosisJson(*space_, d, {}));
  for (int k = 0; k < party_count(); ++k)
    voice->Note(Audience::Caucus(k), DiagnosisJson(*space_, DiagnosisPartOf(d, k), {}));
}

// The formula for the open stage under every demand held; when there is none, the diagnosis is
// computed and `certain_conflict` says whether the confided demands alone conflict.
Formula Adviser::NextFormula(Voice* voice, bool* certain_conflict) {
  *certain_conflict = false;
  if (!coalitions_.empty()) {
    // Under a rule, the best coalition's formula; when no coalition has one, the whole table's
    // diagnosis below says what blocks it.
    if (std::optional<Formula> c = CoalitionFormula()) return *std::move(c);
  }
  Result<Formula> f = FindFormula(Problem());
  if (!f.ok()) {
    voice->Note(Audience::MediatorOnly(), "formula: " + f.status().message() + "; the text stands");
    Formula keep;
    keep.found = true;
    keep.outcome = text_;
    return keep;
  }
  if (f->found) return *f;
  diagnosis_.reset();
  Result<ImpasseDiagnosis> d = Diagnose(Problem());
  if (d.ok()) {
    diagnosis_ = *d;
    diagnosis_->stage = plan_->agenda_index[stage_];
  }
  Result<Formula> certain = FindFormula(Problem(true));
  *certain_conflict = certain.ok() && !certain->found;
  if (!*certain_conflict && certain.ok()) {
    // Only inferred or estimated demands conflict: talk on. Estimated reservation values are the
    // weakest; lower them all by the least common amount that opens a zone and propose that
    // formula, else the cheapest relaxation's text.
    Formula relaxed = *certain;
    const bool refused_outright = std::any_of(answers_.begin(), answers_.end(),
                                              [](const Answer& a) { return a.below_reservation; });
    if (has_text_ && TextAllowedByHeldLines() && !refused_outright) {
      relaxed.outcome = text_;  // Hold the text while the parties may still be conceding.
    } else if (std::optional<Formula> lowered = LoweredReservations()) {
      relaxed = *lowered;
    } else if (diagnosis_ && diagnosis_->formula) {
      relaxed.outcome = *diagnosis_->formula;
    }
    relaxed.found = false;
    return relaxed;
  }
  return *f;
}

bool Adviser::TextAllowedByHeldLines() const {
  for (const PartyModel& m : models_) {
    if (!AllowsText(m.tables(), *plan_, stage_, text_.data())) return false;
  }
  return true;
}

// The formula with every estimated reservation value lowered by the smallest common amount (to
// 1e-3) that leaves a zone, red lines kept; nullopt when even dropping them leaves none.
std::optional<Formula> Adviser::LoweredReservations() const {
  auto at = [&](double delta) -> std::optional<Formula> {
    FormulaProblem p = Problem();
    for (size_t k = 0; k < p.parties.size(); ++k) {
      if (!models_[k].reservation_known()) p.parties[k].reservation -= delta;
    }
    Result<Formula> f = FindFormula(p);
    if (!f.ok() || !f->found) return std::nullopt;
    return *f;
  };
  std::optional<Formula> best = at(1e6);
  if (!best) return std::nullopt;
  double lo = 0, hi = 1e6;
  for (int step = 0; step < 40 && hi - lo > 1e-3; ++step) {
    double mid = hi > 4 ? hi / 4 : 0.5 * (lo + hi);
    if (std::optional<Formula> f = at(mid)) {
      hi = mid;
      best = std::move(f);
    } else {
      lo = mid;
    }
  }
  return best;
}

void Adviser::End(Voice* voice, MediationStatus status, const std::string& reason) {
  voice->Statement(PublicStatement(Facts(status)));
  voice->Finish(status, reason);
}

// Every party accepted the text: the open stage is settled. True when the talks are over or the
// mediator now looks for an improvement on the agreement.
bool Adviser::AgreeStage(Voice* voice) {
  coalition_ = Accepting();
  voice->Settle(text_);
  if (stage_ + 1 == static_cast<int>(plan_->stages.size())) {
    std::optional<Outcome> next;
    if (options_.helm && options_.improve_visits > 0 && !AtVisitLimit()) {
      Improving(text_);
      improve_left_ = options_.improve_visits;
      next = NextImprovement();
    }
    if (!next) {
      End(voice, MediationStatus::kAgreement, "agreement");
      return true;
    }
    NextVisit(voice, *std::move(next));
    return true;
  }
  ++stage_;
  stage_start_ = visit_ + 1;
  brink_ = false;
  diagnosis_.reset();
  return false;
}

void Adviser::Improving(const Outcome& agreed) {
  improving_ = true;
  agreed_ = agreed;
  text_ = agreed;
  has_text_ = true;
}

// The next improvement to put: an outcome every party should prefer to the agreement by
// kImproveMargin (on its range scale, or in utility for a confided profile) in a hopeful reading of
// its model, where each value other than the agreement's loses halfway between its estimate and the
// least its bracket allows (after agreement a wrong guess costs one refusal, and the refusal is
// learned). First the criterion's point with each party's utility of the agreement as its
// reservation value (the gain split by the criterion); when the models give no new one, the change
// of one or two open issues with the largest product of hopeful gains. None when nothing new is
// left.
std::optional<Outcome> Adviser::NextImprovement() {
  constexpr double kImproveMargin = 0.01;
  constexpr double kHope = 0.5;
  const Outcome keep = text_;
  text_ = agreed_;  // The settled values of earlier stages.
  FormulaProblem p = Problem();
  // Only the parties who accepted the agreement must gain; the others need nothing.
  std::vector<int> members;
  for (int k = 0; k < party_count(); ++k) {
    if (coalition_[k]) members.push_back(k);
  }
  std::vector<Tables> hopeful(p.parties.size());
  std::vector<double> base(p.parties.size());  // Each party's hopeful utility of the agreement.
  for (size_t k = 0; k < p.parties.size(); ++k) {
    const PartyModel& m = models_[k];
    hopeful[k] = m.tables();
    if (!m.exact() && !m.loss_low().empty()) {
      for (size_t i = 0; i < hopeful[k].contribution.size(); ++i) {
        for (size_t v = 0; v < hopeful[k].contribution[i].size(); ++v) {
          if (v == agreed_[i]) continue;
          const double loss = m.losses()[i][v];
          hopeful[k].contribution[i][v] += kHope * (loss - std::min(loss, m.loss_low()[i][v]));
        }
      }
    }
    p.parties[k].tables = &hopeful[k];
    base[k] = EffectiveUtility(hopeful[k], *plan_, stage_, agreed_.data());
    p.parties[k].reservation = base[k] + kImproveMargin;
    p.parties[k].reservation_active = true;
  }
  p = Restricted(std::move(p), members);
  Result<Formula> f = FindFormula(p);
  text_ = keep;
  auto fresh = [&](const Outcome& o) {
    return o != agreed_ && std::find(tried_.begin(), tried_.end(), o) == tried_.end();
  };
  if (f.ok() && f->found && fresh(f->outcome)) {
    tried_.push_back(f->outcome);
    return f->outcome;
  }
  auto gain_product = [&](const Outcome& o, double* product) {
    *product = 1;
    for (int k : members) {
      const Tables& t = hopeful[k];
      if (!AllowsText(t, *plan_, stage_, o.data())) return false;
      const double g = EffectiveUtility(t, *plan_, stage_, o.data()) - base[k];
      if (g < kImproveMargin) return false;
      *product *= g;
    }
    return true;
  };
  std::vector<std::pair<int, uint32_t>> moves;
  for (int i : plan_->stages[stage_]) {
    for (uint32_t v = 0; v < space_->issue(i).size(); ++v) {
      if (v != agreed_[i]) moves.emplace_back(i, v);
    }
  }
  std::optional<Outcome> best;
  double best_product = 0;
  for (size_t a = 0; a < moves.size(); ++a) {
    for (size_t b = a; b < moves.size(); ++b) {
      if (b != a && moves[b].first == moves[a].first) continue;
      Outcome o = agreed_;
      o[moves[a].first] = moves[a].second;
      o[moves[b].first] = moves[b].second;
      double product = 0;
      if (fresh(o) && gain_product(o, &product) && product > best_product) {
        best = std::move(o);
        best_product = product;
      }
    }
  }
  if (best) tried_.push_back(*best);
  return best;
}

// A visit with an improvement on the table: adopted when every party accepted it; then, while
// visits are left, the next one the refitted models find, else the talks close on the agreement.
void Adviser::ImproveVisit(Voice* voice) {
  // Every party who accepted the agreement accepts the improvement (under unanimity: every party).
  const std::vector<bool> accepting = Accepting();
  bool all_accept = true;
  for (int k = 0; k < party_count(); ++k)
    all_accept = all_accept && (accepting[k] || !coalition_[k]);
  // The gap is closed: an agreement stands.
  contributions_.emplace_back(party_count(), 0.0);
  gaps_.push_back(0);
  voice->EndRound(GapNoteJson(visit_, 0, contributions_.back()));
  if (all_accept) {
    voice->Settle(text_);
    agreed_ = text_;
    coalition_ = accepting;
  }
  std::optional<Outcome> next;
  if (--improve_left_ > 0 && !AtVisitLimit()) next = NextImprovement();
  if (!next) {
    text_ = agreed_;
    End(voice, MediationStatus::kAgreement, "agreement");
    return;
  }
  NextVisit(voice, *std::move(next));
}

// After agreement, the visit ends with a statement and the next one puts `improvement`.
void Adviser::NextVisit(Voice* voice, Outcome improvement) {
  voice->Statement(PublicStatement(Facts(MediationStatus::kTalking)));
  ++visit_;
  text_ = std::move(improvement);
  answers_.assign(party_count(), Answer{});
}

// The mean of the contributions over the parties a deal needs: every party under unanimity;
// under a rule, the coalition that satisfies it nearest to agreement (the required parties and
// the others with the smallest gaps), so that a party a deal can do without does not hold the
// public figure up.
double Adviser::PublicGap(const std::vector<double>& gap) const {
  const AgreementRule& rule = options_.rule;
  if (rule.unanimous())
    return std::accumulate(gap.begin(), gap.end(), 0.0) / static_cast<double>(gap.size());
  const int n = static_cast<int>(gap.size());
  const int needed = std::min(n, rule.Needed(n));
  std::vector<bool> required(n, false);
  double sum = 0;
  int in = 0;
  for (int k : rule.required) {
    if (k < 0 || k >= n || required[k]) continue;
    required[k] = true;
    sum += gap[k];
    ++in;
  }
  std::vector<double> others;
  for (int k = 0; k < n; ++k) {
    if (!required[k]) others.push_back(gap[k]);
  }
  std::sort(others.begin(), others.end());
  for (size_t j = 0; j < others.size() && in < needed; ++j, ++in) sum += others[j];
  return in > 0 ? sum / in : 0.0;
}

void Adviser::EndVisit(Voice* voice) {
  for (PartyModel& m : models_) m.Fit();
  if (improving_) {
    ImproveVisit(voice);
    return;
  }
  std::vector<double> gap = Gap();
  const double mean = PublicGap(gap);
  contributions_.push_back(gap);
  gaps_.push_back(mean);
  voice->EndRound(GapNoteJson(visit_, mean, gap));

  std::vector<std::string> keys;
  for (const Answer& a : answers_) keys.push_back(a.key);
  frozen_ = has_text_ && keys == last_keys_ && text_ == last_text_ ? frozen_ + 1 : 0;
  last_keys_ = std::move(keys);
  last_text_ = text_;

  // Every party, or the parties the agreement rule needs.
  const bool all_accept = has_text_ && options_.rule.SatisfiedBy(Accepting());
  if (all_accept && AgreeStage(voice)) return;

  bool certain_conflict = false;
  bool diagnosis_sent = false;
  Formula next = NextFormula(voice, &certain_conflict);
  if (next.found) {
    brink_ = false;
    stuck_ = 0;
    diagnosis_.reset();
  } else if (certain_conflict || !diagnosis_) {
    // The confided demands conflict: warn each party with its part, then one more visit.
    if (diagnosis_) {
      SendDiagnosis(voice);
      diagnosis_sent = true;
    }
    // Impasse when nobody moved since the warning; a party who changed its demands gets another.
    if ((brink_ && !relaxed_) || !diagnosis_) {
      End(voice, MediationStatus::kImpasse, "impasse");
      return;
    }
    brink_ = true;
    if (diagnosis_->formula) next.outcome = *diagnosis_->formula;
  } else if (++stuck_ >= std::max(1, options_.stall_visits) && frozen_ >= options_.stall_visits &&
             visit_ - stage_start_ >= 2 * options_.patience) {
    // What the mediator learned conflicts, has for stall_visits visits, the parties no longer move,
    // and they have had twice the time the mediator expects them to need: the talks are stuck.
    SendDiagnosis(voice);
    End(voice, MediationStatus::kImpasse, "impasse");
    return;
  }
  if (AtVisitLimit()) {
    // Out of time while demands conflict: each party still learns its own part of the diagnosis.
    if (diagnosis_ && !diagnosis_sent) SendDiagnosis(voice);
    End(voice, MediationStatus::kImpasse, "visit limit");
    return;
  }
  voice->Statement(PublicStatement(Facts(MediationStatus::kTalking)));
  ++visit_;
  if (!next.outcome.empty()) {
    text_ = next.outcome;
    has_text_ = true;
  }
  answers_.assign(party_count(), Answer{});
  relaxed_ = false;
}

}  // namespace shuttle::mediation_internal
