// The shuttle mediator: separate caucuses, formula finding, gap narrowing, impasse diagnosis.
//
// A mediator who cannot bring the parties into one room meets each of them in turn (a visit is one
// caucus with every party), learns what each can live with, puts one text to all of them, reports
// progress to the world without saying how, and when the talks are stuck names the demands that
// block them. The Mediator is a Protocol (protocol.h): a deterministic state machine driven by the
// parties' actions, so a simulation drives it in a loop and a service drives it from requests;
// replaying the actions reproduces the log (ReplayMediation).
//
// Caucus (Turn::Kind::kCaucus, `standing` = the current text, null at the opening caucus). The
// party in caucus may send any number of kConfide actions, then exactly one answer: kAccept (the
// text), kObject (issues it cannot accept as written, optionally values it could live with), kOffer
// (a counter-proposal), or kEnd (it walks out). Every event of a caucus, including the mediator's
// kPropose of the text, has the audience Audience::Caucus(party): it never reaches another party.
// Texts (JSON, one object per action; issues and values are named by their labels):
//   kConfide: any of {"weights": {issue: w}, "values": {issue: {value: v in [0,1]}} (an integer
//             or real issue also as {"piecewise": [[x, v], ...]}: v linear between the numbers x,
//             strictly ascending, and constant beyond them),
//             "ranking": {issue: [value, ... best first]}, "red_lines": [red line, ...],
//             "reservation_value": x}. A red line is {"issue", "forbid"|"require": [values] |
//             "at_most"|"at_least": number, "note"}. "red_lines" replaces every red line confided
//             before (a party relaxes by confiding a shorter list); the others overwrite their
//             part.
//   kObject:  {"issues": [{"issue": name, "could_live_with": [value, ...]}, ...],
//             "below_reservation": bool}. Issues worst first; could_live_with and
//             below_reservation ("this is worse than no agreement") are optional. For an integer
//             or real issue could_live_with may be a range {"at_least": x, "at_most": y} (either
//             or both): every value of the issue in it; the engine writes a run of neighbouring
//             values that way, in questions and answers too.
//
// After the last caucus of a visit the mediator (actor kMediator) appends: a kNote for the mediator
// alone with the gap contributions; kAdopt (to each party in caucus) when every party accepted the
// text (or the parties MediationOptions::rule needs), which settles the open agenda stage; the
// impasse diagnosis when there is one (the whole of it to the mediator alone, each party's own part
// to that party in caucus); one public kStatement (PublicStatement of the visit's facts);
// kAgreement or kNoAgreement (public) at the end; then the next visit's first kPropose. The text is
// never public until it is agreed.
//
// The mediator's seat (MediationOptions::helm): the mediator is an actor of the protocol that opens
// and leaves caucuses, puts complete or partial texts, asks questions, ends rounds, issues
// statements, settles stages and closes the talks, each a move (an Action with actor kMediator)
// the protocol checks; MakeEngineMediator plays it with the policy above. The moves, their
// audiences and texts: src/mediation/README.md, "The mediator's seat".
//
// Not thread-safe; one Mediator per negotiation. Functions outside the class are pure.
#ifndef SHUTTLE_MEDIATION_H_
#define SHUTTLE_MEDIATION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/event.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/protocol.h"
#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

// What the formula maximizes among the outcomes the mediator believes acceptable to all.
enum class Criterion : uint8_t {
  kNash,              // prod (u_i - rv_i)
  kKalaiSmorodinsky,  // min (u_i - rv_i) / (ideal_i - rv_i)
  kEgalitarian,       // min (u_i - rv_i)
  kWelfare,           // sum u_i
};
const char* CriterionName(Criterion criterion);  // "nash", "ks", "egalitarian", "welfare"
// Inverse of CriterionName (also "kalai-smorodinsky", "utilitarian"); kInvalidArgument lists them.
Result<Criterion> ParseCriterion(std::string_view name);

