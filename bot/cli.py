"""The `inspection-bot` command: parse options, call `knowledge`, print what it returns."""

import argparse
import json
import logging
import re
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot.logs import add_secrets, configure_logging, install_excepthooks, redact
from bot.render import answer_json, render_text
from bot.settings import Settings, database_password
from knowledge import DocumentRef, Store, answer
from knowledge.ingest import files_under, ingest_each, sync_corpus
from knowledge.questions.selecting import MAX_CITATIONS
from knowledge.state import store as storage


def load_settings() -> Settings:
    """Settings from the environment and .env, with errors that never echo a secret."""
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors(include_input=False))
        raise SystemExit(f"inspection-bot: bad setting: {problems}") from None
    add_secrets(settings.secrets())
    return settings


def open_store(db: str | None) -> Store:
    """The store named by --db, DATABASE_URL or the default file, with the shipped corpus loaded."""
    settings = load_settings()
    url = db or settings.database()
    add_secrets([database_password(url)])
    store = Store(url)
    results = sync_corpus(store, limits=settings.limits())
    added = [r for r in results if r.status == "added"]
    failed = [r for r in results if r.status == "failed"]
    if added:
        print(redact(f"Loaded {len(added)} shipped document(s) into {url}"), file=sys.stderr)
    for r in failed:
        print(redact(f"Shipped document {shown(r.path)} failed: {r.reason}"), file=sys.stderr)
    return store


def shown(path: str) -> str:
    """A path as printed: control characters escaped, so a file name with a newline cannot forge a line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in path)


# What a terminal would act on rather than show: C0 and C1 controls and DEL (escape sequences, bells), line and
# paragraph separators, and the bidirectional overrides and isolates that reorder what is shown.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """Text from documents as printed: every character a terminal would act on is shown escaped (\\x1b, \\u202e);
    newlines and tabs stay."""
    return UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def safe_json(value: object) -> str:
    """One JSON object on one line, with the same characters escaped as JSON escapes (json.dumps leaves DEL, the C1
    controls, the separators and the bidirectional controls as they are)."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def cmd_ask(store: Store, args: argparse.Namespace) -> int:
    """Answer one question, or one per line of stdin with `-`."""
    if args.question == "-":
        for line in sys.stdin:
            if line.strip():
                print(safe_json(answer_json(answer(store, line, chat_id=args.chat))), flush=True)
        return 0
    page = max(1, args.page)
    result = answer(store, args.question, chat_id=args.chat, page=page - 1)
    if args.json:
        print(safe_json(answer_json(result)))
    else:  # numbered on from the pages before, as the bot numbers a "More" message
        print(safe_text(render_text(result, first=1 + (page - 1) * MAX_CITATIONS, more_hint=f"--page {page + 1}")))
    return 0


def cmd_ingest(store: Store, args: argparse.Namespace) -> int:
    """Ingest files and folders; non-zero exit when any document failed."""
    totals: Counter = Counter()
    kinds: Counter = Counter()
    files = files_under(Path(p) for p in args.paths)
    progress = sys.stderr.isatty()
    # read and parsed by reused reader processes, one result per file in order
    results = ingest_each(store, files, quiet=args.quiet, limits=load_settings().limits())
    for number, file in enumerate(files, start=1):
        if progress:
            print(f"\r[{number}/{len(files)}] {shown(file.name)[:60]:60}", end="", file=sys.stderr, flush=True)
        result = next(results)
        if progress:
            print("\r" + " " * 80 + "\r", end="", file=sys.stderr, flush=True)
        totals[result.status] += 1
        kinds.update(result.findings)
        detail = f": {result.reason}" if result.reason else ""
        if result.status == "added":
            detail = f": {sum(result.findings.values())} findings"
        print(f"{result.status:8} {shown(result.path)}{shown(detail)}", flush=True)
    by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    print(f"Documents: {totals['added']} added, {totals['present']} already present, {totals['failed']} failed. Findings added: {by_kind}.")
    return 1 if totals["failed"] else 0


