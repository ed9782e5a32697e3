#include "core/strings.h"

#include <gtest/gtest.h>

namespace tw {
namespace {

TEST(StringsTest, FoldedComparisons) {
    EXPECT_TRUE(EqualsFold("ConsoleLogin", "consolelogin"));
    EXPECT_FALSE(EqualsFold("ConsoleLogin", "consolelogins"));
    EXPECT_TRUE(StartsWithFold("AWSReservedSSO_Admin", "awsreservedsso_"));
    EXPECT_TRUE(EndsWithFold("arn:aws:iam::1:role/Admin", "/ADMIN"));
    EXPECT_TRUE(ContainsFold("xxAdministratorAccessyy", "administratoraccess"));
    EXPECT_FALSE(ContainsFold("Admin", "administrator"));
    EXPECT_TRUE(ContainsFold("anything", ""));
}

// The word-at-a-time lowering agrees with AsciiLower for every byte value in every position,
// and EqualsFold with a byte-by-byte fold at every length.
TEST(StringsTest, WordLoweringAgreesWithByteLowering) {
    for (int pos = 0; pos < 8; ++pos) {
        for (int c = 0; c < 256; ++c) {
            const uint64_t filler = 0x5a41205b40607a7bULL;  // Z A space [ @ ` z {
            const uint64_t w =
                (filler & ~(uint64_t{0xff} << (8 * pos))) | (static_cast<uint64_t>(c) << (8 * pos));
            uint64_t want = 0;
            for (int b = 0; b < 8; ++b) {
                const auto byte = static_cast<char>((w >> (8 * b)) & 0xff);
                want |= static_cast<uint64_t>(static_cast<unsigned char>(AsciiLower(byte)))
                        << (8 * b);
            }
            ASSERT_EQ(AsciiLowerWord(w), want) << pos << " " << c;
        }
    }
    for (size_t len = 0; len <= 33; ++len) {
        std::string a, b;
        for (size_t i = 0; i < len; ++i) {
            a += static_cast<char>('A' + i % 26);
            b += static_cast<char>('a' + i % 26);
        }
        EXPECT_TRUE(EqualsFold(a, b)) << len;
        for (size_t i = 0; i < len; ++i) {
            std::string c = b;
            c[i] = '@';  // '@' and '`' sit next to the letters
            EXPECT_FALSE(EqualsFold(a, c)) << len << " " << i;
            c[i] = static_cast<char>(b[i] ^ 0x80);
            EXPECT_FALSE(EqualsFold(a, c)) << len << " " << i;
        }
    }
    EXPECT_FALSE(EqualsFold("@", "`"));
    EXPECT_FALSE(EqualsFold("[", "{"));
    EXPECT_FALSE(EqualsFold("\xC9", "\xE9"));
}

TEST(StringsTest, JsonEscapingIsValidAndKeepsUtf8) {
    std::string out;
    AppendJsonString(out, "a\"b\\c\n\x01é");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001é\"");
    out.clear();
    AppendJsonString(out, std::string("bad\xff", 4));
    EXPECT_EQ(out, "\"bad\xEF\xBF\xBD\"");
}

// The escaping one byte at a time, for ASCII and single bytes of 0x80 and above (invalid
// alone: replaced).
std::string ReferenceJson(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"') {
            out += "\\\"";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\b') {
            out += "\\b";
        } else if (c == '\f') {
            out += "\\f";
        } else if (c < 0x20) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else if (c >= 0x80) {
            out += "\xEF\xBF\xBD";
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

TEST(StringsTest, JsonEscapingFindsEveryByteAtEveryPosition) {
    // Runs of plain bytes are copied in words: each byte value at each position of strings of
    // 1 to 40 bytes must be found.
    for (size_t len = 1; len <= 40; ++len) {
        for (size_t at = 0; at < len; ++at) {
            for (int b = 0; b < 256; ++b) {
                std::string s(len, 'x');
                for (size_t k = 0; k < len; ++k) s[k] = static_cast<char>('a' + k % 26);
                s[at] = static_cast<char>(b);
                std::string out;
                AppendJsonString(out, s);
                ASSERT_EQ(out, ReferenceJson(s))
                    << "length " << len << ", byte " << b << " at " << at;
                // Plain exactly when the string is written as it is and has no byte of 0x80
                // or above (those are checked as UTF-8).
                ASSERT_EQ(JsonPlain(s), out == "\"" + s + "\"" && b < 0x80)
                    << "length " << len << ", byte " << b << " at " << at;
            }
        }
    }
    std::string out;
    AppendJsonString(out, "");
    EXPECT_EQ(out, "\"\"");
    EXPECT_TRUE(JsonPlain(""));
}

TEST(StringsTest, CsvQuotesOnlyWhenNeeded) {
    std::string out;
    AppendCsvField(out, "plain");
    out += ',';
    AppendCsvField(out, "a,\"b\"");
    EXPECT_EQ(out, "plain,\"a,\"\"b\"\"\"");
}

TEST(StringsTest, ThousandsSeparators) {
    EXPECT_EQ(WithThousands(0), "0");
    EXPECT_EQ(WithThousands(21), "21");
    EXPECT_EQ(WithThousands(999), "999");
    EXPECT_EQ(WithThousands(1000), "1,000");
    EXPECT_EQ(WithThousands(1234567), "1,234,567");
}

TEST(StringsTest, SplitKeepsEmptyPieces) {
    auto parts = Split("a,,b", ',');
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[1], "");
    EXPECT_EQ(Trim("  x \n"), "x");
}

// JSON string bodies are unescaped as RFC 8259 reads them: a surrogate pair is one character,
// half a pair alone is U+FFFD; a malformed escape is reported and read leniently.
TEST(StringsTest, JsonUnescapingDecodesEveryEscape) {
    auto un = [](std::string_view body, bool want_ok) {
        std::string out = "~";
        EXPECT_EQ(AppendJsonUnescaped(out, body), want_ok) << body;
        return out.substr(1);
    };
    EXPECT_EQ(un(R"(plain)", true), "plain");
    EXPECT_EQ(un(R"(a\"b\\c\/d\b\f\n\r\t)", true), "a\"b\\c/d\b\f\n\r\t");
    EXPECT_EQ(un(R"(\u0041\u00e9\u20AC)", true), "A\xC3\xA9\xE2\x82\xAC");
    EXPECT_EQ(un(R"(\ud83d\ude00)", true), "\xF0\x9F\x98\x80");
    EXPECT_EQ(un(R"(\udbff\udfff)", true), "\xF4\x8F\xBF\xBF");
    const std::string r = "\xEF\xBF\xBD";
    EXPECT_EQ(un(R"(x\ud800y)", true), "x" + r + "y");
    EXPECT_EQ(un(R"(\udc00\ud800)", true), r + r);
    EXPECT_EQ(un(R"(\ud800\u0041)", true), r + "A");
    EXPECT_EQ(un(R"(\ud83d)", true), r);
    EXPECT_EQ(un(R"(a\xb)", false), "axb");
    EXPECT_EQ(un(R"(\u12)", false), "u12");
    EXPECT_EQ(un(R"(\u12g4z)", false), "u12g4z");
    EXPECT_EQ(un("end\\", false), "end\\");
    std::string out;
    AppendUtf8(out, 0x7F);
    AppendUtf8(out, 0x80);
    AppendUtf8(out, 0xFFFF);
    AppendUtf8(out, 0x10000);
    EXPECT_EQ(out, "\x7F\xC2\x80\xEF\xBF\xBF\xF0\x90\x80\x80");
}

// Half a surrogate pair in JSON text is rewritten \ufffd; a pair, an escaped backslash before
// "ud800" and other escapes stay as they are.
TEST(StringsTest, LoneSurrogateEscapesAreRewritten) {
    auto fix = [](std::string_view json, bool want) {
        std::string out;
        EXPECT_EQ(ReplaceLoneSurrogateEscapes(json, out), want) << json;
        return out;
    };
    EXPECT_EQ(fix(R"({"a":"x\ud800y"})", true), R"({"a":"x\ufffdy"})");
    EXPECT_EQ(fix(R"(["\udc00\ud800\u0041"])", true), R"(["\ufffd\ufffd\u0041"])");
    EXPECT_EQ(fix(R"(["\ud83d\ude00","\\ud800","\n\u00e9"])", false),
              R"(["\ud83d\ude00","\\ud800","\n\u00e9"])");
    EXPECT_EQ(fix(R"(["\ud83d"])", true), R"(["\ufffd"])");
}

}  // namespace
}  // namespace tw
