// Helpers for tests: temporary directories, files, gzip, and running the trailwarden binary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tw::testing {

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::string& path() const { return path_; }
    // Writes `content` to `name` (relative; parent directories are created); returns the path.
    std::string Write(std::string_view name, std::string_view content) const;

  private:
    std::string path_;
};

// gzip-compresses `data` (one member).
[[nodiscard]] std::string Gzip(std::string_view data, int level = 6);

[[nodiscard]] std::string ReadFile(const std::string& path);

// Result of running a command through the shell.
struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs `args` (already shell-quoted where needed) with the built trailwarden binary.
[[nodiscard]] CommandResult RunTrailwarden(const std::string& args);

// Path of ../shared beside the checkout, or "" when absent (tests then skip).
[[nodiscard]] std::string SharedDir();

// Quotes for /bin/sh.
[[nodiscard]] std::string ShellQuote(std::string_view s);

}  // namespace tw::testing
