"""Selecting findings for a question: the topic searched (relaxed step by step rather than finding nothing),
then the store's selection of the kinds of finding the question asks for."""

from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.matching import FIRE_WORDS, POLICE_WORDS, normalise
from knowledge.models import Finding, Kind, Polarity
from knowledge.questions.ranking import PROVENANCE_WINDOW
from knowledge.questions.understanding import QUALIFIER, Query, Topic
from knowledge.state.store import KIND_ORDER, FindingQuery, Hits, Selection, Store

MAX_CITATIONS = 6  # a phone screen or two
SEARCH_DEPTH = 200  # topic matches considered (most recently added, or best ranked once relaxed)
RANKED = 60  # of those, the findings read and ranked by relevance across organisations (the user's own words first)
CHIEF_ROLES = frozenset({"Chief Constable", "Chief Fire Officer"})  # "the chief constable" takes in deputies and assistants

FINDING_KINDS = frozenset({Kind.strength, Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation, Kind.grade})
NEGATIVE_KINDS = frozenset({Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation})
INTENT_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # intent -> (kinds shown, and context findings shown when of these polarities)
    "improve": (NEGATIVE_KINDS, frozenset({Polarity.negative})),
    "concerns": (frozenset({Kind.cause_of_concern}), frozenset()),
    "recommendations": (frozenset({Kind.recommendation}), frozenset()),
    "strengths": (frozenset({Kind.strength}), frozenset({Polarity.positive})),
    "grades": (frozenset({Kind.grade}), frozenset()),
    "statements": (frozenset({Kind.statement}), frozenset()),
    "overview": (FINDING_KINDS | {Kind.statement}, frozenset({Polarity.negative, Polarity.positive})),
    "compare": (FINDING_KINDS, frozenset({Polarity.negative})),
    "latest": (FINDING_KINDS | {Kind.statement}, frozenset({Polarity.negative, Polarity.positive})),
    "engage": (frozenset(Kind), frozenset(Polarity)),  # any finding recording an Engage entry or exit
    "topic": (frozenset(Kind), frozenset(Polarity)),
}
# A grade answers these too: "good at preventing crime" is "rated outstanding at preventing crime", and what
# must improve includes "graded inadequate at responding to the public".
GRADE_POLARITIES = {"strengths": frozenset({Polarity.positive}), "improve": frozenset({Polarity.negative})}


@dataclass
class Found:
    """The outcome of looking for a topic: the finding ids to select from (None: no topic), and what was relaxed."""

    ids: tuple[int, ...] | None
    matched: int = 0
    topics: list[Topic] = field(default_factory=list)  # the topics the ids match
    dropped: list[Topic] = field(default_factory=list)  # topics given up to find anything
    any_of: bool = False  # the ids match some of the topics, ranked, not all of them
    best: tuple[int, ...] = ()  # those of the ids that use the user's own words: shown first across organisations

    @property
    def capped(self) -> bool:
        return self.matched > SEARCH_DEPTH and not self.any_of


Search = Callable[..., Hits]  # topics (and any_group=True: any of them) -> the store's hits


def find(store: Store, topics: list[Topic], organisations: list[str] | None, *, widen: bool = False, own_first: bool = False,
         places: list[str] | None = None, national: bool = False) -> Found:
    """Finding ids for the topics, relaxing step by step rather than finding nothing: every topic, in the
    user's own words (the best matches) or the words documents use for it; then the known topics alone;
    then without the weakest topic, one at a time; then any topic, best ranked first."""
    if not topics:
        return Found(None)

    def search(ts: list[Topic], any_group: bool = False) -> Hits:
        return store.search([list(t.phrases) for t in ts], organisations, SEARCH_DEPTH, any_group=any_group, national=national)

    # The user's own words rank first across organisations and in comparisons' few quotes. In an answer about
    # one organisation (newest first) a single word adds nothing to the documents' words, which include it; a
    # phrase ("missing children") is narrower than its topic (protecting children), so what uses it comes first.
    own_first = own_first or any(t.label and " " in t.words and t.words != t.phrases[0] for t in topics)
    own = store.search([t.words for t in topics], organisations, SEARCH_DEPTH, national=national) if widen or own_first else Hits([], 0)
    hits = search(topics)
    if hits.ids or own.ids:
        return _every_topic(store, search, topics, own, hits, organisations, widen=widen, places=places)
    return _relaxed(search, topics, store.vocabulary, widen=widen)


def _every_topic(store: Store, search: Search, topics: list[Topic], own: Hits, hits: Hits, organisations: list[str] | None, *,
                 widen: bool, places: list[str] | None) -> Found:
    """Findings on every topic: those in the user's own words first, then the documents' words for it."""
    closest = tuple(own.ids) or (tuple(hits.ids) if widen else ())  # shown first: before the widening below
    labelled = [t for t in topics if t.label]
    if labelled and len(labelled) < len(topics):
        # The known topics alone widen the answer after the closer matches ("how long ... 101": every 101 finding).
        wide = search(labelled)
        hits = Hits(list(dict.fromkeys([*hits.ids, *wide.ids])), max(hits.total, wide.total))
    if places:
        # "Stockport police mental health": the topic's findings first, then what the documents say about Stockport
        nearby = store.search([list(places)], organisations, SEARCH_DEPTH)
        closest = closest or tuple(hits.ids)
        hits = Hits(list(dict.fromkeys([*hits.ids, *nearby.ids])), hits.total + nearby.total)
    ids = tuple(dict.fromkeys([*own.ids, *hits.ids]))
    return Found(ids, max(own.total, hits.total), list(topics), best=closest)


