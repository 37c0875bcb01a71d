"""Turning an Answer into what a person reads (plain text or Telegram HTML) or a program reads (JSON).

This is the only module that knows HTML.
"""

import html
import re
from dataclasses import dataclass
from itertools import groupby

from knowledge import Answer, Citation, DocumentRef
from knowledge.questions.answers import Overview
from knowledge.questions.wording import NOT_COMPARABLE, grade_word, long_date, tally


def date_text(document: DocumentRef) -> str:
    """'22 December 2021', or 'date unknown'."""
    return long_date(document.published)


DOC_TYPES = {"report": "report", "letter": "letter", "press_release": "press release", "article": "news article"}
REPORTING = re.compile(r"^.*\b(?:said|says|found|finds|concluded|concludes|noted|notes|added|reported|stated|states|highlighted|identified)\b(?: that)?,?\s+", re.I)
OPENER = re.compile(r"^(?:however|but|and|also|in addition|further(?:more)?|meanwhile),?\s+", re.I)
LEAD_IN_CHARS = 90  # a lead-in longer than this is cut to its last clause


def source_line(document: DocumentRef, *, link: bool = True) -> str:
    """Who published the document and when, and (with `link`) its link: 'HMICFRS report · 16 May 2024 · https://...'.
    A local file path is never shown to a reader (it is in the JSON's source_path)."""
    kind = DOC_TYPES.get(document.doc_type, document.doc_type.replace("_", " "))
    by = document.publisher if document.publisher and document.title else None
    parts = [f"{by} {kind}" if by else kind, date_text(document)]
    if document.url and link:
        parts.append(document.url)
    return " \u00b7 ".join(parts)


def document_header(document: DocumentRef) -> str:
    """A document once, above its quotes: its headline or title, then publisher, date and link."""
    return f"{document.label}\n{source_line(document)}"


def lead_in(context: str) -> str:
    """The clause of an introducing sentence that gives a quote its meaning: "However, in their report, which
    was published on Wednesday (December 21) HMICFRS said the force still needs to make some improvements,
    including:" -> "...the force still needs to make some improvements, including:". Only the start is cut, so
    what is shown is still the document's own words."""
    cut = context
    if len(cut) > LEAD_IN_CHARS:
        m = REPORTING.match(cut)
        if m and len(cut) - m.end() >= 20:
            cut = cut[m.end():]
    if len(cut) > LEAD_IN_CHARS:
        commas = [i + 2 for i in range(len(cut)) if cut.startswith(", ", i) and len(cut) - i - 2 >= 25]
        cut = cut[commas[-1]:] if commas else cut
    cut = OPENER.sub("", cut) if cut == context else cut
    return cut if cut == context else "\u2026" + cut


def numbered(citations: list[Citation], first: int = 1) -> list[tuple[DocumentRef, str | None, list[tuple[int, Citation, str | None]]]]:
    """The citations grouped by document, each document once, in the order its first quote comes (the answer's
    order: most serious or newest first), numbered in the order shown from `first` (a later page goes on from the
    last); each quote with its lead-in when it starts a run under that sentence. With the organisation of the
    document's quotes, when they share one."""
    groups: dict[int, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.document.id, []).append(c)
    out, number = [], first - 1
    for items in groups.values():
        orgs = {c.organisation_name for c in items}
        shown, previous = [], None
        for c in items:
            number += 1
            shown.append((number, c, lead_in(c.context) if c.context and c.context != previous else None))
            previous = c.context
        out.append((items[0].document, orgs.pop() if len(orgs) == 1 else None, shown))
    return out


def display_order(citations: list[Citation]) -> list[Citation]:
    """The citations in the order shown, so that the answer's n-th quote is display_order(...)[n - 1]."""
    return [c for _, _, items in numbered(citations) for _, c, _ in items]


TABLE_CELLS = re.compile(r"\s*[|\t]\s*")


