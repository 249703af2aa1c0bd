#!/usr/bin/env bash
# THE main command of sinch.numbers: bash scripts/main.sh [ansible-playbook options]
# Sets up (.venv, collection copy), starts the API emulator, runs playbooks/main.yml (the
# example playbook: the number_rental role, which ends with a summary) from the laid-out
# collection against it, and always stops the emulator. Extra arguments go to ansible-playbook
# (e.g. --check to preview).
# The modules read these environment fallbacks, exported here:
#   SINCH_USER_API_URL, SINCH_API_URL, SINCH_PORTAL_API_URL (the emulator's)
#   SINCH_EMAIL, SINCH_PASSWORD (the emulator's default fixture user)
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ -f "$SN_ROOT/playbooks/main.yml" ] || sn_die "playbooks/main.yml does not exist yet: nothing to run"

trap sn_emulator_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sn_setup || sn_die "setup failed"
sn_emulator_start || sn_die "could not start the API emulator"

sn_log "running playbooks/main.yml against the emulator ($SINCH_API_URL)"
# No inventory: the play runs on the implicit localhost with this interpreter (the venv's, which
# has requests); the two warnings about that say nothing useful here.
(cd "$SN_COLL" && ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False \
    ansible-playbook playbooks/main.yml "$@")
rc=$?
if [ "$rc" -ne 0 ]; then
    sn_err "playbooks/main.yml failed (exit status $rc)"
    exit "$rc"
fi
sn_log "playbooks/main.yml succeeded"
