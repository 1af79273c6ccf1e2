"""The worked example of docs/own-export.md: a public CRM export (Maven Analytics' CRM sales
opportunities) checked with its own data model, mapping, rules and policy under
docs/own-export/maven-crm/. The figures asserted here are the ones the document promises.

The export itself is not in the repository: it is looked for beside it, at
../shared/realdata/maven-crm/ from the repository root."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path("docs/own-export/maven-crm")
EXPORT = ROOT.parent / "shared" / "realdata" / "maven-crm"
PROJECT = ["--rules", str(EXAMPLE / "rules"), "--policy", str(EXAMPLE / "policy")]
OTHER_RULES = ("PIPE-001", "PIPE-002", "PIPE-003", "PIPE-005")


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch):
    # The document's commands run from the repository root.
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    if not (EXPORT / "sales_pipeline.csv").exists():
        pytest.skip(f"the Maven CRM export is not at {EXPORT}; put the public sample there to run this test")
    out = tmp_path_factory.mktemp("maven")
    code = main(["check", *PROJECT, "--mapping", str(EXAMPLE / "mapping.yaml"), "--data", str(EXPORT),
                 "--as-of", "2017-12-31", "--lang", "en", "--out", str(out)])
    assert code == 0, "checker check exits 0 without --fail-on"
    return json.loads((out / "results.json").read_text("utf-8"))


def _rule(results: dict, rule_id: str) -> dict:
    return next(r for r in results["rules"] if r["id"] == rule_id)


def test_the_example_validates(capsys):
    assert main(["validate", *PROJECT]) == 0
    assert capsys.readouterr().out.strip() == "7 rules and 4 clauses are valid"


def test_the_example_rules_pass_their_own_tests(capsys):
    assert main(["test", *PROJECT]) == 0
    assert capsys.readouterr().out.strip().endswith("7 passed, 0 failed")


def test_a_deal_past_prospecting_without_an_account_is_found(results):
    pipe_004 = _rule(results, "PIPE-004")
    assert (pipe_004["violations"], pipe_004["in_scope"]) == (1089, 8302)
    assert pipe_004["compliance_rate"] == pytest.approx(0.869, abs=0.0005)


@pytest.mark.parametrize("rule_id", OTHER_RULES)
def test_the_other_rules_find_nothing(results, rule_id):
    rule = _rule(results, rule_id)
    assert (rule["violations"], rule["not_evaluable"]) == (0, 0), f"{rule_id}: {rule}"
    assert rule["in_scope"] > 0, f"{rule_id} judged no deal at all"


def test_the_dangling_references_are_reported(results):
    found = Counter((d["kind"], d["column"], d["value"]) for d in results["data_quality"])
    assert found == {("dangling_reference", "product", "GTXPro"): 1480, ("dangling_reference", "account", "Teste"): 1,
                     ("after_as_of", "engage_date", "2026-03-12 00:00:00+00:00"): 2,
                     ("after_as_of", "engage_date", "2026-03-13 00:00:00+00:00"): 1}
    messages = {d["value"]: d["message"] for d in results["data_quality"]}
    assert "did you mean 'GTX Pro'?" in messages["GTXPro"]
    assert "did you mean" not in messages["Teste"]


def test_a_deal_naming_a_product_the_catalogue_lacks_is_found(results):
    # GTXPro (for GTX Pro) is in no row of products.csv: 1,480 deals, the data-quality findings' count.
    pipe_006 = _rule(results, "PIPE-006")
    assert (pipe_006["violations"], pipe_006["not_evaluable"], pipe_006["in_scope"]) == (1480, 0, 8801)
    found = {(v["key"], v["message"]["en"]) for v in results["violations"] if v["rule_id"] == "PIPE-006"}
    assert len(found) == 1480 and all(m == "'product' points to GTXPro, which does not exist" for _, m in found)


def test_a_won_deal_above_its_product_list_price_is_found_through_the_relation(results):
    # Of 4,238 won deals, 729 name GTXPro and so have no list price to compare (not evaluable),
    # 1,674 closed above their product's sales_price: as a plain join of the CSVs says.
    deals, products = pd.read_csv(EXPORT / "sales_pipeline.csv"), pd.read_csv(EXPORT / "products.csv")
    won = deals[deals["deal_stage"] == "Won"].merge(products, on="product", how="left")
    expected = (len(won), int((won["close_value"] > won["sales_price"]).sum()), int(won["sales_price"].isna().sum()))
    assert expected == (4238, 1674, 729)
    pipe_007 = _rule(results, "PIPE-007")
    assert (pipe_007["in_scope"], pipe_007["violations"], pipe_007["not_evaluable"]) == expected
    above = set(won.loc[won["close_value"] > won["sales_price"], "opportunity_id"])
    assert {v["key"] for v in results["violations"] if v["rule_id"] == "PIPE-007"} == above
    reasons = {n["reason"]["en"] for n in results["not_evaluable"] if n["rule_id"] == "PIPE-007"}
    assert reasons == {"a field the condition reads is empty"}


def test_the_summary_adds_up(results):
    summary = results["summary"]
    assert (summary["rules"], summary["violations"], summary["not_evaluable"], summary["data_quality"]) == \
        (7, 1089 + 1480 + 1674, 729, 1484)
