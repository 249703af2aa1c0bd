"""``python -m sinch_emulator`` (with tests/emulator on sys.path): same as tests/emulator/run.py."""

import sys

from .cli import main

sys.exit(main())
