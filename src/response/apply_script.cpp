// apply.sh: the AWS CLI commands that create and attach the containment policies. The script
// is a dry run unless TW_APPLY=yes; every value taken from the findings is shell-quoted, and
// member-account steps run only when the current credentials belong to that account.
#include <map>

#include "response/contain.h"

namespace tw::response {

namespace {

constexpr std::string_view kPrelude = R"SH(set -eu
cd "$(dirname "$0")"
APPLY="${TW_APPLY:-no}"

# run CMD...: prints the command; runs it only with TW_APPLY=yes.
run() {
    printf '+ %s\n' "$*" >&2
    if [ "$APPLY" = yes ]; then "$@"; fi
}

# create_scp NAME FILE DESCRIPTION: creates the service control policy NAME, or updates its
# content when a policy of that name exists (a second run), and prints its id.
create_scp() {
    printf '+ aws organizations create-policy --type SERVICE_CONTROL_POLICY --name %s --content file://%s\n' "$1" "$2" >&2
    if [ "$APPLY" != yes ]; then
        echo "p-dryrun"
        return
    fi
    existing=$(aws organizations list-policies --filter SERVICE_CONTROL_POLICY \
        --query "Policies[?Name=='$1'].Id" --output text)
    if [ -n "$existing" ] && [ "$existing" != "None" ]; then
        echo "policy $1 exists ($existing): updating its content" >&2
        aws organizations update-policy --policy-id "$existing" --content "file://$2" >/dev/null
        echo "$existing"
    else
        aws organizations create-policy --type SERVICE_CONTROL_POLICY --name "$1" \
            --description "$3" --content "file://$2" \
            --query Policy.PolicySummary.Id --output text
    fi
}

# attach_scp POLICY_ID TARGET: attaches a policy; an existing attachment is not an error.
attach_scp() {
    printf '+ aws organizations attach-policy --policy-id %s --target-id %s\n' "$1" "$2" >&2
    if [ "$APPLY" != yes ]; then return; fi
    if ! out=$(aws organizations attach-policy --policy-id "$1" --target-id "$2" 2>&1); then
        case "$out" in
            *DuplicatePolicyAttachment*) echo "already attached to $2" >&2 ;;
            *) echo "$out" >&2; return 1 ;;
        esac
    fi
}

# root_id: the id of the organization root.
root_id() {
    if [ "$APPLY" = yes ]; then
        aws organizations list-roots --query 'Roots[0].Id' --output text
    else
        echo "r-dryrun"
    fi
}

# in_account ID: the steps that follow run only with credentials of account ID.
ACCOUNT_OK=no
in_account() {
    printf '# --- account %s\n' "$1" >&2
    if [ "$APPLY" != yes ]; then ACCOUNT_OK=yes; return; fi
    if [ -z "$1" ]; then
        echo "skipped: the findings do not say which account; run these steps by hand" >&2
        ACCOUNT_OK=no
        return
    fi
    current=$(aws sts get-caller-identity --query Account --output text)
    if [ "$current" = "$1" ]; then
        ACCOUNT_OK=yes
    else
        echo "skipped: these steps are for account $1, the credentials are for $current" >&2
        ACCOUNT_OK=no
    fi
}
run_in_account() {
    if [ "$ACCOUNT_OK" = yes ]; then run "$@"; fi
}

if [ "$APPLY" != yes ]; then
    echo "# dry run: printing the commands only; review them and PLAYBOOK.md, then run" >&2
    echo "#   TW_APPLY=yes sh apply.sh" >&2
fi
)SH";

std::string Target(const std::string& t) { return t == "root" ? "\"$ROOT\"" : ShellQuote(t); }

void Scp(std::string& s, const ContainPlan& plan, std::string_view stem) {
    int n = 0;
    for (const Artifact& a : plan.artifacts) {
        if (a.kind != ArtifactKind::kScp || !a.file.starts_with(stem)) continue;
        const std::string rest = a.file.substr(stem.size());
        if (rest != ".json" && !(rest.starts_with("-") && rest.ends_with(".json"))) continue;
        const std::string var = "P" + std::to_string(++n);
        s += var + "=$(create_scp " + ShellQuote(a.policy_name) + " " + ShellQuote(a.file) + " " +
             ShellQuote(a.description) + ")\n";
        for (const std::string& t : a.attach_to) {
            s += "attach_scp \"$" + var + "\" " + Target(t) + "\n";
        }
    }
}

bool Has(const ContainPlan& plan, ArtifactKind kind) {
    for (const Artifact& a : plan.artifacts) {
        if (a.kind == kind) return true;
    }
    return false;
}

}  // namespace

