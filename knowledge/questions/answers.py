"""What an answer is: plain data (an Answer with Citations, an Overview, GradeRows), the same for the CLI, the
bot and programs. Only the front turns it into text or HTML; the English it carries comes from wording.py."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from knowledge.models import Document, Finding
from knowledge.questions import summaries, wording
from knowledge.reference import Reference

if TYPE_CHECKING:
    from knowledge.questions.progress import Progress


@dataclass(frozen=True)
class OrganisationRef:
    id: str
    name: str
    kind: str

    @classmethod
    def of(cls, reference: Reference, organisation_id: str) -> "OrganisationRef":
        org = reference.organisations[organisation_id]
        return cls(org.id, org.name, org.kind)


@dataclass(frozen=True)
class DocumentRef:
    id: int
    title: str | None
    publisher: str | None
    section: str | None
    published: dt.date | None
    url: str | None
    source_path: str | None
    doc_type: str

    @classmethod
    def of(cls, d: Document) -> "DocumentRef":
        return cls(d.id, d.title, d.publisher, d.section, d.published, d.url, d.source_path, d.doc_type)

    @property
    def label(self) -> str:
        """How the document is named in a citation: its title, else its publisher, else its section."""
        return wording.document_label(self)


@dataclass(frozen=True)
class Citation:
    """One verbatim quote: document.text[start:end], with everything needed to attribute it."""

    quote: str
    kind: str
    polarity: str
    organisation: OrganisationRef | None
    speaker: str | None
    role: str | None
    context: str | None
    document: DocumentRef
    start: int
    end: int
    finding_id: int
    heading: str | None = None  # the document's own heading over the finding
    deadline: str | None = None

    status: str | None = None  # engage_entered | engage_exited | progress | discharged
    also_in: tuple["DocumentRef", ...] = ()  # other documents that repeat this finding (shown once, under its best source)
    speech: str | None = None  # a statement: "direct" (the person's own words in quotation marks) or "reported" (the publisher's account)

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation else "no single organisation"

    @property
    def label(self) -> str:
        """What the finding is, in the inspectorate's words where the document gives them (see wording.citation_label)."""
        return wording.citation_label(self)


def cite(findings: list[Finding], documents: dict[int, Document], reference: Reference, also: dict[int, list[Finding]] | None = None) -> list[Citation]:
    """The findings as citations of their documents; `also`: per finding id, the findings that repeat it elsewhere."""
    citations = []
    for f in findings:
        ref = DocumentRef.of(documents[f.document_id])
        org = OrganisationRef.of(reference, f.organisation_id) if f.organisation_id else None
        repeated = tuple(DocumentRef.of(documents[r.document_id]) for r in (also or {}).get(f.id, []))
        citations.append(Citation(f.text, f.kind, f.polarity, org, f.speaker, f.role, f.context, ref, f.start, f.end, f.id, f.label, f.deadline, f.status, repeated, f.speech))
    return citations


@dataclass(frozen=True)
class GradeRow:
    """One graded area of an organisation in one inspection."""

    area: str
    grade: str
    cycle: str | None
    document: DocumentRef


@dataclass(frozen=True)
class Overview:
    """What a reader needs first about one organisation: its latest grade in each area, how many causes of
    concern, areas for improvement and recommendations are on record, and its monitoring status."""

    organisation: OrganisationRef
    grades: list[GradeRow] = field(default_factory=list)  # the newest grade of each area, newest inspection first
    counts: dict[str, int] = field(default_factory=dict)  # kind -> number on record, most serious first
    monitoring: str | None = None  # engage_entered | engage_exited
    monitoring_document: DocumentRef | None = None

    def sentences(self) -> list[str]:
        """The overview as sentences: 'Latest grades: responding to the public — inadequate (PEEL ..., 16 May 2024); ...'."""
        return summaries.overview_sentences(self)

    @property
    def monitoring_state(self) -> str:
        return summaries.monitoring_state(self.monitoring)


@dataclass(frozen=True)
class Answer:
    """What the bot says: a summary, the cited findings in the order shown, and suggestions."""

    question: str
    intent: str
    summary: str
    organisations: list[OrganisationRef] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    more: int = 0  # matching findings after the ones shown
    candidates: list[OrganisationRef] = field(default_factory=list)  # for "Did you mean ...?"
    page: int = 0
    topic: list[str] = field(default_factory=list)  # words that ask it again (topics, dates, kind of document, role)
    wanted: str | None = None  # for an ambiguous name: the intent to answer once one is picked
    overview: Overview | None = None  # for one organisation's overview or grades: shown before the findings
    heading: str | None = None  # with an overview: the line above it (the summary then repeats the overview in sentences)
    compared: list[Overview] = field(default_factory=list)  # a comparison of two: each one's latest grades, side by side
    progress: "Progress | None" = None  # "has it been fixed?": concerns followed across documents (progress.py)
