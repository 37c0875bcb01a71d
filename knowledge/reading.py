"""Reading a source file into the text we store and quote from, with its metadata.

The only changes made to the text are the ones /about states: whitespace is normalised (a paragraph's
wrapped lines are joined, runs of spaces become one), ligatures are expanded and NUL bytes dropped.
Boilerplate paragraphs (newsletter blurbs, teasers, share buttons) are left out of the stored text.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # Telegram's own download limit; larger files are refused

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}

HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*([^\n]*)\n")
BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u2013\u25aa\u25cf]|\d{1,2}[.)])[ \t]+")

# Paragraphs that belong to the page, not the article. Each must also be short (see is_boilerplate).
BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bsign up\b.*\bnewsletter\b|\bnewsletter\b.*\bsign up\b",
        r"\bthanks for signing up\b",
        r"^\s*read more\s*[:\-\u2013]",
        r"^\s*(?:see|also read|related|watch|listen)\s*:",
        r"^\s*advertisement\s*$",
        r"^\s*got a story\b",
        r"^\s*(?:share|share this|share this article|share on \w+)\s*$",
        r"\bshare (?:this|on) (?:article|story|facebook|twitter|whatsapp)\b",
        r"\bcookies?\b.*\b(?:accept|consent|settings|policy)\b",
        r"^\s*follow us on\b",
        r"^\s*(?:click|tap) here\b",
        r"^\s*subscribe\b",
        r"^\s*(?:comments?|\d+ comments?)\s*$",
    )
]
BOILERPLATE_MAX_CHARS = 400  # a long paragraph is article text even if it mentions cookies


class UnreadableDocument(Exception):
    """The file cannot be read as a document; the message is a one-line reason for the user."""


@dataclass
class Source:
    """A document as read from disk: the text to store, and what is known about it."""

    text: str
    content_hash: str
    source_path: str | None = None
    title: str | None = None
    publisher: str | None = None
    section: str | None = None
    published: dt.date | None = None
    url: str | None = None
    doc_type: str = "article"
    dropped: list[str] = field(default_factory=list)  # boilerplate paragraphs left out


def is_boilerplate(paragraph: str) -> bool:
    """True for page furniture such as newsletter blurbs and "READ MORE:" teasers."""
    return len(paragraph) <= BOILERPLATE_MAX_CHARS and any(p.search(paragraph) for p in BOILERPLATE)


def clean_text(text: str) -> str:
    """Apply the stated normalisations: ligatures, NUL bytes, line endings, spaces."""
    for lig, plain in LIGATURES.items():
        text = text.replace(lig, plain)
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ")


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; every bullet line is a block of its own; wrapped lines are joined."""
    blocks: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        current: list[str] = []
        for line in block.split("\n"):
            if BULLET.match(line) and current:
                blocks.append(" ".join(current))
                current = []
            if line.strip():
                current.append(" ".join(line.split()))
        if current:
            blocks.append(" ".join(current))
    return [b for b in blocks if b]


def decode(data: bytes) -> str:
    """Bytes to text, refusing what is clearly not text."""
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    if data[:4] in (b"%PDF", b"PK\x03\x04") or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff":
        raise UnreadableDocument("this is a PDF, image or archive, not a plain-text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableDocument("the file is not text in UTF-8 or Windows-1252") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise UnreadableDocument("the file looks like binary data, not text")
    return text


def read_text(data: bytes, source_path: str | None = None) -> Source:
    """A plain-text document, with the optional 'date YYYY-MM-DD <section>' header line."""
    raw = clean_text(decode(data))
    published = section = None
    header = HEADER.match(raw)
    if header:
        try:
            published = dt.date.fromisoformat(header.group(1))
        except ValueError:
            raise UnreadableDocument(f"the header date {header.group(1)!r} is not a real date") from None
        section = header.group(2).strip() or None
        raw = raw[header.end() :]
    kept, dropped = [], []
    for para in paragraphs(raw):
        (dropped if is_boilerplate(para) else kept).append(para)
    if not kept:
        raise UnreadableDocument("no article text is left once page boilerplate is removed")
    return Source(
        text="\n\n".join(kept),
        content_hash=hashlib.sha256(data).hexdigest(),
        source_path=source_path,
        section=section,
        published=published,
        dropped=dropped,
    )


def read_file(path: Path) -> Source:
    """Read one file from disk by its contents, not its name."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableDocument(f"cannot open the file: {error.strerror}") from None
    if size > MAX_BYTES:
        raise UnreadableDocument(f"the file is {size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB")
    data = path.read_bytes()
    return read_text(data, source_path=str(path))
