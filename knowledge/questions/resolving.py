"""Resolving names: the organisations a question's names mean, or the candidates when a name could mean several.

A county name means the force and the fire service named after it ("Kent": Kent Police or Kent Fire and Rescue
Service), not a service that only covers it ("Wiltshire" is not Dorset and Wiltshire Fire). Between two that
both have findings, the one with findings on the question's topic or in its dates is taken, then the kind the
chat was talking about; otherwise the bot asks.
"""

from collections.abc import Callable
from dataclasses import dataclass

from knowledge.matching import Match, normalise
from knowledge.questions import wording
from knowledge.questions.selecting import Reading
from knowledge.questions.understanding import Query
from knowledge.questions.vocabulary import vocabulary
from knowledge.reference import Reference
from knowledge.state import records
from knowledge.state import store as stored


@dataclass(frozen=True)
class Resolution:
    """Organisations resolved from a question, or the candidates for an ambiguous name."""

    organisations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    ambiguous: Match | None = None
    candidates: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()  # a name whose organisations all have no findings


def resolve(reading: Reading, query: Query, prefer_kind: str | None = None) -> Resolution:
    """Organisations the question names, or the candidates when a name could mean several (see the module's
    docstring); `prefer_kind`: the kind the chat was talking about."""
    reference = reading.store.reference
    kind = query.kind or kind_of_the_others(reference, query.matches)
    by_topic = topic_kind(query) if kind is None else None  # "West Yorkshire custody": the police
    organisations: list[str] = []
    notes: list[str] = []
    for match in query.matches:
        ids = named_by(reference, match, kind or by_topic)
        if by_topic and len(ids) == 1 and len({reference.organisations[i].kind for i in match.organisations}) > 1:
            dealing = [t for t in query.topics if t.label in vocabulary().topic_kinds]
            dealt = wording.topic_list(dealing) if dealing else wording.quoted(query.document_words or "")
            notes.append(wording.read_as(match.words, reference.name_of(next(iter(ids))), f"that deals with {dealt}"))
        if len(ids) > 1:
            inspected = {i for i in ids if reference.organisations[i].inspected} or ids
            ids, picked = between(reading, query, match, inspected, prefer_kind)
            notes += picked
            if not ids:
                # Neither has findings: no need to ask which, the answer is the same for both.
                empty = sorted(inspected, key=lambda i: (reference.organisations[i].kind != "police", reference.name_of(i)))
                return Resolution(tuple(organisations), tuple(notes), empty=tuple(empty))
            if len(ids) > 1 and query.people and records.spoken_about(reading.session, query.people, ids) == ids:
                # "what did Roy Wilsher say about Leicestershire", who spoke about its police and its fire service: both
                names = " and ".join(reference.name_of(i) for i in sorted(ids, key=reference.name_of))
                notes.append(wording.read_as_both(match.words, names, f"{wording.who(query, wording.ANY_ORGANISATION)} spoke about"))
            elif len(ids) > 1:
                return Resolution(tuple(organisations), tuple(notes), ambiguous=match, candidates=tuple(sorted(ids, key=reference.name_of)))
            if not notes:
                notes += unheld(reading, inspected - ids, inspected)
        organisations += [i for i in sorted(ids) if i not in organisations]
    return Resolution(tuple(organisations), tuple(notes))


def named_by(reference: Reference, match: Match, kind: str | None) -> set[str]:
    """The organisations a name may mean: of the kind asked (if any is), and those it names outright first."""
    ids = set(match.organisations)
    if kind:
        # "Wilts fire service": the fire service of the place, when the name is only the police's
        ids = {i for i in ids if reference.organisations[i].kind == kind} or {c for i in ids if (c := counterpart(reference, i, kind))} or ids
    if len(ids) > 1:
        ids = _named(reference, match, ids) or ids
    return ids


def between(reading: Reading, query: Query, match: Match, inspected: set[str], prefer_kind: str | None) -> tuple[set[str], list[str]]:
    """Of the inspected organisations a name may mean, those with findings, narrowed (when that leaves one) to
    the one the person named spoke about, then the one with findings on the question's topic, then in its
    dates, then of the chat's kind; and the notes that say how it was picked."""
    reference = reading.store.reference
    held = reading.store.organisations_with_findings(cached=True)  # choosing between names: minutes-old counts do
    with_data = {i for i in inspected if i in held}
    notes: list[str] = []
    for narrowed, because in _narrowings(reading, query):
        if len(with_data) < 2:
            break
        picked = narrowed(with_data)
        if len(picked) == 1:
            notes.append(wording.read_as(match.words, reference.name_of(next(iter(picked))), because))
            with_data = picked
    if len(with_data) > 1 and prefer_kind:
        with_data = {i for i in with_data if reference.organisations[i].kind == prefer_kind} or with_data
    return with_data, notes


