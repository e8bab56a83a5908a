"""Every report that can be saved, scheduled and exported (issue 15 item 7), in one table:
the page it opens, the filters it keeps, who may open it, its tables and how their rows are
computed. The page, a scheduled email's recipient check and `manage.py report_export` all read
this table, so the privacy rules of a report are written once:

- workforce, absence: HR Admin and HR Analyst (everyone), managers (their own subtree);
- pay, compliance coverage: HR Admin and HR Analyst (aggregates; groups of fewer than
  ANALYTICS_MIN_GROUP_SIZE suppressed);
- gender pay gap, EEO-1: HR Admin only (the audit sheet shows individual pay; EEO-1 counts
  are exact).
A saved report is computed with its owner's access as it is now, never as it was when saved.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from accounts.roles import is_hr_admin
from analytics.access import analytics_scope, can_use_analytics, sees_all_analytics

Rows = list[list[object]]


@dataclass(frozen=True)
class ReportKind:
    kind: str
    url_name: str
    params: frozenset[str]
    tables: tuple[str, ...]  # the first is the default
    may_open: Callable[[object], bool]
    rows: Callable[[object, dict, str, date | None], Rows]


def _workforce(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics.filters import filters_from_form
    from analytics.forms import WorkforceFilterForm
    from analytics.reports import workforce_report
    from analytics.tables import report_table

    form = WorkforceFilterForm(_with_as_of(params, as_of))
    return report_table(workforce_report(filters=filters_from_form(owner, form),
                                         as_of=form.as_of_date(),
                                         months=form.months_wanted()), table)


def _pay(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics import pay
    from analytics.filters import filters_from_form
    from analytics.forms import PayFilterForm
    from analytics.tables import pay_table

    form = PayFilterForm(_with_as_of(params, as_of))
    data = form.cleaned_data if form.is_valid() else {}
    report = pay.pay_report(filters_from_form(owner, form), form.as_of_date(),
                            currency=data.get("currency") or "",
                            changes_from=data.get("changes_from"),
                            changes_to=data.get("changes_to"))
    return pay_table(report, table)


def _pay_gap(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics.forms_gpg import PayGapForm
    from analytics.gpg import figure_rows, sheet_rows
    from analytics.gpg_store import pay_gap_report_stored

    params = dict(params)
    if as_of is not None:  # the latest snapshot on or before as_of
        sector = params.get("sector") or "private"
        day = (3, 31) if sector == "public" else (4, 5)
        params["year"] = str(as_of.year if (as_of.month, as_of.day) >= day else as_of.year - 1)
    year, sector, employer = PayGapForm(params).wanted()
    if table == "sheet":
        from analytics.gpg import pay_gap_report

        # The sheet is every relevant employee line by line: computed, never stored.
        return sheet_rows(pay_gap_report(year, sector, employer))
    return figure_rows(pay_gap_report_stored(year, sector, employer))


def _eeo1(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics.eeo1 import eeo1_report
    from analytics.forms import AsOfForm

    form = AsOfForm(_with_as_of(params, as_of))
    day = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    return eeo1_report(day).rows()


def _absence(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics.absence import absence_by_department
    from analytics.forms import AbsenceForm
    from analytics.tables import absence_rows

    if as_of is not None:  # the 52 weeks ending as_of
        params = {"last": as_of.isoformat()}
    first, last = AbsenceForm(params).period()
    return absence_rows(absence_by_department(analytics_scope(owner), first, last))


def _coverage(owner, params: dict, table: str, as_of: date | None) -> Rows:
    from analytics.coverage import coverage, months_count
    from analytics.metrics import months_back
    from analytics.tables import coverage_rows

    end = min(as_of or timezone.localdate(), timezone.localdate())
    return coverage_rows(coverage(months_back(end, months_count(params.get("months", "")))))


def _with_as_of(params: dict, as_of: date | None) -> dict:
    return {**params, "as_of": as_of.isoformat()} if as_of is not None else dict(params)


WORKFORCE_PARAMS = frozenset({"as_of", "months", "department", "location", "country",
                              "employment_type", "manager"})
KINDS: dict[str, ReportKind] = {k.kind: k for k in (
    ReportKind("workforce", "analytics:workforce", WORKFORCE_PARAMS,
               ("trend", "tenure", "span", "summary"), can_use_analytics, _workforce),
    ReportKind("pay", "analytics:pay",
               (WORKFORCE_PARAMS - {"months"}) | {"currency", "changes_from", "changes_to"},
               ("by_department", "by_title", "bands", "changes", "cost"), sees_all_analytics,
               _pay),
    ReportKind("pay_gap", "analytics:gender_pay_gap", frozenset({"year", "sector", "employer"}),
               ("figures", "sheet"), is_hr_admin, _pay_gap),
    ReportKind("eeo1", "analytics:eeo1", frozenset({"as_of"}), ("component1",), is_hr_admin,
               _eeo1),
    ReportKind("absence", "analytics:absence", frozenset({"first", "last"}),
               ("by_department",), can_use_analytics, _absence),
    ReportKind("coverage", "analytics:compliance_coverage", frozenset({"months"}),
               ("coverage",), sees_all_analytics, _coverage),
)}


def report_kind(kind: str) -> ReportKind:
    return KINDS[kind]


def may_open(user, kind: str) -> bool:
    return bool(user.is_active) and kind in KINDS and KINDS[kind].may_open(user)


def report_rows(owner, kind: str, params: dict, *, table: str = "",
                as_of: date | None = None) -> Rows:
    """The rows of one table of a report, computed with `owner`'s access now. ValueError for
    an unknown table; PermissionError when the owner may no longer open the report."""
    entry = KINDS[kind]
    table = table or entry.tables[0]
    if table not in entry.tables:
        raise ValueError(f"Tables of this report: {', '.join(entry.tables)}")
    if not may_open(owner, kind):
        raise PermissionError("The owner of this saved report may no longer open it.")
    return entry.rows(owner, dict(params), table, as_of)
