"""The rules that decide what each finding is, in order: the first that decides, decides.

Each rule is a small named function of a Unit (one sentence, bullet, table row, heading, or a person's quoted words)
and the Page it is on, with a test of its own in tests/test_parsing.py. RULES is the only place a finding's kind is
decided; knowledge.documents.whole's DOCUMENT_RULES then read the whole document's findings for what one sentence
cannot know alone. The words
the rules read are in knowledge.documents.kinds and grades.
"""

import re
from dataclasses import dataclass, field

from knowledge.documents.areas import area_names, is_area_name
from knowledge.documents.grades import EARLIER_INSPECTION, GRADE_WORD, areas_counted, grade_cell, grades_in, is_grade_sentence, normalise_grade, plural_grades, praise_grade
from knowledge.documents.kinds import DEFINITE, EXAMPLE_OF_THE_LAST, FORMAL_CONCERN, HISTORY, INLINE_LABEL, classify, counts_others, polarity_of, section_kind, status_of
from knowledge.documents.names import Person, speaker_of
from knowledge.documents.speakers import FIRST_PERSON, Cast
from knowledge.documents.structure import Block, BlockKind
from knowledge.lexicon import INSPECTOR_ROLES
from knowledge.matching import Mention
from knowledge.models import Kind, Polarity

NOT_COVERED = re.compile(r"\binspected separately\b|\bnot (?:part of|assessed in|included in|covered by|inspected in) (?:this|the) (?:report|inspection)\b", re.I)
# A press release's own sentence that reports the inspectorate's view, not the publisher's.
REPORTS_INSPECTORATE = re.compile(
    r"\b(?:inspectors?|inspectorate|HMICFRS|the report|this report|the inspection|the watchdog)\b,?\s+(?:[\w,]+\s+){0,4}?"
    r"(?:found|finds|said|says|say|recognis\w*|recognized|graded|rated|praised|identified|highlighted|noted|concluded|judged|also)\b"
    r"|\b(?:graded|rated|judged)\b",
    re.I,
)
ENGAGE_WORDS = re.compile(r"\b(?:engage|scan phase|enhanced monitoring|routine monitoring|special measures|monitoring)\b", re.I)
GENERAL = re.compile(
    r"^(?:all |most |some |many )?forces\b|^(?:a|any) (?:force|service)\b|\b(?:may|can|could|might)\b|^it (?:may|can|will)\b"
    r"|\b(?:when|if|whether) a (?:force|service)\b|^we (?:move|place|put) (?:police )?forces\b|^(?:the )?(?:engage|scan)(?: process| stage| phase)? (?:provides|is|means|gives|involves)\b"
    # "The monitoring process consists of two stages", "are in the Scan phase by default", "a force enters the Engage process if"
    r"|\bconsists of two (?:stages|phases)\b|\bby default\b|\ba (?:force|service) enters\b|\bused by (?:HMICFRS|the inspectorate) when\b",
    re.I)
FRAGMENT_WORDS = 6
TERMINAL = re.compile(r"[.!?\u201d\"\u2019')\u2026:]$")


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
    speech: str | None = None  # a statement's: direct (the person's own words in quotation marks) | reported (the publisher's account)
    praise: bool = False  # a grade read from praise alone ("good at investigating crime"): a table's grade for the area outranks it


