// KeepFreedMemory: glibc accepts the settings (one refused silently would leave the allocator
// with a fixed threshold of 128 KB for the whole run, since setting the other stops it from
// adjusting it); HugePageHeap makes every thread allocate from memory advised for huge pages;
// MapHuge maps whole huge pages on their boundary.
#include "core/memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace tw {
namespace {

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(KeepFreedMemoryTest, GlibcAcceptsTheSettings) {
    EXPECT_TRUE(KeepFreedMemory());
    // A block of 20 MB now comes from the heap: freed and taken again, it is the same block.
    void* p = std::malloc(20 << 20);
    ASSERT_NE(p, nullptr);
    std::free(p);
    void* q = std::malloc(20 << 20);
    EXPECT_EQ(p, q);
    std::free(q);
}

// 1 when the mapping holding `p` is advised for huge pages ("hg" among its VmFlags in
// /proc/self/smaps), 0 when not, -1 when smaps cannot tell.
int AdvisedForHugePages(const void* p) {
    std::ifstream smaps("/proc/self/smaps");
    const auto at = reinterpret_cast<uintptr_t>(p);
    bool inside = false;
    for (std::string line; std::getline(smaps, line);) {
        uintptr_t lo = 0, hi = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> lo >> dash >> hi && dash == '-' &&
            line.find(':') > line.find(' ')) {
            inside = lo <= at && at < hi;
        } else if (inside && line.rfind("VmFlags:", 0) == 0) {
            return (line + " ").find(" hg ") != std::string::npos ? 1 : 0;
        }
    }
    return -1;
}

// Must run before any other thread of the process allocated (glibc would hand that thread's
// heap to the next thread): ctest runs each test in a process of its own, and no other test
// here starts a thread.
TEST(HugePageHeapTest, AWorkerThreadAllocatesFromTheAdvisedMainHeap) {
    if (!std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
        GTEST_SKIP() << "the kernel has no transparent huge pages";
    }
    ASSERT_TRUE(KeepFreedMemory());
    ASSERT_TRUE(HugePageHeap(64 << 20));
    EXPECT_TRUE(ThreadsShareOneHeap());
    // Without one heap for all, a new thread gets a heap of its own, not advised; without the
    // advice, the main heap is not either.
    void* p = nullptr;
    std::thread([&] { p = std::malloc(8 << 20); }).join();
    ASSERT_NE(p, nullptr);
    // Its start may share a 2 MB page with older blocks, which is not advised; its middle is.
    const int advised = AdvisedForHugePages(static_cast<char*>(p) + (4 << 20));
    std::free(p);
    if (advised < 0) GTEST_SKIP() << "/proc/self/smaps does not tell";
    EXPECT_EQ(advised, 1);
}
#endif

TEST(MapHugeTest, MapsWholeHugePagesOnAHugePageBoundary) {
    void* p = MapHuge(2 * kHugePageBytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
    static_cast<char*>(p)[2 * kHugePageBytes - 1] = 1;  // the whole range is usable
    UnmapHuge(p, 2 * kHugePageBytes);
}

}  // namespace
}  // namespace tw
