// The mediator's model of one party. See party_model.h for the assumptions and README.md
// ("Learning model") for the reasons. A Fit recomputes, from the whole history: the concession
// schedule (shares per observation), the loss brackets the answers imply, the losses, the red lines
// confirmed, and the tables.
#include "mediation/party_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace shuttle::mediation_internal {
namespace {

constexpr double kMargin = 0.005;  // Strictness of "more than" in the inequalities.
constexpr int kSweeps = 100;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Pool-adjacent-violators: the closest non-decreasing sequence along `order`.
void MakeNonDecreasing(const std::vector<uint32_t>& order, std::vector<double>* d) {
  std::vector<std::pair<double, int>> blocks;  // (mean, size)
  for (uint32_t x : order) {
    blocks.emplace_back((*d)[x], 1);
    while (blocks.size() >= 2 && blocks[blocks.size() - 2].first > blocks.back().first) {
      auto [m2, n2] = blocks.back();
      blocks.pop_back();
      auto& [m1, n1] = blocks.back();
      m1 = (m1 * n1 + m2 * n2) / (n1 + n2);
      n1 += n2;
    }
  }
  size_t k = 0;
  for (const auto& [mean, size] : blocks) {
    for (int t = 0; t < size; ++t) (*d)[order[k++]] = mean;
  }
}

// A slope s with s * x inside every (lo, hi] for the points x > 0 given; the middle of the feasible
// range, or of the per-point middles when the brackets disagree; `fallback` without any bound.
double FitSlope(const std::vector<double>& x, const std::vector<double>& lo,
                const std::vector<double>& hi, double step, double fallback) {
  double low = 0, high = kInf;
  std::vector<double> mids;
  for (size_t k = 0; k < x.size(); ++k) {
    if (x[k] <= 0) continue;
    low = std::max(low, lo[k] / x[k]);
    if (hi[k] < kInf) {
      high = std::min(high, hi[k] / x[k]);
      mids.push_back(0.5 * (lo[k] + hi[k]) / x[k]);
    }
  }
  if (high == kInf) return low > 0 ? low + step : fallback;
  if (low <= high) return 0.5 * (low + high);
  std::sort(mids.begin(), mids.end());
  return mids[mids.size() / 2];
}

}  // namespace

PartyModel::PartyModel(const OutcomeSpace* space, const AgendaPlan* plan,
                       const ModelOptions& options)
    : space_(space), plan_(plan), options_(options) {
  const size_t n = space->issue_count();
  values_known_.assign(n, 0);
  values_.assign(n, {});
  ranking_.assign(n, {});
  loss_.resize(n);
  anchor_.assign(n, -1);
  numeric_.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    const Issue& issue = space->issue(i);
    loss_[i].assign(issue.size(), 0.0);
    std::vector<double> position;
    for (uint64_t v = 0; v < issue.size(); ++v) {
      std::optional<double> x = issue.NumericValue(v);
      if (!x) break;
      position.push_back(*x);
    }
    if (position.size() == issue.size() && issue.size() > 1) numeric_[i] = std::move(position);
  }
  Fit();
}

bool PartyModel::exact() const {
  if (!weights_known_) return false;
  // An issue the party weighs 0 (a deferred final-status issue, say) needs no values.
  for (size_t i = 0; i < values_known_.size(); ++i) {
    if (!values_known_[i] && weights_[i] != 0) return false;
  }
  return true;
}

void PartyModel::Confide(const Confidence& c) {
  if (c.weights) {
    weights_known_ = true;
    weights_ = *c.weights;
  }
  for (const auto& [issue, values] : c.values) {
    values_known_[issue] = 1;
    values_[issue] = values;
  }
  for (const auto& [issue, order] : c.rankings) ranking_[issue] = order;
  if (c.red_lines) {
    lines_known_ = true;
    confided_lines_ = *c.red_lines;
  }
  if (c.reservation_value) {
    rv_known_ = true;
    rv_ = *c.reservation_value;
  }
  Fit();
}

void PartyModel::StateLine(int issue, const std::optional<RedLine>& line) {
  std::erase_if(confided_lines_, [&](const RedLine& l) { return l.issue == issue; });
  if (line) confided_lines_.push_back(*line);
  Fit();
}

