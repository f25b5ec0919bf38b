// Projections of a session. Each reads the viewer's filtered log where it shows what was said.
#include "service/views.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "core/json_reader.h"
#include "core/json_writer.h"
#include "mediation/report_json.h"
#include "shuttle/profile.h"

namespace shuttle::service_internal {
namespace {

using json_internal::OutcomeJson;
using json_internal::ValueJson;

Json ParseData(std::string_view text) {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return nullptr;
  Result<Json> j = json_internal::ParseOrderedJson(text, "data");
  return j.ok() ? *std::move(j) : Json(nullptr);
}

const char* AudienceName(AudienceKind kind) {
  switch (kind) {
    case AudienceKind::kPublic: return "public";
    case AudienceKind::kCaucus: return "caucus";
    case AudienceKind::kMediator: return "mediator";
  }
  return "public";
}

// A numeric issue is its range, never its values: a price in cents has millions of them.
Json IssueJson(const Issue& issue) {
  Json j;
  j["name"] = issue.name();
  j["type"] = IssueTypeName(issue.type());
  if (issue.type() == IssueType::kInteger) {
    j["lower"] = issue.int_lower();
    j["upper"] = issue.int_upper();
    j["step"] = 1;
    return j;
  }
  if (issue.type() == IssueType::kReal) {
    j["lower"] = issue.real_lower();
    j["upper"] = issue.real_upper();
    j["step"] = issue.step();
    return j;
  }
  Json values = Json::array();
  for (uint64_t v = 0; v < issue.size(); ++v) values.push_back(ValueJson(issue, v));
  j["values"] = std::move(values);
  return j;
}

// A discrete issue's values by label; a numeric issue's as the points where the slope changes.
Json ProfileValuesJson(const Issue& issue, const Evaluator& evaluator) {
  if (issue.type() == IssueType::kDiscrete) {
    Json v = Json::object();
    for (uint64_t x = 0; x < issue.size(); ++x)
      v[issue.ValueLabel(x)] = evaluator.Evaluate(issue, x);
    return v;
  }
  std::vector<double> values(issue.size());
  for (uint64_t x = 0; x < issue.size(); ++x) values[x] = evaluator.Evaluate(issue, x);
  Json points = Json::array();
  for (const auto& [x, v] : Breakpoints(issue, values)) points.push_back({x, v});
  return {{"piecewise", std::move(points)}};
}

// Later confidences overwrite earlier ones issue by issue; red_lines replaces the whole list. A
// numeric issue's values confided as {"piecewise": points} are kept as they came.
void MergeConfidence(Json* merged, const Json& c) {
  if (!c.is_object()) return;
  for (const auto& [key, value] : c.items()) {
    if ((key == "weights" || key == "values" || key == "ranking") && value.is_object()) {
      Json& part = (*merged)[key];
      if (!part.is_object()) part = Json::object();
      for (const auto& [issue, v] : value.items()) part[issue] = v;
    } else {
      (*merged)[key] = value;
    }
  }
}

Json RedLineJson(const OutcomeSpace& space, const RedLine& line) {
  Json j;
  const Issue& issue = space.issue(line.issue);
  j["issue"] = issue.name();
  if (line.kind == RedLine::Kind::kForbid || line.kind == RedLine::Kind::kRequire) {
    Json values = Json::array();
    for (uint32_t v : line.values) values.push_back(ValueJson(issue, v));
    j[line.kind == RedLine::Kind::kForbid ? "forbid" : "require"] = std::move(values);
  } else {
    j[line.kind == RedLine::Kind::kAtMost ? "at_most" : "at_least"] = line.bound;
  }
  if (!line.note.empty()) j["note"] = line.note;
  return j;
}

bool IsAnswer(EventType t) {
  return t == EventType::kAccept || t == EventType::kObject || t == EventType::kOffer ||
         t == EventType::kAnswer || t == EventType::kEnd;
}

Json AgreementOf(const Session& session) {
  for (size_t i : session.ViewOf(kPublic)) {
    EventRef r = session.At(i);
    if (r.event->type == EventType::kAgreement && !r.outcome.empty()) {
      return OutcomeJson(session.config().scenario.space, r.outcome);
    }
  }
  return nullptr;
}

// The agenda as the views give it: stages with their issues by name.
Json StagesJson(const OutcomeSpace& space, const std::vector<Stage>& stages) {
  Json agenda = Json::array();
  for (const Stage& stage : stages) {
    Json names = Json::array();
    for (int i : stage.issues) names.push_back(space.issue(i).name());
    agenda.push_back(
        {{"name", stage.name}, {"issues", std::move(names)}, {"deferred", stage.deferred}});
  }
  return agenda;
}

// The bidding step's rules, which every party may know (the bids themselves are in no view but
// the bidder's caucus); null without one. `stage` is the bidding stage's index in the agenda.
Json BiddingJson(const SessionConfig& c, const std::vector<Stage>& agenda) {
  const MediationOptions::Bidding& b = c.options.bidding;
  if (!b.enabled()) return nullptr;
  const BlindBiddingRules& r = b.rules;
  Json stage = nullptr;
  for (size_t s = 0; s < agenda.size(); ++s) {
    if (agenda[s].issues == std::vector<int>{b.issue} && !agenda[s].deferred) stage = s;
  }
  return {{"issue", c.scenario.space.issue(b.issue).name()},
          {"stage", std::move(stage)},
          {"rounds", b.rounds},
          {"claimant", c.scenario.parties[r.claimant].name},
          {"respondent", c.scenario.parties[1 - r.claimant].name},
          {"margin_percent", r.margin_percent},
          {"margin_amount", r.margin_amount},
          {"crossing", CrossingName(r.crossing)}};
}

}  // namespace

std::string IsoTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ActorName(const Scenario& scenario, int32_t actor) {
  if (actor >= 0 && static_cast<size_t>(actor) < scenario.parties.size())
    return scenario.parties[actor].name;
  if (actor == kMediator) return "mediator";
  if (actor == kPublic) return "anonymous";
  return "system";
}

Json EventJson(const Session& session, size_t index, size_t seq) {
  const Scenario& scenario = session.config().scenario;
  EventRef r = session.At(index);
  const Event& e = *r.event;
  Json j;
  j["seq"] = seq;
  j["type"] = EventTypeName(e.type);
  j["audience"] = AudienceName(e.audience.kind);
  if (e.audience.kind == AudienceKind::kCaucus) j["party"] = e.audience.party;
  j["actor"] = ActorName(scenario, e.actor);
  j["visit"] = e.round + 1;
  j["at"] = IsoTime(r.at);
  j["time"] = e.time;
  if (r.service) j["service"] = true;
  if (e.value != 0) j["value"] = e.value;
  if (!r.outcome.empty()) j["outcome"] = OutcomeJson(scenario.space, r.outcome);
  if (!r.text.empty()) {
    j["text"] = std::string(r.text);
    Json data = ParseData(r.text);
    if (!data.is_null()) j["data"] = std::move(data);
  }
  return j;
}

Json SummaryJson(const Session& session, const Viewer& viewer, int32_t party) {
  const SessionConfig& c = session.config();
  const Mediator& m = session.mediator();
  Json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["scenario"] = c.scenario.name;
  j["description"] = c.scenario.description;
  Json parties = Json::array();
  for (size_t k = 0; k < c.scenario.parties.size(); ++k) {
    parties.push_back({{"party", k}, {"name", c.scenario.parties[k].name}});
  }
  j["parties"] = std::move(parties);
  Json issues = Json::array();
  for (const Issue& issue : c.scenario.space.issues()) issues.push_back(IssueJson(issue));
  j["issues"] = std::move(issues);
  j["bidding"] = BiddingJson(c, session.agenda());
  j["agenda"] = StagesJson(c.scenario.space, session.agenda());
  // The rule is part of the scenario every seat reads; who accepted never is (the mediator's own
  // settle events, outside every party's view).
  if (c.scenario.rule.unanimous()) {
    j["agreement_rule"] = nullptr;
  } else {
    Json required = Json::array();
    for (int k : c.scenario.rule.required) required.push_back(c.scenario.parties[k].name);
    j["agreement_rule"] = {
        {"at_least", c.scenario.rule.Needed(static_cast<int>(c.scenario.parties.size()))},
        {"required", std::move(required)}};
  }
  j["status"] = MediationStatusName(m.status());
  j["visit"] = m.visit();
  j["agreement"] = AgreementOf(session);
  Json you;
  you["role"] = viewer.role;
  you["party"] = party >= 0 ? Json(party) : Json(nullptr);
  you["party_name"] = party >= 0 ? Json(c.scenario.parties[party].name) : Json(nullptr);
  j["you"] = std::move(you);
  return j;
}

Json EventsJson(const Session& session, const Viewer& viewer, size_t after, size_t limit) {
  std::vector<size_t> view = session.ViewOf(viewer.id);
  Json events = Json::array();
  const size_t end = std::min(view.size(), after + std::min(limit, view.size()));
  for (size_t seq = after; seq < end; ++seq) events.push_back(EventJson(session, view[seq], seq));
  const size_t next = std::max(after, end);
  return {{"events", std::move(events)}, {"next", next}, {"more", next < view.size()}};
}

Json PublicJson(const Session& session) {
  const SessionConfig& c = session.config();
  const Mediator& m = session.mediator();
  Json j;
  j["title"] = c.title;
  Json parties = Json::array();
  for (const Party& p : c.scenario.parties) parties.push_back(p.name);
  j["parties"] = std::move(parties);
  j["status"] = MediationStatusName(m.status());
  j["visit"] = m.visit();
  Json statements = Json::array();
  for (size_t i : session.ViewOf(kPublic)) {
    EventRef r = session.At(i);
    if (r.event->type != EventType::kStatement) continue;
    statements.push_back({{"visit", r.event->round + 1},
                          {"at", IsoTime(r.at)},
                          {"by", r.service ? "mediator" : "system"},
                          {"text", std::string(r.text)}});
  }
  j["statements"] = std::move(statements);
  Json gaps = Json::array();
  for (double g : m.gap_by_visit())
    gaps.push_back(std::round(g * 100) / 100);  // As the statements say it.
  j["gap_by_visit"] = std::move(gaps);
  j["agreement"] = AgreementOf(session);
  return j;
}

Json CaucusJson(const Session& session, int32_t party, const std::string& role, bool member) {
  const Scenario& scenario = session.config().scenario;
  const Mediator& m = session.mediator();
  Json text = nullptr, stage = nullptr, adopted = nullptr, diagnosis = nullptr;
  Json open_issues = Json::array(), words = nullptr, question = nullptr;
  Json confided = Json::object();
  std::vector<uint32_t> text_values;
  int since_propose = 0;
  for (size_t i : session.ViewOf(party)) {
    EventRef r = session.At(i);
    const Event& e = *r.event;
    if (r.service) continue;
    if (e.type == EventType::kPropose && e.audience.kind == AudienceKind::kCaucus) {
      text = r.outcome.empty() ? Json(nullptr) : OutcomeJson(scenario.space, r.outcome);
      text_values.assign(r.outcome.begin(), r.outcome.end());
      Json data = ParseData(r.text);
      stage = data.is_object() && data.contains("stage") ? data["stage"] : Json(nullptr);
      open_issues = data.is_object() && data.contains("open") ? data["open"] : Json::array();
      words = data.is_object() && data.contains("words") ? data["words"] : Json(nullptr);
      question = nullptr;
      since_propose = 0;
    } else if (e.type == EventType::kAsk) {
      question = ParseData(r.text);
    } else if (e.type == EventType::kAnswer && e.actor == party) {
      question = nullptr;
    } else if (e.type == EventType::kConfide && e.actor == party) {
      MergeConfidence(&confided, ParseData(r.text));
      ++since_propose;
    } else if (e.type == EventType::kAdopt) {
      adopted = OutcomeJson(scenario.space, r.outcome);
    } else if (e.type == EventType::kNote && e.actor == kMediator &&
               e.audience.kind == AudienceKind::kCaucus) {
      Json data = ParseData(r.text);
      if (data.is_object() && data.contains("conflict")) diagnosis = std::move(data);
    }
  }
  const Turn turn = m.done() ? Turn{} : m.NextTurn();
  const bool in_caucus = turn.actor == party && turn.kind != Turn::Kind::kDone;
  const bool asked = in_caucus && turn.kind == Turn::Kind::kAnswer;
  Json j;
  j["party"] = party;
  j["party_name"] = scenario.parties[party].name;
  j["visit"] = m.visit();
  j["status"] = MediationStatusName(m.status());
  j["in_caucus"] = in_caucus;
  j["text"] = text;
  j["open_issues"] = std::move(open_issues);
  j["words"] = std::move(words);
  j["question"] = asked ? std::move(question) : Json(nullptr);
  j["automated"] = session.automated(party);
  j["stage"] = stage;
  j["confided"] = std::move(confided);
  j["confidences_this_caucus"] = in_caucus ? since_propose : 0;
  j["adopted"] = std::move(adopted);
  j["diagnosis"] = std::move(diagnosis);
  if (member) {
    j["utility"] = nullptr;
    Result<Utility> u = Utility::Compile(scenario.space, scenario.parties[party].profile);
    if (u.ok() && text_values.size() == scenario.space.issue_count())
      j["utility"] = u->Evaluate(text_values.data());
  }
  Json can = Json::array();
  if (in_caucus && member && !session.automated(party)) {
    can.push_back("confide");
    if (asked && role != "adviser") {
      can.push_back("answer");
      if (role == "principal") can.push_back("walk_out");
    } else if (role != "adviser") {
      can.push_back("accept");
      if (!text.is_null()) can.push_back("object");
      can.push_back("counter");
      if (role == "principal") can.push_back("walk_out");
    }
  }
  can.push_back("note");
  j["can"] = std::move(can);
  return j;
}

Json ProfileJson(const Scenario& scenario, int32_t party) {
  const shuttle::Profile& p = scenario.parties[party].profile;
  const OutcomeSpace& space = scenario.space;
  Json j;
  j["party"] = party;
  j["party_name"] = scenario.parties[party].name;
  j["kind"] = ProfileKindName(p.kind);
  if (p.kind == ProfileKind::kLinearAdditive && p.weights.size() == space.issue_count()) {
    Json weights = Json::object(), values = Json::object();
    for (size_t i = 0; i < space.issue_count(); ++i) {
      const Issue& issue = space.issue(i);
      weights[issue.name()] = p.weights[i];
      if (i < p.evaluators.size()) values[issue.name()] = ProfileValuesJson(issue, p.evaluators[i]);
    }
    j["weights"] = std::move(weights);
    j["values"] = std::move(values);
  }
  Json lines = Json::array();
  for (const RedLine& line : p.red_lines) lines.push_back(RedLineJson(space, line));
  j["red_lines"] = std::move(lines);
  j["reservation_value"] = p.reservation_value;
  return j;
}

Json AnonymousNotesJson(const Session& session, int64_t now, int64_t batch_seconds) {
  std::vector<std::pair<int64_t, std::string_view>> notes;
  for (size_t i = 0; i < session.size(); ++i) {
    const EventRef r = session.At(i);
    if (IsAnonymousNote(r) && r.at + batch_seconds <= now) notes.emplace_back(r.at, r.text);
  }
  std::sort(notes.begin(), notes.end());
  Json out = Json::array();
  for (const auto& [at, text] : notes)
    out.push_back({{"batch", IsoTime(at)}, {"text", std::string(text)}});
  return out;
}

Json MediatorJson(const Session& session, int64_t now, int64_t batch_seconds) {
  const Scenario& scenario = session.config().scenario;
  const Mediator& m = session.mediator();
  std::vector<std::string> names;
  for (const Party& p : scenario.parties) names.push_back(p.name);
  Json j;
  j["visit"] = m.visit();
  j["stage"] = m.stage();
  j["status"] = MediationStatusName(m.status());
  j["end_reason"] = m.end_reason();
  // "seated": a person holds the seat and moves (the console's move panel); "seat": who holds it.
  j["seated"] = session.person_seated();
  j["seat"] =
      !session.seated() ? Json(nullptr) : Json(session.person_seated() ? "person" : "engine");
  // The open caucus: in a seated session the last kOpen not yet left; otherwise the party whose
  // turn it is.
  int32_t open = -1;
  if (session.seated()) {
    for (size_t i : session.ViewOf(kMediator)) {
      const EventRef r = session.At(i);
      if (r.service) continue;
      if (r.event->type == EventType::kOpen) open = r.event->value;
      if (r.event->type == EventType::kLeave || r.event->type == EventType::kEnd) open = -1;
    }
  }
  const Turn turn = m.done() ? Turn{} : m.NextTurn();
  if (m.done()) {
    j["caucus"] = nullptr;
  } else if (!session.seated()) {
    j["caucus"] = {{"party", turn.actor}, {"party_name", ActorName(scenario, turn.actor)}};
  } else {
    j["caucus"] = open >= 0 ? Json({{"party", open}, {"party_name", ActorName(scenario, open)}})
                            : Json(nullptr);
  }
  j["floor"] = m.done() ? Json(nullptr) : Json(ActorName(scenario, turn.actor));
  // The seat's moves now legal by the floor (settle and close are checked when made).
  static const char* const kInCaucus[] = {"text", "ask", "leave", "note", "statement"};
  static const char* const kBetween[] = {"open", "round", "settle", "close", "note", "statement"};
  Json can = Json::array();
  if (session.person_seated() && !m.done() && turn.actor == kMediator) {
    if (open >= 0) {
      for (const char* move : kInCaucus) can.push_back(move);
    } else {
      for (const char* move : kBetween) can.push_back(move);
    }
  }
  j["can"] = std::move(can);
  const uint32_t* text = m.text();
  j["text"] =
      text ? OutcomeJson(scenario.space, {text, scenario.space.issue_count()}) : Json(nullptr);
  j["gap_by_visit"] = m.gap_by_visit();
  j["gap_contributions"] = m.gap_contributions();
  j["anonymous_notes"] = AnonymousNotesJson(session, now, batch_seconds);
  j["diagnosis"] = m.diagnosis()
                       ? mediation_internal::DiagnosisToJson(scenario.space, *m.diagnosis(), names)
                       : Json(nullptr);
  std::vector<Json> confided(names.size(), Json::object()), answers(names.size(), Json::array());
  std::vector<int> notes(names.size(), 0);
  for (size_t i : session.ViewOf(kMediator)) {
    EventRef r = session.At(i);
    const Event& e = *r.event;
    if (e.actor < 0 || static_cast<size_t>(e.actor) >= names.size()) continue;
    if (r.service) {
      notes[e.actor] += e.type == EventType::kNote ? 1 : 0;
    } else if (e.type == EventType::kConfide) {
      MergeConfidence(&confided[e.actor], ParseData(r.text));
    } else if (IsAnswer(e.type)) {
      Json a = {{"visit", e.round + 1}, {"type", EventTypeName(e.type)}};
      if (!r.outcome.empty()) a["outcome"] = OutcomeJson(scenario.space, r.outcome);
      Json data = ParseData(r.text);
      if (!data.is_null()) a["data"] = std::move(data);
      answers[e.actor].push_back(std::move(a));
    }
  }
  Json parties = Json::array();
  for (size_t k = 0; k < names.size(); ++k) {
    parties.push_back({{"party", k},
                       {"name", names[k]},
                       {"automated", session.automated(static_cast<int32_t>(k))},
                       {"model",
                        {{"confided", std::move(confided[k])},
                         {"answers", std::move(answers[k])},
                         {"notes", notes[k]}}}});
  }
  j["parties"] = std::move(parties);
  return j;
}

}  // namespace shuttle::service_internal
