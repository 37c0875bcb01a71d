"""Fetching web pages politely and safely: the one place the knowledge base talks to other servers.

A Fetcher names the product and a contact URL in its User-Agent, obeys robots.txt (knowledge.web.robots), waits
between requests to one host, retries 429 and 5xx answers after the wait the server asks for (within a bound),
follows redirects itself (to http and https only, checking each hop again), refuses a body larger than the ingest
limit before and while reading it, and checks the content type. Unless told otherwise it never connects to
an address that is not public (knowledge.web.addresses): the host name is resolved first, every address checked,
and the connection made to a checked address (so a second DNS answer cannot differ).

Every URL has one budget of time: the DNS look-up, robots.txt, the politeness wait, each connect, TLS
handshake, header and body read of every redirect and retry, and every wait a server asks for, must all fit
in it, however slowly the bytes come; a stop signal cuts any of them short within a tenth of a second
(knowledge.web.sockets).
"""

import contextlib
import email.utils
import ipaddress
import math
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from knowledge.web.addresses import blocked_address, site_of
from knowledge.web.robots import ROBOTS_MAX_BYTES, Robots
from knowledge.web.sockets import STEP, AnswerFailed, Budget, FetchFailed, FetchStopped, Silent, StopSignal, bounded_client, why_stopped

