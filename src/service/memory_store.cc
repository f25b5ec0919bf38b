// The in-memory Store: the contract of store.h without a disk, for unit tests and the fuzzer.
#include <map>
#include <mutex>

#include "service/store.h"

namespace shuttle::service_internal {

bool StoredEvent::operator==(const StoredEvent& o) const {
  const Event& a = event;
  const Event& b = o.event;
  return seq == o.seq && service == o.service && a.type == b.type && a.audience == b.audience &&
         a.actor == b.actor && a.round == b.round && a.time == b.time && a.value == b.value &&
         outcome == o.outcome && text == o.text && at == o.at;
}

namespace {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(int* fail_writes) : fail_writes_(fail_writes) {}

  Status CreateSession(const SessionRecord& session, const std::vector<StoredEvent>& events,
                       const std::vector<InvitationRecord>& invitations) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SHUTTLE_RETURN_IF_ERROR(MaybeFail());
    for (const SessionRecord& s : sessions_) {
      if (s.id == session.id) return Status::Conflict("session " + session.id + " exists");
    }
    sessions_.push_back(session);
    events_[session.id] = events;
    for (const InvitationRecord& i : invitations) invitations_.push_back(i);
    return Status::Ok();
  }

  Status AppendEvents(const std::string& session_id,
                      const std::vector<StoredEvent>& events) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SHUTTLE_RETURN_IF_ERROR(MaybeFail());
    auto it = events_.find(session_id);
    if (it == events_.end()) return Status::NotFound("no session " + session_id);
    uint64_t next = it->second.size();
    for (const StoredEvent& e : events) {
      if (e.seq != next++) return Status::Conflict("event seq out of order");
    }
    it->second.insert(it->second.end(), events.begin(), events.end());
    return Status::Ok();
  }

  Status AddInvitations(const std::vector<InvitationRecord>& invitations) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SHUTTLE_RETURN_IF_ERROR(MaybeFail());
    invitations_.insert(invitations_.end(), invitations.begin(), invitations.end());
    return Status::Ok();
  }

  Status RevokeInvitations(const std::vector<std::string>& ids) override {
    std::lock_guard<std::mutex> lock(mutex_);
    SHUTTLE_RETURN_IF_ERROR(MaybeFail());
    for (InvitationRecord& i : invitations_) {
      for (const std::string& id : ids) i.revoked = i.revoked || i.id == id;
    }
    return Status::Ok();
  }

  Result<std::vector<SessionRecord>> LoadSessions() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return sessions_;
  }
  Result<std::vector<StoredEvent>> LoadEvents(const std::string& session_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = events_.find(session_id);
    if (it == events_.end()) return Status::NotFound("no session " + session_id);
    return it->second;
  }
  Result<std::vector<InvitationRecord>> LoadInvitations() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return invitations_;
  }

 private:
  Status MaybeFail() {
    if (fail_writes_ != nullptr && *fail_writes_ > 0) {
      --*fail_writes_;
      return Status::IOError("memory store: write failure injected by the test");
    }
    return Status::Ok();
  }

  std::mutex mutex_;
  int* fail_writes_;
  std::vector<SessionRecord> sessions_;
  std::map<std::string, std::vector<StoredEvent>> events_;
  std::vector<InvitationRecord> invitations_;
};

}  // namespace

std::unique_ptr<Store> MakeMemoryStore(int* fail_writes) {
  return std::make_unique<MemoryStore>(fail_writes);
}

}  // namespace shuttle::service_internal
