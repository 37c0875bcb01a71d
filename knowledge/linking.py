"""Which later finding revisits which earlier concern of the same organisation, and what it says of it.

Pure functions over plain values: knowledge.state.links reads stored findings into Passages and stores the Links these
rules return. A concern is a cause of concern, an area for improvement, a recommendation, a reason for entering Engage
or any finding whose words criticise. A finding of a later document of the same organisation revisits it when the two
are about the same thing: a topic of knowledge/data/synonyms.toml or a theme of knowledge/data/progress.toml named by
both, the same graded area, the same figure, enough rare words in common, or, for a finding that speaks of earlier
concerns in general ("the causes of concern highlighted in the 2019 report were removed"), a concern so called in a
document of the year it names. A finding that names nothing of its own ("Much work remains to be done") is read with the
sentences around it.

Each later mention has a status as its own words put it: improved, not_yet or unclear. A status other than unclear is
always backed by a cue, words of the mention or of its lead-in (document offsets), that say so; a good grade is an
improvement only on a concern that was itself a low grade. Nothing is guessed: without such words the status is unclear.
"""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from knowledge.lexicon import BROAD_TERMS, COMMON_WORDS, CONCERN_WORDS, GENERAL_SUBJECTS, GENERAL_WORDS, GRADE_WORDS_SAID, INSPECTOR_ROLES, STATUS_WORDS, THEMES, TOPICS
from knowledge.wordlists import Words, words

IMPROVED, NOT_YET, UNCLEAR = "improved", "not_yet", "unclear"
CONCERN_KINDS = frozenset({"cause_of_concern", "area_for_improvement", "recommendation"})
ENTERED_ENGAGE = "engage_entered"
KEY_WORDS = 2  # rare words two findings must share to be about the same thing, when they share no topic
PREAMBLE = 300  # characters before a finding read for its lead-in and the sentence before it
NEIGHBOURS = 3  # findings either side a finding that names nothing of its own borrows its topic from
YEAR_LAG = 1  # "our 2018 inspection" may be published the year after
TOPIC, THEME, AREA = "topic:", "theme:", "area:"  # synonyms.toml's topics, progress.toml's themes, graded areas
MENTIONS_PER_DOCUMENT = 8  # at most this many mentions of one concern that state a status kept from one later document
UNCLEAR_PER_DOCUMENT = 3  # and this many that state none (the closest)
STATES, STATES_REVISIT = 1, 4  # how much closer a mention that states a status is, and one that states it of the concerns themselves


CONCERN = words(CONCERN_WORDS)
IN_GENERAL = words(GENERAL_SUBJECTS)
NAMED = re.compile(r"\bconcerns?\b", re.I)  # a concern so called, by itself or the sentence before it
# One scan finds every cue, in order: at each word the first of these that matches takes it, so the words that only
# name improvement ("areas for improvement") and those that say it has not come ("requires improvement") are never
# read as improvement.
CUES = Words([(name, STATUS_WORDS[name]) for name in ("neutral", NOT_YET, IMPROVED)])
RECOUNTING = words(STATUS_WORDS["recounting"])
WORSE = words(STATUS_WORDS["worse"])  # of the sentences that state a status, those that say it got worse
GOOD_GRADE = words(GRADE_WORDS_SAID["positive"])
LOW_GRADE = words(GRADE_WORDS_SAID["negative"])
GENERAL = words(GENERAL_WORDS)
CONTRAST = re.compile(r"\b(?:but|however|although|though|whilst|while|yet)\b", re.I)
CONCESSION = re.compile(r"^\W*(?:despite|although|though|while|whilst)\b[^,]*,", re.I)
YEAR = re.compile(r"(?<![\d,])(?:19[89]\d|20[0-4]\d)(?![\d,])")
TOKEN = re.compile(r"[a-z]+|\d[\d,]*\d|\d")
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
STEMS_KEPT = 200_000  # words whose stem is kept
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ness", "ities", "ity", "ives", "ive", "ies", "ied",
            "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A word's stem, crude but consistent: a suffix off, a final e off, seven letters at most ("investigates" and
    "investigation" are "investi")."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word[:7]


