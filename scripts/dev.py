"""The development commands of sinch.numbers, in one place: python3 scripts/dev.py COMMAND [options]

    test    set up and run every test (what bash scripts/test.sh runs; CI runs it)
    main    set up and run the main job (playbooks/main.yml) against the local emulator (bash scripts/main.sh)
    bench   the benchmark (see docs/benchmarks.md); not part of the test command
    setup   only set up: .venv, the collection copy under .build, the test caches
    docs    build the HTML documentation site offline into .build/docs

It runs on any Python 3.8 or later: it finds the interpreter .venv is built on, builds .venv, and runs
the rest of the command with .venv's Python (see scripts/sinch_dev/).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sinch_dev.cli import main  # noqa: E402  pylint: disable=wrong-import-position

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
