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

from sqlalchemy import Engine, exists, func, insert, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, delete, select

from knowledge.documents.parsing import ParsedDocument
from knowledge.documents.reading import RANKS, Limits, Source
from knowledge.matching import MentionFinder, Resolver, normalise
from knowledge.models import Alias, Announcement, ChatContext, Delivery, Document, Finding, Follow, Grade, Meta, Organisation, Place, SyncPage, Word
from knowledge.reference import Reference, load_reference
from knowledge.state import chats, database, search
from knowledge.state.database import make_engine, retrying, startup_lock, upgrade
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

    def organisations_in(self, document_id: int) -> list[str]:
        """Organisations that a document has findings about."""
        with self.session() as session:
            rows = session.exec(
                select(Finding.organisation_id).where(Finding.document_id == document_id, Finding.organisation_id.is_not(None)).distinct()
            ).all()
        return sorted(rows)

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

    # -- syncing from the web, the outbox of announcements, leases (issue 12) ---------------------

    ADOPT_AFTER = dt.timedelta(minutes=1)  # a stored document with no outbox row is taken into the outbox after this long

    def sync_pages(self, urls: Iterable[str]) -> dict[str, SyncPage]:
        """What the sync recorded of these URLs last time, by URL."""
        wanted = list(dict.fromkeys(urls))
        found: dict[str, SyncPage] = {}
        with self.session() as session:
            for start in range(0, len(wanted), 500):
                found.update((p.url, p) for p in session.exec(select(SyncPage).where(SyncPage.url.in_(wanted[start : start + 500]))).all())
        return found

    def failed_sync_pages(self, source: str) -> list[str]:
        """URLs of a source's entries whose last sync failed (tried again even when the source has not changed)."""
        with self.session() as session:
            return list(session.exec(select(SyncPage.url).where(SyncPage.source == source, SyncPage.outcome == "failed", SyncPage.page_url.is_(None))
                                     .order_by(SyncPage.checked_at)).all())

    def source_synced(self, source: str) -> bool:
        """Whether a sync has read this feed or listing before (its first sync is a quiet back-fill)."""
        with self.session() as session:
            return session.exec(select(SyncPage.url).where(SyncPage.source == source).limit(1)).first() is not None

    def record_sync(self, pages: list[dict], *, added: Iterable[int] = (), quiet: bool = False) -> None:
        """Remember what the server said of each page (url, source, etag, last_modified, content_hash,
        document_id, outcome, reason, page_url) and when, the newest record of a URL replacing the last; and put
        the documents `added` in the outbox (quiet: never announced), in the same transaction."""
        if not pages:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        outbox = [self._outbox_row(d, quiet) for d in added]
        rows = [{"source": None, "page_url": None, "etag": None, "last_modified": None, "content_hash": None, "document_id": None,
                 "reason": None, **page, "checked_at": now} for page in pages]
        upsert = (sqlite_insert if self.is_sqlite else postgresql_insert)(SyncPage)
        upsert = upsert.on_conflict_do_update(index_elements=["url"], set_={c: upsert.excluded[c] for c in rows[0] if c != "url"})

        def write() -> None:
            with self._core_writing() as conn:
                conn.execute(upsert, rows)
                if outbox:
                    conn.execute(self._outbox_insert(), outbox)

        retrying(write)

    def _outbox_insert(self):  # noqa: ANN202 - an INSERT that leaves a row already there alone
        return (sqlite_insert if self.is_sqlite else postgresql_insert)(Announcement).on_conflict_do_nothing()

    @staticmethod
    def _outbox_row(document_id: int, quiet: bool) -> dict:
        """A newly stored document's outbox row; a quiet one (first load, back-fill) is marked announced at once."""
        now = dt.datetime.now(dt.UTC)
        return {"document_id": document_id, "created_at": now, "quiet": quiet, "announced_at": now.replace(tzinfo=None) if quiet else None}

    def claim_announcements(self, worker: str, limit: int = 20, stale: dt.timedelta = dt.timedelta(minutes=5)) -> list[int]:
        """Take up to `limit` documents still to announce for this worker, oldest first. A claim older than
        `stale` (its worker died) is taken over. Two workers never hold one document: on PostgreSQL the rows
        are locked with SKIP LOCKED, on SQLite the write transaction is taken first (BEGIN IMMEDIATE)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        lock = "" if self.is_sqlite else " FOR UPDATE SKIP LOCKED"
        sql = text(
            "UPDATE announcement SET claimed_by = :worker, claimed_at = :now WHERE document_id IN ("
            "SELECT document_id FROM announcement WHERE announced_at IS NULL AND (claimed_at IS NULL OR claimed_at < :stale OR claimed_by = :worker) "
            f"ORDER BY document_id LIMIT :n{lock}) RETURNING document_id"
        )

        self._adopt_orphans(now)

        def write() -> list[int]:
            with self._core_writing() as conn:
                return sorted(row[0] for row in conn.execute(sql, {"worker": worker, "now": now, "stale": now - stale, "n": limit}))

        return retrying(write)

    def _adopt_orphans(self, now: dt.datetime) -> None:
        """A document stored by a path that did not fill the outbox (an older release, a bulk save) is news too,
        once it is ADOPT_AFTER old (by then a quiet load has marked its own documents). Looking means reading every
        document (85 ms at 50,000), so it is done at most once per ADOPT_AFTER, and as a read: the write lock is
        taken only when there is something to add."""
        if self._adopted_at is not None and now - self._adopted_at < self.ADOPT_AFTER:
            return
        self._adopted_at = now
        with self.session() as session:
            orphans = session.exec(
                select(Document.id, Document.ingested_at)
                .where(Document.ingested_at < (now - self.ADOPT_AFTER).replace(tzinfo=dt.UTC), ~exists().where(Announcement.document_id == Document.id))
            ).all()
        if not orphans:
            return
        rows = [{"document_id": d, "created_at": arrived, "quiet": False, "announced_at": None} for d, arrived in orphans]

        def write() -> None:
            with self._core_writing() as conn:
                conn.execute(self._outbox_insert(), rows)  # a row added meanwhile (a quiet load's) is left as it is

        retrying(write)

    def announcement_recipients(self, document_id: int) -> dict[int, list[str]]:
        """Chat id -> the organisations it follows that this document is about, for chats that followed them
        before the document arrived and have not been told yet."""
        orgs = set(self.organisations_in(document_id))
        with self.session() as session:
            document = session.exec(select(Document.subject_id).where(Document.id == document_id)).first()
            if document:
                orgs.add(document)
            if not orgs:
                return {}
            arrived = select(Announcement.created_at).where(Announcement.document_id == document_id).scalar_subquery()
            told = select(Delivery.chat_id).where(Delivery.document_id == document_id)
            rows = session.exec(
                select(Follow.chat_id, Follow.organisation_id)
                .where(Follow.organisation_id.in_(sorted(orgs)), Follow.created_at <= arrived, Follow.chat_id.not_in(told))
                .order_by(Follow.chat_id, Follow.organisation_id)
            ).all()
        out: dict[int, list[str]] = {}
        for chat_id, org in rows:
            out.setdefault(chat_id, []).append(org)
        return out

    def record_delivery(self, document_id: int, chat_id: int) -> bool:
        """Note that a chat was told about a document; False when it had been already."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        stmt = (sqlite_insert if self.is_sqlite else postgresql_insert)(Delivery).values(document_id=document_id, chat_id=chat_id, sent_at=now)
        stmt = stmt.on_conflict_do_nothing().returning(Delivery.chat_id)

        def write() -> bool:
            with self._core_writing() as conn:
                return conn.execute(stmt).first() is not None

        return retrying(write)

    def finish_announcement(self, document_id: int, worker: str) -> None:
        """Mark a claimed document announced (its followers all told)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

        def write() -> None:
            with self._core_writing() as conn:
                conn.execute(update(Announcement).where(Announcement.document_id == document_id, Announcement.claimed_by == worker)
                             .values(announced_at=now))

        retrying(write)

    def pending_announcements(self) -> int:
        """How many documents are still to be announced."""
        with self.session() as session:
            return session.exec(select(func.count()).select_from(Announcement).where(Announcement.announced_at.is_(None))).one()

    def take_lease(self, name: str, holder: str, seconds: float) -> bool:
        """Hold the named job for `seconds` unless another holder's lease is still running; True when held."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        until = now + dt.timedelta(seconds=seconds)

        def write() -> bool:
            with self._core_writing() as conn:
                taken = conn.execute(
                    text("UPDATE lease SET holder = :holder, expires_at = :until WHERE name = :name AND (expires_at < :now OR holder = :holder) RETURNING name"),
                    {"holder": holder, "until": until, "name": name, "now": now},
                ).first()
                if taken is not None:
                    return True
                return conn.execute(
                    text("INSERT INTO lease (name, holder, expires_at) VALUES (:name, :holder, :until) ON CONFLICT (name) DO NOTHING RETURNING name"),
                    {"holder": holder, "until": until, "name": name},
                ).first() is not None

        return retrying(write)

    def release_lease(self, name: str, holder: str) -> None:
        """Let the named job go, if this holder has it."""

        def write() -> None:
            with self._core_writing() as conn:
                conn.execute(text("DELETE FROM lease WHERE name = :name AND holder = :holder"), {"name": name, "holder": holder})

        retrying(write)

    def document_without_text(self, document_id: int) -> Document | None:
        """One document's title, date, links and subject (its text not loaded)."""
        with self.session() as session:
            return session.exec(select(Document).options(defer(Document.text)).where(Document.id == document_id)).first()

    def last_sync(self) -> dt.datetime | None:
        """When the last scheduled or requested sync finished (naive UTC), by whichever worker."""
        with self.session() as session:
            row = session.get(Meta, "sync_finished")
        return dt.datetime.fromisoformat(row.value) if row else None

    def mark_synced(self, when: dt.datetime | None = None) -> None:
        """Note that a sync just finished."""
        value = (when or dt.datetime.now(dt.UTC)).replace(tzinfo=None).isoformat()
        stmt = (sqlite_insert if self.is_sqlite else postgresql_insert)(Meta).values(key="sync_finished", value=value)

        def write() -> None:
            with self._core_writing() as conn:
                conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

        retrying(write)
