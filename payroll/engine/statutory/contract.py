"""The ``payroll_calc`` contract for statutory pay: ``{"calculation": "statutory_pay", ...}``.

See payroll/engine/README.md ("Statutory pay"). Bad fields raise the contract's InputError
naming the field, like every other item.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from payroll.engine.statutory import (
    KINDS,
    Absence,
    Employment,
    Payment,
    WorkPattern,
    statutory_pay,
)

FREQUENCIES = ("weekly", "fortnightly", "four_weekly", "monthly")


def _date(obj: dict, name: str, where: str = "", *, required: bool = True) -> date | None:
    from payroll.engine.contract import InputError

    raw = obj.get(name)
    if raw is None:
        if required:
            raise InputError(f"{where}{name}: required")
        return None
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InputError(f"{where}{name}: must be a date (YYYY-MM-DD)") from None


def _list(item: dict, name: str) -> list:
    from payroll.engine.contract import InputError

    value = item.get(name, [])
    if not isinstance(value, list):
        raise InputError(f"{name}: must be a list")
    return value


def _absences(item: dict) -> list[Absence]:
    from payroll.engine.contract import InputError, _choice

    found = []
    for i, raw in enumerate(_list(item, "absences")):
        where = f"absences[{i}]."
        if not isinstance(raw, dict):
            raise InputError(f"absences[{i}]: must be an object")
        first = _date(raw, "first_day", where)
        last = _date(raw, "last_day", where, required=False)
        if last is not None and last < first:
            raise InputError(f"{where}last_day: before first_day")
        found.append(Absence(_choice(raw, "kind", KINDS, where=where), first, last,
                             _date(raw, "expected_week", where, required=False)))
    return found


def _payments(item: dict) -> list[Payment]:
    from payroll.engine.contract import InputError, _amount, _flag

    payments = []
    for i, raw in enumerate(_list(item, "payments")):
        if not isinstance(raw, dict):
            raise InputError(f"payments[{i}]: must be an object")
        where = f"payments[{i}]."
        payments.append(Payment(_date(raw, "pay_date", where), _amount(raw, "amount", where=where),
                                normal=_flag(raw, "normal", where) if "normal" in raw else True))
    return payments


def _paid_days(item: dict) -> frozenset[tuple[str, date]]:
    from payroll.engine.contract import InputError

    raw = item.get("paid_days", {})
    if not isinstance(raw, dict) or any(k not in KINDS or not isinstance(v, list)
                                        for k, v in raw.items()):
        raise InputError("paid_days: must map an absence kind to a list of dates")
    return frozenset((kind, _date({"d": d}, "d", f"paid_days.{kind}.")) for kind, days in
                     raw.items() for d in days)


def statutory_item(item: dict[str, Any]) -> dict[str, Any]:
    from payroll.engine.contract import InputError, _amount, _choice, _flag

    days = item.get("qualifying_days", [0, 1, 2, 3, 4])
    if not isinstance(days, list) or not days or any(
            isinstance(d, bool) or d not in range(7) for d in days):
        raise InputError("qualifying_days: must be a list of weekdays 0 (Monday) to 6")
    contractual = item.get("contractual_weekly")
    employment = Employment(
        _date(item, "hire_date"), _date(item, "termination_date", required=False),
        _choice(item, "pay_frequency", FREQUENCIES, "monthly"),
        None if contractual is None else _amount(item, "contractual_weekly"))
    result = statutory_pay(
        _absences(item), period_end=_date(item, "period_end"), payments=_payments(item),
        employment=employment, patterns=[WorkPattern(date.min, frozenset(days))],
        paid=_paid_days(item), small_employer=_flag(item, "small_employer_relief"))
    out: dict[str, Any] = {"lines": [
        {"code": ln.code, "description": ln.description, "amount": f"{ln.amount:.2f}",
         "recovered": f"{ln.recovered:.2f}", "nic_compensation": f"{ln.nic_compensation:.2f}",
         "days": [d.isoformat() for d in ln.days],
         **({"trace": ln.trace} if item.get("explain") is True else {})}
        for ln in result.lines], "not_due": list(result.refused)}
    if "id" in item:
        out = {"id": item["id"], **out}
    return out
