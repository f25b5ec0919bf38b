#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "mediation/testing.h"
#include "shuttle/analysis.h"
#include "shuttle/io.h"
#include "shuttle/log_io.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::TradeScenario;

Result<MediationReport> RunMediation(const Scenario& s, std::vector<std::string> parties,
                                     MediationOptions o = {}) {
  MediationRunOptions run;
  run.parties = std::move(parties);
  run.mediation = o;
  return Mediate(s, run);
}

Scenario Example() {
  Result<Scenario> s =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/resuming-talks.json"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Scenario{};
}

TEST(MediateTest, TruthfulPartiesReachTheNashPoint) {
  Scenario s = TradeScenario();
  s.parties[1].profile.reservation_value = 0.3;
  Result<MediationReport> r = RunMediation(s, {"truthful", "truthful"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kAgreement);
  Result<Analysis> a = Analyze(s);
  ASSERT_TRUE(a.ok() && a->nash);
  for (size_t k = 0; k < 2; ++k) EXPECT_NEAR(r->utilities[k], a->nash->utilities[k], 1e-12);
  EXPECT_EQ(r->gap_by_visit.back(), 0);
  EXPECT_GT(r->bits_disclosed[0], 0);
}

TEST(MediateTest, EveryCriterionAndEveryKindOfPartyAgreesWhenThereIsAZone) {
  for (Criterion c : {Criterion::kNash, Criterion::kKalaiSmorodinsky, Criterion::kEgalitarian,
                      Criterion::kWelfare}) {
    for (const char* kind : {"truthful", "reticent", "strategic"}) {
      MediationOptions o;
      o.criterion = c;
      Result<MediationReport> r = RunMediation(TradeScenario(), {kind, kind}, o);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->status, MediationStatus::kAgreement) << CriterionName(c) << " " << kind;
      EXPECT_LT(r->visits, 30);
    }
  }
}

// A discounted profile (u d^t): the report gives utilities at the talks' end on the visit clock,
// and a discounted party who knows the clock takes earlier what it would ask next visit, less the
// wait, so the talks end no later than with the same parties undiscounted.
TEST(MediateTest, DiscountedPartiesAreReportedOnTheClockAndDoNotTalkLonger) {
  for (int limit : {0, 20}) {
    SCOPED_TRACE(limit);
    Scenario plain = TradeScenario();
    Scenario discounted = plain;
    for (Party& p : discounted.parties) p.profile.discount = 0.5;
    MediationRunOptions o;
    o.parties = {"reticent", "reticent"};
    o.mediation.max_visits = limit;
    auto r = Mediate(discounted, o);
    auto base = Mediate(plain, o);
    ASSERT_TRUE(r.ok() && base.ok());
    ASSERT_TRUE(r->agreement.has_value());
    const double t = limit > 0 ? static_cast<double>(r->visits) / limit : 0.0;
    EXPECT_DOUBLE_EQ(r->time, t);
    for (size_t k = 0; k < 2; ++k)
      EXPECT_NEAR(r->discounted_utilities[k], r->utilities[k] * std::pow(0.5, t), 1e-12);
    if (limit == 0) {
      // No clock: the discount does not apply, and the talks are those of the plain scenario.
      EXPECT_EQ(r->visits, base->visits);
      EXPECT_EQ(r->utilities, base->utilities);
    } else {
      EXPECT_LE(r->visits, base->visits);
      EXPECT_EQ(base->discounted_utilities, base->utilities);
    }
  }
  // Where the wait rule changes the talks: the car sale with a 30-visit limit ends at the limit
  // undiscounted (30 visits), sooner with d = 0.5.
  Result<Scenario> car =
      LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/car-sale.json"});
  ASSERT_TRUE(car.ok()) << car.status().ToString();
  Scenario discounted = *car;
  for (Party& p : discounted.parties) p.profile.discount = 0.5;
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  o.mediation.max_visits = 30;
  auto plain = Mediate(*car, o);
  auto sooner = Mediate(discounted, o);
  ASSERT_TRUE(plain.ok() && sooner.ok());
  ASSERT_TRUE(plain->agreement && sooner->agreement);
  EXPECT_LT(sooner->visits, plain->visits);
}

