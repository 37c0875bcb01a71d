"""Choosing the findings on a topic across organisations ("which forces are slow to answer 101 calls?", a national
report asked about): the kind asked, criticism first when the question is negative; a report the question names by
its title, or the only one or two that match it, read in full; and when nothing matches, the question relaxed one
thing at a time (the year after, other documents, the reports most on the topic), saying so."""

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import takewhile

from knowledge.lexicon import COMMON_WORDS, FILLER
from knowledge.linking import stem, stems
from knowledge.matching import normalise
from knowledge.models import Kind
from knowledge.questions.dates import undated, year_after
from knowledge.questions.ranking import spread
from knowledge.questions.selecting import (
    INSPECTORS,
    KIND_TOPIC,
    MAX_CITATIONS,
    RANKED,
    SAME_REPORT,
    Choice,
    Chooser,
    Found,
    Reading,
    Relaxed,
    find,
    joined,
    of_kind,
    older,
    only,
    person_topic,
    rest_of,
    search_topics,
    select,
    unseen,
)
from knowledge.questions.understanding import QUALIFIER, Query, Topic
from knowledge.questions.vocabulary import vocabulary
from knowledge.state import records
from knowledge.state.search import Selection, by_kind
from knowledge.state.store import Store

REPORTS = 3  # the documents most on a topic read for the kind asked of them (see _in_reports)
TITLED_REPORT = 2  # words of a national report's title a question must share to name it (beside the words of every report)
TITLE_WORDS = 14  # a report's title is no longer than this
COUNTED_REPORTS = 10  # the documents most on a topic read for the count a question asks (see _counted)
COUNT_GAP = 4  # words between a number and what it counts ("Fifteen fire and rescue services")
YEAR = re.compile(r"(?:19|20)\d\d")  # a number that dates rather than counts
REPORT_INTENTS = frozenset({"topic", "recommendations", "concerns", "improve", "strengths", "latest", "statements"})


def choose_across(reading: Reading, query: Query, intent: str, organisations: list[str] | None, *, page: int) -> Choice:
    """The findings on a topic across organisations (of the kind asked, or `organisations`): criticism only
    when the question is negative and there is some; else what a speaker said (see _what_they_said)."""
    if not query.topics and query.grade and intent == "grades":
        query = replace(query, topics=(Topic(query.grade, (query.grade,)),))  # "which forces were rated inadequate"
    kind = query.kind
    among = organisations or of_the_kind(reading.store, kind)
    national = among is not None  # national reports ("fire and rescue services in England") are about every organisation of the kind
    qualified, also = _qualified(query)
    found = find(reading, qualified or query.topics, among, widen=True, national=national, also=also)

    def choose(q: Query, f: Found, intent: str, negative_only: bool = False) -> Selection:
        if f.ids == ():
            return Selection.empty()
        return of_kind(select(reading, q, among, intent, f, rows=RANKED, national=national, page=page, negative_only=negative_only), kind)

    negative = query.negative and intent in ("topic", "improve")
    selection = choose(query, found, intent, negative)
    if organisations is None and (counting := _count_first(reading, query, intent, found, selection, among, national=national)):
        return replace(counting, negative=negative)
    if (titled := _titled_report(reading, query, intent, among, national=national, organisations=organisations)) is not None:
        # "fire values and culture report - what did it focus on": the report it names, nearest the question first
        report, title = titled
        shown = {f.id for f in report.rows}
        rest = replace(selection, rows=[f for f in selection.rows if f.id not in shown])
        return Choice(query, intent, found, joined(report, rest), (Relaxed("titled_report", query, found, intent, title),), negative=negative)
    if not selection and negative:
        selection, negative = choose(query, found, intent), False
    if selection and query.older and (narrowed := older(query, shown := spread((selection.rows, selection.scores))[:MAX_CITATIONS])):
        query, selection = narrowed, unseen(choose(narrowed, found, intent, negative), shown)
    if selection and intent == "statements" and query.persons and query.topics and selection.total < MAX_CITATIONS:
        rest = _said_more(reading, choose, query, selection, among, national=national)
        return Choice(query, intent, found, joined(selection, rest), (Relaxed("speaker_more", query, found, intent),) if rest else (), negative=negative)
    if selection and (rest := _same_report(reading, query, intent, selection, among, national=national)):
        return Choice(query, intent, found, joined(selection, rest), (Relaxed("same_report", query, found, intent),), negative=negative)
    if selection:
        return Choice(query, intent, found, selection, negative=negative)
    if found.ids != () and (relaxed := _relaxed_across(choose, query, intent, found, negative)):
        return relaxed
    if found.ids and not query.persons and (reports := _in_reports(reading, query, intent, found, among, national=national, page=page)):
        return reports
    if query.persons and query.documents and not query.topics:  # "Steve Butler PEEL": what he said elsewhere
        elsewhere = replace(query, documents=(), document_words=None)
        return Choice(elsewhere, intent, found, choose(elsewhere, found, intent), (Relaxed("documents", query, found, intent),))
    if query.topics and query.role == INSPECTORS and not query.persons and found.ids:
        # "how did fire services cope with covid according to inspectors": nothing in their own words on it, so the
        # inspectorate's findings on it, never what the inspectors said of anything else
        found_by = replace(query, role=None, role_words=None)
        if findings := choose(found_by, found, "topic"):  # and when they are few, the rest of their report
            same = _same_report(reading, found_by, "topic", findings, among, national=national)
            relaxed = tuple(Relaxed(step, query, found, intent) for step in ("inspectorate", *(("same_report",) if same else ())))
            return Choice(found_by, "topic", found, joined(findings, same), relaxed)
    if query.topics and (query.persons or query.role):
        said = _what_they_said(choose, query, intent, found, qualified)  # else what the documents quoting an inspector say of it
        return (_their_reports(reading, query, found, among, national=national) if [r.what for r in said.relaxed] == ["speaker_topic"] else None) or said
    if query.persons:  # "what did Nikki Watson say": nothing said by her; what the documents report of her
        named = replace(query, topics=(person_topic(query),))
        if reported := choose(named, find(reading, named.topics, among, national=national), "topic"):
            return Choice(named, intent, found, reported, (Relaxed("named", query, found, intent),))
    return Choice(query, intent, found, selection, negative=negative)


