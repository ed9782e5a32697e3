// KeepFreedMemory: glibc accepts the settings (one refused silently would leave the allocator
// with a fixed threshold of 128 KB for the whole run, since setting the other stops it from
// adjusting it); MapHuge maps whole huge pages on their boundary.
#include "core/memory.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

namespace tw {
namespace {

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
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
