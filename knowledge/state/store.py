"""The store: documents, their findings and grades, the reference data, and the caches every answer reads.

A Store is opened from a SQLAlchemy URL or engine (never from the environment): it brings the schema up to date,
loads the reference data and hands out sessions (reading(), writing(), write()). The functions here take a
session. What they save are plain rows (DocumentRow, FindingRow, GradeRow): knowledge.ingest makes them from what
was read and parsed, so the store knows nothing of reading or parsing. A document is stored all or nothing.
"""

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, func, insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, delete, select

from knowledge.matching import normalise
from knowledge.models import Alias, Document, Finding, Grade, Meta, Organisation, Place, Word
from knowledge.reference import Reference, load_reference
from knowledge.state import database, outbox, records
from knowledge.state.database import make_engine, naive_utc, on_sqlite, startup_lock, upgrade

VOCABULARY_SECONDS = 300  # how stale another worker's new words may be in this one's typo correction
WORD = re.compile(r"[^\W\d_]{3,}")
TITLES = re.compile(r"^(?:Sir|Dame|Dr|Mr|Mrs|Ms|Lord|Lady)\s+")
T = TypeVar("T")

_FINDING_INSERT = (
    'INSERT INTO finding (document_id, organisation_id, published, kind, polarity, text, start, "end", speaker, role, '
    "context, label, deadline, status, speech) VALUES ({})"
)
FINDING_INSERT_SQLITE = _FINDING_INSERT.format(", ".join(["?"] * 15))
FINDING_INSERT_POSTGRESQL = _FINDING_INSERT.format(", ".join(["%s"] * 15))
_WORD_UPSERT = "INSERT INTO word (word, count) VALUES ({0}, {0}) ON CONFLICT (word) DO UPDATE SET count = word.count + excluded.count"
HAS_FINDINGS = text("SELECT 1 FROM finding WHERE organisation_id = :org LIMIT 1")
DOCUMENT_INSERT = insert(Document).returning(Document.id)  # values given at execution: one cached statement


@dataclass(frozen=True)
class FindingRow:
    """A finding to store: a span of its document's text, and what it is."""

    start: int
    end: int
    kind: str
    polarity: str
    organisation_id: str | None = None
    speaker: str | None = None
    role: str | None = None
    context: str | None = None
    label: str | None = None
    deadline: str | None = None
    status: str | None = None
    cause: int | None = None  # a recommendation's cause of concern: its index among the document's findings
    speech: str | None = None  # a statement's words: direct (in quotation marks) | reported (the publisher's account)


@dataclass(frozen=True)
class GradeRow:
    """A grade one of the document's findings records (`finding`: its index among them)."""

    finding: int
    organisation_id: str
    area: str
    grade: str
    cycle: str | None = None


@dataclass(frozen=True)
class DocumentRow:
    """A document to store with its findings and grades, as knowledge.ingest makes it from a read and parsed file."""

    text: str
    content_hash: str
    title: str | None = None
    publisher: str | None = None
    section: str | None = None
    doc_type: str = "article"
    rank: int = 1
    published: dt.date | None = None
    url: str | None = None
    source_path: str | None = None
    subject_id: str | None = None
    findings: tuple[FindingRow, ...] = ()
    grades: tuple[GradeRow, ...] = ()


@dataclass(frozen=True)
class Saved:
    """The stored document's id, and whether this call added it (False: the same content was there)."""

    document_id: int
    added: bool


# -- saving documents --------------------------------------------------------------------------------------


def document_with(session: Session, content_hash: str) -> int | None:
    """The id of the stored document with this content, if there is one."""
    return session.connection().execute(text("SELECT id FROM document WHERE content_hash = :h"), {"h": content_hash}).scalar()


