"""Paragraphs that are more than they look: a list's item written as a paragraph of its own (after "... because the
force needs to:"), and a quotation that belongs to the person the paragraph before it opens with, or to the person the
line after it names alone (a magazine's pull quote). Read by the walk in knowledge.documents.parsing.
"""

import re

from knowledge.documents.names import ROLE_PATTERNS, Person, speaker_of
from knowledge.documents.rules import Page
from knowledge.documents.structure import Block, BlockKind

QUOTE_OPENS = re.compile(r"[\u201c\"]")  # a block that may hold a quotation
SAID_IN = re.compile(r",\s*(?:[\w\u2019'-]+\s+){0,3}(?:said|says|added|explained)\.?\s*$")  # "..., she said.": a person's words
ONLY_QUOTED = re.compile(r"[\u201c\"][^\u201d\"]*[\u201d\"][.!?]?")  # a paragraph that is one quotation and nothing else
CAPTION_PLACE_WORD = re.compile(r"[A-Z][\w'\u2019-]*")  # a word of the place before a role ("Essex", "West Yorkshire")
CAPTION_WORDS = 8  # a line under a quotation that names who said it ("Essex PFCC Roger Hirst") is at most this long
LIST_ITEM_CHARS = 400  # a paragraph in lower case after a lead-in, at most this long, is one of its items
# A paragraph that opens with a person, the subject of its verb: "HM Inspector Jo Sample launched the report ..."
INTRODUCES = re.compile(r"((?:(?:[A-Z][\w'\u2019.-]*|of|and|the|for|&)\s+){2,14}?)(?:has |had |have )?"
                        r"(?:launched|published|said|welcomed|warned|told|added|described|called|praised|criticised|found)\b")


def list_item(page: Page, block: Block) -> bool:
    """A paragraph that is an item of the list a lead-in opened ("... because the force needs to:" then "attend calls
    for service in line with its targets;" as paragraphs of their own): it goes on from the lead-in in lower case."""
    words = page.text[block.start : block.end].strip()
    return (page.lead_in is not None and words[:1].islower() and len(words) <= LIST_ITEM_CHARS and not QUOTE_OPENS.search(words)
            and not SAID_IN.search(words))  # "staff shortages meant calls went unanswered, she said": a person's words


def introduced(page: Page, before: Block, block: Block) -> Person | None:
    """The person a paragraph opens with, as its subject ("HM Inspector Jo Sample launched the report ..."): a
    quotation right after it that is all the next paragraph holds (no "one victim told us" after it) is theirs, as news
    pages write it."""
    if before.kind != BlockKind.paragraph or not ONLY_QUOTED.fullmatch(page.text[block.start : block.end].strip()):
        return None
    opening = INTRODUCES.match(page.text, before.start, before.end)
    if not opening:
        return None
    name, role = speaker_of(opening.group(1).strip())
    return Person(name, role) if name and len(name.split()) >= 2 else None


def captioned(page: Page, block: Block, after: Block | None) -> str | None:
    """The line under a quotation that is all its paragraph holds, when that line names only who said it, by role and
    name ("Essex PFCC Roger Hirst", as a magazine sets a pull quote); else None. A name without a role, or a line that
    says more, is a heading, not a caption."""
    if after is None or after.kind not in (BlockKind.heading, BlockKind.paragraph) or not ONLY_QUOTED.fullmatch(page.text[block.start : block.end].strip()):
        return None
    line = page.text[after.start : after.end].strip()
    if not line or len(line.split()) > CAPTION_WORDS or line[-1] in ".!?:;,\u201d\"":
        return None
    name, role = speaker_of(line)
    if not (name and role and len(name.split()) >= 2):
        return None
    written = next((m for pattern, _ in ROLE_PATTERNS if (m := pattern.search(line))), None)
    rest = line.replace(name, " ")
    rest = rest.replace(written.group(), " ") if written else rest
    # "Essex PFCC Roger Hirst": a place at most; not "... and PCC Sam Roe", "Pictured: ...", "... responds", "Interview with ..."
    return line if all(CAPTION_PLACE_WORD.fullmatch(w) for w in rest.split()) and len(rest.split()) <= 3 else None
