// The Open MPI driver: rank 0 hands out the job list in chunks as ranks ask (its own worker
// thread takes chunks too), results stream to rank 0 and are written there. Static shards left
// rank 0, which also parses and writes every result, finishing last.
#include "mpi/tournament_mpi.h"

#include <fmt/format.h>
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

namespace shuttle::cli {
namespace {

constexpr int kTagResult = 1;
constexpr int kTagDone = 2;
constexpr int kTagFinish = 3;
constexpr int kTagWant = 4;   // A rank asks rank 0 for its next chunk of jobs.
constexpr int kTagChunk = 5;  // Rank 0's answer: the chunk's number, or -1 when none is left.
// Jobs per chunk: enough that waiting for rank 0's answer costs little (its receiving thread shares
// a core with its worker; 512 jobs of the reference tournament are about 18 ms of work, 64 were too
// few), few enough that the ranks end within one chunk of each other.
constexpr size_t kChunk = 512;

// The chunks of the job list, shared by rank 0's worker thread and its receiving thread.
struct ChunkCounter {
  explicit ChunkCounter(size_t jobs) : count((jobs + kChunk - 1) / kChunk) {}
  // The next chunk's number, or -1 when none is left.
  long long Next() {
    size_t c = next.fetch_add(1);
    return c < count ? static_cast<long long>(c) : -1;
  }
  const size_t count;
  std::atomic<size_t> next{0};
};

int g_thread_level = MPI_THREAD_SINGLE;

// Results travel between ranks in a compact binary form (native byte order: the ranks of one
// mpirun run the same binary): JSON text cost about 30% of the negotiations' CPU to write on one
// rank and parse on rank 0. Each result is its fields in declaration order; a string or a vector
// is its length (uint64) then its items.
class WireWriter {
 public:
  explicit WireWriter(std::string* out) : out_(out) {}
  template <typename T>
  void Pod(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Str(const std::string& v) {
    Pod<uint64_t>(v.size());
    out_->append(v);
  }
  void Strs(const std::vector<std::string>& v) {
    Pod<uint64_t>(v.size());
    for (const std::string& x : v) Str(x);
  }
  void Doubles(const std::vector<double>& v) {
    Pod<uint64_t>(v.size());
    for (double x : v) Pod(x);
  }

 private:
  std::string* out_;
};

class WireReader {
 public:
  explicit WireReader(std::string_view in) : in_(in) {}
  bool done() const { return pos_ >= in_.size(); }
  bool ok() const { return ok_; }
  template <typename T>
  T Pod() {
    T v{};
    if (!Take(sizeof v)) return v;
    std::memcpy(&v, in_.data() + pos_ - sizeof v, sizeof v);
    return v;
  }
  std::string Str() {
    uint64_t n = Pod<uint64_t>();
    if (!Take(n)) return {};
    return std::string(in_.substr(pos_ - n, n));
  }
  std::vector<std::string> Strs() {
    uint64_t n = Pod<uint64_t>();
    std::vector<std::string> v;
    for (uint64_t i = 0; i < n && ok_; ++i) v.push_back(Str());
    return v;
  }
  std::vector<double> Doubles() {
    uint64_t n = Pod<uint64_t>();
    std::vector<double> v;
    for (uint64_t i = 0; i < n && ok_; ++i) v.push_back(Pod<double>());
    return v;
  }

