"""Storage: verbatim spans, idempotent and all-or-nothing ingest, the corpus, and indexes that fit the questions."""

import re
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlmodel import func, select

from knowledge import Store
from knowledge.ingest import ingest_paths, sync_corpus
from knowledge.models import Document, Finding, Grade
from knowledge.state import chats, search
from knowledge.state import store as storage
from tests.conftest import ARTICLES, ROOT, make_store


def test_every_stored_finding_is_the_exact_slice_of_its_document(full_store: Store):
    with full_store.session() as session:
        documents = {d.id: d for d in session.exec(select(Document)).all()}
        findings = session.exec(select(Finding)).all()
    assert len(documents) == 5 and len(findings) > 20
    for f in findings:
        assert documents[f.document_id].text[f.start : f.end] == f.text
        assert f.published == documents[f.document_id].published


def test_reingesting_the_same_file_changes_nothing(database_url: str):
    store = make_store(database_url, ARTICLES)
    with store.session() as session:
        before = session.exec(select(func.count()).select_from(Finding)).one()
    results = list(ingest_paths(store, [ARTICLES, ROOT / "knowledge" / "corpus"]))
    assert {r.status for r in results} == {"present"}
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Finding)).one() == before


def test_a_failure_during_ingest_leaves_nothing_behind(database_url: str):
    store = make_store(database_url)
    with store.engine.begin() as conn:  # a real database error half-way through the findings
        if store.is_sqlite:
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON finding WHEN new.text LIKE '%101 calls%' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.text LIKE '%101 calls%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON finding FOR EACH ROW EXECUTE FUNCTION refuse()"))
    with store.session() as session:
        documents = session.exec(select(func.count()).select_from(Document)).one()
        findings = session.exec(select(func.count()).select_from(Finding)).one()
    [result] = ingest_paths(store, [ARTICLES / "gmp_2024.txt"])
    assert result.status == "failed" and "refused" in result.reason
    with store.session() as session:
        assert session.exec(select(func.count()).select_from(Document)).one() == documents
        assert session.exec(select(func.count()).select_from(Finding)).one() == findings
        assert session.exec(select(func.count()).select_from(Grade)).one() == 0
    with store.reading() as session:
        assert search.search(session, ["vetting"]).ids == []
    # The other documents of the same run still go in.
    results = list(ingest_paths(store, [ARTICLES / "thames_valley_2022.txt"]))
    assert results[0].status == "added"


def test_documents_ingested_together_are_each_all_or_nothing(tmp_path: Path, database_url: str):
    # A folder is saved in batches, several documents a transaction: one refused half-way leaves none of its rows,
    # words or search entries, and the documents before and after it in the same batch are stored whole.
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("devon_somerset_fire_2023.txt", "gmp_2024.txt", "thames_valley_2022.txt"):
        shutil.copy(ARTICLES / name, folder / name)
    store = make_store(database_url)
    with store.engine.begin() as conn:
        if store.is_sqlite:
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON finding WHEN new.text LIKE '%101 calls%' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            conn.execute(text("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.text LIKE '%101 calls%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON finding FOR EACH ROW EXECUTE FUNCTION refuse()"))
    vocabulary_before = dict(store.vocabulary)
    with store.session() as session:
        corpus = set(session.exec(select(Document.id)).all())
    results = list(ingest_paths(store, [folder]))
    assert [(Path(r.path).name, r.status) for r in results] == [
        ("devon_somerset_fire_2023.txt", "added"), ("gmp_2024.txt", "failed"), ("thames_valley_2022.txt", "added")]
    assert "refused" in results[1].reason
    with store.session() as session:
        paths = set(session.exec(select(Document.source_path)).all())
        assert not any(p and p.endswith("gmp_2024.txt") for p in paths)
        stored = {f.document_id for f in session.exec(select(Finding)).all()}
        assert stored - corpus == {results[0].document_id, results[2].document_id}
        assert session.exec(select(func.count()).select_from(Grade).where(Grade.organisation_id == "greater-manchester")).one() == 0
    with store.reading() as session:
        assert search.search(session, ["vetting"], ["greater-manchester"], counts=store.finding_counts).ids == []
        assert search.search(session, ["fire"], ["devon-and-somerset-fire"], counts=store.finding_counts).ids
    def words_of(*names: str) -> set[str]:
        return {w.lower() for n in names for w in re.findall(r"[^\W\d_]{3,}", (ARTICLES / n).read_text())}

    only_gmp = words_of("gmp_2024.txt") - words_of("devon_somerset_fire_2023.txt", "thames_valley_2022.txt")
    assert only_gmp
    words = store.vocabulary
    assert not any(w in words and w not in vocabulary_before for w in only_gmp)  # the refused document's words are not counted
    assert sum(words.values()) > sum(vocabulary_before.values())