std::string RenderApplyScript(const ContainPlan& plan, const IncidentFacts& facts,
                              const ContainOptions& o) {
    std::string s = "#!/bin/sh\n";
    s += "# trailwarden contain: AWS CLI commands that create and attach the containment\n"
         "# policies of this directory. trailwarden never runs this script; read PLAYBOOK.md,\n"
         "# review every command, then run it yourself.\n"
         "#\n"
         "#   sh apply.sh                 dry run: prints the commands, calls nothing\n"
         "#   TW_APPLY=yes sh apply.sh    runs them\n"
         "#\n"
         "# Token-issue-time cut-off: " +
         plan.cutoff_iso +
         "\n"
         "# The SCP steps run with credentials of the organization's management account.\n"
         "# Break-glass roles exempted from every SCP:\n";
    for (const std::string& r : o.break_glass_roles) s += "#   " + r + "\n";
    s += "\n";
    s += kPrelude;
    s += "\n# Step 1 (by hand): make sure you control the management account root user\n"
         "# (password, every MFA device, no access keys). SCPs do not apply to the\n"
         "# management account.\n";
    s += "\n# Step 2: service control policies (management account).\n";
    s += "ROOT=$(root_id)\n";
    s += "\n# 2a. Deny every action except the break-glass roles, on the chosen targets\n"
         "#     (disruptive: apply only where the business can tolerate it).\n";
    Scp(s, plan, "scp-deny-all");
    s += "\n# 2b. At a minimum, at the root: deny sessions and tokens issued before the cut-off.\n";
    Scp(s, plan, "scp-revoke-sessions");
    s += "\n# 2c. At the root: no new identity providers, no tampering with logging.\n";
    Scp(s, plan, "scp-deny-new-idp");
    Scp(s, plan, "scp-protect-logging");

    s += "\n# Step 3 (after review, by hand): remove the federated access vector.\n";
    for (const std::string& arn : facts.saml_providers) {
        if (IsIdentityCenterSamlProvider(arn)) {
            s += "# " + ShellQuote(arn) +
                 ": created by IAM Identity Center, do not delete it here; remove the account "
                 "assignment in Identity Center instead\n";
            continue;
        }
        s += "# aws iam delete-saml-provider --saml-provider-arn " + ShellQuote(arn) + "\n";
    }
    for (const std::string& arn : facts.oidc_providers) {
        s += "# aws iam delete-open-id-connect-provider --open-id-connect-provider-arn " +
             ShellQuote(arn) + "\n";
    }
    for (const std::string& arn : facts.sso_instances) {
        s += "# aws sso-admin delete-instance --instance-arn " + ShellQuote(arn) +
             "   # permanent\n";
    }
    for (const std::string& arn : facts.permission_sets) {
        s += "# review assignments of permission set " + ShellQuote(arn) +
             " (aws sso-admin list-accounts-for-provisioned-permission-set)\n";
    }

    s += "\n# Step 4: eradication, in each member account.\n";
    std::map<std::string, std::string> by_account;  // account -> commands
    if (Has(plan, ArtifactKind::kRoleInlinePolicy)) {
        for (const AccountName& r : facts.roles) {
            if (!IsIamName(r.name)) continue;
            by_account[r.account] += "run_in_account aws iam put-role-policy --role-name " +
                                     ShellQuote(r.name) +
                                     " --policy-name AWSRevokeOlderSessions --policy-document "
                                     "file://iam-role-revoke-older-sessions.json\n";
        }
    }
    if (Has(plan, ArtifactKind::kUserInlinePolicy)) {
        for (const AccountName& u : facts.users_with_static_keys) {
            if (!IsIamName(u.name)) continue;
            by_account[u.account] +=
                "run_in_account aws iam put-user-policy --user-name " + ShellQuote(u.name) +
                " --policy-name trailwarden-deny-credentials-before-cutoff --policy-document "
                "file://iam-user-token-issue-time.json\n";
        }
    }
    for (const auto& [key, owner] : facts.static_keys) {
        if (!IsIamName(owner.name)) {
            by_account[owner.account] += "# access key " + key +
                                         ": owner unknown; find it with the credential report "
                                         "or aws iam list-access-keys, then deactivate it\n";
            continue;
        }
        by_account[owner.account] += "run_in_account aws iam update-access-key --user-name " +
                                     ShellQuote(owner.name) + " --access-key-id " + key +
                                     " --status Inactive\n";
        by_account[owner.account] += "# after review: aws iam delete-access-key --user-name " +
                                     ShellQuote(owner.name) + " --access-key-id " + key + "\n";
    }
    for (const auto& [account, commands] : by_account) {
        s += "in_account " + ShellQuote(account) + "\n" + commands;
    }
    if (by_account.empty()) s += "# (the findings name no role, user or access key)\n";
    s += "\necho \"done\" >&2\n";
    return s;
}

}  // namespace tw::response
