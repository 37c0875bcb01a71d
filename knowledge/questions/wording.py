"""Wording: every English sentence an answer uses, from a citation's label to the summary over the findings.

The other stages hand over plain values (organisations, counts, topics, what was relaxed); the words a reader
sees are chosen here, so that they can be read, and changed, in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from typing import TYPE_CHECKING

from knowledge.models import Kind, Polarity
from knowledge.questions.selecting import SEARCH_DEPTH
from knowledge.questions.understanding import DATA, Topic
from knowledge.state.store import COUNT_CAP

if TYPE_CHECKING:
    from knowledge.questions.answers import Citation, DocumentRef, Overview

CAPPED = (
    f"Showing the newest of the {SEARCH_DEPTH} added most recently; name a force or a town, "
    "or add a word, to narrow it down."
)
RANKED_CAPPED = (
    f"Showing the most relevant of the {SEARCH_DEPTH} added most recently; name a force or a town, "
    "or add a word, to narrow it down."
)

EXAMPLES = (
    "What must Cambridgeshire improve?",
    "Peterborough police sex offenders",
    "What did the inspector say about Cambs?",
)

# An area for improvement in the document's own words, and what a force is told it must do.
IMPROVEMENT = re.compile(
    r"\b(?:areas? for improvement|improve(?:s|d|ments?)?|improving|could be better)\b", re.I)
MUST = re.compile(
    r"(?<!\bas )\b(?:force|service|constabulary|brigade|police|it|we|and)\s+(?:still\s+|also\s+|now\s+)?(?:must|needs? to|has to|should)\b(?! not\b)", re.I)
FIGURE = re.compile(r"\d+(?:\.\d+)? ?(?:per ?cent|percent|%)|\b\d+ (?:minutes|seconds|hours|days)\b", re.I)

KIND_LABELS = {
    Kind.strength: "Strength",
    Kind.area_for_improvement: "Area for improvement",
    Kind.cause_of_concern: "Cause of concern",
    Kind.recommendation: "Recommendation",
    Kind.grade: "Grade",
    Kind.statement: "Statement",
    Kind.context: "Finding",
}

INTENT_NOUNS = {
    "improve": "areas for improvement",
    "concerns": "causes of concern",
    "recommendations": "recommendations",
    "strengths": "strengths",
    "grades": "grades",
    "statements": "statements",
    "overview": "findings",
    "compare": "findings",
    "latest": "findings",
    "topic": "findings",
    "engage": "records of Engage (enhanced monitoring, \u201cspecial measures\u201d)",
}

INTENT_HEADINGS = {
    "engage": "What the documents say about {names} and Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d)",
    "improve": "What {names} needs to improve",
    "concerns": "Causes of concern for {names}",
    "recommendations": "Recommendations for {names}",
    "strengths": "What {names} does well",
    "grades": "Grades for {names}",
    "statements": "What was said about {names}",
    "overview": "Findings on {names}",
    "topic": "Findings on {names}",
    "latest": "Findings on {names}",
}

PLURALS = {
    Kind.strength: ("strength", "strengths"),
    Kind.area_for_improvement: ("area for improvement", "areas for improvement"),
    Kind.cause_of_concern: ("cause of concern", "causes of concern"),
    Kind.recommendation: ("recommendation", "recommendations"),
    Kind.grade: ("grade", "grades"),
    Kind.statement: ("statement", "statements"),
    Polarity.negative: ("criticism", "criticisms"),
    Polarity.positive: ("positive finding", "positive findings"),
    Polarity.neutral: ("other finding", "other findings"),
}
GRADE_WORDS = {"requires_improvement": "requires improvement"}
NOT_COMPARABLE = "Grades from different inspection cycles are not comparable."
SMALL_TALK = {
    "greeting": "Hello! Ask me about a police force, a fire and rescue service or a town, for example \u201c{example}\u201d.",
    "thanks": "You\u2019re welcome. Ask again any time.",
    "bye": "Goodbye. Ask again any time.",
}
ROLE_ARTICLES = {"spokesperson": "a spokesperson", "MP": "an MP", "Councillor": "a councillor", "union official": "a union official", "Minister": "a minister"}
ENGAGE = "Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d)"


@cache
def public_services() -> dict[str, dict[str, str]]:
    """General public-service answers (how to complain, whom to call), with their sources."""
    return tomllib.loads((DATA / "public_services.toml").read_text(encoding="utf-8"))


# -- words and numbers -------------------------------------------------------------------------


def tally(counts: dict[str, int]) -> str:
    """'3 areas for improvement and 2 criticisms': counts by what a reader would call them."""
    parts = [f"{n} {PLURALS[key][n != 1]}" for key, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def long_date(day: dt.date | None, unknown: str = "date unknown") -> str:
    """'22 December 2021', as citations print dates."""
    return f"{day.day} {day:%B %Y}" if day else unknown


def quoted(words: list[str] | str) -> str:
    return "\u201c" + (words if isinstance(words, str) else " ".join(words)) + "\u201d"


def topic_list(topics: list[Topic], joiner: str = "and") -> str:
    """'“vetting” and “2024”': topics as the user asked them, each quoted."""
    return f" {joiner} ".join(quoted(t.words) for t in topics)


def how_many(n: int) -> str:
    """'598', or 'More than 1,000' once the store stopped counting."""
    return f"More than {COUNT_CAP:,}" if n > COUNT_CAP else f"{n:,}"


def grade_word(grade: str) -> str:
    return GRADE_WORDS.get(grade, grade)


# -- labels ------------------------------------------------------------------------------------


def document_label(d: DocumentRef) -> str:
    """How a document is named in a citation: its title, else its publisher, else its section."""
    if d.title:
        return d.title
    if d.publisher:
        return f"{d.publisher} {d.doc_type.replace('_', ' ')}"
    if d.section:
        return f"\u201c{d.section}\u201d {'news article' if d.doc_type == 'article' else d.doc_type.replace('_', ' ')}"
    return f"untitled {d.doc_type.replace('_', ' ')}"  # never a local file path: that is for programs


def citation_label(c: Citation) -> str:
    """What the finding is, in the inspectorate's words where the document gives them: the heading it sits
    under (innovative practice), the kind the parser assigned, or who said it."""
    if c.heading and re.match(r"(?:innovative|promising) practice", c.heading, re.I):
        return c.heading[:1].upper() + c.heading[1:]
    if c.kind == Kind.recommendation and c.deadline:
        return f"Recommendation ({c.deadline[0].lower()}{c.deadline[1:]})"
    if c.heading == "Verdict heading":
        return "Verdict" if c.polarity == Polarity.negative else "Positive verdict"
    if c.kind == Kind.statement:
        return statement_label(c.speaker, c.role)
    if c.status in ("engage_entered", "engage_exited"):
        return "Monitoring status (Engage)"
    if c.kind in (Kind.strength, Kind.context) and (must := must_do(c)):
        return must  # "the force must answer 999 and 101 calls more quickly" is no praise, whatever its words
    if c.kind == Kind.area_for_improvement and not named_improvement(c):
        # Classified as one by its critical tone alone: an instruction or a figure says what it is; otherwise
        # the kind stands, as the answer's counts have it.
        return must_do(c) or ("Performance figure" if FIGURE.search(c.quote) else KIND_LABELS[Kind.area_for_improvement])
    if c.kind == Kind.context:
        if c.polarity == Polarity.negative:
            return "Criticism"
        if FIGURE.search(c.quote):
            return "Performance figure"
        return "Positive finding" if c.polarity == Polarity.positive else "Finding"
    return KIND_LABELS.get(c.kind, "Finding")


def named_improvement(c: Citation) -> bool:
    """Whether the document calls this an area for improvement: its heading, or improvement wording in the
    finding or the sentence that introduces it ("... still needs to make some improvements, including:")."""
    heading = (c.heading or "").lower()
    return "improvement" in heading or any(IMPROVEMENT.search(t) for t in (c.quote, c.context or "") if t)


def must_do(c: Citation) -> str | None:
    """'What the force must do' for "the force must answer 999 and 101 calls more quickly"."""
    if not MUST.search(c.quote):
        return None
    return "What the service must do" if c.organisation and c.organisation.kind == "fire" else "What the force must do"


def statement_label(speaker: str | None, role: str | None) -> str:
    """'Statement by Roy Wilsher, HM Inspector of Constabulary', 'Statement by a spokesperson'."""
    if speaker and role and role != "spokesperson":
        return f"Statement by {speaker}, {role}"
    if speaker:
        return f"Statement by {speaker}" + (" (spokesperson)" if role == "spokesperson" else "")
    if role:
        return f"Statement by {ROLE_ARTICLES.get(role, 'the ' + role)}"
    return "Statement"


# -- an organisation's overview -----------------------------------------------------------------


def overview_sentences(o: Overview) -> list[str]:
    """The overview as sentences: 'Latest grades: responding to the public — inadequate (PEEL ..., 16 May 2024); ...'."""
    parts = []
    if o.grades:
        listed = "; ".join(f"{r.area} \u2014 {grade_word(r.grade)} ({r.document.label}, {long_date(r.document.published)})" for r in o.grades)
        parts.append(f"Latest grades: {listed}. {NOT_COMPARABLE}")
    if o.counts:
        parts.append(f"On record: {tally(o.counts)}.")
    if o.monitoring and o.monitoring_document:
        parts.append(f"Monitoring: {monitoring_state(o.monitoring)}, as reported on {long_date(o.monitoring_document.published)}.")
    return parts


def monitoring_state(monitoring: str | None) -> str:
    """'in Engage (...)' or 'out of Engage (...)'."""
    state = "in" if monitoring == "engage_entered" else "out of"
    return f"{state} {ENGAGE}"


# -- names -------------------------------------------------------------------------------------


def read_as(words: str, name: str, because: str) -> str:
    """'I read “Kent” as Kent Police, the one with findings published in 2021.'"""
    return f"I read \u201c{words}\u201d as {name}, the one with findings {because}."


def no_findings_yet(names: str) -> str:
    return f"I have no inspection findings for {names} yet."


def from_last_question(names: str) -> str:
    return f"{names} (from your last question)."
