// UUIDs as text and as their 16 bytes: CloudTrail's event ids are kept packed (detect::EventId,
// findings::IdList) and written back as text.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tw {

inline constexpr size_t kUuidTextSize = 36;

namespace uuid {
// A lowercase UUID's 36 characters (8-4-4-4-12 hex digits and dashes) as its 16 bytes; false
// when the text is not one. UuidToBytes uses the SSSE3 twin where the build targets it.
[[nodiscard]] bool UuidToBytes(const char* text, uint8_t* out);
[[nodiscard]] bool UuidToBytesScalar(const char* text, uint8_t* out);
// The 36 characters of the lowercase UUID of 16 bytes. BytesToUuid uses the SSSE3 twin where
// the build targets it. Both pairs are tested against each other.
void BytesToUuid(const uint8_t* bytes, char* out);
void BytesToUuidScalar(const uint8_t* bytes, char* out);
#if defined(__x86_64__) || defined(__i386__)
[[nodiscard]] bool UuidToBytesSsse3(const char* text, uint8_t* out);  // needs SSSE3 at run time
void BytesToUuidSsse3(const uint8_t* bytes, char* out);               // needs SSSE3 at run time
#endif
}  // namespace uuid

}  // namespace tw
