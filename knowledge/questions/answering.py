"""Answering: a Query (see understanding.py) -> an Answer with Citations, from the Store's selections.

The result is plain data; turning it into text or HTML is the front's job. No SQL here: every statement
is in the store.
"""

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from rapidfuzz import fuzz, utils

from knowledge.matching import FIRE_WORDS, POLICE_WORDS, Match, normalise
from knowledge.models import Document, Finding, Kind, Polarity
from knowledge.questions.understanding import DATA, Dates, Lexicon, Query, Topic, Understander, clean_question, vocabulary
from knowledge.state.search import COUNT_CAP, KIND_ORDER, FindingQuery, Hits, Selection
from knowledge.state.store import Store

MAX_CITATIONS = 6  # a phone screen or two
MAX_NAMED = 8  # organisations named in a summary before "and N more"
SEARCH_DEPTH = 200  # topic matches considered (most recently added, or best ranked once relaxed)
RANKED = 60  # of those, the findings read and ranked by relevance across organisations (the user's own words first)
PROVENANCE_WINDOW = 24  # findings (the first pages) compared with each other for repeated wording
SAME_FINDING = 88  # rapidfuzz token_set_ratio (0-100) above which two findings say the same thing
SAME_FINDING_DAYS = 90  # a press release or news story repeats a report within weeks, not years
CAPPED = (
    f"Showing the newest of the {SEARCH_DEPTH} added most recently; name a force or a town, "
    "or add a word, to narrow it down."
)
RANKED_CAPPED = (
    f"Showing the most relevant of the {SEARCH_DEPTH} added most recently; name a force or a town, "
    "or add a word, to narrow it down."
)

EXAMPLES = (
    "What must Cambridgeshire improve?",
    "Peterborough police sex offenders",
    "What did the inspector say about Cambs?",
)

# An area for improvement in the document's own words, and what a force is told it must do.
IMPROVEMENT = re.compile(
    r"\b(?:areas? for improvement|improve(?:s|d|ments?)?|improving|could be better)\b", re.I)
MUST = re.compile(
    r"(?<!\bas )\b(?:force|service|constabulary|brigade|police|it|we|and)\s+(?:still\s+|also\s+|now\s+)?(?:must|needs? to|has to|should)\b(?! not\b)", re.I)
FIGURE = re.compile(r"\d+(?:\.\d+)? ?(?:per ?cent|percent|%)|\b\d+ (?:minutes|seconds|hours|days)\b", re.I)

KIND_LABELS = {
    Kind.strength: "Strength",
    Kind.area_for_improvement: "Area for improvement",
    Kind.cause_of_concern: "Cause of concern",
    Kind.recommendation: "Recommendation",
    Kind.grade: "Grade",
    Kind.statement: "Statement",
    Kind.context: "Finding",
}

FINDING_KINDS = frozenset({Kind.strength, Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation, Kind.grade})
NEGATIVE_KINDS = frozenset({Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation})
INTENT_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # intent -> (kinds shown, and context findings shown when of these polarities)
    "improve": (NEGATIVE_KINDS, frozenset({Polarity.negative})),
    "concerns": (frozenset({Kind.cause_of_concern}), frozenset()),
    "recommendations": (frozenset({Kind.recommendation}), frozenset()),
    "strengths": (frozenset({Kind.strength}), frozenset({Polarity.positive})),
    "grades": (frozenset({Kind.grade}), frozenset()),
    "statements": (frozenset({Kind.statement}), frozenset()),
    "overview": (FINDING_KINDS | {Kind.statement}, frozenset({Polarity.negative, Polarity.positive})),
    "compare": (FINDING_KINDS, frozenset({Polarity.negative})),
    "latest": (FINDING_KINDS | {Kind.statement}, frozenset({Polarity.negative, Polarity.positive})),
    "engage": (frozenset(Kind), frozenset(Polarity)),  # any finding recording an Engage entry or exit
    "topic": (frozenset(Kind), frozenset(Polarity)),
}

INTENT_NOUNS = {
    "improve": "areas for improvement",
    "concerns": "causes of concern",
    "recommendations": "recommendations",
    "strengths": "strengths",
    "grades": "grades",
    "statements": "statements",
    "overview": "findings",
    "compare": "findings",
    "latest": "findings",
    "topic": "findings",
    "engage": "records of Engage (enhanced monitoring, \u201cspecial measures\u201d)",
}

INTENT_HEADINGS = {
    "engage": "What the documents say about {names} and Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d)",
    "improve": "What {names} needs to improve",
    "concerns": "Causes of concern for {names}",
    "recommendations": "Recommendations for {names}",
    "strengths": "What {names} does well",
    "grades": "Grades for {names}",
    "statements": "What was said about {names}",
    "overview": "Findings on {names}",
    "topic": "Findings on {names}",
    "latest": "Findings on {names}",
}

PLURALS = {
    Kind.strength: ("strength", "strengths"),
    Kind.area_for_improvement: ("area for improvement", "areas for improvement"),
    Kind.cause_of_concern: ("cause of concern", "causes of concern"),
    Kind.recommendation: ("recommendation", "recommendations"),
    Kind.grade: ("grade", "grades"),
    Kind.statement: ("statement", "statements"),
    Polarity.negative: ("criticism", "criticisms"),
    Polarity.positive: ("positive finding", "positive findings"),
    Polarity.neutral: ("other finding", "other findings"),
}
GRADE_WORDS = {"requires_improvement": "requires improvement"}
# A grade answers these too: "good at preventing crime" is "rated outstanding at preventing crime", and what
# must improve includes "graded inadequate at responding to the public".
GRADE_POLARITIES = {"strengths": frozenset({Polarity.positive}), "improve": frozenset({Polarity.negative})}
ACROSS_WITHOUT_TOPIC = frozenset({"engage", "concerns", "grades", "recommendations"})  # "which forces are in special measures"
LATEST_GRADES_DAYS = 730  # "latest grades" are those of the inspections of the two years before the newest
NOT_COMPARABLE = "Grades from different inspection cycles are not comparable."
SMALL_TALK = {
    "greeting": "Hello! Ask me about a police force, a fire and rescue service or a town, for example \u201c{example}\u201d.",
    "thanks": "You\u2019re welcome. Ask again any time.",
    "bye": "Goodbye. Ask again any time.",
}