PartyModel::Obs PartyModel::TextObs(Obs::Kind kind, int visit, int stage, const Outcome& text) {
  Obs o;
  o.kind = kind;
  o.visit = visit;
  o.stage = stage;
  o.has_text = true;
  o.text = text;
  return o;
}

void PartyModel::ObserveAccept(int visit, int stage, const Outcome& text) {
  Obs o = TextObs(Obs::Kind::kAccept, visit, stage, text);
  obs_.push_back(std::move(o));
}

void PartyModel::ObserveObject(int visit, int stage, const Outcome& text,
                               const Objection& objection) {
  Obs o = TextObs(Obs::Kind::kObject, visit, stage, text);
  o.below_reservation = objection.below_reservation;
  for (const Objection::Item& item : objection.issues) {
    o.named.push_back(item.issue);
    std::vector<uint8_t> live;
    if (item.has_values) {
      live.assign(space_->issue(item.issue).size(), 0);
      for (uint32_t v : item.could_live_with) live[v] = 1;
    }
    o.live.push_back(std::move(live));
  }
  obs_.push_back(std::move(o));
}

void PartyModel::ObserveLiveWith(int visit, int stage, const Outcome& text, int issue,
                                 const std::vector<uint32_t>& asked,
                                 const std::vector<uint32_t>& livable) {
  Outcome variant = text;
  for (uint32_t v : livable) {
    variant[issue] = v;
    ObserveAccept(visit, stage, variant);
  }
  Obs o = TextObs(Obs::Kind::kLiveWith, visit, stage, text);
  o.named = {issue};
  o.refused.assign(space_->issue(issue).size(), 0);
  for (uint32_t v : asked) o.refused[v] = 1;
  for (uint32_t v : livable) o.refused[v] = 0;
  obs_.push_back(std::move(o));
}

void PartyModel::ObserveImprovement(int visit, int stage, const Outcome& proposal,
                                    const Outcome& agreed, bool accepted,
                                    const std::vector<int>& worse) {
  Obs o = TextObs(Obs::Kind::kImprovement, visit, stage, proposal);
  o.counter = agreed;
  o.accepted = accepted;
  o.named = worse;
  obs_.push_back(std::move(o));
}

void PartyModel::ObserveCounter(int visit, int stage, const Outcome* text, const Outcome& counter) {
  Obs o;
  o.kind = Obs::Kind::kCounter;
  o.visit = visit;
  o.stage = stage;
  o.has_text = text != nullptr;
  if (text) o.text = *text;
  o.counter = counter;
  obs_.push_back(std::move(o));
}

bool PartyModel::Allowed(size_t issue, uint32_t value, bool with_inferred) const {
  for (const RedLine& line : confided_lines_) {
    if (static_cast<size_t>(line.issue) == issue && !line.Allows(*space_, value)) return false;
  }
  return !with_inferred ||
         !std::binary_search(inferred_.begin(), inferred_.end(),
                             std::pair<int, uint32_t>(static_cast<int>(issue), value));
}

bool PartyModel::CrossesHeldLine(const Obs& o, bool with_inferred) const {
  for (size_t i = 0; i < o.text.size(); ++i) {
    Role r = plan_->RoleAt(o.stage, static_cast<int>(i));
    if ((r == Role::kOpen || r == Role::kSettled) && !Allowed(i, o.text[i], with_inferred))
      return true;
  }
  return false;
}

bool PartyModel::Named(const Obs& o, int issue) const {
  return std::find(o.named.begin(), o.named.end(), issue) != o.named.end();
}

std::vector<HeldLine> PartyModel::red_lines() const {
  std::vector<HeldLine> out;
  for (const RedLine& line : confided_lines_) out.push_back({line, false});
  for (const auto& [issue, value] : inferred_) {
    RedLine line;
    line.kind = RedLine::Kind::kForbid;
    line.issue = issue;
    line.values = {value};
    out.push_back({line, true});
  }
  return out;
}

