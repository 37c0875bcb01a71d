"""Wording: every English sentence an answer uses, from a citation's label to the summary over the findings.

The other stages hand over plain values (organisations, counts, topics, what was relaxed); the words a reader
sees are chosen here, so that they can be read, and changed, in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from knowledge import lexicon
from knowledge.models import Finding, Kind, Polarity
from knowledge.questions.selecting import Found, Relaxed
from knowledge.questions.understanding import QUALIFIER, Query, Topic
from knowledge.state.search import COUNT_CAP

if TYPE_CHECKING:
    from knowledge.questions.answers import Citation, DocumentRef

CAPPED = "Showing the most relevant first; add a word or a year to narrow it down."
RANKED_CAPPED = "Showing the most relevant first; name a force or a town, or add a word, to narrow it down."

MAX_NAMED = 8  # organisations named in a summary before "and N more"
NO_SINGLE_ORGANISATION = "no single organisation"
ANY_ORGANISATION = "any organisation"  # who() about no organisation in particular

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
GRADE_WORDS = lexicon.GRADE_WORDS
NOT_COMPARABLE = "Grades from different inspection cycles are not comparable."
SMALL_TALK = {
    "greeting": "Hello! Ask me about a police force, a fire and rescue service or a town, for example \u201c{example}\u201d.",
    "thanks": "You\u2019re welcome. Ask again any time.",
    "bye": "Goodbye. Ask again any time.",
    "insult": "Sorry that was not what you needed. Ask me about a police force, a fire and rescue service or a town, for example \u201c{example}\u201d.",
}
ROLE_ARTICLES = {name: role.article for name, role in lexicon.ROLES.items() if role.article}
ENGAGE = "Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d)"


@cache
def public_services() -> dict[str, dict[str, str]]:
    """General public-service answers (how to complain, whom to call), with their sources."""
    return tomllib.loads((lexicon.DATA / "public_services.toml").read_text(encoding="utf-8"))


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


def topic_list(topics: Sequence[Topic], joiner: str = "and") -> str:
    """'“vetting” and “2024”': topics as the user asked them, each quoted; words the documents never use are not
    repeated ("that" stands for them when nothing else is left)."""
    return f" {joiner} ".join(quoted(t.words) for t in topics if t.known) or "that"


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
    under (innovative practice), the kind the parser assigned, or who said it; a finding an inspector signed
    (their observations, written in the first person) says whose words it is."""
    label = _kind_label(c)
    if c.kind != Kind.statement and c.speaker:
        return f"{label}, in the words of {c.speaker}" + (f", {c.role}" if c.role else "")
    return label


def _kind_label(c: Citation) -> str:
    if c.heading and re.match(r"(?:innovative|promising) practice", c.heading, re.I):
        return c.heading[:1].upper() + c.heading[1:]
    if c.kind == Kind.recommendation and c.deadline:
        return f"Recommendation ({c.deadline[0].lower()}{c.deadline[1:]})"
    if c.heading == "Verdict heading":
        return "Verdict" if c.polarity == Polarity.negative else "Positive verdict"
    if c.kind == Kind.statement:
        label = statement_label(c.speaker, c.role)
        if c.speech == "reported":  # the publisher's sentence about what was said, not the speaker's own words
            return f"{label}, as reported by {c.document.publisher}" if c.document.publisher else f"{label}, in the document's words"
        return label
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


# -- names -------------------------------------------------------------------------------------


def read_as(words: str, name: str, because: str) -> str:
    """'I read “Kent” as Kent Police, the one with findings published in 2021.' (`because`: what follows "the one")"""
    return f"I read \u201c{words}\u201d as {name}, the one {because}."


def read_as_both(words: str, names: str, because: str) -> str:
    """'I read “Leicestershire” as Leicestershire Fire and Rescue Service and Leicestershire Police, both of which Roy
    Wilsher spoke about.' (`because`: what follows "both of which")"""
    return f"I read \u201c{words}\u201d as {names}, both of which {because}."


