"""Run one command and record its wall time and peak RSS: python spawn.py REPORT.json CMD ARG...

Why a separate small process: on Linux a child's peak RSS (ru_maxrss) starts from the RSS of
the process it was forked from, which exec does not reset. The harness itself holds pandas
and parsed results, so its children would all report at least its size; forked from this
small launcher they report their own. Output streams are inherited; the exit code is passed on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(report: str, args: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.Popen(args)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"wall_s": wall, "maxrss_kb": usage.ru_maxrss, "exit": code}, handle)  # KiB on Linux
    return code if code >= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
