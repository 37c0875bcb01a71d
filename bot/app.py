"""The Telegram front: one short callback per user action, all registered in build_application."""

import asyncio
import datetime as dt
import logging
import os
import re
import socket
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.limiter import Limiter
from bot.render import announcement_html, citation_html, cite_text, display_order, esc, grades_caption, grades_picture, listing_html, pack, render_html
from bot.settings import Settings
from knowledge import Answer, DocumentRef, Store
from knowledge.ingest import ingest_file
from knowledge.models import Document
from knowledge.questions.answering import Answerer
from knowledge.questions.understanding import clean_question
from knowledge.questions.wording import EXAMPLES, long_date

log = logging.getLogger("inspection_bot")

MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile's limit
INLINE_RESULTS = 20  # Telegram allows 50; 20 quotes is more than anyone scrolls
OVERVIEW_PAGE = 3  # findings under an organisation's overview: with its summary, about one phone screen

HELP = (
    "Ask about a police force, a fire and rescue service or a town, for example:\n"
    "{examples}"
    "\n\nI quote inspection documents word for word and say where each quote comes from. "
    "Under an answer, <i>Cite</i> gives one quote with its source, ready to paste.\n\n"
    "/ask <i>question</i> \u2014 ask (in groups, or mention me)\n"
    "/forces \u2014 forces and services I have findings for\n"
    "/sources \u2014 the documents I hold, newest first\n"
    "/latest \u2014 the newest documents added\n"
    "/grades <i>force</i> \u2014 its grades per area across inspections, as a picture\n"
    "/follow <i>force or town</i> \u2014 hear when a new document about it arrives\n"
    "/unfollow <i>force or town</i> \u2014 stop (no name: stop them all)\n"
    "/following \u2014 what this chat follows\n"
    "/forget \u2014 delete everything I store about this chat and you (a group's follows: its admins only)\n"
    "/about \u2014 sources, what \u201cverbatim\u201d means, licence\n"
    "In any chat, type @{bot} <i>question</i> to drop a cited quote into the conversation."
)

ABOUT = (
    "<b>About inspection-bot</b>\n\n"
    "I answer from inspection documents about the police forces of England and Wales, British Transport "
    "Police and the fire and rescue services of England: HMICFRS reports, press releases and news articles.\n\n"
    "<b>Verbatim.</b> Every quote is an exact slice of the stored text of its document, shown with the "
    "organisation, the document and its date. The stored text is what was extracted from the source file; "
    "the only changes are whitespace (wrapped lines joined, repeated spaces made one), ligatures expanded "
    "(\ufb01 \u2192 fi) and words hyphenated across PDF lines rejoined. Page furniture such as newsletter "
    "blurbs is left out. A news article can paraphrase or misdate; each quote says which document it is from.\n\n"
    "<b>Licence.</b> HMICFRS reports are published under the Open Government Licence v3.0, which allows "
    "quoting them with attribution. Place and force data: ONS lookups and data.police.uk (OGL v3).\n\n"
    "<b>Privacy.</b> I keep no message text. For /follow I keep only this chat's id. For follow-up questions I keep, "
    "for 30 minutes, what this chat's last question was about (organisation ids, kind and topic words). "
    "To stop floods I count each user's questions, commands and button presses in the current minute (a number, "
    "never the words, deleted after the minute). /forget deletes all of these."
)


