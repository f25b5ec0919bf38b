// Test helpers of the io module: the project's own fixtures under tests/data/genius.
#ifndef SHUTTLE_SRC_IO_TESTING_H_
#define SHUTTLE_SRC_IO_TESTING_H_

#include <gtest/gtest.h>

#include <string>

#include "shuttle/io.h"

namespace shuttle::io_testing {

// The text of tests/data/genius/<name> (a failed test and "" when it cannot be read).
inline std::string Fixture(const std::string& name) {
  Result<std::string> text =
      ReadFile(std::string(SHUTTLE_SOURCE_DIR) + "/tests/data/genius/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

// The GENIUS XML domain tests/data/genius/<name> (a failed test and an empty space on error).
inline OutcomeSpace GeniusDomain(const std::string& name) {
  Result<OutcomeSpace> space = ParseGeniusDomain(Fixture(name), name);
  EXPECT_TRUE(space.ok()) << space.status().ToString();
  return space.ok() ? *space : OutcomeSpace();
}

// A failed status of `code` whose message contains `fragment`.
inline void ExpectError(const Status& status, StatusCode code, const std::string& fragment) {
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_NE(status.message().find(fragment), std::string::npos) << status.ToString();
}

}  // namespace shuttle::io_testing

#endif  // SHUTTLE_SRC_IO_TESTING_H_
