"""The rules issue 17 added after reading real pages, one test each, in our own words (synthetic sentences about
fictional or real organisations, never a real page's text): grades one area each, Engage as pages say it, national
reports, speakers and reported speech, furniture, kinds, and the line that carries the news."""

import pytest

from knowledge.documents.grades import area_names, grades_in, is_grade_sentence
from knowledge.documents.parsing import Parser
from knowledge.matching import MentionFinder
from knowledge.reference import load_reference


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(MentionFinder(load_reference()))


def parse(parser: Parser, text: str):
    parsed = parser.parse(text)
    return parsed, {text[f.start : f.end]: f for f in parsed.findings}


# -- 3. grades in sentences, one area each ------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "grades"), [
    # several areas after one grade, each its own row
    ("Northshire Police was graded inadequate at responding to the public, at protecting vulnerable people and at strategic planning, "
     "organisational management and value for money.",
     [("responding to the public", "inadequate"), ("protecting vulnerable people", "inadequate"),
      ("strategic planning, organisational management and value for money", "inadequate")]),
    # grade words in quotation marks, and "ratings for"
    ("The force got 'outstanding' in building, supporting and protecting the workforce and 'good' ratings for responding to the public "
     "and investigating crime.",
     [("building, supporting and protecting the workforce", "outstanding"), ("responding to the public", "good"), ("investigating crime", "good")]),
    # a list after the grade, named the loose way ("how it treats the public")
    ("The inspectorate said the 'outstanding' areas included how the force tackles serious organised crime and how it treats the public.",
     [("tackling serious organised crime", "outstanding"), ("treatment of the public", "outstanding")]),
    ("Inspectors said the areas requiring improvement are recording data about crime; good use of resources; and managing offenders.",
     [("recording data about crime", "requires_improvement"), ("good use of resources", "requires_improvement"), ("managing offenders", "requires_improvement")]),
    # only the exception is named
    ("The report says the force is 'good' or 'adequate' in all areas, except investigating crime, where it 'requires improvement'.",
     [("investigating crime", "requires_improvement")]),
    # areas before the verb, named loosely: the inspectorate's names
    ("However, preventing fire and risk and promoting values and culture were rated 'requires improvement'.",
     [("preventing fires and other risks", "requires_improvement"), ("promoting the right values and culture", "requires_improvement")]),
    # a count that names its areas after a dash
    ("It was found inadequate in two areas \u2013 responding to the public and managing offenders.",
     [("responding to the public", "inadequate"), ("managing offenders", "inadequate")]),
    # fire pillars as the first round wrote them
    ("The service requires improvement at effectively and efficiently keeping people safe from fire.",
     [("effectiveness", "requires_improvement"), ("efficiency", "requires_improvement")]),
    ("Eastshire Fire was given a 'good' efficiency rating.", [("efficiency", "good")]),
])
def test_a_sentence_grades_each_area_it_names_once(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


@pytest.mark.parametrize("sentence", [
    "Inspectors graded the force across nine areas and found it requires improvement in four areas and inadequate in one.",
    "The service was rated 'good' in all areas.",
    "The force received three 'outstanding' judgements, five 'good' and one 'adequate'.",
    "The force was rated 'good' in a recent inspection.",
    "It was judged inadequate in several areas and requires improvement in the other five.",
])
def test_a_count_of_grades_is_a_grade_sentence_with_no_area(sentence: str):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == []


def test_overall_only_where_the_text_says_overall():
    assert grades_in("Westshire Fire and Rescue Service was rated requires improvement.") == []
    assert grades_in("The service was judged 'good' overall.") == [("overall", "good")]


@pytest.mark.parametrize(("phrase", "names"), [
    ("how the force responds to the public", ["responding to the public"]),
    ("its work in responding to the public", ["responding to the public"]),
    ("fire regulation", ["protecting the public through fire regulation"]),
    ("looking after its people", ["people"]),
    ("preventing crime and anti-social behaviour", ["preventing crime and anti-social behaviour"]),  # named whole: kept as written
    ("the other five areas", []),
])
def test_an_area_named_loosely_is_stored_under_the_inspectorates_name(phrase: str, names: list):
    assert area_names(phrase) == names


def test_a_list_of_areas_and_grades_is_a_table_and_each_line_one_grade(parser):
    text = (
        "synthetic test document\n\nNorthshire Fire and Rescue Service inspection results\n\n"
        "Northshire Fire and Rescue Service was inspected this year. The inspectorate found:\n"
        "- Understanding fires and other risks \u2013 Good\n"
        "- Future affordability \u2013 Requires improvement\n"
        "Protecting the public through fire regulation Adequate\n"
    )
    parsed, found = parse(parser, text)
    lines = [f for f in parsed.findings if f.grades]
    assert [f.grades for f in lines] == [[("Understanding fires and other risks", "good")], [("Future affordability", "requires_improvement")],
                                         [("Protecting the public through fire regulation", "adequate")]]
    assert {f.label for f in lines} == {"Grades table"}  # shown as from a table, not quoted as a sentence


def test_bullets_after_a_lead_in_that_names_a_grade_take_that_grade_once(parser):
    text = (
        "synthetic test document\n\nWestshire Fire and Rescue Service gets mixed results\n\n"
        "Westshire Fire and Rescue Service achieved 'good' in two pillars of the inspection:\n"
        "- Effectiveness \u2013 how it responds to fires.\n"
        "- People \u2013 how it looks after its staff.\n"
        "It was judged 'outstanding' in the efficiency pillar:\n"
        "- Efficiency \u2013 how it spends public money.\n"
        "Other areas listed as 'requiring improvement' include:\n"
        "- Preventing fires through home visits.\n"
    )
    parsed, _ = parse(parser, text)
    rows = [g for f in parsed.findings for g in f.grades]
    assert rows == [("effectiveness", "good"), ("people", "good"), ("efficiency", "outstanding"), ("preventing fires and other risks", "requires_improvement")]
