"""Untrusted bytes made a document within limits: read AND parsed in a bounded child process
(knowledge.documents.isolation), so that neither a hostile file nor a huge text can hang the caller or exhaust
its memory. The one way the product turns a file, an upload or a download into a document; the caller only
saves what comes back.

Readers run one child per document (a file sent to the bot) or a pool of reused children (a folder, a sync). The
wall-clock limit covers reading and parsing together, the memory cap the child's whole address space, and a
document with more findings than `Limits.max_findings` is refused: it is no inspection document.
"""

import queue
from dataclasses import dataclass
from functools import cached_property, partial

from knowledge.documents.isolation import Child, Signal
from knowledge.documents.parsing import ParsedDocument, Parser
from knowledge.documents.reading import READERS, Limits, Source, UnreadableDocument, guarded, kind_within, read_in
from knowledge.matching import finder_for
from knowledge.reference import Reference


@dataclass(frozen=True)
class Hints:
    """What the caller knows of a document before it is read: the page it is cited with (which replaces the link
    the document gives), and the publisher that offers it (used when the document names none)."""

    url: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Read:
    """A document read and parsed: the Source to store, and its findings."""

    source: Source
    parsed: ParsedDocument


class Parsing:
    """What a reader process parses with: the reference data, and the parser it builds from them once."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    @cached_property
    def parser(self) -> Parser:
        return Parser(finder_for(self.reference))

    def __getstate__(self) -> dict:
        return {"reference": self.reference}  # the parser is built where it is used, in the reader process


def read_and_parse(parsing: Parsing, kind: str, data: bytes, source_path: str | None, hints: Hints, limits: Limits) -> tuple[tuple[str, object], bool]:
    """Runs in a reader process: ("ok", a Read) or ("unreadable", the reason), and whether the process is spent."""

    def work() -> Read:
        source = READERS[kind](data, source_path)
        source.url = hints.url or source.url
        source.publisher = source.publisher or hints.publisher
        parsed = parsing.parser.parse_source(source)
        if len(parsed.findings) > limits.max_findings:
            raise UnreadableDocument(f"it has {len(parsed.findings):,} findings, more than the {limits.max_findings:,} an inspection document could have")
        return Read(source, parsed)

    return guarded(work, limits.memory_mb)


class Readers:
    """Reader processes bounded by `limits`. size 0: a new process for each document, its CPU time capped too;
    size N: N processes reused, started when first needed, and one that fails, overruns or is stopped replaced.
    Safe to share between threads: each read takes an idle reader."""

    def __init__(self, reference: Reference, limits: Limits = Limits(), size: int = 0) -> None:
        self.limits = limits
        self.size = size
        self._parsing = Parsing(reference)
        self._idle: queue.Queue[Child | None] = queue.Queue()
        self._all: list[Child] = []
        for _ in range(size):
            self._idle.put(None)  # a slot: its process starts with its first document

    def _start(self, one_off: bool) -> Child:
        cpu = int(self.limits.seconds) + 1 if one_off else None
        child = Child(partial(read_and_parse, self._parsing), memory_mb=self.limits.memory_mb, cpu_seconds=cpu)
        self._all.append(child)
        return child

    def read(self, data: bytes, name: str = "", source_path: str | None = None, hints: Hints = Hints(), stop: Signal | None = None) -> Read:
        """The document in `data` (named `name`, kept as `source_path`) read and parsed within the limits; raises
        UnreadableDocument with a one-line reason, also when the stop signal cut it short."""
        kind = kind_within(data, name, self.limits)
        request = (kind, data, source_path, hints, self.limits)
        if self.size == 0:
            child = self._start(one_off=True)
            try:
                status, value = read_in(child, request, self.limits, stop)
            finally:
                self._discard(child)
        else:
            child = self._idle.get()
            try:
                child = child or self._start(one_off=False)
            except BaseException:
                self._idle.put(None)  # the slot stays, for a process that starts next time
                raise
            healthy = False
            try:
                status, value = read_in(child, request, self.limits, stop)
                healthy = status == "ok"  # after a failure the reader is replaced: it may have hit its memory limit
            finally:
                if healthy and child.alive:
                    self._idle.put(child)
                else:
                    self._discard(child)
                    self._idle.put(None)
        if status != "ok":
            raise UnreadableDocument(value)
        return value

    def _discard(self, child: Child) -> None:
        if child in self._all:
            self._all.remove(child)
        child.close()

    def close(self) -> None:
        for child in list(self._all):
            self._discard(child)

    def __enter__(self) -> "Readers":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
