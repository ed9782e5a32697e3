#include "findings/id_list.h"

#include <stdexcept>

#include "core/memory.h"

namespace tw::findings {

IdList::IdList(std::initializer_list<std::string_view> ids) {
    for (std::string_view id : ids) push_back(id);
}

IdList::IdList(const std::vector<std::string>& ids) { *this = ids; }

IdList& IdList::operator=(const std::vector<std::string>& ids) {
    clear();
    size_t bytes = 0;
    for (const std::string& id : ids) bytes += id.size();
    reserve(ids.size(), bytes);
    for (const std::string& id : ids) push_back(id);
    return *this;
}

void IdList::reserve(size_t n, size_t bytes) {
    ReserveHuge(ends_, ends_.size() + n);
    if (bytes > 0) {
        const size_t want = text_.size() + bytes;
        if (want > text_.capacity()) {
            text_.reserve(want);
            if (want >= 2 * kHugePageBytes) AdviseHugePages(text_.data(), want);
        }
    }
}

void IdList::push_back(std::string_view id) {
    if (text_.size() + id.size() > UINT32_MAX) throw std::length_error("IdList: over 4 GB of ids");
    text_.append(id);
    ends_.push_back(static_cast<uint32_t>(text_.size()));
}

void IdList::clear() {
    text_.clear();
    ends_.clear();
}

bool operator==(const IdList& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < b.size(); ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

}  // namespace tw::findings
