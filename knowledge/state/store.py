"""The store: the database behind the knowledge base.

A Store is opened from a SQLAlchemy URL or engine (never from the environment). Saving one parsed
document is one transaction: either the document and all its findings are stored, or nothing is.
Reading and parsing files is knowledge.ingest's job.
"""

import datetime as dt
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, Integer, String, any_, bindparam, case, distinct, exists, func, insert, or_, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, delete, select

from knowledge.documents.parsing import ParsedDocument
from knowledge.documents.reading import RANKS, Limits, Source
from knowledge.matching import MentionFinder, Resolver, normalise
from knowledge.models import Alias, Announcement, ChatContext, Delivery, Document, Finding, Follow, Grade, Kind, Meta, Organisation, Place, Quota, SyncPage, Word
from knowledge.reference import Reference, load_reference
from knowledge.state import database
from knowledge.state.database import make_engine, retrying, startup_lock, upgrade

VOCABULARY_SECONDS = 300  # how stale another worker's new words may be in this one's typo correction
WORD = re.compile(r"[^\W\d_]{3,}")
T = TypeVar("T")

CONTEXT_MINUTES = 30  # a chat's last-question context is pruned after this long
SEARCH_WORD = re.compile(r"[^\W_]+")
PRIORITY_DOCUMENTS = 8  # an overview orders the findings of this many newest documents by seriousness
PRIORITY_WINDOW = 400  # newest findings read to find those documents
COUNT_CAP = 1000  # matches counted at most: past this an answer says "more than 1,000"
MAX_PHRASES = 24  # per topic group: enough for a topic's synonyms, few enough for a quick index query
CONTEXT_AGE = dt.timedelta(minutes=CONTEXT_MINUTES)  # how long a chat's last question is remembered for follow-ups
SMALL_WORDS = frozenset("a an and are as at be by for from in into is it of on or the to with".split())  # see fts_phrase
ENGAGE = ("engage_entered", "engage_exited")  # the statuses that record entering or leaving enhanced monitoring
KIND_ORDER = {Kind.cause_of_concern: 0, Kind.recommendation: 1, Kind.area_for_improvement: 2, Kind.grade: 3, Kind.strength: 4, Kind.statement: 5, Kind.context: 6}


_FINDING_INSERT = (
    'INSERT INTO finding (document_id, organisation_id, published, kind, polarity, text, start, "end", speaker, role, '
    "context, label, deadline, status) VALUES ({})"
)
FINDING_INSERT_SQLITE = _FINDING_INSERT.format(", ".join(["?"] * 14))
FINDING_INSERT_POSTGRESQL = _FINDING_INSERT.format(", ".join(["%s"] * 14))
HAS_FINDINGS = text("SELECT 1 FROM finding WHERE organisation_id = :org LIMIT 1")
DOCUMENT_INSERT = insert(Document).returning(Document.id)  # values given at execution: one cached statement
FINDING_COLUMNS = tuple(Finding.__table__.columns)  # a selection's rows: every column, read as plain rows
DOCUMENT_COLUMNS = tuple(c for c in Document.__table__.columns if c.name != "text")  # a citation's document, without its text
ORG_SQL = "'org' || replace(coalesce({row}.organisation_id, 'none'), '-', '')"  # as in migration 0004


def org_token(organisation_id: str) -> str:
    """The one search-index token for an organisation: 'greater-manchester' -> 'orggreatermanchester'."""
    return "org" + organisation_id.replace("-", "")


def without_longer(phrases: list[str]) -> list[str]:
    """The phrases of one group ("any of these") less those that hold another of them word for word: whatever
    matches "emergency calls" matches "emergency", so the index need not check "emergency calls" at all."""
    padded = [f" {p} " for p in phrases]
    return [p for p, long in zip(phrases, padded, strict=True) if not any(q != long and q in long for q in padded)]


def fts_phrase(phrase: str) -> str:
    """An FTS5 phrase for the search index. Words such as "and" and "of" are in nearly every finding, and
    checking their positions at every candidate made phrases like "stop and search" cost ten times a word: as
    PostgreSQL's english configuration drops them, so does this, keeping the other words within that many
    words of each other ("stop and search" -> NEAR("stop" "search", 1))."""
    words = phrase.split()
    kept = [w for w in words if w not in SMALL_WORDS]
    if len(kept) == len(words) or not kept:
        return '"' + phrase + '"'
    if len(kept) == 1:
        return '"' + kept[0] + '"'
    return "NEAR(" + " ".join('"' + w + '"' for w in kept) + f", {len(words) - len(kept)})"


