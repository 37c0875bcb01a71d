"""What an answer says and how it reads: labels in the inspectorate's words, the overview first, each
document named once, lead-ins cut to their clause, a quote ready to paste (real SQLite, real parsing)."""

from pathlib import Path

import pytest

from bot.render import answer_json, cite_text, lead_in, render_html, render_text, visible_len
from knowledge import Store
from knowledge.ingest import ingest_paths
from knowledge.questions.answering import Answerer
from tests.conftest import ARTICLES, FIXTURES, check_citations, make_store, store_of

CALLS = """date 2025-03-04 Police news (synthetic test document)

Kent Police must answer 999 and 101 calls more quickly, inspectors have said.

Inspectors found that the force answered 88 per cent of 999 calls within ten seconds, against a national standard of 90 per cent.

Cambridgeshire Constabulary is not visiting some registered sex offenders as often as it should, according to the report.

Chief Constable Tim Smith said: "We accept the findings and are already recruiting more call handlers."
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return make_store(tmp_path_factory.mktemp("answers") / "kb.db", ARTICLES, FIXTURES / "formats")


def ask(store: Store, question: str, **options: object):
    return check_citations(store, Answerer(store, **options).answer(question))


def test_labels_say_what_the_inspectors_said_not_a_blanket_criticism(store: Store, tmp_path: Path):
    (tmp_path / "kent_calls.txt").write_text(CALLS, encoding="utf-8")
    alone = Store(f"sqlite:///{tmp_path / 'kb.db'}")  # this document only
    assert [r.status for r in ingest_paths(alone, [tmp_path / "kent_calls.txt"])] == ["added"]
    cited = [c for question in ("Kent Police", "Cambridgeshire Constabulary", "999 calls") for c in ask(alone, question).citations]

    def label(start: str) -> str:
        return next(c.label for c in cited if c.quote.startswith(start))

    assert label("Kent Police must answer 999 and 101 calls more quickly") == "What the force must do"
    assert label("Inspectors found that the force answered 88 per cent") == "Performance figure"
    assert label("We accept the findings") == "Statement by Tim Smith, Chief Constable"
    assert label("Cambridgeshire Constabulary is not visiting") == "Area for improvement"  # "as often as it should" is no instruction
    improve = ask(store, "what must Cambridgeshire improve?").citations
    assert improve[0].label == "Area for improvement"  # under "... still needs to make some improvements, including:"
    recs = ask(store, "recommendations for kent police").citations
    asked = [c for c in recs if c.kind == "recommendation"]
    assert asked == recs[: len(asked)] and {c.label for c in asked} <= {"Recommendation", "Recommendation (within three months)"}


def test_lead_ins_are_cut_to_the_clause_that_gives_the_quote_its_meaning():
    long = "However, in their report, which was published on Wednesday (December 21) HMICFRS said the force still needs to make some improvements, including:"
    assert lead_in(long) == "\u2026the force still needs to make some improvements, including:"
    assert long.endswith(lead_in(long)[1:])  # still the document's own words
    assert lead_in("The report also said that") == "The report also said that"


def test_an_overview_opens_with_grades_counts_and_monitoring_then_the_most_serious(store: Store):
    result = ask(store, "Kent Police")
    overview = result.overview
    assert overview is not None and result.intent == "overview"
    assert [(r.area.lower(), r.grade) for r in overview.grades] == [
        ("responding to the public", "inadequate"), ("investigating crime", "requires_improvement"),
        ("preventing crime", "good"), ("protecting vulnerable people", "adequate")]
    # the press release's "must answer emergency calls more quickly" is one of the five: a demand, not praise
    assert overview.counts == {"cause_of_concern": 1, "area_for_improvement": 5, "recommendation": 2}
    assert overview.monitoring == "engage_entered" and overview.monitoring_document.published.isoformat() == "2024-05-16"
    assert result.citations[0].kind == "cause_of_concern"
    assert "Monitoring: in Engage" in result.summary and "not comparable" in result.summary  # the facts in sentences too
    text = render_text(result)
    assert text.index("Latest grades") < text.index("On record:") < text.index("1. Cause of concern")
    for html in render_html(result):
        assert visible_len(html) <= 4096


def test_each_document_is_named_once_and_local_paths_only_in_the_json(store: Store):
    result = ask(store, "Kent emergency calls")
    text = render_text(result)
    documents = {c.document.id: c.document for c in result.citations}
    assert len(documents) >= 3
    for d in documents.values():
        assert text.count(d.label + "\n") == 1, d.label
        assert d.source_path not in text
    report = next(d for d in documents.values() if d.url)
    assert f"{report.publisher} report \u00b7 16 May 2024 \u00b7 {report.url}" in text
    obj = answer_json(result)
    assert {d["id"] for d in obj["documents"]} == set(documents) and all(d["source_path"] for d in obj["documents"])
    quoted = [q for d in obj["documents"] for q in d["quotes"]]
    assert quoted == [c["finding_id"] for c in obj["citations"]] and sorted(quoted) == sorted(c.finding_id for c in result.citations)
    for html in render_html(result):  # the same grouping in Telegram: no header twice in a message
        heads = [line for line in html.splitlines() if line.startswith("\U0001f4c4")]
        assert len(heads) == len(set(heads))


def test_a_quote_to_paste_carries_organisation_document_publisher_date_and_link(store: Store):
    [concern] = ask(store, "Kent Police causes of concern").citations
    text = cite_text(concern)
    assert text.startswith(f"\u201c{concern.quote}\u201d\n")
    for part in ("Kent Police", "PEEL 2023\u201325: An inspection of Kent Police", "HMICFRS", "16 May 2024", "https://hmicfrs.example.test/peel-2023-25-kent/"):
        assert part in text
    assert concern.document.source_path not in text
    news = next(c for c in ask(store, "Kent emergency calls").citations if c.document.published.isoformat() == "2024-05-17")
    assert "news article, 17 May 2024" in cite_text(news) and "http" not in cite_text(news)  # no address known: none made up


def test_the_cli_and_the_bot_page_overviews_differently_but_consistently(store: Store):
    full = ask(store, "Kent Police")
    phone = ask(store, "Kent Police", overview_page=3)
    assert len(full.citations) == 6 and len(phone.citations) == 3
    assert [c.finding_id for c in phone.citations] == [c.finding_id for c in full.citations[:3]]
    second = Answerer(store, overview_page=3).answer_again("overview", ["kent"], [], page=1)
    assert [c.finding_id for c in second.citations] == [c.finding_id for c in full.citations[3:6]]
    assert phone.more == full.more + 3


def test_an_overview_shows_a_finding_once_under_its_best_source_and_names_the_repeats(store: Store):
    result = ask(store, "Kent Police", overview_page=3)
    quotes = [c.quote for c in result.citations]
    assert sum("not answering emergency calls quickly enough" in q for q in quotes) == 1
    first = result.citations[0]
    assert first.document.doc_type == "report"
    assert [(d.doc_type, d.published.isoformat()) for d in first.also_in] == [("press_release", "2024-05-16"), ("article", "2024-05-17")]
    text = render_text(result)
    assert "Also reported in: Kent Police must answer emergency calls faster, says inspectorate (press release, 16 May 2024)" in text
    assert answer_json(result)["citations"][0]["also_in"][1]["published"] == "2024-05-17"
    pages = [c.finding_id for page in range(4) for c in Answerer(store, overview_page=3).answer_again("overview", ["kent"], [], page=page).citations]
    assert len(pages) == len(set(pages))  # paging does not repeat what an earlier page showed
    topic = ask(store, "Kent emergency calls")  # a topic still quotes each document's wording (report first)
    assert [c.document.doc_type for c in topic.citations if "not answering emergency calls quickly enough" in c.quote] == ["report", "press_release", "article"]


def test_a_sentence_two_documents_print_word_for_word_is_quoted_once_in_any_answer(tmp_path: Path):
    # A parish newsletter reprints a news story word for word: one quote, the other document named with it.
    release = ("date 2023-09-14 Westshire news (synthetic test document)\n\nCornwall fire inspection\n\n"
               "HM Inspector Jo Sample said: \u201cCornwall Fire and Rescue Service has not made enough progress on welfare facilities at its stations.\u201d\n")
    reprint = release.replace("date 2023-09-14 Westshire news", "date 2023-09-20 Parish newsletter")
    # the same words in another person's mouth are another quote (a reviewer's case: a commissioner echoing a chief)
    echoed = release.replace("date 2023-09-14 Westshire news", "date 2023-09-22 Council news").replace("HM Inspector Jo Sample", "Councillor Sam Roe")
    store = store_of(tmp_path, {"release.txt": release, "reprint.txt": reprint, "echoed.txt": echoed})
    for question in ("what did the inspector say about cornwall fire", "cornwall fire welfare facilities"):
        result = ask(store, question)
        quotes = [c for c in result.citations if "welfare facilities" in c.quote and c.speaker != "Sam Roe"]
        assert len(quotes) == 1, question
        shown = quotes[0]
        assert sorted([shown.document.published.isoformat(), *(d.published.isoformat() for d in shown.also_in)]) == ["2023-09-14", "2023-09-20"]
    echo = ask(store, "what did sam roe say about cornwall fire")
    assert [c.speaker for c in echo.citations if "welfare facilities" in c.quote] == ["Sam Roe"] and not echo.citations[0].also_in


def test_effectiveness_finds_the_grade_worded_as_keeping_people_safe_and_reducing_crime(tmp_path: Path):
    # PEEL graded effectiveness as "keeping people safe and reducing crime": a grade in those words is what is asked.
    page = ("date 2016-02-18 Westshire PEEL: effectiveness 2015 (synthetic test document)\n\n"
            "Overall Dorset Police is judged to be good at keeping people safe and reducing crime.\n\n"
            "The force is effective at investigating crime, but call handlers do not always record the risks callers face.\n")
    later = ("date 2016-03-01 Westshire news (synthetic test document)\n\n" + "\n\n".join(
        f"Dorset Police was effective at {task} in 2015, inspectors found." for task in
        ("tackling burglary", "catching drink drivers", "finding missing people", "patrolling rural roads", "policing football matches",
         "answering letters", "running its front counters")) + "\n")
    store = store_of(tmp_path, {"peel.txt": page, "later.txt": later})
    result = ask(store, "dorset police effectiveness 2015")
    assert result.citations[0].quote.startswith("Overall Dorset Police is judged to be good"), [c.quote for c in result.citations]


def test_what_an_inspector_said_on_a_topic_they_never_named_is_what_the_documents_quoting_them_say_of_it(tmp_path: Path):
    # The chief inspector's annual assessment: their quoted words are general; the report's own findings name the topic.
    report = ("date 2023-07-01 Annual assessment (synthetic test document)\n\nThe state of policing: annual inspection report\n\n"
              "HM Chief Inspector of Constabulary Jo Sample said: \u201cI served as a police officer for thirty years before this job.\u201d\n\n"
              "Areas for improvement\n\n"
              "- forces are not focusing on what matters most to the public, and charge rates are far too low\n"
              "- neighbourhood policing has been eroded\n\n"
              "Recommendations\n\n"
              "- The Home Office should review how forces are funded.\n")
    response = ("date 2023-07-02 Commissioner responds (synthetic test document)\n\n"
                "Chief Constable Sam Roe said: \u201cWe read the annual assessment with interest.\u201d\n\n"
                "Police forces have too few detectives, the assessment says.\n")
    story = ("date 2023-07-03 Inspector thanks staff (synthetic test document)\n\n"  # a news story quoting her: not her report
             "HM Chief Inspector of Constabulary Jo Sample said: \u201cI thank the staff who helped us.\u201d\n\n"
             "\u201cWe were ignored for years when we asked about charge rates,\u201d one victim told the Gazette.\n")
    store = store_of(tmp_path, {"report.txt": report, "response.txt": response, "story.txt": story})
    result = ask(store, "what did jo sample say about charge rates")
    assert not any("ignored" in c.quote for c in result.citations)  # nobody else's words, nothing a story reports
    assert result.citations and "charge rates are far too low" in result.citations[0].quote, [c.quote for c in result.citations]
    assert any("Nothing in Jo Sample\u2019s own words" in n for n in result.notes), result.notes
    assert all(c.kind != "statement" or c.speaker == "Jo Sample" for c in result.citations)  # nobody else's words
    chief = ask(store, "what did sam roe say about detectives")  # a chief constable quoted in a story speaks for no report
    assert not any("documents quoting" in n for n in chief.notes), chief.notes


def test_one_answerer_pages_each_answer_by_its_own_kind(store: Store):
    # An overview's short phone page is that answer's; the next question asked of the same Answerer gets a full page.
    answerer = Answerer(store, overview_page=3)
    assert len(check_citations(store, answerer.answer("Kent Police")).citations) == 3
    after = check_citations(store, answerer.answer("Kent emergency calls"))
    fresh = ask(store, "Kent emergency calls", overview_page=3)
    assert len(fresh.citations) > 3
    assert [c.finding_id for c in after.citations] == [c.finding_id for c in fresh.citations] and after.more == fresh.more


OLD_DETECTIVES = """date 2019-02-01 Kent Police news (synthetic test document)

