# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The organisation's lock: one per machine (not per TMPDIR or user), created safely, a bounded and visible wait."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest

from ansible_collections.sinch.numbers.plugins.module_utils import _lock
from ansible_collections.sinch.numbers.plugins.module_utils._errors import LockError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import (
    DEFAULT_DIRECTORY, OrganisationLock, lock_file, read_private, write_private)

ORG = 8888123
NOBODY = 65534

HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""

# A run of the collection's lock in a process of its own: holds it until stdin closes, or reports that it could not.
RUN = """
import sys
from ansible_collections.sinch.numbers.plugins.module_utils._errors import LockError
from ansible_collections.sinch.numbers.plugins.module_utils._lock import OrganisationLock
warnings = []
try:
    with OrganisationLock(int(sys.argv[1]), float(sys.argv[2]), warnings.append, sys.argv[3] or None) as lock:
        print("held %s" % lock.path, flush=True)
        sys.stdin.readline()
except LockError as err:
    print("refused %d %s" % (len(warnings), err), flush=True)
"""


def holder(path):
    """Another process holding the lock file until its stdin closes."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"held"
    return proc


def run(organisation_id, timeout, directory=None, env=None):
    """A run taking the lock in another process (with a TMPDIR of its own); its first line of output."""
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    environment.update(env or {})
    proc = subprocess.Popen([sys.executable, "-c", RUN, str(organisation_id), str(timeout), directory or ""],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    line = proc.stdout.readline().decode().strip()
    return proc, line


def as_user(uid, action):
    """The exit code of ``action()`` run in a forked process as user ``uid`` (99 when it raised)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.setgid(uid)
            os.setuid(uid)
            code = action()
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status)


def finish(proc):
    proc.stdin.close()
    proc.wait()


@pytest.fixture
def machine_org():
    """An organisation id of its own in the machine directory (/var/tmp), its lock file removed afterwards."""
    organisation_id = 900000000 + os.getpid() % 100000000
    yield organisation_id
    for path in (lock_file(organisation_id),):
        if os.path.lexists(path):
            os.unlink(path)


@pytest.fixture
def shared_dir():
    """A sticky directory every user can write, like /var/tmp (tmp_path is private to this user)."""
    path = tempfile.mkdtemp(prefix="sinch-lock-test-", dir=DEFAULT_DIRECTORY)
    os.chmod(path, 0o1777)
    yield path
    shutil.rmtree(path)


def test_the_default_place_is_the_machine_directory_whatever_tmpdir_says(monkeypatch, tmp_path):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    tempfile.tempdir = None
    try:
        assert lock_file(ORG) == "/var/tmp/sinch-numbers-%d.lock" % ORG
        assert OrganisationLock(ORG).path == lock_file(ORG)
    finally:
        tempfile.tempdir = None


def test_two_runs_with_different_tmpdir_meet_the_same_lock(machine_org, tmp_path):
    first_tmp, second_tmp = tmp_path / "a", tmp_path / "b"
    first_tmp.mkdir()
    second_tmp.mkdir()
    first, line = run(machine_org, 5, env={"TMPDIR": str(first_tmp)})
    try:
        assert line == "held %s" % lock_file(machine_org)
        second, refused = run(machine_org, 0.3, env={"TMPDIR": str(second_tmp)})
        finish(second)
    finally:
        finish(first)
    assert refused.startswith("refused 1 Another run kept writing for organisation %d" % machine_org)
    # Once the first run ended, the second one gets it.
    third, line = run(machine_org, 5, env={"TMPDIR": str(second_tmp)})
    finish(third)
    assert line == "held %s" % lock_file(machine_org)


def test_lock_path_overrides_the_machine_directory(tmp_path, machine_org):
    with OrganisationLock(machine_org, 5, [].append, str(tmp_path)) as lock:
        assert lock.path == os.path.join(str(tmp_path), "sinch-numbers-%d.lock" % machine_org)
        assert os.path.exists(lock.path)
    assert not os.path.lexists(lock_file(machine_org))


def test_lock_file_is_keyed_by_organisation(tmp_path):
    assert lock_file(ORG, str(tmp_path)) == os.path.join(str(tmp_path), "sinch-numbers-8888123.lock")
    assert lock_file("7777001", str(tmp_path)).endswith("sinch-numbers-7777001.lock")


def test_the_lock_file_is_created_private(tmp_path):
    old = os.umask(0)
    try:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)) as lock:
            info = os.lstat(lock.path)
    finally:
        os.umask(old)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.geteuid()


def test_a_loose_lock_file_of_this_user_is_made_private(tmp_path):
    path = lock_file(ORG, str(tmp_path))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o666)
    with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
        pass
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


