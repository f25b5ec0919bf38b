// Private to the mediation module: what the mediator believes about one party.
//
// A party who confides its weights and values is modelled exactly. Otherwise the model is a loss
// table: D_j(x) >= 0, what value x of issue j costs the party against its best value there, in
// units of the party's range (best minus reservation value), so that its utility in the model is u
// = 1 - sum_j D_j(x_j) and its reservation value is 0. Losses are learned from the party's answers
// under the assumptions the honest automated parties satisfy (README "Learning model"):
//   - Concession. Within a stage the party gives up a share of its range that grows linearly from 0
//     at the stage's first visit to all of it after H visits: H is the visits left to the visit
//     limit when there is one, else the mediator's prior `patience`. Answers are invariant when
//     every loss and the pace are scaled together, so this pace is a prior, not a fit; measuring
//     utility as the gain over the reservation value makes a party's unknown reservation value drop
//     out.
//   - What it gives up now, S, is shared equally among the n open issues: an objection names the
//     open issues whose text value loses more than S / n (red-line crossings first, then larger
//     losses first) and lists as livable exactly the allowed values losing at most S / n; an
//     unnamed open issue loses at most S / n. Objection means sum of losses > S, acceptance <= S.
//   - The opening counter-proposal (no text on the table) holds the party's best values (loss 0).
//   - below_reservation means the text's losses exceed the whole range (sum > 1).
// Each loss is placed inside the bracket the livable/excluded answers put it in (midpoint; for an
// issue whose values are all numbers, on a line through the best value fitted to the brackets;
// values bracketed on both sides on the least-squares line through their midpoints in their order),
// then adjusted by cyclic relaxed projections onto the order of named issues and the sums above.
// A red line is inferred for a value objected to at least red_line_evidence times, never livable,
// never accepted, put first at least once, while the party's livable values on that issue stopped
// changing, and either that many times in objections the model cannot explain by the party's
// concession alone (made at the end of its concession without saying the text is worse than no
// agreement) or refused that many times with the whole range as its budget (alone it costs the
// party more than its range); never when the party confided red lines.
// Answers to a proposed improvement on an agreement compare two outcomes: accepted, the proposal
// loses no more than the agreement; declined, more, and more on each issue named.
// Everything is recomputed from the whole history at each Fit: the model is a function of it.
#ifndef SHUTTLE_SRC_MEDIATION_PARTY_MODEL_H_
#define SHUTTLE_SRC_MEDIATION_PARTY_MODEL_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "mediation/agenda.h"
#include "mediation/messages.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"

namespace shuttle::mediation_internal {

// A red line the mediator holds for a party.
struct HeldLine {
  RedLine line;
  bool inferred = false;
};

struct ModelOptions {
  int red_line_evidence = 3;
  int patience = 20;   // Prior H without a visit limit.
  int max_visits = 0;  // The visit limit, 0 for none.
};

class PartyModel {
 public:
  PartyModel(const OutcomeSpace* space, const AgendaPlan* plan, const ModelOptions& options);

  void Confide(const Confidence& confidence);
  // The party's answer to "what is your red line on `issue`?": `line`, or none. Replaces what it
  // confided on that issue; leaves its other lines, confided or inferred, as they are.
  void StateLine(int issue, const std::optional<RedLine>& line);
  // Answers to `text` (the mediator's text at that visit and stage).
  void ObserveAccept(int visit, int stage, const Outcome& text);
  void ObserveObject(int visit, int stage, const Outcome& text, const Objection& objection);
  // The answer to "could you live with each of `asked` on `issue`?" while `text` was on the table:
  // `livable`, those of `asked` with which the text would be acceptable to the party. A livable
  // value counts as an accepted variant of the text; a refused one as a variant the party would
  // not accept (its losses exceed the slack, unless a held line explains it).
  void ObserveLiveWith(int visit, int stage, const Outcome& text, int issue,
                       const std::vector<uint32_t>& asked, const std::vector<uint32_t>& livable);
  // The answer to `proposal`, an improvement on the agreed outcome `agreed`: accepted (worth at
  // least the agreement to the party), or declined naming `worse`, the issues on which it is worse.
  void ObserveImprovement(int visit, int stage, const Outcome& proposal, const Outcome& agreed,
                          bool accepted, const std::vector<int>& worse);
  // A counter-proposal; `text` is null at the opening caucus.
  void ObserveCounter(int visit, int stage, const Outcome* text, const Outcome& counter);

  // Re-estimates everything not confided from the whole history. Deterministic.
  void Fit();

