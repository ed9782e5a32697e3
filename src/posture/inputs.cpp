#include "posture/inputs.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.h"

namespace tw::posture {

namespace {

using simdjson::dom::element;
using simdjson::dom::object;

struct Doc {
    simdjson::dom::parser parser;
    element root;
};

const char* ExpectedShape(CliOutput kind) {
    switch (kind) {
        case CliOutput::kDescribeTrails:
            return "a \"trailList\" array";
        case CliOutput::kTrailStatus:
            return "an \"IsLogging\" field";
        case CliOutput::kEventSelectors:
            return "\"TrailARN\" with \"EventSelectors\" or \"AdvancedEventSelectors\"";
        case CliOutput::kSamlProviders:
            return "a \"SAMLProviderList\" array";
        case CliOutput::kOidcProviders:
            return "an \"OpenIDConnectProviderList\" array";
        case CliOutput::kSsoInstances:
            return "an \"Instances\" array";
        case CliOutput::kListPolicies:
            return "a \"Policies\" array, or a \"Policy\" object";
        case CliOutput::kDescribePolicy:
            return "a \"Policy\" object";
        case CliOutput::kPolicyTargets:
            return "a \"Targets\" array";
        case CliOutput::kCredentialReportJson:
            return "\"Content\" and \"ReportFormat\"";
        case CliOutput::kUnknown:
            break;
    }
    return "";
}

CliOutput Detect(element root) {
    object obj;
    if (root.get_object().get(obj)) return CliOutput::kUnknown;
    auto has = [&](std::string_view k) { return !obj[k].error(); };
    if (has("trailList")) return CliOutput::kDescribeTrails;
    if (has("IsLogging")) return CliOutput::kTrailStatus;
    if (has("EventSelectors") || has("AdvancedEventSelectors")) return CliOutput::kEventSelectors;
    if (has("SAMLProviderList")) return CliOutput::kSamlProviders;
    if (has("OpenIDConnectProviderList")) return CliOutput::kOidcProviders;
    if (has("Instances")) return CliOutput::kSsoInstances;
    if (has("Policies")) return CliOutput::kListPolicies;
    if (has("Policy")) return CliOutput::kDescribePolicy;
    if (has("Targets")) return CliOutput::kPolicyTargets;
    if (has("Content") && has("ReportFormat")) return CliOutput::kCredentialReportJson;
    return CliOutput::kUnknown;
}

// Parses `path` and checks it is the output of one of `kinds`; returns the kind found.
Result<CliOutput> Load(const std::string& path, Doc& doc, std::initializer_list<CliOutput> kinds) {
    auto text = ReadWholeFile(path);
    if (!text) return std::unexpected(text.error());
    if (auto e = doc.parser.parse(*text).get(doc.root)) {
        return MakeError(ErrorCode::kCorrupt, path + ": not valid JSON (" +
                                                  simdjson::error_message(e) +
                                                  "); is the file complete? skipped");
    }
    const CliOutput found = Detect(doc.root);
    for (CliOutput k : kinds) {
        if (k == found) return found;
    }
    const CliOutput want = *kinds.begin();
    std::string msg = path + ": expected the output of `" + CliCommandName(want) + "` (" +
                      ExpectedShape(want) + "), but ";
    if (found == CliOutput::kUnknown) {
        msg += "none of its keys is there";
    } else {
        msg += std::string("this is the output of `") + CliCommandName(found) + "`";
    }
    return MakeError(ErrorCode::kInvalidArgument, msg + "; skipped");
}

std::string Str(element e, std::string_view key) {
    std::string_view s;
    if (e[key].get_string().get(s)) return {};
    return std::string(s);
}

bool Bool(element e, std::string_view key, bool fallback = false) {
    bool b;
    if (e[key].get_bool().get(b)) return fallback;
    return b;
}

std::vector<std::string> StrList(element e, std::string_view key) {
    std::vector<std::string> out;
    simdjson::dom::array arr;
    if (e[key].get_array().get(arr)) return out;
    for (element x : arr) {
        std::string_view s;
        if (!x.get_string().get(s)) out.emplace_back(s);
    }
    return out;
}

Result<simdjson::dom::array> Array(const Doc& doc, std::string_view key, const std::string& path) {
    simdjson::dom::array arr;
    if (doc.root[key].get_array().get(arr)) {
        return MakeError(ErrorCode::kCorrupt,
                         path + ": \"" + std::string(key) + "\" is not an array; skipped");
    }
    return arr;
}

}  // namespace

const char* CliCommandName(CliOutput kind) {
    switch (kind) {
        case CliOutput::kDescribeTrails:
            return "aws cloudtrail describe-trails";
        case CliOutput::kTrailStatus:
            return "aws cloudtrail get-trail-status";
        case CliOutput::kEventSelectors:
            return "aws cloudtrail get-event-selectors";
        case CliOutput::kSamlProviders:
            return "aws iam list-saml-providers";
        case CliOutput::kOidcProviders:
            return "aws iam list-open-id-connect-providers";
        case CliOutput::kSsoInstances:
            return "aws sso-admin list-instances";
        case CliOutput::kListPolicies:
            return "aws organizations list-policies";
        case CliOutput::kDescribePolicy:
            return "aws organizations describe-policy";
        case CliOutput::kPolicyTargets:
            return "aws organizations list-targets-for-policy";
        case CliOutput::kCredentialReportJson:
            return "aws iam get-credential-report";
        case CliOutput::kUnknown:
            break;
    }
    return "unknown";
}

CliOutput DetectCliOutput(std::string_view json) {
    simdjson::dom::parser parser;
    element root;
    if (parser.parse(json.data(), json.size()).get(root)) return CliOutput::kUnknown;
    return Detect(root);
}

Result<std::string> ReadWholeFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return MakeError(ErrorCode::kInvalidArgument, path + ": is a directory; skipped");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot be read; skipped");
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return MakeError(ErrorCode::kIoError, path + ": read error; skipped");
    return ss.str();
}

