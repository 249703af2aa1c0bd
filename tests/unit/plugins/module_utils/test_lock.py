# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The organisation's renting lock: one holder per organisation on a machine, a bounded and visible wait."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import subprocess
import sys

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils._lock import LockTimeout, OrganisationLock, lock_path

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


def holder(path):
    """Another process holding the lock until its stdin closes."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"held"
    return proc


def test_lock_file_is_keyed_by_organisation(tmp_path):
    assert lock_path(8888123, str(tmp_path)) == os.path.join(str(tmp_path), "sinch-numbers-rent-8888123.lock")
    assert lock_path("7777001", str(tmp_path)).endswith("-7777001.lock")


def test_free_lock_is_taken_without_waiting_or_warning(tmp_path):
    warnings = []
    with OrganisationLock(8888123, 5, warnings.append, str(tmp_path)) as lock:
        assert lock.waited == 0.0
    assert warnings == []


def test_held_lock_makes_a_second_run_wait_then_fail_clearly(tmp_path):
    proc = holder(lock_path(8888123, str(tmp_path)))
    ticks = iter(range(1000))
    warnings = []
    try:
        with pytest.raises(LockTimeout) as err:
            with OrganisationLock(8888123, 3, warnings.append, str(tmp_path), clock=lambda: float(next(ticks)),
                                  sleep=lambda _s: None):
                pass
        # Another organisation is not blocked.
        with OrganisationLock(7777001, 0, warnings.append, str(tmp_path)):
            pass
    finally:
        proc.stdin.close()
        proc.wait()
    assert "Another run kept renting numbers for organisation 8888123 on this machine for more than 3 s" in str(err.value)
    assert "nothing was read or bought" in str(err.value)
    assert len(warnings) == 1 and "waiting up to 3 s" in warnings[0]


def test_lock_is_obtained_once_the_holder_ends(tmp_path):
    proc = holder(lock_path(8888123, str(tmp_path)))
    warnings = []

    def release(_seconds):
        if proc.poll() is None:
            proc.stdin.close()
            proc.wait()
    with OrganisationLock(8888123, 60, warnings.append, str(tmp_path), sleep=release):
        pass
    assert len(warnings) == 1
