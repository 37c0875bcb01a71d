"""What a sentence says it is: its polarity, its kind (cause of concern, recommendation, area for improvement,
strength or context), the kind a heading or a lead-in gives what is under it, and a change of monitoring status.
knowledge.documents.rules decides each finding's kind with these, in one ordered list.
"""

import re
from functools import lru_cache

from knowledge.documents.grades import NUMBER
from knowledge.documents.structure import Lexicon
from knowledge.models import Kind, Polarity

IMPROVE = re.compile(
    r"\b(?:needs? to (?:make (?:some |further )?)?improve(?:ments?)?|must improve|should improve|(?:told|asked|ordered|urged) to improve|"
    r"areas? for improvement|could be improved|needs? improvement|make (?:some |further )?improvements|"
    r"(?:needs?|must|should|has) to do more|must (?:speed up|get better|do better|act)|needs? to (?:make sure|ensure|speed up|get better))\b",
    re.I,
)
CONCERN = re.compile(r"\bcauses? (?:of|for) concern\b|\braised (?:serious |significant )?concerns?\b", re.I)
CONCERN_THEN_RECOMMENDATION = re.compile(r",?\s+and (?:recommended|recommends|called for|said) that\s+", re.I)
RECOMMEND = re.compile(r"\brecommend(?:s|ed|ation|ations)?\b", re.I)
PROGRESS = re.compile(
    r"\b(?:made|making|shown|showed) (?:significant |good |real |considerable |substantial )?(?:efforts|progress|improvements?) to address\b[^.,;]*"
    r"|\baddress(?:ed|ing)? (?:the|these|those|its) concerns\b|\bresponded quickly to the areas of concern\b",
    re.I,
)
# A demand for more of a good thing ("must answer emergency calls more quickly") is criticism, not praise.
DEMAND = re.compile(
    r"\b(?:must|should|needs? to|has to|have to)\b[^.;]{0,80}?\b(?:more (?:quickly|promptly|effectively|consistently|often)|faster|quicker|sooner)\b",
    re.I,
)
POSITIVE = Lexicon(
    r"good work|good practice|works? well|working well|communicate well|positive relationships|"
    r"high standard|committed|dedicated|praised|commended|outstanding|innovative|promising practice|recognis\w+|deserves? credit|"
    r"effective(?:ly)?|impressive|strong leadership|has improved|significant improvements?|responded quickly|confident|accurate(?:ly)?|"
    r"good(?! enough)|act(?:s|ed)? quickly|understands? the risks?|protects?|keeps? (?:people|children) safe|well(?! as\b)|well-\w+|closely|"
    r"fairly|respectfully|respectful|valued|compassion|proactive(?:ly)?|thorough|on time|9\d(?:\.\d)? per ?cent|delighted|pleased|proud|best|"
    r"almost always|nearly always|promptly|quick(?:ly)?(?! enough)|improved|improvements? in|up from|fallen from|invested|"
    r"clear understanding|understood|understands|saved|among the (?:highest|best)|usually held in public|always held in public|held in public",
)
NEGATIVE = Lexicon(
    r"not enough|too (?:few|many|long|slow)|inconsistent(?:ly)?|inconsistency|lack(?:s|ing)?|poor(?:ly)?|"
    r"fail(?:s|ed|ing|ure|ures)?|inadequate|requires improvement|concerns?|concerned|insufficient|backlogs?|"
    r"delays?|inexperienced|not(?! only)|n't|unable|weak(?:ness|nesses)?|shortfalls?|unacceptable|worrying|too slow|"
    r"struggl\w+|gave up|give up|abandon\w*|wait(?:ed|ing)? (?:weeks|months|too long|more than)|only (?:one|two|three|\d+)\b|"
    r"against a national standard|let (?:people|victims) down|sexist|misogyn\w+|disproportionate(?:ly)?|"
    r"wait(?:ed|ing|s)?\b|more (?:cases |work )?than (?:they|it) could|fallen behind|less than|unrecorded|went unanswered|"
    r"more than (?:two|three|four|five|\d+) times (?:as|more) likely|two times (?:as|more) likely|three times (?:as|more) likely|"
    r"four times (?:as|more) likely|five times (?:as|more) likely|\d+ times (?:as|more) likely|far more likely|bully\w*|harass\w*|discriminat\w*|racist|homophobic|unwanted|"
    r"excluded|mocked|too often|taken away|withdr[ae]w\w*|let down|risen to|delayed|errors?|mistakes?|[a-z]\w*n['\u2019]t|"
    r"sent (?:away )?to cover|pulled (?:away )?to cover|moved (?:away )?to cover|diverted (?:away )?to cover|at short notice|"
    r"shifts on response duties|time on response duties",
)
# "rarely taken away", "seldom delayed": a failing that seldom happens is to the force's credit
RARELY = re.compile(r"\b(?:rarely|seldom|hardly ever)\s+(?:(?:been|be|is|are|was|were|get|gets|got)\s+)?[\w-]+(?:\s+[\w-]+)?", re.I)
NEGATED = re.compile(r"\b(?:not|never|no longer)\b[^,.;]{0,40}|\bhow well\b", re.I)
RECOMMENDATION_COUNT = re.compile(rf"\b(?:{NUMBER}|several|a number of|\d+ new)\s+recommendations\b", re.I)
SHOULD = re.compile(r"\b(?:should|must)\b", re.I)
NATIONAL_SUBJECT = re.compile(
    r"\b(?:chief constables|chief fire officers|(?:all |every |the )?forces|(?:fire and rescue )?services|the College of Policing|the Home Office|"
    r"the National Police Chiefs.? Council|the NPCC|the National Fire Chiefs Council|the government|every force|every chief constable)\s+should\b",
    re.I,
)
CONTRAST = re.compile(r"^(?:despite|although|though|while|whilst)\b[^,]{3,200},\s*", re.I)
MIXED = re.compile(r"\b(?:but|however|although|though|yet|whilst|while)\b", re.I)
DEADLINE = re.compile(
    r"\b(immediately|within (?:a|one|two|three|four|five|six|nine|twelve|eighteen|\d{1,2}) (?:weeks?|months?|years?)|"
    r"by (?:the end of )?(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b",
    re.I,
)
ENGAGE = r"(?:the )?(?:engage(?: phase| process| status)?|enhanced monitoring(?: process| phase)?|special measures)"
STATUS_PATTERNS = [
    ("engage_exited", re.compile(
        rf"\b(?:removed|taken|released|moved|came|come|comes|coming|exited|graduated|left|out)\s+(?:out\s+)?(?:of|from)\s+{ENGAGE}|\b(?:exits?|leaves?|leaving)\s+{ENGAGE}"
        rf"|\bno longer (?:in|subject to|under)\s+{ENGAGE}|\b(?:returned|moved|gone|went|back)\s+(?:back\s+)?(?:in)?to\s+(?:routine monitoring|(?:the )?scan(?: phase)?)\b", re.I)),
    ("engage_entered", re.compile(
        rf"\b(?:placed|put|moved|entered|escalated|gone)\s+(?:(?:the (?:force|service|brigade|constabulary)|it|them)\s+)?(?:back\s+)?(?:in|into|to|under)?\s*{ENGAGE}"
        rf"|\b(?:is|was|remains|remained|been|being|still)\s+(?:in|under)\s+{ENGAGE}|\benters?\s+{ENGAGE}", re.I)),
    ("discharged", re.compile(r"\bdischarged\b", re.I)),
    ("progress", re.compile(r"\b(?:made|making|shown|showed) (?:significant|good|sufficient|substantial|considerable) (?:improvements?|progress)\b", re.I)),
]
# Sentences that explain the monitoring process ("All forces start in Scan and may be escalated to Engage").
STATUS_HINT = re.compile(r"engage|monitoring|special measures|scan|discharged|progress|improvement", re.I)
EXPLAINS_PROCESS = re.compile(
    r"^forces (?:that|which|in)\b|\b(?:may|can|could|might|would)\b|\ball forces\b|\bforces (?:are|start|begin|move)\b"
    r"|\b(?:if|when|whether) a (?:force|service)\b|\bstart in (?:the )?scan\b", re.I)
