// A session's state and its replay. Every change goes through the Mediator or AddServiceEvent, so
// the combined log is the whole truth and Build can rebuild any prefix of it.
#include "service/session.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "shuttle/drive.h"

namespace shuttle::service_internal {

using Json = nlohmann::ordered_json;

struct Session::State {
  struct Entry {
    bool service = false;
    uint32_t index = 0;  // Into `service` or `protocol`.
    int64_t at = 0;
  };
  std::unique_ptr<Mediator> mediator;
  EventLog protocol;
  EventLog service;
  std::vector<Entry> order;
  // Automated seats: a caucus agent per automated party (null for a person), the parties'
  // compiled profiles they play with.
  std::vector<Utility> utilities;
  std::vector<std::unique_ptr<Agent>> players;
  // The engine in the mediator's seat ("mediator": "engine-seat"), or null.
  std::unique_ptr<Agent> seat;
  // The agenda the mediation runs (MediationAgenda).
  std::vector<Stage> agenda;

  // Hands protocol events [from, end) to the automated players who may see them.
  void Deliver(size_t from) { shuttle::Deliver(protocol, from, players, seat.get()); }
};

namespace {

EventRecord RecordOf(const StoredEvent& e) { return {&e.event, e.outcome, e.text}; }

int IntField(const Json& j, const char* name, int lo, int hi) {
  if (!j.contains(name)) return INT32_MIN;
  const Json& v = j.at(name);
  if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) return INT32_MAX;
  return static_cast<int>(v.get<int64_t>());
}

// "bidding": {"issue": name or index, "rounds", "claimant": name or index, "margin_percent",
// "margin_amount", "crossing"}; all but the issue optional, with BlindBiddingRules' defaults.
Result<MediationOptions::Bidding> ParseBidding(const Json& j, const Scenario& scenario) {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("options.bidding." + what);
  };
  if (!j.is_object()) return Status::InvalidArgument("options.bidding: expected an object");
  MediationOptions::Bidding b;
  // A party or an issue by name or index.
  auto index = [&](const Json& v, const std::string& field, int count, auto&& find) -> Result<int> {
    if (v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() < count)
      return static_cast<int>(v.get<int64_t>());
    if (v.is_string()) {
      const int i = find(v.get<std::string>());
      if (i >= 0) return i;
    }
    return bad(
        fmt::format("{}: expected a name or an index of the scenario's (got {})", field, v.dump()));
  };
  for (const auto& [key, v] : j.items()) {
    if (key == "issue") {
      SHUTTLE_ASSIGN_OR_RETURN(
          b.issue, index(v, "issue", static_cast<int>(scenario.space.issue_count()),
                         [&](const std::string& n) { return scenario.space.FindIssue(n); }));
    } else if (key == "claimant") {
      SHUTTLE_ASSIGN_OR_RETURN(b.rules.claimant,
                               index(v, "claimant", static_cast<int>(scenario.parties.size()),
                                     [&](const std::string& n) { return scenario.FindParty(n); }));
    } else if (key == "rounds") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000)
        return bad("rounds: expected an integer in [1, 1000]");
      b.rounds = v.get<int>();
    } else if (key == "margin_percent" || key == "margin_amount") {
      if (!v.is_number()) return bad(key + ": expected a number");
      (key == "margin_percent" ? b.rules.margin_percent : b.rules.margin_amount) = v.get<double>();
    } else if (key == "crossing") {
      Result<BlindBiddingRules::Crossing> c =
          v.is_string() ? ParseCrossing(v.get<std::string>())
                        : Status::InvalidArgument("expected \"demand\" or \"midpoint\"");
      if (!c.ok()) return bad("crossing: " + c.status().message());
      b.rules.crossing = *c;
    } else {
      return bad(fmt::format("{}: unknown field", key));
    }
  }
  if (!b.enabled()) return bad("issue: required (the integer or real issue bid on)");
  Status rules = CheckBlindBiddingRules(b.rules);
  if (!rules.ok()) return Status::InvalidArgument("options." + rules.message());
  return b;
}

}  // namespace

