// Loads every domain of the GENIUS corpus (../shared/domains/genius/index.json) with all its
// profiles and checks the issue and outcome counts the index records. Failures are collected and
// reported together, one line per row, with the paths.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "shuttle/io.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

fs::path CorpusDir() { return fs::path(SHUTTLE_DOMAINS_DIR) / "genius"; }

// Rows where the index or the files themselves are wrong, each checked for the right outcome.
struct Erratum {
  const char* folder;
  const char* domain_file;
  // A profile ("*": every profile) that cannot be read with its meaning: loading it must fail with
  // `code` and a message containing `cause`; the domain with every other profile must load.
  const char* bad_profile;
  StatusCode code;
  const char* cause;
  // When >= 0, the true issue count (the index's count is wrong).
  int issues;
};

constexpr Erratum kErrata[] = {
    // The index counted the <issue> elements of 167 <bid> examples after the domain; it has 5.
    {"genius-templates/backup", "ABMP_car_domain_template.xml", nullptr, StatusCode::kOk, "", 5},
    // car_dealer.xml gives Price (type="price") a weight but no evaluator; GENIUS cannot evaluate
    // it either (only the ABMP agent's similarity function mentions it).
    {"genius-templates/2nd_hand_car", "car_domain.xml", "car_dealer.xml",
     StatusCode::kInvalidArgument, "real issue 'Price' has no <evaluator>", -1},
    // Two of Railway's five constraint profiles (ConstraintUtilitySpace) GENIUS itself cannot load:
    // MinisterProfile.xml ranks items without a value attribute (GENIUS looks ranks up by value,
    // and issue 6 ranks 4 of its 5 values) and has no <constraints>; its copy says rating for
    // rank, has an <issue> without index, constraints without type, types GENIUS does not know,
    // and comments GENIUS's XML parser rejects. NS, ProRail and Minister load.
    {"genius-templates/Railway", "Railway.xml", "MinisterProfile.xml", StatusCode::kInvalidArgument,
     "<item> has no 'value' attribute", -1},
    {"genius-templates/Railway", "Railway.xml", "Copy of MinisterProfile.xml",
     StatusCode::kInvalidArgument, "<item> has no 'rank' attribute", -1},
    // Laptop-C-prof2.xml belongs to the flattened one-issue LaptopConv1D domain (27 values
    // "0".."26").
    {"negmas-tests/data/LaptopConv", "Laptop-C-domain.xml", "Laptop-C-prof2.xml",
     StatusCode::kInvalidArgument, "none of its 27 items", -1},
    {"negmas-tests/package/tests/data/LaptopConv", "Laptop-C-domain.xml", "Laptop-C-prof2.xml",
     StatusCode::kInvalidArgument, "none of its 27 items", -1},
};

// The row's errata in table order (several when a row has several bad profiles).
std::vector<const Erratum*> FindErrata(const nlohmann::json& row) {
  std::vector<const Erratum*> found;
  for (const Erratum& e : kErrata) {
    if (row["folder"] == e.folder && row["domain_file"] == e.domain_file) found.push_back(&e);
  }
  return found;
}

// "" when the space's size agrees with the index: an exact integer, a float (1e+30) to 1e-12
// relative, "inf" for a real issue; "nan" (the index could not count) accepts anything.
std::string CompareOutcomes(const nlohmann::json& expected, const OutcomeSpace& space) {
  std::string actual = space.finite() ? space.cardinality().ToString() : "inf";
  bool same = true;
  if (expected.is_string()) {
    same = expected == "nan" || expected == actual;
  } else if (expected.is_number_integer()) {
    same = expected.dump() == actual;
  } else if (expected.is_number()) {
    double e = expected.get<double>();
    same = space.finite() && std::fabs(space.cardinality().ToDouble() - e) <= 1e-12 * e;
  }
  return same ? "" : fmt::format(" {} outcomes, index says {};", actual, expected.dump());
}

