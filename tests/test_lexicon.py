"""Vocabularies: each word list once, in knowledge/data/, and every stage that reads it reads the same words."""

import re

import pytest

from knowledge import lexicon
from knowledge.documents.grades import grades_in, normalise_grade
from knowledge.documents.kinds import section_kind
from knowledge.documents.names import speaker_of
from knowledge.documents.reading import doc_type_of
from knowledge.documents.speakers import Cast
from knowledge.documents.structure import BlockKind, blocks, line_kind
from knowledge.matching import MentionFinder
from knowledge.models import Kind
from knowledge.reference import load_reference


@pytest.mark.parametrize("heading", lexicon.SECTIONS)
def test_every_report_section_is_a_heading_wherever_headings_are_read(heading: str):
    title = heading[0].upper() + heading[1:]
    page = f"Westshire Police inspection\n\nThe force was inspected in May.\n\n{title}\n\nThe force answers calls quickly."
    assert [b.kind for b in blocks(page)][2] == BlockKind.heading, title
    known, kind = section_kind(f"2.1 {title}")
    assert known and kind == lexicon.SECTION_KINDS.get(heading)


@pytest.mark.parametrize("heading", lexicon.SECTION_KINDS)
def test_a_heading_that_names_a_kind_gives_it_as_a_label_and_marks_a_report(heading: str):
    assert isinstance(section_kind(heading)[1], Kind)
    assert line_kind(f"{heading.capitalize()} 2:", before_body=False) == BlockKind.label
    text = f"The force was inspected.\n\n{heading.capitalize()}\n\nIt should act.\n\n{heading.upper()}\n\nIt should act faster."
    assert doc_type_of(text, None) == "report"


def test_grades_are_read_in_every_spelling_and_stored_by_one_name():
    assert lexicon.GRADES == ("outstanding", "good", "adequate", "requires_improvement", "inadequate")  # best first
    for spelling, grade in lexicon.GRADE_SPELLINGS.items():
        assert normalise_grade(spelling.upper()) == grade
        assert grades_in(f"The force was graded {spelling} at investigating crime.") == [("investigating crime", grade)]
    assert grades_in("Responding to the public | RI") == [("Responding to the public", "requires_improvement")]
    assert {lexicon.GRADE_WORDS[g] for g in lexicon.GRADES} <= set(lexicon.GRADE_SPELLINGS)


def test_every_role_documents_write_is_a_known_role_and_inspectors_come_first():
    assert {role for _, role, _ in lexicon.ROLES_WRITTEN} == set(lexicon.ROLES)
    assert lexicon.INSPECTOR_ROLES == ("HM Inspector of Constabulary", "HM Inspector of Fire & Rescue Services")
    for pattern, _, _ in lexicon.ROLES_WRITTEN:
        re.compile(pattern)


def test_no_word_is_in_two_lists_that_mean_the_same():
    assert not lexicon.ASKING_WORDS & lexicon.FILLER  # the filler is never a name's edge already
    assert not lexicon.POLICE_WORDS & lexicon.FIRE_WORDS
    assert not set(lexicon.PRAISE) & set(lexicon.CRITICISM)


@pytest.mark.parametrize("title", lexicon.TITLES)
def test_a_person_met_by_full_name_is_known_again_by_title_and_surname(title: str):
    cast = Cast(MentionFinder(load_reference()), "kent")
    jo = cast.resolve("Chief Constable Jo Sample", None)
    assert (jo.name, jo.role) == ("Jo Sample", "Chief Constable")
    assert cast.resolve(f"{title} Sample", None) is jo
    assert speaker_of(f"{title} Jo Sample, Chief Constable of Kent Police")[1] == "Chief Constable"


@pytest.mark.parametrize("verb", lexicon.SAYING)
def test_every_verb_of_saying_gives_the_words_to_their_speaker(verb: str):
    for text in (f"Chief Constable Jo Sample {verb} that the force would answer calls faster.", f"Chief Constable Jo Sample {verb} the report as a wake-up call."):
        runs, _ = Cast(MentionFinder(load_reference()), "kent").runs(text, 0, len(text), None)
        [run] = [r for r in runs if r.who is not None]
        assert run.who.name == "Jo Sample" and run.reported
        assert text[run.start : run.end] == text  # reported speech is the publisher's whole sentence (issue 17)
