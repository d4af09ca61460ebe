"""HTTP plumbing: werkzeug's threaded WSGI server on a free port of 127.0.0.1.

A thread per request lets a long poll wait while other requests are served. werkzeug's server
closes each connection after its answer, so close() has no idle keep-alive connections to end:
once the requests in flight are woken, they finish, and stopping the server joins their threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
from werkzeug.wrappers import Request, Response


class _Request(Request):
    # No cap on form fields: Telegram's limits (and its error texts) are the fake's to apply.
    max_form_memory_size = None


class _QuietHandler(WSGIRequestHandler):
    """No access log: a test's output should be the test's (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing."""


class HttpServer:
    """Serve `handle(request) -> response` on 127.0.0.1 from a background thread."""

    def __init__(self, handle: Callable[[Request], Response], *, name: str) -> None:
        self._server = ThreadedWSGIServer(
            "127.0.0.1", 0, _Request.application(handle), handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{name}:{self.port}",
            daemon=True,
        )

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return self._server.port

    def start(self) -> None:
        """Start serving."""
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        """Stop accepting and wait (up to timeout) for the requests in flight to finish."""
        self._server.shutdown()  # serve_forever() then closes the socket and joins the handlers
        self._thread.join(timeout)
