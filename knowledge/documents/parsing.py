"""Parsing stored document text into findings: what each sentence is, who says it and which organisation it is about.

Two steps. knowledge.documents.structure types the blocks of the page (headline, heading, paragraph, bullet ...)
and splits sentences; this module walks the blocks, works out who is speaking, and runs each sentence
through RULES, an ordered list of small named functions that decide its kind. Every finding is a span
(start, end) of the stored text; its text is always text[start:end].
"""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlparse

from knowledge.documents.cleaning import BULLET
from knowledge.documents.reading import Source
from knowledge.documents.structure import TEST_MARKER, Block, BlockKind, Lexicon, blocks, sentences
from knowledge.matching import MentionFinder, normalise
from knowledge.models import Kind, Polarity

OPEN_QUOTES = "\u201c\u2018\"'"
CLOSE_DOUBLE = "\u201d\""

ROLE_PATTERNS = [
    (re.compile(r"(?:Her|His) Majesty['\u2019]s (?:Chief )?Inspector of Constabulary(?: and (?:HM )?(?:Chief )?Inspector of Fire (?:&|and) Rescue Services)?"), "HM Inspector of Constabulary"),
    (re.compile(r"(?:Her|His) Majesty['\u2019]s (?:Chief )?Inspector of Fire (?:&|and) Rescue Services"), "HM Inspector of Fire & Rescue Services"),
    (re.compile(r"\bHM (?:Chief )?Inspector of Constabulary(?: and (?:HM )?(?:Chief )?Inspector of Fire (?:&|and) Rescue Services)?"), "HM Inspector of Constabulary"),
    (re.compile(r"\bHM (?:Chief )?Inspector of Fire (?:&|and) Rescue Services"), "HM Inspector of Fire & Rescue Services"),
    (re.compile(r"\b(?:Police,? (?:Fire )?and Crime Commissioner|PCC|Police,? Fire and Crime Commissioner)\b", re.I), "Police and Crime Commissioner"),
    (re.compile(r"\b(?:(?P<rank>Deputy|Assistant) |Temporary |Acting )?Chief Constable\b", re.I), "Chief Constable"),
    (re.compile(r"\b(?:(?P<rank>Deputy|Assistant) |Acting )?Chief Fire Officer\b", re.I), "Chief Fire Officer"),
    (re.compile(r"\b[Cc]hairs? (?:of )?the [A-Z][\w ]*?Fire[\w ]*? Authority\b"), "chair of the fire and rescue authority"),
    (re.compile(r"\b(?:Deputy )?Mayor\b"), "Mayor"),
    (re.compile(r"\bMP\b"), "MP"),
    (re.compile(r"\b(?:Councillor|Cllr)\b"), "Councillor"),
    (re.compile(r"\b(?:Fire Brigades Union|FBU|[Pp]olice [Ff]ederation|Unison|union)\b"), "union official"),
    (re.compile(r"\b(?:Chief )?Superintendent\b"), "Superintendent"),
    (re.compile(r"\b(?:Home Secretary|Policing Minister|Minister)\b"), "Minister"),
    (re.compile(r"\b(?:Metropolitan Police )?Commissioner\b"), "Commissioner"),
    (re.compile(r"\bspokes(?:person|man|woman)\b", re.I), "spokesperson"),
]
INSPECTORS_AS_PEOPLE = re.compile(r"\b(?:chief )?inspectors\b|\bHM Inspectors?\b", re.I)
NOT_COVERED = re.compile(r"\binspected separately\b|\bnot (?:part of|assessed in|included in|covered by|inspected in) (?:this|the) (?:report|inspection)\b", re.I)
INSPECTOR_ROLES = ("HM Inspector of Constabulary", "HM Inspector of Fire & Rescue Services")
NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
NAME_WORD = r"[A-Z][a-z\u2019']+(?:-[A-Z]?[a-z\u2019']+)*"
NAME = re.compile(rf"(?:(?:Sir|Dame|Dr|Mr|Mrs|Ms|Lord|Lady|Professor)\s+)?{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}")
NOT_NAME_WORDS = frozenset(
    "police constabulary chief constable commissioner inspector inspectorate fire rescue service services brigade majesty majesty's "
    "his her hm crime council county force mp union federation office deputy assistant officer mayor minister home secretary the superintendent "
    "writing according speaking".split()
)
SAID = r"(?:told (?:the |a )?[A-Z][\w']*(?: [A-Z][\w']*)*|said|says|added|adds|commented|explained|stated|wrote|writes|warned|insisted|admitted|acknowledged|continued|welcomed|described)"
# "<who> said:", "<who> said that ...", "<who>, chief constable of X, said ..."
LEAD = re.compile(rf"(?P<who>[^\n\u201c\u201d\"]{{2,160}}?),?\s+(?P<verb>{SAID})(?P<that>\s+(?:that|in a statement|in the report))?\s*(?P<colon>[:,])?\s*")
# Verbs whose object is what was said ("described the report as shameful"): the quote keeps the verb.
OBJECT_VERBS = frozenset({"described", "welcomed"})
SAYS = re.compile(rf"\b{SAID}\b")  # cheap test before LEAD, whose lazy who-part is costly
# after a quotation: ', said Chief Constable X.' or ', he added.'
AFTER = re.compile(rf"\s*,?\s*(?:{SAID}\s+(?P<who1>[^.\u201c\"!?]{{2,120}}?)|(?P<who2>[^.\u201c\",!?]{{2,80}}?)\s+{SAID})\s*(?:[.,:]|$)")
ACCORDING = re.compile(rf"According to (?P<who>[^,]{{3,120}}(?:, {NAME_WORD}(?: {NAME_WORD}){{1,2}})?),\s*")
PRONOUNS = {"he", "she"}
INSPECTORATE = re.compile(
    r"\b(?:reports?|HMICFRS|HMIC|inspectorate|inspectors?|inspection|watchdog|they|findings?|HM Inspectorate)\b|His Majesty.s Inspectorate|Her Majesty.s Inspectorate", re.I
)
# A press release's own sentence that reports the inspectorate's view, not the publisher's.
REPORTS_INSPECTORATE = re.compile(
    r"\b(?:inspectors?|inspectorate|HMICFRS|the report|this report|the inspection|the watchdog)\b,?\s+(?:[\w,]+\s+){0,4}?"
    r"(?:found|finds|said|says|say|recognis\w*|recognized|graded|rated|praised|identified|highlighted|noted|concluded|judged|also)\b"
    r"|\b(?:graded|rated|judged)\b",
    re.I,
)
FIRST_PERSON = re.compile(r"\b(?:we|our|us|I|my)\b", re.I)
SUBJECT_PRONOUN = re.compile(r"\b(?:the (?:force|service|brigade|constabulary|organisation)|it|its|we|our)\b", re.I)

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
# "a cause for concern" that names what fails ("the force's failure to record crime was a serious cause for
# concern"): the document's criticism of that failing is the cause of concern too.
CONCERN_SUBJECT = re.compile(r"\b(?:failure|failing|failed|inability) to (?P<verb>[a-z]{4,})\b[^.]{0,80}?\bcauses? (?:of|for) concern\b", re.I)
# "placed in special measures after concerns about how long the public waits for calls to be answered": the
# document's criticism of that is the cause of concern (see Parser._named_concerns)
ENGAGED_OVER = re.compile(r"\b(?:special measures|Engage)\b[^.]{0,120}?\b(?:after|over|because of) concerns? (?:about|over|that) (?P<what>[^.]{10,150})", re.I)
CONTENT = re.compile(r"[a-z]{4,}")
CONTENT_STOP = frozenset("about that their there with from have been were this when what which would could should into they them than then also only more most some such time".split())
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
ENGAGE_WORDS = re.compile(r"\b(?:engage|scan phase|enhanced monitoring|routine monitoring|special measures|monitoring)\b", re.I)
GENERAL = re.compile(r"^(?:all |most |some |many )?forces\b|^(?:a|any) (?:force|service)\b|\b(?:may|can|could|might)\b|^it (?:may|can|will)\b", re.I)
CONTRAST = re.compile(r"^(?:despite|although|though|while|whilst)\b[^,]{3,200},\s*", re.I)
MIXED = re.compile(r"\b(?:but|however|although|though|yet|whilst|while)\b", re.I)

