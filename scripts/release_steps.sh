# shellcheck shell=bash
# Release steps of scripts/test.sh (sourced by it, after lib.sh): the Galaxy artifact, the
# execution environment, the docs site, the AWX-style job and the older ansible-core releases.
#
#   artifact   ansible-galaxy collection build into .build/dist; its file list (what must be in,
#              what must stay out); galaxy.yml's addresses match docs/docsite/links.yml, and its
#              documentation address is the built site, not the sources;
#              CHANGELOG.rst is what antsibull-changelog generates; galaxy-importer on the
#              artifact (ansible-test part off, as without containers), failing on any error or
#              warning
#   ee         ansible-builder create on meta/execution-environment.yml (the build context; the
#              image itself needs a container runtime)
#   docs       docs/docsite/rst/design.rst up to date with docs/design.md (scripts/design_rst.py),
#              antsibull-docs lint-collection-docs --plugin-docs (scripts/docs.sh builds the site)
#   awx        scripts/awx_job.py: the main job as AWX runs it (ansible-runner, private data
#              directory, collections from collections/requirements.yml, the credential type's
#              injectors) against the emulator; converged, and no secret in events or stdout.
#              Then tests/awx: extensions/awx/load.yml run by the awx.awx modules (of the ansible
#              wheel pinned in scripts/requirements-awx.txt, cached in .build/awx-collection)
#              against a recording stand-in of the controller API: the credential type, the job
#              template, the workflow's nodes, approval and links; ansible-lint on extensions/awx
#   compat     every ansible-core minor release from 2.16 (the oldest supported) up to the one
#              before .venv's, each in its own venv, .venv-core-2.NN, from
#              scripts/requirements-ansible-core-2.NN.txt, on a Python that release supports: the
#              artifact installs, the unit tests pass, and the role converges and is idempotent
#              (the Molecule default scenario's playbooks run in Molecule's order by that
#              ansible-playbook)

SN_DIST="$SN_BUILD/dist"
# The compat step runs every ansible-core minor release from SN_COMPAT_OLDEST (requires_ansible's)
# up to the one before .venv's; each needs an entry here: the controller Pythons it supports
# (CONTROLLER_PYTHON_VERSIONS of its ansible-test) in order of preference (it runs on the first
# found), and scripts/requirements-ansible-core-2.NN.txt. 3.11 comes first where it is supported
# (every machine of the project has it), so that with .venv's the steps cover 3.11, 3.12 and 3.13.
# Python 3.10 (2.16 and 2.17 support it too) is left out: the shared pins need 3.11.
SN_COMPAT_OLDEST="2.16"
declare -A SN_COMPAT_PYTHONS=(
    [2.16]="3.11 3.12"
    [2.17]="3.11 3.12"
    [2.18]="3.11 3.12 3.13"
    [2.19]="3.11 3.12 3.13"
    [2.20]="3.12 3.13 3.14"
)

# The artifact the last build step made (one per version).
sn_artifact() {
    local version
    version="$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$SN_COLL/galaxy.yml")" || return 1
    printf '%s\n' "$SN_DIST/sinch-numbers-$version.tar.gz"
}

sn_build_artifact() {
    rm -rf "$SN_DIST"
    mkdir -p "$SN_DIST"
    (cd "$SN_COLL" && ansible-galaxy collection build --force --output-path "$SN_DIST") || return 1
    [ -f "$(sn_artifact)" ] || { sn_err "ansible-galaxy built no $(sn_artifact)"; return 1; }
}

