"""Structure: what each line of a page is, and sentences as exact spans, in linear time."""

import subprocess
import sys
import textwrap

import pytest

from knowledge.documents.structure import MAX_SENTENCE, BlockKind, blocks, is_furniture, sentences
from tests.conftest import ROOT


def kinds(text: str) -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in blocks(text)]


def test_a_news_page_has_a_headline_standfirst_byline_and_body():
    text = "\n\n".join([
        "Westshire Police told to answer 999 calls faster",
        "Watchdog says callers wait too long at weekends",
        "By A Reporter",
        "Picture: PA",
        "Thursday, 18 November 2021",
        "Westshire Police must answer emergency calls more quickly, inspectors said.",
        "Areas for improvement",
        "- The force should answer 101 calls sooner.",
        "How well does the force respond to the public?",
        "Area for improvement:",
        "\u201cWe accept the findings,\u201d said the chief constable.",
    ])
    assert [k for k, _ in kinds(text)] == [
        BlockKind.headline, BlockKind.standfirst, BlockKind.byline, BlockKind.furniture, BlockKind.furniture,
        BlockKind.paragraph, BlockKind.heading, BlockKind.bullet, BlockKind.question, BlockKind.label, BlockKind.quote,
    ]


@pytest.mark.parametrize("line", [
    "We use cookies to give you the best experience. Accept all cookies | Cookie settings",
    "This is a new website. Tell us what you think.",
    "We would like your views on this page.",
    "Read this page in Welsh",
    "Home > Publications > PEEL",
    "Get the report (PDF document, 1.2MB)",
    "Published: 10 October 2024",
    "We set out our detailed findings below.",
    "Original article link: https://example.test/a",
    "Share this page:",
    "Comments (12)",
    "Quickly exit this site by pressing the Escape key Leave this site",
    "Sorry, there was a technical problem.",
    "This site is a beta, which means it is a work in progress.",
    "Read More Firefighters tackle a moorland blaze, say officers...",
    "The chief constable at the launch of the scheme. Picture: JO SAMPLE",
    "Contact Us",
    "0161 234 5678 or 07700 900123 for urgent out of hours enquiries.",
    "You can also email the press office.",
    "Dear Chief Constable,",
    "Yours sincerely,",
    # Written by us: an agency photo's caption with its credit, however long, whole or cut off
    "The chief inspector, who said the service needs to change after his annual report found examples of poor behaviour among staff and "
    "leaders at several stations across the county, speaking at the launch of the report in London on Tuesday (Jo Sample/PA)",
    "Firefighters at the scene of the blaze (Sam Roe/",
    "![](https://example.test/logo.png)",  # a markdown image on a line of its own
    "[![Westshire Police](https://example.test/crest.png)](https://example.test/)",
    # Written by us (round 9): a caption with its credit after a dash, a chart's description, an image link's label, a
    # news site's notes on links and on its social media
    "Westshire Fire and Rescue Service has been rated good. - Credit: Westshire Fire and Rescue Service / Jo Sample",
    "A comparison chart showing response times improved from good to outstanding",
    "crest-02_tcm4-1234 [View Full Size]",
    "The Westshire News is not responsible for the content of external sites.",
    "Follow Westshire News on Facebook, external, on Twitter, external.",
])
def test_page_furniture_is_recognised(line: str):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "The force should make sure that it answers 999 calls within ten seconds.",
    "Inspectors found that the service works well with partners to prevent fires.",
    "Dear readers will remember that the force was graded inadequate in 2019.",
    "101 calls went unanswered for more than ten minutes.",
    "The force works with the Crown Prosecution Service (CPS) and councils.",
    "The force [said](https://example.test/statement) it would act on every recommendation.",
    # found by review (round 9): sentences of the document that begin as furniture does
    "A map showing where burglaries happened was not used by the force to plan its patrols.",
    "Follow up visits on Facebook reports of crime were rarely made by officers.",
])
def test_document_sentences_are_not_furniture(line: str):
    assert not is_furniture(line)


