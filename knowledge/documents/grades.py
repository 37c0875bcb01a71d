"""Grades in tables and sentences: which areas a sentence grades and how ("Requires Improvement", "RI"), one row per
area under the inspectorate's name for it; sentences that count grades or report an earlier inspection's.

Every shape a grade is written in is one named pattern below, read in order by grades_in; the words (grades, areas,
their loose names) are in knowledge/data/grades.toml.
"""

import re
from functools import lru_cache

from knowledge.documents.areas import ADJECTIVE_PILLARS, ADVERB_PILLARS, AREA_NOUNS, AREA_START, NUMBER, PILLAR, PILLAR_WORD, area_names, is_area_name, split_areas
from knowledge.lexicon import GRADE_ABBREVIATIONS, GRADE_SPELLINGS, PILLARS, alternation

GRADE_WORDS = alternation(GRADE_SPELLINGS)  # "outstanding", ..., "requires improvement", "require improvement", ...
OPEN = "['\u2018\"\u201c]?"  # grade words are often in quotation marks: 'good'
CLOSE = "['\u2019\"\u201d]?"
# "good at understanding risk" alone is praise: a grade sentence without "graded" names one of the others.
UNMISTAKABLE_GRADES = alternation(words for words, grade in GRADE_SPELLINGS.items() if grade != "good")
# "people" is the fire pillar only where it is one ("its people", "efficiency and people"), never "the right people with
# the right skills", "vulnerable people" or "keeping people safe" (checked in code: lookbehinds in PILLAR cost every search).
PEOPLE_BEFORE = re.compile(r"(?:\bits|\btheir|\band|,|['\u2019]s) $", re.I)
PEOPLE_AFTER = re.compile(r" (?:with|of|who|safe|in|from|at)\b", re.I)
GRADE_WORD = re.compile(rf"\b(?:{GRADE_WORDS})\b", re.I)
QUOTED_GRADE = re.compile(rf"['\u2018\"\u201c](?:{GRADE_WORDS})['\u2019\"\u201d]", re.I)
QUOTED_FIRST = re.compile(rf"(?:{GRADE_WORDS})['\u2019\"\u201d]", re.I)  # a bullet's, its opening mark trimmed: "good' at ..."
GRADED = re.compile(
    rf"\b(?:graded|rated|judged|assessed|deemed|classed)\b(?: (?:to be|as))?(?: (?:the force|the service|it|[A-Z][\w'\u2019]*(?: [A-Z&][\w'\u2019]*)*))?"
    rf"(?: (?:as|to be))?\s+{OPEN}(?P<grade>{GRADE_WORDS})\b", re.I)
# A count is no area: "in three areas", "in the other five areas", "in several areas", "in a recent inspection".
NOT_AN_AREA = (rf"(?!{NUMBER}\b|only\b|just\b|any\b|the rest\b|every\b|all\b|each\b|other\b|most\b|several\b|some\b|both\b|many\b|the other\b|the remaining\b"
               r"|more than\b|fewer than\b|less than\b|over half\b|half\b|a (?:third|quarter|majority)\b|the majority\b"
               r"|(?:its |the )?key (?:\w+ )?areas?\b"
               r"|(?:its|the|our|their|a|an|this|that|his|her) (?:[\w-]+ ){0,3}(?:inspections?|assessments?|reports?|year|area|visit|rounds?)\b)")
GRADE_AT = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS}){CLOSE}(?:\s+(?:ratings?|grades?|gradings?|judgements?|judgments?))?(?:\s+by (?:inspectors|the inspectorate|the watchdog|HMICFRS))?"
    rf"\s+(?:at|in|for|on|when it comes to)\s+(?:respect (?:of|to)\s+|the areas? of\s+|the categor(?:y|ies)(?: of)?\s+)?{NOT_AN_AREA}"
    r"(?P<area>(?:its |the |how )?[a-z\u2018'])", re.I)
GRADE_COUNT = re.compile(
    rf"\b(?:{GRADE_WORDS}){CLOSE} in (?:every area\b|all (?:\w+ )?areas\b|{NUMBER})(?: (?:of (?:the |its )?\w+ )?areas?\b|\b)"
    rf"|\b{NUMBER} {OPEN}(?:{GRADE_WORDS}){CLOSE}(?: (?:ratings?|grades?|judgements?|judgments?|areas?)\b|,| and\b)"
    rf"|\b{NUMBER} (?:of (?:the |its )?)?(?:\w+ )?areas? (?:were|was|are|is) (?:placed in|rated|graded|judged|found to be)(?: as)? {OPEN}(?:{GRADE_WORDS})", re.I)