def _narrowings(reading: Reading, query: Query) -> list[tuple[Callable[[set[str]], set[str]], str]]:
    """How a question tells two organisations of one name apart, in turn, and how the answer says so."""
    session = reading.session
    ways: list[tuple[Callable[[set[str]], set[str]], str]] = []
    if query.people:  # "Roy Wilsher Derbyshire": the one he spoke about
        ways.append((lambda ids: records.spoken_about(session, query.people, ids), f"{wording.who(query, wording.ANY_ORGANISATION)} spoke about"))
    if query.topics:
        groups = [list(t.phrases) for t in query.topics]
        ways.append((lambda ids: {i for i in ids if reading.search(groups, [i], 1).ids}, f"with findings on {wording.topic_list(query.topics)}"))
        for topic in query.topics if len(groups) > 1 else ():  # "are MARACs in the West Midlands working properly": one word alone
            ways.append((lambda ids, t=topic: {i for i in ids if reading.search([list(t.phrases)], [i], 1).ids}, f"with findings on {wording.topic_list([topic])}"))
    if query.intent == "engage":  # "what got Nottinghamshire out of Engage": the one whose Engage entry or exit is on record
        ways.append((lambda ids: records.monitored(session, ids), "with Engage records"))
    if query.intent == "progress":  # "what has changed at Cleveland since 2019": the one whose concerns later documents follow, by far
        ways.append((lambda ids: by_far(ids, {i: records.followed_count(session, i) for i in ids}), "whose concerns later documents follow most"))
    if query.dates:  # "what did the 2021 inspection say Kent needs to improve"
        dates = query.dates
        ways.append((lambda ids: stored.published_between(session, ids, dates.since, dates.until), f"with findings {dates.describe()}"))
    return ways


def by_far(ids: set[str], counts: dict[str, int], factor: int = 5) -> set[str]:
    """The one of `ids` whose count is at least `factor` times every other's; else all of them."""
    ranked = sorted(ids, key=lambda i: -counts.get(i, 0))
    if len(ranked) > 1 and counts.get(ranked[0], 0) > 0 and counts.get(ranked[0], 0) >= factor * counts.get(ranked[1], 0):
        return {ranked[0]}
    return ids


def unheld(reading: Reading, others: set[str], inspected: set[str]) -> list[str]:
    """'I have no inspection findings for Kent Fire and Rescue Service yet.' for the names not picked that have none."""
    name_of = reading.store.reference.name_of
    return [wording.no_findings_yet(name) for name in sorted(name_of(i) for i in others)
            if not stored.has_findings(reading.session, [n for n in inspected if name_of(n) == name])]


def _named(reference: Reference, match: Match, ids: set[str]) -> set[str]:
    """Those of `ids` whose own name or short form is, or starts with, the words matched."""
    key = normalise(match.name)
    named = set()
    for i in ids:
        org = reference.organisations[i]
        if any(n == key or n.startswith(key + " ") for n in map(normalise, (org.name, *org.aliases))):
            named.add(i)
    return named


def kind_of_the_others(reference: Reference, matches: list[Match] | tuple[Match, ...]) -> str | None:
    """In "compare Cambs Police and Norfolk", Norfolk means the police too: the kind the clear names share."""
    kinds = set()
    for match in matches:
        match_kinds = {reference.organisations[i].kind for i in match.organisations}
        if len(match_kinds) == 1:
            kinds |= match_kinds
    return kinds.pop() if len(kinds) == 1 else None


def topic_kind(query: Query) -> str | None:
    """The one kind of organisation the question's topics (or the kind of document it asks for: "custody report")
    are dealt with by ("custody": the police), if they say."""
    labels = [t.label or "" for t in query.topics]
    kinds = {vocabulary().topic_kinds.get(label) for label in labels} | {vocabulary().document_kinds.get(d) for d in query.documents}
    kinds -= {None}
    return kinds.pop() if len(kinds) == 1 else None


def counterpart(reference: Reference, organisation_id: str, kind: str) -> str | None:
    """The organisation of the other kind that covers most of the same places (Exeter's police -> its fire service)."""
    counts: dict[str, int] = {}
    for place in reference.places.values():
        if organisation_id in place.organisations:
            for other in place.organisations:
                if reference.organisations[other].kind == kind:
                    counts[other] = counts.get(other, 0) + 1
    return max(counts, key=counts.get) if counts else None
