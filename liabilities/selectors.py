"""The liabilities of a legal employer, from its finalised payslips (by pay date) and the
payments recorded against them. A fixed number of queries per employer, whatever the headcount
(DB aggregates per pay date; per-payslip rows only for a Form 941/940 year)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import holidays as holiday_calendars
from django.db.models import Sum

from hrops.calendars import public_holidays
from liabilities import hmrc, irs_deposits, irs_forms
from liabilities.employers import LegalEmployer, legal_employers
from liabilities.models import LiabilityPayment
from payroll.models import PayRun, Payslip, PayslipLine

ZERO = Decimal("0.00")
UK_CODES = {"PAYE": "paye", "NI_EE": "employee_ni", "NI_ER": "employer_ni",
            "SL": "student_loan", "PGL": "postgraduate_loan"}
# Statutory payments recovered (92%, or 108.5% with Small Employer Relief from 6 April 2025;
# 103% before): the engine's ytd_increments keys
# (payroll.engine.statutory.types.StatutoryLine.ytd_increments).
RECOVERABLE = ("smp", "spp", "sap", "shpp", "spbp", "sncp")
RECOVERED_KEYS = [f"uk_{c}_recovered" for c in RECOVERABLE]
COMPENSATION_KEYS = [f"uk_{c}_nic_compensation" for c in RECOVERABLE]
US_CODES = ("FIT", "SS", "ER_SS", "MEDICARE", "ER_MEDICARE", "ADDL_MEDICARE")


def _us_holidays(years) -> frozenset[date]:
    # IRS Pub 15: "legal holiday" means a legal holiday in the District of Columbia.
    return frozenset(holiday_calendars.country_holidays("US", subdiv="DC", years=sorted(years)))


@dataclass
class Liability:
    tax: str
    key: str
    label: str
    start: date
    end: date
    due: date
    amount: Decimal
    paid: Decimal = ZERO
    detail: object = None
    flag: str = ""
    overdue: bool = False  # set by mark_overdue for a page (templates cannot pass today)

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.amount - self.paid)

    def overdue_on(self, today: date) -> bool:
        return self.remaining > 0 and self.due < today

    @property
    def payment_key(self) -> str:
        return f"{self.tax}|{self.key}"


def mark_overdue(items: list[Liability], today: date) -> list[Liability]:
    for item in items:
        item.overdue = item.overdue_on(today)
    return items


def _frozen(schedule_ids: list[int]) -> dict:
    return {"run__schedule_id__in": schedule_ids, "run__status__in": PayRun.FROZEN}


def _payments(employer: LegalEmployer) -> dict[tuple[str, str], Decimal]:
    if employer.settings.pk is None:
        return {}
    rows = (LiabilityPayment.objects.filter(employer=employer.settings)
            .values_list("tax", "period_key").annotate(total=Sum("amount")).order_by())
    return {(tax, key): total for tax, key, total in rows}


def uk_slip_figures(schedule_ids: list[int]) -> list[hmrc.SlipFigures]:
    """Per pay date: the taxes of its finalised payslips' lines (one aggregate) and the
    statutory pay recovered (only payslips that carry it; one query)."""
    sums: dict[date, dict[str, Decimal]] = defaultdict(dict)
    lines = (PayslipLine.objects.filter(**{f"payslip__{k}": v for k, v in
                                           _frozen(schedule_ids).items()},
                                        code__in=UK_CODES)
             .values_list("payslip__run__pay_date", "code").annotate(total=Sum("amount"))
             .order_by())
    for pay_date, code, total in lines:
        figures = sums[pay_date]
        figures[UK_CODES[code]] = figures.get(UK_CODES[code], ZERO) + total
    recovered = Payslip.objects.filter(
        **_frozen(schedule_ids), ytd_increments__has_any_keys=RECOVERED_KEYS + COMPENSATION_KEYS
    ).values_list("run__pay_date", "ytd_increments")
    for pay_date, increments in recovered:
        figures = sums[pay_date]
        for name, keys in (("statutory_recovered", RECOVERED_KEYS),
                           ("nic_compensation", COMPENSATION_KEYS)):
            figures[name] = figures.get(name, ZERO) + sum(
                (Decimal(str(increments[k])) for k in keys if k in increments), ZERO)
    return [hmrc.SlipFigures(pay_date, **figures) for pay_date, figures in sorted(sums.items())]


def uk_p32(employer: LegalEmployer) -> list[hmrc.P32Row]:
    slips = uk_slip_figures(employer.schedule_ids)
    years = {s.pay_date.year for s in slips} | {y + 1 for y in {s.pay_date.year for s in slips}}
    return hmrc.p32(slips, employment_allowance_years=employer.settings.employment_allowance_years,
                    quarterly=employer.settings.quarterly_payer,
                    holidays=public_holidays("GB", years or [date.today().year]))


def _uk_liabilities(employer: LegalEmployer) -> list[Liability]:
    paid = _payments(employer)
    return [Liability(LiabilityPayment.Tax.PAYE, row.key, row.label, row.start, row.end, row.due,
                      row.amount_due, paid.get((LiabilityPayment.Tax.PAYE, row.key), ZERO), row)
            for row in uk_p32(employer)]


def us_paydays(schedule_ids: list[int]) -> list[irs_deposits.PaydayTaxes]:
    """Form 941 taxes per pay date of finalised payslips (one aggregate)."""
    sums: dict[date, dict[str, Decimal]] = defaultdict(dict)
    group = {"FIT": "income_tax", "SS": "social_security", "ER_SS": "social_security",
             "MEDICARE": "medicare", "ER_MEDICARE": "medicare", "ADDL_MEDICARE": "medicare"}
    rows = (PayslipLine.objects.filter(**{f"payslip__{k}": v for k, v in
                                          _frozen(schedule_ids).items()}, code__in=US_CODES)
            .values_list("payslip__run__pay_date", "code").annotate(total=Sum("amount"))
            .order_by())
    for pay_date, code, total in rows:
        sums[pay_date][group[code]] = sums[pay_date].get(group[code], ZERO) + total
    return [irs_deposits.PaydayTaxes(d, **f) for d, f in sorted(sums.items())]


def deposit_schedules(employer: LegalEmployer, paydays, years) -> dict[int, tuple[str, str]]:
    """year -> (schedule, why): the override, else the look-back rule."""
    result = {}
    for year in years:
        start, end = irs_deposits.lookback_period(year)
        total = sum((p.total for p in paydays if start <= p.pay_date <= end), ZERO)
        prior = employer.settings.lookback_prior_total
        known = total + (prior or ZERO) if (total or prior is not None) else None
        if employer.settings.deposit_schedule:
            result[year] = (employer.settings.deposit_schedule, "set on this page")
        else:
            why = (f"look-back {start:%d %b %Y} - {end:%d %b %Y}: {known}" if known is not None
                   else "no taxes in the look-back period (a new employer)")
            result[year] = (irs_deposits.schedule_for(known), why)
    return result


def _us_liabilities(employer: LegalEmployer) -> tuple[list[Liability], dict]:
    paydays = us_paydays(employer.schedule_ids)
    years = sorted({p.pay_date.year for p in paydays})
    schedules = deposit_schedules(employer, paydays, years)
    found = irs_deposits.deposits(paydays, {y: s for y, (s, _) in schedules.items()},
                                  _us_holidays({*years, *(y + 1 for y in years)}))
    paid = _payments(employer)
    tax = LiabilityPayment.Tax.FORM_941
    items = [Liability(tax, d.key, f"{d.schedule} deposit {d.start:%d %b} - {d.end:%d %b %Y}",
                       d.start, d.end, d.due, d.total, paid.get((tax, d.key), ZERO), d,
                       "next-day rule (100,000)" if d.next_day_rule else "")
             for d in found]
    for year in years:
        form = form_940(employer, year)
        for quarter, amount, deadline in form.deposits_due:
            if amount:
                key = f"{year}-Q{quarter}"
                start = date(year, (quarter - 1) * 3 + 1, 1)
                end = date(year, 12, 31) if quarter == 4 else (
                    date(year, quarter * 3 + 1, 1) - timedelta(days=1))
                due = irs_deposits.next_business_day(deadline, _us_holidays([deadline.year]))
                items.append(Liability(
                    LiabilityPayment.Tax.FUTA, key, f"FUTA {year} Q{quarter}", start, end, due,
                    amount, paid.get((LiabilityPayment.Tax.FUTA, key), ZERO), form))
    return sorted(items, key=lambda x: (x.due, x.tax)), schedules


def liabilities_for(employer: LegalEmployer) -> tuple[list[Liability], dict]:
    if employer.country == "GB":
        return _uk_liabilities(employer), {}
    return _us_liabilities(employer)


def us_slip_taxes(employer: LegalEmployer, year: int) -> list[irs_forms.SlipTaxes]:
    """The calendar year's finalised payslips with their 941 figures (two queries)."""
    slips = Payslip.objects.filter(**_frozen(employer.schedule_ids), run__pay_date__year=year)
    amounts: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for payslip_id, code, amount in PayslipLine.objects.filter(
            payslip__in=slips, code__in=US_CODES).values_list("payslip_id", "code", "amount"):
        amounts[payslip_id][code] = amounts[payslip_id].get(code, ZERO) + amount
    state = employer.settings.unemployment_state
    result = []
    for pk, employee_id, pay_date, gross, increments, start, end in slips.values_list(
            "pk", "employee_id", "run__pay_date", "gross", "ytd_increments",
            "run__period__start_date", "run__period__end_date"):
        twelfth = date(pay_date.year, (pay_date.month - 1) // 3 * 3 + 3, 12)
        a = amounts.get(pk, {})
        result.append(irs_forms.SlipTaxes(
            employee_id, pay_date, gross,
            Decimal(str(increments.get("us_income_tax_wages", gross))),
            Decimal(str(increments.get("us_fica_wages", gross))),
            a.get("FIT", ZERO), a.get("SS", ZERO), a.get("ER_SS", ZERO),
            a.get("MEDICARE", ZERO), a.get("ER_MEDICARE", ZERO), a.get("ADDL_MEDICARE", ZERO),
            covers_12th=start <= twelfth <= end, state=state))
    return result


def _paid_in(employer: LegalEmployer, tax: str, prefix: str) -> Decimal:
    if employer.settings.pk is None:
        return ZERO
    return LiabilityPayment.objects.filter(
        employer=employer.settings, tax=tax, period_key__startswith=prefix
    ).aggregate(total=Sum("amount"))["total"] or ZERO


def form_941(employer: LegalEmployer, year: int, quarter: int) -> irs_forms.Form941:
    slips = us_slip_taxes(employer, year)
    # Line 13: deposits recorded against this quarter's deposit periods.
    paid = ZERO
    liabilities, _ = _us_liabilities(employer)
    for item in liabilities:
        if item.tax == LiabilityPayment.Tax.FORM_941 and item.detail.quarter == (year, quarter):
            paid += item.paid
    return irs_forms.form_941(slips, year=year, quarter=quarter, deposits_made=paid)


def form_940(employer: LegalEmployer, year: int) -> irs_forms.Form940:
    return irs_forms.form_940(us_slip_taxes(employer, year), year=year,
                              deposits_made=_paid_in(employer, LiabilityPayment.Tax.FUTA,
                                                     f"{year}-"))


def overdue_liabilities(today: date) -> list[tuple[LegalEmployer, Liability]]:
    """Every employer's liabilities past their due date with something left to pay."""
    result = []
    for employer in legal_employers()[0]:
        items, _ = liabilities_for(employer)
        result.extend((employer, item) for item in items if item.overdue_on(today))
    return result
