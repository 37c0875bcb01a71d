"""Progress: "has it been fixed?" answered as timelines. A concern as it was raised (date, quote, document), each
later mention of it (date, quote, document, and its status as that document's own words put it: improved, not yet,
unclear), then where it stands as of the newest mention, or that no later document mentions it.

knowledge.state.links holds the chains (made at ingest by knowledge.linking's rules); this stage chooses those a
question is about (the topic's search ranks them as topic answers are ranked; without a topic, the newest concern
first; a question's dates say when the concern was raised) and makes them plain values. Only the front renders them.
"""

import datetime as dt
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from knowledge import linking
from knowledge.matching import normalise
from knowledge.models import Document, Finding, Kind, Polarity
from knowledge.questions.answers import Answer, Citation, OrganisationRef, cite
from knowledge.questions.selecting import Reading, find
from knowledge.questions.understanding import Query, Topic
from knowledge.questions.vocabulary import vocabulary
from knowledge.questions.wording import long_date, quoted
from knowledge.state import links, records

if TYPE_CHECKING:
    from knowledge.state.store import Store

PROGRESS = "progress"  # the intent
CHAINS_PER_PAGE = 3  # timelines on one page of an answer to a question
LISTED_PER_PAGE = 5  # concerns on one page of /progress (each with its latest status only)
MENTIONS_SHOWN = 4  # later mentions shown in one timeline: the newest, and those that state a status first
UNMENTIONED = 3  # concerns on the topic that no later document mentions, shown after the followed ones
RELEVANT = 60  # of a topic's matches, those read for concerns no later document mentions
STATUS_WORDS = {linking.IMPROVED: "improved", linking.NOT_YET: "not yet improved", linking.UNCLEAR: "unclear"}
NOT_MENTIONED = "No later document I hold mentions it."
OVERALL = 3  # "is it getting better?": sentences of its newest documents on how it is doing overall, shown first
OVERALL_DOCUMENTS = 3  # ... read from this many of its newest documents
OVERALL_READ = 400  # ... of at most this many findings


def as_topic(query: Query) -> Query:
    """A progress question with nothing followed, answered as the kind it would otherwise have been: when it named no
    topic ("is Northants police getting better?"), about progress itself, in the words documents use for it."""
    if query.topics:
        return query
    label, terms = vocabulary().topics[PROGRESS]
    asked = f" {normalise(query.text)} "
    said = next((term for term in terms if f" {term} " in asked), PROGRESS)
    return replace(query, topics=(Topic(said, terms, label),))


@dataclass(frozen=True)
class Mentioned:
    """A later mention of a concern: the finding cited, its status (improved, not_yet, unclear) as its document puts
    it, and the words that say so (an exact slice of its document, cue_start:cue_end; None when unclear)."""

    citation: Citation
    status: str
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class Timeline:
    """A concern followed: as raised, then its later mentions shown (oldest first), and how many were left out."""

    raised: Citation
    later: tuple[Mentioned, ...] = ()
    left_out: int = 0
    latest: Mentioned | None = None  # the newest mention that states a status, else the newest (None: none)
    above: int = 0  # later mentions not shown again: quoted under an earlier timeline of the same answer

    @property
    def as_of(self) -> str:
        """Where it stands, in the newest mention's words: 'As of 1 February 2024: improved, “discharged”.'"""
        return as_of(self.latest)

    @property
    def citations(self) -> list[Citation]:
        """Its quotes in the order shown: the concern, then each later mention."""
        return [self.raised, *(m.citation for m in self.later)]


@dataclass(frozen=True)
class Progress:
    """What an answer on progress shows: the timelines of its page, and how many concerns are followed at all."""

    organisation: OrganisationRef
    timelines: tuple[Timeline, ...] = ()
    followed: int = 0  # concerns of the answer that later documents mention
    unmentioned: int = 0  # ... and that none does
    listing: bool = False  # /progress: each concern with its latest status only
    citations: list[Citation] = field(default_factory=list)
    overall: tuple[Citation, ...] = ()  # without a topic: what its newest documents say of its progress as a whole, first


