#include "output/ordered_writer.h"

#include <cstring>

namespace tw::output {

void OrderedWriter::Emit(const std::string& text) {
    if (full_ || text.empty()) return;
    if (line_limit_ == 0) {
        std::fwrite(text.data(), 1, text.size(), out_);
        return;
    }
    size_t pos = 0;
    while (pos < text.size() && lines_ < line_limit_) {
        const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
        const size_t end =
            nl == nullptr ? text.size() : static_cast<const char*>(nl) - text.data() + 1;
        std::fwrite(text.data() + pos, 1, end - pos, out_);
        if (nl != nullptr) ++lines_;
        pos = end;
    }
    if (lines_ >= line_limit_) {
        full_ = true;
        if (stop_ != nullptr) stop_->store(true);
    }
}

void OrderedWriter::Write(uint32_t file_index, std::string&& text) {
    std::lock_guard<std::mutex> lock(mu_);
    if (file_index == next_) {
        Emit(text);
        return;
    }
    pending_[file_index].text.append(text);
}

void OrderedWriter::Finish(uint32_t file_index) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_[file_index].finished = true;
    // Write every complete file at the head of the line, and the head's buffered text.
    while (true) {
        auto it = pending_.find(next_);
        if (it == pending_.end()) break;
        Emit(it->second.text);
        it->second.text.clear();
        if (!it->second.finished) break;
        pending_.erase(it);
        ++next_;
    }
}

}  // namespace tw::output
