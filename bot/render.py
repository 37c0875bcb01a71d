"""Turning an Answer into what a person reads (plain text) or a program reads (JSON-ready dicts)."""

from itertools import groupby

from knowledge import Answer, Citation, DocumentRef


def date_text(document: DocumentRef) -> str:
    """'22 December 2021', or 'date unknown'."""
    return document.published.strftime("%-d %B %Y") if document.published else "date unknown"


def source_line(document: DocumentRef) -> str:
    """The line that names a document: label, date, and where it came from."""
    where = document.url or document.source_path
    return f"{document.label}, {date_text(document)}" + (f" ({where})" if where else "")


def citation_line(citation: Citation) -> str:
    """One quote with its kind and organisation, as a person reads it."""
    org = citation.organisation.name if citation.organisation else "no single organisation"
    return f"\u2022 {citation.label} \u2014 {org}:\n  \u201c{citation.quote}\u201d"


def render_text(answer: Answer) -> str:
    """The answer as plain text: summary, then quotes grouped by document, newest first."""
    lines = [answer.summary]
    for document, group in groupby(answer.citations, key=lambda c: c.document):
        lines += ["", f"From {source_line(document)}:"]
        lines += [citation_line(c) for c in group]
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
