"""Ingesting documents: read a file, parse its text into findings, save both in one transaction.

The stages are separate modules (knowledge.documents.reading -> knowledge.documents.parsing -> knowledge.state.store);
this one runs them in order, turns what was read and parsed into the rows the store saves (to_row), puts new
documents in the outbox in the same transaction, and turns every failure into a result with a one-line reason.
Files, the shipped corpus, uploads and the web sync (knowledge.web.sync) all save through here, and every file
is read and parsed in a bounded reader process (knowledge.documents.bounded) before anything is saved.
"""

import contextlib
import hashlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from weakref import WeakKeyDictionary

from sqlmodel import Session

from knowledge.documents.bounded import Read, Readers
from knowledge.documents.parsing import ParsedDocument, Parser
from knowledge.documents.reading import RANKS, Limits, Source, UnreadableDocument, file_bytes
from knowledge.matching import finder_for
from knowledge.state import links, outbox
from knowledge.state.store import DocumentRow, FindingRow, GradeRow, Saved, Store, document_with, save_documents

CORPUS = resources.files("knowledge") / "corpus"
CORPUS_SUFFIXES = (".txt", ".html", ".htm", ".pdf")

BATCH_DOCUMENTS = 64  # documents saved in one transaction when ingesting many (each still all or nothing)
BATCH_CHARACTERS = 4_000_000  # or fewer, so that one transaction never holds the write lock for long
READERS = 2  # reader processes a folder's ingest keeps (reading and parsing are most of its work)

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
    """One parser per store, finding the names of the store's reference data."""
    parser = _parsers.get(store)
    if parser is None:
        parser = _parsers[store] = Parser(finder_for(store.reference))
    return parser


def limits_for(store: Store, limits: Limits | None) -> Limits:
    """The reading limits given (the entry points pass their settings'), else the defaults."""
    return limits or Limits()


def to_row(source: Source, parsed: ParsedDocument) -> DocumentRow:
    """The rows the store saves for a read and parsed document: what the parser found of the page overrides what
    the reader guessed."""
    doc_type = parsed.doc_type or source.doc_type
    findings = tuple(
        FindingRow(start=f.start, end=f.end, kind=str(f.kind), polarity=str(f.polarity), organisation_id=f.organisation_id, speaker=f.speaker,
                   role=f.role, context=f.context, label=f.label, deadline=f.deadline, status=f.status, cause=f.cause, speech=f.speech)
        for f in parsed.findings
    )
    grades = tuple(  # a grade is stored only for a finding about one organisation
        GradeRow(finding=i, organisation_id=f.organisation_id, area=area, grade=grade, cycle=parsed.cycle)
        for i, f in enumerate(parsed.findings) if f.organisation_id for area, grade in f.grades
    )
    return DocumentRow(
        text=source.text, content_hash=source.content_hash, title=parsed.title or source.title, publisher=parsed.publisher or source.publisher,
        section=source.section, doc_type=doc_type, rank=RANKS.get(doc_type, 1), published=source.published, url=parsed.url or source.url,
        source_path=source.source_path, subject_id=parsed.subject_id, findings=findings, grades=grades,
    )


def save_parsed(session: Session, documents: Sequence[tuple[Source, ParsedDocument]]) -> list[Saved | Exception]:
    """Save read and parsed documents in the session's write transaction, each all or nothing (store.save_documents),
    and link the new ones' findings with their organisations' other findings in the same transaction."""
    outcomes = save_documents(session, [to_row(source, parsed) for source, parsed in documents])
    links.link_documents(session, [o.document_id for o in outcomes if isinstance(o, Saved) and o.added])
    return outcomes


def save_and_announce(session: Session, documents: Sequence[tuple[Source, ParsedDocument]], *, quiet: bool) -> list[Saved | Exception]:
    """Save read and parsed documents in the session's write transaction, each all or nothing, and put the new
    ones in the outbox in the same transaction (quiet: the first load or a back-fill, never announced)."""
    outcomes = save_parsed(session, documents)
    outbox.enqueue(session, [o.document_id for o in outcomes if isinstance(o, Saved) and o.added], quiet=quiet)
    return outcomes


def save(store: Store, documents: Sequence[tuple[Source, ParsedDocument]], *, quiet: bool) -> list[Saved | Exception]:
    """Save and announce documents in one transaction of their own (save_and_announce). One commit, one vocabulary
    upsert and one flush of the search index serve them all, which costs a fraction of a transaction each. If the
    commit itself fails, it raises and none of them is stored."""
    with store.writing() as session:
        outcomes = save_and_announce(session, documents, quiet=quiet)
    if any(isinstance(o, Saved) and o.added for o in outcomes):
        store.forget_caches()
    return outcomes


