"""Selecting findings for a question: the topic searched (relaxed step by step rather than finding nothing),
then the store's selection of the kinds of finding the question asks for."""

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations, zip_longest
from typing import Any

from sqlmodel import Session

from knowledge.matching import FIRE_WORDS, POLICE_WORDS, finder_for, normalise
from knowledge.models import Finding, Kind, Polarity
from knowledge.questions.dates import Dates
from knowledge.questions.ranking import PROVENANCE_WINDOW, by_relevance, in_turn, phrase_words, stem_count, weigh
from knowledge.questions.understanding import QUALIFIER, Query, Topic
from knowledge.questions.vocabulary import vocabulary as vocabulary_data
from knowledge.state import records
from knowledge.state import search as index
from knowledge.state.search import KIND_ORDER, FindingQuery, Hits, Selection, by_kind
from knowledge.state.store import Store

MAX_CITATIONS = 6  # a phone screen or two
AS_COMMON = 4  # two topics whose words are used within this factor of each other are as much the subject
FEW_TOGETHER = 2 * MAX_CITATIONS  # fewer findings on every topic than two pages: those on the main topic alone follow
SEARCH_DEPTH = 200  # topic matches considered: the index's best (knowledge.state.search.search)
TELLING = 5_000  # a phrase whose rarest word the findings use more often than this weighs no more than its topic's plainest
INSPECTORS = "HM Inspector"  # the role "the inspector(s)" asks for
SAME_REPORT = 2  # a national question's few matches from this many documents at most: the rest of those documents follows
TITLED_BELOW = MAX_CITATIONS  # fewer findings on a topic than a page: those in documents titled with it follow
TITLE_WORD = 4  # a topic shorter than this ("new") names no report
RELAXED_SEARCHES = 12  # sets of topics tried when nothing holds every topic (see _relaxed)
RANKED = 60  # of those, the findings of the kinds asked for read and ranked again on their words (ranking.by_relevance)

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
    "latest": (FINDING_KINDS | {Kind.statement}, frozenset(Polarity)),  # "when was it inspected": the dates are neutral context
    "engage": (frozenset(Kind), frozenset(Polarity)),  # any finding recording an Engage entry or exit
    "topic": (frozenset(Kind), frozenset(Polarity)),
    "progress": (NEGATIVE_KINDS, frozenset({Polarity.negative})),  # concerns followed across documents (progress.py)
}
Kinds = tuple[frozenset[str], frozenset[str], frozenset[str]]  # kinds, context findings' polarities, grades' polarities
PERSON_TOPIC = "a person named"  # the label of a topic made of a person's names (see person_topic)
KIND_TOPIC = "kind of finding"  # the label of a topic made of the words documents use for a kind (see followed)
NEGATIVE_INTENTS = frozenset({"improve", "concerns", "recommendations", "compare"})  # an answer about one organisation: the most serious first
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
    """The outcome of looking for a topic: the finding ids to select from, best first (None: no topic), and what
    was relaxed."""

    ids: tuple[int, ...] | None
    matched: int = 0
    topics: tuple[Topic, ...] = ()  # the topics the ids match
    dropped: tuple[Topic, ...] = ()  # topics given up to find anything
    any_of: bool = False  # the ids match some of the topics, ranked, not all of them
    then: tuple[Topic, ...] = ()  # few matched every topic: those on this one alone are added
    together: int = 0  # ... and how many of the ids (the first) matched every topic

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

    def search(self, groups: list[list[str] | str], organisations: list[str] | None, limit: int, *, any_group: bool = False, national: bool = False,
               weights: dict[str, float] | None = None, optional: Sequence[Sequence[str]] = ()) -> Hits:
        """The search index's hits (knowledge.state.search.search) in this read."""
        return index.search(self.session, groups, organisations, limit, any_group=any_group, national=national, counts=self.store.finding_counts,
                            weights=weights, optional=optional)


