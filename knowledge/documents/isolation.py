"""The bounded child process: untrusted files are read and parsed in a process with a memory cap and a wall-clock
limit, which a stop signal cuts short too.

Children fork from a server process that has the readers and the parser imported already (multiprocessing's
forkserver), so each costs a fork, not an interpreter start; forking from the server (not from us) is safe with
threads about. A one-off read (knowledge.documents.reading) and the readers that read and parse
(knowledge.documents.bounded) run in a Child.
"""

import multiprocessing
import time
from collections.abc import Callable
from typing import Protocol

PRELOAD = ["knowledge.documents.reading", "knowledge.documents.parsing", "trafilatura", "pypdf"]  # imported once, in the server
STEP = 0.1  # seconds: how often a wait for the child looks at the stop signal


class Signal(Protocol):
    """A stop signal: a threading.Event, or anything else that can say it is set."""

    def is_set(self) -> bool: ...


class Overran(Exception):
    """The child did not answer within the time limit."""


class Stopped(Exception):
    """The child ended before it answered (its memory or CPU limit killed it)."""


class Cancelled(Exception):
    """The stop signal was given while the child was still working: it is busy, to be closed, not asked again."""


def _serve(conn, handle: Callable, memory_mb: int, cpu_seconds: int | None) -> None:  # noqa: ANN001
    """The child's loop: cap its memory (and CPU time) once, then answer each request with handle(*request)
    until told to stop; handle returns (reply, last), and after a last reply the process ends."""
    import resource

    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cpu_seconds is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        reply, last = handle(*request)
        conn.send(reply)
        if last:
            return


class Child:
    """One child process, bounded in memory (and optionally CPU time), answering requests one at a time."""

    def __init__(self, handle: Callable, *, memory_mb: int, cpu_seconds: int | None = None) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, handle, memory_mb, cpu_seconds), daemon=True)
        self._process.start()
        child.close()

    def ask(self, request: tuple, seconds: float, stop: Signal | None = None) -> object:
        """The child's reply to one request: Overran after `seconds`, Stopped when the child ended first, Cancelled
        within STEP seconds of the stop signal."""
        ends = time.monotonic() + seconds
        try:
            self._conn.send(request)
            while not self._conn.poll(max(0.0, min(STEP, ends - time.monotonic())) if stop is not None else seconds):
                if stop is not None and stop.is_set():
                    raise Cancelled
                if time.monotonic() >= ends or stop is None:
                    raise Overran
            return self._conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            raise Stopped from None

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        """Tell the child to stop, and kill it if it is still busy."""
        try:
            self._conn.send(None)
        except (OSError, ValueError):
            pass
        if self._process.is_alive():
            self._process.kill()
        self._process.join(5)
        self._conn.close()
