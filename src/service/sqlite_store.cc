// The SQLite Store: one connection in WAL mode with synchronous=FULL, so a transaction that
// returned is on disk and survives a kill -9 or a power cut. One mutex serializes the connection;
// each mutating call is one transaction, except that concurrent AppendEvents calls share one
// (group commit: one fsync for all the sessions that are waiting).
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include "service/store.h"

namespace shuttle::service_internal {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY, title TEXT NOT NULL, scenario TEXT NOT NULL, options TEXT NOT NULL,
  opened_from TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events(
  session TEXT NOT NULL REFERENCES sessions(id), seq INTEGER NOT NULL, service INTEGER NOT NULL,
  type TEXT NOT NULL, audience TEXT NOT NULL, actor INTEGER NOT NULL, round INTEGER NOT NULL,
  time REAL NOT NULL, value INTEGER NOT NULL, outcome BLOB, text TEXT, at INTEGER NOT NULL,
  PRIMARY KEY(session, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS invitations(
  id TEXT PRIMARY KEY, session TEXT NOT NULL REFERENCES sessions(id), token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL, party INTEGER NOT NULL, label TEXT NOT NULL, batch TEXT NOT NULL,
  created INTEGER NOT NULL, revoked INTEGER NOT NULL);
)sql";

std::string AudienceText(const Audience& a) {
  switch (a.kind) {
    case AudienceKind::kPublic: return "public";
    case AudienceKind::kMediator: return "mediator";
    case AudienceKind::kCaucus: return fmt::format("caucus:{}", a.party);
  }
  return "public";
}

Result<Audience> ParseAudience(std::string_view text) {
  if (text == "public") return Audience::Public();
  if (text == "mediator") return Audience::MediatorOnly();
  if (text.substr(0, 7) == "caucus:") {
    int party = 0;
    for (char c : text.substr(7)) {
      if (c < '0' || c > '9' || party > 1'000'000)
        return Status::Corruption(fmt::format("bad audience '{}'", text));
      party = party * 10 + (c - '0');
    }
    if (text.size() > 7) return Audience::Caucus(party);
  }
  return Status::Corruption(fmt::format("bad audience '{}'", text));
}

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Text(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  std::string ColumnText(int i) {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    return p == nullptr
               ? std::string()
               : std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, i));
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close(db_); }

