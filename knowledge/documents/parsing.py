"""Parsing stored document text into findings: the walk over a page's blocks.

knowledge.documents.structure types the blocks of the page (headline, heading, paragraph, bullet ...) and splits
sentences; masthead reads what the page says of itself; speakers says whose words each part of a paragraph is;
each sentence of the inspectorate's own goes through rules.RULES, which decide its kind. Every finding is a span
(start, end) of the stored text; its text is always text[start:end].
"""

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from knowledge.documents.grades import grades_in, lead_grade
from knowledge.documents.kinds import CONCERN, CONCERN_THEN_RECOMMENDATION, COUNTED_FORCES, DEADLINE, lead_in_kind, section_kind, status_of
from knowledge.documents.masthead import MastheadReader, is_national
from knowledge.documents.names import Person
from knowledge.documents.paragraphs import QUOTE_OPENS, captioned, introduced, list_item
from knowledge.documents.passing import PARTNER_BEFORE, in_passing, one_of_many
from knowledge.documents.reading import Source
from knowledge.documents.rules import LONE_GRADE, RULES, Page, ParsedFinding, Unit, letter_author, note_inspector, once, signer
from knowledge.documents.speakers import Cast
from knowledge.documents.structure import Block, BlockKind, blocks, sentences, trim
from knowledge.documents.whole import DOCUMENT_RULES
from knowledge.matching import Mention, MentionFinder, normalise
from knowledge.models import Kind

# A sentence that names no organisation but refers back to the last one named ("The brigade ...", "Bosses at the London
# brigade ..."), on a page about none in particular.
LISTED = 3  # organisations a sentence names that make it about several of them, none in particular (nor what follows it)
SUBJECT_AFTER_LIST = re.compile(r"[^.;]*?,\s+(?:the (?:force|service|brigade|constabulary)|it(?! (?:said|says|added|found|reported|stated)\b))\s",
                                re.I)  # "Like A, B and C, the force was ...", not "..., it said"
LEADS_SENTENCE = re.compile(r"[\s\u201c\"]*(?:the\s+)?", re.I)  # before a sentence's subject
# "Kent Police, alongside Essex Police and ...", "Kent Police is one of five forces, along with ...": the others in an aside
ASIDE_OTHERS = re.compile(r"(?:\s*,\s*|\s+(?:is|was) one of [^.;]*?,?\s*)(?:alongside|along with|together with|as well as|like|including)\s+(?:the\s+)?", re.I)
WHICH_WERE = re.compile(r"[^.;]*?\b(?:which|who) (?:were|are|was|is|have|had)\b|\s*,\s*(?:were|are|have)\b", re.I)  # "..., which were all graded", "..., were told": theirs too
REFERS_BACK = re.compile(r"^(?i:the (?:force|service|brigade|constabulary)|it|its)\b|\bthe [A-Z]\w+ (?:brigade|force|service|constabulary)\b")
# "In 2021, inspectors had concerns about Hereford and Worcester Fire and Rescue Service. Its most recent report said ...":
# the sentence right after one about another organisation than the page's, opening with a word that points back at it
POINTS_BACK = re.compile(r"(?:Its|Their|The (?:force|service|brigade|constabulary)['\u2019]s|Again,)\s")  # not "It is understood", "They" (inspectors)
BETWEEN_SENTENCES = re.compile(r"[\s.!?\"\u201d\u2019)]*")
CONTINUES = re.compile(r"^(?:this|these) (?:is|was|are|were|means|meant|puts|put|makes|made|represents|compares)\b|\b(?:this|that) (?:target|figure|rate|standard|level)\b", re.I)
OBSERVATIONS = re.compile(r"(?:HMI|HM Inspector|Inspector)['\u2019]s (?:observations|summary)$", re.I)
COUNTS = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b", re.I)  # a lead-in that counts what follows
SUBJECT_PRONOUN = re.compile(r"\b(?:the (?:force|service|brigade|constabulary|organisation)|it|its|we|our)\b", re.I)
# "Despite workforce transfers to London Fire Brigade, the service's culture has improved": an organisation named as
# the object of a preposition in an opening clause, before a main clause whose subject is "the service", "it" or "we",
# is not what the sentence is about ("Although Kent Police improved, it ..." and "the inspection of Kent Police" are Kent's)
OPENING_CLAUSE = re.compile(r"(?:Despite|After|Following|Although|Though|While|Whilst|With|Since|Because of|Due to|As well as)\b[^,.;:]{0,200},\s+"
                            r"(?=(?:the (?:force|service|brigade|constabulary|organisation)|it|its|we|our)\b)", re.I)
