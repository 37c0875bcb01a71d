"""The Telegram bot end to end: the real python-telegram-bot HTTP stack against the stand-in Bot API."""

import asyncio
import datetime as dt
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app import build_application
from bot.cli import configure_logging
from bot.render import cite_text
from bot.settings import Settings
from knowledge import Store, answer
from knowledge.models import Document
from knowledge.questions.answering import Answerer
from knowledge.state import chats
from knowledge.state import store as storage
from testing.botapi import BOT_USERNAME, BotAPI, utf16_len
from tests.conftest import ARTICLES, FIXTURES, NO_POSTGRES, ROOT, TEST_DATABASE_URL, check_announcement, fresh_database, make_store

TOKEN = "123456789:TESTtokenABCDEFGHIJKLMNOPQRSTUVWXYZ_-0"
ADMIN = 4242
SEED_BULLET = "more consistency in the way officers manage lower-risk registered sex offenders"


@pytest.fixture
def api():
    with BotAPI(TOKEN) as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path / "kb.db", ARTICLES)


def run_bot(api: BotAPI, store: Store, scenario: Callable[[BotAPI], None], **settings: object) -> None:
    """Start the real Application polling the stand-in, run the scenario in a thread, stop cleanly."""
    config = Settings(_env_file=None, telegram_bot_token=TOKEN, telegram_base_url=api.base_url, telegram_admin_ids=[ADMIN], **settings)

    async def main() -> None:
        application = build_application(config, store)
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                await asyncio.to_thread(scenario, api)
            finally:
                await application.updater.stop()
                await application.stop()

    asyncio.run(main())
    assert api.errors == [], api.errors  # no 400 from the stand-in: HTML, lengths and buttons were all valid


def check_quotes(store: Store, text: str, question: str) -> None:
    """The bot's visible text carries every citation of the knowledge answer, verbatim from its document."""
    result = answer(store, question)
    with store.session() as session:
        for c in result.citations:
            assert session.get(Document, c.document.id).text[c.start : c.end] == c.quote
            assert c.quote in text
    assert result.citations or "no" in text.lower()


def following(store: Store, chat_id: int) -> list[str]:
    with store.reading() as session:
        return chats.following(session, chat_id)


def follow(store: Store, chat_id: int, organisation_id: str) -> None:
    store.write(lambda session: chats.follow(session, chat_id, organisation_id))


def documents(store: Store) -> list[Document]:
    with store.reading() as session:
        return storage.documents(session)


def replies(api: BotAPI, chat_id: int, count: int) -> list[dict]:
    return api.wait_for(lambda a: (m := a.messages_to(chat_id)) and len(m) >= count and m)


def announced(api: BotAPI, store: Store, chat_id: int, data: bytes, name: str = "new.txt") -> dict:
    """The one announcement a follower (`chat_id`) gets when an admin sends `data` as a file, read for clean sentences."""
    api.add_file("upload", data)

    def scenario(api: BotAPI) -> None:
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "upload", "file_unique_id": "up", "file_name": name, "file_size": 100}))
        replies(api, chat_id, 1)

    run_bot(api, store, scenario)
    [note] = api.messages_to(chat_id)
    check_announcement(note)
    return note


def buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def button(message: dict, starts: str) -> dict:
    """The one button under the message whose text starts so."""
    [found] = [b for b in buttons(message) if b["text"].startswith(starts)]
    return found


# -- commands ----------------------------------------------------------------------------------


