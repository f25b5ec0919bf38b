#include "shuttle/protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "protocol/protocols.h"

namespace shuttle {
namespace {

using Factory = Result<std::unique_ptr<Protocol>> (*)(const OutcomeSpace*, int,
                                                      const ProtocolOptions&);

struct ProtocolRow {
  const char* name;
  Factory make;
};

// One row per protocol; the factories live in the protocols' own files.
const ProtocolRow kProtocols[] = {
    {"sao", MakeSaoProtocol},
    {"single-text", MakeSingleTextProtocol},
    {"feedback", MakeFeedbackProtocol},
    {"blind-bidding", MakeBlindBiddingProtocol},
};

constexpr const char* kBlindBidding = "blind-bidding";

nlohmann::ordered_json BlindBiddingJson(const BlindBiddingRules& r) {
  nlohmann::ordered_json j;
  j["claimant"] = r.claimant;
  j["margin_percent"] = r.margin_percent;
  j["margin_amount"] = r.margin_amount;
  j["crossing"] = CrossingName(r.crossing);
  return j;
}

// `corrupt`: the rules of a log's start event (kCorruption), else given ones (kInvalidArgument).
Result<BlindBiddingRules> ParseBlindBidding(const nlohmann::json& j, bool corrupt) {
  auto bad = [corrupt](const std::string& what) {
    return corrupt ? Status::Corruption("start event: 'blind_bidding': " + what)
                   : Status::InvalidArgument("blind_bidding: " + what);
  };
  if (!j.is_object()) return bad("must be an object");
  for (const auto& [key, value] : j.items()) {
    if (key != "claimant" && key != "margin_percent" && key != "margin_amount" &&
        key != "crossing") {
      return bad(fmt::format("unknown field '{}'", key));
    }
  }
  BlindBiddingRules r;
  auto it = j.find("claimant");
  if (it == j.end() || !it->is_number_integer() || it->get<int64_t>() < 0 ||
      it->get<int64_t>() > 1) {
    return bad("'claimant' must be 0 or 1");
  }
  r.claimant = it->get<int>();
  for (auto [name, field] : {std::pair{"margin_percent", &r.margin_percent},
                             std::pair{"margin_amount", &r.margin_amount}}) {
    it = j.find(name);
    if (it == j.end() || !it->is_number()) return bad(fmt::format("'{}' must be a number", name));
    *field = it->get<double>();
  }
  it = j.find("crossing");
  if (it == j.end() || !it->is_string()) return bad("'crossing' must be a string");
  Result<BlindBiddingRules::Crossing> crossing = ParseCrossing(it->get<std::string>());
  if (!crossing.ok()) return bad(crossing.status().message());
  r.crossing = *crossing;
  return r;
}

}  // namespace

std::string BlindBiddingRulesJson(const BlindBiddingRules& rules) {
  return BlindBiddingJson(rules).dump();
}

Result<BlindBiddingRules> ParseBlindBiddingRules(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("blind_bidding: not JSON");
  return ParseBlindBidding(j, /*corrupt=*/false);
}

double Protocol::RoundTime() const {
  if (options_.rounds <= 0) return 0;
  return std::min(1.0, static_cast<double>(round()) / options_.rounds);
}

Result<std::unique_ptr<Protocol>> MakeProtocol(std::string_view name, const OutcomeSpace* space,
                                               int party_count, const ProtocolOptions& options) {
  for (const ProtocolRow& row : kProtocols) {
    if (name == row.name) {
      if (options.rounds < 0) return Status::InvalidArgument("rounds must be >= 0");
      if (!(options.seconds >= 0)) return Status::InvalidArgument("seconds must be >= 0");
      return row.make(space, party_count, options);
    }
  }
  std::string known;
  for (const std::string& n : ProtocolNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::InvalidArgument(fmt::format("unknown protocol '{}' (known: {})", name, known));
}

std::vector<std::string> ProtocolNames() {
  std::vector<std::string> names;
  for (const ProtocolRow& row : kProtocols) names.emplace_back(row.name);
  return names;
}

std::string StartHeaderJson(std::string_view protocol, int party_count,
                            const ProtocolOptions& options) {
  nlohmann::ordered_json j;
  j["protocol"] = protocol;
  j["parties"] = party_count;
  j["rounds"] = options.rounds;
  j["seconds"] = options.seconds;
  j["seed"] = options.seed;
  j["initial_temperature"] = options.initial_temperature;
  j["agents"] = options.agents;
  if (protocol == kBlindBidding) j["blind_bidding"] = BlindBiddingJson(options.blind_bidding);
  return j.dump();
}

Result<StartHeader> ParseStartHeader(std::string_view text) {
  Result<nlohmann::json> parsed = json_internal::ParseJson(text, "start event: header");
  if (!parsed.ok()) return Status::Corruption(parsed.status().message());
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) return Status::Corruption("start event: header is not a JSON object");
  StartHeader h;
  auto field = [&](const char* name) -> const nlohmann::json* {
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
  };
  const nlohmann::json* f = field("protocol");
  if (f == nullptr || !f->is_string())
    return Status::Corruption("start event: 'protocol' must be a string");
  h.protocol = f->get<std::string>();
  f = field("parties");
  if (f == nullptr || !f->is_number_integer() || f->get<int64_t>() < 1 ||
      f->get<int64_t>() > 1'000'000) {
    return Status::Corruption("start event: 'parties' must be a positive integer");
  }
  h.party_count = f->get<int>();
  f = field("rounds");
  if (f == nullptr || !f->is_number_integer() || f->get<int64_t>() < 0 ||
      f->get<int64_t>() > INT32_MAX) {
    return Status::Corruption("start event: 'rounds' must be an integer >= 0");
  }
  h.options.rounds = f->get<int>();
  f = field("seconds");
  if (f == nullptr || !f->is_number() || !(f->get<double>() >= 0)) {
    return Status::Corruption("start event: 'seconds' must be a number >= 0");
  }
  h.options.seconds = f->get<double>();
  f = field("seed");
  if (f == nullptr || !f->is_number_unsigned()) {
    return Status::Corruption("start event: 'seed' must be an unsigned integer");
  }
  h.options.seed = f->get<uint64_t>();
  f = field("initial_temperature");
  if (f == nullptr || !f->is_number()) {
    return Status::Corruption("start event: 'initial_temperature' must be a number");
  }
  h.options.initial_temperature = f->get<double>();
  f = field("agents");
  if (f != nullptr) {
    if (!f->is_array())
      return Status::Corruption("start event: 'agents' must be an array of strings");
    for (const nlohmann::json& a : *f) {
      if (!a.is_string())
        return Status::Corruption("start event: 'agents' must be an array of strings");
      h.options.agents.push_back(a.get<std::string>());
    }
  }
  f = field("blind_bidding");
  if (f != nullptr) {
    SHUTTLE_ASSIGN_OR_RETURN(h.options.blind_bidding, ParseBlindBidding(*f, /*corrupt=*/true));
  } else if (h.protocol == kBlindBidding) {
    return Status::Corruption("start event: 'blind_bidding' is missing");
  }
  return h;
}

const char* CrossingName(BlindBiddingRules::Crossing crossing) {
  return crossing == BlindBiddingRules::Crossing::kMidpoint ? "midpoint" : "demand";
}

Result<BlindBiddingRules::Crossing> ParseCrossing(std::string_view name) {
  if (name == "demand") return BlindBiddingRules::Crossing::kDemand;
  if (name == "midpoint") return BlindBiddingRules::Crossing::kMidpoint;
  return Status::InvalidArgument(
      fmt::format("unknown crossing rule '{}' (known: demand, midpoint)", name));
}

Status CheckOutcome(const OutcomeSpace& space, const uint32_t* outcome) {
  if (outcome == nullptr) return Status::InvalidArgument("the move needs an outcome and has none");
  for (size_t i = 0; i < space.issue_count(); ++i) {
    if (outcome[i] >= space.issue(i).size()) {
      return Status::InvalidArgument(
          fmt::format("outcome outside the outcome space: issue '{}' has no value #{} (it has {})",
                      space.issue(i).name(), outcome[i], space.issue(i).size()));
    }
  }
  return Status::Ok();
}

void Protocol::AppendStart(EventLog* log) const {
  log->Append(Event::Of(EventType::kStart, Audience::Public(), kSystem, 0, 0), nullptr,
              StartHeaderJson(name(), party_count(), options()));
}

}  // namespace shuttle
