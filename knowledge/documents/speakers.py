"""Who is speaking: a speaker's name and role from an attribution ("Chief Constable Jo Bloggs said"), and whose
words each part of a paragraph is, across paragraphs (a quotation that runs on, "he added", a surname met again).
"""

import heapq
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from knowledge.documents.names import NAME, NAME_WORD, ROLE_PATTERNS, Person, not_a_name_word, speaker_of
from knowledge.documents.quotations import GLUED, NEXT_OPENS, QUOTE_MARKS, QUOTING, comma_ends, open_quotation, quotation_close, unopened_close
from knowledge.documents.structure import sentence_end, sentences, starts_sentence
from knowledge.lexicon import INSPECTOR_ROLES, NOT_NAMES, ROLES, SAYING, TITLES, alternation
from knowledge.matching import MentionFinder

# "the two chief inspectors wrote", "the inspector's summary said": an inspector's own words, not the report's account
INSPECTORS_AS_PEOPLE = re.compile(r"\b(?:chief )?inspectors\b|\bHM Inspectors?\b|\binspector['\u2019]s (?:summary|foreword|letter|observations|comments)\b", re.I)
# "told a meeting of the panel: “...”": told whom, with no other source among the words ("told reporters she disagreed with the report: “...”")
OTHER_SOURCE = rf"(?:{alternation(SAYING)}|that|which|read|reads|inspectors?|inspectorate|agreed|concluded|found|stated)"
TOLD_WHOM = rf"told(?=(?:\s+(?!{OTHER_SOURCE}\b|reports?\b)[\w'\u2019&-]+){{1,12}}:\s*[\u201c\"])"
SAID = (rf"(?:told (?:the |a )?[A-Z][\w']*(?: [A-Z][\w']*)*|{TOLD_WHOM}|{alternation(SAYING)}|continues(?=[,:]))")  # "The service continues to improve" says nothing
# "<who> said:", "<who> said that ...", "<who>, chief constable of X, said ..."; "X has said", "he also added": a verb of judging
# ("praised", "blamed") attributes only after an auxiliary, and "has written" only to a quotation ("has written to X: “...")
JUDGED = r"(?:praised|blamed|criticised|criticized|called|thanked|written(?=[^.:\u201c\u201d\"]{0,60}:\s*[\u201c\"]))"
CALLED = r"called(?= (?:it|them|the \w+|(?:his|her|their) \w+) [\u2018\u201c\"'])"  # "X called the findings ‘a tribute to the crews’"
VERB = rf"(?:(?:has|have|had)\s+)(?:also\s+)?(?:{SAID}|{JUDGED})|(?:also\s+)?(?:{SAID}|{CALLED})"
LEAD = re.compile(rf"(?P<who>[^\n\u201c\u201d\"]{{2,160}}?),?\s+(?P<verb>{VERB})(?P<that>\s+(?:that|in a statement|in the report))?\s*(?P<colon>[:,])?\s*")
# Between a verb of saying and its quotation: "told reporters on Monday: “...", never "accepted the report, which read: “...”"
OTHER_SOURCE_WORD = re.compile(rf"\b{OTHER_SOURCE}\b", re.I)
TO_QUOTE = re.compile(r"(?:[^\s.:\u201c\u201d\"]+\s+){0,11}[^\s.:\u201c\u201d\"]+:\s*(?=[\u201c\"])")
SAYS = re.compile(rf"\b(?:{SAID}|(?:has|have|had) (?:also )?{JUDGED}|{CALLED})\b")  # cheap test before LEAD, whose lazy who-part is costly
# after a quotation: ', said Chief Constable X.' or ', he added.'
WHEN_SAID = r"\s+(?:as|when|while)\s+(?:he|she|they)\s+[a-z][^.,\u201c\u201d\"!?]{2,60}"  # "..., he said as he launched the report."
AFTER = re.compile(rf"\s*,?\s*(?:{SAID}\s+(?P<who1>[^.\u201c\"!?]{{2,120}}?)|(?P<who2>[^.\u201c\",!?]{{2,80}}?)\s+{SAID})\s*(?:[.,:]|$)")
AFTER_WHEN = re.compile(rf"\s*,?\s*(?P<who>(?:he|she|they|[A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*){{0,3}}))\s+{SAID}{WHEN_SAID}\s*(?:[.]|$)")  # (only after a comma)
# after a quotation: ', one victim told the inspectors.' is the teller's (or no one's), never the speaker running before it
TOLD_AFTER = re.compile(r"\s*,?\s*(?P<who>(?:[\w'\u2019-]+ ){0,4}[\w'\u2019-]+)\s+(?:has |had )?told\s+[a-z][\w\s'\u2019-]{0,60}?(?:[.,:]|$)")
SCARE_WORDS = 3  # words in quotation marks that the sentence goes on from in lower case: the writer's own ('"Inadequate" grades were ...')
SCARE_GOES_ON = re.compile(r" (?!(?:he|she|they|it|said|says|added|told|one|a|an|another)\b)[a-z]")
ACCORDING = re.compile(rf"According to (?P<who>[^,]{{3,120}}(?:, {NAME_WORD}(?: {NAME_WORD}){{1,2}})?),\s*")
PRONOUNS = {"he", "she"}
INSPECTORATE = re.compile(
    r"\b(?:reports?|HMICFRS|HMIC|inspectorate|inspectors?|inspection|watchdog|they|findings?|HM Inspectorate)\b|His Majesty.s Inspectorate|Her Majesty.s Inspectorate", re.I
)
FIRST_PERSON = re.compile(r"\b(?:we|our|us|I|my)\b", re.I)
SENTENCE_IN = re.compile(r"[a-z)][.!?]\s+[A-Z]")
# "Commissioner Praises Report The Kent Police and Crime Commissioner": a headline run into the sentence under it
RUN_TOGETHER = re.compile(r"[A-Za-z](?<!\bof)(?<!\bat)(?<!\bin)(?<!\bfor)(?<!\bto)(?<!\bby) The\s")
DOCUMENT_SPEAKS = re.compile(r"(?:the|this|a|its|their|our) (?:latest |new |full )?(?:report|inspection|letter|review|findings?|assessment)\b", re.I)
NOT_A_NAME = re.compile(r"\b(?:has|have|had|was|were|is|are|been|will|would|can|could)\b")  # a clause, not a name
FIRE_TOO = re.compile(r"\bPolice,? Fire (?:and|&) Crime Commissioner\b|\bPFCC\b", re.I)  # serves both services
VICTIM_BEFORE = re.compile(r"\b(?:murders?|deaths?|killings?|killed|murdered|disappearance|abduction|funeral|memory|family|victims?) of\s+$", re.I)  # never who said it
BODY = re.compile(r"(?:(?:the|a) )?(?:force|service|brigade|constabulary)(?:['\u2019]s)?(?: statement)?")  # "the force", "a service statement"
IN_A_STATEMENT = re.compile(r"^in a (?:short |brief |joint |written )?statement,?\s+(?:on \w+,?\s+)?", re.I)  # "In a statement the force said:"
ONE_NAME = re.compile(NAME_WORD)
FORMERLY = re.compile(r"\b(?:(?:moved|switched|transferred|joined|came over)\s+from|(?:formerly|previously)\s+(?:of|at|with))\s+(?:the\s+)?$", re.I)  # not their body now
# Capitalised words before a surname that are no first name: ranks and sentence openers ("Sergeant Williams", "When Williams")
NOT_FIRST_NAMES = frozenset("sergeant detective inspector constable superintendent professor doctor officer chief deputy assistant "
                            "when while after before yesterday today however but and the".split())
