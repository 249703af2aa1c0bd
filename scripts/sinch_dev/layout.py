"""The collection copy every tool runs from, and cheap copies of it for jobs that run side by side.

ansible-test, ansible-doc and ansible-lint want the collection at .../ansible_collections/sinch/numbers;
the copy holds what ``git ls-files -co --exclude-standard`` lists (tracked files, and new files not
ignored), and nothing else: files no longer listed are removed, so every run starts from the working tree.
"""

import filecmp
import os
import shutil
import subprocess


class LayoutError(Exception):
    """The copy could not be made; the message is one sentence."""


def listed_files(root):
    """The files git lists in ROOT's working tree (tracked and untracked-not-ignored), existing ones only."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "-co", "--exclude-standard"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, check=False).stdout
    except OSError:
        raise LayoutError("git is needed to lay out the collection") from None
    if not out and not os.path.isdir(os.path.join(root, ".git")):
        raise LayoutError("%s is not a git work tree" % os.path.basename(root))
    wanted = set()
    for rel in out.decode("utf-8", "surrogateescape").split("\0"):
        if not rel or rel.startswith((".build/", ".venv/")):
            continue
        if os.path.lexists(os.path.join(root, rel)):  # tracked files deleted in the tree are left out
            wanted.add(rel)
    return wanted


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def mirror(src_root, dst_root, wanted):
    """Make DST_ROOT hold exactly the files WANTED of SRC_ROOT; return (copied, removed)."""
    copied = 0
    os.makedirs(dst_root, exist_ok=True)
    for rel in sorted(wanted):
        src, dst = os.path.join(src_root, rel), os.path.join(dst_root, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.islink(src):
            target = os.readlink(src)
            if not (os.path.islink(dst) and os.readlink(dst) == target):
                _remove(dst)
                os.symlink(target, dst)
                copied += 1
            continue
        if os.path.isdir(dst) and not os.path.islink(dst):
            shutil.rmtree(dst)
        same = (os.path.isfile(dst) and not os.path.islink(dst) and os.stat(src).st_mode == os.stat(dst).st_mode
                and filecmp.cmp(src, dst, shallow=False))
        if not same:
            _remove(dst)
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
    return copied, removed


def collections_root(coll):
    """The directory above ansible_collections/ of the collection copy COLL (what ANSIBLE_COLLECTIONS_PATH names)."""
    return os.path.dirname(os.path.dirname(os.path.dirname(coll)))


def link_copy(coll, root):
    """A copy of the collection COLL at ROOT/ansible_collections/sinch/numbers, files hard-linked.

    Replaced whole on every call. Tools write new files (tests/output, integration_config.yml, .ansible)
    into it, never into the files they share with COLL (the mirror replaces a changed file, never edits it).
    """
    dst = os.path.join(root, "ansible_collections", "sinch", "numbers")
    if os.path.lexists(root):
        shutil.rmtree(root)
    os.makedirs(os.path.dirname(dst))
    shutil.copytree(coll, dst, symlinks=True, copy_function=os.link, ignore=_left_out(coll))
    return dst


def _left_out(coll):
    """What a job copy leaves out: what tools wrote into COLL (tests/output, caches)."""
    output = os.path.join(coll, "tests")

    def ignore(directory, names):
        left = {name for name in names if name in (".ansible", "__pycache__", ".pytest_cache")}
        if os.path.abspath(directory) == output and "output" in names:
            left.add("output")
        return left
    return ignore