def find(reading: Reading, topics: Sequence[Topic], organisations: list[str] | None, *, widen: bool = False, places: Sequence[str] = (),
         national: bool = False, also: Sequence[Topic] = ()) -> Found:
    """Finding ids for the topics, the most relevant first (see search_topics), relaxing step by step rather than
    finding nothing: without the weakest topic, one at a time; then any topic. Words of the user's own beside
    known topics ("how long ... 101") and the topics in `also` ("slow") rank the findings rather than select
    them; when none holds such a word, it is given up as relaxing would. `places`: what the documents say
    about the towns named comes after the topic's findings."""
    if not topics:
        return Found(None)
    vocabulary = reading.store.vocabulary
    labelled = [t for t in topics if t.label]
    optional = [t for t in topics if not t.label] if labelled and len(labelled) < len(topics) else []
    required = [t for t in topics if t not in optional]

    def search(ts: Sequence[Topic], any_group: bool = False) -> Hits:
        return search_topics(reading, ts, organisations, any_group=any_group, national=national, optional=[*optional, *also] if ts is required else also)

    hits = search(required)
    titled = _in_titled(reading, required, organisations) if not widen and hits.total < TITLED_BELOW else []
    if not hits.ids:
        if titled:  # "was Lincolnshire inspected for fraud": its findings in the report on fraud
            return Found(tuple(titled), len(titled), tuple(required), tuple(optional))
        return _relaxed(search, required, vocabulary, widen=widen, dropped=optional)
    dropped = tuple(t for i, t in enumerate(optional) if not hits.groups >> (len(required) + i) & 1)
    ids = list(dict.fromkeys([*hits.ids, *titled]))
    # "digital forensics backlog ... phones": the findings with all the user's own words first, when two or more (one word
    # beside a known topic across organisations, "Labour MP ... vetting", may be anyone's), or when none is in the matches
    own_first = dropped and (len(optional) >= 2 or (not widen and len(dropped) == len(optional)))
    some = False  # across organisations, those with the user's own words first are said to match some of the words, not all
    if own_first and not (still := _own_words_first(reading, optional, ids, organisations, national=national))[1]:
        ids, dropped, some = still[0], (), widen
    then: tuple[Topic, ...] = ()
    together = 0
    if len(required) > 1 and (not widen or all(t.label for t in required)) and hits.total < FEW_TOGETHER:
        # "stalking victims let down": few findings say both; those on the most telling topic alone follow them
        subjects = [t for t in required if is_subject(t)]
        main = max(subjects, key=lambda t: weigh(t.words, vocabulary)) if subjects else None
        have = set(ids)
        alone = [i for i in search([main]).ids if i not in have] if main else []
        alone_on: tuple[Topic, ...] = (main,) if main else ()
        # "efficiency legitimacy", "stop and search race": two topics about as telling as each other are taken in turn
        # ("stalking victims": victims of any crime are far commoner, and stalking alone follows on its own)
        if as_common(subjects, vocabulary):
            other = next(t for t in subjects if t is not main)
            if more := [i for i in search([other]).ids if i not in have]:
                alone = list(dict.fromkeys(i for pair in zip_longest(alone, more) for i in pair if i is not None))
                alone_on = (main, other)
        if alone:
            together, ids, then = len(ids), [*ids, *alone], alone_on
    if places:
        # "Stockport police mental health": the topic's findings first, then what the documents say about Stockport
        ids = list(dict.fromkeys([*ids, *reading.search([list(places)], organisations, SEARCH_DEPTH).ids]))
    return Found(tuple(ids), hits.total, tuple(t for t in topics if t not in dropped), dropped, any_of=some, then=then, together=together)


def _in_titled(reading: Reading, topics: Sequence[Topic], organisations: list[str] | None) -> list[int]:
    """The findings about these (few) organisations in documents titled with the topic's words as the user wrote
    them, of those that name the organisation themselves (a sentence of a national report that names no one is
    not made one force's by a title)."""
    words = " ".join(normalise(topics[0].words).split()) if len(topics) == 1 and topics[0].label not in (KIND_TOPIC, PERSON_TOPIC) else ""
    if not organisations or len(organisations) > 2 or len(words) < TITLE_WORD:
        return []
    names = finder_for(reading.store.reference)  # the parser's own reading of organisations' names in text
    return [i for i, text, o in records.in_titled(reading.session, words, organisations, SEARCH_DEPTH)
            if any(m.strong and m.organisation_id == o for m in names.find(text))]


def _own_words_first(reading: Reading, own: Sequence[Topic], ids: list[int], organisations: list[str] | None, *,
                     national: bool) -> tuple[list[int], tuple[Topic, ...]]:
    """"GMP crime recording new computer system", when no finding on the known topic uses the user's own words: those
    that use them, first, with the known topic's words or not; and the words given up (none, when any were found)."""
    hits = reading.search([t.words for t in own], organisations, SEARCH_DEPTH, national=national)
    return (list(dict.fromkeys([*hits.ids, *ids])), ()) if hits.ids else (ids, tuple(own))


