#include "ingest/reader.h"

#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tw::ingest {

namespace {
constexpr size_t kInputChunk = 1 << 20;

const char* InflateError(int ret) {
    switch (ret) {
        case ISAL_INVALID_BLOCK:
            return "invalid deflate block";
        case ISAL_INVALID_SYMBOL:
            return "invalid deflate symbol";
        case ISAL_INVALID_LOOKBACK:
            return "invalid back-reference";
        case ISAL_INVALID_WRAPPER:
            return "invalid gzip header";
        case ISAL_UNSUPPORTED_METHOD:
            return "unsupported compression method";
        case ISAL_INCORRECT_CHECKSUM:
            return "checksum mismatch";
        default:
            return "corrupt gzip data";
    }
}
}  // namespace

struct InputReader::Inflater {
    inflate_state state;
    libdeflate_decompressor* whole = nullptr;
    ~Inflater() {
        if (whole != nullptr) libdeflate_free_decompressor(whole);
    }
};

InputReader::InputReader() : inflater_(std::make_unique<Inflater>()) {}

void InputReader::Close() {
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
    fd_ = -1;
    owns_fd_ = false;
}

InputReader::~InputReader() {
    Close();
    if (dir_fd_ >= 0) ::close(dir_fd_);
}

// Opens `path`; a file in the same directory as the previous one is opened relative to that
// directory, which spares the kernel walking the whole path again (inputs come sorted by path).
// The directory is held open (O_PATH) until the next file lies elsewhere or the reader ends.
int InputReader::OpenFile(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    const std::string_view dir(path.data(), slash);
    if (dir_fd_ < 0 || dir != dir_path_) {
        if (dir_fd_ >= 0) ::close(dir_fd_);
        dir_path_.assign(dir);
        dir_fd_ = ::open(dir_path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd_ < 0) return ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    }
    return ::openat(dir_fd_, path.c_str() + slash + 1, O_RDONLY | O_CLOEXEC);
}

Status InputReader::Open(const std::string& path) {
    Close();
    path_ = path;
    gzip_ = false;
    raw_eof_ = false;
    eof_at_size_ = false;
    stream_done_ = false;
    raw_bytes_ = 0;
    file_size_ = 0;
    size_hint_ = 0;
    in_pos_ = in_len_ = 0;
    in_base_ = 0;
    if (in_cap_ == 0) {
        in_cap_ = kInputChunk;
        in_.reset(new unsigned char[in_cap_]);
    }
    gzip_known_ = false;
    if (path == "-") {
        fd_ = STDIN_FILENO;
    } else {
        fd_ = OpenFile(path);
        if (fd_ < 0) {
            return MakeError(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIoError,
                             std::string("cannot open: ") + std::strerror(errno));
        }
        owns_fd_ = true;
        struct stat st;
        if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
            file_size_ = static_cast<uint64_t>(st.st_size);
            // A file that fits the input window is read in one call: no read-ahead advice.
            if (file_size_ > in_cap_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
        } else if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
            return MakeError(ErrorCode::kIoError, "is a directory");
        }
    }
    // Sniff the gzip magic from the first bytes.
    if (auto s = FillInput(); !s) return s;
    gzip_known_ = true;
    if (!(in_len_ >= 2 && in_[0] == 0x1f && in_[1] == 0x8b)) {
        // Plain text: its end is found by reading (a file still growing is read to its end).
        if (eof_at_size_) raw_eof_ = false;
        return OkStatus();
    }
    gzip_ = true;
    isal_inflate_init(&inflater_->state);
    inflater_->state.crc_flag = ISAL_GZIP;
    if (file_size_ >= 18) {
        // The trailer's last 4 bytes: the uncompressed size (mod 2^32).
        unsigned char tail[4];
        const bool whole = raw_eof_ && in_len_ == file_size_;
        if (whole) std::memcpy(tail, in_.get() + in_len_ - 4, 4);
        if (whole || ::pread(fd_, tail, 4, static_cast<off_t>(file_size_ - 4)) == 4) {
            size_hint_ = static_cast<uint64_t>(tail[0]) | (uint64_t{tail[1]} << 8) |
                         (uint64_t{tail[2]} << 16) | (uint64_t{tail[3]} << 24);
        }
    }
    return OkStatus();
}

Result<size_t> InputReader::ReadRaw(char* dst, size_t n) {
    size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd_, dst + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return MakeError(ErrorCode::kIoError, "read failed at byte " +
                                                      std::to_string(raw_bytes_ + got) + ": " +
                                                      std::strerror(errno));
        }
        if (r == 0) {
            raw_eof_ = true;
            break;
        }
        got += static_cast<size_t>(r);
        // Reading up to the size the file had when opened spares the read that finds its end.
        // Kept only for gzip (see Open): a gzip file cut short this way says so.
        if (file_size_ != 0 && raw_bytes_ + got >= file_size_ && !eof_at_size_ && !gzip_known_) {
            raw_eof_ = true;
            eof_at_size_ = true;
            break;
        }
    }
    raw_bytes_ += got;
    return got;
}

