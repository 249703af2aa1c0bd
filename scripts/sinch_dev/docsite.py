"""The collection's HTML documentation site, built offline: python3 scripts/dev.py docs

Result: .build/docs/build/html/index.html (module and role references, and the guides of docs/docsite:
extra-docs.yml, links.yml, rst/*.rst). ``antsibull-docs sphinx-init`` writes a Sphinx project; intersphinx
is turned off (it would download other sites' inventories) and its build.sh is run (antsibull-docs
collection, then sphinx-build). Without those inventories, the links the generated module pages make into
the Ansible documentation (common return values, configuration settings) cannot resolve; those warnings,
and only those, are tolerated.
"""

import os
import re
import shutil

from .project import StepFailed

TOLERATED = re.compile(r"WARNING: undefined label: '(common_return_values|ansible_configuration_settings)'")
PAGES = ("index.html", "number_rental_role.html", "sinch_number_rent_module.html", "docsite/getting_started.html",
         "docsite/design.html", "docsite/awx.html", "docsite/renting_safely.html", "docsite/troubleshooting.html")


def offline_conf(text):
    """conf.py's text with intersphinx turned off."""
    text, count = re.subn(r"(?m)^intersphinx_mapping = \{", "intersphinx_mapping = {}  # offline build\n_online_intersphinx_mapping = {", text)
    if count != 1:
        raise StepFailed("the conf.py of antsibull-docs has no intersphinx_mapping; update scripts/sinch_dev/docsite.py")
    return text


def keep_warnings(text):
    """build.sh's text with sphinx-build keeping its warnings in build/warnings.log instead of failing on the first."""
    new, count = re.subn(r"(?m)^sphinx-build -M html rst build -c \. -W --keep-going$",
                         "sphinx-build -M html rst build -c . --keep-going -w build/warnings.log", text)
    if count != 1:
        raise StepFailed("the build.sh of antsibull-docs changed; update scripts/sinch_dev/docsite.py")
    return new


def build(ctx, log):
    log.run([ctx.python, os.path.join(ctx.project.root, "scripts", "design_rst.py"), "--check"], cwd=ctx.project.root, env=ctx.env())
    site = os.path.join(ctx.project.build, "docs")
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site, mode=0o700)  # antsibull-docs wants its directories writable by their owner only
    log.run(["antsibull-docs", "sphinx-init", "--use-current", "--squash-hierarchy", "--fail-on-error", "--no-add-antsibull-docs-version",
             "--dest-dir", site, "--title", "Sinch Numbers Collection", "sinch.numbers"], cwd=ctx.project.build, env=ctx.env())
    for name, change in (("conf.py", offline_conf), ("build.sh", keep_warnings)):
        path = os.path.join(site, name)
        with open(path, encoding="utf-8") as handle:
            text = change(handle.read())
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    os.makedirs(os.path.join(site, "build"), exist_ok=True)
    log.run(["bash", os.path.join(site, "build.sh")], cwd=site, env=ctx.env())
    with open(os.path.join(site, "build", "warnings.log"), encoding="utf-8") as handle:
        unexpected = [line for line in handle if re.search(r"WARNING|ERROR", line) and not TOLERATED.search(line)]
    if unexpected:
        log.write("".join(unexpected))
        raise StepFailed("the docs site built with %d warning(s) (above)" % len(unexpected))
    html = os.path.join(site, "build", "html")
    missing = [page for page in PAGES if not (os.path.isfile(os.path.join(html, page)) and os.path.getsize(os.path.join(html, page)))]
    if missing:
        raise StepFailed("the docs site lacks %s" % ", ".join(missing))
