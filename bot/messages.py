"""The bot's own messages in Telegram HTML: /help, /about and the glossary of the inspectorate's terms, the welcome,
the listings of /forces, /sources and /latest, and the announcement of a new document to its followers. With
render.py, the only module that knows HTML; it escapes and packs with render's functions."""

from collections.abc import Sequence

from bot.render import MESSAGE_LIMIT, WEB_URL, esc, linked, pack, source_line, table_grade, visible_len
from knowledge import Answer, DocumentRef
from knowledge.questions.progress import Timeline
from knowledge.questions.wording import long_date


def listing_html(document: DocumentRef, subject: str) -> str:
    """One document in a list (/sources, /latest): date, name linked when its address is known, whom it is about."""
    label = linked(document.url, esc(document.label))
    return f"\u2022 {esc(long_date(document.published, 'undated'))}: {label} \u2014 {esc(subject)}"


HELP = (
    "Ask about a police force, a fire and rescue service or a town, for example:\n"
    "{examples}"
    "\n\nI quote inspection documents word for word and say where each quote comes from. "
    "Under an answer, <i>Cite</i> gives one quote with its source, ready to paste.\n\n"
    "/ask <i>question</i> \u2014 ask (in groups, or mention me)\n"
    "/forces \u2014 forces and services I have findings for\n"
    "/sources \u2014 the documents I hold, newest first\n"
    "/latest \u2014 the newest documents added\n"
    "/grades <i>force</i> \u2014 its grades per area across inspections, as a picture\n"
    "/progress <i>force</i> \u2014 its concerns followed across later documents: has each been fixed?\n"
    "/follow <i>force or town</i> \u2014 hear when a new document about it arrives\n"
    "/unfollow <i>force or town</i> \u2014 stop (no name: stop them all; in a group, its admins only)\n"
    "/following \u2014 what this chat follows\n"
    "/forget \u2014 delete everything I store about this chat and you (a group's follows: its admins only)\n"
    "/about \u2014 sources, what \u201cverbatim\u201d means, licence, and what the inspectorate\u2019s terms mean\n"
    "In any chat, type @{bot} <i>question</i> to drop a cited quote into the conversation."
)

ABOUT = (
    "<b>About inspection-bot</b>\n\n"
    "I answer from inspection documents about the police forces of England and Wales, British Transport "
    "Police and the fire and rescue services of England: HMICFRS reports, press releases and news articles.\n\n"
    "<b>Verbatim.</b> Every quote is an exact slice of the stored text of its document, shown with the "
    "organisation, the document and its date. The stored text is what was extracted from the source file; "
    "the only changes are whitespace (wrapped lines joined, repeated spaces made one), ligatures expanded "
    "(\ufb01 \u2192 fi) and words hyphenated across PDF lines rejoined. Page furniture such as newsletter "
    "blurbs is left out. A news article can paraphrase or misdate; each quote says which document it is from.\n\n"
    "<b>Licence.</b> HMICFRS reports are published under the Open Government Licence v3.0, which allows "
    "quoting them with attribution. Place and force data: ONS lookups and data.police.uk (OGL v3).\n\n"
    "<b>Privacy.</b> I keep no message text. For /follow I keep only this chat's id, and which new documents I told it "
    "about (so I tell it once). For follow-up questions I keep, "
    "for 30 minutes, what this chat's last question was about (organisation ids, kind and topic words). "
    "To stop floods I count each user's questions, commands and button presses in the current minute (a number, "
    "never the words, deleted after the minute). /forget deletes all of these."
)


GLOSSARY = (
    "<b>What the terms mean</b> (HMICFRS\u2019s own definitions, in short)\n\n"
    "<b>PEEL</b>: police effectiveness, efficiency and legitimacy, the inspectorate\u2019s regular assessment of each "
    "police force in England and Wales. Since 2021/22 it grades areas of a force\u2019s work (responding to the public, "
    "investigating crime\u2026); grades from different cycles are not comparable.\n"
    "<b>Grades</b>, against the characteristics of good performance: <i>outstanding</i>, substantially exceeds them; "
    "<i>good</i>, shows substantially all of them; <i>adequate</i>, shows some of them, with areas to improve (since "
    "2021/22); <i>requires improvement</i>, shows few if any, with substantial areas to improve; <i>inadequate</i>, "
    "shows none of them, or has serious critical failings. Fire and rescue services are graded the same way.\n"
    "<b>Cause of concern</b>: a serious, critical or systemic shortcoming in practice, policy or performance. It "
    "always comes with one or more recommendations.\n"
    "<b>Area for improvement</b>: a less serious shortcoming, reported without a formal recommendation.\n"
    "<b>Recommendation</b>: what the force or service, or others, should do about it, often by a date.\n"
    "<b>Scan and Engage</b>: the inspectorate monitors every force. Scan is the routine phase; a force with serious "
    "problems that are not being put right is moved to Engage, enhanced monitoring (\u201cspecial measures\u201d in "
    "the press), until it improves.\n\n"
    "Sources: HMICFRS glossary (hmicfrs.justiceinspectorates.gov.uk/glossary/), its PEEL assessment framework and "
    "\u201cOur approach to monitoring forces\u201d; for fire, its fire and rescue service inspection framework."
)


