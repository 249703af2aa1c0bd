# -*- coding: utf-8 -*-
# Copyright: sinch.numbers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/sinch.numbers.sinch) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - sinch.numbers.sinch
notes:
  - All modules of this collection are in the action group C(sinch.numbers.sinch), so the connection
    can be set once per play with C(module_defaults) and C(group/sinch.numbers.sinch).
"""

    # For modules that only read.
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    details: This module only reads, and runs the same in check mode.
  diff_mode:
    support: N/A
    details: This module changes nothing.
"""
