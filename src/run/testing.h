// Test-only helpers for protocol, runner and log tests: small scenarios built in code and simple
// agents whose behaviour the tests can reason about. Not part of the library.
#ifndef SHUTTLE_RUN_TESTING_H_
#define SHUTTLE_RUN_TESTING_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "shuttle/agent.h"
#include "shuttle/scenario.h"

namespace shuttle::testing {

// A linear scenario with discrete issues of the given sizes; each party's value tables and
// weights are drawn from `seed`.
inline Scenario SmallScenario(int parties, const std::vector<int>& sizes, uint64_t seed,
                              double reservation = 0, double discount = 1) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Issue> issues;
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::vector<std::string> labels;
    for (int v = 0; v < sizes[i]; ++v) labels.push_back("v" + std::to_string(v));
    issues.push_back(Issue::Discrete("issue" + std::to_string(i), labels));
  }
  Scenario s;
  s.name = "small";
  s.space = OutcomeSpace(issues);
  for (int p = 0; p < parties; ++p) {
    Profile profile;
    double total = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      profile.weights.push_back(0.1 + unit(rng));
      total += profile.weights.back();
      Evaluator e;
      for (int v = 0; v < sizes[i]; ++v) e.evaluations.push_back(unit(rng));
      e.evaluations[rng() % sizes[i]] = 1.0;
      profile.evaluators.push_back(e);
    }
    for (double& w : profile.weights) w /= total;
    profile.reservation_value = reservation;
    profile.discount = discount;
    s.parties.push_back({"party" + std::to_string(p), profile});
  }
  return s;
}

// Shared by the agents below: every outcome of a small space, sorted by own utility descending.
class IndexedTestAgent : public Agent {
 public:
  explicit IndexedTestAgent(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  Status Init(const AgentContext& c) override {
    context_ = c;
    uint64_t n = c.space->cardinality().ToU64();
    for (uint64_t i = 0; i < n; ++i) {
      Outcome o = c.space->Decode(i);
      sorted_.push_back({c.utility->Evaluate(o), o});
    }
    std::stable_sort(sorted_.begin(), sorted_.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    return Status::Ok();
  }

 protected:
  double U(const uint32_t* o) const { return context_.utility->Evaluate(o); }
  void Offer(size_t rank, Action* action, uint32_t* scratch) const {
    const Outcome& o = sorted_[std::min(rank, sorted_.size() - 1)].second;
    std::copy(o.begin(), o.end(), scratch);
    action->type = EventType::kOffer;
    action->outcome = scratch;
  }
  // The rank of the worst outcome still worth at least `target`.
  size_t RankFor(double target) const {
    size_t r = 0;
    while (r + 1 < sorted_.size() && sorted_[r + 1].first >= target) ++r;
    return r;
  }

  std::string name_;
  AgentContext context_;
  std::vector<std::pair<double, Outcome>> sorted_;
};

// Concedes linearly from 1 to `floor` over normalized time; accepts an offer at least as good as
// the one it would make next.
class LinearTestAgent final : public IndexedTestAgent {
 public:
  explicit LinearTestAgent(double floor = 0.3) : IndexedTestAgent("linear-test"), floor_(floor) {}
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    double target = 1 - (1 - floor_) * t;
    if (turn.kind == Turn::Kind::kRespond && U(turn.standing) >= target) {
      action->type = EventType::kAccept;
      return;
    }
    Offer(RankFor(target), action, scratch);
  }

 private:
  double floor_;
};

// Offers a random outcome (from its seed); accepts with probability `accept`.
class RandomTestAgent final : public IndexedTestAgent {
 public:
  explicit RandomTestAgent(double accept = 0.05)
      : IndexedTestAgent("random-test"), accept_(accept) {}
  Status Init(const AgentContext& c) override {
    rng_.seed(c.seed);
    return IndexedTestAgent::Init(c);
  }
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    if (turn.kind == Turn::Kind::kRespond &&
        std::uniform_real_distribution<double>(0, 1)(rng_) < accept_) {
      action->type = EventType::kAccept;
      return;
    }
    Offer(rng_() % sorted_.size(), action, scratch);
  }

 private:
  double accept_;
  std::mt19937_64 rng_;
};

// Offers its best outcome forever and never accepts.
class StubbornTestAgent final : public IndexedTestAgent {
 public:
  StubbornTestAgent() : IndexedTestAgent("stubborn-test") {}
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    Offer(0, action, scratch);
  }
};

// Records every event it observes (as indices into the log) and delegates its moves.
class RecordingTestAgent final : public Agent {
 public:
  explicit RecordingTestAgent(std::unique_ptr<Agent> inner) : inner_(std::move(inner)) {}
  const std::string& name() const override { return inner_->name(); }
  Status Init(const AgentContext& c) override { return inner_->Init(c); }
  void Observe(const EventLog& log, const Event& event) override {
    seen_->push_back(static_cast<size_t>(&event - log.events().data()));
    inner_->Observe(log, event);
  }
  void Act(const Turn& turn, double t, Action* action, uint32_t* scratch) override {
    inner_->Act(turn, t, action, scratch);
  }
  std::shared_ptr<std::vector<size_t>> seen() const { return seen_; }

 private:
  std::unique_ptr<Agent> inner_;
  std::shared_ptr<std::vector<size_t>> seen_ = std::make_shared<std::vector<size_t>>();
};

}  // namespace shuttle::testing

#endif  // SHUTTLE_RUN_TESTING_H_
