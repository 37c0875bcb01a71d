"""Choosing the findings about organisations: the kind of finding asked for, on the topic, in the dates, by the
speakers asked; when those are few, findings of other kinds that answer the question too (the kind of answer is a
preference, not a filter); and when there are none, the question relaxed one thing at a time, saying so."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from knowledge.matching import normalise
from knowledge.models import Kind, Polarity
from knowledge.questions.dates import Dates, undated, year_after
from knowledge.questions.ranking import mentioning_first
from knowledge.questions.selecting import (
    FINDING_KINDS,
    INSPECTORS,
    KIND_TOPIC,
    MAX_CITATIONS,
    NEGATIVE_KINDS,
    PERSON_TOPIC,
    SAME_REPORT,
    Choice,
    Chooser,
    Found,
    Kinds,
    Reading,
    Relaxed,
    find,
    joined,
    older,
    only,
    person_topic,
    rest_of,
    select,
    unseen,
)
from knowledge.questions.understanding import Query, Topic
from knowledge.questions.vocabulary import vocabulary
from knowledge.state.search import ENGAGE, Selection

ANY_POLARITY = frozenset(Polarity)
# When the kind asked is thin, the findings of these kinds follow it, on the same topic (see followed): the kind of
# answer is a preference, not a filter. "What did the inspectors say" means the inspectorate's findings as well.
FOLLOWED: dict[str, Kinds] = {
    "grades": (FINDING_KINDS - {Kind.grade} | {Kind.statement}, ANY_POLARITY, frozenset()),
    "concerns": (NEGATIVE_KINDS - {Kind.cause_of_concern} | {Kind.grade}, frozenset(Polarity), frozenset()),  # "... has now been closed" too
    "recommendations": (NEGATIVE_KINDS - {Kind.recommendation} | {Kind.grade}, frozenset({Polarity.negative, Polarity.neutral}), frozenset()),
    "improve": (frozenset({Kind.statement}), frozenset({Polarity.neutral}), frozenset({Polarity.neutral})),  # the inspectors' own criticism too
    "strengths": (frozenset({Kind.statement}), frozenset({Polarity.neutral}), frozenset({Polarity.neutral})),
    "statements": (FINDING_KINDS, ANY_POLARITY, frozenset()),  # the inspectors' words: the inspectorate's findings
    "engage": (frozenset(Kind), ANY_POLARITY, frozenset()),  # in the documents that record it: its reasons
}
INSPECTION_WORDS = ("inspection", "inspections", "report", "reports", "review")  # "<topic> inspection": a document on the topic asked for
INSPECTED_KINDS = frozenset({"improve", "strengths", "concerns", "recommendations", "grades", "overview"})  # kinds an inspector's words may be of
BEST_TOPIC = "being the best"  # the label of the topic "the best" asks about one organisation
WHY_RECORDS = 3  # records of the entry (exit) shown before the reasons, when the question asks why: one per document first
EPISODE_DAYS = 62  # the pages reporting one entry into (or exit from) Engage: the letter, the news, the reactions
REASONS_ENTERED: Kinds = (NEGATIVE_KINDS, frozenset({Polarity.negative, Polarity.neutral}), frozenset({Polarity.negative}))  # "flagged up for two reasons"
REASONS_EXITED: Kinds = (frozenset({Kind.strength}), frozenset({Polarity.positive}), frozenset())
INTENT_WORDS = {"grades": "grades", "concerns": "causes of concern", "recommendations": "recommendations", "improve": "what must improve",
                "strengths": "what works well", "engage": "special measures", "statements": "what was said"}
FORMAL = frozenset({"concerns", "recommendations", "grades"})  # kinds a document states outright: those on record come before words on a topic
ENGAGE_READ = 60  # findings of the documents recording an Engage entry or exit read to find their sentences on Engage
FOLLOWED_BELOW = 2 * MAX_CITATIONS  # fewer findings of the kind asked than two pages: those of other kinds follow


def choose_about(reading: Reading, query: Query, organisations: list[str], intent: str, *, page: int, seen: int) -> Choice:
    """The findings about organisations: on the question's topic, in its dates, of its kind of document and by
    its speakers; else relaxed (see _relax_about). `seen`: how many findings the page before showed, for
    "older ones" (an overview's page is its most serious findings, so the oldest of them marks what was seen)."""
    if query.extreme == "best" and not query.topics and intent in ("overview", "strengths", "topic") and (best := _said_best(reading, query, organisations, page=page)):
        return best
    found = find(reading, query.topics, organisations, places=query.places)

    def choose(q: Query, f: Found, kind: str) -> Selection:
        return select(reading, q, organisations, kind, f, page=page)

    selection = choose(query, found, intent) if found.ids != () else Selection.empty()
    if query.role == INSPECTORS and not query.persons and intent in INSPECTED_KINDS and selection:
        # "what did inspectors say Surrey fire must improve": the inspectors' own words of the kind first, then the rest
        rows = sorted(selection.rows, key=lambda f: not (f.role or "").startswith(INSPECTORS))
        selection = replace(selection, rows=rows)
    if intent == "engage" and query.why and not query.why_engage and (changes := [f for f in selection.rows if f.published and f.status in ENGAGE]):
        # "are they in special measures?" / "why?": why the newest change of status happened
        query = replace(query, why_engage=max(changes, key=lambda f: f.published).status)
    if intent == "engage" and (status := query.why_engage):
        # "why was it put into special measures": the entries (and their documents' reasons), not the exits
        selection = with_status(selection, status) or selection
    if selection and query.older and (narrowed := older(query, selection.rows[:seen], oldest=intent == "overview")):
        query, selection = narrowed, unseen(choose(narrowed, found, intent), selection.rows[:seen])
    later = year_after(query.dates)
    if choice := _as_asked(reading, query, organisations, intent, found, selection, page=page):
        choice = _said_more(reading, _with_same_report(reading, choice, organisations), organisations, page=page)
        return _and_year_after(reading, choice, organisations, found, later, page=page) if later is not None and not query.older else choice
    if later is not None:
        # "grades 2017": an inspection is reported after it is done, often the next year
        asked_later = replace(query, dates=later)
        if choice := _as_asked(reading, asked_later, organisations, intent, found, choose(asked_later, found, intent) if found.ids != () else selection, page=page):
            return replace(choice, relaxed=(Relaxed("year", query, found, intent),))
    if (unknown := undated(query.dates)) is not None:
        # "Durham police since 2019" and the only page on it gives no date: it may be from then; say so, never "nothing"
        asked_undated = replace(query, dates=unknown)
        if choice := _as_asked(reading, asked_undated, organisations, intent, found, choose(asked_undated, found, intent) if found.ids != () else selection, page=page):
            return replace(choice, relaxed=(Relaxed("undated", query, found, intent),))
    return _relax_about(reading, organisations, choose, query, intent, found, selection)


def _and_year_after(reading: Reading, choice: Choice, organisations: list[str], found: Found, later: Dates, *, page: int) -> Choice:
    """"how did Gwent police do on effectiveness in 2016": few findings of that year (a news story that looks back)
    are followed by those of the year after, when an inspection of the year is often reported, and the answer says so."""
    shown = [*choice.selection.rows, *choice.followed.rows]
    documents = {**choice.followed.documents, **choice.selection.documents}
    asked = str(later.since.year - 1)
    own_report = any(f.published and f.published.year == later.since.year and asked in (getattr(documents.get(f.document_id), "title", None) or "")
                     for f in shown)  # "Kent PEEL 2016", published the year after: the year's report is found already
    if len(shown) >= MAX_CITATIONS or choice.intent == "engage" or own_report:
        return choice  # (an Engage status is dated as it is)
    asked_later = replace(choice.query, dates=later)
    if found.ids == () or not (after := _as_asked(reading, asked_later, organisations, choice.intent, found,
                                                  select(reading, asked_later, organisations, choice.intent, found, page=page), page=page)):
        return choice
    extra = unseen(joined(after.selection, after.followed), shown)
    if not extra.rows:
        return choice
    return replace(choice, later=extra, relaxed=(*choice.relaxed, Relaxed("year_more", choice.query, found, choice.intent)))


def _said_best(reading: Reading, query: Query, organisations: list[str], *, page: int) -> Choice | None:
    """"Durham police are the best, aren't they": the sentences that call it the best, the top or the only one first
    ([superlatives] of understanding.toml), then the rest of those documents; None when none does."""
    best = replace(query, topics=(Topic("best", vocabulary().superlatives["best"], BEST_TOPIC),))
    found = find(reading, best.topics, organisations)
    selection = select(reading, best, organisations, "topic", found, page=page) if found.ids else Selection.empty()
    praise = only(selection, [f for f in selection.rows if f.polarity == Polarity.positive])
    said = _naming(praise, best.topics[0].phrases)  # praise, in the phrase itself
    if not said.rows:
        return None  # nothing calls it the best ("the only force in the UK to take more than 30 seconds" does not)
    return _with_same_report(reading, Choice(best, "topic", found, said), organisations)


def _as_asked(reading: Reading, query: Query, organisations: list[str], intent: str, found: Found, selection: Selection, *, page: int) -> Choice | None:
    """The findings of the kind asked, and those of other kinds that follow them when they are few (see
    followed); None when there are neither."""
    if selection.total >= FOLLOWED_BELOW or intent not in FOLLOWED or query.older:
        return Choice(query, intent, found, selection) if selection else None
    if not selection and intent == "statements" and query.persons and query.topics and select(reading, replace(query, topics=()), organisations, intent, Found(None)):
        return None  # "what did X say about them coming out of special measures", none of it on "coming": what X said, first
    relaxed: tuple[Relaxed, ...] = ()
    if not selection and query.topics and intent in FORMAL:
        # "causes of concern for Cleveland on effectiveness in 2019": its causes of concern of then, whatever their words,
        # before the other findings on the topic
        bare = select(reading, query, organisations, intent, Found(None), page=page)
        if bare:
            relaxed, found, selection = (Relaxed("topic", query, found, intent),), Found(None), bare
    fill, on_kind = followed(reading, query, organisations, intent, selection, page=page)
    return Choice(query, intent, found, selection, relaxed, followed=fill, on_kind=on_kind) if selection or fill else None


def _with_same_report(reading: Reading, choice: Choice, organisations: list[str]) -> Choice:
    """"Lancashire police legitimacy strengths": when only a sentence or two of one or two documents are on the topic,
    those documents are about it; the rest of what they say of the organisations (of the kinds the answer shows)
    follows, those sharing most of the question's words first, and the answer says so."""
    query, shown = choice.query, [*choice.selection.rows, *choice.followed.rows]
    documents = {f.document_id for f in shown}
    if (not shown or not choice.found.ids or not query.topics or query.persons or query.role or query.older or query.dates
            or len(shown) >= MAX_CITATIONS or len(documents) > SAME_REPORT):
        return choice
    rest = rest_of(reading, query, choice.intent, organisations, documents, shown={f.id for f in shown})
    ranked = [f for f in rest.rows if choice.intent != "topic" or rest.scores.get(f.id, 0.0) > 0]  # a plain topic: those sharing its words
    if not ranked:
        return choice
    rest = replace(rest, rows=ranked, total=len(ranked), counts={})
    return replace(choice, followed=joined(choice.followed, rest), relaxed=(*choice.relaxed, Relaxed("same_report", query, choice.found, choice.intent)))


def _said_more(reading: Reading, choice: Choice, organisations: list[str], *, page: int) -> Choice:
    """"What did Lord Bach say about crime recording in Leicester": when few of the person's statements use the
    topic's words, the rest of what they said in the same documents follows (a statement on a report is on its topic
    throughout), and the answer says so."""
    query, shown = choice.query, choice.selection.rows
    if not (choice.intent == "statements" and query.persons and query.topics and shown and page == 0 and choice.selection.total < MAX_CITATIONS):
        return choice
    there = select(reading, replace(query, topics=()), organisations, "statements", Found(None), documents=tuple(sorted({f.document_id for f in shown})))
    seen = {f.id for f in shown}
    rows = [f for f in there.rows if f.id not in seen and f.speaker in query.persons][: MAX_CITATIONS - len(shown)]  # this page only: a
    if not rows:  # second page of the question is read afresh, without them
        return choice
    rest = replace(only(there, rows), document_count=0)  # in the documents shown already
    return replace(choice, selection=joined(choice.selection, rest), relaxed=(*choice.relaxed, Relaxed("speaker_more", query, choice.found, "statements")))


def followed(reading: Reading, query: Query, organisations: list[str], intent: str, shown: Selection, *, page: int) -> tuple[Selection, bool]:
    """Findings of other kinds that answer the question too, to follow the few of the kind asked (FOLLOWED): on
    the question's topic (or, without one, the words documents use for the kind asked), in its dates and kinds
    of document; for Engage, the other findings of the documents that record it (the reasons they give).
    Nobody else's words follow a person's or a role's: a person's are followed by the findings that name them,
    the inspectors' by the inspectorate's findings. Also whether the kind's own words found them."""
    if intent == "statements" and not query.persons and query.role != INSPECTORS:
        return Selection.empty(), False
    documents = tuple(sorted({f.document_id for f in shown.rows})) if intent == "engage" else ()
    topics, on_kind = _followed_topics(query, intent, bool(documents), bool(shown))
    reasons = intent == "grades" and query.why and not topics  # "why inadequate": the criticism behind the grades, most serious first
    if not (topics or documents or reasons or intent == "statements"):
        return Selection.empty(), False  # "causes of concern for Kent": none on record is the answer
    found = find(reading, topics, organisations) if topics else Found(None)
    if found.ids == ():
        return Selection.empty(), False
    other = (NEGATIVE_KINDS, frozenset({Polarity.negative}), frozenset()) if reasons else FOLLOWED[intent]
    named = on_kind and intent in FORMAL - {"grades"}  # causes of concern, recommendations: the sentences that name them
    if named:
        other = (frozenset(Kind), ANY_POLARITY, frozenset())  # "both causes for concern have been discharged", whoever says it
    if intent == "engage" and (status := query.why_engage):
        # the reasons an entry gives are criticism; those an exit gives, the improvements made
        other = REASONS_ENTERED if status == "engage_entered" else REASONS_EXITED
    inspectors_only = on_kind and Kind.statement in other[0] and intent not in FORMAL  # people's words on the question's own topic, yes; any
    # statement that says "improve", only the inspectors' ("it needs to do more to ensure ..."), not a chief's "we will improve"
    if intent == "engage" and documents and not topics and not query.why:
        # "when did they go into Engage", "are they in special measures": the documents' sentences on Engage itself
        # ("was moved into Engage on 14 October") before the reasons, which lead when the question asks why
        fill = select(reading, query, organisations, intent, found, page=page, other=other, documents=documents, rows=ENGAGE_READ)
        return _not_shown(replace(fill, rows=mentioning_first(fill.rows, vocabulary().kind_words["engage"])), shown), on_kind
    fill = select(reading, replace(query, topics=topics), organisations, intent, found, page=page, other=other, documents=documents)
    if named:  # only the sentences that name them, in the words asked
        fill = _naming(fill, topics[0].phrases)
    return _not_shown(_inspectors_only(fill, Polarity.negative if intent == "improve" else Polarity.positive) if inspectors_only else fill, shown), on_kind


def _naming(selection: Selection, phrases: Sequence[str]) -> Selection:
    """The rows that use one of the phrases ("causes for concern", "the best"), not only some of their words."""
    return only(selection, [f for f in selection.rows if any(f" {p} " in f" {normalise(f.text)} " for p in phrases)])


def with_status(selection: Selection, status: str) -> Selection:
    """The selection's Engage records of the entry (or exit) asked about, WHY_RECORDS of them: the newest one's, from
    the first record of it (an entry is recounted by later pages: "remains in special measures") to EPISODE_DAYS
    after (its counts as they were: the documents' own tally)."""
    dated = [f for f in selection.rows if f.published]
    leaving = {f.document_id for f in dated if f.status == "engage_exited"}  # a page telling of an exit recounts the entry: not one itself
    entries = sorted(f.published for f in dated if f.status == "engage_entered" and f.document_id not in leaving)
    exits = sorted(f.published for f in dated if f.status == "engage_exited")
    rows = [f for f in selection.rows if f.status == status]
    if status == "engage_entered" and entries:
        before = [d for d in exits if d < entries[-1]]
        start = min(d for d in entries if not before or d > before[-1])
        rows = [f for f in rows if not f.published or start <= f.published <= start + dt.timedelta(days=EPISODE_DAYS)]
    elif status == "engage_exited" and exits:
        rows = [f for f in rows if not f.published or f.published >= exits[-1] - dt.timedelta(days=EPISODE_DAYS)]
    rows = _records_of_documents(rows)  # then the reasons they give (see followed)
    return replace(selection, rows=rows, total=len(rows)) if rows else Selection.empty()


def _records_of_documents(rows: list) -> list:
    """WHY_RECORDS records, in their order: each page's own first (its body's before its headline's), then more of them."""
    body_first = sorted(rows, key=lambda f: f.label == "Headline")
    firsts, documents = [], set()
    for f in body_first:
        if f.document_id not in documents:
            documents.add(f.document_id)
            firsts.append(f)
    picked = (firsts + [f for f in body_first if f not in firsts])[:WHY_RECORDS]
    return [f for f in rows if f in picked]


def _inspectors_only(fill: Selection, polarity: str) -> Selection:
    """The findings that follow, of statements only the inspectors' (their role an HM Inspector's, or none stated: "chief
    inspector Zoë Sample said" names no role we read) in the tone asked (criticism for what must improve: not "I am
    confident it will continue to make improvements"), never a chief constable's, a commissioner's or a spokesperson's."""
    rows = [f for f in fill.rows if f.kind != Kind.statement
            or (f.polarity == polarity and ((f.speaker and not f.role) or (f.role or "").startswith(INSPECTORS)))]
    return replace(fill, rows=rows, total=fill.total - (len(fill.rows) - len(rows)))


def _not_shown(fill: Selection, shown: Selection) -> Selection:
    """The findings that follow, less those shown already: as findings of the kind asked, or as the lead-in before them."""
    seen = {f.id for f in shown.rows}
    lead_ins = {f.context.strip() for f in shown.rows if f.context}
    rows = [f for f in fill.rows if f.id not in seen and f.text.strip() not in lead_ins]
    return replace(fill, rows=rows, total=fill.total - (len(fill.rows) - len(rows)))


def _followed_topics(query: Query, intent: str, in_documents: bool, some: bool = False) -> tuple[tuple[Topic, ...], bool]:
    """The topics the findings that follow must be on: the question's; a person's names ("what did Nikki Watson
    say": what the documents report of her); or, with neither, the words documents use for the kind asked (and
    whether they are those). Causes of concern and recommendations have no such words unless `some` are on
    record: then the sentences that speak of them follow ("the constabulary entered Engage because of a cause
    of concern"); with none on record, none is the answer."""
    if intent == "statements" and query.persons:
        return (person_topic(query),), False
    words = vocabulary().kind_words.get(intent, ())  # Engage: its records' documents, or without any, what mentions it
    if not words and intent in FORMAL - {"grades"}:
        words = vocabulary().report_words.get(intent, ())
    if query.topics or in_documents or not words or (intent == "grades" and query.why):
        return query.topics, False
    return (Topic(INTENT_WORDS.get(intent, intent), words, KIND_TOPIC),), True


def as_topics(words: Sequence[str]) -> tuple[Topic, ...]:
    """Words of a kind of document ("custody") as topics, with the words documents use for them when they are a topic's."""
    known = vocabulary().topics
    return tuple(Topic(w.lower(), known[w.lower()][1], known[w.lower()][0]) for w in words if w.lower() in known)  # "PEEL" is no topic


def _relax_about(reading: Reading, organisations: list[str], choose: Chooser, query: Query, intent: str, found: Found, selection: Selection) -> Choice:
    """Nothing about the organisations as asked: one thing at a time, what was said without the topic, then what
    their other documents say, then the findings without the topic (an overview instead of a topic). Nothing
    in the dates asked, by the speaker asked, or on a known topic, is nothing."""
    relaxed: list[Relaxed] = []
    if intent == "statements" and (query.role or query.persons):
        if query.topics and not query.persons and query.role == INSPECTORS:
            return Choice(query, intent, found, selection, tuple(relaxed))  # "what did inspectors say about X's drones": nothing on them is the answer
        anywhere = replace(query, documents=(), document_words=None)
        if query.documents and (elsewhere := choose(anywhere, found, intent)):  # "what did the chief say about the PEEL assessment": a news page says it
            return Choice(anywhere, intent, found, elsewhere, (Relaxed("documents", query, found, intent),))
        if query.topics and (said := choose(replace(query, topics=()), Found(None), intent)):  # no note over nothing
            relaxed.append(Relaxed("speaker_topic", query, found, intent))
            query, found, selection = replace(query, topics=()), Found(None), said
        if not selection and query.documents and (elsewhere := choose(anywhere := replace(query, documents=(), document_words=None), found, intent)):
            relaxed.append(Relaxed("documents", query, found, intent))
            query, selection = anywhere, elsewhere
        return Choice(query, intent, found, selection, tuple(relaxed))
    if not selection and query.documents:
        relaxed.append(Relaxed("documents", query, found, intent))
        query, found, selection = _other_documents(reading, organisations, choose, query, intent, found, selection)
    if selection or query.dates or any(t.label and t.label not in (KIND_TOPIC, PERSON_TOPIC) for t in query.topics):
        return Choice(query, intent, found, selection, tuple(relaxed))  # "North Wales vetting": nothing on vetting is the answer
    if query.topics and inspection_of(query):
        return Choice(query, intent, found, selection, tuple(relaxed))  # "Lincolnshire police drones inspection": there is none
    if query.topics:
        # Nothing on words no known topic holds ("drones"): say so, then answer the question without them.
        relaxed.append(Relaxed("topic", query, found, intent))
        found, intent = Found(None), "overview" if intent == "topic" else intent
        selection = choose(query, found, intent)
    if not selection and intent == "overview":
        selection = choose(query, found, "topic")
    return Choice(query, intent, found, selection, tuple(relaxed))


def inspection_of(query: Query) -> bool:
    """Whether the question asks for an inspection of its topic ("firearms licensing inspection", "use of drones
    report"): when no finding holds those words, no such inspection is on record."""
    text = f" {normalise(query.text)} "
    return any(f" {normalise(t.words)} {word} " in text for t in query.topics for word in INSPECTION_WORDS)


def _other_documents(reading: Reading, organisations: list[str], choose: Chooser, query: Query, intent: str, found: Found,
                     selection: Selection) -> tuple[Query, Found, Selection]:
    """No document of the kind asked: the others, on that kind's words ("Watford custody inspection": no custody
    report, but what the others say of custody)."""
    query = replace(query, documents=(), document_words=None, topics=query.topics or as_topics(query.documents))
    if query.topics and found.ids is None:
        found = find(reading, query.topics, organisations)
    return query, found, choose(query, found, intent) if found.ids != () else selection