GRADE_WORDS = r"outstanding|good|adequate|requires? improvement|inadequate"
GRADE_WORD = re.compile(rf"\b(?:{GRADE_WORDS})\b", re.I)
GRADED = re.compile(rf"\b(?:graded|rated|judged|assessed)\b(?: as)?(?: (?:the force|the service|it|[A-Z][\w'\u2019]*(?: [A-Z&][\w'\u2019]*)*))?\s+['\u2018\"\u201c]?(?P<grade>{GRADE_WORDS})\b", re.I)
GRADE_AT = re.compile(
    rf"\b(?P<grade>{GRADE_WORDS})['\u2019\"]?\s+(?:at|in|for|on)\s+"
    rf"(?!{NUMBER}\b|the rest\b|every\b|all\b|each\b|other\b|most\b|(?:its|the|our|their) (?:[\w-]+ ){{0,3}}(?:inspections?|assessments?|reports?)\b)"
    r"(?P<area>(?:its |the |how )?[a-z])", re.I)
GRADE_COUNT = re.compile(rf"\b(?:{GRADE_WORDS}) in (?:every area\b|all (?:\w+ )?areas\b|{NUMBER})(?: (?:of (?:the |its )?\w+ )?areas?\b|\b)", re.I)
PILLARS = re.compile(r"\b(?P<area>effectiveness|efficiency|legitimacy|leadership|people)\b", re.I)
PILLAR_GRADE = re.compile(
    r"\b(?:effectiveness|efficiency|legitimacy|leadership|people)\b[^.;]{0,70}?\b(?:is|was|were|are|both|been|graded|rated|judged)\b"
    rf"(?: (?:graded|rated|judged|assessed))?(?: as)?\s+['\u2018\"]?(?P<grade>{GRADE_WORDS})",
    re.I,
)
GRADE_FOR_PILLAR = re.compile(rf"\b(?P<grade>{GRADE_WORDS}) (?:for|in) (?:its |their )?(?P<area>effectiveness|efficiency|legitimacy|leadership|people)\b", re.I)
GRADE_OVERALL = re.compile(rf"\b(?P<grade>{GRADE_WORDS}) overall\b|\boverall (?:grade|judgment|effectiveness)[^.;]{{0,40}}?\b(?:is|was)\s+(?P<grade2>{GRADE_WORDS})", re.I)
GRADE_CELL = re.compile(rf"^(?P<area>[^|]{{2,120}}?)\s*\|\s*(?P<grade>{GRADE_WORDS}|RI)\s*$", re.I)
AREA_STOP = re.compile(
    r",?\s+(?:because|as|which|but|while|whilst|although|with|when|following|according|since|despite|where)\b|(?<!look)(?<!looks)(?<!looking),?\s+after\b"
    r"|[.;:]|,\s+(?:and\s+)?(?:the|it|he|she|they|inspectors?|HMICFRS|one|its work|a|an)\b|\s+in (?:its|the|our|their) (?:[\w-]+ ){0,3}(?:inspections?|assessments?|reports?|year)\b"
    r"|\s+by (?:His|Her|HM|the (?:police )?inspectorate|the (?:police )?watchdog|HMICFRS|inspectors)\b|,\s+(?:in|on|at) (?:a|an|the|its)\b",
    re.I,
)
KNOWN_AREAS = [
    "building, supporting and protecting the workforce", "keeping people safe and reducing crime", "preventing crime and anti-social behaviour", "tackling serious and organised crime",
    "disrupting serious and organised crime", "strategic planning, organisational management and value for money", "leadership and force management",
    "police powers and public treatment", "treatment of the public", "recording data about crime", "managing offenders and suspects",
    "developing a positive workplace", "good use of resources", "understanding fire and other risks", "preventing fire and other risks",
    "protecting the public through fire regulation", "responding to fires and other emergencies", "responding to major and multi-agency incidents",
    "making best use of resources", "making the fire and rescue service affordable now and in the future", "promoting the right values and culture",
    "getting the right people with the right skills", "ensuring fairness and promoting diversity", "managing performance and developing leaders",
]
KNOWN_AREA_KEYS = tuple(normalise(area) for area in KNOWN_AREAS)
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
TRAILING = re.compile(r"(?:\s*[;,]\s*(?:and|or)?|\s+(?:and|or))\s*$")
TERMINAL = re.compile(r"[.!?\u201d\"\u2019')\u2026:]$")
CYCLE = re.compile(r"\bPEEL (20\d\d)\s*(?:[\u2013/-]|to)\s*(?:20)?(\d\d)\b")
TITLE_CHARS = 150  # a first sentence standing in for a missing headline is cut to this, at a clause or a word
# A name on a line of its own: capitalised words ("Birmingham Mail", "Dorset & Wiltshire Fire and Rescue Service").
MASTHEAD = re.compile(r"^(?:The )?[A-Z][\w'\u2019.-]*(?:\s+(?:&|and|of|for|the|[A-Z][\w'\u2019.-]*)){0,7}$")
HMICFRS_HOSTS = ("justiceinspectorates.gov.uk", "hmicfrs")
# The last word of a newspaper's or magazine's name: a heading like this above the story is the masthead.
NEWSPAPER = re.compile(
    r"\b(?:Advertiser|Argus|Chronicle|Courier|Echo|Express|Gazette|Guardian|Herald|Independent|Journal|Magazine|Mail|"
    r"Mercury|Mirror|News|Observer|Online|Post|Press|Record|Sentinel|Standard|Star|Telegraph|Times)$"
)


