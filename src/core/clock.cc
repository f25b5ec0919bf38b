#include "shuttle/clock.h"

#include <chrono>

namespace shuttle {
namespace {

class MachineClock final : public Clock {
 public:
  double Seconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

int64_t Clock::UnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Clock* SteadyClock() {
  static MachineClock clock;
  return &clock;
}

}  // namespace shuttle
