#include "identity/test_support.h"

#include <cctype>
#include <cstdio>

#include "core/diagnostics.h"
#include "ingest/pipeline.h"
#include "testing/test_util.h"

namespace tw::identity::fixture {

namespace {
std::string_view AfterLastSlashView(std::string_view s) {
    const size_t p = s.rfind('/');
    return p == std::string_view::npos ? s : s.substr(p + 1);
}
}  // namespace

namespace {

class CollectSink final : public ingest::Sink {
  public:
    explicit CollectSink(FactCollector* c) : c_(c) {}
    void BeginFile(uint32_t i) override { c_->BeginFile(i); }
    void OnEvent(const event::EventView& ev) override { c_->OnEvent(ev); }
    void EndFile(uint32_t i) override { c_->EndFile(i); }

  private:
    FactCollector* c_;
};

}  // namespace

Graph BuildGraphFromFiles(const std::vector<std::string>& paths, unsigned threads) {
    std::vector<ingest::InputFile> inputs;
    for (const std::string& p : paths) inputs.push_back({p, true});
    event::FieldCatalog catalog;
    GraphBuilder builder(catalog);
    ingest::IngestOptions opt;
    opt.threads = threads;
    Diagnostics diag(nullptr);
    (void)ingest::RunIngest(
        inputs, catalog, opt,
        [&](unsigned) { return std::make_unique<CollectSink>(builder.NewCollector()); }, diag);
    return builder.Build();
}

Graph BuildGraph(const std::vector<std::vector<std::string>>& files, unsigned threads) {
    tw::testing::TempDir dir;
    std::vector<std::string> paths;
    for (size_t i = 0; i < files.size(); ++i) {
        std::string doc = "{\"Records\": [";
        for (size_t j = 0; j < files[i].size(); ++j) {
            if (j != 0) doc += ",\n";
            doc += files[i][j];
        }
        doc += "]}";
        char name[32];
        std::snprintf(name, sizeof name, "f%03zu.json", i);
        paths.push_back(dir.Write(name, doc));
    }
    return BuildGraphFromFiles(paths, threads);
}

std::string ChainText(const Graph& g, const Chain& chain) {
    std::string s;
    for (const Chain::Hop& h : chain.hops) {
        if (!s.empty()) s += " > ";
        s += g.Label(h.node);
    }
    return s;
}

std::string IamUserId(std::string_view acct, std::string_view name, std::string_view key) {
    std::string pid = "AIDA" + std::string(name);
    for (char& ch : pid) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return R"({"type": "IAMUser", "principalId": ")" + pid.substr(0, 21) +
           R"(", "arn": "arn:aws:iam::)" + std::string(acct) + ":user/" + std::string(name) +
           R"(", "accountId": ")" + std::string(acct) + R"(", "accessKeyId": ")" +
           std::string(key) + R"(", "userName": ")" + std::string(name) + R"("})";
}

std::string RootId(std::string_view acct, std::string_view key) {
    return R"({"type": "Root", "principalId": ")" + std::string(acct) +
           R"(", "arn": "arn:aws:iam::)" + std::string(acct) + R"(:root", "accountId": ")" +
           std::string(acct) + R"(", "accessKeyId": ")" + std::string(key) + R"("})";
}

namespace {

std::string SessionIdWithPath(std::string_view acct, std::string_view role_path,
                              std::string_view role, std::string_view session, std::string_view key,
                              std::string_view source_identity) {
    const std::string a(acct), r(role), s(session);
    std::string si;
    if (!source_identity.empty()) {
        si = R"(, "sourceIdentity": ")" + std::string(source_identity) + R"(")";
    }
    return R"({"type": "AssumedRole", "principalId": "AROAEXAMPLEROLEID1234:)" + s +
           R"(", "arn": "arn:aws:sts::)" + a + ":assumed-role/" + r + "/" + s +
           R"(", "accountId": ")" + a + R"(", "accessKeyId": ")" + std::string(key) +
           R"(", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID1234", "arn": "arn:aws:iam::)" +
           a + ":role/" + std::string(role_path) + r + R"(", "accountId": ")" + a +
           R"(", "userName": ")" + r +
           R"("}, "webIdFederationData": {}, "attributes": {"creationDate": "2024-06-20T20:00:00Z", "mfaAuthenticated": "false"})" +
           si + "}}";
}

int next_event = 0;

}  // namespace

std::string SessionId(std::string_view acct, std::string_view role, std::string_view session,
                      std::string_view key, std::string_view source_identity) {
    return SessionIdWithPath(acct, "", role, session, key, source_identity);
}

std::string SsoSessionId(std::string_view acct, std::string_view permission_set,
                         std::string_view user, std::string_view key) {
    const std::string role = "AWSReservedSSO_" + std::string(permission_set) + "_5e1a2b3c4d5e6f70";
    return SessionIdWithPath(acct, "aws-reserved/sso.amazonaws.com/", role, user, key, {});
}