@dataclass
class Service:
    """What every handler needs, built once: the store and the settings. State lives in the store (follows,
    rate limits) or in the buttons themselves, so several workers behind one webhook act as one bot."""

    store: Store
    settings: Settings

    def answerer(self) -> Answerer:
        """An Answerer for the bot: fewer findings under an overview than the CLI shows, to fit a phone screen."""
        return Answerer(self.store, overview_page=OVERVIEW_PAGE)

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
        return self.answerer().answer(question, page=page, organisations=organisations, chat_id=chat_id)

    def help_text(self, bot_username: str) -> str:
        """/help, with example questions about organisations the bot holds findings for."""
        examples = "\n".join(f"\u2022 {esc(q)}" for q in self.answerer().examples())
        return HELP.replace("{examples}", examples).replace("{bot}", bot_username)

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
        return user_id is not None and user_id in self.settings.telegram_admin_ids


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[n] if n < 36 else _base36(n // 36) + digits[n % 36]


def service(context: ContextTypes.DEFAULT_TYPE | Application) -> Service:
    return (context if isinstance(context, Application) else context.application).bot_data["service"]


# -- sending answers ---------------------------------------------------------------------------


INTENT_CODES = {"improve": "i", "concerns": "c", "recommendations": "r", "strengths": "s", "grades": "g", "statements": "q",
                "overview": "o", "compare": "v", "latest": "l", "topic": "t", "engage": "e"}
INTENTS = {code: intent for intent, code in INTENT_CODES.items()}


def button_data(kind: str, page: int, intent: str, organisations: list[str], topic: list[str], svc: "Service") -> str | None:
    """Everything a button needs to answer again, in its callback data (at most 64 bytes), so the bot never
    stores what anyone asked: 'm:1:i:3k:sex offenders' is page 1 of 'improve' for organisation 3k on a topic."""
    numbers = ".".join(svc.org_number(o) for o in organisations)
    data = f"{kind}:{page}:{INTENT_CODES[intent]}:{numbers}:{' '.join(topic)}"
    return data if len(data.encode()) <= 64 else None


def read_button(data: str, svc: "Service") -> tuple[str, int, str, list[str], list[str]] | None:
    """The button's (kind, page, intent, organisations, topic), or None for data we did not make."""
    parts = data.split(":", 4)
    if len(parts) != 5 or parts[0] not in ("m", "p") or not parts[1].isdigit() or int(parts[1]) > 100 or parts[2] not in INTENTS:
        return None
    organisations = [svc.org_id(n) for n in parts[3].split(".") if n]
    topic = parts[4].split()
    if None in organisations or not all(re.fullmatch(r"[\w']{1,40}", w) for w in topic):
        return None
    return parts[0], int(parts[1]), INTENTS[parts[2]], organisations, topic


CITE_BUTTONS = 6  # one "Cite" button per quote shown, up to this many


def answer_markup(svc: "Service", answer: Answer) -> InlineKeyboardMarkup | None:
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
    cites = [InlineKeyboardButton(f"Cite {n}", callback_data=f"c:{c.finding_id}") for n, c in enumerate(display_order(answer.citations)[:CITE_BUTTONS], 1)]
    rows += [cites[i : i + 3] for i in range(0, len(cites), 3)]
    if answer.overview and answer.overview.grades:
        rows.append([InlineKeyboardButton("Grades picture", callback_data=f"g:{svc.org_number(answer.overview.organisation.id)}")])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_answer(message: Message, svc: Service, answer: Answer, *, quote: bool = False) -> None:
    """Send an answer as one or more HTML messages; buttons go on the last one. With `quote` (a question
    in a group) the first message replies to the question, so it is clear whose question it answers."""
    parts = render_html(answer)
    markup = answer_markup(svc, answer)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        # A reply still goes out if the question was deleted meanwhile.
        replying = {"do_quote": True, "allow_sending_without_reply": True} if quote and i == 0 else {"do_quote": False}
        await message.reply_html(part, reply_markup=markup if last else None, **replying)


def in_group(update: Update) -> bool:
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
    await message.reply_photo(InputFile(picture, filename="grades.png"), caption=grades_caption(name, rows))


# -- handlers, one per user action -------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: welcome, what the bot knows, three example questions (about organisations it holds findings for) as buttons."""
    svc = service(context)
    counts = await asyncio.to_thread(svc.store.organisations_with_findings)
    docs = await asyncio.to_thread(svc.store.document_count)
    text = (
        "<b>Hello.</b> I answer questions about police and fire &amp; rescue inspections with quotes, "
        f"word for word, from {docs} document{'s' if docs != 1 else ''} about {len(counts)} organisation"
        f"{'s' if len(counts) != 1 else ''}. Each quote comes with its source and date.\n\nTry one of these, or type your own question:"
    )
    buttons = []
    for i, (question, intent, organisation) in enumerate(await asyncio.to_thread(svc.answerer().example_questions)):
        data = button_data("p", 0, intent, [organisation], [], svc) if organisation else f"x:{i}"
        buttons.append([InlineKeyboardButton(question, callback_data=data or f"x:{i}")])
    await update.effective_message.reply_html(text, reply_markup=InlineKeyboardMarkup(buttons))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: example questions and every command."""
    svc = service(context)
    await update.effective_message.reply_html(await asyncio.to_thread(svc.help_text, context.bot.username))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/about: sources, what verbatim means, licence, privacy."""
    await update.effective_message.reply_html(ABOUT)


async def forces(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forces: organisations with findings, and how many."""
    svc = service(context)
    counts = await asyncio.to_thread(svc.store.organisations_with_findings)
    if not counts:
        await update.effective_message.reply_text("I have no findings yet.")
        return
    lines = [f"{esc(svc.store.reference.name_of(o))}: {n} finding{'s' if n != 1 else ''}" for o, n in sorted(counts.items(), key=lambda kv: svc.store.reference.name_of(kv[0]))]
    for part in pack(["<b>Organisations I have findings for</b>", *lines]):
        await update.effective_message.reply_html(part)


def document_line(svc: Service, d: Document) -> str:
    """One document in /sources and /latest: date, name (linked when its address is known), and whom it is about."""
    subject = svc.store.reference.name_of(d.subject_id) if d.subject_id else "no single organisation"
    return listing_html(DocumentRef.of(d), subject)


def newest_first(documents: list[Document]) -> list[Document]:
    """By publication date, newest first (undated last), whatever order they were added in."""
    return sorted(documents, key=lambda d: (d.published is not None, d.published, d.id), reverse=True)


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: documents held, newest first, with links."""
    svc = service(context)
    documents = await asyncio.to_thread(svc.store.documents, 50)
    if not documents:
        await update.effective_message.reply_text("I hold no documents yet.")
        return
    for part in pack(["<b>Documents, newest first</b>", *(document_line(svc, d) for d in newest_first(documents))]):
        await update.effective_message.reply_html(part)


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest: the newest documents added, shown newest published first, with links."""
    svc = service(context)
    newest = await asyncio.to_thread(lambda: svc.store.documents(5, by_ingest=True))
    if not newest:
        await update.effective_message.reply_text("I hold no documents yet.")
        return
    lines = "\n".join(document_line(svc, d) for d in newest_first(newest))
    await update.effective_message.reply_html(f"<b>Newest additions</b> (newest published first)\n{lines}")


async def named_organisation(update: Update, context: ContextTypes.DEFAULT_TYPE, *, button: str, question: str, usage: str,
                             example: str, inspected_only: bool = False) -> str | None:
    """The one organisation a command's NAME means; otherwise a reply (`usage` when no name is given; a question
    with buttons whose data is `button` filled with the organisation's id or number; or that it is not known), and None."""
    svc = service(context)
    message = update.effective_message
    name = clean_question(" ".join(context.args))
    if not name:
        await message.reply_text(usage)
        return None
    answerer = svc.answerer()
    resolution = await asyncio.to_thread(lambda: answerer.resolve(answerer.understand(name)))
    if resolution.ambiguous:
        buttons = [[InlineKeyboardButton(svc.store.reference.name_of(o), callback_data=button.format(id=o, number=svc.org_number(o)))]
                   for o in resolution.candidates]
        await message.reply_text(question, reply_markup=InlineKeyboardMarkup(buttons))
        return None
    if inspected_only:
        orgs = [o for o in resolution.organisations if svc.store.reference.organisations[o].inspected]
    else:
        orgs = resolution.organisations or resolution.empty
    if len(orgs) != 1:
        await message.reply_text(f"I could not tell which force or fire service you mean. Try its name or a town, e.g. {example}")
        return None
    return orgs[0]


async def grades(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/grades NAME: a picture of an organisation's grades per area across its inspections."""
    organisation = await named_organisation(update, context, button="g:{number}", question="Which one?",
                                            usage="Tell me whose grades, for example: /grades Kent Police", example="/grades Kent Police")
    if organisation is not None:
        await send_grades(update.effective_message, service(context), organisation)


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


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot QUESTION in any chat: matching quotes, each inserting the quote with its citation."""
    query = update.inline_query
    svc = service(context)
    if not clean_question(query.query):
        await query.answer([], cache_time=5)
        return
    result = await asyncio.to_thread(svc.answer, query.query)
    articles = []
    for i, citation in enumerate(result.citations[:INLINE_RESULTS]):
        when = long_date(citation.document.published, "undated")
        articles.append(InlineQueryResultArticle(
            id=f"{citation.finding_id}-{i}",
            title=f"{citation.label} \u00b7 {citation.organisation_name} \u00b7 {when}",
            description=citation.quote[:200],
            input_message_content=InputTextMessageContent(pack(citation_html(citation))[0], parse_mode=ParseMode.HTML),
        ))
    await query.answer(articles, cache_time=30, is_personal=False)


# -- following ---------------------------------------------------------------------------------


async def follow_organisation(message: Message, svc: Service, organisation_id: str) -> None:
    name = svc.store.reference.name_of(organisation_id)
    added = await asyncio.to_thread(svc.store.follow, message.chat.id, organisation_id)
    text = f"This chat now follows {name}. I will send a short note when a new document about it arrives." if added else f"This chat already follows {name}."
    await message.reply_text(text)


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/follow NAME: be told when a new document about that organisation is ingested."""
    organisation = await named_organisation(update, context, button="f:{id}", question="Which one do you want to follow?",
                                            usage="Tell me what to follow, for example: /follow Cambridgeshire Police",
                                            example="/follow Peterborough police", inspected_only=True)
    if organisation is not None:
        await follow_organisation(update.effective_message, service(context), organisation)


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unfollow [NAME]: stop following one organisation, or all of them."""
    svc = service(context)
    message = update.effective_message
    name = clean_question(" ".join(context.args))
    if not name:
        count = await asyncio.to_thread(svc.store.unfollow, message.chat.id)
        await message.reply_text(f"Stopped following {count} organisation{'s' if count != 1 else ''}." if count else "This chat follows nothing.")
        return
    answerer = Answerer(svc.store)
    followed = set(await asyncio.to_thread(svc.store.following, message.chat.id))
    matches = {o for m in answerer.understand(name).matches for o in m.organisations} & followed
    for org in sorted(matches):
        await asyncio.to_thread(svc.store.unfollow, message.chat.id, org)
    names = ", ".join(svc.store.reference.name_of(o) for o in sorted(matches))
    await message.reply_text(f"Stopped following {names}." if matches else "This chat does not follow that. See /following.")


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/following: what this chat follows."""
    svc = service(context)
    orgs = await asyncio.to_thread(svc.store.following, update.effective_message.chat.id)
    if not orgs:
        await update.effective_message.reply_text("This chat follows nothing yet. Try /follow Cambridgeshire Police")
        return
    await update.effective_message.reply_text("This chat follows:\n" + "\n".join(f"\u2022 {svc.store.reference.name_of(o)}" for o in orgs))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: delete everything stored about this chat and this user; a group's follows only for its admins."""
    svc = service(context)
    message, chat = update.effective_message, update.effective_chat
    user_id = update.effective_user.id if update.effective_user else None
    if chat.type in (chat.GROUP, chat.SUPERGROUP) and not await is_group_admin(context, message, user_id):
        await asyncio.to_thread(svc.store.forget, None, user_id)
        await message.reply_text("Only the group's administrators can make me forget its follows. "
                                 "I deleted what I kept about you (your count of questions this minute).")
        return
    count = await asyncio.to_thread(svc.store.forget, chat.id, user_id)
    await message.reply_text(f"Done. I deleted {count} follow{'s' if count != 1 else ''}, your count of questions this minute "
                             "and the context of the last question; I keep nothing else about this chat or you.")


async def is_group_admin(context: ContextTypes.DEFAULT_TYPE, message: Message, user_id: int | None) -> bool:
    """Whether the sender administers the group (an anonymous admin posts as the group itself)."""
    if message.sender_chat and message.sender_chat.id == message.chat.id:
        return True
    if user_id is None:
        return False
    try:
        member = await context.bot.get_chat_member(message.chat.id, user_id)
    except TelegramError:
        return False
    return member.status in (member.OWNER, member.ADMINISTRATOR)


# -- announcing new documents, and syncing them from the web ----------------------------------------


def worker_name() -> str:
    """This process's name in claims and leases: host, process id and a random part (unique per start)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def announce_new_documents(application: Application) -> int:
    """Drain the outbox: tell each chat that followed a new document's organisations before it arrived, once.

    Documents are claimed in the database, so several workers never announce one twice, and every chat told is
    recorded before the next, so a restart goes on where it stopped. Chats that blocked the bot are forgotten."""
    svc = service(application)
    async with application.bot_data["announcing"]:  # one drain at a time in this process (the claim is per worker)
        worker = application.bot_data["worker"]
        sent = 0
        for document_id in await asyncio.to_thread(svc.store.claim_announcements, worker):
            document = await asyncio.to_thread(svc.store.document_without_text, document_id)
            recipients = await asyncio.to_thread(svc.store.announcement_recipients, document_id)
            complete = True
            for chat_id, followed in recipients.items():
                headline = await asyncio.to_thread(Answerer(svc.store).headlines, document_id, followed[0])
                try:
                    await application.bot.send_message(chat_id, announcement_html(headline, DocumentRef.of(document)), parse_mode=ParseMode.HTML)
                except Forbidden:
                    log.info("chat %s blocked the bot; dropping its follows", chat_id)
                    await asyncio.to_thread(svc.store.forget, chat_id)
                    continue
                except (BadRequest, ChatMigrated) as error:  # this chat cannot get it (gone, or moved): not tried again
                    log.warning("announcing document %s to chat %s failed for good: %s", document_id, chat_id, type(error).__name__)
                    await asyncio.to_thread(svc.store.record_delivery, document_id, chat_id)
                    continue
                except TelegramError as error:  # tried again at the next drain; the chats told are not told again
                    log.warning("announcing document %s to chat %s failed: %s", document_id, chat_id, type(error).__name__)
                    complete = False
                    continue
                await asyncio.to_thread(svc.store.record_delivery, document_id, chat_id)
                sent += 1
            if complete:
                await asyncio.to_thread(svc.store.finish_announcement, document_id, worker)
        return sent


async def announce_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ANNOUNCE_EVERY_SECONDS: announce what arrived, whichever way it came in."""
    try:
        await announce_new_documents(context.application)
    except Exception as error:  # noqa: BLE001 - a busy database announces next time
        log.warning("announcing new documents failed: %s", type(error).__name__)


SYNC_LEASE_SECONDS = 3600  # a worker that dies mid-sync holds the sync at most this long


def run_sync(svc: Service, worker: str, *, scheduled: bool, stop: threading.Event | None = None) -> list | None:
    """Sync SYNC_SOURCES under the database lease; None when another worker is syncing (or, scheduled, has
    synced within the interval)."""
    from knowledge.web.sync import Syncer

    store, settings = svc.store, svc.settings
    if not store.take_lease("sync", worker, SYNC_LEASE_SECONDS):
        return None
    try:
        last = store.last_sync()
        if scheduled and last and dt.datetime.now(dt.UTC).replace(tzinfo=None) - last < dt.timedelta(minutes=settings.sync_interval_minutes / 2):
            return None  # another worker ran this interval's sync
        with settings.fetcher() as fetcher:
            results = list(Syncer(store, fetcher, stop=stop).sync(settings.sync_sources))
        store.mark_synced()
        return results
    finally:
        store.release_lease("sync", worker)


def sync_report(results: list) -> str:
    """What a sync did, for the admin who asked: the summary line, then what was added and what failed."""
    added = [r for r in results if r.status == "added"]
    failed = [r for r in results if r.status == "failed"]
    unchanged = len(results) - len(added) - len(failed)
    lines = [f"Sync: {len(added)} added, {unchanged} unchanged, {len(failed)} failed."]
    lines += [f"+ {title}" for r in added[:10] for title in r.titles[:2]]
    lines += [f"! {r.url[:150]}: {(r.reason or '')[:200]}" for r in failed[:5]]
    return "\n".join(lines)[:4000]


async def sync_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every SYNC_INTERVAL_MINUTES: sync the sources (one worker at a time), then announce what came in."""
    application = context.application
    try:
        results = await asyncio.to_thread(run_sync, service(application), application.bot_data["worker"], scheduled=True,
                                          stop=application.bot_data["stopping"])
    except Exception as error:  # noqa: BLE001 - the next interval tries again
        log.warning("the scheduled sync failed: %s: %s", type(error).__name__, error)
        return
    if results is not None:
        log.info("scheduled sync: %s", sync_report(results).splitlines()[0])
        await announce_new_documents(application)


async def sync_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sync: an admin syncs the sources now and hears what was added."""
    svc = service(context)
    message = update.effective_message
    if not svc.is_admin(update.effective_user and update.effective_user.id):
        await message.reply_text("Only the bot's administrators can start a sync.")
        return
    if not svc.settings.sync_sources or not svc.settings.sync_contact_url:
        await message.reply_text("No sources to sync: set SYNC_SOURCES and SYNC_CONTACT_URL (see README).")
        return
    await message.reply_text("Syncing\u2026")
    results = await asyncio.to_thread(run_sync, svc, context.application.bot_data["worker"], scheduled=False)
    if results is None:
        await message.reply_text("Another sync is running right now; try again in a minute.")
        return
    await message.reply_text(sync_report(results))
    await announce_new_documents(context.application)


async def link_sent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A link from an admin: ingest that page and the documents it offers, and announce them."""
    from knowledge.web.sync import Syncer

    svc = service(context)
    message = update.effective_message
    url = message.text.strip()
    try:
        fetcher = svc.settings.fetcher()
    except ValueError as error:
        await message.reply_text(f"Cannot fetch pages yet: {error}.")
        return
    with fetcher:
        result = await asyncio.to_thread(Syncer(svc.store, fetcher).sync_url, url)
    if result.status == "failed":
        await message.reply_text(f"Not ingested: {result.reason}")
        return
    if result.status == "unchanged":
        await message.reply_text("I already have that page; nothing changed.")
        return
    await message.reply_text("Ingested: " + "; ".join(result.titles))
    await announce_new_documents(context.application)


# -- documents from admins ---------------------------------------------------------------------


def safe_file_name(name: str | None) -> str:
    """A sender's file name made safe to save in a folder of ours and to echo: no folders, no control characters,
    no leading dots ('..', '.'), at most 255 bytes with the extension kept (it tells HTML and PDF apart)."""
    name = "".join(ch for ch in (name or "") if ch.isprintable()).replace("/", "_").replace("\\", "_").strip().lstrip(".")
    suffix = Path(name).suffix if len(Path(name).suffix) <= 16 else ""
    stem = name[: len(name) - len(suffix)]
    while len((stem + suffix).encode()) > 255:
        stem = stem[:-1]
    return stem + suffix if stem else f"document{suffix}"


async def document_sent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file: admins' files are ingested and summarised; anyone else is refused and nothing is downloaded."""
    svc = service(context)
    message = update.effective_message
    if not svc.is_admin(update.effective_user and update.effective_user.id):
        await message.reply_text("Only the bot's administrators can add documents. Send me a question instead.")
        return
    document = message.document
    if document.file_size and document.file_size > MAX_DOWNLOAD:
        await message.reply_text("That file is over Telegram's 20 MB download limit.")
        return
    file = await document.get_file()
    name = safe_file_name(document.file_name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        await file.download_to_drive(path)
        result = await asyncio.to_thread(ingest_file, svc.store, path, source_path=f"telegram:{name}")
    if result.status == "failed":
        await message.reply_text(f"Not ingested: {result.reason}")
        return
    if result.status == "present":
        await message.reply_text("I already have that document; nothing changed.")
        return
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(result.findings.items())) or "no findings"
    await message.reply_text(f"Ingested {name}: {kinds}.")
    await announce_new_documents(context.application)


# -- errors ------------------------------------------------------------------------------------


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without the token or the user's message, and tell the user something went wrong."""
    error = context.error
    kind = type(update).__name__ if update is not None else "polling"
    update_id = getattr(update, "update_id", None)
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_chat:
        await asyncio.to_thread(service(context).store.forget, update.effective_chat.id)
        log.info("chat %s blocked the bot; dropping its follows", update.effective_chat.id)
        return
    log.error("error handling %s %s: %s: %s", kind, update_id, type(error).__name__, error, exc_info=not isinstance(error, TelegramError))
    if isinstance(update, Update) and update.effective_message and update.effective_chat:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong while answering. Please try again in a moment.")
        except TelegramError:
            pass


# -- the application ---------------------------------------------------------------------------

COMMANDS = [
    ("start", "welcome and example questions"),
    ("help", "how to ask, and every command"),
    ("ask", "ask a question (in groups)"),
    ("forces", "forces and services with findings"),
    ("sources", "documents held, newest first"),
    ("latest", "newest documents added"),
    ("grades", "a force's grades per area, as a picture"),
    ("follow", "hear about new documents on a force or town"),
    ("unfollow", "stop following"),
    ("following", "what this chat follows"),
    ("forget", "delete what I store about this chat and you"),
    ("about", "sources, verbatim, licence"),
]


class GracefulApplication(Application):
    """Stops by finishing the updates in hand within STOP_GRACE_SECONDS (the updater has stopped fetching by then)."""

    async def stop(self) -> None:
        limiter: Limiter = self.update_processor
        grace = self.bot_data["service"].settings.stop_grace_seconds
        limiter.stop_within(grace)
        self.bot_data["stopping"].set()  # a running sync stops after the entry in hand
        await super().stop()
        log.info("finished %d update(s) in hand while stopping; %d given up after the %g s grace period",
                 limiter.finished_in_stop, limiter.given_up, grace)


async def prune_every_minute(store: Store) -> None:
    """Question counts whose minute is over, and stale chat contexts, do not outlive their use."""
    while True:
        try:
            await asyncio.to_thread(store.prune)
        except Exception as error:  # noqa: BLE001 - a busy database prunes next time
            log.warning("pruning old rows failed: %s", type(error).__name__)
        await asyncio.sleep(60)


async def post_init(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    application.bot_data["pruning"] = asyncio.create_task(prune_every_minute(service(application).store))


async def post_shutdown(application: Application) -> None:
    if pruning := application.bot_data.get("pruning"):
        pruning.cancel()


def build_application(settings: Settings, store: Store) -> Application:
    """The bot, wired to the store; the one place handlers are registered."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base = settings.telegram_base_url.rstrip("/")
    file_base = base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(base)
        .base_file_url(file_base)
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_max_messages_per_second, max_retries=3))
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True), do_quote=False))
        .concurrent_updates(Limiter(settings.questions_per_minute, lambda user: store.take_quota(user, settings.questions_per_minute)))
        .application_class(GracefulApplication)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["service"] = Service(store, settings)
    application.bot_data["worker"] = worker_name()
    application.bot_data["announcing"] = asyncio.Lock()
    application.bot_data["stopping"] = threading.Event()
    new = filters.UpdateType.MESSAGE  # edited messages and channel posts are not questions
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    # Commands, in the order a new user meets them.
    application.add_handler(CommandHandler("start", start, filters=new))
    application.add_handler(CommandHandler("help", help_command, filters=new))
    application.add_handler(CommandHandler("about", about, filters=new))
    application.add_handler(CommandHandler("ask", ask_command, filters=new))
    application.add_handler(CommandHandler("forces", forces, filters=new))
    application.add_handler(CommandHandler("sources", sources, filters=new))
    application.add_handler(CommandHandler("latest", latest, filters=new))
    application.add_handler(CommandHandler("grades", grades, filters=new))
    application.add_handler(CommandHandler("follow", follow, filters=new))
    application.add_handler(CommandHandler("unfollow", unfollow, filters=new))
    application.add_handler(CommandHandler("following", following, filters=new))
    application.add_handler(CommandHandler("forget", forget, filters=new))
    application.add_handler(CommandHandler("sync", sync_command, filters=new))  # admins only; not in the command menu
    # Files: ingested for admins, refused for everyone else.
    application.add_handler(MessageHandler(new & filters.Document.ALL & (private | groups), document_sent))
    # Links from admins in private: ingest that page (anyone else's link is a question like any text).
    if settings.telegram_admin_ids:
        admins = filters.User(user_id=settings.telegram_admin_ids)
        application.add_handler(MessageHandler(new & private & admins & filters.Regex(r"^\s*https?://\S+\s*$"), link_sent))
    # Questions: any text in private; in groups only when addressed.
    application.add_handler(MessageHandler(new & private & filters.TEXT & ~filters.COMMAND, private_text))
    application.add_handler(MessageHandler(new & groups & filters.TEXT & ~filters.COMMAND, group_text))
    application.add_handler(MessageHandler(new & private & ~filters.TEXT & ~filters.COMMAND, no_text))
    # Buttons and inline mode.
    application.add_handler(CallbackQueryHandler(button_pressed))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_error_handler(error_handler)
    # Jobs: announce new documents to their followers; sync the sources on a schedule when there are any.
    if application.job_queue is None:
        log.warning("python-telegram-bot's job queue is not installed: new documents are not announced and nothing is synced")
    else:
        application.job_queue.run_repeating(announce_job, interval=settings.announce_every_seconds, first=1, name="announce")
        if settings.sync_sources:
            if settings.sync_contact_url:
                application.job_queue.run_repeating(sync_job, interval=settings.sync_interval_minutes * 60, first=2, name="sync")
            else:
                log.warning("SYNC_SOURCES is set but SYNC_CONTACT_URL is not: the sources are not synced until it is")
    return application
