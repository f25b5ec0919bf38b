// The service through its request handler: a whole mediated session, tokens and revocation, rate
// limiting, bad input that stores nothing, storage failures, and replay after reopening.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include "service/service_impl.h"
#include "service/service_test_util.h"
#include "service/store.h"

namespace shuttle::service_testing {
namespace {

using service_internal::MakeMemoryStore;
using service_internal::ServiceImpl;

std::string S(const std::string& sid) { return "/api/sessions/" + sid; }

size_t EventCount(Harness& h, const std::string& sid, const std::string& mediator) {
  return h.Get(S(sid) + "/events", mediator).json["next"].get<size_t>();
}

TEST(ServiceTest, CreatesASessionWithOneInvitationPerRoleAndParty) {
  Harness h;
  Json body = {{"scenario", Json::parse(HarbourScenarioText())}};
  Reply r = h.Call("POST", "/api/sessions", "", body.dump());
  ASSERT_EQ(r.status, 201) << r.raw.body;
  const Json& inv = r.json["invitations"];
  ASSERT_EQ(inv.size(), 8u);  // mediator, 3 x North, 3 x South, observer
  EXPECT_EQ(inv[0]["role"], "mediator");
  EXPECT_EQ(inv[7]["role"], "observer");
  std::set<std::string> tokens;
  for (const Json& i : inv) {
    const std::string token = i["token"].get<std::string>();
    EXPECT_EQ(token.size(), 43u);
    tokens.insert(token);
    const std::string link = i["link"].get<std::string>();
    const std::string page = i["role"] == "mediator"   ? "/mediator.html"
                             : i["role"] == "observer" ? "/public.html"
                                                       : "/party.html";
    EXPECT_EQ(link, "http://127.0.0.1:8080" + page + "?token=" + token);
  }
  EXPECT_EQ(tokens.size(), 8u);
  EXPECT_EQ(r.json["session"]["status"], "talking");
  EXPECT_EQ(r.json["session"]["parties"][1]["name"], "South");
}

TEST(ServiceTest, AWholeMediatedSessionReachesAnAgreementBothCanLiveWith) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  ASSERT_EQ(PlayOut(&h, sid, t), "agreement");
  Reply pub = h.Get(S(sid) + "/public", t["observer"]);
  ASSERT_EQ(pub.status, 200);
  const Json& agreement = pub.json["agreement"];
  ASSERT_TRUE(agreement.is_object());
  // Each party's own utility of the agreement, by its own profile, clears its reservation value.
  for (const char* member : {"North principal", "South principal"}) {
    Json me = h.Get("/api/me", t[member]).json;
    const int p = me["party"].get<int>();
    Json profile = h.Get(S(sid) + "/parties/" + std::to_string(p) + "/profile", t[member]).json;
    double u = 0;
    for (const auto& [issue, value] : agreement.items()) {
      const std::string label =
          value.is_string() ? value.get<std::string>() : std::to_string(value.get<int>());
      u += profile["weights"][issue].get<double>() *
           ValueTable(profile["values"][issue])[label].get<double>();
    }
    EXPECT_GT(u, profile["reservation_value"].get<double>()) << member;
  }
  EXPECT_EQ(pub.json["statements"].size(), pub.json["gap_by_visit"].size());
  EXPECT_EQ(pub.json["gap_by_visit"].back(), 0.0);
  // Once over, moves are refused with 409 and nothing is added.
  const size_t n = EventCount(h, sid, t["mediator"]);
  Reply late = h.Post(S(sid) + "/parties/0/accept", t["North principal"]);
  EXPECT_EQ(late.status, 409) << late.raw.body;
  EXPECT_EQ(EventCount(h, sid, t["mediator"]), n);
}

// The harbour with a harbour fee: a real issue of 81 values (24000 to 28000 in steps of 50).
Json HarbourWithAFee() {
  Json scenario = Json::parse(HarbourScenarioText());
  scenario["issues"].push_back(
      {{"name", "fee"}, {"type", "real"}, {"lower", 24000}, {"upper", 28000}, {"step", 50}});
  Json& north = scenario["parties"][0]["profile"];
  Json& south = scenario["parties"][1]["profile"];
  north["weights"]["berths"] = 0.3;
  north["weights"]["fee"] = 0.1;
  north["evaluators"]["fee"] = {{"linear", {{"p0", 7.0}, {"p1", -0.00025}}}};  // 1 to 0.
  south["weights"]["berths"] = 0.25;
  south["weights"]["fee"] = 0.1;
  south["evaluators"]["fee"] = {
      {"triangular", {{"lower", 24000}, {"peak", 27000}, {"upper", 28000}}}};
  return scenario;
}

TEST(ServiceTest, NumericIssuesAreRangesAndTheirValueFunctionsPoints) {
  Harness h;
  Reply created =
      h.Call("POST", "/api/sessions", "", Json({{"scenario", HarbourWithAFee()}}).dump());
  ASSERT_EQ(created.status, 201) << created.raw.body;
  std::map<std::string, std::string> t;
  for (const Json& i : created.json["invitations"])
    t[i["label"].get<std::string>()] = i["token"].get<std::string>();
  const std::string sid = created.json["session"]["id"].get<std::string>();
  Json issues = h.Get(S(sid), t["North principal"]).json["issues"];
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(issues[0]["values"].size(), 5u);  // berths: discrete, listed.
  EXPECT_EQ(
      issues[2],
      Json({{"name", "patrols"}, {"type", "integer"}, {"lower", 0}, {"upper", 3}, {"step", 1}}));
  EXPECT_EQ(issues[4], Json({{"name", "fee"},
                             {"type", "real"},
                             {"lower", 24000.0},
                             {"upper", 28000.0},
                             {"step", 50.0}}));
  Json north = h.Get(S(sid) + "/parties/0/profile", t["North principal"]).json["values"];
  EXPECT_EQ(north["berths"]["even split"], 0.55);
  EXPECT_EQ(north["patrols"], Json({{"piecewise", {{0.0, 0.0}, {3.0, 1.0}}}}));
  ASSERT_EQ(north["fee"]["piecewise"].size(), 2u);  // Linear: its two ends.
  EXPECT_EQ(north["fee"]["piecewise"][0][0], 24000.0);
  EXPECT_NEAR(north["fee"]["piecewise"][0][1].get<double>(), 1.0, 1e-9);
  EXPECT_EQ(north["fee"]["piecewise"][1][0], 28000.0);
  EXPECT_NEAR(north["fee"]["piecewise"][1][1].get<double>(), 0.0, 1e-9);
  Json south = h.Get(S(sid) + "/parties/1/profile", t["South principal"]).json["values"];
  ASSERT_EQ(south["fee"]["piecewise"].size(), 3u);
  EXPECT_EQ(south["fee"]["piecewise"][1][0], 27000.0);
  EXPECT_NEAR(south["fee"]["piecewise"][1][1].get<double>(), 1.0, 1e-9);
  // A numeric issue's values confided as points reach the mediator as they were sent.
  ASSERT_EQ(h.Post(S(sid) + "/parties/0/accept", t["North principal"]).status, 200);
  Json points = {{"piecewise", {{24000, 1.0}, {26000, 0.7}, {28000, 0.0}}}};
  Reply confided =
      h.Post(S(sid) + "/parties/1/confide", t["South principal"], {{"values", {{"fee", points}}}});
  ASSERT_EQ(confided.status, 200) << confided.raw.body;
  Json model = h.Get(S(sid) + "/mediator", t["mediator"]).json["parties"][1]["model"];
  EXPECT_EQ(model["confided"]["values"]["fee"], points);
}

TEST(ServiceTest, PartyMovesOutOfTurnAreConflicts) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  Reply r = h.Post(S(sid) + "/parties/1/accept", t["South negotiator"]);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json["error"]["code"], "conflict");
  Json c = h.Get(S(sid) + "/parties/1/caucus", t["South adviser"]).json;
  EXPECT_FALSE(c["in_caucus"].get<bool>());
  EXPECT_EQ(c["can"], Json::array({"note"}));
}

