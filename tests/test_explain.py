"""`checker explain` on one rule of each kind (its EXAMPLE) in the test pack: the rule, its
clause, the kind's meaning, and the data it needs, named in the pack's own tables and
columns for each entry of the kind's NEEDS."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from checker.cli import main
from checker.kinds import KINDS

PACK = Path(__file__).resolve().parent / "pack"
# What each NEEDS entry stands for in tests/pack/datamodel.yaml and calendar.yaml.
SOURCES = {
    "event_log": "events (deal_id, step, actor_id, at)",
    "roster": "employees (role, supervisor_id, active_from, active_to)",
    "approvals": "approvals (deal_id, type, approver_id, decision, at)",
    "calendar": "work calendar: pack/calendar.yaml covers 2025-01-01 to 2025-12-31",
}
PACK_COLUMNS = {name: set(spec["columns"])
                for name, spec in yaml.safe_load((PACK / "datamodel.yaml").read_text("utf-8"))["tables"].items()}


def explain(kind: str, folder: Path, capsys) -> tuple[int, str]:
    """`checker explain` of the kind's EXAMPLE, placed as the only rule of a copy of the test pack."""
    shutil.copytree(PACK, folder / "pack")
    example = yaml.safe_load(KINDS[kind].EXAMPLE)
    (folder / "pack" / "example.yaml").write_text("rules:\n" + _indented(KINDS[kind].EXAMPLE), encoding="utf-8")
    code = main(["explain", "--rules", "pack", "--policy", "pack/policy", example["id"]])
    return code, capsys.readouterr().out


def _indented(rule_text: str) -> str:
    """One rule's YAML as the first item of a list."""
    lines = rule_text.strip("\n").splitlines()
    return "\n".join([f"  - {lines[0]}", *(f"    {line}" for line in lines[1:])]) + "\n"


def fields_named(text: str, table: str) -> set[str]:
    """The words of an expression that are fields of the table, or (dotted) of a table it refers to."""
    words = set(re.findall(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*", text))
    related = {w for w in words if "." in w and any(w.rsplit(".", 1)[1] in c for c in PACK_COLUMNS.values())}
    return (words & PACK_COLUMNS[table]) | related


def expected_needs(kind: str) -> str:
    module, rule = KINDS[kind], yaml.safe_load(KINDS[kind].EXAMPLE)
    spec, table = rule["check"][kind], rule["applies_to"]
    read = fields_named(rule.get("when", ""), table)
    read |= fields_named(spec, table) if "expression" in module.NEEDS else set()
    for entry in (e for e in module.NEEDS if e.startswith("option:")):
        value = spec.get(entry.removeprefix("option:"))
        read |= {value} if isinstance(value, str) else set(value.values()) if isinstance(value, dict) else set()
    read |= {f for entry in module.NEEDS if entry.startswith("expression:")
             for f in fields_named(spec.get(entry.removeprefix("expression:"), ""), table)}
    judged = f"{table} ({', '.join(sorted(read))})" if read else table
    sources = [SOURCES[entry] for entry in module.NEEDS if entry in SOURCES]
    others = _other_tables(module, spec)
    if "event_log" in module.NEEDS and "via" in spec:   # the event log's further fields join its entry
        fields = {spec["via"]} | fields_named(spec.get("where", ""), "events")
        extra = sorted(fields - {"deal_id", "step", "actor_id", "at"})
        sources = [s[:-1] + "".join(f", {f}" for f in extra) + ")" if s.startswith("events (") else s for s in sources]
    return ", ".join([judged, *(f"{name} ({', '.join(sorted(fields))})" for name, fields in others), *sources])


def _other_tables(module, spec) -> list[tuple[str, set[str]]]:
    """Another table a kind reads (named by its `table:` option): every option naming one of its
    fields, and the fields its where expression names."""
    entries = [e.removeprefix("table:") for e in module.NEEDS if e.startswith("table:")]
    return [(spec[e], {v for v in spec.values() if isinstance(v, str) and v in PACK_COLUMNS[spec[e]]}
             | fields_named(spec.get("where", ""), spec[e])) for e in entries]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_explain_shows_the_rule_and_the_data_it_needs(kind, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, out = explain(kind, tmp_path, capsys)
    rule = yaml.safe_load(KINDS[kind].EXAMPLE)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == f"{rule['id']}: {rule['title']['en']}"
    assert f"  data it needs: {expected_needs(kind)}" in lines, out
    assert any(line.startswith(f"  clause {rule['clause']}: ") and "(not in the policy)" not in line for line in lines)
    assert any(line.startswith(f"  check: {kind} ") for line in lines)
    meaning = " ".join((KINDS[kind].__doc__ or "").split("\n\n")[1].split())
    assert f"  meaning: {meaning}" in lines
    assert f"  test cases: {len(rule['tests'])}" in lines
