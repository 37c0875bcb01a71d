"""Grades in tables and sentences: which areas a sentence grades and how ("Requires Improvement", "RI"), and
sentences that count grades or report an earlier inspection's."""

import re

from knowledge.lexicon import GRADE_ABBREVIATIONS, GRADE_SPELLINGS, GRADED_AREAS, PILLARS, alternation
from knowledge.matching import normalise

NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
GRADE_WORDS = alternation(GRADE_SPELLINGS)  # "outstanding", ..., "requires improvement", "require improvement", ...
# "good at understanding risk" alone is praise: a grade sentence without "graded" names one of the others.
UNMISTAKABLE_GRADES = alternation(words for words, grade in GRADE_SPELLINGS.items() if grade != "good")
PILLAR = alternation(PILLARS)
GRADE_WORD = re.compile(rf"\b(?:{GRADE_WORDS})\b", re.I)
GRADED = re.compile(rf"\b(?:graded|rated|judged|assessed)\b(?: as)?(?: (?:the force|the service|it|[A-Z][\w'\u2019]*(?: [A-Z&][\w'\u2019]*)*))?\s+['\u2018\"\u201c]?(?P<grade>{GRADE_WORDS})\b", re.I)
GRADE_AT = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS})['\u2019\"]?\s+(?:at|in|for|on)\s+"
    rf"(?!{NUMBER}\b|the rest\b|every\b|all\b|each\b|other\b|most\b|(?:its|the|our|their) (?:[\w-]+ ){{0,3}}(?:inspections?|assessments?|reports?)\b)"
    r"(?P<area>(?:its |the |how )?[a-z])", re.I)
GRADE_COUNT = re.compile(rf"\b(?:{GRADE_WORDS}) in (?:every area\b|all (?:\w+ )?areas\b|{NUMBER})(?: (?:of (?:the |its )?\w+ )?areas?\b|\b)", re.I)
PILLAR_WORD = re.compile(rf"\b(?P<area>{PILLAR})\b", re.I)
PILLAR_GRADE = re.compile(
    rf"\b(?:{PILLAR})\b[^.;]{{0,70}}?\b(?:is|was|were|are|both|been|graded|rated|judged)\b"
    rf"(?: (?:graded|rated|judged|assessed))?(?: as)?\s+['\u2018\"]?(?P<grade>{GRADE_WORDS})",
    re.I,
)
GRADE_FOR_PILLAR = re.compile(rf"\b(?P<grade>{GRADE_WORDS}) (?:for|in) (?:its |their )?(?P<area>{PILLAR})\b", re.I)
GRADE_OVERALL = re.compile(rf"\b(?P<grade>{GRADE_WORDS}) overall\b|\boverall (?:grade|judgment|effectiveness)[^.;]{{0,40}}?\b(?:is|was)\s+(?P<grade2>{GRADE_WORDS})", re.I)
GRADE_CELL = re.compile(rf"^(?P<area>[^|]{{2,120}}?)\s*\|\s*(?P<grade>{GRADE_WORDS}|{alternation(GRADE_ABBREVIATIONS)})\s*$", re.I)
AREA_STOP = re.compile(
    r",?\s+(?:because|as|which|but|while|whilst|although|with|when|following|according|since|despite|where)\b|(?<!look)(?<!looks)(?<!looking),?\s+after\b"
    r"|[.;:]|,\s+(?:and\s+)?(?:the|it|he|she|they|inspectors?|HMICFRS|one|its work|a|an)\b|\s+in (?:its|the|our|their) (?:[\w-]+ ){0,3}(?:inspections?|assessments?|reports?|year)\b"
    r"|\s+by (?:His|Her|HM|the (?:police )?inspectorate|the (?:police )?watchdog|HMICFRS|inspectors)\b|,\s+(?:in|on|at) (?:a|an|the|its)\b",
    re.I,
)
KNOWN_AREA_KEYS = tuple(normalise(area) for area in GRADED_AREAS)  # named whole
EARLIER_INSPECTION = re.compile(
    r"\b(?:(?:was|were) last inspected|(?:previous|prior|earlier|last) (?:inspection|report|peel inspection)s?\b(?! (?:published|released) (?:today|this week))"
    r"|previously (?:graded|rated|judged)|had (?:been|previously been) (?:graded|rated)"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? ago|back in (?:19|20)\d\d)",
    re.I,
)


