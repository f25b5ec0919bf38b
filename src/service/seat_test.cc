// A person in the mediator's seat through the API (options.mediator "person"), with automated
// parties (options.parties): moves, refusals, replay from the store, confidentiality.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "service/service_test_util.h"

namespace shuttle::service_testing {
namespace {

std::string SeatPath(const std::string& sid) { return "/api/sessions/" + sid; }

// A text of the harbour talks both sides can live with after some visits.
Json MiddleText() {
  return {{"berths", "even split"}, {"dredging", "shared"}, {"patrols", 2}, {"start", "summer"}};
}

class Seat {
 public:
  Seat(Harness* h, std::string sid, std::string token)
      : h_(h), sid_(std::move(sid)), token_(std::move(token)) {}
  Reply Move(const Json& body) {
    return h_->Post(SeatPath(sid_) + "/mediator/moves", token_, body);
  }
  void Must(const Json& body) {
    Reply r = Move(body);
    ASSERT_EQ(r.status, 200) << body.dump() << ": " << r.raw.body;
    last_ = r.json["mediator"];
  }
  // The type of the last answer of party `p` in the mediator's console.
  std::string LastAnswer(int p) {
    Json console = h_->Get(SeatPath(sid_) + "/mediator", token_).json;
    const Json& answers = console["parties"][p]["model"]["answers"];
    return answers.empty() ? "" : answers.back()["type"].get<std::string>();
  }
  const Json& last() const { return last_; }