TEST(ServiceTest, RolesWithinReachThatMayNotActGet403) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  EXPECT_EQ(h.Post(S(sid) + "/parties/0/accept", t["North adviser"]).status, 403);
  EXPECT_EQ(h.Post(S(sid) + "/parties/0/walk-out", t["North negotiator"]).status, 403);
  EXPECT_EQ(h.Post(S(sid) + "/parties/0/accept", t["mediator"]).status, 403);
  Reply ok =
      h.Post(S(sid) + "/parties/0/confide", t["North adviser"], {{"reservation_value", 0.3}});
  EXPECT_EQ(ok.status, 200) << ok.raw.body;
}

TEST(ServiceTest, RevokedTokensAreRefusedLikeUnknownOnes) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  Reply list = h.Get(S(sid) + "/invitations", t["mediator"]);
  ASSERT_EQ(list.status, 200);
  std::string adviser;
  for (const Json& i : list.json["invitations"]) {
    EXPECT_FALSE(i.contains("token"));
    if (i["label"] == "South adviser") adviser = i["id"].get<std::string>();
  }
  ASSERT_EQ(h.Get(S(sid), t["South adviser"]).status, 200);
  Reply revoked = h.Call("DELETE", S(sid) + "/invitations/" + adviser, t["mediator"]);
  ASSERT_EQ(revoked.status, 200) << revoked.raw.body;
  EXPECT_TRUE(revoked.json["invitation"]["revoked"].get<bool>());
  Reply after = h.Get(S(sid), t["South adviser"]);
  Reply unknown = h.Get(S(sid), std::string(43, 'A'));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.raw.body, unknown.raw.body);
  // A new invitation works at once.
  Reply added = h.Post(S(sid) + "/invitations", t["mediator"],
                       {{"role", "adviser"}, {"party", "South"}, {"label", "new"}});
  ASSERT_EQ(added.status, 201) << added.raw.body;
  EXPECT_EQ(
      h.Get(S(sid) + "/parties/1/caucus", added.json["invitation"]["token"].get<std::string>())
          .status,
      200);
}

