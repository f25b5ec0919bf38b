// shuttle serve: the HTTP server. Thin: cpp-httplib moves bytes between sockets and
// Service::Handle (src/service does everything else) and serves the web rooms' static files.
#include <httplib.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "command.h"
#include "http_guard.h"
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
  int request_timeout = 10;
  int anonymous_batch = 3600;
  int stream_seconds = 60;
  int max_per_address = 64;
  std::string links_file;
  std::string mediator;              // With --open: "person", "engine" or "engine-seat".
  std::vector<std::string> parties;  // With --open: per party a caucus-agent spec or "person".
};

// The session options --mediator and --party ask for, as POST /api/sessions takes them; empty
// when neither is given.
std::string SeatOptionsJson(const ServeArgs& args) {
  if (args.mediator.empty() && args.parties.empty()) return {};
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (!args.mediator.empty()) j["mediator"] = args.mediator;
  if (!args.parties.empty()) {
    nlohmann::ordered_json parties = nlohmann::ordered_json::array();
    for (const std::string& p : args.parties)
      parties.push_back(p == "person" ? nlohmann::ordered_json(nullptr)
                                      : nlohmann::ordered_json(p));
    j["parties"] = std::move(parties);
  }
  return j.dump();
}

// The pages' Content-Security-Policy, sent as a header (a meta tag cannot set frame-ancestors).
// The mediator's console and the public page draw Vega charts, which compile expressions.
std::string PageCsp(const std::string& path) {
  const bool charts =
      path.find("mediator") != std::string::npos || path.find("public") != std::string::npos;
  return fmt::format(
      "default-src 'self'; script-src 'self'{}; style-src 'self' 'unsafe-inline'; img-src 'self' "
      "data:{}; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
      "frame-ancestors 'none'",
      charts ? " 'unsafe-eval'" : "", charts ? " blob:" : "");
}

bool IsApi(const std::string& path) { return path.rfind("/api/", 0) == 0 || path == "/api"; }

std::string ErrorBody(const char* code, const std::string& message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return fmt::format("{{\"error\":{{\"code\":\"{}\",\"message\":\"{}\"}}}}", code, escaped);
}

// The Host header names this server: the bind address or, for a loopback bind, localhost, with the
// port; or the host of --public-url. Anything else is refused (DNS rebinding: a page on another
// name that resolves to 127.0.0.1 must not reach the API). A wildcard bind without --public-url
// cannot know its names and checks nothing.
class HostCheck {
 public:
  HostCheck(const std::string& bind, int port, const std::string& public_url) {
    const std::string p = ":" + std::to_string(port);
    const bool wildcard = bind == "0.0.0.0" || bind == "::" || bind.empty();
    if (!wildcard) allowed_.push_back(bind + p);
    if (bind == "127.0.0.1" || bind == "localhost" || bind == "::1") {
      for (const char* h : {"127.0.0.1", "localhost", "[::1]"}) allowed_.push_back(h + p);
    }
    if (!public_url.empty()) {
      std::string host = public_url.substr(
          public_url.find("://") == std::string::npos ? 0 : public_url.find("://") + 3);
      host = host.substr(0, host.find('/'));
      allowed_.push_back(host);
      if (host.find(':') == std::string::npos) allowed_.push_back(host + p);
    }
    if (wildcard && public_url.empty()) allowed_.clear();
  }
  bool Allows(const std::string& host) const {
    if (allowed_.empty()) return true;
    for (const std::string& a : allowed_) {
      if (a.size() == host.size() &&
          std::equal(a.begin(), a.end(), host.begin(),
                     [](char x, char y) { return std::tolower(x) == std::tolower(y); })) {
        return true;
      }
    }
    return false;
  }
  std::string Expected() const {
    std::string out;
    for (const std::string& a : allowed_) out += (out.empty() ? "" : ", ") + a;
    return out;
  }

 private:
  std::vector<std::string> allowed_;
};

