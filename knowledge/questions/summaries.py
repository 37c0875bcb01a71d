"""Summaries: the sentences that say what an answer found, for each kind of answer (an organisation's overview,
findings about organisations, a topic across them, where they stand, comparisons, news for followers). The words
they share (tallies, dates, names, labels) are in wording.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from knowledge.questions.dates import Dates
from knowledge.questions.selecting import Found
from knowledge.questions.standing import GRADE_ORDER, Held, Status
from knowledge.questions.understanding import Query
from knowledge.questions.wording import (
    ANY_ORGANISATION,
    CAPPED,
    ENGAGE,
    INTENT_HEADINGS,
    INTENT_NOUNS,
    MAX_NAMED,
    NO_SINGLE_ORGANISATION,
    NOT_COMPARABLE,
    RANKED_CAPPED,
    across_topic,
    documents,
    grade_word,
    how_many,
    long_date,
    quoted,
    tally,
    topic_list,
    who,
)

if TYPE_CHECKING:
    from knowledge.questions.answers import DocumentRef, Overview


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


# -- answers about organisations ------------------------------------------------------------------


def nothing_about(query: Query, intent: str, names: str) -> str:
    """Nothing on record about the organisations: by the speaker asked, in the dates asked, or at all."""
    on = f" on {topic_list(query.topics)}" if any(t.known for t in query.topics) else " on that" if query.topics else ""  # never words that matched nothing
    if intent == "statements" and query.persons:
        return f"I have nothing said by {who(query, names)} about {names}{on}."
    if intent == "statements" and query.role:
        return f"I have no statements by {who(query, names)}{on or ' on record'}."
    if query.dates:
        return f"I have no {INTENT_NOUNS[intent]}{on} for {names} {query.dates.describe()}."
    return f"I have no {INTENT_NOUNS[intent]}{on} on record for {names}."


def about_summary(query: Query, intent: str, names: str, plural: bool, found: Found, counts: dict[str, int], n_documents: int,
                  newest: DocumentRef | None) -> str:
    """'What Kent Police needs to improve on “vetting” (published in 2024): 3 areas for improvement, from 2 documents, newest first.'"""
    if intent == "latest" and newest:
        # the document named in quotation marks, its date first: a title may be a page's first sentence, no noun to put "the" before
        stop = "" if newest.label.rstrip().endswith((".", "!", "?")) else "."
        return f"The newest document I have on {names} is from {long_date(newest.published, 'an unknown date')}: {quoted(newest.label)}{stop}"
    if found.capped:
        return f"{how_many(found.matched)} findings on {names} mention {quoted(found.topics[0].words)}. {CAPPED}"
    heading = INTENT_HEADINGS[intent].format(names=names)
    if plural:  # "What Kent Police and Essex Police need to improve"
        heading = heading.replace(" needs to ", " need to ").replace(" does well", " do well")
    if intent == "statements" and (query.role or query.persons):
        by = who(query, names)
        heading = f"What the inspectors said about {names}" if by == f"the inspectors about {names}" else f"What {by} said"
    on = f" on {topic_list(found.topics)}" if found.topics else ""
    when = f" ({query.dates.describe()})" if query.dates and query.dates.words != "older" else ""
    order = "most relevant first" if found.topics else "newest first"
    if intent == "statements" and query.persons and not found.topics and not query.extreme and "statement" in counts and len(counts) > 1:
        order = "statements first, " + order  # then what they signed (selecting.finding_query: said_first)
    return f"{heading}{on}{when}: {tally(counts)}, from {documents(n_documents)}, {order}."


def overview_heading(intent: str, names: str, counts: dict[str, int], n_documents: int) -> str:
    """The line above an overview's block (the summary says the same facts in sentences, for the CLI and programs)."""
    if intent == "grades":
        return f"Grades for {names}: {tally(counts)} from {documents(n_documents)}."
    total = sum(counts.values())
    return f"{names}: {total} finding{'s' if total != 1 else ''} from {documents(n_documents)}, the most serious first."


# -- answers across organisations -----------------------------------------------------------------


