// shuttle serve: the HTTP server. Thin: cpp-httplib moves bytes between sockets and
// Service::Handle (src/service does everything else) and serves the web rooms' static files.
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <pthread.h>
#include <thread>

#include "command.h"
#include "shuttle/io.h"
#include "shuttle/service.h"

#ifndef SHUTTLE_WEB_ROOMS_DIR
#define SHUTTLE_WEB_ROOMS_DIR "web/rooms"
#endif

namespace shuttle::cli {
namespace {

struct ServeArgs {
  std::string db = "shuttle.db";
  int port = 8080;
  std::string bind = "127.0.0.1";
  std::string web = SHUTTLE_WEB_ROOMS_DIR;
  std::string public_url;
  std::string open;
  std::string create_key;
  int threads = 256;
};

void Adapt(Service* service, const httplib::Request& req, httplib::Response& res) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [key, value] : req.params) r.query.emplace_back(key, value);
  r.authorization = req.get_header_value("Authorization");
  r.body = req.body;
  r.remote = req.remote_addr;
  HttpResponse out = service->Handle(r);
  res.status = out.status;
  for (const auto& [key, value] : out.headers) {
    if (!res.has_header(key.c_str())) res.set_header(key.c_str(), value);
  }
  res.set_content(out.body, out.content_type.c_str());
}

void PrintLinks(const OpenedSession& opened, const std::string& source) {
  std::printf("shuttle: session %s %s from %s\n", opened.session_id.c_str(),
              opened.created ? "created" : "reused", source.c_str());
  for (const IssuedInvitation& i : opened.invitations) {
    std::printf("  %-28s %s\n", i.label.c_str(), i.link.c_str());
  }
  std::fflush(stdout);
}

// Stops the server on SIGINT or SIGTERM: a thread waits for them (no work in a signal handler).
std::thread StopOnSignal(httplib::Server* server) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([server, set] {
    int sig = 0;
    sigwait(&set, &sig);
    server->stop();
  });
}

int RunServe(const ServeArgs& args) {
  ServiceOptions options;
  options.db_path = args.db;
  options.create_key = args.create_key;
  if (options.create_key.empty()) {
    if (const char* key = std::getenv("SHUTTLE_CREATE_KEY")) options.create_key = key;
  }
  options.log = [](std::string_view line) { std::fprintf(stderr, "shuttle: %.*s\n", static_cast<int>(line.size()), line.data()); };
  Result<std::unique_ptr<Service>> opened = Service::Open(options);
  if (!opened.ok()) return Fail(opened.status());
  std::unique_ptr<Service> service = std::move(opened).value();

  httplib::Server server;
  const int threads = args.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_create_body * 4);
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(2);  // An idle connection holds a thread, and delays stop(), this long.
  server.set_tcp_nodelay(true);  // Headers and body go out in separate writes: no 40 ms delayed-ACK stall.
  server.set_default_headers({{"Referrer-Policy", "no-referrer"}, {"X-Content-Type-Options", "nosniff"}});
  server.set_mount_point("/", args.web);
  auto handler = [s = service.get()](const httplib::Request& req, httplib::Response& res) { Adapt(s, req, res); };
  for (const char* pattern : {"/api/.*", "/vendor/.*"}) {
    server.Get(pattern, handler);
    server.Post(pattern, handler);
    server.Put(pattern, handler);
    server.Delete(pattern, handler);
    server.Patch(pattern, handler);
  }
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 404 ? "not_found" : res.status == 413 ? "payload_too_large" : "bad_request";
    const char* message = res.status == 404 ? "not found" : res.status == 413 ? "body too large" : "bad request";
    res.set_content(std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}",
                    "application/json; charset=utf-8");
  });

  const int port = args.port == 0 ? server.bind_to_any_port(args.bind) : (server.bind_to_port(args.bind, args.port) ? args.port : -1);
  if (port <= 0) return Fail(Status::IOError("cannot listen on " + args.bind + ":" + std::to_string(args.port)));
  const std::string base = "http://" + args.bind + ":" + std::to_string(port);
  service->SetPublicUrl(args.public_url.empty() ? base : args.public_url);
  if (!args.open.empty()) {
    Result<std::string> text = ReadFile(args.open);
    if (!text.ok()) return Fail(text.status());
    Result<OpenedSession> session = service->OpenScenario(*text, args.open);
    if (!session.ok()) return Fail(session.status());
    PrintLinks(*session, args.open);
  }
  std::printf("shuttle: listening on %s (%zu sessions, database %s)\n", base.c_str(), service->session_count(),
              args.db.c_str());
  std::fflush(stdout);
  std::thread stopper = StopOnSignal(&server);
  const bool ok = server.listen_after_bind();
  if (stopper.joinable()) {
    if (ok) {
      stopper.join();
    } else {
      stopper.detach();
    }
  }
  return ok ? kExitOk : Fail(Status::IOError("the server stopped with an error"));
}

}  // namespace

void SetupServe(CLI::App* sub) {
  auto args = std::make_shared<ServeArgs>();
  sub->add_option("--db", args->db, "SQLite database (created if missing)")->capture_default_str();
  sub->add_option("--port", args->port, "TCP port; 0 picks a free one")->capture_default_str();
  sub->add_option("--bind", args->bind, "Address to listen on")->capture_default_str();
  sub->add_option("--web", args->web, "Folder of the web rooms' static files")->capture_default_str();
  sub->add_option("--public-url", args->public_url, "Base of the invitation links (default http://BIND:PORT)");
  sub->add_option("--open", args->open,
                  "Scenario file: make sure a session from it exists and print fresh invitation links");
  sub->add_option("--create-key", args->create_key,
                  "Key needed to create sessions (default: $SHUTTLE_CREATE_KEY, else anyone may)");
  sub->add_option("--threads", args->threads, "Request threads")->capture_default_str()->check(CLI::Range(2, 1024));
  sub->callback([args] { ExitStatus() = RunServe(*args); });
}

}  // namespace shuttle::cli
