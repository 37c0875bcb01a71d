"""Syncing: new inspection documents found on the web and ingested by themselves.

A source is an RSS or Atom feed, a sitemap or an HTML listing page. Each entry it lists is a web page on
the same site: the page is ingested as HTML, and the PDFs it offers on the same site (the report behind
"Get the report", a letter) are ingested with it, cited with the page's URL and their own URL kept, about
the same organisation. An entry is all or nothing: the page and its documents are all read before any is
stored, so a bad PDF fails the entry and stores nothing of it; then its documents, their outbox rows and the record
of every URL are written in one transaction (through knowledge.ingest), so a failure there leaves none of them. What the server said of every URL (ETag,
Last-Modified, content hash, outcome) is remembered, so an entry seen before is skipped without a download
and an unchanged feed answers 304.
"""

import contextlib
import datetime as dt
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urldefrag, urljoin, urlsplit

from sqlmodel import Session

from knowledge.documents.bounded import Hints, Read, Readers
from knowledge.documents.reading import Limits, UnreadableDocument
from knowledge.ingest import READERS, readers_for, save_and_announce
from knowledge.models import SyncPage
from knowledge.state import outbox
from knowledge.state.database import naive_utc
from knowledge.state.store import Store
from knowledge.web.addresses import site_of
from knowledge.web.fetching import DOCUMENT_TYPES, FEED_TYPES, PAGE_TYPES, Fetched, Fetcher, FetchFailed
from knowledge.web.sockets import STEP, FetchStopped

SYNC_LEASE = "sync"  # the lease every sync takes: the bot's schedule, its /sync and the command line
SYNC_LEASE_SECONDS = 3600  # a worker that dies mid-sync holds the sync at most this long (or its time limit and 10 minutes)
SYNC_MAX_SECONDS = 30 * 60  # the time one sync may take in all; what it did not reach is synced next time
READ = "read"  # a source's record: its list was read and every entry of it synced (the next sync asks conditionally)
UNFINISHED = "unfinished"  # the sync stopped before the end of the list: the next one reads it whole again
UNFINISHED_BACKFILL = "unfinished back-fill"  # the same, of a source's first sync: the rest of it still comes in quietly
MAX_DOCUMENTS_PER_PAGE = 5  # a page offering more PDFs than this is a listing, not a report's page
MAX_SITEMAPS = 20  # nested sitemaps read from one sitemap index
ASSET = re.compile(r"\.(?:css|js|png|jpe?g|gif|svg|ico|webp|woff2?|ttf|mp[34]|zip|docx?|xlsx?|csv|odt|ods)$", re.IGNORECASE)
DOCUMENT_LINK_TEXT = re.compile(r"\b(?:get|read|download)\b.{0,20}\b(?:report|letter|document|pdf)\b", re.IGNORECASE)
SITEMAP_NS = re.compile(r"^\{[^}]*\}")


@dataclass(frozen=True)
class Entry:
    """A page a source lists."""

    url: str
    source: str
    title: str | None = None


@dataclass
class EntryResult:
    """What happened to one entry: added (with the documents stored), unchanged (seen before, or 304), or
    failed with a one-line reason. A source that cannot be read at all is reported as a failed entry too."""

    url: str
    source: str
    status: str  # added | unchanged | failed
    reason: str | None = None
    documents: list[int] = field(default_factory=list)  # ids of the documents this entry added
    titles: list[str] = field(default_factory=list)
    downloads: int = 0  # bodies downloaded for it (a 304 or a skip downloads nothing)
    quiet: bool = False  # stored as a back-fill: not announced

    def as_json(self) -> dict:
        return {"url": self.url, "source": self.source, "status": self.status, "reason": self.reason,
                "documents": self.documents, "titles": self.titles, "downloads": self.downloads, "announced": not self.quiet and bool(self.documents)}


# -- sources -> entries ---------------------------------------------------------------------------


def looks_like_xml(content: bytes) -> bool:
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf"))


