"""progress.toml's word lists as expressions of whole words in any case, matched fast: knowledge.linking reads every
stored finding with several of these, and one alternation of a hundred patterns costs a hundred patterns at every
character (issue 21: linking at ingest had cut the ingest benchmark by two thirds). A Words finds exactly what that
alternation finds (tests/test_linking.py compares them on every fixture's text), by reading a text only with the
patterns whose required words it holds, each on its own and without asking for case or a word's start (so the scan
skips to the pattern's first letters), then checking the word's start itself.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence


def _alternatives(patterns: Iterable[str]) -> str:
    """progress.toml's patterns as one alternation: ' as either apostrophe, <q> as any quotation mark or none."""
    return "|".join("(?:" + p.replace("'", "['\u2019]").replace("<q>", "['\u2018\u2019\"\u201c\u201d]?") + ")" for p in patterns)


FOLDED_LIKE_ASCII = frozenset("\u0130\u0131\u017f\u212a")  # the characters besides a-z, A-Z and 0-9 that match them in any case
QUANTIFIER = re.compile(r"(?:[?*+]|\{(\d*)(?:,\d*)?\})\??")


def _group_end(pattern: str, at: int) -> int:
    """Where the group opened at `at` closes (the index of its ')')."""
    depth = 0
    for i in range(at, len(pattern)):
        if pattern[i] == "\\":
            continue
        if pattern[i] == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif pattern[i] == ")" and pattern[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced pattern {pattern!r}")


def _split(pattern: str) -> list[str]:
    """A pattern's alternatives at its top level."""
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch in "([" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch in ")]" and pattern[i - 1] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
    return [*parts, pattern[last:]]


def required(pattern: str) -> tuple[str, ...]:
    """Words one of which every match of one of progress.toml's patterns holds, lower case (the choice whose shortest
    is longest); () when none is known. A text holding none of them cannot match it."""
    choices = [_required_in(alternative) for alternative in _split(pattern)]
    return () if any(not c for c in choices) else tuple(sorted({w.lower() for c in choices for w in c}))


def _required_in(sequence: str) -> tuple[str, ...]:
    """required(), for a sequence without a top-level alternation."""
    best: tuple[str, ...] = ()
    run, i = "", 0

    def better(choice: tuple[str, ...]) -> None:
        nonlocal best
        if choice and (not best or min(map(len, choice)) > min(map(len, best))):
            best = choice

    while i < len(sequence):
        ch = sequence[i]
        if sequence.startswith("<q>", i):
            atom, end, literal = None, i + 3, False
        elif ch == "(":
            end = _group_end(sequence, i) + 1
            inner = sequence[i + 1 : end - 1]
            zero = inner.startswith(("?!", "?=", "?<!", "?<="))
            atom, literal = (None if zero else required(inner.removeprefix("?:"))), False
        elif ch == "[":
            atom, end, literal = None, sequence.index("]", i + 1) + 1, False
        elif ch == "\\":
            atom, end, literal = None, i + 2, False
        else:
            atom, end, literal = None, i + 1, ch not in ".'"
        quantified = QUANTIFIER.match(sequence, end)
        least = 1 if quantified is None else (1 if quantified.group().startswith("+") else int(quantified.group(1) or 0) if "{" in quantified.group() else 0)
        i = quantified.end() if quantified else end
        if literal and least:
            run += ch
            if quantified:  # repeated: the run ends with it
                better((run,))
                run = ""
            continue
        better((run,) if run else ())
        run = ""
        if atom and least:
            better(atom)
    better((run,) if run else ())
    return best


class Words:
    """A list of progress.toml's patterns of whole words, matched in any case as one alternation of them all would match
    them (at the leftmost place, the first pattern that matches there), found many times faster: a text is read in
    lower case (the same length: FOLDED_LIKE_ASCII aside) with each pattern on its own whose required words it holds,
    none of them asking for a word's start or any case (the scan then skips to a pattern's first letters instead of
    trying every pattern at every character); a match must then start a word. Linking reads every finding so."""

    def __init__(self, groups: Sequence[tuple[str | None, Sequence[str]]]) -> None:
        arms = [(name, p) for name, patterns in groups for p in patterns]
        self.regex = re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<{name}>{_alternatives(ps)})" if name else _alternatives(ps) for name, ps in groups if ps)
                                + r")(?!\w)", re.I)
        self.arms = [re.compile(rf"(?{'P<' + name + '>' if name else ':'}{_alternatives([p])})(?!\w)") for name, p in arms]
        needs = [required(p) for _, p in arms]
        self.whole = any(not n for n in needs)
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for i, words in enumerate(needs):
            for word in words:
                self.by_word[word].append(i)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        endpos = len(text) if endpos is None else endpos
        if self.whole or not FOLDED_LIKE_ASCII.isdisjoint(text):
            yield from self.regex.finditer(text, pos, endpos)
            return
        folded = text.lower()
        arms = sorted(set().union(*[arms for word, arms in self.by_word.items() if word in folded]))
        found = {i: m for i in arms if (m := self._next(i, folded, pos, endpos)) is not None}
        while found:
            first = min(found.items(), key=lambda hit: (hit[1].start(), hit[0]))[1]  # type: ignore[union-attr]
            yield first
            pos = first.end()
            found = {i: m if m.start() >= pos else self._next(i, folded, pos, endpos) for i, m in found.items()}  # type: ignore[union-attr]
            found = {i: m for i, m in found.items() if m is not None}

    def _next(self, arm: int, folded: str, pos: int, endpos: int) -> re.Match[str] | None:
        """The pattern's first match from `pos` that starts a word."""
        search = self.arms[arm].search
        found = search(folded, pos, endpos)
        while found is not None and found.start() and (folded[found.start() - 1].isalnum() or folded[found.start() - 1] == "_"):
            found = search(folded, found.start() + 1, endpos)
        return found

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


def words(patterns: Iterable[str]) -> Words:
    """One expression for a list of progress.toml's patterns, matched as whole words in any case."""
    return Words([(None, list(patterns))])


