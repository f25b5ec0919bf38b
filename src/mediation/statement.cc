// Names of criteria and statuses, and the public statement. The statement reads only its
// StatementFacts argument: a reader of the press release learns the visit, the status, two numbers
// and a count, and nothing about who asked for what.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "shuttle/mediation.h"

namespace shuttle {
namespace {

double Clean(double gap) { return std::isfinite(gap) ? std::clamp(gap, 0.0, 1.0) : 1.0; }

std::string Issues(int n) {
  n = std::max(n, 0);
  return fmt::format("{} issue{} {} settled", n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
}

std::string GapMovement(double before, double now) {
  std::string b = fmt::format("{:.2f}", before), a = fmt::format("{:.2f}", now);
  if (a == b) return fmt::format("the gap is unchanged at {}", a);
  if (now < before) return fmt::format("the gap has narrowed from {} to {}", b, a);
  return fmt::format("the gap has widened from {} to {}", b, a);
}

}  // namespace

const char* CriterionName(Criterion criterion) {
  switch (criterion) {
    case Criterion::kNash: return "nash";
    case Criterion::kKalaiSmorodinsky: return "ks";
    case Criterion::kEgalitarian: return "egalitarian";
    case Criterion::kWelfare: return "welfare";
  }
  return "?";
}

Result<Criterion> ParseCriterion(std::string_view name) {
  if (name == "nash") return Criterion::kNash;
  if (name == "ks" || name == "kalai-smorodinsky") return Criterion::kKalaiSmorodinsky;
  if (name == "egalitarian") return Criterion::kEgalitarian;
  if (name == "welfare" || name == "utilitarian") return Criterion::kWelfare;
  return Status::InvalidArgument(
      fmt::format("unknown criterion '{}' (expected nash, ks, egalitarian or welfare)", name));
}

const char* MediationStatusName(MediationStatus status) {
  switch (status) {
    case MediationStatus::kTalking: return "talking";
    case MediationStatus::kAgreement: return "agreement";
    case MediationStatus::kImpasse: return "impasse";
  }
  return "?";
}

std::string PublicStatement(const StatementFacts& facts) {
  const double before = Clean(facts.gap_before), now = Clean(facts.gap_now);
  const std::string head = fmt::format("Visit {}: ", std::max(facts.visit, 0));
  switch (facts.status) {
    case MediationStatus::kAgreement:
      return head + fmt::format("the parties have agreed; the gap has closed (it was {:.2f}); {}.",
                                before, Issues(facts.settled_issues));
    case MediationStatus::kImpasse:
      return head + fmt::format("the talks are at an impasse; {}; {}.", GapMovement(before, now),
                                Issues(facts.settled_issues));
    case MediationStatus::kTalking: break;
  }
  if (facts.visit <= 1) {
    return head + fmt::format("the mediator has met each party; the gap stands at {:.2f}; {}.", now,
                              Issues(facts.settled_issues));
  }
  return head + fmt::format("talks continue; {}; {}.", GapMovement(before, now),
                            Issues(facts.settled_issues));
}

}  // namespace shuttle