QUOTED_OR_TOLD = re.compile(r"[\u201c\u201d\"]|\b(?:said|says|told|tells|added|claimed)\b")  # someone's words, not a report's


def _their_reports(reading: Reading, query: Query, found: Found, among: list[str] | None, *, national: bool) -> Choice | None:
    """"What did Andy Cooke say about charge rates in State of Policing": nothing in an HM Inspector's own words on the
    topic, but the inspectorate's documents quoting them are their reports: what those say on it (nobody else's words,
    nothing a news story reports), never what they said of anything else. None for anyone else (a chief constable
    quoted in a story speaks for no report), or when those documents say nothing on it."""
    if not (query.persons and found.ids):
        return None
    theirs = select(reading, replace(query, topics=()), among, "statements", Found(None), rows=RANKED, national=national)
    if not theirs and query.documents:  # a page on the report names it its own way ("... Annual State of ...")
        query = replace(query, documents=(), document_words=None)
        theirs = select(reading, replace(query, topics=()), among, "statements", Found(None), rows=RANKED, national=national)
    spoken = [f for f in theirs.rows if f.speaker in query.persons]
    roles = [f.role for f in spoken if f.role]
    if not roles or not all(role.startswith(INSPECTORS) for role in roles):
        return None
    reported = replace(query, people=(), unknown_people=())
    findings = select(reading, reported, among, "topic", found, rows=RANKED, national=national, documents=tuple(sorted({f.document_id for f in spoken})))
    # nobody else's words: no other statement, nothing in quotation marks or reported ("one survivor told the Gazette")
    ours = {i for i, d in findings.documents.items() if d.publisher == "HMICFRS" or d.doc_type in ("report", "letter")}  # the inspectorate's
    rows = [f for f in findings.rows if f.document_id in ours and (f.kind != Kind.statement or f.speaker in query.persons) and not QUOTED_OR_TOLD.search(f.text)]
    if not rows:
        return None
    return Choice(reported, "topic", found, only(findings, rows), (Relaxed("their_reports", query, found, "statements"),))


def counted(query: Query) -> str | None:
    """The word for what a question asks the count of ("how many fire services were in the final batch": services), from
    the words after its asking words up to a word that ends them ([counting] of understanding.toml); None when it
    asks no count."""
    counting = vocabulary().counting
    text = f" {normalise(query.text)} "
    for ask in counting.get("asks", ()):
        if (at := text.find(f" {ask} ")) >= 0:
            named = list(takewhile(lambda w: w not in counting["ends"], text[at + len(ask) + 2 :].split()))
            if named:
                return named[-1]
    return None


def gives_count(text: str, what: str) -> bool:
    """Whether the text counts what (a stem): a number other than a year, then it within COUNT_GAP words ("fieldwork
    in 12 police forces", "issued six new causes of concern")."""
    numbers = {stem(n) for n in vocabulary().counting["numbers"]}
    words = stems(text)
    return any((w[0].isdigit() and not YEAR.fullmatch(w) or w in numbers) and what in words[i + 1 : i + 2 + COUNT_GAP] for i, w in enumerate(words))


