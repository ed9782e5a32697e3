#include "ingest/discover.h"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace tw::ingest {

namespace fs = std::filesystem;

namespace {

void AddPath(const std::string& path, bool named, std::vector<InputFile>& out, Diagnostics& diag) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        diag.FileError(path, {}, "not found", "no such file or directory");
        return;
    }
    if (fs::is_regular_file(st)) {
        out.push_back({path, named});
        return;
    }
    if (!fs::is_directory(st)) {
        out.push_back({path, named});  // a pipe or device: read it as a stream
        return;
    }
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        diag.FileError(path, {}, "unreadable directory", "cannot list directory: " + ec.message());
        return;
    }
    for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
        if (ec) {
            diag.FileError(path, {}, "unreadable directory",
                           "cannot list part of the directory: " + ec.message());
            ec.clear();
            continue;
        }
        // Hidden files and folders (.git, editor swap files, markers) are not inputs.
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            ec.clear();
            continue;
        }
        // The type comes from the directory listing: no stat per file.
        std::error_code fec;
        if (it->is_regular_file(fec)) out.push_back({it->path().string(), false});
    }
}

bool HasGlob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

}  // namespace

std::vector<InputFile> DiscoverInputs(const std::vector<std::string>& args, Diagnostics& diag) {
    std::vector<InputFile> files;
    bool stdin_wanted = false;
    for (const std::string& arg : args) {
        if (arg == "-") {
            stdin_wanted = true;
            continue;
        }
        std::error_code ec;
        if (HasGlob(arg) && !fs::exists(arg, ec)) {
            glob_t g{};
            const int rc = ::glob(arg.c_str(), GLOB_NOSORT | GLOB_BRACE | GLOB_TILDE, nullptr, &g);
            if (rc == GLOB_NOMATCH) {
                diag.FileError(arg, {}, "not found", "the pattern matches no file");
            } else if (rc != 0) {
                diag.FileError(arg, {}, "not found", "cannot expand the pattern");
            } else {
                for (size_t i = 0; i < g.gl_pathc; ++i) AddPath(g.gl_pathv[i], true, files, diag);
            }
            ::globfree(&g);
            continue;
        }
        AddPath(arg, true, files, diag);
    }
    std::sort(files.begin(), files.end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    // The same file reached twice (named and inside a named directory) is read once.
    files.erase(
        std::unique(files.begin(), files.end(),
                    [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
        files.end());
    if (stdin_wanted) files.push_back({"-", true});
    return files;
}

}  // namespace tw::ingest
