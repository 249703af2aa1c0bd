#!/usr/bin/env bash
# The benchmark of sinch.numbers: bash scripts/bench.sh [--pairs N] [--rentals 1,10,50] [--estate N]
#                                 [--forks N] [--rows read,size,role,estate]
#
# Sets up what it needs like the other commands (.venv, collection copy under .build, the API
# emulator), then runs scripts/bench_driver.py in the collection copy with these options (and a
# scratch directory of its own): every ratio paired and interleaved, at least 5 pairs, printed as one
# Markdown table with the machine and its load. What each row measures: the driver's docstring
# (scripts/bench_driver.py). Timings are not asserted anywhere: this is not part of the test
# command. Record results in docs/benchmarks.md.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
esac

trap sn_emulator_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sn_setup || sn_die "setup failed"
sn_emulator_start || sn_die "could not start the API emulator"

WORK="$(mktemp -d)"
trap 'sn_emulator_stop; rm -rf "$WORK"' EXIT

(cd "$SN_COLL" && ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False \
    "$SN_VENV/bin/python" scripts/bench_driver.py --work "$WORK" "$@")
