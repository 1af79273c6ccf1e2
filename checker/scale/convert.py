"""`checker convert --to parquet`: an export written as a Parquet dataset partitioned for the
checker (its format: load/parquet.py).

The case table and the tables that go with it (layout.py) are bucketed by a stable hash of
each record's case key, as the loading code cleans it, so a bucket holds whole cases however
many times the export is converted. CSV files are read a block at a time and each block's
rows are appended to their buckets' files, so a file larger than memory converts; the other
tables are small beside them and are written whole. Each record keeps its export row."""
from __future__ import annotations

import codecs
import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..load.mapping import Mapping
from ..load.parquet import FORMAT, MANIFEST, ROW_COLUMN, VERSION
from ..load.read import (_BLOCK, DataError, Export, RaggedRow, _bounded, _file_encoding, _header, _parse_message,
                         _set_aside, confined, read_export)
from ..load.sources import PART_SHIFT, _matches, is_glob
from ..model import DataModel
from ..rules import RulePack
from ..problems import UserError
from .bucketed import Buckets, placed_by
from .contested import SCRATCH, KeyBuckets, scratch_parts, write_contested
from .layout import case_layout

BUCKET_BYTES = 256 << 20        # export bytes per bucket when --buckets is not given


def convert(folder: Path, mapping: Mapping, mapping_path: Path, pack: RulePack, out: Path,
            buckets: int | None = None) -> dict:
    """The export in `folder` written to `out` as a dataset; what was written, for the summary."""
    model = pack.model
    layout = case_layout(model, set(mapping.tables))
    keys = _split_keys(model, mapping, layout)
    files = {name: _files(folder, tmap) for name, tmap in mapping.tables.items()}
    buckets = buckets or max(1, -(-sum(p.stat().st_size for n in keys for p in files[n]) // BUCKET_BYTES))
    shards = _shard_keys(pack, mapping, layout)
    _fresh(out)
    entries, sharded = {}, {via: {} for via in shards}
    for name, tmap in mapping.tables.items():
        plan = [(f"tables/{name}", keys.get(name), buckets if name in keys else 1)]
        plan += [(f"shards/{via}/{name}", columns[name], buckets) for via, columns in shards.items() if name in columns]
        keyed = _key_sink(model, mapping, name, out, buckets, [key for _, key, _ in plan]) \
            if name in keys and name != layout.case_table else None
        written = _write_table(files[name], folder, tmap.get("encoding", mapping.encoding), tmap.get("sheet"), out, plan,
                               keyed)
        entries[name] = {"files": _names(files[name], folder), "split": name in keys,
                         **({"split_by": keys[name]} if name in keys else {}), "parts": written[0],
                         "ragged": written[-1], "_records": written[1]}
        if keyed is not None:
            entries[name]["contested"], entries[name]["_contested"] = write_contested(out, name, buckets)
        for via, columns in shards.items():
            if name in columns:
                sharded[via][name] = {"split_by": columns[name], "parts": written[2 + list(shards).index(via)]}
    shutil.copyfile(mapping_path, out / "mapping.yaml")
    manifest = {"format": FORMAT, "version": VERSION, "buckets": buckets, "case_table": layout.case_table,
                "mapping": "mapping.yaml", "tables": entries, "shards": sharded}
    # Written last: a dataset without its manifest is one whose conversion did not finish.
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"buckets": buckets, "split": sorted(keys), "whole": sorted(set(entries) - set(keys)),
            "shards": sorted(shards), "records": {name: entry.pop("_records") for name, entry in sorted(entries.items())},
            "contested": {name: entry.pop("_contested") for name, entry in sorted(entries.items()) if "_contested" in entry}}


def _key_sink(model: DataModel, mapping: Mapping, table: str, out: Path, buckets: int,
              layouts: list[str]) -> KeyBuckets:
    """Where a split table's keys go, with the export columns of the layouts it is written in
    (contested.py); the key must be an export column, as the split columns must."""
    key = _export_column(mapping, table, model.tables[table].key, "a dataset finds the keys repeated across its "
                         "buckets as the export spells them: map the key to an export column")
    return KeyBuckets(scratch_parts(out, table, buckets), key, layouts)


def _export_column(mapping: Mapping, table: str, column: str, reason: str) -> str:
    """The export column a data-model column is read from; UserError when it is derived or
    defaulted instead (convert writes the export as it spells it)."""
    tmap = mapping.tables[table]
    if column in tmap.get("derived", {}) or column in tmap.get("defaults", {}):
        raise UserError(f"mapping: '{table}.{column}' is derived or defaulted; {reason}")
    return mapping.source_of(table, column)[1]


def _shard_keys(pack: RulePack, mapping: Mapping, layout) -> dict[str, dict[str, str]]:
    """Per event-log column that rules read their records' events by (layout.entity_key), the
    export column each of the two tables is sharded by: the events by that column, the
    records by their key."""
    model, log = pack.model, pack.model.event_log
    out = {}
    for rule in pack.rules:
        via = None if layout.by_case(rule) else layout.entity_key(rule, model, pack.params)
        if via and log.table in mapping.tables and rule.applies_to in mapping.tables:
            out[via] = {log.table: mapping.source_of(log.table, via)[1],
                        rule.applies_to: mapping.source_of(rule.applies_to, model.tables[rule.applies_to].key)[1]}
    return dict(sorted(out.items()))


def _split_keys(model: DataModel, mapping: Mapping, layout) -> dict[str, str]:
    """The export column naming each split table's case; a table sent whole that points into a
    split one would be judged on partitions that lack its targets, so it is refused."""
    if layout.case_table is None:
        return {}
    columns = {layout.case_table: model.tables[layout.case_table].key, **layout.members}
    exported = {}
    for name, column in columns.items():
        if "query" in mapping.tables[name]:
            raise UserError(f"mapping: table '{name}' is read by a database query; convert reads export files: "
                            "export the table to a file first")
        exported[name] = _export_column(mapping, name, column, "the dataset is split by that column as the export "
                                        "spells it: map it to an export column")
    for (table, column), target in layout.references.items():
        if target in exported and table not in exported and table in mapping.tables:
            raise UserError(f"'{table}.{column}' points into '{target}', which is split by case, but '{table}' "
                            "is not: such a data model cannot be converted yet; check the export as it is")
    return exported


def _files(folder: Path, tmap: dict) -> list[Path]:
    if "query" in tmap:
        raise UserError(f"mapping: '{tmap['file']}' is a database query; convert reads export files only")
    names = _matches(folder, tmap["file"]) if is_glob(tmap["file"]) else [tmap["file"]]
    paths = [confined(folder, name) for name in names]
    for path in paths:
        if not path.is_file():
            raise DataError(f"{path}: file not found; check the data folder and the mapping's file names")
    return paths


def require_dataset_folder(out: Path) -> None:
    """Refuse an output folder that is a file, or holds something other than an earlier
    dataset, so nothing the user wrote there is lost."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out '{out}' is a file; name a new folder for the dataset")
    if out.is_dir() and any(out.iterdir()) and not ((out / MANIFEST).is_file() or (out / "tables").is_dir()):
        raise UserError(f"--out '{out}' is not empty and holds no dataset; name a new or empty folder")


def _fresh(out: Path) -> None:
    """The output folder, emptied when it holds an earlier dataset (see require_dataset_folder)."""
    require_dataset_folder(out)
    if out.is_dir() and any(out.iterdir()):
        shutil.rmtree(out / "tables", ignore_errors=True)
        shutil.rmtree(out / "shards", ignore_errors=True)
        shutil.rmtree(out / SCRATCH, ignore_errors=True)
        (out / MANIFEST).unlink(missing_ok=True)
    (out / "tables").mkdir(parents=True, exist_ok=True)


def _write_table(paths: list[Path], folder: Path, encoding: str, sheet: str | None, out: Path,
                 plan: list[tuple[str, str | None, int]], keyed: KeyBuckets | None = None) -> tuple:
    """A table's files read once (CSV a block at a time) into each planned layout: a folder, the
    export column its rows are bucketed by (None: one part, all.parquet) and its buckets; and
    into `keyed`, the sink of its keys. Gives each layout's parts, then the
    rows written and the rows that could not be read."""
    sinks = [(Buckets([out / part for part in _parts(where, key, buckets)], key), "that the dataset is split by")
             for where, key, buckets in plan]
    sinks += [(keyed, "of the table's key")] if keyed else []
    ragged, headers = [], []
    for number, path in enumerate(paths):
        blocks = _csv_blocks(path, encoding) if path.suffix.lower() in (".csv", ".txt") \
            else _whole_blocks(path, encoding, sheet)
        for header, block in blocks:
            headers.append((path, header))
            if isinstance(block, Export):
                ragged.append((number, block.ragged))
                continue
            rows = block.append_column(ROW_COLUMN, pa.array(block.rows + (number << PART_SHIFT)))
            placed = placed_by(rows)
            for sink, what in sinks:
                if sink.key is not None and sink.key not in block.column_names:
                    raise DataError(f"{path}: the column '{sink.key}' {what} is not in the file; "
                                    "add it to the export or fix the mapping")
                sink.add(rows, placed)
    header = _same_header(headers)
    for sink, _ in sinks:
        sink.close(header)
    parts = [_parts(where, key, buckets) for where, key, buckets in plan]
    return (parts[0], sinks[0][0].records, *parts[1:], _ragged(ragged))


def _parts(where: str, key: str | None, buckets: int) -> list[str]:
    return [f"{where}/all.parquet"] if key is None else [f"{where}/bucket-{b:05d}.parquet" for b in range(buckets)]


def _csv_blocks(path: Path, encoding: str):
    """(header, rows) a read block at a time, each with its rows' export row numbers; last the
    Export of the rows that could not be read (whose rows are reported, not written)."""
    encoding = _file_encoding(path, encoding)
    names = _header(path, encoding)
    arrow_encoding = "utf8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding
    ragged: list[RaggedRow] = []
    reader = pacsv.open_csv(
        path, read_options=pacsv.ReadOptions(encoding=arrow_encoding, block_size=_BLOCK, use_threads=False),
        parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=lambda r: _set_aside(r, ragged)),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False))
    after = 2     # the first data row: the header is row 1
    try:
        for batch in reader:
            table = pa.Table.from_batches([batch])
            rows = _numbers(after, table.num_rows, [r.row for r in ragged])
            after = int(rows[-1]) + 1 if len(rows) else after
            _bounded(path, Export(table, rows=rows))
            yield names, _Rows(table, rows)
    except pa.ArrowInvalid as exc:
        raise DataError(_parse_message(path, exc, encoding, False)) from None
    yield names, Export(pa.table({n: pa.array([], pa.string()) for n in names}), tuple(ragged))


def _whole_blocks(path: Path, encoding: str, sheet: str | None):
    export = read_export(path, encoding, sheet)
    yield export.table.column_names, _Rows(export.table, export.row_numbers())
    yield export.table.column_names, Export(export.table.slice(0, 0), export.ragged)


class _Rows:
    """A block of rows and their export row numbers."""

    def __init__(self, table: pa.Table, rows: np.ndarray):
        self.table, self.rows = table, rows

    @property
    def column_names(self) -> list[str]:
        return self.table.column_names

    def append_column(self, name: str, values: pa.Array) -> pa.Table:
        return self.table.append_column(name, values)


def _numbers(after: int, size: int, ragged: list[int]) -> np.ndarray:
    """The next `size` row numbers from `after` on, the rows set aside left out."""
    skipped = np.asarray([r for r in ragged if r >= after], dtype=np.int64)
    candidates = np.arange(after, after + size + len(skipped), dtype=np.int64)
    return np.setdiff1d(candidates, skipped, assume_unique=True)[:size] if len(skipped) else candidates


def _ragged(found: list[tuple[int, tuple[RaggedRow, ...]]]) -> list[list]:
    return [[r.row + (part << PART_SHIFT), r.fields, r.expected, r.text] for part, rows in found for r in rows]


def _names(paths: list[Path], folder: Path) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in paths]


def _same_header(headers: list[tuple[Path, list[str]]]) -> list[str]:
    """The first file's header; every file a pattern matches must have the same columns."""
    first = headers[0][1]
    for path, header in headers[1:]:
        if set(header) != set(first):
            raise DataError(f"{path}: its columns differ from those of {headers[0][0].name}: every file a "
                            "pattern matches must have the same header")
    return first
