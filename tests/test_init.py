"""`checker init DIR`: the skeleton of a new pack validates, passes its rule tests and checks
its example export; each file names a schema copied beside it and follows it; a folder
holding anything is left alone unless --force. (tests/test_wheel.py runs the same from an
installed wheel outside the repository.)"""
from __future__ import annotations

import json
import re
from pathlib import Path

from checker.cli import main
from checker.schema_check import schema_problems
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parent.parent
HEADER = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
SKELETON = ["export/orders.csv", "mapping.yaml", "policy/orders.yaml", "rules/datamodel.yaml", "rules/orders.yaml",
            "rules/pack.yaml", "rules/params.yaml"]
SCHEMAS = sorted(f"schemas/{p.name}" for p in (ROOT / "checker" / "schemas").glob("*.schema.json"))


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_init_writes_the_skeleton_and_the_schemas_it_names(tmp_path, capsys):
    assert main(["init", str(tmp_path / "acme")]) == 0
    assert capsys.readouterr().out.splitlines()[0] == \
        f"wrote {len(SKELETON) + len(SCHEMAS)} files to {tmp_path / 'acme'}: policy/, rules/, mapping.yaml, " \
        "export/ and schemas/"
    folder = tmp_path / "acme"
    assert _files(folder) == sorted(SKELETON + SCHEMAS)
    for name in SCHEMAS:
        assert (folder / name).read_bytes() == (ROOT / "checker" / name).read_bytes()
    for name in (n for n in SKELETON if n.endswith(".yaml")):
        match = HEADER.fullmatch((folder / name).open(encoding="utf-8").readline())
        assert match, f"{name}: no $schema line"
        schema = ((folder / name).parent / match.group(1)).resolve()
        assert schema.parent == folder / "schemas" and schema.is_file(), name
        problems = schema_problems(load_file(folder / name, name), json.loads(schema.read_text("utf-8")), name)
        assert [str(p) for p in problems] == [], name


def test_the_skeleton_validates_passes_its_tests_and_checks_its_export(tmp_path, monkeypatch, capsys):
    assert main(["init", str(tmp_path / "acme")]) == 0
    monkeypatch.chdir(tmp_path / "acme")
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.strip() == "1 rules and 1 clauses are valid"
    assert main(["validate", "mapping.yaml"]) == 0
    assert capsys.readouterr().out.strip() == "mapping.yaml: the mapping is valid"
    assert main(["test"]) == 0
    assert capsys.readouterr().out.strip().endswith("2 passed, 0 failed")
    assert main(["check", "--data", "export", "--mapping", "mapping.yaml", "--out", "reports"]) == 0
    results = json.loads(Path("reports/results.json").read_text("utf-8"))
    assert [(v["rule_id"], v["key"], v["message"]["en"]) for v in results["violations"]] == \
        [("ORD-001", "A-1003", "condition does not hold: approved_by is not null")]
    assert results["run"]["title"]["en"] == "Order compliance report"
    assert '<html lang="en">' in Path("reports/report.html").read_text("utf-8")


def test_a_folder_holding_anything_is_refused_unless_forced(tmp_path, capsys):
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(folder)]) == 2
    assert capsys.readouterr().err.strip() == \
        f"checker: error: '{folder}' is not empty; give a new or empty folder, or pass --force to write the " \
        "skeleton's files over those of the same name"
    assert _files(folder) == ["notes.txt"]
    (folder / "rules").mkdir()
    (folder / "rules" / "pack.yaml").write_text("title: {en: old}\n", encoding="utf-8")
    assert main(["init", "--force", str(folder)]) == 0
    assert _files(folder) == sorted(["notes.txt", *SKELETON, *SCHEMAS])
    assert (folder / "notes.txt").read_text("utf-8") == "mine"
    assert "Order compliance report" in (folder / "rules" / "pack.yaml").read_text("utf-8")


def test_a_file_is_no_folder_to_write_into(tmp_path, capsys):
    (tmp_path / "acme").write_text("", encoding="utf-8")
    assert main(["init", str(tmp_path / "acme")]) == 2
    assert capsys.readouterr().err.strip() == \
        f"checker: error: '{tmp_path / 'acme'}' is a file; give a folder to write the new pack into"
