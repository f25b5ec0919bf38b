// Shuttle as a service: mediated sessions for people, behind an HTTP/JSON API (docs/api.md).
//
// A Service owns every session of one store (SQLite in WAL mode, or memory for tests): it replays
// each session from its log when opened, authenticates requests by token (random, stored only as a
// hash, revocable, one role and at most one party each), and answers requests already decoded from
// HTTP: the server binary only moves bytes between a socket and Handle(). Each event a request
// causes is committed to the store before Handle() returns. What a caller reads is the session's
// log filtered by the caller's audience (shuttle/event.h), so another party's caucus never reaches
// it; anything outside the caller's reach is answered exactly like something that does not exist.
// Handle() is thread-safe: requests on different sessions run in parallel, requests on one session
// one at a time.
#ifndef SHUTTLE_SERVICE_H_
#define SHUTTLE_SERVICE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shuttle/clock.h"
#include "shuttle/status.h"

namespace shuttle {

// A request as the HTTP layer decoded it.
struct HttpRequest {
  std::string method;  // "GET", "POST", "DELETE", ...
  std::string path;    // Without the query: "/api/sessions/abc/events".
  std::vector<std::pair<std::string, std::string>> query;  // Decoded parameters.
  std::string authorization;                               // The Authorization header, or empty.
  std::string body;
  std::string remote;  // The client's address (rate limiting only; never stored).
  std::string
      last_event_id;  // The Last-Event-ID header (an event stream's reconnection), or empty.
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Besides Content-Type.
  // Set for an event stream (text/event-stream): the body is what successive calls give. Each call
  // blocks until it has something to send (new events, or a keep-alive comment) and returns false
  // when the stream is over (its lifetime passed, or Shutdown()). Thread-safe to call from the
  // connection's thread while other requests run; never throws.
  std::function<bool(std::string* chunk)> stream;
};

struct ServiceOptions {
  // SQLite database file, created if missing. Default: empty, an in-memory store (tests, fuzzing).
  std::string db_path;
  // Base of the invitation links. Default: "http://127.0.0.1:8080".
  std::string public_url = "http://127.0.0.1:8080";
  // When not empty, creating a session needs "Authorization: Bearer <create_key>". Default: empty.
  std::string create_key;
  // Failed token checks per address and minute before requests from it answer 429. Default: 20.
  int auth_failures_per_minute = 20;
  // Body limits in bytes: creating a session, any other request. Default: 1 MiB, 64 KiB.
  size_t max_create_body = 1 << 20;
  size_t max_body = 64 << 10;
  // A session's tables (the mediator's, one entry per value of each issue per party) are bounded
  // before anything is allocated: at most `max_values_per_issue` values in any issue, and at most
  // `max_table_cells` values summed over the issues times the parties (about 60 bytes each).
  // A scenario past either is refused with a 400 naming the limit. Default: 100,000 and 400,000
  // (the largest GENIUS/ANAC issue has 2,001 values).
  uint64_t max_values_per_issue = 100'000;
  // Anonymous notes are stamped with the start of their batch (this many seconds) and reach the
  // mediator only when the batch is over, all together in text order and outside the mediator's
  // event sequence, so neither time nor position narrows the sender below "someone with a link, in
  // this batch". Default: 3600 (an hour).
  int64_t anonymous_batch_seconds = 3600;
  // Caucus and anonymous notes one invitation may send per hour (429 past it). Default: 30.
  int notes_per_hour = 30;
  uint64_t max_table_cells = 400'000;
  // Every reading of time: UnixMillis for timestamps, notes and rate limits, Seconds for the
  // lifetime of event streams. Not owned. Default: nullptr, meaning SteadyClock().
  Clock* clock = nullptr;
  // Receives one line per server-side failure (a storage error's detail, which the client is not
  // told). Called from request threads. Default: none.
  std::function<void(std::string_view)> log;
  // Seconds an event stream (GET .../stream) stays open before it ends (the browser reconnects
  // where it stopped); 0 sends what is there and ends. Default: 60.
  int stream_seconds = 60;
};

// An invitation as handed out once: the token is never shown again.
struct IssuedInvitation {
  std::string id;
  std::string role;
  int party = -1;
  std::string party_name;
  std::string label;
  std::string token;
  std::string link;
};

struct OpenedSession {
  std::string session_id;
  bool created = false;  // False: an existing session was reused.
  std::vector<IssuedInvitation> invitations;
};

class Service {
 public:
  virtual ~Service() = default;

  // Opens the store and replays every session. kIOError when the store cannot be opened,
  // kCorruption when a session's log does not replay (the message names the session and event).
  static Result<std::unique_ptr<Service>> Open(const ServiceOptions& options);

  // Answers one request (docs/api.md). Never throws; errors are JSON bodies with 4xx/5xx statuses.
  virtual HttpResponse Handle(const HttpRequest& request) = 0;

  // For `shuttle serve --open FILE`: makes sure one session opened from a scenario with this exact
  // text exists (reusing it when the store has one), revokes the invitations the previous call
  // issued for it and issues a fresh default set. kInvalidArgument names `source` for a scenario
  // the mediator cannot take. `options_json`: the session options of POST /api/sessions (who holds
  // each seat: {"mediator": "person", "parties": ["reticent", null]}); a session is reused only
  // with the same scenario text and the same options.
  virtual Result<OpenedSession> OpenScenario(std::string_view scenario_json,
                                             const std::string& source,
                                             std::string_view options_json = {}) = 0;

  // Changes the base of links issued from now on (after binding port 0, say).
  virtual void SetPublicUrl(const std::string& url) = 0;
  virtual size_t session_count() const = 0;
  // Ends every open event stream now and any opened later (the server is stopping).
  virtual void Shutdown() = 0;
};

}  // namespace shuttle

#endif  // SHUTTLE_SERVICE_H_
