"""`python -m bench`: answer times at 10k/100k/1M findings against their targets; writes bench/RESULTS.md.

Databases are built once in bench/out/ (git-ignored) from synthetic corpora; --fresh rebuilds them.
"""

import argparse
import datetime as dt
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils
from sqlalchemy import text

from bench.corpus import articles, bulk_load
from knowledge import Store, answer
from knowledge.documents.reading import read_text
from knowledge.ingest import ingest_sources

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
QUESTIONS = [
    ("one force", "what must Kent improve?"),
    ("a town", "Peterborough police 999 calls"),
    ("a typo", "what must Lancashre improve?"),
    ("topic, all forces", "which forces need to improve stop and search?"),
    ("negative, all forces", "which forces are slow to answer 101 calls?"),
    ("relaxed topic", "kent stop and search drones"),
    ("evaluative", "I'm in Maidstone, are the police any good?"),
    ("no-data force", "what must Norfolk Police improve?"),
    ("gibberish", "qwzx plorf vint"),
    ("topic of >10k matches", "what did inspectors find about child protection?"),
    ("a rare word among many", "which forces have problems with vetting backlogs?"),
    ("comparison", "compare Kent and Essex police"),
    ("the inspector's words", "what did the inspector say about Kent?"),
    ("status across forces", "which forces are in special measures?"),
    ("the best force", "what is the best police force in the country?"),
    ("out of scope", "Ofsted report for a school in Swindon"),
]
FLOOR_QUERY = '"stop" AND "search"'


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build(size: int, fresh: bool) -> tuple[Store, dict]:
    """The benchmark database of `size` findings, with the bulk-load numbers of the run that built it."""
    OUT.mkdir(parents=True, exist_ok=True)
    path, stats_path = OUT / f"bench-{size}.db", OUT / f"bench-{size}.json"
    if fresh or not path.exists() or not stats_path.exists():
        for stale in OUT.glob(f"bench-{size}.db*"):
            stale.unlink()
        store = Store(f"sqlite:///{path}")
        loaded = bulk_load(store, size)
        stats = {"findings": loaded.findings, "documents": loaded.documents, "insert_s": loaded.insert_seconds, "index_s": loaded.index_seconds}
        stats_path.write_text(json.dumps(stats))
        return store, stats
    return Store(f"sqlite:///{path}"), json.loads(stats_path.read_text())


def time_answers(store: Store, repeats: int) -> tuple[list[float], dict[str, float]]:
    """Question text -> Answer, in milliseconds (the first, cold run of each question is not counted)."""
    samples, per_question = [], {}
    for label, question in QUESTIONS:
        answer(store, question)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            answer(store, question)
            times.append((time.perf_counter() - started) * 1000)
        samples += times
        per_question[label] = statistics.median(times)
    return samples, per_question


