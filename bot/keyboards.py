"""The buttons under the bot's messages, and the callback data they carry (buttons.py answers the presses).

A button carries everything needed to act on it in its callback data (at most 64 bytes), so the bot stores
nothing about what anyone asked and a button made by one worker works on another. The first letter says the
kind of button; each kind has a pattern, which buttons.py registers its handler with.
"""

import re
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import display_order
from bot.service import Service
from knowledge import Answer

INTENT_CODES = {"improve": "i", "concerns": "c", "recommendations": "r", "strengths": "s", "grades": "g", "statements": "q",
                "overview": "o", "compare": "v", "latest": "l", "topic": "t", "engage": "e"}
INTENTS = {code: intent for intent, code in INTENT_CODES.items()}

# The pattern of each kind of button's data. The data is untrusted: what a pattern lets through is checked again
# where it is used (an index in range, an organisation still known, a quote still held).
ANSWER_AGAIN = re.compile(r"[mp]:")  # 'More' (m) and 'Did you mean' (p): read_button says the rest
EXAMPLE = re.compile(r"x:([0-9]+)\Z")
CITE = re.compile(r"c:([0-9]{1,18})\Z")
GRADES = re.compile(r"g:([0-9a-z]+)\Z")
FOLLOW = re.compile(r"f:(.+)\Z", re.S)


def button_data(kind: str, page: int, intent: str, organisations: list[str], topic: list[str], svc: Service) -> str | None:
    """Everything a button needs to answer again, in its callback data (at most 64 bytes), so the bot never
    stores what anyone asked: 'm:1:i:3k:sex offenders' is page 1 of 'improve' for organisation 3k on a topic."""
    numbers = ".".join(svc.org_number(o) for o in organisations)
    data = f"{kind}:{page}:{INTENT_CODES[intent]}:{numbers}:{' '.join(topic)}"
    return data if len(data.encode()) <= 64 else None


def read_button(data: str, svc: Service) -> tuple[str, int, str, list[str], list[str]] | None:
    """The button's (kind, page, intent, organisations, topic), or None for data we did not make."""
    parts = data.split(":", 4)
    if len(parts) != 5 or parts[0] not in ("m", "p") or not parts[1].isdigit() or int(parts[1]) > 100 or parts[2] not in INTENTS:
        return None
    organisations = [svc.org_id(n) for n in parts[3].split(".") if n]
    topic = parts[4].split()
    if None in organisations or not all(re.fullmatch(r"[\w']{1,40}", w) for w in topic):
        return None
    return parts[0], int(parts[1]), INTENTS[parts[2]], organisations, topic


def example_data(index: int) -> str:
    """A shipped example question, by its place in EXAMPLES."""
    return f"x:{index}"


def cite_data(finding_id: int) -> str:
    """One quote as plain text, by its finding's id."""
    return f"c:{finding_id}"


def grades_data(svc: Service, organisation_id: str) -> str:
    """An organisation's grades picture, by the organisation's number."""
    return f"g:{svc.org_number(organisation_id)}"


def follow_data(svc: Service, organisation_id: str) -> str:
    """Following an organisation, by its id."""
    return f"f:{organisation_id}"


CITE_BUTTONS = 6  # one "Cite" button per quote shown, up to this many


def answer_markup(svc: Service, answer: Answer) -> InlineKeyboardMarkup | None:
    """'Did you mean' buttons for candidates; otherwise 'More' when there is more to show, a 'Cite n' button
    for each quote (its number in the message), and 'Grades picture' under an overview of a graded organisation."""
    if answer.candidates:
        rows = []
        for o in answer.candidates:
            data = button_data("p", 0, answer.wanted or "overview", [o.id], answer.topic, svc)
            if data:
                rows.append([InlineKeyboardButton(o.name, callback_data=data)])
        return InlineKeyboardMarkup(rows) if rows else None
    rows = []
    if answer.more and answer.intent in INTENT_CODES:
        data = button_data("m", answer.page + 1, answer.intent, [o.id for o in answer.organisations], answer.topic, svc)
        if data:
            rows.append([InlineKeyboardButton(f"More ({answer.more})", callback_data=data)])
    cites = [InlineKeyboardButton(f"Cite {n}", callback_data=cite_data(c.finding_id)) for n, c in enumerate(display_order(answer.citations)[:CITE_BUTTONS], 1)]
    rows += [cites[i : i + 3] for i in range(0, len(cites), 3)]
    if answer.overview and answer.overview.grades:
        rows.append([InlineKeyboardButton("Grades picture", callback_data=grades_data(svc, answer.overview.organisation.id))])
    return InlineKeyboardMarkup(rows) if rows else None


def examples_markup(svc: Service, examples: list[tuple[str, str, str | None]]) -> InlineKeyboardMarkup:
    """/start's example questions, one per row: (question, intent, organisation id, or None for a shipped example)."""
    buttons = []
    for i, (question, intent, organisation) in enumerate(examples):
        data = button_data("p", 0, intent, [organisation], [], svc) if organisation else example_data(i)
        buttons.append([InlineKeyboardButton(question, callback_data=data or example_data(i))])
    return InlineKeyboardMarkup(buttons)


def choices_markup(svc: Service, organisations: list[str], data: Callable[[Service, str], str]) -> InlineKeyboardMarkup:
    """'Which one?': a button per organisation, one per row, each carrying `data` for it."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(svc.store.reference.name_of(o), callback_data=data(svc, o))] for o in organisations])
