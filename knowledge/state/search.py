"""Choosing findings: the full-text search (FTS5 on SQLite, tsvector on PostgreSQL) and the selection an answer
shows (FindingQuery -> Selection), with their SQL.

Both take a session, so that the selections of one answer run on one connection.
"""

import datetime as dt
import json
import operator
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce

from sqlalchemy import Engine, Integer, String, any_, bindparam, case, cast, distinct, false, func, literal, null, or_, text, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session
from sqlmodel import select as statement

from knowledge.models import Document, Finding, Kind
from knowledge.state.database import on_sqlite

SEARCH_WORD = re.compile(r"[^\W_]+")
PRIORITY_DOCUMENTS = 8  # an overview orders the findings of this many newest documents by seriousness
PRIORITY_WINDOW = 400  # newest findings read to find those documents
COUNT_CAP = 1000  # matches counted at most: past this an answer says "more than 1,000"
MAX_PHRASES = 24  # per topic group: enough for a topic's synonyms, few enough for a quick index query
MAX_ARMS = 8  # searches for a question's weightiest phrases, beside the plain one (see _arms)
SMALL_WORDS = frozenset("a an and are as at be by for from in into is it of on or the to with".split())  # see fts_phrase
ENGAGE = ("engage_entered", "engage_exited")  # the statuses that record entering or leaving enhanced monitoring
TITLED_YEARS_AFTER = 2  # a report titled with a year is published up to two years after it ("Avon and Somerset PEEL 2018", January 2020)
KIND_ORDER = {Kind.cause_of_concern: 0, Kind.recommendation: 1, Kind.area_for_improvement: 2, Kind.grade: 3, Kind.strength: 4, Kind.statement: 5, Kind.context: 6}
FINDING_COLUMNS = tuple(Finding.__table__.columns)  # a selection's rows: every column, read as plain rows
DOCUMENT_COLUMNS = tuple(c for c in Document.__table__.columns if c.name != "text")  # a citation's document, without its text
DOCUMENT_LABELLED = tuple(c.label(f"of_document_{c.name}") for c in DOCUMENT_COLUMNS)  # read beside a finding's columns
NEWEST_FIRST = (Finding.published.desc().nulls_last(), Finding.document_id.desc(), Finding.start)
FindingRecord = namedtuple("FindingRecord", [c.name for c in FINDING_COLUMNS])  # a finding as read: plain and read-only
DocumentRecord = namedtuple("DocumentRecord", [c.name for c in DOCUMENT_COLUMNS])  # its document, without the text
ORG_SQL = "'org' || replace(coalesce({row}.organisation_id, 'none'), '-', '')"  # as in migration 0004


def org_token(organisation_id: str) -> str:
    """The one search-index token for an organisation: 'greater-manchester' -> 'orggreatermanchester'."""
    return "org" + organisation_id.replace("-", "")


def without_longer(phrases: list[str]) -> list[str]:
    """The phrases of one group ("any of these") less those that hold another of them word for word: whatever
    matches "emergency calls" matches "emergency", so the index need not check "emergency calls" at all."""
    padded = [f" {p} " for p in phrases]
    return [p for p, long in zip(phrases, padded, strict=True) if not any(q != long and q in long for q in padded)]


def fts_phrase(phrase: str) -> str:
    """An FTS5 phrase for the search index. Words such as "and" and "of" are in nearly every finding, and
    checking their positions at every candidate made phrases like "stop and search" cost ten times a word: as
    PostgreSQL's english configuration drops them, so does this, keeping the other words within that many
    words of each other ("stop and search" -> NEAR("stop" "search", 1))."""
    words = phrase.split()
    kept = [w for w in words if w not in SMALL_WORDS]
    if len(kept) == len(words) or not kept:
        return '"' + phrase + '"'
    if len(kept) == 1:
        return '"' + kept[0] + '"'
    return "NEAR(" + " ".join('"' + w + '"' for w in kept) + f", {len(words) - len(kept)})"


