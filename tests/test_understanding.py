"""Understanding questions the way people ask them: slots first (no database), then whole answers over the
fixture documents for each kind of question that used to fail, in other words than the issue's."""

import dataclasses
import datetime as dt

import pytest

from knowledge.matching import Resolver
from knowledge.questions.conversation import LastQuestion, follow
from knowledge.questions.progress import as_topic
from knowledge.questions.understanding import Lexicon, Understander
from knowledge.reference import load_reference
from knowledge.state import chats

TODAY = dt.date(2026, 11, 26)
WORDS = {w: 3 for w in "vetting burglary calls emergency answered quickly offenders wilsher castleford".split()}
SPEAKERS = {"castleford": ("Rowena Castleford",), "rowena castleford": ("Rowena Castleford",), "harrow": ("Stephen Harrow",), "stephen harrow": ("Stephen Harrow",),
            "carrick": ("Zoe Carrick",), "zoe carrick": ("Zoe Carrick",), "shiner": ("Jo Shiner", "Ms Shiner"), "jo shiner": ("Jo Shiner",),
            "bolton": ("Henry Bolton",), "henry bolton": ("Henry Bolton",)}


@pytest.fixture(scope="module")
def understand():
    understander = Understander(Resolver(load_reference()), Lexicon(WORDS, SPEAKERS), today=TODAY)
    return understander.understand


def test_an_understood_question_is_final_and_a_follow_up_is_a_new_one(understand):
    query = understand("wiltshire 999")
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.intent = "improve"
    last = LastQuestion(("wiltshire",), "improve", query, "police")
    asked = understand("older ones")
    turn = follow(asked, (), (), last, load_reference(), WORDS)
    assert turn.organisations == ("wiltshire",) and turn.notes == ("Wiltshire Police (from your last question).",)
    assert turn.query.intent == "improve" and turn.query.topics == query.topics and turn.query.older
    assert asked.intent is None and asked.topics == ()  # the question as asked is left as it was read


def orgs(query) -> list[set[str]]:
    return [set(m.organisations) for m in query.matches]


def test_filler_is_never_a_topic(understand):
    for question in ("hi there, I live in Swindon, are the cops any good?", "tell me what's up with my local police in Swindon pls",
                     "Im in swindon - hows the police doing"):
        query = understand(question)
        assert query.topics == (), (question, query.topic)
        assert {"wiltshire"} <= set().union(*orgs(query))
    words = understand("are kent police just counting crimes instead of making them useful")  # a user trial's: no topic in these
    assert {t.words for t in words.topics}.isdisjoint({"instead", "making", "useful"}), words.topic
    idiom = understand("why was wiltshire police put in special measures in the first place")  # a user trial's: "place" was a topic
    assert idiom.topics == () and idiom.intent == "engage", idiom.topic


def test_evaluative_questions_ask_for_an_overview(understand):
    for question in ("is wiltshire police any good", "how bad are Kent Police", "should I trust essex police", "overall verdict on GMP"):
        assert understand(question).intent == "overview", question


