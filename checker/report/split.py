"""One report per person: the violations of each supervisor's (owner's, region's) team in a file of
their own, named by employee id, and an index page linking them.

Each violation goes to exactly one file, the one of its supervisor (owner, region); violations
without one go to "none.html". Records not evaluable, data-quality findings, waiver findings and
the trend belong to no team, so they stay in the whole report that the index links to.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .catalogue import LABELS
from .people import NONE_KEY, person_ref
from .values import SEVERITIES, severity

SPLITS: tuple[str, ...] = ("supervisor", "owner", "region")
INDEX = "index.html"
_UNSAFE = re.compile(r"[^\w.-]")


def team_of(v: Mapping[str, Any], by: str) -> tuple[str, str]:
    """(ref, name) of the team a violation belongs to when split ``by`` supervisor, owner or region."""
    if by == "region":
        region = str(v.get("region") or "")
        return region or NONE_KEY, region
    return person_ref(v.get(f"{by}_id"), v.get(f"{by}_name")), str(v.get(f"{by}_name") or "")


def file_name(ref: str) -> str:
    """A plain file name for a team: its id when that is safe, else a readable part and a short hash."""
    if ref and not _UNSAFE.search(ref) and not ref.startswith(".") and ref != INDEX.removesuffix(".html"):
        return f"{ref}.html"
    digest = hashlib.sha256(ref.encode("utf-8")).hexdigest()[:10]
    return f"{_UNSAFE.sub('_', ref).replace('.', '_')[:40]}-{digest}.html"


def split_results(results: Mapping[str, Any], by: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(ref, name, results of that team) per team, in order of ref."""
    teams: dict[str, dict[str, Any]] = {}
    for field in ("violations", "waived"):
        for v in results.get(field, []):
            ref, name = team_of(v, by)
            team = teams.setdefault(ref, {"name": name, "violations": [], "waived": []})
            team["name"] = team["name"] or name
            team[field].append(v)
    for ref in sorted(teams):
        team = teams[ref]
        yield ref, team["name"], _team_results(results, by, ref, team["name"], team["violations"], team["waived"])


def _team_results(results: Mapping[str, Any], by: str, ref: str, name: str, violations: list, waived: list) -> dict:
    counted = {rule["id"]: 0 for rule in results.get("rules", [])}
    by_severity = dict.fromkeys(SEVERITIES, 0)
    for v in violations:
        counted[v["rule_id"]] = counted.get(v["rule_id"], 0) + 1
        by_severity[severity(v.get("severity"))] += 1
    # A team's share of in-scope and passed records is not known: those figures are left empty.
    rules = [{**rule, "violations": counted.get(rule["id"], 0), "in_scope": None, "activated": None,
              "passed": None, "not_evaluable": None, "compliance_rate": None} for rule in results.get("rules", [])]
    summary = {**results.get("summary", {}), "violations": len(violations), "by_severity": by_severity,
               "not_evaluable": 0, "data_quality": 0, "waived": len(waived)}
    # Waiver findings and the trend are the whole run's; the whole report shows them.
    return {**results, "team": {"by": by, "ref": ref, "name": name}, "summary": summary, "rules": rules,
            "violations": violations, "waived": waived, "not_evaluable": [], "data_quality": [],
            "waiver_findings": [], "trend": []}


def index_rows(teams: list[tuple[str, str, dict[str, Any]]], lang: str) -> list[dict[str, Any]]:
    """One index row per team: who, the file, and the open violations by severity."""
    nobody = LABELS[lang]["none_person"]
    return [{"ref": ref, "name": name or (nobody if ref == NONE_KEY else ""), "id": "" if ref == NONE_KEY else ref,
             "file": file_name(ref), "counts": [team["summary"]["by_severity"][sev] for sev in SEVERITIES],
             "total": team["summary"]["violations"], "waived": team["summary"]["waived"]}
            for ref, name, team in teams]


def write_split(results: Mapping[str, Any], out: Path, by: str, lang: str) -> Path:
    """Write out/by-<by>/<id>.html for each team and out/by-<by>/index.html; return the folder."""
    from .html import render_html, render_index
    from .writers import write_atomic

    folder = out / f"by-{by}"
    teams = list(split_results(results, by))
    for ref, _, team in teams:
        write_atomic(folder, file_name(ref), render_html(team, lang))
    write_atomic(folder, INDEX, render_index(results, by, index_rows(teams, lang), lang))
    return folder