def as_of(latest: Mentioned | None) -> str:
    """The line that ends a timeline."""
    if latest is None:
        return NOT_MENTIONED
    when = long_date(latest.citation.document.published)
    where = latest.citation.document.label
    if latest.status == linking.UNCLEAR or not latest.cue:
        return f"As of {when}: the newest mention ({where}) does not say whether it has improved."
    return f"As of {when}: {latest.status_words} \u2014 {quoted(latest.cue)} ({where})."


def answer_progress(reading: Reading, query: Query, organisation: OrganisationRef, notes: Sequence[str] = (), *, page: int = 0,
                    listing: bool = False) -> Answer | None:
    """The timelines of one organisation's concerns the question is about (see the module's docstring); None when it
    has no concern on the question's topic, or none followed without a topic (the ordinary answer then)."""
    session = reading.session
    unmentioned: list[int] = []
    found = find(reading, query.topics, [organisation.id]) if query.topics else None
    if found is not None:
        order, unmentioned, raised = on_topic(reading, organisation.id, list(found.ids or ()))
    else:
        raised = links.concerns_followed(session, organisation.id)  # concern -> when it was raised
        order = sorted(raised, key=lambda r: (raised[r] or dt.date.min, r), reverse=True)  # the newest concern first
    themes = linking.topics_of(linking.stems(query.text))  # what the question is about as linking reads findings
    if themes and (found is None or not order):  # "still inadequate at looking after its people": words no topic search takes
        index = links.followed(session, organisation.id)
        on_theme = on_themes(reading, index, themes)
        order, raised = (on_theme, {r: index[r].published for r in index}) if on_theme or found is not None else (order, raised)
    if query.dates:
        order = [r for r in order if raised_within(raised.get(r), query.dates.since, query.dates.until)]
    again = links.mentioned_among(session, organisation.id, order)  # raised again, or recounted: shown under the first
    order = [r for r in order if r not in again]
    if not order and not unmentioned:
        return None
    size = LISTED_PER_PAGE if listing else CHAINS_PER_PAGE
    wanted = order[page * size : (page + 1) * size]
    held = {c.raised.finding_id: c for c in links.chains(session, organisation.id, raised=wanted).chains}
    shown = [held[r] for r in wanted]
    extra = unmentioned[:UNMENTIONED] if page == 0 and len(shown) < size and not listing else []
    findings, documents = links.quoted_findings(session, [i for c in shown for i in chain_ids(c)] + extra)
    topic = frozenset(found.ids or ()) if found else frozenset()
    timelines: list[Timeline] = []
    for c in shown:  # a later mention quoted under one concern is not quoted again under the next (the same report's)
        timelines.append(timeline(c, findings, documents, reading, listing=listing, topic=topic, seen={m.citation.finding_id for t in timelines for m in t.later}))
    timelines += [Timeline(cite([findings[i]], documents, reading.store.reference)[0]) for i in extra if i in findings]
    shown_ids = {c.finding_id for t in timelines for c in t.citations}
    overall = trajectory(reading, organisation.id, shown_ids) if found is None and page == 0 and not listing and not query.dates else ()
    progress = Progress(organisation, tuple(timelines), len(order), len(extra), listing, [*overall, *(c for t in timelines for c in t.citations)], overall)
    more = max(0, len(order) - (page + 1) * size)
    return Answer(query.text, PROGRESS, summary(progress, query), [organisation], progress.citations, notes=list(notes), more=more, page=page,
                  topic=query.words, progress=progress)


def trajectory(reading: Reading, organisation_id: str, shown: set[int]) -> tuple[Citation, ...]:
    """"Is it getting better?": the sentences of the organisation's newest documents that say it has improved, made
    progress or got worse (as linking reads a later mention's status), newest first, none of those the timelines
    show (`shown`); OVERALL of them at most."""
    rows = records.newest_findings(reading.session, organisation_id, OVERALL_DOCUMENTS, OVERALL_READ)
    said = [i for i, text in rows if i not in shown and (s := linking.said_in(text, 0)) is not None and (s.status == linking.IMPROVED or linking.WORSE.search(text))]
    findings, documents = links.quoted_findings(reading.session, said[:OVERALL])
    return tuple(cite([findings[i] for i in said[:OVERALL] if i in findings], documents, reading.store.reference))


