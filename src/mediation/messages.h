// Private to the mediation module: the JSON texts of caucus actions and mediator events.
//
// Parties speak to the mediator in JSON naming issues and values by their labels (mediation.h lists
// the shapes). These are the typed forms, their writers and their strict readers: a reader fails
// with kInvalidArgument naming the field, never crashes, and accepts exactly what the writer
// produces plus integer values written as numbers.
#ifndef SHUTTLE_SRC_MEDIATION_MESSAGES_H_
#define SHUTTLE_SRC_MEDIATION_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shuttle/mediation.h"
#include "shuttle/outcome_space.h"
#include "shuttle/profile.h"
#include "shuttle/status.h"

namespace shuttle::mediation_internal {

// A kConfide text. Every part is optional; issues are indices of the full space.
struct Confidence {
  std::optional<std::vector<double>> weights;                   // One per issue.
  std::vector<std::pair<int, std::vector<double>>> values;      // Issue, value function per value.
  std::vector<std::pair<int, std::vector<uint32_t>>> rankings;  // Issue, values best first.
  std::optional<std::vector<RedLine>> red_lines;                // Replaces earlier ones.
  std::optional<double> reservation_value;

  bool empty() const {
    return !weights && values.empty() && rankings.empty() && !red_lines && !reservation_value;
  }
};
std::string ConfidenceJson(const OutcomeSpace& space, const Confidence& confidence);
Result<Confidence> ParseConfidence(const OutcomeSpace& space, std::string_view json);

// A kObject text.
struct Objection {
  struct Item {
    int issue = 0;
    bool has_values = false;                // could_live_with given (possibly empty).
    std::vector<uint32_t> could_live_with;  // Ascending value indices.
  };
  std::vector<Item> issues;  // Worst first; distinct issues.
  bool below_reservation = false;
};
std::string ObjectionJson(const OutcomeSpace& space, const Objection& objection);
Result<Objection> ParseObjection(const OutcomeSpace& space, std::string_view json);

// The kStart text: {"protocol": "shuttle", "parties", "criterion", "max_visits", "rounds",
// "seconds", "seed", "initial_temperature", "agents", "red_line_evidence", "stall_visits",
// "patience", "max_confidences_per_caucus", "agenda": [{"name", "issues": [index...],
// "deferred"}], "agreement_rule": {"at_least", "required": [index...]}}: a superset of every
// protocol's start header (protocol/protocols.h), so generic event-log readers accept it. The seed
// round-trips exactly; "agreement_rule" is written only when it is not unanimity.
std::string StartJson(int party_count, const MediationOptions& options);
Result<std::pair<int, MediationOptions>> ParseStart(std::string_view json);

// The mediator's own kSettle text under an agreement rule other than unanimity:
// {"accepted": [party index, ...]}, the parties whose acceptance settled the text.
std::string SettleJson(const std::vector<bool>& accepting);

// The kPropose text: {"visit": k, "stage": s}.
std::string ProposeJson(int visit, int stage);
struct ProposeInfo {
  int visit = 0;
  int stage = 0;
  // After agreement: a proposed improvement on the agreed outcome ("improves": true), which stands
  // unless every party accepts this one.
  bool improves = false;
};
Result<ProposeInfo> ParsePropose(std::string_view json);

// The text of a kPropose by the mediator's seat, with the issues it leaves open (listed by name;
// their values in the outcome are placeholders) and the mediator's words, if any. Without either
// it is ProposeJson(visit, stage).
std::string ProposeJson(const OutcomeSpace& space, int visit, int stage,
                        const std::vector<int>& open, std::string_view words,
                        bool improves = false);
// What a kPropose action of the seat asks for: {"open": [issue...], "words"}, both optional
// ("visit" and "stage", which the protocol writes, are ignored). Empty text: a complete text.
struct TextRequest {
  std::vector<int> open;  // Ascending issue indices.
  std::string words;
};
Result<TextRequest> ParseTextRequest(const OutcomeSpace& space, std::string_view json);

// A kAsk text: {"kind": "words"|"live_with"|"rank"|"red_line"|"bid", "words", "issue",
// "values"}. words: a question in words ("words" required); live_with: "could you live with these
// values of the issue?" ("issue", "values"); rank: "rank the values of the issue"; red_line: "what
// is your red line on the issue?"; bid: "your secret bid on the (integer or real) issue" at a
// bidding step.
struct Question {
  enum class Kind : uint8_t { kWords, kLiveWith, kRank, kRedLine, kBid };
  Kind kind = Kind::kWords;
  std::string words;
  int issue = -1;
  std::vector<uint32_t> values;
};
const char* QuestionKindName(Question::Kind kind);
Result<Question> ParseQuestion(const OutcomeSpace& space, std::string_view json);
std::string QuestionJson(const OutcomeSpace& space, const Question& question);
// A kAnswer text to `question`: {"declined": true} or, by kind, {"words"}, {"could_live_with":
// [values]}, {"ranking": [values best first]}, {"red_line": red line or null}, {"bid": value}
// (a value of the issue, its number); "words" may accompany any. kInvalidArgument names the field.
struct Reply {
  bool declined = false;
  std::vector<uint32_t> values;     // live_with: the livable values; rank: best first; bid: it.
  std::optional<RedLine> red_line;  // red_line: the line stated (none: no line on the issue).
};
Result<Reply> ParseReply(const OutcomeSpace& space, const Question& question,
                         std::string_view json);
inline Status CheckReply(const OutcomeSpace& space, const Question& question,
                         std::string_view json) {
  return ParseReply(space, question, json).status();
}

// The table's note to each party in caucus when a bidding round ends (MediationOptions::bidding):
// {"bidding": {"round", "rounds", "settled": false}} or, settled, also "amount" (the value's label)
// and "by": "crossing" | "margin", "at": "demand" | "midpoint". Nothing of either bid.
std::string BiddingNoteJson(const OutcomeSpace& space, int issue, int round, int rounds,
                            const std::optional<BidSettlement>& settlement);

// A set of values of one issue as the texts write it: for an integer or real issue whose values
// are one run of neighbours, a range {"at_least": x, "at_most": y} (a side is left out at the
// issue's end), otherwise an array of labels. Readers of objections, questions and answers accept
// both forms ("could live with at most 27000").
std::string ValueSetJson(const OutcomeSpace& space, int issue, const std::vector<uint32_t>& values);

// A red line as in the scenario format: {"issue", "forbid"|"require": [labels] | "at_most"|
// "at_least": x, "note"}.
std::string RedLineJson(const OutcomeSpace& space, const RedLine& line);

// Diagnosis texts in events name parties by index (DiagnosisJson with no names); this reads them.
Result<ImpasseDiagnosis> ParseDiagnosis(const OutcomeSpace& space, std::string_view json);

// The mediator's note on the gap: {"visit", "gap", "contributions": [...]}.
std::string GapNoteJson(int visit, double gap, const std::vector<double>& contributions);
// Inverse of GapNoteJson: the gap and the contributions.
Result<std::pair<double, std::vector<double>>> ParseGapNote(std::string_view json);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_MESSAGES_H_