def across_subject(query: Query, found: Found) -> str:
    """'on “vetting”', 'by the chief constable', 'in PEEL documents' or 'across organisations'."""
    if query.topics:
        return f"on {across_topic(query, found)}"
    if query.role or query.persons:
        return f"by {who(query, ANY_ORGANISATION)}"
    return f"in {query.document_words} documents" if query.document_words else "across organisations"


def nothing_across(query: Query, intent: str, found: Found) -> str:
    if intent == "statements" and query.persons:
        return f"I have nothing said by {who(query, ANY_ORGANISATION)}."
    noun = INTENT_NOUNS.get(intent, "findings")
    if query.older:
        return f"I have no older {noun} {across_subject(query, found)}."
    dated = f" {query.dates.describe()}" if query.dates else ""
    return f"I have no {noun} {across_subject(query, found)}{dated}."


def across_summary(query: Query, intent: str, found: Found, counts: dict[str, int], ranked: list[tuple[str, int]], negative: bool) -> str:
    """'Criticism on “101”: 12 criticisms. By organisation, most first: Kent Police (4), ...'."""
    counted = ", ".join(f"{name} ({n})" for name, n in ranked[:MAX_NAMED]) or NO_SINGLE_ORGANISATION
    if len(ranked) > MAX_NAMED:
        counted += f" and {len(ranked) - MAX_NAMED} more"
    if found.capped:
        return f"{how_many(found.matched)} findings mention {across_topic(query, found)}, about {counted}. {RANKED_CAPPED}"
    noun = INTENT_NOUNS.get(intent, "findings")
    what = "Criticism" if negative else noun[:1].upper() + noun[1:]
    dated = f" {query.dates.describe()}" if query.dates else ""
    return f"{what} {across_subject(query, found)}{dated}: {tally(counts)}. By organisation, most first: {counted}."


# -- comparisons ----------------------------------------------------------------------------------


def side(name: str, counts: dict[str, int] | None, held: bool, intent: str, query: Query) -> str:
    """One side of a comparison: 'Kent Police: 3 areas for improvement', or (counts None) what there is none of."""
    if counts is not None:
        return f"{name}: {tally(counts)}"
    on = f" on {topic_list(query.topics)}" if query.topics else ""
    return f"{name}: {'no ' + INTENT_NOUNS[intent] + on + ' on record' if held else 'no inspection findings yet'}"


def side_by_side(query: Query, intent: str, sides: list[str]) -> str:
    on = f" on {topic_list(query.topics)}" if query.topics else ""
    return f"Side by side{on}. " + "; ".join(sides) + "."


def grades_side_by_side(sides: list[Overview]) -> str:
    """'Latest grades: Kent Police (PEEL 2023–25, 16 May 2024): responding to the public inadequate, ...; Essex Police
    (...): ... Grades from different inspection cycles are not comparable.' ('' when neither holds grades)."""
    parts = []
    for o in sides:
        if not o.grades:
            parts.append(f"{o.organisation.name}: no grades on record")
            continue
        newest = o.grades[0].document
        when = ", ".join(w for w in (o.grades[0].cycle, long_date(newest.published)) if w)
        parts.append(f"{o.organisation.name} ({when}): " + ", ".join(f"{g.area.lower()} {grade_word(g.grade)}" for g in o.grades))
    if not any(o.grades for o in sides):
        return ""
    return "Latest grades: " + "; ".join(parts) + f". {NOT_COMPARABLE}"


def compare_with_which(name: str) -> str:
    return (f"Compare {name} with which organisation? Ask, for example, \u201ccompare {name} and another force\u201d, "
            f"or \u201chow does {name} compare to other forces\u201d.")


def compare_to_others(name: str) -> str:
    return f"How does {name} compare to other forces?"


def nothing_to_compare(intent: str, name: str) -> str:
    return f"I have no {INTENT_NOUNS[intent]} on record for {name} to compare."