def _count_first(reading: Reading, query: Query, intent: str, found: Found, selection: Selection, among: list[str] | None, *,
                 national: bool) -> Choice | None:
    """"How many forces did the impartiality inspection visit": the sentences that give the count come first, then the
    findings on the topic and, when they are few, the rest of their report; None when the question counts nothing or
    no sentence on its topic gives the count."""
    what = counted(query) if found.ids else None
    if what is None:
        return None
    counting, on_it = query, found
    counts = _counted(reading, query, stem(what), found, among, national=national)
    if not counts:  # "how many new causes of concern in the 2022 fire tranche": no sentence on the tranche counts them; those that do
        counting = replace(query, topics=(Topic(what, (what,)),))
        on_it = find(reading, counting.topics, among, national=national)
        counts = _counted(reading, counting, stem(what), on_it, among, national=national)
    if not (counts := of_kind(counts, query.kind)):
        return None
    same = _same_report(reading, query, intent, selection, among, national=national)
    said = "counted" if counting is query else "counted_elsewhere"  # a count of the same thing, from reports on something else
    relaxed = (Relaxed(said, counting, on_it, intent), *((Relaxed("same_report", query, found, intent),) if same else ()))
    return Choice(query, intent, found, joined(counts, unseen(joined(selection, same), counts.rows)), relaxed)


def _counted(reading: Reading, query: Query, what: str, found: Found, among: list[str] | None, *, national: bool) -> Selection:
    """"How many recommendations in the fire values and culture report": the findings on the topic that give the count
    asked, then those of the COUNTED_REPORTS documents most on it (by what they say of it about no organisation in
    particular), most on it first; about no organisation in particular. Empty when none gives it."""
    if len(query.topics) > 1:  # a report on any of the words asked ("the mounted units review") may give the count
        hits = search_topics(reading, query.topics, among, any_group=True, national=national)
        found = Found(tuple(dict.fromkeys([*(found.ids or ()), *hits.ids])), found.matched, query.topics, any_of=True)
    on_topic = select(reading, query, among, "topic", found, rows=RANKED, national=national)
    weight: dict[int, float] = {}
    for f in on_topic.rows:  # a report is on the topic by all it says of it, not by its one best sentence
        if f.organisation_id is None:
            weight[f.document_id] = weight.get(f.document_id, 0.0) + on_topic.scores.get(f.id, 0.0)
    reports = sorted(weight, key=lambda d: -weight[d])[:COUNTED_REPORTS]
    rows = [f for f in on_topic.rows if f.organisation_id is None and gives_count(f.text, what)]
    rest = rest_of(reading, query, "topic", among, reports, national=national, shown={f.id for f in rows}, about_none=True) if reports else Selection.empty()
    rows += sorted((f for f in rest.rows if gives_count(f.text, what)), key=lambda f: -weight[f.document_id])
    documents = {**rest.documents, **on_topic.documents}
    counts = by_kind((f.kind, f.polarity, 1) for f in rows)
    return Selection(rows, len(rows), counts, {f.document_id: documents[f.document_id] for f in rows}, [], len({f.document_id for f in rows}))


def _said_more(reading: Reading, choose: Callable[..., Selection], query: Query, selection: Selection, among: list[str] | None, *,
               national: bool) -> Selection:
    """"andy roe engage decision": after his one statement on it, the rest of what he said in the same documents, then
    elsewhere, newest first."""
    said = replace(query, topics=())
    there = select(reading, said, among, "statements", Found(None), national=national, documents=tuple({f.document_id for f in selection.rows}))
    everything = choose(said, Found(None), "statements")
    shown = {f.id for f in selection.rows}
    rows = list({f.id: f for f in [*there.rows, *everything.rows] if f.id not in shown}.values())
    return replace(everything, rows=rows, documents={**everything.documents, **there.documents}, total=max(0, everything.total - len(shown)))


def _titled_report(reading: Reading, query: Query, intent: str, among: list[str] | None, *, national: bool,
                   organisations: list[str] | None) -> tuple[Selection, str] | None:
    """A national or thematic report a question about no organisation names by TITLED_REPORT words of its title or more
    ("the rapid review of police vetting", "the activism and impartiality report"), the one that shares most: its
    findings about no organisation, those nearest the question first, and its title. None otherwise."""
    if organisations is not None or query.matches or query.listing or query.persons or intent not in REPORT_INTENTS:
        return None
    asked = {stem(w) for w in normalise(query.text).split() if len(w) > 3 and w not in COMMON_WORDS and w not in FILLER}
    if len(asked) < TITLED_REPORT:
        return None
    best: list[tuple[tuple[int, float], int, str]] = []
    for document_id, title in records.national_titles(reading.session):
        if len(title.split()) > TITLE_WORDS:
            continue  # a page's first sentence standing for its title names no report
        words = {stem(w) for w in normalise(title).split() if w not in COMMON_WORDS}
        shared = len(asked & words)
        if shared >= TITLED_REPORT:  # the most shared, then the title most made of them ("Values and culture in fire services")
            best.append(((shared, shared / len(words)), document_id, title))
    if not best:
        return None
    most = max(b[0] for b in best)
    named = [b for b in best if b[0] == most]
    if len(named) > 1:
        return None  # two reports named alike: the topic's own search decides
    _, document_id, title = named[0]
    report = rest_of(reading, query, intent, among, (document_id,), national=national, about_none=True)
    return (report, title) if report else None