def test_a_symlink_planted_as_the_lock_is_never_followed(tmp_path):
    target = tmp_path / "precious"
    target.write_text("keep me")
    os.chmod(str(target), 0o644)
    os.symlink(str(target), lock_file(ORG, str(tmp_path)))
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    assert "symbolic link" in str(err.value) and "nothing was read or written" in str(err.value)
    assert target.read_text() == "keep me" and stat.S_IMODE(os.stat(str(target)).st_mode) == 0o644


def test_a_dangling_symlink_planted_as_the_lock_creates_nothing(tmp_path):
    target = tmp_path / "created-through-the-link"
    os.symlink(str(target), lock_file(ORG, str(tmp_path)))
    with pytest.raises(LockError):
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    assert not os.path.lexists(str(target))


def test_a_hard_link_as_the_lock_is_refused(tmp_path):
    other = tmp_path / "other"
    other.write_text("")
    os.chmod(str(other), 0o600)
    os.link(str(other), lock_file(ORG, str(tmp_path)))
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    assert "more than one link" in str(err.value)


def test_a_lock_file_of_another_user_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root to give the lock file to another user (os.chown); as another user the open is refused "
                    "by the file's mode instead")
    path = lock_file(ORG, str(tmp_path))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chown(path, NOBODY, NOBODY)
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    assert "belongs to" in str(err.value) and path in str(err.value)
    assert "nothing was read or written" in str(err.value)


def test_another_user_can_neither_hold_nor_remove_the_lock(shared_dir):
    if os.geteuid() != 0:
        pytest.skip("needs root to run a process as another user")

    def hold():
        try:
            with OrganisationLock(ORG, 0.2, [].append, shared_dir, sleep=lambda _s: None):
                return 0
        except LockError as err:
            return 1 if "cannot be opened" in str(err) and "belongs to user" in str(err) else 2

    def remove():
        try:
            os.unlink(lock_file(ORG, shared_dir))
        except OSError:
            return 1
        return 0

    with OrganisationLock(ORG, 5, [].append, shared_dir) as lock:
        assert as_user(NOBODY, hold) == 1
        assert as_user(NOBODY, remove) == 1
        assert os.path.exists(lock.path)
    # Not held any more, the file is still this user's: the other user still cannot take it.
    assert as_user(NOBODY, hold) == 1


def test_a_world_writable_directory_that_is_not_sticky_is_refused(tmp_path):
    directory = tmp_path / "open"
    directory.mkdir()
    os.chmod(str(directory), 0o777)
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(directory)):
            pass  # pragma: no cover - must not be reached
    assert "not sticky" in str(err.value)
    assert os.listdir(str(directory)) == []
    os.chmod(str(directory), 0o1777)
    with OrganisationLock(ORG, 5, [].append, str(directory)):
        pass


def test_a_directory_that_is_a_symlink_or_missing_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(str(real), str(tmp_path / "link"))
    for directory in (str(tmp_path / "link"), str(tmp_path / "missing")):
        with pytest.raises(LockError):
            with OrganisationLock(ORG, 5, [].append, directory):
                pass  # pragma: no cover - must not be reached
    assert os.listdir(str(real)) == []


def test_free_lock_is_taken_without_waiting_or_warning(tmp_path):
    warnings = []
    with OrganisationLock(ORG, 5, warnings.append, str(tmp_path)) as lock:
        assert lock.waited == 0.0
    assert warnings == []


def test_a_second_holder_waits_warns_once_and_times_out(tmp_path):
    proc = holder(lock_file(ORG, str(tmp_path)))
    ticks = iter(range(1000))
    warnings = []
    try:
        with pytest.raises(LockError) as err:
            with OrganisationLock(ORG, 3, warnings.append, str(tmp_path), clock=lambda: float(next(ticks)),
                                  sleep=lambda _s: None):
                pass  # pragma: no cover - must not be reached
        # Another organisation is not blocked.
        with OrganisationLock(7777001, 0, warnings.append, str(tmp_path)):
            pass
    finally:
        finish(proc)
    message = str(err.value)
    assert "Another run kept writing for organisation %d on this machine for more than 3 s" % ORG in message
    assert "nothing was read or written" in message and "lock_timeout" in message
    assert len(warnings) == 1 and "waiting up to 3 s" in warnings[0]


def test_the_lock_is_obtained_once_the_holder_ends(tmp_path):
    proc = holder(lock_file(ORG, str(tmp_path)))
    warnings = []

    def release(_seconds):
        if proc.poll() is None:
            finish(proc)
    with OrganisationLock(ORG, 60, warnings.append, str(tmp_path), sleep=release) as lock:
        assert lock.waited >= 0
    assert len(warnings) == 1


