"""Fetching web pages politely and safely: the one place the knowledge base talks to other servers.

A Fetcher names the product and a contact URL in its User-Agent, obeys robots.txt, waits between requests
to one host, gives up on a server that hangs or trickles bytes, retries 429 and 5xx answers after the wait
the server asks for, follows redirects itself (to http and https only, checking each hop again), refuses a
body larger than the ingest limit before and while reading it, and checks the content type. Unless told
otherwise it never connects to a private, loopback or link-local address: the host name is resolved first,
every address checked, and the connection made to a checked address (so a second DNS answer cannot differ).
"""

import email.utils
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml", *PAGE_TYPES)
DOCUMENT_TYPES = ("application/pdf",)
RETRIED = {429, 500, 502, 503, 504}


class FetchFailed(Exception):
    """A URL could not be fetched; the message is a one-line reason for a person."""


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


def site_of(url: str) -> str:
    """The site a URL belongs to: its registrable domain ('justiceinspectorates.gov.uk' for
    'assets-hmicfrs.justiceinspectorates.gov.uk'), or the address itself for an IP or a single name."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    # A second-level name under a two-letter country (gov.uk, police.uk, co.uk): the site is one label more.
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"gov", "police", "co", "org", "ac", "nhs", "net", "ltd", "plc", "sch", "mod", "me", "com"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


# Blocks no public web page lives in, named here as well as left to `is_global`: the standard library's tables
# differ between Python versions (3.11.7 calls 192.0.0.9, 224.0.0.1 and fec0::1 global), and these must never change.
NOT_PUBLIC = tuple(ipaddress.ip_network(block) for block in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28", "2001:db8::/32",
    "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
))  # 2001::/23 outside the named parts is left to is_global, which knows its few global sub-blocks
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: a public IPv4 host seen from an IPv6-only network


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to an IPv4 host (IPv4-mapped, NAT64, 6to4), if any.

    Teredo (2001::/32) is refused as a whole, so its embedded client address needs no look."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def blocked_address(address: str) -> bool:
    """True for an address no public web page lives at; the one test of the client's address guard.

    Not global in the standard library's eyes, multicast, reserved, or in NOT_PUBLIC; an IPv4 address carried
    inside an IPv6 one is judged as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = embedded_ipv4(ip) or ip
    return not ip.is_global or ip.is_multicast or ip.is_reserved or any(ip in block for block in NOT_PUBLIC)


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
        max_wait: float = 60.0,
        allow_private: bool = False,
    ) -> None:
        self.user_agent = user_agent
        self.delay = delay
        self.max_bytes = max_bytes
        self.deadline = deadline  # seconds for one whole response, however slowly its bytes come
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait  # a Retry-After longer than this fails the URL instead of stalling the sync
        self.allow_private = allow_private
        # trust_env=False: a proxy from the environment would connect on our behalf, past the address check.
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": user_agent})
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}  # host -> the earliest time of its next request
        self._robots: dict[str, RobotFileParser] = {}
        self.requests = 0  # every request made, robots.txt included (for tests and the bench)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one URL ------------------------------------------------------------------------------

    def get(self, url: str, accept: tuple[str, ...] = PAGE_TYPES, *, etag: str | None = None, last_modified: str | None = None,
            same_site: str | None = None) -> Fetched:
        """GET a URL (following redirects), conditional when an ETag or Last-Modified is given. Raises FetchFailed.

        With same_site, a redirect that leaves that site is refused."""
        seen: set[str] = set()
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchFailed(f"the page redirects in a loop ({shown(current)})")
            seen.add(current)
            self.check_url(current, same_site)
            if not self.allowed(current):
                raise FetchFailed(f"robots.txt of {urlsplit(current).netloc} does not allow fetching {shown(current)}")
            response = self._request(current, etag=etag, last_modified=last_modified, accept=accept)
            if isinstance(response, str):  # a redirect's target
                current = urljoin(current, response)
                continue
            return response
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects from {shown(url)}")

    def check_url(self, url: str, same_site: str | None = None) -> None:
        """Refuse what is not an http(s) URL of a host we may contact."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchFailed(f"not an http or https link: {shown(url)}")
        if same_site and site_of(url) != same_site:
            raise FetchFailed(f"the link leads to another site ({parts.hostname}), not followed")

    def resolve(self, url: str) -> str:
        """The address to connect to for a URL's host, after checking every address it resolves to."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as error:
            raise FetchFailed(f"cannot find the host {host} ({error})") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not addresses:
            raise FetchFailed(f"cannot find the host {host}")
        if not self.allow_private:
            for address in addresses:
                if blocked_address(address):
                    raise FetchFailed(f"{host} resolves to a private or local address ({address}); not fetched")
        return addresses[0]

    def _wait_turn(self, host: str) -> None:
        """At most one request per `delay` seconds to one host, across threads."""
        if self.delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, 0.0))
            self._next_slot[host] = slot + self.delay
        if slot > now:
            time.sleep(slot - now)

    def _request(self, url: str, *, etag: str | None, last_modified: str | None, accept: tuple[str, ...], limit: int | None = None) -> "Fetched | str":
        """One URL, with retries on 429/5xx and timeouts; returns what it got, or a redirect's Location."""
        limit = limit or self.max_bytes
        headers = {"Accept": ", ".join(accept) + ", */*;q=0.1"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.retries + 1):
            address = self.resolve(url)
            parts = urlsplit(url)
            pinned = ipaddress.ip_address(address.split("%", 1)[0])
            netloc = f"[{pinned}]" if pinned.version == 6 else str(pinned)
            if parts.port:
                netloc += f":{parts.port}"
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            self._wait_turn(parts.hostname or "")
            self.requests += 1
            try:
                request = self.client.build_request("GET", target, headers={**headers, "Host": parts.netloc.rsplit("@", 1)[-1]},
                                                    extensions={"sni_hostname": parts.hostname})
                response = self.client.send(request, stream=True)
            except httpx.TimeoutException:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise FetchFailed(f"the server did not answer in time ({shown(url)})") from None
            except httpx.HTTPError as error:
                raise FetchFailed(f"cannot connect to {parts.hostname}: {type(error).__name__}") from None
            try:
                if response.status_code in RETRIED:
                    wait = retry_after(response.headers.get("Retry-After"))
                    if wait is None:
                        wait = self.backoff * 2**attempt
                    if attempt < self.retries and wait <= self.max_wait:
                        response.close()
                        time.sleep(wait)
                        continue
                    raise FetchFailed(f"the server answered {response.status_code} {response.reason_phrase} ({shown(url)})")
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchFailed(f"a redirect without a target ({shown(url)})")
                    return location
                if response.status_code == 304:
                    return Fetched(url, 304, etag=response.headers.get("ETag") or etag, last_modified=response.headers.get("Last-Modified") or last_modified)
                if response.status_code != 200:
                    raise FetchFailed(f"the server answered {response.status_code} {response.reason_phrase} ({shown(url)})")
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                content = self._body(response, url, limit)
                if not acceptable(content_type, content, accept):
                    raise FetchFailed(f"{shown(url)} is {content_type or 'of no stated type'}, not {' or '.join(dict.fromkeys(short_type(t) for t in accept))}")
                return Fetched(url, 200, content, content_type, response.headers.get("ETag"), response.headers.get("Last-Modified"))
            finally:
                response.close()
        raise AssertionError("unreachable")

    def _body(self, response: httpx.Response, url: str, limit: int) -> bytes:
        """The body, refused as soon as it is known to be too large or too slow."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(f"{shown(url)} is {int(declared) // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB")
        started = time.monotonic()
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():  # as the bytes come: a chunk size would wait to fill it
                size += len(chunk)
                if size > limit:
                    raise FetchFailed(f"{shown(url)} is larger than the limit of {limit // (1024 * 1024)} MB")
                if time.monotonic() - started > self.deadline:
                    raise FetchFailed(f"{shown(url)} came too slowly (not complete after {self.deadline:g} seconds)")
                chunks.append(chunk)
        except httpx.TimeoutException:
            raise FetchFailed(f"the server stopped sending {shown(url)}") from None
        except httpx.HTTPError as error:
            raise FetchFailed(f"the download of {shown(url)} broke off: {type(error).__name__}") from None
        return b"".join(chunks)

    # -- robots.txt ---------------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch this URL (read once per site and run)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            robots = self._robots.get(origin)
        if robots is None:
            robots = RobotFileParser()
            try:
                got = self._request(origin + "/robots.txt", etag=None, last_modified=None, accept=("text/plain",), limit=ROBOTS_MAX_BYTES)
                lines = got.content.decode("utf-8", "replace").splitlines() if isinstance(got, Fetched) else []
                robots.parse(lines)
            except FetchFailed as error:
                if " 404 " in str(error) or " 410 " in str(error):
                    robots.allow_all = True
                elif " 401 " in str(error) or " 403 " in str(error):
                    robots.disallow_all = True
                else:
                    raise FetchFailed(f"cannot read robots.txt of {parts.netloc}: {error}") from None
            with self._lock:
                self._robots[origin] = robots
        return robots.can_fetch(self.user_agent, url)


def acceptable(content_type: str, content: bytes, accept: tuple[str, ...]) -> bool:
    """Whether the body is of a type asked for (a PDF served as octet-stream counts as a PDF)."""
    if content_type in accept or (content_type == "text/plain" and "text/plain" in accept):
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
