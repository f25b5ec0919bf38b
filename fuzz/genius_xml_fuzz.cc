// libFuzzer target: GENIUS XML domains and profiles. Any input must give a value or an error,
// never a crash, a hang or a sanitizer report; what parses must survive a write and re-read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shuttle/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const shuttle::OutcomeSpace kSpace({
      shuttle::Issue::Discrete("Color", {"red", "green", "blue"}),
      shuttle::Issue::Integer("Amount", 1, 5),
      shuttle::Issue::Real("Price", 0, 10, 2.5),
  });
  (void)shuttle::ParseGeniusProfile(text, kSpace, "fuzz.xml");
  auto space = shuttle::ParseGeniusDomain(text, "fuzz.xml");
  if (!space.ok()) return 0;
  auto profile = shuttle::ParseGeniusProfile(text, *space, "fuzz.xml");
  if (!profile.ok()) return 0;
  auto written = shuttle::WriteGeniusProfile(*space, *profile);
  if (!written.ok()) return 0;
  auto again = shuttle::ParseGeniusProfile(*written, *space, "rewritten.xml");
  if (!again.ok() || !(*again == *profile)) __builtin_trap();
  return 0;
}
