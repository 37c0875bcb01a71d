"""The Telegram front: build_application registers one short callback per user action, in one commented block."""

import asyncio
import logging
import threading

from telegram import BotCommand, LinkPreviewOptions
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.admin import document_sent, error_handler, link_sent, sync_command, sync_job
from bot.asking import ask_command, grades, group_text, inline_query, no_text, private_text, progress
from bot.browsing import about, forces, help_command, latest, sources, start
from bot.buttons import (
    answer_again_pressed,
    button_not_ours,
    button_out_of_reach,
    cite_pressed,
    example_pressed,
    follow_pressed,
    glossary_pressed,
    grades_pressed,
    progress_pressed,
)
from bot.following import announce_job, follow, following, forget, prune_every_minute, unfollow
from bot.keyboards import kind_of
from bot.limiter import Limiter
from bot.service import Service, service
from bot.settings import Settings
from knowledge import Store
from knowledge.state import chats, outbox

log = logging.getLogger("inspection_bot")

COMMANDS = [
    ("start", "welcome and example questions"),
    ("help", "how to ask, and every command"),
    ("ask", "ask a question (in groups)"),
    ("forces", "forces and services with findings"),
    ("sources", "documents held, newest first"),
    ("latest", "newest documents added"),
    ("grades", "a force's grades per area, as a picture"),
    ("progress", "a force's concerns followed: has it been fixed?"),
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


async def post_init(application: Application) -> None:
    """Once started: the command menu, and the pruning that runs every minute."""
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    application.bot_data["pruning"] = asyncio.create_task(prune_every_minute(service(application).store))


async def post_shutdown(application: Application) -> None:
    """Once stopped: the pruning stops too."""
    if pruning := application.bot_data.get("pruning"):
        pruning.cancel()


def new_application(settings: Settings, store: Store) -> Application:
    """The Application itself: Bot API address, rate limits, the Limiter, and what its handlers share in bot_data."""
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
        .concurrent_updates(Limiter(settings.questions_per_minute, lambda user: store.write(lambda session: chats.take_quota(session, user))))
        .application_class(GracefulApplication)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["service"] = Service(store, settings)
    application.bot_data["worker"] = outbox.worker_name()
    application.bot_data["announcing"] = asyncio.Lock()
    application.bot_data["stopping"] = threading.Event()
    return application


WEBHOOK_MAX_BODY = 1024 * 1024  # bytes: an update is a few kilobytes; anything bigger is refused before it is read
WEBHOOK_BODY_SECONDS = 10  # a body that takes longer to arrive is cut off


def limit_webhook_requests() -> None:
    """The webhook server (tornado, inside python-telegram-bot) refuses a body over WEBHOOK_MAX_BODY from its
    Content-Length, before reading it, and one that trickles in for over WEBHOOK_BODY_SECONDS; its default
    would read 100 MB into memory before the secret is even checked."""
    from tornado.httpserver import HTTPServer

    HTTPServer.configure(None, max_body_size=WEBHOOK_MAX_BODY, body_timeout=WEBHOOK_BODY_SECONDS)


def schedule_jobs(application: Application, settings: Settings) -> None:
    """Announce new documents to their followers; sync the sources on a schedule when there are any."""
    if application.job_queue is None:
        log.warning("python-telegram-bot's job queue is not installed: new documents are not announced and nothing is synced")
        return
    application.job_queue.run_repeating(announce_job, interval=settings.announce_every_seconds, first=1, name="announce")
    if settings.sync_sources:
        if settings.sync_contact_url:
            application.job_queue.run_repeating(sync_job, interval=settings.sync_interval_minutes * 60, first=2, name="sync")
        else:
            log.warning("SYNC_SOURCES is set but SYNC_CONTACT_URL is not: the sources are not synced until it is")


def build_application(settings: Settings, store: Store) -> Application:
    """The bot, wired to the store; the one place handlers are registered, in the order they are tried."""
    application = new_application(settings, store)
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
    application.add_handler(CommandHandler("progress", progress, filters=new))
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
    # Buttons: first (group -1) a press that cannot be answered where it is; then one handler per kind of button,
    # by its data as keyboards.read parses it; last, data that is none of ours.
    application.add_handler(CallbackQueryHandler(button_out_of_reach), group=-1)
    application.add_handler(CallbackQueryHandler(answer_again_pressed, pattern=kind_of("m", "p")))
    application.add_handler(CallbackQueryHandler(example_pressed, pattern=kind_of("x")))
    application.add_handler(CallbackQueryHandler(cite_pressed, pattern=kind_of("c")))
    application.add_handler(CallbackQueryHandler(grades_pressed, pattern=kind_of("g")))
    application.add_handler(CallbackQueryHandler(progress_pressed, pattern=kind_of("o")))
    application.add_handler(CallbackQueryHandler(follow_pressed, pattern=kind_of("f", "u")))
    application.add_handler(CallbackQueryHandler(glossary_pressed, pattern=kind_of("h")))
    application.add_handler(CallbackQueryHandler(button_not_ours))
    # Inline mode: @bot QUESTION in any chat.
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_error_handler(error_handler)
    schedule_jobs(application, settings)
    return application
