"""The questions pipeline: a question's text -> a cited Answer, one stage per module, each handing the next a
frozen value it never changes.

understanding.py  text -> Query (names, people, roles, kind of answer, dates, kind of document, topics)
conversation.py   the Query completed from the chat's last question -> Turn (the complete Query, its organisations)
resolving.py      names -> organisations, or the candidates when a name could mean several (Resolution)
selecting.py      topics searched and relaxed, the kinds of finding selected -> Choice (what was given up, if anything)
choosing.py       the findings about organisations: the kind asked, then what follows it when it is thin
across.py         the findings on a topic across organisations, a report named by its title, each relaxation said
ranking.py        relevance, one or two findings per organisation, the report's wording before its repeats
wording.py        every English sentence of an answer: summaries, headings, notes, labels of citations, help
answers.py        the plain output: Answer, Citation, DocumentRef, OrganisationRef, Overview, GradeRow
answering.py      the orchestration: Answerer.answer() and the kinds of answer (about, across, compare, overview)
"""
