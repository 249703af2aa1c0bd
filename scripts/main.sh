#!/usr/bin/env bash
# THE main command of sinch.numbers: sets up and runs playbooks/main.yml against the local emulator (see scripts/dev.py).
exec python3 "$(dirname "${BASH_SOURCE[0]}")/dev.py" main "$@"
