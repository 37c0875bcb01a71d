"""`python -m bench.progress`: "has it been fixed?" answered for one organisation with 1,000 findings over 10 documents,
in a database of --size findings (1,000,000 by default); writes bench/PROGRESS.md. The target is issue 21's.

The haystack is bench/corpus.py's synthetic corpus (bulk loaded, as `python -m bench` loads it); the organisation is
one that corpus leaves empty (Dorset Police), given 10 synthetic documents of 100 findings each, one a year, whose
findings raise concerns on real inspection topics and say later that they improved or not yet; its mentions are made
by the real rules (knowledge.state.links.relink). The database is built once in bench/out/ (--fresh rebuilds it).
"""

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import statistics
import time
from collections import Counter

from bench.__main__ import OUT, ROOT, machine
from bench.corpus import FILLERS, TOPICS, bulk_load
from knowledge import Store
from knowledge.questions.answering import Answerer
from knowledge.questions.progress import concerns_of
from knowledge.state import links
from knowledge.state.store import WORD

ORGANISATION = "dorset"
DOCUMENTS, PER_DOCUMENT = 10, 100
TARGET_MS = 30  # median, at 1,000,000 findings (issue 21)
QUESTIONS = ["has Dorset Police fixed its crime recording?", "is stop and search still a problem at Dorset Police?",
             "what has changed at Dorset Police since 2019?", "did Dorset Police act on the 2018 recommendations?"]
SAID = [  # (kind, polarity, words before the topic): concerns, and later words on them
    ("area_for_improvement", "negative", "The force should improve how it manages"),
    ("cause_of_concern", "negative", "There is a cause of concern about how the force handles"),
    ("recommendation", "negative", "Within six months, the force should improve"),
    ("context", "positive", "The force has made good progress on"),
    ("context", "negative", "The force still needs to improve its work on"),
    ("strength", "positive", "The force has improved how it deals with"),
    ("context", "neutral", "Inspectors looked at a sample of cases involving"),
]


def organisation_rows(first_document: int, first_finding: int, seed: int = 21) -> tuple[list[dict], list[dict], Counter]:
    """The organisation's documents and findings (each finding a real slice of its document's text), as generate's."""
    rng = random.Random(seed)
    documents, rows, words = [], [], Counter()
    for n in range(DOCUMENTS):
        doc_id, published = first_document + n, dt.date(2015 + n, 3, 1)
        parts, offset = [], 0
        for _ in range(PER_DOCUMENT):
            kind, polarity, opening = rng.choice(SAID)
            sentence = f"{opening} {rng.choice(TOPICS)}" + "".join(f", {rng.choice(FILLERS)}" for _ in range(rng.randint(0, 2))) + "."
            rows.append({"id": first_finding + len(rows), "document_id": doc_id, "organisation_id": ORGANISATION, "published": published, "kind": kind,
                         "polarity": polarity, "text": sentence, "start": offset, "end": offset + len(sentence), "speaker": None, "role": None, "context": None})
            words.update(w.lower() for w in WORD.findall(sentence))
            parts.append(sentence)
            offset += len(sentence) + 2
        documents.append({
            "id": doc_id, "title": f"Synthetic benchmark document: Dorset Police {published.year}", "section": "synthetic benchmark", "doc_type": "report",
            "rank": 3, "published": published, "subject_id": ORGANISATION, "text": "\n\n".join(parts),
            "content_hash": hashlib.sha256(f"bench-progress-{doc_id}".encode()).hexdigest(), "source_path": f"bench:progress-{doc_id}",
            "ingested_at": dt.datetime(2026, 11, 1),
        })
    return documents, rows, words


def build(size: int, fresh: bool) -> tuple[Store, dict]:
    """The database: the haystack, the organisation's documents, and its mentions made by the rules."""
    OUT.mkdir(parents=True, exist_ok=True)
    path, stats_path = OUT / f"progress-{size}.db", OUT / f"progress-{size}.json"
    if not fresh and path.exists() and stats_path.exists():
        return Store(f"sqlite:///{path}"), json.loads(stats_path.read_text())
    for stale in OUT.glob(f"progress-{size}.db*"):
        stale.unlink()
    store = Store(f"sqlite:///{path}")
    haystack = size - DOCUMENTS * PER_DOCUMENT
    loaded = bulk_load(store, haystack, also=organisation_rows(10_000_000, 100_000_000))
    started = time.perf_counter()
    with store.writing() as session:
        made = links.relink(session, [ORGANISATION])
    stats = {"findings": loaded.findings, "mentions": made, "relink_s": time.perf_counter() - started}
    stats_path.write_text(json.dumps(stats))
    return Store(f"sqlite:///{path}"), stats


def timed(call, repeats: int) -> float:  # noqa: ANN001 - a call of no arguments
    """Median milliseconds of `repeats` warm calls (the first, cold one not counted)."""
    call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.progress", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="findings in the database")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    args = parser.parse_args()
    store, stats = build(args.size, args.fresh)
    answerer = Answerer(store)
    rows = []
    for question in QUESTIONS:
        result = answerer.answer(question)
        assert result.intent == "progress" and result.progress and result.progress.timelines, (question, result.summary)
        rows.append((question, timed(lambda q=question: answerer.answer(q), args.repeats), len(result.progress.timelines)))
    listed = timed(lambda: concerns_of(store, ORGANISATION), args.repeats)
    with store.reading() as session:
        chains = len(links.chains(session, ORGANISATION).chains)
    worst = max(ms for _, ms, _ in rows)
    verdict = "met" if worst <= TARGET_MS and args.size >= 1_000_000 else "**missed**" if worst > TARGET_MS else "not measured at 1,000,000"
    report = f"""# Progress answers benchmark

Run on {dt.date.today().isoformat()} with `python -m bench.progress --size {args.size}` on {machine()}; load average
{os.getloadavg()[0]:.1f} at the end (the machine is shared: compare runs made together). {stats['findings']:,} findings; the organisation
(Dorset Police) has {DOCUMENTS * PER_DOCUMENT:,} findings over {DOCUMENTS} documents, {chains} concerns followed and {stats['mentions']:,} mentions, made by
the rules in {stats['relink_s']:.1f} s. Question text -> Answer object (no Telegram I/O), median of {args.repeats} warm runs.

| question | median ms | timelines shown |
| --- | ---: | ---: |
""" + "\n".join(f"| {q} | {ms:.1f} | {n} |" for q, ms, n in rows) + f"""
| `/progress Dorset Police` (its concerns, a page) | {listed:.1f} | |

| target | measured | |
| --- | --- | --- |
| the answer for an organisation with 1,000 findings over 10 documents <= {TARGET_MS} ms median at 1,000,000 findings | {worst:.1f} ms (at {args.size:,}) | {verdict} |
"""
    (ROOT / "bench" / "PROGRESS.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
