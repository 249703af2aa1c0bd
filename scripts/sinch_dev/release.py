"""The release steps of the test command: the artifact, the execution environment, the docs, the AWX pieces,
the EDA rulebook, the README as a test. (compat is in compat.py.)

    artifact  ansible-galaxy collection build into .build/dist (once; eda, examples and compat install it);
              its file list; galaxy.yml's addresses match docs/docsite/links.yml and its documentation
              address is the built site; CHANGELOG.rst is what antsibull-changelog generates; galaxy-importer
              on the artifact (its ansible-test part off, as without containers), failing on any warning
    ee        ansible-builder create on meta/execution-environment.yml, and ansible-builder introspect
    docs      docs/docsite/rst/design.rst up to date with docs/design.md; antsibull-docs lint-collection-docs
    awx       scripts/awx_job.py (the main job as AWX runs it), then extensions/awx loaded by the real awx.awx
              against tests/awx's controller stand-in, and ansible-lint on extensions/awx
    eda       the keep_numbers rulebook run by the real ansible-rulebook (scripts/eda_check.py)
    examples  the README is a test (scripts/readme_examples.py), from the built artifact
"""

import fnmatch
import glob
import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import zipfile

import yaml

from . import pythons
from .project import DEFAULT_EMAIL, DEFAULT_ORGANISATION_ID, DEFAULT_PASSWORD, Emulator, StepFailed, stop_emulators

MUST_HAVE = [
    "MANIFEST.json", "FILES.json", "README.md", "COPYING", "CHANGELOG.rst", "changelogs/changelog.yaml",
    "changelogs/config.yaml", "meta/runtime.yml", "meta/execution-environment.yml", "requirements.txt",
    "plugins/modules/sinch_session.py", "plugins/module_utils/_client.py", "plugins/doc_fragments/connection.py",
    "roles/number_rental/meta/argument_specs.yml", "roles/number_rental/tasks/main.yml",
    "playbooks/main.yml", "extensions/awx/credential_type.yml", "extensions/awx/job_template.yml",
    "extensions/awx/workflow_job_template.yml", "extensions/awx/load.yml",
    "extensions/eda/plugins/event_source/number_events.py", "extensions/eda/rulebooks/keep_numbers.yml",
    "meta/extensions.yml", "docs/docsite/extra-docs.yml", "docs/docsite/links.yml", "tests/config.yml",
]
MUST_NOT = [
    "scripts", "scripts/*", ".venv*", ".build", ".build/*", ".git", ".git/*", ".ci", ".ci/*", "*.tar.gz",
    "requirements-dev.txt", "collections", "collections/*", "tests/output", "tests/output/*",
    "tests/integration/integration_config.yml", "*/__pycache__", "*/__pycache__/*", "*.pyc", ".pytest_cache*",
    "*/.pytest_cache*", ".ansible", ".ansible/*", "docs/docsite/build*", "docs/docsite/.build*", ".gitignore",
]
DEV_HEADING = "\n## Developing sinch.numbers (a clone of the repository)\n"
IMPORTER_CONFIG = """[galaxy-importer]
LOG_LEVEL_MAIN = INFO
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_LINT = False
RUN_FLAKE8 = False
CHECK_REQUIRED_TAGS = False
"""


# --- artifact -----------------------------------------------------------------------------------------

def build(ctx, log):
    """ansible-galaxy collection build into .build/dist (the one artifact every later step installs)."""
    shutil.rmtree(ctx.project.dist, ignore_errors=True)
    os.makedirs(ctx.project.dist)
    log.run(["ansible-galaxy", "collection", "build", "--force", "--output-path", ctx.project.dist], cwd=ctx.project.coll, env=ctx.env())
    if not os.path.isfile(ctx.project.artifact()):
        raise StepFailed("ansible-galaxy built no %s" % os.path.basename(ctx.project.artifact()))
    return os.path.basename(ctx.project.artifact())


def artifact_problems(names, readme):
    """What is wrong with an artifact holding NAMES whose README.md reads README (empty list: nothing)."""
    names = {name[2:] if name.startswith("./") else name for name in names}
    problems = []
    missing = [name for name in MUST_HAVE if name not in names]
    if missing:
        problems.append("the artifact misses: %s" % ", ".join(missing))
    unwanted = sorted(name for name in names if any(fnmatch.fnmatch(name, pattern) for pattern in MUST_NOT))
    if unwanted:
        problems.append("the artifact holds what must stay out: %s" % ", ".join(unwanted[:20]))
    modules = [name for name in names if fnmatch.fnmatch(name, "plugins/modules/*.py")]
    if len(modules) < 7:
        problems.append("the artifact holds %d modules" % len(modules))
    # What installed users read comes first; the development notes, which need a clone, come last under their
    # own heading, and only they may mention scripts/ and .venv.
    if DEV_HEADING not in readme:
        problems.append("the artifact's README has no development heading %r" % DEV_HEADING.strip())
    else:
        users_part = readme.split(DEV_HEADING)[0]
        for word in ("scripts/", ".venv"):
            if word in users_part:
                problems.append("the artifact's README tells installed users about %s, which the artifact lacks" % word)
    return problems


