"""Presses of the buttons under the bot's messages (keyboards.py makes them). The data is untrusted."""

import asyncio

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.asking import ask, send_answer, send_cite, send_grades
from bot.following import follow_organisation
from bot.keyboards import read_button
from bot.service import service
from knowledge.questions.answering import EXAMPLES


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline buttons: examples, 'More', 'Did you mean', follow choices. The data is untrusted."""
    query = update.callback_query
    svc = service(context)
    if not isinstance(query.message, Message):  # a button on an inline message (none of ours), or too old to reach
        await query.answer("That button works only in a chat with me.")
        return
    kind, _, rest = (query.data or "").partition(":")
    if kind == "x" and rest.isdigit() and int(rest) < len(EXAMPLES):
        await query.answer()
        await ask(update, context, EXAMPLES[int(rest)])
        return
    if kind == "c" and rest.isdigit() and len(rest) <= 18:
        if await send_cite(query.message, svc, int(rest)):
            await query.answer()
        else:
            await query.answer("That quote is no longer held. Please ask again.")
        return
    if kind == "g" and (organisation := svc.org_id(rest)):
        await query.answer()
        await send_grades(query.message, svc, organisation)
        return
    if kind in ("m", "p"):
        button = read_button(query.data, svc)
        if button is None:
            await query.answer("That button is not one of mine.")
            return
        _, page, intent, organisations, topic = button
        result = await asyncio.to_thread(svc.answerer().answer_again, intent, organisations, topic, page=page)
        await query.answer()
        await send_answer(query.message, svc, result)
        return
    if kind == "f" and rest in svc.store.reference.organisations:
        await query.answer()
        await follow_organisation(query.message, svc, rest)
        return
    await query.answer("That button is not one of mine.")
