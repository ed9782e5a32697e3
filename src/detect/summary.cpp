#include "detect/summary.h"

#include <algorithm>
#include <cstdint>

#include "core/strings.h"

namespace tw::detect {

namespace {

std::string_view ArnLastPart(std::string_view s) {
    const size_t slash = s.rfind('/');
    return slash == std::string_view::npos ? s : s.substr(slash + 1);
}

bool IsFindingName(std::string_view name) {
    static constexpr std::string_view kNames[] = {"actor",  "account", "accounts_count",
                                                  "region", "count",   "eventNames"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// The fields EventInfo holds directly.
enum class DirectField {
    kNone,
    kEventName,
    kEventSource,
    kEventId,
    kRegion,
    kAccount,
    kSourceIp,
    kUserAgent,
    kArn,
    kType,
    kPrincipalId,
    kAccessKeyId
};

DirectField DirectOf(std::string_view path) {
    if (path == "eventName") return DirectField::kEventName;
    if (path == "eventSource") return DirectField::kEventSource;
    if (path == "eventID") return DirectField::kEventId;
    if (path == "awsRegion") return DirectField::kRegion;
    if (path == "recipientAccountId") return DirectField::kAccount;
    if (path == "sourceIPAddress") return DirectField::kSourceIp;
    if (path == "userAgent") return DirectField::kUserAgent;
    if (path == "userIdentity.arn") return DirectField::kArn;
    if (path == "userIdentity.type") return DirectField::kType;
    if (path == "userIdentity.principalId") return DirectField::kPrincipalId;
    if (path == "userIdentity.accessKeyId") return DirectField::kAccessKeyId;
    return DirectField::kNone;
}

// `buf` holds a rendered eventID.
std::string_view Direct(const EventInfo& e, DirectField f, EventId::Buffer& buf) {
    switch (f) {
        case DirectField::kEventName:
            return e.event_name();
        case DirectField::kEventSource:
            return e.event_source();
        case DirectField::kEventId:
            return e.event_id.View(buf);
        case DirectField::kRegion:
            return e.region();
        case DirectField::kAccount:
            return e.account();
        case DirectField::kSourceIp:
            return e.source_ip();
        case DirectField::kUserAgent:
            return e.user_agent();
        case DirectField::kArn:
            return e.arn();
        case DirectField::kType:
            return e.identity_type();
        case DirectField::kPrincipalId:
            return e.principal_id();
        case DirectField::kAccessKeyId:
            return e.access_key_id();
        case DirectField::kNone:
            break;
    }
    return {};
}

std::string ListText(const std::vector<std::string>& values, size_t shown = 5) {
    if (values.empty()) return "(unknown)";
    std::string out;
    for (size_t i = 0; i < values.size() && i < shown; ++i) {
        if (i != 0) out += ", ";
        out += values[i];
    }
    if (values.size() > shown) out += " and " + std::to_string(values.size() - shown) + " more";
    return out;
}

}  // namespace

std::vector<std::string> TemplateFields(std::string_view tmpl) {
    std::vector<std::string> out;
    size_t pos = 0;
    while ((pos = tmpl.find('{', pos)) != std::string_view::npos) {
        const size_t end = tmpl.find('}', pos);
        if (end == std::string_view::npos) break;
        // {a|b|c}: the first of several fields that has a value.
        for (std::string_view name : Split(tmpl.substr(pos + 1, end - pos - 1), '|')) {
            if (name.starts_with('#')) name.remove_prefix(1);
            if (!name.empty() && !IsFindingName(name) &&
                std::find(out.begin(), out.end(), name) == out.end()) {
                out.emplace_back(name);
            }
        }
        pos = end + 1;
    }
    return out;
}

FieldIndex::FieldIndex(const std::vector<std::string>& extra_fields) : fields_(extra_fields) {}

int FieldIndex::Find(std::string_view path) const {
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i] == path) return static_cast<int>(i);
    }
    return -1;
}

std::vector<std::string> DistinctValues(std::string_view path, const EventList& events,
                                        const std::vector<uint32_t>& idx, const FieldIndex& index,
                                        size_t max) {
    std::vector<std::string> out;
    const int k = index.Find(path);
    auto add = [&](std::string_view v) {
        if (v.empty() || out.size() >= max) return;
        if (std::find(out.begin(), out.end(), v) == out.end()) out.emplace_back(v);
    };
    const DirectField direct = DirectOf(path);
    if (direct == DirectField::kNone && k < 0) return out;
    // Consecutive events mostly repeat a value: skip a value equal to the previous one.
    std::string_view last;
    bool has_last = false;
    EventId::Buffer buf;
    auto add_new = [&](std::string_view v) {
        // (A rendered eventID is always in `buf`: ids differ from event to event anyway.)
        if (has_last && v.data() == last.data() && v.size() == last.size() && v.data() != buf) {
            return;
        }
        has_last = true;
        last = v;
        add(v);
    };
    constexpr size_t kAhead = 16;  // the events of a group are spread: fetch ahead
    for (size_t j = 0; j < idx.size(); ++j) {
        FetchAhead(events, j, idx.size(), kAhead, [&](size_t k) { return idx[k]; });
        const EventInfo& e = events[idx[j]];
        if (direct != DirectField::kNone) {
            add_new(Direct(e, direct, buf));
        } else {
            ForEachValue(e.extra(static_cast<size_t>(k)), add);
        }
        if (out.size() >= max) break;
    }
    return out;
}