_stemmed: dict[str, str] = {}  # every word met, stemmed (a vocabulary: it grows with the words of the documents)


def stems(text: str) -> list[str]:
    """Every word of the text, stemmed, in order (numbers as written)."""
    known = _stemmed
    words = TOKEN.findall(text.lower())
    out = [known.get(w) for w in words]
    for i, w in enumerate(words):
        if out[i] is None:
            out[i] = w if w[0].isdigit() else known.setdefault(w, stem(w)) if len(known) < STEMS_KEPT else stem(w)
    return out  # type: ignore[return-value]


COMMON = frozenset(stem(w) for w in COMMON_WORDS)


def _phrases() -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    """First stem -> (the stems of a topic's term, its topic), for every term of synonyms.toml and progress.toml that
    is not too common to tie findings on its own."""
    first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for prefix, table in ((TOPIC, TOPICS), (THEME, THEMES)):
        for name, terms in table.items():
            for term in terms:
                words = tuple(stems(term))
                if term in BROAD_TERMS:
                    continue
                if words:
                    first[words[0]].append((words, prefix + name))
    return {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in first.items()}


PHRASES = _phrases()


def topics_of(words: Sequence[str]) -> frozenset[str]:
    """The topics and themes whose terms the stemmed words contain."""
    found = set()
    for i, word in enumerate(words):
        for phrase, topic in PHRASES.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.add(topic)
    return frozenset(found)


@dataclass(frozen=True)
class Passage:
    """A stored finding as the linking rules read it, with the words just before it in its document (plain values)."""

    id: int
    document_id: int
    published: dt.date | None
    kind: str
    polarity: str
    start: int  # where the finding starts in its document's text
    text: str  # document.text[start:end]
    lead_in: str = ""  # the sentence introducing it (its stored context) and the sentence before that, in its paragraph
    lead_in_start: int = 0  # where lead_in starts in the document's text
    preamble: str = ""  # the sentence before it in its paragraph
    title: str = ""
    areas: tuple[str, ...] = ()  # the graded areas stored with the finding
    status: str | None = None  # the monitoring status recorded on the finding
    own: bool = True  # about the organisation itself; False: a sentence that names no one, in a document about it
    answering: bool = False  # the words of someone answering for it (a chief, a commissioner), not of an inspector


def lead_in_span(document: str, start: int, context: str | None) -> tuple[int, int]:
    """Where a finding's lead-in is in its document: its stored context ("These include:") and the sentence before that
    in the same paragraph ("... because it has made improvements."); (0, 0) without one."""
    at = document.rfind(context, 0, start) if context else -1
    if at < 0:
        return 0, 0
    paragraph = max(document.rfind("\n", 0, at) + 1, at - PREAMBLE)
    ends = [m.end() for m in SENTENCE_END.finditer(document, paragraph, at)]
    return (ends[-2] if len(ends) >= 2 else paragraph if ends else at), at + len(context)


def passage(finding_id: int, document_id: int, published: dt.date | None, kind: str, polarity: str, start: int, end: int,
            document: str, *, context: str | None = None, title: str | None = None, areas: Sequence[str] = (), status: str | None = None,
            own: bool = True, role: str | None = None) -> Passage:
    """A finding as the rules read it, from its stored fields and its document's text."""
    lead_in_start, lead_in_end = lead_in_span(document, start, context)
    lead_in = document[lead_in_start:lead_in_end]
    paragraph = max(document.rfind("\n", 0, start) + 1, start - PREAMBLE)
    before = document[paragraph:start].rstrip()
    preamble = SENTENCE_END.split(before)[-1] if before else ""
    return Passage(finding_id, document_id, published, kind, polarity, start, document[start:end], lead_in, lead_in_start,
                   preamble, title or "", tuple(areas), status, own, kind == "statement" and bool(role) and role not in INSPECTOR_ROLES)


@dataclass(frozen=True)
class Said:
    """A status and the words that say it (document offsets)."""

    status: str
    start: int
    end: int