 private:
  bool Take(uint64_t n) {
    if (!ok_ || n > in_.size() - pos_) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void EncodeResult(const JobResult& r, std::string* out) {
  WireWriter w(out);
  w.Pod<uint64_t>(r.job);
  w.Str(r.scenario);
  w.Pod<int32_t>(r.rotation);
  w.Pod<int32_t>(r.repetition);
  w.Pod<uint64_t>(r.seed);
  w.Strs(r.agents);
  w.Strs(r.parties);
  w.Pod<uint8_t>(r.agreement ? 1 : 0);
  w.Pod<int32_t>(r.rounds);
  w.Pod(r.time);
  w.Doubles(r.utilities);
  w.Doubles(r.discounted);
  w.Pod(r.welfare);
  w.Pod(r.nash_product);
  w.Pod(r.pareto_distance);
  w.Pod(r.nash_distance);
  w.Pod(r.ks_distance);
  w.Str(r.error);
  w.Pod(r.seconds);
}

bool DecodeResult(WireReader* in, JobResult* r) {
  r->job = in->Pod<uint64_t>();
  r->scenario = in->Str();
  r->rotation = in->Pod<int32_t>();
  r->repetition = in->Pod<int32_t>();
  r->seed = in->Pod<uint64_t>();
  r->agents = in->Strs();
  r->parties = in->Strs();
  r->agreement = in->Pod<uint8_t>() != 0;
  r->rounds = in->Pod<int32_t>();
  r->time = in->Pod<double>();
  r->utilities = in->Doubles();
  r->discounted = in->Doubles();
  r->welfare = in->Pod<double>();
  r->nash_product = in->Pod<double>();
  r->pareto_distance = in->Pod<double>();
  r->nash_distance = in->Pod<double>();
  r->ks_distance = in->Pod<double>();
  r->error = in->Str();
  r->seconds = in->Pod<double>();
  return in->ok();
}

int WorldSize() {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// Cores of this host shared among the ranks mpirun placed on it.
int DefaultThreads() {
  int local = 1;
  if (const char* s = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE")) local = std::max(1, std::atoi(s));
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(1, cores / local);
}

// Rank 0's broadcast of the folder's state: whether it opened, and which jobs are done.
Result<std::vector<bool>> ShareDone(const TournamentWriter* writer, const Status& open,
                                    size_t jobs) {
  std::vector<char> bytes(jobs + 1, 0);
  if (MpiRank() == 0) {
    bytes[jobs] = open.ok() ? 1 : 0;
    if (writer)
      for (size_t j = 0; j < jobs; ++j) bytes[j] = writer->done()[j] ? 1 : 0;
  }
  MPI_Bcast(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, MPI_COMM_WORLD);
  if (!bytes[jobs])
    return MpiRank() == 0 ? open
                          : Status::FailedPrecondition("rank 0 could not open the results folder");
  std::vector<bool> done(jobs);
  for (size_t j = 0; j < jobs; ++j) done[j] = bytes[j] != 0;
  return done;
}

// Ranks other than 0: results go to rank 0 in the binary form above, in batches (every 32 KB or
// 200 ms), sent without blocking. One message per result would keep both ranks in Open MPI's
// progress engine, which busy-waits for the other side and so takes the cores the negotiations
// need.
class SendingSink final : public TournamentSink {
 public:
  void OnResult(const JobResult& r) override {
    EncodeResult(r, &buffer_);
    auto now = std::chrono::steady_clock::now();
    if (buffer_.size() >= 32 * 1024 || now - last_ >= std::chrono::milliseconds(200)) Flush();
    Reap(false);
  }
  // Sends what is left and waits until every batch is delivered.
  void Finish() {
    Flush();
    Reap(true);
  }

 private:
  void Flush() {
    last_ = std::chrono::steady_clock::now();
    if (buffer_.empty()) return;
    in_flight_.push_back({std::move(buffer_), MPI_REQUEST_NULL});
    buffer_.clear();
    Batch& b = in_flight_.back();
    MPI_Isend(b.text.data(), static_cast<int>(b.text.size()), MPI_CHAR, 0, kTagResult,
              MPI_COMM_WORLD, &b.request);
  }
  void Reap(bool wait) {
    while (!in_flight_.empty()) {
      int done = 0;
      if (wait) {
        MPI_Wait(&in_flight_.front().request, MPI_STATUS_IGNORE);
        done = 1;
      } else {
        MPI_Test(&in_flight_.front().request, &done, MPI_STATUS_IGNORE);
      }
      if (!done) return;
      in_flight_.pop_front();
    }
  }

  struct Batch {
    std::string text;
    MPI_Request request;
  };
  std::string buffer_;
  std::deque<Batch> in_flight_;  // A deque: batches must not move while being sent.
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Rank 0: results from its own workers and from the network, one at a time, into the writer.
class Gatherer final : public TournamentSink {
 public:
  Gatherer(TournamentWriter* writer, const MpiTournamentOptions& options, size_t total)
      : writer_(writer), options_(options), total_(total) {}
  void OnResult(const JobResult& r) override {
    std::lock_guard<std::mutex> lock(mutex_);
    writer_->OnResult(r);
    ++finished_;
    if (options_.on_result) options_.on_result(finished_, total_);
  }

 private:
  std::mutex mutex_;
  TournamentWriter* writer_;
  const MpiTournamentOptions& options_;
  size_t total_;
  size_t finished_ = 0;
};

// Receives until every other rank said it is done; polls gently so the waiting thread does not
// take a core from the workers. Returns the first error a rank reported or a bad message.
Status Receive(Gatherer* gatherer, ChunkCounter* chunks, int others) {
  Status first_error;
  std::string buffer;
  while (others > 0) {
    int flag = 0;
    MPI_Status probe;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &probe);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    int count = 0;
    MPI_Get_count(&probe, MPI_CHAR, &count);
    buffer.resize(count);
    MPI_Recv(buffer.data(), count, MPI_CHAR, probe.MPI_SOURCE, probe.MPI_TAG, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (probe.MPI_TAG == kTagWant) {
      long long chunk = chunks->Next();
      MPI_Send(&chunk, 1, MPI_LONG_LONG, probe.MPI_SOURCE, kTagChunk, MPI_COMM_WORLD);
      continue;
    }
    if (probe.MPI_TAG == kTagDone) {
      --others;
      if (!buffer.empty() && first_error.ok())
        first_error =
            Status::FailedPrecondition(fmt::format("rank {}: {}", probe.MPI_SOURCE, buffer));
      continue;
    }
    WireReader in(buffer);
    while (!in.done()) {
      JobResult result;
      if (!DecodeResult(&in, &result)) {
        if (first_error.ok())
          first_error = Status::Corruption(
              fmt::format("from rank {}: a truncated result message", probe.MPI_SOURCE));
        break;
      }
      gatherer->OnResult(result);
    }
  }
  return first_error;
}

// Open MPI busy-polls inside blocking calls (MPI_Finalize included), which would take a core from
// the ranks still working: a rank that is done waits here, sleeping between probes, until rank 0
// has gathered everything.
// Sleeps between probes until rank 0 has sent a message with `tag`; the caller then receives it.
void WaitFromRoot(int tag, std::chrono::microseconds nap) {
  int flag = 0;
  MPI_Status probe;
  while (true) {
    MPI_Iprobe(0, tag, MPI_COMM_WORLD, &flag, &probe);
    if (flag) return;
    std::this_thread::sleep_for(nap);
  }
}

void AwaitFinish() {
  WaitFromRoot(kTagFinish, std::chrono::milliseconds(1));
  MPI_Recv(nullptr, 0, MPI_CHAR, 0, kTagFinish, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}

void SendFinish() {
  for (int r = 1; r < WorldSize(); ++r)
    MPI_Send(nullptr, 0, MPI_CHAR, r, kTagFinish, MPI_COMM_WORLD);
}

TournamentRunOptions ChunkOptions(const MpiTournamentOptions& options,
                                  const std::vector<bool>* done) {
  TournamentRunOptions run;
  run.threads = options.threads > 0 ? options.threads : DefaultThreads();
  // Without MPI_THREAD_SERIALIZED only the calling thread may send.
  if (g_thread_level < MPI_THREAD_SERIALIZED && MpiRank() != 0) run.threads = 1;
  run.done = done;
  run.cancel = options.cancel;
  return run;
}

// Runs chunk after chunk, as `next` gives them (-1: none left), into `sink`.
template <typename Next>
Status RunChunks(const TournamentPlan& plan, TournamentRunOptions run, TournamentSink* sink,
                 Next next) {
  for (long long c = next(); c >= 0; c = next()) {
    run.begin = static_cast<size_t>(c) * kChunk;
    run.end = run.begin + kChunk;
    SHUTTLE_RETURN_IF_ERROR(RunTournament(plan, run, sink));
  }
  return Status::Ok();
}

// A rank other than 0 asks for its next chunk; waits gently (Open MPI busy-polls in blocking
// receives, which would take a core from the workers).
long long AskChunk() {
  int dummy = 0;
  MPI_Send(&dummy, 1, MPI_INT, 0, kTagWant, MPI_COMM_WORLD);
  WaitFromRoot(kTagChunk, std::chrono::microseconds(50));
  long long chunk = -1;
  MPI_Recv(&chunk, 1, MPI_LONG_LONG, 0, kTagChunk, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return chunk;
}

Result<std::optional<TournamentSummary>> RunRoot(const TournamentPlan& plan,
                                                 const MpiTournamentOptions& options) {
  auto writer = TournamentWriter::Open(options.dir, plan, options.resume);
  auto done = ShareDone(writer.ok() ? writer->get() : nullptr, writer.status(), plan.job_count());
  if (!done.ok()) return done.status();
  TournamentRunOptions run = ChunkOptions(options, &*done);
  size_t left = plan.job_count() - (*writer)->done_count();
  if (options.on_start) options.on_start(left);
  Gatherer gatherer(writer->get(), options, left);
  ChunkCounter chunks(plan.job_count());
  Status local;
  std::thread worker(
      [&] { local = RunChunks(plan, run, &gatherer, [&] { return chunks.Next(); }); });
  Status remote = Receive(&gatherer, &chunks, WorldSize() - 1);
  worker.join();
  SendFinish();
  SHUTTLE_RETURN_IF_ERROR(local);
  SHUTTLE_RETURN_IF_ERROR(remote);
  auto summary = (*writer)->Finish();
  if (!summary.ok()) return summary.status();
  return std::optional<TournamentSummary>(std::move(summary).value());
}

Result<std::optional<TournamentSummary>> RunOther(const TournamentPlan& plan,
                                                  const MpiTournamentOptions& options) {
  auto done = ShareDone(nullptr, Status::Ok(), plan.job_count());
  if (!done.ok()) return done.status();
  SendingSink sink;
  Status run = RunChunks(plan, ChunkOptions(options, &*done), &sink, AskChunk);
  sink.Finish();
  std::string message = run.ok() ? std::string() : run.ToString();
  MPI_Send(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, kTagDone, MPI_COMM_WORLD);
  AwaitFinish();
  if (!run.ok()) return run;
  return std::optional<TournamentSummary>();
}

}  // namespace

int MpiInit(int* argc, char*** argv) {
  MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &g_thread_level);
  return MpiRank();
}

void MpiFinalize() { MPI_Finalize(); }

int MpiRank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

bool MpiAllOk(bool ok) {
  int mine = ok ? 1 : 0, all = 0;
  MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

Result<std::optional<TournamentSummary>> RunTournamentMpi(const TournamentPlan& plan,
                                                          const MpiTournamentOptions& options) {
  return MpiRank() == 0 ? RunRoot(plan, options) : RunOther(plan, options);
}

}  // namespace shuttle::cli