def stored_already(store: Store, source: Source) -> int | None:
    """The id of the stored document with this source's content, if there is one."""
    return stored_with(store, source.content_hash)


def stored_with(store: Store, content_hash: str) -> int | None:
    """The id of the stored document with this content hash (of the file's bytes), if there is one."""
    with store.reading() as session:
        return document_with(session, content_hash)


def ingest_source(store: Store, source: Source, *, quiet: bool = False) -> IngestResult:
    """Parse and save an already-read document unless the same content is already stored, and put a new one
    in the outbox for its followers (quiet: the first load or a back-fill, stored but never announced)."""
    shown = source.source_path or "(text)"
    existing = stored_already(store, source)
    if existing is not None:
        return IngestResult(shown, "present", document_id=existing)
    parsed = parser_for(store).parse_source(source)
    [outcome] = save(store, [(source, parsed)], quiet=quiet)
    if isinstance(outcome, Exception):
        raise outcome
    return _result(shown, parsed, outcome)


def _result(shown: str, parsed: ParsedDocument, saved: Saved) -> IngestResult:
    if not saved.added:
        return IngestResult(shown, "present", document_id=saved.document_id)
    return IngestResult(shown, "added", document_id=saved.document_id, findings=Counter(str(f.kind) for f in parsed.findings))


def ingest_sources(store: Store, sources: Iterable[Source | Read | IngestResult], *, quiet: bool = False) -> Iterator[IngestResult]:
    """Save many documents, one result each, in order: a Read (read and parsed in a bounded reader, as every file
    and download is) as it is, a Source (read by a caller that trusts it: the tests, the evaluation, the
    benchmarks) parsed here first; an IngestResult among them (a file that could not be read) is passed on in its
    place. Documents are saved BATCH_DOCUMENTS at a time in one transaction (save): each is still all or nothing,
    and one that fails never stops the rest. New ones go to the outbox unless quiet."""
    slots: list[IngestResult | tuple[str, Source, ParsedDocument]] = []
    size = 0
    for item in sources:
        if isinstance(item, IngestResult):
            slots.append(item)
            continue
        source = item.source if isinstance(item, Read) else item
        shown = source.source_path or "(text)"
        try:
            existing = None if isinstance(item, Read) else stored_already(store, source)  # a Read was looked up before it was read
            if existing is not None:
                slots.append(IngestResult(shown, "present", document_id=existing))
                continue
            slots.append((shown, source, item.parsed if isinstance(item, Read) else parser_for(store).parse_source(source)))
        except Exception as error:  # noqa: BLE001 - one bad document never stops the rest
            slots.append(IngestResult(shown, "failed", f"{type(error).__name__}: {error}"))
            continue
        size += len(source.text)
        if sum(isinstance(slot, tuple) for slot in slots) >= BATCH_DOCUMENTS or size >= BATCH_CHARACTERS:
            yield from _save_batch(store, slots, quiet=quiet)
            slots, size = [], 0
    yield from _save_batch(store, slots, quiet=quiet)


def _save_batch(store: Store, slots: list, *, quiet: bool) -> Iterator[IngestResult]:  # noqa: ANN001
    """Save the parsed documents among `slots` in one transaction; the results of all the slots, in order."""
    pending = [slot for slot in slots if isinstance(slot, tuple)]
    try:
        outcomes = iter(save(store, [(source, parsed) for _, source, parsed in pending], quiet=quiet) if pending else [])
    except Exception as error:  # noqa: BLE001 - the commit failed: none of the batch is stored
        outcomes = iter([error] * len(pending))
    for slot in slots:
        if isinstance(slot, IngestResult):
            yield slot
            continue
        shown, _, parsed = slot
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            yield IngestResult(shown, "failed", f"{type(outcome).__name__}: {outcome}")
        else:
            yield _result(shown, parsed, outcome)


def readers_for(store: Store, limits: Limits | None = None, size: int = READERS) -> Readers:
    """Reader processes that read and parse within the limits, with the store's reference data (size 0: one each)."""
    return Readers(store.reference, limits_for(store, limits), size)