def help_html(examples: list[str], bot_username: str) -> str:
    """/help: example questions (about organisations the bot holds findings for) and every command."""
    return HELP.replace("{examples}", "\n".join(f"\u2022 {esc(q)}" for q in examples)).replace("{bot}", bot_username)


def welcome_html(documents: int, organisations: int) -> str:
    """/start: what the bot does and how much it holds, leading to the example buttons."""
    return (
        "<b>Hello.</b> I answer questions about police and fire &amp; rescue inspections with quotes, "
        f"word for word, from {documents} document{'s' if documents != 1 else ''} about {organisations} organisation"
        f"{'s' if organisations != 1 else ''}. Each quote comes with its source and date.\n\nTry one of these, or type your own question:"
    )


def forces_html(counts: list[tuple[str, int]]) -> list[str]:
    """/forces: each organisation's name and number of findings, in as many messages as it takes."""
    lines = [f"{esc(name)}: {n} finding{'s' if n != 1 else ''}" for name, n in counts]
    return pack(["<b>Organisations I have findings for</b>", *lines])


def sources_html(listed: list[str]) -> list[str]:
    """/sources: the documents' lines (listing_html), newest first, in as many messages as it takes."""
    return pack(["<b>Documents, newest first</b>", *listed])


def latest_html(listed: list[str]) -> str:
    """/latest: the newest documents' lines (listing_html) in one message."""
    return "<b>Newest additions</b> (newest published first)\n" + "\n".join(listed)


# -- announcing a new document to the chats that follow it (issue 12) ------------------------------

ANNOUNCED_FINDINGS = 3  # first findings quoted in an announcement


def announcement_html(headline: Answer, document: DocumentRef, revisits: Sequence[Timeline] = ()) -> str:
    """One message telling a follower about a new document: its title (linked to its page), publisher and date,
    what it holds about whom (a sentence of its own), then its first findings word for word, each with its number
    and kind on a line of their own above the quote, so that copied text keeps them apart; then what it says of the
    organisation's earlier concerns (`revisits`), both quotes; within Telegram's limit."""
    title = linked(document.url, esc(document.label))
    lines = [f"<b>New document:</b> {title}", esc(source_line(document, link=False))]
    if document.source_path and document.source_path != document.url and WEB_URL.match(document.source_path):
        lines[-1] += f" \u00b7 {linked(document.source_path, 'the document itself')}"
    lines.append(esc(headline.summary))
    message, shown = "\n".join(lines), 0
    for number, citation in enumerate(headline.citations[:ANNOUNCED_FINDINGS], start=1):
        row = table_grade(citation)
        shown = f"{esc(row[0])}: <b>{esc(row[1])}</b>" if row else f"<blockquote>{esc(citation.quote)}</blockquote>"
        block = f"\n<i>{number}. {esc(citation.label)}</i>\n{shown}"
        if visible_len(message + block) > MESSAGE_LIMIT - 100:
            break  # a quote is shown whole or not at all
        message, shown = message + block, number
    if headline.more:
        message += f"\n\u2026and {headline.more} more: ask me about it."
    quoted = {c.finding_id: n for n, c in enumerate(headline.citations[:shown], start=1)}
    return message + revisits_html(revisits, quoted, {c.quote for c in headline.citations[:shown]}, MESSAGE_LIMIT - 100 - visible_len(message))


def revisits_html(revisits: Sequence[Timeline], quoted: dict[int, int], said: set[str], room: int) -> str:
    """What a new document says of earlier concerns: each concern as raised, then the new document's words on it and
    their status, both quoted and numbered on from the announcement's `quoted` findings (a finding among those is
    named by its number, not quoted twice; one whose words are `said` already is left out); as many as fit in `room`."""
    out, number, said = "", len(quoted) + 1, set(said)
    for t in revisits:
        [now] = t.later
        if t.raised.quote in said or t.raised.quote == now.citation.quote or (now.citation.finding_id not in quoted and now.citation.quote in said):
            continue  # the same words twice would not say which is which
        said |= {t.raised.quote, now.citation.quote}
        status = esc(f": {now.status_words} (\u201c{now.cue}\u201d)" if now.cue else "")
        earlier = (f"\n\n<b>It mentions an earlier concern</b>\n<i>{number}. {esc(t.raised.label)}, {esc(long_date(t.raised.document.published))}, "
                   f"{esc(t.raised.document.label)}</i>\n<blockquote>{esc(t.raised.quote)}</blockquote>\n")
        if now.citation.finding_id in quoted:
            block, used = f"{earlier}<i>In this document, quote {quoted[now.citation.finding_id]} above{status}</i>", 1
        else:
            block, used = f"{earlier}<i>{number + 1}. In this document{status}</i>\n<blockquote>{esc(now.citation.quote)}</blockquote>", 2
        if visible_len(out + block) > room:
            break
        out, number = out + block, number + used
    return out

