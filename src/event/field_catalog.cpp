#include "event/field_catalog.h"

#include <cstring>

#include "core/check.h"
#include "core/strings.h"

namespace tw::event {

const char* const kWellKnownPaths[kWellKnownCount] = {
    "eventTime",
    "eventName",
    "eventSource",
    "eventID",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "recipientAccountId",
    "errorCode",
    "errorMessage",
    "readOnly",
    "eventType",
    "userIdentity.type",
    "userIdentity.arn",
    "userIdentity.accountId",
    "userIdentity.accessKeyId",
    "userIdentity.principalId",
    "userIdentity.userName",
    "userIdentity.invokedBy",
    "userIdentity.sessionContext.sessionIssuer.arn",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.sessionContext.sessionIssuer.type",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "userIdentity.sessionContext.sourceIdentity",
    "userIdentity.onBehalfOf.userId",
    "userIdentity.onBehalfOf.identityStoreArn",
};

FieldCatalog::FieldCatalog() {
    for (FieldId id = 0; id < kWellKnownCount; ++id) {
        paths_.emplace_back(kWellKnownPaths[id]);
        requested_.push_back(false);
        ids_.emplace(paths_.back(), id);
    }
}

FieldId FieldCatalog::Intern(std::string_view path) {
    TW_DCHECK(!frozen_);
    auto it = ids_.find(std::string(path));
    if (it != ids_.end()) {
        requested_[it->second] = true;
        return it->second;
    }
    const auto id = static_cast<FieldId>(paths_.size());
    paths_.emplace_back(path);
    requested_.push_back(true);
    ids_.emplace(paths_.back(), id);
    return id;
}

void FieldCatalog::RequestWellKnown() {
    for (FieldId id = 0; id < kWellKnownCount; ++id) requested_[id] = true;
}

void FieldCatalog::Request(FieldId id) {
    TW_DCHECK(!frozen_ && id < paths_.size());
    requested_[id] = true;
}

FieldId FieldCatalog::Find(std::string_view path) const {
    auto it = ids_.find(std::string(path));
    return it == ids_.end() ? kNoField : it->second;
}

uint64_t FieldCatalog::KeyHash(std::string_view key) {
    uint64_t w[2] = {0, 0};
    std::memcpy(w, key.data(), key.size() < 16 ? key.size() : 16);
    return WordsHash(w[0], w[1], key.size());
}

uint32_t FieldCatalog::Child(uint32_t node, std::string_view key) const {
    uint64_t w[2] = {0, 0};
    std::memcpy(w, key.data(), key.size() < 16 ? key.size() : 16);
    return Find(node, key, w[0], w[1]);
}

void FieldCatalog::Freeze() {
    if (frozen_) return;
    // The ingest validates these on every record (see RecordParser).
    for (FieldId id : {kEventTime, kEventName, kEventSource}) requested_[id] = true;
    nodes_.clear();
    nodes_.emplace_back();  // root
    for (FieldId id = 0; id < paths_.size(); ++id) {
        if (!requested_[id]) continue;
        uint32_t node = 0;
        for (std::string_view part : Split(paths_[id], '.')) {
            uint32_t next = 0;
            for (uint32_t c : nodes_[node].children) {
                if (nodes_[c].key == part) next = c;
            }
            if (next == 0) {
                next = static_cast<uint32_t>(nodes_.size());
                Node child;
                child.key = std::string(part);
                nodes_.push_back(std::move(child));
                nodes_[node].children.push_back(next);
            }
            node = next;
        }
        nodes_[node].field = id;
    }
    for (Node& n : nodes_) {
        if (n.children.empty()) continue;
        size_t size = 8;
        while (size < n.children.size() * 4) size *= 2;
        n.table.assign(size, Slot{});
        for (uint32_t c : n.children) {
            const std::string& key = nodes_[c].key;
            size_t i = KeyHash(key) & (size - 1);
            while (n.table[i].child != 0) i = (i + 1) & (size - 1);
            Slot& s = n.table[i];
            uint64_t w[2] = {0, 0};
            std::memcpy(w, key.data(), key.size() < 16 ? key.size() : 16);
            s.w0 = w[0];
            s.w1 = w[1];
            s.size = static_cast<uint32_t>(key.size());
            s.child = c + 1;
        }
    }
    frozen_ = true;
}

}  // namespace tw::event