@lru_cache(maxsize=4096)  # the bullets under one lead-in read it alike
def said_in(text: str, offset: int) -> Said | None:
    """The status the text states and the words that state it: not yet ("still needs to", "remains open", a low grade)
    or improved ("has made improvements", "discharged", "no longer"), never words that only name improvement ("areas
    for improvement"); after a contrast ("..., but more work was still needed") the words after it decide; both without
    one, or a demand in a sentence that recounts what was said before ("It was told it must improve"), say nothing."""
    cues = [(m.start(), m.end(), m.lastgroup) for m in CUES.finditer(text) if m.lastgroup != "neutral"]
    if not cues:
        return None
    if len({status for _, _, status in cues}) > 1:
        concession = CONCESSION.match(text)
        turns = [m.end() for m in CONTRAST.finditer(text) if not concession or m.start() >= concession.end()]
        turn = turns[-1] if turns else concession.end() if concession else None
        cues = [c for c in cues if turn is not None and c[0] >= turn]
        if len({status for _, _, status in cues}) != 1:
            return None
    start, end, status = cues[0]
    if status == NOT_YET and RECOUNTING.search(text, 0, start):
        return None
    return Said(status, offset + start, offset + end)


def supports(status: str, words: str) -> bool:
    """Whether the words state the status: the cue a mention stores must (improved also by a good grade)."""
    stated = [m.lastgroup for m in CUES.finditer(words) if m.lastgroup != "neutral"]
    return status in stated or (status == IMPROVED and GOOD_GRADE.search(words) is not None)


def _years(text: str) -> frozenset[int]:
    return frozenset(int(y) for y in YEAR.findall(text)) if "19" in text or "20" in text else EMPTY


EMPTY: frozenset = frozenset()


class Reading:
    """What the rules make of one finding: what it is about at once, the rest only when a rule asks (most findings are
    never asked whether they state a status)."""

    def __init__(self, p: Passage) -> None:
        self.passage = p
        words = stems(p.text)
        self.keys = frozenset(w for w in words if w not in COMMON and len(w) >= 3 and (not w[0].isdigit() or YEAR.fullmatch(w) is None))
        self.topics = topics_of(words) | {AREA + a.lower() for a in p.areas}
        self.years = _years(p.text)
        # What the findings around it are about, for one that names no topic of its own ("Much work remains to be
        # done"): filled by read_document.
        self.borrow(EMPTY, EMPTY, EMPTY)

    def borrow(self, topics: frozenset[str], keys: frozenset[str], years: frozenset[int]) -> None:
        """Take what the findings around it are about (read_document, for one that names no topic of its own)."""
        self.borrowed_topics, self.borrowed_keys, self.borrowed_years = topics, keys - self.keys, years
        self.every_topic, self.every_key = self.topics | topics, self.keys | keys
        self.features = self.every_topic | self.every_key  # what the pairing looks it up by

    @cached_property
    def said(self) -> Said | None:
        """Its status in its own words, else in its lead-in's."""
        p = self.passage
        return said_in(p.text, p.start) or (said_in(p.lead_in, p.lead_in_start) if p.lead_in else None)

    @cached_property
    def general(self) -> bool:
        """Speaks of earlier concerns in general ("the causes of concern ...", "much work remains")."""
        return GENERAL.search(self.passage.text) is not None

    @cached_property
    def concern(self) -> bool:
        """Raises something to follow: a cause of concern, area for improvement, recommendation, an entry into Engage or
        criticism (the parser's kinds); or words of concern in a finding that does not say things improved, unless it
        names no one and speaks of forces or services in general (how Engage works, in a page about one force)."""
        p = self.passage
        if p.answering:
            return False  # a chief's "it is disappointing that ..." raises nothing the inspectorate will revisit
        if p.kind in CONCERN_KINDS or p.status == ENTERED_ENGAGE or p.polarity == "negative":
            return True
        if not p.own and IN_GENERAL.search(p.text):
            return False
        return CONCERN.search(p.text) is not None and (self.said is None or self.said.status != IMPROVED)

    @cached_property
    def raises_anew(self) -> bool:
        """A concern that neither recounts an earlier one nor says things improved: a later document raising it again."""
        return self.concern and not self.recounts and (self.said is None or self.said.status != IMPROVED)

    @cached_property
    def recounts(self) -> bool:
        """Tells what was said before ("was told it must improve", "the cause of concern we raised in 2021"): no new concern."""
        p = self.passage
        earlier = p.published is not None and any(y < p.published.year for y in self.years)
        return earlier or RECOUNTING.search(p.text) is not None

    @cached_property
    def named(self) -> bool:
        """Calls itself a concern, or its lead-in or the sentence before it does ("We have several areas of concern")."""
        p = self.passage
        return p.kind == "cause_of_concern" or any(NAMED.search(t) for t in (p.text, p.lead_in, p.preamble) if t)

    @cached_property
    def low_grade(self) -> bool:
        """Says a grade is low (requires improvement, inadequate)."""
        return LOW_GRADE.search(self.passage.text) is not None

    @cached_property
    def good_grade(self) -> Said | None:
        """A good or outstanding grade, and where it is said."""
        good = GOOD_GRADE.search(self.passage.text)
        return Said(IMPROVED, self.passage.start + good.start(), self.passage.start + good.end()) if good else None

    def years_named(self) -> frozenset[int]:
        """The years it names, or the findings around it do; when it speaks in general, its document's title too."""
        years = self.years | self.borrowed_years
        return years | _years(self.passage.title) if self.general else years