def save_documents(session: Session, documents: Sequence[DocumentRow]) -> list[Saved | Exception]:
    """Store documents in the session's write transaction, each all or nothing under its own savepoint: one that
    fails leaves the others in (its error stands in its place in the result), and one whose content is stored
    already gives Saved(its id, added=False). One vocabulary upsert serves them all."""
    outcomes: list[Saved | Exception] = []
    words: Counter = Counter()
    for document in documents:
        savepoint = session.begin_nested()
        try:
            document_id = insert_document(session, document, words)
            savepoint.commit()
            outcomes.append(Saved(document_id, added=True))
        except IntegrityError as error:
            savepoint.rollback()
            # No look-up first: the unique content hash refuses a document already stored (by another worker
            # a moment ago, or earlier in this batch).
            existing = document_with(session, document.content_hash)
            outcomes.append(Saved(existing, added=False) if existing is not None else error)
        except Exception as error:  # noqa: BLE001 - this document is not stored; the others still are
            savepoint.rollback()
            outcomes.append(error)
    count_words(session, words)
    return outcomes


def insert_document(session: Session, document: DocumentRow, words: Counter) -> int:
    """Insert one document, its findings and its grades; add its words to `words` only once all are in."""
    conn = session.connection()
    values = {name: getattr(document, name) for name in ("title", "publisher", "section", "doc_type", "rank", "published", "url",
                                                          "source_path", "subject_id", "text", "content_hash")}
    document_id = conn.execute(DOCUMENT_INSERT, values | {"ingested_at": dt.datetime.now(dt.UTC)}).scalar_one()
    findings = document.findings
    if not findings:
        return document_id
    quotes = [document.text[f.start : f.end] for f in findings]
    # One executemany on the driver's cursor (SQLAlchemy's per-row parameter handling cost a third as much as
    # the insert itself), then the ids by span: RETURNING made the driver insert row by row.
    sqlite = on_sqlite(session)
    published = document.published.isoformat() if sqlite and document.published else document.published
    conn.exec_driver_sql(FINDING_INSERT_SQLITE if sqlite else FINDING_INSERT_POSTGRESQL, [
        (document_id, f.organisation_id, published, str(f.kind), str(f.polarity), quote, f.start, f.end,
         f.speaker, f.role, f.context, f.label, f.deadline, f.status, f.speech)
        for f, quote in zip(findings, quotes, strict=True)
    ])
    if document.grades or any(f.cause is not None for f in findings):
        link_findings(session, document_id, document)
    # Words of every quote and speaker in one pass (a finding's words, lower-cased, as the vocabulary counts them).
    speakers = " ".join(f.speaker for f in findings if f.speaker)
    words.update(w.lower() for w in WORD.findall(" ".join(quotes) + " " + speakers))
    return document_id


def link_findings(session: Session, document_id: int, document: DocumentRow) -> None:
    """Point recommendations at their causes of concern, and store the grades with their findings' ids."""
    conn = session.connection()
    spans = conn.execute(text('SELECT id, start, "end" FROM finding WHERE document_id = :d'), {"d": document_id})
    id_of = {(start, end): finding_id for finding_id, start, end in spans}
    ids = [id_of[(f.start, f.end)] for f in document.findings]
    for f, finding_id in zip(document.findings, ids, strict=True):
        if f.cause is not None:
            conn.execute(update(Finding).where(Finding.id == finding_id).values(cause_id=ids[f.cause]))
    if document.grades:
        conn.execute(insert(Grade), [
            {"document_id": document_id, "organisation_id": g.organisation_id, "area": g.area, "grade": g.grade, "finding_id": ids[g.finding], "cycle": g.cycle}
            for g in document.grades
        ])


def count_words(session: Session, words: Counter) -> None:
    """Add to the vocabulary in one upsert, safe when two workers ingest at once."""
    if words:
        # On the driver's cursor: SQLAlchemy's per-row overhead cost more than the upsert itself.
        sql = _WORD_UPSERT.format("?" if on_sqlite(session) else "%s")
        session.connection().exec_driver_sql(sql, sorted(words.items()))


