"""`python -m eval.questions`: the labelled question set (tests/questions/*.jsonl) over the fixture documents.

Prints the pass rate per class of question and overall, and writes eval/RESULTS.md. Every citation of every
answer is also checked against its stored document (an exact slice), and counted when it is attributed to
an organisation the question was not about.
"""

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import Answer, Store
from knowledge.ingest import ingest_sources, sync_corpus
from knowledge.models import Document
from knowledge.questions.answering import Answerer
from testing.fixtures import fixture_sources

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "questions"
FIXTURES = [ROOT / "tests" / "fixtures" / name for name in ("articles", "formats", "layouts")]
RESULTS = ROOT / "eval" / "RESULTS.md"
TODAY = dt.date(2026, 11, 26)  # "last year" in the question set means 2025
PAGES = 2  # quotes must appear within the first two pages, as a user who presses "More" once sees them
TARGET_OVERALL, TARGET_CLASS = 0.95, 0.90
CHAT = 1_000_000  # chat ids for conversations start here, one per conversation


@dataclass
class Case:
    """One labelled question (or conversation: the expectations are about its last turn)."""

    id: str
    cls: str
    turns: list[str]
    intent: list[str]
    organisations: list[str] | None = None  # exactly these, in any order
    organisations_include: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    not_quotes: list[str] = field(default_factory=list)
    summary: str = ""
    no_citations: bool = False
    speaker: str = ""

    @classmethod
    def of(cls, data: dict, default_class: str) -> "Case":
        turns = data.get("conversation") or [data["ask"]]
        intent = data["intent"]
        return cls(
            id=data["id"], cls=data.get("class", default_class), turns=turns,
            intent=intent if isinstance(intent, list) else [intent],
            organisations=data.get("organisations"), organisations_include=data.get("organisations_include", []),
            quotes=data.get("quotes", []), not_quotes=data.get("not_quotes", []), summary=data.get("summary", ""),
            no_citations=data.get("no_citations", False), speaker=data.get("speaker", ""),
        )


@dataclass
class Outcome:
    case: Case
    problems: list[str]
    wrong_organisation: int = 0
    answer: Answer | None = None

    @property
    def passed(self) -> bool:
        return not self.problems


def load_cases(folder: Path = QUESTIONS) -> list[Case]:
    """Every case of every .jsonl file (the file's name is the default class)."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    cases.append(Case.of(json.loads(line), path.stem))
                except (KeyError, json.JSONDecodeError) as error:
                    raise SystemExit(f"{path.name}:{number}: {error}") from None
    return cases


def documents() -> list[Path]:
    """Every fixture document (their golden files and READMEs are not documents)."""
    return sorted(p for folder in FIXTURES for p in folder.rglob("*") if p.suffix in (".txt", ".html", ".htm", ".pdf"))


def fill(store: Store) -> None:
    """The shipped corpus and every fixture document."""
    results = list(sync_corpus(store)) + list(ingest_sources(store, fixture_sources(documents())))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise SystemExit("fixtures failed to ingest: " + "; ".join(f"{r.path}: {r.reason}" for r in failed))


def verbatim_problems(store: Store, answer: Answer) -> list[str]:
    """The product's promise: each quote an exact slice of its stored document, with a source and a date."""
    problems = []
    with store.session() as session:
        for c in answer.citations:
            document = session.get(Document, c.document.id)
            if document is None or document.text[c.start : c.end] != c.quote:
                problems.append(f"quote is not a slice of its document: {c.quote[:60]!r}")
            if not c.document.label or c.document.published is None:
                problems.append(f"citation without a source or date: {c.quote[:60]!r}")
    return problems


