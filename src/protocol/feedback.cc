// Mediator feedback (after Aydogan, Hindriks, Jonker 2014), on the skeleton of mediated.h.
//
// Each round the mediator changes one issue value of its text and asks every party, in private
// (kFeedback, audience Caucus(party)), whether the proposal is better (+1), the same (0) or worse
// (-1) for it than the text, which is the previous proposal whenever that one was kept. A proposal
// nobody finds worse becomes the text (public kAdopt). After `rounds` rounds the text goes to the
// final ratification vote (mediated.h).
//
// Since a proposal differs from the text in one issue, each answer compares two values of that
// issue for that party. The mediator keeps, per party and issue, a partial preference graph: an
// edge worse -> better for each +1 / -1 answer, an "equal" link for each 0. Its estimate of a
// value's worth to a party is (below + 1) / (below + above + 2), where below / above count the
// values the graph shows (transitively, equal links included) to be beneath / above it; unknown
// values score 1/2. Issues of more than kGraphLimit values use direct win rates instead
// (wins + 1) / (comparisons + 2), without transitivity.
//
// Search. Exploration, for the first sum_i (|values_i| - 1) rounds (at most half the rounds):
// issues in turn, each time the value of that issue compared least often so far. Then
// exploitation: among the one-issue changes of the text not yet proposed since the text last
// changed, the one maximizing the least estimated gain over the parties, min_p (score_p(new) -
// score_p(current)), skipping changes a party's graph already shows to be worse for it; ties are
// broken at random. When every change has been tried the mediator proposes a random one.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "protocol/mediated.h"

namespace shuttle {
namespace {

constexpr size_t kGraphLimit = 256;
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
    if (options.rounds > 0) explore = std::min<uint64_t>(explore, static_cast<uint64_t>(options.rounds) / 2);
    explore_rounds_ = static_cast<int>(std::min<uint64_t>(explore, INT32_MAX));
    edges_.resize(static_cast<size_t>(party_count) * issues_);
    scores_.assign(static_cast<size_t>(party_count) * values, 0.5);
    wins_.assign(static_cast<size_t>(party_count) * values, 0);
    games_.assign(static_cast<size_t>(party_count) * values, 0);
    compared_.assign(values, 0);
    tried_.assign(values, 0);
    seen_.assign(largest, 0);
    stack_.reserve(largest);
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
    if (round() < explore_rounds_) {
      issue = mutable_issues()[cursor_++ % mutable_issues().size()];
      value = LeastCompared(issue);
    } else if (!BestGain(&issue, &value)) {
      issue = mutable_issues()[rng_.Below(mutable_issues().size())];
      MutateRandomly(text_, issue);
      value = proposal_[issue];
    }
    proposal_ = text_;
    proposal_[issue] = value;
    changed_ = issue;
    tried_[offsets_[issue] + value] = 1;
    ++compared_[offsets_[issue] + value];
    ++compared_[offsets_[issue] + text_[issue]];
  }

  bool Decide(double t) override {
    if (changed_ == kNone) return true;
    const uint32_t from = text_[changed_], to = proposal_[changed_];
    for (int p = 0; p < party_count(); ++p) {
      Learn(p, changed_, from, to, answers_[p]);
      Rescore(p, changed_);
    }
    return std::all_of(answers_.begin(), answers_.end(), [](int32_t v) { return v >= 0; });
  }

  void Adopted() override { std::fill(tried_.begin(), tried_.end(), 0); }

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
      for (int p = 0; p < party_count() && !worse; ++p) worse = KnownBetter(p, *issue, text_[*issue], *value);
      if (!worse) return true;
      tried_[offsets_[*issue] + *value] = 1;
    }
    return false;
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
          if (e.worse == v) next = e.better;
          else if (e.better == v) next = e.worse;
          else continue;
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
  std::vector<size_t> offsets_;            // Issue i's values start at offsets_[i].
  std::vector<std::vector<Edge>> edges_;   // [party * issues + issue]
  std::vector<double> scores_, wins_, games_;  // [party * values + offsets_[issue] + value]
  std::vector<uint32_t> compared_;         // Times each value was in a proposal's change.
  std::vector<uint8_t> tried_;             // Proposed since the text last changed.
  std::vector<uint8_t> seen_;              // Search scratch.
  std::vector<uint32_t> stack_;
  int explore_rounds_ = 0;
  size_t cursor_ = 0;
  size_t changed_ = kNone;
};

}  // namespace

Result<std::unique_ptr<Protocol>> MakeFeedbackProtocol(const OutcomeSpace* space, int party_count,
                                                       const ProtocolOptions& options) {
  if (party_count < 2) {
    return Status::InvalidArgument(fmt::format("feedback needs at least 2 parties, got {}", party_count));
  }
  if (!space->finite()) {
    return Status::FailedPrecondition("feedback needs a finite outcome space (discretize real issues first)");
  }
  return std::unique_ptr<Protocol>(new FeedbackProtocol(space, party_count, options));
}

}  // namespace shuttle
