// SCIM provisioning by an external identity provider (event source
// identitystore-scim.amazonaws.com, records shaped like AWS's "Logging IAM Identity Center SCIM
// API calls with AWS CloudTrail"): the provisioned user's timeline shows its CreateUser and the
// group patch that gave it access, while the IdP's token is not the root of its chain; a group
// patch, whose member is hidden, is attributed only when it is unambiguous.
#include <gtest/gtest.h>

#include <algorithm>

#include "identity/closure.h"
#include "identity/test_support.h"

namespace tw::identity {
namespace {

using fixture::BuildGraph;
using fixture::Rec;

constexpr std::string_view kMgmt = "111122223333";
constexpr std::string_view kMember = "444455556666";
constexpr std::string_view kStore = "d-9067a1b2c3";
constexpr std::string_view kToken = "5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";
constexpr std::string_view kNewUser = "c4488478-a0e1-700e-3d75-96c6bb641596";
constexpr std::string_view kOtherUser = "94a8c4d8-1021-70e4-8a2b-6c1d2e3f4a5b";
constexpr std::string_view kAdmins = "f4b8e4c8-5091-70aa-bb11-22cc33dd44ee";

std::string ScimId(std::string_view token) {
    return R"({"type": "WebIdentityUser", "accountId": ")" + std::string(kMgmt) +
           R"(", "accessKeyId": ")" + std::string(token) + R"("})";
}

constexpr std::string_view kHidden = R"("HIDDEN_DUE_TO_SECURITY_REASONS")";

Rec ScimCreateUser(std::string_view time, std::string_view user_id, std::string_view id,
                   std::string_view token = kToken) {
    const std::string h(kHidden);
    const std::string person = R"("displayName": )" + h +
                               R"(, "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], )"
                               R"("name": {"familyName": )" +
                               h + R"(, "givenName": )" + h + R"(}, "active": true)";
    return Rec{
        .time = std::string(time),
        .source = "identitystore-scim.amazonaws.com",
        .name = "CreateUser",
        .identity = ScimId(token),
        .request = R"({"httpBody": {)" + person + R"(, "userName": )" + h +
                   R"(}, "tenantId": "Kx1tenant00-1111"})",
        .response = R"({"meta": {"created": "Jun 20, 2024, 9:00:00 PM", )"
                    R"("lastModified": "Jun 20, 2024, 9:00:00 PM", "resourceType": "User"}, )" +
                    person + R"(, "id": ")" + std::string(user_id) + R"(", "userName": )" + h + "}",
        .ip = "203.0.113.240",
        .agent = "Go-http-client/2.0",
        .id = std::string(id)};
}

Rec ScimPatch(std::string_view time, std::string_view name, std::string_view op,
              std::string_view path, std::string_view resource, std::string_view id,
              std::string_view token = kToken) {
    const std::string h(kHidden);
    return Rec{.time = std::string(time),
               .source = "identitystore-scim.amazonaws.com",
               .name = std::string(name),
               .identity = ScimId(token),
               .request = R"({"httpBody": {"operations": [{"op": ")" + std::string(op) +
                          R"(", "path": ")" + std::string(path) + R"(", "value": )" + h +
                          R"(}], "schemas": [)" + h +
                          R"(]}, "tenantId": "Kx1tenant00-1111", "id": ")" + std::string(resource) +
                          R"("})",
               .ip = "203.0.113.240",
               .agent = "Go-http-client/2.0",
               .id = std::string(id)};
}

