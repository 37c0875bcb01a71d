"""Turning an Answer into what a person reads (plain text or Telegram HTML) or a program reads (JSON).

This is the only module that knows HTML.
"""

import html
import re
from itertools import groupby

from knowledge import Answer, Citation, DocumentRef
from knowledge.answering import long_date


def date_text(document: DocumentRef) -> str:
    """'22 December 2021', or 'date unknown'."""
    return long_date(document.published)


def source_line(document: DocumentRef) -> str:
    """The line that names a document: label, date, and where it came from."""
    where = document.url or document.source_path
    return f"{document.label}, {date_text(document)}" + (f" ({where})" if where else "")


def citation_line(citation: Citation) -> str:
    """One quote with its kind and organisation, as a person reads it."""
    org = citation.organisation.name if citation.organisation else "no single organisation"
    return f"\u2022 {citation.label} \u2014 {org}:\n  \u201c{citation.quote}\u201d"


def lead_ins(citations: list[Citation]) -> list[str | None]:
    """For each citation, the sentence that introduces it when it starts a run under that sentence
    ("...the force still needs to make some improvements, including:"), so a bullet is read in context."""
    shown, previous = [], None
    for c in citations:
        key = (c.document.id, c.context)
        shown.append(c.context if c.context and key != previous else None)
        previous = key
    return shown


def render_text(answer: Answer) -> str:
    """The answer as plain text: summary, then quotes grouped by document, newest first."""
    lines = [answer.summary]
    contexts = iter(lead_ins(answer.citations))
    for document, group in groupby(answer.citations, key=lambda c: c.document):
        lines += ["", f"From {source_line(document)}:"]
        for c in group:
            context = next(contexts)
            if context:
                lines.append(f"  After \u201c{context}\u201d")
            lines.append(citation_line(c))
    if answer.more:
        lines += ["", f"{answer.more} more not shown; ask about a topic to narrow it down."]
    if answer.notes:
        lines += [""] + answer.notes
    if answer.suggestions:
        lead = "Did you mean:" if answer.intent == "ambiguous" else "You could ask:"
        lines += ["", lead] + [f"  - {s}" for s in answer.suggestions]
    return "\n".join(lines)


def document_json(document: DocumentRef) -> dict:
    return {
        "id": document.id,
        "title": document.title,
        "publisher": document.publisher,
        "published": document.published.isoformat() if document.published else None,
        "url": document.url,
        "source_path": document.source_path,
    }


def answer_json(answer: Answer) -> dict:
    """The stable `ask --json` object."""
    return {
        "question": answer.question,
        "intent": answer.intent,
        "organisations": [{"id": o.id, "name": o.name, "kind": o.kind} for o in answer.organisations],
        "answer": render_text(answer),
        "citations": [
            {
                "quote": c.quote,
                "kind": c.kind,
                "organisation": {"id": c.organisation.id, "name": c.organisation.name} if c.organisation else None,
                "speaker": c.speaker,
                "document": document_json(c.document),
            }
            for c in answer.citations
        ],
        "suggestions": answer.suggestions,
    }


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


def source_html(document: DocumentRef) -> str:
    """The document's name, linked when it has a URL, and its date."""
    label = esc(document.label)
    if document.url:
        label = f'<a href="{html.escape(document.url, quote=True)}">{label}</a>'
    return f"{label}, {esc(date_text(document))}"


def citation_html(citation: Citation) -> list[str]:
    """A quote as a blockquote (split if huge), then who it is about and where it comes from."""
    org = citation.organisation.name if citation.organisation else "no single organisation"
    chunks = split_text(citation.quote, QUOTE_CHUNK)
    quotes = "".join(f"<blockquote>{esc(chunk)}</blockquote>" for chunk in chunks)
    return [f"{quotes}<i>{esc(citation.label)}</i> \u2014 {esc(org)} \u00b7 {source_html(citation.document)}"]


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


def answer_blocks(answer: Answer) -> list[str]:
    """The answer as paragraphs of HTML, each complete in itself (no tag spans two blocks)."""
    blocks = [f"<b>{esc(answer.summary)}</b>"]
    for citation, context in zip(answer.citations, lead_ins(answer.citations), strict=True):
        lead = f"<i>After \u201c{esc(context)}\u201d</i>\n" if context else ""
        blocks.append(lead + citation_html(citation)[0])  # a lead-in stays in the same message as its quote
    if answer.notes:
        blocks.append(esc("\n".join(answer.notes)))
    if answer.suggestions and not answer.candidates:
        blocks.append("You could ask:\n" + "\n".join(f"\u2022 {esc(s)}" for s in answer.suggestions))
    return blocks


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


def render_html(answer: Answer) -> list[str]:
    """The answer as one or more Telegram HTML messages."""
    return pack(answer_blocks(answer))


# -- announcing a new document to the chats that follow it (issue 12) ------------------------------

ANNOUNCED_FINDINGS = 3  # first findings quoted in an announcement


def web_link(url: str | None, label: str) -> str | None:
    """An HTML link to an http(s) URL, or None for anything else (a file name, a javascript: URL)."""
    if not url or not re.match(r"https?://[^\s<>\"]+$", url):
        return None
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(label, quote=False)}</a>'


def announcement_html(headline: Answer, document: DocumentRef) -> str:
    """One message telling a follower about a new document: its title (linked to its page), its date, what it
    holds and its first findings word for word, each with its kind and organisation; within Telegram's limit."""
    title = web_link(document.url, document.label) or html.escape(document.label, quote=False)
    lines = [f"<b>New document:</b> {title}", html.escape(f"{long_date(document.published, 'undated')}", quote=False)]
    if document.source_path and document.source_path != document.url and (pdf := web_link(document.source_path, "the document itself")):
        lines[-1] += f" \u00b7 {pdf}"
    lines.append(html.escape(headline.summary, quote=False))
    message = "\n".join(lines)
    for citation in headline.citations[:ANNOUNCED_FINDINGS]:
        org = citation.organisation.name if citation.organisation else "no single organisation"
        block = f"\n<blockquote>{html.escape(citation.quote, quote=False)}</blockquote><i>{html.escape(citation.label, quote=False)}</i> \u2014 {html.escape(org, quote=False)}"
        if visible_len(message + block) > MESSAGE_LIMIT - 100:
            break  # a quote is shown whole or not at all
        message += block
    if headline.more:
        message += f"\n\u2026and {headline.more} more: ask me about it."
    return message