@dataclass(frozen=True)
class Hits:
    """Search results: the best matching ids, best first (at most the limit), the number in all (counted up to
    COUNT_CAP + 1), and the ids that rank above the plain matches with their scores."""

    ids: list[int]
    total: int
    scores: dict[int, float] = field(default_factory=dict)
    groups: int = 0  # the groups (required, then optional) some of whose weighted phrases were found: bit i for group i


@dataclass(frozen=True)
class FindingQuery:
    """What an answer selects: every field narrows it; None and empty mean no restriction."""

    organisations: tuple[str, ...] | None = None
    national: bool = False  # with organisations: findings about no single organisation (national reports) too
    kinds: frozenset[str] = frozenset()
    context_polarities: frozenset[str] = frozenset()  # context findings (no kind of their own) of these polarities
    polarities: frozenset[str] = frozenset()  # every finding of these polarities only
    ids: tuple[int, ...] | None = None  # from a search
    document_id: int | None = None
    documents: tuple[int, ...] = ()  # in one of these documents
    since: dt.date | None = None
    until: dt.date | None = None
    undated: bool = False  # only findings whose date is not known
    titled_year: int | None = None  # with since/until one calendar year: also the next year's documents titled with it
    year_in_text: bool = False  # with titled_year: also later sentences naming the year ("In 2021, the NCA sent ...")
    title_words: tuple[str, ...] = ()  # the document's title or section holds one of these
    role: str | None = None  # statements by a speaker whose role matches this LIKE pattern ("%commissioner": any commissioner)
    people: tuple[str, ...] = ()  # statements by these speakers
    engage: bool = False  # Engage entries and exits only
    grade_polarities: frozenset[str] = frozenset()  # grades shown too when of these polarities ("rated outstanding at ...")
    with_status: bool = False  # Engage entries and exits too, whatever their kind
    newest_document_only: bool = False
    ordered: bool = False  # rows in the order of ids (the search's ranking, best first), not newest first
    priority: bool = False  # causes of concern first, then status changes, ... (see priority), each newest first
    grades_first: bool = False  # with priority: grades before the rest (a comparison: how each was judged, first)
    said_first: bool = False  # newest first, a person's own statements before the findings they signed (a letter's)


@dataclass
class Selection:
    """Findings selected for an answer: one page of rows, and counts over all of them."""

    rows: list[Finding]  # read-only rows with Finding's columns as attributes (not ORM objects)
    total: int
    counts: dict[str, int]  # kind (or a context finding's polarity) -> number
    documents: dict[int, Document]  # the rows' documents: read-only rows of Document's columns but its text
    organisations: list[tuple[str, int]]  # when not narrowed to organisations: each with its number, most first
    document_count: int = 0
    scores: dict[int, float] = field(default_factory=dict)  # relevance of the rows to a topic (knowledge.questions.ranking)

    def __bool__(self) -> bool:
        return self.total > 0

    @classmethod
    def empty(cls) -> "Selection":
        return cls([], 0, {}, {}, [])