TEST(ServiceTest, RepeatedBadTokensAreRateLimitedPerAddress) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  const std::string bad(43, 'x');
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(h.Call("GET", S(sid), bad, "", "10.0.0.9").status, 401) << i;
  EXPECT_EQ(h.Call("GET", S(sid), bad, "", "10.0.0.9").status,
            401);  // The 21st failure starts the block.
  Reply blocked = h.Call("GET", S(sid), bad, "", "10.0.0.9");
  EXPECT_EQ(blocked.status, 429);
  // Issue 12.5: a valid token from the blocked address is served (behind a proxy that address is
  // everyone), and so is session creation without a create key.
  EXPECT_EQ(h.Call("GET", S(sid), t["mediator"], "", "10.0.0.9").status, 200);
  Json body = {{"scenario", Json::parse(HarbourScenarioText())}};
  EXPECT_EQ(h.Call("POST", "/api/sessions", "", body.dump(), "10.0.0.9").status, 201);
  bool retry = false;
  for (const auto& [k, v] : blocked.raw.headers)
    retry = retry || (k == "Retry-After" && std::stoi(v) > 0);
  EXPECT_TRUE(retry);
  EXPECT_EQ(h.Call("GET", S(sid), t["mediator"], "", "10.0.0.8").status,
            200);  // Other addresses are served.
  h.Advance(61'000);
  EXPECT_EQ(h.Call("GET", S(sid), bad, "", "10.0.0.9").status, 401);
}

