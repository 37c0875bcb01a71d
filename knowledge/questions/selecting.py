"""Selecting findings for a question: the topic searched (relaxed step by step rather than finding nothing),
then the store's selection of the kinds of finding the question asks for."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from knowledge import lexicon
from knowledge.matching import FIRE_WORDS, POLICE_WORDS, normalise
from knowledge.models import Finding, Kind, Polarity
from knowledge.questions.ranking import PROVENANCE_WINDOW
from knowledge.questions.understanding import QUALIFIER, Dates, Query, Topic
from knowledge.state import search as index
from knowledge.state.search import KIND_ORDER, FindingQuery, Hits, Selection
from knowledge.state.store import Store

MAX_CITATIONS = 6  # a phone screen or two
SEARCH_DEPTH = 200  # topic matches considered (most recently added, or best ranked once relaxed)
RANKED = 60  # of those, the findings read and ranked by relevance across organisations (the user's own words first)
CHIEF_ROLES = frozenset(name for name, role in lexicon.ROLES.items() if role.chief)  # "the chief constable" takes in deputies and assistants

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


@dataclass(frozen=True)
class Page:
    """The findings an answer shows: page `number` (from 0) of `size` findings."""

    number: int = 0
    size: int = MAX_CITATIONS

    def of(self, rows: list[Finding]) -> list[Finding]:
        return rows[self.number * self.size : (self.number + 1) * self.size]

    def more(self, total: int) -> int:
        """How many of `total` findings come after this page."""
        return max(0, total - (self.number + 1) * self.size)


@dataclass(frozen=True)
class Found:
    """The outcome of looking for a topic: the finding ids to select from (None: no topic), and what was relaxed."""

    ids: tuple[int, ...] | None
    matched: int = 0
    topics: tuple[Topic, ...] = ()  # the topics the ids match
    dropped: tuple[Topic, ...] = ()  # topics given up to find anything
    any_of: bool = False  # the ids match some of the topics, ranked, not all of them
    best: tuple[int, ...] = ()  # those of the ids that use the user's own words: shown first across organisations

    @property
    def capped(self) -> bool:
        return self.matched > SEARCH_DEPTH and not self.any_of


Search = Callable[..., Hits]  # topics (and any_group=True: any of them) -> the store's hits


@dataclass(frozen=True)
class Reading:
    """One answer's read: the store (reference data, cached vocabularies) and the one session every selection
    of the answer runs in (Store.reading())."""

    store: Store
    session: Session

    def search(self, groups: list[list[str] | str], organisations: list[str] | None, limit: int, *, any_group: bool = False, national: bool = False) -> Hits:
        """The search index's hits (knowledge.state.search.search) in this read."""
        return index.search(self.session, groups, organisations, limit, any_group=any_group, national=national, counts=self.store.finding_counts)


def find(reading: Reading, topics: Sequence[Topic], organisations: list[str] | None, *, widen: bool = False, own_first: bool = False,
         places: Sequence[str] = (), national: bool = False) -> Found:
    """Finding ids for the topics, relaxing step by step rather than finding nothing: every topic, in the
    user's own words (the best matches) or the words documents use for it; then the known topics alone;
    then without the weakest topic, one at a time; then any topic, best ranked first."""
    if not topics:
        return Found(None)

    def search(ts: Sequence[Topic], any_group: bool = False) -> Hits:
        return reading.search([list(t.phrases) for t in ts], organisations, SEARCH_DEPTH, any_group=any_group, national=national)

    # The user's own words rank first across organisations and in comparisons' few quotes. In an answer about
    # one organisation (newest first) a single word adds nothing to the documents' words, which include it; a
    # phrase ("missing children") is narrower than its topic (protecting children), so what uses it comes first.
    own_first = own_first or any(t.label and " " in t.words and t.words != t.phrases[0] for t in topics)
    own = reading.search([t.words for t in topics], organisations, SEARCH_DEPTH, national=national) if widen or own_first else Hits([], 0)
    hits = search(topics)
    if hits.ids or own.ids:
        return _every_topic(reading, search, topics, own, hits, organisations, widen=widen, places=places)
    return _relaxed(search, topics, reading.store.vocabulary, widen=widen)


