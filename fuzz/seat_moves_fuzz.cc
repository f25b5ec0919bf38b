// libFuzzer target: moves of the shuttle protocol with a mediator's seat, texts included (confided
// preferences, objections, partial texts, questions and their answers), with a last step of blind
// bidding on "amount" (bids asked and answered, rounds ended). Each input line is one
// move: its first byte picks the move's type, the second its actor or value, the rest is its text;
// the outcome is a fixed one. Nothing may crash, and a refused move must leave the log unchanged.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "shuttle/mediation.h"

namespace {

const shuttle::OutcomeSpace& Space() {
  static const shuttle::OutcomeSpace space(
      {shuttle::Issue::Discrete("price", {"p0", "p1", "p2", "p3"}),
       shuttle::Issue::Discrete("delivery", {"d0", "d1", "d2"}),
       shuttle::Issue::Discrete("warranty", {"none", "full"}),
       shuttle::Issue::Integer("amount", 0, 100)});
  return space;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using shuttle::EventType;
  shuttle::MediationOptions o;
  o.helm = true;
  o.mediator = "person";
  o.max_confidences_per_caucus = 4;
  o.bidding.issue = 3;
  o.bidding.rules.margin_percent = 10;
  auto m = shuttle::MakeMediator(&Space(), 2, o);
  if (!m.ok()) __builtin_trap();
  shuttle::EventLog log(Space().issue_count());
  (*m)->Start(&log);
  const std::vector<uint32_t> outcome = {1, 1, 1, 50};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty() && !(*m)->done()) {
    size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    if (line.size() < 2) continue;
    shuttle::Action a;
    a.type = static_cast<EventType>(static_cast<uint8_t>(line[0]) %
                                    (static_cast<int>(shuttle::kLastEventType) + 1));
    const int who = static_cast<uint8_t>(line[1]) % 4;  // 0, 1: parties; 2: the mediator; 3: 5.
    a.actor = who < 2 ? who : (who == 2 ? shuttle::kMediator : 5);
    a.value = static_cast<uint8_t>(line[1]) / 4 % 4 - 1;  // -1 (kMediator) .. 2
    a.text = line.substr(2);
    a.outcome = (static_cast<uint8_t>(line[1]) & 0x40) ? outcome.data() : nullptr;
    const size_t before = log.size();
    shuttle::Status s = (*m)->Apply(a, 0, &log);
    if (!s.ok() && log.size() != before) __builtin_trap();
  }
  return 0;
}
