#!/usr/bin/env bash
# THE test command of sinch.numbers: bash scripts/test.sh
#
# Steps, in order, failing fast (each is named in the output and in the summary):
#   setup        .venv from requirements-dev.txt (the newest ansible-core on Python 3.13 or 3.12;
#                else Python 3.11 and ansible-core 2.19, saying so: see scripts/lib.sh), copy of the
#                collection under .build/ansible_collections/sinch/numbers, get-pip stand-in
#   sanity       ansible-test sanity --requirements --python X.Y (.venv's; no ignore files allowed)
#   ansible-doc  ansible-doc -t module sinch.numbers.<name> for every module, -t lookup and -t filter
#                for every lookup plugin and documented filter
#   units        scripts/check_test_names.py (no test name defined twice in one file, which
#                would hide the first), then ansible-test units --python X.Y
#   emulator     python -m pytest tests/emulator/tests
#   integration  emulator started, tests/integration/integration_config.yml written,
#                ansible-test integration --python X.Y (local, venv python)
#   lint         ansible-lint --profile production on roles/, playbooks/, extensions/molecule, extensions/eda
#   changelog    antsibull-changelog lint on changelogs/fragments
#   molecule     molecule test --all (scenarios in extensions/molecule)
#   artifact, ee, docs, awx, compat   release steps, see scripts/release_steps.sh (the built
#                artifact and galaxy-importer, ansible-builder create, antsibull-docs lint, the
#                main job as AWX runs it, every older ansible-core from 2.16 on: units and role
#                idempotence)
#   eda          the keep_numbers rulebook with the real ansible-rulebook (see scripts/eda_steps.sh)
#   examples     the README is a test: the artifact built again and installed, as written, by a fresh
#                reader (new home, a venv with only ansible-core) who runs every command and YAML example
#                README.md and the guides mark to run (the sandbox first, stopped last); unmarked YAML
#                must say "# fragment:"; see scripts/readme_examples.py
# Each step's output and its summary line say which Python and ansible-core it ran with.
# The last line reads "steps: N passed, N failed[, N skipped]".
#
# Environment knobs: SN_BASE_PYTHON (interpreter the venv is built from),
# SN_ONLY="sanity units ..." (run only these steps after setup; for local iteration),
# SN_TARGETS="target ..." (the integration step runs only these targets).

set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/release_steps.sh
. "$(dirname "${BASH_SOURCE[0]}")/release_steps.sh"
# shellcheck source=scripts/eda_steps.sh
. "$(dirname "${BASH_SOURCE[0]}")/eda_steps.sh"

SKIPPED=77
STEP_NAMES=()
STEP_STATES=()
STEP_NOTES=()
SKIP_NOTE=""
STEP_NOTE=""   # a step may set it (the compat step does); default: .venv's Python and ansible-core
N_PASSED=0
N_FAILED=0
N_SKIPPED=0
LOG_DIR="$SN_BUILD/logs"
T_START=$SECONDS

# Plain logs when not on a terminal (CI): molecule and ansible-lint colour by default.
if [ ! -t 1 ]; then
    export NO_COLOR=1 PY_COLORS=0
fi

cleanup() {
    sn_emulator_stop
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

skip() {
    SKIP_NOTE="$*"
    return "$SKIPPED"
}

summary() {
    local i
    printf '\n==================== sinch.numbers test summary ====================\n'
    for i in "${!STEP_NAMES[@]}"; do
        printf '  %-4s  %-12s %s\n' "${STEP_STATES[$i]}" "${STEP_NAMES[$i]}" "${STEP_NOTES[$i]}"
    done
    printf '  total time: %ss\n' "$((SECONDS - T_START))"
    if [ "$N_SKIPPED" -gt 0 ]; then
        printf 'steps: %d passed, %d failed, %d skipped\n' "$N_PASSED" "$N_FAILED" "$N_SKIPPED"
    else
        printf 'steps: %d passed, %d failed\n' "$N_PASSED" "$N_FAILED"
    fi
}

wanted() {
    [ -z "${SN_ONLY:-}" ] && return 0
    case " $SN_ONLY " in *" $1 "*) return 0 ;; esac
    return 1
}

