"""The HTTP protocol `safeguard serve` runs: uvicorn's, with Nagle's algorithm off.

With several workers uvicorn binds the listening socket itself without naming the protocol, so
asyncio does not set TCP_NODELAY on the connections it accepts; a response written in two parts
(head, then body) then waits for the client's delayed acknowledgement, 40 ms on Linux, on every
request. Setting it on each connection here holds for one worker or many."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.auto import AutoHTTPProtocol

HTTP_PROTOCOL = "safeguard.web.server:NoDelayHTTPProtocol"


def no_delay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:
        no_delay(transport)
        super().connection_made(transport)
