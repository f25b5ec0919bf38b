// The authorization matrix: every endpoint x every role x own and foreign party and session.
// Unique marker strings are planted in each party's confidences and caucus notes, in an anonymous
// note and a public statement of two sessions; every response body and header is scanned for the
// markers its caller must not see, and everything outside a caller's reach must answer exactly
// like something that does not exist. The routes are api.cc's own table (RouteTable()), each
// checked against an expectation row written here: a route without a row fails.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "service/service_impl.h"
#include "service/service_test_util.h"

namespace shuttle::service_testing {
namespace {

using service_internal::RouteInfo;
using service_internal::RouteTable;

const char* const kRoles[] = {"mediator",      "North principal", "North negotiator",
                              "North adviser", "South principal", "South negotiator",
                              "South adviser", "observer"};
constexpr const char* kNotFoundBody = R"({"error":{"code":"not_found","message":"not found"}})";
// North's own red-line note in the scenario: only North's members may ever read it.
constexpr const char* kNorthSecret = "the fishing fleet would leave";

// What each route should be, written here independently of api.cc's table (RouteTable()): the
// tests below fail when a route has no row (a new route must be placed in the matrix), when a row
// says otherwise than the table, and when a row names a route that no longer exists.
struct Expectation {
  const char* method;
  const char* pattern;  // As in the table: {sid}, {p}, {iid}, {file}
  const char* auth;     // "none", "create", "token"
  const char* reach;    // "session", "mediator", "members", "caucus"
  const char* roles;    // Who within reach may call it; empty: all.
};

const Expectation kExpectations[] = {
    // No token: anyone may call these; creating takes the create key when one is set.
    {"GET", "/api/health", "none", "session", ""},
    {"GET", "/vendor/{file}", "none", "session", ""},
    {"POST", "/api/sessions", "create", "session", ""},
    {"GET", "/api/me", "token", "session", ""},
    {"GET", "/api/sessions/{sid}", "token", "session", ""},
    {"GET", "/api/sessions/{sid}/events", "token", "session", ""},
    {"GET", "/api/sessions/{sid}/public", "token", "session", ""},
    {"GET", "/api/sessions/{sid}/stream", "token", "session", ""},
    {"POST", "/api/sessions/{sid}/anonymous-notes", "token", "session", ""},
    {"GET", "/api/sessions/{sid}/parties/{p}/caucus", "token", "caucus", ""},
    {"GET", "/api/sessions/{sid}/parties/{p}/profile", "token", "members", ""},
    {"POST", "/api/sessions/{sid}/parties/{p}/confide", "token", "caucus",
     "principal negotiator adviser"},
    {"POST", "/api/sessions/{sid}/parties/{p}/accept", "token", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/object", "token", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/counter", "token", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/answer", "token", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/walk-out", "token", "caucus", "principal"},
    {"POST", "/api/sessions/{sid}/parties/{p}/notes", "token", "caucus", ""},
    {"GET", "/api/sessions/{sid}/mediator", "token", "mediator", ""},
    {"POST", "/api/sessions/{sid}/mediator/moves", "token", "mediator", ""},
    {"POST", "/api/sessions/{sid}/mediator/advice", "token", "mediator", ""},
    {"GET", "/api/sessions/{sid}/debrief", "token", "mediator", ""},
    {"POST", "/api/sessions/{sid}/statements", "token", "mediator", ""},
    {"POST", "/api/sessions/{sid}/close", "token", "mediator", ""},
    {"GET", "/api/sessions/{sid}/invitations", "token", "mediator", ""},
    {"POST", "/api/sessions/{sid}/invitations", "token", "mediator", ""},
    {"DELETE", "/api/sessions/{sid}/invitations/{iid}", "token", "mediator", ""},
};

std::string Name(const RouteInfo& route) { return route.method + " " + route.pattern; }

// The row for `route` (same method and pattern), or null.
const Expectation* FindRow(const RouteInfo& route, std::span<const Expectation> rows) {
  for (const Expectation& e : rows) {
    if (route.method == e.method && route.pattern == e.pattern) return &e;
  }
  return nullptr;
}

// What is wrong between a route table and the rows, one line per problem naming the route.
std::vector<std::string> RowProblems(const std::vector<RouteInfo>& table,
                                     std::span<const Expectation> rows) {
  std::vector<std::string> problems;
  for (const RouteInfo& route : table) {
    const Expectation* e = FindRow(route, rows);
    if (e == nullptr) {
      problems.push_back(Name(route) + ": no expectation row in authorization_test.cc");
      continue;
    }
    auto differ = [&](const char* field, const std::string& table_value, const char* expected) {
      if (table_value == expected) return;
      problems.push_back(fmt::format("{}: {} is \"{}\" in the route table, \"{}\" in the test",
                                     Name(route), field, table_value, expected));
    };
    differ("auth", route.auth, e->auth);
    differ("reach", route.reach, e->reach);
    differ("roles", route.roles, e->roles);
  }
  for (const Expectation& e : rows) {
    const bool routed = std::any_of(table.begin(), table.end(), [&](const RouteInfo& r) {
      return r.method == e.method && r.pattern == e.pattern;
    });
    if (!routed) problems.push_back(fmt::format("{} {}: a row for no route", e.method, e.pattern));
  }
  return problems;
}

// `pattern` with its captures filled in; "" when it has a capture the matrix does not know.
std::string Fill(const std::string& pattern, const std::string& sid, const std::string& party) {
  std::string path;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      path += pattern[i++];
      continue;
    }
    const size_t end = pattern.find('}', i);
    const std::string name = pattern.substr(i, end + 1 - i);
    if (name == "{sid}") {
      path += sid;
    } else if (name == "{p}") {
      path += party;
    } else if (name == "{iid}") {
      path += "nonexistent";
    } else if (name == "{file}") {
      path += "vega.min.js";
    } else {
      return "";
    }
    i = end + 1;
  }
  return path;
}

