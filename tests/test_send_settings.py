"""What `checker send` reads besides the results: recipients files (YAML, CSV) with their problems
at file:line:col, recipients from the roster's e-mail column, the mail server's settings from a
file and the environment (never the command line), and the summary text itself."""
from __future__ import annotations

import csv
import email
import email.policy
import shutil
from pathlib import Path

import pytest

from checker.cli import build_parser, main
from checker.delivery.compose import message, summary
from checker.delivery.recipients import Recipient, RosterColumns, load_recipients, roster_recipients
from checker.delivery.smtp import load_settings
from checker.problems import UserError

ROOT = Path(__file__).resolve().parents[1]
SMALL_RESULTS = ROOT / "tests" / "fixtures" / "results_small.json"


def _problems(path: Path) -> list[str]:
    with pytest.raises(UserError) as caught:
        load_recipients(path)
    return str(caught.value).splitlines()


def test_yaml_recipients_and_their_problems(tmp_path):
    good = tmp_path / "recipients.yaml"
    good.write_text("recipients:\n  - {id: E003, name: 丁宏伟, email: ding@example.com}\n"
                    "  - {name: Boss, email: boss@example.com, receives: all, lang: en}\n", "utf-8")
    assert load_recipients(good, ("zh", "en")) == [Recipient("ding@example.com", "丁宏伟", "E003", "zh"),
                                                   Recipient("boss@example.com", "Boss", None, "en")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("recipients:\n  - {name: A, email: a@example.com}\n  - {id: E1, email: not-an-address, lang: Fr}\n"
                   "  - {id: E2, email: b@example.com, role: x}\n", "utf-8")
    shown = str(bad)
    assert _problems(bad) == [
        f"{shown}:2:5: recipients.0: 'id' is a required property; add it",
        f"{shown}:3:21: recipients.1.email: 'not-an-address' does not have the expected form "
        "(the address, e.g. wang.fang@example.com)",
        f"{shown}:3:43: recipients.1.lang: 'Fr' does not have the expected form (a language tag in lower case, "
        "such as zh, en or pt-BR: the language of the message and the report, one of the pack's languages "
        "(pack.yaml languages:); default: --lang, else the pack's first)",
        f"{shown}:4:36: unknown key 'role' in recipients.2"]


def test_a_recipient_language_must_be_one_the_pack_declares(tmp_path):
    listed = tmp_path / "recipients.yaml"
    listed.write_text("recipients:\n  - {id: E1, email: a@example.com, lang: nl}\n  - {id: E3, email: c@example.com}\n",
                      "utf-8")
    assert load_recipients(listed, ("nl", "en"), "en") == [Recipient("a@example.com", "", "E1", "nl"),
                                                          Recipient("c@example.com", "", "E3", "en")]
    listed.write_text("recipients:\n  - {id: E1, email: a@example.com, lang: nl}\n"
                      "  - {id: E2, email: b@example.com, lang: fr}\n", "utf-8")
    with pytest.raises(UserError) as caught:
        load_recipients(listed, ("nl", "en"))
    assert str(caught.value).splitlines() == [
        f"{listed}:3:42: lang 'fr' is not one of the pack's languages; the pack's languages are nl, en "
        "(pack.yaml languages:), so write one of them"]
    table = tmp_path / "recipients.csv"
    table.write_text("id,email,lang\nE1,a@example.com,nl\nE3,c@example.com,\n", "utf-8")
    assert load_recipients(table, ("nl", "en")) == [Recipient("a@example.com", "", "E1", "nl"),
                                                   Recipient("c@example.com", "", "E3", "nl")]
    table.write_text("id,email,lang\nE1,a@example.com,zh\n", "utf-8")
    with pytest.raises(UserError) as caught:
        load_recipients(table, ("nl", "en"))
    assert str(caught.value).splitlines() == [
        f"{table}:2:3: lang 'zh' is not one of the pack's languages; the pack's languages are nl, en "
        "(pack.yaml languages:), so write one of them"]


def test_csv_recipients_and_their_problems(tmp_path):
    good = tmp_path / "recipients.csv"
    good.write_text("\ufeffid,name,email,lang,receives\nE1,王芳,wf@example.com,zh,\n,Boss,boss@example.com,en,all\n",
                    "utf-8")
    assert load_recipients(good, ("zh", "en")) == [Recipient("wf@example.com", "王芳", "E1", "zh"),
                                                   Recipient("boss@example.com", "Boss", None, "en")]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,email\nE1,,ok@example.com\n\nE3,,bad\n", "utf-8")
    assert _problems(bad) == [f"{bad}:4:3: email: 'bad' does not have the expected form "
                              "(the address, e.g. wang.fang@example.com)"]
    header = tmp_path / "header.csv"
    header.write_text("id,mail\nE1,a@example.com\n", "utf-8")
    assert _problems(header) == [
        f"{header}:1:1: no 'email' column; write a header row: id,name,email,lang,receives",
        f"{header}:1:2: unknown column 'mail' (did you mean 'email'?); the columns are id, name, email, lang, receives"]


def test_settings_from_a_file_overridden_by_the_environment(tmp_path):
    config = tmp_path / "smtp.yaml"
    config.write_text("host: smtp.example.com\nport: 2525\nusername: checker\npassword_env: MAIL_SECRET\n"
                      "from: 合规检查 <compliance@example.com>\n", "utf-8")
    settings = load_settings(config, {"MAIL_SECRET": "pw", "CHECKER_SMTP_HOST": "mail.internal"})
    assert (settings.host, settings.port, settings.security, settings.username, settings.password) == (
        "mail.internal", 2525, "starttls", "checker", "pw")
    assert settings.sender_address == "compliance@example.com"
    assert load_settings(None, {"CHECKER_SMTP_HOST": "h", "CHECKER_SMTP_FROM": "a@b.c",
                                "CHECKER_SMTP_SECURITY": "ssl"}).port == 465


@pytest.mark.parametrize("text, env, message", [
    ("host: h\nfrom: a@b.c\npassword_env: NOPE\n", {}, "password_env names 'NOPE', which is not set"),
    ("host: h\nfrom: a@b.c\nsecurity: none\npassword: x\n", {}, "security: none would send the password unencrypted"),
    ("from: a@b.c\n", {}, "no mail server host in"),
    ("host: h\nfrom: a@b.c\nport: 99999\n", {}, "smtp.yaml:3:7: port:"),
    ("host: h\nfrom: a@b.c\n", {"CHECKER_SMTP_PORT": "x"}, "CHECKER_SMTP_PORT 'x' is not a port number"),
])
def test_settings_problems(tmp_path, text, env, message):
    config = tmp_path / "smtp.yaml"
    config.write_text(text, "utf-8")
    with pytest.raises(UserError) as caught:
        load_settings(config, env)
    assert message in str(caught.value)


def test_no_credentials_on_the_command_line():
    send = build_parser()._subparsers._group_actions[0].choices["send"]
    options = {option for action in send._actions for option in action.option_strings}
    assert options == {"-h", "--help", "--debug", "--rules", "--policy", "--out", "--recipients", "--smtp-config",
                       "--dry-run", "--data", "--mapping", "--email-column", "--whole-report-to", "--lang"}


def _results(**summary_extra) -> dict:
    rules = [{"id": f"R-{n}", "title": {"zh": f"规则{n}", "en": f"Rule {n}"}} for n in range(1, 5)]
    counts = {"R-1": 2, "R-2": 3, "R-3": 2, "R-4": 1}   # tie: the id decides
    violations = [{"rule_id": rule, "severity": "high" if rule == "R-2" else "low",
                   "status": "new" if n == 0 else "persisting"} for rule, k in counts.items() for n in range(k)]
    return {"run": {"as_of_date": "2025-12-31"}, "rules": rules, "violations": violations,
            "summary": {"violations": 8, "by_severity": {"critical": 0, "high": 3, "medium": 0, "low": 5, "info": 0},
                        **summary_extra}}


def test_summary_text_in_english_with_new_since_the_baseline():
    assert summary(_results(new=4, persisting=4), "en", "Ding", "report-E003.html", False) == (
        "Dear Ding,\n\nThese are your team's compliance check results as of 2025-12-31; the full report is attached "
        "(report-E003.html).\n\nOpen violations: 8 (0 critical, 3 high, 0 medium, 5 low, 0 info)\n\n"
        "Rules with the most violations:\n1. R-2 Rule 2: 3\n2. R-1 Rule 1: 2\n3. R-3 Rule 3: 2\n\n"
        "New since the last check: 4\n")


def test_summary_text_in_chinese_without_a_baseline():
    assert summary(_results(), "zh", "丁宏伟", "report.html", True) == (
        "丁宏伟您好：\n\n以下是全部门截至 2025-12-31 的合规检查结果，完整报告见附件 report.html。\n\n"
        "未关闭的违规：8 项（严重 0，高 3，中 0，低 5，提示 0）\n\n"
        "违规最多的规则：\n1. R-2 规则2：3 项\n2. R-1 规则1：2 项\n3. R-3 规则3：2 项\n")


def test_a_team_without_violations_is_told_so():
    assert summary(_results(), "en", "", None, False) == "Hello,\n\nAs of 2025-12-31, your team has no open violations.\n"


def _pack_with_addresses(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped pack and sample export with an e-mail column added to the roster."""
    rules, data = tmp_path / "rules", tmp_path / "data"
    shutil.copytree(ROOT / "rules", rules)
    shutil.copytree(ROOT / "sample_data", data)
    model = (rules / "datamodel.yaml").read_text("utf-8")
    roster_column = "      region:        {type: string}\n"
    (rules / "datamodel.yaml").write_text(model.replace(roster_column, roster_column + "      email: {type: string}\n", 1),
                                          "utf-8")
    mapping = (data / "mapping.yaml").read_text("utf-8")
    (data / "mapping.yaml").write_text(mapping.replace("区域: region,", "区域: region, 邮箱: email,", 1), "utf-8")
    roster = data / "员工.csv"
    with roster.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    with roster.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([rows[0] + ["邮箱"]] + [row + [f"{row[0].lower()}@example.com"] for row in rows[1:]])
    return rules, data


def test_recipients_from_the_roster_email_column(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    rules, data = _pack_with_addresses(tmp_path)
    out = tmp_path / "out"
    common = ["--rules", str(rules), "--policy", str(ROOT / "policy"), "--data", str(data)]
    assert main(["check", *common, "--out", str(out)]) == 0
    assert main(["send", *common, "--out", str(out), "--dry-run", "--whole-report-to", "E002", "--lang", "en"]) == 0
    with (data / "员工.csv").open(encoding="utf-8-sig") as handle:
        roster = list(csv.DictReader(handle))
    supervising = {r["直属上级"] for r in roster if r["直属上级"]} - {"E002"}
    sent = {}
    for path in (out / "outbox").glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        sent[msg["To"].addresses[0].addr_spec] = [part.get_filename() for part in msg.iter_attachments()]
    assert sent["e002@example.com"] == ["report.html"]
    assert set(sent) == {f"{pid.lower()}@example.com" for pid in supervising} | {"e002@example.com"}


def test_a_roster_without_the_email_column_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    shutil.copy(SMALL_RESULTS, tmp_path / "results.json")
    assert main(["send", "--out", str(tmp_path), "--dry-run"]) == 2
    assert capsys.readouterr().err.strip() == (
        "checker: error: the roster table 'employees' has no column 'email': add it to the data model and the "
        "mapping, name it with --email-column NAME, or pass --recipients FILE")


def test_line_breaks_in_names_do_not_reach_the_headers():
    msg = message("合规检查 <compliance@example.com>", "王\r\n芳", "wf@example.com", "报告\nBcc: x@example.com", "正文",
                  None)
    assert str(msg["To"]) == "王 芳 <wf@example.com>"
    assert msg["Subject"] == "报告 Bcc: x@example.com" and msg["Bcc"] is None


def test_a_damaged_send_log_stops_the_run_before_anything_is_sent(tmp_path, monkeypatch, capsys):
    shutil.copy(SMALL_RESULTS, tmp_path / "results.json")
    (tmp_path / "send-log.jsonl").write_text('{"run": "r", "to": "a@example.com", "team": "E1"}\nnot json\n', "utf-8")
    recipients = tmp_path / "recipients.yaml"
    recipients.write_text("recipients:\n  - {id: E1, email: a@example.com}\n", "utf-8")
    monkeypatch.setenv("CHECKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHECKER_SMTP_FROM", "c@example.com")
    assert main(["send", "--out", str(tmp_path), "--recipients", str(recipients)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"checker: error: {tmp_path / 'send-log.jsonl'}:2: not a line of the send log ('not json'); "
        "correct or remove it, it records what was already sent")


def test_a_malformed_address_in_the_roster_is_reported(tmp_path):
    import pandas as pd

    employees = pd.DataFrame({"id": ["E1", "E2", "E3"], "name": ["A", "B", "C"], "supervisor_id": [None, "E1", "E2"],
                              "email": ["a@example.com", "b at example.com", None]})
    columns = RosterColumns(key="id", email="email", supervisor="supervisor_id", name="name")
    without_address = employees.assign(email=["a@example.com", " ", None])
    assert roster_recipients(without_address, columns, [], "en") == [Recipient("a@example.com", "A", "E1", "en")]
    with pytest.raises(UserError) as caught:
        roster_recipients(employees, columns, [], "zh")
    assert str(caught.value) == ("the roster's 'email' column holds what is not an e-mail address for "
                                 "E2 ('b at example.com'); correct it in the export or pass --recipients FILE")


def test_a_results_file_not_of_checker_check_is_reported(tmp_path, capsys):
    (tmp_path / "results.json").write_text('{"run": {}}', "utf-8")
    assert main(["send", "--out", str(tmp_path), "--dry-run"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{tmp_path / 'results.json'}:1:1: run: 'as_of' is a required property; add it")
