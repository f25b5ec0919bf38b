#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "run/testing.h"
#include "shuttle/log_io.h"
#include "shuttle/negotiate.h"

namespace shuttle {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// A scenario with every issue type (the real one discretized to an awkward step).
Scenario MixedScenario() {
  Scenario s = testing::SmallScenario(3, {3}, 5);
  s.space = OutcomeSpace({Issue::Discrete("color", {"red", "dark green", "blue \"navy\""}),
                          Issue::Integer("qty", -2, 5), Issue::Real("price", 0.1, 1.0, 0.1 / 3)});
  for (Party& p : s.parties) {
    p.profile.weights = {0.5, 0.3, 0.2};
    Evaluator c;
    c.evaluations = {1, 0.5, 0.25};
    Evaluator q;
    q.kind = EvaluatorKind::kLinearFromLower;
    q.slope = 0.1;
    Evaluator r;
    r.kind = EvaluatorKind::kLinear;
    r.p1 = 1;
    p.profile.evaluators = {c, q, r};
  }
  return s;
}

// A hand-made log using every field: audiences, actors, values, outcomes and texts.
EventLog MixedLog(const Scenario& s) {
  ProtocolOptions o;
  o.rounds = 12;
  o.seconds = 0.25;
  o.seed = 18446744073709551615ULL;
  o.initial_temperature = 0.1 + 0.2;
  o.agents = {"a", "b:e=0.2", "c"};
  EventLog log(3);
  Event start;
  start.type = EventType::kStart;
  log.Append(start, nullptr, StartHeaderJson("sao", 3, o));
  const uint32_t x[] = {2, 7, 27};
  const uint32_t y[] = {0, 0, 13};
  Event e;
  e.type = EventType::kPropose;
  e.actor = kMediator;
  e.audience = Audience::Caucus(2);
  e.round = 4;
  e.time = 1.0 / 3;
  log.Append(e, x, "why: \"because\"\nnext line");
  e.type = EventType::kVote;
  e.actor = 1;
  e.value = -1;
  e.audience = Audience::MediatorOnly();
  e.time = 0.7;
  log.Append(e, y);
  e.type = EventType::kStatement;
  e.value = 0;
  e.actor = kSystem;
  e.audience = Audience::Public();
  e.time = 1;
  log.Append(e, nullptr, "done");
  return log;
}

TEST(EventLogJsonTest, RoundTripsEveryFieldExactly) {
  Scenario s = MixedScenario();
  EventLog log = MixedLog(s);
  auto text = WriteEventLogJson(s, log);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  std::vector<std::string> lines = Lines(*text);
  ASSERT_EQ(lines.size(), 1 + log.size());
  EXPECT_NE(lines[2].find("\"type\":\"propose\""), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"audience\":\"caucus:2\""), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"color\":\"blue \\\"navy\\\"\""), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("\"qty\":5"), std::string::npos) << lines[2];
  auto parsed = ParseEventLogJson(*text, "mixed.jsonl");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->log == log);
  EXPECT_TRUE(parsed->scenario == s);
  EXPECT_EQ(parsed->protocol, "sao");
  EXPECT_EQ(parsed->options.seed, 18446744073709551615ULL);
  EXPECT_EQ(parsed->options.initial_temperature, 0.1 + 0.2);
  EXPECT_EQ(parsed->options.agents, (std::vector<std::string>{"a", "b:e=0.2", "c"}));
  auto again = WriteEventLogJson(parsed->scenario, parsed->log);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *text);
}

TEST(EventLogJsonTest, NegotiatedLogReplaysAfterTheFileRoundTrip) {
  Scenario s = testing::SmallScenario(2, {4, 3, 5}, 21);
  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<testing::RandomTestAgent>(0.02));
  agents.push_back(std::make_unique<testing::RandomTestAgent>(0.02));
  NegotiationOptions o;
  o.protocol_options.rounds = 100;
  o.protocol_options.seed = 99;
  auto r = Negotiate(s, o, std::move(agents));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto text = WriteEventLogJson(s, r->log);
  ASSERT_TRUE(text.ok());
  auto parsed = ParseEventLogJson(*text, "run.jsonl");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->log == r->log);
  EXPECT_TRUE(Replay(parsed->scenario, parsed->log).ok());

  // Edit the agreed value in the file: it still parses, but replay names the event.
  ASSERT_TRUE(r->agreement.has_value());
  std::vector<std::string> lines = Lines(*text);
  std::string& line = lines.back();
  ASSERT_NE(line.find("\"agreement\""), std::string::npos) << line;
  size_t v = line.find("\"issue0\":\"v");
  ASSERT_NE(v, std::string::npos) << line;
  char& digit = line[v + 11];
  digit = digit == '0' ? '1' : '0';
  auto tampered = ParseEventLogJson(Join(lines), "run.jsonl");
  ASSERT_TRUE(tampered.ok()) << tampered.status().ToString();
  Status st = Replay(tampered->scenario, tampered->log);
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_NE(st.message().find("event " + std::to_string(lines.size() - 2)), std::string::npos)
      << st.message();
}