@dataclass
class Page:
    """What the rules know about the document as they walk it."""

    text: str
    blocks: list[Block]
    starts: list[int]  # of the strong mentions, for bisect
    strong: list[Mention]  # in text order
    subject: str | None
    publisher_org: str | None
    first_person: bool  # a force's or commissioner's own press release: "we" is the publisher
    roundup: bool
    signatory: Person | None
    section: tuple[str | None, str | None] = (None, None)  # (label, kind)
    lead_in: tuple[str | None, str | None, str | None] | None = None  # (sentence, kind, deadline)
    lead_grade: str | None = None  # the one grade a lead-in gives what follows ("rated 'requires improvement' include:")
    lead_items: int = 0  # the bullets read since the lead-in
    cause: int | None = None
    paragraph_org: str | None = None
    findings: list[ParsedFinding] = field(default_factory=list)
    cast: Cast | None = None  # whom it quotes (the walk's: no rule reads it)
    last_unit_end: int = 0  # where the document's last sentence ends (a fragment there is no finding)
    last_statement: tuple[Person, int] | None = None  # who spoke last, and where that paragraph ended
    last_named: str | None = None  # the organisation the last sentence that named one named first
    carried: tuple[str, int] | None = None  # another organisation than the page's a sentence was about, and where it ended
    inspector: Person | None = None  # "Jo Sample, Her Majesty's Inspector of Constabulary" on a line of its own
    observer: Person | None = None  # ... whose observations the section under "HMI's observations" is
    author: tuple[Person, int, int] | None = None  # the inspector a letter is "From:", and where its body starts and ends (letter_author)
    last_heading: str | None = None  # the words of the last heading (what a grade on a line of its own grades)
    by_place: dict[int, str] = field(default_factory=dict)  # where a sentence's subject is a place standing for an organisation -> it
    place_subjects: dict[int, frozenset[str]] = field(default_factory=dict)  # where a sentence's subject is a place -> who serves it


@dataclass
class Unit:
    """One sentence (or bullet, table row, heading, or a person's words) on its way through RULES."""

    start: int
    end: int
    block: Block
    kind: str | None = None  # from a heading or lead-in
    context: str | None = None
    speaker: Person | None = None  # whose quoted (or reported) words these are; None: the inspectorate's or the writer's
    reported: bool = False  # "X said that ...": reported speech, not a quotation
    lead_in: bool = False  # the sentence that ends a paragraph with a colon: it introduces what follows
    label_only: bool = False  # ... and is the paragraph's only sentence, of a few words ("Its grades were:")
    drop: bool = False
    done: bool = False
    general: bool = False  # about no organisation in particular
    finding: ParsedFinding | None = None

    def text(self, page: Page) -> str:
        return page.text[self.start : self.end]


def names_one(unit: "Unit", page: "Page") -> bool:
    """Whether the sentence names an organisation in full ("The watchdog said Bucks Fire and Rescue Service had been
    placed under enhanced monitoring after ... teams can ..."): then it is about that one, however general its words."""
    return any(unit.start <= m.start and m.end <= unit.end for m in page.strong)


def explains_monitoring(words: str) -> bool:
    """How monitoring works ("All forces start in the Scan phase and may be escalated to Engage"), not what happened."""
    return bool(ENGAGE_WORDS.search(words) and GENERAL.search(words) and not DEFINITE.search(words.split(",")[0]))


GRADING_LEAD = re.compile(r"\b(?:graded|rated|judged|assessed)\b[^.]*:$", re.I)  # "... and graded the service as follows:"
NAMED_ROLE = re.compile(r"^[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+){1,3}, (?:the |a |an )?[^,]{3,100}?\.?$")
FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|does|do|did|needs?|must|should|can|cannot|could|works?|makes?|understands?|protects?|gives?|takes?)\b", re.I)
LONE_GRADE = re.compile(r"(?:Outstanding|Good|Adequate|Requires [Ii]mprovement|Inadequate)\.?")
TABLE_LABEL = "Grades table"  # a grade read from a table row or a list of areas and grades, not from a sentence
BULLET_AREA = re.compile(r"^(?P<area>[^\u2013\u2014:]{3,80}?)\s*(?:\s[\u2013\u2014-]\s|:\s)")


def rule_grade_line(unit: Unit, page: Page) -> None:
    """A line that only pairs an area with its grade ("Future affordability \u2013 Good", "Protecting vulnerable people
    Good", "Area | Grade" rows) is a grade read from a table: so labelled, never a verdict or a sentence's grade."""
    if unit.block.kind not in (BlockKind.heading, BlockKind.bullet, BlockKind.table_row, BlockKind.paragraph, BlockKind.standfirst, BlockKind.headline):
        return
    words = unit.text(page)
    grades = grade_cell(words)
    lone = not grades and LONE_GRADE.fullmatch(words) and page.last_heading
    if lone:
        # "Effectiveness" / "How effective is the service ...?" / "Good": a grade on its own line grades its section, and is
        # quoted with the heading it grades (a bare "Good" tells a reader nothing)
        grades = [(area, normalise_grade(words.rstrip("."))) for area in area_names(page.last_heading) if is_area_name(area)]
    if grades:  # (a lone "Good" under a heading that names no graded area, "How did the inspection go?", grades nothing)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, Polarity.neutral, grades=grades, label=TABLE_LABEL,
                                     context=page.last_heading if lone else None)
        unit.done = True


