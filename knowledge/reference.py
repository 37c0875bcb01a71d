"""Reference data: organisations, their short forms, and the places each one covers."""

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

DATA = resources.files("knowledge") / "data"


@dataclass(frozen=True)
class OrganisationInfo:
    """One organisation as the reference data describes it."""

    id: str
    name: str
    kind: str  # police | fire
    inspected: bool
    inspector: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PlaceInfo:
    """A named place and the organisations whose areas contain it."""

    name: str
    kind: str  # district | area | town
    organisations: frozenset[str]


@dataclass(frozen=True)
class Reference:
    """Everything the resolver needs to know about names and places."""

    organisations: dict[str, OrganisationInfo]
    places: dict[str, PlaceInfo] = field(default_factory=dict)
    fingerprint: str = ""

    def name_of(self, organisation_id: str) -> str:
        """The organisation's official name."""
        return self.organisations[organisation_id].name


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of a data file, skipping its '#' source lines."""
    text = (DATA / name).read_text(encoding="utf-8")
    yield from csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))


@cache
def load_reference() -> Reference:
    """Read organisations.csv, districts.csv and places.csv into one Reference."""
    organisations = {
        row["id"]: OrganisationInfo(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            inspected=row["hmicfrs"] == "yes",
            inspector=row["inspector"] or None,
            aliases=tuple(a for a in row["aliases"].split(";") if a),
        )
        for row in _rows("organisations.csv")
    }
    places: dict[str, PlaceInfo] = {}
    areas: dict[str, set[str]] = {}

    def add(name: str, kind: str, orgs: set[str]) -> None:
        old = places.get(name)
        merged = orgs | (old.organisations if old else set())
        # A council keeps its kind when an area of the same name (Somerset, Dorset) adds to it.
        places[name] = PlaceInfo(name, old.kind if old else kind, frozenset(merged))

    for row in _rows("districts.csv"):
        orgs = {row["police"], row["fire"]}
        unknown = orgs - organisations.keys()
        if unknown:
            raise ValueError(f"districts.csv: {row['district']} names unknown {sorted(unknown)}")
        add(row["district"], "district", orgs)
        areas.setdefault(row["area"], set()).update(orgs)
    for area, orgs in areas.items():
        add(area, "area", orgs)
    for row in _rows("places.csv"):
        orgs: set[str] = set()
        for part in row["within"].split(";"):
            if part in places:
                orgs |= places[part].organisations
            else:
                raise ValueError(f"places.csv: {row['name']} lies in unknown {part!r}")
        add(row["name"], row["kind"], orgs)
    digest = hashlib.sha256()
    for name in ("organisations.csv", "districts.csv", "places.csv"):
        digest.update((DATA / name).read_bytes())
    return Reference(organisations, places, digest.hexdigest()[:16])
