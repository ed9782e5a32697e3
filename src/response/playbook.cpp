// PLAYBOOK.md: the ordered steps of the third-party-IdP playbook
// (../shared/seeds/002_930532da306d1b09.txt: control of the management account root user,
// SCPs, removal of the federated access vector, eradication) filled with what the findings
// show, plus the MSP practices of ../shared/seeds/000_6407c876ec768b08.txt.
#include <algorithm>
#include <map>
#include <set>

#include "core/strings.h"
#include "response/contain.h"

namespace tw::response {

namespace {

// `value` as inline code; backticks and line breaks from untrusted input are dropped.
std::string Code(std::string_view value) {
    std::string out = "`";
    for (char c : value) {
        if (c != '`' && c != '\n' && c != '\r') out += c;
    }
    out += "`";
    return out;
}

std::string Who(const AccountName& n) {
    return Code(n.name) + (n.account.empty() ? " (account unknown)" : " in " + Code(n.account));
}

std::string List(const std::set<std::string>& items) {
    std::string out;
    for (const std::string& i : items) {
        if (!out.empty()) out += ", ";
        out += Code(i);
    }
    return out.empty() ? "none named" : out;
}

std::vector<const Artifact*> Files(const ContainPlan& plan, std::string_view stem) {
    std::vector<const Artifact*> out;
    for (const Artifact& a : plan.artifacts) {
        if (a.kind == ArtifactKind::kScp && a.file.starts_with(stem)) out.push_back(&a);
    }
    return out;
}

std::string FileList(const ContainPlan& plan, std::string_view stem) {
    std::string out;
    for (const Artifact* a : Files(plan, stem)) {
        if (!out.empty()) out += ", ";
        out += Code(a->file);
    }
    return out;
}

// The Identity Center user behind an identity, lowered, or "": the session name of a permission
// set role session (`...:assumed-role/AWSReservedSSO_<set>/<name>`, or the graph's label
// `role-session/AWSReservedSSO_<set>/<name>@<account>`, possibly followed by ` [key]`), or the
// user name of an Identity Center sign-in principal. Nothing else is grouped by name: IAM users,
// root and federated users are named per account or by the caller, other roles' session names
// are the caller's choice, and a SAML or web-identity user's name is whatever its provider
// asserts (a rogue provider can assert a real person's name).
std::string PersonOf(const std::string& label, const ActorFact& a) {
    std::string name;
    constexpr std::string_view kSession = "role-session/AWSReservedSSO_";
    if (a.type == "AssumedRole" &&
        label.find(":assumed-role/AWSReservedSSO_") != std::string::npos) {
        name = label.substr(label.rfind('/') + 1);
    } else if (a.type.empty() && label.starts_with(kSession)) {
        const size_t slash = label.find('/', kSession.size());
        std::string rest = slash == std::string::npos ? std::string() : label.substr(slash + 1);
        rest = rest.substr(0, rest.find(' '));
        // The name ends before "@<12-digit account>", when the label has one.
        const size_t at = rest.rfind('@');
        if (at != std::string::npos && rest.size() - at - 1 == 12 &&
            rest.find_first_not_of("0123456789", at + 1) == std::string::npos) {
            rest.resize(at);
        }
        name = rest;
    } else if ((a.type == "IdentityCenterUser" || a.type == "Unknown") &&
               label.starts_with("idc:")) {
        name = a.user_name;
    }
    return AsciiLowerCopy(name);
}

void ActorLine(std::string& s, const std::string& label, const ActorFact& a, bool with_name) {
    s += Code(label);
    if (!a.type.empty()) s += " (" + a.type + ")";
    if (with_name && !a.user_name.empty()) s += ", user name " + Code(a.user_name);
    if (!a.access_key_ids.empty()) s += ", access keys " + List(a.access_key_ids);
    if (!a.source_ips.empty()) s += ", from " + List(a.source_ips);
    if (a.first_seen != 0) {
        s += ", " + FormatIsoTime(a.first_seen) + " to " + FormatIsoTime(a.last_seen);
    }
    s += "\n";
}

// The actors; the identities of one Identity Center user (PersonOf) listed together.
void Actors(std::string& s, const std::map<std::string, ActorFact>& actors) {
    std::map<std::string, std::vector<const std::string*>> people;
    for (const auto& [label, a] : actors) {
        const std::string person = PersonOf(label, a);
        if (!person.empty()) people[person].push_back(&label);
    }
    std::set<std::string> done;
    for (const auto& [label, a] : actors) {
        const std::string person = PersonOf(label, a);
        auto it = person.empty() ? people.end() : people.find(person);
        if (it == people.end() || it->second.size() < 2) {
            s += "  - ";
            ActorLine(s, label, a, true);
            continue;
        }
        if (!done.insert(person).second) continue;
        std::set<std::string> ips;
        TimeMs first = 0, last = 0;
        std::string name;
        for (const std::string* l : it->second) {
            const ActorFact& m = actors.at(*l);
            ips.insert(m.source_ips.begin(), m.source_ips.end());
            if (m.first_seen != 0 && (first == 0 || m.first_seen < first)) first = m.first_seen;
            last = std::max(last, m.last_seen);
            if (name.empty()) name = m.user_name;
        }
        s += "  - Identity Center user " + Code(name.empty() ? person : name) + ", " +
             std::to_string(it->second.size()) + " identities under that user name";
        if (!ips.empty()) s += ", from " + List(ips);
        if (first != 0) s += ", " + FormatIsoTime(first) + " to " + FormatIsoTime(last);
        s += ":\n";
        for (const std::string* l : it->second) {
            s += "    - ";
            const ActorFact& m = actors.at(*l);
            ActorLine(s, *l, m, m.user_name != name);  // a spelling of its own is shown
        }
    }
}

const Artifact* Find(const ContainPlan& plan, ArtifactKind kind) {
    for (const Artifact& a : plan.artifacts) {
        if (a.kind == kind) return &a;
    }
    return nullptr;
}

void Facts(std::string& s, const IncidentFacts& f, const ContainOptions& o) {
    s += "## What the findings show\n\n";
    if (f.empty()) {
        s += "No findings were given (`--from-findings`): the steps below are the generic "
             "playbook. Run `trailwarden hunt` and pass its output to fill them in.\n\n";
        return;
    }
    s += std::to_string(f.findings) + " finding(s) from";
    for (const std::string& p : o.findings_files) s += " " + Code(p);
    if (f.first_seen != 0) {
        s += ", activity from " + FormatIsoTime(f.first_seen) + " to " + FormatIsoTime(f.last_seen);
    }
    if (f.findings_left_out != 0) {
        s += "; " + std::to_string(f.findings_left_out) + " finding(s) below " + f.min_severity +
             " by other actors left out (`--min-severity`)";
    }
    if (f.log_events != 0) {
        s += "; " + std::to_string(f.log_events) + " of their events read in the logs (`--logs`)";
    }
    s += ".\n\n";
    s += "- **Actor(s)**:";
    if (f.actors.empty()) s += " not named by the findings";
    s += "\n";
    Actors(s, f.actors);
    if (!f.chain_roots.empty()) {
        s += "- **Where the credential chains start**: " + List(f.chain_roots) + "\n";
    }
    s += "- **Accounts touched**: " + List(f.accounts) + "\n";
    s += "- **Identity providers**: SAML " + List(f.saml_providers) + "; OIDC " +
         List(f.oidc_providers) + "\n";
    s += "- **IAM Identity Center**: instances " + List(f.sso_instances) + "; identity stores " +
         List(f.identity_store_ids) + "; permission sets " + List(f.permission_sets) + "; users " +
         List(f.identity_center_users) + "\n";
    s += "- **IAM users**:";
    if (f.iam_users.empty()) s += " none named";
    for (const AccountName& u : f.iam_users) s += " " + Who(u) + ";";
    s += "\n- **Access keys**:";
    if (f.static_keys.empty() && f.temporary_keys.empty()) s += " none named";
    for (const auto& [id, owner] : f.static_keys) {
        s += " " + Code(id) + " (long-term, " +
             (owner.name.empty() ? std::string("owner unknown") : "user " + Who(owner)) + ");";
    }
    for (const std::string& id : f.temporary_keys) s += " " + Code(id) + " (temporary);";
    s += "\n- **Roles used or created**:";
    if (f.roles.empty() && f.sso_roles.empty()) s += " none named";
    for (const AccountName& r : f.roles) s += " " + Who(r) + ";";
    for (const AccountName& r : f.sso_roles) s += " " + Who(r) + " (permission set role);";
    s += "\n- **Federated users (GetFederationToken)**: " + List(f.federated_users) + "\n";
    if (!f.root_accounts.empty()) {
        s += "- **Root user activity** in " + List(f.root_accounts) + "\n";
    }
    s += "- **Detections**:\n";
    for (const auto& [rule, what] : f.rules) s += "  - " + Code(rule) + " " + what + "\n";
    s += "\n";
}

}  // namespace

std::string RenderPlaybook(const ContainPlan& plan, const IncidentFacts& f,
                           const ContainOptions& o) {
    std::string s = "# Containment playbook\n\n";
    s += "Written by `trailwarden contain`. Nothing here has been applied: `apply.sh` holds "
         "the AWS CLI commands (a dry run unless `TW_APPLY=yes`). Token-issue-time cut-off: **" +
         plan.cutoff_iso + "**.\n\n";
    Facts(s, f, o);

    s += "## Before you start\n\n";
    s += "- **SCPs do not apply to the management account.** They constrain member accounts "
         "only, so every SCP step below leaves the management account open; step 1 is what "
         "protects it. Keep the management account for the tasks that need it.\n";
    s += "- Break-glass roles exempted from every SCP (aws:PrincipalArn):";
    for (const std::string& r : o.break_glass_roles) s += " " + Code(r);
    s += ". They must exist, and be reachable, before any SCP is attached.\n";
    s += "- SCPs do not restrict service-linked roles, and you cannot revoke their sessions.\n";
    size_t at_root = 0;
    for (const Artifact& a : plan.artifacts) {
        for (const std::string& t : a.attach_to) at_root += (t == "root") ? 1 : 0;
    }
    s += "- This kit attaches " + std::to_string(at_root) +
         " SCP(s) at the root. Organizations limits how many SCPs a target may have (5 by "
         "default, FullAWSAccess included): check the quota and the SCPs already attached.\n";
    for (const std::string& n : plan.notes) s += "- Note: " + n + ".\n";
    s += "\n";

    s += "## Step 1: control the management account root user\n\n";
    s += "1. Confirm you hold the root user's password and every MFA device registered to it. "
         "If you do not, contact AWS Support now; until then the actor can undo everything "
         "below.\n";
    s += "2. Remove every root access key and rotate the root password.\n";
    if (!f.root_accounts.empty()) {
        s += "3. The findings show the root user acting in " + List(f.root_accounts) +
             ": treat those root credentials as compromised.\n";
    }
    s += "\n";

    s += "## Step 2: enforce control with SCPs (from the management account)\n\n";
    s += "1. **Deny all, break-glass excepted** (" + FileList(plan, "scp-deny-all") +
         "), attached to";
    for (const std::string& t : o.targets) s += " " + Code(t);
    s += ". This stops every new ";
    s += o.allow_read ? "non-read action (read-only actions stay allowed: `--allow-read`)"
                      : "action";
    s += " in the member accounts below the targets and will disrupt workloads: if the "
         "business cannot tolerate that organization-wide, attach it only to non-critical OUs "
         "or single accounts (`--target`).\n";
    s += "2. **Revoke sessions issued before " + plan.cutoff_iso + "** (" +
         FileList(plan, "scp-revoke-sessions") +
         ") at the root, whatever the tolerance chosen above. Every session and temporary token "
         "issued before the cut-off is denied, including the actor's; weigh the effect on "
         "sessions that do not renew themselves.\n";
    s += "3. **No new identity providers** (" + FileList(plan, "scp-deny-new-idp") +
         ") and **protected logging** (" + FileList(plan, "scp-protect-logging") +
         ": CloudTrail, GuardDuty, Config, Security Hub) at the root.";
    std::string tampering;
    for (const char* e : {"StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors",
                          "DeleteDetector", "StopConfigurationRecorder", "DisableSecurityHub"}) {
        if (f.event_names.contains(e)) tampering += tampering.empty() ? e : std::string(", ") + e;
    }
    if (!tampering.empty()) {
        s += " The findings show logging was tampered with (" + tampering +
             "): once the SCP holds, restore the trail and selector settings.";
    }
    s += "\n\n";

    s += "## Step 3: remove the federated access vector\n\n";
    s += "Only once steps 1 and 2 hold; the actor can otherwise come back.\n\n";
    s += "- Identity Center instances: " + List(f.sso_instances) + "; identity stores " +
         List(f.identity_store_ids) +
         ". If the actor created the identity store, deleting the instance is not disruptive "
         "but is permanent (users, groups, assignments are gone). If your own identity store "
         "was compromised and is how people sign in, switch the identity source from the "
         "external IdP to the Identity Center directory instead, knowing it drops the "
         "synchronised users and groups.\n";
    s += "- IAM identity providers: SAML " + List(f.saml_providers) + ", OIDC " +
         List(f.oidc_providers) + ". Delete those you did not create (commented in `apply.sh`).";
    for (const std::string& arn : f.saml_providers) {
        if (IsIdentityCenterSamlProvider(arn)) {
            s += " " + Code(arn) +
                 " belongs to IAM Identity Center (its account assignments): do not delete it in "
                 "IAM, act in Identity Center.";
        }
    }
    s += "\n";
    s += "- Look for other ways in: an Amazon Connect instance, an account instance of "
         "Identity Center, IAM SAML/OIDC providers in single accounts (events "
         "CreateSAMLProvider, CreateOpenIDConnectProvider, CreateInstance";
    for (const char* e : {"CreateSAMLProvider", "CreateOpenIDConnectProvider", "CreateInstance"}) {
        if (f.event_names.contains(e)) {
            s += "; the findings contain ";
            s += e;
        }
    }
    s += ").\n";
    s += "- Less disruptive: remove the permission sets assigned to the actor's users "
         "(permission sets " +
         List(f.permission_sets) +
         "), or detach the policies inside them. Identity Center users to disable: " +
         List(f.identity_center_users) + ".\n\n";

    s += "## Step 4: eradication\n\n";
    s += "1. In every account, generate the credential report and review it for access you "
         "did not create: `aws iam generate-credential-report`, then `aws iam "
         "get-credential-report --query Content --output text | base64 -d > report.csv` and "
         "`trailwarden audit --credential-report report.csv`.\n";
    s += "2. Revoke the sessions of every role that is not service-linked. ";
    if (const Artifact* a = Find(plan, ArtifactKind::kRoleInlinePolicy)) {
        s += "Roles named by the findings get " + Code(a->file) + " as inline policy " +
             Code(a->policy_name) + ":";
        for (const AccountName& r : f.roles) {
            if (IsIamName(r.name)) s += " " + Who(r) + ";";
        }
        s += " do the same for every other role.";
    } else {
        s += "The findings name no role; use the console's Revoke active sessions or the "
             "AWSRevokeOlderSessions policy on each role.";
    }
    if (!f.sso_roles.empty()) {
        s += " Permission set roles (AWSReservedSSO_*) cannot be edited: revoke their sessions "
             "in Identity Center or remove the account assignment.";
    }
    s += "\n";
    s += "3. Take back the root user of every other account (the credential report shows "
         "unknown MFA devices and root keys). While the SCPs hold, member-account root users "
         "are blocked.\n";
    s += "4. Before deleting anything the actor created, isolate it and keep evidence for "
         "forensics.\n";
    s += "5. Review IAM Access Analyzer for resources shared outside. Revoke every static "
         "access key";
    if (!f.static_keys.empty()) {
        s += " (named by the findings:";
        for (const auto& [id, owner] : f.static_keys) s += " " + Code(id) + ";";
        s += " deactivated by `apply.sh`)";
    }
    s += ". ";
    if (const Artifact* a = Find(plan, ArtifactKind::kUserInlinePolicy)) {
        s += "IAM users that had static keys get " + Code(a->file) + " (inline policy " +
             Code(a->policy_name) + "):";
        for (const AccountName& u : f.users_with_static_keys) {
            if (IsIamName(u.name)) s += " " + Who(u) + ";";
        }
        s += " it denies the temporary credentials (GetSessionToken, GetFederationToken) they "
             "issued before the cut-off. aws:TokenIssueTime is absent from requests signed with "
             "a long-term key, so only deactivating the key stops the key itself.";
    } else {
        s += "Give every IAM user that had static keys an inline deny on aws:TokenIssueTime "
             "before the cut-off.";
    }
    if (!f.federated_users.empty()) {
        s += " Federated sessions seen: " + List(f.federated_users) + ".";
    }
    s += "\n\n";

    s += "## Afterwards: keep it true (MSP practice)\n\n";
    s += "- People sign in through federation (SAML to the console and the API), not as IAM "
         "users with passwords.\n";
    s += "- Temporary credentials from STS everywhere; no long-lived access keys, roles for "
         "applications.\n";
    s += "- Keep SCPs that stop GuardDuty being tampered with and new IdPs being added; review "
         "posture with `trailwarden audit`.\n";
    s += "- Update your incident playbooks with what was done here.\n\n";

    s += "## Files\n\n| file | what |\n|---|---|\n";
    for (const Artifact& a : plan.artifacts) {
        std::string what;
        switch (a.kind) {
            case ArtifactKind::kScp:
                what = "SCP " + Code(a.policy_name) + ", attach to";
                for (const std::string& t : a.attach_to) what += " " + Code(t);
                break;
            case ArtifactKind::kRoleInlinePolicy:
                what = "inline policy for the affected roles";
                break;
            case ArtifactKind::kUserInlinePolicy:
                what = "inline policy for IAM users that had static keys";
                break;
            case ArtifactKind::kScript:
            case ArtifactKind::kPlaybook:
                continue;  // listed below
        }
        s += "| " + Code(a.file) + " | " + what + " |\n";
    }
    s += "| `apply.sh` | AWS CLI commands (dry run unless TW_APPLY=yes) |\n";
    s += "| `PLAYBOOK.md` | this playbook |\n";
    return s;
}

}  // namespace tw::response
