// The shuttle mediator's state machine. One visit = one caucus per party in order; the mediator's
// work happens when the last caucus of a visit closes (EndVisit). Every event a caucus produces has
// the audience of that caucus; what leaves a caucus is only the mediator's own text, its public
// statement, and each party's own share of a diagnosis.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "mediation/agenda.h"
#include "mediation/diagnosis.h"
#include "mediation/formula.h"
#include "mediation/messages.h"
#include "mediation/party_model.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_internal::AgendaPlan;
using mediation_internal::Confidence;
using mediation_internal::Formula;
using mediation_internal::FormulaProblem;
using mediation_internal::Objection;
using mediation_internal::PartyModel;
using mediation_internal::PartyView;
using mediation_internal::Role;
using mediation_internal::Tables;

// A party's answer in the current visit.
struct Answer {
  EventType type = EventType::kNote;  // kNote: none yet.
  std::vector<int> named;  // kObject: issues named; kOffer: issues that differ from the text.
  Outcome demand;          // What the party asks for instead of the text (model view).
  std::string key;         // The answer itself (type, text, outcome), to detect repeats.
  bool below_reservation = false;  // The party said the text is worse than no agreement.
};

class ShuttleMediator final : public Mediator {
 public:
  ShuttleMediator(const OutcomeSpace* space, int parties, const MediationOptions& options,
                  AgendaPlan plan)
      : Mediator(space, parties, ProtocolFor(options)), options_(options), plan_(std::move(plan)) {
    for (int k = 0; k < parties; ++k) {
      mediation_internal::ModelOptions mo;
      mo.red_line_evidence = options.red_line_evidence;
      mo.patience = options.patience;
      mo.max_visits = options.max_visits;
      models_.emplace_back(space, &plan_, mo);
    }
    answers_.assign(parties, Answer{});
    text_.assign(space->issue_count(), 0);
  }

  void Start(EventLog* log) override;
  Turn NextTurn() const override;
  Status Apply(const Action& action, double t, EventLog* log) override;
  void Expire(double t, EventLog* log) override;
  std::span<const AudienceRule> audiences() const override {
    // Everything a party says, and everything the mediator says to it, stays in its caucus; the
    // mediator's notes (gap contributions, the whole diagnosis) are for the mediator alone; only
    // the start, the statement and the end are public.
    static constexpr AudienceRule kRules[] = {
        {EventType::kStart, kSystem, AudienceKind::kPublic},
        {EventType::kPropose, kMediator, AudienceKind::kCaucus},
        {EventType::kConfide, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAccept, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kObject, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kOffer, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kEnd, AudienceRule::kAnyParty, AudienceKind::kCaucus},
        {EventType::kAdopt, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kCaucus},
        {EventType::kNote, kMediator, AudienceKind::kMediator},
        {EventType::kStatement, kMediator, AudienceKind::kPublic},
        {EventType::kAgreement, kSystem, AudienceKind::kPublic},
        {EventType::kNoAgreement, kSystem, AudienceKind::kPublic},
    };
    return kRules;
  }
  bool done() const override { return done_; }
  const uint32_t* agreement() const override { return agreed_ ? text_.data() : nullptr; }
  int round() const override { return visit_ - 1 + (done_ ? 1 : 0); }

  int visit() const override { return visit_; }
  MediationStatus status() const override { return status_; }
  int stage() const override { return plan_.agenda_index[stage_]; }
  const uint32_t* text() const override { return has_text_ ? text_.data() : nullptr; }
  const std::vector<double>& gap_by_visit() const override { return gaps_; }
  const std::vector<std::vector<double>>& gap_contributions() const override {
    return contributions_;
  }
  const std::optional<ImpasseDiagnosis>& diagnosis() const override { return diagnosis_; }
  const std::string& end_reason() const override { return end_reason_; }

 private:
  static ProtocolOptions ProtocolFor(const MediationOptions& o) {
    ProtocolOptions p;
    p.rounds = o.max_visits;
    p.seed = o.seed;
    return p;
  }

  void Emit(EventLog* log, EventType type, Audience audience, int32_t actor, double t,
            const uint32_t* outcome, std::string_view text, int32_t value = 0) {
    Event e;
    e.type = type;
    e.audience = audience;
    e.actor = actor;
    e.round = visit_ - 1;
    e.time = t;
    e.value = value;
    log->Append(e, outcome, text);
  }
  void Propose(double t, EventLog* log) {
    Emit(log, EventType::kPropose, Audience::Caucus(caucus_), kMediator, t,
         has_text_ ? text_.data() : nullptr, mediation_internal::ProposeJson(visit_, stage()));
  }

