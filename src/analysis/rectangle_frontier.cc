// The Pareto frontier of two parties' hyper-rectangle utilities without enumerating the space.
//
// A party's utility is a sum of boxes, so an outcome's utility pair depends only on which boxes
// contain it. The search fixes the issues one at a time in a chosen order. After the first d
// issues, a partial outcome has collected the boxes all of whose issues are fixed (its utility so
// far) and keeps alive the boxes that are still open (some issues fixed, all within the box, some
// not yet fixed): what the remaining issues can add depends only on that set of open, alive boxes
// (its "state"). Partial outcomes in the same state have the same completions, so among them only
// the Pareto-optimal utility pairs can lead to frontier points: each state keeps a small Pareto
// list, which is exact. The values of an issue that lie in the same boxes (of both parties) are
// interchangeable: the search branches on such cells, one representative value each.
//
// The number of states is bounded by 2^(boxes open across a cut) and by the number of cells of the
// issues fixed so far that open boxes constrain; the issue order is chosen to keep both small.
// On top of that, a partial outcome is dropped when even its optimistic completion is strictly
// dominated by a point known to be reachable: an outcome of the incumbent (real outcomes from
// elsewhere), or, when no box has a negative weight, another partial outcome's utility so far (any
// completion of it keeps at least that). Such a partial outcome cannot reach the frontier, so this
// is exact too. The optimistic completion (Rest) charges each box still payable, open or not
// started, to one of its issues not fixed yet: the boxes charged to an issue pay at most the sum
// of its best cell, which counts the conflicts between boxes on the same issue.
//
// Past `limit` partial outcomes in one layer the search keeps the `limit` most promising (those
// whose optimistic completion exceeds the known points by most) and records the optimistic
// completions of the others: the result is then inexact, and every outcome it may have missed is
// weakly dominated by one of those upper bounds (see RectangleGap).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>

#include "analysis/internal.h"

namespace shuttle::analysis_internal {
namespace {

using Range = std::pair<uint32_t, uint32_t>;

// A box of one party with one intersected range per constrained issue.
struct SearchBox {
  int party;
  double weight;  // Box utility, unscaled (the party's box_scale applies to sums).
  std::vector<std::pair<uint32_t, Range>> bounds;
  size_t first = 0, last = 0;  // Positions in the issue order of its first and last issue.
};

// Issue i's values grouped by the boxes that contain them: one representative value per cell and,
// per cell, whether it lies in each of the boxes constraining issue i.
struct Cells {
  std::vector<uint32_t> values;
  std::vector<std::vector<bool>> inside;  // [cell][k-th box on the issue]
};

// How fixing issue order[d] to one cell changes a state (bit sets over all boxes, W words each).
struct Move {
  uint32_t value;
  std::vector<uint64_t> kill;      // Open boxes on this issue that do not contain the cell.
  std::vector<uint64_t> start;     // Boxes opening here (issues left later) that contain it.
  std::vector<uint64_t> close_in;  // Open boxes closing here that contain it.
  std::array<double, 2> gain{};    // Boxes whose only issue left is this one, containing it.
};

// One issue of a box: the issue, its position in the order, the box's index among the issue's.
struct Slot {
  size_t issue, pos, t;
};

// Sums per cell (offset by issue) and party, the best cell's per issue, and their total.
struct Charges {
  std::vector<std::array<double, 2>> sums;
  std::vector<std::array<double, 2>> best;
  std::array<double, 2> total{};
};

struct Layer {
  std::vector<Move> moves;
  std::vector<uint64_t> closing;  // Boxes whose last issue is this one.
  // What the boxes not started yet may add, charged to their first or last issue (Rest).
  Charges charges[2];
};

// A partial outcome: utility so far (unscaled) and how to rebuild its values.
struct Item {
  double u[2];
  uint32_t parent;  // Index into the previous layer's links.
  uint32_t value;   // This layer's issue value.
};

struct Link {
  uint32_t parent, value;
};

// A Pareto staircase of utility pairs (scaled): keys k0 strictly decreasing, k1 strictly
// increasing, with the utilities they round.
class Staircase {
 public:
  struct Entry {
    int64_t k0, k1;
    double u0, u1;
  };
  // Strictly dominated (>= in both keys, > in one) by a point of the staircase.
  bool StrictlyDominates(int64_t a, int64_t b) const {
    auto it = std::partition_point(points_.begin(), points_.end(),
                                   [&](const Entry& p) { return p.k0 >= a; });
    if (it == points_.begin()) return false;
    const Entry& p = *std::prev(it);
    return p.k1 > b || (p.k1 == b && p.k0 > a);
  }
  void Merge(std::vector<Entry> more) {
    more.insert(more.end(), points_.begin(), points_.end());
    std::sort(more.begin(), more.end(), [](const Entry& x, const Entry& y) {
      return x.k0 != y.k0 ? x.k0 > y.k0 : x.k1 > y.k1;
    });
    points_.clear();
    for (const Entry& p : more) {
      if (points_.empty() || p.k1 > points_.back().k1) points_.push_back(p);
    }
  }
  // The smallest e >= 0 such that u is weakly dominated by a point raised by e in both utilities.
  double Gap(double u0, double u1) const {
    if (points_.empty()) return INFINITY;
    // u0 - p.u0 rises along the staircase and u1 - p.u1 falls: the best is where they cross.
    auto it = std::partition_point(points_.begin(), points_.end(),
                                   [&](const Entry& p) { return u0 - p.u0 < u1 - p.u1; });
    double best = INFINITY;
    if (it != points_.end()) best = std::max(u0 - it->u0, u1 - it->u1);
    if (it != points_.begin())
      best = std::min(best, std::max(u0 - std::prev(it)->u0, u1 - std::prev(it)->u1));
    return std::max(best, 0.0);
  }
  bool empty() const { return points_.empty(); }