std::string FederatedId(std::string_view acct, std::string_view name, std::string_view key,
                        std::string_view issuer_user) {
    const std::string a(acct);
    return R"({"type": "FederatedUser", "principalId": ")" + a + ":" + std::string(name) +
           R"(", "arn": "arn:aws:sts::)" + a + ":federated-user/" + std::string(name) +
           R"(", "accountId": ")" + a + R"(", "accessKeyId": ")" + std::string(key) +
           R"(", "sessionContext": {"sessionIssuer": {"type": "IAMUser", "principalId": "AIDAEXAMPLEISSUER123", "arn": "arn:aws:iam::)" +
           a + ":user/" + std::string(issuer_user) + R"(", "accountId": ")" + a +
           R"(", "userName": ")" + std::string(issuer_user) +
           R"("}, "webIdFederationData": {}, "attributes": {"creationDate": "2024-06-20T20:00:00Z", "mfaAuthenticated": "false"}}})";
}

std::string IcUserId(std::string_view acct, std::string_view store, std::string_view user_id,
                     std::string_view credential_id) {
    std::string cred(credential_id);
    if (cred.empty()) {
        // One access-portal session per user unless told otherwise.
        for (char ch : user_id) {
            if (std::isalnum(static_cast<unsigned char>(ch))) cred += ch;
        }
        cred = "CRED" + cred;
    }
    return R"({"type": "IdentityCenterUser", "accountId": ")" + std::string(acct) +
           R"(", "onBehalfOf": {"userId": ")" + std::string(user_id) +
           R"(", "identityStoreArn": "arn:aws:identitystore::)" + std::string(acct) +
           ":identitystore/" + std::string(store) + R"("}, "credentialId": ")" + cred + R"("})";
}

std::string IcLegacyId(std::string_view acct, std::string_view name) {
    return R"({"type": "Unknown", "principalId": ")" + std::string(acct) +
           R"(", "arn": "", "accountId": ")" + std::string(acct) +
           R"(", "accessKeyId": "", "userName": ")" + std::string(name) + R"("})";
}

std::string SamlUserId(std::string_view nq, std::string_view subject) {
    return R"({"type": "SAMLUser", "principalId": ")" + std::string(nq) + ":" +
           std::string(subject) + R"(", "userName": ")" + std::string(subject) +
           R"(", "identityProvider": ")" + std::string(nq) + R"("})";
}

std::string WebUserId(std::string_view provider, std::string_view subject) {
    return R"({"type": "WebIdentityUser", "principalId": ")" + std::string(provider) +
           ":sts.amazonaws.com:" + std::string(subject) + R"(", "userName": ")" +
           std::string(subject) + R"(", "identityProvider": ")" + std::string(provider) + R"("})";
}

std::string ServiceId(std::string_view service) {
    return R"({"type": "AWSService", "invokedBy": ")" + std::string(service) + R"("})";
}

std::string AccountId(std::string_view acct, std::string_view principal_id) {
    return R"({"type": "AWSAccount", "principalId": ")" + std::string(principal_id) +
           R"(", "accountId": ")" + std::string(acct) + R"("})";
}

std::string Rec::EventId() const {
    if (!id.empty()) return id;
    char buf[48];
    std::snprintf(buf, sizeof buf, "e0000000-0000-4000-8000-%012d", ++next_event);
    id = buf;
    return id;
}

std::string Rec::Json() const {
    const std::string eid = EventId();
    std::string s = R"({"eventVersion": "1.09", "userIdentity": )" + identity +
                    R"(, "eventTime": ")" + time + R"(", "eventSource": ")" + source +
                    R"(", "eventName": ")" + name + R"(", "awsRegion": ")" + region +
                    R"(", "sourceIPAddress": ")" + ip + R"(", "userAgent": ")" + agent + "\"";
    if (!error.empty()) {
        s += R"(, "errorCode": ")" + error + R"(", "errorMessage": "User is not authorized")";
    }
    s += R"(, "requestParameters": )" + request + R"(, "responseElements": )" + response +
         R"(, "requestID": "r)" + eid.substr(1) + R"(", "eventID": ")" + eid +
         R"(", "readOnly": )" + (read_only ? "true" : "false") + R"(, "eventType": ")" +
         event_type + R"(", "managementEvent": true, "recipientAccountId": ")" + account +
         R"(", "eventCategory": "Management")";
    if (!extra.empty()) s += ", " + extra;
    s += "}";
    return s;
}

std::string StsResponse(std::string_view key, std::string_view assumed_arn, std::string_view more) {
    std::string s =
        R"({"credentials": {"accessKeyId": ")" + std::string(key) +
        R"(", "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN", "expiration": "Jun 20, 2024, 10:00:00 PM"})";
    if (!assumed_arn.empty()) {
        s += R"(, "assumedRoleUser": {"assumedRoleId": "AROAEXAMPLEROLEID1234:)" +
             std::string(AfterLastSlashView(assumed_arn)) + R"(", "arn": ")" +
             std::string(assumed_arn) + R"("})";
    }
    if (!more.empty()) s += ", " + std::string(more);
    return s + "}";
}

}  // namespace tw::identity::fixture
