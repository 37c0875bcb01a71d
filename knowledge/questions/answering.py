"""Answering: a Query (see understanding.py) -> an Answer with Citations, from the Store's selections.

The result is plain data; turning it into text or HTML is the front's job. No SQL here: every statement
is in the store.
"""

import datetime as dt
from dataclasses import replace

from knowledge.matching import normalise
from knowledge.models import Finding, Kind
from knowledge.questions.answers import Answer, Citation, DocumentRef, GradeRow, OrganisationRef, Overview, cite
from knowledge.questions.conversation import follow, hear, pages_across, remembered, reread
from knowledge.questions.ranking import by_relevance, higher_provenance_first, spread, without_repeats
from knowledge.questions.resolving import Resolution, resolve
from knowledge.questions.selecting import INTENT_KINDS, MAX_CITATIONS, RANKED, Found, find, of_kind, select
from knowledge.questions.understanding import QUALIFIER, Dates, Lexicon, Query, Topic, Understander, clean_question
from knowledge.questions.wording import (
    CAPPED,
    EXAMPLES,
    INTENT_HEADINGS,
    INTENT_NOUNS,
    NOT_COMPARABLE,
    RANKED_CAPPED,
    SMALL_TALK,
    how_many,
    long_date,
    public_services,
    quoted,
    tally,
    topic_list,
)
from knowledge.state.store import FindingQuery, Selection, Store

MAX_NAMED = 8  # organisations named in a summary before "and N more"
ACROSS_WITHOUT_TOPIC = frozenset({"engage", "concerns", "grades", "recommendations"})  # "which forces are in special measures"
LATEST_GRADES_DAYS = 730  # "latest grades" are those of the inspections of the two years before the newest


