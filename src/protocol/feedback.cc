// Mediator feedback (after Aydogan, Hindriks, Jonker 2014), on the skeleton of mediated.h.
//
// Each round the mediator changes its text and asks every party, in private (kFeedback, audience
// Caucus(party)), whether the proposal is better (+1), the same (0) or worse (-1) for it than the
// text (Turn::reference), which is the previous proposal whenever that one was kept. A proposal
// nobody finds worse becomes the text (public kAdopt), so for truthful parties every adopted text
// is at least as good as the one before. After `rounds` rounds the text goes to the final
// ratification vote (mediated.h).
//
// A proposal normally differs from the text in one issue, so each answer compares two values of
// that issue for that party. The mediator keeps, per party and issue, a partial preference graph:
// an edge worse -> better for each +1 / -1 answer, an "equal" link for each 0. Its estimate of a
// value's worth to a party is (below + 1) / (below + above + 2), where below / above count the
// values the graph shows (transitively, equal links included) to be beneath / above it; unknown
// values score 1/2. Issues of more than kGraphLimit values use direct win rates instead,
// (wins + 1) / (comparisons + 2), without transitivity. Issue weights are unknown to it and
// taken as equal in its estimates.
//
// Search. Exploration, for the first sum_i (|values_i| - 1) rounds (at most half the rounds):
// issues in turn, each time the value of that issue compared least often so far. Then
// exploitation: among the one-issue changes of the text not yet proposed since the text last
// changed, the one maximizing the least estimated gain over the parties, min_p (score_p(new) -
// score_p(current)), skipping changes a party's graph already shows to be worse for it; ties are
// broken at random. When every one-issue change has been tried (no single change helps everyone,
// as on issues where the parties want opposite things), the mediator proposes trades: two issues
// changed at once, one of them among the kTradeBases single changes with the greatest estimated
// total gain, the pair maximizing the least estimated gain, each pair once per text. Answers to a
// trade are not learnt from (they do not compare two values of one issue). With more than
// kTradeValueLimit values in all, or when every trade has been tried, it proposes a random
// one-issue change.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "protocol/mediated.h"

namespace shuttle {
namespace {

constexpr size_t kGraphLimit = 256;
// Trades are considered with one of this many best single changes as one half.
constexpr size_t kTradeBases = 16;
// Trades are off when the issues have more values than this in all (the tried-pairs bitmap).
constexpr size_t kTradeValueLimit = 1024;
// How many best candidates exploitation checks against the graphs before giving up on the gains.
constexpr int kMaxKnownWorse = 32;

class FeedbackProtocol final : public MediatedProtocol {
 public:
  FeedbackProtocol(const OutcomeSpace* space, int party_count, const ProtocolOptions& options)
      : MediatedProtocol(space, party_count, options, Turn::Kind::kFeedback) {
    issues_ = space->issue_count();
    offsets_.push_back(0);
    size_t largest = 1;
    uint64_t explore = 0;
    for (size_t i = 0; i < issues_; ++i) {
      offsets_.push_back(offsets_.back() + issue_size(i));
      largest = std::max<size_t>(largest, issue_size(i));
      explore += issue_size(i) - 1;
    }
    const size_t values = offsets_.back();
    if (options.rounds > 0)
      explore = std::min<uint64_t>(explore, static_cast<uint64_t>(options.rounds) / 2);
    explore_rounds_ = static_cast<int>(std::min<uint64_t>(explore, INT32_MAX));
    edges_.resize(static_cast<size_t>(party_count) * issues_);
    scores_.assign(static_cast<size_t>(party_count) * values, 0.5);
    wins_.assign(static_cast<size_t>(party_count) * values, 0);
    games_.assign(static_cast<size_t>(party_count) * values, 0);
    compared_.assign(values, 0);
    tried_.assign(values, 0);
    seen_.assign(largest, 0);
    stack_.reserve(largest);
    if (values <= kTradeValueLimit) pair_tried_.assign(values * values, 0);
  }

