"""The areas a grade is given in: which words name an area, under the inspectorate's name for it ("how the force
responds to the public" -> responding to the public), and how a list of areas splits into them.

The names are in knowledge/data/grades.toml; knowledge.documents.grades reads the sentences that grade them.
"""

import re

from knowledge.lexicon import AREA_STARTS, CANONICAL_AREAS, GRADED_AREAS, PILLARS, alternation

# A count: "in three areas", "the other five areas" (a count is no area).
NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
PILLAR = alternation(PILLARS)
PILLAR_WORD = re.compile(rf"\b(?P<area>{alternation(PILLARS)})\b", re.I)  # in a phrase already known to name areas
PILLAR_FIRST = re.compile(rf"(?:(?:its|the|their) )?(?P<area>{alternation(PILLARS)})\b", re.I)  # a list's item that opens with a pillar
# The pillar named by its adjective, as PEEL and the first fire inspections wrote it: "The extent to which the force is
# effective at keeping people safe and reducing crime requires improvement"; "... the service looks after its people is good".
ADJECTIVE_PILLARS = {"effective": "effectiveness", "efficient": "efficiency", "legitimate": "legitimacy"}
ADVERB_PILLARS = {"efficiently": "efficiency", "legitimately": "legitimacy", "effectively": "effectiveness"}
MANNER = re.compile(r"[a-z]+ing (?P<adverb>effectively|efficiently|legitimately)(?: and (?:sustainably|effectively|efficiently|fairly))?", re.I)
# The nouns an area can open with, as a gerund can: "Response to the public, investigation and leadership were rated ..."
AREA_NOUNS = "response|investigation|protection|prevention|management|leadership|treatment|recording|engagement|effectiveness|efficiency|legitimacy"


def _loose(area: str) -> str:
    """A known area's name as a pattern: any spacing, 'anti-social' or 'antisocial', 'its' or 'the', US spellings."""
    words = [w for w in re.split(r"[\s,]+", area.lower()) if w]
    parts = []
    for word in words:
        if word in ("anti-social", "antisocial"):
            parts.append(r"anti[\s-]?social")
        elif word in ("and", "&"):
            parts.append(r"(?:and|&)")
        elif word in ("the", "its"):
            parts.append(r"(?:the|its|their)")
        else:
            parts.append(re.escape(word).replace("our", "o(?:u)?r").replace(r"\-", r"[\s-]?"))
    return r"[\s,]+".join(parts)
KNOWN_AREA = re.compile(rf"(?:{'|'.join(sorted((_loose(a) for a in GRADED_AREAS), key=len, reverse=True))})\b", re.I)
FIRST_WORDS = alternation({area.split()[0].strip(",") for area in GRADED_AREAS})
# (two capitalised words start an area in a list written in title case: "..., Public Safety Through Fire Regulation")
AREA_START = re.compile(rf"(?:[a-z]+ing|(?:effectively|efficiently|legitimately) [a-z]+ing|{alternation(AREA_STARTS)}|{FIRST_WORDS}|{AREA_NOUNS}|(?-i:[A-Z][a-z]+ [A-Z][a-z]+))\b", re.I)
NEXT_AREA = re.compile(r"(?:;\s*(?:and\s+)?|,\s+(?:and\s+|as well as\s+)?|\s+and\s+)(?:(?:at|in|for|on)\s+)?", re.I)  # "at A, at B and at C"
CANONICAL = [(name, re.compile(pattern, re.I)) for name, pattern in CANONICAL_AREAS]


COUNTED = re.compile(rf"^(?:the |its )?(?:other |remaining )?(?:{NUMBER}|several|some|both|many|most|all|every|each|multiple|a number of|more than|over half|half"
                     r"|a third|a quarter|a majority|the majority)\b", re.I)
