"""robots.txt: each origin's rules, read once per Fetcher (one sync) like any page, and what its answer means.

RFC 9309: a 4xx answer means there are no rules; a 5xx answer, a time-out or a redirect off the site means
nothing on that host is fetched (until the next sync, when a new Fetcher asks again).
"""

import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from knowledge.web.sockets import STEP, AnswerFailed, Budget, FetchFailed, FetchStopped

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB; what comes after is cut off


class Robots:
    """The rules of every origin met, each read once however many threads ask at the same time. `read` fetches
    an origin's /robots.txt (redirects within the site, each hop checked) and returns its body."""

    def __init__(self, user_agent: str, read: Callable[[str, Budget], bytes]) -> None:
        self.user_agent = user_agent
        self._read = read
        self._lock = threading.Lock()
        self._rules: dict[str, RobotFileParser | str] = {}  # origin -> its rules, or why its host is skipped
        self._locks: dict[str, threading.Lock] = {}

    def allowed(self, url: str, budget: Budget) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch this URL. Raises FetchFailed, for every URL of
        the origin and the Fetcher's life, when robots.txt could not be read (RFC 9309: then nothing is fetched)."""
        parts = urlsplit(url)
        rules = self._rules_of(f"{parts.scheme}://{parts.netloc}", budget)
        if isinstance(rules, str):
            raise FetchFailed(rules)
        return rules.can_fetch(self.user_agent, url)

    def _rules_of(self, origin: str, budget: Budget) -> RobotFileParser | str:
        """An origin's rules, read once however many threads ask at the same time."""
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        while not lock.acquire(timeout=STEP):
            budget.check(f"robots.txt of {urlsplit(origin).netloc} was still being read when the time for this URL ran out")
        try:
            if origin not in self._rules:
                self._rules[origin] = self._rules_read(origin, budget)
            return self._rules[origin]
        finally:
            lock.release()

    def _rules_read(self, origin: str, budget: Budget) -> RobotFileParser | str:
        """robots.txt asked for once: a 4xx answer means no rules; anything else that is not a file (5xx, 429, a
        time-out, a redirect off the site) gives the reason its host is skipped. A stop is not remembered: it
        says nothing of the server."""
        host = urlsplit(origin).netloc
        rules = RobotFileParser()
        try:
            content = self._read(origin + "/robots.txt", budget)
        except FetchStopped:
            raise
        except FetchFailed as error:
            if isinstance(error, AnswerFailed) and 400 <= error.status < 500 and error.status != 429:
                rules.allow_all = True
                return rules
            return f"robots.txt of {host} could not be read ({error}); nothing on {host} is fetched in this sync"
        rules.parse(content.decode("utf-8", "replace").splitlines())
        return rules