def address_problems(galaxy, links):
    """One place for the project's addresses: galaxy.yml; links.yml must repeat its repository and issues."""
    problems = [key + " is not set in galaxy.yml" for key in ("repository", "documentation", "homepage", "issues") if not galaxy.get(key)]
    repository = (links.get("edit_on_github") or {}).get("repository")
    if repository and "https://github.com/" + repository != galaxy.get("repository"):
        problems.append("links.yml edit_on_github.repository %s is not galaxy.yml's repository" % repository)
    documentation = galaxy.get("documentation") or ""
    if documentation.startswith(str(galaxy.get("repository")) + "/") or documentation.endswith((".rst", "/rst", "/rst/")):
        problems.append("galaxy.yml's documentation %s is not the built docs site" % documentation)
    issues = [link["url"] for link in links.get("extra_links", []) if "issues" in link.get("url", "")]
    if issues and issues != [galaxy.get("issues")]:
        problems.append("links.yml's issue link %s is not galaxy.yml's issues" % issues)
    return problems


def artifact(ctx, log):
    """The built artifact's file list, the addresses, the generated changelog, galaxy-importer."""
    path = ctx.project.artifact()
    with tarfile.open(path) as tar:
        names = tar.getnames()
        readme = tar.extractfile("README.md").read().decode("utf-8")
    problems = artifact_problems(names, readme)
    with open(os.path.join(ctx.project.coll, "galaxy.yml"), encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    with open(os.path.join(ctx.project.coll, "docs", "docsite", "links.yml"), encoding="utf-8") as handle:
        problems += address_problems(galaxy, yaml.safe_load(handle))
    if problems:
        raise StepFailed("; ".join(problems))
    log.say("artifact file list and project addresses ok: %d entries" % len(names))
    # CHANGELOG.rst must be what antsibull-changelog generates from changelogs/changelog.yaml.
    work = os.path.join(ctx.project.job_dir("changelog-generate"), "numbers")
    shutil.rmtree(os.path.dirname(work), ignore_errors=True)
    shutil.copytree(ctx.project.coll, work, symlinks=True)
    log.run(["antsibull-changelog", "generate"], cwd=work, env=ctx.env())
    with open(os.path.join(ctx.project.coll, "CHANGELOG.rst"), encoding="utf-8") as one, \
            open(os.path.join(work, "CHANGELOG.rst"), encoding="utf-8") as other:
        if one.read() != other.read():
            raise StepFailed("CHANGELOG.rst is not what antsibull-changelog generate writes; run it and commit")
    # galaxy-importer as Galaxy runs it, minus what needs containers or a network.
    config = os.path.join(ctx.project.build, "galaxy-importer.cfg")
    with open(config, "w", encoding="utf-8") as handle:
        handle.write(IMPORTER_CONFIG)
    lines = []
    log.run([ctx.python, "-m", "galaxy_importer.main", path], cwd=ctx.project.dist, env=ctx.env(GALAXY_IMPORTER_CONFIG=config), output=lines)
    if any(line.startswith(("WARNING:", "ERROR:", "CRITICAL:")) for line in lines):
        raise StepFailed("galaxy-importer reported warnings or errors")
    if not any("Collection loading complete" in line for line in lines):
        raise StepFailed("galaxy-importer did not finish loading the collection")
    return "galaxy-importer: no warning"


# --- ee, docs -----------------------------------------------------------------------------------------

def ee(ctx, log):
    """The execution environment's build context (ansible-builder create; the image needs a container runtime)."""
    context_dir = os.path.join(ctx.project.build, "ee-context")
    definition = os.path.join(ctx.project.build, "ee-definition")
    for path in (context_dir, definition):
        shutil.rmtree(path, ignore_errors=True)
    os.makedirs(definition)
    # The file's paths are relative to the collection's root (where ansible-builder looks when it introspects
    # an installed collection), so it is created from there.
    for name in ("meta/execution-environment.yml", "requirements.txt"):
        shutil.copy(os.path.join(ctx.project.coll, name), definition)
    log.run(["ansible-builder", "create", "--file", os.path.join(definition, "execution-environment.yml"), "--context", context_dir,
             "--output-filename", "Containerfile", "-v", "3"], cwd=ctx.project.build, env=ctx.env())
    if not os.path.isfile(os.path.join(context_dir, "Containerfile")):
        raise StepFailed("ansible-builder wrote no Containerfile")
    with open(os.path.join(context_dir, "_build", "requirements.txt"), encoding="utf-8") as handle:
        if "requests>=2.25" not in handle.read().splitlines():
            raise StepFailed("the execution environment build context lacks requests")
    lines = []
    log.run(["ansible-builder", "introspect", ctx.project.collections], cwd=ctx.project.build, env=ctx.env(), output=lines)
    if not any(line.startswith("- 'requests>=2.25") and "# from collection sinch.numbers'" in line for line in lines):
        raise StepFailed("ansible-builder introspect does not find the collection's Python needs")
    return "build context in .build/ee-context"


def docs(ctx, log):
    """The design notes page is up to date; antsibull-docs lints the collection's docs."""
    log.run([ctx.python, os.path.join(ctx.project.root, "scripts", "design_rst.py"), "--check"], cwd=ctx.project.root, env=ctx.env())
    log.run(["antsibull-docs", "lint-collection-docs", "--plugin-docs", "--validate-collection-refs", "self",
             "--disallow-unknown-collection-refs", "."], cwd=ctx.project.coll, env=ctx.env())
    return ctx.tools_note()


# --- awx ----------------------------------------------------------------------------------------------

def awx_collection(ctx, log):
    """awx.awx from the pinned ansible wheel (hash-checked), extracted once into .build/awx-collection."""
    target = os.path.join(ctx.project.build, "awx-collection")
    requirements = os.path.join(ctx.project.root, "scripts", "requirements-awx.txt")
    with open(requirements, "rb") as handle:
        want = hashlib.sha256(handle.read()).hexdigest()
    stamp = os.path.join(target, pythons.STAMP)
    if os.path.isfile(os.path.join(target, "ansible_collections", "awx", "awx", "MANIFEST.json")) and os.path.isfile(stamp):
        with open(stamp, encoding="utf-8") as handle:
            if handle.read().strip() == want:
                return target
    log.say("fetching awx.awx from the ansible wheel of scripts/requirements-awx.txt")
    download = os.path.join(ctx.project.build, "awx-download")
    for path in (target, download):
        shutil.rmtree(path, ignore_errors=True)
    log.run([ctx.python, "-m", "pip", "download", "--disable-pip-version-check", "-q", "--no-deps", "--only-binary=:all:",
             "--require-hashes", "-r", requirements, "-d", download], env=ctx.env())
    wheels = glob.glob(os.path.join(download, "ansible-*.whl"))
    if len(wheels) != 1:
        raise StepFailed("expected one ansible wheel from scripts/requirements-awx.txt, found %d" % len(wheels))
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = [name for name in wheel.namelist() if name.startswith("ansible_collections/awx/awx/")]
        if not names:
            raise StepFailed("the ansible wheel holds no ansible_collections/awx/awx")
        wheel.extractall(target, names)
    shutil.rmtree(download)
    with open(stamp, "w", encoding="utf-8") as handle:
        handle.write(want + "\n")
    return target


def awx(ctx, log):
    """The main job as AWX runs it, then extensions/awx loaded by awx.awx, then ansible-lint on extensions/awx."""
    with Emulator(ctx.project, log, "awx") as emulator:
        log.run([ctx.python, os.path.join(ctx.project.root, "scripts", "awx_job.py"), "--project", ctx.project.coll,
                 "--work", os.path.join(ctx.project.build, "awx"), "--email", DEFAULT_EMAIL, "--password", DEFAULT_PASSWORD,
                 "--organisation-id", DEFAULT_ORGANISATION_ID], cwd=ctx.project.coll, env=emulator.env(ctx.env()))
    collection = awx_collection(ctx, log)
    log.run([ctx.python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/awx"], cwd=ctx.project.coll,
            env=ctx.env(SN_AWX_COLLECTIONS=collection))
    coll = ctx.job_copy("awx-lint")
    # The lint step cannot resolve awx.awx; here it can.
    env = ctx.env(coll)
    env["ANSIBLE_COLLECTIONS_PATH"] = collection + os.pathsep + env["ANSIBLE_COLLECTIONS_PATH"]
    log.run(["ansible-lint", "--offline", "--profile", "production", "extensions/awx"], cwd=coll, env=env)
    return ctx.tools_note()


# --- eda ----------------------------------------------------------------------------------------------

def java_home(environ=None):
    """JAVA_HOME of a Java 17 or later runtime: the one given, else the java on PATH."""
    environ = os.environ if environ is None else environ
    home = environ.get("JAVA_HOME")
    if not (home and os.access(os.path.join(home, "bin", "java"), os.X_OK)):
        java = shutil.which("java")
        if not java:
            raise StepFailed("ansible-rulebook needs a Java 17 runtime: no java on PATH and no JAVA_HOME")
        home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    done = subprocess.run([os.path.join(home, "bin", "java"), "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    version = java_major(done.stdout)
    if version is None or version < 17:
        raise StepFailed("ansible-rulebook needs Java 17 or later; %s/bin/java is %s" % (home, version or "of an unknown version"))
    return home


def java_major(text):
    """The major version in ``java -version``'s output (1.8 counts as 8), or None."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def eda(ctx, log):
    """ansible-rulebook (its own venv, .build/eda-venv) with the artifact installed, against the emulator."""
    home_java = java_home()
    venv = os.path.join(ctx.project.build, "eda-venv")
    path = os.path.join(ctx.project.root, "scripts", "requirements-eda.txt")
    with open(path, encoding="utf-8") as handle:
        requirements = handle.read()
    try:
        pythons.ensure_venv(venv, base_python(ctx), requirements, log.say, label=".build/eda-venv", requirements_path=path,
                            run=lambda argv: log.run(argv, check=False))
    except pythons.SetupError as error:
        raise StepFailed(str(error)) from None
    home = os.path.join(ctx.project.build, "eda")
    shutil.rmtree(home, ignore_errors=True)
    for sub in ("collections", "locks"):
        os.makedirs(os.path.join(home, sub), mode=0o700)
    env = ctx.env(PATH=os.path.join(venv, "bin") + os.pathsep + os.environ.get("PATH", os.defpath), VIRTUAL_ENV=venv, JAVA_HOME=home_java,
                  SINCH_LOCK_PATH=os.path.join(home, "locks"), ANSIBLE_HOME=os.path.join(home, "ansible-home"))
    lines = []
    log.run([os.path.join(venv, "bin", "ansible-rulebook"), "--version"], env=env, output=lines)
    log.run([os.path.join(venv, "bin", "ansible-galaxy"), "collection", "install", "--offline", "--force", "-p",
             os.path.join(home, "collections"), ctx.project.artifact()], env=env)
    with Emulator(ctx.project, log, "eda") as emulator:
        log.run([ctx.python, os.path.join(ctx.project.root, "scripts", "eda_check.py"), "--collections", os.path.join(home, "collections"),
                 "--work", os.path.join(home, "work"), "--fixture", os.path.join(ctx.project.coll, "tests", "emulator", "fixtures", "default.yml"),
                 "--timeout", "120"], env=emulator.env(env))
    return lines[0].strip() if lines else "ansible-rulebook"


def base_python(ctx):
    """The interpreter .venv was built on (what the extra venvs are made from)."""
    settings = {}
    with open(os.path.join(ctx.project.venv, "pyvenv.cfg"), encoding="utf-8") as handle:
        for line in handle:
            key, _sep, value = line.partition("=")
            settings[key.strip()] = value.strip()
    if settings.get("executable"):
        return settings["executable"]
    if settings.get("home"):
        return os.path.join(settings["home"], "python" + ctx.py_version)
    raise StepFailed(".venv/pyvenv.cfg does not name its base interpreter")


# --- examples -----------------------------------------------------------------------------------------

def examples(ctx, log):
    """The README is a test: a fresh reader installs the built artifact and runs what README.md and the guides mark."""
    documents = ["README.md"] + ["docs/docsite/rst/" + os.path.basename(path)
                                 for path in sorted(glob.glob(os.path.join(ctx.project.coll, "docs", "docsite", "rst", "*.rst")))
                                 if os.path.basename(path) != "awx.rst"]  # AWX's own YAML (job templates, an EE)
    log.run([ctx.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit/scripts/test_readme_examples.py"],
            cwd=ctx.project.coll, env=ctx.env())
    work = os.path.join(ctx.project.build, "examples")
    stop_emulators(work, ctx.python, ctx.project.coll)  # a sandbox an interrupted run left behind
    try:
        log.run([ctx.python, "scripts/readme_examples.py", "--artifact", ctx.project.artifact(), "--work", work,
                 "--base-python", base_python(ctx), "--ansible-core", "ansible-core==" + ctx.core_version, "--sandbox-port", "0"]
                + documents, cwd=ctx.project.coll, env=ctx.env())
    finally:
        stop_emulators(work, ctx.python, ctx.project.coll)
    return "%d documents followed, ansible-core %s" % (len(documents), ctx.core_version)
