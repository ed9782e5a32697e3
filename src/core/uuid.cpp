#include "core/uuid.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tw {

namespace {

constexpr bool IsUuidDash(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

namespace uuid {

bool UuidToBytesScalar(const char* text, uint8_t* out) {
    static constexpr auto kValue = [] {
        std::array<uint8_t, 256> t{};
        t.fill(0xFF);
        for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
        for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
        return t;
    }();
    if (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return false;
    uint8_t bad = 0;
    size_t at = 0;
    for (size_t i = 0; i < 16; ++i) {
        if (IsUuidDash(at)) ++at;
        const uint8_t hi = kValue[static_cast<uint8_t>(text[at])];
        const uint8_t lo = kValue[static_cast<uint8_t>(text[at + 1])];
        at += 2;
        bad |= (hi | lo) & 0xF0;
        out[i] = static_cast<uint8_t>(hi << 4 | (lo & 15));
    }
    return bad == 0;
}

void BytesToUuidScalar(const uint8_t* bytes, char* out) {
    static constexpr char kHex[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < 16; ++i) {
        if (IsUuidDash(at)) out[at++] = '-';
        out[at++] = kHex[bytes[i] >> 4];
        out[at++] = kHex[bytes[i] & 15];
    }
}

#if defined(__x86_64__) || defined(__i386__)
namespace {

// 16 hex digits as 8 bytes; false when one is not [0-9a-f].
__attribute__((target("ssse3"))) bool HexHalf(__m128i v, uint8_t* out) {
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('f' + 1)));
    if (_mm_movemask_epi8(_mm_or_si128(digit, alpha)) != 0xFFFF) return false;
    const __m128i base = _mm_or_si128(_mm_and_si128(digit, _mm_set1_epi8('0')),
                                      _mm_andnot_si128(digit, _mm_set1_epi8('a' - 10)));
    // (high nibble * 16 + low nibble) in each 16-bit lane, then packed to bytes.
    const __m128i pairs = _mm_maddubs_epi16(_mm_sub_epi8(v, base), _mm_set1_epi16(0x0110));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(pairs, pairs));
    return true;
}

}  // namespace

// Three loads cover the 36 characters (0-15, 16-31, 20-35); shuffles drop the dashes (-1
// lanes come out zero) and the two halves of 16 digits are decoded as above.
__attribute__((target("ssse3"))) bool UuidToBytesSsse3(const char* text, uint8_t* out) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 20));
    // Dashes at 8 and 13 (in a), 18 and 23 (2 and 7 in b).
    const int dashes_a = _mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_set1_epi8('-')));
    const int dashes_b = _mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8('-')));
    if ((dashes_a & 0x2100) != 0x2100 || (dashes_b & 0x84) != 0x84) return false;
    const __m128i lo = _mm_or_si128(
        _mm_shuffle_epi8(a, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, -1, -1)),
        _mm_shuffle_epi8(
            b, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1)));
    const __m128i hi = _mm_or_si128(
        _mm_shuffle_epi8(b,
                         _mm_setr_epi8(3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1)),
        _mm_shuffle_epi8(
            c, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 12, 13, 14, 15)));
    return HexHalf(lo, out) && HexHalf(hi, out + 8);
}

// Nibbles to digits with one table lookup (pshufb), then shuffles put the dashes in.
__attribute__((target("ssse3"))) void BytesToUuidSsse3(const uint8_t* bytes, char* out) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
    const __m128i mask = _mm_set1_epi8(0x0F);
    const __m128i high = _mm_and_si128(_mm_srli_epi16(v, 4), mask);
    const __m128i low = _mm_and_si128(v, mask);
    const __m128i table = _mm_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b',
                                        'c', 'd', 'e', 'f');
    // Digits 0-15 (bytes 0-7) and 16-31 (bytes 8-15).
    const __m128i x = _mm_shuffle_epi8(table, _mm_unpacklo_epi8(high, low));
    const __m128i y = _mm_shuffle_epi8(table, _mm_unpackhi_epi8(high, low));
    const __m128i dash = _mm_set1_epi8('-');
    // Characters 0-15: digits 0-7, '-', 8-11, '-', 12-13.
    const __m128i out0 = _mm_or_si128(
        _mm_shuffle_epi8(x, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, -1, 8, 9, 10, 11, -1, 12, 13)),
        _mm_and_si128(dash, _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0)));
    // Characters 16-31: digits 14-15, '-', 16-19, '-', 20-27.
    const __m128i out1 = _mm_or_si128(
        _mm_or_si128(_mm_shuffle_epi8(x, _mm_setr_epi8(14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                       -1, -1, -1, -1, -1)),
                     _mm_shuffle_epi8(
                         y, _mm_setr_epi8(-1, -1, -1, 0, 1, 2, 3, -1, 4, 5, 6, 7, 8, 9, 10, 11))),
        _mm_and_si128(dash, _mm_setr_epi8(0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), out0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), out1);
    // Characters 32-35: digits 28-31.
    const auto last = static_cast<uint32_t>(_mm_cvtsi128_si32(_mm_srli_si128(y, 12)));
    std::memcpy(out + 32, &last, 4);
}
#endif

bool UuidToBytes(const char* text, uint8_t* out) {
#ifdef __SSSE3__
    return UuidToBytesSsse3(text, out);
#else
    return UuidToBytesScalar(text, out);
#endif
}

void BytesToUuid(const uint8_t* bytes, char* out) {
#ifdef __SSSE3__
    BytesToUuidSsse3(bytes, out);
#else
    BytesToUuidScalar(bytes, out);
#endif
}

}  // namespace uuid

}  // namespace tw
