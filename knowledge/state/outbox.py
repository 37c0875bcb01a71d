"""What moves documents from the web to followers: the sync's record of every page, the outbox of announcements,
and leases (a job only one worker may run at a time).

Each function takes a session: a read session, or for those that write, a write transaction, so that a
sync entry's documents, their outbox rows and its record are written together (knowledge.web.sync).
"""

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterable

from sqlalchemy import exists, func, text, update
from sqlmodel import Session, select

from knowledge.models import Announcement, Delivery, Document, Finding, Follow, Meta, SyncPage
from knowledge.state.database import insert_into, naive_utc, on_sqlite

ADOPT_AFTER = dt.timedelta(minutes=1)  # a stored document with no outbox row is taken into the outbox after this long
CLAIM_STALE = dt.timedelta(minutes=5)  # a claim older than this is another worker's that died: taken over


def worker_name() -> str:
    """This process's name in claims and leases: host, process id and a random part (unique per start)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# -- what the sync has seen ---------------------------------------------------------------------------------


def sync_pages(session: Session, urls: Iterable[str]) -> dict[str, SyncPage]:
    """What the sync recorded of these URLs last time, by URL."""
    wanted = list(dict.fromkeys(urls))
    found: dict[str, SyncPage] = {}
    for start in range(0, len(wanted), 500):
        found.update((p.url, p) for p in session.exec(select(SyncPage).where(SyncPage.url.in_(wanted[start : start + 500]))).all())
    return found


def failed_sync_pages(session: Session, source: str) -> list[str]:
    """URLs of a source's entries whose last sync failed (tried again even when the source has not changed)."""
    return list(session.exec(select(SyncPage.url).where(SyncPage.source == source, SyncPage.outcome == "failed", SyncPage.page_url.is_(None))
                             .order_by(SyncPage.checked_at)).all())


def source_synced(session: Session, source: str) -> bool:
    """Whether a sync has read this feed or listing before (its first sync is a quiet back-fill)."""
    return session.exec(select(SyncPage.url).where(SyncPage.source == source).limit(1)).first() is not None


def record_sync(session: Session, pages: list[dict]) -> None:
    """Remember what the server said of each page (url, source, etag, last_modified, content_hash,
    document_id, outcome, reason, page_url) and when, the newest record of a URL replacing the last."""
    if not pages:
        return
    now = naive_utc()
    rows = [{"source": None, "page_url": None, "etag": None, "last_modified": None, "content_hash": None, "document_id": None,
             "reason": None, **page, "checked_at": now} for page in pages]
    upsert = insert_into(session, SyncPage)
    upsert = upsert.on_conflict_do_update(index_elements=["url"], set_={c: upsert.excluded[c] for c in rows[0] if c != "url"})
    session.connection().execute(upsert, rows)


def last_sync(session: Session) -> dt.datetime | None:
    """When the last scheduled or requested sync finished (naive UTC), by whichever worker."""
    row = session.get(Meta, "sync_finished")
    return dt.datetime.fromisoformat(row.value) if row else None


def mark_synced(session: Session, when: dt.datetime | None = None) -> None:
    """Note that a sync just finished."""
    value = naive_utc(when).isoformat()
    stmt = insert_into(session, Meta).values(key="sync_finished", value=value)
    session.connection().execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


# -- the outbox of announcements ------------------------------------------------------------------------


def enqueue(session: Session, document_ids: Iterable[int], *, quiet: bool) -> None:
    """Put newly stored documents in the outbox; quiet ones (the first load, a back-fill) are marked announced at
    once. A row already there is left as it is."""
    now = dt.datetime.now(dt.UTC)
    rows = [{"document_id": d, "created_at": now, "quiet": quiet, "announced_at": now.replace(tzinfo=None) if quiet else None} for d in document_ids]
    if rows:
        session.connection().execute(insert_into(session, Announcement).on_conflict_do_nothing(), rows)


def orphans(session: Session, now: dt.datetime, after: dt.timedelta = ADOPT_AFTER) -> list[tuple[int, dt.datetime]]:
    """(id, when stored) of the documents stored at least `after` ago with no outbox row: by a path that did not
    fill the outbox (an older release, a bulk save). By then a quiet load has marked its own documents."""
    return list(session.exec(
        select(Document.id, Document.ingested_at)
        .where(Document.ingested_at < (now - after).replace(tzinfo=dt.UTC), ~exists().where(Announcement.document_id == Document.id))
    ).all())