@dataclass
class ParsedFinding:
    """A finding before it is stored: a span of the document text and what it is."""

    start: int
    end: int
    kind: str
    polarity: str = Polarity.neutral
    speaker: str | None = None
    role: str | None = None
    context: str | None = None
    organisation_id: str | None = None
    grades: list[tuple[str, str]] = field(default_factory=list)  # (area, grade) for kind == grade
    label: str | None = None  # the heading the finding sits under, when it names a kind
    cause: int | None = None  # index (in the findings list) of a recommendation's cause of concern
    deadline: str | None = None
    status: str | None = None


@dataclass
class ParsedDocument:
    """The findings of one document, the organisation it is about, and what the page says of itself."""

    subject_id: str | None
    findings: list[ParsedFinding]
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    doc_type: str | None = None
    cycle: str | None = None  # the inspection cycle its grades belong to


# -- words: polarity, kinds, grades, status ----------------------------------------------------------


def normalise_grade(words: str) -> str:
    """'Requires Improvement', 'require improvement', 'RI' -> 'requires_improvement'; the others lower-cased."""
    words = " ".join(words.lower().split())
    if words in ("requires improvement", "require improvement", "ri"):
        return "requires_improvement"
    return words


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to its words: no bullet marker, spaces, quote marks or trailing '; and'."""
    while True:
        before = (start, end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        bullet = BULLET.match(text, start, end)
        if bullet and bullet.end() > start:
            start = bullet.end()
        if start < end and text[start] in OPEN_QUOTES:
            start += 1
        if end > start and text[end - 1] in CLOSE_DOUBLE:
            end -= 1
        # A closing single quote after punctuation ends a quotation; after a letter it is an apostrophe.
        if end - start > 1 and text[end - 1] in "\u2019'" and text[end - 2] in ".!?,;":
            end -= 1
        tail = TRAILING.search(text, max(start, end - 12), end)
        if tail and tail.start() > start:
            end = tail.start()
        if (start, end) == before:
            return start, end


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


def _areas(phrase: str) -> list[str]:
    """'responding to the public, investigating crime and managing offenders' -> three areas; known names stay whole."""
    phrase = re.sub(r"^(?:(?:and|at|in|for)\s+)?(?:its|their)\s+", "", re.sub(r"^(?:and|at|in|for)\s+", "", phrase.strip(" ,"), flags=re.I), flags=re.I)
    phrase = re.sub(r",?\s+(?:and|or)\s*$", "", phrase).strip(" ,")
    if not phrase:
        return []
    key = normalise(phrase).replace("its ", "the ").replace("antisocial", "anti social")
    if key.startswith(KNOWN_AREA_KEYS):
        return [phrase]
    pillars = [p.lower() for p in PILLARS.findall(phrase)]
    if pillars and (len(pillars) >= 2 or re.match(r"how\b", phrase, re.I) or all(PILLARS.fullmatch(p.strip()) for p in re.split(r",\s*|\s+and\s+|\s*\bits\s+", phrase) if p.strip())):
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

    graded = bool(GRADED.search(sentence)) or bool(PILLAR_GRADE.search(sentence))
    words = list(GRADE_WORD.finditer(sentence))
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
        for area in _areas(sentence[area_start:area_end]):
            add(area, grade)
    for m in GRADE_FOR_PILLAR.finditer(sentence):
        add(m.group("area").lower(), m.group("grade"))
    for m in PILLAR_GRADE.finditer(sentence):
        for pillar in PILLARS.finditer(sentence, m.start(), m.start("grade")):
            add(pillar.group("area").lower(), m.group("grade"))
    if not found and not GRADE_COUNT.search(sentence):
        overall = GRADE_OVERALL.search(sentence) or GRADED.search(sentence)
        if overall:
            add("overall", overall.group("grade") or overall.groupdict().get("grade2") or "")
    return [(a, g) for a, g in found if g]


def is_grade_sentence(sentence: str) -> bool:
    """A sentence that states a grade or a count of grades."""
    if not GRADE_WORD.search(sentence):
        return False
    return bool(GRADED.search(sentence) or GRADE_COUNT.search(sentence) or PILLAR_GRADE.search(sentence) or GRADE_FOR_PILLAR.search(sentence)) or (
        bool(re.search(r"\b(?:requires? improvement|inadequate|adequate|outstanding)\s+(?:at|in|for)\s+[a-z]", sentence, re.I))
        and not re.search(r"\bareas? for improvement\b", sentence, re.I)
    )


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


# -- speakers -----------------------------------------------------------------------------------


def _name_in(part: str) -> str | None:
    """The first person's name in a piece of an attribution (not "Kent Police" or "Chief Constable")."""
    for m in NAME.finditer(part):
        words = [w.lower().strip("\u2019'") for w in m.group().split()]
        if not any(w in NOT_NAME_WORDS or w.endswith("\u2019s") or w.endswith("'s") for w in words):
            return m.group().strip()
        # "Chief Constable Rachel Whitlow" matched as one run: take the words after the last title word
        tail = []
        for word in reversed(m.group().split()):
            if word.lower().strip("\u2019'") in NOT_NAME_WORDS or word.endswith(("\u2019s", "'s")):
                break
            tail.insert(0, word)
        if len(tail) >= 2:
            return " ".join(tail)
    return None


