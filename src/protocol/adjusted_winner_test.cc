#include "shuttle/adjusted_winner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace shuttle {
namespace {

AdjustedWinnerInput Input(std::vector<std::array<int64_t, 2>> points) {
  AdjustedWinnerInput in;
  in.parties = {"Ann", "Bob"};
  for (size_t k = 0; k < points.size(); ++k) in.items.push_back("item" + std::to_string(k));
  in.points = std::move(points);
  return in;
}

// Party p's valuation of a bundle given as its fractions of each item.
Rational Value(const AdjustedWinnerInput& in, const AdjustedWinnerResult& r, int p, int holder) {
  Rational v = 0;
  for (size_t k = 0; k < in.items.size(); ++k) v = v + r.shares[k][holder] * in.points[k][p];
  return v;
}

// The most party 1 can get while party 0 keeps at least `need` (a fractional knapsack, solved
// greedily: party 0 takes items in decreasing order of its points per point of party 1's, those
// party 1 does not value first). Independent of the Adjusted Winner procedure's bookkeeping.
Rational BestForSecondGiven(const AdjustedWinnerInput& in, Rational need) {
  std::vector<size_t> order(in.items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    // a before b when a0/a1 > b0/b1.
    return static_cast<__int128>(in.points[a][0]) * in.points[b][1] >
           static_cast<__int128>(in.points[b][0]) * in.points[a][1];
  });
  Rational second = 100;
  for (size_t k : order) {
    if (need <= 0) break;
    const int64_t a = in.points[k][0], b = in.points[k][1];
    if (a == 0) continue;  // Taking it would not help party 0.
    Rational take = need >= a ? Rational(1) : need / a;
    need = need - take * a;
    second = second - take * b;
  }
  return second;
}

TEST(RationalTest, ArithmeticIsExactAndReduced) {
  Rational a(1, 3), b(1, 6);
  EXPECT_EQ(a + b, Rational(1, 2));
  EXPECT_EQ((a - b).ToString(), "1/6");
  EXPECT_EQ(a * b, Rational(1, 18));
  EXPECT_EQ(a / b, Rational(2));
  EXPECT_EQ(Rational(4, -6).ToString(), "-2/3");
  EXPECT_LT(Rational(2, 3), Rational(3, 4));
  EXPECT_EQ(Rational(6, 3).ToString(), "2");
  EXPECT_DOUBLE_EQ(Rational(3, 8).ToDouble(), 0.375);
}

TEST(AdjustedWinnerTest, SplitsTheLowestRatioItemToEqualizeTotals) {
  // Ann: house 50, car 30, boat 20; Bob: 20, 30, 50. House to Ann, boat to Bob; the car is tied
  // and the parties are level (50 each), so it goes to Ann: Ann 80, Bob 50. Ann's items by ratio:
  // car 30/30 = 1, house 50/20 = 2.5. Moving the whole car would leave Ann 50 < Bob 80, so Bob gets
  // f = (80 - 50) / (30 + 30) = 1/2 of it: both end with 65.
  AdjustedWinnerInput in = Input({{50, 20}, {30, 30}, {20, 50}});
  auto r = AdjustedWinner(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->initial_winner, 0);
  EXPECT_EQ(r->split_item, 1);
  EXPECT_EQ(r->shares[0][0], Rational(1));
  EXPECT_EQ(r->shares[1][0], Rational(1, 2));
  EXPECT_EQ(r->shares[1][1], Rational(1, 2));
  EXPECT_EQ(r->shares[2][1], Rational(1));
  EXPECT_EQ(r->points[0], Rational(65));
  EXPECT_EQ(r->points[1], Rational(65));
  EXPECT_DOUBLE_EQ(r->points_double[1], 65.0);
  EXPECT_DOUBLE_EQ(r->shares_double[1][0], 0.5);
  EXPECT_EQ(r->transfers, std::vector<size_t>({1}));
}

