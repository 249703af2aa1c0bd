# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Internal use only: one writer at a time per organisation on one machine (a file lock), and its private files.

Two runs renting for one organisation at the same time would each read the same shortfall and each buy
it; a run assigning numbers while another rents could overwrite what the other just wrote. Every task
that writes (sinch_number_rent, sinch_number_rentals, sinch_app_numbers, sinch_app_number_absent) holds
the organisation's lock from its deciding read to its last write: an exclusive ``fcntl.flock`` on
``sinch-numbers-<organisation id>.lock`` in one directory of the machine, ``/var/tmp`` unless
``lock_path`` names another. The place depends neither on ``TMPDIR`` nor on the user, so every run on
the machine meets the same lock (or, run as another user than the file's owner, fails: see below). The
lock is released when the holder's process ends, even if killed.

The files are created safely in a shared, sticky directory: opened with ``O_NOFOLLOW`` (a symlink
planted there is refused, never followed), mode 0600 and checked to be a regular file of this user
with one link. Once this user's file exists, another local user cannot open it (so cannot hold the
lock) nor, thanks to the sticky bit, remove or replace it. But in a directory every user can write (as
``/var/tmp``), another user can create the file first: it is then theirs, and every run of this user
fails, reading and buying nothing, with a sentence naming the owner (never running unguarded). The file
being private, the runs that must meet one lock run as one user. To keep other users from blocking
renting, set ``lock_path`` to a directory only the renting users can write.

What it cannot cover: runs on other machines, or in separate containers (each AWX job runs in a fresh
one). Sinch has no lock; run renting once per organisation (one renting job template with concurrent
jobs off, in AWX).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import errno
import json
import os
import stat
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None

try:
    import pwd
except ImportError:  # pragma: no cover - not on POSIX
    pwd = None

from ansible_collections.sinch.numbers.plugins.module_utils._errors import LockError

# The machine-wide directory of the locks (and pending purchases): the same for every user and TMPDIR.
DEFAULT_DIRECTORY = "/var/tmp"
# How long a second run waits for the first one, by default (seconds).
DEFAULT_LOCK_TIMEOUT = 600.0
POLL_SECONDS = 0.2


def lock_file(organisation_id, directory=None):
    """The lock file of an organisation: <directory>/sinch-numbers-<organisation id>.lock."""
    return os.path.join(directory or DEFAULT_DIRECTORY, "sinch-numbers-%d.lock" % int(organisation_id))


def _owner_name(uid):
    if pwd is not None:
        try:
            return "user %s" % pwd.getpwuid(uid).pw_name
        except KeyError:
            pass
    return "user id %d" % uid


def check_directory(directory):
    """LockError unless ``directory`` is a real directory others cannot use to replace this user's files."""
    try:
        info = os.lstat(directory)
    except OSError as err:
        raise LockError("The renting lock's directory %s cannot be used (%s); nothing was read or written."
                        % (directory, err.strerror or type(err).__name__),
                        hint="Create it, or set lock_path to a directory every renting run on this machine can use.")
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise LockError("The renting lock's directory %s is not a directory (or is a symbolic link); nothing was read "
                        "or written." % directory, hint="Set lock_path to a real directory.")
    shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if shared and not info.st_mode & stat.S_ISVTX:
        raise LockError("The renting lock's directory %s can be written by other users and is not sticky, so they could "
                        "remove the lock while a run holds it; nothing was read or written." % directory,
                        hint="Use a sticky directory (chmod +t, as /var/tmp is) or one only this user can write.")


