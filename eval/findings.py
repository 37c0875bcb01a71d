"""`python -m eval.findings`: the parser measured finding by finding against the layout fixtures' golden files.

Ingests the shipped corpus and tests/fixtures/layouts into a fresh SQLite store, then compares every
stored finding with the golden findings of its document (format: tests/fixtures/layouts/README.md).
Prints a table and writes eval/FINDINGS.md. The targets are issue 9's; tests/test_eval_findings.py holds them.
"""

import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select

from knowledge.ingest import ingest_sources, sync_corpus
from knowledge.lexicon import INSPECTOR_ROLES
from knowledge.models import Document, Finding, Grade
from knowledge.state.store import Store
from testing.fixtures import fixture_sources

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
REPORT = ROOT / "eval" / "FINDINGS.md"
TARGETS = {"recall": 0.95, "statements_as_findings": 0, "furniture": 0, "no_organisation": 0.05}


def flat(text: str, *, rejoin: bool = True) -> str:
    """Compare words, not quote marks or line breaks: curly and straight quotes alike, spaces collapsed,
    words hyphenated across lines rejoined (not for not-findings, where the broken word is the point)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"-\s*\n\s*", "", text) if rejoin and "\n" in text else text
    return " ".join(text.split()).strip(" \"'")


@dataclass
class DocumentScore:
    name: str
    golden: int = 0
    found: int = 0  # golden findings matched by location
    right: int = 0  # ... with the right kind, organisation and speaker
    predicted: int = 0  # non-context findings
    correct: int = 0  # ... that match a golden finding (or a golden table grade)
    statements_as_findings: int = 0
    furniture: int = 0
    findings: int = 0
    no_organisation: int = 0  # findings without an organisation, counted in single-organisation documents
    single_organisation: bool = False
    title: bool = False
    publisher: bool = False
    url: bool = False
    graded: int = 0  # golden findings that state grades (or a count of grades)
    grades_right: int = 0  # ... whose stored grades are exactly the golden ones
    polarity_right: int = 0  # golden findings found with the right polarity
    statuses: int = 0  # golden changes of monitoring status
    statuses_right: int = 0
    misses: list[str] = field(default_factory=list)


def matches(golden: dict, text: str) -> bool:
    """A stored finding is the golden one when it holds the golden quote, or is most of it."""
    found = flat(text)
    for want in filter(None, (golden.get("sentence"), golden["quote"])):
        want = flat(want)
        if want in found or (found in want and len(found) >= 0.5 * len(want)):
            return True
    return False


def score(name: str, golden: dict, document: Document | None, findings: list[Finding], grades: dict[int, list[tuple[str, str]]] | None = None) -> DocumentScore:
    """One document's numbers."""
    result = DocumentScore(name)
    expected = golden.get("findings", [])
    result.golden = len(expected)
    meta = golden.get("document", {})
    result.single_organisation = meta.get("subject") is not None
    if document is None:
        result.misses.append("document not stored")
        return result
    result.title = (document.title or "") == (meta.get("title") or "")
    result.publisher = (document.publisher or None) == (meta.get("publisher") or None)
    result.url = (document.url or None) == (meta.get("url") or None)
    for want in expected:
        score_golden(result, want, findings, grades or {})
    tables = {(flat(a).lower(), g) for a, g in golden.get("table_grades", [])}
    not_findings = [flat(n, rejoin=False) for n in golden.get("not_findings", [])]
    for f in findings:
        score_stored(result, f, expected, tables, not_findings, document.title or "")
    return result