// Candidates: values objected to at least red_line_evidence times, never livable, never accepted,
// and put first at least once. A party who confided its red lines gets inferred ones only when its
// whole profile is known too: then an objection its profile cannot explain is evidence of a line it
// kept to itself (a person may confide some lines and hold others back).
void PartyModel::FindCandidates() {
  candidates_.clear();
  inferred_.clear();
  if (lines_known_ && !exact()) return;
  std::map<std::pair<int, uint32_t>, std::pair<int, bool>> evidence;
  std::map<std::pair<int, uint32_t>, bool> livable;
  auto mark_livable = [&](int issue, uint32_t v) { livable[{issue, v}] = true; };
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kAccept) {
      for (size_t i = 0; i < o.text.size(); ++i) mark_livable(static_cast<int>(i), o.text[i]);
    } else if (o.kind == Obs::Kind::kCounter) {
      for (size_t i = 0; i < o.counter.size(); ++i) mark_livable(static_cast<int>(i), o.counter[i]);
    } else if (o.kind == Obs::Kind::kLiveWith || o.kind == Obs::Kind::kImprovement) {
      continue;  // Livable values of a live-with answer came as accepted variants.
    } else {
      for (int i : plan_->stages[o.stage]) {
        if (!Named(o, i)) mark_livable(i, o.text[i]);
      }
      for (size_t k = 0; k < o.named.size(); ++k) {
        int issue = o.named[k];
        if (o.live[k].empty()) continue;
        for (size_t v = 0; v < o.live[k].size(); ++v) {
          if (o.live[k][v]) mark_livable(issue, static_cast<uint32_t>(v));
        }
        uint32_t x = o.text[issue];
        if (!o.live[k][x]) {
          auto& e = evidence[{issue, x}];
          ++e.first;
          e.second = e.second || k == 0;
        }
      }
    }
  }
  for (const auto& [key, e] : evidence) {
    if (e.first >= options_.red_line_evidence && e.second && !livable.count(key))
      candidates_.push_back(key);
  }
}

bool PartyModel::HasCandidate(const Obs& o) const {
  if (o.kind != Obs::Kind::kObject) return false;
  for (int i : o.named) {
    if (std::binary_search(candidates_.begin(), candidates_.end(),
                           std::pair<int, uint32_t>(i, o.text[i])))
      return true;
  }
  return false;
}

// Only a red line explains an objection the party makes when it has given up its whole range
// (the concession schedule has run out) while saying the text is not worse than no agreement. A
// candidate is confirmed by red_line_evidence such objections, or by as many refusals with
// (nearly) the whole range as its budget, the party's livable values on the issue unchanged over
// its last red_line_evidence objections naming it.
void PartyModel::ConfirmCandidates() {
  const size_t r = static_cast<size_t>(options_.red_line_evidence);
  const bool exact_model = exact();
  for (const auto& key : candidates_) {
    size_t unexplained = 0, beyond_range = 0;
    std::vector<const std::vector<uint8_t>*> lists;
    for (size_t k = 0; k < obs_.size(); ++k) {
      const Obs& o = obs_[k];
      if (o.kind != Obs::Kind::kObject) continue;
      auto it = std::find(o.named.begin(), o.named.end(), key.first);
      if (it == o.named.end()) continue;
      const std::vector<uint8_t>& live = o.live[it - o.named.begin()];
      lists.push_back(&live);
      // Refused even when the party's whole range was the budget for it: alone it would leave the
      // party below its reservation value, which is what a red line means in a package.
      if (!live.empty() && !live[key.second] && k < budget_.size() &&
          budget_[k] >= 1.0 - share_step_ - 1e-9) {
        ++beyond_range;
      }
      if (o.text[key.first] == key.second && !o.below_reservation) {
        // Unexplained: the party has conceded its whole range (the concession prior) and, when its
        // profile is known, that profile says the text is acceptable (at or above the reservation
        // value, inside every confided line).
        if (slack_[k] >= 1.0 - 1e-9 &&
            (!exact_model || (ExactUtility(o, o.text) >= reservation_ &&
                              !CrossesHeldLine(o, /*with_inferred=*/false)))) {
          ++unexplained;
        }
      }
    }
    bool steady = lists.size() >= r;
    for (size_t k = lists.size() - std::min(lists.size(), r); steady && k + 1 < lists.size(); ++k) {
      steady = *lists[k] == *lists.back();
    }
    if (steady && (unexplained >= r || beyond_range >= r)) inferred_.push_back(key);
  }
}