def test_the_lock_is_released_on_exit(tmp_path):
    with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
        pass
    proc, line = run(ORG, 0.3, str(tmp_path))
    finish(proc)
    assert line.startswith("held ")


def test_private_files_round_trip(tmp_path):
    path = str(tmp_path / "record.json")
    assert read_private(path, "record") is None
    write_private(path, {"purchases": [1, 2]}, "record")
    assert read_private(path, "record") == {"purchases": [1, 2]}
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    write_private(path, {"purchases": []}, "record")
    assert read_private(path, "record") == {"purchases": []}
    assert os.listdir(str(tmp_path)) == ["record.json"]
    write_private(path, None, "record")
    assert not os.path.lexists(path)
    write_private(path, None, "record")  # removing what is not there is fine


def test_a_failed_write_leaves_the_previous_record_whole(tmp_path):
    path = str(tmp_path / "record.json")
    write_private(path, {"purchases": ["first"]}, "record")
    with pytest.raises(TypeError):
        write_private(path, {"purchases": [object()]}, "record")  # fails half-way through the JSON
    assert read_private(path, "record") == {"purchases": ["first"]}
    write_private(path, {"purchases": ["second"]}, "record")
    assert read_private(path, "record") == {"purchases": ["second"]}


def test_a_private_write_replaces_a_planted_symlink_without_following_it(tmp_path):
    target = tmp_path / "precious"
    target.write_text("keep me")
    path = str(tmp_path / "record.json")
    os.symlink(str(target), path)
    with pytest.raises(LockError):
        read_private(path, "record")
    write_private(path, {"purchases": []}, "record")
    assert target.read_text() == "keep me"
    assert not os.path.islink(path) and read_private(path, "record") == {"purchases": []}


def test_a_private_write_refuses_a_planted_temporary_file(tmp_path, monkeypatch):
    path = str(tmp_path / "record.json")
    target = tmp_path / "precious"
    target.write_text("keep me")
    temporary = "%s.%d.tmp" % (path, os.getpid())
    os.symlink(str(target), temporary)
    # The planted link cannot be removed (another user's, in a sticky directory): the write is refused, not followed.
    monkeypatch.setattr(_lock.os, "unlink", lambda _path: None)
    with pytest.raises(LockError):
        write_private(path, {"purchases": []}, "record")
    assert target.read_text() == "keep me"
    assert not os.path.lexists(path)


def test_a_private_file_that_is_not_json_is_refused(tmp_path):
    path = str(tmp_path / "record.json")
    with open(path, "w") as handle:
        handle.write("{")
    os.chmod(path, 0o600)
    with pytest.raises(LockError) as err:
        read_private(path, "record")
    assert "not JSON" in str(err.value)


def test_reading_a_private_file_never_changes_its_mode(tmp_path):
    # A check-mode run reads the pending purchases: reading writes nothing, not even the file's mode.
    path = str(tmp_path / "record.json")
    write_private(path, {"purchases": []}, "record")
    os.chmod(path, 0o644)
    assert read_private(path, "record") == {"purchases": []}
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o644
    os.close(_lock.open_private(path, os.O_RDWR, "record"))   # opened to write: made private
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


def test_a_refused_symlink_is_not_blamed_on_another_users_run(tmp_path):
    os.symlink(str(tmp_path / "elsewhere"), lock_file(ORG, str(tmp_path)))
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    text = str(err.value)
    assert "it is a symbolic link, which is never followed" in text
    assert "Another user" not in text and "another user" not in text
    assert "The collection never makes links, so someone else put it there" in text
    assert "lock_path to a directory only the renting users can write" in text


def test_a_refused_hard_link_says_what_to_do_about_a_link(tmp_path):
    other = tmp_path / "other"
    other.write_text("")
    os.chmod(str(other), 0o600)
    os.link(str(other), lock_file(ORG, str(tmp_path)))
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, str(tmp_path)):
            pass  # pragma: no cover - must not be reached
    assert "more than one link" in str(err.value) and "The collection never makes links" in str(err.value)


def test_a_lock_file_another_user_created_first_names_the_owner_and_the_way_out(shared_dir):
    if os.geteuid() != 0:
        pytest.skip("needs root to run a process as another user")

    def create():
        with OrganisationLock(ORG, 0.2, [].append, shared_dir, sleep=lambda _s: None):
            return 0
    assert as_user(NOBODY, create) == 0   # the other user's run came first: the file is theirs
    with pytest.raises(LockError) as err:
        with OrganisationLock(ORG, 5, [].append, shared_dir):
            pass  # pragma: no cover - must not be reached
    text = str(err.value)
    assert "belongs to user" in text and "nothing was read or written" in text
    assert "That user created it first" in text and "lock_path to a directory only the renting users can write" in text
