"""What answers read beside their selection of findings (knowledge.state.search.select): the grades organisations
hold, their Engage records, who spoke about them. Each function takes a read session and runs one statement.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func
from sqlmodel import Session, select

from knowledge.models import Document, Finding, Grade, Mention, Organisation
from knowledge.state.search import DOCUMENT_COLUMNS, DOCUMENT_LABELLED, ENGAGE, FINDING_COLUMNS, DocumentRecord, FindingRecord, records


def monitoring_records(session: Session, organisation_ids: Sequence[str] | None) -> tuple[list[FindingRecord], dict[int, DocumentRecord]]:
    """Every finding that records an Engage entry or exit (of these organisations, or of any), oldest first, with
    its document: few, read from the partial index on status in one statement."""
    stmt = (select(*FINDING_COLUMNS, *DOCUMENT_LABELLED).join(Document, Document.id == Finding.document_id)
            .where(Finding.status.is_not(None), Finding.status.in_(ENGAGE), Finding.organisation_id.is_not(None)))
    if organisation_ids is not None:
        stmt = stmt.where(Finding.organisation_id.in_(list(organisation_ids)))
    return records(session.connection().execute(stmt.order_by(Finding.published.nulls_first(), Finding.document_id, Finding.start)).all())


def graded(session: Session, organisation_ids: Sequence[str] | None) -> list[tuple[str, str, str, str | None, FindingRecord | None, DocumentRecord]]:
    """Every grade recorded (for these organisations, or any): (organisation, area, grade, cycle, the finding that
    gives it, its document), newest document first. One statement."""
    stmt = (select(Grade.organisation_id, Grade.area, Grade.grade, Grade.cycle, *FINDING_COLUMNS, *DOCUMENT_LABELLED)
            .join(Document, Document.id == Grade.document_id).outerjoin(Finding, Finding.id == Grade.finding_id))
    if organisation_ids is not None:
        stmt = stmt.where(Grade.organisation_id.in_(list(organisation_ids)))
    rows = session.connection().execute(stmt.order_by(Document.published.desc().nulls_last(), Document.id.desc(), Grade.id)).all()
    n = len(FINDING_COLUMNS)
    return [(org, area, grade, cycle, FindingRecord(*rest[:n]) if rest[0] is not None else None, DocumentRecord(*rest[n:]))
            for org, area, grade, cycle, *rest in rows]


def spoken_about(session: Session, speakers: Sequence[str], organisation_ids: Iterable[str]) -> set[str]:
    """Which of these organisations have statements by these speakers (one statement, from the speaker index)."""
    wanted = list(organisation_ids)
    if not speakers or not wanted:
        return set()
    return set(session.exec(select(Finding.organisation_id).where(Finding.speaker.in_(list(speakers)), Finding.organisation_id.in_(wanted)).distinct()).all())


def monitored(session: Session, organisation_ids: Iterable[str]) -> set[str]:
    """Which of these organisations have an Engage entry or exit on record (one statement, from the status index)."""
    wanted = list(organisation_ids)
    if not wanted:
        return set()
    return set(session.exec(select(Finding.organisation_id).where(Finding.status.is_not(None), Finding.status.in_(ENGAGE),
                                                                   Finding.organisation_id.in_(wanted)).distinct()).all())


def grade_history(session: Session, organisation_ids: Sequence[str] | str) -> list[tuple[str, str, str, str | None, DocumentRecord]]:
    """Every (organisation, area, grade, cycle, document) recorded for these organisations, newest document
    first, in the document's order within one: the grades per area across their inspections. One statement."""
    wanted = [organisation_ids] if isinstance(organisation_ids, str) else list(organisation_ids)
    columns = (Grade.organisation_id, Grade.area, Grade.grade, Grade.cycle, *DOCUMENT_COLUMNS)
    rows = session.connection().execute(
        select(*columns).join(Document, Document.id == Grade.document_id).where(Grade.organisation_id.in_(wanted))
        .order_by(Document.published.desc().nulls_last(), Document.id.desc(), Grade.id)
    ).all()
    return [(org, area, grade, cycle, DocumentRecord(*document)) for org, area, grade, cycle, *document in rows]