// What the party gives up at each observation, as a fraction of its range (slack_) and per open
// issue (share_), following the concession prior.
void PartyModel::Schedule() {
  slack_.assign(obs_.size(), 0.0);
  share_.assign(obs_.size(), 0.0);
  std::map<int, int> stage_start;
  for (const Obs& o : obs_) {
    auto [it, fresh] = stage_start.emplace(o.stage, o.visit);
    if (!fresh) it->second = std::min(it->second, o.visit);
  }
  for (size_t k = 0; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    int start = stage_start[o.stage];
    double horizon = options_.max_visits > 0 ? std::max(1, options_.max_visits - start)
                                             : std::max(1, options_.patience);
    slack_[k] = std::clamp((o.visit - start) / horizon, 0.0, 1.0);
    share_[k] = slack_[k] / static_cast<double>(std::max<size_t>(plan_->stages[o.stage].size(), 1));
    share_step_ = 1.0 / horizon;
  }
}

double PartyModel::Losses(const Obs& o, const Outcome& outcome, bool open, bool settled) const {
  double sum = 0;
  for (size_t i = 0; i < loss_.size(); ++i) {
    Role r = plan_->RoleAt(o.stage, static_cast<int>(i));
    if ((open && r == Role::kOpen) || (settled && r == Role::kSettled)) sum += loss_[i][outcome[i]];
  }
  return sum;
}

// lo: the largest budget at which the value was excluded (its loss is above it); hi: the smallest
// budget at which it was livable (its loss is at most that). An objection's budget is the slack
// left after the unnamed issues' losses (estimated with the current losses).
void PartyModel::Brackets(std::vector<std::vector<double>>* lo,
                          std::vector<std::vector<double>>* hi) {
  const size_t n = loss_.size();
  lo->assign(n, {});
  hi->assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    (*lo)[i].assign(loss_[i].size(), 0.0);
    (*hi)[i].assign(loss_[i].size(), kInf);
    if (anchor_[i] >= 0) (*hi)[i][anchor_[i]] = 0;
  }
  budget_.assign(obs_.size(), 0.0);
  for (size_t k = 0; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    if (o.kind != Obs::Kind::kObject) continue;
    const double slack = slack_[k] * std::max(0.0, 1.0 - Losses(o, o.text, false, true));
    double budget = slack;
    for (int i : plan_->stages[o.stage]) {
      if (!Named(o, i)) {
        budget -= loss_[i][o.text[i]];
        (*hi)[i][o.text[i]] = std::min((*hi)[i][o.text[i]], slack);
      }
    }
    budget = std::max(budget, 0.0);
    budget_[k] = budget;
    for (size_t t = 0; t < o.named.size(); ++t) {
      const int i = o.named[t];
      const std::vector<uint8_t>& live = o.live[t];
      for (size_t v = 0; v < live.size(); ++v) {
        if (live[v]) {
          (*hi)[i][v] = std::min((*hi)[i][v], budget);
        } else if (Allowed(i, static_cast<uint32_t>(v))) {
          (*lo)[i][v] = std::max((*lo)[i][v], budget);
        }
      }
    }
  }
}

void PartyModel::FitLosses() {
  const size_t n = loss_.size();
  anchor_.assign(n, -1);
  for (const Obs& o : obs_) {
    if (o.kind != Obs::Kind::kCounter || o.has_text) continue;
    for (int i : plan_->stages[o.stage]) {
      if (anchor_[i] < 0) anchor_[i] = static_cast<int32_t>(o.counter[i]);
    }
  }
  for (int pass = 0; pass < 2; ++pass) {  // Budgets depend on the losses this estimates.
    std::vector<std::vector<double>> lo, hi;
    Brackets(&lo, &hi);
    // Issues the answers say something about first; the others share what is left of the range.
    std::vector<size_t> silent;
    double informed_range = 0;
    for (size_t i = 0; i < n; ++i) {
      if (EstimateIssue(i, lo[i], hi[i], -1)) {
        informed_range += *std::max_element(loss_[i].begin(), loss_[i].end());
      } else {
        silent.push_back(i);
      }
    }
    const double scale = std::max(
        0.05, (1.0 - informed_range) / static_cast<double>(std::max<size_t>(silent.size(), 1)));
    for (size_t i : silent) EstimateIssue(i, lo[i], hi[i], scale);
    Refine(lo, hi);
    lo_ = std::move(lo);
    hi_ = std::move(hi);
    for (std::vector<double>& h : hi_) {
      for (double& x : h) x = std::min(x, 1.0);
    }
  }
}

