"""The shipped sample written in other formats, and a run's results.json with what depends on the
format left out (the inputs, the files findings name, the words for tables named after files)."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from checker.cli import main
from workbook import write_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
DATABASE_ENV = "CHECKER_TEST_DATABASE_URL"


def tables() -> dict[str, list[list[str]]]:
    return {path.name: list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
            for path in sorted(SAMPLE.glob("*.csv")) if path.name != "expected_violations.csv"}


def records(rows: list[list[str]]) -> list[dict]:
    return [{h: (v or None) for h, v in zip(rows[0], row)} for row in rows[1:]]


def as_xlsx(folder: Path, mapping: str) -> str:
    write_workbook(folder / "export.xlsx", {name.removesuffix(".csv"): rows for name, rows in tables().items()})
    return re.sub(r"file: (\S+)\.csv", r"file: export.xlsx\n    sheet: \1", mapping)


def as_gb18030(folder: Path, mapping: str) -> str:
    for name in tables():
        (folder / name).write_text((SAMPLE / name).read_text("utf-8-sig"), "gb18030")
    return mapping.replace("encoding: utf-8-sig", "encoding: gb18030")


def as_json(folder: Path, mapping: str) -> str:
    for name, rows in tables().items():
        (folder / name.replace(".csv", ".json")).write_text(json.dumps(records(rows), ensure_ascii=False), "utf-8")
    return mapping.replace(".csv", ".json")


def as_jsonl(folder: Path, mapping: str) -> str:
    for name, rows in tables().items():
        lines = [json.dumps(r, ensure_ascii=False) for r in records(rows)]
        (folder / name.replace(".csv", ".jsonl")).write_text("\n".join(lines) + "\n", "utf-8")
    return mapping.replace(".csv", ".jsonl")


def as_parquet(folder: Path, mapping: str) -> str:
    for name, rows in tables().items():
        columns = {h: pa.array([r.get(h) for r in records(rows)], pa.string()) for h in rows[0]}
        pq.write_table(pa.table(columns), folder / name.replace(".csv", ".parquet"))
    return mapping.replace(".csv", ".parquet")


def as_sqlite(folder: Path, mapping: str) -> str:
    with sqlite3.connect(folder / "crm.db") as db:
        for name, rows in tables().items():
            table = name.removesuffix(".csv")
            db.execute(f'CREATE TABLE "{table}" ({", ".join(f"{h!r} TEXT" for h in rows[0])})')
            db.executemany(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(rows[0]))})',
                           [[v or None for v in row] for row in rows[1:]])
    return by_query(mapping)


def by_query(mapping: str, order: str = "") -> str:
    """The mapping with each table read by a query on the table of its file's name (in order)."""
    mapping = re.sub(r"file: (\S+)\.csv", rf'query: SELECT * FROM "\1"{order}', mapping)
    return mapping.replace("tables:\n", f"database_env: {DATABASE_ENV}\ntables:\n", 1)


FORMATS = {"sqlite": as_sqlite, "xlsx": as_xlsx, "gb18030": as_gb18030, "json": as_json, "jsonl": as_jsonl, "parquet": as_parquet}


def results(data: Path, out: Path) -> dict:
    assert main(["check", "--data", str(data), "--out", str(out), "--lang", "en"]) == 0
    found = json.loads((out / "results.json").read_text("utf-8"))
    del found["run"]["inputs"]
    # The file a finding names is the one the format has, and so are the words for tables that
    # come from file names (a workbook's tables are all called after the workbook).
    for finding in found["data_quality"]:
        finding["file"] = finding["table"]
    # Findings run by file, then row: in a workbook every table is one file, so rows of its sheets interleave.
    found["data_quality"].sort(key=lambda f: (f["file"], f["row"] or 0, f["column"] or "", f["kind"]))
    del found["vocabulary"]["tables"]
    return found
