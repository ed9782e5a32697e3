#include "ingest/discover.h"

#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>
#include <system_error>

namespace tw::ingest {

namespace fs = std::filesystem;

namespace {

// A hidden folder met while walking `dir` is skipped, and said so (unless it is "." or ".." or
// a version-control folder): a trail's key prefix can begin with a dot, and a copy of its
// bucket then holds the logs in a hidden folder.
void HiddenFolder(DIR* d, const dirent* e, const std::string& dir, Diagnostics& diag) {
    const std::string_view name = e->d_name;
    if (name == "." || name == ".." || name == ".git" || name == ".hg" || name == ".svn") return;
    if (e->d_type != DT_DIR) {
        struct stat st {};
        if (e->d_type != DT_UNKNOWN ||
            ::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode)) {
            return;  // a hidden file (or link): skipped quietly
        }
    }
    const std::string path =
        dir + (dir.empty() || dir.back() != '/' ? "/" : "") + std::string(name);
    diag.Report({Severity::kWarning,
                 Loss::kNone,
                 path,
                 {},
                 "hidden folder skipped; name it on the command line to read it",
                 "hidden folder"});
}

// Adds the regular files under the directory `dir` to `out`, reading each directory once (the
// type of an entry comes from the listing; only links, and file systems that do not tell, are
// asked with a stat). Links to files are inputs; links to directories are not walked; hidden
// entries (names starting with '.') are skipped (folders with a warning). A directory that cannot
// be read is reported to `diag` under `top` (the directory named), and the walk goes on.
void WalkDirectory(const std::string& dir, const std::string& top, std::vector<InputFile>& out,
                   Diagnostics& diag) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
        const std::string why = std::error_code(errno, std::generic_category()).message();
        diag.FileError(top, {}, "unreadable directory",
                       dir == top ? "cannot list directory: " + why
                                  : "cannot list part of the directory (" + dir + "): " + why);
        return;
    }
    // Entries by name, walked in that order: the files come out sorted by path, unless a name
    // sorts before '/' next to a directory named by its prefix (then the caller sorts).
    std::vector<std::pair<std::string, bool>> entries;  // name, is a directory
    while (const dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.') {  // hidden, "." and ".."
            HiddenFolder(d, e, dir, diag);
            continue;
        }
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN || type == DT_LNK) {
            struct stat st {};
            const int flags = type == DT_LNK ? 0 : AT_SYMLINK_NOFOLLOW;
            if (::fstatat(::dirfd(d), e->d_name, &st, flags) != 0) continue;  // a dangling link
            if (S_ISREG(st.st_mode)) {
                type = DT_REG;
            } else if (S_ISDIR(st.st_mode) && type == DT_UNKNOWN) {
                type = DT_DIR;
            } else {
                continue;  // a link to a directory, or neither file nor directory
            }
        }
        if (type == DT_REG || type == DT_DIR) entries.emplace_back(e->d_name, type == DT_DIR);
    }
    ::closedir(d);
    std::sort(entries.begin(), entries.end());
    std::string path = dir;
    if (path.empty() || path.back() != '/') path += '/';
    const size_t base = path.size();
    for (const auto& [name, is_dir] : entries) {
        path.resize(base);
        path += name;
        if (is_dir) {
            WalkDirectory(path, top, out, diag);
        } else {
            out.push_back({path, false});
        }
    }
}

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
    WalkDirectory(path, path, out, diag);
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
    // By path, a file named on the command line before the same file found in a directory.
    // (Walked directories mostly come sorted already: checked first, the sort then costs
    // nothing.)
    auto before = [](const InputFile& a, const InputFile& b) {
        const int c = a.path.compare(b.path);
        return c != 0 ? c < 0 : a.named && !b.named;
    };
    if (!std::is_sorted(files.begin(), files.end(), before)) {
        std::sort(files.begin(), files.end(), before);
    }
    // The same file reached twice (named and inside a named directory) is read once.
    files.erase(
        std::unique(files.begin(), files.end(),
                    [](const InputFile& a, const InputFile& b) { return a.path == b.path; }),
        files.end());
    if (stdin_wanted) files.push_back({"-", true});
    return files;
}

}  // namespace tw::ingest