TITLED_SURNAME = re.compile(rf"^(?:{alternation(TITLES)})\s+([A-Z][\w'\u2019-]+)$")
ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)
SPOKES_NAMED = re.compile(r"\s*(?:a|an|the)\s+(?:[\w'\u2019-]+\s+){0,3}spokes(?:person|man|woman)\b", re.I)  # "..., a force spokesman"
ON_BEHALF = re.compile(r"(?:On behalf of|For)\s", re.I)
SPOKES = re.compile(r"\bspokes(?:person|man|woman)\b", re.I)
DISCOURSE = re.compile(r"^(?:however|but|and|also|meanwhile|yet|still),?\s+", re.I)
# "Rating the provision as good for its effectiveness, chief inspector Jo Sample said:": the clause is the writer's.
BARE_COMMISSIONER = re.compile(r"(?:the\s+)?Commissioner\s+[A-Z]")  # "Commissioner Jo Sample": no "Victims'", "Information" before it
NO_PCC = frozenset({"metropolitan", "city-of-london", "british-transport-police"})  # their Commissioner (or chief) is no PCC
# Someone said to speak in a paragraph: "..., she said", "said PCC Sam Roe", "Sam Roe says" (not "I want to say ...")
ATTRIBUTED = re.compile(rf"[,.!?][\u2019'\u201d\"]?\s+(?:he|she|they)\s+(?:{SAID})\b|\b(?:said|says|added)\s+(?:the\s+)?(?:[a-z]+\s+){{0,2}}[A-Z]|\b[A-Z][a-z]+ [A-Z][a-z'\u2019-]+,?\s+(?:{SAID})\b")
LAST_PIECE = re.compile(r",\s+([^,]{2,80}),\s+$")  # a clause's last piece between commas: "..., the Victims' Commissioner, "
PARTICIPLE = re.compile(r"[A-Z][a-z]+ing\b[^\n]{3,150},\s+(?=[^,]{2,80}$)")  # (the clause may hold commas: "A, B and C, chief ...")
# "In a letter to the chief fire officer, Jo Sample, Sam Roe says ...": the one written to is not the one speaking
RECIPIENT = re.compile(r"(?:In an? (?:letter|email|message|note) to|Writing to|Speaking to)\b[^\n]{3,150},\s+(?=[^,]{3,80}$)")
FROM = re.compile(r"(?:(?:Below|Here) is |Read )?(?:An? |The |the |a )?(?:full |complete )?(?:[Ss]tatement|[Cc]omment|[Qq]uote|[Rr]esponse) (?:from|by) "
                  r"(?P<who>[^\n:\u201c\u201d\"]{2,120}?)(?:\s+(?:on|about|in response to) [^\n:\u201c\u201d\"]{2,80})?\s*:\s*")  # "Statement from X:", "Below is the full statement from X on ...:"