std::string AccountOfArn(std::string_view arn) {
    std::vector<std::string_view> p = Split(arn, ':');
    if (p.size() < 6 || p[0] != "arn" || p[4].size() != 12) return {};
    for (char c : p[4]) {
        if (c < '0' || c > '9') return {};
    }
    return std::string(p[4]);
}

Result<std::vector<Trail>> ReadTrails(const std::string& path) {
    Doc doc;
    if (auto k = Load(path, doc, {CliOutput::kDescribeTrails}); !k) {
        return std::unexpected(k.error());
    }
    auto arr = Array(doc, "trailList", path);
    if (!arr) return std::unexpected(arr.error());
    std::vector<Trail> out;
    for (element t : *arr) {
        Trail tr;
        tr.name = Str(t, "Name");
        tr.arn = Str(t, "TrailARN");
        tr.home_region = Str(t, "HomeRegion");
        tr.account = AccountOfArn(tr.arn);
        tr.s3_bucket = Str(t, "S3BucketName");
        tr.multi_region = Bool(t, "IsMultiRegionTrail");
        tr.include_global_service_events = Bool(t, "IncludeGlobalServiceEvents");
        tr.log_file_validation = Bool(t, "LogFileValidationEnabled");
        tr.kms_key_id = Str(t, "KmsKeyId");
        tr.has_custom_event_selectors = Bool(t, "HasCustomEventSelectors");
        tr.organization_trail = Bool(t, "IsOrganizationTrail");
        if (tr.name.empty() && tr.arn.empty()) continue;
        if (tr.name.empty()) tr.name = tr.arn.substr(tr.arn.rfind('/') + 1);
        // describe-trails lists a multi-region trail once per region (shadow trails).
        bool dup = false;
        for (const Trail& o : out) dup = dup || (!tr.arn.empty() && o.arn == tr.arn);
        if (!dup) out.push_back(std::move(tr));
    }
    return out;
}

Result<TrailStatus> ReadTrailStatus(const std::string& path) {
    Doc doc;
    if (auto k = Load(path, doc, {CliOutput::kTrailStatus}); !k) return std::unexpected(k.error());
    TrailStatus s;
    s.source = path;
    bool b;
    if (doc.root["IsLogging"].get_bool().get(b)) {
        return MakeError(ErrorCode::kCorrupt, path + ": \"IsLogging\" is not a boolean; skipped");
    }
    s.is_logging = b;
    s.latest_delivery_error = Str(doc.root, "LatestDeliveryError");
    // CLI v2 prints timestamps as ISO 8601 strings, v1 as epoch seconds.
    std::string_view stop;
    double epoch;
    if (!doc.root["StopLoggingTime"].get_string().get(stop)) {
        s.stop_logging_time = stop;
    } else if (!doc.root["StopLoggingTime"].get_double().get(epoch)) {
        s.stop_logging_time = FormatIsoTime(static_cast<TimeMs>(epoch * 1000));
    } else if (!doc.root["TimeLoggingStopped"].get_string().get(stop)) {
        s.stop_logging_time = stop;
    }
    return s;
}

Result<EventSelectors> ReadEventSelectors(const std::string& path) {
    Doc doc;
    if (auto k = Load(path, doc, {CliOutput::kEventSelectors}); !k) {
        return std::unexpected(k.error());
    }
    EventSelectors es;
    es.source = path;
    es.trail_arn = Str(doc.root, "TrailARN");
    simdjson::dom::array arr;
    if (!doc.root["EventSelectors"].get_array().get(arr)) {
        for (element s : arr) {
            BasicSelector b;
            const std::string rw = Str(s, "ReadWriteType");
            if (!rw.empty()) b.read_write_type = rw;
            b.include_management_events = Bool(s, "IncludeManagementEvents", true);
            b.exclude_management_event_sources = StrList(s, "ExcludeManagementEventSources");
            es.basic.push_back(std::move(b));
        }
    }
    if (!doc.root["AdvancedEventSelectors"].get_array().get(arr)) {
        for (element s : arr) {
            AdvancedSelector a;
            a.name = Str(s, "Name");
            simdjson::dom::array fields;
            if (!s["FieldSelectors"].get_array().get(fields)) {
                for (element f : fields) {
                    FieldSelector fs;
                    fs.field = Str(f, "Field");
                    fs.equals = StrList(f, "Equals");
                    fs.not_equals = StrList(f, "NotEquals");
                    fs.starts_with = StrList(f, "StartsWith");
                    fs.not_starts_with = StrList(f, "NotStartsWith");
                    fs.ends_with = StrList(f, "EndsWith");
                    fs.not_ends_with = StrList(f, "NotEndsWith");
                    a.fields.push_back(std::move(fs));
                }
            }
            es.advanced.push_back(std::move(a));
        }
    }
    return es;
}