TEST(AdjustedWinnerTest, TiedItemGoesToThePartyBehind) {
  // Ann 60, Bob 40 after the unequal items; the tied item (20, 20) goes to Bob, who is behind,
  // and the totals are then level at 60: nothing moves, nothing is split.
  AdjustedWinnerInput in = Input({{60, 40}, {20, 40}, {20, 20}});
  auto r = AdjustedWinner(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shares[2][1], Rational(1));
  EXPECT_EQ(r->initial_winner, -1);
  EXPECT_EQ(r->split_item, -1);
  EXPECT_EQ(r->points[0], Rational(60));
  EXPECT_EQ(r->points[1], Rational(60));
}

TEST(AdjustedWinnerTest, WholeItemsMoveBeforeTheSplitInRatioOrder) {
  // Initial: Ann gets a (40 > 10), b (35 > 5), c (25 > 15): 100; Bob gets d: 70. Ann's ratios:
  // c 25/15 = 1.67, b 35/5 = 7, a 40/10 = 4. Order c, a, b. Moving c: Ann 75, Bob 85 — overshoots,
  // so c is split: f = (100 - 70) / (25 + 15) = 3/4; Ann 100 - 75/4 = 81.25, Bob 70 + 45/4 = 81.25.
  AdjustedWinnerInput in = Input({{40, 10}, {35, 5}, {25, 15}, {0, 70}});
  auto r = AdjustedWinner(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->split_item, 2);
  EXPECT_EQ(r->shares[2][1], Rational(3, 4));
  EXPECT_EQ(r->points[0], Rational(325, 4));
  EXPECT_EQ(r->points[1], Rational(325, 4));

  // Here c moves whole and a is split. Initial: Ann gets a 50, b 30, c 10 (10 > 9) = 90; Bob d 70.
  // Ratios: c 10/9, a 50/20 = 2.5, b 30/1. Moving c (gap 20 >= 10 + 9): Ann 80, Bob 79. Then a
  // would overshoot, so Bob gets f = (80 - 79) / (50 + 20) = 1/70 of it:
  // Ann 80 - 50/70 = 555/7, Bob 79 + 20/70 = 555/7.
  AdjustedWinnerInput in2 = Input({{50, 20}, {30, 1}, {10, 9}, {10, 70}});
  auto r2 = AdjustedWinner(in2);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->transfers, std::vector<size_t>({2, 0}));
  EXPECT_EQ(r2->shares[2][1], Rational(1));
  EXPECT_EQ(r2->shares[0][1], Rational(1, 70));
  EXPECT_EQ(r2->points[0], Rational(555, 7));
  EXPECT_EQ(r2->points[1], Rational(555, 7));
}

TEST(AdjustedWinnerTest, RejectsBadInputNamingItemAndParty) {
  AdjustedWinnerInput in = Input({{50, 50}, {50, 49}});
  auto r = AdjustedWinner(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'Bob'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("99"), std::string::npos);

  in = Input({{110, 50}, {-10, 50}});
  r = AdjustedWinner(in);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("item0"), std::string::npos) << r.status().message();

  EXPECT_FALSE(AdjustedWinner(Input({})).ok());
}

// Random instances: integer points summing to 100 per party, some zeros and ties.
AdjustedWinnerInput RandomInput(std::mt19937_64& rng) {
  const int items = 1 + static_cast<int>(rng() % 8);
  std::vector<std::array<int64_t, 2>> points(items, {0, 0});
  for (int p = 0; p < 2; ++p) {
    for (int unit = 0; unit < 100; ++unit) {
      // Lumpy: a few items get most points.
      int k = static_cast<int>(rng() % items);
      if (rng() % 3 == 0) k = 0;
      points[k][p] += 1;
    }
  }
  // Sometimes copy a party's points on an item to make ties (then rebalance the sums).
  if (items >= 2 && rng() % 2 == 0) {
    const int k = static_cast<int>(rng() % items);
    const int64_t diff = points[k][0] - points[k][1];
    const int other = (k + 1) % items;
    if (points[other][1] - diff >= 0) {
      points[k][1] += diff;
      points[other][1] -= diff;
    }
  }
  return Input(points);
}

