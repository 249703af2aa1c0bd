# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Layout it manages (all git-ignored):
#   .venv/                                  virtualenv built from requirements-dev.txt (the newest
#                                           ansible-core, on Python 3.13 or 3.12), or, where neither
#                                           exists, on Python 3.11 with the pins of
#                                           scripts/requirements-dev-python3.11.txt (ansible-core 2.19)
#   .venv/.sinch-requirements-stamp         hash of the requirements + base python
#   .build/ansible_collections/sinch/numbers/  copy of the tracked and untracked-but-not-ignored
#                                           files; ansible-test, ansible-doc, ansible-lint,
#                                           molecule and the main playbook all run from here
#   .build/emulator.*                       pidfile and start output of the API emulator
#   ~/.ansible/test/cache/get_pip_X_Y.py    offline stand-in for the get-pip.py script that
#                                           ansible-test would otherwise download

SN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SN_VENV="$SN_ROOT/.venv"
SN_BUILD="$SN_ROOT/.build"
SN_COLLECTIONS="$SN_BUILD"                       # value for ANSIBLE_COLLECTIONS_PATH
SN_COLL="$SN_BUILD/ansible_collections/sinch/numbers"
# Pythons the venv is built on, in order of preference: those of requirements-dev.txt (its
# ansible-core, the newest release, needs Python 3.12 or later), then the fallback, Python 3.11,
# with the pins of scripts/requirements-dev-python3.11.txt (ansible-core 2.19, the newest that
# runs on 3.11) in place of requirements-dev.txt's. SN_BASE_PYTHON overrides.
SN_NEWEST_PYTHONS="3.13 3.12"
SN_FALLBACK_PYTHON="3.11"
SN_FALLBACK_REQUIREMENTS="$SN_ROOT/scripts/requirements-dev-python3.11.txt"
# Set by sn_select_python: the base interpreter, its X.Y (the python version the steps test
# with), and whether it is the fallback. SN_CORE_VERSION: the venv's ansible-core (sn_ensure_venv).
SN_BASE=""
SN_PY_VERSION=""
SN_FALLBACK=0
SN_FALLBACK_REASON=""
SN_CORE_VERSION=""
SN_STAMP="$SN_VENV/.sinch-requirements-stamp"
SN_EMULATOR_PIDFILE="$SN_BUILD/emulator.pid"
SN_EMULATOR_OUT="$SN_BUILD/emulator.start.out"
SN_EMULATOR_STARTED=0

# Default fixture user of the emulator.
SN_DEFAULT_EMAIL="address@example.com"
SN_DEFAULT_PASSWORD="correct-horse-battery-staple"
# shellcheck disable=SC2034  # used by the scripts that source this file
SN_DEFAULT_ORGANISATION_ID="8888123"

sn_log() { printf '==> %s\n' "$*"; }
sn_warn() { printf 'WARNING: %s\n' "$*" >&2; }
sn_err() { printf 'ERROR: %s\n' "$*" >&2; }
sn_die() { sn_err "$*"; exit 1; }

# CANDIDATE X.Y: print CANDIDATE's real interpreter (not a wrapper such as a pyenv shim) if it
# runs and is Python X.Y.
sn_python_is() {
    command -v "$1" >/dev/null 2>&1 || return 1
    "$1" -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != sys.argv[1])' "$2" >/dev/null 2>&1 || return 1
    "$1" -c 'import sys; print(sys.executable)'
}

# X.Y: print the real interpreter of Python X.Y: pythonX.Y on PATH (or python3, if it is X.Y),
# else the newest X.Y.* that pyenv has installed (a pyenv shim runs only the selected versions).
sn_find_python() {
    local want="$1" version prefix
    sn_python_is "python$want" "$want" && return 0
    sn_python_is python3 "$want" && return 0
    command -v pyenv >/dev/null 2>&1 || return 1
    for version in $(pyenv versions --bare --skip-aliases 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -t. -k3,3nr); do
        prefix="$(pyenv prefix "$version" 2>/dev/null)" || continue
        sn_python_is "$prefix/bin/python$want" "$want" && return 0
    done
    return 1
}