def table_grade(citation: Citation) -> tuple[str, str] | None:
    """A grade read from a table row ("Managing offenders | Inadequate"): its area and grade, to be shown as a fact
    of the table, never as a quotation; None for anything else."""
    if citation.kind != "grade":
        return None
    cells = [cell for cell in TABLE_CELLS.split(citation.quote) if cell]
    if len(cells) < 2:
        return None
    return cells[0], ", ".join(cell.lower() for cell in cells[1:])


def table_text(citation: Citation, area: str, grade: str) -> str:
    """'Managing offenders: inadequate (table in PEEL 2023–25: An inspection of Kent Police)'."""
    return f"{area}: {grade} (table in {short(citation.document.label)})"


def grade_lines(overview: Overview) -> list[str]:
    """The latest grade of each area, under the inspection that gave it (newest first)."""
    lines = []
    for document, rows in groupby(overview.grades, key=lambda r: r.document):
        lines.append(f"{document.label}, {date_text(document)}:")
        lines += [f"\u2022 {area_name(r.area)} \u2014 {grade_word(r.grade)}" for r in rows]
    return lines


def short(title: str, limit: int = 70) -> str:
    """A long title cut at a word, for a line that only needs to say which document."""
    if len(title) <= limit:
        return title
    return title[: title.rfind(" ", 0, limit)].rstrip(" ,;:\u2013\u2014-") + "\u2026"


def area_name(area: str) -> str:
    return area[:1].upper() + area[1:]


def overview_lines(overview: Overview) -> list[str]:
    """The summary block: latest grades, causes of concern and areas for improvement on record, monitoring."""
    lines = []
    if overview.grades:
        lines += ["Latest grades", *grade_lines(overview), NOT_COMPARABLE]
    if overview.counts:
        lines.append(f"On record: {tally(overview.counts)}.")
    if overview.monitoring and overview.monitoring_document:
        d = overview.monitoring_document
        lines.append(f"Monitoring: {overview.monitoring_state}, as reported on {date_text(d)} ({d.label}).")
    return lines


def progress_steps(answer: Answer, first: int = 1, *, markup: bool = False) -> list[list[str]]:
    """A progress answer's timelines as steps of lines (raised, each later mention, where it stands), its quotes
    numbered in the order shown; with `markup`, as HTML."""
    e = esc if markup else str
    steps, number = [], first
    # "is it getting better?": its progress as a whole first, then each concern raised and its later mentions
    quoted = [("Overall", c, "") for c in (answer.progress.overall if answer.progress else ())]
    for t in answer.progress.timelines if answer.progress else ():
        for i, c in enumerate(t.citations):
            m = t.later[i - 1] if i else None
            quoted.append(("Later" if m else "Raised", c, f": {m.status_words}" + (f" (\u201c{e(m.cue)}\u201d)" if m.cue else "") if m else ""))
        quoted.append((None, t, ""))
    for word, c, said in quoted:
        if word is None:  # the end of a timeline: where it stands
            left = [f"({c.above} later mention{'s' if c.above != 1 else ''} quoted above)"] if c.above else []
            left += [f"({c.left_out} more mention{'s' if c.left_out != 1 else ''} not shown)"] if c.left_out else []
            steps.append([*left, f"<i>{e(c.as_of)}</i>" if markup else c.as_of])
            continue
        head = f"{date_text(c.document)} \u00b7 {e(c.document.label)}{said}"
        steps.append([f"<b>{word}</b> {linked(c.document.url, head)}", quote_html(c, number, organisation=False)] if markup
                     else [f"{word} {head}", f"{number}. {c.label}", f"\u201c{c.quote}\u201d"])
        number += 1
    return steps


def ordered(answer: Answer) -> list[Citation]:
    """The answer's citations in the order shown (a progress answer's, timeline by timeline)."""
    return list(answer.citations) if answer.progress is not None else display_order(answer.citations)


