#!/usr/bin/env bash
# Runs a play at -vvv that logs in, uses the instance, and fails a log-in with a wrong
# password, then checks that neither password nor the instance secret appear anywhere
# in what Ansible printed, and that the failure was one clear sentence with no traceback.
set -euo pipefail

config=../../integration_config.yml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook -vvv -i "${INVENTORY_PATH:-localhost,}" -e "@$config" -e "secret_file=$work/secret" \
    -e "wrong_password=Wr0ng-$RANDOM-password" -e "wrong_file=$work/wrong" \
    play.yml > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }

password=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sinch_password"])' "$config")
secret=$(cat "$work/secret")
wrong=$(cat "$work/wrong")
[ -n "$password" ] && [ -n "$secret" ] && [ -n "$wrong" ]

fail() { echo "FAILED: $*"; exit 1; }
grep -qF -- "$password" "$work/out.txt" && fail "the password appears in the -vvv output"
grep -qF -- "$wrong" "$work/out.txt" && fail "the wrong password appears in the -vvv output"
grep -qF -- "$secret" "$work/out.txt" && fail "the instance secret appears in the -vvv output"
grep -q "Traceback" "$work/out.txt" && fail "a traceback appears in the -vvv output"
grep -q "Sinch answered HTTP 401 errorCode 40100" "$work/out.txt" || fail "the wrong-password failure does not quote Sinch's answer"
grep -q "ok=.*failed=0" "$work/out.txt" || fail "the play did not succeed"
echo "no password, secret or traceback in $(wc -l < "$work/out.txt") lines of -vvv output"
