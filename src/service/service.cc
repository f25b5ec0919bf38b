// Sessions, invitations and tokens: the service's state and how it reaches the store.
#include <fmt/format.h>

#include "service/service_impl.h"
#include "service/tokens.h"
#include "shuttle/io.h"

namespace shuttle {

Result<std::unique_ptr<Service>> Service::Open(const ServiceOptions& options) {
  using service_internal::ServiceImpl;
  std::unique_ptr<service_internal::Store> store;
  if (options.db_path.empty()) {
    store = service_internal::MakeMemoryStore();
  } else {
    SHUTTLE_ASSIGN_OR_RETURN(store, service_internal::OpenSqliteStore(options.db_path));
  }
  auto service = std::make_unique<ServiceImpl>(options, std::move(store));
  SHUTTLE_RETURN_IF_ERROR(service->Load());
  return std::unique_ptr<Service>(std::move(service));
}

namespace service_internal {
namespace {

constexpr const char* kRoles[] = {"mediator", "principal", "negotiator", "adviser", "observer"};

const char* PageOf(const std::string& role) {
  if (role == "mediator") return "mediator.html";
  if (role == "observer") return "public.html";
  return "party.html";
}

Result<SessionConfig> ConfigOf(const SessionRecord& record) {
  SessionConfig c;
  c.id = record.id;
  c.title = record.title;
  c.opened_from = record.opened_from;
  c.created = record.created;
  SHUTTLE_ASSIGN_OR_RETURN(c.scenario,
                           ParseScenarioJson(record.scenario_json, "session " + record.id));
  Result<MediationOptions> o = ParseOptionsJson(record.options_json, c.scenario);
  if (!o.ok())
    return Status::Corruption(fmt::format("session {}: {}", record.id, o.status().message()));
  c.options = *o;
  return c;
}

}  // namespace

Status CheckSessionSize(const Scenario& scenario, const ServiceOptions& options) {
  uint64_t values = 0;
  for (size_t i = 0; i < scenario.space.issue_count(); ++i) {
    const Issue& issue = scenario.space.issue(i);
    const uint64_t n = issue.size();  // 0 for a real issue, which the mediator refuses by name.
    if (n > options.max_values_per_issue) {
      return Status::InvalidArgument(fmt::format(
          "scenario.issues[{}] '{}': {} values; a session takes at most {} values per issue", i,
          issue.name(), n, options.max_values_per_issue));
    }
    values += n;
  }
  const uint64_t parties = scenario.parties.size();
  if (parties > 0 && values > options.max_table_cells / parties) {
    return Status::InvalidArgument(
        fmt::format("scenario: {} values over its issues for {} parties; a session takes at most "
                    "{} values times parties",
                    values, parties, options.max_table_cells));
  }
  return Status::Ok();
}

bool IsRole(std::string_view role) {
  for (const char* r : kRoles) {
    if (role == r) return true;
  }
  return false;
}

bool IsPartyRole(std::string_view role) {
  return role == "principal" || role == "negotiator" || role == "adviser";
}

ServiceImpl::ServiceImpl(ServiceOptions options, std::unique_ptr<Store> store)
    : options_(std::move(options)),
      store_(std::move(store)),
      limiter_(options_.auth_failures_per_minute),
      public_url_(options_.public_url) {}

Status ServiceImpl::Load() {
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<SessionRecord> records, store_->LoadSessions());
  for (const SessionRecord& record : records) {
    SHUTTLE_ASSIGN_OR_RETURN(SessionConfig config, ConfigOf(record));
    // A session stored before the size limits existed must not keep the server from starting (it
    // would take its tables' memory again at every start): it is left in the store, unserved.
    if (Status size = CheckSessionSize(config.scenario, options_); !size.ok()) {
      if (options_.log)
        options_.log(fmt::format("session {} not loaded: {}", record.id, size.message()));
      continue;
    }
    SHUTTLE_ASSIGN_OR_RETURN(std::vector<StoredEvent> events, store_->LoadEvents(record.id));
    SHUTTLE_ASSIGN_OR_RETURN(std::unique_ptr<Session> session,
                             Session::Restore(std::move(config), events));
    sessions_[record.id] = std::move(session);
  }
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<InvitationRecord> invitations, store_->LoadInvitations());
  Register(invitations);
  return Status::Ok();
}

void ServiceImpl::Shutdown() {
  stopping_ = true;
  std::shared_lock lock(sessions_mutex_);
  for (auto& [id, session] : sessions_) {
    std::lock_guard<std::mutex> session_lock(session->mutex());
    session->committed().notify_all();
  }
}

bool ServiceImpl::TakeNote(const std::string& invitation, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(notes_mutex_);
  const int64_t hour = now_ms / 3'600'000;
  if (hour != notes_hour_) {
    notes_hour_ = hour;
    notes_this_hour_.clear();
  }
  int& n = notes_this_hour_[invitation];
  if (n >= options_.notes_per_hour) return false;
  ++n;
  return true;
}

