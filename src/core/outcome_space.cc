#include "shuttle/outcome_space.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace shuttle {
namespace {

constexpr uint64_t kMaxDiscretizedValues = 10'000'000;

std::optional<double> ParseNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::string owned(text);
  char* end = nullptr;
  double v = std::strtod(owned.c_str(), &end);
  if (end != owned.c_str() + owned.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

const char* IssueTypeName(IssueType type) {
  switch (type) {
    case IssueType::kDiscrete: return "discrete";
    case IssueType::kInteger: return "integer";
    case IssueType::kReal: return "real";
  }
  return "?";
}

Issue Issue::Discrete(std::string name, std::vector<std::string> values) {
  Issue issue;
  issue.name_ = std::move(name);
  issue.type_ = IssueType::kDiscrete;
  issue.labels_ = std::move(values);
  return issue;
}

Issue Issue::Integer(std::string name, int64_t lower, int64_t upper) {
  Issue issue;
  issue.name_ = std::move(name);
  issue.type_ = IssueType::kInteger;
  issue.int_lower_ = lower;
  issue.int_upper_ = upper;
  return issue;
}

Issue Issue::Real(std::string name, double lower, double upper, double step) {
  Issue issue;
  issue.name_ = std::move(name);
  issue.type_ = IssueType::kReal;
  issue.real_lower_ = lower;
  issue.real_upper_ = upper;
  issue.step_ = step;
  return issue;
}

uint64_t Issue::size() const {
  switch (type_) {
    case IssueType::kDiscrete: return labels_.size();
    case IssueType::kInteger:
      if (int_upper_ < int_lower_) return 0;
      return static_cast<uint64_t>(int_upper_) - static_cast<uint64_t>(int_lower_) + 1;
    case IssueType::kReal: {
      if (step_ <= 0 || real_upper_ < real_lower_) return 0;
      double steps = std::floor((real_upper_ - real_lower_) / step_ + 1e-9);
      // The last sample is the upper bound itself, added when the grid falls short of it.
      double last = real_lower_ + steps * step_;
      uint64_t n = static_cast<uint64_t>(steps) + 1;
      if (real_upper_ - last > 1e-9 * std::max(1.0, std::fabs(real_upper_))) ++n;
      return n;
    }
  }
  return 0;
}

Result<Issue> Issue::Discretized(double step) const {
  if (type_ != IssueType::kReal) return *this;
  if (!(step > 0) || !std::isfinite(step)) {
    return Status::InvalidArgument(
        fmt::format("issue '{}': discretization step must be > 0", name_));
  }
  double count = (real_upper_ - real_lower_) / step + 2;
  if (count > static_cast<double>(kMaxDiscretizedValues)) {
    return Status::InvalidArgument(fmt::format("issue '{}': step {} gives more than {} values",
                                               name_, step, kMaxDiscretizedValues));
  }
  return Real(name_, real_lower_, real_upper_, step);
}

std::optional<double> Issue::NumericValue(uint64_t index) const {
  switch (type_) {
    case IssueType::kDiscrete:
      return index < labels_.size() ? ParseNumber(labels_[index]) : std::nullopt;
    case IssueType::kInteger: return static_cast<double>(int_lower_ + static_cast<int64_t>(index));
    case IssueType::kReal:
      return std::min(real_upper_, real_lower_ + static_cast<double>(index) * step_);
  }
  return std::nullopt;
}

std::string Issue::ValueLabel(uint64_t index) const {
  switch (type_) {
    case IssueType::kDiscrete: return index < labels_.size() ? labels_[index] : std::string("?");
    case IssueType::kInteger: return std::to_string(int_lower_ + static_cast<int64_t>(index));
    case IssueType::kReal: return fmt::format("{:g}", *NumericValue(index));
  }
  return "?";
}

Result<uint64_t> Issue::FindValue(std::string_view label) const {
  if (type_ == IssueType::kDiscrete) {
    for (size_t i = 0; i < labels_.size(); ++i) {
      if (labels_[i] == label) return static_cast<uint64_t>(i);
    }
  } else if (auto v = ParseNumber(label)) {
    if (type_ == IssueType::kInteger && *v == std::floor(*v) &&
        *v >= static_cast<double>(int_lower_) && *v <= static_cast<double>(int_upper_)) {
      return static_cast<uint64_t>(static_cast<int64_t>(*v) - int_lower_);
    }
    if (type_ == IssueType::kReal && step_ > 0) {
      uint64_t n = size();
      double i = std::round((*v - real_lower_) / step_);
      if (i >= 0 && i < static_cast<double>(n) &&
          std::fabs(*NumericValue(static_cast<uint64_t>(i)) - *v) <
              1e-9 * std::max(1.0, std::fabs(*v))) {
        return static_cast<uint64_t>(i);
      }
      if (std::fabs(*v - real_upper_) < 1e-9 * std::max(1.0, std::fabs(*v))) return n - 1;
    }
  }
  return Status::NotFound(fmt::format("issue '{}' has no value '{}'", name_, label));
}

bool Issue::operator==(const Issue& other) const {
  return name_ == other.name_ && type_ == other.type_ && labels_ == other.labels_ &&
         int_lower_ == other.int_lower_ && int_upper_ == other.int_upper_ &&
         real_lower_ == other.real_lower_ && real_upper_ == other.real_upper_ &&
         step_ == other.step_;
}

OutcomeSpace::OutcomeSpace(std::vector<Issue> issues)
    : issues_(std::move(issues)), cardinality_(1) {
  for (const Issue& issue : issues_) cardinality_.MultiplyBy(issue.size());
}

int OutcomeSpace::FindIssue(std::string_view name) const {
  for (size_t i = 0; i < issues_.size(); ++i) {
    if (issues_[i].name() == name) return static_cast<int>(i);
  }
  return -1;
}

bool OutcomeSpace::finite() const { return !cardinality_.IsZero(); }

bool OutcomeSpace::EnumerableWithin(uint64_t limit) const {
  return finite() && cardinality_.Compare(limit) <= 0;
}

uint64_t OutcomeSpace::Index(const Outcome& outcome) const {
  uint64_t index = 0;
  for (size_t i = 0; i < issues_.size(); ++i) index = index * issues_[i].size() + outcome[i];
  return index;
}

void OutcomeSpace::Decode(uint64_t index, Outcome* outcome) const {
  outcome->resize(issues_.size());
  for (size_t i = issues_.size(); i-- > 0;) {
    uint64_t n = issues_[i].size();
    (*outcome)[i] = static_cast<uint32_t>(index % n);
    index /= n;
  }
}

Outcome OutcomeSpace::Decode(uint64_t index) const {
  Outcome outcome;
  Decode(index, &outcome);
  return outcome;
}

Status OutcomeSpace::Validate(const Outcome& outcome) const {
  if (outcome.size() != issues_.size()) {
    return Status::InvalidArgument(fmt::format("outcome has {} values, the space has {} issues",
                                               outcome.size(), issues_.size()));
  }
  for (size_t i = 0; i < issues_.size(); ++i) {
    if (outcome[i] >= issues_[i].size()) {
      return Status::InvalidArgument(
          fmt::format("issue '{}': value index {} out of range (size {})", issues_[i].name(),
                      outcome[i], issues_[i].size()));
    }
  }
  return Status::Ok();
}

std::string OutcomeSpace::Describe(const Outcome& outcome) const {
  std::string out;
  for (size_t i = 0; i < issues_.size() && i < outcome.size(); ++i) {
    if (i > 0) out += ", ";
    out += issues_[i].name() + "=" + issues_[i].ValueLabel(outcome[i]);
  }
  return out;
}

Result<OutcomeSpace> OutcomeSpace::Discretized(double step) const {
  std::vector<Issue> issues;
  issues.reserve(issues_.size());
  for (const Issue& issue : issues_) {
    SHUTTLE_ASSIGN_OR_RETURN(Issue d, issue.Discretized(step));
    issues.push_back(std::move(d));
  }
  return OutcomeSpace(std::move(issues));
}

}  // namespace shuttle