// Estimates the losses of one issue from its brackets. Returns false, leaving it untouched, when
// the answers say nothing about it and `scale` (the loss assumed for its worst value) is negative.
bool PartyModel::EstimateIssue(size_t i, const std::vector<double>& lo,
                               const std::vector<double>& hi, double scale) {
  const size_t m = loss_[i].size();
  bool informed = false;
  for (size_t v = 0; v < m; ++v) {
    informed = informed || lo[v] > 0 || (hi[v] < kInf && static_cast<int32_t>(v) != anchor_[i]);
  }
  if (!informed && scale < 0) return false;
  std::vector<double>& d = loss_[i];
  // A shape known up to scale: numeric distance from the best value, or a confided value function.
  std::vector<double> shape;
  if (values_known_[i]) {
    for (double v : values_[i]) shape.push_back(1.0 - v);
  } else if (!numeric_[i].empty() && anchor_[i] >= 0) {
    double far = 0, at = numeric_[i][anchor_[i]];
    for (double x : numeric_[i]) far = std::max(far, std::abs(x - at));
    for (double x : numeric_[i]) shape.push_back(far > 0 ? std::abs(x - at) / far : 0.0);
  } else if (ranking_[i].size() == m && m > 1) {
    // A confided (or answered) ranking of every value: equal steps down the ranking.
    shape.assign(m, 0.0);
    for (size_t k = 0; k < m; ++k) shape[ranking_[i][k]] = static_cast<double>(k) / (m - 1);
  }
  if (!shape.empty()) {
    double s = informed ? FitSlope(shape, lo, hi, share_step_, scale) : scale;
    for (size_t v = 0; v < m; ++v) d[v] = std::clamp(s * shape[v], lo[v], std::max(lo[v], hi[v]));
  } else {
    for (size_t v = 0; v < m; ++v) {
      const bool has_lo = lo[v] > 0, has_hi = hi[v] < kInf;
      if (has_hi) {
        d[v] = has_lo ? 0.5 * (std::min(lo[v], hi[v]) + hi[v]) : 0.5 * hi[v];
      } else if (has_lo) {
        // Seen refused only: assumed one step of concession beyond the last refusal, so the
        // mediator keeps testing it (optimism; every further refusal raises the bracket).
        d[v] = lo[v] + share_step_;
      } else {
        d[v] = -1;  // Unknown: filled below.
      }
    }
    if (anchor_[i] >= 0) SpreadBracketed(lo, hi, &d);
    // Never seen: optimistic too (a small loss), so that texts explore it while aspirations are
    // high and an objection is what a bad guess costs.
    for (size_t v = 0; v < m; ++v) {
      if (d[v] < 0) d[v] = share_step_;
    }
  }
  if (!ranking_[i].empty()) MakeNonDecreasing(ranking_[i], &d);
  if (anchor_[i] >= 0) d[anchor_[i]] = 0;
  return true;
}

