"""What a page says of itself: its title, publisher, kind of document, the organisation it is about (or that it
is a round-up of several), who signed it, and the inspection cycle its grades belong to."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

from knowledge.documents.names import Person, speaker_of
from knowledge.documents.speakers import FIRST_PERSON
from knowledge.documents.structure import Block, BlockKind, captions_a_person, is_furniture, sentences
from knowledge.lexicon import NEWSPAPER_WORDS, alternation
from knowledge.matching import Mention, MentionFinder, normalise

CYCLE = re.compile(r"\bPEEL (20\d\d)\s*(?:[\u2013/-]|to)\s*(?:20)?(\d\d)\b")
TITLE_CHARS = 200  # a first sentence standing in for a missing headline is cut to this, at a clause or a word
# A name on a line of its own: capitalised words ("Birmingham Mail", "Dorset & Wiltshire Fire and Rescue Service").
MASTHEAD = re.compile(r"^(?:The )?[A-Z][\w'\u2019.-]*(?:\s+(?:&|and|of|for|the|[A-Z][\w'\u2019.-]*)){0,7}$")
PICTURE_CODE = re.compile(r"\b[A-Z]{2,5}-\d{6}-\d{6,9}$")  # a picture desk's reference ending a caption: no publisher's name
SITE_LINKS = re.compile(r"^(?:contact us|about us|follow us|skip to (?:main )?content|back to top|site map|latest news|news and media"
                        r"|accessibility (?:options|settings|tools))$", re.I)  # links and controls, not names
HMICFRS_HOSTS = ("justiceinspectorates.gov.uk", "hmicfrs")
# Words of a page about policing or fire and rescue in general; NATIONAL_CUES of them on a page that names an
# organisation only once make it a national report.
NATIONAL = re.compile(r"\b(?:forces|services|brigades|across England|England and Wales|nationally|national|every force|all forces|police service|policing)\b", re.I)
NATIONAL_CUES = 3
# The last word of a newspaper's or magazine's name: a heading like this above the story is the masthead.
SENTENCE_START = re.compile(r"(?:^|\n|[.!?]\s)\s*\S\Z|\A\S", re.M)  # the mention's first letter starts a sentence
FORCES = re.compile(r"\b(?:forces?|constabular(?:y|ies))\b", re.I)  # a title on police forces ("Two forces urged to ...")
ACTS = re.compile(r"\s+(?:has|have|had|is|was|were|will|must|should|needs|now|still|remains|joins|joined)\b")  # ... and is its subject
# A title that speaks of fire and rescue ("Chief Fire Officer", "firefighters"), not "under fire" or "firearms", and of no police
FIRE_ONLY = re.compile(r"\b(?:fire|fires|firefight\w*|fire-fight\w*|wildfires?)\b", re.I)  # not "firearms"
POLICE_TOO = re.compile(r"\b(?:police|policing|constabulary|chief constable|crime commissioner)\b", re.I)
IDIOMS = re.compile(r"\bunder[- ]fire\b|\bfaces? fire\b|\bcame under fire\b|\bin the firing line\b", re.I)  # no fire service in them
NEWSPAPER = re.compile(rf"\b(?:{alternation(NEWSPAPER_WORDS)})$")


@dataclass(frozen=True)
class Masthead:
    """What the page says of itself, as the parser reads it."""

    title: str | None
    publisher: str | None
    publisher_org: str | None  # the organisation that published it (a force's or commissioner's own page)
    doc_type: str | None
    subject: str | None  # the organisation it is about
    roundup: bool  # about several: each sentence belongs to the organisation it names
    first_person: bool  # a force's or commissioner's own press release: "we" is the publisher
    signatory: Person | None
    cycle: str | None  # the inspection cycle its grades belong to


def newspaper_name(line: str) -> bool:
    """A newspaper's or magazine's name on a line of its own ("Kentshire Gazette"): a masthead, no headline."""
    return bool(MASTHEAD.match(line) and NEWSPAPER.search(line))


def title_of(text: str, typed: list[Block], title: str | None, names: Callable[[str], bool] = lambda _: True) -> str | None:
    """The page's own title, else its headline, else its first sentence (shortened at a word). A headline of a few
    words that names nothing (`names` says whether words name an organisation or place: "HMICFRS report", "National
    Update") says less than the first sentence, which is the title then."""
    if title and not is_furniture(title) and not captions_a_person(title):  # (a reader's title taken from the page's first line may be its furniture)
        return title
    for block in typed:
        if title and captions_a_person(title) and text[block.start : block.end].strip().endswith(title.strip()):
            continue  # the first line, a photo's caption
        if block.kind in (BlockKind.headline, BlockKind.standfirst):  # (a standfirst: under a newspaper's name taken for the headline)
            headline = text[block.start : block.end].strip()
            if (len(headline.split()) > 3 or names(headline)) and not newspaper_name(headline):
                return headline
        if block.kind in (BlockKind.paragraph, BlockKind.quote):
            spans = sentences(text, block.start, block.end)
            first = text[spans[0][0] : spans[0][1]].strip() if spans else ""
            if len(first) > TITLE_CHARS:
                # At the last clause break that leaves a sentence's worth (who did what), else at a word: a cut
                # after the first few words would read as a name ("Her Majesty's Inspectorate of ...…").
                clause = max(first.rfind(",", 60, TITLE_CHARS), first.rfind(";", 60, TITLE_CHARS))
                first = first[:clause] if clause > 0 else first[: first.rfind(" ", 0, TITLE_CHARS - 5)]
                first = first.rstrip(" ,;") + "\u2026"
            return first or None
    return None


def cycle_of(text: str, title: str | None, published: dt.date | None) -> str | None:
    """The inspection cycle ("2021-22") the page names, else the year it was published."""
    found = CYCLE.search(text[:5000]) or CYCLE.search(title or "")
    if found:
        return f"{found.group(1)}-{found.group(2)}"
    return str(published.year) if published is not None else None


INSPECTOR_SIGNS = re.compile(r"\bHM (?:Chief )?Inspector\b|\b(?:His|Her) Majesty.s (?:Chief )?Inspector\b|\bHMICFRS\b")
LETTER_END = 800  # how far from the end of a letter its signature is read


def signatory_of(text: str, typed: list[Block], publisher: str | None, subject: str | None) -> Person | None:
    """The person a first-person release is signed by ("Jane Doe, Police and Crime Commissioner for X")."""
    for block in reversed(typed):
        if block.kind in (BlockKind.heading, BlockKind.standfirst, BlockKind.furniture, BlockKind.byline):
            name, role = speaker_of(text[block.start : block.end])
            if name and role:
                return Person(name, role, subject)
    if publisher and re.search(r"Commissioner", publisher):
        return Person(None, "Police and Crime Commissioner", subject)
    return None


def masthead_publisher(text: str, typed: list[Block]) -> str | None:
    """A publisher named at the top of the page: a commissioner's office, a masthead line or cell, or the
    inspectorate's own breadcrumbs."""
    head = []
    for number, block in enumerate(typed):
        if number >= 6 or block.kind in (BlockKind.quote, BlockKind.bullet):
            break
        if block.kind == BlockKind.paragraph:
            continue
        head.append((block.kind, text[block.start : block.end].strip()))
    for kind, line in head:
        if re.match(r"^Office of the .*Commissioner\b", line):
            return line
        if " | " in line:
            first = line.split("|")[0].strip()
            if not re.match(r"^(?:home|news|menu)$", first, re.I) and MASTHEAD.match(first):
                return first  # "Liverpool Echo | Crime"
        elif kind in (BlockKind.standfirst, BlockKind.furniture) and MASTHEAD.match(line) and " " in line and not SITE_LINKS.match(line) \
                and not captions_a_person(line) and not PICTURE_CODE.search(line):  # not "Contents", nor a photo's caption ("Westshire Police Chief Constable Jo Sample", "... ABC-181207-155828001")
            return line  # "Southern Daily Echo", "Dorset & Wiltshire Fire and Rescue Service" on a line of its own
        elif kind in (BlockKind.heading, BlockKind.headline) and newspaper_name(line):
            return line  # a masthead laid out as a heading above the story
    if any(re.match(r"^home\s*>\s*(?:news|publications)\b", line, re.I) for _, line in head) and any(re.match(r"^published\b", line, re.I) for _, line in head):
        return "HMICFRS"  # the inspectorate's own page: breadcrumbs and a "Published:" line
    return None


def is_national(text: str) -> bool:
    """Whether a page speaks of forces or services in general (enough of its words are NATIONAL)."""
    return len(NATIONAL.findall(text)) >= NATIONAL_CUES


class MastheadReader:
    """Reads what a page says of itself, using the reference data to name organisations."""

    def __init__(self, mentions: MentionFinder) -> None:
        self.mentions = mentions
        self.reference = mentions.reference
        # A site's first label ("thamesvalley" of www.thamesvalley.police.uk) -> the organisation it is the site of:
        # every name and alias, spaces removed, built once rather than for every document with a link.
        self.site_names: dict[str, str] = {}
        self.police_names: set[str] = set()  # those of police forces: a site of theirs is on police.uk
        for org in self.reference.organisations.values():
            for name in (org.name, *org.aliases):
                self.site_names.setdefault(normalise(name).replace(" ", ""), org.name)
            if org.kind == "police":
                self.police_names.add(org.name)
        # "... at Barnsley's main police station": a town's station or service in a title that names no organisation
        towns = sorted(self.reference.places, key=len, reverse=True)
        self.towns = {t.lower(): t for t in towns}
        self.town_service = re.compile(rf"\b(?P<town>{alternation(towns)})(?:['\u2019]s)?\s+(?:main\s+|central\s+|new\s+)?"
                                       r"(?P<what>police station|police|custody suite|fire station|fire service|firefighters)\b", re.I)

    def read(self, text: str, typed: list[Block], strong: list[Mention], *, section: str | None = None, title: str | None = None,
             publisher: str | None = None, url: str | None = None, doc_type: str | None = None, published: dt.date | None = None,
             weak: Sequence[Mention] = ()) -> Masthead:
        """The masthead of a page, from its text and blocks, the organisations it names and what reading found."""
        title = title_of(text, typed, title, lambda words: bool(self.mentions.find(words)))
        publisher = self.publisher(text, typed, publisher, url)
        if publisher is None and doc_type == "report":
            publisher = "HMICFRS"  # a report is the inspectorate's (reading.doc_type_of: its own headings, site or title)
        if publisher is None and doc_type == "letter" and INSPECTOR_SIGNS.search(text[-LETTER_END:]):
            publisher = "HMICFRS"  # signed by one of His Majesty's Inspectors
        publisher_org = self.organisation_named(publisher) if publisher and publisher != "HMICFRS" else None
        if publisher_org and doc_type == "article" and (re.search(r"^(?:we|our)\b", title or "", re.I) or FIRST_PERSON.search(text[:2000])):
            doc_type = "press_release"
        subject, roundup = self.subject(title, section, strong, publisher_org, text=text, weak=weak)
        return Masthead(
            title, publisher, publisher_org, doc_type, subject, roundup, first_person=bool(publisher_org) and doc_type == "press_release",
            signatory=signatory_of(text, typed, publisher, subject), cycle=cycle_of(text, title, published),
        )

    def publisher(self, text: str, typed: list[Block], publisher: str | None, url: str | None) -> str | None:
        """Who published the page: its metadata, its link (the inspectorate, a force's site) or its masthead."""
        if url:
            host = urlparse(url).netloc.lower()
            if any(h in host for h in HMICFRS_HOSTS):
                return "HMICFRS"
        if publisher:
            return publisher
        if url:
            label = re.sub(r"^www\.", "", urlparse(url).netloc.lower()).split(".")[0]
            if len(label) > 3:
                named = self.site_names.get(label) or self.site_names.get(label.replace("police", ""))
                # www.suffolk.gov.uk is the county council's, not Suffolk Constabulary's: a force's sites are on police.uk
                if named and (named not in self.police_names or host.endswith(".police.uk")):
                    return named
        return masthead_publisher(text, typed)

    def organisation_named(self, words: str) -> str | None:
        """The one organisation a name stands for ("Thames Valley Police"; a commissioner's office is its force's)."""
        found = {m.organisation_id for m in self.mentions.find(words) if m.strong}
        if len(found) == 1:
            return next(iter(found))
        place = re.search(r"Commissioner for (?:the )?(.+)$", words)
        if place:
            for suffix in (" Police", " Constabulary"):
                found = {m.organisation_id for m in self.mentions.find(place.group(1).strip() + suffix) if m.strong}
                if len(found) == 1:
                    return next(iter(found))
        return None

    def _town_service(self, title: str) -> str | None:
        """The force (or fire service) of the town whose police station, police or fire service a title names ("detainees
        at Barnsley's main police station": South Yorkshire Police), when the town has one of that kind; else None."""
        m = self.town_service.search(title)
        return self._one_serving(m.group("town"), "fire" if m.group("what").lower().startswith("fire") else "police") if m else None

    def _one_serving(self, place_name: str, kind: str) -> str | None:
        """The one organisation of a kind (police, fire) that serves a place named as written ("King’s Lynn"), else None."""
        place = self.reference.places.get(self.towns.get(place_name.lower().replace("\u2019", "'"), ""))
        ours = [o for o in place.organisations if self.reference.organisations[o].kind == kind] if place else []
        return ours[0] if len(ours) == 1 else None

    def _placed(self, title: str, strong: list[Mention], text: str) -> str | None:
        """The one organisation named in full whose name starts with the place the title names ("Surrey 2018/19" on a
        page about Surrey Fire and Rescue Service), else None."""
        for weak in self.mentions.find(title):
            place = title[weak.start : weak.end].lower()
            named = {m.organisation_id for m in strong if text[m.start : m.end].lower().startswith(place)}
            if len(named) == 1:
                return named.pop()
        return None

    def _acting(self, text: str, weak: Sequence[Mention], strong: list[Mention]) -> str | None:
        """The organisation a page names by its place alone as the subject of its sentences ("Wiltshire has joined the
        Engage process", "Wiltshire has been confirmed as a failing force") at least twice, when no organisation is named
        in full more than once (a page about Wiltshire Police that names the Met once, in a list, is not the Met's), and
        none named in full shares the place (a fire service's page says "Wiltshire" of the service)."""
        acting = Counter(m.organisation_id for m in weak if SENTENCE_START.search(text, max(0, m.start - 3), m.start + 1) and ACTS.match(text, m.end))
        if not acting:
            return None
        top, n = acting.most_common(1)[0]
        named = Counter(m.organisation_id for m in strong)
        place = normalise(self.reference.organisations[top].name).split()[0]
        if n < 2 or (named and max(named.values()) > 1) or any(normalise(text[m.start : m.end]).startswith(place) for m in strong):
            return None
        return top

    def subjects_by_place(self, title: str | None, places: dict[int, frozenset[str]], strong: Sequence[Mention] = ()) -> list[tuple[int, str]]:
        """(where, which) for each sentence whose subject is a place (`places`: places_as_subjects) standing for an
        organisation ("Cheshire was praised ...", "Cheshire needs to ...") on a page whose title says which kind it is ("Two forces urged to improve"): the
        one organisation of that kind serving the place. None on a page whose title names no kind, nor for a place whose
        other organisation the page names in full ("Essex County Fire and Rescue Service ... Essex was rated")."""
        spoken = IDIOMS.sub(" ", title or "")
        fire, police = bool(FIRE_ONLY.search(spoken)), bool(POLICE_TOO.search(spoken) or FORCES.search(spoken))
        if fire == police:
            return []
        kind = "fire" if fire else "police"
        found = []
        for at, served in places.items():
            ours = [o for o in served if self.reference.organisations[o].kind == kind]
            if len(ours) == 1 and not any(s.organisation_id != ours[0] and s.organisation_id in served for s in strong):
                found.append((at, ours[0]))
        return found

    def places_as_subjects(self, text: str, weak: Sequence[Mention]) -> dict[int, frozenset[str]]:
        """Where a sentence's subject is a place ("Cheshire was praised ..."), and the organisations serving it."""
        subjects = {}
        for m in weak:
            place = self.reference.places.get(self.towns.get(text[m.start : m.end].lower().replace("\u2019", "'"), ""))
            if place and SENTENCE_START.search(text, max(0, m.start - 3), m.start + 1) and ACTS.match(text, m.end):
                subjects[m.start] = frozenset(place.organisations)
        return subjects

    def _pool(self, label: str, strong: list[Mention]) -> list[Mention]:
        """The mentions of the kind of organisation the page's label names (police or fire), or all of them."""
        kind = "fire" if "fire" in label else "police" if ("police" in label or "constabulary" in label) else None
        return [m for m in strong if not kind or self.reference.organisations[m.organisation_id].kind == kind] or strong

    def _of_kind(self, mention: Mention, title: str, kind: str | None) -> str:
        """The organisation a title's mention stands for: a place's name alone ("the people of Hampshire", under a chief
        fire officer's words) is its fire service when the title speaks of fire, not the force its name reads as."""
        if mention.strong or kind != "fire":
            return mention.organisation_id
        return self._one_serving(title[mention.start : mention.end], "fire") or mention.organisation_id

    def subject(self, title: str | None, section: str | None, strong: list[Mention], publisher_org: str | None, *,
                text: str = "", weak: Sequence[Mention] = ()) -> tuple[str | None, bool]:
        """(the organisation the document is about, whether it is a round-up of several). A page that names no
        organisation in its title, names one only once and speaks of forces or services in general is a national
        report: about none (one passing mention does not make the page that organisation's)."""
        if publisher_org:
            return publisher_org, False
        label = f"{section or ''} {title or ''}"
        pool = self._pool(label.lower(), strong)
        spoken = IDIOMS.sub(" ", label)
        pool_kind = "fire" if FIRE_ONLY.search(spoken) and not POLICE_TOO.search(spoken) else None  # a place alone in such a title: its fire service
        in_title = [self._of_kind(m, title, pool_kind) for m in self.mentions.find(title) if m.strong or not strong] if title else []
        if len(set(in_title)) == 1:
            return in_title[0], False  # (a place's name in the title counts when the page names no organisation in full)
        if not strong and title and (town := self._town_service(title)):
            return town, False
        placed = self._placed(title, strong, text) if title and strong and not in_title else None
        if placed:
            return placed, False
        acting = self._acting(text, weak, strong) if not in_title and not NATIONAL.search(title or "") else None  # not a national page
        if acting:
            return acting, False
        if not pool:
            return None, False
        counts = Counter(m.organisation_id for m in pool)
        top, n = counts.most_common(1)[0]
        if n == 1 and is_national(text):
            return None, False
        if len(counts) >= 3 and n < 0.5 * sum(counts.values()):
            return None, True  # a round-up: each sentence belongs to the organisation it names
        first = {}
        for m in pool:
            first.setdefault(m.organisation_id, m.start)
        return max(counts, key=lambda o: (counts[o], -first[o])), False