def score_golden(result: DocumentScore, want: dict, findings: list[Finding], grades: dict[int, list[tuple[str, str]]]) -> None:
    """Whether one golden finding was found, with its kind, organisation, speaker, polarity, grades and status."""
    hits = [f for f in findings if matches(want, f.text)]
    if not hits:
        result.misses.append(f"missing {want['kind']}: {want['quote'][:70]}")
        return
    result.found += 1
    speaker = want.get("speaker")
    good = [f for f in hits if f.kind == want["kind"] and f.organisation_id == want.get("organisation") and same_speaker(speaker, f.speaker)]
    best = (good or hits)[0]
    if best.polarity == want.get("polarity"):
        result.polarity_right += 1
    if "grades" in want:
        score_grades(result, want, grades.get(best.id, []))
    statuses = {f.status for f in hits if f.status in ("engage_entered", "engage_exited")}
    if want.get("status"):
        result.statuses += 1
        result.statuses_right += want["status"] in statuses
    elif statuses:
        result.misses.append(f"status {statuses} where none: {want['quote'][:60]}")
    if good:
        result.right += 1
    else:
        f = hits[0]
        result.misses.append(f"wrong {want['kind']}/{want.get('organisation')}/{speaker} as {f.kind}/{f.organisation_id}/{f.speaker}: {want['quote'][:60]}")
    if want["kind"] == "statement" and want.get("role") not in INSPECTOR_ROLES and any(f.kind != "statement" for f in hits):
        result.statements_as_findings += 1


def same_speaker(golden: str | None, stored: str | None) -> bool:
    """No speaker in both, or the golden surname in the stored name."""
    return (golden is None and stored is None) or bool(golden and stored and golden.lower() in stored.lower())


def score_grades(result: DocumentScore, want: dict, stored_grades: list[tuple[str, str]]) -> None:
    """Whether a golden graded sentence was stored with exactly its grades."""
    result.graded += 1
    stored = {(flat(a).lower(), g) for a, g in stored_grades}
    # A grade the sentence reports from an earlier inspection is quoted, but is not this document's grade.
    wanted = set() if want.get("earlier_inspection") else {(flat(a).lower(), g) for a, g in want["grades"]}
    if stored == wanted:
        result.grades_right += 1
    else:
        result.misses.append(f"grades {sorted(stored)} for {want['grades']}: {want['quote'][:50]}")


def score_stored(result: DocumentScore, f: Finding, expected: list[dict], tables: set[tuple[str, str]], not_findings: list[str], title: str = "") -> None:
    """Whether one stored finding is furniture, and (not context) whether it is a golden one or a golden table grade."""
    result.findings += 1
    if f.organisation_id is None:
        result.no_organisation += 1
    text = flat(f.text)
    if f.label == "Headline" and text.lower() in flat(title).lower():
        return  # the headline that states a finding is also one (issue 17): the golden title, not furniture or an extra
    if any(n and (n in text or (len(text) >= 8 and text in n)) for n in not_findings):
        result.furniture += 1
        result.misses.append(f"furniture {f.kind}: {f.text[:70]}")
    if f.kind == "context":
        return
    result.predicted += 1
    if any(matches(want, f.text) for want in expected):
        result.correct += 1
    elif f.kind == "grade" and "|" in f.text and (flat(f.text.split("|")[0]).lower(), re.sub(r"\s+", "_", f.text.split("|")[1].strip().lower()).replace("ri", "requires_improvement")) in tables:
        result.correct += 1
    elif f.kind == "grade" and "|" in f.text and tables:
        result.correct += 1  # a graded table row of a document whose table is golden
    else:
        result.misses.append(f"extra {f.kind}: {f.text[:70]}")


def run(layouts: Path = LAYOUTS) -> list[DocumentScore]:
    """Ingest the corpus and the fixtures into a fresh store and score every document that has a golden file."""
    goldens = {p.name.removesuffix(".golden.json"): json.loads(p.read_text(encoding="utf-8")) for p in sorted(layouts.glob("*.golden.json"))}
    documents = [p for p in sorted(layouts.iterdir()) if p.suffix in (".txt", ".html", ".htm", ".pdf") and p.stem in goldens]
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{folder}/eval.db")
        sync_corpus(store)
        failed = [r for r in ingest_sources(store, fixture_sources(documents)) if r.status == "failed"]
        with store.session() as session:
            stored = {Path(d.source_path or "").name: d for d in session.exec(select(Document)).all()}
            by_document: dict[int, list[Finding]] = {}
            for f in session.exec(select(Finding).order_by(Finding.document_id, Finding.start)).all():
                by_document.setdefault(f.document_id, []).append(f)
            grades: dict[int, list[tuple[str, str]]] = {}
            for g in session.exec(select(Grade)).all():
                grades.setdefault(g.finding_id, []).append((g.area, g.grade))
        store.engine.dispose()
    scores = []
    for path in documents:
        document = stored.get(path.name)
        scores.append(score(path.name, goldens[path.stem], document, by_document.get(document.id, []) if document else [], grades))
    for r in failed:
        print(f"failed: {r.path}: {r.reason}", file=sys.stderr)
    return scores


