#!/usr/bin/env bash
# Build the collection's HTML docs site, offline: bash scripts/docs.sh
# Result: .build/docs/build/html/index.html (module and role references, and the guides of
# docs/docsite: extra-docs.yml, links.yml, rst/*.rst).
#
# Sets up .venv (requirements-dev.txt pins antsibull-docs, Sphinx and sphinx-ansible-theme) and
# the collection copy, writes a Sphinx project with `antsibull-docs sphinx-init`, turns off
# intersphinx (it would download other sites' inventories), and runs the build.sh it wrote
# (antsibull-docs collection, then sphinx-build -W). Without those inventories, the links the
# generated module pages make into the Ansible documentation (common return values,
# configuration settings) cannot resolve; those warnings, and only those, are tolerated.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

sn_setup || sn_die "setup failed"
python "$SN_ROOT/scripts/design_rst.py" --check || sn_die "the design notes page is out of date"

site="$SN_BUILD/docs"
rm -rf "$site"
mkdir -p "$site"
chmod 700 "$site"   # antsibull-docs wants its directories writable by their owner only
(cd "$SN_BUILD" && antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
    --no-add-antsibull-docs-version --dest-dir "$site" --title "Sinch Numbers Collection" sinch.numbers) ||
    sn_die "antsibull-docs sphinx-init failed"
python - "$site/conf.py" <<'PY' || sn_die "could not turn off intersphinx in conf.py"
import re
import sys

path = sys.argv[1]
text = open(path).read()
text, count = re.subn(r"(?m)^intersphinx_mapping = \{", "intersphinx_mapping = {}  # offline build\n_online_intersphinx_mapping = {", text)
if count != 1:
    sys.exit("conf.py has no intersphinx_mapping")
open(path, "w").write(text)
PY
# -W makes every warning an error; --keep-going lists them all; -w keeps them for the filter.
sed -i 's|^sphinx-build -M html rst build -c . -W --keep-going$|sphinx-build -M html rst build -c . --keep-going -w build/warnings.log|' "$site/build.sh"
grep -q 'warnings.log' "$site/build.sh" || sn_die "the build.sh of antsibull-docs changed; update scripts/docs.sh"
mkdir -p "$site/build"
bash "$site/build.sh" || sn_die "building the docs site failed"
unexpected="$(grep -E 'WARNING|ERROR' "$site/build/warnings.log" |
    grep -vE "WARNING: undefined label: '(common_return_values|ansible_configuration_settings)'" || true)"
if [ -n "$unexpected" ]; then
    printf '%s\n' "$unexpected" >&2
    sn_die "the docs site built with warnings (above)"
fi
for page in index.html number_rental_role.html sinch_number_rent_module.html docsite/getting_started.html \
    docsite/design.html docsite/awx.html docsite/renting_safely.html docsite/troubleshooting.html; do
    [ -s "$site/build/html/$page" ] || sn_die "the docs site lacks $page"
done
sn_log "docs site: .build/docs/build/html/index.html"
