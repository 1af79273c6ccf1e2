"""`checker convert --to parquet`: the dataset it writes (bucketed by case, rows kept, manifest),
checked by the default engine to the same results as the export itself, and the datasets
that cannot be read (told, exit 3)."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from checker.cli import main
from checker.scale.bucketed import bucket_of

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ["--rules", str(ROOT / "rules"), "--policy", str(ROOT / "policy")]
EVENTS = "销售活动.csv"


def without_run(results: Path) -> str:
    """results.json without its run section, which names the files read and the engine."""
    text = results.read_text(encoding="utf-8")
    stripped = re.sub(r'\n  "run": \{.*?\n  \},\n', "\n", text, count=1, flags=re.S)
    assert stripped != text, "results.json has no run section where expected"
    return stripped


def assert_same_reports(expected: Path, got: Path) -> None:
    assert without_run(got / "results.json") == without_run(expected / "results.json")
    for name in ("violations.csv", "junit.xml"):
        assert (got / name).read_bytes() == (expected / name).read_bytes(), name


def converted(data: Path, out: Path, buckets: int = 3) -> Path:
    assert main(["convert", "--to", "parquet", *PROJECT, "--data", str(data), "--out", str(out),
                 "--buckets", str(buckets)]) == 0
    return out


def checked(data: Path, out: Path, *options: str) -> Path:
    assert main(["check", *PROJECT, "--data", str(data), "--out", str(out), *options]) in (0, 1)
    return out


def hostile_export(folder: Path) -> Path:
    """The sample with its events in two files matched by a pattern, a row with too few fields
    in the second of them and in the deals, and no as-of day in the mapping (the export's
    latest date is used)."""
    shutil.copytree(ROOT / "sample_data", folder)
    with (folder / EVENTS).open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    (folder / EVENTS).unlink()
    half = len(rows) // 2
    for name, part in (("销售活动_1.csv", rows[:half]), ("销售活动_2.csv", rows[half:])):
        with (folder / name).open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerows([header, *part[:3], ["A-RAGGED", "D-RAGGED"], *part[3:]])
    deals = (folder / "商机.csv").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    (folder / "商机.csv").write_text("".join(deals[:4] + ["D-RAGGED,C00001\n"] + deals[4:]), encoding="utf-8-sig")
    mapping = (folder / "mapping.yaml").read_text(encoding="utf-8")
    mapping = mapping.replace(f"file: {EVENTS}", "file: 销售活动_*.csv")
    (folder / "mapping.yaml").write_text(re.sub(r"\nas_of: [^\n]*", "", mapping), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sample_dataset(tmp_path_factory) -> Path:
    return converted(ROOT / "sample_data", tmp_path_factory.mktemp("sample") / "dataset")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path]:
    export = hostile_export(tmp_path_factory.mktemp("hostile") / "export")
    return export, converted(export, export.parent / "dataset", buckets=4)


def test_the_manifest_names_every_table_and_bucket(sample_dataset):
    manifest = json.loads((sample_dataset / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["format"], manifest["version"], manifest["buckets"], manifest["case_table"]) == \
        ("checker-parquet-dataset", 2, 3, "deals")
    tables = manifest["tables"]
    assert {name: (t["split"], t.get("split_by"), len(t["parts"])) for name, t in tables.items()} == {
        "employees": (False, None, 1), "customers": (False, None, 1), "deals": (True, "商机编号", 3),
        "events": (True, "商机编号", 3), "approvals": (True, "商机编号", 3), "complaints": (True, "商机编号", 3),
        "plans": (False, None, 1), "reports": (False, None, 1), "trainings": (False, None, 1)}
    assert tables["events"]["files"] == [EVENTS]
    # The events by customer, and the customers, sharded once for the rules that read them so.
    assert {via: {name: (t["split_by"], len(t["parts"])) for name, t in shard.items()}
            for via, shard in manifest["shards"].items()} == \
        {"customer_id": {"customers": ("客户编号", 3), "events": ("客户编号", 3)}}
    assert sum(pq.read_metadata(sample_dataset / p).num_rows for p in tables["events"]["parts"]) == 4157


def test_every_case_is_whole_in_its_bucket(sample_dataset):
    parts = json.loads((sample_dataset / "manifest.json").read_text(encoding="utf-8"))["tables"]
    seen = set()
    for deals, events in zip(parts["deals"]["parts"], parts["events"]["parts"]):
        held = set(pq.read_table(sample_dataset / deals).column("商机编号").to_pylist())
        named = set(pq.read_table(sample_dataset / events).column("商机编号").to_pylist()) - {""}
        assert named <= held, "an event in another bucket than its deal"
        assert not held & seen, "a deal in two buckets"
        seen |= held
    assert len(seen) == 400


def test_every_customer_is_in_one_shard_with_the_events_that_name_it(sample_dataset):
    shard = json.loads((sample_dataset / "manifest.json").read_text(encoding="utf-8"))["shards"]["customer_id"]
    seen = set()
    for customers, events in zip(shard["customers"]["parts"], shard["events"]["parts"]):
        held = set(pq.read_table(sample_dataset / customers).column("客户编号").to_pylist())
        named = set(pq.read_table(sample_dataset / events).column("客户编号").to_pylist()) - {""}
        assert named <= held and not held & seen
        seen |= held
    assert len(seen) == 120


def test_a_bucket_is_the_same_on_every_run_and_blanks_do_not_count():
    keys = pa.chunked_array([["D2025-00001", " D2025-00001 ", "D2025-00002", "", None]])
    buckets = bucket_of(keys, 7).tolist()
    assert buckets[0] == buckets[1] and buckets[3] == buckets[4]
    assert buckets == [6, 6, 4, 0, 0]


def test_the_default_engine_gives_the_same_results_on_the_dataset(sample_dataset, tmp_path):
    assert_same_reports(checked(ROOT / "sample_data", tmp_path / "csv"), checked(sample_dataset, tmp_path / "parquet"))


def test_findings_keep_their_file_and_row(hostile, tmp_path):
    export, dataset = hostile
    from_csv, from_parquet = checked(export, tmp_path / "csv"), checked(dataset, tmp_path / "parquet")
    assert_same_reports(from_csv, from_parquet)
    found = json.loads((from_parquet / "results.json").read_text(encoding="utf-8"))["data_quality"]
    unreadable = [(f["file"], f["row"]) for f in found if f["kind"] == "unreadable_row"]
    assert unreadable == [("商机.csv", 5), ("销售活动_1.csv", 5), ("销售活动_2.csv", 5)]


# ------------------------------------------------------------------ datasets that cannot be read


def broken(dataset: Path, folder: Path, change) -> Path:
    copy = shutil.copytree(dataset, folder)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    if change is None:
        (copy / "manifest.json").unlink()
    else:
        change(manifest)
        (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return copy


@pytest.mark.parametrize("change, message", [
    (None, "a Parquet dataset without its manifest.json; the conversion did not finish"),
    (lambda m: m.update(version=1), "dataset format version 1, this checker reads version 2"),
    (lambda m: m.update(format="other"), "not a checker dataset manifest"),
    (lambda m: m["tables"]["events"]["parts"].__setitem__(0, "../../outside.parquet"), "leads outside the data folder"),
    (lambda m: m["tables"]["events"]["parts"].pop(), "the manifest is incomplete"),
    (lambda m: m["tables"]["events"].pop("contested"), "the manifest is incomplete"),
    (lambda m: m["tables"]["events"].update(contested="../x.parquet"), "leads outside the data folder"),
    (lambda m: m["tables"].pop("plans"), "the dataset has no table 'plans', which the mapping maps"),
    (lambda m: m["tables"]["plans"].update(split=True, parts=["tables/plans/all.parquet"] * 3,
                                            contested="tables/plans/all.parquet"),
     "the dataset is split by case as approvals, complaints, deals, events, plans"),
])
@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_a_broken_dataset_is_told(sample_dataset, tmp_path, capsys, change, message, engine):
    if engine == "pandas" and "is split by case as" in message:
        pytest.skip("the default engine reads the dataset whole, however it is split")
    dataset = broken(sample_dataset, tmp_path / "dataset", change)
    assert main(["check", *PROJECT, "--data", str(dataset), "--out", str(tmp_path / "out"), "--engine", engine,
                 *(["--workers", "1"] if engine == "dask" else [])]) == 3
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_convert_keeps_what_is_not_a_dataset(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["convert", "--to", "parquet", *PROJECT, "--data", str(ROOT / "sample_data"), "--out", str(tmp_path)]) == 2
    assert "is not empty and holds no dataset" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_split_table_whose_key_is_derived_is_refused(tmp_path, capsys):
    # Its keys repeated across buckets are found as the export spells them, which it does not.
    export = shutil.copytree(ROOT / "sample_data", tmp_path / "export")
    mapping = (export / "mapping.yaml").read_text(encoding="utf-8")
    mapping = mapping.replace("columns: {活动编号: id, ", "derived: {id: customer_id}\n    columns: {")
    (export / "mapping.yaml").write_text(mapping, encoding="utf-8")
    assert main(["convert", "--to", "parquet", *PROJECT, "--data", str(export), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "'events.id' is derived or defaulted" in err and "map the key to an export column" in err