class Answerer:
    """Answers questions from one Store."""

    def __init__(self, store: Store, *, today: dt.date | None = None, overview_page: int = MAX_CITATIONS) -> None:
        self.store = store
        self.reference = store.reference
        self.today = today
        self.page = 0
        self.page_size = MAX_CITATIONS
        self.overview_page = overview_page  # findings per page under an organisation's overview (fewer on a phone)

    def org_ref(self, organisation_id: str) -> OrganisationRef:
        return OrganisationRef.of(self.reference, organisation_id)

    def understander(self) -> Understander:
        """An Understander for this store: the names of the reference data and the words of the documents."""
        return Understander(self.store.resolver, Lexicon(self.store.vocabulary, self.store.speakers), today=self.today)

    def understand(self, question: str) -> Query:
        """The question's slots, read against the names of the reference data and the words of the documents."""
        return self.understander().understand(question)

    # -- resolving names -----------------------------------------------------------------------

    def resolve(self, query: Query, prefer_kind: str | None = None) -> Resolution:
        """Organisations the question names, or the candidates when a name could mean several (see resolving.py)."""
        return resolve(self.store, query, prefer_kind)

    # -- the entry points ----------------------------------------------------------------------

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
        """The answer to one question, never a guess: ambiguous names come back as suggestions.

        `page` counts pages of MAX_CITATIONS findings; `organisations` (ids) replaces the names in the
        question, as when the user picked one of the suggested organisations; with `chat_id`, a follow-up
        ("what about burglaries", "and Suffolk?") continues that chat's last question."""
        question = clean_question(question)
        self.page = max(0, page)
        if not question and not organisations:
            return self.help(question)
        context = self.store.load_context(chat_id) if chat_id is not None else None
        query, last = hear(self.understander(), question, context, self.reference)
        if query.small_talk and not organisations:
            example = self.examples()[0]
            return Answer(question, "small_talk", SMALL_TALK[query.small_talk].format(example=example))
        if query.reference and not organisations:
            return self.public_service(query)
        if organisations is not None:
            known = [o for o in organisations if o in self.reference.organisations]
            if not known:
                return self.help(question)
            resolution = Resolution(tuple(known))
        else:
            resolution = self.resolve(query, prefer_kind=last.kind if last else None)
        if resolution.ambiguous:
            return Answer(
                question, "ambiguous",
                f"\u201c{resolution.ambiguous.words}\u201d could mean more than one organisation. Which do you mean?",
                suggestions=[self.reference.name_of(i) for i in resolution.candidates],
                candidates=[self.org_ref(i) for i in resolution.candidates],
                topic=query.words,
                wanted=query.intent or ("topic" if query.topics else "overview"),
            )
        if resolution.empty:
            names = " or ".join(self.reference.name_of(i) for i in resolution.empty)
            return Answer(question, query.intent or "overview", f"I have no inspection findings for {names} yet.", [self.org_ref(i) for i in resolution.empty])
        for org_id in resolution.organisations:
            org = self.reference.organisations[org_id]
            if not org.inspected:
                return Answer(
                    question, "not_inspected",
                    f"{org.name} is inspected by {org.inspector}, not HMICFRS, so I have no HMICFRS findings for it. "
                    "I cover the police forces of England and Wales and the fire and rescue services of England.",
                    organisations=[self.org_ref(org_id)],
                )
        turn = follow(query, resolution.organisations, resolution.notes, last, self.reference, self.store.vocabulary)
        result = self._dispatch(turn.query, list(turn.organisations), list(turn.notes))
        if chat_id is not None and result.intent not in ("help", "small_talk", "reference", "ambiguous", "not_inspected"):
            about, words = remembered(turn, result, self.store.vocabulary)
            self.store.save_context(chat_id, about, result.intent, words)
        return result

    def answer_again(self, intent: str, organisations: list[str], topic: list[str], *, page: int = 0) -> Answer:
        """The same answer again, from what an Answer records (its intent, organisations and words), without
        the question's text: how the bot pages through an answer without storing what was asked."""
        self.page = max(0, page)
        query = reread(self.understander(), self.reference, intent, organisations, topic)
        if query is None:
            return self.help("")
        if pages_across(intent, organisations):
            # More of an answer across organisations: the same ranking, over the organisations it listed
            answer = self.across(query, intent, organisations=list(organisations))
            answer.topic = query.words
            return answer
        return self._dispatch(query, list(organisations), [])

    def _dispatch(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Answer an understood question about resolved organisations (or about none)."""
        intent = query.intent
        if len(resolved) >= 2 and intent in (None, "compare", "overview"):
            intent = "compare"
        if intent == "compare" and len(resolved) >= 2:
            answer = self.compare(query, resolved[:2], notes)
        elif intent == "compare" and len(resolved) == 1:
            answer = self.compare_with_others(query, resolved[0], notes)
        elif resolved:
            answer = self.about(query, resolved, intent or ("topic" if query.topics else "overview"), notes)
        elif query.topics or ((query.role or query.people) and intent in (None, "statements")) or intent in ACROSS_WITHOUT_TOPIC or query.documents:
            answer = self.across(query, intent if intent in INTENT_KINDS and intent not in ("compare", "overview") else "topic", notes)
        else:
            return self.help(query.text, query)
        answer.topic = query.words
        return answer

    # -- finding things ------------------------------------------------------------------------

    def _relax_note(self, found: Found, names: str | None) -> list[str]:
        about = f" for {names}" if names else ""
        if found.any_of:
            return [f"Nothing{about} mentions all of {topic_list(found.topics)}; these mention some of them, best matches first."]
        if found.dropped and found.topics:
            gone = topic_list(found.dropped)
            kept = topic_list(found.topics)
            return [f"Nothing{about} on {gone} together with {kept}; these are on {kept}."]
        return []

    # -- answers -------------------------------------------------------------------------------

    def about(self, query: Query, resolved: list[str], intent: str, notes: list[str]) -> Answer:
        """Findings about one or more resolved organisations."""
        refs = [self.org_ref(i) for i in resolved]
        names = " and ".join(r.name for r in refs)
        if not self.store.has_findings(resolved):
            return Answer(query.text, intent, f"I have no inspection findings for {names} yet.", refs, notes=notes)
        found = find(self.store, query.topics, resolved, places=query.places)
        notes = notes + self._correction_notes(query)
        selection = select(self.store, query, resolved, intent, found, page=self.page) if found.ids != () else Selection.empty()
        if selection and query.older:
            # "older ones": older than the page the last answer showed (an overview's page is its most serious
            # findings, so the oldest of them, not the newest, marks what was seen)
            page = selection.rows[: self.overview_page if intent == "overview" else self.page_size]
            seen = (min if intent == "overview" else max)((f.published for f in page if f.published), default=None)
            if seen:
                query.dates = Dates(query.dates.since if query.dates else None, seen - dt.timedelta(days=1), "older")
                selection = select(self.store, query, resolved, intent, found, page=self.page)
        noun = INTENT_NOUNS[intent]
        if intent == "statements" and (query.role or query.people) and not selection and query.topics:
            notes.append(f"Nothing by {self._who(query, names)} on {topic_list(query.topics, 'or')}; here is what was said.")
            query.topics, found = [], Found(None)
            selection = select(self.store, query, resolved, intent, found, page=self.page)
        if intent == "statements" and (query.role or query.people) and not selection:
            who = self._who(query, names)
            return Answer(query.text, intent, f"I have no statements by {who} on record.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        if not selection and query.documents:
            kind_of = query.document_words or "that kind of"
            notes.append(f"I have no {kind_of} document for {names}; these come from its other documents.")
            query.documents, query.document_words = (), None
            selection = select(self.store, query, resolved, intent, found, page=self.page) if found.ids != () else selection
        if not selection and query.dates:
            return Answer(query.text, intent, f"I have no {noun} for {names} {query.dates.describe()}.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        if not selection and query.topics:
            # Nothing on the topic: say so, then answer the question without it.
            wanted = topic_list(query.topics, "or")
            if found.ids == ():
                notes.append(f"Nothing on {wanted} for {names}" + (f" among {'their' if len(resolved) > 1 else 'its'} {noun}." if intent != "topic" else ".") + " Here is what I have instead.")
            else:
                notes.append(f"None of the {noun} for {names} mention {wanted}. Here is what I have instead.")
            found = Found(None)
            if intent == "topic":
                intent, noun = "overview", INTENT_NOUNS["overview"]
            selection = select(self.store, query, resolved, intent, found, page=self.page)
        if not selection and intent == "overview":
            selection = select(self.store, query, resolved, "topic", found, page=self.page)
        if not selection:
            return Answer(query.text, intent, f"I have no {noun} on record for {names}.", refs, notes=notes, suggestions=self._other_questions(refs[0], intent))
        notes = self._relax_note(found, names) + notes
        overview = self._overview(resolved[0], selection.counts) if intent in ("overview", "grades") and len(resolved) == 1 and not found.topics and not query.dates else None
        repeats = 0
        if overview and intent == "overview":
            # An overview is a phone screen: one finding once, under its best source, the others named with it.
            self.page_size = self.overview_page
            rows, also = without_repeats(higher_provenance_first(selection.rows, selection.documents))
            repeats = sum(map(len, also.values()))
            shown = rows[self.page * self.page_size : (self.page + 1) * self.page_size]
            citations = cite(shown, selection.documents, self.reference, also)
        else:
            shown = self._page_of(selection)
            citations = cite(shown, selection.documents, self.reference)
        on = f" on {topic_list(found.topics)}" if found.topics else ""
        when = f" ({query.dates.describe()})" if query.dates and query.dates.words != "older" else ""
        n_docs = selection.document_count
        if intent == "latest":
            newest = citations[0].document
            summary = f"The newest document I have on {names} is the {newest.label} of {long_date(newest.published, 'an unknown date')}. Its findings:"
        elif found.capped:
            summary = f"{how_many(found.matched)} findings on {names} mention {quoted(found.topics[0].words)}. {CAPPED}"
        else:
            heading = INTENT_HEADINGS[intent].format(names=names)
            if len(resolved) > 1:  # "What Kent Police and Essex Police need to improve"
                heading = heading.replace(" needs to ", " need to ").replace(" does well", " do well")
            if intent == "statements" and (query.role or query.people):
                who = self._who(query, names)
                heading = f"What the inspectors said about {names}" if who == f"the inspectors about {names}" else f"What {who} said"
            summary = f"{heading}{on}{when}: {tally(selection.counts)}, from {n_docs} document{'s' if n_docs != 1 else ''}, newest first."
        heading = None
        if overview:
            # Shown above the overview's block; the summary says the same facts in sentences (for the CLI and programs).
            total = sum(selection.counts.values())
            heading = f"{names}: {total} finding{'s' if total != 1 else ''} from {n_docs} document{'s' if n_docs != 1 else ''}, the most serious first."
            if intent == "grades":
                heading = f"Grades for {names}: {tally(selection.counts)} from {n_docs} document{'s' if n_docs != 1 else ''}."
            summary = " ".join([summary, *overview.sentences()])
        elif intent == "grades":
            summary += " " + NOT_COMPARABLE
        return Answer(query.text, intent, summary, refs, citations, notes=notes, more=self._more(selection.total - repeats), page=self.page, overview=overview, heading=heading)

    def _who(self, query: Query, names: str) -> str:
        if query.people:
            return " or ".join(query.people)
        role = " ".join(w.upper() if w in ("mp", "pcc", "cc", "cfo", "fbu", "hmi", "hm") else w for w in (query.role_words or "that person").split())
        if role.lower() in ("inspector", "inspectors", "hmi", "hm inspector"):
            return f"the inspectors about {names}" if names != "any organisation" else "the inspectors"
        return f"the {role} of {names}" if names != "any organisation" else f"the {role}"

    def _overview(self, organisation_id: str, counts: dict[str, int]) -> Overview:
        """An organisation's latest grade per area, the serious findings on record and its monitoring status."""
        overview = Overview(self.org_ref(organisation_id))
        seen: set[str] = set()
        documents: dict[int, DocumentRef] = {}
        history = self.store.grade_history(organisation_id)
        newest = max((d.published for *_, d in history if d.published), default=None)
        for area, grade, cycle, document in history:
            ref = documents.setdefault(document.id, DocumentRef.of(document))
            if newest and document.published and (newest - document.published).days > LATEST_GRADES_DAYS:
                continue  # an area graded only in an older inspection is in the picture (/grades), not in "latest"
            if normalise(area) not in seen:
                seen.add(normalise(area))
                overview.grades.append(GradeRow(area, grade, cycle, ref))
        overview.counts = {k: counts[k] for k in (Kind.cause_of_concern, Kind.area_for_improvement, Kind.recommendation) if counts.get(k)}
        mentions = self.store.monitoring_mentions(organisation_id)
        if mentions:
            statuses, document = mentions
            # A document reporting an exit recounts the entry ("placed in special measures in 2020"); one reporting
            # an entry rarely recounts an exit. So an exit anywhere in the newest document is its news.
            overview.monitoring = "engage_exited" if "engage_exited" in statuses else "engage_entered"
            overview.monitoring_document = DocumentRef.of(document)
        return overview

    def across(self, query: Query, intent: str, notes: list[str] | None = None, organisations: list[str] | None = None) -> Answer:
        """A topic across every organisation ("which forces are slow to answer 101 calls?"): each organisation
        with matching findings, most first; criticism only when the question is negative. The quotes are the
        most relevant first, one or two from each organisation before more of any. `organisations` narrows it
        to those (paging through an earlier answer)."""
        notes = list(notes or []) + self._correction_notes(query)
        if not query.topics and query.grade and intent == "grades":
            query.topics = [Topic(query.grade, (query.grade,))]  # "which forces were rated inadequate"
        among = [o.id for o in self.reference.organisations.values() if o.kind == query.kind] if query.kind else None
        among = organisations or among
        # National reports ("fire and rescue services in England") are about every organisation of the kind.
        national = among is not None
        # "slow", "delays" with another topic rank the findings on that topic rather than narrow them
        qualified = [t for t in query.topics if t.label != QUALIFIER] if query.negative else query.topics
        found = find(self.store, qualified or query.topics, among, widen=True, national=national)
        topic = topic_list([*found.topics, *(t for t in query.topics if t not in qualified)] if found.topics else query.topics)
        noun = INTENT_NOUNS.get(intent, "findings")
        negative = query.negative and intent in ("topic", "improve")
        choose = lambda kind, **kw: of_kind(select(self.store, query, among, kind, found, rows=RANKED, national=national, page=self.page, **kw), query.kind) if found.ids != () else Selection.empty()  # noqa: E731
        selection = choose(intent, negative_only=negative)
        if not selection and negative:
            selection = choose(intent)
            negative = False
        if selection and query.older:  # "older ones": published before the newest of these
            newest = max((f.published for f in selection.rows if f.published), default=None)
            if newest:
                query.dates = Dates(query.dates.since if query.dates else None, newest - dt.timedelta(days=1), "older")
                selection = choose(intent, negative_only=negative)
        if not selection and query.topics and (query.people or query.role):
            # "what did the MP say about vetting": what that person said in documents on the topic, when none of it
            # names the topic; else ("Gillespie vetting quotes") everything they said
            query.topics, found = [], Found(None)
            documents = query.documents
            query.documents = query.documents or tuple(dict.fromkeys(w for t in qualified or query.topics for w in (t.words, *t.phrases[:2])))
            selection = choose("statements")
            if selection and not documents:
                notes.append(f"Nothing by {self._who(query, 'any organisation')} names {topic}; here is what was said in documents on it.")
            else:
                query.documents = documents
                notes.append(f"Nothing by {self._who(query, 'any organisation')} on {topic}; here is what was said.")
                selection = choose("statements")
        if query.topics:
            about = f"on {topic}"
        elif query.role or query.people:
            about = f"by {self._who(query, 'any organisation')}"
        else:
            about = f"in {query.document_words} documents" if query.document_words else "across organisations"
        dated = f" {query.dates.describe()}" if query.dates else ""
        if not selection:
            if query.older:
                return Answer(query.text, intent, f"I have no older {noun} {about}.", notes=notes)
            if query.topics and not any(w in self.store.vocabulary or w.isdigit() for t in query.topics for p in t.phrases for w in p.split()):
                return self.help(query.text, query)
            return Answer(query.text, intent, f"I have no {noun} {about}{dated}.", notes=notes)
        ranked = selection.organisations
        refs = [self.org_ref(o) for o, _ in ranked]
        shown = self._page_of(replace(selection, rows=spread(by_relevance(selection, query, found.topics, self.store.vocabulary))))
        counted = ", ".join(f"{self.org_ref(o).name} ({n})" for o, n in ranked[:MAX_NAMED]) or "no single organisation"
        if len(ranked) > MAX_NAMED:
            counted += f" and {len(ranked) - MAX_NAMED} more"
        what = "Criticism" if negative else noun[:1].upper() + noun[1:]
        summary = f"{what} {about}{dated}: {tally(selection.counts)}. By organisation, most first: {counted}."
        if found.capped:
            summary = f"{how_many(found.matched)} findings mention {topic}, about {counted}. {RANKED_CAPPED}"
        notes = self._relax_note(found, None) + notes
        return Answer(query.text, intent, summary, refs, cite(shown, selection.documents, self.reference), notes=notes, more=self._more(selection.total), page=self.page)

    def compare(self, query: Query, resolved: list[str], notes: list[str]) -> Answer:
        """Two organisations side by side: counts by kind and their newest findings (on a topic, the most relevant)."""
        refs = [self.org_ref(i) for i in resolved]
        per_org = MAX_CITATIONS // 2
        citations: list[Citation] = []
        parts = []
        kind = query.intent if query.intent in INTENT_KINDS and query.intent not in ("compare", "overview", "latest") else "compare"
        for ref in refs:
            found = find(self.store, query.topics, [ref.id], own_first=True)
            # On a topic, each side's most relevant findings (of its newest matches); else its newest
            selection = select(self.store, query, [ref.id], kind, found, rows=2 * MAX_CITATIONS if found.ids else per_org, page=self.page) if found.ids != () else Selection.empty()
            if found.ids:
                selection = replace(selection, rows=by_relevance(selection, query, found.topics, self.store.vocabulary)[0])
            if not selection:
                has_any = bool(self.store.has_findings([ref.id]))
                on = f" on {topic_list(query.topics)}" if query.topics else ""
                parts.append(f"{ref.name}: {'no ' + INTENT_NOUNS[kind] + on + ' on record' if has_any else 'no inspection findings yet'}")
                continue
            parts.append(f"{ref.name}: {tally(selection.counts)}")
            citations += cite(selection.rows[:per_org], selection.documents, self.reference)
        on = f" on {topic_list(query.topics)}" if query.topics else ""
        summary = f"Side by side{on}. " + "; ".join(parts) + "."
        if kind == "grades" or "grade" in query.text.lower():
            summary += " Grades from different inspection cycles are not comparable."
        return Answer(query.text, "compare", summary, refs, citations, notes=notes + self._correction_notes(query))

    def compare_with_others(self, query: Query, organisation_id: str, notes: list[str]) -> Answer:
        """One organisation against the picture across the others of its kind, on the same kinds of finding."""
        ref = self.org_ref(organisation_id)
        if not query.others:
            return Answer(query.text, "compare", f"Compare {ref.name} with which organisation? Ask, for example, \u201ccompare {ref.name} and another force\u201d, "
                          f"or \u201chow does {ref.name} compare to other forces\u201d.",
                          [ref], notes=notes, suggestions=[f"How does {ref.name} compare to other forces?"])
        kind = query.intent if query.intent in INTENT_KINDS and query.intent not in ("compare", "overview", "latest") else "compare"
        found = find(self.store, query.topics, None)
        everyone = select(self.store, query, None, kind, found, rows=0, page=self.page) if found.ids != () else Selection.empty()
        peers = [(o, n) for o, n in everyone.organisations if self.reference.organisations[o].kind == ref.kind]
        own = select(self.store, query, [organisation_id], kind, found, rows=MAX_CITATIONS, page=self.page) if found.ids != () else Selection.empty()
        noun = "forces" if ref.kind == "police" else "fire and rescue services"
        if not own:
            return Answer(query.text, "compare", f"I have no {INTENT_NOUNS[kind]} on record for {ref.name} to compare.", [ref], notes=notes)
        others = [n for o, n in peers if o != organisation_id]
        rank = 1 + sum(1 for n in others if n > own.total)
        median = sorted(others)[len(others) // 2] if others else 0
        summary = (
            f"{ref.name} against the other {noun} I hold findings for ({len(others)}): {ref.name} has {tally(own.counts)}; "
            f"the median among the others is {median}. It ranks {rank} of {len(others) + 1} by number of findings of these kinds. "
            "Counts depend on which documents I hold, not only on performance."
        )
        return Answer(query.text, "compare", summary, [ref], cite(own.rows[:MAX_CITATIONS], own.documents, self.reference), notes=notes + self._correction_notes(query))

    def public_service(self, query: Query) -> Answer:
        """A short general answer (how to complain, whom to call), labelled as not from an inspection."""
        entry = public_services()[query.reference]
        notes = [f"General information, not an inspection finding. Source: {entry['sources']}."]
        return Answer(query.text, "reference", entry["text"], notes=notes)

    def headlines(self, document_id: int, organisation_id: str, limit: int = 3) -> Answer:
        """The first findings of a newly ingested document about one organisation, for its followers."""
        kinds, polarity = INTENT_KINDS["overview"]
        selection = self.store.select(FindingQuery(organisations=(organisation_id,), kinds=kinds, context_polarities=polarity, document_id=document_id), limit=limit)
        ref = self.org_ref(organisation_id)
        citations = cite(selection.rows[:limit], selection.documents, self.reference)
        if not citations:
            return Answer("", "headlines", f"A new document mentions {ref.name}.", [ref])
        document = citations[0].document
        when = long_date(document.published, "undated")
        summary = f"New on {ref.name}: the {document.label} of {when}, with {tally(selection.counts)}."
        return Answer("", "headlines", summary, [ref], citations, more=max(0, selection.total - limit))

    def help(self, question: str, query: Query | None = None) -> Answer:
        """The short help text for questions the bot cannot place."""
        summary = (
            "I answer questions about HMICFRS inspections of the police forces of England and Wales and the "
            "fire and rescue services of England, quoting the documents word for word. Name a force, a fire "
            "service or a town, and what you want to know."
        )
        if query and query.topics and not query.matches:
            summary = f"I have no findings about {quoted(query.topic)}. " + summary
        return Answer(question, "help", summary, suggestions=self.examples())

    def examples(self) -> list[str]:
        """Example questions about organisations the bot holds findings for (the shipped ones otherwise)."""
        return [question for question, _, _ in self.example_questions()]

    def example_questions(self) -> list[tuple[str, str, str | None]]:
        """(question, intent, organisation id) for three organisations with the most findings, each asked a
        different way; the shipped examples (no organisation) when the bot holds nothing."""
        held = self.store.organisations_with_findings(cached=True)
        if not held:
            return [(q, "", None) for q in EXAMPLES]
        top = sorted(held, key=lambda o: (-held[o], o))[:3]
        forms = [("What must {} improve?", "improve"), ("What is {} good at?", "strengths"), ("Is {} any good?", "overview")]
        return [(forms[i][0].format(self.reference.organisations[o].name), forms[i][1], o) for i, o in enumerate(top)]

    def citation(self, finding_id: int) -> Citation | None:
        """One finding cited on its own (for "Cite"), or None for an id that is not stored."""
        found = self.store.finding(finding_id)
        if found is None:
            return None
        finding, document = found
        return cite([finding], {document.id: document}, self.reference)[0]

    def grade_history(self, organisation_id: str) -> list[GradeRow]:
        """Every grade recorded for an organisation, newest inspection first."""
        refs: dict[int, DocumentRef] = {}
        return [GradeRow(area, grade, cycle, refs.setdefault(d.id, DocumentRef.of(d))) for area, grade, cycle, d in self.store.grade_history(organisation_id)]

    # -- citing --------------------------------------------------------------------------------

    def _page_of(self, selection: Selection) -> list[Finding]:
        rows = higher_provenance_first(selection.rows, selection.documents)
        return rows[self.page * self.page_size : (self.page + 1) * self.page_size]

    def _more(self, total: int) -> int:
        return max(0, total - (self.page + 1) * self.page_size)

    def _correction_notes(self, query: Query) -> list[str]:
        return [f"I read \u201c{wrong}\u201d as \u201c{right}\u201d." for wrong, right in query.corrections.items()]

    def _other_questions(self, ref: OrganisationRef, intent: str) -> list[str]:
        short = ref.name
        options = {
            "improve": f"What must {short} improve?",
            "strengths": f"What is {short} good at?",
            "statements": f"What did the inspector say about {short}?",
            "latest": f"Latest on {short}",
        }
        return [q for i, q in options.items() if i != intent][:3]


def answer(store: Store, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
    """Answer one question from the store (see Answerer.answer)."""
    return Answerer(store).answer(question, page=page, organisations=organisations, chat_id=chat_id)
