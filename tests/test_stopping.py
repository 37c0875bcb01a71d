"""Stopping the running bot while its sync talks to a slow web server: SIGTERM to `inspection-bot run` with
STOP_GRACE_SECONDS=5 while the scheduled sync or an admin's /sync waits on a server that trickles its headers,
trickles its body or says nothing. The process must exit within the grace period and a second (issue 20, row 2)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from testing.botapi import BotAPI
from testing.website import Route, Website, add_report, feed, wait_until
from tests.conftest import BACKENDS, ROOT, fresh_database
from tests.test_telegram import ADMIN, TOKEN, replies

GRACE = 5
SLOW = {
    "headers one byte a second": Route(b"<html><body><p>synthetic test document</p></body></html>", header_trickle=1.0),
    "body one byte a second": Route(b"<html><body><p>synthetic test document</p>" + b"a" * 4096 + b"</body></html>", trickle=1.0),
    "silent": Route(b"<html><body><p>synthetic test document</p></body></html>", hang=300),
}


def start_bot(api: BotAPI, site: Website, url: str, tmp_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "SYNC_", "DATABASE_URL"))}
    env |= {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": api.base_url, "TELEGRAM_ADMIN_IDS": str(ADMIN), "DATABASE_URL": url,
            "SYNC_SOURCES": site.url("/news/feed.xml"), "SYNC_CONTACT_URL": "https://example.test/contact", "SYNC_ALLOW_PRIVATE_ADDRESSES": "true",
            "SYNC_DELAY_SECONDS": "0", "STOP_GRACE_SECONDS": str(GRACE), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop_time(proc: subprocess.Popen) -> tuple[float, str]:
    """Seconds from SIGTERM to the process's exit, and what it printed."""
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        output, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return time.monotonic() - sent, output


def publish(site: Website, *paths: str) -> None:
    site.routes["/news/feed.xml"] = Route(feed([(site.url(p), p) for p in paths]), "application/rss+xml")


@pytest.mark.parametrize("slow", list(SLOW))
@pytest.mark.parametrize("backend", BACKENDS)
def test_sigterm_during_the_scheduled_sync_exits_within_the_grace_period(slow: str, backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path) as url, Website() as site, BotAPI(TOKEN) as api:
        site.routes["/publication/slow/"] = SLOW[slow]
        publish(site, "/publication/slow/")
        proc = start_bot(api, site, url, tmp_path)
        try:
            wait_until(lambda: any(h.path == "/publication/slow/" for h in site.hits), timeout=60)  # the first sync, 2 s after start
            time.sleep(0.5)  # well inside the request
            took, output = stop_time(proc)
        finally:
            proc.kill()
    print(f"{backend}, scheduled sync, {slow}: exit {took:.2f} s after SIGTERM")
    assert proc.returncode == 0, output
    assert took <= GRACE + 1, (took, output[-2000:])
    assert "Traceback" not in output and "stopped cleanly" in output


@pytest.mark.parametrize("slow", list(SLOW))
def test_sigterm_during_an_admins_sync_exits_within_the_grace_period(slow: str, tmp_path: Path):
    with Website() as site, BotAPI(TOKEN) as api:
        publish(site, add_report(site, "first", "Norfolk Constabulary", with_pdf=False))
        proc = start_bot(api, site, f"sqlite:///{tmp_path / 'kb.db'}", tmp_path)
        try:
            wait_until(lambda: "/publication/first/" in site.downloads(), timeout=60)  # the scheduled sync ran
            site.routes["/publication/slow/"] = SLOW[slow]
            publish(site, "/publication/first/", "/publication/slow/")
            time.sleep(1.0)  # the scheduled sync has let the lease go
            api.send_text("/sync", chat_id=ADMIN)
            assert replies(api, ADMIN, 1)[0]["text"] == "Syncing\u2026"
            wait_until(lambda: any(h.path == "/publication/slow/" for h in site.hits), timeout=30)
            time.sleep(0.5)
            took, output = stop_time(proc)
        finally:
            proc.kill()
    print(f"/sync, {slow}: exit {took:.2f} s after SIGTERM")
    assert proc.returncode == 0, output
    assert took <= GRACE + 1, (took, output[-2000:])
    assert "Traceback" not in output and "stopped cleanly" in output
