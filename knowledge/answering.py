"""Answering a question: understand it, resolve organisations, fetch findings, return cited data.

The result is plain data (an Answer with Citations); turning it into text or HTML is the front's job.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils
from sqlalchemy import distinct, func
from sqlmodel import select

from knowledge.matching import FIRE_WORDS, POLICE_WORDS, STOPWORDS, Match, kind_hint, tokenise
from knowledge.models import Document, Finding, Kind, Polarity
from knowledge.store import Store

MAX_QUESTION_CHARS = 500  # longer messages are read up to here; nobody asks a question this long
MAX_CITATIONS = 6  # a phone screen or two
MAX_TOPIC_TERMS = 6
MAX_NAMED = 8  # organisations named in a summary before "and N more"
SEARCH_DEPTH = 200  # most recently added full-text matches considered before sorting newest first
PROVENANCE_WINDOW = 24  # findings (the first pages) compared with each other for repeated wording
KIND_ORDER = {Kind.cause_of_concern: 0, Kind.recommendation: 1, Kind.area_for_improvement: 2, Kind.grade: 3, Kind.strength: 4, Kind.statement: 5, Kind.context: 6}
CAPPED = (
    f"Showing the newest of the {SEARCH_DEPTH} added most recently; name a force or a town, "
    "or add a word, to narrow it down."
)
SAME_FINDING = 88  # rapidfuzz token_set_ratio (0-100) above which two findings say the same thing
SAME_FINDING_DAYS = 90  # a press release or news story repeats a report within weeks, not years

EXAMPLES = (
    "What must Cambridgeshire improve?",
    "Peterborough police sex offenders",
    "What did the inspector say about Cambs?",
)

INTENT_PATTERNS = [
    ("engage", r"\bspecial measures\b|\benhanced monitoring\b|\b(?:in|into|out of|from|left|leave|leaves|exit|exited) engage\b|\bengage (?:process|status)\b"),
    ("compare", r"\b(?:compare|comparison|versus|vs|difference between|better than|worse than)\b"),
    ("concerns", r"\bcauses? (?:of|for) concern\b"),
    ("recommendations", r"\brecommend(?:s|ed|ation|ations)?\b"),
    ("grades", r"\b(?:grades?|graded|ratings?|rated|peel|outstanding|inadequate|requires improvement)\b"),
    ("statements", r"\b(?:inspector|inspectors|hmi|said|say|says|quotes?|statements?|words|chief constable|commissioner|pcc|spokes(?:person|man|woman))\b"),
    ("latest", r"\b(?:when|latest|last|most recent|newest|recently)\b"),
    ("improve", r"\b(?:improve|improvements?|improving|must|should|needs? to|areas? for improvement|weak(?:ness|nesses)?|"
     r"fail(?:ing|ed|s)?|problems?|wrong|concerns?|criticised|criticisms?|bad at|worse|worst)\b"),
    ("strengths", r"\b(?:good at|good work|doing well|does well|do well|praised?|strengths?|positives?|best at|what works|strong)\b"),
]
INTENT_WORDS = frozenset(
    """compare comparison versus vs difference better worse cause causes concern concerns recommend recommends
    recommended recommendation recommendations grade grades graded rating ratings rated peel outstanding inadequate
    requires inspector inspectors hmi said say says quote quotes statement statements words when latest last
    recent most newest recently improve improvement improvements improving must should need needs areas area
    weak weakness weaknesses fail failing failed fails problem problems wrong criticised criticism criticisms bad
    worst good work doing does do well praise praised strength strengths positive positives best works strong
    chief constable commissioner pcc spokesperson spokesman spokeswoman officer
    hmicfrs hmic inspectorate service services england wales uk britain about tell know anything info information
    findings finding found find happened happening going on which what who how where why is are was were the
    and or of for to in at by with from please show me give list any all force forces""".split()
)

KIND_LABELS = {
    Kind.strength: "Strength",
    Kind.area_for_improvement: "Area for improvement",
    Kind.cause_of_concern: "Cause of concern",
    Kind.recommendation: "Recommendation",
    Kind.grade: "Grade",
    Kind.statement: "Statement",
    Kind.context: "Finding",
}

FINDING_KINDS = {Kind.strength, Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation, Kind.grade}
INTENT_KINDS: dict[str, tuple[set[str], set[str]]] = {
    # intent -> (kinds shown, and context findings shown when of these polarities)
    "improve": ({Kind.area_for_improvement, Kind.cause_of_concern, Kind.recommendation}, {Polarity.negative}),
    "concerns": ({Kind.cause_of_concern}, set()),
    "recommendations": ({Kind.recommendation}, set()),
    "strengths": ({Kind.strength}, {Polarity.positive}),
    "grades": ({Kind.grade}, set()),
    "statements": ({Kind.statement}, set()),
    "overview": (FINDING_KINDS | {Kind.statement}, {Polarity.negative, Polarity.positive}),
    "compare": (FINDING_KINDS, {Polarity.negative}),
    "latest": (FINDING_KINDS | {Kind.statement}, {Polarity.negative, Polarity.positive}),
    "engage": (set(Kind), set(Polarity)),  # any finding with an Engage status (see _findings)
    "topic": (set(Kind), set(Polarity)),
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
    "engage": "mentions of Engage (enhanced monitoring, \u201cspecial measures\u201d)",
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


def count_kinds(findings: "list[Finding]") -> dict[str, int]:
    """Counts keyed as tally() reads them: the kind, or the polarity of a context finding."""
    counts: dict[str, int] = {}
    for f in findings:
        key = f.polarity if f.kind == Kind.context else f.kind
        counts[key] = counts.get(key, 0) + 1
    return counts


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
        return self.source_path or f"document {self.id}"


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

    @property
    def label(self) -> str:
        if self.heading and re.match(r"(?:innovative|promising) practice", self.heading, re.I):
            return self.heading
        if self.kind == Kind.recommendation and self.deadline:
            return f"Recommendation ({self.deadline[0].lower()}{self.deadline[1:]})"
        if self.heading == "Verdict heading":
            return "Verdict" if self.polarity == Polarity.negative else "Positive verdict"
        if self.kind == Kind.statement:
            who = ", ".join(p for p in (self.speaker, self.role) if p)
            return f"Said by {who}" if who else "Statement"
        if self.kind == Kind.context and self.polarity == Polarity.negative:
            return "Criticism"
        return KIND_LABELS.get(self.kind, "Finding")


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
    topic: list[str] = field(default_factory=list)  # the topic words the answer searched for
    wanted: str | None = None  # for an ambiguous name: the intent to answer once one is picked


@dataclass
class Resolution:
    """Organisations resolved from a question, or the candidates for an ambiguous name."""

    organisations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ambiguous: Match | None = None
    candidates: list[str] = field(default_factory=list)


@dataclass
class Query:
    """A question as understood: what is asked, about whom, on which topic."""

    text: str
    intent: str | None
    matches: list[Match]
    kind: str | None
    topic: list[str]
    corrections: dict[str, str] = field(default_factory=dict)


@dataclass
class Selection:
    """The findings that answer a question: the first rows in the order shown, and counts over all of them."""

    rows: list[Finding]
    total: int
    counts: dict[str, int]
    documents: int
    organisations: list[str]
    matched: int = 0  # findings matching the topic in all, of any kind (0 without a topic)

    @property
    def capped(self) -> bool:
        """True when the topic matched more findings than were looked at, so counts are not totals."""
        return self.matched > SEARCH_DEPTH

    def __bool__(self) -> bool:
        return self.total > 0


EMPTY = Selection([], 0, {}, 0, [])


def clean_question(question: str) -> str:
    """Printable text, one line, at most MAX_QUESTION_CHARS characters."""
    question = unicodedata.normalize("NFKC", question or "")
    question = "".join(ch if ch.isprintable() else " " for ch in question)
    return " ".join(question.split())[:MAX_QUESTION_CHARS]


def detect_intent(question: str) -> str | None:
    """The first intent whose words the question uses, in priority order."""
    folded = " ".join(t.norm for t in tokenise(question))
    for intent, pattern in INTENT_PATTERNS:
        if re.search(pattern, folded):
            return intent
    return None


class Answerer:
    """Answers questions from one Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.reference = store.reference

    def org_ref(self, organisation_id: str) -> OrganisationRef:
        org = self.reference.organisations[organisation_id]
        return OrganisationRef(org.id, org.name, org.kind)

    # -- understanding ----------------------------------------------------------------------

    def understand(self, question: str) -> Query:
        """Intent, organisation matches, police/fire hint and topic words of a question."""
        matches = self.store.resolver.find(question)
        tokens = tokenise(question)
        covered = {i for m in matches for i in range(m.start, m.end)}
        stop = STOPWORDS | INTENT_WORDS | POLICE_WORDS | FIRE_WORDS
        topic = []
        for i, token in enumerate(tokens):
            if i in covered or token.norm in stop or len(token.norm) < 2:
                continue
            if token.norm not in topic:
                topic.append(token.norm)
        query = Query(question, detect_intent(question), matches, kind_hint(question), topic[:MAX_TOPIC_TERMS])
        self._correct_topic(query)
        return query

    def _correct_topic(self, query: Query) -> None:
        """Replace misspelt topic words with the nearest word that findings actually use."""
        vocabulary = self.store.vocabulary
        corrected = []
        for word in query.topic:
            if word in vocabulary or word.isdigit() or len(word) < 4:
                corrected.append(word)
                continue
            best = process.extractOne(word, vocabulary.keys(), scorer=fuzz.ratio, score_cutoff=85)
            if best:
                query.corrections[word] = best[0]
                corrected.append(best[0])
            else:
                corrected.append(word)
        query.topic = corrected

    # -- answering --------------------------------------------------------------------------

    def resolve(self, query: Query) -> Resolution:
        """Organisations the question names, or the candidates when a name could mean several."""
        resolution = Resolution()
        kind = query.kind or self._kind_of_the_others(query.matches)
        for match in query.matches:
            ids = set(match.organisations)
            if kind:
                ids = {i for i in ids if self.reference.organisations[i].kind == kind} or ids
            if len(ids) > 1:
                inspected = {i for i in ids if self.reference.organisations[i].inspected} or ids
                with_data = self.store.has_findings(inspected)
                if len(with_data) == 1:
                    others = sorted(self.reference.name_of(i) for i in inspected - with_data)
                    resolution.notes += [f"I have no inspection findings for {name} yet." for name in others]
                    ids = with_data
                else:
                    resolution.ambiguous = match
                    resolution.candidates = sorted(with_data or inspected, key=self.reference.name_of)
                    return resolution
            for i in sorted(ids):
                if i not in resolution.organisations:
                    resolution.organisations.append(i)
        return resolution

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None) -> Answer:
        """The answer to one question, never a guess: ambiguous names come back as suggestions.

        `page` counts pages of MAX_CITATIONS findings; `organisations` (ids) replaces the names in the
        question, as when the user picked one of the suggested organisations.
        """
        question = clean_question(question)
        self.page = max(0, page)
        if not question and not organisations:
            return self.help(question)
        query = self.understand(question)
        if organisations is not None:
            known = [o for o in organisations if o in self.reference.organisations]
            resolution = Resolution(organisations=known) if known else Resolution()
            if not known:
                return self.help(question)
        else:
            resolution = self.resolve(query)
        if resolution.ambiguous:
            return Answer(
                question, "ambiguous",
                f"\u201c{resolution.ambiguous.words}\u201d could mean more than one organisation. Which do you mean?",
                suggestions=[self.reference.name_of(i) for i in resolution.candidates],
                candidates=[self.org_ref(i) for i in resolution.candidates],
                topic=list(query.topic),
                wanted=query.intent or ("topic" if query.topic else "overview"),
            )
        resolved, notes = resolution.organisations, resolution.notes
        refs = [self.org_ref(i) for i in resolved]
        for org_id in resolved:
            org = self.reference.organisations[org_id]
            if not org.inspected:
                return Answer(
                    question, "not_inspected",
                    f"{org.name} is inspected by {org.inspector}, not HMICFRS, so I have no HMICFRS findings for it. "
                    "I cover the police forces of England and Wales and the fire and rescue services of England.",
                    organisations=refs,
                )
        return self._dispatch(query, resolved, notes)

    def _dispatch(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Answer an understood question about resolved organisations (or about none)."""
        intent = query.intent
        if len(resolved) >= 2 and intent in (None, "compare", "overview"):
            intent = "compare"
        if intent == "compare" and len(resolved) >= 2:
            answer = self.compare(query, resolved[:2], notes)
        elif resolved:
            answer = self.about(query, resolved, intent or ("topic" if query.topic else "overview"), notes)
        elif query.topic and self._known_topic(query):
            answer = self.across(query, intent or "topic")
        else:
            return self.help(query.text, query)
        answer.topic = list(query.topic)
        return answer

    def answer_again(self, intent: str, organisations: list[str], topic: list[str], *, page: int = 0) -> Answer:
        """The same answer again, from what an Answer records (its intent, organisations and topic words),
        without the question's text: how the bot pages through an answer without storing what was asked."""
        self.page = max(0, page)
        orgs = [o for o in organisations if o in self.reference.organisations]
        words = [w for w in topic if re.fullmatch(r"[\w']{1,40}", w)][:MAX_TOPIC_TERMS]
        if intent not in INTENT_KINDS or len(orgs) != len(organisations) or not (orgs or words):
            return self.help("")
        return self._dispatch(Query("", intent, [], None, words), orgs, [])

    def _kind_of_the_others(self, matches: list[Match]) -> str | None:
        """In "compare Cambs Police and Norfolk", Norfolk means the police too: the kind the clear names share."""
        kinds = set()
        for match in matches:
            match_kinds = {self.reference.organisations[i].kind for i in match.organisations}
            if len(match_kinds) == 1:
                kinds |= match_kinds
        return kinds.pop() if len(kinds) == 1 else None

    def _known_topic(self, query: Query) -> bool:
        vocabulary = self.store.vocabulary
        return any(w in vocabulary or w.isdigit() for w in query.topic)

    def help(self, question: str, query: Query | None = None) -> Answer:
        """The short help text for questions the bot cannot place."""
        summary = (
            "I answer questions about HMICFRS inspections of the police forces of England and Wales and the "
            "fire and rescue services of England, quoting the documents word for word. Name a force, a fire "
            "service or a town, and what you want to know."
        )
        if query and query.topic and not query.matches:
            summary = f"I have no findings about \u201c{' '.join(query.topic)}\u201d. " + summary
        return Answer(question, "help", summary, suggestions=list(EXAMPLES))

    def _findings(self, *, organisations: list[str] | None, kinds: set[str], polarity: set[str], topic: list[str], newest_document_only: bool = False, engage: bool = False, rows: int | None = None) -> Selection:
        """Matching findings, newest document first and in document order within one; the database sorts,
        counts and limits, so a force with twenty thousand findings costs no more than one with twenty."""
        conditions = []
        matched = 0
        if topic:
            hits = self.store.search(topic, organisations, SEARCH_DEPTH)
            if not hits.ids:
                return EMPTY
            conditions.append(Finding.id.in_(hits.ids))
            matched = hits.total
        if organisations is not None:
            conditions.append(Finding.organisation_id.in_(organisations))
        kind_filter = Finding.kind.in_(kinds)
        if polarity:
            kind_filter = kind_filter | ((Finding.kind == Kind.context) & Finding.polarity.in_(polarity))
        conditions.append(kind_filter)
        if engage:
            conditions.append(Finding.status.is_not(None))
        newest_first = (Finding.published.desc().nulls_last(), Finding.document_id.desc(), Finding.start)
        with self.store.session() as session:
            if newest_document_only:
                newest = session.exec(select(Finding.document_id).where(*conditions).order_by(*newest_first).limit(1)).first()
                if newest is None:
                    return EMPTY
                conditions.append(Finding.document_id == newest)
            grouped = session.exec(select(Finding.kind, Finding.polarity, func.count()).where(*conditions).group_by(Finding.kind, Finding.polarity)).all()
            counts: dict[str, int] = {}
            for kind, pol, n in sorted(grouped, key=lambda g: KIND_ORDER.get(g[0], 9)):
                key = pol if kind == Kind.context else kind
                counts[key] = counts.get(key, 0) + n
            total = sum(counts.values())
            if not total:
                return EMPTY
            documents = session.exec(select(func.count(distinct(Finding.document_id))).where(*conditions)).one()
            window = rows if rows is not None else max((self.page + 1) * MAX_CITATIONS, PROVENANCE_WINDOW)
            found = list(session.exec(select(Finding).where(*conditions).order_by(*newest_first).limit(window)).all())
            orgs = []
            if organisations is None:
                latest = func.max(Finding.published)
                orgs = [o for o, _ in session.exec(
                    select(Finding.organisation_id, latest).where(*conditions, Finding.organisation_id.is_not(None))
                    .group_by(Finding.organisation_id).order_by(latest.desc())
                ).all()]
        return Selection(self._higher_provenance_first(found), total, counts, documents, orgs, matched)

    def _higher_provenance_first(self, findings: list[Finding]) -> list[Finding]:
        """Where documents repeat the same finding, show the report's wording before the press release's
        and the press release's before a news article's, at the place the first of them stood."""
        head = findings[:PROVENANCE_WINDOW]
        if len({f.document_id for f in head}) < 2:
            return findings
        with self.store.session() as session:
            ranks = dict(session.exec(select(Document.id, Document.rank).where(Document.id.in_({f.document_id for f in head}))).all())
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

    def _cite(self, findings: list[Finding]) -> list[Citation]:
        with self.store.session() as session:
            doc_ids = {f.document_id for f in findings}
            docs = {d.id: d for d in session.exec(select(Document).where(Document.id.in_(doc_ids))).all()}
        citations = []
        for f in findings:
            d = docs[f.document_id]
            ref = DocumentRef.of(d)
            org = self.org_ref(f.organisation_id) if f.organisation_id else None
            citations.append(Citation(f.text, f.kind, f.polarity, org, f.speaker, f.role, f.context, ref, f.start, f.end, f.id, f.label, f.deadline))
        return citations

    def about(self, query: Query, resolved: list[str], intent: str, notes: list[str]) -> Answer:
        """Findings about one or more resolved organisations."""
        refs = [self.org_ref(i) for i in resolved]
        names = " and ".join(r.name for r in refs)
        if not self.store.has_findings(resolved):
            return Answer(query.text, intent, f"I have no inspection findings for {names} yet.", refs, notes=notes)
        kinds, polarity = INTENT_KINDS[intent]
        findings = self._findings(organisations=resolved, kinds=kinds, polarity=polarity, topic=query.topic, newest_document_only=intent == "latest", engage=intent == "engage")
        if not findings and intent == "overview":
            # Nothing graded or criticised: show whatever the documents do say about it.
            kinds, polarity = INTENT_KINDS["topic"]
            findings = self._findings(organisations=resolved, kinds=kinds, polarity=polarity, topic=query.topic)
        noun = INTENT_NOUNS[intent]
        topic = self._topic_phrase(query)
        if not findings:
            if query.topic:
                summary = f"I have findings for {names}, but none {('among its ' + noun + ' ') if intent != 'topic' else ''}that mention {topic}."
            else:
                summary = f"I have no {noun} on record for {names}."
            return Answer(query.text, intent, summary, refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        shown = self._page_of(findings.rows)
        n_docs = findings.documents
        about = f" that mention {topic}" if query.topic else ""
        if intent == "latest":
            newest = self._cite(shown[:1])[0].document
            when = long_date(newest.published, "an unknown date")
            summary = f"The newest document I have on {names} is the {newest.label} of {when}. Its findings:"
        elif findings.capped:
            summary = f"{findings.matched:,} findings on {names} mention {topic}. {CAPPED}"
        else:
            heading = INTENT_HEADINGS[intent].format(names=names)
            summary = f"{heading}{about}: {tally(findings.counts)}, from {n_docs} document{'s' if n_docs != 1 else ''}, newest first."
        if intent == "grades":
            summary += " Grades from different inspection cycles are not comparable."
        return Answer(query.text, intent, summary, refs, self._cite(shown), notes=notes + self._correction_notes(query), more=self._more(findings.total), page=self.page)

    def across(self, query: Query, intent: str) -> Answer:
        """A topic across every organisation ("which forces need to improve 999 calls?")."""
        kinds, polarity = INTENT_KINDS.get(intent, INTENT_KINDS["topic"])
        if intent not in INTENT_KINDS:
            intent = "topic"
        findings = self._findings(organisations=None, kinds=kinds, polarity=polarity, topic=query.topic)
        topic = self._topic_phrase(query)
        noun = INTENT_NOUNS.get(intent, "findings")
        if not findings:
            return Answer(query.text, intent, f"I have no {noun} that mention {topic}.", notes=self._correction_notes(query))
        refs = [self.org_ref(o) for o in findings.organisations]
        who = ", ".join(r.name for r in refs[:MAX_NAMED]) or "no single organisation"
        if len(refs) > MAX_NAMED:
            who += f" and {len(refs) - MAX_NAMED} more"
        shown = self._page_of(findings.rows)
        summary = f"{noun.capitalize()} that mention {topic}: {tally(findings.counts)}, about {who}; newest first."
        if findings.capped:
            summary = f"{findings.matched:,} findings mention {topic}, about {who}. {CAPPED}"
        return Answer(query.text, intent, summary, refs, self._cite(shown), notes=self._correction_notes(query), more=self._more(findings.total), page=self.page)

    def compare(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Two organisations side by side: counts by kind and their newest findings."""
        refs = [self.org_ref(i) for i in resolved]
        kinds, polarity = INTENT_KINDS["compare"]
        per_org = MAX_CITATIONS // 2
        citations: list[Citation] = []
        parts = []
        for ref in refs:
            findings = self._findings(organisations=[ref.id], kinds=kinds, polarity=polarity, topic=query.topic, rows=per_org)
            if not findings:
                parts.append(f"{ref.name}: no inspection findings yet")
                continue
            parts.append(f"{ref.name}: {tally(findings.counts)}")
            citations += self._cite(findings.rows[:per_org])
        summary = "Side by side. " + "; ".join(parts) + "."
        if query.intent == "grades" or "grade" in query.text.lower():
            summary += " Grades from different inspection cycles are not comparable."
        return Answer(query.text, "compare", summary, refs, citations, notes=notes)

    def headlines(self, document_id: int, organisation_id: str, limit: int = 3) -> Answer:
        """The first findings of a newly ingested document about one organisation, for its followers."""
        kinds, polarity = INTENT_KINDS["overview"]
        with self.store.session() as session:
            stmt = select(Finding).where(Finding.document_id == document_id, Finding.organisation_id == organisation_id)
            stmt = stmt.where(Finding.kind.in_(kinds) | ((Finding.kind == Kind.context) & Finding.polarity.in_(polarity)))
            findings = list(session.exec(stmt.order_by(Finding.start)).all())
        ref = self.org_ref(organisation_id)
        citations = self._cite(findings[:limit])
        if not citations:
            return Answer("", "headlines", f"A new document mentions {ref.name}.", [ref])
        document = citations[0].document
        when = long_date(document.published, "undated")
        summary = f"New on {ref.name}: the {document.label} of {when}, with {tally(count_kinds(findings))}."
        return Answer("", "headlines", summary, [ref], citations, more=max(0, len(findings) - limit))

    def _page_of(self, rows: list[Finding]) -> list[Finding]:
        return rows[self.page * MAX_CITATIONS : (self.page + 1) * MAX_CITATIONS]

    def _more(self, total: int) -> int:
        return max(0, total - (self.page + 1) * MAX_CITATIONS)

    def _topic_phrase(self, query: Query) -> str:
        return "\u201c" + " ".join(query.topic) + "\u201d"

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


def answer(store: Store, question: str, *, page: int = 0, organisations: list[str] | None = None) -> Answer:
    """Answer one question from the store (see Answerer.answer)."""
    return Answerer(store).answer(question, page=page, organisations=organisations)