// The values of an issue bracketed on both sides (livable at one budget, refused at a lower one),
// taken in the order of their midpoints: placed on the least-squares line through the midpoints
// against that order (equal steps down the party's preference), each kept in its bracket. A
// bracket is a concession step wide, so its midpoint can be off by half a step; values spread in
// even steps (the common case in the corpus) are read closer, and their order is kept.
void PartyModel::SpreadBracketed(const std::vector<double>& lo, const std::vector<double>& hi,
                                 std::vector<double>* d) const {
  std::vector<std::pair<double, size_t>> two_sided;
  for (size_t v = 0; v < d->size(); ++v) {
    if (lo[v] > 0 && hi[v] < kInf) two_sided.emplace_back((*d)[v], v);
  }
  if (two_sided.size() < 2) return;
  std::sort(two_sided.begin(), two_sided.end());
  const double n = static_cast<double>(two_sided.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t r = 0; r < two_sided.size(); ++r) {
    const size_t v = two_sided[r].second;
    const double x = static_cast<double>(r + 1), y = 0.5 * (lo[v] + hi[v]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const double slope = (n * sxy - sx * sy) / std::max(1e-12, n * sxx - sx * sx);
  if (slope <= 0) return;
  const double offset = (sy - slope * sx) / n;
  for (size_t r = 0; r < two_sided.size(); ++r) {
    const size_t v = two_sided[r].second;
    (*d)[v] =
        std::clamp(offset + slope * static_cast<double>(r + 1), lo[v], std::max(lo[v], hi[v]));
  }
}

// Relaxed projections onto the answers' inequalities over the losses, each loss kept in its
// bracket.
void PartyModel::Refine(const std::vector<std::vector<double>>& lo,
                        const std::vector<std::vector<double>>& hi) {
  struct Row {
    std::vector<std::pair<size_t, uint32_t>> terms;  // Losses summed.
    std::vector<double> sign;                        // +1 / -1 per term.
    double bound;                                    // sum sign * loss >= bound.
  };
  std::vector<Row> rows;
  auto sum_row = [&](const Obs& o, const Outcome& outcome, bool settled, double sign,
                     double bound) {
    Row row;
    for (size_t i = 0; i < loss_.size(); ++i) {
      Role r = plan_->RoleAt(o.stage, static_cast<int>(i));
      if (r == Role::kOpen || (settled && r == Role::kSettled)) {
        row.terms.emplace_back(i, outcome[i]);
        row.sign.push_back(sign);
      }
    }
    row.bound = bound;
    rows.push_back(std::move(row));
  };
  for (size_t k = 0; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    if (!o.has_text) continue;
    const double slack = slack_[k] * std::max(0.0, 1.0 - Losses(o, o.text, false, true));
    switch (o.kind) {
      case Obs::Kind::kAccept: sum_row(o, o.text, false, -1, -slack); break;
      case Obs::Kind::kImprovement: {
        // Accepted: the proposal loses no more than the agreement; declined: more, and more on
        // each issue named; on the issues it changed and did not name, no more.
        Row total;
        for (size_t i = 0; i < loss_.size(); ++i) {
          if (o.text[i] == o.counter[i]) continue;
          const double sign = o.accepted ? -1 : +1;
          total.terms.emplace_back(i, o.text[i]);
          total.sign.push_back(sign);
          total.terms.emplace_back(i, o.counter[i]);
          total.sign.push_back(-sign);
          if (o.accepted) continue;
          const bool worse = Named(o, static_cast<int>(i));
          rows.push_back(Row{{{i, o.text[i]}, {i, o.counter[i]}},
                             {worse ? +1.0 : -1.0, worse ? -1.0 : +1.0},
                             worse ? kMargin : 0.0});
        }
        total.bound = o.accepted ? 0.0 : kMargin;
        if (!total.terms.empty()) rows.push_back(std::move(total));
        break;
      }
      case Obs::Kind::kLiveWith: {
        // Each value refused: the text with it loses more than the slack, unless a line the
        // mediator holds explains the refusal.
        Outcome variant = o.text;
        for (size_t v = 0; v < o.refused.size(); ++v) {
          if (!o.refused[v]) continue;
          variant[o.named[0]] = static_cast<uint32_t>(v);
          bool crosses = false;
          for (size_t i = 0; i < variant.size() && !crosses; ++i) {
            Role r = plan_->RoleAt(o.stage, static_cast<int>(i));
            crosses = (r == Role::kOpen || r == Role::kSettled) && !Allowed(i, variant[i]);
          }
          if (!crosses) sum_row(o, variant, false, +1, slack + kMargin);
        }
        break;
      }
      case Obs::Kind::kCounter:
        sum_row(o, o.counter, false, -1, -slack);
        sum_row(o, o.text, false, +1, slack + kMargin);
        break;
      case Obs::Kind::kObject: {
        if (o.below_reservation) sum_row(o, o.text, true, +1, 1.0 + kMargin);
        if (CrossesHeldLine(o)) break;
        sum_row(o, o.text, false, +1, slack + kMargin);
        // The named issues are the shortest worst-first prefix covering the deficit.
        Row unnamed, minimal;
        unnamed.bound = -slack;
        minimal.bound = slack + kMargin;
        for (int i : plan_->stages[o.stage]) {
          if (Named(o, i)) continue;
          unnamed.terms.emplace_back(i, o.text[i]);
          unnamed.sign.push_back(-1);
          minimal.terms.emplace_back(i, o.text[i]);
          minimal.sign.push_back(+1);
          if (!o.named.empty()) {
            int last = o.named.back();
            rows.push_back(Row{
                {{static_cast<size_t>(last), o.text[last]}, {static_cast<size_t>(i), o.text[i]}},
                {+1, -1},
                0});
          }
        }
        if (!o.named.empty()) {
          minimal.terms.emplace_back(o.named.back(), o.text[o.named.back()]);
          minimal.sign.push_back(+1);
        }
        rows.push_back(std::move(unnamed));
        rows.push_back(std::move(minimal));
        for (size_t t = 0; t + 1 < o.named.size(); ++t) {
          Row row;
          row.terms = {{static_cast<size_t>(o.named[t]), o.text[o.named[t]]},
                       {static_cast<size_t>(o.named[t + 1]), o.text[o.named[t + 1]]}};
          row.sign = {+1, -1};
          row.bound = 0;
          rows.push_back(std::move(row));
        }
        break;
      }
    }
  }
  auto fixed = [&](size_t i, uint32_t v) {
    return anchor_[i] == static_cast<int32_t>(v) || (values_known_[i] && weights_known_);
  };
  for (int sweep = 0; sweep < kSweeps && !rows.empty(); ++sweep) {
    bool moved = false;
    for (const Row& row : rows) {
      double g = -row.bound;
      size_t free = 0;
      for (size_t t = 0; t < row.terms.size(); ++t) {
        g += row.sign[t] * loss_[row.terms[t].first][row.terms[t].second];
        if (!fixed(row.terms[t].first, row.terms[t].second)) ++free;
      }
      if (g >= -1e-12 || free == 0) continue;
      const double step = -g / static_cast<double>(free);
      for (size_t t = 0; t < row.terms.size(); ++t) {
        auto [i, v] = row.terms[t];
        if (fixed(i, v)) continue;
        double upper = std::max(lo[i][v], hi[i][v]);
        loss_[i][v] = std::clamp(loss_[i][v] + row.sign[t] * step, lo[i][v], upper);
      }
      moved = true;
    }
    if (!moved) break;
  }
}

double PartyModel::ExactUtility(const Obs& o, const Outcome& outcome) const {
  return EffectiveUtility(tables_, *plan_, o.stage, outcome.data());
}

// Exact models only: the reservation value confided, else bounded below by texts said to be worse
// than no agreement and above by texts accepted.
void PartyModel::EstimateReservation() {
  if (!exact()) return;
  if (rv_known_) {
    reservation_ = rv_;
    return;
  }
  double rv = 0;
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kObject && o.below_reservation)
      rv = std::max(rv, ExactUtility(o, o.text) + kMargin);
  }
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kAccept) rv = std::min(rv, ExactUtility(o, o.text));
  }
  reservation_ = rv;
}

