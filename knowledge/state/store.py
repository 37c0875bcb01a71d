"""The store: the database behind the knowledge base.

A Store is opened from a SQLAlchemy URL or engine (never from the environment). Saving one parsed
document is one transaction: either the document and all its findings are stored, or nothing is.
Reading and parsing files is knowledge.ingest's job.
"""

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, func, insert, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, delete, select

from knowledge.documents.parsing import ParsedDocument
from knowledge.documents.reading import RANKS, Limits, Source
from knowledge.matching import MentionFinder, Resolver, normalise
from knowledge.models import Alias, Announcement, ChatContext, Document, Finding, Grade, Meta, Organisation, Place, Word
from knowledge.reference import Reference, load_reference
from knowledge.state import chats, database, outbox, search
from knowledge.state.database import make_engine, startup_lock, upgrade
from knowledge.state.search import FindingQuery, Hits, Selection

VOCABULARY_SECONDS = 300  # how stale another worker's new words may be in this one's typo correction
WORD = re.compile(r"[^\W\d_]{3,}")
T = TypeVar("T")



_FINDING_INSERT = (
    'INSERT INTO finding (document_id, organisation_id, published, kind, polarity, text, start, "end", speaker, role, '
    "context, label, deadline, status) VALUES ({})"
)
FINDING_INSERT_SQLITE = _FINDING_INSERT.format(", ".join(["?"] * 14))
FINDING_INSERT_POSTGRESQL = _FINDING_INSERT.format(", ".join(["%s"] * 14))
HAS_FINDINGS = text("SELECT 1 FROM finding WHERE organisation_id = :org LIMIT 1")
DOCUMENT_INSERT = insert(Document).returning(Document.id)  # values given at execution: one cached statement


@dataclass(frozen=True)
class Saved:
    """The stored document's id, and whether this call added it (False: the same content was there)."""

    document_id: int
    added: bool


