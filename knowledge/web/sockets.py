"""The time one URL may take, and the sockets that keep to it.

A Budget is one URL's deadline and the stop signal; every wait and every read made for the URL looks at it. The
sockets are httpx's own stack on a network backend whose connects, reads, writes and TLS handshakes wait in
steps of at most STEP seconds, so the deadline and the stop end them promptly, whatever the server does
between its bytes. The failures a fetch ends in are here too, since a budget raises them.
"""

import errno
import functools
import math
import os
import selectors
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import httpcore
import httpx

STEP = 0.1  # seconds: the longest any one blocking wait lasts before the stop signal and the clock are looked at again


class FetchFailed(Exception):
    """A URL could not be fetched; the message is a one-line reason for a person."""


class FetchStopped(FetchFailed):
    """The stop signal was given: nothing is wrong with the server, the URL is left for the next sync."""


class AnswerFailed(FetchFailed):
    """The server answered with a status that is not a page (kept, so robots.txt can tell 4xx from 5xx)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Silent(FetchFailed):
    """The server said nothing at all within the time-out: the one failure worth asking again, once."""





class StopSignal(Protocol):
    """A stop signal: a threading.Event, or a sync's (knowledge.web.sync.Halt), which may say why it was given."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def why_stopped(stop: StopSignal | None) -> str:
    """Why the stop signal was given, as the start of a reason for a person."""
    return getattr(stop, "reason", None) or "stopped on request"


class Budget:
    """The time one URL may still take and the stop signal, looked at by every wait and every read made for it."""

    def __init__(self, seconds: float, stop: StopSignal | None = None) -> None:
        self.ends = time.monotonic() + seconds
        self.stop = stop
        self.heard = False  # some bytes of the current answer came (a slow server, not a silent one)

    @property
    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def left(self) -> float:
        return self.ends - time.monotonic()

    def check(self, reason: str) -> None:
        """Raise FetchStopped once the stop signal is given, or FetchFailed(reason) once the time is up."""
        if self.stopped:
            raise FetchStopped(f"{why_stopped(self.stop)} before it was complete")
        if self.left() <= 0:
            raise FetchFailed(reason)

    def step(self, until: float, expired: type[Exception]) -> float:
        """How long the next blocking wait may last; raises `expired` once stopped, out of time or past `until`."""
        left = min(until, self.ends) - time.monotonic()
        if self.stopped or left <= 0:
            raise expired("stopped" if self.stopped else "timed out")
        return min(STEP, left)

    def pause(self, seconds: float, reason: str) -> None:
        """Sleep, cut short by the stop signal; FetchFailed(reason) at once when the time left is shorter."""
        if seconds > self.left():
            raise FetchFailed(reason)
        if self.stop is None:
            time.sleep(max(0.0, seconds))
        elif self.stop.wait(max(0.0, seconds)):
            raise FetchStopped(f"{why_stopped(self.stop)} before it was complete")


def step_deadline(timeout: float | None) -> float:
    """When a wait with httpcore's per-operation time-out ends, on the monotonic clock."""
    return math.inf if timeout is None else time.monotonic() + timeout


class BoundedStream(httpcore.NetworkStream):
    """A socket whose every read, write and TLS handshake waits in steps of at most STEP seconds, so the
    budget's deadline and stop signal end it promptly, whatever the server does between its bytes."""

    def __init__(self, sock: socket.socket, budget: Callable[[], Budget]) -> None:
        self._sock = sock
        self._budget = budget

    def _bounded(self, operation: Callable[[], Any], timeout: float | None, expired: type[Exception], broken: type[Exception]) -> Any:
        budget, until = self._budget(), step_deadline(timeout)
        while True:
            self._sock.settimeout(budget.step(until, expired))
            try:
                return operation()
            except TimeoutError:  # this step passed quietly: look at the stop signal and the clock again
                continue
            except OSError as error:
                raise broken(str(error) or type(error).__name__) from error

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._bounded(lambda: self._sock.recv(max_bytes), timeout, httpcore.ReadTimeout, httpcore.ReadError)
        if data:
            self._budget().heard = True
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            sent = self._bounded(functools.partial(self._sock.send, view), timeout, httpcore.WriteTimeout, httpcore.WriteError)
            view = view[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None) -> "BoundedStream":
        try:
            sock = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname, do_handshake_on_connect=False)
            secure = BoundedStream(sock, self._budget)
            secure._bounded(sock.do_handshake, timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
        except BaseException:
            self.close()
            raise
        return secure

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":  # httpcore asks it which protocol was negotiated
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "socket":
            return self._sock
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "is_readable":  # an idle kept-alive connection the server has closed
            return self._sock.fileno() < 0 or readable(self._sock)
        return None


def readable(sock: socket.socket) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(0))


class BoundedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with a connect that waits in steps like BoundedStream's reads; `budget`
    gives the calling thread's budget (a Fetcher's get runs in one thread from its first byte to its last)."""

    def __init__(self, budget: Callable[[], Budget]) -> None:
        self._budget = budget

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> BoundedStream:
        budget, until = self._budget(), step_deadline(timeout)
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]  # an address already
        sock = socket.socket(family, kind, protocol)
        try:
            sock.setblocking(False)
            failure = sock.connect_ex(address)
            if failure in (errno.EINPROGRESS, errno.EWOULDBLOCK):
                with selectors.DefaultSelector() as selector:
                    selector.register(sock, selectors.EVENT_WRITE)
                    while not selector.select(budget.step(until, httpcore.ConnectTimeout)):
                        pass
                failure = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if failure:
                raise httpcore.ConnectError(os.strerror(failure))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            sock.close()
            raise
        return BoundedStream(sock, self._budget)


def bounded_client(user_agent: str, timeout: float, budget: Callable[[], Budget], ssl_context: ssl.SSLContext | None) -> httpx.Client:
    """An httpx client whose connections keep to the calling thread's budget."""
    context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx has no public seam for a network backend: its transport's pool is replaced by one built on ours.
    transport._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=BoundedBackend(budget),
                                              max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    # trust_env=False: a proxy from the environment would connect on our behalf, past the address check.
    return httpx.Client(transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False,
                        headers={"User-Agent": user_agent})