def feed_entries(content: bytes, source: str) -> list[tuple[str, str | None]]:
    """(link, title) of every entry of an RSS or Atom feed; refuses what is not one."""
    import feedparser

    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        raise FetchFailed(f"the feed is not valid RSS or Atom ({type(parsed.bozo_exception).__name__})")
    if not parsed.entries and not parsed.feed:
        raise FetchFailed("the feed has no entries and is not RSS or Atom")
    out = []
    for item in parsed.entries:
        link = item.get("link") or next((li.get("href") for li in item.get("links", []) if li.get("href")), None)
        if link:
            out.append((urljoin(source, link), item.get("title")))
    return out


def sitemap_locations(content: bytes) -> tuple[str, list[str]]:
    """('urlset' or 'sitemapindex', the <loc> of each entry) of a sitemap."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        raise FetchFailed(f"the sitemap is not valid XML ({error})") from None
    kind = SITEMAP_NS.sub("", root.tag)
    locations = [(el.text or "").strip() for el in root.iter() if SITEMAP_NS.sub("", el.tag) == "loc"]
    return kind, [loc for loc in locations if loc]


def page_links(content: bytes, base: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) of each link in a page's content, navigation left out."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(content)
    except (ValueError, lxml.etree.ParserError):
        return []
    for furniture in tree.xpath("//nav | //header | //footer | //aside | //script | //style"):
        furniture.drop_tree()
    main = tree.xpath("//main") or [tree]
    out = []
    for anchor in main[0].iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            out.append((urldefrag(urljoin(base, href))[0], " ".join(anchor.text_content().split())))
    return out


def listing_entries(content: bytes, source: str) -> list[tuple[str, str | None]]:
    """The pages an HTML listing links to on its own site (not itself, not assets)."""
    site = site_of(source)
    own = urldefrag(source)[0].rstrip("/")
    out: dict[str, str | None] = {}
    for url, label in page_links(content, source):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and site_of(url) == site and url.rstrip("/") != own and parts.path.strip("/") and not ASSET.search(parts.path):
            out.setdefault(url, label or None)
    return list(out.items())


def document_links(content: bytes, page: str) -> tuple[list[str], list[str]]:
    """(same-site document URLs a page offers, other sites' document URLs left alone)."""
    site = site_of(page)
    wanted, elsewhere = [], []
    for url, label in page_links(content, page):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or url == page:
            continue
        if parts.path.lower().endswith(".pdf") or DOCUMENT_LINK_TEXT.search(label):
            (wanted if site_of(url) == site else elsewhere).append(url)
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(elsewhere))


# -- the sync ---------------------------------------------------------------------------------------