def heading(answer: Answer) -> str:
    """The first line: an overview's short heading (its block follows), else the summary."""
    return answer.heading if answer.overview and answer.heading else answer.summary


def render_text(answer: Answer, first: int = 1, *, more_hint: str | None = None) -> str:
    """The answer as plain text: summary, then quotes grouped by document, each document named once; the quotes
    numbered from `first`. `more_hint` says how to see the next page (the CLI's "--page 2")."""
    lines = [heading(answer)]
    if answer.progress is not None:
        lines += [line for step in progress_steps(answer, first) for line in ("", *step)]
    if answer.overview and overview_lines(answer.overview):
        lines += ["", *overview_lines(answer.overview)]
    sole = answer.organisations[0].name if len(answer.organisations) == 1 else None
    for document, org, items in numbered(answer.citations if answer.progress is None else [], first):
        lines += ["", document_header(document)]
        if org and org != sole:
            lines.append(f"About {org}")
        for number, c, context in items:
            lines += ["", f"{number}. {c.label}" + ("" if org else f" \u2014 {c.organisation_name}")]
            if context:
                lines.append(f"After \u201c{context}\u201d")
            row = table_grade(c)
            lines.append(table_text(c, *row) if row else f"\u201c{c.quote}\u201d")
            if c.also_in:
                lines.append("Also reported in: " + "; ".join(f"{d.label} ({DOC_TYPES.get(d.doc_type, d.doc_type)}, {date_text(d)})" for d in c.also_in))
    if answer.more:
        see = f"ask again with {more_hint} to see them, or" if more_hint else ""
        lines += ["", f"{answer.more} more not shown; {see} ask about a topic to narrow it down.".replace("  ", " ")]
    if answer.notes:
        lines += [""] + answer.notes
    if answer.suggestions:
        lead = "Did you mean:" if answer.intent == "ambiguous" else "You could ask:"
        lines += ["", lead] + [f"  - {s}" for s in answer.suggestions]
    return "\n".join(lines)


INSPECTORATE = re.compile(r"(?:HMICFRS|HMIC|(?:His|Her) Majesty.s Inspectorate of Constabulary)\b", re.I)
INSPECTORATE_KINDS = frozenset({"cause_of_concern", "area_for_improvement", "recommendation", "strength", "grade"})


def by_inspectorate(document: DocumentRef) -> bool:
    """Whether HMICFRS published the document (a report with no publisher named is taken to be its)."""
    return bool(INSPECTORATE.match(document.publisher)) if document.publisher else document.doc_type == "report"


def source_parts(document: DocumentRef, *, publisher: bool) -> list[str]:
    """The document as a citation names it: its title in quotation marks (else its kind), its publisher (unless
    left out), its date and its link."""
    parts = [f"\u201c{document.title.rstrip('. ')}\u201d" if document.title else DOC_TYPES.get(document.doc_type, document.doc_type)]
    if publisher and document.publisher:
        parts.append(document.publisher)
    elif document.title and not document.publisher:
        parts.append(DOC_TYPES.get(document.doc_type, document.doc_type.replace("_", " ")))
    parts.append(date_text(document))
    return parts + ([document.url] if document.url and WEB_URL.match(document.url) else [])


def attribution(citation: Citation) -> str:
    """Who is speaking, where and when: '— HMICFRS, "<title>", <date>, <link>' for the inspectorate's finding in its
    own document; '— HMICFRS, as reported in "<title>", <publisher>, <date>' for the same in someone else's;
    '— <name>, <role>, in "<title>", <publisher>, <date>' for a statement in the speaker's own words, '— <publisher>,
    reporting what <name>, <role> said, in ...' for the publisher's account of it; else the publisher's own words."""
    d = citation.document
    if citation.kind == "statement":
        who = ", ".join(part for part in (citation.speaker, citation.role) if part) or d.publisher or "unnamed speaker"
        if citation.speech == "reported":  # the publisher's words about what was said: theirs to be credited with
            reporter = d.publisher or f"the {DOC_TYPES.get(d.doc_type, 'document')}"
            return f"\u2014 {reporter}, reporting what {who} said, in " + ", ".join(source_parts(d, publisher=False))
        return f"\u2014 {who}, in " + ", ".join(source_parts(d, publisher=d.publisher != who))
    if by_inspectorate(d):
        return "\u2014 HMICFRS, " + ", ".join(source_parts(d, publisher=False))
    if citation.kind in INSPECTORATE_KINDS or citation.status:
        return "\u2014 HMICFRS, as reported in " + ", ".join(source_parts(d, publisher=True))
    return "\u2014 " + ", ".join(source_parts(d, publisher=True))


