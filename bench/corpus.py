"""Synthetic benchmark corpora (never shipped as knowledge) and the bulk path that loads them.

Every generated document says "synthetic benchmark document" in its title and section. Findings are
real slices of their document's text, so the verbatim invariant holds in benchmark databases too.
"""

import datetime as dt
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import text

from knowledge import Store
from knowledge.state import search
from knowledge.state.store import WORD

TOPICS = [
    "domestic abuse", "child protection", "999 calls", "101 calls", "stop and search", "vetting",
    "crime recording", "investigations", "custody", "missing children", "child criminal exploitation",
    "registered sex offenders", "workforce wellbeing", "fire safety audits", "online child abuse",
    "anti-social behaviour", "victim support", "use of force", "neighbourhood policing", "serious organised crime",
]
OPENINGS = {
    "area_for_improvement": ["The force should improve how it manages", "The force needs to improve its approach to", "The force should make sure that it records"],
    "cause_of_concern": ["The force is not doing enough to manage", "There is a cause of concern about how the force handles"],
    "recommendation": ["Within three months, the force should review its approach to", "Within six months, the force should improve"],
    "strength": ["The force works well with partners on", "Inspectors found good practice in", "The force is effective at"],
    "context": ["The force told inspectors about its plans for", "Inspectors looked at a sample of cases involving", "The force has a new policy on"],
    "statement": ["I am pleased with the progress on", "I am concerned about the handling of"],
}
FILLERS = [
    "and it should make better use of the information it already holds",
    "especially when the people involved are vulnerable",
    "across every part of the county and at every time of day",
    "so that victims get the service they need and deserve",
    "although some officers told us they did not have enough training",
    "and supervisors do not always check that this has been done",
    "which means that some risks are not identified early enough",
    "and the force is working with local councils and health services",
]
KINDS = ["area_for_improvement"] * 5 + ["cause_of_concern"] + ["recommendation"] * 2 + ["strength"] * 4 + ["context"] * 4 + ["statement"] * 2
FINDINGS_PER_DOCUMENT = 20
BULK_CACHE_KIB = 512 * 1024  # SQLite page cache while bulk loading (it is only used as it fills)
NO_DATA = {"norfolk", "wiltshire", "dorset"}  # left without findings so "no data" answers are measured


@dataclass
class Loaded:
    findings: int
    documents: int
    insert_seconds: float
    index_seconds: float


def organisations(store: Store) -> list[str]:
    """About 45: the police forces (less three kept empty) and a few fire services."""
    police = sorted(o.id for o in store.reference.organisations.values() if o.kind == "police" and o.inspected and o.id not in NO_DATA)
    fire = ["devon-and-somerset-fire", "london-fire", "greater-manchester-fire", "west-midlands-fire", "cleveland-fire"]
    return police + fire


def finding_text(rng: random.Random, kind: str) -> str:
    """A 10-60 word finding on one real inspection topic."""
    words = f"{rng.choice(OPENINGS[kind])} {rng.choice(TOPICS)}"
    for _ in range(rng.randint(0, 5)):
        words += f", {rng.choice(FILLERS)}"
    words = " ".join(words.split()[:60])
    return words + "."


def generate(store: Store, findings: int, seed: int = 2026):
    """(documents, findings, words) rows ready for executemany."""
    rng = random.Random(seed)
    orgs = organisations(store)
    documents, rows, words = [], [], Counter()
    doc_id = 0
    finding_id = 0
    start_day = dt.date(2014, 1, 1).toordinal()
    end_day = dt.date(2026, 10, 31).toordinal()
    while finding_id < findings:
        doc_id += 1
        org = rng.choice(orgs)
        published = dt.date.fromordinal(rng.randint(start_day, end_day))
        doc_type = rng.choice(["report", "press_release", "article"])
        parts, spans = [], []
        offset = 0
        for _ in range(min(FINDINGS_PER_DOCUMENT, findings - finding_id)):
            kind = rng.choice(KINDS)
            sentence = finding_text(rng, kind)
            spans.append((kind, offset, offset + len(sentence), sentence))
            parts.append(sentence)
            offset += len(sentence) + 2
        body = "\n\n".join(parts)
        documents.append({
            "id": doc_id, "title": f"Synthetic benchmark document {doc_id}", "section": "synthetic benchmark",
            "doc_type": doc_type, "rank": {"report": 3, "press_release": 2, "article": 1}[doc_type], "published": published,
            "subject_id": org, "text": body, "content_hash": hashlib.sha256(f"bench-{seed}-{doc_id}".encode()).hexdigest(),
            "source_path": f"bench:{doc_id}", "ingested_at": dt.datetime(2026, 11, 1),
        })
        for kind, s, e, sentence in spans:
            finding_id += 1
            negative = kind in ("area_for_improvement", "cause_of_concern", "recommendation")
            rows.append({
                "id": finding_id, "document_id": doc_id, "organisation_id": org, "published": published, "kind": kind,
                "polarity": "negative" if negative else "positive" if kind == "strength" else "neutral",
                "text": sentence, "start": s, "end": e, "speaker": "Alex Example" if kind == "statement" else None,
                "role": "HM Inspector of Constabulary" if kind == "statement" else None, "context": None,
            })
            words.update(w.lower() for w in WORD.findall(sentence))
    return documents, rows, words