  const char* name() const override { return "feedback"; }

 protected:
  void Propose() override {
    if (mutable_issues().empty()) {
      proposal_ = text_;
      changed_ = kNone;
      return;
    }
    size_t issue = 0;
    uint32_t value = 0;
    proposal_ = text_;
    traded_ = kNone;
    if (round() < explore_rounds_) {
      issue = mutable_issues()[cursor_++ % mutable_issues().size()];
      value = LeastCompared(issue);
    } else if (!BestGain(&issue, &value)) {
      size_t other = 0;
      uint32_t other_value = 0;
      if (NextTrade(&issue, &value, &other, &other_value)) {
        proposal_[other] = other_value;
        traded_ = other;
      } else {
        issue = mutable_issues()[rng_.Below(mutable_issues().size())];
        MutateRandomly(text_, issue);
        value = proposal_[issue];
      }
    }
    proposal_[issue] = value;
    changed_ = issue;
    tried_[offsets_[issue] + value] = 1;
    ++compared_[offsets_[issue] + value];
    ++compared_[offsets_[issue] + text_[issue]];
  }

  bool Decide(double t) override {
    if (changed_ == kNone) return true;
    if (traded_ == kNone) {  // A trade changes two issues: its answers say nothing about one.
      const uint32_t from = text_[changed_], to = proposal_[changed_];
      for (int p = 0; p < party_count(); ++p) {
        Learn(p, changed_, from, to, answers_[p]);
        Rescore(p, changed_);
      }
    }
    return std::all_of(answers_.begin(), answers_.end(), [](int32_t v) { return v >= 0; });
  }

  void Adopted() override {
    std::fill(tried_.begin(), tried_.end(), 0);
    std::fill(pair_tried_.begin(), pair_tried_.end(), 0);
  }

 private:
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();

  struct Edge {
    uint32_t worse;
    uint32_t better;
    bool equal;
  };

  size_t Slot(int p, size_t issue, uint32_t v) const {
    return static_cast<size_t>(p) * offsets_.back() + offsets_[issue] + v;
  }

  uint32_t LeastCompared(size_t issue) {
    uint32_t pick = text_[issue];
    uint32_t least = UINT32_MAX;
    uint64_t ties = 0;
    for (uint32_t v = 0; v < issue_size(issue); ++v) {
      if (v == text_[issue]) continue;
      const uint32_t c = compared_[offsets_[issue] + v];
      if (c < least) {
        least = c, pick = v, ties = 1;
      } else if (c == least && rng_.Below(++ties) == 0) {
        pick = v;  // Reservoir sampling: a uniform choice among the least compared.
      }
    }
    return pick;
  }

  // The untried one-issue change with the greatest least gain that no graph shows to be worse.
  bool BestGain(size_t* issue, uint32_t* value) {
    for (int attempt = 0; attempt < kMaxKnownWorse; ++attempt) {
      double best = -std::numeric_limits<double>::infinity();
      uint64_t ties = 0;
      for (uint32_t i : mutable_issues()) {
        for (uint32_t v = 0; v < issue_size(i); ++v) {
          if (v == text_[i] || tried_[offsets_[i] + v]) continue;
          double gain = std::numeric_limits<double>::infinity();
          for (int p = 0; p < party_count(); ++p) {
            gain = std::min(gain, scores_[Slot(p, i, v)] - scores_[Slot(p, i, text_[i])]);
          }
          if (gain > best + 1e-12) {
            best = gain, *issue = i, *value = v, ties = 1;
          } else if (gain >= best - 1e-12 && rng_.Below(++ties) == 0) {
            *issue = i, *value = v;
          }
        }
      }
      if (ties == 0) return false;
      bool worse = false;
      for (int p = 0; p < party_count() && !worse; ++p)
        worse = KnownBetter(p, *issue, text_[*issue], *value);
      if (!worse) return true;
      tried_[offsets_[*issue] + *value] = 1;
    }
    return false;
  }

