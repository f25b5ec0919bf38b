#include "mediation/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace shuttle::mediation_internal {
namespace {

constexpr size_t kMaxRelaxable = 10;  // 2^10 zone tests at most.
constexpr int kMaxConflicts = 4;

// A demand: a held red line of a party, or its reservation value (line == -1).
struct Demand {
  int party = 0;
  int line = -1;
  bool operator==(const Demand& o) const = default;
};

class Diagnoser {
 public:
  explicit Diagnoser(const FormulaProblem& problem) : base_(problem) {
    for (size_t k = 0; k < problem.parties.size(); ++k) {
      all_.push_back({static_cast<int>(k), -1});
    }
    for (int pass = 0; pass < 2; ++pass) {  // Inferred lines first, then confided ones.
      for (size_t k = 0; k < problem.parties.size(); ++k) {
        const std::vector<HeldLine>& lines = problem.parties[k].lines;
        for (size_t l = 0; l < lines.size(); ++l) {
          if (lines[l].inferred == (pass == 0))
            all_.push_back({static_cast<int>(k), static_cast<int>(l)});
        }
      }
    }
  }

  const std::vector<Demand>& all() const { return all_; }

  // The problem with only `kept` enforced; `relaxed_rv` gives lowered reservation values.
  FormulaProblem With(const std::vector<Demand>& kept,
                      const std::vector<double>* relaxed_rv = nullptr) const {
    FormulaProblem p = base_;
    for (size_t k = 0; k < p.parties.size(); ++k) {
      PartyView& v = p.parties[k];
      v.active.assign(v.lines.size(), 0);
      v.reservation_active = false;
      if (relaxed_rv && (*relaxed_rv)[k] > -1e8) {
        v.reservation = (*relaxed_rv)[k];
        v.reservation_active = true;
      }
    }
    for (const Demand& d : kept) {
      PartyView& v = p.parties[d.party];
      if (d.line < 0) {
        v.reservation_active = true;
      } else {
        v.active[d.line] = 1;
      }
    }
    return p;
  }

  Result<bool> Open(const std::vector<Demand>& kept) const {
    SHUTTLE_ASSIGN_OR_RETURN(Formula f, FindFormula(With(kept)));
    return f.found;
  }

  static std::vector<Demand> Without(const std::vector<Demand>& from,
                                     const std::vector<Demand>& drop) {
    std::vector<Demand> out;
    for (const Demand& d : from) {
      if (std::find(drop.begin(), drop.end(), d) == drop.end()) out.push_back(d);
    }
    return out;
  }

  // Deletion filter over `candidates` (which leave no zone together).
  Result<std::vector<Demand>> MinimalConflict(std::vector<Demand> candidates) const {
    for (size_t k = 0; k < candidates.size();) {
      std::vector<Demand> rest = candidates;
      rest.erase(rest.begin() + static_cast<long>(k));
      SHUTTLE_ASSIGN_OR_RETURN(bool open, Open(rest));
      if (open) {
        ++k;
      } else {
        candidates = std::move(rest);
      }
    }
    return candidates;
  }

