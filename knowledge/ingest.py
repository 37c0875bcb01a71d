"""Ingesting documents: read a file, parse its text into findings, save both in one transaction.

The stages are separate modules (knowledge.reading -> knowledge.parsing -> Store.save); this one only
runs them in order and turns every failure into a result with a one-line reason.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from weakref import WeakKeyDictionary

from knowledge.parsing import ParsedDocument, Parser
from knowledge.reading import Source, UnreadableDocument, read_file
from knowledge.store import Store

CORPUS = resources.files("knowledge") / "corpus"
CORPUS_SUFFIXES = (".txt", ".html", ".htm", ".pdf")

_parsers: "WeakKeyDictionary[Store, Parser]" = WeakKeyDictionary()


@dataclass
class IngestResult:
    """What happened to one file: added, already present, or failed with a reason."""

    path: str
    status: str  # added | present | failed
    reason: str | None = None
    document_id: int | None = None
    findings: Counter = field(default_factory=Counter)  # kind -> count


def parser_for(store: Store) -> Parser:
    """One parser per store, built on the store's reference data."""
    parser = _parsers.get(store)
    if parser is None:
        parser = _parsers[store] = Parser(store.mentions)
    return parser


def ingest_source(store: Store, source: Source, *, quiet: bool = False) -> IngestResult:
    """Parse and save an already-read document unless the same content is already stored, and put a new one
    in the outbox for its followers (quiet: the first load or a back-fill, stored but never announced)."""
    shown = source.source_path or "(text)"
    existing = store.document_with(source.content_hash)
    if existing is not None:
        return IngestResult(shown, "present", document_id=existing)
    return save_parsed(store, source, parser_for(store).parse_source(source), quiet=quiet)


def save_parsed(store: Store, source: Source, parsed: ParsedDocument, *, quiet: bool = False) -> IngestResult:
    """Save a parsed document (all or nothing) and put it in the outbox for its followers unless quiet."""
    shown = source.source_path or "(text)"
    saved = store.save(source, parsed)
    if not saved.added:
        return IngestResult(shown, "present", document_id=saved.document_id)
    store.enqueue_announcement(saved.document_id, quiet=quiet)
    return IngestResult(shown, "added", document_id=saved.document_id, findings=Counter(str(f.kind) for f in parsed.findings))


def ingest_file(store: Store, path: Path, *, source_path: str | None = None, quiet: bool = False) -> IngestResult:
    """Read, parse and save one file, all or nothing."""
    try:
        source = read_file(path, store.limits)
    except UnreadableDocument as error:
        return IngestResult(source_path or str(path), "failed", str(error))
    if source_path:
        source.source_path = source_path
    return ingest_source(store, source, quiet=quiet)


def ingest_one(store: Store, file: Path, *, source_path: str | None = None, quiet: bool = False) -> IngestResult:
    """Ingest one file, turning any unexpected failure into a failed result with a reason."""
    try:
        return ingest_file(store, file, source_path=source_path, quiet=quiet)
    except Exception as error:  # noqa: BLE001
        return IngestResult(source_path or str(file), "failed", f"{type(error).__name__}: {error}")


def files_under(paths: Iterable[Path]) -> list[Path]:
    """The files named, and every file in the folders named (recursively, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files


def ingest_paths(store: Store, paths: Iterable[Path], *, quiet: bool = False) -> Iterator[IngestResult]:
    """Ingest files and folders (recursively), one result per file; one bad file never stops the rest."""
    for file in files_under(paths):
        yield ingest_one(store, file, quiet=quiet)


def sync_corpus(store: Store, corpus: Path | None = None) -> list[IngestResult]:
    """Ingest the shipped corpus (quietly: it is the first load, not news): new files are added, those already
    stored are skipped."""
    root = Path(str(corpus or CORPUS))
    results = []
    for file in sorted(root.glob("*")):
        if file.is_file() and not file.name.startswith(".") and file.suffix in CORPUS_SUFFIXES:
            results.append(ingest_one(store, file, source_path=f"corpus/{file.name}", quiet=True))  # one bad file never stops start-up
    return results
