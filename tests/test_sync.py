"""Syncing from the web: a synthetic inspectorate site on 127.0.0.1, the real client, real parsing, a real store."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from knowledge import Store, answer
from knowledge.models import Announcement, Document, Finding, SyncPage
from knowledge.state import chats, outbox
from knowledge.web.addresses import blocked_address, site_of
from knowledge.web.fetching import Fetcher, FetchFailed
from knowledge.web.sync import Syncer
from testing.pdfmaker import make_pdf
from testing.website import Route, Website, add_report, feed, report_page, wait_until
from tests.conftest import ROOT, check_citations, fresh_database

AGENT = "inspection-bot/test (+https://example.test/contact)"


def fetcher(**options: object) -> Fetcher:
    """The real client, allowed onto loopback (the test site), with short waits so the tests stay quick."""
    settings = {"delay": 0, "allow_private": True, "timeout": 1.0, "deadline": 2.0, "backoff": 0.05, "retries": 2} | options
    return Fetcher(AGENT, **settings)


def sync(store: Store, *sources: str, **options: object) -> list:
    with fetcher() as client:
        return list(Syncer(store, client, **options).sync(sources))


def documents(store: Store) -> list[Document]:
    with store.session() as session:
        return list(session.exec(select(Document).order_by(Document.id)).all())


def publish(site: Website, *reports: tuple[str, str], path: str = "/news/feed.xml") -> str:
    """Reports (slug, force) as pages with PDFs, listed in the site's feed; returns the feed's URL."""
    items = [(site.url(add_report(site, slug, force)), f"{force} report") for slug, force in reports]
    site.routes[path] = Route(feed(items), "application/rss+xml")
    return site.url(path)


# -- what a sync stores ------------------------------------------------------------------------------


def test_a_feed_entry_stores_the_page_and_its_pdf_cited_with_the_page_and_about_one_force(site: Website, store: Store):
    source = publish(site, ("alpha", "Norfolk Constabulary"), ("beta", "Kent Police"))
    results = sync(store, source)
    assert [r.status for r in results] == ["added", "added"]
    stored = documents(store)
    assert len(stored) == 4  # two pages, two PDFs
    pdf = next(d for d in stored if d.source_path == site.url("/uploads/alpha.pdf"))
    page = next(d for d in stored if d.source_path == site.url("/publication/alpha/"))
    assert pdf.url == page.url == site.url("/publication/alpha/")  # the page is the citation link of both
    assert pdf.subject_id == page.subject_id == "norfolk"
    assert pdf.published is not None and "synthetic test document" in pdf.text
    with store.session() as session:
        for f in session.exec(select(Finding)).all():
            assert session.get(Document, f.document_id).text[f.start : f.end] == f.text
    result = check_citations(store, answer(store, "what must Norfolk improve?"))
    assert any("alpha" in c.quote for c in result.citations)


def test_a_second_sync_downloads_nothing_and_the_unchanged_feed_answers_304(site: Website, store: Store):
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    sync(store, source)
    before = len(site.downloads())
    assert sync(store, source) == []  # the feed said 304: no entries to look at
    assert len(site.downloads()) == before
    assert site.hits[-1].path == "/news/feed.xml" and site.hits[-1].status == 304
    # A new entry in the feed: only it is downloaded; the known one is skipped without a request.
    source = publish(site, ("alpha", "Norfolk Constabulary"), ("gamma", "Suffolk Constabulary"))
    hits = len(site.hits)
    results = sync(store, source)
    assert [(r.url.rsplit("/", 2)[-2], r.status, r.downloads) for r in results] == [("alpha", "unchanged", 0), ("gamma", "added", 2)]
    assert not any(h.path.startswith("/publication/alpha") for h in site.hits[hits:])


def test_a_recheck_asks_conditionally_and_an_unchanged_page_answers_304(site: Website, store: Store):
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    sync(store, source)
    hits = len(site.hits)
    [result] = sync(store, source, recheck=True)
    page_hits = [h for h in site.hits[hits:] if h.path == "/publication/alpha/"]
    assert result.status == "unchanged" and [h.status for h in page_hits] == [304]
    assert page_hits[0].headers.get("If-None-Match")
    assert len(documents(store)) == 2


def test_a_listing_page_and_a_sitemap_are_sources_too(site: Website, store: Store):
    alpha = add_report(site, "alpha", "Norfolk Constabulary")
    beta = add_report(site, "beta", "Kent Police")
    site.routes["/publications/"] = Route(
        f'<html><body><nav><a href="/">Home</a><a href="/about/">About</a></nav><main><h1>Publications</h1>'
        f'<ul><li><a href="{alpha}">Norfolk</a></li><li><a href="/publications/">This page</a></li>'
        f'<li><a href="https://elsewhere.example/report/">Another site</a></li></ul></main></body></html>'.encode())
    site.routes["/sitemap.xml"] = Route(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{site.url(beta)}</loc></url></urlset>'.encode(),
        "application/xml")
    results = sync(store, site.url("/publications/"), site.url("/sitemap.xml"))
    assert [(r.url, r.status) for r in results] == [(site.url(alpha), "added"), (site.url(beta), "added")]


# -- bad input: each fails its own entry, with a reason, and stores nothing of it --------------------


def pdf_bomb() -> bytes:
    bomb = zlib.compress(b"0 0 Td " * (60 * 1024 * 1024 // 7), 9)
    data = make_pdf([["synthetic test document"]], compress=False, raw_streams=[b"BT /F1 10 Tf ET"])
    return data.replace(b"<< /Length 15 >>\nstream\nBT /F1 10 Tf ET\nendstream",
                        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream")


def test_each_bad_input_fails_only_its_entry_with_a_reason_and_the_sync_goes_on(site: Website, tmp_path: Path):
    from knowledge.documents.reading import Limits

    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    good = add_report(site, "good", "Norfolk Constabulary")
    site.routes["/publication/loop/"] = Route(location="/publication/loop2/")
    site.routes["/publication/loop2/"] = Route(location="/publication/loop/")
    site.routes["/publication/bomb/"] = Route(report_page("bomb", "Essex Police", pdf="/uploads/bomb.pdf"))
    site.routes["/uploads/bomb.pdf"] = Route(pdf_bomb(), "application/pdf")
    site.routes["/publication/hangs/"] = Route(report_page("hangs", "Kent Police"), hang=30)
    site.routes["/publication/trickles/"] = Route(report_page("trickles", "Kent Police"), trickle=0.1)
    site.routes["/publication/huge/"] = Route(b"<html><body><p>synthetic test document</p>" + b"a" * (50 * 1024 * 1024) + b"</body></html>")
    site.routes["/private/report/"] = Route(report_page("private", "Suffolk Constabulary"))
    site.routes["/publication/busy/"] = Route(report_page("busy", "Cumbria Constabulary"), too_many=1, retry_after="0")
    site.routes["/publication/moved/"] = Route(location="/publication/busy/", status=301)
    site.routes["/publication/image/"] = Route(b"GIF89a....", "image/gif")
    offsite = f"http://localhost:{site.server.server_address[1]}/publication/good/"
    entries = ["/publication/loop/", "/publication/bomb/", "/publication/hangs/", "/publication/trickles/", "/publication/huge/",
               offsite, "/private/report/", "/publication/missing/", "/publication/image/", "/publication/moved/", good]
    site.routes["/news/feed.xml"] = Route(feed([(e if e.startswith("http") else site.url(e), e) for e in entries]), "application/rss+xml")
    site.routes["/broken/feed.xml"] = Route(b"this is not a feed at all, just words", "application/rss+xml")

    limits = Limits(seconds=10, memory_mb=400, max_bytes=20 * 1024 * 1024)
    results = {r.url.replace(site.base, ""): r for r in sync(store, site.url("/broken/feed.xml"), site.url("/news/feed.xml"), limits=limits)}
    reasons = {url: r.reason for url, r in results.items() if r.status == "failed"}
    assert "not valid RSS or Atom" in reasons["/broken/feed.xml"]
    assert "redirects in a loop" in reasons["/publication/loop/"]
    assert reasons["/publication/bomb/"]  # pypdf's caps or the memory limit: refused either way
    assert "did not answer in time" in reasons["/publication/hangs/"]
    assert "too slowly" in reasons["/publication/trickles/"] or "stopped sending" in reasons["/publication/trickles/"]
    assert "20 MB" in reasons["/publication/huge/"]
    assert "another site" in reasons[offsite]
    assert "robots.txt" in reasons["/private/report/"]
    assert "404" in reasons["/publication/missing/"]
    assert "image/gif" in reasons["/publication/image/"]
    assert all("\n" not in reason for reason in reasons.values())
    assert results["/publication/moved/"].status == "added"  # after a redirect and a 429 with Retry-After
    assert results[good].status == "added"
    assert len(reasons) == 10
    stored = {d.source_path.replace(site.base, "") for d in documents(store)}
    assert stored == {"/publication/busy/", good, "/uploads/good.pdf"}  # nothing of the bomb's page without its PDF
    assert not any(h.path == "/publication/huge/" and h.bytes_sent > 1024 * 1024 for h in site.hits)  # refused before reading
    with store.session() as session:
        failed = session.exec(select(SyncPage).where(SyncPage.outcome == "failed")).all()
    assert {p.url.replace(site.base, "") for p in failed} >= {"/publication/loop/", "/publication/bomb/", "/private/report/"}


def test_a_failed_entry_is_tried_again_on_the_next_sync(site: Website, store: Store):
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    pdf = site.routes.pop("/uploads/alpha.pdf")
    [first] = sync(store, source)
    assert first.status == "failed" and "404" in first.reason and documents(store) == []
    site.routes["/uploads/alpha.pdf"] = pdf
    [second] = sync(store, source, recheck=False)
    assert second.status == "added" and len(documents(store)) == 2


def refuse(store: Store, table: str, when: str) -> None:
    """A real database error for rows of `table` that meet `when` (SQL on `new`): a trigger on either backend."""
    with store.writing() as session:
        conn = session.connection()
        if store.is_sqlite:
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} WHEN {when} BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            conn.execute(text(f"CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF {when} THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
            conn.execute(text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()"))


def test_an_entry_its_outbox_rows_and_its_record_are_stored_in_one_transaction(site: Website, store: Store):
    """A failure after the entry's documents are saved (here, writing what the server said of them) leaves none of
    its documents, no outbox row and no record of them: the entry fails, and the next sync stores it whole."""
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    refuse(store, "syncpage", "new.outcome = 'added'")
    [result] = sync(store, source, quiet=False)
    assert result.status == "failed" and "refused" in result.reason
    assert documents(store) == []
    with store.reading() as session:
        assert session.exec(select(Announcement)).all() == []
        pages = {p.url: (p.outcome, p.document_id) for p in session.exec(select(SyncPage)).all()}
    assert pages == {source: ("read", None), site.url("/publication/alpha/"): ("failed", None)}  # nothing of the PDF
    with store.writing() as session:
        session.connection().execute(text("DROP TRIGGER refuse" if store.is_sqlite else "DROP TRIGGER refuse ON syncpage"))
    [again] = sync(store, source, quiet=False)
    assert again.status == "added" and len(documents(store)) == 2
    with store.reading() as session:
        assert sorted(a.document_id for a in session.exec(select(Announcement)).all()) == again.documents


# -- the client's manners and its guard --------------------------------------------------------------


def test_the_client_names_itself_keeps_its_distance_and_waits_as_a_429_asks(site: Website):
    site.routes["/a"] = Route(b"<html><body>synthetic test document</body></html>")
    site.routes["/b"] = Route(b"<html><body>synthetic test document</body></html>", too_many=1, retry_after="1")
    stamps = []
    with fetcher(delay=0.25) as client:
        for path in ("/a", "/a"):
            client.get(site.url(path))
            stamps.append(time.monotonic())
        start = time.monotonic()
        client.get(site.url("/b"))
        waited = time.monotonic() - start
    assert stamps[1] - stamps[0] >= 0.2
    assert waited >= 0.9  # Retry-After: 1 was honoured before asking again
    assert [h.path for h in site.hits] == ["/robots.txt", "/a", "/a", "/b", "/b"]
    assert all(h.headers["User-Agent"] == AGENT for h in site.hits)  # the product and whom to contact, every time


def test_no_request_goes_to_a_loopback_or_private_address_unless_allowed(site: Website):
    site.routes["/a"] = Route(b"<html><body>synthetic test document</body></html>")
    with Fetcher(AGENT, delay=0) as client:
        with pytest.raises(FetchFailed, match="private or local address"):
            client.get(site.url("/a"))
        with pytest.raises(FetchFailed, match="private or local address"):
            client.get(site.url("/a").replace("127.0.0.1", "localhost"))
        with pytest.raises(FetchFailed, match="not an http or https link"):
            client.get("file:///etc/passwd")
    assert site.hits == []  # nothing left the process, not even robots.txt
    for address in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "fc00::1"):
        assert blocked_address(address), address
    assert not blocked_address("151.101.0.1") and not blocked_address("2a04:4e42::1")


def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(site: Website):
    """Allowed onto the test site, but not past it: a redirect to another site is refused, as is file://."""
    site.routes["/a"] = Route(location="http://169.254.169.254/latest/meta-data/")
    site.routes["/b"] = Route(location="file:///etc/passwd")
    with fetcher() as client:
        with pytest.raises(FetchFailed, match="another site"):
            client.get(site.url("/a"), same_site=site_of(site.base))
        with pytest.raises(FetchFailed, match="not an http or https link"):
            client.get(site.url("/b"))