 private:
  Harness* h_;
  std::string sid_, token_;
  Json last_;
};

// Visits with `text` until both accept, then settle, state and close. The visit count.
int MediateToAgreement(Harness* h, const std::string& sid, Seat* seat) {
  for (int visit = 1; visit < 60; ++visit) {
    for (int p : {1 - visit % 2, visit % 2}) {
      seat->Must({{"move", "open"}, {"party", p}});
      seat->Must({{"move", "text"}, {"outcome", MiddleText()}});
      seat->Must({{"move", "leave"}});
    }
    seat->Must({{"move", "round"}});
    if (seat->LastAnswer(0) == "accept" && seat->LastAnswer(1) == "accept") {
      seat->Must({{"move", "settle"}});
      seat->Must({{"move", "statement"}, {"text", "The harbour talks have reached agreement."}});
      seat->Must({{"move", "close"}});
      return visit;
    }
  }
  return -1;
}

TEST(SeatTest, APersonMediatesAutomatedPartiesOutOfOrderToAgreement) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid =
      h.Create(&t, {{"mediator", "person"}, {"parties", {"reticent", "reticent"}}});
  Seat seat(&h, sid, t["mediator"]);
  Reply early = h.Get(SeatPath(sid) + "/debrief", t["mediator"]);
  ASSERT_EQ(early.status, 200);
  EXPECT_TRUE(early.json["debrief"].is_null());
  EXPECT_NE(early.json["reason"].get<std::string>().find("over"), std::string::npos);
  // South first: invited to propose, it answers at once (an automated seat acts on its turn).
  seat.Must({{"move", "open"}, {"party", "South"}});
  seat.Must({{"move", "text"}});
  EXPECT_EQ(seat.LastAnswer(1), "offer");
  EXPECT_EQ(seat.last()["floor"], "mediator");
  seat.Must({{"move", "leave"}});
  // North twice: a partial text (patrols left open), then a structured question.
  Json partial = MiddleText();
  partial.erase("patrols");
  seat.Must({{"move", "open"}, {"party", 0}});
  seat.Must({{"move", "text"},
             {"outcome", partial},
             {"open", {"patrols"}},
             {"words", "Leave patrols for later."}});
  seat.Must({{"move", "leave"}});
  seat.Must({{"move", "open"}, {"party", 0}});
  seat.Must(
      {{"move", "ask"},
       {"question",
        {{"kind", "live_with"}, {"issue", "berths"}, {"values", {"even split", "two to one"}}}}});
  EXPECT_EQ(seat.LastAnswer(0), "answer");
  seat.Must({{"move", "leave"}});
  seat.Must({{"move", "round"}});
  // The engine's advice on a draft: a forecast per party, the criteria's texts.
  Reply advice =
      h.Post(SeatPath(sid) + "/mediator/advice", t["mediator"], {{"draft", MiddleText()}});
  ASSERT_EQ(advice.status, 200) << advice.raw.body;
  EXPECT_EQ(advice.json["advice"]["draft"], MiddleText());
  ASSERT_EQ(advice.json["advice"]["forecasts"].size(), 2u);
  EXPECT_EQ(advice.json["advice"]["forecasts"][1]["party"], "South");
  EXPECT_TRUE(advice.json["advice"]["suggestions"].contains("nash")) << advice.raw.body;
  Json wrong = MiddleText();
  wrong["start"] = "winter";
  advice = h.Post(SeatPath(sid) + "/mediator/advice", t["mediator"], {{"draft", wrong}});
  EXPECT_EQ(advice.status, 400);
  EXPECT_NE(advice.raw.body.find("winter"), std::string::npos) << advice.raw.body;
  EXPECT_EQ(h.Post(SeatPath(sid) + "/mediator/advice", t["North negotiator"]).status, 404);
  EXPECT_GT(MediateToAgreement(&h, sid, &seat), 0);
  Json session = h.Get(SeatPath(sid), t["mediator"]).json;
  EXPECT_EQ(session["status"], "agreement");
  EXPECT_EQ(session["agreement"], MiddleText());
  // The practice is over: the debrief reveals the true profiles and the Nash point.
  Json debrief = h.Get(SeatPath(sid) + "/debrief", t["mediator"]).json["debrief"];
  ASSERT_TRUE(debrief.is_object());
  EXPECT_EQ(debrief["agreement"], MiddleText());
  ASSERT_EQ(debrief["parties"].size(), 2u);
  EXPECT_EQ(debrief["parties"][0]["party_name"], "North");
  EXPECT_TRUE(debrief["parties"][0].contains("weights"));
  EXPECT_GT(debrief["nash_ratio"].get<double>(), 0.0);
  EXPECT_LE(debrief["nash_ratio"].get<double>(), 1.0 + 1e-9);
  EXPECT_EQ(h.Get(SeatPath(sid) + "/debrief", t["North negotiator"]).status, 404);
  // The public learns the agreement and the statement, nothing of the caucuses.
  Json pub = h.Get(SeatPath(sid) + "/public", t["observer"]).json;
  EXPECT_EQ(pub["agreement"], MiddleText());
  const std::string observed = h.Get(SeatPath(sid) + "/events", t["observer"]).raw.body;
  for (const char* secret : {"Leave patrols for later.", "live_with", "could_live_with"})
    EXPECT_EQ(observed.find(secret), std::string::npos) << secret;
  // South sees the public events and its own caucus, nothing of North's.
  Json south = h.Get(SeatPath(sid) + "/events", t["South negotiator"]).json["events"];
  ASSERT_GT(south.size(), 10u);
  for (const Json& e : south) {
    EXPECT_TRUE(e["audience"] == "public" || e["party"] == 1) << e.dump();
    EXPECT_NE(e["actor"], "North") << e.dump();
  }
  EXPECT_EQ(south.dump().find("Leave patrols for later."), std::string::npos);
}

TEST(SeatTest, RefusedMovesAre409Or400NamingTheCauseAndStoreNothing) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid = h.Create(&t, {{"mediator", "person"}});
  Seat seat(&h, sid, t["mediator"]);
  auto events = [&] {
    return h.Get(SeatPath(sid) + "/events", t["mediator"]).json["events"].size();
  };
  const size_t before = events();
  Reply r = seat.Move({{"move", "settle"}});
  EXPECT_EQ(r.status, 409) << r.raw.body;
  r = seat.Move({{"move", "text"}, {"outcome", MiddleText()}});
  EXPECT_EQ(r.status, 409) << "no caucus is open: " << r.raw.body;
  r = seat.Move({{"move", "open"}, {"party", "East"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.body.find("East"), std::string::npos) << r.raw.body;
  seat.Must({{"move", "open"}, {"party", 0}});
  const size_t opened = events();
  EXPECT_EQ(opened, before + 1);
  Json bad = MiddleText();
  bad["berths"] = "north keeps half";
  r = seat.Move({{"move", "text"}, {"outcome", bad}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.body.find("north keeps half"), std::string::npos) << r.raw.body;
  r = seat.Move({{"move", "text"}, {"outcome", MiddleText()}, {"open", {"tariffs"}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.body.find("tariffs"), std::string::npos) << r.raw.body;
  r = seat.Move({{"move", "ask"}, {"question", {{"kind", "rank"}, {"issue", "fishing"}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.body.find("fishing"), std::string::npos) << r.raw.body;
  r = seat.Move({{"move", "round"}});
  EXPECT_EQ(r.status, 409) << r.raw.body;
  r = seat.Move({{"move", "fly"}});
  EXPECT_EQ(r.status, 400);
  // The party out of caucus, and the party in caucus while the mediator has the floor.
  EXPECT_EQ(h.Post(SeatPath(sid) + "/parties/1/accept", t["South negotiator"]).status, 409);
  EXPECT_EQ(h.Post(SeatPath(sid) + "/parties/0/accept", t["North negotiator"]).status, 409);
  EXPECT_EQ(events(), opened);
  // In a session the engine mediates, the seat's moves are refused.
  std::map<std::string, std::string> u;
  const std::string engine = h.Create(&u);
  EXPECT_EQ(
      h.Post(SeatPath(engine) + "/mediator/moves", u["mediator"], {{"move", "open"}, {"party", 0}})
          .status,
      409);
  // Options are checked when the session is made.
  Json body = {{"scenario", Json::parse(HarbourScenarioText())},
               {"options", {{"parties", {"reticent", "stubborn"}}}}};
  r = h.Call("POST", "/api/sessions", "", body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.raw.body.find("options.parties[1]"), std::string::npos) << r.raw.body;
}

TEST(SeatTest, APersonPartyAnswersAndItsWordsStayInItsCaucus) {
  Harness h;
  std::map<std::string, std::string> t;
  const std::string sid =
      h.Create(&t, {{"mediator", "person"}, {"parties", {nullptr, "reticent"}}});
  Seat seat(&h, sid, t["mediator"]);
  seat.Must({{"move", "open"}, {"party", 0}});
  seat.Must({{"move", "ask"}, {"question", {{"kind", "words"}, {"words", "What matters most?"}}}});
  const std::string base = SeatPath(sid) + "/parties/0";
  Json caucus = h.Get(base + "/caucus", t["North negotiator"]).json;
  EXPECT_EQ(caucus["question"]["words"], "What matters most?");
  EXPECT_EQ(caucus["can"], Json({"confide", "answer", "note"}));
  EXPECT_EQ(h.Post(base + "/accept", t["North negotiator"]).status, 409) << "a question is asked";
  Reply r = h.Post(base + "/answer", t["North negotiator"], {{"words", "MARKER-north-berths"}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  seat.Must({{"move", "note"}, {"party", 0}, {"text", "MARKER-mediator-to-north"}});
  seat.Must({{"move", "leave"}});
  seat.Must({{"move", "open"}, {"party", 1}});
  seat.Must({{"move", "text"}, {"outcome", MiddleText()}});
  seat.Must({{"move", "leave"}});
  seat.Must({{"move", "round"}});
  seat.Must({{"move", "statement"}, {"text", "Talks go on."}});
  EXPECT_NE(h.Get(SeatPath(sid) + "/events", t["mediator"]).raw.body.find("MARKER-north-berths"),
            std::string::npos);
  EXPECT_NE(
      h.Get(SeatPath(sid) + "/events", t["North negotiator"]).raw.body.find("MARKER-north-berths"),
      std::string::npos);
  for (const char* holder : {"South negotiator", "South principal", "observer"}) {
    const std::string seen = h.Get(SeatPath(sid) + "/events", t[holder]).raw.body +
                             h.Get(SeatPath(sid) + "/public", t[holder]).raw.body;
    EXPECT_EQ(seen.find("MARKER-"), std::string::npos) << holder;
  }
  // An automated party cannot be played through the API.
  EXPECT_EQ(h.Post(SeatPath(sid) + "/parties/1/accept", t["South negotiator"]).status, 409);
  // Closed, but North was played by people: its briefing is never revealed to the mediator.
  seat.Must({{"move", "close"}, {"text", "no time left"}});
  Reply debrief = h.Get(SeatPath(sid) + "/debrief", t["mediator"]);
  EXPECT_TRUE(debrief.json["debrief"].is_null()) << debrief.raw.body;
  EXPECT_NE(debrief.raw.body.find("North"), std::string::npos) << debrief.raw.body;
}

TEST(SeatTest, ServeOpenTakesTheSeatsAndReusesOnlyTheSameOnes) {
  Harness h;
  const std::string text = HarbourScenarioText();
  const std::string seats = R"({"mediator":"person","parties":["reticent",null]})";
  Result<OpenedSession> a = h.service().OpenScenario(text, "harbour.json", seats);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  Result<OpenedSession> again = h.service().OpenScenario(text, "harbour.json", seats);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->session_id, a->session_id);
  Result<OpenedSession> plain = h.service().OpenScenario(text, "harbour.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_NE(plain->session_id, a->session_id);
  std::string mediator;
  for (const IssuedInvitation& i : again->invitations) {  // The call before revoked a's.
    if (i.role == "mediator") mediator = i.token;
  }
  Reply view = h.Get(SeatPath(a->session_id) + "/mediator", mediator);
  ASSERT_EQ(view.status, 200) << view.raw.body;
  Json console = view.json;
  EXPECT_TRUE(console["seated"].get<bool>());
  EXPECT_TRUE(console["parties"][0]["automated"].get<bool>());
  EXPECT_FALSE(console["parties"][1]["automated"].get<bool>());
  Result<OpenedSession> bad = h.service().OpenScenario(text, "harbour.json", R"({"parties":[1]})");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("harbour.json"), std::string::npos);
}

TEST(SeatTest, ReopeningTheDatabaseReplaysTheSeatAndTheAutomatedPartiesAndPlaysOn) {
  auto dir =
      std::filesystem::temp_directory_path() / ("shuttle_seat_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  ServiceOptions options;
  options.db_path = (dir / "seat.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((options.db_path + suffix).c_str());
  std::map<std::string, std::string> t;
  std::string sid, before;
  {
    Harness h(options);
    sid = h.Create(&t, {{"mediator", "person"}, {"parties", {"reticent", "reticent"}}});
    Seat seat(&h, sid, t["mediator"]);
    seat.Must({{"move", "open"}, {"party", 1}});
    seat.Must({{"move", "text"}});
    seat.Must({{"move", "leave"}});
    seat.Must({{"move", "open"}, {"party", 0}});
    seat.Must({{"move", "text"}, {"outcome", MiddleText()}});
    before = h.Get(SeatPath(sid) + "/events", t["mediator"]).raw.body;
  }
  Harness h(options);
  ASSERT_EQ(h.service().session_count(), 1u);
  EXPECT_EQ(h.Get(SeatPath(sid) + "/events", t["mediator"]).raw.body, before);
  Seat seat(&h, sid, t["mediator"]);
  seat.Must({{"move", "leave"}});
  seat.Must({{"move", "round"}});
  EXPECT_GT(MediateToAgreement(&h, sid, &seat), 0);
  EXPECT_EQ(h.Get(SeatPath(sid), t["mediator"]).json["status"], "agreement");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shuttle::service_testing
