#include "strategy/agent_spec.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace shuttle::strategy {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits at `sep` outside parentheses; nullopt-like empty result with *ok = false when unbalanced.
std::vector<std::string_view> SplitTop(std::string_view s, char sep, bool* ok) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t begin = 0;
  *ok = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth < 0) *ok = false;
    if (s[i] == sep && depth == 0) {
      parts.push_back(Trim(s.substr(begin, i - begin)));
      begin = i + 1;
    }
  }
  if (depth != 0) *ok = false;
  parts.push_back(Trim(s.substr(begin)));
  return parts;
}

bool ParseDouble(std::string_view s, double* out) {
  s = Trim(s);
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && ptr == end && std::isfinite(*out);
}

// "name(arg, arg)" -> name and the arguments; no parentheses -> no arguments.
Status SplitCall(std::string_view term, std::string_view* name, std::vector<double>* args) {
  args->clear();
  size_t open = term.find('(');
  if (open == std::string_view::npos) {
    *name = Trim(term);
    return Status::Ok();
  }
  if (term.back() != ')')
    return Status::InvalidArgument(fmt::format("ac: term '{}' must end with ')'", term));
  *name = Trim(term.substr(0, open));
  std::string_view inside = term.substr(open + 1, term.size() - open - 2);
  bool ok = true;
  for (std::string_view a : SplitTop(inside, ',', &ok)) {
    double v;
    if (!ParseDouble(a, &v)) {
      return Status::InvalidArgument(fmt::format("ac: term '{}': '{}' is not a number", term, a));
    }
    args->push_back(v);
  }
  return Status::Ok();
}

Status ArgCount(std::string_view term, const std::vector<double>& args, size_t lo, size_t hi) {
  if (args.size() < lo || args.size() > hi) {
    return Status::InvalidArgument(
        lo == hi ? fmt::format("ac: term '{}' takes {} argument(s)", term, lo)
                 : fmt::format("ac: term '{}' takes {} to {} arguments", term, lo, hi));
  }
  return Status::Ok();
}

Result<AcceptanceTerm> ParseTerm(std::string_view term) {
  std::string_view name;
  std::vector<double> args;
  SHUTTLE_RETURN_IF_ERROR(SplitCall(term, &name, &args));
  AcceptanceTerm t;
  if (name == "next") {
    if (!args.empty()) {
      SHUTTLE_RETURN_IF_ERROR(ArgCount(term, args, 2, 2));
      t.a = args[0];
      t.b = args[1];
    }
    t.kind = AcceptanceTerm::Kind::kNext;
  } else if (name == "const") {
    SHUTTLE_RETURN_IF_ERROR(ArgCount(term, args, 1, 1));
    t.kind = AcceptanceTerm::Kind::kConst;
    t.a = args[0];
  } else if (name == "time") {
    SHUTTLE_RETURN_IF_ERROR(ArgCount(term, args, 1, 1));
    if (args[0] < 0 || args[0] > 1) {
      return Status::InvalidArgument(fmt::format("ac: term '{}': time must lie in [0, 1]", term));
    }
    t.kind = AcceptanceTerm::Kind::kTime;
    t.a = args[0];
  } else if (name == "any") {
    SHUTTLE_RETURN_IF_ERROR(ArgCount(term, args, 0, 0));
    t.kind = AcceptanceTerm::Kind::kAny;
  } else {
    return Status::InvalidArgument(fmt::format(
        "ac: unknown term '{}' (known: next, next(a,b), const(c), time(T), any)", term));
  }
  return t;
}

}  // namespace

Result<AgentSpec> ParseAgentSpec(std::string_view text) {
  std::string_view s = Trim(text);
  AgentSpec spec;
  size_t colon = s.find(':');
  spec.name = std::string(Trim(s.substr(0, colon)));
  if (spec.name.empty())
    return Status::InvalidArgument(fmt::format("agent spec '{}': no agent name", text));
  if (colon == std::string_view::npos) return spec;
  bool ok = true;
  std::vector<std::string_view> parts = SplitTop(s.substr(colon + 1), ',', &ok);
  if (!ok)
    return Status::InvalidArgument(fmt::format("agent spec '{}': unbalanced parentheses", text));
  for (std::string_view part : parts) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidArgument(
          fmt::format("agent spec '{}': parameter '{}' is not key=value", text, part));
    }
    std::string key(Trim(part.substr(0, eq)));
    if (key.empty())
      return Status::InvalidArgument(fmt::format("agent spec '{}': a parameter has no name", text));
    for (const auto& [k, v] : spec.params) {
      if (k == key)
        return Status::InvalidArgument(
            fmt::format("agent spec '{}': parameter '{}' given twice", text, key));
    }
    spec.params.emplace_back(std::move(key), std::string(Trim(part.substr(eq + 1))));
  }
  return spec;
}

bool Acceptance::Accepts(double offer, double next, double t) const {
  for (const AcceptanceTerm& term : terms) {
    switch (term.kind) {
      case AcceptanceTerm::Kind::kNext:
        if (term.a * offer + term.b >= next - 1e-12) return true;
        break;
      case AcceptanceTerm::Kind::kConst:
        if (offer >= term.a - 1e-12) return true;
        break;
      case AcceptanceTerm::Kind::kTime:
        if (t >= term.a) return true;
        break;
      case AcceptanceTerm::Kind::kAny: return true;
    }
  }
  return false;
}

Result<Acceptance> ParseAcceptance(std::string_view text) {
  bool ok = true;
  std::vector<std::string_view> parts = SplitTop(text, '+', &ok);
  if (!ok) return Status::InvalidArgument(fmt::format("ac '{}': unbalanced parentheses", text));
  Acceptance acceptance;
  for (std::string_view part : parts) {
    if (part.empty()) return Status::InvalidArgument(fmt::format("ac '{}': empty term", text));
    SHUTTLE_ASSIGN_OR_RETURN(AcceptanceTerm term, ParseTerm(part));
    acceptance.terms.push_back(term);
  }
  return acceptance;
}

const std::string* ParamReader::Find(std::string_view key) {
  for (size_t i = 0; i < spec_.params.size(); ++i) {
    if (spec_.params[i].first == key) {
      used_[i] = true;
      return &spec_.params[i].second;
    }
  }
  return nullptr;
}

Status ParamReader::Number(std::string_view key, double lo, double hi, double* out) {
  const std::string* value = Find(key);
  if (value == nullptr) return Status::Ok();
  double v;
  if (!ParseDouble(*value, &v) || v < lo || v > hi) {
    return Status::InvalidArgument(fmt::format("{}: parameter {}={} must be a number in [{}, {}]",
                                               spec_.name, key, *value, lo, hi));
  }
  *out = v;
  return Status::Ok();
}

Status ParamReader::Finish(std::string_view known) const {
  for (size_t i = 0; i < used_.size(); ++i) {
    if (!used_[i]) {
      return Status::InvalidArgument(fmt::format("{}: unknown parameter '{}' (known: {})",
                                                 spec_.name, spec_.params[i].first, known));
    }
  }
  return Status::Ok();
}

}  // namespace shuttle::strategy
