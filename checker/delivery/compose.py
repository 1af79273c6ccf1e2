"""The message each recipient gets: a short summary in their language (no links: a mail client may
not be trusted with them, and the report is attached) and the report as an HTML attachment."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ..languages import FALLBACK
from ..report.values import SEVERITIES

TOP_RULES = 3

# Each text in (zh, en); a team's counts are written in the order of SEVERITIES.
_TEXTS = {
    "greeting": ("{name}您好：", "Dear {name},"),
    "greeting_anon": ("您好：", "Hello,"),
    "team_intro": ("以下是您团队截至 {day} 的合规检查结果，完整报告见附件 {file}。",
                   "These are your team's compliance check results as of {day}; the full report is attached ({file})."),
    "all_intro": ("以下是全部门截至 {day} 的合规检查结果，完整报告见附件 {file}。",
                  "These are the department's compliance check results as of {day}; the full report is attached ({file})."),
    "none_intro": ("截至 {day}，您团队没有未关闭的违规。", "As of {day}, your team has no open violations."),
    "open": ("未关闭的违规：{n} 项", "Open violations: {n}"),
    "counts": ("（{}）", " ({})"),
    "sep": ("，", ", "),
    "count": ("{sev} {n}", "{n} {sev}"),
    "top": ("违规最多的规则：", "Rules with the most violations:"),
    "item": ("{rank}. {id} {title}：{n} 项", "{rank}. {id} {title}: {n}"),
    "new": ("自上次检查以来新增：{n} 项", "New since the last check: {n}"),
    "title": ("合规检查结果", "Compliance check results"),
    "team_subject": ("{title}：{name}团队，截至 {day}", "{title}: team of {name}, as of {day}"),
    "all_subject": ("{title}：全部门，截至 {day}", "{title}: whole department, as of {day}"),
}
_SEVERITY_WORDS = {"zh": {"critical": "严重", "high": "高", "medium": "中", "low": "低", "info": "提示"},
                   "en": {sev: sev for sev in SEVERITIES}}
_WORDS = {lang: {key: pair[i] for key, pair in _TEXTS.items()} | {"severity": _SEVERITY_WORDS[lang]}
          for i, lang in enumerate(("zh", "en"))}


def _words(lang: str) -> dict:
    """The message's words in a language; in one they lack, the English ones."""
    return _WORDS.get(lang, _WORDS[FALLBACK])


def subject(results: Mapping[str, Any], lang: str, team_name: str | None) -> str:
    words = _words(lang)
    title = (results["run"].get("title") or {}).get(lang) or words["title"]
    day = results["run"].get("as_of_date", "")
    if team_name is None:
        return words["all_subject"].format(title=title, day=day)
    return words["team_subject"].format(title=title, name=team_name, day=day)


def summary(results: Mapping[str, Any], lang: str, name: str, attachment: str | None, whole: bool) -> str:
    """The body: greeting, counts by severity, the rules with most violations, and how many are new
    when the run had a baseline (`new` in its summary)."""
    words = _words(lang)
    day = results["run"].get("as_of_date", "")
    lines = [words["greeting"].format(name=name) if name else words["greeting_anon"], ""]
    if attachment is None:
        return "\n".join([*lines, words["none_intro"].format(day=day), ""])
    lines += [words["all_intro" if whole else "team_intro"].format(day=day, file=attachment), ""]
    by_severity = results["summary"]["by_severity"]
    counts = words["sep"].join(words["count"].format(sev=words["severity"][sev], n=by_severity.get(sev, 0))
                               for sev in SEVERITIES)
    lines.append(words["open"].format(n=results["summary"]["violations"]) + words["counts"].format(counts))
    top = _top_rules(results)
    if top:
        lines += ["", words["top"]]
        lines += [words["item"].format(rank=rank, id=rule["id"], title=rule["title"][lang], n=n)
                  for rank, (rule, n) in enumerate(top, start=1)]
    if "new" in results["summary"]:
        lines += ["", words["new"].format(n=sum(v.get("status") == "new" for v in results["violations"]))]
    return "\n".join([*lines, ""])


def _top_rules(results: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], int]]:
    counted = Counter(v["rule_id"] for v in results["violations"])
    rules = {rule["id"]: rule for rule in results["rules"]}
    # Most violations first; of equal counts the rule id decides, so the text is the same each run.
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:TOP_RULES]
    return [(rules[rule_id], n) for rule_id, n in ranked]


def message(sender: str, to_name: str, to_email: str, subject_text: str, body: str,
            attachment: tuple[str, str] | None) -> EmailMessage:
    """A MIME message: names and subject RFC 2047-encoded, the body quoted-printable UTF-8 text,
    the report a base64 text/html attachment, so the whole message is 7-bit ASCII."""
    msg = EmailMessage()
    msg["From"] = sender
    local, _, domain = to_email.rpartition("@")
    msg["To"] = Address(display_name=one_line(to_name), username=local, domain=domain)
    msg["Subject"] = one_line(subject_text)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if attachment is not None:
        name, html = attachment
        msg.add_attachment(html.encode("utf-8"), maintype="text", subtype="html", filename=name, cte="base64",
                           params={"charset": "utf-8"})
    return msg


def one_line(text: str) -> str:
    """Header text from names in the export or a recipients file: a line break there would end
    the header (and the email package refuses it), so every run of white space is one space."""
    return " ".join(text.split())
