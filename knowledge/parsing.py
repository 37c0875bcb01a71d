"""Parsing stored document text into findings: sentences and bullets with their kind, speaker and organisation.

Every finding is a span (start, end) of the stored text; its text is always text[start:end].
"""

import re
from dataclasses import dataclass, field

from syntok import segmenter

from knowledge.matching import MentionFinder
from knowledge.models import Kind, Polarity
from knowledge.reading import BULLET

OPEN_QUOTES = "\u201c\u2018\"'"
CLOSE_DOUBLE = "\u201d\""

ROLE_PATTERNS = [
    (re.compile(r"(?:Her|His) Majesty['\u2019]s (?:Chief )?Inspector of Constabulary(?: and (?:HM )?(?:Chief )?Inspector of Fire (?:&|and) Rescue Services)?"), "HM Inspector of Constabulary"),
    (re.compile(r"(?:Her|His) Majesty['\u2019]s (?:Chief )?Inspector of Fire (?:&|and) Rescue Services"), "HM Inspector of Fire & Rescue Services"),
    (re.compile(r"\bHM (?:Chief )?Inspector of Constabulary(?: and (?:HM )?(?:Chief )?Inspector of Fire (?:&|and) Rescue Services)?"), "HM Inspector of Constabulary"),
    (re.compile(r"\bHM (?:Chief )?Inspector of Fire (?:&|and) Rescue Services"), "HM Inspector of Fire & Rescue Services"),
    (re.compile(r"\b(?:Police,? (?:Fire )?and Crime Commissioner|PCC)\b", re.I), "Police and Crime Commissioner"),
    (re.compile(r"\b(?:Deputy |Assistant |Temporary )?Chief Constable\b", re.I), "Chief Constable"),
    (re.compile(r"\b(?:Deputy |Assistant )?Chief Fire Officer\b", re.I), "Chief Fire Officer"),
    (re.compile(r"\b(?:Metropolitan Police )?Commissioner\b"), "Commissioner"),
    (re.compile(r"\bspokes(?:person|man|woman)\b", re.I), "spokesperson"),
]
NAME = re.compile(r"(?:(?:Sir|Dame|Dr|Mr|Mrs|Ms|Lord|Lady)\s+)?[A-Z][a-z\u2019'-]+(?:\s+[A-Z][a-z\u2019'-]+){1,3}\s*$")
ATTRIBUTION = re.compile(
    r"^(?P<who>[^\u201c\u2018\"]{2,250}?)\s+(?:said|says|added|commented|explained|stated|found|noted|concluded)"
    r"(?:\s+that)?\s*:?\s*(?P<mark>[\u201c\u2018\"])"
)
REPORT_SPEAKER = re.compile(r"\b(?:report|HMICFRS|inspectorate|inspectors?)\b", re.I)

