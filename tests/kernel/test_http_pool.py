"""The Bot API's connection pool (`bot.http_pool`, #11): an idle keep-alive connection that
the server closed is noticed and not reused, with the cheaper readability check; with a
proxy in the environment the bot keeps httpx's own transport, which honours it."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bot.app import JsonBodyRequest
from bot.http_pool import BotApiTransport, socket_readable

LIMITS = httpx.Limits(max_connections=8)


def test_a_socket_turns_readable_when_its_peer_closes_it() -> None:
    ours, theirs = socket.socketpair()
    try:
        assert not socket_readable(ours)  # idle: a read would wait
        theirs.close()
        assert socket_readable(ours)  # the peer is gone: a read returns b"" at once
    finally:
        ours.close()
    assert socket_readable(ours)  # closed here: no descriptor, counts as closed


class OneAnswerServer:
    """HTTP/1.1 on loopback that keeps each connection alive after its answer, then drops
    it silently a moment later — as Telegram drops idle connections — and counts them."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n"
                     b"Connection: keep-alive\r\n\r\nok")
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.close()


def test_a_connection_the_server_dropped_is_not_reused() -> None:
    async def main() -> tuple[list[int], int, int]:
        server = OneAnswerServer()
        listener = await asyncio.start_server(server.handle, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        statuses = []
        async with listener, httpx.AsyncClient(transport=BotApiTransport(LIMITS)) as client:
            for _ in range(3):
                statuses.append((await client.get(f"http://127.0.0.1:{port}/")).status_code)
                await asyncio.sleep(0.2)  # the server has dropped the idle connection
            pooled = len(client._transport._pool.connections)  # noqa: SLF001
        return statuses, server.connections, pooled

    statuses, connections, pooled = asyncio.run(main())
    assert statuses == [200, 200, 200]  # no "server disconnected" from a dead connection
    assert connections == 3 and pooled <= 1


def test_the_bot_uses_the_pool_unless_a_proxy_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(JsonBodyRequest()._client._transport, BotApiTransport)  # noqa: SLF001
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    client = JsonBodyRequest()._client  # noqa: SLF001
    assert not isinstance(client._transport, BotApiTransport)  # noqa: SLF001
    assert any(mount is not None for mount in client._mounts.values())  # noqa: SLF001
