"""Ranking selected findings: by relevance to the question's words, spread over organisations, and the
report's wording before a press release's or a news story's repeat of it (or the repeats left out)."""

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, utils

from knowledge.matching import normalise
from knowledge.models import Document, Finding, Kind, Polarity
from knowledge.questions.understanding import QUALIFIER, Query, Topic
from knowledge.state.search import Selection

PROVENANCE_WINDOW = 24  # findings (the first pages) compared with each other for repeated wording
SAME_FINDING = 88  # rapidfuzz token_set_ratio (0-100) above which two findings say the same thing
SAME_FINDING_DAYS = 90  # a press release or news story repeats a report within weeks, not years
WORDS = re.compile(r"[^\W_]+")  # a finding's words, as normalise() would split them (cheaper, for many findings)
SUMMARY = re.compile(r"(?:summary|verdict|conclusions?|overall|key findings)\b", re.I)  # headings that judge (see by_relevance)
SUMMARY_WEIGHT = 3.0
SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
# Across organisations a negative question shows the more serious findings of each first.
NEGATIVE_SERIOUSNESS = {Kind.cause_of_concern: 1.5, Kind.area_for_improvement: 1.0, Kind.recommendation: 0.75, Kind.grade: 0.5, Polarity.negative: 0.25}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem, enough to compare the words of a topic with those of a finding ("calls", "call";
    "burglaries", "burglary"; "recorded", "recording", "record"; "stopped", "stop")."""
    if len(word) > 4 and not word.isdigit():
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                root = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
                if suffix in ("ed", "ing") and len(root) > 3 and root[-1] == root[-2] and root[-1] not in "lsz":
                    root = root[:-1]  # "stopped", "stopping": "stop"
                return root
    return word


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in normalise(phrase).split())


def has_phrase(words: list[str], present: set[str] | frozenset[str], phrase: tuple[str, ...]) -> bool:
    """Whether the stemmed words (`present`: the same as a set) hold the stemmed phrase, in order."""
    if not phrase or not present.issuperset(phrase):
        return False
    n = len(phrase)
    return n == 1 or any(words[i : i + n] == list(phrase) for i in range(len(words) - n + 1) if words[i] == phrase[0])


_STEM_COUNTS: dict[int, tuple[dict[str, int], dict[str, int]]] = {}  # id(vocabulary) -> (it, its counts by stem): one entry


def stem_count(word: str, vocabulary: dict[str, int]) -> int:
    """How often the findings use the word in any of its forms ("search", "searches", "searched"), as the
    search index, which stems, matches it."""
    cached = _STEM_COUNTS.get(id(vocabulary))
    if cached is None or cached[0] is not vocabulary:
        counts: dict[str, int] = {}
        for w, n in vocabulary.items():
            counts[stem(w)] = counts.get(stem(w), 0) + n
        _STEM_COUNTS.clear()
        cached = _STEM_COUNTS[id(vocabulary)] = (vocabulary, counts)
    return cached[1].get(stem(word), 0)


def rarity(word: str, vocabulary: dict[str, int]) -> float:
    """How telling a word is: rare words more than common ones (numbers like 101 and 999 are rare)."""
    if word.isdigit():
        return math.log(1 + 10_000 / 20)  # "999", "101": telling, but no more than the words for the same thing
    return math.log(1 + 10_000 / (1 + vocabulary.get(word, 0)))


Terms = tuple[dict[str, float], list[tuple[tuple[str, ...], float]]]  # a topic's one-word terms (stem -> weight), and its longer phrases


def weigh(phrase: str, vocabulary: dict[str, int]) -> float:
    """A phrase tells as much as its rarest word, a little more for each word more ("non emergency calls")."""
    return max((rarity(w, vocabulary) for w in phrase.split()), default=0.0) + 0.5 * max(0, sum(len(w) > 3 for w in phrase.split()) - 1)


def terms_of(topic: Topic, vocabulary: dict[str, int]) -> Terms:
    """The topic's phrases, stemmed and weighed."""
    single: dict[str, float] = {}
    multi: list[tuple[tuple[str, ...], float]] = []
    for p in dict.fromkeys(topic.phrases):
        stems, w = phrase_words(p), weigh(p, vocabulary)
        if len(stems) == 1:
            single[stems[0]] = max(w, single.get(stems[0], 0.0))
        elif stems:
            multi.append((stems, w))
    return single, multi


