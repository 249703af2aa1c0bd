"""ctl.py start/stop, run.py start-up errors, and what ansible-test sanity expects of the scripts."""

import json
import os
import ssl
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from emulator_helpers import EMULATOR_DIR

sys.path.insert(0, EMULATOR_DIR)
from make_test_certs import make_certs  # noqa: E402  (next to ctl.py)

CTL = os.path.join(EMULATOR_DIR, "ctl.py")
RUN = os.path.join(EMULATOR_DIR, "run.py")


def ctl(*args):
    """Run ctl.py; return (exit code, stdout, stderr)."""
    done = subprocess.run([sys.executable, CTL] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr


def test_ctl_start_and_stop(tmp_path):
    """start prints the URLs and leaves a healthy emulator; stop ends it and removes the pidfile."""
    pidfile = str(tmp_path / "emulator.pid")
    code, out, err = ctl("start", "--pidfile", pidfile, "--port", "0")
    assert code == 0, err
    env = dict(line.split("=", 1) for line in out.strip().splitlines())
    port = int(env["SINCH_EMULATOR_PORT"])
    assert env == {"SINCH_USER_API_URL": "http://127.0.0.1:%d" % port, "SINCH_API_URL": "http://127.0.0.1:%d" % (port + 1),
                   "SINCH_PORTAL_API_URL": "http://127.0.0.1:%d" % (port + 2), "SINCH_EMULATOR_PORT": str(port)}
    try:
        for url in (env["SINCH_USER_API_URL"], env["SINCH_API_URL"], env["SINCH_PORTAL_API_URL"]):
            with urllib.request.urlopen(url + "/_admin/health", timeout=5) as answer:
                assert json.loads(answer.read().decode()) == {"status": "ok"}
        with open(pidfile) as handle:
            pid = int(handle.readline())
        assert ctl("start", "--pidfile", pidfile)[0] == 1  # already running
    finally:
        code, _out, err = ctl("stop", "--pidfile", pidfile)
    assert code == 0, err
    assert not os.path.exists(pidfile)
    assert not _alive(pid)
    assert ctl("stop", "--pidfile", pidfile)[0] == 0  # nothing running: still 0


def test_ctl_start_over_tls_serves_https_with_the_given_certificate(tmp_path):
    """--tls-cert/--tls-key: the URLs say https://, the hosts answer to a client that trusts the test CA only, and a
    client with another CA cannot verify them."""
    certs = make_certs(str(tmp_path / "certs"))
    pidfile = str(tmp_path / "emulator.pid")
    code, out, err = ctl("start", "--pidfile", pidfile, "--tls-cert", certs["cert"], "--tls-key", certs["key"])
    assert code == 0, err
    env = dict(line.split("=", 1) for line in out.strip().splitlines())
    port = int(env["SINCH_EMULATOR_PORT"])
    try:
        assert env["SINCH_USER_API_URL"] == "https://127.0.0.1:%d" % port
        assert env["SINCH_PORTAL_API_URL"] == "https://127.0.0.1:%d" % (port + 2)
        trusting = ssl.create_default_context(cafile=certs["ca"])
        for url in (env["SINCH_USER_API_URL"], env["SINCH_API_URL"], env["SINCH_PORTAL_API_URL"]):
            with urllib.request.urlopen(url + "/_admin/health", timeout=5, context=trusting) as answer:
                assert json.loads(answer.read().decode()) == {"status": "ok"}
        other = ssl.create_default_context(cafile=certs["other_ca"])
        try:
            urllib.request.urlopen(env["SINCH_API_URL"] + "/_admin/health", timeout=5, context=other)
            raise AssertionError("a client with another CA verified the emulator's certificate")
        except urllib.error.URLError as exc:
            assert isinstance(exc.reason, ssl.SSLCertVerificationError)
    finally:
        code, _out, err = ctl("stop", "--pidfile", pidfile)
    assert code == 0, err


def test_ctl_start_refuses_a_certificate_without_its_key(tmp_path):
    code, _out, err = ctl("start", "--pidfile", str(tmp_path / "e.pid"), "--tls-cert", str(tmp_path / "c.pem"))
    assert code == 2 and "--tls-cert and --tls-key go together" in err
    assert not os.path.exists(str(tmp_path / "e.pid"))


@pytest.mark.parametrize("port, words", [("abc", "the port must be a whole number, not 'abc'"),
                                         ("70000", "the port must be 0 (free ports) or from 1 to 65533"),
                                         ("65534", "the port must be 0 (free ports) or from 1 to 65533"),
                                         ("-1", "the port must be 0 (free ports) or from 1 to 65533")])
def test_ctl_start_refuses_a_port_that_is_none_with_a_sentence(tmp_path, port, words):
    code, _out, err = ctl("start", "--pidfile", str(tmp_path / "e.pid"), "--port=" + port)
    assert code == 2 and words in err
    assert "Traceback" not in err
    assert not os.path.exists(str(tmp_path / "e.pid"))


def _alive(pid):
    """True when the process still runs (zombies count as gone)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return False
        except OSError:
            return False
        time.sleep(0.05)
    return True


def test_run_refuses_a_broken_fixture(tmp_path):
    """run.py exits non-zero with a message when the fixture is invalid."""
    broken = tmp_path / "broken.yml"
    broken.write_text("organisations: [{id: 1}]\n")
    done = subprocess.run([sys.executable, RUN, "--port", "0", "--fixture", str(broken)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30, check=False)
    assert done.returncode != 0
    assert "organisations[0]" in done.stderr


def test_run_without_its_libraries_says_so_in_one_sentence():
    """Without Flask, Werkzeug or PyYAML (no site-packages: python -S), run.py names what is missing and the command that
    installs it, in one line and without a traceback."""
    done = subprocess.run([sys.executable, "-S", RUN, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("sinch-emulator: it needs Flask and PyYAML, and ")
    assert "ansible-playbook sinch.numbers.sandbox -e sandbox=deps" in lines[0]
    # The other way names this Python and the emulator's requirements by their paths, which run from any directory.
    requirements = os.path.join(EMULATOR_DIR, "requirements.txt")
    python = lines[0].split(" is missing for ", 1)[1].split("; ", 1)[0]
    assert lines[0].endswith("(or: %s -m pip install -r %s)." % (python, requirements))
    assert os.path.isfile(requirements)


def test_ctl_status_and_one_sentence_start_errors(tmp_path):
    """status follows the emulator; a start on taken ports or with a broken fixture fails with the emulator's sentence."""
    pidfile = str(tmp_path / "emulator.pid")
    code, _out, err = ctl("status", "--pidfile", pidfile)
    assert (code, err.strip()) == (3, "ctl.py: no emulator runs with pidfile %s" % pidfile)
    code, out, err = ctl("start", "--pidfile", pidfile)
    assert code == 0, err
    try:
        assert ctl("status", "--pidfile", pidfile)[:2] == (0, out)
        port = int(dict(line.split("=", 1) for line in out.strip().splitlines())["SINCH_EMULATOR_PORT"])
        other = str(tmp_path / "other.pid")
        code, _out, err = ctl("start", "--pidfile", other, "--port", str(port))
        assert code == 1
        assert "Traceback" not in err
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("ctl.py: the emulator did not start: cannot listen on 127.0.0.1 ports %d-%d" % (port, port + 2))
        assert not os.path.exists(other)
    finally:
        assert ctl("stop", "--pidfile", pidfile)[0] == 0
    assert ctl("status", "--pidfile", pidfile)[0] == 3
    broken = tmp_path / "broken.yml"
    broken.write_text("organisations: [{id: 1}]\n")
    code, _out, err = ctl("start", "--pidfile", pidfile, "--fixture", str(broken))
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("ctl.py: the emulator did not start: the fixture cannot be used: ")
    assert "organisations[0]" in err


def test_scripts_have_no_shebang_and_are_not_executable():
    """ansible-test sanity: no shebang on non-executable files."""
    for path in (CTL, RUN):
        with open(path) as handle:
            assert not handle.readline().startswith("#!")
        assert not os.stat(path).st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