def run_case(store: Store, case: Case, chat_id: int) -> Outcome:
    answerer = Answerer(store, today=TODAY)
    answer = None
    for turn in case.turns:
        answer = answerer.answer(turn, chat_id=chat_id)
    assert answer is not None
    pages = [answer]
    if answer.more and answer.intent in ("improve", "concerns", "recommendations", "strengths", "grades", "statements", "overview", "latest", "topic", "engage"):
        pages.append(Answerer(store, today=TODAY).answer_again(answer.intent, [o.id for o in answer.organisations], answer.topic, page=1))
    citations = [c for page in pages[:PAGES] for c in page.citations]
    quotes = [c.quote for c in citations]
    problems = []
    for page in pages:
        problems += verbatim_problems(store, page)
    if answer.intent not in case.intent:
        problems.append(f"intent {answer.intent}, wanted {'/'.join(case.intent)}")
    ids = [o.id for o in answer.organisations]
    if case.organisations is not None and sorted(ids) != sorted(case.organisations):
        problems.append(f"organisations {ids}, wanted {case.organisations}")
    missing = [o for o in case.organisations_include if o not in ids]
    if missing:
        problems.append(f"organisations {ids} lack {missing}")
    for expected in case.quotes:
        if not any(expected in q for q in quotes):
            problems.append(f"no quote with {expected[:70]!r}")
    for unwanted in case.not_quotes:
        if any(unwanted in q for q in quotes):
            problems.append(f"a quote has {unwanted[:70]!r}")
    said = " ".join([answer.summary, *answer.notes]).lower()
    if case.summary and case.summary.lower() not in said:
        problems.append(f"summary lacks {case.summary!r}")
    if case.no_citations and quotes:
        problems.append(f"{len(quotes)} quotes, wanted none")
    if case.speaker:
        wrong = [c for c in citations if c.kind == "statement" and case.speaker.lower() not in (c.speaker or "").lower()]
        if wrong or not citations:
            problems.append(f"statements not by {case.speaker}: {[c.speaker for c in wrong][:3]}")
    wrong_org = 0
    if case.organisations:
        wrong_org = sum(1 for c in citations if c.organisation and c.organisation.id not in case.organisations)
        if wrong_org:
            problems.append(f"{wrong_org} quotes about another organisation")
    return Outcome(case, problems, wrong_org, answer)


def evaluate(store: Store, cases: list[Case]) -> list[Outcome]:
    return [run_case(store, case, CHAT + i) for i, case in enumerate(cases)]


def report(outcomes: list[Outcome]) -> tuple[str, dict[str, float], float]:
    """The results table (Markdown), the pass rate per class and overall."""
    by_class: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_class[o.case.cls].append(o)
    rates = {cls: sum(o.passed for o in group) / len(group) for cls, group in sorted(by_class.items())}
    overall = sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0
    wrong = sum(o.wrong_organisation for o in outcomes)
    lines = [
        "# Answer quality: the labelled question set",
        "",
        f"`make eval` over {len(outcomes)} questions in tests/questions/ (fixture documents of tests/fixtures/, "
        f"today = {TODAY.isoformat()}). Targets: at least {TARGET_OVERALL:.0%} overall and {TARGET_CLASS:.0%} in every class; "
        "every quote an exact slice of stored text; no quote attributed to another organisation.",
        "",
        "| class | questions | passed | rate |",
        "| --- | ---: | ---: | ---: |",
    ]
    for cls, group in sorted(by_class.items()):
        lines.append(f"| {cls} | {len(group)} | {sum(o.passed for o in group)} | {rates[cls]:.1%} |")
    lines += [f"| **overall** | {len(outcomes)} | {sum(o.passed for o in outcomes)} | **{overall:.1%}** |", "",
              f"Quotes attributed to an organisation the question was not about: {wrong}.", ""]
    failures = [o for o in outcomes if not o.passed]
    if failures:
        lines += ["## Failing questions", ""]
        for o in failures:
            lines.append(f"- `{o.case.id}` {' / '.join(o.case.turns)!r}: {'; '.join(o.problems)}")
        lines.append("")
    return "\n".join(lines), rates, overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.questions", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the cases whose id starts with this")
    parser.add_argument("--show", action="store_true", help="print each failing answer's summary")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite eval/RESULTS.md")
    args = parser.parse_args(argv)
    cases = [c for c in load_cases() if not args.only or c.id.startswith(args.only)]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'eval.db'}")
        fill(store)
        outcomes = evaluate(store, cases)
        store.engine.dispose()
    text, rates, overall = report(outcomes)
    for cls, rate in rates.items():
        print(f"{cls:>14}  {rate:6.1%}")
    print(f"{'overall':>14}  {overall:6.1%}  ({sum(o.passed for o in outcomes)}/{len(outcomes)})")
    if args.show:
        for o in outcomes:
            if not o.passed:
                print(f"\n{o.case.id}: {' / '.join(o.case.turns)}\n  {'; '.join(o.problems)}\n  -> {o.answer.intent}: {o.answer.summary[:300]}\n  notes: {o.answer.notes}")
    if not args.no_write and not args.only:
        RESULTS.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
