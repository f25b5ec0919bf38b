// Running a mediation with automated caucus parties, replaying its log, taking a diagnosed
// relaxation, and the calendar arithmetic of a date deadline.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "mediation/disclosure.h"
#include "mediation/messages.h"
#include "shuttle/drive.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

Result<std::vector<Utility>> CompileParties(const Scenario& scenario) {
  std::vector<Utility> utilities;
  for (const Party& party : scenario.parties) {
    Result<Utility> u = Utility::Compile(scenario.space, party.profile);
    if (!u.ok()) return u.status().WithContext(fmt::format("party '{}'", party.name));
    utilities.push_back(*std::move(u));
  }
  return utilities;
}

// Mediation time is counted in visits, not rounds: t = (visit - 1) / max_visits. Without a visit
// limit t stays 0 and the talks end once `safety` visits have passed without an end.
class VisitPacer final : public Pacer {
 public:
  VisitPacer(const Mediator* mediator, int max_visits, int safety)
      : mediator_(mediator), max_visits_(max_visits), safety_(safety) {}
  Status Next(const Protocol& protocol, size_t next, double* t, bool* expired) override {
    const int visit = mediator_->visit();
    *t = max_visits_ > 0 ? static_cast<double>(visit - 1) / max_visits_ : 0.0;
    *expired = max_visits_ == 0 && visit > safety_;
    stalled_ = stalled_ || *expired;
    return Status::Ok();
  }
  bool stalled() const { return stalled_; }

 private:
  const Mediator* mediator_;
  int max_visits_;
  int safety_;
  bool stalled_ = false;
};

// A seat played from a log: each move is the logged event at the index the next event of `out`
// (the log being written) will get.
class LoggedMoves final : public Agent {
 public:
  LoggedMoves(const EventLog* log, const EventLog* out) : log_(log), out_(out) {}
  const std::string& name() const override { return name_; }
  Status Init(const AgentContext&) override { return Status::Ok(); }
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    if (out_->size() >= log_->size()) {
      action->type = EventType::kNote;  // The protocol refuses it; Drive reports the index.
      return;
    }
    *action = ActionOf(log_->RecordOf((*log_)[out_->size()]));
  }

 private:
  std::string name_ = "the log";
  const EventLog* log_;
  const EventLog* out_;
};

void FillReport(const Scenario& scenario, const Mediator& m, const std::vector<Utility>& utilities,
                MediationReport* r) {
  r->status = m.status();
  r->end_reason = r->end_reason.empty() ? m.end_reason() : r->end_reason;
  r->visits = m.visit();
  r->gap_by_visit = m.gap_by_visit();
  r->gap_contributions = m.gap_contributions();
  r->diagnosis = m.diagnosis();
  if (const uint32_t* a = m.agreement())
    r->agreement = Outcome(a, a + scenario.space.issue_count());
  r->time = m.RoundTime();
  for (size_t k = 0; k < utilities.size(); ++k) {
    r->utilities.push_back(r->agreement ? utilities[k].Evaluate(*r->agreement)
                                        : utilities[k].reservation_value());
    r->discounted_utilities.push_back(
        DiscountedUtility(r->utilities.back(), utilities[k].discount(), r->time));
  }
  r->bits_disclosed.assign(utilities.size(), 0.0);
  std::vector<std::string_view> asked(utilities.size());  // The question each party must answer.
  for (const Event& e : r->log.events()) {
    if (e.type == EventType::kStatement) r->statements.emplace_back(r->log.TextOf(e));
    if (e.type == EventType::kAsk && e.audience.kind == AudienceKind::kCaucus &&
        e.audience.party >= 0 && static_cast<size_t>(e.audience.party) < asked.size()) {
      asked[e.audience.party] = r->log.TextOf(e);
    }
    if (e.actor >= 0 && static_cast<size_t>(e.actor) < utilities.size()) {
      r->bits_disclosed[e.actor] +=
          e.type == EventType::kAnswer
              ? mediation_internal::AnswerBits(scenario.space, asked[e.actor], r->log.TextOf(e))
              : mediation_internal::DisclosedBits(scenario.space, r->log, e);
    }
  }
}

