"""A small web server on 127.0.0.1, in a thread, for the link checker to check."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROUTES = {
    "/ok": (200, None),
    "/chain-1": (301, "/chain-2"),
    "/chain-2": (301, "/chain-3"),
    "/chain-3": (301, "/ok"),
    "/temporary": (302, "/ok"),
    "/missing": (404, None),
    "/gone": (410, None),
    "/broken": (500, None),
    "/loop": (301, "/loop"),
}


class Handler(BaseHTTPRequestHandler):
    def answer(self, method):
        self.server.requests.append((method, self.path, time.monotonic(), dict(self.headers)))
        if self.path == "/slow":
            time.sleep(1.5)
            status, location = 200, None
        elif self.path == "/no-head" and method == "HEAD":
            status, location = 405, None
        elif self.path == "/no-head":
            status, location = 200, None
        else:
            status, location = ROUTES.get(self.path, (404, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.answer("HEAD")

    def do_GET(self):
        self.answer("GET")

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """The server's base URL; `web.requests` lists (method, path, time, headers) received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Web(str):
        requests = server.requests

    yield Web(f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def checker_settings(settings):
    """Tests check 127.0.0.1 only, so they allow it; short timeouts, no rate limit."""
    settings.LINKCHECK_ALLOW_PRIVATE = True
    settings.LINKCHECK_TIMEOUT = 0.5
    settings.LINKCHECK_HOST_INTERVAL = 0
    settings.LINKCHECK_MAX_REDIRECTS = 5
    settings.LINKCHECK_RECHECK_DAYS = 30


@pytest.fixture
def tls_web(tmp_path):
    """The same server over HTTPS with a self-signed certificate (made with openssl)."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.requests = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *args: None  # the refused handshake is expected
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
