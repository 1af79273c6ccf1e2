"""The sample generator: reproducible bytes, the export's layout, and an answer key that a plain
reference reading of the rules agrees with row for row."""
from __future__ import annotations

import contextlib
import csv
import json
import filecmp
import re
import shutil
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from aqt_sample import generate
from aqt_sample.staffing import STAFFING
from checker.cli import main
from checker.kinds import KINDS
from checker.problems import UserError
from checker.rules import rule_files
from checker.yamlsrc import load_file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sample_data"
RULES_DIR = ROOT / "rules"
AS_OF = datetime(2026, 1, 1)
RULES = ("PROC-001", "PROC-002", "PROC-003", "PROC-004", "PROC-005", "PROC-006", "PROC-007", "PROC-008",
         "SOD-001", "ROLE-001", "APPR-001", "CPL-001", "CPL-002", "CRD-001", "JR-001", "JR-002", "JR-003", "JR-004",
         "JR-005", "JR-006", "AMD-002", "AMD-003",
         "REV-001", "SEAL-001", "DISC-001", "PAYT-001", "AMD-001", "PAY-001", "PAY-002", "PAY-003", "PRES-001", "CONT-001", "ORG-002",
         "TRN-001", "TRN-002", "TRN-003", "CPL-003", "RPT-004", "SCR-001", "ORG-004", "APPR-002", "PLAN-001", "PLAN-002", "PLAN-003", "PLAN-004", "RPT-001",
         "RPT-002", "RPT-003", "VIS-001", "FUP-001", "ORG-001", "ORG-003", "PROC-009", "ORG-005", "REC-001")
# Four supervisors in all: one without a region and one under the general manager are enough; one
# manager has one year and one first quarter.
FEW_RECORDS = {"ORG-002", "ORG-005", "PLAN-001", "PLAN-002", "ORG-001", "ORG-003"}
LEVELS = {"sales_rep": 1, "sales_supervisor": 2, "sales_manager": 3, "general_manager": 4, "legal_counsel": 0,
          "finance_officer": 0}
DRAFTERS = {"sales_rep", "sales_supervisor", "sales_manager"}
ORDER_RULES = {"PROC-001": ("needs_analysis", "proposal_drafted"),
               "PROC-003": ("negotiation", "contract_drafted"),
               "PROC-004": ("contract_drafted", "contract_reviewed"),
               "CRD-001": ("credit_check", "contract_signed"),
               "JR-001": ("finance_review", "contract_signed"),
               "JR-002": ("legal_review", "contract_signed"),
               "JR-005": ("contract_reviewed", "finance_review"),
               "JR-006": ("contract_reviewed", "legal_review")}
PERFORMERS = {"ROLE-001": ("contract_drafted", DRAFTERS), "JR-003": ("legal_review", {"legal_counsel"}),
              "JR-004": ("finance_review", {"finance_officer"}), "CONT-001": ("first_contact", {"sales_rep"}),
              "REV-001": ("contract_reviewed", {"sales_supervisor", "sales_manager", "legal_counsel"})}
# rule: (filings, filer roles, period type, days after the period's end it is due by; None: before it starts)
PERIODIC = {"PLAN-001": ("plans", {"sales_manager"}, "year", None),
            "PLAN-002": ("plans", {"sales_manager"}, "quarter", None),
            "PLAN-003": ("plans", {"sales_manager"}, "month", None),
            "PLAN-004": ("plans", {"sales_supervisor", "sales_rep"}, "month", None),
            "RPT-001": ("reports", {"sales_manager"}, "month", 5),
            "RPT-002": ("reports", {"sales_supervisor"}, "month", 5),
            "RPT-003": ("reports", {"sales_rep"}, "month", 5)}
# The contract approval matrix of params.yaml: (upper limit, level) per tier, and the top tier's level.
CONTRACT_TIERS = (((200_000, 2), (1_000_000, 3)), 4)
STANDARD_TERMS = {"预付30%，发货前付60%，验收后付10%", "货到验收后一次付清", "分三期付款"}
CONTRACT_STEPS = ("contract_drafted", "contract_reviewed", "contract_signed")