def _every_topic(reading: Reading, search: Search, topics: Sequence[Topic], own: Hits, hits: Hits, organisations: list[str] | None, *,
                 widen: bool, places: Sequence[str]) -> Found:
    """Findings on every topic: those in the user's own words first, then the documents' words for it."""
    closest = tuple(own.ids) or (tuple(hits.ids) if widen else ())  # shown first: before the widening below
    labelled = [t for t in topics if t.label]
    if labelled and len(labelled) < len(topics):
        # The known topics alone widen the answer after the closer matches ("how long ... 101": every 101 finding).
        wide = search(labelled)
        hits = Hits(list(dict.fromkeys([*hits.ids, *wide.ids])), max(hits.total, wide.total))
    if places:
        # "Stockport police mental health": the topic's findings first, then what the documents say about Stockport
        nearby = reading.search([list(places)], organisations, SEARCH_DEPTH)
        closest = closest or tuple(hits.ids)
        hits = Hits(list(dict.fromkeys([*hits.ids, *nearby.ids])), hits.total + nearby.total)
    ids = tuple(dict.fromkeys([*own.ids, *hits.ids]))
    return Found(ids, max(own.total, hits.total), tuple(topics), best=closest)


def presence(topic: Topic, vocabulary: dict[str, int]) -> int:
    """How common the topic's words are in the findings (0: never used)."""
    return max((min((vocabulary.get(w, 0) for w in p.split() if not w.isdigit()), default=1) for p in topic.phrases), default=0)


def _relaxed(search: Search, topics: Sequence[Topic], vocabulary: dict[str, int], *, widen: bool) -> Found:
    """Nothing on every topic: the known topics alone, then without the weakest topic, one at a time; then any
    topic, best ranked first; else nothing (ids ())."""
    labelled = [t for t in topics if t.label]
    if labelled and len(labelled) < len(topics):
        # The known topics carry the meaning; words of the user's own ("kept", "overnight") only narrow it.
        hits = search(labelled)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, tuple(labelled), tuple(t for t in topics if not t.label))
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
            return Found(tuple(hits.ids), hits.total, tuple(remaining), tuple(dropped))
    if len(topics) > 1 and (labelled or not widen):
        hits = search(topics, True)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, tuple(topics), any_of=True)
    return Found((), 0, (), tuple(topics))