def monitoring_mentions(session: Session, organisation_id: str) -> tuple[list[str], DocumentRecord] | None:
    """The Engage entries and exits that the newest document mentioning any records, in its order, with it. One
    statement (the newest such document found from the partial index on status)."""
    engage = (Finding.organisation_id == organisation_id, Finding.status.is_not(None), Finding.status.in_(ENGAGE))
    newest = select(Finding.document_id).where(*engage).order_by(Finding.published.desc().nulls_last(), Finding.document_id.desc()).limit(1)
    rows = session.connection().execute(
        select(Finding.status, *DOCUMENT_COLUMNS).join(Document, Document.id == Finding.document_id)
        .where(*engage, Finding.document_id == newest.scalar_subquery()).order_by(Finding.start)
    ).all()
    if not rows:
        return None
    return [r[0] for r in rows], DocumentRecord(*rows[0][1:])


def newest_published(session: Session) -> dict[str, dt.date]:
    """Organisation id -> the publication date of its newest finding (from the (organisation, date) index)."""
    # One probe of the (organisation, date) index per organisation: grouping every finding costs 0.1 s at a million.
    newest = select(func.max(Finding.published)).where(Finding.organisation_id == Organisation.id).scalar_subquery()
    rows = session.exec(select(Organisation.id, newest)).all()
    return {org: day if isinstance(day, dt.date) else dt.date.fromisoformat(day) for org, day in rows if day}


def followed_count(session: Session, organisation_id: str) -> int:
    """How many links from the organisation's concerns to later documents are stored."""
    return session.exec(select(func.count()).select_from(Mention).where(Mention.organisation_id == organisation_id)).one()


def in_titled(session: Session, phrase: str, organisation_ids: Sequence[str], limit: int) -> list[tuple[int, str, str]]:
    """(id, text, organisation) of the findings about these organisations in documents whose title holds every word
    of the phrase (lower case), newest documents first, each in its own order: "was Lincolnshire inspected for fraud"
    is answered by what a report titled on fraud says of it, whether or not its sentences repeat the word."""
    title = func.lower(func.coalesce(Document.title, ""))
    if not phrase.split() or not organisation_ids:
        return []
    stmt = (select(Finding.id, Finding.text, Finding.organisation_id).join(Document, Document.id == Finding.document_id)
            .where(Finding.organisation_id.in_(list(organisation_ids)), *[title.like(f"%{w}%") for w in phrase.split()])
            .order_by(Document.published.desc().nulls_last(), Finding.document_id, Finding.start).limit(limit))
    return [(i, t, o) for i, t, o in session.connection().execute(stmt).all()]


def newest_findings(session: Session, organisation_id: str, documents: int, limit: int) -> list[tuple[int, str]]:
    """(id, text) of the findings about the organisation in its `documents` newest documents (by publication date),
    newest document first, each in its own order; at most `limit`."""
    newest = (select(Finding.document_id).where(Finding.organisation_id == organisation_id).group_by(Finding.document_id)
              .order_by(func.max(Finding.published).desc().nulls_last(), Finding.document_id.desc()).limit(documents).subquery())
    stmt = (select(Finding.id, Finding.text).where(Finding.organisation_id == organisation_id, Finding.document_id.in_(select(newest.c.document_id)))
            .order_by(Finding.published.desc().nulls_last(), Finding.document_id.desc(), Finding.start).limit(limit))
    return [(i, t) for i, t in session.connection().execute(stmt).all()]


def national_titles(session: Session) -> list[tuple[int, str]]:
    """(id, title) of the documents about no organisation in particular (national and thematic reports) that have a title."""
    stmt = select(Document.id, Document.title).where(Document.subject_id.is_(None), Document.title.is_not(None))
    return [(i, t) for i, t in session.connection().execute(stmt).all()]
