"""Mentions: later findings that revisit an organisation's earlier concerns (knowledge.linking's rules decide which, and
the status each states), saved in the transaction that saves the documents making them, read back as chains, and
rebuilt after a rule change.

A finding takes part for the organisation it is about; a finding about no organisation in a document whose subject is
one (a sentence that names nobody in a page about Kent Police) may be a later mention for it, never a concern.
"""

import datetime as dt
import re
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import bindparam, text
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from knowledge import linking
from knowledge.ledger import Ledger
from knowledge.models import Document, Finding
from knowledge.state.database import on_sqlite

CACHED_ORGANISATIONS = 256  # ledgers kept made between calls (a store holds about 90 organisations with findings)
_DOCUMENTS = (  # the documents with findings for the organisation
    "SELECT DISTINCT f.document_id FROM finding f JOIN document d ON d.id = f.document_id "
    "WHERE f.organisation_id = :org OR (f.organisation_id IS NULL AND d.subject_id = :org)"
)
_STATE = text("SELECT count(*), max(id) FROM finding WHERE organisation_id = :org")  # what a ledger must hold of the organisation
_FINDING_COLUMNS = 'f.id, f.document_id, f.published, f.kind, f.polarity, f.start, f."end", f.context, f.status, f.role, f.organisation_id, d.subject_id'
_FINDINGS = text(
    f"SELECT {_FINDING_COLUMNS} FROM finding f JOIN document d ON d.id = f.document_id WHERE f.document_id IN :ids "
    "AND (f.organisation_id = :org OR (f.organisation_id IS NULL AND d.subject_id = :org)) ORDER BY f.document_id, f.start"
).bindparams(bindparam("ids", expanding=True))
_NEW_FINDINGS = text(
    f"SELECT {_FINDING_COLUMNS} FROM finding f JOIN document d ON d.id = f.document_id WHERE f.document_id IN :ids ORDER BY f.document_id, f.start"
).bindparams(bindparam("ids", expanding=True))
_STATES = text("SELECT organisation_id, count(*), max(id) FROM finding WHERE organisation_id IN :orgs GROUP BY organisation_id").bindparams(
    bindparam("orgs", expanding=True))
