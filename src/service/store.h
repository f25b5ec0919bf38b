// The service's durable state behind one small interface (private to src/service).
//
// A Store keeps sessions (the scenario and options they were created with), their events in order,
// and invitations (token hashes, never tokens). Every mutating call is atomic: it either commits
// all it was given or nothing, and returns only once the commit is durable, so the service can
// acknowledge a request after the call returns. Two implementations: SQLite in WAL mode
// (OpenSqliteStore) and an in-memory fake for tests (MakeMemoryStore) that can be told to fail.
// Implementations are thread-safe.
#ifndef SHUTTLE_SRC_SERVICE_STORE_H_
#define SHUTTLE_SRC_SERVICE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shuttle/event.h"
#include "shuttle/status.h"

namespace shuttle::service_internal {

struct SessionRecord {
  std::string id;
  std::string title;
  std::string scenario_json;  // Canonical Shuttle JSON (WriteScenarioJson).
  std::string options_json;   // The mediation options (see session.h).
  std::string opened_from;    // Content hash of the file `shuttle serve --open` read, else empty.
  int64_t created = 0;        // Unix seconds.
};

struct StoredEvent {
  uint64_t seq = 0;      // Position in the session's combined log, from 0.
  bool service = false;  // False: emitted by the mediator protocol; true: by the service.
  Event event;           // Its outcome and text fields are ignored here.
  std::vector<uint32_t> outcome;
  std::string text;
  int64_t at = 0;  // Unix seconds when committed.
  bool operator==(const StoredEvent& o) const;
};

struct InvitationRecord {
  std::string id;
  std::string session_id;
  std::string token_hash;  // Hex of the BLAKE2b-256 hash of the token.
  std::string role;        // "mediator", "principal", "negotiator", "adviser", "observer".
  int32_t party = -1;      // Party roles only.
  std::string label;
  std::string batch;  // Set for the links `--open` printed, to revoke them on the next one.
  int64_t created = 0;
  bool revoked = false;
};

class Store {
 public:
  virtual ~Store() = default;
  // Commits the session, its opening events and its invitations together. kConflict when the id
  // exists; kIOError when storage fails.
  virtual Status CreateSession(const SessionRecord& session, const std::vector<StoredEvent>& events,
                               const std::vector<InvitationRecord>& invitations) = 0;
  // Appends events whose seqs continue the session's log. kConflict when a seq exists (nothing is
  // written); kNotFound for an unknown session; kIOError.
  virtual Status AppendEvents(const std::string& session_id,
                              const std::vector<StoredEvent>& events) = 0;
  virtual Status AddInvitations(const std::vector<InvitationRecord>& invitations) = 0;
  // Marks invitations revoked (unknown ids are ignored).
  virtual Status RevokeInvitations(const std::vector<std::string>& ids) = 0;

  virtual Result<std::vector<SessionRecord>> LoadSessions() = 0;
  // The session's events ordered by seq.
  virtual Result<std::vector<StoredEvent>> LoadEvents(const std::string& session_id) = 0;
  virtual Result<std::vector<InvitationRecord>> LoadInvitations() = 0;
};

// The in-memory fake. `fail_writes` (optional, owned by the caller) makes every mutating call fail
// with kIOError while it is > 0, decrementing it each time.
std::unique_ptr<Store> MakeMemoryStore(int* fail_writes = nullptr);

// Opens (creating if needed) a SQLite database in WAL mode with synchronous=FULL.
// kIOError names the path.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_STORE_H_
