#include "shuttle/tournament.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "shuttle/io.h"

namespace shuttle {
namespace {

Scenario TwoIssueScenario(const std::string& name, int parties = 2) {
  Scenario s;
  s.name = name;
  s.space = OutcomeSpace({Issue::Discrete("price", {"low", "mid", "high"}),
                          Issue::Discrete("delivery", {"slow", "fast"})});
  for (int p = 0; p < parties; ++p) {
    Party party;
    party.name = "p" + std::to_string(p);
    party.profile.weights = {0.6, 0.4};
    Evaluator price, delivery;
    price.evaluations = p % 2 == 0 ? std::vector<double>{1, 2, 3} : std::vector<double>{3, 2, 1};
    delivery.evaluations = p % 2 == 0 ? std::vector<double>{1, 2} : std::vector<double>{2, 1};
    party.profile.evaluators = {price, delivery};
    party.profile.reservation_value = 0.1 * p;
    s.parties.push_back(party);
  }
  return s;
}

// A deterministic stand-in for Negotiate(): the outcome is a function of the seed alone.
Result<NegotiationResult> FakeNegotiate(const Scenario& s, const NegotiationOptions& o) {
  NegotiationResult r;
  uint64_t seed = o.protocol_options.seed;
  if (o.agents.size() != s.parties.size()) return Status::InvalidArgument("agent count");
  if (seed % 3 != 0) r.agreement = s.space.Decode(seed % s.space.cardinality().ToU64());
  r.metrics.rounds = static_cast<int>(seed % 10) + 1;
  r.metrics.time = r.metrics.rounds / 10.0;
  return r;
}

TournamentConfig Config(int agents, bool rotate, bool self_play, int reps) {
  TournamentConfig c;
  for (int a = 0; a < agents; ++a) c.agents.push_back("agent" + std::to_string(a));
  c.scenarios = {TwoIssueScenario("alpha"), TwoIssueScenario("beta")};
  c.rotate = rotate;
  c.self_play = self_play;
  c.repetitions = reps;
  c.seed = 42;
  return c;
}

std::vector<JobResult> RunAll(const TournamentPlan& plan, TournamentRunOptions options) {
  options.negotiate = FakeNegotiate;
  CollectingSink sink;
  EXPECT_TRUE(RunTournament(plan, options, &sink).ok());
  return sink.results();
}

void ExpectSame(const std::vector<JobResult>& a, const std::vector<JobResult>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(a[i].SameOutcome(b[i])) << "job " << a[i].job;
}

TEST(TournamentPlanTest, CountsRotationsAssignmentsAndRepetitions) {
  // Per two-party scenario: rotations x ordered pairs x repetitions.
  auto full = TournamentPlan::Make(Config(3, true, true, 2));
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->job_count(), 2u * (2 * 9 * 2));
  auto no_self = TournamentPlan::Make(Config(3, true, false, 1));
  ASSERT_TRUE(no_self.ok());
  EXPECT_EQ(no_self->job_count(), 2u * (2 * 6));
  auto no_rotation = TournamentPlan::Make(Config(3, false, true, 1));
  ASSERT_TRUE(no_rotation.ok());
  EXPECT_EQ(no_rotation->job_count(), 2u * 9);
}

TEST(TournamentPlanTest, EveryAgentPlaysEveryRoleEquallyOften) {
  auto plan = TournamentPlan::Make(Config(3, true, false, 1));
  ASSERT_TRUE(plan.ok());
  std::map<std::pair<int, int>, int> slot_count;  // (agent, slot) -> jobs
  std::set<std::vector<int>> tuples;
  for (size_t j = 0; j < plan->job_count(); ++j) {
    TournamentJob job = plan->Job(j);
    EXPECT_EQ(job.index, j);
    ASSERT_EQ(job.agents.size(), 2u);
    EXPECT_NE(job.agents[0], job.agents[1]) << "self-play is off";
    for (int k = 0; k < 2; ++k) ++slot_count[{job.agents[k], k}];
    tuples.insert({job.scenario, job.rotation, job.agents[0], job.agents[1]});
  }
  EXPECT_EQ(tuples.size(), plan->job_count()) << "no job repeats another";
  for (auto& [key, count] : slot_count) EXPECT_EQ(count, 2 * 2 * 2) << "agent " << key.first;
}

TEST(TournamentPlanTest, RotationMovesEachPartyFirst) {
  auto plan = TournamentPlan::Make(Config(2, true, true, 1));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->Rotated(0, 0).parties[0].name, "p0");
  EXPECT_EQ(plan->Rotated(0, 1).parties[0].name, "p1");
  EXPECT_EQ(plan->Rotated(0, 1).parties[1].name, "p0");
  // Utilities follow the parties: p1 has reservation value 0.1.
  EXPECT_DOUBLE_EQ(plan->RotatedUtilities(0, 1)[0].reservation_value(), 0.1);
}

