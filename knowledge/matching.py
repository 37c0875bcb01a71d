"""Finding organisations by name, short form or place: in questions (fuzzy) and in documents (exact)."""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from knowledge.lexicon import ASKING_WORDS, COMMON_WORD_PLACES, FILLER, FIRE_WORDS, POLICE_WORDS
from knowledge.reference import Reference

# Words that never start or end a fuzzy match: without this "force" would fuzz into "Forest of Dean". The filler of
# questions never does, nor do the words that ask for a kind of answer (knowledge/data/names.toml).
STOPWORDS = FILLER | ASKING_WORDS

FULL_NAME_CUTOFF = 92.0  # a whole name with its "police" or "fire": one or two letters wrong ("esex police" is 95.7)
SWAPPED_MIN = 5  # a name this long with one pair of letters swapped is still that name (five letters: the first one kept)
FUZZY_CUTOFF = 87.0  # rapidfuzz ratio, 0-100; 87 admits "Cambrigeshire" and "manchster", not "Wigan" for "again"


def normalise(text: str) -> str:
    """Fold case, accents, '&', apostrophes and punctuation so that names compare as people mean them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("'", "")
    text = re.sub(r"[\W_]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Match:
    """Words of a question that name organisations or a place."""

    words: str  # as the user wrote them
    name: str  # the name, alias or place they matched
    organisations: frozenset[str]
    score: float  # 100 for an exact match, else the rapidfuzz ratio
    start: int  # token positions in the question
    end: int


@dataclass(frozen=True)
class Token:
    text: str
    norm: str  # normalised, and without a possessive "'s" ("GMP's" -> "gmp")


POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)


def tokenise(question: str) -> list[Token]:
    """Split a question into words, keeping the user's spelling beside the normalised form."""
    question = unicodedata.normalize("NFKC", question).replace("&", " and ")
    tokens = []
    for m in re.finditer(r"\w+(?:['\u2019]\w+)*", question):
        norm = normalise(POSSESSIVE.sub("", m.group()))
        if norm:
            tokens.append(Token(m.group(), norm))
    return tokens