def aged(name: str, day: dt.date) -> str:
    """'The newest document I hold on Durham Constabulary is from July 2022.'"""
    return f"The newest document I hold on {name} is from {day:%B %Y}."


def no_findings_yet(names: str) -> str:
    return f"I have no inspection findings for {names} yet."


def from_last_question(names: str) -> str:
    return f"{names} (from your last question)."


def on_last_topic() -> str:
    return "On the topic of your last question."


# -- refusals and short answers ------------------------------------------------------------------

HELP = (
    "I answer questions about HMICFRS inspections of the police forces of England and Wales and the "
    "fire and rescue services of England, quoting the documents word for word. Name a force, a fire "
    "service or a town, and what you want to know."
)
EXAMPLE_FORMS = (("What must {} improve?", "improve"), ("What is {} good at?", "strengths"), ("Is {} any good?", "overview"))
OTHER_QUESTIONS = {
    "improve": "What must {} improve?",
    "strengths": "What is {} good at?",
    "statements": "What did the inspector say about {}?",
    "latest": "Latest on {}",
}


def help_text(topic: list[str] | None = None) -> str:
    """The short help text; with the words of a topic nothing matched, saying so first."""
    return f"I have no findings about {quoted(topic)}. {HELP}" if topic else HELP


def small_talk(kind: str, example: str) -> str:
    return SMALL_TALK[kind].format(example=example)


def public_service_note(sources: str) -> str:
    return f"General information, not an inspection finding. Source: {sources}."


def which_of(words: str) -> str:
    return f"\u201c{words}\u201d could mean more than one organisation. Which do you mean?"


def not_inspected(name: str, inspector: str) -> str:
    return (f"{name} is inspected by {inspector}, not HMICFRS, so I have no HMICFRS findings for it. "
            "I cover the police forces of England and Wales and the fire and rescue services of England.")


def other_questions(name: str, intent: str) -> list[str]:
    """Up to three other questions about the organisation, none of the kind just asked."""
    return [q.format(name) for i, q in OTHER_QUESTIONS.items() if i != intent][:3]


def corrections(query: Query) -> list[str]:
    """'I read “recomendations” as “recommendations”.' for each misspelt word corrected."""
    return [f"I read \u201c{wrong}\u201d as \u201c{right}\u201d." for wrong, right in query.corrections]


def who(query: Query, names: str) -> str:
    """Who the question asks to hear from: 'Roy Wilsher', 'the chief constable of Kent Police', 'the inspectors'."""
    if query.persons:
        return " or ".join(n for n in query.persons if not _surname_only(n, query.persons))
    role = " ".join(w.upper() if w in ("mp", "pcc", "cc", "cfo", "fbu", "hmi", "hm") else w for w in (query.role_words or "that person").split())
    if role.lower() in ("inspector", "inspectors", "hmi", "hm inspector"):
        return f"the inspectors about {names}" if names != ANY_ORGANISATION else "the inspectors"
    return f"the {role} of {names}" if names != ANY_ORGANISATION else f"the {role}"


def _surname_only(name: str, names: Sequence[str]) -> bool:
    """"Ms Shiner" beside "Jo Shiner": the same person, named once."""
    words = name.split()
    return len(words) == 2 and words[0].rstrip(".") in ("Ms", "Mr", "Mrs", "Miss", "Dr") and any(n != name and n.endswith(" " + words[1]) for n in names)


def documents(n: int) -> str:
    return f"{n} document{'s' if n != 1 else ''}"


# -- what was relaxed to find anything ----------------------------------------------------------


def explaining(intent: str | None) -> str:
    """The lead of an answer on how monitoring or grading works."""
    if intent == "grades":
        return "How the inspectorate grades forces and services, in the words of the documents I hold (about no organisation in particular):"
    return ("How Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d) works, in the words of the documents I hold "
            "(about no organisation in particular):")


