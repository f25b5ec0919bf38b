// Adjusted Winner (Brams and Taylor, "Fair Division", 1996): dividing goods between two parties.
//
// Each party spreads 100 points over the items (integers). Every item first goes to the party that
// values it more. Items valued equally are then given, in input order, each to the party currently
// behind (fewer points, each by its own valuation), to the first party when they are level; the
// unequal items are assigned before any tied one, so "behind" is measured after them. Then, while
// the party ahead (the winner) is still ahead, the winner's items move to the other party in
// increasing order of the ratio (winner's points / other's points), ties in input order; items the
// other party values at 0 come last and items neither values are never moved. The item that would
// overshoot is split so that the two totals become exactly equal. All arithmetic is exact
// (Rational). The result is equitable (equal totals), envy-free (each gets at least 50 of its own
// 100 points), Pareto-efficient among all divisions of the items, and splits at most one item.
//
// Inputs come as values, as CSV text, or from a two-party scenario. Functions are pure and
// thread-safe.
#ifndef SHUTTLE_ADJUSTED_WINNER_H_
#define SHUTTLE_ADJUSTED_WINNER_H_

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shuttle/scenario.h"
#include "shuttle/status.h"

namespace shuttle {

// An exact fraction num/den in lowest terms, den > 0. Arithmetic runs in 128 bits and reduces;
// a result that does not fit int64 is a programmer error (assert). Adjusted Winner's values have
// denominators of at most 200 and numerators of at most a few thousand, far from that.
class Rational {
 public:
  Rational() = default;
  Rational(int64_t n) : num_(n), den_(1) {}  // NOLINT: integers convert implicitly.
  Rational(int64_t n, int64_t d);            // Requires d != 0.

  int64_t num() const { return num_; }
  int64_t den() const { return den_; }
  double ToDouble() const { return static_cast<double>(num_) / static_cast<double>(den_); }
  // "3/4", "-1/2", or "2" when the denominator is 1.
  std::string ToString() const;

  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  friend Rational operator/(const Rational& a, const Rational& b);  // Requires b != 0.
  friend bool operator==(const Rational& a, const Rational& b) = default;
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

 private:
  int64_t num_ = 0;
  int64_t den_ = 1;
};

struct AdjustedWinnerInput {
  std::array<std::string, 2> parties;
  std::vector<std::string> items;
  // points[k][p]: the points party p puts on item k (non-negative; each party's sum is 100).
  std::vector<std::array<int64_t, 2>> points;
};

struct AdjustedWinnerResult {
  // shares[k][p]: the fraction of item k that party p receives; shares[k][0] + shares[k][1] = 1.
  std::vector<std::array<Rational, 2>> shares;
  std::vector<std::array<double, 2>> shares_double;
  // Each party's total, by its own points (equal for both).
  std::array<Rational, 2> points;
  std::array<double, 2> points_double{};
  // The party ahead after the first assignment (-1 when they were level, nothing moved).
  int initial_winner = -1;
  // The items that moved from the initial winner to the other party, in the order moved; the
  // split item, if any, is last.
  std::vector<size_t> transfers;
  // The item divided between the parties, or -1.
  int split_item = -1;
};

// kInvalidArgument when the item and point counts differ, there is no item, a point is negative,
// a party's points do not sum to 100, or a party name is empty (the message names the item and
// party).
Result<AdjustedWinnerResult> AdjustedWinner(const AdjustedWinnerInput& input);

// CSV: a header "item,<party A>,<party B>" (the first column's title is free), then one row per
// item: its name and each party's points as non-negative integers. Fields may be quoted ("a, b"),
// spaces around fields are ignored, blank lines are skipped, CRLF line ends are accepted.
// kInvalidArgument names `source`, the line and the column: "split.csv: line 4, column 3 ('Bob'):
// '-2' is not a non-negative integer", "split.csv: column 2 ('Ann'): points sum to 95, not 100".
// Also refused: a row without exactly 3 columns, an empty or repeated item name, no items.
Result<AdjustedWinnerInput> ParseAdjustedWinnerCsv(std::string_view text,
                                                   const std::string& source);

// The input from a two-party scenario whose issues are the items: each party's points on an
// item are its linear-additive weight on that issue, normalized to sum 1 and scaled to 100 by the
// largest-remainder method (floors first; the points left go to the largest remainders, ties to
// the earlier issue), so they are integers summing to exactly 100. Value functions are ignored:
// an issue is a good that one party or the other gets, not a range of positions.
// kInvalidArgument for a party count other than 2, a hyper-rectangle profile, or weights that sum
// to 0.
Result<AdjustedWinnerInput> AdjustedWinnerInputFromScenario(const Scenario& scenario);

}  // namespace shuttle

#endif  // SHUTTLE_ADJUSTED_WINNER_H_
