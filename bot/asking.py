"""Questions and their answers: any text in a private chat, /ask and mentions in groups, @bot in any chat, /grades,
/progress."""

import asyncio
from collections.abc import Callable

from telegram import InlineQueryResultArticle, InputFile, InputTextMessageContent, Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.keyboards import answer_markup, choices_markup, glossary_markup, grades_data, progress_data
from bot.picture import grades_caption, grades_picture
from bot.render import citation_html, cite_text, pack, render_html, table_grade, table_text
from bot.service import Service, service
from knowledge import Answer, Citation
from knowledge.questions.progress import concerns_of
from knowledge.questions.resolving import named_by
from knowledge.questions.understanding import clean_question
from knowledge.questions.wording import long_date, not_inspected

NOT_NAMED = "I could not tell which force or fire service you mean. Try its name or a town, e.g. {example}"
INLINE_RESULTS = 20  # Telegram allows 50; 20 quotes is more than anyone scrolls


async def send_answer(message: Message, svc: Service, answer: Answer, *, quote: bool = False) -> None:
    """Send an answer as one or more HTML messages; buttons go on the last one. With `quote` (a question
    in a group) the first message replies to the question, so it is clear whose question it answers."""
    parts = render_html(answer, svc.first_number(answer))
    markup = answer_markup(svc, answer)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        # A reply still goes out if the question was deleted meanwhile.
        replying = {"do_quote": True, "allow_sending_without_reply": True} if quote and i == 0 else {"do_quote": False}
        await message.reply_html(part, reply_markup=markup if last else None, **replying)


def in_group(update: Update) -> bool:
    """Whether the update comes from a group (where an answer replies to its question)."""
    chat = update.effective_chat
    return chat is not None and chat.type in (chat.GROUP, chat.SUPERGROUP)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Answer a question from this update's user (the Limiter has already counted it)."""
    svc = service(context)
    message = update.effective_message
    if not clean_question(question):
        await message.reply_html(await asyncio.to_thread(svc.help_text, context.bot.username), do_quote=in_group(update))
        return
    chat = update.effective_chat
    result = await asyncio.to_thread(svc.answer, question, chat_id=chat.id if chat else None)
    await send_answer(message, svc, result, quote=in_group(update) and update.callback_query is None)


async def send_cite(message: Message, svc: Service, finding_id: int) -> bool:
    """One quote as plain text, ready to paste into a story; False for an id that is not stored."""
    citation = await asyncio.to_thread(svc.answerer().citation, finding_id)
    if citation is None:
        return False
    await message.reply_text(cite_text(citation))
    return True


async def send_grades(message: Message, svc: Service, organisation_id: str) -> None:
    """An organisation's grades per area across its inspections: a small picture, its facts in the caption."""
    answerer = svc.answerer()
    name = svc.store.reference.name_of(organisation_id)
    rows = await asyncio.to_thread(answerer.grade_history, organisation_id)
    if not rows:
        await message.reply_text(f"I have no grades on record for {name}.")
        return
    picture = await asyncio.to_thread(grades_picture, name, rows)
    await message.reply_photo(InputFile(picture, filename="grades.png"), caption=grades_caption(name, rows), reply_markup=glossary_markup())


def organisations_named(svc: Service, name: str) -> tuple[list[str], list[str]]:
    """What a command's NAME may mean: (the organisations HMICFRS inspects, police first; those it names that others
    inspect). A command's argument is a name, so "reading" is read as "Reading" (the town), not the word."""
    reference = svc.store.reference
    query = svc.answerer().understand(name if any(c.isupper() for c in name) else name.title())
    named: list[str] = []
    for match in query.matches:
        ids = sorted(named_by(reference, match, query.kind), key=lambda o: (reference.organisations[o].kind != "police", reference.name_of(o)))
        named += [o for o in ids if o not in named]
    return [o for o in named if reference.organisations[o].inspected], [o for o in named if not reference.organisations[o].inspected]