def search(session: Session, groups: Sequence[Sequence[str] | str], organisations: Sequence[str] | None = None, limit: int = 200, *,
           any_group: bool = False, national: bool = False, counts: Callable[[], Mapping[str, int]] | None = None,
           weights: Mapping[str, float] | None = None, optional: Sequence[Sequence[str]] = ()) -> Hits:
    """The `limit` best findings that match every group (or, with any_group, at least one), where a group
    matches when one of its phrases does (stemmed words, a phrase's words in order; see fts_phrase for
    SQLite), and how many match (counted up to COUNT_CAP + 1). FTS5 on SQLite (the organisation is a token
    in the index), tsvector on PostgreSQL; with organisations and `national`, findings about no single
    organisation (national reports) match too.

    Best: the index ranks, among any number of matches, by the `weights` of the phrases a finding holds (see
    _arms): for each group its weightiest phrase held, summed, with the `optional` groups (words that rank
    but do not select) adding theirs; the most recently added first among equals. Without weights, the most
    recently added. One statement. `counts` gives every organisation's number of findings (minutes old will
    do; Store.finding_counts): on SQLite it chooses the cheaper of two equivalent index queries."""
    required = phrase_groups(groups)
    extra = phrase_groups(optional)
    if not required:
        return Hits([], 0)
    weigh = {" ".join(SEARCH_WORD.findall(p.lower())): w for p, w in (weights or {}).items()}
    arms = _arms(required, extra, weigh, any_group=any_group)
    sqlite = on_sqlite(session)
    match = _fts5_matcher(organisations, national, counts, sqlite) if sqlite else _tsvector_matcher(organisations, national)
    base = (" OR " if any_group else " AND ").join(match.group(g, every=True) for g in required)
    params: dict = {"base": match.query(base), "n": limit, "k": limit, "cap": COUNT_CAP + 1, **match.params}
    hits = [f"SELECT id, -1 AS g, 0.0 AS w FROM ({match.ids(':base')}) AS arm_base"]
    for i, (g, phrases, weight) in enumerate(arms):
        params[f"q{i}"] = match.query(match.group(phrases) if any_group else " AND ".join(
            [match.group(phrases), *(match.group(other, every=True) for j, other in enumerate(required) if j != g)]))
        params[f"w{i}"] = weight
        hits.append(f"SELECT id, {g} AS g, :w{i} AS w FROM ({match.ids(f':q{i}')}) AS arm{i}")
    sql = (f"WITH hit AS ({' UNION ALL '.join(hits)}), best AS (SELECT id, g, max(w) AS w FROM hit GROUP BY id, g) "
           f"SELECT id, sum(w) AS score, sum(CASE WHEN g >= 0 THEN 1 << g ELSE 0 END) AS arms, ({match.count(':base')}) AS total "
           "FROM best GROUP BY id ORDER BY score DESC, id DESC LIMIT :n")
    try:
        rows = session.connection().execute(text(sql), params).all()
    except Exception:  # noqa: BLE001 - a query the index cannot parse finds nothing, never a crash
        if not sqlite:
            session.rollback()  # PostgreSQL refuses every later statement of a failed transaction: the session's next one starts anew
        return Hits([], 0)
    return Hits([r[0] for r in rows], rows[0][3] if rows else 0, {r[0]: r[1] for r in rows if r[1]}, reduce(operator.or_, (r[2] for r in rows), 0))


def phrase_groups(groups: Sequence[Sequence[str] | str]) -> list[list[str]]:
    """The groups as the index reads them: each phrase's words lower-cased, punctuation gone, repeats and empty
    groups dropped, at most MAX_PHRASES a group."""
    lists = [[g] if isinstance(g, str) else g for g in groups]
    clean = [[" ".join(SEARCH_WORD.findall(p.lower())) for p in group] for group in lists]
    return [g for g in ([p for p in dict.fromkeys(group) if p][:MAX_PHRASES] for group in clean) if g]


def _arms(required: list[list[str]], optional: list[list[str]], weights: Mapping[str, float], *, any_group: bool) -> list[tuple[int, list[str], float]]:
    """The searches beside the plain one whose hits rank a finding higher: (group, phrases, weight) for at most
    MAX_ARMS of the weightiest phrases. A phrase weighs what it adds to its group's commonest phrase (matching
    "999 calls" tells more than matching "calls"), an optional group's phrase its whole weight, and each arm
    reads the newest `limit` findings that hold its phrase and every required group: a rare phrase's every
    match, a common one's newest, as the plain search reads for the rest. Any group (any_group): one arm per
    group, weighing its weightiest phrase."""
    if any_group:
        return [(g, group, max((weights.get(p, 1.0) for p in group), default=1.0)) for g, group in enumerate([*required, *optional])][:MAX_ARMS]
    arms = []
    for g, group in enumerate(required):
        floor = min(weights.get(p, 1.0) for p in group)
        arms += [(g, [p], weights[p] - floor) for p in group if weights.get(p, floor) > floor]
    arms += [(len(required) + g, [p], weights[p]) for g, group in enumerate(optional) for p in group if p in weights]
    return sorted(arms, key=lambda a: -a[2])[:MAX_ARMS]


