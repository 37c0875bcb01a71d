"""Mentions of an organisation that are not what a sentence is about: a partner ("joint work with Northshire Police"),
a person's employer in passing ("a serving Met Police officer"), one example of many ("police forces, including the Met").
Read by knowledge.documents.parsing for whose each sentence is (in_passing), and for whose a page is (one_of_many too).
"""

import re

from knowledge.matching import Mention

# A partner named after "with" ("collaboration with Northshire Police").
PARTNER_BEFORE = re.compile(r"\b(?:with|alongside|between|together with|partners? such as)\s+(?:the\s+)?$", re.I)
# A person's employer in passing ("by a serving Met Police officer", "another Met officer").
PASSING_BEFORE = re.compile(r"\b(?:(?:a|an|another)\s+(?:(?:serving|former|retired|off-duty|senior|junior|male|female|young|veteran|special)\s+)*"
                            r"|the\s+(?:(?:serving|former|retired|off-duty)\s+)+)$", re.I)
# An organisation given as one example of many ("failures of police forces, including the Met, to act"): the sentence is
# about them all.
LISTED_BEFORE = re.compile(r"\b(?:forces|services|brigades),?\s+(?:including|such as|like|among them)\s+(?:the\s+)?$", re.I)
PASSING_AFTER = re.compile(r"\s+(?:police\s+)?(?:officers?|constables?|detectives?|sergeants?|employees?|firefighters?|recruits?|PCs?)\b")


def in_passing(text: str, mention: Mention) -> bool:
    """A mention that says whose employee someone is ("a serving Met Police officer"): not what the sentence is about."""
    return bool(PASSING_BEFORE.search(text, max(0, mention.start - 40), mention.start) and PASSING_AFTER.match(text, mention.end))


def one_of_many(text: str, mention: Mention) -> bool:
    """A mention that gives one example of many ("police forces, including the Met"): the sentence is still about it
    (it is criticised with the rest), but it does not make a page on forces in general that organisation's."""
    return LISTED_BEFORE.search(text, max(0, mention.start - 40), mention.start) is not None
