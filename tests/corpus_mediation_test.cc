// The engine's mediator on corpus domains (../shared/domains/genius) where, with parties who
// confide nothing, the first agreement is not on the frontier: after it, the mediator's search for
// an improvement every party accepts recovers Nash product, and no party ends worse off than at the
// first agreement. Skipped, with a message, where the corpus is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "shuttle/analysis.h"
#include "shuttle/io.h"
#include "shuttle/mediation.h"

namespace shuttle {
namespace {

namespace fs = std::filesystem;

struct CorpusDomain {
  const char* folder;
  std::vector<const char*> files;  // Domain first, then the two profiles.
};

TEST(CorpusMediationTest, AfterAgreementTheImprovementRecoversNashProduct) {
  const fs::path root = fs::path(SHUTTLE_DOMAINS_DIR) / "genius";
  if (!fs::exists(root / "index.json"))
    GTEST_SKIP() << "corpus not found at " << root << "; skipping the corpus mediation test";
  const std::vector<CorpusDomain> domains = {
      {"other/thompson",
       {"thompson_employment.xml", "thompson_employee_utilityspace.xml",
        "thompson_employer_utilityspace.xml"}},
      {"anac/y2012/FitnessB",
       {"Fitness-B-domain.xml", "Fitness-B-prof1.xml", "Fitness-B-prof2.xml"}},
  };
  for (const CorpusDomain& d : domains) {
    SCOPED_TRACE(d.folder);
    std::vector<std::string> paths;
    for (const char* f : d.files) paths.push_back((root / d.folder / f).string());
    Result<Scenario> scenario = LoadScenario(paths);
    ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
    std::vector<Utility> u;
    std::vector<double> rv;
    for (const Party& p : scenario->parties) {
      Result<Utility> c = Utility::Compile(scenario->space, p.profile);
      ASSERT_TRUE(c.ok());
      rv.push_back(c->reservation_value());
      u.push_back(*std::move(c));
    }
    auto nash_product = [&](const std::vector<double>& x) {
      return (x[0] - rv[0]) * (x[1] - rv[1]);
    };
    auto utilities = [&](const Outcome& o) {
      return std::vector<double>{u[0].Evaluate(o), u[1].Evaluate(o)};
    };
    MediationRunOptions o;
    o.parties = {"reticent", "reticent"};
    Result<MediationReport> r = Mediate(*scenario, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->agreement.has_value());
    std::optional<Outcome> first;
    for (const Event& e : r->log.events()) {
      if (e.type == EventType::kAdopt) {
        std::span<const uint32_t> x = r->log.OutcomeOf(e);
        first = Outcome(x.begin(), x.end());
        break;
      }
    }
    ASSERT_TRUE(first.has_value());
    const std::vector<double> before = utilities(*first), after = utilities(*r->agreement);
    for (size_t k = 0; k < 2; ++k) EXPECT_GE(after[k], before[k]) << "party " << k;
    EXPECT_GT(nash_product(after), nash_product(before));
    // The second time with the search off: the talks end on the first agreement.
    o.mediation.improve_visits = 0;
    Result<MediationReport> plain = Mediate(*scenario, o);
    ASSERT_TRUE(plain.ok() && plain->agreement.has_value());
    EXPECT_EQ(*plain->agreement, *first);
  }
}

// The ANAC 2014 10-issue domain (hyper-rectangle profiles, 10^10 outcomes): its frontier is exact
// and reticent parties reach an agreement through the mediator, above both reservation values.
TEST(CorpusMediationTest, TheAnac2014TenIssueDomainIsMediated) {
  const fs::path folder = fs::path(SHUTTLE_DOMAINS_DIR) / "genius/anac/y2014/10issueswithRV";
  if (!fs::exists(folder))
    GTEST_SKIP() << "corpus not found at " << folder << "; skipping the ANAC 2014 mediation test";
  Result<Scenario> scenario =
      LoadScenario({(folder / "10issueswithRV-domain.xml").string(),
                    (folder / "profile-1.xml").string(), (folder / "profile-2.xml").string()});
  ASSERT_TRUE(scenario.ok()) << scenario.status().ToString();
  Result<Analysis> analysis = Analyze(*scenario);
  ASSERT_TRUE(analysis.ok());
  EXPECT_TRUE(analysis->pareto.exact);
  MediationRunOptions o;
  o.parties = {"reticent", "reticent"};
  Result<MediationReport> r = Mediate(*scenario, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, MediationStatus::kAgreement);
  for (size_t k = 0; k < 2; ++k)
    EXPECT_GE(r->utilities[k], analysis->reservation_values[k]) << "party " << k;
  EXPECT_TRUE(ReplayMediation(*scenario, r->log).ok());
}

}  // namespace
}  // namespace shuttle