Inspectors said Kent Police has too few trained detectives for child protection inquiries, and cases wait weeks for one.
"""


@pytest.fixture(scope="module")
def many_newer(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One old finding in the user's own words ("child protection"), then 260 newer ones in a topic's plainer word."""
    folder = tmp_path_factory.mktemp("ranking")
    newer = ["date 2025-06-01 Kent Police news (synthetic test document)", ""]
    for suite in range(1, 261):
        newer += [f"Kent Police kept the records of children in custody suite {suite} up to date, inspectors found.", ""]
    (folder / "old.txt").write_text(OLD_DETECTIVES, encoding="utf-8")
    (folder / "new.txt").write_text("\n".join(newer), encoding="utf-8")
    store = Store(f"sqlite:///{folder / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [folder / "old.txt", folder / "new.txt"])] == ["added", "added"]
    return store


def test_the_most_relevant_finding_comes_first_whatever_its_age(many_newer: Store):
    result = ask(many_newer, "what about child protection in Kent Police?")
    assert result.citations[0].quote.startswith("Inspectors said Kent Police has too few trained detectives")
    assert "261 findings" in result.summary and "most relevant first" in result.summary


def test_the_index_finds_the_best_matches_among_any_number_not_the_newest(many_newer: Store):
    from knowledge.state import search

    with many_newer.reading() as session:
        plain = search.search(session, [["child protection", "children"]], ["kent"], 5, counts=many_newer.finding_counts)
        ranked = search.search(session, [["child protection", "children"]], ["kent"], 5, counts=many_newer.finding_counts,
                               weights={"child protection": 9.0, "children": 2.0})
        old = session.connection().exec_driver_sql("SELECT id FROM finding WHERE text LIKE '%trained detectives%'").scalar()
    assert plain.total == ranked.total == 261
    assert old not in plain.ids  # without weights: the newest five
    assert ranked.ids[0] == old and len(ranked.ids) == 5


# Statements and connections one answer may take, warm (the store's cached vocabularies read), on the fixture
# store; PostgreSQL runs one fewer (no BEGIN statement). A follow-up's second connection writes the chat's context.
BUDGETS = [
    ("overview", ["Kent Police"], 5, 1),
    ("comparison", ["compare GMP and TVP"], 6, 1),  # both sides, then both sides' grades in one
    ("improve", ["what must Kent Police improve?"], 3, 1),
    ("topic across organisations", ["which forces need to improve 999 calls?"], 4, 1),
    ("a town's topic", ["Peterborough police sex offenders"], 6, 1),  # few on the topic: then those in documents titled with it
    ("grades", ["how was GMP graded?"], 7, 1),  # the grades, then the findings that speak of grades
    ("statements", ["what did the inspector say about Cambs?"], 5, 1),  # the inspectors' words, then the inspectorate's findings
    ("latest", ["latest on GMP"], 5, 1),  # the newest document's findings, then the latest grades and monitoring status
    ("follow-up", ["I'm in Swindon, are the police any good?", "what about burglaries"], 10, 2),  # few on burglary there: and in documents titled with it, then the rest of that report
]


@pytest.mark.parametrize(("kind", "turns", "statements", "connections"), BUDGETS, ids=[b[0] for b in BUDGETS])
def test_one_answer_reads_in_one_session_within_its_statement_budget(fixture_store: Store, kind: str, turns: list[str], statements: int, connections: int):
    import datetime as dt

    from sqlalchemy import event

    engine, counted = fixture_store.engine, {"statements": 0, "connections": 0}

    def statement(*_: object) -> None:
        counted["statements"] += 1

    def checkout(*_: object) -> None:
        counted["connections"] += 1

    answerer = Answerer(fixture_store, today=dt.date(2026, 11, 26))
    chat = 7_000 + BUDGETS.index(next(b for b in BUDGETS if b[0] == kind))
    for turn in turns:
        answerer.answer(turn, chat_id=chat)  # warm: the caches every answer reads are filled
    for turn in turns[:-1]:
        answerer.answer(turn, chat_id=chat)
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine.pool, "checkout", checkout)
    try:
        result = answerer.answer(turns[-1], chat_id=chat if len(turns) > 1 else None)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine.pool, "checkout", checkout)
    assert check_citations(fixture_store, result).citations, result.summary
    assert counted["statements"] <= statements and counted["connections"] <= connections, counted


# -- the kind of answer is a preference, not a filter ------------------------------------------------------


def test_few_grades_are_followed_by_the_findings_that_speak_of_grades_and_the_answer_says_so(converse):
    result = converse("cambs police grades")
    kinds = [c.kind for c in result.citations]
    assert kinds[0] == "grade" and "grade" not in kinds[kinds.index(next(k for k in kinds if k != "grade")):]  # grades first, then the others
    assert "Other findings that speak of grades follow the grades." in result.notes


def test_what_the_inspector_said_is_the_inspectorates_findings_as_well_as_its_inspectors_words(converse):
    result = converse("what did the inspector say about Kent Police's 999 calls?")
    assert result.intent == "statements" and result.citations[0].kind == "statement" and "Inspector" in result.citations[0].role
    assert any(c.kind == "cause_of_concern" and "emergency calls" in c.quote for c in result.citations)
    assert any("inspectorate\u2019s findings on \u201c999 calls\u201d follow" in n for n in result.notes)


def test_why_an_organisation_went_into_special_measures_quotes_the_reasons_its_documents_give(converse):
    result = converse("why was GMP put into special measures?")
    labels = [c.label for c in result.citations]
    assert labels[0] == "Monitoring status (Engage)" and "Cause of concern" in labels
    assert any("the reasons it went in" in n for n in result.notes)


def test_a_causes_of_concern_question_with_none_on_record_says_so_and_quotes_nothing(converse):
    result = converse("causes of concern for West Midlands fire service")
    assert not result.citations or all(c.kind == "cause_of_concern" for c in result.citations)


GRADED_LATER = """date 2018-03-22 Gwent Police inspection news (synthetic test document)

Inspectors judged that Gwent Police is good at keeping people safe and reducing crime, in the inspection carried out last year.
"""


def test_a_year_asked_of_grades_finds_the_inspection_reported_the_year_after_and_says_so(tmp_path: Path):
    store = store_of(tmp_path, {"gwent.txt": GRADED_LATER})
    result = ask(store, "Gwent police grades 2017")
    assert result.citations and result.citations[0].quote.startswith("Inspectors judged that Gwent Police is good")
    assert any("reported the year after" in n for n in result.notes)


# -- people ------------------------------------------------------------------------------------------------

BEDS_NEWS = """date 2016-03-03 Bedfordshire Police assessment news (synthetic test document)

The first assessment of Bedfordshire Police finds the force requires improvement in several areas.

Chief Constable Rowena Castleford said: "The assessment is fair given that we are early in our five-year plan."
"""


LEICS_NEWS = """date 2019-01-10 Leicestershire Police crime recording news (synthetic test document)

Inspectors found that Leicestershire Police now records more of the crimes reported to it.

Councillor Rowena Castleford said: "I am glad the report sees how much effort went into the recording of crime. There is more to do. The force should build on the progress so far."

"We will meet again in the spring. The panel will ask for figures each month. Staff have worked long hours. Training is under way. The public deserve to know."
"""


def test_a_persons_few_words_on_a_topic_are_followed_by_the_rest_they_said_in_the_same_document(tmp_path: Path):
    # a user trial's miss: "what did Lord X say about crime recording in Leicester" showed one of his three sentences, the
    # one with the topic's words; the others, on the same report, were where the key phrase was
    store = store_of(tmp_path, {"leics.txt": LEICS_NEWS})
    result = ask(store, "what did rowena castleford say about crime recording in leicestershire")
    assert [c.quote for c in result.citations][:1] == ["I am glad the report sees how much effort went into the recording of crime."]
    assert "The force should build on the progress so far." in [c.quote for c in result.citations]
    assert any("the rest of what they said in the same documents follows" in n for n in result.notes)
    assert "from 1 document" in result.summary
    assert not result.more  # all of it on this page: a second page, read afresh, would not hold them (a review's find)


WARKS_NEWS = """date 2024-09-18 Warwickshire Police news (synthetic test document)

Warwickshire Police has left enhanced monitoring, the inspectorate said.

The commissioner had asked Chief Constable Rowena Castleford to report on progress every month.

Chief Constable Rowena Castleford said: "This reflects a great deal of hard work by our officers."
"""


KENT_NAMES_HER = """date 2024-10-01 Kent Police news (synthetic test document)

Kent Police invited Rowena Castleford to speak at its conference on 999 calls.
"""


def test_a_persons_words_come_before_sentences_that_name_them_when_none_use_the_topics_words(tmp_path: Path):
    # a user trial's miss: "what did <chief> say about <force> coming out of special measures" answered "I have nothing
    # said by <chief> ... on 'coming'" and showed a sentence that named him, though his own words were on record
    store = store_of(tmp_path, {"warks.txt": WARKS_NEWS})
    result = ask(store, "what did rowena castleford say about warwickshire police coming out of special measures")
    assert [c.quote for c in result.citations][:1] == ["This reflects a great deal of hard work by our officers."]
    assert not result.summary.startswith("I have nothing said")
    (tmp_path / "both").mkdir()
    kent = store_of(tmp_path / "both", {"warks.txt": WARKS_NEWS, "kent.txt": KENT_NAMES_HER})
    elsewhere = ask(kent, "what did rowena castleford say about kent police 999 calls")  # no words of hers about Kent: a review's find
    assert [c.quote for c in elsewhere.citations] == ["Kent Police invited Rowena Castleford to speak at its conference on 999 calls."]
    assert not any("here is what was said" in n for n in elsewhere.notes), elsewhere.notes  # never a note over nothing
    role = ask(kent, "what did the police and crime commissioner of kent police say about drones")  # a user trial's: the same, for a role
    assert not role.citations and not any("here is what was said" in n for n in role.notes), role.notes