// The days since 1970-01-01 of a "YYYY-MM-DD" date (H. Hinnant's days_from_civil).
Result<int64_t> DaysOf(std::string_view date) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
      std::sscanf(std::string(date).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31) {
    return Status::InvalidArgument(fmt::format("'{}' is not a date of the form YYYY-MM-DD", date));
  }
  static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) {
    return Status::InvalidArgument(fmt::format("'{}' is not a day of the calendar", date));
  }
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Allows `values` of an issue in a red line (dropping what no longer forbids anything).
void AllowValues(const OutcomeSpace& space, int issue, const std::vector<uint32_t>& values,
                 std::vector<RedLine>* lines) {
  for (RedLine& line : *lines) {
    if (line.issue != issue) continue;
    for (uint32_t v : values) {
      if (line.Allows(space, v)) continue;
      switch (line.kind) {
        case RedLine::Kind::kForbid:
          line.values.erase(std::remove(line.values.begin(), line.values.end(), v),
                            line.values.end());
          break;
        case RedLine::Kind::kRequire: line.values.push_back(v); break;
        case RedLine::Kind::kAtMost:
          line.bound =
              std::max(line.bound, space.issue(issue).NumericValue(v).value_or(line.bound));
          break;
        case RedLine::Kind::kAtLeast:
          line.bound =
              std::min(line.bound, space.issue(issue).NumericValue(v).value_or(line.bound));
          break;
      }
    }
  }
  lines->erase(std::remove_if(lines->begin(), lines->end(),
                              [&](const RedLine& line) {
                                for (uint64_t v = 0; v < space.issue(line.issue).size(); ++v) {
                                  if (!line.Allows(space, static_cast<uint32_t>(v))) return false;
                                }
                                return true;
                              }),
               lines->end());
}

}  // namespace

Result<std::vector<std::unique_ptr<Agent>>> MakeCaucusParties(const Scenario& scenario,
                                                              const std::vector<std::string>& specs,
                                                              const std::vector<Utility>& utilities,
                                                              const Mediator& mediator,
                                                              uint64_t seed) {
  const int n = static_cast<int>(scenario.parties.size());
  if (static_cast<int>(specs.size()) != n || static_cast<int>(utilities.size()) != n) {
    return Status::InvalidArgument(
        fmt::format("{} specs and {} utilities for {} parties", specs.size(), utilities.size(), n));
  }
  std::vector<std::unique_ptr<Agent>> agents;
  for (int k = 0; k < n; ++k) {
    if (specs[k].empty()) {  // A person.
      agents.emplace_back();
      continue;
    }
    Result<std::unique_ptr<Agent>> agent = MakeCaucusAgent(specs[k], &scenario.parties[k].profile);
    if (!agent.ok())
      return agent.status().WithContext(fmt::format("party '{}'", scenario.parties[k].name));
    AgentContext context;
    context.space = &scenario.space;
    context.utility = &utilities[k];
    context.self = k;
    context.party_count = n;
    context.protocol = &mediator.options();
    context.seed = AgentSeed(seed, k);
    Status init = (*agent)->Init(context);
    if (!init.ok()) return init.WithContext(fmt::format("party '{}'", scenario.parties[k].name));
    agents.push_back(std::move(agent).value());
  }
  return agents;
}

