"""The structure of stored text: typed blocks (headline, heading, paragraph, bullet, furniture ...) and sentences.

This is the first step of parsing: it says what each line of a page *is*, never what it means. Every
block and sentence is a span (start, end) of the stored text. Both steps are linear in the length of
the text: a hostile one-sentence file costs the same per character as a normal page.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from knowledge.documents.cleaning import BULLET
from knowledge.documents.names import speaker_of
from knowledge.lexicon import ABBREVIATIONS, FURNITURE_LINE_WORDS, FURNITURE_LINES, SECTION_KINDS, SECTIONS, alternation


class BlockKind(StrEnum):
    """What a line of a page is."""

    headline = "headline"
    standfirst = "standfirst"
    byline = "byline"
    heading = "heading"
    question = "question"  # a question heading: "How well does the force protect vulnerable people?"
    label = "label"  # a short lead-in that only names a kind: "Area for improvement:", "Within six months, the force should:"
    paragraph = "paragraph"
    bullet = "bullet"
    quote = "quote"  # a paragraph that opens with a quotation mark
    table_row = "table_row"
    furniture = "furniture"  # the page's, not the document's: banners, breadcrumbs, links, credits


@dataclass(frozen=True)
class Block:
    kind: str
    start: int
    end: int


MAX_SENTENCE = 1000  # characters: longer runs are cut at a space, so no sentence costs more than this to classify


def alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of a pattern (split at '|' outside brackets)."""
    parts, depth, current = [], 0, ""
    for i, ch in enumerate(pattern):
        if ch in "([" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch in ")]" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return parts + [current]


# The page around the document (lexicon.FURNITURE_LINES), tried on short lines only (FURNITURE_MAX_CHARS). Anchored
# alternatives are tried once at the start of a line; the rest are searched for (a cheaper split than one big search).
FURNITURE_START = re.compile("|".join(a for p in FURNITURE_LINES for a in alternatives(p) if a.startswith("^")), re.IGNORECASE)
FURNITURE_ANYWHERE = re.compile("|".join(a for p in FURNITURE_LINES for a in alternatives(p) if not a.startswith("^")), re.IGNORECASE)
FURNITURE_MAX_CHARS = 240
# A news agency photo's caption, ending with its credit, "(Photographer Name/PA)" (which may stand cut off: "(Jo Sample/"):
# the page's, however long the caption (CAPTION_MAX_CHARS).
CAPTION_CREDIT = re.compile(r"\((?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*/(?:PA(?: Wire| Media| Archive)?|Alamy|Getty(?: Images)?|Reuters|AP|AFP)?\)?$")
CAPTION_MAX_CHARS = 500
MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# A dateline on a line of its own: "Thursday, 30 May 2024", "21 Jul 2015", "Thursday, May 30, 2024", "Nov 24, 2021, 10:15",
# "Friday 12 July 2024 16.7 C".
DATE_LINE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?),?\s+\d{{4}}"
    r"(?:,?\s+\d{1,2}[:.]\d{2}\s*(?:am|pm)?)?(?:\s+-?\d{1,2}(?:\.\d)?\s?\u00b0?C)?$",  # a news site's weather after it: "16.7 C"
    re.IGNORECASE,
)
NUMBERED_TITLE = re.compile(r"^\d{1,2}\.\s+[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019&-]+){0,6}$")  # "1. Main findings": a contents line or heading
AFTER_LINK = re.compile(r"^get the (?:full )?(?:report|letter|inspection|data)\b", re.IGNORECASE)  # the linked document's name follows
BYLINE = re.compile(r"^By\s+[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]+){0,3}(?:\s*[,|\u2013-].{0,60})?$")
MASTHEAD_CELL = re.compile(r"^(?:newsroom|news|latest news|press releases?|media centre)$|\d{4}$", re.IGNORECASE)
LABEL = re.compile(
    rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{alternation(SECTION_KINDS)}|"
    r"(?:immediately|within [\w ]{3,30}|by [\w ]{3,30})?,?\s*(?:the )?(?:force|service|constabulary|brigade|chief constable|chief fire officer|forces|services)"
    r" (?:should|must|needs to)(?: do the following)?)(?:\s+\d+)?\s*:$",
    re.IGNORECASE,
)

