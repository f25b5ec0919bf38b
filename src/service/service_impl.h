// The Service behind shuttle/service.h (private to src/service): sessions, invitations and the
// store. api.cc turns requests into calls of these operations; this file knows nothing of HTTP.
//
// Locks: `sessions_mutex_` guards the session table (sessions are never removed, so a Session*
// stays valid), each Session's own mutex guards its state and is held across the store commit so
// events are stored in log order; `grants_mutex_` guards the token table. No lock is taken while
// holding grants_mutex_.
#ifndef SHUTTLE_SRC_SERVICE_SERVICE_IMPL_H_
#define SHUTTLE_SRC_SERVICE_SERVICE_IMPL_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "service/rate_limiter.h"
#include "service/session.h"
#include "service/store.h"
#include "shuttle/service.h"

namespace shuttle::service_internal {

// What a valid token lets its holder do: one session, one role, at most one party.
struct Grant {
  std::string invitation_id;
  std::string session_id;
  std::string role;
  int32_t party = -1;
  std::string label;
};

struct InvitationSpec {
  std::string role;
  int32_t party = -1;
  std::string label;  // Empty: "<party> <role>" or the role.
};

// Roles in the order the default set lists them.
bool IsPartyRole(std::string_view role);
bool IsRole(std::string_view role);
// kInvalidArgument naming the issue or the count when a scenario is past the session size limits
// (ServiceOptions::max_values_per_issue, max_table_cells); checked before any table is made.
Status CheckSessionSize(const Scenario& scenario, const ServiceOptions& options);

// One route of the HTTP API as api.cc's table declares it, read-only, so tests can cover every
// route the dispatcher knows rather than a list of their own that may fall behind.
struct RouteInfo {
  std::string method;   // "GET", "POST", "DELETE"
  std::string pattern;  // Segments; "{sid}", "{p}", "{iid}", "{file}" capture.
  std::string auth;     // "none", "create" (the create key, when one is set) or "token".
  // Who reaches the resource (everyone else gets 404): "session", "mediator", "members" (of the
  // party in the path) or "caucus" (those and the mediator).
  std::string reach;
  std::string roles;  // Space-separated roles that may call it within reach; empty: all.
};

// Every route in the order the dispatcher tries them (api.cc).
std::vector<RouteInfo> RouteTable();

class ServiceImpl final : public Service {
 public:
  ServiceImpl(ServiceOptions options, std::unique_ptr<Store> store);

  // Loads and replays every session and the token table.
  Status Load();

  HttpResponse Handle(const HttpRequest& request) override;  // api.cc
  Result<OpenedSession> OpenScenario(std::string_view scenario_json, const std::string& source,
                                     std::string_view options_json) override;
  void SetPublicUrl(const std::string& url) override;
  size_t session_count() const override;
  void Shutdown() override;
  bool stopping() const { return stopping_.load(); }

  const ServiceOptions& options() const { return options_; }
  // options().clock, or the machine's.
  Clock* clock() const { return options_.clock != nullptr ? options_.clock : SteadyClock(); }
  int64_t NowMs() const;
  RateLimiter& limiter() { return limiter_; }
  // Counts one note by `invitation` in the current hour; false when it has sent notes_per_hour
  // already. In memory: a restart starts the count afresh.
  bool TakeNote(const std::string& invitation, int64_t now_ms);

  // The grant of a live token, or nullopt (unknown or revoked).
  std::optional<Grant> Authenticate(std::string_view token) const;
  // The session, or null.
  Session* FindSession(const std::string& id) const;

  // Commits the session's pending events; on failure drops them (Rollback) and returns kIOError.
  // Call with the session's mutex held.
  Status Commit(Session* session);

  // Creates, commits and registers a session with its invitations. kInvalidArgument for a scenario
  // or invitation list the mediator cannot take; kIOError.
  Result<OpenedSession> CreateSession(SessionConfig config,
                                      const std::vector<InvitationSpec>& specs,
                                      const std::string& batch);
  // The default set: mediator, then principal, negotiator and adviser per party, then observer.
  static std::vector<InvitationSpec> DefaultInvitations(const Scenario& scenario);
  // Issues invitations for an existing session. kInvalidArgument for a bad spec; kIOError.
  Result<std::vector<IssuedInvitation>> Invite(const SessionConfig& config,
                                               const std::vector<InvitationSpec>& specs,
                                               const std::string& batch);
  // Revokes one invitation of a session. kNotFound when the session has no such invitation.
  Result<InvitationRecord> Revoke(const std::string& session_id, const std::string& invitation_id);
  std::vector<InvitationRecord> Invitations(const std::string& session_id) const;

 private:
  Result<std::vector<InvitationRecord>> MakeInvitations(
      const SessionConfig& config, const std::vector<InvitationSpec>& specs,
      const std::string& batch, std::vector<IssuedInvitation>* issued) const;
  void Register(const std::vector<InvitationRecord>& records);
  IssuedInvitation Issue(const SessionConfig& config, const InvitationRecord& record,
                         const std::string& token) const;

  ServiceOptions options_;
  std::unique_ptr<Store> store_;
  RateLimiter limiter_;
  mutable std::shared_mutex url_mutex_;
  std::string public_url_;

  mutable std::shared_mutex sessions_mutex_;
  std::map<std::string, std::unique_ptr<Session>> sessions_;

  std::atomic<bool> stopping_{false};
  std::mutex notes_mutex_;
  int64_t notes_hour_ = -1;
  std::unordered_map<std::string, int> notes_this_hour_;  // By invitation.

  mutable std::shared_mutex grants_mutex_;
  std::unordered_map<std::string, std::string> hash_to_invitation_;
  std::map<std::string, InvitationRecord> invitations_;  // By id.
};

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_SERVICE_IMPL_H_