# ---------------------------------------------------------------- reading the export

def read_export(folder: Path) -> dict[str, list[dict]]:
    """Every table as a list of rows keyed by data-model column; coded values translated where known."""
    mapping = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    tables = {}
    for name, table in mapping["tables"].items():
        with open(folder / table["file"], encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        codes = table.get("values", {})
        tables[name] = [{table["columns"][h]: codes.get(table["columns"][h], {}).get(v, v) for h, v in row.items()}
                        for row in rows]
    return tables


def parse_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        return None


def work_calendar() -> tuple[set[date], set[date]]:
    spec = yaml.safe_load((RULES_DIR / "calendar.yaml").read_text(encoding="utf-8"))
    return set(spec.get("holidays") or []), set(spec.get("workdays") or [])


def review_deadline(drafted: datetime, holidays: set[date], workdays: set[date], within: int = 3) -> datetime:
    day, left = drafted.date(), within
    while left:
        day += timedelta(days=1)
        if day in workdays or (day.weekday() < 5 and day not in holidays):
            left -= 1
    return datetime.combine(day + timedelta(days=1), datetime.min.time())


def calendar_deadline(at: datetime, days: int) -> datetime:
    """The end of the `days`-th calendar day after the day of `at` (that day not counted), as the
    midnight that follows it."""
    return datetime.combine(at.date() + timedelta(days=days + 1), datetime.min.time())


# ---------------------------------------------------------------- the rules, one deal at a time

def reference_violations(folder: Path, contract_tiers=CONTRACT_TIERS) -> list[tuple[str, str]]:
    data = read_export(folder)
    holidays, workdays = work_calendar()
    staff = {e["id"]: e for e in data["employees"]}
    steps = set(yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
                ["tables"]["events"]["values"]["step"].values())
    events, approvals = defaultdict(list), defaultdict(list)
    for event in data["events"]:
        events[event["deal_id"]].append(event)
    for approval in data["approvals"]:
        approvals[approval["deal_id"]].append(approval)
    found = []
    for event in data["events"]:
        if event["step"] == "proposal_drafted" and not proposal_is_complete(event):
            found.append(("PROC-002", event["id"]))
    for deal in data["deals"]:
        mine = events[deal["id"]]
        if any(e["step"] not in steps or parse_time(e["at"]) is None for e in mine):
            continue
        for rule in deal_rules(deal, mine, approvals[deal["id"]], staff, holidays, workdays, contract_tiers):
            found.append((rule, deal["id"]))
    for event in data["events"]:
        if event["step"] == "proposal_presented" and event["channel"] not in ("visit", "online_meeting"):
            found.append(("PRES-001", event["id"]))
    for employee in data["employees"]:
        if employee["role"] == "sales_supervisor" and not employee["region"].strip():
            found.append(("ORG-002", employee["id"]))
        boss = staff.get(employee["supervisor_id"])
        if employee["role"] == "sales_rep" and (boss is None or (boss["region"] and (
                boss["role"] != "sales_supervisor" or boss["region"] != employee["region"] or boss["active_to"]))):
            found.append(("ORG-004", employee["id"]))
        if employee["role"] == "sales_supervisor" and (
                boss is None or boss["role"] != "sales_manager" or boss["active_to"]):
            found.append(("ORG-005", employee["id"]))
        recruiter = staff.get(employee["recruiter_id"])   # none on record or unknown: not judged
        if employee["role"] in ("sales_rep", "sales_supervisor") and recruiter and recruiter["role"] != "sales_manager":
            found.append(("REC-001", employee["id"]))
    owners = {d["id"]: d["owner_id"] for d in data["deals"]}
    for approval in data["approvals"]:
        if approval["type"] == "contract" and approval["approver_id"] == owners[approval["deal_id"]]:
            found.append(("APPR-002", approval["id"]))
    screened = {c["id"]: parse_time(c["screened_at"]) for c in data["customers"]}
    for deal in data["deals"]:
        if not screened[deal["customer_id"]] or screened[deal["customer_id"]] > parse_time(deal["created_at"]):
            found.append(("SCR-001", deal["id"]))
    for report in data["reports"]:
        if report["recipient_id"] != staff[report["employee_id"]]["supervisor_id"]:
            found.append(("RPT-004", report["id"]))
    for training in data["trainings"]:
        if training["attendance"] == "absent":
            found.append(("TRN-001", training["id"]))
        if training["attendance"] == "present" and not training["score"]:
            found.append(("TRN-002", training["id"]))
        if training["score"] and staff[training["assessor_id"]]["role"] != "sales_manager":
            found.append(("TRN-003", training["id"]))
    found += periodic_violations(data) + recurrence_violations(data, staff, steps) + \
        staffing_violations(data)
    for complaint in data["complaints"]:
        received = parse_time(complaint["received_at"])
        answered = parse_time(complaint["first_response_at"]) or AS_OF
        resolved = parse_time(complaint["resolved_at"])
        resolution_due = calendar_deadline(received, 7)   # a resolution before receipt is not judged
        if received <= answered and answered - received > timedelta(hours=24):   # one before receipt: not judged
            found.append(("CPL-001", complaint["id"]))
        if (resolved is None and resolution_due <= AS_OF) or (resolved is not None and resolved >= resolution_due):
            found.append(("CPL-002", complaint["id"]))
        handler = staff.get(complaint["handler_id"])
        if complaint["severity"] == "serious" and handler and handler["role"] != "sales_manager":
            found.append(("CPL-003", complaint["id"]))
    return sorted({f for f in found if f[0] in RULES})


def recurrence_violations(data: dict, staff: dict, steps: set[str]) -> list[tuple[str, str]]:
    """VIS-001: key accounts visited by a supervisor every 30 days; FUP-001: every account followed
    up by phone, e-mail or a visit every 90 days; both counted from 1 January. An event of a
    follow-up's channel whose step cannot be read might be the missing follow-up."""
    year_start = datetime(AS_OF.year - 1, 1, 1)
    days = defaultdict(list)
    unreadable = {e["customer_id"] for e in data["events"]
                  if e["step"] not in steps and e["channel"] in ("phone", "email", "visit")}
    for e in data["events"]:
        when = parse_time(e["at"])
        if e["step"] != "customer_visit" or when is None:
            continue
        day = (when - year_start).days
        if e["channel"] in ("phone", "email", "visit"):
            days["FUP-001", e["customer_id"]].append(day)
        if e["channel"] == "visit" and staff.get(e["actor_id"], {}).get("role") == "sales_supervisor":
            days["VIS-001", e["customer_id"]].append(day)
    found = []
    for c in data["customers"]:
        for rule, every in (("VIS-001", 30), ("FUP-001", 90)):
            judged = c["tier"] == "key" if rule == "VIS-001" else c["id"] not in unreadable
            if judged and lapsed(sorted(days[rule, c["id"]]), every):
                found.append((rule, c["id"]))
    return found


def staffing_violations(data: dict) -> list[tuple[str, str]]:
    """ORG-001: one serving sales manager each day; ORG-003: four serving supervisors; each run of
    days off the mark with the same count is one finding, keyed first..last."""
    found = []
    for rule, role, wanted in (("ORG-001", "sales_manager", 1), ("ORG-003", "sales_supervisor", 4)):
        spans = [(date.fromisoformat(e["active_from"]), date.fromisoformat(e["active_to"]) if e["active_to"]
                  else date.max) for e in data["employees"] if e["role"] == role]
        day, run, counted = date(AS_OF.year - 1, 1, 1), [], None
        while day < AS_OF.date():
            count = sum(first <= day <= last for first, last in spans)
            if run and count != counted:
                found.append((rule, f"{run[0]}..{run[-1]}"))
                run = []
            if count != wanted:
                run.append(day)
            counted = count
            day += timedelta(days=1)
        if run:
            found.append((rule, f"{run[0]}..{run[-1]}"))
    return found


def lapsed(days: list[int], every: int) -> bool:
    """The first is due by day `every` - 1, each next within `every` days of the last, until the as-of day."""
    due = every - 1
    for day in days:
        if day > due:
            return True
        due = day + every
    return due <= (AS_OF - datetime(AS_OF.year - 1, 1, 1)).days - 1


def periods(kind: str) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each period of the year 2025."""
    year = AS_OF.year - 1
    firsts = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    months = [(f"{year}-{m + 1:02d}", firsts[m], firsts[m + 1] - timedelta(days=1)) for m in range(12)]
    if kind == "month":
        return months
    if kind == "quarter":
        return [(f"{year}-Q{q + 1}", months[3 * q][1], months[3 * q + 2][2]) for q in range(4)]
    return [(str(year), firsts[0], firsts[12] - timedelta(days=1))]


def periodic_violations(data: dict) -> list[tuple[str, str]]:
    found = []
    for rule, (table, roles, kind, days_after) in PERIODIC.items():
        for label, first, last in periods(kind):
            due_day = first - timedelta(days=1) if days_after is None else last + timedelta(days=days_after)
            deadline = datetime.combine(due_day + timedelta(days=1), datetime.min.time())
            if deadline > AS_OF:
                continue
            on_time = {f["employee_id"] for f in data[table] if f["period"] == label
                       and f.get("period_type", kind) == kind and parse_time(f["submitted_at"]) < deadline}
            for e in data["employees"]:
                ends = date.fromisoformat(e["active_to"]) if e["active_to"] else date.max
                employed = date.fromisoformat(e["active_from"]), ends
                if e["role"] in roles and all(employed[0] <= day <= employed[1] for day in (first, due_day)) \
                        and e["id"] not in on_time:
                    found.append((rule, f"{e['id']}/{label}"))
    return found


def proposal_is_complete(event: dict) -> bool:
    """Policy 3.2.1's terms: the items, a price above zero, delivery and after-sales service."""
    price = float(event["proposal_price"]) if event["proposal_price"] else 0
    return price > 0 and all(event[c].strip() for c in ("proposal_items", "delivery_terms", "after_sales_terms"))


def deal_rules(deal, events, approvals, staff, holidays, workdays, contract_tiers) -> list[str]:
    times = defaultdict(list)
    actors = defaultdict(set)
    for event in events:
        times[event["step"]].append(parse_time(event["at"]))
        actors[event["step"]].add(event["actor_id"])
    for step in times:
        times[step].sort()
    broken = []
    for rule, (before, after) in ORDER_RULES.items():
        if times[after] and (not times[before] or not times[before][0] < times[after][0]):
            broken.append(rule)
    if times["contract_signed"] and not reviewed_since_last(times, "contract_signed", "contract_drafted"):
        broken.append("PROC-005")
    broken += amendment_rules(deal, approvals, times, actors, staff, contract_tiers)
    if deal["stage"] == "won" and not all(times[s] for s in CONTRACT_STEPS):
        broken.append("PROC-006")
    if deal["stage"] == "lost" and times["contract_signed"]:
        broken.append("PROC-009")
    in_work_days = lambda within: lambda t: review_deadline(t, holidays, workdays, within)  # noqa: E731
    in_days = lambda n: lambda t: calendar_deadline(t, n)  # noqa: E731
    for rule, trigger, answer, due in (("PROC-007", "contract_drafted", "contract_reviewed", in_work_days(3)),
                                       ("AMD-001", "contract_amended", "contract_reviewed", in_work_days(3)),
                                       ("PROC-008", "contract_signed", "contract_archived", in_days(7)),
                                       ("PAY-001", "contract_signed", "payment_followup", in_days(30))):
        if late_answer(times[trigger], times[answer], due):
            broken.append(rule)
    for rule, recipient_role, due in (("PAY-002", "sales_supervisor", in_work_days(3)),
                                      ("PAY-003", "sales_manager", in_days(30))):
        if late_answer(times["payment_overdue"], collected_or_told(events, staff, recipient_role), due):
            broken.append(rule)
    if times["contract_drafted"] and times["contract_reviewed"] and \
            actors["contract_drafted"] & actors["contract_reviewed"]:
        broken.append("SOD-001")
    for rule, (step, roles) in PERFORMERS.items():
        done = [e for e in events if e["step"] == step]
        if all(e["actor_id"] in staff for e in done) and any(
                not holds(staff[e["actor_id"]], parse_time(e["at"]), roles) for e in done):
            broken.append(rule)
    if times["contract_signed"]:
        signed = times["contract_signed"][0]
        for rule, kind, level in authorities(deal, contract_tiers):
            usable = approvals if rule != "APPR-001" else contract_approvals(deal, approvals, times, actors)
            if approval_missing(level, kind, signed, usable, staff):
                broken.append(rule)
    return broken


def collected_or_told(events: list[dict], staff: dict, role: str) -> list[datetime]:
    """When an overdue instalment was paid, or escalated to someone holding `role` (policy 3.3.16)."""
    return sorted(parse_time(e["at"]) for e in events if e["step"] == "payment_received" or (
        e["step"] == "payment_escalated" and staff.get(e["recipient_id"], {}).get("role") == role))


def contract_approvals(deal: dict, approvals: list[dict], times: dict, actors: dict) -> list[dict]:
    """APPR-001 counts approvals after the first review and both countersignatures, given by
    neither a drafter nor the deal owner. A drafter missing from the roster cannot be a
    qualified approver, so an unknown drafter never turns a pass into a violation."""
    firsts = [times[step][0] if times[step] else None for step in ("contract_reviewed", "finance_review", "legal_review")]
    return [a for a in approvals if a["approver_id"] not in actors["contract_drafted"] | {deal["owner_id"]}
            and all(f is not None and f < parse_time(a["at"]) for f in firsts)]


def reviewed_since_last(times: dict, then: str, since: str) -> bool:
    """PROC-005 (signing, draft) and AMD-002 (amendment signing, amendment): a review after the last
    `since` at or before the first `then`, and before that `then`."""
    signed = times[then][0]
    changes = [t for t in times[since] if t <= signed]
    return any(t < signed and (not changes or t > changes[-1]) for t in times["contract_reviewed"])


def amendment_rules(deal: dict, approvals: list[dict], times: dict, actors: dict, staff: dict,
                    contract_tiers) -> list[str]:
    """AMD-002: the amended text reviewed before the amendment is signed; AMD-003: approved again
    at the amount's level after the first amendment and before that signing, by someone other than
    who amended it."""
    if not times["amendment_signed"]:
        return []
    broken = [] if reviewed_since_last(times, "amendment_signed", "contract_amended") else ["AMD-002"]
    amended = times["contract_amended"][0] if times["contract_amended"] else None
    usable = [a for a in approvals if amended is not None and parse_time(a["at"]) > amended
              and a["approver_id"] not in actors["contract_amended"]]
    if approval_missing(tier_level(deal["amount"], *contract_tiers), "contract", times["amendment_signed"][0],
                        usable, staff):
        broken.append("AMD-003")
    return broken


def late_answer(triggers: list[datetime], answers: list[datetime], due) -> bool:
    """Some trigger's first later answer comes after its deadline, or none came and the deadline has passed."""
    for t in triggers:
        later = [a for a in answers if a > t]
        if (later and later[0] > due(t)) or (not later and due(t) < AS_OF):
            return True
    return False


def authorities(deal: dict, contract_tiers) -> list[tuple[str, str, int | None]]:
    """(rule, approval type, lowest level that may approve) of each approval the signed deal needs;
    level None when the amount it turns on cannot be read."""
    needed = [("APPR-001", "contract", tier_level(deal["amount"], *contract_tiers)),
              ("SEAL-001", "seal", tier_level(deal["amount"], (), 3))]
    discount = float(deal["discount_pct"]) if deal["discount_pct"] else None
    if discount is not None and discount >= 10:
        needed.append(("DISC-001", "discount", tier_level(deal["discount_pct"], ((12, 2), (15, 3)), 4)))
    if deal["payment_terms"] and deal["payment_terms"] not in STANDARD_TERMS:
        needed.append(("PAYT-001", "payment_terms", tier_level(deal["amount"], (), 3)))
    return needed


def tier_level(text: str, limits: tuple[tuple[float, int], ...], top: int) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return next((level for limit, level in limits if value <= limit), top)


def holds(employee: dict, when: datetime, roles: set[str]) -> bool:
    day = when.date()
    starts = date.fromisoformat(employee["active_from"])
    ends = date.fromisoformat(employee["active_to"]) if employee["active_to"] else date.max
    return employee["role"] in roles and starts <= day <= ends


def approval_missing(needed: int | None, kind: str, first_signed, approvals, staff) -> bool:
    if needed is None:
        return False   # not evaluable, not a violation
    able = {role for role, level in LEVELS.items() if level >= needed}
    for a in approvals:
        at = parse_time(a["at"])
        if a["type"] == kind and a["decision"] == "approved" and at and at < first_signed \
                and a["approver_id"] in staff and holds(staff[a["approver_id"]], at, able):
            return False
    return True


def read_expected(folder: Path) -> list[tuple[str, str]]:
    with open(folder / "expected_violations.csv", encoding="utf-8", newline="") as handle:
        return [(row["rule_id"], row["key"]) for row in csv.DictReader(handle)]


# ---------------------------------------------------------------- tests

@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fresh")
    generate(400, 7, out, RULES_DIR)
    return out


def test_same_arguments_give_identical_files(fresh, tmp_path):
    generate(400, 7, tmp_path, RULES_DIR)
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(fresh, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_shipped_sample_is_what_the_generator_makes(fresh):
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in SHIPPED.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(fresh, SHIPPED, names, shallow=False)
    assert mismatch == [] and errors == []


def test_headers_and_encoding_follow_the_mapping(fresh):
    mapping = yaml.safe_load((ROOT / "aqt_sample" / "mapping.yaml").read_text(encoding="utf-8"))
    for table in mapping["tables"].values():
        raw = (fresh / table["file"]).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header = next(csv.reader(raw.decode("utf-8-sig").splitlines()))
        assert header == list(table["columns"])


def test_answer_key_covers_every_rule_without_repeats(fresh):
    rows = read_expected(fresh)
    assert rows == sorted(set(rows))
    counts = {rule: sum(1 for r, _ in rows if r == rule) for rule in RULES}
    assert all(n >= (1 if rule in FEW_RECORDS else 3) for rule, n in counts.items()), counts
    assert {r for r, _ in rows} == set(RULES)


def test_the_pack_uses_every_check_kind():
    documents = [load_file(path) for path in rule_files([RULES_DIR])]
    used = {next(iter(rule["check"])) for doc in documents if isinstance(doc, dict) for rule in doc.get("rules") or []}
    assert used == set(KINDS)


def test_planted_data_defects_are_in_the_files(fresh):
    data = read_export(fresh)
    mapping = yaml.safe_load((fresh / "mapping.yaml").read_text(encoding="utf-8"))
    steps = set(mapping["tables"]["events"]["values"]["step"].values())
    staff = {e["id"] for e in data["employees"]}
    misspelt = [e for e in data["events"] if e["step"] not in steps]
    in_words = [d for d in data["deals"] if not d["amount"].isdigit()]
    undated = [e for e in data["events"] if parse_time(e["at"]) is None]
    strangers = [e for e in data["events"] if e["actor_id"] not in staff]
    assert sorted(e["step"] for e in misspelt) == ["合同审合", "需求分折"]
    assert len(in_words) == 1 and re.fullmatch("[一二三四五六七八九十百零]+万", in_words[0]["amount"])
    assert in_words[0]["stage"] == "won"
    assert len(undated) == 1 and undated[0]["deal_id"]
    assert len(strangers) == 1 and strangers[0]["step"] == "contract_drafted"
    defect_deals = {e["deal_id"] for e in misspelt + undated + strangers} | {d["id"] for d in in_words}
    assert len(defect_deals) == 5
    assert not defect_deals & {key for _, key in read_expected(fresh)}


def test_no_verdict_hangs_on_the_year_end_instant():
    """Pending deadlines never fall exactly at the cut-off, where 'before as-of' is easy to misread."""
    holidays, workdays = work_calendar()
    steps = defaultdict(lambda: defaultdict(list))
    for event in read_export(SHIPPED)["events"]:
        if parse_time(event["at"]):
            steps[event["deal_id"]][event["step"]].append(parse_time(event["at"]))
    for deal in steps.values():
        for drafted in deal["contract_drafted"]:
            if not any(r > drafted for r in deal["contract_reviewed"]):
                assert review_deadline(drafted, holidays, workdays) != AS_OF
        for signed in deal["contract_signed"]:
            if not any(a > signed for a in deal["contract_archived"]):
                assert calendar_deadline(signed, 7) != AS_OF


def test_reference_reading_reproduces_the_shipped_answer_key():
    assert reference_violations(SHIPPED) == read_expected(SHIPPED)


def test_larger_sample_stays_consistent(tmp_path):
    summary = generate(2_000, 11, tmp_path, RULES_DIR)
    assert summary.rows["商机.csv"] == 2_000
    assert reference_violations(tmp_path) == read_expected(tmp_path)


def test_a_sample_made_in_parts_keeps_its_answer_key(tmp_path):
    """Three parts of 400 deals: each a company of its own, ids prefixed by part, the staffing
    counts of all parts together (three managers serve each day, four in the acting manager's
    weeks: three findings, not one)."""
    summary = generate(1_200, 11, tmp_path, RULES_DIR, part_deals=400)
    export = read_export(tmp_path)
    assert summary.rows["商机.csv"] == len(export["deals"]) == 1_200
    for table, records in export.items():
        assert {r["id"].strip()[:4] for r in records if r["id"].strip()} == {"P01-", "P02-", "P03-"}, table
    assert {r["actor_id"].strip()[:4] for r in export["events"] if r["actor_id"].strip()} == {"P01-", "P02-", "P03-"}
    expected = read_expected(tmp_path)
    assert reference_violations(tmp_path) == expected
    assert [key for rule, key in expected if rule == "ORG-001"] == [
        "2025-01-01..2025-03-02", "2025-03-03..2025-03-20", "2025-03-21..2025-12-31"]
    assert "made in 3 parts" in (tmp_path / "README.md").read_text(encoding="utf-8")
    with contextlib.chdir(ROOT):
        assert main(["check", "--data", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert sorted({(v["rule_id"], v["key"]) for v in results["violations"]}) == sorted(set(expected))


def test_the_staffing_answer_key_knows_every_per_day_count_of_the_pack():
    """A sample in parts counts the per-day staffing rules afresh (aqt_sample/staffing.py): a
    new count of the kind would otherwise keep each part's findings, wrong for the whole."""
    per_day = {rule["id"] for path in rule_files([RULES_DIR]) for rule in (load_file(path) or {}).get("rules", [])
               if (rule.get("check") or {}).get("count", {}).get("per") == "day"}
    assert per_day == set(STAFFING)


def test_a_folder_without_the_pack_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="datamodel.yaml, params.yaml, calendar.yaml missing; pass the pack's"):
        generate(10, 1, tmp_path / "out", tmp_path)


def test_a_calendar_that_ends_before_the_sample_needs_is_a_user_error(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    text = (rules / "calendar.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("  - 2026-")]
    (rules / "calendar.yaml").write_text("\n".join(kept).replace("to: 2026-12-31", "to: 2025-12-31") + "\n",
                                         encoding="utf-8")
    with pytest.raises(UserError) as error:
        generate(10, 1, tmp_path / "out", rules)
    assert str(error.value).startswith("the sample needs work days from 2025-01-01 to 2026-03-01, but ")
    assert str(error.value).endswith("calendar.yaml covers 2024-01-01 to 2025-12-31; "
                                     "extend the calendar (python -m aqt_sample.make_calendar)")
