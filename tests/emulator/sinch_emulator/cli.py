"""Command line: run the emulator in the foreground until SIGINT or SIGTERM."""

import argparse
import os
import signal
import sys
import threading

from .errors import FixtureError

# What the emulator needs beyond the standard library, and the command that installs it.
NEEDS = "Flask and PyYAML"
# The missing module as a reader installs it (Werkzeug comes with Flask).
PACKAGES = {"flask": "Flask", "werkzeug": "Werkzeug (which Flask installs)", "yaml": "PyYAML"}
REQUIREMENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "requirements.txt")


def install_hint():
    """The commands that install what is missing, for the Python that runs the emulator (its requirements.txt by path)."""
    return ("ansible-playbook sinch.numbers.sandbox -e sandbox=deps (or: %s -m pip install -r %s)"
            % (sys.executable, REQUIREMENTS))


def parse_args(argv):
    """The options of run.py / python -m sinch_emulator."""
    parser = argparse.ArgumentParser(prog="run.py", description="Emulate the Sinch number administration hosts on three consecutive ports.")
    parser.add_argument("--port", type=int, default=0,
                        help="userapi port P; api is P+1, portalapi P+2 (default 0: pick a free run of three ports)")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--fixture", help="YAML fixture to load (default: fixtures/default.yml next to the package)")
    parser.add_argument("--verbose", action="store_true", help="log every request (Werkzeug access lines on stderr)")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain) instead of plain HTTP; needs --tls-key")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv=None):
    """Start the three hosts, print the ready line, serve until SIGINT/SIGTERM, return the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        # Imported here, so that a missing library is one sentence, not a traceback.
        from .server import EmulatorServer, PortsUnavailable, configure_logging  # pylint: disable=import-outside-toplevel
        from .state import Emulator  # pylint: disable=import-outside-toplevel
    except ImportError as exc:
        missing = PACKAGES.get((exc.name or "").partition(".")[0], exc.name or exc)
        sys.stderr.write("sinch-emulator: it needs %s, and %s is missing for %s; install them with: %s.\n"
                         % (NEEDS, missing, sys.executable, install_hint()))
        return 2
    configure_logging(args.verbose)
    try:
        emulator = Emulator(fixture_path=args.fixture)
        tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
        server = EmulatorServer(emulator, bind=args.bind, port=args.port, tls=tls).start()
    except FixtureError as exc:
        sys.stderr.write("sinch-emulator: the fixture cannot be used: %s\n" % " ".join(str(exc).split()))
        return 2
    except PortsUnavailable as exc:
        sys.stderr.write("sinch-emulator: %s (another emulator or program uses them: stop it, or choose other ports).\n" % exc)
        return 2
    except OSError as exc:
        if tls:
            sys.stderr.write("sinch-emulator: cannot serve HTTPS on %s with %s and %s: %s.\n"
                             % (args.bind, args.tls_cert, args.tls_key, exc.strerror or exc))
            return 2
        sys.stderr.write("sinch-emulator: cannot listen on %s: %s.\n" % (args.bind, exc.strerror or exc))
        return 2
    stop = threading.Event()

    def request_stop(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    urls = server.urls()
    sys.stdout.write("sinch-emulator ready: userapi=%s api=%s portalapi=%s\n" % (urls["userapi"], urls["api"], urls["portalapi"]))
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