def load_reference_data(session: Session, reference: Reference) -> None:
    """Fill organisations, aliases and places; refresh them when the data files change."""
    current = session.get(Meta, "reference")
    if current and current.value == reference.fingerprint:
        return
    session.exec(delete(Alias))
    session.exec(delete(Place))
    for org in reference.organisations.values():
        session.merge(Organisation(id=org.id, name=org.name, kind=org.kind, inspected=org.inspected, inspector=org.inspector))
    session.flush()
    for org in reference.organisations.values():
        session.add_all(Alias(organisation_id=org.id, name=a, norm=normalise(a)) for a in org.aliases)
    for place in reference.places.values():
        session.add_all(Place(name=place.name, norm=normalise(place.name), kind=place.kind, organisation_id=o) for o in sorted(place.organisations))
    session.merge(Meta(key="reference", value=reference.fingerprint))


# -- reading back -----------------------------------------------------------------------------------------


def documents(session: Session, limit: int | None = None, *, by_ingest: bool = False) -> list[Document]:
    """Stored documents, newest published (or, with by_ingest, newest added) first; their text is not loaded."""
    order = (Document.ingested_at.desc(), Document.id.desc()) if by_ingest else (Document.published.desc().nulls_last(), Document.id.desc())
    return list(session.exec(select(Document).options(defer(Document.text)).order_by(*order).limit(limit)).all())


def document_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Document)).one()


def document_without_text(session: Session, document_id: int) -> Document | None:
    """One document's title, date, links and subject (its text not loaded)."""
    return session.exec(select(Document).options(defer(Document.text)).where(Document.id == document_id)).first()


def finding(session: Session, finding_id: int) -> tuple[Finding, Document] | None:
    """One finding and its document (text not loaded), for citing it on its own."""
    found = session.get(Finding, finding_id)
    if found is None:
        return None
    return found, session.exec(select(Document).options(defer(Document.text)).where(Document.id == found.document_id)).one()


def organisations_with_findings(session: Session) -> dict[str, int]:
    """Organisation id -> number of findings, for organisations that have any."""
    rows = session.exec(select(Finding.organisation_id, func.count()).where(Finding.organisation_id.is_not(None)).group_by(Finding.organisation_id)).all()
    return {org: n for org, n in rows}


def has_findings(session: Session, organisation_ids: Iterable[str]) -> set[str]:
    """Which of these organisations have at least one finding (one index probe each)."""
    conn = session.connection()
    return {org for org in organisation_ids if conn.execute(HAS_FINDINGS, {"org": org}).first() is not None}


def published_between(session: Session, organisation_ids: Iterable[str], since: dt.date | None, until: dt.date | None) -> set[str]:
    """Which of these organisations have a finding published in the range (one index probe each)."""
    found = set()
    for org in organisation_ids:
        stmt = select(Finding.id).where(Finding.organisation_id == org)
        if since:
            stmt = stmt.where(Finding.published >= since)
        if until:
            stmt = stmt.where(Finding.published <= until)
        if session.exec(stmt.limit(1)).first() is not None:
            found.add(org)
    return found


def vocabulary(session: Session) -> dict[str, int]:
    """Every word of every finding, with how often it occurs (for correcting misspelt topics)."""
    return dict(session.exec(select(Word.word, Word.count)).all())


def speaker_index(session: Session) -> dict[str, tuple[str, ...]]:
    """Normalised full names and surnames of everyone quoted -> their full names."""
    names = session.exec(select(Finding.speaker).where(Finding.speaker.is_not(None)).distinct()).all()
    index: dict[str, tuple[str, ...]] = {}
    for name in sorted(names):
        words = normalise(TITLES.sub("", name)).split()
        keys = {" ".join(words)} | ({words[-1], " ".join(words[-2:])} if len(words) >= 2 else set())
        for key in keys:
            if len(key) >= 3:
                index[key] = tuple(dict.fromkeys((*index.get(key, ()), name)))
    return index