def read(p: Passage) -> Reading:
    """What the rules make of one finding, on its own (knowledge.state.links keeps the readings of an organisation's
    documents between documents)."""
    return Reading(p)


def read_document(passages: Sequence[Passage]) -> list[Reading]:
    """The findings of one document, in order, each read; one that names no topic of its own borrows what the nearest
    finding before it and the nearest after it that name one are about (within NEIGHBOURS findings and PREAMBLE
    characters)."""
    readings = [read(p) for p in sorted(passages, key=lambda p: p.start)]
    for i, reading in enumerate(readings):
        if reading.topics:
            continue
        near = [n for n in (_nearest(readings, i, -1), _nearest(readings, i, 1)) if n is not None]
        reading.borrow(frozenset().union(*(n.topics for n in near)), frozenset().union(*(n.keys for n in near)),
                       frozenset().union(*(n.years for n in near)))
    return readings


def _nearest(readings: list[Reading], i: int, step: int) -> Reading | None:
    here = readings[i].passage.start
    for j in range(i + step, i + step * (NEIGHBOURS + 1), step):
        if not 0 <= j < len(readings) or abs(readings[j].passage.start - here) > 2 * PREAMBLE:
            return None
        if readings[j].topics:
            return readings[j]
    return None


class Link(NamedTuple):
    """A later finding that revisits an earlier concern: why they are tied, and the status the later one states."""

    raised: int  # the concern's finding id
    mention: int  # the later finding's id
    status: str  # improved | not_yet | unclear
    cue_start: int | None  # the words that say so, in the mention's document (None when unclear)
    cue_end: int | None
    basis: str  # topic | figure | words | revisit


class Shared(NamedTuple):
    """What two findings have in common, counted: progress.toml's themes (and graded areas), synonyms.toml's topics,
    figures and other rare words."""

    themes: int
    topics: int
    figures: int
    words: int

    @property
    def total(self) -> int:
        return self.themes + self.topics + self.figures + self.words


def shared(topics: frozenset[str], keys: frozenset[str]) -> Shared:
    """The topics and rare words two findings share, counted by kind."""
    wide = sum(t.startswith(TOPIC) for t in topics)
    figures = sum(k[0].isdigit() for k in keys)
    return Shared(len(topics) - wide, wide, figures, len(keys) - figures)


def basis_of(common: Shared) -> str | None:
    """Whether what two findings share makes them about the same thing: a theme alone, a wider topic with a rare word
    besides, a figure, or KEY_WORDS rare words."""
    if common.themes or (common.topics and common.figures + common.words):
        return "topic"
    if common.figures:
        return "figure"
    return "words" if common.words >= KEY_WORDS else None