std::vector<std::string> RowPaths(const nlohmann::json& row, const char* except = nullptr) {
  fs::path folder = CorpusDir() / row["folder"].get<std::string>();
  std::vector<std::string> paths{(folder / row["domain_file"].get<std::string>()).string()};
  for (const auto& p : row["profile_files"]) {
    if (except == nullptr || p != except) paths.push_back((folder / p.get<std::string>()).string());
  }
  return paths;
}

bool RefusedAsExpected(const Status& status, const Erratum& e) {
  return !status.ok() && status.code() == e.code &&
         status.message().find(e.cause) != std::string::npos;
}

// The erratum that names this profile file ("*" names every one), or null.
const Erratum* BadProfile(const std::vector<const Erratum*>& bad, const std::string& path) {
  for (const Erratum* e : bad) {
    if (std::string(e->bad_profile) == "*" || fs::path(path).filename() == e->bad_profile) return e;
  }
  return nullptr;
}

// A row whose bad profiles must each be refused clearly (the whole row with one of their causes),
// while the domain loads alone and with each good profile.
std::string CheckRefusal(const nlohmann::json& row, const std::vector<const Erratum*>& bad) {
  std::vector<std::string> paths = RowPaths(row);
  Result<Scenario> all = LoadScenario(paths);
  auto refused = [&](const Erratum* e) { return RefusedAsExpected(all.status(), *e); };
  if (std::none_of(bad.begin(), bad.end(), refused)) {
    return fmt::format(" expected a refusal ({}), got: {};", bad[0]->cause,
                       all.status().ToString());
  }
  if (Result<Scenario> alone = LoadScenario({paths[0]}); !alone.ok()) {
    return " the domain alone: " + alone.status().ToString();
  }
  std::string problems;
  for (size_t k = 1; k < paths.size(); ++k) {
    const Erratum* e = BadProfile(bad, paths[k]);
    Result<Scenario> one = LoadScenario({paths[0], paths[k]});
    if (e != nullptr && !RefusedAsExpected(one.status(), *e)) {
      problems +=
          fmt::format(" {} not refused as expected: {};", paths[k], one.status().ToString());
    } else if (e == nullptr && !one.ok()) {
      problems += " " + one.status().ToString() + ";";
    } else if (e == nullptr) {
      Status valid = one->parties[0].profile.Validate(one->space);
      if (!valid.ok()) problems += fmt::format(" {}: {};", paths[k], valid.ToString());
    }
  }
  return problems;
}

// The index tags a row's profiles with "discount=d" (0 < d < 1), "rv=r" (r > 0),
// "nonlinear-hyperrectangle" and "linear-additive"; the parties must carry exactly those. GeniusWeb
// reservations are bids, which the index does not evaluate (fitness1.json's bid is worth 0.198).
std::string CompareProfileKinds(const nlohmann::json& kinds, const std::vector<Party>& parties,
                                bool bid_rv) {
  std::set<std::string> expected, actual;
  for (const auto& k : kinds) expected.insert(k.get<std::string>());
  for (const Party& party : parties) {
    const Profile& p = party.profile;
    switch (p.kind) {
      case ProfileKind::kLinearAdditive: actual.insert("linear-additive"); break;
      case ProfileKind::kHyperRectangles: actual.insert("nonlinear-hyperrectangle"); break;
      case ProfileKind::kConstraint: actual.insert("constraint-based"); break;
    }
    if (p.discount > 0 && p.discount < 1) actual.insert(fmt::format("discount={:g}", p.discount));
    if (p.reservation_value > 0 && !bid_rv)
      actual.insert(fmt::format("rv={:g}", p.reservation_value));
  }
  if (expected == actual) return "";
  return fmt::format(" profile kinds {}, index says {};", fmt::join(actual, " "),
                     fmt::join(expected, " "));
}