def test_a_persons_caption_above_the_story_is_furniture_not_the_headline():
    text = ("Westshire Police Chief Constable Jo Sample\n\n"
            "Westshire Police was graded good at investigating crime, inspectors said.\n\n"
            "\"We are proud of our officers,\" said Chief Constable Jo Sample.\n")
    typed = blocks(text)
    assert [b.kind for b in typed][:2] == [BlockKind.furniture, BlockKind.paragraph]


def test_a_headline_that_names_a_chief_and_says_what_they_did_is_still_the_headline():
    text = "Kent Police Chief Constable Jo Sample Resigns\n\nThe chief constable of Kent Police has resigned after the inspection.\n"
    assert blocks(text)[0].kind == BlockKind.headline


def test_a_link_or_caption_glued_to_the_next_paragraph_is_furniture_of_its_own():
    text = (
        "Read more about WestshireThis is the first assessment of the service.\n"
        "The chief at the station Picture: JO SAMPLEThe service was inspected in May.\n"
        "Crews at the moorland blaze, July 2018.Crews at the moorland blaze, July 2018.\n"
        "Crews at the moorland blaze, July 2018.\n"
        "Abuse Images: Watchdog Says Forces Are Slow\n"
        "(Image: Sample Newspapers) Here is what the inspectors found in each area.\n"
    )
    kinds = [(b.kind, text[b.start : b.end]) for b in blocks(text)]
    assert kinds[:4] == [(BlockKind.furniture, "Read more about Westshire"), (BlockKind.paragraph, "This is the first assessment of the service."),
                         (BlockKind.furniture, "The chief at the station Picture: JO SAMPLE"), (BlockKind.paragraph, "The service was inspected in May.")]
    assert [k for k, _ in kinds[4:6]] == [BlockKind.furniture, BlockKind.furniture]  # a caption scraped twice, then again alone
    assert kinds[6][0] != BlockKind.furniture  # a headline with "Images:" in it is no caption
    assert kinds[7:] == [(BlockKind.furniture, "(Image: Sample Newspapers)"), (BlockKind.paragraph, "Here is what the inspectors found in each area.")]


def test_a_last_line_cut_off_after_a_full_sentence_is_a_paragraph_not_a_heading():
    text = "Westshire Police inspected\n\nThe force was inspected in May.\n\nThe inspector said: \"Anyone who calls should be answered. I am c"
    assert blocks(text)[-1].kind == BlockKind.paragraph


def test_sentences_are_exact_spans_and_skip_abbreviations_and_closing_quotes():
    text = "Mr. Roe said: \u201cWe accept it. Work has started.\u201d The report, by Dr. J. Smith, found 3.5 per cent more. (synthetic test document)"
    spans = [text[s:e] for s, e in sentences(text, 0, len(text))]
    assert spans == [
        "Mr. Roe said: \u201cWe accept it.",
        "Work has started.\u201d",
        "The report, by Dr. J. Smith, found 3.5 per cent more.",
        "(synthetic test document)",
    ]


def test_no_sentence_is_longer_than_the_cap():
    text = "word " * 10_000
    spans = sentences(text, 0, len(text))
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    assert "".join(text[s:e] + " " for s, e in spans).split() == text.split()


def test_a_hostile_11_mb_one_sentence_file_ingests_in_bounded_time(tmp_path):
    """Linear time, checked in a child process with a generous limit (the speed target lives in bench/)."""
    script = textwrap.dedent(f"""
        from knowledge.ingest import ingest_source
        from knowledge.documents.reading import read_text
        from knowledge.state.store import Store
        # every stretch a little different, so that no two capped pieces are one repeated sentence (which is one finding)
        words = " ".join(f"the force said that officers would act {{i}}" for i in range(11 * 1024 * 1024 // 44))
        data = b"date 2024-01-01 Police news (synthetic test document)\\n\\n" + words.encode()
        result = ingest_source(Store("sqlite:///{tmp_path}/kb.db"), read_text(data, "hostile.txt"))
        assert result.status == "added", result
        print(sum(result.findings.values()))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 1000