def normalise_grade(words: str) -> str:
    """'Requires Improvement', 'require improvement', 'RI' -> 'requires_improvement'; the others lower-cased."""
    words = " ".join(words.lower().split())
    return GRADE_SPELLINGS.get(words) or GRADE_ABBREVIATIONS.get(words) or words


def _areas(phrase: str) -> list[str]:
    """'responding to the public, investigating crime and managing offenders' -> three areas; known names stay whole."""
    phrase = re.sub(r"^(?:(?:and|at|in|for)\s+)?(?:its|their)\s+", "", re.sub(r"^(?:and|at|in|for)\s+", "", phrase.strip(" ,"), flags=re.I), flags=re.I)
    phrase = re.sub(r",?\s+(?:and|or)\s*$", "", phrase).strip(" ,")
    if not phrase:
        return []
    key = normalise(phrase).replace("its ", "the ").replace("antisocial", "anti social")
    if key.startswith(KNOWN_AREA_KEYS):
        return [phrase]
    pillars = [p.lower() for p in PILLAR_WORD.findall(phrase)]
    if pillars and (len(pillars) >= 2 or re.match(r"how\b", phrase, re.I) or all(PILLAR_WORD.fullmatch(p.strip()) for p in re.split(r",\s*|\s+and\s+|\s*\bits\s+", phrase) if p.strip())):
        return pillars  # "effectiveness, its efficiency and how well it looks after its people": the three pillars
    parts = re.split(r",\s+(?:and\s+)?(?=(?:[a-z]+ing|how)\b)|\s+and\s+(?=(?:[a-z]+ing|how)\b)", phrase)
    return [p.strip(" ,") for p in parts if p.strip(" ,")]

def grades_in(sentence: str) -> list[tuple[str, str]]:
    """Every (area, grade) a sentence or table row states; counts ("good in two areas") give none."""
    cell = GRADE_CELL.match(sentence)
    if cell:
        return [(cell.group("area").strip(), normalise_grade(cell.group("grade")))]
    found: list[tuple[str, str]] = []

    def add(area: str, grade: str) -> None:
        pair = (area.strip(), normalise_grade(grade))
        if pair[0] and not any(a.lower() == pair[0].lower() for a, _ in found):
            found.append(pair)

    for area, grade in _graded_areas(sentence):
        add(area, grade)
    for m in GRADE_FOR_PILLAR.finditer(sentence):
        add(m.group("area").lower(), m.group("grade"))
    for m in PILLAR_GRADE.finditer(sentence):
        for pillar in PILLAR_WORD.finditer(sentence, m.start(), m.start("grade")):
            add(pillar.group("area").lower(), m.group("grade"))
    if not found and not GRADE_COUNT.search(sentence):
        overall = GRADE_OVERALL.search(sentence) or GRADED.search(sentence)
        if overall:
            add("overall", overall.group("grade") or overall.groupdict().get("grade2") or "")
    return [(a, g) for a, g in found if g]


def _graded_areas(sentence: str) -> list[tuple[str, str]]:
    """(area, grade as written) for each "<grade> at <areas>" in the sentence, up to the next grade word."""
    graded = bool(GRADED.search(sentence)) or bool(PILLAR_GRADE.search(sentence))
    words = list(GRADE_WORD.finditer(sentence))
    pairs = []
    for number, m in enumerate(words):
        at = GRADE_AT.match(sentence, m.start())
        if not at:
            continue
        grade = at.group("grade")
        if grade.lower() == "good" and not graded and len(words) < 2:
            continue  # "good at understanding risk" alone is praise, not a grade
        area_start = at.start("area")
        area_end = words[number + 1].start() if number + 1 < len(words) else len(sentence)
        stop = AREA_STOP.search(sentence, area_start, area_end)
        if stop:
            area_end = stop.start()
        pairs += [(area, grade) for area in _areas(sentence[area_start:area_end])]
    return pairs


def is_grade_sentence(sentence: str) -> bool:
    """A sentence that states a grade or a count of grades."""
    if not GRADE_WORD.search(sentence):
        return False
    return bool(GRADED.search(sentence) or GRADE_COUNT.search(sentence) or PILLAR_GRADE.search(sentence) or GRADE_FOR_PILLAR.search(sentence)) or (
        bool(re.search(rf"\b(?:{UNMISTAKABLE_GRADES})\s+(?:at|in|for)\s+[a-z]", sentence, re.I))
        and not re.search(r"\bareas? for improvement\b", sentence, re.I)
    )