def rule_verdict_heading(unit: Unit, page: Page) -> None:
    """A heading that is itself a verdict, a sentence with its verb ("Despite some good practice, the quality of
    investigations is inconsistent"), is a strength or an area for improvement; any other heading is no finding (a
    news page's subheading, "Westshire rated 'good' in inspection", says it in headline words)."""
    if unit.block.kind != BlockKind.heading:
        return
    body = page.text[unit.block.start : unit.block.end]
    verdict = polarity_of(body)
    if len(body.split()) >= 6 and verdict != Polarity.neutral and FINITE.search(body) and not speaker_of(body)[1]:
        kind = Kind.strength if verdict == Polarity.positive else Kind.area_for_improvement
        unit.finding = ParsedFinding(unit.start, unit.end, kind, verdict, label="Verdict heading")
        unit.done = True
    else:
        unit.drop = True


def rule_truncated_fragment(unit: Unit, page: Page) -> None:
    """The document's last sentence without closing punctuation was cut off (an excerpt that stops mid-word): what
    it says up to its last clause break, or else up to its last whole word, is kept when that is a sentence's worth
    (at least FRAGMENT_WORDS words); a stub is no finding."""
    if unit.end < page.last_unit_end or unit.block.kind not in (BlockKind.paragraph, BlockKind.quote) or unit.reported:
        return
    words = unit.text(page)
    if TERMINAL.search(words):
        return
    cut = max(words.rfind(","), words.rfind(";"), words.rfind(" \u2013 "))
    if cut == -1 or len(words[:cut].split()) < FRAGMENT_WORDS:
        cut = words.rstrip().rfind(" ")  # the last word may be cut off mid-word
    if cut == -1 or len(words[:cut].split()) < FRAGMENT_WORDS:
        unit.drop = True
        return
    unit.end = unit.start + cut


def rule_quoted_words(unit: Unit, page: Page) -> None:
    """A person's quoted or reported words are their statement, never the inspectorate's finding."""
    who = unit.speaker
    if who is None:
        return
    words = unit.text(page)
    if unit.reported and not re.search(r"[A-Za-z]{2}", words):
        unit.drop = True
        return
    unit.finding = ParsedFinding(unit.start, unit.end, Kind.statement, polarity_of(words), who.name, who.role,
                                 speech="reported" if unit.reported else "direct")
    # An inspector explaining how Engage works speaks of no force in particular; a chief constable's "we will engage
    # with this process" speaks of theirs.
    unit.general = explains_monitoring(words) and (who.role is None or who.role in INSPECTOR_ROLES or "HMICFRS" in who.role) and not names_one(unit, page)
    unit.done = True


def rule_parenthetical(unit: Unit, page: Page) -> None:
    """A sentence wholly in brackets ("(Picture: PA)") is no finding."""
    words = unit.text(page)
    if re.fullmatch(r"\(.*\)\.?", words) or not re.search(r"[A-Za-z]{2}", words):
        unit.drop = True


def rule_name_and_role_alone(unit: Unit, page: Page) -> None:
    """A paragraph that only names someone and their role ("Jo Sample, the county's police and crime commissioner.")
    is a photo's caption: no finding."""
    words = unit.text(page)
    if unit.block.kind != BlockKind.paragraph or unit.speaker is not None or len(words.split()) > 16 or not NAMED_ROLE.match(words):
        return
    if FINITE.search(words) is None and all(speaker_of(words)) and page.text[unit.block.start : unit.block.end].strip() == words.strip():
        unit.drop = True
        note_inspector(page, words)