IMPROVE = re.compile(
    r"\b(?:needs? to (?:make (?:some |further )?)?improve(?:ments?)?|must improve|should improve|(?:told|asked|ordered|urged) to improve|"
    r"areas? for improvement|could be improved|needs? improvement|make (?:some |further )?improvements)\b",
    re.I,
)
CONCERN = re.compile(r"\bcauses? (?:of|for) concern\b", re.I)
RECOMMEND = re.compile(r"\brecommend(?:s|ed|ation|ations)?\b", re.I)
POSITIVE = re.compile(
    r"\b(?:good work|good practice|works? well|working well|communicate well|positive relationships|"
    r"high standard|committed|dedicated|praised|commended|outstanding|innovative|promising practice|"
    r"effective(?:ly)?|impressive|strong leadership|has improved|significant improvements?|responded quickly|confident|"
    r"good(?! enough)|act(?:s|ed)? quickly|understands? the risks?|protects?|keeps? (?:people|children) safe)\b",
    re.I,
)
NEGATIVE = re.compile(
    r"\b(?:not enough|too (?:few|many|long|slow)|inconsistent(?:ly)?|inconsistency|lack(?:s|ing)?|poor(?:ly)?|"
    r"fail(?:s|ed|ing|ure|ures)?|inadequate|requires improvement|concerns?|concerned|insufficient|backlogs?|"
    r"delays?|inexperienced|not(?! only)|unable|weak(?:ness|nesses)?|shortfalls?|unacceptable|worrying|too slow)\b",
    re.I,
)
GRADE_WORDS = r"outstanding|good|adequate|requires? improvement|inadequate"
GRADE = re.compile(
    rf"\b(?:graded|rated|judged|assessed)(?: as)? (?P<grade>{GRADE_WORDS})"
    r"(?: (?:at|in|for) (?P<area>(?!(?:one|two|three|four|five|six|seven|eight|nine|\d+) (?:of \w+ )?areas?\b)[^.;:,]+?))?(?=[.;:,]|$| and )",
    re.I,
)
# "requires improvement at investigating crime", "inadequate at responding to the public": grade words that mean only a grade.
GRADE_AT = re.compile(
    r"\b(?P<grade>requires? improvement|inadequate|outstanding|adequate) (?:at|in) "
    r"(?P<area>(?!(?:one|two|three|four|five|six|seven|eight|nine|\d+) (?:of \w+ )?areas?\b)[a-z][^.;:,]*?)(?=[.;:,]|$| and )",
    re.I,
)
FIRE_PILLAR = re.compile(
    rf"\b(?P<area>effectiveness|efficiency|people)\b (?:was|were|is|are) (?:graded|rated|judged|assessed) (?:as )?(?P<grade>{GRADE_WORDS})",
    re.I,
)
GRADE_COUNT = re.compile(rf"\b(?:{GRADE_WORDS}) in (?:one|two|three|four|five|six|seven|eight|nine|\d+) (?:of (?:the |its )?\w+ )?areas?\b", re.I)
GRADE_CELL = re.compile(rf"^(?P<area>[^|]{{2,120}}?)\s*\|\s*(?P<grade>{GRADE_WORDS}|RI)\s*$", re.I)
DEADLINE = re.compile(
    r"\b(immediately|within (?:a|one|two|three|four|five|six|nine|twelve|eighteen|\d{1,2}) (?:weeks?|months?|years?)|"
    r"by (?:the end of )?(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})\b",
    re.I,
)
ENGAGE = r"(?:the )?(?:engage(?: process)?|enhanced monitoring(?: process)?|special measures)"
STATUS_PATTERNS = [
    ("engage_exited", re.compile(rf"\b(?:removed|taken|released|moved|came|come|comes|coming|exited|graduated|left)\s+(?:out\s+)?(?:of|from)\s+{ENGAGE}|\b(?:exits?|leaves?|leaving)\s+{ENGAGE}|\bno longer (?:in|subject to)\s+{ENGAGE}", re.I)),
    ("engage_entered", re.compile(rf"\b(?:placed|put|moved|entered|escalated)\s+(?:in|into|to)?\s*{ENGAGE}|\b(?:is|was|remains|remained|been|being|still)\s+(?:in|under)\s+{ENGAGE}|\benters?\s+{ENGAGE}", re.I)),
    ("discharged", re.compile(r"\bdischarged\b", re.I)),
    ("progress", re.compile(r"\b(?:made|making|shown|showed) (?:significant|good|sufficient|substantial|considerable) (?:improvements?|progress)\b", re.I)),
]
SECTION_KINDS = [
    (re.compile(r"^areas? for improvement$", re.I), Kind.area_for_improvement),
    (re.compile(r"^causes? of concern$", re.I), Kind.cause_of_concern),
    (re.compile(r"^recommendations?$", re.I), Kind.recommendation),
    (re.compile(r"^(?:innovative|promising) practices?$", re.I), Kind.strength),
    (re.compile(r"^(?:HM Inspector.s observations|summary|overview|key findings|our findings|introduction|grades?|grading|our judgments?)$", re.I), None),
]
CONTRAST = re.compile(r"^(?:despite|although|though|while|whilst)\b[^,]{3,200},\s*", re.I)
TRAILING = re.compile(r"(?:\s*[;,]\s*(?:and|or)?|\s+(?:and|or))\s*$")


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
        tail = TRAILING.search(text, start, end)
        if tail and tail.start() > start:
            end = tail.start()
        if (start, end) == before:
            return start, end


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], as offsets into text."""
    spans = []
    for paragraph in segmenter.analyze(text[start:end]):
        for sentence in paragraph:
            if sentence:
                first, last = sentence[0], sentence[-1]
                spans.append((start + first.offset, start + last.offset + len(last.value)))
    return spans


def polarity_of(sentence: str) -> str:
    """Positive, negative or neutral, from the inspectorate's usual words ("Despite X, Y" is Y)."""
    contrast = CONTRAST.match(sentence)
    if contrast:
        sentence = sentence[contrast.end() :]
    positive = len(POSITIVE.findall(sentence))
    negative = len(NEGATIVE.findall(sentence)) + len(IMPROVE.findall(sentence))
    if positive > negative:
        return Polarity.positive
    if negative > positive:
        return Polarity.negative
    return Polarity.neutral