def tally(counts: dict[str, int]) -> str:
    """'3 areas for improvement and 2 criticisms': counts by what a reader would call them."""
    parts = [f"{n} {PLURALS[key][n != 1]}" for key, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class OrganisationRef:
    id: str
    name: str
    kind: str


def long_date(day: dt.date | None, unknown: str = "date unknown") -> str:
    """'22 December 2021', as citations print dates."""
    return f"{day.day} {day:%B %Y}" if day else unknown


@dataclass(frozen=True)
class DocumentRef:
    id: int
    title: str | None
    publisher: str | None
    section: str | None
    published: dt.date | None
    url: str | None
    source_path: str | None
    doc_type: str

    @classmethod
    def of(cls, d: Document) -> "DocumentRef":
        return cls(d.id, d.title, d.publisher, d.section, d.published, d.url, d.source_path, d.doc_type)

    @property
    def label(self) -> str:
        """How the document is named in a citation: its title, else its publisher, else its section."""
        if self.title:
            return self.title
        if self.publisher:
            return f"{self.publisher} {self.doc_type.replace('_', ' ')}"
        if self.section:
            return f"\u201c{self.section}\u201d {'news article' if self.doc_type == 'article' else self.doc_type.replace('_', ' ')}"
        return f"untitled {self.doc_type.replace('_', ' ')}"  # never a local file path: that is for programs


@dataclass(frozen=True)
class Citation:
    """One verbatim quote: document.text[start:end], with everything needed to attribute it."""

    quote: str
    kind: str
    polarity: str
    organisation: OrganisationRef | None
    speaker: str | None
    role: str | None
    context: str | None
    document: DocumentRef
    start: int
    end: int
    finding_id: int
    heading: str | None = None  # the document's own heading over the finding
    deadline: str | None = None

    status: str | None = None  # engage_entered | engage_exited | progress | discharged
    also_in: tuple["DocumentRef", ...] = ()  # other documents that repeat this finding (shown once, under its best source)

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation else "no single organisation"

    @property
    def label(self) -> str:
        """What the finding is, in the inspectorate's words where the document gives them: the heading it sits
        under (innovative practice), the kind the parser assigned, or who said it."""
        if self.heading and re.match(r"(?:innovative|promising) practice", self.heading, re.I):
            return self.heading[:1].upper() + self.heading[1:]
        if self.kind == Kind.recommendation and self.deadline:
            return f"Recommendation ({self.deadline[0].lower()}{self.deadline[1:]})"
        if self.heading == "Verdict heading":
            return "Verdict" if self.polarity == Polarity.negative else "Positive verdict"
        if self.kind == Kind.statement:
            return statement_label(self.speaker, self.role)
        if self.status in ("engage_entered", "engage_exited"):
            return "Monitoring status (Engage)"
        if self.kind in (Kind.strength, Kind.context) and (must := self._must_do()):
            return must  # "the force must answer 999 and 101 calls more quickly" is no praise, whatever its words
        if self.kind == Kind.area_for_improvement and not self._named_improvement():
            # Classified as one by its critical tone alone: an instruction or a figure says what it is; otherwise
            # the kind stands, as the answer's counts have it.
            return self._must_do() or ("Performance figure" if FIGURE.search(self.quote) else KIND_LABELS[Kind.area_for_improvement])
        if self.kind == Kind.context:
            if self.polarity == Polarity.negative:
                return "Criticism"
            if FIGURE.search(self.quote):
                return "Performance figure"
            return "Positive finding" if self.polarity == Polarity.positive else "Finding"
        return KIND_LABELS.get(self.kind, "Finding")

    def _named_improvement(self) -> bool:
        """Whether the document calls this an area for improvement: its heading, or improvement wording in the
        finding or the sentence that introduces it ("... still needs to make some improvements, including:")."""
        heading = (self.heading or "").lower()
        return "improvement" in heading or any(IMPROVEMENT.search(t) for t in (self.quote, self.context or "") if t)

    def _must_do(self) -> str | None:
        """'What the force must do' for "the force must answer 999 and 101 calls more quickly"."""
        if not MUST.search(self.quote):
            return None
        return "What the service must do" if self.organisation and self.organisation.kind == "fire" else "What the force must do"


ROLE_ARTICLES = {"spokesperson": "a spokesperson", "MP": "an MP", "Councillor": "a councillor", "union official": "a union official", "Minister": "a minister"}


def statement_label(speaker: str | None, role: str | None) -> str:
    """'Statement by Roy Wilsher, HM Inspector of Constabulary', 'Statement by a spokesperson'."""
    if speaker and role and role != "spokesperson":
        return f"Statement by {speaker}, {role}"
    if speaker:
        return f"Statement by {speaker}" + (" (spokesperson)" if role == "spokesperson" else "")
    if role:
        return f"Statement by {ROLE_ARTICLES.get(role, 'the ' + role)}"
    return "Statement"


@dataclass(frozen=True)
class GradeRow:
    """One graded area of an organisation in one inspection."""

    area: str
    grade: str
    cycle: str | None
    document: DocumentRef


@dataclass
class Overview:
    """What a reader needs first about one organisation: its latest grade in each area, how many causes of
    concern, areas for improvement and recommendations are on record, and its monitoring status."""

    organisation: OrganisationRef
    grades: list[GradeRow] = field(default_factory=list)  # the newest grade of each area, newest inspection first
    counts: dict[str, int] = field(default_factory=dict)  # kind -> number on record, most serious first
    monitoring: str | None = None  # engage_entered | engage_exited
    monitoring_document: DocumentRef | None = None

    def sentences(self) -> list[str]:
        """The overview as sentences: 'Latest grades: responding to the public — inadequate (PEEL ..., 16 May 2024); ...'."""
        parts = []
        if self.grades:
            listed = "; ".join(f"{r.area} \u2014 {grade_word(r.grade)} ({r.document.label}, {long_date(r.document.published)})" for r in self.grades)
            parts.append(f"Latest grades: {listed}. {NOT_COMPARABLE}")
        if self.counts:
            parts.append(f"On record: {tally(self.counts)}.")
        if self.monitoring and self.monitoring_document:
            parts.append(f"Monitoring: {self.monitoring_state}, as reported on {long_date(self.monitoring_document.published)}.")
        return parts

    @property
    def monitoring_state(self) -> str:
        state = "in" if self.monitoring == "engage_entered" else "out of"
        return f"{state} Engage (HMICFRS\u2019s enhanced monitoring, \u201cspecial measures\u201d)"


@dataclass
class Answer:
    """What the bot says: a summary, the cited findings in the order shown, and suggestions."""

    question: str
    intent: str
    summary: str
    organisations: list[OrganisationRef] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    more: int = 0  # matching findings after the ones shown
    candidates: list[OrganisationRef] = field(default_factory=list)  # for "Did you mean ...?"
    page: int = 0
    topic: list[str] = field(default_factory=list)  # words that ask it again (topics, dates, kind of document, role)
    wanted: str | None = None  # for an ambiguous name: the intent to answer once one is picked
    overview: Overview | None = None  # for one organisation's overview or grades: shown before the findings
    heading: str | None = None  # with an overview: the line above it (the summary then repeats the overview in sentences)


@dataclass
class Resolution:
    """Organisations resolved from a question, or the candidates for an ambiguous name."""

    organisations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ambiguous: Match | None = None
    candidates: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # a name whose organisations all have no findings


@dataclass
class Found:
    """The outcome of looking for a topic: the finding ids to select from (None: no topic), and what was relaxed."""

    ids: tuple[int, ...] | None
    matched: int = 0
    topics: list[Topic] = field(default_factory=list)  # the topics the ids match
    dropped: list[Topic] = field(default_factory=list)  # topics given up to find anything
    any_of: bool = False  # the ids match some of the topics, ranked, not all of them
    best: tuple[int, ...] = ()  # those of the ids that use the user's own words: shown first across organisations

    @property
    def capped(self) -> bool:
        return self.matched > SEARCH_DEPTH and not self.any_of


@cache
def public_services() -> dict[str, dict[str, str]]:
    """General public-service answers (how to complain, whom to call), with their sources."""
    return tomllib.loads((DATA / "public_services.toml").read_text(encoding="utf-8"))


def quoted(words: list[str] | str) -> str:
    return "\u201c" + (words if isinstance(words, str) else " ".join(words)) + "\u201d"


def topic_list(topics: list[Topic], joiner: str = "and") -> str:
    """'“vetting” and “2024”': topics as the user asked them, each quoted."""
    return f" {joiner} ".join(quoted(t.words) for t in topics)


def how_many(n: int) -> str:
    """'598', or 'More than 1,000' once the store stopped counting."""
    return f"More than {COUNT_CAP:,}" if n > COUNT_CAP else f"{n:,}"


def grade_word(grade: str) -> str:
    return GRADE_WORDS.get(grade, grade)


CHIEF_ROLES = frozenset({"Chief Constable", "Chief Fire Officer"})  # "the chief constable" takes in deputies and assistants
QUALIFIER = "delays"  # the label of a topic that qualifies another ("slow to answer 101 calls"): it ranks, not selects
WORDS = re.compile(r"[^\W_]+")  # a finding's words, as normalise() would split them (cheaper, for many findings)
SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
# Across organisations a negative question shows the more serious findings of each first.
NEGATIVE_SERIOUSNESS = {Kind.cause_of_concern: 1.5, Kind.area_for_improvement: 1.0, Kind.recommendation: 0.75, Kind.grade: 0.5, Polarity.negative: 0.25}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem, enough to compare the words of a topic with those of a finding ("calls", "call";
    "burglaries", "burglary"; "recorded", "recording", "record")."""
    if len(word) > 4 and not word.isdigit():
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise(phrase).split())


def has_phrase(words: list[str], present: set[str] | frozenset[str], phrase: tuple[str, ...]) -> bool:
    """Whether the stemmed words (`present`: the same as a set) hold the stemmed phrase, in order."""
    if not phrase or not present.issuperset(phrase):
        return False
    n = len(phrase)
    return n == 1 or any(words[i : i + n] == list(phrase) for i in range(len(words) - n + 1) if words[i] == phrase[0])


def rarity(word: str, vocabulary: dict[str, int]) -> float:
    """How telling a word is: rare words more than common ones (numbers like 101 and 999 are rare)."""
    if word.isdigit():
        return math.log(1 + 10_000 / 20)  # "999", "101": telling, but no more than the words for the same thing
    return math.log(1 + 10_000 / (1 + vocabulary.get(word, 0)))


class Answerer:
    """Answers questions from one Store."""

    def __init__(self, store: Store, *, today: dt.date | None = None, overview_page: int = MAX_CITATIONS) -> None:
        self.store = store
        self.reference = store.reference
        self.today = today
        self.page = 0
        self.page_size = MAX_CITATIONS
        self.overview_page = overview_page  # findings per page under an organisation's overview (fewer on a phone)

    def org_ref(self, organisation_id: str) -> OrganisationRef:
        org = self.reference.organisations[organisation_id]
        return OrganisationRef(org.id, org.name, org.kind)

    def understand(self, question: str) -> Query:
        """The question's slots, read against the names of the reference data and the words of the documents."""
        lexicon = Lexicon(self.store.vocabulary, self.store.speakers)
        return Understander(self.store.resolver, lexicon, today=self.today).understand(question)

    # -- resolving names -----------------------------------------------------------------------

    def resolve(self, query: Query, prefer_kind: str | None = None) -> Resolution:
        """Organisations the question names, or the candidates when a name could mean several.

        A county name means the force and the fire service named after it ("Kent": Kent Police or Kent Fire
        and Rescue Service), not a service that only covers it ("Wiltshire" is not Dorset and Wiltshire Fire).
        Between two that both have findings, the one with findings on the question's topic is taken, then
        the kind the chat was talking about; otherwise the bot asks."""
        resolution = Resolution()
        kind = query.kind or self._kind_of_the_others(query.matches)
        for match in query.matches:
            ids = set(match.organisations)
            if kind:
                ids = {i for i in ids if self.reference.organisations[i].kind == kind} or ids
            if len(ids) > 1:
                ids = self._named(match, ids) or ids
            if len(ids) > 1:
                inspected = {i for i in ids if self.reference.organisations[i].inspected} or ids
                held = self.store.organisations_with_findings(cached=True)  # choosing between names: minutes-old counts do
                with_data = {i for i in inspected if i in held}
                if len(with_data) > 1 and query.topics:
                    on_topic = {i for i in with_data if self.store.search([list(t.phrases) for t in query.topics], [i], 1).ids}
                    if len(on_topic) == 1:
                        resolution.notes.append(f"I read \u201c{match.words}\u201d as {self.reference.name_of(next(iter(on_topic)))}, the one with findings on {topic_list(query.topics)}.")
                        with_data = on_topic
                if len(with_data) > 1 and query.dates:  # "what did the 2021 inspection say Kent needs to improve"
                    dated = self.store.published_between(with_data, query.dates.since, query.dates.until)
                    if len(dated) == 1:
                        resolution.notes.append(f"I read \u201c{match.words}\u201d as {self.reference.name_of(next(iter(dated)))}, the one with findings {query.dates.describe()}.")
                        with_data = dated
                if len(with_data) > 1 and prefer_kind:
                    with_data = {i for i in with_data if self.reference.organisations[i].kind == prefer_kind} or with_data
                if len(with_data) == 1:
                    others = sorted(self.reference.name_of(i) for i in inspected - with_data)
                    if not resolution.notes:
                        resolution.notes += [f"I have no inspection findings for {name} yet." for name in others
                                             if not self.store.has_findings([n for n in inspected if self.reference.name_of(n) == name])]
                    ids = with_data
                elif not with_data:
                    # Neither has findings: no need to ask which, the answer is the same for both.
                    resolution.empty = sorted(inspected, key=lambda i: (self.reference.organisations[i].kind != "police", self.reference.name_of(i)))
                    return resolution
                else:
                    resolution.ambiguous = match
                    resolution.candidates = sorted(with_data, key=self.reference.name_of)
                    return resolution
            for i in sorted(ids):
                if i not in resolution.organisations:
                    resolution.organisations.append(i)
        return resolution

    def _named(self, match: Match, ids: set[str]) -> set[str]:
        """Those of `ids` whose own name or short form is, or starts with, the words matched."""
        key = normalise(match.name)
        named = set()
        for i in ids:
            org = self.reference.organisations[i]
            if any(n == key or n.startswith(key + " ") for n in map(normalise, (org.name, *org.aliases))):
                named.add(i)
        return named

    def _kind_of_the_others(self, matches: list[Match]) -> str | None:
        """In "compare Cambs Police and Norfolk", Norfolk means the police too: the kind the clear names share."""
        kinds = set()
        for match in matches:
            match_kinds = {self.reference.organisations[i].kind for i in match.organisations}
            if len(match_kinds) == 1:
                kinds |= match_kinds
        return kinds.pop() if len(kinds) == 1 else None

    # -- the entry points ----------------------------------------------------------------------

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
        """The answer to one question, never a guess: ambiguous names come back as suggestions.

        `page` counts pages of MAX_CITATIONS findings; `organisations` (ids) replaces the names in the
        question, as when the user picked one of the suggested organisations; with `chat_id`, a follow-up
        ("what about burglaries", "and Suffolk?") continues that chat's last question."""
        question = clean_question(question)
        self.page = max(0, page)
        if not question and not organisations:
            return self.help(question)
        query = self.understand(question)
        context = self.store.load_context(chat_id) if chat_id is not None else None
        if query.small_talk and not organisations:
            example = self.examples()[0]
            return Answer(question, "small_talk", SMALL_TALK[query.small_talk].format(example=example))
        if query.reference and not organisations:
            return self.public_service(query)
        if organisations is not None:
            known = [o for o in organisations if o in self.reference.organisations]
            if not known:
                return self.help(question)
            resolution = Resolution(organisations=known)
        else:
            last_kind = None
            if context is not None and context.organisations:
                first = context.organisations.split()[0]
                last_kind = self.reference.organisations[first].kind if first in self.reference.organisations else None
            elif context is not None and context.topic:  # after a question across forces, "and Kent?" means Kent Police
                last_kind = self.understand(context.topic).kind
            resolution = self.resolve(query, prefer_kind=last_kind)
        if resolution.ambiguous:
            return Answer(
                question, "ambiguous",
                f"\u201c{resolution.ambiguous.words}\u201d could mean more than one organisation. Which do you mean?",
                suggestions=[self.reference.name_of(i) for i in resolution.candidates],
                candidates=[self.org_ref(i) for i in resolution.candidates],
                topic=query.words,
                wanted=query.intent or ("topic" if query.topics else "overview"),
            )
        if resolution.empty:
            names = " or ".join(self.reference.name_of(i) for i in resolution.empty)
            return Answer(question, query.intent or "overview", f"I have no inspection findings for {names} yet.", [self.org_ref(i) for i in resolution.empty])
        resolved, notes = list(resolution.organisations), list(resolution.notes)
        for org_id in resolved:
            org = self.reference.organisations[org_id]
            if not org.inspected:
                return Answer(
                    question, "not_inspected",
                    f"{org.name} is inspected by {org.inspector}, not HMICFRS, so I have no HMICFRS findings for it. "
                    "I cover the police forces of England and Wales and the fire and rescue services of England.",
                    organisations=[self.org_ref(org_id)],
                )
        if context is not None:
            resolved = self._continue(query, resolved, context, notes)
        result = self._dispatch(query, resolved, notes)
        if chat_id is not None and result.intent not in ("help", "small_talk", "reference", "ambiguous", "not_inspected"):
            # An answer across organisations lists many, but was about none: its follow-ups ("what about 999
            # calls", "older ones") go across organisations again
            about = [o.id for o in result.organisations][:4] if resolved else []
            # "which forces ...": the kind it was about (else that of the organisation listed first)
            kind = [query.kind or result.organisations[0].kind] if not resolved and result.organisations else []
            self.store.save_context(chat_id, about, result.intent, self._known_words(query.words) + kind)
        return result

    def answer_again(self, intent: str, organisations: list[str], topic: list[str], *, page: int = 0) -> Answer:
        """The same answer again, from what an Answer records (its intent, organisations and words), without
        the question's text: how the bot pages through an answer without storing what was asked."""
        self.page = max(0, page)
        orgs = [o for o in organisations if o in self.reference.organisations]
        words = [w for phrase in topic for w in phrase.split() if re.fullmatch(r"[\w']{1,40}", w)][:12]
        if intent not in INTENT_KINDS or len(orgs) != len(organisations) or not (orgs or words):
            return self.help("")
        query = self.understand(" ".join(words))
        query.intent = intent
        if len(orgs) > 2 and intent not in ("compare", "overview", "latest"):
            kinds = {self.reference.organisations[o].kind for o in orgs}
            query.kind = query.kind or (kinds.pop() if len(kinds) == 1 else None)
            # More of an answer across organisations: the same ranking, over the organisations it listed
            answer = self.across(query, intent, organisations=orgs)
            answer.topic = query.words
            return answer
        return self._dispatch(query, orgs, [])

    def _known_words(self, words: list[str]) -> list[str]:
        """The words of a question that the documents or our word lists use: what a chat's context may keep
        (never other words the user typed)."""
        vocab, known = vocabulary(), self.store.vocabulary
        listed = set(vocab.topics) | set(vocab.roles) | set(vocab.documents)
        return [w for w in words if w in listed or all(t in known or re.fullmatch(r"(?:since|after|before|last|this|past|year|older|\d{4})", t) for t in w.split())]

    def _continue(self, query: Query, resolved: list[str], context, notes: list[str]) -> list[str]:  # noqa: ANN001
        """Read a follow-up against the chat's last question: its organisations, and its topic and kind
        when the follow-up names neither."""
        last = [o for o in context.organisations.split() if o in self.reference.organisations]
        known = self.store.vocabulary
        topical = any(t.label or t.words in known for t in query.topics)  # "qwzx plorf" continues nothing
        asks_something = query.followup or topical or query.intent or query.dates or query.role or query.people or query.documents
        if not resolved and last and asks_something and not query.listing:
            if query.kind:  # "and the police?", "what about the fire service there": the same place, the other kind
                last = [o if self.reference.organisations[o].kind == query.kind else self._counterpart(o, query.kind) for o in last]
                last = [o for o in last if o]
            if not last:
                return resolved
            names = " and ".join(self.reference.name_of(o) for o in last)
            notes.insert(0, f"{names} (from your last question).")
            resolved = last
            if not query.topics and not query.intent:
                self._take_over(query, context)
        elif resolved and last and query.intent == "compare" and len(resolved) == 1 and not query.others and resolved[0] not in last:
            resolved = [last[0], resolved[0]]  # "compare with Kent": the last question's organisation, on its topic
            if not query.topics and context.topic:
                query.topics = self.understand(context.topic).topics
        elif query.followup and not query.topics and not query.intent and (resolved or not last):
            self._take_over(query, context)  # "and Suffolk?"; after a question across organisations, "older ones"
        if not resolved and not last and not query.kind and context.topic and asks_something:
            query.kind = self.understand(context.topic).kind  # "what about 999 calls" after "which forces ..."
        return resolved

    def _counterpart(self, organisation_id: str, kind: str) -> str | None:
        """The organisation of the other kind that covers most of the same places (Exeter's police -> its fire service)."""
        counts: dict[str, int] = {}
        for place in self.reference.places.values():
            if organisation_id in place.organisations:
                for other in place.organisations:
                    if self.reference.organisations[other].kind == kind:
                        counts[other] = counts.get(other, 0) + 1
        return max(counts, key=counts.get) if counts else None

    def _take_over(self, query: Query, context) -> None:  # noqa: ANN001
        """Give a follow-up the last question's kind and words ("and Suffolk?", "older ones")."""
        previous = self.understand(context.topic) if context.topic else Query("")
        query.intent = context.intent if context.intent in INTENT_KINDS else None
        query.topics = query.topics or previous.topics
        query.dates = query.dates or previous.dates
        query.role, query.role_words = query.role or previous.role, query.role_words or previous.role_words
        query.documents = query.documents or previous.documents
        query.document_words = query.document_words or previous.document_words

    def _dispatch(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Answer an understood question about resolved organisations (or about none)."""
        intent = query.intent
        if len(resolved) >= 2 and intent in (None, "compare", "overview"):
            intent = "compare"
        if intent == "compare" and len(resolved) >= 2:
            answer = self.compare(query, resolved[:2], notes)
        elif intent == "compare" and len(resolved) == 1:
            answer = self.compare_with_others(query, resolved[0], notes)
        elif resolved:
            answer = self.about(query, resolved, intent or ("topic" if query.topics else "overview"), notes)
        elif query.topics or ((query.role or query.people) and intent in (None, "statements")) or intent in ACROSS_WITHOUT_TOPIC or query.documents:
            answer = self.across(query, intent if intent in INTENT_KINDS and intent not in ("compare", "overview") else "topic", notes)
        else:
            return self.help(query.text, query)
        answer.topic = query.words
        return answer

    # -- finding things ------------------------------------------------------------------------

    def _selection(self, query: Query, organisations: list[str] | None, intent: str, found: Found, *, negative_only: bool = False, rows: int | None = None, national: bool = False) -> Selection:
        kinds, context_polarities = INTENT_KINDS[intent]
        if negative_only:
            kinds, context_polarities = kinds & NEGATIVE_KINDS or NEGATIVE_KINDS, frozenset({Polarity.negative})
        dates = query.dates
        q = FindingQuery(
            organisations=tuple(organisations) if organisations is not None else None, national=national,
            kinds=kinds, context_polarities=context_polarities, ids=found.ids,
            since=dates.since if dates else None, until=dates.until if dates else None,
            title_words=query.documents, role=(f"%{query.role}" if query.role in CHIEF_ROLES else query.role) if intent == "statements" else None,
            people=tuple(query.people) if intent == "statements" else (),
            engage=intent == "engage", newest_document_only=intent == "latest",
            grade_polarities=GRADE_POLARITIES.get(intent, frozenset()) if not negative_only else frozenset({Polarity.negative}),
            with_status=intent in ("overview", "latest"), priority=intent in ("overview", "latest", "compare"),
            first_ids=found.best,
        )
        window = rows if rows is not None else max((self.page + 1) * MAX_CITATIONS, PROVENANCE_WINDOW)
        return self.store.select(q, limit=window)

    def _find(self, topics: list[Topic], organisations: list[str] | None, *, widen: bool = False, own_first: bool = False, places: list[str] | None = None, national: bool = False) -> Found:
        """Finding ids for the topics, relaxing step by step rather than finding nothing: every topic, in the
        user's own words (the best matches) or the words documents use for it; then the known topics alone;
        then without the weakest topic, one at a time; then any topic, best ranked first."""
        if not topics:
            return Found(None)
        vocabulary = self.store.vocabulary
        search = lambda ts, any_group=False: self.store.search([list(t.phrases) for t in ts], organisations, SEARCH_DEPTH, any_group=any_group, national=national)  # noqa: E731
        # The user's own words rank first across organisations and in comparisons' few quotes. In an answer about
        # one organisation (newest first) a single word adds nothing to the documents' words, which include it; a
        # phrase ("missing children") is narrower than its topic (protecting children), so what uses it comes first.
        own_first = own_first or any(t.label and " " in t.words and t.words != t.phrases[0] for t in topics)
        own = self.store.search([t.words for t in topics], organisations, SEARCH_DEPTH, national=national) if widen or own_first else Hits([], 0)
        hits = search(topics)
        closest = tuple(own.ids) or (tuple(hits.ids) if widen else ())  # shown first: before the widening below
        labelled = [t for t in topics if t.label]
        if (hits.ids or own.ids) and labelled and len(labelled) < len(topics):
            # The known topics alone widen the answer after the closer matches ("how long ... 101": every 101 finding).
            wide = search(labelled)
            hits = Hits(list(dict.fromkeys([*hits.ids, *wide.ids])), max(hits.total, wide.total))
        if places and (hits.ids or own.ids):
            # "Stockport police mental health": the topic's findings first, then what the documents say about Stockport
            nearby = self.store.search([list(places)], organisations, SEARCH_DEPTH)
            closest = closest or tuple(hits.ids)
            hits = Hits(list(dict.fromkeys([*hits.ids, *nearby.ids])), hits.total + nearby.total)
        if hits.ids or own.ids:
            ids = tuple(dict.fromkeys([*own.ids, *hits.ids]))
            return Found(ids, max(own.total, hits.total), list(topics), best=closest)
        if labelled and len(labelled) < len(topics):
            # The known topics carry the meaning; words of the user's own ("kept", "overnight") only narrow it.
            hits = search(labelled)
            if hits.ids:
                return Found(tuple(hits.ids), hits.total, labelled, [t for t in topics if not t.label])

        def presence(topic: Topic) -> int:
            """How common the topic's words are in the findings (0: never used)."""
            return max((min((vocabulary.get(w, 0) for w in p.split() if not w.isdigit()), default=1) for p in topic.phrases), default=0)

        remaining = list(topics)
        dropped: list[Topic] = []
        # Across every organisation, words of the user's own (no known topic) are kept to at least half, and
        # never matched one at a time: "ignore all previous instructions" must not find "system" somewhere.
        floor = 1 if labelled or not widen else max(1, (len(topics) + 1) // 2)
        while len(remaining) > floor:
            # Unknown words go first, then qualifiers ("slow"), then the commonest topic.
            weakest = min(remaining, key=lambda t: (t.label is not None, t.label != "delays", presence(t) > 0, -presence(t)))
            remaining.remove(weakest)
            dropped.append(weakest)
            hits = search(remaining)
            if hits.ids:
                return Found(tuple(hits.ids), hits.total, list(remaining), dropped)
        if len(topics) > 1 and (labelled or not widen):
            hits = search(topics, True)
            if hits.ids:
                return Found(tuple(hits.ids), hits.total, list(topics), [], any_of=True)
        return Found((), 0, [], list(topics))

    def _relax_note(self, found: Found, names: str | None) -> list[str]:
        about = f" for {names}" if names else ""
        if found.any_of:
            return [f"Nothing{about} mentions all of {topic_list(found.topics)}; these mention some of them, best matches first."]
        if found.dropped and found.topics:
            gone = topic_list(found.dropped)
            kept = topic_list(found.topics)
            return [f"Nothing{about} on {gone} together with {kept}; these are on {kept}."]
        return []

    # -- answers -------------------------------------------------------------------------------

    def about(self, query: Query, resolved: list[str], intent: str, notes: list[str]) -> Answer:
        """Findings about one or more resolved organisations."""
        refs = [self.org_ref(i) for i in resolved]
        names = " and ".join(r.name for r in refs)
        if not self.store.has_findings(resolved):
            return Answer(query.text, intent, f"I have no inspection findings for {names} yet.", refs, notes=notes)
        found = self._find(query.topics, resolved, places=query.places)
        notes = notes + self._correction_notes(query)
        selection = self._selection(query, resolved, intent, found) if found.ids != () else Selection.empty()
        if selection and query.older:
            # "older ones": older than the page the last answer showed (an overview's page is its most serious
            # findings, so the oldest of them, not the newest, marks what was seen)
            page = selection.rows[: self.overview_page if intent == "overview" else self.page_size]
            seen = (min if intent == "overview" else max)((f.published for f in page if f.published), default=None)
            if seen:
                query.dates = Dates(query.dates.since if query.dates else None, seen - dt.timedelta(days=1), "older")
                selection = self._selection(query, resolved, intent, found)
        noun = INTENT_NOUNS[intent]
        if intent == "statements" and (query.role or query.people) and not selection and query.topics:
            notes.append(f"Nothing by {self._who(query, names)} on {topic_list(query.topics, 'or')}; here is what was said.")
            query.topics, found = [], Found(None)
            selection = self._selection(query, resolved, intent, found)
        if intent == "statements" and (query.role or query.people) and not selection:
            who = self._who(query, names)
            return Answer(query.text, intent, f"I have no statements by {who} on record.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        if not selection and query.documents:
            kind_of = query.document_words or "that kind of"
            notes.append(f"I have no {kind_of} document for {names}; these come from its other documents.")
            query.documents, query.document_words = (), None
            selection = self._selection(query, resolved, intent, found) if found.ids != () else selection
        if not selection and query.dates:
            return Answer(query.text, intent, f"I have no {noun} for {names} {query.dates.describe()}.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        if not selection and query.topics:
            # Nothing on the topic: say so, then answer the question without it.
            wanted = topic_list(query.topics, "or")
            if found.ids == ():
                notes.append(f"Nothing on {wanted} for {names}" + (f" among {'their' if len(resolved) > 1 else 'its'} {noun}." if intent != "topic" else ".") + " Here is what I have instead.")
            else:
                notes.append(f"None of the {noun} for {names} mention {wanted}. Here is what I have instead.")
            found = Found(None)
            if intent == "topic":
                intent, noun = "overview", INTENT_NOUNS["overview"]
            selection = self._selection(query, resolved, intent, found)
        if not selection and intent == "overview":
            selection = self._selection(query, resolved, "topic", found)
        if not selection:
            return Answer(query.text, intent, f"I have no {noun} on record for {names}.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        notes = self._relax_note(found, names) + notes
        overview = self._overview(resolved[0], selection.counts) if intent in ("overview", "grades") and len(resolved) == 1 and not found.topics and not query.dates else None
        repeats = 0
        if overview and intent == "overview":
            # An overview is a phone screen: one finding once, under its best source, the others named with it.
            self.page_size = self.overview_page
            rows, also = self._without_repeats(self._higher_provenance_first(selection.rows, selection.documents))
            repeats = sum(map(len, also.values()))
            shown = rows[self.page * self.page_size : (self.page + 1) * self.page_size]
            citations = self._cite(shown, selection.documents, also)
        else:
            shown = self._page_of(selection)
            citations = self._cite(shown, selection.documents)
        on = f" on {topic_list(found.topics)}" if found.topics else ""
        when = f" ({query.dates.describe()})" if query.dates and query.dates.words != "older" else ""
        n_docs = selection.document_count
        if intent == "latest":
            newest = citations[0].document
            summary = f"The newest document I have on {names} is the {newest.label} of {long_date(newest.published, 'an unknown date')}. Its findings:"
        elif found.capped:
            summary = f"{how_many(found.matched)} findings on {names} mention {quoted(found.topics[0].words)}. {CAPPED}"
        else:
            heading = INTENT_HEADINGS[intent].format(names=names)
            if len(resolved) > 1:  # "What Kent Police and Essex Police need to improve"
                heading = heading.replace(" needs to ", " need to ").replace(" does well", " do well")
            if intent == "statements" and (query.role or query.people):
                who = self._who(query, names)
                heading = f"What the inspectors said about {names}" if who == f"the inspectors about {names}" else f"What {who} said"
            summary = f"{heading}{on}{when}: {tally(selection.counts)}, from {n_docs} document{'s' if n_docs != 1 else ''}, newest first."
        heading = None
        if overview:
            # Shown above the overview's block; the summary says the same facts in sentences (for the CLI and programs).
            total = sum(selection.counts.values())
            heading = f"{names}: {total} finding{'s' if total != 1 else ''} from {n_docs} document{'s' if n_docs != 1 else ''}, the most serious first."
            if intent == "grades":
                heading = f"Grades for {names}: {tally(selection.counts)} from {n_docs} document{'s' if n_docs != 1 else ''}."
            summary = " ".join([summary, *overview.sentences()])
        elif intent == "grades":
            summary += " " + NOT_COMPARABLE
        return Answer(query.text, intent, summary, refs, citations, notes=notes, more=self._more(selection.total - repeats), page=self.page, overview=overview, heading=heading)

    def _who(self, query: Query, names: str) -> str:
        if query.people:
            return " or ".join(query.people)
        role = " ".join(w.upper() if w in ("mp", "pcc", "cc", "cfo", "fbu", "hmi", "hm") else w for w in (query.role_words or "that person").split())
        if role.lower() in ("inspector", "inspectors", "hmi", "hm inspector"):
            return f"the inspectors about {names}" if names != "any organisation" else "the inspectors"
        return f"the {role} of {names}" if names != "any organisation" else f"the {role}"

    def _overview(self, organisation_id: str, counts: dict[str, int]) -> Overview:
        """An organisation's latest grade per area, the serious findings on record and its monitoring status."""
        overview = Overview(self.org_ref(organisation_id))
        seen: set[str] = set()
        documents: dict[int, DocumentRef] = {}
        history = self.store.grade_history(organisation_id)
        newest = max((d.published for *_, d in history if d.published), default=None)
        for area, grade, cycle, document in history:
            ref = documents.setdefault(document.id, DocumentRef.of(document))
            if newest and document.published and (newest - document.published).days > LATEST_GRADES_DAYS:
                continue  # an area graded only in an older inspection is in the picture (/grades), not in "latest"
            if normalise(area) not in seen:
                seen.add(normalise(area))
                overview.grades.append(GradeRow(area, grade, cycle, ref))
        overview.counts = {k: counts[k] for k in (Kind.cause_of_concern, Kind.area_for_improvement, Kind.recommendation) if counts.get(k)}
        mentions = self.store.monitoring_mentions(organisation_id)
        if mentions:
            statuses, document = mentions
            # A document reporting an exit recounts the entry ("placed in special measures in 2020"); one reporting
            # an entry rarely recounts an exit. So an exit anywhere in the newest document is its news.
            overview.monitoring = "engage_exited" if "engage_exited" in statuses else "engage_entered"
            overview.monitoring_document = DocumentRef.of(document)
        return overview

    def across(self, query: Query, intent: str, notes: list[str] | None = None, organisations: list[str] | None = None) -> Answer:
        """A topic across every organisation ("which forces are slow to answer 101 calls?"): each organisation
        with matching findings, most first; criticism only when the question is negative. The quotes are the
        most relevant first, one or two from each organisation before more of any. `organisations` narrows it
        to those (paging through an earlier answer)."""
        notes = list(notes or []) + self._correction_notes(query)
        if not query.topics and query.grade and intent == "grades":
            query.topics = [Topic(query.grade, (query.grade,))]  # "which forces were rated inadequate"
        of_kind = [o.id for o in self.reference.organisations.values() if o.kind == query.kind] if query.kind else None
        of_kind = organisations or of_kind
        # National reports ("fire and rescue services in England") are about every organisation of the kind.
        national = of_kind is not None
        # "slow", "delays" with another topic rank the findings on that topic rather than narrow them
        qualified = [t for t in query.topics if t.label != QUALIFIER] if query.negative else query.topics
        found = self._find(qualified or query.topics, of_kind, widen=True, national=national)
        topic = topic_list([*found.topics, *(t for t in query.topics if t not in qualified)] if found.topics else query.topics)
        noun = INTENT_NOUNS.get(intent, "findings")
        negative = query.negative and intent in ("topic", "improve")
        select = lambda kind, **kw: self._of_kind(self._selection(query, of_kind, kind, found, rows=RANKED, national=national, **kw), query.kind) if found.ids != () else Selection.empty()  # noqa: E731
        selection = select(intent, negative_only=negative)
        if not selection and negative:
            selection = select(intent)
            negative = False
        if selection and query.older:  # "older ones": published before the newest of these
            newest = max((f.published for f in selection.rows if f.published), default=None)
            if newest:
                query.dates = Dates(query.dates.since if query.dates else None, newest - dt.timedelta(days=1), "older")
                selection = select(intent, negative_only=negative)
        if not selection and query.topics and (query.people or query.role):
            # "what did the MP say about vetting": what that person said in documents on the topic, when none of it
            # names the topic; else ("Gillespie vetting quotes") everything they said
            query.topics, found = [], Found(None)
            documents = query.documents
            query.documents = query.documents or tuple(dict.fromkeys(w for t in qualified or query.topics for w in (t.words, *t.phrases[:2])))
            selection = select("statements")
            if selection and not documents:
                notes.append(f"Nothing by {self._who(query, 'any organisation')} names {topic}; here is what was said in documents on it.")
            else:
                query.documents = documents
                notes.append(f"Nothing by {self._who(query, 'any organisation')} on {topic}; here is what was said.")
                selection = select("statements")
        if query.topics:
            about = f"on {topic}"
        elif query.role or query.people:
            about = f"by {self._who(query, 'any organisation')}"
        else:
            about = f"in {query.document_words} documents" if query.document_words else "across organisations"
        dated = f" {query.dates.describe()}" if query.dates else ""
        if not selection:
            if query.older:
                return Answer(query.text, intent, f"I have no older {noun} {about}.", notes=notes)
            if query.topics and not any(w in self.store.vocabulary or w.isdigit() for t in query.topics for p in t.phrases for w in p.split()):
                return self.help(query.text, query)
            return Answer(query.text, intent, f"I have no {noun} {about}{dated}.", notes=notes)
        ranked = selection.organisations
        refs = [self.org_ref(o) for o, _ in ranked]
        shown = self._page_of(replace(selection, rows=self._spread(self._by_relevance(selection, query, found))))
        counted = ", ".join(f"{self.org_ref(o).name} ({n})" for o, n in ranked[:MAX_NAMED]) or "no single organisation"
        if len(ranked) > MAX_NAMED:
            counted += f" and {len(ranked) - MAX_NAMED} more"
        what = "Criticism" if negative else noun[:1].upper() + noun[1:]
        summary = f"{what} {about}{dated}: {tally(selection.counts)}. By organisation, most first: {counted}."
        if found.capped:
            summary = f"{how_many(found.matched)} findings mention {topic}, about {counted}. {RANKED_CAPPED}"
        notes = self._relax_note(found, None) + notes
        return Answer(query.text, intent, summary, refs, self._cite(shown, selection.documents), notes=notes, more=self._more(selection.total), page=self.page)

    @staticmethod
    def _of_kind(selection: Selection, kind: str | None) -> Selection:
        """Without the national findings of the other kind: a question about fire services gets national
        reports on fire and rescue services, not those on the police (told apart by their titles)."""
        words = POLICE_WORDS if kind == "police" else FIRE_WORDS if kind == "fire" else None
        if words is None or not selection:
            return selection

        def fits(f: Finding) -> bool:
            if f.organisation_id is not None:
                return True
            d = selection.documents.get(f.document_id)
            return bool(d and set(normalise(f"{d.title or ''} {d.section or ''}").split()) & words)

        rows = [f for f in selection.rows if fits(f)]
        if len(rows) == len(selection.rows):
            return selection
        if selection.total > len(selection.rows):  # not every match was read: keep the counts, drop the rows
            return Selection(rows, selection.total - (len(selection.rows) - len(rows)), selection.counts, selection.documents, selection.organisations, selection.document_count)
        counts: dict[str, int] = {}
        for f in sorted(rows, key=lambda f: KIND_ORDER.get(f.kind, 9)):
            key = f.polarity if f.kind == Kind.context else f.kind
            counts[key] = counts.get(key, 0) + 1
        return Selection(rows, len(rows), counts, selection.documents, selection.organisations, len({f.document_id for f in rows}))

    def _by_relevance(self, selection: Selection, query: Query, found: Found) -> tuple[list[Finding], dict[int, float]]:
        """The rows, most relevant first: for each topic the rarest of its words a finding uses (the user's own
        words count twice), the more serious kinds first, people's statements after the inspectorate's findings;
        newest first among equals."""
        topics = [*found.topics, *(t for t in query.topics if t.label == QUALIFIER and t not in found.topics)] or query.topics
        if not topics:
            return list(selection.rows), {}
        vocabulary = self.store.vocabulary
        # A phrase tells as much as its rarest word, a little more for each word more ("non emergency calls").
        weigh = lambda phrase: max((rarity(w, vocabulary) for w in phrase.split()), default=0.0) + 0.5 * max(0, sum(len(w) > 3 for w in phrase.split()) - 1)  # noqa: E731
        tables = []  # per topic: its one-word terms (stem -> weight) and its phrases of several words
        for t in topics:
            single: dict[str, float] = {}
            multi: list[tuple[tuple[str, ...], float]] = []
            for p in dict.fromkeys(t.phrases):
                stems, w = phrase_words(p), weigh(p)
                if len(stems) == 1:
                    single[stems[0]] = max(w, single.get(stems[0], 0.0))
                elif stems:
                    multi.append((stems, w))
            tables.append((single, multi))
        own = [(phrase_words(t.words), weigh(t.words)) for t in topics]  # the user's own words count twice
        # Criticism first: what a reader of a topic across organisations looks for (not when strengths are asked)
        seriousness = NEGATIVE_SERIOUSNESS if query.intent not in ("strengths", "grades", "statements") else {}

        def score(f: Finding) -> float:
            words = [stem(w) for w in WORDS.findall(f.text.lower().replace("&", " and ").replace("'", "").replace("\u2019", ""))]
            present = set(words)
            total = 0.0
            for single, multi in tables:
                matched = sorted([single[w] for w in present.intersection(single)] + [w for p, w in multi if has_phrase(words, present, p)], reverse=True)
                total += sum(matched[:1]) + 0.25 * sum(matched[1:4])  # the best term, and a little for each other
            total += sum(w for p, w in own if has_phrase(words, present, p))
            if f.kind == Kind.statement and not (query.people or query.role) and "inspector" not in (f.role or "").lower():
                total *= 0.6  # what people said about it, after what the inspectors found
            total += seriousness.get(f.kind if f.kind != Kind.context else f.polarity, 0.0)
            document = selection.documents.get(f.document_id)
            if document is not None and document.title and f.start < len(document.title) + 40 and f.text.strip().lower() == document.title.strip().lower():
                total /= 2  # a headline: the findings under it say the same with the details
            return total

        scores = {f.id: score(f) for f in selection.rows}
        return sorted(selection.rows, key=lambda f: -scores[f.id]), scores  # stable: newest first among equals

    @staticmethod
    def _spread(ranked: tuple[list[Finding], dict[int, float]], rounds: int = 2) -> list[Finding]:
        """Rows reordered so that many organisations show: each organisation's best, in the order given, then
        each one's second best; then the rest in the order given. A finding much less relevant than the best
        waits for the rest."""
        rows, scores = ranked
        top = max(scores.values(), default=0.0)
        seen: dict[str | None, int] = {}
        keys = {}
        for i, f in enumerate(rows):
            n = seen.get(f.organisation_id, 0)
            seen[f.organisation_id] = n + 1
            strong = scores.get(f.id, top) >= top / 2
            keys[f.id] = (n, i) if strong and n < rounds else (rounds, i)
        return sorted(rows, key=lambda f: keys[f.id])

    def compare(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Two organisations side by side: counts by kind and their newest findings (on a topic, the most relevant)."""
        refs = [self.org_ref(i) for i in resolved]
        per_org = MAX_CITATIONS // 2
        citations: list[Citation] = []
        parts = []
        kind = query.intent if query.intent in INTENT_KINDS and query.intent not in ("compare", "overview", "latest") else "compare"
        for ref in refs:
            found = self._find(query.topics, [ref.id], own_first=True)
            # On a topic, each side's most relevant findings (of its newest matches); else its newest
            selection = self._selection(query, [ref.id], kind, found, rows=2 * MAX_CITATIONS if found.ids else per_org) if found.ids != () else Selection.empty()
            if found.ids:
                selection = replace(selection, rows=self._by_relevance(selection, query, found)[0])
            if not selection:
                has_any = bool(self.store.has_findings([ref.id]))
                on = f" on {topic_list(query.topics)}" if query.topics else ""
                parts.append(f"{ref.name}: {'no ' + INTENT_NOUNS[kind] + on + ' on record' if has_any else 'no inspection findings yet'}")
                continue
            parts.append(f"{ref.name}: {tally(selection.counts)}")
            citations += self._cite(selection.rows[:per_org], selection.documents)
        on = f" on {topic_list(query.topics)}" if query.topics else ""
        summary = f"Side by side{on}. " + "; ".join(parts) + "."
        if kind == "grades" or "grade" in query.text.lower():
            summary += " Grades from different inspection cycles are not comparable."
        return Answer(query.text, "compare", summary, refs, citations, notes=notes + self._correction_notes(query))

    def compare_with_others(self, query: Query, organisation_id: str, notes: list[str]) -> Answer:
        """One organisation against the picture across the others of its kind, on the same kinds of finding."""
        ref = self.org_ref(organisation_id)
        if not query.others:
            return Answer(query.text, "compare", f"Compare {ref.name} with which organisation? Ask, for example, \u201ccompare {ref.name} and another force\u201d, "
                          f"or \u201chow does {ref.name} compare to other forces\u201d.",
                          [ref], notes=notes, suggestions=[f"How does {ref.name} compare to other forces?"])
        kind = query.intent if query.intent in INTENT_KINDS and query.intent not in ("compare", "overview", "latest") else "compare"
        found = self._find(query.topics, None)
        everyone = self._selection(query, None, kind, found, rows=0) if found.ids != () else Selection.empty()
        peers = [(o, n) for o, n in everyone.organisations if self.reference.organisations[o].kind == ref.kind]
        own = self._selection(query, [organisation_id], kind, found, rows=MAX_CITATIONS) if found.ids != () else Selection.empty()
        noun = "forces" if ref.kind == "police" else "fire and rescue services"
        if not own:
            return Answer(query.text, "compare", f"I have no {INTENT_NOUNS[kind]} on record for {ref.name} to compare.", [ref], notes=notes)
        others = [n for o, n in peers if o != organisation_id]
        rank = 1 + sum(1 for n in others if n > own.total)
        median = sorted(others)[len(others) // 2] if others else 0
        summary = (
            f"{ref.name} against the other {noun} I hold findings for ({len(others)}): {ref.name} has {tally(own.counts)}; "
            f"the median among the others is {median}. It ranks {rank} of {len(others) + 1} by number of findings of these kinds. "
            "Counts depend on which documents I hold, not only on performance."
        )
        return Answer(query.text, "compare", summary, [ref], self._cite(own.rows[:MAX_CITATIONS], own.documents), notes=notes + self._correction_notes(query))

    def public_service(self, query: Query) -> Answer:
        """A short general answer (how to complain, whom to call), labelled as not from an inspection."""
        entry = public_services()[query.reference]
        notes = [f"General information, not an inspection finding. Source: {entry['sources']}."]
        return Answer(query.text, "reference", entry["text"], notes=notes)

    def headlines(self, document_id: int, organisation_id: str, limit: int = 3) -> Answer:
        """The first findings of a newly ingested document about one organisation, for its followers."""
        kinds, polarity = INTENT_KINDS["overview"]
        selection = self.store.select(FindingQuery(organisations=(organisation_id,), kinds=kinds, context_polarities=polarity, document_id=document_id), limit=limit)
        ref = self.org_ref(organisation_id)
        citations = self._cite(selection.rows[:limit], selection.documents)
        if not citations:
            return Answer("", "headlines", f"A new document mentions {ref.name}.", [ref])
        document = citations[0].document
        when = long_date(document.published, "undated")
        summary = f"New on {ref.name}: the {document.label} of {when}, with {tally(selection.counts)}."
        return Answer("", "headlines", summary, [ref], citations, more=max(0, selection.total - limit))

    def help(self, question: str, query: Query | None = None) -> Answer:
        """The short help text for questions the bot cannot place."""
        summary = (
            "I answer questions about HMICFRS inspections of the police forces of England and Wales and the "
            "fire and rescue services of England, quoting the documents word for word. Name a force, a fire "
            "service or a town, and what you want to know."
        )
        if query and query.topics and not query.matches:
            summary = f"I have no findings about {quoted(query.topic)}. " + summary
        return Answer(question, "help", summary, suggestions=self.examples())

    def examples(self) -> list[str]:
        """Example questions about organisations the bot holds findings for (the shipped ones otherwise)."""
        return [question for question, _, _ in self.example_questions()]

    def example_questions(self) -> list[tuple[str, str, str | None]]:
        """(question, intent, organisation id) for three organisations with the most findings, each asked a
        different way; the shipped examples (no organisation) when the bot holds nothing."""
        held = self.store.organisations_with_findings(cached=True)
        if not held:
            return [(q, "", None) for q in EXAMPLES]
        top = sorted(held, key=lambda o: (-held[o], o))[:3]
        forms = [("What must {} improve?", "improve"), ("What is {} good at?", "strengths"), ("Is {} any good?", "overview")]
        return [(forms[i][0].format(self.reference.organisations[o].name), forms[i][1], o) for i, o in enumerate(top)]

    def citation(self, finding_id: int) -> Citation | None:
        """One finding cited on its own (for "Cite"), or None for an id that is not stored."""
        found = self.store.finding(finding_id)
        if found is None:
            return None
        finding, document = found
        return self._cite([finding], {document.id: document})[0]

    def grade_history(self, organisation_id: str) -> list[GradeRow]:
        """Every grade recorded for an organisation, newest inspection first."""
        refs: dict[int, DocumentRef] = {}
        return [GradeRow(area, grade, cycle, refs.setdefault(d.id, DocumentRef.of(d))) for area, grade, cycle, d in self.store.grade_history(organisation_id)]

    # -- citing --------------------------------------------------------------------------------

    def _page_of(self, selection: Selection) -> list[Finding]:
        rows = self._higher_provenance_first(selection.rows, selection.documents)
        return rows[self.page * self.page_size : (self.page + 1) * self.page_size]

    def _more(self, total: int) -> int:
        return max(0, total - (self.page + 1) * self.page_size)

    def _higher_provenance_first(self, findings: list[Finding], documents: dict[int, Document]) -> list[Finding]:
        """Where documents repeat the same finding, show the report's wording before the press release's
        and the press release's before a news article's, at the place the first of them stood."""
        head = findings[:PROVENANCE_WINDOW]
        if len({f.document_id for f in head}) < 2:
            return findings
        ranks = {i: d.rank for i, d in documents.items()}
        texts = [utils.default_process(f.text) for f in head]
        placed: set[int] = set()
        ordered: list[Finding] = []
        for i, finding in enumerate(head):
            if i in placed:
                continue
            group = [i] + [
                j for j in range(i + 1, len(head))
                if j not in placed and self._same_finding(finding, head[j], texts[i], texts[j])
            ]
            placed.update(group)
            ordered += sorted((head[j] for j in group), key=lambda f: -ranks.get(f.document_id, 1))
        return ordered + findings[PROVENANCE_WINDOW:]

    @staticmethod
    def _same_finding(a: Finding, b: Finding, text_a: str, text_b: str) -> bool:
        """Two documents repeating one finding: same organisation, published close together, same words."""
        if a.document_id == b.document_id or a.organisation_id != b.organisation_id:
            return False
        if a.published and b.published and abs((a.published - b.published).days) > SAME_FINDING_DAYS:
            return False
        return fuzz.token_set_ratio(text_a, text_b) >= SAME_FINDING

    def _without_repeats(self, findings: list[Finding]) -> tuple[list[Finding], dict[int, list[Finding]]]:
        """The findings with each one that repeats an earlier one (a press release or news story repeating the
        report, see _same_finding) left out, and for each finding kept the repeats it stands for. Compared
        within the first PROVENANCE_WINDOW findings, as _higher_provenance_first does."""
        head = findings[:PROVENANCE_WINDOW]
        texts = [utils.default_process(f.text) for f in head]
        kept: list[int] = []
        also: dict[int, list[Finding]] = {}
        for i, finding in enumerate(head):
            first = next((k for k in kept if self._same_finding(head[k], finding, texts[k], texts[i])), None)
            if first is None:
                kept.append(i)
            else:
                also.setdefault(head[first].id, []).append(finding)
        return [head[k] for k in kept] + findings[PROVENANCE_WINDOW:], also

    def _cite(self, findings: list[Finding], documents: dict[int, Document], also: dict[int, list[Finding]] | None = None) -> list[Citation]:
        citations = []
        for f in findings:
            ref = DocumentRef.of(documents[f.document_id])
            org = self.org_ref(f.organisation_id) if f.organisation_id else None
            repeated = tuple(DocumentRef.of(documents[r.document_id]) for r in (also or {}).get(f.id, []))
            citations.append(Citation(f.text, f.kind, f.polarity, org, f.speaker, f.role, f.context, ref, f.start, f.end, f.id, f.label, f.deadline, f.status, repeated))
        return citations

    def _correction_notes(self, query: Query) -> list[str]:
        return [f"I read \u201c{wrong}\u201d as \u201c{right}\u201d." for wrong, right in query.corrections.items()]

    def _other_questions(self, ref: OrganisationRef, intent: str) -> list[str]:
        short = ref.name
        options = {
            "improve": f"What must {short} improve?",
            "strengths": f"What is {short} good at?",
            "statements": f"What did the inspector say about {short}?",
            "latest": f"Latest on {short}",
        }
        return [q for i, q in options.items() if i != intent][:3]


def answer(store: Store, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
    """Answer one question from the store (see Answerer.answer)."""
    return Answerer(store).answer(question, page=page, organisations=organisations, chat_id=chat_id)