def test_broken_files_fail_with_a_reason_and_the_rest_are_ingested(tmp_path: Path, database_url: str):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(b"synthetic test document" + bytes(range(32)) * 50)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\nsynthetic test document")
    shutil.copy(ARTICLES / "national_2025.txt", folder / "sub" / "national.txt")
    store = Store(database_url)
    results = {Path(r.path).name: r for r in ingest_paths(store, [folder])}
    assert results["national.txt"].status == "added"
    for name in ("empty.txt", "junk.txt", "image.txt"):
        assert results[name].status == "failed" and results[name].reason
    with store.reading() as session:
        assert len(storage.documents(session)) == 1


def test_new_corpus_files_are_picked_up_and_old_ones_skipped(tmp_path: Path, database_url: str):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "knowledge" / "corpus" / "000_0a597a7e525f5e3e.txt", corpus)
    store = Store(database_url)
    assert [r.status for r in sync_corpus(store, corpus)] == ["added"]
    shutil.copy(ARTICLES / "gmp_2024.txt", corpus)
    assert sorted(r.status for r in sync_corpus(store, corpus)) == ["added", "present"]
    assert [r.status for r in sync_corpus(store, corpus)] == ["present", "present"]


def test_a_reopened_store_keeps_its_documents(database_url: str):
    make_store(database_url, ARTICLES).engine.dispose()
    again = Store(database_url)
    with again.reading() as session:
        newest_first = storage.documents(session)
    assert len(newest_first) == 5
    assert [d.published.isoformat() for d in newest_first][:2] == ["2025-02-11", "2024-05-16"]


def test_questions_use_the_indexes_not_a_scan(full_store: Store):
    if not full_store.is_sqlite:
        with full_store.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))  # a few rows: make the planner show its index choice
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN SELECT id FROM finding WHERE organisation_id = 'cambridgeshire' ORDER BY published DESC")))
            assert "ix_finding_org_published" in plan
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN SELECT id FROM finding WHERE search @@ to_tsquery('english', 'offenders')")))
            assert "ix_finding_search" in plan
        return
    with full_store.engine.connect() as conn:
        plan = " ".join(str(r) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT id FROM finding WHERE organisation_id = 'cambridgeshire' ORDER BY published DESC"
        )))
        assert "ix_finding_org_published" in plan
        plan = " ".join(str(r) for r in conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT f.id FROM finding_fts JOIN finding f ON f.id = finding_fts.rowid WHERE finding_fts MATCH 'offenders'"
        )))
        assert "VIRTUAL TABLE INDEX" in plan and "SEARCH f USING INTEGER PRIMARY KEY" in plan


def test_grades_are_stored_with_their_area(full_store: Store):
    with full_store.session() as session:
        grades = session.exec(select(Grade)).all()
    assert [(g.organisation_id, g.area, g.grade) for g in grades] == [("greater-manchester", "responding to the public", "inadequate")]


def test_follows_are_kept_per_chat_and_forgotten_on_request(database_url: str):
    store = Store(database_url)
    with store.writing() as session:
        assert chats.follow(session, -1001234567890, "kent")  # supergroup ids need 64 bits
        assert chats.follow(session, 1, "cambridgeshire") and not chats.follow(session, 1, "cambridgeshire")
        chats.follow(session, 1, "kent")
        chats.follow(session, 2, "kent")
    with store.reading() as session:
        assert chats.following(session, 1) == ["cambridgeshire", "kent"]
        assert chats.followers(session, ["kent"]) == {-1001234567890: ["kent"], 1: ["kent"], 2: ["kent"]}
    with store.writing() as session:
        assert chats.unfollow(session, 1, "kent") == 1 and chats.following(session, 1) == ["cambridgeshire"]
        assert chats.forget(session, 1) == 1 and chats.following(session, 1) == [] and chats.following(session, 2) == ["kent"]


