// The mediator's model of one party. See party_model.h for the assumptions and README.md
// ("Learning model") for the reasons. Two steps per Fit, both from scratch: value levels from the
// brackets that the answers' cuts put them in, then weights by cyclic relaxed projections
// (Kaczmarz) onto the answers' linear inequalities, starting from uniform weights.
#include "mediation/party_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace shuttle::mediation_internal {
namespace {

constexpr double kMargin = 0.005;  // Strictness of "below" in the inequalities.
constexpr int kSweeps = 200;
constexpr double kMinWeight = 1e-3;
constexpr double kInf = std::numeric_limits<double>::infinity();

// A linear inequality sum_j coef_j w_j >= bound.
struct Inequality {
  std::vector<double> coef;
  double bound = 0;
};

// Pool-adjacent-violators: the closest non-increasing sequence (in `order`) to the values.
void MakeNonIncreasing(const std::vector<uint32_t>& order, std::vector<double>* v) {
  std::vector<std::pair<double, int>> blocks;  // (mean, size)
  for (uint32_t x : order) {
    blocks.emplace_back((*v)[x], 1);
    while (blocks.size() >= 2 && blocks[blocks.size() - 2].first < blocks.back().first) {
      auto [m2, n2] = blocks.back();
      blocks.pop_back();
      auto& [m1, n1] = blocks.back();
      m1 = (m1 * n1 + m2 * n2) / (n1 + n2);
      n1 += n2;
    }
  }
  size_t k = 0;
  for (const auto& [mean, size] : blocks) {
    for (int t = 0; t < size; ++t) (*v)[order[k++]] = mean;
  }
}

}  // namespace

PartyModel::PartyModel(const OutcomeSpace* space, const AgendaPlan* plan, const ModelOptions& options)
    : space_(space), plan_(plan), options_(options) {
  const size_t n = space->issue_count();
  values_known_.assign(n, 0);
  ranking_.assign(n, {});
  w_.assign(n, 1.0 / static_cast<double>(std::max<size_t>(n, 1)));
  v_.resize(n);
  anchor_.assign(n, -1);
  numeric_.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    const Issue& issue = space->issue(i);
    v_[i].assign(issue.size(), 0.5);
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
  return weights_known_ && std::all_of(values_known_.begin(), values_known_.end(), [](uint8_t k) { return k != 0; });
}