def on_topic(reading: Reading, organisation_id: str, ids: list[int]) -> tuple[list[int], list[int], dict[int, dt.date | None]]:
    """The concerns followed that the topic's matches hold (the concern or a mention), the best match first (then the
    newest); the concerns among the matches that no later document mentions; and when each concern was raised."""
    rank = {f: i for i, f in enumerate(ids)}
    touched = links.touching(reading.session, organisation_id, ids)
    raised = links.raised_on(reading.session, touched)
    hit = sorted(touched, key=lambda r: (min(rank[f] for f in touched[r]), -(raised.get(r) or dt.date.min).toordinal(), -r))
    followed = set().union(*touched.values())
    candidates = [f for f in ids[:RELEVANT] if f not in followed]
    findings, _ = links.quoted_findings(reading.session, candidates, documents=False)
    return hit, [f for f in candidates if f in findings and is_concern(findings[f])], raised


def on_themes(reading: Reading, index: dict[int, links.Followed], themes: frozenset[str]) -> list[int]:
    """The concerns followed whose words (the concern's or a mention's) name the question's themes, those naming most
    first, then the newest."""
    ids = set(index).union(*(held.mentions for held in index.values()))
    named = {f: themes & themes_of(finding.text) for f, finding in links.quoted_findings(reading.session, sorted(ids), documents=False)[0].items()}
    shared = {r: len(frozenset().union(*(named.get(f, frozenset()) for f in (r, *index[r].mentions)))) for r in index}
    return sorted((r for r in index if shared[r]), key=lambda r: (-shared[r], -(index[r].published or dt.date.min).toordinal(), -r))


@lru_cache(maxsize=65536)
def themes_of(words: str) -> frozenset[str]:
    """The topics and themes of a finding's words, as knowledge.linking reads them (the same findings are read again)."""
    return linking.topics_of(linking.stems(words))


def is_concern(finding: Finding) -> bool:
    """A finding of a kind that raises something to follow, or a criticism."""
    return finding.kind in linking.CONCERN_KINDS or (finding.kind == Kind.context and finding.polarity == Polarity.negative)


