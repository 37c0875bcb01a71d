"""People a question names: the speakers the documents know, by full name or by surname, accents and titles aside
("Zoë Billingham", "Billingham", "Ms Billingham"); and names the documents do not know ("what did Nikki Watson
say", when the only Watson quoted is Stephen Watson), kept apart so that nobody else's words are quoted under
them.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from knowledge.lexicon import ROLES, SHORT_NAMES
from knowledge.matching import FIRE_WORDS, POLICE_WORDS, Token, normalise

SERVICE_WORDS = POLICE_WORDS | FIRE_WORDS  # "Bolton police": a town's police, not a Mr Bolton
FIRST_NAME_CUTOFF = 85.0  # rapidfuzz ratio: "jonathan" for Jonathon (87.5), never "john" for Joan
SHORTEST_FIRST = 5  # shorter first names are matched only as spelt: one letter of four is another name
TITLES = frozenset("sir dame dr mr mrs ms miss lord lady prof professor".split())  # as people are named before their name
# "what did Nikki Watson say", "has Dru Sharpling commented", "what did chief fire officer Jo Roe say": a name as the one who
# says something (after a role written in lower case, or none)
SAYING_VERBS = r"(?:say|said|says|tell|told|think|thought|comment|commented|react|reacted|respond|responded|write|wrote)\b"
SAYING = re.compile(r"\b(?:did|does|do|has|have|had|would|will)\s+(?:(?:the\s+)?(?:[a-z]+\s+){1,4}?)?((?:[A-Z][\w'\u2019-]+\s+){1,2}[A-Z][\w'\u2019-]+)\s+"
                    + SAYING_VERBS)

# "what did dawn copley say", "what did kent pcc dawn copley say": typed in lower case, a name is the two words before a
# verb of saying of which the documents never use one (a first name or surname no page holds), neither a filler word nor a title
SAYING_LOWER = re.compile(r"\b(?:did|does|do|has|have|had|would|will)\s+(?:[a-z]+\s+){0,3}?([a-z][a-z'\u2019-]+\s+[a-z][a-z'\u2019-]+)\s+"
                          + SAYING_VERBS)


# "what did the Chief Constable tell the panel", "what did the Home Secretary say": a role, no one's name; "what did the
# Westshire Review say": a document
ROLE_WORDS = frozenset(w for role in ROLES for w in normalise(role).split()) | frozenset("home secretary deputy assistant chief inspector".split())
DOCUMENT_WORDS = frozenset("review report inspection inspectorate letter assessment study survey".split())


@dataclass(frozen=True)
class People:
    """The people a question names: `known` as the documents give their names, `unknown` as typed."""

    known: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.known or self.unknown)


def read_people(tokens: list[Token], taken: set[int], speakers: Mapping[str, tuple[str, ...]], filler: frozenset[str],
                known_words: Mapping[str, int], places: frozenset[str] = frozenset()) -> People:
    """Speakers the documents know, by full name or surname: a surname is a person before it is a place. A
    surname after a first name that no speaker of that surname has is someone else ("Nikki Watson"). Marks the
    words read in `taken`."""
    known: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].norm
        pair = f"{word} {tokens[i + 1].norm}" if i + 1 < len(tokens) else None
        if pair in speakers:
            known += [n for n in (*speakers[pair], *same_surname(speakers, tokens[i + 1].norm)) if n not in known]
            taken.update((i, i + 1, *_title(tokens, i), *_misspelt_first(tokens, i, speakers[pair])))
            i += 2
            continue
        if pair and word in SHORT_NAMES and (named := [n for n in speakers.get(tokens[i + 1].norm, ()) if _same_first(word, n)]):
            known += [n for n in named if n not in known]  # "tom winsor": Sir Thomas Winsor
            taken.update((i, i + 1, *_title(tokens, i)))
            i += 2
            continue
        if word in speakers and word not in filler and tokens[i].text[:1].isupper() and not _a_place(tokens, i, places):
            first = tokens[i - 1] if i and i - 1 not in taken else None
            if first and _first_name(first, filler, known_words) and not any(_same_first(first.norm, n) for n in speakers[word]):
                unknown.append(f"{first.text} {tokens[i].text}")  # "Nikki Watson": not Stephen Watson
                taken.update((i - 1, i))
            else:
                known += [n for n in speakers[word] if n not in known]
                taken.update((i, *_title(tokens, i), *_misspelt_first(tokens, i, speakers[word])))
        i += 1
    return People(tuple(known), tuple(unknown))


def _a_place(tokens: list[Token], i: int, places: frozenset[str]) -> bool:
    """Whether a surname alone reads as the town of that name: "Bolton police", "in Bolton"."""
    before = tokens[i - 1].norm if i else ""
    after = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    return tokens[i].norm in places and (after in SERVICE_WORDS or before in ("in", "from", "near", "around", "at"))


def _same_first(word: str, name: str) -> bool:
    """Whether a word is the first name of a full name (after its title), spelt as typed, one letter off ("jonathan",
    Jonathon) or its short form ("tom", Sir Thomas Winsor)."""
    first = next((w for w in normalise(name).split() if w not in TITLES), "")
    return word == first or first in SHORT_NAMES.get(word, ()) or (len(word) >= SHORTEST_FIRST and fuzz.ratio(word, first) >= FIRST_NAME_CUTOFF)


def _misspelt_first(tokens: list[Token], i: int, names: tuple[str, ...]) -> tuple[int, ...]:
    """The index of the first name before the surname at `i`, when it is one of these people's, however spelt: it
    is part of the name, not a word to search for."""
    return (i - 1,) if i and any(_same_first(tokens[i - 1].norm, n) for n in names) else ()


def _title(tokens: list[Token], i: int) -> tuple[int, ...]:
    """The index of the title before the name at `i` ("Sir" Tom Winsor), if there is one."""
    return (i - 1,) if i and tokens[i - 1].norm in TITLES else ()


def same_surname(speakers: Mapping[str, tuple[str, ...]], surname: str) -> list[str]:
    """The speakers named by title and surname only ("Ms Shiner"): in a news story, the person it first named in full."""
    return [n for n in speakers.get(surname, ()) if [w for w in normalise(n).split() if w not in TITLES] == [surname]]


def _first_name(token: Token, filler: frozenset[str], known_words: Mapping[str, int]) -> bool:
    """Whether a word before a surname reads as a first name: capitalised, or a word the documents never use."""
    word = token.norm
    if word in filler or word in TITLES or not word.isalpha() or len(word) < 2:
        return False
    return token.text[:1].isupper() or word not in known_words


def unknown_sayers(text: str, tokens: list[Token], taken: set[int], not_names: Mapping[str, object] | frozenset[str] = frozenset(),
                   known_words: Mapping[str, int] | None = None, filler: frozenset[str] = frozenset()) -> list[str]:
    """Names the question has say something ("what did Dru Sharpling say") that no speaker read took and that are
    not the name of an organisation or a place as a whole (`not_names`: "did Kent Police say"), though a word of
    them may be one ("Priya Harrow"): people the documents do not quote. In lower case ("what did dawn copley say"),
    only when the documents never use one of its two words (`known_words`). Marks their words in `taken`."""
    names = []
    lower = [m for m in SAYING_LOWER.finditer(text) if known_words is not None and not all(w in known_words for w in m.group(1).split())
             and not set(m.group(1).split()) & (filler | TITLES)]
    for m in [*SAYING.finditer(text), *lower]:
        words = [normalise(w) for w in m.group(1).split()]
        indexes = _indexes(tokens, words)
        if " ".join(words) in not_names or words[0] in not_names or words[-1] in POLICE_WORDS | FIRE_WORDS | DOCUMENT_WORDS or set(words) <= ROLE_WORDS:
            continue
        if indexes and not taken & set(indexes) and words[0] not in TITLES | {"the", "they", "he", "she", "it"}:
            names.append(m.group(1) if m.re is SAYING else m.group(1).title())  # "dawn copley": said back as "Dawn Copley"
            taken.update(indexes)
    return names


def _indexes(tokens: list[Token], words: list[str]) -> list[int]:
    """Where the words stand in the question's tokens, one after another ([] when they do not)."""
    norms = [t.norm for t in tokens]
    for start in range(len(norms) - len(words) + 1):
        if norms[start : start + len(words)] == words:
            return list(range(start, start + len(words)))
    return []
