// Large buffers the kernel may back with huge pages (2 MB): a buffer of hundreds of MB, filled
// once (the matches of a hunt that matches millions of events), then takes one page fault per
// 2 MB instead of 512. Advice only: where transparent huge pages are off, nothing changes.
#pragma once

#include <cstddef>
#include <vector>

namespace tw {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Makes the allocator keep the memory the process frees, for the process to reuse: blocks up to
// 256 MB (32 MB where glibc takes no more) come from its heaps instead of mappings of their own
// given back when freed, and free memory at the top of a heap is kept up to 256 MB. Memory the
// system hands out must be faulted in and zeroed page by page (0.35 ms a MB measured on a virtual
// machine whose host takes back what the guest frees), memory written once and reused costs
// nothing; a hunt frees and allocates hundreds of MB between its phases. Larger buffers (the
// matched events) are reused by the program itself (EventList::ReleaseBefore). Call once, at
// the start of the process; false when the allocator is not glibc's or refused a setting.
bool KeepFreedMemory();

// Makes the heap hand out memory in huge pages where the system allows it: the `bytes` at the
// top of the main heap are advised for huge pages before any of them is touched, and every
// thread allocates from that heap (glibc otherwise gives each new thread a heap of its own). A
// page fault there brings 2 MB instead of 4 KB (where transparent huge pages are "madvise" or
// "always" and the kernel has a huge page free): on the bench machine, a virtual machine where
// a fault costs about 11 us, the 4 KB faults of a hunt cost a quarter of a second. Call at the
// start of the process, after KeepFreedMemory and before any thread. False, and nothing
// changed but the advice, when the allocator is not glibc's, the block did not come from the
// main heap or was not kept by it, or the advice was refused.
bool HugePageHeap(size_t bytes);

// Whether all threads allocate from one heap (HugePageHeap succeeded).
bool ThreadsShareOneHeap();

// Hands back to the system the memory that finished threads freed in heaps of their own, which
// other threads do not allocate from; nothing when all threads share one heap (its free memory
// is reused as it is, and handing it back would cost the faults to take it again).
void ReturnThreadHeaps();

// Advises huge pages for the whole 2 MB pages inside [p, p + bytes); false when there is none
// or the system refused (a kernel without transparent huge pages).
bool AdviseHugePages(void* p, size_t bytes);

// `bytes` (a multiple of kHugePageBytes) of zeroed memory mapped on a huge-page boundary;
// throws std::bad_alloc when the system has none. Free with UnmapHuge(p, bytes).
[[nodiscard]] void* MapHuge(size_t bytes);
void UnmapHuge(void* p, size_t bytes);

// v.reserve(n), with huge pages advised for a large buffer before it is touched.
template <typename T>
void ReserveHuge(std::vector<T>& v, size_t n) {
    if (n <= v.capacity()) return;
    v.reserve(n);
    if (n * sizeof(T) >= 2 * kHugePageBytes) AdviseHugePages(v.data(), n * sizeof(T));
}

// v.resize(n) (value-initialised), with huge pages advised first.
template <typename T>
void ResizeHuge(std::vector<T>& v, size_t n) {
    ReserveHuge(v, n);
    v.resize(n);
}

}  // namespace tw