TEST(ServiceTest, BadInputIsA4xxWithAMessageAndStoresNothing) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  const std::string me = t["North negotiator"];
  const size_t n = EventCount(h, sid, t["mediator"]);
  struct Case {
    std::string path, body;
    int status;
  } cases[] = {
      {"/parties/0/confide", "{\"weights\": ", 400},
      {"/parties/0/confide", "[1, 2]", 400},
      {"/parties/0/confide", "{\"weights\": {\"berths\": 0.5}, \"mood\": \"angry\"}", 400},
      {"/parties/0/confide", "{\"reservation_value\": \"high\"}", 400},
      {"/parties/0/confide", "{\"weights\": {\"harbour\": 0.5}}", 400},
      {"/parties/0/confide", "{}", 400},
      {"/parties/0/counter", "{\"outcome\": {\"berths\": \"even split\"}}", 400},
      {"/parties/0/counter",
       "{\"outcome\": {\"berths\": 7, \"dredging\": \"shared\", \"patrols\": 1, \"start\": "
       "\"spring\"}}",
       400},
      {"/parties/0/counter", "{\"outcome\": \"everything\"}", 400},
      {"/parties/0/accept", "{\"really\": true}", 400},
      {"/parties/0/notes", "{\"text\": 5}", 400},
      {"/parties/0/notes", "{\"text\": \"\"}", 400},
      {"/parties/0/notes", "{\"text\": \"" + std::string(4001, 'a') + "\"}", 400},
      {"/parties/0/notes", "{\"text\": \"" + std::string(70'000, 'a') + "\"}", 413},
      {"/anonymous-notes", "\xff\xfe", 400},
  };
  for (const Case& c : cases) {
    Reply r = h.Call("POST", S(sid) + c.path, me, c.body);
    EXPECT_EQ(r.status, c.status) << c.path << " " << c.body.substr(0, 80) << " -> "
                                  << r.raw.body.substr(0, 200);
    ASSERT_TRUE(r.json.is_object()) << r.raw.body;
    EXPECT_FALSE(r.json["error"]["message"].get<std::string>().empty());
  }
  EXPECT_EQ(EventCount(h, sid, t["mediator"]), n);
  Reply bad_create =
      h.Call("POST", "/api/sessions", "", "{\"scenario\": {\"format\": \"shuttle-scenario\"}}");
  EXPECT_EQ(bad_create.status, 400);
  EXPECT_EQ(h.service().session_count(), 1u);
}

// Regressions from a docs review: a key quoted twice ('"x"'), "a adviser", and a single
// invitation's error reported at "invitations[0].party" though the body holds no list.
TEST(ServiceTest, ErrorMessagesNameWhatTheCallerSent) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  auto message = [](const Reply& r) { return r.json["error"]["message"].get<std::string>(); };
  Reply extra = h.Post(S(sid) + "/parties/0/accept", t["North negotiator"], {{"x", 1}});
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(message(extra), "body: unknown field \"x\" (expected no fields)");
  Reply adviser = h.Post(S(sid) + "/parties/0/accept", t["North adviser"]);
  EXPECT_EQ(adviser.status, 403);
  EXPECT_EQ(message(adviser), "an adviser may not do this");
  Reply mediator = h.Post(S(sid) + "/parties/0/accept", t["mediator"]);
  EXPECT_EQ(message(mediator), "a mediator may not do this");
  Reply no_party = h.Post(S(sid) + "/invitations", t["mediator"], {{"role", "adviser"}});
  EXPECT_EQ(no_party.status, 400);
  EXPECT_EQ(message(no_party), "body.party: required for a party role");
  Reply observer =
      h.Post(S(sid) + "/invitations", t["mediator"], {{"role", "observer"}, {"party", 0}});
  EXPECT_EQ(message(observer), "body.party: only party roles have a party");
  Reply chief = h.Post(S(sid) + "/invitations", t["mediator"], {{"role", "chief"}});
  EXPECT_EQ(message(chief).rfind("body.role: unknown role \"chief\"", 0), 0u) << message(chief);
  // In a new session the mediator's invitation is put first: the index is still the body's.
  Json body = {{"scenario", Json::parse(HarbourScenarioText())},
               {"invitations", Json::array({{{"role", "observer"}}, {{"role", "adviser"}}})}};
  Reply create = h.Call("POST", "/api/sessions", "", body.dump());
  EXPECT_EQ(create.status, 400);
  EXPECT_EQ(message(create), "body.invitations[1].party: required for a party role");
}