# --- artifact ------------------------------------------------------------------------
check_artifact_files() {
    python - "$1" <<'PY'
import fnmatch
import sys
import tarfile

with tarfile.open(sys.argv[1]) as tar:
    names = set(name[2:] if name.startswith("./") else name for name in tar.getnames())

must_have = [
    "MANIFEST.json", "FILES.json", "README.md", "COPYING", "CHANGELOG.rst", "changelogs/changelog.yaml",
    "changelogs/config.yaml", "meta/runtime.yml", "meta/execution-environment.yml", "requirements.txt",
    "plugins/modules/sinch_session.py", "plugins/module_utils/_client.py", "plugins/doc_fragments/connection.py",
    "roles/number_rental/meta/argument_specs.yml", "roles/number_rental/tasks/main.yml",
    "playbooks/main.yml", "extensions/awx/credential_type.yml", "extensions/awx/job_template.yml",
    "extensions/awx/workflow_job_template.yml", "extensions/awx/load.yml",
    "extensions/eda/plugins/event_source/number_events.py", "extensions/eda/rulebooks/keep_numbers.yml",
    "meta/extensions.yml",
    "docs/docsite/extra-docs.yml", "docs/docsite/links.yml", "tests/config.yml",
]
must_not = [
    "scripts", "scripts/*", ".venv*", ".build", ".build/*", ".git", ".git/*", ".ci", ".ci/*", "*.tar.gz",
    "requirements-dev.txt", "collections", "collections/*", "tests/output", "tests/output/*",
    "tests/integration/integration_config.yml", "*/__pycache__", "*/__pycache__/*", "*.pyc", ".pytest_cache*",
    "*/.pytest_cache*", ".ansible", ".ansible/*", "docs/docsite/build*", "docs/docsite/.build*", ".gitignore",
]
missing = [name for name in must_have if name not in names]
unwanted = sorted(name for name in names if any(fnmatch.fnmatch(name, pattern) for pattern in must_not))
modules = sorted(name for name in names if fnmatch.fnmatch(name, "plugins/modules/*.py"))
if missing:
    print("ERROR: the artifact misses: %s" % ", ".join(missing))
if unwanted:
    print("ERROR: the artifact holds what must stay out: %s" % ", ".join(unwanted[:20]))
if len(modules) < 7:
    print("ERROR: the artifact holds %d modules" % len(modules))
with tarfile.open(sys.argv[1]) as tar:
    readme = tar.extractfile("README.md").read().decode("utf-8")
# What installed users read comes first; the development notes, which need a clone of the
# repository, come last under their own heading, and only they may mention scripts/ and .venv.
heading = "\n## Developing sinch.numbers (a clone of the repository)\n"
if heading not in readme:
    print("ERROR: the artifact's README has no development heading %r" % heading.strip())
    missing.append("README development heading")
users_part = readme.split(heading)[0]
for word in ("scripts/", ".venv"):
    if word in users_part:
        print("ERROR: the artifact's README tells installed users about %s, which the artifact lacks" % word)
        missing.append(word)
if missing or unwanted or len(modules) < 7:
    sys.exit(1)
print("artifact file list ok: %d entries, %d modules" % (len(names), len(modules)))
PY
}

# One place for the project's addresses: galaxy.yml; links.yml must repeat its repository.
check_addresses() {
    python - "$SN_COLL/galaxy.yml" "$SN_COLL/docs/docsite/links.yml" <<'PY'
import sys
import yaml

galaxy = yaml.safe_load(open(sys.argv[1]))
links = yaml.safe_load(open(sys.argv[2]))
problems = [key for key in ("repository", "documentation", "homepage", "issues") if not galaxy.get(key)]
repository = (links.get("edit_on_github") or {}).get("repository")
if repository and "https://github.com/" + repository != galaxy.get("repository"):
    problems.append("links.yml edit_on_github.repository %s is not galaxy.yml's repository" % repository)
# documentation is the built HTML site (scripts/docs.sh), not the reStructuredText sources of the repository.
documentation = galaxy.get("documentation") or ""
if documentation.startswith(str(galaxy.get("repository")) + "/") or documentation.endswith((".rst", "/rst", "/rst/")):
    problems.append("galaxy.yml's documentation %s is not the built docs site" % documentation)
issues = [link["url"] for link in links.get("extra_links", []) if "issues" in link.get("url", "")]
if issues and issues != [galaxy.get("issues")]:
    problems.append("links.yml's issue link %s is not galaxy.yml's issues" % issues)
if problems:
    sys.exit("ERROR: project addresses: %s" % "; ".join(problems))
print("project addresses set in galaxy.yml and matched by links.yml")
PY
}

