"""Shared fixtures: real SQLite stores filled from the shipped corpus and the synthetic fixtures."""

import html
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from knowledge import Answer, Store, answer
from knowledge.documents.parsing import ParsedDocument, Parser
from knowledge.ingest import ingest_paths, sync_corpus
from knowledge.matching import MentionFinder
from knowledge.models import Document
from knowledge.reference import load_reference
from testing.website import Website

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
NO_POSTGRES = "set TEST_DATABASE_URL=postgresql+psycopg://USER@HOST:5432/DB to run them too"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES))]


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database: an SQLite file, or a PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'kb.db'}"
        return
    name = f"ib_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new empty database for one test, on each backend."""
    with fresh_database(request.param, tmp_path) as url:
        yield url

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"


def check_citations(store: Store, result: Answer) -> Answer:
    """The product's promise, checked on every answer a test sees: each quote is an exact slice of its
    stored document, and names an organisation (or says there is none), a source and a date."""
    with store.session() as session:
        for c in result.citations:
            document = session.get(Document, c.document.id)
            assert document is not None, c
            assert document.text[c.start : c.end] == c.quote, c
            assert c.quote.strip() == c.quote and c.quote, c
            assert c.document.label, c
            # a date, unless the document gives none (the reader is then told "date unknown", never a guessed one)
            assert c.document.published == document.published, c
            assert c.document.source_path or c.document.url, c
            if c.organisation is not None:
                assert c.organisation.name and c.organisation.id in store.reference.organisations
    return result


def store_of(tmp_path: Path, files: dict[str, str]) -> Store:
    """A store (SQLite file in tmp_path) holding these documents of ours, each added."""
    for name, text_ in files.items():
        (tmp_path / name).write_text(text_, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [tmp_path / name for name in files])] == ["added"] * len(files)
    return store


def make_store(url: str | Path, *extra: Path) -> Store:
    """A store at `url` (or an SQLite file at a path) with the shipped corpus and `extra` ingested."""
    store = Store(url if isinstance(url, str) else f"sqlite:///{url}")
    assert all(r.status != "failed" for r in sync_corpus(store))
    for result in ingest_paths(store, extra):
        assert result.status == "added", result
    return store


# -- every announcement any test makes the bot send reads cleanly ---------------------------------------------

ANNOUNCEMENT = re.compile(r"New document")
SLIPS = re.compile(r"\b(?:the|a|an) (?:The|A|An)\b|\.\s+of\b|[^.]\.\.(?!\.)|  |\s[,.;:]")
announcements_read = [0]


def check_announcement(message: dict) -> None:
    """An announcement is clean sentences (no "the The Chief Constable", no "...by a watchdog. of 11 March 2024"),
    and copies cleanly: each quote on a line of its own, under its number and kind on a line of their own."""
    text, lines = message["text"], message["text"].splitlines()
    assert lines[0].startswith("New document: ") and not SLIPS.search(lines[0].rstrip(".")), lines[0]
    assert re.fullmatch(r"(?:About [^:\n]+: .+|A new document mentions .+)\.", lines[2]) and not SLIPS.search(lines[2]), lines[2]
    quotes = [html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", message["html"], re.S)]
    for number, quote in enumerate(quotes, start=1):
        assert quote in lines, (quote, text)  # the quote is a line of its own when the message is copied
        assert re.fullmatch(rf"{number}\. \S.*", lines[lines.index(quote) - 1]), text  # under its number and kind
    announcements_read[0] += 1


@pytest.fixture(autouse=True)
def announcements_read_cleanly() -> Iterator[None]:
    """After each test, every announcement the bot sent to any stand-in Bot API (stress, sync, the bot's tests)."""
    from testing.botapi import BotAPI

    BotAPI.opened.clear()
    yield
    sent = [m for api in BotAPI.opened for m in list(api.sent) if m.get("html") and ANNOUNCEMENT.match(m["text"])]
    BotAPI.opened.clear()
    for message in sent:
        check_announcement(message)


# -- the summary at the end of `make test` --------------------------------------------------------------------


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skipped tests summed up by reason, one line each (the PostgreSQL variants in one), and how many
    announcements were read; no paths."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reason = "PostgreSQL variants: " + NO_POSTGRES if "TEST_DATABASE_URL" in reason else reason
        reasons[reason] = reasons.get(reason, 0) + 1
    if reasons or announcements_read[0]:
        terminalreporter.section("summary", sep="-")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        terminalreporter.line(f"{count} skipped \u2014 {reason}")
    if announcements_read[0]:
        terminalreporter.line(f"{announcements_read[0]} announcement(s) sent in these tests, each read: clean sentences, quotes on lines of their own")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def seed_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The knowledge base a new user gets: the shipped corpus only."""
    with fresh_database(backend, tmp_path_factory.mktemp("seed")) as url:
        store = make_store(url)
        yield store
        store.engine.dispose()


@pytest.fixture(scope="session")
def full_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The shipped corpus plus the synthetic fixture articles."""
    with fresh_database(backend, tmp_path_factory.mktemp("full")) as url:
        store = make_store(url, ARTICLES)
        yield store
        store.engine.dispose()


@pytest.fixture
def ask(full_store: Store) -> Callable[[str], Answer]:
    """Ask the full store a question; every citation is checked before the test sees it."""
    return lambda question: check_citations(full_store, answer(full_store, question))


@pytest.fixture
def ask_seed(seed_store: Store) -> Callable[[str], Answer]:
    """Ask the shipped knowledge base only; every citation is checked."""
    return lambda question: check_citations(seed_store, answer(seed_store, question))


@pytest.fixture(scope="session")
def fixture_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The shipped corpus and every fixture document (articles, formats, layouts): the question set's store."""
    from eval.questions import fill

    with fresh_database(backend, tmp_path_factory.mktemp("fixtures")) as url:
        store = Store(url)
        fill(store)
        yield store
        store.engine.dispose()


@pytest.fixture
def converse(fixture_store: Store) -> Callable[..., Answer]:
    """Ask the fixture store as one chat (pass chat=N to keep a conversation); every citation is checked."""
    import datetime as dt

    from knowledge.questions.answering import Answerer

    def ask(question: str, chat: int | None = None) -> Answer:
        result = Answerer(fixture_store, today=dt.date(2026, 11, 26)).answer(question, chat_id=chat)
        return check_citations(fixture_store, result)

    return ask


def timed(call: Callable[[], object], limit: float) -> tuple[object, float]:
    """What call() returned or raised, and the seconds it took; fails when it is still running after `limit`."""
    box: dict = {}

    def run() -> None:
        start = time.monotonic()
        try:
            box["outcome"] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at it
            box["outcome"] = error
        box["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert "seconds" in box, f"still running after {limit} s"
    return box["outcome"], box["seconds"]


@pytest.fixture
def site() -> Iterator[Website]:
    """The synthetic inspectorate's web site on 127.0.0.1, for one test."""
    with Website() as website:
        yield website


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store on each backend, for one test (a test file may define its own)."""
    with fresh_database(request.param, tmp_path) as url:
        store = Store(url)
        yield store
        store.engine.dispose()


@pytest.fixture(scope="module")
def parser() -> Parser:
    """The document parser over the shipped reference data (no database)."""
    return Parser(MentionFinder(load_reference()))


def parse(parser: Parser, text: str) -> tuple[ParsedDocument, dict]:
    """Parse a page written for a test (its last line says so): the parsed document, and its findings by their text."""
    text += "\n(synthetic test document, written by us)\n"
    parsed = parser.parse(text)
    return parsed, {text[f.start : f.end]: f for f in parsed.findings}