PILLAR_GRADE = re.compile(
    rf"\b(?:{PILLAR})\b[^.;]{{0,70}}?\b(?:is|was|were|are|both|been|graded|rated|judged)\b"
    rf"(?: (?:graded|rated|judged|assessed))?(?: as| to be)?\s+{OPEN}(?P<grade>{GRADE_WORDS})",
    re.I,
)
GRADE_FOR_PILLAR = re.compile(rf"\b(?P<grade>{GRADE_WORDS}){CLOSE} (?:for|in|(?<=improvement )to) (?:its |their |the )?(?P<area>{PILLAR})\b", re.I)
# "It requires improvement in how it treats its staff", "... in the way it investigates crime": the area after "how".
# (a news page's "requires improvements to how it audits buildings and how it ..." says the same, each way an area)
REQUIRES_HOW = re.compile(r"\b(?P<grade>requires? improvement)(?P<plural>s)? (?:to|in) (?P<area>(?:how|the way) (?:it|the service|the force|they)\b[^.;:]{3,120})", re.I)
PILLAR_REQUIRES = re.compile(rf"\b(?P<area>{PILLAR})\s+(?P<grade>requires? improvement)\b", re.I)  # "its overall effectiveness requires improvement"
GRADE_PILLAR_RATING = re.compile(rf"{OPEN}\b(?P<grade>{GRADE_WORDS}){CLOSE} (?P<area>{PILLAR}) (?:rating|grade|judgement|judgment)\b", re.I)
PILLAR_ADJECTIVE = re.compile(
    rf"\b(?:(?:is|are|was|were|being) (?P<adjective>effective|efficient|legitimate) (?:at|in)\b|(?P<people>looks? after (?:its|their) (?:people|staff|workforce))\b"
    # ... or its adverb: "the extent to which the force operates efficiently and sustainably is good", "treats the public ... legitimately"
    rf"|extent to which (?:the |a )?(?:force|service|constabulary) (?:operates|works|treats\b[^.;]{{0,60}}?) (?P<adverb>efficiently|legitimately)\b)"
    rf"[^.;]{{0,120}}?\s(?:(?:is|was|are|were) (?:(?:graded|rated|judged|assessed) (?:as )?)?{OPEN}(?P<grade>{GRADE_WORDS})|(?P<requires>requires? improvement))\b", re.I)
GRADE_OVERALL = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS}){CLOSE} overall\b(?!\s+(?!(?:and|but|in|for|with|at|by|after|when|while|although|though|which|the|this|its)\b)[a-z]+\b)"
    rf"|\boverall (?:grade|grading|judgment|judgement|rating|assessment|effectiveness)\b(?!s?\s+areas?\b)[^.;]{{0,40}}?{OPEN}(?<!\bor\s)(?<!\bor\s['\u2018\"\u201c])\b(?P<grade2>{GRADE_WORDS})\b"
    rf"(?!{CLOSE}\s+or\s+{OPEN}(?:{GRADE_WORDS}))", re.I)
# ("Good overall approach to ...": an adjective before a noun grades nothing; "the overall judgement areas were graded
# 'good' or 'adequate'" counts areas, and one of two grades is none.)
# "The inadequate areas included A, B and C"; "the areas requiring improvement are A; B; C"; "Under the 'adequate' grade was: A; B"
GRADE_LIST = re.compile(
    rf"\b(?:the )?{OPEN}(?P<grade>{GRADE_WORDS}){CLOSE} (?:areas?|pillars?|grades?|ratings?|judgements?)\s+(?:included|include|includes|were|are|was|is)\b:?"
    r"(?!\s+(?:given|awarded|handed|issued|made|also)\b)"  # "'Inadequate' grades were given to three forces": to whom, not which areas
    rf"(?:\s*(?:one|two|three|\d+) for)?\s*(?P<areas>.+)$"
    rf"|\bareas? (?:in which [^.;:]{{3,60}}? (?:was|were|is|are) )?(?:(?:rated|graded|judged|found)(?: as| to be)? )?{OPEN}(?P<grade2>{GRADE_WORDS}){CLOSE}"
    rf"\s+(?:included|includes?|were|are|was|is)\b:?\s*(?P<areas2>.+)$"
    rf"|\bunder the {OPEN}(?P<grade3>{GRADE_WORDS}){CLOSE} (?:grade|rating|judgement|judgment) (?:was|were|are|is|came)\b:?\s*(?P<areas3>.+)$",
    re.I)
# "good or adequate in all areas, except investigating crime, where it requires improvement": only the exception is named.
GRADE_EXCEPT = re.compile(
    rf"\bin (?:all|every) (?:other )?areas?,? (?:except|apart from|other than|but)\s+(?P<area>[^,;]{{3,80}}?),? where (?:it|the force|the service)\s+"
    rf"(?:(?:was|is|were) )?(?:(?:rated|graded|judged)(?: as)? )?{OPEN}(?P<grade>{GRADE_WORDS})", re.I)
# "rated 'requires improvement' in five areas - including 'preventing fires'", "graded 'outstanding' in six areas by HMICFRS
# including preventing crime": the areas a count names.
COUNT_INCLUDING = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS}){CLOSE}(?: overall and)? in (?:(?:only |just |the |its |all )?(?P<count>{NUMBER})(?: (?:\w+ )?(?:areas?|pillars?))?"
    r"|(?:several|some|many|a number of|(?:its |the )?key) (?:\w+ )?areas)"
    r"(?: by [^.;,]{3,120}?)?"  # "... in six areas by His Majesty's Inspectorate ... (HMICFRS) including ..."
    r"(?:\s*[-\u2013\u2014:]\s*(?:including|such as|namely)?|,?\s+(?:including|such as|namely|assessing)"
    r"|(?P<which>,?\s+which (?:scrutini[sz]ed|assessed|examined|looked at|covered)(?: (?:its|their) ability to)?))\s+"
    r"(?P<areas>[^.;]+)", re.I)