@dataclass(frozen=True)
class _Matcher:
    """How one index is asked: a group of phrases as a query, a query narrowed to the organisations, and the
    statements that read a query's newest ids and count its matches."""

    group: Callable[..., str]
    query: Callable[[str], str]
    ids: Callable[[str], str]
    count: Callable[[str], str]
    params: dict


def _fts5_matcher(organisations: Sequence[str] | None, national: bool, counts: Callable[[], Mapping[str, int]] | None, _: bool) -> _Matcher:
    """FTS5: phrases as fts_phrase, the organisation as a token (org_token) in each finding's entry."""

    def group(phrases: list[str], *, every: bool = False) -> str:
        return "(" + " OR ".join(fts_phrase(p) for p in (without_longer(phrases) if every else phrases)) + ")"

    def query(q: str) -> str:
        return _fts5_organisations(q, organisations, national, counts() if counts is not None else {}) if organisations is not None else q

    return _Matcher(group, query, lambda q: f"SELECT rowid AS id FROM finding_fts WHERE finding_fts MATCH {q} ORDER BY rowid DESC LIMIT :k",
                    lambda q: f"SELECT count(*) FROM (SELECT 1 FROM finding_fts WHERE finding_fts MATCH {q} LIMIT :cap)", {})


def _tsvector_matcher(organisations: Sequence[str] | None, national: bool) -> _Matcher:
    """PostgreSQL's tsvector column (english configuration): a phrase's words in order (<->)."""
    where = "f.search @@ to_tsquery('english', {})"
    if organisations is not None:
        where += " AND (f.organisation_id = ANY(:orgs) OR f.organisation_id IS NULL)" if national else " AND f.organisation_id = ANY(:orgs)"

    def group(phrases: list[str], *, every: bool = False) -> str:
        return "(" + " | ".join(" <-> ".join(p.split()) for p in phrases) + ")"

    return _Matcher(group, lambda q: q.replace(" AND ", " & ").replace(" OR ", " | "),
                    lambda q: f"SELECT f.id FROM finding f WHERE {where.format(q)} ORDER BY f.id DESC LIMIT :k",
                    lambda q: f"SELECT count(*) FROM (SELECT 1 FROM finding f WHERE {where.format(q)} LIMIT :cap) AS capped",
                    {"orgs": list(organisations)} if organisations is not None else {})


def _fts5_organisations(query: str, organisations: Sequence[str], national: bool, held: Mapping[str, int]) -> str:
    """The FTS5 query narrowed to the organisations: naming them, or leaving out the others."""
    wanted = [org_token(o) for o in organisations] + (["orgnone"] if national else []) or ["orgnone"]
    # Every finding has one org token ("orgnone" without an organisation): when the organisations wanted
    # hold most findings ("which forces ..."), leaving out the others reads far fewer postings than naming
    # them all. Either form finds the same; the cached counts only choose the cheaper.
    chosen = set(organisations)
    others = [org_token(o) for o in held if o not in chosen] + (["orgnone"] if organisations and not national else [])
    if sum(n for o, n in held.items() if o in chosen) > sum(n for o, n in held.items() if o not in chosen):
        return f"({query}) NOT org:({' OR '.join(others)})" if others else query
    return f"({query}) AND org:({' OR '.join(wanted)})"


def select(session: Session, q: FindingQuery, *, offset: int = 0, limit: int = 24) -> Selection:
    """The findings a query asks for: the rows of one page (newest document first, in document order within
    one), counts by kind over all of them, their documents (text not loaded) and, when no organisation is
    given, the organisations they are about with how many each, most first. Two statements: the counts, then
    the page's rows with their documents."""
    sqlite = on_sqlite(session)
    conditions = list(conditions_of(q, sqlite=sqlite))

    def base(*columns, joined: bool = False):  # noqa: ANN002, ANN202
        stmt = statement(*columns)
        if joined or q.title_words or q.titled_year is not None:
            stmt = stmt.join(Document, Document.id == Finding.document_id)
        return stmt.where(*conditions)

    if q.newest_document_only:
        conditions.append(Finding.document_id == base(Finding.document_id).order_by(*NEWEST_FIRST).limit(1).scalar_subquery())
    counts, document_count, organisations = _tally(session, base, many=q.organisations is None or len(q.organisations) > 1)
    if not counts:
        return Selection.empty()
    rows, documents = _page(session, q, base, offset, limit, document_count, sqlite=sqlite)
    return Selection(rows, sum(counts.values()), counts, documents, organisations, document_count)