def read_one(store: Store, readers: Readers, file: Path, source_path: str | None) -> Read | IngestResult:
    """A file read and parsed by a reader process, or the result saying why not; one stored already is not read again."""
    shown = source_path or str(file)
    try:
        data = file_bytes(file, readers.limits)  # a regular file within the size limit, or refused unread
        existing = stored_with(store, hashlib.sha256(data).hexdigest())
        if existing is not None:
            return IngestResult(shown, "present", document_id=existing)
        return readers.read(data, file.name, shown)
    except UnreadableDocument as error:
        return IngestResult(shown, "failed", str(error))
    except Exception as error:  # noqa: BLE001 - one bad file never stops the rest
        return IngestResult(shown, "failed", f"{type(error).__name__}: {error}")


def read_ahead(store: Store, readers: Readers, files: Iterable[tuple[Path, str | None]]) -> Iterator[Read | IngestResult]:
    """Each file read and parsed (read_one), in order, by the readers at once: while a batch is saved, the next one
    is read, never more than BATCH_DOCUMENTS documents or BATCH_CHARACTERS bytes of files ahead."""
    with ThreadPoolExecutor(max(1, readers.size)) as pool:
        pending: deque[tuple[Future, int]] = deque()
        ahead = 0
        for file, source_path in files:
            size = file_size(file)
            pending.append((pool.submit(read_one, store, readers, file, source_path), size))
            ahead += size
            while pending and (len(pending) >= BATCH_DOCUMENTS or ahead >= BATCH_CHARACTERS):
                future, done = pending.popleft()
                ahead -= done
                yield future.result()
        for future, _ in pending:
            yield future.result()


def file_size(file: Path) -> int:
    """The size a file says it has (0 when it cannot say: read_one tells why)."""
    try:
        return file.stat().st_size
    except OSError:
        return 0


def ingest_file(store: Store, path: Path, *, source_path: str | None = None, quiet: bool = False, limits: Limits | None = None,
                readers: Readers | None = None) -> IngestResult:
    """Read and parse one file in a bounded reader process (within `limits`; one of `readers` when given), then save
    it, all or nothing."""
    with contextlib.nullcontext(readers) if readers is not None else readers_for(store, limits, size=0) as reading:
        read = read_one(store, reading, path, source_path)
    if isinstance(read, IngestResult):
        return read
    [result] = _save_batch(store, [(read.source.source_path, read.source, read.parsed)], quiet=quiet)
    return result


def ingest_one(store: Store, file: Path, *, source_path: str | None = None, quiet: bool = False, limits: Limits | None = None,
               readers: Readers | None = None) -> IngestResult:
    """Ingest one file, turning any unexpected failure into a failed result with a reason."""
    try:
        return ingest_file(store, file, source_path=source_path, quiet=quiet, limits=limits, readers=readers)
    except Exception as error:  # noqa: BLE001
        return IngestResult(source_path or str(file), "failed", f"{type(error).__name__}: {error}")


def ingest_each(store: Store, files: Iterable[Path], *, quiet: bool = False, limits: Limits | None = None) -> Iterator[IngestResult]:
    """Ingest files one transaction each, in order, one result as each is stored (the command line's progress);
    reader processes are reused, and read the next files while one is saved."""
    with readers_for(store, limits) as readers:
        for read in read_ahead(store, readers, ((file, None) for file in files)):
            yield read if isinstance(read, IngestResult) else next(_save_batch(store, [(read.source.source_path, read.source, read.parsed)], quiet=quiet))


def files_under(paths: Iterable[Path]) -> list[Path]:
    """The files named, and every regular file in the folders named (recursively, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            files.append(path)
    return files


def ingest_paths(store: Store, paths: Iterable[Path], *, quiet: bool = False, limits: Limits | None = None) -> Iterator[IngestResult]:
    """Ingest files and folders (recursively), one result per file, saved in batches; one bad file never stops the rest."""
    with readers_for(store, limits) as readers:
        yield from ingest_sources(store, read_ahead(store, readers, ((file, None) for file in files_under(paths))), quiet=quiet)


def sync_corpus(store: Store, corpus: Path | None = None, *, limits: Limits | None = None) -> list[IngestResult]:
    """Ingest the shipped corpus (quietly: it is the first load, not news): new files are added, those already
    stored are skipped (unread: no reader process starts when all are)."""
    root = Path(str(corpus or CORPUS))
    files = [(file, f"corpus/{file.name}") for file in sorted(root.glob("*"))
             if file.is_file() and not file.name.startswith(".") and file.suffix in CORPUS_SUFFIXES]
    with readers_for(store, limits, size=1) as readers:
        return list(ingest_sources(store, read_ahead(store, readers, files), quiet=True))  # one bad file never stops start-up