# "Four categories were ranked 'adequate' - including 'preventing crime', ...", "Four areas of their work drew a 'good'
# score - A, B, C and D": a count of areas, their grade, then the areas (kept only when as many are named as counted).
COUNT_RATED_LIST = re.compile(
    rf"\b(?P<count>{NUMBER})(?: other| more| further)? (?:\w+ )?(?:areas?|categories|category|pillars?)(?: of (?:its|their|the \w+['\u2019]s) work)?\s+"
    rf"(?:(?:were|was|are|is)\s+(?:rated|ranked|graded|judged|assessed|classed|classes|deemed|found|given)(?: as| to be)?|drew|received|earned|got)\s+"
    rf"(?:an? |the )?{OPEN}(?P<grade>{GRADE_WORDS}){CLOSE}(?:\s+(?:score|rating|grade|judgement|judgment)s?)?"
    r"\s*(?:[-\u2013\u2014:,]\s*)?(?:including|such as|namely|these were|they were|:)?\s*(?P<areas>[^.;]+)", re.I)
# "'good' in all three categories of effectiveness, efficiency and people": a count of areas, then as many areas named;
# "'requires improvement' in every area: A, B and C": every area, then each of them named.
COUNT_OF = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS}){CLOSE},? (?:in|across) (?:(?:all |each of )?(?:the |its )?(?P<count>{NUMBER}) (?:\w+ )?(?:areas|categories|pillars|criteria|headings)"
    r"(?: of|:|\s[-\u2013\u2014])|(?:every|each|all) (?:areas?|categor(?:y|ies)|pillars?):)\s*(?P<areas>[^.;]+)", re.I)
# "rated Good - the second-best of four - on all counts", "the second highest grade of 'Good' across the board": the grade
# of every pillar the sentence names ("grouped under three headings - effectiveness, efficiency and legitimacy"), no other;
# only a grade given ("rated", "a grade of"), never "good progress across the board"
ACROSS_ALL = re.compile(
    rf"\b(?:(?:graded|rated|judged|assessed|deemed|classed)(?: (?:the (?:force|service|constabulary)|it|them|[A-Z][\w'\u2019]*(?: [A-Z&][\w'\u2019]*)*))?(?: as| to be)?"
    rf"|(?:grade|grading|rating|score) of)\s+{OPEN}(?P<grade>{GRADE_WORDS}){CLOSE}(?:[^.;]{{0,60}}?\s)?(?:across the board|on all counts|(?:in|across) all (?:three |four )?(?:of )?(?:its |the )?"
    r"(?:\w+ )?(?:areas|categories|criteria|pillars|headings))\b", re.I)
# "with only one, 'recording data about crime', judged to be good": an area in quotation marks between commas, then its
# grade (never "if 'investigating crime' is judged ...", "wanted 'X' judged to be ...")
QUOTED_AREA_GRADED = re.compile(
    rf",\s+[\u2018'\"\u201c](?P<area>[a-z][^\u2019'\"\u201d.;:]{{2,80}})[\u2019'\"\u201d],\s+(?:judged|rated|graded|assessed|ranked|deemed)"
    rf"(?: to be| as)?\s+{OPEN}(?P<grade>{GRADE_WORDS})\b", re.I)
QUOTES = re.compile(r"['\u2018\u2019\"\u201c\u201d]")
# "Preventing fire and risk, promoting values and culture were rated 'requires improvement'": areas before the verb, named
# by a gerund or by a noun ("Response to the public, investigation and leadership were rated ...", "TVP's protection of
# vulnerable people was rated inadequate").
AREAS_RATED = re.compile(
    rf"^(?:(?:however|but|meanwhile|also|and|while),?\s+)?(?:(?:its|their|(?:[\w-]+ ){{0,3}}?[\w-]+['\u2019]s) )?"
    rf"(?P<areas>(?:[a-z]+ing|how|the way|{AREA_NOUNS})\b[^.;:]{{0,200}}?)\s+(?:were|was|are|is)\s+(?:(?:all|both) )?"
    rf"(?:(?:rated|graded|judged|assessed|found to be|deemed)(?: as| to be)?(?: being in)?\s+(?:an? |the )?{OPEN}(?P<grade>{GRADE_WORDS})"
    rf"|given\s+(?:an? )?{OPEN}(?P<given>{GRADE_WORDS}){CLOSE}\s+(?:ratings?|grades?|gradings?|judgements?|judgments?|scores?)\b)", re.I)