# CHANGELOG.rst must be what antsibull-changelog generates from changelogs/changelog.yaml.
check_changelog_generated() {
    local tmp rc
    tmp="$(mktemp -d)"
    cp -a "$SN_COLL/." "$tmp/"
    (cd "$tmp" && antsibull-changelog generate >/dev/null) || { rm -rf "$tmp"; sn_err "antsibull-changelog generate failed"; return 1; }
    diff -u "$SN_COLL/CHANGELOG.rst" "$tmp/CHANGELOG.rst"
    rc=$?
    rm -rf "$tmp"
    [ "$rc" -eq 0 ] || { sn_err "CHANGELOG.rst is not what antsibull-changelog generate writes; run it and commit"; return 1; }
}

step_artifact() {
    local artifact cfg log="$LOG_DIR/galaxy-importer.log"
    sn_build_artifact || return 1
    artifact="$(sn_artifact)"
    check_artifact_files "$artifact" || return 1
    check_addresses || return 1
    check_changelog_generated || return 1
    # galaxy-importer as Galaxy runs it, minus what needs containers or a network: ansible-test
    # sanity (its own step here), the ansible-lint of the importer (the lint step lints more).
    cfg="$SN_BUILD/galaxy-importer.cfg"
    cat >"$cfg" <<'EOF'
[galaxy-importer]
LOG_LEVEL_MAIN = INFO
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = False
RUN_FLAKE8 = False
CHECK_REQUIRED_TAGS = False
EOF
    mkdir -p "$LOG_DIR"
    (cd "$SN_DIST" && GALAXY_IMPORTER_CONFIG="$cfg" python -m galaxy_importer.main "$artifact") >"$log" 2>&1
    local rc=$?
    cat "$log"
    [ "$rc" -eq 0 ] || { sn_err "galaxy-importer rejected the artifact (exit status $rc)"; return 1; }
    if grep -qE '^(WARNING|ERROR|CRITICAL):' "$log"; then
        sn_err "galaxy-importer reported warnings or errors (see above)"
        return 1
    fi
    grep -q 'Collection loading complete' "$log" || { sn_err "galaxy-importer did not finish loading the collection"; return 1; }
}

# --- ee ------------------------------------------------------------------------------
step_ee() {
    local ctx="$SN_BUILD/ee-context" def="$SN_BUILD/ee-definition" out
    rm -rf "$ctx" "$def"
    mkdir -p "$def"
    # The file's paths are relative to the collection's root (where ansible-builder looks when it
    # introspects an installed collection), so it is created from there.
    cp "$SN_COLL/meta/execution-environment.yml" "$SN_COLL/requirements.txt" "$def/"
    ansible-builder create --file "$def/execution-environment.yml" --context "$ctx" \
        --output-filename Containerfile -v 3 || return 1
    [ -f "$ctx/Containerfile" ] || { sn_err "ansible-builder wrote no Containerfile"; return 1; }
    grep -qx 'requests>=2.25' "$ctx/_build/requirements.txt" ||
        { sn_err "the execution environment build context lacks requests"; return 1; }
    # What an image build finds when the collection is installed: ansible-builder introspect.
    out="$(ansible-builder introspect "$SN_COLLECTIONS")" || return 1
    printf '%s\n' "$out"
    printf '%s\n' "$out" | grep -qE "^- 'requests>=2\.25 +# from collection sinch\.numbers'" ||
        { sn_err "ansible-builder introspect does not find the collection's Python needs"; return 1; }
    echo "execution environment build context in .build/ee-context"
}

