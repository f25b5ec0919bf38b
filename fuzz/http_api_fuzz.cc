// libFuzzer target: the service's request handler (decoding, routing, authorization, the session
// moves), without sockets. Input: byte 0 picks the caller (a role's token, a bad token or none),
// byte 1 the method, then "path[?query]\nbody"; "$S" in the path stands for the session id.
// Checks: every answer is a JSON object with a status the API documents; a 404 is the one
// not-found body; a caller never reads the other party's planted marker.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "shuttle/service.h"

namespace {

constexpr const char* kScenario = R"({"format": "shuttle-scenario", "version": 1, "name": "fuzz",
  "issues": [{"name": "a", "type": "discrete", "values": ["x", "y", "z"]},
             {"name": "n", "type": "integer", "lower": 0, "upper": 3}],
  "parties": [
    {"name": "P", "profile": {"weights": {"a": 0.6, "n": 0.4},
      "evaluators": {"a": {"table": {"x": 1, "y": 0.5, "z": 0}}, "n": {"linear_from_lower": {"slope": 0.3, "offset": 0}}},
      "reservation_value": 0.2}},
    {"name": "Q", "profile": {"weights": {"a": 0.5, "n": 0.5},
      "evaluators": {"a": {"table": {"x": 0, "y": 0.5, "z": 1}}, "n": {"linear_from_lower": {"slope": -0.3, "offset": 1}}},
      "reservation_value": 0.2}}]})";
constexpr const char* kMarker = "ZZ-P-SECRET-ZZ";
constexpr const char* kNotFound = R"({"error":{"code":"not_found","message":"not found"}})";

struct World {
  std::unique_ptr<shuttle::Service> service;
  std::string sid;
  std::map<std::string, std::string> tokens;  // By label.
  int uses = 0;
};

shuttle::HttpResponse Call(World& w, const std::string& method, const std::string& path,
                           const std::string& token, const std::string& body) {
  shuttle::HttpRequest r;
  r.method = method;
  r.path = path;
  r.authorization = token.empty() ? "" : "Bearer " + token;
  r.body = body;
  r.remote = "fuzz";
  return w.service->Handle(r);
}

std::string Field(const std::string& json, const std::string& after, size_t* from) {
  size_t i = json.find(after, *from);
  if (i == std::string::npos) return {};
  i += after.size();
  size_t j = json.find('"', i);
  *from = j;
  return json.substr(i, j - i);
}

// A fresh service with one session, P's caucus holding the marker.
void Reset(World& w) {
  shuttle::ServiceOptions options;
  options.auth_failures_per_minute = 1 << 30;
  options.stream_seconds = 0;  // An event stream ends once drained (below).
  w.service = shuttle::Service::Open(options).value();
  shuttle::HttpResponse created =
      Call(w, "POST", "/api/sessions", "", std::string("{\"scenario\": ") + kScenario + "}");
  if (created.status != 201) __builtin_trap();
  size_t at = 0;
  w.sid = Field(created.body, "\"id\":\"", &at);
  w.tokens.clear();
  for (;;) {
    std::string label = Field(created.body, "\"label\":\"", &at);
    if (label.empty()) break;
    w.tokens[label] = Field(created.body, "\"token\":\"", &at);
  }
  Call(w, "POST", "/api/sessions/" + w.sid + "/parties/0/notes", w.tokens["P negotiator"],
       std::string("{\"text\": \"") + kMarker + "\"}");
  w.uses = 0;
}

bool MaySeeMarker(const std::string& label) {
  return label == "mediator" || label.rfind("P ", 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  if (!world.service || ++world.uses > 2000) Reset(world);  // Bounded growth of the session log.
  if (size < 2) return 0;
  static const char* const kLabels[] = {"mediator",    "P principal",  "P negotiator", "P adviser",
                                        "Q principal", "Q negotiator", "Q adviser",    "observer"};
  static const char* const kMethods[] = {"GET", "POST", "DELETE", "PUT"};
  const uint8_t who = data[0] % 10;
  const std::string label = who < 8 ? kLabels[who] : "";
  const std::string token = who < 8 ? world.tokens[label] : who == 8 ? std::string(43, 'A') : "";
  const std::string method = kMethods[data[1] % 4];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  const size_t nl = rest.find('\n');
  std::string target(rest.substr(0, nl));
  std::string body(nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1));
  for (size_t i; (i = target.find("$S")) != std::string::npos;) target.replace(i, 2, world.sid);
  // The fuzzer learns the marker from the comparisons it sees and may send it itself; an error
  // that names what the caller sent would then echo it to the caller, which is no leak. Spoil it
  // in the request, so a marker in the answer can only come from what party P confided.
  for (std::string* text : {&target, &body}) {
    for (size_t i; (i = text->find(kMarker)) != std::string::npos;) (*text)[i] = 'z';
  }

  shuttle::HttpRequest r;
  r.method = method;
  r.path = target.substr(0, target.find('?'));
  if (size_t q = target.find('?'); q != std::string::npos) {
    std::string_view query = std::string_view(target).substr(q + 1);
    while (!query.empty()) {
      size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      size_t eq = pair.find('=');
      r.query.emplace_back(std::string(pair.substr(0, eq)),
                           eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1)));
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
  }
  r.authorization = token.empty() ? "" : "Bearer " + token;
  r.body = body;
  r.remote = "fuzz";
  shuttle::HttpResponse out = world.service->Handle(r);
  // An event stream's chunks are its body (Server-Sent Events: not JSON, but never a marker).
  const bool stream = static_cast<bool>(out.stream);
  for (std::string chunk; out.stream && out.stream(&chunk);) out.body += chunk;

  static const int kStatuses[] = {200, 201, 400, 401, 403, 404, 405, 409, 413, 429};
  bool known = false;
  for (int s : kStatuses) known = known || out.status == s;
  if (!known) __builtin_trap();
  const bool vendor = r.path.rfind("/vendor/", 0) == 0 && out.status == 200;
  if (!vendor && !stream && (out.body.empty() || out.body.front() != '{' || out.body.back() != '}'))
    __builtin_trap();
  if (out.status == 404 && out.body != kNotFound) __builtin_trap();
  if (!MaySeeMarker(label) && out.body.find(kMarker) != std::string::npos) __builtin_trap();
  return 0;
}
