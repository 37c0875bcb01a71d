"""One limiter for everything a user can trigger, fair between users, and a stop with a stated grace period.

Every update (a question, a command, a button, an inline query) passes through Limiter before any handler
runs. Each user may trigger `per_minute` of them a minute: counted here first, so a flood costs nothing,
then in the store, so several workers behind one webhook count together. Past the limit the user is told
once and the rest is dropped unanswered. A user has at most `per_user` updates in progress and waits in
their own line for the next, so one user's flood never queues ahead of anyone else's question.
"""

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger("inspection_bot")

SLOW_DOWN = "You are asking faster than I can answer well. Please wait a minute and ask again."
WINDOW = 60.0  # seconds: the limit is per minute


def addressed(message: Message) -> bool:
    """Whether a group message is for the bot: a command, a file, a mention of it or a reply to it."""
    bot = message.get_bot()
    text = message.text or message.caption or ""
    reply = message.reply_to_message
    return (text.startswith("/") or message.document is not None or f"@{bot.username}".lower() in text.lower()
            or bool(reply and reply.from_user and reply.from_user.id == bot.id))


@dataclass
class Lane:
    """One user's line: their slots, and how many of their updates are waiting or running."""

    slots: asyncio.Semaphore
    holders: int = field(default=0)


class Limiter(BaseUpdateProcessor):
    """Admits each update or drops it, runs admitted ones fairly, and finishes them within a grace period."""

    def __init__(self, per_minute: int, count: Callable[[int], int] | None = None, *, slots: int = 8, per_user: int = 2) -> None:
        # PTB's own semaphore serves waiters first come first served; ours are fair, so PTB's never queues.
        super().__init__(max_concurrent_updates=4096)
        self.per_minute = per_minute
        self.count = count  # the shared count in the store: user id -> actions this minute, this one included
        self.per_user = per_user
        self.slots = asyncio.Semaphore(slots)
        self.lanes: dict[int, Lane] = {}
        self.recent: dict[int, deque[float]] = {}  # user -> times of admitted updates in the last minute
        self.told: set[int] = set()  # users told to slow down in this window
        self.running: set[asyncio.Task] = set()
        self.deadline: float | None = None
        self.finished_in_stop = self.given_up = self.dropped = 0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    @staticmethod
    def user_of(update: object) -> int | None:
        """Whose allowance the update counts against, or None when it asks nothing of the bot: an edit, a
        channel post, or a group message not addressed to it (only a bot with privacy mode off sees those)."""
        if not isinstance(update, Update) or not (update.message or update.callback_query or update.inline_query):
            return None
        message = update.message
        if message and message.chat.type != message.chat.PRIVATE and not addressed(message):
            return None
        if update.effective_user:
            return update.effective_user.id
        return update.effective_chat.id if update.effective_chat else None

    def admit_locally(self, user: int, now: float) -> bool:
        """Count the update against the user's last minute in this process; False when over the limit."""
        times = self.recent.setdefault(user, deque())
        while times and times[0] <= now - WINDOW:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        self.told.discard(user)
        return True

    async def admit_shared(self, user: int) -> bool:
        """The count all workers share; if the database cannot say, the local count has already limited floods."""
        if self.count is None:
            return True
        try:
            return await asyncio.to_thread(self.count, user) <= self.per_minute
        except Exception as error:  # noqa: BLE001 - never fail an answer because the counter is busy
            log.warning("could not count an action in the store (%s); answering anyway", type(error).__name__)
            return True

    async def slow_down(self, update: Update, user: int) -> None:
        """Tell the user once per flood; everything else over the limit gets no answer."""
        self.dropped += 1
        if user in self.told:
            return
        self.told.add(user)
        try:
            if update.callback_query:
                await update.callback_query.answer(SLOW_DOWN[:200])
            elif update.inline_query:
                await update.inline_query.answer([], cache_time=5)
            elif update.effective_message and update.effective_chat:
                await update.effective_message.reply_text(SLOW_DOWN)
        except TelegramError as error:
            log.info("could not tell a user to slow down: %s", type(error).__name__)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = self.user_of(update)
        if user is not None and not self.admit_locally(user, time.monotonic()):
            coroutine.close()
            await self.slow_down(update, user)
            return
        lane = self.lanes.setdefault(user, Lane(asyncio.Semaphore(self.per_user))) if user is not None else None
        if lane:
            lane.holders += 1
        try:
            async with lane.slots if lane else nullcontext(), self.slots:
                if user is not None and not await self.admit_shared(user):
                    coroutine.close()
                    await self.slow_down(update, user)
                    return
                await self.run(coroutine)
        finally:
            if lane:
                lane.holders -= 1
                if not lane.holders:
                    del self.lanes[user]
            if len(self.recent) > 10_000:  # forget users who have been quiet for a minute
                now = time.monotonic()
                for quiet in [u for u, times in self.recent.items() if not times or times[-1] <= now - WINDOW]:
                    del self.recent[quiet]

    async def run(self, coroutine: Awaitable[Any]) -> None:
        """Run a handler; once stopping, only until the deadline."""
        if self.deadline is not None and time.monotonic() >= self.deadline:
            coroutine.close()
            self.given_up += 1
            return
        task = asyncio.ensure_future(coroutine)
        self.running.add(task)
        try:
            await task
        except asyncio.CancelledError:
            if self.deadline is None or not task.cancelled():
                raise
            self.given_up += 1
            return
        finally:
            self.running.discard(task)
        if self.deadline is not None:
            self.finished_in_stop += 1

    def stop_within(self, seconds: float) -> None:
        """Stopping: what is in hand may run for `seconds` more; then it is cancelled and what has not started
        is dropped, so the process exits before a process manager's own stop timeout kills it."""
        self.deadline = time.monotonic() + seconds
        asyncio.get_running_loop().call_later(seconds, lambda: [task.cancel() for task in list(self.running)])