 private:
  std::vector<Entry> points_;
};

// Open-addressing map from a state (W words, stored in `words`) to its index.
class StateTable {
 public:
  explicit StateTable(size_t w) : w_(w) { slots_.assign(1024, 0); }
  const uint64_t* state(size_t i) const { return words_.data() + i * w_; }
  // The index of `s`, inserted when new (*fresh set).
  uint32_t Find(const uint64_t* s, bool* fresh) {
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t h = Hash(s) & mask;; h = (h + 1) & mask) {
      uint32_t slot = slots_[h];
      if (slot == 0) {
        words_.insert(words_.end(), s, s + w_);
        slots_[h] = static_cast<uint32_t>(++count_);
        *fresh = true;
        return static_cast<uint32_t>(count_ - 1);
      }
      if (std::equal(s, s + w_, state(slot - 1))) {
        *fresh = false;
        return slot - 1;
      }
    }
  }

 private:
  uint64_t Hash(const uint64_t* s) const {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < w_; ++i) h = SplitMix64Mix(h ^ s[i]);
    return h;
  }
  void Grow() {
    std::vector<uint32_t> slots(slots_.size() * 2, 0);
    size_t mask = slots.size() - 1;
    for (size_t i = 0; i < count_; ++i) {
      size_t h = Hash(state(i)) & mask;
      while (slots[h] != 0) h = (h + 1) & mask;
      slots[h] = static_cast<uint32_t>(i + 1);
    }
    slots_.swap(slots);
  }
  size_t w_;
  size_t count_ = 0;
  std::vector<uint32_t> slots_;  // 0 = empty, else index + 1.
  std::vector<uint64_t> words_;
};

class Search {
 public:
  Search(const OutcomeSpace& space, const std::vector<Utility>& utilities,
         const RectangleSearchOptions& options)
      : utilities_(utilities),
        options_(options),
        allowed_(AllowedValues(space, utilities)),
        m_(space.issue_count()) {
    for (size_t k = 0; k < 2; ++k) scale_[k] = utilities[k].box_scale();
  }