enum class MediationStatus : uint8_t { kTalking, kAgreement, kImpasse };
const char* MediationStatusName(MediationStatus status);  // "talking", "agreement", "impasse"

// Everything a public statement may depend on, and nothing else.
struct StatementFacts {
  int visit = 0;  // 1-based
  MediationStatus status = MediationStatus::kTalking;
  double gap_before = 1;   // Public gap after the previous visit.
  double gap_now = 1;      // Public gap after this visit.
  int settled_issues = 0;  // Issues of the text no party contests.
  bool operator==(const StatementFacts& o) const = default;
};

// The mediator's public statement after a visit: a pure function of `facts` (gaps are reported to
// two decimals). Never names a party, a value or an offer.
std::string PublicStatement(const StatementFacts& facts);

struct MediationOptions {
  // Default: kNash.
  Criterion criterion = Criterion::kNash;
  // Visits before the talks end without agreement; 0 = no limit. Default: 0 (the mediator has
  // time).
  int max_visits = 0;
  // Stages in order; a later stage opens when the earlier one is agreed; deferred stages are not
  // negotiated (their issues stay at their first value). Every issue must be in exactly one stage.
  // Default: empty (one stage with every issue).
  std::vector<Stage> agenda;
  // Seed of every random choice. Default: 1.
  uint64_t seed = 1;
  // Objections (naming the issue, never listing the value as livable, the issue named first at
  // least once) before the mediator infers a red line of a reticent party. Default: 3.
  int red_line_evidence = 3;
  // Consecutive visits in which a party's answers do not change before the mediator takes its
  // concessions to have stopped (it then estimates the party's reservation value from them).
  // Default: 6.
  int stall_visits = 6;
  // The mediator's prior on the visits a party takes to concede from its best to its reservation
  // value when there is no visit limit (with one, parties are assumed to concede by the limit). The
  // answers of a party who confides nothing cannot fix this scale; it sets how far apart the
  // learned value levels are. Default: 20.
  int patience = 20;
  // kConfide actions accepted in one caucus. Default: 16.
  int max_confidences_per_caucus = 16;
  // Who played (caucus-agent specs or descriptions), recorded in the kStart event; the mediator
  // ignores it. Default: empty.
  std::vector<std::string> agents;
  // The mediator is a seat of the protocol (kMediator moves: open and leave caucuses, put texts,
  // ask, end rounds, statements, settle, close; see "The mediator's seat" in
  // src/mediation/README.md) rather than the engine inside the protocol. Default: false (logs
  // without the field are of the engine-inside protocol).
  bool helm = false;
  // With helm: who plays the seat, recorded in kStart ("engine" for MakeEngineMediator, else a
  // description such as "person"). Default: empty.
  std::string mediator;
  // With helm, the engine's player of the seat: after each answer to a complete text, ask the
  // party whether it could live with each value of every open issue its answer did not list
  // (src/mediation/README.md, "The engine's questions"). Recorded in kStart; logs without the
  // field did not ask. Default: true.
  bool ask = true;
  // With helm, the engine's player of the seat: after agreement, visits spent looking for an
  // outcome every party prefers in the mediator's model, put to each party as an improvement that
  // replaces the agreement only if every party accepts it (src/mediation/README.md, "After
  // agreement"). 0: close on the first agreement. Recorded in kStart; logs without the field did
  // not look. Default: 3.
  int improve_visits = 3;
  // Which parties must accept a text for it to settle a stage (scenario.h): unanimity, or at least
  // k parties with every required one among them. Both protocols follow it (with helm the
  // protocol checks the seat's settle move against it; without, the engine inside settles by it).
  // Every party is told the outcome, never who accepted. Recorded in kStart when not unanimity.
  // kInvalidArgument from MakeMediator when it does not fit party_count. Default: unanimity
  // (Mediate and the service take the scenario's).
  AgreementRule rule;
  // The last step by blind bidding (src/mediation/README.md, "Blind bidding on the last issue"):
  // `bidding.issue`, an integer or real issue, is taken out of its agenda stage and settled last,
  // after every other stage, by secret bids under `bidding.rules` in at most `bidding.rounds`
  // rounds (protocol.h, BlindBiddingRules). Needs helm and two parties. Recorded in kStart.
  // Default: no bidding step.
  struct Bidding {
    int issue = -1;  // Index into the space; -1: no bidding step.
    BlindBiddingRules rules;
    int rounds = BlindBiddingRules::kCustomaryRounds;
    bool enabled() const { return issue >= 0; }
    bool operator==(const Bidding& o) const = default;
  };
  Bidding bidding;
};