PILLAR_ASKED = re.compile(r"^how (effective|efficient|legitimate)(?:ly)?\b", re.I)
HOW = re.compile(r"^(?:how|the way(?: in which)?)(?: well| and (?:when|where|why))? (?:(?:the )?(?:force|service|constabulary|brigade)|it|they|police)\s+(?P<verb>[a-z]+)\b", re.I)
FILLER = re.compile(r"^(?:(?:its|their) (?:work|performance|approach) (?:in|on|to)\s+|(?:the )?(?:force|service)(?:'s|\u2019s)?\s+|its\s+|their\s+|the way\s+)", re.I)


def gerund(verb: str) -> str:
    """'responds' -> 'responding', 'manages' -> 'managing', 'treat' -> 'treating': how an area is named."""
    verb = verb.lower()
    if verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    if verb.endswith("e") and not verb.endswith("ee"):
        verb = verb[:-1]
    return verb + "ing"


def area_names(phrase: str) -> list[str]:
    """The areas one loosely named area stands for, under the inspectorate's names: "how the force responds to the
    public" -> responding to the public; "effectively and efficiently keeping people safe" -> effectiveness and
    efficiency; a count ("the other five areas") names none."""
    phrase = phrase.strip(" ,'\"\u2018\u2019\u201c\u201d").rstrip(".")
    phrase = re.sub(r",?\s+(?:and|or)\s*$", "", phrase).strip(" ,'\"\u2018\u2019\u201c\u201d")
    if not phrase or COUNTED.match(phrase) or not re.search(r"[a-z]{3}", phrase, re.I):
        return []
    if KNOWN_AREA.match(phrase):
        return [phrase]
    asked = PILLAR_ASKED.match(phrase)
    if asked:
        return [ADJECTIVE_PILLARS[asked.group(1).lower().removesuffix("ly")]]  # "How effective is the service at ...?"
    how = HOW.match(phrase)
    if how:
        phrase = gerund(how.group("verb")) + phrase[how.end() :]
        if KNOWN_AREA.match(phrase):
            return [phrase]  # "how it understands the risk of fire and other emergencies": an area named whole
    phrase = FILLER.sub("", phrase).strip()
    manner = MANNER.fullmatch(phrase)
    if manner:
        return [ADVERB_PILLARS[manner.group("adverb").lower()]]  # "operating efficiently": the pillar the adverb names
    pillars = [p.lower() for p in PILLAR_WORD.findall(phrase)]
    adverbs = re.match(r"^(effectively)?(?:,? and )?(efficiently)?\b", phrase, re.I)
    if adverbs and adverbs.group(0):
        rest = phrase[adverbs.end() :].strip()
        if rest and not PILLAR_PHRASE.match(rest):  # "effectively managing offenders": that area, no pillar
            return area_names(rest)
        return [p for p, said in (("effectiveness", adverbs.group(1)), ("efficiency", adverbs.group(2))) if said]
    if re.match(r"^(?:look(?:s|ing)? after|how well (?:it|they) looks? after) (?:its|their) ['\u2018]?(?:own )?['\u2018]?(?:people|workforce|staff)\b", phrase, re.I):
        return ["people"]
    if pillars and all(PILLAR_WORD.fullmatch(p) for p in re.split(r",\s*|\s+and\s+|\s*\b(?:its|the|their|pillar|strand)\b\s*", phrase) if p.strip()):
        return pillars  # "the efficiency pillar", "effectiveness, efficiency and people"
    if len(phrase.split()) <= 8:
        for name, pattern in CANONICAL:
            if pattern.search(phrase):
                return [name]
    return [phrase] if len(phrase.split()) <= 14 else []


def is_area_name(name: str) -> bool:
    """Whether a name is one the inspectorate grades: a pillar, an area named whole, or one of the canonical names."""
    return name in PILLARS or KNOWN_AREA.fullmatch(name) is not None or any(name == canonical for canonical, _ in CANONICAL)
