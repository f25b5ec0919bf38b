// A session whose last step is blind bidding (options.bidding): a person in the mediator's seat
// asks each party for its bid through the API, the table settles by the rule, and no party's view
// holds the other's bid.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "service/service_test_util.h"

namespace shuttle::service_testing {
namespace {

// A claim over an amount 0..100 and a warranty: the warranty by text, the amount by bids.
Json ClaimScenario() {
  return Json::parse(R"({
    "format": "shuttle-scenario", "version": 1, "name": "claim",
    "issues": [{"name": "warranty", "type": "discrete", "values": ["none", "full"]},
               {"name": "amount", "type": "integer", "lower": 0, "upper": 100}],
    "parties": [
      {"name": "respondent", "profile": {"kind": "linear_additive",
        "weights": {"warranty": 0.3, "amount": 0.7},
        "evaluators": {"warranty": {"table": {"none": 1, "full": 0.5}},
                       "amount": {"linear": {"p0": 1, "p1": -0.01}}}}},
      {"name": "claimant", "profile": {"kind": "linear_additive",
        "weights": {"warranty": 0.3, "amount": 0.7},
        "evaluators": {"warranty": {"table": {"none": 0, "full": 1}},
                       "amount": {"linear": {"p0": 0, "p1": 0.01}}}}}]
  })");
}

// The claim over the amount alone: the whole mediation is the bidding step.
Json AmountScenario() {
  Json s = ClaimScenario();
  s["issues"].erase(0);
  for (Json& p : s["parties"]) {
    p["profile"]["weights"] = {{"amount", 1}};
    p["profile"]["evaluators"].erase("warranty");
  }
  return s;
}

void Ok(const Reply& r, const std::string& what) {
  ASSERT_EQ(r.status, 200) << what << ": " << r.raw.body;
}

class BiddingSession {
 public:
  explicit BiddingSession(Harness* h) : h_(h) {}
  // The same session through another harness (the service reopened on its database).
  BiddingSession(Harness* h, const BiddingSession& same) : BiddingSession(same) { h_ = h; }
  Reply Create(const Json& options, const Json& scenario = ClaimScenario()) {
    Json body = {{"scenario", scenario}, {"options", options}};
    Reply r = h_->Call("POST", "/api/sessions", "", body.dump());
    if (r.status != 201) return r;
    sid_ = r.json["session"]["id"].get<std::string>();
    for (const Json& i : r.json["invitations"])
      tokens_[i["label"].get<std::string>()] = i["token"].get<std::string>();
    return r;
  }
  Reply Seat(const Json& move) {
    return h_->Post("/api/sessions/" + sid_ + "/mediator/moves", tokens_["mediator"], move);
  }
  Reply Party(int p, const std::string& what, const Json& body) {
    const std::string name = p == 0 ? "respondent" : "claimant";
    return h_->Post(fmt::format("/api/sessions/{}/parties/{}/{}", sid_, p, what),
                    tokens_[name + " principal"], body);
  }
  // Every event party p's principal may read, as one string.
  std::string Heard(int p) {
    const std::string name = p == 0 ? "respondent" : "claimant";
    return h_->Get("/api/sessions/" + sid_ + "/events?limit=1000", tokens_[name + " principal"])
        .json["events"]
        .dump();
  }
  Json Session() { return h_->Get("/api/sessions/" + sid_, tokens_["mediator"]).json; }
  // The session view as party p's principal reads it.
  Json SessionOf(int p) {
    const std::string name = p == 0 ? "respondent" : "claimant";
    return h_->Get("/api/sessions/" + sid_, tokens_[name + " principal"]).json;
  }
  // The claim's first stage by the person in the seat: both parties accept warranty "full".
  void SettleWarranty() {
    for (int p : {0, 1}) {
      Ok(Seat({{"move", "open"}, {"party", p}}), "open");
      Ok(Seat({{"move", "text"}, {"outcome", {{"warranty", "full"}, {"amount", 50}}}}), "text");
      Ok(Party(p, "accept", Json::object()), "accept");
      Ok(Seat({{"move", "leave"}}), "leave");
    }
    Ok(Seat({{"move", "round"}}), "round");
    Ok(Seat({{"move", "settle"}}), "settle");
  }
  // A bidding round by the person in the seat: each party is asked for its bid and gives
  // bids[p] (none given: automated parties answer themselves); then the round ends.
  void BidRound(const std::vector<int>& bids = {}) {
    for (int p : {0, 1}) {
      Ok(Seat({{"move", "open"}, {"party", p}}), "open");
      Ok(Seat({{"move", "ask"}, {"question", {{"kind", "bid"}, {"issue", "amount"}}}}), "ask");
      if (!bids.empty()) Ok(Party(p, "answer", {{"bid", bids[p]}}), "bid");
      Ok(Seat({{"move", "leave"}}), "leave");
    }
    Ok(Seat({{"move", "round"}}), "round");
  }

