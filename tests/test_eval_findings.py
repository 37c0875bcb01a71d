"""The finding-level evaluation over the layout fixtures holds issue 9's targets (eval/findings.py)."""

from eval.findings import TARGETS, run, totals


def test_the_parser_meets_the_finding_level_targets():
    result = totals(run())
    assert result.documents >= 24
    assert result.recall >= TARGETS["recall"], result
    assert result.statements_as_findings == TARGETS["statements_as_findings"], result
    assert result.furniture == TARGETS["furniture"], result
    assert result.no_organisation <= TARGETS["no_organisation"], result
    assert result.titles == result.documents, result
