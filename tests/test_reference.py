"""Reference data: every force and fire service, their short forms, and the places they cover."""

import pytest

from knowledge.matching import Resolver
from knowledge.reference import DATA, load_reference

POLICE_IDS = """avon-and-somerset bedfordshire cambridgeshire cheshire city-of-london cleveland cumbria derbyshire
devon-and-cornwall dorset durham dyfed-powys essex gloucestershire greater-manchester gwent hampshire
hertfordshire humberside kent lancashire leicestershire lincolnshire merseyside metropolitan norfolk north-wales
north-yorkshire northamptonshire northumbria nottinghamshire south-wales south-yorkshire staffordshire suffolk
surrey sussex thames-valley warwickshire west-mercia west-midlands west-yorkshire wiltshire""".split()


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def test_the_43_territorial_forces_use_data_police_uk_ids_plus_btp(reference):
    police = {o.id for o in reference.organisations.values() if o.kind == "police" and o.inspected}
    assert len(POLICE_IDS) == 43
    assert police == set(POLICE_IDS) | {"british-transport-police"}


def test_there_are_44_english_fire_services_with_fire_slugs(reference):
    fire = [o for o in reference.organisations.values() if o.kind == "fire" and o.inspected]
    assert len(fire) == 44
    assert all(o.id.endswith("-fire") for o in fire)
    assert "devon-and-somerset-fire" in reference.organisations


def test_scotland_northern_ireland_and_welsh_fire_are_known_but_not_inspected(reference):
    for org_id in ("police-scotland", "psni", "north-wales-fire", "mid-and-west-wales-fire", "south-wales-fire"):
        org = reference.organisations[org_id]
        assert not org.inspected and org.inspector
    assert "HMICS" in reference.organisations["police-scotland"].inspector


def test_every_force_and_fire_service_covers_places(reference):
    covered = set().union(*(p.organisations for p in reference.places.values()))
    for org in reference.organisations.values():
        if org.id in ("british-transport-police", "police-scotland", "psni", "scottish-fire"):
            continue  # the railways, and places outside England and Wales
        assert org.id in covered, org.id


def test_every_district_of_england_and_wales_is_listed_once(reference):
    districts = [p for p in reference.places.values() if p.kind == "district"]
    assert len(districts) == 318  # 296 in England and 22 in Wales since April 2023
    for place in districts:
        kinds = sorted(load_reference().organisations[o].kind for o in place.organisations)
        assert kinds == ["fire", "police"], place


@pytest.mark.parametrize(
    ("place", "police", "fire"),
    [
        ("Peterborough", "cambridgeshire", "cambridgeshire-fire"),
        ("Swindon", "wiltshire", "dorset-and-wiltshire-fire"),
        ("Oxford", "thames-valley", "oxfordshire-fire"),
        ("Taunton", "avon-and-somerset", "devon-and-somerset-fire"),
        ("Bristol", "avon-and-somerset", "avon-fire"),
        ("Plymouth", "devon-and-cornwall", "devon-and-somerset-fire"),
        ("Truro", "devon-and-cornwall", "cornwall-fire"),
        ("Milton Keynes", "thames-valley", "buckinghamshire-fire"),
        ("Reading", "thames-valley", "royal-berkshire-fire"),
        ("Sunderland", "northumbria", "tyne-and-wear-fire"),
        ("Hereford", "west-mercia", "hereford-and-worcester-fire"),
        ("Telford", "west-mercia", "shropshire-fire"),
        ("Brighton", "sussex", "east-sussex-fire"),
        ("Crawley", "sussex", "west-sussex-fire"),
        ("Darlington", "durham", "county-durham-and-darlington-fire"),
        ("Middlesbrough", "cleveland", "cleveland-fire"),
        ("Croydon", "metropolitan", "london-fire"),
        ("City of London", "city-of-london", "london-fire"),
        ("Hull", "humberside", "humberside-fire"),
        ("Bournemouth", "dorset", "dorset-and-wiltshire-fire"),
        ("Swansea", "south-wales", "mid-and-west-wales-fire"),
        ("Newport", "gwent", "south-wales-fire"),
        ("Wrexham", "north-wales", "north-wales-fire"),
        ("Aberystwyth", "dyfed-powys", "mid-and-west-wales-fire"),
        ("Ryde", "hampshire", "hampshire-and-isle-of-wight-fire"),
        ("IoW", "hampshire", "hampshire-and-isle-of-wight-fire"),
        ("Square Mile", "city-of-london", "london-fire"),
    ],
)
def test_places_map_to_their_police_force_and_fire_service(reference, place, police, fire):
    assert reference.places[place].organisations == {police, fire}


def test_data_files_name_their_public_sources():
    for name in ("organisations.csv", "districts.csv", "places.csv"):
        head = (DATA / name).read_text(encoding="utf-8").splitlines()[:3]
        assert any(line.startswith("# Source") for line in head), name


def test_no_name_or_alias_is_claimed_by_two_organisations(reference):
    seen: dict[str, str] = {}
    for org in reference.organisations.values():
        for name in (org.name, *org.aliases):
            key = name.casefold()
            assert seen.setdefault(key, org.id) == org.id, (name, seen[key], org.id)


def test_the_resolver_indexes_every_name(reference):
    resolver = Resolver(reference)
    assert resolver.choices["gmp"] == {"greater-manchester"}
    assert resolver.choices["peterborough"] == {"cambridgeshire", "cambridgeshire-fire"}