# "... must do better at A, B and C, which were all rated inadequate": areas before a "which" that grades
# them all, from the first "in"/"at" that opens an area.
WHICH_WERE = re.compile(
    rf"(?P<areas>[^.;:]{{10,300}}?),? which (?:were|are|was|is) (?:all |both )?(?:judged|rated|graded|assessed|found)(?: to be| as| to)?\s+{OPEN}(?P<grade>{GRADE_WORDS})",
    re.I)
# "It improved how it answers calls and how it investigates crime, being graded 'good' in both areas": the two areas named
# before, from the first word that opens them ("in", "at", "improved") such that exactly two follow.
BOTH_AREAS = re.compile(
    rf"(?P<areas>[^.;:]{{5,200}}?),?\s+(?:being |and was |and were |were |was )?(?:graded|rated|judged)(?: as)?\s+{OPEN}(?P<grade>{GRADE_WORDS}){CLOSE}"
    r"\s+(?:in|for) both(?: areas| of them| of these)?\b", re.I)
BOTH_OPEN = re.compile(r"\b(?:in|at|on|including|improved|improving|strengthened)\s+", re.I)
AREAS_OPEN = re.compile(r"\b(?:in|at|on|including|namely)\s+(?=(?:[a-z]+ing|how)\b)", re.I)
# "Its prevention work was rated 'adequate', as was its support of the workforce": the area after "as was" shares the grade.
AS_WAS = re.compile(rf"\b(?P<grade>{GRADE_WORDS}){CLOSE}[,.]?{CLOSE},? as (?:was|were|is|are) (?P<area>[^.;:]{{3,120}})", re.I)
# "... such as Crime Data Integrity – rated good – were discussed": an area in title case, its grade between dashes
# or in brackets after it (never an organisation's name).
DASHED_GRADE = re.compile(
    rf"(?P<area>(?:[A-Z][\w'-]*\s+){{0,5}}[A-Z][\w'-]*)\s*(?:[\u2013\u2014]|\s-\s|\()\s*(?:graded|rated|judged|assessed)\s+(?:as\s+)?"
    rf"{OPEN}(?P<grade>{GRADE_WORDS}){CLOSE}\s*(?:[\u2013\u2014)]|\s-\s)")
ORGANISATION_WORDS = re.compile(r"\b(?:Police|Constabulary|Service|Services|Brigade|Rescue|Force|HMICFRS|Inspectorate)\b")
# Older PEEL's questions, a pillar "at" an area: "Its effectiveness at investigating crime and reducing re-offending also
# requires improvement" grades that area.
PILLAR_AT = re.compile(
    rf"\b(?:effectiveness|efficiency|legitimacy) (?:at|in) (?P<area>[^.;:]{{3,120}}?),? (?:also |still )?(?:(?:is|was) (?:(?:rated|graded|judged|assessed) (?:as )?)?"
    rf"{OPEN}(?P<grade>{GRADE_WORDS})|(?P<requires>requires? improvement))\b", re.I)
# "The way the force tackles serious and organised crime requires improvement"; "How it treats the public is good".
WAY_IS = re.compile(
    rf"^(?:(?:however|but|and|overall),?\s+)?(?:(?:inspectors|the inspectorate|HMICFRS|the report|they) (?:found|said|concluded) (?:that )?)?"
    rf"(?P<area>(?:the way|how)\b[^.;:]{{3,200}}?),?\s+(?:also\s+)?(?:(?:is|was)\s+(?:(?:rated|graded|judged|assessed)\s+(?:as\s+)?)?"
    rf"{OPEN}(?P<grade>{GRADE_WORDS})|(?P<requires>requires? improvement))\b", re.I)
# "Inspectors rated Kent Police's efficiency as good"; "Overall, the force's crime recording was judged to be inadequate".
ORGANISATION_NOUN = r"(?!(?:(?:police|fire(?: and rescue)?) )?(?:force|service|constabulary|brigade|police)\s)"  # "Westshire's fire service was rated ..."
POSSESSIVE_RATED = re.compile(
    rf"\b(?:rated|graded|judged|assessed|branded)\s+(?:the (?:force|service|constabulary|brigade)|its|their|[A-Z][\w-]*(?: [A-Z][\w-]*){{0,3}})['\u2019]s?\s+{ORGANISATION_NOUN}"
    rf"(?P<area>[a-z][\w -]{{2,60}}?)\s+(?:as|to be)\s+{OPEN}(?P<grade>{GRADE_WORDS})"
    rf"|^(?:(?:overall|however|but|meanwhile|also|and),?\s+)?(?:the (?:force|service|constabulary|brigade)|its|their|[A-Z][\w-]*(?: [A-Z][\w-]*){{0,3}})['\u2019]s?\s+"
    rf"{ORGANISATION_NOUN}(?P<area2>[a-z][\w -]{{2,60}}?)\s+(?:was|were|is|are)\s+(?:rated|graded|judged|assessed|found)(?: as| to be)?\s+{OPEN}(?P<grade2>{GRADE_WORDS})", re.I)