def raised_within(published: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    """Whether a concern was raised within a question's dates ("since 2019", "the 2022 recommendations")."""
    return published is not None and (since is None or published >= since) and (until is None or published <= until)


def chain_ids(chain: links.Chain) -> list[int]:
    return [chain.raised.finding_id, *(m.quoted.finding_id for m in chain.mentions)]


def timeline(chain: links.Chain, findings: dict[int, Finding], documents: dict[int, Document], reading: Reading, *, listing: bool,
             topic: frozenset[int] = frozenset(), seen: Set[int] = frozenset()) -> Timeline:
    """A chain as plain values: every quote cited; of its mentions, the latest only when listing, else up to
    MENTIONS_SHOWN (the latest, then those on the question's topic, one from each document before a second from any,
    then those that state a status, newest first), shown oldest first, less those `seen` (quoted under an earlier
    timeline of the answer: where it stands is still said). With a topic (the ids of its matches), where it stands is read from the mentions on it and
    those on earlier concerns in general ("the causes of concern ... have been discharged"), if any."""
    reference = reading.store.reference
    order = {m: i for i, m in enumerate(chain.mentions)}
    on_it = [m for m in chain.mentions if m.quoted.finding_id in topic or linking.GENERAL.search(m.quoted.quote)] if topic else []
    latest = links.latest(on_it or chain.mentions)
    if listing:
        kept = [latest] if latest else []
    else:
        # one from each document before a second from any: its first that states a status ("found to have substantially
        # improved its crime recording"), not the last lines of its list ("98.2% of reported sex offences were recorded")
        nth: dict[links.Later, int] = {}
        per_document: Counter[int] = Counter()
        for m in sorted(chain.mentions, key=lambda m: (m.status == linking.UNCLEAR, order[m])):
            nth[m] = per_document[m.quoted.document_id]
            per_document[m.quoted.document_id] += 1
        fresh = [m for m in chain.mentions if m.quoted.finding_id not in seen]
        ranked = sorted(fresh, key=lambda m: (m is not latest, m.quoted.finding_id not in topic, nth[m] > 0, m.status == linking.UNCLEAR, nth[m], -order[m]))
        kept = sorted(ranked[:MENTIONS_SHOWN], key=order.__getitem__)
    cited = cite([findings[chain.raised.finding_id], *(findings[m.quoted.finding_id] for m in kept)], documents, reference)
    later = tuple(Mentioned(c, m.status, m.cue, m.cue_start, m.cue_end) for c, m in zip(cited[1:], kept, strict=True))
    newest = next((m for m in later if latest is not None and m.citation.finding_id == latest.quoted.finding_id), None)
    if newest is None and latest is not None:  # quoted under an earlier timeline: where it stands is still said
        newest = Mentioned(cite([findings[latest.quoted.finding_id]], documents, reference)[0], latest.status, latest.cue, latest.cue_start, latest.cue_end)
    above = sum(1 for m in chain.mentions if m.quoted.finding_id in seen)
    return Timeline(cited[0], later, len(chain.mentions) - len(kept) - above, newest, above)


def summary(progress: Progress, query: Query) -> str:
    """The first line: whose concerns, on what, how many are followed across later documents."""
    name = progress.organisation.name
    about = f" on {' and '.join(quoted(t.words) for t in query.topics if t.known)}" if any(t.known for t in query.topics) else ""
    if not progress.followed:
        return f"{name}: no later document I hold mentions its concerns{about}."
    counted = f"{progress.followed} concern{'s' if progress.followed != 1 else ''}"
    if progress.listing:
        return f"{name}: {counted} followed across later documents, the newest first, each with its latest status."
    first = " What its newest documents say of its progress as a whole comes first." if progress.overall else ""
    return f"{name}: {counted}{about} followed across later documents, each from where it was raised to where it stands now.{first}"


def concerns_of(store: "Store", organisation_id: str, *, page: int = 0) -> Answer:
    """/progress: an organisation's concerns that later documents mention, the newest first, each with its latest status."""
    organisation = OrganisationRef.of(store.reference, organisation_id)
    with store.reading() as session:
        listed = answer_progress(Reading(store, session), Query(""), organisation, page=max(0, page), listing=True)
    if listed is None:
        return Answer("", PROGRESS, f"{organisation.name}: no later document I hold mentions any of its concerns.", [organisation],
                      progress=Progress(organisation, listing=True))
    return listed


REVISITS_ANNOUNCED = 2  # earlier concerns a new document's announcement says it mentions


def revisited(store: "Store", document_id: int, organisation_id: str, limit: int = REVISITS_ANNOUNCED) -> tuple[Timeline, ...]:
    """What a new document says of an organisation's earlier concerns, for its followers: each concern it mentions (those
    it states a status of first, then the newest) with the one mention of it there that states a status, else its first."""
    with store.reading() as session:
        concerns = list(links.concerns_followed(session, organisation_id))
        again = links.mentioned_among(session, organisation_id, concerns)  # a concern raised again is told as the first raising
        here = [c for c in links.chains(session, organisation_id, document_id=document_id).chains if c.raised.finding_id not in again]
        newest = sorted(here, key=lambda c: (c.raised.published or dt.date.min, c.raised.finding_id), reverse=True)
        stating = [next((m for m in c.mentions if m.status != linking.UNCLEAR), c.mentions[0]) for c in newest]
        kept = sorted(zip(newest, stating, strict=True), key=lambda pair: pair[1].status == linking.UNCLEAR)[:limit]  # a status said first
        chains, said = [c for c, _ in kept], [m for _, m in kept]
        findings, documents = links.quoted_findings(session, [i for c, m in zip(chains, said, strict=True) for i in (c.raised.finding_id, m.quoted.finding_id)])
    timelines = []
    for chain, m in zip(chains, said, strict=True):
        raised, later = cite([findings[chain.raised.finding_id], findings[m.quoted.finding_id]], documents, store.reference)
        mention = Mentioned(later, m.status, m.cue, m.cue_start, m.cue_end)
        timelines.append(Timeline(raised, (mention,), latest=mention))
    return tuple(timelines)