# A letter's header as the inspectorate's pages print it: "From:", the inspector's name and role on lines of their own,
# then "To:" and (often) "Sent on:" with a date; the letter itself starts after it and ends at its sign-off, at another
# letter's header (a reply) or at a heading that starts someone else's part ("Response from the chief fire officer").
LETTER_FROM = re.compile(r"^From:?[ \t]*\n+(?P<name>[^\n]{3,80})\n+(?P<role>[^\n]{5,120})\n+(?:[^\n]{5,120}\n+)??To:?[ \t]*\n+(?:[^\n]{3,120}\n+){1,4}?"
                         r"(?:Sent on:?[ \t]*\n+[^\n]+\n)?", re.M)  # the colons are sometimes lost with the page's layout
LETTER_ENDS = re.compile(r"^(?:From:?[ \t]*$|Yours (?:sincerely|faithfully)|(?:Response|Reply|Annex|Appendix)\b)", re.M)
LETTER_HEAD = 1500  # how far into a page its letter header is looked for


def letter_author(text: str) -> tuple[Person, int, int] | None:
    """The HM Inspector an inspectorate's letter is from ("From:" / "Dru Sharpling" / "Her Majesty's Inspector of ...",
    then "To:" ...), and where the letter's body starts and ends: every sentence between is the inspector's, signed."""
    m = LETTER_FROM.search(text[:LETTER_HEAD])
    if not m:
        return None
    inspector = inspector_named(f"{m.group('name').strip()}, {m.group('role').strip()}")
    if inspector is None:
        return None
    end = LETTER_ENDS.search(text, m.end())
    return (inspector, m.end(), end.start() if end else len(text))


def signer(page: Page, unit: Unit) -> Person | None:
    """The inspector whose words a sentence of the inspectorate's is: under "HMI's observations", or in a letter from one."""
    if page.observer is not None:
        return page.observer
    return page.author[0] if page.author and page.author[1] <= unit.start < page.author[2] else None


def note_inspector(page: Page, words: str) -> None:
    """A line that only names an HM Inspector ("Jo Sample, Her Majesty's Inspector of Constabulary", a heading or a
    paragraph): the inspector whose observations may follow (Parser._heading, "HMI's observations")."""
    if inspector := inspector_named(words, page.subject):
        page.inspector = inspector


def inspector_named(words: str, organisation_id: str | None = None) -> Person | None:
    """The HM Inspector that words naming a person and role name ("Jo Sample, Her Majesty's Inspector of Constabulary"),
    or None for anyone else."""
    name, role = speaker_of(words)
    return Person(name, role, organisation_id) if name and role in INSPECTOR_ROLES else None


def rule_inline_label(unit: Unit, page: Page) -> None:
    """'Area for improvement: The force should ...': the label gives the kind, the quote is what follows."""
    m = INLINE_LABEL.match(unit.text(page))
    if m:
        _, kind = section_kind(m.group("label"))
        unit.kind = kind
        unit.context = None
        unit.start = unit.start + m.end()
        unit.finding = ParsedFinding(0, 0, kind or Kind.context, label=m.group("label").strip().capitalize())


def rule_lead_in(unit: Unit, page: Page) -> None:
    """The sentence that ends a paragraph with a colon ("... still needs to make some improvements, including:")
    is the context of what follows, not a finding of its own kind; one that only names what follows ("Its grades
    were:") is no finding at all."""
    if not unit.lead_in:
        return
    if unit.label_only and not is_grade_sentence(unit.text(page)):
        unit.drop = True
        return
    label = unit.finding.label if unit.finding else None
    words = unit.text(page)
    if is_grade_sentence(words):  # "It was judged 'outstanding' in the efficiency pillar:": a grade, and what follows shares it
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, polarity_of(words), grades=grades_in(words), label=label)
    else:
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral, label=label)
    unit.general = explains_monitoring(words) and not names_one(unit, page)  # "All forces start in the Scan phase, and:" is about none
    unit.done = True


