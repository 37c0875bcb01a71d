"""The `inspection-bot` command as a user and another program use it (real subprocesses, real SQLite)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge import Store
from knowledge.models import Document
from tests.conftest import ARTICLES, NO_POSTGRES, ROOT, TEST_DATABASE_URL, fresh_database


def run(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full_env, input=stdin, cwd=ROOT, timeout=60)


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'kb.db'}"


def check_json_citations(db: str, obj: dict) -> None:
    """Each JSON citation is a verbatim quote of its stored document, with organisation, source and date."""
    store = Store(db)
    with store.session() as session:
        for c in obj["citations"]:
            document = session.get(Document, c["document"]["id"])
            assert c["quote"] in document.text
            assert c["document"]["published"] and (c["document"]["title"] or c["document"]["publisher"] or document.section)
            assert c["document"]["source_path"] or c["document"]["url"]


def test_first_use_fills_the_default_database_from_the_shipped_corpus(tmp_path: Path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    first = run("ask", "what must Cambridgeshire improve?", env=env)
    assert first.returncode == 0, first.stderr
    assert "Loaded 1 shipped document" in first.stderr
    assert (tmp_path / "data" / "inspection-bot" / "knowledge.db").exists()
    assert "a more consistent approach to risk assessments when children are involved in domestic abuse cases" in first.stdout
    assert "22 December 2021" in first.stdout
    # The bullets are read after their lead-in, cut to the clause that gives them their meaning.
    assert "After \u201c\u2026the force still needs to make some improvements, including:\u201d" in first.stdout
    assert "which was published on Wednesday" not in first.stdout
    assert "corpus/" not in first.stdout  # a local file path is for programs (the JSON's source_path), not readers
    assert first.stdout.count("22 December 2021") == 1  # one document: its header once, not under every quote
    assert "newsletter" not in first.stdout
    second = run("ask", "what must Cambridgeshire improve?", env=env)
    assert "Loaded" not in second.stderr and second.stdout == first.stdout


def test_database_url_and_db_option_choose_the_database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    assert run("sources", env={"DATABASE_URL": url}).returncode == 0
    assert (tmp_path / "env.db").exists()
    assert run("--db", f"sqlite:///{tmp_path / 'opt.db'}", "sources").returncode == 0
    assert run("sources", "--db", f"sqlite:///{tmp_path / 'after.db'}").returncode == 0
    assert (tmp_path / "opt.db").exists() and (tmp_path / "after.db").exists()


def test_ask_json_prints_one_object_with_the_documented_fields(db: str):
    result = run("--db", db, "ask", "--json", "Peterborough police sex offenders")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert set(obj) == {"question", "intent", "organisations", "answer", "overview", "citations", "documents", "suggestions", "progress"}
    assert obj["progress"] is None  # a timeline only when a question asks whether a concern was fixed (tests/test_progress.py)
    assert obj["organisations"] == [{"id": "cambridgeshire", "name": "Cambridgeshire Constabulary", "kind": "police"}]
    [citation] = obj["citations"]
    assert citation["quote"] == "more consistency in the way officers manage lower-risk registered sex offenders"
    assert citation["kind"] == "area_for_improvement" and citation["label"] == "Area for improvement"
    assert citation["organisation"] == {"id": "cambridgeshire", "name": "Cambridgeshire Constabulary"}
    assert citation["speaker"] is None
    assert citation["document"]["published"] == "2021-12-22"
    assert citation["document"]["source_path"] == "corpus/000_0a597a7e525f5e3e.txt"
    assert set(citation["document"]) == {"id", "title", "publisher", "published", "url", "source_path"}
    assert citation["quote"] in obj["answer"]
    assert "corpus/" not in obj["answer"]
    [document] = obj["documents"]  # the same citations grouped by document, each document once
    assert document["quotes"] == [citation["finding_id"]] and document["source_path"] == "corpus/000_0a597a7e525f5e3e.txt"
    check_json_citations(db, obj)


def test_ask_json_from_stdin_answers_line_by_line_as_a_pipe(db: str):
    run("--db", db, "sources")  # create and fill the database first
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", db, "ask", "--json", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        answers = []
        for question in ("what must Cambridgeshire improve?", "Swindon police", "what did the inspector say about cambs"):
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
            answers.append(json.loads(proc.stdout.readline()))  # arrives before the next question is sent
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    assert [a["question"] for a in answers] == ["what must Cambridgeshire improve?", "Swindon police", "what did the inspector say about cambs"]
    assert [a["intent"] for a in answers] == ["improve", "overview", "statements"]
    assert "I have no inspection findings for Wiltshire Police yet." in answers[1]["answer"]
    assert {c["speaker"] for c in answers[2]["citations"] if c["kind"] == "statement"} == {"Roy Wilsher"}  # then the inspectorate's findings
    for a in answers:
        check_json_citations(db, a)


def test_ingest_reports_each_document_and_a_summary(db: str, tmp_path: Path):
    result = run("--db", db, "ingest", str(ARTICLES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("added ") == 4
    assert "Documents: 4 added, 0 already present, 0 failed." in result.stdout
    again = run("--db", db, "ingest", str(ARTICLES / "gmp_2024.txt"))
    assert again.returncode == 0 and "0 added, 1 already present, 0 failed" in again.stdout


def test_ingest_exits_non_zero_when_a_document_fails_but_keeps_the_others(db: str, tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run("--db", db, "ingest", str(bad), str(ARTICLES / "national_2025.txt"), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "failed   " + str(bad) + ": the file is empty" in result.stdout
    assert "1 added, 0 already present, 2 failed" in result.stdout
    # A document with no headline is listed by its first sentence, not by its section label (issue 9).
    assert "A national inspection of how police forces in England and Wales" in run("--db", db, "sources").stdout


def test_organisations_and_sources_list_what_is_known(db: str):
    orgs = run("--db", db, "organisations").stdout
    assert "cambridgeshire" in orgs and "Cambridgeshire Constabulary" in orgs
    assert "not inspected by HMICFRS" in orgs
    assert len(orgs.splitlines()) == 94
    sources = run("--db", db, "sources").stdout
    assert "2021-12-22" in sources and "Cambridgeshire Constabulary" in sources and "corpus/000_0a597a7e525f5e3e.txt" in sources


def test_a_long_answer_is_paged_with_page_and_says_how(db: str):
    first = run("--db", db, "ask", "Cambridgeshire police").stdout
    assert "more not shown; ask again with --page 2 to see them" in first
    assert "\n7. " not in first
    second = run("--db", db, "ask", "Cambridgeshire police", "--page", "2").stdout
    assert "\n7. " in second and "\n1. " not in second  # numbered on from the first page, as the bot's "More" is
    assert "there are not enough qualified investigators for child protection investigations" in second
    quotes = lambda text: {line for line in text.splitlines() if line.startswith("\u201c")}  # noqa: E731
    assert quotes(second) and not quotes(first) & quotes(second)  # the next findings, not the same again
    assert "more not shown" not in second


def test_hostile_questions_get_a_polite_answer(db: str):
    for question in ("", "\x1b[31m\x07", "<script>alert(1)</script>", "x" * 5000, "\U0001f600" * 100):
        result = run("--db", db, "ask", question)
        assert result.returncode == 0, result.stderr
        assert "I answer questions about HMICFRS inspections" in result.stdout
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES)
def test_the_database_password_is_never_printed(tmp_path: Path):
    from sqlalchemy.engine import make_url

    with fresh_database("postgresql", tmp_path) as url:
        with_password = make_url(url).set(password="pw-sekrit-4711").render_as_string(hide_password=False)  # trust auth ignores it
        first = run("sources", env={"DATABASE_URL": with_password})
        assert first.returncode == 0, first.stderr
        assert "Loaded 1 shipped document(s) into postgresql+psycopg://" in first.stderr and ":***@" in first.stderr
        assert "pw-sekrit-4711" not in first.stderr + first.stdout


def test_uncaught_exceptions_are_printed_without_secrets():
    code = ("from bot.cli import main; import sys; sys.argv[1:] = []; from bot.logs import install_excepthooks, add_secrets\n"
            "install_excepthooks(); add_secrets(['webhook-secret-value'])\n"
            "raise RuntimeError('postgresql://u:pw-sekrit@h/db 123456789:TESTtokenABCDEFGHIJKLMNOPQRSTUVWXYZ_-0 webhook-secret-value')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "RuntimeError" in result.stderr and "Traceback" in result.stderr
    for secret in ("pw-sekrit", "TESTtokenABCDEFGHIJKLMNOPQRSTUVWXYZ_-0", "webhook-secret-value"):
        assert secret not in result.stderr


def test_file_names_are_printed_with_control_characters_escaped(db: str, tmp_path: Path):
    (tmp_path / "x.txt\nadded    ").mkdir()
    forged = tmp_path / "x.txt\nadded    " / "etc: 99 findings"
    forged.write_bytes((ARTICLES / "gmp_2024.txt").read_bytes())
    result = run("--db", db, "ingest", str(forged))
    assert result.returncode == 0, result.stderr
    assert "x.txt\\nadded    /etc: 99 findings" in result.stdout
    assert not any(line.startswith("added    /etc") for line in result.stdout.splitlines())
    assert "\\n" in run("--db", db, "sources").stdout


def test_a_database_that_cannot_be_opened_is_one_line_without_its_password():
    for url in ("postgresql+psycopg://reader:pw-sekrit-99@127.0.0.1:1/kb", "nosuchdb://x", "not a url"):
        result = run("--db", url, "sources")
        assert result.returncode == 2 and "inspection-bot: cannot open the database" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "pw-sekrit-99" not in result.stderr


def test_the_readme_shows_the_answer_make_run_prints(db: str):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("```text\n", 1)[1].split("```", 1)[0]
    result = run("--db", db, "ask", "what must Cambridgeshire improve?")
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_the_readme_shows_the_cite_text_the_bot_pastes_for_that_answers_first_quote(db: str):
    from bot.render import cite_text
    from knowledge import answer
    from knowledge.ingest import sync_corpus

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split('"Cite 1" sends:\n\n```text\n', 1)[1].split("```", 1)[0]
    store = Store(db)
    sync_corpus(store)
    first = answer(store, "what must Cambridgeshire improve?").citations[0]
    assert shown == cite_text(first) + "\n"


def test_control_characters_from_a_document_never_reach_the_terminal_raw(db: str, tmp_path: Path):
    import re

    hostile = ("date 2026-01-05 Police news\nSynthetic test document: Kent Police told to improve \x1b[31mred\x1b[0m calls.\n\n"
               "Inspectors from HMICFRS found that Kent Police must improve how quickly it answers \x1b]0;title\x07 calls \u009b2J and \u202egnorw\u202c.\n")
    (tmp_path / "kent.txt").write_text(hostile, encoding="utf-8")
    raw = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    ingested = run("--db", db, "ingest", str(tmp_path / "kent.txt"))
    text = run("--db", db, "ask", "what must Kent improve?")
    as_json = run("--db", db, "ask", "--json", "what must Kent improve?")
    listed = run("--db", db, "sources")
    for result in (ingested, text, as_json, listed):
        assert result.returncode == 0, result.stderr
        assert not raw.search(result.stdout), repr(raw.search(result.stdout))
    assert "\\x1b]0;title\\x07 calls \\x9b2J and \\u202egnorw\\u202c." in text.stdout  # shown, escaped
    quotes = [c["quote"] for c in json.loads(as_json.stdout)["citations"]]
    assert any("\x1b]0;title\x07 calls \u009b2J" in q for q in quotes)  # programs still get the exact text
    check_json_citations(db, json.loads(as_json.stdout))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_the_sync_command_stops_within_a_second_of_ctrl_c_or_sigterm_however_slow_the_server(db: str, sig: int):
    from testing.website import Route, Website, feed, wait_until

    with Website() as site:
        site.routes["/publication/silent/"] = Route(b"<html><body><p>synthetic test document</p></body></html>", hang=300)
        site.routes["/news/feed.xml"] = Route(feed([(site.url("/publication/silent/"), "silent")]), "application/rss+xml")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("SYNC_")}
        env |= {"SYNC_CONTACT_URL": "https://example.test/contact", "SYNC_ALLOW_PRIVATE_ADDRESSES": "true", "SYNC_DELAY_SECONDS": "0"}
        proc = subprocess.Popen([sys.executable, "-m", "bot", "--db", db, "sync", site.url("/news/feed.xml")], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_until(lambda: any(h.path == "/publication/silent/" for h in site.hits), timeout=60)
            time.sleep(0.5)
            sent = time.monotonic()
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            proc.kill()
    assert proc.returncode == 130 and took < 2, (proc.returncode, took, err)
    assert "stopping the sync" in err and "Traceback" not in err
    assert "failed    " in out and "stopped" in out and "Sync: 0 added, 0 unchanged, 1 failed." in out


REPORTED = """ date 2024-03-14 Police news (synthetic test document)