// Issue 12.1 and 12.9: a 140 KB body of 70,000 nested arrays killed the server (the depth check ran
// after a recursive dump of the parsed body), and a duplicate key in a body silently kept the last
// value. Both are refused while parsing, with the path of the offending field.
TEST(ServiceTest, DeepOrDuplicatedJsonInABodyIsRefusedWithItsPath) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  const size_t n = EventCount(h, sid, t["mediator"]);
  auto message = [](const Reply& r) { return r.json["error"]["message"].get<std::string>(); };
  const std::string deep = std::string(70'000, '[') + std::string(70'000, ']');
  for (const char* field : {"scenario", "options"}) {
    const std::string body = "{\"" + std::string(field) + "\": " + deep + "}";
    Reply r = h.Call("POST", "/api/sessions", "", body);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_NE(message(r).find("nesting deeper than 64 levels"), std::string::npos) << message(r);
    EXPECT_EQ(message(r).rfind("body.", 0), 0u) << message(r);
  }
  const std::string deep_confide =
      "{\"weights\": " + std::string(30'000, '[') + std::string(30'000, ']') + "}";
  Reply confide =
      h.Call("POST", S(sid) + "/parties/0/confide", t["North negotiator"], deep_confide);
  EXPECT_EQ(confide.status, 400);
  EXPECT_NE(message(confide).find("nesting deeper"), std::string::npos) << message(confide);

  Reply dup = h.Call("POST", S(sid) + "/parties/0/confide", t["North negotiator"],
                     R"({"reservation_value": 0.9, "reservation_value": 0.1})");
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(message(dup), "body: duplicate key 'reservation_value'");
  Reply dup_note = h.Call("POST", S(sid) + "/parties/0/notes", t["North negotiator"],
                          R"({"text": "a", "text": "b"})");
  EXPECT_EQ(dup_note.status, 400);
  EXPECT_EQ(message(dup_note), "body: duplicate key 'text'");
  EXPECT_EQ(EventCount(h, sid, t["mediator"]), n);

  std::string scenario = HarbourScenarioText();
  scenario.insert(scenario.find('{') + 1, "\"name\": \"twice\", ");
  Reply dup_scenario = h.Call("POST", "/api/sessions", "", "{\"scenario\": " + scenario + "}");
  EXPECT_EQ(dup_scenario.status, 400);
  EXPECT_EQ(message(dup_scenario), "body.scenario: duplicate key 'name'");
  Reply dup_options =
      h.Call("POST", "/api/sessions", "",
             "{\"scenario\": " + HarbourScenarioText() +
                 ", \"options\": {\"criterion\": \"ks\", \"criterion\": \"nash\"}}");
  EXPECT_EQ(dup_options.status, 400);
  EXPECT_EQ(message(dup_options), "body.options: duplicate key 'criterion'");
  EXPECT_EQ(h.service().session_count(), 1u);
}

// Issue 12.4: an anonymous note's time was rounded to the hour, but its place among timestamped
// events told when it was sent. Now it is in no event sequence and reaches the mediator's console
// once its hour is over, with the hour's other notes, in text order.
TEST(ServiceTest, AnonymousNotesReachTheMediatorInHourlyBatchesWithoutIdentity) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  h.Advance(1234'567);
  const std::string before = h.Get(S(sid) + "/events", t["mediator"]).raw.body;
  ASSERT_EQ(
      h.Post(S(sid) + "/anonymous-notes", t["North adviser"], {{"text", "the north will fold"}})
          .status,
      201);
  ASSERT_EQ(h.Post(S(sid) + "/statements", t["mediator"], {{"text", "Talks go on."}}).status, 201);
  h.Advance(60'000);
  ASSERT_EQ(
      h.Post(S(sid) + "/anonymous-notes", t["South principal"], {{"text", "a south tip"}}).status,
      201);
  // Nothing in any event sequence, and nothing in the console while the hour runs.
  const std::string after = h.Get(S(sid) + "/events", t["mediator"]).raw.body;
  EXPECT_EQ(after.find("fold"), std::string::npos);
  EXPECT_EQ(after.find("south tip"), std::string::npos);
  EXPECT_EQ(h.Get(S(sid) + "/events", t["mediator"]).json["events"].size(),
            Json::parse(before)["events"].size() + 1);  // The statement only.
  EXPECT_TRUE(h.Get(S(sid) + "/mediator", t["mediator"]).json["anonymous_notes"].empty());
  h.Advance(3'600'000);
  Json notes = h.Get(S(sid) + "/mediator", t["mediator"]).json["anonymous_notes"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]["text"], "a south tip");  // Text order, not the order they came in.
  EXPECT_EQ(notes[1]["text"], "the north will fold");
  EXPECT_EQ(notes[0]["batch"], notes[1]["batch"]);
  EXPECT_EQ(notes[0]["batch"].get<std::string>().substr(14), "00:00Z");
  EXPECT_FALSE(notes[0].contains("actor"));
  for (const char* other : {"North adviser", "South principal", "observer"}) {
    for (const char* path : {"/events", "/public", ""}) {
      std::string body = h.Get(S(sid) + path, t[other]).raw.body;
      EXPECT_EQ(body.find("will fold"), std::string::npos) << other << path;
    }
  }
}

TEST(ServiceTest, NotesPerInvitationAreCappedPerHour) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(
        h.Post(S(sid) + "/parties/0/notes", t["North adviser"], {{"text", "n" + std::to_string(i)}})
            .status,
        201);
  }
  Reply capped = h.Post(S(sid) + "/parties/0/notes", t["North adviser"], {{"text", "one more"}});
  EXPECT_EQ(capped.status, 429);
  EXPECT_EQ(capped.json["error"]["message"],
            "at most 30 notes per hour from one invitation; try again later");
  EXPECT_EQ(h.Post(S(sid) + "/anonymous-notes", t["North adviser"], {{"text", "anon"}}).status,
            429);
  EXPECT_EQ(h.Post(S(sid) + "/parties/0/notes", t["North negotiator"], {{"text", "mine"}}).status,
            201);
  h.Advance(3'600'000);
  EXPECT_EQ(h.Post(S(sid) + "/parties/0/notes", t["North adviser"], {{"text", "next hour"}}).status,
            201);
}

