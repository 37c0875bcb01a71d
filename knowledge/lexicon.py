"""Every vocabulary once: the word lists of knowledge/data/, read here and nowhere else.

Code keeps the grammar (how words combine into a pattern, what a match means); data keeps the words: report
sections (sections.toml), page furniture and mastheads (furniture.toml), sentence ends (sentences.toml), grades and
graded areas (grades.toml), how people are named and quoted (people.toml), praise and criticism (polarity.toml),
the words around organisations' names (names.toml), the filler of questions (understanding.toml, whose other
tables knowledge.questions.understanding reads), how later documents speak of an earlier concern (progress.toml) and
the topics of synonyms.toml, which knowledge.linking ties findings by. Each file is read
once, when this module is first imported.
"""

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

DATA = resources.files("knowledge") / "data"


def _read(name: str) -> dict:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def alternation(phrases: Iterable[str]) -> str:
    """A regular expression for any of the phrases, longest first, each word as written and an apostrophe as ' or ’
    (put it in a group and add the boundaries the grammar needs)."""
    escaped = (re.escape(p).replace("\\ ", " ").replace("'", "['\u2019]") for p in sorted(set(phrases), key=lambda p: (-len(p), p)))
    return "|".join(escaped)


# -- report sections (sections.toml) --------------------------------------------------------------

_sections = _read("sections.toml")
SECTION_KINDS: dict[str, str] = dict(_sections["kinds"])  # a heading that names a kind (lower case) -> the kind
REPORT_SECTIONS: tuple[str, ...] = (*SECTION_KINDS, *_sections["neutral"]["report"])  # headings only a report has
NEUTRAL_SECTIONS: tuple[str, ...] = (*_sections["neutral"]["report"], *_sections["neutral"]["other"])
SECTIONS: tuple[str, ...] = (*SECTION_KINDS, *NEUTRAL_SECTIONS)  # every known heading

# -- page furniture (furniture.toml) --------------------------------------------------------------

_furniture = _read("furniture.toml")
DROPPED_FURNITURE: tuple[str, ...] = tuple(_furniture["dropped"]["patterns"])  # left out of the stored text
DROPPED_FURNITURE_WORDS: tuple[str, ...] = tuple(_furniture["dropped"]["words"])
FURNITURE_LINES: tuple[str, ...] = tuple(_furniture["lines"]["patterns"])  # kept in the text, but no finding
FURNITURE_LINE_WORDS: tuple[str, ...] = tuple(_furniture["lines"]["words"])  # one of them is in any line the unanchored ones match
NEWSPAPER_WORDS: tuple[str, ...] = tuple(_furniture["mastheads"]["last_words"])  # "Birmingham Mail"
ABBREVIATIONS: frozenset[str] = frozenset(_read("sentences.toml")["abbreviations"].split())  # "Mr." ends no sentence

# -- grades (grades.toml) -------------------------------------------------------------------------

_grades = _read("grades.toml")
GRADES: tuple[str, ...] = tuple(_grades["grades"])  # as stored (Grade.grade), best first
GRADE_WORDS: dict[str, str] = {grade: spellings[0] for grade, spellings in _grades["grades"].items()}  # stored -> as said
GRADE_SPELLINGS: dict[str, str] = {spelling: grade for grade, spellings in _grades["grades"].items() for spelling in spellings}
GRADE_ABBREVIATIONS: dict[str, str] = dict(_grades["abbreviations"])  # in tables only ("RI")
GRADED_AREAS: tuple[str, ...] = tuple(_grades["areas"]["whole"])
PILLARS: tuple[str, ...] = tuple(_grades["areas"]["pillars"])
AREA_STARTS: tuple[str, ...] = tuple(_grades["areas"]["starts"])  # words that start an area's name in a list of areas
CANONICAL_AREAS: tuple[tuple[str, str], ...] = tuple((c["name"], c["pattern"]) for c in _grades["canonical"])  # (name, pattern), in order

# -- people: roles, titles, verbs of saying (people.toml) --------------------------------------------


@dataclass(frozen=True)
class Role:
    """A role stored on statements, and what it says of the person (see roles.toml)."""

    name: str
    inspector: bool = False
    kind: str | None = None  # police | fire
    chief: bool = False
    article: str | None = None


_people = _read("people.toml")
ROLES: dict[str, Role] = {name: Role(name, **facts) for name, facts in _people["roles"].items()}
INSPECTOR_ROLES: tuple[str, ...] = tuple(name for name, role in ROLES.items() if role.inspector)  # Constabulary, then Fire
ROLES_WRITTEN: tuple[tuple[str, str, bool], ...] = tuple((w["pattern"], w["role"], w.get("any_case", False)) for w in _people["written"])
TITLES: tuple[str, ...] = tuple(_people["titles"])  # "Dr", "Mrs", "Professor"
SHORT_NAMES: dict[str, tuple[str, ...]] = {short: tuple(full) for short, full in _people["short_names"].items()}  # "tom": ("thomas",)
NOT_NAMES: frozenset[str] = frozenset(_people["not_names"].split())
SAYING: tuple[str, ...] = tuple(_people["saying"])

# -- praise and criticism (polarity.toml) ---------------------------------------------------------

_polarity = _read("polarity.toml")
PRAISE: tuple[str, ...] = tuple(_polarity["praise"])
CRITICISM: tuple[str, ...] = tuple(_polarity["criticism"])

# -- names and questions (names.toml, understanding.toml) -----------------------------------------

_names = _read("names.toml")
POLICE_WORDS: frozenset[str] = frozenset(_names["police"])
FIRE_WORDS: frozenset[str] = frozenset(_names["fire"])
COMMON_WORD_PLACES: frozenset[str] = frozenset(_names["common_word_places"])
FILLER: frozenset[str] = frozenset(_read("understanding.toml")["filler"].split())  # never a topic, never a name
ASKING_WORDS: frozenset[str] = frozenset(_names["asking"].split())  # ask for a kind of answer: never a name's edge

# -- progress: how later documents speak of an earlier concern (progress.toml), topics (synonyms.toml) ----

_progress = _read("progress.toml")
COMMON_WORDS: frozenset[str] = frozenset(_progress["words"]["common"].split())  # never tie two findings together
CONCERN_WORDS: tuple[str, ...] = tuple(_progress["concern"]["patterns"])  # a finding with these is a concern
GENERAL_SUBJECTS: tuple[str, ...] = tuple(_progress["concern"]["general_subjects"])  # ... unless it speaks of forces in general
STATUS_WORDS: dict[str, tuple[str, ...]] = {name: tuple(patterns) for name, patterns in _progress["status"].items()}  # neutral, not_yet, improved, worse, recounting
GRADE_WORDS_SAID: dict[str, tuple[str, ...]] = {name: tuple(patterns) for name, patterns in _progress["grades"].items()}  # positive, negative
GENERAL_WORDS: tuple[str, ...] = tuple(_progress["general"]["patterns"])  # speaking of earlier concerns in general
THEMES: dict[str, tuple[str, ...]] = {name: tuple(terms) for name, terms in _progress["themes"].items()}
TOPICS: dict[str, tuple[str, ...]] = {name: tuple(topic["terms"]) for name, topic in _read("synonyms.toml")["topics"].items()
                                      if name not in _progress["topics"]["not_subjects"]}  # what findings are about, for linking
BROAD_TERMS: frozenset[str] = frozenset(_progress["topics"]["broad"])  # too common to tie two findings on their own