// Checks one row; returns "" or what went wrong.
std::string CheckRow(const nlohmann::json& row) {
  std::vector<const Erratum*> errata = FindErrata(row), bad;
  std::copy_if(errata.begin(), errata.end(), std::back_inserter(bad),
               [](const Erratum* e) { return e->bad_profile != nullptr; });
  if (!bad.empty()) return CheckRefusal(row, bad);
  const Erratum* erratum = errata.empty() ? nullptr : errata[0];
  Result<Scenario> scenario = LoadScenario(RowPaths(row));
  if (!scenario.ok()) return scenario.status().ToString();
  const OutcomeSpace& space = scenario->space;
  std::string problems;
  size_t issues = erratum != nullptr ? erratum->issues : row["n_issues"].get<size_t>();
  if (space.issue_count() != issues) {
    problems += fmt::format(" {} issues, index says {};", space.issue_count(), issues);
  }
  problems += CompareOutcomes(row["n_outcomes"], space);
  if (scenario->parties.size() != row["profile_files"].size()) {
    problems += fmt::format(" {} parties for {} profile files;", scenario->parties.size(),
                            row["profile_files"].size());
  }
  problems += CompareProfileKinds(row["profile_kinds"], scenario->parties,
                                  row["format"] == "geniusweb-json");
  for (const Party& party : scenario->parties) {
    Status valid = party.profile.Validate(space);
    if (!valid.ok()) problems += fmt::format(" party '{}': {};", party.name, valid.ToString());
  }
  return problems;
}