def open_private(path, flags, what="renting lock"):
    """Open ``path`` without following a symlink, created 0600; LockError unless it is this user's own file.

    A file opened for writing whose mode lets others in is made 0600; one opened read-only is left as it is
    (reading never writes, not even a file's mode: a check-mode run reads the pending purchases).
    """
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as err:
        if err.errno == errno.ENOENT:
            raise
        reason, hint = err.strerror or type(err).__name__, _REMOVE_HINT
        if err.errno == errno.ELOOP:
            reason, hint = "it is a symbolic link, which is never followed", _LINK_HINT
        elif err.errno in (errno.EACCES, errno.EPERM):
            try:
                owner = os.lstat(path).st_uid
            except OSError:
                owner = None
            if owner is not None and owner != os.geteuid():
                reason, hint = "it belongs to %s" % _owner_name(owner), _OWNER_HINT
            else:
                hint = _ACCESS_HINT
        raise LockError("The %s %s cannot be opened (%s); nothing was read or written." % (what, path, reason), hint=hint)
    info = os.fstat(fd)
    problem = hint = None
    if not stat.S_ISREG(info.st_mode):
        problem, hint = "it is not a regular file", _REMOVE_HINT
    elif info.st_uid != os.geteuid():
        problem, hint = "it belongs to %s" % _owner_name(info.st_uid), _OWNER_HINT
    elif info.st_nlink != 1:
        problem, hint = "it has more than one link", _LINK_HINT
    if problem:
        os.close(fd)
        raise LockError("The %s %s is refused (%s); nothing was read or written." % (what, path, problem), hint=hint)
    if info.st_mode & 0o077 and (flags & getattr(os, "O_ACCMODE", 3)) != os.O_RDONLY:
        os.fchmod(fd, 0o600)
    return fd


# What to do about a refused lock or record, by reason.
_OWNER_HINT = ("That user created it first (its runs, or a file made to block them), and a lock file is private to its "
               "owner: run as that user, or set lock_path to a directory only the renting users can write.")
_LINK_HINT = ("The collection never makes links, so someone else put it there: when no run is renting, find out who and "
              "remove it, and set lock_path to a directory only the renting users can write.")
_ACCESS_HINT = ("Check the permissions of the file and of its directory, or set lock_path to a directory only the renting "
                "users can write.")
_REMOVE_HINT = ("When no run is renting, check what it is and remove it, or set lock_path to a directory only the renting "
                "users can write.")


def read_private(path, what):
    """The JSON document of this user's private file ``path``; None when there is none."""
    try:
        fd = open_private(path, os.O_RDONLY, what)
    except OSError:
        return None
    with os.fdopen(fd, "r") as handle:
        text = handle.read()
    try:
        return json.loads(text)
    except ValueError:
        raise LockError("The %s %s cannot be read (it is not JSON); nothing was read or written." % (what, path),
                        hint="Move it aside when no run is renting, after checking the rented numbers.")


def write_private(path, document, what):
    """Write ``document`` as JSON to ``path`` atomically (a 0600 temporary file renamed over it); None removes it."""
    if document is None:
        try:
            os.unlink(path)
        except OSError as err:
            if err.errno != errno.ENOENT:
                raise
        return
    temporary = "%s.%d.tmp" % (path, os.getpid())
    try:
        os.unlink(temporary)
    except OSError:
        pass
    fd = open_private(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, what)
    with os.fdopen(fd, "w") as handle:
        json.dump(document, handle, sort_keys=True, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(temporary, path)


class OrganisationLock(object):
    """A context manager holding the organisation's lock on this machine.

    ``warn(text)`` is called once when another run holds the lock (the wait is visible); ``timeout``
    seconds later, LockError is raised with a sentence saying what to do. ``waited`` is how many
    seconds were spent waiting (0 when the lock was free).
    """

    def __init__(self, organisation_id, timeout=DEFAULT_LOCK_TIMEOUT, warn=None, directory=None,
                 clock=time.monotonic, sleep=time.sleep):
        self.organisation_id = int(organisation_id)
        self.timeout = DEFAULT_LOCK_TIMEOUT if timeout is None else timeout
        self.warn = warn
        self.directory = directory or DEFAULT_DIRECTORY
        self.path = lock_file(self.organisation_id, self.directory)
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0
        self._fd = None

    def __enter__(self):
        if fcntl is None:
            return self
        check_directory(self.directory)
        fd = open_private(self.path, os.O_RDWR | os.O_CREAT)
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
                self.warn("Another run is writing for organisation %d on this machine; waiting up to %s s for it to "
                          "finish, so that what it bought or assigned is counted instead of done again."
                          % (self.organisation_id, "%g" % self.timeout))
                warned = True
            if self.waited >= self.timeout:
                os.close(fd)
                raise LockError(
                    "Another run kept writing for organisation %d on this machine for more than %s s (lock %s); "
                    "nothing was read or written." % (self.organisation_id, "%g" % self.timeout, self.path),
                    hint="Let it finish, then run again, or raise lock_timeout.")
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