  Status CheckAnswer(const Action& action, Objection* objection) const;
  void Record(const Action& action, const Objection& objection);
  void EndVisit(double t, EventLog* log);
  std::vector<double> Gap() const;
  int Settled() const;
  FormulaProblem Problem(bool certain_only = false, bool known_reservations = false) const;
  Formula NextFormula(double t, EventLog* log, bool* certain_conflict);
  std::optional<Formula> LoweredReservations() const;
  bool TextAllowedByHeldLines() const;
  void SendDiagnosis(double t, EventLog* log);
  void Finish(double t, EventLog* log, MediationStatus status, const std::string& reason);
  void Statement(double t, EventLog* log);
  bool AgreeStage(double t, EventLog* log);

  MediationOptions options_;
  AgendaPlan plan_;
  std::vector<PartyModel> models_;
  std::vector<Answer> answers_;
  Outcome text_;
  bool has_text_ = false;
  int visit_ = 1;
  int caucus_ = 0;
  int confides_ = 0;
  int stage_ = 0;
  bool brink_ = false;
  int stuck_ = 0;         // Consecutive visits without a zone under the uncertain demands.
  bool relaxed_ = false;  // A party changed its confided red lines or reservation value this visit.
  int frozen_ = 0;
  int stage_start_ = 1;  // Visit at which the open stage opened.  // Consecutive visits in which
                         // the text and every answer repeated the last ones.
  std::vector<std::string> last_keys_;
  Outcome last_text_;
  bool done_ = false;
  bool agreed_ = false;
  MediationStatus status_ = MediationStatus::kTalking;
  std::string end_reason_;
  std::vector<double> gaps_;
  std::vector<std::vector<double>> contributions_;
  std::optional<ImpasseDiagnosis> diagnosis_;
};

void ShuttleMediator::Start(EventLog* log) {
  Emit(log, EventType::kStart, Audience::Public(), kSystem, 0, nullptr,
       mediation_internal::StartJson(party_count(), options_));
  Propose(0, log);
}

Turn ShuttleMediator::NextTurn() const {
  Turn turn;
  if (done_) return turn;
  turn.kind = Turn::Kind::kCaucus;
  turn.actor = caucus_;
  turn.standing = has_text_ ? text_.data() : nullptr;
  return turn;
}

Status ShuttleMediator::CheckAnswer(const Action& action, Objection* objection) const {
  switch (action.type) {
    case EventType::kAccept:
    case EventType::kEnd: return Status::Ok();
    case EventType::kObject: {
      if (!has_text_)
        return Status::FailedPrecondition(
            "there is no text to object to yet: counter-propose or confide");
      SHUTTLE_ASSIGN_OR_RETURN(*objection,
                               mediation_internal::ParseObjection(space(), action.text));
      for (const Objection::Item& item : objection->issues) {
        if (plan_.RoleAt(stage_, item.issue) != Role::kOpen) {
          return Status::InvalidArgument(
              fmt::format("issue '{}' is not on the table", space().issue(item.issue).name()));
        }
      }
      return Status::Ok();
    }
    case EventType::kOffer: {
      if (action.outcome == nullptr)
        return Status::InvalidArgument("a counter-proposal needs an outcome");
      Outcome o(action.outcome, action.outcome + space().issue_count());
      return space().Validate(o).WithContext("counter-proposal");
    }
    default:
      return Status::FailedPrecondition(fmt::format(
          "in caucus a party may confide, accept, object, counter-propose or end, not '{}'",
          EventTypeName(action.type)));
  }
}

