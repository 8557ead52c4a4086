"""A local HTTP server (127.0.0.1 only) that serves whatever a test tells it to:
whole, cut, trickled, oversized or corrupt bodies, with or without a declared
length, error codes and redirects.  Used by the catalog-update tests."""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass, field

__all__ = ["LocalServer", "Route"]

#: A trickle stops by itself after this long (s), should a test leave it running.
_TRICKLE_LIMIT_S = 30.0


@dataclass
class Route:
    """What one path answers.

    ``length``: "auto" declares the body's true length, None declares none (the
    body ends when the connection closes, HTTP/1.0), an int declares that.
    ``trickle_s``: pause before each byte of the body, which then never ends.
    ``header_trickle_s``: pause before each byte of a header that never ends.
    """

    body: bytes = b""
    status: int = 200
    length: int | str | None = "auto"
    headers: dict = field(default_factory=dict)
    trickle_s: float = 0.0
    header_trickle_s: float = 0.0
    stall_s: float = 0.0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the connection closes after each answer
    server: _Server

    def do_GET(self):
        route = self.server.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        try:
            self._answer(route)
        except OSError:
            pass  # the client hung up (deadline, size cap): nothing to do

    def _answer(self, route: Route) -> None:
        if route.stall_s:
            time.sleep(route.stall_s)
        self.send_response(route.status)
        for k, v in route.headers.items():
            self.send_header(k, v)
        if route.length == "auto":
            self.send_header("Content-Length", str(len(route.body)))
        elif route.length is not None:
            self.send_header("Content-Length", str(route.length))
        if route.header_trickle_s:
            self.flush_headers()
            self._trickle(b"X-Slow: " + b"a" * 10**6, route.header_trickle_s)
        self.end_headers()
        if route.trickle_s:
            self._trickle(route.body or b"x" * 10**6, route.trickle_s)
            return
        self.wfile.write(route.body)

    def _trickle(self, data: bytes, pause_s: float) -> None:
        t_end = time.monotonic() + _TRICKLE_LIMIT_S
        for i in range(len(data)):
            if time.monotonic() > t_end:
                return
            time.sleep(pause_s)
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()

    def log_message(self, *args):  # keep test output quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    routes: dict


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 with a free port; ``routes`` maps path -> Route."""

    def __init__(self, routes: dict | None = None) -> None:
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.routes = dict(routes or {})
        self.routes = self.httpd.routes
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)
