"""The Bot API's HTTP connection pool, with a cheap answer to "is this idle connection dead?".

Before every request and after every response httpcore asks each connection in the pool
whether it has expired; for an idle HTTP/1.1 connection that means "is its socket readable"
(the server closed it). Through AnyIO, which httpcore uses under asyncio, each such question
builds a fresh dict of the socket's attributes and calls `getpeername()` on the way — with
tens of keep-alive connections to Telegram, 20 % of the event loop's profiled time in a
50-user burst (py-spy, bench/bench_throttle.py). Here each stream keeps its raw socket
from the first question on and asks only `poll()`, as httpcore itself does for a socket.

Only the network backend changes: the pool, HTTP/1.1, TLS, time-outs and httpx's error
mapping are httpx's and httpcore's own.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

READABLE = "is_readable"
RAW_SOCKET = "socket"
SocketOption = (tuple[int, int, int] | tuple[int, int, bytes | bytearray]
                | tuple[int, int, None, int])  # as httpcore declares it
POLL = getattr(select, "poll", None)


class KeptSocketStream(AsyncNetworkStream):
    """A network stream that remembers its raw socket for the readability check."""

    def __init__(self, stream: AsyncNetworkStream) -> None:
        self._stream = stream
        self._socket: socket.socket | None = stream.get_extra_info(RAW_SOCKET)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._stream.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> AsyncNetworkStream:
        return KeptSocketStream(await self._stream.start_tls(ssl_context, server_hostname,
                                                             timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == READABLE and self._socket is not None:
            return socket_readable(self._socket)
        if info == RAW_SOCKET and self._socket is not None:
            return self._socket
        return self._stream.get_extra_info(info)


def socket_readable(sock: socket.socket) -> bool:
    """Whether a read would return at once — for an idle connection: the server closed it
    (as httpcore checks it; a socket without a descriptor counts as closed)."""
    try:
        descriptor = sock.fileno()
    except OSError:
        return True
    if descriptor < 0:
        return True
    if POLL is None:  # pragma: no cover - Windows
        return bool(select.select([descriptor], [], [], 0)[0])
    poller = POLL()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class KeptSocketBackend(AsyncNetworkBackend):
    """httpcore's default backend, its streams wrapped in `KeptSocketStream`."""

    def __init__(self, backend: AsyncNetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[SocketOption] | None = None,
                          ) -> AsyncNetworkStream:
        return KeptSocketStream(await self._backend.connect_tcp(
            host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[SocketOption] | None = None,
                                  ) -> AsyncNetworkStream:
        return KeptSocketStream(await self._backend.connect_unix_socket(
            path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class BotApiTransport(httpx.AsyncHTTPTransport):
    """httpx's transport for HTTP/1.1 with `limits`, its pool on `KeptSocketBackend`."""

    def __init__(self, limits: httpx.Limits) -> None:  # noqa: D107 - httpx's own is skipped:
        # it would build a pool (and an SSL context, 10 ms) only to have it replaced here
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True, http2=False,
            network_backend=KeptSocketBackend())
