"""Data-quality defects of the kind hand-kept CRM data has: typos, amounts in words, impossible dates,
unknown staff ids. They sit on otherwise clean deals and make those deals not evaluable, never violations."""
from __future__ import annotations

import numpy as np

from . import slots as S
from .deals import AMOUNT_RANGE, list_price
from .planting import Kind, Planted, pick
from .state import Sample
from .workdays import DAY

# Slips of the pen on step names: a wrong character that looks or sounds alike.
MISSPELT_STEPS = ((S.REVIEW, "合同审合"), (S.NEEDS, "需求分折"), (S.SIGN, "合同签定"), (S.PROPOSAL, "方案制订"))
DIGITS = "零一二三四五六七八九"
TEN_THOUSAND = 10_000
SHORT_MONTHS = {2: 30, 4: 31, 6: 31, 9: 31, 11: 31}   # a day number the month does not have


def in_words(number: int) -> str:
    """A whole number below 10,000 as people write amounts: 12 -> 十二, 105 -> 一百零五."""
    if number < 20:
        return DIGITS[number] if number < 10 else "十" + (DIGITS[number % 10] if number % 10 else "")
    text, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // value % 10
        if digit:
            text += ("零" if gap else "") + DIGITS[digit] + unit
            gap = False
        elif text:
            gap = True
    return text


def misspelt_steps(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    chosen = []
    for j, (slot, text) in enumerate(MISSPELT_STEPS):
        d = pick(s, rng, s.has(slot), len(range(j, n, len(MISSPELT_STEPS))))
        s.event_text.append((d, slot, "step", np.full(d.size, text, dtype=object)))
        chosen.append(d)
    return np.concatenate(chosen), []


def amount_in_words(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    limit = min(t.up_to for t in s.spec.tiers if t.up_to is not None)
    d = pick(s, rng, s.has(S.SIGN) & s.has(S.CONTRACT_OK) & (s.amount <= limit), n)
    wan = np.clip(np.round(s.amount[d] / TEN_THOUSAND), AMOUNT_RANGE[0] // TEN_THOUSAND, limit // TEN_THOUSAND)
    s.amount[d] = (wan * TEN_THOUSAND).astype(np.int64)
    s.terms[d, 0] = list_price(s.amount[d], s.discount[d])
    s.amount_text.append((d, np.array([in_words(int(w)) + "万" for w in wan], dtype=object)))
    return d, []


def impossible_date(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    month = s.cal.month[s.t[:, S.CONTACT] // DAY]
    d = pick(s, rng, np.isin(month, list(SHORT_MONTHS)), n)
    t = s.t[d, S.CONTACT]
    clock = s.cal.text(t)
    texts = [f"{c[:8]}{SHORT_MONTHS[int(c[5:7])]:02d}{c[10:]}" for c in clock]
    s.event_text.append((d, S.CONTACT, "at", np.array(texts, dtype=object)))
    return d, []


def unknown_drafter(s: Sample, rng: np.random.Generator, n: int) -> Planted:
    d = pick(s, rng, s.has(S.DRAFT), n)
    ids = [s.roster.ids[a] for a in s.actor[d, S.DRAFT]]
    s.event_text.append((d, S.DRAFT, "actor_id", np.array(["E0" + i[1:] for i in ids], dtype=object)))
    return d, []


D = "defect"
KINDS = (
    Kind("misspelt_step", D, 2, "销售活动步骤名称写错(如 合同审合、需求分折)",
         "a misspelt step name (e.g. 合同审合, 需求分折)", misspelt_steps),
    Kind("amount_in_words", D, 1, "已签约商机的金额写成汉字(如 十二万)",
         "a signed deal's amount written in words (e.g. 十二万)", amount_in_words),
    Kind("impossible_date", D, 1, "活动发生时间为不存在的日期(如 9月31日)",
         "an event time on a date that does not exist (e.g. 31 September)", impossible_date),
    Kind("unknown_drafter", D, 1, "合同起草人员工编号不在员工表中",
         "a contract drafter id missing from the employee list", unknown_drafter),
)