def by_relevance(selection: Selection, query: Query, found: Sequence[Topic], vocabulary: dict[str, int], *, serious: bool = True
                 ) -> tuple[list[Finding], dict[int, float]]:
    """The rows, most relevant first: for each topic the most telling of its words a finding uses and a little for
    each other, the user's own words counting twice; people's statements after the inspectorate's findings; for an
    evaluative question, a document's summary and verdicts first. Among equals, with `serious`, the more
    serious kinds first; then the newest document first, in the document's order. `found`: the topics the
    selection matched."""
    topics = [*found, *(t for t in query.topics if t.label == QUALIFIER and t not in found)] or query.topics
    if not topics:
        return list(selection.rows), {}
    tables = [terms_of(t, vocabulary) for t in topics]
    own = [(phrase_words(t.words), weigh(t.words, vocabulary)) for t in topics]  # the user's own words count twice
    # Criticism first: what a reader of a topic across organisations looks for (not when strengths are asked)
    seriousness = NEGATIVE_SERIOUSNESS if serious and query.intent not in ("strengths", "grades", "statements") else {}
    evaluative = query.intent == "overview"

    def score(f: Finding) -> float:
        words = [stem(w) for w in WORDS.findall(f.text.lower().replace("&", " and ").replace("'", "").replace("\u2019", ""))]
        present = set(words)
        total = 0.0
        for (single, multi), (phrase, weight) in zip(tables, own, strict=True):
            held = sorted([single[w] for w in present.intersection(single)] + [w for p, w in multi if has_phrase(words, present, p)], reverse=True)
            total += sum(held[:1]) + 0.25 * sum(held[1:4])  # the most telling of the topic's words, and a little for each other
            if has_phrase(words, present, phrase):
                total += weight
        if evaluative and SUMMARY.match(f.label or ""):
            total += SUMMARY_WEIGHT  # "any good with children?": the document's summary and verdicts on it first
        if f.kind == Kind.statement and not (query.persons or query.role) and "inspector" not in (f.role or "").lower():
            total *= 0.6  # what people said about it, after what the inspectors found
        total += seriousness.get(f.kind if f.kind != Kind.context else f.polarity, 0.0)
        document = selection.documents.get(f.document_id)
        if document is not None and document.title and f.start < len(document.title) + 40 and f.text.strip().lower() == document.title.strip().lower():
            total /= 2  # a headline: the findings under it say the same with the details
        return total

    scores = {f.id: score(f) for f in selection.rows}
    newest = sorted(selection.rows, key=lambda f: (f.published is None, -(f.published.toordinal() if f.published else 0), -f.document_id, f.start))
    return sorted(newest, key=lambda f: -scores[f.id]), scores


VERDICT_TURNS = ("criticism", "praise", "grade", "other")  # an overview's kinds of finding, taken in turn; then people's statements


def verdict_turn(f: Finding) -> str:
    """Which of VERDICT_TURNS a finding is: how it was graded, criticised or praised, or what someone said."""
    if f.kind == Kind.grade:
        return "grade"
    if f.kind in (Kind.cause_of_concern, Kind.recommendation, Kind.area_for_improvement) or f.polarity == Polarity.negative and f.kind == Kind.context:
        return "criticism"
    if f.kind == Kind.strength or f.polarity == Polarity.positive and f.kind == Kind.context:
        return "praise"
    return "statement" if f.kind == Kind.statement else "other"


def in_turn(rows: Sequence[Finding]) -> list[Finding]:
    """An overview's rows (most serious first) taken a kind at a time: the most serious criticism, the best
    praise, a grade, then each one's next: "are they any good?" sees both sides on one page. People's statements
    follow them all, as an overview always had them: the inspectorate's own findings are its verdict."""
    places: dict[str, int] = {}
    keys = {}
    for i, f in enumerate(rows):
        turn = verdict_turn(f)
        n = places[turn] = places.get(turn, -1) + 1
        keys[f.id] = (len(rows), 0, i) if turn == "statement" else (n, VERDICT_TURNS.index(turn), i)
    return sorted(rows, key=lambda f: keys[f.id])