# Choose the base interpreter of .venv (sets SN_BASE, SN_PY_VERSION, SN_FALLBACK): SN_BASE_PYTHON
# if set, else the first of SN_NEWEST_PYTHONS found, else SN_FALLBACK_PYTHON.
sn_select_python() {
    local version path=""
    [ -n "$SN_BASE" ] && return 0
    if [ -n "${SN_BASE_PYTHON:-}" ]; then
        version="$("$SN_BASE_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" ||
            { sn_err "SN_BASE_PYTHON=$SN_BASE_PYTHON does not run"; return 1; }
        case " $SN_NEWEST_PYTHONS $SN_FALLBACK_PYTHON " in
            *" $version "*) path="$(sn_python_is "$SN_BASE_PYTHON" "$version")" || return 1 ;;
            *)
                sn_err "SN_BASE_PYTHON is Python $version; the venv is built on Python ${SN_NEWEST_PYTHONS// / or } (or $SN_FALLBACK_PYTHON)"
                return 1
                ;;
        esac
    else
        for version in $SN_NEWEST_PYTHONS $SN_FALLBACK_PYTHON; do
            path="$(sn_find_python "$version")" && break
            path=""
        done
        [ -n "$path" ] ||
            { sn_err "no Python ${SN_NEWEST_PYTHONS// /, } or $SN_FALLBACK_PYTHON found (on PATH or through pyenv)"; return 1; }
    fi
    SN_BASE="$path"
    SN_PY_VERSION="$version"
    SN_FALLBACK=0
    if [ "$version" = "$SN_FALLBACK_PYTHON" ]; then
        SN_FALLBACK=1
        if [ -n "${SN_BASE_PYTHON:-}" ]; then
            SN_FALLBACK_REASON="SN_BASE_PYTHON is Python $version"
        else
            SN_FALLBACK_REASON="no Python ${SN_NEWEST_PYTHONS// / or } found on PATH or through pyenv"
        fi
    fi
}

# The interpreter the venv is built from (see sn_select_python).
sn_base_python() {
    sn_select_python || return 1
    printf '%s\n' "$SN_BASE"
}

# The requirement list pip installs into .venv: requirements-dev.txt, with, on the fallback Python,
# the pins of the fallback file in place of requirements-dev.txt's pins of the same packages.
sn_venv_requirements() {
    if [ "$SN_FALLBACK" = 0 ]; then
        cat "$SN_ROOT/requirements-dev.txt"
        return
    fi
    "$SN_BASE" - "$SN_ROOT/requirements-dev.txt" "$SN_FALLBACK_REQUIREMENTS" <<'PY'
import re
import sys


def name(line):
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*[=<>!~]", line)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


main, fallback = (open(path, encoding="utf-8").read().splitlines() for path in sys.argv[1:])
replaced = {name(line) for line in fallback} - {None}
for line in main:
    if name(line) not in replaced:
        print(line)
for line in fallback:
    print(line)
PY
}

