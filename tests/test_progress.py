"""Issue 21, stage B: "has it been fixed?" answered as timelines, /progress, through the knowledge API, the command and
the bot. The documents are tests/fixtures/progress/ (synthetic, in our own words); every quote and every status's
words are checked as exact slices of the stored documents."""

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from sqlmodel import select

from bot.render import render_text
from knowledge import Answer, Store
from knowledge.ingest import ingest_sources
from knowledge.models import Document
from knowledge.questions.answering import Answerer
from knowledge.questions.progress import NOT_MENTIONED, concerns_of
from testing.botapi import BotAPI
from testing.fixtures import fixture_sources
from tests.conftest import FIXTURES, check_citations
from tests.test_cli import run
from tests.test_telegram import TOKEN, announced, button, buttons, follow, replies, run_bot

PROGRESS = FIXTURES / "progress"


def progress_store(url: str, leave_out: str | None = None) -> Store:
    store = Store(url)
    paths = [p for p in sorted(PROGRESS.glob("*.txt")) if p.name != leave_out]
    assert all(r.status == "added" for r in ingest_sources(store, fixture_sources(paths)))
    return Store(url)  # afresh: the caches of what the store holds


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return progress_store(f"sqlite:///{tmp_path_factory.mktemp('progress') / 'kb.db'}")


def checked(store: Store, result: Answer) -> Answer:
    """Every quote of the answer and every status's words are exact slices of their stored documents."""
    check_citations(store, result)
    assert result.progress is not None
    with store.session() as session:
        for t in result.progress.timelines:
            for m in t.later:
                if m.status != "unclear":
                    assert session.get(Document, m.citation.document.id).text[m.cue_start : m.cue_end] == m.cue and m.cue
    return result


def ask(store: Store, question: str, chat: int | None = None) -> Answer:
    return Answerer(store, today=dt.date(2026, 11, 26)).answer(question, chat_id=chat)


def test_has_it_been_fixed_gets_a_timeline_from_the_concern_to_where_it_stands(store: Store):
    result = checked(store, ask(store, "has lincolnshire police fixed its 999 calls?"))
    assert result.intent == "progress"
    slow = next(t for t in result.progress.timelines if "too slow to answer 999 calls" in t.raised.quote)
    assert slow.raised.document.published == dt.date(2021, 6, 10)
    dates = [m.citation.document.published for m in slow.later]
    assert dates == sorted(dates) and all(d > slow.raised.document.published for d in dates)
    assert any(m.status == "improved" and m.cue == "now answers" and "92 per cent of 999 calls" in m.citation.quote for m in slow.later)
    assert slow.as_of == "As of 1 February 2024: improved \u2014 \u201cdischarged\u201d (Lincolnshire Police: PEEL 2023-25)."
    text = render_text(result)
    text = text[text.rindex("Raised 10 June 2021", 0, text.index("too slow to answer 999 calls")):]
    assert text.index("too slow to answer 999 calls") < text.index("Later 2 November 2022") < text.index("As of 1 February 2024")
    assert "supervises investigations" not in text  # off the topic


def test_the_topic_chooses_the_concerns_and_says_where_each_stands(store: Store):
    recording = checked(store, ask(store, "is crime recording still a problem at lincolnshire police?"))
    [timeline] = recording.progress.timelines
    assert "records every reported crime" in timeline.raised.quote and timeline.latest.status == "improved"
    investigations = checked(store, ask(store, "has lincolnshire police got better at investigating crime?"))
    supervision = next(t for t in investigations.progress.timelines if "supervises investigations" in t.raised.quote)
    assert supervision.as_of.startswith("As of 18 May 2023: not yet improved") and "still" in supervision.latest.citation.quote


def test_without_a_topic_the_newest_concern_comes_first_and_a_year_says_when_it_was_raised(store: Store):
    changed = checked(store, ask(store, "what has changed at Suffolk Fire since 2019?"))
    raised = [t.raised.document.published for t in changed.progress.timelines]
    assert raised == sorted(raised, reverse=True) and min(raised) >= dt.date(2019, 1, 1)
    assert any("grievance process" in t.raised.quote and t.latest.status == "improved" for t in changed.progress.timelines)
    acted = checked(store, ask(store, "did lincolnshire police act on the 2023 recommendations?"))
    assert all(t.raised.document.published.year == 2023 for t in acted.progress.timelines)


