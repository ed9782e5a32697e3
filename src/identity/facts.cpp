#include "identity/facts.h"

#include <algorithm>

#include "core/strings.h"
#include "identity/arn.h"

namespace tw::identity {

namespace {

using event::FieldId;

constexpr std::string_view kHiddenName = "HIDDEN_DUE_TO_SECURITY_REASONS";
constexpr std::string_view kSsoRoleMarker = ":assumed-role/AWSReservedSSO_";

bool IsIcType(std::string_view type) { return type == "IdentityCenterUser" || type == "Unknown"; }

}  // namespace

IdentityFields::IdentityFields(event::FieldCatalog& c) {
    for (FieldId id :
         {event::kEventTime, event::kEventName, event::kEventSource, event::kEventId,
          event::kAwsRegion, event::kSourceIp, event::kRecipientAccountId, event::kErrorCode,
          event::kUidType, event::kUidArn, event::kUidAccountId, event::kUidAccessKeyId,
          event::kUidPrincipalId, event::kUidUserName, event::kUidInvokedBy, event::kIssuerArn,
          event::kSourceIdentity, event::kOnBehalfOfUserId, event::kIdentityStoreArn}) {
        c.Request(id);
    }
    rp_role_arn = c.Intern("requestParameters.roleArn");
    rp_role_session_name = c.Intern("requestParameters.roleSessionName");
    rp_principal_arn = c.Intern("requestParameters.principalArn");
    rp_source_identity = c.Intern("requestParameters.sourceIdentity");
    rp_name = c.Intern("requestParameters.name");
    rp_user_name = c.Intern("requestParameters.userName");
    rp_identity_store_id = c.Intern("requestParameters.identityStoreId");
    rp_target_id = c.Intern("requestParameters.targetId");
    rp_principal_type = c.Intern("requestParameters.principalType");
    rp_principal_id = c.Intern("requestParameters.principalId");
    rp_permission_set_arn = c.Intern("requestParameters.permissionSetArn");
    rp_group_id = c.Intern("requestParameters.groupId");
    rp_member_id = c.Intern("requestParameters.member.memberId");
    rp_account_id = c.Intern("requestParameters.accountId");
    rp_role_name = c.Intern("requestParameters.roleName");
    rp_url = c.Intern("requestParameters.url");
    rp_resource_id = c.Intern("requestParameters.id");
    rp_patch_op = c.Intern("requestParameters.httpBody.operations.op");
    rp_patch_path = c.Intern("requestParameters.httpBody.operations.path");
    re_key = c.Intern("responseElements.credentials.accessKeyId");
    re_assumed_arn = c.Intern("responseElements.assumedRoleUser.arn");
    re_federated_arn = c.Intern("responseElements.federatedUser.arn");
    re_access_key_id = c.Intern("responseElements.accessKey.accessKeyId");
    re_access_key_user = c.Intern("responseElements.accessKey.userName");
    re_user_id = c.Intern("responseElements.user.userId");
    re_user_id_flat = c.Intern("responseElements.userId");
    re_user_name = c.Intern("responseElements.user.userName");
    re_subject = c.Intern("responseElements.subject");
    re_web_subject = c.Intern("responseElements.subjectFromWebIdentityToken");
    re_provider = c.Intern("responseElements.provider");
    re_source_identity = c.Intern("responseElements.sourceIdentity");
    re_saml_provider_arn = c.Intern("responseElements.sAMLProviderArn");
    re_oidc_provider_arn = c.Intern("responseElements.openIDConnectProviderArn");
    re_console_login = c.Intern("responseElements.ConsoleLogin");
    re_name_qualifier = c.Intern("responseElements.nameQualifier");
    re_permission_set_arn = c.Intern("responseElements.permissionSet.permissionSetArn");
    re_resource_id = c.Intern("responseElements.id");
    sed_account_id = c.Intern("serviceEventDetails.account_id");
    sed_role_name = c.Intern("serviceEventDetails.role_name");
    aed_user_name = c.Intern("additionalEventData.UserName");
    uid_identity_provider = c.Intern("userIdentity.identityProvider");
    session_from_console = c.Intern("sessionCredentialFromConsole");
    uid_credential_id = c.Intern("userIdentity.credentialId");
}

const char* FactKindName(FactKind k) {
    switch (k) {
        case FactKind::kAssumeRole:
            return "AssumeRole";
        case FactKind::kAssumeRoleWithSaml:
            return "AssumeRoleWithSAML";
        case FactKind::kAssumeRoleWithWebIdentity:
            return "AssumeRoleWithWebIdentity";
        case FactKind::kGetSessionToken:
            return "GetSessionToken";
        case FactKind::kGetFederationToken:
            return "GetFederationToken";
        case FactKind::kCreateAccessKey:
            return "CreateAccessKey";
        case FactKind::kCreateLoginProfile:
            return "CreateLoginProfile";
        case FactKind::kUpdateLoginProfile:
            return "UpdateLoginProfile";
        case FactKind::kConsoleLogin:
            return "ConsoleLogin";
        case FactKind::kIcCreateUser:
            return "CreateUser";
        case FactKind::kIcSignIn:
            return "IdentityCenterSignIn";
        case FactKind::kIcFederate:
            return "Federate";
        case FactKind::kCreateAccountAssignment:
            return "CreateAccountAssignment";
        case FactKind::kCreatePermissionSet:
            return "CreatePermissionSet";
        case FactKind::kAddMemberToGroup:
            return "AddMemberToGroup";
        case FactKind::kScimAddMember:
            return "ScimAddMember";
        case FactKind::kCreateIdentityProvider:
            return "CreateIdentityProvider";
        case FactKind::kSeenSsoSession:
            return "SeenSsoSession";
        case FactKind::kSeenSourceIdentity:
            return "SeenSourceIdentity";
        case FactKind::kSeenWatched:
            return "SeenWatched";
    }
    return "?";
}

std::string_view CallerKey(const event::EventView& ev, const IdentityFields& f) {
    const std::string_view key = ev.Str(event::kUidAccessKeyId);
    if (!key.empty()) return key;
    return IsIcType(ev.Str(event::kUidType)) ? ev.Str(f.uid_credential_id) : std::string_view();
}

CallerRef ReadCaller(const event::EventView& ev, const IdentityFields& f, StringPool& pool) {
    CallerRef c;
    const std::string_view type = ev.Str(event::kUidType);
    c.type = pool.Intern(type);
    c.arn = pool.Intern(ev.Str(event::kUidArn));
    c.key = pool.Intern(CallerKey(ev, f));
    c.principal_id = pool.Intern(ev.Str(event::kUidPrincipalId));
    c.account_id = pool.Intern(ev.Text(event::kUidAccountId));
    std::string_view name = ev.Str(event::kUidUserName);
    if (IsIcType(type)) {
        const std::string_view signin_name = ev.Str(f.aed_user_name);
        if (!signin_name.empty()) name = signin_name;
    }
    if (name == kHiddenName) name = {};
    c.user_name = pool.Intern(name);
    c.invoked_by = pool.Intern(ev.Str(event::kUidInvokedBy));
    c.issuer_arn = pool.Intern(ev.Str(event::kIssuerArn));
    c.source_identity = pool.Intern(ev.Str(event::kSourceIdentity));
    c.ic_user_id = pool.Intern(ev.Str(event::kOnBehalfOfUserId));
    const std::string_view store_arn = ev.Str(event::kIdentityStoreArn);
    c.ic_store = pool.Intern(store_arn.empty() ? std::string_view() : AfterLastSlash(store_arn));
    c.idp = pool.Intern(ev.Str(f.uid_identity_provider));
    return c;
}

void CanonicalIdentity(std::string_view type, std::string_view arn, std::string_view account,
                       std::string_view user_name, std::string_view principal_id,
                       std::string_view invoked_by, std::string_view ic_store,
                       std::string_view ic_user_id, std::string_view idp, std::string& out) {
    out.clear();
    if (type.empty() && !arn.empty()) {
        // Partial records: infer the type from the ARN.
        if (arn.find(":user/") != std::string_view::npos)
            type = "IAMUser";
        else if (arn.find(":assumed-role/") != std::string_view::npos)
            type = "AssumedRole";
        else if (arn.find(":federated-user/") != std::string_view::npos)
            type = "FederatedUser";
        else if (arn.ends_with(":root"))
            type = "Root";
    }
    if (type == "IAMUser") {
        std::string_view acct = account.empty() ? ArnField(arn, 4) : account;
        std::string_view name = user_name.empty() ? AfterLastSlash(arn) : user_name;
        if (acct.empty() && !arn.empty()) acct = ArnField(arn, 4);
        if (name.empty()) return;
        out.append("user:").append(acct).append(":");
        AppendLower(out, name);
    } else if (type == "AssumedRole" || type == "FederatedUser") {
        if (arn.empty()) return;
        out.append("arn:").append(arn);
    } else if (type == "Root") {
        std::string_view acct = account.empty() ? ArnField(arn, 4) : account;
        if (acct.empty()) return;
        out.append("root:").append(acct);
    } else if (type == "AWSService") {
        if (invoked_by.empty()) return;
        out.append("svc:").append(invoked_by);
    } else if (IsIcType(type)) {
        if (!ic_user_id.empty()) {
            out.append("ic:").append(ic_user_id);
        } else if (!user_name.empty()) {
            out.append("icname:");
            AppendLower(out, user_name);
        }
    } else if (type == "SAMLUser" || type == "WebIdentityUser") {
        if (user_name.empty()) return;
        out.append(type == "SAMLUser" ? "saml:" : "web:").append(idp).append(":").append(user_name);
    } else if (type == "AWSAccount") {
        if (!principal_id.empty()) out.append("pid:").append(principal_id);
    }
}

bool IsSsoServiceCall(std::string_view type, std::string_view arn, std::string_view invoked_by) {
    if (type == "AssumedRole") {
        return arn.find(":assumed-role/AWSServiceRoleForSSO/") != std::string_view::npos;
    }
    return type == "AWSService" && invoked_by == "sso.amazonaws.com";
}

uint32_t FingerprintHash(std::string_view s) {
    // FNV-1a 64, folded.
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return static_cast<uint32_t>(h ^ (h >> 32));
}

FactCollector::FactCollector(const IdentityFields& fields, const std::vector<std::string>& watch,
                             bool fingerprints, uint16_t worker)
    : f_(fields), fingerprints_on_(fingerprints), worker_(worker) {
    for (const std::string& w : watch) {
        if (!w.empty()) watch_.push_back(Prepare(w));
    }
}

void FactCollector::BeginFile(uint32_t file_index) {
    file_ = file_index;
    ++visit_;
    file_hashes_.clear();
}

void FactCollector::EndFile(uint32_t file_index) {
    if (!fingerprints_on_ || file_hashes_.empty()) return;
    std::sort(file_hashes_.begin(), file_hashes_.end());
    file_hashes_.erase(std::unique(file_hashes_.begin(), file_hashes_.end()), file_hashes_.end());
    fp_files_.push_back(
        {file_index, static_cast<uint32_t>(file_hashes_.size()), fp_hashes_.size()});
    fp_hashes_.insert(fp_hashes_.end(), file_hashes_.begin(), file_hashes_.end());
    file_hashes_.clear();
}

size_t FactCollector::FingerprintHashes(const event::EventView& ev, uint32_t* out) {
    size_t n = 0;
    const std::string_view type = ev.Str(event::kUidType);
    std::string_view name = ev.Str(event::kUidUserName);
    if (IsIcType(type)) {
        const std::string_view signin_name = ev.Str(f_.aed_user_name);
        if (!signin_name.empty()) name = signin_name;
    }
    const std::string_view store_arn = ev.Str(event::kIdentityStoreArn);
    CanonicalIdentity(type, ev.Str(event::kUidArn), ev.Text(event::kUidAccountId), name,
                      ev.Str(event::kUidPrincipalId), ev.Str(event::kUidInvokedBy),
                      store_arn.empty() ? std::string_view() : AfterLastSlash(store_arn),
                      ev.Str(event::kOnBehalfOfUserId), ev.Str(f_.uid_identity_provider), scratch_);
    if (!scratch_.empty()) out[n++] = FingerprintHash(scratch_);
    const std::string_view key = CallerKey(ev, f_);
    if (!key.empty()) {
        scratch_.assign("key:").append(key);
        out[n++] = FingerprintHash(scratch_);
    }
    const std::string_view si = ev.Str(event::kSourceIdentity);
    if (!si.empty()) {
        scratch_.assign("si:").append(si);
        out[n++] = FingerprintHash(scratch_);
    }
    if (IsSsoServiceCall(type, ev.Str(event::kUidArn), ev.Str(event::kUidInvokedBy))) {
        scratch_.assign("ssoprov:").append(ev.account());
        out[n++] = FingerprintHash(scratch_);
    }
    return n;
}

void FactCollector::Fingerprint(const event::EventView& ev, uint32_t context) {
    if (context == UINT32_MAX) {
        uint32_t h[4];
        const size_t n = FingerprintHashes(ev, h);
        file_hashes_.insert(file_hashes_.end(), h, h + n);
        return;
    }
    // The hashes read only context fields (userIdentity, additionalEventData.UserName,
    // recipientAccountId), and a file keeps each hash once: add a context's once per file.
    if (context >= contexts_.size()) contexts_.resize(context + 1);
    ContextFingerprint& c = contexts_[context];
    if (c.count == UINT32_MAX) c.count = static_cast<uint32_t>(FingerprintHashes(ev, c.hashes));
    if (c.visit == visit_) return;
    c.visit = visit_;
    file_hashes_.insert(file_hashes_.end(), c.hashes, c.hashes + c.count);
}

FactCollector::Watched FactCollector::Prepare(const std::string& w) {
    Watched p;
    p.text = w;
    AppendLower(p.lower, w);
    if (w.starts_with("arn:") && w.find(":role/") != std::string::npos) {
        p.role_name = std::string(AfterLastSlash(w));
        p.role_account = std::string(ArnField(w, 4));
    }
    return p;
}

template <typename Make>
void FactCollector::Watch(const event::EventView& ev, std::string_view type, const Make& make) {
    const std::string_view arn = ev.Str(event::kUidArn);
    const std::string_view issuer = ev.Str(event::kIssuerArn);
    const std::string_view exact[] = {ev.Str(event::kSourceIp),
                                      CallerKey(ev, f_),
                                      arn,
                                      issuer,
                                      ev.Str(event::kUidPrincipalId),
                                      ev.Str(event::kOnBehalfOfUserId)};
    std::string_view session;
    if (type == "AssumedRole" || type == "FederatedUser") session = AfterLastSlash(arn);
    const std::string_view names[] = {ev.Str(event::kUidUserName), ev.Str(f_.aed_user_name),
                                      session, ev.Str(event::kSourceIdentity)};
    for (const Watched& w : watch_) {
        bool hit = false;
        for (std::string_view v : exact) hit = hit || (!v.empty() && v == w.text);
        for (std::string_view v : names) hit = hit || (!v.empty() && EqualsFold(v, w.lower));
        if (!hit && !w.role_name.empty() && !issuer.empty()) {
            hit = AfterLastSlash(issuer) == w.role_name && ArnField(issuer, 4) == w.role_account;
        }
        if (!hit) continue;
        Fact f = make(FactKind::kSeenWatched);
        f.p[kPName] = pool_.Intern(w.text);
        // One fact per watched value and credential (key, else identity).
        scratch_.assign(w.text).append("|").append(CallerKey(ev, f_)).append("|");
        scratch_.append(arn).append("|").append(type).append("|");
        scratch_.append(ev.Str(event::kOnBehalfOfUserId)).append("|");
        scratch_.append(pool_.Get(f.caller.user_name));
        See(watched_, pool_.Intern(scratch_), f);
    }
}

void FactCollector::See(std::unordered_map<StrId, First>& map, StrId key, const Fact& f) {
    auto it = map.find(key);
    if (it != map.end()) {
        const First& cur = it->second;
        if (cur.time < f.time) return;
        if (cur.time == f.time && pool_.Get(cur.event_id) <= pool_.Get(f.event_id)) return;
    }
    map[key] = First{f.time, f.event_id, f};
}

namespace {

bool SourceIs(std::string_view source, std::string_view service) {
    return source.size() == service.size() + 14 && source.starts_with(service) &&
           source.ends_with(".amazonaws.com");
}

}  // namespace

void FactCollector::OnEvent(const event::EventView& ev) { OnEvent(ev, UINT32_MAX); }

void FactCollector::OnEvent(const event::EventView& ev, uint32_t context) {
    if (fingerprints_on_) Fingerprint(ev, context);
    const std::string_view source = ev.Str(event::kEventSource);
    const std::string_view name = ev.Str(event::kEventName);
    const std::string_view type = ev.Str(event::kUidType);
    const bool failed = ev.failed();

    auto make = [&](FactKind kind) {
        Fact f;
        f.kind = kind;
        f.worker = worker_;
        f.time = ev.time();
        f.event_id = pool_.Intern(ev.Str(event::kEventId));
        f.event_name = pool_.Intern(name);
        f.account = pool_.Intern(ev.account());
        f.ip = pool_.Intern(ev.Str(event::kSourceIp));
        f.caller = ReadCaller(ev, f_, pool_);
        return f;
    };
    auto str = [&](FieldId id) { return pool_.Intern(ev.Str(id)); };

    // First sightings, for every event.
    if (type == "AssumedRole") {
        const std::string_view arn = ev.Str(event::kUidArn);
        // The arn belongs to the context: search it once per context.
        bool sso_role;
        if (context != UINT32_MAX) {
            if (context >= contexts_.size()) contexts_.resize(context + 1);
            int8_t& known = contexts_[context].sso_role;
            if (known < 0) known = arn.find(kSsoRoleMarker) != std::string_view::npos ? 1 : 0;
            sso_role = known == 1;
        } else {
            sso_role = arn.find(kSsoRoleMarker) != std::string_view::npos;
        }
        if (sso_role) {
            const StrId k = pool_.Find(arn);
            auto it = k == kNoStr ? sso_sessions_.end() : sso_sessions_.find(k);
            if (it == sso_sessions_.end() || ev.time() <= it->second.time) {
                See(sso_sessions_, pool_.Intern(arn), make(FactKind::kSeenSsoSession));
            }
        }
    }
    const std::string_view si = ev.Str(event::kSourceIdentity);
    if (!si.empty()) {
        const StrId k = pool_.Find(si);
        auto it = k == kNoStr ? source_identities_.end() : source_identities_.find(k);
        if (it == source_identities_.end() || ev.time() <= it->second.time) {
            See(source_identities_, pool_.Intern(si), make(FactKind::kSeenSourceIdentity));
        }
    }
    if (!watch_.empty()) Watch(ev, type, make);

    // Identity events.
    if (SourceIs(source, "sts")) {
        if (failed) return;
        FactKind kind;
        if (name == "AssumeRole")
            kind = FactKind::kAssumeRole;
        else if (name == "AssumeRoleWithSAML")
            kind = FactKind::kAssumeRoleWithSaml;
        else if (name == "AssumeRoleWithWebIdentity")
            kind = FactKind::kAssumeRoleWithWebIdentity;
        else if (name == "GetSessionToken")
            kind = FactKind::kGetSessionToken;
        else if (name == "GetFederationToken")
            kind = FactKind::kGetFederationToken;
        else
            return;
        Fact f = make(kind);
        f.p[kPKey] = str(f_.re_key);
        if (f.p[kPKey] == kEmptyStr) return;  // no credentials issued (or not recorded)
        f.p[kPArn] =
            str(kind == FactKind::kGetFederationToken ? f_.re_federated_arn : f_.re_assumed_arn);
        f.p[kPRoleArn] = str(f_.rp_role_arn);
        f.p[kPExtra] = str(f_.rp_source_identity);
        if (f.p[kPExtra] == kEmptyStr) f.p[kPExtra] = str(f_.re_source_identity);
        if (kind == FactKind::kAssumeRoleWithSaml) {
            f.p[kPProvider] = str(f_.rp_principal_arn);
            f.p[kPName] = str(f_.re_subject);
            if (f.p[kPName] == kEmptyStr) f.p[kPName] = f.caller.user_name;
        } else if (kind == FactKind::kAssumeRoleWithWebIdentity) {
            f.p[kPProvider] = str(f_.re_provider);
            if (f.p[kPProvider] == kEmptyStr) f.p[kPProvider] = f.caller.idp;
            f.p[kPName] = str(f_.re_web_subject);
            if (f.p[kPName] == kEmptyStr) f.p[kPName] = f.caller.user_name;
        } else if (kind == FactKind::kGetFederationToken) {
            f.p[kPName] = str(f_.rp_name);
        }
        facts_.push_back(f);
        return;
    }
    if (SourceIs(source, "iam")) {
        if (failed) return;
        if (name == "CreateAccessKey") {
            Fact f = make(FactKind::kCreateAccessKey);
            f.p[kPKey] = str(f_.re_access_key_id);
            if (f.p[kPKey] == kEmptyStr) return;
            f.p[kPName] = str(f_.re_access_key_user);
            if (f.p[kPName] == kEmptyStr) f.p[kPName] = str(f_.rp_user_name);
            facts_.push_back(f);
        } else if (name == "CreateLoginProfile" || name == "UpdateLoginProfile") {
            Fact f = make(name == "CreateLoginProfile" ? FactKind::kCreateLoginProfile
                                                       : FactKind::kUpdateLoginProfile);
            f.p[kPName] = str(f_.rp_user_name);
            facts_.push_back(f);
        } else if (name == "CreateSAMLProvider" || name == "CreateOpenIDConnectProvider") {
            Fact f = make(FactKind::kCreateIdentityProvider);
            const bool saml = name == "CreateSAMLProvider";
            f.p[kPArn] = str(saml ? f_.re_saml_provider_arn : f_.re_oidc_provider_arn);
            f.p[kPName] = str(saml ? f_.rp_name : f_.rp_url);
            f.p[kPExtra] = pool_.Intern(saml ? "saml" : "oidc");
            facts_.push_back(f);
        }
        return;
    }
    if (name == "Federate" && (SourceIs(source, "sso") || SourceIs(source, "signin")) && !failed) {
        Fact f = make(FactKind::kIcFederate);
        f.p[kPArn] = str(f_.sed_account_id);
        if (f.p[kPArn] == kEmptyStr) f.p[kPArn] = str(f_.rp_account_id);
        f.p[kPName] = str(f_.sed_role_name);
        if (f.p[kPName] == kEmptyStr) f.p[kPName] = str(f_.rp_role_name);
        facts_.push_back(f);
        return;
    }
    if (SourceIs(source, "signin") && name == "ConsoleLogin") {
        if (type != "IAMUser" || ev.Str(f_.re_console_login) != "Success") return;
        facts_.push_back(make(FactKind::kConsoleLogin));
        return;
    }
    // SCIM provisioning by an external IdP: the new user's id is in the response (its name is
    // hidden); a group patch that adds members does not say which.
    if (SourceIs(source, "identitystore-scim")) {
        if (failed) return;
        if (name == "CreateUser") {
            Fact f = make(FactKind::kIcCreateUser);
            f.p[kPKey] = str(f_.re_resource_id);
            f.p[kPExtra] = pool_.Intern("scim");
            if (f.p[kPKey] != kEmptyStr) facts_.push_back(f);
        } else if (name == "PatchGroup") {
            bool add = false, members = false;
            for (const event::Value& v : ev.Values(f_.rp_patch_op))
                add = add || EqualsFold(v.text, "add");
            for (const event::Value& v : ev.Values(f_.rp_patch_path)) {
                members = members || EqualsFold(v.text, "members");
            }
            Fact f = make(FactKind::kScimAddMember);
            f.p[kPArn] = str(f_.rp_resource_id);
            if (add && members && f.p[kPArn] != kEmptyStr) facts_.push_back(f);
        }
        return;
    }
    const bool sso = SourceIs(source, "sso");
    if ((sso || SourceIs(source, "sso-directory") || SourceIs(source, "identitystore")) &&
        !failed) {
        if (name == "CreateUser" && !sso) {
            Fact f = make(FactKind::kIcCreateUser);
            f.p[kPArn] = str(f_.rp_identity_store_id);
            f.p[kPKey] = str(f_.re_user_id);
            if (f.p[kPKey] == kEmptyStr) f.p[kPKey] = str(f_.re_user_id_flat);
            if (f.p[kPKey] == kEmptyStr) return;
            std::string_view uname = ev.Str(f_.re_user_name);
            if (uname.empty()) uname = ev.Str(f_.rp_user_name);
            if (uname == kHiddenName) uname = {};
            f.p[kPName] = pool_.Intern(uname);
            facts_.push_back(f);
            return;
        }
        if (sso && name == "CreatePermissionSet") {
            Fact f = make(FactKind::kCreatePermissionSet);
            f.p[kPName] = str(f_.rp_name);
            f.p[kPArn] = str(f_.re_permission_set_arn);
            if (f.p[kPName] != kEmptyStr && f.p[kPArn] != kEmptyStr) facts_.push_back(f);
            return;
        }
        if (name == "CreateAccountAssignment" || name == "ProvisionPermissionSet") {
            Fact f = make(FactKind::kCreateAccountAssignment);
            f.p[kPArn] = str(f_.rp_target_id);
            f.p[kPKey] = str(f_.rp_principal_type);
            f.p[kPExtra] = str(f_.rp_principal_id);
            f.p[kPProvider] = str(f_.rp_permission_set_arn);
            facts_.push_back(f);
            return;
        }
        if (name == "AddMemberToGroup" || name == "CreateGroupMembership") {
            Fact f = make(FactKind::kAddMemberToGroup);
            f.p[kPArn] = str(f_.rp_group_id);
            f.p[kPKey] = str(f_.rp_member_id);
            f.p[kPExtra] = str(f_.rp_identity_store_id);
            if (f.p[kPArn] != kEmptyStr && f.p[kPKey] != kEmptyStr) facts_.push_back(f);
            return;
        }
        if (sso && name == "GetRoleCredentials") {
            Fact f = make(FactKind::kIcFederate);
            f.p[kPArn] = str(f_.sed_account_id);
            if (f.p[kPArn] == kEmptyStr) f.p[kPArn] = str(f_.rp_account_id);
            f.p[kPName] = str(f_.sed_role_name);
            if (f.p[kPName] == kEmptyStr) f.p[kPName] = str(f_.rp_role_name);
            facts_.push_back(f);
            return;
        }
    }
    // Events made by an Identity Center user: learn who it is (id, store, name).
    if (IsIcType(type) && !failed) {
        const std::string_view id = ev.Str(event::kOnBehalfOfUserId);
        std::string_view uname = ev.Str(f_.aed_user_name);
        if (uname.empty()) uname = ev.Str(event::kUidUserName);
        if (uname == kHiddenName) uname = {};
        if (id.empty() && uname.empty()) return;
        if (type == "Unknown" && !SourceIs(source, "signin") && !sso) return;
        scratch_.assign(ev.Str(event::kIdentityStoreArn)).append("|").append(id).append("|");
        scratch_.append(uname);
        Fact f = make(FactKind::kIcSignIn);
        See(sso_signins_, pool_.Intern(scratch_), f);
    }
}

void FactCollector::Finish() {
    for (auto* map : {&sso_sessions_, &source_identities_, &watched_, &sso_signins_}) {
        for (auto& [k, first] : *map) facts_.push_back(first.fact);
        map->clear();
    }
}

size_t FactCollector::bytes() const {
    size_t n = pool_.bytes() + facts_.capacity() * sizeof(Fact);
    n += fp_hashes_.capacity() * sizeof(uint32_t) + fp_files_.capacity() * sizeof(FileSpan);
    return n;
}

void FactCollector::DropFingerprints() {
    std::vector<uint32_t>().swap(fp_hashes_);
    std::vector<FileSpan>().swap(fp_files_);
}

FileFingerprints::FileFingerprints(size_t file_count,
                                   const std::vector<const FactCollector*>& collectors)
    : begin_(file_count + 1, 0) {
    for (const FactCollector* c : collectors) {
        for (const auto& s : c->fingerprint_files()) {
            if (s.file < file_count) begin_[s.file + 1] += s.count;
        }
    }
    for (size_t i = 0; i < file_count; ++i) begin_[i + 1] += begin_[i];
    hashes_.resize(begin_[file_count]);
    for (const FactCollector* c : collectors) {
        const std::vector<uint32_t>& h = c->fingerprint_hashes();
        for (const auto& s : c->fingerprint_files()) {
            if (s.file >= file_count) continue;
            std::copy(h.begin() + static_cast<std::ptrdiff_t>(s.begin),
                      h.begin() + static_cast<std::ptrdiff_t>(s.begin + s.count),
                      hashes_.begin() + static_cast<std::ptrdiff_t>(begin_[s.file]));
        }
    }
}

bool FileFingerprints::Meets(size_t file, const std::vector<uint32_t>& wanted) const {
    if (file + 1 >= begin_.size()) return false;
    // A file holds a few hashes; the closure may want thousands: look each one up.
    for (size_t i = begin_[file]; i < begin_[file + 1]; ++i) {
        if (std::binary_search(wanted.begin(), wanted.end(), hashes_[i])) return true;
    }
    return false;
}

}  // namespace tw::identity