def relax_note(found: Found, names: str | None, shown: Sequence[Finding] = ()) -> list[str]:
    """What the topic search gave up: some of the topics, or all of them at once; and whether findings on the main
    topic alone are among those `shown`, few being on every topic."""
    about = f" for {names}" if names else ""
    if found.any_of:
        return [f"Nothing{about} mentions all of {topic_list(found.topics)}; these mention some of them, best matches first."]
    notes = []
    if found.dropped and found.topics:
        gone = topic_list(found.dropped)
        kept = topic_list(found.topics)
        notes.append(f"Nothing{about} on {gone} together with {kept}; these are on {kept}.")
    together = set((found.ids or ())[: found.together])
    if found.then and any(f.id not in together for f in shown):
        on = topic_list([t for t in found.topics if t not in found.then] + list(found.then), "and")
        notes.append(f"Few findings{about} are on {on} together, so those on {topic_list(found.then, 'or')} alone are shown with them.")
    return notes


NATIONAL_INSTEAD = "National reports, about no force or service in particular, say this on it:"  # after "nothing" of a town's force
INSPECTORS_FIRST = "The inspectors\u2019 own words come first."  # "what did inspectors say X must improve"
UNDATED = "these come from documents whose date I could not tell, so they may or may not be from then."  # nothing dated as asked


def relaxed_about(r: Relaxed, names: str, plural: bool) -> str:
    """What an answer about organisations gave up: the speaker's topic, the kind of document, or the topic."""
    before = r.query
    if r.what == "speaker_topic":
        return f"Nothing by {who(before, names)} on {topic_list(before.topics, 'or')}; here is what was said."
    if r.what == "speaker_more":
        return f"What {who(before, names)} said on {topic_list(before.topics, 'or')} comes first; the rest of what they said in the same documents follows."
    if r.what == "year":
        return (f"Nothing {before.dates.describe() if before.dates else ''} for {names}; an inspection is often reported the year after it is "
                "done, so these are from the next year.")
    if r.what == "year_more" and before.dates and before.dates.since:
        return (f"Few findings {before.dates.describe()} for {names}; an inspection is often reported the year after it is done, so those "
                f"from {before.dates.since.year + 1} follow.")
    if r.what == "undated":
        return f"Nothing {before.dates.describe() if before.dates else ''} for {names}; {UNDATED}"
    if r.what == "documents":
        kind = before.document_words or " or ".join(before.documents) or "that kind of"
        for name in before.documents:  # as the documents write it: "PEEL inspection", not "peel inspection"
            kind = re.sub(re.escape(name), name, kind, flags=re.I)
        if r.intent == "statements" and (before.persons or before.role):  # their words may be in no such document, though it exists
            on = f" on {topic_list(before.topics, 'or')}" if before.topics else ""
            return f"Nothing by {who(before, names)}{on} in {kind} documents; here is what was said in others."
        return f"I have no {kind} document for {names}; these come from {'their' if plural else 'its'} other documents."
    if r.what == "same_report":
        return f"Few findings for {names} use those words; the rest of what the same report says of {'them' if plural else 'it'} follows, nearest the question first."
    wanted, noun = topic_list(before.topics, "or"), INTENT_NOUNS[r.intent]
    if r.found.ids == ():
        among = f" among {'their' if plural else 'its'} {noun}." if r.intent != "topic" else "."
        return f"Nothing on {wanted} for {names}{among} Here is what I have instead."
    return f"None of the {noun} for {names} mention {wanted}. Here is what I have instead."


