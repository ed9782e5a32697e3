// Identity facts: the few things the credential-derivation graph needs from the events, taken
// in one pass on the ingest workers and kept in compact form (string ids into a per-worker
// pool). A fact is one identity-relevant event (an STS call that issued credentials, an access
// key or login profile made for a user, an Identity Center user created or signing in, an
// identity provider created, ...) or one first sighting (an AWSReservedSSO_* role session, a
// source identity, a credential used from a watched source IP).
//
// Every event also feeds the per-file fingerprint: hashes of the credentials that made the
// file's events, used by `timeline` to skip, in its second pass, files that cannot hold an
// event of the actor.
//
// Usage:
//   IdentityFields fields(catalog);            // before ingest: interns the paths needed
//   FactCollector c(fields, watch, true);      // one per worker
//   c.BeginFile(i); c.OnEvent(ev); ...         // on that worker
//
// Thread-safety: IdentityFields is immutable after construction; a FactCollector belongs to
// one worker at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "event/event_view.h"
#include "event/field_catalog.h"
#include "identity/string_pool.h"

namespace tw::identity {

// The field ids the identity graph reads (interned in the run's catalog).
struct IdentityFields {
    explicit IdentityFields(event::FieldCatalog& catalog);

    event::FieldId rp_role_arn, rp_role_session_name, rp_principal_arn, rp_source_identity, rp_name,
        rp_user_name, rp_identity_store_id, rp_target_id, rp_principal_type, rp_principal_id,
        rp_permission_set_arn, rp_group_id, rp_member_id, rp_account_id, rp_role_name, rp_url,
        rp_resource_id, rp_patch_op, rp_patch_path;
    event::FieldId re_key, re_assumed_arn, re_federated_arn, re_access_key_id, re_access_key_user,
        re_user_id, re_user_id_flat, re_user_name, re_subject, re_web_subject, re_provider,
        re_source_identity, re_saml_provider_arn, re_oidc_provider_arn, re_console_login,
        re_name_qualifier, re_permission_set_arn, re_resource_id;
    event::FieldId sed_account_id, sed_role_name, aed_user_name, uid_identity_provider,
        session_from_console, uid_credential_id;
};

// The identity that made an event (the userIdentity element, reduced).
struct CallerRef {
    StrId type = kEmptyStr;
    StrId arn = kEmptyStr;
    StrId key = kEmptyStr;  // accessKeyId (Identity Center users: credentialId)
    StrId principal_id = kEmptyStr;
    StrId account_id = kEmptyStr;
    StrId user_name = kEmptyStr;  // userIdentity.userName (or the IC sign-in UserName)
    StrId invoked_by = kEmptyStr;
    StrId issuer_arn = kEmptyStr;
    StrId source_identity = kEmptyStr;
    StrId ic_user_id = kEmptyStr;  // onBehalfOf.userId
    StrId ic_store = kEmptyStr;    // identity store id (d-...), from onBehalfOf.identityStoreArn
    StrId idp = kEmptyStr;         // userIdentity.identityProvider
};

enum class FactKind : uint8_t {
    kAssumeRole,
    kAssumeRoleWithSaml,
    kAssumeRoleWithWebIdentity,
    kGetSessionToken,
    kGetFederationToken,
    kCreateAccessKey,
    kCreateLoginProfile,
    kUpdateLoginProfile,
    kConsoleLogin,
    kIcCreateUser,  // sso-directory / identitystore, or SCIM provisioning (p[kPExtra] "scim")
    kIcSignIn,      // an event made by an Identity Center user (sign-in, portal)
    kIcFederate,
    kCreateAccountAssignment,  // also ProvisionPermissionSet (no principal)
    kCreatePermissionSet,
    kAddMemberToGroup,
    kScimAddMember,  // a SCIM PatchGroup adding members; which ones is hidden
    kCreateIdentityProvider,
    kSeenSsoSession,      // first event of an AWSReservedSSO_* role session
    kSeenSourceIdentity,  // first event carrying a source identity
    kSeenWatched,         // first event of a credential from a watched source IP or key
};

[[nodiscard]] const char* FactKindName(FactKind k);

// One fact. Strings are ids into the pool of the collector that made it. The payload slots
// p[] are per kind (see facts.cpp, MakeFact).
struct Fact {
    TimeMs time = 0;
    StrId event_id = kEmptyStr;
    StrId event_name = kEmptyStr;
    StrId account = kEmptyStr;  // recipientAccountId (else userIdentity.accountId)
    StrId ip = kEmptyStr;
    CallerRef caller;
    StrId p[6] = {kEmptyStr, kEmptyStr, kEmptyStr, kEmptyStr, kEmptyStr, kEmptyStr};
    FactKind kind = FactKind::kAssumeRole;
    uint16_t worker = 0;  // index of the collector that made it (whose pool it uses)
};

// Payload slot names (kSeenWatched: kPName holds the watched value).
enum : int { kPArn = 0, kPKey = 1, kPExtra = 2, kPProvider = 3, kPName = 4, kPRoleArn = 5 };

// The key of the credential that made `ev`: userIdentity.accessKeyId, or for an Identity
// Center user the credentialId of its access-portal session.
[[nodiscard]] std::string_view CallerKey(const event::EventView& ev, const IdentityFields& f);

// Builds the caller of `ev` into `pool`.
[[nodiscard]] CallerRef ReadCaller(const event::EventView& ev, const IdentityFields& f,
                                   StringPool& pool);

// The canonical identity string of a caller (what the graph indexes generic identities by):
// "user:<acct>:<name>", "arn:<arn>" (sessions, federated users), "root:<acct>",
// "svc:<service>", "ic:<user id>", "icname:<name>", "saml:<idp>:<sub>", "web:<idp>:<sub>",
// "pid:<principalId>". Names are lower-cased where AWS compares them without case. Writes
// into `out` (cleared); leaves it empty when the caller has no usable identity.
void CanonicalIdentity(std::string_view type, std::string_view arn, std::string_view account,
                       std::string_view user_name, std::string_view principal_id,
                       std::string_view invoked_by, std::string_view ic_store,
                       std::string_view ic_user_id, std::string_view idp, std::string& out);

// True for the calls Identity Center makes in member accounts to provision permission sets
// (its service-linked role AWSServiceRoleForSSO, or the service itself).
[[nodiscard]] bool IsSsoServiceCall(std::string_view type, std::string_view arn,
                                    std::string_view invoked_by);

// 32-bit hash used by the file fingerprints (stable across runs).
[[nodiscard]] uint32_t FingerprintHash(std::string_view s);

class FactCollector;

// The fingerprints of every input file, merged from the collectors: file i may hold an event
// of a credential only if one of the credential's hashes (Graph::NodeHashes) is in file i's.
class FileFingerprints {
  public:
    FileFingerprints() = default;
    // `file_count` files; `spans` and `hashes` of each collector.
    FileFingerprints(size_t file_count, const std::vector<const FactCollector*>& collectors);
    // True when file `file` holds one of `wanted` (sorted, unique).
    [[nodiscard]] bool Meets(size_t file, const std::vector<uint32_t>& wanted) const;
    [[nodiscard]] size_t bytes() const {
        return begin_.capacity() * sizeof(size_t) + hashes_.capacity() * sizeof(uint32_t);
    }

