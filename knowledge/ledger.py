"""Which findings of an organisation are compared at all, so that linking costs little per new finding however many
documents an organisation has: the ledger of its findings, document by document in order of time, each finding's
topics and rare words as bits of one integer (so that "do these two share anything that could tie them?" is one AND).

A later finding is compared with the concerns of the NEAREST latest earlier dates on which a document raises a concern
about each thing it is about anew (a page recounting an old concern does not count; documents of one date count
together), and with every concern on the way (older ones are reached through those: a concern raised again is a later
mention too); a finding that speaks of earlier concerns in general with a year, with the concerns so called of that
year. knowledge.linking decides each pair. What a document's findings link to depends only on the documents stored,
never on the order they came in: a document that arrives late changes the links of the later documents whose findings
now reach it (affected), and those are made again, so that ingest makes what relink makes.
"""

import datetime as dt
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from knowledge import linking
from knowledge.linking import Link, Reading

NEAREST = 2  # earlier documents raising a concern about the same thing that a later finding is compared with, per thing
CLASSES = ("theme", "topic", "figure", "key")
COUNTS_KEPT = 100_000  # counts of shared features kept per ledger


@dataclass
class Page:
    """One document of the ledger: its findings and, as bits, what its concerns and all its findings are about."""

    date: int
    document_id: int
    readings: list[Reading]
    concerns: list[Reading] = field(default_factory=list)
    # The same with what each is about, all told (Ledger.every's bits): what the pairing reads, read without a look-up.
    readings_every: list[tuple[Reading, int]] = field(default_factory=list)
    concerns_every: list[tuple[Reading, int]] = field(default_factory=list)
    concern_bits: int = 0
    raising_bits: int = 0  # what its concerns that raise something anew (not recounting one) are about
    all_bits: int = 0
    revisiting: list[Reading] = field(default_factory=list)  # its findings on earlier concerns in general, with a status