Status ShuttleMediator::Apply(const Action& action, double t, EventLog* log) {
  if (done_) return Status::FailedPrecondition("the mediation is over");
  if (action.actor != caucus_) {
    return Status::FailedPrecondition(fmt::format(
        "party {} is not in caucus (the mediator is with party {})", action.actor, caucus_));
  }
  const Audience caucus = Audience::Caucus(caucus_);
  if (action.type == EventType::kConfide) {
    if (confides_ >= options_.max_confidences_per_caucus) {
      return Status::FailedPrecondition("too many confidences in one caucus: answer the text");
    }
    SHUTTLE_ASSIGN_OR_RETURN(Confidence c,
                             mediation_internal::ParseConfidence(space(), action.text));
    Emit(log, EventType::kConfide, caucus, action.actor, t, nullptr, action.text);
    const std::vector<mediation_internal::HeldLine> lines_before = models_[caucus_].red_lines();
    const double rv_before = models_[caucus_].reservation();
    models_[caucus_].Confide(c);
    ++confides_;
    const std::vector<mediation_internal::HeldLine> lines_after = models_[caucus_].red_lines();
    bool same_lines = lines_before.size() == lines_after.size();
    for (size_t k = 0; same_lines && k < lines_after.size(); ++k)
      same_lines = lines_before[k].line == lines_after[k].line;
    if (!same_lines || rv_before != models_[caucus_].reservation()) relaxed_ = true;
    return Status::Ok();
  }
  Objection objection;
  SHUTTLE_RETURN_IF_ERROR(CheckAnswer(action, &objection));
  const bool has_outcome = action.type == EventType::kOffer;
  Emit(log, action.type, caucus, action.actor, t, has_outcome ? action.outcome : nullptr,
       action.text, action.value);
  if (action.type == EventType::kEnd) {
    status_ = MediationStatus::kImpasse;
    Statement(t, log);
    Finish(t, log, MediationStatus::kImpasse, "walk-out");
    return Status::Ok();
  }
  Record(action, objection);
  confides_ = 0;
  if (++caucus_ < party_count()) {
    Propose(t, log);
    return Status::Ok();
  }
  EndVisit(t, log);
  return Status::Ok();
}

void ShuttleMediator::Record(const Action& action, const Objection& objection) {
  Answer& a = answers_[caucus_];
  PartyModel& model = models_[caucus_];
  a = Answer{};
  a.type = action.type;
  a.demand = text_;
  a.key = std::string(EventTypeName(action.type)) + "|" + std::string(action.text);
  if (action.outcome) {
    for (size_t i = 0; i < space().issue_count(); ++i)
      a.key += fmt::format(",{}", action.outcome[i]);
  }
  if (action.type == EventType::kAccept) {
    if (has_text_) model.ObserveAccept(visit_, stage_, text_);
    return;
  }
  if (action.type == EventType::kObject) {
    a.below_reservation = objection.below_reservation;
    model.ObserveObject(visit_, stage_, text_, objection);
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
  Outcome counter = text_;
  for (int i : plan_.stages[stage_]) counter[i] = action.outcome[i];
  for (int i : plan_.stages[stage_]) {
    if (!has_text_ || counter[i] != text_[i]) a.named.push_back(i);
  }
  a.demand = counter;
  model.ObserveCounter(visit_, stage_, has_text_ ? &text_ : nullptr, counter);
}

std::vector<double> ShuttleMediator::Gap() const {
  std::vector<double> gap(party_count(), 1.0);
  if (!has_text_) return gap;
  for (int k = 0; k < party_count(); ++k) {
    const Answer& a = answers_[k];
    if (a.type == EventType::kAccept) {
      gap[k] = 0;
      continue;
    }
    const Tables& t = models_[k].tables();
    double best = mediation_internal::EffectiveIdeal(t, plan_, stage_, text_.data());
    double range = std::max(best - models_[k].reservation(), 1e-9);
    double want = mediation_internal::EffectiveUtility(t, plan_, stage_, a.demand.data());
    double have = mediation_internal::EffectiveUtility(t, plan_, stage_, text_.data());
    gap[k] = std::clamp((want - have) / range, 0.0, 1.0);
  }
  return gap;
}

int ShuttleMediator::Settled() const {
  int settled = 0;
  for (int s = 0; s < stage_; ++s) settled += static_cast<int>(plan_.stages[s].size());
  if (!has_text_) return settled;
  for (int i : plan_.stages[stage_]) {
    bool contested = false;
    for (const Answer& a : answers_) {
      contested = contested || std::find(a.named.begin(), a.named.end(), i) != a.named.end();
    }
    if (!contested) ++settled;
  }
  return settled;
}

// Every demand the mediator holds, or only the certain ones (confided red lines and reservation
// values, not inferred or estimated).
FormulaProblem ShuttleMediator::Problem(bool certain_only, bool known_reservations) const {
  FormulaProblem p;
  p.space = &space();
  p.plan = &plan_;
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
      for (const mediation_internal::HeldLine& line : v.lines)
        v.active.push_back(line.inferred ? 0 : 1);
    }
    if (certain_only || known_reservations) v.reservation_active = m.reservation_known();
    p.parties.push_back(std::move(v));
  }
  return p;
}

