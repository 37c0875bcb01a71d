"""Shared fixtures: real SQLite stores filled from the shipped corpus and the synthetic fixtures."""

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import Answer, Store, answer
from knowledge.models import Document

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
            assert c.document.published is not None, c
            assert c.document.source_path or c.document.url, c
            if c.organisation is not None:
                assert c.organisation.name and c.organisation.id in store.reference.organisations
    return result


def make_store(path: Path, *extra: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    assert all(r.status != "failed" for r in store.sync_corpus())
    for result in store.ingest_paths(extra):
        assert result.status == "added", result
    return store


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The knowledge base a new user gets: the shipped corpus only."""
    return make_store(tmp_path_factory.mktemp("seed") / "kb.db")


@pytest.fixture(scope="session")
def full_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The shipped corpus plus the synthetic fixture articles."""
    return make_store(tmp_path_factory.mktemp("full") / "kb.db", ARTICLES)


@pytest.fixture
def ask(full_store: Store) -> Callable[[str], Answer]:
    """Ask the full store a question; every citation is checked before the test sees it."""
    return lambda question: check_citations(full_store, answer(full_store, question))


@pytest.fixture
def ask_seed(seed_store: Store) -> Callable[[str], Answer]:
    """Ask the shipped knowledge base only; every citation is checked."""
    return lambda question: check_citations(seed_store, answer(seed_store, question))