// The external IdP provisions a new user and adds it to the administrators' group; the user
// signs in through the IdP and works in a member account. The IdP also updates another user.
std::vector<std::string> ProvisionedTakeover() {
    const std::string user = fixture::IcUserId(kMgmt, kStore, kNewUser);
    return {
        ScimPatch("2024-06-20T13:00:00Z", "PatchUser", "REPLACE", "title", kOtherUser,
                  "e0000000-0000-4000-8000-000000000000")
            .Json(),
        ScimCreateUser("2024-06-20T21:00:00Z", kNewUser, "e0000000-0000-4000-8000-000000000001")
            .Json(),
        ScimPatch("2024-06-20T21:00:02Z", "PatchGroup", "ADD", "members", kAdmins,
                  "e0000000-0000-4000-8000-000000000002")
            .Json(),
        Rec{.time = "2024-06-20T21:05:00Z",
            .source = "signin.amazonaws.com",
            .name = "UserAuthentication",
            .identity = user,
            .extra = R"("additionalEventData": {"AuthWorkflowID": "wf-1", )"
                     R"("CredentialType": "EXTERNAL_IDP", "UserName": "mallory.ext"}, )"
                     R"("serviceEventDetails": {"UserAuthentication": "Success"})",
            .event_type = "AwsServiceEvent"}
            .Json(),
        Rec{.time = "2024-06-20T21:06:00Z",
            .source = "sso.amazonaws.com",
            .name = "Federate",
            .identity = user,
            .extra = R"("serviceEventDetails": {"role_name": "AdministratorAccess", )"
                     R"("account_id": "444455556666"})",
            .event_type = "AwsServiceEvent"}
            .Json(),
        Rec{.time = "2024-06-20T21:07:00Z",
            .source = "ec2.amazonaws.com",
            .name = "DescribeInstances",
            .identity = fixture::SsoSessionId(kMember, "AdministratorAccess", "mallory.ext",
                                              "ASIAMALLORY000000001"),
            .account = std::string(kMember),
            .read_only = true}
            .Json(),
        ScimPatch("2024-06-21T13:00:00Z", "PatchUser", "REPLACE", "title", kNewUser,
                  "e0000000-0000-4000-8000-000000000003")
            .Json(),
    };
}

TEST(ScimTest, ProvisionedUserTimelineShowsItsProvisioningButTheTokenIsNotItsRoot) {
    const Graph g = BuildGraph({ProvisionedTakeover()});
    const std::vector<NodeId> seeds = g.Match("mallory.ext");
    ASSERT_FALSE(seeds.empty());
    const NodeId user = g.FindIdentity("ic:" + std::string(kNewUser));
    ASSERT_NE(user, kNoNode);
    EXPECT_EQ(g.Label(user), "sso-user/mallory.ext");

    const auto about = g.EventsAbout(user);
    ASSERT_EQ(about.size(), 2u);
    EXPECT_EQ(g.str(about[0].event_id), "e0000000-0000-4000-8000-000000000001");
    EXPECT_EQ(g.str(about[1].event_id), "e0000000-0000-4000-8000-000000000002");
    EXPECT_EQ(about[0].by, g.FindKey(kToken));
    EXPECT_EQ(about[1].by, g.FindKey(kToken));

    const Closure c(g, seeds, 0);
    EXPECT_EQ(c.IssuedBy("e0000000-0000-4000-8000-000000000001"), user);
    EXPECT_EQ(c.IssuedBy("e0000000-0000-4000-8000-000000000002"), user);
    EXPECT_EQ(c.IssuedBy("e0000000-0000-4000-8000-000000000000"), kNoNode) << "another user";
    EXPECT_FALSE(c.Contains(g.FindKey(kToken))) << "the IdP's other calls are not the actor's";
    // The files of the provisioning are read in the second pass.
    std::vector<uint32_t> token_hashes;
    g.NodeHashes(g.FindKey(kToken), token_hashes);
    const std::vector<uint32_t> wanted = c.Hashes();
    ASSERT_FALSE(token_hashes.empty());
    for (uint32_t h : token_hashes) {
        EXPECT_TRUE(std::binary_search(wanted.begin(), wanted.end(), h));
    }

    const NodeId session = g.FindIdentity(
        "arn:arn:aws:sts::444455556666:assumed-role/"
        "AWSReservedSSO_AdministratorAccess_5e1a2b3c4d5e6f70/mallory.ext");
    ASSERT_NE(session, kNoNode);
    EXPECT_TRUE(c.Contains(session));
    EXPECT_EQ(g.RootChain(session).root(), user) << "the person, not the IdP's token";
}

