"""The files written from columns (junit.xml, violations.csv) are the files written from records;
junit.xml holds any text a record may carry: markup characters, quotes, line breaks and
characters XML cannot hold at all, written the same from columns as from records."""
from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import numpy as np
from hypothesis import given, settings, strategies as st

from checker.report.junit import junit_xml
from checker.results.columns import Blocks, ViolationBlock

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RULE = {"id": "R-1", "applies_to": "deals", "title": {"en": "A <rule> & more"}, "severity": "high", "clause": "1"}


def _as_xml_holds_it(text: str) -> str:
    # An attribute value's line breaks and tabs come back as written (they are escaped as entities).
    return _NOT_XML.sub("\ufffd", text)


def _violations(keys: list[str], messages: list[str]) -> Blocks:
    n = len(keys)
    columns = {"fingerprint": [f"f{i}" for i in range(n)], "key": keys, "status": ["open"] * n,
               "owner_id": [None] * n, "owner_name": [None] * n, "supervisor_id": [None] * n,
               "supervisor_name": [None] * n}
    texts = [{"zh": m, "en": m} for m in messages]
    return Blocks([ViolationBlock({"rule_id": "R-1", "table": "deals", "severity": "high", "clause": "1"}, columns,
                                  texts, np.arange(n), {"note": messages}, {}, {}, None, None)])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), min_size=1, max_size=6))
def test_every_text_comes_back_from_the_xml_and_columns_write_what_records_do(rows):
    keys, messages = [k for k, _ in rows], [m for _, m in rows]
    blocks = _violations(keys, messages)
    from_columns = b"".join(junit_xml({"rules": [_RULE], "violations": blocks}))
    from_records = b"".join(junit_xml({"rules": [_RULE], "violations": list(blocks)}))
    assert from_columns == from_records
    cases = list(ET.fromstring(from_columns).iter("testcase"))
    assert [c.get("name") for c in cases] == [_as_xml_holds_it(k) for k in keys]
    assert [c.find("failure").get("message") for c in cases] == [_as_xml_holds_it(m) for m in messages]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), min_size=0, max_size=5))
def test_the_csv_from_columns_is_the_csv_from_records(rows):
    from checker.report.writers import violations_csv_pieces

    blocks = _violations([k for k, _ in rows], [m for _, m in rows])
    as_csv = lambda violations: b"".join(p if isinstance(p, bytes) else p.encode()  # noqa: E731
                                         for p in violations_csv_pieces({"violations": violations}))
    assert as_csv(blocks) == as_csv(list(blocks))


def test_a_column_of_the_blocks_is_the_field_of_every_record(tmp_path, monkeypatch):
    """The report reads results kept as blocks a field at a time: each field (and one no record
    has) equals the field read from the records themselves, on a real run with every kind."""
    import contextlib
    from pathlib import Path

    import checker.report.outputs as outputs
    from checker.cli import main

    kept = {}

    def keep(results, out, lang, profile):
        kept.update(results)

    monkeypatch.setattr(outputs, "write_reports", keep)
    with contextlib.chdir(Path(__file__).resolve().parents[1]):
        assert main(["check", "--out", str(tmp_path)]) == 0
    for listed, names in (("violations", ("fingerprint", "rule_id", "table", "key", "severity", "clause", "status",
                                          "owner_id", "owner_name", "supervisor_id", "supervisor_name", "message",
                                          "evidence", "record", "case", "region", "no_such_field")),
                          ("not_evaluable", ("rule_id", "table", "key", "reason", "no_such_field"))):
        blocks = kept[listed]
        assert isinstance(blocks, Blocks) and len(blocks) > 50
        records = list(blocks)
        for name in names:
            assert blocks.column(name) == [r.get(name) for r in records], (listed, name)


def test_the_page_data_read_from_the_blocks_is_the_data_read_from_their_records(tmp_path, monkeypatch):
    """The report reads the findings' record and evidence straight from the blocks' columns
    (report/findings_read.py): the page's columns equal those read from the records one by one,
    on a real run with every kind, in both languages."""
    import contextlib
    from datetime import date
    from pathlib import Path

    import checker.report.outputs as outputs
    from checker.cli import main
    from checker.report.catalogue import LABELS
    from checker.report.data import findings_data
    from checker.report.evidence import Words

    kept = {}
    monkeypatch.setattr(outputs, "write_reports", lambda results, out, lang, profile: kept.update(results))
    with contextlib.chdir(Path(__file__).resolve().parents[1]):
        assert main(["check", "--out", str(tmp_path)]) == 0
    blocks = kept["violations"]
    assert len(blocks.blocks) > 20 and len({tuple(b.evidence) for b in blocks.blocks}) > 10
    for lang in ("zh", "en"):
        from_blocks = findings_data(blocks, lang, {}, Words(kept["vocabulary"], lang, LABELS[lang]), date(2025, 12, 31))
        from_records = findings_data(list(blocks), lang, {}, Words(kept["vocabulary"], lang, LABELS[lang]),
                                     date(2025, 12, 31))
        assert from_blocks == from_records
        assert len(from_blocks[1]["ev"]) == len(blocks) and any(from_blocks[1]["names"])
