"""The web client against hostile servers on 127.0.0.1: one address guard for every block that is not public."""

import threading
import time
from collections.abc import Callable

from knowledge.web.fetching import Fetcher, FetchFailed, blocked_address

AGENT = "inspection-bot/test (+https://example.test/contact)"
TIMEOUT, DEADLINE = 1.0, 1.5

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


def timed(call: Callable[[], object], limit: float = 5.0) -> tuple[object, float]:
    """What call() returned or raised, and the seconds it took; fails when it is still running after `limit`."""
    box: dict = {}

    def run() -> None:
        start = time.monotonic()
        try:
            box["outcome"] = call()
        except Exception as error:  # noqa: BLE001 - the test looks at it
            box["outcome"] = error
        box["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    assert "seconds" in box, f"still running after {limit} s"
    return box["outcome"], box["seconds"]


def failed(outcome: object, *words: str) -> bool:
    return isinstance(outcome, FetchFailed) and all(word in str(outcome) for word in words)


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
