"""Where a table's rows come from: a query, one file, or every file a glob matches (`file:
活动_*.csv`), read in the order of their names and joined into one table.

Rows keep the row number of their own file. While the table is typed and linked, a row of the
k-th file is numbered k << PART_SHIFT plus its row, so every finding made on the way (unreadable
values, duplicate keys, dangling references, late times) can be given back its file and row at
the end by per_file, without the typing and linking code knowing about several files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .read import DataError, Export, RaggedRow, confined, read_export
from .sql import read_query

PART_SHIFT = 40
_GLOB = frozenset("*?[")


@dataclass(frozen=True)
class Source:
    export: Export              # the rows of every file, their ROW numbers carrying their part
    files: tuple[str, ...]      # the file each part came from, as findings name it
    shown: str                  # how messages name the table's source


def is_glob(name: str) -> bool:
    return bool(_GLOB & set(name))


def read_source(folder: Path, tmap: dict, table: str, database_env: str | None, encoding: str,
                labels: frozenset[str], evidence: list[Path]) -> Source:
    """A table's rows from its query or its files (each file read is added to evidence)."""
    if "query" in tmap:
        return Source(read_query(database_env, tmap["query"], table), (tmap["file"],), tmap["file"])
    names = _matches(folder, tmap["file"]) if is_glob(tmap["file"]) else [tmap["file"]]
    exports = []
    for name in names:
        path = confined(folder, name)
        evidence.append(path)
        exports.append(read_export(path, tmap.get("encoding", encoding), tmap.get("sheet"), labels))
    shown = str(folder / names[0]) if len(names) == 1 else str(folder / tmap["file"])
    return Source(_joined(exports, [folder / n for n in names]), tuple(names), shown)


def _matches(folder: Path, pattern: str) -> list[str]:
    names = sorted(p.relative_to(folder).as_posix() for p in folder.glob(pattern) if p.is_file())
    if not names:
        raise DataError(f"{folder / pattern}: no file in the data folder matches '{pattern}'; "
                        "check the pattern and the data folder")
    return names


def _joined(exports: list[Export], paths: list[Path]) -> Export:
    """One export of several files with the same columns, rows numbered with their part."""
    if len(exports) == 1:
        return exports[0]
    header = exports[0].table.column_names
    for export, path in zip(exports[1:], paths[1:]):
        if set(export.table.column_names) != set(header):
            lacks = sorted(set(header) - set(export.table.column_names))
            extra = sorted(set(export.table.column_names) - set(header))
            raise DataError(f"{path}: its columns differ from those of {paths[0].name}"
                            f"{'; it lacks ' + ', '.join(lacks) if lacks else ''}"
                            f"{'; it adds ' + ', '.join(extra) if extra else ''}: "
                            "every file a pattern matches must have the same header")
    try:
        table = pa.concat_tables([e.table.select(header) for e in exports], promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(f"{paths[0].parent}: the files matched cannot be joined into one table ({exc}); "
                        "export them in one format") from None
    rows = np.concatenate([e.row_numbers() + (part << PART_SHIFT) for part, e in enumerate(exports)])
    ragged = tuple(RaggedRow(r.row + (part << PART_SHIFT), r.fields, r.expected, r.text)
                   for part, e in enumerate(exports) for r in e.ragged)
    return Export(table, ragged, rows)


def per_file(findings: pd.DataFrame, parts: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """Findings with each row of a table read from several files given back its file and row."""
    several = {table: files for table, files in parts.items() if len(files) > 1}
    if not several or not len(findings):
        return findings
    findings = findings.copy()
    for table, files in several.items():
        # A filter's count names the table's pattern, not a row of one file.
        mine = ((findings["table"] == table) & (findings["kind"] != "filtered_out")).to_numpy()
        rows = findings["row"].to_numpy()[mine]
        findings.loc[mine, "file"] = np.asarray(files, dtype=object)[rows >> PART_SHIFT]
        findings.loc[mine, "row"] = rows & ((1 << PART_SHIFT) - 1)
    return findings