# Page furniture glued to the paragraph after it, the space lost: a link ("Read more about Surrey") or a photo caption
# with its credit ("Jo Sample at the station. Picture: JO SAMPLE"), each running straight into a capitalised word, or a
# bracketed credit before it.
GLUED = re.compile(r"(?:(?i:read more|related|see also)\b[^.!?\n]{0,60}?[a-z]|[^\n]{0,240}?\b(?i:picture|photo|image)s?:\s+[A-Z][A-Z .'\u2019/-]*[A-Z]"
                   r")(?=[A-Z][a-z])|\((?i:picture|photo|image)s?:[^)\n]{1,60}\)(?=\s+[A-Z][a-z])")  # "(Image: Newsquest) Here is ..."
LONE_GRADE_LINE = re.compile(r"(?:Outstanding|Good|Adequate|Requires [Ii]mprovement|Inadequate)\.?")
DATED_GRADE = re.compile(r"(?:Last updated|Published|Updated):?\s+[\d/.-]{6,10}(?=\s+(?:Outstanding|Good|Adequate|Requires [Ii]mprovement|Inadequate)$)")
GLUED_START = re.compile(r"(?i:read more|related|see also)\b")
CAPTION_HINT = re.compile(r"(?:icture|hoto|mage)s?:")
OPENING = "\u201c\""  # a quotation opens a paragraph with one of these
# A sentence ends at . ! or ? (with any closing quotes or brackets) before a space and a capital, digit or opening mark.
# (Or, in text whose space was lost, a full stop between a lower-case word and a capitalised one: "Yorkshire.Inspector".)
BOUNDARY = re.compile(r"[.!?]+[\"\u201d\u2019')\]]*(?=\s+(?:[\"\u201c\u2018(\[]?[A-Z0-9]|\())|(?<=[a-z]{3})\.(?=[A-Z][a-z]{2})")


INNER_SENTENCE_END = re.compile(r"[a-z][.!?][\"\u201d\u2019]?\s+[\"\u201c]?[A-Z]|: [\"\u201c]")


def is_headingish(line: str) -> bool:
    """Short, no closing punctuation, not a bullet or a table row: a headline, heading or label line."""
    words = line.split()
    return (
        0 < len(words) <= 30
        and not BULLET.match(line)
        and " | " not in line
        and not re.search(r"[.!;:,\u201d\u2019\"]$", line)
        and not INNER_SENTENCE_END.search(line)  # "... will record it. I am c": a paragraph cut off, not a heading
        and (line[:1].isupper() or line[:1].isdigit() or line[:1] in "\u201c\"'\u2018")
    )


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the web page, not the document."""
    bare = line.strip()
    if not bare or re.fullmatch(r"\(.*\)", bare):
        return True
    if bare.endswith(("/", ")")) and len(bare) <= CAPTION_MAX_CHARS and CAPTION_CREDIT.search(bare):
        return True
    if len(bare) > FURNITURE_MAX_CHARS:
        return False
    lower = bare.lower()
    if FURNITURE_START.match(bare) or (any(w in lower for w in FURNITURE_LINE_WORDS) and FURNITURE_ANYWHERE.search(bare)) or DATE_LINE.match(bare) or BYLINE.match(bare):
        return True
    if " | " in bare:
        cells = [c.strip() for c in bare.split("|")]
        return any(MASTHEAD_CELL.search(c) for c in cells[1:]) or any("cookie" in c.lower() for c in cells)
    return False


def line_kind(line: str, *, before_body: bool) -> str:
    """The kind of one stored line, knowing whether the body (a first sentence) has started yet."""
    if BYLINE.match(line):
        return BlockKind.byline
    if is_furniture(line):
        return BlockKind.furniture
    if LONE_GRADE_LINE.fullmatch(line):
        return BlockKind.heading  # a grade on a line of its own grades the section above it, never a headline
    if NUMBERED_TITLE.match(line):
        return BlockKind.heading  # a numbered section's title, not a bullet of findings
    if BULLET.match(line):
        return BlockKind.bullet
    if " | " in line:
        return BlockKind.table_row
    if LABEL.match(line):
        return BlockKind.label
    if line[:1] in OPENING:
        return BlockKind.quote
    if line.rstrip().endswith("?") and len(line.split()) <= 25 and line[:1].isupper():
        return BlockKind.question
    if before_body and captions_a_person(line):
        return BlockKind.furniture  # a photo's caption above the story: "Chief Constable Jo Sample"
    if is_headingish(line):
        return BlockKind.headline if before_body else BlockKind.heading
    return BlockKind.paragraph


CAPTION_WORDS = 10  # a person's role and name alone on a line is at most this long
SMALL_WORDS = frozenset({"of", "and", "the", "for", "&"})


def captions_a_person(line: str) -> bool:
    """A line that is only a person's role and name, in capitals ("Leicestershire Police Temporary Chief Constable Jo
    Sample."): a photo's caption, never the page's title."""
    words = line.strip().rstrip(".").split()
    if not 3 <= len(words) <= CAPTION_WORDS or "," in line or not all(w[:1].isupper() or w in SMALL_WORDS for w in words):
        return False
    name, role = speaker_of(" ".join(words))
    return bool(name and role) and len(name.split()) == 2 and " ".join(words).endswith(name)  # "... Jo Sample Resigns" is a headline


