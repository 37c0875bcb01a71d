"""What a sentence says it is: its polarity, its kind (cause of concern, recommendation, area for improvement,
strength or context), the kind a heading or a lead-in gives what is under it, and a change of monitoring status.
knowledge.documents.rules decides each finding's kind with these, in one ordered list.
"""

import re
from collections.abc import Iterable
from functools import lru_cache

from knowledge.documents.areas import NUMBER
from knowledge.lexicon import CRITICISM, NEUTRAL_SECTIONS, PRAISE, SECTION_KINDS, alternation
from knowledge.models import Kind, Polarity

WORD_START = re.compile(r"(?<!\w)\w")


class PhraseCounter:
    """Words and phrases counted at word starts, one small pattern per first letter instead of one long
    alternation tried at every position (Python's re has no trie): several times faster on sentences.
    An alternative that opens with a group ("(?:almost|nearly) always") is tried at every word start, so the word
    lists spell such phrases out (knowledge/data/polarity.toml); one that opens with a digit is tried only where a
    number starts, and one that opens with [a-z] joins every letter's pattern."""

    def __init__(self, phrases: Iterable[str], flags: int = re.IGNORECASE) -> None:
        groups: dict[str, list[str]] = {}
        every_letter: list[str] = []
        for alternative in phrases:
            if alternative[:1].isalpha():
                groups.setdefault(alternative[0].lower(), []).append(alternative)
            elif alternative.startswith("[a-z]"):
                every_letter.append(alternative)
            elif alternative[:1].isdigit() or alternative.startswith("\\d"):
                groups.setdefault("digit", []).append(alternative)
            else:
                groups.setdefault("other", []).append(alternative)
        letters = set(groups) - {"digit", "other"} | (set("abcdefghijklmnopqrstuvwxyz") if every_letter else set())
        compile_ = lambda alts: re.compile(rf"(?:{'|'.join(alts)})\b", flags)  # noqa: E731
        self.by_letter = {k: compile_(groups.get(k, []) + every_letter) for k in letters}
        self.digit = compile_(groups["digit"]) if "digit" in groups else None
        self.other = compile_(groups["other"]) if "other" in groups else None

    def count(self, text: str) -> int:
        """How many non-overlapping words or phrases of the list the text holds."""
        found, taken = 0, 0
        by_letter, digit, other = self.by_letter, self.digit, self.other
        for start in WORD_START.finditer(text):
            i = start.start()
            if i < taken:
                continue
            first = text[i]
            pattern = digit if first.isdigit() else by_letter.get(first.lower())
            hit = pattern.match(text, i) if pattern else None
            if hit is None and other is not None:
                hit = other.match(text, i)
            if hit:
                found += 1
                taken = hit.end()
        return found