  RectangleSearchResult Run() {
    RectangleSearchResult result;
    if (std::any_of(allowed_.begin(), allowed_.end(), [](const auto& v) { return v.empty(); }))
      return result;
    CollectBoxes();
    for (size_t i = 0; i < m_; ++i) cells_.push_back(MakeCells(i));
    ChooseOrder();
    IndexSlots();
    BuildLayers();
    if (options_.incumbent) {
      std::vector<Staircase::Entry> known;
      for (const Point& p : *options_.incumbent) {
        known.push_back({Key(p.utilities[0]), Key(p.utilities[1]), p.utilities[0], p.utilities[1]});
      }
      known_.Merge(std::move(known));
    }
    RunLayers(&result);
    return result;
  }

 private:
  int64_t K(double u, size_t k) const { return Key(u * scale_[k]); }

  // Boxes with their ranges intersected per issue. A box that no allowed outcome lies in is left
  // out; one constraining no issue adds to every outcome (base_).
  void CollectBoxes() {
    for (size_t k = 0; k < 2; ++k) {
      for (const Utility::Box& box : utilities_[k].boxes()) {
        std::map<uint32_t, Range> ranges;
        for (const auto& [issue, range] : box.bounds) {
          auto [it, fresh] = ranges.emplace(issue, range);
          if (!fresh)
            it->second = {std::max(it->second.first, range.first),
                          std::min(it->second.second, range.second)};
        }
        bool reachable = box.utility != 0;
        for (const auto& [issue, range] : ranges) {
          const auto& a = allowed_[issue];
          auto it = std::lower_bound(a.begin(), a.end(), range.first);
          reachable =
              reachable && range.first <= range.second && it != a.end() && *it <= range.second;
        }
        if (!reachable) continue;
        if (ranges.empty()) {
          base_[k] += box.utility;
          continue;
        }
        boxes_.push_back({static_cast<int>(k), box.utility, {ranges.begin(), ranges.end()}});
        if (box.utility < 0) negative_ = true;
      }
    }
    on_issue_.assign(m_, {});
    for (size_t b = 0; b < boxes_.size(); ++b) {
      for (const auto& [issue, range] : boxes_[b].bounds) on_issue_[issue].push_back(b);
    }
    w_ = std::max<size_t>(1, (boxes_.size() + 63) / 64);
  }

  Cells MakeCells(size_t issue) const {
    Cells c;
    std::map<std::vector<bool>, size_t> seen;
    for (uint32_t v : allowed_[issue]) {
      std::vector<bool> inside;
      for (size_t b : on_issue_[issue]) {
        Range r;
        for (const auto& [i, range] : boxes_[b].bounds) {
          if (i == issue) r = range;
        }
        inside.push_back(v >= r.first && v <= r.second);
      }
      if (seen.emplace(inside, c.values.size()).second) {
        c.values.push_back(v);
        c.inside.push_back(std::move(inside));
      }
    }
    return c;
  }

  // log2 of a bound on the states across each cut of `order`, summed as powers of two: the search's
  // size, roughly. The states after fixing order[0..d] are at most 2^(open boxes) and at most the
  // product of the cells of the fixed issues that open boxes constrain.
  double Cost(const std::vector<size_t>& order) const {
    std::vector<size_t> pos(m_);
    for (size_t d = 0; d < m_; ++d) pos[order[d]] = d;
    std::vector<size_t> first(boxes_.size(), m_), last(boxes_.size(), 0);
    for (size_t b = 0; b < boxes_.size(); ++b) {
      for (const auto& bound : boxes_[b].bounds) {
        first[b] = std::min(first[b], pos[bound.first]);
        last[b] = std::max(last[b], pos[bound.first]);
      }
    }
    double cost = 0;
    std::vector<char> counted(m_);
    for (size_t d = 0; d + 1 < m_; ++d) {
      std::fill(counted.begin(), counted.end(), 0);
      double open = 0, cells = 0;
      for (size_t b = 0; b < boxes_.size(); ++b) {
        if (first[b] > d || last[b] <= d) continue;
        open += 1;
        for (const auto& bound : boxes_[b].bounds) {
          size_t i = bound.first;
          if (pos[i] <= d && !counted[i]) {
            counted[i] = 1;
            cells += std::log2(static_cast<double>(cells_[i].values.size()));
          }
        }
      }
      cost += std::exp2(std::min({open, cells, 200.0}));
    }
    return cost;
  }

