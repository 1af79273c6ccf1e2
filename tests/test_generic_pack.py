"""A purchase-to-pay pack (tests/packs/p2p/), written with English process names, checked on a
small export whose times carry offsets that change at the switch to summer time (+01:00 and
+02:00), with events without an actor, same-instant ties written in different offsets, and a
local time that the clock skips, and events logged when they start as well as when they complete,
which the mapping's row filter leaves out. Its rules use responded existence, a set of answering steps,
an occurrence selector and the tie option; the verdicts are asserted exactly."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main

PACK = Path(__file__).resolve().parent / "packs" / "p2p"
PROJECT = ["--rules", str(PACK / "rules"), "--policy", str(PACK / "policy")]
LOG_UNUSABLE = ("an event of this case has an unknown step, or an event of a step the rule reads has an "
                "unreadable time")


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("p2p")
    assert main(["check", *PROJECT, "--data", str(PACK / "data"), "--as-of", "2025-04-30", "--lang", "en",
                 "--out", str(out)]) == 0
    return json.loads((out / "results.json").read_text("utf-8"))


def test_the_pack_validates_and_passes_its_rule_tests(capsys):
    assert main(["validate", *PROJECT]) == 0
    assert capsys.readouterr().out.strip() == "4 rules and 4 clauses are valid"
    assert main(["test", *PROJECT]) == 0
    assert capsys.readouterr().out.strip().endswith("4 passed, 0 failed")


def test_the_violations_are_exactly_these(results):
    # O2 invoiced without goods; O3 an invoice neither paid nor returned; O4 the last editor
    # approved; O8 paid half an hour before the goods came; O9's invoice is not paid either (its
    # unreadable receipt of goods is not a step P2P-002 reads). O7's payment (01:30Z) and receipt
    # (03:30+02:00) are the same instant: with ties in_order that is not a payment before receipt.
    found = sorted((v["rule_id"], v["key"], v["message"]["en"]) for v in results["violations"])
    assert found == [
        ("P2P-001", "O2", "required step missing: goods_received"),
        ("P2P-002", "O3", "'invoice_received' was never followed by 'invoice_paid, invoice_returned'"),
        ("P2P-002", "O9", "'invoice_received' was never followed by 'invoice_paid, invoice_returned'"),
        ("P2P-003", "O4", "the same person did 'po_created' and 'po_approved'"),
        ("P2P-004", "O8", "'goods_received' did not happen before 'invoice_paid'"),
    ]


def test_only_what_could_change_a_verdict_is_not_evaluable(results):
    # O5's last edit has no actor; O6's first edit has none, but only the last counts. O9's
    # receipt of goods is written at 02:30 local time on 30 March, a time the clock skips, so
    # the rules that read goods_received cannot judge it; the others can.
    found = sorted((n["rule_id"], n["key"], n["reason"]["en"]) for n in results["not_evaluable"])
    assert found == [
        ("P2P-001", "O9", LOG_UNUSABLE),
        ("P2P-003", "O5", "an event of a checked step has no actor, or one missing from the roster"),
        ("P2P-004", "O9", LOG_UNUSABLE),
    ]


def test_a_local_time_the_clock_skips_is_a_finding_and_mixed_offsets_are_not(results):
    # The two events only started (an invoice of O3 and of O7 whose payment began) are left out
    # by the mapping's where:, and said so; had they counted, O3's invoice would be answered and
    # O7 paid before its goods came.
    assert [(d["kind"], d["file"], d["row"], d["column"], d["value"], d["message"])
            for d in results["data_quality"]] == [
        ("filtered_out", "events.csv", 1, "", 'lifecycle == "complete"',
         "the mapping's where: kept 30 of 32 rows; 2 rows are left out of the checks"),
        ("unparseable", "events.csv", 31, "timestamp", "2025-03-30 02:30",
         "'2025-03-30 02:30' is not a date and time (a clock time that Europe/Amsterdam skips or repeats at a "
         "daylight-saving change needs its UTC offset)")]


def test_without_the_row_filter_events_only_started_would_count(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(PACK / "data", data)
    mapping = data / "mapping.yaml"
    mapping.write_text(mapping.read_text("utf-8").replace('    where: lifecycle == "complete"\n', ""), "utf-8")
    assert main(["check", *PROJECT, "--data", str(data), "--as-of", "2025-04-30", "--out", str(tmp_path / "out")]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert sorted((v["rule_id"], v["key"]) for v in results["violations"]) == [
        ("P2P-001", "O2"), ("P2P-002", "O9"), ("P2P-003", "O4"), ("P2P-004", "O7"), ("P2P-004", "O8")]


def test_times_with_offsets_are_shown_on_the_zone_clock(results):
    paid_early = next(v for v in results["violations"] if v["rule_id"] == "P2P-004")
    assert paid_early["evidence"] == {"goods_received.first_at": "2025-03-30T09:30:00+02:00",
                                      "invoice_paid.first_at": "2025-03-30T09:00:00+02:00"}
