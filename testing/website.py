"""A synthetic inspectorate web site on 127.0.0.1 for the sync tests: a news feed, a listing page, report
pages with a "Get the report" PDF, and every bad answer a real server can give (429, redirects in a loop,
hangs, trickles, 50 MB pages, robots.txt refusals). Every page and PDF says it is a synthetic test document."""

import hashlib
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from testing.pdfmaker import make_pdf

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@dataclass
class Route:
    """What the site answers for one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None  # a redirect's target
    etag: bool = True  # answer with an ETag (and 304 to If-None-Match)
    too_many: int = 0  # answer 429 with Retry-After this many times first
    retry_after: str = "1"
    hang: float = 0.0  # seconds to wait before answering at all
    trickle: float = 0.0  # seconds between single bytes of the body
    header_trickle: float = 0.0  # seconds between single bytes of the status line and headers
    declared_length: int | None = None  # a Content-Length other than the body's


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]
    bytes_sent: int = 0


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - a client that hung up is expected
        pass


class SiteHandler(BaseHTTPRequestHandler):
    """Requests to the site, answered from the routes of the Website it is made for (Website._handler)."""

    site: "Website"

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body as they are written, as a real server sends them

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        route = self.site.routes.get(path)
        hit = Hit(path, 404, dict(self.headers.items()))
        with self.site._lock:
            self.site.hits.append(hit)
        if route is None:
            return self._send(hit, 404, b"<html><body>Not found</body></html>", "text/html")
        if route.hang and self.site._stop.wait(route.hang):
            return
        if route.too_many:
            route.too_many -= 1
            return self._send(hit, 429, b"slow down", "text/plain", {"Retry-After": route.retry_after})
        if route.location is not None:
            return self._send(hit, route.status if route.status in (301, 302, 307, 308) else 302, b"", "text/plain", {"Location": route.location})
        headers = {}
        if route.etag:
            tag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
            headers["ETag"] = tag
            headers["Last-Modified"] = formatdate(1_700_000_000, usegmt=True)
            if self.headers.get("If-None-Match") == tag:
                return self._send(hit, 304, b"", None, headers)
        self._send(hit, route.status, route.body, route.content_type, headers, route)

    def _send(self, hit: Hit, status: int, body: bytes, content_type: str | None, headers: dict | None = None, route: Route | None = None) -> None:
        hit.status = status
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        length = route.declared_length if route and route.declared_length is not None else len(body)
        self.send_header("Content-Length", str(0 if status == 304 else length))
        try:
            if route and route.header_trickle:  # the status line and headers too: a per-read time-out never fires
                head, self._headers_buffer = b"".join(self._headers_buffer) + b"\r\n", []
                if not trickle(self.wfile, head, route.header_trickle, self.site._stop):
                    return
            else:
                self.end_headers()
            if status == 304:
                return
            if route and route.trickle:
                trickle(self.wfile, body, route.trickle, self.site._stop, hit)
            else:
                self.wfile.write(body)
                hit.bytes_sent = len(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@dataclass
class Website:
    """Routes by path, served on 127.0.0.1 in a thread; every request is recorded in `hits`."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    tls: ssl.SSLContext | None = None  # serve https with this server-side context

    def __post_init__(self) -> None:
        self.routes.setdefault("/robots.txt", Route(ROBOTS, "text/plain"))
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler())
        if self.tls is not None:
            self.server.socket = self.tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Website":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def downloads(self, prefix: str = "/") -> list[str]:
        """Paths whose body was sent (200 answers), robots.txt left out."""
        return [h.path for h in self.hits if h.status == 200 and h.path.startswith(prefix) and h.path != "/robots.txt"]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (SiteHandler,), {"site": self})


def trickle(wfile, data: bytes, pause: float, stop: threading.Event, hit: Hit | None = None) -> bool:
    """Write data one byte at a time, `pause` seconds apart; False when the site stopped first."""
    for i in range(len(data)):
        if stop.wait(pause):
            return False
        wfile.write(data[i : i + 1])
        wfile.flush()
        if hit is not None:
            hit.bytes_sent += 1
    return True


# -- the synthetic inspectorate's pages ------------------------------------------------------------


FORCES = {
    "norfolk": "Norfolk Constabulary",
    "kent": "Kent Police",
    "suffolk": "Suffolk Constabulary",
    "essex": "Essex Police",
    "cumbria": "Cumbria Constabulary",
    "devon": "Devon and Cornwall Police",
}


def report_page(slug: str, force: str, *, pdf: str | None = None, extra_links: str = "", day: str = "7 March 2024") -> bytes:
    """A report's web page shaped like the inspectorate's: navigation, a summary with findings, a PDF link."""
    link = f'<p><a href="{pdf}">Get the report</a></p>' if pdf else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>An inspection of {force} ({slug}, synthetic test document) - HMICFRS</title>
</head><body>
<header><nav><a href="/">Home</a> <a href="/publications/">Publications</a></nav></header>
<main><article>
<h1>An inspection of {force} ({slug})</h1>
<p>This synthetic test document is a web page made for the sync tests about {force}.</p>
<p class="meta">Published on: {day}</p>
<p>We found that {force} is good at preventing crime, and its officers work well with local partners ({slug}).</p>
<h2>Areas for improvement</h2>
<ul>
<li>The force should improve how it records the needs of victims of {slug} crime when it first records a crime.</li>
<li>The force should make sure that investigations into {slug} offences are supervised effectively.</li>
</ul>
{link}
{extra_links}
</article></main>
<footer><p><a href="/cookies/">Cookies</a> &#169; Crown copyright</p></footer>
</body></html>""".encode()


def report_pdf(slug: str, force: str) -> bytes:
    """The PDF behind a page's "Get the report" link."""
    pages = [[f"Synthetic test document \u2013 {force} full report ({slug})", "",
              f"This synthetic test document is the full report on {force} behind the web page ({slug}).",
              "",
              "Cause of concern",
              f"{force} does not always identify vulnerable people when they first call about {slug},",
              "and its response to them is too slow.",
              "",
              "Recommendations",
              "Within six months, the force should:",
              f"- make sure that call handlers assess the risk to every caller about {slug} consistently.",
              ]]
    return make_pdf(pages, title=f"{force} full report {slug} (synthetic test document)", created="D:20240307100000Z")


def feed(items: list[tuple[str, str]], *, title: str = "Synthetic test document: HMICFRS news") -> bytes:
    """An RSS 2.0 feed of (link, title) items."""
    body = "".join(f"<item><title>{escape(t)}</title><link>{escape(link)}</link><pubDate>Thu, 07 Mar 2024 09:00:00 GMT</pubDate></item>" for link, t in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.test/</link><description>synthetic</description>{body}</channel></rss>").encode()


def add_report(site: Website, slug: str, force: str, *, with_pdf: bool = True) -> str:
    """A report page (and its PDF) at /publication/SLUG/; returns the page's path."""
    page = f"/publication/{slug}/"
    pdf = f"/uploads/{slug}.pdf" if with_pdf else None
    site.routes[page] = Route(report_page(slug, force, pdf=pdf))
    if pdf:
        site.routes[pdf] = Route(report_pdf(slug, force), "application/pdf")
    return page


def wait_until(predicate, timeout: float = 10.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")
