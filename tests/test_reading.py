"""Reading source files: the header, boilerplate that is dropped, and text that is kept word for word."""

import datetime as dt
import re
from pathlib import Path

import pytest

from knowledge.documents.reading import UnreadableDocument, read_bytes, read_file, read_text
from testing.fixtures import fixture_sources, without_mark
from tests.conftest import ARTICLES, ROOT

SEED = ROOT / "knowledge" / "corpus" / "000_0a597a7e525f5e3e.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "000_0a597a7e525f5e3e.txt"


def test_the_shipped_seed_is_the_seed_article_byte_for_byte():
    if not SHARED_SEED.exists():
        pytest.skip("the seed article's original copy is not on this machine (a development check)")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_the_seed_header_gives_the_published_date_and_section():
    source = read_file(SEED)
    assert source.published == dt.date(2021, 12, 22)
    assert source.section == "Police news"
    assert not source.text.startswith("date")


def test_the_newsletter_blurb_is_dropped_and_every_article_sentence_is_kept():
    source = read_file(SEED)
    assert "newsletter" not in source.text
    assert "Submitting" not in source.text
    assert len(source.dropped) == 1 and source.dropped[0].startswith("Sign up to our daily newsletter")
    raw = SEED.read_text(encoding="utf-8")
    for paragraph in re.split(r"\n\s*\n", raw)[1:]:
        if "newsletter" in paragraph:
            continue
        assert paragraph.strip() in source.text, paragraph


@pytest.mark.parametrize("path", [SEED, *sorted(ARTICLES.glob("*.txt"))], ids=lambda p: p.name)
def test_stored_text_is_what_the_source_says(path: Path):
    """Every stored paragraph is in the source file; only whitespace may differ."""
    source = read_file(path)
    flat = " ".join(path.read_text(encoding="utf-8").split())
    for paragraph in source.text.split("\n\n"):
        assert paragraph in flat, paragraph


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: Ten things you missed this week",
        "Advertisement",
        "Got a story? Email our newsdesk.",
        "Sign up to our daily newsletter Sign up Thanks for signing up!",
        "Share this article",
        "We use cookies to improve your experience. Accept cookie settings",
    ],
)
def test_page_furniture_is_dropped(line: str):
    text = f"synthetic test document\n\nThe force needs to improve its response to 999 calls.\n\n{line}\n\nInspectors praised its work with victims."
    source = read_text(text.encode())
    assert line not in source.text
    assert "The force needs to improve its response to 999 calls." in source.text
    assert "Inspectors praised its work with victims." in source.text


def test_a_long_paragraph_that_mentions_cookies_is_article_text():
    long = "synthetic test document. " + "Inspectors found the force's website asks visitors to accept cookie settings before reporting a crime online, which deters some victims. " * 4
    assert long.strip() in read_text(long.encode()).text


def test_a_line_that_stops_mid_sentence_goes_on_in_the_next_lower_case_line():
    source = read_text(b"synthetic test document\n\nThe first line of this page is long and is not wrapped at any width at all, as a page gives it\n"
                       b"which goes on here.\nA new paragraph starts here.\nAnd one more.")
    assert source.text.split("\n\n")[1:] == ["The first line of this page is long and is not wrapped at any width at all, as a page gives it which goes on here.",
                                              "A new paragraph starts here.", "And one more."]


def test_ligatures_nul_bytes_and_wrapped_lines_are_normalised():
    source = read_text("synthetic test document\n\nThe \ufb01rst  line\nwraps here\x00.".encode())
    assert source.text == "synthetic test document\n\nThe first line wraps here."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"%PDF-1.4 synthetic test document", "PDF cannot be read"),
        (b"PK\x03\x04synthetic test document", "archive"),
        (b"\x89PNG\r\n\x1a\nsynthetic test document", "image"),
        (b"synthetic test document" + bytes(range(0, 32)) * 20, "binary"),
        (b"date 2021-02-30 Police news\n\nsynthetic test document", "not a real date"),
        (b"Advertisement\n\nShare this article", "boilerplate"),
    ],
)
def test_unreadable_input_fails_with_a_one_line_reason(data: bytes, reason: str):
    with pytest.raises(UnreadableDocument) as error:
        read_bytes(data, "x.txt")
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_text_with_a_byte_order_mark_reads_like_utf8(encoding: str):
    utf8 = (ARTICLES / "gmp_2024.txt").read_text(encoding="utf-8")
    source = read_bytes("\ufeff".encode(encoding) + utf8.encode(encoding), "gmp.txt")
    assert source.text == read_bytes(utf8.encode("utf-8"), "gmp.txt").text
    assert source.published == dt.date(2024, 5, 16) and not source.text.startswith("\ufeff")


def test_a_byte_order_mark_on_bytes_that_are_not_that_encoding_is_refused():
    with pytest.raises(UnreadableDocument, match="byte-order mark"):
        read_bytes(b"\xff\xfe" + b"\x00\xd8" * 10 + b"abc", "x.txt")  # lone surrogates, odd length