def test_a_person_asked_about_a_kind_of_document_is_quoted_from_the_page_that_holds_their_words(tmp_path: Path):
    # a user trial's miss: "what did <chief> say about the beds police peel assessment" answered "nothing said", because
    # only PEEL reports were searched for her words, and the news page that quotes her is none
    store = store_of(tmp_path, {"beds.txt": BEDS_NEWS})
    result = ask(store, "what did rowena castleford say about the beds police peel assessment")
    assert [c.quote for c in result.citations] == ["The assessment is fair given that we are early in our five-year plan."]
    assert "Nothing by Rowena Castleford on \u201cassessment\u201d in PEEL documents; here is what was said in others." in result.notes
    nobody = ask(store, "what did the chief constable of kent say in the peel report")
    assert nobody.citations == [] and not any("PEEL documents" in n for n in nobody.notes)  # no note over nothing


KENT_PEOPLE = """date 2024-05-01 Kent Police inspection news (synthetic test document)

Kent Police must answer 999 calls more quickly, inspectors said.

Chief Constable Stephen Harrow said: "We accept the findings in full and have already hired more call handlers."

Priya Harrow, who chairs the county's victims' panel, was told of the findings before they were published.
"""
KENT_FIRE_PEOPLE = """date 2024-06-01 Kent Fire and Rescue Service inspection news (synthetic test document)

Kent Fire and Rescue Service needs to do more to check the safety of high-rise buildings, inspectors said.

Chief Fire Officer Zoe Carrick said: "We will check every high-rise building in the county by the spring."
"""


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("people")
    (folder / "kent.txt").write_text(KENT_PEOPLE, encoding="utf-8")
    (folder / "kent_fire.txt").write_text(KENT_FIRE_PEOPLE, encoding="utf-8")
    store = Store(f"sqlite:///{folder / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [folder / "kent.txt", folder / "kent_fire.txt"])] == ["added", "added"]
    return store


def test_a_person_with_nothing_on_record_gets_nothing_said_never_another_persons_words(people: Store):
    result = ask(people, "what did Priya Harrow say about Kent Police?")
    assert result.summary == "I have nothing said by Priya Harrow about Kent Police."
    assert [c.kind for c in result.citations] == ["context"] and result.citations[0].quote.startswith("Priya Harrow, who chairs")
    assert "These findings name Priya Harrow:" in result.notes
    assert not any(c.speaker == "Stephen Harrow" for c in result.citations)
    typed = ask(people, "what did dawn copley say about the inspection report")  # in lower case, as people type
    assert typed.summary == "I have nothing said by Dawn Copley." and not typed.citations
    # with a role and a county before the name, and a grade after it: still her words that are asked, and none are held
    for question in ("what did kent pcc dawn copley say about the outstanding grade", "what did pcc dawn copley say about knife crime",
                     "what did dawn copley tell the home secretary about knife crime"):  # "tell", as people ask of a letter
        result = ask(people, question)
        assert result.summary.startswith("I have nothing said by Dawn Copley") and not result.citations, question
        assert not any("here is what was said" in n for n in result.notes), result.notes
    told = ask(people, "what did stephen harrow tell the inspectors")
    assert told.citations and {c.speaker for c in told.citations} == {"Stephen Harrow"}
    role = ask(people, "What did the Chief Constable tell the panel?")  # a role, no one's name: its holder's words
    assert "nothing said by" not in role.summary and {c.speaker for c in role.citations} == {"Stephen Harrow"}, role.summary


def test_a_name_with_an_accent_or_a_surname_alone_finds_the_speaker_and_the_organisation_they_spoke_about(people: Store):
    for question in ("what did Zo\u00eb Carrick say about Kent?", "Carrick on Kent"):
        result = ask(people, question)
        assert [o.id for o in result.organisations] == ["kent-fire"] and [c.speaker for c in result.citations] == ["Zoe Carrick"], question
        assert any("the one Zoe Carrick spoke about" in n for n in result.notes)


# -- where organisations stand -----------------------------------------------------------------------------


def test_which_are_in_special_measures_gives_each_organisations_latest_status_and_its_date(converse):
    result = converse("which forces are in special measures?")
    assert result.intent == "engage"
    assert "Kent Police (since May 2024)" in result.summary and "Greater Manchester Police (left October 2026)" in result.summary
    firsts = [c.organisation.id for c in result.citations[:4]]
    assert len(firsts) == len(set(firsts)) and all(c.label == "Monitoring status (Engage)" for c in result.citations[:4])


def test_a_month_asked_gives_the_status_in_that_month(converse):
    result = converse("which police forces were in special measures in june 2022?")
    assert "in June 2022" in result.summary and [o.id for o in result.organisations][:1] == ["greater-manchester"]
    assert "Kent Police" not in result.summary  # placed in Engage in 2024


def test_grades_across_organisations_are_filtered_by_grade_and_area(converse):
    result = converse("which forces were graded inadequate at responding to the public?")
    assert {o.id for o in result.organisations} == {"greater-manchester", "kent", "wiltshire"}
    assert all(c.kind == "grade" and "inadequate" in c.quote.lower() for c in result.citations[:3])


def test_the_best_force_is_the_one_holding_the_highest_grades_and_country_is_no_topic(converse):
    result = converse("what is the best police force in the country?")
    assert result.intent == "grades" and "outstanding" in result.summary.split(";")[0] and "not comparable" in result.summary
    assert "country" not in result.topic
    worst = converse("which is the worst police force?")
    assert "inadequate" in worst.summary.split(";")[0]


# -- what a reader needs first (issue 19: the answer's content) --------------------------------------------


def test_latest_leads_with_the_newest_grades(converse):
    result = converse("latest on GMP")
    assert result.intent == "latest" and result.overview is not None and result.overview.grades
    assert "Latest grades:" in result.summary


def test_a_comparison_shows_both_organisations_grades_side_by_side_with_their_cycle(converse):
    result = converse("compare Kent Police and Essex Police")
    assert [o.organisation.id for o in result.compared] == ["kent", "essex"] and all(o.grades for o in result.compared)
    assert "Latest grades: Kent Police (2023-25, 16 May 2024): responding to the public inadequate" in result.summary
    assert result.summary.endswith("Grades from different inspection cycles are not comparable.")


def test_an_organisation_whose_newest_document_is_over_two_years_old_says_so(converse):
    result = converse("Royal Berkshire fire")
    assert "The newest document I hold on Royal Berkshire Fire and Rescue Service is from October 2022." in result.notes
    assert not any("The newest document I hold" in n for n in converse("GMP").notes)  # October 2026


def test_a_formal_kind_on_record_comes_before_other_findings_on_a_topic_none_of_it_mentions(converse):
    result = converse("causes of concern for GMP on vetting")
    kinds = [c.kind for c in result.citations]
    assert kinds[:4] == ["cause_of_concern"] * 4 and "vetting" in result.citations[4].quote
    assert "None of the causes of concern for Greater Manchester Police mention \u201cvetting\u201d. Here is what I have instead." in result.notes


def test_a_kind_of_document_not_held_still_finds_its_topic_in_the_others(converse):
    result = converse("GMP custody inspection")
    assert "I have no custody inspection document for Greater Manchester Police; these come from its other documents." in result.notes
    assert result.citations and all("custody" in c.quote for c in result.citations)


def test_a_known_topic_an_organisation_has_nothing_on_gets_a_plain_no_not_an_overview(converse):
    result = converse("wiltshire police vetting")
    assert not result.citations and "vetting" in result.summary and result.summary.startswith("I have no")
    unknown = converse("Cambridgeshire Constabulary drones")  # words no document uses: said, then what there is instead
    assert unknown.citations and any("Nothing on \u201cdrones\u201d" in n for n in unknown.notes)


@pytest.mark.parametrize("question", [
    "Cambridgeshire Constabulary use of drones inspection",  # an inspection of the topic asked for: there is none
    "what did the inspectors say about Cambridgeshire Constabulary's use of drones",  # the inspectors' words on it: none
])
def test_an_inspection_or_the_inspectors_words_on_an_unknown_topic_get_a_plain_no(converse, question):
    result = converse(question)
    assert not result.citations and result.summary.startswith("I have no"), result.summary
    assert "on record for" not in result.summary or "drones" in result.summary  # never "no statements on record" when there are some


def test_what_a_report_said_across_organisations_is_its_findings_not_only_peoples_words(converse):
    result = converse("what did the national vetting inspection say about misogyny?")
    assert result.intent == "topic" and any(c.kind != "statement" for c in result.citations)


SPECIAL_MEASURES_UNRECORDED = """date 2024-12-05 Lincolnshire Police news (synthetic test document)

Lincolnshire Police has been moved into special measures after inspectors found serious failings in how it answers 999 calls.

Inspectors praised the force's work with schools in Lincoln.
"""


def test_special_measures_with_no_engage_record_are_found_in_the_words_that_say_so(tmp_path: Path):
    store = store_of(tmp_path, {"lincs.txt": SPECIAL_MEASURES_UNRECORDED})
    with store.reading() as session:  # the reading of the page records no Engage status: the words still say it
        statuses = session.connection().exec_driver_sql("SELECT count(*) FROM finding WHERE status IS NOT NULL").scalar()
    result = ask(store, "Lincolnshire police special measures why")
    assert any("special measures" in c.quote for c in result.citations), (statuses, result.summary)


MENTIONS_SPECIAL_MEASURES = """date 2024-05-02 Eastshire inspection (synthetic test document, our own words)

Norfolk Constabulary requires improvement at investigating crime.

Inspectors said there is no suggestion of special measures for the force at present.
"""


def test_special_measures_asked_where_no_document_records_engage_says_what_the_quotes_are(tmp_path: Path):
    store = store_of(tmp_path, {"norfolk.txt": MENTIONS_SPECIAL_MEASURES})
    result = ask(store, "is norfolk police in special measures?")
    assert [c.quote for c in result.citations] == ["Inspectors said there is no suggestion of special measures for the force at present."]
    assert "Here are the findings that speak of special measures." in result.notes, result.notes  # not "the documents that record it"


def test_the_inspectors_own_criticism_follows_what_must_improve_on_a_topic(converse):
    result = converse("what must wiltshire police improve about call handlers")
    said = [c for c in result.citations if c.kind == "statement"]
    assert said and said[0].speaker == "Rowena Castleford" and "call handlers" in said[0].quote
    assert not any("No finding uses the words \u201ccall handlers\u201d" in n for n in result.notes)


def test_a_person_no_document_quotes_asked_across_organisations_gets_nothing_said(converse):
    result = converse("what did Priya Harrow say?")
    assert result.summary == "I have nothing said by Priya Harrow." and not result.citations


UNDATED_DURHAM = """Durham Constabulary told to answer emergency calls faster (synthetic test document, our own words, no date)

Durham Constabulary must improve how quickly it answers 999 calls, after inspectors found that one in five waited more than ten seconds.

The force should make sure that victims of domestic abuse are kept informed about their cases.

Chief Constable Jo Farrell said: "We accept the findings and we are already acting on them."
"""


def test_a_year_asked_of_an_organisation_whose_only_document_has_no_date_gets_it_with_the_date_unknown_said(tmp_path: Path):
    # A page that gives no date may well be from the year asked: "nothing since 2019" would be a confident falsehood.
    store = store_of(tmp_path, {"durham.txt": UNDATED_DURHAM})
    for question in ("durham police since 2019", "durham police domestic abuse 2019"):
        result = ask(store, question)
        assert result.citations and all(c.document.published is None for c in result.citations), (question, result.summary)
        assert any("whose date I could not tell" in n for n in result.notes), result.notes
    across = ask(store, "which forces must improve 999 calls since 2022")
    assert across.citations and any("whose date I could not tell" in n for n in across.notes), across.summary
    # The undated document's words never stand in for a year that does hold documents: dated ones answer as asked.
    (tmp_path / "dated.txt").write_text("date 2023-05-02 Durham Constabulary inspected (synthetic test document, our own words)\n\n"
                                        "Durham Constabulary must improve how it supervises investigations.\n", encoding="utf-8")
    assert [r.status for r in ingest_paths(store, [tmp_path / "dated.txt"])] == ["added"]
    dated = ask(store, "durham police since 2019")
    assert dated.citations and all(c.document.published is not None for c in dated.citations), dated.summary
    assert not any("whose date I could not tell" in n for n in dated.notes)


def test_a_follow_up_after_a_persons_words_keeps_the_one_organisation_they_spoke_for(tmp_path: Path):
    store = store_of(tmp_path, {"durham.txt": UNDATED_DURHAM})
    answerer = Answerer(store)
    answerer.answer("what did jo farrell say", chat_id=8)
    commissioner = check_citations(store, answerer.answer("and what did the commissioner say?", chat_id=8))
    assert [o.id for o in commissioner.organisations] == ["durham"] and not commissioner.citations, commissioner.summary


def test_an_exit_from_engage_in_an_undated_document_is_said_beside_the_newest_dated_entry(tmp_path: Path):
    (tmp_path / "in.txt").write_text("date 2022-07-08 Wiltshire Police placed in Engage (synthetic test document, our own words)\n\n"
                                     "Wiltshire Police has been moved into the Engage phase of enhanced monitoring.\n", encoding="utf-8")
    (tmp_path / "out.txt").write_text("Wiltshire Police leaves special measures (synthetic test document, our own words, no date)\n\n"
                                      "Wiltshire Police has been removed from enhanced monitoring after making improvements.\n", encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert all(r.status == "added" for r in ingest_paths(store, [tmp_path / "in.txt", tmp_path / "out.txt"]))
    result = ask(store, "is wiltshire police still in special measures")
    assert "gives no date says it has left" in result.summary, result.summary


def test_what_an_inspection_or_report_said_is_its_findings_not_only_peoples_statements(tmp_path: Path):
    store = store_of(tmp_path, {"durham.txt": UNDATED_DURHAM})
    found = ask(store, "what did the inspection say about durham police 999 calls")
    assert found.intent != "statements" and found.citations[0].quote.startswith("Durham Constabulary must improve how quickly"), found.summary
    said = ask(store, "what did the chief constable of durham say about the inspection")
    assert said.intent == "statements" and said.citations[0].speaker == "Jo Farrell"


ENGAGE_EXPLAINED = """date 2024-03-11 Northshire Police moved into enhanced monitoring (synthetic test document, our own words)

Durham Constabulary has been moved into the Engage phase of monitoring.

All police forces are watched routinely in the Scan phase, and a force may be moved into Engage when it is not acting on the inspectorate's concerns.

The force must improve how it answers 999 calls.
"""


def test_what_engage_means_is_answered_with_the_sentences_that_explain_it_not_a_forces_status(tmp_path: Path):
    store = store_of(tmp_path, {"engage.txt": ENGAGE_EXPLAINED})
    for question in ("what does engage mean", "how does the scan and engage monitoring work"):
        result = ask(store, question)
        assert result.intent == "explain" and result.citations, (question, result.summary)
        assert result.citations[0].quote.startswith("All police forces are watched routinely")
        assert all(c.organisation is None for c in result.citations)  # "about no organisation in particular", as it says
    where = ask(store, "is durham police in engage")  # where a force stands is no explanation
    assert where.intent != "explain"


SAME_PLACE = {
    "police-2019.txt": "date 2019-05-01 Northshire inspection of Cleveland Police (synthetic test document, our own words)\n\n"
                       "Cleveland Police must improve how it supervises investigations of domestic abuse.\n",
    "police-2022.txt": "date 2022-06-01 Cleveland Police revisited (synthetic test document, our own words)\n\n"
                       "Cleveland Police has made improvements in how it supervises investigations of domestic abuse.\n",
    "fire-2023.txt": "date 2023-03-01 Cleveland Fire Brigade inspected (synthetic test document, our own words)\n\n"
                     "Cleveland Fire Brigade is good at responding to fires, and its home fire safety checks work well.\n",
}


def test_a_place_two_organisations_share_is_read_as_the_one_the_question_can_be_about(tmp_path: Path):
    for name, text in SAME_PLACE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert all(r.status == "added" for r in ingest_paths(store, [tmp_path / n for n in SAME_PLACE]))
    changed = ask(store, "what has changed at Cleveland since 2019?")  # only the police's concerns are followed
    assert changed.intent == "progress" and [o.id for o in changed.organisations] == ["cleveland"], changed.summary
    checks = ask(store, "are the home fire safety checks in Cleveland working properly")  # one word of several is the fire brigade's
    assert [o.id for o in checks.organisations] == ["cleveland-fire"], checks.summary


FIRE_GRADED = """date 2024-07-01 Northshire report on Bedfordshire Fire and Rescue Service (synthetic test document, our own words)

Bedfordshire Fire and Rescue Service was graded requires improvement at preventing fires and other risks.

Bedfordshire Fire and Rescue Service was graded good at responding to major incidents.

Chief Fire Officer Jo Sample said: "We accept the report and we will act on every point it makes."
"""


def test_which_ones_and_their_chief_continue_the_organisation_of_the_conversation(tmp_path: Path):
    store = store_of(tmp_path, {"beds.txt": FIRE_GRADED})
    answerer = Answerer(store)
    answerer.answer("bedfordshire fire latest inspection", chat_id=5)
    which = check_citations(store, answerer.answer("which ones were requires improvement?", chat_id=5))
    assert [o.id for o in which.organisations] == ["bedfordshire-fire"], which.summary
    chief = check_citations(store, answerer.answer("what did their chief say?", chat_id=5))
    assert chief.intent == "statements" and chief.citations[0].speaker == "Jo Sample", chief.summary


INSPECTOR_AND_CHIEF = """date 2019-12-17 Northshire fire service rated good (synthetic test document, our own words)

Suffolk Fire and Rescue Service was rated good overall, but it requires improvement at preventing fires.

Chief inspector Jo Sample said: "It needs to do more to make sure its home safety visits reach the people most at risk."

Chief Fire Officer Sam Roe said: "We will improve, and we must keep listening to our communities."
"""


def test_what_must_improve_is_followed_by_the_inspectors_criticism_not_a_chiefs_promise(tmp_path: Path):
    store = store_of(tmp_path, {"suffolk.txt": INSPECTOR_AND_CHIEF})
    result = ask(store, "what must suffolk fire do better")
    speakers = [c.speaker for c in result.citations if c.kind == "statement"]
    assert speakers == ["Jo Sample"], [(c.kind, c.speaker, c.quote) for c in result.citations]


NATIONAL_FIRE = """date 2023-01-20 State of Fire and Rescue: the annual assessment of fire and rescue services in England (synthetic test document)

Fire-related deaths in the year to March 2022 rose by a tenth on the year before, the inspectorate said.

Services reported that they raised 480 new disciplinary cases in the year, the inspectorate found.
"""


def test_a_report_asked_by_its_year_and_cycle_is_found_when_published_the_year_after_and_titled_otherwise(tmp_path: Path):
    store = store_of(tmp_path, {"state.txt": NATIONAL_FIRE})
    deaths = ask(store, "what did the state of fire 2022 report say about fire deaths")
    assert deaths.citations and deaths.citations[0].quote.startswith("Fire-related deaths in the year to March 2022")
    assert any("the year after" in n for n in deaths.notes)
    cases = ask(store, "how many disciplinary cases in fire services 2022/23")
    assert cases.citations and cases.citations[0].quote.startswith("Services reported that they raised 480")
    assert any("these come from others" in n for n in cases.notes)  # no document is titled 2022/23: it says so


KENT_2017 = """date 2018-03-22 Kent Police inspection news (synthetic test document)

Kent Police must improve how it supervises investigations of burglary, inspectors said.

The force needs to do more to understand demand on its call handlers.

Inspectors judged that Kent Police is good at keeping people safe and reducing crime.
"""
ESSEX_2017 = """date 2018-03-22 Essex Police inspection news (synthetic test document)

Essex Police must improve how it records crimes reported to it, inspectors said.

Inspectors judged that Essex Police requires improvement at keeping people safe and reducing crime.
"""


def test_a_comparison_leads_each_side_with_its_grades_and_finds_a_year_reported_the_year_after(tmp_path: Path):
    for name, text in (("kent.txt", KENT_2017), ("essex.txt", ESSEX_2017)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [tmp_path / "kent.txt", tmp_path / "essex.txt"])] == ["added", "added"]
    result = ask(store, "compare kent and essex police 2017")
    assert result.intent == "compare"
    firsts = {}
    for c in result.citations:
        firsts.setdefault(c.organisation.id, c)
    assert firsts["kent"].kind == "grade" and firsts["essex"].kind == "grade"  # how each was judged, before the details
    assert any("the year after" in n for n in result.notes)


NATIONAL_ABUSE = """date 2023-04-05 Police failures in online child abuse investigations, says watchdog (synthetic test document)

Inspectors found that some forces took months to act on reports of online child abuse.

Online child abuse investigations were too often graded as low risk, the inspectorate said.

The inspectorate has made 12 detailed recommendations to chief constables and the government.
"""


def test_how_many_recommendations_a_report_made_is_read_from_the_report_on_the_topic(tmp_path: Path):
    store = store_of(tmp_path, {"abuse.txt": NATIONAL_ABUSE})
    result = ask(store, "how many recommendations in the online child abuse inspection")
    assert any(c.quote.startswith("The inspectorate has made 12 detailed recommendations") for c in result.citations)
    assert not any("months to act" in c.quote for c in result.citations)  # the report's words on what it made, not its findings


NATIONAL_VETTING = """date 2022-11-02 Police vetting and misconduct: national inspection (synthetic test document)

In a review of 725 vetting files, inspectors found that forces had cleared applicants with criminal records.

The inspectorate said vetting decisions across forces were inconsistent and poorly recorded.
"""
FORCE_VETTING = """date 2024-05-01 Kent Police inspection news (synthetic test document)

Kent Police must improve how it records its vetting decisions, inspectors said.

Inspectors found that Kent Police has cleared its backlog of vetting renewals.
"""


def test_a_topic_asked_of_the_service_as_a_whole_reads_the_national_report_first(tmp_path: Path):
    for name, text in (("national.txt", NATIONAL_VETTING), ("kent.txt", FORCE_VETTING)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [tmp_path / "national.txt", tmp_path / "kent.txt"])] == ["added", "added"]
    result = ask(store, "what did the inspectorate say about police vetting nationally")
    assert result.citations[0].organisation is None  # the national report, before one force's findings
    assert {c.organisation.id for c in result.citations if c.organisation} == {"kent"}  # the force's still follow