Northamptonshire Police must improve how it answers emergency calls, inspectors have found.

HM Inspector of Constabulary Tamsin Harlowe said: "Too many callers still wait too long for an answer."

Ms Harlowe said the force had been slow to recruit call handlers after the last inspection.
"""


def test_reported_speech_is_credited_to_the_publisher_and_only_quoted_words_to_the_speaker(db: str, tmp_path: Path):
    """Issue 19: 'he said the force had ...' is the publisher's account, not the inspector's words."""
    (tmp_path / "northshire.txt").write_text(REPORTED, encoding="utf-8")
    assert run("--db", db, "ingest", str(tmp_path / "northshire.txt")).returncode == 0
    result = run("--db", db, "ask", "--json", "what did Harlowe say about northamptonshire police")
    assert result.returncode == 0, result.stderr
    said = {c["quote"]: c for c in json.loads(result.stdout)["citations"] if c["speaker"] == "Tamsin Harlowe"}
    direct = said["Too many callers still wait too long for an answer."]
    reported = next(c for quote, c in said.items() if quote.startswith("Ms Harlowe said the force had been slow"))
    assert direct["speech"] == "direct" and direct["label"] == "Statement by Tamsin Harlowe, HM Inspector of Constabulary"
    assert reported["speech"] == "reported" and reported["label"].endswith("in the document's words")