// Refuses, before any body is read: paths with control characters ("/index.html%00.js" was served
// as JavaScript), a Host that is not this server's, and API bodies that are not JSON (a text/plain
// or form POST needs no CORS preflight, so any web page could send one; httplib also parsed form
// fields into the query, where a "token" was taken, and capped form bodies at 8 KiB).
httplib::Server::HandlerResponse Screen(const HostCheck& hosts, const httplib::Request& req,
                                        httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  for (unsigned char c : req.path) {
    if (c < 0x20 || c == 0x7f) {
      res.status = 400;
      res.set_content(ErrorBody("bad_request", "the path holds a control character"),
                      "application/json; charset=utf-8");
      return R::Handled;
    }
  }
  const std::string host = req.get_header_value("Host");
  if (!hosts.Allows(host)) {
    res.status = 421;
    res.set_content(
        ErrorBody("misdirected_request", fmt::format("Host '{}' is not this server's (expected {})",
                                                     host.substr(0, 100), hosts.Expected())),
        "application/json; charset=utf-8");
    return R::Handled;
  }
  const bool body =
      req.has_header("Transfer-Encoding") ||
      (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
  if (IsApi(req.path) && (body || (req.method == "POST" && req.path == "/api/sessions"))) {
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type != "application/json") {
      res.status = 415;
      res.set_content(
          ErrorBody("unsupported_media_type",
                    "API request bodies must be sent as Content-Type: application/json"),
          "application/json; charset=utf-8");
      return R::Handled;
    }
  }
  return R::Unhandled;
}

// Headers every answer carries; pages also their Content-Security-Policy and a Cache-Control
// (no-cache: a browser revalidates, so a new release of the rooms is picked up at once).
void Dress(const httplib::Request& req, httplib::Response& res) {
  if (!res.has_header("X-Frame-Options")) res.set_header("X-Frame-Options", "DENY");
  if (IsApi(req.path) || req.path.rfind("/vendor/", 0) == 0) {
    if (!res.has_header("Content-Security-Policy"))
      res.set_header("Content-Security-Policy", "frame-ancestors 'none'");
    return;
  }
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-cache");
  if (!res.has_header("Content-Security-Policy"))
    res.set_header("Content-Security-Policy", PageCsp(req.path));
}

// Writes the links to `path`, readable and writable only by the owner (they carry full power).
Status WriteLinks(const std::string& path, const OpenedSession& opened, const std::string& source) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status::IOError(
        fmt::format("{}: cannot write the links: {}", path, std::strerror(errno)));
  std::string text = fmt::format("# shuttle session {} ({}) from {}\n", opened.session_id,
                                 opened.created ? "created" : "reused", source);
  for (const IssuedInvitation& i : opened.invitations)
    text += fmt::format("{:<28} {}\n", i.label, i.link);
  const bool ok = fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return Status::IOError(fmt::format("{}: cannot write the links", path));
  return Status::Ok();
}

void Adapt(Service* service, const httplib::Request& req, httplib::Response& res) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  // The URL's query only: httplib also merges a form body's fields into req.params.
  const size_t q = req.target.find('?');
  if (q != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(req.target.substr(q + 1), params);
    for (const auto& [key, value] : params) r.query.emplace_back(key, value);
  }
  r.authorization = req.get_header_value("Authorization");
  r.body = req.body;
  r.remote = req.remote_addr;
  r.last_event_id = req.get_header_value("Last-Event-ID");
  HttpResponse out = service->Handle(r);
  res.status = out.status;
  for (const auto& [key, value] : out.headers) {
    if (!res.has_header(key.c_str())) res.set_header(key.c_str(), value);
  }
  if (out.stream) {
    // Each chunk as the service gives it; the connection's thread waits inside the service.
    res.set_chunked_content_provider(
        out.content_type, [stream = std::move(out.stream)](size_t, httplib::DataSink& sink) {
          std::string chunk;
          if (!stream(&chunk)) {
            sink.done();
            return true;
          }
          return chunk.empty() || sink.write(chunk.data(), chunk.size());
        });
    return;
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
std::thread StopOnSignal(httplib::Server* server, Service* service) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return std::thread([server, service, set] {
    int sig = 0;
    sigwait(&set, &sig);
    service->Shutdown();  // Open event streams end now rather than at their lifetime.
    server->stop();
  });
}