class Store:
    """A knowledge base in one database: reference data, documents, findings and their search index."""

    def __init__(self, engine: Engine | str, reference: Reference | None = None, limits: Limits = Limits()) -> None:
        self.engine = make_engine(engine) if isinstance(engine, str) else engine
        self.limits = limits
        self._cached: dict[str, tuple[float, object]] = {}  # name -> (when read, value): see _fresh
        self._adopted_at: dt.datetime | None = None  # when _adopt_orphans last looked
        self.reference = reference or load_reference()
        self.mentions = MentionFinder(self.reference)
        self.resolver = Resolver(self.reference)
        with startup_lock(self.engine):
            self.create_schema()
            self.load_reference_data()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self, *, write: bool = False) -> Session:
        """A session; write=True for one that will write (on SQLite its transaction takes the write lock first)."""
        return database.session(self.engine, write=write)

    def writing(self):  # noqa: ANN201 - a Session context manager
        """One write transaction (BEGIN IMMEDIATE on SQLite), committed when the block ends; not tried again."""
        return database.writing(self.engine)

    def _core_writing(self):  # noqa: ANN202 - a Connection context manager
        return self.engine.execution_options(writes=True).begin()

    def reading(self) -> Session:
        """A read session: every statement run through it goes over one connection."""
        return database.session(self.engine)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one write transaction, tried again whole when it meets a lock."""
        return database.write(self.engine, work)

    def create_schema(self) -> None:
        """Bring the schema to the newest migration (creating it on an empty database)."""
        upgrade(self.engine)

    def load_reference_data(self) -> None:
        """Fill organisations, aliases and places; refresh them when the data files change."""
        with self.session(write=True) as session:
            current = session.get(Meta, "reference")
            if current and current.value == self.reference.fingerprint:
                return
            session.exec(delete(Alias))
            session.exec(delete(Place))
            for org in self.reference.organisations.values():
                session.merge(Organisation(id=org.id, name=org.name, kind=org.kind, inspected=org.inspected, inspector=org.inspector))
            session.flush()
            for org in self.reference.organisations.values():
                session.add_all(Alias(organisation_id=org.id, name=a, norm=normalise(a)) for a in org.aliases)
            for place in self.reference.places.values():
                session.add_all(
                    Place(name=place.name, norm=normalise(place.name), kind=place.kind, organisation_id=o)
                    for o in sorted(place.organisations)
                )
            session.merge(Meta(key="reference", value=self.reference.fingerprint))
            session.commit()

    # -- saving a parsed document ------------------------------------------------------------

    def document_with(self, content_hash: str) -> int | None:
        """The id of the stored document with this content, if there is one."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT id FROM document WHERE content_hash = :h"), {"h": content_hash}).scalar()

    def save(self, source: Source, parsed: ParsedDocument, *, quiet: bool | None = None) -> Saved:
        """Store a document and all its findings and grades in one transaction: all of it, or nothing."""
        outcome = self.save_many([(source, parsed)], quiet=quiet)[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def save_many(self, documents: Sequence[tuple[Source, ParsedDocument]], *, quiet: bool | None = None) -> list[Saved | Exception]:
        """Store several documents in one transaction, each all or nothing: each goes in under its own savepoint,
        and one that fails leaves the others in (its error stands in its place in the result). One commit, one
        vocabulary upsert and one flush of the search index serve them all, which costs a fraction of a
        transaction each. If the commit itself fails, it raises and none of them is stored.
        With `quiet` given, each new document enters the outbox in its own savepoint (quiet: the first load or a
        back-fill, never announced); without it the caller records the outbox (a sync records it with its state)."""
        outcomes: list[Saved | Exception] = []
        words: Counter = Counter()
        with self._core_writing() as conn:
            for source, parsed in documents:
                savepoint = conn.begin_nested()
                try:
                    document_id = self._insert_document(conn, source, parsed, words)
                    if quiet is not None:
                        conn.execute(self._outbox_insert(), [self._outbox_row(document_id, quiet)])
                    savepoint.commit()
                    outcomes.append(Saved(document_id, added=True))
                except IntegrityError as error:
                    savepoint.rollback()
                    # No look-up first: the unique content hash refuses a document already stored (by another worker
                    # a moment ago, or earlier in this batch).
                    existing = conn.execute(text("SELECT id FROM document WHERE content_hash = :h"), {"h": source.content_hash}).scalar()
                    outcomes.append(Saved(existing, added=False) if existing is not None else error)
                except Exception as error:  # noqa: BLE001 - this document is not stored; the others still are
                    savepoint.rollback()
                    outcomes.append(error)
            self._count_words(conn, words)
        if any(isinstance(o, Saved) and o.added for o in outcomes):
            self.forget_caches()
        return outcomes

    def _insert_document(self, conn, source: Source, parsed: ParsedDocument, words: Counter) -> int:  # noqa: ANN001
        """Insert one document, its findings and its grades; add its words to `words` only once all are in."""
        document_id = conn.execute(DOCUMENT_INSERT, {
            "title": parsed.title or source.title,
            "publisher": parsed.publisher or source.publisher,
            "section": source.section,
            "doc_type": parsed.doc_type or source.doc_type,
            "rank": RANKS.get(parsed.doc_type or source.doc_type, 1),
            "published": source.published,
            "url": parsed.url or source.url,
            "source_path": source.source_path,
            "subject_id": parsed.subject_id,
            "text": source.text,
            "content_hash": source.content_hash,
            "ingested_at": dt.datetime.now(dt.UTC),
        }).scalar_one()
        findings = parsed.findings
        if not findings:
            return document_id
        text_ = source.text
        quotes = [text_[f.start : f.end] for f in findings]
        # One executemany on the driver's cursor (SQLAlchemy's per-row parameter handling cost a third as much as
        # the insert itself), then the ids by span: RETURNING made the driver insert row by row.
        published = source.published.isoformat() if self.is_sqlite and source.published else source.published
        conn.exec_driver_sql(FINDING_INSERT_SQLITE if self.is_sqlite else FINDING_INSERT_POSTGRESQL, [
            (document_id, f.organisation_id, published, str(f.kind), str(f.polarity), quote, f.start, f.end,
             f.speaker, f.role, f.context, f.label, f.deadline, f.status)
            for f, quote in zip(findings, quotes, strict=True)
        ])
        if any(f.cause is not None or f.grades for f in findings):
            spans = conn.execute(text('SELECT id, start, "end" FROM finding WHERE document_id = :d'), {"d": document_id})
            id_of = {(start, end): finding_id for finding_id, start, end in spans}
            ids = [id_of[(f.start, f.end)] for f in findings]
            grades = []
            for f, finding_id in zip(findings, ids, strict=True):
                if f.cause is not None:
                    conn.execute(update(Finding).where(Finding.id == finding_id).values(cause_id=ids[f.cause]))
                if f.organisation_id:
                    grades += [
                        {"document_id": document_id, "organisation_id": f.organisation_id, "area": area, "grade": grade,
                         "finding_id": finding_id, "cycle": parsed.cycle}
                        for area, grade in f.grades
                    ]
            if grades:
                conn.execute(insert(Grade), grades)
        # Words of every quote and speaker in one pass (a finding's words, lower-cased, as the vocabulary counts them).
        speakers = " ".join(f.speaker for f in findings if f.speaker)
        words.update(w.lower() for w in WORD.findall(" ".join(quotes) + " " + speakers))
        return document_id

    def _count_words(self, conn, words: Counter) -> None:  # noqa: ANN001
        """Add to the vocabulary in one upsert, safe when two workers ingest at once."""
        if words:
            # On the driver's cursor: SQLAlchemy's per-row overhead cost more than the upsert itself.
            conn.exec_driver_sql(
                "INSERT INTO word (word, count) VALUES (%s, %s) ON CONFLICT (word) DO UPDATE SET count = word.count + excluded.count"
                if not self.is_sqlite else
                "INSERT INTO word (word, count) VALUES (?, ?) ON CONFLICT (word) DO UPDATE SET count = word.count + excluded.count",
                sorted(words.items()),
            )

    # -- reading back -----------------------------------------------------------------------

    def _fresh(self, name: str, read: Callable[[], T]) -> T:
        """A value read from the database, kept until this store ingests or VOCABULARY_SECONDS pass (another
        worker may have ingested meanwhile)."""
        now = time.monotonic()
        hit = self._cached.get(name)
        if hit is None or now - hit[0] > VOCABULARY_SECONDS:
            hit = self._cached[name] = (now, read())
        return hit[1]  # type: ignore[return-value]

    @property
    def vocabulary(self) -> dict[str, int]:
        """Every word of every finding, with how often it occurs (for correcting misspelt topics); cached."""

        def read() -> dict[str, int]:
            with self.session() as session:
                return dict(session.exec(select(Word.word, Word.count)).all())

        return self._fresh("vocabulary", read)

    def forget_caches(self) -> None:
        """Drop what was cached from the database."""
        self._cached.clear()

    def organisations_with_findings(self, *, cached: bool = False) -> dict[str, int]:
        """Organisation id -> number of findings, for organisations that have any. With cached, a copy at most
        VOCABULARY_SECONDS old (for help texts: a GROUP BY over every finding costs ~0.1 s at a million)."""
        if cached:
            return self._fresh("held", self.organisations_with_findings)
        with self.session() as session:
            rows = session.exec(
                select(Finding.organisation_id, func.count()).where(Finding.organisation_id.is_not(None)).group_by(Finding.organisation_id)
            ).all()
        return {org: n for org, n in rows}

    def documents(self, limit: int | None = None, *, by_ingest: bool = False) -> list[Document]:
        """Stored documents, newest published (or, with by_ingest, newest added) first; their text is not loaded."""
        order = (Document.ingested_at.desc(), Document.id.desc()) if by_ingest else (Document.published.desc().nulls_last(), Document.id.desc())
        with self.session() as session:
            stmt = select(Document).options(defer(Document.text)).order_by(*order).limit(limit)
            return list(session.exec(stmt).all())

    def document_count(self) -> int:
        with self.session() as session:
            return session.exec(select(func.count()).select_from(Document)).one()

    # -- delegates: each opens a session and calls the function of knowledge.state that does the work. They
    # remain until the callers (knowledge.questions, bot/) read and write through sessions themselves.

    def follow(self, chat_id: int, organisation_id: str) -> bool:
        return self.write(lambda s: chats.follow(s, chat_id, organisation_id))

    def unfollow(self, chat_id: int, organisation_id: str | None = None) -> int:
        return self.write(lambda s: chats.unfollow(s, chat_id, organisation_id))

    def following(self, chat_id: int) -> list[str]:
        with self.reading() as session:
            return chats.following(session, chat_id)

    def forget(self, chat_id: int | None, user_id: int | None = None) -> int:
        return self.write(lambda s: chats.forget(s, chat_id, user_id))

    def prune(self, now: dt.datetime | None = None) -> int:
        return self.write(lambda s: chats.prune(s, now))

    def save_context(self, chat_id: int, organisations: list[str], intent: str | None, words: list[str], now: dt.datetime | None = None) -> None:
        self.write(lambda s: chats.save_context(s, chat_id, organisations, intent, words, now))

    def load_context(self, chat_id: int, max_age: dt.timedelta = chats.CONTEXT_AGE, now: dt.datetime | None = None) -> ChatContext | None:
        with self.reading() as session:
            return chats.load_context(session, chat_id, max_age, now)

    def take_quota(self, user_id: int, limit: int, now: dt.datetime | None = None) -> int:  # the limit is the caller's to apply
        return self.write(lambda s: chats.take_quota(s, user_id, now))

    def announcement_recipients(self, document_id: int) -> dict[int, list[str]]:
        with self.reading() as session:
            return outbox.announcement_recipients(session, document_id)

    def record_delivery(self, document_id: int, chat_id: int) -> bool:
        return self.write(lambda s: outbox.record_delivery(s, document_id, chat_id))

    def finish_announcement(self, document_id: int, worker: str) -> None:
        self.write(lambda s: outbox.finish_announcement(s, document_id, worker))

    def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        return self.write(lambda s: outbox.take_lease(s, name, holder, seconds))

    def release_lease(self, name: str, holder: str) -> None:
        self.write(lambda s: outbox.release_lease(s, name, holder))

    def last_sync(self) -> dt.datetime | None:
        with self.reading() as session:
            return outbox.last_sync(session)

    def mark_synced(self, when: dt.datetime | None = None) -> None:
        self.write(lambda s: outbox.mark_synced(s, when))

    # -- search ---------------------------------------------------------------------------------

    def finding_counts(self) -> dict[str, int]:
        """Every organisation's number of findings (0 for none), at most VOCABULARY_SECONDS old: what search needs
        to choose the cheaper index query."""
        held = self.organisations_with_findings(cached=True)
        return {o: held.get(o, 0) for o in self.reference.organisations}

    def search(self, groups: list[list[str] | str], organisations: list[str] | None = None, limit: int = 200, *, any_group: bool = False, national: bool = False) -> Hits:
        with self.session() as session:
            return search.search(session, groups, organisations, limit, any_group=any_group, national=national, counts=self.finding_counts)

    def select(self, q: FindingQuery, *, offset: int = 0, limit: int = 24) -> Selection:
        with self.session() as session:
            return search.select(session, q, offset=offset, limit=limit)

    def finding(self, finding_id: int) -> tuple[Finding, Document] | None:
        """One finding and its document (text not loaded), for citing it on its own."""
        with self.session() as session:
            finding = session.get(Finding, finding_id)
            if finding is None:
                return None
            document = session.exec(select(Document).options(defer(Document.text)).where(Document.id == finding.document_id)).one()
        return finding, document

    def grade_history(self, organisation_id: str) -> list[tuple[str, str, str | None, Document]]:
        """Every (area, grade, cycle, document) recorded for an organisation, newest document first, in the
        document's order within one: the grades per area across its inspections."""
        with self.session() as session:
            rows = session.exec(
                select(Grade.area, Grade.grade, Grade.cycle, Grade.document_id).where(Grade.organisation_id == organisation_id).order_by(Grade.id)
            ).all()
            ids = {r[3] for r in rows}
            documents = {d.id: d for d in session.exec(select(Document).options(defer(Document.text)).where(Document.id.in_(ids))).all()} if ids else {}
        newest = sorted(documents.values(), key=lambda d: (d.published is not None, d.published or dt.date.min, d.id), reverse=True)
        rank = {d.id: i for i, d in enumerate(newest)}
        return sorted(((a, g, c, documents[d]) for a, g, c, d in rows), key=lambda r: rank[r[3].id])

    def monitoring_mentions(self, organisation_id: str) -> tuple[list[str], Document] | None:
        """The Engage entries and exits that the newest document mentioning any records, in its order, with it."""
        with self.session() as session:
            engage = (Finding.organisation_id == organisation_id, Finding.status.in_(("engage_entered", "engage_exited")))
            newest = session.exec(
                select(Finding.document_id).where(*engage).order_by(Finding.published.desc().nulls_last(), Finding.document_id.desc()).limit(1)
            ).first()
            if newest is None:
                return None
            statuses = session.exec(select(Finding.status).where(*engage, Finding.document_id == newest).order_by(Finding.start)).all()
            document = session.exec(select(Document).options(defer(Document.text)).where(Document.id == newest)).one()
        return list(statuses), document

    @property
    def speakers(self) -> dict[str, tuple[str, ...]]:
        """Normalised full names and surnames of everyone quoted -> their full names; cached like vocabulary."""

        def read() -> dict[str, tuple[str, ...]]:
            with self.session() as session:
                names = session.exec(select(Finding.speaker).where(Finding.speaker.is_not(None)).distinct()).all()
            index: dict[str, tuple[str, ...]] = {}
            for name in sorted(names):
                words = normalise(re.sub(r"^(?:Sir|Dame|Dr|Mr|Mrs|Ms|Lord|Lady)\s+", "", name)).split()
                keys = {" ".join(words)} | ({words[-1], " ".join(words[-2:])} if len(words) >= 2 else set())
                for key in keys:
                    if len(key) >= 3:
                        index[key] = tuple(dict.fromkeys((*index.get(key, ()), name)))
            return index

        return self._fresh("speakers", read)

    def published_between(self, organisation_ids: Iterable[str], since: dt.date | None, until: dt.date | None) -> set[str]:
        """Which of these organisations have a finding published in the range (one index probe each)."""
        found = set()
        with self.session() as session:
            for org in organisation_ids:
                stmt = select(Finding.id).where(Finding.organisation_id == org)
                if since:
                    stmt = stmt.where(Finding.published >= since)
                if until:
                    stmt = stmt.where(Finding.published <= until)
                if session.exec(stmt.limit(1)).first() is not None:
                    found.add(org)
        return found

    def search_index_paused(self):  # noqa: ANN201 - a context manager
        return search.search_index_paused(self.engine)

    def has_findings(self, organisation_ids: Iterable[str]) -> set[str]:
        """Which of these organisations have at least one finding (one index probe each)."""
        found = set()
        with self.engine.connect() as conn:
            for org in organisation_ids:
                if conn.execute(HAS_FINDINGS, {"org": org}).first() is not None:
                    found.add(org)
        return found

    # -- the outbox: claiming documents to announce, and taking in documents stored without it --------------

    ADOPT_AFTER = outbox.ADOPT_AFTER

    def claim_announcements(self, worker: str, limit: int = 20, stale: dt.timedelta = outbox.CLAIM_STALE) -> list[int]:
        """Take up to `limit` documents still to announce for this worker, oldest first (outbox.claim_announcements),
        after taking in the documents stored without an outbox row, when it is time to look (_adopt_orphans)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
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

    def _outbox_insert(self):  # noqa: ANN202 - an INSERT that leaves a row already there alone
        return (sqlite_insert if self.is_sqlite else postgresql_insert)(Announcement).on_conflict_do_nothing()

    @staticmethod
    def _outbox_row(document_id: int, quiet: bool) -> dict:
        """A newly stored document's outbox row; a quiet one (first load, back-fill) is marked announced at once."""
        now = dt.datetime.now(dt.UTC)
        return {"document_id": document_id, "created_at": now, "quiet": quiet, "announced_at": now.replace(tzinfo=None) if quiet else None}

    def document_without_text(self, document_id: int) -> Document | None:
        """One document's title, date, links and subject (its text not loaded)."""
        with self.session() as session:
            return session.exec(select(Document).options(defer(Document.text)).where(Document.id == document_id)).first()