def rule_first_person_release(unit: Unit, page: Page) -> None:
    """In a force's or commissioner's own release, its own sentences ("We have recruited ...") are its statements."""
    if not page.first_person or unit.block.kind == BlockKind.table_row:
        return
    words = unit.text(page)
    if FIRST_PERSON.search(words) and not REPORTS_INSPECTORATE.search(words):
        person = page.signatory if page.signatory and re.search(r"\b(?:I|my|me)\b", words) else None
        speaker, role = (person.name, person.role) if person else (None, "spokesperson")
        # The publisher's own words ("We have recruited ..."): theirs directly, though not in quotation marks.
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.statement, polarity_of(words), speaker, role, speech="direct")
        unit.done = True


def rule_inspectors_observations(unit: Unit, page: Page) -> None:
    """Under "HMI's observations", below the line naming the inspector, the inspector writes in the first person ("I am
    satisfied with most aspects of the force's performance"): those sentences are findings of their own kind, signed by
    the inspector (their speaker and role), so that "what did <inspector> say" finds them and "are they any good" too."""
    who = signer(page, unit)
    if who is None or unit.speaker is not None or unit.block.kind == BlockKind.table_row:
        return
    words = unit.text(page)
    if re.search(r"\b(?:I|[Mm]y|me)\b", words):
        # What it finds (a strength, an area for improvement) as the sentence's words say, signed by the inspector
        kind, polarity = classify(words)
        unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, who.name, who.role, speech="direct")
        unit.done = True


def rule_process_explanation(unit: Unit, page: Page) -> None:
    """"All forces start in the Scan phase ...": how monitoring works is context about no organisation."""
    if explains_monitoring(unit.text(page)) and not names_one(unit, page):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.general = True
        unit.done = True


def rule_scope_note(unit: Unit, page: Page) -> None:
    """"Kent Police, which was inspected separately, was not part of this report": context, not a finding about it."""
    if NOT_COVERED.search(unit.text(page)):
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context, Polarity.neutral)
        unit.done = True


def rule_grade(unit: Unit, page: Page) -> None:
    """A sentence or table row that states grades (or counts them) is a grade."""
    words = unit.text(page)
    if unit.block.kind == BlockKind.table_row:
        grades = grades_in(words)
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade if grades else Kind.context, Polarity.neutral, grades=grades)
        unit.done = True
        return
    if unit.block.kind == BlockKind.bullet and page.lead_grade and not is_grade_sentence(words):
        # After "Other areas rated 'requires improvement' include:", each bullet names an area with that grade.
        named = BULLET_AREA.match(words)
        grades = [(area, page.lead_grade) for area in area_names(named.group("area") if named else words)]
        if grades:
            unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, Polarity.neutral, grades=grades)
            unit.done = True
            return
    before = sentence_before(unit, page)
    counted = areas_counted(page.text[before.start : before.end], words) if before else []
    if counted:  # "Five areas were rated 'requires improvement'. They were A, B and C.": each named area a grade
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, Polarity.neutral, grades=counted)
        unit.done = True
        return
    lead = page.lead_in[0] if page.lead_in else None
    if unit.block.kind == BlockKind.bullet and lead and GRADING_LEAD.search(lead) and not is_grade_sentence(words):
        # After "... graded the service as follows:", "good at effectively keeping people safe" is a grade, not praise.
        grades = grades_in(words, graded=True)
        if grades:
            unit.finding = ParsedFinding(unit.start, unit.end, Kind.grade, polarity_of(words), grades=grades)
            unit.done = True
            return
    if is_grade_sentence(words):
        # "When the force was last inspected in 2022 it was graded adequate": an earlier grade, quotable, but
        # not one of this document's grades (an overview's "latest grades" must not list it).
        grades = [] if EARLIER_INSPECTION.search(words) or goes_on_about_an_earlier_inspection(unit, page) else grades_in(words)
        figure = counts_others(words)  # "Half of fire services were given RI grades", "of 28 cases audited, two were good": a figure
        unit.finding = ParsedFinding(unit.start, unit.end, Kind.context if figure else Kind.grade, polarity_of(words), grades=[] if figure else grades, praise=praise_grade(words) and not figure)
        unit.done = True


def sentence_before(unit: Unit, page: Page) -> ParsedFinding | None:
    """The finding straight before the unit, with nothing but spacing and closing marks between them."""
    before = page.findings[-1] if page.findings else None
    return None if before is None or page.text[before.end : unit.start].strip(" \n\t.\"'\u2019\u201d") else before