  // Greedy (next the issue that keeps the cost lowest), then swaps while they lower the cost.
  void ChooseOrder() {
    std::vector<size_t> order;
    std::vector<char> used(m_, 0);
    for (size_t d = 0; d < m_; ++d) {
      size_t best = m_;
      double best_cost = INFINITY;
      for (size_t i = 0; i < m_; ++i) {
        if (used[i]) continue;
        std::vector<size_t> trial = order;
        trial.push_back(i);
        for (size_t j = 0; j < m_; ++j) {
          if (!used[j] && j != i) trial.push_back(j);
        }
        double c = Cost(trial);
        if (c < best_cost) best_cost = c, best = i;
      }
      used[best] = 1;
      order.push_back(best);
    }
    double cost = Cost(order);
    for (int pass = 0; pass < 4; ++pass) {
      bool improved = false;
      for (size_t a = 0; a < m_; ++a) {
        for (size_t b = a + 1; b < m_; ++b) {
          std::swap(order[a], order[b]);
          double c = Cost(order);
          if (c < cost * (1 - 1e-9)) {
            cost = c;
            improved = true;
          } else {
            std::swap(order[a], order[b]);
          }
        }
      }
      if (!improved) break;
    }
    order_ = order;
    std::vector<size_t> pos(m_);
    for (size_t d = 0; d < m_; ++d) pos[order_[d]] = d;
    for (SearchBox& box : boxes_) {
      box.first = m_;
      box.last = 0;
      for (const auto& bound : box.bounds) {
        box.first = std::min(box.first, pos[bound.first]);
        box.last = std::max(box.last, pos[bound.first]);
      }
    }
  }

  // Where each box's issues are: position in the order and index among the issue's boxes.
  void IndexSlots() {
    std::vector<size_t> pos(m_);
    for (size_t d = 0; d < m_; ++d) pos[order_[d]] = d;
    slots_.assign(boxes_.size(), {});
    for (size_t i = 0; i < m_; ++i) {
      for (size_t t = 0; t < on_issue_[i].size(); ++t)
        slots_[on_issue_[i][t]].push_back({i, pos[i], t});
    }
    sum_offset_.assign(m_ + 1, 0);
    for (size_t i = 0; i < m_; ++i) sum_offset_[i + 1] = sum_offset_[i] + cells_[i].values.size();
    sums_.assign(sum_offset_[m_], {0, 0});
    mark_.assign(m_, 0);
  }

  static void Set(std::vector<uint64_t>* bits, size_t b) { (*bits)[b / 64] |= 1ull << (b % 64); }

  void BuildLayers() {
    layers_.resize(m_);
    for (size_t d = 0; d < m_; ++d) {
      Layer& layer = layers_[d];
      size_t issue = order_[d];
      layer.closing.assign(w_, 0);
      BuildChargeBases(d);
      const auto& on = on_issue_[issue];
      for (size_t b : on) {
        if (boxes_[b].last == d) Set(&layer.closing, b);
      }
      const Cells& cells = cells_[issue];
      for (size_t c = 0; c < cells.values.size(); ++c) {
        Move move{cells.values[c],
                  std::vector<uint64_t>(w_),
                  std::vector<uint64_t>(w_),
                  std::vector<uint64_t>(w_),
                  {0, 0}};
        for (size_t t = 0; t < on.size(); ++t) {
          size_t b = on[t];
          const SearchBox& box = boxes_[b];
          bool in = cells.inside[c][t];
          bool opening = box.first == d, closing = box.last == d;
          if (opening && closing) {
            if (in) move.gain[box.party] += box.weight;
          } else if (opening) {
            if (in) Set(&move.start, b);
          } else if (closing) {
            if (in) Set(&move.close_in, b);
          } else if (!in) {
            Set(&move.kill, b);
          }
        }
        layer.moves.push_back(std::move(move));
      }
    }
  }