_TEXTS = text("SELECT id, text, title FROM document WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
_AREAS = text("SELECT finding_id, area FROM grade WHERE document_id IN :ids AND finding_id IS NOT NULL").bindparams(bindparam("ids", expanding=True))
_REDONE = text(  # the mentions in stored documents that new ones may change
    "SELECT m.raised_id, m.finding_id FROM mention m JOIN finding f ON f.id = m.finding_id WHERE m.organisation_id = :org AND f.document_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_GONE = "DELETE FROM mention WHERE raised_id = {0} AND finding_id = {0}"
_INSERT = "INSERT INTO mention (raised_id, finding_id, organisation_id, status, cue_start, cue_end, cue, basis) VALUES {} ON CONFLICT DO NOTHING"
INSERTED_AT_ONCE = 1000  # mentions in one INSERT (8,000 parameters: within SQLite's 32,766 and PostgreSQL's 65,535)
_ledgers: "OrderedDict[tuple[str, str], Ledger]" = OrderedDict()  # (database URL, organisation) -> its ledger, made before


# -- saving ---------------------------------------------------------------------------------------------------


def link_documents(session: Session, document_ids: Iterable[int]) -> int:
    """Link the findings of newly saved documents with the other findings of their organisations, both ways (a
    document older than some already stored holds concerns that the later ones revisit), in the session's
    transaction. Returns the number of mentions made."""
    ids = sorted(set(document_ids))
    if not ids:
        return 0
    conn = session.connection()
    rows: dict[str, list] = defaultdict(list)  # organisation -> its findings in the new documents
    for row in conn.execute(_NEW_FINDINGS, {"ids": ids}):
        organisation = row[-2] or row[-1]  # its own, or for a sentence that names no one, its document's subject
        if organisation:
            rows[organisation].append((*row[:10], row[-2] is not None))
    if not rows:
        return 0
    fresh = _readings(conn, rows)
    states = {org: (count, newest) for org, count, newest in conn.execute(_STATES, {"orgs": sorted(rows)})}
    return sum(_link(session, org, set(ids), fresh[org], states.get(org, (0, None))) for org in sorted(rows))


def relink(session: Session, organisation_ids: Sequence[str] | None = None) -> int:
    """Every mention made again from the rules (after they change): of these organisations, or of all, in the
    session's transaction, so that a failure leaves the old ones. Returns the number made."""
    conn = session.connection()
    if organisation_ids is None:
        conn.execute(text("DELETE FROM mention"))
        rows = conn.execute(text("SELECT DISTINCT organisation_id FROM finding WHERE organisation_id IS NOT NULL"))
        organisation_ids = sorted(org for (org,) in rows)
    else:
        conn.execute(text("DELETE FROM mention WHERE organisation_id IN :orgs").bindparams(bindparam("orgs", expanding=True)),
                     {"orgs": list(organisation_ids)})
    return sum(_link(session, org, None) for org in organisation_ids)


def _link(session: Session, organisation_id: str, new: set[int] | None, fresh: list[list[linking.Reading]] | None = None,
          state: tuple[int, int | None] | None = None) -> int:
    """Make and save the mentions of one organisation in the new documents and in the stored ones they change (None:
    all, the mentions deleted already); `fresh`, the new documents' findings already read, and `state`, what the
    database holds of the organisation. A document's mentions are made from the findings stored, whatever order they
    came in: those of a later document that a new one changes (it raises a concern the later one revisits, or raises
    one anew nearer to it than those it revisited) are deleted and made again, as relink would make them."""
    ledger = ledger_for(session, organisation_id, fresh or [], state)
    redone = {page.document_id for page in ledger.pages} if new is None else ledger.affected(new)
    made = ledger.links([r for page in ledger.pages if page.document_id in redone for r in page.readings])
    stored = sorted(redone - new) if new is not None else []
    if stored:  # only what changed is written: most of a stored document's mentions stay
        conn = session.connection()
        have = {(r, m) for r, m in conn.execute(_REDONE, {"org": organisation_id, "ids": stored})}
        gone = have - {(m.raised, m.mention) for m in made}
        if gone:
            conn.exec_driver_sql(_GONE.format("?" if on_sqlite(session) else "%s"), sorted(gone))
        made = [m for m in made if (m.raised, m.mention) not in have]
    if not made:
        return 0
    insert_mentions(session, [  # in the primary key's order: the index grows at its end
        (m.raised, m.mention, organisation_id, m.status, m.cue_start, m.cue_end, cue_of(ledger.readings[m.mention].passage, m), m.basis)
        for m in sorted(made)
    ])
    return len(made)


def insert_mentions(session: Session, rows: Sequence[tuple]) -> None:
    """Insert mentions, in order, INSERTED_AT_ONCE rows a statement: one statement a row cost SQLite a quarter more
    on the 200-article benchmark's 78,638 (a statement's step and its prepared-statement reset, paid per row)."""
    mark = "?" if on_sqlite(session) else "%s"
    conn = session.connection()
    whole = len(rows) - len(rows) % INSERTED_AT_ONCE
    if whole:
        values = [value for row in rows[:whole] for value in row]
        step = 8 * INSERTED_AT_ONCE
        conn.exec_driver_sql(_INSERT.format(_values(INSERTED_AT_ONCE, mark)), [tuple(values[i : i + step]) for i in range(0, len(values), step)])
    if whole < len(rows):
        conn.exec_driver_sql(_INSERT.format(_values(len(rows) - whole, mark)), tuple(value for row in rows[whole:] for value in row))


def _values(count: int, mark: str) -> str:
    """The VALUES of `count` mentions, each of eight parameters."""
    return ", ".join(["(" + ", ".join([mark] * 8) + ")"] * count)


def cue_of(passage: linking.Passage, made: linking.Link) -> str | None:
    """The words that state the mention's status: a slice of the finding or of its lead-in."""
    if made.cue_start is None or made.cue_end is None:
        return None
    for start, words in ((passage.start, passage.text), (passage.lead_in_start, passage.lead_in)):
        if start <= made.cue_start and made.cue_end <= start + len(words):
            return words[made.cue_start - start : made.cue_end - start]
    raise ValueError(f"the cue of mention {made.mention} is neither in the finding nor in its lead-in")


def names_of(session: Session, organisation_id: str) -> frozenset[str]:
    """The stemmed words of an organisation's name and aliases: every finding about it shares them."""
    conn = session.connection()
    names = [n for (n,) in conn.execute(text("SELECT name FROM organisation WHERE id = :o UNION SELECT name FROM alias WHERE organisation_id = :o"),
                                        {"o": organisation_id})]
    return frozenset(linking.stems(" ".join(names)))


def ledger_for(session: Session, organisation_id: str, fresh: Sequence[Sequence[linking.Reading]] = (),
               state: tuple[int, int | None] | None = None) -> Ledger:
    """The ledger of an organisation's findings (and of the findings about no one in documents about it). The ledger
    made in this process before takes the `fresh` documents' findings, and is used only when it then holds as many of
    the organisation's findings, up to the same newest one, as the database does (`state`, read when not given):
    another worker may have stored some meanwhile, or a transaction that added some to it rolled back. Else it is
    made again from the database."""
    conn = session.connection()
    if state is None:
        state = tuple(conn.execute(_STATE, {"org": organisation_id}).one())  # type: ignore[assignment]
    place = (str(session.get_bind().url), organisation_id)  # the database (its URL) and the organisation
    ledger = _ledgers.get(place)
    if ledger is not None:
        for readings in fresh:
            if readings and readings[0].passage.document_id not in ledger.documents:
                ledger.add(readings)
        if (ledger.own_count, ledger.own_newest) == state:
            _ledgers.move_to_end(place)
            return ledger
    ledger = Ledger(names_of(session, organisation_id))
    for readings in fresh:
        ledger.add(readings)
    others = [d for (d,) in conn.execute(text(_DOCUMENTS), {"org": organisation_id}) if d not in ledger.documents]
    if others:
        rows = [(*row[:10], row[-2] is not None) for row in conn.execute(_FINDINGS, {"org": organisation_id, "ids": others})]
        for readings in _readings(conn, {organisation_id: rows})[organisation_id]:
            ledger.add(readings)
    _ledgers[place] = ledger
    _ledgers.move_to_end(place)
    while len(_ledgers) > CACHED_ORGANISATIONS:
        _ledgers.popitem(last=False)
    return ledger


def _readings(conn, rows: dict[str, list]) -> dict[str, list[list[linking.Reading]]]:  # noqa: ANN001 - a Connection
    """Findings (id, document, date, kind, polarity, start, end, context, status, role, own) read by the rules, per
    organisation and document, with their documents' texts and titles and their grades' areas read once for all."""
    documents = sorted({row[1] for group in rows.values() for row in group})
    texts = {d: (body, title) for d, body, title in conn.execute(_TEXTS, {"ids": documents})}
    areas: dict[int, list[str]] = defaultdict(list)
    for finding_id, area in conn.execute(_AREAS, {"ids": documents}):
        areas[finding_id].append(area)
    read: dict[str, list[list[linking.Reading]]] = {}
    for organisation, group in rows.items():
        by_document: dict[int, list] = defaultdict(list)
        for row in group:
            by_document[row[1]].append(row)
        read[organisation] = [linking.read_document([
            linking.passage(f_id, document_id, _date(published), kind, polarity, start, end, texts[document_id][0], context=context,
                            title=texts[document_id][1], areas=areas.get(f_id, ()), status=status, own=own, role=role)
            for f_id, _, published, kind, polarity, start, end, context, status, role, own in findings
        ]) for document_id, findings in by_document.items()]
    return read


def _date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# -- reading chains -------------------------------------------------------------------------------------------


class Quoted(NamedTuple):
    """A finding as a chain shows it: its words (an exact slice of its document), its lead-in, its document and date."""

    finding_id: int
    document_id: int
    published: dt.date | None
    kind: str
    label: str | None
    quote: str
    context: str | None


class Later(NamedTuple):
    """A later mention of a concern, and its status there: improved, not_yet or unclear, with the words that say so
    (document.text[cue_start:cue_end] of the mention's document; None when unclear)."""

    quoted: Quoted
    status: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None


class Chain(NamedTuple):
    """A concern as it was raised, and every later mention of it, oldest first (in a document's own order within one)."""

    raised: Quoted
    mentions: tuple[Later, ...]

    @property
    def latest(self) -> Later | None:
        """The newest mention that states a status, else the newest mention (None when no later document mentions it)."""
        return latest(self.mentions)


def latest(mentions: Sequence[Later]) -> Later | None:
    """Of mentions oldest first: the first of the newest date's that states a status (a page leads with its news and
    recounts the past after it), else the newest (None: none)."""
    newest = mentions[-1].quoted.published if mentions else None
    stated = [m for m in mentions if m.status != linking.UNCLEAR and m.quoted.published == newest]
    return stated[0] if stated else (mentions[-1] if mentions else None)


@dataclass(frozen=True)
class Progress:
    """An organisation's concerns followed across its documents: the chains (raised oldest first) and their documents."""

    organisation_id: str
    chains: tuple[Chain, ...]
    documents: dict[int, Document]  # every document a chain quotes, without its text


_MENTIONS = "SELECT m.raised_id, m.finding_id, m.status, m.cue_start, m.cue_end, m.cue FROM mention m{} WHERE m.organisation_id = %(org)s"
_QUOTED = text("SELECT id, document_id, published, kind, label, text, context, start FROM finding WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True))
READ_AT_ONCE = 5000  # finding ids in one IN (...) list


_FOLLOWED = "SELECT raised_id, finding_id FROM mention WHERE organisation_id = %(org)s ORDER BY raised_id"
_RAISED = "SELECT id, published FROM finding WHERE id IN ({})"


class Followed(NamedTuple):
    """A concern that later documents mention, as ids: when it was raised, and the findings that mention it."""

    published: dt.date | None
    mentions: list[int]


def followed(session: Session, organisation_id: str) -> dict[int, Followed]:
    """An organisation's concerns that later documents mention, by finding id (cheap to choose from: two numbers and a
    date a mention; chains() then reads those chosen in full)."""
    conn = session.connection()
    mentions: dict[int, list[int]] = {}
    for raised_id, group in groupby(_rows(conn, _FOLLOWED, {"org": organisation_id}), key=itemgetter(0)):
        mentions[raised_id] = [finding_id for _, finding_id in group]
    raised = sorted(mentions)
    dates: dict[int, dt.date | None] = {}
    for i in range(0, len(raised), READ_AT_ONCE):  # ids read from the database: numbers, written into the statement
        dates.update((f_id, _date(published)) for f_id, published in _rows(conn, _RAISED.format(_listed(raised[i : i + READ_AT_ONCE])), {}))
    return {r: Followed(dates.get(r), mentions[r]) for r in raised}


_CONCERNS = "SELECT DISTINCT raised_id FROM mention WHERE organisation_id = %(org)s"
_TOUCHING = ("SELECT raised_id, finding_id FROM mention WHERE organisation_id = %(org)s AND raised_id IN ({ids}) UNION ALL "
             "SELECT raised_id, finding_id FROM mention WHERE organisation_id = %(org)s AND finding_id IN ({ids})")  # each by its index
_AMONG = "SELECT DISTINCT finding_id FROM mention WHERE organisation_id = %(org)s AND raised_id IN ({ids}) AND finding_id IN ({ids})"


def _listed(ids: Iterable[int]) -> str:
    """Finding ids as an SQL list (numbers read from the database, written into the statement), NULL for none."""
    return ", ".join(str(int(i)) for i in ids) or "NULL"


def concerns_followed(session: Session, organisation_id: str) -> dict[int, dt.date | None]:
    """The organisation's concerns that later documents mention, by finding id, with the date each was raised (read
    from the indexes alone: what a page of them needs before their chains are read)."""
    return raised_on(session, [r for (r,) in _rows(session.connection(), _CONCERNS, {"org": organisation_id})])


def raised_on(session: Session, raised: Iterable[int]) -> dict[int, dt.date | None]:
    """When each of these findings was published, by id."""
    conn, ids = session.connection(), sorted(set(raised))
    dates: dict[int, dt.date | None] = {}
    for i in range(0, len(ids), READ_AT_ONCE):
        dates.update((f_id, _date(published)) for f_id, published in _rows(conn, _RAISED.format(_listed(ids[i : i + READ_AT_ONCE])), {}))
    return {r: dates.get(r) for r in ids}


def touching(session: Session, organisation_id: str, ids: Sequence[int]) -> dict[int, set[int]]:
    """Of these findings, those each concern followed is, or is mentioned by (raised id -> them)."""
    wanted, found = set(ids), defaultdict(set)
    for raised_id, finding_id in _rows(session.connection(), _TOUCHING.format(ids=_listed(wanted)), {"org": organisation_id}):
        found[raised_id].update({raised_id, finding_id} & wanted)
    return dict(found)


def mentioned_among(session: Session, organisation_id: str, raised: Sequence[int]) -> set[int]:
    """Which of these concerns are later mentions of another of them."""
    return {f for (f,) in _rows(session.connection(), _AMONG.format(ids=_listed(raised)), {"org": organisation_id})}


def chains(session: Session, organisation_id: str, *, document_id: int | None = None, raised: Sequence[int] | None = None) -> Progress:
    """An organisation's concerns that later documents mention, each with every mention, the concerns oldest first;
    with document_id, only the mentions in that document (what a new document says of earlier concerns); with
    `raised`, only these concerns."""
    conn = session.connection()
    joined = " JOIN finding f ON f.id = m.finding_id AND f.document_id = %(doc)s" if document_id is not None else ""
    chosen = f" AND m.raised_id IN ({_listed(raised)})" if raised is not None else ""
    rows = _rows(conn, _MENTIONS.format(joined) + chosen, {"org": organisation_id, "doc": document_id})
    wanted = sorted({r[0] for r in rows} | {r[1] for r in rows})
    quoted: dict[int, tuple[tuple, Quoted]] = {}  # finding id -> (its place in time, the finding as a chain shows it)
    for i in range(0, len(wanted), READ_AT_ONCE):
        for f_id, document, published, kind, label, words, context, start in conn.execute(_QUOTED, {"ids": wanted[i : i + READ_AT_ONCE]}):
            date = _date(published)
            quoted[f_id] = ((date or dt.date.min, document, start), Quoted(f_id, document, date, kind, label, words, context))
    later: dict[int, list[tuple[tuple, Later]]] = defaultdict(list)
    for raised_id, finding_id, status, cue_start, cue_end, cue in rows:
        place, mention = quoted[finding_id]
        later[raised_id].append((place, Later(mention, status, cue, cue_start, cue_end)))
    made = [Chain(quoted[i][1], tuple(m for _, m in sorted(later[i], key=lambda pair: pair[0]))) for i in sorted(later, key=lambda i: quoted[i][0])]
    ids = {place[1] for place, _ in quoted.values()}
    documents = {d.id: d for d in session.exec(select(Document).where(Document.id.in_(ids)).options(defer(Document.text)))} if ids else {}
    return Progress(organisation_id, tuple(made), documents)


def quoted_findings(session: Session, ids: Sequence[int], *, documents: bool = True) -> tuple[dict[int, Finding], dict[int, Document]]:
    """The findings a chain quotes, by id, and (unless not wanted) their documents without their text."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}, {}
    found = {f.id: f for f in session.exec(select(Finding).where(Finding.id.in_(wanted)))}
    if not documents:
        return found, {}
    held = {f.document_id for f in found.values()}
    return found, {d.id: d for d in session.exec(select(Document).where(Document.id.in_(held)).options(defer(Document.text)))}


def _rows(conn, sql: str, values: dict) -> list[tuple]:  # noqa: ANN001 - a Connection
    """Plain rows from the driver's own cursor (SQLAlchemy's rows cost more than the query for thousands of mentions);
    `sql` takes %(name)s parameters."""
    if conn.dialect.name == "sqlite":
        sql = re.sub(r"%\((\w+)\)s", r":\1", sql)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, values)
        return cursor.fetchall()
    finally:
        cursor.close()


def mention_count(session: Session) -> int:
    """How many mentions are stored."""
    return session.connection().execute(text("SELECT count(*) FROM mention")).scalar_one()