def test_sites_are_registrable_domains():
    assert site_of("https://assets-hmicfrs.justiceinspectorates.gov.uk/uploads/a.pdf") == "justiceinspectorates.gov.uk"
    assert site_of("https://hmicfrs.justiceinspectorates.gov.uk/feed/") == "justiceinspectorates.gov.uk"
    assert site_of("https://www.kent.police.uk/news/") == "kent.police.uk"
    assert site_of("https://example.com/x") == "example.com"


# -- the command ---------------------------------------------------------------------------------


def run_cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SYNC_SOURCES")} | env
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=full, cwd=ROOT, timeout=120)


def test_the_sync_command_reports_each_entry_and_a_summary_and_fails_when_an_entry_failed(site: Website, tmp_path: Path):
    source = publish(site, ("alpha", "Norfolk Constabulary"), ("beta", "Kent Police"))
    site.routes.pop("/uploads/beta.pdf")
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    env = {"SYNC_CONTACT_URL": "https://example.test/contact", "SYNC_ALLOW_PRIVATE_ADDRESSES": "true", "SYNC_DELAY_SECONDS": "0"}
    first = run_cli("sync", source, "--db", db, env=env)
    assert first.returncode == 1, first.stderr
    lines = first.stdout.strip().splitlines()
    assert lines[-1] == "Sync: 1 added, 0 unchanged, 1 failed."
    assert any(line.startswith("added") and "alpha" in line and "not announced" in line for line in lines)
    assert any(line.startswith("failed") and "beta" in line and "404" in line for line in lines)
    second = run_cli("sync", "--json", "--recheck", "--db", db, env=env | {"SYNC_SOURCES": source})
    objects = [json.loads(line) for line in second.stdout.splitlines()]
    assert [(o["url"].rsplit("/", 2)[-2], o["status"]) for o in objects] == [("alpha", "unchanged"), ("beta", "failed")]
    assert second.returncode == 1
    refused = run_cli("sync", source, "--db", db, env=env | {"SYNC_ALLOW_PRIVATE_ADDRESSES": "false"})
    assert refused.returncode == 1 and "private or local address" in refused.stdout