@lru_cache(maxsize=65_536)  # pairs of findings share few distinct counts: a pair's weighing is a look-up
def weighed(own: Shared, every: Shared) -> tuple[str | None, str | None, float]:
    """What two findings share themselves and with what they borrow, weighed: the basis_of each, and how closely they
    are tied (what is borrowed counts half)."""
    own_topics = own.themes + own.topics
    closeness = 2 * own_topics + own.figures + own.words + (every.total - own.total) / 2
    return basis_of(own), basis_of(every), closeness


def tie(raised: Reading, later: Reading, names: frozenset[str] = EMPTY, *, own: Shared | None = None, every: Shared | None = None) -> tuple[str, float] | None:
    """Why the later finding is about the same thing as the concern, and how closely, or None (basis_of what they share
    themselves). A finding that speaks of earlier concerns in general revisits the concerns so called of the year it
    names. What a finding borrows from the findings around it ties only when it states a status, and when it speaks of
    concerns in general only to a concern so called ("the cause of concern remains open" after a sentence on
    investigations). `names`: the stemmed words of the organisation's names, which all its findings share (`own` and
    `every`, when given, are what the two share counted already: knowledge.ledger counts them as bits)."""
    if own is None or every is None:
        own = shared(raised.topics & later.topics, raised.keys & later.keys - names)
        every = shared(raised.every_topic & later.every_topic, raised.every_key & later.every_key - names)
    basis, borrowed, closeness = weighed(own, every)
    if basis is None and (later.general and raised.named or later.said is not None and not later.general):
        basis = borrowed
    if basis is not None:
        return basis, closeness
    year = raised.passage.published.year if raised.passage.published else None
    if later.general and later.said is not None and raised.named and year is not None and any(0 <= year - y <= YEAR_LAG for y in later.years_named()):
        return "revisit", closeness
    return None


def status_of(raised: Reading, later: Reading) -> Said | None:
    """The later finding's status for this concern: its own words, or a good grade where the concern was a low one."""
    if later.said is not None:
        return later.said
    if later.good_grade is not None and raised.low_grade:
        return later.good_grade
    return None


def link(raised: Reading, later: Reading, names: frozenset[str] = EMPTY, *, own: Shared | None = None, every: Shared | None = None) -> tuple[Link, float] | None:
    """The link from a concern to a finding of a later document of the same organisation, if the later one revisits it,
    with how closely (a stated status counts too)."""
    r, m = raised.passage, later.passage
    if r.published is None or m.published is None or m.published <= r.published or not raised.concern:
        return None
    tied = tie(raised, later, names, own=own, every=every)
    if tied is None:
        return None
    basis, closeness = tied
    said = status_of(raised, later)
    if said is None:
        return Link(r.id, m.id, UNCLEAR, None, None, basis), closeness
    # A stated status counts, most of all in a finding on the concerns themselves ("the cause of concern remains open").
    return Link(r.id, m.id, said.status, said.start, said.end, basis), closeness + (STATES_REVISIT if later.general else STATES)


def keep(made: Iterable[tuple[Link, float, Reading]], per_document: int = MENTIONS_PER_DOCUMENT) -> list[Link]:
    """Of these links (each with its closeness and its later finding), for each concern the `per_document` closest
    mentions of each later document that state a status and the UNCLEAR_PER_DOCUMENT closest that do not."""
    best: dict[tuple[int, int], list[tuple[float, int, Link]]] = defaultdict(list)
    for kept, closeness, later in made:
        best[kept[0], later.passage.document_id].append((-closeness, later.passage.start, kept))  # kept[0]: its concern
    found = []
    for ranked in best.values():
        if len(ranked) == 1:  # most concerns are mentioned once in a later document
            found.append(ranked[0][2])
            continue
        ranked.sort()
        found += [m for _, _, m in ranked if m.status != UNCLEAR][:per_document] + [m for _, _, m in ranked if m.status == UNCLEAR][:UNCLEAR_PER_DOCUMENT]
    return found
