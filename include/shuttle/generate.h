// Random linear additive scenarios, for tests, benchmarks, teaching and tournaments.
//
// GenerateScenario() builds a scenario of discrete issues whose parties have linear additive
// profiles: per issue a table of evaluations in [0, 1] (the worst value 0, the best 1), and
// weights that sum to 1 (uniform on the simplex). The result depends only on the options: the
// randomness is std::mt19937_64 turned into numbers by this library's own arithmetic (not the
// std distributions, which differ between standard libraries), so a seed gives the same scenario
// on every platform. Pure and thread-safe.
//
// Opposition. Each issue has base scores a_v, uniform in [0, 1), held by the first party. Every
// other party k scores value v with
//   s_v = (1 - 2x) a_v + 2x c_v             for x <= 1/2,
//   s_v = (2 - 2x) c_v + (2x - 1) (1 - a_v)  for x >= 1/2,
// where x is the opposition and c_v are scores of its own, independent and uniform. Scores are
// then rescaled to [0, 1] per party and issue. So x = 0 gives every party the first party's
// ranking (everyone wants the same values), x = 1/2 unrelated rankings, and x = 1 the exact
// reverse of it (what one gains on an issue the others lose); the expected rank correlation with
// the first party falls continuously from 1 to -1. With more than two parties the other parties
// are opposed to the first, not to each other.
#ifndef SHUTTLE_GENERATE_H_
#define SHUTTLE_GENERATE_H_

#include <cstdint>
#include <string>

#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

struct GenerateOptions {
  // Number of issues, 1 to 1000; they are named issue1, issue2, ... Default: 3.
  int issues = 3;
  // Values per issue, 1 to 1000; they are named v1, v2, ... Default: 5.
  int values = 5;
  // Number of parties, 1 to 100; they are named party1, party2, ... Default: 2.
  int parties = 2;
  // Seed of the random generator; every seed (0 included) is valid. Default: 1.
  uint64_t seed = 1;
  // How opposed the parties' rankings are, in [0, 1] (see above). Default: 0.5.
  double opposition = 0.5;
  // Every party's reservation value, in [0, 1). Default: 0.
  double reservation = 0;
  // Scenario name (used for file names when written as GENIUS XML). Default: "random".
  std::string name = "random";
};

// Generates a scenario; kInvalidArgument names the option that is out of range. The scenario's
// description records the options; it has no agenda, metadata or red lines.
Result<Scenario> GenerateScenario(const GenerateOptions& options);

}  // namespace shuttle

#endif  // SHUTTLE_GENERATE_H_
