#include "ingest/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace tw::ingest {

namespace {

// Copies everything readable from `in` to `out`.
Status CopyAll(int in, int out, const std::string& from, const std::string& to) {
    char buf[1 << 16];
    while (true) {
        const ssize_t n = ::read(in, buf, sizeof buf);
        if (n == 0) return OkStatus();
        if (n < 0) {
            if (errno == EINTR) continue;
            return MakeError(ErrorCode::kIoError,
                             "cannot read " + from + ": " + std::strerror(errno));
        }
        for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::write(out, buf + off, static_cast<size_t>(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                return MakeError(ErrorCode::kIoError,
                                 "cannot copy " + from + " to " + to + ": " + std::strerror(errno));
            }
            off += w;
        }
    }
}

}  // namespace

bool IsStream(const InputFile& f) {
    if (f.path == "-") return true;
    if (!f.named) return false;  // found by walking a directory: a regular file
    struct stat st {};
    return ::stat(f.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

Spool::~Spool() {
    for (const std::string& p : copies_) ::unlink(p.c_str());
}

Status Spool::Streams(std::vector<InputFile>& files) {
    const char* dir = std::getenv("TMPDIR");
    for (InputFile& f : files) {
        if (!f.read_from.empty() || !IsStream(f)) continue;
        const std::string from = f.path == "-" ? "stdin" : f.path;
        std::string copy = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") +
                           "/trailwarden-input-XXXXXX";
        const int out = ::mkstemp(copy.data());
        if (out < 0) {
            return MakeError(ErrorCode::kIoError, "cannot create a temporary file for " + from +
                                                      ": " + std::strerror(errno));
        }
        copies_.push_back(copy);
        const int in = f.path == "-" ? STDIN_FILENO : ::open(f.path.c_str(), O_RDONLY);
        if (in < 0) {
            ::close(out);
            return MakeError(ErrorCode::kIoError,
                             "cannot open " + from + ": " + std::strerror(errno));
        }
        Status s = CopyAll(in, out, from, copy);
        if (in != STDIN_FILENO) ::close(in);
        if (::close(out) != 0 && s) {
            s = MakeError(ErrorCode::kIoError,
                          "cannot copy " + from + " to " + copy + ": " + std::strerror(errno));
        }
        if (!s) return s;
        f.read_from = copy;
    }
    return OkStatus();
}

}  // namespace tw::ingest