def cmd_sync(store: Store, args: argparse.Namespace) -> int:
    """Sync new documents from feeds, sitemaps and listing pages; non-zero exit when any entry failed, or (75: try
    again later) when another sync holds the lease."""
    from knowledge.web.sync import EntryResult, Syncer, run_sync

    settings = load_settings()
    sources = args.sources or settings.sync_sources
    if not sources:
        print("inspection-bot: name a feed, sitemap or listing page to sync, or set SYNC_SOURCES; see README.", file=sys.stderr)
        return 2
    stop = threading.Event()
    try:
        fetcher = settings.fetcher(stop=stop)
    except ValueError as error:
        print(f"inspection-bot: {error}.", file=sys.stderr)
        return 2
    totals: Counter = Counter()
    quiet = True if args.quiet else (False if args.announce else None)
    progress = sys.stderr.isatty() and not args.json

    def show(result: EntryResult) -> None:
        """Print one entry as it is done (a line, or a JSON object) and the progress."""
        totals[result.status] += 1
        totals["documents"] += len(result.documents)
        if progress:
            print("\r" + " " * 80 + "\r", end="", file=sys.stderr, flush=True)
        if args.json:
            print(safe_json(result.as_json()), flush=True)
        else:
            if result.status == "failed":
                detail = f": {result.reason}"
            elif result.documents:
                detail = ": " + "; ".join(result.titles) + (" (back-fill, not announced)" if result.quiet else "")
            else:
                detail = ""
            print(f"{result.status:9} {shown(result.url)}{shown(detail)}", flush=True)
        if progress:
            checked = totals["added"] + totals["unchanged"] + totals["failed"]
            print(f"\r[{checked} checked, {totals['documents']} document(s) added]", end="", file=sys.stderr, flush=True)

    syncer = Syncer(store, fetcher, quiet=quiet, recheck=args.recheck, stop=stop, limits=settings.limits(), max_seconds=settings.sync_max_minutes * 60)
    with fetcher, stopped_by_signals(stop):  # the lease and when a sync counts as the schedule's: knowledge.web.sync.run_sync
        results = run_sync(syncer, sources, each=show, mark_synced=not args.sources)
    if results is None:
        print("inspection-bot: another sync is running (a bot worker or another command holds the sync lease); nothing was synced, try again later.",
              file=sys.stderr)
        return 75
    if progress:
        print("\r" + " " * 80 + "\r", end="", file=sys.stderr, flush=True)
    if not args.json:
        print(f"Sync: {totals['added']} added, {totals['unchanged']} unchanged, {totals['failed']} failed.")
    if stop.is_set():
        return 130  # stopped on request: what was not fetched is fetched next time
    return 1 if totals["failed"] else 0


@contextmanager
def stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """While the block runs, Ctrl-C or SIGTERM sets `stop` (the sync ends the request in hand and stores nothing
    more) instead of killing the process mid-write; a second Ctrl-C interrupts at once."""
    def request_stop(signum: int, frame: object) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        print("\ninspection-bot: stopping the sync after the entry in hand\u2026", file=sys.stderr, flush=True)

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def cmd_organisations(store: Store, args: argparse.Namespace) -> int:
    """List every known organisation and how many findings each has."""
    counts = store.organisations_with_findings()
    for org in sorted(store.reference.organisations.values(), key=lambda o: (o.kind, o.name)):
        status = f"{counts.get(org.id, 0)} findings" if org.inspected else f"not inspected by HMICFRS ({org.inspector})"
        print(f"{org.id:36} {org.kind:6} {org.name} \u2014 {status}")
    return 0


def cmd_sources(store: Store, args: argparse.Namespace) -> int:
    """List ingested documents, newest first."""
    with store.reading() as session:
        documents = storage.documents(session)
    if not documents:
        print("No documents ingested yet.")
    for d in documents:
        subject = store.reference.name_of(d.subject_id) if d.subject_id else "no single organisation"
        label = DocumentRef.of(d).label
        when = d.published.isoformat() if d.published else "undated"
        print(f"{d.id:5}  {when}  {shown(label)} \u2014 {shown(subject)} \u2014 {shown(d.url or d.source_path or '')}")
    return 0


def cmd_relink(store: Store, args: argparse.Namespace) -> int:
    """Make every mention of earlier concerns again from the linking rules (after they change): of the organisations
    named, or of all, in one transaction."""
    from knowledge.state import links

    unknown = [o for o in args.organisations if o not in store.reference.organisations]
    if unknown:
        print(f"inspection-bot relink: unknown organisation id {', '.join(unknown)} (see inspection-bot organisations)", file=sys.stderr)
        return 2
    with store.writing() as session:
        made = links.relink(session, args.organisations or None)
    names = ", ".join(store.reference.name_of(o) for o in args.organisations) or "every organisation"
    print(f"{made} mentions of earlier concerns rebuilt for {names}.")
    return 0


