"""The rules a sentence of the inspectorate's goes through, in order: the first that decides, decides.

Each rule is a small named function of a Unit (one sentence, bullet or table row) and the Page it is on, with a
test of its own in tests/test_parsing.py. The words the rules read are in knowledge.documents.kinds and grades.
"""

import re
from dataclasses import dataclass, field

from knowledge.documents.grades import EARLIER_INSPECTION, grades_in, is_grade_sentence
from knowledge.documents.kinds import DEFINITE, INLINE_LABEL, classify, polarity_of, section_kind, status_of
from knowledge.documents.speakers import FIRST_PERSON, Cast, Person
from knowledge.documents.structure import Block, BlockKind
from knowledge.matching import Mention
from knowledge.models import Kind, Polarity

NOT_COVERED = re.compile(r"\binspected separately\b|\bnot (?:part of|assessed in|included in|covered by|inspected in) (?:this|the) (?:report|inspection)\b", re.I)
# A press release's own sentence that reports the inspectorate's view, not the publisher's.
REPORTS_INSPECTORATE = re.compile(
    r"\b(?:inspectors?|inspectorate|HMICFRS|the report|this report|the inspection|the watchdog)\b,?\s+(?:[\w,]+\s+){0,4}?"
    r"(?:found|finds|said|says|say|recognis\w*|recognized|graded|rated|praised|identified|highlighted|noted|concluded|judged|also)\b"
    r"|\b(?:graded|rated|judged)\b",
    re.I,
)
ENGAGE_WORDS = re.compile(r"\b(?:engage|scan phase|enhanced monitoring|routine monitoring|special measures|monitoring)\b", re.I)
GENERAL = re.compile(r"^(?:all |most |some |many )?forces\b|^(?:a|any) (?:force|service)\b|\b(?:may|can|could|might)\b|^it (?:may|can|will)\b", re.I)
TERMINAL = re.compile(r"[.!?\u201d\"\u2019')\u2026:]$")


@dataclass
class ParsedFinding:
    """A finding before it is stored: a span of the document text and what it is."""

    start: int
    end: int
    kind: str
    polarity: str = Polarity.neutral
    speaker: str | None = None
    role: str | None = None
    context: str | None = None
    organisation_id: str | None = None
    grades: list[tuple[str, str]] = field(default_factory=list)  # (area, grade) for kind == grade
    label: str | None = None  # the heading the finding sits under, when it names a kind
    cause: int | None = None  # index (in the findings list) of a recommendation's cause of concern
    deadline: str | None = None
    status: str | None = None


@dataclass
class Page:
    """What the rules know about the document as they walk it."""

    text: str
    blocks: list[Block]
    starts: list[int]  # of the strong mentions, for bisect
    strong: list[Mention]  # in text order
    subject: str | None
    publisher_org: str | None
    first_person: bool  # a force's or commissioner's own press release: "we" is the publisher
    roundup: bool
    signatory: Person | None
    section: tuple[str | None, str | None] = (None, None)  # (label, kind)
    lead_in: tuple[str | None, str | None, str | None] | None = None  # (sentence, kind, deadline)
    cause: int | None = None
    paragraph_org: str | None = None
    findings: list[ParsedFinding] = field(default_factory=list)
    cast: Cast | None = None  # whom it quotes (the walk's: no rule reads it)
    last_unit_end: int = 0
    last_statement: tuple[Person, int] | None = None  # who spoke last, and where that paragraph ended  # where the document's last sentence ends (a fragment there is no finding)


@dataclass
class Unit:
    """One sentence (or bullet, or table row) on its way through RULES."""

    start: int
    end: int
    block: Block
    kind: str | None = None  # from a heading or lead-in
    context: str | None = None
    drop: bool = False
    done: bool = False
    general: bool = False  # about no organisation in particular
    finding: ParsedFinding | None = None

    def text(self, page: Page) -> str:
        return page.text[self.start : self.end]


def rule_truncated_fragment(unit: Unit, page: Page) -> None:
    """The document's last sentence without closing punctuation was cut off: its text stays, it is no finding."""
    if unit.end >= page.last_unit_end and unit.block.kind in (BlockKind.paragraph, BlockKind.quote) and not TERMINAL.search(unit.text(page)):
        unit.drop = True