# What the PEEL and fire pillars keep doing, after "effectively" or "efficiently": "keeping people safe (and secure)".
PILLAR_PHRASE = re.compile(r"(?:keep\w*|mak\w*) (?:people|the public|communities|its communities)\b|reduc\w* crime\b|operat\w*\b|provid\w* an? \w* ?service\b", re.I)
# Two gerunds that share their object, when together they name no known area ("preventing and investigating crime").
SHARED_OBJECT = re.compile(r"(?P<first>[a-z]+ing) and (?P<second>[a-z]+ing) (?P<object>[a-z][\w-]*(?: [a-z][\w-]*){0,3}?)(?=$|[,;]| and )", re.I)
LONE_GERUND = re.compile(r"[a-z]+ing", re.I)
AT_AGAIN = re.compile(r"^\s*(?:[;,]\s*(?:and\s+)?|and\s+)(?:at|in)\s+[a-z]+ing\b", re.I)


def _names_an_area(rest: str) -> bool:
    """Whether what follows a known area ("..., and investigating crime") names an area of its own."""
    if AT_AGAIN.match(rest):
        return True  # "good at X and at Y": the preposition said again starts another area
    rest = re.sub(r"^(?:;\s*|,\s*)?(?:and\s+|as well as\s+)?", "", rest.strip(), flags=re.I)
    if not rest or PILLAR_FIRST.match(rest) or KNOWN_AREA.match(rest):
        return True
    first = area_names(rest.split(",")[0].split(";")[0])
    return bool(first) and (is_area_name(first[0]) or KNOWN_AREA.match(first[0]) is not None)


def _canonical(phrase: str) -> bool:
    """Whether a short phrase is one area under a canonical name that is no pillar ("leadership and management")."""
    names = area_names(phrase)
    return len(names) == 1 and names[0] not in PILLARS and any(names[0] == name for name, _ in CANONICAL)


def _one_area(shared: re.Match) -> bool:
    """Whether two gerunds and their object are one area by the inspectorate's name ("preventing and deterring crime")."""
    names = area_names(shared.group(0))
    return len(names) == 1 and all(shared.group(g).lower() in names[0].lower() for g in ("first", "second"))


def split_areas(phrase: str) -> list[str]:
    """'responding to the public, investigating crime and managing offenders' -> three areas; a known area
    ("preventing crime and anti-social behaviour") stays whole; semicolons always separate."""
    phrase = phrase.strip(" ,:")
    if ";" in phrase:
        pieces = [re.sub(r"^and\s+", "", p.strip(), flags=re.I) for p in phrase.split(";")]
        return [a for p in pieces for a in split_areas(p)]
    areas, rest = [], phrase
    while rest:
        known = KNOWN_AREA.match(rest)
        shared = None if known else SHARED_OBJECT.match(rest)
        if shared and not _one_area(shared):  # "preventing and investigating crime": two areas, one object
            areas += [*area_names(f"{shared.group('first')} {shared.group('object')}"), *area_names(f"{shared.group('second')} {shared.group('object')}")]
            rest = rest[shared.end() :]
            rest = rest[sep.end() :] if (sep := NEXT_AREA.match(rest)) else rest.strip()
            continue
        cut = known.end() if known else 0
        pillar = None if known else PILLAR_FIRST.match(rest)
        if pillar and not _names_an_area(rest[pillar.end() :]):
            areas.append(area_names(rest)[0] if _canonical(rest) else pillar.group("area").lower())  # "leadership, chief inspector X said"
            break
        if known and not _names_an_area(rest[cut:]):
            areas.append(rest.strip(" ,").rstrip("."))  # "preventing crime and anti-social behaviour and keeping people safe": one area
            break
        for sep in NEXT_AREA.finditer(rest, cut):
            # a gerund alone waits for the object it shares: "preventing and deterring crime" is one area
            if AREA_START.match(rest, sep.end()) and not LONE_GERUND.fullmatch(rest[: sep.start()].strip()):
                areas += area_names(rest[: sep.start()])
                rest = rest[sep.end() :]
                break
        else:
            areas += area_names(rest)
            rest = ""
    return areas
