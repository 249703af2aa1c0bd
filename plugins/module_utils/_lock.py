# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: one rental at a time per organisation on one machine (a file lock).

Two runs renting for one organisation at the same time would each read the same shortfall and
each buy it. ``organisation_lock`` serialises them on the host the module runs on: an exclusive
``fcntl.flock`` on a file in the temporary directory, named after the organisation id. The lock
is released when the holder's process ends, even if it is killed. Runs on different machines are
not covered: the Sinch API offers no lock.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import tempfile
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None

# How long a second run waits for the first one, by default (seconds).
DEFAULT_LOCK_TIMEOUT = 600.0
POLL_SECONDS = 0.2


class LockTimeout(RuntimeError):
    """The lock was not obtained within the timeout."""


def lock_path(organisation_id, directory=None):
    """The lock file of an organisation: <tmp>/sinch-numbers-rent-<organisation id>.lock."""
    return os.path.join(directory or tempfile.gettempdir(), "sinch-numbers-rent-%d.lock" % int(organisation_id))


class OrganisationLock(object):
    """A context manager holding the organisation's renting lock on this machine.

    ``warn(text)`` is called once when another run holds the lock (the wait is visible);
    ``timeout`` seconds later, LockTimeout is raised with a sentence saying what to do.
    ``waited`` is how many seconds were spent waiting.
    """

    def __init__(self, organisation_id, timeout=DEFAULT_LOCK_TIMEOUT, warn=None, directory=None,
                 clock=time.monotonic, sleep=time.sleep):
        self.organisation_id = int(organisation_id)
        self.timeout = timeout
        self.warn = warn
        self.path = lock_path(self.organisation_id, directory)
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0
        self._fd = None

    def __enter__(self):
        if fcntl is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        start = self.clock()
        warned = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (IOError, OSError):
                pass
            self.waited = self.clock() - start
            if not warned and self.warn is not None:
                self.warn("Another run is renting numbers for organisation %d on this machine; waiting up to %s s for it "
                          "to finish, so that its purchase is counted instead of bought again."
                          % (self.organisation_id, _seconds(self.timeout)))
                warned = True
            if self.waited >= self.timeout:
                os.close(fd)
                raise LockTimeout(
                    "Another run kept renting numbers for organisation %d on this machine for more than %s s (lock %s); "
                    "nothing was read or bought. Let it finish, then run again, or raise lock_timeout."
                    % (self.organisation_id, _seconds(self.timeout), self.path))
            self.sleep(POLL_SECONDS)
        self._fd = fd
        return self

    def __exit__(self, *exc):
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None
        return False


def _seconds(value):
    return ("%g" % value)