IMPROVE = re.compile(
    r"\b(?:need(?:s|ed)? (?:to )?(?:also |still |urgently )?(?:make (?:some |further |a range of |several )?)?improve(?:ments?)?|need(?:s|ed)? to be (?:more|better)\b"
    r"|must (?:also |still |urgently )?improve|should improve"
    r"|(?:told|asked|ordered|urged) to (?:improve|get better)|improvements? (?:are|is) (?:still )?(?:needed|required)|changes are (?:still )?needed"
    r"|(?:more )?work (?:still )?needs to be done|(?:there is|there's|there remains) (?:still )?(?:more |some |much )?work to (?:be done|do)"
    r"|need(?:s|ed)? to be improved|could be (?:further )?(?:improved|enhanced)|more (?:could|needs to|has to|must) be done|improvements should be made|should (?:also )?be more|"
    r"areas? for improvement|areas? for (?:the (?:force|service|constabulary|brigade)|it) to improve|could be improved|needs? improvement|make (?:some |further )?improvements|"
    r"(?:needs?|must|should|has) to do more|must (?:do more|speed up|get better|do better|act)|needs? to (?:make sure|ensure|speed up|get better)"
    r"|(?:needs?|requires?) ['\u2018\"\u201c]?(?:urgent|significant|major|further|some) improvements?"
    r"|still (?:has|have) (?:more |some |further |a lot of |much )?work to do|still (?:has|have) (?:some |a long )?way to go"
    r"|opportunit(?:y|ies) (?:for|to make) (?:further |some )?improvements?|(?:like|want|expect) to see (?:further |more |some |significant )?improvements?"
    r"|need(?:s|ed)? to make ['\u2018\"\u201c]?(?:urgent |significant |major |further |more |some )?(?:improvements?|changes)|should (?:also )?(?:make sure|ensure)"
    r"|must (?:also |now |still |urgently )?(?:make sure|ensure)|(?:needs?|must|should) (?:now )?(?:to )?step up(?! into| to )"
    r"|still requir(?:es|ing) improvement)\b",
    re.I,
)
MADE_IMPROVEMENTS = re.compile(r"\b(?:has|have|had) made (?:several |some |many |significant |good )?(?:improvements|progress)\b[^.]*(?:including|include|includes|in)\s*:?\s*$", re.I)
FORMAL_CONCERN = re.compile(r"\bcauses? (?:of|for) concern\b", re.I)  # the inspectorate's term, not anyone's "raised concerns"
CONCERN = re.compile(r"\bcauses? (?:of|for) concern\b|\braised (?:serious |significant )?concerns?\b", re.I)
# A cause of concern said not to be there, or closed: "no cause for concern", "no longer a cause of concern", "the remaining
# cause of concern ... has now been closed", "has closed a previously raised cause of concern"
NO_CONCERN = re.compile(r"\b(?:no|not an?|no longer an?|no longer)\s+(?:\w+\s+)?causes? (?:of|for) concern\b"
                        r"|\bcauses? (?:of|for) concern\b[^.;]{0,120}?\b(?:ha(?:s|ve)|had) (?:now )?been (?:closed|discharged|lifted|removed|resolved)\b"
                        r"|\b(?:closed|discharged|lifted|removed)\s+(?:an?|the|its|their|both|all)?\s*(?:\w+\s+){0,3}?causes? (?:of|for) concern\b", re.I)
# ... but "has not lifted the cause of concern", "none of the causes of concern have been closed", "one closed but three remain"
STILL_CONCERN = re.compile(r"\b(?:not|none|never|yet|neither|nor)\b|n['\u2019]t\b|\bremains?\b|\bstill\b|\bnot satisfied\b", re.I)
CONCERN_THEN_RECOMMENDATION = re.compile(r",?\s+and (?:recommended|recommends|called for|said) that\s+", re.I)
# "recommended" as an adjective ("within recommended timescales", "the recommended guidance") recommends nothing
RECOMMEND = re.compile(r"\brecommend(?:s|ation|ations)?\b|\brecommended\b(?!\s+(?:timescales?|time(?:frames?|s)?|levels?|periods?|guidance|standards?|practice|limits?"
                       r"|minimum|maximum|approach|number|targets?|ways?)\b)", re.I)
# The inspectorate asking the organisation to act ("the inspector has asked the service to produce a plan"): a recommendation
ASKED_TO_ACT = re.compile(r"\b(?:asked|told|urged|ordered|instructed|called on|required)\s+(?:the (?:force|service|constabulary|brigade)|it)\s+to\s+"
                          r"(?!be\b|improve\b|do better\b|get better\b)[a-z]+", re.I)
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
POSITIVE = PhraseCounter(PRAISE)
NEGATIVE = PhraseCounter(CRITICISM)
# "rarely taken away", "seldom delayed": a failing that seldom happens is to the force's credit
RARELY = re.compile(r"\b(?:rarely|seldom|hardly ever)\s+(?:(?:been|be|is|are|was|were|get|gets|got)\s+)?[\w-]+(?:\s+[\w-]+)?", re.I)
# What a need goes on to say it is for, to the end of its clause ("... to make staff feel valued"; not past ", but ...").
NEED_GOAL = re.compile(r"(?:(?!,\s*(?:but|although|though|while|whilst|however)\b)[^.;])*")
NEGATED = re.compile(r"\b(?:not|never|no longer|no (?:single )?(?:force|service)s?|(?:minimal|little|no) evidence)\b[^,.;]{0,40}"
                     r"|\b\w+n['\u2019]t\b[^,.;]{0,40}|\bhow well\b[^,.;]{0,40}", re.I)  # "aren't fully effective", "no force fully understands"
