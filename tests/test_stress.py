"""Everything at once on one database, counted: processes starting together on a fresh database, then the
bot answering a stream of questions and follows while two ingests of overlapping folders run."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from knowledge import Store
from knowledge.models import Document, Follow
from testing.botapi import BotAPI
from tests.conftest import ARTICLES, BACKENDS, ROOT, fresh_database
from tests.test_telegram import SEED_BULLET, TOKEN, run_bot

ARTICLE = (ARTICLES / "gmp_2024.txt").read_text(encoding="utf-8")
QUESTION_CHATS = range(500, 520)
FOLLOW_CHATS = range(600, 640)


def write_articles(folder: Path, numbers: range) -> None:
    """Synthetic GMP articles, each with its own date and case number, so each is a document of its own."""
    folder.mkdir(parents=True)
    for n in numbers:
        text = ARTICLE.replace("2024-05-16", f"2025-{1 + n // 28:02}-{1 + n % 28:02}").replace("101 calls", f"101 calls (case {n})")
        (folder / f"gmp_{n:03}.txt").write_text(text, encoding="utf-8")


def cli(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_nothing_is_lost_or_doubled_when_everything_runs_at_once(backend: str, tmp_path: Path):
    with fresh_database(backend, tmp_path) as url:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env |= {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
        if backend == "sqlite":  # the default database: no URL given anywhere
            url = f"sqlite:///{tmp_path / 'data' / 'inspection-bot' / 'knowledge.db'}"
        else:
            env["DATABASE_URL"] = url

        # Three processes starting together on the fresh database: migrations, reference data, shipped corpus.
        starting = [cli(env, "sources") for _ in range(3)]
        started = [(p.wait(timeout=60), *p.communicate()) for p in starting]
        assert [rc for rc, _, _ in started] == [0, 0, 0], started
        assert not any("Traceback" in out + err for _, out, err in started)

        write_articles(tmp_path / "a", range(0, 60))
        write_articles(tmp_path / "b", range(30, 90))  # 30 in both folders
        store = Store(url)
        sent = {"questions": 0, "follows": 0}
        ingests: list[tuple[int, str, str]] = []

        def scenario(api: BotAPI) -> None:
            running = [cli(env, "ingest", str(tmp_path / folder)) for folder in ("a", "b")]
            collected = threading.Thread(target=lambda: ingests.extend((p.wait(timeout=120), *p.communicate()) for p in running))
            collected.start()
            follows = iter(FOLLOW_CHATS)
            while collected.is_alive() or sent["questions"] < 40:
                chat = QUESTION_CHATS[sent["questions"] % len(QUESTION_CHATS)]
                api.send_text("Peterborough police sex offenders", chat_id=chat)
                sent["questions"] += 1
                if (chat := next(follows, None)) is not None:
                    api.send_text("/follow GMP", chat_id=chat)
                    sent["follows"] += 1
                time.sleep(0.05)
            collected.join()
            api.wait_for(lambda a: len([m for m in a.sent if m["chat"]["id"] in QUESTION_CHATS]) >= sent["questions"]
                         and len([m for m in a.sent if m["chat"]["id"] in FOLLOW_CHATS]) >= sent["follows"], timeout=60)
            time.sleep(0.3)  # nothing more arrives

        with BotAPI(TOKEN) as api:
            run_bot(api, store, scenario, questions_per_minute=10_000)
            answers = [m["text"] for m in api.sent if m["chat"]["id"] in QUESTION_CHATS]
            # Replies to /follow; the documents the ingests add may also be announced to these chats meanwhile.
            followed = [m["text"] for m in api.sent if m["chat"]["id"] in FOLLOW_CHATS and not m["text"].startswith("New document")]

        outputs = "".join(out + err for _, out, err in ingests)
        lines = [line for _, out, _ in ingests for line in out.splitlines()]
        added = [line.split()[1] for line in lines if line.startswith("added ")]
        with store.session() as session:
            documents = session.exec(select(func.count()).select_from(Document)).one()
            distinct = session.exec(select(func.count(func.distinct(Document.content_hash)))).one()
            follow_rows = session.exec(select(func.count()).select_from(Follow)).one()
        store.engine.dispose()
        counts = {
            "failed documents": sum(line.startswith("failed ") for line in lines),
            "lost documents": 90 - len({Path(p).name for p in added}),
            "duplicate documents": len(added) - len(set(Path(p).name for p in added)) + documents - distinct,
            "tracebacks": outputs.count("Traceback"),
            "failed answers": sum(SEED_BULLET not in text for text in answers) + len(answers) - sent["questions"],
            "failed follows": sum("follows Greater Manchester Police" not in text for text in followed) + len(followed) - sent["follows"],
        }
        print(backend, counts, sent, {"documents": documents, "added by the two ingests": len(added)})
        assert counts == dict.fromkeys(counts, 0), (counts, outputs[-3000:])
        assert [rc for rc, _, _ in ingests] == [0, 0]
        assert documents == 91 and follow_rows == sent["follows"] == len(FOLLOW_CHATS)
        assert sent["questions"] >= 40
