// Agent specs and acceptance conditions, as written on a command line or in a tournament file.
//
// A spec is a name with optional parameters: "boulware", "boulware:e=0.1,k=0,ac=next+const(0.9)".
// Parameters are key=value pairs separated by commas outside parentheses. An acceptance condition
// is one or more terms joined by '+', any of which accepts (they are alternatives):
//   next         AC_next: the offer is worth at least my next offer (to me).
//   next(a,b)    a * u(offer) + b >= u(my next offer).
//   const(c)     u(offer) >= c.
//   time(T)      the normalized time is at least T.
//   any          any offer.
// Whatever the terms say, an agent never accepts an offer below its reservation value or one
// crossing a red line. Values here are plain; parsing allocates (it runs once, before play).
#ifndef SHUTTLE_SRC_STRATEGY_AGENT_SPEC_H_
#define SHUTTLE_SRC_STRATEGY_AGENT_SPEC_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shuttle/status.h"

namespace shuttle::strategy {

struct AgentSpec {
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;  // In spec order.
};

// kInvalidArgument for an empty name, a parameter without '=', an empty or repeated key, or
// unbalanced parentheses; the message quotes the spec.
Result<AgentSpec> ParseAgentSpec(std::string_view spec);

struct AcceptanceTerm {
  enum class Kind { kNext, kConst, kTime, kAny };
  Kind kind = Kind::kNext;
  double a = 1;  // kNext: factor; kConst: the threshold c; kTime: T.
  double b = 0;  // kNext: offset.
};

struct Acceptance {
  std::vector<AcceptanceTerm> terms;

  // Whether some term accepts an offer worth `offer` when my next offer is worth `next`, at time t.
  // (The reservation value and red lines are the caller's check.)
  bool Accepts(double offer, double next, double t) const;
};

// kInvalidArgument names the bad term ("ac: unknown term 'nxt' (known: next, const, time, any)").
Result<Acceptance> ParseAcceptance(std::string_view text);

// Reads a spec's parameters by key, then reports any it did not read.
class ParamReader {
 public:
  explicit ParamReader(const AgentSpec& spec) : spec_(spec), used_(spec.params.size(), false) {}

  // The value of `key` or nullptr.
  const std::string* Find(std::string_view key);
  // A finite number within [lo, hi]; `*out` is left unchanged when the key is absent.
  Status Number(std::string_view key, double lo, double hi, double* out);
  // kInvalidArgument listing the keys never read ("hardliner: unknown parameter 'x' (known: ...)").
  Status Finish(std::string_view known) const;

 private:
  const AgentSpec& spec_;
  std::vector<bool> used_;
};

}  // namespace shuttle::strategy

#endif  // SHUTTLE_SRC_STRATEGY_AGENT_SPEC_H_