def followed(intent: str, query: Query, after: bool, on_kind: bool) -> str:
    """What follows the findings of the kind asked, when they are few or none: other findings on the question's
    topic, the inspectorate's findings after its inspectors' words, an Engage record's reasons."""
    if intent == "engage" and query.why_engage == "engage_exited":
        return "The improvements the documents that record it give follow: the reasons it left."
    if intent == "engage" and query.why_engage == "engage_entered":
        return "The criticism the documents that record it give follows, most serious first: the reasons it went in."
    if intent == "engage" and not after and on_kind:  # no Engage record: the sentences that speak of it
        return "Here are the findings that speak of special measures."
    if intent == "engage" and not (query.why or query.topics):
        return "The other findings of the documents that record it follow, those on Engage itself first, then the reasons they give."
    if intent == "engage":
        return "The other findings of the documents that record it follow, most serious first: the reasons they give."
    on = f" on {topic_list(query.topics)}" if query.topics and not on_kind else f" that speak of {INTENT_NOUNS[intent]}" if on_kind else ""
    if intent == "statements" and query.persons:
        return f"Findings that name {who(query, ANY_ORGANISATION)} follow." if after else f"These findings name {who(query, ANY_ORGANISATION)}:"
    if intent == "statements":
        return f"The inspectorate\u2019s findings{on} follow the inspectors\u2019 words." if after else f"Here are the inspectorate\u2019s findings{on}."
    return f"Other findings{on} follow the {INTENT_NOUNS[intent]}." if after else f"Here are other findings{on}."


def across_topic(query: Query, found: Found) -> str:
    """The topic as found, with the words that only qualified it ("slow"), each quoted."""
    qualifiers = [t for t in query.topics if query.negative and t.label == QUALIFIER]
    return topic_list([*found.topics, *qualifiers] if found.topics else list(query.topics))


def widened(topic: Topic) -> str:
    """'No finding uses the words “burglaries”; these are on burglary and investigating crime, in the documents’ words.'"""
    return f"No finding uses the words {quoted(topic.words)}; these are on {topic.label}, in the documents\u2019 words."


def in_titled(topic: Topic) -> str:
    """'No finding uses the word “fraud”; these are from documents titled with it.'"""
    return f"No finding uses the words {quoted(topic.words)}; these are from documents titled with them."


def relaxed_across(r: Relaxed) -> str:
    """What an answer across organisations gave up: the year asked, the kind of document, the speaker's topic
    (looked for in documents on it, or not)."""
    by, topic = who(r.query, ANY_ORGANISATION), across_topic(r.query, r.found)
    if r.what == "year":
        return (f"Nothing {r.query.dates.describe() if r.query.dates else ''}; a report is often published the year after the one it "
                "covers, so these are from the next year.")
    if r.what == "undated":
        return f"Nothing {r.query.dates.describe() if r.query.dates else ''}; {UNDATED}"
    if r.what == "titled_report":
        return f"From the report titled {quoted(r.title or '')} first, nearest the question; other findings on {topic} follow."
    if r.what == "inspectorate":
        return f"Nothing in the inspectors\u2019 own words on {topic}; here are the inspectorate\u2019s findings on it."
    if r.what == "their_reports":
        return f"Nothing in {by}\u2019s own words on {topic}; here is what the inspectorate\u2019s documents quoting {by} say of it."
    if r.what == "speaker_more":
        return f"What {by} said on {topic} comes first; the rest of what they said follows."
    if r.what == "counted_elsewhere":
        return f"No sentence on the question\u2019s topic gives that count; these give a number of {topic} in other reports, and may count something else."
    if r.what == "counted":
        return f"The sentences that give the count asked come first, from the documents most on {topic}; other findings on it follow."
    if r.what == "same_report":
        return "Few findings use every word of the question; the rest of what the same report says follows, nearest the question first."
    if r.what == "reports":
        return f"No finding on {topic} is one of the {INTENT_NOUNS[r.intent]}; these are from the reports most on it."
    if r.what == "documents" and not r.query.persons:
        return f"I have no {r.query.document_words or 'such'} documents on that; these come from others."
    if r.what == "documents":
        return f"Nothing by {by} in {r.query.document_words or 'those'} documents; here is what was said in others."
    if r.what == "named":
        return f"I have nothing said by {by}; these findings name them."
    if r.what == "speaker_topic_in_documents":
        return f"Nothing by {by} names {topic}; here is what was said in documents on it."
    return f"Nothing by {by} on {topic}; here is what was said."
