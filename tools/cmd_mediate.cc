// shuttle mediate [--criterion nash|ks|egalitarian|welfare] [--party truthful|reticent|strategic
// ...]
// [--visits N | --deadline DATE --start DATE [--days-per-visit D]] [--seed S] [--patience N]
// [--no-questions] [--improve-visits N] [--relax] [--bid-last ISSUE [--bid-rounds N] [--claimant P]
// [--margin-percent X] [--margin-amount X] [--crossing demand|midpoint]] [--json] [--log FILE]
// SCENARIO...: the shuttle mediator with automated caucus parties. --bid-last settles the named
// integer or real issue last, by blind bidding (MediationOptions::bidding).
// Prints each visit's public gap and statement, then the agreed text or the impasse diagnosis (or
// one JSON object). --relax takes the diagnosed cheapest relaxation and mediates again.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arg_checks.h"
#include "bidding_args.h"
#include "command.h"
#include "mediation/report_json.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/mediation.h"

namespace shuttle::cli {
namespace {

using Json = nlohmann::ordered_json;

struct MediateArgs {
  std::string criterion = "nash";
  std::vector<std::string> parties;
  int visits = 0;
  std::string deadline, start;
  int days_per_visit = 7;
  uint64_t seed = 1;
  int patience = 20;
  bool no_questions = false;
  int improve_visits = 3;
  bool relax = false;
  std::string bid_last;  // The issue settled last by blind bidding; empty: none.
  int bid_rounds = BlindBiddingRules::kCustomaryRounds;
  BiddingArgs bidding;
  bool json = false;
  std::string log;
  std::vector<std::string> inputs;
};

std::vector<std::string> PartyNames(const Scenario& s) {
  std::vector<std::string> names;
  for (const Party& p : s.parties) names.push_back(p.name);
  return names;
}

std::string StageName(const Scenario& s, int stage) {
  if (stage >= 0 && static_cast<size_t>(stage) < s.agenda.size()) return s.agenda[stage].name;
  return "";
}

std::string VisitsText(const MediationReport& r) {
  std::string out;
  for (size_t k = 0; k < r.statements.size(); ++k) {
    double gap = k < r.gap_by_visit.size() ? r.gap_by_visit[k]
                                           : (r.gap_by_visit.empty() ? 1.0 : r.gap_by_visit.back());
    out += fmt::format("  gap {:.2f}  {}\n", gap, r.statements[k]);
  }
  return out;
}

std::string DiagnosisText(const Scenario& s, const ImpasseDiagnosis& d) {
  const std::vector<std::string> names = PartyNames(s);
  std::string stage = StageName(s, d.stage);
  std::string out = fmt::format("Impasse diagnosis{}:\n  Conflicting demands (a minimal set):\n",
                                stage.empty() ? "" : fmt::format(" (stage '{}')", stage));
  for (const ConflictItem& item : d.conflict)
    out += "    " + DescribeConflictItem(s.space, item, names) + "\n";
  if (d.relaxation.empty())
    return out + "  No relaxation of these demands opens a zone of agreement.\n";
  out += fmt::format("  Cheapest relaxation (cost {:.3f}):\n", d.cost);
  for (const ConflictItem& item : d.relaxation)
    out += "    drop  " + DescribeConflictItem(s.space, item, names) + "\n";
  if (d.formula)
    out += "  The mediator's text once relaxed: " + s.space.Describe(*d.formula) + "\n";
  return out;
}

std::string MediationResultText(const Scenario& s, const MediationReport& r) {
  std::string out;
  for (const Json& b : mediation_internal::BiddingRoundsJson(r.log)) {
    out += fmt::format("  Blind bidding, round {} of {}: ", b["round"].get<int>(),
                       b["rounds"].get<int>());
    if (!b["settled"].get<bool>()) {
      out += "no settlement\n";
      continue;
    }
    out += fmt::format("settled at {} ({}, at the {})\n", b["amount"].get<std::string>(),
                       b["by"] == "crossing" ? "the offer met the demand" : "within the margin",
                       b["at"].get<std::string>());
  }
  if (r.agreement) {
    out += fmt::format("Agreement after {} visit{}: {}\n", r.visits, r.visits == 1 ? "" : "s",
                       s.space.Describe(*r.agreement));
  } else {
    out += fmt::format("No agreement after {} visit{} ({}).\n", r.visits, r.visits == 1 ? "" : "s",
                       r.end_reason);
  }
  for (size_t k = 0; k < s.parties.size(); ++k) {
    const bool discounted = r.discounted_utilities[k] != r.utilities[k];
    const double rv = s.parties[k].profile.reservation_value;
    out += fmt::format(
        "  {}: utility {:.3f} (reservation {:.3f}){}, disclosed {:.0f} bits\n", s.parties[k].name,
        r.utilities[k], rv,
        discounted ? fmt::format("; discounted at t = {:.2f}: {:.3f} (reservation {:.3f})", r.time,
                                 r.discounted_utilities[k],
                                 DiscountedUtility(rv, s.parties[k].profile.discount, r.time))
                   : std::string(),
        r.bits_disclosed[k]);
  }
  if (r.diagnosis && !r.agreement) out += DiagnosisText(s, *r.diagnosis);
  return out;
}

// The claimant of a bidding step when none is named: the party who gains most from the issue's
// highest value over its lowest (the others at their first), by its own profile.
Result<int> HighBidder(const Scenario& s, int issue) {
  int best = 0;
  double best_gain = -1e300;
  for (size_t k = 0; k < s.parties.size(); ++k) {
    SHUTTLE_ASSIGN_OR_RETURN(Utility u, Utility::Compile(s.space, s.parties[k].profile));
    Outcome o(s.space.issue_count(), 0);
    const double low = u.Evaluate(o);
    o[issue] = static_cast<uint32_t>(s.space.issue(issue).size() - 1);
    const double gain = u.Evaluate(o) - low;
    if (gain > best_gain) {
      best_gain = gain;
      best = static_cast<int>(k);
    }
  }
  return best;
}

Result<MediationRunOptions> RunOptions(const MediateArgs& a, const Scenario& s) {
  MediationRunOptions o;
  SHUTTLE_ASSIGN_OR_RETURN(o.mediation.criterion, ParseCriterion(a.criterion));
  o.mediation.seed = a.seed;
  o.mediation.patience = a.patience;
  o.mediation.ask = !a.no_questions;
  if (a.improve_visits < 0) return Status::InvalidArgument("mediate: --improve-visits: 0 or more");
  o.mediation.improve_visits = a.improve_visits;
  o.mediation.max_visits = a.visits;
  if (!a.deadline.empty() || !a.start.empty()) {
    if (a.deadline.empty() || a.start.empty()) {
      return Status::InvalidArgument("mediate: --deadline and --start go together");
    }
    SHUTTLE_ASSIGN_OR_RETURN(int visits, VisitsBetween(a.start, a.deadline, a.days_per_visit));
    o.mediation.max_visits = a.visits > 0 ? std::min(a.visits, visits) : visits;
  }
  if (a.bid_last.empty() && a.bidding.given()) {
    return Status::InvalidArgument(
        "mediate: --claimant, --margin-percent, --margin-amount and --crossing are the rules of "
        "the bidding step: give them with --bid-last ISSUE");
  }
  if (!a.bid_last.empty()) {
    o.mediation.bidding.issue = s.space.FindIssue(a.bid_last);
    if (o.mediation.bidding.issue < 0) {
      return Status::InvalidArgument(
          fmt::format("--bid-last: no issue '{}' in '{}'", a.bid_last, s.name));
    }
    if (s.space.issue(o.mediation.bidding.issue).type() == IssueType::kDiscrete) {
      return Status::InvalidArgument(fmt::format(
          "--bid-last: issue '{}' is discrete; blind bidding is on an integer or real issue",
          a.bid_last));
    }
    SHUTTLE_ASSIGN_OR_RETURN(o.mediation.bidding.rules, BiddingRulesFor(a.bidding, s));
    if (a.bidding.claimant.empty()) {
      SHUTTLE_ASSIGN_OR_RETURN(o.mediation.bidding.rules.claimant,
                               HighBidder(s, o.mediation.bidding.issue));
    }
    o.mediation.bidding.rounds = a.bid_rounds;
  }
  o.parties =
      a.parties.empty() ? std::vector<std::string>(s.parties.size(), "truthful") : a.parties;
  if (o.parties.size() != s.parties.size()) {
    return Status::InvalidArgument(
        fmt::format("mediate: {} --party for {} parties in '{}': give one per party",
                    o.parties.size(), s.parties.size(), s.name));
  }
  return o;
}

std::string Header(const Scenario& s, const MediationRunOptions& o) {
  std::string parties;
  for (size_t k = 0; k < s.parties.size(); ++k) {
    parties += fmt::format("{}{} ({})", k ? ", " : "", s.parties[k].name, o.parties[k]);
  }
  std::string limit = o.mediation.max_visits > 0
                          ? fmt::format("at most {} visits", o.mediation.max_visits)
                          : std::string("no deadline");
  return fmt::format("Mediation of '{}': criterion {}; {}; {}; seed {}\n", s.name,
                     CriterionName(o.mediation.criterion), parties, limit, o.mediation.seed);
}

int RunMediate(const MediateArgs& args) {
  if (args.inputs.empty()) {
    return UsageError(Status::InvalidArgument(
        "mediate: give a scenario (a Shuttle JSON file, or a domain and profiles)"));
  }
  // Names are checked before the scenario is read, so that a misspelt one is a usage error.
  if (Status known = CheckCaucusSpecs(args.parties, "--party"); !known.ok())
    return UsageError(known);
  if (auto criterion = ParseCriterion(args.criterion); !criterion.ok()) {
    return UsageError(criterion.status().WithContext("--criterion"));
  }
  Result<Scenario> loaded = LoadScenario(args.inputs);
  if (!loaded.ok()) return Fail(loaded.status());
  std::vector<GridNote> grid;
  Result<Scenario> scenario = OnMediationGrid(*loaded, &grid);
  if (!scenario.ok()) return Fail(scenario.status().WithContext("mediate"));
  Result<MediationRunOptions> options = RunOptions(args, *scenario);
  if (!options.ok()) {
    return UsageError(options.status());
  }
  Result<RelaxedMediation> run = MediateRelaxing(*scenario, *options, args.relax);
  if (!run.ok()) return Fail(run.status().WithContext("mediate"));
  const Scenario& final_scenario = run->relaxed ? *run->relaxed : *scenario;
  const MediationReport& final_report = run->last();
  const MediationReport* first = &run->first;
  const MediationReport* second = run->second ? &*run->second : nullptr;
  if (!args.log.empty()) {
    Status saved = SaveEventLog(args.log, final_scenario, final_report.log);
    if (!saved.ok()) return Fail(saved);
  }
  if (args.json) {
    Json j = mediation_internal::RelaxedMediationJson(*scenario, *options, *run);
    if (!args.log.empty()) j["log"] = args.log;
    if (!grid.empty()) {
      Json notes = Json::array();
      for (const GridNote& g : grid) {
        notes.push_back({{"issue", g.issue},
                         {"step", g.step},
                         {"values", g.values},
                         {"utility_bound", g.utility_bound}});
      }
      j["grid"] = notes;
    }
    Print(j.dump(2) + "\n");
    return kExitOk;
  }
  Print(Header(*scenario, *options));
  for (const GridNote& g : grid) {
    Print(fmt::format(
        "  '{}' is continuous: mediated in steps of {:g} ({} values); any point between is "
        "within {:.2g} of the nearest in every party's utility\n",
        g.issue, g.step, g.values,
        *std::max_element(g.utility_bound.begin(), g.utility_bound.end())));
  }
  Print(VisitsText(*first));
  Print(MediationResultText(*scenario, *first));
  if (second) {
    Print("\nTaking the cheapest relaxation and mediating again:\n");
    Print(VisitsText(*second));
    Print(MediationResultText(final_scenario, *second));
  } else if (args.relax && !first->agreement) {
    Print("No relaxation to take.\n");
  }
  if (!args.log.empty())
    Print(fmt::format("Event log: {} ({} events)\n", args.log, final_report.log.size()));
  return kExitOk;
}

}  // namespace

void SetupMediate(CLI::App* sub) {
  auto args = std::make_shared<MediateArgs>();
  sub->add_option("--criterion", args->criterion,
                  "What the mediator's text maximizes: nash, ks, egalitarian, welfare")
      ->capture_default_str();
  sub->add_option("--party", args->parties,
                  "Caucus party for the next party, in party order (repeat): truthful, reticent, "
                  "strategic, with "
                  "parameters as in reticent:e=1,patience=20 (default: truthful for every party)")
      ->allow_extra_args(false);
  sub->add_option("--visits", args->visits, "Visit limit (0: none)")->capture_default_str();
  sub->add_option("--deadline", args->deadline,
                  "Date the talks must end by (YYYY-MM-DD; with --start)");
  sub->add_option("--start", args->start, "Date of the first visit (YYYY-MM-DD)");
  sub->add_option("--days-per-visit", args->days_per_visit, "Days between visits, for --deadline")
      ->capture_default_str();
  sub->add_option("--seed", args->seed, "Seed of every random choice; recorded in the log")
      ->capture_default_str();
  sub->add_option("--patience", args->patience,
                  "The mediator's prior: visits a party takes to concede to its reservation value")
      ->capture_default_str();
  sub->add_flag("--no-questions", args->no_questions,
                "The mediator asks no could-you-live-with questions after the parties' answers");
  sub->add_option("--improve-visits", args->improve_visits,
                  "Visits the mediator spends after agreement looking for a deal every party "
                  "prefers (0: none)")
      ->capture_default_str();
  sub->add_flag("--relax", args->relax,
                "On an impasse, take the diagnosed cheapest relaxation and mediate again");
  sub->add_option("--bid-last", args->bid_last,
                  "Settle this integer or real issue last, by blind bidding, once every other "
                  "issue is agreed");
  sub->add_option("--bid-rounds", args->bid_rounds, "--bid-last: rounds of bids")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  AddBiddingOptions(sub, &args->bidding, "--bid-last",
                    "the party who gains most from a high amount");
  sub->add_flag("--json", args->json, "Print one JSON object instead of text");
  sub->add_option("--log", args->log,
                  "Write the event log (JSON Lines) of the last mediation to this file");
  sub->add_option("scenario", args->inputs,
                  "A Shuttle JSON scenario, or a GENIUS/GeniusWeb domain followed by profiles");
  sub->callback([args] { ExitStatus() = RunMediate(*args); });
}

}  // namespace shuttle::cli
