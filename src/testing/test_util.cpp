#include "testing/test_util.h"

#include <libdeflate.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tw::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tw-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::string TempDir::Write(std::string_view name, std::string_view content) const {
    const fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p.string();
}

std::string Gzip(std::string_view data, int level) {
    libdeflate_compressor* c = libdeflate_alloc_compressor(level);
    std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
    const size_t n = libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size());
    libdeflate_free_compressor(c);
    out.resize(n);
    return out;
}

std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string ShellQuote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += "'";
    return out;
}

CommandResult RunTrailwarden(const std::string& args) {
    TempDir tmp;
    const std::string out = tmp.path() + "/out", err = tmp.path() + "/err";
    // stdin is /dev/null unless `args` redirects it later on the line.
    const std::string cmd = ShellQuote(TW_BINARY) + " </dev/null " + args + " >" + ShellQuote(out) +
                            " 2>" + ShellQuote(err);
    const int status = std::system(cmd.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(out);
    r.err = ReadFile(err);
    return r;
}

std::string SharedDir() {
    std::error_code ec;
    const fs::path p = fs::path(TW_SHARED_DIR) / "corpus";
    return fs::is_directory(p, ec) ? std::string(TW_SHARED_DIR) : std::string();
}

}  // namespace tw::testing