// One demand that takes part in an impasse: a red line, or a reservation value.
struct ConflictItem {
  enum class Kind : uint8_t { kRedLine, kReservation };
  Kind kind = Kind::kRedLine;
  int32_t party = 0;
  RedLine red_line;  // kRedLine: issue indices of the full space.
  // Learned from the party's answers rather than confided: an inferred red line, or an estimated
  // reservation value, which is then in units of the party's range (its best minus its reservation
  // value): 0 is where it stops conceding, -0.25 a quarter of its range below that.
  bool inferred = false;
  double reservation_value = 0;  // kReservation: the value held.
  double relaxed_to = 0;         // kReservation in a relaxation: lowered to this.
  bool operator==(const ConflictItem& o) const = default;
};

// Why no outcome satisfies every red line and reservation value, and the cheapest way out. A party
// who relaxes bears (its best utility under its own demands - its utility of the formula once
// relaxed) / (its best - its reservation value), in the mediator's estimate; the cost of a
// relaxation is the largest share any owner bears (ties: the owners' total, then fewer demands).
struct ImpasseDiagnosis {
  int stage = 0;                       // Index into the agenda (0 without one).
  std::vector<ConflictItem> conflict;  // A minimal set of conflicting demands.
  std::vector<ConflictItem>
      relaxation;                   // The cheapest set of demands to drop; empty if none works.
  double cost = 0;                  // The largest owner's share (see above).
  std::vector<double> owner_costs;  // Per party (0 for a party that does not relax).
  std::optional<Outcome> formula;   // The text the mediator would propose once relaxed.
  bool operator==(const ImpasseDiagnosis& o) const = default;
};

// The part of a diagnosis party `party` may see: its own conflict and relaxation items and cost.
ImpasseDiagnosis DiagnosisPartOf(const ImpasseDiagnosis& diagnosis, int32_t party);
// {"stage", "conflict": [...], "relaxation": [...], "cost", "owner_costs", "formula"} with issues
// and values by name and `party_names` (index by party) for the owners; a red line's note is
// included.
std::string DiagnosisJson(const OutcomeSpace& space, const ImpasseDiagnosis& diagnosis,
                          const std::vector<std::string>& party_names);
// "Palestinians: settlements must not be 'continue'", "Israel: reservation value 0.40 -> 0.31".
std::string DescribeConflictItem(const OutcomeSpace& space, const ConflictItem& item,
                                 const std::vector<std::string>& party_names);

// The shuttle mediator as a protocol ("shuttle"). Accessors give the mediator's own view.
class Mediator : public Protocol {
 public:
  const char* name() const override { return "shuttle"; }
  // The current visit, 1-based (the last visit once done).
  virtual int visit() const = 0;
  virtual MediationStatus status() const = 0;
  // Index into the agenda of the open stage (0 without an agenda).
  virtual int stage() const = 0;
  // The current text (issue_count values), or null before the first one.
  virtual const uint32_t* text() const = 0;
  // The public gap after each completed visit, in [0, 1].
  virtual const std::vector<double>& gap_by_visit() const = 0;
  // Each party's contribution to the gap after each completed visit (the mediator's view).
  virtual const std::vector<std::vector<double>>& gap_contributions() const = 0;
  // The diagnosis of the impasse (or of the brink, the visit before it), if any.
  virtual const std::optional<ImpasseDiagnosis>& diagnosis() const = 0;
  // Why the talks ended: "agreement", "impasse", "visit limit", "walk-out", "deadline"; empty while
  // talking.
  virtual const std::string& end_reason() const = 0;

