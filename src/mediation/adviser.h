// Private to the mediation module: what the mediator's seat knows and how the engine's mediator
// decides. An Adviser is a function of the mediator's view of the talks: the confidences and
// answers it is told, in order, and the texts it put. It holds one model per party (party_model.h),
// the answers of the current visit, the text, the gap history, the brink, and the diagnosis.
//
// Two players use it: the engine's own protocol of the talks without a mediator's seat
// (mediator.cc, which emits what it decides as its events) and the engine's player of the
// mediator's seat (helm.cc, which turns the same decisions into the seat's moves), so both run one
// policy.
#ifndef SHUTTLE_SRC_MEDIATION_ADVISER_H_
#define SHUTTLE_SRC_MEDIATION_ADVISER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mediation/agenda.h"
#include "mediation/formula.h"
#include "mediation/messages.h"
#include "mediation/party_model.h"
#include "shuttle/event.h"
#include "shuttle/mediation.h"

namespace shuttle::mediation_internal {

// How the adviser's end-of-visit decisions are said. Called in the order of today's protocol.
class Voice {
 public:
  virtual ~Voice() = default;
  // The note on the gap that ends the visit (the mediator's alone).
  virtual void EndRound(std::string_view gap_note) = 0;
  // A note to the mediator alone (audience kMediator) or to one party (a caucus audience).
  virtual void Note(Audience audience, std::string_view text) = 0;
  // Every party accepted `text`: the open stage is settled on it.
  virtual void Settle(const Outcome& text) = 0;
  virtual void Statement(std::string_view text) = 0;
  // The talks end (kAgreement on the text, or without agreement for `reason`).
  virtual void Finish(MediationStatus status, const std::string& reason) = 0;
};

// The protocol options of a mediation: rounds = max_visits, the seed.
inline ProtocolOptions ProtocolOptionsOf(const MediationOptions& o) {
  ProtocolOptions p;
  p.rounds = o.max_visits;
  p.seed = o.seed;
  return p;
}

// Checks a party's answer in caucus (kAccept, kEnd, kObject with issues of the open stage `stage`,
// kOffer with an outcome of the space) and parses an objection into *objection. `has_text`: there
// is a text to object to.
Status CheckCaucusAnswer(const OutcomeSpace& space, const AgendaPlan& plan, int stage,
                         bool has_text, const Action& action, Objection* objection);

}  // namespace shuttle::mediation_internal

namespace shuttle {
// The shuttle protocol with a mediator's seat (helm.cc); MakeMediator's choice for options.helm.
Result<std::unique_ptr<Mediator>> MakeHelmMediator(const OutcomeSpace* space, int party_count,
                                                   const MediationOptions& options,
                                                   mediation_internal::AgendaPlan plan);
}  // namespace shuttle

namespace shuttle::mediation_internal {

class Adviser {
 public:
  Adviser(const OutcomeSpace* space, int parties, const MediationOptions& options,
          const AgendaPlan* plan);

  int party_count() const { return static_cast<int>(models_.size()); }
  int visit() const { return visit_; }
  // Index into plan->stages of the open stage.
  int stage() const { return stage_; }
  bool has_text() const { return has_text_; }
  const Outcome& text() const { return text_; }
  const std::vector<double>& gaps() const { return gaps_; }
  const std::vector<std::vector<double>>& contributions() const { return contributions_; }
  const std::optional<ImpasseDiagnosis>& diagnosis() const { return diagnosis_; }
  const PartyModel& model(int party) const { return models_[party]; }

  // A confidence of `party`.
  void Confide(int party, const Confidence& confidence);
  // `party`'s answer to a question, asked while `shown` (null: no complete text) was on the table:
  // a livable value is an accepted text with that value; a ranking and a stated red line are
  // confided.
  void Hear(int party, const Question& question, const Reply& reply, const Outcome* shown);
  // `party`'s answer (kAccept, kObject with `objection`, kOffer) to `shown` (null: no text yet).
  void Record(int party, const Action& action, const Objection& objection, const Outcome* shown);
  // A move `party` made in caucus, as the mediator heard it (a logged event's ActionOf), with the
  // complete text it was answering (null: none, or a partial one): a confidence is confided; an
  // answer the protocol would take is recorded, except an accept or objection without a complete
  // text, which says nothing the models can read. Anything else is ignored.
  void HearMove(int party, const Action& action, const Outcome* shown);
  // The visit is over: refit the models, compute the gap, and decide (settle, warn, end, the next
  // text), saying it through `voice`. Afterwards text() is the next visit's text unless finished.
  // The public gap of a visit from the parties' contributions (README, "The gap").
  double PublicGap(const std::vector<double>& gap) const;
  void EndVisit(Voice* voice);
  // The public facts of a statement with `status` after the last visit.
  StatementFacts Facts(MediationStatus status) const;