struct BadLogCase {
  const char* what;
  size_t line;  // 1-based
  std::string (*edit)(const std::string&);
  const char* fragment;
  size_t expected_line;
};

std::string Replace(const std::string& s, const std::string& from, const std::string& to) {
  std::string out = s;
  size_t p = out.find(from);
  if (p != std::string::npos) out.replace(p, from.size(), to);
  return out;
}

TEST(EventLogJsonTest, ErrorsNameTheFileAndLine) {
  Scenario s = MixedScenario();
  auto text = WriteEventLogJson(s, MixedLog(s));
  ASSERT_TRUE(text.ok());
  const BadLogCase cases[] = {
      {"unknown type", 4, [](const std::string& l) { return Replace(l, "\"vote\"", "\"voet\""); },
       "voet", 4},
      {"bad JSON", 5, [](const std::string& l) { return l.substr(0, l.size() - 1); }, "line 5", 5},
      {"unknown issue", 3,
       [](const std::string& l) { return Replace(l, "\"qty\"", "\"quantity\""); }, "quantity", 3},
      {"no such value", 3,
       [](const std::string& l) { return Replace(l, "\"qty\":5", "\"qty\":6"); }, "qty", 3},
      {"actor", 4, [](const std::string& l) { return Replace(l, "\"actor\":1", "\"actor\":3"); },
       "actor", 4},
      {"audience", 3, [](const std::string& l) { return Replace(l, "caucus:2", "caucus:x"); },
       "audience", 3},
      {"unknown field", 5, [](const std::string& l) { return Replace(l, "\"text\"", "\"txt\""); },
       "txt", 5},
      {"format", 1,
       [](const std::string& l) { return Replace(l, "shuttle-event-log", "shuttle-log"); },
       "format", 1},
      {"header vs start", 1,
       [](const std::string& l) { return Replace(l, "\"rounds\":12", "\"rounds\":13"); }, "options",
       1},
  };
  for (const BadLogCase& c : cases) {
    std::vector<std::string> lines = Lines(*text);
    std::string edited = c.edit(lines[c.line - 1]);
    ASSERT_NE(edited, lines[c.line - 1]) << c.what;
    lines[c.line - 1] = edited;
    auto r = ParseEventLogJson(Join(lines), "x.jsonl");
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << c.what;
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("x.jsonl: line " + std::to_string(c.expected_line)), std::string::npos)
        << c.what << ": " << m;
    EXPECT_NE(m.find(c.fragment), std::string::npos) << c.what << ": " << m;
  }
  EXPECT_EQ(ParseEventLogJson("", "e.jsonl").status().code(), StatusCode::kCorruption);
  std::vector<std::string> lines = Lines(*text);
  lines.insert(lines.begin() + 2, "");
  auto blank = ParseEventLogJson(Join(lines), "b.jsonl");
  EXPECT_NE(blank.status().message().find("line 3"), std::string::npos) << blank.status().message();
}

TEST(EventLogJsonTest, WriterRefusesALogThatDoesNotFitTheScenario) {
  Scenario s = MixedScenario();
  EventLog log = MixedLog(s);
  Scenario two = s;
  two.parties.pop_back();
  EXPECT_EQ(WriteEventLogJson(two, log).status().code(), StatusCode::kInvalidArgument);
  EventLog no_start(3);
  EXPECT_EQ(WriteEventLogJson(s, no_start).status().code(), StatusCode::kInvalidArgument);
  EventLog bad = MixedLog(s);
  const uint32_t out_of_space[] = {3, 0, 0};
  bad.Append(Event{}, out_of_space);
  EXPECT_EQ(WriteEventLogJson(s, bad).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace shuttle
