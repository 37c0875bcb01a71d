"""What a chat follows and what the bot keeps about it: /follow, /unfollow, /following and /forget; the
announcements of new documents to the chats that follow them; and the pruning of what has served its use."""

import asyncio
import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.asking import NOT_NAMED, named_organisation
from bot.keyboards import follow_data, unfollow_data
from bot.messages import announcement_html
from bot.service import Service, service
from knowledge import DocumentRef, Store
from knowledge.questions.answering import Answerer
from knowledge.questions.progress import revisited
from knowledge.questions.understanding import clean_question
from knowledge.state import chats, outbox
from knowledge.state.store import document_without_text

log = logging.getLogger("inspection_bot")


ONLY_ADMINS_UNFOLLOW = "Only the group's administrators can stop it following something."


async def follow_organisation(message: Message, svc: Service, organisation_id: str) -> None:
    """This chat follows the organisation (from /follow NAME or a choice under it), and is told so."""
    name = svc.store.reference.name_of(organisation_id)
    added = await asyncio.to_thread(svc.write, chats.follow, message.chat.id, organisation_id)
    text = f"This chat now follows {name}. I will send a short note when a new document about it arrives." if added else f"This chat already follows {name}."
    await message.reply_text(text)


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/follow NAME: be told when a new document about that organisation is ingested."""
    organisation = await named_organisation(update, context, button=follow_data, usage="Tell me what to follow, for example: /follow Cambridgeshire Police",
                                            missing=NOT_NAMED.format(example="/follow Peterborough police"), which="Which one do you want to follow?")
    if organisation is not None:
        await follow_organisation(update.effective_message, service(context), organisation)


async def may_change_follows(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In a group only its admins remove its follows (as with /forget); in a private chat, its user."""
    chat = update.effective_chat
    user_id = update.effective_user.id if update.effective_user else None
    return chat.type not in (chat.GROUP, chat.SUPERGROUP) or await is_group_admin(context, update.effective_message, user_id)


async def unfollow_organisation(update: Update, context: ContextTypes.DEFAULT_TYPE, organisation_id: str) -> None:
    """This chat no longer follows the organisation (from /unfollow NAME or a choice under it), and is told so."""
    svc, message = service(context), update.effective_message
    if not await may_change_follows(update, context):
        await message.reply_text(ONLY_ADMINS_UNFOLLOW)
        return
    count = await asyncio.to_thread(svc.write, chats.unfollow, message.chat.id, organisation_id)
    name = svc.store.reference.name_of(organisation_id)
    await message.reply_text(f"Stopped following {name}." if count else f"This chat does not follow {name}.")


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unfollow [NAME]: stop following one organisation, or all of them; in a group, only its admins."""
    svc, message = service(context), update.effective_message
    if not await may_change_follows(update, context):
        await message.reply_text(ONLY_ADMINS_UNFOLLOW)
        return
    if not clean_question(" ".join(context.args)):
        count = await asyncio.to_thread(svc.write, chats.unfollow, message.chat.id)
        await message.reply_text(f"Stopped following {count} organisation{'s' if count != 1 else ''}." if count else "This chat follows nothing.")
        return
    followed = set(await asyncio.to_thread(svc.read, chats.following, message.chat.id))
    organisation = await named_organisation(update, context, button=unfollow_data, usage="", missing="This chat does not follow that. See /following.",
                                            which="Which one do you want to stop following?", among=lambda named: [o for o in named if o in followed])
    if organisation is not None:
        await unfollow_organisation(update, context, organisation)


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/following: what this chat follows."""
    svc = service(context)
    orgs = await asyncio.to_thread(svc.read, chats.following, update.effective_message.chat.id)
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
        await asyncio.to_thread(svc.write, chats.forget, None, user_id)
        await message.reply_text("Only the group's administrators can make me forget its follows. "
                                 "I deleted what I kept about you (your count of questions this minute).")
        return
    count = await asyncio.to_thread(svc.write, chats.forget, chat.id, user_id)
    await message.reply_text(f"Done. I deleted {count} follow{'s' if count != 1 else ''}, the record of which new documents I told this chat "
                             "about, your count of questions this minute and the context of the last question; I keep nothing else about "
                             "this chat or you.")


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


async def announce_new_documents(application: Application) -> int:
    """Drain the outbox: tell each chat that followed a new document's organisations before it arrived, once.

    Documents are claimed in the database, so several workers never announce one twice, and every chat told is
    recorded before the next, so a restart goes on where it stopped. Chats that blocked the bot are forgotten."""
    svc = service(application)
    async with application.bot_data["announcing"]:  # one drain at a time in this process (the claim is per worker)
        worker = application.bot_data["worker"]
        sent = 0
        for document_id in await asyncio.to_thread(svc.store.claim_announcements, worker):
            document = await asyncio.to_thread(svc.read, document_without_text, document_id)
            recipients = await asyncio.to_thread(svc.read, outbox.announcement_recipients, document_id)
            complete = True
            for chat_id, followed in recipients.items():
                headline = await asyncio.to_thread(Answerer(svc.store).headlines, document_id, followed[0])
                revisits = await asyncio.to_thread(revisited, svc.store, document_id, followed[0])
                try:
                    await application.bot.send_message(chat_id, announcement_html(headline, DocumentRef.of(document), revisits), parse_mode=ParseMode.HTML)
                except Forbidden:
                    log.info("chat %s blocked the bot; dropping its follows", chat_id)
                    await asyncio.to_thread(svc.write, chats.forget, chat_id)
                    continue
                except (BadRequest, ChatMigrated) as error:  # this chat cannot get it (gone, or moved): not tried again
                    log.warning("announcing document %s to chat %s failed for good: %s", document_id, chat_id, type(error).__name__)
                    await asyncio.to_thread(svc.write, outbox.record_delivery, document_id, chat_id)
                    continue
                except TelegramError as error:  # tried again at the next drain; the chats told are not told again
                    log.warning("announcing document %s to chat %s failed: %s", document_id, chat_id, type(error).__name__)
                    complete = False
                    continue
                await asyncio.to_thread(svc.write, outbox.record_delivery, document_id, chat_id)
                sent += 1
            if complete:
                await asyncio.to_thread(svc.write, outbox.finish_announcement, document_id, worker)
        return sent


async def announce_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every ANNOUNCE_EVERY_SECONDS: announce what arrived, whichever way it came in."""
    try:
        await announce_new_documents(context.application)
    except Exception as error:  # noqa: BLE001 - a busy database announces next time
        log.warning("announcing new documents failed: %s", type(error).__name__)


async def prune_every_minute(store: Store) -> None:
    """Question counts whose minute is over, and stale chat contexts, do not outlive their use."""
    while True:
        try:
            await asyncio.to_thread(store.write, chats.prune)
        except Exception as error:  # noqa: BLE001 - a busy database prunes next time
            log.warning("pruning old rows failed: %s", type(error).__name__)
        await asyncio.sleep(60)