struct Holder {
  std::string session;  // "A" or "B"
  std::string label;
  std::string role;  // "mediator", "principal", ..., "observer"
  int party = -1;
  std::string token;
};

std::string RoleOf(const std::string& label) {
  if (label == "mediator" || label == "observer") return label;
  return label.substr(label.find(' ') + 1);
}

int PartyOf(const std::string& label) {
  if (label.rfind("North", 0) == 0) return 0;
  if (label.rfind("South", 0) == 0) return 1;
  return -1;
}

class AuthorizationMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* s : {"A", "B"}) {
      std::map<std::string, std::string> tokens;
      sids_[s] = h_.Create(&tokens);
      for (const char* label : kRoles)
        holders_.push_back({s, label, RoleOf(label), PartyOf(label), tokens[label]});
      Plant(s, tokens);
    }
  }

  std::string Marker(const std::string& s, const char* what) { return "MK-" + s + "-" + what; }

  // Every kind of private and public text, in both caucuses, by several roles.
  void Plant(const std::string& s, std::map<std::string, std::string>& t) {
    const std::string base = "/api/sessions/" + sids_[s];
    auto ok = [](const Reply& r) { EXPECT_LT(r.status, 300) << r.raw.body; };
    ok(h_.Post(base + "/parties/0/confide", t["North negotiator"],
               {{"red_lines",
                 {{{"issue", "berths"},
                   {"forbid", {"south keeps all"}},
                   {"note", Marker(s, "NORTH-CONF")}}}}}));
    ok(h_.Post(base + "/parties/0/notes", t["North adviser"], {{"text", Marker(s, "NORTH-NOTE")}}));
    ok(h_.Post(base + "/parties/0/notes", t["mediator"], {{"text", Marker(s, "MED-NORTH")}}));
    ok(h_.Post(base + "/parties/0/counter", t["North principal"],
               {{"outcome",
                 {{"berths", "north keeps all"},
                  {"dredging", "south pays"},
                  {"patrols", 3},
                  {"start", "spring"}}}}));
    ok(h_.Post(base + "/parties/1/confide", t["South negotiator"],
               {{"red_lines",
                 {{{"issue", "patrols"}, {"at_most", 2}, {"note", Marker(s, "SOUTH-CONF")}}}}}));
    ok(h_.Post(base + "/parties/1/notes", t["South principal"],
               {{"text", Marker(s, "SOUTH-NOTE")}}));
    ok(h_.Post(base + "/parties/1/notes", t["mediator"], {{"text", Marker(s, "MED-SOUTH")}}));
    ok(h_.Post(base + "/parties/1/counter", t["South negotiator"],
               {{"outcome",
                 {{"berths", "south keeps all"},
                  {"dredging", "north pays"},
                  {"patrols", 0},
                  {"start", "summer"}}}}));
    ok(h_.Post(base + "/anonymous-notes", t["observer"], {{"text", Marker(s, "ANON")}}));
    ok(h_.Post(base + "/statements", t["mediator"], {{"text", Marker(s, "PUBLIC")}}));
  }

  // The markers `h` may see.
  std::set<std::string> Allowed(const Holder& h) {
    std::set<std::string> out = {Marker(h.session, "PUBLIC")};
    if (h.role == "mediator") {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH", "SOUTH-CONF", "SOUTH-NOTE",
                            "MED-SOUTH", "ANON"}) {
        out.insert(Marker(h.session, m));
      }
    } else if (h.party == 0) {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH"})
        out.insert(Marker(h.session, m));
      out.insert(kNorthSecret);
    } else if (h.party == 1) {
      for (const char* m : {"SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH"})
        out.insert(Marker(h.session, m));
    }
    return out;
  }

  std::vector<std::string> AllMarkers() {
    std::vector<std::string> out = {kNorthSecret};
    for (const char* s : {"A", "B"}) {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH", "SOUTH-CONF", "SOUTH-NOTE",
                            "MED-SOUTH", "ANON", "PUBLIC"}) {
        out.push_back(Marker(s, m));
      }
    }
    return out;
  }

  // Whether `h` reaches the route's resource in `target`'s session (a path without {sid}, like
  // /api/me, is the caller's own) for `party` (-1: none or malformed).
  static bool InReach(const Expectation& e, const Holder& h, bool own_session, int party) {
    const std::string reach = e.reach;
    const bool in_session = std::string(e.pattern).find("{sid}") != std::string::npos;
    const bool party_route = std::string(e.pattern).find("{p}") != std::string::npos;
    if (in_session && !own_session) return false;
    if (party_route && (party < 0 || party > 1)) return false;
    const bool member = h.party >= 0 && h.party == party;
    if (reach == "session") return true;
    if (reach == "mediator") return h.role == "mediator";
    if (reach == "members") return member;
    return member || h.role == "mediator";  // caucus
  }

  static bool RoleAllowed(const Expectation& e, const Holder& h) {
    const std::string roles = e.roles;
    return roles.empty() || (" " + roles + " ").find(" " + h.role + " ") != std::string::npos;
  }

  Harness h_;
  std::map<std::string, std::string> sids_;
  std::vector<Holder> holders_;
};

