// The authorization matrix: every endpoint x every role x own and foreign party and session.
// Unique marker strings are planted in each party's confidences and caucus notes, in an anonymous
// note and a public statement of two sessions; every response body and header is scanned for the
// markers its caller must not see, and everything outside a caller's reach must answer exactly
// like something that does not exist.
#include <gtest/gtest.h>

#include <set>

#include "service/service_test_util.h"

namespace shuttle::service_testing {
namespace {

const char* const kRoles[] = {"mediator", "North principal", "North negotiator", "North adviser",
                              "South principal", "South negotiator", "South adviser", "observer"};
constexpr const char* kNotFoundBody = R"({"error":{"code":"not_found","message":"not found"}})";
// North's own red-line note in the scenario: only North's members may ever read it.
constexpr const char* kNorthSecret = "the fishing fleet would leave";

struct Endpoint {
  const char* method;
  const char* path;     // {sid}, {p}
  const char* reach;    // "session", "mediator", "members", "caucus", "none"
  const char* roles;    // Who within reach may call it; empty: all.
};

const Endpoint kEndpoints[] = {
    {"GET", "/api/me", "none", ""},
    {"GET", "/api/sessions/{sid}", "session", ""},
    {"GET", "/api/sessions/{sid}/events", "session", ""},
    {"GET", "/api/sessions/{sid}/public", "session", ""},
    {"GET", "/api/sessions/{sid}/stream", "session", ""},
    {"POST", "/api/sessions/{sid}/anonymous-notes", "session", ""},
    {"GET", "/api/sessions/{sid}/parties/{p}/caucus", "caucus", ""},
    {"GET", "/api/sessions/{sid}/parties/{p}/profile", "members", ""},
    {"POST", "/api/sessions/{sid}/parties/{p}/confide", "caucus", "principal negotiator adviser"},
    {"POST", "/api/sessions/{sid}/parties/{p}/accept", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/object", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/counter", "caucus", "principal negotiator"},
    {"POST", "/api/sessions/{sid}/parties/{p}/walk-out", "caucus", "principal"},
    {"POST", "/api/sessions/{sid}/parties/{p}/notes", "caucus", ""},
    {"GET", "/api/sessions/{sid}/mediator", "mediator", ""},
    {"POST", "/api/sessions/{sid}/statements", "mediator", ""},
    {"POST", "/api/sessions/{sid}/close", "mediator", ""},
    {"GET", "/api/sessions/{sid}/invitations", "mediator", ""},
    {"POST", "/api/sessions/{sid}/invitations", "mediator", ""},
    {"DELETE", "/api/sessions/{sid}/invitations/nonexistent", "mediator", ""},
};

struct Holder {
  std::string session;  // "A" or "B"
  std::string label;
  std::string role;     // "mediator", "principal", ..., "observer"
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
      for (const char* label : kRoles) holders_.push_back({s, label, RoleOf(label), PartyOf(label), tokens[label]});
      Plant(s, tokens);
    }
  }

  std::string Marker(const std::string& s, const char* what) { return "MK-" + s + "-" + what; }

  // Every kind of private and public text, in both caucuses, by several roles.
  void Plant(const std::string& s, std::map<std::string, std::string>& t) {
    const std::string base = "/api/sessions/" + sids_[s];
    auto ok = [](const Reply& r) { EXPECT_LT(r.status, 300) << r.raw.body; };
    ok(h_.Post(base + "/parties/0/confide", t["North negotiator"],
               {{"red_lines", {{{"issue", "berths"}, {"forbid", {"south keeps all"}}, {"note", Marker(s, "NORTH-CONF")}}}}}));
    ok(h_.Post(base + "/parties/0/notes", t["North adviser"], {{"text", Marker(s, "NORTH-NOTE")}}));
    ok(h_.Post(base + "/parties/0/notes", t["mediator"], {{"text", Marker(s, "MED-NORTH")}}));
    ok(h_.Post(base + "/parties/0/counter", t["North principal"],
               {{"outcome", {{"berths", "north keeps all"}, {"dredging", "south pays"}, {"patrols", 3}, {"start", "spring"}}}}));
    ok(h_.Post(base + "/parties/1/confide", t["South negotiator"],
               {{"red_lines", {{{"issue", "patrols"}, {"at_most", 2}, {"note", Marker(s, "SOUTH-CONF")}}}}}));
    ok(h_.Post(base + "/parties/1/notes", t["South principal"], {{"text", Marker(s, "SOUTH-NOTE")}}));
    ok(h_.Post(base + "/parties/1/notes", t["mediator"], {{"text", Marker(s, "MED-SOUTH")}}));
    ok(h_.Post(base + "/parties/1/counter", t["South negotiator"],
               {{"outcome", {{"berths", "south keeps all"}, {"dredging", "north pays"}, {"patrols", 0}, {"start", "summer"}}}}));
    ok(h_.Post(base + "/anonymous-notes", t["observer"], {{"text", Marker(s, "ANON")}}));
    ok(h_.Post(base + "/statements", t["mediator"], {{"text", Marker(s, "PUBLIC")}}));
  }

