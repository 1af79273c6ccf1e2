"""Reading a Parquet dataset written by `checker convert --to parquet`.

The dataset is a folder: manifest.json (format, version, buckets, which tables are split by
case and which are whole), the export's mapping (mapping.yaml, its `file:` names still those
of the export, so findings name the export's files), and per table its Parquet parts under
tables/. A table split by case has one part per bucket; every bucket holds whole cases. Each
record keeps its export row in the column ROW_COLUMN (the k-th file of a pattern numbered
k << PART_SHIFT plus its row, as sources.py numbers them), so the loading code gives the same
findings, file and row as on the export itself.

A reader made here stands in for sources.read_source: load_dataset(..., reader=...) reads
one bucket (a worker's share) or every bucket (the whole export, in its own order)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .read import DataError, Export, RaggedRow, confined
from .sources import Source

MANIFEST = "manifest.json"
FORMAT = "checker-parquet-dataset"
VERSION = 2
ROW_COLUMN = "__row"

Reader = Callable[..., Source]


@dataclass(frozen=True)
class TableParts:
    files: tuple[str, ...]          # the export files the table came from, as findings name them
    parts: tuple[str, ...]          # its Parquet files in the dataset: one per bucket when split
    split: bool
    ragged: tuple[RaggedRow, ...]   # the export's rows that could not be read
    # Of a split table but the cases: its records whose key has records in several buckets
    # (scale/contested.py), a Parquet part of export rows and keys.
    contested: str | None = None


@dataclass(frozen=True)
class Manifest:
    folder: Path
    buckets: int
    case_table: str | None
    tables: dict[str, TableParts]
    mapping: Path
    # Per event-log column rules read their records' events by: the parts of the events
    # bucketed by it and of those records bucketed by their key (one bucket of each, a shard).
    shards: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def split(self) -> tuple[str, ...]:
        return tuple(sorted(name for name, table in self.tables.items() if table.split))


def is_dataset(folder: Path) -> bool:
    """Whether the data folder is a converted dataset (or what is left of one)."""
    return (folder / MANIFEST).is_file() or (folder / "tables").is_dir()


def read_manifest(folder: Path) -> Manifest:
    """The dataset's manifest, every path in it checked to stay in the folder and exist."""
    path = folder / MANIFEST
    if not path.is_file():
        raise DataError(f"{folder}: a Parquet dataset without its {MANIFEST}; the conversion did not finish: "
                        "convert the export again with checker convert --to parquet")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable manifest ({exc}); convert the export again") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise DataError(f"{path}: not a checker dataset manifest (its format is not '{FORMAT}'); "
                        "convert the export again with checker convert --to parquet")
    if raw.get("version") != VERSION:
        raise DataError(f"{path}: dataset format version {raw.get('version')!r}, this checker reads version "
                        f"{VERSION}; convert the export again with this checker")
    try:
        buckets, tables = int(raw["buckets"]), {name: _table_parts(folder, entry, int(raw["buckets"]),
                                                                   name == raw.get("case_table"))
                                                for name, entry in raw["tables"].items()}
        mapping = confined(folder, raw["mapping"])
        shards = {via: {name: _checked_parts(folder, entry["parts"], buckets) for name, entry in tables_of.items()}
                  for via, tables_of in raw.get("shards", {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"{path}: the manifest is incomplete ({type(exc).__name__}: {exc}); "
                        "convert the export again") from None
    if not mapping.is_file():
        raise DataError(f"{mapping}: the dataset's mapping is missing; convert the export again")
    return Manifest(folder, buckets, raw.get("case_table"), tables, mapping, shards)


def _table_parts(folder: Path, entry: dict, buckets: int, of_cases: bool) -> TableParts:
    split = bool(entry.get("split", False))
    parts = _checked_parts(folder, entry["parts"], buckets if split else 1)
    ragged = tuple(RaggedRow(int(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in entry.get("ragged", []))
    contested = _checked_parts(folder, [entry["contested"]], 1)[0] if split and not of_cases else None
    return TableParts(tuple(str(f) for f in entry["files"]), parts, split, ragged, contested)


def _checked_parts(folder: Path, parts: list, count: int) -> tuple[str, ...]:
    parts = tuple(str(part) for part in parts)
    for part in parts:
        if not confined(folder, part).is_file():
            raise DataError(f"{folder / part}: a part of the dataset is missing; convert the export again")
    if len(parts) != count:
        raise ValueError(f"{len(parts)} parts, expected {count}")
    return parts


def dataset_reader(manifest: Manifest, bucket: int | None = None, shard: str | None = None,
                   repeats: dict[str, np.ndarray] | None = None) -> Reader:
    """A stand-in for sources.read_source reading the dataset: one bucket of each split table
    (and every whole table), or with bucket None every bucket in the export's order. With a
    shard (an event-log column of manifest.shards), bucket `bucket` of that shard's tables,
    the other split tables empty, the others whole. `repeats`: per table, the export rows that
    repeat the key of a record in another bucket (scale/contested.py)."""

    def read(folder: Path, tmap: dict, table: str, database_env, encoding, labels: frozenset[str],
             evidence: list[Path]) -> Source:
        entry = manifest.tables.get(table)
        if entry is None:
            raise DataError(f"{manifest.folder / MANIFEST}: the dataset has no table '{table}', which the mapping "
                            "maps; convert the export again with this mapping")
        sharded = manifest.shards.get(shard, {}) if shard else {}
        if table in sharded:
            chosen = (sharded[table][bucket],)
        elif shard and entry.split:
            return Source(_export([confined(manifest.folder, entry.parts[0])], labels, (), empty=True),
                          entry.files, str(manifest.folder / entry.parts[0]))
        else:
            chosen = entry.parts if not entry.split or bucket is None else (entry.parts[bucket],)
        paths = [confined(manifest.folder, part) for part in chosen]
        evidence += paths
        first = not shard and (bucket in (None, 0) or not entry.split)
        export = _export(paths, labels, entry.ragged if first else ())
        return Source(replace(export, repeats=(repeats or {}).get(table)), entry.files,
                      str(manifest.folder / entry.parts[0]))

    return read


def _export(paths: list[Path], labels: frozenset[str], ragged: tuple[RaggedRow, ...], empty: bool = False) -> Export:
    try:
        names = pq.read_schema(paths[0]).names
        table = pa.concat_tables([pq.read_table(p, read_dictionary=[n for n in names if n in labels]) for p in paths])
        table = table.slice(0, 0) if empty else table
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"{paths[0].parent}: a part of the dataset cannot be read ({exc}); "
                        "convert the export again") from None
    if ROW_COLUMN not in table.column_names:
        raise DataError(f"{paths[0]}: a part without its row numbers ('{ROW_COLUMN}'); convert the export again")
    if len(paths) > 1:
        # The buckets one after the other are out of the export's order: rows put it back.
        table = table.take(pc.sort_indices(table.column(ROW_COLUMN)))
    rows = table.column(ROW_COLUMN).to_numpy().astype(np.int64)
    return Export(table.drop_columns([ROW_COLUMN]), ragged, rows)