int64_t ServiceImpl::NowMs() const { return clock()->UnixMillis(); }

void ServiceImpl::SetPublicUrl(const std::string& url) {
  std::unique_lock lock(url_mutex_);
  public_url_ = url;
}

size_t ServiceImpl::session_count() const {
  std::shared_lock lock(sessions_mutex_);
  return sessions_.size();
}

std::optional<Grant> ServiceImpl::Authenticate(std::string_view token) const {
  if (!LooksLikeToken(token)) return std::nullopt;
  const std::string hash = HashToken(token);
  std::shared_lock lock(grants_mutex_);
  auto h = hash_to_invitation_.find(hash);
  if (h == hash_to_invitation_.end()) return std::nullopt;
  const InvitationRecord& r = invitations_.at(h->second);
  if (r.revoked) return std::nullopt;
  return Grant{r.id, r.session_id, r.role, r.party, r.label};
}

Session* ServiceImpl::FindSession(const std::string& id) const {
  std::shared_lock lock(sessions_mutex_);
  auto it = sessions_.find(id);
  return it == sessions_.end() ? nullptr : it->second.get();
}

Status ServiceImpl::Commit(Session* session) {
  std::vector<StoredEvent> pending = session->Pending();
  if (pending.empty()) return Status::Ok();
  Status s = store_->AppendEvents(session->config().id, pending);
  if (!s.ok()) {
    session->Rollback();
    return Status::IOError(s.message());
  }
  session->MarkCommitted();
  return Status::Ok();
}

std::vector<InvitationSpec> ServiceImpl::DefaultInvitations(const Scenario& scenario) {
  std::vector<InvitationSpec> specs = {{"mediator", -1, ""}};
  for (size_t k = 0; k < scenario.parties.size(); ++k) {
    for (const char* role : {"principal", "negotiator", "adviser"})
      specs.push_back({role, static_cast<int32_t>(k), ""});
  }
  specs.push_back({"observer", -1, ""});
  return specs;
}

IssuedInvitation ServiceImpl::Issue(const SessionConfig& config, const InvitationRecord& r,
                                    const std::string& token) const {
  std::shared_lock lock(url_mutex_);
  IssuedInvitation i;
  i.id = r.id;
  i.role = r.role;
  i.party = r.party;
  if (r.party >= 0) i.party_name = config.scenario.parties[r.party].name;
  i.label = r.label;
  i.token = token;
  i.link = fmt::format("{}/{}?token={}", public_url_, PageOf(r.role), token);
  return i;
}

Result<std::vector<InvitationRecord>> ServiceImpl::MakeInvitations(
    const SessionConfig& config, const std::vector<InvitationSpec>& specs, const std::string& batch,
    std::vector<IssuedInvitation>* issued) const {
  const int parties = static_cast<int>(config.scenario.parties.size());
  std::vector<InvitationRecord> out;
  const int64_t now = NowMs() / 1000;
  for (size_t k = 0; k < specs.size(); ++k) {
    const InvitationSpec& s = specs[k];
    if (!IsRole(s.role)) {
      return Status::InvalidArgument(
          fmt::format("invitations[{}].role: unknown role '{}' (mediator, principal, "
                      "negotiator, adviser, observer)",
                      k, s.role));
    }
    if (IsPartyRole(s.role) != (s.party >= 0)) {
      return Status::InvalidArgument(fmt::format(
          "invitations[{}].party: {}", k,
          s.party >= 0 ? "only party roles have a party" : "required for a party role"));
    }
    if (s.party >= parties)
      return Status::InvalidArgument(fmt::format("invitations[{}].party: no party {}", k, s.party));
    InvitationRecord r;
    r.id = NewId();
    r.session_id = config.id;
    const std::string token = NewToken();
    r.token_hash = HashToken(token);
    r.role = s.role;
    r.party = s.party;
    r.label = !s.label.empty() ? s.label
              : s.party >= 0   ? fmt::format("{} {}", config.scenario.parties[s.party].name, s.role)
                               : s.role;
    r.batch = batch;
    r.created = now;
    issued->push_back(Issue(config, r, token));
    out.push_back(std::move(r));
  }
  return out;
}

void ServiceImpl::Register(const std::vector<InvitationRecord>& records) {
  std::unique_lock lock(grants_mutex_);
  for (const InvitationRecord& r : records) {
    hash_to_invitation_[r.token_hash] = r.id;
    invitations_[r.id] = r;
  }
}