 protected:
  Mediator(const OutcomeSpace* space, int party_count, ProtocolOptions options)
      : Protocol(space, party_count, options) {}
};

// The agenda a mediation with `options` runs: options.agenda, except that a bidding step
// (MediationOptions::bidding) takes its issue out of its stage into a last stage of its own,
// "bidding: <issue>" (a stage it empties is dropped; an empty agenda becomes the other issues, then
// the bidding stage). An agenda whose last non-deferred stage already is that issue alone comes
// back as it is, so the agenda kStart records plans alike again. kInvalidArgument for a bidding
// step without helm or with other than two parties, an issue out of range, discrete or deferred,
// rounds < 1 or rules out of range.
Result<std::vector<Stage>> MediationAgenda(const OutcomeSpace& space, int party_count,
                                           const MediationOptions& options);

// `space` must be finite and outlive the mediator. kInvalidArgument for fewer than two parties, an
// agenda that misses or repeats an issue, or options out of range; kFailedPrecondition for a
// continuous issue.
Result<std::unique_ptr<Mediator>> MakeMediator(const OutcomeSpace* space, int party_count,
                                               const MediationOptions& options);

// Automated caucus parties, as Agents that answer Turn::Kind::kCaucus:
//   "truthful"   confides its whole profile at the first caucus; answers honestly.
//   "reticent"   confides nothing; answers honestly: accepts iff the text is at least its current
//                aspiration (which concedes from its best toward its reservation value over the
//                visits), else objects naming the issues where the text is worst for it, each with
//                the values it could live with; opens with its best outcome as a counter-proposal.
//   "strategic"  confides its weights and values truthfully but overstates its red lines and
//                reservation value, answers as if they were true, and drops the overstatements the
//                mediator's impasse diagnosis names.
// Parameters: "reticent:e=1,patience=20", "strategic:lines=0.5,rv=0.3" (e: concession exponent,
// 1 linear, < 1 boulware; patience: visits to reach the reservation value when there is no visit
// limit; lines: values below this fraction of the best on the party's heavier issues are claimed
// red lines; rv: fraction of the distance from reservation value to best added to the claim).
// `profile` (optional) is the party's profile, so confided red lines keep their kind and note;
// without it they are confided as the forbidden values the compiled utility reports.
// kInvalidArgument for an unknown name or parameter.
Result<std::unique_ptr<Agent>> MakeCaucusAgent(std::string_view spec,
                                               const Profile* profile = nullptr);
std::vector<std::string> CaucusAgentNames();

// One automated caucus party per spec, initialized for `mediator`'s protocol with the seed rule of
// every automated party (AgentSeed); an empty spec (a person plays that party) gives nullptr.
// `utilities` (party order) must outlive the agents. Errors name the party.
Result<std::vector<std::unique_ptr<Agent>>> MakeCaucusParties(const Scenario& scenario,
                                                              const std::vector<std::string>& specs,
                                                              const std::vector<Utility>& utilities,
                                                              const Mediator& mediator,
                                                              uint64_t seed);

// The engine's player of the mediator's seat (options.helm): today's policy as the seat's moves.
// Per visit it opens a caucus with each party in order, puts the text its models find (none at
// the opening visit: the parties propose), leaves; then ends the round with its note on the gap,
// warns with the diagnosis, settles a stage every party accepted, issues the statement, and
// closes the talks on agreement, impasse or the visit limit. It learns only from the events the
// mediator sees. kInvalidArgument for an agenda that misses or repeats an issue.
Result<std::unique_ptr<Agent>> MakeEngineMediator(const OutcomeSpace* space, int party_count,
                                                  const MediationOptions& options);