class Resolver:
    """Resolves the words of a question to organisations with exact and fuzzy name matching."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        choices: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        for org in reference.organisations.values():
            for name in (org.name, *org.aliases):
                key = normalise(name)
                choices.setdefault(key, set()).add(org.id)
                labels.setdefault(key, name)
        for place in reference.places.values():
            key = normalise(place.name)
            choices.setdefault(key, set()).update(place.organisations)
            labels.setdefault(key, place.name)
        self.choices = {key: frozenset(orgs) for key, orgs in choices.items()}
        self.labels = labels
        self.fuzzy_keys = [key for key in self.choices if len(key) >= 4]
        self.full_names = [key for key in self.choices if len(key.split()) >= 2 and key.split()[-1] in POLICE_WORDS | FIRE_WORDS]
        self.name_starts = frozenset(key.split()[0] for key in self.full_names) - {"the"}
        self.max_words = max(len(key.split()) for key in self.choices)

    def find(self, question: str | list[Token], *, protected: frozenset[str] = frozenset(), known: frozenset[str] | Mapping = frozenset(),
             skip: frozenset[int] = frozenset()) -> list[Match]:
        """Every non-overlapping name in the question, best first, returned in question order.

        Words in `protected` (everyday and topic words) are matched only exactly, never fuzzily; a word in
        `known` (one the documents use) is never fuzzily a name alone, only beside a misspelt one; and token
        positions in `skip` (already read as something else, such as a person) are never part of a name."""
        tokens = tokenise(question) if isinstance(question, str) else question
        candidates: list[tuple[tuple, Match]] = []
        for n in range(min(self.max_words, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                if skip and any(j in skip for j in range(i, i + n)):
                    continue
                window = tokens[i : i + n]
                match = self._match(window, i, protected, known, tokens[i + n] if i + n < len(tokens) else None)
                if match:
                    rank = (match.score == 100, n, match.score)
                    candidates.append((rank, match))
        chosen: list[Match] = []
        taken: set[int] = set()
        for _, match in sorted(candidates, key=lambda c: c[0], reverse=True):
            span = set(range(match.start, match.end))
            if span & taken:
                continue
            taken |= span
            chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def _match(self, window: list[Token], start: int, protected: frozenset[str] = frozenset(), known: frozenset[str] | Mapping = frozenset(),
               following: Token | None = None) -> Match | None:
        key = " ".join(t.norm for t in window)
        words = " ".join(t.text for t in window)
        if key not in self.choices and len(window) == 1 and re.fullmatch(r"[A-Z]{2,}s", window[0].text) and key[:-1] in self.choices:
            key = key[:-1]  # "GMPs latest": an abbreviation's possessive without its apostrophe
        if " n " in key and key.replace(" n ", " and ") in self.choices:  # "dorset n wilts fire": "n" for "and"
            key = key.replace(" n ", " and ")
        if key in self.choices:
            # "reading" is a word, "Reading" a town, and so is "reading" before "fire service" or "police"
            service_next = following is not None and following.norm in POLICE_WORDS | FIRE_WORDS
            if len(window) == 1 and (key in COMMON_WORD_PLACES and not window[0].text[:1].isupper() and not service_next or key in STOPWORDS):
                return None
            return Match(words, self.labels[key], self.choices[key], 100.0, start, start + len(window))
        if self._full_name_misspelt(window, protected, known):
            # "esex police", "city of londn police": a full name with a misspelt word, matched whole
            found = process.extractOne(key, self.full_names, scorer=fuzz.ratio, score_cutoff=FULL_NAME_CUTOFF)
            if found and found[0][:1] == key[:1]:
                return Match(words, self.labels[found[0]], self.choices[found[0]], found[1], start, start + len(window))
        if not self._may_be_misspelt(window, key, protected, known):
            return None
        found = self._closest(key)
        if not found:
            return None
        best, score = found
        return Match(words, self.labels[best], self.choices[best], score, start, start + len(window))

    def _full_name_misspelt(self, window: list[Token], protected: frozenset[str], known: frozenset[str] | Mapping) -> bool:
        """Words ending with "police", "fire" or the like, starting with no everyday word unless a name does ("city"
        of "City of London Police"), with a word no document uses ("esex", "londn") among them: maybe a full name
        misspelt."""
        first = window[0].norm
        return (len(window) >= 2 and window[-1].norm in POLICE_WORDS | FIRE_WORDS and (first not in STOPWORDS or first in self.name_starts)
                and any(t.norm not in known and t.norm not in protected and not t.norm.isdigit() for t in window[:-1]))

    @staticmethod
    def _may_be_misspelt(window: list[Token], key: str, protected: frozenset[str], known: frozenset[str] | Mapping) -> bool:
        """Whether words that name nothing exactly may be a misspelt name: never with an everyday word at an edge."""
        edge = {window[0].norm, window[-1].norm}
        if edge & (STOPWORDS | POLICE_WORDS | FIRE_WORDS | protected) or len(key) < 4 or any(t.norm.isdigit() for t in window):
            return False
        # "went" is a word, not a misspelt "Gwent": one short word is a name only when exact
        return not (len(window) == 1 and (len(key) < 5 or key in known) or all(t.norm in known for t in window))

    def _closest(self, key: str) -> tuple[str, float] | None:
        """The name or place `key` is a misspelling of, with its score (rapidfuzz ratio, 0-100)."""
        found = process.extractOne(key, self.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found:
            return found[0], found[1]
        if len(key) >= SWAPPED_MIN:
            # One swapped pair of letters ("cumbira", "gwnet") is the commonest typo, and ratio scores it low.
            swapped = process.extractOne(key, self.fuzzy_keys, scorer=OSA.distance, score_cutoff=1)
            if swapped and (len(key) >= 6 or swapped[0][:1] == key[:1]):
                return swapped[0], FUZZY_CUTOFF
        return None


def correct(word: str, choices: Iterable[str], *, score_cutoff: float, max_length_change: int, min_length: int = 0) -> str | None:
    """The choice a misspelt word stands for: the closest by rapidfuzz ratio (0-100) if it scores at least
    `score_cutoff`, starts with the same letter, is at least `min_length` long and differs in length by at most
    `max_length_change` (one spelling corrector for every misspelt word of a question)."""
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=score_cutoff)
    if best and best[0][:1] == word[:1] and len(best[0]) >= min_length and abs(len(best[0]) - len(word)) <= max_length_change:
        return best[0]
    return None


def kind_hint(question: str | set[str]) -> str | None:
    """'police' or 'fire' when the question (or its set of normalised words) says which, else None."""
    words = {t.norm for t in tokenise(question)} if isinstance(question, str) else question
    police, fire = bool(words & POLICE_WORDS), bool(words & FIRE_WORDS)
    if police and not fire:
        return "police"
    if fire and not police:
        return "fire"
    return None


@dataclass(frozen=True)
class Mention:
    """An organisation named in a document's text."""

    organisation_id: str
    start: int
    end: int
    strong: bool  # a full name or an unmistakable abbreviation, not a bare county name
    shared: bool = False  # named by a noun it shares with another ("Norfolk and Suffolk constabularies"): no page's subject by it