TEST(ScimTest, GroupPatchIsAttributedOnlyWhenOneUserWasJustCreatedByTheSameToken) {
    const std::string other_token = "0a1b2c3d-0000-4000-8000-000000000009";
    const Graph g = BuildGraph({{
        // Two users in one run: whose membership the patch adds cannot be told.
        ScimCreateUser("2024-06-20T10:00:00Z", kNewUser, "e1000000-0000-4000-8000-000000000001")
            .Json(),
        ScimCreateUser("2024-06-20T10:00:10Z", kOtherUser, "e1000000-0000-4000-8000-000000000002")
            .Json(),
        ScimPatch("2024-06-20T10:00:20Z", "PatchGroup", "ADD", "members", kAdmins,
                  "e1000000-0000-4000-8000-000000000003")
            .Json(),
        // Long after the last creation.
        ScimPatch("2024-06-20T10:30:00Z", "PatchGroup", "ADD", "members", kAdmins,
                  "e1000000-0000-4000-8000-000000000004")
            .Json(),
        // Another IdP's token.
        ScimCreateUser("2024-06-20T11:00:00Z", "7a7a7a7a-0000-4000-8000-000000000001",
                       "e1000000-0000-4000-8000-000000000005")
            .Json(),
        ScimPatch("2024-06-20T11:00:05Z", "PatchGroup", "ADD", "members", kAdmins,
                  "e1000000-0000-4000-8000-000000000006", other_token)
            .Json(),
        // Not a membership change.
        ScimPatch("2024-06-20T11:00:06Z", "PatchGroup", "REPLACE", "displayName", kAdmins,
                  "e1000000-0000-4000-8000-000000000007")
            .Json(),
    }});
    for (std::string_view id :
         {kNewUser, kOtherUser, std::string_view("7a7a7a7a-0000-4000-8000-000000000001")}) {
        const NodeId user = g.FindIdentity("ic:" + std::string(id));
        ASSERT_NE(user, kNoNode) << id;
        const auto about = g.EventsAbout(user);
        ASSERT_EQ(about.size(), 1u) << id << ": only its CreateUser";
        EXPECT_EQ(g.str(g.node(about[0].by).key), kToken);
    }
}

TEST(ScimTest, DirectoryMembershipGivenByAnotherPrincipalIsAnEventAboutTheMember) {
    const std::string admin =
        fixture::SsoSessionId(kMgmt, "AdministratorAccess", "idp-admin", "ASIAADMINSSO00000001");
    const Graph g = BuildGraph({{
        Rec{.time = "2024-06-20T21:00:00Z",
            .source = "sso-directory.amazonaws.com",
            .name = "CreateUser",
            .identity = admin,
            .request = R"({"identityStoreId": "d-9067a1b2c3", "passwordMode": "EMAIL"})",
            .response = R"({"user": {"userId": ")" + std::string(kNewUser) + R"("}})",
            .id = "e2000000-0000-4000-8000-000000000001"}
            .Json(),
        Rec{.time = "2024-06-20T21:01:00Z",
            .source = "sso-directory.amazonaws.com",
            .name = "AddMemberToGroup",
            .identity = admin,
            .request = R"({"identityStoreId": "d-9067a1b2c3", "groupId": "g-7788", )"
                       R"("member": {"memberId": ")" +
                       std::string(kNewUser) + R"("}})",
            .id = "e2000000-0000-4000-8000-000000000002"}
            .Json(),
    }});
    const NodeId user = g.FindIdentity("ic:" + std::string(kNewUser));
    ASSERT_NE(user, kNoNode);
    const Closure c(g, {user}, 0);
    EXPECT_EQ(c.IssuedBy("e2000000-0000-4000-8000-000000000001"), user) << "its creation";
    EXPECT_EQ(c.IssuedBy("e2000000-0000-4000-8000-000000000002"), user) << "its membership";
    // From the admin, both are the admin's own calls, not issuances.
    const Closure from_admin(g, g.Match("idp-admin"), 0);
    EXPECT_TRUE(from_admin.Contains(user));
    EXPECT_EQ(from_admin.IssuedBy("e2000000-0000-4000-8000-000000000002"), kNoNode);
}

}  // namespace
}  // namespace tw::identity
