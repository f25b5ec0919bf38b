// The Store contract, checked on both implementations, and SQLite's durability across reopening.
#include "service/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <thread>

namespace shuttle::service_internal {
namespace {

std::string TempDb(const char* name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("shuttle_store_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return path;
}

StoredEvent MakeEvent(uint64_t seq, bool service, std::string text,
                      std::vector<uint32_t> outcome = {}) {
  StoredEvent e;
  e.seq = seq;
  e.service = service;
  e.event.type = service ? EventType::kNote : EventType::kPropose;
  e.event.audience = seq % 2 ? Audience::Caucus(1) : Audience::MediatorOnly();
  e.event.actor = service ? kPublic : kMediator;
  e.event.round = static_cast<int32_t>(seq);
  e.event.time =
      0.1 * static_cast<double>(seq) + 1e-17;  // Not a short decimal: must come back bit-exact.
  e.event.value = -1;
  e.outcome = std::move(outcome);
  e.text = std::move(text);
  e.at = 1'700'000'000 + static_cast<int64_t>(seq);
  return e;
}

SessionRecord MakeSession(const std::string& id) {
  return {id, "title " + id, "{\"scenario\": 1}", "{\"seed\": 7}", "", 1'700'000'000};
}

InvitationRecord MakeInvitation(const std::string& id, const std::string& session) {
  InvitationRecord i;
  i.id = id;
  i.session_id = session;
  i.token_hash = "hash-" + id;
  i.role = "negotiator";
  i.party = 1;
  i.label = "label " + id;
  i.batch = "open";
  i.created = 1'700'000'001;
  return i;
}

class StoreContract : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "memory") {
      store_ = MakeMemoryStore();
    } else {
      Result<std::unique_ptr<Store>> s = OpenSqliteStore(TempDb("contract.db"));
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      store_ = std::move(s).value();
    }
  }
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, KeepsEventsExactlyAndInOrder) {
  std::vector<StoredEvent> opening = {MakeEvent(0, false, "start"),
                                      MakeEvent(1, false, "", {2, 0, 1})};
  ASSERT_TRUE(store_->CreateSession(MakeSession("s1"), opening, {MakeInvitation("i1", "s1")}).ok());
  std::vector<StoredEvent> more = {MakeEvent(2, true, "note \xE2\x9C\x93"),
                                   MakeEvent(3, false, "x", {0, 0, 0})};
  ASSERT_TRUE(store_->AppendEvents("s1", more).ok());
  Result<std::vector<StoredEvent>> events = store_->LoadEvents("s1");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  std::vector<StoredEvent> expected = opening;
  expected.insert(expected.end(), more.begin(), more.end());
  ASSERT_EQ(events->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_TRUE((*events)[i] == expected[i]) << "event " << i;
}

TEST_P(StoreContract, RefusesAGapOrARepeatInSeqsAndWritesNothing) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")}, {}).ok());
  EXPECT_EQ(store_->AppendEvents("s1", {MakeEvent(2, false, "gap")}).code(), StatusCode::kConflict);
  EXPECT_EQ(
      store_->AppendEvents("s1", {MakeEvent(1, false, "ok"), MakeEvent(1, false, "again")}).code(),
      StatusCode::kConflict);
  EXPECT_EQ(store_->LoadEvents("s1")->size(), 1u);
  EXPECT_EQ(store_->AppendEvents("nope", {MakeEvent(1, false, "x")}).code(), StatusCode::kNotFound);
}

TEST_P(StoreContract, RefusesADuplicateSession) {
  ASSERT_TRUE(store_->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")}, {}).ok());
  EXPECT_EQ(store_->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")}, {}).code(),
            StatusCode::kConflict);
  EXPECT_EQ(store_->LoadSessions()->size(), 1u);
}

TEST_P(StoreContract, RevokesInvitations) {
  ASSERT_TRUE(store_
                  ->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")},
                                  {MakeInvitation("i1", "s1"), MakeInvitation("i2", "s1")})
                  .ok());
  ASSERT_TRUE(store_->RevokeInvitations({"i2", "unknown"}).ok());
  Result<std::vector<InvitationRecord>> all = store_->LoadInvitations();
  ASSERT_EQ(all->size(), 2u);
  for (const InvitationRecord& i : *all) {
    EXPECT_EQ(i.revoked, i.id == "i2");
    EXPECT_EQ(i.token_hash, "hash-" + i.id);
    EXPECT_EQ(i.party, 1);
    EXPECT_EQ(i.batch, "open");
  }
}

TEST_P(StoreContract, ConcurrentAppendsToManySessionsAllLand) {
  constexpr int kSessions = 8, kAppends = 40;
  for (int k = 0; k < kSessions; ++k) {
    const std::string id = "s" + std::to_string(k);
    ASSERT_TRUE(store_->CreateSession(MakeSession(id), {MakeEvent(0, false, "start")}, {}).ok());
  }
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int k = 0; k < kSessions; ++k) {
    threads.emplace_back([&, k] {
      const std::string id = "s" + std::to_string(k);
      for (int i = 1; i <= kAppends; ++i) {
        // One session's appends are sequential (the service holds the session's lock); a stale seq
        // from another session's batch must not disturb it.
        if (!store_->AppendEvents(id, {MakeEvent(i, i % 3 == 0, id + " " + std::to_string(i))})
                 .ok())
          ++failures;
      }
      if (k == 0 &&
          store_->AppendEvents(id, {MakeEvent(1, false, "stale")}).code() != StatusCode::kConflict)
        ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  for (int k = 0; k < kSessions; ++k) {
    const std::string id = "s" + std::to_string(k);
    Result<std::vector<StoredEvent>> events = store_->LoadEvents(id);
    ASSERT_EQ(events->size(), static_cast<size_t>(kAppends + 1)) << id;
    for (int i = 1; i <= kAppends; ++i) EXPECT_EQ((*events)[i].text, id + " " + std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(Both, StoreContract, ::testing::Values("memory", "sqlite"));

TEST(SqliteStoreTest, CommittedEventsSurviveReopening) {
  const std::string path = TempDb("reopen.db");
  {
    Result<std::unique_ptr<Store>> s = OpenSqliteStore(path);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")},
                                    {MakeInvitation("i1", "s1")})
                    .ok());
    ASSERT_TRUE((*s)->AppendEvents("s1", {MakeEvent(1, true, "kept")}).ok());
  }
  Result<std::unique_ptr<Store>> s = OpenSqliteStore(path);
  ASSERT_TRUE(s.ok());
  Result<std::vector<StoredEvent>> events = (*s)->LoadEvents("s1");
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].text, "kept");
  EXPECT_EQ((*s)->LoadSessions()->front().options_json, "{\"seed\": 7}");
}

TEST(SqliteStoreTest, NamesThePathWhenItCannotOpen) {
  Result<std::unique_ptr<Store>> s = OpenSqliteStore("/nonexistent-dir/x/y.db");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIOError);
  EXPECT_NE(s.status().message().find("/nonexistent-dir/x/y.db"), std::string::npos);
}

TEST(MemoryStoreTest, InjectedFailuresWriteNothing) {
  int fail = 1;
  std::unique_ptr<Store> store = MakeMemoryStore(&fail);
  EXPECT_EQ(store->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")}, {}).code(),
            StatusCode::kIOError);
  EXPECT_TRUE(store->LoadSessions()->empty());
  EXPECT_TRUE(store->CreateSession(MakeSession("s1"), {MakeEvent(0, false, "start")}, {}).ok());
}

}  // namespace
}  // namespace shuttle::service_internal
