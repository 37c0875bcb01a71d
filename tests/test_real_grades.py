"""Grades in sentences, one area each (issue 17, round 6): the shapes real pages write grades in, each rule tested on
sentences we wrote ourselves (fictional or paraphrased, never a real page's text)."""

import pytest

from knowledge.documents.grades import grades_in, is_grade_sentence
from knowledge.documents.parsing import Parser
from tests.conftest import parse


def grades_of(parser: Parser, text: str) -> list[tuple[str, str]]:
    """The grades recorded for a page written for the test (its last line says so), in text order."""
    return [grade for f in parse(parser, text)[0].findings for grade in f.grades]


@pytest.mark.parametrize(("sentence", "grades"), [
    # a "but" or "however" before the grade turns back to praise after a criticism: the areas are graded
    ("But Westshire Fire and Rescue Service is good at responding to fires and other emergencies and at protecting the public "
     "through fire regulation.",
     [("responding to fires and other emergencies", "good"), ("protecting the public through fire regulation", "good")]),
    ("However, the brigade is good at responding to major incidents and managing performance and developing leaders, inspectors said.",
     [("responding to major and multi-agency incidents", "good"), ("managing performance and developing leaders", "good")]),
])
def test_praise_of_graded_areas_after_a_turn_is_a_grade_for_each(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


def test_praise_followed_by_a_criticism_is_still_no_grade():
    assert grades_in("The force is good at investigating crime, but it must improve how it supervises cases.") == []


@pytest.mark.parametrize(("sentence", "grades"), [
    # "with" inside an area's name does not end it
    ("Eastshire's service is also good at getting the right people with the right skills and at preventing fires and other risks.",
     [("getting the right people with the right skills", "good"), ("preventing fires and other risks", "good")]),
    ("The inspectors rated the service good in managing performance and developing leaders, having the right people with the right "
     "skills, fire regulation and promoting fairness and diversity.",
     [("managing performance and developing leaders", "good"), ("getting the right people with the right skills", "good"),
      ("protecting the public through fire regulation", "good"), ("ensuring fairness and promoting diversity", "good")]),
    # ... but "with" after an area still ends it
    ("The force was rated good at responding to the public, with most calls answered within a minute.", [("responding to the public", "good")]),
])
def test_with_inside_an_areas_name_does_not_cut_the_list(sentence: str, grades: list):
    assert grades_in(sentence) == grades


def test_requires_improvement_to_a_pillar_or_to_how_it_works_grades_that(parser):
    page = ("Northshire Fire and Rescue Service requires improvement to its effectiveness.\n\n"
            "It also requires improvement in the way it supports its workforce.\n\n"
            "Its effectiveness requires improvement, the report repeats.\n")
    assert grades_of(parser, page) == [("effectiveness", "requires_improvement"), ("building, supporting and protecting the workforce", "requires_improvement")]  # each area once
    assert grades_in("The force requires improvement in how it investigates crime, inspectors said.") == [("investigating crime", "requires_improvement")]


def test_a_gerund_alone_before_and_shares_the_object_after_it():
    sentence = "Inspectors rated Northshire Police good at preventing and deterring crime and at managing suspects."
    assert grades_in(sentence) == [("preventing and deterring crime", "good"), ("managing suspects", "good")]


@pytest.mark.parametrize(("sentence", "grades"), [
    ("The report says the force must do better in protecting vulnerable people, answering emergency calls and investigating crime, "
     "which were all rated 'requires improvement'.",
     [("protecting vulnerable people", "requires_improvement"), ("answering emergency calls", "requires_improvement"),
      ("investigating crime", "requires_improvement")]),
    ("More work is needed at responding to the public and managing offenders, which were both rated inadequate.",
     [("responding to the public", "inadequate"), ("managing offenders", "inadequate")]),
])
def test_areas_before_a_which_that_grades_them_all_take_that_grade(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


def test_a_sentence_going_on_about_an_earlier_inspection_records_none_of_its_grades(parser):
    page = ("Inspectors rated Northshire Police good at investigating crime.\n\n"
            "That is better than the previous report, which found the force 'inadequate' in managing offenders. "
            "It was also rated as needing improvement in protecting vulnerable people and responding to the public.\n\n"
            "The force was also rated good at preventing crime.\n")
    assert grades_of(parser, page) == [("investigating crime", "good"), ("preventing crime", "good")]


@pytest.mark.parametrize("sentence", [
    "In its latest inspection every one of the overall judgement areas was rated 'good' or 'adequate'.",
    "Westshire's overall rating was 'good' or 'adequate' in every year since 2019.",
])
def test_overall_judgement_areas_and_one_of_two_grades_are_no_overall_grade(sentence: str):
    assert grades_in(sentence) == []


@pytest.mark.parametrize(("sentence", "grades"), [
    # an area ends before "and revealed", "including" and "in a ... inspection"
    ("Inspectors judged the brigade 'inadequate' at looking after its 'own staff' and said that morale was low.",
     [("people", "inadequate")]),
    ("Northshire Police was judged 'outstanding' at prevention and deterrence, including its use of a patrol app.",
     [("preventing and deterring crime", "outstanding")]),
    ("Southshire Fire and Rescue Service was rated 'requires improvement' in key areas such as preventing fire and other risks "
     "in a fresh inspection.",
     [("preventing fire and other risks", "requires_improvement")]),
    # "major incidents" starts an area of its own; "response" is responding
    ("It was rated adequate in three areas, including its response to emergencies and major incidents.",
     [("responding to fires and other emergencies", "adequate"), ("responding to major and multi-agency incidents", "adequate")]),
])
def test_an_area_ends_where_the_sentence_moves_on(sentence: str, grades: list):
    assert grades_in(sentence) == grades


def test_the_sentence_after_a_count_of_areas_names_them_each_with_the_counts_grade(parser):
    page = ("Westshire Fire and Rescue Service was inspected in the spring.\n\n"
            "Its chief fire officer said she was sorry that three of the eleven areas were rated 'inadequate'. "
            "They were Promoting Values and Culture, Preventing Fire and Risk and Best Use of Resources.\n")
    assert grades_of(parser, page) == [("promoting the right values and culture", "inadequate"), ("preventing fires and other risks", "inadequate"),
                                       ("making best use of resources", "inadequate")]


@pytest.mark.parametrize("page", [
    # two grades counted: which is whose is not said
    "Northshire Police was rated adequate in three areas and good in two areas. They were investigating crime and managing offenders.\n",
    # more areas named than counted: not the count's areas
    "Two areas were rated inadequate. They were responding to the public, investigating crime and managing offenders.\n",
])
def test_areas_after_a_count_are_graded_only_when_the_count_gives_one_grade_for_as_many(parser, page: str):
    assert grades_of(parser, page) == []


def test_areas_counted_as_placed_in_a_grade_are_a_grade_sentence_with_no_area():
    sentence = "The service said it was let down that four of its areas were placed in 'Requires Improvement'."
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == []


@pytest.mark.parametrize(("sentence", "grades"), [
    ("The panel heard that Crime Data Integrity \u2013 rated as outstanding \u2013 is kept under review.",
     [("Crime Data Integrity", "outstanding")]),
    ("Its work on Managing Offenders (rated 'adequate') was discussed at the panel.", [("managing offenders", "adequate")]),
])
def test_an_area_in_title_case_with_its_grade_between_dashes_or_in_brackets(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


def test_an_organisation_with_its_grade_between_dashes_is_no_area():
    assert grades_in("Northshire Police \u2013 rated good \u2013 said it was pleased.") == []


@pytest.mark.parametrize(("sentence", "grades"), [
    # an area named as the page names it, not under another area's name
    ("Inspectors rated the service good at providing an affordable service.", [("providing an affordable service", "good")]),
    ("The force was rated good at future affordability.", [("future affordability", "good")]),
])
def test_affordability_is_future_affordability_only_where_the_future_is_said(sentence: str, grades: list):
    assert grades_in(sentence) == grades


def test_a_counts_areas_after_which_assessed_are_read_between_commas_when_as_many_as_counted():
    sentence = ("Northshire Police was rated inadequate overall and in two areas by the inspectorate, which assessed its ability to "
                "keep people safe, as well as how it treats the public.")
    assert grades_in(sentence) == [("keep people safe", "inadequate"), ("treatment of the public", "inadequate"), ("overall", "inadequate")]


def test_a_count_with_fewer_areas_named_between_commas_grades_none_of_them():
    sentence = "Northshire Police was rated inadequate in three areas, which assessed its ability to keep people safe, as well as its finances."
    assert grades_in(sentence) == []


def test_overall_and_the_areas_of_one_sentence_are_both_recorded():
    assert grades_in("The force was rated good overall and outstanding at investigating crime.") == [
        ("investigating crime", "outstanding"), ("overall", "good")]


def test_who_graded_may_stand_between_the_grade_and_its_area():
    sentence = "Eastshire's fire service was judged 'inadequate' by the watchdog for preventing blazes last spring."
    assert grades_in(sentence) == [("preventing fires and other risks", "inadequate")]


@pytest.mark.parametrize("sentence", [
    "Westshire's fire service was rated 'good' by the inspectorate.",
    "Northshire's police force was judged to be 'inadequate' last year.",
])
def test_a_places_force_or_service_rated_is_no_area(sentence: str):
    assert grades_in(sentence) == []


@pytest.mark.parametrize(("sentence", "grades"), [
    ("Westshire Police has improved its oversight of criminal investigations and how it answers 999 calls, being graded 'good' in both areas.",
     [("investigating crime", "good"), ("answering 999 calls", "good")]),
    ("The force got better at answering calls and at protecting vulnerable people, and was rated adequate in both.",
     [("answering calls", "adequate"), ("protecting vulnerable people", "adequate")]),
])
def test_two_areas_named_before_a_grade_in_both_take_that_grade(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


def test_in_both_with_no_two_areas_before_it_grades_none():
    assert grades_in("It was rated good in both areas, the report says.") == []


def test_requires_improvements_in_the_plural_grades_each_area_and_keeps_the_kind_its_words_give(parser):
    text = ("Westshire Fire and Rescue Service requires improvements to how it enforces fire regulation and how it understands risk, "
            "as its audits are too few.\n(synthetic test document, written by us)\n")
    (finding,) = [f for f in parser.parse(text).findings if f.grades]
    assert finding.grades == [("protecting the public through fire regulation", "requires_improvement"),
                              ("understanding fires and other risks", "requires_improvement")]
    assert finding.kind != "grade"  # what its own words make it, as before


def test_requires_improvement_in_how_it_does_two_things_grades_both():
    assert grades_in("The force requires improvement in how it answers calls and how it investigates crime.") == [
        ("answering calls", "requires_improvement"), ("investigating crime", "requires_improvement")]


@pytest.mark.parametrize(("sentence", "grades"), [
    # Fixture written by us: PEEL's pillars named by their adverb, as its summaries wrote them.
    ("The extent to which the force operates efficiently and sustainably is good.", [("efficiency", "good")]),
    ("The extent to which the force treats the public and its workforce legitimately requires improvement.", [("legitimacy", "requires_improvement")]),
    ("The service treats its staff legitimately, inspectors found, and is good at investigating crime.", [("investigating crime", "good")]),
])
def test_a_pillar_named_by_its_adverb_is_graded(sentence: str, grades: list):
    assert grades_in(sentence) == grades


@pytest.mark.parametrize("sentence", [
    "Westshire Police was told it requires improvement or was inadequate in more than half the categories of a recent inspection.",
    "The force was rated good in the majority of the areas inspected.",
    "The service was graded inadequate in a third of the areas looked at.",
])
def test_a_share_of_the_areas_is_no_area(sentence: str):
    assert not any(area.lower().startswith(("more than", "the majority", "a third")) for area, _ in grades_in(sentence)), grades_in(sentence)


@pytest.mark.parametrize(("sentence", "grades"), [
    # a list whose items a semicolon separates, each opening as an area does (round 9)
    ("Inspectors also graded Westshire Police 'good' at recording data about crime; managing offenders and suspects; and "
     "leadership and force management.",
     [("recording data about crime", "good"), ("managing offenders and suspects", "good"), ("leadership and force management", "good")]),
    # the newest PEEL area named whole is one area, not two
    ("The report graded the force 'outstanding' at preventing and deterring crime and reducing vulnerability.",
     [("preventing and deterring crime and reducing vulnerability", "outstanding")]),
    # a count of areas, their grade, then as many areas as counted, quoted or not
    ("Three categories were ranked 'adequate' - including 'investigating crime', 'managing offenders', and 'responding to the public'.",
     [("investigating crime", "adequate"), ("managing offenders", "adequate"), ("responding to the public", "adequate")]),
    ("Two areas of its work drew a 'good' score - treatment of the public and developing a positive workplace.",
     [("treatment of the public", "good"), ("developing a positive workplace", "good")]),
    ("Investigating crime and responding to the public were given adequate ratings.",
     [("investigating crime", "adequate"), ("responding to the public", "adequate")]),
])
def test_lists_counts_and_ratings_given_grade_each_area(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


@pytest.mark.parametrize("sentence", [
    # as many areas must be named as counted, and a semicolon after praise ends it
    "Three categories were ranked 'adequate', including investigating crime.",
    "The force is good at investigating crime; it must still improve how it answers calls.",
])
def test_a_count_without_its_areas_or_praise_before_a_semicolon_grades_nothing(sentence: str):
    assert grades_in(sentence) == []


@pytest.mark.parametrize(("sentence", "grades"), [
    # "in the areas of", and two gerunds sharing one object that together name no area of their own
    ("Inspectors graded Westshire Police as 'Adequate' in the areas of preventing and investigating crime and developing a positive workplace.",
     [("preventing crime", "adequate"), ("investigating crime", "adequate"), ("developing a positive workplace", "adequate")]),
    # ... while two that do stay one area
    ("The force was rated outstanding at preventing and deterring crime and good at investigating crime.",
     [("preventing and deterring crime", "outstanding"), ("investigating crime", "good")]),
    # areas before "were rated as being in the <grade> category", one of them after "as well as"
    ("Managing offenders and suspects, as well as building, supporting and protecting the workforce were rated as being in the adequate category.",
     [("Managing offenders and suspects", "adequate"), ("building, supporting and protecting the workforce", "adequate")]),
    # what the inspectors found "the way in which" the force does something to be
    ("Inspectors found that the way in which the force protects vulnerable people requires improvement.",
     [("protecting vulnerable people", "requires_improvement")]),
    # a count of areas, then as many areas named
    ("The inspection found the service 'good' in all three categories of effectiveness, efficiency and people.",
     [("effectiveness", "good"), ("efficiency", "good"), ("people", "good")]),
])
def test_more_shapes_of_areas_each_get_their_grade(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


def test_every_area_then_each_named_after_a_colon_grades_each():
    sentence = ("Inspectors judged that the brigade \"requires improvement\" in every area: effectively keeping people safe from fire, "
                "efficiently keeping people safe from fire and looking after its people.")
    assert grades_in(sentence) == [("effectiveness", "requires_improvement"), ("efficiency", "requires_improvement"), ("people", "requires_improvement")]
    assert grades_in("The service is 'good' in the category understanding fire and other risks.") == [("understanding fire and other risks", "good")]


def test_a_count_of_categories_without_their_names_grades_no_area():
    assert grades_in("The service was good in all three categories of its work.") == []


@pytest.mark.parametrize("sentence", [
    # found by review (round 9): a clause with its own grade after a semicolon, "given" that is no rating, a colon after
    # "every area" followed by no area
    "Inspectors graded Westshire Police good at preventing crime; managing offenders requires improvement.",
    "Investigating crime was given adequate resources.",
    "Responding to the public was given a good deal of attention.",
    "The force requires improvement in every area: it must do more to protect people.",
])
def test_what_only_looks_like_a_list_of_graded_areas_grades_no_more_than_it_says(sentence: str):
    assert all(grade[0] != "managing offenders" for grade in grades_in(sentence))
    assert grades_in(sentence) in ([], [("preventing crime", "good")])


def test_an_adverb_before_an_area_grades_that_area_and_a_list_keeps_every_item_before_but():
    # found by review (round 9)
    assert grades_in("Westshire Police was rated 'good' at investigating crime, responding to the public and effectively managing offenders.") == [
        ("investigating crime", "good"), ("responding to the public", "good"), ("managing offenders", "good")]
    assert grades_in("The force was rated 'good' at preventing crime; responding to the public; and protecting vulnerable people, "
                     "but 'inadequate' at managing offenders.") == [
        ("preventing crime", "good"), ("responding to the public", "good"), ("protecting vulnerable people", "good"), ("managing offenders", "inadequate")]


@pytest.mark.parametrize(("sentence", "grades"), [
    ("Its work falls under three headings - effectiveness, efficiency and legitimacy; and Westshire Police was rated Good - the "
     "second-best of four grades - on all counts.", [("effectiveness", "good"), ("efficiency", "good"), ("legitimacy", "good")]),
    ("After its PEEL (police effectiveness, efficiency and legitimacy) assessment the force received a grade of \u201cGood\u201d across the board.",
     [("effectiveness", "good"), ("efficiency", "good"), ("legitimacy", "good")]),
    ("Westshire Police was graded good across the board.", []),  # which areas the board holds, the sentence does not say
    # no grade given: progress, staffing or work that is good or inadequate "across the board" grades no pillar
    ("There has been good progress across the board, with improvements in the force's effectiveness, efficiency and legitimacy.", []),
    ("Staffing was inadequate across the board, the effectiveness and efficiency report found.", []),
    ("The service has made good improvements in all areas since its last effectiveness and efficiency inspection.", []),
    ("The force was rated requires improvement for how risk to vulnerable people is identified and assessed.",
     [("how risk to vulnerable people is identified and assessed", "requires_improvement")]),  # "and assessed" is the area's own
    ("The force was good in all areas, the report on its effectiveness said.", []),  # one pillar named is no list of them
    ("It was graded as \u2018Good\u2019 for investigating crime and reducing re-offending, and classed as \u2018Requires Improvement\u2019 for protecting vulnerable people.",
     [("investigating crime and reducing re-offending", "good"), ("protecting vulnerable people", "requires_improvement")]),
])
def test_a_grade_across_the_board_is_each_pillar_the_sentence_names(sentence: str, grades: list):
    assert grades_in(sentence) == grades


@pytest.mark.parametrize(("sentence", "grades"), [
    ("The way officers investigate crime and how they respond to the public were given adequate ratings in the report.",
     [("investigating crime", "adequate"), ("responding to the public", "adequate")]),
    ("The report graded nine areas, with only one, 'recording data about crime', judged to be good.", [("recording data about crime", "good")]),
    ("Staff called the 'slow response' rated as inadequate by the public.", []),  # quoted words that name no graded area
    # no grade given: how grading works, someone else's judgement, a hope, a condition, a past grade now changed
    ("The way forces are rated good or outstanding has changed since 2021.", []),
    ("The way the force handled the complaint was deemed inadequate by the complaints body.", []),
    ("The force hopes to see 'investigating crime' rated outstanding at the next inspection.", []),
    ("If 'responding to the public' is judged to be inadequate again, the force will be moved into Engage.", []),
    ("The force wanted 'protecting vulnerable people' judged to be outstanding.", []),
])
def test_areas_as_the_way_or_in_quotation_marks_take_the_grade_given_them(sentence: str, grades: list):
    assert grades_in(sentence) == grades
