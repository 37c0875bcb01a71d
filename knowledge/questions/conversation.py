"""Conversation: a follow-up read against the chat's last question, giving one complete Query.

"and Suffolk?" takes the last question's kind of answer and words; "what about burglaries" its organisations;
"compare with Kent" its organisation, on its topic; "and the police?" the same place, the other kind. A chat's
context keeps only ids, the intent and words the documents or our word lists use, never the message text, so the
last question is understood again from those words, once per answer. Paging ("More") reads an answer again
from what the Answer records, the same way.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from knowledge.models import ChatContext
from knowledge.questions import wording
from knowledge.questions.answers import Answer
from knowledge.questions.resolving import counterpart
from knowledge.questions.selecting import INTENT_KINDS
from knowledge.questions.understanding import Query, Understander
from knowledge.questions.vocabulary import vocabulary
from knowledge.reference import Reference

KEPT_WORDS = re.compile(r"(?:since|after|before|last|this|past|year|older|\d{4})")  # the words of dates a context may keep
AGAIN_WORDS = re.compile(r"[\w']{1,40}")  # what a button's words may hold


@dataclass(frozen=True)
class LastQuestion:
    """What the chat asked last, from its stored context: its organisations, kind of answer and words (understood)."""

    organisations: tuple[str, ...]  # those the reference still knows
    intent: str | None
    query: Query | None  # its words, understood; None when it kept none
    kind: str | None  # the kind of organisation it was about: a name it left open ("and Kent?") means that kind


@dataclass(frozen=True)
class Turn:
    """What this turn of the chat asks: the complete question, the organisations it is about, and the notes that
    say what was taken from the last question."""

    query: Query
    organisations: tuple[str, ...]
    notes: tuple[str, ...] = ()


def hear(understander: Understander, question: str, context: ChatContext | None, reference: Reference) -> tuple[Query, LastQuestion | None]:
    """The question understood on its own, and the chat's last question beside it (for follow())."""
    return understander.understand(question), recall(understander, context, reference)


def recall(understander: Understander, context: ChatContext | None, reference: Reference) -> LastQuestion | None:
    """The chat's last question, its words understood once."""
    if context is None:
        return None
    query = understander.understand(context.topic) if context.topic else None
    stored = context.organisations.split()
    if stored:
        kind = reference.organisations[stored[0]].kind if stored[0] in reference.organisations else None
    else:  # after a question across forces, "and Kent?" means Kent Police
        kind = query.kind if query else None
    return LastQuestion(tuple(o for o in stored if o in reference.organisations), context.intent, query, kind)


def follow(query: Query, organisations: tuple[str, ...], notes: tuple[str, ...], last: LastQuestion | None, reference: Reference,
           known: Mapping[str, int]) -> Turn:
    """Read a follow-up against the chat's last question: its organisations, and its topic and kind when the
    follow-up names neither. `organisations`: those the question's own names resolved to; `known`: the
    documents' words."""
    if last is None:
        return Turn(query, organisations, notes)
    previous = last.organisations
    asks_something = asks(query, known)
    if not organisations and previous and asks_something and not (query.listing and not query.followup):  # "what's the worst thing they said"
        return _same_organisations(query, notes, last, reference)
    if compares_with_another(query, organisations, previous):
        # "compare with Kent": the last question's organisation, on its topic
        topics = query.topics or (last.query.topics if last.query else query.topics)
        return Turn(replace(query, topics=topics), (previous[0], organisations[0]), notes)
    if query.followup and not query.topics and not query.intent and (organisations or not previous):
        query = take_over(query, last)  # "and Suffolk?"; after a question across organisations, "older ones"
    if not organisations and not previous and not query.kind and last.query and asks_something:
        query = replace(query, kind=last.query.kind)  # "what about 999 calls" after "which forces ..."
    if not organisations and not previous and query.persons and not query.topics and not query.documents and last.query and (last.query.topics or last.query.documents) \
            and ENDS_SAYING.search(query.text):
        # "burglary report 2022" / "what did Cooke say?": in that report, on that topic
        query = replace(query, topics=last.query.topics, documents=last.query.documents, document_words=last.query.document_words,
                        dates=query.dates or last.query.dates)
        notes = (*notes, wording.on_last_topic())
    return Turn(query, organisations, notes)


ENDS_SAYING = re.compile(r"\b(?:say|said|says|think|thinks|thought)\W*$", re.I)  # "what did Cooke say?": nothing asked after the verb


def asks(query: Query, known: Mapping[str, int]) -> bool:
    """Whether a question asks something a follow-up can carry: a topic the documents know ("qwzx plorf" continues
    nothing), a kind of answer, dates, a speaker, a kind of document, or words that refer back ("and ...?")."""
    topical = any(t.label or t.words in known for t in query.topics)
    return bool(query.followup or topical or query.intent or query.dates or query.role or query.persons or query.documents)