def test_question_quotas_are_shared_through_the_database(database_url: str):
    import datetime as dt

    one, two = Store(database_url), Store(database_url)  # two workers

    def take(store: Store, user: int, when: dt.datetime) -> int:
        return store.write(lambda session: chats.take_quota(session, user, when))

    now = dt.datetime(2026, 11, 26, 12, 0, 0)
    assert [take(one, 7, now), take(two, 7, now), take(one, 7, now)] == [1, 2, 3]
    assert take(two, 7, now + dt.timedelta(seconds=30)) == 4
    assert take(one, 7, now + dt.timedelta(seconds=61)) == 1  # a new minute
    assert take(one, 8, now) == 1


def test_the_schema_upgrades_without_losing_data(database_url: str):
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from knowledge.state.database import MIGRATIONS, make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine, "0001")  # the schema of the first release
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (id, name, kind, inspected) VALUES ('kent', 'Kent Police', 'police', true)"))
        conn.execute(text("INSERT INTO document (id, doc_type, text, content_hash, ingested_at, subject_id) "
                          "VALUES (1, 'article', 'Kent Police must improve its call handling.', 'h1', '2026-01-01 00:00:00', 'kent')"))
        conn.execute(text("INSERT INTO finding (document_id, organisation_id, kind, polarity, text, start, \"end\") "
                          "VALUES (1, 'kent', 'area_for_improvement', 'negative', 'Kent Police must improve its call handling.', 0, 43)"))
    store = Store(engine)  # opening the store upgrades to the newest schema
    assert {"label", "cause_id", "deadline", "status", "speech"} <= {c["name"] for c in inspect(engine).get_columns("finding")}
    assert "button" not in inspect(engine).get_table_names()  # 0005: the bot keeps no question text
    with store.reading() as session:
        assert search.search(session, ["call", "handling"]).total == 1
        assert storage.has_findings(session, ["kent"]) == {"kent"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT rank FROM document WHERE id = 1")).scalar() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_bulk_loaded_findings_are_searchable_and_big_topics_say_they_are_sampled(database_url: str):
    from bench.corpus import bulk_load
    from knowledge import answer
    from tests.conftest import check_citations

    store = Store(database_url)
    loaded = bulk_load(store, 6000)
    assert loaded.findings == 6000
    wide = check_citations(store, answer(store, "stop and search"))
    assert "findings mention \u201cstop and search\u201d" in wide.summary and "Showing the most relevant first" in wide.summary
    assert len(wide.citations) == 6 and wide.more > 0
    narrow = check_citations(store, answer(store, "Kent stop and search"))
    assert narrow.citations and {c.organisation.id for c in narrow.citations} == {"kent"}
    assert "Showing the most relevant" not in narrow.summary  # a few dozen: every one was counted


def test_a_database_made_before_migrations_is_brought_up_to_date(database_url: str):
    from sqlalchemy import inspect

    from knowledge.state.database import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:  # as create_all left it: no migration record, a follow table already made
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("CREATE TABLE follow (chat_id BIGINT NOT NULL, organisation_id VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, PRIMARY KEY (chat_id, organisation_id))"))
        conn.execute(text("ALTER TABLE finding ADD COLUMN status VARCHAR"))
    store = Store(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"follow", "quota"} <= tables and "button" not in tables
    with store.writing() as session:
        assert chats.take_quota(session, 1) == 1 and chats.follow(session, 1, "kent")


def test_a_migration_that_fails_changes_nothing(tmp_path: Path):
    from sqlalchemy import inspect

    from knowledge.state.database import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    upgrade(engine, "0002")
    with engine.begin() as conn:  # 0003 will succeed, then 0004 trips over this
        conn.execute(text("DROP TABLE finding_fts"))
        conn.execute(text("CREATE VIEW finding_fts AS SELECT id FROM finding"))
    try:
        upgrade(engine)
    except Exception:  # noqa: BLE001 - the failure is the point
        pass
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    assert "ix_finding_org_kind" not in {i["name"] for i in inspect(engine).get_indexes("finding")}  # 0003 undone too


