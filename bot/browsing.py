"""What the bot is and what it holds: /start, /help, /about, /forces, /sources and /latest."""

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot.keyboards import examples_markup, glossary_markup
from bot.messages import ABOUT, forces_html, latest_html, listing_html, sources_html, welcome_html
from bot.service import Service, service
from knowledge import DocumentRef
from knowledge.models import Document
from knowledge.state import store as storage


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: welcome, what the bot knows, three example questions (about organisations it holds findings for) as buttons."""
    svc = service(context)
    counts = await asyncio.to_thread(svc.store.organisations_with_findings)
    docs = await asyncio.to_thread(svc.read, storage.document_count)
    examples = await asyncio.to_thread(svc.answerer().example_questions)
    await update.effective_message.reply_html(welcome_html(docs, len(counts)), reply_markup=examples_markup(svc, examples))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: example questions and every command."""
    svc = service(context)
    await update.effective_message.reply_html(await asyncio.to_thread(svc.help_text, context.bot.username))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/about: sources, what verbatim means, licence, privacy; a button for what the inspectorate's terms mean."""
    await update.effective_message.reply_html(ABOUT, reply_markup=glossary_markup())


async def forces(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forces: organisations with findings, and how many."""
    svc = service(context)
    counts = await asyncio.to_thread(svc.store.organisations_with_findings)
    if not counts:
        await update.effective_message.reply_text("I have no findings yet.")
        return
    named = sorted(((svc.store.reference.name_of(o), n) for o, n in counts.items()), key=lambda row: row[0])
    for part in forces_html(named):
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
    documents = await asyncio.to_thread(svc.read, storage.documents, 50)
    if not documents:
        await update.effective_message.reply_text("I hold no documents yet.")
        return
    for part in sources_html([document_line(svc, d) for d in newest_first(documents)]):
        await update.effective_message.reply_html(part)


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest: the newest documents added, shown newest published first, with links."""
    svc = service(context)
    newest = await asyncio.to_thread(lambda: svc.read(lambda session: storage.documents(session, 5, by_ingest=True)))
    if not newest:
        await update.effective_message.reply_text("I hold no documents yet.")
        return
    await update.effective_message.reply_html(latest_html([document_line(svc, d) for d in newest_first(newest)]))