int RunServe(const ServeArgs& args) {
  ServiceOptions options;
  options.db_path = args.db;
  options.create_key = args.create_key;
  options.anonymous_batch_seconds = args.anonymous_batch;
  options.stream_seconds = args.stream_seconds;
  if (options.create_key.empty()) {
    if (const char* key = std::getenv("SHUTTLE_CREATE_KEY")) options.create_key = key;
  }
  options.log = [](std::string_view line) {
    std::fprintf(stderr, "shuttle: %.*s\n", static_cast<int>(line.size()), line.data());
  };
  Result<std::unique_ptr<Service>> opened = Service::Open(options);
  if (!opened.ok()) return Fail(opened.status());
  std::unique_ptr<Service> service = std::move(opened).value();

  GuardLimits limits;
  limits.request_timeout = std::chrono::seconds(args.request_timeout);
  limits.max_per_address = args.max_per_address;
  GuardedServer server(limits);
  const int threads = args.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(options.max_create_body * 4);
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(
      2);  // An idle connection holds a thread, and delays stop(), this long.
  server.set_tcp_nodelay(
      true);  // Headers and body go out in separate writes: no 40 ms delayed-ACK stall.
  server.set_default_headers(
      {{"Referrer-Policy", "no-referrer"}, {"X-Content-Type-Options", "nosniff"}});
  server.set_mount_point("/", args.web);
  auto handler = [s = service.get()](const httplib::Request& req, httplib::Response& res) {
    Adapt(s, req, res);
  };
  for (const char* pattern : {"/api/.*", "/vendor/.*"}) {
    server.Get(pattern, handler);
    server.Post(pattern, handler);
    server.Put(pattern, handler);
    server.Delete(pattern, handler);
    server.Patch(pattern, handler);
    server.Options(pattern, handler);  // The API answers 405 with the methods it allows.
  }
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 404   ? "not_found"
                       : res.status == 413 ? "payload_too_large"
                                           : "bad_request";
    const char* message = res.status == 404   ? "not found"
                          : res.status == 413 ? "body too large"
                                              : "bad request";
    res.set_content(
        std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\"}}",
        "application/json; charset=utf-8");
  });

  const int port = args.port == 0 ? server.bind_to_any_port(args.bind)
                                  : (server.bind_to_port(args.bind, args.port) ? args.port : -1);
  if (port <= 0)
    return Fail(Status::IOError("cannot listen on " + args.bind + ":" + std::to_string(args.port)));
  const std::string base = "http://" + args.bind + ":" + std::to_string(port);
  server.set_pre_routing_handler(
      [hosts = HostCheck(args.bind, port, args.public_url)](
          const httplib::Request& req, httplib::Response& res) { return Screen(hosts, req, res); });
  server.set_post_routing_handler(Dress);
  service->SetPublicUrl(args.public_url.empty() ? base : args.public_url);
  if (!args.open.empty()) {
    Result<std::string> text = ReadFile(args.open);
    if (!text.ok()) return Fail(text.status());
    Result<OpenedSession> session = service->OpenScenario(*text, args.open, SeatOptionsJson(args));
    if (!session.ok()) return Fail(session.status());
    if (args.links_file.empty()) {
      PrintLinks(*session, args.open);
    } else {
      Status written = WriteLinks(args.links_file, *session, args.open);
      if (!written.ok()) return Fail(written);
      std::printf("shuttle: session %s %s from %s; invitation links in %s (readable only by you)\n",
                  session->session_id.c_str(), session->created ? "created" : "reused",
                  args.open.c_str(), args.links_file.c_str());
    }
  }
  std::printf("shuttle: listening on %s (%zu sessions, database %s)\n", base.c_str(),
              service->session_count(), args.db.c_str());
  std::fflush(stdout);
  std::thread stopper = StopOnSignal(&server, service.get());
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
  sub->add_option("--web", args->web, "Folder of the web rooms' static files")
      ->capture_default_str();
  sub->add_option("--public-url", args->public_url,
                  "Base of the invitation links (default http://BIND:PORT)");
  sub->add_option(
      "--open", args->open,
      "Scenario file: make sure a session from it exists and print fresh invitation links");
  sub->add_option("--create-key", args->create_key,
                  "Key needed to create sessions (default: $SHUTTLE_CREATE_KEY, else anyone may)");
  sub->add_option("--threads", args->threads, "Request threads")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  sub->add_option("--request-timeout", args->request_timeout,
                  "Seconds to read one request, headers and body")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  sub->add_option(
         "--max-connections-per-address", args->max_per_address,
         "Connections open at once per client address (0: no cap; behind a proxy all share one)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  sub->add_option("--anonymous-batch", args->anonymous_batch,
                  "Seconds of anonymous notes the mediator receives together, once they are over")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
  sub->add_option(
         "--stream-seconds", args->stream_seconds,
         "Seconds an event stream stays open before the browser reconnects (0: send and end)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  sub->add_option(
      "--links-file", args->links_file,
      "With --open: write the invitation links to this file (mode 0600) instead of printing them");
  sub->add_option("--mediator", args->mediator,
                  "With --open: who mediates: engine (the default), person (holds the seat), or "
                  "engine-seat (the engine holds the seat and moves as a person would)")
      ->check(CLI::IsMember({"engine", "person", "engine-seat"}));
  sub->add_option("--party", args->parties,
                  "With --open, once per party in order: a caucus agent that plays it (truthful, "
                  "reticent, strategic, with parameters) or person");
  sub->callback([args] { ExitStatus() = RunServe(*args); });
}

}  // namespace shuttle::cli