void ShuttleMediator::SendDiagnosis(double t, EventLog* log) {
  const ImpasseDiagnosis& d = *diagnosis_;
  Emit(log, EventType::kNote, Audience::MediatorOnly(), kMediator, t, nullptr,
       DiagnosisJson(space(), d, {}));
  for (int k = 0; k < party_count(); ++k) {
    Emit(log, EventType::kNote, Audience::Caucus(k), kMediator, t, nullptr,
         DiagnosisJson(space(), DiagnosisPartOf(d, k), {}));
  }
}

// The formula for the open stage under every demand held; when there is none, the diagnosis is
// computed and `certain_conflict` says whether the confided demands alone conflict.
Formula ShuttleMediator::NextFormula(double t, EventLog* log, bool* certain_conflict) {
  *certain_conflict = false;
  Result<Formula> f = mediation_internal::FindFormula(Problem());
  if (!f.ok()) {
    Emit(log, EventType::kNote, Audience::MediatorOnly(), kMediator, t, nullptr,
         "formula: " + f.status().message() + "; the text stands");
    Formula keep;
    keep.found = true;
    keep.outcome = text_;
    return keep;
  }
  if (f->found) return *f;
  diagnosis_.reset();
  Result<ImpasseDiagnosis> d = mediation_internal::Diagnose(Problem());
  if (d.ok()) {
    diagnosis_ = *d;
    diagnosis_->stage = stage();
  }
  Result<Formula> certain = mediation_internal::FindFormula(Problem(true));
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

bool ShuttleMediator::TextAllowedByHeldLines() const {
  for (const PartyModel& m : models_) {
    if (!mediation_internal::AllowsText(m.tables(), plan_, stage_, text_.data())) return false;
  }
  return true;
}

// The formula with every estimated reservation value lowered by the smallest common amount (to
// 1e-3) that leaves a zone, red lines kept; nullopt when even dropping them leaves none.
std::optional<Formula> ShuttleMediator::LoweredReservations() const {
  auto at = [&](double delta) -> std::optional<Formula> {
    FormulaProblem p = Problem();
    for (size_t k = 0; k < p.parties.size(); ++k) {
      if (!models_[k].reservation_known()) p.parties[k].reservation -= delta;
    }
    Result<Formula> f = mediation_internal::FindFormula(p);
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

void ShuttleMediator::Statement(double t, EventLog* log) {
  StatementFacts facts;
  facts.visit = visit_;
  facts.status = status_;
  facts.gap_now = gaps_.empty() ? 1.0 : gaps_.back();
  facts.gap_before = gaps_.size() >= 2 ? gaps_[gaps_.size() - 2] : facts.gap_now;
  facts.settled_issues = Settled();
  Emit(log, EventType::kStatement, Audience::Public(), kMediator, t, nullptr,
       PublicStatement(facts));
}

void ShuttleMediator::Finish(double t, EventLog* log, MediationStatus status,
                             const std::string& reason) {
  status_ = status;
  end_reason_ = reason;
  done_ = true;
  if (status == MediationStatus::kAgreement) {
    Emit(log, EventType::kAgreement, Audience::Public(), kSystem, t, text_.data(), "agreement");
  } else {
    Emit(log, EventType::kNoAgreement, Audience::Public(), kSystem, t, nullptr, reason);
  }
}

// Every party accepted the text: the open stage is settled. True when the talks are over.
bool ShuttleMediator::AgreeStage(double t, EventLog* log) {
  for (int k = 0; k < party_count(); ++k) {
    Emit(log, EventType::kAdopt, Audience::Caucus(k), kMediator, t, text_.data(),
         mediation_internal::ProposeJson(visit_, stage()));
  }
  if (stage_ + 1 == static_cast<int>(plan_.stages.size())) {
    status_ = MediationStatus::kAgreement;
    agreed_ = true;
    Statement(t, log);
    Finish(t, log, MediationStatus::kAgreement, "agreement");
    return true;
  }
  ++stage_;
  stage_start_ = visit_ + 1;
  brink_ = false;
  diagnosis_.reset();
  return false;
}

void ShuttleMediator::EndVisit(double t, EventLog* log) {
  for (PartyModel& m : models_) m.Fit();
  std::vector<double> gap = Gap();
  double mean = std::accumulate(gap.begin(), gap.end(), 0.0) / static_cast<double>(gap.size());
  contributions_.push_back(gap);
  gaps_.push_back(mean);
  Emit(log, EventType::kNote, Audience::MediatorOnly(), kMediator, t, nullptr,
       mediation_internal::GapNoteJson(visit_, mean, gap));

  std::vector<std::string> keys;
  for (const Answer& a : answers_) keys.push_back(a.key);
  frozen_ = has_text_ && keys == last_keys_ && text_ == last_text_ ? frozen_ + 1 : 0;
  last_keys_ = std::move(keys);
  last_text_ = text_;

  bool all_accept = has_text_ && std::all_of(answers_.begin(), answers_.end(), [](const Answer& a) {
                      return a.type == EventType::kAccept;
                    });
  if (all_accept && AgreeStage(t, log)) return;

  bool certain_conflict = false;
  bool diagnosis_sent = false;
  Formula next = NextFormula(t, log, &certain_conflict);
  if (next.found) {
    brink_ = false;
    stuck_ = 0;
    diagnosis_.reset();
  } else if (certain_conflict || !diagnosis_) {
    // The confided demands conflict: warn each party with its part, then one more visit.
    if (diagnosis_) {
      SendDiagnosis(t, log);
      diagnosis_sent = true;
    }
    // Impasse when nobody moved since the warning; a party who changed its demands gets another.
    if ((brink_ && !relaxed_) || !diagnosis_) {
      status_ = MediationStatus::kImpasse;
      Statement(t, log);
      Finish(t, log, MediationStatus::kImpasse, "impasse");
      return;
    }
    brink_ = true;
    if (diagnosis_->formula) next.outcome = *diagnosis_->formula;
  } else if (++stuck_ >= std::max(1, options_.stall_visits) && frozen_ >= options_.stall_visits &&
             visit_ - stage_start_ >= 2 * options_.patience) {
    // What the mediator learned conflicts, has for stall_visits visits, the parties no longer move,
    // and they have had twice the time the mediator expects them to need: the talks are stuck.
    SendDiagnosis(t, log);
    status_ = MediationStatus::kImpasse;
    Statement(t, log);
    Finish(t, log, MediationStatus::kImpasse, "impasse");
    return;
  }
  if (options_.max_visits > 0 && visit_ >= options_.max_visits) {
    // Out of time while demands conflict: each party still learns its own part of the diagnosis.
    if (diagnosis_ && !diagnosis_sent) SendDiagnosis(t, log);
    status_ = MediationStatus::kImpasse;
    Statement(t, log);
    Finish(t, log, MediationStatus::kImpasse, "visit limit");
    return;
  }
  Statement(t, log);
  ++visit_;
  caucus_ = 0;
  if (!next.outcome.empty()) {
    text_ = next.outcome;
    has_text_ = true;
  }
  answers_.assign(party_count(), Answer{});
  relaxed_ = false;
  Propose(t, log);
}

void ShuttleMediator::Expire(double t, EventLog* log) {
  if (done_) return;
  status_ = MediationStatus::kImpasse;
  end_reason_ = "deadline";
  done_ = true;
  Emit(log, EventType::kNoAgreement, Audience::Public(), kSystem, t, nullptr, "deadline");
}

}  // namespace

Result<std::unique_ptr<Mediator>> MakeMediator(const OutcomeSpace* space, int party_count,
                                               const MediationOptions& options) {
  if (party_count < 2)
    return Status::InvalidArgument(
        fmt::format("a mediation needs two parties or more, not {}", party_count));
  for (const Issue& issue : space->issues()) {
    if (!issue.finite()) {
      return Status::FailedPrecondition(
          fmt::format("issue '{}' is continuous: discretize it first", issue.name()));
    }
  }
  if (options.max_visits < 0) return Status::InvalidArgument("max_visits must be >= 0");
  if (options.red_line_evidence < 1)
    return Status::InvalidArgument("red_line_evidence must be >= 1");
  if (options.stall_visits < 0) return Status::InvalidArgument("stall_visits must be >= 0");
  if (options.patience < 1) return Status::InvalidArgument("patience must be >= 1");
  if (options.max_confidences_per_caucus < 0)
    return Status::InvalidArgument("max_confidences_per_caucus must be >= 0");
  SHUTTLE_ASSIGN_OR_RETURN(AgendaPlan plan, mediation_internal::PlanAgenda(*space, options.agenda));
  return std::unique_ptr<Mediator>(
      new ShuttleMediator(space, party_count, options, std::move(plan)));
}

}  // namespace shuttle
