#include "mediation/agenda.h"

#include <gtest/gtest.h>

#include "mediation/testing.h"

namespace shuttle::mediation_internal {
namespace {

using mediation_testing::Forbid;
using mediation_testing::TradeScenario;

TEST(AgendaTest, EmptyAgendaIsOneStageWithEveryIssue) {
  Result<AgendaPlan> plan = PlanAgenda(TradeScenario().space, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->stages.size(), 1u);
  EXPECT_EQ(plan->stages[0], (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(plan->RoleAt(0, 1), Role::kOpen);
}

TEST(AgendaTest, RolesFollowTheStages) {
  std::vector<Stage> agenda = {{"a", {2}, false}, {"record", {1}, true}, {"b", {0}, false}};
  Result<AgendaPlan> plan = PlanAgenda(TradeScenario().space, agenda);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->stages.size(), 2u);
  EXPECT_EQ(plan->agenda_index, (std::vector<int>{0, 2}));
  EXPECT_EQ(plan->RoleAt(0, 2), Role::kOpen);
  EXPECT_EQ(plan->RoleAt(0, 0), Role::kLater);
  EXPECT_EQ(plan->RoleAt(0, 1), Role::kDeferred);
  EXPECT_EQ(plan->RoleAt(1, 2), Role::kSettled);
  EXPECT_EQ(plan->RoleAt(1, 0), Role::kOpen);
}

TEST(AgendaTest, RejectsIssuesMissingOrRepeatedAndAllDeferred) {
  const OutcomeSpace space = TradeScenario().space;
  EXPECT_NE(PlanAgenda(space, {{"a", {0, 1}, false}})
                .status()
                .message()
                .find("'warranty' is in no stage"),
            std::string::npos);
  EXPECT_NE(PlanAgenda(space, {{"a", {0, 1, 2}, false}, {"b", {1}, false}})
                .status()
                .message()
                .find("already"),
            std::string::npos);
  EXPECT_FALSE(PlanAgenda(space, {{"a", {0, 1, 2}, true}}).ok());
  EXPECT_FALSE(PlanAgenda(space, {{"a", {0, 1, 7}, false}}).ok());
}

TEST(AgendaTest, EffectiveUtilityIsOptimisticAboutLaterStages) {
  Scenario s = TradeScenario();
  s.parties[0].profile.red_lines.push_back(
      Forbid(0, {0}));  // The buyer's best price is off limits.
  Result<Utility> u = Utility::Compile(s.space, s.parties[0].profile);
  ASSERT_TRUE(u.ok());
  Result<Tables> t = TablesOf(s.space, *u);
  ASSERT_TRUE(t.ok());
  Result<AgendaPlan> plan = PlanAgenda(s.space, {{"a", {2}, false}, {"b", {0, 1}, false}});
  ASSERT_TRUE(plan.ok());
  const uint32_t text[] = {3, 2, 1};
  // Stage a: warranty full (0.3) + price at its best allowed (p1: 0.5 * 0.7) + delivery best (0.2).
  EXPECT_NEAR(EffectiveUtility(*t, *plan, 0, text), 0.3 + 0.35 + 0.2, 1e-12);
  EXPECT_NEAR(EffectiveIdeal(*t, *plan, 0, text), 0.3 + 0.35 + 0.2, 1e-12);
  // Stage b: the text's values count; warranty is settled.
  EXPECT_NEAR(EffectiveUtility(*t, *plan, 1, text), 0.3 + 0 + 0, 1e-12);
  EXPECT_NEAR(EffectiveIdeal(*t, *plan, 1, text), 0.3 + 0.35 + 0.2, 1e-12);
  const uint32_t forbidden[] = {0, 0, 1};
  EXPECT_TRUE(AllowsText(*t, *plan, 0, forbidden));  // Price is not on the table yet.
  EXPECT_FALSE(AllowsText(*t, *plan, 1, forbidden));
}

}  // namespace
}  // namespace shuttle::mediation_internal
