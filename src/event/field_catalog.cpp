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
    // Cheap on purpose: it runs for every key of every record. Length and three sampled
    // characters separate CloudTrail's keys well; collisions only cost a compare.
    if (key.empty()) return 0;
    const auto c0 = static_cast<unsigned char>(key[0]);
    const auto cm = static_cast<unsigned char>(key[key.size() / 2]);
    const auto cl = static_cast<unsigned char>(key[key.size() - 1]);
    const uint64_t h = (key.size() * 0x9E3779B97F4A7C15ULL) ^ (c0 * 0xC2B2AE3D27D4EB4FULL) ^
                       (cm * 0x165667B19E3779F9ULL) ^ (cl * 0x27D4EB2F165667C5ULL);
    return h ^ (h >> 32);
}

uint32_t FieldCatalog::Child(uint32_t node, std::string_view key) const {
    const Node& n = nodes_[node];
    if (n.table.empty()) return 0;
    const size_t mask = n.table.size() - 1;
    for (size_t i = KeyHash(key) & mask;; i = (i + 1) & mask) {
        const uint32_t slot = n.table[i];
        if (slot == 0) return 0;
        const std::string& k = nodes_[slot - 1].key;
        if (k.size() == key.size() && std::memcmp(k.data(), key.data(), key.size()) == 0) {
            return slot - 1;
        }
    }
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
        n.table.assign(size, 0);
        for (uint32_t c : n.children) {
            size_t i = KeyHash(nodes_[c].key) & (size - 1);
            while (n.table[i] != 0) i = (i + 1) & (size - 1);
            n.table[i] = c + 1;
        }
    }
    frozen_ = true;
}

}  // namespace tw::event
