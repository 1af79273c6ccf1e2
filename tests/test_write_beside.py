"""The machine files written by a child process while report.html renders: the same bytes as
written in-process, a failure in the child raised as the run's own, and a child that dies
without a word replaced by writing the files here."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import checker.report.outputs as outputs
from checker.profile import Profile
from checker.report.writers import results_json_pieces

from sample_runs import check_sample

FILES = ("report.html", "results.json", "violations.csv", "junit.xml")


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    return check_sample(tmp_path_factory.mktemp("sample"))


def test_a_child_writes_what_this_process_writes(tmp_path, monkeypatch):
    check_sample(tmp_path / "beside")
    monkeypatch.setattr(outputs, "_CAN_FORK", False)
    check_sample(tmp_path / "here")
    assert _files(tmp_path / "beside") == _files(tmp_path / "here")


@pytest.mark.skipif(not outputs._CAN_FORK, reason="no fork on this system")
def test_a_failure_in_the_child_is_raised_by_the_run(tmp_path, monkeypatch, results):
    def full_disk(_results):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(outputs._MACHINE_FILES, "junit.xml", full_disk)
    with pytest.raises(OSError, match="No space left on device"):
        outputs.write_reports(results, tmp_path, "en", Profile(False))


@pytest.mark.skipif(not outputs._CAN_FORK, reason="no fork on this system")
def test_a_child_that_dies_is_replaced_by_writing_here(tmp_path, monkeypatch, results):
    parent = os.getpid()

    def dies_in_the_child(results):
        if os.getpid() != parent:
            os._exit(9)
        return results_json_pieces(results)

    monkeypatch.setitem(outputs._MACHINE_FILES, "results.json", dies_in_the_child)
    outputs.write_reports(results, tmp_path / "after", "en", Profile(False))
    monkeypatch.undo()
    monkeypatch.setattr(outputs, "_CAN_FORK", False)
    outputs.write_reports(results, tmp_path / "here", "en", Profile(False))
    assert _files(tmp_path / "after") == _files(tmp_path / "here")
