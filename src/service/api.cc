// The HTTP/JSON API (docs/api.md): routing, authentication, reach, then one handler per endpoint
// that decodes the body, makes one call on the session and encodes the result. This is the one
// place where a Status becomes an HTTP status (ErrorOf).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/json_writer.h"
#include "mediation/report_json.h"
#include "service/decode.h"
#include "service/service_impl.h"
#include "service/tokens.h"
#include "service/views.h"
#include "shuttle/analysis.h"
#include "shuttle/io.h"
#include "shuttle/report.h"

namespace shuttle::service_internal {
namespace {

constexpr const char* kVersion = "0.1.0";
constexpr size_t kMaxLabelBytes = 200;
constexpr size_t kMaxInvitations = 200;

// ---- Responses ---------------------------------------------------------------------------------

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.body = Dump(body);
  return r;
}

HttpResponse Error(int status, const char* code, const std::string& message) {
  return JsonResponse(status, {{"error", {{"code", code}, {"message", message}}}});
}

// One body for "no such thing" and "not yours to see", so neither can be told from the other.
HttpResponse NotFound() { return Error(404, "not_found", "not found"); }

// Every error a Status can say goes through here. Error() alone is for the answers no Status code
// means: 401, 405, 413 and 429 from the dispatcher and the note limit, and the 500 of a bug.
HttpResponse ErrorOf(const Status& s, const ServiceOptions& options) {
  switch (s.code()) {
    case StatusCode::kOk: return JsonResponse(200, Json::object());
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return Error(400, "bad_request", s.message());
    case StatusCode::kNotFound: return NotFound();
    case StatusCode::kPermissionDenied: return Error(403, "forbidden", s.message());
    case StatusCode::kFailedPrecondition:
    case StatusCode::kConflict: return Error(409, "conflict", s.message());
    case StatusCode::kUnimplemented: return Error(501, "not_implemented", s.message());
    case StatusCode::kIOError:
    case StatusCode::kCorruption: break;
  }
  if (options.log) options.log(s.ToString());
  return Error(500, "internal", "the server could not store the request; nothing was recorded");
}

// ---- Routing -----------------------------------------------------------------------------------

enum class Auth { kNone, kCreate, kToken };
// Who may see the resource at all (everyone else gets 404): any role of the session, the mediator,
// the members of the party in the path, or those and the mediator.
enum class Reach { kSession, kMediator, kMembers, kCaucus };

struct Context {
  ServiceImpl* service = nullptr;
  const HttpRequest* request = nullptr;
  Grant grant;
  Session* session = nullptr;
  int32_t party = -1;
  std::string invitation;
  int64_t now_ms = 0;
};
using Handler = HttpResponse (*)(Context&);

struct Route {
  const char* method;
  const char* pattern;  // Segments; "{sid}", "{p}", "{iid}" capture.
  Auth auth;
  Reach reach;
  const char* roles;  // Space-separated roles that may call it within reach; empty: all.
  Handler handler;
};

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// Captures of `pattern` in `segments`, or false when it does not match.
bool Match(const char* pattern, const std::vector<std::string_view>& segments,
           std::vector<std::string_view>* captures) {
  std::vector<std::string_view> p = Split(pattern);
  if (p.size() != segments.size()) return false;
  captures->clear();
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].front() == '{') {
      captures->push_back(segments[i]);
    } else if (p[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

bool RoleIn(const char* roles, const std::string& role) {
  if (roles[0] == '\0') return true;
  std::string_view list(roles);
  size_t i = 0;
  while (i < list.size()) {
    size_t j = list.find(' ', i);
    if (j == std::string_view::npos) j = list.size();
    if (list.substr(i, j - i) == role) return true;
    i = j + 1;
  }
  return false;
}

std::string TokenOf(const HttpRequest& request) {
  std::string_view h = request.authorization;
  if (h.size() > 7 && (h.substr(0, 7) == "Bearer " || h.substr(0, 7) == "bearer ")) {
    h.remove_prefix(7);
    while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
    while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
    return std::string(h);
  }
  for (const auto& [key, value] : request.query) {
    if (key == "token") return value;
  }
  return {};
}

int32_t ViewerOf(const Grant& g) {
  if (g.role == "mediator") return kMediator;
  if (IsPartyRole(g.role)) return g.party;
  return kPublic;
}

Result<int32_t> PartyIndex(std::string_view text, size_t parties) {
  if (text.empty() || text.size() > 6) return Status::NotFound("not found");
  int32_t p = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status::NotFound("not found");
    p = p * 10 + (c - '0');
  }
  if (static_cast<size_t>(p) >= parties || (text.size() > 1 && text.front() == '0'))
    return Status::NotFound("not found");
  return p;
}

// ---- Handlers ----------------------------------------------------------------------------------

// A request the handler itself refuses (a query or body field the decoders do not check), as
// ErrorOf answers every kInvalidArgument.
HttpResponse BadRequest(const Context& c, std::string message) {
  return ErrorOf(Status::InvalidArgument(std::move(message)), c.service->options());
}

Json InvitationJson(const Scenario& scenario, const InvitationRecord& r) {
  return {{"id", r.id},
          {"role", r.role},
          {"party", r.party >= 0 ? Json(r.party) : Json(nullptr)},
          {"party_name", r.party >= 0 ? Json(scenario.parties[r.party].name) : Json(nullptr)},
          {"label", r.label},
          {"created", IsoTime(r.created)},
          {"revoked", r.revoked}};
}

Json IssuedJson(const IssuedInvitation& i) {
  return {{"id", i.id},
          {"role", i.role},
          {"party", i.party >= 0 ? Json(i.party) : Json(nullptr)},
          {"party_name", i.party >= 0 ? Json(i.party_name) : Json(nullptr)},
          {"label", i.label},
          {"token", i.token},
          {"link", i.link}};
}

// A party named by its index or its name in a request body; -1 for anything else.
int32_t PartyOf(const Json& j, const Scenario& scenario) {
  if (j.is_number_unsigned() && j.get<uint64_t>() < scenario.parties.size())
    return static_cast<int32_t>(j.get<uint64_t>());
  return j.is_string() ? scenario.FindParty(j.get_ref<const std::string&>()) : -1;
}

Result<InvitationSpec> DecodeInvitation(const Json& j, const Scenario& scenario,
                                        const std::string& where) {
  if (!j.is_object()) return Status::InvalidArgument(where + ": expected an object");
  InvitationSpec s;
  for (const auto& [key, value] : j.items()) {
    if (key == "role") {
      if (!value.is_string()) return Status::InvalidArgument(where + ".role: expected a string");
      s.role = value.get<std::string>();
    } else if (key == "party") {
      s.party = PartyOf(value, scenario);
      if (s.party < 0 && value.is_string())
        return Status::InvalidArgument(fmt::format("{}.party: no party {}", where, Dump(value)));
      if (s.party < 0 && !value.is_null())
        return Status::InvalidArgument(where + ".party: expected a party index or name");
    } else if (key == "label") {
      if (!value.is_string() || value.get_ref<const std::string&>().size() > kMaxLabelBytes) {
        return Status::InvalidArgument(
            fmt::format("{}.label: expected a string of at most {} bytes", where, kMaxLabelBytes));
      }
      s.label = value.get<std::string>();
    } else {
      return Status::InvalidArgument(fmt::format(
          "{}: unknown field {} (expected role, party, label)", where, Dump(Json(key))));
    }
  }
  if (s.role.empty()) return Status::InvalidArgument(where + ".role: required");
  // Checked here, where the path is known (ServiceImpl checks again by position in its list).
  if (!IsRole(s.role)) {
    return Status::InvalidArgument(
        fmt::format("{}.role: unknown role {} (mediator, principal, negotiator, adviser, observer)",
                    where, Dump(Json(s.role))));
  }
  if (IsPartyRole(s.role) != (s.party >= 0)) {
    return Status::InvalidArgument(
        fmt::format("{}.party: {}", where,
                    s.party >= 0 ? "only party roles have a party" : "required for a party role"));
  }
  return s;
}

HttpResponse Health(Context&) { return JsonResponse(200, {{"ok", true}, {"version", kVersion}}); }

// The Vega libraries the rooms' charts use, compiled in (or read once from web/node_modules).
HttpResponse Vendor(Context& c) {
  const std::string_view path = c.request->path;
  const std::string_view name = path.substr(path.rfind('/') + 1);
  Result<std::string_view> body = ChartScript(name);
  if (!body.ok()) return NotFound();
  HttpResponse r;
  r.content_type = "text/javascript; charset=utf-8";
  r.body = std::string(*body);
  r.headers.emplace_back("Cache-Control", "public, max-age=86400");
  return r;
}

Result<SessionConfig> DecodeCreate(const Json& body, std::vector<InvitationSpec>* specs) {
  SessionConfig config;
  if (!body.contains("scenario")) return Status::InvalidArgument("body.scenario: required");
  if (!body["scenario"].is_object())
    return Status::InvalidArgument("body.scenario: expected a Shuttle JSON scenario object");
  Result<Scenario> scenario = ParseScenarioJson(Dump(body["scenario"]), "scenario");
  if (!scenario.ok()) return Status::InvalidArgument(scenario.status().message());
  config.scenario = *std::move(scenario);
  SHUTTLE_ASSIGN_OR_RETURN(config.title,
                           OptionalString(body, "title", kMaxLabelBytes, config.scenario.name));
  if (body.contains("options")) {
    if (!body["options"].is_object())
      return Status::InvalidArgument("body.options: expected an object");
    Result<MediationOptions> o = ParseOptionsJson(Dump(body["options"]), config.scenario);
    if (!o.ok()) return Status::InvalidArgument("body." + o.status().message());
    config.options = *o;
  }
  if (!body.contains("invitations")) {
    *specs = ServiceImpl::DefaultInvitations(config.scenario);
    return config;
  }
  const Json& list = body["invitations"];
  if (!list.is_array() || list.size() > kMaxInvitations) {
    return Status::InvalidArgument(fmt::format(
        "body.invitations: expected an array of at most {} invitations", kMaxInvitations));
  }
  bool mediator = false;
  for (size_t k = 0; k < list.size(); ++k) {
    SHUTTLE_ASSIGN_OR_RETURN(
        InvitationSpec s,
        DecodeInvitation(list[k], config.scenario, fmt::format("body.invitations[{}]", k)));
    mediator = mediator || s.role == "mediator";
    specs->push_back(std::move(s));
  }
  if (!mediator) specs->insert(specs->begin(), InvitationSpec{"mediator", -1, ""});
  return config;
}

HttpResponse CreateSession(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {"scenario", "title", "options", "invitations"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  std::vector<InvitationSpec> specs;
  Result<SessionConfig> config = DecodeCreate(*body, &specs);
  if (!config.ok()) return ErrorOf(config.status(), c.service->options());
  Result<OpenedSession> opened = c.service->CreateSession(*std::move(config), specs, "");
  if (!opened.ok()) return ErrorOf(opened.status(), c.service->options());
  Session* s = c.service->FindSession(opened->session_id);
  Json invitations = Json::array();
  for (const IssuedInvitation& i : opened->invitations) invitations.push_back(IssuedJson(i));
  std::lock_guard<std::mutex> lock(s->mutex());
  return JsonResponse(201, {{"session", SummaryJson(*s, {kMediator, "mediator"}, -1)},
                            {"invitations", std::move(invitations)}});
}

HttpResponse Me(Context& c) {
  Session* s = c.service->FindSession(c.grant.session_id);
  const bool party = c.grant.party >= 0 && s != nullptr;
  return JsonResponse(
      200, {{"session", c.grant.session_id},
            {"role", c.grant.role},
            {"party", party ? Json(c.grant.party) : Json(nullptr)},
            {"party_name",
             party ? Json(s->config().scenario.parties[c.grant.party].name) : Json(nullptr)},
            {"label", c.grant.label},
            {"invitation", c.grant.invitation_id}});
}

HttpResponse GetSession(Context& c) {
  std::lock_guard<std::mutex> lock(c.session->mutex());
  return JsonResponse(200,
                      SummaryJson(*c.session, {ViewerOf(c.grant), c.grant.role}, c.grant.party));
}

// A long log is read in pages: a page is built and sent whole, so its size is what bounds a
// request's memory and time, not the log's.
constexpr size_t kDefaultEventsPage = 500;
constexpr size_t kMaxEventsPage = 1000;

HttpResponse Events(Context& c) {
  size_t after = 0, limit = kDefaultEventsPage;
  for (const auto& [key, value] : c.request->query) {
    if (key != "after" && key != "limit") continue;
    if (value.empty() || value.size() > 9 ||
        value.find_first_not_of("0123456789") != std::string::npos) {
      return BadRequest(c, fmt::format("{}: expected a non-negative integer", key));
    }
    (key == "after" ? after : limit) = std::stoul(value);
  }
  if (limit < 1 || limit > kMaxEventsPage) {
    return BadRequest(c, fmt::format("limit: expected 1 to {}", kMaxEventsPage));
  }
  std::lock_guard<std::mutex> lock(c.session->mutex());
  return JsonResponse(200, EventsJson(*c.session, {ViewerOf(c.grant), c.grant.role}, after, limit));
}

// GET .../stream: the caller's view as Server-Sent Events, so the rooms need not poll. The same
// filter as GET .../events (Session::ViewOf), the same event JSON; `id:` is the view's seq, so a
// browser that reconnects sends Last-Event-ID and goes on where it stopped.
struct EventStream {
  ServiceImpl* service;
  Session* session;
  Viewer viewer;
  size_t next = 0;
  double end = 0;  // Clock::Seconds when the stream ends.
  bool opened = false;
};

constexpr double kKeepAliveSeconds = 15;
constexpr size_t kStreamBatch = 200;

bool NextChunk(EventStream* s, std::string* chunk) {
  chunk->clear();
  if (!s->opened) {
    s->opened = true;
    *chunk = "retry: 2000\n\n";  // How soon to reconnect after the stream's lifetime ends.
    return true;
  }
  std::unique_lock<std::mutex> lock(s->session->mutex());
  auto more = [s] {
    return s->service->stopping() || s->session->ViewOf(s->viewer.id).size() > s->next;
  };
  if (!more()) {
    const double now = s->service->clock()->Seconds();
    if (now >= s->end) return false;
    s->session->committed().wait_for(
        lock, std::chrono::duration<double>(std::min(s->end - now, kKeepAliveSeconds)), more);
  }
  if (s->service->stopping()) return false;
  const std::vector<size_t> view = s->session->ViewOf(s->viewer.id);
  if (view.size() <= s->next) {
    if (s->service->clock()->Seconds() >= s->end) return false;
    *chunk = ": keep-alive\n\n";
    return true;
  }
  const size_t end = std::min(view.size(), s->next + kStreamBatch);
  for (size_t seq = s->next; seq < end; ++seq) {
    *chunk += fmt::format("id: {}\nevent: event\ndata: {}\n\n", seq,
                          Dump(EventJson(*s->session, view[seq], seq)));
  }
  s->next = end;
  return true;
}

HttpResponse StreamEvents(Context& c) {
  std::string_view after = c.request->last_event_id;
  size_t next = 0;
  if (!after.empty()) {
    // Last-Event-ID is the last event received: go on after it.
    if (after.size() > 9 || after.find_first_not_of("0123456789") != std::string::npos) {
      return BadRequest(c, "Last-Event-ID: expected a non-negative integer");
    }
    next = std::stoul(std::string(after)) + 1;
  }
  for (const auto& [key, value] : c.request->query) {
    if (key != "after") continue;
    if (value.empty() || value.size() > 9 ||
        value.find_first_not_of("0123456789") != std::string::npos) {
      return BadRequest(c, "after: expected a non-negative integer");
    }
    if (after.empty()) next = std::stoul(value);
  }
  auto state = std::make_shared<EventStream>();
  state->service = c.service;
  state->session = c.session;
  state->viewer = {ViewerOf(c.grant), c.grant.role};
  state->next = next;
  state->end =
      c.service->clock()->Seconds() + static_cast<double>(c.service->options().stream_seconds);
  HttpResponse r;
  // Exactly this type: httplib would compress (and so hold back) any other text/ type.
  r.content_type = "text/event-stream";
  r.headers.emplace_back("X-Accel-Buffering", "no");
  r.stream = [state](std::string* chunk) { return NextChunk(state.get(), chunk); };
  return r;
}

HttpResponse Public(Context& c) {
  std::lock_guard<std::mutex> lock(c.session->mutex());
  return JsonResponse(200, PublicJson(*c.session));
}

HttpResponse Caucus(Context& c) {
  std::lock_guard<std::mutex> lock(c.session->mutex());
  return JsonResponse(200,
                      CaucusJson(*c.session, c.party, c.grant.role, c.grant.role != "mediator"));
}

HttpResponse Profile(Context& c) {
  return JsonResponse(200, ProfileJson(c.session->config().scenario, c.party));
}

// Applies a decoded move and answers with the caucus as the mover now sees it.
HttpResponse Move(Context& c, EventType type, const uint32_t* outcome, const std::string& text) {
  std::lock_guard<std::mutex> lock(c.session->mutex());
  Status moved = c.session->Move(type, c.party, outcome, text, c.now_ms / 1000);
  if (!moved.ok()) return ErrorOf(moved, c.service->options());
  Status committed = c.service->Commit(c.session);
  if (!committed.ok()) return ErrorOf(committed, c.service->options());
  return JsonResponse(200, {{"caucus", CaucusJson(*c.session, c.party, c.grant.role, true)}});
}

HttpResponse Confide(Context& c) {
  Result<Json> body = ParseBody(c.request->body,
                                {"weights", "values", "ranking", "red_lines", "reservation_value"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  if (body->empty()) {
    return BadRequest(c,
                      "body: confide at least one of weights, values, ranking, red_lines, "
                      "reservation_value");
  }
  if (body->contains("reservation_value")) {
    const Json& rv = (*body)["reservation_value"];
    if (!rv.is_number() || !(rv.get<double>() >= 0 && rv.get<double>() <= 1)) {
      return BadRequest(c, "body.reservation_value: expected a number in [0, 1]");
    }
  }
  return Move(c, EventType::kConfide, nullptr, Dump(*body));
}

HttpResponse Accept(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  return Move(c, EventType::kAccept, nullptr, "");
}

HttpResponse Object(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {"issues", "below_reservation"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  if (!body->contains("issues")) return BadRequest(c, "body.issues: required");
  return Move(c, EventType::kObject, nullptr, Dump(*body));
}

HttpResponse Counter(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {"outcome"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  if (!body->contains("outcome")) return BadRequest(c, "body.outcome: required");
  Result<Outcome> outcome =
      DecodeOutcome(c.session->config().scenario.space, (*body)["outcome"], "body.outcome");
  if (!outcome.ok()) return ErrorOf(outcome.status(), c.service->options());
  return Move(c, EventType::kOffer, outcome->data(), "");
}

HttpResponse Answer(Context& c) {
  Result<Json> body = ParseBody(
      c.request->body, {"declined", "words", "could_live_with", "ranking", "red_line", "bid"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  if (body->empty()) return BadRequest(c, "body: answer the question (or {\"declined\": true})");
  return Move(c, EventType::kAnswer, nullptr, Dump(*body));
}

HttpResponse WalkOut(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  return Move(c, EventType::kEnd, nullptr, "");
}

// Appends a service event and answers with it as the caller sees it (or just ok).
HttpResponse AddEvent(Context& c, EventType type, Audience audience, int32_t actor, int64_t at,
                      bool echo) {
  Result<Json> body = ParseBody(c.request->body, {"text"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  Result<std::string> text = TextField(*body, "text");
  if (!text.ok()) return ErrorOf(text.status(), c.service->options());
  if (type == EventType::kNote && !c.service->TakeNote(c.grant.invitation_id, c.now_ms)) {
    HttpResponse r =
        Error(429, "too_many_requests",
              fmt::format("at most {} notes per hour from one invitation; try again later",
                          c.service->options().notes_per_hour));
    r.headers.emplace_back("Retry-After", std::to_string(3600 - c.now_ms / 1000 % 3600));
    return r;
  }
  std::lock_guard<std::mutex> lock(c.session->mutex());
  c.session->AddServiceEvent(type, audience, actor, *text, at);
  Status committed = c.service->Commit(c.session);
  if (!committed.ok()) return ErrorOf(committed, c.service->options());
  if (!echo) return JsonResponse(201, {{"ok", true}});
  const size_t seq = c.session->ViewOf(ViewerOf(c.grant)).size() - 1;
  return JsonResponse(201, {{"event", EventJson(*c.session, c.session->size() - 1, seq)}});
}

HttpResponse CaucusNote(Context& c) {
  const int32_t actor = c.grant.role == "mediator" ? kMediator : c.party;
  return AddEvent(c, EventType::kNote, Audience::Caucus(c.party), actor, c.now_ms / 1000, true);
}

HttpResponse AnonymousNote(Context& c) {
  const int64_t batch = std::max<int64_t>(1, c.service->options().anonymous_batch_seconds);
  return AddEvent(c, EventType::kNote, Audience::MediatorOnly(), kPublic,
                  c.now_ms / 1000 / batch * batch, false);
}

HttpResponse Statement(Context& c) {
  return AddEvent(c, EventType::kStatement, Audience::Public(), kMediator, c.now_ms / 1000, true);
}

// The mediator's moves when a person holds the seat: {"move": "open" | "text" | "ask" | "leave" |
// "note" | "statement" | "round" | "settle" | "close", ...} (docs/api.md).
HttpResponse MediatorMove(Context& c) {
  Result<Json> body =
      ParseBody(c.request->body, {"move", "party", "outcome", "open", "words", "question", "text"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  const Json& b = *body;
  if (!b.contains("move") || !b["move"].is_string()) return BadRequest(c, "body.move: required");
  const std::string move = b["move"].get<std::string>();
  struct Kind {
    const char* name;
    EventType type;
    std::initializer_list<const char*> fields;
  };
  static const Kind kKinds[] = {
      {"open", EventType::kOpen, {"party"}},
      {"text", EventType::kPropose, {"outcome", "open", "words"}},
      {"ask", EventType::kAsk, {"question"}},
      {"leave", EventType::kLeave, {}},
      {"note", EventType::kNote, {"party", "text"}},
      {"statement", EventType::kStatement, {"text"}},
      {"round", EventType::kRound, {"text"}},
      {"settle", EventType::kSettle, {}},
      {"close", EventType::kClose, {"text"}},
  };
  const Kind* kind = nullptr;
  for (const Kind& k : kKinds) kind = move == k.name ? &k : kind;
  if (kind == nullptr) {
    return BadRequest(c, fmt::format("body.move: unknown move {} (open, text, ask, leave, note, "
                                     "statement, round, settle, close)",
                                     Dump(Json(move))));
  }
  for (const auto& [key, value] : b.items()) {
    if (key == "move") continue;
    bool ok = false;
    for (const char* f : kind->fields) ok = ok || key == f;
    if (!ok) return BadRequest(c, fmt::format("body.{}: not a field of the move '{}'", key, move));
  }
  const Scenario& scenario = c.session->config().scenario;
  Action action;
  action.type = kind->type;
  std::string text;
  Outcome outcome;
  if (b.contains("party")) {
    const int32_t party = PartyOf(b["party"], scenario);
    if (party < 0) return BadRequest(c, fmt::format("body.party: no party {}", Dump(b["party"])));
    action.value = party;
  } else if (kind->type == EventType::kOpen) {
    return BadRequest(c, "body.party: required");
  } else if (kind->type == EventType::kNote) {
    action.value = kMediator;  // A note to the mediator's own file.
  }
  if (kind->type == EventType::kPropose) {
    Json request = Json::object();
    if (b.contains("open")) request["open"] = b["open"];
    if (b.contains("words")) request["words"] = b["words"];
    if (!request.empty()) text = Dump(request);
    if (b.contains("outcome")) {
      // The issues left open need no value: a placeholder stands for them.
      Json full = b["outcome"];
      if (full.is_object() && b.contains("open") && b["open"].is_array()) {
        for (const Json& name : b["open"]) {
          const int i = name.is_string() ? scenario.space.FindIssue(name.get<std::string>()) : -1;
          if (i >= 0 && !full.contains(name.get<std::string>()))
            full[name.get<std::string>()] = scenario.space.issue(i).ValueLabel(0);
        }
      }
      Result<Outcome> o = DecodeOutcome(scenario.space, full, "body.outcome");
      if (!o.ok()) return ErrorOf(o.status(), c.service->options());
      outcome = *std::move(o);
      action.outcome = outcome.data();
    }
  } else if (kind->type == EventType::kAsk) {
    if (!b.contains("question") || !b["question"].is_object())
      return BadRequest(c, "body.question: expected an object");
    text = Dump(b["question"]);
  } else if (b.contains("text")) {
    Result<std::string> t = TextField(b, "text");
    if (!t.ok()) return ErrorOf(t.status(), c.service->options());
    text = *std::move(t);
  }
  action.text = text;
  std::lock_guard<std::mutex> lock(c.session->mutex());
  Status moved = c.session->MediatorMove(action, c.now_ms / 1000);
  if (!moved.ok()) return ErrorOf(moved, c.service->options());
  Status committed = c.service->Commit(c.session);
  if (!committed.ok()) return ErrorOf(committed, c.service->options());
  const ServiceOptions& o = c.service->options();
  return JsonResponse(
      200, {{"mediator", MediatorJson(*c.session, c.now_ms / 1000, o.anonymous_batch_seconds)}});
}

// The engine's advice on a draft (or on its own suggestion): Advise over the mediator's view.
HttpResponse MediatorAdvice(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {"draft"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  const Scenario& scenario = c.session->config().scenario;
  Outcome draft;
  if (body->contains("draft")) {
    Result<Outcome> d = DecodeOutcome(scenario.space, (*body)["draft"], "body.draft");
    if (!d.ok()) return ErrorOf(d.status(), c.service->options());
    draft = *std::move(d);
  }
  std::lock_guard<std::mutex> lock(c.session->mutex());
  Result<Advice> advice =
      Advise(scenario.space, c.session->protocol_log(), draft.empty() ? nullptr : &draft);
  if (!advice.ok()) return ErrorOf(advice.status(), c.service->options());
  std::vector<std::string> names;
  for (const Party& p : scenario.parties) names.push_back(p.name);
  return JsonResponse(
      200, {{"advice", mediation_internal::AdviceToJson(scenario.space, *advice, names)}});
}

// After a practice session (every party automated), what the seat could not know: the parties'
// true profiles, the Nash point and how far the agreement was from it. Never while talking, and
// never when a person played a party (its briefing stays its own): then "debrief" is null and
// "reason" says why.
HttpResponse Debrief(Context& c) {
  const Scenario& scenario = c.session->config().scenario;
  std::optional<Outcome> agreement;
  {
    std::lock_guard<std::mutex> lock(c.session->mutex());
    std::string reason;
    if (!c.session->mediator().done()) reason = "the debrief comes when the talks are over";
    for (size_t k = 0; k < scenario.parties.size() && reason.empty(); ++k) {
      if (!c.session->automated(static_cast<int32_t>(k))) {
        reason = fmt::format("party '{}' was played by people: its briefing stays its own",
                             scenario.parties[k].name);
      }
    }
    if (!reason.empty()) return JsonResponse(200, {{"debrief", nullptr}, {"reason", reason}});
    if (const uint32_t* a = c.session->mediator().agreement())
      agreement = Outcome(a, a + scenario.space.issue_count());
  }
  // Each party's utility of the agreement (its reservation value without one).
  std::vector<Utility> utilities;
  std::vector<double> got;
  for (const Party& party : scenario.parties) {
    Result<Utility> u = Utility::Compile(scenario.space, party.profile);
    if (!u.ok()) return ErrorOf(u.status(), c.service->options());
    got.push_back(agreement ? u->Evaluate(*agreement) : u->reservation_value());
    utilities.push_back(*std::move(u));
  }
  // The agreement's Nash product over `members` (0 without agreement).
  auto product = [&](const std::vector<int>& members) {
    double p = agreement ? 1.0 : 0.0;
    for (int k : members) p *= std::max(0.0, got[k] - utilities[k].reservation_value());
    return p;
  };
  // The Nash point the agreement is measured against, the ratio, and each party's utility there:
  // the whole table's; under a rule, that of the coalition whose Nash point has the largest
  // product, the agreement taken over the coalition it serves best.
  std::optional<Outcome> nash;
  Json ratio = nullptr, coalition = nullptr;
  if (scenario.rule.unanimous()) {
    Result<Analysis> analysis = Analyze(scenario);
    if (!analysis.ok()) return ErrorOf(analysis.status(), c.service->options());
    if (analysis->nash) {
      nash = analysis->nash->outcome;
      std::vector<int> everyone(scenario.parties.size());
      double best = 1.0;
      for (size_t k = 0; k < everyone.size(); ++k) {
        everyone[k] = static_cast<int>(k);
        best *= std::max(0.0, analysis->nash->utilities[k] - analysis->reservation_values[k]);
      }
      if (best > 0) ratio = product(everyone) / best;
    }
  } else {
    Result<CoalitionAnalysis> coalitions = AnalyzeCoalitions(scenario);
    if (!coalitions.ok()) return ErrorOf(coalitions.status(), c.service->options());
    if (coalitions->best) {
      const Coalition& top = coalitions->coalitions[*coalitions->best];
      coalition = top.parties;
      nash = top.nash->outcome;
      double served = 0;
      for (const Coalition& coalition : coalitions->coalitions)
        served = std::max(served, product(coalition.members));
      if (top.nash_product > 0) ratio = served / top.nash_product;
    }
  }
  Json parties = Json::array();
  for (size_t k = 0; k < scenario.parties.size(); ++k) {
    Json p = ProfileJson(scenario, static_cast<int32_t>(k));
    p["utility"] = got[k];
    p["nash_utility"] = nash ? Json(utilities[k].Evaluate(*nash)) : Json(nullptr);
    parties.push_back(std::move(p));
  }
  Json j;
  j["agreement"] =
      agreement ? json_internal::OutcomeJson(scenario.space, *agreement) : Json(nullptr);
  j["nash"] = nash ? json_internal::OutcomeJson(scenario.space, *nash) : Json(nullptr);
  j["nash_ratio"] = std::move(ratio);
  if (!scenario.rule.unanimous()) j["coalition"] = std::move(coalition);
  j["parties"] = std::move(parties);
  return JsonResponse(200, {{"debrief", std::move(j)}});
}

HttpResponse MediatorConsole(Context& c) {
  std::lock_guard<std::mutex> lock(c.session->mutex());
  const ServiceOptions& o = c.service->options();
  return JsonResponse(200, MediatorJson(*c.session, c.now_ms / 1000, o.anonymous_batch_seconds));
}

HttpResponse Close(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  std::lock_guard<std::mutex> lock(c.session->mutex());
  Status closed = c.session->Close(c.now_ms / 1000);
  if (!closed.ok()) return ErrorOf(closed, c.service->options());
  Status committed = c.service->Commit(c.session);
  if (!committed.ok()) return ErrorOf(committed, c.service->options());
  return JsonResponse(200, {{"session", SummaryJson(*c.session, {kMediator, "mediator"}, -1)}});
}

HttpResponse ListInvitations(Context& c) {
  Json list = Json::array();
  for (const InvitationRecord& r : c.service->Invitations(c.session->config().id)) {
    list.push_back(InvitationJson(c.session->config().scenario, r));
  }
  return JsonResponse(200, {{"invitations", std::move(list)}});
}

HttpResponse AddInvitation(Context& c) {
  Result<Json> body = ParseBody(c.request->body, {"role", "party", "label"});
  if (!body.ok()) return ErrorOf(body.status(), c.service->options());
  const SessionConfig& config = c.session->config();
  Result<InvitationSpec> spec = DecodeInvitation(*body, config.scenario, "body");
  if (!spec.ok()) return ErrorOf(spec.status(), c.service->options());
  Result<std::vector<IssuedInvitation>> issued = c.service->Invite(config, {*spec}, "");
  if (!issued.ok()) return ErrorOf(issued.status(), c.service->options());
  return JsonResponse(201, {{"invitation", IssuedJson(issued->front())}});
}

HttpResponse RevokeInvitation(Context& c) {
  Result<InvitationRecord> r = c.service->Revoke(c.session->config().id, c.invitation);
  if (!r.ok()) return ErrorOf(r.status(), c.service->options());
  return JsonResponse(200, {{"invitation", InvitationJson(c.session->config().scenario, *r)}});
}

const Route kRoutes[] = {
    {"GET", "/api/health", Auth::kNone, Reach::kSession, "", Health},
    {"GET", "/vendor/{file}", Auth::kNone, Reach::kSession, "", Vendor},
    {"POST", "/api/sessions", Auth::kCreate, Reach::kSession, "", CreateSession},
    {"GET", "/api/me", Auth::kToken, Reach::kSession, "", Me},
    {"GET", "/api/sessions/{sid}", Auth::kToken, Reach::kSession, "", GetSession},
    {"GET", "/api/sessions/{sid}/events", Auth::kToken, Reach::kSession, "", Events},
    {"GET", "/api/sessions/{sid}/public", Auth::kToken, Reach::kSession, "", Public},
    {"GET", "/api/sessions/{sid}/stream", Auth::kToken, Reach::kSession, "", StreamEvents},
    {"POST", "/api/sessions/{sid}/anonymous-notes", Auth::kToken, Reach::kSession, "",
     AnonymousNote},
    {"GET", "/api/sessions/{sid}/parties/{p}/caucus", Auth::kToken, Reach::kCaucus, "", Caucus},
    {"GET", "/api/sessions/{sid}/parties/{p}/profile", Auth::kToken, Reach::kMembers, "", Profile},
    {"POST", "/api/sessions/{sid}/parties/{p}/confide", Auth::kToken, Reach::kCaucus,
     "principal negotiator adviser", Confide},
    {"POST", "/api/sessions/{sid}/parties/{p}/accept", Auth::kToken, Reach::kCaucus,
     "principal negotiator", Accept},
    {"POST", "/api/sessions/{sid}/parties/{p}/object", Auth::kToken, Reach::kCaucus,
     "principal negotiator", Object},
    {"POST", "/api/sessions/{sid}/parties/{p}/counter", Auth::kToken, Reach::kCaucus,
     "principal negotiator", Counter},
    {"POST", "/api/sessions/{sid}/parties/{p}/answer", Auth::kToken, Reach::kCaucus,
     "principal negotiator", Answer},
    {"POST", "/api/sessions/{sid}/parties/{p}/walk-out", Auth::kToken, Reach::kCaucus, "principal",
     WalkOut},
    {"POST", "/api/sessions/{sid}/parties/{p}/notes", Auth::kToken, Reach::kCaucus, "", CaucusNote},
    {"GET", "/api/sessions/{sid}/mediator", Auth::kToken, Reach::kMediator, "", MediatorConsole},
    {"POST", "/api/sessions/{sid}/mediator/moves", Auth::kToken, Reach::kMediator, "",
     MediatorMove},
    {"POST", "/api/sessions/{sid}/mediator/advice", Auth::kToken, Reach::kMediator, "",
     MediatorAdvice},
    {"GET", "/api/sessions/{sid}/debrief", Auth::kToken, Reach::kMediator, "", Debrief},
    {"POST", "/api/sessions/{sid}/statements", Auth::kToken, Reach::kMediator, "", Statement},
    {"POST", "/api/sessions/{sid}/close", Auth::kToken, Reach::kMediator, "", Close},
    {"GET", "/api/sessions/{sid}/invitations", Auth::kToken, Reach::kMediator, "", ListInvitations},
    {"POST", "/api/sessions/{sid}/invitations", Auth::kToken, Reach::kMediator, "", AddInvitation},
    {"DELETE", "/api/sessions/{sid}/invitations/{iid}", Auth::kToken, Reach::kMediator, "",
     RevokeInvitation},
};

// Whether the grant reaches the route's resource; fills the session, party and invitation.
bool InReach(const Route& route, const std::vector<std::string_view>& captures,
             ServiceImpl* service, Context* c) {
  std::vector<std::string_view> names = Split(route.pattern);
  size_t k = 0;
  for (std::string_view n : names) {
    if (n.front() != '{') continue;
    std::string_view value = captures[k++];
    if (n == "{sid}") {
      if (value != c->grant.session_id) return false;
      c->session = service->FindSession(std::string(value));
      if (c->session == nullptr) return false;
    } else if (n == "{p}") {
      Result<int32_t> p = PartyIndex(value, c->session->config().scenario.parties.size());
      if (!p.ok()) return false;
      c->party = *p;
    } else if (n == "{iid}") {
      c->invitation = std::string(value);
    }
  }
  const bool mediator = c->grant.role == "mediator";
  const bool member = IsPartyRole(c->grant.role) && c->grant.party == c->party;
  switch (route.reach) {
    case Reach::kSession: return true;
    case Reach::kMediator: return mediator;
    case Reach::kMembers: return member;
    case Reach::kCaucus: return member || mediator;
  }
  return false;
}

HttpResponse Dispatch(ServiceImpl* service, const HttpRequest& request) {
  const std::vector<std::string_view> segments = Split(request.path);
  std::vector<std::string_view> captures;
  const Route* route = nullptr;
  std::string allowed;  // The methods the path has, for a 405's Allow header.
  for (const Route& r : kRoutes) {
    if (!Match(r.pattern, segments, &captures)) continue;
    allowed += (allowed.empty() ? "" : ", ") + std::string(r.method);
    if (request.method == r.method) {
      route = &r;
      break;
    }
  }
  if (route == nullptr && allowed.empty()) return NotFound();
  if (route == nullptr) {
    HttpResponse r = Error(405, "method_not_allowed", "method not allowed here");
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  Match(route->pattern, segments, &captures);
  const ServiceOptions& options = service->options();
  const size_t limit = route->auth == Auth::kCreate ? options.max_create_body : options.max_body;
  if (request.body.size() > limit)
    return Error(413, "payload_too_large", fmt::format("body larger than {} bytes", limit));

  Context c;
  c.service = service;
  c.request = &request;
  c.now_ms = service->NowMs();
  if (route->auth == Auth::kNone) return route->handler(c);
  // A valid token (or create key) always passes: behind a proxy one address is everyone, so a
  // block must not lock out the innocent. Only failed checks are counted and, past the limit,
  // answered 429 (tokens hold 256 random bits: the limit keeps floods out of the logs and the
  // store, it is not what makes guessing hopeless).
  auto refuse = [&](const std::string& token) {
    if (int64_t wait = service->limiter().BlockedFor(request.remote, c.now_ms); wait > 0) {
      HttpResponse r =
          Error(429, "too_many_requests", "too many bad tokens from this address; try again later");
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
    if (!token.empty()) service->limiter().Fail(request.remote, c.now_ms);
    return Error(401, "unauthenticated", "missing or invalid token");
  };
  const std::string token = TokenOf(request);
  if (route->auth == Auth::kCreate) {
    if (options.create_key.empty() || SameSecret(token, options.create_key))
      return route->handler(c);
    return refuse(token);
  }
  std::optional<Grant> grant = token.empty() ? std::nullopt : service->Authenticate(token);
  if (!grant) return refuse(token);
  c.grant = *std::move(grant);
  if (!InReach(*route, captures, service, &c)) return NotFound();
  if (!RoleIn(route->roles, c.grant.role)) {
    const bool vowel = !c.grant.role.empty() &&
                       std::string_view("aeiou").find(c.grant.role[0]) != std::string_view::npos;
    const std::string who = fmt::format("{} {}", vowel ? "an" : "a", c.grant.role);
    return ErrorOf(Status::PermissionDenied(who + " may not do this"), options);
  }
  return route->handler(c);
}

const char* AuthName(Auth auth) {
  switch (auth) {
    case Auth::kNone: return "none";
    case Auth::kCreate: return "create";
    case Auth::kToken: return "token";
  }
  return "?";
}

const char* ReachName(Reach reach) {
  switch (reach) {
    case Reach::kSession: return "session";
    case Reach::kMediator: return "mediator";
    case Reach::kMembers: return "members";
    case Reach::kCaucus: return "caucus";
  }
  return "?";
}

}  // namespace

std::vector<RouteInfo> RouteTable() {
  std::vector<RouteInfo> out;
  for (const Route& r : kRoutes) {
    out.push_back({r.method, r.pattern, AuthName(r.auth), ReachName(r.reach), r.roles});
  }
  return out;
}

HttpResponse ServiceImpl::Handle(const HttpRequest& request) {
  HttpResponse response;
  try {
    response = Dispatch(this, request);
  } catch (const std::exception& e) {  // A bug, not an input error: answer 500 and keep serving.
    if (options_.log)
      options_.log(
          fmt::format("internal error on {} {}: {}", request.method, request.path, e.what()));
    response = Error(500, "internal", "internal error");
  }
  const bool cached = std::any_of(response.headers.begin(), response.headers.end(),
                                  [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cached) response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace shuttle::service_internal