def time_naive(store: Store) -> float:
    """The naive approach: rapidfuzz process.extract over every finding, median ms per question."""
    with store.engine.connect() as conn:
        texts = [row[0] for row in conn.execute(text("SELECT text FROM finding"))]
    times = []
    for _, question in QUESTIONS[:3]:
        started = time.perf_counter()
        process.extract(question, texts, scorer=fuzz.WRatio, processor=utils.default_process, limit=10)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def time_floor(store: Store, repeats: int) -> float:
    """A bare FTS5 bm25 top-10 query: the floor no answer can beat."""
    statement = text("SELECT rowid FROM finding_fts WHERE finding_fts MATCH :q ORDER BY bm25(finding_fts) LIMIT 10")
    times = []
    with store.engine.connect() as conn:
        conn.execute(statement, {"q": FLOOR_QUERY}).all()
        for _ in range(repeats):
            started = time.perf_counter()
            conn.execute(statement, {"q": FLOOR_QUERY}).all()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def ingest_rate(count: int = 300) -> float:
    """Seed-like articles through the real reader and parser into a fresh store: documents per second."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/kb.db")
        sources = articles(count)
        started = time.perf_counter()
        for result in ingest_sources(store, (read_text(data, f"bench-article-{i}.txt") for i, data in enumerate(sources))):
            assert result.status == "added", result
        return count / (time.perf_counter() - started)


def end_to_end(db_path: Path, questions: int = 400, users: int = 40) -> tuple[float, int]:
    """(questions/s, peak RSS in MB) of a real `inspection-bot run` serving the database through the stand-in."""
    sys.path.insert(0, str(ROOT))
    from testing.botapi import BotAPI

    token = "123456789:BENCHtokenABCDEFGHIJKLMNOPQRSTUVWXYZ_-0"
    with BotAPI(token) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_URL"))}
        env.update(TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=api.base_url, DATABASE_URL=f"sqlite:///{db_path}",
                   QUESTIONS_PER_MINUTE="100000", TELEGRAM_MAX_MESSAGES_PER_SECOND="100000")
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tempfile.gettempdir(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            api.wait_for(lambda a: a.method_calls("getUpdates"), timeout=120)
            mix = [q for _, q in QUESTIONS]
            started = time.perf_counter()
            for i in range(questions):
                api.send_text(mix[i % len(mix)], chat_id=10_000 + i % users)
            api.wait_for(lambda a: len(a.sent) >= questions, timeout=600)  # every answer fits one message here
            rate = questions / (time.perf_counter() - started)
            with open(f"/proc/{bot.pid}/status") as status:
                peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
    return rate, peak


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"


def verdict(ok: bool, note: str = "") -> str:
    return "met" if ok else f"**missed** {note}".strip()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="finding counts, comma-separated")
    parser.add_argument("--repeats", type=int, default=15, help="timed runs of each question")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark databases")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end Telegram measurement")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = os.getloadavg()[0]
    rows, results = [], {}
    for size in sizes:
        print(f"building {size:,} findings...", file=sys.stderr, flush=True)
        store, built = build(size, args.fresh)
        samples, per_question = time_answers(store, args.repeats)
        floor = time_floor(store, args.repeats)
        print(f"naive scan over {size:,} findings...", file=sys.stderr, flush=True)
        naive = time_naive(store)
        median, p95 = statistics.median(samples), percentile(samples, 0.95)
        results[size] = {"median": median, "p95": p95, "floor": floor, "naive": naive, "per_question": per_question,
                         "load_rate": built["findings"] / built["insert_s"], "index_s": built["index_s"]}
        with_index = built["findings"] / (built["insert_s"] + built["index_s"])
        rows.append(f"| {size:,} | {median:.1f} | {p95:.1f} | {floor:.1f} | {naive:,.0f} | {naive / median:,.0f}x | "
                    f"{results[size]['load_rate']:,.0f} | {built['index_s']:.1f} | {with_index:,.0f} |")
        store.engine.dispose()
    print("ingesting articles...", file=sys.stderr, flush=True)
    articles_per_second = ingest_rate()
    largest = max(sizes)
    e2e = None
    if not args.no_e2e:
        print("end to end through the bot, three runs...", file=sys.stderr, flush=True)
        runs = [end_to_end(OUT / f"bench-{largest}.db") for _ in range(3)]
        e2e = (statistics.median(r[0] for r in runs), max(r[1] for r in runs), [r[0] for r in runs])
    top = results[largest]
    small = results[min(sizes)]
    growth = top["median"] / small["median"]
    targets = [
        ("median answer at the largest size <= 10 ms", f"{top['median']:.1f} ms", verdict(top["median"] <= 10, f"by {top['median'] - 10:.1f} ms")),
        ("p95 answer at the largest size <= 30 ms", f"{top['p95']:.1f} ms", verdict(top["p95"] <= 30, f"by {top['p95'] - 30:.1f} ms")),
        (">= 100x faster than the naive rapidfuzz scan", f"{top['naive'] / top['median']:,.0f}x", verdict(top["naive"] / top["median"] >= 100)),
        ("<= 3x the bare FTS5 bm25 top-10 query", f"{top['median'] / top['floor']:.1f}x", verdict(top["median"] <= 3 * top["floor"], f"({top['median']:.1f} vs {top['floor']:.1f} ms)")),
        ("answer time grows < 10x from smallest to largest", f"{growth:.1f}x", verdict(growth < 10)),
        ("bulk load >= 50,000 findings/s", f"{top['load_rate']:,.0f}/s", verdict(top["load_rate"] >= 50_000)),
        ("article ingest >= 200 documents/s", f"{articles_per_second:,.0f}/s", verdict(articles_per_second >= 200)),
    ]
    if e2e:
        rate, peak, rates = e2e
        spread = ", ".join(f"{r:,.0f}" for r in rates)
        targets += [
            ("bot RSS serving the largest database <= 300 MB", f"{peak} MB", verdict(peak <= 300)),
            (">= 100 questions/s end to end (PTB + stand-in)", f"{rate:,.0f}/s (median of {spread})",
             verdict(rate >= 100, f"by {100 - rate:,.0f}/s: one bot process (one core at most, for Python) shares a loaded 2-core machine "
                                  "with the stand-in and other work; each answer still costs ~10 ms of CPU at 1M findings")),
        ]
    table = "\n".join([
        "| findings | median ms | p95 ms | bare FTS5 ms | naive scan ms | speed-up | bulk load findings/s | index build s | load + index findings/s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows,
    ])
    per_question = "\n".join(f"| {label} | {question} | " + " | ".join(f"{results[s]['per_question'][label]:.1f}" for s in sizes) + " |" for label, question in QUESTIONS)
    report = f"""# Benchmark results