RECOMMENDATION_COUNT = re.compile(rf"\b(?:{NUMBER}|several|a number of|\d+ new)\s+recommendations\b", re.I)
# ... but the inspectorate making them ("HMICFRS has made nine recommendations to police forces") is what it recommends,
# told in short; other counts ("of the 12 recommendations from 2019, ten are complete") are not.
MADE_RECOMMENDATIONS = re.compile(rf"\b(?:made|makes|make|making|issued|issues|set out|sets out)\s+(?:(?:a further|another|further)\s+)?"
                                  rf"(?:{NUMBER}|several|a number of)\s+(?:new |further )?recommendations\b", re.I)
SHOULD = re.compile(r"\b(?:should|must)\b", re.I)
NATIONAL_SUBJECT = re.compile(
    r"\b(?:chief constables|chief fire officers|(?:all |every |the )?forces|(?:fire and rescue )?services|the College of Policing|the Home Office|"
    r"the National Police Chiefs.? Council|the NPCC|the National Fire Chiefs Council|the government|every force|every chief constable)\s+should\b",
    re.I,
)
CONTRAST = re.compile(r"^(?:despite|although|though|while|whilst)\b[^,]{3,200},\s*", re.I)
MIXED = re.compile(r"\b(?:but|however|although|though|yet|whilst|while)\b", re.I)
# A need after praise that names nothing to be done, to the end of the sentence or its attribution ("..., although it
# needs to improve in some areas, the inspectorate has said"; "..., but further improvements are needed").
VAGUE_NEED = re.compile(
    r",?\s+(?:but|although|though)\s+(?:(?:it|the (?:force|service|constabulary|brigade)|they)\s+)?(?:still\s+)?"
    r"(?:needs? to (?:make (?:some |further )?)?improve(?:ments?)?(?: (?:its|their) (?:approach|performance))?"
    r"|further improvements? (?:are|is) (?:needed|required))(?: in (?:some|several|other|a few|a number of) areas)?"
    r"(?:,\s+(?:the|a|an|His|Her|HM)\b[^,.;]{0,80}?\b(?:has |have )?(?:said|says|found|finds|reported|reports))?\W*$", re.I)
DEADLINE = re.compile(
    r"\b(immediately|within (?:a|one|two|three|four|five|six|nine|twelve|eighteen|\d{1,2}) (?:days?|weeks?|months?|years?)|"
    r"by (?:the end of )?(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b",
    re.I,
)
# Enhanced monitoring as pages name it: "Engage", "the Engage stage", "an enhanced level of monitoring", "an advanced
# stage of monitoring", "'special measures'", "the inspectorate's Engage monitoring process".
ENGAGE = (r"(?:(?:the|an|our|its|a|this)\s+)?(?:(?:inspectorate|HMICFRS)['\u2019]s?\s+)?['\u2018\"\u201c]?(?:engage(?:['\u2019\"\u201d]?\s+(?:monitoring\s+)?(?:phase|process|stage|status|level))?"
          r"|(?:enhanced|advanced|escalated)\s+(?:level|stage|phase)\s+of\s+monitoring|enhanced['\u2019\"\u201d]?\s+monitoring(?:\s+(?:process|phase|stage))?|special\s+measures)")
