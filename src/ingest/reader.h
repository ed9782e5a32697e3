// InputReader: the decompressed bytes of one input (a file or stdin), gzip detected by its
// magic bytes and inflated with ISA-L in a streaming fashion, so that any size can be read
// in bounded chunks. Concatenated gzip members are read as one stream. A small single-member
// file is inflated in one call to libdeflate instead, which is faster.
//
// Thread-safety: one reader per worker; not shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/buffer.h"

namespace tw::ingest {

class InputReader {
  public:
    InputReader();
    ~InputReader();
    InputReader(const InputReader&) = delete;
    InputReader& operator=(const InputReader&) = delete;

    // Opens `path` ("-" is stdin). Fails with a message naming the path.
    [[nodiscard]] Status Open(const std::string& path);
    void Close();

    // Appends up to `max` decompressed bytes to `out`; returns how many (0 at end of input).
    // A corrupt or truncated gzip stream is an error whose message gives the compressed byte
    // offset; bytes decoded before the fault have already been appended.
    [[nodiscard]] Result<size_t> Read(PaddedBuffer& out, size_t max);

    [[nodiscard]] bool gzip() const { return gzip_; }
    // Bytes read from the file so far (compressed size for gzip).
    [[nodiscard]] uint64_t raw_bytes() const { return raw_bytes_; }
    // Size of the file as reported by the OS (0 for stdin or pipes).
    [[nodiscard]] uint64_t file_size() const { return file_size_; }
    // For a single-member gzip file: the uncompressed size from its trailer (mod 2^32), else 0.
    [[nodiscard]] uint64_t size_hint() const { return size_hint_; }

  private:
    [[nodiscard]] int OpenFile(const std::string& path);
    [[nodiscard]] Result<size_t> ReadRaw(char* dst, size_t n);
    [[nodiscard]] Status FillInput();
    [[nodiscard]] Result<size_t> Inflate(PaddedBuffer& out, size_t max);
    [[nodiscard]] bool InflateWhole(PaddedBuffer& out, size_t max);

    struct Inflater;
    std::unique_ptr<Inflater> inflater_;
    std::string path_;
    int fd_ = -1;
    bool owns_fd_ = false;
    // The directory of the previous file, kept open for openat.
    std::string dir_path_;
    int dir_fd_ = -1;
    bool gzip_ = false;
    bool raw_eof_ = false;
    // The end was taken from the size at open (gzip only: the first read stops there; plain
    // text is read until a read returns nothing). A gzip file written to while it is read is
    // read as it was when opened: a member cut short is reported as truncated, a member
    // appended after the open is not read (delivered CloudTrail files are written once).
    bool eof_at_size_ = false;
    bool gzip_known_ = false;  // the magic bytes were sniffed
    bool stream_done_ = false;
    uint64_t raw_bytes_ = 0;
    uint64_t file_size_ = 0;
    uint64_t size_hint_ = 0;
    // Compressed input window.
    std::unique_ptr<unsigned char[]> in_;
    size_t in_cap_ = 0;
    size_t in_pos_ = 0;
    size_t in_len_ = 0;
    uint64_t in_base_ = 0;  // file offset of in_[0]
};

}  // namespace tw::ingest
