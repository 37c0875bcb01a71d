"""What the bot keeps about chats and users, shared by every worker: follows, a chat's last question, question
quotas; and forgetting them (with the record of what a chat was told: outbox.record_delivery).

Each function takes a session: a read session, or for those that write, a write transaction
(database.writing or Store.write).
"""

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import text
from sqlmodel import Session, delete, select

from knowledge.models import ChatContext, Delivery, Follow, Quota
from knowledge.state.database import insert_into, naive_utc

CONTEXT_MINUTES = 30  # a chat's last-question context is pruned after this long
CONTEXT_AGE = dt.timedelta(minutes=CONTEXT_MINUTES)  # how long a chat's last question is remembered for follow-ups


# -- following ----------------------------------------------------------------------------------------


def follow(session: Session, chat_id: int, organisation_id: str) -> bool:
    """Start following; False when the chat already follows it."""
    stmt = insert_into(session, Follow).values(chat_id=chat_id, organisation_id=organisation_id, created_at=dt.datetime.now(dt.UTC))
    return session.connection().execute(stmt.on_conflict_do_nothing().returning(Follow.chat_id)).first() is not None


def unfollow(session: Session, chat_id: int, organisation_id: str | None = None) -> int:
    """Stop following one organisation, or all of them; returns how many follows ended."""
    stmt = delete(Follow).where(Follow.chat_id == chat_id)
    if organisation_id:
        stmt = stmt.where(Follow.organisation_id == organisation_id)
    return session.connection().execute(stmt).rowcount


def following(session: Session, chat_id: int) -> list[str]:
    """Organisation ids a chat follows."""
    return list(session.exec(select(Follow.organisation_id).where(Follow.chat_id == chat_id).order_by(Follow.organisation_id)).all())


def followers(session: Session, organisation_ids: Iterable[str]) -> dict[int, list[str]]:
    """Chat id -> the followed organisations among these."""
    ids = list(organisation_ids)
    out: dict[int, list[str]] = {}
    if ids:
        for chat_id, org in session.exec(select(Follow.chat_id, Follow.organisation_id).where(Follow.organisation_id.in_(ids))).all():
            out.setdefault(chat_id, []).append(org)
    return out


# -- a chat's last question, for follow-ups ---------------------------------------------------------------


def save_context(session: Session, chat_id: int, organisations: list[str], intent: str | None, words: list[str], now: dt.datetime | None = None) -> None:
    """Remember what a chat's last question was about (ids and words, never its text)."""
    values = {"organisations": " ".join(organisations), "intent": intent, "topic": " ".join(words), "updated_at": naive_utc(now)}
    upsert = insert_into(session, ChatContext).values(chat_id=chat_id, **values)
    session.connection().execute(upsert.on_conflict_do_update(index_elements=["chat_id"], set_=values))


def load_context(session: Session, chat_id: int, max_age: dt.timedelta = CONTEXT_AGE, now: dt.datetime | None = None) -> ChatContext | None:
    """The chat's last question context, if it is recent enough."""
    context = session.get(ChatContext, chat_id)
    if context is None or naive_utc(now) - context.updated_at > max_age:
        return None
    return context


# -- question quotas ------------------------------------------------------------------------------------


def take_quota(session: Session, user_id: int, now: dt.datetime | None = None) -> int:
    """Count one action against the user's minute; returns the count so far (the caller allows up to its limit)."""
    now = naive_utc(now)
    conn = session.connection()
    count_one = text(
        "UPDATE quota SET count = CASE WHEN window_start < :cutoff THEN 1 ELSE count + 1 END, "
        "window_start = CASE WHEN window_start < :cutoff THEN :now ELSE window_start END "
        "WHERE user_id = :user RETURNING count"
    )
    params = {"cutoff": now - dt.timedelta(minutes=1), "now": now, "user": user_id}
    row = conn.execute(count_one, params).first()
    if row is None:
        row = conn.execute(
            text("INSERT INTO quota (user_id, window_start, count) VALUES (:user, :now, 1) ON CONFLICT (user_id) DO NOTHING RETURNING count"), params
        ).first()
    if row is None:  # another worker made the user's row meanwhile: it is committed now, so count on it
        row = conn.execute(count_one, params).first()
    return row[0]


# -- forgetting ------------------------------------------------------------------------------------------


def forget(session: Session, chat_id: int | None, user_id: int | None = None) -> int:
    """Delete every row kept about a chat (its follows, last-question context and the record of which new
    documents it was told of) and about a user (their question count); returns how many follows went. chat_id
    None leaves the chat's rows alone."""
    conn = session.connection()
    follows = conn.execute(delete(Follow).where(Follow.chat_id == chat_id)).rowcount if chat_id is not None else 0
    if chat_id is not None:
        conn.execute(delete(ChatContext).where(ChatContext.chat_id == chat_id))
        # Without its follows the chat is told of nothing more, and a new follow hears only of documents that
        # arrive after it, so nothing is announced twice once these go.
        conn.execute(delete(Delivery).where(Delivery.chat_id == chat_id))
    if user_id is not None:
        conn.execute(delete(Quota).where(Quota.user_id == user_id))
    return follows


def prune(session: Session, now: dt.datetime | None = None) -> int:
    """Delete question counts whose minute is over and chat contexts older than CONTEXT_MINUTES; returns
    how many rows went."""
    now = naive_utc(now)
    conn = session.connection()
    # Plain SQL with naive UTC times, as take_quota writes them (the ORM's datetime type wants aware ones).
    quota = conn.execute(text("DELETE FROM quota WHERE window_start < :cutoff"), {"cutoff": now - dt.timedelta(minutes=1)}).rowcount
    context = conn.execute(text("DELETE FROM chatcontext WHERE updated_at < :cutoff"), {"cutoff": now - dt.timedelta(minutes=CONTEXT_MINUTES)}).rowcount
    return quota + context
