// Test-only helpers of the response and posture tests: temporary directories, reading files,
// running the built binary, and golden files that can be rewritten on purpose with
// TW_UPDATE_GOLDEN=1 (see docs/contain.md, "Golden files").
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

namespace tw::test_support {

// A fresh directory under the system temporary directory, removed on destruction.
class ScratchDir {
  public:
    ScratchDir() {
        std::random_device rd;
        path_ = (std::filesystem::temp_directory_path() /
                 ("tw-test-" + std::to_string(rd()) + std::to_string(rd())))
                    .string();
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    // Writes `content` to `name` inside the directory; returns the full path.
    std::string Write(const std::string& name, std::string_view content) const {
        const std::filesystem::path p = std::filesystem::path(path_) / name;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p.string();
    }

  private:
    std::string path_;
};

inline std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string Quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

struct Run {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `command` through /bin/sh; stdout and stderr captured through files in `dir`.
inline Run Shell(const std::string& command, const ScratchDir& dir) {
    const std::string out = dir.path() + "/.stdout", err = dir.path() + "/.stderr";
    const int rc = std::system((command + " >" + Quote(out) + " 2>" + Quote(err)).c_str());
    Run r;
    r.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
}

// Runs the built trailwarden binary with `args` (already shell-quoted).
inline Run Trailwarden(const std::string& args, const ScratchDir& dir) {
    return Shell(Quote(TW_BINARY) + " " + args, dir);
}

inline std::string SourcePath(const std::string& rel) {
    return std::string(TW_SOURCE_DIR) + "/" + rel;
}

// Compares `actual` with the golden file `rel` (relative to the source tree); with
// TW_UPDATE_GOLDEN=1 in the environment, rewrites the golden file instead.
inline void ExpectGolden(const std::string& rel, const std::string& actual) {
    const std::string path = SourcePath(rel);
    const char* update = std::getenv("TW_UPDATE_GOLDEN");
    if (update != nullptr && std::string_view(update) == "1") {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    ASSERT_TRUE(std::filesystem::exists(path))
        << "missing golden file " << rel << "; run with TW_UPDATE_GOLDEN=1 to create it";
    const std::string expected = Slurp(path);
    if (expected == actual) return;
    // Report the first line that differs rather than both whole files.
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