std::string ActorText(const findings::Finding& f, bool short_arn) {
    if (!f.actor.arn.empty()) return short_arn ? ShortActor(f.actor.arn) : f.actor.arn;
    if (!f.actor.principal_id.empty()) return f.actor.principal_id;
    if (!f.actor.access_key_id.empty()) return "access key " + f.actor.access_key_id;
    return "an unknown actor";
}

std::string ShortActor(std::string_view arn) {
    // arn:partition:service::account:resource
    size_t colon = 0;
    std::string_view parts[6];
    for (int i = 0; i < 5; ++i) {
        const size_t next = arn.find(':', colon);
        if (next == std::string_view::npos) return std::string(arn);
        parts[i] = arn.substr(colon, next - colon);
        colon = next + 1;
    }
    const std::string_view account = parts[4];
    const std::string_view resource = arn.substr(colon);
    if (parts[0] != "arn") return std::string(arn);
    if (resource == "root") return "the root user of " + std::string(account);
    auto after = [&](std::string_view prefix) { return resource.substr(prefix.size()); };
    if (resource.starts_with("assumed-role/")) {
        const std::string_view rest = after("assumed-role/");
        const size_t slash = rest.find('/');
        if (slash == std::string_view::npos) return std::string(arn);
        std::string_view role = rest.substr(0, slash);
        const std::string_view session = rest.substr(slash + 1);
        if (role.starts_with("AWSReservedSSO_")) {
            // AWSReservedSSO_<PermissionSet>_<16 hex>: the permission set is what matters.
            const size_t cut = role.rfind('_');
            if (cut > 15) role = role.substr(15, cut - 15);
            return std::string(session) + " (" + std::string(role) + " in " + std::string(account) +
                   ")";
        }
        return std::string(session) + " (role " + std::string(role) + " in " +
               std::string(account) + ")";
    }
    if (resource.starts_with("user/")) {
        return "IAM user " + std::string(ArnLastPart(resource)) + " (" + std::string(account) + ")";
    }
    if (resource.starts_with("federated-user/")) {
        return "federated user " + std::string(after("federated-user/")) + " (" +
               std::string(account) + ")";
    }
    return std::string(arn);
}

namespace {

// One placeholder's text ("" when it has no value). Group keys (correlation group-by values,
// and "count" for a correlation's count) come first.
std::string Placeholder(std::string_view name, const findings::Finding& f, const EventList& events,
                        const std::vector<uint32_t>& idx, const FieldIndex& index,
                        const std::vector<std::pair<std::string, std::string>>& group) {
    for (const auto& [key, value] : group) {
        if (key == name) return value;
    }
    if (name == "actor") return ActorText(f, true);
    if (name == "account") return f.accounts.empty() ? "" : f.accounts.front();
    if (name == "accounts_count") return std::to_string(f.accounts.size());
    if (name == "region") return f.regions.empty() ? "" : f.regions.front();
    if (name == "count") return std::to_string(idx.size());
    if (name == "eventNames") return f.event_names.empty() ? "" : ListText(f.event_names);
    if (name.starts_with('#')) {  // {#field}: how many distinct values
        return std::to_string(DistinctValues(name.substr(1), events, idx, index, SIZE_MAX).size());
    }
    const auto values = DistinctValues(name, events, idx, index);
    return values.empty() ? "" : ListText(values);
}

}  // namespace

std::string RenderSummary(std::string_view tmpl, const findings::Finding& f,
                          const EventList& events, const std::vector<uint32_t>& idx,
                          const FieldIndex& index,
                          const std::vector<std::pair<std::string, std::string>>& group) {
    std::string out;
    size_t pos = 0;
    while (pos < tmpl.size()) {
        const size_t open = tmpl.find('{', pos);
        const size_t close = open == std::string_view::npos ? open : tmpl.find('}', open);
        if (close == std::string_view::npos) {
            out.append(tmpl.substr(pos));
            break;
        }
        out.append(tmpl.substr(pos, open - pos));
        const std::string_view spec = tmpl.substr(open + 1, close - open - 1);
        pos = close + 1;
        std::string value;
        for (std::string_view name : Split(spec, '|')) {
            value = Placeholder(name, f, events, idx, index, group);
            if (!value.empty()) break;
        }
        out += value.empty() ? "(unknown)" : value;
    }
    return out;
}

std::string FieldsEvidence(const std::vector<std::string>& fields, const EventList& events,
                           const std::vector<uint32_t>& idx, const FieldIndex& index) {
    std::string out;
    for (const std::string& path : fields) {
        const auto values = DistinctValues(path, events, idx, index);
        if (values.empty()) continue;
        out += ',';
        AppendJsonString(out, path);
        out += ":[";
        for (size_t i = 0; i < values.size(); ++i) {
            if (i != 0) out += ',';
            AppendJsonString(out, values[i]);
        }
        out += ']';
    }
    return out;
}

}  // namespace tw::detect
