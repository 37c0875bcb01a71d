"""Finding organisations in questions: typos, short forms, towns, and words that only look like places."""

import pytest

from knowledge.matching import MentionFinder, Resolver, correct, kind_hint, normalise
from knowledge.reference import load_reference


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(load_reference())


def orgs(resolver: Resolver, question: str) -> list[set[str]]:
    return [set(m.organisations) for m in resolver.find(question)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what must Cambrigeshire improve?", "cambridgeshire"),
        ("GMP 999 calls", "greater-manchester"),
        ("what about the Met?", "metropolitan"),
        ("TVP burglary", "thames-valley"),
        ("D&C police", "devon-and-cornwall"),
        ("Devon & Cornwall Police", "devon-and-cornwall"),
        ("herts", "hertfordshire"),
        ("Notts police", "nottinghamshire"),
        ("LFB fire safety", "london-fire"),
        ("dyfed powis", "dyfed-powys"),
        ("british transport police", "british-transport-police"),
        ("why did h&w fire get a cause of concern", "hereford-and-worcester-fire"),
        ("dwfire grievances", "dorset-and-wiltshire-fire"),  # the service's own short name (dwfire.org.uk)
        ("are west yorks police any good", "west-yorkshire"),  # not York's, North Yorkshire's
        ("south yorks fire", "south-yorkshire-fire"),
    ],
)
def test_names_short_forms_and_typos_resolve(resolver, question, expected):
    assert any(expected in found for found in orgs(resolver, question))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("city of londn police drugs", {"city-of-london"}),  # not the Met's "London Police"
        ("esex police leadership", {"essex"}),  # four letters alone are no name; with "police" they are
        ("dorset n wilts fire prevention", {"dorset-and-wiltshire-fire"}),  # "n" for "and"
    ],
)
def test_a_full_name_with_a_misspelt_word_is_matched_whole(resolver, question, expected):
    assert orgs(resolver, question) == [expected]


def test_an_everyday_word_before_police_is_no_misspelt_name(resolver):
    assert orgs(resolver, "i went police station") == []
    assert orgs(resolver, "which force bucks the trend on knife crime") == []  # a verb, not Buckinghamshire


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("manchster", {"greater-manchester", "greater-manchester-fire"}),
        ("Peterborough police sex offenders", {"cambridgeshire", "cambridgeshire-fire"}),
        ("Taunton", {"avon-and-somerset", "devon-and-somerset-fire"}),
        ("Stoke-on-Trent", {"staffordshire", "staffordshire-fire"}),
        ("kings lynn", {"norfolk", "norfolk-fire"}),
        ("St. Helens", {"merseyside", "merseyside-fire"}),
        ("is reading fire service any good", {"thames-valley", "royal-berkshire-fire"}),  # a word that is a town, before "fire service"
        ("bucks police response times", {"thames-valley", "buckinghamshire-fire"}),  # county short forms of a county with no force of its name
        ("worcs police", {"west-mercia", "hereford-and-worcester-fire"}),
        ("brum police stop and search", {"west-midlands", "west-midlands-fire"}),
    ],
)
def test_towns_resolve_to_both_their_police_force_and_fire_service(resolver, question, expected):
    assert orgs(resolver, question) == [expected]


@pytest.mark.parametrize(
    "question",
    [
        "what must the force improve?",
        "is reading the report enough",
        "which forces need to improve?",
        "how are forces doing again",
        "has it met its targets",
        "what did the inspector say",
        "havent they been dealing with it, rather",  # filler is no name: not Havant, Ealing or Rother
    ],
)
def test_ordinary_words_are_not_taken_for_places(resolver, question):
    assert orgs(resolver, question) == []


def test_police_and_fire_words_give_the_kind():
    assert kind_hint("Durham police") == "police"
    assert kind_hint("Durham firefighters") == "fire"
    assert kind_hint("Durham") is None


def test_normalise_folds_case_accents_ampersands_and_apostrophes():
    assert normalise("King\u2019s  Lynn") == "kings lynn"
    assert normalise("D&C") == "d and c"
    assert normalise("Ynys Môn") == "ynys mon"
    assert normalise("Stockton-on-Tees") == "stockton on tees"


def test_document_mentions_prefer_full_names():
    finder = MentionFinder(load_reference())
    text = "Cambridgeshire Fire and Rescue Service and Cambridgeshire Constabulary met. The Constabulary said Cambridgeshire Constabulary would act."
    assert finder.subject(text) == "cambridgeshire"
    mentions = finder.find(text)
    assert [m.organisation_id for m in mentions][:2] == ["cambridgeshire-fire", "cambridgeshire"]


@pytest.mark.parametrize(("text", "expected"), [
    ("In 2016, South Wales and Gwent police forces were rated good.", [("south-wales", True), ("gwent", True)]),
    ("Kent and Essex fire services were inspected.", [("kent-fire", True), ("essex-fire", True)]),
    ("Norfolk and Suffolk constabularies share custody suites.", [("norfolk", True), ("suffolk", True)]),
    ("Kent and Essex Police were praised.", [("kent", False), ("essex", True)]),  # one force named, and a county beside it
    ("Cumbria and North Yorkshire fire services share a control room.", [("cumbria-fire", True), ("north-yorkshire-fire", True)]),
    ("Kent and Essex services merged their control rooms.", [("kent", False), ("essex", False)]),  # "services" alone: of no kind
    ("West Mercia and Warwickshire forces ended their alliance.", [("west-mercia", True), ("warwickshire", True)]),  # a force's own name
    ("Bedfordshire, Cambridgeshire and Hertfordshire forces share a unit.", [("bedfordshire", True), ("cambridgeshire", True), ("hertfordshire", True)]),
])
def test_places_sharing_one_plural_noun_of_a_service_each_name_that_service(text: str, expected: list):
    mentions = MentionFinder(load_reference()).find(text)
    assert [(m.organisation_id, m.strong) for m in mentions] == expected


def test_a_misspelt_word_is_corrected_to_the_closest_word_with_its_first_letter_and_length():
    words = ["recommendations", "burglary", "vetting", "domestic"]
    assert correct("recomendations", words, score_cutoff=80, max_length_change=1) == "recommendations"
    assert correct("burglery", words, score_cutoff=80, max_length_change=1) == "burglary"
    assert correct("petting", words, score_cutoff=80, max_length_change=1) is None  # another first letter: another word
    assert correct("vet", words, score_cutoff=50, max_length_change=2) is None  # too short to be "vetting" misspelt
    assert correct("domestik", words, score_cutoff=80, max_length_change=1, min_length=9) is None


def test_a_five_letter_name_with_two_letters_swapped_is_still_that_name(fixture_store):
    from knowledge.questions.answering import Answerer
    assert [o.id for o in Answerer(fixture_store).answer("gwnet police grades").organisations] == ["gwent"]
