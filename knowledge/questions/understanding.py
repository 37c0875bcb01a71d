"""Understanding a question: its text -> a Query of slots, tokenised once.

Slots: organisations (names, short forms, possessives, towns), people named (speakers known from the
documents), roles, the kind of answer wanted (chosen by summed, weighted cues, not by the first match),
dates and kinds of document as filters, and topics (a user's words with the document words that mean the
same, from knowledge/data/synonyms.toml). Conversational filler is never a topic. No database here: what
the documents say (their words and speakers) comes in as a Lexicon.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from knowledge import lexicon
from knowledge.matching import FIRE_WORDS, POLICE_WORDS, Match, Resolver, Token, correct, kind_hint, normalise, tokenise
from knowledge.questions.dates import Dates, cycle_dates, read_cycle, read_dates
from knowledge.questions.people import People, read_people, unknown_sayers
from knowledge.questions.scope import beyond
from knowledge.questions.vocabulary import vocabulary
from knowledge.reference import Reference

MAX_QUESTION_CHARS = 500  # longer messages are read up to here; nobody asks a question this long
MAX_TOPICS = 6
EXTREMES = {"best": "best", "top": "best", "finest": "best", "strongest": "best", "worst": "worst", "bottom": "worst", "biggest": "worst", "weakest": "worst"}  # "the best force in the country"
SHORT_WORD = 6  # words shorter than this are respelt only when two letters were swapped: most are words of their own
SPELLING_CUTOFF = 88  # rapidfuzz ratio (0-100) for correcting a misspelt topic word to a word the findings use
NEGATIVE_WORDS = frozenset("slow slower slowest failing failed fail fails worst worse bad poor poorly struggling struggle late delays delayed behind".split())
ROLE_KINDS = {name: role.kind for name, role in lexicon.ROLES.items() if role.kind}
GRADE_SAID = {spelling: lexicon.GRADE_WORDS[g] for spelling, g in lexicon.GRADE_SPELLINGS.items() if g != "good"}  # "good" alone is praise, not a grade asked
GRADE_WORDS_ASKED = frozenset(w for spelling in lexicon.GRADE_SPELLINGS for w in spelling.split()) - {"requires", "improvement"}  # "inadequate", "good"
LISTING_WORDS = frozenset("which forces services brigades constabularies ranked ranking".split())
SMALL_TALK = {
    "greeting": frozenset("hi hello hey hiya morning afternoon evening yo howdy greetings hallo start".split()),
    "thanks": frozenset("thanks thank thankyou thx ta cheers brilliant great perfect ok okay cool nice lovely helpful helped appreciated".split()),
    "bye": frozenset("bye goodbye night goodnight later cya".split()),
    "insult": frozenset("useless rubbish stupid idiot idiotic dumb pointless crap rubbish terrible awful hopeless shit garbage trash".split()),
}
REFERENCE_PATTERNS = [
    ("complain", re.compile(r"\b(?:complain|complaining|complaint|make a complaint|unhappy with|report (?:an|a police|a) officer|officer who was rude"
                            r"|complaints against|investigates complaints|misconduct by)\b")),
    ("emergency", re.compile(r"\b(?:emergency number|what number|which number|phone number|number (?:for|to call)"
                             r"|when (?:should|do|can|would) (?:i|you) (?:call|ring|dial|phone)|can i (?:call|ring|dial|phone) (?:999|101))\b")),
    ("contact", re.compile(r"\b(?:contact|get in touch|report a crime|report crime|speak to|talk to|reach)\b")),
]
REFERENCE_ASKED = re.compile(r"\b(?:how|who|where|what|whats|wheres|whos|hows|when|which|can i|do i|should i)\b")
WHY_ENGAGE = {"entered": "engage_entered", "exited": "engage_exited"}  # [why_engage] of understanding.toml -> the status asked about
COUNTING = frozenset("two three four five six seven eight nine ten eleven twelve".split())  # before "forces", "services": a count
REASONS_ASKED = frozenset("why fix fixed fixing improve improved improvement improvements change changed sort sorted reason reasons decided decision".split())  # "what did they fix to get out"
WHEN_INSPECTED = re.compile(r"^when\b.*\b(?:inspects?|inspected|visits?|visited|revisits?|revisited|look at|looked at|go in|went in)\b"
                            r"|^when\b.*\b(?:inspectors?|inspectorate|hmicfrs|hmic|watchdog)\b.*\b(?:go(?:ing)? back|com(?:e|ing) back|be back)\b")  # not "when did GMP come back from Engage"
LATEST_WORDS = frozenset({"last", "latest", "recent", "recently", "newest"})
ASKS_MORE = frozenset({"what", "how", "why", "which", "find", "found", "say", "said", "next", "will"})  # "when inspectors visited X, what did they find"
WHAT_FOR = re.compile(r"\bwhat for\b|\bfor what\b|\bhow come\b")  # "put in engage, what for": why
WHY_SAID = {"engage_entered": "put into", "engage_exited": "let out"}  # ... and words that ask it again
QUALIFIER = "delays"  # the label of a topic that qualifies another ("slow to answer 101 calls"): it ranks, not selects
CHAT_WORDS = frozenset("bot all good great help your you for the a so much very day there everyone folks guys mate be have".split())


@dataclass(frozen=True)
class Topic:
    """A subject asked about: the user's words, and every phrase the documents use for it."""

    words: str  # as asked, normalised ("burglaries")
    phrases: tuple[str, ...]  # what to search for (the words, or every term of their topic)
    label: str | None = None  # the topic's name when the words are a known topic ("burglary and investigating crime")
    known: bool = True  # a known topic, or words the documents use: an answer may repeat them ("nothing on ..."), never others

    @property
    def said(self) -> str:
        """The topic as an answer may repeat it: the user's words when known, else its name (or nothing)."""
        return self.words if self.known else ""