std::string OptionsJson(const MediationOptions& o) {
  Json j;
  j["criterion"] = CriterionName(o.criterion);
  j["max_visits"] = o.max_visits;
  j["seed"] = o.seed;
  j["red_line_evidence"] = o.red_line_evidence;
  j["stall_visits"] = o.stall_visits;
  j["max_confidences_per_caucus"] = o.max_confidences_per_caucus;
  if (o.helm) j["mediator"] = o.mediator == "engine" ? "engine-seat" : "person";
  if (!o.agents.empty()) {
    Json parties = Json::array();
    for (const std::string& a : o.agents) parties.push_back(a.empty() ? Json(nullptr) : Json(a));
    j["parties"] = std::move(parties);
  }
  if (o.bidding.enabled()) {
    const BlindBiddingRules& r = o.bidding.rules;
    j["bidding"] = {{"issue", o.bidding.issue},         {"rounds", o.bidding.rounds},
                    {"claimant", r.claimant},           {"margin_percent", r.margin_percent},
                    {"margin_amount", r.margin_amount}, {"crossing", CrossingName(r.crossing)}};
  }
  return j.dump();
}

Result<MediationOptions> ParseOptionsJson(std::string_view json, const Scenario& scenario) {
  SHUTTLE_ASSIGN_OR_RETURN(Json j, json_internal::ParseOrderedJson(json, "options"));
  if (!j.is_object()) return Status::InvalidArgument("options: expected a JSON object");
  MediationOptions o;
  for (const auto& [key, value] : j.items()) {
    if (key == "criterion") {
      if (!value.is_string())
        return Status::InvalidArgument("options.criterion: expected a string");
      Result<Criterion> c = ParseCriterion(value.get<std::string>());
      if (!c.ok()) return c.status().WithContext("options.criterion");
      o.criterion = *c;
    } else if (key == "seed") {
      if (!value.is_number_unsigned())
        return Status::InvalidArgument("options.seed: expected a non-negative integer");
      o.seed = value.get<uint64_t>();
    } else if (key == "mediator") {
      if (!value.is_string() || (value != "engine" && value != "person" && value != "engine-seat"))
        return Status::InvalidArgument(
            "options.mediator: expected \"engine\" (the engine mediates), \"person\" (a person "
            "holds the mediator's seat) or \"engine-seat\" (the engine holds the seat and moves as "
            "a person would)");
      o.helm = value != "engine";
      o.mediator = value == "person" ? "person" : (o.helm ? "engine" : "");
    } else if (key == "parties") {
      if (!value.is_array() || value.empty())
        return Status::InvalidArgument(
            "options.parties: expected an array with, per party, a caucus-agent spec or null (a "
            "person)");
      for (size_t k = 0; k < value.size(); ++k) {
        if (value[k].is_null()) {
          o.agents.emplace_back();
          continue;
        }
        if (!value[k].is_string() || !MakeCaucusAgent(value[k].get<std::string>()).ok()) {
          return Status::InvalidArgument(
              fmt::format("options.parties[{}]: expected null or one of the caucus agents ({})", k,
                          fmt::join(CaucusAgentNames(), ", ")));
        }
        o.agents.push_back(value[k].get<std::string>());
      }
    } else if (key == "bidding") {
      SHUTTLE_ASSIGN_OR_RETURN(o.bidding, ParseBidding(value, scenario));
    } else if (key != "max_visits" && key != "red_line_evidence" && key != "stall_visits" &&
               key != "max_confidences_per_caucus") {
      return Status::InvalidArgument(fmt::format("options: unknown field '{}'", key));
    }
  }
  struct {
    const char* name;
    int lo, hi;
    int* field;
  } ints[] = {{"max_visits", 0, 100000, &o.max_visits},
              {"red_line_evidence", 1, 1000, &o.red_line_evidence},
              {"stall_visits", 1, 1000, &o.stall_visits},
              {"max_confidences_per_caucus", 1, 1000, &o.max_confidences_per_caucus}};
  for (const auto& f : ints) {
    int v = IntField(j, f.name, f.lo, f.hi);
    if (v == INT32_MAX)
      return Status::InvalidArgument(
          fmt::format("options.{}: expected an integer in [{}, {}]", f.name, f.lo, f.hi));
    if (v != INT32_MIN) *f.field = v;
  }
  if (o.bidding.enabled() && !o.helm) {
    return Status::InvalidArgument(
        "options.bidding: the bidding step needs the mediator's seat, held by a person "
        "(\"mediator\": \"person\") or by the engine (\"mediator\": \"engine-seat\"), to ask "
        "each party for its bid");
  }
  return o;
}