DB_HELP = "database URL (default: $DATABASE_URL, else an SQLite file in your data directory)"


def cmd_run(store: Store, args: argparse.Namespace) -> int:
    """Run the Telegram bot: long polling, or a webhook server when WEBHOOK_URL is set."""
    from urllib.parse import urlparse

    from telegram import Update
    from telegram.error import TelegramError

    from bot.app import build_application, limit_webhook_requests

    settings = load_settings()
    if settings.telegram_bot_token is None:
        print("inspection-bot: set TELEGRAM_BOT_TOKEN (from @BotFather) to run the bot; see README.", file=sys.stderr)
        return 2
    if settings.webhook_url and settings.webhook_secret is None:
        # Without a secret anyone who can reach the server could post updates as any user, admins included.
        print("inspection-bot: WEBHOOK_URL is set but WEBHOOK_SECRET is not; a webhook is refused without one. "
              "Set WEBHOOK_SECRET to a long random value (letters, digits, _ and -), or unset WEBHOOK_URL to poll.", file=sys.stderr)
        return 2
    configure_logging()
    log = logging.getLogger("inspection_bot")
    application = build_application(settings, store)
    try:
        if settings.webhook_url:
            limit_webhook_requests()
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except TelegramError as error:  # e.g. the token was rejected: one line, no traceback
        log.error("could not start the bot: %s: %s", type(error).__name__, error)
        return 1
    log.info("stopped cleanly")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspection-bot",
        description="Answers questions about UK police and fire & rescue inspections with cited, verbatim quotes.",
    )
    parser.add_argument("--db", metavar="URL", help=DB_HELP)
    # --db is accepted after the command too; SUPPRESS keeps it from overwriting the one given before.
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=DB_HELP)
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", parents=[db], help="answer a question with cited quotes")
    ask.add_argument("question", help="the question, or - to read one question per line from stdin (JSON out)")
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    ask.add_argument("--page", type=int, default=1, metavar="N", help=f"show page N of a long answer (pages of {MAX_CITATIONS} quotes)")
    ask.add_argument("--chat", type=int, metavar="ID", help="answer as in chat ID: a follow-up continues that chat's last question (kept 30 minutes)")
    ask.set_defaults(handler=cmd_ask)
    ingest = commands.add_parser("ingest", parents=[db], help="add documents (files or folders) to the knowledge base")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--quiet", action="store_true", help="a back-fill: store the documents without announcing them to followers")
    ingest.set_defaults(handler=cmd_ingest)
    sync = commands.add_parser("sync", parents=[db], help="fetch new documents from feeds, sitemaps and listing pages (default: $SYNC_SOURCES)")
    sync.add_argument("sources", nargs="*", metavar="SOURCE", help="URL of an RSS/Atom feed, a sitemap or a listing page")
    sync.add_argument("--json", action="store_true", help="print one JSON object per entry instead of text")
    sync.add_argument("--recheck", action="store_true", help="ask again about entries seen before (conditional requests) instead of skipping them")
    announce = sync.add_mutually_exclusive_group()
    announce.add_argument("--quiet", action="store_true", help="a back-fill: store new documents without announcing them (a source's first sync is one anyway)")
    announce.add_argument("--announce", action="store_true", help="announce new documents even on a source's first sync")
    sync.set_defaults(handler=cmd_sync)
    organisations = commands.add_parser("organisations", parents=[db], help="list the forces and fire services known")
    organisations.set_defaults(handler=cmd_organisations)
    sources = commands.add_parser("sources", parents=[db], help="list ingested documents, newest first")
    sources.set_defaults(handler=cmd_sources)
    relink = commands.add_parser("relink", parents=[db], help="rebuild the links from earlier concerns to later findings (after the rules change)")
    relink.add_argument("organisations", nargs="*", metavar="ORGANISATION", help="organisation ids (default: all)")
    relink.set_defaults(handler=cmd_relink)
    run = commands.add_parser("run", parents=[db], help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.set_defaults(handler=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    install_excepthooks()
    args = build_parser().parse_args(argv)
    try:
        store = open_store(args.db)
    except (ArgumentError, NoSuchModuleError, OperationalError) as error:  # a wrong URL or an unreachable server
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(redact(f"inspection-bot: cannot open the database: {reason}"), file=sys.stderr)
        return 2
    return args.handler(store, args)