def test_the_product_reads_a_header_line_as_written_and_knows_nothing_of_fixtures():
    source = read_text(b"date 2024-05-02 Westshire Police told to improve (synthetic test document)\n\nInspectors found the force answers 999 calls too slowly.")
    assert source.title == "Westshire Police told to improve (synthetic test document)"  # a page's title, bracket and all
    for path in [*(ROOT / "knowledge").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]:
        code = path.read_text(encoding="utf-8")
        assert "synthetic test document" not in code.lower() and "TEST_MARKER" not in code, path


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.suffix in (".txt", ".html")), ids=lambda p: p.name)
def test_fixtures_say_they_are_synthetic_and_the_loader_takes_only_that_mark_off(path: Path):
    data = path.read_bytes()
    first = data.split(b"\n", 1)[0]
    assert b"synthetic test document" in first
    loaded = without_mark(data)
    assert loaded.split(b"\n", 1)[1:] == data.split(b"\n", 1)[1:]  # every other line byte for byte
    if path.suffix == ".txt":
        assert b"synthetic" not in loaded.split(b"\n", 1)[0] and loaded.split(b"\n", 1)[0] == first.replace(b" (synthetic test document)", b"")
        [source] = fixture_sources([path])
        assert "synthetic" not in (source.title or "") and "synthetic" not in (source.section or "")


# -- publication dates: a date no document can have is not taken -----------------------------------------

BODY = "synthetic test document\n\nInspectors found the force answers 999 calls too slowly, and it must improve."


def pdf_dated(created: str, *lines: str) -> bytes:
    from testing.pdfmaker import make_pdf

    return make_pdf([["Synthetic test document: an inspection report.", *lines, "Inspectors found the force answers 999 calls too slowly."]], created=created)


def html_dated(meta: str, *body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in (*body, "Inspectors found the force answers 999 calls too slowly, and it must improve its work."))
    return (f'<html><head><title>Synthetic test document</title><meta property="article:published_time" content="{meta}"></head>'
            f"<body><article><h1>Synthetic test document: an inspection</h1>{paragraphs}</article></body></html>").encode()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (f"date 9999-01-01 Police news\n\n{BODY}".encode(), "a.txt", None),
        (f"date 1989-12-31 Police news\n\n{BODY}".encode(), "a.txt", None),
        (f"date 9999-01-01 Police news\n\n{BODY}\n\nPublished on: 16 May 2024".encode(), "a.txt", dt.date(2024, 5, 16)),  # the next one that can be
        (f"{BODY}\n\nPublished on: 1 January 9999".encode(), "a.txt", None),
        (html_dated("9999-01-01T09:00:00Z"), "a.html", None),
        (html_dated("2024-05-16T09:00:00Z", "Published on: 1 January 9999"), "a.html", dt.date(2024, 5, 16)),
        (pdf_dated("D:99990101000000Z"), "a.pdf", None),
        (pdf_dated("D:19850101000000Z"), "a.pdf", None),
        (pdf_dated("D:20240516000000Z", "Published on: 1 January 9999"), "a.pdf", dt.date(2024, 5, 16)),
    ],
    ids=["header 9999", "header 1989", "header 9999, text 2024", "text 9999", "HTML metadata 9999", "HTML text 9999, metadata 2024",
         "PDF created 9999", "PDF created 1985", "PDF text 9999, created 2024"],
)
def test_a_date_before_1990_or_over_a_year_ahead_is_not_a_publication_date(data: bytes, name: str, expected: dt.date | None):
    assert read_bytes(data, name).published == expected


@pytest.mark.parametrize(("top", "expected"), [
    ("Wednesday, 27 July, 2022", dt.date(2022, 7, 27)),
    ("Thursday, May 30, 2024", dt.date(2024, 5, 30)),
    ("Friday 12 July 2024 16.7 C", dt.date(2024, 7, 12)),
    ("Published 30th Jun 2022", dt.date(2022, 6, 30)),
    ("The report of 12 May 2020 found the force good.", None),  # a date inside a sentence is no dateline
])
def test_a_dateline_on_a_line_of_its_own_at_the_top_dates_the_page(top: str, expected: dt.date | None):
    data = f"Police news\n{top}\n\n{BODY}".encode()
    assert read_bytes(data, "a.txt").published == expected


def test_a_letter_is_dated_by_the_day_it_was_sent():
    """The inspectorate's letters give "Sent on" with the day on the line after (our own words below)."""
    data = f"Letter to a commissioner\n\nJane Doe\nPolice and Crime Commissioner\nSent on\n2 October 2024\n\n{BODY}".encode()
    assert read_bytes(data, "letter.txt").published == dt.date(2024, 10, 2)


def test_a_date_up_to_a_year_ahead_is_taken_as_an_embargoed_release_may_be_dated():
    from knowledge.documents.reading import publication_date

    today = dt.date(2025, 3, 1)
    assert publication_date(dt.date(2026, 2, 28), today=today) == dt.date(2026, 2, 28)
    assert publication_date(dt.date(2026, 3, 3), today=today) is None
    assert publication_date(dt.date(1990, 1, 1), today=today) == dt.date(1990, 1, 1)


def test_a_pdf_creation_date_that_is_no_date_leaves_the_report_undated_instead_of_refusing_it():
    assert read_bytes(pdf_dated("D:2024xx"), "a.pdf").published is None  # before: "the file could not be parsed (ValueError)"
