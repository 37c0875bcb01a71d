"""Reading a source file into the text we store and quote from, with its metadata.

Plain text, HTML (trafilatura) and PDF (pypdf). The only changes made to the text are the ones /about
states (knowledge.documents.cleaning). The product reads and parses every file, text included, in a child
process with a time and memory limit (knowledge.documents.bounded), so a hostile file fails with a reason
instead of hanging or exhausting memory; read_bytes and read_file here only read (HTML and PDF in such a child),
for callers that parse what they read themselves.
"""

import datetime as dt
import hashlib
import io
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.documents.cleaning import clean_text, paragraphs, pdf_paragraphs, strip_running_lines, table_row, without_furniture
from knowledge.documents.isolation import Cancelled, Child, Overran, Signal, Stopped
from knowledge.lexicon import REPORT_SECTIONS, alternation

HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*([^\n]*)\n")
PUBLISHED_ON = re.compile(r"\b(?:Published|Sent)(?: on)?:?\s+(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b")
# A dateline on a line of its own near the top: "Wednesday, 27 July, 2022", "Thursday, May 30, 2024", "21 Jul 2015",
# "Published 30th Jun 2022"
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATELINE = re.compile(
    r"(?:(?:published|updated|posted)(?: on)?:?\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH.replace('month', 'month2')}\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?),?\s+(?P<year>(?:19|20)\d\d)"
    r"(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:am|pm)?)?(?:\s+-?\d{1,2}(?:\.\d)?\s?\u00b0?C)?", re.IGNORECASE)  # weather after it: "16.7 C"