DEFINITE = re.compile(r"\b(?:has been|have been|had been|has now|is now|was|were|today|this week|has left|has exited)\b", re.I)
SECTION_KINDS = [
    (re.compile(r"^areas? for improvement(?:\s+\d+)?$", re.I), Kind.area_for_improvement),
    (re.compile(r"^causes? of concern(?:\s+\d+)?$", re.I), Kind.cause_of_concern),
    (re.compile(r"^recommendations?(?:\s+\d+)?$", re.I), Kind.recommendation),
    (re.compile(r"^(?:innovative|promising) practices?(?:\s+\d+)?$", re.I), Kind.strength),
    (re.compile(r"^(?:HM Inspector.s observations|(?:overall )?summary|overview|key findings|our findings|introduction|grades?|grading|our judgments?)$", re.I), None),
]
INLINE_LABEL = re.compile(r"^(?P<label>areas? for improvement|causes? of concern|recommendations?|innovative practice|promising practice)(?:\s+\d+)?\s*:\s*", re.I)


@lru_cache(maxsize=1024)  # asked several times of one sentence while it is classified
def polarity_of(sentence: str) -> str:
    """Positive, negative or neutral, as inspectors write: "Despite X, Y" is Y; praise with a "but" is criticism."""
    contrast = CONTRAST.match(sentence)
    if contrast:
        sentence = sentence[contrast.end() :]
    progress = len(PROGRESS.findall(sentence))
    rest = PROGRESS.sub(" ", sentence) if progress else sentence
    seldom = [m for m in RARELY.finditer(rest) if NEGATIVE.count(m.group())] if "ly" in rest or "seldom" in rest else []
    for m in reversed(seldom):
        rest = rest[: m.start()] + " " + rest[m.end() :]
    demands = len(DEMAND.findall(rest))
    positive = POSITIVE.count(NEGATED.sub(" ", DEMAND.sub(" ", rest) if demands else rest)) + 2 * progress + len(seldom)
    negative = NEGATIVE.count(rest) + len(IMPROVE.findall(rest)) + demands
    if positive and negative and MIXED.search(rest):
        return Polarity.negative  # "good at X, but needs to ...": what remains to be done is the finding
    if positive > negative:
        return Polarity.positive
    if negative > positive:
        return Polarity.negative
    return Polarity.neutral