KENT_ENGAGE = """date 2023-11-24 Kent Police moved into enhanced monitoring (synthetic test document)

His Majesty's Chief Inspector of Constabulary has today moved Kent Police into an enhanced level of monitoring.

The force must improve how it supervises investigations, and it does not answer 999 calls quickly enough.

The force does not understand the demand it faces and has too few detectives.

Officers do not always record crimes reported to them, inspectors found.

Victims are not always kept informed about their cases.

The force was first placed in Engage on 14 November 2023, the watchdog's records show.
"""


def test_when_a_force_went_into_engage_quotes_the_sentences_on_engage_before_the_reasons_and_why_the_reasons(tmp_path: Path):
    store = store_of(tmp_path, {"engage.txt": KENT_ENGAGE})
    when = [c.quote for c in ask(store, "when did kent police go into engage").citations]
    assert any(q.startswith("The force was first placed in Engage on 14 November") for q in when[:4])
    why = [c.quote for c in ask(store, "why was kent police put into special measures").citations]
    assert not any(q.startswith("The force was first placed") for q in why[:6])  # the reasons, most serious first


CARRICK_LATER = """date 2024-09-01 Kent Fire and Rescue Service news (synthetic test document)

Chief Fire Officer Zoe Carrick said: "Our crews are proud of how quickly they reach people in danger."
"""


