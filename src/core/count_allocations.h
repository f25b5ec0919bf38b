// Counts every allocation of the program, for tests and benchmarks that check a loop allocates
// nothing: it replaces the global operator new and delete, so include it in exactly one
// translation unit of a test or benchmark binary (never in the library).
#ifndef SHUTTLE_SRC_CORE_COUNT_ALLOCATIONS_H_
#define SHUTTLE_SRC_CORE_COUNT_ALLOCATIONS_H_

#include <atomic>
#include <cstdlib>
#include <new>

namespace shuttle::count_allocations {
inline std::atomic<long> g_count{0};
// Allocations so far.
inline long Count() { return g_count.load(std::memory_order_relaxed); }
inline void* Malloc(size_t n) noexcept {
  g_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace shuttle::count_allocations

// The replacements pair malloc with free; GCC cannot see that and warns where they are inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
// Every unaligned form is replaced, so that whatever allocates through one form and frees through
// another (std::stable_sort's nothrow buffer and plain delete) meets malloc and free on both sides;
// AddressSanitizer checks that pairing.
void* operator new(size_t n) {
  if (void* p = shuttle::count_allocations::Malloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) {
  if (void* p = shuttle::count_allocations::Malloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  return shuttle::count_allocations::Malloc(n);
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  return shuttle::count_allocations::Malloc(n);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif  // SHUTTLE_SRC_CORE_COUNT_ALLOCATIONS_H_
