#include "core/memory.h"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace tw {

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

void AdviseHugePages(void* p, size_t bytes) {
    const auto start = reinterpret_cast<uintptr_t>(p);
    const uintptr_t first = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    const uintptr_t last = (start + bytes) & ~(kHugePageBytes - 1);
    if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
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
