"""Comparing: two organisations side by side ("compare Kent and Essex police"), or one against the others of its kind
("how does Kent compare with other forces?"). A part of the Answerer (answering.py), which it is mixed into.
"""

from dataclasses import replace

from knowledge.questions import summaries, wording
from knowledge.questions.answers import Answer, Citation, OrganisationRef, Overview, cite
from knowledge.questions.dates import year_after
from knowledge.questions.selecting import INTENT_KINDS, MAX_CITATIONS, Found, Reading, Relaxed, find, select
from knowledge.questions.understanding import Query, Topic
from knowledge.state import store as stored
from knowledge.state.search import Selection

SIDE = MAX_CITATIONS // 2  # findings of each organisation on a page of a comparison


class Comparing:
    """The comparisons of an Answerer: it gives org_ref, reference, _latest_grades and _aged."""

    def compare(self, reading: Reading, query: Query, resolved: list[str], notes: list[str], *, page: int = 0) -> Answer:
        """Two organisations side by side: counts by kind and their newest findings (on a topic, the most relevant),
        SIDE of each a page."""
        refs = [self.org_ref(i) for i in resolved]
        kind = compared_kind(query)
        citations: list[Citation] = []
        sides = []
        more = 0
        query, notes = self._compared_as_held(reading, query, refs, kind, notes)
        for ref in refs:
            selection = self._side(reading, query, ref.id, kind, page)
            if not selection:
                sides.append(summaries.side(ref.name, None, bool(stored.has_findings(reading.session, [ref.id])), kind, query))
                continue
            sides.append(summaries.side(ref.name, selection.counts, True, kind, query))
            citations += cite(selection.rows[page * SIDE : (page + 1) * SIDE], selection.documents, self.reference)
            more += max(0, selection.total - (page + 1) * SIDE)
        grades = self._latest_grades(reading, resolved)
        compared = [Overview(ref, grades[ref.id], {}) for ref in refs]
        summary = " ".join([summaries.side_by_side(query, kind, sides), summaries.grades_side_by_side(compared)]).strip()
        return Answer(query.text, "compare", summary, refs, citations, notes=notes + wording.corrections(query) + self._aged(refs), topic=query.words,
                      compared=compared, more=more, page=page)

    def _compared_as_held(self, reading: Reading, query: Query, refs: list[OrganisationRef], kind: str, notes: list[str]) -> tuple[Query, list[str]]:
        """Neither side has findings as asked: without the kind of document asked ("leicestershire vs cheshire in the
        2014 PEEL", whose pages are not titled PEEL), then the year after ("compare Suffolk and Norfolk police 2017":
        the inspections of 2017, reported in 2018), each said; else the question as asked."""
        def held(q: Query) -> bool:
            return any(self._side(reading, q, ref.id, kind) for ref in refs)

        later = year_after(query.dates)
        if not (query.documents or later) or held(query):
            return query, notes
        names = " and ".join(r.name for r in refs)
        if query.documents and held(untitled := replace(query, documents=(), document_words=None)):
            return untitled, [*notes, wording.relaxed_about(Relaxed("documents", query, Found(None), kind), names, True)]
        for step in ((replace(query, dates=later), replace(query, documents=(), document_words=None, dates=later)) if later else ()):
            if held(step):
                relaxed = [Relaxed("year", query, Found(None), kind)] + ([Relaxed("documents", query, Found(None), kind)] if step.documents != query.documents else [])
                return step, [*notes, *(wording.relaxed_about(r, names, True) for r in relaxed)]
        return query, notes

    def _side(self, reading: Reading, query: Query, organisation_id: str, kind: str, page: int = 0) -> Selection:
        """One side of a comparison: on a topic, its most relevant findings (of its newest matches); else its newest.
        A grade asked ("who got outstanding") is the topic when the side's findings give it."""
        if query.grade and not query.topics:
            graded = replace(query, topics=(Topic(query.grade, (query.grade,)),))
            if selection := self._side(reading, graded, organisation_id, kind, page):
                return selection
        found = find(reading, query.topics, [organisation_id])
        if found.ids == ():
            return Selection.empty()
        return select(reading, query, [organisation_id], kind, found, rows=max(2 * MAX_CITATIONS if found.ids else SIDE, (page + 1) * SIDE))

    def compare_with_others(self, reading: Reading, query: Query, organisation_id: str, notes: list[str]) -> Answer:
        """One organisation against the picture across the others of its kind, on the same kinds of finding."""
        ref = self.org_ref(organisation_id)
        if not query.others:
            return Answer(query.text, "compare", summaries.compare_with_which(ref.name), [ref], notes=notes,
                          suggestions=[summaries.compare_to_others(ref.name)], topic=query.words)
        kind = compared_kind(query)
        found = find(reading, query.topics, None)
        if found.ids == ():
            everyone = own = Selection.empty()
        else:
            everyone = select(reading, query, None, kind, found, rows=0)
            own = select(reading, query, [organisation_id], kind, found, rows=MAX_CITATIONS)
        if not own:
            return Answer(query.text, "compare", summaries.nothing_to_compare(kind, ref.name), [ref], notes=notes, topic=query.words)
        others = [n for o, n in everyone.organisations if self.reference.organisations[o].kind == ref.kind and o != organisation_id]
        rank = 1 + sum(1 for n in others if n > own.total)
        median = sorted(others)[len(others) // 2] if others else 0
        summary = summaries.against_others(ref.name, ref.kind, own.counts, len(others), median, rank)
        return Answer(query.text, "compare", summary, [ref], cite(own.rows[:MAX_CITATIONS], own.documents, self.reference),
                      notes=notes + wording.corrections(query), topic=query.words)


def compared_kind(query: Query) -> str:
    """The kinds of finding a comparison counts: those the question asks for, else those of a comparison."""
    return query.intent if query.intent in INTENT_KINDS and query.intent not in ("compare", "overview", "latest") else "compare"