void PartyModel::RebuildTables() {
  const size_t n = loss_.size();
  const bool exact_model = exact();
  tables_.contribution.assign(n, {});
  tables_.allowed.assign(n, {});
  double top = 0;
  for (size_t i = 0; i < n; ++i) {
    const size_t m = loss_[i].size();
    tables_.contribution[i].resize(m);
    tables_.allowed[i].resize(m);
    double worst = 0;
    for (double d : loss_[i]) worst = std::max(worst, d);
    top += worst;
    for (size_t v = 0; v < m; ++v) {
      tables_.contribution[i][v] = !exact_model       ? worst - loss_[i][v]
                                   : values_known_[i] ? weights_[i] * values_[i][v]
                                                      : 0.0;
      tables_.allowed[i][v] = Allowed(i, static_cast<uint32_t>(v)) ? 1 : 0;
    }
  }
  // Loss models: utility 1 - sum of losses, shifted so that contributions are >= 0; the
  // reservation value (0 before the shift) moves with it.
  if (!exact_model) reservation_ = top - 1.0;
}

void PartyModel::Fit() {
  budget_.clear();
  FindCandidates();
  Schedule();
  if (!exact()) {
    FitLosses();
  } else {
    lo_.clear();
    hi_.clear();
  }
  RebuildTables();
  EstimateReservation();
  ConfirmCandidates();
  if (!inferred_.empty()) RebuildTables();
}

}  // namespace shuttle::mediation_internal
