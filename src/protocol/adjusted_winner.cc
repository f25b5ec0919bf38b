#include "shuttle/adjusted_winner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <numeric>

namespace shuttle {

// ---------------------------------------------------------------------------------------------
// Rational

namespace {

using Int128 = __int128;

Int128 Gcd(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

Rational Make(Int128 n, Int128 d) {
  assert(d != 0);
  if (d < 0) n = -n, d = -d;
  const Int128 g = Gcd(n, d);
  if (g > 1) n /= g, d /= g;
  assert(n >= INT64_MIN && n <= INT64_MAX && d <= INT64_MAX && "Rational overflow");
  return Rational(static_cast<int64_t>(n), static_cast<int64_t>(d));
}

}  // namespace

Rational::Rational(int64_t n, int64_t d) : num_(n), den_(d) {
  assert(d != 0);
  Int128 nn = n, dd = d;
  if (dd < 0) nn = -nn, dd = -dd;
  const Int128 g = Gcd(nn, dd);
  if (g > 1) nn /= g, dd /= g;
  num_ = static_cast<int64_t>(nn);
  den_ = static_cast<int64_t>(dd);
}

std::string Rational::ToString() const {
  return den_ == 1 ? std::to_string(num_) : fmt::format("{}/{}", num_, den_);
}

Rational operator+(const Rational& a, const Rational& b) {
  return Make(Int128{a.num_} * b.den_ + Int128{b.num_} * a.den_, Int128{a.den_} * b.den_);
}
Rational operator-(const Rational& a, const Rational& b) {
  return Make(Int128{a.num_} * b.den_ - Int128{b.num_} * a.den_, Int128{a.den_} * b.den_);
}
Rational operator*(const Rational& a, const Rational& b) {
  return Make(Int128{a.num_} * b.num_, Int128{a.den_} * b.den_);
}
Rational operator/(const Rational& a, const Rational& b) {
  assert(b.num_ != 0);
  return Make(Int128{a.num_} * b.den_, Int128{a.den_} * b.num_);
}
std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  const Int128 l = Int128{a.num_} * b.den_, r = Int128{b.num_} * a.den_;
  return l < r ? std::strong_ordering::less
               : (l > r ? std::strong_ordering::greater : std::strong_ordering::equal);
}

// ---------------------------------------------------------------------------------------------
// The procedure

namespace {

constexpr int64_t kTotal = 100;

Status Validate(const AdjustedWinnerInput& input) {
  if (input.items.size() != input.points.size()) {
    return Status::InvalidArgument(
        fmt::format("{} items but {} rows of points", input.items.size(), input.points.size()));
  }
  if (input.items.empty()) return Status::InvalidArgument("there are no items to divide");
  for (int p = 0; p < 2; ++p) {
    if (input.parties[p].empty())
      return Status::InvalidArgument(fmt::format("party {} has no name", p + 1));
    int64_t sum = 0;
    for (size_t k = 0; k < input.items.size(); ++k) {
      const int64_t v = input.points[k][p];
      if (v < 0 || v > kTotal) {
        return Status::InvalidArgument(
            fmt::format("item '{}': party '{}' puts {} points on it (0 to {} allowed)",
                        input.items[k], input.parties[p], v, kTotal));
      }
      sum += v;
    }
    if (sum != kTotal) {
      return Status::InvalidArgument(
          fmt::format("party '{}': points sum to {}, not {}", input.parties[p], sum, kTotal));
    }
  }
  return Status::Ok();
}

// Whether item a should move before item b: a smaller ratio w_a / l_a (cross-multiplied, so an
// item the loser values at 0 counts as infinite), then input order.
bool MovesBefore(const AdjustedWinnerInput& in, int w, size_t a, size_t b) {
  const int l = 1 - w;
  const Int128 lhs = Int128{in.points[a][w]} * in.points[b][l];
  const Int128 rhs = Int128{in.points[b][w]} * in.points[a][l];
  if (lhs != rhs) return lhs < rhs;
  return a < b;
}

}  // namespace

Result<AdjustedWinnerResult> AdjustedWinner(const AdjustedWinnerInput& in) {
  SHUTTLE_RETURN_IF_ERROR(Validate(in));
  const size_t n = in.items.size();
  std::vector<int> owner(n, 0);
  std::array<Rational, 2> total{0, 0};
  for (size_t k = 0; k < n; ++k) {
    if (in.points[k][0] == in.points[k][1]) continue;
    owner[k] = in.points[k][0] > in.points[k][1] ? 0 : 1;
    total[owner[k]] = total[owner[k]] + in.points[k][owner[k]];
  }
  for (size_t k = 0; k < n; ++k) {
    if (in.points[k][0] != in.points[k][1]) continue;
    owner[k] = total[1] < total[0] ? 1 : 0;
    total[owner[k]] = total[owner[k]] + in.points[k][owner[k]];
  }

  AdjustedWinnerResult result;
  result.shares.assign(n, {Rational(0), Rational(0)});
  for (size_t k = 0; k < n; ++k) result.shares[k][owner[k]] = 1;
  if (total[0] != total[1]) {
    const int w = total[0] > total[1] ? 0 : 1, l = 1 - w;
    result.initial_winner = w;
    std::vector<size_t> order;
    for (size_t k = 0; k < n; ++k) {
      if (owner[k] == w && (in.points[k][0] != 0 || in.points[k][1] != 0)) order.push_back(k);
    }
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return MovesBefore(in, w, a, b); });
    for (size_t k : order) {
      const Rational gap = total[w] - total[l];
      const int64_t step = in.points[k][w] + in.points[k][l];
      result.transfers.push_back(k);
      if (gap >= step) {
        result.shares[k] = {Rational(0), Rational(0)};
        result.shares[k][l] = 1;
        total[w] = total[w] - in.points[k][w];
        total[l] = total[l] + in.points[k][l];
      } else {
        // Moving a fraction f = gap / (w_k + l_k) makes the totals equal.
        const Rational f = gap / step;
        result.shares[k][l] = f;
        result.shares[k][w] = Rational(1) - f;
        total[w] = total[w] - f * in.points[k][w];
        total[l] = total[l] + f * in.points[k][l];
        result.split_item = static_cast<int>(k);
      }
      if (total[w] == total[l]) break;
    }
  }
  result.points = total;
  result.points_double = {total[0].ToDouble(), total[1].ToDouble()};
  result.shares_double.resize(n);
  for (size_t k = 0; k < n; ++k) {
    result.shares_double[k] = {result.shares[k][0].ToDouble(), result.shares[k][1].ToDouble()};
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// CSV

namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits one line into fields; a field may be double-quoted ("" inside is a quote).
Status SplitFields(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  size_t i = 0;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += line[i++];
      }
      if (!closed) return Status::InvalidArgument("unterminated quoted field");
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',')
        return Status::InvalidArgument("text after a quoted field");
    } else {
      const size_t end = std::min(line.find(',', i), line.size());
      field = std::string(TrimSpaces(line.substr(i, end - i)));
      i = end;
    }
    fields->push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // The comma.
  }
  return Status::Ok();
}

}  // namespace