CUT_OFF_WORDS = 15  # a heading-like last line this long heads nothing: it is the last paragraph, cut off mid-sentence


def blocks(text: str) -> list[Block]:
    """Every non-empty line of the stored text as a typed block, in order.

    Before the first sentence-like paragraph, the first heading-like line is the headline and the ones after it
    are standfirsts; known section names ("Summary", "Areas for improvement") are always headings."""
    out: list[Block] = []
    before_body = True
    headline_seen = False
    captions: set[str] = set()
    for start, end, known in _lines(text):
        line = text[start:end]
        kind = known or (BlockKind.furniture if line in captions or _doubled(line, captions) else line_kind(line, before_body=before_body))
        if kind in (BlockKind.heading, BlockKind.headline) and out and out[-1].kind == BlockKind.furniture and AFTER_LINK.match(text[out[-1].start : out[-1].end]):
            kind = BlockKind.furniture  # "Get the report" and then the report's name: a link, not the page's
        if kind == BlockKind.headline:
            if SECTION_NAME.match(line):
                kind = BlockKind.heading
            elif headline_seen:
                kind = BlockKind.standfirst
            headline_seen = True
        if kind == BlockKind.table_row and len(out) < 6 and not _followed_by_row(text, end) and not (out and out[-1].kind == BlockKind.table_row):
            kind = BlockKind.furniture  # a masthead ("Liverpool Echo | Crime"), not a table
        if kind in (BlockKind.paragraph, BlockKind.bullet, BlockKind.quote, BlockKind.table_row, BlockKind.heading, BlockKind.label):
            before_body = False
        out.append(Block(kind, start, end))
    if out and out[-1].kind == BlockKind.heading and len(text[out[-1].start : out[-1].end].split()) >= CUT_OFF_WORDS:
        out[-1] = Block(BlockKind.paragraph, out[-1].start, out[-1].end)  # a long last line without its full stop: a paragraph cut off
    return out


def _doubled(line: str, captions: set[str]) -> bool:
    """A line that is one sentence twice over ("Crews at the blaze, July 2018.Crews at the blaze, July 2018."): a photo's
    caption scraped with its copy, remembered so that the caption on a line of its own is furniture too."""
    half = len(line) // 2
    if len(line) % 2 or half < 12 or line[:half] != line[half:]:
        return False
    captions.add(line[:half])
    return True


def _lines(text: str) -> Iterator[tuple[int, int, str | None]]:
    """Each non-empty line's span without its outer spaces; a link or caption glued to the paragraph after it
    ("Read more about SurreyThis is ...", "... Picture: JO SAMPLEThe force ...") is a line of its own, and so is the grade
    after a page's date; with the kind each such line is, when it is known here."""
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        hint = GLUED_START.match(text, start, end) or (text.find(":", start, min(end, start + 300)) != -1 and CAPTION_HINT.search(text, start, min(end, start + 300)))
        joined = GLUED.match(text, start, end) if hint else None
        dated = DATED_GRADE.match(text, start, end) if joined is None and text.startswith(("Last updated", "Published", "Updated"), start) else None
        if joined or dated:
            yield start, (joined or dated).end(), BlockKind.furniture
            start = (joined or dated).end()
            while text[start].isspace():
                start += 1
        yield start, end, BlockKind.heading if dated else None  # "Last updated 15/12/2021 Requires improvement": the grade of the section above


