#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "shuttle/io.h"
#include "shuttle/negotiate.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

Scenario CarSale() {
  Result<Scenario> s = LoadScenario({std::string(SHUTTLE_SOURCE_DIR) + "/examples/car-sale.json"});
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

// Offers its best outcome (found once, by enumeration of the small space), and counts its calls.
class Stubborn final : public ProposingAgent {
 public:
  explicit Stubborn(std::atomic<int>* calls) : ProposingAgent("stubborn"), calls_(calls) {}
  Status Setup() override {
    const OutcomeSpace& space = *context().space;
    best_.assign(space.issue_count(), 0);
    double top = Utility(best_.data());
    std::vector<uint32_t> o(space.issue_count(), 0);
    for (uint64_t k = 0; k < space.cardinality().ToU64(); ++k) {
      Outcome d = space.Decode(k);
      std::copy(d.begin(), d.end(), o.begin());
      if (Utility(o.data()) > top) {
        top = Utility(o.data());
        best_ = o;
      }
    }
    return Status::Ok();
  }
  void Propose(double t, uint32_t* outcome) override {
    ++*calls_;
    std::copy(best_.begin(), best_.end(), outcome);
  }
  const std::vector<uint32_t>& best() const { return best_; }

 private:
  std::atomic<int>* calls_;
  std::vector<uint32_t> best_;
};

TEST(ProposingAgentTest, ProposesWhatItsOneMethodSays) {
  Scenario car = CarSale();
  std::atomic<int> calls{0};
  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<Stubborn>(&calls));
  Result<std::unique_ptr<Agent>> other = MakeAgent("conceder");
  ASSERT_TRUE(other.ok());
  agents.push_back(std::move(other).value());
  NegotiationOptions o;
  o.agents = {"stubborn", "conceder"};
  o.protocol_options.rounds = 200;
  Result<NegotiationResult> r = Negotiate(car, o, std::move(agents));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(calls.load(), 0);
  // Every offer party 0 made is its one proposal.
  std::vector<std::vector<uint32_t>> offers;
  for (const Event& e : r->log.events()) {
    if (e.actor != 0 || e.type != EventType::kOffer) continue;
    std::span<const uint32_t> offered = r->log.OutcomeOf(e);
    offers.emplace_back(offered.begin(), offered.end());
  }
  ASSERT_FALSE(offers.empty());
  for (const auto& offer : offers) EXPECT_EQ(offer, offers.front());
  // It never accepts less than its own proposal is worth to it (its best): any agreement is that.
  if (r->agreement)
    EXPECT_EQ(std::vector<uint32_t>(r->agreement->begin(), r->agreement->end()), offers.front());
}

TEST(ProposingAgentTest, RegisteredAgentsAreMadeByNameAndListed) {
  std::atomic<int> calls{0};
  ASSERT_TRUE(
      RegisterAgent("stubborn-test", [&calls](std::string_view) -> Result<std::unique_ptr<Agent>> {
        return std::unique_ptr<Agent>(std::make_unique<Stubborn>(&calls));
      }).ok());
  std::vector<std::string> names = AgentNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "stubborn-test"), names.end());
  EXPECT_EQ(names.front(), "boulware");  // Built-ins first.
  Result<std::unique_ptr<Agent>> a = MakeAgent("stubborn-test");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ((*a)->name(), "stubborn");
  // Replayable by name: the log records the spec, and ReplayAgents re-makes it.
  NegotiationOptions o;
  o.agents = {"stubborn-test", "boulware"};
  o.protocol_options.rounds = 100;
  Result<NegotiationResult> r = Negotiate(CarSale(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(ReplayAgents(CarSale(), r->log).ok());

  EXPECT_EQ(RegisterAgent("boulware", nullptr).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RegisterAgent("two words",
                          [](std::string_view) -> Result<std::unique_ptr<Agent>> {
                            return Status::InvalidArgument("unused");
                          })
                .code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(RegisterAgent("failing-test", [](std::string_view) -> Result<std::unique_ptr<Agent>> {
                return Status::InvalidArgument("no such thing");
              }).ok());
  Result<std::unique_ptr<Agent>> failing = MakeAgent("failing-test");
  ASSERT_FALSE(failing.ok());
  EXPECT_NE(failing.status().message().find("agent 'failing-test'"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