  // For a replay of a seat's view (Advise): the visit now under way; a complete text put; a stage
  // agreed on `agreed`, the next opening at visit `next_start`; refit every model.
  void SetVisit(int visit);
  void Put(const Outcome& text);
  void Adopt(const Outcome& agreed, int next_start);
  void FitModels();
  // For a replay of a seat's view: the agreement `agreed` stands and the texts now put are
  // proposed improvements on it.
  void Improving(const Outcome& agreed);
  // After agreement (MediationOptions::improve_visits): looking for an improvement on agreed().
  bool improving() const { return improving_; }
  const Outcome& agreed() const { return agreed_; }
  // The advice on `draft` (null: the criterion's suggestion). Call after FitModels.
  Advice Advise(const Outcome* draft) const;

 private:
  // A party's answer in the current visit.
  struct Answer {
    EventType type = EventType::kNote;  // kNote: none yet.
    std::vector<int> named;  // kObject: issues named; kOffer: issues that differ from the text.
    Outcome demand;          // What the party asks for instead of the text (model view).
    Outcome shown;           // The text it answered.
    std::string key;         // The answer itself (type, text, outcome), to detect repeats.
    bool below_reservation = false;  // The party said the text is worse than no agreement.
  };

  std::vector<double> Gap() const;
  PartyForecast Forecast(int party, const Outcome& draft) const;
  int Settled() const;
  FormulaProblem Problem(bool certain_only = false, bool known_reservations = false) const;
  // The parties who accepted the text in this visit.
  std::vector<bool> Accepting() const;
  // Under an agreement rule other than unanimity: the criterion's formula of the coalition (of
  // those the rule admits) whose formula scores best in the models; nullopt when none has one.
  // `criterion`: another than the session's (the advice's suggestions).
  std::optional<Formula> CoalitionFormula(std::optional<Criterion> criterion = std::nullopt) const;
  Formula NextFormula(Voice* voice, bool* certain_conflict);
  std::optional<Formula> LoweredReservations() const;
  bool TextAllowedByHeldLines() const;
  void SendDiagnosis(Voice* voice);
  void End(Voice* voice, MediationStatus status, const std::string& reason);
  bool AgreeStage(Voice* voice);
  std::optional<Outcome> NextImprovement();
  void ImproveVisit(Voice* voice);
  void NextVisit(Voice* voice, Outcome improvement);
  bool AtVisitLimit() const { return options_.max_visits > 0 && visit_ >= options_.max_visits; }

  const OutcomeSpace* space_;
  MediationOptions options_;
  const AgendaPlan* plan_;
  std::vector<PartyModel> models_;
  std::vector<Answer> answers_;
  Outcome text_;
  bool has_text_ = false;
  int visit_ = 1;
  int stage_ = 0;
  bool brink_ = false;
  int stuck_ = 0;         // Consecutive visits without a zone under the uncertain demands.
  bool relaxed_ = false;  // A party changed its confided red lines or reservation value this visit.
  int frozen_ = 0;        // Consecutive visits in which the text and every answer repeated.
  int stage_start_ = 1;   // Visit at which the open stage opened.
  std::vector<std::string> last_keys_;
  Outcome last_text_;
  std::vector<double> gaps_;
  std::vector<std::vector<double>> contributions_;
  std::optional<ImpasseDiagnosis> diagnosis_;
  bool improving_ = false;
  Outcome agreed_;              // The agreement that stands while improving_.
  std::vector<Outcome> tried_;  // Improvements put since the agreement.
  int improve_left_ = 0;        // Improvement visits left.
  // The coalitions the rule admits (at most kMaxCoalitions, the first in lexicographic order);
  // empty under unanimity.
  std::vector<std::vector<int>> coalitions_;
  std::vector<bool> coalition_;  // The parties who accepted the agreement that stands.
};

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_ADVISER_H_
