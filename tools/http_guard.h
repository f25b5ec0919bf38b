// An httplib::Server that a few careless or hostile clients cannot make unusable (shuttle serve).
//
// cpp-httplib hands each connection to a pool thread that reads with a per-read timeout only, so a
// client sending one header line every 2 s held a thread for as long as it liked, and 300 such
// clients held all of them (/api/health stopped answering). GuardedServer runs each connection's
// keep-alive loop itself over its own stream, with two limits:
//   - a deadline for reading each request, headers and body together, armed when the request's
//     first byte arrives (idle keep-alive connections close after the keep-alive timeout as
//     before); responses are written without a deadline, so long answers and event streams work;
//   - at most `max_per_address` connections open at once per client address; one over the cap is
//     closed as soon as a thread picks it up, so one address can hold only that many threads.
// Thread-safe as httplib::Server is.
#ifndef SHUTTLE_TOOLS_HTTP_GUARD_H_
#define SHUTTLE_TOOLS_HTTP_GUARD_H_

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shuttle::cli {

struct GuardLimits {
  // Time to read one request, headers and body. Default: 10 s.
  std::chrono::milliseconds request_timeout{10'000};
  // Connections open at once per client address; 0 for no cap. Behind a reverse proxy every client
  // shares the proxy's address. Default: 64.
  int max_per_address = 64;
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(GuardLimits limits) : limits_(limits) {}

 private:
  // Overrides httplib's private virtual (it cannot be called, only replaced): our keep-alive loop.
  bool process_and_close_socket(socket_t sock) override;
  bool Admit(const std::string& address);
  void Release(const std::string& address);

  GuardLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> open_;  // Connections per address (entries > 0 only).
};

}  // namespace shuttle::cli

#endif  // SHUTTLE_TOOLS_HTTP_GUARD_H_