void PartyModel::Confide(const Confidence& c) {
  if (c.weights) {
    weights_known_ = true;
    w_ = *c.weights;
  }
  for (const auto& [issue, values] : c.values) {
    values_known_[issue] = 1;
    v_[issue] = values;
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

void PartyModel::ObserveAccept(int visit, int stage, const Outcome& text) {
  Obs o;
  o.kind = Obs::Kind::kAccept;
  o.visit = visit;
  o.stage = stage;
  o.has_text = true;
  o.text = text;
  obs_.push_back(std::move(o));
}

void PartyModel::ObserveObject(int visit, int stage, const Outcome& text, const Objection& objection) {
  Obs o;
  o.kind = Obs::Kind::kObject;
  o.visit = visit;
  o.stage = stage;
  o.has_text = true;
  o.text = text;
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

bool PartyModel::Allowed(size_t issue, uint32_t value) const {
  for (const RedLine& line : confided_lines_) {
    if (static_cast<size_t>(line.issue) == issue && !line.Allows(*space_, value)) return false;
  }
  return !std::binary_search(inferred_.begin(), inferred_.end(), std::pair<int, uint32_t>(static_cast<int>(issue), value));
}

bool PartyModel::CrossesHeldLine(const Obs& o) const {
  for (size_t i = 0; i < o.text.size(); ++i) {
    Role r = plan_->RoleAt(o.stage, static_cast<int>(i));
    if ((r == Role::kOpen || r == Role::kSettled) && !Allowed(i, o.text[i])) return true;
  }
  return false;
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
// and put first at least once.
void PartyModel::FindCandidates() {
  candidates_.clear();
  inferred_.clear();
  if (lines_known_) return;
  std::map<std::pair<int, uint32_t>, std::pair<int, bool>> evidence;
  std::map<std::pair<int, uint32_t>, bool> livable;
  auto mark_livable = [&](int issue, uint32_t v) { livable[{issue, v}] = true; };
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kAccept) {
      for (size_t i = 0; i < o.text.size(); ++i) mark_livable(static_cast<int>(i), o.text[i]);
    } else if (o.kind == Obs::Kind::kCounter) {
      for (size_t i = 0; i < o.counter.size(); ++i) mark_livable(static_cast<int>(i), o.counter[i]);
    } else {
      for (int i : plan_->stages[o.stage]) {
        if (std::find(o.named.begin(), o.named.end(), i) == o.named.end()) mark_livable(i, o.text[i]);
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
    if (e.first >= options_.red_line_evidence && e.second && !livable.count(key)) candidates_.push_back(key);
  }
}

bool PartyModel::HasCandidate(const Obs& o) const {
  if (o.kind != Obs::Kind::kObject) return false;
  for (int i : o.named) {
    if (std::binary_search(candidates_.begin(), candidates_.end(), std::pair<int, uint32_t>(i, o.text[i]))) return true;
  }
  return false;
}

// A candidate becomes a red line when at least red_line_evidence of the objections to it were to
// texts the model says the party would otherwise have accepted.
// The party must also have stopped moving on the issue: its last red_line_evidence lists of
// livable values there are the same (a value merely below its aspiration would join them as the
// aspiration falls).
void PartyModel::ConfirmCandidates() {
  for (const auto& key : candidates_) {
    int unexplained = 0;
    std::vector<const std::vector<uint8_t>*> lists;
    for (size_t k = 0; k < obs_.size(); ++k) {
      const Obs& o = obs_[k];
      if (o.kind != Obs::Kind::kObject) continue;
      auto it = std::find(o.named.begin(), o.named.end(), key.first);
      if (it == o.named.end()) continue;
      lists.push_back(&o.live[it - o.named.begin()]);
      if (o.text[key.first] != key.second) continue;
      if (ModelUtility(o, o.text) >= alpha_[k] * ModelIdeal(o) - 1e-9) ++unexplained;
    }
    const size_t r = static_cast<size_t>(options_.red_line_evidence);
    bool steady = lists.size() >= r;
    for (size_t k = lists.size() - std::min(lists.size(), r); steady && k + 1 < lists.size(); ++k) {
      steady = *lists[k] == *lists.back();
    }
    if (steady && unexplained >= options_.red_line_evidence) inferred_.push_back(key);
  }
}

// The assumed aspiration (fraction of the best) at each observation.
void PartyModel::Schedule() {
  alpha_.assign(obs_.size(), 1.0);
  std::map<int, int> stage_start;
  for (const Obs& o : obs_) {
    auto [it, fresh] = stage_start.emplace(o.stage, o.visit);
    if (!fresh) it->second = std::min(it->second, o.visit);
  }
  for (size_t k = 0; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    int start = stage_start[o.stage];
    double horizon = options_.max_visits > 0 ? std::max(1, options_.max_visits - start) : std::max(1, options_.patience);
    double tau = std::clamp((o.visit - start) / horizon, 0.0, 1.0);
    double ideal = std::max(ModelIdeal(o), 1e-9);
    double floor = std::clamp(reservation() / ideal, 0.0, 1.0);
    alpha_[k] = 1.0 - (1.0 - floor) * tau;
  }
}

void PartyModel::FitValues() {
  const size_t n = w_.size();
  anchor_.assign(n, -1);
  for (const Obs& o : obs_) {
    if (o.kind != Obs::Kind::kCounter || o.has_text) continue;
    for (int i : plan_->stages[o.stage]) {
      if (anchor_[i] < 0) anchor_[i] = static_cast<int32_t>(o.counter[i]);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (values_known_[i]) continue;
    const size_t m = v_[i].size();
    std::vector<double> lo(m, -kInf), hi(m, kInf);
    if (anchor_[i] >= 0) lo[anchor_[i]] = 1.0;
    for (size_t k = 0; k < obs_.size(); ++k) {
      const Obs& o = obs_[k];
      if (o.kind != Obs::Kind::kObject) continue;
      const double a = alpha_[k];
      auto it = std::find(o.named.begin(), o.named.end(), static_cast<int>(i));
      if (it == o.named.end()) {
        if (plan_->RoleAt(o.stage, static_cast<int>(i)) == Role::kOpen) lo[o.text[i]] = std::max(lo[o.text[i]], a);
        continue;
      }
      const std::vector<uint8_t>& live = o.live[it - o.named.begin()];
      for (size_t v = 0; v < live.size(); ++v) {
        if (live[v]) {
          lo[v] = std::max(lo[v], a);
        } else if (Allowed(i, static_cast<uint32_t>(v))) {
          hi[v] = std::min(hi[v], a);
        }
      }
    }
    // Numeric issues: value falls linearly with the distance from the best value.
    std::vector<double> prior;
    if (!numeric_[i].empty() && anchor_[i] >= 0) {
      double far = 0, at = numeric_[i][anchor_[i]];
      for (double x : numeric_[i]) far = std::max(far, std::abs(x - at));
      for (double x : numeric_[i]) prior.push_back(far > 0 ? 1.0 - std::abs(x - at) / far : 1.0);
    }
    for (size_t v = 0; v < m; ++v) {
      const bool has_lo = lo[v] > -kInf, has_hi = hi[v] < kInf;
      if (!prior.empty() && (!has_lo || !has_hi || lo[v] <= hi[v])) {
        double top = has_hi ? hi[v] - 1e-3 : 1.0;
        v_[i][v] = std::clamp(prior[v], has_lo ? lo[v] : 0.0, std::max(top, has_lo ? lo[v] : 0.0));
      } else if (has_lo && has_hi) {
        v_[i][v] = lo[v] <= hi[v] ? 0.5 * (lo[v] + hi[v]) : lo[v];
      } else if (has_lo) {
        v_[i][v] = 0.5 * (lo[v] + 1.0);
      } else if (has_hi) {
        v_[i][v] = 0.5 * hi[v];
      } else {
        v_[i][v] = 0.5;
      }
      if (anchor_[i] == static_cast<int32_t>(v)) v_[i][v] = 1.0;
    }
    if (!ranking_[i].empty()) MakeNonIncreasing(ranking_[i], &v_[i]);
    // The best allowed value is 1 by convention.
    double best = 0;
    size_t arg = 0;
    for (size_t v = 0; v < m; ++v) {
      if (Allowed(i, static_cast<uint32_t>(v)) && v_[i][v] > best) {
        best = v_[i][v];
        arg = v;
      }
    }
    if (best > 0) v_[i][arg] = 1.0;
  }
}

double PartyModel::BestV(size_t issue) const {
  double best = 0;
  for (size_t v = 0; v < v_[issue].size(); ++v) {
    if (Allowed(issue, static_cast<uint32_t>(v))) best = std::max(best, v_[issue][v]);
  }
  return best;
}

void PartyModel::Coefficients(const Obs& o, const Outcome& outcome, std::vector<double>* u,
                              std::vector<double>* best) const {
  const size_t n = w_.size();
  u->assign(n, 0.0);
  best->assign(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    switch (plan_->RoleAt(o.stage, static_cast<int>(i))) {
      case Role::kSettled:
        (*u)[i] = v_[i][outcome[i]];
        (*best)[i] = v_[i][o.text.empty() ? outcome[i] : o.text[i]];
        break;
      case Role::kOpen:
        (*u)[i] = v_[i][outcome[i]];
        (*best)[i] = BestV(i);
        break;
      case Role::kLater: (*u)[i] = (*best)[i] = BestV(i); break;
      case Role::kDeferred: (*u)[i] = (*best)[i] = v_[i][0]; break;
    }
  }
}

double PartyModel::ModelUtility(const Obs& o, const Outcome& outcome) const {
  std::vector<double> u, best;
  Coefficients(o, outcome, &u, &best);
  double s = 0;
  for (size_t i = 0; i < u.size(); ++i) s += w_[i] * u[i];
  return s;
}

double PartyModel::ModelIdeal(const Obs& o) const {
  std::vector<double> u, best;
  Coefficients(o, o.has_text ? o.text : o.counter, &u, &best);
  double s = 0;
  for (size_t i = 0; i < best.size(); ++i) s += w_[i] * best[i];
  return s;
}

void PartyModel::FitWeights() {
  if (weights_known_) return;
  const size_t n = w_.size();
  std::vector<Inequality> rows;
  std::vector<double> u, best;
  auto versus_aspiration = [&](const Obs& o, double a, const Outcome& outcome, double sign, double margin) {
    Coefficients(o, outcome, &u, &best);
    Inequality row;
    row.coef.resize(n);
    for (size_t i = 0; i < n; ++i) row.coef[i] = sign * (u[i] - a * best[i]);
    row.bound = margin;
    rows.push_back(std::move(row));
  };
  for (size_t k = 0; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    if (!o.has_text) continue;
    const bool crosses = CrossesHeldLine(o);
    switch (o.kind) {
      case Obs::Kind::kAccept: versus_aspiration(o, alpha_[k], o.text, +1, 0); break;
      case Obs::Kind::kCounter:
        versus_aspiration(o, alpha_[k], o.counter, +1, 0);
        versus_aspiration(o, alpha_[k], o.text, -1, kMargin);
        break;
      case Obs::Kind::kObject:
        if (crosses || HasCandidate(o)) break;
        versus_aspiration(o, alpha_[k], o.text, -1, kMargin);
        // Named issues come worst loss w_j (1 - v_j) first.
        for (size_t t = 0; t + 1 < o.named.size(); ++t) {
          int x = o.named[t], y = o.named[t + 1];
          Inequality row;
          row.coef.assign(n, 0.0);
          row.coef[x] += 1.0 - v_[x][o.text[x]];
          row.coef[y] -= 1.0 - v_[y][o.text[y]];
          rows.push_back(std::move(row));
        }
        break;
    }
  }
  w_.assign(n, 1.0 / static_cast<double>(std::max<size_t>(n, 1)));
  for (int sweep = 0; sweep < kSweeps && !rows.empty(); ++sweep) {
    for (const Inequality& row : rows) {
      double g = -row.bound, norm = 0;
      for (size_t i = 0; i < n; ++i) {
        g += row.coef[i] * w_[i];
        norm += row.coef[i] * row.coef[i];
      }
      if (g >= 0 || norm <= 0) continue;
      for (size_t i = 0; i < n; ++i) w_[i] -= g / norm * row.coef[i];
    }
    double sum = 0;
    for (double& w : w_) {
      w = std::max(w, kMinWeight);
      sum += w;
    }
    for (double& w : w_) w /= sum;
  }
}

void PartyModel::EstimateReservation() {
  rv_estimate_ = 0;
  if (rv_known_) return;
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kObject && o.below_reservation) {
      rv_estimate_ = std::max(rv_estimate_, ModelUtility(o, o.text) + kMargin);
    }
  }
  for (const Obs& o : obs_) {
    if (o.kind == Obs::Kind::kAccept) rv_estimate_ = std::min(rv_estimate_, ModelUtility(o, o.text));
  }
  // A stall: the same text refused the same way for stall_visits visits in a row.
  const size_t stall = static_cast<size_t>(std::max(0, options_.stall_visits));
  if (stall == 0 || obs_.size() < stall) return;
  const Obs& last = obs_.back();
  if (last.kind != Obs::Kind::kObject) return;
  for (size_t k = obs_.size() - stall; k < obs_.size(); ++k) {
    const Obs& o = obs_[k];
    if (o.kind != last.kind || o.text != last.text || o.named != last.named || o.live != last.live) return;
  }
  rv_estimate_ = std::max(rv_estimate_, ModelUtility(last, last.text) + kMargin);
}

void PartyModel::RebuildTables() {
  const size_t n = w_.size();
  tables_.contribution.assign(n, {});
  tables_.allowed.assign(n, {});
  for (size_t i = 0; i < n; ++i) {
    const size_t m = v_[i].size();
    tables_.contribution[i].resize(m);
    tables_.allowed[i].resize(m);
    for (size_t v = 0; v < m; ++v) {
      tables_.contribution[i][v] = w_[i] * v_[i][v];
      tables_.allowed[i][v] = Allowed(i, static_cast<uint32_t>(v)) ? 1 : 0;
    }
  }
}

void PartyModel::Fit() {
  FindCandidates();
  Schedule();
  if (!exact()) {
    FitValues();
    Schedule();  // The aspiration's floor depends on the values.
    FitValues();
    FitWeights();
  }
  ConfirmCandidates();
  RebuildTables();
  EstimateReservation();
}

}  // namespace shuttle::mediation_internal