Result<MediationReport> Mediate(const Scenario& scenario, const MediationRunOptions& options) {
  SHUTTLE_RETURN_IF_ERROR(scenario.Validate());
  const int n = static_cast<int>(scenario.parties.size());
  std::vector<std::string> specs = options.parties;
  if (specs.empty()) specs.assign(n, "truthful");
  if (static_cast<int>(specs.size()) != n) {
    return Status::InvalidArgument(
        fmt::format("{} caucus parties given for {} parties", specs.size(), n));
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities, CompileParties(scenario));
  MediationOptions mo = options.mediation;
  if (mo.agenda.empty()) mo.agenda = scenario.agenda;
  if (mo.rule.unanimous()) mo.rule = scenario.rule;
  if (mo.agents.empty()) mo.agents = specs;
  if (options.engine_seat) {
    mo.helm = true;
    mo.mediator = "engine";
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Mediator> mediator,
                           MakeMediator(&scenario.space, n, mo));
  std::unique_ptr<Agent> seat;
  if (mo.helm) {
    SHUTTLE_ASSIGN_OR_RETURN(seat, MakeEngineMediator(&scenario.space, n, mo));
  }

  SHUTTLE_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<Agent>> agents,
                           MakeCaucusParties(scenario, specs, utilities, *mediator, mo.seed));
  MediationReport report;
  report.log = EventLog(scenario.space.issue_count());
  VisitPacer pacer(mediator.get(), mo.max_visits, options.safety_visits);
  SHUTTLE_RETURN_IF_ERROR(Drive(mediator.get(), agents, &pacer, nullptr, &report.log, seat.get()));
  if (pacer.stalled()) report.end_reason = "no progress";
  FillReport(scenario, *mediator, utilities, &report);
  return report;
}

Status ReplayMediation(const Scenario& scenario, const EventLog& log) {
  if (log.size() == 0 || log[0].type != EventType::kStart)
    return Status::Corruption("the log does not begin with a start event");
  Result<std::pair<int, MediationOptions>> start =
      mediation_internal::ParseStart(log.TextOf(log[0]));
  if (!start.ok()) return start.status().WithContext("event 0");
  if (start->first != static_cast<int>(scenario.parties.size())) {
    return Status::Corruption(fmt::format("the log has {} parties, the scenario {}", start->first,
                                          scenario.parties.size()));
  }
  if (log.issue_count() != scenario.space.issue_count())
    return Status::Corruption("the log does not fit the scenario's issues");
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Mediator> mediator,
                           MakeMediator(&scenario.space, start->first, start->second));
  EventLog out(scenario.space.issue_count());
  if (!start->second.helm || start->second.mediator != "engine")
    return ReplayLog(mediator.get(), log, &out);
  // The engine played the seat: it is deterministic, so its moves are re-made (the parties' are
  // the log's) and each must be the logged one.
  std::vector<std::unique_ptr<Agent>> parties;
  for (int k = 0; k < start->first; ++k)
    parties.push_back(std::make_unique<LoggedMoves>(&log, &out));
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Agent> seat,
                           MakeEngineMediator(&scenario.space, start->first, start->second));
  LogPacer pacer(&log);
  return Drive(mediator.get(), parties, &pacer, &log, &out, seat.get());
}

Status ReplayMediationAgents(const Scenario& scenario, const EventLog& log) {
  if (log.size() == 0 || log[0].type != EventType::kStart)
    return Status::Corruption("the log does not begin with a start event");
  Result<std::pair<int, MediationOptions>> start =
      mediation_internal::ParseStart(log.TextOf(log[0]));
  if (!start.ok()) return start.status().WithContext("event 0");
  MediationRunOptions run;
  run.mediation = start->second;
  run.parties = start->second.agents;
  if (run.parties.size() != scenario.parties.size()) {
    return Status::FailedPrecondition(
        "the log names no automated caucus party for every party: cannot re-run them");
  }
  for (const std::string& spec : run.parties) {
    if (!MakeCaucusAgent(spec).ok())
      return Status::FailedPrecondition(fmt::format("'{}' is no automated caucus party", spec));
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<Utility> utilities, CompileParties(scenario));
  SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Mediator> mediator,
                           MakeMediator(&scenario.space, start->first, start->second));
  SHUTTLE_ASSIGN_OR_RETURN(
      std::vector<std::unique_ptr<Agent>> agents,
      MakeCaucusParties(scenario, run.parties, utilities, *mediator, run.mediation.seed));
  // The mediator's seat: the engine is re-run too; a person's moves are taken from the log.
  std::unique_ptr<Agent> seat;
  if (start->second.helm && start->second.mediator == "engine") {
    SHUTTLE_ASSIGN_OR_RETURN(seat,
                             MakeEngineMediator(&scenario.space, start->first, start->second));
  }
  EventLog out(scenario.space.issue_count());
  if (start->second.helm && !seat) seat = std::make_unique<LoggedMoves>(&log, &out);
  LogPacer pacer(&log);
  return Drive(mediator.get(), agents, &pacer, &log, &out, seat.get());
}