OBJECT_BEFORE = re.compile(r"\b(?:to|from|into|by|with|at|for)\s+(?:the\s+)?$", re.I)
CONTENT_BLOCKS = (BlockKind.paragraph, BlockKind.quote, BlockKind.bullet)
CONTENT_WORD = re.compile(r"[a-z]{4,}")
RESTART = re.compile(r"\s*1[.)]\s")  # a numbered list's first item
REPORT_TITLE = re.compile(r"[^:\u2013]{3,80}(?::|\s\u2013)\s")  # "National child protection inspection: X" names a report, says no news  # the words two sentences must share to say the same thing


@dataclass
class ParsedDocument:
    """The findings of one document, the organisation it is about, and what the page says of itself."""

    subject_id: str | None
    findings: list[ParsedFinding]
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    doc_type: str | None = None
    cycle: str | None = None  # the inspection cycle its grades belong to


INITIALS_SKIPPED = frozenset({"and", "&", "of", "the"})  # words a name's initials leave out (Suffolk Fire and Rescue Service: SFRS)


class Parser:
    """Turns stored document text into findings, using the reference data to name organisations."""

    def __init__(self, mentions: MentionFinder) -> None:
        self.mentions = mentions
        self.reference = mentions.reference
        # The organisations whose areas overlap each one's (Thames Valley Police and Oxfordshire's fire service): a
        # sentence naming one of those places may still be about the page's organisation.
        self.overlapping: dict[str, set[str]] = {}
        for place in self.reference.places.values():
            for org in place.organisations:
                self.overlapping.setdefault(org, set()).update(place.organisations)
        self.masthead = MastheadReader(mentions)

    def parse_source(self, source: Source) -> ParsedDocument:
        """The findings of a document as read, with its title, publisher and link from the page."""
        return self.parse(source.text, section=source.section, title=source.title, publisher=source.publisher,
                          url=source.url, doc_type=source.doc_type, published=source.published)

    def parse(self, text: str, *, section: str | None = None, title: str | None = None, publisher: str | None = None,
              url: str | None = None, doc_type: str | None = None, published: dt.date | None = None) -> ParsedDocument:
        """All findings of a document, in text order."""
        typed = blocks(text)
        named = self._initials(text, self.mentions.find(text))
        strong = [m for m in named if m.strong]
        owners = [m for m in strong if not in_passing(text, m)]
        # a page on forces or services in general is not one organisation's for naming it in passing
        about = [m for m in owners if not one_of_many(text, m)] if is_national(text) else strong
        head = self.masthead.read(text, typed, [m for m in about if not m.shared], section=section, title=title, publisher=publisher, url=url, doc_type=doc_type, published=published,
                                  weak=[m for m in named if not m.strong])
        if head.subject:  # on one organisation's page, "like several forces, including Essex Police, the force ..." is still its own
            owners = [m for m in owners if not one_of_many(text, m)]
        page = Page(
            text=text, blocks=typed, starts=[m.start for m in owners], strong=owners, subject=head.subject, publisher_org=head.publisher_org,
            first_person=head.first_person, roundup=head.roundup, signatory=head.signatory, cast=Cast(self.mentions, head.subject, text=text),
            author=letter_author(text) if head.doc_type == "letter" or head.publisher == "HMICFRS" else None,  # not an email a news story quotes
        )
        page.place_subjects = self.masthead.places_as_subjects(text, [m for m in named if not m.strong])
        page.by_place = dict(self.masthead.subjects_by_place(head.title, page.place_subjects, strong))
        content = [b for b in typed if b.kind in CONTENT_BLOCKS]
        page.last_unit_end = content[-1].end if content else 0
        self._walk(page)
        self._headline(page)
        findings = once([f for f in page.findings if f.end > f.start], text)
        for rule in DOCUMENT_RULES:
            rule(text, findings, head.subject)
        return ParsedDocument(head.subject, findings, title=head.title, publisher=head.publisher, url=url, doc_type=head.doc_type, cycle=head.cycle)

    def _initials(self, text: str, named: list[Mention]) -> list[Mention]:
        """The mentions, an abbreviation read as the organisation the page names in full with those initials: "SFRS"
        on a page about Suffolk Fire and Rescue Service is Suffolk's, not the Scottish service's."""
        full = {m.organisation_id for m in named if m.strong and " " in text[m.start : m.end].strip()}
        by_initials: dict[str, set[str]] = {}
        for org in full:
            info = self.reference.organisations[org]
            for name in (info.name, *info.aliases):
                if " " in name:
                    by_initials.setdefault("".join(w[0] for w in name.split() if w.lower() not in INITIALS_SKIPPED).upper(), set()).add(org)
        out = []
        for m in named:
            word = text[m.start : m.end]
            owners = by_initials.get(word, set()) if word.isupper() and " " not in word else set()
            out.append(replace(m, organisation_id=next(iter(owners))) if len(owners) == 1 and m.organisation_id not in owners else m)
        return out

    # -- the walk over blocks --

    def _walk(self, page: Page) -> None:
        """Every block in order: headings set the section, labels the lead-in, and the rest make findings."""
        pending: Person | None = None  # "X said:" at the end of the last paragraph
        for number, block in enumerate(page.blocks):
            kind = block.kind
            if kind in (BlockKind.question, BlockKind.heading):
                pending = None
                if page.cast:
                    page.cast.spoke_last = False  # "What the families say" / "They said: ...": not the spokesperson before
                self._section(page, block, number)
            elif kind == BlockKind.label:
                self._label(page, block)
            elif kind in (BlockKind.table_row, BlockKind.bullet, BlockKind.paragraph, BlockKind.quote):
                if not page.roundup:
                    page.paragraph_org = None
                if kind == BlockKind.table_row:
                    self._table_row(page, block, number)
                elif kind == BlockKind.bullet or (kind == BlockKind.paragraph and pending is None and list_item(page, block)):
                    self._bullet(page, block)
                    pending = None
                else:
                    if pending is None and kind == BlockKind.quote and page.last_statement and self._previous_content_end(page, number) == page.last_statement[1]:
                        pending = page.last_statement[0]  # another paragraph of the same person's quotation
                    elif pending is None and kind == BlockKind.quote and number:
                        pending = introduced(page, page.blocks[number - 1], block)  # "HM Inspector Jo Sample launched the report." / "“...”"
                    if pending is None and kind == BlockKind.quote and (caption := captioned(page, block, page.blocks[number + 1] if number + 1 < len(page.blocks) else None)):
                        pending = page.cast.resolve(caption, None)  # "“...”" / "Essex PFCC Roger Hirst"
                    pending = self._paragraph(page, block, pending)
            # furniture, bylines, the headline and standfirsts make no findings

    def _headline(self, page: Page) -> None:
        """The headline that carries the news ("X has today been moved into an enhanced level of monitoring", "X needs
        urgent improvements") stays the title and is also a finding when it states one, so that it can be quoted:
        labelled "Headline", after the body's findings, unless a body sentence already says the same."""
        block = next((b for b in page.blocks if b.kind == BlockKind.headline), None)
        if block is None or len(page.text[block.start : block.end].split()) < 4 or REPORT_TITLE.match(page.text, block.start, block.end):
            return
        before = len(page.findings)
        page.paragraph_org, page.lead_in, page.lead_grade = None, None, None
        self._sentences(page, block, block.start, block.end)  # the publisher's words: a headline's "says X" quotes nobody
        body = [{w[:5] for w in CONTENT_WORD.findall(page.text[f.start : f.end].lower())} for f in page.findings[:before]]
        kept = []
        for f in page.findings[before:]:
            words = {w[:5] for w in CONTENT_WORD.findall(page.text[f.start : f.end].lower())}  # "supervision", "supervises": one stem
            says_the_same = any(len(words & other) >= 0.7 * len(words) for other in body) if words else True
            if (f.kind != Kind.context or f.status) and not says_the_same:
                f.label = "Headline"
                kept.append(f)
        page.findings[before:] = kept

    def _section(self, page: Page, block: Block, number: int) -> None:
        """A heading or a question heading starts a new section (a known heading names its kind)."""
        page.lead_in = None
        page.lead_grade = None
        if block.kind == BlockKind.heading:
            self._heading(page, block, page.text[block.start : block.end], number)
        else:
            page.section, page.observer = (None, None), None
            page.last_heading = page.text[block.start : block.end].strip()  # "How effective is the service at ...?" names what a grade below grades
        if page.roundup:
            page.paragraph_org = None

    @staticmethod
    def _label(page: Page, block: Block) -> None:
        """"Area for improvement:", "Within six months, the force should:": the kind (and deadline) of what follows. A
        failing stated just before recommendations with a deadline is a cause of concern (only those carry them), and
        the recommendations are its."""
        body = page.text[block.start : block.end]
        label_kind = lead_in_kind(body) or section_kind(body)[1] or page.section[1]
        deadline = DEADLINE.search(body)
        last = page.findings[-1] if page.findings else None
        if (deadline and label_kind == Kind.recommendation and last is not None and last.kind == Kind.area_for_improvement and last.speaker is None
                and not page.text[last.end : block.start].strip()):
            last.kind = Kind.cause_of_concern
            page.cause = len(page.findings) - 1
        page.lead_in = (None, label_kind, deadline.group(1) if deadline else None)
        page.lead_items = 0

    def _table_row(self, page: Page, block: Block, number: int) -> None:
        following = page.blocks[number + 1] if number + 1 < len(page.blocks) else None
        previous = page.blocks[number - 1] if number else None
        if following and following.kind == BlockKind.table_row and not (previous and previous.kind == BlockKind.table_row) and not grades_in(page.text[block.start : block.end]):
            return  # a table's header row ("Area | Grade") says nothing by itself
        self._unit(page, Unit(block.start, block.end, block))

    def _bullet(self, page: Page, block: Block) -> None:
        """A bullet takes its kind from the lead-in above it, or from its section. A numbered list that starts again at 1
        is another list; a numbered paragraph that ends with a colon ("... by 30 June 2019, the service should:") is the
        lead-in of the items under it."""
        text = page.text
        if page.lead_in and page.lead_items and RESTART.match(text, block.start, block.end):
            page.lead_in = None
        lead = page.lead_in
        if not lead and QUOTE_OPENS.search(text, block.start, block.end):
            runs, _ = page.cast.runs(text, block.start, block.end, None)
            if any(run.who is not None for run in runs):  # "• PCC Jo Sample said, “...”": a quotation, not an item of a list
                for run in runs:
                    if run.who is None:
                        self._sentences(page, block, run.start, run.end)
                    else:
                        self._statements(page, block, run.start, run.end, run.who, reported=run.reported)
                return
        unit_kind = (lead[1] if lead and lead[1] else None) or page.section[1]
        unit = Unit(block.start, block.end, block, kind=unit_kind, context=lead[0] if lead else None)
        found = self._unit(page, unit)
        page.lead_items += 1
        if found and lead and lead[2] and found.kind == Kind.recommendation:
            found.deadline = found.deadline or lead[2]
        if text[block.start : block.end].rstrip().endswith(":") and not (lead and lead[1]):
            last = sentences(text, block.start, block.end)[-1]
            words = text[last[0] : last[1]]
            deadline = DEADLINE.search(words)
            page.lead_in = (words, lead_in_kind(words) or page.section[1], deadline.group(1) if deadline else None)
            page.lead_items = 0

    @staticmethod
    def _previous_content_end(page: Page, number: int) -> int | None:
        for block in reversed(page.blocks[:number]):
            if block.kind in (BlockKind.paragraph, BlockKind.quote, BlockKind.bullet, BlockKind.heading, BlockKind.table_row):
                return block.end
        return None

    def _heading(self, page: Page, block: Block, body: str, number: int) -> None:
        page.observer = page.inspector if OBSERVATIONS.match(body.strip()) else None  # "HMI's observations": the inspector's words below
        if len(body.split()) <= 12 and "," in body:  # "Jo Sample, Her Majesty's Inspector of Constabulary": who observes below
            note_inspector(page, body)
        known, kind = section_kind(body)
        if not LONE_GRADE.fullmatch(body.strip()):
            page.last_heading = body.strip()
        if known:
            if not (kind == Kind.recommendation and page.section[1] == Kind.cause_of_concern):
                page.cause = None  # only recommendations straight under a cause of concern belong to it
            page.section = (re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", body).strip(), kind)
            return
        page.section = (None, None)
        s, e = trim(page.text, block.start, block.end)
        self._unit(page, Unit(s, e, block))  # a verdict, or no finding (rules.rule_verdict_heading)

    def _paragraph(self, page: Page, block: Block, pending: Person | None) -> Person | None:
        """A paragraph: quotations with their speakers, reported speech, and the inspectorate's own sentences.
        Returns the speaker whose quotation continues into the next paragraph, if any."""
        runs, carried = page.cast.runs(page.text, block.start, block.end, pending)
        if any(run.who is not None for run in runs):
            page.lead_in = None  # a person's words end the list a lead-in opened
        for run in runs:
            if run.who is None:
                self._sentences(page, block, run.start, run.end)
            else:
                self._statements(page, block, run.start, run.end, run.who, reported=run.reported)
        if runs and runs[-1].who is not None and page.text[block.start : block.end].rstrip().endswith(":"):
            # "He said they have moved the force into Engage because it:": the items after it are what he says it is
            # there for (the kind his words give them), as after the inspectorate's own lead-in.
            s, e = sentences(page.text, runs[-1].start, block.end)[-1]
            words = page.text[s:e]
            deadline = DEADLINE.search(words)
            page.lead_in = (words.strip(), lead_in_kind(words), deadline.group(1) if deadline else None)
            page.lead_items = 0
        return carried

    def _statements(self, page: Page, block: Block, start: int, end: int, who: Person, *, reported: bool = False) -> None:
        """A person's words: every sentence of the quotation (or the reported clause) goes through RULES as theirs."""
        text = page.text
        for s, e in [(start, end)] if reported else sentences(text, start, end):
            s, e = trim(text, s, e)
            if e > s:
                self._unit(page, Unit(s, e, block, speaker=who, reported=reported))

    def _sentences(self, page: Page, block: Block, start: int, end: int) -> None:
        """The inspectorate's own sentences, each through RULES; the last one before a colon introduces bullets."""
        text = page.text
        section_label, section = page.section
        units = []
        for s, e in sentences(text, start, end):
            context = None
            s, e = trim(text, s, e)
            quoted = page.cast.report_lead(text, s, e)
            if quoted is not None:
                # "The report also said that 'there are not enough ...'": quote the report's words only.
                context = text[s:quoted].strip()
                s, e = trim(text, quoted, e)
            if e > s:
                units += [Unit(clause_start, clause_end, block, kind=section, context=context) for clause_start, clause_end in self._clauses(text, s, e)]
        body = text[block.start : block.end].rstrip()
        introduces = body.endswith(":") and end >= block.end
        if units and introduces:
            units[-1].lead_in = True
            units[-1].label_only = len(units) == 1 and len(body.split()) <= 8 and not COUNTS.search(body)  # "It made 43 recommendations, which include:" counts
        added = []
        for unit in units:
            found = self._unit(page, unit)
            if found:
                found.label = found.label or section_label
                added.append(found)
        label_only = bool(units) and units[-1].label_only and units[-1].drop
        if label_only:
            # No finding, but in a round-up a label that names an organisation ("Lancashire Constabulary:") says
            # whose the sentences after it are.
            self._organisation(page, *trim(text, units[-1].start, units[-1].end))
        if section == Kind.cause_of_concern and (added or label_only):
            page.cause = len(page.findings) - len(added)  # (after a label, the next finding)
        if end >= block.end:
            self._introduce(page, body, added, section, label_only=label_only, last=units[-1] if units else None)

    @staticmethod
    def _introduce(page: Page, body: str, added: list[ParsedFinding], section: str | None, *, label_only: bool, last: Unit | None) -> None:
        """After a paragraph ending in a colon, what follows takes its kind, with its last sentence as context (and the
        one grade it names, if it names one: "Other areas rated 'requires improvement' include:")."""
        page.lead_grade = lead_grade(last.start, last.end, page.text) if last is not None and body.endswith(":") else None
        if body.endswith(":") and label_only:
            page.lead_in = (None, lead_in_kind(body) or section, None)  # "Its grades were:"
            page.lead_items = 0
        elif body.endswith(":") and added:
            page.lead_in = (page.text[added[-1].start : added[-1].end], lead_in_kind(body) or section, None)
            page.lead_items = 0
        else:
            page.lead_in = None

    @staticmethod
    def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
        """'issued a cause of concern about X, and recommended that Y': the concern and its recommendation, apart."""
        words = text[start:end]
        split = CONCERN_THEN_RECOMMENDATION.search(words)
        if not (split and CONCERN.search(words, 0, split.start())):
            return [(start, end)]
        return [trim(text, start, start + split.start()), trim(text, start + split.end(), end)]

    def _unit(self, page: Page, unit: Unit) -> ParsedFinding | None:
        """Run one unit through RULES and add its finding (with organisation, deadline, status) to the page."""
        text = page.text
        if unit.block.kind == BlockKind.bullet:
            unit.start, unit.end = trim(text, unit.start, unit.end)
        for rule in RULES:
            rule(unit, page)
            if unit.drop:
                return None
            if unit.done:
                break
        f = unit.finding
        if f is None:
            return None
        f.start, f.end = trim(text, unit.start, unit.end)
        if f.end <= f.start:
            return None
        words = text[f.start : f.end]
        f.context = f.context or unit.context
        if f.context is None:
            f.context = self._referred_to(page, unit, f, words)
        f.status = status_of(words)
        if unit.speaker is None and unit.block.kind != BlockKind.heading:  # a deadline is the inspectorate's, in a sentence
            deadline = DEADLINE.search(words) or (DEADLINE.search(f.context) if f.context and f.kind == Kind.recommendation else None)
            f.deadline = deadline.group(1) if deadline else None
        if f.kind == Kind.recommendation and page.cause is not None:
            f.cause = page.cause
        f.organisation_id = None if unit.general else self._owner(page, unit, f)
        if (who := signer(page, unit)) is not None and unit.speaker is None and not f.speaker and unit.block.kind != BlockKind.table_row:
            # Under "HMI's observations" the whole summary is the inspector's, signed: "The force has a commendably strong
            # focus on victims" as much as "I have been impressed" (the finding keeps the kind its words give it); so is a letter
            f.speaker, f.role = who.name, who.role
        if unit.speaker is not None:
            page.last_statement = (unit.speaker, unit.block.end)
        page.findings.append(f)
        return f

    @staticmethod
    def _referred_to(page: Page, unit: Unit, f: ParsedFinding, words: str) -> str | None:
        """"This is the fastest among all rural services", "it exceeded this target": the sentence before in the paragraph,
        which the words point back to, as the lead-in shown with them (and searched with them)."""
        last = page.findings[-1] if page.findings else None
        if last is None or last.start < unit.block.start or last.speaker or not CONTINUES.search(words):
            return None
        return page.text[last.start : last.end]

    def _owner(self, page: Page, unit: Unit, f: ParsedFinding) -> str | None:
        """The organisation a finding is about: a speaker's own; in a round-up, the one their words name; a
        publisher's unnamed spokesperson's, the publisher; otherwise the sentence's subject."""
        who = unit.speaker
        if who is not None and page.roundup:
            named = {m.organisation_id for m in page.strong if f.start <= m.start and m.end <= f.end}
            return who.organisation_id or (next(iter(named)) if len(named) == 1 else None)
        if who is not None:
            return who.organisation_id or self._organisation(page, f.start, f.end)
        if f.kind == Kind.statement and not f.speaker and f.role == "spokesperson":
            return page.publisher_org or self._organisation(page, f.start, f.end)
        return self._organisation(page, f.start, f.end)

    def _named_as(self, mention: Mention, words: str, own: str) -> bool:
        """Whether a place a sentence names is the page's organisation itself: its id, or the start of its name
        ("Hampshire" of Hampshire and Isle of Wight Constabulary)."""
        return mention.organisation_id == own or normalise(self.reference.organisations[own].name).startswith(normalise(words[mention.start : mention.end]))

    def _about_others(self, words: str, mentions: list[Mention], own: str) -> bool:
        """A sentence that names no organisation in full is still not the page's organisation's when it names only
        other places ("Fire services in Warwickshire and Worcestershire made progress", on a page about West Midlands
        Fire Service) or counts forces or services in general ("one in seven forces are now rated as failing"). A
        partner's place ("working with Northshire") and one inside the page's area ("rural Oxfordshire" on a Thames
        Valley page) are no other organisation's."""
        places = [m for m in mentions if not PARTNER_BEFORE.search(words, max(0, m.start - 30), m.start) and not one_of_many(words, m)]
        near = self.overlapping.get(own, set())
        if places:  # "The force was slower than forces in Essex and Sussex": still the page's, which comes first
            return (not any(m.organisation_id in near or self._named_as(m, words, own) for m in places)
                    and not SUBJECT_PRONOUN.search(words, 0, places[0].start))
        return COUNTED_FORCES.search(words) is not None

    @staticmethod
    def _listed(page: Page, start: int, end: int, named: list[Mention], inherited: str | None) -> str | None:
        """Whose a sentence naming LISTED organisations or more is: the first, when it is the sentence's subject alone ("Kent
        Police, alongside Essex Police and Sussex Police, was praised"); the inherited one when "the force" or "it" is
        ("Like A, B and C, the force was graded"); else no one's ("A, B and C were", "along with A, B and C, the two forces")."""
        text, first = page.text, named[0]
        if inherited and SUBJECT_AFTER_LIST.match(text, named[-1].end, end):
            return inherited
        aside = ASIDE_OTHERS.fullmatch(text, first.end, named[1].start) and not WHICH_WERE.match(text, named[-1].end, end)
        return first.organisation_id if LEADS_SENTENCE.fullmatch(text, start, first.start) and aside else None

    def _organisation(self, page: Page, start: int, end: int) -> str | None:
        """The sentence's subject: the organisation it names first, unless "the force"/"it"/"we" comes before;
        then the paragraph's (in a round-up, the last one named); then the document's."""
        i = bisect_left(page.starts, start)
        named = []
        while i < len(page.strong) and page.strong[i].start < end:
            if page.strong[i].end <= end:
                named.append(page.strong[i])
            i += 1
        named = [m for m in named if not PARTNER_BEFORE.search(page.text, max(start, m.start - 30), m.start)] if page.subject else named
        inherited = page.paragraph_org or page.subject
        carried, page.carried = page.carried, None
        served = next((orgs for at, orgs in page.place_subjects.items() if start <= at <= start + 3), frozenset()) if not named else frozenset()
        if page.last_named in served and page.last_named != inherited:
            return page.last_named  # "Norfolk Fire and Rescue Service also ...", "Norfolk was rated ...": the one just named, not the page's
        if not named and (placed := next((org for at, org in page.by_place.items() if start <= at <= start + 3), None)):
            return placed  # "Cheshire was praised for ...", on a page about police forces: Cheshire Constabulary
        if not named:
            words = page.text[start:end]
            mentions = page.cast.mentions.find(words) if inherited is not None and page.cast else []  # its places, read once
            if carried and BETWEEN_SENTENCES.fullmatch(page.text, carried[1], start) and POINTS_BACK.match(page.text, start) \
                    and not any(self._named_as(m, words, inherited) for m in mentions):
                return carried[0]  # one sentence only: the page's own organisation is what a longer run of "it" is about
            if inherited is None and page.last_named and REFERS_BACK.search(words):
                return page.last_named  # "The brigade ...": the one named just before
            if inherited is not None and self._about_others(words, mentions, inherited):
                return None
            return inherited
        first = named[0]
        page.last_named = first.organisation_id
        if inherited and (first.organisation_id == inherited or SUBJECT_PRONOUN.search(page.text, start, first.start)):
            return inherited
        opening = OPENING_CLAUSE.match(page.text, start, end)
        if inherited and opening and all(m.end <= opening.end() and OBJECT_BEFORE.search(page.text, max(start, m.start - 20), m.start) for m in named):
            return inherited
        if page.subject and any(m.organisation_id == page.subject for m in named) and not page.roundup:
            return page.subject
        if len({m.organisation_id for m in named}) >= LISTED and (listed := self._listed(page, start, end, named, inherited)) != first.organisation_id:
            page.paragraph_org = None  # "along with A, B, C and D, the two forces ...": several, none in particular
            return listed  # (or "Like A, B and C, the force ...": the page's)
        page.paragraph_org = first.organisation_id
        if first.organisation_id != page.subject:
            page.carried = (first.organisation_id, end)
        return first.organisation_id
