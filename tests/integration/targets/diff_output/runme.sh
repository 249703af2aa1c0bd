#!/usr/bin/env bash
# Runs writing modules with --diff and checks what Ansible prints: a unified diff of E.164
# numbers with the module's header, and no callback warning.
set -euo pipefail

# The sinch_emulator action (setup_sinch_emulator) drives the emulator's admin API.
ANSIBLE_ACTION_PLUGINS="$(cd ../setup_sinch_emulator/action_plugins && pwd)"
export ANSIBLE_ACTION_PLUGINS

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook --diff -i "${INVENTORY_PATH:-localhost,}" -e "@../../integration_config.yml" play.yml \
    > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }

fail() { echo "FAILED: $*"; cat "$work/out.txt"; exit 1; }
grep -q "Callback dispatch" "$work/out.txt" && fail "a callback could not render the diff"
grep -q "^--- before: voice numbers of application bb7b4e39-4227-4913-8c81-2db4abb54fb3" "$work/out.txt" \
    || fail "the application diff has no header"
grep -qxF -- "++14150005550" "$work/out.txt" || fail "the added number is not shown as an added line"
grep -qxF -- "-+14150005550" "$work/out.txt" || fail "the removed number is not shown as a removed line"
grep -q "^--- before: numbers of application bb7b4e39" "$work/out.txt" || fail "the removal diff has no header"
grep -qxF -- "+(new number in group 1)" "$work/out.txt" || fail "the rent plan is not shown in check mode's diff"
echo "diffs rendered: $(grep -c '^@@' "$work/out.txt") hunks"
