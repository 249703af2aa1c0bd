# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The options of the modules that write (they hold the organisation's lock on the machine they run on).
    DOCUMENTATION = r"""
options:
  lock_timeout:
    description:
      - How many seconds a run waits for another run writing for the same organisation on this machine to finish,
        before failing without reading or writing anything.
      - A finite number of seconds, V(0) or more, at most 86400; V(true) and V(false) fail the task.
      - Not used in check mode, which writes nothing.
    type: raw
    default: 600
  lock_path:
    description:
      - The directory of the organisation's lock on the machine the module runs on (C(sinch-numbers-<organisation
        id>.lock)), and of its pending purchases (C(sinch-numbers-<organisation id>.pending.json)).
      - The default, C(/var/tmp), is the same for every user and whatever C(TMPDIR) says, so every run on the
        machine meets the same lock. Give another directory shared by every run that writes for the organisation
        on this machine; it must not be writable by other users unless it is sticky (as C(/var/tmp) is).
      - The lock file is private to the user who created it (mode 0600, never followed through a symbolic link), so
        the runs that must meet one lock run as one user. In a directory every user can write, such as C(/var/tmp),
        another local user can create the file first, and runs as any other user then fail, reading and writing nothing,
        with a sentence naming the owner (never unguarded). To keep other users from blocking renting that way, set
        O(lock_path) to a directory only the renting users can write.
      - If not set, the environment variable C(SINCH_LOCK_PATH) is used, then C(/var/tmp).
    type: path
    version_added: 0.3.0
notes:
  - The lock covers runs on one machine only. Runs on other machines, or in separate containers (each AWX job runs in
    a fresh one), are not covered, since Sinch has no lock. Run the tasks that write once per organisation (in AWX,
    one job template with concurrent jobs off).
"""
