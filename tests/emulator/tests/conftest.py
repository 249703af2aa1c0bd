"""Fixtures of the emulator's own tests: one emulator process (run.py on free ports) for the session, reset before each test."""

import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from emulator_helpers import EMULATOR_DIR, Client

RUN_PY = os.path.join(EMULATOR_DIR, "run.py")
READY_RE = re.compile(r"^sinch-emulator ready: userapi=(\S+) api=(\S+) portalapi=(\S+)$")


def start_emulator(*extra):
    """Start run.py on free ports; return (process, urls) once it printed its ready line."""
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty stderr cannot block the emulator
    process = subprocess.Popen([sys.executable, RUN_PY, "--port", "0"] + list(extra), stdout=subprocess.PIPE, stderr=errors,
                               universal_newlines=True)
    process.errors = errors
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            match = READY_RE.match(line.strip())
            if match:
                return process, dict(zip(("userapi", "api", "portalapi"), match.groups()))
            if not line:
                break
    process.kill()
    process.wait()
    raise RuntimeError("the emulator did not start: %s" % read_errors(process))


def read_errors(process):
    """Everything the emulator wrote to stderr so far."""
    process.errors.seek(0)
    return process.errors.read()


def stop_emulator(process):
    """SIGTERM and wait; return (exit code, stderr)."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()
    err = read_errors(process)
    process.errors.close()
    return process.returncode, err


@pytest.fixture(scope="session")
def emulator_process():
    """One emulator for the whole test session; it must stop cleanly (exit 0, no traceback)."""
    process, urls = start_emulator()
    yield process, urls
    code, err = stop_emulator(process)
    assert code == 0, err
    assert "Traceback" not in err, err


@pytest.fixture
def client(emulator_process):
    """A client of the session's emulator, after a reset to the default fixture."""
    _process, urls = emulator_process
    fresh = Client(urls)
    fresh.admin("POST", "reset")
    return fresh


@pytest.fixture
def jane(client):
    """A client signed in as Jane (organisation 8888123)."""
    return client.sign_in()