Result<AdjustedWinnerInput> ParseAdjustedWinnerCsv(std::string_view text,
                                                   const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark.
  AdjustedWinnerInput in;
  std::vector<std::string> fields;
  std::array<int64_t, 2> sums{0, 0};
  bool header = true;
  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (TrimSpaces(line).empty()) continue;
    auto where = [&](std::string_view what) {
      return fmt::format("{}: line {}: {}", source, line_no, what);
    };
    Status split = SplitFields(line, &fields);
    if (!split.ok()) return Status::InvalidArgument(where(split.message()));
    if (fields.size() != 3) {
      return Status::InvalidArgument(where(
          fmt::format("expected 3 columns ({}), found {}",
                      header ? "item, party A, party B" : "item, points, points", fields.size())));
    }
    if (header) {
      for (int p = 0; p < 2; ++p) {
        if (fields[p + 1].empty()) {
          return Status::InvalidArgument(
              where(fmt::format("column {}: the party has no name", p + 2)));
        }
        in.parties[p] = fields[p + 1];
      }
      if (in.parties[0] == in.parties[1]) {
        return Status::InvalidArgument(
            where(fmt::format("both parties are named '{}'", in.parties[0])));
      }
      header = false;
      continue;
    }
    if (fields[0].empty()) return Status::InvalidArgument(where("column 1: the item has no name"));
    if (std::find(in.items.begin(), in.items.end(), fields[0]) != in.items.end()) {
      return Status::InvalidArgument(
          where(fmt::format("column 1: item '{}' is listed twice", fields[0])));
    }
    std::array<int64_t, 2> row{};
    for (int p = 0; p < 2; ++p) {
      const std::string& f = fields[p + 1];
      int64_t v = -1;
      auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      if (f.empty() || ec != std::errc() || ptr != f.data() + f.size() || v < 0 || v > 100) {
        return Status::InvalidArgument(where(
            fmt::format("column {} ('{}'): '{}' is not a whole number of points from 0 to 100",
                        p + 2, in.parties[p], f)));
      }
      row[p] = v;
      sums[p] += v;
    }
    in.items.push_back(fields[0]);
    in.points.push_back(row);
  }
  if (header)
    return Status::InvalidArgument(
        fmt::format("{}: empty file: expected a header item,<party A>,<party B>", source));
  if (in.items.empty())
    return Status::InvalidArgument(fmt::format("{}: no items after the header", source));
  for (int p = 0; p < 2; ++p) {
    if (sums[p] != kTotal) {
      return Status::InvalidArgument(fmt::format("{}: column {} ('{}'): points sum to {}, not {}",
                                                 source, p + 2, in.parties[p], sums[p], kTotal));
    }
  }
  return in;
}

