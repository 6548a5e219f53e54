"""The HTTP side: a threaded loopback server, its lifecycle (start/stop, URLs) and the dispatch of
each request (token check, file downloads, error injection, recording the call, JSON answer).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from tests.fakebot.faults import FaultsMixin
from tests.fakebot.models import ApiError, Call, JSONDict, Request
from tests.fakebot.wire import CANONICAL, parse_request


class HttpServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its fake (:class:`ServerMixin`), never prints tracebacks."""

    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 refuses a bot that opens 16 connections at once
    # (a burst), and a refused connection is retried after a second: an artefact of the fake,
    # not of Telegram, which takes many
    request_queue_size = 128

    def __init__(self, api: ServerMixin) -> None:
        self.api = api
        super().__init__(("127.0.0.1", 0), RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (e.g. a cancelled long poll) is normal; anything else is a bug in
        # the fake and is kept for inspection instead of being printed to stderr.
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError) and exc is not None:
            self.api.errors.append(exc)


class RequestHandler(BaseHTTPRequestHandler):
    """Routes HTTP requests to :meth:`ServerMixin._handle_http`."""

    server: HttpServer
    server_version = "FakeBotApi/1.0"
    protocol_version = "HTTP/1.1"  # keep-alive, as the real Bot API
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall

    def do_GET(self) -> None:  # noqa: N802 - name mandated by BaseHTTPRequestHandler
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802 - name mandated by BaseHTTPRequestHandler
        self._dispatch()

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        status, content_type, payload = self.server.api._handle_http(
            self.path, self.headers.get("Content-Type", ""), body
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client cancelled (typical for a long poll interrupted by shutdown)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Stay quiet: request logs would drown the test output."""


class ServerMixin(FaultsMixin):
    """Serve the Bot API on 127.0.0.1 and route each request to ``self._handlers``."""

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeBotApi already started")
        self._stopping = False
        self._server = HttpServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="FakeBotApi",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; wakes pending long polls so no request hangs around."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeBotApi not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url`` (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url``; uploaded files can be downloaded from here."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ HTTP plumbing
    def _handle_http(self, path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        """Answer one HTTP request; returns (status, content type, body)."""
        try:
            return self._handle_http_unsafe(path, content_type, body)
        except Exception as exc:  # a bug in the fake: keep it visible but answer the client
            self.errors.append(exc)
            err = ApiError(500, f"Internal Server Error: fake_bot_api: {exc!r}")
            return 500, "application/json", json.dumps(err.body()).encode()

    def _handle_http_unsafe(
        self, path: str, content_type: str, body: bytes
    ) -> tuple[int, str, bytes]:
        url = urlsplit(path)
        file_match = re.fullmatch(r"/file/bot([^/]+)/(.+)", url.path)
        if file_match:
            return self._serve_file(unquote(file_match.group(1)), unquote(file_match.group(2)))
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)/?", url.path)
        if match is None:
            err = ApiError(404, "Not Found")
            return 404, "application/json", json.dumps(err.body()).encode()

        token, raw_method = unquote(match.group(1)), match.group(2)
        method = CANONICAL.get(raw_method.lower(), raw_method)
        request = parse_request(method, url.query, content_type, body)

        if token != self.token:
            err = ApiError(401, "Unauthorized")
            with self._cond:
                self.rejected_calls.append(
                    Call(method, request.params, request.files, time.time(), 401, err.body())
                )
            return 401, "application/json", json.dumps(err.body()).encode()

        with self._cond:
            status, response, payload = self._execute(request)
            if request.recorded is None:
                self._calls.append(
                    Call(method, request.params, request.files, time.time(), status, response)
                )
            else:
                request.recorded.status, request.recorded.response = status, response
            self._cond.notify_all()
        return status, "application/json", json.dumps(payload, ensure_ascii=False).encode()

    def _serve_file(self, token: str, file_path: str) -> tuple[int, str, bytes]:
        if token != self.token:
            body = json.dumps(ApiError(401, "Unauthorized").body()).encode()
            return 401, "application/json", body
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        if stored is None:
            return 404, "application/json", json.dumps(ApiError(404, "Not Found").body()).encode()
        return 200, stored.mime_type or "application/octet-stream", stored.data

    def _execute(self, request: Request) -> tuple[int, Any, JSONDict]:
        """Run one method under the lock; returns (status, recorded response, response body)."""
        failure = self._take_failure(request)
        try:
            if failure is not None:
                raise failure
            handler = self._handlers.get(request.method.lower())
            result = True if handler is None else handler(request)
        except ApiError as err:
            body = err.body()
            return err.code, body, body
        return 200, result, {"ok": True, "result": result}