# --- docs ----------------------------------------------------------------------------
step_docs() {
    python "$SN_ROOT/scripts/design_rst.py" --check || return 1
    in_coll docs antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs self \
        --disallow-unknown-collection-refs . || return 1
}

# --- awx -----------------------------------------------------------------------------
SN_AWX_COLLECTION="$SN_BUILD/awx-collection"

# awx.awx from the pinned ansible wheel (hash-checked), extracted once; a new pin re-extracts.
sn_ensure_awx_collection() {
    local req="$SN_ROOT/scripts/requirements-awx.txt" want stamp="$SN_AWX_COLLECTION/.sinch-requirements-stamp" dl
    want="$(sha256sum "$req" | cut -d' ' -f1)"
    if [ -f "$SN_AWX_COLLECTION/ansible_collections/awx/awx/MANIFEST.json" ] && [ -f "$stamp" ] &&
        [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    sn_log "fetching awx.awx from the ansible wheel of scripts/requirements-awx.txt"
    dl="$SN_BUILD/awx-download"
    rm -rf "$SN_AWX_COLLECTION" "$dl"
    python -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: --require-hashes \
        -r "$req" -d "$dl" || { sn_err "pip could not download the ansible wheel of scripts/requirements-awx.txt"; return 1; }
    python - "$dl" "$SN_AWX_COLLECTION" <<'PY' || return 1
import glob
import sys
import zipfile

wheels = glob.glob(sys.argv[1] + "/ansible-*.whl")
if len(wheels) != 1:
    sys.exit("ERROR: expected one ansible wheel in %s, found %s" % (sys.argv[1], wheels))
with zipfile.ZipFile(wheels[0]) as wheel:
    names = [name for name in wheel.namelist() if name.startswith("ansible_collections/awx/awx/")]
    if not names:
        sys.exit("ERROR: %s holds no ansible_collections/awx/awx" % wheels[0])
    wheel.extractall(sys.argv[2], names)
PY
    rm -rf "$dl"
    printf '%s\n' "$want" >"$stamp"
}

step_awx() {
    sn_emulator_start || return 1
    in_coll awx python "$SN_ROOT/scripts/awx_job.py" --project "$SN_COLL" --work "$SN_BUILD/awx" \
        --email "$SN_DEFAULT_EMAIL" --password "$SN_DEFAULT_PASSWORD" --organisation-id "$SN_DEFAULT_ORGANISATION_ID" ||
        return 1
    # extensions/awx loaded by awx.awx against the recording controller stand-in.
    sn_ensure_awx_collection || return 1
    in_coll awx-load env SN_AWX_COLLECTIONS="$SN_AWX_COLLECTION" python -m pytest -p no:cacheprovider -q tests/awx ||
        return 1
    # The lint step cannot resolve awx.awx; here it can.
    ANSIBLE_COLLECTIONS_PATH="$SN_AWX_COLLECTION:$SN_COLLECTIONS" in_coll awx-lint \
        ansible-lint --offline --profile production extensions/awx
}

# --- compat --------------------------------------------------------------------------
# The compat releases: every minor release from SN_COMPAT_OLDEST up to the one before .venv's
# (the other steps run that one).
sn_compat_cores() {
    local minor="${SN_COMPAT_OLDEST#*.}" main="${SN_CORE_VERSION%.*}"
    main="${main#*.}"
    while [ "$minor" -lt "$main" ]; do
        printf '2.%s\n' "$minor"
        minor=$((minor + 1))
    done
}

# MINOR: build (or keep, when its stamp matches) .venv-core-MINOR from
# scripts/requirements-ansible-core-MINOR.txt on the first of its Pythons found.
sn_ensure_compat_venv() {
    local minor="$1" venv="$SN_ROOT/.venv-core-$1" req="$SN_ROOT/scripts/requirements-ansible-core-$1.txt"
    local common="$SN_ROOT/scripts/requirements-compat.txt" version base="" want
    [ -f "$req" ] || { sn_err "${req#"$SN_ROOT"/} is missing"; return 1; }
    for version in ${SN_COMPAT_PYTHONS[$minor]:-}; do
        base="$(sn_find_python "$version")" && break
        base=""
    done
    [ -n "${SN_COMPAT_PYTHONS[$minor]:-}" ] ||
        { sn_err "ansible-core $minor: no Pythons known; add it to SN_COMPAT_PYTHONS in scripts/release_steps.sh"; return 1; }
    [ -n "$base" ] || { sn_err "ansible-core $minor: none of its Pythons (${SN_COMPAT_PYTHONS[$minor]}) found"; return 1; }
    want="$( { cat "$req" "$common"; printf '%s\n' "$base"; "$base" -c 'import sys; print(sys.version)'; } |
        sha256sum | cut -d' ' -f1)"
    if [ -x "$venv/bin/ansible-playbook" ] && [ -f "$venv/.sinch-requirements-stamp" ] &&
        [ "$(cat "$venv/.sinch-requirements-stamp")" = "$want" ]; then
        return 0
    fi
    sn_log "building .venv-core-$minor from ${req#"$SN_ROOT"/} (base: $base)"
    if [ -L "$venv" ]; then rm -f "$venv"; else rm -rf "$venv"; fi
    "$base" -m venv "$venv" || return 1
    "$venv/bin/python" -m pip install --disable-pip-version-check -q -r "$req" || return 1
    printf '%s\n' "$want" >"$venv/.sinch-requirements-stamp"
}

