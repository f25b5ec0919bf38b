// What each caller reads (private to src/service): JSON projections of a session.
//
// Every projection that shows events or what a party said is computed from Session::ViewOf(viewer),
// the log filtered by the viewer's audience, so confidentiality rests on Audience::Sees alone. The
// mediator console also reads the Mediator's accessors (its own view of the talks). Callers hold
// the session's mutex.
#ifndef SHUTTLE_SRC_SERVICE_VIEWS_H_
#define SHUTTLE_SRC_SERVICE_VIEWS_H_

#include <cstdint>
#include <span>
#include <string>

#include "service/decode.h"
#include "service/session.h"

namespace shuttle::service_internal {

// "2024-05-01T10:00:00Z".
std::string IsoTime(int64_t unix_seconds);
// A party's name, "mediator", "system" or "anonymous".
std::string ActorName(const Scenario& scenario, int32_t actor);

// Who is asking: a party index, kMediator or kPublic (observers).
struct Viewer {
  int32_t id = kPublic;
  std::string role;
};

// GET /api/sessions/{sid}.
Json SummaryJson(const Session& session, const Viewer& viewer, int32_t party);
// GET .../events?after=N&limit=M: at most `limit` of the viewer's events with seq >= after, the
// cursor of the next page ("next") and whether the log goes on ("more").
Json EventsJson(const Session& session, const Viewer& viewer, size_t after, size_t limit);
// GET .../public.
Json PublicJson(const Session& session);
// GET .../parties/{p}/caucus; `member` adds the party's own utility of the text.
Json CaucusJson(const Session& session, int32_t party, const std::string& role, bool member);
// GET .../parties/{p}/profile.
Json ProfileJson(const Scenario& scenario, int32_t party);
// GET .../mediator.
// `now` in Unix seconds: anonymous notes of batches that are over (ServiceOptions::
// anonymous_batch_seconds), ordered by batch and text.
Json MediatorJson(const Session& session, int64_t now, int64_t batch_seconds);
// One event as the viewer sees it, numbered `seq` in the viewer's view.
Json EventJson(const Session& session, size_t index, size_t seq);

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_VIEWS_H_
