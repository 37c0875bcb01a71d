"""The labelled question set: what a journalist asks, and what the answer must and must not contain.

The seed is real; the other documents are synthetic fixtures under tests/fixtures (marked as such).
Every citation of every answer is checked against its stored document by the `ask` fixture.
"""

from dataclasses import dataclass, field

import pytest

SEED_BULLETS = [
    "a more consistent approach to risk assessments when children are involved in domestic abuse cases",
    "more consistency in the way officers manage lower-risk registered sex offenders",
    "sharing information with partners sooner in online abuse investigations.",
]


@dataclass
class Case:
    question: str
    intent: str
    organisations: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)  # each must start one cited quote
    not_quotes: list[str] = field(default_factory=list)  # no cited quote may contain these
    summary: str = ""  # must appear in the summary
    note: str = ""  # must appear in one of the notes
    suggestions: list[str] = field(default_factory=list)  # must all be suggested
    no_citations: bool = False


CASES = [
    # improvements, by name, short form, typo and town
    Case("what must Cambridgeshire improve?", "improve", ["cambridgeshire"], SEED_BULLETS, ["newsletter", "Sign up"]),
    Case("What does Cambridgeshire Constabulary need to improve", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("what must Cambrigeshire improve?", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("cambs areas for improvement", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("Cambs police weaknesses", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("what should Peterborough police improve", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("Huntingdon police problems", "improve", ["cambridgeshire"], SEED_BULLETS),
    # topics for one organisation
    Case("Peterborough police sex offenders", "topic", ["cambridgeshire"], [SEED_BULLETS[1]], ["domestic abuse cases"]),
    Case("cambridgeshire online abuse", "topic", ["cambridgeshire"], [SEED_BULLETS[2]]),
    Case("Cambs sex ofenders", "topic", ["cambridgeshire"], [SEED_BULLETS[1]], summary="offenders"),
    Case("GMP 999 calls", "topic", ["greater-manchester"], ["The force was graded inadequate at responding to the public"]),
    Case("Oxford police burglary", "topic", ["thames-valley"], ["Thames Valley Police was praised"]),
    Case("Reading police 999 calls", "topic", ["thames-valley"], ["However, the force needs to improve how it handles 999 calls"]),
    Case("Exeter fire safety audits", "topic", ["devon-and-somerset-fire"], ["Devon and Somerset Fire and Rescue Service has been told"]),
    # a topic the documents never mention: said so, then the organisation's findings instead of nothing
    Case("Cambridgeshire drones", "overview", ["cambridgeshire"], [SEED_BULLETS[0]], note="Nothing on \u201cdrones\u201d for Cambridgeshire Constabulary"),
    # strengths
    Case("what is Cambridgeshire good at?", "strengths", ["cambridgeshire"], ["Her Majesty\u2019s Inspectorate of Constabulary", "We found specialist child protection staff"], SEED_BULLETS),
    Case("what was cambs praised for", "strengths", ["cambridgeshire"], ["Her Majesty\u2019s Inspectorate of Constabulary"]),
    Case("is Devon and Somerset fire doing well", "strengths", ["devon-and-somerset-fire"], ["Inspectors found that the service works well"]),
    # statements
    Case("what did the inspector say about Cambs?", "statements", ["cambridgeshire"], ["Cambridgeshire Constabulary is committed", "However, some areas could be improved",
                                                                                 "The force has responded quickly"]),
    Case("Roy Wilsher quotes on cambridgeshire", "statements", ["cambridgeshire"], ["Cambridgeshire Constabulary is committed"]),
    Case("what did inspectors say about Devon & Somerset Fire", "statements", ["devon-and-somerset-fire"], ["Staff at the service are committed"]),
    # causes of concern, recommendations, grades
    Case("causes of concern for GMP", "concerns", ["greater-manchester"], ["The report identified one cause of concern"]),
    Case("cause of concern Cambridgeshire", "concerns", ["cambridgeshire"], summary="no causes of concern on record", no_citations=True),
    Case("recommendations for devon and somerset fire", "recommendations", ["devon-and-somerset-fire"], ["HMICFRS recommended that the service"]),
    Case("how was GMP graded?", "grades", ["greater-manchester"], ["The force was graded inadequate"], summary="not comparable"),
    # latest / when
    Case("when was Cambridgeshire last inspected", "latest", ["cambridgeshire"], [SEED_BULLETS[0]], summary="22 December 2021"),
    Case("latest on GMP", "latest", ["greater-manchester"], ["Inspectors from HMICFRS found that Greater Manchester Police"], summary="16 May 2024"),
    # across all organisations
    # across organisations: the closest wording first, then what the documents say in their own words (emergency calls)
    Case("which forces need to improve 999 calls?", "improve", ["greater-manchester", "thames-valley", "cambridgeshire"], ["However, the force needs to improve how it handles 999 calls"]),
    Case("vetting", "topic", ["greater-manchester"], ["making sure that the vetting of new officers"]),
    Case("missing children", "topic", ["cambridgeshire"], ["A national inspection of how police forces"]),
    Case("which forces need to improve domestic drones?", "improve", ["cambridgeshire"], [SEED_BULLETS[0]], note="Nothing on \u201cdrones\u201d together with \u201cdomestic\u201d"),
    Case("which forces need to improve drones?", "help", [], summary="I have no findings about \u201cdrones\u201d", no_citations=True),
    # comparisons
    Case("compare GMP and TVP", "compare", ["greater-manchester", "thames-valley"], ["The report identified one cause of concern", "However, the force needs to improve how it handles 999 calls"]),
    Case("Cambs vs Norfolk", "compare", ["cambridgeshire", "norfolk"], [SEED_BULLETS[0]], summary="Norfolk Constabulary: no inspection findings yet"),
    # overview of a named organisation
    Case("Thames Valley", "overview", ["thames-valley"], ["Thames Valley Police was praised"]),
    Case("Royal Berkshire fire", "overview", ["royal-berkshire-fire"], ["The report said that Royal Berkshire Fire and Rescue Service"]),
    # no data: say so, cite nothing, never borrow another force's findings
    Case("what must Norfolk Police improve?", "improve", ["norfolk"], summary="I have no inspection findings for Norfolk Constabulary yet.", no_citations=True),
    Case("Swindon police", "overview", ["wiltshire"], summary="I have no inspection findings for Wiltshire Police yet.", no_citations=True),
    Case("what must Cambridgeshire fire improve?", "improve", ["cambridgeshire-fire"], summary="I have no inspection findings for Cambridgeshire Fire and Rescue Service yet.", no_citations=True),
    Case("Taunton fire", "overview", ["devon-and-somerset-fire"], ["Inspectors found that the service works well"]),
    Case("Taunton police", "overview", ["avon-and-somerset"], summary="I have no inspection findings for Avon and Somerset Constabulary yet.", no_citations=True),
    # ambiguous names come back as suggestions
    # a name for two organisations, neither with findings: no need to ask which
    Case("Durham", "overview", ["durham", "county-durham-and-darlington-fire"],
         summary="I have no inspection findings for Durham Constabulary or County Durham and Darlington Fire and Rescue Service yet.", no_citations=True),
    Case("West Midlands improve", "improve", ["west-midlands", "west-midlands-fire"], summary="I have no inspection findings for West Midlands Police or West Midlands Fire Service yet.",
         no_citations=True),
    # a name means the organisations named after it: "London" is the Met or the LFB, not the City of London Police
    Case("London", "overview", ["metropolitan", "london-fire"], summary="I have no inspection findings for Metropolitan Police Service or London Fire Brigade yet.", no_citations=True),
    Case("Reading", "ambiguous", [], suggestions=["Thames Valley Police", "Royal Berkshire Fire and Rescue Service"], no_citations=True),
    Case("City of London", "overview", ["city-of-london"], summary="I have no inspection findings for City of London Police yet.", no_citations=True),
    # not inspected by HMICFRS
    Case("Police Scotland", "not_inspected", ["police-scotland"], summary="inspected by HM Inspectorate of Constabulary in Scotland (HMICS), not HMICFRS", no_citations=True),
    Case("what must PSNI improve", "not_inspected", ["psni"], summary="not HMICFRS", no_citations=True),
    # gibberish, empty and hostile input
    Case("asdkjh qwpoeiru", "help", [], summary="I answer questions about HMICFRS inspections", no_citations=True),
    Case("hello", "small_talk", [], summary="Hello!", no_citations=True),
    Case("   ", "help", [], no_citations=True),
    Case("<b>Cambs</b> & <script>alert(1)</script>", "overview", ["cambridgeshire"], note="Nothing on \u201cscript\u201d or \u201calert\u201d"),
    Case("\u202ecambs\u0000 \U0001f600 improve", "improve", ["cambridgeshire"], SEED_BULLETS),
    Case("cambs " + "improve " * 1000, "improve", ["cambridgeshire"], SEED_BULLETS),
    Case('"AND" NOT * ^ cambs -offenders NEAR(', "topic", ["cambridgeshire"]),
]


def test_the_question_set_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.question[:50])
def test_labelled_question(ask, case: Case):
    result = ask(case.question)
    quotes = [c.quote for c in result.citations]
    assert result.intent == case.intent, (result.intent, result.summary)
    assert [o.id for o in result.organisations] == case.organisations, result.summary
    for expected in case.quotes:
        assert any(q.startswith(expected) for q in quotes), (expected, quotes)
    for unwanted in case.not_quotes:
        assert not any(unwanted in q for q in quotes), (unwanted, quotes)
    assert case.summary in result.summary
    assert not case.note or any(case.note in n for n in result.notes), result.notes
    for suggestion in case.suggestions:
        assert suggestion in result.suggestions
    if case.no_citations:
        assert quotes == []
    if case.organisations and result.citations:
        # Never another force's findings.
        assert {c.organisation.id for c in result.citations if c.organisation} <= set(case.organisations), quotes


def test_answers_are_newest_document_first(ask):
    result = ask("which forces need to improve?")
    assert result.intent == "help"  # no force, no topic: ask which
    dates = [c.document.published for c in ask("compare GMP and TVP").citations]
    assert dates[0].year == 2024
    kent = ask("kent police findings about calls")
    published = [c.document.published for c in kent.citations]
    assert published == sorted(published, reverse=True)


def test_a_topic_across_forces_shows_the_most_relevant_criticism_of_many_forces_first(converse):
    # Across organisations the quotes are ranked, not newest first: criticism that uses the question's
    # words, one from each force before a second from any.
    result = converse("which forces are slow to answer 101 calls")
    first = result.citations[:4]
    assert len({c.organisation.id for c in first if c.organisation}) == len(first)
    assert all(c.polarity == "negative" for c in first)
    assert all("101" in c.quote or "non-emergency" in c.quote for c in first), [c.quote for c in first]


def test_a_long_answer_says_how_many_more_there_are(ask):
    result = ask("Cambridgeshire")
    assert len(result.citations) == 6
    assert result.more > 0


def test_the_seed_alone_answers_the_readme_question(ask_seed):
    result = ask_seed("what must Cambridgeshire improve?")
    quotes = [c.quote for c in result.citations]
    assert quotes[:3] == SEED_BULLETS
    assert all(c.document.published.isoformat() == "2021-12-22" for c in result.citations)
    assert all(c.organisation.name == "Cambridgeshire Constabulary" for c in result.citations)
    assert "I have no inspection findings for Cambridgeshire Fire and Rescue Service yet." in result.notes


def test_pages_continue_where_the_last_one_stopped(ask, full_store):
    from knowledge import answer

    first = ask("Cambridgeshire")
    second = answer(full_store, "Cambridgeshire", page=1)
    assert second.citations and not {c.finding_id for c in first.citations} & {c.finding_id for c in second.citations}
    assert second.more == first.more - len(second.citations)


def test_a_picked_organisation_replaces_the_ambiguous_name(ask, full_store):
    from knowledge import answer

    picked = answer(full_store, "what must Durham improve?", organisations=["durham"])
    assert picked.summary == "I have no inspection findings for Durham Constabulary yet."
    fire = answer(full_store, "Exeter safety audits", organisations=["devon-and-somerset-fire"])
    assert fire.citations and all(c.organisation.id == "devon-and-somerset-fire" for c in fire.citations)
    assert answer(full_store, "cambs", organisations=["not-a-force"]).intent == "help"



def test_a_role_with_no_statements_and_a_speaker_who_did_not_name_the_topic(converse):
    nobody = converse("what did the policing minister say")
    assert nobody.intent == "statements" and not nobody.citations
    assert "no statements by the policing minister" in nobody.summary
    mp = converse("what did the Labour MP for Luton South say about vetting")
    # Her words do not say "vetting", but she spoke of the vetting report: that, not other MPs' words
    assert [c.speaker for c in mp.citations] == ["Vanessa Oduya"]
    assert any("documents on it" in n for n in mp.notes)


def test_more_keeps_the_town_a_topic_question_named(fixture_store):
    from knowledge.questions.answering import Answerer

    first = Answerer(fixture_store).answer("croydon fire brigade bullying")
    assert "croydon" in first.topic and first.more
    again = Answerer(fixture_store).answer_again(first.intent, [o.id for o in first.organisations], first.topic, page=1)
    assert any("Croydon" in c.quote for c in again.citations)


def test_a_follow_up_to_a_question_across_forces_goes_across_forces_again(converse):
    converse("which forces are slow to answer 101 calls", chat=424242)
    again = converse("what about 999 calls", chat=424242)
    # not a comparison of the two forces the last answer happened to list first
    assert again.intent in ("topic", "improve") and len(again.organisations) > 2
    assert not any("from your last question" in n for n in again.notes)
    kent = converse("and kent?", chat=424242)
    assert [o.id for o in kent.organisations] == ["kent"]
