// Automated parties: index building (Init) and the cost of one move, with allocations counted
// per move (the counter replaces operator new in this binary only; it should read 0).
#include <benchmark/benchmark.h>

#include <random>

#include "core/count_allocations.h"
#include "shuttle/scenario.h"
#include "shuttle/strategy.h"

namespace shuttle {
namespace {

// `issues` discrete issues of `values` values; random linear preferences.
struct Setup {
  Setup(int issues, int values, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<Issue> list;
    for (int i = 0; i < issues; ++i) {
      std::vector<std::string> labels;
      for (int v = 0; v < values; ++v) labels.push_back(std::to_string(v));
      list.push_back(Issue::Discrete("i" + std::to_string(i), labels));
    }
    space = OutcomeSpace(list);
    Profile p;
    for (int i = 0; i < issues; ++i) {
      p.weights.push_back(1.0 / issues);
      Evaluator e;
      for (int v = 0; v < values; ++v) e.evaluations.push_back(unit(rng));
      p.evaluators.push_back(e);
    }
    utility = Utility::Compile(space, p).value();
  }
  std::unique_ptr<Agent> Make(const char* spec) {
    auto agent = MakeAgent(spec);
    if (!agent.ok()) std::abort();
    AgentContext c{&space, &utility, 0, 2, &options, 1};
    if (!(*agent)->Init(c).ok()) std::abort();
    return std::move(agent).value();
  }
  OutcomeSpace space;
  Utility utility;
  ProtocolOptions options;
};

// Init on spaces of 10^4, 10^6 (indexed in full) and 10^30 outcomes (candidate set).
void BM_Init(benchmark::State& state) {
  Setup s(static_cast<int>(state.range(0)), 10, 1);
  for (auto _ : state) benchmark::DoNotOptimize(s.Make("boulware"));
}
BENCHMARK(BM_Init)->Arg(4)->Arg(6)->Arg(30)->Unit(benchmark::kMillisecond);

// One SAO response (accept or counter-offer) at a fresh time each move.
void BM_Respond(benchmark::State& state, const char* spec) {
  Setup s(static_cast<int>(state.range(0)), 10, 2);
  auto agent = s.Make(spec);
  EventLog log(s.space.issue_count());
  log.Reserve(1 << 16);
  std::vector<uint32_t> standing(s.space.issue_count(), 0), scratch(s.space.issue_count(), 0);
  Event offer;
  offer.type = EventType::kOffer;
  offer.actor = 1;
  for (int i = 0; i < 16; ++i) log.Append(offer, standing.data());
  Turn turn;
  turn.kind = Turn::Kind::kRespond;
  turn.standing = standing.data();
  long moves = 0;
  const long before = count_allocations::Count();
  for (auto _ : state) {
    const double t = static_cast<double>(moves % 1000) / 1000;
    standing[moves % standing.size()] = static_cast<uint32_t>(moves % 10);
    agent->Observe(log, log[moves % 16]);
    Action action;
    agent->Act(turn, t, &action, scratch.data());
    benchmark::DoNotOptimize(action);
    ++moves;
  }
  state.counters["allocs_per_move"] = static_cast<double>(count_allocations::Count() - before) /
                                      static_cast<double>(std::max(1L, moves));
}
BENCHMARK_CAPTURE(BM_Respond, boulware, "boulware")->Arg(6)->Arg(30);
BENCHMARK_CAPTURE(BM_Respond, tit_for_tat, "tit-for-tat")->Arg(6)->Arg(30);
BENCHMARK_CAPTURE(BM_Respond, random, "random")->Arg(6)->Arg(30);
BENCHMARK_CAPTURE(BM_Respond, hardheaded, "hardheaded")->Arg(6)->Arg(30);

// One vote in single text (annealer) and one feedback answer.
void BM_Vote(benchmark::State& state) {
  Setup s(6, 10, 3);
  auto agent = s.Make("annealer");
  std::vector<uint32_t> a(6, 1), b(6, 2), scratch(6, 0);
  Turn turn;
  turn.kind = Turn::Kind::kVote;
  turn.standing = a.data();
  turn.reference = b.data();
  long moves = 0;
  const long before = count_allocations::Count();
  for (auto _ : state) {
    Action action;
    agent->Act(turn, 0.3, &action, scratch.data());
    benchmark::DoNotOptimize(action);
    ++moves;
  }
  state.counters["allocs_per_move"] = static_cast<double>(count_allocations::Count() - before) /
                                      static_cast<double>(std::max(1L, moves));
}
BENCHMARK(BM_Vote);

}  // namespace
}  // namespace shuttle

BENCHMARK_MAIN();
