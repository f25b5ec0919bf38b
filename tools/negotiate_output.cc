#include "negotiate_output.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/json_writer.h"

namespace shuttle::cli {
namespace {

constexpr size_t kOutcomeWidth = 56;

std::string ActorName(const Scenario& s, int32_t actor) {
  if (actor >= 0 && static_cast<size_t>(actor) < s.parties.size()) return s.parties[actor].name;
  if (actor == kMediator) return "mediator";
  return "system";
}

std::string Clip(std::string s, size_t width) {
  if (s.size() <= width) return s;
  return s.substr(0, width - 3) + "...";
}

std::string MoveName(const Event& e) {
  switch (e.type) {
    case EventType::kVote: return e.value > 0 ? "vote yes" : "vote no";
    case EventType::kFeedback: return e.value > 0 ? "better" : e.value < 0 ? "worse" : "same";
    default: return EventTypeName(e.type);
  }
}

std::string Line(const Scenario& s, const std::vector<Utility>& utilities, const EventLog& log,
                 const Event& e) {
  std::string line =
      fmt::format("{:>6}  {:<12} {:<9}", e.round + 1, Clip(ActorName(s, e.actor), 12), MoveName(e));
  std::span<const uint32_t> o = log.OutcomeOf(e);
  if (o.empty()) {
    std::string_view text = log.TextOf(e);
    return line + (text.empty() ? "" : " " + Clip(std::string(text), kOutcomeWidth));
  }
  Outcome outcome(o.begin(), o.end());
  line += fmt::format(" {:<{}}", Clip(s.space.Describe(outcome), kOutcomeWidth), kOutcomeWidth);
  for (const Utility& u : utilities) line += fmt::format(" {:>6.3f}", u.Evaluate(outcome));
  return line;
}

std::string Seconds(double s) {
  if (s < 1e-3) return fmt::format("{:.1f} us", s * 1e6);
  if (s < 1) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.2f} s", s);
}

}  // namespace

std::string Transcript(const Scenario& scenario, const std::vector<Utility>& utilities,
                       const EventLog& log, const TranscriptSpec& spec) {
  if (spec.kind == TranscriptSpec::Kind::kNone) return "";
  std::vector<size_t> moves;
  for (size_t i = 0; i < log.size(); ++i) {
    if (log[i].actor != kSystem) moves.push_back(i);
  }
  size_t n = moves.size();
  size_t head = n, tail = 0;
  switch (spec.kind) {
    case TranscriptSpec::Kind::kAll: break;
    case TranscriptSpec::Kind::kFirst: head = std::min(n, spec.count); break;
    case TranscriptSpec::Kind::kLast: head = 0, tail = std::min(n, spec.count); break;
    default:
      if (n > 2 * spec.count + 1) head = spec.count, tail = spec.count;
      break;
  }
  std::string out =
      fmt::format("{:>6}  {:<12} {:<9} {:<{}}", "round", "party", "move", "outcome", kOutcomeWidth);
  for (const Party& p : scenario.parties) out += fmt::format(" {:>6}", Clip(p.name, 6));
  out += "\n";
  for (size_t k = 0; k < head; ++k) out += Line(scenario, utilities, log, log[moves[k]]) + "\n";
  size_t omitted = n - head - tail;
  if (omitted > 0)
    out += fmt::format("{:>6}  ... {} more move{} ...\n", "", omitted, omitted == 1 ? "" : "s");
  for (size_t k = n - tail; k < n; ++k) out += Line(scenario, utilities, log, log[moves[k]]) + "\n";
  return out;
}

std::string SessionLine(const Scenario& scenario, const NegotiationOptions& options) {
  std::string parties;
  for (size_t p = 0; p < scenario.parties.size(); ++p) {
    if (p > 0) parties += " vs ";
    parties += fmt::format("{} ({})", scenario.parties[p].name,
                           p < options.agents.size() ? options.agents[p] : "?");
  }
  const ProtocolOptions& o = options.protocol_options;
  std::string deadline;
  if (o.rounds > 0) deadline = fmt::format("{} rounds", o.rounds);
  if (o.seconds > 0) deadline += fmt::format("{}{} s", deadline.empty() ? "" : ", ", o.seconds);
  return fmt::format("{}: {}; deadline {}; seed {}; scenario '{}': {} issues, {} outcomes\n",
                     options.protocol, parties, deadline, o.seed, scenario.name,
                     scenario.space.issue_count(), scenario.space.cardinality().ToString());
}

std::string ResultText(const Scenario& scenario, const NegotiationResult& result) {
  const Metrics& m = result.metrics;
  const Event& last = result.log[result.log.size() - 1];
  std::string out;
  if (result.agreement) {
    out = fmt::format("Agreement in round {} (t = {:.3f}, {}): {}\n", m.rounds, m.time,
                      Seconds(m.seconds), scenario.space.Describe(*result.agreement));
  } else {
    std::string_view why = result.log.TextOf(last);
    out = fmt::format("No agreement after {} round{} (t = {:.3f}, {}){}{}\n", m.rounds,
                      m.rounds == 1 ? "" : "s", m.time, Seconds(m.seconds), why.empty() ? "" : ": ",
                      why);
  }
  out += "  utility:";
  for (size_t p = 0; p < scenario.parties.size(); ++p) {
    out += fmt::format(" {} {:.4f}", scenario.parties[p].name, m.utilities[p]);
    if (m.discounted_utilities[p] != m.utilities[p])
      out += fmt::format(" (discounted {:.4f})", m.discounted_utilities[p]);
    out += p + 1 < scenario.parties.size() ? "," : "\n";
  }
  out += fmt::format("  welfare {:.4f}, Nash product {:.4f}; distance to Pareto frontier {:.4f}, ",
                     m.welfare, m.nash_product, m.pareto_distance);
  auto distance = [](double d) { return d < 0 ? std::string("n/a") : fmt::format("{:.4f}", d); };
  out += fmt::format("to Nash point {}, to Kalai-Smorodinsky point {}\n", distance(m.nash_distance),
                     distance(m.ks_distance));
  return out;
}