@dataclass(frozen=True)
class Hits:
    """Search results: the most recently added matching ids (at most the limit), and the number in all
    (counted up to COUNT_CAP + 1)."""

    ids: list[int]
    total: int


@dataclass(frozen=True)
class FindingQuery:
    """What an answer selects: every field narrows it; None and empty mean no restriction."""

    organisations: tuple[str, ...] | None = None
    national: bool = False  # with organisations: findings about no single organisation (national reports) too
    kinds: frozenset[str] = frozenset()
    context_polarities: frozenset[str] = frozenset()  # context findings (no kind of their own) of these polarities
    polarities: frozenset[str] = frozenset()  # every finding of these polarities only
    ids: tuple[int, ...] | None = None  # from a search
    document_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    title_words: tuple[str, ...] = ()  # the document's title or section holds one of these
    role: str | None = None  # statements by a speaker whose role starts so
    people: tuple[str, ...] = ()  # statements by these speakers
    engage: bool = False  # Engage entries and exits only
    grade_polarities: frozenset[str] = frozenset()  # grades shown too when of these polarities ("rated outstanding at ...")
    with_status: bool = False  # Engage entries and exits too, whatever their kind
    newest_document_only: bool = False
    first_ids: tuple[int, ...] = ()  # these first (the best matches), then the order asked for
    priority: bool = False  # causes of concern first, then status changes, ... (see Store._priority), each newest first


