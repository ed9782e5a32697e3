// userIdentity renderers.
#include "simulate/identity.h"

#include "simulate/json_buf.h"

namespace tw::simulate {

namespace {

// Appends `"key":"value"` to a std::string (values need no escaping).
void KV(std::string& s, std::string_view k, std::string_view v) {
    s += '"';
    s += k;
    s += "\":\"";
    s += v;
    s += '"';
}

std::string Iso(TimeMs t) {
    JsonBuf b;
    b.IsoTimeRaw(t);
    return std::string(b.view());
}

// "attributes":{"creationDate":"...","mfaAuthenticated":"false"}
void Attributes(std::string& s, TimeMs created, bool mfa) {
    s += "\"attributes\":{";
    KV(s, "creationDate", Iso(created));
    s += ',';
    KV(s, "mfaAuthenticated", mfa ? "true" : "false");
    s += '}';
}

}  // namespace

std::string RoleArn(std::string_view account_id, std::string_view role_path,
                    std::string_view role_name) {
    std::string s = "arn:aws:iam::";
    s += account_id;
    s += ":role/";
    if (!role_path.empty()) {
        s += role_path;
        s += '/';
    }
    s += role_name;
    return s;
}

std::string AssumedRoleArn(std::string_view account_id, std::string_view role_name,
                           std::string_view session_name) {
    std::string s = "arn:aws:sts::";
    s += account_id;
    s += ":assumed-role/";
    s += role_name;
    s += '/';
    s += session_name;
    return s;
}

std::string AssumedRoleIdentity(std::string_view account_id, std::string_view role_name,
                                std::string_view role_id, std::string_view role_path,
                                std::string_view session_name, std::string_view access_key,
                                TimeMs created, std::string_view invoked_by) {
    std::string s;
    s.reserve(700);
    s += '{';
    KV(s, "type", "AssumedRole");
    s += ',';
    KV(s, "principalId", std::string(role_id) + ":" + std::string(session_name));
    s += ',';
    KV(s, "arn", AssumedRoleArn(account_id, role_name, session_name));
    s += ',';
    KV(s, "accountId", account_id);
    s += ',';
    KV(s, "accessKeyId", access_key);
    s += ",\"sessionContext\":{\"sessionIssuer\":{";
    KV(s, "type", "Role");
    s += ',';
    KV(s, "principalId", role_id);
    s += ',';
    KV(s, "arn", RoleArn(account_id, role_path, role_name));
    s += ',';
    KV(s, "accountId", account_id);
    s += ',';
    KV(s, "userName", role_name);
    s += "},\"webIdFederationData\":{},";
    Attributes(s, created, false);
    s += '}';
    if (!invoked_by.empty()) {
        s += ',';
        KV(s, "invokedBy", invoked_by);
    }
    s += '}';
    return s;
}

std::string IamUserIdentity(std::string_view account_id, std::string_view user_name,
                            std::string_view user_id, std::string_view access_key,
                            TimeMs console_created) {
    std::string s;
    s.reserve(400);
    s += '{';
    KV(s, "type", "IAMUser");
    s += ',';
    KV(s, "principalId", user_id);
    s += ',';
    KV(s, "arn", "arn:aws:iam::" + std::string(account_id) + ":user/" + std::string(user_name));
    s += ',';
    KV(s, "accountId", account_id);
    s += ',';
    KV(s, "accessKeyId", access_key);
    s += ',';
    KV(s, "userName", user_name);
    if (console_created != 0) {
        s += ",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},";
        Attributes(s, console_created, true);
        s += '}';
    }
    s += '}';
    return s;
}

std::string AwsServiceIdentity(std::string_view service) {
    std::string s = "{";
    KV(s, "type", "AWSService");
    s += ',';
    KV(s, "invokedBy", service);
    s += '}';
    return s;
}

std::string FederatedUserIdentity(std::string_view account_id, std::string_view name,
                                  std::string_view access_key, std::string_view issuer_name,
                                  std::string_view issuer_id, TimeMs created) {
    std::string s = "{";
    KV(s, "type", "FederatedUser");
    s += ',';
    KV(s, "principalId", std::string(account_id) + ":" + std::string(name));
    s += ',';
    KV(s, "arn",
       "arn:aws:sts::" + std::string(account_id) + ":federated-user/" + std::string(name));
    s += ',';
    KV(s, "accountId", account_id);
    s += ',';
    KV(s, "accessKeyId", access_key);
    s += ",\"sessionContext\":{\"sessionIssuer\":{";
    KV(s, "type", "IAMUser");
    s += ',';
    KV(s, "principalId", issuer_id);
    s += ',';
    KV(s, "arn", "arn:aws:iam::" + std::string(account_id) + ":user/" + std::string(issuer_name));
    s += ',';
    KV(s, "accountId", account_id);
    s += ',';
    KV(s, "userName", issuer_name);
    s += "},\"webIdFederationData\":{},";
    Attributes(s, created, false);
    s += "}}";
    return s;
}

std::string SamlUserIdentity(std::string_view name_qualifier, std::string_view user_name) {
    std::string s = "{";
    KV(s, "type", "SAMLUser");
    s += ',';
    KV(s, "principalId", std::string(name_qualifier) + ":" + std::string(user_name));
    s += ',';
    KV(s, "userName", user_name);
    s += ',';
    KV(s, "identityProvider", name_qualifier);
    s += '}';
    return s;
}

bool IdentityCenterNewShape(TimeMs when) {
    return when >= 1752451200000;  // 2025-07-14T00:00:00Z
}

std::string IdentityCenterUserIdentity(std::string_view management_account,
                                       std::string_view user_name, std::string_view user_id,
                                       std::string_view identity_store_arn,
                                       std::string_view credential_id, TimeMs when) {
    std::string s = "{";
    if (IdentityCenterNewShape(when)) {
        KV(s, "type", "IdentityCenterUser");
        s += ',';
        KV(s, "accountId", management_account);
    } else {
        KV(s, "type", "Unknown");
        s += ',';
        KV(s, "principalId", management_account);
        s += ",\"arn\":\"\",";
        KV(s, "accountId", management_account);
        s += ",\"accessKeyId\":\"\",";
        KV(s, "userName", user_name);
    }
    s += ",\"onBehalfOf\":{";
    KV(s, "userId", user_id);
    s += ',';
    KV(s, "identityStoreArn", identity_store_arn);
    s += "},";
    KV(s, "credentialId", credential_id);
    s += '}';
    return s;
}

}  // namespace tw::simulate