sn_requirements_stamp() {
    {
        sn_venv_requirements | sha256sum | cut -d' ' -f1
        printf '%s\n' "$SN_BASE"
        "$SN_BASE" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

# Create .venv, or rebuild it when the requirements or the base interpreter changed (a .venv that
# is a symbolic link to another venv is replaced by a venv of its own; the other one is untouched).
# Sets SN_CORE_VERSION and prints the Python and ansible-core of the venv.
sn_ensure_venv() {
    local want reqs rc fallback_file="${SN_FALLBACK_REQUIREMENTS#"$SN_ROOT"/}"
    [ -f "$SN_ROOT/requirements-dev.txt" ] || { sn_err "requirements-dev.txt is missing"; return 1; }
    sn_select_python || return 1
    if [ "$SN_FALLBACK" = 1 ]; then
        [ -f "$SN_FALLBACK_REQUIREMENTS" ] || { sn_err "$fallback_file is missing"; return 1; }
        sn_warn "$SN_FALLBACK_REASON: falling back to Python $SN_PY_VERSION with the pins of $fallback_file; the newest ansible-core is NOT tested"
    fi
    want="$(sn_requirements_stamp)" || return 1
    if [ -x "$SN_VENV/bin/python" ] && "$SN_VENV/bin/python" -c 'import ansible_test' >/dev/null 2>&1 &&
        [ -f "$SN_STAMP" ] && [ "$(cat "$SN_STAMP")" = "$want" ]; then
        sn_log "venv up to date: .venv"
    else
        if [ "$SN_FALLBACK" = 1 ]; then
            sn_log "building .venv from requirements-dev.txt with the pins of $fallback_file (base: $SN_BASE)"
        else
            sn_log "building .venv from requirements-dev.txt (base: $SN_BASE)"
        fi
        if [ -L "$SN_VENV" ]; then rm -f "$SN_VENV"; else rm -rf "$SN_VENV"; fi
        "$SN_BASE" -m venv "$SN_VENV" || { sn_err "python -m venv failed"; return 1; }
        reqs="$(mktemp)"
        sn_venv_requirements >"$reqs" &&
            "$SN_VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$reqs"
        rc=$?
        rm -f "$reqs"
        [ "$rc" -eq 0 ] || { sn_err "pip install of the development requirements failed"; return 1; }
        printf '%s\n' "$want" >"$SN_STAMP"
    fi
    SN_CORE_VERSION="$("$SN_VENV/bin/python" -c 'from ansible.release import __version__; print(__version__)')" ||
        { sn_err "the venv has no ansible-core"; return 1; }
    sn_log "venv: $(sn_tools_note)"
}

# "Python X.Y.Z, ansible-core A.B.C" of .venv (after sn_ensure_venv), and "(fallback)" if so.
sn_tools_note() {
    printf 'Python %s, ansible-core %s%s' "$("$SN_VENV/bin/python" -c 'import platform; print(platform.python_version())')" \
        "$SN_CORE_VERSION" "$([ "$SN_FALLBACK" = 1 ] && printf ' (fallback: %s)' "$SN_FALLBACK_REASON")"
}

# Put the venv first on PATH (ansible-test resolves "pythonX.Y" from PATH, so this makes
# the venv interpreter the controller and target python).
sn_activate() {
    export VIRTUAL_ENV="$SN_VENV"
    case ":$PATH:" in
        *":$SN_VENV/bin:"*) ;;
        *) export PATH="$SN_VENV/bin:$PATH" ;;
    esac
    unset PYTHONHOME
    export ANSIBLE_COLLECTIONS_PATH="$SN_COLLECTIONS"
    # Keep ansible-test from looking for version control above the copy: .build is
    # git-ignored, so git would report no files at all.
    export ANSIBLE_TEST_CONTENT_ROOT="$SN_COLL"
    # The renting lock and pending purchases of every run started here (main job, Molecule, AWX-style job):
    # in the build directory, never in the machine-wide /var/tmp.
    mkdir -p "$SN_BUILD/locks" && chmod 700 "$SN_BUILD/locks"
    export SINCH_LOCK_PATH="$SN_BUILD/locks"
}