def test_the_sync_command_takes_the_sync_lease_and_does_nothing_while_another_sync_holds_it(site: Website, tmp_path: Path):
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    env = {"SYNC_CONTACT_URL": "https://example.test/contact", "SYNC_ALLOW_PRIVATE_ADDRESSES": "true", "SYNC_DELAY_SECONDS": "0"}
    store = Store(db)
    assert store.write(lambda session: outbox.take_lease(session, "sync", "a bot worker", 60))  # a scheduled sync is running
    busy = run_cli("sync", source, "--db", db, env=env)
    assert busy.returncode == 75 and busy.stdout == ""
    assert "another sync is running" in busy.stderr
    assert site.hits == [] and not any(d.source_path.startswith(site.base) for d in documents(store))  # nothing fetched, nothing stored
    store.write(lambda session: outbox.release_lease(session, "sync", "a bot worker"))
    done = run_cli("sync", "--db", db, env=env | {"SYNC_SOURCES": source})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "Sync: 1 added, 0 unchanged, 0 failed."
    with store.reading() as session:
        assert outbox.last_sync(session) is not None  # the configured sources were synced: the bot's schedule counts it
    assert store.write(lambda session: outbox.take_lease(session, "sync", "a bot worker", 60))  # and the command let the lease go


def test_a_scheduled_sync_is_skipped_within_half_an_interval_of_the_last_and_a_requested_one_is_not(site: Website, store: Store):
    from knowledge.web.sync import run_sync

    source = publish(site, ("alpha", "Norfolk Constabulary"))
    hour = dt.timedelta(hours=1)
    with fetcher() as client:
        assert [r.status for r in run_sync(Syncer(store, client), [source], worker="one", every=hour)] == ["added"]
        hits = len(site.hits)
        assert run_sync(Syncer(store, client), [source], worker="two", every=hour) is None  # another worker's turn was taken
        assert len(site.hits) == hits
        assert run_sync(Syncer(store, client), [source], worker="two") == []  # asked for: it runs (the feed answers 304)
        assert site.hits[-1].status == 304