def speaker_of(who: str) -> tuple[str | None, str | None]:
    """(name, role) from an attribution such as "Her Majesty's Inspector of Constabulary Roy Wilsher"."""
    rest = who.strip().strip(",")
    for pattern, label in ROLE_PATTERNS:
        m = pattern.search(rest)
        if m:
            before = re.sub(r"^(?:the|a|an)\s+", "", rest[: m.start()].strip(" ,"), flags=re.I)
            after = rest[m.end() :]
            name = _name_in(before) or _name_in(after)
            rank = m.groupdict().get("rank")
            return name, f"{rank.capitalize()} {label}" if rank else label  # a deputy is not the chief
    return _name_in(re.sub(r"^(?:the|a|an)\s+", "", rest, flags=re.I)), None


def is_inspector(role: str | None) -> bool:
    return role in INSPECTOR_ROLES


# -- the walk ------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str | None
    role: str | None
    organisation_id: str | None = None


@dataclass
class Page:
    """What the rules know about the document as they walk it."""

    text: str
    blocks: list[Block]
    starts: list[int]  # of the strong mentions, for bisect
    strong: list  # Mention, in text order
    subject: str | None
    publisher_org: str | None
    first_person: bool  # a force's or commissioner's own press release: "we" is the publisher
    roundup: bool
    signatory: Person | None
    people: dict[str, Person] = field(default_factory=dict)  # surname -> person
    last_person: Person | None = None
    section: tuple[str | None, str | None] = (None, None)  # (label, kind)
    lead_in: tuple[str | None, str | None, str | None] | None = None  # (sentence, kind, deadline)
    cause: int | None = None
    paragraph_org: str | None = None
    findings: list[ParsedFinding] = field(default_factory=list)
    last_unit_end: int = 0
    last_statement: tuple[Person, int] | None = None  # who spoke last, and where that paragraph ended  # where the document's last sentence ends (a fragment there is no finding)


@dataclass
class Unit:
    """One sentence (or bullet, or table row) on its way through RULES."""

    start: int
    end: int
    block: Block
    kind: str | None = None  # from a heading or lead-in
    context: str | None = None
    drop: bool = False
    done: bool = False
    general: bool = False  # about no organisation in particular
    finding: ParsedFinding | None = None

    def text(self, page: Page) -> str:
        return page.text[self.start : self.end]


def rule_truncated_fragment(unit: Unit, page: Page) -> None:
    """The document's last sentence without closing punctuation was cut off: its text stays, it is no finding."""
    if unit.end >= page.last_unit_end and unit.block.kind in (BlockKind.paragraph, BlockKind.quote) and not TERMINAL.search(unit.text(page)):
        unit.drop = True


def rule_parenthetical(unit: Unit, page: Page) -> None:
    """A sentence wholly in brackets ("(synthetic test document)", "(Picture: PA)") is no finding."""
    words = unit.text(page)
    if re.fullmatch(r"\(.*\)\.?", words) or not re.search(r"[A-Za-z]{2}", words):
        unit.drop = True


def rule_process_explanation(unit: Unit, page: Page) -> None:
    """"All forces start in the Scan phase ...": how monitoring works is context about no organisation."""
    words = unit.text(page)
    if ENGAGE_WORDS.search(words) and GENERAL.search(words) and not DEFINITE.search(words.split(",")[0]):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.general = True
        unit.done = True


def rule_scope_note(unit: Unit, page: Page) -> None:
    """"Kent Police, which was inspected separately, was not part of this report": context, not a finding about it."""
    if NOT_COVERED.search(unit.text(page)):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.done = True


def rule_status_change(unit: Unit, page: Page) -> None:
    """"X has been placed into special measures": a change of monitoring status, told as context with its status."""
    words = unit.text(page)
    status = status_of(words)
    if status in ("engage_entered", "engage_exited"):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, polarity_of(words))
        unit.done = True


def rule_inline_label(unit: Unit, page: Page) -> None:
    """'Area for improvement: The force should ...': the label gives the kind, the quote is what follows."""
    m = INLINE_LABEL.match(unit.text(page))
    if m:
        _, kind = section_kind(m.group("label"))
        unit.kind = kind
        unit.context = None
        unit.start = unit.start + m.end()
        unit.finding = ParsedFinding(0, 0, kind or Kind.context, label=m.group("label").strip().capitalize())


def rule_first_person_release(unit: Unit, page: Page) -> None:
    """In a force's or commissioner's own release, its own sentences ("We have recruited ...") are its statements."""
    if not page.first_person or unit.block.kind == BlockKind.table_row:
        return
    words = unit.text(page)
    if FIRST_PERSON.search(words) and not REPORTS_INSPECTORATE.search(words):
        person = page.signatory if page.signatory and re.search(r"\b(?:I|my|me)\b", words) else None
        speaker, role = (person.name, person.role) if person else (None, "spokesperson")
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.statement, polarity_of(words), speaker, role)
        unit.done = True


EARLIER_INSPECTION = re.compile(
    r"\b(?:(?:was|were) last inspected|(?:previous|prior|earlier|last) (?:inspection|report|peel inspection)s?\b(?! (?:published|released) (?:today|this week))"
    r"|previously (?:graded|rated|judged)|had (?:been|previously been) (?:graded|rated)"
    r"|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? ago|back in (?:19|20)\d\d)",
    re.I,
)


def rule_grade(unit: Unit, page: Page) -> None:
    """A sentence or table row that states grades (or counts them) is a grade."""
    words = unit.text(page)
    if unit.block.kind == BlockKind.table_row:
        grades = grades_in(words)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade if grades else Kind.context, Polarity.neutral, grades=grades)
        unit.done = True
        return
    if is_grade_sentence(words):
        # "When the force was last inspected in 2022 it was graded adequate": an earlier grade, quotable, but
        # not one of this document's grades (an overview's "latest grades" must not list it).
        grades = [] if EARLIER_INSPECTION.search(words) else grades_in(words)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, polarity_of(words), grades=grades)
        unit.done = True


def rule_section_kind(unit: Unit, page: Page) -> None:
    """Under "Areas for improvement" or after a lead-in that names a kind, a sentence takes that kind."""
    kind = unit.kind
    if kind and unit.block.kind != BlockKind.table_row:
        polarity = Polarity.positive if kind == Kind.strength else Polarity.negative
        label = unit.finding.label if unit.finding else None
        unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label)
        unit.done = True