def test_a_concern_no_later_document_mentions_says_so(store: Store):
    result = checked(store, ask(store, "is managing sex offenders still a problem at norfolk police?"))
    [timeline] = result.progress.timelines
    assert "registered sex offenders" in timeline.raised.quote and timeline.later == () and timeline.as_of == NOT_MENTIONED
    assert NOT_MENTIONED in render_text(result)


def test_has_it_improved_follows_up_the_last_question(store: Store):
    first = ask(store, "lincolnshire police crime recording", chat=7)
    assert first.intent != "progress"
    followed = checked(store, ask(store, "has it improved?", chat=7))
    assert followed.intent == "progress" and "records every reported crime" in followed.progress.timelines[0].raised.quote


def test_a_question_about_an_organisation_with_nothing_followed_is_answered_as_before(store: Store):
    result = check_citations(store, ask(store, "has norfolk police improved?"))
    assert result.intent != "progress" and result.citations


def test_the_concerns_of_an_organisation_a_page_at_a_time_each_with_its_latest_status(store: Store):
    first = checked(store, concerns_of(store, "lincolnshire"))
    second = checked(store, concerns_of(store, "lincolnshire", page=1))
    assert len(first.progress.timelines) == 5 and first.more == len(second.progress.timelines) > 0
    assert all(len(t.later) == 1 and t.later[0] is t.latest for t in first.progress.timelines)
    shown = [t.raised.finding_id for t in first.progress.timelines + second.progress.timelines]
    assert len(shown) == len(set(shown))
    nothing = concerns_of(store, "kent")
    assert nothing.summary == "Kent Police: no later document I hold mentions any of its concerns." and not nothing.citations


def test_ask_json_has_the_chains(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'kb.db'}"
    store = progress_store(db)
    result = run("--db", db, "ask", "--json", "has lincolnshire police fixed its 999 calls?")
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert obj["intent"] == "progress" and obj["progress"]
    with store.session() as session:
        for chain in obj["progress"]:
            for step in (chain["raised"], *chain["later"]):
                assert session.get(Document, step["document"]["id"]).text[step["start"] : step["end"]] == step["quote"]
            for later in chain["later"]:
                if later["status"] != "unclear":
                    assert session.get(Document, later["document"]["id"]).text[later["cue_start"] : later["cue_end"]] == later["cue"]
            assert chain["as_of"].startswith("As of ") and chain["quoted_above"] >= 0 and chain["left_out"] >= 0
    assert [c["finding_id"] for c in obj["citations"]] == [s["finding_id"] for c in obj["progress"] for s in (c["raised"], *c["later"])]
    other = json.loads(run("--db", db, "ask", "--json", "norfolk police sex offenders").stdout)
    assert other["progress"] is None


@pytest.fixture
def api():
    with BotAPI(TOKEN) as server:
        yield server


def test_progress_in_the_bot_pages_cites_and_asks_which_one(api: BotAPI, tmp_path: Path):
    store = progress_store(f"sqlite:///{tmp_path / 'kb.db'}")
    chat = 91

    def scenario(api: BotAPI) -> None:
        api.send_text("/progress Lincolnshire Police", chat_id=chat)
        [first] = replies(api, chat, 1)
        assert first["text"].startswith("Lincolnshire Police: 6 concerns followed across later documents")
        api.press(button(first, "More")["callback_data"], first)
        second = replies(api, chat, 2)[1]
        assert "As of " in second["text"] and second["text"] != first["text"]
        api.press(button(first, "Cite 1")["callback_data"], first)
        cited = replies(api, chat, 3)[2]
        assert cited["text"].startswith("\u201cLincolnshire Police moved into enhanced monitoring\u201d")
        api.send_text("/progress lincolnshire", chat_id=chat)
        which = replies(api, chat, 4)[3]
        assert which["text"] == "Which one?" and [b["text"] for b in buttons(which)] == ["Lincolnshire Police", "Lincolnshire Fire and Rescue Service"]
        api.press(button(which, "Lincolnshire Police")["callback_data"], which)
        assert replies(api, chat, 5)[4]["text"] == first["text"]
        api.send_text("/progress", chat_id=chat)
        assert "/progress Kent Police" in replies(api, chat, 6)[5]["text"]
        api.send_text("has lincolnshire police fixed its 999 calls?", chat_id=chat)
        answered = replies(api, chat, 7)[6]
        assert "Raised 10 June 2021" in answered["text"] and "As of 1 February 2024: improved" in answered["text"]
        api.send_text("/help", chat_id=chat)
        assert "/progress" in replies(api, chat, 8)[7]["text"]

    run_bot(api, store, scenario)
    with store.session() as session:
        texts = {d.id: d.text for d in session.exec(select(Document))}
    for message in api.messages_to(chat):
        for quote in (line[1:-1] for line in message["text"].splitlines() if line.startswith("\u201c") and line.endswith("\u201d")):
            assert any(quote in text for text in texts.values()), quote


