"""Fixture documents as the product receives them. Every fixture says on its first line that it is a synthetic test
document (tests/fixtures/layouts/README.md asks it to); the loader takes that mark off before ingest, so that no
product code knows about fixtures and their titles read as a real page's would."""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from knowledge.documents.reading import Limits, Source, UnreadableDocument, read_bytes
from knowledge.ingest import IngestResult

MARK = re.compile(rb"[ \t]*\(synthetic test document\)")  # where a fixture's first line says what it is


def without_mark(data: bytes) -> bytes:
    """The document without the "(synthetic test document)" mark on its first line (the rest byte for byte)."""
    first, newline, rest = data.partition(b"\n")
    return MARK.sub(b"", first, count=1) + newline + rest


def fixture_sources(paths: Iterable[Path], limits: Limits = Limits()) -> Iterator[Source | IngestResult]:
    """Each fixture read as the product reads a file, its mark taken off first; or the result saying why it could
    not be (for knowledge.ingest.ingest_sources)."""
    for path in paths:
        try:
            yield read_bytes(without_mark(path.read_bytes()), path.name, str(path), limits)
        except UnreadableDocument as error:
            yield IngestResult(str(path), "failed", str(error))