class Ledger:
    """An organisation's findings as the pairing reads them. Built a document at a time (add); `names`, the stemmed
    words of the organisation's names, are no rare words here (every finding about it shares them)."""

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        self.names = names
        self.pages: list[Page] = []  # in order of (date, document)
        self.documents: set[int] = set()
        self.bit: dict[str, int] = {}
        self.classes = dict.fromkeys(CLASSES, 0)  # the bits of each class of feature
        self.readings: dict[int, Reading] = {}  # finding id -> reading
        self.own: dict[int, int] = {}  # finding id -> the bits of what it is about itself
        self.every: dict[int, int] = {}  # finding id -> ... and what it borrows from the findings around it
        self.named: dict[int, list[Reading]] = defaultdict(list)  # year -> concerns so called raised that year
        self.own_count, self.own_newest = 0, None  # how many findings about the organisation itself, and the newest id
        self.counted: dict[int, linking.Shared] = {}  # features as bits -> counted by kind (shared)
        self.made: dict[int, list[tuple[Link, float]]] = {}  # finding id -> the links it makes as a later mention, before keep()

    def bits(self, features: Iterable[str]) -> int:
        """The features as bits, each feature given a bit the first time it is met."""
        value = 0
        for feature in features:
            bit = self.bit.get(feature)
            if bit is None:
                if feature in self.names:
                    continue
                bit = self.bit[feature] = 1 << len(self.bit)
                kind = ("topic" if feature.startswith(linking.TOPIC) else "theme" if feature.startswith((linking.THEME, linking.AREA))
                        else "figure" if feature[0].isdigit() else "key")
                self.classes[kind] |= bit
            value |= bit
        return value

    def add(self, readings: Sequence[Reading]) -> None:
        """Add one document's findings (linking.read_document's readings, all of one document); an undated document
        takes no part."""
        self.documents.update(r.passage.document_id for r in readings)
        for reading in readings:  # undated ones too: they are the organisation's findings all the same
            if reading.passage.own:
                self.own_count += 1
                self.own_newest = max(self.own_newest or 0, reading.passage.id)
        dated = [r for r in readings if r.passage.published is not None]
        if not dated:
            return
        p = dated[0].passage
        page = Page(p.published.toordinal(), p.document_id, dated)  # type: ignore[union-attr]
        for reading in dated:
            self.readings[reading.passage.id] = reading
            own = self.own[reading.passage.id] = self.bits(reading.topics | reading.keys)
            every = self.every[reading.passage.id] = own | self.bits(reading.borrowed_topics | reading.borrowed_keys)
            page.all_bits |= every
            page.readings_every.append((reading, every))
            if reading.general and reading.said is not None:
                page.revisiting.append(reading)
            if reading.concern:
                page.concerns.append(reading)
                page.concerns_every.append((reading, every))
                page.concern_bits |= every
                if reading.raises_anew:
                    page.raising_bits |= every
                if reading.named:
                    self.named[reading.passage.published.year].append(reading)  # type: ignore[union-attr]
        insort(self.pages, page, key=lambda q: (q.date, q.document_id))

    @staticmethod
    def passed(seen: list[int], hit: int) -> int:
        """Count one more document raising a concern about each feature hit (seen[i]: the features counted more than i
        times); the features now counted NEAREST times."""
        for i in range(len(seen)):
            seen[i], hit = seen[i] | hit, seen[i] & hit
        return seen[-1]

    def could_tie(self, shared: int) -> bool:
        """Whether findings sharing these features could be about the same thing (what linking.tie asks, bit by bit)."""
        return self.tying()(shared)

    def tying(self) -> Callable[[int], bool]:
        """could_tie as a closure over the classes' bits as they are now (the pairing asks it of every pair it reads,
        and no feature is added meanwhile)."""
        c = self.classes
        alone, topic, key, least = c["theme"] | c["figure"], c["topic"], c["key"], linking.KEY_WORDS
        return lambda shared: bool(shared & alone) or bool(shared & topic and shared & key) or (shared & key).bit_count() >= least

    def earlier(self, later: Reading) -> Iterable[Reading]:
        """The concerns a finding is compared with: under each thing it is about, those of the NEAREST latest earlier
        dates on which a document raises a concern about it anew (documents of one date count together, so that which
        of them was stored first, and so their ids, changes nothing); and, when it speaks of earlier concerns in
        general, those so called of the years it names."""
        every = self.every[later.passage.id]
        date = later.passage.published.toordinal()  # type: ignore[union-attr]
        remaining, seen, could_tie = every, [0] * NEAREST, self.tying()
        pages = self.pages
        at = bisect_left(pages, date, key=lambda q: q.date)
        while at and remaining:
            day, done = pages[at - 1].date, 0
            while at and pages[at - 1].date == day:  # one date's documents, then what they raise anew is counted
                at -= 1
                page = pages[at]
                hit = every & page.concern_bits & remaining
                if hit:
                    for raised, bits in page.concerns_every:
                        shared = bits & every
                        if shared & remaining and could_tie(shared):
                            yield raised
                    done |= self.passed(seen, hit & page.raising_bits)
            remaining &= ~done
        if later.general and later.said is not None:
            for year in later.years_named():
                for y in range(year, year + linking.YEAR_LAG + 1):
                    yield from self.named.get(y, ())

    def affected(self, new: set[int]) -> set[int]:
        """The documents whose links `new` documents (added already) change: themselves, and every later document with
        a finding that earlier() now reaches one of them from (a concern of theirs to revisit, or one raised anew that
        cuts off older ones), found going forward under each thing a new document's concerns are about, until NEAREST
        later dates raise it anew; and the later findings on concerns in general that name the year of one of their
        concerns so called. The links of all other documents are as they were. The findings whose comparisons change
        are forgotten (links() compares them again; the other findings' comparisons are kept)."""
        found = set(new)
        years: set[int] = set()
        pages, made = self.pages, self.made
        for first in (page for page in pages if page.document_id in new and page.concern_bits):
            years.update(r.passage.published.year for r in first.concerns if r.named)  # type: ignore[union-attr]
            at = bisect_left(pages, first.date + 1, key=lambda q: q.date)
            open_, seen = first.concern_bits, [0] * NEAREST
            while at < len(pages) and open_:
                day, done = pages[at].date, 0
                while at < len(pages) and pages[at].date == day:  # as earlier() counts them: one date's together
                    page = pages[at]
                    at += 1
                    if page.all_bits & open_:
                        for reading, bits in page.readings_every:
                            if bits & open_:
                                made.pop(reading.passage.id, None)
                                found.add(page.document_id)
                    if page.raising_bits & open_:
                        done |= self.passed(seen, page.raising_bits & open_)
                open_ &= ~done
        if years:
            start = bisect_left(pages, dt.date(min(years), 1, 1).toordinal() + 1, key=lambda q: q.date)
            for page in pages[start:]:
                for reading in page.revisiting:
                    if self.revisits(reading, years):
                        made.pop(reading.passage.id, None)
                        found.add(page.document_id)
        return found

    @staticmethod
    def revisits(later: Reading, years: set[int]) -> bool:
        """Whether a finding on concerns in general (with a status) revisits the concerns so called of one of these years."""
        return any(year <= y <= year + linking.YEAR_LAG for year in later.years_named() for y in years)

    def shared(self, bits: int) -> linking.Shared:
        """Features as bits, counted by kind (the counts kept: pairs of findings often share the same features)."""
        counted = self.counted.get(bits)
        if counted is None:
            c = self.classes
            counted = linking.Shared((bits & c["theme"]).bit_count(), (bits & c["topic"]).bit_count(), (bits & c["figure"]).bit_count(),
                                     (bits & c["key"]).bit_count())
            if len(self.counted) < COUNTS_KEPT:
                self.counted[bits] = counted
        return counted

    def links(self, later: Sequence[Reading]) -> list[Link]:
        """The links these findings make as later mentions of the organisation's earlier concerns; for each concern, the
        closest mentions of each later document (linking.keep). They depend only on the findings stored, not on the
        order they came in: pass every finding of a document, and of every document affected() by new ones. Each
        finding's comparisons are kept until affected() forgets them."""
        made = []
        own, every, shared, known, link, compared = self.own, self.every, self.shared, self.counted.get, linking.link, self.made
        for mention in later:
            m = mention.passage.id
            if mention.passage.published is None or m not in every:
                continue
            tied = compared.get(m)
            if tied is None:
                tied = compared[m] = []
                m_own, m_every = own[m], every[m]
                for raised in set(self.earlier(mention)):
                    r = raised.passage.id
                    mine, both = own[r] & m_own, every[r] & m_every
                    counted = known(mine) or shared(mine)  # the counts kept, without a call (a Shared is never falsy)
                    pair = link(raised, mention, own=counted, every=counted if both == mine else known(both) or shared(both))
                    if pair is not None:
                        tied.append(pair)
            made += [(*pair, mention) for pair in tied]
        return linking.keep(made)


def ledger_of(documents: Iterable[Sequence[Reading]], names: frozenset[str] = frozenset()) -> Ledger:
    """A ledger of these documents' findings (each document's, as linking.read_document reads them)."""
    ledger = Ledger(names)
    for readings in documents:
        ledger.add(readings)
    return ledger