def select(reading: Reading, query: Query, organisations: list[str] | None, intent: str, found: Found, *, page: int = 0, negative_only: bool = False,
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
    return index.select(reading.session, q, limit=window)


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


# -- relaxing the question rather than finding nothing ------------------------------------------


@dataclass(frozen=True)
class Relaxed:
    """Something the question asked for that its answer gave up to find anything, and the question before."""

    what: str  # speaker_topic | speaker_topic_in_documents | documents | topic
    query: Query  # the question before it was given up
    found: Found  # what its topic found then
    intent: str


@dataclass(frozen=True)
class Choice:
    """The findings chosen for a question: the question as finally asked (relaxed, or narrowed to older
    findings), its intent, what its topic found, the selection, and what was given up on the way."""

    query: Query
    intent: str
    found: Found
    selection: Selection
    relaxed: tuple[Relaxed, ...] = ()
    negative: bool = False  # across organisations: criticism only


def older(query: Query, shown: list[Finding], *, oldest: bool = False) -> Query | None:
    """"older ones": the question narrowed to findings published before the newest of those shown (`oldest`: before
    the oldest of them), or None when none has a date."""
    days = [f.published for f in shown if f.published]
    if not days:
        return None
    before = min(days) if oldest else max(days)
    return replace(query, dates=Dates(query.dates.since if query.dates else None, before - dt.timedelta(days=1), "older"))


Chooser = Callable[[Query, Found, str], Selection]  # (question, what its topic found, intent) -> the selection


def choose_about(reading: Reading, query: Query, organisations: list[str], intent: str, *, page: int, seen: int) -> Choice:
    """The findings about organisations: on the question's topic, in its dates, of its kind of document and by
    its speakers; else relaxed (see _relax_about). `seen`: how many findings the page before showed, for
    "older ones" (an overview's page is its most serious findings, so the oldest of them marks what was seen)."""
    found = find(reading, query.topics, organisations, places=query.places)

    def choose(q: Query, f: Found, kind: str) -> Selection:
        return select(reading, q, organisations, kind, f, page=page)

    selection = choose(query, found, intent) if found.ids != () else Selection.empty()
    if selection and query.older and (narrowed := older(query, selection.rows[:seen], oldest=intent == "overview")):
        query, selection = narrowed, choose(narrowed, found, intent)
    if selection:
        return Choice(query, intent, found, selection)
    return _relax_about(choose, query, intent, found, selection)


def _relax_about(choose: Chooser, query: Query, intent: str, found: Found, selection: Selection) -> Choice:
    """Nothing about the organisations as asked: one thing at a time, what was said without the topic, then what
    their other documents say, then the findings without the topic (an overview instead of a topic). Nothing
    in the dates asked, or by the speaker asked, is nothing."""
    relaxed: list[Relaxed] = []
    by_someone = intent == "statements" and bool(query.role or query.people)
    if by_someone and query.topics:
        relaxed.append(Relaxed("speaker_topic", query, found, intent))
        query, found = replace(query, topics=()), Found(None)
        selection = choose(query, found, intent)
    if by_someone and not selection:
        return Choice(query, intent, found, selection, tuple(relaxed))
    if not selection and query.documents:
        relaxed.append(Relaxed("documents", query, found, intent))
        query = replace(query, documents=(), document_words=None)
        selection = choose(query, found, intent) if found.ids != () else selection
    if not selection and query.dates:
        return Choice(query, intent, found, selection, tuple(relaxed))
    if not selection and query.topics:
        # Nothing on the topic: say so, then answer the question without it.
        relaxed.append(Relaxed("topic", query, found, intent))
        found, intent = Found(None), "overview" if intent == "topic" else intent
        selection = choose(query, found, intent)
    if not selection and intent == "overview":
        selection = choose(query, found, "topic")
    return Choice(query, intent, found, selection, tuple(relaxed))


def choose_across(reading: Reading, query: Query, intent: str, organisations: list[str] | None, *, page: int) -> Choice:
    """The findings on a topic across organisations (of the kind asked, or `organisations`): criticism only
    when the question is negative and there is some; else what a speaker said (see _what_they_said)."""
    if not query.topics and query.grade and intent == "grades":
        query = replace(query, topics=(Topic(query.grade, (query.grade,)),))  # "which forces were rated inadequate"
    kind = query.kind
    among = organisations or of_the_kind(reading.store, kind)
    # National reports ("fire and rescue services in England") are about every organisation of the kind.
    national = among is not None
    # "slow", "delays" with another topic rank the findings on that topic rather than narrow them
    qualified = [t for t in query.topics if t.label != QUALIFIER] if query.negative else list(query.topics)
    found = find(reading, qualified or query.topics, among, widen=True, national=national)

    def choose(q: Query, f: Found, intent: str, negative_only: bool = False) -> Selection:
        if f.ids == ():
            return Selection.empty()
        return of_kind(select(reading, q, among, intent, f, rows=RANKED, national=national, page=page, negative_only=negative_only), kind)

    negative = query.negative and intent in ("topic", "improve")
    selection = choose(query, found, intent, negative)
    if not selection and negative:
        selection, negative = choose(query, found, intent), False
    if selection and query.older and (narrowed := older(query, selection.rows)):
        query, selection = narrowed, choose(narrowed, found, intent, negative)
    if selection or not (query.topics and (query.people or query.role)):
        return Choice(query, intent, found, selection, negative=negative)
    return _what_they_said(choose, query, intent, found, qualified)


def of_the_kind(store: Store, kind: str | None) -> list[str] | None:
    """Every organisation of the kind (police or fire), or None (every organisation) when no kind is asked."""
    return [o.id for o in store.reference.organisations.values() if o.kind == kind] if kind else None


def _what_they_said(choose: Chooser, query: Query, intent: str, found: Found, qualified: list[Topic]) -> Choice:
    """"what did the MP say about vetting" when none of it names the topic: what that person said in documents on
    the topic; else ("Gillespie vetting quotes") everything they said."""
    none = Found(None)
    on_it = tuple(dict.fromkeys(w for t in qualified for w in (t.words, *t.phrases[:2])))
    in_documents = replace(query, topics=(), documents=query.documents or on_it)
    selection = choose(in_documents, none, "statements")
    if selection and not query.documents:
        return Choice(in_documents, intent, none, selection, (Relaxed("speaker_topic_in_documents", query, found, intent),))
    said = replace(query, topics=())
    return Choice(said, intent, none, choose(said, none, "statements"), (Relaxed("speaker_topic", query, found, intent),))