# run_step NAME FUNCTION: runs FUNCTION in this shell; exit status 0 = pass, 77 = skip.
run_step() {
    local name="$1" fn="$2" rc t0
    if [ "$name" != setup ] && ! wanted "$name"; then
        return 0
    fi
    printf '\n======== step: %s ========\n' "$name"
    [ -n "$SN_CORE_VERSION" ] && printf 'with .venv: %s\n' "$(sn_tools_note)"
    t0=$SECONDS
    SKIP_NOTE=""
    STEP_NOTE=""
    "$fn"
    rc=$?
    STEP_NAMES+=("$name")
    if [ -z "$STEP_NOTE" ] && [ -n "$SN_CORE_VERSION" ]; then
        STEP_NOTE="$(sn_tools_note)"
    fi
    if [ "$rc" -eq 0 ]; then
        STEP_STATES+=(PASS)
        STEP_NOTES+=("$((SECONDS - t0))s${STEP_NOTE:+, $STEP_NOTE}")
        N_PASSED=$((N_PASSED + 1))
    elif [ "$rc" -eq "$SKIPPED" ]; then
        printf 'step %s skipped: %s\n' "$name" "$SKIP_NOTE"
        STEP_STATES+=(SKIP)
        STEP_NOTES+=("$SKIP_NOTE")
        N_SKIPPED=$((N_SKIPPED + 1))
    else
        STEP_STATES+=(FAIL)
        STEP_NOTES+=("$((SECONDS - t0))s, exit status $rc${STEP_NOTE:+, $STEP_NOTE}")
        N_FAILED=$((N_FAILED + 1))
        printf '\nFAILED: step "%s" (exit status %d)\n' "$name" "$rc" >&2
        sn_emulator_stop
        summary
        exit 1
    fi
}

