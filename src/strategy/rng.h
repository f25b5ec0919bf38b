// The strategies' seeded random source (core/rng.h), so a negotiation replays the same whatever
// the standard library.
#ifndef SHUTTLE_SRC_STRATEGY_RNG_H_
#define SHUTTLE_SRC_STRATEGY_RNG_H_

#include "core/rng.h"

namespace shuttle::strategy {

using Rng = SplitMix64;

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_RNG_H_