def test_start_offers_three_example_buttons_that_answer(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("/start", chat_id=1)
        [welcome] = replies(api, 1, 1)
        examples = [row[0] for row in welcome["reply_markup"]["inline_keyboard"]]
        assert len(examples) == 3 and "5 documents" in welcome["text"]
        assert examples[0]["text"] == "What must Cambridgeshire Constabulary improve?"  # the organisation with the most findings
        assert examples[1]["text"] == "What is Greater Manchester Police good at?"
        api.press(examples[0]["callback_data"], welcome)
        answer_message = replies(api, 1, 2)[1]
        assert SEED_BULLET in answer_message["text"]
        assert "Cambridgeshire Constabulary" in answer_message["text"] and "22 December 2021" in answer_message["text"]

    run_bot(api, store, scenario)


def test_help_and_start_examples_name_organisations_the_bot_holds_findings_for(api: BotAPI, tmp_path: Path):
    from knowledge.ingest import ingest_paths

    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")  # no shipped corpus: nothing on Cambridgeshire
    assert [r.status for r in ingest_paths(store, [ARTICLES / "gmp_2024.txt"])] == ["added"]

    def scenario(api: BotAPI) -> None:
        api.send_text("/help", chat_id=5)
        api.send_text("/start", chat_id=6)
        help_text = replies(api, 5, 1)[0]["text"]
        [welcome] = replies(api, 6, 1)
        assert "Greater Manchester Police" in help_text and "Cambridgeshire" not in help_text and "Cambs" not in help_text
        assert [b["text"] for b in buttons(welcome)] == ["What must Greater Manchester Police improve?"]

    run_bot(api, store, scenario)


def test_help_about_forces_sources_and_latest(api: BotAPI, store: Store):
    from knowledge.ingest import ingest_paths

    assert [r.status for r in ingest_paths(store, [FIXTURES / "layouts" / "thames_valley_press_release_2025.html"])] == ["added"]  # with its address

    def scenario(api: BotAPI) -> None:
        for i, command in enumerate(["/help", "/about", "/forces", "/sources", "/latest"]):
            api.send_text(command, chat_id=2)
            replies(api, 2, i + 1)
        help_text, about, forces, sources, latest = (m["text"] for m in api.messages_to(2))
        assert "/follow" in help_text and "/forget" in help_text and "/grades" in help_text and f"@{BOT_USERNAME}" in help_text
        assert "Open Government Licence" in about and "whitespace" in about and "ligatures" in about
        assert "Cambridgeshire Constabulary: 12 findings" in forces and "Thames Valley Police" in forces and "Greater Manchester Police" in forces
        assert "Newest additions" in latest
        for listing in (sources, latest):  # newest published first, whatever order they were added in
            dates = [line.split(": ")[0].lstrip("\u2022 ") for line in listing.splitlines()[1:] if line]
            parsed = [dt.datetime.strptime(d, "%d %B %Y").date() for d in dates]
            assert parsed == sorted(parsed, reverse=True) and len(parsed) >= 5, dates
        sources_html, latest_html = (m["html"] for m in api.messages_to(2)[3:5])
        with_url = [d for d in documents(store) if d.url]
        assert with_url and all(f'<a href="{d.url}">' in sources_html and f'<a href="{d.url}">' in latest_html for d in with_url)

    run_bot(api, store, scenario)


def test_a_private_question_gets_verbatim_quotes_with_citations_in_html(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("what must Cambridgeshire improve?", chat_id=3)
        [message] = replies(api, 3, 1)
        assert "<blockquote>a more consistent approach to risk assessments" in message["html"]
        assert "<i>After \u201c\u2026the force still needs to make some improvements, including:\u201d</i>" in message["html"]
        assert message["text"].count("22 December 2021") == 1  # the document's header once, not under each quote
        check_quotes(store, message["text"], "what must Cambridgeshire improve?")
        assert "newsletter" not in message["text"]

    run_bot(api, store, scenario)


def test_groups_are_answered_only_when_the_bot_is_addressed(api: BotAPI, store: Store):
    group = -100123

    def scenario(api: BotAPI) -> None:
        api.send_text("what must Cambridgeshire improve?", chat_id=group, user_id=5, chat_type="supergroup")
        api.send_text(f"@{BOT_USERNAME} Peterborough police sex offenders", chat_id=group, user_id=5, chat_type="supergroup")
        first = replies(api, group, 1)
        assert len(first) == 1 and SEED_BULLET in first[0]["text"]
        api.send_text(f"/ask@{BOT_USERNAME} GMP vetting", chat_id=group, user_id=6, chat_type="supergroup")
        second = replies(api, group, 2)[1]
        assert "vetting of new officers" in second["text"]
        reply = api.message("and online abuse in cambs?", chat_id=group, user_id=5, chat_type="supergroup")
        reply["message"]["reply_to_message"] = {**second, "chat": {"id": group, "type": "supergroup"}}
        api.push(reply)
        third = replies(api, group, 3)[2]
        assert "online abuse investigations" in third["text"]
        time.sleep(0.5)
        assert len(api.messages_to(group)) == 3  # the unaddressed first message got nothing

    run_bot(api, store, scenario)


def test_inline_mode_offers_quotes_that_carry_their_citation(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.inline("cambs improve")
        api.wait_for(lambda a: a.inline_answers)
        api.inline("")
        api.wait_for(lambda a: len(a.inline_answers) == 2)

    run_bot(api, store, scenario)
    results, empty = (a["results"] for a in api.inline_answers)
    assert empty == []
    assert 3 <= len(results) <= 50
    texts = [r["input_message_content"]["message_text"] for r in results]
    assert any("a more consistent approach to risk assessments" in t for t in texts)
    assert all("Cambridgeshire Constabulary" in t and "22 December 2021" in t and "<blockquote>" in t for t in texts)


# -- buttons -----------------------------------------------------------------------------------


def test_ambiguous_names_get_did_you_mean_buttons(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("Reading", chat_id=7)  # a town whose police force and fire service both have findings
        [question] = replies(api, 7, 1)
        buttons = {row[0]["text"]: row[0]["callback_data"] for row in question["reply_markup"]["inline_keyboard"]}
        assert set(buttons) == {"Thames Valley Police", "Royal Berkshire Fire and Rescue Service"}
        assert all(len(d.encode()) <= 64 for d in buttons.values())
        api.press(buttons["Royal Berkshire Fire and Rescue Service"], question)
        assert replies(api, 7, 2)[1]["text"].startswith("Royal Berkshire Fire and Rescue Service: 1 finding")

    run_bot(api, store, scenario)


def test_more_pages_through_a_long_answer(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("Cambridgeshire", chat_id=8)
        [first] = replies(api, 8, 1)
        more = button(first, "More (")
        api.press(more["callback_data"], first)
        second = replies(api, 8, 2)[1]
        assert "Roy Wilsher" in second["text"] and "Roy Wilsher" not in first["text"].split("Said by")[0] or second["text"] != first["text"]
        assert second["text"] != first["text"]

    run_bot(api, store, scenario)


def test_long_answers_are_split_within_telegrams_limit(api: BotAPI, tmp_path: Path):
    sentence = "Inspectors found that the force must improve the way it supervises investigations into {n} " + "and its records of them " * 40 + "at every station."
    text = "date 2024-01-10 Police news (synthetic test document)\n\nKent Police told to improve supervision\n\n" + "\n\n".join(sentence.format(n=f"case type {i}") for i in range(6))
    (tmp_path / "long.txt").write_text(text.replace("the force", "Kent Police", 1))
    store = make_store(tmp_path / "kb.db", tmp_path / "long.txt")

    def scenario(api: BotAPI) -> None:
        api.send_text("what must Kent Police improve?", chat_id=9)
        messages = replies(api, 9, 2)
        time.sleep(0.3)
        messages = api.messages_to(9)
        assert len(messages) >= 2
        assert all(utf16_len(m["text"]) <= 4096 for m in messages)
        assert sum(m["text"].count("case type") for m in messages) == 6

    run_bot(api, store, scenario)


STALE = ["x:99", "f:not-a-force", "m:1:i:zz:"]  # well formed, but no example, organisation or organisation number of this release
FORGED = [*STALE, "m:nosuchtoken:1:", "p:nosuchtoken:cambridgeshire", "zzz", "m:" + "9" * 60, "g:zzzz", "g:", "c:",
          "c:" + "9" * 19, "x:0\n", "f:", "m:1:i:0:" + "w" * 41, "c:\u00b2", "x:\u00b2", "m:\u00b2:i:1:", "p:1:\u00b2:1:", "g:\u00b2",
          "c:99999999999999999", "c:2147483648", "c:0", "c:007", "c:-1", "c:+5", "c: 5", "m:101:i:0:", "m:1:z:0:", "m:1:i:0.0.0.0.0:",
          "x:100", "u:../etc", "u:Kent", "f:kent\n", "h:x", "hh", "x:0:", "m:0:i::a b c d e f g h i", "f:\u0138ent", "c:\u0661", "\u00e9"]


def test_forged_or_stale_button_data_gets_a_polite_answer_logged_once_without_a_traceback(api: BotAPI, database_url: str,
                                                                                            caplog: pytest.LogCaptureFixture):
    store = make_store(database_url, ARTICLES)

    def scenario(api: BotAPI) -> None:
        api.send_text("hello", chat_id=10)
        [message] = replies(api, 10, 1)
        for data in [*FORGED, "c:2147483647"]:  # the last is a finding id PostgreSQL can hold, and no finding has
            api.press(data, message)
        api.wait_for(lambda a: len(a.callback_answers) == len(FORGED) + 1)
        time.sleep(0.2)

    with caplog.at_level(logging.INFO, logger="inspection_bot"):
        run_bot(api, store, scenario, questions_per_minute=1000)
    *forged, held = [a["text"] for a in api.callback_answers]
    assert forged == ["That button has expired. Please ask again."] * len(FORGED) and held == "That quote is no longer held. Please ask again."
    assert len(api.messages_to(10)) == 1  # nothing was sent for any of them
    refused = [r for r in caplog.records if r.name == "inspection_bot" and "button" in r.getMessage()]
    assert len(refused) == len(FORGED) + 1 and not any(r.exc_info for r in refused)  # one line each, no traceback
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    store.engine.dispose()


def test_the_button_parser_reads_what_the_bot_makes_and_nothing_else():
    from bot.keyboards import Button, read

    assert read("m:1:i:3k.a:sex offenders") == Button("m", 1, "improve", ("3k", "a"), ("sex", "offenders"))
    assert read("c:2147483647") == Button("c", 2147483647) and read("c:2147483648") is None
    assert read("f:thames-valley") == Button("f", organisations=("thames-valley",)) and read("h") == Button("h")
    assert [data for data in FORGED if read(data) is not None] == STALE


def test_every_kind_of_button_does_what_it_says(api: BotAPI, tmp_path: Path):
    from knowledge.questions.wording import EXAMPLES

    empty = Store(f"sqlite:///{tmp_path / 'empty.db'}")  # holds nothing: /start offers the shipped examples
    store = make_store(tmp_path / "kb.db", ARTICLES)

    def on_empty(api: BotAPI) -> None:
        api.send_text("/start", chat_id=80)
        [welcome] = replies(api, 80, 1)
        first = buttons(welcome)[0]
        assert first["text"] == EXAMPLES[0] and first["callback_data"] == "x:0"
        api.press(first["callback_data"], welcome)
        assert len(replies(api, 80, 2)) == 2

    run_bot(api, empty, on_empty)
    assert [a.get("text") for a in api.callback_answers] == [None]  # answered without a notice

    with BotAPI(TOKEN) as second:
        def on_store(api: BotAPI) -> None:
            api.send_text("/follow Reading", chat_id=81)
            [which] = replies(api, 81, 1)
            assert which["text"] == "Which one do you want to follow?"
            api.press(button(which, "Thames Valley")["callback_data"], which)
            assert "now follows Thames Valley Police" in replies(api, 81, 2)[1]["text"]
            api.send_text("/grades Reading", chat_id=81)
            which = replies(api, 81, 3)[2]
            assert which["text"] == "Which one?"
            api.press(button(which, "Thames Valley")["callback_data"], which)
            assert replies(api, 81, 4)[3]["text"] == "I have no grades on record for Thames Valley Police."

        run_bot(second, store, on_store)
        assert [a.get("text") for a in second.callback_answers] == [None, None]
    assert following(store, 81) == ["thames-valley"]


def test_follow_unfollow_and_grades_with_a_town_or_a_shared_name_ask_which_one(api: BotAPI, store: Store):
    chat = 82
    said: list[str] = []

    def command(text: str, press: str | None = None) -> dict:
        """Send a command; with `press`, press the choice that starts so under its reply. The last reply."""
        api.send_text(text, chat_id=chat)
        reply = replies(api, chat, len(said) + 1)[-1]
        said.append(reply["text"])
        if press is not None:
            api.press(button(reply, press)["callback_data"], reply)
            reply = replies(api, chat, len(said) + 1)[-1]
            said.append(reply["text"])
        return reply

    def scenario(api: BotAPI) -> None:
        command("/follow reading", "Thames Valley Police")
        assert said[-2:] == ["Which one do you want to follow?", "This chat now follows Thames Valley Police. I will send a short note when a new "
                             "document about it arrives."]
        command("/follow nottingham", "Nottinghamshire Fire")
        assert said[-2] == "Which one do you want to follow?" and "now follows Nottinghamshire Fire and Rescue Service" in said[-1]
        command("/unfollow nottingham")  # the chat follows only one of the two
        assert said[-1] == "Stopped following Nottinghamshire Fire and Rescue Service."
        command("/follow kent", "Kent Police")
        command("/follow kent fire")  # the kind named: no need to ask
        assert "now follows Kent Fire and Rescue Service" in said[-1]
        which = command("/unfollow kent")
        assert said[-1] == "Which one do you want to stop following?" and [b["text"] for b in buttons(which)] == ["Kent Police", "Kent Fire and Rescue Service"]
        api.press(button(which, "Kent Fire")["callback_data"], which)
        assert replies(api, chat, len(said) + 1)[-1]["text"] == "Stopped following Kent Fire and Rescue Service."
        said.append("")
        which = command("/grades nottingham")
        assert said[-1] == "Which one?" and [b["text"] for b in buttons(which)] == ["Nottinghamshire Police", "Nottinghamshire Fire and Rescue Service"]
        command("/follow Police Scotland")
        assert said[-1].startswith("Police Scotland is inspected by HM Inspectorate of Constabulary in Scotland (HMICS), not HMICFRS")
        command("/follow zzzqqq")
        assert said[-1].startswith("I could not tell which force or fire service you mean.")

    run_bot(api, store, scenario)
    assert following(store, chat) == ["kent", "thames-valley"]


def test_the_glossary_explains_the_inspectorates_terms_from_about_and_under_answers(api: BotAPI, rich_store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("/about", chat_id=83)
        [about] = replies(api, 83, 1)
        api.press(button(about, "What do these terms mean?")["callback_data"], about)
        replies(api, 83, 2)
        api.send_text("Kent Police", chat_id=83)
        overview = replies(api, 83, 3)[2]
        assert button(overview, "What do these terms mean?")
        api.send_text("hello", chat_id=83)
        assert not [b for b in buttons(replies(api, 83, 4)[3]) if b["text"].startswith("What do")]  # nothing to explain

    run_bot(api, rich_store, scenario)
    glossary = api.messages_to(83)[1]["text"]
    for term in ("PEEL", "outstanding", "good", "adequate", "requires improvement", "inadequate", "Cause of concern", "Area for improvement",
                 "Recommendation", "Scan and Engage", "special measures", "Sources: HMICFRS glossary"):
        assert term in glossary, term
    assert utf16_len(glossary) < 2000  # a few lines, not a manual


# -- following and documents -------------------------------------------------------------------


def test_follow_then_an_admin_upload_notifies_followers(api: BotAPI, store: Store):
    new_article = (ARTICLES / "gmp_2024.txt").read_text().replace("2024-05-16", "2026-11-20").replace("101 calls", "non-emergency calls")
    api.add_file("doc-1", new_article.encode())

    def scenario(api: BotAPI) -> None:
        api.send_text("/follow manchester police", chat_id=11)
        assert "now follows Greater Manchester Police" in replies(api, 11, 1)[0]["text"]
        api.send_text("/follow GMP", chat_id=11)
        assert "already follows" in replies(api, 11, 2)[1]["text"]
        api.send_text("/following", chat_id=11)
        assert "Greater Manchester Police" in replies(api, 11, 3)[2]["text"]
        upload = api.message(None, chat_id=ADMIN, document={"file_id": "doc-1", "file_unique_id": "u1", "file_name": "gmp_update.txt", "file_size": len(new_article)})
        api.push(upload)
        assert "Ingested gmp_update.txt" in replies(api, ADMIN, 1)[0]["text"]
        note = replies(api, 11, 4)[3]
        assert "About Greater Manchester Police: " in note["text"] and "20 November 2026" in note["text"]
        assert "Inspectors from HMICFRS found that Greater Manchester Police" in note["text"]
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "doc-1", "file_unique_id": "u1", "file_name": "gmp_update.txt", "file_size": 10}))
        assert "already have that document" in replies(api, ADMIN, 2)[1]["text"]

    run_bot(api, store, scenario)
    assert following(store, 11) == ["greater-manchester"]


def test_an_announcement_is_clean_sentences_and_copies_each_quote_apart_from_its_label(api: BotAPI, store: Store):
    # A headline that is a sentence starting with "The": no "the The ..." and no "... . of <date>" around it.
    article = ("date 2026-11-21 The Chief Constable of Greater Manchester Police says the force will improve. (synthetic test document)\n\n"
               + (ARTICLES / "gmp_2024.txt").read_text().split("\n", 1)[1].replace("101 calls", "calls to the non-emergency number"))
    follow(store, 17, "greater-manchester")
    note = announced(api, store, 17, article.encode(), "gmp.txt")
    lines = note["text"].splitlines()
    assert lines[0].startswith("New document: The Chief Constable of Greater Manchester Police says") and lines[1].endswith("21 November 2026")
    assert lines[2].startswith("About Greater Manchester Police: ") and "the The" not in note["text"] and ". of" not in note["text"]
    assert lines[3].startswith("1. ") and f"<blockquote>{lines[4]}</blockquote>" in note["html"]  # label, then the quote, each a line


def test_a_non_admin_file_is_refused_without_downloading(api: BotAPI, store: Store):
    api.add_file("doc-2", b"synthetic test document")

    def scenario(api: BotAPI) -> None:
        api.push(api.message(None, chat_id=12, document={"file_id": "doc-2", "file_unique_id": "u2", "file_name": "x.txt", "file_size": 23}))
        assert "Only the bot's administrators" in replies(api, 12, 1)[0]["text"]

    run_bot(api, store, scenario)
    assert api.method_calls("getFile") == []
    assert len(documents(store)) == 5


def test_unfollow_forget_and_blocked_followers(api: BotAPI, store: Store):
    follow(store, 13, "cambridgeshire")
    follow(store, 13, "thames-valley")
    follow(store, 14, "greater-manchester")
    api.blocked.add(14)
    api.add_file("doc-3", (ARTICLES / "gmp_2024.txt").read_text().replace("2024-05-16", "2026-10-01").encode())

    def scenario(api: BotAPI) -> None:
        api.send_text("/unfollow oxford", chat_id=13)
        assert "Stopped following Thames Valley Police" in replies(api, 13, 1)[0]["text"]
        api.send_text("/forget", chat_id=13)
        assert "deleted 1 follow" in replies(api, 13, 2)[1]["text"]
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "doc-3", "file_unique_id": "u3", "file_name": "g.txt", "file_size": 100}))
        replies(api, ADMIN, 1)
        api.wait_for(lambda a: not following(store, 14))

    run_bot(api, store, scenario)
    assert following(store, 13) == [] and following(store, 14) == []


