#!/usr/bin/env bash
# ca_path, use_proxy and the TLS failure against a second emulator served over HTTPS with a CA made here
# (tls.yml): with ca_path a module and the lookup work; without it they fail with one sentence naming the host
# and the CA bundle, no traceback, and nothing reaches the emulator. Stops what it started.
set -euo pipefail

# The collection under test (ansible-test puts it first on ANSIBLE_COLLECTIONS_PATH): its emulator and CA maker.
coll="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/sinch/numbers"
config=../../integration_config.yml
work=$(mktemp -d)
pidfile="$work/tls-emulator.pid"
cleanup() {
    python "$coll/tests/emulator/ctl.py" stop --pidfile "$pidfile" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*"; exit 1; }

python "$coll/tests/emulator/make_test_certs.py" "$work/certs" > "$work/certs.txt"
value() { sed -n "s/^$1=//p" "$2"; }
python "$coll/tests/emulator/ctl.py" start --pidfile "$pidfile" --tls-cert "$(value TLS_CERT "$work/certs.txt")" \
    --tls-key "$(value TLS_KEY "$work/certs.txt")" > "$work/urls.txt" 2>&1 || { cat "$work/urls.txt"; fail "the TLS emulator did not start"; }
grep -q '^SINCH_USER_API_URL=https://' "$work/urls.txt" || { cat "$work/urls.txt"; fail "the TLS emulator does not say https://"; }

# A port of this machine where nothing listens, for the proxy the environment names.
dead_port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

# The lookup runs in the controller's process: no CA bundle or proxy of the environment of this test run there.
# SINCH_CA_PATH is set, empty: an empty variable counts as unset (not as the current directory) for the lookup too.
env -u REQUESTS_CA_BUNDLE -u CURL_CA_BUNDLE -u HTTPS_PROXY -u https_proxy -u ALL_PROXY -u all_proxy SINCH_CA_PATH= \
    ansible-playbook -i localhost, -e "@$config" \
    -e "tls_user_api_url=$(value SINCH_USER_API_URL "$work/urls.txt")" \
    -e "tls_api_url=$(value SINCH_API_URL "$work/urls.txt")" \
    -e "tls_portal_api_url=$(value SINCH_PORTAL_API_URL "$work/urls.txt")" \
    -e "tls_ca_path=$(value CA_PATH "$work/certs.txt")" \
    -e "tls_other_ca_path=$(value OTHER_CA_PATH "$work/certs.txt")" \
    -e "tls_work=$work" -e "tls_dead_port=$dead_port" \
    tls.yml > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "tls.yml"; }
grep -q "Traceback" "$work/out.txt" && { cat "$work/out.txt"; fail "a traceback appears in the output of tls.yml"; }
password=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sinch_password"])' "$config")
grep -qF -- "$password" "$work/out.txt" && fail "the password appears in the output of tls.yml"
grep -qF -- "proxy-password" "$work/out.txt" && fail "the proxy's password appears in the output of tls.yml"
grep -q "ok=.*failed=0" "$work/out.txt" || { cat "$work/out.txt"; fail "tls.yml did not succeed"; }
echo "tls.yml passed: ca_path verifies the TLS emulator, and without it the failure is one sentence"
