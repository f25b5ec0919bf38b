// Random tokens and ids from libsodium, and the one-way hash under which tokens are stored.
// Thread-safe (libsodium is initialized once on first use).
#ifndef SHUTTLE_SRC_SERVICE_TOKENS_H_
#define SHUTTLE_SRC_SERVICE_TOKENS_H_

#include <string>
#include <string_view>

namespace shuttle::service_internal {

// 32 random bytes as unpadded base64url: 43 characters.
std::string NewToken();
// `bytes` random bytes as unpadded base64url (12 bytes: 16 characters).
std::string NewId(size_t bytes = 12);
// Hex of the BLAKE2b-256 hash of the token: what the store keeps. A token is 256 random bits, so a
// fast hash is enough (no password stretching needed).
std::string HashToken(std::string_view token);
// Hex of the BLAKE2b-256 hash of any text (scenario files opened with --open).
std::string HashText(std::string_view text);
// Whether the text could be a token (43 base64url characters): cheap rejection before a lookup.
bool LooksLikeToken(std::string_view text);
// Constant-time comparison of two secrets (different lengths compare unequal).
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace shuttle::service_internal

#endif  // SHUTTLE_SRC_SERVICE_TOKENS_H_