 private:
  Harness* h_;
  std::string sid_;
  std::map<std::string, std::string> tokens_;
};

TEST(BiddingServiceTest, APersonRunsTheBiddingStepAndNoBidReachesTheOtherParty) {
  Harness h;
  BiddingSession s(&h);
  Json options = {
      {"mediator", "person"},
      {"bidding", {{"issue", "amount"}, {"claimant", "claimant"}, {"margin_percent", 0}}}};
  Reply made = s.Create(options);
  ASSERT_EQ(made.status, 201) << made.raw.body;
  // The warranty: both accept "full"; settle.
  s.SettleWarranty();
  // The bidding step: a text is refused; bids are asked for.
  Ok(s.Seat({{"move", "open"}, {"party", 0}}), "open");
  Reply text = s.Seat({{"move", "text"}, {"outcome", {{"warranty", "full"}, {"amount", 50}}}});
  EXPECT_EQ(text.status, 409) << text.raw.body;
  EXPECT_NE(text.raw.body.find("blind bidding"), std::string::npos) << text.raw.body;
  const Json bid = {{"kind", "bid"}, {"issue", "amount"}};
  // Round 1: the respondent offers 31, the claimant demands 87: no settlement.
  Ok(s.Seat({{"move", "ask"}, {"question", bid}}), "ask");
  Ok(s.Party(0, "answer", {{"bid", 31}}), "bid");
  Ok(s.Seat({{"move", "leave"}}), "leave");
  Ok(s.Seat({{"move", "open"}, {"party", 1}}), "open");
  Ok(s.Seat({{"move", "ask"}, {"question", bid}}), "ask");
  Reply off = s.Party(1, "answer", {{"bid", 187}});
  EXPECT_EQ(off.status, 400) << off.raw.body;
  Ok(s.Party(1, "answer", {{"bid", 87}}), "bid");
  Ok(s.Seat({{"move", "leave"}}), "leave");
  Ok(s.Seat({{"move", "round"}}), "round");
  EXPECT_EQ(s.Session()["status"], "talking");
  EXPECT_EQ(s.Heard(0).find("87"), std::string::npos);
  EXPECT_EQ(s.Heard(1).find("31"), std::string::npos);
  EXPECT_NE(s.Heard(0).find(R"(\"settled\":false)"), std::string::npos) << s.Heard(0);
  // Round 2: 64 offered, 62 demanded: crossed, settled at the demand.
  s.BidRound({64, 62});
  const Json session = s.Session();
  EXPECT_EQ(session["status"], "agreement") << session.dump();
  EXPECT_EQ(session["agreement"]["amount"], 62) << session.dump();
  EXPECT_EQ(session["agreement"]["warranty"], "full");
  EXPECT_EQ(s.Heard(1).find("64"), std::string::npos);
}

// The rooms read the rules and the stage from the session view, which every party's token may
// read: so it holds the rules and never a bid.
TEST(BiddingServiceTest, TheSessionViewStatesTheRulesAndTheBiddingStageButNoBid) {
  Harness h;
  BiddingSession s(&h);
  Json options = {{"mediator", "person"},
                  {"bidding",
                   {{"issue", "amount"},
                    {"claimant", "claimant"},
                    {"rounds", 4},
                    {"margin_percent", 12.5},
                    {"crossing", "midpoint"}}}};
  ASSERT_EQ(s.Create(options).status, 201);
  const Json view = s.Session();
  ASSERT_EQ(view["agenda"].size(), 2u) << view.dump();
  EXPECT_EQ(view["agenda"][0]["issues"], Json::array({"warranty"})) << view.dump();
  EXPECT_EQ(view["agenda"][1]["name"], "bidding: amount") << view.dump();
  EXPECT_EQ(view["agenda"][1]["issues"], Json::array({"amount"})) << view.dump();
  const Json expected = {{"issue", "amount"},
                         {"stage", 1},
                         {"rounds", 4},
                         {"claimant", "claimant"},
                         {"respondent", "respondent"},
                         {"margin_percent", 12.5},
                         {"margin_amount", 0.0},
                         {"crossing", "midpoint"}};
  EXPECT_EQ(view["bidding"], expected) << view.dump();
  // Through a round of bids: the view every party reads stays the rules.
  s.SettleWarranty();
  s.BidRound({13, 97});
  for (int p : {0, 1}) {
    Json during = s.SessionOf(p);
    EXPECT_EQ(during["bidding"], expected) << during.dump();
    during.erase("id");  // Random: it might hold the digits.
    EXPECT_EQ(during.dump().find("13"), std::string::npos) << during.dump();
    EXPECT_EQ(during.dump().find("97"), std::string::npos) << during.dump();
  }
}

TEST(BiddingServiceTest, ASessionWithoutBiddingHasNoRulesAndTheScenariosAgenda) {
  Harness h;
  BiddingSession s(&h);
  ASSERT_EQ(s.Create({{"mediator", "person"}}).status, 201);
  const Json view = s.Session();
  EXPECT_TRUE(view["bidding"].is_null()) << view.dump();
  EXPECT_EQ(view["agenda"], Json::array()) << view.dump();
}

TEST(BiddingServiceTest, TheBiddingOptionsAreCheckedWithTheScenario) {
  Harness h;
  struct {
    Json options;
    const char* says;
  } cases[] = {
      {{{"bidding", {{"issue", "amount"}}}}, "the bidding step needs the mediator's seat"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "colour"}}}}, "options.bidding.issue"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "warranty"}}}}, "'warranty' is discrete"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "amount"}, {"claimant", "judge"}}}},
       "options.bidding.claimant"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "amount"}, {"rounds", 0}}}},
       "options.bidding.rounds"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "amount"}, {"margin_percent", 150}}}},
       "margin_percent"},
      {{{"mediator", "person"}, {"bidding", {{"issue", "amount"}, {"crossing", "high"}}}},
       "options.bidding.crossing"},
      {{{"mediator", "person"}, {"bidding", {{"amount", 3}}}}, "options.bidding.amount"},
  };
  for (const auto& c : cases) {
    BiddingSession s(&h);
    Reply r = s.Create(c.options);
    EXPECT_EQ(r.status, 400) << c.options.dump() << ": " << r.raw.body;
    EXPECT_NE(r.raw.body.find(c.says), std::string::npos) << c.options.dump() << ": " << r.raw.body;
  }
}