def bulk_load(store: Store, findings: int, also: tuple[list[dict], list[dict], Counter] | None = None) -> Loaded:
    """Insert a generated corpus with executemany, then build the search index once; `also`, more (documents, findings,
    words) rows made like generate's, among them (bench/progress.py's organisation)."""
    documents, rows, words = generate(store, findings)
    if also is not None:
        documents, rows, words = documents + also[0], rows + also[1], words + also[2]
    documents.sort(key=lambda d: d["published"])  # added in publication order, as reports arrive
    renumber = {d["id"]: i for i, d in enumerate(documents, start=1)}
    for d in documents:
        d["id"] = renumber[d["id"]]
    for r in rows:
        r["document_id"] = renumber[r["document_id"]]
    rows.sort(key=lambda r: (r["document_id"], r["start"]))
    for i, r in enumerate(rows, start=1):
        r["id"] = i
    with search.search_index_paused(store.engine):  # index once at the end, not row by row
        inserted, indexed = _insert(store, documents, rows)
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE" if store.is_sqlite else "ANALYZE finding"))
        conn.execute(
            text("INSERT INTO word (word, count) VALUES (:word, :n) ON CONFLICT (word) DO UPDATE SET count = word.count + excluded.count"),
            [{"word": w, "n": n} for w, n in words.items()],
        )
    store.forget_caches()
    return Loaded(len(rows), len(documents), inserted, time.perf_counter() - indexed)


def _insert(store: Store, documents: list[dict], rows: list[dict]) -> tuple[float, float]:
    """executemany on the driver's own connection: (seconds taken, time it finished)."""
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        if store.is_sqlite:
            # Room for the indexes being filled (findings arrive in document order, so each index is written all
            # over): with SQLite's default 2 MB page cache, most inserts evicted and re-read index pages.
            cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            cursor.execute("BEGIN")  # the store's SQLite connections leave transactions to the caller
        columns = list(documents[0])
        cursor.executemany(
            f"INSERT INTO document ({', '.join(columns)}) VALUES ({', '.join(':' + c if store.is_sqlite else '%(' + c + ')s' for c in columns)})",
            documents,
        )
        columns = list(rows[0])
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor.executemany(
            f"INSERT INTO finding ({quoted}) VALUES ({', '.join(':' + c if store.is_sqlite else '%(' + c + ')s' for c in columns)})",
            rows,
        )
        raw.commit()
        finished = time.perf_counter()
        if store.is_sqlite:
            cursor.execute("PRAGMA cache_size = -2000")  # the default again, before the connection goes back to the pool
    finally:
        raw.close()
    return finished - started, finished


