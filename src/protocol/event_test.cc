#include "shuttle/event.h"

#include <gtest/gtest.h>

#include <random>

namespace shuttle {
namespace {

TEST(EventTypeTest, NamesRoundTripAndUnknownNamesFail) {
  for (int i = 0; i <= static_cast<int>(kLastEventType); ++i) {
    EventType type = static_cast<EventType>(i);
    auto parsed = ParseEventType(EventTypeName(type));
    ASSERT_TRUE(parsed.ok()) << EventTypeName(type);
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_STREQ(EventTypeName(EventType::kNoAgreement), "no-agreement");
  auto bad = ParseEventType("ofer");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ofer"), std::string::npos);
}

TEST(EventLogTest, StoresOutcomesAndTextsOutOfLine) {
  EventLog log(3);
  const uint32_t a[] = {1, 2, 3};
  const uint32_t b[] = {4, 5, 6};
  Event e;
  e.type = EventType::kOffer;
  e.outcome = 77;  // Overwritten by Append.
  log.Append(e, a);
  log.Append(e, b, "why");
  e.type = EventType::kNote;
  log.Append(e, nullptr, "hello");
  log.Append(e);
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log.OutcomeCopy(log[0]), (Outcome{1, 2, 3}));
  EXPECT_EQ(log.OutcomeCopy(log[1]), (Outcome{4, 5, 6}));
  EXPECT_EQ(log.TextOf(log[0]), "");
  EXPECT_EQ(log.TextOf(log[1]), "why");
  EXPECT_TRUE(log.OutcomeOf(log[2]).empty());
  EXPECT_EQ(log.TextOf(log[2]), "hello");
  EXPECT_EQ(log[3].outcome, Event::kNone);
  EXPECT_EQ(log[3].text, Event::kNone);
}

TEST(EventLogTest, EqualityComparesOutcomesTextsAndTimes) {
  auto make = [](uint32_t v, const char* text, double t) {
    EventLog log(1);
    Event e;
    e.type = EventType::kOffer;
    e.time = t;
    log.Append(e, &v, text);
    return log;
  };
  EXPECT_TRUE(make(1, "x", 0.5) == make(1, "x", 0.5));
  EXPECT_FALSE(make(1, "x", 0.5) == make(2, "x", 0.5));
  EXPECT_FALSE(make(1, "x", 0.5) == make(1, "y", 0.5));
  EXPECT_FALSE(make(1, "x", 0.5) == make(1, "x", 0.5000000001));
  EventLog empty(1);
  EXPECT_FALSE(make(1, "x", 0.5) == empty);
}

TEST(AudienceTest, CaucusIsHeardByItsPartyAndTheMediatorOnly) {
  Audience caucus = Audience::Caucus(1);
  EXPECT_TRUE(caucus.Sees(1));
  EXPECT_TRUE(caucus.Sees(kMediator));
  EXPECT_FALSE(caucus.Sees(0));
  EXPECT_FALSE(caucus.Sees(2));
  EXPECT_FALSE(caucus.Sees(kPublic));
  EXPECT_TRUE(Audience::MediatorOnly().Sees(kMediator));
  EXPECT_FALSE(Audience::MediatorOnly().Sees(0));
  EXPECT_FALSE(Audience::MediatorOnly().Sees(kPublic));
  EXPECT_TRUE(Audience::Public().Sees(kPublic));
  EXPECT_TRUE(Audience::Public().Sees(3));
}

// Property over random logs: a party's view holds every public event and its own caucus events,
// in order, and nothing else; the mediator sees everything; the public sees public events only.
TEST(EventLogTest, ViewsNeverLeakAnotherPartysCaucus) {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 200; ++trial) {
    int parties = 2 + static_cast<int>(rng() % 4);
    EventLog log(2);
    size_t n = rng() % 60;
    for (size_t i = 0; i < n; ++i) {
      Event e;
      e.type = static_cast<EventType>(rng() % (static_cast<int>(kLastEventType) + 1));
      switch (rng() % 3) {
        case 0: e.audience = Audience::Public(); break;
        case 1: e.audience = Audience::Caucus(static_cast<int32_t>(rng() % parties)); break;
        default: e.audience = Audience::MediatorOnly(); break;
      }
      e.actor = static_cast<int32_t>(rng() % (parties + 2)) - 2;
      uint32_t values[2] = {static_cast<uint32_t>(rng() % 5), static_cast<uint32_t>(rng() % 5)};
      log.Append(e, rng() % 2 ? values : nullptr);
    }
    for (int32_t viewer = kPublic; viewer < parties; ++viewer) {
      if (viewer == kSystem) continue;
      std::vector<size_t> view = log.View(viewer);
      std::vector<size_t> expected;
      for (size_t i = 0; i < log.size(); ++i) {
        const Audience& a = log[i].audience;
        bool visible = a.kind == AudienceKind::kPublic || viewer == kMediator ||
                       (a.kind == AudienceKind::kCaucus && a.party == viewer);
        if (visible) expected.push_back(i);
      }
      ASSERT_EQ(view, expected) << "viewer " << viewer << " trial " << trial;
      for (size_t i : view) {
        const Audience& a = log[i].audience;
        if (viewer >= 0) {
          EXPECT_NE(a.kind, AudienceKind::kMediator);
          if (a.kind == AudienceKind::kCaucus) EXPECT_EQ(a.party, viewer);
        }
      }
    }
  }
}

}  // namespace
}  // namespace shuttle