# Run a command in the laid-out collection, teeing its output to .build/logs/NAME.log.
in_coll() {
    local log="$LOG_DIR/$1.log"
    shift
    mkdir -p "$LOG_DIR"
    (cd "$SN_COLL" && "$@") 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

# --- a. setup ------------------------------------------------------------------------
step_setup() {
    sn_setup
}

# --- b. sanity -----------------------------------------------------------------------
step_sanity() {
    local bypass
    bypass="$(cd "$SN_COLL" && ls tests/sanity/ignore-*.txt tests/sanity/skip-*.txt 2>/dev/null)"
    if [ -n "$bypass" ]; then
        sn_err "sanity ignore/skip files are not allowed; fix the findings instead: $(echo "$bypass" | tr '\n' ' ')"
        return 1
    fi
    in_coll sanity ansible-test sanity --requirements --python "$SN_PY_VERSION" || return 1
    # Guard against ansible-test seeing no files (it then "passes" with this warning).
    if grep -q '^WARNING: All targets skipped' "$LOG_DIR/sanity.log"; then
        sn_err "ansible-test sanity found no files to test in the laid-out collection"
        return 1
    fi
}

# --- c. ansible-doc ------------------------------------------------------------------
step_ansible_doc() {
    local dir="$SN_COLL/plugins/modules" path name out err rc failed=0 count=0
    shopt -s nullglob
    local modules=("$dir"/*.py)
    shopt -u nullglob
    for path in "${modules[@]}"; do
        name="$(basename "$path" .py)"
        [ "$name" = "__init__" ] && continue
        count=$((count + 1))
        out="$(mktemp)"
        err="$(mktemp)"
        (cd "$SN_BUILD" && ansible-doc -t module "sinch.numbers.$name") >"$out" 2>"$err"
        rc=$?
        if [ "$rc" -ne 0 ] || [ ! -s "$out" ] || grep -qE '\[(WARNING|ERROR)\]|^ERROR' "$err"; then
            sn_err "ansible-doc -t module sinch.numbers.$name failed (exit status $rc):"
            cat "$err" >&2
            failed=$((failed + 1))
        else
            printf '  ok  sinch.numbers.%s (%s lines)\n' "$name" "$(wc -l <"$out")"
        fi
        rm -f "$out" "$err"
    done
    [ "$count" -gt 0 ] || { skip "no modules in plugins/modules yet"; return; }
    [ "$failed" -eq 0 ] || { sn_err "$failed of $count module docs did not render"; return 1; }
    echo "$count module docs rendered"
    plugin_docs
}

# Lookup plugins (plugins/lookup/NAME.py) and filters (documented in plugins/filter/NAME.yml).
plugin_docs() {
    local path type name out err rc failed=0 count=0
    shopt -s nullglob
    for path in "$SN_COLL"/plugins/lookup/*.py "$SN_COLL"/plugins/filter/*.yml; do
        type="$(basename "$(dirname "$path")")"
        name="$(basename "${path%.*}")"
        [ "$name" = "__init__" ] && continue
        count=$((count + 1))
        out="$(mktemp)"
        err="$(mktemp)"
        (cd "$SN_BUILD" && ansible-doc -t "$type" "sinch.numbers.$name") >"$out" 2>"$err"
        rc=$?
        if [ "$rc" -ne 0 ] || [ ! -s "$out" ] || grep -qE '\[(WARNING|ERROR)\]|^ERROR' "$err"; then
            sn_err "ansible-doc -t $type sinch.numbers.$name failed (exit status $rc):"
            cat "$err" >&2
            failed=$((failed + 1))
        else
            printf '  ok  %s sinch.numbers.%s (%s lines)\n' "$type" "$name" "$(wc -l <"$out")"
        fi
        rm -f "$out" "$err"
    done
    shopt -u nullglob
    [ "$failed" -eq 0 ] || { sn_err "$failed of $count plugin docs did not render"; return 1; }
    echo "$count plugin docs rendered"
}

# --- d. units ------------------------------------------------------------------------
# Count <testcase> entries in ansible-test's junit output (it treats "no tests" as success).
count_junit_tests() {
    python - "$SN_COLL/tests/output/junit" <<'PY'
import glob
import os
import sys
import xml.etree.ElementTree as ET

total = 0
for path in glob.glob(os.path.join(sys.argv[1], "*units.xml")):
    total += len(ET.parse(path).getroot().findall(".//testcase"))
print(total)
PY
}

step_units() {
    local files tests
    files="$(cd "$SN_COLL" && find tests/unit -name 'test_*.py' -type f 2>/dev/null | wc -l)"
    [ "$files" -gt 0 ] || { skip "no tests/unit/**/test_*.py files yet"; return; }
    # A test defined twice under one name runs once, silently: refuse that first.
    in_coll test-names python scripts/check_test_names.py tests/unit tests/emulator/tests || return 1
    rm -rf "$SN_COLL/tests/output/junit"
    in_coll units ansible-test units --python "$SN_PY_VERSION" || return 1
    tests="$(count_junit_tests)" || return 1
    if [ "$tests" -eq 0 ]; then
        sn_err "$files unit test file(s) exist but no test ran (pytest collected nothing)"
        return 1
    fi
    echo "$tests unit test(s) ran"
}

# --- e. emulator self-tests ----------------------------------------------------------
step_emulator_tests() {
    local files rc
    [ -d "$SN_COLL/tests/emulator/tests" ] || { skip "tests/emulator/tests does not exist yet"; return; }
    files="$(cd "$SN_COLL" && find tests/emulator/tests \( -name 'test_*.py' -o -name '*_test.py' \) -type f | wc -l)"
    [ "$files" -gt 0 ] || { skip "tests/emulator/tests has no test files yet"; return; }
    in_coll emulator python -m pytest -p no:cacheprovider tests/emulator/tests -q
    rc=$?
    if [ "$rc" -eq 5 ]; then
        sn_err "pytest collected no tests in tests/emulator/tests although $files test file(s) exist"
        return 1
    fi
    return "$rc"
}

# --- f. integration ------------------------------------------------------------------
write_integration_config() {
    cat >"$SN_COLL/tests/integration/integration_config.yml" <<EOF
---
# Written by scripts/test.sh for the emulator started for this run.
sinch_user_api_url: "$SINCH_USER_API_URL"
sinch_api_url: "$SINCH_API_URL"
sinch_portal_api_url: "$SINCH_PORTAL_API_URL"
sinch_email: "$SN_DEFAULT_EMAIL"
sinch_password: "$SN_DEFAULT_PASSWORD"
sinch_organisation_id: $SN_DEFAULT_ORGANISATION_ID
# The renting lock and pending purchases of the tests: in the build directory, never in /var/tmp.
sinch_lock_path: "$SN_BUILD/locks"
EOF
    mkdir -p "$SN_BUILD/locks" && chmod 700 "$SN_BUILD/locks"
}

# Targets ansible-test would run by default: not setup_*/prepare_* (always hidden, used as
# dependencies), not aliased hidden, disabled, unsupported or unstable.
runnable_targets() {
    local dir name
    for dir in "$SN_COLL"/tests/integration/targets/*/; do
        [ -d "$dir" ] || continue
        name="$(basename "$dir")"
        case "$name" in setup_* | prepare_*) continue ;; esac
        if [ -f "$dir/aliases" ] && grep -qE '^[[:space:]]*(hidden|disabled|unsupported|unstable)[[:space:]]*(#.*)?$' "$dir/aliases"; then
            continue
        fi
        echo "$name"
    done
}

step_integration() {
    local targets ran
    targets="$(runnable_targets | wc -l)"
    [ "$targets" -gt 0 ] || { skip "no runnable integration targets in tests/integration/targets yet"; return; }
    sn_emulator_start || return 1
    write_integration_config || return 1
    # Local run (no --docker/--venv): ansible-test uses the pythonX.Y first on PATH, the
    # venv's, as controller and as module interpreter, so modules have requests.
    # SN_TARGETS="a b" runs only those targets (local iteration); CI runs them all.
    # shellcheck disable=SC2086  # SN_TARGETS is a list of target names
    in_coll integration ansible-test integration --python "$SN_PY_VERSION" ${SN_TARGETS:-} || return 1
    [ -n "${SN_TARGETS:-}" ] && targets="$(echo "$SN_TARGETS" | wc -w)"
    ran="$(grep -cE '^Running [^ ]+ integration test (role|script)' "$LOG_DIR/integration.log")"
    if [ "$ran" -eq 0 ]; then
        sn_err "$targets runnable target(s) exist but ansible-test ran none (check their aliases)"
        return 1
    fi
    if [ "$ran" -lt "$targets" ]; then
        sn_warn "ansible-test ran $ran of $targets runnable target(s); see .build/logs/integration.log"
    fi
    echo "$ran integration target(s) ran"
}

# --- g. ansible-lint -----------------------------------------------------------------
step_lint() {
    local paths=() p
    for p in roles playbooks extensions/molecule extensions/eda; do
        [ -e "$SN_COLL/$p" ] && paths+=("$p")
    done
    [ "${#paths[@]}" -gt 0 ] || { skip "none of roles/, playbooks/, extensions/molecule/ exists yet"; return; }
    # --offline: no galaxy installs and no version check; the collection resolves via
    # ANSIBLE_COLLECTIONS_PATH (.build).
    in_coll lint ansible-lint --offline --profile production "${paths[@]}"
}

# --- h. molecule ---------------------------------------------------------------------
step_changelog() {
    # Every fragment must parse and use a known section, so the release notes can be built.
    in_coll changelog antsibull-changelog lint
}

step_molecule() {
    local scenarios ran
    [ -d "$SN_COLL/extensions/molecule" ] || { skip "extensions/molecule does not exist yet"; return; }
    scenarios="$(find "$SN_COLL/extensions/molecule" -mindepth 2 -maxdepth 2 -name molecule.yml | wc -l)"
    [ "$scenarios" -gt 0 ] || { skip "no scenarios (extensions/molecule/*/molecule.yml) yet"; return; }
    # Every scenario starts its own emulator in its create step and stops it in its destroy step
    # (extensions/molecule/resources/), and gives its URLs to the role explicitly. The SINCH_*
    # variables of the integration step's emulator are dropped, so no scenario can reach that
    # emulator by accident.
    # Run from the collection root: molecule detects galaxy.yml, takes scenarios from
    # extensions/molecule/ and, before each scenario, builds the collection and installs it
    # into $ANSIBLE_HOME/collections (first on its collections path). ANSIBLE_HOME points
    # into .build so that copy (and molecule's ephemeral dirs) stay out of ~/.ansible.
    ANSIBLE_HOME="$SN_BUILD/ansible-home" in_coll molecule env -u SINCH_USER_API_URL -u SINCH_API_URL \
        -u SINCH_PORTAL_API_URL -u SINCH_EMAIL -u SINCH_PASSWORD -u SINCH_INSTANCE_ID -u SINCH_INSTANCE_SECRET \
        -u SINCH_ORGANISATION_ID molecule test --all || return 1
    # Guard against molecule finding fewer scenarios than exist (it would still succeed).
    ran="$(sed 's/\x1b\[[0-9;]*m//g' "$LOG_DIR/molecule.log" | grep -cE '^[a-z0-9_/-]+ +: actions=')"
    if [ "$ran" -lt "$scenarios" ]; then
        sn_err "molecule ran $ran of $scenarios scenario(s); see .build/logs/molecule.log"
        return 1
    fi
    echo "$ran molecule scenario(s) passed"
}

# --- examples (the README is a test) --------------------------------------------------
step_examples() {
    local core doc docs=(README.md)
    # Every guide but the AWX one, whose YAML is AWX's own (job templates, an execution environment).
    for doc in "$SN_COLL"/docs/docsite/rst/*.rst; do
        [ "$(basename "$doc")" = awx.rst ] || docs+=("docs/docsite/rst/$(basename "$doc")")
    done
    python -m pytest -q -p no:cacheprovider "$SN_COLL/tests/unit/scripts/test_readme_examples.py" || return 1
    sn_build_artifact || return 1
    # the reader gets the ansible-core of .venv (the newest, or the fallback's)
    core="ansible-core==$(python -c 'import ansible.release; print(ansible.release.__version__)')" ||
        { sn_err "cannot read the ansible-core version of .venv"; return 1; }
    in_coll examples python scripts/readme_examples.py --artifact "$(sn_artifact)" --work "$SN_BUILD/examples" \
        --base-python "$(sn_base_python)" --ansible-core "$core" "${docs[@]}"
}

run_step setup step_setup
run_step sanity step_sanity
run_step ansible-doc step_ansible_doc
run_step units step_units
run_step emulator step_emulator_tests
run_step integration step_integration
run_step lint step_lint
run_step changelog step_changelog
run_step molecule step_molecule
run_step artifact step_artifact
run_step ee step_ee
run_step docs step_docs
run_step awx step_awx
run_step eda step_eda
run_step examples step_examples
run_step compat step_compat

sn_emulator_stop
summary
[ "$N_FAILED" -eq 0 ]