  // The markers `h` may see.
  std::set<std::string> Allowed(const Holder& h) {
    std::set<std::string> out = {Marker(h.session, "PUBLIC")};
    if (h.role == "mediator") {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH", "SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH", "ANON"}) {
        out.insert(Marker(h.session, m));
      }
    } else if (h.party == 0) {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH"}) out.insert(Marker(h.session, m));
      out.insert(kNorthSecret);
    } else if (h.party == 1) {
      for (const char* m : {"SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH"}) out.insert(Marker(h.session, m));
    }
    return out;
  }

  std::vector<std::string> AllMarkers() {
    std::vector<std::string> out = {kNorthSecret};
    for (const char* s : {"A", "B"}) {
      for (const char* m : {"NORTH-CONF", "NORTH-NOTE", "MED-NORTH", "SOUTH-CONF", "SOUTH-NOTE", "MED-SOUTH", "ANON", "PUBLIC"}) {
        out.push_back(Marker(s, m));
      }
    }
    return out;
  }

  static bool InReach(const Endpoint& e, const Holder& h, bool own_session, int party) {
    const std::string reach = e.reach;
    if (reach == "none") return true;
    if (!own_session) return false;
    if ((reach == "caucus" || reach == "members") && (party < 0 || party > 1)) return false;
    const bool member = h.party >= 0 && h.party == party;
    if (reach == "session") return true;
    if (reach == "mediator") return h.role == "mediator";
    if (reach == "members") return member;
    return member || h.role == "mediator";  // caucus
  }

  static bool RoleAllowed(const Endpoint& e, const Holder& h) {
    const std::string roles = e.roles;
    return roles.empty() || (" " + roles + " ").find(" " + h.role + " ") != std::string::npos;
  }

  Harness h_;
  std::map<std::string, std::string> sids_;
  std::vector<Holder> holders_;
};

TEST_F(AuthorizationMatrix, EveryEndpointRoleSessionAndParty) {
  const std::vector<std::string> markers = AllMarkers();
  int checked = 0;
  for (const Holder& holder : holders_) {
    const std::set<std::string> allowed = Allowed(holder);
    for (const Endpoint& e : kEndpoints) {
      const bool party_route = std::string(e.path).find("{p}") != std::string::npos;
      for (const char* target : {"A", "B"}) {
        for (const std::string& p : party_route ? std::vector<std::string>{"0", "1", "2", "01", "x"} : std::vector<std::string>{"-"}) {
          std::string path = e.path;
          if (size_t i = path.find("{sid}"); i != std::string::npos) path.replace(i, 5, sids_[target]);
          if (size_t i = path.find("{p}"); i != std::string::npos) path.replace(i, 3, p);
          const int party = p == "0" ? 0 : p == "1" ? 1 : -1;
          // A body that never decodes, so no request of the matrix changes a session.
          const std::string body = std::string(e.method) == "POST" ? R"({"unknown_field": 1})" : "";
          Reply r = h_.Call(e.method, path, holder.token, body);
          const std::string where = holder.session + "/" + holder.label + " " + e.method + " " + path;
          const bool reach = InReach(e, holder, holder.session == target, party);
          if (!reach) {
            EXPECT_EQ(r.status, 404) << where;
            EXPECT_EQ(r.raw.body, kNotFoundBody) << where;
          } else if (!RoleAllowed(e, holder)) {
            EXPECT_EQ(r.status, 403) << where << " " << r.raw.body;
          } else if (std::string(e.method) == "DELETE") {
            EXPECT_EQ(r.raw.body, kNotFoundBody) << where;  // No such invitation.
          } else {
            EXPECT_EQ(r.status, std::string(e.method) == "GET" ? 200 : 400) << where << " " << r.raw.body;
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

TEST_F(AuthorizationMatrix, EachCallerSeesExactlyItsOwnMarkers) {
  // The converse of the matrix: what a caller may see, it does see (the planting worked and the
  // views are not simply empty). Anonymous notes reach the mediator's console once their hour is over.
  h_.Advance(3'600'000);
  for (const Holder& holder : holders_) {
    std::string seen = h_.Get("/api/sessions/" + sids_[holder.session] + "/events", holder.token).raw.body;
    if (holder.role == "mediator") seen += h_.Get("/api/sessions/" + sids_[holder.session] + "/mediator", holder.token).raw.body;
    if (holder.party >= 0) {
      seen += h_.Get("/api/sessions/" + sids_[holder.session] + "/parties/" + std::to_string(holder.party) + "/profile",
                     holder.token).raw.body;
    }
    for (const std::string& m : Allowed(holder)) EXPECT_NE(seen.find(m), std::string::npos) << holder.label << " misses " << m;
  }
}

TEST_F(AuthorizationMatrix, EventSequencesLeaveNoGapsForHiddenEvents) {
  for (const Holder& holder : holders_) {
    Json events = h_.Get("/api/sessions/" + sids_[holder.session] + "/events", holder.token).json["events"];
    for (size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i]["seq"].get<size_t>(), i) << holder.label;
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
