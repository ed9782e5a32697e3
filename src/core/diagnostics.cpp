#include "core/diagnostics.h"

#include <cstdio>

namespace tw {

namespace {
constexpr size_t kKeepLimit = 10000;
}

void Diagnostics::Report(const Diagnostic& d) {
    std::lock_guard<std::mutex> lock(mu_);
    if (d.severity == Severity::kError) ++errors_;
    if (d.loss == Loss::kRecord) ++records_lost_;
    if (d.loss == Loss::kFile) ++files_lost_;
    if (!d.reason.empty()) ++reasons_[d.reason];
    if (kept_.size() < kKeepLimit) kept_.push_back(d);
    if (stream_ == nullptr) return;
    if (print_limit_ != 0 && printed_ >= print_limit_) {
        if (printed_ == print_limit_) {
            std::fprintf(stream_,
                         "trailwarden: more problems follow; only totals are printed from here\n");
            ++printed_;
        }
        return;
    }
    ++printed_;
    std::string line = d.severity == Severity::kError ? "error: " : "warning: ";
    if (!d.path.empty()) {
        line += d.path;
        if (!d.position.empty()) {
            line += ": ";
            line += d.position;
        }
        line += ": ";
    }
    line += d.message;
    line += '\n';
    std::fputs(line.c_str(), stream_);
}

void Diagnostics::RecordError(std::string_view path, std::string_view position,
                              std::string_view reason, std::string_view message) {
    Report({Severity::kError, Loss::kRecord, std::string(path), std::string(position),
            std::string(message), std::string(reason)});
}

void Diagnostics::FileError(std::string_view path, std::string_view position,
                            std::string_view reason, std::string_view message) {
    Report({Severity::kError, Loss::kFile, std::string(path), std::string(position),
            std::string(message), std::string(reason)});
}

uint64_t Diagnostics::records_lost() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_lost_;
}
uint64_t Diagnostics::files_lost() const {
    std::lock_guard<std::mutex> lock(mu_);
    return files_lost_;
}
uint64_t Diagnostics::errors() const {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
}
std::map<std::string, uint64_t> Diagnostics::reasons() const {
    std::lock_guard<std::mutex> lock(mu_);
    return reasons_;
}
std::vector<Diagnostic> Diagnostics::all() const {
    std::lock_guard<std::mutex> lock(mu_);
    return kept_;
}

}  // namespace tw