TEST(AuthorizationRows, EveryRouteHasARowThatAgrees) {
  const std::vector<std::string> problems = RowProblems(RouteTable(), kExpectations);
  EXPECT_TRUE(problems.empty()) << fmt::format("{}", fmt::join(problems, "\n"));
}

// The check above on made-up tables: what it reports when a route is added without a row, when a
// row disagrees and when a route is gone.
TEST(AuthorizationRows, ARouteWithoutARowIsReported) {
  std::vector<RouteInfo> table = RouteTable();
  table.push_back({"POST", "/api/sessions/{sid}/parties/{p}/sulk", "token", "caucus", ""});
  EXPECT_EQ(RowProblems(table, kExpectations),
            std::vector<std::string>{"POST /api/sessions/{sid}/parties/{p}/sulk: "
                                     "no expectation row in authorization_test.cc"});
}

TEST(AuthorizationRows, ARowThatDisagreesWithTheTableIsReported) {
  std::vector<RouteInfo> table = RouteTable();
  for (RouteInfo& r : table) {
    if (r.pattern == "/api/sessions/{sid}/parties/{p}/profile") r.reach = "caucus";
    if (r.pattern == "/api/sessions/{sid}/parties/{p}/walk-out") r.roles = "principal negotiator";
    if (r.pattern == "/api/sessions") r.auth = "none";
  }
  EXPECT_EQ(RowProblems(table, kExpectations),
            (std::vector<std::string>{
                R"(POST /api/sessions: auth is "none" in the route table, "create" in the test)",
                R"(GET /api/sessions/{sid}/parties/{p}/profile: reach is "caucus" in the route )"
                R"(table, "members" in the test)",
                R"(POST /api/sessions/{sid}/parties/{p}/walk-out: roles is "principal negotiator" )"
                R"(in the route table, "principal" in the test)"}));
}