def against_others(name: str, kind: str, counts: dict[str, int], others: int, median: int, rank: int) -> str:
    """One organisation against the others of its kind: its counts, the others' median and its rank."""
    noun = "forces" if kind == "police" else "fire and rescue services"
    return (
        f"{name} against the other {noun} I hold findings for ({others}): {name} has {tally(counts)}; "
        f"the median among the others is {median}. It ranks {rank} of {others + 1} by number of findings of these kinds. "
        "Counts depend on which documents I hold, not only on performance."
    )


# -- news for followers ---------------------------------------------------------------------------


def mentioned(name: str) -> str:
    return f"A new document mentions {name}."


def new_on(name: str, document: DocumentRef, counts: dict[str, int]) -> str:
    """'About Kent Police: 2 areas for improvement and 1 cause of concern.' (an announcement names the document on a
    line of its own: a title is no noun to put "the" before or "of <date>" after)."""
    return f"About {name}: {tally(counts)}."


# -- where organisations stand ---------------------------------------------------------------------


def engage_across(states: list[Status], names: dict[str, str], dates: Dates | None) -> str:
    """'In Engage (...), as the documents I hold record it: Nottinghamshire Police (since March 2024); out of it: ...'."""
    engaged = [s for s in states if s.engaged]
    out = [s for s in states if not s.engaged]
    when = f" {dates.describe().removeprefix('published ')}" if dates else ""
    parts = []
    if engaged:
        listed = ", ".join(f"{names[s.organisation]} ({f'since {s.since:%B %Y}' if s.since else 'recorded ' + long_date(s.finding.published)})" for s in engaged)
        parts.append(f"In {ENGAGE}{when}, as the documents I hold record it: {listed}.")
    if out and not dates:
        parts.append("Out of it again: " + ", ".join(f"{names[s.organisation]} (left {s.left:%B %Y})" if s.left else names[s.organisation] for s in out) + ".")
    parts.append("Each organisation\u2019s latest record is quoted below.")
    return " ".join(parts)


def graded_across(order: list[tuple[str, list[Held]]], query: Query, grade: str | None) -> str:
    """'Rated outstanding at their latest inspections: Kent Fire and Rescue Service (efficiency, 2019), ...' or the best
    or worst graded, with the cycle and date of the grades."""
    area = f" at {topic_list(query.topics, 'or')}" if query.topics else ""

    def held(hs: list[Held]) -> str:
        newest = max(hs, key=lambda h: h.document.published or dt.date.min)
        what = ", ".join(h.area.lower() for h in hs) if grade else ", ".join(
            f"{n} {grade_word(g)}" for g in GRADE_ORDER if (n := sum(h.grade == g for h in hs)))
        return f"{what}; {newest.cycle + ', ' if newest.cycle else ''}{long_date(newest.document.published)}"

    listed = "; ".join(f"{name} ({held(hs)})" for name, hs in order)
    if grade:
        head = f"Rated {grade_word(grade)}{area} at their latest inspections"
    else:
        head = f"The {'worst' if query.extreme == 'worst' else 'best'} graded{area} at their latest inspections (the most {'inadequate' if query.extreme == 'worst' else 'outstanding'} grades first)"
    return f"{head}, as the grades I hold record them: {listed}. {NOT_COMPARABLE}"


def engage_now(names: str, status: Status) -> str:
    """'Greater Manchester Police left Engage in October 2026, as its newest record says.' or '... has been in Engage since ...'."""
    if status.engaged:
        since = f" since {status.since:%B %Y}" if status.since else ""
        undated = " A document I hold that gives no date says it has left Engage, so it may have left since." if status.undated_exit else ""
        return f"{names} has been in {ENGAGE}{since}, as its newest dated record says ({long_date(status.finding.published)}).{undated}"
    left = f" in {status.left:%B %Y}" if status.left else ""
    return f"{names} left {ENGAGE}{left}, as its newest record says ({long_date(status.finding.published)})."


def no_grades_to_rank(extreme: str) -> str:
    """When no grade is recorded to tell the best or worst by."""
    return f"I hold no grades to tell the {extreme} by. Ask about a force or a fire service by name, or about a topic."
