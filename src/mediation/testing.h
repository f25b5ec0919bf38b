// Private to the mediation tests: small scenarios written out by hand.
#ifndef SHUTTLE_SRC_MEDIATION_TESTING_H_
#define SHUTTLE_SRC_MEDIATION_TESTING_H_

#include <string>
#include <vector>

#include "shuttle/scenario.h"

namespace shuttle::mediation_testing {

// A linear profile from per-issue weights and evaluations (each table already in [0, 1]).
inline Profile Linear(std::vector<double> weights, std::vector<std::vector<double>> tables,
                      double rv = 0) {
  Profile p;
  p.weights = std::move(weights);
  for (auto& t : tables) {
    Evaluator e;
    e.kind = EvaluatorKind::kTable;
    e.divide_by_max = false;
    e.evaluations = std::move(t);
    p.evaluators.push_back(std::move(e));
  }
  p.reservation_value = rv;
  return p;
}

inline RedLine Forbid(int issue, std::vector<uint32_t> values, std::string note = "") {
  RedLine r;
  r.kind = RedLine::Kind::kForbid;
  r.issue = issue;
  r.values = std::move(values);
  r.note = std::move(note);
  return r;
}

inline RedLine Require(int issue, std::vector<uint32_t> values, std::string note = "") {
  RedLine r = Forbid(issue, std::move(values), std::move(note));
  r.kind = RedLine::Kind::kRequire;
  return r;
}

// Two parties, three issues ("price", "delivery", "warranty") of 4, 3 and 2 values, opposed on
// price, sharing an interest in warranty, trading delivery for price.
inline Scenario TradeScenario() {
  Scenario s;
  s.name = "trade";
  s.space = OutcomeSpace({Issue::Discrete("price", {"p0", "p1", "p2", "p3"}),
                          Issue::Discrete("delivery", {"d0", "d1", "d2"}),
                          Issue::Discrete("warranty", {"none", "full"})});
  s.parties.push_back({"buyer", Linear({0.5, 0.2, 0.3}, {{1, 0.7, 0.3, 0}, {1, 0.5, 0}, {0, 1}})});
  s.parties.push_back(
      {"seller", Linear({0.6, 0.3, 0.1}, {{0, 0.4, 0.8, 1}, {0, 0.6, 1}, {0.2, 1}})});
  return s;
}

}  // namespace shuttle::mediation_testing

#endif  // SHUTTLE_SRC_MEDIATION_TESTING_H_
