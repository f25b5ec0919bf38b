// The one strict JSON reader: depth bounded while parsing (on a small stack too), duplicate keys,
// and the path of the offending field in every message.
#include "core/json_reader.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

namespace shuttle::json_internal {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonReaderTest, RefusesNestingPastTheLimitWhileParsing) {
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth), "doc").ok());
  Result<Json> deep = ParseJson(Nested(kMaxJsonDepth + 1), "doc");
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(deep.status().message().rfind("doc[0][0][0]", 0), 0u) << deep.status().message();
  EXPECT_NE(deep.status().message().find("...: nesting deeper than 64 levels"), std::string::npos);
  // Unterminated: the limit is met before the syntax error at the end would be.
  Result<Json> open = ParseJson(std::string(100'000, '['), "doc");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("nesting deeper"), std::string::npos)
      << open.status().message();
}

// A parse that recursed per level would overflow a 128 KiB stack long before 100,000 levels.
TEST(JsonReaderTest, ParsesOnASmallStackWithoutRecursing) {
  struct Job {
    std::string text;
    bool refused = false;
    std::string message;
  } job{std::string("{\"a\": ") + Nested(100'000) + "}"};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, 128 * 1024), 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    Job* j = static_cast<Job*>(arg);
    Result<OrderedJson> r = ParseOrderedJson(j->text, "body");
    j->refused = !r.ok();
    if (!r.ok()) j->message = r.status().message();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, &job), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(job.refused);
  EXPECT_EQ(job.message.rfind("body.a", 0), 0u) << job.message;
}

TEST(JsonReaderTest, DuplicateKeysAreRefusedWithTheirPath) {
  Result<Json> top = ParseJson(R"({"x": 1, "x": 2})", "body");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.status().message(), "body: duplicate key 'x'");
  Result<OrderedJson> inner =
      ParseOrderedJson(R"({"issues": [{"name": "a"}, {"name": "b", "name": "c"}]})", "body");
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().message(), "body.issues[1]: duplicate key 'name'");
  // The same key in sibling objects is fine.
  EXPECT_TRUE(ParseJson(R"([{"a": 1}, {"a": 2}])", "body").ok());
}

TEST(JsonReaderTest, SyntaxErrorsSayWhere) {
  Result<Json> r = ParseJson("{\n\"a\": 1,, }", "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("body: malformed JSON: ", 0), 0u) << r.status().message();
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
}

TEST(JsonReaderTest, OrderedParseKeepsTheTextsOrder) {
  Result<OrderedJson> r = ParseOrderedJson(R"({"b": 1, "a": 2})", "body");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->begin().key(), "b");
}

}  // namespace
}  // namespace shuttle::json_internal