TEST(TournamentPlanTest, RejectsBadConfigs) {
  TournamentConfig c = Config(2, true, true, 1);
  c.agents.push_back("agent0");
  EXPECT_EQ(TournamentPlan::Make(c).status().code(), StatusCode::kInvalidArgument);
  c = Config(1, true, false, 1);
  auto single = TournamentPlan::Make(c);
  EXPECT_EQ(single.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(single.status().message().find("self-play"), std::string::npos);
  c = Config(2, true, true, 0);
  EXPECT_FALSE(TournamentPlan::Make(c).ok());
}

TEST(TournamentRunTest, AnySplitGivesTheSameResults) {
  auto plan = TournamentPlan::Make(Config(3, true, true, 2));
  ASSERT_TRUE(plan.ok());
  TournamentRunOptions serial;
  serial.threads = 1;
  std::vector<JobResult> reference = RunAll(*plan, serial);
  ASSERT_EQ(reference.size(), plan->job_count());

  TournamentRunOptions threaded;
  threaded.threads = 4;
  ExpectSame(reference, RunAll(*plan, threaded));

  std::vector<JobResult> sharded;
  for (size_t shard = 0; shard < 3; ++shard) {
    TournamentRunOptions o;
    o.shard_index = shard;
    o.shard_count = 3;
    o.threads = 2;
    for (JobResult& r : RunAll(*plan, o)) sharded.push_back(r);
  }
  std::sort(sharded.begin(), sharded.end(), [](auto& a, auto& b) { return a.job < b.job; });
  ExpectSame(reference, sharded);

  TournamentRunOptions head, tail;
  head.end = 10;
  tail.begin = 10;
  std::vector<JobResult> halves = RunAll(*plan, head);
  for (JobResult& r : RunAll(*plan, tail)) halves.push_back(r);
  ExpectSame(reference, halves);
}

TEST(TournamentRunTest, SeedsDependOnTournamentSeedAndJobOnly) {
  auto a = TournamentPlan::Make(Config(2, true, true, 1));
  TournamentConfig other = Config(2, true, true, 1);
  other.seed = 43;
  auto b = TournamentPlan::Make(other);
  ASSERT_TRUE(a.ok() && b.ok());
  std::set<uint64_t> seeds;
  for (size_t j = 0; j < a->job_count(); ++j) {
    seeds.insert(a->Job(j).seed);
    EXPECT_NE(a->Job(j).seed, b->Job(j).seed);
  }
  EXPECT_EQ(seeds.size(), a->job_count());
}

TEST(TournamentRunTest, MeasuresUtilitiesOfTheAgreementInSlotOrder) {
  auto plan = TournamentPlan::Make(Config(2, true, true, 1));
  ASSERT_TRUE(plan.ok());
  for (size_t j = 0; j < plan->job_count(); ++j) {
    JobResult r = RunJob(*plan, j, FakeNegotiate);
    TournamentJob job = plan->Job(j);
    const Scenario& s = plan->Rotated(job.scenario, job.rotation);
    ASSERT_EQ(r.utilities.size(), 2u);
    EXPECT_EQ(r.parties[0], s.parties[0].name);
    if (r.seed % 3 == 0) {
      EXPECT_FALSE(r.agreement);
      EXPECT_DOUBLE_EQ(r.utilities[0], s.parties[0].profile.reservation_value);
      EXPECT_DOUBLE_EQ(r.nash_product, 0);
    } else {
      EXPECT_TRUE(r.agreement);
      Outcome o = s.space.Decode(r.seed % 6);
      // Party p0's value of the outcome by hand: 0.6 * price/3 + 0.4 * delivery/2.
      const Profile& p = s.parties[0].profile;
      double by_hand =
          0.6 * p.evaluators[0].evaluations[o[0]] / 3 + 0.4 * p.evaluators[1].evaluations[o[1]] / 2;
      EXPECT_NEAR(r.utilities[0], by_hand, 1e-12);
    }
    EXPECT_NEAR(r.welfare, r.utilities[0] + r.utilities[1], 1e-12);
  }
}

TEST(TournamentRunTest, FailedNegotiationIsARecordedErrorNotAFailure) {
  auto plan = TournamentPlan::Make(Config(2, false, true, 1));
  ASSERT_TRUE(plan.ok());
  TournamentRunOptions o;
  o.negotiate = [](const Scenario&, const NegotiationOptions&) -> Result<NegotiationResult> {
    return Status::InvalidArgument("unknown agent 'agent0'");
  };
  CollectingSink sink;
  ASSERT_TRUE(RunTournament(*plan, o, &sink).ok());
  auto results = sink.results();
  ASSERT_EQ(results.size(), plan->job_count());
  EXPECT_NE(results[0].error.find("unknown agent"), std::string::npos);
  TournamentSummary s = Summarize(*plan, results);
  EXPECT_EQ(s.errors, plan->job_count());
  EXPECT_EQ(s.agents[0].negotiations, 0u);
}

TEST(TournamentRunTest, CancelStopsEarly) {
  auto plan = TournamentPlan::Make(Config(3, true, true, 5));
  ASSERT_TRUE(plan.ok());
  std::atomic<bool> cancel{false};
  std::atomic<int> calls{0};
  TournamentRunOptions o;
  o.threads = 1;
  o.cancel = &cancel;
  o.negotiate = [&](const Scenario& s, const NegotiationOptions& n) {
    if (++calls == 5) cancel = true;
    return FakeNegotiate(s, n);
  };
  CollectingSink sink;
  Status st = RunTournament(*plan, o, &sink);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(sink.results().size(), 5u);
}

TEST(TournamentSummaryTest, MeansAndIntervalsMatchHandComputation) {
  auto plan = TournamentPlan::Make(Config(2, false, false, 1));
  ASSERT_TRUE(plan.ok());
  // Two jobs per scenario: (agent0, agent1) and (agent1, agent0). Craft the results.
  std::vector<JobResult> results;
  double u0[] = {0.2, 0.4, 0.6, 0.8};
  for (size_t j = 0; j < plan->job_count(); ++j) {
    JobResult r;
    r.job = j;
    TournamentJob job = plan->Job(j);
    for (int a : job.agents) r.agents.push_back(plan->config().agents[a]);
    r.parties = {"p0", "p1"};
    // agent0's utility is u0[j]; agent1 gets 1 - that. Agreement in jobs 0, 1, 2 only.
    bool first = job.agents[0] == 0;
    r.utilities =
        first ? std::vector<double>{u0[j], 1 - u0[j]} : std::vector<double>{1 - u0[j], u0[j]};
    r.discounted = r.utilities;
    r.agreement = j < 3;
    r.welfare = 1;
    r.pareto_distance = j == 0 ? std::nan("") : 0.5;
    results.push_back(r);
  }
  ASSERT_EQ(results.size(), 4u);
  TournamentSummary s = Summarize(*plan, results);
  ASSERT_EQ(s.agents.size(), 2u);
  const AgentSummary& a = s.agents[0];
  EXPECT_EQ(a.negotiations, 4u);
  EXPECT_NEAR(a.utility.mean, 0.5, 1e-12);
  // sd of {0.2, 0.4, 0.6, 0.8} is sqrt(0.2/3); t(3) = 3.182; half-width = t * sd / 2.
  double half = 3.182 * std::sqrt(0.2 / 3) / 2;
  EXPECT_NEAR(a.utility.high - a.utility.mean, half, 1e-9);
  EXPECT_NEAR(a.agreement_rate.mean, 0.75, 1e-12);
  // Wilson 95% for 3 of 4: about [0.301, 0.954].
  EXPECT_NEAR(a.agreement_rate.low, 0.3006, 1e-3);
  EXPECT_NEAR(a.agreement_rate.high, 0.9544, 1e-3);
  EXPECT_EQ(a.pareto_distance.n, 3u) << "NaN distances are left out";
  EXPECT_DOUBLE_EQ(a.welfare.low, 1);
  EXPECT_NEAR(s.agents[1].utility.mean, 0.5, 1e-12);
}

TEST(TournamentFilesTest, JsonRoundTripKeepsEveryFieldAndNaN) {
  JobResult r;
  r.job = 7;
  r.scenario = "a, \"quoted\" name";
  r.agents = {"boulware:e=0.1,k=0", "tit-for-tat"};
  r.parties = {"x", "y"};
  r.agreement = true;
  r.rounds = 12;
  r.time = 0.1 + 0.2;
  r.utilities = {1.0 / 3, 2.0 / 3};
  r.discounted = {0.3, std::nan("")};
  r.pareto_distance = std::nan("");
  r.seed = UINT64_MAX - 1;
  r.error = "";
  auto back = ParseResultJson(ResultJson(r));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->SameOutcome(r));
  EXPECT_FALSE(ParseResultJson("{\"job\": 1").ok());
  std::string row = ResultCsvRow(r, 3);
  EXPECT_NE(row.find("\"boulware:e=0.1,k=0\""), std::string::npos);
  EXPECT_NE(row.find("\"a, \"\"quoted\"\" name\""), std::string::npos);
}

class TournamentWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("shuttle_tournament_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(TournamentWriterTest, ResumesAfterATornLineAndMatchesAFullRun) {
  auto plan = TournamentPlan::Make(Config(3, true, true, 1));
  ASSERT_TRUE(plan.ok());
  size_t half = plan->job_count() / 2;
  {
    auto w = TournamentWriter::Open(dir_, *plan, false);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    TournamentRunOptions o;
    o.end = half;
    o.negotiate = FakeNegotiate;
    ASSERT_TRUE(RunTournament(*plan, o, w->get()).ok());
    EXPECT_EQ((*w)->Finish().status().code(), StatusCode::kFailedPrecondition);
  }
  // A crash mid-write leaves half a line.
  std::ofstream(dir_ + "/results.jsonl", std::ios::app) << "{\"job\": 3, \"scen";
  EXPECT_EQ(TournamentWriter::Open(dir_, *plan, false).status().code(), StatusCode::kConflict);
  auto w = TournamentWriter::Open(dir_, *plan, true);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ((*w)->done_count(), half);
  TournamentRunOptions rest;
  rest.done = &(*w)->done();
  rest.negotiate = FakeNegotiate;
  EXPECT_EQ(SelectJobs(*plan, rest).size(), plan->job_count() - half);
  ASSERT_TRUE(RunTournament(*plan, rest, w->get()).ok());
  auto summary = (*w)->Finish();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  auto read = ReadTournamentResults(dir_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  std::sort(read->begin(), read->end(), [](auto& a, auto& b) { return a.job < b.job; });
  std::vector<JobResult> full = RunAll(*plan, {});
  ExpectSame(full, *read);
  EXPECT_EQ(SummaryJson(*summary), SummaryJson(Summarize(*plan, full)));
  auto csv = ReadFile(dir_ + "/results.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), static_cast<long>(plan->job_count() + 1));
}

TEST_F(TournamentWriterTest, RefusesTheFolderOfAnotherTournament) {
  auto plan = TournamentPlan::Make(Config(2, true, true, 1));
  TournamentConfig other_config = Config(2, true, true, 1);
  other_config.seed = 7;
  auto other = TournamentPlan::Make(other_config);
  ASSERT_TRUE(plan.ok() && other.ok());
  ASSERT_TRUE(TournamentWriter::Open(dir_, *plan, false).ok());
  auto w = TournamentWriter::Open(dir_, *other, true);
  EXPECT_EQ(w.status().code(), StatusCode::kConflict);
  EXPECT_NE(w.status().message().find("different tournament"), std::string::npos);
}

}  // namespace
}  // namespace shuttle