def _followed_by_row(text: str, end: int) -> bool:
    """True when the next non-empty line is a table row too."""
    m = re.compile(r"\s*([^\n]*)").match(text, end)
    return bool(m and " | " in m.group(1))


SECTION_NAME = re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{alternation(SECTIONS)})\b", re.IGNORECASE)  # always a heading


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], as offsets into text; none longer than MAX_SENTENCE."""
    spans = []
    begin = start
    for m in BOUNDARY.finditer(text, start, end):
        stop = m.end()
        if _abbreviation_before(text, m.start(), begin):
            continue
        spans += _capped(text, begin, stop)
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans += _capped(text, begin, end)
    return [(s, e) for s, e in spans if e > s]


def _abbreviation_before(text: str, dot: int, floor: int) -> bool:
    """'Mr.', 'e.g.' or an initial ('J.') before the full stop at `dot`."""
    if text[dot] != ".":
        return False
    i = dot
    while i > floor and i > dot - 6 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    return word in ABBREVIATIONS or (len(word) == 1 and text[dot - 1].isupper())


def _capped(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One span, or several when it is longer than MAX_SENTENCE (cut at the last space before the cap)."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut != -1 else start + MAX_SENTENCE
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    out.append((start, end))
    return out


OPEN_QUOTES = "\u201c\u2018\"'"
CLOSE_DOUBLE = "\u201d\""
DATELINE = re.compile(r"(?:[A-Z]{3,}(?: [A-Z]{3,})?|(?i:news|press|media) (?i:release)):\s+(?=[A-Z])")  # "LONDON: ", "News release: "
CREDIT = re.compile(r"\s*\(\s*[A-Z][^()/]{1,40}/\s*[A-Z][\w .]{1,25}\)\.?\s*$")
TRAILING = re.compile(r"(?:\s*[;,]\s*(?:and|or)?|\s+(?:and|or))\s*$")


def _without_page_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a dateline before it ("LONDON: ") or a photo credit glued after it ("(Jo Sample/PA)")."""
    dateline = DATELINE.match(text, start, end)
    if dateline and dateline.end() < end:
        start = dateline.end()
    credit = CREDIT.search(text, max(start, end - 60), end)
    if credit and credit.start() > start:
        end = credit.start()
    return start, end


def _closes_within(text: str, start: int, end: int) -> bool:
    """'"Inadequate" grades were given to ...': the quotation opening the span closes before the span's words end, so
    its opening mark belongs to the sentence."""
    closer = {"\u201c": "\u201d", "\u2018": "\u2019"}.get(text[start], text[start])
    at = text.find(closer, start + 1, end)
    return at != -1 and bool(re.search(r"\s[a-z]", text[at + 1 : end]))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to its words: no bullet marker, spaces, quote marks or trailing '; and'."""
    while True:
        before = (start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        bullet = BULLET.match(text, start, end)
        if bullet and bullet.end() > start:
            start = bullet.end()
        if start < end and text[start] in OPEN_QUOTES and not _closes_within(text, start, end):
            start += 1
        if end > start and text[end - 1] in CLOSE_DOUBLE:
            end -= 1
        # A closing single quote after punctuation ends a quotation; after a letter it is an apostrophe.
        if end - start > 1 and text[end - 1] in "\u2019'" and text[end - 2] in ".!?,;":
            end -= 1
        tail = TRAILING.search(text, max(start, end - 12), end)
        if tail and tail.start() > start:
            end = tail.start()
        start, end = _without_page_marks(text, start, end)
        if (start, end) == before:
            return start, end


def starts_sentence(text: str, floor: int, pos: int) -> bool:
    """Whether a sentence starts at pos: only spaces between it and the end of one before, or `floor`."""
    i = pos - 1
    while i >= floor and text[i].isspace():
        i -= 1
    return i < floor or text[i] in ".!?\u201d\"\u2019"


def sentence_end(ends: list[int], start: int, end: int) -> int:
    """Where the sentence that starts at (or runs through) `start` ends."""
    i = bisect_right(ends, start)
    return ends[i] if i < len(ends) else end