def search_topics(reading: Reading, topics: Sequence[Topic], organisations: list[str] | None, *, any_group: bool = False, national: bool = False,
                  optional: Sequence[Topic] = ()) -> Hits:
    """The index's best matches for the topics: each a group of the user's words and the words documents use for
    them, weighed by how telling each phrase is (rare words more, the user's own words twice)."""
    vocabulary = reading.store.vocabulary
    weights: dict[str, float] = {}
    for t in [*topics, *optional]:
        for phrase, weight in [*((p, weigh(p, vocabulary)) for p in t.phrases), (t.words, 2 * weigh(t.words, vocabulary))]:
            # A phrase as common as its topic's plainest words tells no more than they do, and searching for it
            # on its own (see knowledge.state.search._arms) would read thousands of matches: only rarer ones weigh.
            counts = [stem_count(w, vocabulary) for w in phrase.split() if len(w) > 2 and not w.isdigit()]  # as the vocabulary counts
            if 0 not in counts and min(counts, default=0) <= TELLING:  # never used: it finds nothing, no need to look
                weights[phrase] = max(weights.get(phrase, 0.0), weight)

    def group(t: Topic) -> list[str]:  # the user's words, then the documents' words, each form once ("stops", "stopped": one)
        return list({phrase_words(p): p for p in reversed([t.words, *t.phrases])}.values())[::-1]

    return reading.search([group(t) for t in topics], organisations, SEARCH_DEPTH, any_group=any_group, national=national, weights=weights,
                          optional=[group(t) for t in optional])


def is_subject(topic: Topic) -> bool:
    """Whether a topic is what the question is about: never its form ("when it was inspected"), a qualifier
    ("slow"), a kind of finding or a person's name."""
    return topic.label not in (QUALIFIER, KIND_TOPIC, PERSON_TOPIC, vocabulary_data().when_inspected[0])


def as_common(topics: Sequence[Topic], vocabulary: dict[str, int]) -> bool:
    """Whether the topics are two known subjects whose words the findings use about as often as each other (within
    AS_COMMON times): "efficiency legitimacy", neither the weaker."""
    if len(topics) != 2 or not all(t.label and is_subject(t) for t in topics):
        return False
    counts = sorted(presence(t, vocabulary) for t in topics)
    return counts[0] > 0 and counts[1] <= AS_COMMON * counts[0]


def presence(topic: Topic, vocabulary: dict[str, int]) -> int:
    """How common the topic's words are in the findings (0: never used)."""
    return max((min((vocabulary.get(w, 0) for w in p.split() if not w.isdigit()), default=1) for p in topic.phrases), default=0)


def _relaxed(search: Search, topics: Sequence[Topic], vocabulary: dict[str, int], *, widen: bool, dropped: Sequence[Topic] = ()) -> Found:
    """Nothing on every topic (`topics`, after giving up those `dropped`): without the weakest topic, one at a
    time; then any topic, best ranked first; else nothing (ids ())."""
    labelled = [t for t in topics if t.label]
    remaining = list(topics)
    dropped = list(dropped)
    # Across every organisation, words of the user's own (no known topic) are kept to at least half, and
    # never matched one at a time: "ignore all previous instructions" must not find "system" somewhere.
    floor = 1 if labelled or not widen else max(1, (len(topics) + 1) // 2)
    # Unknown words go first, then qualifiers ("slow"), then the commonest topic: each set of topics kept is tried,
    # the most topics first and, of as many, those that keep the strongest ("ROCUs ... visit" when no finding on
    # them also says "digital" or "forensics"), up to RELAXED_SEARCHES searches.
    strength = {t: i for i, t in enumerate(sorted(remaining, key=lambda t: (t.label is not None, t.label != QUALIFIER, presence(t, vocabulary) > 0,
                                                                             -presence(t, vocabulary))))}
    if as_common(remaining, vocabulary):
        # "efficiency legitimacy": neither is the weaker, and findings on either, best ranked first, are the answer
        hits = search(remaining, True)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, tuple(remaining), tuple(dropped), any_of=True)
    tried = 0
    for size in range(len(remaining) - 1, floor - 1, -1):
        for kept in sorted(combinations(remaining, size), key=lambda kept: -sum(strength[t] for t in kept)):
            if tried == RELAXED_SEARCHES:
                break
            tried += 1
            hits = search(list(kept))
            if hits.ids:
                return Found(tuple(hits.ids), hits.total, kept, (*dropped, *(t for t in remaining if t not in kept)))
    if len(topics) > 1 and (labelled or not widen):
        hits = search(topics, True)
        if hits.ids:
            return Found(tuple(hits.ids), hits.total, tuple(topics), tuple(dropped), any_of=True)
    return Found((), 0, (), (*dropped, *remaining))