 private:
  FormulaProblem base_;
  std::vector<Demand> all_;
};

ConflictItem ItemOf(const FormulaProblem& problem, const Demand& d) {
  ConflictItem item;
  item.party = d.party;
  const PartyView& v = problem.parties[d.party];
  if (d.line < 0) {
    item.kind = ConflictItem::Kind::kReservation;
    item.inferred = v.reservation_estimated;
    item.reservation_value = v.reservation_estimated ? 0.0 : v.reservation;
    item.relaxed_to = item.reservation_value;
  } else {
    item.kind = ConflictItem::Kind::kRedLine;
    item.red_line = v.lines[d.line].line;
    item.inferred = v.lines[d.line].inferred;
  }
  return item;
}

struct Candidate {
  std::vector<Demand> dropped;
  double cost = std::numeric_limits<double>::infinity();  // The largest owner's cost.
  double total = 0;                                       // The owners' costs summed.
  std::vector<double> owner_costs;
  std::vector<double> relaxed_rv;
  Formula formula;
};

// The cost of dropping `dropped` (known to open a zone), with the formula once relaxed.
Result<Candidate> Evaluate(const Diagnoser& dx, const FormulaProblem& problem,
                           const std::vector<double>& ideals, const std::vector<Demand>& dropped) {
  Candidate c;
  c.dropped = dropped;
  std::vector<Demand> kept = Diagnoser::Without(dx.all(), dropped);
  // Dropped reservation values are lowered together, by the least common amount that opens a zone.
  c.relaxed_rv.assign(problem.parties.size(), -1e9);
  bool any_rv = false;
  for (const Demand& d : dropped) any_rv = any_rv || d.line < 0;
  auto lowered = [&](double delta) -> Result<Formula> {
    for (const Demand& d : dropped) {
      if (d.line < 0) c.relaxed_rv[d.party] = problem.parties[d.party].reservation - delta;
    }
    return FindFormula(dx.With(kept, any_rv ? &c.relaxed_rv : nullptr));
  };
  SHUTTLE_ASSIGN_OR_RETURN(c.formula, lowered(any_rv ? 1e6 : 0));
  if (any_rv && c.formula.found) {
    double lo = 0, hi = 1e6;
    Formula best = c.formula;
    for (int step = 0; step < 60 && hi - lo > 1e-6; ++step) {
      double mid = hi > 4 ? hi / 4 : 0.5 * (lo + hi);
      SHUTTLE_ASSIGN_OR_RETURN(Formula f, lowered(mid));
      if (f.found) {
        hi = mid;
        best = std::move(f);
      } else {
        lo = mid;
      }
    }
    SHUTTLE_ASSIGN_OR_RETURN(c.formula, lowered(hi));
    if (!c.formula.found) c.formula = best;
  }
  c.owner_costs.assign(problem.parties.size(), 0.0);
  c.cost = 0;
  for (size_t k = 0; k < problem.parties.size(); ++k) {
    bool owner = std::any_of(dropped.begin(), dropped.end(),
                             [&](const Demand& d) { return d.party == static_cast<int>(k); });
    if (!owner || !c.formula.found) continue;
    double range = std::max(ideals[k] - problem.parties[k].reservation, 1e-9);
    c.owner_costs[k] = std::max(0.0, ideals[k] - c.formula.utilities[k]) / range;
    c.cost = std::max(c.cost, c.owner_costs[k]);
    c.total += c.owner_costs[k];
  }
  return c;
}

bool Better(const Candidate& a, const Candidate& b) {
  if (std::abs(a.cost - b.cost) > 1e-9) return a.cost < b.cost;
  if (std::abs(a.total - b.total) > 1e-9) return a.total < b.total;
  return a.dropped.size() < b.dropped.size();
}

}  // namespace

Result<ImpasseDiagnosis> Diagnose(const FormulaProblem& problem) {
  Diagnoser dx(problem);
  SHUTTLE_ASSIGN_OR_RETURN(Formula all, FindFormula(dx.With(dx.all())));
  if (all.found) return Status::FailedPrecondition("no impasse: a formula satisfies every demand");
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Demand> conflict, dx.MinimalConflict(dx.all()));
  // Each party's best under its own demands (its red lines; the others' do not bind it).
  const Outcome none(problem.space->issue_count(), 0);
  const uint32_t* settled = problem.settled ? problem.settled : none.data();
  std::vector<double> ideals;
  for (const PartyView& v : problem.parties)
    ideals.push_back(EffectiveIdeal(*v.tables, *problem.plan, problem.stage, settled));

  ImpasseDiagnosis d;
  d.stage = problem.stage;
  for (const Demand& x : conflict) d.conflict.push_back(ItemOf(problem, x));
  d.owner_costs.assign(problem.parties.size(), 0.0);

  std::vector<Demand> relaxable = conflict;
  std::optional<Candidate> best;
  for (int round = 0; round < kMaxConflicts && !best && relaxable.size() <= kMaxRelaxable;
       ++round) {
    const size_t n = relaxable.size();
    for (uint32_t mask = 1; mask < (1u << n); ++mask) {
      std::vector<Demand> dropped;
      for (size_t b = 0; b < n; ++b) {
        if (mask & (1u << b)) dropped.push_back(relaxable[b]);
      }
      SHUTTLE_ASSIGN_OR_RETURN(bool open, dx.Open(Diagnoser::Without(dx.all(), dropped)));
      if (!open) continue;
      SHUTTLE_ASSIGN_OR_RETURN(Candidate c, Evaluate(dx, problem, ideals, dropped));
      if (!best || Better(c, *best)) best = std::move(c);
    }
    if (best) break;
    // Dropping any part of the known conflicts is not enough: find the next conflict.
    std::vector<Demand> rest = Diagnoser::Without(dx.all(), relaxable);
    SHUTTLE_ASSIGN_OR_RETURN(bool open, dx.Open(rest));
    if (open) break;  // Cannot happen: some subset of `relaxable` (all of it) would have worked.
    SHUTTLE_ASSIGN_OR_RETURN(std::vector<Demand> more, dx.MinimalConflict(rest));
    relaxable.insert(relaxable.end(), more.begin(), more.end());
  }
  if (!best) return d;
  for (const Demand& x : best->dropped) {
    ConflictItem item = ItemOf(problem, x);
    if (x.line < 0) {
      const PartyView& v = problem.parties[x.party];
      item.relaxed_to = best->relaxed_rv[x.party] - (v.reservation_estimated ? v.reservation : 0.0);
    }
    d.relaxation.push_back(std::move(item));
  }
  d.cost = best->cost;
  d.owner_costs = best->owner_costs;
  if (best->formula.found) d.formula = best->formula.outcome;
  return d;
}

}  // namespace shuttle::mediation_internal
