"""The read floor: pyarrow.csv.read_csv of every given file, with pyarrow's defaults.

    python benchmarks/bare_read.py FILE...

Prints one JSON line: read seconds (the reads only, not interpreter start or imports),
rows and files. Nothing is done with the tables: this is the least any checker must pay."""
from __future__ import annotations

import json
import sys
import time

import pyarrow.csv as pacsv


def main(paths: list[str]) -> int:
    start = time.perf_counter()
    tables = [pacsv.read_csv(path) for path in paths]   # all held at once, as a checker holds them
    seconds = time.perf_counter() - start
    rows = sum(t.num_rows for t in tables)
    print(json.dumps({"read_s": round(seconds, 4), "rows": rows, "files": len(paths)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