def select(reading: Reading, query: Query, organisations: list[str] | None, intent: str, found: Found, *, page: int = 0, negative_only: bool = False,
           rows: int | None = None, national: bool = False, other: Kinds | None = None, documents: tuple[int, ...] = ()) -> Selection:
    """The findings of the kinds the intent asks for (or `other` kinds: those that follow them), on the found
    topic, within the question's dates, kind of document and speakers (and `documents`). `rows`: how many to
    read (by default, enough for `page` and the provenance window)."""
    q = finding_query(query, organisations, intent, found, negative_only=negative_only, national=national, other=other, documents=documents)
    turns = intent == "overview" and found.ids is None and other is None and rows is None  # "are they any good?": each kind in turn
    window = rows if rows is not None else max((page + 1) * MAX_CITATIONS, PROVENANCE_WINDOW, RANKED if found.ids is not None or turns else 0)
    selection = index.select(reading.session, q, limit=window)
    if turns:
        return replace(selection, rows=in_turn(selection.rows))
    if found.ids is None or not selection.rows:
        return selection
    # The index's best candidates, ranked again on their words, kinds and sources (ranking.by_relevance)
    serious = organisations is None or len(organisations) > 1 or query.negative or intent in NEGATIVE_INTENTS
    rows, scores = by_relevance(selection, query, found.topics, reading.store.vocabulary, serious=serious)
    return replace(selection, rows=rows, scores=scores)


def rest_of(reading: Reading, query: Query, intent: str, organisations: list[str] | None, documents: Sequence[int], *, national: bool = False,
            shown: Collection[int] = (), about_none: bool = False) -> Selection:
    """The other findings of these documents (of the kinds the intent asks for; with `about_none`, only those about no
    organisation in particular), less those `shown`, the nearest the question's words first (ranking.by_relevance):
    the rest of a report a question is about. Empty when there are none."""
    rest = select(reading, replace(query, topics=()), organisations, intent, Found(None), national=national, documents=tuple(sorted(documents)), rows=RANKED)
    rows = [f for f in rest.rows if f.id not in shown and (f.organisation_id is None or not about_none)]
    if not rows:
        return Selection.empty()
    ranked, scores = by_relevance(replace(rest, rows=rows), query, query.topics, reading.store.vocabulary, serious=False)
    return replace(rest, rows=ranked, total=len(ranked), scores=scores)


def finding_query(query: Query, organisations: list[str] | None, intent: str, found: Found, *, negative_only: bool = False, national: bool = False,
                  other: Kinds | None = None, documents: tuple[int, ...] = ()) -> FindingQuery:
    """What select asks the store for (see select)."""
    kinds, context_polarities = INTENT_KINDS[intent]
    if intent == "overview" and found.ids is not None:
        context_polarities = frozenset(Polarity)  # "are they any good at planning ahead": what is said on the topic, plain statements too
    grade_polarities = GRADE_POLARITIES.get(intent, frozenset())
    if negative_only:
        kinds, context_polarities, grade_polarities = kinds & NEGATIVE_KINDS or NEGATIVE_KINDS, frozenset({Polarity.negative}), frozenset({Polarity.negative})
    if other is not None:
        kinds, context_polarities, grade_polarities = other
    asked = other is None  # the kind asked: its speakers, its Engage records, its one document
    said = asked and intent == "statements"
    if said and (query.persons or query.role):
        kinds = frozenset(Kind)  # a person's or a role's words: statements, and the findings an inspector signed
    dates = query.dates
    return FindingQuery(
        organisations=tuple(organisations) if organisations is not None else None, national=national,
        kinds=kinds, context_polarities=context_polarities, ids=found.ids, documents=documents,
        since=dates.since if dates else None, until=dates.until if dates else None, undated=bool(dates and dates.undated),
        titled_year=dates.year if dates else None, year_in_text=not query.documents,  # "the State of Fire 2022 report": the report's year
        title_words=query.documents, role=f"%{query.role}" if said and query.role and not query.persons else None,  # "the commissioner": any commissioner, "the chief constable" deputies too
        people=query.persons if said else (),
        engage=asked and intent == "engage", newest_document_only=asked and intent == "latest", grade_polarities=grade_polarities,
        with_status=asked and intent in ("overview", "latest"),
        priority=intent in ("overview", "latest", "compare") or (not asked and found.ids is None) or query.extreme == "worst",  # "the worst thing they said"
        ordered=found.ids is not None,
        grades_first=intent == "compare" and found.ids is None,  # two organisations side by side: how each was judged first
        said_first=said and bool(query.persons),  # "what did Roy Wilsher say": his quoted words, then the letters he signed
    )


