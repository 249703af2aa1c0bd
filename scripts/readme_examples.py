"""The README is a test: follow README.md and the guides as a newcomer does, from the built artifact.

    python scripts/readme_examples.py --artifact sinch-numbers-X.tar.gz --work DIR DOC [DOC...]
    python scripts/readme_examples.py --list DOC [DOC...]

What a document marks is run, in its order, and nothing else:

- a ``bash`` block after ``<!-- newcomer: run -->`` (reStructuredText: ``.. newcomer: run``) is run as
  written, in one shell session per document (its variables carry over, ``. env.sh`` included);
- a ``bash`` block after ``<!-- newcomer: run at the end -->`` (``.. newcomer: run at the end``) is run
  after everything else of the document (stopping the sandbox);
- a ``yaml`` block after ``<!-- example: NAME.yml -->`` (``.. example: NAME.yml``) is a playbook: it is
  saved as NAME.yml in the reader's directory and run with ``ansible-playbook NAME.yml``;
- every other ``yaml`` block must say in its first line that it is a fragment (``# fragment: ...``),
  so that no example meant to run escapes the test.

Each document is followed by a fresh reader: a new home directory and working directory (with the
artifact in it), a clean environment (no ANSIBLE_* or SINCH_* variables), and one virtual environment
that has only ansible-core (made once for every document). The run fails naming the block that failed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

RUN = "run"
RUN_AT_END = "run at the end"
MARKER_MD = re.compile(r"^<!--\s*(newcomer|example):\s*(.*?)\s*-->\s*$")
MARKER_RST = re.compile(r"^\.\.\s+(newcomer|example):\s*(.*?)\s*$")
FENCE_MD = re.compile(r"^```\s*([A-Za-z0-9_-]*)\s*$")
CODE_RST = re.compile(r"^\.\.\s+code-block::\s*([A-Za-z0-9_-]+)\s*$")
EXAMPLE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.ya?ml$")
FRAGMENT = re.compile(r"^\s*#\s*fragment:")
# What a reader's environment keeps from the one that runs the test: how to reach a package index.
KEEP = re.compile(r"^(PIP_[A-Z_]+|[a-z]+_proxy|[A-Z]+_PROXY|SSL_CERT_(FILE|DIR)|REQUESTS_CA_BUNDLE|LANG|LC_[A-Z]+|TZ)$")


class DocError(Exception):
    """A document whose blocks cannot be followed (an unmarked YAML block, a marker without its block, ...)."""


class Block:
    """One code block of a document, with the marker before it."""

    def __init__(self, doc, line, language, text, kind=None, value=None):
        self.doc, self.line, self.language, self.text, self.kind, self.value = doc, line, language, text, kind, value
        self.log_span = (0, 0)  # where its output is in the document's log, once it failed

    @property
    def where(self):
        """DOC line N."""
        return "%s line %d" % (self.doc, self.line)

    def __repr__(self):
        return "Block(%s, %s, %s=%s)" % (self.where, self.language, self.kind, self.value)


def _md_blocks(doc, lines):
    """(line, language, text, marker) for every fenced block of Markdown; marker = (kind, value) of the line before."""
    index = 0
    while index < len(lines):
        match = FENCE_MD.match(lines[index])
        if not match:
            index += 1
            continue
        start = index
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        if end == len(lines):
            raise DocError("%s line %d: a code block that never ends" % (doc, start + 1))
        yield start + 1, match.group(1).lower(), "\n".join(lines[start + 1:end]) + "\n", _marker_before(lines, start, MARKER_MD)
        index = end + 1


def _marker_before(lines, index, pattern):
    """(kind, value) of the marker (PATTERN) on the last non-blank line before line INDEX, or None."""
    previous = index - 1
    while previous >= 0 and not lines[previous].strip():
        previous -= 1
    found = pattern.match(lines[previous].strip()) if previous >= 0 else None
    return (found.group(1), found.group(2)) if found else None


def _rst_blocks(doc, lines):
    """(line, language, text, marker) for every code-block of reStructuredText (indented body, dedented)."""
    for index, line in enumerate(lines):
        match = CODE_RST.match(line.strip())
        if not match:
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        cursor = index + 1
        while cursor < len(lines) and (not lines[cursor].strip() or len(lines[cursor]) - len(lines[cursor].lstrip()) > indent):
            body.append(lines[cursor])
            cursor += 1
        while body and not body[-1].strip():
            body.pop()
        content = [item for item in body if item.strip()]
        if not content:
            raise DocError("%s line %d: an empty code block" % (doc, index + 1))
        depth = min(len(item) - len(item.lstrip()) for item in content)
        text = "\n".join(item[depth:] for item in body).strip("\n") + "\n"
        yield index + 1, match.group(1).lower(), text, _marker_before(lines, index, MARKER_RST)


def extract(path, text=None, name=None):
    """The blocks of a document to follow, in its order: kind "run", "end" (run at the end) or "example".

    Raises DocError when a YAML block is neither a marked example nor a fragment, when a marker is not
    followed by a block of the right language, or when two examples have one name.
    """
    name = name or path
    if text is None:
        with open(path, "r", encoding="utf-8") as handle:
            text = handle.read()
    lines = text.splitlines()
    rst = path.endswith(".rst")
    found = list(_rst_blocks(name, lines) if rst else _md_blocks(name, lines))
    markers = sum(1 for line in lines if (MARKER_RST if rst else MARKER_MD).match(line.strip()))
    if markers != sum(1 for item in found if item[3]):
        raise DocError("%s: %d marker(s) but %d marked code block(s): a marker must come right before its block"
                       % (name, markers, sum(1 for item in found if item[3])))
    blocks, names = [], set()
    for line, language, body, marker in found:
        kind, value = marker or (None, None)
        where = "%s line %d" % (name, line)
        if kind == "newcomer":
            if language not in ("bash", "sh", "console"):
                raise DocError("%s: '%s: %s' marks a %s block; it marks bash blocks" % (where, kind, value, language or "plain"))
            if value not in (RUN, RUN_AT_END):
                raise DocError("%s: unknown marker 'newcomer: %s' (say '%s' or '%s')" % (where, value, RUN, RUN_AT_END))
            blocks.append(Block(name, line, language, body, "run" if value == RUN else "end"))
        elif kind == "example":
            if language not in ("yaml", "yml"):
                raise DocError("%s: 'example: %s' marks a %s block; it marks YAML playbooks" % (where, value, language or "plain"))
            if not EXAMPLE_NAME.match(value):
                raise DocError("%s: the example's name %r is not a file name ending in .yml" % (where, value))
            if value in names:
                raise DocError("%s: a second example named %s" % (where, value))
            if FRAGMENT.match(body.splitlines()[0] if body.strip() else ""):
                raise DocError("%s: example %s is marked to run but says it is a fragment" % (where, value))
            names.add(value)
            blocks.append(Block(name, line, language, body, "example", value))
        elif language in ("yaml", "yml"):
            first = next((item for item in body.splitlines() if item.strip()), "")
            if not FRAGMENT.match(first):
                raise DocError("%s: a YAML block that is neither marked to run (%s) nor a fragment (a first line "
                               "'# fragment: ...')" % (where, ".. example: NAME.yml" if rst else "<!-- example: NAME.yml -->"))
    return [block for block in blocks if block.kind != "end"] + [block for block in blocks if block.kind == "end"]


# The sandbox port the readers are given (--sandbox-port); None: the sandbox's own default.
SANDBOX_PORT = {"port": None}


def _reader_env(home, venv, sandbox_port=None):
    """A newcomer's environment: the venv first on PATH, a fresh HOME, nothing of Ansible or Sinch (but, when
    SANDBOX_PORT is given, SINCH_SANDBOX_PORT: the sandbox's first port, 0 for free ports)."""
    env = {key: value for key, value in os.environ.items() if KEEP.match(key)}
    if sandbox_port is not None:
        env["SINCH_SANDBOX_PORT"] = str(sandbox_port)
    user_pip = os.path.expanduser("~/.config/pip/pip.conf")
    if "PIP_CONFIG_FILE" not in env and os.path.isfile(user_pip):
        env["PIP_CONFIG_FILE"] = user_pip  # where this machine's package index is set, if it is set per user
    env.setdefault("PIP_CACHE_DIR", os.path.expanduser("~/.cache/pip"))
    env.update(HOME=home, PATH=os.path.join(venv, "bin") + os.pathsep + "/usr/local/bin:/usr/bin:/bin", VIRTUAL_ENV=venv,
               ANSIBLE_NOCOLOR="1", PY_COLORS="0")
    return env


