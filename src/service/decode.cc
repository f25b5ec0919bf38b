// Request decoding. Bodies are read by the library's one strict JSON reader (core/json_reader.h);
// values are inspected by type before any get<>, so no input reaches a throwing path.
#include "service/decode.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "core/json_reader.h"

namespace shuttle::service_internal {
Result<Json> ParseBody(std::string_view body, std::initializer_list<std::string_view> known) {
  bool blank = true;
  for (char c : body) blank = blank && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
  if (blank) return Json::object();
  // The one strict reader: duplicate keys and nesting past its limit are refused while parsing.
  SHUTTLE_ASSIGN_OR_RETURN(Json j, json_internal::ParseOrderedJson(body, "body"));
  if (!j.is_object()) return Status::InvalidArgument("body: expected a JSON object");
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || key == k;
    if (!ok) {
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Status::InvalidArgument(fmt::format("body: unknown field {} (expected {})",
                                                 Dump(Json(key)),
                                                 list.empty() ? "no fields" : list));
    }
  }
  return j;
}

Result<std::string> TextField(const Json& body, const char* name) {
  if (!body.contains(name)) return Status::InvalidArgument(fmt::format("body.{}: required", name));
  const Json& v = body.at(name);
  if (!v.is_string())
    return Status::InvalidArgument(fmt::format("body.{}: expected a string", name));
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return Status::InvalidArgument(fmt::format("body.{}: must not be empty", name));
  if (s.size() > kMaxTextBytes) {
    return Status::InvalidArgument(
        fmt::format("body.{}: longer than {} bytes", name, kMaxTextBytes));
  }
  return s;
}

Result<std::string> OptionalString(const Json& body, const char* name, size_t max_bytes,
                                   std::string fallback) {
  if (!body.contains(name)) return fallback;
  const Json& v = body.at(name);
  if (!v.is_string())
    return Status::InvalidArgument(fmt::format("body.{}: expected a string", name));
  if (v.get_ref<const std::string&>().size() > max_bytes) {
    return Status::InvalidArgument(fmt::format("body.{}: longer than {} bytes", name, max_bytes));
  }
  return v.get<std::string>();
}

Result<Outcome> DecodeOutcome(const OutcomeSpace& space, const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::InvalidArgument(where + ": expected an object {issue: value}");
  Outcome out(space.issue_count(), 0);
  std::vector<bool> seen(space.issue_count(), false);
  for (const auto& [key, value] : j.items()) {
    const int i = space.FindIssue(key);
    if (i < 0)
      return Status::InvalidArgument(fmt::format("{}: unknown issue {}", where, Dump(Json(key))));
    std::string label;
    if (value.is_string()) {
      label = value.get<std::string>();
    } else if (value.is_number_integer()) {
      label = value.is_number_unsigned() ? fmt::format("{}", value.get<uint64_t>())
                                         : fmt::format("{}", value.get<int64_t>());
    } else if (value.is_number_float() && std::isfinite(value.get<double>())) {
      label = fmt::format("{}", value.get<double>());
    } else {
      return Status::InvalidArgument(
          fmt::format("{}.{}: expected a value label or a number", where, key));
    }
    Result<uint64_t> v = space.issue(i).FindValue(label);
    if (!v.ok())
      return Status::InvalidArgument(fmt::format("{}.{}: {}", where, key, v.status().message()));
    out[i] = static_cast<uint32_t>(*v);
    seen[i] = true;
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i])
      return Status::InvalidArgument(
          fmt::format("{}: issue '{}' is missing", where, space.issue(i).name()));
  }
  return out;
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace shuttle::service_internal
