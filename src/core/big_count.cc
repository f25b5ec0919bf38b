#include <algorithm>
#include <cassert>
#include <cmath>

#include "shuttle/outcome_space.h"

namespace shuttle {

BigCount::BigCount(uint64_t v) : limbs_{static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)} {
  while (limbs_.size() > 1 && limbs_.back() == 0) limbs_.pop_back();
}

void BigCount::MultiplyBy(uint64_t factor) {
  // Multiply by the two 32-bit halves separately so no partial product overflows.
  const uint32_t lo = static_cast<uint32_t>(factor), hi = static_cast<uint32_t>(factor >> 32);
  std::vector<uint32_t> out(limbs_.size() + 2, 0);
  for (int part = 0; part < 2; ++part) {
    uint64_t f = part == 0 ? lo : hi;
    if (f == 0) continue;
    uint64_t carry = 0;
    size_t i = 0;
    for (; i < limbs_.size(); ++i) {
      uint64_t cur = out[i + part] + static_cast<uint64_t>(limbs_[i]) * f + carry;
      out[i + part] = static_cast<uint32_t>(cur);
      carry = cur >> 32;
    }
    for (size_t k = i + part; carry != 0; ++k) {
      uint64_t cur = out[k] + carry;
      out[k] = static_cast<uint32_t>(cur);
      carry = cur >> 32;
    }
  }
  while (out.size() > 1 && out.back() == 0) out.pop_back();
  limbs_ = std::move(out);
}

bool BigCount::FitsU64() const { return limbs_.size() <= 2; }

uint64_t BigCount::ToU64() const {
  assert(FitsU64());
  uint64_t v = limbs_[0];
  if (limbs_.size() > 1) v |= static_cast<uint64_t>(limbs_[1]) << 32;
  return v;
}

double BigCount::ToDouble() const {
  double v = 0;
  for (size_t i = limbs_.size(); i-- > 0;) v = v * 4294967296.0 + limbs_[i];
  return v;
}

double BigCount::Log10() const { return std::log10(ToDouble()); }

bool BigCount::IsZero() const { return limbs_.size() == 1 && limbs_[0] == 0; }

int BigCount::Compare(uint64_t v) const {
  if (!FitsU64()) return 1;
  uint64_t mine = ToU64();
  return mine < v ? -1 : (mine > v ? 1 : 0);
}

std::string BigCount::ToString() const {
  std::vector<uint32_t> n = limbs_;
  std::string digits;
  auto is_zero = [&] { return n.size() == 1 && n[0] == 0; };
  while (!is_zero()) {
    uint64_t rem = 0;
    for (size_t i = n.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | n[i];
      n[i] = static_cast<uint32_t>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (n.size() > 1 && n.back() == 0) n.pop_back();
    for (int d = 0; d < 9; ++d) {
      digits.push_back(static_cast<char>('0' + rem % 10));
      rem /= 10;
    }
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) return std::string(1, '0');
  std::reverse(digits.begin(), digits.end());
  return digits;
}

}  // namespace shuttle