  // The issue a box is charged to after layer d (Rest): its first issue not fixed yet, or its last.
  const Slot& Charged(size_t b, size_t d, bool last) const {
    const Slot* pick = nullptr;
    for (const Slot& slot : slots_[b]) {
      if (slot.pos <= d) continue;
      if (!pick || (last ? slot.pos > pick->pos : slot.pos < pick->pos)) pick = &slot;
    }
    return *pick;
  }

  // Adds a box's weight to the cells of its charged issue that lie in it.
  void Charge(size_t b, const Slot& slot, std::vector<std::array<double, 2>>* sums) const {
    const Cells& cells = cells_[slot.issue];
    const SearchBox& box = boxes_[b];
    for (size_t c = 0; c < cells.values.size(); ++c) {
      if (cells.inside[c][slot.t]) (*sums)[sum_offset_[slot.issue] + c][box.party] += box.weight;
    }
  }

  double BestCell(const std::vector<std::array<double, 2>>& sums, size_t issue, size_t k) const {
    double top = 0;
    for (size_t c = sum_offset_[issue]; c < sum_offset_[issue + 1]; ++c)
      top = std::max(top, sums[c][k]);
    return top;
  }

  // The part of Rest that does not depend on the state: the boxes not started after layer d.
  void BuildChargeBases(size_t d) {
    for (int last = 0; last < 2; ++last) {
      Charges& charges = layers_[d].charges[last];
      charges.sums.assign(sum_offset_[m_], {0, 0});
      for (size_t b = 0; b < boxes_.size(); ++b) {
        if (boxes_[b].first > d && boxes_[b].weight > 0)
          Charge(b, Charged(b, d, last), &charges.sums);
      }
      charges.best.assign(m_, {0, 0});
      charges.total = {0, 0};
      for (size_t i = 0; i < m_; ++i) {
        for (size_t k = 0; k < 2; ++k) {
          charges.best[i][k] = BestCell(charges.sums, i, k);
          charges.total[k] += charges.best[i][k];
        }
      }
    }
  }

  // Bound on what a partial outcome in state `s` after layer d can still collect, per party. A box
  // open (and alive) or not started pays only if the value of each of its issues not fixed yet
  // lies in its range; charged to one of those issues alone (its first or its last; the smaller
  // bound is kept), the boxes charged to an issue pay at most its best cell's sum.
  std::array<double, 2> Rest(const uint64_t* s, size_t d) const {
    std::array<double, 2> best = {INFINITY, INFINITY};
    for (int last = 0; last < 2; ++last) {
      const Charges& base = layers_[d].charges[last];
      std::array<double, 2> bound = base.total;
      touched_.clear();
      for (size_t i = 0; i < w_; ++i) {
        for (uint64_t word = s[i]; word != 0; word &= word - 1) {
          size_t b = i * 64 + static_cast<size_t>(__builtin_ctzll(word));
          if (boxes_[b].weight <= 0) continue;
          const Slot& slot = Charged(b, d, last);
          if (!mark_[slot.issue]) {
            mark_[slot.issue] = 1;
            touched_.push_back(slot.issue);
            std::copy(base.sums.begin() + static_cast<long>(sum_offset_[slot.issue]),
                      base.sums.begin() + static_cast<long>(sum_offset_[slot.issue + 1]),
                      sums_.begin() + static_cast<long>(sum_offset_[slot.issue]));
          }
          Charge(b, slot, &sums_);
        }
      }
      for (size_t issue : touched_) {
        mark_[issue] = 0;
        for (size_t k = 0; k < 2; ++k) bound[k] += BestCell(sums_, issue, k) - base.best[issue][k];
      }
      for (size_t k = 0; k < 2; ++k) best[k] = std::min(best[k], bound[k]);
    }
    return best;
  }

