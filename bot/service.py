"""What every handler needs, built once and kept in the application's bot_data: the store and the settings."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram.ext import Application, ContextTypes

from bot.messages import help_html
from bot.settings import Settings
from knowledge import Answer, Store
from knowledge.questions.answering import Answerer
from knowledge.questions.selecting import MAX_CITATIONS

T = TypeVar("T")
OVERVIEW_PAGE = 3  # findings under an organisation's overview: with its summary, about one phone screen


@dataclass
class Service:
    """What every handler needs, built once: the store and the settings. State lives in the store (follows,
    rate limits) or in the buttons themselves, so several workers behind one webhook act as one bot."""

    store: Store
    settings: Settings

    def read(self, query: Callable[..., T], *args: Any) -> T:
        """One of knowledge.state's read functions, in a read session of its own (call it in a thread)."""
        with self.store.reading() as session:
            return query(session, *args)

    def write(self, change: Callable[..., T], *args: Any) -> T:
        """One of knowledge.state's write functions, in a write transaction of its own, tried again on a lock."""
        return self.store.write(lambda session: change(session, *args))

    def answerer(self) -> Answerer:
        """An Answerer for the bot: fewer findings under an overview than the CLI shows, to fit a phone screen."""
        return Answerer(self.store, overview_page=OVERVIEW_PAGE)

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
        """The bot's answer to a question (in a chat, a follow-up continues that chat's last question)."""
        return self.answerer().answer(question, page=page, organisations=organisations, chat_id=chat_id)

    def first_number(self, answer: Answer) -> int:
        """The number of an answer's first quote: a later page goes on from where the last one stopped ("Cite 7")."""
        size = OVERVIEW_PAGE if answer.overview is not None and answer.intent == "overview" else MAX_CITATIONS
        return answer.page * size + 1

    def help_text(self, bot_username: str) -> str:
        """/help, with example questions about organisations the bot holds findings for."""
        return help_html(self.answerer().examples(), bot_username)

    @property
    def _ids(self) -> list[str]:
        return sorted(self.store.reference.organisations)

    def org_number(self, organisation_id: str) -> str:
        """A short stable number for an organisation (its place in the sorted ids, in base 36)."""
        return _base36(self._ids.index(organisation_id))

    def org_id(self, number: str) -> str | None:
        """The organisation a button's number stands for, or None for a number no button carries."""
        ids = self._ids
        try:
            index = int(number, 36)
        except ValueError:
            return None
        return ids[index] if 0 <= index < len(ids) and _base36(index) == number else None

    def is_admin(self, user_id: int | None) -> bool:
        """Whether the user is one of TELEGRAM_ADMIN_IDS."""
        return user_id is not None and user_id in self.settings.telegram_admin_ids


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[n] if n < 36 else _base36(n // 36) + digits[n % 36]


def service(context: ContextTypes.DEFAULT_TYPE | Application) -> Service:
    """The Service of the application handling this update (or of the application itself)."""
    return (context if isinstance(context, Application) else context.application).bot_data["service"]
