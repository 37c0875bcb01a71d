"""What the bot's administrators do and see: /sync and the scheduled sync, documents and links they send,
and the errors logged for them."""

import asyncio
import datetime as dt
import logging
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import Document as TelegramDocument
from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.following import announce_new_documents
from bot.service import Service, service
from knowledge import IngestResult
from knowledge.ingest import ingest_file
from knowledge.state import chats

if TYPE_CHECKING:
    from knowledge.web.sync import EntryResult

log = logging.getLogger("inspection_bot")


def sync_sources(svc: Service, worker: str, stop: threading.Event, *, scheduled: bool) -> list["EntryResult"] | None:
    """Sync SYNC_SOURCES by the one sync policy (knowledge.web.sync.run_sync: the lease, and for the schedule its
    interval); None when another worker is syncing or, scheduled, has synced within the interval. Setting `stop`
    cuts a request in flight short and leaves the entries not yet started for the next sync."""
    from knowledge.web.sync import Syncer, run_sync

    settings = svc.settings
    every = dt.timedelta(minutes=settings.sync_interval_minutes) if scheduled else None
    with settings.fetcher(stop=stop) as fetcher:
        syncer = Syncer(svc.store, fetcher, stop=stop, limits=settings.limits(), max_seconds=settings.sync_max_minutes * 60)
        return run_sync(syncer, settings.sync_sources, worker=worker, every=every)


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
        results = await asyncio.to_thread(sync_sources, service(application), application.bot_data["worker"], application.bot_data["stopping"],
                                          scheduled=True)
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
    bot_data = context.application.bot_data
    results = await asyncio.to_thread(sync_sources, svc, bot_data["worker"], bot_data["stopping"], scheduled=False)
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
    try:
        fetcher = svc.settings.fetcher(stop=context.application.bot_data["stopping"])
    except ValueError as error:
        await message.reply_text(f"Cannot fetch pages yet: {error}.")
        return
    with fetcher:
        syncer = Syncer(svc.store, fetcher, stop=context.application.bot_data["stopping"], limits=svc.settings.limits(),
                        max_seconds=svc.settings.sync_max_minutes * 60)
        result = await asyncio.to_thread(syncer.sync_url, message.text.strip())
    await message.reply_text(link_report(result))
    if result.status not in ("failed", "unchanged"):
        await announce_new_documents(context.application)


def link_report(result: "EntryResult") -> str:
    """What became of an admin's link, for the admin."""
    if result.status == "failed":
        return f"Not ingested: {result.reason}"
    if result.status == "unchanged":
        return "I already have that page; nothing changed."
    return "Ingested: " + "; ".join(result.titles)


MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile's limit


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
    if message.document.file_size and message.document.file_size > MAX_DOWNLOAD:
        await message.reply_text("That file is over Telegram's 20 MB download limit.")
        return
    name = safe_file_name(message.document.file_name)
    result = await ingest_upload(message.document, name, svc)
    await message.reply_text(upload_report(name, result))
    if result.status not in ("failed", "present"):
        await announce_new_documents(context.application)


async def ingest_upload(document: TelegramDocument, name: str, svc: Service) -> IngestResult:
    """Download an admin's file into a folder of its own and ingest it from there."""
    file = await document.get_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        await file.download_to_drive(path)
        return await asyncio.to_thread(ingest_file, svc.store, path, source_path=f"telegram:{name}", limits=svc.settings.limits())


def upload_report(name: str, result: IngestResult) -> str:
    """What became of an admin's file, for the admin: the findings it added by kind."""
    if result.status == "failed":
        return f"Not ingested: {result.reason}"
    if result.status == "present":
        return "I already have that document; nothing changed."
    kinds = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(result.findings.items())) or "no findings"
    return f"Ingested {name}: {kinds}."


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure without the token or the user's message, and tell the user something went wrong."""
    error = context.error
    kind = type(update).__name__ if update is not None else "polling"
    update_id = getattr(update, "update_id", None)
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_chat:
        await asyncio.to_thread(service(context).write, chats.forget, update.effective_chat.id)
        log.info("chat %s blocked the bot; dropping its follows", update.effective_chat.id)
        return
    log.error("error handling %s %s: %s: %s", kind, update_id, type(error).__name__, error, exc_info=not isinstance(error, TelegramError))
    if isinstance(update, Update) and update.effective_message and update.effective_chat:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong while answering. Please try again in a moment.")
        except TelegramError:
            pass