  // Estimated gain of party p from setting `issue` to `v` in the text.
  double Delta(int p, size_t issue, uint32_t v) const {
    return scores_[Slot(p, issue, v)] - scores_[Slot(p, issue, text_[issue])];
  }

  // The untried trade (two issues changed together) with the greatest least estimated gain:
  // one change from the kTradeBases with the greatest estimated total gain, the other any.
  bool NextTrade(size_t* issue, uint32_t* value, size_t* other, uint32_t* other_value) {
    if (pair_tried_.empty()) return false;
    const size_t values = offsets_.back();
    // The bases: value slots (issue, value) with the greatest sum of estimated gains.
    size_t bases = 0;
    for (uint32_t i : mutable_issues()) {
      for (uint32_t v = 0; v < issue_size(i); ++v) {
        if (v == text_[i]) continue;
        double total = 0;
        for (int p = 0; p < party_count(); ++p) total += Delta(p, i, v);
        // Insertion into the short sorted list of the best bases.
        size_t k = std::min(bases, kTradeBases - 1);
        if (bases == kTradeBases && total <= base_gain_[k]) continue;
        while (k > 0 && base_gain_[k - 1] < total) {
          base_gain_[k] = base_gain_[k - 1];
          base_slot_[k] = base_slot_[k - 1];
          --k;
        }
        base_gain_[k] = total;
        base_slot_[k] = {i, v};
        bases = std::min(bases + 1, kTradeBases);
      }
    }
    double best = -std::numeric_limits<double>::infinity();
    uint64_t ties = 0;
    for (size_t b = 0; b < bases; ++b) {
      const auto [i, v] = base_slot_[b];
      for (uint32_t j : mutable_issues()) {
        if (j == i) continue;
        for (uint32_t w = 0; w < issue_size(j); ++w) {
          if (w == text_[j]) continue;
          const size_t a = offsets_[i] + v, c = offsets_[j] + w;
          if (pair_tried_[std::min(a, c) * values + std::max(a, c)]) continue;
          double gain = std::numeric_limits<double>::infinity();
          for (int p = 0; p < party_count(); ++p)
            gain = std::min(gain, Delta(p, i, v) + Delta(p, j, w));
          if (gain > best + 1e-12) {
            best = gain, ties = 1;
            *issue = i, *value = v, *other = j, *other_value = w;
          } else if (gain >= best - 1e-12 && rng_.Below(++ties) == 0) {
            *issue = i, *value = v, *other = j, *other_value = w;
          }
        }
      }
    }
    if (ties == 0) return false;
    const size_t a = offsets_[*issue] + *value, c = offsets_[*other] + *other_value;
    pair_tried_[std::min(a, c) * values + std::max(a, c)] = 1;
    return true;
  }

  void Learn(int p, size_t issue, uint32_t from, uint32_t to, int32_t answer) {
    std::vector<Edge>& edges = edges_[static_cast<size_t>(p) * issues_ + issue];
    if (answer > 0) {
      edges.push_back({from, to, false});
    } else if (answer < 0) {
      edges.push_back({to, from, false});
    } else {
      edges.push_back({from, to, true});
    }
    const uint32_t winner = answer > 0 ? to : from, loser = answer > 0 ? from : to;
    games_[Slot(p, issue, from)] += 1;
    games_[Slot(p, issue, to)] += 1;
    if (answer != 0) {
      wins_[Slot(p, issue, winner)] += 1;
    } else {
      wins_[Slot(p, issue, winner)] += 0.5;
      wins_[Slot(p, issue, loser)] += 0.5;
    }
  }

  void Rescore(int p, size_t issue) {
    const uint32_t size = static_cast<uint32_t>(issue_size(issue));
    for (uint32_t v = 0; v < size; ++v) {
      const size_t s = Slot(p, issue, v);
      if (size > kGraphLimit) {
        scores_[s] = (wins_[s] + 1) / (games_[s] + 2);
        continue;
      }
      const double below = Reach(p, issue, v, /*up=*/false);
      const double above = Reach(p, issue, v, /*up=*/true);
      scores_[s] = (below + 1) / (below + above + 2);
    }
  }

