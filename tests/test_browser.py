"""The message HTML rendered in a real headless browser once: a small page that shows each message as
Telegram's HTML subset allows (newlines kept, a phone's width), so the markup is known to render."""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.render import citation_html, render_html
from knowledge import answer
from testing.botapi import parse_html
from tests.conftest import ARTICLES, FIXTURES, check_citations, make_store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--window-size=390,2000"]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ width: 360px; margin: 0; font: 15px sans-serif; }}
.message {{ white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #ccc; margin: 8px 0; padding: 6px; }}
blockquote {{ margin: 4px 0; padding-left: 8px; border-left: 3px solid #3390ec; }}
</style></head><body>{messages}<pre id="result"></pre><script>
const messages = [...document.querySelectorAll('.message')].map(m => ({{
  text: m.innerText,
  quotes: [...m.querySelectorAll('blockquote')].map(b => [b.innerText, b.getBoundingClientRect().height]),
  links: [...m.querySelectorAll('a')].map(a => a.getAttribute('href')),
  width: m.scrollWidth, box: m.clientWidth,
}}));
document.getElementById('result').textContent = JSON.stringify(messages);
</script></body></html>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium here: install it (Debian: apt-get install -y chromium) to check the message HTML in a real browser")
def test_answer_html_renders_in_a_real_browser(tmp_path: Path):
    store = make_store(tmp_path / "kb.db", ARTICLES, FIXTURES / "formats")
    result = check_citations(store, answer(store, "Kent emergency calls"))
    messages = render_html(result) + citation_html(result.citations[0])
    for m in messages:
        parse_html(m)  # Telegram's own rules first: only its tags, balanced, entities escaped
    page = tmp_path / "messages.html"
    page.write_text(PAGE.format(messages="".join(f'<div class="message">{m}</div>' for m in messages)), encoding="utf-8")
    run = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    found = re.search(r'<pre id="result">(.*?)</pre>', run.stdout, re.S)
    assert found and found.group(1), run.stdout[-2000:]
    rendered = json.loads(html.unescape(found.group(1)))
    assert len(rendered) == len(messages)
    shown = [q for m in rendered[:-1] for q in m["quotes"]]
    assert sorted(text for text, _ in shown) == sorted(c.quote for c in result.citations)
    assert all(height > 10 for _, height in shown)  # each quote is drawn, not collapsed
    for m in rendered:
        assert m["width"] <= m["box"] + 1, m["text"][:200]  # nothing runs off a phone's screen
        for c in result.citations:
            if c.document.url and c.quote in m["text"]:
                assert c.document.url in m["links"]
    first = rendered[0]["text"]
    label = next(line for line in first.splitlines() if line.startswith("1. "))
    assert label in ("1. Cause of concern", "1. Criticism") and first.split(label + "\n")[1].lstrip("\n").startswith(result.citations[0].quote[:30])
