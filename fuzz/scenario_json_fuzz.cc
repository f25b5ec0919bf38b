// libFuzzer target: Shuttle JSON scenarios. What parses must round-trip exactly.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "shuttle/io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = shuttle::ParseScenarioJson(text, "fuzz.json");
  if (!scenario.ok()) return 0;
  auto again = shuttle::ParseScenarioJson(shuttle::WriteScenarioJson(*scenario), "rewritten.json");
  if (!again.ok() || !(*again == *scenario)) __builtin_trap();
  return 0;
}