def _tally(session: Session, base: Callable, *, many: bool) -> tuple[dict[str, int], int, list[tuple[str, int]]]:
    """In one statement: the number of findings by kind (a context finding's by polarity), most serious kind
    first; the number of documents; with `many`, each organisation's number, most first (then newest)."""
    parts = [
        base(literal("kind"), Finding.kind, Finding.polarity, func.count()).group_by(Finding.kind, Finding.polarity),
        base(literal("documents"), null(), null(), func.count(distinct(Finding.document_id))),
    ]
    if many:
        newest = cast(func.max(Finding.published), String)
        parts.append(base(literal("organisation"), Finding.organisation_id, newest, func.count())
                     .where(Finding.organisation_id.is_not(None)).group_by(Finding.organisation_id))
    kinds: list[tuple[str, str, int]] = []
    organisations: list[tuple[str, str, int]] = []
    documents = 0
    for part, a, b, n in session.connection().execute(union_all(*parts)).all():
        if part == "documents":
            documents = n
        elif part == "organisation":
            organisations.append((a, b or "", n))
        else:
            kinds.append((a, b, n))
    counts = by_kind(kinds)
    organisations.sort(key=lambda o: o[0])
    organisations.sort(key=lambda o: o[1], reverse=True)  # newest first among equals
    organisations.sort(key=lambda o: -o[2])
    return counts, documents, [(o, n) for o, _, n in organisations]


def by_kind(kinds: Iterable[tuple[str, str, int]]) -> dict[str, int]:
    """(kind, polarity, count) rows as an answer counts them: by kind, context by its polarity, most serious first."""
    counts: dict[str, int] = {}
    for kind, polarity, n in sorted(kinds, key=lambda k: (KIND_ORDER.get(k[0], 9), k[1])):
        key = polarity if kind == Kind.context else kind
        counts[key] = counts.get(key, 0) + n
    return counts


def _page(session: Session, q: FindingQuery, base: Callable, offset: int, limit: int, documents: int, *, sqlite: bool) -> tuple[list, dict]:
    """The rows of one page, with their documents read in the same statement. With `priority`: the most serious
    first among the newest documents (sorting every finding of a large force by seriousness costs more than
    the answer may; the newest documents are what an overview shows), then, when those run out and there are
    more than those documents (`documents`: how many there are), the older documents' findings, newest first."""
    columns = (*FINDING_COLUMNS, *DOCUMENT_LABELLED)
    read = session.connection().execute
    if q.ordered and q.ids is not None:
        ranked = positions(q.ids, sqlite=sqlite)
        stmt = base(*columns, joined=True).join(ranked, ranked.c.value == Finding.id).order_by(ranked.c.key)
        return records(read(stmt.offset(offset).limit(limit)).all())
    if not q.priority:
        order = ((Finding.kind != Kind.statement), *NEWEST_FIRST) if q.said_first else NEWEST_FIRST
        return records(read(_then_documents(base(Finding.id), order, offset, limit)).all())
    recent = base(Finding.document_id, Finding.published).order_by(*NEWEST_FIRST).limit(PRIORITY_WINDOW).subquery()
    newest = (statement(recent.c.document_id).group_by(recent.c.document_id)
              .order_by(func.max(recent.c.published).desc().nulls_last(), recent.c.document_id.desc()).limit(PRIORITY_DOCUMENTS))
    rows = read(_then_documents(base(Finding.id).where(Finding.document_id.in_(newest)), (priority(grades_first=q.grades_first), *NEWEST_FIRST), offset, limit)).all()
    if len(rows) < limit and documents > PRIORITY_DOCUMENTS:  # then the older documents' findings, newest first
        skipped = 0 if not offset else max(0, offset - session.connection().execute(base(func.count()).where(Finding.document_id.in_(newest))).scalar())
        rows += read(_then_documents(base(Finding.id).where(Finding.document_id.not_in(newest)), NEWEST_FIRST, skipped, limit - len(rows))).all()
    return records(rows)


