"""The tables, in the inspectorate's own words: organisations, places, documents, findings, grades, mentions."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Kind(StrEnum):
    """What a finding is, in HMICFRS's vocabulary (plus statements and context)."""

    strength = "strength"
    area_for_improvement = "area_for_improvement"
    cause_of_concern = "cause_of_concern"
    recommendation = "recommendation"
    grade = "grade"
    statement = "statement"
    context = "context"


class Polarity(StrEnum):
    """Whether a finding praises, criticises or only describes."""

    positive = "positive"
    negative = "negative"
    neutral = "neutral"


class Organisation(SQLModel, table=True):
    """A police force or fire and rescue service."""

    id: str = Field(primary_key=True)  # data.police.uk force id, or a slug ending -fire
    name: str
    kind: str  # police | fire
    inspected: bool = True  # False: known, but not inspected by HMICFRS
    inspector: str | None = None  # who inspects it instead


class Alias(SQLModel, table=True):
    """A name or short form people use for one organisation (GMP, Cambs, the Met)."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True)
    name: str
    norm: str = Field(index=True)


class Place(SQLModel, table=True):
    """A council district, area or town, and one organisation whose area contains it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    norm: str = Field(index=True)
    kind: str  # district | area | town
    organisation_id: str = Field(foreign_key="organisation.id", index=True)


class Document(SQLModel, table=True):
    """One ingested source: a report, press release or news article, with its extracted text."""

    id: int | None = Field(default=None, primary_key=True)
    title: str | None = None
    publisher: str | None = None
    section: str | None = None
    doc_type: str = "article"  # report | letter | press_release | article
    rank: int = 1  # provenance: an inspectorate report (3) outranks its press release (2), then news (1)
    published: dt.date | None = Field(default=None, index=True)
    url: str | None = None
    source_path: str | None = None
    subject_id: str | None = Field(default=None, foreign_key="organisation.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(unique=True)
    ingested_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Finding(SQLModel, table=True):
    """One quotable piece of a document: always document.text[start:end]."""

    __table_args__ = (
        Index("ix_finding_org_published", "organisation_id", "published"),
        Index("ix_finding_org_kind", "organisation_id", "kind", "polarity", "document_id"),
        # Partial (migration 0009): only the few findings with a monitoring status, or with a speaker.
        Index("ix_finding_status", "organisation_id", "published", sqlite_where=text("status IS NOT NULL"), postgresql_where=text("status IS NOT NULL")),
        Index("ix_finding_speaker", "speaker", sqlite_where=text("speaker IS NOT NULL"), postgresql_where=text("speaker IS NOT NULL")),
        # Partial (migration 0012): the findings that name a speaker's role ("what did the inspector say").
        Index("ix_finding_role", "organisation_id", "kind", sqlite_where=text("role IS NOT NULL"), postgresql_where=text("role IS NOT NULL")),
        UniqueConstraint("document_id", "start", "end", name="uq_finding_span"),
    )

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    organisation_id: str | None = Field(default=None, foreign_key="organisation.id")
    published: dt.date | None = None  # the document's date, copied for the (organisation, date) index
    kind: str = Field(index=True)
    polarity: str = Polarity.neutral
    text: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    speaker: str | None = None
    role: str | None = None
    context: str | None = Field(default=None, sa_column=Column(Text))
    label: str | None = None  # the document's own heading, e.g. "Innovative practice"
    cause_id: int | None = Field(default=None, foreign_key="finding.id")  # a recommendation's cause of concern
    deadline: str | None = None  # "within three months", "immediately", "by March 2025"
    status: str | None = None  # engage_entered | engage_exited | progress | discharged
    speech: str | None = None  # for statements: direct (the person's words in quotation marks) | reported (the publisher's account)


class Grade(SQLModel, table=True):
    """A graded judgment: an organisation, an area of its work and one of the five grades."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True)
    area: str
    grade: str  # outstanding | good | adequate | requires_improvement | inadequate
    cycle: str | None = None  # the inspection cycle, e.g. "2023-25" or "2017": grades of different cycles do not compare
    finding_id: int | None = Field(default=None, foreign_key="finding.id")


class Mention(SQLModel, table=True):
    """A later finding that revisits an earlier concern of the same organisation (knowledge.linking), and its status
    there in its own words: the words that say so are the later finding's document.text[cue_start:cue_end]."""

    __table_args__ = (Index("ix_mention_organisation", "organisation_id", "raised_id"),)

    raised_id: int = Field(primary_key=True, foreign_key="finding.id")  # the concern
    finding_id: int = Field(primary_key=True, foreign_key="finding.id", index=True)  # the later finding
    organisation_id: str = Field(foreign_key="organisation.id")
    status: str  # improved | not_yet | unclear
    cue_start: int | None = None  # None when unclear: no words say either
    cue_end: int | None = None
    cue: str | None = Field(default=None, sa_column=Column(Text))  # the same words, so chains read without the document's text
    basis: str  # what ties the two: topic | figure | words | revisit


class Follow(SQLModel, table=True):
    """A chat that wants to hear about new documents on an organisation. Only the chat id is kept."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    organisation_id: str = Field(primary_key=True, foreign_key="organisation.id")
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))


class Quota(SQLModel, table=True):
    """Questions a user asked in the current minute, shared by every worker."""

    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    window_start: dt.datetime
    count: int = 0


class ChatContext(SQLModel, table=True):
    """What a chat's last question was about, for follow-ups: resolved ids and words, never the message text."""

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    organisations: str = ""  # organisation ids, space-separated
    intent: str | None = None
    topic: str = ""  # topic terms, space-separated
    updated_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False, index=True))  # naive UTC


class Word(SQLModel, table=True):
    """A word seen in findings, so that a misspelt topic can be corrected without scanning findings."""

    word: str = Field(primary_key=True)
    count: int = 0


class Meta(SQLModel, table=True):
    """Small facts about the store itself, such as the reference data's fingerprint."""

    key: str = Field(primary_key=True)
    value: str


class SyncPage(SQLModel, table=True):
    """A web page or document the sync has met: what the server said of it last time, and what came of it."""

    url: str = Field(sa_column=Column(Text, primary_key=True))
    source: str | None = Field(default=None, sa_column=Column(Text, index=True))  # the feed or listing it was found on
    page_url: str | None = Field(default=None, sa_column=Column(Text))  # for a PDF: the page that offers it
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    document_id: int | None = None
    outcome: str  # added | unchanged | failed
    reason: str | None = Field(default=None, sa_column=Column(Text))
    checked_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))  # naive UTC


class Announcement(SQLModel, table=True):
    """The outbox: a new document, until every chat following it has been told (or it came in quietly)."""

    document_id: int = Field(primary_key=True, foreign_key="document.id")
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))
    quiet: bool = False  # the first load or a back-fill: stored, never announced
    claimed_by: str | None = None  # the worker announcing it now
    claimed_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime))  # naive UTC; a stale claim is taken over
    announced_at: dt.datetime | None = Field(default=None, sa_column=Column(DateTime, index=True))  # naive UTC; None: still to do


class Delivery(SQLModel, table=True):
    """One chat done with for one document (told, or unreachable for good), so that no chat hears of it twice."""

    document_id: int = Field(primary_key=True, foreign_key="document.id")
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    sent_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))  # naive UTC


class Lease(SQLModel, table=True):
    """A job only one worker may run at a time (the scheduled sync): who holds it, and until when."""

    name: str = Field(primary_key=True)
    holder: str
    expires_at: dt.datetime = Field(sa_column=Column(DateTime, nullable=False))  # naive UTC