def presence(topic: Topic, vocabulary: dict[str, int]) -> int:
    """How common the topic's words are in the findings (0: never used)."""
    return max((min((vocabulary.get(w, 0) for w in p.split() if not w.isdigit()), default=1) for p in topic.phrases), default=0)


def _relaxed(search: Search, topics: list[Topic], vocabulary: dict[str, int], *, widen: bool) -> Found:
    """Nothing on every topic: the known topics alone, then without the weakest topic, one at a time; then any
    topic, best ranked first; else nothing (ids ())."""
    labelled = [t for t in topics if t.label]
    if labelled and len(labelled) < len(topics):
        # The known topics carry the meaning; words of the user's own ("kept", "overnight") only narrow it.
        hits = search(labelled)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, labelled, [t for t in topics if not t.label])
    remaining = list(topics)
    dropped: list[Topic] = []
    # Across every organisation, words of the user's own (no known topic) are kept to at least half, and
    # never matched one at a time: "ignore all previous instructions" must not find "system" somewhere.
    floor = 1 if labelled or not widen else max(1, (len(topics) + 1) // 2)
    while len(remaining) > floor:
        # Unknown words go first, then qualifiers ("slow"), then the commonest topic.
        weakest = min(remaining, key=lambda t: (t.label is not None, t.label != QUALIFIER, presence(t, vocabulary) > 0, -presence(t, vocabulary)))
        remaining.remove(weakest)
        dropped.append(weakest)
        hits = search(remaining)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, list(remaining), dropped)
    if len(topics) > 1 and (labelled or not widen):
        hits = search(topics, True)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, list(topics), [], any_of=True)
    return Found((), 0, [], list(topics))


def select(store: Store, query: Query, organisations: list[str] | None, intent: str, found: Found, *, page: int = 0, negative_only: bool = False,
           rows: int | None = None, national: bool = False) -> Selection:
    """The findings of the kinds the intent asks for, on the found topic, within the question's dates, kind of
    document and speakers. `rows`: how many to read (by default, enough for `page` and the provenance window)."""
    kinds, context_polarities = INTENT_KINDS[intent]
    if negative_only:
        kinds, context_polarities = kinds & NEGATIVE_KINDS or NEGATIVE_KINDS, frozenset({Polarity.negative})
    dates = query.dates
    q = FindingQuery(
        organisations=tuple(organisations) if organisations is not None else None, national=national,
        kinds=kinds, context_polarities=context_polarities, ids=found.ids,
        since=dates.since if dates else None, until=dates.until if dates else None,
        title_words=query.documents, role=(f"%{query.role}" if query.role in CHIEF_ROLES else query.role) if intent == "statements" else None,
        people=tuple(query.people) if intent == "statements" else (),
        engage=intent == "engage", newest_document_only=intent == "latest",
        grade_polarities=GRADE_POLARITIES.get(intent, frozenset()) if not negative_only else frozenset({Polarity.negative}),
        with_status=intent in ("overview", "latest"), priority=intent in ("overview", "latest", "compare"),
        first_ids=found.best,
    )
    window = rows if rows is not None else max((page + 1) * MAX_CITATIONS, PROVENANCE_WINDOW)
    return store.select(q, limit=window)


def of_kind(selection: Selection, kind: str | None) -> Selection:
    """Without the national findings of the other kind: a question about fire services gets national
    reports on fire and rescue services, not those on the police (told apart by their titles)."""
    words = POLICE_WORDS if kind == "police" else FIRE_WORDS if kind == "fire" else None
    if words is None or not selection:
        return selection

    def fits(f: Finding) -> bool:
        if f.organisation_id is not None:
            return True
        d = selection.documents.get(f.document_id)
        return bool(d and set(normalise(f"{d.title or ''} {d.section or ''}").split()) & words)

    rows = [f for f in selection.rows if fits(f)]
    if len(rows) == len(selection.rows):
        return selection
    if selection.total > len(selection.rows):  # not every match was read: keep the counts, drop the rows
        return Selection(rows, selection.total - (len(selection.rows) - len(rows)), selection.counts, selection.documents, selection.organisations, selection.document_count)
    counts: dict[str, int] = {}
    for f in sorted(rows, key=lambda f: KIND_ORDER.get(f.kind, 9)):
        key = f.polarity if f.kind == Kind.context else f.kind
        counts[key] = counts.get(key, 0) + 1
    return Selection(rows, len(rows), counts, selection.documents, selection.organisations, len({f.document_id for f in rows}))