def compares_with_another(query: Query, organisations: tuple[str, ...], previous: tuple[str, ...]) -> bool:
    """"compare with Kent" after a question about another organisation."""
    one = len(organisations) == 1 and organisations[0] not in previous
    return bool(one and previous and query.intent == "compare" and not query.others)


def _same_organisations(query: Query, notes: tuple[str, ...], last: LastQuestion, reference: Reference) -> Turn:
    """A follow-up that names no organisation ("what about burglaries"): about the last question's."""
    previous = list(last.organisations)
    if query.kind:  # "and the police?", "what about the fire service there": the same place, the other kind
        previous = [o if reference.organisations[o].kind == query.kind else counterpart(reference, o, query.kind) for o in previous]
        previous = [o for o in previous if o]
    if not previous:
        return Turn(query, (), notes)
    if not query.topics and not query.intent:
        query = take_over(query, last)
    elif last.intent == "engage" and asks_when_it_changed(query):
        query = replace(query, intent="engage", topics=())  # "are they still in special measures?" / "so when did that change?": the Engage dates
    elif query.intent == "progress" and not query.topics and last.query:  # "has it improved?": on the last question's topic
        query = replace(query, topics=last.query.topics, dates=query.dates or last.query.dates)
    elif query.dates is None and last.query and last.query.dates and query.followup and not query.older:
        # "bedfordshire police 2017" / "what was wrong with them?": them, then
        query = replace(query, dates=last.query.dates)
    names = " and ".join(reference.name_of(o) for o in previous)
    return Turn(query, tuple(previous), (wording.from_last_question(names), *notes))


def asks_when_it_changed(query: Query) -> bool:
    """"so when did that change?", "when did it happen?": when the last answer's matter changed (read as the newest
    document, or as progress, on its own); no topic of its own."""
    when = query.intent == "latest" or (query.intent == "progress" and "when" in query.text.casefold().split())
    return when and all(t.words in vocabulary().followup_changes for t in query.topics)


def take_over(query: Query, last: LastQuestion) -> Query:
    """A follow-up with the last question's kind of answer and words ("and Suffolk?", "older ones")."""
    previous = last.query or Query("")
    return replace(
        query,
        intent=last.intent if last.intent in INTENT_KINDS else None,
        topics=query.topics or previous.topics,
        dates=query.dates or previous.dates,
        role=query.role or previous.role,
        role_words=query.role_words or previous.role_words,
        documents=query.documents or previous.documents,
        document_words=query.document_words or previous.document_words,
    )


def remembered(turn: Turn, result: Answer, known: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """What the chat's context keeps of this turn: the organisations it was about, and its words."""
    # An answer across organisations lists many, but was about none: its follow-ups ("what about 999 calls",
    # "older ones") go across organisations again
    about = [o.id for o in result.organisations][:4] if turn.organisations else []
    if not about and turn.query.persons and len(result.organisations) == 1:
        about = [result.organisations[0].id]  # "what did Richard Cooper say": his force, for "and what did the commissioner say?"
    # "which forces ...": the kind it was about (else that of the organisation listed first)
    kind = [turn.query.kind or result.organisations[0].kind] if not turn.organisations and result.organisations else []
    return about, known_words(result.topic, known) + kind


def known_words(words: list[str], known: Mapping[str, int]) -> list[str]:
    """The words of a question that the documents or our word lists use: what a chat's context may keep
    (never other words the user typed)."""
    vocab = vocabulary()
    listed = set(vocab.topics) | set(vocab.roles) | set(vocab.documents)
    return [w for w in words if w in listed or all(t in known or KEPT_WORDS.fullmatch(t) for t in w.split())]


def pages_across(intent: str, organisations: list[str]) -> bool:
    """Whether an answer's organisations are those a topic across organisations listed, not those it was about."""
    return len(organisations) > 2 and intent not in ("compare", "overview", "latest")


def reread(understander: Understander, reference: Reference, intent: str, organisations: list[str], topic: list[str]) -> Query | None:
    """The question of an answer, from what the Answer records (its intent, organisations and words), for its
    next page; None when those are not ours."""
    orgs = [o for o in organisations if o in reference.organisations]
    words = [w for phrase in topic for w in phrase.split() if AGAIN_WORDS.fullmatch(w)][:12]
    if intent not in INTENT_KINDS or len(orgs) != len(organisations) or not (orgs or words):
        return None
    query = replace(understander.understand(" ".join(words)), intent=intent)
    if pages_across(intent, orgs):
        kinds = {reference.organisations[o].kind for o in orgs}
        query = replace(query, kind=query.kind or (kinds.pop() if len(kinds) == 1 else None))
    return query