  // Number of values other than `start` reachable from it upward (to better values) or downward,
  // following strict edges in that direction and equal links both ways.
  int Reach(int p, size_t issue, uint32_t start, bool up) {
    const std::vector<Edge>& edges = edges_[static_cast<size_t>(p) * issues_ + issue];
    std::fill(seen_.begin(), seen_.begin() + static_cast<ptrdiff_t>(issue_size(issue)), 0);
    stack_.clear();
    stack_.push_back(start);
    seen_[start] = 1;
    int count = 0;
    while (!stack_.empty()) {
      const uint32_t v = stack_.back();
      stack_.pop_back();
      for (const Edge& e : edges) {
        uint32_t next;
        if (e.equal) {
          if (e.worse == v)
            next = e.better;
          else if (e.better == v)
            next = e.worse;
          else
            continue;
        } else if (up && e.worse == v) {
          next = e.better;
        } else if (!up && e.better == v) {
          next = e.worse;
        } else {
          continue;
        }
        if (seen_[next]) continue;
        seen_[next] = 1;
        ++count;
        stack_.push_back(next);
      }
    }
    return count;
  }

  // Whether party p's graph shows `better` above `worse` through strict edges only.
  bool KnownBetter(int p, size_t issue, uint32_t better, uint32_t worse) {
    if (issue_size(issue) > kGraphLimit) return false;
    const std::vector<Edge>& edges = edges_[static_cast<size_t>(p) * issues_ + issue];
    std::fill(seen_.begin(), seen_.begin() + static_cast<ptrdiff_t>(issue_size(issue)), 0);
    stack_.clear();
    stack_.push_back(worse);
    seen_[worse] = 1;
    while (!stack_.empty()) {
      const uint32_t v = stack_.back();
      stack_.pop_back();
      for (const Edge& e : edges) {
        if (e.equal || e.worse != v || seen_[e.better]) continue;
        if (e.better == better) return true;
        seen_[e.better] = 1;
        stack_.push_back(e.better);
      }
    }
    return false;
  }

  size_t issues_ = 0;
  std::vector<size_t> offsets_;                // Issue i's values start at offsets_[i].
  std::vector<std::vector<Edge>> edges_;       // [party * issues + issue]
  std::vector<double> scores_, wins_, games_;  // [party * values + offsets_[issue] + value]
  std::vector<uint32_t> compared_;             // Times each value was in a proposal's change.
  std::vector<uint8_t> tried_;                 // Proposed since the text last changed.
  std::vector<uint8_t> seen_;                  // Search scratch.
  std::vector<uint32_t> stack_;
  std::vector<uint8_t> pair_tried_;  // [slot * values + slot]: trades proposed since the text
                                     // last changed; empty when there are too many values.
  std::array<double, kTradeBases> base_gain_{};
  std::array<std::pair<uint32_t, uint32_t>, kTradeBases> base_slot_{};
  int explore_rounds_ = 0;
  size_t cursor_ = 0;
  size_t changed_ = kNone;  // The issue the proposal changes (kNone: none).
  size_t traded_ = kNone;   // The second issue of a trade, or kNone.
};

}  // namespace

Result<std::unique_ptr<Protocol>> MakeFeedbackProtocol(const OutcomeSpace* space, int party_count,
                                                       const ProtocolOptions& options) {
  if (party_count < 2) {
    return Status::InvalidArgument(
        fmt::format("feedback needs at least 2 parties, got {}", party_count));
  }
  if (!space->finite()) {
    return Status::FailedPrecondition(
        "feedback needs a finite outcome space (discretize real issues first)");
  }
  return std::unique_ptr<Protocol>(new FeedbackProtocol(space, party_count, options));
}

}  // namespace shuttle