def test_syncing_needs_a_contact_url_for_the_user_agent():
    from bot.settings import Settings

    with pytest.raises(ValueError, match="SYNC_CONTACT_URL"):
        Settings(_env_file=None).fetcher()
    with Settings(_env_file=None, sync_contact_url="https://example.test/contact").fetcher() as client:
        assert client.user_agent.startswith("inspection-bot/") and client.user_agent.endswith("(+https://example.test/contact)")
        assert client.delay == 1.0 and not client.allow_private and client.max_bytes == 20 * 1024 * 1024


# -- the outbox: every new document announced once -----------------------------------------------------


ARTICLE = """date 2026-11-20 Synthetic test document: Norfolk Constabulary told to answer calls faster ({tag})
This synthetic test document is a news article made for the sync tests ({tag}).

Inspectors from HMICFRS found that Norfolk Constabulary must improve how quickly it answers non-emergency calls about {tag}.
"""


def article(folder: Path, tag: str) -> Path:
    path = folder / f"{tag}.txt"
    path.write_text(ARTICLE.format(tag=tag), encoding="utf-8")
    return path


def test_the_outbox_hands_each_document_to_one_worker_and_only_to_chats_that_followed_before(store: Store, tmp_path: Path):
    from knowledge.ingest import ingest_paths

    store.write(lambda session: chats.follow(session, 1, "norfolk"))
    [quiet] = list(ingest_paths(store, [article(tmp_path, "backfill")], quiet=True))
    [first, second] = list(ingest_paths(store, [article(tmp_path, "one"), article(tmp_path, "two")]))
    store.write(lambda session: chats.follow(session, 2, "norfolk"))  # after the documents arrived: not news to this chat
    with store.reading() as session:
        assert outbox.pending_announcements(session) == 2
    a = store.claim_announcements("worker-a", limit=1)
    b = store.claim_announcements("worker-b")
    assert a == [first.document_id] and b == [second.document_id]  # each document held by one worker
    assert store.claim_announcements("worker-c") == []
    with store.writing() as session:
        assert outbox.announcement_recipients(session, first.document_id) == {1: ["norfolk"]}
        assert outbox.record_delivery(session, first.document_id, 1) and not outbox.record_delivery(session, first.document_id, 1)
        assert outbox.announcement_recipients(session, first.document_id) == {}  # told once
        outbox.finish_announcement(session, first.document_id, "worker-a")
    # worker-b died holding the second: once its claim is stale another worker takes it over

    assert store.claim_announcements("worker-c", stale=dt.timedelta(seconds=-1)) == [second.document_id]
    with store.reading() as session:
        assert quiet.document_id not in a + b and outbox.pending_announcements(session) == 1


