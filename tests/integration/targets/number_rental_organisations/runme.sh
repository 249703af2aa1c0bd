#!/usr/bin/env bash
# Many organisations in one job: the estate playbook over an inventory of one host per organisation,
# against three accounts of one emulator. Each converges; the re-run sends 4 requests per
# organisation and no write; two hosts naming one organisation stop before any request; one
# organisation's fault leaves the others converged and the estate names it; the estate is printed
# also when every organisation fails, and with --limit.
set -euo pipefail

# The sinch_emulator action (setup_sinch_emulator) drives the emulator's admin API.
ANSIBLE_ACTION_PLUGINS="$(cd ../setup_sinch_emulator/action_plugins && pwd)"
export ANSIBLE_ACTION_PLUGINS ANSIBLE_RETRY_FILES_ENABLED=False

config=../../integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/out.txt"

emulator() { ansible-playbook -i localhost, -e "@$config" -e "emulator_step=$1" emulator.yml; }
fail() { echo "FAILED: $*"; cat "$out"; exit 1; }
estate() {  # estate SCENARIO INVENTORY: the estate playbook, then the checks; its exit status
    ansible-playbook -i "$2" -e "@$config" -e "scenario=$1" --forks 3 run.yml > "$out" 2>&1
}
checked() {
    grep -q "estate checked: $1" "$out" || fail "the checks of scenario $1 did not all pass"
    grep -q "Traceback" "$out" && fail "a traceback appears in the output"
    grep -qE "^localhost +: .*failed=0" "$out" || fail "a check failed"
    for secret in north-password-not-a-secret south-password-not-a-secret east-password-not-a-secret not-the-password; do
        grep -qF "$secret" "$out" && fail "a password appears in the output"
    done
    return 0
}

# 1. Every organisation converges in one run, then a re-run changes nothing.
emulator reset
estate first organisations.yml || fail "the first run failed"
checked first
grep -qE "^(north|south|east) +: .*changed=[1-9].*failed=0" "$out" || fail "no organisation reported a change"
emulator clear
estate rerun organisations.yml || fail "the re-run failed"
checked rerun
grep -qE "^(north|south|east) +: .*changed=[1-9]" "$out" && fail "the re-run reported a change"

# 2. Two hosts naming one organisation: the play stops before any request.
emulator reset
if ansible-playbook -i duplicate.yml -e "@$config" sinch.numbers.estate > "$out" 2>&1; then
    fail "a play with two hosts naming one organisation ran"
fi
grep -q "Hosts north and north-again all name organisation 9300001" "$out" || fail "the refusal does not name the hosts"
grep -q "Nothing was sent to Sinch" "$out" || fail "the refusal does not say that nothing was sent"
grep -q "Traceback" "$out" && fail "a traceback appears in the output"
emulator verify_untouched

# 3. One organisation's fault: South answers 503 (and East's checkout answer is lost once), West's
#    password is wrong; North and East converge, South and West fail alone and the estate names them.
emulator reset
emulator fault
if estate fault faulted.yml; then
    fail "the job succeeded although South and West failed"
fi
checked fault
grep -qE "^south +: .*failed=1" "$out" || fail "South did not fail"
grep -qE "^west +: .*failed=1" "$out" || fail "West did not fail"
grep -qE "^north +: .*failed=0" "$out" || fail "North failed"
grep -qE "^east +: .*failed=0" "$out" || fail "East failed"

# 4. Every organisation fails (every log-in refused): each host stays failed, and the estate is still
#    printed, naming each, without saying that any holds 0 numbers.
emulator reset
if ansible-playbook -i failing.yml -e "@$config" sinch.numbers.estate > "$out" 2>&1; then
    fail "the job succeeded although every organisation failed"
fi
for host in north south east; do
    grep -qE "^$host +: .*failed=1" "$out" || fail "$host did not fail"
done
grep -qF "Estate: 3 organisations (0 converged, 0 changed, 3 failed)" "$out" || fail "no estate when every organisation failed"
grep -qF "Failed: 9300001 (host north); 9300002 (host south); 9300003 (host east)." "$out" || fail "the estate does not name them"
grep -qE "host (north|south|east): 0 numbers" "$out" && fail "a failed organisation is said to hold 0 numbers"
grep -q "Traceback" "$out" && fail "a traceback appears in the output"
grep -qF "not-the-password" "$out" && fail "a password appears in the output"

# 5. --limit to some organisations: the estate of those is printed (no play on localhost to skip).
emulator reset
ansible-playbook -i organisations.yml -e "@$config" --limit north,east sinch.numbers.estate > "$out" 2>&1 \
    || fail "the run limited to North and East failed"
grep -qF "Estate: 2 organisations (0 converged, 2 changed, 0 failed)" "$out" || fail "no estate with --limit"
grep -qE "host south" "$out" && fail "South ran although the run was limited to North and East"

echo "many organisations: converged, re-run clean, duplicates refused, a fault kept to its organisation, all failed, limited"