  // Inserts into a state's Pareto list (an antichain, unordered) unless an entry weakly dominates
  // it, dropping the entries it dominates. One pass: in an antichain, no entry the item dominates
  // can stand beside one that dominates the item (it would be dominated by that one).
  void Insert(std::vector<Item>* list, const Item& item) {
    const int64_t a = K(item.u[0], 0), b = K(item.u[1], 1);
    size_t out = 0;
    for (const Item& p : *list) {
      const int64_t pa = K(p.u[0], 0), pb = K(p.u[1], 1);
      if (pa >= a && pb >= b) return;  // Nothing was dropped before it: the list is unchanged.
      if (!(a >= pa && b >= pb)) (*list)[out++] = p;
    }
    list->resize(out);
    list->push_back(item);
  }

  void RunLayers(RectangleSearchResult* result) {
    // Layer -1: the empty partial outcome in the empty state.
    std::vector<uint64_t> states(w_, 0);
    std::vector<std::vector<Item>> items = {{Item{{base_[0], base_[1]}, 0, 0}}};
    links_.assign(m_, {});
    std::vector<uint64_t> next(w_);
    for (size_t d = 0; d < m_; ++d) {
      const Layer& layer = layers_[d];
      StateTable table(w_);
      std::vector<std::vector<Item>> out;
      std::vector<std::array<double, 2>> rests;
      for (size_t s = 0; s < items.size(); ++s) {
        const uint64_t* old = states.data() + s * w_;
        for (const Move& move : layer.moves) {
          std::array<double, 2> gain = move.gain;
          for (size_t i = 0; i < w_; ++i) {
            next[i] = (old[i] & ~move.kill[i] & ~layer.closing[i]) | move.start[i];
            for (uint64_t word = old[i] & move.close_in[i]; word != 0; word &= word - 1) {
              const SearchBox& box = boxes_[i * 64 + static_cast<size_t>(__builtin_ctzll(word))];
              gain[box.party] += box.weight;
            }
          }
          bool fresh;
          uint32_t t = table.Find(next.data(), &fresh);
          if (fresh) {
            out.emplace_back();
            rests.push_back(Rest(next.data(), d));
          }
          for (size_t j = 0; j < items[s].size(); ++j) {
            const Item& it = items[s][j];
            Item child{{it.u[0] + gain[0], it.u[1] + gain[1]}, parent_link_[s][j], move.value};
            if (known_.StrictlyDominates(K(child.u[0] + rests[t][0], 0),
                                         K(child.u[1] + rests[t][1], 1)))
              continue;
            Insert(&out[t], child);
          }
        }
      }
      // Gather the layer: states, links, the known points.
      std::vector<uint64_t> new_states;
      std::vector<std::vector<Item>> kept;
      std::vector<std::array<double, 2>> kept_rests;
      for (size_t t = 0; t < out.size(); ++t) {
        if (out[t].empty()) continue;
        new_states.insert(new_states.end(), table.state(t), table.state(t) + w_);
        kept.push_back(std::move(out[t]));
        kept_rests.push_back(rests[t]);
      }
      if (!negative_) {
        // Every completion of a partial outcome keeps its utility so far: those are reachable.
        std::vector<Staircase::Entry> known;
        for (const auto& list : kept) {
          for (const Item& it : list) known.push_back(Known(it.u[0], it.u[1]));
        }
        known_.Merge(std::move(known));
        DropDominated(&kept, &new_states, &kept_rests);
      }
      size_t count = 0;
      for (const auto& list : kept) count += list.size();
      if (count > options_.limit) {
        Trim(&kept, &new_states, &kept_rests, result);
        count = 0;
        for (const auto& list : kept) count += list.size();
      }
      result->peak_items = std::max(result->peak_items, count);
      result->peak_states = std::max(result->peak_states, kept.size());
      parent_link_.assign(kept.size(), {});
      for (size_t t = 0; t < kept.size(); ++t) {
        for (const Item& it : kept[t]) {
          parent_link_[t].push_back(static_cast<uint32_t>(links_[d].size()));
          links_[d].push_back({it.parent, it.value});
        }
      }
      states = std::move(new_states);
      items = std::move(kept);
      if (options_.progress) {
        options_.progress->Update("searching hyper-rectangle cells",
                                  static_cast<double>(d + 1) / static_cast<double>(m_));
      }
    }
    Finish(items, result);
  }