# MINOR HOME: the role with ansible-core MINOR (the Molecule default scenario's playbooks in its
# order, by this ansible-playbook, against an emulator of its own), in a subshell.
sn_compat_role() {
    local minor="$1" home="$2" scenario="$SN_COLL/extensions/molecule/default"
    (
        export MOLECULE_PROJECT_DIRECTORY="$SN_COLL" \
            MOLECULE_SCENARIO_DIRECTORY="$scenario" MOLECULE_EPHEMERAL_DIRECTORY="$home/ephemeral"
        unset SINCH_USER_API_URL SINCH_API_URL SINCH_PORTAL_API_URL SINCH_EMAIL SINCH_PASSWORD \
            SINCH_INSTANCE_ID SINCH_INSTANCE_SECRET SINCH_ORGANISATION_ID
        play() { ansible-playbook -i "$SN_COLL/extensions/molecule/inventory.yml" "$@"; }
        play "$SN_COLL/extensions/molecule/resources/create.yml" || exit 1
        rc=0
        # converge, then molecule's idempotence (a second converge that must change nothing),
        # then verify (which checks, from the request log, that the second converge only read).
        play "$scenario/converge.yml" || rc=1
        if [ "$rc" -eq 0 ]; then
            if ! play "$scenario/converge.yml" >"$home/idempotence.log" 2>&1 ||
                ! grep -qE '^localhost +: ok=[0-9]+ +changed=0 ' "$home/idempotence.log"; then
                cat "$home/idempotence.log"
                sn_err "ansible-core $minor: the role is not idempotent (a converge after converging changed something)"
                rc=1
            else
                echo "idempotence: $(grep -E '^localhost +: ' "$home/idempotence.log")"
            fi
        fi
        [ "$rc" -ne 0 ] || play "$scenario/verify.yml" || rc=1
        play "$SN_COLL/extensions/molecule/resources/destroy.yml" >/dev/null || true
        exit "$rc"
    )
}

