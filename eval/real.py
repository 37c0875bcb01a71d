"""`python -m eval.real`: the evaluation on real public pages (eval/real/), for the dev and test splits.

The pages' text is third-party and never in git: it lives in a local cache (eval/real/README.md says how to
gather it). What is in git is ours: the list of pages (eval/real/pages.tsv), labels of their key sentences
(eval/real/labels/*.json) and questions written from the pages before the bot was run on them
(eval/real/questions.*.jsonl). Every page is ingested into one fresh store, as a real knowledge base holds
them together; each question and each labelled page belongs to the split of its page.

Two tables per split: questions (pass rate per class, quotes attributed to the wrong organisation or speaker)
and findings (kind, organisation and speaker of each labelled key sentence; grades per area; Engage status;
national sentences given to a force; furniture as a title or finding). Writes eval/REAL.md.
"""

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_cache_dir
from rapidfuzz import fuzz
from sqlmodel import select

from knowledge import Answer, Store
from knowledge.documents.reading import read_bytes
from knowledge.ingest import ingest_sources
from knowledge.models import Document, Finding, Grade
from knowledge.questions.answering import Answerer

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "eval" / "real"
REPORT = ROOT / "eval" / "REAL.md"
CACHE = Path(os.environ.get("INSPECTION_BOT_REAL_CACHE") or Path(user_cache_dir("inspection-bot")) / "real")
TODAY = dt.date(2026, 12, 6)  # the day the questions were written: "last year" is 2025
PAGES = 2  # key phrases must be quoted within the first two pages of an answer (a user who presses "More" once)
CHAT = 2_000_000  # chat ids for conversations, one per question
ACROSS = frozenset({"cross", "status", "national"})  # classes whose answers may rightly quote other organisations
GRADES = {"outstanding", "good", "adequate", "requires improvement", "inadequate"}
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def norm(text: str) -> str:
    """Text compared as a reader would: quote marks, dashes, accents, case and spacing aside."""
    text = unicodedata.normalize("NFKD", text.translate(QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


LIST_TAIL = re.compile(r"\s*;\s*(?:and|or)?$")  # "prevents fires and other risks; and": the list's joint, not the item's words


def phrase_of(phrase: str) -> str:
    """A key phrase as a quote must hold it: normalised, without the "; and" that joins a list's items (a quoted item
    ends before it)."""
    return LIST_TAIL.sub("", norm(phrase))


@dataclass
class Page:
    id: str
    url: str
    date: dt.date
    organisations: list[str]
    national: bool
    split: str
    path: Path


@dataclass
class Question:
    id: str
    page: str | None
    cls: str
    turns: list[str]
    organisations: list[str]
    phrases: list[str]
    not_phrases: list[str] = field(default_factory=list)
    no_record: bool = False
    out_of_scope: bool = False


def split_of(question: Question, pages: dict[str, "Page"]) -> str:
    """A question's split is its page's; one written from no page (an organisation none covers) is split by its id."""
    if question.page is not None:
        return pages[question.page].split
    return "test" if int(hashlib.sha256(question.id.encode()).hexdigest(), 16) % 3 == 2 else "dev"


@dataclass
class Outcome:
    question: Question
    problems: list[str]
    first_page: bool  # every phrase quoted on the first page
    wrong: int = 0  # quotes attributed to another organisation or speaker


def load_pages() -> tuple[list[Page], list[str]]:
    """The pages of pages.tsv whose cached text is present and unchanged; and what is missing or changed."""
    pages, missing = [], []
    with (REAL / "pages.tsv").open(encoding="utf-8") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            path = CACHE / f"{row['id']}.txt"
            if not path.exists():
                missing.append(f"{row['id']}: not in the cache")
                continue
            if hashlib.sha256(path.read_bytes()).hexdigest() != row["sha256"]:
                missing.append(f"{row['id']}: cached text differs from the one labelled (sha256)")
                continue
            pages.append(Page(row["id"], row["url"], dt.date.fromisoformat(row["date"]), row["organisations"].split(),
                              row["national"] == "yes", row["split"], path))
    return pages, missing


def load_questions() -> list[Question]:
    questions = []
    for path in sorted(REAL.glob("questions.*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                questions.append(Question(
                    data["id"], data.get("page"), data["class"], data.get("conversation") or [data["ask"]],
                    data.get("organisations", []), data.get("phrases", []), data.get("not_phrases", []),
                    data.get("no_record", False), data.get("out_of_scope", False)))
            except (KeyError, json.JSONDecodeError) as error:
                raise SystemExit(f"{path.name}:{number}: {error}") from None
    return questions


def load_labels() -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted((REAL / "labels").glob("*.json"))}


def fill(store: Store, pages: list[Page]) -> dict[int, str]:
    """Ingest every page as the sync would: its text, its address, and its date when the text has none.
    Returns document id -> page id."""
    sources = []
    for page in pages:
        source = read_bytes(page.path.read_bytes(), name=page.path.name)
        sources.append(replace(source, url=page.url, published=source.published or page.date, source_path=None))
    documents = {}
    for page, result in zip(pages, ingest_sources(store, sources, quiet=True), strict=True):
        if result.status == "failed":
            print(f"{page.id} failed to ingest: {result.reason}", file=sys.stderr)
        elif result.document_id is not None:
            documents[result.document_id] = page.id
    return documents


class Judge:
    """Judges answers: the question's own expectations, and every quote against the labels of its page."""

    def __init__(self, store: Store, documents: dict[int, str], labels: dict[str, dict]) -> None:
        self.store, self.documents = store, documents
        self.labelled = {page: [(phrase_of(s["phrase"]), s) for s in label.get("sentences", [])] for page, label in labels.items()}
        with store.session() as session:
            self.texts = {d.id: d.text for d in session.exec(select(Document))}

    def misattributed(self, answer: Answer) -> list[str]:
        """Quotes whose labelled sentence is about another organisation, or said by someone else."""
        wrong = []
        for c in answer.citations:
            quote = norm(c.quote)
            for phrase, label in self.labelled.get(self.documents.get(c.document.id, ""), []):
                if phrase not in quote:
                    continue
                cited = c.organisation.id if c.organisation else None
                if label.get("organisation") != cited and label.get("kind") != "background":
                    wrong.append(f"{label['phrase']!r} quoted as {cited}'s, labelled {label.get('organisation')}'s")
                speaker = label.get("speaker")
                if label.get("kind") == "statement" and speaker and c.kind == "statement" and norm(speaker) not in norm(c.speaker or ""):
                    wrong.append(f"{label['phrase']!r} quoted as {c.speaker}'s, labelled {speaker}'s")
                break
        return wrong

    def judge(self, question: Question, answers: list[Answer]) -> Outcome:
        problems = []
        citations = [c for a in answers for c in a.citations]
        for c in citations:
            if self.texts.get(c.document.id, "")[c.start : c.end] != c.quote:
                problems.append(f"not an exact slice: {c.quote[:40]!r}")
        if question.out_of_scope or question.no_record:
            if citations:
                problems.append(f"{len(citations)} quotes where none were wanted")
        quoted = [norm(f"{c.context or ''} {c.quote}") for c in citations]
        first = [norm(f"{c.context or ''} {c.quote}") for c in answers[0].citations]
        missing = [p for p in question.phrases if not any(phrase_of(p) in q for q in quoted)]
        if missing:
            problems.append(f"not quoted: {missing}")
        shown = [p for p in question.not_phrases if any(phrase_of(p) in q for q in quoted)]
        if shown:
            problems.append(f"quoted what it should not: {shown}")
        wrong = self.misattributed(answers[0]) + (self.misattributed(answers[1]) if len(answers) > 1 else [])
        if question.cls not in ACROSS and question.organisations and not question.out_of_scope:
            others = sorted({c.organisation.id for c in citations if c.organisation and c.organisation.id not in question.organisations})
            if others:
                problems.append(f"quotes about {others}, asked about {question.organisations}")
        if question.cls in ACROSS and question.organisations and not question.no_record:
            named = {o.id for a in answers for o in a.organisations} | {c.organisation.id for c in citations if c.organisation}
            lacking = [o for o in question.organisations if o not in named]
            if lacking:
                problems.append(f"organisations missing: {lacking}")
        problems += wrong
        on_first = not any(not any(phrase_of(p) in q for q in first) for p in question.phrases)
        return Outcome(question, problems, on_first and not problems, len(wrong))


def ask(store: Store, question: Question, chat_id: int) -> list[Answer]:
    """The answer to the question's last turn, and its second page when it has one."""
    answerer = Answerer(store, today=TODAY)
    answer = None
    for turn in question.turns:
        answer = answerer.answer(turn, chat_id=chat_id)
    assert answer is not None
    answers = [answer]
    if PAGES > 1 and answer.more and answer.intent not in ("ambiguous", "help", "small_talk", "reference", "not_inspected"):
        answers.append(Answerer(store, today=TODAY).answer_again(answer.intent, [o.id for o in answer.organisations], answer.topic, page=1))
    return answers


# -- findings against labels -------------------------------------------------------------------------

KINDS = {  # a label's kind -> what the parser may rightly make of the sentence (kind, or "context:polarity")
    "cause_of_concern": {"cause_of_concern"},
    "area_for_improvement": {"area_for_improvement", "cause_of_concern"},
    "recommendation": {"recommendation"},
    "strength": {"strength", "context:positive", "grade"},  # "good at preventing crime" is a grade and praise
    "criticism": {"area_for_improvement", "context:negative", "cause_of_concern", "grade"},
    "figure": {"area_for_improvement", "context:negative", "context:positive", "context:neutral", "cause_of_concern", "strength"},
    "grade": {"grade"},
    "engage": {"context:negative", "context:neutral", "context:positive", "cause_of_concern", "area_for_improvement", "strength"},
    "statement": {"statement"},
}


@dataclass
class FindingsScore:
    sentences: int = 0
    right: int = 0
    grades_labelled: int = 0
    grades_exact: int = 0
    grades_invented: int = 0
    engage_pages: int = 0
    engage_right: int = 0
    national_to_force: int = 0
    furniture: int = 0
    titles: int = 0
    titles_right: int = 0
    misses: list[str] = field(default_factory=list)


def kind_of(f: Finding) -> str:
    return f"context:{f.polarity}" if f.kind == "context" else f.kind


def score_sentence(page: str, label: dict, findings: list[Finding], national: bool, score: FindingsScore) -> None:
    phrase = phrase_of(label["phrase"])
    matches = [f for f in findings if phrase in norm(f.text)]
    kind = label.get("kind")
    if kind == "background":
        status = [f for f in matches if f.status in ("engage_entered", "engage_exited")]
        score.sentences += 1
        if status:
            score.misses.append(f"{page}: background {label['phrase']!r} recorded as {status[0].status}")
        else:
            score.right += 1
        return
    score.sentences += 1
    if not matches:
        score.misses.append(f"{page}: {kind} {label['phrase']!r} is no finding")
        return
    f = matches[0]
    problems = []
    if kind in KINDS and kind_of(f) not in KINDS[kind]:
        problems.append(f"kind {kind_of(f)}")
    if kind == "engage" and label.get("status") and f.status != label["status"]:
        problems.append(f"status {f.status}")
    if (label.get("organisation") or None) != f.organisation_id:
        problems.append(f"organisation {f.organisation_id}")
        if national and label.get("organisation") is None and f.organisation_id:
            score.national_to_force += 1
    if kind == "statement" and label.get("speaker") and norm(label["speaker"]) not in norm(f.speaker or ""):
        problems.append(f"speaker {f.speaker}")
    if problems:
        score.misses.append(f"{page}: {kind}/{label.get('organisation')}/{label.get('speaker')} {label['phrase']!r}: " + ", ".join(problems))
    else:
        score.right += 1


def score_grades(page: str, label: dict, grades: list[Grade], score: FindingsScore) -> None:
    wanted = [g for g in label.get("grades", []) if g.get("grade") in GRADES]
    got = [(g.organisation_id, g.area, g.grade.replace("_", " ")) for g in grades]
    used: set[int] = set()
    for g in wanted:
        score.grades_labelled += 1
        hit = next((i for i, (org, area, grade) in enumerate(got) if i not in used and org == g.get("organisation") and grade == g["grade"]
                    and (fuzz.token_set_ratio(norm(area), norm(g["area"])) >= 80 or (g.get("overall") and norm(area) == "overall"))), None)
        if hit is None:
            score.misses.append(f"{page}: grade {g.get('organisation')} {g['area']!r} {g['grade']} not recorded")
        else:
            used.add(hit)
            score.grades_exact += 1
    for i, (org, area, grade) in enumerate(got):
        if i not in used:
            score.grades_invented += 1
            score.misses.append(f"{page}: grade {org} {area!r} {grade} recorded, not labelled")


def score_engage(page: str, label: dict, findings: list[Finding], score: FindingsScore) -> None:
    engage = label.get("engage")
    statuses = {f.status for f in findings if f.status in ("engage_entered", "engage_exited") and f.organisation_id == (engage or {}).get("organisation")}
    if not engage:
        return
    score.engage_pages += 1
    status = engage.get("status")
    right = {"entered": statuses == {"engage_entered"}, "in": "engage_entered" in statuses and "engage_exited" not in statuses,
             "exited": "engage_exited" in statuses, "left": "engage_exited" in statuses, "none": not statuses}.get(status, False)  # two labels say "left"
    if right:
        score.engage_right += 1
    else:
        score.misses.append(f"{page}: Engage {status} for {engage.get('organisation')}, recorded {sorted(s for s in statuses if s)}")


def score_page(page: Page, label: dict, document: Document, findings: list[Finding], grades: list[Grade], score: FindingsScore) -> None:
    for sentence in label.get("sentences", []):
        score_sentence(page.id, sentence, findings, page.national, score)
    score_grades(page.id, label, grades, score)
    score_engage(page.id, label, findings, score)
    for phrase in label.get("furniture", []):
        if norm(phrase) in norm(document.title or "") or any(norm(phrase) in norm(f.text) for f in findings):
            score.furniture += 1
            score.misses.append(f"{page.id}: furniture {phrase!r} in the title or a finding")
    if label.get("title"):
        score.titles += 1
        if norm(label["title"]) in norm(document.title or ""):
            score.titles_right += 1
        else:
            score.misses.append(f"{page.id}: title {document.title!r}, wanted one with {label['title']!r}")


def score_findings(store: Store, documents: dict[int, str], pages: dict[str, Page], labels: dict[str, dict]) -> dict[str, FindingsScore]:
    scores: dict[str, FindingsScore] = defaultdict(FindingsScore)
    by_page = {page: document for document, page in documents.items()}
    with store.session() as session:
        for page_id, label in labels.items():
            if page_id not in by_page or page_id not in pages:
                continue
            document = session.get(Document, by_page[page_id])
            findings = list(session.exec(select(Finding).where(Finding.document_id == document.id).order_by(Finding.start)))
            grades = list(session.exec(select(Grade).where(Grade.document_id == document.id)))
            score_page(pages[page_id], label, document, findings, grades, scores[pages[page_id].split])
    return scores


# -- the report -------------------------------------------------------------------------------------------


def percent(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "-"


def question_table(outcomes: list[Outcome]) -> list[str]:
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_class[o.question.cls].append(o)
    lines = ["| class | questions | passed | first page | wrong organisation or speaker |", "| --- | ---: | ---: | ---: | ---: |"]
    for cls in sorted(by_class):
        group = by_class[cls]
        passed = sum(o.problems == [] for o in group)
        lines.append(f"| {cls} | {len(group)} | {percent(passed, len(group))} | {percent(sum(o.first_page for o in group), len(group))} | {sum(o.wrong for o in group)} |")
    passed = sum(o.problems == [] for o in outcomes)
    lines.append(f"| **all** | {len(outcomes)} | **{percent(passed, len(outcomes))}** ({passed}) | {percent(sum(o.first_page for o in outcomes), len(outcomes))} | {sum(o.wrong for o in outcomes)} |")
    return lines


def findings_table(score: FindingsScore) -> list[str]:
    return [
        "| measure | measured | target |", "| --- | ---: | --- |",
        f"| key sentences with kind, organisation and speaker right | {percent(score.right, score.sentences)} ({score.right}/{score.sentences}) | >= 90% |",
        f"| grades per area exact | {percent(score.grades_exact, score.grades_labelled)} ({score.grades_exact}/{score.grades_labelled}) | >= 95% |",
        f"| grades recorded that no label gives | {score.grades_invented} | 0 |",
        f"| Engage status right | {score.engage_right}/{score.engage_pages} | every page |",
        f"| national sentences given to a force | {score.national_to_force} | 0 |",
        f"| furniture as a title or finding | {score.furniture} | 0 |",
        f"| titles right | {score.titles_right}/{score.titles} | |",
    ]


def report(pages: list[Page], outcomes: list[Outcome], scores: dict[str, FindingsScore], missing: list[str]) -> str:
    lines = ["# Evaluation on real public pages", "",
             f"`python -m eval.real` (part of `make eval`): {len(pages)} real pages ingested into one store "
             f"({sum(p.split == 'dev' for p in pages)} dev, {sum(p.split == 'test' for p in pages)} test), "
             f"{len(outcomes)} questions written from them before the bot was run on them, today fixed at {TODAY}. "
             f"A question passes when its key phrases are quoted within the first {PAGES} pages of the answer, no quote is about "
             "another organisation than the one asked about (for questions across organisations: every organisation expected "
             "is named), nothing it must not quote is quoted, and every quote is an exact slice of its document. "
             "'Wrong organisation or speaker' counts quotes whose labelled sentence is about another organisation or said by someone else."]
    if missing:
        lines += ["", f"Pages not in the cache or changed since they were labelled: {len(missing)} (their questions are skipped)."]
    by_id = {p.id: p for p in pages}
    for split in ("dev", "test"):
        group = [o for o in outcomes if split_of(o.question, by_id) == split]
        lines += ["", f"## {split}: questions", "", *question_table(group), "", f"## {split}: findings on labelled pages", "",
                  *findings_table(scores.get(split, FindingsScore()))]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.real", description=__doc__)
    parser.add_argument("--show", choices=("dev", "test"), help="print the failures of one split (read test only for its numbers)")
    parser.add_argument("--classes", help="only these classes of question, comma-separated")
    args = parser.parse_args()
    if not (REAL / "pages.tsv").exists():
        raise SystemExit("eval/real/pages.tsv is missing")
    pages, missing = load_pages()
    if not pages:
        print(f"Real-page evaluation skipped: no cached pages in {CACHE} (eval/real/README.md says how to gather them).")
        return
    by_id = {p.id: p for p in pages}
    questions = [q for q in load_questions() if (q.page is None or q.page in by_id) and (not args.classes or q.cls in args.classes.split(","))]
    labels = load_labels()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'real.db'}")
        documents = fill(store, pages)
        judge = Judge(store, documents, labels)
        outcomes = [judge.judge(q, ask(store, q, CHAT + i)) for i, q in enumerate(questions)]
        scores = score_findings(store, documents, by_id, labels)
        store.engine.dispose()
    text = report(pages, outcomes, scores, missing)
    if not args.classes:
        REPORT.write_text(text, encoding="utf-8")
    print(text)
    if args.show:
        for o in outcomes:
            if split_of(o.question, by_id) == args.show and o.problems:
                print(f"FAIL {o.question.id} [{o.question.cls}] {' / '.join(o.question.turns)}\n     " + "\n     ".join(o.problems))
        for line in scores.get(args.show, FindingsScore()).misses:
            print("MISS", line)
        kinds = Counter(line.split(": ")[1].split(" ")[0] for line in scores.get(args.show, FindingsScore()).misses if ": " in line)
        print("misses by label kind:", dict(kinds))


if __name__ == "__main__":
    main()