# Mirror `git ls-files -co --exclude-standard` into .build/ansible_collections/sinch/numbers.
# Files that are no longer listed are removed from the copy (ansible-test output and the
# generated integration_config.yml included), so every run starts from the working tree.
sn_layout() {
    command -v git >/dev/null 2>&1 || { sn_err "git is required to lay out the collection"; return 1; }
    git -C "$SN_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
        { sn_err "$SN_ROOT is not a git work tree"; return 1; }
    local prog
    sn_select_python || return 1
    mkdir -p "$SN_COLL"
    prog="$(cat <<'PY'
import filecmp
import os
import shutil
import sys

src_root, dst_root = sys.argv[1], sys.argv[2]
wanted = set()
for rel in sys.stdin.buffer.read().decode("utf-8", "surrogateescape").split("\0"):
    if not rel or rel.startswith((".build/", ".venv/")):
        continue
    if os.path.lexists(os.path.join(src_root, rel)):  # tracked files deleted in the tree are skipped
        wanted.add(rel)

copied = 0
for rel in sorted(wanted):
    src, dst = os.path.join(src_root, rel), os.path.join(dst_root, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.islink(src):
        target = os.readlink(src)
        if not (os.path.islink(dst) and os.readlink(dst) == target):
            if os.path.lexists(dst) or os.path.islink(dst):
                if os.path.isdir(dst) and not os.path.islink(dst):
                    shutil.rmtree(dst)
                else:
                    os.unlink(dst)
            os.symlink(target, dst)
            copied += 1
        continue
    if os.path.isdir(dst) and not os.path.islink(dst):
        shutil.rmtree(dst)
    same = (os.path.isfile(dst) and not os.path.islink(dst)
            and os.stat(src).st_mode == os.stat(dst).st_mode
            and filecmp.cmp(src, dst, shallow=False))
    if not same:
        if os.path.lexists(dst):
            os.unlink(dst)
        shutil.copy2(src, dst)
        copied += 1

removed = 0
for dirpath, dirnames, filenames in os.walk(dst_root, topdown=False):
    for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
        path = os.path.join(dirpath, name)
        if os.path.relpath(path, dst_root) not in wanted:
            os.unlink(path)
            removed += 1
    for name in dirnames:
        path = os.path.join(dirpath, name)
        if os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path):
            os.rmdir(path)

print("==> collection laid out: %d files (%d updated, %d stale removed)" % (len(wanted), copied, removed))
PY
)"
    git -C "$SN_ROOT" ls-files -z -co --exclude-standard | "$SN_BASE" -c "$prog" "$SN_ROOT" "$SN_COLL"
    local rcs=("${PIPESTATUS[@]}")
    [ "${rcs[0]}" -eq 0 ] || { sn_err "git ls-files failed"; return 1; }
    [ "${rcs[1]}" -eq 0 ] || { sn_err "laying out the collection failed"; return 1; }
}

# ansible-test bootstraps pip in its sanity venvs with a get-pip.py it downloads from a
# host that may be unreachable. It first looks for a cached copy; put a small stand-in
# there that uses ensurepip and then installs the requested pip from the package index.
sn_install_get_pip_shim() {
    "$SN_VENV/bin/python" - <<'PY'
import os
import re
import types

marker = "# sinch.numbers offline get-pip stand-in"
shim = marker + '''
"""Stand-in for get-pip.py: bootstrap pip with ensurepip, then install the requested pip.

Called by ansible-test as: python get_pip_X_Y.py pip==X.Y --disable-pip-version-check
--no-setuptools --no-wheel, inside a fresh venv, with a stripped environment.
"""
import os
import ssl
import subprocess
import sys


def ca_bundle():
    """Return the system CA bundle, so TLS interception proxies with a local CA work."""
    paths = ssl.get_default_verify_paths()
    candidates = [os.environ.get(name) for name in ("PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")]
    candidates += [paths.cafile, paths.openssl_cafile,
                   "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                   "/etc/ssl/ca-bundle.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
                   "/etc/ssl/cert.pem", "/usr/local/etc/openssl/cert.pem"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


def main():
    args = sys.argv[1:]
    no_setuptools = "--no-setuptools" in args
    no_wheel = "--no-wheel" in args
    args = [a for a in args if a not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check"]
    cert = ca_bundle()
    if cert:
        cmd += ["--cert", cert]
    packages = [a for a in args if not a.startswith("-")]
    if packages:
        subprocess.check_call(cmd + args)
    # ensurepip may also have installed setuptools; get-pip.py would not have.
    requested = " ".join(packages).lower()
    unwanted = []
    if no_setuptools and "setuptools" not in requested:
        unwanted.append("setuptools")
    if no_wheel and "wheel" not in requested:
        unwanted.append("wheel")
    for name in unwanted:
        subprocess.call([sys.executable, "-m", "pip", "uninstall", "-y", "-q", name],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
'''

versions = set()
try:
    from ansible_test._internal.python_requirements import get_venv_packages
    for py in ("3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.8"):
        versions.add(get_venv_packages(types.SimpleNamespace(version=py))["pip"])
except Exception:  # pylint: disable=broad-except
    import ansible_test
    source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(source, encoding="utf-8") as handle:
        versions.update(re.findall(r"pip\s*=\s*'([0-9][0-9.]*)'", handle.read()))
if not versions:
    raise SystemExit("could not find the pip version ansible-test bootstraps")

cache = os.path.expanduser("~/.ansible/test/cache")
os.makedirs(cache, exist_ok=True)
for version in sorted(versions):
    path = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
    current = None
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as handle:
            current = handle.read()
        if not current.startswith(marker):
            print("==> keeping existing get-pip script (not ours): %s" % path)
            continue
    if current != shim:
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(shim)
        os.replace(tmp, path)
        print("==> installed get-pip stand-in for pip %s: %s" % (version, path))
    else:
        print("==> get-pip stand-in for pip %s in place" % version)
PY
}