# A person as a sentence's subject: "Jo Sample highlighted ...", "Ms Sample doubts ..."
SUBJECT = re.compile(rf"(?P<name>(?:{alternation(TITLES)})\s+{NAME_WORD}|{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\s+(?P<verb>[a-z][\w'\u2019]*)")
PLACES_AND_BODIES = frozenset("street road council court station hospital university college school board trust agency centre house park".split())
# The words that may stand between a role and the name it introduces: "Chief Fire Officer at Westshire Fire and
# Rescue Service (WFRS), Jo Sample", "Jo Sample, the county's chief constable"
BESIDE = re.compile(r"[A-Z(&][\w()&'\u2019.-]*,?|(?:the|a|an|of|at|for|and|in|on|to|its|their)\b,?|,|[\w'\u2019]+['\u2019]s,?")
WRITER_TURNS = re.compile(r"(\s[\u2013\u2014-]\s+)but (?:the (?:force|service|constabulary|brigade)|it|inspectors|the inspectorate|the report)\b", re.I)
# A sentence that introduces someone by role and name ("HM Inspector Jo Sample has responsibility for the force."): a "He said:" after it means them
INTRODUCES = re.compile(r"\b(?:Inspector|Chief|Commissioner|Mayor|Officer|Councillor|spokes\w+|MP)\b")


def lead_at(text: str, start: int, end: int) -> re.Match | None:
    """LEAD at start, tried only when a verb of saying comes soon enough for it to match."""
    if not SAYS.search(text, start, min(end, start + 200)):
        return None
    return LEAD.match(text, start, end)


def _teller(after: re.Match) -> str:
    """Who a quotation's attribution after it names (AFTER's or TOLD_AFTER's)."""
    groups = after.groupdict()
    return groups.get("who1") or groups.get("who2") or groups["who"]


@dataclass(frozen=True)
class Run:
    """A stretch of a paragraph and whose words it is: a person's, or (who is None) the inspectorate's or the writer's own."""

    start: int
    end: int
    who: Person | None
    reported: bool = False  # "X said that ...": reported speech, one clause, not a quotation


