// Tokens: libsodium's randombytes (the OS generator) and BLAKE2b (crypto_generichash).
#include "service/tokens.h"

#include <sodium.h>

#include <cstdlib>
#include <vector>

namespace shuttle::service_internal {
namespace {

void EnsureSodium() {
  static const bool ready = [] { return sodium_init() >= 0; }();
  if (!ready) std::abort();  // No randomness source: refusing to mint guessable tokens.
}

std::string Base64Url(const unsigned char* data, size_t size) {
  std::vector<char> out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return std::string(out.data());
}

std::string Hash(std::string_view text) {
  EnsureSodium();
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex);
}

}  // namespace

std::string NewToken() { return NewId(32); }

std::string NewId(size_t bytes) {
  EnsureSodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  return Base64Url(raw.data(), raw.size());
}

std::string HashToken(std::string_view token) { return Hash(token); }
std::string HashText(std::string_view text) { return Hash(text); }

bool LooksLikeToken(std::string_view text) {
  if (text.size() != 43) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  EnsureSodium();
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace shuttle::service_internal