def _same_report(reading: Reading, query: Query, intent: str, selection: Selection, among: list[str] | None, *, national: bool) -> Selection:
    """"Who commissioned the police impartiality inspection": a question about no organisation that only a sentence
    or two of one or two reports match is about those reports; the rest of what they say about no organisation in
    particular follows, those sharing most of the question's words first. Empty otherwise."""
    documents = {f.document_id for f in selection.rows}
    if (selection.total >= MAX_CITATIONS or len(documents) > SAME_REPORT or query.persons or query.matches or query.listing
            or any(f.organisation_id is not None for f in selection.rows)):
        return Selection.empty()
    rest = rest_of(reading, query, intent, among, documents, national=national, shown={f.id for f in selection.rows}, about_none=True)
    return replace(rest, counts={}) if rest else rest  # the summary counts what matched; a note says the rest follows


def _relaxed_across(choose: Callable[..., Selection], query: Query, intent: str, found: Found, negative: bool) -> Choice | None:
    """Nothing across organisations in the year asked, or in documents titled as asked, on a topic that is on
    record: the year after ("the State of Policing 2021" is published in 2022), then the other documents
    ("disciplinary cases in fire services 2022/23" when no title says 2022/23); each said. None when neither helps."""
    later, unknown = year_after(query.dates), undated(query.dates)
    untitled = replace(query, documents=(), document_words=None) if query.documents and not query.persons else None
    steps = [(("year",), replace(query, dates=later) if later else None), (("documents",), untitled),
             (("year", "documents"), replace(untitled, dates=later) if later and untitled else None),
             (("undated",), replace(query, dates=unknown) if unknown else None)]
    for what, asked in steps:
        if asked is not None and (selection := choose(asked, found, intent, negative)):
            return Choice(asked, intent, found, selection, tuple(Relaxed(w, query, found, intent) for w in what), negative=negative)
    return None


def _in_reports(reading: Reading, query: Query, intent: str, found: Found, among: list[str] | None, *, national: bool, page: int) -> Choice | None:
    """"How many recommendations in the online child abuse inspection": no finding on the topic is of the kind
    asked, but the reports most on the topic hold some, or say what they made ("It has made 17 detailed
    recommendations"). Those reports' findings of the kind, else those using the report's words for it; None
    when neither, or the kind has no such words."""
    words = vocabulary().report_words.get(intent)
    if not words or not query.topics:
        return None
    on_topic = select(reading, query, among, "topic", found, rows=RANKED, national=national)
    weight: dict[int, float] = {}
    for f in on_topic.rows:  # a report is on the topic by all it says of it, not by its one best sentence
        weight[f.document_id] = weight.get(f.document_id, 0.0) + on_topic.scores.get(f.id, 0.0)
    reports = tuple(sorted(weight, key=lambda d: -weight[d])[:REPORTS])
    bare = replace(query, topics=(), documents=(), document_words=None)
    selection = select(reading, bare, among, intent, Found(None), page=page, national=national, documents=reports) if reports else Selection.empty()
    if not selection and reports:
        said = Topic(words[0], words, KIND_TOPIC)
        if (kind_found := find(reading, (said,), among, national=national)).ids:
            selection = select(reading, replace(bare, topics=(said,)), among, "topic", kind_found, page=page, national=national, documents=reports)
    if not selection:
        return None
    return Choice(bare, intent, Found(None), selection, (Relaxed("reports", query, found, intent),))


def _qualified(query: Query) -> tuple[list[Topic], list[Topic]]:
    """The topics that select findings, and those that only rank them: "slow", "delays" beside another topic
    rank the findings on that topic rather than narrow them."""
    if not query.negative:
        return list(query.topics), []
    qualified = [t for t in query.topics if t.label != QUALIFIER]
    return qualified, [t for t in query.topics if t not in qualified] if qualified else []


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
    selection = choose(said, none, "statements")
    if not selection and query.documents:  # "what did Martin Hewitt say about the PEEL spotlight report", his release titled otherwise
        said = replace(said, documents=(), document_words=None)
        selection = choose(said, none, "statements")
    return Choice(said, intent, none, selection, (Relaxed("speaker_topic", query, found, intent),))