# A table row ("Responding to the public | Good"), a list line ("Future affordability \u2013 Good") or a flattened
# table's line ("Protecting vulnerable people Good", the grade capitalised).
GRADE_CELL = re.compile(rf"^(?P<area>[^|]{{2,120}}?)\s*(?:\||\s[\u2013\u2014-]|:)\s*{OPEN}(?P<grade>{GRADE_WORDS}|{alternation(GRADE_ABBREVIATIONS)}){CLOSE}\.?\s*$", re.I)
GRADE_LINE = re.compile(r"^(?P<area>[A-Z][^.|:;]{2,120}?)\s+(?P<grade>Outstanding|Good|Adequate|Requires [Ii]mprovement|Inadequate)\.?$")
AREA_STOP = re.compile(
    r"(?<!how and),?\s+(?:because|as|which|but|while|whilst|although|when|following|according|since|despite|where|however|whereas)\b"
    # "with" ends an area unless it is inside one ("the right people with the right skills", "treating the public with fairness")
    r"|(?<!\bpeople)(?<!\bengaging)(?<!\bpublic)(?<!\band),?\s+with\b(?!\s+(?:fairness|respect|the right skills)\b)"
    r"|\s+and (?:has|have|had|is|was|were|revealed|said|found|warned|added|noted|told|highlighted)\b|\s+including\b"
    r"|,\s+(?:noting|saying|adding|citing|describing|highlighting|stating)\b|(?<!look)(?<!looks)(?<!looking),?\s+after\b"
    r"|[.;:(]|\s[\u2013\u2014-]\s|,\s+(?:and\s+)?(?:the|it|he|she|they|that|this|there|inspectors?|HMICFRS|one|its work|a|an)\b"
    r"|\s+in (?:its|the|our|their|a|an) (?:[\w-]+ ){0,3}(?:inspections?|assessments?|reports?|year)\b"
    r"|\s+by (?:His|Her|HM|the (?:police )?inspectorate|the (?:police )?watchdog|HMICFRS|inspectors)\b|,\s+(?:in|on|at) (?:a|an|the|its)\b",
    re.I,
)


EARLIER_INSPECTION = re.compile(
    r"\b(?:(?:was|were) last inspected|(?:previous|prior|earlier|last) (?:inspection|report|peel inspection)s?\b(?! (?:published|released) (?:today|this week))"
    r"|previously (?:graded|rated|judged)|had (?:been|previously been) (?:graded|rated)"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? (?:ago|after|earlier)|back in (?:19|20)\d\d)",
    re.I,
)


def is_pillar(sentence: str, start: int, end: int) -> bool:
    """Whether the pillar word at sentence[start:end] names the pillar: "people" only as "its people", "... and people"."""
    if end - start != 6 or sentence[start:end].lower() != "people":
        return True
    return bool(PEOPLE_BEFORE.search(sentence, max(0, start - 8), start)) and not PEOPLE_AFTER.match(sentence, end)


def normalise_grade(words: str) -> str:
    """'Requires Improvement', 'require improvement', 'RI' -> 'requires_improvement'; the others lower-cased."""
    words = " ".join(words.lower().split())
    return GRADE_SPELLINGS.get(words) or GRADE_ABBREVIATIONS.get(words) or words


GRADE_ENDINGS = tuple(GRADE_SPELLINGS) + tuple(GRADE_ABBREVIATIONS)


def grade_cell(line: str) -> list[tuple[str, str]]:
    """A table row, list line or flattened table line that gives one area its grade."""
    if not line.rstrip(" .'\u2019\"\u201d").lower().endswith(GRADE_ENDINGS):
        return []  # (both shapes end with the grade: the cheap test first)
    cell = GRADE_CELL.match(line) or GRADE_LINE.match(line)
    if cell and len(cell.group("area").split()) <= 14:
        return [(cell.group("area").strip(" -\u2013\u2022"), normalise_grade(cell.group("grade")))]
    return []


def grades_in(sentence: str, *, graded: bool = False) -> list[tuple[str, str]]:
    """Every (area, grade) a sentence or table row states, one row per area; counts ("good in two areas") give none.
    `graded`: the sentence is known to give grades ("good at X" is then a grade, not praise)."""
    cell = grade_cell(sentence)
    if cell:
        return cell
    found: list[tuple[str, str]] = []

    def add(areas: list[str], grade: str) -> None:
        for area in areas:
            pair = (area.strip(), normalise_grade(grade))
            if pair[0] and pair[1] and not any(a.lower() == pair[0].lower() for a, _ in found):
                found.append(pair)

    for areas, grade in _listed_areas(sentence) + _graded_areas(sentence, graded=graded):
        add(areas, grade)
    for shape in (GRADE_FOR_PILLAR, GRADE_PILLAR_RATING, PILLAR_REQUIRES):
        for m in shape.finditer(sentence):
            add([m.group("area").lower()] if is_pillar(sentence, m.start("area"), m.end("area")) else [], m.group("grade"))
    for m in PILLAR_GRADE.finditer(sentence) if all(a in PILLARS for a, _ in found) else ():  # "its effectiveness is good, its efficiency ..."
        add([p.group("area").lower() for p in PILLAR_WORD.finditer(sentence, m.start(), m.start("grade")) if is_pillar(sentence, p.start(), p.end())],
            m.group("grade"))
    for m in PILLAR_ADJECTIVE.finditer(sentence):
        pillar = ADJECTIVE_PILLARS[m.group("adjective").lower()] if m.group("adjective") else ADVERB_PILLARS[m.group("adverb").lower()] if m.group("adverb") else "people"
        add([pillar], m.group("grade") or m.group("requires"))
    across = ACROSS_ALL.search(sentence) if not found else None
    if across:
        pillars = [p.group("area").lower() for p in PILLAR_WORD.finditer(sentence) if is_pillar(sentence, p.start(), p.end())]
        add(pillars if len(set(pillars)) >= 2 else [], across.group("grade"))
    overall = GRADE_OVERALL.search(sentence)  # "overall" only where the text says so ("rated X overall and in ...": both)
    if overall and (not found or overall.group("grade")):
        add(["overall"], overall.group("grade") or overall.group("grade2") or "")
    return found