def test_a_write_that_read_first_waits_for_another_workers_commit_instead_of_failing(tmp_path: Path):
    import threading

    from knowledge.models import Meta

    url = f"sqlite:///{tmp_path / 'kb.db'}"
    one, two = Store(url), Store(url)  # two processes' worth of connections on one file
    other_done = threading.Event()
    with one.session(write=True) as session:
        assert session.get(Meta, "reference") is not None  # read first, as ingest and load_reference_data do
        other = threading.Thread(target=lambda: (two.write(lambda s: chats.follow(s, 5, "kent")), other_done.set()))
        other.start()
        assert not other_done.wait(0.3)  # the other worker's write waits for ours...
        session.merge(Meta(key="note", value="written after reading"))
        session.commit()  # ...so ours is not refused with "database is locked"
    other.join(timeout=30)
    with two.reading() as session:
        assert other_done.is_set() and chats.following(session, 5) == ["kent"]


def test_forget_deletes_every_row_kept_about_a_chat_and_its_user(database_url: str):
    import datetime as dt

    from knowledge.models import ChatContext, Quota

    store = Store(database_url)
    now = dt.datetime.now(dt.UTC)
    with store.writing() as session:
        chats.follow(session, -100777, "kent")
        chats.follow(session, -100888, "kent")
        chats.take_quota(session, 31)
        chats.take_quota(session, 32)
        session.add_all([ChatContext(chat_id=-100777, organisations="kent", updated_at=now), ChatContext(chat_id=-100888, updated_at=now)])
    with store.writing() as session:
        assert chats.forget(session, -100777, 31) == 1
    with store.reading() as session:
        assert session.exec(select(ChatContext.chat_id)).all() == [-100888]
        assert session.exec(select(Quota.user_id)).all() == [32]
        assert chats.following(session, -100888) == ["kent"]
    with store.writing() as session:
        assert chats.forget(session, None, 32) == 0 and chats.following(session, -100888) == ["kent"]  # a user alone: only their own rows
    with store.reading() as session:
        assert session.exec(select(Quota.user_id)).all() == []


def test_old_question_counts_and_chat_contexts_are_pruned(database_url: str):
    import datetime as dt

    from knowledge.models import ChatContext, Quota

    store = Store(database_url)
    now = dt.datetime(2026, 11, 26, 12, 0, 0, tzinfo=dt.UTC)
    with store.writing() as session:
        chats.take_quota(session, 1, now - dt.timedelta(minutes=5))
        chats.take_quota(session, 2, now - dt.timedelta(seconds=20))
        session.add_all([ChatContext(chat_id=1, updated_at=now - dt.timedelta(minutes=31)), ChatContext(chat_id=2, updated_at=now - dt.timedelta(minutes=29))])
    with store.writing() as session:
        assert chats.prune(session, now) == 2
    with store.reading() as session:
        assert session.exec(select(Quota.user_id)).all() == [2]
        assert session.exec(select(ChatContext.chat_id)).all() == [2]


GROUND_FLOOR = """
import importlib.abc, importlib.util, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "knowledge.ingest" or name.split(".")[:2] in (["knowledge", "documents"], ["knowledge", "questions"], ["knowledge", "web"]):
            raise ImportError(f"the store imported {name}")

sys.meta_path.insert(0, Refuse())
spec = importlib.util.spec_from_file_location("knowledge", "knowledge/__init__.py", submodule_search_locations=["knowledge"])
sys.modules["knowledge"] = importlib.util.module_from_spec(spec)  # not run: knowledge/__init__.py imports every stage
from knowledge.state import chats, database, outbox, search, store
opened = store.Store("sqlite://")
with opened.reading() as session:
    print(store.document_count(session), search.select(session, search.FindingQuery()).total, chats.following(session, 1), outbox.pending_announcements(session))
"""


def test_the_store_is_the_ground_floor_and_works_without_reading_parsing_ingest_questions_or_the_web():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", GROUND_FLOOR], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "0", "[]", "0"]
