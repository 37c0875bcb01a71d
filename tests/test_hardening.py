"""Probes of issue 20 in the knowledge base: what a hostile file, a hostile server or a stop did to it once, done
again. Each test names the row or finding of the issue it reproduces; each runs in seconds."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge import Store
from knowledge.documents.reading import Limits, UnreadableDocument, read_file
from knowledge.ingest import ingest_paths
from tests.conftest import ROOT


def timed(call: Callable[[], object], limit: float = 10.0) -> tuple[object, float]:
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


# -- ingest: only regular files, never more than the limit read ------------------------------------------


@pytest.fixture
def not_files(tmp_path: Path) -> dict[str, Path]:
    """A device, a named pipe nobody writes to and a socket, each by name."""
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "socket.txt"))
    yield {"a device": Path("/dev/zero"), "a named pipe": pipe, "a socket": tmp_path / "socket.txt"}
    listener.close()


@pytest.mark.parametrize("kind", ["a device", "a named pipe", "a socket"])
def test_ingest_refuses_a_device_a_named_pipe_and_a_socket_unread(tmp_path: Path, not_files: dict[str, Path], kind: str):
    """Issue 20: `ingest /dev/zero` read 3.7 GB before a MemoryError; a named pipe given by name hung."""
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    outcome, seconds = timed(lambda: list(ingest_paths(store, [not_files[kind]])))
    [result] = outcome
    assert result.status == "failed" and f"this is {kind}, not a file" in result.reason, result
    assert seconds < 2 and store.documents() == []


def test_the_command_line_refuses_them_too_and_says_why(tmp_path: Path, not_files: dict[str, Path]):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}"}
    done = subprocess.run([sys.executable, "-m", "bot", "ingest", *map(str, not_files.values())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    for kind in not_files:
        assert f"this is {kind}, not a file" in done.stdout, done.stdout


def test_no_more_than_the_limit_is_read_from_a_file_that_reports_a_smaller_size():
    reported = Path("/proc/self/maps")  # a regular file that says it is 0 bytes long
    if not reported.exists() or reported.stat().st_size != 0:
        pytest.skip("needs Linux's /proc")
    with pytest.raises(UnreadableDocument, match="larger than it said"):
        read_file(reported, Limits(max_bytes=64))


def test_a_text_file_over_the_size_limit_is_refused_unread_like_html_and_pdf(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"synthetic test document\n\n" + b"The force must improve. " * 50_000)
    with pytest.raises(UnreadableDocument, match="limit is 1 MB"):
        read_file(big, Limits(max_bytes=1024 * 1024))


# -- plain text is read and parsed under the limits HTML and PDF have ---------------------------------------


def long_text(paragraphs: int) -> bytes:
    """A plain text of many different paragraphs, each a finding or two."""
    lines = [f"The force should improve how it records crimes of kind {n}, and supervisors should check it." for n in range(paragraphs)]
    return ("synthetic test document\n\n" + "\n\n".join(lines)).encode()


def test_a_huge_text_is_parsed_in_a_reader_process_and_stopped_at_the_time_limit(tmp_path: Path):
    """Issue 20: an 18-20 MB text took 54-62 s and 460-530 MB in the main process and made 330,000 findings."""
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    (tmp_path / "huge.txt").write_bytes(long_text(40_000))  # 3.8 MB: several seconds to parse on this machine
    outcome, seconds = timed(lambda: list(ingest_paths(store, [tmp_path / "huge.txt"], limits=Limits(seconds=1))))
    [result] = outcome
    assert result.status == "failed" and "longer than 1 second" in result.reason, result
    assert seconds < 3 and store.documents() == []


def test_a_document_with_more_findings_than_any_inspection_document_is_refused(tmp_path: Path):
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    (tmp_path / "many.txt").write_bytes(long_text(30))
    [result] = ingest_paths(store, [tmp_path / "many.txt"], limits=Limits(max_findings=20))
    assert result.status == "failed" and "more than the 20 an inspection document could have" in result.reason, result
    [result] = ingest_paths(store, [tmp_path / "many.txt"])  # the default bound: 20,000
    assert result.status == "added" and sum(result.findings.values()) > 20