LIST_END = re.compile(r",?\s+(?:which|who|where|that)\b|\s+in (?:a|an|its|the|their) (?:[\w-]+ ){0,3}(?:inspections?|reports?|assessments?)\b", re.I)


def _listed_areas(sentence: str) -> list[tuple[list[str], str]]:
    """(areas, grade) from the shapes that list areas apart from the grade: after it ("the inadequate areas included
    A and B"), before it ("A and B were rated good"), as a count's examples, or as an exception."""
    pairs = []
    for shape in (GRADE_LIST, COUNT_INCLUDING):
        listed = shape.search(sentence)
        if listed:
            groups = listed.groupdict()
            grade = groups.get("grade") or groups.get("grade2") or groups.get("grade3") or ""
            listed_areas = groups.get("areas") or groups.get("areas2") or groups.get("areas3") or ""
            listed_areas = LIST_END.split(listed_areas)[0]
            areas, count = split_areas(listed_areas), counted(groups.get("count"))
            if groups.get("which") and len(areas) != count:
                # "... in three areas, which assessed its ability to A, B, as well as C": all the areas counted, between commas
                pieces = [a for piece in re.split(r",\s*(?:and\s+|as well as\s+)?|\s+as well as\s+", listed_areas) for a in area_names(piece)]
                areas = pieces if len(pieces) == count else []
            pairs.append((areas, grade))
    for m in [*COUNT_RATED_LIST.finditer(sentence), *COUNT_OF.finditer(sentence)]:
        areas = split_areas(QUOTES.sub("", LIST_END.split(m.group("areas"))[0]))
        if len(areas) == counted(m.group("count")) or (m.re is COUNT_OF and not m.group("count") and areas and all(is_area_name(a) for a in areas)):
            pairs.append((areas, m.group("grade")))
    pairs += [(area_names(m.group("area")), m.group("grade")) for m in GRADE_EXCEPT.finditer(sentence)]
    pairs += [(area_names(re.sub(r"\s+itself$", "", m.group("area").strip())), m.group("grade")) for m in AS_WAS.finditer(sentence)]
    for m in BOTH_AREAS.finditer(sentence):
        tails = (split_areas(m.group("areas")[opens.end() :]) for opens in BOTH_OPEN.finditer(m.group("areas")))
        pairs += [(areas, m.group("grade")) for areas in tails if len(areas) == 2][:1]
    for m in WHICH_WERE.finditer(sentence):
        opens = AREAS_OPEN.search(m.group("areas"))
        if opens:
            pairs.append((split_areas(m.group("areas")[opens.end() :]), m.group("grade")))
    pairs += [(area_names(m.group("area")), m.group("grade")) for m in DASHED_GRADE.finditer(sentence) if not ORGANISATION_WORDS.search(m.group("area"))]
    rated = AREAS_RATED.search(sentence)
    if rated and rated.group("areas")[:7].lower() == "the way" and not rated.group("given"):
        rated = None  # "the way forces are rated good ... has changed": only "the way X and how Y were given adequate ratings"
    if rated:
        pairs.append((split_areas(rated.group("areas")), rated.group("grade") or rated.group("given")))
    pairs += [(_areas_required(m), m.group("grade")) for m in REQUIRES_HOW.finditer(sentence) if not m.group("plural")]
    pairs += [(area_names(m.group("area")), m.group("grade")) for m in _quoted_areas(sentence)]
    for shape in (PILLAR_AT, WAY_IS, POSSESSIVE_RATED):
        for m in shape.finditer(sentence):
            groups = m.groupdict()
            area = groups.get("area") or groups.get("area2") or ""
            pairs.append((area_names(area), groups.get("grade") or groups.get("requires") or groups.get("grade2") or ""))
    return pairs


def _quoted_areas(sentence: str) -> list[re.Match]:
    """QUOTED_AREA_GRADED's matches whose quoted words name an area the inspectorate grades (not "'slow response' rated ...")."""
    return [m for m in QUOTED_AREA_GRADED.finditer(sentence) if is_area_name(m.group("area"))]


