"""A pack's languages (pack.yaml `languages:`): its texts are required in those only, `--lang`
takes any of them, and words the engine lacks in a language are its English ones."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from checker.languages import in_languages

ROOT = Path(__file__).resolve().parent.parent
P2P = ROOT / "tests" / "packs" / "p2p"


def _p2p(tmp_path: Path, pack_yaml: str | None = None) -> Path:
    folder = tmp_path / "p2p"
    shutil.copytree(P2P, folder)
    if pack_yaml is not None:
        (folder / "rules" / "pack.yaml").write_text(pack_yaml, encoding="utf-8")
    return folder


def _in_dutch(folder: Path) -> None:
    """Give every text of the copied pack a Dutch twin (its English words, marked)."""
    for path in [*(folder / "rules").glob("p2p.yaml"), *(folder / "policy").glob("*.yaml")]:
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"\{en: ([^}]*)\}", r"{nl: NL \1, en: \1}", text), encoding="utf-8")


def _project(folder: Path) -> list[str]:
    return ["--rules", str(folder / "rules"), "--policy", str(folder / "policy")]


def test_a_pack_without_languages_is_english_and_needs_no_chinese(tmp_path, capsys):
    folder = _p2p(tmp_path)
    assert main(["validate", *_project(folder)]) == 0
    assert capsys.readouterr().out.strip() == "4 rules and 4 clauses are valid"


def test_each_text_lacking_a_declared_language_is_named_at_its_place(tmp_path, monkeypatch, capsys):
    folder = _p2p(tmp_path, "languages: [nl, en]\n")
    monkeypatch.chdir(folder)
    assert main(["validate"]) == 1
    lines = capsys.readouterr().out.splitlines()
    hint = "the pack's languages are nl, en (pack.yaml languages:), so add nl: ..."
    assert lines[:3] == [f"policy/p2p.yaml:4:10: chapter.title has no 'nl' text; {hint}",
                         f"policy/p2p.yaml:7:12: clauses.0.title has no 'nl' text; {hint}",
                         f"policy/p2p.yaml:8:11: clauses.0.text has no 'nl' text; {hint}"]
    assert f"rules/p2p.yaml:4:12: title has no 'nl' text; {hint}" in lines
    # the chapter and 4 clauses (title and text each), 4 rule titles
    assert len(lines) == 1 + 4 * 2 + 4


def test_a_declared_language_is_asked_for_in_the_pack_title_and_parameter_docs(tmp_path, monkeypatch, capsys):
    folder = _p2p(tmp_path, "languages: [en, nl]\ntitle: {en: Purchase to pay}\n")
    (folder / "rules" / "params.yaml").write_text("limit:\n  value: 3\n  doc: {en: A limit}\n", encoding="utf-8")
    _in_dutch(folder)
    monkeypatch.chdir(folder)
    assert main(["validate"]) == 1
    hint = "the pack's languages are en, nl (pack.yaml languages:), so add nl: ..."
    assert capsys.readouterr().out.splitlines() == [f"rules/pack.yaml:2:8: title has no 'nl' text; {hint}",
                                                    f"rules/params.yaml:3:8: limit.doc has no 'nl' text; {hint}"]


def _dutch_pack(tmp_path: Path) -> Path:
    folder = _p2p(tmp_path, "languages: [nl, en]\ntitle: {nl: Inkoop tot betaling, en: Purchase to pay}\n")
    _in_dutch(folder)
    model = folder / "rules" / "datamodel.yaml"
    model.write_text(model.read_text("utf-8").replace("goods_received:   {}", "goods_received:   {nl: goederen ontvangen}"),
                     encoding="utf-8")
    return folder


@pytest.fixture()
def dutch_run(tmp_path) -> tuple[dict, str]:
    folder = _dutch_pack(tmp_path)
    out = tmp_path / "out"
    assert main(["check", *_project(folder), "--data", str(folder / "data"), "--as-of", "2025-04-30",
                 "--out", str(out)]) == 0
    return json.loads((out / "results.json").read_text("utf-8")), (out / "report.html").read_text("utf-8")


def test_a_report_in_a_language_without_engine_labels_falls_back_to_english_label_by_label(dutch_run):
    results, html = dutch_run
    assert '<html lang="nl">' in html and "<title>Inkoop tot betaling" in html
    assert "NL An invoiced order has had its goods received" in html     # the pack's own Dutch
    assert ">Tool version<" in html and "5 violations across 4 of 4 rules" in html   # the engine's English labels
    p2p_001 = next(r for r in results["rules"] if r["id"] == "P2P-001")
    assert p2p_001["title"] == {"nl": "NL An invoiced order has had its goods received",
                                "en": "An invoiced order has had its goods received",
                                "zh": "An invoiced order has had its goods received"}
    assert p2p_001["clause_text"]["nl"] == "NL An order whose invoice arrived has had its goods received."
    missing = next(v for v in results["violations"] if v["rule_id"] == "P2P-001")
    # The kind's words are English in Dutch; the step is named by its Dutch label where it has one.
    assert missing["message"] == {"zh": "缺少必需步骤:goods_received", "en": "required step missing: goods_received",
                                  "nl": "required step missing: goederen ontvangen"}
    assert results["vocabulary"]["steps"]["goods_received"] == \
        {"zh": "goods received", "en": "goods received", "nl": "goederen ontvangen"}


def test_lang_takes_only_a_declared_language(tmp_path, capsys):
    folder = _p2p(tmp_path)
    code = main(["check", *_project(folder), "--data", str(folder / "data"), "--lang", "zh",
                 "--out", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err.strip() == \
        "checker: error: --lang zh: the pack's languages are en (pack.yaml languages:); pass one of them"
    assert main(["explain", *_project(folder), "--lang", "nl", "P2P-001"]) == 2
    assert capsys.readouterr().err.strip() == \
        "checker: error: --lang nl: the pack's languages are en (pack.yaml languages:); pass one of them"


def test_send_takes_any_declared_language_and_refuses_others(tmp_path, capsys):
    folder = _dutch_pack(tmp_path)
    out = tmp_path / "out"
    assert main(["check", *_project(folder), "--data", str(folder / "data"), "--as-of", "2025-04-30",
                 "--out", str(out)]) == 0
    recipients = tmp_path / "recipients.yaml"
    recipients.write_text("recipients:\n  - {name: Boss, email: boss@example.com, receives: all}\n", "utf-8")
    send = ["send", *_project(folder), "--out", str(out), "--recipients", str(recipients), "--dry-run"]
    assert main([*send, "--lang", "fr"]) == 2
    assert capsys.readouterr().err.strip() == \
        "checker: error: --lang fr: the pack's languages are nl, en (pack.yaml languages:); pass one of them"
    assert main([*send, "--lang", "nl"]) == 0
    message = next((out / "outbox").glob("*.eml")).read_text("utf-8")
    # The pack's own Dutch title; the message's words, which the engine lacks in Dutch, are English.
    assert "Subject: Inkoop tot betaling: whole department, as of 2025-04-30" in message
    assert "Dear Boss," in message


@pytest.mark.parametrize("languages, problem", [
    ("[zz-]", "rules/pack.yaml:1:13: languages.0: 'zz-' does not have the expected form (a language tag: the "
              "language's ISO 639 code in lower case (en, zh, nl), then a region or script after a hyphen if needed "
              "(pt-BR, zh-Hant))"),
    ("[en, zz]", "rules/pack.yaml:1:17: languages.1: 'zz' is not an ISO 639 language code; write the language's "
                 "two-letter code, such as en, zh, nl or de"),
    ("[nld-BE, en]", "rules/pack.yaml:1:13: languages.0: 'nld' is written 'nl' in a language tag; write nl-BE"),
])
def test_a_declared_language_that_is_no_language_tag_is_the_one_problem_shown(tmp_path, monkeypatch, capsys,
                                                                             languages, problem):
    folder = _p2p(tmp_path, f"languages: {languages}\n")
    monkeypatch.chdir(folder)
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [problem]


def test_the_aqt_pack_declares_chinese_first_so_its_reports_default_to_chinese(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["explain", "PROC-001"]) == 0
    assert main(["check", "--out", str(tmp_path)]) == 0
    assert '<html lang="zh' in (tmp_path / "report.html").read_text("utf-8")


def test_a_text_is_read_in_english_where_it_lacks_a_language():
    assert in_languages({"en": "Paid"}, ("en",)) == {"zh": "Paid", "en": "Paid"}
    assert in_languages({"nl": "Betaald", "en": "Paid"}, ("nl", "en")) == {"zh": "Paid", "en": "Paid", "nl": "Betaald"}
    assert in_languages({"nl": "Betaald"}, ("nl",)) == {"zh": "Betaald", "en": "Betaald", "nl": "Betaald"}
    assert in_languages({"zh": "已付", "en": "Paid", "fr": "Payé"}, ("zh", "en")) == \
        {"zh": "已付", "en": "Paid", "fr": "Payé"}