def classify(sentence: str) -> tuple[str, str]:
    """(kind, polarity) of a sentence that is not under a heading or lead-in."""
    polarity = polarity_of(sentence)
    if CONCERN.search(sentence):
        return Kind.cause_of_concern, Polarity.negative
    if RECOMMEND.search(sentence) and polarity != Polarity.positive:
        return Kind.recommendation, Polarity.negative
    if IMPROVE.search(sentence) and not sentence.rstrip().endswith(":"):
        return Kind.area_for_improvement, Polarity.negative
    if polarity == Polarity.positive:
        return Kind.strength, polarity
    return Kind.context, polarity


def lead_in_kind(sentence: str) -> str | None:
    """The kind that bullets take from the sentence introducing them ("... needs to improve, including:")."""
    if CONCERN.search(sentence):
        return Kind.cause_of_concern
    if RECOMMEND.search(sentence):
        return Kind.recommendation
    if IMPROVE.search(sentence):
        return Kind.area_for_improvement
    if polarity_of(sentence) == Polarity.positive or re.search(r"\bstrengths?\b", sentence, re.I):
        return Kind.strength
    return None


def is_heading(paragraph: str) -> bool:
    """A line that names a part of the document: no closing punctuation, not a bullet or a table row."""
    words = paragraph.split()
    return (
        0 < len(words) <= 30
        and not BULLET.match(paragraph)
        and "|" not in paragraph
        and not re.search(r"[.!?:;,\u201d\u2019\")]$", paragraph)
        and (paragraph[:1].isupper() or paragraph[:1].isdigit())
    )


def section_kind(heading: str) -> tuple[bool, str | None]:
    """(known, kind) for a heading: known section names give their kind (or None for neutral ones)."""
    bare = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", heading).strip()
    for pattern, kind in SECTION_KINDS:
        if pattern.match(bare):
            return True, kind
    return False, None


def grades_in(sentence: str) -> list[tuple[str, str]]:
    """Every (area, grade) a sentence or table row states."""
    cell = GRADE_CELL.match(sentence)
    if cell:
        return [(cell.group("area").strip(), normalise_grade(cell.group("grade")))]
    found = []
    pillars = [m.span() for m in FIRE_PILLAR.finditer(sentence)]
    for pattern in (FIRE_PILLAR, GRADE, GRADE_AT):
        for m in pattern.finditer(sentence):
            if pattern is not FIRE_PILLAR and any(s <= m.start() < e for s, e in pillars):
                continue  # "its efficiency was graded good": already read as a fire service pillar
            area = (m.group("area") or "overall").strip()
            pair = (area, normalise_grade(m.group("grade")))
            if pair not in found and not any(area in a or a in area for a, _ in found):
                found.append(pair)
    return found


def status_of(sentence: str) -> str | None:
    """Engage (enhanced monitoring, "special measures") entry or exit, discharge, or progress."""
    for status, pattern in STATUS_PATTERNS:
        if pattern.search(sentence):
            return status
    return None


def speaker_of(who: str) -> tuple[str | None, str | None]:
    """(name, role) from an attribution such as "Her Majesty's Inspector of Constabulary Roy Wilsher"."""
    rest = who.strip().strip(",")
    for pattern, label in ROLE_PATTERNS:
        m = pattern.search(rest)
        if m:
            # A name follows its title ("Chief Constable Sam Sample"), else it comes first ("Sam Sample, PCC").
            for part in (rest[m.end() :], rest[: m.start()]):
                name = NAME.search(re.sub(r"^(?:the|a|an)\s+", "", part.strip(" ,"), flags=re.I))
                if name:
                    return name.group().strip(), label
            return None, label
    name = NAME.search(re.sub(r"^(?:the|a|an)\s+", "", rest, flags=re.I))
    return (name.group().strip() if name else None), None


