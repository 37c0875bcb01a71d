"""The /grades picture: an organisation's grades per area across its inspections, drawn with Pillow, and its
caption, which says the same in text (for screen readers and for copying)."""

from bot.render import area_name, date_text
from knowledge import DocumentRef
from knowledge.questions.answers import GradeRow
from knowledge.questions.wording import NOT_COMPARABLE, grade_word

GRADE_COLOURS = {  # fill, text: a colour-blind-safe ramp, with the grade also written in each cell
    "outstanding": ("#1a7f37", "#ffffff"), "good": ("#7cc47f", "#0b2e13"), "adequate": ("#f2d16b", "#3d2e00"),
    "requires_improvement": ("#f29b55", "#3d1a00"), "inadequate": ("#c8372d", "#ffffff"),
}
CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption


def grade_table(rows: list[GradeRow]) -> tuple[list[DocumentRef], list[str], dict[tuple[str, int], str]]:
    """Inspections oldest first, areas in the order the newest inspection lists them, and each cell's grade."""
    documents = list(dict.fromkeys(r.document for r in rows))[::-1]
    areas: dict[str, str] = {}
    cells: dict[tuple[str, int], str] = {}
    for r in rows:
        key = " ".join(r.area.lower().split())
        areas.setdefault(key, area_name(r.area))
        cells.setdefault((key, r.document.id), r.grade)
    return documents, list(areas), cells


def grades_caption(organisation: str, rows: list[GradeRow]) -> str:
    """The picture's facts as text, for screen readers and for copying: each area's grade in each inspection."""
    documents, areas, cells = grade_table(rows)
    lines = [f"{organisation}: HMICFRS grades by area, oldest inspection first."]
    for key in areas:
        grades = [f"{grade_word(cells[key, d.id])} ({date_text(d)})" for d in documents if (key, d.id) in cells]
        lines.append(f"\u2022 {rows_area(rows, key)}: " + ", ".join(grades))
    lines.append(NOT_COMPARABLE)
    lines.append("Sources: " + "; ".join(f"{d.label}, {date_text(d)}" for d in documents))
    text = "\n".join(lines)
    return text if len(text) <= CAPTION_LIMIT else text[: CAPTION_LIMIT - 1] + "\u2026"


def rows_area(rows: list[GradeRow], key: str) -> str:
    return next(area_name(r.area) for r in rows if " ".join(r.area.lower().split()) == key)


def grades_picture(organisation: str, rows: list[GradeRow]) -> bytes:
    """A small PNG: one row per area, one column per inspection (oldest left), each cell coloured and labelled
    with its grade. Pillow's own font, so it draws the same on any machine."""
    from io import BytesIO

    from PIL import Image, ImageDraw, ImageFont

    documents, areas, cells = grade_table(rows)
    font, bold, small = (ImageFont.load_default(size=n) for n in (15, 18, 13))
    label_width = max([int(font.getlength(rows_area(rows, a))) for a in areas] + [120]) + 24
    cell_w, cell_h, top = int(font.getlength("requires improvement")) + 28, 34, 78
    width = label_width + cell_w * len(documents) + 16
    height = top + cell_h * len(areas) + 40
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.text((12, 10), f"{organisation}: grades by area", font=bold, fill="#111111")
    for i, d in enumerate(documents):
        x = label_width + i * cell_w
        draw.text((x + 6, 42), f"{d.published:%b %Y}" if d.published else "undated", font=font, fill="#333333")
        cycle = next((r.cycle for r in rows if r.document == d and r.cycle), None)
        if cycle:
            draw.text((x + 6, 59), f"cycle {cycle}", font=small, fill="#666666")
    for j, key in enumerate(areas):
        y = top + j * cell_h
        draw.text((12, y + 9), rows_area(rows, key), font=font, fill="#111111")
        for i, d in enumerate(documents):
            grade = cells.get((key, d.id))
            x = label_width + i * cell_w
            if grade is None:
                draw.rectangle((x + 2, y + 2, x + cell_w - 4, y + cell_h - 4), outline="#dddddd")
                continue
            fill, ink = GRADE_COLOURS.get(grade, ("#cccccc", "#111111"))
            draw.rounded_rectangle((x + 2, y + 2, x + cell_w - 4, y + cell_h - 4), radius=5, fill=fill)
            draw.text((x + 10, y + 9), grade_word(grade), font=font, fill=ink)
    draw.text((12, height - 26), NOT_COMPARABLE, font=small, fill="#555555")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
