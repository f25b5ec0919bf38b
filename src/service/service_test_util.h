// Helpers for the service's unit tests: a Service on a fake clock, requests as one-liners, and a
// scripted person who plays a party through the API (confide the profile, then accept a text that
// is good enough for the visit, else object to the issue where it hurts most).
#ifndef SHUTTLE_SRC_SERVICE_SERVICE_TEST_UTIL_H_
#define SHUTTLE_SRC_SERVICE_SERVICE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "shuttle/io.h"
#include "shuttle/service.h"

namespace shuttle::service_testing {

using Json = nlohmann::ordered_json;

inline std::string HarbourScenarioText() {
  Result<std::string> text =
      ReadFile(std::string(SHUTTLE_SOURCE_DIR) + "/tests/data/service/harbour-talks.json");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

struct Reply {
  int status = 0;
  Json json;
  HttpResponse raw;
};

// Unix time from a counter the test advances; Seconds (streams' lifetimes) from the machine.
class TestClock final : public Clock {
 public:
  explicit TestClock(std::atomic<int64_t>* now_ms) : now_ms_(now_ms) {}
  double Seconds() override { return SteadyClock()->Seconds(); }
  int64_t UnixMillis() override { return now_ms_->load(); }

 private:
  std::atomic<int64_t>* now_ms_;
};

class Harness {
 public:
  explicit Harness(ServiceOptions options = {}) {
    options.clock = &clock_;
    // Streams end once drained, unless a test asks for a lifetime of its own.
    if (options.stream_seconds == ServiceOptions{}.stream_seconds) options.stream_seconds = 0;
    Result<std::unique_ptr<Service>> s = Service::Open(options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) service_ = std::move(s).value();
  }
  explicit Harness(std::unique_ptr<Service> service) : service_(std::move(service)) {}

  Service& service() { return *service_; }
  void Advance(int64_t ms) { now_ms_ += ms; }
  std::atomic<int64_t>& now_ms() { return now_ms_; }

  Reply Call(const std::string& method, const std::string& path, const std::string& token = "",
             const std::string& body = "", const std::string& remote = "127.0.0.1") {
    HttpRequest r;
    r.method = method;
    r.path = path.substr(0, path.find('?'));
    // "?a=1&b=2" as the HTTP layer decodes it (no escapes in the tests' queries).
    for (size_t i = path.find('?'); i != std::string::npos && i + 1 < path.size();) {
      const size_t end = std::min(path.find('&', i + 1), path.size());
      const std::string pair = path.substr(i + 1, end - i - 1);
      const size_t eq = pair.find('=');
      r.query.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      i = end < path.size() ? end : std::string::npos;
    }
    r.authorization = token.empty() ? "" : "Bearer " + token;
    r.body = body;
    r.remote = remote;
    Reply out;
    out.raw = service_->Handle(r);
    // An event stream: its chunks as the body (the harness's streams end once drained).
    for (std::string chunk; out.raw.stream && out.raw.stream(&chunk);) out.raw.body += chunk;
    out.status = out.raw.status;
    out.json = Json::parse(out.raw.body, nullptr, /*allow_exceptions=*/false);
    return out;
  }
  Reply Get(const std::string& path, const std::string& token) { return Call("GET", path, token); }
  Reply Post(const std::string& path, const std::string& token, const Json& body = Json::object()) {
    return Call("POST", path, token, body.dump());
  }

  // Creates a session from the harbour scenario; tokens by label ("mediator", "North negotiator").
  std::string Create(std::map<std::string, std::string>* tokens,
                     const Json& options = Json::object()) {
    Json body = {{"scenario", Json::parse(HarbourScenarioText())}, {"options", options}};
    Reply r = Call("POST", "/api/sessions", "", body.dump());
    EXPECT_EQ(r.status, 201) << r.raw.body;
    for (const Json& i : r.json["invitations"])
      (*tokens)[i["label"].get<std::string>()] = i["token"].get<std::string>();
    return r.json["session"]["id"].get<std::string>();
  }

 private:
  std::atomic<int64_t> now_ms_{1'700'000'000'000};
  TestClock clock_{&now_ms_};
  std::unique_ptr<Service> service_;
};

// A fresh SQLite file in a folder of its own under the temporary directory (`name` and the process
// id name it), removed with the object.
class TempDb {
 public:
  explicit TempDb(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDb() { std::filesystem::remove_all(dir_); }
  std::string path() const { return (dir_ / "sessions.db").string(); }

 private:
  std::filesystem::path dir_;
};

// A profile view's values of one issue as {label: v}: a discrete issue's as given, an integer
// issue's {"piecewise": points} read at every integer between its first and last point.
inline Json ValueTable(const Json& values) {
  if (!values.contains("piecewise")) return values;
  const Json& p = values["piecewise"];
  Json out = Json::object();
  for (int64_t x = p.front()[0].get<int64_t>(); x <= p.back()[0].get<int64_t>(); ++x) {
    size_t k = 1;
    while (k + 1 < p.size() && p[k][0].get<double>() < x) ++k;
    const double x0 = p[k - 1][0].get<double>(), x1 = p[k][0].get<double>();
    const double v0 = p[k - 1][1].get<double>(), v1 = p[k][1].get<double>();
    out[std::to_string(x)] = x1 == x0 ? v0 : v0 + (v1 - v0) * (x - x0) / (x1 - x0);
  }
  return out;
}

// A person playing party `party` through `token`.
class ScriptedParty {
 public:
  ScriptedParty(Harness* h, std::string sid, int party, std::string token)
      : h_(h), sid_(std::move(sid)), party_(party), token_(std::move(token)) {}

  std::string Base() const {
    return "/api/sessions/" + sid_ + "/parties/" + std::to_string(party_);
  }

  // One move when in caucus: "confide", "counter", "accept", "object"; "" when not in caucus.
  std::string Step() {
    if (profile_.is_null()) profile_ = h_->Get(Base() + "/profile", token_).json;
    Json c = h_->Get(Base() + "/caucus", token_).json;
    if (!c["in_caucus"].get<bool>()) return "";
    if (c["confided"].empty()) {
      Json body = {{"weights", profile_["weights"]},
                   {"values", profile_["values"]},
                   {"red_lines", profile_["red_lines"]},
                   {"reservation_value", profile_["reservation_value"]}};
      return Expect200(h_->Post(Base() + "/confide", token_, body), "confide");
    }
    if (c["text"].is_null())
      return Expect200(h_->Post(Base() + "/counter", token_, {{"outcome", Best()}}), "counter");
    const double rv = profile_["reservation_value"].get<double>();
    const double aspiration = std::max(rv + 0.05, 0.95 - 0.07 * (c["visit"].get<int>() - 1));
    if (c["utility"].get<double>() >= aspiration - 1e-9)
      return Expect200(h_->Post(Base() + "/accept", token_), "accept");
    return Expect200(h_->Post(Base() + "/object", token_, Objection(c["text"])), "object");
  }

 private:
  std::string Expect200(const Reply& r, const char* move) {
    EXPECT_EQ(r.status, 200) << move << ": " << r.raw.body;
    return move;
  }
  static Json Value(const std::string& label, bool numeric) {
    return numeric ? Json(std::stoll(label)) : Json(label);
  }
  static bool Numeric(const std::string& issue) { return issue == "patrols"; }
  Json Best() const {
    Json out = Json::object();
    for (const auto& [issue, values] : profile_["values"].items()) {
      std::string best;
      double v = -1;
      const Json table = ValueTable(values);
      for (const auto& [label, x] : table.items()) {
        if (x.get<double>() > v) v = x.get<double>(), best = label;
      }
      out[issue] = Value(best, Numeric(issue));
    }
    return out;
  }
  Json Objection(const Json& text) const {
    std::string worst;
    double loss = -1, now = 0;
    for (const auto& [issue, value] : text.items()) {
      const std::string label =
          value.is_string() ? value.get<std::string>() : std::to_string(value.get<int64_t>());
      const double v = ValueTable(profile_["values"][issue])[label].get<double>();
      const double l = profile_["weights"][issue].get<double>() * (1 - v);
      if (l > loss) loss = l, worst = issue, now = v;
    }
    Json livable = Json::array();
    const Json table = ValueTable(profile_["values"][worst]);
    for (const auto& [label, x] : table.items()) {
      if (x.get<double>() > now) livable.push_back(Value(label, Numeric(worst)));
    }
    return {{"issues", {{{"issue", worst}, {"could_live_with", livable}}}}};
  }

  Harness* h_;
  std::string sid_;
  int party_;
  std::string token_;
  Json profile_;
};

// Plays until the talks end (or `max_rounds` passes); returns the final status.
inline std::string PlayOut(Harness* h, const std::string& sid,
                           std::map<std::string, std::string>& tokens, int max_rounds = 500) {
  ScriptedParty north(h, sid, 0, tokens["North negotiator"]);
  ScriptedParty south(h, sid, 1, tokens["South negotiator"]);
  for (int i = 0; i < max_rounds; ++i) {
    north.Step();
    south.Step();
    std::string status =
        h->Get("/api/sessions/" + sid, tokens["mediator"]).json["status"].get<std::string>();
    if (status != "talking") return status;
  }
  return "talking";
}

}  // namespace shuttle::service_testing

#endif  // SHUTTLE_SRC_SERVICE_SERVICE_TEST_UTIL_H_