def classify(sentence: str) -> tuple[str, str]:
    """(kind, polarity) of the inspectorate's sentence that is not under a heading or lead-in."""
    polarity = polarity_of(sentence)
    if CONCERN.search(sentence):
        return Kind.cause_of_concern, Polarity.negative
    recommends = RECOMMEND.search(sentence) and not RECOMMENDATION_COUNT.search(sentence)
    should = "should" in sentence
    if (recommends and polarity != Polarity.positive) or (should and NATIONAL_SUBJECT.search(sentence)) or (SHOULD.search(sentence) and DEADLINE.search(sentence)):
        return Kind.recommendation, Polarity.negative
    if IMPROVE.search(sentence) and not sentence.rstrip().endswith(":") and polarity != Polarity.positive:
        return Kind.area_for_improvement, Polarity.negative
    if polarity == Polarity.negative:
        return Kind.area_for_improvement, polarity
    if polarity == Polarity.positive:
        return Kind.strength, polarity
    return Kind.context, polarity

def lead_in_kind(sentence: str) -> str | None:
    """The kind that bullets take from the sentence introducing them ("... needs to improve, including:")."""
    if CONCERN.search(sentence):
        return Kind.cause_of_concern
    if RECOMMEND.search(sentence) or re.search(r"\bshould\s*:?\s*$", sentence, re.I) or DEADLINE.match(sentence):
        return Kind.recommendation
    if IMPROVE.search(sentence):
        return Kind.area_for_improvement
    if polarity_of(sentence) == Polarity.positive or re.search(r"\bstrengths?\b", sentence, re.I):
        return Kind.strength
    return None

def section_kind(heading: str) -> tuple[bool, str | None]:
    """(known, kind) for a heading: known section names give their kind (or None for neutral ones)."""
    bare = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", heading).strip().rstrip(":")
    for pattern, kind in SECTION_KINDS:
        if pattern.match(bare):
            return True, kind
    return False, None

@lru_cache(maxsize=1024)  # asked several times of one sentence while it is classified
def status_of(sentence: str) -> str | None:
    """Engage (enhanced monitoring, "special measures") entry or exit, discharge, or progress; never an explanation."""
    if not STATUS_HINT.search(sentence):
        return None
    for status, pattern in STATUS_PATTERNS:
        if pattern.search(sentence):
            if status.startswith("engage") and EXPLAINS_PROCESS.search(sentence) and not DEFINITE.search(sentence):
                return None
            return status
    return None