// Issue 12.6: events were read whole (a 14,000-event log: p99 1.2 s, memory 53 -> 422 MiB).
TEST(ServiceTest, EventsAreReadInPages) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  for (int i = 0; i < 1200; ++i) {
    ASSERT_EQ(
        h.Post(S(sid) + "/statements", t["mediator"], {{"text", "s" + std::to_string(i)}}).status,
        201);
  }
  Json first = h.Get(S(sid) + "/events", t["observer"]).json;
  EXPECT_EQ(first["events"].size(), 500u);
  EXPECT_TRUE(first["more"].get<bool>());
  std::vector<std::string> texts;
  size_t next = 0;
  for (int pages = 0; pages < 10; ++pages) {
    Json page =
        h.Get(S(sid) + "/events?after=" + std::to_string(next) + "&limit=1000", t["observer"]).json;
    for (const Json& e : page["events"]) {
      EXPECT_EQ(e["seq"].get<size_t>(), next + (&e - &page["events"][0]));
      if (e["type"] == "statement") texts.push_back(e["text"]);
    }
    next = page["next"].get<size_t>();
    if (!page["more"].get<bool>()) break;
  }
  ASSERT_EQ(texts.size(), 1200u);
  for (int i = 0; i < 1200; ++i) EXPECT_EQ(texts[i], "s" + std::to_string(i));
  for (const char* bad : {"?limit=0", "?limit=1001", "?limit=x", "?after=-1"}) {
    EXPECT_EQ(h.Get(S(sid) + "/events" + bad, t["observer"]).status, 400) << bad;
  }
}