nlohmann::ordered_json ResultJson(const Scenario& scenario, const NegotiationOptions& options,
                                  const NegotiationResult& result) {
  const Metrics& m = result.metrics;
  nlohmann::ordered_json parties = nlohmann::ordered_json::array();
  for (const Party& p : scenario.parties) parties.push_back(p.name);
  nlohmann::ordered_json j;
  j["scenario"] = scenario.name;
  j["protocol"] = options.protocol;
  j["parties"] = parties;
  j["agents"] = options.agents;
  j["seed"] = options.protocol_options.seed;
  j["agreement"] = result.agreement ? json_internal::OutcomeJson(scenario.space, *result.agreement)
                                    : nlohmann::ordered_json();
  j["utilities"] = m.utilities;
  j["rounds"] = m.rounds;
  const Event& last = result.log[result.log.size() - 1];
  if (!result.agreement) j["reason"] = std::string(result.log.TextOf(last));
  j["events"] = result.log.size();
  j["metrics"] = {{"agreement", m.agreement},
                  {"utilities", m.utilities},
                  {"discounted_utilities", m.discounted_utilities},
                  {"welfare", m.welfare},
                  {"nash_product", m.nash_product},
                  {"pareto_distance", m.pareto_distance},
                  {"nash_distance", m.nash_distance},
                  {"ks_distance", m.ks_distance},
                  {"rounds", m.rounds},
                  {"time", m.time},
                  {"seconds", m.seconds}};
  return j;
}

std::string AdjustedWinnerText(const AdjustedWinnerInput& in, const AdjustedWinnerResult& r) {
  const auto& [a, b] = in.parties;
  std::string out = fmt::format("Adjusted winner: {} and {}, {} items\n", a, b, in.items.size());
  out += fmt::format("  {:<20} {:>8} {:>8}   {:>10} {:>10}\n", "item", Clip(a, 8), Clip(b, 8),
                     "to " + Clip(a, 7), "to " + Clip(b, 7));
  for (size_t k = 0; k < in.items.size(); ++k) {
    out += fmt::format("  {:<20} {:>8} {:>8}   {:>10} {:>10}{}\n", Clip(in.items[k], 20),
                       in.points[k][0], in.points[k][1], r.shares[k][0].ToString(),
                       r.shares[k][1].ToString(),
                       static_cast<int>(k) == r.split_item ? "  (split)" : "");
  }
  out += fmt::format("Points: {} {} ({:.4f}), {} {} ({:.4f})\n", a, r.points[0].ToString(),
                     r.points_double[0], b, r.points[1].ToString(), r.points_double[1]);
  return out;
}

nlohmann::ordered_json AdjustedWinnerJson(const AdjustedWinnerInput& in,
                                          const AdjustedWinnerResult& r) {
  nlohmann::ordered_json shares = nlohmann::ordered_json::object();
  nlohmann::ordered_json exact = nlohmann::ordered_json::object();
  for (size_t k = 0; k < in.items.size(); ++k) {
    shares[in.items[k]] = {{in.parties[0], r.shares_double[k][0]},
                           {in.parties[1], r.shares_double[k][1]}};
    exact[in.items[k]] = {{in.parties[0], r.shares[k][0].ToString()},
                          {in.parties[1], r.shares[k][1].ToString()}};
  }
  nlohmann::ordered_json j;
  j["protocol"] = "adjusted-winner";
  j["parties"] = in.parties;
  j["agreement"] = nullptr;  // A division of goods, not an outcome of an issue space: see "shares".
  j["utilities"] = {r.points_double[0] / 100, r.points_double[1] / 100};
  j["rounds"] = 0;
  j["shares"] = shares;
  j["shares_exact"] = exact;
  j["points"] = {{in.parties[0], r.points_double[0]}, {in.parties[1], r.points_double[1]}};
  j["points_exact"] = {{in.parties[0], r.points[0].ToString()},
                       {in.parties[1], r.points[1].ToString()}};
  j["split_item"] =
      r.split_item >= 0 ? nlohmann::ordered_json(in.items[r.split_item]) : nlohmann::ordered_json();
  j["initial_winner"] = r.initial_winner >= 0 ? nlohmann::ordered_json(in.parties[r.initial_winner])
                                              : nlohmann::ordered_json();
  nlohmann::ordered_json transfers = nlohmann::ordered_json::array();
  for (size_t k : r.transfers) transfers.push_back(in.items[k]);
  j["transfers"] = transfers;
  j["metrics"] = {{"welfare", (r.points_double[0] + r.points_double[1]) / 100},
                  {"equitable", r.points[0] == r.points[1]}};
  return j;
}

}  // namespace shuttle::cli