def mentioning_first(rows: Sequence[Finding], phrases: Sequence[str]) -> list[Finding]:
    """The rows that use one of the phrases first ("moved into Engage on 14 October"), each group in the order given."""
    wanted = [phrase_words(p) for p in phrases]

    def mentions(f: Finding) -> bool:
        words = [stem(w) for w in WORDS.findall(f.text.lower())]
        present = set(words)
        return any(has_phrase(words, present, p) for p in wanted)

    return sorted(rows, key=lambda f: not mentions(f))


def unsaid(rows: Sequence[Finding], topics: Sequence[Topic]) -> list[Topic]:
    """The known topics whose own words none of the rows uses: found only in the words documents use for them
    ("burglary" found as "investigations"), which the answer must say."""
    texts = [(w := [stem(x) for x in WORDS.findall(f.text.lower())], set(w)) for f in rows]
    return [t for t in topics if t.label and t.known and t.label != t.words and not any(has_phrase(w, p, phrase_words(t.words)) for w, p in texts)]


def spread(ranked: tuple[list[Finding], dict[int, float]], rounds: int = 2, *, national_first: bool = False) -> list[Finding]:
    """Rows reordered so that many organisations show: each organisation's best, in the order given, then
    each one's second best; then the rest in the order given. A finding much less relevant than the best
    waits for the rest. `national_first`: a question about the service as a whole ("what did the inspectorate
    say about vetting nationally") reads the national reports' relevant findings before any organisation's."""
    rows, scores = ranked
    top = max(scores.values(), default=0.0)
    seen: dict[str | None, int] = {}
    keys = {}
    for i, f in enumerate(rows):
        n = seen.get(f.organisation_id, 0)
        seen[f.organisation_id] = n + 1
        strong = scores.get(f.id, top) >= top / 2
        keys[f.id] = (-1, i) if strong and national_first and f.organisation_id is None else (n, i) if strong and n < rounds else (rounds, i)
    return sorted(rows, key=lambda f: keys[f.id])


def higher_provenance_first(findings: list[Finding], documents: dict[int, Document]) -> list[Finding]:
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
            if j not in placed and same_finding(finding, head[j], texts[i], texts[j])
        ]
        placed.update(group)
        ordered += sorted((head[j] for j in group), key=lambda f: -ranks.get(f.document_id, 1))
    return ordered + findings[PROVENANCE_WINDOW:]


def same_finding(a: Finding, b: Finding, text_a: str, text_b: str, *, exact: bool = False) -> bool:
    """Two documents repeating one finding: same organisation, published close together, same words (`exact`:
    word for word, as the same kind of finding, said by the same person, after the same lead-in)."""
    if a.document_id == b.document_id or a.organisation_id != b.organisation_id:
        return False
    if exact and (a.kind, a.speaker, a.role, (a.context or "").strip()) != (b.kind, b.speaker, b.role, (b.context or "").strip()):
        return False  # a chief constable's words a commissioner repeats, a list item that is praise in one and criticism in the other
    if a.published and b.published and abs((a.published - b.published).days) > SAME_FINDING_DAYS:
        return False
    return text_a == text_b if exact else fuzz.token_set_ratio(text_a, text_b) >= SAME_FINDING


def without_repeats(findings: list[Finding], *, exact: bool = False) -> tuple[list[Finding], dict[int, list[Finding]]]:
    """The findings with each one that repeats an earlier one (a press release or news story repeating the
    report, see same_finding; `exact`: word for word) left out, and for each finding kept the repeats it stands
    for. Compared within the first PROVENANCE_WINDOW findings, as higher_provenance_first does."""
    head = findings[:PROVENANCE_WINDOW]
    texts = [utils.default_process(f.text) for f in head]
    kept: list[int] = []
    also: dict[int, list[Finding]] = {}
    for i, finding in enumerate(head):
        first = next((k for k in kept if same_finding(head[k], finding, texts[k], texts[i], exact=exact)), None)
        if first is None:
            kept.append(i)
        else:
            also.setdefault(head[first].id, []).append(finding)
    return [head[k] for k in kept] + findings[PROVENANCE_WINDOW:], also
