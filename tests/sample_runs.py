"""`checker check` on the shipped sample, run from the project root as a user would."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]


def check_sample(out: Path, *options: str) -> dict:
    """Run the check into ``out`` (it must succeed) and return its results.json."""
    with contextlib.chdir(ROOT):
        assert main(["check", "--out", str(out), *options]) == 0
    return json.loads((out / "results.json").read_text(encoding="utf-8"))
