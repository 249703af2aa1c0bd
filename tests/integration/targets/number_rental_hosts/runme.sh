#!/usr/bin/env bash
# Runs the number_rental role in a play on two hosts that name no organisation and checks that it
# refuses, telling to name one organisation per host or to run
# on one host, before sending any request to Sinch.
set -euo pipefail

# The sinch_emulator action (setup_sinch_emulator) drives the emulator's admin API.
ANSIBLE_ACTION_PLUGINS="$(cd ../setup_sinch_emulator/action_plugins && pwd)"
export ANSIBLE_ACTION_PLUGINS

config=../../integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook -i localhost, -e "@$config" -e emulator_step=reset emulator.yml

if ansible-playbook -i two_hosts.ini -e "@$config" play.yml > "$work/out.txt" 2>&1; then
    cat "$work/out.txt"
    echo "FAILED: the role ran in a play on two hosts"
    exit 1
fi

fail() { echo "FAILED: $*"; cat "$work/out.txt"; exit 1; }
grep -q "have no number_rental_organisation_id" "$work/out.txt" || fail "the failure does not say that the hosts name no organisation"
grep -q "one host" "$work/out.txt" || fail "the failure does not tell to run the role on one host"
grep -qF "hosts: localhost" "$work/out.txt" || fail "the failure does not suggest hosts: localhost"
grep -q "rental_host_one.*failed=1" "$work/out.txt" || fail "rental_host_one did not fail"
grep -q "rental_host_two.*failed=1" "$work/out.txt" || fail "rental_host_two did not fail"
grep -q "Traceback" "$work/out.txt" && fail "a traceback appears in the output"

ansible-playbook -i localhost, -e "@$config" -e emulator_step=verify emulator.yml
echo "the role refused a play on two hosts without organisation ids before any request"