# -- hostile input and failures ----------------------------------------------------------------


def test_odd_updates_and_hostile_text_are_handled(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.push(api.message(None, chat_id=15, sticker={"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False, "is_video": False, "type": "regular"}))
        assert "only read text" in replies(api, 15, 1)[0]["text"]
        edited = api.message("what must Cambridgeshire improve?", chat_id=15)
        api.push({"edited_message": {**edited["message"], "edit_date": int(time.time())}})
        api.push({"channel_post": {**api.message("cambs", chat_id=-1009, chat_type="channel")["message"]}})
        api.send_text("<b>Cambs</b> & <i>improve</i>", chat_id=15)
        assert "a more consistent approach" in replies(api, 15, 2)[1]["text"]
        api.send_text("<script>alert('x & y')</script> cambs", chat_id=15)
        assert "Nothing on \u201cscript\u201d or \u201calert\u201d" in replies(api, 15, 3)[2]["text"]
        api.send_text("cambs " + "x" * 5000, chat_id=15)
        replies(api, 15, 4)
        api.send_text("\u202e\U0001f600\u200b", chat_id=15)
        assert "I answer questions about HMICFRS" in replies(api, 15, 5)[4]["text"]
        time.sleep(0.3)
        assert len(api.messages_to(15)) == 5 and api.messages_to(-1009) == []

    run_bot(api, store, scenario)


def test_a_429_during_an_answer_is_retried(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.fail("sendMessage", 429, times=1, retry_after=1)
        api.send_text("Peterborough police sex offenders", chat_id=16)
        assert SEED_BULLET in replies(api, 16, 1)[0]["text"]

    run_bot(api, store, scenario)
    assert len([p for p in api.method_calls("sendMessage") if int(p["chat_id"]) == 16]) == 2


def test_a_server_error_is_logged_without_the_token_and_the_user_is_told(api: BotAPI, store: Store, capfd: pytest.CaptureFixture):
    configure_logging()  # the production log setup: httpx quiet, tokens redacted
    logging.getLogger("httpx").setLevel(logging.INFO)  # even if httpx were loud, no token may show

    def scenario(api: BotAPI) -> None:
        api.fail("sendMessage", 500, times=1)
        api.send_text("what must Cambridgeshire improve? my phone is 07700 900123", chat_id=17)
        assert "something went wrong" in replies(api, 17, 1)[0]["text"]

    run_bot(api, store, scenario)
    logs = capfd.readouterr().err
    assert "error handling Update" in logs and "HTTP Request" in logs and "[token]" in logs
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs
    assert "07700 900123" not in logs


def test_one_users_flood_is_limited_and_others_are_still_answered(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        for _ in range(12):
            api.send_text("cambs vetting", chat_id=18)
        api.send_text("Peterborough police sex offenders", chat_id=19)
        assert SEED_BULLET in replies(api, 19, 1)[0]["text"]
        api.wait_for(lambda a: any("faster than I can answer" in m["text"] for m in a.messages_to(18)))
        time.sleep(0.5)

    run_bot(api, store, scenario, questions_per_minute=3)
    flood = api.messages_to(18)
    assert len(flood) == 4  # three answers and one polite refusal, then silence


# -- the real process ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_update(port: int, path: str, update: dict | bytes, secret: str) -> int:
    """Deliver an update to a webhook worker as Telegram would (or any body at all)."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/{path}", data=body,
                                     headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def start_process(api: BotAPI, tmp_path: Path, **env: str) -> subprocess.Popen:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_URL"))}
    full_env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url, DATABASE_URL=f"sqlite:///{tmp_path / 'kb.db'}")
    full_env.update(env)
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_run_polls_answers_and_stops_cleanly_on_sigterm(api: BotAPI, tmp_path: Path):
    import datetime as dt

    from sqlmodel import select

    from knowledge.models import ChatContext, Quota
    from knowledge.state import chats

    old = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    old.write(lambda session: chats.take_quota(session, 99, long_ago))  # a minute long over
    old.write(lambda session: chats.save_context(session, 98, ["kent"], "improve", [], long_ago))
    proc = start_process(api, tmp_path)
    try:
        api.wait_for(lambda a: a.method_calls("getUpdates"), timeout=30)

        def left() -> list:
            with old.session() as session:
                return session.exec(select(Quota.user_id)).all() + session.exec(select(ChatContext.chat_id)).all()

        deadline = time.monotonic() + 30
        while left() and time.monotonic() < deadline:  # pruned as the bot starts, then every minute
            time.sleep(0.1)
        assert left() == []
        api.send_text("what must Cambridgeshire improve?", chat_id=20)
        assert "a more consistent approach" in replies(api, 20, 1)[0]["text"]
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, output
    assert "stopped cleanly" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output
    assert api.method_calls("deleteWebhook")
    assert "follow" in api.method_calls("setMyCommands")[0]["commands"][8]["command"]  # after /grades and /progress


def test_the_running_bot_logs_nothing_while_nothing_happens(api: BotAPI, tmp_path: Path):
    proc = start_process(api, tmp_path, ANNOUNCE_EVERY_SECONDS="0.5")
    try:
        api.wait_for(lambda a: a.method_calls("getUpdates"), timeout=30)
        time.sleep(6)  # a dozen announcement checks
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    started = output.splitlines().index(next(line for line in output.splitlines() if "Application started" in line))
    stopping = output.splitlines().index(next(line for line in output.splitlines() if "Application is stopping" in line))
    assert output.splitlines()[started + 1 : stopping] == [], output  # not a line between starting and stopping
    assert "apscheduler" not in output


def test_run_without_a_token_explains_what_to_set(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")} | {"DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}"}
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "TELEGRAM_BOT_TOKEN" in result.stderr
    bad = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env | {"TELEGRAM_BOT_TOKEN": "12345:short-secret-value"}, capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "short-secret-value" not in bad.stderr + bad.stdout


def start_webhook(api: BotAPI, tmp_path: Path) -> tuple[int, subprocess.Popen]:
    """The bot in webhook mode (secret "s3cret-value") on a free port, once it has set its webhook and listens."""
    port = free_port()
    proc = start_process(api, tmp_path, WEBHOOK_URL=f"http://127.0.0.1:{port}/telegram-hook", WEBHOOK_SECRET="s3cret-value", WEBHOOK_PORT=str(port))
    try:
        api.wait_for(lambda a: a.webhook, timeout=30)
        deadline = time.monotonic() + 30
        while not listening(port):  # setWebhook comes just before the server listens
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
    except BaseException:
        proc.kill()
        raise
    return port, proc


def test_webhook_mode_checks_the_secret_and_answers(api: BotAPI, tmp_path: Path):
    port, proc = start_webhook(api, tmp_path)
    try:
        assert api.webhook["url"] == f"http://127.0.0.1:{port}/telegram-hook" and api.webhook["secret_token"] == "s3cret-value"

        def post(update: dict, secret: str) -> int:
            return post_update(port, "telegram-hook", update, secret)

        forged = api.message("what must Cambridgeshire improve?", chat_id=21) | {"update_id": 1}
        assert post(forged, "wrong") == 403
        real = api.message("Peterborough police sex offenders", chat_id=22) | {"update_id": 2}
        assert post(real, "s3cret-value") == 200
        assert SEED_BULLET in replies(api, 22, 1)[0]["text"]
        assert api.messages_to(21) == []
        assert post(b"{not json: my phone is 07700 900123", "s3cret-value") in (400, 500)
        assert post({"update_id": 3, "message": {"text": "my phone is 07700 900123"}}, "s3cret-value") == 400  # no chat, no date
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, output
    assert "s3cret-value" not in output and TOKEN not in output
    assert output.count("refused a webhook request whose body is not an update") == 1  # the other is not even JSON
    assert "07700 900123" not in output and "CRITICAL" not in output and "Traceback" not in output


def test_the_webhook_refuses_a_huge_body_before_reading_it(api: BotAPI, tmp_path: Path):
    port, proc = start_webhook(api, tmp_path)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:  # announces 60 MB, sends none of it
            conn.sendall(b"POST /telegram-hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"X-Telegram-Bot-Api-Secret-Token: s3cret-value\r\nContent-Length: 62914560\r\n\r\n{")
            started = time.monotonic()
            answer_line = conn.recv(200).split(b"\r\n")[0]
            assert answer_line.startswith(b"HTTP/1.1 4") and time.monotonic() - started < 2, answer_line  # at once, not after 60 MB
        real = api.message("Peterborough police sex offenders", chat_id=23) | {"update_id": 5}
        assert post_update(port, "telegram-hook", real, "s3cret-value") == 200  # an update of ordinary size still gets in
        assert SEED_BULLET in replies(api, 23, 1)[0]["text"]
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, output
    assert "Traceback" not in output


def test_an_admin_can_send_a_pdf_report(api: BotAPI, store: Store):
    from testing.pdfmaker import norfolk_report

    api.add_file("pdf-1", norfolk_report())

    def scenario(api: BotAPI) -> None:
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "pdf-1", "file_unique_id": "p1", "file_name": "norfolk.pdf", "file_size": 4000, "mime_type": "application/pdf"}))
        assert "Ingested norfolk.pdf" in replies(api, ADMIN, 1)[0]["text"]
        api.send_text("recommendations for Norfolk police", chat_id=ADMIN)
        reply = replies(api, ADMIN, 2)[1]
        assert "Recommendation (within six months)" in reply["text"] and "Norfolk Constabulary inspection (synthetic test document)" in reply["text"]

    run_bot(api, store, scenario)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason=NO_POSTGRES)
def test_two_webhook_workers_share_one_postgresql_database(api: BotAPI, tmp_path: Path):
    new_article = (ARTICLES / "gmp_2024.txt").read_text().replace("2024-05-16", "2026-11-21").replace("stalking", "harassment online")
    api.add_file("doc-w", new_article.encode())
    with fresh_database("postgresql", tmp_path) as url:
        ports = [free_port(), free_port()]
        workers = [
            start_process(api, tmp_path, DATABASE_URL=url, WEBHOOK_URL=f"http://127.0.0.1:{port}/hook", WEBHOOK_SECRET="shared-secret",
                          WEBHOOK_PORT=str(port), TELEGRAM_ADMIN_IDS=str(ADMIN))
            for port in ports
        ]
        try:
            deadline = time.monotonic() + 60
            while not all(listening(p) for p in ports):
                assert time.monotonic() < deadline and all(w.poll() is None for w in workers)
                time.sleep(0.2)
            a, b = ports
            counter = iter(range(1, 1000))

            def send(port: int, update: dict) -> None:
                assert post_update(port, "hook", update | {"update_id": next(counter)}, "shared-secret") == 200

            send(a, api.message("/follow GMP", chat_id=30))
            assert "now follows Greater Manchester Police" in replies(api, 30, 1)[0]["text"]
            send(b, api.message("what must Cambridgeshire improve?", chat_id=31))
            send(a, api.message("Peterborough police sex offenders", chat_id=32))
            assert "a more consistent approach" in replies(api, 31, 1)[0]["text"]
            assert SEED_BULLET in replies(api, 32, 1)[0]["text"]
            send(a, api.message("Cambridgeshire", chat_id=33))
            [first] = replies(api, 33, 1)
            more = button(first, "More (")
            send(b, {"callback_query": {"id": "cq1", "from": api.user(33), "chat_instance": "1", "message": first, "data": more["callback_data"]}})
            assert replies(api, 33, 2)[1]["text"] != first["text"]  # a button made by one worker works on the other
            send(b, api.message(None, chat_id=ADMIN, document={"file_id": "doc-w", "file_unique_id": "w", "file_name": "gmp_new.txt", "file_size": 1200}))
            assert "Ingested gmp_new.txt" in replies(api, ADMIN, 1)[0]["text"]
            note = replies(api, 30, 2)[1]  # the follow made through A is honoured by B's ingest
            assert "About Greater Manchester Police: " in note["text"] and "21 November 2026" in note["text"]
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            outputs = [w.communicate(timeout=30)[0] for w in workers]
            for w in workers:
                w.kill()
    assert [w.returncode for w in workers] == [0, 0], outputs


def test_the_bot_stores_no_message_text(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("Cambridgeshire zebrafinch", chat_id=40)
        api.send_text("Cambridgeshire", chat_id=40)
        first = replies(api, 40, 2)[1]
        more = button(first, "More (")
        api.press(more["callback_data"], first)
        replies(api, 40, 3)
        api.send_text("Durham zebrafinch", chat_id=40)
        replies(api, 40, 4)
        api.send_text("/follow Peterborough police", chat_id=40)
        replies(api, 40, 5)

    run_bot(api, store, scenario)
    with store.engine.connect() as conn:
        from sqlalchemy import inspect, text

        for table in inspect(conn).get_table_names():
            if table.startswith(("finding_fts", "alembic")):
                continue
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                assert "zebrafinch" not in " ".join(map(str, row)).lower(), table
    assert following(store, 40) == ["cambridgeshire"]


def rows_naming(store: Store, value: int) -> list[str]:
    """Every table with a row that holds `value` in any column (the search index and Alembic's own left out)."""
    from sqlalchemy import inspect, text

    found = []
    with store.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            if not table.startswith(("finding_fts", "alembic")):
                found += [table for row in conn.execute(text(f'SELECT * FROM "{table}"')) if value in row or str(value) in row]
    return found


def test_forget_leaves_no_row_about_the_chat_or_the_user_in_any_table(api: BotAPI, database_url: str):
    store = make_store(database_url, ARTICLES)
    chat = 7_654_321_987  # a private chat's id is its user's
    new_article = (ARTICLES / "gmp_2024.txt").read_text().replace("2024-05-16", "2026-11-20").replace("101 calls", "non-emergency calls")
    api.add_file("doc-9", new_article.encode())

    def scenario(api: BotAPI) -> None:
        api.send_text("/follow GMP", chat_id=chat)
        api.send_text("/follow Kent Police", chat_id=chat)
        api.send_text("what must Cambridgeshire improve?", chat_id=chat)
        answered = replies(api, chat, 3)[2]
        api.press(button(answered, "Cite 1")["callback_data"], answered)
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "doc-9", "file_unique_id": "u9", "file_name": "gmp.txt", "file_size": 100}))
        assert "New document" in replies(api, chat, 5)[4]["text"]  # one announcement, recorded as delivered
        api.wait_for(lambda a: "delivery" in rows_naming(store, chat))
        assert sorted(set(rows_naming(store, chat))) == ["chatcontext", "delivery", "follow", "quota"]
        api.send_text("/forget", chat_id=chat)
        done = replies(api, chat, 6)[5]["text"]
        assert "deleted 2 follows, the record of which new documents I told this chat about" in done

    run_bot(api, store, scenario)
    assert rows_naming(store, chat) == []
    store.engine.dispose()


def test_in_a_group_only_admins_unfollow(api: BotAPI, store: Store):
    group = -100300
    follow(store, group, "kent")
    follow(store, group, "thames-valley")
    api.admins[group] = {71}

    def scenario(api: BotAPI) -> None:
        for n, command in enumerate(("/unfollow", "/unfollow Kent Police"), start=1):
            api.send_text(f"{command}@{BOT_USERNAME}", chat_id=group, user_id=70, chat_type="supergroup")
            assert replies(api, group, n)[n - 1]["text"] == "Only the group's administrators can stop it following something."
        assert following(store, group) == ["kent", "thames-valley"]
        api.send_text(f"/unfollow@{BOT_USERNAME} Kent Police", chat_id=group, user_id=71, chat_type="supergroup")
        assert replies(api, group, 3)[2]["text"] == "Stopped following Kent Police."

    run_bot(api, store, scenario)
    assert following(store, group) == ["thames-valley"]


def test_a_rejected_token_is_never_printed(tmp_path: Path):
    with BotAPI("987654321:SomeoneElsesTokenABCDEFGHIJKLMNOP") as other:  # answers 401 to our token
        proc = start_process(other, tmp_path)
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1, output
    assert "could not start the bot: InvalidToken" in output
    assert TOKEN not in output and TOKEN.split(":")[1] not in output and "Traceback" not in output


def test_a_webhook_is_refused_without_a_secret(api: BotAPI, tmp_path: Path):
    proc = start_process(api, tmp_path, WEBHOOK_URL=f"http://127.0.0.1:{free_port()}/hook")
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "WEBHOOK_SECRET" in output and "refused" in output
    assert api.method_calls("setWebhook") == [] and api.method_calls("getUpdates") == []


# -- limits, forgetting and stopping ---------------------------------------------------------------


def test_one_users_flood_does_not_queue_ahead_of_another_users_question(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        for _ in range(60):
            api.send_text("cambs vetting", chat_id=50)
        api.send_text("Peterborough police sex offenders", chat_id=51)
        assert SEED_BULLET in replies(api, 51, 1)[0]["text"]
        ahead = len(api.messages_to(50))
        assert ahead < 10, ahead  # first come, first served it would be about 55
        replies(api, 50, 60)

    run_bot(api, store, scenario, questions_per_minute=1000)


def test_commands_buttons_and_inline_queries_share_one_limit(api: BotAPI, store: Store):
    def scenario(api: BotAPI) -> None:
        for _ in range(6):
            api.send_text("/forces", chat_id=52)
        replies(api, 52, 5)
        [welcome] = [m for m in api.messages_to(52)][:1]
        for _ in range(3):
            api.inline("cambs improve", user_id=52)
            api.press("x:0", welcome)
        api.send_text("/forces", chat_id=53)
        replies(api, 53, 1)
        time.sleep(0.5)

    run_bot(api, store, scenario, questions_per_minute=4)
    texts = [m["text"] for m in api.messages_to(52)]
    assert len(texts) == 5 and texts.count("You are asking faster than I can answer well. Please wait a minute and ask again.") == 1
    assert api.inline_answers == [] and api.callback_answers == []  # told once already: the rest of the flood is dropped
    assert "Organisations I have findings for" in api.messages_to(53)[0]["text"]


def test_in_a_group_only_admins_forget_its_follows(api: BotAPI, store: Store):
    from sqlmodel import select

    from knowledge.models import Quota

    group = -100200
    follow(store, group, "kent")
    api.admins[group] = {61}

    def scenario(api: BotAPI) -> None:
        api.send_text(f"/forget@{BOT_USERNAME}", chat_id=group, user_id=60, chat_type="supergroup")
        assert "Only the group's administrators" in replies(api, group, 1)[0]["text"]
        assert following(store, group) == ["kent"]
        api.send_text(f"/forget@{BOT_USERNAME}", chat_id=group, user_id=61, chat_type="supergroup")
        assert "Done. I deleted 1 follow" in replies(api, group, 2)[1]["text"]

    run_bot(api, store, scenario)
    assert following(store, group) == []
    with store.session() as session:
        assert session.exec(select(Quota.user_id)).all() == []  # both users' counts went with their /forget


def test_a_button_under_an_inline_message_gets_a_polite_answer(api: BotAPI, store: Store, caplog: pytest.LogCaptureFixture):
    def scenario(api: BotAPI) -> None:
        for data in ("x:0", "f:kent", "m:1:i:0:"):
            api.press_inline(data, user_id=54)
        api.wait_for(lambda a: len(a.callback_answers) == 3)

    with caplog.at_level(logging.ERROR):
        run_bot(api, store, scenario)
    assert {a["text"] for a in api.callback_answers} == {"That button works only in a chat with me."}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("name, shown", [("..", "document"), (".", "document"), ("a" * 300 + ".txt", "a" * 251 + ".txt"),
                                         ("x\x00y.txt", "xy.txt"), ("evil\nInserted line.txt", "evilInserted line.txt"), ("../../etc/cron.d/x.txt", "_.._etc_cron.d_x.txt")])
def test_admin_file_names_that_are_no_file_names_are_made_safe(api: BotAPI, store: Store, name: str, shown: str, caplog: pytest.LogCaptureFixture):
    api.add_file("odd", (ARTICLES / "gmp_2024.txt").read_text().replace("2024-05-16", "2026-11-22").encode())

    def scenario(api: BotAPI) -> None:
        api.push(api.message(None, chat_id=ADMIN, document={"file_id": "odd", "file_unique_id": "o", "file_name": name, "file_size": 1200}))
        replies(api, ADMIN, 1)

    with caplog.at_level(logging.ERROR):
        run_bot(api, store, scenario)
    assert api.messages_to(ADMIN)[0]["text"].startswith(f"Ingested {shown}: ")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(d.source_path == f"telegram:{shown}" for d in documents(store))


def test_sigterm_finishes_every_acknowledged_update_within_the_grace_period(api: BotAPI, tmp_path: Path):
    proc = start_process(api, tmp_path, STOP_GRACE_SECONDS="20")
    try:
        api.wait_for(lambda a: a.method_calls("getUpdates"), timeout=30)
        chats = range(70, 110)
        for chat in chats:
            api.send_text("what must Cambridgeshire improve?", chat_id=chat)
        last = api.updates[-1]["update_id"]
        api.wait_for(lambda a: any(int(p.get("offset") or 0) > last for p in a.method_calls("getUpdates")), timeout=30)  # acknowledged
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, output
    assert all(api.messages_to(chat) for chat in chats), [chat for chat in chats if not api.messages_to(chat)]
    finished = int(output.split("finished ")[1].split(" update")[0])
    assert finished >= 1 and "0 given up after the 20 s grace period" in output


def test_what_is_still_running_at_the_end_of_the_grace_period_is_given_up():
    from bot.limiter import Limiter

    async def main() -> Limiter:
        limiter = Limiter(per_minute=100, slots=1)
        never = asyncio.Event()
        first = asyncio.create_task(limiter.do_process_update(object(), never.wait()))
        second = asyncio.create_task(limiter.do_process_update(object(), never.wait()))  # waits for the only slot
        await asyncio.sleep(0)
        limiter.stop_within(0.2)
        await asyncio.wait_for(asyncio.gather(first, second), timeout=30)
        return limiter

    limiter = asyncio.run(main())
    assert (limiter.given_up, limiter.finished_in_stop) == (2, 0)


def test_group_chatter_not_addressed_to_the_bot_uses_no_allowance(api: BotAPI, store: Store):
    group = -100300

    def scenario(api: BotAPI) -> None:
        for _ in range(5):
            api.send_text("what must Cambridgeshire improve?", chat_id=group, user_id=70, chat_type="supergroup")
        api.send_text(f"@{BOT_USERNAME} Peterborough police sex offenders", chat_id=group, user_id=70, chat_type="supergroup")
        api.send_text(f"/ask@{BOT_USERNAME} Peterborough police sex offenders", chat_id=group, user_id=70, chat_type="supergroup")
        replies(api, group, 2)
        time.sleep(0.5)

    run_bot(api, store, scenario, questions_per_minute=2)
    assert [SEED_BULLET in m["text"] for m in api.messages_to(group)] == [True, True]


# -- answers a journalist can publish from (issue 10) ------------------------------------------------


@pytest.fixture
def rich_store(tmp_path: Path) -> Store:
    """The seed articles and the format fixtures: Kent Police has a graded PEEL report with its address, a
    press release and a news story."""
    return make_store(tmp_path / "kb.db", ARTICLES, FIXTURES / "formats")


def headers(html_text: str) -> list[str]:
    """The document headers of one message (each starts with the document symbol)."""
    return [line for line in html_text.splitlines() if line.startswith("\U0001f4c4")]


def test_an_overview_leads_with_its_summary_and_fits_one_phone_screen(api: BotAPI, rich_store: Store):
    def scenario(api: BotAPI) -> None:
        for i, name in enumerate(["Kent Police", "Greater Manchester Police", "Cambridgeshire Constabulary"]):
            api.send_text(name, chat_id=60)
            replies(api, 60, i + 1)
        time.sleep(0.3)

    run_bot(api, rich_store, scenario)
    kent, gmp, cambs = api.messages_to(60)  # one message each: the summary and the first findings, then "More"
    for message in (kent, gmp, cambs):
        assert utf16_len(message["text"]) <= 1500, (utf16_len(message["text"]), message["text"])
        assert button(message, "More (") and button(message, "Cite 1")
        assert len(headers(message["html"])) == len(set(headers(message["html"])))  # no document named twice
    text = kent["text"]
    assert text.startswith("Kent Police: 23 findings from 3 documents, the most serious first.")
    block = text[: text.index("\U0001f4c4")]  # the summary block comes before any quote
    assert "Latest grades" in block and "Responding to the public \u2014 inadequate" in block and "16 May 2024" in block
    assert "Grades from different inspection cycles are not comparable." in block
    assert "On record: 1 cause of concern, 5 areas for improvement and 2 recommendations" in block
    assert "Monitoring: in Engage" in block
    assert text.index("1. Cause of concern") < text.index("2. ")  # the most serious finding first
    assert '<a href="https://hmicfrs.example.test/peel-2023-25-kent/">PEEL 2023\u201325: An inspection of Kent Police' in kent["html"]
    assert button(kent, "Grades picture")
    assert "Monitoring: out of Engage" in gmp["text"]  # the newest document reports the removal from Engage


def test_copied_text_keeps_each_label_on_its_own_line(api: BotAPI, rich_store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("what must Cambridgeshire improve?", chat_id=61)
        replies(api, 61, 1)

    run_bot(api, rich_store, scenario)
    [message] = api.messages_to(61)
    result = answer(rich_store, "what must Cambridgeshire improve?")
    text = message["text"]
    for c in result.citations:
        end = text.index(c.quote) + len(c.quote)
        assert text[end : end + 1] in ("\n", ""), repr(text[end : end + 40])  # the next label is not glued to the quote
        start = text.index(c.quote)
        assert text[start - 1] == "\n"
    assert "\n1. Area for improvement\n" in text


KENT_REPORT = "\u201cPEEL 2023\u201325: An inspection of Kent Police (synthetic test document)\u201d, 16 May 2024, https://hmicfrs.example.test/peel-2023-25-kent/"


def test_cite_gives_one_quote_ready_to_paste(api: BotAPI, rich_store: Store):
    def scenario(api: BotAPI) -> None:
        api.send_text("Kent Police causes of concern", chat_id=62)
        [first] = replies(api, 62, 1)
        cite = button(first, "Cite 1")
        assert len(cite["callback_data"].encode()) <= 64
        api.press(cite["callback_data"], first)
        replies(api, 62, 2)
        api.press("c:999999999", first)  # a quote no longer held
        api.wait_for(lambda a: len(a.callback_answers) == 2)

    run_bot(api, rich_store, scenario)
    pasted = api.messages_to(62)[1]
    assert "parse_mode" not in [p for p in api.method_calls("sendMessage") if p["text"] == pasted["text"]][0]  # plain text
    assert pasted["text"] == (
        "\u201cThe force is not answering emergency calls quickly enough, and too many callers abandon their calls to the 101 non-emergency number.\u201d\n"
        f"\u2014 HMICFRS, {KENT_REPORT}\n"
        "Cause of concern, about Kent Police."
    )
    assert api.callback_answers[1]["text"] == "That quote is no longer held. Please ask again."


def cited(api: BotAPI, chat: int, question: str, number: int, *, more: bool = False) -> tuple[dict, str]:
    """Ask, page on once with `more`, press "Cite n": the message with the button, and the text it pastes."""
    api.send_text(question, chat_id=chat)
    shown = replies(api, chat, 1)[-1]
    if more:
        api.press(button(shown, "More (")["callback_data"], shown)
        shown = replies(api, chat, 2)[-1]
    api.press(button(shown, f"Cite {number}")["callback_data"], shown)
    return shown, replies(api, chat, 3 if more else 2)[-1]["text"]


def test_cite_credits_who_is_speaking_with_the_kind_the_lead_in_and_numbers_that_go_on_across_pages(api: BotAPI, rich_store: Store):
    pasted: dict[str, tuple[dict, str]] = {}

    def scenario(api: BotAPI) -> None:
        pasted["statement"] = cited(api, 63, "what did the inspector say about Kent", 1)
        pasted["table"] = cited(api, 64, "how was Kent graded?", 3)
        pasted["fragment"] = cited(api, 65, "what must Cambridgeshire improve?", 1)
        pasted["page two"] = cited(api, 66, "what must Kent improve?", 7, more=True)

    run_bot(api, rich_store, scenario)
    statement = pasted["statement"][1].splitlines()
    assert statement[1:] == [f"\u2014 Alex Example, HM Inspector of Constabulary, in {KENT_REPORT.replace(', 16 May', ', HMICFRS, 16 May')}",
                             "Statement, about Kent Police."]
    shown, table = pasted["table"]
    assert table.splitlines() == ["Preventing crime: good (table in PEEL 2023\u201325: An inspection of Kent Police (synthetic test document))",
                                  f"\u2014 HMICFRS, {KENT_REPORT}", "Grade, about Kent Police."]
    assert "3. Grade\nPreventing crime: good (table in" in shown["text"] and " | " not in shown["text"]  # a fact of the table, not a quotation
    assert "\u201cPreventing crime" not in shown["text"] + table
    fragment = pasted["fragment"][1].splitlines()
    assert fragment == ["\u201ca more consistent approach to risk assessments when children are involved in domestic abuse cases\u201d",
                        "\u2014 HMICFRS, as reported in \u201cHer Majesty\u2019s Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) found "
                        "examples of good work at Cambridgeshire Constabulary\u2026\u201d, news article, 22 December 2021",
                        "Area for improvement, about Cambridgeshire Constabulary.",
                        "Lead-in: \u201c\u2026the force still needs to make some improvements, including:\u201d"]
    page_two, seventh = pasted["page two"]
    assert page_two["text"].count("\n7. ") == 1 and "\n1. " not in page_two["text"]  # page 2 goes on from 6
    assert [b["text"] for b in buttons(page_two) if b["text"].startswith("Cite")][0] == "Cite 7"
    result = Answerer(rich_store, overview_page=3).answer_again("improve", ["kent"], [], page=1)
    assert seventh == cite_text(result.citations[0])


def test_grades_come_as_a_small_picture_with_the_facts_in_its_caption(api: BotAPI, rich_store: Store):
    from io import BytesIO

    from PIL import Image

    def scenario(api: BotAPI) -> None:
        api.send_text("/grades Kent Police", chat_id=63)
        replies(api, 63, 1)
        api.send_text("Kent Police", chat_id=63)
        overview = replies(api, 63, 2)[1]
        api.press(button(overview, "Grades picture")["callback_data"], overview)
        replies(api, 63, 3)
        api.send_text("/grades", chat_id=63)
        replies(api, 63, 4)  # its answer before the next command's: the bot may answer two updates in either order
        api.send_text("/grades Thames Valley Police", chat_id=63)
        replies(api, 63, 5)

    run_bot(api, rich_store, scenario)
    picture, _, again, usage, none = api.messages_to(63)
    image = Image.open(BytesIO(picture["bytes"]))
    assert image.format == "PNG" and 300 <= image.width <= 800 and 150 <= image.height <= 1000, image.size
    assert len(picture["bytes"]) < 200_000
    caption = picture["caption"]
    assert caption.startswith("Kent Police: HMICFRS grades by area")
    for line in ("\u2022 Responding to the public: inadequate (16 May 2024)", "\u2022 Investigating crime: requires improvement (16 May 2024)",
                 "\u2022 Preventing crime: good (16 May 2024)", "\u2022 Protecting vulnerable people: adequate (16 May 2024)",
                 "Grades from different inspection cycles are not comparable.", "PEEL 2023\u201325: An inspection of Kent Police"):
        assert line in caption
    assert again["caption"] == caption and again["bytes"] == picture["bytes"]
    assert "/grades Kent Police" in usage["text"]
    assert none["text"] == "I have no grades on record for Thames Valley Police."


def test_the_grades_picture_fits_a_phone_however_many_inspections_and_however_long_the_area_names():
    from io import BytesIO

    from PIL import Image

    from bot.picture import grades_caption, grades_picture
    from knowledge.questions.answers import DocumentRef, GradeRow

    documents = [DocumentRef(i, f"Inspection {year}", "HMICFRS", None, dt.date(year, 5, 1), None, None, "report")
                 for i, year in enumerate(range(2014, 2026, 2), start=1)]
    long_name = "an area named at such length that it could never fit on one line of a picture meant for a phone screen"
    rows = [GradeRow(area, grade, f"{d.published.year}", d) for d in reversed(documents)
            for area, grade in ((long_name, "requires_improvement"), ("Responding to the public", "good"), ("responding to the public", "good"))]
    image = Image.open(BytesIO(grades_picture("Somewhere Constabulary", rows)))
    assert image.width <= 800 and image.height < 400, image.size
    caption = grades_caption("Somewhere Constabulary", rows)
    assert caption.count("\u2022 ") == 2  # one row per area, however it is capitalised
    assert all(f"({d.published:%-d May %Y})" in caption for d in documents)  # the caption gives every inspection the picture leaves out


DOCS_PICTURE = ROOT / "docs" / "grades-west-midlands.png"


def test_the_readme_shows_the_grades_picture_the_bot_draws(fixture_store: Store):
    """README shows docs/grades-west-midlands.png, drawn from the synthetic fixtures; UPDATE_DOCS=1 draws it again."""
    from io import BytesIO

    from PIL import Image, ImageChops

    from bot.picture import grades_picture
    from knowledge.questions.answering import Answerer

    drawn = grades_picture("West Midlands Police", Answerer(fixture_store).grade_history("west-midlands"))
    if os.environ.get("UPDATE_DOCS"):
        DOCS_PICTURE.write_bytes(drawn)
    assert f"]({DOCS_PICTURE.relative_to(ROOT).as_posix()})" in (ROOT / "README.md").read_text(encoding="utf-8")
    shown, now = Image.open(DOCS_PICTURE).convert("RGB"), Image.open(BytesIO(drawn)).convert("RGB")
    assert shown.size == now.size and ImageChops.difference(shown, now).getbbox() is None, "the picture changed: UPDATE_DOCS=1 make test"


def test_in_a_group_the_answer_replies_to_the_question(api: BotAPI, store: Store):
    group = -100400

    def scenario(api: BotAPI) -> None:
        question = api.send_text(f"@{BOT_USERNAME} Peterborough police sex offenders", chat_id=group, user_id=71, chat_type="supergroup")
        [reply] = replies(api, group, 1)
        assert reply["reply_to_message_id"] == question["message"]["message_id"]
        api.send_text("Peterborough police sex offenders", chat_id=72)  # in private, no need to quote
        [private] = replies(api, 72, 1)
        assert private["reply_to_message_id"] is None

    run_bot(api, store, scenario)


def test_inline_results_differ_by_kind_organisation_and_date(api: BotAPI, rich_store: Store):
    def scenario(api: BotAPI) -> None:
        api.inline("kent emergency calls")
        api.wait_for(lambda a: a.inline_answers)

    run_bot(api, rich_store, scenario)
    results = api.inline_answers[0]["results"]
    titles = [r["title"] for r in results]
    assert len(results) >= 3 and len(set(titles)) == len(titles), titles
    assert "Cause of concern \u00b7 Kent Police \u00b7 16 May 2024" in titles
    assert any(t.endswith("17 May 2024") for t in titles)  # the news story a day later tells itself apart
    for r in results:
        assert "Kent Police" in r["title"]
        text = r["input_message_content"]["message_text"]
        assert r["description"][:40] in text and "<blockquote>" in text


def test_the_sync_settings_reach_the_web_client_with_the_stop_signal():
    import threading

    stop = threading.Event()
    config = Settings(_env_file=None, sync_contact_url="https://example.test/contact", sync_timeout_seconds=7, sync_deadline_seconds=33,
                      sync_max_retry_after_seconds=4)
    with config.fetcher(stop=stop) as fetcher:
        assert (fetcher.timeout, fetcher.deadline, fetcher.max_wait, fetcher.stop) == (7, 33, 4, stop)
    with Settings(_env_file=None, sync_contact_url="https://example.test/contact").fetcher() as fetcher:
        assert (fetcher.timeout, fetcher.deadline, fetcher.max_wait) == (20, 60, 30)  # the defaults README and .env.example state
