"""Integration targets: which ansible-test would run, and their split into groups of equal time."""

import os
import re

# A target's time when none was measured yet (seconds).
UNKNOWN_TIME = 30.0
HIDDEN = re.compile(r"^\s*(hidden|disabled|unsupported|unstable)\s*(#.*)?$")


def runnable_targets(targets_dir):
    """Targets ansible-test runs by default: not setup_*/prepare_*, not aliased hidden, disabled, unsupported, unstable."""
    names = []
    for name in sorted(os.listdir(targets_dir)) if os.path.isdir(targets_dir) else []:
        path = os.path.join(targets_dir, name)
        if not os.path.isdir(path) or name.startswith(("setup_", "prepare_")):
            continue
        aliases = os.path.join(path, "aliases")
        if os.path.isfile(aliases):
            with open(aliases, encoding="utf-8") as handle:
                if any(HIDDEN.match(line) for line in handle):
                    continue
        names.append(name)
    return names


def split(targets, times, groups):
    """TARGETS in at most GROUPS lists of nearly equal total time (longest first, each to the least loaded group).

    TIMES maps a target to its measured seconds (UNKNOWN_TIME when absent). Every target is in exactly one
    group; no group is empty; within a group the targets keep their sorted order.
    """
    groups = max(1, min(int(groups), len(targets)))
    loads = [[0.0, []] for _group in range(groups)]
    for target in sorted(targets, key=lambda name: (-float(times.get(name, UNKNOWN_TIME)), name)):
        lightest = min(loads, key=lambda load: load[0])
        lightest[0] += float(times.get(target, UNKNOWN_TIME))
        lightest[1].append(target)
    return [sorted(names) for _load, names in loads if names]