class Store:
    """A knowledge base in one database: its engine, its reference data, and caches of what answers read often."""

    ADOPT_AFTER = outbox.ADOPT_AFTER  # a stored document with no outbox row is taken into the outbox after this long

    def __init__(self, engine: Engine | str, reference: Reference | None = None) -> None:
        self.engine = make_engine(engine) if isinstance(engine, str) else engine
        self._cached: dict[str, tuple[float, object]] = {}  # name -> (when read, value): see _fresh
        self._adopted_at: dt.datetime | None = None  # when _adopt_orphans last looked
        self.reference = reference or load_reference()
        with startup_lock(self.engine):
            upgrade(self.engine)  # the schema at the newest migration (made on an empty database)
            with self.writing() as session:
                load_reference_data(session, self.reference)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def reading(self) -> Session:
        """A read session: every statement run through it goes over one connection."""
        return database.session(self.engine)

    def writing(self):  # noqa: ANN201 - a Session context manager
        """One write transaction (BEGIN IMMEDIATE on SQLite), committed when the block ends; not tried again."""
        return database.writing(self.engine)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction, tried again whole when it meets a lock."""
        return database.write(self.engine, work)

    def session(self, *, write: bool = False) -> Session:
        """A session that commits when told; write=True for one that will write (on SQLite its transaction takes
        the write lock first)."""
        return database.session(self.engine, write=write)

    # -- caches: read from the database, kept until this store saves documents or VOCABULARY_SECONDS pass -------

    def _fresh(self, name: str, read: Callable[[Session], T]) -> T:
        """A value read from the database, kept until this store ingests or VOCABULARY_SECONDS pass (another
        worker may have ingested meanwhile)."""
        now = time.monotonic()
        hit = self._cached.get(name)
        if hit is None or now - hit[0] > VOCABULARY_SECONDS:
            with self.reading() as session:
                hit = self._cached[name] = (now, read(session))
        return hit[1]  # type: ignore[return-value]

    def forget_caches(self) -> None:
        """Drop what was cached from the database (after saving documents)."""
        self._cached.clear()

    @property
    def vocabulary(self) -> dict[str, int]:
        """Every word of every finding, with how often it occurs (for correcting misspelt topics); cached."""
        return self._fresh("vocabulary", vocabulary)

    @property
    def speakers(self) -> dict[str, tuple[str, ...]]:
        """Normalised full names and surnames of everyone quoted -> their full names; cached."""
        return self._fresh("speakers", speaker_index)

    def newest_documents(self) -> dict[str, dt.date]:
        """Organisation id -> the date of its newest finding's document; cached as the vocabulary is."""
        return self._fresh("newest", records.newest_published)

    def organisations_with_findings(self, *, cached: bool = False) -> dict[str, int]:
        """Organisation id -> number of findings, for organisations that have any. With cached, a copy at most
        VOCABULARY_SECONDS old (for help texts: a GROUP BY over every finding costs ~0.1 s at a million)."""
        if cached:
            return self._fresh("held", organisations_with_findings)
        with self.reading() as session:
            return organisations_with_findings(session)

    def finding_counts(self) -> dict[str, int]:
        """Every organisation's number of findings (0 for none), cached: what search asks for to choose the
        cheaper of two index queries."""
        held = self.organisations_with_findings(cached=True)
        return {o: held.get(o, 0) for o in self.reference.organisations}

    # -- the outbox: documents to announce, and documents stored without an outbox row --------------------

    def claim_announcements(self, worker: str, limit: int = 20, stale: dt.timedelta = outbox.CLAIM_STALE) -> list[int]:
        """Take up to `limit` documents still to announce for this worker, oldest first (outbox.claim_announcements),
        after taking in the documents stored without an outbox row, when it is time to look (_adopt_orphans)."""
        now = naive_utc()
        self._adopt_orphans(now)
        return self.write(lambda s: outbox.claim_announcements(s, worker, limit, stale, now))

    def _adopt_orphans(self, now: dt.datetime) -> None:
        """A document stored by a path that did not fill the outbox is news too, once it is ADOPT_AFTER old.
        Looking means reading every document (85 ms at 50,000), so it is done at most once per ADOPT_AFTER, and
        as a read: the write lock is taken only when there is something to add."""
        if self._adopted_at is not None and now - self._adopted_at < self.ADOPT_AFTER:
            return
        self._adopted_at = now
        with self.reading() as session:
            found = outbox.orphans(session, now, self.ADOPT_AFTER)
        if found:
            self.write(lambda s: outbox.adopt(s, found))