def of_kind(selection: Selection, kind: str | None) -> Selection:
    """Without the national findings of the other kind: a question about fire services gets national
    reports on fire and rescue services, not those on the police (told apart by their titles; a title that names
    neither, "Victims of stalking are let down", by the finding's own words: "missed by police")."""
    words = POLICE_WORDS if kind == "police" else FIRE_WORDS if kind == "fire" else None
    if words is None or not selection:
        return selection
    other = FIRE_WORDS if kind == "police" else POLICE_WORDS

    def fits(f: Finding) -> bool:
        if f.organisation_id is not None:
            return True
        d = selection.documents.get(f.document_id)
        titled = set(normalise(f"{d.title or ''} {d.section or ''}").split()) if d else set()
        if titled & words or titled & other:
            return bool(titled & words)
        said = set(normalise(f.text).split())  # a title that names neither: the finding's own words must name the kind asked
        return bool(said & words) and not said & other

    rows = [f for f in selection.rows if fits(f)]
    if len(rows) == len(selection.rows):
        return selection
    if selection.total > len(selection.rows):  # not every match was read: keep the counts, drop the rows
        return replace(selection, rows=rows, total=selection.total - (len(selection.rows) - len(rows)))
    counts: dict[str, int] = {}
    for f in sorted(rows, key=lambda f: KIND_ORDER.get(f.kind, 9)):
        key = f.polarity if f.kind == Kind.context else f.kind
        counts[key] = counts.get(key, 0) + 1
    return replace(selection, rows=rows, total=len(rows), counts=counts, document_count=len({f.document_id for f in rows}))


# -- relaxing the question rather than finding nothing ------------------------------------------


@dataclass(frozen=True)
class Relaxed:
    """Something the question asked for that its answer gave up to find anything, and the question before."""

    what: str  # speaker_topic | speaker_topic_in_documents | documents | topic | year | undated
    query: Query  # the question before it was given up
    found: Found  # what its topic found then
    intent: str
    title: str | None = None  # the report a question named by its title (titled_report)


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
    followed: Selection = field(default_factory=Selection.empty)  # findings of other kinds after the few asked for (see followed)
    later: Selection = field(default_factory=Selection.empty)  # after a year's few findings, the year after's (choosing._and_year_after)
    on_kind: bool = False  # `followed` found by the words documents use for the kind asked, the question having no topic
    status: Any = None  # an organisation's Engage status (standing.Status), for "are they still in special measures?"


def older(query: Query, shown: list[Finding], *, oldest: bool = False) -> Query | None:
    """"older ones": the question narrowed to findings published before the newest of those shown (`oldest`: before
    the oldest of them, for an overview, whose page is its most serious findings), or None when none has a date.
    Those shown are never shown again (see unseen): it always moves back."""
    days = [f.published for f in shown if f.published]
    if not days:
        return None
    before = min(days) if oldest else max(days)
    return replace(query, dates=Dates(query.dates.since if query.dates else None, before - dt.timedelta(days=1), "older"))


def unseen(selection: Selection, shown: list[Finding]) -> Selection:
    """The selection without the findings already shown: "older ones" never shows them again."""
    seen = {f.id for f in shown}
    rows = [f for f in selection.rows if f.id not in seen]
    return replace(selection, rows=rows, total=max(0, selection.total - (len(selection.rows) - len(rows))))


Chooser = Callable[[Query, Found, str], Selection]  # (question, what its topic found, intent) -> the selection


def joined(first: Selection, then: Selection) -> Selection:
    """Two selections as one: the rows of the first, then those of the second; counts and documents of both."""
    if not then:
        return first
    counts = dict(first.counts)
    for key, n in then.counts.items():
        counts[key] = counts.get(key, 0) + n
    return replace(first, rows=[*first.rows, *then.rows], total=first.total + then.total, counts=counts, documents={**first.documents, **then.documents},
                   document_count=first.document_count + then.document_count, scores={**then.scores, **first.scores})


def listed_then(rows: list[Finding], documents: dict, more: Selection) -> Selection:
    """Findings listed (one organisation's record each), then the others of `more` that were not listed."""
    listed = {f.id for f in rows}
    return joined(Selection(rows, len(rows), {}, dict(documents), []), replace(more, rows=[f for f in more.rows if f.id not in listed]))


def person_topic(query: Query) -> Topic:
    """The names of the people a question names, as a topic: the findings that name them."""
    return Topic(query.persons[0], tuple(normalise(n) for n in query.persons if len(n.split()) > 1), PERSON_TOPIC)


def only(selection: Selection, rows: list) -> Selection:
    """The selection narrowed to these of its rows, counted again."""
    return replace(selection, rows=rows, total=len(rows), counts=by_kind((f.kind, f.polarity, 1) for f in rows),
                   document_count=len({f.document_id for f in rows}))
