"""Presses of the buttons under the bot's messages: one callback per kind of button, registered with the pattern of
its data (keyboards.py), and one for data that is none of ours. The data is untrusted."""

import asyncio

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.asking import ask, send_answer, send_cite, send_grades
from bot.following import follow_organisation
from bot.keyboards import read_button
from bot.service import service
from knowledge.questions.wording import EXAMPLES

EXPIRED = "That button has expired. Please ask again."  # data no button of ours carries now (an older release's, or forged)


async def button_out_of_reach(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Before any other button handler: a press with no chat message to answer in, or no data, ends here."""
    query = update.callback_query
    if not isinstance(query.message, Message):  # a button on an inline message (none of ours), or too old to reach
        await query.answer("That button works only in a chat with me.")
        raise ApplicationHandlerStop
    if not query.data:  # PTB hands a press without data to every handler that has a pattern
        await query.answer(EXPIRED)
        raise ApplicationHandlerStop


async def answer_again_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'More', 'Did you mean' or an example under /start: the answer the button's data describes."""
    query, svc = update.callback_query, service(context)
    button = read_button(query.data, svc)
    if button is None:
        await query.answer(EXPIRED)
        return
    _, page, intent, organisations, topic = button
    result = await asyncio.to_thread(svc.answerer().answer_again, intent, organisations, topic, page=page)
    await query.answer()
    await send_answer(query.message, svc, result)


async def example_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shipped example question under /start (when the bot holds no findings): asked as if typed."""
    index = int(context.match.group(1))
    if index >= len(EXAMPLES):
        await update.callback_query.answer(EXPIRED)
        return
    await update.callback_query.answer()
    await ask(update, context, EXAMPLES[index])


async def cite_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Cite n': that quote as plain text, ready to paste into a story."""
    query = update.callback_query
    if await send_cite(query.message, service(context), int(context.match.group(1))):
        await query.answer()
    else:
        await query.answer("That quote is no longer held. Please ask again.")


async def grades_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'Grades picture', or a choice under /grades: the organisation's grades per area, as a picture."""
    query, svc = update.callback_query, service(context)
    organisation = svc.org_id(context.match.group(1))
    if organisation is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    await send_grades(query.message, svc, organisation)


async def follow_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A choice under /follow: this chat follows that organisation."""
    query, svc = update.callback_query, service(context)
    organisation = context.match.group(1)
    if organisation not in svc.store.reference.organisations:
        await query.answer(EXPIRED)
        return
    await query.answer()
    await follow_organisation(query.message, svc, organisation)


async def button_not_ours(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Data no kind of button of ours carries: answered politely, nothing done."""
    await update.callback_query.answer(EXPIRED)