namespace {

Result<std::vector<IdentityProvider>> ReadProviders(const std::string& path, CliOutput kind,
                                                    std::string_view list_key, ProviderKind pk) {
    Doc doc;
    if (auto k = Load(path, doc, {kind}); !k) return std::unexpected(k.error());
    auto arr = Array(doc, list_key, path);
    if (!arr) return std::unexpected(arr.error());
    std::vector<IdentityProvider> out;
    for (element e : *arr) {
        IdentityProvider p;
        p.kind = pk;
        if (pk == ProviderKind::kIdentityCenter) {
            p.arn = Str(e, "InstanceArn");
            p.identity_store_id = Str(e, "IdentityStoreId");
            p.account = Str(e, "OwnerAccountId");
            p.created = Str(e, "CreatedDate");
        } else {
            p.arn = Str(e, "Arn");
            p.account = AccountOfArn(p.arn);
            p.created = Str(e, "CreateDate");
        }
        if (!p.arn.empty()) out.push_back(std::move(p));
    }
    return out;
}

}  // namespace

Result<std::vector<IdentityProvider>> ReadSamlProviders(const std::string& path) {
    return ReadProviders(path, CliOutput::kSamlProviders, "SAMLProviderList", ProviderKind::kSaml);
}

Result<std::vector<IdentityProvider>> ReadOidcProviders(const std::string& path) {
    return ReadProviders(path, CliOutput::kOidcProviders, "OpenIDConnectProviderList",
                         ProviderKind::kOidc);
}

Result<std::vector<IdentityProvider>> ReadSsoInstances(const std::string& path) {
    return ReadProviders(path, CliOutput::kSsoInstances, "Instances",
                         ProviderKind::kIdentityCenter);
}

Result<std::vector<OrgPolicy>> ReadPolicies(const std::string& path) {
    Doc doc;
    auto kind = Load(path, doc, {CliOutput::kListPolicies, CliOutput::kDescribePolicy});
    if (!kind) return std::unexpected(kind.error());
    auto summary = [](element s) {
        OrgPolicy p;
        p.id = Str(s, "Id");
        p.arn = Str(s, "Arn");
        p.name = Str(s, "Name");
        p.description = Str(s, "Description");
        p.aws_managed = Bool(s, "AwsManaged");
        return p;
    };
    std::vector<OrgPolicy> out;
    if (*kind == CliOutput::kDescribePolicy) {
        element policy = doc.root["Policy"].value_unsafe();
        element s;
        if (policy["PolicySummary"].get(s)) {
            return MakeError(ErrorCode::kCorrupt,
                             path + ": \"Policy\" has no \"PolicySummary\"; skipped");
        }
        OrgPolicy p = summary(s);
        std::string_view content;
        if (!policy["Content"].get_string().get(content)) p.content = std::string(content);
        out.push_back(std::move(p));
        return out;
    }
    auto arr = Array(doc, "Policies", path);
    if (!arr) return std::unexpected(arr.error());
    for (element s : *arr) {
        OrgPolicy p = summary(s);
        if (!p.id.empty()) out.push_back(std::move(p));
    }
    return out;
}

Result<PolicyTargets> ReadPolicyTargets(const std::string& path) {
    Doc doc;
    if (auto k = Load(path, doc, {CliOutput::kPolicyTargets}); !k) {
        return std::unexpected(k.error());
    }
    auto arr = Array(doc, "Targets", path);
    if (!arr) return std::unexpected(arr.error());
    PolicyTargets pt;
    pt.source = path;
    for (element t : *arr) {
        pt.targets.push_back({Str(t, "TargetId"), Str(t, "Arn"), Str(t, "Name"), Str(t, "Type")});
    }
    // The output does not name its policy; a file name such as targets-p-abcd1234.json does.
    const std::string base = std::filesystem::path(path).filename().string();
    for (size_t i = base.find("p-"); i != std::string::npos; i = base.find("p-", i + 1)) {
        if (i != 0 && std::isalnum(static_cast<unsigned char>(base[i - 1]))) continue;
        size_t j = i + 2;
        while (j < base.size() &&
               (std::isalnum(static_cast<unsigned char>(base[j])) || base[j] == '_')) {
            ++j;
        }
        if (j - i >= 10 || base.substr(i, j - i) == "p-FullAWSAccess") {
            pt.policy_id = base.substr(i, j - i);
            break;
        }
    }
    return pt;
}

}  // namespace tw::posture
