"""Answering: the short orchestration from a question to an Answer with Citations.

The question becomes one complete Query in conversation.py (understanding.py reads it, the chat's last question
completes it); its names become organisations in resolving.py; findings are chosen in selecting.py and ordered
in ranking.py; every sentence around them is written in wording.py; the result is plain data (answers.py).
No SQL here: every statement is in knowledge.state, and the statements of one answer run in one read session
(Store.reading(), handed down as a Reading).
"""

import datetime as dt
from dataclasses import replace

from knowledge import lexicon
from knowledge.matching import normalise, resolver_for
from knowledge.models import ChatContext, Kind
from knowledge.questions import scope, summaries, wording
from knowledge.questions.across import choose_across, of_the_kind
from knowledge.questions.answers import Answer, Citation, DocumentRef, GradeRow, OrganisationRef, Overview, cite
from knowledge.questions.choosing import INSPECTED_KINDS, choose_about
from knowledge.questions.comparing import Comparing
from knowledge.questions.conversation import Turn, follow, hear, pages_across, remembered, reread
from knowledge.questions.explaining import explained
from knowledge.questions.progress import PROGRESS, answer_progress, as_topic
from knowledge.questions.ranking import higher_provenance_first, spread, unsaid, without_repeats
from knowledge.questions.resolving import Resolution, resolve
from knowledge.questions.selecting import INSPECTORS, INTENT_KINDS, KIND_TOPIC, MAX_CITATIONS, Choice, Found, Page, Reading, joined, listed_then
from knowledge.questions.standing import grade_findings, holders, statuses
from knowledge.questions.understanding import Lexicon, Query, Topic, Understander, clean_question
from knowledge.questions.vocabulary import vocabulary
from knowledge.state import chats, records, search
from knowledge.state import store as stored
from knowledge.state.search import FindingQuery, Selection
from knowledge.state.store import Store

ACROSS_WITHOUT_TOPIC = frozenset({"engage", "concerns", "grades", "recommendations"})  # "which forces are in special measures"
AGED_DAYS = 730  # an organisation whose newest document is older than this: the answer says so
LATEST_GRADES_DAYS = 730  # "latest grades" are those of the inspections of the two years before the newest
GRADE_KEYS = {said: grade for grade, said in lexicon.GRADE_WORDS.items()}  # "requires improvement" -> requires_improvement
MAX_LISTED = 8  # organisations named as the best or worst graded
NOT_CONTINUED = frozenset({"help", "small_talk", "reference", "outside", "ambiguous", "not_inspected"})  # answers a follow-up does not continue