def _graded_areas(sentence: str, *, graded: bool = False) -> list[tuple[list[str], str]]:
    """(areas, grade as written) for each "<grade> at <areas>" in the sentence, up to the next grade word. `graded`: the
    sentence is known to give grades (a bullet after "graded the service as follows:")."""
    words = list(GRADE_WORD.finditer(sentence))
    pairs = []
    for number, m in enumerate(words):
        at = GRADE_AT.match(sentence, m.start())
        if not at:
            continue
        grade = at.group("grade")
        praise = grade.lower() == "good" and len(words) < 2 and not graded and not IS_FIRST.match(sentence) and not (
            GRADED.search(sentence) or PILLAR_GRADE.search(sentence) or QUOTED_GRADE.search(sentence) or QUOTED_FIRST.match(sentence))
        areas = _areas_at(sentence, at, words[number + 1].start() if number + 1 < len(words) else len(sentence), praise=praise)
        if areas is not None:
            pairs.append((areas, grade))
    return pairs


def _areas_at(sentence: str, at: re.Match, end: int, *, praise: bool) -> list[str] | None:
    """The areas after "<grade> at", up to `end` or where the sentence moves on; for praise ("good at X" with no other
    word of grading), None unless they name an area the inspectorate grades and the sentence asks nothing more."""
    area_start = at.start("area")
    if praise and (MIXED_PRAISE.search(sentence, at.start()) or not AREA_START.match(sentence, area_start)):
        return None  # "good at X, but needs to ...": what remains is the finding ("But it is good at X" is praise alone); "good at stop and search" names no graded area
    stop = AREA_STOP.search(sentence, area_start, end)
    listed = _semicolon_list(sentence, area_start, len(sentence)) if stop and sentence[stop.start()] == ";" else None
    piece = sentence[area_start : stop.start() if stop else end]
    tail = GRADING_TAIL.search(sentence, area_start, end) if end < len(sentence) else None
    if tail and (not stop or stop.start() >= tail.start()):  # "..., and classed as" right before the next grade: its own clause
        piece = sentence[area_start : tail.start()]
    areas = [a for piece in listed for a in split_areas(piece)] if listed else split_areas(
        re.sub(r"(?:,?\s+and)?\s*['\u2018\"\u201c]?$", "", piece))
    if praise and not any(is_area_name(area) for area in areas):
        return None  # "good at understanding its communities" is praise; "good at investigating crime" names a graded area
    return areas


GRADING_TAIL = re.compile(r",?\s+and(?:\s+(?:was|were|is|are))?\s+(?:classed|rated|graded|judged|assessed|deemed)(?:\s+as|\s+to be)?\s*['\u2018\"\u201c]?$", re.I)
OWN_VERB = re.compile(r"\b(?:is|was|are|were|remains?|remained|requires?|required|has|have|had|needs?|needed)\b", re.I)


def _semicolon_list(sentence: str, start: int, end: int) -> list[str] | None:
    """The areas of a list whose items a semicolon separates ("rated 'good' at recording data about crime; managing
    offenders and suspects; and leadership and force management"), while each item opens as an area does."""
    pieces = re.split(r"\s*;\s*(?:and\s+)?", sentence[start:end])
    taken = [pieces[0]]
    for piece in pieces[1:]:
        stop = AREA_STOP.search(piece)
        cut = piece[: stop.start()] if stop else piece
        if not AREA_START.match(cut) or GRADE_WORD.search(cut) or OWN_VERB.search(cut):
            break  # "...; managing offenders requires improvement": a clause of its own, with its own grade
        taken.append(cut)
        if stop:
            break
    return taken if len(taken) > 1 else None


IS_FIRST = re.compile(r"^\W*(?:is|was|are|were)\b", re.I)  # a bullet that goes on from its lead-in: "is 'good' at ..."
GOOD_AT = re.compile(r"\bgood\W{0,2} at\b", re.I)
MIXED_PRAISE = re.compile(r"\b(?:but|however|although|though|yet|whilst|while|needs? to|must|should)\b", re.I)


def _good_at_graded_area(sentence: str) -> bool:
    """"The service is good at understanding the risk of fire and other emergencies": praise in the words of a grade, for
    an area the inspectorate grades (asked only of a sentence no other shape of grade matched)."""
    good = GOOD_AT.search(sentence)
    at = GRADE_AT.match(sentence, good.start()) if good else None
    return bool(at and _areas_at(sentence, at, len(sentence), praise=True))


def plural_grades(sentence: str) -> list[tuple[str, str]]:
    """"The service requires improvements to how it audits buildings": a criticism in the plural that still says the
    grade of each area it names (the sentence stays a criticism; "requires improvement to ..." is a grade sentence)."""
    return [(area, normalise_grade(m.group("grade"))) for m in REQUIRES_HOW.finditer(sentence) if m.group("plural")
            for area in _areas_required(m)]


def _areas_required(m: re.Match) -> list[str]:
    stop = AREA_STOP.search(m.group("area"))
    return split_areas(m.group("area")[: stop.start() if stop else None])


