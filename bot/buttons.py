"""Presses of the buttons under the bot's messages: one callback per kind of button, registered with the pattern of
its data (keyboards.kind_of), and one for data that is none of ours. The data is untrusted: keyboards.read is the
one parser of it, and a press that cannot be acted on is answered "expired" and logged in one line."""

import asyncio
import logging
from typing import cast

from telegram import CallbackQuery, Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.asking import ask, send_answer, send_cite, send_grades, send_progress
from bot.following import follow_organisation, unfollow_organisation
from bot.keyboards import Button, read
from bot.messages import GLOSSARY
from bot.service import service
from knowledge.questions.wording import EXAMPLES

log = logging.getLogger("inspection_bot")

EXPIRED = "That button has expired. Please ask again."  # data no button of ours carries now (an older release's, or forged)


async def expired(query: CallbackQuery, why: str) -> None:
    """Answer a press that cannot be acted on, and log it once, in one line (never the data itself: it is the user's)."""
    log.info("a button press was answered as expired: %s", why)
    await query.answer(EXPIRED)


def pressed(update: Update) -> Button:
    """The button of this press (the handler's pattern, kind_of(), has already read it: it is one of ours)."""
    return cast(Button, read(update.callback_query.data))


async def button_out_of_reach(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any other button handler: a press with no chat message to answer in, or no data, ends here."""
    query = update.callback_query
    if not isinstance(query.message, Message):  # a button on an inline message (none of ours), or too old to reach
        await query.answer("That button works only in a chat with me.")
        raise ApplicationHandlerStop
    if not query.data:  # PTB hands a press without data to every handler that has a pattern
        await expired(query, "no data")
        raise ApplicationHandlerStop


async def answer_again_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'More', 'Did you mean' or an example under /start: the answer the button's data describes."""
    query, svc, button = update.callback_query, service(context), pressed(update)
    organisations = [svc.org_id(number) for number in button.organisations]
    if None in organisations:
        await expired(query, "an organisation number no organisation has")
        return
    result = await asyncio.to_thread(svc.answerer().answer_again, button.intent, organisations, list(button.topic), page=button.number)
    await query.answer()
    await send_answer(query.message, svc, result)


async def example_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shipped example question under /start (when the bot holds no findings): asked as if typed."""
    index = pressed(update).number
    if index >= len(EXAMPLES):
        await expired(update.callback_query, "an example question this release does not have")
        return
    await update.callback_query.answer()
    await ask(update, context, EXAMPLES[index])


async def cite_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Cite n': that quote as plain text, ready to paste into a story."""
    query = update.callback_query
    if await send_cite(query.message, service(context), pressed(update).number):
        await query.answer()
    else:
        log.info("a Cite button named a finding no longer held")
        await query.answer("That quote is no longer held. Please ask again.")


async def grades_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Grades picture', or a choice under /grades: the organisation's grades per area, as a picture."""
    query, svc = update.callback_query, service(context)
    organisation = svc.org_id(pressed(update).organisations[0])
    if organisation is None:
        await expired(query, "an organisation number no organisation has")
        return
    await query.answer()
    await send_grades(query.message, svc, organisation)


async def progress_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'More' under /progress, or a choice under it: that page of the organisation's concerns followed."""
    query, svc, button = update.callback_query, service(context), pressed(update)
    organisation = svc.org_id(button.organisations[0])
    if organisation is None:
        await expired(query, "an organisation number no organisation has")
        return
    await query.answer()
    await send_progress(query.message, svc, organisation, button.number)


async def follow_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A choice under /follow or /unfollow: this chat follows that organisation, or no longer does."""
    query, svc, button = update.callback_query, service(context), pressed(update)
    organisation = button.organisations[0]
    if organisation not in svc.store.reference.organisations:
        await expired(query, "an organisation id no organisation has")
        return
    await query.answer()
    if button.kind == "f":
        await follow_organisation(query.message, svc, organisation)
    else:
        await unfollow_organisation(update, context, organisation)


async def glossary_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'What do these terms mean?': PEEL, the grades, Engage and Scan, and the kinds of finding, in a few lines."""
    await update.callback_query.answer()
    await update.callback_query.message.reply_html(GLOSSARY)


async def button_not_ours(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Data no kind of button of ours carries: answered politely, logged once, nothing done."""
    data = update.callback_query.data or ""
    await expired(update.callback_query, f"data no button of ours carries ({len(data.encode())} bytes)")
