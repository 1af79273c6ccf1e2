"""One report per team: each violation in exactly one team's file, every team named by its id."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from checker.report.split import file_name, index_rows, split_results
from sample_runs import check_sample

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "results_small.json"


def findings_in(html: str) -> list[str]:
    start = html.index('<script type="application/json" id="report-findings">')
    return json.loads(html[start:html.index("</script>", start)].split(">", 1)[1])["fp"]


@pytest.fixture(scope="module")
def split_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("split")
    check_sample(out, "--split-by", "supervisor")
    return out


def test_one_file_per_supervisor_named_by_id(split_run: Path) -> None:
    results = json.loads((split_run / "results.json").read_text(encoding="utf-8"))
    supervisors = {v["supervisor_id"] or "none" for v in results["violations"]}   # no supervisor: none.html
    files = sorted(p.name for p in (split_run / "by-supervisor").iterdir())
    assert files == sorted([f"{s}.html" for s in supervisors] + ["index.html"])


def test_the_teams_together_hold_every_violation_once(split_run: Path) -> None:
    results = json.loads((split_run / "results.json").read_text(encoding="utf-8"))
    held: Counter[str] = Counter()
    for path in (p for p in (split_run / "by-supervisor").glob("*.html") if p.name != "index.html"):
        html = path.read_text(encoding="utf-8")
        fps = findings_in(html)
        team = {v["fingerprint"] for v in results["violations"] if (v["supervisor_id"] or "none") == path.stem}
        assert set(fps) == team
        held.update(fps)
        assert re.search(r'<h2>[^<]*<span class="count">(\d+)</span>', html[html.index('<section id="violations"'):]) \
            .group(1) == str(len(team))
    assert sorted(held) == sorted(v["fingerprint"] for v in results["violations"])
    assert set(held.values()) == {1}


def test_the_index_links_every_team_with_its_count(split_run: Path) -> None:
    results = json.loads((split_run / "results.json").read_text(encoding="utf-8"))
    index = (split_run / "by-supervisor" / "index.html").read_text(encoding="utf-8")
    per_team = Counter(v["supervisor_id"] or "none" for v in results["violations"])
    rows = re.findall(r'<tr data-team="([^"]+)">.*?<td class="num">(\d+)</td>\s*<td class="num[^"]*">\d+</td>\s*'
                      r'<td><a href="([^"]+)">', index, flags=re.S)
    assert sorted(rows) == sorted((team, str(n), f"{team}.html") for team, n in per_team.items())
    assert 'href="../report.html"' in index


def test_split_by_owner_and_without_supervisor() -> None:
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    results["violations"][0].update(supervisor_id=None, supervisor_name=None)
    teams = {ref: sorted(v["key"] for v in team["violations"]) for ref, _, team in split_results(results, "supervisor")}
    assert teams["none"] == [results["violations"][0]["key"]]
    assert sum(len(keys) for keys in teams.values()) == len(results["violations"])
    owners = list(split_results(results, "owner"))
    assert sorted(ref for ref, _, _ in owners) == sorted({v["owner_id"] for v in results["violations"]})
    rows = index_rows(owners, "en")
    assert sum(r["total"] for r in rows) == len(results["violations"])


def test_a_team_report_leaves_unknown_shares_empty() -> None:
    results = json.loads(FIXTURE.read_text(encoding="utf-8"))
    _, _, team = next(iter(split_results(results, "supervisor")))
    assert {r["in_scope"] for r in team["rules"]} == {None}
    assert sum(r["violations"] for r in team["rules"]) == len(team["violations"]) == team["summary"]["violations"]
    assert team["not_evaluable"] == [] and team["data_quality"] == []
    assert team["waiver_findings"] == [] and team["trend"] == []


@pytest.mark.parametrize("ref,name", [("E003", "E003.html"), ("index", "index-"), ("../etc/passwd", "___etc_passwd-"),
                                      ("王芳", "王芳.html"), ("a b", "a_b-")])
def test_file_names_are_plain(ref: str, name: str) -> None:
    assert file_name(ref).startswith(name) and "/" not in file_name(ref) and file_name(ref).endswith(".html")