// Issue 12.6: the rooms polled; an event stream pushes the caller's view as it grows.
TEST(ServiceTest, AnEventStreamPushesNewEventsOfTheCallersViewOnly) {
  ServiceOptions options;
  options.stream_seconds = 3;
  Harness h(options);
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  HttpRequest r;
  r.method = "GET";
  r.path = S(sid) + "/stream";
  r.query = {{"token", t["South negotiator"]}};
  HttpResponse open = h.service().Handle(r);
  ASSERT_EQ(open.status, 200);
  ASSERT_TRUE(static_cast<bool>(open.stream));
  EXPECT_EQ(open.content_type, "text/event-stream");
  std::mutex mutex;
  std::string received;
  std::chrono::steady_clock::time_point statement_seen{};
  std::thread reader([&] {
    for (std::string chunk; open.stream(&chunk);) {
      std::lock_guard<std::mutex> lock(mutex);
      received += chunk;
      if (statement_seen == std::chrono::steady_clock::time_point{} &&
          received.find("Talks go on") != std::string::npos) {
        statement_seen = std::chrono::steady_clock::now();
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(
      h.Post(
           S(sid) + "/parties/0/confide", t["North negotiator"],
           {{"red_lines",
             {{{"issue", "berths"}, {"forbid", {"two to one"}}, {"note", "NORTH-STREAM-SECRET"}}}}})
          .status,
      200);
  const auto posted = std::chrono::steady_clock::now();
  ASSERT_EQ(h.Post(S(sid) + "/statements", t["mediator"], {{"text", "Talks go on."}}).status, 201);
  reader.join();  // The stream ends after its 3 s lifetime.
  EXPECT_NE(received.find("retry: "), std::string::npos);
  EXPECT_NE(received.find("id: 0\nevent: event\ndata: {"), std::string::npos)
      << received.substr(0, 200);
  ASSERT_NE(statement_seen, std::chrono::steady_clock::time_point{}) << received;
  EXPECT_LT(statement_seen - posted, std::chrono::seconds(1));
  EXPECT_EQ(received.find("NORTH-STREAM-SECRET"), std::string::npos);
  // Reconnecting with Last-Event-ID goes on after it.
  const size_t last =
      std::count(received.begin(), received.end(), '\n') > 0 ? received.rfind("id: ") : 0;
  const size_t id = std::stoul(received.substr(last + 4));
  r.last_event_id = std::to_string(id);
  HttpResponse again = h.service().Handle(r);
  std::string rest;
  for (std::string chunk; again.stream(&chunk);) rest += chunk;
  EXPECT_EQ(rest.find("id: " + std::to_string(id) + "\n"), std::string::npos);
}

TEST(ServiceTest, StorageFailureAnswers500AndLeavesTheSessionAsItWas) {
  int fail = 0;
  ServiceOptions options;
  std::atomic<int64_t> now{1'700'000'000'000};
  TestClock clock(&now);
  options.clock = &clock;
  auto impl = std::make_unique<ServiceImpl>(options, MakeMemoryStore(&fail));
  ASSERT_TRUE(impl->Load().ok());
  Harness h(std::move(impl));
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t);
  const size_t n = EventCount(h, sid, t["mediator"]);
  fail = 1;
  Reply r =
      h.Post(S(sid) + "/parties/0/confide", t["North negotiator"], {{"reservation_value", 0.4}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(EventCount(h, sid, t["mediator"]), n);
  Json c = h.Get(S(sid) + "/parties/0/caucus", t["North negotiator"]).json;
  EXPECT_TRUE(c["confided"].empty());
  r = h.Post(S(sid) + "/parties/0/confide", t["North negotiator"], {{"reservation_value", 0.4}});
  EXPECT_EQ(r.status, 200) << r.raw.body;
}

TEST(ServiceTest, ReopeningTheDatabaseReplaysEverySessionAndPlaysOn) {
  auto dir =
      std::filesystem::temp_directory_path() / ("shuttle_service_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  ServiceOptions options;
  options.db_path = (dir / "reopen.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((options.db_path + suffix).c_str());
  std::map<std::string, std::string> t;
  std::string sid, before;
  {
    Harness h(options);
    sid = h.Create(&t);
    ScriptedParty north(&h, sid, 0, t["North negotiator"]);
    ScriptedParty south(&h, sid, 1, t["South negotiator"]);
    for (int i = 0; i < 3; ++i) north.Step(), south.Step();
    ASSERT_EQ(
        h.Post(S(sid) + "/statements", t["mediator"], {{"text", "Talks resume next week."}}).status,
        201);
    before = h.Get(S(sid) + "/events", t["mediator"]).raw.body;
  }
  Harness h(options);
  ASSERT_EQ(h.service().session_count(), 1u);
  EXPECT_EQ(h.Get(S(sid) + "/events", t["mediator"]).raw.body, before);
  EXPECT_EQ(PlayOut(&h, sid, t), "agreement");
}

// Issue 12.2: a 400-byte scenario with one integer issue of 10^9 values took the machine's memory,
// one of 10^7 kept 500 MiB per session for good. The size is checked before any table is made.
std::string RangeScenario(uint64_t upper) {
  Json sc = Json::parse(HarbourScenarioText());
  sc["issues"][2]["upper"] = upper;
  return Json{{"scenario", sc}}.dump();
}

TEST(ServiceTest, ScenariosPastTheSizeLimitsAreRefusedBeforeAnyTable) {
  Harness h;
  auto message = [](const Reply& r) { return r.json["error"]["message"].get<std::string>(); };
  for (uint64_t upper : {1'000'000'000ull, 10'000'000ull, 100'000ull}) {
    Reply r = h.Call("POST", "/api/sessions", "", RangeScenario(upper));
    EXPECT_EQ(r.status, 400) << upper;
    EXPECT_EQ(message(r),
              fmt::format("scenario.issues[2] 'patrols': {} values; a session takes at most 100000 "
                          "values per issue",
                          upper + 1));
  }
  EXPECT_EQ(h.service().session_count(), 0u);
  EXPECT_EQ(h.Call("POST", "/api/sessions", "", RangeScenario(99'999)).status, 201);

  ServiceOptions tight;
  tight.max_table_cells = 50;  // Harbour: 5 + 3 + 4 + 3 values, 2 parties: 30 cells.
  Harness small(tight);
  EXPECT_EQ(small.Call("POST", "/api/sessions", "", RangeScenario(3)).status, 201);
  Reply r = small.Call("POST", "/api/sessions", "", RangeScenario(20));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      message(r),
      "scenario: 32 values over its issues for 2 parties; a session takes at most 50 values times "
      "parties");
}

TEST(ServiceTest, AStoredSessionPastTheLimitsDoesNotKeepTheServerFromStarting) {
  auto dir =
      std::filesystem::temp_directory_path() / ("shuttle_service_size_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  ServiceOptions options;
  options.db_path = (dir / "size.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((options.db_path + suffix).c_str());
  std::map<std::string, std::string> small_tokens;
  std::string small, large;
  {
    Harness h(options);
    small = h.Create(&small_tokens);
    Reply r = h.Call("POST", "/api/sessions", "", RangeScenario(50'000));
    ASSERT_EQ(r.status, 201);
    large = r.json["session"]["id"].get<std::string>();
  }
  std::vector<std::string> logged;
  options.max_values_per_issue = 1000;
  options.log = [&](std::string_view line) { logged.emplace_back(line); };
  Harness h(options);
  EXPECT_EQ(h.service().session_count(), 1u);
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].rfind(
                "session " + large + " not loaded: scenario.issues[2] 'patrols': 50001 values", 0),
            0u)
      << logged[0];
  EXPECT_EQ(h.Get(S(small) + "/public", small_tokens["observer"]).status, 200);
  std::filesystem::remove_all(dir);
}

TEST(ServiceTest, OpenScenarioReusesTheSessionAndRenewsItsLinks) {
  Harness h;
  Result<OpenedSession> first = h.service().OpenScenario(HarbourScenarioText(), "harbour.json");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);
  Result<OpenedSession> second = h.service().OpenScenario(HarbourScenarioText(), "harbour.json");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->session_id, first->session_id);
  EXPECT_EQ(h.service().session_count(), 1u);
  EXPECT_EQ(h.Get("/api/me", first->invitations[0].token).status, 401);
  EXPECT_EQ(h.Get("/api/me", second->invitations[0].token).status, 200);
  EXPECT_FALSE(h.service().OpenScenario("{]", "broken.json").ok());
}

TEST(ServiceTest, CreateKeyGuardsSessionCreation) {
  ServiceOptions options;
  options.create_key = "k3y";
  Harness h(options);
  Json body = {{"scenario", Json::parse(HarbourScenarioText())}};
  EXPECT_EQ(h.Call("POST", "/api/sessions", "", body.dump()).status, 401);
  EXPECT_EQ(h.Call("POST", "/api/sessions", "wrong", body.dump()).status, 401);
  EXPECT_EQ(h.Call("POST", "/api/sessions", "k3y", body.dump()).status, 201);
}

TEST(ServiceTest, UnknownPathsAndMethods) {
  Harness h;
  EXPECT_EQ(h.Get("/api/nothing", "").status, 404);
  EXPECT_EQ(h.Call("DELETE", "/api/health").status, 405);
  Reply health = h.Get("/api/health", "");
  EXPECT_EQ(health.status, 200);
  bool no_store = false;
  for (const auto& [k, v] : health.raw.headers)
    no_store = no_store || (k == "Cache-Control" && v == "no-store");
  EXPECT_TRUE(no_store);
}

}  // namespace
}  // namespace shuttle::service_testing