@dataclass(frozen=True)
class Query:
    """A question as understood: what is asked, about whom, when, and on which topic. Final: a later stage that
    needs a changed question (a follow-up completed, a topic relaxed) derives a new one (dataclasses.replace)."""

    text: str
    intent: str | None = None
    matches: tuple[Match, ...] = ()
    kind: str | None = None  # police | fire, when the question says which
    topics: tuple[Topic, ...] = ()
    people: tuple[str, ...] = ()  # speakers' full names, as the documents give them
    unknown_people: tuple[str, ...] = ()  # names asked that no statement is by, as typed ("Nikki Watson")
    role: str | None = None  # the start of a stored role ("Chief Constable", "HM Inspector")
    role_words: str | None = None  # the role as asked ("chief constable")
    dates: Dates | None = None
    documents: tuple[str, ...] = ()  # words a document's title or section must hold ("PEEL")
    document_words: str | None = None  # as asked ("peel inspection")
    negative: bool = False  # "slow", "failing", "worst": show criticism first
    others: bool = False  # "compared with other forces"
    followup: bool = False  # "what about ...", "and Suffolk?", "they": continues the chat's last question
    older: bool = False  # "older ones"
    listing: bool = False  # "which forces ...": one finding from each organisation first
    grade: str | None = None  # a grade named ("inadequate"), to find where it was given
    places: tuple[str, ...] = ()  # towns named ("Stockport"): findings that mention them count too
    why: bool = False  # "why inadequate", "why were they put in special measures": the reasons
    why_engage: str | None = None  # the change of Engage status a "why" asks the reasons of: engage_entered | engage_exited
    small_talk: str | None = None  # greeting | thanks | bye | insult
    outside: str | None = None  # a question beyond the bot's scope (scope.py): schools, care, prisons, probation, weather, writing
    reference: str | None = None  # complain | emergency | contact: general information, not a finding
    extreme: str | None = None  # best | worst: "the best force in the country", the best or worst graded
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as read) for each misspelt word corrected
    scores: tuple[tuple[str, float], ...] = ()  # (intent, summed cue weight), for tests and debugging
    explain: bool = False  # "what does engage mean", "how are forces graded": how monitoring or grading works, no organisation
    then: str | None = None  # the kind of answer had "has it been fixed?" (progress) not been asked, for when nothing is followed

    @property
    def persons(self) -> tuple[str, ...]:
        """Everybody the question names, known to the documents or not."""
        return (*self.people, *self.unknown_people)

    @property
    def topic(self) -> list[str]:
        """The topic as the user's words, for headings and for buttons that ask again."""
        return [t.words for t in self.topics]

    @property
    def words(self) -> list[str]:
        """Words that ask this question again without its organisations: topics, dates, document kinds, role,
        the people named (the next page of what Lee Freeman said is his, nobody else's) and the towns named (whose
        findings widen a topic: "More" must keep them)."""
        extra = [w for w in (self.dates.words if self.dates else None, self.document_words, self.role_words, self.extreme) if w]
        why = ["why", WHY_SAID[self.why_engage]] if self.why_engage else []  # "More" of "why were they let out" is more of the reasons
        return self.topic + extra + list(self.people) + (list(self.places) if self.topics else []) + why


