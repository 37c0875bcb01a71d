"""The buttons under the bot's messages, and the callback data they carry (buttons.py answers the presses).

A button carries everything needed to act on it in its callback data (at most 64 bytes), so the bot stores
nothing about what anyone asked and a button made by one worker works on another. The first letter says the
kind of button; read() is the one parser of the data, and kind_of() the pattern each handler is registered with.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import ordered
from bot.service import Service
from knowledge import Answer

INTENT_CODES = {"improve": "i", "concerns": "c", "recommendations": "r", "strengths": "s", "grades": "g", "statements": "q",
                "overview": "o", "compare": "v", "latest": "l", "topic": "t", "engage": "e", "progress": "a"}
INTENTS = {code: intent for intent, code in INTENT_CODES.items()}

# The data is untrusted (a client can send any 64 bytes): read() is the one parser of it. Numbers are ASCII digits
# with no leading zero, within bounds (a finding id within PostgreSQL's integer); organisations are base-36
# numbers (see Service.org_number) or, for follow buttons, ids; a topic is up to eight words. Anything else is
# no button of ours. What read() lets through is checked again where it is used (an organisation still known, a
# quote still held).
MAX_PAGE = 100
MAX_EXAMPLE = 99
MAX_FINDING_ID = 2**31 - 1  # PostgreSQL's integer
_NUMBER = r"(0|[1-9][0-9]{0,9})"
_ORG_NUMBERS = r"((?:[0-9a-z]{1,3}(?:\.[0-9a-z]{1,3}){0,3})?)"
_SHAPES = {
    "m": re.compile(rf"m:{_NUMBER}:([a-z]):{_ORG_NUMBERS}:(.{{0,60}})", re.ASCII | re.DOTALL),  # More
    "p": re.compile(rf"p:{_NUMBER}:([a-z]):{_ORG_NUMBERS}:(.{{0,60}})", re.ASCII | re.DOTALL),  # Did you mean
    "x": re.compile(rf"x:{_NUMBER}", re.ASCII),  # a shipped example question
    "c": re.compile(rf"c:{_NUMBER}", re.ASCII),  # Cite
    "g": re.compile(r"g:([0-9a-z]{1,3})", re.ASCII),  # Grades picture, or a choice under /grades
    "f": re.compile(r"f:([a-z0-9]+(?:-[a-z0-9]+){0,7})", re.ASCII),  # a choice under /follow
    "u": re.compile(r"u:([a-z0-9]+(?:-[a-z0-9]+){0,7})", re.ASCII),  # a choice under /unfollow
    "h": re.compile(r"h", re.ASCII),  # What do these terms mean?
    "o": re.compile(rf"o:{_NUMBER}:([0-9a-z]{{1,3}})", re.ASCII),  # a page of /progress, or a choice under it
}
_TOPIC_WORD = re.compile(r"[\w']{1,40}")


@dataclass(frozen=True)
class Button:
    """What a button's data says: its kind (the first letter), a number (a page, an example, a finding id), and
    for answers again the intent, organisations (numbers, or an id for follow choices) and topic words."""

    kind: str
    number: int = 0
    intent: str | None = None
    organisations: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()


def read(data: object) -> Button | None:
    """The button the data describes, or None for data no button of ours carries (forged, or another release's)."""
    if not isinstance(data, str) or not data[:1] or data[0] not in _SHAPES or not (shape := _SHAPES[data[0]].fullmatch(data)):
        return None
    kind, fields = data[0], shape.groups()
    if kind in ("m", "p"):
        page, intent, numbers, topic = fields
        words = topic.split()
        if int(page) > MAX_PAGE or intent not in INTENTS or len(words) > 8 or not all(_TOPIC_WORD.fullmatch(w) for w in words):
            return None
        return Button(kind, int(page), INTENTS[intent], tuple(n for n in numbers.split(".") if n), tuple(words))
    if kind == "o":
        return Button(kind, int(fields[0]), organisations=(fields[1],)) if int(fields[0]) <= MAX_PAGE else None
    if kind in ("x", "c"):
        number = int(fields[0])
        if number > (MAX_EXAMPLE if kind == "x" else MAX_FINDING_ID) or (kind == "c" and number == 0):
            return None
        return Button(kind, number)
    return Button(kind, organisations=tuple(fields))


def kind_of(*kinds: str) -> Callable[[object], bool]:
    """The pattern a kind of button's handler is registered with: data that read() accepts, of these kinds."""
    return lambda data: (button := read(data)) is not None and button.kind in kinds


def button_data(kind: str, page: int, intent: str, organisations: list[str], topic: list[str], svc: Service) -> str | None:
    """Everything a button needs to answer again, in its callback data (at most 64 bytes), so the bot never
    stores what anyone asked: 'm:1:i:3k:sex offenders' is page 1 of 'improve' for organisation 3k on a topic."""
    if intent not in INTENT_CODES:
        return None
    numbers = ".".join(svc.org_number(o) for o in organisations)
    data = f"{kind}:{page}:{INTENT_CODES[intent]}:{numbers}:{' '.join(topic)}"
    return data if len(data.encode()) <= 64 and read(data) is not None else None


def example_data(index: int) -> str:
    """A shipped example question, by its place in EXAMPLES."""
    return f"x:{index}"


def cite_data(finding_id: int) -> str:
    """One quote as plain text, by its finding's id."""
    return f"c:{finding_id}"


def grades_data(svc: Service, organisation_id: str) -> str:
    """An organisation's grades picture, by the organisation's number."""
    return f"g:{svc.org_number(organisation_id)}"


def progress_data(svc: Service, organisation_id: str, page: int = 0) -> str:
    """A page of an organisation's concerns followed (/progress), by the organisation's number."""
    return f"o:{page}:{svc.org_number(organisation_id)}"


def follow_data(svc: Service, organisation_id: str) -> str:
    """Following an organisation, by its id."""
    return f"f:{organisation_id}"


def unfollow_data(svc: Service, organisation_id: str) -> str:
    """No longer following an organisation, by its id."""
    return f"u:{organisation_id}"


GLOSSARY_DATA = "h"
GLOSSED = frozenset({"cause_of_concern", "area_for_improvement", "recommendation", "grade"})  # kinds the glossary explains


CITE_BUTTONS = 6  # one "Cite" button per quote shown, up to this many


def answer_markup(svc: Service, answer: Answer) -> InlineKeyboardMarkup | None:
    """'Did you mean' buttons for candidates; otherwise 'More' when there is more to show, a 'Cite n' button
    for each quote (its number in the message, counted on from earlier pages), 'Grades picture' under an overview
    of a graded organisation, and 'What do these terms mean?' when the answer uses the inspectorate's terms."""
    if answer.candidates:
        picks = [(o.name, button_data("p", 0, answer.wanted or "overview", [o.id], answer.topic, svc)) for o in answer.candidates]
        rows = [[InlineKeyboardButton(name, callback_data=data)] for name, data in picks if data]
        return InlineKeyboardMarkup(rows) if rows else None
    rows = []
    more = button_data("m", answer.page + 1, answer.intent, [o.id for o in answer.organisations], answer.topic, svc) if answer.more else None
    if answer.more and answer.progress is not None and answer.progress.listing:
        more = progress_data(svc, answer.progress.organisation.id, answer.page + 1)
    if more:
        rows.append([InlineKeyboardButton(f"More ({answer.more})", callback_data=more)])
    shown = ordered(answer)[:CITE_BUTTONS]
    cites = [InlineKeyboardButton(f"Cite {n}", callback_data=cite_data(c.finding_id)) for n, c in enumerate(shown, svc.first_number(answer))]
    rows += [cites[i : i + 3] for i in range(0, len(cites), 3)]
    if answer.overview and answer.overview.grades:
        rows.append([InlineKeyboardButton("Grades picture", callback_data=grades_data(svc, answer.overview.organisation.id))])
    if answer.overview or any(c.kind in GLOSSED or c.status for c in answer.citations):
        rows.append([InlineKeyboardButton("What do these terms mean?", callback_data=GLOSSARY_DATA)])
    return InlineKeyboardMarkup(rows) if rows else None


def glossary_markup() -> InlineKeyboardMarkup:
    """The one button that explains the inspectorate's terms (under /about and the grades picture)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("What do these terms mean?", callback_data=GLOSSARY_DATA)]])


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