def articles(count: int, seed: int = 7) -> list[bytes]:
    """Seed-like plain-text news articles (header, quotes, bullets, a newsletter blurb) for ingest timing."""
    rng = random.Random(seed)
    forces = ["Cambridgeshire Constabulary", "Kent Police", "Greater Manchester Police", "Thames Valley Police", "Avon and Somerset Constabulary"]
    out = []
    for i in range(count):
        force = rng.choice(forces)
        topics = rng.sample(TOPICS, 4)
        out.append(
            (
                f"date 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} Police news (synthetic benchmark document {i})\n\n"
                f"HMICFRS found examples of good work at {force}, including that it works well with other organisations on {topics[0]}.\n\n"
                "However, in their report HMICFRS said the force still needs to make some improvements, including:\n\n"
                f"- a more consistent approach to {topics[1]};\n\n"
                "Sign up to our daily newsletter Sign up Thanks for signing up!\n\n"
                f"- more consistency in the way officers manage {topics[2]}; and\n\n"
                f"- sharing information with partners sooner in {topics[3]} investigations.\n\n"
                f"HM Inspector of Constabulary Alex Example said: \u201c{force} is committed to protecting people. "
                "The force works well with health professionals.\n\n"
                "\u201cHowever, some areas could be improved, and I am confident it will continue to make improvements.\u201d\n\n"
                f"The report also said that \u2018there are not enough qualified investigators for {topics[0]} cases.\u2019"
            ).encode()
        )
    return out


PLACES = ["Peterborough", "Huntingdon", "Maidstone", "Salford", "Reading", "Oxford", "Bristol", "Taunton", "Ely", "Wigan"]
SENTENCES = [  # {n} makes every sentence of a corpus different, as in real text (no cache can help)
    "Inspectors found that the force {verb} {topic} in {place}, where they examined {n} cases.",
    "The report said officers in {place} did not always record {topic} accurately, and supervisors checked only {n} of them.",
    "The force has made progress on {topic} since {n}, but it still needs to make sure that victims are kept informed.",
    "HMICFRS said the force was good at {topic} and praised its work with {n} partners in {place}.",
    "Too many of the {n} cases involving {topic} were closed without a suspect being identified.",
    "The inspectorate found that the force works well with councils on {topic}, with {n} joint visits last year.",
    "Officers told inspectors that they had not received enough training on {topic} in the past {n} days.",
    "The force was graded requires improvement at investigating crime and good at preventing crime in {n}.",
    "Inspectors were concerned that {n} calls about {topic} in {place} waited too long for a response.",
    "The force has introduced a new team of {n} officers in {place} to deal with {topic}.",
]
VERBS = ["understands the risks of", "has improved its approach to", "does not have enough staff for", "responds quickly to"]


def long_articles(count: int, seed: int = 11, sentences: tuple[int, int] = (20, 40)) -> list[bytes]:
    """News articles of realistic length (20-40 sentences by default): a headline, a byline, paragraphs of one to
    three sentences, a quotation over two paragraphs, reported speech, bullets and page furniture."""
    rng = random.Random(seed)
    forces = ["Cambridgeshire Constabulary", "Kent Police", "Greater Manchester Police", "Thames Valley Police", "Avon and Somerset Constabulary"]
    out = []
    for i in range(count):
        force = rng.choice(forces)
        wanted = rng.randint(*sentences)
        lines = [
            f"date 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {force} told to improve (synthetic benchmark document {i})",
            "By A Reporter",
            f"{force} must improve how it handles {rng.choice(TOPICS)}, a report by the police inspectorate has found.",
        ]
        made = 1
        while made < wanted:
            shape = rng.random()
            if shape < 0.08 and wanted - made >= 3:
                lines.append(f"HM Inspector of Constabulary Alex Example said: \u201c{force} is committed to protecting people. It needs to act on {rng.choice(TOPICS)}.")
                lines.append("\u201cI will continue to monitor its progress.\u201d")
                made += 3
            elif shape < 0.14:
                lines.append(f"Chief Constable Sam Sample said the force accepted the findings on {rng.choice(TOPICS)} and had already acted.")
                made += 1
            elif shape < 0.2 and wanted - made >= 3:
                lines.append("Inspectors said the force needs to improve in several areas, including:")
                lines += [f"- {rng.choice(TOPICS)} in {rng.choice(PLACES)};" for _ in range(2)]
                made += 3
            elif shape < 0.23:
                lines.append("Sign up to our daily newsletter Sign up Thanks for signing up!")
            else:
                paragraph = []
                for _ in range(min(rng.randint(1, 3), wanted - made)):
                    paragraph.append(rng.choice(SENTENCES).format(verb=rng.choice(VERBS), topic=rng.choice(TOPICS), place=rng.choice(PLACES), n=rng.randint(2, 99_999)))
                    made += 1
                lines.append(" ".join(paragraph))
        out.append("\n\n".join(lines).encode())
    return out