// The engine's advice to the mediator's seat, from what the seat has seen only (the confidences,
// answers and texts of the log), never from a party's profile. Utilities are on each party's range
// as the mediator models it: 1 its best at the open stage, 0 its reservation value.
struct PartyForecast {
  double utility = 0;  // Of the draft, predicted.
  // The interval of utilities consistent with the party's answers so far (equal to `utility` for
  // a party who confided its whole profile): how sure the forecast is.
  double utility_low = 0, utility_high = 0;
  // What the model expects the party to accept now: it concedes its range linearly from its best
  // at the stage's first visit to its reservation value after the horizon (the visit limit, else
  // the mediator's prior patience).
  double aspiration = 1;
  // The chance it accepts, every utility in [utility_low, utility_high] taken as equally likely
  // (0 when a line is crossed; 0 or 1 for an exact model); `accepts` when at least 0.5.
  double accept_probability = 0;
  bool accepts = false;
  std::vector<int> objections;  // Else the issues it would name, worst first.
  bool crosses_line = false;    // A red line it confided or the mediator inferred.
  bool exact = false;           // Its whole profile was confided.
};

struct Advice {
  int visit = 1;
  int stage = 0;  // Index into the agenda.
  // The criteria's texts on the open stage under every demand held; empty when no outcome meets
  // them all (then `diagnosis` says why).
  std::vector<std::pair<Criterion, Outcome>> suggestions;
  Outcome
      draft;  // The draft judged: the one given, else the suggestion of the session's criterion.
  std::vector<PartyForecast> forecasts;  // Per party, for the draft.
  // The largest gain every party would have at once from a model-frontier outcome over the draft
  // (range units); 0 when the draft is on the model's frontier.
  double frontier_distance = 0;
  // The smallest change (one issue) that makes the draft better in the model for some party and
  // worse for none, and each party's gain; empty when none exists.
  std::optional<Outcome> improvement;
  std::vector<double> improvement_gains;
  // Whom to see next and why: the party whose answer would tell most about the draft.
  int next_party = 0;
  std::string next_reason;
  std::vector<double> gap;  // Each party's gap after its last answer (the mediator's view).
  std::optional<ImpasseDiagnosis> diagnosis;
  // The model's Pareto frontier of the open stage on the parties' range scales (at most 400
  // points, evenly taken), for a picture of the draft against it.
  std::vector<std::vector<double>> frontier;
};

// kInvalidArgument for a log that is not a shuttle mediation of `space` or a draft outside the
// space (naming the issue); kFailedPrecondition for a continuous issue (OnMediationGrid first).
Result<Advice> Advise(const OutcomeSpace& space, const EventLog& log, const Outcome* draft);

// How well Advise forecasts a log's answers: each answer (accept or object) of a party to a
// complete text, forecast from the log just before it, is right when the forecast's `accepts`
// matches. Per visit (1-based) and in all.
struct ForecastTally {
  std::map<int, std::pair<int, int>> by_visit;  // Visit -> (right, total).
  int right = 0, total = 0;
};
Result<ForecastTally> ScoreForecasts(const OutcomeSpace& space, const EventLog& log);

// A continuous real issue (a price in euros, an amount of money) is mediated on a grid: every
// text, objection and answer names one of its values. The grid is the issue's own step when it has
// one; otherwise the largest of 1, 2 and 5 times a power of ten that cuts its range into at least
// 1,000 steps (24000 to 28000: steps of 2, 2,001 values). Any point of the range is within half
// a step of the grid, so moving a continuous outcome to the nearest grid outcome changes each
// party's utility by at most `utility_bound` (weight x the evaluator's steepest slope x half a
// step, summed over the gridded issues): the grid's formula is that close to the continuous one.
struct GridNote {
  std::string issue;
  double step = 0;
  uint64_t values = 0;
  std::vector<double> utility_bound;  // Per party, party order; for this issue alone.
};
// The scenario with every continuous real issue on its grid (others unchanged); `notes` (may be
// null) receives one note per gridded issue. kInvalidArgument when a range is empty or reversed.
Result<Scenario> OnMediationGrid(const Scenario& scenario, std::vector<GridNote>* notes);