  private:
    std::vector<size_t> begin_;  // file i: hashes_[begin_[i], begin_[i + 1])
    std::vector<uint32_t> hashes_;
};

// Per-worker collector of facts and file fingerprints.
class FactCollector {
  public:
    // `watch`: actors as typed by the user (source IPs, access key ids, ARNs, user, session,
    // federated and Identity Center names, source identities): the credentials of the events
    // they match are recorded (kSeenWatched), so that principals without identity events get
    // a node too.
    // `fingerprints`: also build per-file fingerprints (costs a few hashes per event).
    // `worker`: this collector's index, stamped on its facts (Fact::worker).
    FactCollector(const IdentityFields& fields, const std::vector<std::string>& watch,
                  bool fingerprints, uint16_t worker = 0);

    void BeginFile(uint32_t file_index);
    void OnEvent(const event::EventView& ev);
    // Same, for an event whose context (event/context.h) has id `context` in this worker: its
    // fingerprint is computed once per context and added once per file.
    void OnEvent(const event::EventView& ev, uint32_t context);
    void EndFile(uint32_t file_index);

    [[nodiscard]] const StringPool& pool() const { return pool_; }
    // Facts, including one kSeen* fact per first sighting (call Finish() first).
    [[nodiscard]] const std::vector<Fact>& facts() const { return facts_; }
    // Turns the first-sighting maps into facts. Call once, after the last event.
    void Finish();
    // The fingerprints of the files this worker read: for each file, a run of sorted unique
    // hashes in fingerprint_hashes().
    struct FileSpan {
        uint32_t file;
        uint32_t count;
        size_t begin;
    };
    [[nodiscard]] const std::vector<FileSpan>& fingerprint_files() const { return fp_files_; }
    [[nodiscard]] const std::vector<uint32_t>& fingerprint_hashes() const { return fp_hashes_; }
    // Frees the fingerprints (after they were merged).
    void DropFingerprints();
    [[nodiscard]] size_t bytes() const;

  private:
    struct First {
        TimeMs time = 0;
        StrId event_id = kEmptyStr;
        Fact fact;
    };
    struct Watched {
        std::string text, lower;
        std::string role_name, role_account;  // a role ARN: its sessions match
    };
    static Watched Prepare(const std::string& w);
    template <typename Make>
    void Watch(const event::EventView& ev, std::string_view type, const Make& make);
    void See(std::unordered_map<StrId, First>& map, StrId key, const Fact& f);
    void Fingerprint(const event::EventView& ev, uint32_t context);
    // The fingerprint hashes of an event's credential (at most 4); returns how many.
    size_t FingerprintHashes(const event::EventView& ev, uint32_t* out);
    struct ContextFingerprint {
        uint32_t visit = UINT32_MAX;  // the file visit that last added them
        uint32_t count = UINT32_MAX;  // UINT32_MAX: not computed yet
        uint32_t hashes[4] = {};
        int8_t sso_role = -1;  // whether its arn is an Identity Center role's (-1: unknown)
    };

    const IdentityFields& f_;
    std::vector<Watched> watch_;
    bool fingerprints_on_;
    uint16_t worker_;
    StringPool pool_;
    std::vector<Fact> facts_;
    std::unordered_map<StrId, First> sso_sessions_;
    std::unordered_map<StrId, First> source_identities_;
    std::unordered_map<StrId, First> watched_;      // key: value|key|arn|type|ic id|name
    std::unordered_map<StrId, First> sso_signins_;  // key: store arn|user id|user name
    uint32_t file_ = 0;
    uint32_t visit_ = 0;  // counts BeginFile calls
    std::vector<ContextFingerprint> contexts_;
    std::vector<uint32_t> file_hashes_;
    std::vector<uint32_t> fp_hashes_;
    std::vector<FileSpan> fp_files_;
    std::string scratch_;
};

}  // namespace tw::identity