TEST(AdjustedWinnerPropertyTest, EquitableEnvyFreeEfficientAtMostOneSplit) {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 2000; ++trial) {
    AdjustedWinnerInput in = RandomInput(rng);
    auto r = AdjustedWinner(in);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    SCOPED_TRACE(::testing::Message() << "trial " << trial);
    int split = 0;
    for (size_t k = 0; k < in.items.size(); ++k) {
      EXPECT_EQ(r->shares[k][0] + r->shares[k][1], Rational(1));
      EXPECT_GE(r->shares[k][0], Rational(0));
      EXPECT_GE(r->shares[k][1], Rational(0));
      if (r->shares[k][0] != 0 && r->shares[k][1] != 0) ++split;
    }
    EXPECT_LE(split, 1);
    EXPECT_EQ(split == 1, r->split_item >= 0);
    // Equitable: each gets the same number of its own points, and they are what it values.
    const Rational a = Value(in, *r, 0, 0), b = Value(in, *r, 1, 1);
    EXPECT_EQ(a, b);
    EXPECT_EQ(r->points[0], a);
    EXPECT_EQ(r->points[1], b);
    // Envy-free: neither values the other's bundle above its own.
    EXPECT_GE(a, Value(in, *r, 0, 1));
    EXPECT_GE(b, Value(in, *r, 1, 0));
    // Efficient: given what party 0 gets, party 1 could get no more in any division.
    EXPECT_EQ(BestForSecondGiven(in, a), b);
  }
}

TEST(AdjustedWinnerCsvTest, ParsesQuotedNamesSpacesAndCrlf) {
  const char* csv =
      "\xEF\xBB\xBFitem, Ann ,\"Bob, Jr.\"\r\n"
      "house,50,20\r\n"
      "\r\n"
      "\"car \"\"red\"\"\",30, 30\r\n"
      "boat,20,50\r\n";
  auto in = ParseAdjustedWinnerCsv(csv, "split.csv");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->parties[0], "Ann");
  EXPECT_EQ(in->parties[1], "Bob, Jr.");
  ASSERT_EQ(in->items.size(), 3u);
  EXPECT_EQ(in->items[1], "car \"red\"");
  EXPECT_EQ(in->points[2][1], 50);
}

void ExpectCsvError(const std::string& csv, const std::string& fragment) {
  auto in = ParseAdjustedWinnerCsv(csv, "split.csv");
  ASSERT_FALSE(in.ok()) << "accepted: " << csv;
  EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(in.status().message().find(fragment), std::string::npos)
      << "message: " << in.status().message() << "\nexpected to contain: " << fragment;
}

TEST(AdjustedWinnerCsvTest, ErrorsNameFileLineAndColumn) {
  ExpectCsvError("item,Ann,Bob\nhouse,50,50\ncar,-2,50\n",
                 "split.csv: line 3: column 2 ('Ann'): '-2'");
  ExpectCsvError("item,Ann,Bob\nhouse,50,50\ncar,50,4.5\n", "line 3: column 3 ('Bob'): '4.5'");
  ExpectCsvError("item,Ann,Bob\nhouse,50,50\ncar,45,50\n",
                 "split.csv: column 2 ('Ann'): points sum to 95, not 100");
  ExpectCsvError("item,Ann,Bob,Cy\nhouse,100,100,100\n", "line 1: expected 3 columns");
  ExpectCsvError("item,Ann,Bob\nhouse,100\n", "line 2: expected 3 columns");
  ExpectCsvError("item,Ann,Bob\nhouse,50,50\nhouse,50,50\n",
                 "line 3: column 1: item 'house' is listed twice");
  ExpectCsvError("item,Ann,Ann\nhouse,100,100\n", "both parties are named 'Ann'");
  ExpectCsvError("item,Ann,Bob\n", "no items");
  ExpectCsvError("", "empty file");
  ExpectCsvError("item,Ann,Bob\n\"house,50,50\n", "line 2: unterminated quoted field");
  ExpectCsvError("item,Ann,Bob\nhouse,99999999999999999999,0\n", "is not a whole number");
}