// ---------------------------------------------------------------------------------------------
// From a scenario

Result<AdjustedWinnerInput> AdjustedWinnerInputFromScenario(const Scenario& scenario) {
  if (scenario.parties.size() != 2) {
    return Status::InvalidArgument(fmt::format(
        "adjusted winner divides between 2 parties; the scenario has {}", scenario.parties.size()));
  }
  AdjustedWinnerInput in;
  const size_t n = scenario.space.issue_count();
  if (n == 0) return Status::InvalidArgument("the scenario has no issues to divide");
  for (const Issue& issue : scenario.space.issues()) in.items.push_back(issue.name());
  in.points.assign(n, {0, 0});
  for (int p = 0; p < 2; ++p) {
    const Party& party = scenario.parties[p];
    in.parties[p] = party.name.empty() ? fmt::format("party {}", p + 1) : party.name;
    if (party.profile.kind != ProfileKind::kLinearAdditive) {
      return Status::InvalidArgument(
          fmt::format("party '{}': adjusted winner needs linear additive weights", in.parties[p]));
    }
    if (party.profile.weights.size() != n) {
      return Status::InvalidArgument(fmt::format("party '{}': {} weights for {} issues",
                                                 in.parties[p], party.profile.weights.size(), n));
    }
    double sum = 0;
    for (double w : party.profile.weights) {
      if (!(w >= 0) || !std::isfinite(w)) {
        return Status::InvalidArgument(
            fmt::format("party '{}': weight {} is not a non-negative number", in.parties[p], w));
      }
      sum += w;
    }
    if (!(sum > 0))
      return Status::InvalidArgument(fmt::format("party '{}': weights sum to 0", in.parties[p]));
    // Largest remainder: floors, then one point each to the largest remainders.
    std::vector<double> remainder(n);
    int64_t given = 0;
    for (size_t k = 0; k < n; ++k) {
      const double exact = kTotal * party.profile.weights[k] / sum;
      in.points[k][p] = std::min<int64_t>(kTotal, static_cast<int64_t>(std::floor(exact)));
      remainder[k] = exact - static_cast<double>(in.points[k][p]);
      given += in.points[k][p];
    }
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
    for (size_t j = 0; given < kTotal; j = (j + 1) % n, ++given) ++in.points[order[j]][p];
  }
  return in;
}

}  // namespace shuttle