@dataclass
class Cast:
    """The people a document quotes, met in order: known by surname, and who spoke last (for "he" and "she")."""

    mentions: MentionFinder
    subject: str | None  # the organisation the document is about
    people: dict[str, Person] = field(default_factory=dict)  # surname -> person
    first_names: dict[str, Person] = field(default_factory=dict)  # first name -> person
    last: Person | None = None
    source: Person | None = None  # whose words the last attribution gave: what "It added" means, when no one by name
    spoke_last: bool = False  # no sentence of the writer's since that attribution: "They said:" may still mean its spokesperson
    text: str = ""  # the document's text: where "Ms Williams" finds the full name written before ("Wendy Williams highlighted ...")
    open_quote: bool = False  # the speaker carried into the next paragraph is inside a quotation still open (not after "X said:")
    at: int = 0  # where the paragraph being read starts

    def resolve(self, who: str | None, current: Person | None, *, remember: bool = True, quoting: bool = False) -> Person | None:
        """The person (or spokesperson) an attribution names; None for the inspectorate, the report or nobody. "It"
        is the last attribution's source when that was no one by name (a force, the inspector's summary), else nobody."""
        if who is None:
            return current
        bare = DISCOURSE.sub("", who.strip().strip(",")).lower()
        if bare == "it":
            return self.source if self.source is not None and self.source.name is None else None
        if bare == "they" and self.spoke_last and self.source is not None and self.source.name is None and SPOKES.search(self.source.role or ""):
            return self.source  # "A spokesperson for Westshire Police said ..." / "They said: “...”": the spokesperson again
        person = self._resolve(who, current, remember=remember, quoting=quoting)
        if remember:
            self.source, self.spoke_last = person, True
            if person is not None and person.name:  # "Mr Noble told the radio ...", met before by name: "He said" next is his
                self.last = person
        return person

    def _resolve(self, who: str, current: Person | None, *, remember: bool, quoting: bool) -> Person | None:
        who = IN_A_STATEMENT.sub("", DISCOURSE.sub("", who.strip().strip(",")))  # "However, he added ..."
        if who.lower() in PRONOUNS:
            return self.last
        if len(who.split()) > 25 or NOT_A_NAME.search(who) or SENTENCE_IN.search(who) or DOCUMENT_SPEAKS.match(who) or RUN_TOGETHER.search(who):
            return None  # "Dame X quit. Ms Patel": two sentences, not one attribution; "The report, by HM Inspector X, ...": the report's
        name, role = speaker_of(who)
        if role == "Commissioner" and BARE_COMMISSIONER.match(who) and self.subject not in (None, *NO_PCC) and self.mentions.reference.organisations[self.subject].kind == "police":
            role = "Police and Crime Commissioner"  # "Commissioner Jo Sample said" on a county force's page: its PCC (the Met's is its chief)
        if name and (at := who.find(name)) > 0 and VICTIM_BEFORE.search(who[:at]):  # "... the murder of Jo Sample"
            return None
        if role is None and INSPECTORATE.search(who) and not name:
            return self._inspectors(who) if quoting and INSPECTORS_AS_PEOPLE.search(who) else None
        if role is None and BODY.fullmatch(who.lower()):
            return Person(None, "spokesperson", self.subject)
        bare = re.sub(r"\s*\([^)]*\)", "", who)  # "The X Fire and Rescue Service (XFRS)": initials may be another's too
        named_org = {m.organisation_id for m in self.mentions.find(bare) if m.strong and not m.shared and not FORMERLY.search(bare, 0, m.start)} or self._served(who, role)
        if role == "spokesperson":
            # "A spokesperson for Greater Manchester Police": the role names the body, not a person ("for Norfolk and
            # Suffolk constabularies": no one body); a clause before it is the writer's ("In response to the rating, a
            # spokesman for the service"), neither the role nor whose
            comma = who.rfind(",", 0, SPOKES.search(who).start())
            if comma >= 0 and SPOKES_NAMED.match(who, comma + 1) and not NAME.fullmatch(who[:comma].strip()):
                behalf = ON_BEHALF.match(who)  # "On behalf of Sussex Police, a spokesperson said": whose spokesperson the clause says
                who = who[comma + 1 :].strip()
                named_org = {m.organisation_id for m in self.mentions.find(who) if m.strong and not m.shared} or self._served(who, role) \
                    or (named_org if behalf else set())
            return Person(None, ARTICLE.sub("", who), next(iter(named_org)) if len(named_org) == 1 else None)
        name = self._personal_name(name)
        if name is None and role is None:
            return self._unnamed(who, named_org)
        surname = who.split()[-1].lower() if name is None else ""
        if surname in self.people and self.people[surname].role in (None, role):  # "said TCC Nixon": Rob Nixon, named before
            return self.people[surname]
        if name is None and role is not None:  # "The Chief Constable said": the one person named before with that role
            holders = {id(p): p for p in self.people.values() if p.name and (p.role or "").lower() == role.lower() and (not named_org or p.organisation_id in named_org)}
            if len(holders) == 1:
                return next(iter(holders.values()))
        return self._named(name, role, named_org, remember=remember)

    def _named(self, name: str | None, role: str | None, named_org: set[str], *, remember: bool) -> Person:
        """A person with a name or a role: one met before by surname, or a new one (remembered, unless asked not to)."""
        if name and role is None:
            known = self.people.get(name.split()[-1].lower())
            if known:
                return known
        person = Person(self._full_name(name) if name and role is None else name, role, next(iter(named_org), None) if len(named_org) == 1 else None)
        if remember:
            self.last = person
            if name:
                self.people.setdefault(name.split()[-1].lower(), person)
                self.first_names.setdefault(name.split()[0].lower(), person)
        return person

    def _full_name(self, name: str) -> str:
        """"Ms Williams", first quoted after the text named "Wendy Williams" in a sentence that quoted no one: the full
        name, as it was written (one full name only; otherwise the name as given)."""
        titled = TITLED_SURNAME.match(name)
        if not titled or not self.text:
            return name
        surname = titled.group(1)
        before = self.text[: self.at]  # written before these words, never after them
        found = {m.group(1) for m in re.finditer(rf"\b({NAME_WORD}) {re.escape(surname)}\b", before)
                 if m.group(1) not in TITLES and m.group(1).lower() not in NOT_NAMES and m.group(1).lower() not in NOT_FIRST_NAMES}
        return f"{found.pop()} {surname}" if len(found) == 1 else name

    def _served(self, who: str, role: str | None) -> set[str]:
        """"Chief Fire Officer for Suffolk": the organisations of the role's kind (police, fire) that serve the
        county it names, when it names one only by its place."""
        kind = None if FIRE_TOO.search(who) else next((r.kind for name, r in ROLES.items() if role and (role == name or role.endswith(f" {name}"))), None)
        reference = self.mentions.reference
        places = [reference.places.get(who[m.start : m.end]) for m in self.mentions.find(who)] if kind else []
        return {o for place in places if place for o in place.organisations if reference.organisations[o].kind == kind}

    def _inspectors(self, who: str) -> Person:
        """"the two chief inspectors wrote that Kent had 'a well-run ...'": the inspectors' quoted words."""
        fire = self.subject and self.mentions.reference.organisations[self.subject].kind == "fire"
        return Person(None, INSPECTOR_ROLES[1] if fire else INSPECTOR_ROLES[0], None)

    def _personal_name(self, name: str | None) -> str | None:
        """"Mayor of Greater Manchester Helen Brightwater": the name is what follows the place;
        "Cleveland Fire Brigade's chief fire officer": an organisation, not a name."""
        if name and self.mentions.find(name):
            tail = name[self.mentions.find(name)[-1].end :].split()
            return " ".join(tail) if len(tail) >= 2 else None
        return name

    def _unnamed(self, who: str, named_org: set[str]) -> Person | None:
        """No name and no role: an organisation speaking, or "Mr Doe" met before by surname."""
        if len(named_org) == 1 and len(re.sub(r"\([^)]*\)", "", who).split()) <= 6:  # "The Westshire Fire and Rescue Service (WFRS)"
            return Person(None, "spokesperson", next(iter(named_org)))
        surname = TITLED_SURNAME.match(who)
        if surname and surname.group(1).lower() in self.people:
            return self.people[surname.group(1).lower()]
        if ONE_NAME.fullmatch(who):  # "..., says Helen.": a person met before, by first name or surname
            return self.people.get(who.lower()) or self.first_names.get(who.lower())
        return None

    def introduce(self, words: str) -> None:
        """Remember the person a sentence names by role and name, for a "He said:" that follows: only a name that stands
        beside its role ("Chief Fire Officer Jo Sample", "Jo Sample, the chief fire officer"), never one the sentence
        ties to another's role ("the mayor, Jo Sample, thanked Chief Fire Officer Sam Roe") or a report's author."""
        name, role = speaker_of(words)
        if not name or not role or len(name.split()) > 4 or DOCUMENT_SPEAKS.match(words):
            return
        at = words.find(name)
        if at < 0:
            return
        spoken = next(m for pattern, _ in ROLE_PATTERNS if (m := pattern.search(words)))
        between = words[spoken.end() : at] if at >= spoken.end() else words[at + len(name) : spoken.start()]
        if len(between.split()) <= 12 and all(BESIDE.fullmatch(w) for w in between.split()):
            self._named(name, role, set(), remember=True)

    def notice(self, words: str) -> None:
        """A sentence whose subject is a person ("But Jo Sample doubts ...", "Jo Sample highlighted ...") makes them the
        one a following "she said" means: someone met before by the same name, or a new full name before a past tense;
        anyone else as the subject leaves "she" to no one."""
        subject = SUBJECT.match(DISCOURSE.sub("", words.strip()))
        name = subject.group("name") if subject else ""
        if not name or any(not_a_name_word(w) or w.lower() in PLACES_AND_BODIES for w in name.split()) or self.mentions.find(name) or name in self.mentions.reference.places:
            return  # no person: an organisation, a place or a building ("Westshire Council approved ...")
        titled = TITLED_SURNAME.match(name)
        known = self.people.get((titled.group(1) if titled else name.split()[-1]).lower())
        if known is not None and (titled or known.name == name):
            self.last = known
        elif known is None and not titled and " " in name and subject.group("verb").endswith("ed"):
            self._named(name, None, set(), remember=True)
        else:
            self.last = None  # someone else, not known well enough to quote: "he" is no longer the one before

    def report_lead(self, text: str, start: int, end: int) -> int | None:
        """Where quoted words begin after a lead that names nobody ("The report also said that 'there are not
        enough ...'"), so that only the report's words are quoted; else None."""
        lead = lead_at(text, start, end)
        if lead and text[lead.end() : lead.end() + 1] in ("\u201c", "\u2018", "\"", "'") and self.resolve(lead.group("who"), None, remember=False) is None:
            return lead.end()
        return None

    def runs(self, text: str, start: int, end: int, pending: Person | None) -> tuple[list[Run], Person | None]:
        """Whose words each part of the paragraph text[start:end] is, in order (quotations with their speakers,
        reported speech, and the inspectorate's own sentences between them); and the speaker whose quotation
        runs on into the next paragraph, if any. `pending` is the one whose quotation ran on into this one."""
        self.at = start
        walk = _Walk(self, text, start, end, pending, in_quotation=self.open_quote)
        self.open_quote = False
        pos = walk.run_on(start) if pending is not None else start
        while pos < end:
            while pos < end and text[pos].isspace():
                pos += 1
            if pos >= end:
                break
            pos = walk.step(pos)
        return walk.runs, walk.carried