def _then_documents(ids, order: tuple, offset: int, limit: int):  # noqa: ANN001, ANN202 - SQL statements
    """The page's rows (`ids`, a selection of finding ids, in `order`), then their columns and their documents'
    joined to those few rows only: joined first, SQLite reads the document of every match before sorting."""
    page = ids.order_by(*order).offset(offset).limit(limit).subquery()
    return (statement(*FINDING_COLUMNS, *DOCUMENT_LABELLED).select_from(page).join(Finding, Finding.id == page.c.id)
            .join(Document, Document.id == Finding.document_id).order_by(*order))


def records(rows: list) -> tuple[list, dict]:
    """Rows of a finding's columns and its document's, as plain records: the findings, and their documents by id."""
    n = len(FINDING_COLUMNS)
    return [FindingRecord(*r[:n]) for r in rows], {r[n]: DocumentRecord(*r[n : n + len(DOCUMENT_COLUMNS)]) for r in rows}


def among(column, ids: Iterable[int], *, sqlite: bool):  # noqa: ANN001, ANN201 - SQL expressions
    """column IN ids, with the ids as one parameter (a JSON array on SQLite, an array on PostgreSQL): the
    statement stays the same whatever the ids, instead of being rendered anew with hundreds of placeholders."""
    if sqlite:
        each = func.json_each(bindparam(None, json.dumps(list(ids)), type_=String)).table_valued("value")
        return column.in_(statement(each.c.value))
    return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))


def positions(ids: Iterable[int], *, sqlite: bool):  # noqa: ANN201 - an SQL table
    """The ids as a table of (value, key): each id and its place in the list, as one parameter (see among)."""
    if sqlite:
        return func.json_each(bindparam(None, json.dumps(list(ids)), type_=String)).table_valued("value", "key")
    return func.unnest(bindparam(None, list(ids), type_=ARRAY(Integer))).table_valued("value", with_ordinality="key").render_derived()


def priority(*, grades_first: bool = False):  # noqa: ANN201 - an SQL expression
    """What an overview shows first: causes of concern, changes of monitoring status, recommendations,
    areas for improvement, grades, criticism, strengths, then people's statements (`grades_first`: grades, then those)."""
    negative_context = (Finding.kind == Kind.context) & (Finding.polarity == "negative")
    return case(
        *(((Finding.kind == Kind.grade, -1),) if grades_first else ()),
        (Finding.kind == Kind.cause_of_concern, 0),
        (Finding.status.in_(ENGAGE), 1),
        (Finding.kind == Kind.recommendation, 2),
        (Finding.kind == Kind.area_for_improvement, 3),
        (Finding.kind == Kind.grade, 4),
        (negative_context, 5),
        (Finding.kind == Kind.strength, 6),
        (Finding.kind == Kind.statement, 8),
        else_=7,
    )


def status_ids(q: FindingQuery):  # noqa: ANN201 - an SQL statement
    """The findings recording an Engage entry or exit among the organisations asked about: few, read from the
    partial index ix_finding_status."""
    stmt = statement(Finding.id).where(Finding.status.is_not(None), Finding.status.in_(ENGAGE))
    if q.organisations is not None:
        stmt = stmt.where(Finding.organisation_id.in_(q.organisations))
    return stmt