@dataclass(frozen=True)
class Phrases:
    """What the known phrases of a question say: cue weights per intent, a grade, a role, a kind of document,
    topics, "older ones" and "other forces"."""

    scores: dict[str, float]
    grade: str | None = None
    role: str | None = None
    role_words: str | None = None
    documents: tuple[str, ...] = ()
    document_words: str | None = None
    topics: tuple[Topic, ...] = ()
    older: bool = False
    others: bool = False
    said_weight: float = 0.0  # what the verbs of saying ("say", "said") added to statements


@dataclass(frozen=True)
class Lexicon:
    """What the documents hold, for reading questions: their words (with counts) and their speakers."""

    words: Mapping[str, int]
    speakers: Mapping[str, tuple[str, ...]]  # a normalised surname or full name -> the full names it may mean


def clean_question(question: str) -> str:
    """Printable text, one line, at most MAX_QUESTION_CHARS characters."""
    question = unicodedata.normalize("NFKC", question or "")
    question = "".join(ch if ch.isprintable() else " " for ch in question)
    text = " ".join(question.split())
    if len(text) > MAX_QUESTION_CHARS:  # cut at a word boundary: half a word would be read as a word
        text = text[: MAX_QUESTION_CHARS + 1].rsplit(" ", 1)[0]
    return text


_PER_REFERENCE: dict[tuple[str, int], tuple[Reference, frozenset[str]]] = {}  # (what, id(reference)) -> (it, those names normalised)


def _names_of(what: str, reference: Reference, names: Callable[[Reference], Iterable[str]]) -> frozenset[str]:
    """A set of the reference data's names, normalised, worked out once per Reference."""
    hit = _PER_REFERENCE.get((what, id(reference)))
    if hit is None or hit[0] is not reference:
        hit = _PER_REFERENCE[(what, id(reference))] = (reference, frozenset(normalise(n) for n in names(reference)))
    return hit[1]


def place_names(reference: Reference) -> frozenset[str]:
    """The names of the reference data's places, normalised."""
    return _names_of("places", reference, lambda r: r.places)


def organisation_names(reference: Reference) -> frozenset[str]:
    """The organisations' names and aliases, normalised ("kent": a place too, but the name of the force asked about,
    so no place whose mentions add findings)."""
    return _names_of("organisations", reference, lambda r: (n for o in r.organisations.values() for n in (o.name, *o.aliases)))


def singulars(word: str) -> list[str]:
    """The forms a plural may be the plural of ("emergencies": "emergency"; "audits": "audit"; "searches": "search")."""
    if word.endswith("ss") or not word.endswith("s") or len(word) < 4:
        return []
    return [w for w in (word[:-3] + "y" if word.endswith("ies") else "", word[:-2] if word.endswith("es") else "", word[:-1]) if w]


def said_back(topics: list[Topic], named: bool, *, asked_more: bool) -> list[Topic]:
    """The topics, those of words no document uses marked as ones an answer may repeat when they are the question
    ("kent police drones", "which forces need to improve drones"); beside a name and what is asked of it, they are
    leftovers, never repeated."""
    return [replace(t, known=True) for t in topics] if not named or not asked_more else topics


