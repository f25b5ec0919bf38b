// Confidentiality is a property of one filter, Audience::Sees. This test plants unique markers in
// everything each party tells the mediator (red-line notes, reservation values and every number it
// confides, its objections and counter-proposals) and checks, over random scenarios, parties and
// agendas, that no event another party or the public may see carries any of them, and that no
// party's own action is ever visible to anyone but that party and the mediator. The mediator's
// text itself goes to every party: it is the mediator's, and no party's words reach it verbatim.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "mediation/testing.h"
#include "shuttle/generate.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

using mediation_testing::Forbid;
using mediation_testing::Require;

// Numbers written with at least six decimals: confided weights, values, reservation values.
std::set<std::string> LongNumbers(std::string_view text) {
  static const std::regex kNumber("[0-9]+\\.[0-9]{6,}");
  std::set<std::string> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kNumber); it != std::sregex_iterator();
       ++it) {
    out.insert(it->str());
  }
  return out;
}

Scenario Planted(uint64_t seed, int parties) {
  GenerateOptions g;
  g.issues = 3 + static_cast<int>(seed % 3);
  g.values = 3 + static_cast<int>(seed % 2);
  g.parties = parties;
  g.seed = seed;
  g.opposition = 0.3 + 0.1 * static_cast<double>(seed % 6);
  Scenario s = *GenerateScenario(g);
  for (int k = 0; k < parties; ++k) {
    Profile& p = s.parties[k].profile;
    p.reservation_value = 0.05 + 0.01 * k + 1.234567e-7 * static_cast<double>(seed);
    // A harmless red line with a marked note: the party's worst value on its last issue.
    int issue = g.issues - 1;
    const std::vector<double>& e = p.evaluators[issue].evaluations;
    uint32_t worst = static_cast<uint32_t>(std::min_element(e.begin(), e.end()) - e.begin());
    p.red_lines.push_back(
        Forbid(issue, {worst}, "MARKER-" + std::to_string(seed) + "-" + std::to_string(k)));
  }
  if (seed % 3 == 0) {  // A conflict, so that diagnoses are sent.
    s.parties[0].profile.red_lines.push_back(
        Require(0, {0}, "MARKER-require-" + std::to_string(seed)));
    s.parties[1].profile.red_lines.push_back(
        Forbid(0, {0}, "MARKER-forbid-" + std::to_string(seed)));
  }
  if (seed % 4 == 1) s.agenda = {{"first", {0}, false}, {"rest", {}, false}};
  if (!s.agenda.empty()) {
    for (int i = 1; i < g.issues; ++i) s.agenda[1].issues.push_back(i);
  }
  return s;
}

TEST(ConfidentialityTest, NothingSaidInCaucusReachesAnyoneElse) {
  const char* kinds[] = {"truthful", "reticent", "strategic"};
  int diagnoses = 0, runs = 0;
  for (uint64_t seed = 1; seed <= 18; ++seed) {
    const int n = seed % 5 == 0 ? 3 : 2;
    Scenario s = Planted(seed, n);
    MediationRunOptions o;
    for (int k = 0; k < n; ++k) o.parties.push_back(kinds[(seed + k) % 3]);
    o.mediation.max_visits = 40;
    Result<MediationReport> r = Mediate(s, o);
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.status().ToString();
    ++runs;
    diagnoses += r->diagnosis.has_value();
    const EventLog& log = r->log;
    // What each party said: its notes, the long numbers it confided, its objections verbatim.
    std::vector<std::set<std::string>> said(n);
    for (int k = 0; k < n; ++k) {
      for (const RedLine& line : s.parties[k].profile.red_lines) said[k].insert(line.note);
    }
    for (const Event& e : log.events()) {
      if (e.actor < 0) continue;
      ASSERT_LT(e.actor, n);
      if (e.type == EventType::kConfide) {
        for (const std::string& x : LongNumbers(log.TextOf(e))) said[e.actor].insert(x);
      }
      if (e.type == EventType::kObject) said[e.actor].insert(std::string(log.TextOf(e)));
    }
    for (const Event& e : log.events()) {
      for (int32_t viewer = kPublic; viewer < n; ++viewer) {
        if (viewer == kMediator || viewer == kSystem || !e.audience.Sees(viewer)) continue;
        if (e.actor >= 0) {
          EXPECT_EQ(e.actor, viewer) << "seed " << seed << ": party " << e.actor << "'s "
                                     << EventTypeName(e.type) << " is visible to " << viewer;
        }
        if (e.actor == viewer) continue;  // Its own words.
        std::string_view text = log.TextOf(e);
        for (int k = 0; k < n; ++k) {
          if (k == viewer) continue;
          for (const std::string& marker : said[k]) {
            if (viewer >= 0 && said[viewer].count(marker)) continue;  // It said the same itself.
            EXPECT_EQ(text.find(marker), std::string_view::npos)
                << "seed " << seed << ": " << EventTypeName(e.type) << " seen by " << viewer
                << " carries party " << k << "'s '" << marker << "'";
          }
        }
      }
    }
  }
  EXPECT_EQ(runs, 18);
  EXPECT_GT(diagnoses, 0)
      << "no run produced a diagnosis: the test would not cover diagnosis parts";
}

// The public (a viewer who is no party) sees only the start, the statements and the end.
TEST(ConfidentialityTest, ThePublicSeesOnlyStatementsAndTheOutcome) {
  Scenario s = Planted(3, 2);
  MediationRunOptions o;
  o.parties = {"truthful", "reticent"};
  Result<MediationReport> r = Mediate(s, o);
  ASSERT_TRUE(r.ok());
  for (size_t i : r->log.View(kPublic)) {
    EventType t = r->log[i].type;
    EXPECT_TRUE(t == EventType::kStart || t == EventType::kStatement ||
                t == EventType::kAgreement || t == EventType::kNoAgreement)
        << EventTypeName(t);
  }
}

}  // namespace
}  // namespace shuttle
