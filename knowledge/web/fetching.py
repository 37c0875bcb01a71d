"""Fetching web pages politely and safely: the one place the knowledge base talks to other servers.

A Fetcher names the product and a contact URL in its User-Agent, obeys robots.txt, waits between requests
to one host, retries 429 and 5xx answers after the wait the server asks for (within a bound), follows
redirects itself (to http and https only, checking each hop again), refuses a body larger than the ingest
limit before and while reading it, and checks the content type. Unless told otherwise it never connects to
an address that is not public: the host name is resolved first, every address checked, and the connection
made to a checked address (so a second DNS answer cannot differ).

Every URL has one budget of time: the DNS look-up, robots.txt, the politeness wait, each connect, TLS
handshake, header and body read of every redirect and retry, and every wait a server asks for, must all fit
in it, however slowly the bytes come; a stop signal cuts any of them short within a tenth of a second. The
sockets are httpx's own stack on a network backend that waits in such short steps (see BoundedBackend).
"""

import contextlib
import email.utils
import errno
import functools
import ipaddress
import math
import os
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB; what comes after is cut off
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml", *PAGE_TYPES)
DOCUMENT_TYPES = ("application/pdf",)
ANY_TYPE = ("*/*",)
RETRIED = {429, 500, 502, 503, 504}
REDIRECTS = {301, 302, 303, 307, 308}
STEP = 0.1  # seconds: the longest any one blocking wait lasts before the stop signal and the clock are looked at again


class FetchFailed(Exception):
    """A URL could not be fetched; the message is a one-line reason for a person."""


class FetchStopped(FetchFailed):
    """The stop signal was given: nothing is wrong with the server, the URL is left for the next sync."""


class AnswerFailed(FetchFailed):
    """The server answered with a status that is not a page (kept, so robots.txt can tell 4xx from 5xx)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Silent(FetchFailed):
    """The server said nothing at all within the time-out: the one failure worth asking again, once."""


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


# -- the time a URL may take, and the sockets that keep to it -------------------------------------------


class Budget:
    """The time one URL may still take and the stop signal, looked at by every wait and every read made for it."""

    def __init__(self, seconds: float, stop: threading.Event | None = None) -> None:
        self.ends = time.monotonic() + seconds
        self.stop = stop
        self.heard = False  # some bytes of the current answer came (a slow server, not a silent one)

    @property
    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def left(self) -> float:
        return self.ends - time.monotonic()

    def check(self, reason: str) -> None:
        """Raise FetchStopped once the stop signal is given, or FetchFailed(reason) once the time is up."""
        if self.stopped:
            raise FetchStopped("stopped on request before it was complete")
        if self.left() <= 0:
            raise FetchFailed(reason)

    def step(self, until: float, expired: type[Exception]) -> float:
        """How long the next blocking wait may last; raises `expired` once stopped, out of time or past `until`."""
        left = min(until, self.ends) - time.monotonic()
        if self.stopped or left <= 0:
            raise expired("stopped" if self.stopped else "timed out")
        return min(STEP, left)

    def pause(self, seconds: float, reason: str) -> None:
        """Sleep, cut short by the stop signal; FetchFailed(reason) at once when the time left is shorter."""
        if seconds > self.left():
            raise FetchFailed(reason)
        if self.stop is None:
            time.sleep(max(0.0, seconds))
        elif self.stop.wait(max(0.0, seconds)):
            raise FetchStopped("stopped on request before it was complete")


def step_deadline(timeout: float | None) -> float:
    """When a wait with httpcore's per-operation time-out ends, on the monotonic clock."""
    return math.inf if timeout is None else time.monotonic() + timeout


class BoundedStream(httpcore.NetworkStream):
    """A socket whose every read, write and TLS handshake waits in steps of at most STEP seconds, so the
    budget's deadline and stop signal end it promptly, whatever the server does between its bytes."""

    def __init__(self, sock: socket.socket, budget: Callable[[], Budget]) -> None:
        self._sock = sock
        self._budget = budget

    def _bounded(self, operation: Callable[[], Any], timeout: float | None, expired: type[Exception], broken: type[Exception]) -> Any:
        budget, until = self._budget(), step_deadline(timeout)
        while True:
            self._sock.settimeout(budget.step(until, expired))
            try:
                return operation()
            except TimeoutError:  # this step passed quietly: look at the stop signal and the clock again
                continue
            except OSError as error:
                raise broken(str(error) or type(error).__name__) from error

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._bounded(lambda: self._sock.recv(max_bytes), timeout, httpcore.ReadTimeout, httpcore.ReadError)
        if data:
            self._budget().heard = True
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            sent = self._bounded(functools.partial(self._sock.send, view), timeout, httpcore.WriteTimeout, httpcore.WriteError)
            view = view[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None) -> "BoundedStream":
        try:
            sock = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname, do_handshake_on_connect=False)
            secure = BoundedStream(sock, self._budget)
            secure._bounded(sock.do_handshake, timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
        except BaseException:
            self.close()
            raise
        return secure

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":  # httpcore asks it which protocol was negotiated
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "socket":
            return self._sock
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "is_readable":  # an idle kept-alive connection the server has closed
            return self._sock.fileno() < 0 or readable(self._sock)
        return None


def readable(sock: socket.socket) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(0))


class BoundedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with a connect that waits in steps like BoundedStream's reads; `budget`
    gives the calling thread's budget (a Fetcher's get runs in one thread from its first byte to its last)."""

    def __init__(self, budget: Callable[[], Budget]) -> None:
        self._budget = budget

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> BoundedStream:
        budget, until = self._budget(), step_deadline(timeout)
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]  # an address already
        sock = socket.socket(family, kind, protocol)
        try:
            sock.setblocking(False)
            failure = sock.connect_ex(address)
            if failure in (errno.EINPROGRESS, errno.EWOULDBLOCK):
                with selectors.DefaultSelector() as selector:
                    selector.register(sock, selectors.EVENT_WRITE)
                    while not selector.select(budget.step(until, httpcore.ConnectTimeout)):
                        pass
                failure = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if failure:
                raise httpcore.ConnectError(os.strerror(failure))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            sock.close()
            raise
        return BoundedStream(sock, self._budget)


def bounded_client(user_agent: str, timeout: float, budget: Callable[[], Budget], ssl_context: ssl.SSLContext | None) -> httpx.Client:
    """An httpx client whose connections keep to the calling thread's budget."""
    context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx has no public seam for a network backend: its transport's pool is replaced by one built on ours.
    transport._pool = httpcore.ConnectionPool(ssl_context=context, network_backend=BoundedBackend(budget),
                                              max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    # trust_env=False: a proxy from the environment would connect on our behalf, past the address check.
    return httpx.Client(transport=transport, timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False,
                        headers={"User-Agent": user_agent})


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
        stop: threading.Event | None = None,
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
        self._robots: dict[str, RobotFileParser | str] = {}  # origin -> its rules, or why its host is skipped
        self._robots_locks: dict[str, threading.Lock] = {}
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
            same_site: str | None = None) -> Fetched:
        """GET a URL (following redirects), conditional when an ETag or Last-Modified is given. Raises FetchFailed.

        With same_site, a redirect that leaves that site is refused. All of it fits in `deadline` seconds."""
        with self._spending(Budget(self.deadline, self.stop)) as budget:
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
            return FetchStopped(f"stopped on request while fetching {shown(url)}")
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

    # -- robots.txt ---------------------------------------------------------------------------

    def allowed(self, url: str, budget: Budget | None = None) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch this URL. Raises FetchFailed, for every URL of
        the origin and the Fetcher's life, when robots.txt could not be read (RFC 9309: then nothing is fetched)."""
        parts = urlsplit(url)
        rules = self._robots_of(f"{parts.scheme}://{parts.netloc}", budget or self._budget())
        if isinstance(rules, str):
            raise FetchFailed(rules)
        return rules.can_fetch(self.user_agent, url)

    def _robots_of(self, origin: str, budget: Budget) -> RobotFileParser | str:
        """An origin's rules, read once however many threads ask at the same time."""
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        while not lock.acquire(timeout=STEP):
            budget.check(f"robots.txt of {urlsplit(origin).netloc} was still being read when the time for this URL ran out")
        try:
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin, budget)
            return self._robots[origin]
        finally:
            lock.release()

    def _read_robots(self, origin: str, budget: Budget) -> RobotFileParser | str:
        """robots.txt fetched like any page (redirects within the site, each hop checked) and asked for once: a
        4xx answer means no rules; anything else that is not a file (5xx, 429, a time-out, a redirect off the
        site) gives the reason its host is skipped. A stop is not remembered: it says nothing of the server."""
        host = urlsplit(origin).netloc
        rules = RobotFileParser()
        try:
            got = self._follow(origin + "/robots.txt", Ask(ANY_TYPE, limit=ROBOTS_MAX_BYTES, robots=True), budget, site_of(origin))
        except FetchStopped:
            raise
        except FetchFailed as error:
            if isinstance(error, AnswerFailed) and 400 <= error.status < 500 and error.status != 429:
                rules.allow_all = True
                return rules
            return f"robots.txt of {host} could not be read ({error}); nothing on {host} is fetched in this sync"
        rules.parse(got.content.decode("utf-8", "replace").splitlines())
        return rules


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