# Whole setup: venv, collection copy, get-pip stand-in.
sn_setup() {
    sn_ensure_venv || return 1
    sn_activate
    sn_layout || return 1
    sn_install_get_pip_shim || { sn_err "could not install the get-pip stand-in"; return 1; }
}

# Start the API emulator from the laid-out copy and export its URLs. Call sn_emulator_stop
# from an EXIT trap.
sn_emulator_start() {
    local ctl="$SN_COLL/tests/emulator/ctl.py" var value
    if [ "$SN_EMULATOR_STARTED" = 1 ]; then
        return 0
    fi
    [ -f "$ctl" ] || { sn_err "emulator not found: tests/emulator/ctl.py does not exist"; return 1; }
    mkdir -p "$SN_BUILD"
    if [ -f "$SN_EMULATOR_PIDFILE" ]; then
        sn_warn "stale emulator pidfile found; stopping the old emulator first"
        (cd "$SN_COLL" && "$SN_VENV/bin/python" tests/emulator/ctl.py stop --pidfile "$SN_EMULATOR_PIDFILE") || true
        rm -f "$SN_EMULATOR_PIDFILE"
    fi
    sn_log "starting the API emulator"
    # Output goes to a file, not a pipe: a daemonised child that keeps the descriptor
    # open must not block us.
    SN_EMULATOR_STARTED=1
    if ! (cd "$SN_COLL" && timeout 120 "$SN_VENV/bin/python" tests/emulator/ctl.py start \
        --pidfile "$SN_EMULATOR_PIDFILE" >"$SN_EMULATOR_OUT" 2>&1 </dev/null); then
        cat "$SN_EMULATOR_OUT" >&2
        sn_err "the emulator did not start (tests/emulator/ctl.py start failed)"
        return 1
    fi
    cat "$SN_EMULATOR_OUT"
    for var in SINCH_USER_API_URL SINCH_API_URL SINCH_PORTAL_API_URL SINCH_EMULATOR_PORT; do
        value="$(sed -n "s/^$var=//p" "$SN_EMULATOR_OUT" | tail -n 1 | tr -d '\r')"
        [ -n "$value" ] || { sn_err "the emulator did not print $var=..."; return 1; }
        export "$var=$value"
    done
    export SINCH_EMAIL="$SN_DEFAULT_EMAIL" SINCH_PASSWORD="$SN_DEFAULT_PASSWORD"
}

sn_emulator_stop() {
    if [ "$SN_EMULATOR_STARTED" = 1 ]; then
        SN_EMULATOR_STARTED=0
        sn_log "stopping the API emulator"
        (cd "$SN_COLL" && "$SN_VENV/bin/python" tests/emulator/ctl.py stop \
            --pidfile "$SN_EMULATOR_PIDFILE" </dev/null) || sn_warn "emulator stop reported a failure"
    fi
}

# POST <url>/_admin/reset: back to the fixture state.
sn_emulator_reset() {
    "$SN_VENV/bin/python" - "$SINCH_API_URL/_admin/reset" <<'PY'
import sys
import requests
response = requests.post(sys.argv[1], timeout=30)
response.raise_for_status()
PY
}