def test_the_more_specific_kind_wins_when_two_are_asked(understand):
    query = understand("so what did the 2019 report say Kent has to improve")
    assert query.intent == "improve"
    assert (query.dates.since, query.dates.until) == (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert understand("did inspectors raise any causes of concern about GMP").intent == "concerns"
    assert understand("west mercia police peel 2015 judgement").intent == "grades"  # "judgement" asks for the grades
    assert understand("my mate says kent police are a shambles, true?").intent != "statements"  # hearsay: is it true, not who said what
    assert understand("what did zoe billingham say about kent").intent == "statements"


def test_the_first_year_of_a_peel_cycle_names_the_cycle(understand):
    # "PEEL 2023–25" reports came out in 2024 and 2025: "the 2023 peel report" is one of them, not a report of 2023
    dates = understand("what did the chief constable say about kent's 2023 peel report").dates
    assert (dates.since, dates.until) == (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    assert understand("kent vetting 2023").dates.until == dt.date(2023, 12, 31)  # a year alone is still that year


def test_years_and_periods_are_date_filters_not_words(understand):
    assert understand("GMP vetting 2023").dates.words == "2023" and understand("GMP vetting 2023").topic == ["vetting"]
    assert understand("kent findings since 2022").dates.since == dt.date(2022, 1, 1)
    assert understand("kent before 2020").dates.until == dt.date(2019, 12, 31)
    last = understand("what did kent get told last year")
    assert (last.dates.since, last.dates.until) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert understand("wiltshire 999").dates is None  # 999 is a number people call, not a year
    cycle = understand("west mercia police peel 2018/19 grades")  # PEEL documents of the cycle: reported 2018 to 2020
    assert cycle.documents == ("PEEL",) and (cycle.dates.since, cycle.dates.until) == (dt.date(2018, 1, 1), dt.date(2020, 12, 31))


def test_everyday_words_never_fuzzy_match_a_place(understand):
    assert orgs(understand("what went well in GMP")) == [{"greater-manchester"}]
    assert understand("what went well in GMP").intent == "strengths"
    assert orgs(understand("what were they bad at")) == []


def test_possessives_and_short_forms_name_the_organisation(understand):
    assert orgs(understand("GMP's vetting")) == [{"greater-manchester"}]
    assert orgs(understand("the Met's stop and search")) == [{"metropolitan"}]
    # fire services by the short forms their own press offices and local papers use
    assert orgs(understand("gm fire grades 2024")) == [{"greater-manchester-fire"}]
    assert orgs(understand("what was hampshire and isle of wight fire rated inadequate for")) == [{"hampshire-and-isle-of-wight-fire"}]
    assert orgs(understand("D&W fire grades 2019")) == [{"dorset-and-wiltshire-fire"}]
    assert orgs(understand("royal berks fire risk-based inspection")) == [{"royal-berkshire-fire"}]
    assert orgs(understand("oxon fire breathing apparatus")) == [{"oxfordshire-fire"}]


def test_people_and_roles_are_read_before_places(understand):
    query = understand("Castleford quotes")
    assert query.people == ("Rowena Castleford",) and query.matches == () and query.intent == "statements"
    query = understand("what has the chief constable of greater manchester said")
    assert query.role == "Chief Constable" and query.intent == "statements"


def test_a_role_that_says_something_asks_for_their_words_though_a_grade_is_named(understand):
    # a user trial's miss: read as a grades question, so the chief constable's words on the grade were never shown
    query = understand("what did the Wiltshire chief constable say when the police got rated inadequate")
    assert query.role == "Chief Constable" and query.intent == "statements" and query.grade == "inadequate"
    query = understand("how did the PCC react to the requires improvement grades")
    assert query.intent == "statements" and query.topics == ()  # "react" asks for their words; it is not what they spoke of
    assert understand("what did inspectors say when kent was rated inadequate").intent == "grades"  # every finding is theirs
    query = understand("Rowena Castleford response to hmicfrs report mobilisation system problem")  # a user trial's: her words on the report
    assert query.intent == "statements" and [t.words for t in query.topics] == ["mobilisation", "system"]
    assert understand("kent police response to 999 calls").intent != "statements"  # "response" alone is a topic: how they respond
    query = understand("how did Rowena Castleford respond to the peel report")  # a review's: "respond" is a topic's word, not this one
    assert query.intent == "statements" and query.topics == ()
    query = understand("what did the pcc say about how the force responds to calls")  # ... but here it is what they spoke of
    assert query.topics, query.topic


def test_a_first_name_spelt_one_letter_off_is_part_of_the_name_not_a_topic(understand):
    query = understand("what did Rowenna Castleford say about vetting")
    assert query.people == ("Rowena Castleford",) and query.unknown_people == ()
    assert [t.words for t in query.topics] == ["vetting"]  # not "rowenna"
    other = understand("what did Nicola Carrick say")  # another first name: someone the documents do not quote
    assert other.people == () and other.unknown_people == ("Nicola Carrick",)


def test_a_name_after_a_role_in_lower_case_is_a_person_the_documents_may_not_quote(understand):
    query = understand("what did chief fire officer Jo Roe say about the inspectors")
    assert query.unknown_people == ("Jo Roe",) and query.people == ()
    assert understand("what did Kent Police say about the report").unknown_people == ()  # an organisation, not a person


def test_a_count_of_forces_is_no_topic(understand):
    assert understand("which six police forces were in special measures in july 2022").topics == ()
    assert "ten" in [t.words for t in understand("the last ten years of policing").topics]  # "ten years": words to search


def test_a_rate_of_arrests_is_a_topic_not_a_grade(understand):
    query = understand("humberside police arrest rate")
    assert query.intent != "grades" and [t.label for t in query.topics] == ["arrests and charges"]
    assert understand("how is humberside police rated").intent == "grades"


def test_topics_carry_the_words_documents_use(understand):
    topic = understand("wiltshire 999").topics[0]
    assert "emergency calls" in topic.phrases
    assert "non emergency" in understand("101 waits in kent").topics[0].phrases
    # "enough officers" is a topic though "officers" alone is filler: staffing, in the documents' words
    assert understand("does bedfordshire have enough officers").topics[0].label == "workforce and leadership"
    # "well recruited?": the fire inspections' "getting the right people with the right skills"
    recruited = understand("are isle of wight firefighters well recruited").topics[0]
    assert recruited.label == "workforce and leadership" and "right people" in recruited.phrases
    assert understand("which forces are slow at 101").negative


def test_small_talk_and_public_service_questions(understand):
    assert understand("hiya").small_talk == "greeting"
    assert understand("cheers!").small_talk == "thanks"
    assert understand("how do I make a complaint about an officer").reference == "complain"
    assert understand("what number do I ring when it isn't an emergency").reference == "emergency"
    assert understand("how does GMP handle complaints").reference is None
    # a person named: what they complained of is in their words, not the general how-to-complain text
    assert understand("what did rowena castleford complain about").reference is None


def test_words_asking_for_the_whole_report_are_no_topic(understand):
    """"inspection results", "main findings": the overview, not findings that use the word "result" or "main"."""
    for question in ("west sussex fire inspection results", "main findings for kent police", "key results for gwent"):
        assert understand(question).topics == (), question


# -- whole answers, one per kind of question the issue found failing ----------------------------------


def test_a_resident_asking_about_their_town_gets_the_force_overview(converse):
    result = converse("hello, I live in Swindon - are the police there any good??")
    assert result.intent == "overview" and [o.id for o in result.organisations] == ["wiltshire"]
    assert result.citations and "inadequate" in result.summary


def test_whats_wrong_gets_criticism_not_an_empty_search(converse):
    result = converse("whats wrong with wiltshire police then")
    assert result.intent == "improve" and [o.id for o in result.organisations] == ["wiltshire"]
    assert result.citations and all(c.organisation.id == "wiltshire" for c in result.citations)


def test_numbers_people_call_are_topics(converse):
    for question in ("wilts 999", "wiltshire police emergency response times"):
        result = converse(question)
        assert [o.id for o in result.organisations] == ["wiltshire"], question
        assert any("999" in c.quote or "emergency" in c.quote for c in result.citations), question


def test_a_cross_force_question_lists_every_force_with_negative_findings(converse):
    result = converse("which police forces take too long to answer 101?")
    assert len(result.organisations) >= 2
    assert {c.polarity for c in result.citations} == {"negative"}
    assert "most first" in result.summary


def test_a_year_filters_by_publication_date(converse):
    result = converse("Kent Police 2021 what did inspectors say needs improving")
    assert result.intent == "improve" and all(c.document.published.year == 2021 for c in result.citations)
    none = converse("kent police improve 2012")
    assert none.citations == [] and "of 2012" in none.summary


def test_comparisons_never_crash(converse):
    assert converse("compare with Suffolk").intent in ("compare", "ambiguous")  # with which Suffolk, and with whom?
    converse("Kent Police", chat=44)
    followed = converse("compare with Suffolk", chat=44)
    assert followed.intent == "compare" and [o.id for o in followed.organisations] == ["kent", "suffolk"]
    against = converse("how does wiltshire police compare with other forces")
    assert against.intent == "compare" and "other forces" in against.summary
    both = converse("compare Suffolk police and Cambs police on child protection")
    assert [o.id for o in both.organisations] == ["suffolk", "cambridgeshire"]


def test_a_role_with_no_statements_says_so(converse):
    result = converse("what did the police and crime commissioner for Suffolk say")
    assert result.intent == "statements"
    assert result.citations == [] or all(c.kind == "statement" and "Commissioner" in (c.role or "") for c in result.citations)
    if not result.citations:
        assert "I have no statements by the police and crime commissioner of Suffolk Constabulary" in result.summary


def test_small_talk_gets_one_line(converse):
    for question in ("hi", "thank you!!", "cheers"):
        result = converse(question)
        assert result.intent == "small_talk" and "\n" not in result.summary and len(result.summary) < 160 and not result.citations


def test_public_service_questions_are_marked_as_not_from_an_inspection(converse):
    result = converse("where do i complain about my local police force")
    assert result.intent == "reference" and "IOPC" in result.summary
    assert any("not an inspection finding" in n for n in result.notes) and not result.citations


def test_a_follow_up_continues_the_chat(converse):
    converse("I'm in Swindon, are the police any good?", chat=41)
    result = converse("and what about burglaries", chat=41)
    assert [o.id for o in result.organisations] == ["wiltshire"]
    assert any("from your last question" in n for n in result.notes)
    assert all(c.organisation.id == "wiltshire" for c in result.citations)
    switched = converse("and Kent Police?", chat=41)
    assert [o.id for o in switched.organisations] == ["kent"] and switched.intent == "topic"
    other_chat = converse("what about burglaries", chat=42)
    assert not any("from your last question" in n for n in other_chat.notes)


def test_forget_deletes_a_chats_context(converse, fixture_store):

    converse("Kent Police", chat=43)
    with fixture_store.reading() as session:
        assert chats.load_context(session, 43) is not None
    fixture_store.write(lambda session: chats.forget(session, 43))
    with fixture_store.reading() as session:
        assert chats.load_context(session, 43) is None


def test_more_keeps_the_dates_and_topic_of_the_question(converse, fixture_store):
    from knowledge.questions.answering import Answerer

    first = converse("devon and cornwall police findings from last year")
    assert first.topic == ["last year"]
    again = Answerer(fixture_store, today=TODAY).answer_again(first.intent, [o.id for o in first.organisations], first.topic, page=0)
    assert again.citations and all(c.document.published.year == 2025 for c in again.citations + first.citations)


def test_an_overview_lists_this_inspections_grades_not_an_earlier_ones(converse):
    # The Wiltshire page also says: "When the force was last inspected in 2022 it was graded adequate for responding to the public."
    result = converse("is wiltshire police any good")
    assert "responding to the public \u2014 inadequate" in result.summary
    assert "\u2014 adequate" not in result.summary


def test_words_the_documents_never_use_do_not_continue_a_chat(converse):
    converse("Kent Police", chat=45)
    result = converse("qwzx plorf", chat=45)
    assert result.intent == "help" and not result.citations


def test_a_deputy_is_asked_for_as_a_deputy_and_a_chair_as_a_chair(understand):
    assert understand("what did the deputy chief constable of merseyside say").role == "Deputy Chief Constable"
    query = understand("what did the chair of the dorset and wiltshire fire authority say")
    assert query.role == "chair of" and query.topics == () and query.intent == "statements"


def test_words_of_one_topic_side_by_side_are_asked_together_and_that_is_no_topic(understand):
    query = understand("police and mental health crisis")
    assert [t.words for t in query.topics] == ["mental health crisis"]
    assert understand("my mum reckons suffolk police are useless, is that fair?").topics == ()


def test_a_year_picks_between_a_force_and_a_fire_service_of_one_name(converse):
    police = converse("what did the 2021 inspection say Kent needs to improve?")
    assert [o.id for o in police.organisations] == ["kent"] and police.citations
    assert any("Kent Police, the one with findings of 2021" in n for n in police.notes)
    assert converse("what must kent improve").intent == "ambiguous"  # without a year: still asked


def test_mps_are_members_of_parliament_unless_typed_as_the_mets_initials(understand):
    query = understand("did any mps comment on the vetting report")
    assert query.role == "MP" and query.matches == ()
    assert [m.organisations for m in understand("what must MPS improve").matches] == [frozenset({"metropolitan"})]


# -- people ------------------------------------------------------------------------------------------------


def test_a_first_name_no_speaker_of_that_surname_has_is_someone_else(understand):
    query = understand("what did Priya Harrow say about Kent Police?")
    assert query.people == () and query.unknown_people == ("Priya Harrow",) and query.intent == "statements"
    assert understand("what did Stephen Harrow say").people == ("Stephen Harrow",)


def test_names_match_without_accents_and_by_surname(understand):
    assert understand("what did Zo\u00eb Carrick say about fire safety").people == ("Zoe Carrick",)
    assert understand("Carrick on Kent").people == ("Zoe Carrick",)


def test_a_title_and_surname_in_the_documents_is_the_person_named_in_full(understand):
    assert understand("what did Jo Shiner say about prevention").people == ("Jo Shiner", "Ms Shiner")


def test_a_name_asked_to_say_something_that_no_document_quotes_is_a_person_not_a_topic(understand):
    query = understand("What did Dru Sharpling say about Kent Police?")
    assert query.unknown_people == ("Dru Sharpling",) and not query.topics and orgs(query) == [{"kent"}]


def test_a_named_person_outweighs_the_other_cues_of_a_question(understand):
    assert understand("what did Stephen Harrow say when Kent Police went into special measures").intent == "statements"


# -- the thread of a conversation ---------------------------------------------------------------------------


@pytest.mark.parametrize("follow_up", ["why?", "what's the worst thing they said", "are they still that bad now?", "anything there on vetting?"])
def test_pronouns_and_why_worst_still_now_continue_the_organisation_in_context(converse, follow_up):
    chat = 60 + ["why?", "what's the worst thing they said", "are they still that bad now?", "anything there on vetting?"].index(follow_up)
    converse("what must Kent Police improve?", chat=chat)
    result = converse(follow_up, chat=chat)
    assert [o.id for o in result.organisations] == ["kent"] and result.citations, (follow_up, result.summary)


def test_older_ones_moves_back_in_time_never_repeats_and_says_when_nothing_is_older(converse):
    first = converse("GMP causes of concern", chat=70)
    again = converse("older ones", chat=70)
    assert not {c.finding_id for c in first.citations} & {c.finding_id for c in again.citations}
    assert "older than those shown" in again.summary


def test_a_topic_found_only_in_the_documents_words_is_said_to_be(converse):
    result = converse("Swindon police burglaries")
    assert "No finding uses the words \u201cburglaries\u201d; these are on burglary and investigating crime, in the documents\u2019 words." in result.notes


def test_leftover_words_no_document_uses_are_never_said_back(converse):
    result = converse("my grandmother lives in Swindon, are the police any good?")
    assert result.organisations and "grandmother" not in " ".join([result.summary, *result.notes])


# -- what the bot covers, and who covers the rest ----------------------------------------------------------


@pytest.mark.parametrize(("question", "who"), [
    ("Ofsted report for my kid's school in Swindon", "Ofsted"),
    ("CQC rating for the care home in Reading", "Care Quality Commission"),
    ("is the a&e at the royal infirmary in Leicester any good", "Care Quality Commission"),  # a hospital, not the county's police
    ("what do inspectors say about the prison in Exeter", "HM Inspectorate of Prisons"),
    ("youth offending team in Luton any good?", "HM Inspectorate of Probation"),
    ("what's the weather like in Swindon today", "Met Office"),
    ("write me a 500 word article on Kent Police", "give you the quotes"),
    ("shropshire council bin collection complaints", "local council"),
    ("how do i get my money back from a bank transfer scam", "contact your bank"),
])
def test_a_question_another_body_answers_gets_one_line_saying_who_whatever_town_it_names(converse, question, who):
    result = converse(question)
    assert result.intent == "outside" and who in result.summary and not result.citations and not result.organisations


def test_a_force_named_or_the_inspectors_asked_keep_questions_on_council_tax_and_scams(understand):
    assert understand("how much of my council tax bill goes to Kent Police and is it value for money").outside is None
    assert understand("what did inspectors say about how forces treat people who have been scammed").outside is None


def test_a_force_named_keeps_its_own_prison_question(understand):
    assert understand("Kent Police prison transfers").outside is None
    assert understand("how are prisons in Kent inspected?").outside == "prisons"


def test_an_insult_and_thanks_get_one_polite_line(converse):
    assert converse("you are useless").summary.startswith("Sorry that was not what you needed.")
    assert converse("thanks, that helped").summary == "You\u2019re welcome. Ask again any time."


def test_a_common_word_is_never_corrected_into_another(understand):
    assert understand("can you write up what Kent Police must improve").corrections == ()
    assert understand("wat did the cheif constable say").role == "Chief Constable"


def test_a_town_that_is_also_a_speakers_surname_is_the_town_before_police(understand):
    query = understand("Bolton police closing domestic abuse cases too early?")
    assert query.people == () and "greater-manchester" in orgs(query)[0]
    assert understand("what did Bolton say about Kent Police").people == ("Henry Bolton",)


def test_the_state_of_policing_and_of_fire_are_kinds_of_document(understand):
    assert understand("what did the State of Policing 2021 say about the last ten years").documents == ("State of Policing",)
    assert understand("state of fire report on fire deaths").documents == ("State of Fire",)


def test_a_name_that_says_something_is_a_person_though_a_word_of_it_is_a_place(understand):
    query = understand("what did Priya Harrow say?")
    assert query.unknown_people == ("Priya Harrow",) and not query.matches
    assert understand("what did Kent Police say about 999 calls").unknown_people == ()


def test_a_topic_only_the_police_deal_with_settles_a_name_shared_with_a_fire_service(converse):
    result = converse("kent children kept in custody overnight")
    assert [o.id for o in result.organisations] == ["kent"]  # not Kent Fire and Rescue Service, nor "which do you mean?"
    assert any("the one that deals with \u201ccustody\u201d" in n for n in result.notes)  # and it says why
    assert converse("A&S vetting").organisations[0].id == "avon-and-somerset"
    inspection = converse("kent custody inspection")  # the kind of report asked for says it too
    assert [o.id for o in inspection.organisations] == ["kent"]
    assert any("the one that deals with \u201ccustody inspection\u201d" in n for n in inspection.notes), inspection.notes
    assert [o.id for o in converse("kent peel inspection").organisations] == ["kent"]  # only the police have PEEL reports
    worded = converse("kent custody inspection mental health")  # a topic of either kind: the kind of report says which
    assert any("the one that deals with \u201ccustody inspection\u201d" in n for n in worded.notes), worded.notes


def test_a_follow_up_about_them_keeps_the_year_the_conversation_was_about(converse):
    converse("Kent Police 2024", chat=9_101)
    result = converse("what was wrong with them?", chat=9_101)
    assert [o.id for o in result.organisations] == ["kent"] and result.intent == "improve"
    assert "of 2024" in result.summary  # them, then
    assert all(c.document.published.year == 2024 for c in result.citations)


def test_improvements_an_organisation_made_are_its_progress_not_what_it_must_improve(understand):
    assert understand("what improvements did london fire brigade make").intent == "strengths"
    assert understand("what has improved at Kent Police").intent == "strengths"
    assert understand("what improvements does Kent Police need").intent == "improve"


def test_getting_better_asks_about_progress_and_better_alone_is_no_topic(understand):
    assert understand("is northants police actually getting better?").intent == "progress"  # a timeline of its concerns, else the findings on progress itself
    assert as_topic(understand("is northants police actually getting better?")).topics[0].label == "progress since the last inspection"
    assert not any(t.label == "progress since the last inspection" for t in understand("which forces need to supervise investigations better").topics)


def test_bad_asks_what_went_wrong_and_is_never_a_topic(understand):
    query = understand("was Avon fire bad in 2018?")
    assert query.intent == "improve" and not query.topics


def test_a_common_word_or_a_name_is_never_corrected_into_another_word(understand):
    assert ("send", "spend") not in understand("how many image cases did the NCA send to forces in 2021").corrections
    assert understand("can you trust cheshire police crime stats").corrections == ()  # not "states"
    assert understand("have they sorted it").corrections == ()  # not "scored": sorting it out is progress
    assert understand("what did Dorset's chief constable Amanda Pearson say").corrections == ()  # a name, not "person"
    assert ("leadrship", "leadership") in understand("esex polise leadrship").corrections  # slips are still read
    assert not understand("how many forces were graded inadequate").explain  # a count, not how grading works
    assert understand("what must cornwall fire do by august 2021").dates is None  # a deadline, not a publication date
    assert understand("what did kent police say in june 2022").dates is not None
    assert understand("what did kent police say about the report").intent == "statements"  # the force speaks, not the report
    assert not understand("which forces are the worst ones for responding to the public").followup
    according = understand("which fire services have bullying problems according to inspectors")  # "according" is no topic
    assert "according" not in [t.words for t in according.topics] and according.topics
    fiddling = understand("kent police fiddling crime figures?")  # not "failing": fiddling figures is crime recording
    assert fiddling.corrections == () and [t.label for t in fiddling.topics] == ["recording crime"]


def test_still_outstanding_asks_what_remains_to_be_done_not_for_outstanding_grades(understand):
    query = understand("what's still outstanding?")
    assert query.intent == "improve" and query.grade is None


@pytest.mark.parametrize("question", ["anything they still need to work on?", "what has kent got to work on"])
def test_work_on_asks_what_must_improve_and_is_no_topic(understand, question):
    query = understand(question)
    assert query.intent == "improve" and not any(t.words.startswith("work") for t in query.topics)


def test_a_standard_is_a_topic_word_and_up_to_standard_asks_how_good(understand):
    topic = understand("west midlands fire response time standard")
    assert topic.intent != "overview" and topic.topics  # "its five-minute response standard": a topic, neutral sentences too
    assert understand("are kent police up to standard").intent == "overview"


@pytest.mark.parametrize("question", ["biggest problem at kent police", "kent police weak spot", "what is kent police weakest at"])
def test_the_biggest_problem_or_a_weak_spot_asks_what_must_improve_most_serious_first(understand, question):
    query = understand(question)
    assert query.intent == "improve" and not query.topics, (query.intent, query.topics)


def test_riots_and_disorder_are_one_topic(understand):
    riots, disorder = understand("were police ready for the 2024 riots"), understand("policing the summer disorder")
    assert "riots and public disorder" in [t.label for t in riots.topics] and "riots and public disorder" in [t.label for t in disorder.topics]


def test_planning_ahead_is_the_future_planning_topic(understand):
    assert [t.label for t in understand("are west yorks police any good at planning ahead").topics] == ["planning for the future"]


def test_getting_there_is_about_response(understand):
    assert "answering 999 calls" in [t.label for t in understand("do fire engines in durham get there quick").topics]


def test_who_decided_to_put_a_force_into_engage_asks_about_the_entry(understand):
    assert understand("who decided to put west midlands police into engage").why_engage == "engage_entered"


def test_what_for_asks_why(understand):
    query = understand("grantham police put in engage, what for")
    assert query.why and query.why_engage == "engage_entered"


@pytest.mark.parametrize("question", ["has westshire fire got any better since 2018", "is westshire fire better than it was in 2018 or not",
                                      "has kent police got better or not"])
def test_got_any_better_asks_about_progress(understand, question):
    assert understand(question).intent == "progress"


@pytest.mark.parametrize("question", ["Does Westshire Police attend priority calls quickly enough now?", "Is Kent Police supervising investigations properly now?",
                                      "Did Gwent Police improve how it tackles serious and organised crime?", "did kent police act on the 2022 recommendations",
                                      "Did Suffolk Police improve its investigations after the 2022 inspection?"])
def test_a_yes_or_no_question_about_now_or_a_change_asks_about_progress(understand, question):
    assert understand(question).intent == "progress"


@pytest.mark.parametrize(("question", "intent"), [("is kent police in special measures now", "engage"), ("is humberside police actually good now", "overview"),
                                                  ("what did kent police need to improve in 2022", "improve"), ("what is Kent Police actually good at", "strengths"),
                                                  # a reviewer's: another kind of answer asked, or what someone said or found
                                                  ("Did HMICFRS say what GMP needs to improve?", "improve"), ("Did Kent Police improve its grades?", "grades"),
                                                  ("Did the inspectors recommend that GMP improve its vetting?", "recommendations"),
                                                  ("Is GMP outstanding now?", "grades"), ("Are Essex Police good at tackling knife crime now?", "strengths"),
                                                  ("Is there a new report on Kent Police now?", "latest"), ("When did GMP come back from Engage?", "engage"),
                                                  ("Did Kent Police act unlawfully?", None)])
def test_a_stronger_cue_than_now_keeps_its_own_kind_of_answer(understand, question, intent):
    assert understand(question).intent == intent
    assert "when it was inspected" not in [t.label for t in understand(question).topics]


def test_did_they_sort_the_recs_from_last_time_asks_about_progress_with_no_topic(understand):
    # a user trial's: "recs" were no kind, and "sort", "last" and "time" were searched as topics
    query = understand("surrey police custody inspection - did they sort the recs from last time")
    assert query.intent == "progress" and query.topics == (), query.topic
    assert understand("how many recs did kent police get").intent == "recommendations"
    assert understand("Did Kent Police sort out its vetting backlog?").intent == "progress"


def test_when_inspectors_go_back_asks_when_it_is_inspected(understand):
    for question in ("when are the inspectors going back to cornwall fire", "when are inspectors coming back to kent police"):
        assert "when it was inspected" in [t.label for t in understand(question).topics], question


def test_what_inspectors_found_when_they_visited_is_a_question_on_its_topic(understand):
    query = understand("when inspectors visited kent police, what did they find about 999 calls?")
    assert "when it was inspected" not in [t.label for t in query.topics]


def test_a_question_with_words_of_both_entry_and_exit_asks_about_the_exit(understand):
    assert understand("what did kent police fix while in special measures to get out?").why_engage == "engage_exited"