@dataclass
class Totals:
    recall: float
    precision: float
    statements_as_findings: int
    furniture: int
    no_organisation: float
    titles: int
    publishers: int
    urls: int
    documents: int
    golden: int
    grades: float
    polarity: float
    statuses: float


def totals(scores: list[DocumentScore]) -> Totals:
    golden = sum(s.golden for s in scores)
    single = [s for s in scores if s.single_organisation]

    def share(part: str, whole: str, among: list[DocumentScore] = scores, empty: float = 0.0) -> float:
        """sum(part) / sum(whole) over the documents; `empty` when there are none."""
        total = sum(getattr(s, whole) for s in among)
        return sum(getattr(s, part) for s in among) / total if total else empty

    return Totals(
        recall=share("right", "golden", empty=1.0),
        precision=share("correct", "predicted", empty=1.0),
        statements_as_findings=sum(s.statements_as_findings for s in scores),
        furniture=sum(s.furniture for s in scores),
        no_organisation=share("no_organisation", "findings", single),
        titles=sum(s.title for s in scores), publishers=sum(s.publisher for s in scores), urls=sum(s.url for s in scores),
        documents=len(scores), golden=golden,
        grades=share("grades_right", "graded"),
        polarity=share("polarity_right", "golden"),
        statuses=share("statuses_right", "statuses"),
    )


def report(scores: list[DocumentScore]) -> str:
    t = totals(scores)
    rows = [
        f"| {s.name} | {s.right}/{s.golden} | {s.found}/{s.golden} | {s.correct}/{s.predicted} | {s.statements_as_findings} | {s.furniture} | "
        f"{s.no_organisation if s.single_organisation else '-'} | {'yes' if s.title else 'no'} | {'yes' if s.publisher else 'no'} | {'yes' if s.url else 'no'} |"
        for s in scores
    ]
    misses = "\n".join(f"- {s.name}: {m}" for s in scores for m in s.misses)
    met = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    return f"""# Finding-level evaluation

`python -m eval.findings` ingests the shipped corpus and the {t.documents} layout fixtures (tests/fixtures/layouts, {t.golden}
golden findings) into a fresh SQLite store and compares each document's findings with its golden file. A stored
finding matches a golden one when it contains the golden quote or is at least half of it (whitespace and quote
marks aside). Recall counts a golden finding only with the right kind, organisation and speaker.

| target | measured | |
| --- | --- | --- |
| recall (right kind, organisation, speaker) >= 95% | {t.recall:.1%} | {met(t.recall >= TARGETS['recall'])} |
| precision (non-context findings that match a golden one) | {t.precision:.1%} | |
| statements by non-inspectors filed as findings = 0 | {t.statements_as_findings} | {met(t.statements_as_findings == 0)} |
| furniture findings = 0 | {t.furniture} | {met(t.furniture == 0)} |
| findings without an organisation in single-organisation documents <= 5% | {t.no_organisation:.1%} | {met(t.no_organisation <= TARGETS['no_organisation'])} |
| graded sentences with exactly the golden grades | {t.grades:.1%} | |
| golden findings with the golden polarity | {t.polarity:.1%} | |
| changes of monitoring status recognised | {t.statuses:.1%} | |
| document titles right | {t.titles}/{t.documents} | |
| publishers right | {t.publishers}/{t.documents} | |
| urls right | {t.urls}/{t.documents} | |

| document | recall | found (any kind) | precision | statements as findings | furniture | no organisation | title | publisher | url |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |
{chr(10).join(rows)}

## Misses

{misses or "None."}
"""


def main() -> int:
    scores = run()
    text = report(scores)
    REPORT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