class Parser:
    """Turns stored document text into findings, using the reference data to name organisations."""

    def __init__(self, mentions: MentionFinder) -> None:
        self.mentions = mentions

    def parse_source(self, source) -> ParsedDocument:
        """The findings of a document as read."""
        return self.parse(source.text, section=source.section, title=source.title)

    def parse(self, text: str, *, section: str | None = None, title: str | None = None) -> ParsedDocument:
        """All findings of a document, in text order."""
        hint = None
        label = f"{section or ''} {title or ''}".lower()
        if "fire" in label:
            hint = "fire"
        elif "police" in label or "constabulary" in label:
            hint = "police"
        mentions = self.mentions.find(text)
        subject = self.mentions.subject(text, hint, mentions)
        findings: list[ParsedFinding] = []
        lead_in: tuple[str, str | None] | None = None  # (sentence, kind) introducing bullets
        open_quote: tuple[str | None, str | None] | None = None  # speaker still talking
        heading: tuple[str | None, str | None] = (None, None)  # (label, kind) of the current section
        cause: int | None = None  # the latest cause of concern, for the recommendations under it
        paragraphs = list(re.finditer(r"[^\n]+", text))
        for number, para in enumerate(paragraphs):
            p_start, p_end = para.span()
            body = para.group()
            if "|" in body and number + 1 < len(paragraphs) and "|" in paragraphs[number + 1].group():
                before = paragraphs[number - 1].group() if number else ""
                if "|" not in before and not grades_in(body):
                    continue  # a table's header row ("Area | Grade") says nothing by itself
            if is_heading(body):
                known, kind = section_kind(body)
                open_quote, lead_in = None, None
                if known:
                    if not (kind == Kind.recommendation and heading[1] == Kind.cause_of_concern):
                        cause = None  # only recommendations straight under a cause of concern belong to it
                    heading = (re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", body).strip(), kind)
                    continue
                heading = (None, None)
                verdict = polarity_of(body)
                if number > 0 and len(body.split()) >= 6 and verdict != Polarity.neutral:
                    # A heading that is itself a verdict ("Despite some good practice, ... is inconsistent").
                    kind = Kind.strength if verdict == Polarity.positive else Kind.context
                    s, e = trim(text, p_start, p_end)
                    findings.append(ParsedFinding(s, e, kind, verdict, label="Verdict heading", status=status_of(body)))
                continue
            section_label, section = heading
            if BULLET.match(body):
                kind = lead_in[1] if lead_in and lead_in[1] else section
                found = self._sentences_of(text, p_start, p_end, kind=kind, context=lead_in[0] if lead_in else None, whole=True)
                findings += self._under(found, section_label, cause, findings)
                open_quote = None
                continue
            if open_quote and body[:1] in "\u201c\"":
                speaker, role = open_quote
                findings += self._quote(text, p_start + 1, p_end, speaker, role)
                open_quote = (speaker, role) if not self._closes(body[1:]) else None
                continue
            open_quote = None
            attribution = ATTRIBUTION.match(body)
            if attribution and not self._is_report(attribution.group("who")):
                who = attribution.group("who")
                speaker, role = speaker_of(who)
                if speaker and self.mentions.find(speaker):
                    speaker = None  # "Cleveland Fire Brigade's chief fire officer": an organisation, not a name
                if role == "spokesperson":
                    # "A spokesperson for Greater Manchester Police": the role names the body, not a person.
                    speaker, role = None, re.sub(r"^(?:a|an|the)\s+", "", who.strip(), flags=re.I)
                if speaker or role:
                    findings += self._quote(text, p_start + attribution.end(), p_end, speaker, role)
                    if attribution.group("mark") != "\u2018" and not self._closes(body[attribution.end() :]):
                        open_quote = (speaker, role)
                    lead_in = None
                    continue
            if attribution:
                # The report's own words: quote them without "The report said:".
                found = self._sentences_of(text, p_start + attribution.end(), p_end, kind=section, context=body[: attribution.end() - 1].strip())
                findings += self._under(found, section_label, cause, findings)
                lead_in = None
                continue
            spans = self._sentences_of(text, p_start, p_end, kind=section)
            findings += self._under(spans, section_label, cause, findings)
            if section == Kind.cause_of_concern and spans:
                cause = len(findings) - len(spans)
            last = body.rstrip()
            if last.endswith(":") and spans:
                lead_in = (text[spans[-1].start : spans[-1].end], lead_in_kind(last) or section)
                # The lead-in is kept as context for its bullets, not as a finding of its own kind.
                spans[-1].kind, spans[-1].polarity = Kind.context, Polarity.neutral
                spans[-1].cause = None
            else:
                lead_in = None
        strong = [m for m in mentions if m.strong]
        for finding in findings:
            named = {m.organisation_id for m in strong if finding.start <= m.start and m.end <= finding.end}
            finding.organisation_id = self._owner(named, subject)
        return ParsedDocument(subject, [f for f in findings if f.end > f.start])

    @staticmethod
    def _under(found: list[ParsedFinding], label: str | None, cause: int | None, findings: list[ParsedFinding]) -> list[ParsedFinding]:
        """Mark findings with their section's label and, for recommendations, their cause of concern."""
        for f in found:
            f.label = f.label or label
            if f.kind == Kind.recommendation and cause is not None:
                f.cause = cause
            if f.kind == Kind.recommendation and not f.deadline and f.context:
                deadline = DEADLINE.search(f.context)
                f.deadline = deadline.group(1) if deadline else None
        return found

    @staticmethod
    def _is_report(who: str) -> bool:
        """True when the words are the report's or the inspectorate's, not a named person's."""
        return bool(REPORT_SPEAKER.search(who)) and not any(p.search(who) for p, _ in ROLE_PATTERNS)

    @staticmethod
    def _closes(rest: str) -> bool:
        return any(ch in CLOSE_DOUBLE[:1] for ch in rest) or rest.rstrip().endswith('"')

    def _quote(self, text: str, start: int, end: int, speaker: str | None, role: str | None) -> list[ParsedFinding]:
        """A person's words: every sentence up to the closing quotation mark is a statement."""
        close = text.find("\u201d", start, end)
        if close != -1:
            end = close + 1
        out = []
        for s, e in sentences(text, start, end):
            s, e = trim(text, s, e)
            if e > s:
                out.append(ParsedFinding(s, e, Kind.statement, polarity_of(text[s:e]), speaker, role))
        return out

    def _sentences_of(self, text: str, start: int, end: int, *, kind: str | None, context: str | None = None, whole: bool = False) -> list[ParsedFinding]:
        """Sentences (or one bullet, whole) classified by the lead-in's kind or by their own words."""
        spans = [(start, end)] if whole else sentences(text, start, end)
        out = []
        for s, e in spans:
            s, e = trim(text, s, e)
            sentence = text[s:e]
            inline = ATTRIBUTION.match(sentence)
            if inline and self._is_report(inline.group("who")):
                # "The report also said that 'there are not enough ...'": quote the report's words only.
                context = sentence[: inline.end() - 1].strip()
                s, e = trim(text, s + inline.end(), e)
                sentence = text[s:e]
            if e <= s:
                continue
            grades = grades_in(sentence)
            deadline = DEADLINE.search(sentence)
            extra = {"status": status_of(sentence), "deadline": deadline.group(1) if deadline else None}
            if grades or GRADE_COUNT.search(sentence):
                out.append(ParsedFinding(s, e, Kind.grade, polarity_of(sentence), context=context, grades=grades, **extra))
                continue
            if "|" in sentence:
                out.append(ParsedFinding(s, e, Kind.context, Polarity.neutral, context=context, **extra))
            elif kind:
                polarity = Polarity.positive if kind == Kind.strength else Polarity.negative
                out.append(ParsedFinding(s, e, kind, polarity, context=context, **extra))
            else:
                found_kind, polarity = classify(sentence)
                out.append(ParsedFinding(s, e, found_kind, polarity, context=context, **extra))
        return out

    @staticmethod
    def _owner(named: set[str], subject: str | None) -> str | None:
        """The document's subject, unless the finding names one other organisation (and not the subject)."""
        if subject in named or len(named) != 1:
            return subject
        return next(iter(named))