MAX_REDIRECTS = 5
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml", *PAGE_TYPES)
DOCUMENT_TYPES = ("application/pdf",)
ANY_TYPE = ("*/*",)
RETRIED = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Fetched:
    """What a GET returned: the final URL (after redirects), status 200 or 304, and the body of a 200."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def unchanged(self) -> bool:
        return self.status == 304


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass(frozen=True)
class Ask:
    """What one get asks for: the types it takes, a conditional request's validators, and its limits."""

    accept: tuple[str, ...]
    etag: str | None = None
    last_modified: str | None = None
    limit: int = 0
    retries: int = 0
    robots: bool = False  # the URL is a robots.txt: its own rules are not looked up, and it is cut at `limit`, not refused

    def headers(self) -> dict[str, str]:
        headers = {"Accept": ", ".join(self.accept) + ("" if self.accept == ANY_TYPE else ", */*;q=0.1")}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class Fetcher:
    """A polite, bounded HTTP client (see the module's docstring). Safe to share between threads."""

    def __init__(
        self,
        user_agent: str,
        *,
        delay: float = 1.0,
        max_bytes: int = 20 * 1024 * 1024,
        timeout: float = 20.0,
        deadline: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        allow_private: bool = False,
        allow_networks: Iterable[str] = (),
        stop: StopSignal | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.max_bytes = max_bytes
        self.timeout = timeout  # seconds of silence (to connect, or between bytes) before a server is taken not to answer
        self.deadline = deadline  # seconds for one URL in all: redirects, retries, waits, however slowly the bytes come
        self.retries = retries  # for 429 and 5xx answers; a silent server is asked again once at most
        self.backoff = backoff
        self.max_wait = max_wait  # a Retry-After longer than this fails the URL for this sync instead of stalling it
        self.allow_private = allow_private
        self.allow_networks = tuple(ipaddress.ip_network(network) for network in allow_networks)  # not public, yet allowed
        self.stop = stop  # once set, every wait and every request in flight ends within STEP seconds (FetchStopped)
        self._local = threading.local()
        self.client = bounded_client(user_agent, timeout, self._budget, ssl_context)
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}  # host -> the earliest time of its next request
        self._addresses: dict[tuple[str, int], str] = {}  # (host, port) -> the checked address, for the Fetcher's life
        self.robots = Robots(user_agent, self._read_robots)  # each origin's rules, for the Fetcher's life (one sync)
        self.requests = 0  # every request made, robots.txt included (for tests and the bench)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _budget(self) -> Budget:
        """The calling thread's budget; outside a get, only the stop signal bounds a wait."""
        return getattr(self._local, "budget", None) or Budget(math.inf, self.stop)

    @contextlib.contextmanager
    def _spending(self, budget: Budget) -> Iterator[Budget]:
        previous = getattr(self._local, "budget", None)
        self._local.budget = budget
        try:
            yield budget
        finally:
            self._local.budget = previous

    # -- one URL ------------------------------------------------------------------------------

    def get(self, url: str, accept: tuple[str, ...] = PAGE_TYPES, *, etag: str | None = None, last_modified: str | None = None,
            same_site: str | None = None, stop: StopSignal | None = None) -> Fetched:
        """GET a URL (following redirects), conditional when an ETag or Last-Modified is given. Raises FetchFailed.

        With same_site, a redirect that leaves that site is refused. All of it fits in `deadline` seconds; `stop` (a
        sync's, say) cuts it short like the Fetcher's own stop signal."""
        with self._spending(Budget(self.deadline, stop if stop is not None else self.stop)) as budget:
            return self._follow(url, Ask(accept, etag, last_modified, self.max_bytes, self.retries), budget, same_site)

    def _follow(self, url: str, ask: Ask, budget: Budget, same_site: str | None) -> Fetched:
        """The redirects from url, each hop checked (scheme, site, address, robots.txt) before it is asked."""
        seen: set[str] = set()
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchFailed(f"the page redirects in a loop ({shown(current)})")
            seen.add(current)
            self.check_url(current, same_site)
            address = self.resolve(current, budget)
            if not ask.robots and not self.allowed(current, budget):
                raise FetchFailed(f"robots.txt of {urlsplit(current).netloc} does not allow fetching {shown(current)}")
            got = self._request(current, address, ask, budget)
            if isinstance(got, Fetched):
                return got
            current = urljoin(current, got)
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects from {shown(url)}")

    def check_url(self, url: str, same_site: str | None = None) -> None:
        """Refuse what is not an http(s) URL of a host we may contact."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchFailed(f"not an http or https link: {shown(url)}")
        try:
            parts.port  # noqa: B018 - raises on a port out of range
        except ValueError:
            raise FetchFailed(f"not a valid port: {shown(url)}") from None
        if same_site and site_of(url) != same_site:
            raise FetchFailed(f"the link leads to another site ({parts.hostname}), not followed")

    def resolve(self, url: str, budget: Budget | None = None) -> str:
        """The address to connect to for a URL's host, after checking every address it resolves to (once a Fetcher)."""
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        with self._lock:
            known = self._addresses.get((host, port))
        if known:
            return known
        addresses = self._look_up(host, port, budget or self._budget())
        for address in addresses:
            if not self.reachable(address):
                raise FetchFailed(f"{host} resolves to a private or local address ({address}); not fetched")
        with self._lock:
            self._addresses[(host, port)] = addresses[0]
        return addresses[0]

    def reachable(self, address: str) -> bool:
        """Whether the client may connect to an address: a public one, or one its settings allow."""
        if self.allow_private or not blocked_address(address):
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return any(ip in network for network in self.allow_networks)

    def _look_up(self, host: str, port: int, budget: Budget) -> list[str]:
        """Every address of a host, looked up in a thread of its own so a slow DNS server outlasts neither the
        budget nor a stop (the thread, left behind, ends with the resolver's own time-out)."""
        with contextlib.suppress(ValueError):
            return [str(ipaddress.ip_address(host))]
        found: dict[str, Any] = {}
        done = threading.Event()

        def look() -> None:
            try:
                found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as error:
                found["error"] = error
            finally:
                done.set()

        threading.Thread(target=look, name=f"look up {host}", daemon=True).start()
        while not done.wait(STEP):
            budget.check(f"cannot find the host {host} (no answer from DNS in time)")
        if "error" in found:
            raise FetchFailed(f"cannot find the host {host} ({found['error']})")
        addresses = list(dict.fromkeys(info[4][0] for info in found["infos"]))
        if not addresses:
            raise FetchFailed(f"cannot find the host {host}")
        return addresses

    def _wait_turn(self, host: str, budget: Budget) -> None:
        """At most one request per `delay` seconds to one host, across threads."""
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, 0.0))
            self._next_slot[host] = slot + self.delay
        if slot > now:
            budget.pause(slot - now, f"the turn to ask {host} again would come after the {self.deadline:g} seconds one URL may take")

    def _request(self, url: str, address: str, ask: Ask, budget: Budget) -> "Fetched | str":
        """One URL, asked again after a 429 or 5xx (after the wait asked, within bounds) and once after silence;
        returns what it got, or a redirect's Location."""
        forgiven = False  # a silent server is asked again once
        for attempt in range(ask.retries + 1):
            try:
                response = self._send(url, address, ask, budget)
            except Silent:
                if forgiven or attempt == ask.retries:
                    raise
                forgiven = True
                budget.pause(self.backoff * 2**attempt, f"the server did not answer in time ({shown(url)})")
                continue
            with contextlib.closing(response):
                if response.status_code not in RETRIED or attempt == ask.retries:
                    return self._answer(response, url, ask, budget)
                wait = self._wait_asked(response, attempt, url, budget)
            budget.pause(wait, f"no time left to ask again for {shown(url)}")
        raise AssertionError("unreachable")

    def _send(self, url: str, address: str, ask: Ask, budget: Budget) -> httpx.Response:
        """One request to the checked address, its headers read within the budget; the body is left to stream."""
        parts = urlsplit(url)
        pinned = ipaddress.ip_address(address.split("%", 1)[0])
        netloc = f"[{pinned}]" if pinned.version == 6 else str(pinned)
        if parts.port:
            netloc += f":{parts.port}"
        target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        self._wait_turn(parts.hostname or "", budget)
        budget.check(f"no time was left to ask for {shown(url)}")
        with self._lock:
            self.requests += 1
        budget.heard = False
        request = self.client.build_request("GET", target, headers={**ask.headers(), "Host": parts.netloc.rsplit("@", 1)[-1]},
                                            extensions={"sni_hostname": parts.hostname})
        try:
            return self.client.send(request, stream=True)
        except httpx.TimeoutException:
            raise self._timed_out(url, budget) from None
        except httpx.HTTPError as error:
            raise FetchFailed(f"cannot connect to {parts.hostname}: {type(error).__name__}") from None

    def _timed_out(self, url: str, budget: Budget) -> FetchFailed:
        """What a time-out was: a stop, a slow server out of time, a server that went quiet, or a silent one."""
        if budget.stopped:
            return FetchStopped(f"{why_stopped(budget.stop)} while fetching {shown(url)}")
        if budget.left() <= 0:
            if budget.heard:
                return FetchFailed(f"{shown(url)} came too slowly (not complete after {self.deadline:g} seconds)")
            return FetchFailed(f"the server did not answer in time ({shown(url)}: nothing in {self.deadline:g} seconds)")
        if budget.heard:
            return FetchFailed(f"the server stopped sending {shown(url)}")
        return Silent(f"the server did not answer in time ({shown(url)})")

    def _wait_asked(self, response: httpx.Response, attempt: int, url: str, budget: Budget) -> float:
        """How long to wait before asking again after a 429 or 5xx: the Retry-After, or a backoff; refused when too long."""
        asked = retry_after(response.headers.get("Retry-After"))
        wait = self.backoff * 2**attempt if asked is None else asked
        answer = f"the server answered {response.status_code} {response.reason_phrase} and asks to wait {seconds(wait)} s"
        if wait > self.max_wait:
            raise AnswerFailed(response.status_code, f"{answer}, longer than the {seconds(self.max_wait)} s this client waits; {shown(url)} is left for the next sync")
        if wait > budget.left():
            raise AnswerFailed(response.status_code, f"{answer}, longer than the time left of the {seconds(self.deadline)} s one URL may take ({shown(url)})")
        return wait

    def _answer(self, response: httpx.Response, url: str, ask: Ask, budget: Budget) -> "Fetched | str":
        """What an answer holds: a redirect's Location, a 304, or a 200's body of an acceptable type."""
        status = response.status_code
        if status in REDIRECTS:
            location = response.headers.get("Location")
            if not location:
                raise FetchFailed(f"a redirect without a target ({shown(url)})")
            return location
        if status == 304:
            return Fetched(url, 304, etag=response.headers.get("ETag") or ask.etag, last_modified=response.headers.get("Last-Modified") or ask.last_modified)
        if status != 200:
            raise AnswerFailed(status, f"the server answered {status} {response.reason_phrase} ({shown(url)})")
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        content = self._body(response, url, ask, budget)
        if not acceptable(content_type, content, ask.accept):
            raise FetchFailed(f"{shown(url)} is {content_type or 'of no stated type'}, not {' or '.join(dict.fromkeys(short_type(t) for t in ask.accept))}")
        return Fetched(url, 200, content, content_type, response.headers.get("ETag"), response.headers.get("Last-Modified"))

    def _body(self, response: httpx.Response, url: str, ask: Ask, budget: Budget) -> bytes:
        """The body, refused as soon as it is known to be too large (a robots.txt is cut instead); its reads keep to the budget."""
        limit = ask.limit
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit and not ask.robots:
            raise FetchFailed(f"{shown(url)} is {int(declared) // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB")
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():  # as the bytes come: a chunk size would wait to fill it
                chunks.append(chunk)
                size += len(chunk)
                if size > limit and ask.robots:
                    break
                if size > limit:
                    raise FetchFailed(f"{shown(url)} is larger than the limit of {limit // (1024 * 1024)} MB")
        except httpx.TimeoutException:
            raise self._timed_out(url, budget) from None
        except httpx.HTTPError as error:
            raise FetchFailed(f"the download of {shown(url)} broke off: {type(error).__name__}") from None
        return b"".join(chunks)[:limit]

    def allowed(self, url: str, budget: Budget | None = None) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch this URL (knowledge.web.robots: read once per
        origin for the Fetcher's life; FetchFailed when it could not be read)."""
        return self.robots.allowed(url, budget or self._budget())

    def _read_robots(self, url: str, budget: Budget) -> bytes:
        """A robots.txt fetched like any page: redirects within its site, each hop checked; cut at ROBOTS_MAX_BYTES."""
        return self._follow(url, Ask(ANY_TYPE, limit=ROBOTS_MAX_BYTES, robots=True), budget, site_of(url)).content


def seconds(value: float) -> str:
    """Seconds as a person reads them: 59, 0.05."""
    return f"{value:.0f}" if value >= 10 else f"{value:.2g}"


def acceptable(content_type: str, content: bytes, accept: tuple[str, ...]) -> bool:
    """Whether the body is of a type asked for (a PDF served as octet-stream counts as a PDF)."""
    if content_type in accept or "*/*" in accept:
        return True
    if "application/pdf" in accept and content.startswith(b"%PDF-"):
        return content_type in ("", "application/octet-stream", "binary/octet-stream", "application/x-pdf")
    if any("xml" in a for a in accept) and content_type.endswith("+xml"):
        return True
    return False


def short_type(content_type: str) -> str:
    return {"text/html": "a web page", "application/pdf": "a PDF", "application/rss+xml": "a feed", "application/xhtml+xml": "a web page",
            "application/xml": "XML", "text/plain": "text"}.get(content_type, content_type)


def shown(url: str) -> str:
    """A URL as printed: at most 120 characters, control characters escaped."""
    safe = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in url)
    return safe if len(safe) <= 120 else safe[:117] + "..."