Result<Scenario> ApplyRelaxation(const Scenario& scenario, const ImpasseDiagnosis& diagnosis) {
  Scenario out = scenario;
  for (const ConflictItem& item : diagnosis.relaxation) {
    if (item.party < 0 || static_cast<size_t>(item.party) >= out.parties.size()) {
      return Status::InvalidArgument(fmt::format("relaxation names party {}, the scenario has {}",
                                                 item.party, out.parties.size()));
    }
    Profile& p = out.parties[item.party].profile;
    if (item.kind == ConflictItem::Kind::kReservation) {
      if (!item.inferred) {
        p.reservation_value = std::min(p.reservation_value, item.relaxed_to);
        continue;
      }
      // An estimate on the party's range scale: lower the reservation value by that share.
      SHUTTLE_ASSIGN_OR_RETURN(Utility u, Utility::Compile(out.space, p));
      double best = 0;
      for (size_t i = 0; i < out.space.issue_count(); ++i) {
        double top = 0;
        for (size_t v = 0; v < u.IssueSize(i); ++v) {
          if (u.Allows(i, static_cast<uint32_t>(v))) top = std::max(top, u.Contributions(i)[v]);
        }
        best += top;
      }
      double drop = std::max(0.0, item.reservation_value - item.relaxed_to);
      p.reservation_value -= drop * std::max(0.0, best - p.reservation_value);
      continue;
    }
    const RedLine& line = item.red_line;
    if (line.issue < 0 || static_cast<size_t>(line.issue) >= out.space.issue_count()) {
      return Status::InvalidArgument(fmt::format("relaxation names issue index {}", line.issue));
    }
    std::vector<uint32_t> forbidden;
    for (uint64_t v = 0; v < out.space.issue(line.issue).size(); ++v) {
      if (!line.Allows(out.space, static_cast<uint32_t>(v)))
        forbidden.push_back(static_cast<uint32_t>(v));
    }
    AllowValues(out.space, line.issue, forbidden, &p.red_lines);
  }
  SHUTTLE_RETURN_IF_ERROR(out.Validate());
  return out;
}

Result<RelaxedMediation> MediateRelaxing(const Scenario& scenario,
                                         const MediationRunOptions& options, bool relax) {
  RelaxedMediation run;
  SHUTTLE_ASSIGN_OR_RETURN(run.first, Mediate(scenario, options));
  const MediationReport& first = run.first;
  if (!relax || first.agreement || !first.diagnosis || first.diagnosis->relaxation.empty())
    return run;
  Result<Scenario> relaxed = ApplyRelaxation(scenario, *first.diagnosis);
  if (!relaxed.ok()) return relaxed.status().WithContext("relaxation");
  run.relaxed = *std::move(relaxed);
  Result<MediationReport> again = Mediate(*run.relaxed, options);
  if (!again.ok()) return again.status().WithContext("relaxation");
  run.second = *std::move(again);
  return run;
}

Result<int> VisitsBetween(std::string_view start, std::string_view deadline, int days_per_visit) {
  if (days_per_visit < 1) return Status::InvalidArgument("days per visit must be at least 1");
  SHUTTLE_ASSIGN_OR_RETURN(int64_t from, DaysOf(start));
  SHUTTLE_ASSIGN_OR_RETURN(int64_t to, DaysOf(deadline));
  if (to < from)
    return Status::InvalidArgument(
        fmt::format("the deadline {} is before the start {}", deadline, start));
  return static_cast<int>(std::min<int64_t>((to - from) / days_per_visit + 1, 1'000'000));
}

}  // namespace shuttle
