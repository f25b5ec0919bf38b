// libFuzzer target: GeniusWeb JSON domains and profiles.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shuttle/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto space = shuttle::ParseGeniusWebDomain(text, "fuzz.json");
  if (!space.ok()) return 0;
  (void)shuttle::ParseGeniusWebProfile(text, *space, "fuzz.json");
  return 0;
}