def conditions_of(q: FindingQuery, *, sqlite: bool) -> Iterator:
    """The WHERE conditions of a query, one by one."""
    if q.ids is not None:
        yield among(Finding.id, q.ids, sqlite=sqlite)
    if q.organisations is not None:
        named = Finding.organisation_id.in_(q.organisations)
        yield named | Finding.organisation_id.is_(None) if q.national else named
    if q.document_id is not None:
        yield Finding.document_id == q.document_id
    if q.documents:
        yield Finding.document_id.in_(q.documents)
    if q.kinds or q.context_polarities:
        yield from _kind_conditions(q)
    if q.polarities:
        yield Finding.polarity.in_(q.polarities)
    if q.engage:
        yield Finding.status.is_not(None) & Finding.status.in_(ENGAGE)
    if q.undated:
        yield Finding.published.is_(None)
    if q.titled_year is not None and q.since and q.until:
        # "Gwent grades 2017": published that year, or in the next two under a title naming it ("Gwent 2017", published 2018)
        after = (dt.date(q.titled_year + 1, 1, 1), dt.date(q.titled_year + TITLED_YEARS_AFTER, 12, 31))
        # ... or later, in a sentence naming the year itself ("In 2021, the NCA sent more than 20,000 cases", in a 2023 report)
        yield (Finding.published.between(q.since, q.until)
               | (Finding.published.between(*after) & func.coalesce(Document.title, "").like(f"%{q.titled_year}%"))
               | (((Finding.published > q.until) & Finding.text.like(f"%{q.titled_year}%")) if q.year_in_text else false()))
    else:
        if q.since:
            yield Finding.published >= q.since
        if q.until:
            yield Finding.published <= q.until
    if q.role:
        yield Finding.role.is_not(None)  # the partial index of the findings with a role (migration 0012)
        yield func.lower(Finding.role).like(q.role.lower() + "%")
    if q.people:
        yield Finding.speaker.in_(q.people)
    if q.title_words:
        yield or_(*[func.lower(func.coalesce(Document.title, "") + " " + func.coalesce(Document.section, "")).like(f"%{w.lower()}%") for w in q.title_words])


def _kind_conditions(q: FindingQuery) -> Iterator:
    """The conditions on kinds: the kinds asked for, context findings and grades of the polarities asked for, and
    (with_status) the Engage entries and exits whatever their kind."""
    # Implied by the filter below, but in this form the index (organisation, kind, ...) is read only over those
    # kinds, instead of testing the filter on every finding of the organisation: 2x on counts.
    kinds = Finding.kind.in_(sorted(set(q.kinds) | ({Kind.context} if q.context_polarities else set()) | ({Kind.grade} if q.grade_polarities else set())))
    kind_filter = Finding.kind.in_(q.kinds)
    if q.context_polarities:
        kind_filter = kind_filter | ((Finding.kind == Kind.context) & Finding.polarity.in_(q.context_polarities))
    if q.grade_polarities:
        kind_filter = kind_filter | ((Finding.kind == Kind.grade) & Finding.polarity.in_(q.grade_polarities))
    if q.with_status:
        # "id + 0": the status findings are tested as each row is read (from the index's row id), instead of
        # SQLite reading the index once per kind and merging the rows ("MULTI-INDEX OR"), 5x dearer on counts.
        yield (kinds & kind_filter) | (Finding.id + 0).in_(status_ids(q))
    else:
        yield kinds
        yield kind_filter


@contextmanager
def search_index_paused(engine: Engine) -> Iterator[None]:
    """For bulk loads: insert findings without indexing each one, then index them all at once."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER IF EXISTS finding_fts_insert"))
        first = conn.execute(text("SELECT coalesce(max(id), 0) FROM finding")).scalar()
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
                f"SELECT id, text, context, speaker, {ORG_SQL.format(row='finding')} FROM finding WHERE id > :first"
            ), {"first": first})
            conn.execute(text(
                "CREATE TRIGGER finding_fts_insert AFTER INSERT ON finding BEGIN "
                "INSERT INTO finding_fts(rowid, text, context, speaker, org) "
                f"VALUES (new.id, new.text, new.context, new.speaker, {ORG_SQL.format(row='new')}); END"
            ))