def rule_own_words(unit: Unit, page: Page) -> None:
    """Otherwise the sentence's own words decide: concern, recommendation, improvement, strength or context."""
    kind, polarity = classify(unit.text(page))
    label = unit.finding.label if unit.finding else None
    unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label)
    unit.done = True


# The inspectorate's sentences go through these in order; the first that decides, decides.
RULES = [
    rule_truncated_fragment,
    rule_parenthetical,
    rule_inline_label,
    rule_first_person_release,
    rule_process_explanation,
    rule_scope_note,
    rule_grade,
    rule_status_change,
    rule_section_kind,
    rule_own_words,
]


class Parser:
    """Turns stored document text into findings, using the reference data to name organisations."""

    def __init__(self, mentions: MentionFinder) -> None:
        self.mentions = mentions
        self.reference = mentions.reference
        # A site's first label ("thamesvalley" of www.thamesvalley.police.uk) -> the organisation it is the site of:
        # every name and alias, spaces removed, built once rather than for every document with a link.
        self.site_names: dict[str, str] = {}
        for org in self.reference.organisations.values():
            for name in (org.name, *org.aliases):
                self.site_names.setdefault(normalise(name).replace(" ", ""), org.name)

    def parse_source(self, source: Source) -> ParsedDocument:
        """The findings of a document as read, with its title, publisher and link from the page."""
        return self.parse(source.text, section=source.section, title=source.title, publisher=source.publisher,
                          url=source.url, doc_type=source.doc_type, published=source.published)

    def parse(self, text: str, *, section: str | None = None, title: str | None = None, publisher: str | None = None,
              url: str | None = None, doc_type: str | None = None, published=None) -> ParsedDocument:  # noqa: ANN001
        """All findings of a document, in text order."""
        typed = blocks(text)
        title = self._title(text, typed, title)
        publisher = self._publisher(text, typed, publisher, url)
        if publisher is None and doc_type == "report":
            publisher = "HMICFRS"  # a report is the inspectorate's (reading.doc_type_of: its own headings, site or title)
        publisher_org = self._organisation_named(publisher) if publisher and publisher != "HMICFRS" else None
        if publisher_org and doc_type == "article" and (re.search(r"^(?:we|our)\b", title or "", re.I) or FIRST_PERSON.search(text[:2000])):
            doc_type = "press_release"
        mentions = self.mentions.find(text)
        strong = [m for m in mentions if m.strong]
        subject, roundup = self._subject(text, typed, title, section, strong, publisher_org)
        first_person = bool(publisher_org) and doc_type == "press_release"
        page = Page(
            text=text, blocks=typed, starts=[m.start for m in strong], strong=strong, subject=subject, publisher_org=publisher_org,
            first_person=first_person, roundup=roundup, signatory=self._signatory(text, typed, publisher, subject),
        )
        content = [b for b in typed if b.kind in (BlockKind.paragraph, BlockKind.quote, BlockKind.bullet)]
        page.last_unit_end = content[-1].end if content else 0
        self._walk(page)
        cycle = None
        found = CYCLE.search(text[:5000]) or CYCLE.search(title or "")
        if found:
            cycle = f"{found.group(1)}-{found.group(2)}"
        elif published is not None:
            cycle = str(published.year)
        findings = [f for f in page.findings if f.end > f.start]
        self._named_concerns(text, findings)
        return ParsedDocument(subject, findings, title=title, publisher=publisher, url=url, doc_type=doc_type, cycle=cycle)

    @staticmethod
    def _named_concerns(text: str, findings: list[ParsedFinding]) -> None:
        """Criticism of the failing a cause of concern names is that cause of concern (CONCERN_SUBJECT), and so is
        criticism of what a force was put into Engage over (ENGAGED_OVER), while it is going in (not in a
        document that also records it coming out)."""
        for named in CONCERN_SUBJECT.finditer(text):
            verb = named.group("verb").lower()
            failing = re.compile(rf"\b(?:un)?{re.escape(verb)}\w*", re.I)
            for f in findings:
                if f.kind == Kind.area_for_improvement and f.polarity == Polarity.negative and failing.search(text, f.start, f.end):
                    f.kind = Kind.cause_of_concern
        if any(f.status == "engage_exited" for f in findings):
            return
        for over in ENGAGED_OVER.finditer(text):
            concern = {w[:5] for w in CONTENT.findall(over.group("what").lower()) if w not in CONTENT_STOP}
            for f in findings:
                if f.kind == Kind.area_for_improvement and f.polarity == Polarity.negative and not (f.start <= over.start() < f.end):
                    words = {w[:5] for w in CONTENT.findall(text[f.start : f.end].lower()) if w not in CONTENT_STOP}
                    if len(concern & words) >= 2:
                        f.kind = Kind.cause_of_concern

    # -- what the page says of itself --

    @staticmethod
    def _title(text: str, typed: list[Block], title: str | None) -> str | None:
        """The page's own title, else its headline, else its first sentence (shortened at a word)."""
        if title:
            return title
        for block in typed:
            if block.kind == BlockKind.headline:
                return TEST_MARKER.sub("", text[block.start : block.end]).strip()
            if block.kind in (BlockKind.paragraph, BlockKind.quote):
                spans = sentences(text, block.start, block.end)
                first = TEST_MARKER.sub("", text[spans[0][0] : spans[0][1]]).strip() if spans else ""
                if len(first) > TITLE_CHARS:
                    # At the last clause break that leaves a sentence's worth (who did what), else at a word: a cut
                    # after the first few words would read as a name ("Her Majesty's Inspectorate of ...…").
                    clause = max(first.rfind(",", 60, TITLE_CHARS), first.rfind(";", 60, TITLE_CHARS))
                    first = first[:clause] if clause > 0 else first[: first.rfind(" ", 0, TITLE_CHARS - 5)]
                    first = first.rstrip(" ,;") + "\u2026"
                return first or None
        return None

    def _publisher(self, text: str, typed: list[Block], publisher: str | None, url: str | None) -> str | None:
        """Who published the page: its metadata, its link (the inspectorate, a force's site) or its masthead."""
        if url:
            host = urlparse(url).netloc.lower()
            if any(h in host for h in HMICFRS_HOSTS):
                return "HMICFRS"
        if publisher:
            return publisher
        if url:
            label = re.sub(r"^www\.", "", urlparse(url).netloc.lower()).split(".")[0]
            if len(label) > 3:
                named = self.site_names.get(label) or self.site_names.get(label.replace("police", ""))
                if named:
                    return named
        head = []
        for number, block in enumerate(typed):
            if number >= 6 or block.kind in (BlockKind.quote, BlockKind.bullet):
                break
            if block.kind == BlockKind.paragraph:
                continue
            head.append((block.kind, TEST_MARKER.sub("", text[block.start : block.end]).strip()))
        for kind, line in head:
            if re.match(r"^Office of the .*Commissioner\b", line):
                return line
            if " | " in line:
                first = line.split("|")[0].strip()
                if not re.match(r"^(?:home|news|menu)$", first, re.I) and MASTHEAD.match(first):
                    return first  # "Liverpool Echo | Crime"
            elif kind in (BlockKind.standfirst, BlockKind.furniture) and MASTHEAD.match(line) and " " in line:  # not "Contents"
                return line  # "Southern Daily Echo", "Dorset & Wiltshire Fire and Rescue Service" on a line of its own
            elif kind == BlockKind.heading and MASTHEAD.match(line) and NEWSPAPER.search(line):
                return line  # a masthead laid out as a heading above the story
        if any(re.match(r"^home\s*>\s*(?:news|publications)\b", line, re.I) for _, line in head) and any(re.match(r"^published\b", line, re.I) for _, line in head):
            return "HMICFRS"  # the inspectorate's own page: breadcrumbs and a "Published:" line
        return None

    def _organisation_named(self, words: str) -> str | None:
        """The one organisation a name stands for ("Thames Valley Police"; a commissioner's office is its force's)."""
        found = {m.organisation_id for m in self.mentions.find(words) if m.strong}
        if len(found) == 1:
            return next(iter(found))
        place = re.search(r"Commissioner for (?:the )?(.+)$", words)
        if place:
            for suffix in (" Police", " Constabulary"):
                found = {m.organisation_id for m in self.mentions.find(place.group(1).strip() + suffix) if m.strong}
                if len(found) == 1:
                    return next(iter(found))
        return None

    def _subject(self, text: str, typed: list[Block], title: str | None, section: str | None, strong: list, publisher_org: str | None) -> tuple[str | None, bool]:
        """(the organisation the document is about, whether it is a round-up of several)."""
        if publisher_org:
            return publisher_org, False
        label = f"{section or ''} {title or ''}".lower()
        kind = "fire" if "fire" in label else "police" if ("police" in label or "constabulary" in label) else None
        pool = [m for m in strong if not kind or self.reference.organisations[m.organisation_id].kind == kind] or strong
        if not pool:
            return None, False
        counts = Counter(m.organisation_id for m in pool)
        if title:
            in_title = [m.organisation_id for m in self.mentions.find(title) if m.strong]
            if len(set(in_title)) == 1:
                return in_title[0], False
        top, n = counts.most_common(1)[0]
        if len(counts) >= 3 and n < 0.5 * sum(counts.values()):
            return None, True  # a round-up: each sentence belongs to the organisation it names
        first = {}
        for m in pool:
            first.setdefault(m.organisation_id, m.start)
        return max(counts, key=lambda o: (counts[o], -first[o])), False

    def _signatory(self, text: str, typed: list[Block], publisher: str | None, subject: str | None) -> Person | None:
        """The person a first-person release is signed by ("Jane Doe, Police and Crime Commissioner for X")."""
        for block in reversed(typed):
            if block.kind in (BlockKind.heading, BlockKind.standfirst, BlockKind.furniture, BlockKind.byline):
                name, role = speaker_of(text[block.start : block.end])
                if name and role:
                    return Person(name, role, subject)
        if publisher and re.search(r"Commissioner", publisher):
            return Person(None, "Police and Crime Commissioner", subject)
        return None

    # -- the walk over blocks --

    def _walk(self, page: Page) -> None:
        text = page.text
        pending: Person | None = None  # "X said:" at the end of the last paragraph
        for number, block in enumerate(page.blocks):
            kind = block.kind
            body = text[block.start : block.end]
            if kind in (BlockKind.furniture, BlockKind.byline, BlockKind.headline, BlockKind.standfirst):
                continue
            if kind in (BlockKind.question, BlockKind.heading):
                pending = None
                page.lead_in = None
                if kind == BlockKind.heading:
                    self._heading(page, block, body, number)
                else:
                    page.section = (None, None)
                if page.roundup:
                    page.paragraph_org = None
                continue
            if kind == BlockKind.label:
                label_kind = lead_in_kind(body) or section_kind(body)[1] or page.section[1]
                deadline = DEADLINE.search(body)
                page.lead_in = (None, label_kind, deadline.group(1) if deadline else None)
                continue
            if not page.roundup:
                page.paragraph_org = None
            if kind == BlockKind.table_row:
                following = page.blocks[number + 1] if number + 1 < len(page.blocks) else None
                previous = page.blocks[number - 1] if number else None
                if following and following.kind == BlockKind.table_row and not (previous and previous.kind == BlockKind.table_row) and not grades_in(body):
                    continue  # a table's header row ("Area | Grade") says nothing by itself
                self._unit(page, Unit(block.start, block.end, block))
                continue
            if kind == BlockKind.bullet:
                lead = page.lead_in
                unit_kind = (lead[1] if lead and lead[1] else None) or page.section[1]
                unit = Unit(block.start, block.end, block, kind=unit_kind, context=lead[0] if lead else None)
                found = self._unit(page, unit)
                if found and lead and lead[2] and found.kind == Kind.recommendation:
                    found.deadline = found.deadline or lead[2]
                pending = None
                continue
            if pending is None and kind == BlockKind.quote and page.last_statement and self._previous_content_end(page, number) == page.last_statement[1]:
                pending = page.last_statement[0]  # another paragraph of the same person's quotation
            pending = self._paragraph(page, block, pending)

    @staticmethod
    def _previous_content_end(page: Page, number: int) -> int | None:
        for block in reversed(page.blocks[:number]):
            if block.kind in (BlockKind.paragraph, BlockKind.quote, BlockKind.bullet, BlockKind.heading, BlockKind.table_row):
                return block.end
        return None

    def _heading(self, page: Page, block: Block, body: str, number: int) -> None:
        known, kind = section_kind(body)
        if known:
            if not (kind == Kind.recommendation and page.section[1] == Kind.cause_of_concern):
                page.cause = None  # only recommendations straight under a cause of concern belong to it
            page.section = (re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", body).strip(), kind)
            return
        page.section = (None, None)
        verdict = polarity_of(body)
        if len(body.split()) >= 6 and verdict != Polarity.neutral and not speaker_of(body)[1]:
            # A heading that is itself a verdict ("Despite some good practice, ... is inconsistent").
            kind = Kind.strength if verdict == Polarity.positive else Kind.area_for_improvement
            s, e = trim(page.text, block.start, block.end)
            finding = ParsedFinding(s, e, kind, verdict, label="Verdict heading", status=status_of(body))
            finding.organisation_id = self._organisation(page, s, e)
            page.findings.append(finding)

    def _paragraph(self, page: Page, block: Block, pending: Person | None) -> Person | None:
        """A paragraph: quotations with their speakers, reported speech, and the inspectorate's own sentences.
        Returns the speaker whose quotation continues into the next paragraph, if any."""
        text = page.text
        pos, end = block.start, block.end
        speaker = pending
        carried = None
        # Sentences are split once per paragraph; every step below moves forward through them (linear time).
        spans = sentences(text, pos, end)
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        while pos < end:
            while pos < end and text[pos].isspace():
                pos += 1
            if pos >= end:
                break
            if text[pos] in "\u201c\"":
                close = self._close(text, pos, end)
                after = AFTER.match(text, close + 1, end) if close < end else None
                who = self._resolve(page, (after.group("who1") or after.group("who2")) if after else None, speaker)
                if who is not None:
                    self._statements(page, block, pos + 1, close, who)
                    speaker = who
                    if close >= end:
                        carried = who
                else:
                    self._sentences(page, block, pos, min(close + 1, end))
                pos = after.end() if after else close + 1
                continue
            lead = self._lead(text, pos, end) if pos == block.start or text[pos - 1] in " \n" else None
            according = ACCORDING.match(text, pos, end)
            if according:
                who = self._resolve(page, according.group("who"), None)
                if who is not None:
                    stop = self._sentence_end(ends, according.end(), end)
                    self._statements(page, block, according.end(), stop, who)
                    pos = stop
                    continue
            if lead and self._sentence_start(text, block.start, pos):
                stop = self._sentence_end(ends, lead.end(), end)
                quoting = bool(re.search(r"[\u201c\"][^\u201d\"]{15,}", text[lead.end() : stop]))
                who = self._resolve(page, lead.group("who"), speaker, quoting=quoting)
                rest = lead.end()
                if who is not None:
                    if rest >= end:
                        return who  # "X said:" ends the paragraph: the quotation follows
                    if text[rest] in "\u201c\"":
                        speaker = who
                        close = self._close(text, rest, end)
                        self._statements(page, block, rest + 1, close, who)
                        if close >= end:
                            return who
                        pos = close + 1
                        continue
                    stop = self._sentence_end(ends, rest, end)
                    if lead.group("verb") in OBJECT_VERBS and not lead.group("that"):
                        rest = lead.start("verb")
                    self._statements(page, block, rest, stop, who, reported=True)
                    pos = stop
                    continue
            # The inspectorate's (or the writer's) own sentences, up to the next attribution.
            stop = self._next_attribution(page, text, spans, starts, pos, end)
            self._sentences(page, block, pos, stop)
            pos = stop
        return carried

    @staticmethod
    def _lead(text: str, start: int, end: int) -> re.Match | None:
        """LEAD at start, tried only when a verb of saying comes soon enough for it to match."""
        if not SAYS.search(text, start, min(end, start + 200)):
            return None
        return LEAD.match(text, start, end)

    @staticmethod
    def _sentence_start(text: str, floor: int, pos: int) -> bool:
        i = pos - 1
        while i >= floor and text[i].isspace():
            i -= 1
        return i < floor or text[i] in ".!?\u201d\"\u2019"

    @staticmethod
    def _sentence_end(ends: list[int], start: int, end: int) -> int:
        """Where the sentence that starts at (or runs through) `start` ends."""
        i = bisect_right(ends, start)
        return ends[i] if i < len(ends) else end

    def _next_attribution(self, page: Page, text: str, spans: list[tuple[int, int]], starts: list[int], pos: int, end: int) -> int:
        """Where the next sentence that quotes or names a speaker starts (or the paragraph's end)."""
        for i in range(bisect_right(starts, pos), len(spans)):
            s = starts[i]
            if text[s] in "\u201c\"":
                return s
            lead = self._lead(text, s, end)
            if lead and self._resolve(page, lead.group("who"), None, remember=False) is not None:
                return s
        return end

    @staticmethod
    def _close(text: str, pos: int, end: int) -> int:
        """Where the quotation opening at pos closes (end when it runs on into the next paragraph)."""
        mark = text[pos]
        closer = "\u201d" if mark == "\u201c" else "\""
        i = text.find(closer, pos + 1, end)
        return i if i != -1 else end

    def _resolve(self, page: Page, who: str | None, current: Person | None, *, remember: bool = True, quoting: bool = False) -> Person | None:
        """The person (or spokesperson) an attribution names; None for the inspectorate, the report or nobody."""
        if who is None:
            return current
        who = who.strip().strip(",")
        bare = who.lower()
        if bare in PRONOUNS:
            return page.last_person
        if len(who.split()) > 25 or re.search(r"\b(?:has|have|had|was|were|is|are|been|will|would|can|could)\b", who):
            return None
        name, role = speaker_of(who)
        if role is None and INSPECTORATE.search(who) and not name:
            if quoting and INSPECTORS_AS_PEOPLE.search(who):
                # "the two chief inspectors wrote that Kent had 'a well-run ...'": inspectors' quoted words
                fire = page.subject and self.reference.organisations[page.subject].kind == "fire"
                return Person(None, INSPECTOR_ROLES[1] if fire else INSPECTOR_ROLES[0], None)
            return None
        if role is None and re.fullmatch(r"(?:the )?(?:force|service|brigade|constabulary)", bare):
            return Person(None, "spokesperson", page.subject)
        named_org = {m.organisation_id for m in self.mentions.find(who) if m.strong}
        if role == "spokesperson":
            # "A spokesperson for Greater Manchester Police": the role names the body, not a person.
            person = Person(None, re.sub(r"^(?:a|an|the)\s+", "", who, flags=re.I), next(iter(named_org), None))
            return person
        if name and self.mentions.find(name):
            # "Mayor of Greater Manchester Helen Brightwater": the name is what follows the place;
            # "Cleveland Fire Brigade's chief fire officer": an organisation, not a name.
            tail = name[self.mentions.find(name)[-1].end :].split()
            name = " ".join(tail) if len(tail) >= 2 else None
        if name is None and role is None:
            if named_org and len(who.split()) <= 6:
                return Person(None, "spokesperson", next(iter(named_org)))
            surname = re.match(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Professor)\s+([A-Z][\w'\u2019-]+)$", who)
            if surname and surname.group(1).lower() in page.people:
                return page.people[surname.group(1).lower()]
            return None
        if name and role is None:
            known = page.people.get(name.split()[-1].lower())
            if known:
                return known
        person = Person(name, role, next(iter(named_org), None) if len(named_org) == 1 else None)
        if remember:
            page.last_person = person
            if name:
                page.people.setdefault(name.split()[-1].lower(), person)
        return person

    def _statements(self, page: Page, block: Block, start: int, end: int, who: Person, *, reported: bool = False) -> None:
        """A person's words: every sentence of the quotation (or the reported clause) is a statement."""
        text = page.text
        spans = [(start, end)] if reported else sentences(text, start, end)
        for s, e in spans:
            s, e = trim(text, s, e)
            if e <= s or (reported and not re.search(r"[A-Za-z]{2}", text[s:e])):
                continue
            if not reported and e >= page.last_unit_end and not TERMINAL.search(text[s:e]) and block.end >= page.last_unit_end:
                continue  # cut off mid-sentence
            words = text[s:e]
            f = ParsedFinding(s, e, Kind.statement, polarity_of(words), who.name, who.role)
            if page.roundup:
                named = {m.organisation_id for m in page.strong if s <= m.start and m.end <= e}
                f.organisation_id = who.organisation_id or (next(iter(named)) if len(named) == 1 else None)
            else:
                f.organisation_id = who.organisation_id or self._organisation(page, s, e)
            page.last_statement = (who, block.end)
            f.status = status_of(words)
            page.findings.append(f)

    def _sentences(self, page: Page, block: Block, start: int, end: int) -> None:
        """The inspectorate's own sentences, each through RULES; the last one before a colon introduces bullets."""
        text = page.text
        section_label, section = page.section
        body = text[block.start : block.end].rstrip()
        spans = sentences(text, start, end)
        added = []
        for s, e in spans:
            context = None
            s, e = trim(text, s, e)
            inline = self._lead(text, s, e)
            if inline and text[inline.end() : inline.end() + 1] in ("\u201c", "\u2018", "\"", "'") and self._resolve(page, inline.group("who"), None, remember=False) is None:
                # "The report also said that 'there are not enough ...'": quote the report's words only.
                context = text[s : inline.end()].strip()
                s, e = trim(text, inline.end(), e)
            if e <= s:
                continue
            for clause_start, clause_end in self._clauses(text, s, e):
                unit = Unit(clause_start, clause_end, block, kind=section, context=context)
                found = self._unit(page, unit)
                if found:
                    found.label = found.label or section_label
                    added.append(found)
        if section == Kind.cause_of_concern and added:
            page.cause = len(page.findings) - len(added)
        if body.endswith(":") and added and end >= block.end and len(body.split()) <= 8 and len(added) == 1:
            # "Its grades were:": a label for what follows, no finding of its own.
            page.lead_in = (None, lead_in_kind(body) or section, None)
            page.findings.remove(added[-1])
        elif body.endswith(":") and added and end >= block.end:
            last = added[-1]
            page.lead_in = (text[last.start : last.end], lead_in_kind(body) or section, None)
            # The lead-in is kept as context for its bullets, not as a finding of its own kind.
            last.kind, last.polarity, last.cause, last.grades = Kind.context, Polarity.neutral, None, []
        elif end >= block.end:
            page.lead_in = None

    @staticmethod
    def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
        """'issued a cause of concern about X, and recommended that Y': the concern and its recommendation, apart."""
        words = text[start:end]
        split = CONCERN_THEN_RECOMMENDATION.search(words)
        if not (split and CONCERN.search(words, 0, split.start())):
            return [(start, end)]
        return [trim(text, start, start + split.start()), trim(text, start + split.end(), end)]

    def _unit(self, page: Page, unit: Unit) -> ParsedFinding | None:
        """Run one unit through RULES and add its finding (with organisation, deadline, status) to the page."""
        text = page.text
        if unit.block.kind == BlockKind.bullet:
            unit.start, unit.end = trim(text, unit.start, unit.end)
        for rule in RULES:
            rule(unit, page)
            if unit.drop:
                return None
            if unit.done:
                break
        f = unit.finding
        if f is None:
            return None
        f.start, f.end = trim(text, unit.start, unit.end)
        if f.end <= f.start:
            return None
        words = text[f.start : f.end]
        f.context = f.context or unit.context
        f.status = status_of(words)
        deadline = DEADLINE.search(words) or (DEADLINE.search(f.context) if f.context and f.kind == Kind.recommendation else None)
        f.deadline = deadline.group(1) if deadline else None
        if f.kind == Kind.recommendation and page.cause is not None:
            f.cause = page.cause
        if unit.general:
            f.organisation_id = None
        elif f.kind == Kind.statement and not f.speaker and f.role == "spokesperson":
            f.organisation_id = page.publisher_org or self._organisation(page, f.start, f.end)
        else:
            f.organisation_id = self._organisation(page, f.start, f.end)
        page.findings.append(f)
        return f

    def _organisation(self, page: Page, start: int, end: int) -> str | None:
        """The sentence's subject: the organisation it names first, unless "the force"/"it"/"we" comes before;
        then the paragraph's (in a round-up, the last one named); then the document's."""
        i = bisect_left(page.starts, start)
        named = []
        while i < len(page.strong) and page.strong[i].start < end:
            if page.strong[i].end <= end:
                named.append(page.strong[i])
            i += 1
        inherited = page.paragraph_org or page.subject
        if not named:
            return inherited
        first = named[0]
        if inherited and (first.organisation_id == inherited or SUBJECT_PRONOUN.search(page.text, start, first.start)):
            return inherited
        if page.subject and any(m.organisation_id == page.subject for m in named) and not page.roundup:
            return page.subject
        page.paragraph_org = first.organisation_id
        return first.organisation_id
