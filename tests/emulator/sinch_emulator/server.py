"""Three threaded Werkzeug servers (userapi, api, portalapi) on consecutive ports, sharing one Emulator."""

import logging
import random
import socket
import ssl
import threading

from werkzeug.serving import make_server

from .app import HOSTS, create_app

LISTEN_BACKLOG = 128


class PortsUnavailable(OSError):
    """No run of three consecutive free ports could be bound."""


def _address_family(bind):
    """IPv6 for addresses with a colon, IPv4 otherwise."""
    return socket.AF_INET6 if ":" in bind else socket.AF_INET


def _listen(bind, port):
    """A listening socket on bind:port (raises OSError when taken)."""
    sock = socket.socket(_address_family(bind), socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((bind, port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def bind_port_run(bind, port, count=len(HOSTS), attempts=50):
    """Bind ``count`` consecutive ports starting at ``port``; port 0 = try random free runs.

    Returns (first port, [sockets]). Binding the sockets here, before the
    servers take them over, leaves no window for another process to take a port.
    """
    for _attempt in range(attempts if port == 0 else 1):
        first = port or random.randint(20000, 60000)
        sockets = []
        try:
            for offset in range(count):
                sockets.append(_listen(bind, first + offset))
            return first, sockets
        except OSError as exc:
            for sock in sockets:
                sock.close()
            if port != 0:
                raise PortsUnavailable("cannot listen on %s ports %d-%d: %s" % (bind, first, first + count - 1, exc)) from exc
    raise PortsUnavailable("no run of %d free consecutive ports found on %s" % (count, bind))


class EmulatorServer:
    """The three hosts of one emulator: ``start()``, ``urls()``, ``stop()``.

    ``tls``: (certificate file, key file) to serve HTTPS instead of plain HTTP (the default).
    """

    def __init__(self, emulator, bind="127.0.0.1", port=0, tls=None):
        self.emulator = emulator
        self.tls = tls
        self.bind = bind
        self.requested_port = port
        self.port = None
        self.servers = []
        self.threads = []

    def start(self):
        """Bind the ports and serve each host in a background thread."""
        context = None
        if self.tls:
            # Loaded before any port is taken: a wrong file fails the start with the TLS library's words.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
        self.port, sockets = bind_port_run(self.bind, self.requested_port)
        try:
            for host, sock in zip(HOSTS, sockets):
                server = make_server(self.bind, sock.getsockname()[1], create_app(host, self.emulator), threaded=True, fd=sock.fileno(),
                                     ssl_context=context)
                self.servers.append(server)
        finally:
            for sock in sockets:
                sock.close()  # the servers hold duplicates of the descriptors
        for host, server in zip(HOSTS, self.servers):
            thread = threading.Thread(target=server.serve_forever, name="sinch-emulator-" + host, daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def urls(self):
        """{"userapi": url, "api": url, "portalapi": url}."""
        shown = "127.0.0.1" if self.bind in ("0.0.0.0", "") else self.bind
        if ":" in shown:
            shown = "[%s]" % shown
        scheme = "https" if self.tls else "http"
        return {host: "%s://%s:%d" % (scheme, shown, self.port + index) for index, host in enumerate(HOSTS)}

    def stop(self):
        """Stop serving and close the listening sockets."""
        for server in self.servers:
            server.shutdown()
        for server in self.servers:
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)
        self.servers = []
        self.threads = []


def configure_logging(verbose):
    """Quiet by default: no per-request access lines unless verbose; errors always go to stderr."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.WARNING)
