"""The synchronous WebSocket client API irctest's WebSocket tests import, over Debian 12's websockets.

irctest's ``server_tests/websocket.py`` uses ``websockets.sync.client`` (websockets 11 and later); Debian 12 ships
websockets 10.4, whose client is asyncio only, and PyPI is out of reach here. Loaded as a pytest plugin
(``-p websockets_sync_shim``, in every xdist worker too), this module provides ``connect()`` and the few methods of
``ClientConnection`` those tests call (``subprotocol``, ``send``, ``recv(timeout=...)``, ``close``), each run on an
event loop of the connection's own in a background thread. Where the real module exists it does nothing.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import types
from typing import Any, List, Optional, Union

try:
    import websockets.sync.client  # noqa: F401  (websockets 11 or later: nothing to do)

    _NEEDED = False
except ImportError:
    _NEEDED = True


class ClientConnection:
    """One WebSocket, driven from synchronous code: every call waits for its coroutine on the socket's loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, thread: threading.Thread, protocol: Any) -> None:
        self._loop = loop
        self._thread = thread
        self._protocol = protocol

    @property
    def subprotocol(self) -> Optional[str]:
        return self._protocol.subprotocol

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def send(self, message: Union[str, bytes]) -> None:
        self._run(self._protocol.send(message))

    def recv(self, timeout: Optional[float] = None) -> Union[str, bytes]:
        # websockets 10's recv() may be cancelled safely, so a timeout loses no message; it raises TimeoutError.
        return self._run(asyncio.wait_for(self._protocol.recv(), timeout))

    def close(self) -> None:
        try:
            self._run(self._protocol.close())
        finally:
            _stop(self._loop, self._thread)


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)


def connect(uri: str, *, subprotocols: Optional[List[str]] = None, **kwargs: Any) -> ClientConnection:
    from websockets.client import connect as connect_async

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="websocket " + uri, daemon=True)
    thread.start()

    async def opened() -> Any:
        return await connect_async(uri, subprotocols=subprotocols, **kwargs)

    try:
        protocol = asyncio.run_coroutine_threadsafe(opened(), loop).result()
    except BaseException:
        _stop(loop, thread)
        raise
    return ClientConnection(loop, thread, protocol)


if _NEEDED:
    try:
        import websockets
    except ImportError:
        pass  # No websockets at all: irctest skips its WebSocket tests, saying so.
    else:
        _sync = types.ModuleType("websockets.sync")
        _client = types.ModuleType("websockets.sync.client")
        _client.connect = connect  # type: ignore[attr-defined]
        _client.ClientConnection = ClientConnection  # type: ignore[attr-defined]
        _sync.client = _client  # type: ignore[attr-defined]
        websockets.sync = _sync  # type: ignore[attr-defined]
        sys.modules["websockets.sync"] = _sync
        sys.modules["websockets.sync.client"] = _client