# MINOR: the compat checks with ansible-core MINOR (its venv built), output to
# .build/logs/compat-MINOR.log. The unit tests and the role run side by side (they share nothing:
# a copy of the collection for the one, the installed artifact, an emulator and a lock directory
# of its own for the other).
sn_compat_run() {
    local minor="$1" venv="$SN_ROOT/.venv-core-$1" home="$SN_BUILD/core-$1" pyver
    rm -rf "$home"
    mkdir -p "$home/ephemeral" "$home/locks" "$LOG_DIR"
    chmod 700 "$home/locks"
    pyver="$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    (
        export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" ANSIBLE_HOME="$home/ansible-home" \
            ANSIBLE_COLLECTIONS_PATH="$home/collections" SINCH_LOCK_PATH="$home/locks"
        ansible --version | sed -n 1p
        python --version
        # The artifact installs with this ansible-galaxy.
        ansible-galaxy collection install --offline --force -p "$home/collections" "$(sn_artifact)" || exit 1
        t0=$SECONDS
        sn_compat_role "$minor" "$home" >"$home/role.log" 2>&1 &
        role_pid=$!
        # Unit tests, from a copy laid out like the main one.
        mkdir -p "$home/src/ansible_collections/sinch"
        cp -a "$SN_COLL" "$home/src/ansible_collections/sinch/numbers"
        rm -rf "$home/src/ansible_collections/sinch/numbers/tests/output"
        (cd "$home/src/ansible_collections/sinch/numbers" &&
            ANSIBLE_COLLECTIONS_PATH="$home/src" ANSIBLE_TEST_CONTENT_ROOT="$PWD" \
                ansible-test units --python "$pyver") >"$home/units.log" 2>&1
        units_rc=$?
        units_time=$((SECONDS - t0))
        # ansible-test treats "no tests collected" as success: at least one must have passed.
        if [ "$units_rc" -eq 0 ] && ! grep -qE '^=+ [0-9]+ passed' "$home/units.log"; then
            echo "ERROR: ansible-core $minor: ansible-test units ran no test" >>"$home/units.log"
            units_rc=1
        fi
        wait "$role_pid"
        role_rc=$?
        cat "$home/units.log" "$home/role.log"
        echo "unit tests: $([ "$units_rc" -eq 0 ] && echo passed || echo FAILED) (${units_time}s);" \
            "role: $([ "$role_rc" -eq 0 ] && echo passed || echo FAILED) ($((SECONDS - t0))s, both together)"
        [ "$units_rc" -eq 0 ] && [ "$role_rc" -eq 0 ]
    ) >"$LOG_DIR/compat-$minor.log" 2>&1
}

step_compat() {
    local minor cores ok_cores=() bad_cores=() t0 version
    cores="$(sn_compat_cores)"
    [ -n "$cores" ] || { skip "no ansible-core from $SN_COMPAT_OLDEST on is older than .venv's $SN_CORE_VERSION"; return; }
    [ -f "$(sn_artifact)" ] || sn_build_artifact || return 1
    for minor in $cores; do
        printf '\n---- compat: ansible-core %s ----\n' "$minor"
        t0=$SECONDS
        if ! sn_ensure_compat_venv "$minor"; then
            bad_cores+=("$minor")
            continue
        fi
        version="$("$SN_ROOT/.venv-core-$minor/bin/python" -c 'import platform
from ansible.release import __version__
print("%s on Python %s" % (__version__, platform.python_version()))')"
        if sn_compat_run "$minor"; then
            ok_cores+=("$minor")
            sed -n '1,2p;/^idempotence: /p;/^unit tests: /p' "$LOG_DIR/compat-$minor.log"
            echo "ansible-core $version: artifact installs, unit tests pass, the role converges and is idempotent ($((SECONDS - t0))s)"
        else
            bad_cores+=("$minor")
            cat "$LOG_DIR/compat-$minor.log"
            sn_err "ansible-core $version: compat checks failed ($((SECONDS - t0))s; log: .build/logs/compat-$minor.log)"
        fi
        STEP_NOTE="${STEP_NOTE:+$STEP_NOTE, }$version"
    done
    STEP_NOTE="compat: ${ok_cores[*]:-none} passed${bad_cores[*]:+, ${bad_cores[*]} FAILED} (ansible-core ${STEP_NOTE})"
    echo "$STEP_NOTE"
    [ "${#bad_cores[@]}" -eq 0 ]
}
