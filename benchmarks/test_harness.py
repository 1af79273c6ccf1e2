"""Checks of the benchmark harness itself: `python -m pytest benchmarks/test_harness.py`.

The --profile table is parsed from a fixed sample, so these run without a profiling checkout;
the floor is checked against the engine on the small shipped sample export."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor  # noqa: E402
import measure  # noqa: E402
import report  # noqa: E402

PROFILE = """\
checking rules 13/13 SOD-001
phase                          seconds   peak MB
read                              1.23       456
map and coerce                    0.80       700
link keys                         0.10       710
views                             0.40       800
rule PROC-001                     0.05       800
rule SOD-001                      0.15       805
results                           0.30       850
write results.json                0.20       850
write violations.csv              0.10       850
write junit.xml                   0.01       850
write report.html                 0.05       850
total                             3.20       850
"""


def test_profile_table_is_parsed_and_grouped() -> None:
    phases = measure.parse_profile(PROFILE)
    assert phases["rule SOD-001"] == {"seconds": 0.15, "mb": 805.0}
    assert measure.engine_algorithm_s(phases) == 0.6
    groups = measure.group_phases(phases)
    assert groups["evaluate"] == 0.2 and groups["write"] == 0.36 and groups["total"] == 3.2
    assert "other" not in groups


def test_profile_table_with_rule_line_and_trailer() -> None:
    text = PROFILE.replace("peak MB\n", "peak MB\n" + "-" * 48 + "\n") + "10 rules, 3 violations\nrule X  9.99  1\n"
    phases = measure.parse_profile(text)
    assert "rule X" not in phases and phases["total"]["seconds"] == 3.2


def test_no_profile_table() -> None:
    assert measure.parse_profile("10 rules, 3 violations\n") is None


def test_medians_of_nested_figures() -> None:
    runs = [{"wall_s": 3.0, "phases": {"read": {"seconds": 1.0, "mb": 5}}, "groups": {"read": 1.0}},
            {"wall_s": 1.0, "phases": {"read": {"seconds": 3.0, "mb": 5}}, "groups": {"read": 3.0}},
            {"wall_s": 2.0, "phases": {"read": {"seconds": 2.0, "mb": 5}}, "groups": {"read": 2.0}}]
    assert report.medians(runs) == {"wall_s": 2.0, "phases": {"read": 2.0}, "groups": {"read": 2.0}}


def test_limits_say_met_or_missed_and_by_how_much() -> None:
    assert report._limit_line(4.0, 5.0, "x", "")["line"].startswith("met: 4x against <= 5x (20% under")
    assert report._limit_line(6.0, 5.0, "x", "")["line"].startswith("MISSED: 6x against <= 5x (20% over")
    assert report._limit_line(None, 5.0, "x", "why")["status"] == "not measured"


def test_growth_only_within_one_series() -> None:
    full = lambda wall, views: {"full": {"wall_s": wall, "groups": {"views": views}}}  # noqa: E731
    sizes = {"100000": {"series": "a", "medians": full(10.0, 1.0)},
             "1000000": {"series": "a", "medians": full(100.0, 12.0)}}
    assert report.growth(sizes) == {"100000->1000000": {"end to end": 10.0, "views": 12.0}}
    sizes["1000000"]["series"] = "b"
    assert report.growth(sizes) == {}


def test_floor_agrees_with_expected_on_shipped_sample(tmp_path: Path) -> None:
    export = measure.ROOT / "sample_data"
    out = tmp_path / "floor.json"
    assert floor.main([str(export), "--out", str(out)]) == 0
    violations, _ = measure.floor_verdicts(out)
    expected = measure.expected_violations(export)
    shipped = {r["id"] for r in floor.SUBSET} & {rule for rule, _ in expected}
    assert {p for p in violations if p[0] in shipped} == {p for p in expected if p[0] in shipped}


def test_out_of_core_reads_the_run_section_and_the_violations_without_results_json(tmp_path: Path) -> None:
    import json
    import subprocess

    import dask_run

    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "checker.cli", "check", "--data", str(measure.ROOT / "sample_data"),
                    "--out", str(out)], cwd=measure.ROOT, check=True, capture_output=True)
    whole = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert dask_run.run_section(out / "results.json") == whole["run"]
    assert dask_run.reported_violations(out / "violations.csv") == \
        {(v["rule_id"], v["key"]) for v in whole["violations"]} == measure.expected_violations(measure.ROOT / "sample_data")