OBJECT = r"(?:[\w\u2019'&-]+\s+){0,5}?"  # "moved West Midlands Police into", "remove the force from"
STATUS_PATTERNS = [
    ("engage_exited", re.compile(
        rf"\b(?:removed|taken|released|moved|came|come|comes|coming|exited|graduated|left|out)\s+(?:out\s+)?(?:of|from)\s+{ENGAGE}|\b(?:exits?|leaves?|leaving)\s+{ENGAGE}"
        rf"|\b(?:remov(?:e|es|ed|ing)|move)\s+{OBJECT}(?:out of|from)\s+{ENGAGE}|\bno longer (?:in|subject to|under|needs?|needed|requires?|required)\s+{ENGAGE}"
        rf"|\bno longer (?:keep|hold|monitor)\w*\s+{OBJECT}(?:under|in)\s+{ENGAGE}"
        rf"|\b(?:returned|moved|gone|went|back)\s+(?:back\s+)?(?:in)?to\s+(?:routine monitoring|(?:the )?scan(?: phase)?)\b"
        rf"|\breturn(?:s|ed|ing)?\s+(?:it\s+|the (?:force|service)\s+)?to\s+(?:(?:our|the|its)\s+)?(?:routine|default phase of|default)\s+monitoring\b", re.I)),
    ("engage_entered", re.compile(
        rf"\b(?:placed|put|moved|moves|entered|escalated|gone|plunged|thrown)\s+{OBJECT}(?:back\s+)?(?:in|into|to|under)?\s*{ENGAGE}"
        rf"|\b(?:is|was|remains|remained|been|being|still|already|now)\s+(?:in|under)\s+{ENGAGE}|\benters?\s+{ENGAGE}"
        rf"|\bmonitoring\s+{OBJECT}(?:through|under|in)\s+{ENGAGE}"
        rf"|\bdecided to (?:move|place|put|escalate)\s+(?:(?!from\b|out\b)[\w\u2019'&-]+\s+){{0,5}}?(?:from (?:the )?scan(?: phase| stage)?\s+)?(?:back\s+)?(?:in|into|to|under)\s+{ENGAGE}", re.I)),
    ("discharged", re.compile(r"\bdischarged\b", re.I)),
    ("progress", re.compile(r"\b(?:made|making|shown|showed) (?:significant|good|sufficient|substantial|considerable) (?:improvements?|progress)\b", re.I)),
]
# "one in seven forces are now rated as failing", "six forces are in Engage": forces or services counted, in general
COUNTED_FORCES = re.compile(r"^(?:\W*(?:it|this|that) (?:also )?means )?(?:(?:one|two|three|four|five|six|seven|eight|nine|ten) in (?:\w+)|\d+|two|three|four|five|six|"
                            r"seven|eight|nine|ten|half|most|many|a third|a quarter)(?: of (?:the |all )?)? ?(?:(?:police )?forces|fire (?:and rescue )?services)\b",
                            re.I)
# A sentence that gives an example of, or spells out, the one before it ("For example, it has ...", "That includes how it ...")
EXAMPLE_OF_THE_LAST = re.compile(r"^(?:for (?:example|instance)|in particular|that includes|this includes|these include|this included|these included"
                                 r"|(?:these|those|the) (?:causes of )?concerns (?:include|included|are|were))\b", re.I)
# Cases counted in an audit ("we audited 28 cases and found two were assessed as good")
CASES_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty) (?:[\w-]+ ){0,3}(?:cases|files|records|referrals|investigations)\b", re.I)
ENGAGE_HINT = re.compile(r"engage|monitoring|special measures|scan\b", re.I)
# Forces counted, not one force's change: "X becomes the fourth force to be placed under enhanced monitoring", "there are
# six police forces now in special measures" (the page's own news is told elsewhere).
COUNTED_IN_ENGAGE = re.compile(
    rf"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|latest) (?:police )?(?:force|fire (?:and rescue )?service|service|brigade) to\b"
    rf"|\b{NUMBER} (?:police )?(?:forces|fire (?:and rescue )?services|services)\b[^.;]{{0,40}}?\b(?:now |currently |are |were |remain )?(?:in|under)\s+{ENGAGE}", re.I)
# A change told as time since it happened ("four years after coming out of special measures"): history, not news; the
# rest of the sentence may still tell a change of its own.
ELAPSED = re.compile(rf"\b(?:years?|months?|weeks?) (?:after|since) [^,.;]{{0,40}}?{ENGAGE}", re.I)
# Sentences that explain the monitoring process ("All forces start in Scan and may be escalated to Engage").
STATUS_HINT = re.compile(r"engage|monitoring|special measures|scan|discharged|progress|improvement", re.I)
EXPLAINS_PROCESS = re.compile(
    r"^forces (?:that|which|in)\b|\b(?:may|can|could|might|would)\b|\ball forces\b|\bforces (?:are|start|begin|move)\b"
    r"|\b(?:if|when|whether) a (?:force|service)\b|\bstart in (?:the )?scan\b", re.I)
