"""The rules issue 17 added after reading real pages, one test each, in our own words (synthetic sentences about
fictional or real organisations, never a real page's text): grades one area each, Engage as pages say it, national
reports, speakers and reported speech, furniture, kinds, and the line that carries the news."""

import pytest

from knowledge.documents.areas import area_names
from knowledge.documents.grades import grades_in, is_grade_sentence
from knowledge.documents.names import speaker_of
from tests.conftest import parse

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
    ("Northshire Police has been assessed as 'good' at reducing crime and keeping the public safe following an inspection.",
     [("reducing crime and keeping the public safe", "good")]),
    # a count's areas after who graded them
    ("Northshire Police was graded \u201coutstanding\u201d in three areas by the inspectorate (HMICFRS) including preventing crime, treatment "
     "of the public and use of resources.",
     [("preventing crime", "outstanding"), ("treatment of the public", "outstanding"), ("good use of resources", "outstanding")]),
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
    "Northshire Police has been told it requires improvement in the newest round of PEEL inspections.",  # a round is no area
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
    # older PEEL's effectiveness question, its two halves either way round: one area, never two
    ("reducing crime and keeping the public safe", ["reducing crime and keeping the public safe"]),
    ("the other five areas", []),
    # "how it <verb>s" an area the inspectorate names whole: that area, not a later round's name for it
    ("how it understands the risk of fire and other emergencies", ["understanding the risk of fire and other emergencies"]),
    # a verb and the adverb of a pillar: the pillar
    ("operating efficiently", ["efficiency"]),
    ("how the service operates efficiently and sustainably", ["efficiency"]),
])
def test_an_area_named_loosely_is_stored_under_the_inspectorates_name(phrase: str, names: list):
    assert area_names(phrase) == names