class Understander:
    """Reads questions against the reference data (names, places) and a Lexicon of the documents."""

    def __init__(self, resolver: Resolver, lexicon: Lexicon, *, today: dt.date | None = None) -> None:
        self.resolver = resolver
        self.lexicon = lexicon
        self.vocab = vocabulary()
        self.today = today or dt.date.today()
        self.places = place_names(resolver.reference)

    def understand(self, question: str) -> Query:
        """The slots of one question (see the module's docstring)."""
        text = clean_question(question)
        tokens = tokenise(text)
        asked = " ".join(t.norm for t in tokens)  # as typed, for public-service questions ("complain", not "complaints")
        tokens, corrections = self._spell(tokens)
        norms = [t.norm for t in tokens]
        taken: set[int] = set()
        cycle = read_cycle(norms, taken)
        dates = read_dates(norms, taken, self.today)
        people, matches = self._who(text, tokens, norms, taken)
        phrases = self._phrases(norms, taken)
        for s, e, _, _ in phrases:
            taken.update(range(s, e))
        read = self._read_phrases(phrases)
        documents, document_words = cycle if cycle and not read.documents else (read.documents, read.document_words)
        if cycle and read.documents and dates is None:
            # "west mercia police peel 2018/19 grades": PEEL documents of that cycle, reported from its first year to the year after its last
            dates = cycle_dates(cycle[1])
        elif dates and dates.words in self.vocab.peel_cycles and "PEEL" in documents:
            dates = cycle_dates(self.vocab.peel_cycles[dates.words])  # "the 2023 peel report": PEEL 2023–25, published to 2026
        words = set(norms)
        negative, listing = self._tone(words, read)
        if read.said_weight and not (people.known or people.unknown or read.role) and self._written_says(norms):
            # "what did the 2019 inspection say about Durham": what it found, not people's statements
            read = replace(read, scores={**read.scores, "statements": read.scores.get("statements", 0.0) - read.said_weight})
        topics, respelt = self._leftover_topics(tokens, taken, read.topics, matches)
        # "what did X say about ...", "what did the chief constable say when it was rated inadequate": their words, whatever else is
        # asked (not the inspectors': every finding is their word)
        said = bool(people or read.role and read.role != "HM Inspector") and any(w in self.vocab.explain["say_verbs"] for w in norms)
        if said:  # "how did the PCC react to ...": the verb asks for their words, it is not what they are about
            # ("respond" too, though a topic's word), unless it is what they spoke about ("say about how the force responds")
            about = norms.index("about") if "about" in norms else len(norms)
            topics = [t for t in topics if t.words not in self.vocab.explain["say_verbs"] or t.words in norms[about:]]
        if not (people or read.role) and (asks_progress := self._asks_progress(norms, read.scores)):  # "Is X ... properly now?", "Did X improve how it ...?"
            read = replace(read, scores={**read.scores, "progress": read.scores.get("progress", 0.0) + asks_progress})
        intent = self._intent(read.scores, bool(people), read.role, read.others, len(matches), said=said)
        then = self._intent({k: v for k, v in read.scores.items() if k != "progress"}, bool(people), read.role, read.others, len(matches), said=said)
        topics = said_back(topics, bool(matches), asked_more=bool(intent or read.role or people or dates))
        if WHEN_INSPECTED.search(" ".join(norms)) and not words & (LATEST_WORDS | ASKS_MORE):  # "when was it last inspected": its newest page says
            label, terms = self.vocab.when_inspected  # "when did inspectors revisit X": the sentences that say when, not the newest page
            topics = topics if any(t.label == label for t in topics) else [*(t for t in topics if t.label), Topic(label, terms, label)]
            intent = None if intent == "latest" else intent
        small_talk = self._small_talk(words, bool(matches or people or read.role or dates))
        explain = not (matches or people or read.role or any(t.label for t in topics)) and self._explains(norms, words, intent)
        if small_talk:
            topics, intent = [], None
        asks_what_for = WHAT_FOR.search(" ".join(norms)) is not None
        return Query(
            text, intent=intent, matches=tuple(matches), kind=self._kind(words, read.role), topics=tuple(topics[:MAX_TOPICS]), people=people.known,
            unknown_people=people.unknown,
            role=read.role, role_words=read.role_words, dates=dates, documents=documents, document_words=document_words,
            negative=negative, others=read.others, followup=self._followup(norms, words) or read.older, older=read.older,
            listing=listing, grade=read.grade, why="why" in words or asks_what_for, why_engage=self._why_engage(norms) if words & REASONS_ASKED or asks_what_for else None,
            places=self._places(matches), extreme=next((EXTREMES[w] for w in norms if w in EXTREMES), None),
            small_talk=small_talk, reference=None if people.known else self._reference(bool(matches), intent, topics[:MAX_TOPICS], asked),
            outside=beyond(asked, any(m.name not in self.resolver.reference.places for m in matches) or bool(matches and kind_hint(words))),
            corrections=tuple({**corrections, **respelt}.items()), scores=tuple(read.scores.items()), then=then if intent == "progress" else None,
            explain=explain,
        )

    # -- slots ---------------------------------------------------------------------------------

    def _who(self, text: str, tokens: list[Token], norms: list[str], taken: set[int]) -> tuple[People, list[Match]]:
        """The people a question names (see people.py), then its organisations and places; their words taken."""
        people = read_people(tokens, taken, self.lexicon.speakers, self.vocab.filler, self.lexicon.words, self.places)
        # "what did Priya Harrow say": a name that says something is a person, though Harrow is a place too
        sayers = unknown_sayers(text, tokens, taken, not_names=self.resolver.choices, known_words=self.lexicon.words, filler=self.vocab.filler)
        matches = self._names(tokens, norms, taken)
        # Names first: "Kent Police and Crime Commissioner" is Kent Police and the role "crime commissioner".
        taken |= {i for m in matches for i in range(m.start, m.end)}
        return People(people.known, (*people.unknown, *sayers)), matches

    def _spell(self, tokens: list[Token]) -> tuple[list[Token], dict[str, str]]:
        """Misspelt question words ("recomendations", "polise", "serch") read as the word they miss, before
        anything else reads them; names and places are left to the resolver's own fuzzy matching. Also returns
        the corrections made (as typed -> as read)."""
        known = self.lexicon.words
        out = []
        corrections: dict[str, str] = {}
        for token in tokens:
            word = token.norm
            if len(word) >= 5 and not word.isdigit() and word not in self.vocab.filler and word not in known \
                    and word not in self.vocab.spellable and word not in self.resolver.choices:
                best = correct(word, self.vocab.spellable, score_cutoff=80, max_length_change=1, min_length=5)
                if best and len(word) <= 5 and len(best) == len(word) and sorted(best) != sorted(word):
                    best = None  # one letter changed in a short word makes another word ("write", "white"); two swapped is a slip ("cheif")
                if best:
                    corrections[token.text] = best
                    token = Token(token.text, best)
            out.append(token)
        return out, corrections

    def _names(self, tokens: list[Token], norms: list[str], taken: set[int]) -> list[Match]:
        """Organisations and places named; a constituency ("the MP for Luton South") is taken, as no name or topic."""
        for i in range(len(norms) - 2):
            if norms[i] in ("mp", "mps", "councillor") and norms[i + 1] in ("for", "of"):
                taken.update(range(i + 2, min(len(norms), i + 5)))  # "the MP for Luton South": a constituency, not a force
        # "did any mps comment": members of parliament, unless typed as the Met's initials ("MPS")
        mps = {i for i, t in enumerate(tokens) if t.norm == "mps" and t.text != "MPS"}
        return self.resolver.find(tokens, protected=self.vocab.protected, known=self.lexicon.words, skip=frozenset(taken | mps))

    def _places(self, matches: list[Match]) -> tuple[str, ...]:
        """Towns named in full ("Stockport"), not the name of an organisation ("Kent"): the findings that mention them count too."""
        reference = self.resolver.reference
        return tuple(normalise(m.name) for m in matches if m.name in reference.places and m.score == 100 and normalise(m.name) not in organisation_names(reference))

    def _phrases(self, norms: list[str], taken: set[int]) -> list[tuple[int, int, str, str]]:
        """Known phrases (cues, roles, kinds of document, topics, 'older'), longest first, not overlapping."""
        v = self.vocab
        tables = (("cue", v.cues), ("role", v.roles), ("document", v.documents), ("topic", v.topics), ("older", v.older))
        found: list[tuple[int, int, str, str]] = []
        used = set(taken)
        for n in range(min(v.longest, len(norms)), 0, -1):
            for i in range(len(norms) - n + 1):
                if used & set(range(i, i + n)):
                    continue
                phrase = " ".join(norms[i : i + n])
                for kind, table in tables:
                    if phrase in table:
                        found.append((i, i + n, kind, phrase))
                        used.update(range(i, i + n))
                        break
        return sorted(found)

    def _read_phrases(self, phrases: list[tuple[int, int, str, str]]) -> Phrases:
        """What the known phrases say (see Phrases); the first role and kind of document named count."""
        v = self.vocab
        scores: dict[str, float] = {}
        grade = role = role_words = document_words = None
        documents: tuple[str, ...] = ()
        topics: list[Topic] = []
        ends: dict[str, int] = {}  # a topic's label -> where the words last read as it end
        said_weight = 0.0
        for start, end, kind, phrase in phrases:
            if kind == "cue":
                grade = GRADE_SAID.get(phrase, grade)
                for intent, weight in v.cues[phrase].items():
                    scores[intent] = scores.get(intent, 0.0) + weight
                said_weight += v.cues[phrase].get("statements", 0.0) if phrase in v.explain["say_verbs"] else 0.0
            elif kind == "role" and role is None:
                role, role_words = v.roles[phrase], phrase
            elif kind == "document" and not documents:
                documents, document_words = v.documents[phrase], phrase
            elif kind == "topic":
                label, terms = v.topics[phrase]
                same = next((i for i, t in enumerate(topics) if t.label == label), None)
                if same is None:
                    topics.append(Topic(phrase, terms, label))
                elif ends.get(label) == start:  # "mental health crisis": one topic, asked in the user's three words
                    topics[same] = Topic(f"{topics[same].words} {phrase}", terms, label)
                ends[label] = end
        said = {p for _, _, _, p in phrases}
        return Phrases(scores, grade, role, role_words, documents, document_words, tuple(topics), older=any(k == "older" for _, _, k, _ in phrases),
                       others=bool({"other forces", "other services", "rest of the country", "national average"} & said), said_weight=said_weight)

    def _leftover_topics(self, tokens: list[Token], taken: set[int], topics: tuple[Topic, ...], matches: list[Match]) -> tuple[list[Topic], dict[str, str]]:
        """The topics with the words that are not filler, names or known phrases added as topics, corrected when
        misspelt; and the corrections made."""
        named = {w for m in matches for w in normalise(m.name).split()}  # "thames" of a cut-off "thames valley"
        found = list(topics)
        corrections: dict[str, str] = {}
        for i, token in enumerate(tokens):
            word = token.norm
            if i in taken or word in named or not self._may_be_topic(word):
                continue
            if word in COUNTING and i + 1 < len(tokens) and tokens[i + 1].norm in POLICE_WORDS | FIRE_WORDS:
                continue  # "which six police forces": how many, not what about
            corrected = self._respell(word) if not (i and token.text[:1].isupper()) else None  # "Amanda Pearson" is a name, not "person"
            if corrected:
                corrections[word] = corrected
                word = corrected
            known = word if word in self.vocab.topics else next((w for w in singulars(word) if w in self.vocab.topics), None)
            if known:
                label, terms = self.vocab.topics[known]
                if not any(t.label == label for t in found):
                    found.append(Topic(word, terms, label))
            elif not any(t.words == word for t in found):
                found.append(Topic(word, (word,), known=word in self.lexicon.words or word.isdigit()))
        return found, corrections

    def _may_be_topic(self, word: str) -> bool:
        """Not filler, not a word for the police or the fire service, and no number the documents never use ("2023 25", "3")."""
        if word in self.vocab.filler or word in POLICE_WORDS or word in FIRE_WORDS or len(word) < 2:
            return False
        return not word.isdigit() or word in self.lexicon.words

    def _respell(self, word: str) -> str | None:
        """The word the findings use that a misspelt topic word misses, if one is close enough."""
        known = self.lexicon.words
        if word in known or word in self.vocab.topics or len(word) < 4 or word.isdigit():
            return None
        best = correct(word, known.keys(), score_cutoff=SPELLING_CUTOFF, max_length_change=2)
        if best and len(word) < SHORT_WORD and sorted(best) != sorted(word):
            return None  # a short word is a word of its own ("send", "sort", "stats"), not a slip for "spend", "short", "states"
        return best

    @staticmethod
    def _kind(words: set[str], role: str | None) -> str | None:
        """Police or fire, when the question's words or the role asked about say which."""
        return kind_hint(words) or next((k for r, k in ROLE_KINDS.items() if (role or "").endswith(r)), None)

    @staticmethod
    def _tone(words: set[str], read: Phrases) -> tuple[bool, bool]:
        """Whether the question is negative ("slow", "failing", "worst": criticism first), and whether it lists
        organisations ("which forces ...": one finding from each first)."""
        negative = bool(words & NEGATIVE_WORDS) or any(t.label == QUALIFIER for t in read.topics)
        return negative, (negative or bool(words & LISTING_WORDS)) and not read.others

    def _intent(self, cues: dict[str, float], people: bool, role: str | None, others: bool, names: int, *, said: bool = False) -> str | None:
        """The kind of answer: the highest summed cue weight, the more specific one when two are close."""
        scores = dict(cues)
        if said:  # "what did Rupert Sample say about the outstanding grade": their words
            return "statements"
        if people:  # "what did Roy Wilsher say when Notts went into Engage": his words, whatever else is named
            scores["statements"] = scores.get("statements", 0.0) + 5.0
        elif role and role != "HM Inspector":
            scores["statements"] = scores.get("statements", 0.0) + 2.5
        elif role:  # every finding is the inspectors' word: "what did inspectors say" leans only a little
            scores["statements"] = scores.get("statements", 0.0) + 1.0
        if others or names >= 2 and scores.get("compare"):
            scores["compare"] = scores.get("compare", 0.0) + 1.0
        scores = {k: s for k, s in scores.items() if s >= 1.0}
        if not scores:
            return None
        best = max(scores.values())
        close = [k for k, s in scores.items() if best - s < self.vocab.margin]
        return min(close, key=lambda k: self.vocab.specificity.index(k) if k in self.vocab.specificity else 99)

    def _asks_progress(self, norms: list[str], scores: dict[str, float]) -> float:
        """The weight of a yes-or-no question about whether something changed (after "did", "has", "have") or where it
        stands now, as a progress cue, when it asks nothing else ([progress_asked]); 0 for any other question."""
        asked, words = self.vocab.progress_asked, set(norms)
        if not norms or norms[0] not in asked["opens"] or set(scores) - {"improve", "progress"} or words & set(asked["asks"]):
            return 0.0
        if norms[0] in ("did", "has", "have") and words & set(asked["changed"]):
            return float(asked["changed_weight"])
        return float(asked["now_weight"]) if words & set(asked["now"]) else 0.0

    def _written_says(self, norms: list[str]) -> bool:
        """"what did the 2019 inspection say": a report before the verb of saying (not "what did Kent say about it")."""
        says = next((i for i, w in enumerate(norms) if w in self.vocab.explain["say_verbs"]), None)
        return says is not None and any(w in self.vocab.explain["written_sayers"] or w in self.vocab.explain["hearsay"] for w in norms[:says])

    def _explains(self, norms: list[str], words: set[str], intent: str | None) -> bool:
        """Whether it asks what monitoring or grading is or how it works ("what does engage mean"), not who stands where."""
        if words & {"many", "much"} or words & GRADE_WORDS_ASKED:  # "how many forces were graded inadequate": a count
            return False
        asks = set(self.vocab.explain["asks"]) & words or (set(self.vocab.explain["how"]) & words if "how" in words else set())
        what_is = norms[:2] == ["what", "is"] or norms[:1] == ["whats"]
        subject = intent in ("engage", "grades") or bool(words & set(self.vocab.explain["subjects"]))
        return subject and bool(asks or (what_is and len(norms) <= 4))

    def _why_engage(self, norms: list[str]) -> str | None:
        """engage_entered for "why was it put into special measures", engage_exited for "why were they let out"
        ([why_engage] of understanding.toml); the exit when both are said ("fix while in special measures to get out"), None for neither."""
        text = f" {' '.join(norms)} "
        said = [status for key, status in WHY_ENGAGE.items() if any(f" {normalise(w)} " in text for w in self.vocab.why_engage[key])]
        return "engage_exited" if "engage_exited" in said else said[0] if said else None  # "what did it fix while in special measures to get out": the exit

    def _followup(self, norms: list[str], words: set[str]) -> bool:
        """"what about ...", "and Suffolk?", "they": a question that continues the chat's last one."""
        joined = " ".join(norms)
        refers = self.vocab.followup_refers
        return any(joined == s or joined.startswith(s + " ") for s in self.vocab.followup_starts) or bool(
            words & refers or any(f" {r} " in f" {joined} " for r in refers if " " in r)
        )

    def _small_talk(self, words: set[str], named: bool) -> str | None:
        """Only greetings, thanks and goodbyes (and filler): small talk, whatever the cue words scored."""
        chatty = set().union(*SMALL_TALK.values())
        if not named and words & chatty and words <= chatty | CHAT_WORDS | self.vocab.filler:
            return next(name for name, cue in SMALL_TALK.items() if words & cue)
        return None

    def _reference(self, named: bool, intent: str | None, topics: list[Topic], joined: str) -> str | None:
        """A general public-service question (how to complain, whom to call), not one about findings."""
        for name, pattern in REFERENCE_PATTERNS:
            if pattern.search(joined) and REFERENCE_ASKED.search(joined):
                if named and (name == "emergency" or intent not in (None, "improve")):
                    continue  # "how reliable is Kent Police when you ring 999" asks about Kent Police
                if name != "complain" and topics and any(t.label and "calls" not in t.label for t in topics):
                    continue
                return name
        return None
