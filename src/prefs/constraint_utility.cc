// Compiled GENIUS constraint profiles. Every test a constraint makes on one issue's value (equals,
// contains, a number's sign) becomes a table over that issue's values, so evaluating an outcome
// is table lookups, a few integer additions for the sums, and the rank terms added in the order
// GENIUS adds them (the same doubles, so the same result to the last bit).
#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "prefs/constraint_utility.h"
#include "shuttle/profile.h"

namespace shuttle {
namespace {

using Kind = ZeroConstraint::Kind;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// An inclusiveZeroOutcomeConstraint check (see profile.h). Numbers were validated as Java ints.
bool InclusiveCheckHolds(const std::string& text, const std::string& label) {
  if (!Contains(text, "numeric")) return Contains(label, text);
  bool positive = Contains(text, "positive"), negative = Contains(text, "negative");
  if (!positive && !negative) return true;
  int32_t number = *constraint_internal::JavaInt(label);
  return !(positive && number < 0) && !(negative && number > 0);
}

// The condition of a conditionalZeroOutcomeConstraint: only these two exact texts can fire.
bool ConditionHolds(const std::string& text, const std::string& label) {
  if (text == "numeric=positive") return *constraint_internal::JavaInt(label) > 0;
  if (text == "numeric=negative") return *constraint_internal::JavaInt(label) < 0;
  return false;
}

bool ContainsAny(const std::vector<std::string>& texts, const std::string& label) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return Contains(label, t); });
}

}  // namespace

struct Utility::ConstraintTables {
  using Predicate = std::function<bool(const std::string& label)>;
  struct Test {
    uint32_t issue;
    size_t offset;  // holds[offset + value] != 0 when the test holds.
  };
  struct Rule {
    std::vector<Test> tests;  // All must hold.
    bool has_sum = false;
    std::vector<std::pair<uint32_t, size_t>> summed;  // Issue, offset into numbers.
    int32_t min = 0, max = 0;
  };
  struct Term {
    uint32_t issue;
    size_t offset;                // normalized[offset + value] = rank / highest rank.
    std::vector<uint32_t> rules;  // Indices into issue_rules of the rules that zero this term.
  };

  std::vector<uint8_t> holds;
  std::vector<int32_t> numbers;
  std::map<uint32_t, size_t> number_offsets;  // Issue -> its numbers (built once per issue).
  std::vector<double> normalized;
  std::vector<Rule> outcome_rules, issue_rules;
  std::vector<Term> terms;
  double count = 1;

  Test AddTest(const OutcomeSpace& space, int issue, const Predicate& predicate) {
    const Issue& is = space.issue(issue);
    Test t{static_cast<uint32_t>(issue), holds.size()};
    for (uint64_t v = 0; v < is.size(); ++v) holds.push_back(predicate(is.ValueLabel(v)) ? 1 : 0);
    return t;
  }

  size_t NumbersOf(const OutcomeSpace& space, int issue) {
    auto [it, fresh] = number_offsets.emplace(static_cast<uint32_t>(issue), numbers.size());
    if (fresh) {
      const Issue& is = space.issue(issue);
      for (uint64_t v = 0; v < is.size(); ++v)
        numbers.push_back(*constraint_internal::JavaInt(is.ValueLabel(v)));
    }
    return it->second;
  }

  Rule MakeRule(const OutcomeSpace& space, const ZeroConstraint& c) {
    Rule rule;
    auto add = [&](int issue, const Predicate& predicate) {
      rule.tests.push_back(AddTest(space, issue, predicate));
    };
    switch (c.kind) {
      case Kind::kInclusiveOutcome:
        for (const auto& check : c.checks) {
          add(check.issue,
              [&](const std::string& l) { return InclusiveCheckHolds(check.text, l); });
        }
        break;
      case Kind::kConditionalOutcome:
        add(c.checks[0].issue,
            [&](const std::string& l) { return ConditionHolds(c.checks[0].text, l); });
        add(c.checks[1].issue,
            [&](const std::string& l) { return !Contains(l, c.checks[1].text); });
        break;
      case Kind::kZero:
      case Kind::kConditionalZero:
        for (const auto& check : c.checks)
          add(check.issue, [&](const std::string& l) { return l == check.text; });
        if (c.kind == Kind::kConditionalZero) {
          add(c.issue, [&](const std::string& l) { return !Contains(l, c.texts[0]); });
        }
        break;
      case Kind::kSumZero:
      case Kind::kSumZeroNot:
      case Kind::kSumZeroList:
        add(c.issue, [&](const std::string& l) {
          if (c.kind == Kind::kSumZeroList) return ContainsAny(c.texts, l);
          return Contains(l, c.texts[0]) == (c.kind == Kind::kSumZero);
        });
        rule.has_sum = true;
        rule.min = c.min;
        rule.max = c.max;
        for (int s : c.summed)
          rule.summed.push_back({static_cast<uint32_t>(s), NumbersOf(space, s)});
        break;
    }
    return rule;
  }

  void AddRanks(const Profile& profile) {
    for (const IssueRanks& r : profile.ranks) {
      int32_t highest = *std::max_element(r.ranks.begin(), r.ranks.end());
      terms.push_back(Term{static_cast<uint32_t>(r.issue), normalized.size(), {}});
      for (int32_t rank : r.ranks) normalized.push_back(static_cast<double>(rank) / highest);
    }
    count = static_cast<double>(profile.ranks.size());
  }

  void AddConstraints(const OutcomeSpace& space, const Profile& profile) {
    for (const ZeroConstraint& c : profile.constraints) {
      if (ZeroConstraintIsOutcomeKind(c.kind)) {
        outcome_rules.push_back(MakeRule(space, c));
        continue;
      }
      auto term = std::find_if(terms.begin(), terms.end(), [&](const Term& t) {
        return t.issue == static_cast<uint32_t>(c.issue);
      });
      if (term == terms.end()) continue;  // GENIUS only consults constraints of ranked issues.
      term->rules.push_back(static_cast<uint32_t>(issue_rules.size()));
      issue_rules.push_back(MakeRule(space, c));
    }
  }

  bool Fires(const Rule& rule, const uint32_t* values) const {
    for (const Test& t : rule.tests) {
      if (!holds[t.offset + values[t.issue]]) return false;
    }
    if (!rule.has_sum) return true;
    uint32_t total = 0;  // Java int arithmetic wraps around.
    for (const auto& [issue, offset] : rule.summed)
      total += static_cast<uint32_t>(numbers[offset + values[issue]]);
    int32_t sum = static_cast<int32_t>(total);
    return rule.min <= sum && sum <= rule.max;
  }

  double Evaluate(const uint32_t* values) const {
    for (const Rule& rule : outcome_rules) {
      if (Fires(rule, values)) return 0.0;
    }
    double sum = 0.0;
    for (const Term& term : terms) {
      bool zeroed = std::any_of(term.rules.begin(), term.rules.end(),
                                [&](uint32_t r) { return Fires(issue_rules[r], values); });
      if (!zeroed) sum += normalized[term.offset + values[term.issue]];
    }
    return sum / count;
  }
};

// The profile was validated by Utility::Compile: issues exist, numbers parse, ranks fit.
std::shared_ptr<const Utility::ConstraintTables> Utility::CompileConstraints(
    const OutcomeSpace& space, const Profile& profile) {
  auto tables = std::make_shared<ConstraintTables>();
  tables->AddRanks(profile);
  tables->AddConstraints(space, profile);
  return tables;
}

double Utility::EvaluateConstraints(const uint32_t* values) const {
  return constraints_->Evaluate(values);
}

}  // namespace shuttle