Session::Session(SessionConfig config, std::unique_ptr<State> state)
    : config_(std::move(config)), state_(std::move(state)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session::State>> Session::Build(const SessionConfig& config,
                                                       const std::vector<StoredEvent>& events) {
  const Scenario& scenario = config.scenario;
  MediationOptions options = config.options;
  options.agenda = scenario.agenda;
  options.rule = scenario.rule;
  auto state = std::make_unique<State>();
  const int parties = static_cast<int>(scenario.parties.size());
  SHUTTLE_ASSIGN_OR_RETURN(state->mediator, MakeMediator(&scenario.space, parties, options));
  SHUTTLE_ASSIGN_OR_RETURN(state->agenda, MediationAgenda(scenario.space, parties, options));
  state->protocol = EventLog(scenario.space.issue_count());
  state->service = EventLog(scenario.space.issue_count());
  SHUTTLE_RETURN_IF_ERROR(MakePlayers(config, state.get()));
  if (options.helm && options.mediator == "engine") {
    SHUTTLE_ASSIGN_OR_RETURN(state->seat, MakeEngineMediator(&scenario.space, parties, options));
  }
  state->mediator->Start(&state->protocol);
  state->Deliver(0);
  size_t checked = 0;
  for (size_t k = 0; k < events.size(); ++k) {
    const StoredEvent& e = events[k];
    if (e.seq != k)
      return Status::Corruption(fmt::format("event {} is stored at position {}", e.seq, k));
    if (!e.outcome.empty() && e.outcome.size() != scenario.space.issue_count()) {
      return Status::Corruption(
          fmt::format("event {}: outcome of {} values", e.seq, e.outcome.size()));
    }
    if (e.service) {
      state->order.push_back({true, static_cast<uint32_t>(state->service.size()), e.at});
      state->service.Append(e.event, e.outcome.empty() ? nullptr : e.outcome.data(), e.text);
      continue;
    }
    if (checked == state->protocol.size()) {
      const size_t from = state->protocol.size();
      if (state->seat && e.event.actor == kMediator && !state->mediator->done() &&
          state->mediator->NextTurn().actor == kMediator) {
        // The engine's own state is built by its moves: it makes them again (it is deterministic
        // on what it has heard), and each must be the one stored.
        std::vector<uint32_t> scratch(std::max<size_t>(1, scenario.space.issue_count()), 0);
        Action action;
        state->seat->Act(state->mediator->NextTurn(), e.event.time, &action, scratch.data());
        Status s = state->mediator->Apply(action, e.event.time, &state->protocol);
        if (!s.ok()) {
          return Status::Corruption(
              fmt::format("event {}: the engine's seat moves otherwise: {}", e.seq, s.message()));
        }
      } else {
        SHUTTLE_RETURN_IF_ERROR(
            FeedLogged(state->mediator.get(), RecordOf(e), e.seq, &state->protocol));
      }
      state->Deliver(from);
    }
    if (checked >= state->protocol.size() ||
        !SameEvent(state->protocol.RecordOf(state->protocol[checked]), RecordOf(e))) {
      return Status::Corruption(
          fmt::format("event {} ({}) differs on replay", e.seq, EventTypeName(e.event.type)));
    }
    state->order.push_back({false, static_cast<uint32_t>(checked++), e.at});
  }
  if (checked != state->protocol.size() && !events.empty()) {
    return Status::Corruption(fmt::format("replay produced {} events beyond the stored log",
                                          state->protocol.size() - checked));
  }
  return state;
}

Status Session::MakePlayers(const SessionConfig& config, State* state) {
  const Scenario& scenario = config.scenario;
  const std::vector<std::string>& specs = config.options.agents;
  if (specs.empty()) return Status::Ok();
  const int n = static_cast<int>(scenario.parties.size());
  if (static_cast<int>(specs.size()) != n) {
    return Status::InvalidArgument(
        fmt::format("options.parties: {} entries for {} parties", specs.size(), n));
  }
  for (const Party& p : scenario.parties) {
    Result<Utility> u = Utility::Compile(scenario.space, p.profile);
    if (!u.ok()) return u.status().WithContext(fmt::format("party '{}'", p.name));
    state->utilities.push_back(*std::move(u));
  }
  SHUTTLE_ASSIGN_OR_RETURN(
      state->players,
      MakeCaucusParties(scenario, specs, state->utilities, *state->mediator, config.options.seed));
  return Status::Ok();
}

Result<std::unique_ptr<Session>> Session::Create(SessionConfig config, int64_t now) {
  std::unique_ptr<Session> s(new Session(std::move(config), nullptr));
  SHUTTLE_ASSIGN_OR_RETURN(s->state_, Build(s->config_, {}));
  for (uint32_t i = 0; i < s->state_->protocol.size(); ++i)
    s->state_->order.push_back({false, i, now});
  SHUTTLE_RETURN_IF_ERROR(s->RunAutomated(now));
  return s;
}

bool Session::automated(int32_t party) const {
  return party >= 0 && static_cast<size_t>(party) < state_->players.size() &&
         state_->players[party] != nullptr;
}

bool Session::seated() const { return state_->mediator->seats_mediator(); }

bool Session::person_seated() const { return seated() && !state_->seat; }

const std::vector<Stage>& Session::agenda() const { return state_->agenda; }

Status Session::RunAutomated(int64_t now) {
  Mediator& m = *state_->mediator;
  std::vector<uint32_t> scratch(std::max<size_t>(1, config_.scenario.space.issue_count()), 0);
  // An automated party acts as soon as it is its turn; the bound stops a player that never
  // answers (each turn it is asked once more).
  for (int step = 0; step < 10000 && !m.done(); ++step) {
    const Turn turn = m.NextTurn();
    Agent* player = turn.actor == kMediator ? state_->seat.get()
                    : automated(turn.actor) ? state_->players[turn.actor].get()
                                            : nullptr;
    if (player == nullptr) return Status::Ok();
    Action action;
    action.actor = turn.actor;
    player->Act(turn, Time(), &action, scratch.data());
    Status s = Step(action, now);
    if (!s.ok()) {
      return Status::Corruption(fmt::format(
          "automated {} ({}) made an illegal move: {}",
          turn.actor == kMediator ? std::string("mediator") : fmt::format("party {}", turn.actor),
          player->name(), s.message()));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Session>> Session::Restore(SessionConfig config,
                                                  const std::vector<StoredEvent>& events) {
  if (events.empty()) return Status::Corruption(fmt::format("session {} has no events", config.id));
  std::unique_ptr<Session> s(new Session(std::move(config), nullptr));
  Result<std::unique_ptr<State>> state = Build(s->config_, events);
  if (!state.ok()) return state.status().WithContext(fmt::format("session {}", s->config_.id));
  s->state_ = std::move(state).value();
  s->committed_ = events.size();
  return s;
}

const Mediator& Session::mediator() const { return *state_->mediator; }

const EventLog& Session::protocol_log() const { return state_->protocol; }

double Session::Time() const {
  const int max = config_.options.max_visits;
  return max > 0 ? std::min(1.0, static_cast<double>(state_->mediator->visit() - 1) / max) : 0.0;
}

Status Session::Move(EventType type, int32_t party, const uint32_t* outcome, std::string_view text,
                     int64_t now) {
  Action action;
  action.type = type;
  action.actor = party;
  action.outcome = outcome;
  action.text = text;
  if (automated(party))
    return Status::FailedPrecondition(fmt::format("party {} is played by the engine", party));
  return Apply(action, now);
}

Status Session::Step(const Action& action, int64_t now) {
  const size_t before = state_->protocol.size();
  SHUTTLE_RETURN_IF_ERROR(state_->mediator->Apply(action, Time(), &state_->protocol));
  for (size_t i = before; i < state_->protocol.size(); ++i)
    state_->order.push_back({false, static_cast<uint32_t>(i), now});
  state_->Deliver(before);
  return Status::Ok();
}

Status Session::Apply(const Action& action, int64_t now) {
  SHUTTLE_RETURN_IF_ERROR(Step(action, now));
  Status automated = RunAutomated(now);
  if (!automated.ok()) Rollback();  // A bug in a player: keep nothing of this move.
  return automated;
}

Status Session::MediatorMove(Action action, int64_t now) {
  if (!person_seated()) {
    return Status::FailedPrecondition(
        "the engine mediates this session: the mediator's moves are for a session created with "
        "options.mediator \"person\"");
  }
  action.actor = kMediator;
  return Apply(action, now);
}

Status Session::Close(int64_t now) {
  if (state_->mediator->done()) return Status::FailedPrecondition("the talks are over");
  if (person_seated()) {
    Action close;
    close.type = EventType::kClose;
    return MediatorMove(close, now);
  }
  const size_t before = state_->protocol.size();
  state_->mediator->Expire(Time(), &state_->protocol);
  for (size_t i = before; i < state_->protocol.size(); ++i)
    state_->order.push_back({false, static_cast<uint32_t>(i), now});
  return Status::Ok();
}

void Session::AddServiceEvent(EventType type, Audience audience, int32_t actor,
                              std::string_view text, int64_t now) {
  Event e;
  e.type = type;
  e.audience = audience;
  e.actor = actor;
  e.round = std::max(0, state_->mediator->visit() - 1);
  e.time = Time();
  state_->order.push_back({true, static_cast<uint32_t>(state_->service.size()), now});
  state_->service.Append(e, nullptr, text);
}

size_t Session::size() const { return state_->order.size(); }

EventRef Session::At(size_t i) const {
  const State::Entry& entry = state_->order[i];
  const EventLog& log = entry.service ? state_->service : state_->protocol;
  const Event& e = log[entry.index];
  return {&e, log.OutcomeOf(e), log.TextOf(e), entry.service, entry.at};
}

bool IsAnonymousNote(const EventRef& r) {
  return r.service && r.event->type == EventType::kNote && r.event->actor == kPublic;
}

std::vector<size_t> Session::ViewOf(int32_t viewer) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < state_->order.size(); ++i) {
    const EventRef r = At(i);
    if (IsAnonymousNote(r)) continue;  // Never in a sequence: its place would tell when it came.
    if (r.event->audience.Sees(viewer)) out.push_back(i);
  }
  return out;
}

StoredEvent Session::Record(size_t i) const {
  EventRef r = At(i);
  StoredEvent s;
  s.seq = i;
  s.service = r.service;
  s.event = *r.event;
  s.event.outcome = Event::kNone;
  s.event.text = Event::kNone;
  s.outcome.assign(r.outcome.begin(), r.outcome.end());
  s.text = std::string(r.text);
  s.at = r.at;
  return s;
}

std::vector<StoredEvent> Session::Pending() const {
  std::vector<StoredEvent> out;
  for (size_t i = committed_; i < size(); ++i) out.push_back(Record(i));
  return out;
}

void Session::MarkCommitted() {
  committed_ = size();
  committed_cv_.notify_all();
}

void Session::Rollback() {
  std::vector<StoredEvent> kept;
  for (size_t i = 0; i < committed_; ++i) kept.push_back(Record(i));
  Result<std::unique_ptr<State>> state = Build(config_, kept);
  // The kept events were replayed once already; a failure here is a bug in the mediator's
  // determinism, and serving a state that differs from the store would be worse than stopping.
  if (!state.ok()) std::abort();
  state_ = std::move(state).value();
}

}  // namespace shuttle::service_internal