TEST(CorpusLoadTest, LoadsEveryDomainWithItsProfiles) {
  fs::path index_path = CorpusDir() / "index.json";
  if (!fs::exists(index_path)) GTEST_SKIP() << "GENIUS corpus not found at " << index_path;
  Result<std::string> text = ReadFile(index_path.string());
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  nlohmann::json index = nlohmann::json::parse(*text);
  const nlohmann::json& rows = index["rows"];
  ASSERT_GT(rows.size(), 300u);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> failures;
  for (const nlohmann::json& row : rows) {
    std::string problem = CheckRow(row);
    if (!problem.empty()) {
      failures.push_back(fmt::format("{}/{}: {}", row["folder"].get<std::string>(),
                                     row["domain_file"].get<std::string>(), problem));
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string report;
  for (const std::string& f : failures) report += "\n  " + f;
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << rows.size()
                                << " rows failed:" << report;
  RecordProperty("rows", static_cast<int>(rows.size()));
  RecordProperty("seconds", std::to_string(seconds));
}

// Largest sum of box utilities over all outcomes, by depth-first search over issue values that
// drops a branch once the boxes still reachable cannot beat the best sum found.
double MaxBoxSum(const OutcomeSpace& space, const Utility& u) {
  const auto& boxes = u.boxes();
  std::vector<std::vector<std::pair<size_t, std::pair<uint32_t, uint32_t>>>> bounds_of(
      space.issue_count());
  for (size_t b = 0; b < boxes.size(); ++b) {
    for (const auto& [issue, range] : boxes[b].bounds) bounds_of[issue].push_back({b, range});
  }
  std::vector<int> violated(boxes.size(), 0);
  double best = -HUGE_VAL, reachable = 0;
  for (const auto& box : boxes) reachable += std::max(box.utility, 0.0);
  std::function<void(size_t, double)> search = [&](size_t issue, double bound) {
    if (bound <= best) return;
    if (issue == space.issue_count()) {
      best = bound;
      return;
    }
    for (uint32_t v = 0; v < space.issue(issue).size(); ++v) {
      double next = bound;
      for (const auto& [b, r] : bounds_of[issue]) {
        if ((v < r.first || v > r.second) && violated[b]++ == 0)
          next -= std::max(boxes[b].utility, 0.0);
      }
      search(issue + 1, next);
      for (const auto& [b, r] : bounds_of[issue]) {
        if (v < r.first || v > r.second) --violated[b];
      }
    }
  };
  search(0, reachable);
  return best;
}

// GENIUS's maxutility is the best outcome's sum (its pareto.xml puts that outcome at 1.0), so the
// boxes as read, EXCLUDES turned into disjoint INCLUDES boxes, must reach exactly that sum.
TEST(CorpusLoadTest, NonlinearBoxesReachGeniusMaxUtility) {
  fs::path folder = CorpusDir() / "genius-templates/nonlinear/S-1NAGUNL-114";
  if (!fs::exists(folder)) GTEST_SKIP() << "GENIUS corpus not found at " << folder;
  Result<Scenario> s = LoadScenario(
      {(folder / "S-1NAGUNL-114-domain.xml").string(), (folder / "profile-1.xml").string()});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Profile& p = s->parties[0].profile;
  ASSERT_EQ(p.max_utility, 1316);
  Result<Utility> u = Utility::Compile(s->space, p);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(MaxBoxSum(s->space, *u), 1316);
}

// Railway's constraint profiles evaluated as GENIUS's ConstraintUtilitySpace.getUtility does, the
// expected values worked out by hand from the files: each of the 8 ranked issues adds rank / its
// highest rank, the sum is divided by 8, and constraints zero the whole or one term.
TEST(CorpusLoadTest, RailwayConstraintProfilesGiveGeniusUtilities) {
  fs::path folder = CorpusDir() / "genius-templates/Railway";
  if (!fs::exists(folder)) GTEST_SKIP() << "GENIUS corpus not found at " << folder;
  Result<Scenario> s =
      LoadScenario({(folder / "Railway.xml").string(), (folder / "NS.xml").string(),
                    (folder / "ProRail.xml").string(), (folder / "Minister.xml").string()});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->space.cardinality().ToU64(), 655360u);
  std::vector<Utility> u;
  for (const Party& p : s->parties) {
    ASSERT_EQ(p.profile.kind, ProfileKind::kConstraint) << p.name;
    Result<Utility> c = Utility::Compile(s->space, p.profile);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    u.push_back(*c);
  }
  // A: Only ProRail, blame 25/0/33, money 250/500, NS=businessAsUsual+ProRail=reorganization,
  // No deadline. No outcome constraint fires. NS ranks every value here highest. ProRail: 1/7, 1,
  // 1/4, 1/4, 1 (all its money ranks are 1), 1, 1/16, 1. Minister: its zeroConstraints on 250 with
  // 500 (and with No deadline) zero both money terms; the blame sum 58 fires nothing else:
  // 5/6, 1/4, 1/4, 1, 0, 0, 4/10, 1/4.
  Outcome a{2, 3, 0, 3, 3, 4, 3, 0};
  EXPECT_DOUBLE_EQ(u[0].Evaluate(a), 1.0);
  EXPECT_DOUBLE_EQ(u[1].Evaluate(a), (1.0 / 7 + 1 + 0.25 + 0.25 + 1 + 1 + 1.0 / 16 + 1) / 8);
  EXPECT_DOUBLE_EQ(u[2].Evaluate(a), (5.0 / 6 + 0.25 + 0.25 + 1 + 0 + 0 + 0.4 + 0.25) / 8);
  // B: money to NS -10 without an NS penalty: the conditionalZeroOutcomeConstraint zeroes all.
  Outcome b{2, 3, 0, 3, 0, 4, 3, 0};
  // C: money to NS 250 with NS=penalty: the inclusiveZeroOutcomeConstraint zeroes all.
  Outcome c{2, 3, 0, 3, 3, 4, 10, 0};
  for (const Utility& each : u) {
    EXPECT_EQ(each.Evaluate(b), 0.0);
    EXPECT_EQ(each.Evaluate(c), 0.0);
  }
  // D: -10 to NS with NS=penalty+ProRail=businessAsUsual: neither fires. NS: 1, 1, 1, 1, 1/4, 1,
  // 5/16, 1.
  Outcome d{2, 3, 0, 3, 0, 4, 8, 0};
  EXPECT_DOUBLE_EQ(u[0].Evaluate(d), (1 + 1 + 1 + 1 + 0.25 + 1 + 5.0 / 16 + 1) / 8);
}

}  // namespace
}  // namespace shuttle