CARRICK_SAME = KENT_FIRE_PEOPLE + """
Chief Fire Officer Zoe Carrick added: "Our prevention teams visited ten thousand homes last year."
"""


def test_a_persons_few_words_on_a_topic_are_followed_by_the_rest_of_what_they_said(tmp_path: Path):
    for name, text in (("fire.txt", CARRICK_SAME), ("later.txt", CARRICK_LATER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    assert [r.status for r in ingest_paths(store, [tmp_path / "fire.txt", tmp_path / "later.txt"])] == ["added", "added"]
    result = ask(store, "what did zoe carrick say about high-rise buildings")
    quotes = [c.quote for c in result.citations]
    assert quotes[0].startswith("We will check every high-rise building")  # on the topic first
    assert quotes.index(next(q for q in quotes if q.startswith("Our prevention teams"))) < quotes.index(
        next(q for q in quotes if q.startswith("Our crews are proud")))  # then the rest: in the same report first, then elsewhere
    assert all(c.speaker and "Carrick" in c.speaker for c in result.citations)  # nobody else's words
    assert any("the rest of what they said follows" in n for n in result.notes)


KENT_MIXED = """date 2024-05-01 Kent Police inspection news (synthetic test document)

Kent Police must improve how it supervises investigations, inspectors said.

The force must improve how quickly it answers 999 calls.

The force needs to do more to record crimes reported to it.

Kent Police must improve how it keeps victims informed.

Kent Police was graded good at preventing crime.

Inspectors praised the force's neighbourhood teams, which work well with local councils.
"""


def test_an_overview_shows_how_an_organisation_was_graded_criticised_and_praised_on_its_first_page(tmp_path: Path):
    store = store_of(tmp_path, {"kent.txt": KENT_MIXED})
    result = ask(store, "are kent police any good?", overview_page=3)
    assert result.intent == "overview"
    kinds = [c.kind for c in result.citations]
    assert "strength" in kinds and "area_for_improvement" in kinds  # both sides on one page of three, not four criticisms first


GLOS_CONCERNS = """date 2023-09-20 Gloucestershire Constabulary removed from enhanced monitoring (synthetic test document)

Earlier this year, a cause of concern around strategic planning was discharged, inspectors said.

The constabulary entered the engage phase in December 2021, after HMICFRS identified five causes of concern.
"""


def test_a_few_causes_of_concern_are_followed_by_the_sentences_that_speak_of_them(tmp_path: Path):
    store = store_of(tmp_path, {"glos.txt": GLOS_CONCERNS})
    result = ask(store, "what were gloucestershire police's causes of concern")
    quotes = [c.quote for c in result.citations]
    assert any(q.startswith("The constabulary entered the engage phase in December 2021") for q in quotes), [c.kind for c in result.citations]
    assert any("speak of causes of concern" in n for n in result.notes)


HARROW_MANY = "date 2024-05-01 Kent Police inspection news (synthetic test document)\n\nKent Police must answer 999 calls more quickly, inspectors said.\n\n" + "\n\n".join(
    f'Chief Constable Stephen Harrow said: "We will act on finding number {n} of the report without delay."' for n in range(1, 9)) + (
    '\n\nPolice and Crime Commissioner Ann Lowe said: "I will hold the chief constable to account for every one of them."\n')


def test_the_next_page_of_what_a_person_said_is_still_only_theirs(tmp_path: Path):
    store = store_of(tmp_path, {"harrow.txt": HARROW_MANY})
    first = ask(store, "what did stephen harrow say")
    assert first.more and {c.speaker for c in first.citations} == {"Stephen Harrow"}
    more = check_citations(store, Answerer(store).answer_again(first.intent, [o.id for o in first.organisations], first.topic, page=1))
    assert more.citations and {c.speaker for c in more.citations} == {"Stephen Harrow"}  # never the commissioner's words under his name


LETTER = """date 2025-03-03 Letter (synthetic test document, our own words)

Dear Chief Constable,

Durham Constabulary: monitoring under the Engage process

{progress}

The force still needs to make sure that victims are kept informed about how their cases are going.

Yours sincerely,

Alex Example
HM Inspector of Constabulary
""".format(progress="I am writing to tell you that Durham Constabulary has made enough progress on the cause of concern we raised about how it investigates "
           "crime, and that I have decided it should return to routine monitoring.")


def test_an_inspectors_letter_is_cited_as_the_inspectorates_letter_never_by_its_salutation(tmp_path: Path):
    store = store_of(tmp_path, {"letter.txt": LETTER})
    result = ask(store, "is Durham police in special measures?")
    assert "left Engage" in result.summary and "March 2025" in result.summary
    first = result.citations[0].document
    assert (first.doc_type, first.publisher, first.title) == ("letter", "HMICFRS", "Durham Constabulary: monitoring under the Engage process")
    assert render_text(result).count("HMICFRS letter \u00b7 3 March 2025") == 1
    improve = ask(store, "what must durham police improve?")
    assert [c.quote for c in improve.citations][-1].startswith("The force still needs to make sure that victims are kept informed")
    assert not any(c.quote.startswith(("Dear", "Yours")) for c in [*result.citations, *improve.citations])



ONLINE_ABUSE = """date 2023-04-05 Inspection of how police tackle online child abuse (synthetic test document, our own words)

In 2021, the national agency passed more than 9,000 referrals about abuse images to police forces.

Some forces took over a year to act on a referral, the inspectorate found.
"""


def test_a_year_asked_finds_a_later_reports_sentence_that_names_that_year(tmp_path: Path):
    store = store_of(tmp_path, {"online.txt": ONLINE_ABUSE})
    result = ask(store, "how many referrals about abuse images did police get in 2021")
    assert result.citations and result.citations[0].quote.startswith("In 2021, the national agency passed more than 9,000 referrals")
    assert not any(c.quote.startswith("Some forces took over a year") for c in result.citations)  # 2023's own findings are not 2021's


FORENSICS = """date 2022-12-01 Inspection of digital forensics in policing (synthetic test document, our own words)

Digital forensics units hold a backlog of seized phones, and digital forensics staff are too few, the inspectorate found.

Digital forensics work is slowed by old equipment in most forces.

The inspectors visited seven police forces and three regional crime units.
"""


def test_a_question_of_several_own_words_finds_the_sentence_holding_the_telling_ones(tmp_path: Path):
    store = store_of(tmp_path, {"forensics.txt": FORENSICS})
    result = ask(store, "how many regional units did the digital forensics inspection visit")
    assert result.citations and result.citations[0].quote.startswith("The inspectors visited seven police forces and three regional crime units")


SUFFOLK_2024 = """date 2024-06-20 Suffolk inspection news (synthetic test document, our own words)

The inspection of Suffolk Constabulary took place between March and May 2024.

The force must improve how quickly it answers 101 calls.
"""


def test_when_was_it_last_inspected_quotes_the_dates_the_newest_document_gives(tmp_path: Path):
    store = store_of(tmp_path, {"suffolk.txt": SUFFOLK_2024})
    result = ask(store, "when was suffolk police last inspected?")
    assert result.intent == "latest"
    assert [c.quote for c in result.citations][0].startswith("The force must improve")  # the serious finding first
    assert any(c.quote.startswith("The inspection of Suffolk Constabulary took place between March and May 2024") for c in result.citations)


CHIEFS_RESPONSE = """date 2019-05-02 Chiefs respond to the inspectorate's annual review (synthetic test document, our own words)

The national chiefs' body has responded to the inspectorate's spotlight review of forces.

Chiefs' council chair Sam Roe said: "Most forces were graded good or better, but the strain on officers is growing."
"""


def test_a_persons_words_on_a_report_titled_otherwise_are_still_theirs(tmp_path: Path):
    store = store_of(tmp_path, {"response.txt": CHIEFS_RESPONSE})
    result = ask(store, "what did sam roe say about the PEEL spotlight report")
    assert [c.speaker for c in result.citations] == ["Sam Roe"]
    assert result.citations[0].quote.startswith("Most forces were graded good or better")


ENGAGE_ENTRY = """date 2023-03-10 Westshire moved into Engage (synthetic test document, our own words)

Suffolk Constabulary has been moved into Engage because the force needs to:

- improve how quickly it answers emergency calls
- improve how it supervises investigations
- make sure victims are kept informed
"""
ENGAGE_EXIT = """date 2025-02-14 Suffolk leaves Engage (synthetic test document, our own words)

Suffolk Constabulary has been removed from Engage because it has made several improvements, including:

- a new control room that answers most emergency calls within ten seconds
- better supervision of investigations by sergeants
- a victims' unit that calls every victim within two days
- clearer plans for the years ahead
- more detectives in every district
- a stronger team for child protection
- faster checks on officers' vetting
"""


def test_why_a_force_was_put_into_or_let_out_of_engage_quotes_the_reasons_of_that_change(tmp_path: Path):
    store = store_of(tmp_path, {"entry.txt": ENGAGE_ENTRY, "exit.txt": ENGAGE_EXIT})
    entered = ask(store, "why was suffolk police put into special measures?")
    quotes = [c.quote for c in entered.citations]
    assert quotes[0].startswith("Suffolk Constabulary has been moved into Engage"), quotes
    assert "improve how it supervises investigations" in quotes
    assert not any("removed from Engage" in q or "control room" in q for q in quotes)  # the exit is not why it went in
    answerer = Answerer(store)
    left = check_citations(store, answerer.answer("why was suffolk police let out of special measures?"))
    assert left.citations[0].quote.startswith("Suffolk Constabulary has been removed from Engage")
    assert not any("moved into Engage" in c.quote for c in left.citations)
    assert left.more
    fixed = check_citations(store, answerer.answer("what did suffolk police fix to get out of special measures?"))
    assert [c.quote for c in fixed.citations] == [c.quote for c in left.citations]  # the reasons it left, asked without "why"
    more = check_citations(store, answerer.answer_again(left.intent, [o.id for o in left.organisations], left.topic, page=1))
    assert more.citations and all(c.document.published.isoformat() == "2025-02-14" for c in more.citations)  # "More" keeps to the reasons


ENGAGE_WISH = """date 2024-07-12 Westshire's commissioner on the report (synthetic test document, our own words)

Commissioner Ada Lane said: "It matters to residents that the force moves out of Engage as soon as possible."
"""
ENGAGE_EXIT_RECOUNTED = """date 2025-05-20 Suffolk out of special measures (synthetic test document, our own words)

Suffolk Constabulary has made improvements and has been removed from Engage.

Two years ago the force was told to write an improvement plan after being put into special measures.

The force now answers most emergency calls within ten seconds.
"""
SUFFOLK_FIRE = """date 2024-01-10 Suffolk Fire inspection (synthetic test document, our own words)

Suffolk Fire and Rescue Service requires improvement at protecting the public through fire regulation.
"""


def test_why_a_force_was_in_special_measures_after_it_left_gives_the_reasons_it_went_in(tmp_path: Path):
    store = store_of(tmp_path, {"entry.txt": ENGAGE_ENTRY, "exit.txt": ENGAGE_EXIT})
    for question in ("why was suffolk police in special measures?", "why is suffolk police in engage?"):
        quotes = [c.quote for c in ask(store, question).citations]
        assert quotes[0].startswith("Suffolk Constabulary has been moved into Engage"), (question, quotes)
        assert not any("control room" in q for q in quotes)


def test_an_exit_page_recounting_the_entry_and_a_wish_to_leave_are_no_entry_or_exit(tmp_path: Path):
    store = store_of(tmp_path, {"entry.txt": ENGAGE_ENTRY, "wish.txt": ENGAGE_WISH.replace("Westshire", "Suffolk"),
                                "exit.txt": ENGAGE_EXIT_RECOUNTED, "exit2.txt": ENGAGE_EXIT_RECOUNTED.replace("2025-05-20", "2025-05-23"),
                                "fire.txt": SUFFOLK_FIRE})
    entered = ask(store, "why was suffolk police put into special measures?")
    quotes = [c.quote for c in entered.citations]
    assert quotes[0].startswith("Suffolk Constabulary has been moved into Engage"), quotes  # not the exit page's "after being put into"
    assert "improve how it supervises investigations" in quotes
    left = ask(store, "what improvements got Suffolk out of Engage")  # "Suffolk": the one with Engage records, the police
    assert any(c.quote.startswith("Suffolk Constabulary has made improvements and has been removed from Engage") for c in left.citations[:3]), [c.quote for c in left.citations]
    assert all(c.organisation and c.organisation.id == "suffolk" for c in left.citations if c.organisation)
    assert any("the one with Engage records" in note for note in left.notes)


def test_when_did_that_change_after_an_engage_answer_gives_the_engage_dates(tmp_path: Path):
    store = store_of(tmp_path, {"entry.txt": ENGAGE_ENTRY, "exit.txt": ENGAGE_EXIT})
    answerer = Answerer(store)
    for turn in ("suffolk police", "are they still in special measures?"):
        answerer.answer(turn, chat_id=4242)
    when = check_citations(store, answerer.answer("so when did that change?", chat_id=4242))
    assert when.intent == "engage" and "left Engage" in when.summary, when.summary  # not "the newest document I have"
    assert when.citations[0].quote.startswith("Suffolk Constabulary has been removed from Engage")


ENGAGE_ENTRY_PARAGRAPHS = """date 2023-03-12 Suffolk Constabulary in Engage (synthetic test document, our own words)

Suffolk Constabulary has been moved into an enhanced level of monitoring.

The chief inspector has decided to move Suffolk Constabulary into Engage because the force needs to:

improve how quickly it answers emergency calls;

make sure victims are kept informed; and

have a plan for the years ahead.
"""


def test_why_after_are_they_in_special_measures_quotes_the_reasons_of_every_page_on_the_entry(tmp_path: Path):
    store = store_of(tmp_path, {"entry.txt": ENGAGE_ENTRY, "paragraphs.txt": ENGAGE_ENTRY_PARAGRAPHS})
    answerer = Answerer(store)
    for turn in ("suffolk police", "are they in special measures?"):
        answerer.answer(turn, chat_id=4343)
    why = check_citations(store, answerer.answer("why?", chat_id=4343))
    citations = why.citations + check_citations(store, answerer.answer_again(why.intent, [o.id for o in why.organisations], why.topic, page=1)).citations
    quotes = [c.quote for c in citations]
    # each page's reasons, those written as paragraphs of their own too, not only the newest page's
    assert "improve how it supervises investigations" in quotes and "make sure victims are kept informed" in quotes, quotes
    assert {c.kind for c in citations if c.document.published.isoformat() == "2023-03-12" and c.quote.startswith(("make", "have"))} == {"cause_of_concern"}
    asked = ask(store, "suffolk police put in engage, what for")
    assert "make sure victims are kept informed" in [c.quote for c in asked.citations]


KENT_2014 = """date 2014-11-27 Kent 2014 (synthetic test document, our own words)

Kent Police is good at investigating offending.
"""
ESSEX_2014 = """date 2014-11-27 Essex 2014 (synthetic test document, our own words)

Essex Police requires improvement in the way it investigates offending.
"""


def test_a_comparison_in_a_kind_of_document_no_title_names_compares_what_there_is_and_says_so(tmp_path: Path):
    store = store_of(tmp_path, {"kent.txt": KENT_2014, "essex.txt": ESSEX_2014})
    result = ask(store, "kent vs essex in the 2014 PEEL")
    quotes = [c.quote for c in result.citations]
    assert "Kent Police is good at investigating offending." in quotes and "Essex Police requires improvement in the way it investigates offending." in quotes
    assert any(n.startswith("I have no") and "their other documents" in n for n in result.notes), result.notes


NORTHANTS_NEWS = """date 2024-05-01 Northamptonshire Police news (synthetic test document, our own words)

Northamptonshire Police needs to improve how quickly it answers non-emergency calls.

Northamptonshire Police must improve its recording of anti-social behaviour.
"""
NORTHANTS_2017 = """date 2018-03-22 Northamptonshire 2017 (synthetic test document, our own words)

The extent to which the force is efficient at keeping people safe is good.

Jo Sample, Her Majesty\u2019s Inspector of Constabulary

HMI's observations

I am pleased with some of Northamptonshire Police\u2019s work, but it needs to improve how it protects victims.
"""


def test_what_inspectors_say_must_improve_quotes_the_inspectors_own_words_first(tmp_path: Path):
    store = store_of(tmp_path, {"news.txt": NORTHANTS_NEWS, "peel.txt": NORTHANTS_2017})
    result = ask(store, "what did inspectors say northamptonshire police must improve")
    assert result.citations[0].speaker == "Jo Sample", [c.quote for c in result.citations]  # the newer news is not the inspectors' words
    assert "The inspectors\u2019 own words come first." in result.notes
    plain = ask(store, "what must northamptonshire police improve")
    assert plain.citations[0].speaker is None and "The inspectors\u2019 own words come first." not in plain.notes  # newest first when nobody is asked for


DURHAM_TOP = """date 2017-03-02 Durham police news (synthetic test document, our own words)

Durham Constabulary has been graded as the top performing force in the country at cutting crime.
"""
DURHAM_LATER = """date 2021-10-28 Durham police news (synthetic test document, our own words)

Durham Constabulary needs to improve how it records crime.

Durham Constabulary is good at preventing crime, with best practice shared across its teams.

Durham Constabulary acts in the best interests of the children it protects and was the first force to use the new checks.
"""


def test_asked_whether_one_force_is_the_best_the_sentences_that_say_so_come_first(tmp_path: Path):
    store = store_of(tmp_path, {"top.txt": DURHAM_TOP, "later.txt": DURHAM_LATER})
    result = ask(store, "durham police are the best arent they")
    assert result.citations[0].quote == "Durham Constabulary has been graded as the top performing force in the country at cutting crime."
    (tmp_path / "two").mkdir()
    store_two = store_of(tmp_path / "two", {"later.txt": DURHAM_LATER})  # nothing calls it the best: the overview, not "best practice"
    assert ask(store_two, "durham police are the best arent they").intent == "overview"


LEEDSHIRE_PLANS = """date 2024-06-01 West Yorkshire Police inspection (synthetic test document, our own words)

West Yorkshire Police needs to improve how it answers calls.

It is scenario-planning for the future and has costed plans for the next five years.
"""


def test_asked_if_good_at_a_topic_plain_statements_on_it_are_quoted_too(tmp_path: Path):
    store = store_of(tmp_path, {"wy.txt": LEEDSHIRE_PLANS})
    result = ask(store, "are west yorks police any good at planning ahead")
    assert "It is scenario-planning for the future and has costed plans for the next five years." in [c.quote for c in result.citations], result.summary


KENT_RECORDING_2019 = """date 2019-01-15 Kent crime recording (synthetic test document, our own words)

Kent Police records almost all the crimes reported to it in Kent.
"""
KENT_CUSTODY_2021 = """date 2021-06-01 Kent custody (synthetic test document, our own words)

Kent Police keeps its custody suites clean, but detainees wait too long to be seen.
"""


def test_a_county_that_names_the_force_adds_no_findings_that_merely_mention_the_county(tmp_path: Path):
    store = store_of(tmp_path, {"cdi.txt": KENT_RECORDING_2019, "custody.txt": KENT_CUSTODY_2021})
    result = ask(store, "kent custody before 2021")  # none on custody then: never the 2019 page because it says "Kent"
    assert not result.citations and result.summary.startswith("I have no findings on"), (result.summary, [c.quote for c in result.citations])


CONCERN_RAISED = """date 2023-05-01 Suffolk inspection (synthetic test document, our own words)

We found a cause of concern about how Suffolk Constabulary answers emergency calls.
"""
CONCERN_CLOSED = """date 2024-09-01 Suffolk revisit (synthetic test document, our own words)

Suffolk Constabulary's cause of concern about emergency calls has now been closed.
"""


def test_causes_of_concern_are_followed_by_the_news_that_one_was_closed(tmp_path: Path):
    store = store_of(tmp_path, {"raised.txt": CONCERN_RAISED, "closed.txt": CONCERN_CLOSED})
    result = ask(store, "suffolk police causes of concern")
    kinds = {c.quote: c.kind for c in result.citations}
    assert kinds.get("We found a cause of concern about how Suffolk Constabulary answers emergency calls.") == "cause_of_concern"
    assert kinds.get("Suffolk Constabulary's cause of concern about emergency calls has now been closed.") == "context", kinds  # said, and not as a concern


PEEL_2018_LATE = """date 2020-01-20 Police news (synthetic test document, our own words)

Dorset PEEL 2018

Dorset Police is good at treating the public fairly and with respect.
"""


def test_a_report_titled_with_the_year_asked_is_found_when_published_two_years_later(tmp_path: Path):
    store = store_of(tmp_path, {"peel.txt": PEEL_2018_LATE})
    result = ask(store, "dorset police 2018")
    assert [c.quote for c in result.citations] == ["Dorset Police is good at treating the public fairly and with respect."]


def _findings(force: str, n: int) -> str:
    return f"date 2024-05-01 {force} inspection news (synthetic test document, our own words)\n\n" + "\n\n".join(
        f"{force} must improve how it handles crime report number {i} of its backlog." for i in range(1, n + 1))


def test_a_comparison_pages_on_through_both_sides(tmp_path: Path):
    store = store_of(tmp_path, {"kent.txt": _findings("Kent Police", 5), "essex.txt": _findings("Essex Police", 4)})
    answerer = Answerer(store)
    first = check_citations(store, answerer.answer("compare kent and essex police"))
    assert first.intent == "compare" and len(first.citations) == 6 and first.more == 3
    second = check_citations(store, answerer.answer_again(first.intent, [o.id for o in first.organisations], first.topic, page=1))
    assert second.intent == "compare" and len(second.citations) == 3 and second.more == 0
    assert not {c.quote for c in first.citations} & {c.quote for c in second.citations}
    assert sorted(c.organisation.id for c in second.citations) == ["essex", "kent", "kent"]


INSPECTOR_ON_BOTH = {
    "kent.txt": """date 2023-01-20 Kent Police inspection news (synthetic test document, our own words)

HM Inspector Jo Sample said: "Kent Police answers its emergency calls well."
""",
    "kent_fire.txt": """date 2023-02-20 Kent Fire and Rescue Service inspection news (synthetic test document, our own words)

HM Inspector Jo Sample said: "Kent Fire and Rescue Service checks its high-rise buildings well."
""",
}


def test_what_an_inspector_said_about_a_county_is_said_of_both_its_services_when_they_spoke_about_both(tmp_path: Path):
    store = store_of(tmp_path, INSPECTOR_ON_BOTH)
    result = ask(store, "what did jo sample say about kent?")
    assert result.intent == "statements" and sorted(o.id for o in result.organisations) == ["kent", "kent-fire"]
    assert sorted(c.organisation.id for c in result.citations) == ["kent", "kent-fire"] and {c.speaker for c in result.citations} == {"Jo Sample"}
    assert any("both of which Jo Sample spoke about" in n for n in result.notes)


FRAUD_REPORT = """date 2019-04-02 Police news (synthetic test document, our own words)

Inspection of the police response to fraud

Eleven forces were visited for this inspection. Suffolk Constabulary was not among the forces visited.

Funding for this work is confirmed only one year at a time, which makes planning hard.
"""


def test_a_topic_no_sentence_names_is_answered_from_the_report_titled_with_it_in_sentences_naming_the_force(tmp_path: Path):
    store = store_of(tmp_path, {"fraud.txt": FRAUD_REPORT})
    result = ask(store, "was suffolk police inspected for fraud?")
    assert [c.quote for c in result.citations] == ["Suffolk Constabulary was not among the forces visited."]
    assert "No finding uses the words \u201cfraud\u201d; these are from documents titled with them." in result.notes


def test_a_police_only_short_name_with_fire_means_that_places_fire_service(tmp_path: Path):
    store = store_of(tmp_path, {"dwfire.txt": """date 2024-10-01 Fire inspection news (synthetic test document, our own words)

Dorset and Wiltshire Fire and Rescue Service must make sure managers back staff who report poor behaviour.
""", "wilts.txt": """date 2024-08-16 Police inspection news (synthetic test document, our own words)

Wiltshire Police is good at managing suspects, inspectors said.
"""})
    result = ask(store, "dorset wilts fire servise managers support staff who report")
    assert [o.id for o in result.organisations] == ["dorset-and-wiltshire-fire"]  # "wilts" alone names the police: with "fire", the fire service
    assert {c.organisation.id for c in result.citations} == {"dorset-and-wiltshire-fire"}


def test_the_commissioner_is_any_commissioner_by_their_full_title(tmp_path: Path):
    store = store_of(tmp_path, {"pcc.txt": """date 2017-03-02 Commissioner's news (synthetic test document, our own words)

Police and Crime Commissioner Jo Roe said: "I welcome the report on Humberside Police and will hold the chief constable to account."
"""})
    result = ask(store, "what did the commissioner say about humberside police?")
    assert [c.speaker for c in result.citations] == ["Jo Roe"] and result.citations[0].role == "Police and Crime Commissioner"


NEUTRALITY_REPORT = """date 2024-09-10 Police news (synthetic test document, our own words)

An inspection of neutrality and activism in policing

The Home Secretary asked the inspectorate for this review in the autumn of 2023.
Inspectors visited ten forces and read the records of 150 incidents.
The work was published on 10 September after a delay.
Officers are not always clear what neutrality asks of them on social media.
"""
OTHER_REPORT = """date 2023-05-01 Police news (synthetic test document, our own words)

An inspection of custody

Custody records were incomplete in some cases.
"""


def test_a_question_about_a_report_few_sentences_match_is_followed_by_the_rest_of_that_report_nearest_first(tmp_path: Path):
    store = store_of(tmp_path, {"neutrality.txt": NEUTRALITY_REPORT, "custody.txt": OTHER_REPORT})
    result = ask(store, "how many records did the neutrality inspection look at")
    quotes = [c.quote for c in result.citations]
    assert quotes[0] == "Inspectors visited ten forces and read the records of 150 incidents."  # the count asked (tests/test_national.py)
    assert quotes[1] == "Officers are not always clear what neutrality asks of them on social media."  # the one sentence naming it
    assert "Custody records were incomplete in some cases." not in quotes  # another report's words are not that report's
    assert any("the rest of what the same report says follows" in n for n in result.notes)
    more = Answerer(store).answer_again(result.intent, [o.id for o in result.organisations], result.topic, page=1)
    assert not set(quotes) & {c.quote for c in more.citations}  # the next page goes on, never repeats


def test_the_next_page_of_a_question_about_fire_services_stays_with_fire_services(tmp_path: Path):
    def report(service: str, date: str) -> str:
        lines = "\n".join(f"Training records for {service} crews were incomplete at station {n}." for n in range(1, 9))
        return f"date {date} {service.capitalize()} inspection news (synthetic test document, our own words)\n\nA review of {service} training in England\n\n{lines}\n"

    store = store_of(tmp_path, {"fire.txt": report("fire and rescue", "2024-01-10"), "police.txt": report("police", "2024-02-10")})
    first = ask(store, "fire and rescue services training records")
    second = Answerer(store).answer_again(first.intent, [o.id for o in first.organisations], first.topic, page=1)
    assert first.citations and second.citations
    assert all("fire and rescue" in c.quote for c in [*first.citations, *second.citations])


OPENNESS_REPORT = """date 2017-12-12 Police inspection report (synthetic test document, our own words)

Exampleshire Police: openness 2017

Exampleshire Police is good at keeping people safe with openness.
It is good at explaining its decisions to the people it serves.
Its officers behave lawfully.
"""
EXAMPLESHIRE_ELSEWHERE = """date 2019-03-01 Police news (synthetic test document, our own words)

Exampleshire Police praised for its call handling

Exampleshire Police answers emergency calls quickly.
"""


def test_a_topic_only_a_sentence_of_one_report_names_is_followed_by_the_rest_of_that_report_on_the_organisation(tmp_path: Path):
    store = store_of(tmp_path, {"legit.txt": OPENNESS_REPORT.replace("Exampleshire", "Lancashire"), "calls.txt": EXAMPLESHIRE_ELSEWHERE.replace("Exampleshire", "Lancashire")})
    result = ask(store, "lancashire police openness strengths")
    quotes = [c.quote for c in result.citations]
    assert quotes[0] == "Lancashire Police is good at keeping people safe with openness."
    assert "It is good at explaining its decisions to the people it serves." in quotes  # the report's other strengths, though they never say the word
    assert "Lancashire Police answers emergency calls quickly." not in quotes  # another document's words are not that report's
    assert any("the rest of what the same report says of it follows" in n for n in result.notes)


def test_a_comparison_asking_for_a_grade_shows_each_sides_findings_that_give_it(tmp_path: Path):
    def page(service: str, date: str, outstanding: str) -> str:
        lines = "\n".join(f"{service} was rated good at area {n}." for n in range(1, 6))
        return f"date {date} Fire inspection news (synthetic test document, our own words)\n\n{service} inspection\n\n{lines}\n{service} was rated outstanding at {outstanding}.\n"

    store = store_of(tmp_path, {"kent.txt": page("Kent Fire and Rescue Service", "2023-01-20", "promoting its values"),
                                "essex.txt": page("Essex County Fire and Rescue Service", "2023-01-21", "using its resources")})
    result = ask(store, "kent fire vs essex fire who got outstanding")
    assert result.intent == "compare"
    assert {c.quote for c in result.citations} >= {"Kent Fire and Rescue Service was rated outstanding at promoting its values.",
                                                   "Essex County Fire and Rescue Service was rated outstanding at using its resources."}


def test_the_inspectors_on_a_topic_they_never_spoke_of_is_the_inspectorates_findings_on_it_never_their_other_words(tmp_path: Path):
    store = store_of(tmp_path, {"pandemic.txt": """date 2021-01-26 Fire news (synthetic test document, our own words)

Fire and rescue services and the pandemic

Fire and rescue services across England coped well with the pandemic, the national report found.
""", "letter.txt": """date 2022-03-01 Fire news (synthetic test document, our own words)

Inspector's comments on Kent Fire and Rescue Service

HM Inspector of Fire and Rescue Services Jo Sample said: "Kent Fire and Rescue Service must improve how it inspects high-rise buildings."
"""})
    result = ask(store, "how did fire services cope with the pandemic according to inspectors")
    assert [c.quote for c in result.citations] == ["Fire and rescue services across England coped well with the pandemic, the national report found."]
    assert any("here are the inspectorate\u2019s findings on it" in n for n in result.notes)


def test_a_national_report_named_by_words_of_its_title_is_answered_from_it_first(tmp_path: Path):
    store = store_of(tmp_path, {"neutrality.txt": NEUTRALITY_REPORT, "custody.txt": OTHER_REPORT, "other.txt": """date 2024-10-01 Police news (synthetic test document, our own words)

Forces told to improve their records

Police forces across England must keep better records of their decisions, inspectors said.
The inspectorate published its findings on records in October.
"""})
    result = ask(store, "when was the neutrality and activism inspection published")
    quotes = [c.quote for c in result.citations]
    assert "The work was published on 10 September after a delay." in quotes  # the named report's sentence, on the first page
    assert "The inspectorate published its findings on records in October." not in quotes[:4]  # another report's comes after, if at all
    assert any("From the report titled \u201cAn inspection of neutrality and activism in policing\u201d first" in n for n in result.notes)


def test_the_latest_document_is_named_in_quotation_marks_after_its_date_whatever_its_title(tmp_path: Path):
    store = store_of(tmp_path, {"blog.txt": """date 2025-05-18 Police blog (synthetic test document, our own words)

Four new PEEL reports came out this week, and here is what they say about each force.

Essex Police was assessed as adequate in most areas, slightly worse than in 2022.
"""})
    result = ask(store, "what is the latest on essex police")
    assert result.intent == "latest"
    assert result.summary == ("The newest document I have on Essex Police is from 18 May 2025: "
                              "\u201cFour new PEEL reports came out this week, and here is what they say about each force.\u201d")


REVISIT_LETTER = """date 2024-03-01 Westshire revisit letter (synthetic test document, our own words)

Suffolk Fire and Rescue Service: revisit

Between 5 and 7 February 2024, we carried out a revisit to review progress against the action plan.

The service has made progress on its inspection programme.
"""
NEWER_SUFFOLK_FIRE = """date 2025-06-01 Suffolk Fire news (synthetic test document, our own words)

Suffolk Fire and Rescue Service has opened a new station in Ipswich.

The new station has four engines.
"""


def test_when_inspectors_revisited_is_answered_by_the_sentences_that_say_when_not_the_newest_page(tmp_path: Path):
    store = store_of(tmp_path, {"revisit.txt": REVISIT_LETTER, "newer.txt": NEWER_SUFFOLK_FIRE})
    for question in ("when did inspectors revisit suffolk fire", "when was suffolk fire and rescue service visited by inspectors in 2024"):
        result = ask(store, question)
        assert result.intent != "latest", question
        assert result.citations[0].quote.startswith("Between 5 and 7 February 2024, we carried out a revisit"), (question, [c.quote for c in result.citations])
    assert ask(store, "when was suffolk fire last inspected").intent == "latest"  # its newest page says when


STALKING_NATIONAL = """date 2024-03-01 Stalking and harassment: a national inspection (synthetic test document)

Victims of stalking are too often let down by the police, a national inspection found.
"""
STALKING_LATER = """date 2025-02-01 Stalking: a progress report (synthetic test document)

Too many forces fail to recognise the pattern of behaviour behind stalking and record each incident on its own.

Officers rarely use protection orders to stop stalking before it escalates, which is a failing.
"""
VICTIMS_CODE = """date 2023-06-01 Meeting the needs of victims: a national inspection (synthetic test document)

Victims of crime are not always told about their rights under the victims' code.

Forces do not always assess what support victims need when they first report a crime.

Victims of hate crime wait too long to be contacted by an investigator.

Some victims withdraw from investigations because they are not kept informed.

Victims of antisocial behaviour are not always referred to support services.

Officers do not always record whether victims want to make a personal statement.

Too few victims are offered restorative justice.

Forces must make sure that victims of fraud get the same service as other victims.

Support for repeat victims is not well co-ordinated across agencies.

Many victims say they would not report a crime again.

Vulnerable victims are not always identified when they call the police.

Victims are often not told when a suspect is released on bail.
"""
RAPE_FORCE = """date 2024-05-01 Kent Police crime recording (synthetic test document)

Kent Police must tell victims of rape when their reports are closed, inspectors said.

Victims of burglary wait too long for an officer to visit.

The force does not always give victims of fraud the support they need.

Victims are not kept informed of progress in their cases.
"""


def test_few_findings_on_two_topics_together_are_followed_by_those_on_the_more_telling_one_saying_so(tmp_path: Path):
    store = store_of(tmp_path, {"stalking.txt": STALKING_NATIONAL, "later.txt": STALKING_LATER, "kent.txt": RAPE_FORCE, "code.txt": VICTIMS_CODE})
    result = ask(store, "are stalking victims being let down by police")
    quotes = [c.quote for c in result.citations]
    assert quotes[0].startswith("Victims of stalking are too often let down")  # on both
    assert any(q.startswith("Too many forces fail to recognise the pattern") for q in quotes[:6])  # on stalking alone, before victims of other crimes
    assert any("so those on \u201cstalking\u201d alone are shown with them" in n for n in result.notes), result.notes
    then = ask(store, "are stalking victims being let down by police in 2024")  # the stalking-only report is of 2025
    assert not any("alone are shown" in n for n in then.notes), then.notes


SUSSEX_PILLARS = """date 2017-03-02 Sussex Police: PEEL 2016 (synthetic test document)

Sussex Police is good at treating the public fairly, and its officers understand why that matters.

The extent to which the force is efficient at keeping people safe and reducing crime is good, and its efficiency has improved.

The force must improve how it investigates burglary.

Sussex Police needs to record crimes of violence more accurately.
"""


def test_the_peel_pillars_are_topics_and_two_as_telling_as_each_other_are_both_shown(tmp_path: Path):
    store = store_of(tmp_path, {"sussex.txt": SUSSEX_PILLARS})
    fair = ask(store, "sussex police legitimacy")  # the pillar's name, where the page says "treating the public fairly"
    assert fair.citations and fair.citations[0].quote.startswith("Sussex Police is good at treating the public fairly"), [c.quote for c in fair.citations]
    both = ask(store, "sussex police peel 2016 efficiency legitimacy")  # no sentence is on both: each alone, in turn
    quotes = [c.quote for c in both.citations]
    assert any(q.startswith("Sussex Police is good at treating the public fairly") for q in quotes), quotes
    assert any(q.startswith("The extent to which the force is efficient") for q in quotes), quotes
    assert not any("investigates burglary" in q for q in quotes), quotes
    check_citations(store, both)


KENT_2016_NEWS = """date 2016-09-01 Kent Police news (synthetic test document)

Kent Police must answer 101 calls more quickly, inspectors said this week.
"""
KENT_2016_PEEL = """date 2017-03-02 Kent Police effectiveness report (synthetic test document)

Kent Police is good at keeping people safe and reducing crime.

The force needs to improve how it investigates crime.
"""


def test_a_years_few_findings_are_followed_by_the_year_afters_when_its_inspection_is_reported(tmp_path: Path):
    store = store_of(tmp_path, {"news.txt": KENT_2016_NEWS, "peel.txt": KENT_2016_PEEL})
    result = ask(store, "how did kent police do in 2016")
    quotes = [c.quote for c in result.citations]
    assert quotes[0].startswith("Kent Police must answer 101 calls")  # of the year asked, first
    assert any(q.startswith("Kent Police is good at keeping people safe") for q in quotes)
    assert any("so those from 2017 follow" in n for n in result.notes), result.notes
    only = ask(store, "how did kent police do in 2017")  # nothing of 2018 to add, and nothing said of it
    assert not any("2018" in n for n in only.notes)


KENT_FIRE_DISCHARGED = """date 2024-07-01 Kent Fire and Rescue Service re-inspection news (synthetic test document)

Kent Fire and Rescue Service has improved since its last inspection, inspectors said.

Chief Fire Officer Zoe Carrick said: "I am delighted that both causes for concern from the last inspection have now been discharged."

Residents told the paper they had no concern about the new fire station.
"""


def test_causes_of_concern_none_on_record_still_shows_the_sentences_that_name_them(tmp_path: Path):
    store = store_of(tmp_path, {"kent_fire.txt": KENT_FIRE_DISCHARGED})
    result = ask(store, "is kent fire still under a cause of concern")
    assert result.summary == "I have no causes of concern on record for Kent Fire and Rescue Service."
    quotes = [c.quote for c in result.citations]
    assert any("both causes for concern from the last inspection have now been discharged" in q for q in quotes)
    assert not any("no concern about the new fire station" in q for q in quotes)  # "concern" alone names none


KENT_2017_PEEL = """date 2018-03-22 Kent Police PEEL 2017 effectiveness report (synthetic test document)

Kent Police was rated inadequate for effectiveness.
"""
KENT_2016_TITLED = """date 2017-03-02 Kent Police PEEL 2016 effectiveness report (synthetic test document)

Kent Police was rated good for effectiveness.
"""


def test_a_years_report_found_by_its_title_is_not_followed_by_the_next_inspections(tmp_path: Path):
    store = store_of(tmp_path, {"peel2016.txt": KENT_2016_TITLED, "peel2017.txt": KENT_2017_PEEL})
    result = ask(store, "what grade did kent police get for effectiveness in 2016")
    quotes = [c.quote for c in result.citations]
    assert "Kent Police was rated good for effectiveness." in quotes and "Kent Police was rated inadequate for effectiveness." not in quotes
    assert not any("follow" in n for n in result.notes), result.notes


# Our own words, in the layout of the inspectorate's letters: the header names the inspector it is from.
CLEVELAND_LETTER = """date 2024-05-01 Cleveland Fire Brigade: causes of concern revisit letter (synthetic test document, our own words)

Letter information

From:

Jo Sample

His Majesty’s Inspector of Fire & Rescue Services

To:

Pat Example, Chief Fire Officer,

Cleveland Fire Brigade

Sent on:

1 May 2024

Background

We inspected Cleveland Fire Brigade in January 2024 and found a cause of concern about how it inspects high-risk buildings.

The brigade has since made good progress in inspecting those buildings.

Yours sincerely

Jo Sample
"""
CLEVELAND_NEWS = """date 2023-02-01 Fire brigade told to improve (synthetic test document, our own words)

Cleveland Fire Brigade must inspect more high-risk buildings, the inspectorate said.

Sir Thomas Sample, His Majesty's Chief Inspector of Fire & Rescue Services, said: “I expect the brigade to act quickly on what we found.”

Jo Sample, His Majesty’s Inspector of Fire & Rescue Services, said: “The brigade's staff were open with us throughout.”
"""


def test_a_letter_from_an_inspector_is_in_their_words_after_what_they_said_in_quotation_marks(tmp_path: Path, database_url: str):
    for name, text_ in {"letter.txt": CLEVELAND_LETTER, "news.txt": CLEVELAND_NEWS}.items():
        (tmp_path / name).write_text(text_, encoding="utf-8")
    store = make_store(database_url, tmp_path / "letter.txt", tmp_path / "news.txt")  # the order is the database's: both
    result = ask(store, "what did jo sample say")
    quotes = [(c.quote, c.speaker, c.kind) for c in result.citations]
    assert quotes[0] == ("The brigade's staff were open with us throughout.", "Jo Sample", "statement"), quotes  # her quoted words first, though older
    assert ("We inspected Cleveland Fire Brigade in January 2024 and found a cause of concern about how it inspects high-risk buildings.",
            "Jo Sample") in [(q, s) for q, s, _ in quotes], quotes  # the letter she sent is hers
    assert not any(q.startswith("Pat Example") for q, _, _ in quotes), quotes  # the header is no one's words
    check_citations(store, result)
    about = ask(store, "what did jo sample say about cleveland fire")
    assert about.citations[0].quote == "The brigade's staff were open with us throughout.", [c.quote for c in about.citations]
    assert "statements first, newest first" in about.summary, about.summary


def test_a_letter_signs_only_its_own_body_and_a_quoted_header_in_a_news_story_signs_nothing(tmp_path: Path):
    reply = CLEVELAND_LETTER + """
Response from the chief fire officer

We do not agree that the brigade was slow to inspect high-risk buildings.
"""
    news = """date 2024-06-01 Whistleblower emails revealed (synthetic test document, our own words)

An email seen by this newspaper reads:

From:

Jo Sample

Her Majesty’s Inspector of Constabulary

To:

Pat Example

Kent Police failed to investigate the complaints properly, a whistleblower claimed.
"""
    store = store_of(tmp_path, {"letter.txt": reply, "news.txt": news})
    said = [(c.quote, c.speaker) for c in ask(store, "what did jo sample say").citations]
    assert ("The brigade has since made good progress in inspecting those buildings.", "Jo Sample") in said, said
    assert not any("do not agree" in q or "whistleblower" in q for q, _ in said), said


def test_a_letter_header_whose_colons_the_page_lost_still_names_the_inspector(tmp_path: Path):
    # a user trial's copy of an inspectorate letter printed "From", "To" and "Sent on" without their colons
    letter = CLEVELAND_LETTER.replace("From:", "From").replace("To:", "To").replace("Sent on:", "Sent on")
    store = store_of(tmp_path, {"letter.txt": letter})
    said = [(c.quote, c.speaker) for c in ask(store, "what did jo sample say").citations]
    assert ("The brigade has since made good progress in inspecting those buildings.", "Jo Sample") in said, said
    assert not any(q.startswith("Pat Example") for q, _ in said), said


def test_a_short_first_name_finds_the_speaker_named_in_full(tmp_path: Path):
    store = store_of(tmp_path, {"news.txt": CLEVELAND_NEWS})
    result = ask(store, "what did tom sample say about cleveland fire")  # Sir Thomas Sample, as people call him
    assert [c.quote for c in result.citations] == ["I expect the brigade to act quickly on what we found."], [(c.quote, c.speaker) for c in result.citations]
    assert result.citations[0].speaker == "Sir Thomas Sample"
    assert ask(store, "what did tim sample say").citations == []  # another first name is someone else


def test_a_plural_of_a_topics_word_is_that_topic(tmp_path: Path):
    # a user trial's question: "emergencies" was searched as itself, and the sentence on attending emergencies in time,
    # which never says the word, was not found
    page = """date 2022-04-28 Thames Valley Police inspected (synthetic test document, our own words)

Thames Valley Police attended incidents needing an immediate response within its target in half of cases.

Thames Valley Police has too few detectives, and they carry too many investigations.

Thames Valley Police must improve how it supervises investigations.
"""
    store = store_of(tmp_path, {"tvp.txt": page})
    result = ask(store, "how good is thames valley police at emergencies")
    assert result.citations and result.citations[0].quote.startswith("Thames Valley Police attended incidents"), [c.quote for c in result.citations]
    assert any("these are on answering 999 calls" in n for n in result.notes), result.notes  # it says which topic it read
