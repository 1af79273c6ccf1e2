"""A pack's own settings (rules/pack.yaml): the title its reports carry, checked against
checker/schemas/pack.schema.json like every other file of the pack."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_the_pack_title_heads_results_and_report(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["check", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert results["run"]["title"] == {"zh": "aqt 销售部合规检查报告", "en": "aqt sales department compliance report"}
    assert "<title>aqt 销售部合规检查报告" in (tmp_path / "report.html").read_text("utf-8")
    assert any(i["path"].endswith("pack.yaml") and i["role"] == "config" for i in results["run"]["inputs"])


def test_a_bad_setting_is_reported_where_it_is(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "policy", tmp_path / "policy")
    (tmp_path / "rules" / "pack.yaml").write_text("languages: [zh, en]\ntitle: {zh: 报告, EN: report}\n",
                                                  encoding="utf-8")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "rules/pack.yaml:2:17: title: 'EN' does not have the expected form (it must match "
        "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$)"]
