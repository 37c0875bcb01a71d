"""Dates in a question: a publication-date filter ("2021", "since 2022", "June 2022", "last year") and an inspection
cycle ("PEEL 2021/22"), which is words of a document's title rather than a date."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): i for names in (calendar.month_name, calendar.month_abbr) for i, name in enumerate(names) if name} | {"sept": 9}
DEADLINE_WORDS = frozenset({"by", "deadline"})  # "by August 2021", "by 2025": a deadline asked about, no date filter
YEAR = re.compile(r"^(?:19[89]\d|20[0-3]\d)$")


@dataclass(frozen=True)
class Dates:
    """A publication-date filter: documents published from `since` to `until` (both inclusive)."""

    since: dt.date | None
    until: dt.date | None
    words: str  # as asked: "2021", "since 2022", "last year"
    undated: bool = False  # instead: documents whose date is not known (nothing dated so matched, these might be)

    @property
    def year(self) -> int | None:
        """The one calendar year asked ("2017", "in 2017"), else None."""
        one = self.since and self.until and self.since.year == self.until.year and (self.since.month, self.since.day, self.until.month, self.until.day) == (1, 1, 12, 31)
        return self.since.year if one and self.words != "older" else None  # type: ignore[union-attr]

    def describe(self) -> str:
        if self.undated:
            return "of unknown date"
        if self.words == "older" and self.until:  # "older ones"
            return f"older than those shown (published before {self.until + dt.timedelta(days=1):%-d %B %Y})"
        if self.since and self.until and (self.since.year, self.since.month) == (self.until.year, self.until.month) and self.since.day == 1:
            return f"published in {self.since:%B %Y}"
        if self.year is not None:
            return f"of {self.year}"  # published then, or the next year under a title naming it ("Gwent 2017")
        if self.since and self.until and self.since.year == self.until.year:
            return f"published in {self.since.year}"
        if self.since and self.until:
            return f"published from {self.since:%-d %B %Y} to {self.until:%-d %B %Y}"
        if self.since:
            return f"published since {self.since.year if (self.since.month, self.since.day) == (1, 1) else f'{self.since:%-d %B %Y}'}"
        return f"published before {self.until.year + 1 if (self.until.month, self.until.day) == (12, 31) else f'{self.until:%-d %B %Y}'}"


def read_cycle(norms: list[str], taken: set[int]) -> tuple[tuple[str, ...], str] | None:
    """An inspection cycle ("PEEL 2021/22", "2023-25"): words of a document's title, not a date filter."""
    for i in range(len(norms) - 1):
        if YEAR.match(norms[i]) and re.fullmatch(r"\d\d", norms[i + 1]) and 0 < int(norms[i + 1]) - int(norms[i]) % 100 <= 3:
            taken.update((i, i + 1))
            year, end = norms[i], norms[i + 1]
            return (f"{year}/{end}", f"{year}\u2013{end}", f"{year}-{end}"), f"{year} {end}"
    return None


def cycle_dates(words: str) -> Dates:
    """The publication dates of a cycle's reports ("2018 19"): from its first year to the end of the year after its last."""
    year, end = (int(w) for w in words.split())
    last = year // 100 * 100 + end + 1
    return Dates(dt.date(year, 1, 1), dt.date(last, 12, 31), words.replace(" ", "/"))


def read_month(norms: list[str], taken: set[int]) -> Dates | None:
    """A month of a year ("june 2022", "in Dec 2024")."""
    for i in range(len(norms) - 1):
        month = MONTHS.get(norms[i])
        if month and YEAR.match(norms[i + 1]) and not taken & {i, i + 1} and (i == 0 or norms[i - 1] not in DEADLINE_WORDS):
            taken.update((i, i + 1))
            year = int(norms[i + 1])
            last = calendar.monthrange(year, month)[1]
            return Dates(dt.date(year, month, 1), dt.date(year, month, last), f"{norms[i]} {norms[i + 1]}")
    return None


def read_dates(norms: list[str], taken: set[int], today: dt.date) -> Dates | None:
    """A date filter from "June 2022", "2021", "in 2021", "since 2022", "after 2020", "before 2020", "last year", "this year"."""
    if month := read_month(norms, taken):
        return month
    for i, word in enumerate(norms):
        if i in taken:
            continue
        before = norms[i - 1] if i else ""
        if YEAR.match(word) and (before in DEADLINE_WORDS or (before in MONTHS and i >= 2 and norms[i - 2] in DEADLINE_WORDS)):
            taken.update(range(max(0, i - 2), i + 1))  # "what must they do by August 2021": a deadline, not when published
            continue
        if YEAR.match(word):
            year = int(word)
            taken.add(i)
            if before in ("since", "after", "from", "before", "until", "till", "pre", "prior"):
                taken.add(i - 1)
            if before in ("since", "from"):
                return Dates(dt.date(year, 1, 1), None, f"{before} {word}")
            if before == "after":
                return Dates(dt.date(year + 1, 1, 1), None, f"after {word}")
            if before in ("before", "until", "till", "pre", "prior"):
                return Dates(None, dt.date(year - 1, 12, 31), f"before {word}")
            return Dates(dt.date(year, 1, 1), dt.date(year, 12, 31), word)
        if word == "year" and before in ("last", "this", "past"):
            taken.update((i - 1, i))
            if before == "this":
                return Dates(dt.date(today.year, 1, 1), None, "this year")
            if before == "past":
                return Dates(today - dt.timedelta(days=365), None, "past year")
            return Dates(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31), "last year")
    return None


def undated(dates: Dates | None) -> Dates | None:
    """Nothing dated as asked: the documents whose date is not known, which may be from then (None without dates)."""
    return None if dates is None or dates.undated or dates.words == "older" else Dates(None, None, dates.words, undated=True)


def year_after(dates: Dates | None) -> Dates | None:
    """The year after a question's one year ("2017" -> 2018), when that is all its dates say."""
    if dates is None or dates.since is None or dates.until is None or (dates.since.month, dates.since.day, dates.until.month, dates.until.day) != (1, 1, 12, 31):
        return None
    if dates.since.year != dates.until.year:
        return None
    year = dates.since.year + 1
    return Dates(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
