"""What the bot covers, and who covers the rest: questions about schools (Ofsted), hospitals and care (CQC),
prisons and probation (HM Inspectorates of Prisons and Probation), the weather, or a request to write an article
get one line saying so (knowledge/data/public_services.toml, [outside]), whatever town they name."""

import tomllib
from dataclasses import dataclass
from functools import cache

from knowledge import lexicon


@dataclass(frozen=True)
class Outside:
    """One kind of question the bot does not answer, and the line that says who does."""

    name: str
    words: tuple[str, ...]
    text: str
    named: bool  # only when no police force or fire service is named ("Kent Police prison transfers" is ours)


@cache
def outside() -> tuple[Outside, ...]:
    """The [outside] entries of public_services.toml, read once."""
    data = tomllib.loads((lexicon.DATA / "public_services.toml").read_text(encoding="utf-8"))["outside"]
    return tuple(Outside(name, tuple(entry["words"]), entry["text"], entry.get("named", False)) for name, entry in data.items())


def beyond(asked: str, organisation_named: bool) -> str | None:
    """The kind of question beyond the bot's scope that the question's words (normalised, joined by spaces) ask, if any."""
    padded = f" {asked} "
    for entry in outside():
        if (not entry.named or not organisation_named) and any(f" {w} " in padded for w in entry.words):
            return entry.name
    return None


def line(name: str) -> str:
    """What the bot says to a question beyond its scope."""
    return next(e.text for e in outside() if e.name == name)