def rule_parenthetical(unit: Unit, page: Page) -> None:
    """A sentence wholly in brackets ("(synthetic test document)", "(Picture: PA)") is no finding."""
    words = unit.text(page)
    if re.fullmatch(r"\(.*\)\.?", words) or not re.search(r"[A-Za-z]{2}", words):
        unit.drop = True

def rule_process_explanation(unit: Unit, page: Page) -> None:
    """"All forces start in the Scan phase ...": how monitoring works is context about no organisation."""
    words = unit.text(page)
    if ENGAGE_WORDS.search(words) and GENERAL.search(words) and not DEFINITE.search(words.split(",")[0]):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.general = True
        unit.done = True

def rule_scope_note(unit: Unit, page: Page) -> None:
    """"Kent Police, which was inspected separately, was not part of this report": context, not a finding about it."""
    if NOT_COVERED.search(unit.text(page)):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.done = True

def rule_status_change(unit: Unit, page: Page) -> None:
    """"X has been placed into special measures": a change of monitoring status, told as context with its status."""
    words = unit.text(page)
    status = status_of(words)
    if status in ("engage_entered", "engage_exited"):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, polarity_of(words))
        unit.done = True

def rule_inline_label(unit: Unit, page: Page) -> None:
    """'Area for improvement: The force should ...': the label gives the kind, the quote is what follows."""
    m = INLINE_LABEL.match(unit.text(page))
    if m:
        _, kind = section_kind(m.group("label"))
        unit.kind = kind
        unit.context = None
        unit.start = unit.start + m.end()
        unit.finding = ParsedFinding(0, 0, kind or Kind.context, label=m.group("label").strip().capitalize())

def rule_first_person_release(unit: Unit, page: Page) -> None:
    """In a force's or commissioner's own release, its own sentences ("We have recruited ...") are its statements."""
    if not page.first_person or unit.block.kind == BlockKind.table_row:
        return
    words = unit.text(page)
    if FIRST_PERSON.search(words) and not REPORTS_INSPECTORATE.search(words):
        person = page.signatory if page.signatory and re.search(r"\b(?:I|my|me)\b", words) else None
        speaker, role = (person.name, person.role) if person else (None, "spokesperson")
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.statement, polarity_of(words), speaker, role)
        unit.done = True

def rule_grade(unit: Unit, page: Page) -> None:
    """A sentence or table row that states grades (or counts them) is a grade."""
    words = unit.text(page)
    if unit.block.kind == BlockKind.table_row:
        grades = grades_in(words)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade if grades else Kind.context, Polarity.neutral, grades=grades)
        unit.done = True
        return
    if is_grade_sentence(words):
        # "When the force was last inspected in 2022 it was graded adequate": an earlier grade, quotable, but
        # not one of this document's grades (an overview's "latest grades" must not list it).
        grades = [] if EARLIER_INSPECTION.search(words) else grades_in(words)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, polarity_of(words), grades=grades)
        unit.done = True

def rule_section_kind(unit: Unit, page: Page) -> None:
    """Under "Areas for improvement" or after a lead-in that names a kind, a sentence takes that kind."""
    kind = unit.kind
    if kind and unit.block.kind != BlockKind.table_row:
        polarity = Polarity.positive if kind == Kind.strength else Polarity.negative
        label = unit.finding.label if unit.finding else None
        unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label)
        unit.done = True

def rule_own_words(unit: Unit, page: Page) -> None:
    """Otherwise the sentence's own words decide: concern, recommendation, improvement, strength or context."""
    kind, polarity = classify(unit.text(page))
    label = unit.finding.label if unit.finding else None
    unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label)
    unit.done = True


# The inspectorate's sentences go through these in order; the first that decides, decides.
RULES = [
    rule_truncated_fragment,
    rule_parenthetical,
    rule_inline_label,
    rule_first_person_release,
    rule_process_explanation,
    rule_scope_note,
    rule_grade,
    rule_status_change,
    rule_section_kind,
    rule_own_words,
]