Run on {dt.date.today().isoformat()} with `python -m bench --sizes {args.sizes}` on {machine()}.
Synthetic corpora (bench/corpus.py): ~45 organisations, 2014-2026, 10-60-word findings over real inspection topics,
20 findings per document; three forces (Norfolk, Wiltshire, Dorset) are left empty to time "no data" answers.
Answer time is question text -> Answer object (no Telegram I/O), over the mix below, {args.repeats} warm runs each.
Load average {load_before:.1f} before the run and {os.getloadavg()[0]:.1f} at the end (the bench's own end-to-end runs use both
cores): on a shared machine wall-clock figures vary by up to 2x between runs, so compare runs made together.

{table}

Targets at {largest:,} findings:

| target | measured | |
| --- | --- | --- |
""" + "\n".join(f"| {t} | {m} | {v} |" for t, m, v in targets) + f"""

Median ms per question:

| kind | question | {' | '.join(f'{s:,}' for s in sizes)} |
| --- | --- | {' | '.join('---:' for _ in sizes)} |
{per_question}
"""
    (ROOT / "bench" / "RESULTS.md").write_text(report + NOTES)
    print(report)
    return 0


NOTES = """
Notes:
- The naive baseline is `rapidfuzz.process.extract(question, every_finding_text, scorer=WRatio, limit=10)`, timed on
  three questions; it also returns worse answers (fuzzy windows, no organisation or date).
- Bulk load is executemany into SQLite with the search trigger off (`knowledge.state.search.search_index_paused`) and a 512 MB page
  cache (findings arrive in document order, so every index is written all over); the FTS5 index is then built once
  ("index build s"), and "load + index" counts both.
- Answers are faster than the bare bm25 query because they do not score every match with bm25 (70-97 ms at 1M for a
  common word): the index ranks by the question's weighted phrases instead, in one statement. The plain search reads
  the newest matches of every topic, and each phrase rarer than its topic's plainest words (used fewer than 5,000
  times, see knowledge/questions/selecting.py TELLING) is searched on its own beside it, so a finding that holds a
  rare word the user typed is found among any number of matches; the best candidates are then ranked again on their
  words. In this corpus every topic has about 50,000 matches and no rare words, so the mix measures the plain search
  at its widest. A force's topic is narrowed inside the index by an organisation token. The bm25 query is kept as
  the reference the issue asked for.
- What made answers at 1M cheaper (2026-11-27; CPU time per answer, A/B in one sitting, 0.63x over the nine
  questions): partial indexes for monitoring status and speakers (migration 0009; an overview no longer reads every
  finding of a force for its status), counts that read the (organisation, kind) index only over the kinds asked,
  a phrase's small words ("and", "of") as a NEAR distance in FTS5 as PostgreSQL drops them, longer synonyms that
  hold a shorter one dropped from an "any of" group, "which forces" excluding the few other organisations instead
  of naming forty, ids and count read in one pass across organisations, selection rows read as plain rows and
  id lists passed as one parameter.
- Article ingest runs seed-like plain-text articles through the real reader and parser, saved in batches of
  transactions as `inspection-bot ingest FOLDER` saves them (each document still all or nothing; bench/INGEST.md
  has one transaction per document too).
  HTML and PDF files are parsed in a bounded child process and are slower per document (a fork each).
- End to end: a real `inspection-bot run` process polls the local Bot API stand-in (testing/botapi.py) and answers
  questions from 40 users; the stand-in's HTTP and Telegram's own limits (about 30 messages/s per bot) are not the
  bot's: TELEGRAM_MAX_MESSAGES_PER_SECOND is raised for this run only.
"""

if __name__ == "__main__":
    raise SystemExit(main())
