// Private to the mediation module: what the mediator believes about one party.
//
// Confided parts are exact. The rest is a linear additive model u = sum_j w_j v_j, v_j in [0, 1]
// with 1 for the best allowed value of each issue, learned from the party's answers under the
// assumptions the honest automated parties satisfy (README "Learning model"):
//   - Aspiration. Within a stage, the party's aspiration, as a fraction theta of its best, falls
//     linearly from 1 at the stage's first visit to (reservation value / best) after H visits: H is
//     the visits left to the visit limit when there is one, else the mediator's prior `patience`.
//     The answers alone cannot fix this scale (answers are invariant when every disutility and the
//     aspiration's fall are scaled together), so it is a prior, not a fit.
//   - An objection names exactly the open issues whose value is below theta (v_j(text_j) < theta),
//     worst loss w_j (1 - v_j) first, and lists as livable exactly the allowed values with
//     v_j >= theta; an unnamed open issue has v_j(text_j) >= theta.
//   - Acceptance means u(text) >= theta * best; objection u(text) < theta * best.
//   - The opening counter-proposal (no text on the table) holds the party's best values.
//   - below_reservation means u(text) < reservation value; acceptance, u(text) >= it.
// Value levels are the midpoints of the brackets the livable/excluded cuts put them in (for an issue
// whose values are all numbers: the value falling linearly with the distance from the best value,
// clamped into its bracket); weights are
// the point nearest uniform (by cyclic relaxed projections) satisfying the loss order of named
// issues and the acceptance/objection inequalities, which are linear in the weights once values are
// known. A red line is inferred for a value objected to at least red_line_evidence times, never
// livable, never accepted, put first at least once, and whose objections the model cannot explain
// by the aspiration alone that many times (the text would otherwise have been acceptable), unless
// the party confided its red lines. A reservation value is estimated from below_reservation flags,
// capped by acceptances, and from stalls (the same text refused the same way stall_visits times).
// Everything is recomputed from the whole history at each Fit, so it is a function of the history.
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
  int stall_visits = 6;
  int patience = 20;    // Prior H without a visit limit.
  int max_visits = 0;   // The visit limit, 0 for none.
};

class PartyModel {
 public:
  PartyModel(const OutcomeSpace* space, const AgendaPlan* plan, const ModelOptions& options);

  void Confide(const Confidence& confidence);
  // Answers to `text` (the mediator's text at that visit and stage).
  void ObserveAccept(int visit, int stage, const Outcome& text);
  void ObserveObject(int visit, int stage, const Outcome& text, const Objection& objection);
  // A counter-proposal; `text` is null at the opening caucus.
  void ObserveCounter(int visit, int stage, const Outcome* text, const Outcome& counter);

  // Re-estimates everything not confided from the whole history. Deterministic.
  void Fit();

  // The current model: contributions (w_j v_j) and allowed values (held red lines).
  const Tables& tables() const { return tables_; }
  double reservation() const { return rv_known_ ? rv_ : rv_estimate_; }
  bool reservation_known() const { return rv_known_; }
  // Weights and every value function confided: the model is the party's utility.
  bool exact() const;
  // Confided red lines, then inferred ones.
  std::vector<HeldLine> red_lines() const;

 private:
  struct Obs {
    enum class Kind : uint8_t { kAccept, kObject, kCounter } kind = Kind::kAccept;
    int visit = 0, stage = 0;
    bool has_text = false;
    Outcome text, counter;
    std::vector<int> named;                    // kObject, worst first.
    std::vector<std::vector<uint8_t>> live;    // Per named issue; empty when not given.
    bool below_reservation = false;
  };

  void FindCandidates();
  bool HasCandidate(const Obs& o) const;
  void ConfirmCandidates();
  void Schedule();
  void FitValues();
  void FitWeights();
  void EstimateReservation();
  void RebuildTables();
  bool Allowed(size_t issue, uint32_t value) const;
  bool CrossesHeldLine(const Obs& o) const;
  double BestV(size_t issue) const;
  // Per-issue coefficients of u(outcome) and of the party's best, both linear in the weights.
  void Coefficients(const Obs& o, const Outcome& outcome, std::vector<double>* u, std::vector<double>* best) const;
  double ModelUtility(const Obs& o, const Outcome& outcome) const;
  double ModelIdeal(const Obs& o) const;

  const OutcomeSpace* space_;
  const AgendaPlan* plan_;
  ModelOptions options_;

  // Confided.
  bool weights_known_ = false;
  std::vector<uint8_t> values_known_;               // Per issue.
  std::vector<std::vector<uint32_t>> ranking_;      // Per issue; empty when not confided.
  bool lines_known_ = false;
  std::vector<RedLine> confided_lines_;
  bool rv_known_ = false;
  double rv_ = 0;

  // Estimated (or confided) parameters.
  std::vector<double> w_;
  std::vector<std::vector<double>> v_;
  std::vector<double> alpha_;                         // Aspiration per observation.
  std::vector<int32_t> anchor_;                       // Per issue: the best value, or -1.
  std::vector<std::vector<double>> numeric_;          // Per issue: value numbers, if all numeric.
  std::vector<std::pair<int, uint32_t>> candidates_;  // Possible red lines (issue, value), sorted.
  std::vector<std::pair<int, uint32_t>> inferred_;    // Confirmed ones, sorted.
  double rv_estimate_ = 0;

  std::vector<Obs> obs_;
  Tables tables_;
};

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_PARTY_MODEL_H_
