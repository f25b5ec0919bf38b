// Private to the mediation module: how much a party's caucus action tells the mediator.
//
// An upper bound in bits: the log2 of the number of messages of the same form the party could have
// sent. A number (weight, value, reservation value) counts 10 bits (a precision of 1/1024); a
// ranking of m values log2(m!); a set of values (a red line, a could_live_with list) one bit per
// value of the issue; the choice among accept / object / counter-propose 1 bit (log2 3 rounded
// down: ending the talks is not counted twice); an objection's named issues one bit per issue of
// the space plus log2(k!) for their order and one bit for below_reservation; a counter-proposal
// log2 of the number of outcomes. An answer to a question (AnswerBits): one bit per value asked
// about (could you live with), log2(m!) for a ranking, a red line as when confided (1 bit for
// "none"); words and a declined question count 0.
#ifndef SHUTTLE_SRC_MEDIATION_DISCLOSURE_H_
#define SHUTTLE_SRC_MEDIATION_DISCLOSURE_H_

#include <string_view>

#include "shuttle/event.h"
#include "shuttle/outcome_space.h"

namespace shuttle::mediation_internal {

// Bits disclosed by `event` (a party's action in the log); 0 for anything else, kAnswer included
// (AnswerBits needs the question).
double DisclosedBits(const OutcomeSpace& space, const EventLog& log, const Event& event);
// Bits disclosed by the kAnswer text `answer` to the kAsk text `question`.
double AnswerBits(const OutcomeSpace& space, std::string_view question, std::string_view answer);

}  // namespace shuttle::mediation_internal

#endif  // SHUTTLE_SRC_MEDIATION_DISCLOSURE_H_