class Halt:
    """One sync's stop signal: the caller's stop (the bot stopping) or the sync's time running out, whichever comes
    first. The fetcher and the reader processes look at it every STEP seconds, so either cuts any request, wait or
    read in hand short."""

    def __init__(self, stop: threading.Event | None, seconds: float) -> None:
        self.stop = stop
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def is_set(self) -> bool:
        return (self.stop is not None and self.stop.is_set()) or time.monotonic() >= self.ends

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep up to `timeout` seconds, waking as soon as the signal is set; whether it is."""
        until = self.ends if timeout is None else min(self.ends, time.monotonic() + timeout)
        while not self.is_set() and (left := until - time.monotonic()) > 0:
            if self.stop is not None:
                self.stop.wait(min(STEP, left))
            else:
                time.sleep(min(STEP, left))
        return self.is_set()

    @property
    def reason(self) -> str:
        if self.stop is not None and self.stop.is_set():
            return "the sync was stopped"
        return f"the sync's {self.seconds / 60:g} minutes were up" if self.seconds >= 60 else f"the sync's {self.seconds:g} seconds were up"


@dataclass
class Syncer:
    """Syncs sources into a store through a fetcher. quiet=None: a source's first sync is a back-fill
    (stored, never announced), later ones are announced; True or False forces it."""

    store: Store
    fetcher: Fetcher
    quiet: bool | None = None
    recheck: bool = False  # ask again (conditionally) about entries seen before instead of skipping them
    workers: int = 4  # entries fetched and read at once (the per-host delay still holds across them)
    stop: threading.Event | None = None  # set: the request or read in hand is cut short, no entry starts, the rest waits for the next sync
    max_seconds: float = SYNC_MAX_SECONDS  # the whole sync's time: then it stops as if told to (SYNC_MAX_MINUTES in the bot)
    readers: Readers | None = None  # reused reader processes (a sync starts its own); None: one process per document
    limits: Limits | None = None  # bounds on reading and parsing each page and document (None: the store's, see ingest.limits_for)
    halt: Halt | None = None  # this sync's stop signal and clock (sync and sync_url start them)

    def read(self, data: bytes, name: str, source_path: str, hints: Hints) -> Read:
        """A page or document read and parsed in a bounded reader process, cut short by a halt."""
        if self.readers is not None:
            return self.readers.read(data, name, source_path, hints, stop=self.halt)
        with readers_for(self.store, self.limits, size=0) as readers:
            return readers.read(data, name, source_path, hints, stop=self.halt)

    def get(self, url: str, accept: tuple[str, ...], **conditions: object) -> Fetched:
        """The fetcher's get, cut short by a halt."""
        return self.fetcher.get(url, accept, stop=self.halt, **conditions)

    def stop_signal(self) -> threading.Event | None:
        """The stop to heed: the Syncer's, else the one its Fetcher was made with."""
        return self.stop if self.stop is not None else self.fetcher.stop

    def halted(self) -> bool:
        return self.halt is not None and self.halt.is_set()

    def record(self, pages: list[dict]) -> None:
        """Write what the server said of these pages (outbox.record_sync), in a transaction of its own."""
        self.store.write(lambda session: outbox.record_sync(session, pages))

    def sync(self, sources: Iterable[str]) -> Iterator[EntryResult]:
        """Every entry of every source, in order, one result each; a bad source or entry never stops the rest. A stop,
        or the end of `max_seconds`, cuts short what is in hand (storing nothing of it) and starts nothing more: one
        result says what was not reached, and the next sync reads those sources' lists whole again."""
        with readers_for(self.store, self.limits, size=READERS) if self.readers is None else contextlib.nullcontext(self.readers) as readers:
            run = replace(self, readers=readers, halt=Halt(self.stop_signal(), self.max_seconds))
            for source in sources:
                if run.halted():
                    yield EntryResult(source, source, "failed", f"not read: {run.halt.reason}; it is read at the next sync")
                    continue
                yield from run.sync_source(source)

    def sync_source(self, source: str) -> Iterator[EntryResult]:
        """Every entry of one source, `workers` at a time; when halted, what was not reached is left for next time."""
        try:
            entries, quiet = self.entries_of(source)
        except Exception as error:  # noqa: BLE001 - a bad source never stops the next one
            reason = self.cut_short() or (str(error) if isinstance(error, FetchFailed) else f"{type(error).__name__}: {error}")
            if not self.halted():  # a halt says nothing of the source: what was recorded of it last time stands
                self.record([{"url": source, "outcome": "failed", "reason": reason}])
            yield EntryResult(source, source, "failed", f"cannot read the source: {reason}")
            return
        with self.store.reading() as session:
            known = outbox.sync_pages(session, (e.url for e in entries))
        left = 0
        with ThreadPoolExecutor(max(1, self.workers)) as pool:
            for result in pool.map(lambda e: self.sync_entry(e, known.get(e.url), quiet=quiet), entries):
                if result is None:
                    left += 1
                else:
                    yield result
        if self.halted():  # its list is read whole next time, so nothing it holds is missed behind a 304
            self.record([{"url": source, "outcome": UNFINISHED_BACKFILL if quiet else UNFINISHED, "reason": self.halt.reason}])
        if left:
            yield EntryResult(source, source, "failed", f"{left} of its entries not reached: {self.halt.reason}; they are synced next time")

    def cut_short(self) -> str | None:
        """The reason for a failure when the sync was halted (whatever broke then, the halt is why), else None."""
        return f"cut short: {self.halt.reason}; it is tried again at the next sync" if self.halted() else None

    def entries_of(self, source: str) -> tuple[list[Entry], bool]:
        """The entries a source lists now (none when it answers 304), and whether they come in quietly."""
        with self.store.reading() as session:
            previous = outbox.sync_pages(session, [source]).get(source)
            first = not outbox.source_synced(session, source) or (previous is not None and previous.outcome == UNFINISHED_BACKFILL)
        quiet = self.quiet if self.quiet is not None else first
        conditional = previous if previous and previous.outcome == READ and not self.recheck else None
        got = self.get(source, FEED_TYPES, etag=conditional and conditional.etag, last_modified=conditional and conditional.last_modified)
        if got.unchanged:  # nothing new listed; the entries that failed last time are tried again
            with self.store.reading() as session:
                return [Entry(url, source) for url in outbox.failed_sync_pages(session, source)], quiet
        links = self.links_of(got, source)
        self.record([{"url": source, "etag": got.etag, "last_modified": got.last_modified, "outcome": READ}])
        return [Entry(url, source, title) for url, title in dict(links).items()], quiet

    def links_of(self, got: Fetched, source: str) -> list[tuple[str, str | None]]:
        if looks_like_xml(got.content) or "xml" in got.content_type:
            if re.search(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", got.content[:2048]):
                kind, locations = sitemap_locations(got.content)
                if kind != "sitemapindex":
                    return [(loc, None) for loc in locations]
                pages: list[tuple[str, str | None]] = []
                for nested in locations[:MAX_SITEMAPS]:
                    self.fetcher.check_url(nested, site_of(source))
                    inner = self.get(nested, FEED_TYPES, same_site=site_of(source))
                    pages += [(loc, None) for loc in sitemap_locations(inner.content)[1]]
                return pages
            return feed_entries(got.content, got.url)
        if got.content_type in PAGE_TYPES:
            return listing_entries(got.content, got.url)
        raise FetchFailed(f"the source is {got.content_type or 'of no stated type'}, not a feed, sitemap or web page")

    def sync_entry(self, entry: Entry, known: SyncPage | None, *, quiet: bool = False) -> EntryResult | None:
        """Fetch, read and store one entry, all or nothing; never raises. None: not started, the sync being halted."""
        if known is not None and known.outcome != "failed" and not self.recheck:
            return EntryResult(entry.url, entry.source, "unchanged")
        if self.halted():
            return None
        try:
            return self._sync_entry(entry, known, quiet)
        except (FetchFailed, UnreadableDocument) as error:
            reason = str(error)
        except Exception as error:  # noqa: BLE001 - one broken entry never stops the sync
            reason = f"{type(error).__name__}: {error}"
        reason = self.cut_short() or reason
        self.record([{"url": entry.url, "source": entry.source, "outcome": "failed", "reason": reason}])
        return EntryResult(entry.url, entry.source, "failed", reason)

    def _sync_entry(self, entry: Entry, known: SyncPage | None, quiet: bool) -> EntryResult:
        conditional = known if known is not None and known.outcome != "failed" else None
        got = self.get(entry.url, PAGE_TYPES + DOCUMENT_TYPES, etag=conditional and conditional.etag,
                       last_modified=conditional and conditional.last_modified, same_site=site_of(entry.source))
        if got.unchanged:
            self.record([{"url": entry.url, "source": entry.source, "etag": got.etag, "last_modified": got.last_modified,
                          "content_hash": known.content_hash, "document_id": known.document_id, "outcome": "unchanged"}])
            return EntryResult(entry.url, entry.source, "unchanged")
        read = self.read_entry(entry, got)
        if self.halted():  # all of it was read, yet the sync is over: an entry cut short stores nothing
            raise FetchStopped(self.halt.reason)
        return self.store_entry(entry, read, quiet=quiet)

    def read_entry(self, entry: Entry, got: Fetched) -> list[tuple[dict, Read]]:
        """The entry's page (or PDF) and the documents it offers on its site, each read and parsed, with the record
        of what the server said of it; all are downloaded and read before any is stored. Its PDFs are cited with the
        page, share its publisher when they name none, and are about the organisation it is about."""
        page_url = got.url
        first = {"url": entry.url, "source": entry.source, "etag": got.etag, "last_modified": got.last_modified}
        if got.content_type not in PAGE_TYPES:  # the entry is a PDF itself
            read = [(first, self.read(got.content, "document.pdf", page_url, Hints(url=page_url)))]
        else:
            read = [(first, self.read(got.content, "page.html", page_url, Hints(url=page_url)))]
            offered = Hints(url=page_url, publisher=read[0][1].parsed.publisher)  # the page's publisher offers its PDFs
            wanted, _elsewhere = document_links(got.content, page_url)
            with self.store.reading() as session:
                seen = outbox.sync_pages(session, wanted)
            for url in wanted[:MAX_DOCUMENTS_PER_PAGE]:
                if url in seen and seen[url].outcome != "failed":
                    continue  # offered by another page too, and stored then
                document = self.get(url, DOCUMENT_TYPES, same_site=site_of(entry.source))
                record = {"url": url, "source": entry.source, "page_url": page_url, "etag": document.etag, "last_modified": document.last_modified}
                read.append((record, self.read(document.content, "document.pdf", url, offered)))  # source_path: its own URL
        subject = next((r.parsed.subject_id for _, r in read if r.parsed.subject_id), None)
        for _, document in read:
            document.parsed.subject_id = document.parsed.subject_id or subject  # a report's PDF is about the page's organisation
            document.parsed.url = page_url  # the page is the citation link
        return read

    def store_entry(self, entry: Entry, read: list[tuple[dict, Read]], *, quiet: bool) -> EntryResult:
        """Save the entry's documents, their outbox rows and the record of every URL in ONE transaction: all of the
        entry or none of it (a document that fails fails the entry)."""

        def write(session: Session) -> EntryResult:
            result = EntryResult(entry.url, entry.source, "unchanged", downloads=len(read), quiet=quiet)
            outcomes = save_and_announce(session, [(r.source, r.parsed) for _, r in read], quiet=quiet)
            for (record, r), saved in zip(read, outcomes, strict=True):
                source, document = r.source, r.parsed
                if isinstance(saved, Exception):
                    raise saved
                record.update(content_hash=source.content_hash, document_id=saved.document_id, outcome="added" if saved.added else "unchanged")
                if saved.added:
                    result.status = "added"
                    result.documents.append(saved.document_id)
                    result.titles.append(document.title or source.title or entry.title or document.url)
            outbox.record_sync(session, [record for record, _ in read])
            return result

        result = self.store.write(write)
        if result.documents:
            self.store.forget_caches()
        return result

    def sync_url(self, url: str) -> EntryResult:
        """One page given by hand (an admin's link): asked for again even if seen before (conditionally), and
        announced."""
        try:
            self.fetcher.check_url(url)
        except FetchFailed as error:
            return EntryResult(url, url, "failed", str(error))
        with self.store.reading() as session:
            known = outbox.sync_pages(session, [url]).get(url)
        result = replace(self, recheck=True, halt=Halt(self.stop_signal(), self.max_seconds)).sync_entry(Entry(url, url), known, quiet=False)
        return result or EntryResult(url, url, "failed", "not fetched: the bot is stopping")


# -- when to sync ------------------------------------------------------------------------------------


def run_sync(syncer: Syncer, sources: Iterable[str], *, worker: str | None = None, every: dt.timedelta | None = None,
             each: Callable[[EntryResult], None] | None = None, mark_synced: bool = True) -> list[EntryResult] | None:
    """The one policy of every sync (the bot's schedule, its /sync, the command line): sync the sources holding the
    database's sync lease, so that one worker or command syncs at a time; None, having done nothing, when another
    holds it or, for a scheduled sync (`every`: its interval), when a sync finished less than half an interval ago.
    `each` hears of every entry as it is done. At the end the sync is marked finished (unless mark_synced is
    False: sources other than the scheduled ones) and the lease let go. The sync takes at most `syncer.max_seconds`
    (SYNC_MAX_SECONDS unless the caller says otherwise), and stops at once when `syncer.stop` is set."""
    store = syncer.store
    holder = worker or outbox.worker_name()
    lease = max(SYNC_LEASE_SECONDS, syncer.max_seconds + 600)  # outlasts the sync, whatever its time limit
    if not store.write(lambda session: outbox.take_lease(session, SYNC_LEASE, holder, lease)):
        return None
    try:
        if every is not None:
            with store.reading() as session:
                last = outbox.last_sync(session)
            if last and naive_utc() - last < every / 2:
                return None  # another worker ran this interval's sync
        results = []
        for result in syncer.sync(sources):
            results.append(result)
            if each is not None:
                each(result)
        if mark_synced:
            store.write(outbox.mark_synced)
        return results
    finally:
        store.write(lambda session: outbox.release_lease(session, SYNC_LEASE, holder))
