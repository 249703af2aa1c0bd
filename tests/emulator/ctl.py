"""Start or stop the Sinch emulator in the background (stdlib only).

    python tests/emulator/ctl.py start --pidfile F [--port P|--port 0] [--fixture FILE] [--log FILE]
                                       [--tls-cert CERT --tls-key KEY]
    python tests/emulator/ctl.py stop --pidfile F
    python tests/emulator/ctl.py status --pidfile F

``start`` runs run.py detached, waits until /_admin/health answers on the three
ports, then prints shell-friendly lines (SINCH_USER_API_URL=..., SINCH_API_URL=...,
SINCH_PORTAL_API_URL=..., SINCH_EMULATOR_PORT=...). With --tls-cert and --tls-key
the hosts serve HTTPS with that certificate (the URLs say https://); plain HTTP
otherwise. ``stop`` sends SIGTERM, waits, then SIGKILL, and removes the pidfile.
``status`` prints the same lines and exits 0 when the emulator of the pidfile runs
and answers, and exits 3 otherwise. When the emulator cannot start, its own
one-sentence error is repeated.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_PY = os.path.join(HERE, "run.py")
BIND = "127.0.0.1"
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
START_ATTEMPTS = 5


def port_number(text):
    """--port: 0 (pick free ports) or P such that P, P+1 and P+2 are ports; one sentence otherwise."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("the port must be a whole number, not %r" % text)
    if port != 0 and not 1 <= port <= 65533:
        raise argparse.ArgumentTypeError("the port must be 0 (free ports) or from 1 to 65533 (it takes P to P+2), not %d" % port)
    return port


def parse_args(argv):
    """start / stop and their options."""
    parser = argparse.ArgumentParser(prog="ctl.py", description="Start or stop the Sinch emulator in the background.")
    commands = parser.add_subparsers(dest="command")
    commands.required = True
    start = commands.add_parser("start", help="start the emulator and print its URLs")
    start.add_argument("--pidfile", required=True, help="file to write the emulator's process id to")
    start.add_argument("--port", type=port_number, default=0, help="userapi port P (api P+1, portalapi P+2); 0 or absent: pick free ports")
    start.add_argument("--fixture", help="YAML fixture to load (default: fixtures/default.yml)")
    start.add_argument("--log", help="file for the emulator's output (default: the pidfile name + .log)")
    start.add_argument("--verbose", action="store_true", help="let the emulator log every request")
    start.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain); needs --tls-key")
    start.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    stop = commands.add_parser("stop", help="stop the emulator started with this pidfile")
    stop.add_argument("--pidfile", required=True)
    status = commands.add_parser("status", help="print the URLs of the emulator of this pidfile; exit 3 when it does not run")
    status.add_argument("--pidfile", required=True)
    args = parser.parse_args(argv)
    if args.command == "start" and bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def port_run_is_free(port):
    """True when port, port+1 and port+2 can all be bound on 127.0.0.1 right now."""
    sockets = []
    try:
        for offset in range(3):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((BIND, port + offset))
        return True
    except OSError:
        return False
    finally:
        for sock in sockets:
            sock.close()


def pick_port_run():
    """A port P such that P, P+1 and P+2 are free (the kernel's choice for P, then a check of the run)."""
    for _attempt in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((BIND, 0))
            port = probe.getsockname()[1]
        if port + 2 <= 65535 and port_run_is_free(port):
            return port
    raise RuntimeError("no run of three free consecutive ports found")