  Status Init() {
    SHUTTLE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));
    SHUTTLE_RETURN_IF_ERROR(Exec("PRAGMA synchronous=FULL"));
    SHUTTLE_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=ON"));
    return Exec(kSchema);
  }

  Status CreateSession(const SessionRecord& s, const std::vector<StoredEvent>& events,
                       const std::vector<InvitationRecord>& invitations) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Transaction([&]() -> Status {
      Statement st(db_,
                   "INSERT INTO sessions(id, title, scenario, options, opened_from, created) "
                   "VALUES(?,?,?,?,?,?)");
      if (!st.ok()) return Error("preparing a session insert");
      st.Text(1, s.id);
      st.Text(2, s.title);
      st.Text(3, s.scenario_json);
      st.Text(4, s.options_json);
      st.Text(5, s.opened_from);
      st.Int(6, s.created);
      int rc = sqlite3_step(st.get());
      if (rc == SQLITE_CONSTRAINT) return Status::Conflict("session " + s.id + " exists");
      if (rc != SQLITE_DONE) return Error("inserting a session");
      SHUTTLE_RETURN_IF_ERROR(InsertEvents(s.id, events));
      return InsertInvitations(invitations);
    });
  }

  // Group commit: callers queue their batches; whoever finds no commit running becomes the leader,
  // writes every queued batch in one transaction (one fsync) and wakes the others. Each batch sits
  // in its own savepoint, so a refused batch fails alone.
  Status AppendEvents(const std::string& session_id,
                      const std::vector<StoredEvent>& events) override {
    Append me{&session_id, &events, Status::Ok(), false};
    std::unique_lock<std::mutex> lock(queue_mutex_);
    queue_.push_back(&me);
    while (!me.done) {
      if (leading_) {
        queue_cv_.wait(lock);
        continue;
      }
      leading_ = true;
      std::vector<Append*> batch;
      batch.swap(queue_);
      lock.unlock();
      CommitGroup(batch);
      lock.lock();
      leading_ = false;
      for (Append* a : batch) a->done = true;
      queue_cv_.notify_all();
    }
    return me.result;
  }

  Status AddInvitations(const std::vector<InvitationRecord>& invitations) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Transaction([&]() { return InsertInvitations(invitations); });
  }

  Status RevokeInvitations(const std::vector<std::string>& ids) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return Transaction([&]() -> Status {
      for (const std::string& id : ids) {
        Statement st(db_, "UPDATE invitations SET revoked = 1 WHERE id = ?");
        if (!st.ok()) return Error("preparing a revocation");
        st.Text(1, id);
        if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("revoking an invitation");
      }
      return Status::Ok();
    });
  }

  Result<std::vector<SessionRecord>> LoadSessions() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement st(db_,
                 "SELECT id, title, scenario, options, opened_from, created FROM sessions ORDER BY "
                 "created, id");
    if (!st.ok()) return Error("preparing the session list");
    std::vector<SessionRecord> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      SessionRecord s;
      s.id = st.ColumnText(0);
      s.title = st.ColumnText(1);
      s.scenario_json = st.ColumnText(2);
      s.options_json = st.ColumnText(3);
      s.opened_from = st.ColumnText(4);
      s.created = sqlite3_column_int64(st.get(), 5);
      out.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return Error("reading sessions");
    return out;
  }

  Result<std::vector<StoredEvent>> LoadEvents(const std::string& session_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement st(db_,
                 "SELECT seq, service, type, audience, actor, round, time, value, outcome, text, "
                 "at FROM events "
                 "WHERE session = ? ORDER BY seq");
    if (!st.ok()) return Error("preparing the event list");
    st.Text(1, session_id);
    std::vector<StoredEvent> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      SHUTTLE_ASSIGN_OR_RETURN(StoredEvent e, ReadEvent(&st));
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return Error("reading events");
    return out;
  }

  Result<std::vector<InvitationRecord>> LoadInvitations() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement st(db_,
                 "SELECT id, session, token_hash, role, party, label, batch, created, revoked FROM "
                 "invitations "
                 "ORDER BY session, created, rowid");
    if (!st.ok()) return Error("preparing the invitation list");
    std::vector<InvitationRecord> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      InvitationRecord i;
      i.id = st.ColumnText(0);
      i.session_id = st.ColumnText(1);
      i.token_hash = st.ColumnText(2);
      i.role = st.ColumnText(3);
      i.party = static_cast<int32_t>(sqlite3_column_int64(st.get(), 4));
      i.label = st.ColumnText(5);
      i.batch = st.ColumnText(6);
      i.created = sqlite3_column_int64(st.get(), 7);
      i.revoked = sqlite3_column_int64(st.get(), 8) != 0;
      out.push_back(std::move(i));
    }
    if (rc != SQLITE_DONE) return Error("reading invitations");
    return out;
  }

 private:
  struct Append {
    const std::string* session_id;
    const std::vector<StoredEvent>* events;
    Status result;
    bool done = false;
  };

  void CommitGroup(const std::vector<Append*>& batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    Status s = Transaction([&]() -> Status {
      for (Append* a : batch) {
        SHUTTLE_RETURN_IF_ERROR(Exec("SAVEPOINT append"));
        a->result = AppendOne(*a->session_id, *a->events);
        SHUTTLE_RETURN_IF_ERROR(Exec(a->result.ok() ? "RELEASE append" : "ROLLBACK TO append"));
        if (!a->result.ok()) SHUTTLE_RETURN_IF_ERROR(Exec("RELEASE append"));
      }
      return Status::Ok();
    });
    if (!s.ok()) {
      for (Append* a : batch) a->result = s;
    }
  }

  Status AppendOne(const std::string& session_id, const std::vector<StoredEvent>& events) {
    Statement st(db_, "SELECT COUNT(*), COALESCE(MAX(seq) + 1, 0) FROM events WHERE session = ?");
    if (!st.ok()) return Error("preparing an event count");
    st.Text(1, session_id);
    if (sqlite3_step(st.get()) != SQLITE_ROW) return Error("counting events");
    if (sqlite3_column_int64(st.get(), 0) == 0) return Status::NotFound("no session " + session_id);
    int64_t next = sqlite3_column_int64(st.get(), 1);
    for (const StoredEvent& e : events) {
      if (static_cast<int64_t>(e.seq) != next++) return Status::Conflict("event seq out of order");
    }
    return InsertEvents(session_id, events);
  }

  Status Error(const std::string& what) const {
    return Status::IOError(fmt::format("{}: {}: {}", path_, what, sqlite3_errmsg(db_)));
  }

  Status Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Status s = Status::IOError(fmt::format("{}: {}", path_, message ? message : "error"));
      sqlite3_free(message);
      return s;
    }
    return Status::Ok();
  }

  template <typename Body>
  Status Transaction(Body body) {
    SHUTTLE_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (!s.ok()) {
      Exec("ROLLBACK").ok();
      return s;
    }
    s = Exec("COMMIT");
    if (!s.ok()) Exec("ROLLBACK").ok();
    return s;
  }

  Status InsertEvents(const std::string& session_id, const std::vector<StoredEvent>& events) {
    Statement st(db_,
                 "INSERT INTO events(session, seq, service, type, audience, actor, round, time, "
                 "value, outcome, "
                 "text, at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return Error("preparing an event insert");
    for (const StoredEvent& e : events) {
      sqlite3_reset(st.get());
      sqlite3_clear_bindings(st.get());
      st.Text(1, session_id);
      st.Int(2, static_cast<int64_t>(e.seq));
      st.Int(3, e.service ? 1 : 0);
      st.Text(4, EventTypeName(e.event.type));
      st.Text(5, AudienceText(e.event.audience));
      st.Int(6, e.event.actor);
      st.Int(7, e.event.round);
      sqlite3_bind_double(st.get(), 8, e.event.time);
      st.Int(9, e.event.value);
      if (!e.outcome.empty()) {
        sqlite3_bind_blob(st.get(), 10, e.outcome.data(),
                          static_cast<int>(e.outcome.size() * sizeof(uint32_t)), SQLITE_TRANSIENT);
      }
      if (!e.text.empty()) st.Text(11, e.text);
      st.Int(12, e.at);
      int rc = sqlite3_step(st.get());
      if (rc == SQLITE_CONSTRAINT) return Status::Conflict(fmt::format("event {} exists", e.seq));
      if (rc != SQLITE_DONE) return Error("inserting an event");
    }
    return Status::Ok();
  }

  Status InsertInvitations(const std::vector<InvitationRecord>& invitations) {
    Statement st(db_,
                 "INSERT INTO invitations(id, session, token_hash, role, party, label, batch, "
                 "created, revoked) "
                 "VALUES(?,?,?,?,?,?,?,?,?)");
    if (!st.ok()) return Error("preparing an invitation insert");
    for (const InvitationRecord& i : invitations) {
      sqlite3_reset(st.get());
      st.Text(1, i.id);
      st.Text(2, i.session_id);
      st.Text(3, i.token_hash);
      st.Text(4, i.role);
      st.Int(5, i.party);
      st.Text(6, i.label);
      st.Text(7, i.batch);
      st.Int(8, i.created);
      st.Int(9, i.revoked ? 1 : 0);
      if (sqlite3_step(st.get()) != SQLITE_DONE) return Error("inserting an invitation");
    }
    return Status::Ok();
  }

  Result<StoredEvent> ReadEvent(Statement* st) {
    sqlite3_stmt* s = st->get();
    StoredEvent e;
    e.seq = static_cast<uint64_t>(sqlite3_column_int64(s, 0));
    e.service = sqlite3_column_int64(s, 1) != 0;
    Result<EventType> type = ParseEventType(st->ColumnText(2));
    if (!type.ok())
      return Status::Corruption(
          fmt::format("{}: event {}: {}", path_, e.seq, type.status().message()));
    e.event.type = *type;
    Result<Audience> audience = ParseAudience(st->ColumnText(3));
    if (!audience.ok())
      return audience.status().WithContext(fmt::format("{}: event {}", path_, e.seq));
    e.event.audience = *audience;
    e.event.actor = static_cast<int32_t>(sqlite3_column_int64(s, 4));
    e.event.round = static_cast<int32_t>(sqlite3_column_int64(s, 5));
    e.event.time = sqlite3_column_double(s, 6);
    e.event.value = static_cast<int32_t>(sqlite3_column_int64(s, 7));
    if (sqlite3_column_type(s, 8) == SQLITE_BLOB) {
      const int bytes = sqlite3_column_bytes(s, 8);
      if (bytes % sizeof(uint32_t) != 0)
        return Status::Corruption(fmt::format("{}: event {}: bad outcome", path_, e.seq));
      e.outcome.resize(bytes / sizeof(uint32_t));
      std::memcpy(e.outcome.data(), sqlite3_column_blob(s, 8), bytes);
    }
    e.text = st->ColumnText(9);
    e.at = sqlite3_column_int64(s, 10);
    return e;
  }

  std::mutex mutex_;  // The connection.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::vector<Append*> queue_;
  bool leading_ = false;
  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  // The database holds confidences: a new file is created readable by its owner only (SQLite gives
  // its -wal and -shm files the database file's mode). An existing file keeps the mode it has.
  if (int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return Status::IOError(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = Status::IOError(
        fmt::format("{}: cannot open: {}", path, db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  auto store = std::make_unique<SqliteStore>(db, path);
  SHUTTLE_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace shuttle::service_internal