  // The current model as contribution tables (utility = their sum) and allowed values.
  const Tables& tables() const { return tables_; }
  // The reservation value in the units of tables().
  double reservation() const { return reservation_; }
  // Confided (exact model and confided reservation value), not estimated.
  bool reservation_known() const { return exact() && rv_known_; }
  // Weights and every value function confided: the model is the party's utility.
  bool exact() const;
  // Confided red lines, then inferred ones.
  std::vector<HeldLine> red_lines() const;
  // Loss models: the bounds the answers put on each value's loss (range units; the last fit's
  // brackets, an unbounded loss shown as 1). Empty for an exact model or before a fit.
  const std::vector<std::vector<double>>& loss_low() const { return lo_; }
  const std::vector<std::vector<double>>& loss_high() const { return hi_; }
  const std::vector<std::vector<double>>& losses() const { return loss_; }

 private:
  struct Obs {
    enum class Kind : uint8_t {
      kAccept,
      kObject,
      kCounter,
      kLiveWith,
      kImprovement
    } kind = Kind::kAccept;
    int visit = 0, stage = 0;
    bool has_text = false;
    Outcome text, counter;
    std::vector<int> named;                  // kObject, worst first.
    std::vector<std::vector<uint8_t>> live;  // Per named issue; empty when not given.
    std::vector<uint8_t> refused;            // kLiveWith: the values asked about and refused.
    bool accepted = false;                   // kImprovement (text: the proposal; counter: the
                                             // agreement; named: the issues said worse).
    bool below_reservation = false;
  };

  // An observation of an answer to `text`.
  static Obs TextObs(Obs::Kind kind, int visit, int stage, const Outcome& text);
  void FindCandidates();
  bool HasCandidate(const Obs& o) const;
  void ConfirmCandidates();
  void Schedule();
  void Brackets(std::vector<std::vector<double>>* lo, std::vector<std::vector<double>>* hi);
  void FitLosses();
  bool EstimateIssue(size_t issue, const std::vector<double>& lo, const std::vector<double>& hi,
                     double scale);
  void SpreadBracketed(const std::vector<double>& lo, const std::vector<double>& hi,
                       std::vector<double>* d) const;
  void Refine(const std::vector<std::vector<double>>& lo,
              const std::vector<std::vector<double>>& hi);
  void ApplyPartialConfidences(std::vector<std::vector<double>>* lo,
                               std::vector<std::vector<double>>* hi) const;
  void EstimateReservation();
  void RebuildTables();
  // Allowed by the confided red lines, and by the inferred ones too when with_inferred.
  bool Allowed(size_t issue, uint32_t value, bool with_inferred = true) const;
  bool CrossesHeldLine(const Obs& o, bool with_inferred = true) const;
  bool Named(const Obs& o, int issue) const;
  // Sum of the model's losses on the issues of `outcome` with the given roles at the observation.
  double Losses(const Obs& o, const Outcome& outcome, bool open, bool settled) const;
  // Exact models: the party's utility of the outcome at the observation's stage (agenda.h).
  double ExactUtility(const Obs& o, const Outcome& outcome) const;

  const OutcomeSpace* space_;
  const AgendaPlan* plan_;
  ModelOptions options_;

  // Confided.
  bool weights_known_ = false;
  std::vector<double> weights_;                 // When weights_known_.
  std::vector<uint8_t> values_known_;           // Per issue.
  std::vector<std::vector<double>> values_;     // Per issue, when known.
  std::vector<std::vector<uint32_t>> ranking_;  // Per issue; empty when not confided.
  bool lines_known_ = false;
  std::vector<RedLine> confided_lines_;
  bool rv_known_ = false;
  double rv_ = 0;

  // Estimated.
  std::vector<std::vector<double>> loss_;             // D_j(x), loss-table models.
  std::vector<double> budget_;                        // Per objection: its budget (last fit).
  std::vector<double> share_;                         // S / n per observation.
  std::vector<double> slack_;                         // S per observation.
  double share_step_ = 0.05;                          // Growth of the share per visit.
  std::vector<int32_t> anchor_;                       // Per issue: the best value, or -1.
  std::vector<std::vector<double>> numeric_;          // Per issue: value numbers, if all numeric.
  std::vector<std::pair<int, uint32_t>> candidates_;  // Possible red lines (issue, value), sorted.
  std::vector<std::pair<int, uint32_t>> inferred_;    // Confirmed ones, sorted.
  double reservation_ = 0;

  std::vector<std::vector<double>> lo_, hi_;  // Bounds on loss_ (last fit).

  std::vector<Obs> obs_;
  Tables tables_;
};

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_PARTY_MODEL_H_