def test_a_document_stored_without_the_outbox_is_still_announced(store: Store, tmp_path: Path):
    """Whatever path stored it (an older release, a bulk save), a document with no outbox row is taken in."""

    from knowledge.documents.reading import read_file
    from knowledge.ingest import parser_for, save_parsed

    store.write(lambda session: chats.follow(session, 3, "norfolk"))
    source = read_file(article(tmp_path, "direct"))
    with store.writing() as session:  # straight to the store, without the outbox
        [saved] = save_parsed(session, [(source, parser_for(store).parse_source(source))])
    assert store.claim_announcements("w") == []  # not yet: a quiet load marks its documents within ADOPT_AFTER
    store.ADOPT_AFTER = dt.timedelta(0)
    assert store.claim_announcements("w") == [saved.document_id]
    with store.reading() as session:
        assert outbox.announcement_recipients(session, saved.document_id) == {3: ["norfolk"]}


def test_two_syncs_at_once_take_turns_through_the_lease(store: Store):
    def take(holder: str, seconds: float) -> bool:
        return store.write(lambda session: outbox.take_lease(session, "sync", holder, seconds))

    def release(holder: str) -> None:
        store.write(lambda session: outbox.release_lease(session, "sync", holder))

    assert take("a", 60)
    assert not take("b", 60)
    assert take("a", 60)  # renewing your own
    release("a")
    assert take("b", 60)
    assert take("c", -1) is False
    release("b")
    assert take("c", -1) and take("d", 60)  # an expired lease is taken over


