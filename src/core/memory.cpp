#include "core/memory.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace tw {
namespace {
std::atomic<bool> shared_heap{false};
}  // namespace

bool KeepFreedMemory() {
#if defined(__GLIBC__)
    // Some versions of glibc refuse a threshold past 32 MB (HEAP_MAX_SIZE / 2 on 64-bit); 2.36
    // takes 256 MB. Setting either value also stops glibc from adjusting the threshold itself,
    // so both are checked.
    const bool mapped =
        mallopt(M_MMAP_THRESHOLD, 256 << 20) == 1 || mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
    const bool trimmed = mallopt(M_TRIM_THRESHOLD, 256 << 20) == 1;
    return mapped && trimmed;
#else
    return false;
#endif
}

bool HugePageHeap(size_t bytes) {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // Taken from the top of the main heap, advised, and given back to it untouched: the heap
    // keeps it (below the trim threshold) and hands it out in huge pages. A block glibc mapped
    // on its own (past the mapping threshold, or the heap could not grow) is counted in hblks;
    // the one kept is still below the program break once freed.
    const size_t mapped_before = mallinfo2().hblks;
    void* p = std::malloc(bytes);
    if (p == nullptr) return false;
    const auto start = reinterpret_cast<uintptr_t>(p);
    const bool from_heap = mallinfo2().hblks == mapped_before;
    const bool advised = from_heap && AdviseHugePages(p, bytes);
    std::free(p);
    const bool kept = reinterpret_cast<uintptr_t>(sbrk(0)) >= start + bytes;
    // Every thread then allocates from this heap (the main thread's), or none gains.
    if (!advised || !kept || mallopt(M_ARENA_MAX, 1) != 1) return false;
    shared_heap = true;
    return true;
#else
    (void)bytes;
    return false;
#endif
}

bool ThreadsShareOneHeap() { return shared_heap; }

void ReturnThreadHeaps() {
#if defined(__GLIBC__)
    if (!shared_heap) malloc_trim(0);
#endif
}

bool AdviseHugePages(void* p, size_t bytes) {
    const auto start = reinterpret_cast<uintptr_t>(p);
    const uintptr_t first = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    const uintptr_t last = (start + bytes) & ~(kHugePageBytes - 1);
    return last > first &&
           madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE) == 0;
}

void* MapHuge(size_t bytes) {
    // Map one huge page more than asked, then trim to a huge-page boundary.
    void* p = mmap(nullptr, bytes + kHugePageBytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<uintptr_t>(p);
    const uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    if (aligned > start) munmap(p, aligned - start);
    const uintptr_t end = start + bytes + kHugePageBytes;
    if (end > aligned + bytes) {
        munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
    }
    void* block = reinterpret_cast<void*>(aligned);
    madvise(block, bytes, MADV_HUGEPAGE);
    return block;
}

void UnmapHuge(void* p, size_t bytes) { munmap(p, bytes); }

}  // namespace tw