TEST(AuthorizationRows, ARowForARouteThatIsGoneIsReported) {
  std::vector<RouteInfo> table = RouteTable();
  std::erase_if(table, [](const RouteInfo& r) { return r.pattern == "/api/me"; });
  EXPECT_EQ(RowProblems(table, kExpectations),
            std::vector<std::string>{"GET /api/me: a row for no route"});
}

TEST_F(AuthorizationMatrix, EveryEndpointRoleSessionAndParty) {
  const std::vector<std::string> markers = AllMarkers();
  // The token routes of the real table, each with its row (RoutesWithoutTokensTakeNone has the
  // others).
  std::vector<std::pair<RouteInfo, const Expectation*>> routes;
  for (const RouteInfo& route : RouteTable()) {
    const Expectation* e = FindRow(route, kExpectations);
    if (e == nullptr) {
      ADD_FAILURE() << Name(route) << ": no expectation row, so not in the matrix";
    } else if (route.auth == "token") {
      routes.emplace_back(route, e);
    }
  }
  int checked = 0;
  for (const Holder& holder : holders_) {
    const std::set<std::string> allowed = Allowed(holder);
    for (const auto& [route, e] : routes) {
      const bool party_route = route.pattern.find("{p}") != std::string::npos;
      std::vector<std::string> parties = {"-"};
      if (party_route) parties = {"0", "1", "2", "01", "x"};
      for (const char* target : {"A", "B"}) {
        for (const std::string& p : parties) {
          const std::string path = Fill(route.pattern, sids_[target], p);
          ASSERT_FALSE(path.empty()) << Name(route) << ": a capture the matrix cannot fill";
          const int party = p == "0" ? 0 : p == "1" ? 1 : -1;
          // A body that never decodes, so no request of the matrix changes a session.
          const std::string body = route.method == "POST" ? R"({"unknown_field": 1})" : "";
          Reply r = h_.Call(route.method, path, holder.token, body);
          const std::string where =
              holder.session + "/" + holder.label + " " + route.method + " " + path;
          const bool reach = InReach(*e, holder, holder.session == target, party);
          if (!reach) {
            EXPECT_EQ(r.status, 404) << where;
            EXPECT_EQ(r.raw.body, kNotFoundBody) << where;
          } else if (!RoleAllowed(*e, holder)) {
            EXPECT_EQ(r.status, 403) << where << " " << r.raw.body;
          } else if (route.method == "DELETE") {
            EXPECT_EQ(r.raw.body, kNotFoundBody) << where;  // No such invitation.
          } else {
            EXPECT_EQ(r.status, route.method == "GET" ? 200 : 400) << where << " " << r.raw.body;
          }
          std::string everything = r.raw.body + "\n" + r.raw.content_type;
          for (const auto& [k, v] : r.raw.headers) everything += "\n" + k + ": " + v;
          for (const std::string& m : markers) {
            if (allowed.count(m) == 0) {
              EXPECT_EQ(everything.find(m), std::string::npos) << where << " leaks " << m;
            }
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

// The routes without a token: each answers the same with or without one (no 401), and creating
// takes exactly the create key when one is set. Every token route refuses a call without a token.
TEST_F(AuthorizationMatrix, RoutesWithoutTokensTakeNone) {
  ServiceOptions keyed_options;
  keyed_options.create_key = "the-create-key";
  Harness keyed(keyed_options);
  const std::string mediator = holders_.front().token;
  int checked = 0;
  for (const RouteInfo& route : RouteTable()) {
    const Expectation* e = FindRow(route, kExpectations);
    if (e == nullptr) {
      ADD_FAILURE() << Name(route) << ": no expectation row, so not checked";
      continue;
    }
    const std::string path = Fill(route.pattern, sids_["A"], "0");
    ASSERT_FALSE(path.empty()) << Name(route) << ": a capture the test cannot fill";
    const std::string body = route.method == "POST" ? R"({"unknown_field": 1})" : "";
    const std::string where = Name(route) + " (" + e->auth + ")";
    const std::string auth = e->auth;
    Reply bare = h_.Call(route.method, path, "", body);
    if (auth == "none") {
      EXPECT_NE(bare.status, 401) << where << " " << bare.raw.body;
      Reply with = h_.Call(route.method, path, mediator, body);
      EXPECT_EQ(with.status, bare.status) << where;
      EXPECT_EQ(with.raw.body, bare.raw.body) << where;
    } else if (auth == "create") {
      EXPECT_EQ(bare.status, 400) << where << ": no create key set, so anyone; the body is refused";
      for (const std::string token : {"", "a-wrong-key"}) {
        Reply r = keyed.Call(route.method, path, token, body);
        EXPECT_EQ(r.status, 401) << where << " with token '" << token << "'";
        EXPECT_EQ(r.json["error"]["code"], "unauthenticated") << where;
      }
      EXPECT_EQ(keyed.Call(route.method, path, "the-create-key", body).status, 400) << where;
    } else {
      EXPECT_EQ(bare.status, 401) << where << " " << bare.raw.body;
      EXPECT_EQ(bare.json["error"]["code"], "unauthenticated") << where;
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(std::size(kExpectations)));
}

TEST_F(AuthorizationMatrix, EachCallerSeesExactlyItsOwnMarkers) {
  // The converse of the matrix: what a caller may see, it does see (the planting worked and the
  // views are not simply empty). Anonymous notes reach the mediator's console once their hour is
  // over.
  h_.Advance(3'600'000);
  for (const Holder& holder : holders_) {
    std::string seen =
        h_.Get("/api/sessions/" + sids_[holder.session] + "/events", holder.token).raw.body;
    if (holder.role == "mediator")
      seen += h_.Get("/api/sessions/" + sids_[holder.session] + "/mediator", holder.token).raw.body;
    if (holder.party >= 0) {
      seen += h_.Get("/api/sessions/" + sids_[holder.session] + "/parties/" +
                         std::to_string(holder.party) + "/profile",
                     holder.token)
                  .raw.body;
    }
    for (const std::string& m : Allowed(holder))
      EXPECT_NE(seen.find(m), std::string::npos) << holder.label << " misses " << m;
  }
}

TEST_F(AuthorizationMatrix, EventSequencesLeaveNoGapsForHiddenEvents) {
  for (const Holder& holder : holders_) {
    Json events =
        h_.Get("/api/sessions/" + sids_[holder.session] + "/events", holder.token).json["events"];
    for (size_t i = 0; i < events.size(); ++i)
      EXPECT_EQ(events[i]["seq"].get<size_t>(), i) << holder.label;
    HttpRequest r;
    r.method = "GET";
    r.path = "/api/sessions/" + sids_[holder.session] + "/events";
    r.query = {{"after", "2"}};
    r.authorization = "Bearer " + holder.token;
    Json later = Json::parse(h_.service().Handle(r).body);
    ASSERT_GT(events.size(), 2u) << holder.label;
    EXPECT_EQ(later["events"].size(), events.size() - 2);
    EXPECT_EQ(later["events"][0], events[2]);
    EXPECT_EQ(later["next"], events.size());
  }
}

TEST_F(AuthorizationMatrix, QueryTokensWorkLikeBearerTokens) {
  const Holder& north = holders_[2];
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/sessions/" + sids_[north.session] + "/parties/0/caucus";
  r.query = {{"token", north.token}};
  EXPECT_EQ(h_.service().Handle(r).status, 200);
  r.path = "/api/sessions/" + sids_[north.session] + "/parties/1/caucus";
  HttpResponse foreign = h_.service().Handle(r);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(foreign.body, kNotFoundBody);
}

}  // namespace
}  // namespace shuttle::service_testing
