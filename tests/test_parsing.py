"""Parsing: the seed article's findings, their kinds, speakers and organisations."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.documents.grades import normalise_grade
from knowledge.documents.parsing import Parser
from knowledge.documents.reading import UnreadableDocument, read_file, read_text
from knowledge.documents.rules import ParsedFinding
from knowledge.documents.structure import trim
from tests.conftest import ARTICLES, ROOT

SEED = ROOT / "knowledge" / "corpus" / "000_0a597a7e525f5e3e.txt"


@pytest.fixture(scope="module")
def seed(parser: Parser) -> tuple[str, list[ParsedFinding]]:
    source = read_file(SEED)
    parsed = parser.parse(source.text, section=source.section)
    assert parsed.subject_id == "cambridgeshire"
    return source.text, parsed.findings


def by_text(seed, fragment: str) -> ParsedFinding:
    text, findings = seed
    hits = [f for f in findings if fragment in text[f.start : f.end]]
    assert len(hits) == 1, (fragment, [text[f.start : f.end] for f in hits])
    return hits[0]


def test_the_three_bullets_are_areas_for_improvement_with_their_lead_in(seed):
    text, findings = seed
    # The report's own negative sentences ("there are not enough qualified investigators") are areas for
    # improvement too now (issue 9: they were neutral context); the bullets are the ones under the lead-in.
    bullets = [text[f.start : f.end] for f in findings if f.kind == "area_for_improvement" and f.context and f.context.endswith("including:")]
    assert bullets == [
        "a more consistent approach to risk assessments when children are involved in domestic abuse cases",
        "more consistency in the way officers manage lower-risk registered sex offenders",
        "sharing information with partners sooner in online abuse investigations.",
    ]
    lead_in = by_text(seed, "still needs to make some improvements")
    assert lead_in.kind == "context"
    for f in findings:
        if f.kind == "area_for_improvement" and f.start > lead_in.start and text[f.start : f.end] in bullets:
            assert f.context == text[lead_in.start : lead_in.end]


def test_working_well_with_other_organisations_is_a_strength(seed):
    assert by_text(seed, "works well with other organisations to investigate child abuse").kind == "strength"


def test_not_enough_qualified_investigators_is_negative_and_quotes_only_the_report(seed):
    text, _ = seed
    finding = by_text(seed, "there are not enough qualified investigators")
    assert finding.polarity == "negative"
    assert finding.kind != "strength"
    assert text[finding.start : finding.end] == "there are not enough qualified investigators for child protection investigations."
    assert finding.context == "The report also said that"


def test_roy_wilshers_words_are_statements_including_the_paragraphs_that_continue_his_quote(seed):
    text, findings = seed
    statements = [f for f in findings if f.kind == "statement"]
    assert {f.speaker for f in statements} == {"Roy Wilsher"}
    assert {f.role for f in statements} == {"HM Inspector of Constabulary"}
    quoted = [text[f.start : f.end] for f in statements]
    assert quoted[0].startswith("Cambridgeshire Constabulary is committed to protecting children")
    assert any(q.startswith("However, some areas could be improved") for q in quoted)
    assert quoted[-1] == "The force has responded quickly to the areas of concern identified by this inspection, and I am confident it will continue to make improvements."
    assert not any("said:" in q or q.startswith("\u201c") for q in quoted)


def test_the_report_quote_is_not_a_person_speaking(seed):
    finding = by_text(seed, "We found specialist child protection staff")
    assert finding.speaker is None
    assert finding.kind == "strength"
    assert finding.context == "The report said:"


def test_every_seed_finding_belongs_to_cambridgeshire_and_is_a_clean_slice(seed):
    text, findings = seed
    assert len(findings) >= 10
    for f in findings:
        assert f.organisation_id == "cambridgeshire"
        quote = text[f.start : f.end]
        assert quote == quote.strip() and quote[0] not in "\u201c\u2018\"-" and not quote.endswith(("; and", ";", "\u201d"))


def test_a_finding_that_names_another_organisation_belongs_to_it(parser):
    source = read_file(ARTICLES / "thames_valley_2022.txt")
    parsed = parser.parse(source.text, section=source.section)
    assert parsed.subject_id == "thames-valley"
    owners = {source.text[f.start : f.end][:30]: f.organisation_id for f in parsed.findings}
    assert owners["The report said that Royal Ber"] == "royal-berkshire-fire"
    assert owners["Thames Valley Police was prais"] == "thames-valley"


def test_a_national_report_has_no_single_organisation(parser):
    source = read_file(ARTICLES / "national_2025.txt")
    parsed = parser.parse(source.text, section=source.section)
    assert parsed.subject_id is None
    assert parsed.findings and all(f.organisation_id is None for f in parsed.findings)
    assert any(f.kind == "recommendation" for f in parsed.findings)


def test_grades_from_sentences_and_spokespeople_are_not_inspectors(parser):
    source = read_file(ARTICLES / "gmp_2024.txt")
    parsed = parser.parse(source.text, section=source.section)
    grades = [f.grades for f in parsed.findings if f.kind == "grade"]
    assert grades == [[("responding to the public", "inadequate")]]
    spokesperson = [f for f in parsed.findings if f.role and "spokesperson" in f.role]
    assert spokesperson and spokesperson[0].speaker is None
    assert spokesperson[0].role == "spokesperson for Greater Manchester Police"
    inspector = {f.speaker for f in parsed.findings if f.role == "HM Inspector of Constabulary"}
    assert inspector == {"Alex Example"}


@pytest.mark.parametrize(("words", "grade"), [("Requires Improvement", "requires_improvement"), ("require improvement", "requires_improvement"), ("RI", "requires_improvement"),
                                               ("Inadequate", "inadequate"), ("good", "good")])
def test_grade_spellings_are_normalised(words, grade):
    assert normalise_grade(words) == grade


def test_trim_keeps_apostrophes_and_drops_list_glue():
    text = "- the officers\u2019; and"
    assert text[slice(*trim(text, 0, len(text)))] == "the officers\u2019"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_any_text_parses_into_findings_that_are_slices_of_it(parser, raw):
    try:
        source = read_text(("synthetic test document\n\n" + raw).encode("utf-8", "surrogatepass"))
    except (UnreadableDocument, UnicodeEncodeError):
        return
    for f in parser.parse(source.text).findings:
        assert 0 <= f.start < f.end <= len(source.text)
        assert source.text[f.start : f.end].strip()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_a_reason(parser, data):
    try:
        source = read_text(data)
    except UnreadableDocument as error:
        assert str(error)
        return
    for f in parser.parse(source.text).findings:
        assert 0 <= f.start < f.end <= len(source.text)


def test_grade_counts_commissioners_and_spokespeople(parser):
    text = (
        "date 2024-02-01 Police news (synthetic test document)\n\n"
        "HMICFRS graded Essex Police across eight areas of policing and found it requires improvement in three areas.\n\n"
        "Essex Police, Fire and Crime Commissioner Jo Sample said: \u201cI will hold the chief constable to account.\u201d\n\n"
        "Essex Police was rated good at preventing crime and inadequate at managing offenders."
    ).encode()
    source = read_text(text)
    findings = parser.parse(source.text, section=source.section).findings
    count = [f for f in findings if source.text[f.start : f.end].startswith("HMICFRS graded Essex Police")]
    assert count and count[0].kind == "grade" and count[0].grades == []  # a count of areas, not a grade of one
    [pcc] = [f for f in findings if f.kind == "statement"]
    assert (pcc.speaker, pcc.role) == ("Jo Sample", "Police and Crime Commissioner")
    [graded] = [f for f in findings if f.grades]
    assert graded.grades == [("preventing crime", "good"), ("managing offenders", "inadequate")]
    assert {f.organisation_id for f in findings} == {"essex"}


# -- the rules, one by one (issue 9) -----------------------------------------------------------------

from knowledge.documents.grades import grades_in  # noqa: E402
from knowledge.documents.kinds import classify, polarity_of, status_of  # noqa: E402
from knowledge.documents.names import Person, speaker_of  # noqa: E402
from knowledge.documents.rules import (  # noqa: E402
    RULES,
    Page,
    Unit,
    rule_first_person_release,
    rule_grade,
    rule_inline_label,
    rule_lead_in,
    rule_own_words,
    rule_parenthetical,
    rule_process_explanation,
    rule_quoted_words,
    rule_scope_note,
    rule_section_kind,
    rule_status_change,
    rule_truncated_fragment,
    rule_verdict_heading,
)
from knowledge.documents.structure import Block, BlockKind  # noqa: E402
from knowledge.documents.whole import DOCUMENT_RULES, rule_criticism_behind_engage, rule_failing_named_as_concern  # noqa: E402


def unit_of(sentence: str, *, kind: str | None = None, first_person: bool = False, last: bool = False, block_kind: str = BlockKind.paragraph,
            **unit: object) -> tuple[Unit, Page]:
    block = Block(block_kind, 0, len(sentence))
    page = Page(text=sentence, blocks=[block], starts=[], strong=[], subject=None, publisher_org=None,
                first_person=first_person, roundup=False, signatory=None)
    page.last_unit_end = len(sentence) if last else len(sentence) + 100
    return Unit(0, len(sentence), block, kind=kind, **unit), page


def test_the_rules_run_in_a_named_order():
    assert [r.__name__ for r in RULES] == [
        "rule_grade_line", "rule_verdict_heading", "rule_truncated_fragment", "rule_quoted_words", "rule_parenthetical", "rule_name_and_role_alone",
        "rule_inline_label", "rule_lead_in",
        "rule_first_person_release", "rule_inspectors_observations", "rule_process_explanation", "rule_scope_note", "rule_grade", "rule_status_change", "rule_section_kind",
        "rule_own_words",
    ]
    assert RULES[1] is rule_verdict_heading and RULES[2] is rule_truncated_fragment and RULES[-1] is rule_own_words
    assert DOCUMENT_RULES[:2] == [rule_failing_named_as_concern, rule_criticism_behind_engage]


def test_rule_verdict_heading_keeps_a_verdict_and_drops_any_other_heading():
    unit, page = unit_of("Despite some good practice, the quality of investigations is inconsistent", block_kind=BlockKind.heading)
    rule_verdict_heading(unit, page)
    assert unit.done and (unit.finding.kind, unit.finding.polarity, unit.finding.label) == ("area_for_improvement", "negative", "Verdict heading")
    unit, page = unit_of("How the force protects children", block_kind=BlockKind.heading)
    rule_verdict_heading(unit, page)
    assert unit.drop
    unit, page = unit_of("Despite some good practice, the quality of investigations is inconsistent")
    rule_verdict_heading(unit, page)
    assert not unit.done and not unit.drop  # not a heading: for the other rules


def test_rule_quoted_words_makes_a_persons_words_their_statement():
    chief = Person("Jo Sample", "Chief Constable", "kent")
    unit, page = unit_of("We need to improve how we answer 999 calls.", speaker=chief)
    rule_quoted_words(unit, page)
    assert unit.done and (unit.finding.kind, unit.finding.speaker, unit.finding.role) == ("statement", "Jo Sample", "Chief Constable")
    unit, page = unit_of("2,000", speaker=chief, reported=True)
    rule_quoted_words(unit, page)
    assert unit.drop  # a reported clause with no words in it
    unit, page = unit_of("We need to improve how we answer 999 calls.")
    rule_quoted_words(unit, page)
    assert not unit.done  # the inspectorate's own words


def test_rule_lead_in_makes_the_sentence_before_a_colon_context_and_a_bare_label_nothing():
    unit, page = unit_of("However, the force still needs to make some improvements, including:", lead_in=True)
    rule_lead_in(unit, page)
    assert unit.done and (unit.finding.kind, unit.finding.polarity) == ("context", "neutral")
    unit, page = unit_of("Its grades were:", lead_in=True, label_only=True)
    rule_lead_in(unit, page)
    assert unit.drop


def test_document_rules_make_the_criticism_behind_a_cause_of_concern_that_cause():
    text = "The force's failure to record crime was a cause for concern. Too many crimes went unrecorded last year."
    findings = [ParsedFinding(0, 60, "context", "negative"), ParsedFinding(61, len(text), "area_for_improvement", "negative")]
    rule_failing_named_as_concern(text, findings)
    assert [f.kind for f in findings] == ["context", "cause_of_concern"]
    text = "Kent Police was placed in Engage over concerns about how long callers wait for 999 calls. Callers wait too long for 999 calls to be answered."
    findings = [ParsedFinding(0, 89, "context", "negative", status="engage_entered"), ParsedFinding(90, len(text), "area_for_improvement", "negative")]
    rule_criticism_behind_engage(text, findings)
    assert findings[1].kind == "cause_of_concern"
    findings = [ParsedFinding(0, 89, "context", "negative", status="engage_exited"), ParsedFinding(90, len(text), "area_for_improvement", "negative")]
    rule_criticism_behind_engage(text, findings)
    assert findings[1].kind == "area_for_improvement"  # it has come out: what it went in over is history


def test_rule_truncated_fragment_keeps_what_a_cut_off_last_sentence_says_and_drops_a_stub():
    unit, page = unit_of("The force should urgently pro", last=True)
    rule_truncated_fragment(unit, page)
    assert unit.drop  # a stub: fewer than six whole words
    unit, page = unit_of("The force should act.", last=True)
    rule_truncated_fragment(unit, page)
    assert not unit.drop and unit.end == len("The force should act.")
    sentence = "Our crews have worked hard to raise standards across the county, as well as in the tra"
    unit, page = unit_of(sentence, last=True)
    rule_truncated_fragment(unit, page)
    assert not unit.drop and unit.text(page) == "Our crews have worked hard to raise standards across the county"  # up to its last clause break
    unit, page = unit_of("Initial training for custody staff is thorough and follows the nati", last=True)
    rule_truncated_fragment(unit, page)
    assert unit.text(page) == "Initial training for custody staff is thorough and follows the"  # the last word may be cut off


def test_rule_parenthetical_drops_a_bracketed_aside():
    unit, page = unit_of("(synthetic test document)")
    rule_parenthetical(unit, page)
    assert unit.drop


def test_rule_inline_label_gives_the_kind_and_quotes_what_follows():
    unit, page = unit_of("Area for improvement: The force should improve how it records crime.")
    rule_inline_label(unit, page)
    assert unit.kind == "area_for_improvement" and page.text[unit.start : unit.end] == "The force should improve how it records crime."


def test_rule_first_person_release_files_the_publishers_own_words_as_statements():
    unit, page = unit_of("We have recruited 18 more call handlers since the inspection took place.", first_person=True)
    rule_first_person_release(unit, page)
    assert unit.done and unit.finding.kind == "statement" and unit.finding.role == "spokesperson"
    unit, page = unit_of("Inspectors also said we need to do more to improve how we assess risk.", first_person=True)
    rule_first_person_release(unit, page)
    assert not unit.done  # the inspectorate's view, reported by the force: a finding


def test_rule_process_explanation_is_context_about_no_force():
    unit, page = unit_of("All forces start in the Scan phase, and a force may be escalated to Engage.")
    rule_process_explanation(unit, page)
    assert unit.done and unit.general and unit.finding.kind == "context"


def test_rule_scope_note_is_context():
    unit, page = unit_of("Kent Police, which was inspected separately, was not part of this report.")
    rule_scope_note(unit, page)
    assert unit.done and unit.finding.kind == "context"


def test_rule_grade_reads_grades_and_counts():
    unit, page = unit_of("In its first PEEL assessment, the force was graded outstanding in one area, good in four and adequate in two.")
    rule_grade(unit, page)
    assert unit.finding.kind == "grade" and unit.finding.grades == []


def test_rule_status_change_keeps_the_status_on_context():
    unit, page = unit_of("Devon and Cornwall Police has been placed into special measures.")
    rule_status_change(unit, page)
    assert unit.finding.kind == "context" and status_of(page.text) == "engage_entered"


def test_rule_section_kind_takes_the_headings_kind():
    unit, page = unit_of("The force should reduce the number of abandoned calls.", kind="area_for_improvement")
    rule_section_kind(unit, page)
    assert unit.finding.kind == "area_for_improvement" and unit.finding.polarity == "negative"


@pytest.mark.parametrize(("sentence", "kind"), [
    ("The force needs to do more to improve its process for reviewing cases.", "area_for_improvement"),
    ("The force has struggled to recruit call handlers.", "area_for_improvement"),
    ("The force has still not put in place a dedicated burglary team.", "area_for_improvement"),
    ("The service has made significant efforts to address the concerns about its fire safety audits.", "strength"),
    ("The force has made progress, but it still needs to make sure victims are kept informed.", "area_for_improvement"),
    ("The force works well with partners to protect children.", "strength"),
    ("Chief constables should review the vetting decisions of every officer.", "recommendation"),
    ("Within six months, the force should review its open investigations.", "recommendation"),
    ("The inspectorate made 43 recommendations.", "recommendation"),
    ("Of the 12 recommendations from its last inspection, the force has completed ten.", "context"),
    ("To help the force improve, we have made five recommendations to it and its commissioner.", "recommendation"),  # written by us
    ("Though its trend is a good one, with gains in many areas this year, the force still has work to do on its call handling.", "area_for_improvement"),
    ("The service has improved its audits but still has some way to go.", "area_for_improvement"),
    ("The report said the service needed to improve in some areas to give a consistently good service.", "area_for_improvement"),
    ("Inspectors found its computer systems needed to be more reliable.", "area_for_improvement"),
    ("The report also pointed to opportunities for further improvement in training.", "area_for_improvement"),
    ("Overall, we would like to see improvements in the year ahead.", "area_for_improvement"),
    ("The service was rated good in two of the three areas, but its efficiency is still requiring improvement.", "area_for_improvement"),
    ("However, the force should make sure staff know the orders that protect victims and feel confident to use them.", "area_for_improvement"),
    ("It also needs to make further changes so that it uses its resources well.", "area_for_improvement"),
    ("The force still needs to make \u201cmajor improvements\u201d to some of its child protection work, a report has found.", "area_for_improvement"),
    ("Though its course is a good one, having made improvements in many areas since last year, it still has work to do on investigations.",
     "area_for_improvement"),
])
def test_rule_own_words_reads_kinds_and_polarity_as_inspectors_write(sentence: str, kind: str):
    assert classify(sentence)[0] == kind


@pytest.mark.parametrize(("sentence", "grades"), [
    ("Westshire Police was graded inadequate at responding to the public and requires improvement at investigating crime.",
     [("responding to the public", "inadequate"), ("investigating crime", "requires_improvement")]),
    ("We were graded good at preventing crime, adequate at responding to the public, investigating crime and managing offenders.",
     [("preventing crime", "good"), ("responding to the public", "adequate"), ("investigating crime", "adequate"), ("managing offenders", "adequate")]),
    ("The force was rated good at building, supporting and protecting its workforce.", [("building, supporting and protecting its workforce", "good")]),
    ("HMICFRS found that the service's effectiveness is good, and that its efficiency and how it looks after its people both require improvement.",
     [("effectiveness", "good"), ("efficiency", "requires_improvement"), ("people", "requires_improvement")]),
    ("It was rated inadequate for its effectiveness, requires improvement for its efficiency and good for legitimacy.",
     [("effectiveness", "inadequate"), ("efficiency", "requires_improvement"), ("legitimacy", "good")]),
    ("The force was rated outstanding in one area, good in two and adequate in two.", []),
])
def test_grades_in_every_sentence_shape(sentence: str, grades: list):
    assert grades_in(sentence) == grades


@pytest.mark.parametrize(("sentence", "status"), [
    ("The force has been removed from enhanced monitoring.", "engage_exited"),
    ("It has returned to routine monitoring.", "engage_exited"),
    ("Westshire Police was moved into the Engage phase in 2022.", "engage_entered"),
    ("The inspectorate has moved the force into the Engage phase, its enhanced level of monitoring.", "engage_entered"),
    ("The verdict means the force is in effect plunged into special measures.", "engage_entered"),
    ("All forces start in the Scan phase and may be escalated to Engage.", None),
])
def test_monitoring_status_enters_and_leaves_but_explanations_do_not(sentence: str, status: str | None):
    assert status_of(sentence) == status


@pytest.mark.parametrize(("who", "speaker"), [
    ("Chief Constable Rachel Whitlow", ("Rachel Whitlow", "Chief Constable")),
    ("Tom Ashby, Kent's police and crime commissioner", ("Tom Ashby", "Police and Crime Commissioner")),
    ("Assistant Chief Constable Simon Falstead", ("Simon Falstead", "Assistant Chief Constable")),
    ("GMP's deputy chief constable, Martin Halewood", ("Martin Halewood", "Deputy Chief Constable")),
    ("Acting Chief Constable Dana Sample", ("Dana Sample", "Chief Constable")),
    ("Superintendent Priya Sample, who leads neighbourhood policing for the force", ("Priya Sample", "Superintendent")),
    ("Rebecca Sample, who chairs the Westshire Fire and Rescue Authority", ("Rebecca Sample", "chair of the fire and rescue authority")),
    ("Gavin Sample, chair of a national police federation working group on standards", ("Gavin Sample", "union official")),
    ("Tessa Gorringe, MP for Bury St Edmunds", ("Tessa Gorringe", "MP")),
    ("Writing in the report, HM Inspector of Constabulary Harriet Okonjo", ("Harriet Okonjo", "HM Inspector of Constabulary")),
])
def test_speakers_with_titles_before_or_after_their_names(who: str, speaker: tuple):
    assert speaker_of(who) == speaker


def test_reported_speech_is_quoted_whole_as_the_publishers_account(parser):
    text = (
        "synthetic test document\n\nWestshire Police failed victims, inspectors found.\n\n"
        'Tom Sample, the MP for Westtown, described the report as "shameful".\n\n'
        'Jo Sample, the police and crime commissioner, said that the force "must act now".\n'
    )
    said = {text[f.start : f.end]: f.speaker for f in parser.parse(text).findings if f.kind == "statement"}
    # The sentence as the publisher wrote it, attribution and all (issue 17): the person's own words are only
    # those inside the quotation marks, and the answer shows the rest as the publisher's account.
    assert said.get('Tom Sample, the MP for Westtown, described the report as "shameful".') == "Tom Sample", said
    assert said.get('Jo Sample, the police and crime commissioner, said that the force "must act now".') == "Jo Sample", said


def test_speakers_in_every_shape_and_only_the_inspectorate_makes_findings(parser):
    text = "\n\n".join([
        "date 2024-05-02 Westshire news (synthetic test document)",
        "Essex Police is taking too long to answer 999 calls, inspectors found.",
        "HM Inspector of Constabulary Jane Doe said:",
        "\u201cThe force has made real progress.",
        "\u201cHowever, it still needs to improve how it supervises investigations.\u201d",
        "\u201cWe accept every recommendation,\u201d said Chief Constable John Roe. He added: \u201cWe need to move quickly.\u201d",
        "Ms Doe said the force had \u201cstruggled to balance\u201d its priorities.",
        "According to the force's deputy chief constable, more officers will join the control room.",
    ])
    source = read_text(text.encode())
    findings = parser.parse_source(source).findings
    said = {source.text[f.start : f.end]: (f.kind, f.speaker, f.role) for f in findings}
    assert said["Essex Police is taking too long to answer 999 calls, inspectors found."][0] == "area_for_improvement"
    assert said["The force has made real progress."] == ("statement", "Jane Doe", "HM Inspector of Constabulary")
    assert said["However, it still needs to improve how it supervises investigations."] == ("statement", "Jane Doe", "HM Inspector of Constabulary")
    assert said["We accept every recommendation"] == ("statement", "John Roe", "Chief Constable")
    assert said["We need to move quickly."] == ("statement", "John Roe", "Chief Constable")
    assert said["Ms Doe said the force had \u201cstruggled to balance\u201d its priorities."] == ("statement", "Jane Doe", "HM Inspector of Constabulary")
    assert said["more officers will join the control room."] == ("statement", None, "Deputy Chief Constable")
    assert {f.organisation_id for f in findings} == {"essex"}


def test_the_header_lines_rest_is_text_and_the_title():
    source = read_text(b"date 2024-05-02 Westshire Police has been told to speed up how it answers 999 calls, a report has found.\n\nMore text here for the body.")
    assert source.section is None and source.text.startswith("Westshire Police has been told")
    assert source.title == "Westshire Police has been told to speed up how it answers 999 calls, a report has found."
    assert read_text(b"date 2024-05-02 Police news\n\nSome article text that is long enough.").section == "Police news"


def test_one_paragraph_per_line_pages_are_split_into_paragraphs(parser):
    text = "date 2024-05-02 Police news\nKent Police was praised for its work with victims of crime.\nHowever, the force needs to improve how it answers 101 calls at busy times.\n"
    source = read_text(text.encode())
    assert source.text.split("\n\n") == ["Kent Police was praised for its work with victims of crime.", "However, the force needs to improve how it answers 101 calls at busy times."]


def test_polarity_of_a_contrast_is_what_remains_to_be_done():
    assert polarity_of("Despite some good practice, the quality of investigations is inconsistent") == "negative"
    assert polarity_of("The force is good at preventing crime, but needs to do more to answer calls.") == "negative"


def test_a_cause_of_concern_and_its_recommendation_in_one_sentence_are_two_findings(parser):
    source = read_text(
        b"date 2019-10-03 Police news (synthetic test document)\n\n"
        b"The inspectorate issued a cause of concern about how Cumbria Constabulary protects vulnerable people, and recommended "
        b"that within six months it should review every open investigation involving a child."
    )
    found = [(source.text[f.start : f.end], f.kind, f.deadline) for f in parser.parse_source(source).findings]
    assert found == [
        ("The inspectorate issued a cause of concern about how Cumbria Constabulary protects vulnerable people", "cause_of_concern", None),
        ("within six months it should review every open investigation involving a child.", "recommendation", "within six months"),
    ]


def test_a_failing_that_seldom_happens_is_a_strength():
    assert polarity_of("Neighbourhood officers spend most of their time in their communities and are rarely taken away to cover response shifts.") == "positive"
    assert polarity_of("Neighbourhood officers are often taken away to cover response shifts.") == "negative"


def test_the_criticism_of_a_failing_a_cause_of_concern_names_is_that_cause_of_concern(parser):
    text = (
        "synthetic test document\n\nWestshire Police failed to record thousands of crimes, inspectors have found.\n\n"
        "Inspectors estimated that more than 8,000 crimes went unrecorded last year.\n\n"
        "The report found that the force closed too many investigations without a proper assessment of the evidence.\n\n"
        "The inspectorate said the force's failure to record crime was \"a serious cause for concern\".\n"
    )
    kinds = {text[f.start : f.end]: f.kind for f in parser.parse(text).findings}
    assert kinds["Westshire Police failed to record thousands of crimes, inspectors have found."] == "cause_of_concern"
    assert [k for q, k in kinds.items() if "8,000 crimes went unrecorded" in q] == ["cause_of_concern"]
    assert [k for q, k in kinds.items() if "closed too many investigations" in q] == ["area_for_improvement"]


@pytest.mark.parametrize(("sentence", "polarity"), [
    ("The report found that misconduct hearings are usually held in public.", "positive"),
    ("Inspectors found that officers were often sent to cover response shifts at short notice.", "negative"),
    ("In Westtown, neighbourhood officers had spent more than half of their shifts on response duties.", "negative"),
])
def test_what_neighbourhood_and_professional_standards_findings_mean(sentence: str, polarity: str):
    assert polarity_of(sentence) == polarity


def test_the_criticism_a_force_was_put_into_engage_over_is_a_cause_of_concern(parser):
    text = (
        "synthetic test document\n\nWestshire Police placed in special measures\n\n"
        "Westshire Police has been placed into special measures after concerns about how long the public waits for calls to be answered.\n\n"
        "Inspectors found that the force answered only 43 per cent of 999 calls within ten seconds.\n\n"
        "Inspectors also found that the force does not always supervise investigations well enough.\n"
    )
    kinds = {text[f.start : f.end]: f.kind for f in parser.parse(text).findings}
    assert [k for q, k in kinds.items() if "43 per cent of 999 calls" in q] == ["cause_of_concern"]
    assert [k for q, k in kinds.items() if "supervise investigations" in q] == ["area_for_improvement"]