# -- in the bot ----------------------------------------------------------------------------------------


def bot_settings(site: Website, *sources: str, **extra: object) -> dict:
    return {"sync_sources": list(sources), "sync_contact_url": "https://example.test/contact", "sync_allow_private_addresses": True,
            "sync_delay_seconds": 0, "announce_every_seconds": 0.3} | extra


def stored(store: Store, url: str) -> bool:
    return any(d.source_path == url for d in documents(store))


def test_followers_hear_once_of_each_new_document_however_it_came_in_and_after_a_restart(site: Website, tmp_path: Path):
    from testing.botapi import BotAPI
    from tests.conftest import make_store
    from tests.test_telegram import ADMIN, TOKEN, replies, run_bot

    store = make_store(tmp_path / "kb.db")
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    source = publish(site, ("alpha", "Norfolk Constabulary"))
    norfolk, kent = 50, 51

    def check_quotes(message: dict) -> None:
        """Each quoted finding of an announcement is verbatim from a stored document."""
        texts = [d.text for d in documents(store)]
        for quote in message["html"].split("<blockquote>")[1:]:
            import html

            assert any(html.unescape(quote.split("</blockquote>")[0]) in text for text in texts)

    def scenario(api: BotAPI) -> None:
        wait_until(lambda: stored(store, site.url("/uploads/alpha.pdf")))  # the first scheduled sync: a back-fill
        api.send_text("/follow Norfolk Constabulary", chat_id=norfolk)
        api.send_text("/follow Kent Police", chat_id=kent)
        replies(api, norfolk, 1), replies(api, kent, 1)
        publish(site, ("alpha", "Norfolk Constabulary"), ("gamma", "Norfolk Constabulary"), ("delta", "Kent Police"))
        api.send_text("/sync", chat_id=ADMIN)
        report = replies(api, ADMIN, 2)[1]["text"]
        assert report.startswith("Sync: 2 added, 1 unchanged, 0 failed.") and "gamma" in report and "delta" in report
        notes = replies(api, norfolk, 3)[1:]
        assert all("New document:" in m["text"] and "gamma" in m["text"] for m in notes)
        assert any(site.url("/publication/gamma/") in m["html"] for m in notes)
        for m in notes:
            check_quotes(m)
        assert all("delta" in m["text"] for m in replies(api, kent, 3)[1:])
        # A document added by the command line while the bot runs
        cli = subprocess.run([sys.executable, "-m", "bot", "ingest", str(article(tmp_path, "cli")), "--db", db],
                             capture_output=True, text=True, cwd=ROOT, timeout=60, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"})
        assert cli.returncode == 0, cli.stderr
        assert "cli" in replies(api, norfolk, 4)[3]["text"]
        # A link sent by an admin
        add_report(site, "epsilon", "Norfolk Constabulary")
        api.send_text(site.url("/publication/epsilon/"), chat_id=ADMIN)
        assert replies(api, ADMIN, 3)[2]["text"].startswith("Ingested: ")
        assert all("epsilon" in m["text"] for m in replies(api, norfolk, 6)[4:])
        # Anyone else's /sync is refused, and anyone else's link is a question, never fetched
        hits = len(site.hits)
        api.send_text("/sync", chat_id=52)
        assert "Only the bot's administrators" in replies(api, 52, 1)[0]["text"]
        api.send_text(site.url("/publication/zeta/"), chat_id=52)
        replies(api, 52, 2)
        assert len(site.hits) == hits
        time.sleep(1.0)
        assert len(api.messages_to(norfolk)) == 6 and len(api.messages_to(kent)) == 3  # nobody told twice

    with BotAPI(TOKEN) as api:
        run_bot(api, store, scenario, **bot_settings(site, source))
        before = len(site.downloads())
        from knowledge.ingest import ingest_paths

        assert [r.status for r in ingest_paths(store, [article(tmp_path, "restart")])] == ["added"]  # while the bot is down

        def after_restart(api: BotAPI) -> None:
            assert "restart" in replies(api, norfolk, 1)[0]["text"]
            time.sleep(1.0)
            assert len(api.messages_to(norfolk)) == 1 and api.messages_to(kent) == []  # the new one, and nothing told before

    with BotAPI(TOKEN) as api:  # the restarted bot (a new stand-in, so only its own messages are counted)
        run_bot(api, store, after_restart, **bot_settings(site, source))
    assert len(site.downloads()) == before  # the restarted bot's sync was skipped: one ran within the interval


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_two_bot_workers_on_one_postgresql_database_sync_once_and_announce_once(site: Website, tmp_path: Path):
    import asyncio

    from bot.app import build_application
    from bot.settings import Settings
    from knowledge.ingest import ingest_paths, sync_corpus
    from testing.botapi import BotAPI
    from tests.test_telegram import TOKEN, replies

    source = publish(site, ("alpha", "Norfolk Constabulary"), ("beta", "Kent Police"))
    with fresh_database("postgresql", tmp_path) as url, BotAPI(TOKEN) as api:
        setup = Store(url)
        sync_corpus(setup)
        setup.write(lambda session: chats.follow(session, 70, "norfolk"))
        for tag in ("w1", "w2", "w3"):
            assert [r.status for r in ingest_paths(setup, [article(tmp_path, tag)])] == ["added"]
        config = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_base_url=api.base_url, **bot_settings(site, source, announce_every_seconds=0.1))

        async def main() -> None:
            workers = [build_application(config, Store(url)) for _ in range(2)]
            for application in workers:
                await application.initialize()
                await application.start()
            try:
                await asyncio.to_thread(wait_until, lambda: stored(setup, site.url("/uploads/beta.pdf")), 20)
                await asyncio.to_thread(replies, api, 70, 3)
                await asyncio.sleep(2.5)  # both workers' first sync and several drains have run by now
            finally:
                for application in workers:
                    await application.stop()
                    await application.shutdown()

        asyncio.run(main())
        told = api.messages_to(70)
        assert sorted(tag for m in told for tag in ("w1", "w2", "w3") if tag in m["text"]) == ["w1", "w2", "w3"]
        assert len(told) == 3  # each document once, though two workers drained the outbox
        downloads = site.downloads()
        assert sorted(downloads) == sorted(set(downloads)) and downloads.count("/news/feed.xml") == 1  # one sync, not two
        assert len(documents(setup)) == 1 + 3 + 4
        setup.engine.dispose()


