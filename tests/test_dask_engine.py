"""`checker check --engine dask` gives the pandas engine's results: results.json byte for byte
apart from its run section, violations.csv and junit.xml byte for byte, on the sample and for
generated logs of every check kind, on a LocalCluster of two worker processes on loopback
(started once for the module: it takes seconds)."""
from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.engine import evaluate_pack, make_context
from checker.kinds import KINDS
from checker.lint import lint_rule
from checker.load.dataset import as_of_timestamp
from checker.scale.run import evaluate_with
from checker.testing import TEST_TZ, case_tables
from reference.worlds import WHEN, datasets
from test_convert import assert_same_reports
from test_kinds_reference import generated_rule, project, reference_for  # noqa: F401 (project: a fixture)

ROOT = Path(__file__).resolve().parent.parent
PACK = ["--rules", str(ROOT / "rules"), "--policy", str(ROOT / "policy"), "--data", str(ROOT / "sample_data")]
# The aqt pack's rules on deals and on the tables co-partitioned with them (the complaints'
# responses on their own fields, CPL-001/002, among them), and the others: groups over every
# record (ORG-001, ORG-003), another table by employee (PLAN, RPT), the events by customer
# (FUP-001, VIS-001), and the rules on the broadcast tables.
BY_PARTITION = ["AMD-001", "AMD-002", "AMD-003", "APPR-001", "APPR-002", "CONT-001", "CPL-001", "CPL-002", "CPL-003",
                "CRD-001", "DISC-001", "JR-001", "JR-002", "JR-003", "JR-004", "JR-005", "JR-006", "PAY-001", "PAY-002",
                "PAY-003", "PAYT-001", "PRES-001", "PROC-001", "PROC-002", "PROC-003", "PROC-004", "PROC-005",
                "PROC-006", "PROC-007", "PROC-008", "PROC-009", "REV-001", "ROLE-001", "SCR-001", "SEAL-001",
                "SOD-001"]
ON_WHOLE_DATA = ["FUP-001", "ORG-001", "ORG-002", "ORG-003", "ORG-004", "ORG-005", "PLAN-001",
                 "PLAN-002", "PLAN-003", "PLAN-004", "REC-001", "RPT-001", "RPT-002", "RPT-003", "RPT-004", "TRN-001", "TRN-002", "TRN-003", "VIS-001"]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as connected:
        yield connected


@pytest.fixture(scope="module")
def pandas_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pandas")
    assert main(["check", *PACK, "--out", str(out)]) == 0
    return out


def engine_of(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))["run"]["engine"]


def test_sample_on_a_running_cluster(client, pandas_run, tmp_path, capsys):
    assert main(["check", *PACK, "--out", str(tmp_path), "--engine", "dask", "--scheduler", client.scheduler.address]) == 0
    assert "303 violations" in capsys.readouterr().out
    assert_same_reports(pandas_run, tmp_path)
    assert engine_of(tmp_path) == {"name": "dask", "cluster": client.scheduler.address, "workers": 2, "partitions": 4,
                                   "split_by": "deals", "by_partition": BY_PARTITION, "on_whole_data": ON_WHOLE_DATA}


def test_sample_on_a_local_cluster_it_starts(pandas_run, tmp_path):
    assert main(["check", *PACK, "--out", str(tmp_path), "--engine", "dask", "--workers", "1", "--threads", "1",
                 "--memory-limit", "2GB"]) == 0
    assert_same_reports(pandas_run, tmp_path)
    engine = engine_of(tmp_path)
    assert (engine["cluster"], engine["workers"], engine["threads_per_worker"], engine["partitions"]) == ("local", 1, 1, 2)


# ------------------------------------------------------------------ every kind on generated logs


