#!/usr/bin/env bash
# THE test command of sinch.numbers: sets up and runs every test (see scripts/dev.py and scripts/sinch_dev/).
exec python3 "$(dirname "${BASH_SOURCE[0]}")/dev.py" test "$@"
