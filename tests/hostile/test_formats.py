"""The shipped sample in other formats (one Excel workbook with a sheet per table, GB18030 CSV,
JSON, JSON Lines, Parquet, a SQLite database read by one query per table) gives the same results.json as the CSV export, inputs aside: the
records, verdicts, findings and their rows do not depend on the format they came in."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from checker.cli import main
from workbook import write_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
DATABASE_ENV = "CHECKER_TEST_DATABASE_URL"


def _tables() -> dict[str, list[list[str]]]:
    return {path.name: list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
            for path in sorted(SAMPLE.glob("*.csv")) if path.name != "expected_violations.csv"}


def _records(rows: list[list[str]]) -> list[dict]:
    return [{h: (v or None) for h, v in zip(rows[0], row)} for row in rows[1:]]


def _as_xlsx(folder: Path, mapping: str) -> str:
    write_workbook(folder / "export.xlsx", {name.removesuffix(".csv"): rows for name, rows in _tables().items()})
    return re.sub(r"file: (\S+)\.csv", r"file: export.xlsx\n    sheet: \1", mapping)


def _as_gb18030(folder: Path, mapping: str) -> str:
    for name in _tables():
        (folder / name).write_text((SAMPLE / name).read_text("utf-8-sig"), "gb18030")
    return mapping.replace("encoding: utf-8-sig", "encoding: gb18030")


def _as_json(folder: Path, mapping: str) -> str:
    for name, rows in _tables().items():
        (folder / name.replace(".csv", ".json")).write_text(json.dumps(_records(rows), ensure_ascii=False), "utf-8")
    return mapping.replace(".csv", ".json")


def _as_jsonl(folder: Path, mapping: str) -> str:
    for name, rows in _tables().items():
        lines = [json.dumps(r, ensure_ascii=False) for r in _records(rows)]
        (folder / name.replace(".csv", ".jsonl")).write_text("\n".join(lines) + "\n", "utf-8")
    return mapping.replace(".csv", ".jsonl")


def _as_parquet(folder: Path, mapping: str) -> str:
    for name, rows in _tables().items():
        columns = {h: pa.array([r.get(h) for r in _records(rows)], pa.string()) for h in rows[0]}
        pq.write_table(pa.table(columns), folder / name.replace(".csv", ".parquet"))
    return mapping.replace(".csv", ".parquet")


def _as_sqlite(folder: Path, mapping: str) -> str:
    with sqlite3.connect(folder / "crm.db") as db:
        for name, rows in _tables().items():
            table = name.removesuffix(".csv")
            db.execute(f'CREATE TABLE "{table}" ({", ".join(f"{h!r} TEXT" for h in rows[0])})')
            db.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})',
                           [[v or None for v in row] for row in rows[1:]])
    mapping = re.sub(r"file: (\S+)\.csv", r'query: SELECT * FROM "\1"', mapping)
    return mapping.replace("tables:\n", f"database_env: {DATABASE_ENV}\ntables:\n", 1)


FORMATS = {"sqlite": _as_sqlite, "xlsx": _as_xlsx, "gb18030": _as_gb18030, "json": _as_json, "jsonl": _as_jsonl, "parquet": _as_parquet}


def _results(data: Path, out: Path) -> dict:
    assert main(["check", "--data", str(data), "--out", str(out), "--lang", "en"]) == 0
    results = json.loads((out / "results.json").read_text("utf-8"))
    del results["run"]["inputs"]
    # The file a finding names is the one the format has, and so are the words for tables that
    # come from file names (a workbook's tables are all called after the workbook).
    for finding in results["data_quality"]:
        finding["file"] = finding["table"]
    del results["vocabulary"]["tables"]
    return results


@pytest.fixture(scope="module")
def from_csv(tmp_path_factory) -> dict:
    return _results(SAMPLE, tmp_path_factory.mktemp("csv"))


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_gives_the_csv_results(name, from_csv, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    data = tmp_path / "data"
    monkeypatch.setenv(DATABASE_ENV, f"sqlite:///{data / 'crm.db'}")   # read by the SQLite export's mapping
    data.mkdir()
    mapping = FORMATS[name](data, (SAMPLE / "mapping.yaml").read_text("utf-8"))
    (data / "mapping.yaml").write_text(mapping.replace("../checker", "../../checker"), "utf-8")
    got = _results(data, tmp_path / "out")
    assert got["summary"] == from_csv["summary"]
    assert got["data_quality"] == from_csv["data_quality"]
    assert got == from_csv


def test_a_missing_sheet_is_named_with_the_sheets_there(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    shutil.copytree(SAMPLE, tmp_path / "data")
    mapping = _as_xlsx(tmp_path / "data", (SAMPLE / "mapping.yaml").read_text("utf-8")).replace("sheet: 员工", "sheet: 员")
    (tmp_path / "data" / "mapping.yaml").write_text(mapping, "utf-8")
    assert main(["check", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 3
    assert "export.xlsx: cannot be read as xlsx (no sheet '员' (did you mean '员工'?); the workbook has " \
        in capsys.readouterr().err
