"""The /grades picture: an organisation's grades per area across its inspections, drawn with Pillow, and its
caption, which says the same in text (for screen readers and for copying). The picture fits a phone: at most
MAX_WIDTH pixels wide, long area names and grade words wrapped, the newest inspections that fit."""

from bot.render import area_name, date_text
from knowledge import DocumentRef
from knowledge.questions.answers import GradeRow
from knowledge.questions.wording import NOT_COMPARABLE, grade_word

GRADE_COLOURS = {  # fill, text: a colour-blind-safe ramp, with the grade also written in each cell
    "outstanding": ("#1a7f37", "#ffffff"), "good": ("#7cc47f", "#0b2e13"), "adequate": ("#f2d16b", "#3d2e00"),
    "requires_improvement": ("#f29b55", "#3d1a00"), "inadequate": ("#c8372d", "#ffffff"),
}
CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption
MAX_WIDTH = 800  # pixels: a phone shows it whole, without zooming
MARGIN, LABEL_WIDTH, CELL_WIDTH, LINE = 12, 250, 116, 18  # pixels
DRAWABLE = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})  # Pillow's own font lacks these


def grade_table(rows: list[GradeRow]) -> tuple[list[DocumentRef], list[str], dict[tuple[str, int], str]]:
    """Inspections oldest first (the documents of one date and cycle, a report and its press release, are one
    inspection, named by its report), areas (one row each, however often graded) in the order the newest
    inspection lists them, and each cell's grade, by area and the inspection's document id."""
    inspections: dict[tuple, DocumentRef] = {}
    for r in rows:
        key = (r.document.published, r.cycle)
        if key not in inspections or (inspections[key].doc_type != "report" and r.document.doc_type == "report"):
            inspections[key] = r.document
    areas: dict[str, str] = {}
    cells: dict[tuple[str, int], str] = {}
    for r in rows:
        area = " ".join(r.area.lower().split())
        areas.setdefault(area, area_name(r.area))
        cells.setdefault((area, inspections[r.document.published, r.cycle].id), r.grade)
    return list(inspections.values())[::-1], list(areas), cells


def grades_caption(organisation: str, rows: list[GradeRow]) -> str:
    """The picture's facts as text, for screen readers and for copying: each area's grade in each inspection."""
    documents, areas, cells = grade_table(rows)
    lines = [f"{organisation}: HMICFRS grades by area, oldest inspection first."]
    for key in areas:
        grades = [f"{grade_word(cells[key, d.id])} ({date_text(d)})" for d in documents if (key, d.id) in cells]
        lines.append(f"\u2022 {rows_area(rows, key)}: " + ", ".join(grades))
    lines.append(NOT_COMPARABLE)
    sources = dict.fromkeys(r.document for r in reversed(rows))
    lines.append("Sources: " + "; ".join(f"{d.label}, {date_text(d)}" for d in sources))
    text = "\n".join(lines)
    return text if len(text) <= CAPTION_LIMIT else text[: CAPTION_LIMIT - 1] + "\u2026"


def rows_area(rows: list[GradeRow], key: str) -> str:
    return next(area_name(r.area) for r in rows if " ".join(r.area.lower().split()) == key)


def wrapped(text: str, font, width: int) -> list[str]:  # noqa: ANN001 - a Pillow font
    """The text in lines of at most `width` pixels, broken between words (a word wider than that gets a line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def grades_picture(organisation: str, rows: list[GradeRow]) -> bytes:
    """A small PNG at most MAX_WIDTH wide: one row per area, one column per inspection (oldest left; the newest
    that fit when there are many, the caption giving them all), each cell coloured and labelled with its grade.
    Pillow's own font, so it draws the same on any machine."""
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont

    documents, areas, cells = grade_table(rows)
    font, bold, small = (ImageFont.load_default(size=n) for n in (15, 18, 13))
    columns = max(1, (MAX_WIDTH - 2 * MARGIN - LABEL_WIDTH) // CELL_WIDTH)
    left_out, documents = documents[:-columns], documents[-columns:]
    width = min(MAX_WIDTH, 2 * MARGIN + LABEL_WIDTH + CELL_WIDTH * len(documents))
    title = wrapped(f"{organisation}: grades by area".translate(DRAWABLE), bold, width - 2 * MARGIN)
    labels = {key: wrapped(rows_area(rows, key).translate(DRAWABLE), font, LABEL_WIDTH - 12) for key in areas}
    heights = {key: max(len(labels[key]), 2 if any("requires" in cells.get((key, d.id), "") for d in documents) else 1) * LINE + 16 for key in areas}
    notes = [NOT_COMPARABLE] + ([f"{len(left_out)} older inspection(s) left out here: the caption lists them."] if left_out else [])
    notes = [line for note in notes for line in wrapped(note, small, width - 2 * MARGIN)]
    top = MARGIN + len(title) * 22 + 44
    height = top + sum(heights.values()) + 12 + len(notes) * 16 + MARGIN
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(title):
        draw.text((MARGIN, MARGIN + i * 22), line, font=bold, fill="#111111")
    for i, d in enumerate(documents):
        cycle = next((r.cycle for r in rows if r.document.published == d.published and r.cycle), None)
        draw_column_head(draw, (font, small), (MARGIN + LABEL_WIDTH + i * CELL_WIDTH, top), d, cycle)
    y = top
    for key in areas:
        h = heights[key]
        for n, line in enumerate(labels[key]):
            draw.text((MARGIN, y + (h - len(labels[key]) * LINE) // 2 + n * LINE), line, font=font, fill="#111111")
        for i, d in enumerate(documents):
            draw_cell(draw, font, (MARGIN + LABEL_WIDTH + i * CELL_WIDTH, y, h), cells.get((key, d.id)))
        y += h
    for n, line in enumerate(notes):
        draw.text((MARGIN, y + 12 + n * 16), line, font=small, fill="#555555")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def draw_column_head(draw, fonts, at: tuple[int, int], document: DocumentRef, cycle: str | None) -> None:  # noqa: ANN001 - Pillow's
    """An inspection's column head: its month and, when known, its cycle."""
    (x, top), (font, small) = at, fonts
    draw.text((x + 6, top - 40), f"{document.published:%b %Y}" if document.published else "undated", font=font, fill="#333333")
    if cycle:
        draw.text((x + 6, top - 22), f"cycle {cycle}".translate(DRAWABLE), font=small, fill="#666666")


def draw_cell(draw, font, box: tuple[int, int, int], grade: str | None) -> None:  # noqa: ANN001 - Pillow's
    """One inspection's grade for one area: a coloured box with the grade written in it (or an empty outline)."""
    x, y, h = box
    if grade is None:
        draw.rectangle((x + 2, y + 2, x + CELL_WIDTH - 4, y + h - 4), outline="#dddddd")
        return
    fill, ink = GRADE_COLOURS.get(grade, ("#cccccc", "#111111"))
    draw.rounded_rectangle((x + 2, y + 2, x + CELL_WIDTH - 4, y + h - 4), radius=5, fill=fill)
    lines = wrapped(grade_word(grade), font, CELL_WIDTH - 16)
    for n, line in enumerate(lines):
        draw.text((x + 8, y + (h - len(lines) * LINE) // 2 + n * LINE), line, font=font, fill=ink)