DATELINE_CHARS = 1500  # how far from the top a dateline is read as the page's date
MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
PRESS_RELEASE = re.compile(r"\b(?:press|news|media) release\b|\bnotes? to editors\b", re.IGNORECASE)
REPORT_SIGNS = re.compile(rf"^(?:{alternation(REPORT_SECTIONS)})$", re.IGNORECASE | re.MULTILINE)  # headings only a report has
RELEASE_ENDING = re.compile(r"^\s*(?:notes? (?:to|for) editors?|ends|for (?:media|press) enquiries\b.*)\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
# A letter: a salutation on a line of its own near the top ("Dear Chief Constable,"), or a formal sign-off.
SALUTATION = re.compile(r"^\s*Dear (?:Sir|Madam|Chief|Commissioner|Home Secretary|Minister|Secretary of State|Lord|Lady|Mr|Mrs|Ms|Miss|Dr|Mayor|Chair"
                        r"|[A-Z][a-z]+ [A-Z][a-z]+)\b[^\n.]{0,60}$", re.MULTILINE)
SIGN_OFF = re.compile(r"^\s*Yours (?:sincerely|faithfully)\b", re.MULTILINE | re.IGNORECASE)
LETTER_CHARS = 1500  # how far from the top a salutation makes a page a letter
RANKS = {"report": 3, "letter": 3, "press_release": 2, "article": 1}

CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than tab, line and page breaks


class UnreadableDocument(Exception):
    """The file cannot be read as a document; the message is a one-line reason for the user."""


@dataclass(frozen=True)
class Limits:
    """Bounds on reading one untrusted file."""

    seconds: float = 30.0  # wall-clock time to read and parse one file, whatever its kind
    memory_mb: int = 1024  # address space of the child process that reads and parses it
    max_bytes: int = 20 * 1024 * 1024  # Telegram's own download limit
    # A 200-page inspection report has about 4,000 sentences, so a few thousand findings at most; one 20 MB text of
    # repeated paragraphs made 330,000. A document with more is refused: it would flood answers and the index.
    max_findings: int = 20_000


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

    @property
    def rank(self) -> int:
        return RANKS.get(self.doc_type, 1)


def keep_article(blocks: list[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped) paragraphs, refusing a page with no article text left once its furniture is out."""
    kept, dropped = without_furniture(blocks)
    if not kept:
        raise UnreadableDocument("no article text is left once page boilerplate is removed")
    if not any(len(block.split()) >= 4 for block in kept):
        raise UnreadableDocument("no article text found: nothing in it reads as a sentence")
    return kept, dropped


def doc_type_of(text: str, title: str | None, url: str | None = None) -> str:
    """report, letter, press_release or article, from the document's own signs."""
    head = f"{title or ''}\n{text[:600]}"
    if PRESS_RELEASE.search(head) or RELEASE_ENDING.search(text):
        return "press_release"
    if (SALUTATION.search(text[:LETTER_CHARS]) or SIGN_OFF.search(text)) and len(REPORT_SIGNS.findall(text)) < 2:
        return "letter"  # an Engage or revisit letter, a commissioner's reply: not a news article, not a report
    if len(REPORT_SIGNS.findall(text)) >= 2 or (url and "justiceinspectorates" in url) or re.search(r"\binspection report\b|^PEEL\b", title or "", re.I) or re.match(r"\s*PEEL\b", text):
        return "report"
    return "article"


# UTF-32 first: its little-endian mark begins with UTF-16's. The "utf-16"/"utf-32" codecs read and drop the mark.
BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> str:
    """Bytes to text, refusing what is clearly not text."""
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    if data[:4] == b"PK\x03\x04" or data[:6] in (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c") or data[:2] == b"\x1f\x8b":
        raise UnreadableDocument("this is an archive (zip, gzip, rar or 7z), not a document")
    if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"GIF8", b"RIFF") or data[:4] == b"II*\x00":
        raise UnreadableDocument("this is an image, not a document")
    encoding = next((encoding for bom, encoding in BYTE_ORDER_MARKS if data.startswith(bom)), None)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise UnreadableDocument(f"the file starts with a byte-order mark but is not {encoding.upper()} text") from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise UnreadableDocument("the file is not text in UTF-8, UTF-16 or UTF-32 with a byte-order mark, or Windows-1252") from None
    controls = len(CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise UnreadableDocument("the file looks like binary data, not text")
    return text


def read_text(data: bytes, source_path: str | None = None) -> Source:
    """A plain-text document, with the optional 'date YYYY-MM-DD <section>' header line."""
    raw = clean_text(decode(data))
    published = section = title = None
    header = HEADER.match(raw)
    if header:
        try:
            published = dt.date.fromisoformat(header.group(1))
        except ValueError:
            raise UnreadableDocument(f"the header date {header.group(1)!r} is not a real date") from None
        rest = header.group(2).strip()
        if is_section_name(rest):
            section = rest
            raw = raw[header.end() :]
        else:
            # The rest of the header line is the page's headline or first paragraph: text to keep, and its title.
            raw = raw[header.start(2) :]
            title = rest or None
    url = original_link(raw)
    kept, dropped = keep_article(paragraphs(raw))
    text = "\n\n".join(kept)
    published = publication_date(published, published_on(text) or published_on(raw))  # the raw lines: a dateline on its own
    return Source(
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        source_path=source_path,
        section=section,
        title=title if title and len(title) <= 240 else None,
        published=published,
        url=url,
        dropped=dropped,
        doc_type=doc_type_of(raw, section, url),
    )


SECTION_WORDS = 4  # "Police news", "Local news", "Inspection report": a label, not a headline


def is_section_name(rest: str) -> bool:
    """A short label with no sentence punctuation ("Police news"), as opposed to a headline or a lede."""
    bare = re.sub(r"\s*\([^)]*\)\s*$", "", rest).strip()
    return 0 < len(bare.split()) <= SECTION_WORDS and not re.search(r"[.!?:;,\"\u201c\u201d]", bare)


ORIGINAL_LINK = re.compile(r"^\s*(?:original (?:article|story|release) link|source|originally published at)\s*:\s*(https?://\S+)", re.IGNORECASE | re.MULTILINE)


def original_link(raw: str) -> str | None:
    """The page a re-published press release names as its original ("Original article link: https://...")."""
    found = ORIGINAL_LINK.search(raw)
    return found.group(1).rstrip(".,)") if found else None


EARLIEST_PUBLISHED = dt.date(1990, 1, 1)  # older than any inspection report on the web: a misread number, not a date
LATEST_AHEAD = dt.timedelta(days=366)  # a release dated ahead of its embargo is possible; "1 January 9999" is not


def publication_date(*candidates: dt.date | None, today: dt.date | None = None) -> dt.date | None:
    """The first candidate that can be a publication date: from 1990 to a year after today. Every date a reader
    takes (a header line, the text's "Published on", HTML metadata, a PDF's creation date) passes through here,
    so that a date of 9999 cannot make a document the newest forever."""
    latest = (today or dt.date.today()) + LATEST_AHEAD
    return next((day for day in candidates if day is not None and EARLIEST_PUBLISHED <= day <= latest), None)


def parse_day(text: str) -> dt.date | None:
    """'16 May 2024' or '2024-05-16' (or an ISO timestamp) as a date."""
    for fmt in ("%d %B %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    return None


def published_on(text: str) -> dt.date | None:
    """The day a "Published on: 16 May 2024" line in the text gives, if any; else the dateline on a line of its own
    near the top ("Wednesday, 27 July, 2022", "Thursday, May 30, 2024", "21 Jul 2015"), as news pages print it."""
    found = PUBLISHED_ON.search(text)
    if found:
        return parse_day(found.group(1))
    for line in text[:DATELINE_CHARS].splitlines():
        dateline = DATELINE.fullmatch(line.strip())
        if dateline:
            month = MONTHS.get((dateline.group("month") or dateline.group("month2"))[:3].lower())
            try:
                return dt.date(int(dateline.group("year")), month, int(dateline.group("day") or dateline.group("day2"))) if month else None
            except ValueError:
                return None
    return None


def read_html(data: bytes, source_path: str | None = None) -> Source:
    """An HTML page: main text and metadata by trafilatura, navigation and banners dropped."""
    import trafilatura

    raw = decode(data)
    extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_tables=True, include_comments=False, include_formatting=False)
    if extracted is None or not (extracted.text or "").strip():
        raise UnreadableDocument("no article text found in the HTML page")
    lines = [" ".join(line.split()) for line in clean_text(extracted.text).split("\n")]
    blocks = [table_row(line) for line in lines if line]
    kept, dropped = keep_article([b for b in blocks if b])
    text = "\n\n".join(kept)
    published = publication_date(published_on(" ".join(raw.split())), parse_day(extracted.date) if extracted.date else None)
    title = extracted.title or None
    url = extracted.url or None
    return Source(
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        source_path=source_path,
        title=title,
        publisher=extracted.sitename or None,
        published=published,
        url=url,
        dropped=dropped,
        doc_type=doc_type_of(text, title, url),
    )


def read_pdf(data: bytes, source_path: str | None = None) -> Source:
    """A PDF report: page text by pypdf, running headers and page numbers dropped, lines rejoined."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is encrypted with a password")
        pages = [clean_text(page.extract_text() or "").split("\n") for page in reader.pages]
        info = reader.metadata
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableDocument(f"the PDF cannot be read: {type(error).__name__}") from None
    except Exception as error:  # noqa: BLE001 - pypdf raises many types on broken files
        if "encrypt" in str(error).lower() or "crypt" in type(error).__name__.lower():
            raise UnreadableDocument("the PDF is encrypted with a password") from None
        raise UnreadableDocument(f"the PDF cannot be read: {type(error).__name__}") from None
    lines, dropped = strip_running_lines(pages)
    kept, also_dropped = keep_article(pdf_paragraphs(lines))
    text = "\n\n".join(kept)
    title = str(info.title).strip() if info and info.title else None
    published = publication_date(published_on(text), creation_date(info))
    return Source(
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        source_path=source_path,
        title=title,
        published=published,
        dropped=dropped + also_dropped,
        doc_type=doc_type_of(text, title).replace("article", "report"),  # a PDF is a report unless it says otherwise
    )


def creation_date(info: object) -> dt.date | None:
    """A PDF's creation date, or None when it has none or it is not a date pypdf can read."""
    try:
        created = info.creation_date if info else None
    except (ValueError, TypeError, OverflowError):
        return None
    return created.date() if created else None


def sniff(data: bytes, suffix: str) -> str:
    """'pdf', 'html' or 'text', by the file's contents first and its name second."""
    head = data[:2048].lstrip().lower()
    if data[:5] == b"%PDF-" or head.startswith(b"%pdf-"):
        return "pdf"
    if re.match(rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype html|html|head|body)\b", head, re.S):
        return "html"
    if suffix.lower() in (".html", ".htm") and b"<" in head:
        return "html"
    if suffix.lower() == ".pdf":
        raise UnreadableDocument("the file is named .pdf but is not a PDF")
    return "text"


READERS = {"text": read_text, "html": read_html, "pdf": read_pdf}


def guarded(work: Callable[[], object], memory_mb: int) -> tuple[tuple[str, object], bool]:
    """Runs in a reader process: (("ok", what work returned) or ("unreadable", the reason), whatever it raised;
    whether the process is spent (it ran out of memory and is not to be used again))."""
    try:
        return ("ok", work()), False
    except UnreadableDocument as error:
        return ("unreadable", str(error)), False
    except MemoryError:
        return ("unreadable", f"reading it needed more than {memory_mb} MB of memory"), True
    except RecursionError:
        return ("unreadable", "the file is nested too deeply to read"), False
    except Exception as error:  # noqa: BLE001 - any parser failure is a reason, not a crash
        return ("unreadable", f"the file could not be parsed ({type(error).__name__})"), False


def read_in_child(kind: str, data: bytes, source_path: str | None, memory_mb: int) -> tuple[tuple[str, object], bool]:
    """Runs in a reader process: the Source, or the reason it could not be read (guarded)."""
    return guarded(lambda: READERS[kind](data, source_path), memory_mb)


def read_in(child: Child, request: tuple, limits: Limits, stop: Signal | None = None) -> tuple[str, object]:
    """("ok", the reply) or ("unreadable", the reason) from a reader process; UnreadableDocument when it overran
    the time limit, stopped, or was cancelled by the stop signal (then the child is busy: close it)."""
    try:
        return child.ask(request, limits.seconds, stop)
    except Overran:
        raise UnreadableDocument(f"reading it took longer than {limits.seconds:g} seconds") from None
    except Stopped:
        raise UnreadableDocument(f"the reader stopped (it needed more than {limits.memory_mb} MB or {limits.seconds:g} s)") from None
    except Cancelled:
        raise UnreadableDocument("reading it was stopped on request") from None


def read_isolated(kind: str, data: bytes, source_path: str | None, limits: Limits) -> Source:
    """Read HTML or PDF in a child process of its own, bounded by `limits` (its CPU time too)."""
    child = Child(read_in_child, memory_mb=limits.memory_mb, cpu_seconds=int(limits.seconds) + 1)
    try:
        status, value = read_in(child, (kind, data, source_path, limits.memory_mb), limits)
    finally:
        child.close()
    if status != "ok":
        raise UnreadableDocument(value)
    return value


def kind_within(data: bytes, name: str, limits: Limits) -> str:
    """The file's kind (text, html or pdf), once it is known to be within the size limit and not empty."""
    if len(data) > limits.max_bytes:
        raise UnreadableDocument(too_large(len(data), limits))
    if not data.strip():
        raise UnreadableDocument("the file is empty")
    return sniff(data, Path(name).suffix)


def read_bytes(data: bytes, name: str = "", source_path: str | None = None, limits: Limits = Limits()) -> Source:
    """Read a document from its bytes: plain text here, HTML and PDF in a bounded child process."""
    kind = kind_within(data, name, limits)
    if kind == "text":
        return read_text(data, source_path)
    return read_isolated(kind, data, source_path, limits)


NOT_FILES = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a named pipe"),
             (stat.S_ISSOCK, "a socket"))


def refuse_unless_regular(mode: int) -> None:
    """UnreadableDocument for anything that is not a regular file: a device never ends (/dev/zero), a named pipe
    waits for a writer, and neither has a size to check beforehand."""
    if not stat.S_ISREG(mode):
        what = next((name for test, name in NOT_FILES if test(mode)), "not a regular file")
        raise UnreadableDocument(f"this is {what}, not a file; only regular files are read")


def file_bytes(path: Path, limits: Limits = Limits()) -> bytes:
    """A regular file's bytes, refused unread when it is something else or over the size limit, and never more than
    the limit read whatever size it reports (a file that grows, or a /proc file that says 0)."""
    try:
        refuse_unless_regular(path.stat().st_mode)  # before opening: opening a named pipe waits for a writer
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        raise UnreadableDocument(f"cannot open the file: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        refuse_unless_regular(status.st_mode)  # what was opened, should the path have changed since
        if status.st_size > limits.max_bytes:
            raise UnreadableDocument(too_large(status.st_size, limits))
        data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise UnreadableDocument(f"the file is larger than it said and than the limit of {limits.max_bytes // (1024 * 1024)} MB")
    return data


def too_large(size: int, limits: Limits) -> str:
    return f"the file is {size // (1024 * 1024)} MB; the limit is {limits.max_bytes // (1024 * 1024)} MB"


def read_file(path: Path, limits: Limits = Limits()) -> Source:
    """Read one regular file from disk by its contents, not its name."""
    return read_bytes(file_bytes(path, limits), path.name, str(path), limits)
