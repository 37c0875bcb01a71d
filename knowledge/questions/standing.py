"""Where organisations stand, across them: each one's Engage status as its latest record gives it (in enhanced
monitoring since when, or out of it since when), the grades they hold by grade and area, and the best and the
worst graded. Plain functions over the records the store reads (knowledge.state.store.monitoring_records, graded).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from knowledge import lexicon
from knowledge.matching import normalise
from knowledge.questions.dates import Dates
from knowledge.questions.ranking import stem
from knowledge.questions.understanding import Topic
from knowledge.state.search import DocumentRecord, FindingRecord

LATEST_GRADES_DAYS = 730  # an organisation's latest grades: those of the inspections of the two years before its newest
GRADE_ORDER = tuple(lexicon.GRADES)  # best first: outstanding, good, adequate, requires improvement, inadequate


@dataclass(frozen=True)
class Status:
    """One organisation's Engage status over a period: in enhanced monitoring at its end (or at some time in it)
    since `since`, or out of it since `left`; and the record that says so, to quote."""

    organisation: str
    engaged: bool
    since: dt.date | None
    left: dt.date | None
    finding: FindingRecord
    document: DocumentRecord
    undated_exit: bool = False  # a document with no date reports that it left: after or before the newest dated record, unknown


@dataclass(frozen=True)
class Held:
    """A grade an organisation holds in one area, from its latest inspection."""

    organisation: str
    area: str
    grade: str
    cycle: str | None
    finding: FindingRecord | None
    document: DocumentRecord


def statuses(findings: Sequence[FindingRecord], documents: dict[int, DocumentRecord], since: dt.date | None = None,
             until: dt.date | None = None) -> list[Status]:
    """Each organisation's status from its Engage records (oldest first), as of `until` (or now): in Engage when
    its newest record up to then reports an entry (a document reporting an exit often recounts the entry, so an
    exit anywhere in a document is its news), or, with `since`, when it was in Engage at any time from then.
    Those in Engage first, the most recent entry first; then those that left, the most recent first."""
    by_organisation: dict[str, list[tuple[dt.date, bool, FindingRecord]]] = {}
    undated_exits = set()
    for rows in _by_document(findings).values():
        if not rows[0].published:
            undated_exits |= {f.organisation_id for f in rows if f.status == "engage_exited"}
            continue
        if until and rows[0].published > until:
            continue
        exited = [f for f in rows if f.status == "engage_exited"]
        record = (exited or rows)[0]
        by_organisation.setdefault(record.organisation_id, []).append((record.published, not exited, record))
    out = [_status(organisation, sorted(records, key=lambda r: (r[0], r[2].document_id)), since, documents) for organisation, records in by_organisation.items()]
    out = [replace(o, undated_exit=True) if o.engaged and o.organisation in undated_exits else o for o in out]
    return sorted(out, key=lambda s: (not s.engaged, -((s.since if s.engaged else s.left) or dt.date.min).toordinal(), s.organisation))


def _by_document(findings: Sequence[FindingRecord]) -> dict[int, list[FindingRecord]]:
    grouped: dict[int, list[FindingRecord]] = {}
    for f in findings:
        grouped.setdefault(f.document_id, []).append(f)
    return grouped


def _status(organisation: str, records: list[tuple[dt.date, bool, FindingRecord]], since: dt.date | None, documents: dict[int, DocumentRecord]) -> Status:
    """The status its records give: spells in Engage from the first entry reported to the first exit after it."""
    entered: dt.date | None = None
    left: dt.date | None = None
    was_in = False  # in Engage at some time from `since`
    for day, entry, _ in records:
        if entry and entered is None:
            entered = day
        elif not entry and entered is not None:
            was_in = was_in or since is None or day >= since
            entered, left = None, day
        elif not entry:
            left = day
    last = records[-1][2]
    engaged = entered is not None or (since is not None and was_in)
    return Status(organisation, engaged, entered, left if entered is None else None, last, documents[last.document_id])


def within(dates: Dates | None, day: dt.date | None) -> bool:
    """Whether a document of that day is in the dates asked (any day is, when none are)."""
    if dates is None:
        return True
    return day is not None and (dates.since is None or day >= dates.since) and (dates.until is None or day <= dates.until)


def latest_grades(rows: Sequence[tuple], organisations: Sequence[str] | None = None) -> dict[str, list[Held]]:
    """Each organisation's grade in each area from its latest inspection (those of the two years before its newest
    graded document), as `graded` rows (newest document first) give them."""
    newest: dict[str, dt.date] = {}
    held: dict[str, list[Held]] = {}
    seen: set[tuple[str, str]] = set()
    for organisation, area, grade, cycle, finding, document in rows:
        if organisations is not None and organisation not in organisations:
            continue
        day = document.published
        first = newest.setdefault(organisation, day) if day else None
        if first and day and (first - day).days > LATEST_GRADES_DAYS:
            continue
        key = (organisation, normalise(area))
        if key not in seen:
            seen.add(key)
            held.setdefault(organisation, []).append(Held(organisation, area, grade, cycle, finding, document))
    return held


def of_area(held: list[Held], topics: Sequence[Topic]) -> list[Held]:
    """The grades whose area the topics name ("responding to the public", "efficiency"); all of them without topics."""
    if not topics:
        return held
    return [h for h in held if any(_names_area(t, h.area) for t in topics)]


def _names_area(topic: Topic, area: str) -> bool:
    words = {stem(w) for w in normalise(area).split()}
    for phrase in (topic.words, *topic.phrases):
        stems = [stem(w) for w in normalise(phrase).split() if len(w) > 3]
        if stems and all(s in words for s in stems) and (len(stems) > 1 or len(words) <= 3 or phrase == topic.words):
            return True
    return False


def ranked(held: dict[str, list[Held]], worst: bool) -> list[tuple[str, list[Held]]]:
    """Organisations by the grades they hold: the best graded first (the most outstanding, then good, ...), or with
    `worst` the worst first (the most inadequate, then requires improvement, ...)."""
    order = GRADE_ORDER[::-1] if worst else GRADE_ORDER

    def key(item: tuple[str, list[Held]]) -> tuple:
        grades = [h.grade for h in item[1]]
        return (*(-grades.count(g) for g in order), item[0])

    return sorted(((o, h) for o, h in held.items() if h), key=key)


def holders(rows: Sequence[tuple], *, dates: Dates | None, topics: Sequence[Topic], grade: str | None, extreme: str | None,
            limit: int) -> list[tuple[str, list[Held]]]:
    """The organisations whose latest grades (in the dates asked) hold the grade asked in the areas the topics
    name, those with the most first; or, with `extreme`, the best or worst graded (at most `limit` of them)."""
    latest = latest_grades([r for r in rows if within(dates, r[5].published)])
    held = {o: [h for h in of_area(hs, topics) if grade is None or h.grade == grade] for o, hs in latest.items()}
    held = {o: hs for o, hs in held.items() if hs}
    if extreme:
        return ranked(held, worst=extreme == "worst")[:limit]
    return sorted(held.items(), key=lambda item: (-len(item[1]), item[0]))


def grade_findings(order: list[tuple[str, list[Held]]]) -> tuple[list[FindingRecord], dict[int, DocumentRecord]]:
    """The findings that give the grades listed, in the order listed, and their documents."""
    rows = list({h.finding.id: h.finding for _, hs in order for h in hs if h.finding}.values())
    return rows, {h.document.id: h.document for _, hs in order for h in hs}