class Answerer(Comparing):
    """Answers questions from one Store."""

    def __init__(self, store: Store, *, today: dt.date | None = None, overview_page: int = MAX_CITATIONS) -> None:
        self.store = store
        self.reference = store.reference
        self.today = today
        self.overview_page = overview_page  # findings per page under an organisation's overview (fewer on a phone)

    def org_ref(self, organisation_id: str) -> OrganisationRef:
        return OrganisationRef.of(self.reference, organisation_id)

    def understander(self) -> Understander:
        """An Understander for this store: the names of the reference data and the words of the documents."""
        return Understander(resolver_for(self.reference), Lexicon(self.store.vocabulary, self.store.speakers), today=self.today)

    def understand(self, question: str) -> Query:
        """The question's slots, read against the names of the reference data and the words of the documents (for
        the bot's commands that take a name)."""
        return self.understander().understand(question)

    def resolve(self, query: Query, prefer_kind: str | None = None) -> Resolution:
        """Organisations the question names, or the candidates when a name could mean several (see resolving.py)."""
        with self.store.reading() as session:
            return resolve(Reading(self.store, session), query, prefer_kind)

    # -- the entry points ----------------------------------------------------------------------

    def answer(self, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
        """The answer to one question, never a guess: ambiguous names come back as suggestions.

        `page` counts pages of MAX_CITATIONS findings; `organisations` (ids) replaces the names in the
        question, as when the user picked one of the suggested organisations; with `chat_id`, a follow-up
        ("what about burglaries", "and Suffolk?") continues that chat's last question."""
        question = clean_question(question)
        if not question and not organisations:
            return self.help(question)
        with self.store.reading() as session:
            reading = Reading(self.store, session)
            context = chats.load_context(session, chat_id) if chat_id is not None else None
            turn, result = self._hear(reading, question, context, organisations, page)
        if chat_id is not None and turn is not None and result.intent not in NOT_CONTINUED:
            about, words = remembered(turn, result, self.store.vocabulary)
            self.store.write(lambda s: chats.save_context(s, chat_id, about, result.intent, words))
        return result

    def _hear(self, reading: Reading, question: str, context: ChatContext | None, organisations: list[str] | None, page: int) -> tuple[Turn | None, Answer]:
        """The question understood, completed by the chat's last one (`context`), and answered: the Turn (None when
        the answer does not continue a conversation) and the Answer."""
        query, last = hear(self.understander(), question, context, self.reference)
        if query.small_talk and not organisations:
            return None, Answer(question, "small_talk", wording.small_talk(query.small_talk, self.examples()[0]))
        if query.outside and not organisations:
            return None, Answer(question, "outside", scope.line(query.outside))
        if query.reference and not organisations:
            return None, self.public_service(query)
        if organisations is not None:
            known = tuple(o for o in organisations if o in self.reference.organisations)
            resolution = Resolution(known)
            if not known:
                return None, self.help(question)
        else:
            resolution = resolve(reading, query, prefer_kind=last.kind if last else None)
        refusal = self._refusal(question, query, resolution)
        if refusal:
            return None, refusal
        turn = follow(query, resolution.organisations, resolution.notes, last, self.reference, self.store.vocabulary)
        return turn, self._dispatch(reading, turn, max(0, page))

    def answer_again(self, intent: str, organisations: list[str], topic: list[str], *, page: int = 0) -> Answer:
        """The same answer again, from what an Answer records (its intent, organisations and words), without
        the question's text: how the bot pages through an answer without storing what was asked."""
        page = max(0, page)
        query = reread(self.understander(), self.reference, intent, organisations, topic)
        if query is None:
            return self.help("")
        with self.store.reading() as session:
            reading = Reading(self.store, session)
            if pages_across(intent, organisations):
                # More of an answer across organisations: the same ranking, over the organisations it listed
                return self.across(reading, query, intent, organisations=list(organisations), page=page)
            return self._dispatch(reading, Turn(query, tuple(organisations)), page)

    def _refusal(self, question: str, query: Query, resolution: Resolution) -> Answer | None:
        """The answer when the names cannot be answered for: ambiguous, without findings, or not inspected by HMICFRS."""
        if resolution.ambiguous:
            return Answer(question, "ambiguous", wording.which_of(resolution.ambiguous.words), suggestions=[self.reference.name_of(i) for i in resolution.candidates],
                          candidates=[self.org_ref(i) for i in resolution.candidates], topic=query.words, wanted=query.intent or ("topic" if query.topics else "overview"))
        if resolution.empty:
            names = " or ".join(self.reference.name_of(i) for i in resolution.empty)
            return Answer(question, query.intent or "overview", wording.no_findings_yet(names), [self.org_ref(i) for i in resolution.empty])
        for org in (self.reference.organisations[i] for i in resolution.organisations):
            if not org.inspected:
                return Answer(question, "not_inspected", wording.not_inspected(org.name, org.inspector), organisations=[self.org_ref(org.id)])
        return None

    def _dispatch(self, reading: Reading, turn: Turn, page: int = 0) -> Answer:
        """Answer a complete question about its organisations (or about none); `page` of the findings."""
        query, resolved, notes = turn.query, list(turn.organisations), list(turn.notes)
        intent = query.intent
        if intent == PROGRESS:  # "has it been fixed?": one organisation's concerns followed across documents, else as if not asked
            answered = answer_progress(reading, query, self.org_ref(resolved[0]), notes, page=page) if len(resolved) == 1 else None
            if answered is not None:
                return answered
            query, intent = replace(as_topic(query), intent=query.then), query.then
        if len(resolved) >= 2 and intent in (None, "compare", "overview"):
            intent = "compare"
        if intent == "compare" and len(resolved) >= 2:
            return self.compare(reading, query, resolved[:2], notes, page=page)
        if intent == "compare" and len(resolved) == 1:
            return self.compare_with_others(reading, query, resolved[0], notes)
        if not resolved and query.explain and (explanation := explained(reading, query)) is not None:
            shown = Page(page).of(explanation.rows)
            return Answer(query.text, "explain", wording.explaining(query.intent), [], cite(shown, explanation.documents, self.reference), notes=notes,
                          more=Page(page).more(len(explanation.rows)), page=page, topic=query.words)
        if resolved:
            return self.about(reading, query, resolved, intent or ("topic" if query.topics else "overview"), notes, page=page)
        if query.topics or ((query.role or query.persons) and intent in (None, "statements")) or intent in ACROSS_WITHOUT_TOPIC or query.documents \
                or query.extreme:
            return self.across(reading, query, across_intent(query, intent), notes, page=page)
        return self.help(query.text, query)

    # -- answers -------------------------------------------------------------------------------

    def about(self, reading: Reading, query: Query, resolved: list[str], intent: str, notes: list[str], *, page: int = 0) -> Answer:
        """Findings about one or more resolved organisations: an overview first for one organisation on its own;
        when the kind asked is thin, findings of other kinds follow it (selecting.followed)."""
        refs = [self.org_ref(i) for i in resolved]
        names = " and ".join(r.name for r in refs)
        seen = self.overview_page if intent == "overview" else MAX_CITATIONS
        choice = self._with_status(reading, choose_about(reading, query, resolved, intent, page=page, seen=seen), resolved)
        found_any = bool(choice.selection or choice.followed)
        if not found_any and not stored.has_findings(reading.session, resolved):  # asked only when nothing was found
            return Answer(query.text, intent, wording.no_findings_yet(names), refs, notes=notes, topic=query.words)
        query, intent, found, selection = choice.query, choice.intent, choice.found, choice.selection
        notes = [*notes, *wording.corrections(query), *(wording.relaxed_about(r, names, len(resolved) > 1) for r in choice.relaxed)]
        if not found_any:
            nothing = summaries.nothing_about(query, intent, names)
            if query.places and query.topics and intent in ("topic", "improve") and (national := self._national_instead(reading, query, nothing, notes, page)):
                return national
            return Answer(query.text, intent, nothing, refs, notes=notes, suggestions=wording.other_questions(refs[0].name, intent), topic=query.words)
        notes = self._about_notes(choice, names, notes, refs)
        alone = intent in ("overview", "grades", "latest") and len(resolved) == 1 and not found.topics and not query.dates and bool(selection)
        overview = self._overview(reading, resolved[0], selection.counts) if alone else None
        shown = Page(page, self.overview_page if overview and intent == "overview" else MAX_CITATIONS)
        both = joined(joined(selection, choice.followed), choice.later)
        citations, repeats = self._cite_page(both, shown, overview=bool(overview) and intent == "overview")
        if query.role == INSPECTORS and intent in INSPECTED_KINDS and page == 0 and citations and (citations[0].role or "").startswith(INSPECTORS):
            notes.append(wording.INSPECTORS_FIRST)  # "what did inspectors say X must improve": their own words lead
        return Answer(query.text, intent, self._about_summary(query, intent, names, len(resolved) > 1, choice, citations, overview), refs, citations,
                      notes=notes, more=shown.more(both.total - repeats), page=page, topic=query.words, overview=overview,
                      heading=summaries.overview_heading(intent, names, selection.counts, selection.document_count) if overview else None)

    def _national_instead(self, reading: Reading, query: Query, nothing: str, notes: list[str], page: int) -> Answer | None:
        """"Was mobilisation too late in the Southport riots?": nothing about the town's force on it, but national reports
        about no organisation are; they follow the "nothing" said of the force, never another force's words."""
        selection = choose_across(reading, query, "topic", None, page=0).selection
        rows = [f for f in selection.rows if f.organisation_id is None]
        if not rows:
            return None
        # one page, no "More": asked again without the town, the topic would be every force's
        return Answer(query.text, "topic", f"{nothing} {wording.NATIONAL_INSTEAD}", [], cite(rows[:MAX_CITATIONS], selection.documents, self.reference),
                      notes=notes, page=page, topic=query.words)

    @staticmethod
    def _with_status(reading: Reading, choice: Choice, resolved: list[str]) -> Choice:
        """An Engage answer about one organisation with its status as its newest record gives it ("still in special measures?")."""
        if choice.intent != "engage" or len(resolved) != 1 or not choice.selection:
            return choice
        states = statuses(*records.monitoring_records(reading.session, resolved))
        return replace(choice, status=states[0] if states else None)

    def _about_notes(self, choice: Choice, names: str, notes: list[str], refs: list[OrganisationRef]) -> list[str]:
        """What an answer about organisations says beside its summary: what its topic search gave up or widened,
        what follows the kind asked, and how old its newest document is."""
        found, query = choice.found, choice.query
        missing = unsaid([*choice.selection.rows, *choice.followed.rows], found.topics)
        titles = f" {' '.join(normalise(d.title or '') for d in [*choice.selection.documents.values(), *choice.followed.documents.values()])} "
        titled = [t for t in missing if f" {normalise(t.words)} " in titles]  # "fraud": the report on fraud says it of them
        notes = wording.relax_note(found, names, [*choice.selection.rows, *choice.followed.rows]) + notes + [wording.in_titled(t) if t in titled else wording.widened(t) for t in missing]
        if choice.followed:
            notes.append(wording.followed(choice.intent, query, bool(choice.selection), choice.on_kind))
        return notes + self._aged(refs)

    @staticmethod
    def _about_summary(query: Query, intent: str, names: str, plural: bool, choice: Choice, citations: list[Citation], overview: Overview | None) -> str:
        """What an answer about organisations found, in sentences (the overview's facts too)."""
        selection = choice.selection
        if not selection:  # only findings of other kinds: the kind asked is not on record
            return summaries.nothing_about(query, intent, names)
        newest = citations[0].document if intent == "latest" and citations else None
        summary = summaries.about_summary(query, intent, names, plural, choice.found, selection.counts, selection.document_count, newest)
        if choice.status is not None:  # "are they still in special measures?": the status first
            summary = f"{summaries.engage_now(names, choice.status)} {summary}"
        if overview:
            return " ".join([summary, *overview.sentences()])
        return summary + " " + wording.NOT_COMPARABLE if intent == "grades" else summary

    def _cite_page(self, selection: Selection, page: Page, *, overview: bool) -> tuple[list[Citation], int]:
        """The page of the selection, cited, and how many repeats were left out: a sentence two documents print word
        for word is quoted once, under its best source, the others named with it; an overview is a phone screen, so
        there a finding another document words a little differently is shown once too."""
        rows, also = without_repeats(higher_provenance_first(selection.rows, selection.documents), exact=not overview)
        return cite(page.of(rows), selection.documents, self.reference, also), sum(map(len, also.values()))

    def _overview(self, reading: Reading, organisation_id: str, counts: dict[str, int]) -> Overview:
        """An organisation's latest grade per area, the serious findings on record and its monitoring status."""
        organisation, grades = self.org_ref(organisation_id), self._latest_grades(reading, [organisation_id])[organisation_id]
        serious = {k: counts[k] for k in (Kind.cause_of_concern, Kind.area_for_improvement, Kind.recommendation) if counts.get(k)}
        mentions = records.monitoring_mentions(reading.session, organisation_id)
        if not mentions:
            return Overview(organisation, grades, serious)
        statuses, document = mentions
        # A document reporting an exit recounts the entry ("placed in special measures in 2020"); one reporting
        # an entry rarely recounts an exit. So an exit anywhere in the newest document is its news.
        monitoring = "engage_exited" if "engage_exited" in statuses else "engage_entered"
        return Overview(organisation, grades, serious, monitoring, DocumentRef.of(document))

    def _aged(self, refs: list[OrganisationRef]) -> list[str]:
        """'The newest document I hold on Durham Constabulary is from July 2022.' for each organisation whose newest
        document is more than two years old (from the store's minutes-old cache of newest dates)."""
        today = self.today or dt.date.today()
        newest = self.store.newest_documents()
        return [wording.aged(ref.name, day) for ref in refs if (day := newest.get(ref.id)) and (today - day).days > AGED_DAYS]

    @staticmethod
    def _latest_grades(reading: Reading, organisation_ids: list[str]) -> dict[str, list[GradeRow]]:
        """Each organisation's newest grade of each area, from the inspections of the two years before its newest
        (an area graded only in an older inspection is in the picture, /grades, not in "latest"). One statement."""
        grades: dict[str, list[GradeRow]] = {o: [] for o in organisation_ids}
        seen: set[tuple[str, str]] = set()
        documents: dict[int, DocumentRef] = {}
        newest: dict[str, dt.date] = {}
        for organisation, area, grade, cycle, document in records.grade_history(reading.session, organisation_ids):
            ref = documents.setdefault(document.id, DocumentRef.of(document))
            first = newest.setdefault(organisation, document.published) if document.published else None
            if first and document.published and (first - document.published).days > LATEST_GRADES_DAYS:
                continue
            if (organisation, normalise(area)) not in seen:
                seen.add((organisation, normalise(area)))
                grades[organisation].append(GradeRow(area, grade, cycle, ref))
        return grades

    def across(self, reading: Reading, query: Query, intent: str, notes: list[str] | None = None, organisations: list[str] | None = None, *,
               page: int = 0) -> Answer:
        """A topic across every organisation ("which forces are slow to answer 101 calls?"): each organisation
        with matching findings, most first; criticism only when the question is negative. The quotes are the
        most relevant first, one or two from each organisation before more of any. `organisations` narrows it
        to those (paging through an earlier answer)."""
        if standing := self._standing(reading, query, intent, notes or [], organisations, page=page):
            return standing
        choice = choose_across(reading, query, intent, organisations, page=page)
        asked = [*(notes or []), *wording.corrections(query)]
        notes = [*asked, *(wording.relaxed_across(r) for r in choice.relaxed)]
        query, intent, found, selection = choice.query, choice.intent, choice.found, choice.selection
        if not selection:
            if not query.older and query.topics and not query.persons and not self._known(query):
                return replace(self.help(query.text, query), topic=query.words)
            # nothing found even relaxed: no "here is what was said"
            return Answer(query.text, intent, summaries.nothing_across(query, intent, found), notes=asked, topic=query.words)
        refs = [self.org_ref(o) for o, _ in selection.organisations]
        ranked = [(ref.name, n) for ref, (_, n) in zip(refs, selection.organisations, strict=True)]
        ranked_rows = spread((selection.rows, selection.scores), national_first=True)
        shown = Page(page).of(higher_provenance_first(ranked_rows, selection.documents))
        summary = summaries.across_summary(query, intent, found, selection.counts, ranked, choice.negative)
        notes = wording.relax_note(found, None, shown) + notes + [wording.widened(t) for t in unsaid(selection.rows, found.topics)]
        # The next page asks again without the question's text: a kind named ("fire") goes with the words, unless the
        # organisations listed say it (conversation.reread)
        again = [*query.words, query.kind] if query.kind and not pages_across(intent, [r.id for r in refs]) else query.words
        return Answer(query.text, intent, summary, refs, cite(shown, selection.documents, self.reference), notes=notes,
                      more=Page(page).more(selection.total), page=page, topic=again)

    def _standing(self, reading: Reading, query: Query, intent: str, notes: list[str], organisations: list[str] | None, *, page: int) -> Answer | None:
        """Where organisations stand, when that is what is asked across them: their Engage status, the grades they
        hold, the best or worst graded (see standing.py); else None."""
        if intent == "engage" and not query.topics and not query.persons:
            return self._engage_across(reading, query, notes, organisations, page=page)
        if (query.extreme and not query.topics) or (intent == "grades" and (query.grade or query.extreme)):
            return self._graded_across(reading, query, notes, organisations, page=page)
        return None

    def _engage_across(self, reading: Reading, query: Query, notes: list[str], organisations: list[str] | None, *, page: int) -> Answer:
        """"Which forces are in special measures?": each organisation's Engage status as its latest record gives it
        (with dates: those in Engage at some time in them), each record quoted; then what else the documents say."""
        among = organisations or of_the_kind(reading.store, query.kind)
        findings, documents = records.monitoring_records(reading.session, among)
        dates = query.dates
        states = statuses(findings, documents, dates.since if dates else None, dates.until if dates else None)
        if dates:
            states = [s for s in states if s.engaged]
        if not states:
            return Answer(query.text, "engage", summaries.nothing_across(query, "engage", Found(None)), notes=notes, topic=query.words)
        names = {s.organisation: self.reference.name_of(s.organisation) for s in states}
        words = replace(query, topics=(Topic("special measures", vocabulary().kind_words["engage"], KIND_TOPIC),))
        more = choose_across(reading, words, "topic", among, page=page).selection  # what the documents say of it, of any organisation
        both = listed_then([s.finding for s in states], documents, more)
        shown = Page(page).of(both.rows)
        return Answer(query.text, "engage", summaries.engage_across(states, names, dates), [self.org_ref(s.organisation) for s in states],
                      cite(shown, both.documents, self.reference), notes=notes, more=Page(page).more(both.total), page=page, topic=query.words)

    def _graded_across(self, reading: Reading, query: Query, notes: list[str], organisations: list[str] | None, *, page: int) -> Answer | None:
        """"Which fire services are rated outstanding?", "the best force in the country": the organisations that hold
        the grade asked (in the area asked) at their latest inspection, or the best or worst graded; each grade
        quoted, then the findings that speak of it. None when no grade recorded fits."""
        among = organisations or of_the_kind(reading.store, query.kind or ("police" if query.extreme else None))
        grade = GRADE_KEYS.get(query.grade or "")
        order = holders(records.graded(reading.session, among), dates=query.dates, topics=query.topics, grade=grade, extreme=query.extreme, limit=MAX_LISTED)
        said = replace(query, topics=(*query.topics, *((Topic(query.grade, (query.grade,)),) if query.grade else ())), grade=None, extreme=None)
        if not order and query.extreme and not said.topics:  # "the best force": nothing to rank them by
            return Answer(query.text, "grades", summaries.no_grades_to_rank(query.extreme), notes=notes, topic=query.words)
        if not order:  # no grade recorded fits: the findings that speak of it ("judged outstanding in efficiency")
            return self.across(reading, said, "topic", notes, organisations, page=page) if said.topics else None
        more = choose_across(reading, said, "topic", among, page=page).selection if said.topics else Selection.empty()
        both = listed_then(*grade_findings(order), more)
        shown = Page(page).of(both.rows)
        summary = summaries.graded_across([(self.reference.name_of(o), hs) for o, hs in order], query, grade)
        return Answer(query.text, "grades", summary, [self.org_ref(o) for o, _ in order], cite(shown, both.documents, self.reference),
                      notes=notes, more=Page(page).more(both.total), page=page, topic=query.words)

    def _known(self, query: Query) -> bool:
        """Whether any word of the question's topics is one the findings use (or a number)."""
        return any(w in self.store.vocabulary or w.isdigit() for t in query.topics for p in t.phrases for w in p.split())

    def public_service(self, query: Query) -> Answer:
        """A short general answer (how to complain, whom to call), labelled as not from an inspection."""
        entry = wording.public_services()[query.reference]
        return Answer(query.text, "reference", entry["text"], notes=[wording.public_service_note(entry["sources"])])

    def headlines(self, document_id: int, organisation_id: str, limit: int = 3) -> Answer:
        """The first findings of a newly ingested document about one organisation, for its followers."""
        kinds, polarity = INTENT_KINDS["overview"]
        with self.store.reading() as session:
            selection = search.select(session, FindingQuery(organisations=(organisation_id,), kinds=kinds, context_polarities=polarity, document_id=document_id), limit=limit)
        ref = self.org_ref(organisation_id)
        citations = cite(selection.rows[:limit], selection.documents, self.reference)
        if not citations:
            return Answer("", "headlines", summaries.mentioned(ref.name), [ref])
        summary = summaries.new_on(ref.name, citations[0].document, selection.counts)
        return Answer("", "headlines", summary, [ref], citations, more=max(0, selection.total - limit))

    def help(self, question: str, query: Query | None = None) -> Answer:
        """The short help text for questions the bot cannot place."""
        unmatched = [t.words for t in query.topics if t.known] if query and query.topics and not query.matches else None  # never words no document uses
        return Answer(question, "help", wording.help_text(unmatched), suggestions=self.examples())

    def examples(self) -> list[str]:
        """Example questions about organisations the bot holds findings for (the shipped ones otherwise)."""
        return [question for question, _, _ in self.example_questions()]

    def example_questions(self) -> list[tuple[str, str, str | None]]:
        """(question, intent, organisation id) for three organisations with the most findings, each asked a
        different way; the shipped examples (no organisation) when the bot holds nothing."""
        held = self.store.organisations_with_findings(cached=True)
        if not held:
            return [(q, "", None) for q in wording.EXAMPLES]
        top = sorted(held, key=lambda o: (-held[o], o))[:3]
        forms = wording.EXAMPLE_FORMS
        return [(forms[i][0].format(self.reference.organisations[o].name), forms[i][1], o) for i, o in enumerate(top)]

    def citation(self, finding_id: int) -> Citation | None:
        """One finding cited on its own (for "Cite"), or None for an id that is not stored."""
        with self.store.reading() as session:
            found = stored.finding(session, finding_id)
        if found is None:
            return None
        finding, document = found
        return cite([finding], {document.id: document}, self.reference)[0]

    def grade_history(self, organisation_id: str) -> list[GradeRow]:
        """Every grade recorded for an organisation, newest inspection first."""
        refs: dict[int, DocumentRef] = {}
        with self.store.reading() as session:
            history = records.grade_history(session, organisation_id)
        return [GradeRow(area, grade, cycle, refs.setdefault(d.id, DocumentRef.of(d))) for _, area, grade, cycle, d in history]


def across_intent(query: Query, intent: str | None) -> str:
    """The kind of answer across organisations: as asked, or findings on the topic ("what did the State of Policing
    say about ..." asks what the documents say, not only people's words)."""
    if intent == "statements" and not (query.persons or query.role):
        return "topic"
    return intent if intent in INTENT_KINDS and intent not in ("compare", "overview") else "topic"


def answer(store: Store, question: str, *, page: int = 0, organisations: list[str] | None = None, chat_id: int | None = None) -> Answer:
    """Answer one question from the store (see Answerer.answer)."""
    return Answerer(store).answer(question, page=page, organisations=organisations, chat_id=chat_id)