def cite_text(citation: Citation) -> str:
    """One quote ready to paste into a story: the quote (a grade from a table as the fact it states, never as a
    quotation), who is speaking with the document, publisher, date and link, then what kind of finding it is and
    about whom, and the lead-in a fragment follows."""
    row = table_grade(citation)
    kind = "Statement" if citation.kind == "statement" else citation.label
    about = f"{kind}, about {citation.organisation.name}." if citation.organisation else f"{kind}."
    lines = [table_text(citation, *row) if row else f"\u201c{citation.quote}\u201d", attribution(citation), about]
    if citation.context and not row:
        lines.append(f"Lead-in: \u201c{lead_in(citation.context)}\u201d")
    return "\n".join(lines)


def document_json(document: DocumentRef) -> dict:
    return {
        "id": document.id, "title": document.title, "publisher": document.publisher,
        "published": document.published.isoformat() if document.published else None, "url": document.url,
        "source_path": document.source_path,
    }


def overview_json(overview: Overview) -> dict:
    return {
        "grades": [{"area": r.area, "grade": r.grade, "cycle": r.cycle, "document_id": r.document.id,
                    "document": r.document.label, "published": r.document.published.isoformat() if r.document.published else None}
                   for r in overview.grades],
        "counts": dict(overview.counts),
        "monitoring": overview.monitoring,
        "monitoring_document_id": overview.monitoring_document.id if overview.monitoring_document else None,
    }


def answer_json(answer: Answer) -> dict:
    """The stable `ask --json` object: citations in the order shown, and the same grouped by document."""
    documents = numbered(answer.citations)
    return {
        "question": answer.question,
        "intent": answer.intent,
        "organisations": [{"id": o.id, "name": o.name, "kind": o.kind} for o in answer.organisations],
        "answer": render_text(answer),
        "overview": overview_json(answer.overview) if answer.overview else None,
        "citations": [
            {
                "quote": c.quote,
                "kind": c.kind,
                "label": c.label,
                "organisation": {"id": c.organisation.id, "name": c.organisation.name} if c.organisation else None,
                "speaker": c.speaker,
                "role": c.role,
                "speech": c.speech,
                "finding_id": c.finding_id,
                "document": document_json(c.document),
                "also_in": [document_json(d) for d in c.also_in],
            }
            for c in ordered(answer)
        ],
        "documents": [
            {**document_json(document), "label": document.label, "quotes": [c.finding_id for _, c, _ in items]}
            for document, _, items in documents
        ],
        "suggestions": answer.suggestions,
        "progress": progress_json(answer),
    }


def progress_json(answer: Answer) -> list[dict] | None:
    """A progress answer's chains: each concern as raised, its later mentions with their status and the words that say
    so (document offsets), and where it stands (null for any other answer)."""
    if answer.progress is None:
        return None
    overall = [{"overall": step_json(c)} for c in answer.progress.overall]  # "is it getting better?": its progress as a whole
    return overall + [{"raised": step_json(t.raised), "as_of": t.as_of, "left_out": t.left_out, "quoted_above": t.above,
             "later": [{**step_json(m.citation), "status": m.status, "cue": m.cue, "cue_start": m.cue_start, "cue_end": m.cue_end} for m in t.later]}
            for t in answer.progress.timelines]