# "South Wales and Gwent police forces": two places before one plural noun of a kind of service (see _shared_noun)
JOINED = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+")
SERVICES_AFTER = re.compile(r"\s+(?:(?:police )?forces|constabularies|police services|(?P<fire>fire(?: and rescue)? services|fire brigades|brigades))\b", re.I)
WORD = re.compile(r"(?<![\w-])\w+")  # a word start in document text, where a name may begin
FIRST_WORD = re.compile(r"\w+")


class MentionFinder:
    """Finds organisations named in document text (exact names and short forms, never places)."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(name.casefold().replace("&", " and ").split())

    @cached_property
    def _patterns(self) -> tuple[list[dict[str, re.Pattern[str]]], dict[str, tuple[str, bool]]]:
        """Patterns by first word (names ignoring case, abbreviations not) and what each matched key means."""
        owners: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        for org in self.reference.organisations.values():
            for name in (org.name, *org.aliases):
                key = self._key(name)
                owners.setdefault(key, set()).add(org.id)
                spelled.setdefault(key, name)
        meaning: dict[str, tuple[str, bool]] = {}
        names: list[tuple[int, str, str]] = []
        abbreviations: list[tuple[int, str, str]] = []
        for key, orgs in owners.items():
            if len(orgs) != 1:
                continue  # a name two organisations share proves nothing
            name = spelled[key]
            abbreviation = name.isupper() and " " not in name
            # "the Met" is a force's nickname, no place's name: as telling as its full name
            strong = abbreviation or bool(set(normalise(name).split()) & (POLICE_WORDS | FIRE_WORDS | {"service"})) or name.startswith("the ")
            meaning[key] = (next(iter(orgs)), strong)
            words = [r"(?:and|&)" if w.lower() in ("and", "&") else re.escape(w) for w in name.split()]
            first = FIRST_WORD.match(name)
            if first is None:
                continue
            (abbreviations if abbreviation else names).append(
                (len(name), first.group() if abbreviation else first.group().casefold(), r"\s+".join(words))
            )
        # Grouped by first word, longest first, so "Cambridgeshire Fire and Rescue Service" wins over "Cambridgeshire"
        # at one place; each text word is looked up once, so finding costs the same for 300 names as for one.
        def by_first_word(items: list[tuple[int, str, str]], flags: int) -> dict[str, re.Pattern[str]]:
            groups: dict[str, list[tuple[int, str]]] = {}
            for length, first, pattern in items:
                groups.setdefault(first, []).append((length, pattern))
            return {first: re.compile(rf"(?:{'|'.join(p for _, p in sorted(group, reverse=True))})(?![\w-])", flags) for first, group in groups.items()}

        return [by_first_word(names, re.IGNORECASE), by_first_word(abbreviations, 0)], meaning

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions, longest name first where two start together, in text order (linear in the text)."""
        (names, abbreviations), meaning = self._patterns
        found: list[Mention] = []
        taken = 0  # where the last mention ended
        for word in WORD.finditer(text):
            start = word.start()
            if start < taken:
                continue
            pattern = names.get(word.group().casefold()) or abbreviations.get(word.group())
            m = pattern.match(text, start) if pattern else None
            if m is None and pattern is not None and word.group() in abbreviations and pattern is not abbreviations[word.group()]:
                m = abbreviations[word.group()].match(text, start)
            if m and m.group()[:4].lower() == "the " and not m.group()[4:5].isupper():
                m = None  # "the Met", never "the met" (a verb)
            if m:
                org_id, strong = meaning[self._key(m.group())]
                found.append(Mention(org_id, m.start(), m.end(), strong))
                taken = m.end()
        return self._shared_noun(text, found) if len(found) > 1 else found

    def _shared_noun(self, text: str, found: list[Mention]) -> list[Mention]:
        """"South Wales and Gwent police forces", "Bedfordshire, Cambridgeshire and Hertfordshire forces", "Cumbria and North
        Yorkshire fire services": places listed before one plural noun of one kind of service (police or fire, never a bare
        "services") each name that service, as fully as its name would, when every one of them has one such service."""
        out = list(found)
        i = 0
        while i < len(found) - 1:
            j = i
            while j + 1 < len(found) and JOINED.fullmatch(text, found[j].end, found[j + 1].start) and not found[j].strong:
                j += 1
            if j > i and (noun := self._plural_after(text, found[j])) is not None:
                place_ends, kind = noun
                ids = [self._service_of(text, m, m.end if k < j else place_ends, kind) for k, m in enumerate(found[i : j + 1], start=i)]
                if all(ids):
                    for k, org in enumerate(ids, start=i):
                        out[k] = Mention(org, found[k].start, found[k].end, True, shared=True)
            i = j + 1
        return out

    @staticmethod
    def _plural_after(text: str, last: Mention) -> tuple[int, str] | None:
        """Where the last place's name ends and the kind of service the plural noun after it names ("Gwent| police forces",
        "North Yorkshire| fire services", "Suffolk| constabularies"); None when no such noun follows."""
        for word in WORD.finditer(text, last.start, last.end):
            noun = SERVICES_AFTER.match(text, word.end())
            if noun:
                return word.end(), "fire" if noun.group("fire") else "police"
        return None

    def _service_of(self, text: str, mention: Mention, place_ends: int, kind: str) -> str | None:
        """The one organisation of that kind a listed place names: its own ("West Mercia" is West Mercia Police), or the one
        of that kind serving the place ("Kent" and fire: Kent Fire and Rescue Service)."""
        if self.reference.organisations[mention.organisation_id].kind == kind and (mention.strong or text[mention.start : place_ends] not in self.reference.places):
            return mention.organisation_id
        place = self.reference.places.get(text[mention.start : place_ends])
        ids = [o for o in (place.organisations if place else ()) if self.reference.organisations[o].kind == kind]
        return ids[0] if len(ids) == 1 else None

    def subject(self, text: str, kind: str | None = None, mentions: list[Mention] | None = None) -> str | None:
        """The organisation a document is about: the one named most, full names counting first."""
        mentions = self.find(text) if mentions is None else mentions
        if kind:
            mentions = [m for m in mentions if self.reference.organisations[m.organisation_id].kind == kind]
        for strong_only in (True, False):
            pool = [m for m in mentions if m.strong or not strong_only]
            if pool:
                counts = Counter(m.organisation_id for m in pool)
                first = {}
                for m in pool:
                    first.setdefault(m.organisation_id, m.start)
                return max(counts, key=lambda o: (counts[o], -first[o]))
        return None


# -- the lookups of one Reference, built once ----------------------------------------------------------------

_BUILT: dict[tuple[type, int], tuple[Reference, object]] = {}  # (kind, id(reference)) -> (the reference, kept so its id stays its own; the lookup)


def _built_once(kind: type, reference: Reference) -> object:
    hit = _BUILT.get((kind, id(reference)))
    if hit is None:
        hit = _BUILT[(kind, id(reference))] = (reference, kind(reference))
    return hit[1]


def finder_for(reference: Reference) -> MentionFinder:
    """The finder of organisations named in documents, for this reference data: built once per Reference, shared
    by every store and parser on it."""
    return _built_once(MentionFinder, reference)  # type: ignore[return-value]


def resolver_for(reference: Reference) -> Resolver:
    """The resolver of names in questions, for this reference data: built once per Reference."""
    return _built_once(Resolver, reference)  # type: ignore[return-value]