def assert_same_outcomes(client, project, kind: str, data: dict, as_of: str, spec, when: str | None, params: dict):
    ref = reference_for(kind)
    rule = generated_rule(kind, spec, when, getattr(ref, "APPLIES_TO", "deals"))
    assert not lint_rule(rule, project.pack.model, {**project.pack.params, **params}, None)
    pack = replace(project.pack, rules=(rule,))
    tables = case_tables(rule, {"name": "generated", "data": data, "expect": [], "as_of": as_of, "params": params},
                         project)
    ctx = make_context(pack, tables, project.calendar, as_of_timestamp(as_of, TEST_TZ), TEST_TZ,
                       {**pack.params, **params})
    expected = evaluate_pack(pack, ctx)[rule.id]
    # Three partitions for a handful of deals: some partitions are empty, most cases have neighbours elsewhere.
    got = evaluate_with(client, pack, ctx, parts=3)[0][rule.id]
    assert (got.in_scope, got.activated, got.counts, got.tolerance, got.met) == \
        (expected.in_scope, expected.activated, expected.counts, expected.tolerance, expected.met)
    # The same records, outcomes, codes and evidence. A code column's type (categorical or text)
    # depends on how the frame's pieces were joined, which results do not read.
    pd.testing.assert_frame_equal(got.reported, expected.reported, check_dtype=False, check_categorical=False)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_matches_the_pandas_engine(kind, client, project):
    ref = reference_for(kind)

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    @given(case=getattr(ref, "DATASETS", datasets)(), draw=st.data(), when=getattr(ref, "WHEN", WHEN),
           params=getattr(ref, "PARAMS", st.just({})))
    def agree(case, draw, when, params):
        assert_same_outcomes(client, project, kind, *case, draw.draw(ref.SPECS, label="spec"), when, params)

    agree()


# ------------------------------------------------------------------ mistakes in the options


@pytest.mark.parametrize("options, message", [
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler applies to the dask engine only; add --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"],
     "--workers, --threads and --memory-limit size the local cluster"),
    (["--engine", "dask", "--scheduler", "127.0.0.1:8786"], "is not a scheduler address; give it as tcp://HOST:PORT"),
    (["--engine", "dask", "--workers", "0"], "--workers must be at least 1 (it is 0)"),
    (["--engine", "dask", "--memory-limit", "lots"], "--memory-limit 'lots' is not a size; give one like 5GB"),
])
def test_a_mistaken_option_is_told_before_the_data_is_read(options, message, tmp_path, capsys):
    assert main(["check", *PACK, "--out", str(tmp_path), *options]) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_a_scheduler_that_does_not_answer_is_told(tmp_path, capsys):
    # Port 9 (discard) is closed on loopback: the connection is refused until the time-out.
    assert main(["check", *PACK, "--out", str(tmp_path), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "--scheduler tcp://127.0.0.1:9: no dask scheduler answered" in err and "dask scheduler" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ the partitions


def test_every_case_is_whole_in_one_partition():
    from checker.load.dataset import load_dataset, load_mapping
    from checker.load.keys import NONE
    from checker.project import load_project
    from checker.scale.layout import case_layout
    from checker.scale.split import pieces

    model = load_project(ROOT / "rules", ROOT / "policy").pack.model
    tables = load_dataset(ROOT / "sample_data", load_mapping(ROOT / "sample_data" / "mapping.yaml", model, "mapping.yaml"),
                          model).tables
    layout = case_layout(model, tables)
    assert (layout.case_table, layout.members) == \
        ("deals", {"events": "deal_id", "approvals": "deal_id", "complaints": "deal_id"})
    parts = pieces(tables, layout, 5)
    for name in layout.split:
        held = np.sort(np.concatenate([piece.rows[name] for piece in parts]))
        assert (held == np.arange(len(tables[name]))).all(), f"{name}: a record in no partition or in two"
    for piece in parts:
        for name, column in layout.members.items():
            local = piece.codes[(name, column)]
            named = tables[name][column].iloc[piece.rows[name]].to_numpy(dtype=object)
            linked = local != NONE
            keys = piece.frames["deals"]["id"].to_numpy(dtype=object)
            assert (keys[local[linked]] == named[linked]).all(), f"{name}: a record linked to another case"
            assert (tables.code(name, column)[piece.rows[name]][~linked] == NONE).all(), f"{name}: a link lost"