Result<OpenedSession> ServiceImpl::CreateSession(SessionConfig config,
                                                 const std::vector<InvitationSpec>& specs,
                                                 const std::string& batch) {
  if (config.scenario.parties.size() < 2)
    return Status::InvalidArgument("scenario: a mediation needs at least two parties");
  // A continuous price is mediated on its grid; the session stores the gridded scenario, so the
  // grid is the session's from then on.
  SHUTTLE_ASSIGN_OR_RETURN(config.scenario, OnMediationGrid(config.scenario, nullptr));
  for (const Party& p : config.scenario.parties) {
    // The rooms and the caucus texts speak of weights and values: additive profiles only.
    if (p.profile.kind != ProfileKind::kLinearAdditive) {
      return Status::InvalidArgument("scenario: party '" + p.name +
                                     "': the mediator takes linear additive profiles only");
    }
  }
  SHUTTLE_RETURN_IF_ERROR(CheckSessionSize(config.scenario, options_));
  config.id = NewId();
  const int64_t now = NowMs() / 1000;
  config.created = now;
  Result<std::unique_ptr<Session>> made = Session::Create(config, now);
  if (!made.ok()) return Status::InvalidArgument(made.status().message());
  std::unique_ptr<Session> session = std::move(made).value();
  OpenedSession opened;
  opened.session_id = config.id;
  opened.created = true;
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<InvitationRecord> records,
                           MakeInvitations(session->config(), specs, batch, &opened.invitations));
  SessionRecord record;
  record.id = config.id;
  record.title = config.title;
  record.scenario_json = WriteScenarioJson(config.scenario);
  record.options_json = OptionsJson(config.options);
  record.opened_from = config.opened_from;
  record.created = now;
  Status stored = store_->CreateSession(record, session->Pending(), records);
  if (!stored.ok()) return Status::IOError(stored.message());
  session->MarkCommitted();
  {
    std::unique_lock lock(sessions_mutex_);
    sessions_[config.id] = std::move(session);
  }
  Register(records);
  return opened;
}

Result<std::vector<IssuedInvitation>> ServiceImpl::Invite(const SessionConfig& config,
                                                          const std::vector<InvitationSpec>& specs,
                                                          const std::string& batch) {
  std::vector<IssuedInvitation> issued;
  SHUTTLE_ASSIGN_OR_RETURN(std::vector<InvitationRecord> records,
                           MakeInvitations(config, specs, batch, &issued));
  Status stored = store_->AddInvitations(records);
  if (!stored.ok()) return Status::IOError(stored.message());
  Register(records);
  return issued;
}

Result<InvitationRecord> ServiceImpl::Revoke(const std::string& session_id,
                                             const std::string& invitation_id) {
  {
    std::shared_lock lock(grants_mutex_);
    auto it = invitations_.find(invitation_id);
    if (it == invitations_.end() || it->second.session_id != session_id)
      return Status::NotFound("not found");
  }
  Status stored = store_->RevokeInvitations({invitation_id});
  if (!stored.ok()) return Status::IOError(stored.message());
  std::unique_lock lock(grants_mutex_);
  InvitationRecord& r = invitations_.at(invitation_id);
  r.revoked = true;
  return r;
}

std::vector<InvitationRecord> ServiceImpl::Invitations(const std::string& session_id) const {
  std::shared_lock lock(grants_mutex_);
  std::vector<InvitationRecord> out;
  for (const auto& [id, r] : invitations_) {
    if (r.session_id == session_id) out.push_back(r);
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const InvitationRecord& a, const InvitationRecord& b) { return a.created < b.created; });
  return out;
}

Result<OpenedSession> ServiceImpl::OpenScenario(std::string_view scenario_json,
                                                const std::string& source,
                                                std::string_view options_json) {
  // The scenario's text alone names the session opened without options (as before they existed).
  const std::string hash =
      options_json.empty()
          ? HashText(scenario_json)
          : HashText(std::string(scenario_json) + "\noptions " + std::string(options_json));
  std::string existing;
  {
    std::shared_lock lock(sessions_mutex_);
    for (const auto& [id, s] : sessions_) {
      if (s->config().opened_from == hash) existing = id;
    }
  }
  if (existing.empty()) {
    SessionConfig config;
    SHUTTLE_ASSIGN_OR_RETURN(config.scenario, ParseScenarioJson(scenario_json, source));
    if (!options_json.empty()) {
      Result<MediationOptions> o = ParseOptionsJson(options_json, config.scenario);
      if (!o.ok()) return o.status().WithContext(source);
      config.options = *std::move(o);
    }
    config.title = config.scenario.name;
    config.opened_from = hash;
    const std::vector<InvitationSpec> specs = DefaultInvitations(config.scenario);
    Result<OpenedSession> made = CreateSession(std::move(config), specs, "open");
    if (!made.ok()) return made.status().WithContext(source);
    return made;
  }
  std::vector<std::string> old;
  for (const InvitationRecord& r : Invitations(existing)) {
    if (r.batch == "open" && !r.revoked) old.push_back(r.id);
  }
  for (const std::string& id : old) SHUTTLE_RETURN_IF_ERROR(Revoke(existing, id).status());
  const Session* session = FindSession(existing);
  OpenedSession opened;
  opened.session_id = existing;
  SHUTTLE_ASSIGN_OR_RETURN(
      opened.invitations,
      Invite(session->config(), DefaultInvitations(session->config().scenario), "open"));
  return opened;
}

}  // namespace service_internal
}  // namespace shuttle
