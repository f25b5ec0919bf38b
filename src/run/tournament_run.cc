// Running a slice of the tournament on a pool of threads.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "shuttle/clock.h"
#include "shuttle/tournament.h"

namespace shuttle {
namespace {

// Serializes sink calls and throttles progress updates to about 200 per run.
class Delivery {
 public:
  Delivery(TournamentSink* sink, Progress* progress, size_t total)
      : sink_(sink), progress_(progress), total_(total) {}

  // Delivers a worker's batch under one lock: one hand-over per batch rather than per result,
  // so the workers do not queue on the lock (and on the futex under it) after every short job.
  void Deliver(std::vector<JobResult>* batch) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const JobResult& result : *batch) {
      sink_->OnResult(result);
      ++finished_;
      size_t step = finished_ * 200 / total_;
      if (progress_ && (step != last_step_ || finished_ == total_)) {
        last_step_ = step;
        progress_->Update("tournament",
                          static_cast<double>(finished_) / static_cast<double>(total_));
      }
    }
    batch->clear();
  }

 private:
  std::mutex mutex_;
  TournamentSink* sink_;
  Progress* progress_;
  size_t total_;
  size_t finished_ = 0;
  size_t last_step_ = 0;
};

}  // namespace

std::vector<size_t> SelectJobs(const TournamentPlan& plan, const TournamentRunOptions& options) {
  std::vector<size_t> jobs;
  if (options.shard_count == 0 || options.shard_index >= options.shard_count) return jobs;
  size_t end = std::min(options.end, plan.job_count());
  for (size_t j = options.begin; j < end; ++j) {
    if (j % options.shard_count != options.shard_index) continue;
    if (options.done && j < options.done->size() && (*options.done)[j]) continue;
    jobs.push_back(j);
  }
  return jobs;
}

Status RunTournament(const TournamentPlan& plan, const TournamentRunOptions& options,
                     TournamentSink* sink) {
  if (options.shard_count == 0 || options.shard_index >= options.shard_count)
    return Status::InvalidArgument(fmt::format("tournament: shard {} of {} does not exist",
                                               options.shard_index, options.shard_count));
  std::vector<size_t> jobs = SelectJobs(plan, options);
  if (jobs.empty()) return Status::Ok();
  size_t threads = options.threads > 0 ? static_cast<size_t>(options.threads)
                                       : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, jobs.size());
  Delivery delivery(sink, options.progress, jobs.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> stopped{false};
  // A batch is handed over when it holds kBatch results or has waited kBatchWait, so a slow
  // tournament still streams every result within a fraction of a second.
  constexpr size_t kBatch = 32;
  constexpr double kBatchWaitSeconds = 0.1;
  auto work = [&] {
    std::vector<JobResult> batch;
    double since = SteadyClock()->Seconds();
    while (true) {
      if (options.cancel && options.cancel->load()) {
        stopped = true;
        break;
      }
      size_t k = next.fetch_add(1);
      if (k >= jobs.size()) break;
      batch.push_back(RunJob(plan, jobs[k], options.negotiate));
      const double now = SteadyClock()->Seconds();
      if (batch.size() >= kBatch || now - since >= kBatchWaitSeconds) {
        delivery.Deliver(&batch);
        since = now;
      }
    }
    delivery.Deliver(&batch);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  if (stopped) return Status::FailedPrecondition("tournament: cancelled");
  return Status::Ok();
}

std::vector<JobResult> CollectingSink::results() const {
  std::vector<JobResult> sorted = results_;
  std::sort(sorted.begin(), sorted.end(),
            [](const JobResult& a, const JobResult& b) { return a.job < b.job; });
  return sorted;
}

}  // namespace shuttle