def test_reused_reader_processes_are_bounded_and_replaced_after_a_failure():
    from knowledge.documents.bounded import Readers
    from knowledge.documents.reading import Limits, UnreadableDocument
    from knowledge.reference import load_reference
    from testing.pdfmaker import norfolk_report

    with Readers(load_reference(), Limits(seconds=10, memory_mb=400), size=1) as readers:  # (a PDF bomb: see the bad-input test)
        read = readers.read(norfolk_report(), "a.pdf", "a.pdf")
        assert "Norfolk Constabulary" in read.source.text and read.parsed.findings  # read and parsed in the reader process
        with pytest.raises(UnreadableDocument, match="not a PDF"):
            readers.read(b"synthetic test document, plain words", "x.pdf")
        with pytest.raises(UnreadableDocument, match="PDF cannot be read"):
            readers.read(b"%PDF-1.4 synthetic test document, and nothing more", "broken.pdf")  # the reader is replaced
        assert readers.read(norfolk_report(), "b.pdf", "b.pdf").source.source_path == "b.pdf"  # the next document is read as ever
    with Readers(load_reference(), Limits(seconds=0.001), size=1) as readers:
        with pytest.raises(UnreadableDocument, match="longer than"):
            readers.read(norfolk_report(), "slow.pdf")


def test_documents_stored_before_the_upgrade_are_not_news(database_url: str):
    from sqlalchemy import text

    from knowledge.state.database import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (id, name, kind, inspected) VALUES ('kent', 'Kent Police', 'police', true)"))
        conn.execute(text("INSERT INTO document (id, doc_type, rank, text, content_hash, ingested_at, subject_id) "
                          "VALUES (1, 'article', 1, 'Kent Police must improve.', 'h1', '2026-01-01 00:00:00', 'kent')"))
    store = Store(engine)
    store.write(lambda session: chats.follow(session, 1, "kent"))
    store.ADOPT_AFTER = dt.timedelta(0)
    with store.reading() as session:
        assert outbox.pending_announcements(session) == 0
    assert store.claim_announcements("w") == []
