"""Names and roles in an attribution: "Her Majesty's Inspector of Constabulary Roy Wilsher" is Roy Wilsher, HM
Inspector of Constabulary; "former UKIP PCC candidate Henry Bolton" is Henry Bolton, with no role he holds. Used by
knowledge.documents.speakers (whose words each part of a paragraph is) and the mastheads.
"""

import re
from dataclasses import dataclass

from knowledge.lexicon import NOT_NAMES, ROLES_WRITTEN, TITLES, alternation

ROLE_PATTERNS = [(re.compile(pattern, re.I if any_case else 0), role) for pattern, role, any_case in ROLES_WRITTEN]  # in order
NAME_WORD = r"[A-Z](?:['\u2019][A-Z]|a?c[A-Z])?[a-z\u00e0-\u00f6\u00f8-\u00ff\u2019']+(?:-[A-Z]?[a-z\u00e0-\u00f6\u00f8-\u00ff\u2019']+)*"  # accented names too: "Zo\u00eb", "O\u2019Donovan"
# A first name written as initials ("BJ Harrington", "B.J. Harrington"), not a rank or a body ("PC Smith", "MP", "HM")
INITIALS = r"(?<![A-Za-z.])(?!(?:PC|DC|DS|DI|MP|UK|HM|QC|KC|OK|TV|NHS|ACC|DCC|NPCC)\b)(?:[A-Z]{2}(?=\s)|(?:[A-Z]\.\s?){1,3})"
NAME = re.compile(rf"(?:(?:{alternation(TITLES)})\s+)?(?:{INITIALS}\s*{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}|{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})")
RANK_INITIALS = {"D": "Deputy", "A": "Assistant"}  # "DCC", "ACC"
PERSON_NEXT = re.compile(rf"\s*{NAME_WORD}\s+{NAME_WORD}")  # a name right after a role ("mayor Ben Houchen"), not "for Luton South"


@dataclass
class Person:
    name: str | None
    role: str | None
    organisation_id: str | None = None


BODY_WORDS = frozenset({"authority", "board", "committee", "panel", "trust", "council", "member", "members", "commission", "partnership"})


def not_a_name_word(word: str) -> bool:
    return word.lower().strip("\u2019'") in NOT_NAMES or word.endswith(("\u2019s", "'s"))


def _name_in(part: str) -> str | None:
    """The first person's name in a piece of an attribution (not "Kent Police" or "Chief Constable"): in a run of
    capitalised words, the words after the last that is no name ("His Majesty's Inspector Michelle Skeer")."""
    pos = 0
    while (m := NAME.search(part, pos)) is not None:
        words = list(re.finditer(r"\S+", m.group()))
        # a body's word before others ("Scrutiny Panel Member Jo Sample") is no name's; last ("Tom Board"), it may be
        bad = [i for i, w in enumerate(words) if not_a_name_word(w.group()) or (w.group().lower() in BODY_WORDS and i < len(words) - 1)]
        if not bad and not all(w.group().lower() in BODY_WORDS for w in words):  # "... Police Authority Board, Jo Sample,": a body, then the name
            return m.group().strip()
        if not bad:
            pos = m.end()
            continue
        tail = words[bad[-1] + 1 :]
        pos = m.start() + (tail[0].start() if tail else m.end() - m.start())  # the name may go on past NAME's four words, or open with a title
    return None


NOT_HELD_BEFORE = re.compile(r"\b(?:former|prospective|would-be|aspiring)\s+(?:(?-i:[A-Z])[\w-]*\s+){0,2}$|\bex-\s*(?:(?-i:[A-Z])[\w-]*\s+){0,2}$"
                             r"|\bcandidate\s+(?:for|to be)\s+(?:the\s+)?$", re.I)  # a role the speaker does not hold now
NOT_HELD_AFTER = re.compile(r"\s*(?:candidate|hopeful|nominee|elections?|election campaign|race)\b", re.I)  # "stood in the PCC elections"


def speaker_of(who: str) -> tuple[str | None, str | None]:
    """(name, role) from an attribution such as "Her Majesty's Inspector of Constabulary Roy Wilsher"."""
    rest = who.strip().strip(",")
    for pattern, label in ROLE_PATTERNS:
        m = pattern.search(rest)
        if m:
            before = re.sub(r"^(?:the|a|an)\s+", "", rest[: m.start()].strip(" ,"), flags=re.I)
            after = rest[m.end() :]
            unheld = NOT_HELD_AFTER.match(after)  # "former UKIP PCC candidate Henry Bolton": not the commissioner
            after = after[unheld.end() :] if unheld else after
            # "Tees Valley mayor Ben Houchen": the words before a role that runs on into a name are its place
            place_first = "," not in rest[: m.start()] and PERSON_NEXT.match(after) is not None
            name = (_name_in(after) if place_first else None) or _name_in(before) or _name_in(after)
            rank = m.groupdict().get("rank")
            if unheld or NOT_HELD_BEFORE.search(rest[: m.start()]):
                return name, None
            return name, f"{RANK_INITIALS.get(rank, rank.capitalize())} {label}" if rank else label  # a deputy is not the chief
    return _name_in(re.sub(r"^(?:the|a|an)\s+", "", rest, flags=re.I)), None