  // Marks the `limit` partial outcomes whose optimistic completions exceed the known points by
  // most (keep[state][index]); appends the optimistic completions of the others to `dropped`.
  std::vector<std::vector<char>> Select(const std::vector<std::vector<Item>>& lists,
                                        const std::vector<std::array<double, 2>>& rests,
                                        std::vector<std::array<double, 2>>* dropped) const {
    struct Ranked {
      double excess;
      uint32_t list, index;
    };
    std::vector<Ranked> ranked;
    std::vector<std::array<double, 2>> bounds;
    for (size_t t = 0; t < lists.size(); ++t) {
      for (size_t j = 0; j < lists[t].size(); ++j) {
        const Item& it = lists[t][j];
        std::array<double, 2> ub = {(it.u[0] + rests[t][0]) * scale_[0],
                                    (it.u[1] + rests[t][1]) * scale_[1]};
        bounds.push_back(ub);
        ranked.push_back({Excess(ub), static_cast<uint32_t>(t), static_cast<uint32_t>(j)});
      }
    }
    std::vector<size_t> order(ranked.size());
    std::iota(order.begin(), order.end(), 0);
    size_t limit = std::min(options_.limit, order.size());
    std::nth_element(order.begin(), order.begin() + static_cast<long>(limit), order.end(),
                     [&](size_t x, size_t y) { return ranked[x].excess > ranked[y].excess; });
    std::vector<std::vector<char>> keep(lists.size());
    for (size_t t = 0; t < lists.size(); ++t) keep[t].assign(lists[t].size(), 0);
    for (size_t r = 0; r < limit; ++r) keep[ranked[order[r]].list][ranked[order[r]].index] = 1;
    for (size_t r = limit; r < order.size(); ++r) dropped->push_back(bounds[order[r]]);
    return keep;
  }

  // Keeps the most promising `limit` partial outcomes (Select) and records the optimistic
  // completions of the others.
  void Trim(std::vector<std::vector<Item>>* lists, std::vector<uint64_t>* states,
            std::vector<std::array<double, 2>>* rests, RectangleSearchResult* result) {
    std::vector<std::vector<char>> keep = Select(*lists, *rests, &result->upper);
    result->upper = ParetoBounds(std::move(result->upper));
    result->exact = false;
    std::vector<std::vector<Item>> kept_lists;
    std::vector<uint64_t> kept_states;
    std::vector<std::array<double, 2>> kept_rests;
    for (size_t t = 0; t < lists->size(); ++t) {
      std::vector<Item> list;
      for (size_t j = 0; j < (*lists)[t].size(); ++j) {
        if (keep[t][j]) list.push_back((*lists)[t][j]);
      }
      if (list.empty()) continue;
      kept_lists.push_back(std::move(list));
      kept_states.insert(kept_states.end(), states->begin() + static_cast<long>(t * w_),
                         states->begin() + static_cast<long>((t + 1) * w_));
      kept_rests.push_back((*rests)[t]);
    }
    *lists = std::move(kept_lists);
    *states = std::move(kept_states);
    *rests = std::move(kept_rests);
  }

  // How far an optimistic completion lies beyond the known points (its sum when none is known).
  double Excess(const std::array<double, 2>& ub) const {
    return known_.empty() ? ub[0] + ub[1] : known_.Gap(ub[0], ub[1]);
  }

  Staircase::Entry Known(double u0, double u1) const {
    return {K(u0, 0), K(u1, 1), u0 * scale_[0], u1 * scale_[1]};
  }

