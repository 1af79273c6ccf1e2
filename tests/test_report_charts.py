"""The report's charts: each bar is the figure it stands for."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from checker.report.catalogue import LABELS
from checker.report.charts import BAR_WIDTH, LABEL_WIDTH, charts
from checker.report.data import findings_data
from checker.report.evidence import Words

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_small.json"


def load() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def by_id(results: dict) -> dict:
    words = Words(results.get("vocabulary"), "en", LABELS["en"])
    _, data = findings_data(results["violations"], "en", {}, words, None)
    return {c["id"]: c for c in charts(results, data, "en", LABELS["en"])}


def test_compliance_bars_are_the_rates_lowest_first() -> None:
    results = load()
    chart = by_id(results)["chart-compliance"]
    rated = sorted((r["compliance_rate"], r["id"]) for r in results["rules"] if r["compliance_rate"] is not None)
    assert [row["label"] for row in chart["rows"]] == [rid for _, rid in rated]
    assert [row["segments"][0]["w"] for row in chart["rows"]] == [round(BAR_WIDTH * rate, 1) for rate, _ in rated]


def test_supervisor_bars_stack_the_severities() -> None:
    results = load()
    chart = by_id(results)["chart-supervisors"]
    totals = Counter(v["supervisor_id"] for v in results["violations"])
    assert {row["label"].split()[-1]: int(row["value"]) for row in chart["rows"]} == dict(totals)
    widest = max(totals.values())
    for row in chart["rows"]:
        end = row["segments"][-1]["x"] + row["segments"][-1]["w"]
        assert abs(end - (LABEL_WIDTH + BAR_WIDTH * int(row["value"]) / widest)) < 0.2


def test_money_and_trend_appear_only_with_their_data() -> None:
    results = load()
    assert set(by_id(results)) == {"chart-compliance", "chart-supervisors"}
    results["violations"][0]["record"] = {"fields": {"amount": 1_313_000}, "names": {}}
    results["violations"][1]["record"] = {"fields": {"amount": 2_000}, "names": {}}
    results["trend"] = [{"as_of": "2025-11-30T23:59:59+08:00", "violations": 12, "by_severity": {"high": 12},
                         "rules": {}},
                        {"as_of": "2025-12-31T23:59:59+08:00", "violations": 9, "by_severity": {"high": 9},
                         "rules": {}}]
    found = by_id(results)
    first, second = results["violations"][0], results["violations"][1]
    expected = Counter({first["rule_id"]: 1_313_000})
    expected[second["rule_id"]] += 2_000
    assert {row["label"]: row["value"] for row in found["chart-money"]["rows"]} == \
        {rid: f"¥{n:,}" for rid, n in expected.items()}
    assert [(row["label"], row["value"]) for row in found["chart-trend"]["rows"]] == \
        [("2025-11-30", "12"), ("2025-12-31", "9")]