def step_json(c: Citation) -> dict:
    return {"finding_id": c.finding_id, "quote": c.quote, "start": c.start, "end": c.end, "document": document_json(c.document)}


# -- HTML for Telegram -----------------------------------------------------------------------

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units of the text after entity parsing
QUOTE_CHUNK = 3500  # a quote longer than this is split over several blockquotes


def esc(text: str) -> str:
    """Escape user or document text for Telegram's HTML mode (only <, > and & matter)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def visible_len(fragment: str) -> int:
    """UTF-16 length of an HTML fragment after Telegram parses its tags and entities."""
    return utf16_len(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


WEB_URL = re.compile(r"https?://[^\s<>\"]+$")


def linked(url: str | None, label_html: str) -> str:
    """The label as a link to an http(s) URL; anything else (no URL, a file name, a javascript: URL) leaves it plain."""
    return f'<a href="{html.escape(url, quote=True)}">{label_html}</a>' if url and WEB_URL.match(url) else label_html


def source_html(document: DocumentRef) -> str:
    """A document's header: its name in bold (linked when it has a URL), then publisher and date."""
    label = linked(document.url, esc(document.label))
    kind = DOC_TYPES.get(document.doc_type, document.doc_type.replace("_", " "))
    by = f"{document.publisher} {kind}" if document.publisher and document.title else kind
    return f"\U0001f4c4 <b>{label}</b>\n{esc(by)} \u00b7 {esc(date_text(document))}"


def quote_html(citation: Citation, number: int | None = None, organisation: bool = True, context: str | None = None) -> str:
    """One quote: its number and label on a line of their own, the lead-in, then the quote as a blockquote
    (split if huge). The newlines matter: a copied message's plain text would otherwise glue them together."""
    head = f"<b>{number}.</b> " if number else ""
    who = f" \u2014 {esc(citation.organisation_name)}" if organisation else ""
    lead = f"\n<i>After \u201c{esc(context)}\u201d</i>" if context else ""
    row = table_grade(citation)
    if row:  # a fact of a table, not a quotation
        area, grade = row
        quotes = f"{esc(area)}: <b>{esc(grade)}</b> (table in {esc(short(citation.document.label))})"
    else:
        quotes = "\n".join(f"<blockquote>{esc(chunk)}</blockquote>" for chunk in split_text(citation.quote, QUOTE_CHUNK))
    named = [linked(d.url, esc(f"{short(d.label, 50)} ({DOC_TYPES.get(d.doc_type, d.doc_type)}, {date_text(d)})")) for d in citation.also_in]
    also = "\n<i>Also reported in:</i> " + "; ".join(named) if named else ""
    return f"{head}<i>{esc(citation.label)}</i>{who}{lead}\n{quotes}{also}"


def citation_html(citation: Citation) -> list[str]:
    """One quote with everything that attributes it, as a message of its own (inline mode)."""
    return [f"{source_html(citation.document)}\n\n{quote_html(citation)}"]


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at spaces where possible."""
    pieces = []
    while utf16_len(text) > limit:
        cut = limit
        while utf16_len(text[:cut]) > limit:
            cut -= 1
        space = text.rfind(" ", 0, cut)
        cut = space if space > limit // 2 else cut
        pieces.append(text[:cut])
        text = text[cut:].lstrip()
    return pieces + [text] if text else pieces


def overview_html(overview: Overview) -> str:
    """The summary block as one paragraph of lines."""
    lines = []
    if overview.grades:
        lines.append("<b>Latest grades</b>")
        for document, rows in groupby(overview.grades, key=lambda r: r.document):
            lines.append(f"<i>{esc(short(document.label))}, {esc(date_text(document))}</i>")
            lines += [f"\u2022 {esc(area_name(r.area))} \u2014 <b>{esc(grade_word(r.grade))}</b>" for r in rows]
        lines.append(f"<i>{esc(NOT_COMPARABLE)}</i>")
    if overview.counts:
        lines.append(f"<b>On record:</b> {esc(tally(overview.counts))}")
    if overview.monitoring and overview.monitoring_document:
        lines.append(f"<b>Monitoring:</b> {esc(overview.monitoring_state)}, as reported on {esc(date_text(overview.monitoring_document))}")
    return "\n".join(lines)


@dataclass
class Block:
    """A paragraph of an answer's HTML; `document` for a quote, whose document header goes before it once per message."""

    html: str
    document: DocumentRef | None = None
    organisation: str | None = None
    implied: bool = False  # the organisation is the one the answer's first line names


