// Tokens: shape, uniqueness, hashing, and the cheap shape check before any lookup.
#include "service/tokens.h"

#include <gtest/gtest.h>

#include <set>

namespace shuttle::service_internal {
namespace {

TEST(TokensTest, AreUrlSafeUniqueAndLookLikeTokens) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string t = NewToken();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_TRUE(LooksLikeToken(t)) << t;
    EXPECT_EQ(t.find_first_of("+/="), std::string::npos) << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(NewId().size(), 16u);
}

TEST(TokensTest, HashIsStableHexAndNeverTheToken) {
  const std::string t = NewToken();
  const std::string h = HashToken(t);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(HashToken(t), h);
  EXPECT_NE(HashToken(t + "x"), h);
  EXPECT_EQ(h.find(t), std::string::npos);
  // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte digest).
  EXPECT_EQ(HashText(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(TokensTest, ShapeCheckAndSecretComparison) {
  EXPECT_FALSE(LooksLikeToken(std::string(42, 'a')));
  EXPECT_FALSE(LooksLikeToken(std::string(44, 'a')));
  EXPECT_FALSE(LooksLikeToken(std::string(42, 'a') + "+"));
  EXPECT_TRUE(LooksLikeToken(std::string(42, 'a') + "_"));
  EXPECT_TRUE(SameSecret("k3y", "k3y"));
  EXPECT_FALSE(SameSecret("k3y", "k3z"));
  EXPECT_FALSE(SameSecret("k3y", "k3y "));
  EXPECT_TRUE(SameSecret("", ""));
}

}  // namespace
}  // namespace shuttle::service_internal