struct MediationRunOptions {
  // The mediator's options; an empty agenda takes the scenario's.
  MediationOptions mediation;
  // One caucus-agent spec per party, in party order. Default: empty (every party "truthful").
  std::vector<std::string> parties;
  // Visits after which a run without a visit limit is stopped (the parties stopped moving).
  // Default: 300.
  int safety_visits = 300;
  // The engine plays the mediator's seat (MakeEngineMediator; options.helm and mediator="engine"
  // are set). False: the protocol without a seat, as before the seat existed. Default: true.
  bool engine_seat = true;
};

struct MediationReport {
  EventLog log;
  MediationStatus status = MediationStatus::kTalking;
  std::string end_reason;
  std::optional<Outcome> agreement;
  std::vector<double> utilities;  // True utilities, party order (reservation value if none).
  // The same at the time the talks ended, u d^t for a party whose profile has a discount d
  // (FIELD.md; the reservation value too): t = visits / max_visits, 0 without a visit limit (as
  // Protocol::RoundTime), so without one, or without a discount, they equal `utilities`.
  std::vector<double> discounted_utilities;
  double time = 0;  // That t.
  int visits = 0;
  std::vector<double> gap_by_visit;                    // Public figure.
  std::vector<std::vector<double>> gap_contributions;  // Per visit, per party (mediator's view).
  std::vector<std::string> statements;
  std::optional<ImpasseDiagnosis> diagnosis;
  // Upper bound on the information each party gave the mediator, in bits (see
  // src/mediation/README.md), total over the run, party order.
  std::vector<double> bits_disclosed;
};

// Runs the mediation with automated caucus parties. kInvalidArgument for a spec count that differs
// from the party count or an unknown spec; kFailedPrecondition for a continuous issue (put it on
// its grid with OnMediationGrid first) or a profile that is not linear additive.
Result<MediationReport> Mediate(const Scenario& scenario, const MediationRunOptions& options);

// A mediation and, when it was asked to relax and ended without agreement on a diagnosis that
// offers a relaxation, the mediation of the scenario with that relaxation taken.
struct RelaxedMediation {
  MediationReport first;
  std::optional<Scenario> relaxed;        // The scenario once relaxed (ApplyRelaxation).
  std::optional<MediationReport> second;  // Its mediation.
  const MediationReport& last() const { return second ? *second : first; }
};

// The policy of `shuttle mediate --relax`: Mediate(); with `relax`, on an impasse whose diagnosis
// names a relaxation, take it (ApplyRelaxation) and mediate again, once. Errors as Mediate's; those
// of the second mediation say "relaxation".
Result<RelaxedMediation> MediateRelaxing(const Scenario& scenario,
                                         const MediationRunOptions& options, bool relax);

// Rebuilds the mediator from the log's kStart event, re-applies every party action and checks that
// it produces exactly the logged events. kCorruption names the first event that differs.
Status ReplayMediation(const Scenario& scenario, const EventLog& log);

// Re-runs the automated caucus parties the kStart event names with the logged options and checks
// that they make every logged move again (a log that stops early is compared as far as it goes).
// kFailedPrecondition when the log names no caucus agents (human parties); kCorruption names the
// first event that differs.
Status ReplayMediationAgents(const Scenario& scenario, const EventLog& log);

// The scenario with the diagnosis's relaxation taken: the values each dropped red line forbids
// become allowed in its owner's profile (an inferred line relaxes the profile's lines on those
// values), and reservation values are lowered (an estimated one by its share of the party's range).
// kInvalidArgument when the diagnosis does not fit the scenario.
Result<Scenario> ApplyRelaxation(const Scenario& scenario, const ImpasseDiagnosis& diagnosis);

// Visits available between two ISO dates ("2013-04-07") at one visit per `days_per_visit` days
// (at least 1). kInvalidArgument for a malformed date, a deadline before the start or
// days_per_visit < 1.
Result<int> VisitsBetween(std::string_view start, std::string_view deadline, int days_per_visit);

}  // namespace shuttle

#endif  // SHUTTLE_MEDIATION_H_
