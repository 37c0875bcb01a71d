"""What the program writes to its logs and stderr, passed through one redaction point.

Bot tokens, passwords in database URLs and every secret setting are replaced before a log line, a
traceback or a printed URL leaves the process; uncaught exceptions go through the same function.
"""

import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterable

TOKEN = re.compile(r"\d{5,}(?::|%3A)[A-Za-z0-9_-]{20,}")
URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^/\s:@]*):[^@\s]*@", re.IGNORECASE)
CONNINFO_PASSWORD = re.compile(r"\b(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)
_secrets: set[str] = set()


def add_secrets(values: Iterable[str | None]) -> None:
    """Secrets to redact wherever they appear, whatever their shape (the token, the webhook secret, a password)."""
    _secrets.update(v for v in values if v and len(v) >= 4)


def redact(text: str) -> str:
    """The text with every secret replaced: known values, anything shaped like a bot token, URL passwords."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "[secret]")
    text = TOKEN.sub("[token]", text)
    text = URL_PASSWORD.sub(r"\1:***@", text)
    return CONNINFO_PASSWORD.sub(r"\1***", text)


class RedactingFormatter(logging.Formatter):
    """Formats log records with every secret redacted, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class OneLine(logging.Filter):
    """Someone else's failure gets one line, not a traceback. A webhook body that is not an update is someone's
    input, yet PTB logs it at CRITICAL with the whole body (users' messages included). A Telegram error (a
    rejected token, the network) is the server's answer, not a bug of ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        from telegram.error import TelegramError

        error = record.exc_info[1] if record.exc_info else None
        bad_body = str(record.msg).startswith("Something went wrong processing the data received from Telegram")
        if bad_body:
            record.msg, record.args = "refused a webhook request whose body is not an update (%s)", (type(error).__name__,)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        if bad_body or isinstance(error, TelegramError):
            record.exc_info = record.exc_text = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with secrets redacted; httpx would log every URL (which holds the token) at INFO. The job
    scheduler's lines (two per job run, a dozen a minute) only at DEBUG: a bot with nothing to do says nothing."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(OneLine())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)


def print_redacted_exception(kind: type[BaseException], error: BaseException, tb: object) -> None:
    """sys.excepthook: the usual traceback, redacted."""
    sys.stderr.write(redact("".join(traceback.format_exception(kind, error, tb))))


def install_excepthooks() -> None:
    """Uncaught exceptions, in the main thread or any other, are printed through redact()."""
    sys.excepthook = print_redacted_exception
    threading.excepthook = lambda args: None if args.exc_type is SystemExit else print_redacted_exception(args.exc_type, args.exc_value, args.exc_traceback)
