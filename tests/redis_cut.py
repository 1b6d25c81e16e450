"""A TCP relay in front of a test redis-server that can cut the network at a precise command.

`cut_after(*pattern)`: the next client command holding every `pattern` reaches Redis (it takes
effect), then every connection is dropped before its answer comes back, and new connections are
closed at once, until `restore()`. What a bot sees when Redis becomes unreachable right after one
write (a failover, a network partition): the write happened, its caller gets a connection error.
"""
from __future__ import annotations

import socket
import threading

from tests.redis_server import free_port


class RedisCut:
    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self._lock = threading.Lock()
        self._pattern: tuple[bytes, ...] | None = None
        self._pending: socket.socket | None = None
        self._down = False
        self._socks: set[socket.socket] = set()
        self.cut = threading.Event()  # set when the cut happened
        self._listener: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisCut:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.port))
        srv.listen(256)
        self._listener = srv
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def cut_after(self, *pattern: bytes) -> None:
        """Cut after the next command whose bytes hold every one of `pattern`."""
        with self._lock:
            self._pattern = pattern
            self.cut.clear()

    def restore(self) -> None:
        with self._lock:
            self._down = False
            self._pattern = self._pending = None

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self._drop_all()

    # -- relaying ---------------------------------------------------------------------------
    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                down = self._down
            if down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                cut = False
                with self._lock:
                    if self._down:
                        break
                    if from_client and self._pattern and all(p in data for p in self._pattern):
                        self._pattern = None
                        self._pending = dst  # its answer means the command took effect: cut then
                    elif not from_client and self._pending is src:
                        self._down, self._pending, cut = True, None, True
                if cut:  # the answer never reaches the client
                    self._drop_all()
                    self.cut.set()
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                self._close(s)

    def _close(self, s: socket.socket) -> None:
        with self._lock:
            self._socks.discard(s)
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()

    def _drop_all(self) -> None:
        with self._lock:
            socks = list(self._socks)
        for s in socks:
            self._close(s)