@dataclass
class Selection:
    """Findings selected for an answer: one page of rows, and counts over all of them."""

    rows: list[Finding]  # read-only rows with Finding's columns as attributes (not ORM objects)
    total: int
    counts: dict[str, int]  # kind (or a context finding's polarity) -> number
    documents: dict[int, Document]  # the rows' documents: read-only rows of Document's columns but its text
    organisations: list[tuple[str, int]]  # when not narrowed to organisations: each with its number, most first
    document_count: int = 0

    def __bool__(self) -> bool:
        return self.total > 0

    @classmethod
    def empty(cls) -> "Selection":
        return cls([], 0, {}, {}, [])


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

    def writing(self):  # noqa: ANN201 - a Connection context manager
        """A Core transaction that will write (BEGIN IMMEDIATE on SQLite)."""
        return self.engine.execution_options(writes=True).begin()

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
        with self.writing() as conn:
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

    # -- following ----------------------------------------------------------------------------

    def follow(self, chat_id: int, organisation_id: str) -> bool:
        """Start following; False when the chat already follows it."""
        insert_ = sqlite_insert if self.is_sqlite else postgresql_insert
        stmt = insert_(Follow).values(chat_id=chat_id, organisation_id=organisation_id, created_at=dt.datetime.now(dt.UTC)).on_conflict_do_nothing().returning(Follow.chat_id)

        def write() -> bool:
            with self.writing() as conn:
                return conn.execute(stmt).first() is not None

        return retrying(write)

    def unfollow(self, chat_id: int, organisation_id: str | None = None) -> int:
        """Stop following one organisation, or all of them; returns how many follows ended."""
        stmt = delete(Follow).where(Follow.chat_id == chat_id)
        if organisation_id:
            stmt = stmt.where(Follow.organisation_id == organisation_id)

        def write() -> int:
            with self.writing() as conn:
                return conn.execute(stmt).rowcount

        return retrying(write)

    def following(self, chat_id: int) -> list[str]:
        """Organisation ids a chat follows."""
        with self.session() as session:
            return list(session.exec(select(Follow.organisation_id).where(Follow.chat_id == chat_id).order_by(Follow.organisation_id)).all())

    def followers(self, organisation_ids: Iterable[str]) -> dict[int, list[str]]:
        """Chat id -> the followed organisations among these."""
        ids = list(organisation_ids)
        if not ids:
            return {}
        out: dict[int, list[str]] = {}
        with self.session() as session:
            for chat_id, org in session.exec(select(Follow.chat_id, Follow.organisation_id).where(Follow.organisation_id.in_(ids))).all():
                out.setdefault(chat_id, []).append(org)
        return out

    def forget(self, chat_id: int | None, user_id: int | None = None) -> int:
        """Delete every row kept about a chat (its follows and last-question context) and about a user (their
        question count); returns how many follows went. chat_id None leaves the chat's rows alone."""

        def write() -> int:
            with self.writing() as conn:
                follows = conn.execute(delete(Follow).where(Follow.chat_id == chat_id)).rowcount if chat_id is not None else 0
                if chat_id is not None:
                    conn.execute(delete(ChatContext).where(ChatContext.chat_id == chat_id))
                if user_id is not None:
                    conn.execute(delete(Quota).where(Quota.user_id == user_id))
                return follows

        return retrying(write)

    def prune(self, now: dt.datetime | None = None) -> int:
        """Delete question counts whose minute is over and chat contexts older than CONTEXT_MINUTES; returns
        how many rows went."""
        now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)

        def write() -> int:
            with self.writing() as conn:
                # Plain SQL with naive UTC times, as take_quota writes them (the ORM's datetime type wants aware ones).
                quota = conn.execute(text("DELETE FROM quota WHERE window_start < :cutoff"), {"cutoff": now - dt.timedelta(minutes=1)}).rowcount
                context = conn.execute(text("DELETE FROM chatcontext WHERE updated_at < :cutoff"), {"cutoff": now - dt.timedelta(minutes=CONTEXT_MINUTES)}).rowcount
                return quota + context

        return retrying(write)

    def organisations_in(self, document_id: int) -> list[str]:
        """Organisations that a document has findings about."""
        with self.session() as session:
            rows = session.exec(
                select(Finding.organisation_id).where(Finding.document_id == document_id, Finding.organisation_id.is_not(None)).distinct()
            ).all()
        return sorted(rows)

    # -- search -------------------------------------------------------------------------------

    def search(self, groups: list[list[str] | str], organisations: list[str] | None = None, limit: int = 200, *, any_group: bool = False, national: bool = False) -> Hits:
        """Findings that match every group (or, with any_group, at least one), where a group matches when one
        of its phrases does (stemmed words, a phrase's words in order; see fts_phrase for SQLite). Without any_group: the most recently
        added `limit` ids; with it, the best `limit` by rank (bm25 / ts_rank). FTS5 on SQLite (the
        organisation is a token in the index), tsvector on PostgreSQL. With organisations and `national`,
        findings about no single organisation (national reports) match too."""
        groups = [[g] if isinstance(g, str) else g for g in groups]
        clean = [[" ".join(SEARCH_WORD.findall(p.lower())) for p in group] for group in groups]
        clean = [[p for p in dict.fromkeys(group) if p][:MAX_PHRASES] for group in clean]
        clean = [g for g in clean if g]
        if not clean:
            return Hits([], 0)
        if not any_group:  # ranked searches keep every phrase: each adds to a finding's rank
            clean = [without_longer(group) for group in clean]
        if self.is_sqlite:
            parts = ["(" + " OR ".join(fts_phrase(p) for p in group) + ")" for group in clean]
            query = (" OR " if any_group else " AND ").join(parts)
            narrowed = False  # the organisations named in the query (AND org:...), rather than the others left out
            if organisations is not None:
                wanted = [org_token(o) for o in organisations] + (["orgnone"] if national else []) or ["orgnone"]
                # Every finding has one org token ("orgnone" without an organisation): when the organisations wanted
                # hold most findings ("which forces ..."), leaving out the others reads far fewer postings than naming
                # them all. Either form finds the same; the cached counts only choose the cheaper.
                held = self.organisations_with_findings(cached=True)
                chosen = set(organisations)
                others = [org_token(o) for o in self.reference.organisations if o not in chosen] + (["orgnone"] if organisations and not national else [])
                if sum(n for o, n in held.items() if o in chosen) > sum(n for o, n in held.items() if o not in chosen):
                    query = f"({query}) NOT org:({' OR '.join(others)})" if others else query
                else:
                    query = f"({query}) AND org:({' OR '.join(wanted)})"
                    narrowed = True
            order = "rank" if any_group else "rowid DESC"
            ids_sql = f"SELECT rowid FROM finding_fts WHERE finding_fts MATCH :q ORDER BY {order} LIMIT :n"
            count_sql = "SELECT count(*) FROM (SELECT 1 FROM finding_fts WHERE finding_fts MATCH :q LIMIT :cap)"
            params: dict = {"q": query, "n": limit}
            if not any_group and not narrowed:
                # Unless narrowed to a few organisations, reading up to the count cap of ids newest first costs less
                # than reading `limit` of them and counting again (measured 1.9 vs 3.1 ms at 1M findings); narrowed,
                # the newest-first scan is the dearer one, and the two statements stay.
                with self.engine.connect() as conn:
                    try:  # on the driver's cursor: a thousand ids through SQLAlchemy's row objects cost more than reading them
                        ids = [row[0] for row in conn.connection.dbapi_connection.execute(ids_sql, {"q": query, "n": COUNT_CAP + 1}).fetchall()]
                    except Exception:  # noqa: BLE001 - a query the index cannot parse finds nothing, never a crash
                        return Hits([], 0)
                return Hits(ids[:limit], len(ids))
        else:
            parts = ["(" + " | ".join(" <-> ".join(p.split()) for p in group) + ")" for group in clean]
            params = {"q": (" | " if any_group else " & ").join(parts), "n": limit}
            where = "f.search @@ to_tsquery('english', :q)"
            if organisations is not None:
                where += " AND (f.organisation_id = ANY(:orgs) OR f.organisation_id IS NULL)" if national else " AND f.organisation_id = ANY(:orgs)"
                params["orgs"] = list(organisations)
            order = "ts_rank(f.search, to_tsquery('english', :q)) DESC, f.id DESC" if any_group else "f.id DESC"
            ids_sql = f"SELECT f.id FROM finding f WHERE {where} ORDER BY {order} LIMIT :n"
            count_sql = f"SELECT count(*) FROM (SELECT 1 FROM finding f WHERE {where} LIMIT :cap) AS capped"
        with self.engine.connect() as conn:
            try:
                ids = [row[0] for row in conn.execute(text(ids_sql), params).fetchall()]
                total = conn.execute(text(count_sql), {**params, "cap": COUNT_CAP + 1}).scalar() if len(ids) >= limit else len(ids)
            except Exception:  # noqa: BLE001 - a query the index cannot parse finds nothing, never a crash
                return Hits([], 0)
        return Hits(ids, total)

    def select(self, q: "FindingQuery", *, offset: int = 0, limit: int = 24) -> "Selection":
        """The findings a query asks for, in one session: the rows of one page (newest document first, in
        document order within one), counts by kind over all of them, their documents (text not loaded) and,
        when no organisation is given, the organisations they are about with how many each, most first."""
        newest_first = (Finding.published.desc().nulls_last(), Finding.document_id.desc(), Finding.start)
        joined = bool(q.title_words)
        with self.session() as session:
            conditions = list(self._conditions(q, self._status_ids(session, q) if q.with_status else None))
            read = session.connection().execute  # rows as plain read-only rows: ORM objects cost ~15 us each
            def base(*columns):  # noqa: ANN002, ANN202
                stmt = select(*columns)
                if joined:
                    stmt = stmt.join(Document, Document.id == Finding.document_id)
                return stmt.where(*conditions)

            if q.newest_document_only:
                newest = session.exec(base(Finding.document_id).order_by(*newest_first).limit(1)).first()
                if newest is None:
                    return Selection.empty()
                conditions.append(Finding.document_id == newest)
            grouped = session.exec(base(Finding.kind, Finding.polarity, func.count()).group_by(Finding.kind, Finding.polarity)).all()
            counts: dict[str, int] = {}
            for kind, pol, n in sorted(grouped, key=lambda g: KIND_ORDER.get(g[0], 9)):
                key = pol if kind == Kind.context else kind
                counts[key] = counts.get(key, 0) + n
            if not counts:
                return Selection.empty()
            order = (self._priority(), *newest_first) if q.priority else newest_first
            if q.first_ids:
                order = (case((self._among(Finding.id, q.first_ids), 0), else_=1), *order)
            stmt = base(*FINDING_COLUMNS)
            if q.priority:
                # Most serious first among the newest documents only: sorting every finding of a large force by
                # seriousness costs more than the answer may (the newest documents are what an overview shows).
                recent = list(dict.fromkeys(session.exec(base(Finding.document_id).order_by(*newest_first).limit(PRIORITY_WINDOW)).all()))[:PRIORITY_DOCUMENTS]
                stmt = stmt.where(Finding.document_id.in_(recent))
            rows = list(read(stmt.order_by(*order).offset(offset).limit(limit)).all())
            if q.priority and len(rows) < limit:  # then the older documents' findings, newest first
                skipped = max(0, offset - session.exec(base(func.count(Finding.id)).where(Finding.document_id.in_(recent))).one())
                older = base(*FINDING_COLUMNS).where(Finding.document_id.not_in(recent)).order_by(*newest_first)
                rows += read(older.offset(skipped).limit(limit - len(rows))).all()
            document_count = session.exec(base(func.count(distinct(Finding.document_id)))).one()
            organisations: list[tuple[str, int]] = []
            if q.organisations is None or len(q.organisations) > 1:
                n = func.count()
                organisations = [(o, c) for o, c, _ in session.exec(
                    base(Finding.organisation_id, n, func.max(Finding.published)).where(Finding.organisation_id.is_not(None))
                    .group_by(Finding.organisation_id).order_by(n.desc(), func.max(Finding.published).desc())
                ).all()]
            doc_ids = {f.document_id for f in rows}
            documents = {d.id: d for d in read(select(*DOCUMENT_COLUMNS).where(Document.id.in_(doc_ids))).all()} if doc_ids else {}
        return Selection(rows, sum(counts.values()), counts, documents, organisations, document_count)

    def _among(self, column, ids: Iterable[int]):  # noqa: ANN001, ANN202 - SQL expressions
        """column IN ids, with the ids as one parameter (a JSON array on SQLite, an array on PostgreSQL): the
        statement stays the same whatever the ids, instead of being rendered anew with hundreds of placeholders."""
        if self.is_sqlite:
            each = func.json_each(bindparam(None, json.dumps(list(ids)), type_=String)).table_valued("value")
            return column.in_(select(each.c.value))
        return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))

    @staticmethod
    def _priority():  # noqa: ANN205 - an SQL expression
        """What an overview shows first: causes of concern, changes of monitoring status, recommendations,
        areas for improvement, grades, criticism, strengths, then people's statements."""
        negative_context = (Finding.kind == Kind.context) & (Finding.polarity == "negative")
        return case(
            (Finding.kind == Kind.cause_of_concern, 0),
            (Finding.status.in_(ENGAGE), 1),
            (Finding.kind == Kind.recommendation, 2),
            (Finding.kind == Kind.area_for_improvement, 3),
            (Finding.kind == Kind.grade, 4),
            (negative_context, 5),
            (Finding.kind == Kind.strength, 6),
            (Finding.kind == Kind.statement, 8),
            else_=7,
        )

    @staticmethod
    def _status_ids(session: Session, q: "FindingQuery") -> list[int]:
        """The findings recording an Engage entry or exit among the organisations asked about: few, read from the
        partial index ix_finding_status (naming them by id spares reading every finding's row for its status)."""
        stmt = select(Finding.id).where(Finding.status.is_not(None), Finding.status.in_(ENGAGE))
        if q.organisations is not None:
            stmt = stmt.where(Finding.organisation_id.in_(q.organisations))
        return list(session.exec(stmt).all())

    def _conditions(self, q: "FindingQuery", status_ids: list[int] | None = None) -> Iterator:
        if q.ids is not None:
            yield self._among(Finding.id, q.ids)
        if q.organisations is not None:
            named = Finding.organisation_id.in_(q.organisations)
            yield named | Finding.organisation_id.is_(None) if q.national else named
        if q.document_id is not None:
            yield Finding.document_id == q.document_id
        if q.kinds or q.context_polarities:
            if not (q.with_status and status_ids):
                # Implied by the filter below, but in this form the index (organisation, kind, ...) is read only over
                # those kinds, instead of testing the filter on every finding of the organisation: 2x on counts.
                kinds = set(q.kinds) | ({Kind.context} if q.context_polarities else set()) | ({Kind.grade} if q.grade_polarities else set())
                yield Finding.kind.in_(sorted(kinds))
            kind_filter = Finding.kind.in_(q.kinds)
            if q.context_polarities:
                kind_filter = kind_filter | ((Finding.kind == Kind.context) & Finding.polarity.in_(q.context_polarities))
            if q.grade_polarities:
                kind_filter = kind_filter | ((Finding.kind == Kind.grade) & Finding.polarity.in_(q.grade_polarities))
            if q.with_status and status_ids:
                kind_filter = kind_filter | self._among(Finding.id, status_ids)
            yield kind_filter
        if q.polarities:
            yield Finding.polarity.in_(q.polarities)
        if q.engage:
            yield Finding.status.is_not(None) & Finding.status.in_(ENGAGE)
        if q.since:
            yield Finding.published >= q.since
        if q.until:
            yield Finding.published <= q.until
        if q.role:
            yield func.lower(Finding.role).like(q.role.lower() + "%")
        if q.people:
            yield Finding.speaker.in_(q.people)
        if q.title_words:
            yield or_(*[func.lower(func.coalesce(Document.title, "") + " " + func.coalesce(Document.section, "")).like(f"%{w.lower()}%") for w in q.title_words])

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

    # -- a chat's last question, for follow-ups --------------------------------------------------

    def save_context(self, chat_id: int, organisations: list[str], intent: str | None, words: list[str], now: dt.datetime | None = None) -> None:
        """Remember what a chat's last question was about (ids and words, never its text)."""
        now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
        values = {"organisations": " ".join(organisations), "intent": intent, "topic": " ".join(words), "updated_at": now}
        upsert = (sqlite_insert if self.is_sqlite else postgresql_insert)(ChatContext).values(chat_id=chat_id, **values)

        def write() -> None:
            with self.writing() as conn:
                conn.execute(upsert.on_conflict_do_update(index_elements=["chat_id"], set_=values))

        retrying(write)

    def load_context(self, chat_id: int, max_age: dt.timedelta = CONTEXT_AGE, now: dt.datetime | None = None) -> ChatContext | None:
        """The chat's last question context, if it is recent enough."""
        now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)
        with self.session() as session:
            context = session.get(ChatContext, chat_id)
        if context is None or now - context.updated_at > max_age:
            return None
        return context

    @contextmanager
    def search_index_paused(self) -> Iterator[None]:
        """For bulk loads: insert findings without indexing each one, then index them all at once."""
        if not self.is_sqlite:
            yield
            return
        with self.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS finding_fts_insert"))
            first = conn.execute(text("SELECT coalesce(max(id), 0) FROM finding")).scalar()
        try:
            yield
        finally:
            with self.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
                    f"SELECT id, text, context, speaker, {ORG_SQL.format(row='finding')} FROM finding WHERE id > :first"
                ), {"first": first})
                conn.execute(text(
                    "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN "
                    "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
                    f"VALUES (new.id, new.text, new.context, new.speaker, {ORG_SQL.format(row='new')}); END"
                ))

    def has_findings(self, organisation_ids: Iterable[str]) -> set[str]:
        """Which of these organisations have at least one finding (one index probe each)."""
        found = set()
        with self.engine.connect() as conn:
            for org in organisation_ids:
                if conn.execute(HAS_FINDINGS, {"org": org}).first() is not None:
                    found.add(org)
        return found

    # -- state the bot shares between workers ----------------------------------------------------

    def take_quota(self, user_id: int, limit: int, now: dt.datetime | None = None) -> int:
        """Count one action against the user's minute; returns the count so far (allowed when <= limit)."""
        now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None)

        def write() -> int | None:
            with self.writing() as conn:
                row = conn.execute(
                    text(
                        "UPDATE quota SET count = CASE WHEN window_start < :cutoff THEN 1 ELSE count + 1 END, "
                        "window_start = CASE WHEN window_start < :cutoff THEN :now ELSE window_start END "
                        "WHERE user_id = :user RETURNING count"
                    ),
                    {"cutoff": now - dt.timedelta(minutes=1), "now": now, "user": user_id},
                ).first()
                if row is not None:
                    return row[0]
                inserted = conn.execute(
                    text("INSERT INTO quota (user_id, window_start, count) VALUES (:user, :now, 1) ON CONFLICT (user_id) DO NOTHING RETURNING count"),
                    {"user": user_id, "now": now},
                ).first()
            return inserted[0] if inserted else None

        count = retrying(write)
        return count if count is not None else self.take_quota(user_id, limit, now)

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
            with self.writing() as conn:
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
            with self.writing() as conn:
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
            with self.writing() as conn:
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
            with self.writing() as conn:
                return conn.execute(stmt).first() is not None

        return retrying(write)

    def finish_announcement(self, document_id: int, worker: str) -> None:
        """Mark a claimed document announced (its followers all told)."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

        def write() -> None:
            with self.writing() as conn:
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
            with self.writing() as conn:
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
            with self.writing() as conn:
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
            with self.writing() as conn:
                conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

        retrying(write)