def test_followers_are_told_when_a_new_document_mentions_an_earlier_concern_with_both_quotes(api: BotAPI, tmp_path: Path):
    store = progress_store(f"sqlite:///{tmp_path / 'kb.db'}", leave_out="lincolnshire_peel_2024.txt")
    follow(store, 93, "lincolnshire")
    note = announced(api, store, 93, (PROGRESS / "lincolnshire_peel_2024.txt").read_bytes(), "peel.txt")
    text = note["text"]
    assert "It mentions an earlier concern" in text
    earlier, now = text.split("It mentions an earlier concern", 1)[1].split("In this document", 1)
    assert "10 June 2021" in earlier or "30 September 2021" in earlier
    with store.session() as session:
        held = [d.text for d in session.exec(select(Document))]
    quotes = [html.unescape(q) for q in re.findall(r"<blockquote>(.*?)</blockquote>", note["html"], re.S)]
    assert len(quotes) >= 2 and all(any(q in t for t in held) for q in quotes)
    said = re.search(r": (improved|not yet improved) \(\u201c(.+?)\u201d\)", now.split("\n", 1)[0])
    assert said and said.group(2) in now + text.split("It mentions", 1)[0]  # the words that state its status are the new document's own


def test_is_it_getting_better_opens_with_what_its_newest_documents_say_of_its_progress_as_a_whole(store: Store):
    result = checked(store, ask(store, "is lincolnshire police getting better?"))
    assert result.intent == "progress" and result.progress.overall
    first = result.progress.overall[0]
    assert first.quote == "The causes of concern we raised in our 2021 inspection have been discharged." and first.document.published == dt.date(2024, 2, 1)
    assert result.citations[: len(result.progress.overall)] == list(result.progress.overall)  # shown first, numbered first
    in_timelines = {c.finding_id for t in result.progress.timelines for c in t.citations}
    assert not in_timelines & {c.finding_id for c in result.progress.overall}  # never twice
    text = render_text(result)
    assert text.index("Overall 1 February 2024") < text.index("Raised ")
    assert "comes first" in result.summary
    topical = checked(store, ask(store, "has lincolnshire police fixed its 999 calls?"))
    assert not topical.progress.overall  # a concern asked about: its timeline, nothing else first


REVISIT_2022 = """date 2022-03-01 Norfolk Constabulary: crime data integrity inspection (synthetic test document)

Norfolk Constabulary crime data integrity inspection

Areas for improvement

The force failed to record an estimated 9,000 crimes reported to it each year.

The force does not record enough of the violent crimes reported to it, and supervisors do not check crime recording decisions.
"""
REVISIT_2024 = """date 2024-05-01 Norfolk Constabulary: crime recording revisit (synthetic test document)

Norfolk Constabulary crime recording revisit

We audited a sample of reports and found that the force recorded:

- 95% of reported violent crimes
- 97% of reported sex offences
- 98% of domestic abuse incidents reported as crimes
- 99% of reported burglaries

We found that Norfolk Constabulary has substantially improved its crime recording since our 2022 inspection.
"""


def test_a_timeline_quotes_what_each_later_document_says_of_it_once_not_the_tail_of_its_lists(tmp_path: Path):
    from tests.conftest import store_of

    store = store_of(tmp_path, {"inspection.txt": REVISIT_2022, "revisit.txt": REVISIT_2024})
    result = checked(store, ask(store, "did norfolk police fix its crime recording?"))
    first, second = result.progress.timelines
    quoted = [m.citation.quote for m in first.later]
    assert "We found that Norfolk Constabulary has substantially improved its crime recording since our 2022 inspection." in quoted
    assert not any(q.startswith("99%") for q in quoted)  # the revisit's verdict, not the last line of its list
    assert {m.citation.finding_id for m in second.later}.isdisjoint(m.citation.finding_id for m in first.later)  # not twice in one answer
    text = render_text(result)
    assert "later mention quoted above" in text or "later mentions quoted above" in text
    assert second.as_of.startswith("As of 1 May 2024: improved")  # where it stands is still said