def test_a_list_of_areas_and_grades_is_a_table_and_each_line_one_grade(parser):
    text = (
        "Northshire Fire and Rescue Service inspection results\n\n"
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
        "Westshire Fire and Rescue Service gets mixed results\n\n"
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


def test_a_lead_in_gives_its_bullets_the_grade_its_colon_opens_not_an_asides_or_an_earlier_areas(parser):
    text = (
        "Commissioner answers the inspection of Northshire Police\n\n"
        "Northshire Police was rated 'good' (one step below 'outstanding') at:\n\n"
        "\u2022 investigating crime\n\n\u2022 managing offenders\n\n"
        "It was rated 'adequate' at protecting vulnerable people, but 'inadequate' in:\n\n"
        "\u2022 responding to the public\n"
    )
    parsed, _ = parse(parser, text)
    rows = [g for f in parsed.findings for g in f.grades]
    assert rows == [("investigating crime", "good"), ("managing offenders", "good"), ("protecting vulnerable people", "adequate"),
                    ("responding to the public", "inadequate")]


@pytest.mark.parametrize(("sentence", "grades"), [
    # a pillar named by its adjective, as PEEL and the first fire inspections wrote it
    ("The extent to which the force is effective at keeping people safe and reducing crime requires improvement.",
     [("effectiveness", "requires_improvement")]),
    ("The extent to which the service is efficient at keeping people safe and secure from fire and other risks is inadequate.",
     [("efficiency", "inadequate")]),
    ("The extent to which the service looks after its people is good.", [("people", "good")]),
    ("Westshire Constabulary has been assessed as good in respect of its effectiveness at keeping people safe.", [("effectiveness", "good")]),
    # the pillar list ends where the writer's clause begins
    ("Rating the county's service as 'good' for its effectiveness, efficiency and leadership, the inspector said", [
        ("effectiveness", "good"), ("efficiency", "good"), ("leadership", "good")]),
    ("The brigade was rated 'good' in the three main pillars assessing effectiveness, efficiency and how well it looks after its staff.", [
        ("effectiveness", "good"), ("efficiency", "good"), ("people", "good")]),
    # areas named by nouns before the verb, and "needing improvement"
    ("Response to the public, investigation and management of offenders were rated as needing improvement.", [
        ("responding to the public", "requires_improvement"), ("investigating crime", "requires_improvement"),
        ("managing offenders", "requires_improvement")]),
    ("The force's protection of vulnerable people was rated as inadequate.", [("protecting vulnerable people", "inadequate")]),
    ("Two areas graded as requiring improvement are investigating crime and leadership and force management.", [
        ("investigating crime", "requires_improvement"), ("leadership and force management", "requires_improvement")]),
    ("Of its nine areas the force was rated 'good' in only one: treatment of the public.", [("treatment of the public", "good")]),
    # the area stops where the sentence moves on
    ("It was rated 'outstanding' at promoting the right values and culture and has started a new scheme.", [
        ("promoting the right values and culture", "outstanding")]),
    ("It was rated 'good' at preventing fires and other risks, however it was short of on-call crews.", [("preventing fires and other risks", "good")]),
    # "good at" an area the inspectorate grades, in a sentence that asks nothing more of it
    ("Eastshire Fire and Rescue Service is good at understanding the risk of fire and other emergencies, and that helps it plan.", [
        ("understanding the risk of fire and other emergencies", "good")]),
])
def test_a_pillar_or_area_named_the_ways_real_pages_name_it(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert grades_in(sentence) == grades


@pytest.mark.parametrize(("sentence", "grades"), [
    ("However, the way it tackles serious and organised crime requires improvement.", [("tackling serious and organised crime", "requires_improvement")]),
    ("Its effectiveness at investigating crime and reducing re-offending also requires improvement.",
     [("investigating crime and reducing re-offending", "requires_improvement")]),
    ("Inspectors rated Northshire Police's efficiency as good, and branded the force's legitimacy as outstanding.",
     [("efficiency", "good"), ("legitimacy", "outstanding")]),
    ("Overall, the force's crime recording was judged to be 'inadequate'.", [("crime recording", "inadequate")]),
    ("Northshire Police received an overall grading of 'Requires Improvement'.", [("overall", "requires_improvement")]),
    ("The areas in which the force was judged as adequate includes investigating crime, and leadership and management.",
     [("investigating crime", "adequate"), ("leadership and force management", "adequate")]),
    ("The outstanding grades include one for its values and culture which it also had last time.",
     [("promoting the right values and culture", "outstanding")]),
    ("The service was found to be 'inadequate' when it comes to fire prevention.", [("preventing fires and other risks", "inadequate")]),
    ("Its prevention work was rated as 'adequate', as was its support of the workforce.",
     [("building, supporting and protecting the workforce", "adequate"), ("prevention work", "adequate")]),
])
def test_more_shapes_of_a_grade_in_a_sentence(sentence: str, grades: list):
    assert is_grade_sentence(sentence)
    assert sorted(grades_in(sentence)) == sorted(grades)


def test_a_grade_word_before_overall_and_a_noun_grades_nothing():
    assert grades_in("Good overall approach to using police powers and treating people fairly.") == []
    assert grades_in("The service was judged good overall.") == [("overall", "good")]


def test_each_pillar_of_a_sentence_that_grades_them_one_by_one():
    assert grades_in("The brigade's effectiveness was graded requires improvement, its efficiency was graded good and its people were graded "
                     "inadequate.") == [("effectiveness", "requires_improvement"), ("efficiency", "good"), ("people", "inadequate")]


def test_a_grade_read_from_praise_gives_way_to_the_tables_grade(parser):
    text = (
        "PEEL 2023-25: Northshire Police\n\n"
        "We found that Northshire Police is good at preventing crime and that it works with partners.\n\n"
        "Area | Grade\nPreventing crime | Good\nResponding to the public | Adequate\n"
    )
    parsed, found = parse(parser, text)
    praise = found["We found that Northshire Police is good at preventing crime and that it works with partners."]
    assert (praise.kind, praise.grades) == ("strength", [])
    assert [g for f in parsed.findings for g in f.grades] == [("Preventing crime", "good"), ("Responding to the public", "adequate")]


def test_a_grade_under_a_pages_date_grades_the_question_above_it(parser):
    text = "Westshire 2021/22\n\nHow effective is the fire and rescue service at keeping people safe and secure?\n\nLast updated 15/12/2021\nRequires improvement\n\nThe service must do more.\n"
    parsed, _ = parse(parser, text)
    assert [g for f in parsed.findings for g in f.grades] == [("effectiveness", "requires_improvement")]


@pytest.mark.parametrize("sentence", [
    "Eastshire Fire and Rescue Service is good at understanding its communities.",  # praise: no area the inspectorate grades
    "Northshire Police is good at preventing crime but must do better at answering calls.",  # the finding is what it must do
    "Inspectors found no area that was rated 'requires improvement' in any of the categories assessed.",
])
def test_praise_in_the_words_of_a_grade_is_not_a_grade(sentence: str):
    assert grades_in(sentence) == []


@pytest.mark.parametrize("sentence", [
    "The service needs the right people with the right skills, and its recruitment of such people was inadequate.",
    "The extent to which the force keeps people safe was a question inspectors asked; its response was good.",
])
def test_people_is_a_pillar_only_where_it_names_one(sentence: str):
    assert ("people", "inadequate") not in grades_in(sentence) and ("people", "good") not in grades_in(sentence)


def test_bullets_after_a_lead_in_that_says_graded_are_grades(parser):
    text = (
        "Westshire Fire and Rescue Service results\n\n"
        "After its inspection, Westshire Fire and Rescue Service was graded as follows:\n"
        "- 'good' at effectively keeping people safe and secure from fire and other risks\n"
        "- 'good' at looking after its people.\n"
        "Inspectors said the service is\n"
        "- 'good' at preventing fires and other risks\n"
    )
    parsed, _ = parse(parser, text)
    rows = [g for f in parsed.findings for g in f.grades]
    assert rows == [("effectiveness", "good"), ("people", "good"), ("preventing fires and other risks", "good")]


# -- 2. Engage as real pages say it -----------------------------------------------------------------------------

from knowledge.documents.kinds import status_of  # noqa: E402


@pytest.mark.parametrize(("sentence", "status"), [
    ("The chief inspector has today moved Northshire Police into an enhanced level of monitoring.", "engage_entered"),
    ("Northshire Police has been moved to 'special measures' after a critical report.", "engage_entered"),
    ("The force has been placed into an advanced stage of monitoring.", "engage_entered"),
    ("We can confirm that we are now monitoring the force through our Engage process.", "engage_entered"),
    ("The service is already in special measures after its last inspection.", "engage_entered"),
    ("The force has improved and has therefore been removed from an enhanced level of monitoring.", "engage_exited"),
    ("The chief inspector has decided to remove Northshire Police from Engage.", "engage_exited"),
    ("Inspectors said the force no longer needed \"enhanced\" monitoring.", "engage_exited"),
    ("I have decided to return it to routine monitoring.", "engage_exited"),
    ("All forces are in routine monitoring by default, but may be escalated to enhanced monitoring under the Engage stage.", None),
    # A way out wished for is no exit: the force is still in Engage.
    ("It matters to residents that the force moves out of Engage as soon as possible.", None),
    ("The chief constable said the force is determined to come out of special measures within a year.", None),
    ("Northshire Police is expected to exit Engage next month.", None),
    # ... but an exit told as done stays an exit, whatever the force worked hard to do
    ("Northshire Police has been removed from Engage after working hard to get its performance back on track.", "engage_exited"),
])
def test_engage_entered_and_left_in_the_words_pages_use(sentence: str, status: str | None):
    assert status_of(sentence) == status


@pytest.mark.parametrize(("sentence", "status"), [
    # Fixture written by us. Forces counted are background: the page tells its own force's change elsewhere.
    ("Westshire Police becomes the third force to be placed under enhanced monitoring this year.", None),
    ("The watchdog said there are five police forces in the country now in special measures.", None),
    # time since a change is history; the rest of the sentence may still tell one
    ("Westshire Police has been given its best grades three years after coming out of special measures.", None),
    ("Six months after being placed in Engage, the force has been removed from enhanced monitoring.", "engage_exited"),
])
def test_forces_counted_in_engage_and_time_since_a_change_record_no_change(sentence: str, status: str | None):
    assert status_of(sentence) == status


def test_what_a_force_was_moved_into_before_it_left_is_background_and_the_reasons_it_left_are_strengths(parser):
    text = (
        "Westshire Fire and Rescue Service leaves special measures\n\n"
        "The inspectorate had moved the service into the Engage phase after a critical review.\n\n"
        "The service has been brought out of special measures by the inspectorate.\n\n"
        "Among the reasons given for no longer keeping the service under enhanced monitoring were:\n"
        "- Clear progress in its plan to improve how it recruits\n"
    )
    _, found = parse(parser, text)
    assert found["The inspectorate had moved the service into the Engage phase after a critical review."].status is None
    assert found["Clear progress in its plan to improve how it recruits"].kind == "strength"


def test_a_numbered_paragraph_ending_with_a_colon_leads_the_numbered_items_under_it(parser):
    text = (
        "Westshire Fire and Rescue Service: progress letter\n\n"
        "1. We found the service did not do enough to be an inclusive employer. We said that, by 30 June 2019, the service should:\n"
        "1. ensure that recruitment is open to all;\n"
        "2. ensure that everyone knows the values.\n"
        "1. In 2019 the service sent us a plan. We monitored it closely.\n"
    )
    _, found = parse(parser, text)
    assert [(found[t].kind, found[t].deadline) for t in ("ensure that recruitment is open to all", "ensure that everyone knows the values.")] == [
        ("recommendation", "by 30 June 2019")] * 2
    assert found["In 2019 the service sent us a plan. We monitored it closely."].kind != "recommendation"  # a new list


def test_a_dated_past_entry_is_background_when_the_page_reports_a_newer_change(parser):
    text = (
        "Suffolk Constabulary leaves enhanced monitoring\n\n"
        "Suffolk Constabulary was moved into Engage on 3 March 2023.\n\n"
        "The chief inspector has decided to remove Suffolk Constabulary from Engage because it has made improvements.\n"
    )
    _, found = parse(parser, text)
    assert found["Suffolk Constabulary was moved into Engage on 3 March 2023."].status is None
    assert found["The chief inspector has decided to remove Suffolk Constabulary from Engage because it has made improvements."].status == "engage_exited"


def test_a_dated_past_entry_stands_when_nothing_newer_is_reported(parser):
    text = "Suffolk Constabulary inspection\n\nIn June 2023, the inspectorate placed Suffolk Constabulary into Engage.\n"
    _, found = parse(parser, text)
    assert found["In June 2023, the inspectorate placed Suffolk Constabulary into Engage."].status == "engage_entered"


def test_an_inspector_explaining_engage_speaks_of_no_force(parser):
    text = (
        "Suffolk Constabulary moved into enhanced monitoring\n\n"
        "HM Inspector of Constabulary Jo Sample said:\n"
        "\u201cWe move police forces into our enhanced level of monitoring, known as Engage, when a force is not responding to our concerns.\u201d\n"
    )
    _, found = parse(parser, text)
    said = found["We move police forces into our enhanced level of monitoring, known as Engage, when a force is not responding to our concerns."]
    assert (said.kind, said.speaker, said.organisation_id) == ("statement", "Jo Sample", None)


# -- 4. national reports belong to no force ---------------------------------------------------------------------


def test_a_page_about_services_in_general_is_national_despite_one_passing_mention(parser):
    text = (
        "Fire services told to change their cultures\n\n"
        "Inspectors found that too many fire and rescue services across England still tolerate poor behaviour.\n\n"
        "Services should act now, and national leaders must set clear standards for all services.\n\n"
        "One example came from Kent Fire and Rescue Service, where inspectors saw good practice.\n\n"
        "Half of the services inspected were graded inadequate for their culture.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.subject_id is None
    assert found["Inspectors found that too many fire and rescue services across England still tolerate poor behaviour."].organisation_id is None
    assert found["One example came from Kent Fire and Rescue Service, where inspectors saw good practice."].organisation_id == "kent-fire"
    assert found["Half of the services inspected were graded inadequate for their culture."].organisation_id is None


def test_a_sentence_that_refers_back_takes_the_organisation_named_just_before(parser):
    text = (
        "Police forces across England and Wales are failing victims, says report\n\n"
        "The report on policing looked at forces in England and Wales and found national failings.\n\n"
        "Inspectors singled out Essex Police for its long delays.\n\n"
        "The force had not reviewed its backlog for a year.\n\n"
        "Other forces were no better.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.subject_id is None
    assert found["The force had not reviewed its backlog for a year."].organisation_id == "essex"
    assert found["Other forces were no better."].organisation_id is None


def test_a_persons_employer_named_in_passing_is_not_what_the_sentence_is_about(parser):
    text = (
        "Vetting in police forces across England and Wales\n\n"
        "The inspection was ordered after crimes by a serving Metropolitan Police officer.\n\n"
        "Forces in England and Wales must check their recruits more carefully, inspectors said of national policing.\n"
    )
    parsed, found = parse(parser, text)
    assert found["The inspection was ordered after crimes by a serving Metropolitan Police officer."].organisation_id is None


def test_a_sites_accessibility_control_above_the_headline_is_neither_title_nor_publisher(parser):
    text = ("Accessibility Options\n\n"
            "Report shows Westshire Police performing well\n\n"
            "Westshire Police is good at reducing crime, inspectors found.\n")
    doc, _ = parse(parser, text)
    assert doc.title == "Report shows Westshire Police performing well" and doc.publisher is None


def test_a_newspapers_name_above_the_headline_is_the_publisher_and_the_headline_the_title(parser):
    for top in ("", "Accessibility Options\n\n"):
        text = f"{top}Kentshire Gazette\n\nWestshire Police told to improve its call handling\n\nWestshire Police must answer 999 calls more quickly.\n"
        doc, _ = parse(parser, text)
        assert (doc.publisher, doc.title) == ("Kentshire Gazette", "Westshire Police told to improve its call handling"), top


def test_a_caption_ending_with_a_picture_desks_reference_is_not_the_publisher(parser):
    text = ("Westshire Police failed to record crimes, inspectors say\n\n"
            "Westshire Police Deputy Chief Constable Jo Sample. ABC-181207-155828001\n\n"
            "Westshire Police failed to record one in five crimes, inspectors found.\n")
    doc, found = parse(parser, text)
    assert doc.publisher is None and not any("ABC-181207" in words for words in found)


def test_a_photo_caption_naming_a_chief_is_neither_the_title_nor_the_publisher(parser):
    text = (
        "Westshire Police Temporary Chief Constable Jo Sample\n\n"
        "Westshire Police was graded good at investigating crime in a report published today.\n\n"
        "\"This report is good news for our communities because we do a good job,\" said Chief Constable Jo Sample.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.title.startswith("Westshire Police was graded good") and parsed.publisher is None
    assert found["This report is good news for our communities because we do a good job"].speaker == "Jo Sample"


def test_a_page_on_forces_in_general_is_nobodys_for_naming_a_force_in_passing_three_times(parser):
    text = (
        "The chief inspector wants powers to direct police forces\n\n"
        "The head of the police inspectorate in England and Wales wants powers to direct forces.\n\n"
        "Trust fell after crimes by the serving Metropolitan Police officer Jo Sample and another Met officer.\n\n"
        "He regretted the failures of police forces, including the Met, to act on warnings about vetting.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.subject_id is None
    # the Met is criticised with the rest: that sentence is still about it (a Met question may quote it), the page is not
    assert found["He regretted the failures of police forces, including the Met, to act on warnings about vetting."].organisation_id == "metropolitan"
    assert found["The head of the police inspectorate in England and Wales wants powers to direct forces."].organisation_id is None


def test_a_partner_named_after_with_does_not_take_the_sentence_from_the_pages_organisation(parser):
    text = (
        "Suffolk Fire and Rescue Service inspection\n\n"
        "Suffolk Fire and Rescue Service was inspected this year.\n\n"
        "Inspectors praised its joint work with Suffolk Constabulary on missing people.\n"
    )
    _, found = parse(parser, text)
    assert found["Inspectors praised its joint work with Suffolk Constabulary on missing people."].organisation_id == "suffolk-fire"


def test_a_place_in_the_title_names_the_pages_organisation_when_none_is_named_in_full(parser):
    text = "Staffordshire \u2013 child protection inspection\n\nThe force does not always act quickly to protect children.\n"
    parsed, _ = parse(parser, text)
    assert parsed.subject_id == "staffordshire"


def test_a_place_in_the_title_names_the_one_organisation_of_that_place_the_page_names_in_full(parser):
    text = ("Suffolk 2018/19\n\nThis is the first assessment of fire and rescue services across England, comparable with other services.\n\n"
            "We inspected Suffolk Fire and Rescue Service in the summer.\n\nThe service is efficient at keeping people safe.\n")
    parsed, found = parse(parser, text)
    assert parsed.subject_id == "suffolk-fire"
    assert found["The service is efficient at keeping people safe."].organisation_id == "suffolk-fire"


def test_a_county_named_alone_as_the_subject_of_its_sentences_is_the_pages_force_not_one_named_once_in_a_list(parser):
    text = (
        "Latest force to face closer scrutiny\n\n"
        "Wiltshire has been confirmed as failing by the inspectorate.\n\n"
        "Wiltshire has joined the Engage process after inspectors found it failing in several areas.\n\n"
        "The force joins the Metropolitan Police, Cleveland and Gloucestershire, all working with an improvement team.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.subject_id == "wiltshire"
    assert found["Wiltshire has joined the Engage process after inspectors found it failing in several areas."].organisation_id == "wiltshire"


def test_a_sentence_pointing_back_at_another_organisation_than_the_pages_is_that_ones(parser):
    text = (
        "West Midlands Fire Service praised by inspectors\n\n"
        "West Midlands Fire Service was found outstanding at keeping people safe.\n\n"
        "In 2021 inspectors were worried about how Herefordshire and Worcestershire Fire and Rescue Service checked buildings.\n\n"
        "Its newest report said this had changed but a further visit was needed.\n\n"
        "The service in the West Midlands was also praised for its training.\n"
    )
    _, found = parse(parser, text)
    assert found["Its newest report said this had changed but a further visit was needed."].organisation_id == "hereford-and-worcester-fire"
    assert found["The service in the West Midlands was also praised for its training."].organisation_id == "west-midlands-fire"


def test_a_sentence_about_other_places_or_forces_in_general_is_not_the_pages_organisations(parser):
    text = (
        "West Midlands Fire Service praised by inspectors\n\n"
        "West Midlands Fire Service was found outstanding at keeping people safe.\n\n"
        "Fire services in Warwickshire and Staffordshire made progress, inspectors said, but will be visited again.\n\n"
        "Fire prevention had been a cause for concern for Warwickshire Fire and Rescue Service.\n\n"
        "Again, the inspectors said more needed to be done.\n\n"
        "It also means one in seven fire services are now rated as failing.\n\n"
        "The service in the West Midlands works closely with West Midlands Police on arson.\n"
    )
    _, found = parse(parser, text)
    assert found["Fire services in Warwickshire and Staffordshire made progress, inspectors said, but will be visited again."].organisation_id is None
    assert found["Again, the inspectors said more needed to be done."].organisation_id == "warwickshire-fire"
    assert found["It also means one in seven fire services are now rated as failing."].organisation_id is None
    assert found["The service in the West Midlands works closely with West Midlands Police on arson."].organisation_id == "west-midlands-fire"


def test_a_place_within_the_pages_force_area_keeps_the_sentence_the_forces(parser):
    text = (
        "Thames Valley Police told to answer 101 calls faster\n\n"
        "Thames Valley Police was inspected this spring.\n\n"
        "Inspectors said the force was slow to answer 101 calls, and people in rural Oxfordshire had given up reporting crime.\n"
    )
    _, found = parse(parser, text)
    sentence = "Inspectors said the force was slow to answer 101 calls, and people in rural Oxfordshire had given up reporting crime."
    assert found[sentence].organisation_id == "thames-valley"


def test_a_short_lead_in_that_counts_what_follows_is_kept_as_their_context(parser):
    text = ("Vetting report published\n\nThe inspectorate found vetting in forces across England and Wales too weak.\n\n"
            "The inspectorate made 12 recommendations which include:\n\n\u2022 tightening checks on recruits;\n\u2022 sharing intelligence sooner.\n")
    _, found = parse(parser, text)
    assert found["tightening checks on recruits"].context == "The inspectorate made 12 recommendations which include:"


def test_a_sentence_a_page_prints_twice_is_one_finding(parser):
    line = "Northamptonshire Police is one of six forces placed into enhanced monitoring by the inspectorate this week."
    text = f"Six forces in special measures\n\n{line}\n\nBy a reporter, 30 June 2022\n\n{line}\n\nThe force must improve its call handling.\n"
    parsed, _ = parse(parser, text)
    assert [text.index(line)] == [f.start for f in parsed.findings if line in text[f.start : f.end + 1]]


def test_a_sentence_naming_the_pages_own_place_or_its_force_first_stays_the_pages(parser):
    text = (
        "Kent Police told to improve\n\n"
        "Kent Police was inspected this year and must improve how it answers calls.\n\n"
        "Inspectors also looked at Essex Police, which was praised for its work on burglary.\n\n"
        "Again, Kent was found to be failing victims of domestic abuse.\n\n"
        "The force was slower to answer 999 calls than forces in Essex and Sussex, the report found.\n\n"
        "Two services for victims of rape were praised.\n"
    )
    _, found = parse(parser, text)
    for sentence in ("Again, Kent was found to be failing victims of domestic abuse.",
                     "The force was slower to answer 999 calls than forces in Essex and Sussex, the report found.",
                     "Two services for victims of rape were praised."):
        assert found[sentence].organisation_id == "kent", sentence


def test_the_same_words_about_two_services_in_a_round_up_are_two_findings(parser):
    line = "The service must do more to make sure its staff understand how to identify and report safeguarding concerns."
    text = (f"Inspectors publish their findings on fire services in the region\n\nKent Fire and Rescue Service was inspected in March. {line}\n\n"
            f"Essex County Fire and Rescue Service was inspected in April. {line}\n\nSurrey Fire and Rescue Service was graded good.\n")
    parsed, _ = parse(parser, text)
    assert sorted(f.organisation_id for f in parsed.findings if text[f.start : f.end] == line) == ["essex-fire", "kent-fire"]


def test_a_chief_constables_word_engage_in_a_statement_speaks_of_their_force(parser):
    text = (
        "Northshire Police placed in Engage\n\n"
        "Staffordshire Police has been placed in Engage.\n\n"
        "Chief Constable Jo Sample said: \u201cWe will work openly with this process, and we could not be more committed to it.\u201d\n"
    )
    _, found = parse(parser, text)
    said = found["We will work openly with this process, and we could not be more committed to it."]
    assert (said.speaker, said.organisation_id) == ("Jo Sample", "staffordshire")


# -- 5. speakers: a person's own words, or the publisher's account of them ---------------------------------------


def test_only_words_in_quotation_marks_are_a_persons_direct_words(parser):
    text = (
        "Suffolk Constabulary improves, says report\n\n"
        "Suffolk Constabulary has improved, inspectors found.\n\n"
        "\u201cWe are proud of our officers,\u201d said Chief Constable Jo Sample.\n\n"
        "Ms Sample said the force had made progress on 999 calls.\n\n"
        "She remained resolute that the force would improve further.\n"
    )
    _, found = parse(parser, text)
    direct = found["We are proud of our officers"]
    assert (direct.speaker, direct.speech) == ("Jo Sample", "direct")  # the closing ", said ..." is not part of the quote
    reported = [f for f in found.values() if f.kind == "statement" and f.speech == "reported"]
    assert [(f.speaker, text[f.start : f.end]) for f in reported] == [
        ("Jo Sample", "Ms Sample said the force had made progress on 999 calls."),
        ("Jo Sample", "She remained resolute that the force would improve further."),
    ]
    assert all(f.speech is None for f in found.values() if f.kind != "statement")


def test_a_quotation_whose_next_paragraph_was_run_into_it_stays_the_speakers(parser):
    text = (
        "Westshire Fire and Rescue Service rated good\n\n"
        "Rating the service as 'good' for its effectiveness, efficiency and people, inspector Zo\u00eb Sample said: "
        "\"The service keeps people safe. \"I am pleased with what we found.\n\n"
        "Helen Roe, of the local union, said the crews were tired.\n\n"
        "\u201cWe need more firefighters,\u201d says Helen.\n"
    )
    parsed, found = parse(parser, text)
    clause = found["Rating the service as 'good' for its effectiveness, efficiency and people"]  # the writer's words, kept
    assert clause.grades == [("effectiveness", "good"), ("efficiency", "good"), ("people", "good")]
    assert [found[t].speaker for t in ("The service keeps people safe.", "I am pleased with what we found.")] == ["Zo\u00eb Sample"] * 2
    assert found["We need more firefighters"].speaker == "Helen Roe"  # known by first name


@pytest.mark.parametrize(("who", "name"), [
    ("His Majesty's Inspector Jo Sample", "Jo Sample"),  # a title run longer than a name: the words after it
    ("Chair of the Fire Authority, Councillor Sam O\u2019Brady", "Sam O\u2019Brady"),
    ("The county's Joint Leads on Local Policing, Jo Sample and Sam Roe", "Jo Sample"),  # a role in capitals is no name
    ("In February Dame Jo Sample", "Dame Jo Sample"),
    ("On Friday (May 3), the inspectorate published a report in which it", None),
    ("Theresa May", "Theresa May"),
    ("Northshire Valley mayor Jo Sample", "Jo Sample"),  # a place before a role in lower case is no name
    ("policing minister Sam Roe", "Sam Roe"),
    ("Northshire Police Chief Constable JB Sample QPM", "JB Sample"),  # initials for a first name, honours after
    ("PC Sample", None),  # a rank is no initials
    ("ACC Jo Sample", "Jo Sample"), ("NHS England chief executive Sam Roe", "Sam Roe"), ("ITV News reporter Sam Roe", "Sam Roe"),  # acronyms
])
def test_a_name_is_found_among_titles_roles_and_dates(who: str, name: str | None):
    assert speaker_of(who)[0] == name


@pytest.mark.parametrize(("who", "role"), [
    ("Jo Sample, the Chief Inspector of HMICFRS", "HM Inspector of Constabulary"),
    ("Northshire Valley mayor Jo Sample", "Mayor"),
    ("policing minister Sam Roe", "Minister"),
    ("Jo Sample, chief of staff to the mayor", None),  # a role in lower case is a role only right before a name
    ("Jo Sample, who wrote to the policing minister last week", None),
    # A role the speaker does not hold: a candidate, someone who stood in the election, a former holder
    ("Former Reform PCC Candidate Jo Sample", None),
    ("Jo Sample, who stood for Reform in the 2024 PCC elections", None),
    ("the former chief constable Jo Sample", None),
    ("Exeter MP Sam Roe", "MP"),  # "Ex..." is no "ex-"
    ("Executive Mayor Jo Sample", "Mayor"),
])
def test_a_role_is_read_as_news_writes_it(who: str, role: str):
    assert speaker_of(who)[1] == role


def test_a_full_statement_announced_below_is_the_persons(parser):
    # Fixture written by us: a page that introduces a chief's statement on a line of its own, its quotation below.
    text = (
        "Northshire fire chief responds to inspection\n\n"
        "Below is the full statement from Chief Fire Officer Jo Sample on the inspection report:\n\n"
        "\u201cWe are pleased that three areas of our work were judged good. We will act on the rest.\u201d\n"
    )
    _, found = parse(parser, text)
    said = found["We are pleased that three areas of our work were judged good."]
    assert (said.kind, said.speaker, said.role) == ("statement", "Jo Sample", "Chief Fire Officer")


def test_an_attribution_is_one_clause_and_a_report_is_not_a_person(parser):
    text = (
        "Northshire Police in special measures\n\n"
        "In March the chief constable Jo Sample resigned. Ms Roe said she backed the decision taken by the inspectorate.\n\n"
        "The report, by HM Inspector of Constabulary Sam Roe, says the force requires improvement.\n"
    )
    _, found = parse(parser, text)
    said = found["Ms Roe said she backed the decision taken by the inspectorate."]
    assert said.speaker != "Jo Sample"
    assert found["The report, by HM Inspector of Constabulary Sam Roe, says the force requires improvement."].kind != "statement"


def test_a_person_quoted_by_title_and_surname_is_stored_by_the_full_name_the_page_gave_before(parser):
    text = (
        "Northshire Fire and Rescue Service: concerns over safety checks\n\n"
        "Jo Sample highlighted gaps in the checks of high-rise buildings at Northamptonshire Fire and Rescue Service.\n\n"
        "Ms Sample, of the inspectorate, said: \u201cThe service still needs a proper system to manage risk.\u201d\n"
    )
    _, found = parse(parser, text)
    assert found["The service still needs a proper system to manage risk."].speaker == "Jo Sample"


@pytest.mark.parametrize("heading", ["HMI's observations", "HM Inspector\u2019s summary"])
def test_an_inspectors_observations_are_findings_signed_by_the_inspector(parser, heading: str):
    text = (
        "Northshire 2017\n\n"
        "The extent to which the force is efficient at keeping people safe is good.\n\n"
        "Jo Sample, Her Majesty\u2019s Inspector of Constabulary\n\n"
        f"{heading}\n\n"
        "I am pleased with most aspects of Northamptonshire Police\u2019s work, but it needs to improve how it protects victims.\n\n"
        "The force has a good grasp of demand.\n\n"
        "How effective is the force at keeping people safe?\n\n"
        "I think nothing here is the inspector's.\n"
    )
    _, found = parse(parser, text)
    signed = found["I am pleased with most aspects of Northamptonshire Police\u2019s work, but it needs to improve how it protects victims."]
    assert (signed.kind, signed.speaker, signed.role) == ("area_for_improvement", "Jo Sample", "HM Inspector of Constabulary")
    # the whole summary is signed, though not in the first person: still a finding of the kind its words give it
    grasp = found["The force has a good grasp of demand."]
    assert (grasp.kind, grasp.speaker) == ("strength", "Jo Sample")
    assert found["I think nothing here is the inspector's."].speaker is None  # a later section is not the observations


def test_a_full_name_is_taken_only_from_before_and_never_over_a_role_the_attribution_gives(parser):
    text = (
        "Northshire Police answers the report\n\n"
        "The report comes weeks after Diana Sample became the policing minister.\n\n"
        "Mr Sample, the force's chief constable, said: \u201cWe accept the findings and will act on them.\u201d\n\n"
        "Inspectors spoke to Sergeant Roe about the backlog.\n\n"
        "Ms Roe, of the inspectorate, said: \u201cThe force still needs a proper system to manage risk.\u201d\n"
    )
    _, found = parse(parser, text)
    assert found["We accept the findings and will act on them."].speaker == "Mr Sample"
    assert found["The force still needs a proper system to manage risk."].speaker == "Ms Roe"


def test_a_page_about_england_and_wales_is_no_forces_for_naming_its_county_twice(parser):
    text = ("Knife crime figures published for England and Wales\n\nDurham has the highest rate of knife crime in the north east.\n\n"
            "Durham has also seen a rise in robberies.\n\nForces across England and Wales must do more to tackle violence, inspectors said.\n")
    parsed, found = parse(parser, text)
    assert parsed.subject_id is None
    assert found["Forces across England and Wales must do more to tackle violence, inspectors said."].organisation_id is None


def test_a_chief_written_short_before_a_surname_is_the_person_named_before(parser):
    text = ("Northshire police praised\n\nTemporary Chief Constable Rob Sample said the force was proud of its officers.\n\n"
            "\"We are proud of what we have achieved this year and we will keep improving,\" said TCC Sample.\n\n"
            "DCC Jo Roe said: \"The report shows the hard work of our staff.\"\n")
    _, found = parse(parser, text)
    assert found["We are proud of what we have achieved this year and we will keep improving"].speaker == "Rob Sample"
    assert (found["The report shows the hard work of our staff."].speaker, found["The report shows the hard work of our staff."].role) == (
        "Jo Roe", "Deputy Chief Constable")


def test_how_a_statement_gives_its_words_is_stored(tmp_path):
    from sqlmodel import select

    from knowledge import Store
    from knowledge.documents.reading import read_text
    from knowledge.ingest import ingest_source
    from knowledge.models import Finding

    store = Store(f"sqlite:///{tmp_path / 'speech.db'}")
    text = "Suffolk Constabulary improves\n\n\u201cWe are proud,\u201d said Chief Constable Jo Sample.\n\nShe said the force would keep improving.\n\n(synthetic test document, written by us)\n"
    ingest_source(store, read_text(text.encode()))
    with store.reading() as session:
        stored = {f.text: f.speech for f in session.exec(select(Finding).where(Finding.kind == "statement"))}
    assert stored == {"We are proud": "direct", "She said the force would keep improving.": "reported"}


# -- 6. furniture is never a title or a finding; 1. the first line carries the news -------------------------------

from knowledge.documents.structure import BlockKind, blocks, is_furniture  # noqa: E402


@pytest.mark.parametrize("line", [
    "HM Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)", "|Printable version", "Loading audio...",
    "Watch more of our videos on our channel", "Find out why we publish these reports", "Please click on the headings below to read more",
    "Stay up to date with notifications from this site", "Sam Sample (left) and Jo Sample (right) at the launch.", "21 Jul 2015",
    "Thursday, May 30, 2024", "The force has been contacted for comment.",
    "We are currently experiencing network problems with this site.", "We hope to have these resolved soon.",
    "Proposed policing inspection programme and framework 2025\u201329: For consultation",
    "Get all your news in one place.", "One app.",
    "Accessibility Settings Skip to main content", "90 days from today is Thu, 05 March 2026", "Start reading",
    "100\u2019s of premium titles.", "16.7 C", "Friday 12 July 2024 16.7 C", "\u2022 Published", "Image source, Sample Agency",
    "Officers at the county showImage source, Sample Agency", "Morning email {{ #verifyErrors }}{{ message }}",
    "Stock image.", "Stock imageStock image", "Accessibility Options", "\u2013 Credit: Sam Roe", "Westshire Police Deputy Chief Constable Jo Sample. ABC-181207-155828001",
])
def test_page_furniture_lines(line: str):
    assert is_furniture(line)



@pytest.mark.parametrize("line", [
    "Published in 2023, the report found the force good.", "The image source was not given in the report.",
    "Accessibility options for deaf callers to the 101 service were limited, inspectors found.",
    "Stock images of officers were used in recruitment adverts, which the force must stop.",
    "We hope to have this fixed by the end of the year, she added.",  # a person's words that look like a site's notice
    "We are currently experiencing technical problems with our 101 line and apologise to callers, the force said.",
])
def test_sentences_that_share_words_with_furniture_are_not_furniture(line: str):
    assert not is_furniture(line)


def test_the_name_of_a_linked_report_and_numbered_section_titles_are_no_findings(parser):
    text = (
        "Northshire Police told to improve\n\nNorthshire Police must improve how it answers calls, inspectors said.\n\n"
        "Get the report\nPEEL: Northshire Police causes of concern\n\n1. Main findings from the inspection\n\n"
        "The force does not answer enough 101 calls.\n"
    )
    kinds = {text[b.start : b.end]: b.kind for b in blocks(text)}
    assert kinds["PEEL: Northshire Police causes of concern"] == BlockKind.furniture
    assert kinds["1. Main findings from the inspection"] == BlockKind.heading
    _, found = parse(parser, text)
    assert not any("causes of concern" in t or "Main findings" in t for t in found)


def test_a_dateline_and_a_photo_credit_are_not_part_of_the_sentence(parser):
    text = "Suffolk Constabulary in Engage\n\nLONDON: Suffolk Constabulary has been placed into special measures (Jo Sample/PA).\n"
    parsed, found = parse(parser, text)
    assert "Suffolk Constabulary has been placed into special measures" in found
    assert not any("LONDON" in t or "/PA" in t for t in found)


def test_a_headline_under_a_publishers_masthead_is_the_title_and_a_finding(parser):
    text = (
        "HM Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)\n|Printable version\n"
        "Suffolk Constabulary must do more to protect children\n\n"
        "The inspectorate published its report on the force today.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.title == "Suffolk Constabulary must do more to protect children"
    headline = found["Suffolk Constabulary must do more to protect children"]
    assert (headline.kind, headline.label, headline.organisation_id) == ("area_for_improvement", "Headline", "suffolk")


def test_a_headline_a_body_sentence_repeats_is_not_quoted_twice(parser):
    text = (
        "Suffolk Constabulary moved into enhanced monitoring\n\n"
        "The chief inspector has today moved Suffolk Constabulary into an enhanced level of monitoring.\n"
    )
    parsed, found = parse(parser, text)
    assert parsed.title == "Suffolk Constabulary moved into enhanced monitoring"
    assert "Suffolk Constabulary moved into enhanced monitoring" not in found


def test_a_headline_that_names_nothing_gives_way_to_the_first_sentence_as_title(parser):
    text = "Inspection report\n\nSuffolk Constabulary is good at preventing crime, a new report says.\n"
    parsed, _ = parse(parser, text)
    assert parsed.title.startswith("Suffolk Constabulary is good at preventing crime")


def test_a_news_subheading_and_a_name_with_a_role_alone_are_no_findings(parser):
    text = (
        "Suffolk Constabulary praised by inspectors\n\n"
        "Suffolk Constabulary has been praised by inspectors for its work with victims.\n\n"
        "Force rated 'good' in inspection of victims' care\n\n"
        "Jo Sample, the Police and Crime Commissioner for Suffolk.\n\n"
        "Despite some good practice, the force's care of victims is inconsistent\n\n"
        "Inspectors visited the force in May.\n"
    )
    _, found = parse(parser, text)
    assert not any("Force rated" in t or t.startswith("Jo Sample, the Police") for t in found)
    assert found["Despite some good practice, the force's care of victims is inconsistent"].label == "Verdict heading"


# -- 7. kinds -------------------------------------------------------------------------------------------------------

from knowledge.documents.kinds import classify, lead_in_kind, polarity_of  # noqa: E402


@pytest.mark.parametrize(("lead_in", "kind"), [
    ("The inspectorate said Suffolk Constabulary had been moved into Engage because it is not:", "cause_of_concern"),
    ("The chief inspector has decided to remove the force from Engage because it has made several improvements, including:", "strength"),
    ("The force has made good progress in:", "strength"),
    ("However, the force still needs to make some improvements, including:", "area_for_improvement"),
])
def test_bullets_take_the_kind_their_lead_in_gives_entering_or_leaving_engage(lead_in: str, kind: str):
    assert lead_in_kind(lead_in) == kind


def test_the_reasons_a_force_entered_engage_are_causes_of_concern_even_when_negated(parser):
    text = (
        "Suffolk Constabulary moved into enhanced monitoring\n\n"
        "The inspectorate said Suffolk Constabulary had been moved into Engage because it is not:\n"
        "- carrying out effective investigations for victims; and\n"
        "- managing the risk posed by registered sex offenders effectively.\n"
    )
    _, found = parse(parser, text)
    bullets = [found["carrying out effective investigations for victims"], found["managing the risk posed by registered sex offenders effectively."]]
    assert [(f.kind, f.polarity) for f in bullets] == [("cause_of_concern", "negative")] * 2


@pytest.mark.parametrize(("sentence", "polarity"), [
    ("The force's governance arrangements for child protection aren't fully effective.", "negative"),
    ("The report praises the force for the way it tackles anti-social behaviour.", "positive"),
    ("The chief officer team was visible and accessible.", "positive"),
    ("Inspectors found significant issues in the standards of investigations.", "negative"),
    ("The service has deteriorated in the way it looks after its staff.", "negative"),
])
def test_praise_and_criticism_in_the_words_real_pages_use(sentence: str, polarity: str):
    assert polarity_of(sentence) == polarity


def test_a_report_title_as_headline_states_no_finding(parser):
    text = "National child protection inspection: Suffolk Constabulary\n\nThe constabulary has a clear commitment to protecting children.\n"
    _, found = parse(parser, text)
    assert "National child protection inspection: Suffolk Constabulary" not in found


def test_a_pillar_that_requires_improvement_is_graded_without_a_verb():
    assert grades_in("The service's overall effectiveness requires improvement.") == [("effectiveness", "requires_improvement")]


def test_a_grade_on_a_line_of_its_own_grades_the_area_its_heading_names(parser):
    text = (
        "Suffolk Fire and Rescue Service inspection\n\nSuffolk Fire and Rescue Service was inspected this year.\n\n"
        "Preventing fires and other risks\nRequires improvement\n\nSome questions for the service\nGood\n"
    )
    parsed, _ = parse(parser, text)
    assert [g for f in parsed.findings for g in f.grades] == [("preventing fires and other risks", "requires_improvement")]


# -- whose page it is: a county council's site, and an abbreviation two services share ------------------------------

COUNCIL_PAGE = """County council welcomes the inspection of Northshire Fire and Rescue Service

The report found that the fire service in Hertfordshire is good at responding to emergencies.
It also found the service needs to improve how it plans for the future.
"""


def test_a_county_councils_site_is_not_the_county_police_forces(parser):
    text = COUNCIL_PAGE.replace("Northshire", "Hertfordshire") + "\n(synthetic test document, written by us)\n"
    parsed = parser.parse(text, url="https://www.hertfordshire.gov.uk/media-library/news/fire-inspection.aspx")
    assert parsed.publisher != "Hertfordshire Constabulary"
    assert {f.organisation_id for f in parsed.findings} == {"hertfordshire-fire"}
    police_site = parser.parse("Hertfordshire Constabulary responds to the inspection\n\nWe accept the findings of the report in full.\n"
                               "(synthetic test document, written by us)\n", url="https://www.herts.police.uk/news/inspection")
    assert police_site.subject_id == "hertfordshire" and police_site.publisher == "Hertfordshire Constabulary"  # a force's own site on police.uk is still the force's


def test_an_abbreviation_stands_for_the_organisation_the_page_names_in_full_with_those_initials(parser):
    _, findings = parse(parser, "Suffolk Fire and Rescue Service inspection\n\n"
                                "Suffolk Fire and Rescue Service was inspected last year.\n\n"
                                "Inspectors found SFRS is good at preventing fires.\n")
    assert findings["Inspectors found SFRS is good at preventing fires."].organisation_id == "suffolk-fire"  # not the Scottish service's
    _, scottish = parse(parser, "A note on Scotland\n\nInspectors in Scotland looked at SFRS last year.\n")
    assert scottish["Inspectors in Scotland looked at SFRS last year."].organisation_id == "scottish-fire"


def test_the_met_named_by_its_nickname_is_the_mets_not_the_pages_force(parser):
    _, findings = parse(parser, "City of London Police requires improvement - report\n\n"
                                "City of London Police requires improvement at tackling organised crime, a report has found.\n\n"
                                "The Met was told that it should improve how it records threats.\n\n"
                                "Officers met the inspectors twice during the inspection.\n")
    assert findings["The Met was told that it should improve how it records threats."].organisation_id == "metropolitan"
    assert findings["Officers met the inspectors twice during the inspection."].organisation_id == "city-of-london"  # a verb, not the Met


def test_items_after_a_persons_words_ending_in_a_colon_take_the_kind_those_words_give(parser):
    # Fixture written by us: the inspector's reported words introduce the reasons for Engage.
    text = (
        "Westshire Police moved into enhanced monitoring\n\n"
        "HM Inspector of Constabulary Jo Sample wrote to the force this week.\n\n"
        "She said they have moved Westshire Police into Engage because the force:\n\n"
        "- Needs to answer emergency calls faster;\n\n"
        "- Does not have a plan for its control room.\n"
    )
    _, found = parse(parser, text)
    assert [found[t].kind for t in ("Needs to answer emergency calls faster", "Does not have a plan for its control room.")] == ["cause_of_concern"] * 2


@pytest.mark.parametrize(("lead_in", "kind"), [
    # Fixture written by us: a lead-in that states a need, or a failing, gives its items that kind; the lead-in stays
    # context (an answer quotes the items, not the sentence that introduces them).
    ("However, the inspectorate said the force still needs to make some improvements, including:", "area_for_improvement"),
    ("Inspectors said specific areas for the force to improve included:", "area_for_improvement"),
    ("The report finds evidence of systemic failings in police forces, including:", "area_for_improvement"),
    ("The inspection covered nine core areas of policing:", "context"),
])
def test_a_lead_in_that_states_a_need_gives_it_to_its_items(parser, lead_in: str, kind: str):
    text = f"Westshire Police inspection\n\nInspectors visited Westshire Police in May.\n\n{lead_in}\n\n- how it supervises investigations\n\n- how it answers calls\n"
    _, found = parse(parser, text)
    assert found[lead_in].kind == "context"
    assert found["how it supervises investigations"].kind == kind


@pytest.mark.parametrize(("sentence", "kind"), [
    # Fixture written by us: needs, criticism and praise in the words real pages use.
    ("Culture and behaviours need to be improved to make staff feel valued.", "area_for_improvement"),  # the goal is no praise
    ("It also needs to make further changes to make sure it uses its resources effectively to get the best results.", "area_for_improvement"),
    ("Although there is work to be done, says the report, to bring every station up to the same standard.", "area_for_improvement"),
    ("The way it gathers risk information could be further enhanced, as we found inaccuracies in the records we sampled.", "area_for_improvement"),
    ("The number of crimes the force solves is too low.", "area_for_improvement"),
    ("Inspectors said this could lead to a loss of public confidence.", "area_for_improvement"),
    ("A low percentage of high-risk people received safety visits last year.", "area_for_improvement"),
    ("The report found minimal evidence of crime recording being effectively supervised.", "area_for_improvement"),
    ("We found that no force fully understands the effect of using these powers.", "area_for_improvement"),
    ("Inspectors said there were issues with how the force identifies repeat callers.", "area_for_improvement"),
    ("Staff have limited confidence in how well the service can deal effectively with complaints.", "area_for_improvement"),  # asked, not praised
    ("Westshire Police was flagged up for two reasons: how it answers calls and how it investigates crime.", "area_for_improvement"),
    ("We were impressed with the short films the service makes after big incidents.", "strength"),
    ("Its response time is the fastest among rural services.", "strength"),
    ("Staff said senior leaders are role models for the values.", "strength"),
    ("There has been a renewed focus on working with communities.", "strength"),
    ("Some progress had been made, with positive practice in how it develops leaders.", "strength"),
    # praise with a "but" that names nothing to be done is the praise; one that names something is what must be done
    ("Northshire Police has made progress since its last inspection but needs to make improvements in some areas, the inspectorate has said.", "strength"),
    ("Westshire Fire and Rescue Service has made positive progress, but further improvements are needed.", "strength"),
    ("I am encouraged by the force's work with young people, although it still needs to improve its approach in some areas.", "strength"),
    ("Northshire Police has made progress since its last inspection but needs to make improvements in how it answers calls.", "area_for_improvement"),
    ("I am pleased with some of its work, but it needs to make improvements in some areas to give a consistently good service.", "area_for_improvement"),
])
def test_needs_criticism_and_praise_as_real_pages_word_them(sentence: str, kind: str):
    assert classify(sentence)[0] == kind


@pytest.mark.parametrize(("sentence", "kind"), [
    # Fixture written by us: what is and is not a recommendation.
    ("Officers are also failing to act within recommended timescales.", "area_for_improvement"),  # an adjective recommends nothing
    ("The chief inspector has asked the service to produce a plan before the next inspection.", "recommendation"),
    ("The force has asked residents to report crime online.", "context"),
])
def test_recommendations_as_real_pages_word_them(sentence: str, kind: str):
    assert classify(sentence)[0] == kind


def test_a_deadline_in_days_makes_the_items_after_it_recommendations(parser):
    # Fixture written by us: a revisit letter under a cause of concern.
    text = (
        "Westshire Fire and Rescue Service: revisit letter\n\n"
        "Cause of concern\n\n"
        "The service has not done enough to find its highest-risk buildings.\n\n"
        "Within 28 days, the service should review its action plan, detailing how it will:\n\n"
        "- develop a plan to audit its high-risk buildings\n"
    )
    _, found = parse(parser, text)
    item = found["develop a plan to audit its high-risk buildings"]
    assert (item.kind, item.deadline) == ("recommendation", "Within 28 days")


@pytest.mark.parametrize(("before", "example", "kind"), [
    # Fixture written by us: an example of the finding before it is of its kind.
    ("The service needs to improve in some areas.", "That includes how it plans its prevention work on the islands.", "area_for_improvement"),
    ("Inspectors said the force was good at engaging with its communities.", "For example, it has set up a panel where residents review its use of force.", "strength"),
    ("The force was inspected in May.", "For example, inspectors visited its control room.", "context"),
])
def test_an_example_of_the_finding_before_it_is_of_its_kind(parser, before: str, example: str, kind: str):
    _, found = parse(parser, f"Westshire Police inspection\n\n{before} {example}\n")
    assert found[example].kind == kind


def test_a_failing_stated_just_before_recommendations_with_a_deadline_is_their_cause_of_concern(parser):
    # Fixture written by us: a revisit letter lists each cause of concern as a sentence, then its dated recommendations.
    text = (
        "Westshire Fire and Rescue Service: revisit letter\n\n"
        "We inspected the service in May. We issued two causes of concern and made the following recommendations:\n\n"
        "The service hasn't done enough to resource its protection team.\n\n"
        "By 30 September 2021, the service should:\n\n"
        "• produce a plan to audit its high-risk premises; and\n\n"
        "• train its auditors.\n\n"
        "The service hasn't done enough to improve how it treats its staff.\n\n"
        "By 30 September 2021, the service should:\n\n"
        "• train every manager.\n"
    )
    parsed, found = parse(parser, text)
    concerns = [found["The service hasn't done enough to resource its protection team."], found["The service hasn't done enough to improve how it treats its staff."]]
    assert [f.kind for f in concerns] == ["cause_of_concern"] * 2
    assert parsed.findings[found["train its auditors."].cause] is concerns[0]


def test_an_engage_entry_over_causes_of_concern_and_the_sentence_spelling_them_out_are_causes_of_concern(parser):
    # Fixture written by us.
    text = ("Northshire Police put into enhanced monitoring\n\n"
            "The inspectorate has placed Northshire Police into Engage in relation to three causes of concern.\n\n"
            "These concerns include slow responses to 999 calls, poor supervision of investigations and a gap in its budget.\n")
    _, found = parse(parser, text)
    entry = found["The inspectorate has placed Northshire Police into Engage in relation to three causes of concern."]
    assert (entry.kind, entry.status) == ("cause_of_concern", "engage_entered")
    assert found["These concerns include slow responses to 999 calls, poor supervision of investigations and a gap in its budget."].kind == "cause_of_concern"
    _, found = parse(parser, "Northshire Police inspection\n\nNorthshire Police was placed into Engage in May 2021 because of two causes of concern.\n")
    assert found["Northshire Police was placed into Engage in May 2021 because of two causes of concern."].kind == "context"  # history recalled


def test_progress_under_a_cause_of_concern_heading_is_a_strength(parser):
    # Fixture written by us.
    text = (
        "Westshire Fire and Rescue Service: revisit letter\n\n"
        "Cause of concern\n\n"
        "The service has not done enough to audit its high-risk buildings. We found robust governance in place to monitor its action plan.\n"
    )
    _, found = parse(parser, text)
    assert found["The service has not done enough to audit its high-risk buildings."].kind == "cause_of_concern"
    assert found["We found robust governance in place to monitor its action plan."].kind == "strength"


def test_a_neutral_item_of_a_list_takes_the_kind_its_siblings_share(parser):
    # Fixture written by us: a lead-in that names no kind, and items of one kind but one.
    text = (
        "Westshire Police crime recording\n\n"
        "Inspectors went back to Westshire Police this year.\n\n"
        "Today's report on its crime recording, published by the inspectorate, found that the force has:\n\n"
        "• improved its recording of crimes reported by partners;\n\n"
        "• improved how it records sexual offences; and\n\n"
        "• recorded more crimes within a day of the first report.\n"
    )
    _, found = parse(parser, text)
    assert found["recorded more crimes within a day of the first report."].kind == "strength"


def test_a_markdown_image_above_the_headline_is_no_title_and_no_finding(parser):
    # Fixture written by us.
    parsed, found = parse(parser, "![](https://example.test/logo.png)\n\nWestshire Police told to improve its 999 response\n\n"
                                  "Westshire Police needs to answer calls faster, inspectors said.\n")
    assert parsed.title == "Westshire Police told to improve its 999 response"
    assert not any("![" in t for t in found)


SITE_FURNITURE = ["top of page", "Close up photo of a fire engine at a station", "Westshire Fire and Rescue logo", "\u2022 YouTube", "\u2022 Facebook",
                  "sitebanner.jpg", "Font Size: A A A", "Agendas, Meetings and Minutes - Agenda item", "Agenda item", "Minutes:"]


def test_a_sites_links_images_and_controls_are_no_title_and_no_finding(parser):
    # Fixture written by us: the lines a council's or a service's site puts around a page.
    text = "\n".join(SITE_FURNITURE) + "\n\nWestshire Fire and Rescue Service praised\n\nInspectors said Westshire Fire and Rescue Service works well with partners.\n"
    parsed, found = parse(parser, text)
    assert parsed.title == "Westshire Fire and Rescue Service praised"
    assert not [t for t in found if any(line.lstrip("\u2022 ") in t for line in SITE_FURNITURE)]


@pytest.mark.parametrize(("sentence", "kind"), [
    # Fixture written by us: services counted by their grades are a figure about the services, no one's grade.
    ("Half of fire services were given requires improvement or inadequate grades for how they treat staff.", "context"),
    ("Westshire Fire and Rescue Service was given an inadequate grade for how it treats staff.", "grade"),
    ("Inspectors audited 30 child protection cases and found four were assessed as good, 20 as requiring improvement and six as inadequate.", "context"),
])
def test_services_counted_by_their_grades_are_a_figure_not_a_grade(parser, sentence: str, kind: str):
    parsed, found = parse(parser, f"Fire services inspected\n\nInspectors published their reports on fire services.\n\n{sentence}\n")
    assert found[sentence].kind == kind


@pytest.mark.parametrize(("sentence", "kind"), [
    # Fixture written by us. A cause of concern said not to be there, or closed, is good news, not a cause of concern.
    ("Northshire Police crime recording 'no longer a cause of concern'", "context"),
    ("Four areas were good, three required improvement and there was no cause for concern.", "context"),
    ("The remaining cause of concern, on fairness at work, has now been closed.", "context"),
    ("The inspectorate has closed a previously raised cause of concern about fire safety checks.", "context"),
    ("We found a cause of concern about how the force answers calls.", "cause_of_concern"),
    # ... but a closure denied, or concerns that remain, are still causes of concern
    ("The inspectorate has not lifted the cause of concern.", "cause_of_concern"),
    ("None of the four causes of concern have been closed.", "cause_of_concern"),
    ("We have removed one cause of concern but three remain.", "cause_of_concern"),
])
def test_a_cause_of_concern_closed_or_absent_is_no_cause_of_concern(sentence: str, kind: str):
    assert classify(sentence)[0] == kind


def test_someone_elses_concerns_about_a_force_put_into_engage_are_no_cause_of_concern(parser):
    # Fixture written by us: only the inspectorate's own term makes an Engage entry a cause of concern.
    text = ("Northshire Police in Engage\n\n"
            "Northshire Police has been put into Engage after the police and crime commissioner raised concerns about the force.\n")
    _, found = parse(parser, text)
    assert found["Northshire Police has been put into Engage after the police and crime commissioner raised concerns about the force."].kind == "context"


def test_a_sentence_that_continues_the_one_before_is_shown_after_it(parser):
    # Fixture written by us: "This is ..." and "this target" point back to the sentence before, which becomes their lead-in.
    text = (
        "Northshire fire inspection\n\n"
        "The service's average response time to house fires was 7 minutes. This is the fastest of all rural services. "
        "It aims to answer 90 percent of calls in ten seconds and met this target last year.\n"
    )
    _, found = parse(parser, text)
    fastest = found["This is the fastest of all rural services."]
    assert fastest.context == "The service's average response time to house fires was 7 minutes."
    assert found["It aims to answer 90 percent of calls in ten seconds and met this target last year."].context == "This is the fastest of all rural services."
    assert found["The service's average response time to house fires was 7 minutes."].context is None  # nothing before it to continue


def test_a_decision_to_move_a_force_into_or_out_of_engage_is_that_change():
    from knowledge.documents.kinds import status_of
    assert status_of("The chief inspector has decided to move Westshire Police into Engage because the force needs to:") == "engage_entered"
    assert status_of("The chief inspector has decided to move Westshire Police from Engage to routine monitoring.") == "engage_exited"


def test_one_forces_page_keeps_a_sentence_that_names_another_as_one_of_many(parser):
    text = (
        "Kent Police inspection\n\n"
        "Kent Police was inspected in the spring.\n\n"
        "Like several forces, including Essex Police, the force has too few call handlers at night.\n"
    )
    _, found = parse(parser, text)
    assert found["Like several forces, including Essex Police, the force has too few call handlers at night."].organisation_id == "kent"


def test_items_after_should_that_speak_of_what_callers_said_stay_recommendations(parser):
    text = (
        "Kent Police inspection\n\n"
        "To improve, Kent Police should:\n\n"
        "make sure call handlers write down what callers said about any risk to them;\n\n"
        "check that staff explain to each caller when help will come.\n"
    )
    _, found = parse(parser, text)
    assert found["make sure call handlers write down what callers said about any risk to them"].kind == "recommendation"


def test_a_move_from_scan_into_engage_is_an_entry():
    from knowledge.documents.kinds import status_of
    assert status_of("The inspectorate decided to move Westshire Police from scan into Engage.") == "engage_entered"


def test_grades_counted_over_many_services_are_a_figure_not_a_grade(parser):
    text = (
        "Fire services and their culture\n\n"
        "Inspectors looked at every fire and rescue service in England.\n\n"
        "Inadequate grades were issued to nine services, and causes of concern to four.\n"
    )
    _, found = parse(parser, text)
    assert found["Inadequate grades were issued to nine services, and causes of concern to four."].kind == "context"


def test_a_sentence_on_two_forces_sharing_one_noun_is_the_first_ones_and_a_joint_page_is_neither_alone(parser):
    text = (
        "Westshire force requires improvement, report says\n\n"
        "Dyfed-Powys Police requires improvement in three areas, the inspectorate found.\n\n"
        "Last year, South Wales and Gwent police forces were rated good in every area.\n"
    )
    doc, found = parse(parser, text)
    assert found["Last year, South Wales and Gwent police forces were rated good in every area."].organisation_id == "south-wales"
    joint = (
        "Custody suites praised\n\n"
        "An inspection of the custody suites that Norfolk and Suffolk constabularies run together found well trained staff.\n\n"
        "Oversight of the use of force was not adequate.\n"
    )
    doc, found = parse(parser, joint)
    assert doc.subject_id is None  # a page on two forces alike is neither's alone
    assert found["Oversight of the use of force was not adequate."].organisation_id is None


def test_a_grade_on_a_line_of_its_own_is_quoted_with_the_heading_it_grades(parser):
    text = (
        "Westshire Police PEEL 2017\n\n"
        "How effective is the force at keeping people safe and reducing crime?\n\n"
        "Good\n\n"
        "Westshire Police is good at keeping people safe.\n"
    )
    _, found = parse(parser, text)
    lone = found["Good"]
    assert lone.grades == [("effectiveness", "good")]
    assert lone.context == "How effective is the force at keeping people safe and reducing crime?"  # a bare "Good" tells nothing
    assert lone.context in text  # the document's own words
    # a lone "Good" under a heading that names no graded area is no grade: an interview's answer, another force's
    for heading in ("How did the inspection go?", "How does Essex Police compare?"):
        _, other = parse(parser, f"Westshire Police PEEL 2017\n\nWestshire Police was inspected.\n\n{heading}\n\nGood\n")
        assert "Good" not in other or other["Good"].kind != "grade", heading


def test_a_title_about_a_towns_police_station_is_about_that_towns_force(parser):
    # a user trial's page named no force, only "<town>'s main police station": its findings were filed as a national
    # report's, so a question about the town's force never found them
    text = (
        "Detainees at Doncaster\u2019s main police station were not always seen by a nurse, inspectors found\n\n"
        "The custody suite was included in a joint inspection of custody.\n\n"
        "Too many detainees waited too long for a mental health assessment.\n"
    )
    parsed, found = parse(parser, text)
    assert found["Too many detainees waited too long for a mental health assessment."].organisation_id == "south-yorkshire"
    fire = "Crews at Doncaster fire station were praised by inspectors\n\nThe crews trained often and kept good records.\n"
    _, found = parse(parser, fire)
    assert found["The crews trained often and kept good records."].organisation_id == "south-yorkshire-fire"
    named = "Cells at Doncaster police station inspected\n\nThe inspection of Humberside Police found the cells clean.\n"
    _, found = parse(parser, named)  # a page that names a force in full is that force's, whatever town its title names
    assert found["The inspection of Humberside Police found the cells clean."].organisation_id == "humberside"


def test_a_county_named_alone_under_a_chief_fire_officers_words_is_its_fire_service(parser):
    # a user trial's page (a fire service's own response, its first line the chief fire officer's words naming only "the
    # people of <county>") was filed under the county's police force: the worst kind of mistake, quotes in the wrong body
    text = (
        "Responding to the report, Jo Sample, Chief Fire Officer, said \u201cOur crews keep the people of Hampshire safe every day.\n\n"
        "\u201cWe will act on each area for improvement.\u201d\n"
    )
    _, found = parse(parser, text)
    assert found["We will act on each area for improvement."].organisation_id == "hampshire-and-isle-of-wight-fire"
    police = "Officers keep the people of Hampshire safe, the chief constable said\n\nThe force will act on the report.\n"
    _, found = parse(parser, police)
    assert found["The force will act on the report."].organisation_id == "hampshire"


def test_a_police_title_under_fire_stays_the_polices_and_a_curly_apostrophe_in_a_town_reads(parser):
    # a review's finds: "under fire" and "firearms" made a police page its county's fire service's; "King’s Lynn" in a
    # title crashed the reading of the page (a town's name with a curly apostrophe)
    for title in ("Police in Hampshire under fire over 999 call delays", "Hampshire firearms officers praised by inspectors"):
        _, found = parse(parser, f"{title}\n\nThe force will act on the report.\n")
        assert found["The force will act on the report."].organisation_id == "hampshire", title
    _, found = parse(parser, "Detainees held too long at King\u2019s Lynn police station\n\nThe cells were clean.\n")
    assert found["The cells were clean."].organisation_id == "norfolk"


@pytest.mark.parametrize(("title", "organisation"), [
    ("Norfolk firefighting crews praised by inspectors", "norfolk-fire"),
    ("Fire officers in Norfolk praised", "norfolk-fire"),
    ("Wildfire response: Dorset crews rated good", "dorset-and-wiltshire-fire"),
    ("Fire crews in Essex under fire over slow response times", "essex-fire"),
    ("Under-fire Norfolk chief constable to retire", "norfolk"),
    ("Hampshire firearms officers praised by inspectors", "hampshire"),
])
def test_a_place_alone_in_a_title_is_its_fire_service_only_when_the_title_speaks_of_fire_and_rescue(parser, title, organisation):
    # a second review's finds: "officers" and "under fire" sent fire pages to the police, and "Under-fire" a police page to
    # the fire service
    _, found = parse(parser, f"{title}\n\nThe service will act on the report.\n")
    assert found["The service will act on the report."].organisation_id == organisation


def test_an_organisation_in_an_opening_clause_before_the_service_is_not_what_the_sentence_is_about(parser):
    # a user trial's find: on a Surrey fire page, the inspector's "Despite ... workforce transfers to London Fire
    # Brigade, the service's culture has improved" was filed under London Fire Brigade
    text = (
        "Surrey Fire and Rescue Service told to improve\n\n"
        "Surrey Fire and Rescue Service was graded in eleven areas.\n\n"
        "Despite staff moving to London Fire Brigade, the service's culture has improved.\n\n"
        "Following the inspection of Kent Fire and Rescue Service, the service was told to improve its training.\n\n"
        "Although Essex County Fire and Rescue Service has improved, it still has too few on-call firefighters.\n"
    )
    _, found = parse(parser, text)
    assert found["Despite staff moving to London Fire Brigade, the service's culture has improved."].organisation_id == "surrey-fire"
    # the organisation the clause is about (not the object of "to", "from", "with" ...) is still the sentence's
    assert found["Following the inspection of Kent Fire and Rescue Service, the service was told to improve its training."].organisation_id == "kent-fire"
    assert found["Although Essex County Fire and Rescue Service has improved, it still has too few on-call firefighters."].organisation_id == "essex-fire"


def test_a_sentence_listing_several_organisations_is_none_of_theirs_nor_is_what_follows(parser):
    # A story on two forces lists four others the decision also covers: the list is no one force's, and the
    # watchdog's general words quoted after it are not the first listed force's.
    text = (
        "Two forces placed under enhanced monitoring\n\n"
        "Suffolk Constabulary and Norfolk Constabulary are among six forces placed under enhanced monitoring.\n\n"
        "The inspectorate decided that, along with Essex Police, Kent Police, Dorset Police and Durham Constabulary, the two forces need closer monitoring.\n\n"
        "Its website says: \u201cIn this phase, forces develop a plan to address the causes of concern.\u201d\n"
    )
    _, found = parse(parser, text)
    listed = found["The inspectorate decided that, along with Essex Police, Kent Police, Dorset Police and Durham Constabulary, the two forces need closer monitoring."]
    assert listed.organisation_id is None
    assert found["In this phase, forces develop a plan to address the causes of concern."].organisation_id is None
    assert found["Suffolk Constabulary and Norfolk Constabulary are among six forces placed under enhanced monitoring."].organisation_id == "suffolk"


def test_a_place_as_the_subject_of_a_sentence_stands_for_the_organisation_of_the_kind_the_title_names(parser):
    # "Norfolk was praised ...": on a page about police forces, the force; on a page about fire services, the service;
    # on a page that names neither kind, no one (a place alone could be either).
    forces = ("Two forces told to improve child protection (synthetic test document)\n\n"
              "Norfolk and Suffolk Constabulary were told to improve training.\n\n"
              "Norfolk was praised for how it shares information with schools.\n\n"
              "Norfolk needs to speed up its investigations into exploitation.\n")
    _, found = parse(parser, forces)
    assert found["Norfolk was praised for how it shares information with schools."].organisation_id == "norfolk"
    assert found["Norfolk needs to speed up its investigations into exploitation."].organisation_id == "norfolk"
    services = forces.replace("Two forces told", "Two fire services told").replace("Suffolk Constabulary", "Suffolk Fire and Rescue Service")
    _, found = parse(parser, services)
    assert found["Norfolk was praised for how it shares information with schools."].organisation_id == "norfolk-fire"
    both = ("Watchdog names two forces needing to improve (synthetic test document)\n\n"  # a reviewer's: the page names the place's fire service
            "Suffolk Constabulary and Kent Police were told to improve.\n\n"
            "Norfolk Fire and Rescue Service also had its report published this week.\n\n"
            "Norfolk was rated inadequate at protecting the public through fire regulation.\n")
    _, found = parse(parser, both)
    assert found["Norfolk was rated inadequate at protecting the public through fire regulation."].organisation_id != "norfolk"
    police_page = ("Norfolk Police told to improve (synthetic test document)\n\n"  # on the force's own page, the service just named
                   "Norfolk Fire and Rescue Service also had its report published this week.\n\n"
                   "Norfolk was rated inadequate at protecting the public through fire regulation.\n")
    _, found = parse(parser, police_page)
    assert found["Norfolk was rated inadequate at protecting the public through fire regulation."].organisation_id == "norfolk-fire"
    neither = forces.replace("Two forces told to improve child protection", "Two told to improve")
    _, found = parse(parser, neither)
    assert found["Norfolk needs to speed up its investigations into exploitation."].organisation_id != "norfolk-fire"


@pytest.mark.parametrize("sentence", ["Norfolk Constabulary must now make sure staff are trained to recognise vulnerability.",
                                      "Norfolk Constabulary must ensure processes are in place to safeguard victims.",
                                      "Both forces now need to step up on specific issues."])
def test_must_make_sure_and_step_up_are_areas_for_improvement(parser, sentence):
    _, found = parse(parser, f"Forces told to improve (synthetic test document)\n\n{sentence}\n")
    assert found[sentence].kind == "area_for_improvement"


def test_a_sentence_listing_several_is_still_the_first_ones_when_it_alone_is_the_subject(parser):
    # a reviewer's: "X, alongside A and B, was praised" is X's; "Like A, B and C, the force was graded" is the page's
    roundup = ("Police forces in the east (synthetic test document)\n\n"
               "Norfolk Constabulary, alongside Essex Police and Kent Police, was praised for its work on county lines.\n\n"
               "Suffolk Constabulary is one of five forces, along with Essex Police, Kent Police and Dorset Police, now in Engage.\n\n"
               "Essex Police, Kent Police and Dorset Police were all graded good.\n")
    _, found = parse(parser, roundup)
    assert found["Norfolk Constabulary, alongside Essex Police and Kent Police, was praised for its work on county lines."].organisation_id == "norfolk"
    assert found["Suffolk Constabulary is one of five forces, along with Essex Police, Kent Police and Dorset Police, now in Engage."].organisation_id == "suffolk"
    assert found["Essex Police, Kent Police and Dorset Police were all graded good."].organisation_id is None
    theirs = ("Police forces in the east (synthetic test document)\n\n"  # a reviewer's: the others' grades are not the first one's
              "Norfolk Constabulary outperformed Essex Police, Kent Police and Dorset Police, which were all graded inadequate at investigating crime.\n\n"
              "Norfolk Constabulary, as well as Essex Police and Kent Police, were told they must improve how they record crime.\n")
    _, found = parse(parser, theirs)
    assert found["Norfolk Constabulary outperformed Essex Police, Kent Police and Dorset Police, which were all graded inadequate at investigating crime."].organisation_id is None
    assert found["Norfolk Constabulary, as well as Essex Police and Kent Police, were told they must improve how they record crime."].organisation_id is None
    own = ("PEEL 2023: An inspection of Norfolk Constabulary (synthetic test document)\n\n"
           "Norfolk Constabulary was inspected in 2023.\n\n"
           "Like Essex Police, Kent Police and Dorset Police, the force was graded inadequate at investigating crime.\n")
    _, found = parse(parser, own)
    assert found["Like Essex Police, Kent Police and Dorset Police, the force was graded inadequate at investigating crime."].organisation_id == "norfolk"
    _, found = parse(parser, own + "\nEssex Police, Kent Police and Dorset Police all failed to record crime accurately, it said.\n")
    assert found["Essex Police, Kent Police and Dorset Police all failed to record crime accurately, it said."].organisation_id != "norfolk"
