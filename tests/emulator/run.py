"""Run the Sinch emulator in the foreground: python tests/emulator/run.py --port P [--bind ADDR] [--fixture FILE] [--verbose].

Prints "sinch-emulator ready: userapi=... api=... portalapi=..." once the three
hosts listen, and stops cleanly (exit 0) on SIGINT or SIGTERM.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sinch_emulator.cli import main  # noqa: E402  (needs the path above)

if __name__ == "__main__":
    sys.exit(main())