async def named_organisation(update: Update, context: ContextTypes.DEFAULT_TYPE, *, button: Callable[[Service, str], str], usage: str,
                             missing: str, which: str = "Which one?", among: Callable[[list[str]], list[str]] | None = None) -> str | None:
    """The one organisation a command's NAME means; otherwise a reply (`usage` when no name is given; `which` with
    a button per organisation a town or a shared name may mean, whose data `button` makes from its id; who
    inspects it when HMICFRS does not; else `missing`), and None. `among` narrows the organisations (/unfollow:
    those the chat follows)."""
    svc = service(context)
    message = update.effective_message
    name = clean_question(" ".join(context.args))
    if not name:
        await message.reply_text(usage)
        return None
    inspected, others = await asyncio.to_thread(organisations_named, svc, name)
    if among is not None:
        inspected, others = among(inspected), []
    if len(inspected) == 1:
        return inspected[0]
    if inspected:
        await message.reply_text(which, reply_markup=choices_markup(svc, inspected, button))
    elif others:
        org = svc.store.reference.organisations[others[0]]
        await message.reply_text(not_inspected(org.name, org.inspector or "another inspectorate"))
    else:
        await message.reply_text(missing)
    return None


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION: a question, in any chat."""
    await ask(update, context, " ".join(context.args))


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question."""
    await ask(update, context, update.effective_message.text)


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, answer only when mentioned or replied to; otherwise stay silent."""
    message = update.effective_message
    mention = f"@{context.bot.username}".lower()
    replied = message.reply_to_message and message.reply_to_message.from_user and message.reply_to_message.from_user.id == context.bot.id
    if mention in message.text.lower() or replied:
        await ask(update, context, message.text.replace(f"@{context.bot.username}", " "))


async def no_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes in a private chat: say what works."""
    example = (await asyncio.to_thread(service(context).answerer().examples))[0]
    await update.effective_message.reply_text("I can only read text questions. Try: " + example)


async def grades(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/grades NAME: a picture of an organisation's grades per area across its inspections."""
    organisation = await named_organisation(update, context, button=grades_data, usage="Tell me whose grades, for example: /grades Kent Police",
                                            missing=NOT_NAMED.format(example="/grades Kent Police"))
    if organisation is not None:
        await send_grades(update.effective_message, service(context), organisation)


async def send_progress(message: Message, svc: Service, organisation_id: str, page: int = 0) -> None:
    """A page of an organisation's concerns that later documents mention, each with its latest status."""
    await send_answer(message, svc, await asyncio.to_thread(concerns_of, svc.store, organisation_id, page=page))


async def progress(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/progress NAME: an organisation's concerns followed across its documents, each with its latest status."""
    organisation = await named_organisation(update, context, button=progress_data, usage="Tell me whose concerns, for example: /progress Kent Police",
                                            missing=NOT_NAMED.format(example="/progress Kent Police"))
    if organisation is not None:
        await send_progress(update.effective_message, service(context), organisation)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot QUESTION in any chat: matching quotes, each inserting the quote with its citation."""
    query = update.inline_query
    if not clean_question(query.query):
        await query.answer([], cache_time=5)
        return
    result = await asyncio.to_thread(service(context).answer, query.query)
    await query.answer(inline_results(result.citations[:INLINE_RESULTS]), cache_time=30, is_personal=False)


def inline_results(citations: list[Citation]) -> list[InlineQueryResultArticle]:
    """One result per quote: titled by kind, organisation and date, the quote's start under it, and the
    quote with everything that attributes it as the message it inserts."""
    articles = []
    for i, citation in enumerate(citations):
        when = long_date(citation.document.published, "undated")
        articles.append(InlineQueryResultArticle(
            id=f"{citation.finding_id}-{i}",
            title=f"{citation.label} \u00b7 {citation.organisation_name} \u00b7 {when}",
            description=(table_text(citation, *row) if (row := table_grade(citation)) else citation.quote)[:200],
            input_message_content=InputTextMessageContent(pack(citation_html(citation))[0], parse_mode=ParseMode.HTML),
        ))
    return articles
