#!/bin/sh
# trailwarden contain: AWS CLI commands that create and attach the containment
# policies of this directory. trailwarden never runs this script; read PLAYBOOK.md,
# review every command, then run it yourself.
#
#   sh apply.sh                 dry run: prints the commands, calls nothing
#   TW_APPLY=yes sh apply.sh    runs them
#
# Token-issue-time cut-off: 2024-06-20T21:55:34Z
# The SCP steps run with credentials of the organization's management account.
# Break-glass roles exempted from every SCP:
#   arn:aws:iam::*:role/IR-BreakGlass

set -eu
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

# Step 1 (by hand): make sure you control the management account root user
# (password, every MFA device, no access keys). SCPs do not apply to the
# management account.

# Step 2: service control policies (management account).
ROOT=$(root_id)

# 2a. Deny every action except the break-glass roles, on the chosen targets
#     (disruptive: apply only where the business can tolerate it).
P1=$(create_scp 'trailwarden-deny-all' 'scp-deny-all.json' 'trailwarden containment: deny every action except break-glass roles')
attach_scp "$P1" "$ROOT"

# 2b. At a minimum, at the root: deny sessions and tokens issued before the cut-off.
P1=$(create_scp 'trailwarden-revoke-sessions' 'scp-revoke-sessions.json' 'trailwarden containment: deny sessions issued before 2024-06-20T21:55:34Z')
attach_scp "$P1" "$ROOT"

# 2c. At the root: no new identity providers, no tampering with logging.
P1=$(create_scp 'trailwarden-deny-new-idp' 'scp-deny-new-idp.json' 'trailwarden containment: no new or changed identity providers or identity sources')
attach_scp "$P1" "$ROOT"
P1=$(create_scp 'trailwarden-protect-logging' 'scp-protect-logging.json' 'trailwarden containment: protect CloudTrail, GuardDuty, Config and Security Hub')
attach_scp "$P1" "$ROOT"

# Step 3 (after review, by hand): remove the federated access vector.
# aws iam delete-saml-provider --saml-provider-arn 'arn:aws:iam::111111111111:saml-provider/ExternalIdP'
# aws sso-admin delete-instance --instance-arn 'arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6'   # permanent
# review assignments of permission set 'arn:aws:sso:::permissionSet/ssoins-7223a1b2c3d4e5f6/ps-0a1b2c3d4e5f6a7b' (aws sso-admin list-accounts-for-provisioned-permission-set)

# Step 4: eradication, in each member account.
in_account '222222222222'
run_in_account aws iam put-user-policy --user-name 'svc-backup' --policy-name trailwarden-deny-credentials-before-cutoff --policy-document file://iam-user-token-issue-time.json
run_in_account aws iam update-access-key --user-name 'svc-backup' --access-key-id AKIAEXAMPLEKEY000001 --status Inactive
# after review: aws iam delete-access-key --user-name 'svc-backup' --access-key-id AKIAEXAMPLEKEY000001
in_account '333333333333'
run_in_account aws iam put-role-policy --role-name 'OpsAutomation' --policy-name AWSRevokeOlderSessions --policy-document file://iam-role-revoke-older-sessions.json

echo "done" >&2