// Moves unread input to the front and reads more after it.
Status InputReader::FillInput() {
    if (raw_eof_) return OkStatus();
    if (in_pos_ > 0) {
        std::memmove(in_.get(), in_.get() + in_pos_, in_len_ - in_pos_);
        in_base_ += in_pos_;
        in_len_ -= in_pos_;
        in_pos_ = 0;
    }
    auto got = ReadRaw(reinterpret_cast<char*>(in_.get()) + in_len_, in_cap_ - in_len_);
    if (!got) return std::unexpected(got.error());
    in_len_ += *got;
    return OkStatus();
}

Result<size_t> InputReader::Read(PaddedBuffer& out, size_t max) {
    if (gzip_) return Inflate(out, max);
    out.Reserve(max);
    size_t produced = 0;
    // Bytes already pulled in for sniffing come first.
    if (in_pos_ < in_len_) {
        const size_t n = std::min(max, in_len_ - in_pos_);
        std::memcpy(out.tail(), in_.get() + in_pos_, n);
        out.Commit(n);
        in_pos_ += n;
        produced += n;
    }
    if (produced < max && !raw_eof_) {
        auto got = ReadRaw(out.tail(), max - produced);
        if (!got) return got;
        out.Commit(*got);
        produced += *got;
    }
    return produced;
}

// The common case, a single-member file smaller than the input window whose trailer gives
// the size, is inflated in one call to libdeflate (faster than streaming). Anything that call
// does not take whole (several members, trailing bytes, a trailer that lies, damage) leaves
// `out` as it was and goes through the streaming inflater, which says where the fault is.
bool InputReader::InflateWhole(PaddedBuffer& out, size_t max) {
    if (!raw_eof_ || in_base_ != 0 || in_pos_ != 0 || size_hint_ == 0 || size_hint_ > max) {
        return false;
    }
    if (inflater_->whole == nullptr) {
        inflater_->whole = libdeflate_alloc_decompressor();
        if (inflater_->whole == nullptr) return false;
    }
    out.Reserve(size_hint_);
    size_t in_used = 0;
    size_t written = 0;
    const libdeflate_result r = libdeflate_gzip_decompress_ex(
        inflater_->whole, in_.get(), in_len_, out.tail(), size_hint_, &in_used, &written);
    if (r != LIBDEFLATE_SUCCESS || in_used != in_len_ || written != size_hint_) return false;
    out.Commit(written);
    in_pos_ = in_len_;
    stream_done_ = true;
    return true;
}

Result<size_t> InputReader::Inflate(PaddedBuffer& out, size_t max) {
    if (!stream_done_ && InflateWhole(out, max)) return static_cast<size_t>(size_hint_);
    inflate_state& st = inflater_->state;
    out.Reserve(max);
    size_t produced = 0;
    while (produced < max && !stream_done_) {
        if (in_pos_ == in_len_) {
            if (auto s = FillInput(); !s) return std::unexpected(s.error());
        }
        st.next_in = in_.get() + in_pos_;
        st.avail_in = static_cast<uint32_t>(in_len_ - in_pos_);
        st.next_out = reinterpret_cast<uint8_t*>(out.tail());
        const size_t room = std::min<size_t>(max - produced, UINT32_MAX);
        st.avail_out = static_cast<uint32_t>(room);
        const int ret = isal_inflate(&st);
        const size_t written = room - st.avail_out;
        out.Commit(written);
        produced += written;
        in_pos_ = static_cast<size_t>(st.next_in - in_.get());
        if (ret < 0) {
            return MakeError(ErrorCode::kCorrupt, std::string(InflateError(ret)) +
                                                      " at compressed byte " +
                                                      std::to_string(in_base_ + in_pos_));
        }
        if (st.block_state == ISAL_BLOCK_FINISH) {
            // End of a gzip member: another member may follow.
            if (in_len_ - in_pos_ < 2) {
                if (auto s = FillInput(); !s) return std::unexpected(s.error());
            }
            if (in_len_ - in_pos_ >= 2 && in_[in_pos_] == 0x1f && in_[in_pos_ + 1] == 0x8b) {
                isal_inflate_reset(&st);
                st.crc_flag = ISAL_GZIP;
                continue;
            }
            stream_done_ = true;  // trailing bytes after the last member are ignored
            break;
        }
        if (written == 0 && st.avail_in == 0 && raw_eof_ && in_pos_ == in_len_) {
            return MakeError(ErrorCode::kCorrupt,
                             "truncated gzip: the compressed data ends at byte " +
                                 std::to_string(in_base_ + in_pos_) + " before the stream does");
        }
    }
    return produced;
}

}  // namespace tw::ingest