TEST(MediateTest, SameSeedSameLogAndReplayReproducesIt) {
  Scenario s = TradeScenario();
  Result<MediationReport> a = RunMediation(s, {"reticent", "strategic"});
  Result<MediationReport> b = RunMediation(s, {"reticent", "strategic"});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->log == b->log);
  EXPECT_TRUE(ReplayMediation(s, a->log).ok()) << ReplayMediation(s, a->log).ToString();
}

TEST(MediateTest, ReRunningTheCaucusPartiesReproducesTheLog) {
  Scenario s = Example();
  Result<MediationReport> r = RunMediation(s, {"strategic", "reticent"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(ReplayMediationAgents(s, r->log).ok()) << ReplayMediationAgents(s, r->log).ToString();
  // A log whose second party moved differently is not what these parties do.
  EventLog other(s.space.issue_count());
  bool changed = false;
  for (const Event& e : r->log.events()) {
    std::string text(r->log.TextOf(e));
    if (!changed && e.actor == 1 && e.type == EventType::kObject) {
      text = R"({"issues":[{"issue":"price"}]})";
      changed = text != r->log.TextOf(e);
    }
    std::span<const uint32_t> o = r->log.OutcomeOf(e);
    other.Append(e, o.empty() ? nullptr : o.data(), text);
  }
  ASSERT_TRUE(changed);
  EXPECT_EQ(ReplayMediationAgents(s, other).code(), StatusCode::kCorruption);
}

TEST(MediateTest, ReplayDetectsATamperedLog) {
  Scenario s = TradeScenario();
  Result<MediationReport> r = RunMediation(s, {"reticent", "reticent"});
  ASSERT_TRUE(r.ok());
  // Rebuild the log with one party answer changed to a different objection.
  EventLog tampered(s.space.issue_count());
  bool changed = false;
  for (const Event& e : r->log.events()) {
    std::span<const uint32_t> o = r->log.OutcomeOf(e);
    std::string text(r->log.TextOf(e));
    if (!changed && e.type == EventType::kObject) {
      text = R"({"issues":[{"issue":"delivery"}]})";
      changed = true;
    }
    tampered.Append(e, o.empty() ? nullptr : o.data(), text);
  }
  ASSERT_TRUE(changed);
  Status replay = ReplayMediation(s, tampered);
  EXPECT_EQ(replay.code(), StatusCode::kCorruption) << replay.ToString();
  EventLog truncated(s.space.issue_count());
  EXPECT_EQ(ReplayMediation(s, truncated).code(), StatusCode::kCorruption);
}

TEST(MediateTest, EventLogFileRoundTripsAndReplays) {
  Scenario s = Example();
  Result<MediationReport> r = RunMediation(s, {"truthful", "reticent"});
  ASSERT_TRUE(r.ok());
  Result<std::string> text = WriteEventLogJson(s, r->log);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  Result<EventLogFile> file = ParseEventLogJson(*text, "run.jsonl");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->protocol, "shuttle");
  EXPECT_TRUE(file->log == r->log);
  EXPECT_TRUE(ReplayMediation(file->scenario, file->log).ok());
}

// The example: under the stated red lines there is no zone of agreement; the diagnosis names
// conflicting demands of both sides, and taking its relaxation leads to an agreement.
TEST(MediateTest, ResumingTalksImpasseThenAgreementOnceRelaxed) {
  Scenario s = Example();
  Result<MediationReport> r = RunMediation(s, {"truthful", "truthful"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kImpasse);
  EXPECT_EQ(r->end_reason, "impasse");
  ASSERT_TRUE(r->diagnosis.has_value());
  const ImpasseDiagnosis& d = *r->diagnosis;
  bool israel = false, palestinians = false;
  for (const ConflictItem& item : d.conflict) {
    israel = israel || item.party == 0;
    palestinians = palestinians || item.party == 1;
    EXPECT_EQ(item.kind, ConflictItem::Kind::kRedLine);
  }
  EXPECT_TRUE(israel && palestinians);
  ASSERT_EQ(d.relaxation.size(), 2u);  // One demand from each of the two conflicts.
  Result<Scenario> relaxed = ApplyRelaxation(s, d);
  ASSERT_TRUE(relaxed.ok()) << relaxed.status().ToString();
  Result<MediationReport> again = RunMediation(*relaxed, {"truthful", "truthful"});
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->status, MediationStatus::kAgreement);
  ASSERT_TRUE(d.formula.has_value());
  EXPECT_EQ(*again->agreement, *d.formula);  // The text the diagnosis promised.
  for (size_t k = 0; k < 2; ++k) {
    Utility u = *Utility::Compile(relaxed->space, relaxed->parties[k].profile);
    EXPECT_TRUE(u.Allows(again->agreement->data()));
    EXPECT_GE(again->utilities[k], relaxed->parties[k].profile.reservation_value);
  }
  // Deferred final-status issues stay at their placeholder.
  for (int i = 5; i < 9; ++i) EXPECT_EQ((*again->agreement)[i], 0u);
}

TEST(MediateTest, ApplyRelaxationAllowsExactlyTheDroppedValues) {
  Scenario s = Example();
  ImpasseDiagnosis d;
  ConflictItem item;
  item.party = 0;  // Israel: inferred "border reference must not be '1967 lines'".
  item.inferred = true;
  item.red_line.kind = RedLine::Kind::kForbid;
  item.red_line.issue = 1;
  item.red_line.values = {2};
  d.relaxation.push_back(item);
  Result<Scenario> r = ApplyRelaxation(s, d);
  ASSERT_TRUE(r.ok());
  Utility u = *Utility::Compile(r->space, r->parties[0].profile);
  EXPECT_TRUE(u.Allows(1, 2));
  EXPECT_FALSE(u.Allows(1, 1));  // Still forbidden: not dropped.
  d.relaxation[0].party = 7;
  EXPECT_EQ(ApplyRelaxation(s, d).status().code(), StatusCode::kInvalidArgument);
}

TEST(MediateTest, AVisitLimitIsKeptAndPutsPressureOnTheParties) {
  MediationOptions o;
  o.max_visits = 6;
  Result<MediationReport> r = RunMediation(TradeScenario(), {"reticent", "reticent"}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_LE(r->visits, 6);
  EXPECT_EQ(r->status, MediationStatus::kAgreement);
}

// Interacting issues (hyper-rectangles): a reticent party answers by its utility of whole
// outcomes, the mediator still learns from its answers, and the talks reach an agreement above
// both reservation values that replays; a party that would have to confide weights and values it
// does not have is refused, saying why.
TEST(MediateTest, ReticentPartiesWithInteractingIssuesAgree) {
  Scenario s;
  s.name = "boxes";
  std::vector<Issue> issues;
  for (int i = 0; i < 4; ++i) issues.push_back(Issue::Integer("x" + std::to_string(i), 0, 4));
  s.space = OutcomeSpace(issues);
  auto box = [](double utility, std::vector<HyperRectangle::Bound> bounds) {
    HyperRectangle r;
    r.utility = utility;
    r.bounds = std::move(bounds);
    return r;
  };
  Profile a, b;
  a.kind = b.kind = ProfileKind::kHyperRectangles;
  // A wants x0 and x1 low together, and x2 high; B wants x0 and x1 high together, and x3 low;
  // both gain from x2 and x3 in the middle band.
  a.rectangles = {box(4, {{0, 0, 1}, {1, 0, 1}}), box(3, {{2, 3, 4}}),
                  box(2, {{2, 1, 3}, {3, 1, 3}}), box(1, {{0, 0, 2}})};
  b.rectangles = {box(4, {{0, 3, 4}, {1, 3, 4}}), box(3, {{3, 0, 1}}),
                  box(2, {{2, 1, 3}, {3, 1, 3}}), box(1, {{1, 2, 4}})};
  a.max_utility = b.max_utility = 10;
  a.reservation_value = b.reservation_value = 0.2;
  s.parties = {{"A", a}, {"B", b}};
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kAgreement);
  ASSERT_TRUE(r->agreement.has_value());
  for (size_t k = 0; k < 2; ++k) EXPECT_GE(r->utilities[k], 0.2) << "party " << k;
  // The objections named issues and listed livable values: the model had something to learn.
  int listed = 0;
  for (const Event& e : r->log.events()) {
    if (e.type == EventType::kObject &&
        r->log.TextOf(e).find("could_live_with") != std::string::npos)
      ++listed;
  }
  EXPECT_GT(listed, 0);
  EXPECT_TRUE(ReplayMediation(s, r->log).ok());
  o.parties = {"truthful", "reticent"};
  Result<MediationReport> refused = Mediate(s, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("use reticent"), std::string::npos)
      << refused.status().message();
}

TEST(MediateTest, RejectsWrongPartyCounts) {
  EXPECT_EQ(RunMediation(TradeScenario(), {"truthful"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RunMediation(TradeScenario(), {"truthful", "sly"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(MediateTest, VisitsBetweenDates) {
  EXPECT_EQ(*VisitsBetween("2013-04-07", "2013-04-07", 7), 1);
  EXPECT_EQ(*VisitsBetween("2013-04-07", "2013-07-29", 7), 17);
  EXPECT_EQ(*VisitsBetween("2012-02-28", "2012-03-01", 1), 3);  // Leap year.
  EXPECT_FALSE(VisitsBetween("2013-02-29", "2013-03-01", 1).ok());
  EXPECT_FALSE(VisitsBetween("2013-07-29", "2013-04-07", 7).ok());
  EXPECT_FALSE(VisitsBetween("next week", "2013-04-07", 7).ok());
  EXPECT_FALSE(VisitsBetween("2013-04-07", "2013-04-08", 0).ok());
}

// A sample of the GENIUS corpus with reticent parties: agreement where a zone exists, close to the
// Nash product (the benchmark bench/mediation_quality_bench.cc runs the whole corpus).
TEST(MediateTest, ReticentPartiesOnGeniusDomains) {
  const std::string root = std::string(SHUTTLE_DOMAINS_DIR) + "/genius/anac";
  if (!std::filesystem::exists(root)) GTEST_SKIP() << "no GENIUS domains at " << root;
  struct Case {
    const char* folder;
    const char* files[3];
  } cases[] = {
      {"y2010/ItexvsCypress",
       {"ItexvsCypress_domain.xml", "ItexvsCypress_Cypress.xml", "ItexvsCypress_Itex.xml"}},
      {"y2011/Amsterdam", {"Amsterdam_domain.xml", "Amsterdam_party1.xml", "Amsterdam_party2.xml"}},
      {"y2013/Icecream", {"Icecream.xml", "Icecream_util1.xml", "Icecream_util2.xml"}},
  };
  int ran = 0;
  for (const Case& c : cases) {
    std::vector<std::string> paths;
    for (const char* f : c.files) paths.push_back(root + "/" + c.folder + "/" + f);
    Result<Scenario> s = LoadScenario(paths);
    if (!s.ok()) continue;  // File names differ in this copy of the corpus.
    ++ran;
    Result<Analysis> a = Analyze(*s);
    ASSERT_TRUE(a.ok() && a->nash);
    Result<MediationReport> r = RunMediation(*s, {"reticent", "reticent"});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->status, MediationStatus::kAgreement) << c.folder;
    double best = 1, got = 1;
    for (size_t k = 0; k < 2; ++k) {
      best *= a->nash->utilities[k] - a->reservation_values[k];
      got *= r->utilities[k] - a->reservation_values[k];
    }
    EXPECT_GE(got / best, 0.85) << c.folder;
    EXPECT_LT(r->visits, 30) << c.folder;
  }
  if (ran == 0) GTEST_SKIP() << "none of the sample domains found under " << root;
}

}  // namespace
}  // namespace shuttle