@lru_cache(maxsize=1024)  # asked several times of one sentence while it is classified
def is_grade_sentence(sentence: str) -> bool:
    """A sentence that states a grade or a count of grades."""
    return _shaped_grade(sentence) or (GRADE_WORD.search(sentence) is not None and _good_at_graded_area(sentence))


def praise_grade(sentence: str) -> bool:
    """A grade sentence only by its praise ("The force is good at investigating crime"): a table's grade outranks it."""
    return not _shaped_grade(sentence) and GRADE_WORD.search(sentence) is not None and _good_at_graded_area(sentence)


@lru_cache(maxsize=1024)
def _shaped_grade(sentence: str) -> bool:
    """A sentence in one of the shapes of a grade other than praise."""
    if not GRADE_WORD.search(sentence):
        return False
    pillar = PILLAR_WORD.search(sentence) is not None  # the shapes that need a pillar are tried only where one is named
    return bool(GRADED.search(sentence) or GRADE_COUNT.search(sentence) or (pillar and (PILLAR_GRADE.search(sentence) or GRADE_FOR_PILLAR.search(sentence)))
                or GRADE_LIST.search(sentence) or GRADE_OVERALL.search(sentence) or AREAS_RATED.search(sentence) or COUNT_RATED_LIST.search(sentence) or COUNT_OF.search(sentence)
                or (pillar and (GRADE_PILLAR_RATING.search(sentence) or PILLAR_REQUIRES.search(sentence))) or PILLAR_ADJECTIVE.search(sentence)
                or (pillar and ACROSS_ALL.search(sentence)) or PILLAR_AT.search(sentence) or WAY_IS.search(sentence) or bool(_quoted_areas(sentence))
                or POSSESSIVE_RATED.search(sentence) or GRADE_NOUN.search(sentence)
                or REQUIRES_HOW.search(sentence) or WHICH_WERE.search(sentence) or DASHED_GRADE.search(sentence) or BOTH_AREAS.search(sentence)
                or ((QUOTED_GRADE.search(sentence) or QUOTED_FIRST.match(sentence)) and GRADE_AT.search(sentence))
                or (UNMISTAKABLE_AT.search(sentence) and not FOR_IMPROVEMENT.search(sentence)))


GRADE_NOUN = re.compile(rf"{OPEN}\b(?:{GRADE_WORDS}){CLOSE}\s+(?:gradings?|grades?|ratings?|judgements?|judgments?)\b", re.I)  # "'good' ratings"
UNMISTAKABLE_AT = re.compile(rf"\b(?:{UNMISTAKABLE_GRADES}){CLOSE}\s+(?:at|in|for)\s+[a-z]", re.I)
FOR_IMPROVEMENT = re.compile(r"\bareas? for improvement\b", re.I)


AREA_COUNT = re.compile(rf"\b(?P<count>{NUMBER}) (?:of (?:the |its )?)?(?:\w+ )?areas?\b", re.I)
THEY_WERE = re.compile(r"^(?:they|these|those)(?: areas)? (?:included|include|includes|were|are)\b:?\s*(?P<areas>[^.;]+)", re.I)
NUMBERS = {word: n for n, word in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}


def areas_counted(before: str, sentence: str) -> list[tuple[str, str]]:
    """"Five areas were rated 'requires improvement'. They included A, B and C.": the areas the sentence after a count
    names, each with the count's one grade (no more areas than it counted)."""
    named = THEY_WERE.match(sentence)
    counted_areas = AREA_COUNT.search(before) if named else None
    grades = {normalise_grade(m.group()) for m in GRADE_WORD.finditer(before)} if counted_areas else set()
    if len(grades) != 1:
        return []
    areas = split_areas(named.group("areas"))
    grade = grades.pop()
    return [(area, grade) for area in areas] if len(areas) <= counted(counted_areas.group("count")) else []


def counted(number: str | None) -> int:
    """'five' -> 5, '11' -> 11; none -> 0."""
    number = (number or "").lower()
    return int(number) if number.isdigit() else NUMBERS.get(number, 0)


def lead_grade(start: int, end: int, text: str) -> str | None:
    """The one grade a lead-in names ("KFRS achieved 'good' in two core pillars:"), which the bullets after it share."""
    words = text[start:end]
    if re.search(r"\bareas? for improvement\b", words, re.I):
        return None
    words = ASIDE.sub("", words)  # "rated 'good' (one below 'outstanding') at:": an aside grades nothing
    grades = {normalise_grade(m.group()) for m in GRADE_WORD.finditer(words)}
    last = GRADE_BEFORE_COLON.search(words)  # "rated 'adequate' at X, but 'inadequate' in:": the grade the colon opens
    return grades.pop() if len(grades) == 1 else normalise_grade(last.group("grade")) if last else None


ASIDE = re.compile(r"\s*\([^()]*\)")
GRADE_BEFORE_COLON = re.compile(rf"\b(?P<grade>{GRADE_WORDS}){CLOSE}\s*(?:(?:in|at|for|on)\s*)?:\s*$", re.I)