def health_ok(port, tls=False):
    """True when /_admin/health on 127.0.0.1:port answers {"status": "ok"} (over TLS when ``tls``).

    Only whether it answers: the certificate is the caller's to check (its CA is not known here).
    """
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection(BIND, port, timeout=2, context=context)
    else:
        connection = http.client.HTTPConnection(BIND, port, timeout=2)
    try:
        connection.request("GET", "/_admin/health")
        response = connection.getresponse()
        body = response.read()
        return response.status == 200 and json.loads(body.decode("utf-8")).get("status") == "ok"
    except (OSError, ValueError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def process_alive(pid):
    """True when the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid, "r") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def is_emulator(pid):
    """True unless /proc shows that the process is something else than run.py (a reused pid)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return b"run.py" in handle.read()
    except OSError:
        return True


def read_pid(pidfile):
    """The pid recorded in the pidfile, or None."""
    return read_pidfile(pidfile)[0]


def read_pidfile(pidfile):
    """(pid, port) recorded in the pidfile; None for what cannot be read."""
    try:
        with open(pidfile, "r") as handle:
            lines = handle.read().split()
    except OSError:
        return None, None
    values = []
    for index in range(2):
        try:
            values.append(int(lines[index]))
        except (IndexError, ValueError):
            values.append(None)
    return values[0], values[1]


def url_lines(port, scheme="http"):
    """The NAME=value lines start and status print."""
    return ("SINCH_USER_API_URL=%s://%s:%d\nSINCH_API_URL=%s://%s:%d\nSINCH_PORTAL_API_URL=%s://%s:%d\nSINCH_EMULATOR_PORT=%d\n"
            % (scheme, BIND, port, scheme, BIND, port + 1, scheme, BIND, port + 2, port))


def launch(args, port, log_path):
    """Start run.py detached on ``port``; return the Popen."""
    command = [sys.executable, RUN_PY, "--port", str(port), "--bind", BIND]
    if args.fixture:
        command += ["--fixture", os.path.abspath(args.fixture)]
    if args.verbose:
        command.append("--verbose")
    if args.tls_cert:
        command += ["--tls-cert", os.path.abspath(args.tls_cert), "--tls-key", os.path.abspath(args.tls_key)]
    with open(log_path, "ab") as log, open(os.devnull, "rb") as devnull:
        return subprocess.Popen(command, stdin=devnull, stdout=log, stderr=subprocess.STDOUT, close_fds=True, start_new_session=True)


def wait_healthy(process, port, tls=False):
    """Wait until the three hosts answer; False when the process exits or the time runs out."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if all(health_ok(port + offset, tls) for offset in range(3)):
            return True
        time.sleep(0.1)
    return False


def stop_process(pid):
    """SIGTERM, wait up to STOP_TIMEOUT seconds, then SIGKILL."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 2
    while process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


def tail(path, lines=20):
    """The last lines of a file, for error messages."""
    try:
        with open(path, "r", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def start(args):
    """The start command."""
    old = read_pid(args.pidfile)
    if old is not None and process_alive(old) and is_emulator(old):
        sys.stderr.write("ctl.py: an emulator is already running with pid %d (%s)\n" % (old, args.pidfile))
        return 1
    log_path = args.log or args.pidfile + ".log"
    if args.port and not port_run_is_free(args.port):
        # Checked first: the health check would otherwise see whatever answers there and take it for this emulator.
        sys.stderr.write("ctl.py: the emulator did not start: cannot listen on %s ports %d-%d: they are in use (another emulator "
                         "or program listens there: stop it, or choose other ports)\n" % (BIND, args.port, args.port + 2))
        return 1
    for _attempt in range(START_ATTEMPTS if not args.port else 1):
        port = args.port or pick_port_run()
        try:
            process = launch(args, port, log_path)
        except OSError as exc:
            sys.stderr.write("ctl.py: cannot start the emulator: %s\n" % exc)
            return 1
        if wait_healthy(process, port, bool(args.tls_cert)):
            try:
                with open(args.pidfile, "w") as handle:
                    handle.write("%d\n%d\n" % (process.pid, port))
            except OSError as exc:
                stop_process(process.pid)
                sys.stderr.write("ctl.py: cannot write the pidfile: %s\n" % exc)
                return 1
            sys.stdout.write(url_lines(port, "https" if args.tls_cert else "http"))
            return 0
        if process.poll() is None:
            stop_process(process.pid)
        if process.wait() == 2:
            break  # the emulator said why it cannot start (missing library, ports in use, bad fixture)
    sentence = own_error(log_path)
    if sentence:
        sys.stderr.write("ctl.py: the emulator did not start: %s (log: %s).\n" % (sentence.rstrip("."), log_path))
    else:
        sys.stderr.write("ctl.py: the emulator did not start; its output (%s):\n%s" % (log_path, tail(log_path)))
    return 1


def own_error(log_path):
    """The emulator's one-sentence error, the last line of its log that starts with "sinch-emulator: ", or None."""
    for line in reversed(tail(log_path).splitlines()):
        if line.startswith("sinch-emulator: "):
            return line[len("sinch-emulator: "):].strip()
    return None


def stop(args):
    """The stop command: exit 0 also when nothing is running."""
    pid = read_pid(args.pidfile)
    if pid is not None and process_alive(pid) and is_emulator(pid):
        stop_process(pid)
    if os.path.exists(args.pidfile):
        os.remove(args.pidfile)
    return 0


def status(args):
    """The status command: 0 and the URL lines when the emulator of the pidfile runs and answers, else 3."""
    pid, port = read_pidfile(args.pidfile)
    if pid is None or port is None or not process_alive(pid) or not is_emulator(pid):
        sys.stderr.write("ctl.py: no emulator runs with pidfile %s\n" % args.pidfile)
        return 3
    for tls in (False, True):
        if all(health_ok(port + offset, tls) for offset in range(3)):
            sys.stdout.write(url_lines(port, "https" if tls else "http"))
            return 0
    sys.stderr.write("ctl.py: the emulator of pidfile %s (pid %d) does not answer on ports %d-%d\n" % (args.pidfile, pid, port, port + 2))
    return 3


def main(argv=None):
    """Entry point."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return {"start": start, "stop": stop, "status": status}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
