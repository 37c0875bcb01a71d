"""The rules over a whole document's findings, run after knowledge.documents.rules has decided each one: what one
sentence cannot know alone (a failing a cause of concern names, a grade given twice, history behind a newer change).

Each is a function of the document's text, its findings (changed in place) and the organisation it is about, with a
test of its own in tests/test_parsing.py.
"""

import re
from itertools import groupby

from knowledge.documents.kinds import HISTORY
from knowledge.documents.rules import TABLE_LABEL, ParsedFinding
from knowledge.models import Kind, Polarity

# "a cause for concern" that names what fails ("the force's failure to record crime was a serious cause for
# concern"): the document's criticism of that failing is the cause of concern too.
CONCERN_SUBJECT = re.compile(r"\b(?:failure|failing|failed|inability) to (?P<verb>[a-z]{4,})\b[^.]{0,80}?\bcauses? (?:of|for) concern\b", re.I)
# "placed in special measures after concerns about how long the public waits for calls to be answered": the
# document's criticism of that is the cause of concern (rule_criticism_behind_engage)
ENGAGED_OVER = re.compile(r"\b(?:special measures|Engage)\b[^.]{0,120}?\b(?:after|over|because of) concerns? (?:about|over|that) (?P<what>[^.]{10,150})", re.I)
CONTENT = re.compile(r"[a-z]{4,}")
DEFINITE_NOW = re.compile(r"\b(?:today|this week|has today|have today|will be)\b", re.I)
CONTENT_STOP = frozenset("about that their there with from have been were this when what which would could should into they them than then also only more most some such time".split())


def rule_failing_named_as_concern(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """Criticism of the failing a cause of concern names ("the force's failure to record crime was a serious cause
    for concern") is that cause of concern too."""
    for named in CONCERN_SUBJECT.finditer(text):
        verb = named.group("verb").lower()
        failing = re.compile(rf"\b(?:un)?{re.escape(verb)}\w*", re.I)
        for f in findings:
            if f.kind == Kind.area_for_improvement and f.polarity == Polarity.negative and failing.search(text, f.start, f.end):
                f.kind = Kind.cause_of_concern


def rule_criticism_behind_engage(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """Criticism of what a force was put into Engage over is a cause of concern, while it is going in (not in a
    document that also records it coming out)."""
    if any(f.status == "engage_exited" for f in findings):
        return
    for over in ENGAGED_OVER.finditer(text):
        concern = {w[:5] for w in CONTENT.findall(over.group("what").lower()) if w not in CONTENT_STOP}
        for f in findings:
            if f.kind == Kind.area_for_improvement and f.polarity == Polarity.negative and not (f.start <= over.start() < f.end):
                words = {w[:5] for w in CONTENT.findall(text[f.start : f.end].lower()) if w not in CONTENT_STOP}
                if len(concern & words) >= 2:
                    f.kind = Kind.cause_of_concern


def rule_table_outranks_praise(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """A grade read from praise ("The force is good at preventing crime") gives way to the grades table's row for that
    area: the sentence is then the strength it says, and the table gives the grade."""
    tabled = {(f.organisation_id, area.lower()) for f in findings if f.label == TABLE_LABEL for area, _ in f.grades}
    for f in findings:
        if f.praise and tabled:
            f.grades = [(area, grade) for area, grade in f.grades if (f.organisation_id, area.lower()) not in tabled]
            if not f.grades:
                f.kind, f.polarity = Kind.strength, Polarity.positive


def rule_one_grade_per_area(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """A document grades each area of an organisation once: a grade repeated (the list after a lead-in that already
    gave it, a summary and its table) is recorded where it is first given."""
    seen: set[tuple[str | None, str, str]] = set()
    for f in findings:
        kept = []
        for area, grade in f.grades:
            key = (f.organisation_id, " ".join(area.lower().split()), grade)
            if key not in seen:
                seen.add(key)
                kept.append((area, grade))
        f.grades = kept


def rule_history_is_background(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """A dated past entry into Engage ("was moved into Engage in October 2022") is background: it records no change of
    status when the document reports a newer one, or when the document is not about that organisation."""
    changes = [f for f in findings if f.status in ("engage_entered", "engage_exited")]
    history = [f for f in changes if f.status == "engage_entered" and HISTORY.search(text, f.start, f.end) and not DEFINITE_NOW.search(text, f.start, f.end)]
    newer = [f for f in changes if f not in history]
    for f in history:
        if newer or f.organisation_id != subject or re.search(r"\buntil\b", text[f.start : f.end], re.I):  # "was in Engage until 2018"
            f.status = None


def rule_list_items_share_their_kind(text: str, findings: list[ParsedFinding], subject: str | None = None) -> None:
    """The items of one list after a lead-in that names no kind ("found that the force has:") say the same kind of thing:
    one whose own words are neutral ("recorded more crimes within 24 hours") takes the kind all its siblings share."""
    for context, group in groupby(findings, key=lambda f: f.context if f.speaker is None else None):
        items = list(group)
        kinds = [f for f in items if f.kind != Kind.context]
        if context is not None and len(items) >= 3 and len(kinds) >= 2 and len({f.kind for f in kinds}) == 1 and kinds[0].kind in (Kind.strength, Kind.area_for_improvement):
            for f in items:
                if f.kind == Kind.context and f.polarity == Polarity.neutral and not f.status:
                    f.kind, f.polarity = kinds[0].kind, kinds[0].polarity


# Then these, in order, over the whole document's findings: what one sentence cannot know alone.
DOCUMENT_RULES = [
    rule_failing_named_as_concern,
    rule_criticism_behind_engage,
    rule_list_items_share_their_kind,
    rule_table_outranks_praise,
    rule_one_grade_per_area,
    rule_history_is_background,
]