def make_venv(base_python, venv, ansible_core):
    """A virtual environment with only ansible-core (and its own needs)."""
    if os.path.exists(venv):
        shutil.rmtree(venv)
    subprocess.run([base_python, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", ansible_core],
                   check=True)


def _run_shell(block, env, cwd, log):
    """Run a bash block as written, in a shell with env; return (exit status, env after it)."""
    env_file = os.path.join(cwd, ".reader-env")
    script = "set -e\n%s\nenv -0 > %s\n" % (block.text, _quote(env_file))
    log.write("\n$ %s" % block.text.replace("\n", "\n$ ").rstrip("$ "))
    log.flush()
    done = subprocess.run(["bash", "-c", script], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        return done.returncode, env
    with open(env_file, "rb") as handle:
        pairs = [item.split(b"=", 1) for item in handle.read().split(b"\0") if b"=" in item]
    os.remove(env_file)
    after = {key.decode(): value.decode() for key, value in pairs}
    for key in ("PWD", "OLDPWD", "SHLVL", "_"):
        after.pop(key, None)
    return 0, after


def _quote(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"


def follow(doc, blocks, artifact, work, venv, log):
    """Follow one document as a fresh reader; return the failed block (None when every block passed)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", doc).strip("-")
    root = os.path.join(work, slug)
    if os.path.exists(root):
        shutil.rmtree(root)
    home, cwd = os.path.join(root, "home"), os.path.join(root, "reader")
    os.makedirs(home)
    os.makedirs(cwd)
    shutil.copy(artifact, cwd)
    env = _reader_env(home, venv, SANDBOX_PORT["port"])
    failed = None
    end_blocks = [block for block in blocks if block.kind == "end"]
    for block in blocks:
        if block.kind == "end":
            continue
        log.flush()
        start = log.tell()
        if block.kind == "run":
            print("  run      %s" % block.where, flush=True)
            rc, env = _run_shell(block, env, cwd, log)
        else:
            print("  example  %s (%s)" % (block.value, block.where), flush=True)
            with open(os.path.join(cwd, block.value), "w", encoding="utf-8") as handle:
                handle.write(block.text)
            log.write("\n$ ansible-playbook %s\n" % block.value)
            log.flush()
            rc = subprocess.run(["ansible-playbook", block.value], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                check=False).returncode
        if rc != 0:
            log.flush()
            block.log_span = (start, log.tell())
            failed = block
            break
    for block in end_blocks:  # always, so that the sandbox is stopped also after a failure
        print("  at end   %s" % block.where, flush=True)
        log.flush()
        start = log.tell()
        rc, env = _run_shell(block, env, cwd, log)
        if rc != 0 and failed is None:
            log.flush()
            block.log_span = (start, log.tell())
            failed = block
    return failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="+", help="README.md, docs/docsite/rst/<guide>.rst, ...")
    parser.add_argument("--list", action="store_true", help="only list what each document marks")
    parser.add_argument("--artifact", help="the built collection tarball")
    parser.add_argument("--work", help="a directory for the readers' homes, directories and logs (emptied)")
    parser.add_argument("--base-python", default=sys.executable, help="the Python the reader's virtual environment is made from")
    parser.add_argument("--ansible-core", default="ansible-core", help="the pip requirement of the reader's ansible-core")
    parser.add_argument("--sandbox-port", type=int, help="SINCH_SANDBOX_PORT for the readers (0: free ports, so runs side by side never clash)")
    args = parser.parse_args(argv)
    SANDBOX_PORT["port"] = args.sandbox_port
    try:
        extracted = [(doc, extract(doc)) for doc in args.docs]
    except (DocError, OSError) as exc:
        print("ERROR: %s" % exc, file=sys.stderr)
        return 1
    if not any(block.kind == "example" for _doc, blocks in extracted for block in blocks):
        print("ERROR: %s mark no example to run" % ", ".join(args.docs), file=sys.stderr)
        return 1
    # A guide without code (or only with fragments) has nothing to follow.
    extracted = [(doc, blocks) for doc, blocks in extracted if blocks]
    if args.list:
        for doc, blocks in extracted:
            for block in blocks:
                print("%-8s %-22s %s" % (block.kind, block.value or "", block.where))
        return 0
    if not args.artifact or not args.work:
        parser.error("--artifact and --work are needed to follow the documents")
    artifact, work = os.path.abspath(args.artifact), os.path.abspath(args.work)
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    venv = os.path.join(work, "venv")
    print("==> a reader's virtual environment with %s only" % args.ansible_core, flush=True)
    make_venv(args.base_python, venv, args.ansible_core)
    failures = []
    for doc, blocks in extracted:
        log_path = os.path.join(work, re.sub(r"[^A-Za-z0-9]+", "-", doc).strip("-") + ".log")
        print("==> following %s as a new reader (%d blocks; log: %s)" % (doc, len(blocks), log_path), flush=True)
        with open(log_path, "w", encoding="utf-8") as log:
            failed = follow(doc, blocks, artifact, work, venv, log)
        if failed is not None:
            with open(log_path, "rb") as handle:  # what the failed block printed, its last lines
                handle.seek(failed.log_span[0])
                output = handle.read(failed.log_span[1] - failed.log_span[0]).decode("utf-8", "replace")
            sys.stdout.write("".join(output.splitlines(True)[-40:]))
            name = "example %s" % failed.value if failed.kind == "example" else "the commands"
            print("ERROR: %s: %s at %s failed, run as written (log: %s)" % (doc, name, failed.where, log_path), file=sys.stderr)
            failures.append(doc)
    if failures:
        return 1
    print("every marked command and example of %s ran as written" % ", ".join(doc for doc, _blocks in extracted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
