"""Quotation marks in a paragraph: where a quotation opens, closes and runs on, curly or straight, whichever mark
closes what the other opened. Used by knowledge.documents.speakers (whose words each part of a paragraph is).
"""

import re

QUOTE_MARKS = "\u201c\""  # a quotation opens with one of these
STRAIGHT_CLOSE = re.compile(r"(?<=[\w.,!?])\"(?!\w)")  # a straight mark after a word, closing what a curly one opened
QUOTING = re.compile(r"[\u201c\"][^\u201d\"]{15,}")  # a quotation of some length follows
NEXT_OPENS = re.compile(r"\s*[\u201c\"]")  # the next paragraph opens a quotation: one left open goes on through a paragraph between
GLUED = re.compile(r"(?<=[a-z.!?])[\u201d\"](?=[A-Z])")  # a closing mark run into the next sentence: 'safe"Chief ...'


def open_quotation(text: str, start: int, pos: int) -> bool:
    """Whether a quotation opened between start and pos is still open at pos: "The report said: “Staff were skilled ... The
    force acknowledges ...": a sentence inside someone's (or the report's) quotation attributes nothing."""
    words = text[start:pos]
    return words.count("\u201c") > words.count("\u201d") or words.count("\"") % 2 == 1


def unopened_close(text: str, pos: int, end: int) -> int | None:
    """Where a quotation that opened before pos closes, when no quotation opens in between: a curly closing mark, or
    a straight one after a word ('... further."'); else None."""
    curly, straight = text.find("\u201d", pos, end), text.find("\"", pos, end)
    if curly != -1 and "\u201c" not in text[pos:curly] and (straight == -1 or straight > curly):
        return curly
    if straight > pos and curly == -1 and "\u201c" not in text[pos:straight] and not text[straight - 1].isspace():
        return straight
    return None


def comma_ends(text: str, opening: int, close: int, end: int) -> bool:
    """Whether a quotation ends in a comma, inside its marks or just after them ('"We were ignored," one victim told
    ...'): only then do the words after it attribute it, rather than start a sentence of their own."""
    return close > opening + 1 and (text[close - 1] == "," or (close + 1 < end and text[close + 1] == ","))


def quotation_close(text: str, pos: int, end: int) -> int:
    """Where the quotation opening at pos closes (end when it runs on into the next paragraph). A straight mark after a
    space and before a word opens the next paragraph of the same quotation, run into this one ('... risks. "I am ...')."""
    mark = text[pos]
    closer = "\u201d" if mark == "\u201c" else "\""
    i = text.find(closer, pos + 1, end)
    while closer == "\"" and 0 < i < end - 1 and text[i - 1] == " " and text[i + 1].isalnum():
        i = text.find(closer, i + 1, end)
    if mark == "\u201c" and i == -1 and (straight := STRAIGHT_CLOSE.search(text, pos + 1, end)) and "\u201c" not in text[pos + 1 : straight.start()]:
        return straight.start()  # '“We are proud," said X.': a curly mark opened it, a straight one closes it
    curly = text.find("\u201d", pos + 1, i if i != -1 else end) if mark == "\"" else -1
    if curly != -1 and "\u201c" not in text[pos + 1 : curly] and not (text[curly - 1] == " " and text[curly + 1 : curly + 2].isalnum()):
        i = curly  # '"We are proud,” said X.': a straight mark opened it, a curly one closes it (none nested, none opening a word)
    return i if i != -1 else end