def adopt(session: Session, documents: list[tuple[int, dt.datetime]]) -> None:
    """Put orphans (see orphans) in the outbox, to be announced; a row added meanwhile (a quiet load's) is left as it is."""
    rows = [{"document_id": d, "created_at": arrived, "quiet": False, "announced_at": None} for d, arrived in documents]
    session.connection().execute(insert_into(session, Announcement).on_conflict_do_nothing(), rows)


def claim_announcements(session: Session, worker: str, limit: int = 20, stale: dt.timedelta = CLAIM_STALE, now: dt.datetime | None = None) -> list[int]:
    """Take up to `limit` documents still to announce for this worker, oldest first. A claim older than
    `stale` (its worker died) is taken over. Two workers never hold one document: on PostgreSQL the rows
    are locked with SKIP LOCKED, on SQLite the write transaction is taken first (BEGIN IMMEDIATE)."""
    now = now or naive_utc()
    lock = "" if on_sqlite(session) else " FOR UPDATE SKIP LOCKED"
    sql = text(
        "UPDATE announcement SET claimed_by = :worker, claimed_at = :now WHERE document_id IN ("
        "SELECT document_id FROM announcement WHERE announced_at IS NULL AND (claimed_at IS NULL OR claimed_at < :stale OR claimed_by = :worker) "
        f"ORDER BY document_id LIMIT :n{lock}) RETURNING document_id"
    )
    return sorted(row[0] for row in session.connection().execute(sql, {"worker": worker, "now": now, "stale": now - stale, "n": limit}))


def announcement_recipients(session: Session, document_id: int) -> dict[int, list[str]]:
    """Chat id -> the organisations it follows that this document is about, for chats that followed them
    before the document arrived and have not been told yet."""
    orgs = set(session.exec(
        select(Finding.organisation_id).where(Finding.document_id == document_id, Finding.organisation_id.is_not(None)).distinct()
    ).all())
    subject = session.exec(select(Document.subject_id).where(Document.id == document_id)).first()
    if subject:
        orgs.add(subject)
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


def record_delivery(session: Session, document_id: int, chat_id: int) -> bool:
    """Note that a chat was told about a document; False when it had been already."""
    stmt = insert_into(session, Delivery).values(document_id=document_id, chat_id=chat_id, sent_at=naive_utc())
    return session.connection().execute(stmt.on_conflict_do_nothing().returning(Delivery.chat_id)).first() is not None


def finish_announcement(session: Session, document_id: int, worker: str) -> None:
    """Mark a claimed document announced (its followers all told)."""
    session.connection().execute(
        update(Announcement).where(Announcement.document_id == document_id, Announcement.claimed_by == worker).values(announced_at=naive_utc())
    )


def pending_announcements(session: Session) -> int:
    """How many documents are still to be announced."""
    return session.exec(select(func.count()).select_from(Announcement).where(Announcement.announced_at.is_(None))).one()


# -- leases ----------------------------------------------------------------------------------------------


def take_lease(session: Session, name: str, holder: str, seconds: float) -> bool:
    """Hold the named job for `seconds` unless another holder's lease is still running; True when held."""
    now = naive_utc()
    params = {"holder": holder, "until": now + dt.timedelta(seconds=seconds), "name": name, "now": now}
    conn = session.connection()
    taken = conn.execute(
        text("UPDATE lease SET holder = :holder, expires_at = :until WHERE name = :name AND (expires_at < :now OR holder = :holder) RETURNING name"), params
    ).first()
    if taken is not None:
        return True
    return conn.execute(
        text("INSERT INTO lease (name, holder, expires_at) VALUES (:name, :holder, :until) ON CONFLICT (name) DO NOTHING RETURNING name"), params
    ).first() is not None


def release_lease(session: Session, name: str, holder: str) -> None:
    """Let the named job go, if this holder has it."""
    session.connection().execute(text("DELETE FROM lease WHERE name = :name AND holder = :holder"), {"name": name, "holder": holder})
