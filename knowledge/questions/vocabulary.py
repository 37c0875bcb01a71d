"""The word lists questions are read with: knowledge/data/understanding.toml and synonyms.toml, read once."""

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property

from knowledge import lexicon
from knowledge.matching import FIRE_WORDS, POLICE_WORDS

DATA = lexicon.DATA


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of knowledge/data/understanding.toml and synonyms.toml, read once."""

    filler: frozenset[str]
    cues: dict[str, dict[str, float]]  # phrase -> {intent: weight}
    margin: float
    specificity: tuple[str, ...]
    roles: dict[str, str]
    documents: dict[str, tuple[str, ...]]
    followup_starts: tuple[str, ...]
    followup_refers: frozenset[str]
    followup_changes: frozenset[str]  # "when did that change?": the change of what the last answer was about, no topic of its own
    older: frozenset[str]
    topics: dict[str, tuple[str, tuple[str, ...]]]  # term -> (label, every term of its topic)
    kind_words: dict[str, tuple[str, ...]]  # intent -> the words documents use when they report that kind of finding
    topic_kinds: dict[str, str]  # a topic's label -> the one kind of organisation that deals with it (police | fire)
    report_words: dict[str, tuple[str, ...]]  # intent -> the words a report uses when it says what it made of that kind
    explain: dict[str, tuple[str, ...]] = field(default_factory=dict)  # [explain]: asks, subjects, explaining, written_sayers, say_verbs
    why_engage: dict[str, tuple[str, ...]] = field(default_factory=dict)  # [why_engage]: entered, exited (words of each)
    superlatives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # [superlatives]: best ("the best in the country")
    counting: dict[str, tuple[str, ...]] = field(default_factory=dict)  # [counting]: asks, ends, numbers ("how many forces ...")
    when_inspected: tuple[str, tuple[str, ...]] = ("", ())  # [when_inspected]: (label, phrases) of "when did inspectors visit X"
    progress_asked: dict = field(default_factory=dict)  # [progress_asked]: opens, now, changed, weight ("Is X ... now?")
    document_kinds: dict[str, str] = field(default_factory=dict)  # [document_kinds]: a kind of document -> police | fire
    peel_cycles: dict[str, str] = field(default_factory=dict)  # [peel_cycles]: a cycle's first year -> its years ("2023 25")

    @cached_property
    def phrases(self) -> frozenset[str]:
        """Every phrase with a meaning of its own: these words never fuzzy-match a place."""
        return frozenset(self.cues) | frozenset(self.roles) | frozenset(self.documents) | frozenset(self.topics)

    @cached_property
    def protected(self) -> frozenset[str]:
        """Filler and every word of a phrase: matched as names only exactly, never fuzzily."""
        return self.filler | frozenset(w for p in self.phrases for w in p.split())

    @cached_property
    def spellable(self) -> list[str]:
        """Single words with a meaning of their own, that a misspelling should be read as."""
        single = {w for p in self.phrases for w in p.split() if len(w) >= 4 and not w.isdigit()}
        return sorted(single | {w for w in POLICE_WORDS | FIRE_WORDS if len(w) >= 4})

    @cached_property
    def longest(self) -> int:
        """Words in the longest phrase of any table."""
        return max(len(p.split()) for table in (self.cues, self.roles, self.documents, self.topics, self.older) for p in table)


@cache
def vocabulary() -> Vocabulary:
    """The understanding data files, parsed once per process."""
    data = tomllib.loads((DATA / "understanding.toml").read_text(encoding="utf-8"))
    cues: dict[str, dict[str, float]] = {}
    for intent, weights in data["cues"].items():
        for phrase, weight in weights.items():
            cues.setdefault(phrase, {})[intent] = float(weight)
    synonyms = tomllib.loads((DATA / "synonyms.toml").read_text(encoding="utf-8"))
    topics: dict[str, tuple[str, tuple[str, ...]]] = {}
    for topic in synonyms["topics"].values():
        terms = tuple(dict.fromkeys(topic["terms"]))
        for term in terms:
            topics.setdefault(term, (topic["label"], terms))  # a term in two topics means the first
    follow = data["followup"]
    return Vocabulary(
        filler=lexicon.FILLER,
        cues=cues,
        margin=float(data["margin"]),
        specificity=tuple(data["specificity"]),
        roles=dict(data["roles"]),
        documents={k: tuple(v) for k, v in data["documents"].items()},
        followup_starts=tuple(sorted(follow["starts"], key=len, reverse=True)),
        followup_refers=frozenset(follow["refers"]),
        followup_changes=frozenset(follow["changes"]),
        older=frozenset(follow["older"]),
        topics=topics,
        kind_words={k: tuple(v) for k, v in data["kind_words"].items()},
        topic_kinds={t["label"]: t["kind"] for t in synonyms["topics"].values() if "kind" in t},
        report_words={k: tuple(v) for k, v in data["report_words"].items()},
        explain={k: tuple(v) for k, v in data["explain"].items()},
        why_engage={k: tuple(v) for k, v in data["why_engage"].items()},
        counting={k: tuple(v) for k, v in data["counting"].items()},
        superlatives={k: tuple(v) for k, v in data["superlatives"].items()},
        when_inspected=(data["when_inspected"]["label"], tuple(data["when_inspected"]["phrases"])),
        progress_asked={k: v for k, v in data["progress_asked"].items()},
        document_kinds=dict(data["document_kinds"]),
        peel_cycles=dict(data["peel_cycles"]),
    )
