"""Render the documentation of several plugins with ansible-doc, in one process.

    python render_docs.py TYPE:NAME [TYPE:NAME ...]     (e.g. module:sinch.numbers.sinch_session)

Runs ansible-doc's own command-line class once per plugin in this one interpreter (instead of one
ansible-doc process each), with the plugin's output and warnings caught apart. A plugin fails when
ansible-doc exits non-zero, prints nothing, or prints a warning or an error. Prints one line per
plugin and exits 1 when any failed.
"""

import os
import re
import sys
import tempfile

PROBLEM = re.compile(r"\[(WARNING|ERROR)\]|^ERROR", re.MULTILINE)


def render(kind, name):
    """(exit status, output, errors) of ``ansible-doc -t KIND NAME`` run in this process."""
    # pylint: disable=import-outside-toplevel
    from ansible.cli.doc import DocCLI
    from ansible.utils.context_objects import GlobalCLIArgs
    # ansible-doc keeps its parsed options in a process-wide singleton: forget the previous plugin's.
    GlobalCLIArgs._Singleton__instance = None  # pylint: disable=protected-access
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            try:
                rc = DocCLI(["ansible-doc", "-t", kind, name]).run()
            except SystemExit as exit_:
                rc = exit_.code if isinstance(exit_.code, int) else 1
            except Exception as error:  # pylint: disable=broad-except
                sys.stderr.write("ERROR: %s: %s\n" % (type(error).__name__, error))
                rc = 1
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out.seek(0)
        err.seek(0)
        return rc or 0, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")


def main(argv):
    failed = 0
    for spec in argv:
        kind, _sep, name = spec.partition(":")
        rc, out, err = render(kind, name)
        # The rendering must be of the plugin asked for (its first line: "> MODULE sinch.numbers.NAME (path)").
        header = re.compile(r"^> %s %s\b" % (re.escape(kind.upper()), re.escape(name)), re.MULTILINE)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
        if rc != 0 or not header.search(plain) or PROBLEM.search(err) or PROBLEM.search(plain):
            failed += 1
            print("FAIL  %s %s (exit status %s):\n%s%s" % (kind, name, rc, err, plain[-2000:] if rc == 0 else ""))
        else:
            print("  ok  %s %s (%d lines)" % (kind, name, len(plain.splitlines())))
    print("%d of %d plugin docs rendered" % (len(argv) - failed, len(argv)))
    return 1 if failed or not argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
