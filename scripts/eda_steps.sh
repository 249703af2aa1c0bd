# shellcheck shell=bash
# The eda step of scripts/test.sh (sourced by it, after lib.sh and release_steps.sh):
#
#   eda   ansible-rulebook (pinned in scripts/requirements-eda.txt, in its own venv .build/eda-venv; it needs a
#         Java 17 runtime, found through JAVA_HOME or the java on PATH) with the built artifact installed, against
#         the emulator: scripts/eda_check.py runs extensions/eda/rulebooks/keep_numbers.yml and checks that a
#         number taken off an application is back after one renting run with no purchase, that a failed renting run
#         is tried again and repairs, that an expiring number
#         raises one expiring event, that unreadable listings raise no gone or unassigned event, and that no
#         secret appears in the output; every process it starts is stopped.

SN_VENV_EDA="$SN_BUILD/eda-venv"

sn_ensure_venv_eda() {
    local req="$SN_ROOT/scripts/requirements-eda.txt" base want stamp="$SN_VENV_EDA/.sinch-requirements-stamp"
    base="$(sn_base_python)" || return 1
    want="$( { sha256sum "$req" | cut -d' ' -f1; "$base" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
    if [ -x "$SN_VENV_EDA/bin/ansible-rulebook" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    sn_log "building .build/eda-venv from scripts/requirements-eda.txt"
    rm -rf "$SN_VENV_EDA"
    "$base" -m venv "$SN_VENV_EDA" || return 1
    "$SN_VENV_EDA/bin/python" -m pip install --disable-pip-version-check -q -r "$req" || return 1
    printf '%s\n' "$want" >"$stamp"
}

# JAVA_HOME of a Java 17 or later runtime: the one given, else the java on PATH.
sn_java_home() {
    local java home version
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        home="$JAVA_HOME"
    else
        java="$(command -v java)" || { sn_err "ansible-rulebook needs a Java 17 runtime: no java on PATH and no JAVA_HOME"; return 1; }
        home="$(dirname "$(dirname "$(readlink -f "$java")")")"
    fi
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
    if [ -z "$version" ] || [ "$version" -lt 17 ]; then
        sn_err "ansible-rulebook needs Java 17 or later; $home/bin/java is ${version:-of an unknown version}"
        return 1
    fi
    printf '%s\n' "$home"
}

step_eda() {
    local home="$SN_BUILD/eda" java_home
    java_home="$(sn_java_home)" || return 1
    sn_ensure_venv_eda || return 1
    sn_build_artifact || return 1
    rm -rf "$home"
    mkdir -p "$home/collections" "$home/locks" "$LOG_DIR"
    chmod 700 "$home/locks"
    sn_emulator_start || return 1
    (
        export PATH="$SN_VENV_EDA/bin:$PATH" VIRTUAL_ENV="$SN_VENV_EDA" JAVA_HOME="$java_home" \
            SINCH_LOCK_PATH="$home/locks"
        unset SINCH_INSTANCE_ID SINCH_INSTANCE_SECRET SINCH_ORGANISATION_ID
        ansible-rulebook --version | head -n 1
        ANSIBLE_HOME="$home/ansible-home" ansible-galaxy collection install --offline --force -p "$home/collections" \
            "$(sn_artifact)" || exit 1
        "$SN_VENV/bin/python" "$SN_ROOT/scripts/eda_check.py" --collections "$home/collections" --work "$home/work" \
            --fixture "$SN_COLL/tests/emulator/fixtures/default.yml" --timeout 120
    ) 2>&1 | tee "$LOG_DIR/eda.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
}