class _Walk:
    """One paragraph's attribution (Cast.runs): each step reads what starts at a position and moves past it.
    Sentences are split once per paragraph; every step moves forward through them (linear time)."""

    def __init__(self, cast: Cast, text: str, start: int, end: int, pending: Person | None, *, in_quotation: bool = False) -> None:
        self.cast, self.text, self.start, self.end = cast, text, start, end
        self.in_quotation = in_quotation  # the pending speaker's quotation is still open (see Cast.open_quote)
        self.speaker = pending
        self.carried: Person | None = None
        self.runs: list[Run] = []
        self.spans = sentences(text, start, end)
        self.starts, self.ends = [s for s, _ in self.spans], [e for _, e in self.spans]
        self.glued = [m.end() for m in GLUED.finditer(text, start, end)]  # pull quotes glued to an attribution, found once

    def run_on(self, pos: int) -> int:
        """A quotation left open at the end of the last paragraph that runs on into this one without a new opening mark
        (“We are proud ... / And we will do more ...”): the words up to its closing mark are still the speaker's."""
        text = self.text
        while pos < self.end and text[pos].isspace():
            pos += 1
        close = unopened_close(text, pos, self.end)
        if close is None:
            if self.in_quotation and text[pos].islower() and not any(mark in text[pos : self.end] for mark in QUOTE_MARKS + "\u201d"):
                # "... in keeping people safe" / "and reducing crime.": the quotation's sentence, broken by a stray line (its
                # first sentence only; what follows is read as any sentence is)
                stop = sentence_end(self.ends, pos, self.end)
                self.runs.append(Run(pos, stop, self.speaker))
                if stop >= self.end:
                    self.carried, self.cast.open_quote = self.speaker, True
                return stop
            if not any(mark in text[pos : self.end] for mark in QUOTE_MARKS + "\u201d") and not ATTRIBUTED.search(text, pos, self.end):
                return self._unmarked(pos)
            return pos
        self.runs.append(Run(pos, close, self.speaker))
        return close + 1

    def _unmarked(self, pos: int) -> int:
        """A paragraph with no quotation marks and no one said to speak in it, after "X said:" or inside X's quotation:
        X's when it opens in the first person (a block quotation whose marks the page dropped), or when X's quotation of
        several paragraphs opens again after it (one paragraph lost its marks; the quotation goes on)."""
        nxt = NEXT_OPENS.match(self.text, self.end) if self.in_quotation else None
        line_end = self.text.find("\n", nxt.end()) if nxt else -1
        goes_on = nxt is not None and not ATTRIBUTED.search(self.text, nxt.end(), line_end if line_end >= 0 else len(self.text))  # no one else's
        if not goes_on and not FIRST_PERSON.search(self.text, pos, sentence_end(self.ends, pos, self.end)):
            return pos
        self.runs.append(Run(pos, self.end, self.speaker))
        if self.in_quotation:
            self.carried, self.cast.open_quote = self.speaker, True
        return self.end

    def step(self, pos: int) -> int:
        """Read what starts at pos; where the next step starts."""
        text = self.text
        if text[pos] in QUOTE_MARKS:
            return self._quotation(pos)
        lead = (lead_at(text, pos, self.end) or FROM.match(text, pos, self.end)) if pos == self.start or text[pos - 1] in " \n" or GLUED.match(text, pos - 1) else None
        according = ACCORDING.match(text, pos, self.end)
        if according:
            stop = self._according(according)
            if stop is not None:
                return stop
        if lead and starts_sentence(text, self.start, pos):
            stop = self._led(lead)
            if stop is not None:
                return stop
        said_after = self._said_after(pos)
        if said_after is not None:  # "The force must improve, says the federation's secretary.": the words are theirs, as told
            self.runs.append(Run(pos, said_after[1], said_after[0], reported=True))
            return said_after[1]
        # The inspectorate's (or the writer's) own sentences, up to the next attribution.
        stop = self._next_attribution(pos)
        if GLUED.match(text, stop - 1) and len(text[pos : stop - 1].split()) >= 4 and text[pos : stop - 1] in text[stop : self.end]:
            return stop  # a pull quote the quotation after it repeats: page furniture, not a sentence of its own
        self.runs.append(Run(pos, stop, None))
        self.cast.spoke_last = False
        for s, e in self.spans[max(bisect_right(self.ends, pos), 0) :]:
            if s >= stop:
                break
            self.cast.notice(text[max(s, pos) : min(e, stop)])
            if INTRODUCES.search(text, max(s, pos), min(e, stop)):
                self.cast.introduce(text[max(s, pos) : min(e, stop)])
        return stop

    def _quotation(self, pos: int) -> int:
        """'"We accept it," said X.': the quotation is X's (or, unattributed, the current speaker's)."""
        text, end = self.text, self.end
        close = quotation_close(text, pos, end)
        if close + 2 < end and len(text[pos + 1 : close].split()) <= SCARE_WORDS and SCARE_GOES_ON.match(text, close + 1, end):
            # '"Inadequate" grades were given to ...': a word in quotation marks inside the writer's sentence, no one's quotation
            stop = sentence_end(self.ends, close + 1, end)
            self.runs.append(Run(pos, stop, None))
            return stop
        comma = comma_ends(text, pos, close, end)
        after = (AFTER.match(text, close + 1, end) or (comma and (TOLD_AFTER.match(text, close + 1, end) or AFTER_WHEN.match(text, close + 1, end))) or None) if close < end else None
        who = self.cast.resolve(_teller(after) if after else None, self.speaker)
        if who is not None:
            self.runs.append(Run(pos + 1, close, who))
            self.speaker = who
            if close >= end:
                self.carried, self.cast.open_quote = who, True
        else:
            self.runs.append(Run(pos, min(close + 1, end), None))
        return after.end() if after else close + 1

    def _according(self, according: re.Match) -> int | None:
        """"According to X, ...": the rest of the sentence is X's, when X is a person."""
        who = self.cast.resolve(according.group("who"), None)
        if who is None:
            return None
        stop = sentence_end(self.ends, according.end(), self.end)
        self.runs.append(Run(according.end(), stop, who))
        return stop

    def _led(self, lead: re.Match) -> int | None:
        """"X said:", "X said that ...", "X, chief constable of Y, said ...": what follows is X's, when X is a person."""
        text, end = self.text, self.end
        stop = sentence_end(self.ends, lead.end(), end)
        clause = PARTICIPLE.match(text, lead.start("who"), lead.end("who"))
        if clause and NOT_A_NAME.search(clause.group()) and lead.group("colon") != ":" and not text[lead.end() : stop].strip(" .\n"):
            clause = None  # "Bringing in new officers had been vital, he added.": his sentence, said at its end, not the writer's clause
        recipient = None if clause else RECIPIENT.match(text, lead.start("who"), lead.end("who"))
        opens = (clause or recipient).end() if clause or recipient else lead.start("who")
        piece = LAST_PIECE.search(text, clause.start(), clause.end()) if clause else None
        held_name, held_role = speaker_of(piece.group(1)) if piece else (None, None)  # the clause's last piece: a role, no one's name
        if held_role is not None and held_name is None and speaker_of(text[opens : lead.end("who")])[1] is None \
                and (text[lead.end("who") : lead.end("who") + 1] == "," or speaker_of(text[clause.start() : piece.start()])[0] is None):
            opens = piece.start(1)  # "Commenting on the report, the Victims' Commissioner, Jo Sample, said": the role is the speaker's
        words = text[opens : lead.end("who")]
        who = self.cast.resolve(words, self.speaker, quoting=bool(QUOTING.search(text[lead.end() : stop])))
        if who is None:
            return None
        if clause:
            self.runs.append(Run(lead.start(), opens, None))
        rest = lead.end()
        if rest >= end:
            self.carried = who  # "X said:" ends the paragraph: the quotation follows
            return end
        to_quote = TO_QUOTE.match(text, rest, end)
        if to_quote and not NOT_A_NAME.search(to_quote.group()) and not OTHER_SOURCE_WORD.search(to_quote.group()):  # "X wrote to the chief constable setting out: “...": X's own words
            rest = to_quote.end()
        if text[rest] in QUOTE_MARKS:
            self.speaker = who
            close = quotation_close(text, rest, end)
            self.runs.append(Run(rest + 1, close, who))
            if close >= end:
                self.carried, self.cast.open_quote = who, True
            return close + 1
        # Reported speech is the publisher's account of what was said: the whole sentence, "X said" and all, up to a
        # dash that turns to the writer's own contrast ("X said she is proud of the changes – but the force has been
        # told it still needs to improve ...").
        stop = sentence_end(self.ends, rest, end)
        turn = WRITER_TURNS.search(text, rest, stop)
        self.runs.append(Run(opens if clause else lead.start(), turn.start() if turn else stop, who, reported=True))
        return turn.start() + len(turn.group(1)) + len("but ") if turn else stop

    def _next_attribution(self, pos: int) -> int:
        """Where the next sentence that quotes or names a speaker starts (or the paragraph's end); a pull quote glued to
        the attribution after it ('... we keep people safe"Chief Fire Officer Jo Sample said: ...') ends where its mark closes."""
        # Both in order, read lazily from where the walk is: each step reads on, not the whole rest of the paragraph (a
        # hostile one-line file of many sentences stays linear)
        glued = ((self.glued[i], self.glued[i]) for i in range(bisect_left(self.glued, pos), len(self.glued)))  # (where, counted from)
        after = ((self.starts[i], pos) for i in range(bisect_right(self.starts, pos), len(self.starts)))
        for s, since in heapq.merge(after, glued):
            if self.text[s] in QUOTE_MARKS and since == pos:
                return s
            lead = lead_at(self.text, s, self.end)
            if lead and since == pos and s > pos and DISCOURSE.sub("", lead.group("who").strip()).lower() in PRONOUNS:
                self._read_before(pos, s)  # "HMI Jo Sample expressed disappointment ... He said: “...”": he is the one just named
            if lead and not open_quotation(self.text, since, s) and self.cast.resolve(lead.group("who"), None, remember=False) is not None:
                return s
            if since == pos and self._said_after(s, remember=False) is not None:
                return s
        return self.end

    def _read_before(self, pos: int, stop: int) -> None:
        """Meet the people the writer's sentences between pos and stop name, as the walk does after them (Cast.notice,
        Cast.introduce), so that a "he said" right after them means the one they name."""
        for s, e in self.spans[max(bisect_right(self.ends, pos), 0) :]:
            if s >= stop:
                break
            self.cast.notice(self.text[max(s, pos) : min(e, stop)])
            if INTRODUCES.search(self.text, max(s, pos), min(e, stop)):
                self.cast.introduce(self.text[max(s, pos) : min(e, stop)])

    def _said_after(self, pos: int, *, remember: bool = True) -> tuple[Person, int] | None:
        """A sentence without quotation marks that ends by naming who said it (", says X.", ", X said."): X and where
        the sentence ends, when X is a person or a force."""
        stop = sentence_end(self.ends, pos, self.end)
        words = self.text[pos:stop]
        comma = words.rfind(", ")
        if comma < 0 or any(mark in words for mark in QUOTE_MARKS + "\u201d"):
            return None
        after = AFTER.fullmatch(self.text, pos + comma, stop)
        who = self.cast.resolve(after.group("who1") or after.group("who2"), None, remember=remember) if after else None
        return (who, stop) if who is not None else None