ALSO_THEN = re.compile(r"^(?:it|they|the (?:force|service|constabulary|brigade)) (?:(?:was|were|had been) )?also\b", re.I)


def goes_on_about_an_earlier_inspection(unit: Unit, page: Page) -> bool:
    """"It was also rated inadequate at X", straight after a sentence giving an earlier inspection's grade
    ("the previous report found it inadequate in Y"): that inspection's grade too."""
    before = sentence_before(unit, page)
    if before is None or not ALSO_THEN.match(unit.text(page)):
        return False
    said = page.text[before.start : before.end]
    return bool(EARLIER_INSPECTION.search(said) and GRADE_WORD.search(said))


def rule_status_change(unit: Unit, page: Page) -> None:
    """"X has been placed into special measures": a change of monitoring status, told as context with its status."""
    words = unit.text(page)
    status = status_of(words)
    if status in ("engage_entered", "engage_exited"):  # (put into Engage "in relation to five causes of concern": those causes, told; a dated past entry only recalls them)
        kind = Kind.cause_of_concern if status == "engage_entered" and FORMAL_CONCERN.search(words) and not HISTORY.search(words) else Kind.context
        unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity_of(words))
        unit.done = True


def rule_section_kind(unit: Unit, page: Page) -> None:
    """Under "Areas for improvement" or after a lead-in that names a kind, a sentence takes that kind."""
    kind = unit.kind
    if kind and unit.block.kind != BlockKind.table_row:
        if kind in (Kind.cause_of_concern, Kind.area_for_improvement) and unit.block.kind == BlockKind.paragraph and classify(unit.text(page))[0] == Kind.strength:
            return  # under "Cause of concern", a revisit letter's "We found robust governance in place to monitor progress" is progress: its own words decide
        polarity = Polarity.positive if kind == Kind.strength else Polarity.negative
        label = unit.finding.label if unit.finding else None
        unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label)
        unit.done = True


def rule_own_words(unit: Unit, page: Page) -> None:
    """Otherwise the sentence's own words decide (a neutral example, "That includes how it ...", is of the finding before it)."""
    kind, polarity = classify(unit.text(page))
    before = sentence_before(unit, page) if kind in (Kind.context, Kind.area_for_improvement) and EXAMPLE_OF_THE_LAST.match(unit.text(page)) else None
    if before is not None and before.speaker is None and before.kind in ((Kind.strength, Kind.area_for_improvement, Kind.cause_of_concern) if kind == Kind.context else (Kind.cause_of_concern,)):
        kind, polarity = before.kind, before.polarity  # (a criticism spelling out a cause of concern is part of it: "These concerns include ...")
    label = unit.finding.label if unit.finding else None
    unit.finding = ParsedFinding(unit.start, unit.end, kind, polarity, label=label, grades=plural_grades(unit.text(page)))
    unit.done = True


# Every unit goes through these in order; the first that decides, decides.
RULES = [
    rule_grade_line,
    rule_verdict_heading,
    rule_truncated_fragment,
    rule_quoted_words,
    rule_parenthetical,
    rule_name_and_role_alone,
    rule_inline_label,
    rule_lead_in,
    rule_first_person_release,
    rule_inspectors_observations,
    rule_process_explanation,
    rule_scope_note,
    rule_grade,
    rule_status_change,
    rule_section_kind,
    rule_own_words,
]


REPEATED_CHARS = 60  # a sentence at least this long printed twice on one page is one finding


def once(findings: list[ParsedFinding], text: str) -> list[ParsedFinding]:
    """A sentence a page prints twice about the same organisation, by the same speaker (a standfirst repeated as the
    story's first line, a pull quote) is one finding: the first; short ones ("Requires improvement") may rightly recur."""
    seen: set[tuple[str, str | None, str | None]] = set()
    kept = []
    for f in findings:  # the same words about two organisations in a round-up are two findings
        key = (" ".join(text[f.start : f.end].split()).casefold(), f.organisation_id, f.speaker)
        if len(key[0]) >= REPEATED_CHARS and key in seen:
            continue
        seen.add(key)
        kept.append(f)
    return kept