TEST(AdjustedWinnerCsvTest, ParsedInputRunsEndToEnd) {
  auto in = ParseAdjustedWinnerCsv("item,Ann,Bob\nhouse,50,20\ncar,30,30\nboat,20,50\n", "x.csv");
  ASSERT_TRUE(in.ok());
  auto r = AdjustedWinner(*in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->points[0], Rational(65));
}

Scenario TwoPartyScenario(std::vector<double> w0, std::vector<double> w1) {
  Scenario s;
  std::vector<Issue> issues;
  for (size_t i = 0; i < w0.size(); ++i)
    issues.push_back(Issue::Discrete("good" + std::to_string(i), {"a", "b"}));
  s.space = OutcomeSpace(issues);
  for (const auto& w : {w0, w1}) {
    Profile p;
    p.weights = w;
    for (size_t i = 0; i < w.size(); ++i) {
      Evaluator e;
      e.evaluations = {1, 0};
      p.evaluators.push_back(e);
    }
    s.parties.push_back({"p" + std::to_string(s.parties.size()), p});
  }
  return s;
}

TEST(AdjustedWinnerScenarioTest, WeightsBecomePointsByLargestRemainder) {
  // Thirds: 33.33 each, floors 33 + 33 + 33 = 99, the extra point to the first of the tied
  // remainders. Second party: 0.125, 0.375, 0.5 scale to 12.5, 37.5, 50: floors 12 + 37 + 50 = 99,
  // remainders .5, .5, 0: the extra point to the first.
  Scenario s = TwoPartyScenario({1, 1, 1}, {0.125, 0.375, 0.5});
  auto in = AdjustedWinnerInputFromScenario(s);
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  EXPECT_EQ(in->items, std::vector<std::string>({"good0", "good1", "good2"}));
  EXPECT_EQ(in->parties[0], "p0");
  EXPECT_EQ(in->points[0][0], 34);
  EXPECT_EQ(in->points[1][0], 33);
  EXPECT_EQ(in->points[2][0], 33);
  EXPECT_EQ(in->points[0][1], 13);
  EXPECT_EQ(in->points[1][1], 37);
  EXPECT_EQ(in->points[2][1], 50);
  EXPECT_TRUE(AdjustedWinner(*in).ok());
}

TEST(AdjustedWinnerScenarioTest, PointsAlwaysSumTo100) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 1 + rng() % 12;
    std::vector<double> w0(n), w1(n);
    for (size_t i = 0; i < n; ++i) w0[i] = unit(rng), w1[i] = unit(rng) * unit(rng);
    auto in = AdjustedWinnerInputFromScenario(TwoPartyScenario(w0, w1));
    ASSERT_TRUE(in.ok());
    for (int p = 0; p < 2; ++p) {
      int64_t sum = 0;
      for (const auto& row : in->points) sum += row[p];
      EXPECT_EQ(sum, 100);
    }
  }
}

TEST(AdjustedWinnerScenarioTest, RefusesWhatItCannotDivide) {
  Scenario s = TwoPartyScenario({1, 1}, {1, 1});
  Scenario three = s;
  three.parties.push_back(s.parties[0]);
  EXPECT_EQ(AdjustedWinnerInputFromScenario(three).status().code(), StatusCode::kInvalidArgument);
  Scenario zero = TwoPartyScenario({0, 0}, {1, 1});
  EXPECT_NE(AdjustedWinnerInputFromScenario(zero).status().message().find("sum to 0"),
            std::string::npos);
  Scenario boxes = s;
  boxes.parties[1].profile.kind = ProfileKind::kHyperRectangles;
  EXPECT_FALSE(AdjustedWinnerInputFromScenario(boxes).ok());
}

}  // namespace
}  // namespace shuttle