// Automated parties bid by the rounds they have bid in; a party rebuilt from the store counts them
// from the log, so a session reopened between rounds bids and settles as one that was not.
TEST(BiddingServiceTest, AReopenedSessionBidsOnAsIfItHadNotClosed) {
  const Json options = {{"mediator", "person"},
                        {"parties", {"reticent", "reticent"}},
                        {"bidding", {{"issue", "amount"}, {"claimant", 1}, {"margin_percent", 0}}}};
  // Without a reopening: the rounds until the talks end.
  Harness memory;
  BiddingSession straight(&memory);
  ASSERT_EQ(straight.Create(options, AmountScenario()).status, 201);
  int rounds = 0;
  while (straight.Session()["status"] == "talking" && rounds < 3) {
    straight.BidRound();
    ++rounds;
  }
  ASSERT_GE(rounds, 2) << "the bids should not settle in the first round";
  const Json expected = straight.Session();
  ASSERT_EQ(expected["status"], "agreement") << expected.dump();

  TempDb db("shuttle_bidding_test");
  ServiceOptions stored;
  stored.db_path = db.path();
  std::optional<BiddingSession> first;
  {
    Harness h(stored);
    first.emplace(&h);
    ASSERT_EQ(first->Create(options, AmountScenario()).status, 201);
    first->BidRound();
  }
  Harness h(stored);
  BiddingSession reopened(&h, *first);
  for (int r = 1; r < rounds; ++r) reopened.BidRound();
  const Json got = reopened.Session();
  EXPECT_EQ(got["status"], expected["status"]) << got.dump();
  EXPECT_EQ(got["agreement"], expected["agreement"]) << got.dump();
}

// The engine in the seat ("mediator": "engine-seat") runs the bidding rounds itself; people bid.
// Reopened between the two bids, the engine makes its moves again from the store and goes on.
TEST(BiddingServiceTest, TheEngineInTheSeatRunsTheRoundsAndResumesAfterAReopening) {
  const Json options = {{"mediator", "engine-seat"},
                        {"bidding", {{"issue", "amount"}, {"claimant", 1}, {"margin_percent", 0}}}};
  TempDb db("shuttle_engine_seat_test");
  ServiceOptions stored;
  stored.db_path = db.path();
  std::optional<BiddingSession> first;
  {
    Harness h(stored);
    first.emplace(&h);
    ASSERT_EQ(first->Create(options, AmountScenario()).status, 201);
    // The engine opened the caucus with the respondent and asked for its bid.
    Ok(first->Party(0, "answer", {{"bid", 41}}), "bid");
    Reply seat = first->Seat({{"move", "round"}});
    EXPECT_EQ(seat.status, 409) << "a person may not move in the engine's seat";
  }
  Harness h(stored);
  BiddingSession s(&h, *first);
  EXPECT_EQ(s.Session()["status"], "talking");
  Ok(s.Party(1, "answer", {{"bid", 37}}), "bid");
  const Json session = s.Session();
  EXPECT_EQ(session["status"], "agreement") << session.dump();
  EXPECT_EQ(session["agreement"]["amount"], 37) << session.dump();  // Crossed: at the demand.
  EXPECT_EQ(s.Heard(1).find("41"), std::string::npos);
}

}  // namespace
}  // namespace shuttle::service_testing
