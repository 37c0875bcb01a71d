"""What reading changes in a document's text, and all it changes: the stored text we quote from.

Whitespace is normalised (a paragraph's wrapped lines are joined, runs of spaces become one), ligatures are
expanded, words hyphenated across wrapped lines are rejoined, NUL bytes dropped; running headers, page numbers
and page furniture (newsletter blurbs, "READ MORE:" teasers, share buttons, notes to editors) are left out.
README's "Verbatim" section states the same.
"""

import re
import statistics

from knowledge.lexicon import DROPPED_FURNITURE, DROPPED_FURNITURE_WORDS

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u2013\u25aa\u25cf]|\d{1,2}[.)])[ \t]+")
NOTES_TO_EDITORS = re.compile(r"^\s*(?:notes? (?:to|for) editors?|ends)\s*:?\s*$", re.IGNORECASE)

# Paragraphs that belong to the page, not the article (lexicon.DROPPED_FURNITURE). Each must also be short (see
# is_boilerplate). Those that open the paragraph are tried at its start only; the others only when one of their
# words is in it.
BOILERPLATE_START = re.compile(r"\s*(?:" + "|".join(p[1:] for p in DROPPED_FURNITURE if p.startswith("^")) + ")", re.IGNORECASE)
BOILERPLATE_ANYWHERE = re.compile("|".join(p for p in DROPPED_FURNITURE if not p.startswith("^")), re.IGNORECASE)
BOILERPLATE_MAX_CHARS = 400  # a long paragraph is article text even if it mentions cookies
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


def is_boilerplate(paragraph: str) -> bool:
    """True for page furniture such as newsletter blurbs and "READ MORE:" teasers."""
    if len(paragraph) > BOILERPLATE_MAX_CHARS:
        return False
    if BOILERPLATE_START.match(paragraph):
        return True
    lower = paragraph.lower()
    return any(w in lower for w in DROPPED_FURNITURE_WORDS) and BOILERPLATE_ANYWHERE.search(paragraph) is not None


def clean_text(text: str) -> str:
    """Apply the stated normalisations: ligatures, NUL bytes, line endings, non-breaking spaces."""
    for lig, plain in LIGATURES.items():
        text = text.replace(lig, plain)
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ")


def paragraphs(text: str) -> list[str]:
    """Blocks separated by blank lines; every bullet line is a block of its own; wrapped lines are joined.

    A block whose lines are not wrapped at one width (pages that give each paragraph one line, with no
    blank lines between) is split at every line; a wrapped block is split where a short line ends a sentence."""
    blocks: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        wrapped = is_wrapped(lines)
        current: list[str] = []
        for line in lines:
            unwrapped_break = not wrapped and not continues(current[-1], line) if current else False
            if current and (BULLET.match(line) or unwrapped_break or ends_short_sentence(current[-1], lines) or (len(lines) == 2 and starts_new_sentence(current[-1], line))):
                blocks.append(" ".join(current))
                current = []
            if current and wrapped and re.search(r"[a-z]-$", current[-1]) and re.match(r"[a-z]", line):
                current[-1] = current[-1][:-1] + line  # a word hyphenated across wrapped lines, as in PDF text
                continue
            current.append(line)
        if current:
            blocks.append(" ".join(current))
    return [b for b in blocks if b]


def is_wrapped(lines: list[str]) -> bool:
    """True when every line but the last is filled to about one width, as hard-wrapped text is."""
    if len(lines) < 2:
        return True
    body = [len(line) for line in lines[:-1]]
    width = max(body)
    return width <= 110 and sum(1 for n in body if n >= 0.6 * width) >= 0.8 * len(body)


def continues(previous: str, line: str) -> bool:
    """A line that stops mid-sentence, then one that goes on in lower case: one sentence cut in two, whatever the widths."""
    return bool(re.search(r"[\w,]$", previous)) and bool(re.match(r"[a-z]", line))


def starts_new_sentence(previous: str, line: str) -> bool:
    """A line that ends a sentence, then one that starts another: a paragraph boundary without a blank line."""
    return bool(re.search(r"[.!?\u201d\"]$", previous)) and bool(re.match(r"[A-Z0-9\u201c\"]", line))


def ends_short_sentence(line: str, lines: list[str]) -> bool:
    """A wrapped line that ends a sentence well short of the width ends its paragraph."""
    width = max(len(x) for x in lines)
    return bool(re.search(r"[.!?:\u201d\"]$", line)) and len(line) < 0.6 * width


def without_furniture(blocks: list[str]) -> tuple[list[str], list[str]]:
    """(kept, dropped): boilerplate out, and everything from "Notes to editors" on."""
    kept, dropped = [], []
    for i, block in enumerate(blocks):
        if NOTES_TO_EDITORS.match(block):
            dropped += blocks[i:]
            break
        (dropped if is_boilerplate(block) else kept).append(block)
    return kept, dropped


def table_row(line: str) -> str:
    """'| Preventing crime | Good |' -> 'Preventing crime | Good'; other lines unchanged."""
    if line.startswith("|") and line.rstrip().endswith("|"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            return ""
        return " | ".join(cells)
    return line


def strip_running_lines(pages: list[list[str]]) -> tuple[list[str], list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of most pages; return the rest in order."""
    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()).lower())

    edges: dict[str, int] = {}
    for lines in pages:
        content = [line for line in lines if line.strip()]
        for line in {shape(x) for x in content[:2] + content[-2:]}:
            edges[line] = edges.get(line, 0) + 1
    running = {s for s, n in edges.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2 + 1)}
    kept, dropped = [], []
    for lines in pages:
        content = [line for line in lines if line.strip()]
        for i, line in enumerate(content):
            at_edge = i < 2 or i >= len(content) - 2
            if at_edge and (shape(line) in running or PAGE_NUMBER.match(line.strip())):
                dropped.append(line.strip())
            else:
                kept.append(line)
        kept.append("")  # a page break ends a paragraph only if the text says so (see pdf_paragraphs)
    return kept, sorted(set(dropped))


def pdf_paragraphs(lines: list[str]) -> list[str]:
    """Rejoin wrapped lines and hyphenated words into paragraphs; headings and bullets stand alone."""
    widths = [len(line.strip()) for line in lines if len(line.strip()) > 20]
    typical = statistics.median(widths) if widths else 60
    blocks: list[str] = []
    current = ""

    def flush() -> None:
        nonlocal current
        if current.strip():
            blocks.append(" ".join(current.split()))
        current = ""

    for raw in lines:
        line = raw.strip()
        if not line:
            if current and re.search(r"[.!?:;\u201d\u2019\"]$", current.rstrip()):
                flush()
            continue
        starts_block = bool(BULLET.match(line)) or not current
        heading = is_pdf_heading(line, typical)
        if current and (starts_block or (heading and re.search(r"[.!?:;]$", current.rstrip()))):
            flush()
        current = joined(current, line)
        if heading and not BULLET.match(line):
            flush()
        elif re.search(r"[.!?:]$", line) and len(line) < 0.75 * typical:
            flush()
    flush()
    return blocks


def is_pdf_heading(line: str, typical: float) -> bool:
    """A short capitalised line with no closing punctuation, in a PDF whose lines are `typical` long."""
    return len(line) < 0.7 * typical and not re.search(r"[.!?:;,\u201d\u2019\"]$", line) and line[:1].isupper()


def joined(current: str, line: str) -> str:
    """The paragraph so far with the next wrapped line, a word hyphenated across the two rejoined."""
    if current.endswith("-") and re.match(r"[a-z]", line) and re.search(r"[A-Za-z]-$", current):
        return current[:-1] + line
    return f"{current} {line}" if current else line
