#!/usr/bin/env bash
# Prepare the development environment (idempotent; scripts/test.sh and scripts/main.sh
# call the same code):
#   .venv/                                      from requirements-dev.txt (rebuilt when it changes)
#   .build/ansible_collections/sinch/numbers/   copy of the working tree's collection files
#   ~/.ansible/test/cache/get_pip_*.py          offline pip bootstrap for ansible-test sanity
# Afterwards, for manual runs:
#   export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/.build"
#   export ANSIBLE_TEST_CONTENT_ROOT="$PWD/.build/ansible_collections/sinch/numbers"
#   cd .build/ansible_collections/sinch/numbers && ansible-test sanity --python X.Y  (X.Y: .venv's Python)
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sn_setup || sn_die "setup failed"
sn_log "setup done"