def answer_blocks(answer: Answer, first: int = 1) -> list[Block]:
    """The answer as paragraphs of HTML, each complete in itself (no tag spans two blocks); quotes numbered from `first`."""
    blocks = [Block(f"<b>{esc(heading(answer))}</b>")]
    if answer.overview and overview_lines(answer.overview):
        blocks.append(Block(overview_html(answer.overview)))
    blocks += [Block("\n".join(step)) for step in progress_steps(answer, first, markup=True)]
    sole = answer.organisations[0].name if len(answer.organisations) == 1 else None
    for document, org, items in numbered(answer.citations if answer.progress is None else [], first):
        for number, c, context in items:
            blocks.append(Block(quote_html(c, number, organisation=org is None, context=context), document, org, implied=org == sole))
    if answer.notes:
        blocks.append(Block(esc("\n".join(answer.notes))))
    if answer.suggestions and not answer.candidates:
        blocks.append(Block("You could ask:\n" + "\n".join(f"\u2022 {esc(s)}" for s in answer.suggestions)))
    return blocks


def header_html(document: DocumentRef, organisation: str | None) -> str:
    return source_html(document) + (f" \u00b7 about {esc(organisation)}" if organisation else "")


def pack_answer(blocks: list[Block], first_limit: int = MESSAGE_LIMIT, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Messages within Telegram's limit (the first within `first_limit`), breaking only between blocks; a
    document's header goes before its first quote in each message, so it is never repeated within one. The
    first message leaves out an organisation its first line already names."""
    messages: list[str] = []
    current, headed = "", None

    def with_header(block: Block, first: bool) -> str:
        if block.document is None:
            return block.html
        org = None if block.implied and first else block.organisation
        return header_html(block.document, org) + "\n\n" + block.html

    for block in blocks:
        text = with_header(block, not messages) if block.document is None or block.document.id != headed else block.html
        candidate = f"{current}\n\n{text}" if current else text
        if current and visible_len(candidate) > (limit if messages else first_limit):
            messages.append(current)
            candidate = with_header(block, False)
        if visible_len(candidate) > limit:  # only a pathological block; split its visible text
            candidate = esc(split_text(html.unescape(re.sub(r"<[^>]+>", "", candidate)), limit)[0])
        current = candidate
        headed = block.document.id if block.document is not None else None
    if current:
        messages.append(current)
    return messages


def pack(blocks: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks into messages within Telegram's limit, breaking only between blocks."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if visible_len(block) > limit:  # only a pathological block; split its visible text
            block = esc(split_text(html.unescape(re.sub(r"<[^>]+>", "", block)), limit)[0])
        candidate = f"{current}\n\n{block}" if current else block
        if current and visible_len(candidate) > limit:
            messages.append(current)
            current = block
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


OVERVIEW_LIMIT = 1500  # an organisation's overview, before "More": about one phone screen


def render_html(answer: Answer, first: int = 1) -> list[str]:
    """The answer as one or more Telegram HTML messages, quotes numbered from `first`; an overview's first message
    within OVERVIEW_LIMIT."""
    limit = OVERVIEW_LIMIT if answer.overview is not None and answer.intent == "overview" else MESSAGE_LIMIT
    return pack_answer(answer_blocks(answer, first), first_limit=limit)