  // Removes the partial outcomes whose optimistic completion a known point strictly dominates.
  void DropDominated(std::vector<std::vector<Item>>* lists, std::vector<uint64_t>* states,
                     std::vector<std::array<double, 2>>* rests) const {
    size_t out = 0;
    for (size_t t = 0; t < lists->size(); ++t) {
      auto& list = (*lists)[t];
      const auto& rest = (*rests)[t];
      std::erase_if(list, [&](const Item& it) {
        return known_.StrictlyDominates(K(it.u[0] + rest[0], 0), K(it.u[1] + rest[1], 1));
      });
      if (list.empty()) continue;
      if (out != t) {
        (*lists)[out] = std::move(list);
        (*rests)[out] = rest;
        std::copy_n(states->begin() + static_cast<long>(t * w_), w_,
                    states->begin() + static_cast<long>(out * w_));
      }
      ++out;
    }
    lists->resize(out);
    rests->resize(out);
    states->resize(out * w_);
  }

  void Finish(const std::vector<std::vector<Item>>& items, RectangleSearchResult* result) {
    FrontierAccumulator acc(2);
    std::vector<uint32_t> values(m_);
    std::vector<double> u(2);
    for (const auto& list : items) {
      for (const Item& it : list) {
        uint32_t link = it.parent, value = it.value;
        for (size_t d = m_; d-- > 0;) {
          values[order_[d]] = value;
          if (d == 0) break;
          const Link& l = links_[d - 1][link];
          link = l.parent;
          value = l.value;
        }
        for (size_t k = 0; k < 2; ++k) u[k] = utilities_[k].Evaluate(values.data());
        acc.Add(values.data(), m_, u.data());
      }
    }
    result->points = acc.Finish();
  }

  const std::vector<Utility>& utilities_;
  const RectangleSearchOptions& options_;
  std::vector<std::vector<uint32_t>> allowed_;
  size_t m_;
  double scale_[2];
  double base_[2] = {0, 0};
  bool negative_ = false;
  std::vector<SearchBox> boxes_;
  std::vector<std::vector<size_t>> on_issue_;
  size_t w_ = 1;
  std::vector<Cells> cells_;
  std::vector<size_t> order_;
  std::vector<Layer> layers_;
  std::vector<std::vector<Slot>> slots_;             // Per box.
  std::vector<size_t> sum_offset_;                   // Per issue, into sums_.
  mutable std::vector<std::array<double, 2>> sums_;  // Scratch for Rest.
  mutable std::vector<char> mark_;
  mutable std::vector<size_t> touched_;
  Staircase known_;
  std::vector<std::vector<Link>> links_;
  std::vector<std::vector<uint32_t>> parent_link_ = {{0}};
};

}  // namespace

std::vector<std::array<double, 2>> ParetoBounds(std::vector<std::array<double, 2>> bounds) {
  std::sort(bounds.begin(), bounds.end(),
            [](const auto& a, const auto& b) { return a[0] != b[0] ? a[0] > b[0] : a[1] > b[1]; });
  std::vector<std::array<double, 2>> out;
  for (const auto& b : bounds) {
    if (out.empty() || b[1] > out.back()[1]) out.push_back(b);
  }
  return out;
}

double RectangleGap(const std::vector<Point>& frontier,
                    const std::vector<std::array<double, 2>>& upper) {
  Staircase points;
  std::vector<Staircase::Entry> entries;
  for (const Point& p : frontier) {
    entries.push_back({Key(p.utilities[0]), Key(p.utilities[1]), p.utilities[0], p.utilities[1]});
  }
  points.Merge(std::move(entries));
  double gap = 0;
  for (const auto& u : upper) gap = std::max(gap, points.Gap(u[0], u[1]));
  return gap;
}

bool RectangleSearchApplies(const std::vector<Utility>& utilities) {
  return utilities.size() == 2 &&
         std::all_of(utilities.begin(), utilities.end(),
                     [](const Utility& u) { return u.kind() == ProfileKind::kHyperRectangles; });
}

RectangleSearchResult RectangleFrontier(const OutcomeSpace& space,
                                        const std::vector<Utility>& utilities,
                                        const RectangleSearchOptions& options) {
  return Search(space, utilities, options).Run();
}

}  // namespace shuttle::analysis_internal
