"""How the inspectorate's monitoring and grading work, asked with no organisation named ("what does engage mean", "how
does the scan and engage thing work", "how are police forces graded in PEEL"): the documents' own sentences about no
organisation in particular on Engage or on grades, those that read as an explanation ("when a force ...", "may",
"consists of") first. A question about where anyone stands ("which forces are in Engage") is not this (standing.py)."""

import re
from dataclasses import replace
from functools import cache

from knowledge.questions.selecting import KIND_TOPIC, RANKED, Reading, find, select
from knowledge.questions.understanding import Query, Topic
from knowledge.questions.vocabulary import vocabulary
from knowledge.state.search import Selection

SUBJECTS = {"engage": "Engage", "grades": "grades"}  # the intents explained, as the topic is named
SAME = 0.7  # words two sentences share, of all their words, to be one repeated


@cache
def _words(name: str) -> re.Pattern:
    """Words of a sentence that explains rather than reports (understanding.toml [explain] explaining, defining)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in vocabulary().explain[name]) + r")\b", re.I)


def explaining(text: str) -> int:
    """How much a sentence explains: its explaining words, and its defining words twice."""
    return len(_words("explaining").findall(text)) + 2 * len(_words("defining").findall(text))


def explained(reading: Reading, query: Query) -> Selection | None:
    """The sentences about no organisation that explain what the question asks about (Engage, or grades), the most
    explanatory first; None when the question is not about those or no document explains them."""
    intent = query.intent if query.intent in SUBJECTS else "engage" if "engage" in query.text.lower() else None
    if intent is None:
        return None
    topics = (Topic(SUBJECTS[intent], vocabulary().kind_words[intent], KIND_TOPIC),)
    found = find(reading, topics, [], national=True)
    if not found.ids:
        return None
    asked = replace(query, topics=topics, intent="topic")
    selection = select(reading, asked, [], "topic", found, rows=RANKED, national=True)
    if not selection:
        return None
    ranked = sorted(selection.rows, key=lambda f: -explaining(f.text))  # stable: relevance breaks ties
    kept: list = []
    seen: list[set[str]] = []
    for f in ranked:  # one sentence many pages repeat, nearly word for word ("stages" or "phases"): its first
        words = set(re.findall(r"[a-z]+", f.text.casefold()))
        if not any(len(words & other) >= SAME * len(words | other) for other in seen):
            kept.append(f)
            seen.append(words)
    return replace(selection, rows=kept)
