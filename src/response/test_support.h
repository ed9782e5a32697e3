// Test-only helpers of the response and posture tests, on top of src/testing: golden files
// that can be rewritten on purpose with TW_UPDATE_GOLDEN=1 (docs/contain.md, "Golden files"),
// an independent JSON parse, fixture paths, and running any shell command.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "testing/test_util.h"

namespace tw::test_support {

using testing::CommandResult;
using testing::ReadFile;
using testing::RunTrailwarden;
using testing::ShellQuote;
using testing::TempDir;

// Runs `command` through /bin/sh, capturing stdout and stderr in files of `dir`.
inline CommandResult Shell(const std::string& command, const TempDir& dir) {
    const std::string out = dir.path() + "/.stdout", err = dir.path() + "/.stderr";
    const int rc =
        std::system((command + " >" + ShellQuote(out) + " 2>" + ShellQuote(err)).c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    return r;
}

// `rel` inside the source tree.
inline std::string SourcePath(const std::string& rel) {
    return std::string(TW_SOURCE_DIR) + "/" + rel;
}

// Compares `actual` with the golden file `rel` (relative to the source tree) and reports the
// first differing line; with TW_UPDATE_GOLDEN=1 in the environment, rewrites the file instead.
// Paths inside the source tree are made relative first, so goldens hold no machine's path.
inline void ExpectGolden(const std::string& rel, const std::string& actual_in) {
    const std::string path = SourcePath(rel);
    std::string actual = actual_in;
    const std::string root = std::string(TW_SOURCE_DIR) + "/";
    for (size_t pos; (pos = actual.find(root)) != std::string::npos;)
        actual.erase(pos, root.size());
    const char* update = std::getenv("TW_UPDATE_GOLDEN");
    if (update != nullptr && std::string_view(update) == "1") {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    ASSERT_TRUE(std::filesystem::exists(path))
        << "missing golden file " << rel << "; run with TW_UPDATE_GOLDEN=1 to create it";
    const std::string expected = ReadFile(path);
    if (expected == actual) return;
    std::istringstream e(expected), a(actual);
    std::string el, al;
    int line = 0;
    while (true) {
        ++line;
        const bool he = static_cast<bool>(std::getline(e, el));
        const bool ha = static_cast<bool>(std::getline(a, al));
        if (!he && !ha) break;
        if (he != ha || el != al) break;
    }
    ADD_FAILURE() << "golden file " << rel << " differs at line " << line << ":\n  expected: " << el
                  << "\n  actual:   " << al
                  << "\nIf the change is deliberate, rerun with TW_UPDATE_GOLDEN=1 and review "
                     "the diff.";
}

// Parses `json` with simdjson, independently of the code that produced it.
inline bool ParsesAsJson(const std::string& json) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    return !parser.parse(json).get(e);
}

}  // namespace tw::test_support
