#!/usr/bin/env bash
# The rented_numbers lookup and the e164 filter against the emulator (lookup.yml, at -vvv, with
# checks that no password or instance secret is printed), then the example playbook
# sinch.numbers.sip_trunk: check mode writes nothing, a real run renders the expected file with
# four requests, a re-run changes nothing.
set -euo pipefail

# The emulator's admin API through the test action of setup_sinch_emulator.
ANSIBLE_ACTION_PLUGINS="$(cd ../setup_sinch_emulator/action_plugins && pwd)"
export ANSIBLE_ACTION_PLUGINS

config=../../integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

wrong="Wr0ng-$RANDOM-password"
ansible-playbook -vvv -i localhost, -e "@$config" -e "secret_file=$work/secret" -e "wrong_password=$wrong" \
    lookup.yml > "$work/lookup.txt" 2>&1 || { cat "$work/lookup.txt"; fail "lookup.yml"; }
password=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sinch_password"])' "$config")
secret=$(cat "$work/secret")
[ -n "$password" ] && [ -n "$secret" ]
grep -qF -- "$password" "$work/lookup.txt" && fail "the password appears in the -vvv output of lookup.yml"
grep -qF -- "$wrong" "$work/lookup.txt" && fail "the wrong password appears in the -vvv output of lookup.yml"
grep -qF -- "$secret" "$work/lookup.txt" && fail "the instance secret appears in the -vvv output of lookup.yml"
grep -q "Traceback" "$work/lookup.txt" && fail "a traceback appears in the -vvv output of lookup.yml"
grep -q "ok=.*failed=0" "$work/lookup.txt" || { cat "$work/lookup.txt"; fail "lookup.yml did not succeed"; }
echo "lookup.yml passed; no password, secret or traceback in $(wc -l < "$work/lookup.txt") lines of -vvv output"

# The example playbook takes its credentials and Sinch hosts from the environment, as documented.
eval "$(python - "$config" <<'PY'
import shlex, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
for name in ("user_api_url", "api_url", "portal_api_url", "email", "password"):
    print("export SINCH_%s=%s" % (name.upper(), shlex.quote(str(c["sinch_" + name]))))
PY
)"
dest="$work/extensions_sinch.conf"
# Implicit localhost (no inventory): a local connection and the controller's Python.
trunk=(ansible-playbook sinch.numbers.sip_trunk -e "sip_trunk_dest=$dest" -e "sip_trunk_caller_id='1 415-000-5551'")

ansible-playbook -i localhost, -e "@$config" -e trunk_step=setup trunk.yml
"${trunk[@]}" --check --diff > "$work/check.txt" 2>&1 || { cat "$work/check.txt"; fail "the check run of sip_trunk failed"; }
[ -e "$dest" ] && fail "check mode wrote $dest"
grep -qF "+exten => +14150005550,1,Goto(from-pstn,+14150005550,1)" "$work/check.txt" || { cat "$work/check.txt"; fail "the check run's diff does not show the numbers"; }

ansible-playbook -i localhost, -e "@$config" -e trunk_step=clear trunk.yml
"${trunk[@]}" > "$work/run.txt" 2>&1 || { cat "$work/run.txt"; fail "sip_trunk failed"; }
grep -q "localhost.*changed=1 .*failed=0" "$work/run.txt" || { cat "$work/run.txt"; fail "sip_trunk did not report one change"; }
diff -u expected_extensions_sinch.conf "$dest" || fail "the rendered file differs from expected_extensions_sinch.conf"
ansible-playbook -i localhost, -e "@$config" -e trunk_step=verify trunk.yml

"${trunk[@]}" > "$work/rerun.txt" 2>&1 || { cat "$work/rerun.txt"; fail "the re-run of sip_trunk failed"; }
grep -q "localhost.*changed=0 .*failed=0" "$work/rerun.txt" || { cat "$work/rerun.txt"; fail "the re-run of sip_trunk changed something"; }
echo "sip_trunk rendered the application's numbers with four requests, and a re-run changed nothing"
