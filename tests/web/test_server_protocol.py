"""Connections accepted by `safeguard serve` have Nagle's algorithm off, however many workers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from uvicorn.importer import import_from_string
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from safeguard.web.server import HTTP_PROTOCOL, no_delay


async def _accepted_no_delay(*, fix: bool) -> int:
    """TCP_NODELAY on a connection accepted from a socket bound as uvicorn binds it for
    several workers (no protocol named), with or without `no_delay`."""
    listening = socket.socket(family=socket.AF_INET)  # as uvicorn's Config.bind_socket
    listening.bind(("127.0.0.1", 0))
    seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            if fix:
                no_delay(transport)
            sock = transport.get_extra_info("socket")
            seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
    port = listening.getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    value = await asyncio.wait_for(seen, 10)
    writer.close()
    server.close()
    await server.wait_closed()
    return value


def test_accepted_connections_wait_for_acks_unless_no_delay_is_set() -> None:
    assert _run(_accepted_no_delay(fix=False)) == 0  # the 40 ms stall this prevents
    assert _run(_accepted_no_delay(fix=True)) != 0


def _run(coroutine: Coroutine[Any, Any, int]) -> int:
    """On a thread of its own: Playwright's sync API, used by the browser tests that may run
    before this one in the same worker, leaves an event loop running on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_serve_uses_the_no_delay_protocol() -> None:
    protocol = import_from_string(HTTP_PROTOCOL)
    assert issubclass(protocol, AutoHTTPProtocol)
    assert protocol.connection_made is not AutoHTTPProtocol.connection_made
