"""The shipped sample in other formats (one Excel workbook with a sheet per table, GB18030 CSV,
JSON, JSON Lines, Parquet, a SQLite database read by one query per table) gives the same results.json as the CSV export, inputs aside: the
records, verdicts, findings and their rows do not depend on the format they came in."""
from __future__ import annotations

import shutil

import pytest

from checker.cli import main
from formats import DATABASE_ENV, FORMATS, ROOT, SAMPLE, as_xlsx, results


@pytest.fixture(scope="module")
def from_csv(tmp_path_factory) -> dict:
    return results(SAMPLE, tmp_path_factory.mktemp("csv"))


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_gives_the_csv_results(name, from_csv, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = tmp_path / "data"
    monkeypatch.setenv(DATABASE_ENV, f"sqlite:///{data / 'crm.db'}")   # read by the SQLite export's mapping
    data.mkdir()
    mapping = FORMATS[name](data, (SAMPLE / "mapping.yaml").read_text("utf-8"))
    (data / "mapping.yaml").write_text(mapping.replace("../checker", "../../checker"), "utf-8")
    got = results(data, tmp_path / "out")
    assert got["summary"] == from_csv["summary"]
    assert got["data_quality"] == from_csv["data_quality"]
    assert got == from_csv


def test_a_missing_sheet_is_named_with_the_sheets_there(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    shutil.copytree(SAMPLE, tmp_path / "data")
    mapping = as_xlsx(tmp_path / "data", (SAMPLE / "mapping.yaml").read_text("utf-8")).replace("sheet: 员工", "sheet: 员")
    (tmp_path / "data" / "mapping.yaml").write_text(mapping, "utf-8")
    assert main(["check", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 3
    assert "export.xlsx: cannot be read as xlsx (no sheet '员' (did you mean '员工'?); the workbook has " \
        in capsys.readouterr().err
