"""The sample as the CRM would export it: record ids, export wording, one frame (or chunk) per table.

Ids are handed out in the order records were created, as a CRM does; rows are then shuffled so
that nothing downstream can lean on file order."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from . import slots as S
from .planning import PERIOD_TYPES, Filings
from .state import BLANK, CHANNELS, TERMS, Sample
from .trainings import ATTENDANCE, SESSIONS
from .vocab import AFTER_SALES_TERMS, DELIVERY_TERMS, INDUSTRIES, PAYMENT_TERMS, PROPOSAL_ITEMS, REGIONS

CHUNK_ROWS = 500_000


def numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    return np.array([f"{prefix}{n:0{width}d}" for n in numbers.tolist()], dtype=object)


def ranks(*keys: np.ndarray) -> np.ndarray:
    """1-based creation order; the first key sorts first, the rest break ties."""
    order = np.lexsort(keys[::-1])
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(1, order.size + 1)
    return rank


def width(count: int, least: int) -> int:
    return max(least, len(str(count)))


class Export:
    def __init__(self, sample: Sample, rng: np.random.Generator) -> None:
        self.s, self.rng = sample, rng
        year = sample.cal.epoch.year
        self.employee_ids = np.array(sample.roster.ids, dtype=object)
        self.customer_ids = numbered("C", np.arange(1, sample.customers.count + 1), width(sample.customers.count, 5))
        self.deal_ids = numbered(f"D{year}-", ranks(sample.created, np.arange(sample.deals)), width(sample.deals, 5))
        c = sample.complaints
        self.complaint_ids = numbered(f"TS{year}-", ranks(c.received, np.arange(c.deal.size)), width(c.deal.size, 4))
        tr = sample.trainings
        self.training_ids = numbered(f"PX{year}-", ranks(tr.t, tr.employee), width(tr.t.size, 4))
        self.plan_ids = numbered(f"JH{year}-", np.arange(1, sample.plans.t.size + 1), 4)
        self.report_ids = numbered(f"BG{year}-", np.arange(1, sample.reports.t.size + 1), 4)
        self._event_rows()
        self._approval_rows()

    def event_ids(self, deals: np.ndarray, slot: int) -> np.ndarray:
        return numbered("A", self._event_number[self.event_row(deals, slot)], self._event_width)

    def approval_ids(self, deals: np.ndarray, slot: int) -> np.ndarray:
        row = np.searchsorted(self._approval_key, deals.astype(np.int64) * S.COUNT + slot)
        return self._approval_id[row]

    def _approval_rows(self) -> None:
        slots = np.array(sorted(S.APPROVAL_SLOTS))
        deal, k = np.nonzero(self.s.present[:, slots])
        self.ap_deal, self.ap_slot = deal, slots[k]
        t = self.s.t[deal, self.ap_slot]
        self._approval_key = deal.astype(np.int64) * S.COUNT + self.ap_slot
        self._approval_id = numbered(f"SP{self.s.cal.epoch.year}-", ranks(t, deal, self.ap_slot), width(t.size, 6))

    def event_row(self, deals: np.ndarray, slot: int) -> np.ndarray:
        return np.searchsorted(self._deal_slot_key, deals.astype(np.int64) * S.COUNT + slot)

    def _event_rows(self) -> None:
        s = self.s
        slots = np.array(S.EVENT_SLOTS)
        deal, k = np.nonzero(s.present[:, slots])
        slot = slots[k]
        step_of_slot = np.zeros(S.COUNT, dtype=np.int64)
        step_of_slot[slots] = [s.spec.steps.index(S.STEP[x]) for x in slots]
        p = s.prospecting
        self._deal_slot_key = deal.astype(np.int64) * S.COUNT + slot
        self.ev_deal = np.concatenate([deal, np.full(p.customer.size, BLANK)])
        self.ev_slot = np.concatenate([slot, np.full(p.customer.size, BLANK)])
        self.ev_customer = np.concatenate([s.customer[deal], p.customer])
        self.ev_step = np.concatenate([step_of_slot[slot], p.step])
        self.ev_actor = np.concatenate([s.actor[deal, slot], p.actor])
        self.ev_t = np.concatenate([s.t[deal, slot], p.t])
        self.ev_channel = np.concatenate([s.channel[deal, slot], p.channel])
        self.ev_recipient = np.concatenate([s.recipient[deal, slot], np.full(p.customer.size, BLANK)])
        self._event_number = ranks(self.ev_t, self.ev_deal, self.ev_slot, self.ev_customer)
        self._event_width = width(self.ev_t.size, 7)

    def employees(self) -> pd.DataFrame:
        r, cal = self.s.roster, self.s.cal
        frame = pd.DataFrame({
            "id": self.employee_ids, "name": r.names,
            "role": [self.s.spec.text("employees", "role", role) for role in r.roles],
            "supervisor_id": [r.ids[b] if b >= 0 else None for b in r.boss],
            "region": r.regions,
            "active_from": [cal.date_of(int(d)).isoformat() for d in r.start],
            "active_to": [cal.date_of(int(d)).isoformat() if d < cal.year_days else None for d in r.end],
            "recruiter_id": [r.ids[recruiter] if recruiter >= 0 else None for recruiter in r.recruiters()],
        })
        for rows, column, texts in self.s.roster_text:
            frame.loc[rows, column] = texts
        return self._shuffled(frame)

    def customers(self) -> pd.DataFrame:
        s, c = self.s, self.s.customers
        tier = np.where(c.key, s.spec.text("customers", "tier", "key"), s.spec.text("customers", "tier", "normal"))
        return self._shuffled(pd.DataFrame({
            "id": self.customer_ids, "name": c.names, "tier": tier,
            "industry": np.array(INDUSTRIES, dtype=object)[c.industry],
            "region": np.array(REGIONS, dtype=object)[c.region],
            "owner_id": self.employee_ids[s.roster.holder(c.seat, s.cal.as_of - 1)],
            "screened_at": self._screened_at(),
        }))

    def deals(self) -> pd.DataFrame:
        s = self.s
        stage_text = np.array([s.spec.text("deals", "stage", x) for x in S.STAGES], dtype=object)
        owner_at = s.owner_at()
        amount = s.amount.astype(str).astype(object)
        for deals, texts in s.amount_text:
            amount[deals] = texts
        frame = pd.DataFrame({
            "id": self.deal_ids, "customer_id": self.customer_ids[s.customer],
            "owner_id": self.employee_ids[s.roster.holder(s.seat, owner_at)],
            "stage": stage_text[s.stage], "amount": amount, "discount_pct": _decimal(s.discount),
            "payment_terms": self._contract_terms(),
            "created_at": s.cal.text(s.created),
            "closed_at": np.where(s.closed >= 0, s.cal.text(np.maximum(s.closed, 0)), None),
        })
        return self._shuffled(frame)

    def events(self) -> Iterator[pd.DataFrame]:
        s = self.s
        overrides = [(self.event_row(deals, slot), column, texts) for deals, slot, column, texts in s.event_text]
        order = self.rng.permutation(self.ev_t.size)
        place = np.empty_like(order)
        place[order] = np.arange(order.size)
        step_text = np.array([s.spec.text("events", "step", x) for x in s.spec.steps], dtype=object)
        channel_text = np.array([s.spec.text("events", "channel", x) for x in CHANNELS], dtype=object)
        for first in range(0, order.size, CHUNK_ROWS):
            rows = order[first:first + CHUNK_ROWS]
            deal = self.ev_deal[rows]
            frame = pd.DataFrame({
                "id": numbered("A", self._event_number[rows], self._event_width),
                "deal_id": np.where(deal >= 0, self.deal_ids[deal], None),
                "customer_id": self.customer_ids[self.ev_customer[rows]],
                "step": step_text[self.ev_step[rows]], "actor_id": self.employee_ids[self.ev_actor[rows]],
                "at": s.cal.text(self.ev_t[rows]), "channel": channel_text[self.ev_channel[rows]],
                "recipient_id": self._people(self.ev_recipient[rows]),
                **self._terms(deal, self.ev_slot[rows] == S.PROPOSAL),
            })
            for target, column, texts in overrides:
                inside = (place[target] >= first) & (place[target] < first + CHUNK_ROWS)
                frame.loc[place[target][inside] - first, column] = texts[inside]
            yield frame

    def approvals(self) -> pd.DataFrame:
        s, deal, slot = self.s, self.ap_deal, self.ap_slot
        t = s.t[deal, slot]
        kind = np.array(S.APPROVAL_TYPES, dtype=object)[s.approval_type[deal, slot]]
        decision = np.where(s.approved[deal, slot], "approved", "rejected")
        return self._shuffled(pd.DataFrame({
            "id": self._approval_id,
            "deal_id": self.deal_ids[deal],
            "type": [s.spec.text("approvals", "type", x) for x in kind],
            "approver_id": self.employee_ids[s.actor[deal, slot]],
            "decision": [s.spec.text("approvals", "decision", x) for x in decision],
            "at": s.cal.text(t),
        }))

    def complaints(self) -> pd.DataFrame:
        s, c = self.s, self.s.complaints
        severity = np.where(c.serious, s.spec.text("complaints", "severity", "serious"),
                            s.spec.text("complaints", "severity", "normal"))
        return self._shuffled(pd.DataFrame({
            "id": self.complaint_ids, "customer_id": self.customer_ids[c.customer], "deal_id": self.deal_ids[c.deal],
            "handler_id": self.employee_ids[c.handler], "severity": severity,
            "received_at": s.cal.text(c.received), "first_response_at": self._optional_time(c.responded),
            "resolved_at": self._optional_time(c.resolved),
        }))

    def plans(self) -> pd.DataFrame:
        plans = self.s.plans
        kinds = np.array([self.s.spec.text("plans", "period_type", k) for k in PERIOD_TYPES], dtype=object)
        return self._shuffled(self._filings(self.plan_ids, plans).assign(period_type=kinds[plans.period_type]))

    def trainings(self) -> pd.DataFrame:
        s, tr = self.s, self.s.trainings
        scored = tr.score != BLANK
        return self._shuffled(pd.DataFrame({
            "id": self.training_ids, "employee_id": self.employee_ids[tr.employee],
            "session": np.array([name for _, name in SESSIONS], dtype=object)[tr.session],
            "trainer_id": self.employee_ids[s.roster.sales_manager], "held_at": s.cal.text(tr.t),
            "attendance": [s.spec.text("trainings", "attendance", ATTENDANCE[a]) for a in tr.attendance],
            "score": np.where(scored, tr.score.astype(str).astype(object), None),
            "assessor_id": np.where(scored, self.employee_ids[tr.assessor], None),
        }))

    def reports(self) -> pd.DataFrame:
        return self._shuffled(self._filings(self.report_ids, self.s.reports))

    def _filings(self, ids: np.ndarray, f: Filings) -> pd.DataFrame:
        return pd.DataFrame({"id": ids, "employee_id": self.employee_ids[f.employee],
                             "recipient_id": self.employee_ids[f.recipient], "period": f.period,
                             "submitted_at": self.s.cal.text(f.t)})

    def _terms(self, deal: np.ndarray, proposal: np.ndarray) -> dict[str, np.ndarray]:
        pools = (None, DELIVERY_TERMS, PAYMENT_TERMS, AFTER_SALES_TERMS, PROPOSAL_ITEMS)
        values = self.s.terms[np.where(proposal, deal, 0)]
        out = {}
        for column, (name, pool) in enumerate(zip(TERMS, pools)):
            code = values[:, column]
            if pool is None:
                text = code.astype(str).astype(object)
            else:
                text = np.array(pool, dtype=object)[np.maximum(code, 0)]
            out[name] = np.where(proposal & (code != BLANK), text, None)
        return out

    def _screened_at(self) -> np.ndarray:
        """When each account passed screening, as the CRM stamps it on the account; empty if never."""
        p, s = self.s.prospecting, self.s
        screening = p.step == s.spec.steps.index("customer_screening")
        t = np.full(s.customers.count, BLANK, dtype=np.int64)
        t[p.customer[screening]] = p.t[screening]
        return self._optional_time(t)

    def _contract_terms(self) -> np.ndarray:
        """The payment terms a drafted contract agrees: the proposal's."""
        code = self.s.terms[:, 2]
        text = np.array(PAYMENT_TERMS, dtype=object)[np.maximum(code, 0)]
        return np.where(self.s.has(S.DRAFT) & (code != BLANK), text, None)

    def _people(self, employee: np.ndarray) -> np.ndarray:
        """Employee ids, empty where there is none (BLANK)."""
        return np.where(employee >= 0, self.employee_ids[np.maximum(employee, 0)], None)

    def _optional_time(self, t: np.ndarray) -> np.ndarray:
        return np.where(t >= 0, self.s.cal.text(np.maximum(t, 0)), None)

    def _shuffled(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.iloc[self.rng.permutation(len(frame))].reset_index(drop=True)


def _decimal(values: np.ndarray) -> np.ndarray:
    whole = values == np.floor(values)
    return np.where(whole, values.astype(np.int64).astype(str), values.astype(str)).astype(object)
