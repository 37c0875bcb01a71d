"""The web client against hostile servers on 127.0.0.1: one deadline per URL however the bytes come, a stop that
cuts in at once, robots.txt read like any page and remembered per host, and one address guard for every block
that is not public. Deadlines are a second or two here so that no test takes more than a few seconds."""

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from knowledge.web.addresses import blocked_address
from knowledge.web.fetching import Fetcher, FetchFailed
from testing.website import Route, Website
from tests.conftest import timed as timed_within


def timed(call: Callable[[], object], limit: float = 5.0) -> tuple[object, float]:
    """What call() returned or raised and its seconds (see conftest.timed), within 5.0 s unless told."""
    return timed_within(call, limit)

AGENT = "inspection-bot/test (+https://example.test/contact)"
PAGE = b"<html><body><p>synthetic test document: a page</p></body></html>"
TIMEOUT, DEADLINE = 1.0, 1.5
SLACK = 0.35  # what a deadline may be overrun by on a busy two-core machine
STOP_AFTER = 0.3

# One address inside every block that is not public (a few are written as IPv4 inside IPv6).
NOT_PUBLIC = [
    "0.1.2.3", "10.1.2.3", "100.64.0.1", "100.100.100.200", "100.127.255.254", "127.1.2.3", "169.254.169.254", "172.16.0.1",
    "172.31.255.254", "192.0.0.9", "192.0.0.170", "192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.254",
    "198.51.100.1", "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::", "::1", "::ffff:10.0.0.1", "::ffff:100.64.0.1", "::7f00:1", "64:ff9b::a00:1", "64:ff9b::6440:1", "64:ff9b:1::1", "100::1",
    "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:10::1", "2001:db8::1", "2002:a00:1::1", "2002:6440:1::1",
    "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1",
]
PUBLIC = ["8.8.8.8", "151.101.0.1", "2a04:4e42::1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.fixture
def site() -> Iterator[Website]:
    with Website() as website:
        website.routes["/a"] = Route(PAGE)
        yield website


def fetcher(**options: object) -> Fetcher:
    """The real client, allowed onto loopback, with the deadlines of a test."""
    settings = {"delay": 0, "allow_private": True, "timeout": TIMEOUT, "deadline": DEADLINE, "backoff": 0.05} | options
    return Fetcher(AGENT, **settings)





def failed(outcome: object, *words: str) -> bool:
    return isinstance(outcome, FetchFailed) and all(word in str(outcome) for word in words)


def hits(site: Website, path: str) -> int:
    return sum(hit.path == path for hit in site.hits)


# -- one deadline per URL, however the bytes come --------------------------------------------------


def test_headers_sent_one_byte_at_a_time_fail_within_the_deadline(site: Website):
    site.routes["/slow-headers"] = Route(PAGE, header_trickle=0.05)  # each byte well inside the per-read time-out
    with fetcher() as client:
        outcome, seconds = timed(lambda: client.get(site.url("/slow-headers")))
    assert failed(outcome, "too slowly", f"{DEADLINE:g} seconds"), outcome
    assert seconds < DEADLINE + SLACK
    assert hits(site, "/slow-headers") == 1  # a server that answers slowly is not asked again


def test_a_late_answer_and_a_body_trickle_share_one_deadline(site: Website):
    site.routes["/late-and-slow"] = Route(PAGE, hang=0.8, trickle=0.05)
    with fetcher() as client:
        outcome, seconds = timed(lambda: client.get(site.url("/late-and-slow")))
    assert failed(outcome, "too slowly"), outcome
    assert seconds < DEADLINE + SLACK  # the deadline counts from the request, not from the first byte of the body


def test_a_silent_server_is_asked_once_more_and_no_more(site: Website):
    site.routes["/silent"] = Route(PAGE, hang=30)
    with fetcher(deadline=3.0) as client:
        outcome, seconds = timed(lambda: client.get(site.url("/silent")))
    assert failed(outcome, "did not answer in time"), outcome
    assert hits(site, "/silent") == 2
    assert 2 * TIMEOUT <= seconds < 2 * TIMEOUT + 0.05 + SLACK


def test_a_retry_after_beyond_the_bound_fails_the_url_at_once(site: Website):
    site.routes["/busy"] = Route(PAGE, too_many=1, retry_after="59")
    with fetcher() as client:  # the default bound: 30 seconds
        outcome, seconds = timed(lambda: client.get(site.url("/busy")))
    assert failed(outcome, "429", "59 s", "30 s"), outcome
    assert seconds < 0.5 and hits(site, "/busy") == 1


def test_a_retry_after_longer_than_the_time_left_fails_the_url_at_once(site: Website):
    site.routes["/busy"] = Route(PAGE, too_many=1, retry_after="5")
    with fetcher() as client:
        outcome, seconds = timed(lambda: client.get(site.url("/busy")))
    assert failed(outcome, "429", "5 s"), outcome
    assert seconds < 0.5 and hits(site, "/busy") == 1


def test_a_retry_after_within_the_bounds_is_honoured(site: Website):
    site.routes["/busy"] = Route(PAGE, too_many=1, retry_after="1")
    with fetcher(deadline=3.0) as client:
        outcome, seconds = timed(lambda: client.get(site.url("/busy")))
    assert outcome.content == PAGE and 1.0 <= seconds < 1.0 + SLACK and hits(site, "/busy") == 2


# -- a stop cuts in -------------------------------------------------------------------------------------


def silent_listener() -> socket.socket:
    """A socket that lets clients connect (the kernel completes the handshake) and never says a word."""
    return socket.create_server(("127.0.0.1", 0), backlog=16)


@pytest.mark.parametrize("kind", ["header trickle", "body trickle", "silent server", "silent TLS handshake", "politeness delay", "Retry-After"])
def test_a_stop_cuts_short_any_wait_within_a_fraction_of_a_second(site: Website, kind: str):
    site.routes["/slow-headers"] = Route(PAGE, header_trickle=0.05)
    site.routes["/slow-body"] = Route(PAGE, trickle=0.05)
    site.routes["/silent"] = Route(PAGE, hang=30)
    site.routes["/busy"] = Route(PAGE, too_many=1, retry_after="20")
    stop = threading.Event()
    with silent_listener() as listener, fetcher(timeout=8, deadline=30, delay=5 if kind == "politeness delay" else 0, stop=stop) as client:
        url = {"header trickle": site.url("/slow-headers"), "body trickle": site.url("/slow-body"), "silent server": site.url("/silent"),
               "silent TLS handshake": f"https://127.0.0.1:{listener.getsockname()[1]}/", "politeness delay": site.url("/a"),
               "Retry-After": site.url("/busy")}[kind]
        if kind == "politeness delay":
            client.allowed(url)  # robots.txt asked for: the next request to the host waits its turn, 5 s
        threading.Timer(STOP_AFTER, stop.set).start()
        outcome, seconds = timed(lambda: client.get(url))
    assert failed(outcome, "stopped"), outcome
    assert seconds - STOP_AFTER < 0.5, f"{kind}: {seconds - STOP_AFTER:.2f} s after the stop"


def test_after_a_stop_nothing_more_is_asked(site: Website):
    stop = threading.Event()
    stop.set()
    with fetcher(stop=stop) as client:
        outcome, _ = timed(lambda: client.get(site.url("/a")))
    assert failed(outcome, "stopped") and site.hits == []


# -- robots.txt, read like any page and remembered --------------------------------------------------


def test_robots_txt_behind_a_redirect_is_obeyed(site: Website):
    with Website() as other:  # another port of the same host: another origin on the same site, like http -> https
        other.routes["/rules.txt"] = Route(b"User-agent: *\nDisallow: /\n", "text/plain")
        site.routes["/robots.txt"] = Route(location=other.url("/rules.txt"), status=301)
        with fetcher() as client:
            for path in ("/a", "/b"):
                with pytest.raises(FetchFailed, match="robots.txt"):
                    client.get(site.url(path))
        assert [hit.path for hit in site.hits] == ["/robots.txt"] and [hit.path for hit in other.hits] == ["/rules.txt"]


def test_robots_txt_redirecting_off_the_site_skips_the_host(site: Website):
    site.routes["/robots.txt"] = Route(location=site.url("/rules.txt").replace("127.0.0.1", "localhost"), status=301)
    with fetcher() as client:
        with pytest.raises(FetchFailed, match="robots.txt"):
            client.get(site.url("/a"))
    assert hits(site, "/a") == 0


@pytest.mark.parametrize("answer", [Route(b"busy", "text/plain", status=503), Route(b"", "text/plain", hang=30)], ids=["503", "time-out"])
def test_robots_txt_that_cannot_be_read_skips_the_host_once_for_the_whole_sync(site: Website, answer: Route):
    site.routes["/robots.txt"] = answer
    with fetcher() as client:
        outcomes = [timed(lambda path=path: client.get(site.url(path)))[0] for path in ("/a", "/b", "/c", "/a")]
    assert all(failed(outcome, "robots.txt") for outcome in outcomes), outcomes
    assert [hit.path for hit in site.hits] == ["/robots.txt"]  # one request, never retried, remembered


@pytest.mark.parametrize("status", [404, 403, 401, 410])
def test_robots_txt_answering_4xx_means_everything_is_allowed(site: Website, status: int):
    site.routes["/robots.txt"] = Route(b"no such file", "text/plain", status=status)
    site.routes["/b"] = Route(PAGE)
    with fetcher() as client:
        assert client.get(site.url("/a")).content == PAGE and client.get(site.url("/b")).content == PAGE
    assert hits(site, "/robots.txt") == 1


def test_robots_txt_is_asked_for_once_when_many_threads_start_together(site: Website):
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", "text/plain", hang=0.3)
    with fetcher() as client:
        threads = [threading.Thread(target=client.get, args=(site.url("/a"),)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
    assert hits(site, "/robots.txt") == 1 and hits(site, "/a") == 4


# -- one address guard --------------------------------------------------------------------------------


def test_every_block_that_is_not_public_is_refused_and_public_addresses_are_not():
    assert [address for address in NOT_PUBLIC if not blocked_address(address)] == []
    assert blocked_address("fe80::1%eth0")
    assert [address for address in PUBLIC if blocked_address(address)] == []


def url_of(address: str, path: str = "/") -> str:
    return f"http://[{address}]{path}" if ":" in address else f"http://{address}{path}"


def test_an_address_that_is_not_public_is_refused_before_connecting():
    assert blocked_address("100.64.0.1")  # (on a client without this guard, the loop below would connect out)
    with Fetcher(AGENT, delay=0, timeout=TIMEOUT, deadline=DEADLINE) as client:
        for address in NOT_PUBLIC:
            outcome, seconds = timed(lambda address=address: client.get(url_of(address, "/latest/meta-data/")))
            assert failed(outcome, "private or local address"), (address, outcome)
            assert seconds < 0.2
        assert client.requests == 0


def test_a_redirect_to_an_address_that_is_not_public_is_refused(site: Website):
    for number, address in enumerate(NOT_PUBLIC):
        site.routes[f"/to/{number}"] = Route(location=url_of(address, "/latest/meta-data/"))
    with fetcher(allow_private=False, allow_networks=["127.0.0.1/32"]) as client:  # the test site, and nothing else
        assert client.get(site.url("/a")).content == PAGE
        for number in range(len(NOT_PUBLIC)):
            with pytest.raises(FetchFailed, match="private or local address"):
                client.get(site.url(f"/to/{number}"))
    assert {hit.path for hit in site.hits} == {"/robots.txt", "/a"} | {f"/to/{n}" for n in range(len(NOT_PUBLIC))}


# -- TLS through the bounded connection ----------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def test_https_pages_come_through_the_bounded_connection_and_a_wrong_certificate_is_refused(certificate: tuple[Path, Path]):
    cert, key = certificate
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    with Website(tls=server) as secure:
        secure.routes["/a"] = Route(PAGE)
        with fetcher(ssl_context=ssl.create_default_context(cafile=str(cert))) as client:
            assert client.get(secure.url("/a")).content == PAGE and client.get(secure.url("/a")).content == PAGE
        with fetcher() as client:  # the system's authorities do not know this certificate
            with pytest.raises(FetchFailed, match="cannot connect"):
                client.get(secure.url("/a"))


def test_a_silent_tls_handshake_fails_within_the_deadline():
    with silent_listener() as listener, fetcher() as client:
        outcome, seconds = timed(lambda: client.get(f"https://127.0.0.1:{listener.getsockname()[1]}/"))
    assert failed(outcome, "robots.txt"), outcome
    assert seconds < DEADLINE + SLACK
