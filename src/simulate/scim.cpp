// SCIM provisioning records (see scim.h).
#include "simulate/scim.h"

#include "simulate/record.h"

namespace tw::simulate {

namespace {

constexpr std::string_view kHidden = "\"HIDDEN_DUE_TO_SECURITY_REASONS\"";
constexpr std::string_view kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";

Call ScimCall(const Plan& plan, const Actor& actor, TimeMs t, std::string_view name,
              std::string_view event_id, std::string_view host) {
    const Org& org = plan.org;
    Call c;
    c.actor = &actor;
    c.time = t;
    c.version = "1.10";
    c.source = "identitystore-scim.amazonaws.com";
    c.name = name;
    c.region = org.regions[org.home_region];
    c.recipient = org.management().id;
    c.read_only = false;
    c.event_id = event_id;
    c.host = host;
    return c;
}

// {"op":"<op>","path":"<path>","value":HIDDEN}
void PatchBody(JsonBuf& b, std::string_view op, std::string_view path) {
    b.Add("{\"httpBody\":{\"operations\":[{");
    b.KV("op", op);
    b.Add(',');
    b.KV("path", path);
    b.Add(",\"value\":");
    b.Add(kHidden);
    b.Add("}],\"schemas\":[");
    b.Add(kHidden);
    b.Add("]}");
}

std::string ScimHost(const Org& org) {
    return "scim." + org.regions[org.home_region] + ".amazonaws.com";
}

// PatchUser / PatchGroup of resource `id`: one operation `op` on `path`, no response.
void WritePatch(const Plan& plan, TimeMs t, std::string_view name, std::string_view op,
                std::string_view path, std::string_view id, std::string_view event_id, JsonBuf& b,
                Rng& rng) {
    const Org& org = plan.org;
    const Actor actor = ScimActor(org);
    const std::string host = ScimHost(org);
    const Call c = ScimCall(plan, actor, t, name, event_id, host);
    BeginRecord(b, c);
    b.Add("\"requestParameters\":");
    PatchBody(b, op, path);
    b.Add(',');
    b.KV("tenantId", org.scim_tenant_id);
    b.Add(',');
    b.KV("id", id);
    b.Add("},\"responseElements\":null");
    EndRecord(b, c, rng);
}

}  // namespace

void UseExternalIdp(Org& org, uint64_t seed) {
    if (org.external_idp) return;
    Rng rng(Mix(seed, HashName("scim")));
    org.external_idp = true;
    org.scim_tenant_id = RandomString(rng, kAlnum, 11) + "-" + Uuid(rng);
    org.scim_token_id = Uuid(rng);
    org.scim_ip = "203.0.113." + std::to_string(230 + rng.Below(20));
}

Actor ScimActor(const Org& org) {
    Actor a;
    a.identity = "{\"type\":\"WebIdentityUser\",\"accountId\":\"" + org.management().id +
                 "\",\"accessKeyId\":\"" + org.scim_token_id + "\"}";
    a.source_ip = org.scim_ip;
    a.user_agent = "Go-http-client/2.0";
    a.account_id = org.management().id;
    return a;
}

std::string ScimPrincipal(const Org& org) { return "scim-token/" + org.scim_token_id; }

void WriteScimCreateUser(const Plan& plan, TimeMs t, std::string_view user_id,
                         std::string_view event_id, JsonBuf& b, Rng& rng) {
    const Org& org = plan.org;
    const Actor actor = ScimActor(org);
    const std::string host = ScimHost(org);
    const Call c = ScimCall(plan, actor, t, "CreateUser", event_id, host);
    BeginRecord(b, c);
    auto person = [&] {
        b.Add("\"displayName\":");
        b.Add(kHidden);
        b.Add(",\"schemas\":[");
        b.Str(kUserSchema);
        b.Add("],\"name\":{\"familyName\":");
        b.Add(kHidden);
        b.Add(",\"givenName\":");
        b.Add(kHidden);
        b.Add("},\"active\":true");
    };
    b.Add("\"requestParameters\":{\"httpBody\":{");
    person();
    b.Add(",\"userName\":");
    b.Add(kHidden);
    b.Add("},");
    b.KV("tenantId", org.scim_tenant_id);
    b.Add("},\"responseElements\":{\"meta\":{");
    const std::string date = AwsLongDate(t);
    b.KV("created", date);
    b.Add(',');
    b.KV("lastModified", date);
    b.Add(",\"resourceType\":\"User\"},");
    person();
    b.Add(',');
    b.KV("id", user_id);
    b.Add(",\"userName\":");
    b.Add(kHidden);
    b.Add('}');
    EndRecord(b, c, rng);
}

void WriteScimAddGroupMember(const Plan& plan, TimeMs t, std::string_view group_id,
                             std::string_view event_id, JsonBuf& b, Rng& rng) {
    WritePatch(plan, t, "PatchGroup", "ADD", "members", group_id, event_id, b, rng);
}

void WriteScimPatchUser(const Plan& plan, TimeMs t, std::string_view user_id, std::string_view path,
                        std::string_view event_id, JsonBuf& b, Rng& rng) {
    WritePatch(plan, t, "PatchUser", "REPLACE", path, user_id, event_id, b, rng);
}

}  // namespace tw::simulate
