"""The labelled question set holds its ground: what `make eval` measures, as a floor a change must not break.

The targets (95% overall, 90% per class: see eval/RESULTS.md) are met; the floors here are just under where the
set stands, so that a change which helps one question and costs several others fails here, not in a story.
"""

from eval.questions import evaluate, load_cases, report

FLOOR_OVERALL = 0.98  # measured 99.0% (506/511) when set
FLOOR_CLASS = 0.95  # the weakest classes (compare, nodata) measured 97.5%


def test_the_question_set_is_large_and_covers_every_class():
    cases = load_cases()
    classes = {c.cls for c in cases}
    assert len(cases) >= 400 and len(classes) >= 12
    assert all(sum(c.cls == cls for c in cases) >= 25 for cls in classes)


def test_the_question_set_passes_its_floor_with_no_quote_misattributed(fixture_store):
    outcomes = evaluate(fixture_store, load_cases())
    _, rates, overall = report(outcomes)
    broken = [o.case.id for o in outcomes if any("slice" in p or "source or date" in p for p in o.problems)]
    assert broken == []  # every quote an exact slice of its document, with a source and a date
    assert sum(o.wrong_organisation for o in outcomes) == 0
    assert overall >= FLOOR_OVERALL, rates
    assert min(rates.values()) >= FLOOR_CLASS, rates