# A change wished for, not one that happened: "it is important that the force moves out of Engage as soon as possible",
# "we are working to come out of special measures".
WISHED = re.compile(r"\bas soon as (?:possible|it can|we can)\b|\b(?:aims?|aiming|hopes?|hoping|wants?|wanting|expect(?:s|ed|ing)?|plans?|planning|determined|"
                    r"committed|ambition|intends?|working|work|striv(?:e|es|ing)|keen|push(?:es|ing)?)\s+(?:\w+\s+){0,3}?to\s+(?:\w+\s+){0,2}?"
                    r"(?:move|moving|get|getting|come|coming|exit|exiting|leave|leaving|be removed|be taken)\b", re.I)
DONE = re.compile(r"\b(?:has|have|had) (?:now )?(?:been (?:removed|taken|moved|released)|left|exited|come out|came out)\b|\bwas (?:removed|taken out|released)\b", re.I)  # an exit told as done
DEFINITE = re.compile(r"\b(?:has been|have been|had been|has now|is now|are now|was|were|today|this week|has left|has exited|(?:has|have) decided)\b", re.I)
# A dated past entry ("was moved into Engage on 14 October 2020", "In June 2022, the inspectorate placed ..."): history.
HISTORY = re.compile(
    r"\b(?:in|on|since|during)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}\b"
    r"|\bin (?:19|20)\d\d\b|\b(?:earlier|last) (?:this |that )?(?:year|month)\b|\bfirst (?:entered|placed|moved)\b"
    r"|\bhad (?:been )?(?:moved|placed|put|escalated)\b", re.I)  # "had moved the brigade into Engage": before what the page reports
# Headings and inline labels that name a kind ("Areas for improvement", "Recommendation 2:"), and the other known sections.
KIND_HEADING = re.compile(rf"^(?P<name>{alternation(SECTION_KINDS)})(?:\s+\d+)?$", re.I)
NEUTRAL_HEADING = re.compile(rf"^(?:{alternation(NEUTRAL_SECTIONS)})$", re.I)
INLINE_LABEL = re.compile(rf"^(?P<label>{alternation(SECTION_KINDS)})(?:\s+\d+)?\s*:\s*", re.I)


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
    needs = list(IMPROVE.finditer(rest))
    praised = DEMAND.sub(" ", rest) if demands else rest
    for m in reversed(needs):  # "needs to make changes to make sure it uses resources effectively": the goal is no praise
        goal = NEED_GOAL.match(praised, m.end())
        if goal:
            praised = praised[: m.end()] + " " + praised[goal.end() :]
    positive = POSITIVE.count(NEGATED.sub(" ", praised)) + 2 * progress + len(seldom)
    negative = NEGATIVE.count(rest) + len(needs) + demands
    if positive and negative and (MIXED.search(rest) or contrast):
        # "good at X, but needs to ...", "Though on a positive trajectory, ..., it still has work to do": what remains
        # to be done is the finding, unless it names nothing ("..., but it needs to improve in some areas"): then the praise is
        return Polarity.positive if not contrast and len(needs) == 1 and VAGUE_NEED.search(rest) else Polarity.negative
    if positive > negative:
        return Polarity.positive
    if negative > positive:
        return Polarity.negative
    return Polarity.neutral

