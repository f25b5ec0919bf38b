// The one interface through which the library reads time.
//
// Protocols never read a clock: a runner turns the clock into normalized time, the protocol
// records that time in each event, and replay uses the recorded times. What does read time (a
// deadline in seconds, a tournament's durations, the service's timestamps and rate limits) takes a
// Clock, so tests substitute a fake and nothing else reaches for std::chrono.
#ifndef SHUTTLE_CLOCK_H_
#define SHUTTLE_CLOCK_H_

#include <cstdint>

namespace shuttle {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since an arbitrary origin; never decreases. For deadlines and durations.
  virtual double Seconds() = 0;
  // Milliseconds since the Unix epoch, for timestamps people read (may jump with the system
  // clock). Default: the system clock.
  virtual int64_t UnixMillis();
};

// The machine's clocks: std::chrono::steady_clock for Seconds, system_clock for UnixMillis.
// Thread-safe; never deleted.
Clock* SteadyClock();

}  // namespace shuttle

#endif  // SHUTTLE_CLOCK_H_