def classify(sentence: str) -> tuple[str, str]:
    """(kind, polarity) of the inspectorate's sentence that is not under a heading or lead-in."""
    polarity = polarity_of(sentence)
    if CONCERN.search(sentence):
        if (gone := NO_CONCERN.search(sentence)) and (gone.group().lower().startswith("no") or not STILL_CONCERN.search(sentence)):
            return Kind.context, Polarity.positive  # good news of a concern: none there, or closed
        return Kind.cause_of_concern, Polarity.negative
    recommends = RECOMMEND.search(sentence) and (MADE_RECOMMENDATIONS.search(sentence) or not RECOMMENDATION_COUNT.search(sentence))
    should = "should" in sentence
    if (recommends and polarity != Polarity.positive) or (should and NATIONAL_SUBJECT.search(sentence)) or (SHOULD.search(sentence) and DEADLINE.search(sentence)) \
            or (ASKED_TO_ACT.search(sentence) and polarity != Polarity.positive):
        return Kind.recommendation, Polarity.negative
    if IMPROVE.search(sentence) and not sentence.rstrip().endswith(":") and polarity != Polarity.positive:
        return Kind.area_for_improvement, Polarity.negative
    if polarity == Polarity.negative:
        return Kind.area_for_improvement, polarity
    if polarity == Polarity.positive:
        return Kind.strength, polarity
    return Kind.context, polarity

def lead_in_kind(sentence: str) -> str | None:
    """The kind that bullets take from the sentence introducing them ("... needs to improve, including:"): after an
    entry into Engage ("moved into Engage because it is not:") the reasons are causes of concern; after an exit ("removed
    from Engage because it has made several improvements, including:") the improvements are strengths."""
    status = status_of(sentence)
    if status == "engage_entered":
        return Kind.cause_of_concern
    if status == "engage_exited" or MADE_IMPROVEMENTS.search(sentence):
        return Kind.strength
    if CONCERN.search(sentence):
        return Kind.cause_of_concern
    if RECOMMEND.search(sentence) or re.search(r"\bshould\s*:?\s*$", sentence, re.I) or DEADLINE.match(sentence):
        return Kind.recommendation
    if IMPROVE.search(sentence):
        return Kind.area_for_improvement
    polarity = polarity_of(sentence)
    if polarity == Polarity.positive or re.search(r"\bstrengths?\b", sentence, re.I):
        return Kind.strength
    if polarity == Polarity.negative:  # "The report finds evidence of systemic failings in forces, including:"
        return Kind.area_for_improvement
    return None

def section_kind(heading: str) -> tuple[bool, str | None]:
    """(known, kind) for a heading: known section names give their kind (or None for neutral ones)."""
    bare = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", heading).strip().rstrip(":")
    named = KIND_HEADING.match(bare)
    if named:
        return True, Kind(SECTION_KINDS[named.group("name").lower()])
    return bool(NEUTRAL_HEADING.match(bare)), None


@lru_cache(maxsize=1024)  # asked several times of one sentence while it is classified
def status_of(sentence: str) -> str | None:
    """Engage (enhanced monitoring, "special measures") entry or exit, discharge, or progress; never an explanation."""
    if not STATUS_HINT.search(sentence):
        return None
    engage = ENGAGE_HINT.search(sentence) is not None  # the costly patterns only where an Engage word is
    if engage:
        if COUNTED_IN_ENGAGE.search(sentence):
            return None
        sentence = ELAPSED.sub(" ", sentence)
    for status, pattern in STATUS_PATTERNS:
        if status.startswith("engage") and not engage:
            continue
        if pattern.search(sentence):
            if status.startswith("engage") and EXPLAINS_PROCESS.search(sentence) and not DEFINITE.search(sentence):
                return None
            if status == "engage_exited" and WISHED.search(sentence) and not DONE.search(sentence):
                return None
            return status
    return None


# "... grades were issued to 17 services", "... given to nine forces": grades counted over many, not one's
GIVEN_TO_COUNTED = re.compile(r"\b(?:issued|given|awarded|handed) to (?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|most|many|half of the) "
                              r"(?:(?:police )?forces|(?:fire (?:and rescue )?)?services|brigades)\b", re.I)


def counts_others(sentence: str) -> bool:
    """Whether a sentence counts forces or services ("Half of fire services were given ...") or audited cases: a figure
    about them, not what one organisation is (its grades are none of the page's organisation's)."""
    return bool(COUNTED_FORCES.search(sentence) or CASES_COUNTED.search(sentence) or GIVEN_TO_COUNTED.search(sentence))
